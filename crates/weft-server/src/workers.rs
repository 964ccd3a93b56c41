//! Who serves each activity: the workers that poll for it (and when each
//! last did), what waits in the pull queue, and how push and `@http`
//! endpoints answer; and, from that, which waiting runs nobody serves.
//!
//! A single node remembers polls in memory. A cluster's nodes write them
//! to the shared store every [`POLL_RECORD_EVERY`] per worker, so any node
//! can tell that nobody polls an activity, whichever node the workers
//! use. Endpoint health is each node's own (the requests it sent).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use weft_engine::time::{format_duration, format_time};
use weft_store::ClusterStore;

/// How long an activity may go without a poll before the runs waiting on
/// it are said to be waiting for a worker (unless `poller_stale` in the
/// configuration says otherwise).
pub const POLLER_STALE_DEFAULT: Duration = Duration::from_secs(5 * 60);

/// In a cluster: how often a worker's polls for an activity are written
/// to the store, at most.
pub const POLL_RECORD_EVERY: Duration = Duration::from_secs(5);

/// Workers per activity a node remembers in memory; the least recently
/// seen is forgotten first.
pub const POLLERS_TRACKED_MAX: usize = 10_000;

/// A worker's polls for an activity, as this node saw them.
#[derive(Clone, Debug)]
struct Seen {
    last_poll: i64,
    polls: u64,
    /// When this node last wrote it to the store (cluster).
    recorded: i64,
}

/// How an endpoint (push or `@http`) has been answering.
#[derive(Clone, Debug, Default)]
pub struct Health {
    /// Where the requests go.
    pub target: String,
    /// Attempts answered with a result.
    pub ok: u64,
    /// Attempts that failed.
    pub failed: u64,
    /// When the last attempt succeeded (epoch ms).
    pub last_ok: Option<i64>,
    /// When the last attempt failed, and why.
    pub last_failure: Option<(i64, String)>,
}

/// The registry: see the module documentation.
pub struct Workers {
    started: i64,
    stale: Duration,
    /// Activities bound to a configured push endpoint (not polled).
    push: std::collections::BTreeSet<String>,
    seen: Mutex<BTreeMap<(String, String), Seen>>,
    endpoints: Mutex<BTreeMap<String, Health>>,
    cluster: Option<(Arc<dyn ClusterStore>, String)>,
}

/// Why a waiting run does not move: nobody polls its activity.
#[derive(Clone, Debug, PartialEq)]
pub struct Stall {
    /// The activity.
    pub activity: String,
    /// The last poll for it anywhere, if any was seen.
    pub last_poll: Option<i64>,
    /// In words: "no worker has polled ReserveNick for 5 min".
    pub message: String,
}

impl Stall {
    /// As the API shows it.
    pub fn to_json(&self) -> Value {
        json!({
            "activity": self.activity,
            "lastPoll": self.last_poll.map(format_time),
            "message": self.message,
        })
    }
}

/// A duration in whole minutes or seconds, for people.
fn ago(ms: i64) -> String {
    let ms = ms.max(0);
    if ms >= 60_000 {
        format_duration(ms / 60_000 * 60_000)
    } else {
        format_duration(ms / 1_000 * 1_000)
    }
}

impl Workers {
    /// A registry; `cluster` is the shared store and this node's name.
    pub fn new(
        now: i64,
        stale: Duration,
        cluster: Option<(Arc<dyn ClusterStore>, String)>,
    ) -> Workers {
        Workers {
            started: now,
            stale,
            push: Default::default(),
            seen: Mutex::new(BTreeMap::new()),
            endpoints: Mutex::new(BTreeMap::new()),
            cluster,
        }
    }

    /// The activities bound to configured push endpoints.
    pub fn with_push(mut self, push: impl IntoIterator<Item = String>) -> Workers {
        self.push = push.into_iter().collect();
        self
    }

    /// True for an activity bound to a configured push endpoint.
    pub fn is_push(&self, activity: &str) -> bool {
        self.push.contains(activity)
    }

    /// How long an activity may go without a poll.
    pub fn stale(&self) -> Duration {
        self.stale
    }

