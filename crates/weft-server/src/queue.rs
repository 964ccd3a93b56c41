//! The pull queue: tasks wait here until a worker polls for their activity.
//!
//! A poll leases tasks for [`Queue::lease`]; a worker that dies stops
//! heartbeating, its lease expires, and the task becomes available again
//! with the same call id (and the same task id: one task per attempt).
//! Leases live in memory: after a restart the runtime dispatches every
//! outstanding task again, which is the same as all leases expiring.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Notify;
use weft_engine::state::Task;
use weft_runtime::ResultSink;

/// How long a poll leases a task when the worker does not heartbeat.
pub const LEASE_DEFAULT: Duration = Duration::from_secs(30);

/// Most tasks one poll returns.
pub const POLL_TASKS_MAX: usize = 100;

/// Most results one `POST /v1/tasks/results` reports (a worker with more
/// finished tasks sends several requests).
pub const RESULTS_PER_REQUEST_MAX: usize = 256;

/// Task ids one report line of a two-way stream holds in its
/// `heartbeats`, at most (as many as its `results`).
pub const HEARTBEATS_PER_LINE_MAX: usize = 256;

/// Longest a poll may wait for tasks.
pub const POLL_WAIT_MAX: Duration = Duration::from_secs(60);

/// A task as a worker sees it: an attempt of a call.
#[derive(Clone, Debug)]
pub struct Leased {
    /// `<callId>.<attempt>`: what the worker completes, fails or heartbeats.
    pub task_id: String,
    /// The task.
    pub task: Task,
    /// When the lease ends unless the worker heartbeats (epoch ms).
    pub lease_until_ms: i64,
}

struct Entry {
    task: Task,
    sink: ResultSink,
    lease: Option<(String, Instant)>,
    /// Since when it waits for a worker (when it is not leased).
    ready_since: Instant,
}

#[derive(Default)]
struct Inner {
    /// Call ids waiting for a worker, per activity, oldest first. May hold
    /// ids that were cancelled or leased since: polls skip them.
    ready: HashMap<String, VecDeque<String>>,
    /// Every task not yet answered, by call id (one attempt per call).
    tasks: HashMap<String, Entry>,
    /// Long polls waiting for tasks, oldest first. A task that becomes
    /// ready wakes the first one that takes its activity, and takes it off
    /// this list: one wake-up per task, not one per waiting poll (with
    /// a few dozen workers' streams open, waking all of them for each task
    /// cost more than handing it out).
    waiters: VecDeque<Waiter>,
    /// The id of the next waiter.
    next_waiter: u64,
}

/// A long poll waiting in [`Inner::waiters`].
struct Waiter {
    id: u64,
    activities: Arc<[String]>,
    wake: Arc<Notify>,
}

impl Inner {
    /// Wakes the oldest poll waiting for `activity`, if any.
    fn wake_one(&mut self, activity: &str) {
        let first = self
            .waiters
            .iter()
            .position(|w| w.activities.iter().any(|a| a == activity));
        if let Some(w) = first.and_then(|i| self.waiters.remove(i)) {
            // Stored as a permit when the poll is not yet waiting on it.
            w.wake.notify_one();
        }
    }

    /// Wakes, for each of `activities` with a ready task, one poll waiting
    /// for it: a woken poll went away before taking what it was woken for.
    fn pass_on(&mut self, activities: &[String]) {
        for a in activities {
            if self.ready.get(a).is_some_and(|q| !q.is_empty()) {
                self.wake_one(a);
            }
        }
    }
}

/// One long poll's place among the waiters, left when the poll ends (or is
/// dropped: a stream that closes drops its poll).
struct Waiting<'q> {
    queue: &'q Queue,
    activities: Arc<[String]>,
    wake: Arc<Notify>,
    /// The id it is registered under, until a look takes it off.
    id: Option<u64>,
}

impl Waiting<'_> {
    /// Takes this poll off the waiters; whether a task had woken it (and
    /// taken it off already).
    fn leave(&mut self, g: &mut Inner) -> bool {
        let Some(id) = self.id.take() else {
            return false;
        };
        match g.waiters.iter().position(|w| w.id == id) {
            Some(i) => {
                g.waiters.remove(i);
                false
            }
            None => true,
        }
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut g = self.queue.lock();
        if self.leave(&mut g) {
            g.pass_on(&self.activities);
        }
    }
}

/// Tasks per activity, for metrics.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Depth {
    /// Waiting for a worker.
    pub ready: u64,
    /// Leased to a worker.
    pub leased: u64,
    /// How long the oldest ready task has waited.
    pub oldest_ready: Duration,
}

/// Why a worker's report on a task was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum TaskError {
    /// No such task: answered already, cancelled, or superseded by a newer
    /// attempt (a timed-out one, say).
    Unknown,
    /// The task id is not `<callId>.<attempt>`.
    Malformed,
    /// The shared store could not be read or written (a cluster's queue):
    /// the task may well exist, so the worker should try again.
    Store(String),
}

/// The pull queue.
pub struct Queue {
    inner: Mutex<Inner>,
    /// How long a lease lasts without a heartbeat.
    pub lease: Duration,
}

/// A worker's long poll, wherever the tasks are: looks for tasks with
/// `look`, and while there are none waits for more until `wait` (at most
/// [`POLL_WAIT_MAX`]) has passed, then answers with none.
///
/// `look` returns what it leased and how to wait for more: a function
/// given the time left that resolves when tasks may have arrived, or when
/// that time has passed. The look after the last wait still counts, so a
/// task that arrives as the wait ends is not left behind.
pub(crate) async fn long_poll<Look, Looked, Wake, Woken>(
    wait: Duration,
    mut look: Look,
) -> Vec<Leased>
where
    Look: FnMut() -> Looked,
    Looked: std::future::Future<Output = (Vec<Leased>, Wake)>,
    Wake: FnOnce(Duration) -> Woken,
    Woken: std::future::Future<Output = ()>,
{
    let deadline = tokio::time::Instant::now() + wait.min(POLL_WAIT_MAX);
    loop {
        let (got, wake) = look().await;
        if !got.is_empty() {
            return got;
        }
        let now = tokio::time::Instant::now();
        if now >= deadline {
            return Vec::new();
        }
        wake(deadline - now).await;
    }
}

/// The task id of an attempt.
pub fn task_id(task: &Task) -> String {
    format!("{}.{}", task.call_id, task.attempt)
}

/// `(call id, attempt)` of a task id.
pub fn split_task_id(id: &str) -> Result<(&str, u32), TaskError> {
    let (call, attempt) = id.rsplit_once('.').ok_or(TaskError::Malformed)?;
    let attempt = attempt.parse().map_err(|_| TaskError::Malformed)?;
    Ok((call, attempt))
}

fn epoch_ms(at: Instant) -> i64 {
    let now = Instant::now();
    let wall = weft_runtime::runtime::now_ms();
    if at >= now {
        wall + (at - now).as_millis() as i64
    } else {
        wall - (now - at).as_millis() as i64
    }
}