    /// The first of a run's waits (its record's `waiting`) on a pull
    /// activity nobody serves: a call whose task waits for a worker (not
    /// a callback the activity already took), of an activity that is not
    /// bound to an endpoint (`bound` says which are by `@http`).
    pub fn stall_of(
        &self,
        waiting: &Value,
        bound: &dyn Fn(&str) -> bool,
        last: &BTreeMap<String, i64>,
        now: i64,
    ) -> Option<Stall> {
        waiting.as_array()?.iter().find_map(|w| {
            if w["kind"] != "activity" || w["acknowledged"] == true {
                return None;
            }
            let a = w["activity"].as_str()?;
            if self.is_push(a) || bound(a) {
                return None;
            }
            self.stall(a, last, now)
        })
    }

    /// A worker polled for these activities at `now`; in a cluster, what
    /// is due to be written to the store is returned for the caller to
    /// write off the async threads.
    pub fn polled(&self, worker: &str, activities: &[String], now: i64) -> Option<Vec<String>> {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let mut due = Vec::new();
        for a in activities {
            let s = seen.entry((a.clone(), worker.to_string())).or_insert(Seen {
                last_poll: now,
                polls: 0,
                recorded: i64::MIN,
            });
            s.last_poll = now;
            s.polls += 1;
            if now.saturating_sub(s.recorded) >= POLL_RECORD_EVERY.as_millis() as i64 {
                s.recorded = now;
                due.push(a.clone());
            }
        }
        if seen.len() > POLLERS_TRACKED_MAX {
            let mut by_age: Vec<((String, String), i64)> =
                seen.iter().map(|(k, s)| (k.clone(), s.last_poll)).collect();
            by_age.sort_by_key(|(_, at)| *at);
            for (k, _) in by_age.into_iter().take(seen.len() - POLLERS_TRACKED_MAX) {
                seen.remove(&k);
            }
        }
        (self.cluster.is_some() && !due.is_empty()).then_some(due)
    }

    /// Writes polls to the shared store (a cluster node; blocking).
    pub fn record(&self, worker: &str, activities: &[String], now: i64) {
        if let Some((store, node)) = &self.cluster {
            if let Err(e) = store.record_polls(node, worker, activities, now) {
                tracing::warn!(worker, error = %e, "recording the polls of worker {worker}: {e}");
            }
        }
    }

    /// An endpoint answered an attempt of `activity` (`Ok`) or not.
    pub fn answered(&self, activity: &str, target: &str, at: i64, outcome: Result<(), String>) {
        let mut e = self.endpoints.lock().unwrap_or_else(|e| e.into_inner());
        let h = e.entry(activity.to_string()).or_default();
        h.target = target.to_string();
        match outcome {
            Ok(()) => {
                h.ok += 1;
                h.last_ok = Some(at);
            }
            Err(why) => {
                h.failed += 1;
                h.last_failure = Some((at, why));
            }
        }
    }