impl Queue {
    /// An empty queue whose leases last `lease`.
    pub fn new(lease: Duration) -> Queue {
        Queue {
            inner: Mutex::new(Inner::default()),
            lease,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds a task (a newer attempt of a call replaces the older one).
    pub fn push(&self, task: Task, sink: ResultSink) {
        let mut g = self.lock();
        let call = task.call_id.clone();
        g.ready
            .entry(task.activity.clone())
            .or_default()
            .push_back(call.clone());
        g.wake_one(&task.activity);
        g.tasks.insert(
            call,
            Entry {
                task,
                sink,
                lease: None,
                ready_since: Instant::now(),
            },
        );
    }

    /// Withdraws a call's task.
    pub fn cancel(&self, call_id: &str) {
        self.lock().tasks.remove(call_id);
    }

    /// Leases up to `max` ready tasks; when there are none, `waiting` waits
    /// among the waiters for the next one (registered under the same lock,
    /// so a task that arrives in between wakes it).
    fn take(&self, waiting: &mut Waiting<'_>, worker: &str, max: usize) -> Vec<Leased> {
        let mut g = self.lock();
        waiting.leave(&mut g);
        let got = Self::lease(&mut g, &waiting.activities, worker, max, self.lease);
        if got.is_empty() {
            let id = g.next_waiter;
            g.next_waiter += 1;
            g.waiters.push_back(Waiter {
                id,
                activities: waiting.activities.clone(),
                wake: waiting.wake.clone(),
            });
            waiting.id = Some(id);
        }
        got
    }

    fn lease(
        g: &mut Inner,
        activities: &[String],
        worker: &str,
        max: usize,
        lease: Duration,
    ) -> Vec<Leased> {
        let Inner { ready, tasks, .. } = g;
        let mut out = Vec::new();
        let until = Instant::now() + lease;
        for a in activities {
            let Some(q) = ready.get_mut(a) else { continue };
            while out.len() < max {
                let Some(call) = q.pop_front() else { break };
                let Some(e) = tasks.get_mut(&call) else {
                    continue;
                };
                if e.lease.is_some() || e.task.activity != *a {
                    continue;
                }
                e.lease = Some((worker.to_string(), until));
                out.push(Leased {
                    task_id: task_id(&e.task),
                    task: e.task.clone(),
                    lease_until_ms: epoch_ms(until),
                });
            }
            if out.len() >= max {
                break;
            }
        }
        out
    }

    /// Leases up to `max` tasks of the given activities, waiting up to
    /// `wait` for the first to arrive.
    pub async fn poll(
        &self,
        activities: &[String],
        worker: &str,
        max: usize,
        wait: Duration,
    ) -> Vec<Leased> {
        let max = max.clamp(1, POLL_TASKS_MAX);
        let deadline = tokio::time::Instant::now() + wait.min(POLL_WAIT_MAX);
        let mut waiting = Waiting {
            queue: self,
            activities: activities.into(),
            wake: Arc::new(Notify::new()),
            id: None,
        };
        // As `long_poll`, with the wake-up of one waiter per task.
        loop {
            let got = self.take(&mut waiting, worker, max);
            if !got.is_empty() {
                return got;
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return Vec::new();
            }
            let _ = tokio::time::timeout(deadline - now, waiting.wake.notified()).await;
        }
    }

    fn finish(&self, task_id: &str) -> Result<Entry, TaskError> {
        let (call, attempt) = split_task_id(task_id)?;
        let mut g = self.lock();
        match g.tasks.get(call) {
            Some(e) if e.task.attempt == attempt => Ok(g.tasks.remove(call).expect("present")),
            _ => Err(TaskError::Unknown),
        }
    }

    /// A worker's result for a task.
    pub fn complete(&self, task_id: &str, value: serde_json::Value) -> Result<Task, TaskError> {
        let e = self.finish(task_id)?;
        e.sink.complete(&e.task, value);
        Ok(e.task)
    }

    /// A worker's failure for a task.
    pub fn fail(&self, task_id: &str, error: String, retryable: bool) -> Result<Task, TaskError> {
        let e = self.finish(task_id)?;
        e.sink.fail(&e.task, error, retryable);
        Ok(e.task)
    }

    /// Extends a leased task's lease; returns the new end (epoch ms).
    pub fn heartbeat(&self, task_id: &str) -> Result<i64, TaskError> {
        let (call, attempt) = split_task_id(task_id)?;
        let mut g = self.lock();
        match g.tasks.get_mut(call) {
            Some(e) if e.task.attempt == attempt => {
                let until = Instant::now() + self.lease;
                let worker = e.lease.as_ref().map(|(w, _)| w.clone()).unwrap_or_default();
                e.lease = Some((worker, until));
                Ok(epoch_ms(until))
            }
            _ => Err(TaskError::Unknown),
        }
    }

    /// Whether task `id` is still open (not answered, cancelled or
    /// superseded).
    pub fn is_open(&self, task_id: &str) -> bool {
        let Ok((call, attempt)) = split_task_id(task_id) else {
            return false;
        };
        self.lock()
            .tasks
            .get(call)
            .is_some_and(|e| e.task.attempt == attempt)
    }

    /// Ends the lease of task `id` at once and puts it first in line: its
    /// worker's stream closed before it answered. Returns whether it was
    /// leased.
    pub fn give_back(&self, task_id: &str) -> bool {
        let Ok((call, attempt)) = split_task_id(task_id) else {
            return false;
        };
        let mut g = self.lock();
        let Inner { ready, tasks, .. } = &mut *g;
        let Some(e) = tasks.get_mut(call) else {
            return false;
        };
        if e.task.attempt != attempt || e.lease.is_none() {
            return false;
        }
        e.lease = None;
        e.ready_since = Instant::now();
        let activity = e.task.activity.clone();
        ready
            .entry(activity.clone())
            .or_default()
            .push_front(call.to_string());
        g.wake_one(&activity);
        true
    }

    /// Makes tasks whose lease ended available again; returns how many.
    pub fn expire_leases(&self) -> usize {
        let now = Instant::now();
        let mut g = self.lock();
        let Inner { ready, tasks, .. } = &mut *g;
        let mut again = Vec::new();
        for (call, e) in tasks.iter_mut() {
            if e.lease.as_ref().is_some_and(|(_, until)| *until <= now) {
                e.lease = None;
                e.ready_since = now;
                // Redelivered first: it has waited longest.
                ready
                    .entry(e.task.activity.clone())
                    .or_default()
                    .push_front(call.clone());
                again.push(e.task.activity.clone());
            }
        }
        for activity in &again {
            g.wake_one(activity);
        }
        again.len()
    }

    /// Tasks per activity.
    pub fn depth(&self) -> BTreeMap<String, Depth> {
        let g = self.lock();
        let now = Instant::now();
        let mut out: BTreeMap<String, Depth> = BTreeMap::new();
        for e in g.tasks.values() {
            let d = out.entry(e.task.activity.clone()).or_default();
            if e.lease.is_some() {
                d.leased += 1;
            } else {
                d.ready += 1;
                d.oldest_ready = d.oldest_ready.max(now - e.ready_since);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(call: &str, activity: &str, attempt: u32) -> Task {
        Task {
            call_id: call.into(),
            run_id: "r".into(),
            call: 1,
            activity: activity.into(),
            args: serde_json::json!([]),
            attempt,
            deadline: None,
            callback_token: None,
        }
    }

    /// Results a sink received: (run id, call, value) of completions.
    #[derive(Clone, Default)]
    struct Seen(std::sync::Arc<Mutex<Vec<(String, u32, serde_json::Value)>>>);

    impl Seen {
        fn completed(&self) -> Vec<(String, u32, serde_json::Value)> {
            self.0.lock().unwrap().clone()
        }
    }

    fn sink() -> (ResultSink, Seen) {
        let seen = Seen::default();
        let s = seen.clone();
        let sink = ResultSink::new(move |run, event| {
            if let weft_engine::state::Event::CallCompleted { call, value, .. } = event {
                s.0.lock().unwrap().push((run, call, value));
            }
        });
        (sink, seen)
    }

    #[tokio::test]
    async fn poll_leases_and_complete_reports() {
        let q = Queue::new(Duration::from_secs(30));
        let (s, rx) = sink();
        q.push(task("c1", "A", 1), s.clone());
        q.push(task("c2", "B", 1), s);
        let got = q.poll(&["A".into()], "w", 10, Duration::ZERO).await;
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].task_id, "c1.1");
        // Leased: a second poll does not see it.
        assert!(q
            .poll(&["A".into()], "w2", 10, Duration::ZERO)
            .await
            .is_empty());
        q.complete("c1.1", serde_json::json!(5)).unwrap();
        assert_eq!(
            rx.completed(),
            vec![("r".to_string(), 1, serde_json::json!(5))]
        );
        assert_eq!(
            q.complete("c1.1", serde_json::json!(6)),
            Err(TaskError::Unknown)
        );
        assert_eq!(q.heartbeat("nope"), Err(TaskError::Malformed));
    }

    #[tokio::test]
    async fn expired_leases_come_back_with_the_same_call_id() {
        let q = Queue::new(Duration::from_millis(1));
        let (s, _rx) = sink();
        q.push(task("c1", "A", 1), s);
        let first = q.poll(&["A".into()], "w1", 1, Duration::ZERO).await;
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(q.expire_leases(), 1);
        let again = q.poll(&["A".into()], "w2", 1, Duration::ZERO).await;
        assert_eq!(again[0].task.call_id, first[0].task.call_id);
        assert_eq!(again[0].task_id, first[0].task_id);
    }

    #[tokio::test]
    async fn a_waiting_poll_wakes_when_a_task_arrives() {
        let q = std::sync::Arc::new(Queue::new(Duration::from_secs(30)));
        let waiter = {
            let q = q.clone();
            tokio::spawn(
                async move { q.poll(&["A".into()], "w", 1, Duration::from_secs(10)).await },
            )
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        let (s, _rx) = sink();
        q.push(task("c1", "A", 1), s);
        let got = tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(got.len(), 1);
    }

    /// The loop both queues share: it looks until something is found or
    /// the wait has passed, waits in between, and looks once more at the
    /// end.
    // In paused time (it advances when every task waits), so the counts
    // do not depend on the machine's load.
    #[tokio::test(start_paused = true)]
    async fn long_poll_looks_until_found_or_the_wait_ends() {
        let looks = std::cell::Cell::new(0);
        let found = long_poll(Duration::from_secs(10), || {
            looks.set(looks.get() + 1);
            let got = if looks.get() == 3 {
                vec![Leased {
                    task_id: "c1.1".into(),
                    task: task("c1", "A", 1),
                    lease_until_ms: 0,
                }]
            } else {
                Vec::new()
            };
            async move { (got, |_left: Duration| async {}) }
        })
        .await;
        assert_eq!((looks.get(), found.len()), (3, 1));

        let looks = std::cell::Cell::new(0);
        let waited = std::cell::Cell::new(Duration::ZERO);
        let started = tokio::time::Instant::now();
        let none = long_poll(Duration::from_millis(30), || {
            looks.set(looks.get() + 1);
            let waited = &waited;
            async move {
                let wake = move |left: Duration| async move {
                    let pause = left.min(Duration::from_millis(10));
                    waited.set(waited.get() + pause);
                    tokio::time::sleep(pause).await;
                };
                (Vec::new(), wake)
            }
        })
        .await;
        assert!(none.is_empty());
        assert_eq!(started.elapsed(), Duration::from_millis(30));
        // Never asked to wait past the deadline; a look after the last wait.
        assert_eq!(waited.get(), Duration::from_millis(30));
        assert_eq!(looks.get(), 4);
    }

    #[tokio::test]
    async fn a_newer_attempt_supersedes_and_cancel_withdraws() {
        let q = Queue::new(Duration::from_secs(30));
        let (s, _rx) = sink();
        q.push(task("c1", "A", 1), s.clone());
        q.push(task("c1", "A", 2), s.clone());
        let got = q.poll(&["A".into()], "w", 10, Duration::ZERO).await;
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].task_id, "c1.2");
        assert_eq!(
            q.complete("c1.1", serde_json::json!(1)),
            Err(TaskError::Unknown)
        );
        q.push(task("c2", "A", 1), s);
        q.cancel("c2");
        assert!(q
            .poll(&["A".into()], "w", 10, Duration::ZERO)
            .await
            .is_empty());
        assert_eq!(
            q.depth()["A"],
            Depth {
                ready: 0,
                leased: 1,
                oldest_ready: Duration::ZERO,
            }
        );
    }

    #[tokio::test]
    async fn a_task_given_back_is_leased_again_first() {
        let q = Queue::new(Duration::from_secs(30));
        let (s, _rx) = sink();
        q.push(task("c1", "A", 1), s.clone());
        q.push(task("c2", "A", 1), s);
        let first = q.poll(&["A".into()], "w1", 1, Duration::ZERO).await;
        assert_eq!(first[0].task_id, "c1.1");
        assert!(q.is_open("c1.1"));
        // Not leased, or not this attempt: nothing to give back.
        assert!(!q.give_back("c2.1"));
        assert!(!q.give_back("c1.2"));
        assert!(q.give_back("c1.1"));
        assert!(!q.give_back("c1.1"));
        let again = q.poll(&["A".into()], "w2", 1, Duration::ZERO).await;
        assert_eq!(again[0].task_id, "c1.1");
        q.complete("c1.1", serde_json::json!(1)).unwrap();
        assert!(!q.is_open("c1.1"));
        assert!(!q.give_back("c1.1"));
        assert!(!q.is_open("not-an-id"));
    }

    #[tokio::test]
    async fn depth_tells_the_oldest_ready_task_age() {
        let q = Queue::new(Duration::from_secs(30));
        let s = ResultSink::new(|_, _| {});
        q.push(task("c1", "A", 1), s.clone());
        tokio::time::sleep(Duration::from_millis(30)).await;
        q.push(task("c2", "A", 1), s);
        let d = &q.depth()["A"];
        assert_eq!((d.ready, d.leased), (2, 0));
        assert!(d.oldest_ready >= Duration::from_millis(30), "{d:?}");
        // Leased tasks do not count: c1 goes, c2 is the oldest now.
        assert_eq!(q.poll(&["A".into()], "w", 1, Duration::ZERO).await.len(), 1);
        let d = &q.depth()["A"];
        assert_eq!((d.ready, d.leased), (1, 1));
        assert!(d.oldest_ready < Duration::from_millis(30), "{d:?}");
    }

    /// Polls waiting (in paused time) on `q` for `activities`, spawned in
    /// order, each registered as a waiter before the next is spawned.
    async fn waiting_polls(
        q: &std::sync::Arc<Queue>,
        activities: &[&[&str]],
    ) -> Vec<tokio::task::JoinHandle<Vec<Leased>>> {
        let mut out = Vec::new();
        for acts in activities {
            let (q, acts) = (
                q.clone(),
                acts.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
            );
            out.push(tokio::spawn(async move {
                q.poll(&acts, "w", 10, Duration::from_secs(10)).await
            }));
            tokio::task::yield_now().await;
        }
        out
    }

    // A task wakes the oldest poll waiting for its activity, and only it:
    // the others stay among the waiters, unwoken.
    #[tokio::test(start_paused = true)]
    async fn a_task_wakes_one_waiting_poll_the_oldest_for_its_activity() {
        let q = std::sync::Arc::new(Queue::new(Duration::from_secs(30)));
        let polls = waiting_polls(&q, &[&["B"], &["A", "B"], &["A"]]).await;
        assert_eq!(q.lock().waiters.len(), 3);
        let (s, _rx) = sink();
        q.push(task("c1", "A", 1), s);
        assert_eq!(q.lock().waiters.len(), 2);
        let mut polls = polls.into_iter();
        let (first, second, third) = (
            polls.next().unwrap(),
            polls.next().unwrap(),
            polls.next().unwrap(),
        );
        let got = second.await.unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].task_id, "c1.1");
        // The others saw nothing until their wait ended.
        assert!(first.await.unwrap().is_empty());
        assert!(third.await.unwrap().is_empty());
        assert!(q.lock().waiters.is_empty());
    }

    // A poll woken by a task but gone before it looked (its stream closed)
    // passes the wake-up on: the next waiting poll gets the task at once,
    // not at the end of its wait.
    #[tokio::test(start_paused = true)]
    async fn a_woken_poll_that_goes_away_passes_its_wake_up_on() {
        let q = std::sync::Arc::new(Queue::new(Duration::from_secs(30)));
        let mut polls = waiting_polls(&q, &[&["A"], &["A"]]).await.into_iter();
        let (gone, next) = (polls.next().unwrap(), polls.next().unwrap());
        let started = tokio::time::Instant::now();
        let (s, _rx) = sink();
        q.push(task("c1", "A", 1), s);
        gone.abort();
        assert!(gone.await.unwrap_err().is_cancelled());
        let got = next.await.unwrap();
        assert_eq!(got.len(), 1, "the task waited for the end of the poll");
        assert_eq!(started.elapsed(), Duration::ZERO);
        assert!(q.lock().waiters.is_empty());
    }

    // Tasks given back or out of their lease wake a waiting poll each.
    #[tokio::test(start_paused = true)]
    async fn tasks_given_back_or_expired_wake_waiting_polls() {
        let q = std::sync::Arc::new(Queue::new(Duration::from_secs(30)));
        let (s, _rx) = sink();
        q.push(task("c1", "A", 1), s.clone());
        q.push(task("c2", "A", 1), s);
        assert_eq!(
            q.poll(&["A".into()], "w", 10, Duration::ZERO).await.len(),
            2
        );
        let mut polls = waiting_polls(&q, &[&["A"]]).await;
        assert!(q.give_back("c1.1"));
        let got = polls.pop().unwrap().await.unwrap();
        assert_eq!(got[0].task_id, "c1.1");

        // Leases of no length end at once (they are measured on the
        // machine's clock, which paused time does not move).
        let q = std::sync::Arc::new(Queue::new(Duration::ZERO));
        let (s, _rx) = sink();
        q.push(task("c1", "A", 1), s.clone());
        q.push(task("c2", "A", 1), s);
        assert_eq!(
            q.poll(&["A".into()], "w", 10, Duration::ZERO).await.len(),
            2
        );
        let mut polls = waiting_polls(&q, &[&["A"], &["A"]]).await;
        assert_eq!(q.expire_leases(), 2);
        // Both woken, one for each task.
        assert!(q.lock().waiters.is_empty());
        let (b, a) = (polls.pop().unwrap(), polls.pop().unwrap());
        let got = a.await.unwrap().len() + b.await.unwrap().len();
        assert_eq!(got, 2);
    }
}