    /// Every endpoint that was called, by activity.
    pub fn endpoints(&self) -> BTreeMap<String, Health> {
        self.endpoints
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The last poll of each worker for each activity: this node's memory,
    /// or the store's (every node's) in a cluster. Blocking in a cluster.
    pub fn pollers(&self, now: i64) -> Result<Vec<weft_store::Poller>, weft_store::StoreError> {
        if let Some((store, _)) = &self.cluster {
            return store.pollers(now - weft_store::cluster::POLLS_KEPT_MS);
        }
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        Ok(seen
            .iter()
            .map(|((activity, worker), s)| weft_store::Poller {
                activity: activity.clone(),
                worker: worker.clone(),
                node: String::new(),
                last_poll: s.last_poll,
            })
            .collect())
    }

    /// The last poll per activity (from [`Workers::pollers`]).
    pub fn last_polls(pollers: &[weft_store::Poller]) -> BTreeMap<String, i64> {
        let mut out: BTreeMap<String, i64> = BTreeMap::new();
        for p in pollers {
            let e = out.entry(p.activity.clone()).or_insert(p.last_poll);
            *e = (*e).max(p.last_poll);
        }
        out
    }

    /// Whether a pull activity goes unserved at `now`, given the last poll
    /// per activity: nobody polled it for [`Workers::stale`], or ever since
    /// this node started that long ago.
    pub fn stall(&self, activity: &str, last: &BTreeMap<String, i64>, now: i64) -> Option<Stall> {
        let stale = self.stale.as_millis() as i64;
        match last.get(activity) {
            Some(at) if now - at >= stale => Some(Stall {
                activity: activity.to_string(),
                last_poll: Some(*at),
                message: format!("no worker has polled {activity} for {}", ago(now - at)),
            }),
            None if now - self.started >= stale => Some(Stall {
                activity: activity.to_string(),
                last_poll: None,
                message: format!(
                    "no worker has polled {activity} since the server started {} ago",
                    ago(now - self.started)
                ),
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_activity_nobody_polls_stalls_its_runs() {
        let w = Workers::new(0, Duration::from_secs(300), None);
        let last = Workers::last_polls(&w.pollers(0).unwrap());
        assert_eq!(w.stall("A", &last, 1_000), None, "too early to tell");
        let s = w.stall("A", &last, 301_000).unwrap();
        assert_eq!(
            s.message,
            "no worker has polled A since the server started 5m ago"
        );
        assert_eq!(w.polled("w1", &["A".into(), "B".into()], 400_000), None);
        w.polled("w2", &["A".into()], 410_000);
        let pollers = w.pollers(0).unwrap();
        assert_eq!(pollers.len(), 3);
        let last = Workers::last_polls(&pollers);
        assert_eq!(last["A"], 410_000);
        assert_eq!(w.stall("A", &last, 500_000), None);
        let s = w.stall("B", &last, 760_000).unwrap();
        assert_eq!(s.message, "no worker has polled B for 6m");
        assert_eq!(s.last_poll, Some(400_000));
        assert_eq!(
            s.to_json()["lastPoll"],
            json!(weft_engine::time::format_time(400_000))
        );
    }

    #[test]
    fn only_calls_waiting_for_a_worker_stall() {
        let w = Workers::new(0, Duration::from_secs(1), None).with_push(["Pushed".to_string()]);
        let last = BTreeMap::new();
        let none = |_: &str| false;
        let waits = |a: &str, ack: bool| json!([{"kind": "timer", "until": 5}, {"kind": "activity", "activity": a, "callback": ack, "acknowledged": ack}]);
        let s = w
            .stall_of(&waits("Pulled", false), &none, &last, 5_000)
            .unwrap();
        assert_eq!(s.activity, "Pulled");
        assert_eq!(
            w.stall_of(&waits("Pulled", true), &none, &last, 5_000),
            None
        );
        assert_eq!(
            w.stall_of(&waits("Pushed", false), &none, &last, 5_000),
            None
        );
        assert_eq!(
            w.stall_of(&waits("Bound", false), &|a| a == "Bound", &last, 5_000),
            None
        );
        assert_eq!(w.stall_of(&json!([]), &none, &last, 5_000), None);
    }

    #[test]
    fn endpoints_keep_their_last_answers() {
        let w = Workers::new(0, POLLER_STALE_DEFAULT, None);
        w.answered("Pay", "http://pay", 5, Ok(()));
        w.answered("Pay", "http://pay", 9, Err("answered 503".into()));
        let h = &w.endpoints()["Pay"];
        assert_eq!((h.ok, h.failed, h.last_ok), (1, 1, Some(5)));
        assert_eq!(h.last_failure, Some((9, "answered 503".into())));
    }

    #[test]
    fn a_cluster_node_writes_a_workers_polls_every_few_seconds() {
        let store: Arc<dyn ClusterStore> = Arc::new(weft_store::MemoryStore::new());
        let w = Workers::new(0, POLLER_STALE_DEFAULT, Some((store.clone(), "n1".into())));
        let due = w.polled("w1", &["A".into()], 1_000).unwrap();
        w.record("w1", &due, 1_000);
        assert_eq!(
            w.polled("w1", &["A".into()], 2_000),
            None,
            "written a moment ago"
        );
        assert!(w.polled("w1", &["A".into()], 7_000).is_some());
        let p = w.pollers(10_000).unwrap();
        assert_eq!((p[0].node.as_str(), p[0].last_poll), ("n1", 1_000));
    }
}
