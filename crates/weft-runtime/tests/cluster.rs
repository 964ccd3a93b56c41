//! Several nodes share one cluster store, in virtual time: runs start on any
//! node, workers lease tasks from the store and report to any node,
//! callbacks arrive at any node, nodes crash (losing what they had not
//! committed) and come back under new names, nodes stall past their leases
//! with steps not yet committed (the store must refuse those when others
//! took the runs over). Every run must complete once, with the right
//! result, and no call may be recorded as completed twice.
//!
//! The same worlds run on the memory store and on PostgreSQL (each node
//! with a store of its own on one schema; skipped without
//! `WEFT_TEST_DATABASE_URL`, failed without it when `CI=true`): stores
//! decide leases with the caller's clock, so virtual time works on both.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use serde_json::{json, Value};
use weft_engine::state::{EntryKind, Event, Status};
use weft_runtime::host::{Cluster, CommandRequest};
use weft_runtime::ids::SeededEntropy;
use weft_runtime::{Host, HostError};
use weft_store::{ClusterStore, MemoryStore, RunQuery, SourceText, StoreError};

/// The PostgreSQL tests' helpers: the test database, a schema per test.
#[path = "../../weft-store-postgres/tests/common/mod.rs"]
mod pg;

const FLOW: &str = r#"
flow Order(input) {
    a = Reserve(input.id) @retry(5)
    Sleep(2s)
    b = flow Charge(a) {
        return Pay(a.v)
    }
    c = await Confirm(b) @timeout(1h)
    d = Ship(c.v)
    return({a: a.v, b: b.v, c: c.v, d: d.v})
}
"#;

/// How long a node's claim lasts, and a worker's task lease.
const LEASE_MS: i64 = 3_000;
const TASK_LEASE_MS: i64 = 2_000;
/// One tick of virtual time.
const TICK_MS: i64 = 100;

fn expected(id: i64) -> Value {
    let a = id * 2;
    let b = a + 1;
    let c = b * 10;
    json!({"a": a, "b": b, "c": c, "d": c - 3})
}

/// What an activity answers: depends only on the activity and arguments.
fn answer(activity: &str, args: &Value) -> Value {
    let n = |v: &Value| v.as_i64().unwrap_or(0);
    match activity {
        "Reserve" => json!({"v": n(&args[0]) * 2}),
        "Pay" => json!({"v": n(&args[0]) + 1}),
        "Confirm" => json!({"v": n(&args[0]["v"]) * 10}),
        "Ship" => json!({"v": n(&args[0]) - 3}),
        other => panic!("unexpected activity {other}"),
    }
}

/// Something scheduled to happen at a virtual time.
enum Due {
    Event(String, Event),
    Callback(String, Value),
    /// A client sends a command (again, when it had no answer).
    Command(CommandRequest),
}

/// Makes a node's store; every store it makes shares one database.
type MakeStore<'a> = &'a dyn Fn() -> Arc<dyn ClusterStore>;

struct World {
    /// Each node's store (a node that crashes comes back on the same one).
    stores: Vec<Arc<dyn ClusterStore>>,
    nodes: Vec<Option<Host>>,
    names: Vec<String>,
    now: i64,
    rng: u64,
    due: BTreeMap<(i64, u64), Due>,
    seq: u64,
    crashes: usize,
    conflicts: usize,
    /// Until when each node is stalled (a long pause, a partition): it does
    /// nothing, then goes on with what it had.
    stalled_until: Vec<i64>,
    stalls: usize,
    /// Callbacks each node accepted since its last commit: its answer to the
    /// caller waits for that commit, so if the node dies the caller, having
    /// no answer, sends the callback again.
    unanswered: Vec<Vec<(String, Value)>>,
    /// Commands each node accepted since its last commit: likewise, their
    /// senders send them again (with the same command id) when the node
    /// dies or its batch is refused.
    unanswered_commands: Vec<Vec<CommandRequest>>,
}

impl World {
    fn rand(&mut self) -> u64 {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.rng
    }

    fn host(store: &Arc<dyn ClusterStore>, name: &str, seed: u64) -> Host {
        let cluster = Cluster {
            store: store.clone(),
            node: name.to_string(),
            lease_ms: LEASE_MS,
        };
        Host::new_cluster(cluster, Box::new(SeededEntropy(seed)))
    }

    fn stalled(&self, i: usize) -> bool {
        self.stalled_until[i] > self.now
    }

    /// A node that runs (not stalled).
    fn live(&mut self) -> usize {
        loop {
            let i = (self.rand() % self.nodes.len() as u64) as usize;
            if self.nodes[i].is_some() && !self.stalled(i) {
                return i;
            }
        }
    }

    /// The callers of callbacks a node accepted but never answered (its
    /// batch was lost or refused) send them again.
    fn resend_unanswered(&mut self, i: usize) {
        for (token, value) in std::mem::take(&mut self.unanswered[i]) {
            let at = self.now + 500;
            self.schedule(at, Due::Callback(token, value));
        }
        for req in std::mem::take(&mut self.unanswered_commands[i]) {
            let at = self.now + 500;
            self.schedule(at, Due::Command(req));
        }
    }

    fn schedule(&mut self, at: i64, d: Due) {
        self.seq += 1;
        self.due.insert((at, self.seq), d);
    }

    /// Commits a node's batch; a stale claim refuses the batch and the
    /// node starts over from the store, as the runtime does.
    fn flush(&mut self, i: usize) {
        if self.stalled(i) {
            return;
        }
        let Some(h) = self.nodes[i].as_mut() else {
            return;
        };
        while h.has_work() {
            let (no, batch, _effects) = h.take_batch();
            match self.stores[i].commit(&batch) {
                Ok(()) => h.committed(no),
                Err(StoreError::Conflict(_)) => {
                    self.conflicts += 1;
                    self.resend_unanswered(i);
                    let seed = self.rng;
                    self.nodes[i] = Some(Self::host(&self.stores[i], &self.names[i], seed));
                    return;
                }
                Err(e) => panic!("commit failed: {e}"),
            }
        }
        self.unanswered[i].clear();
        self.unanswered_commands[i].clear();
    }

    fn crash(&mut self, i: usize) {
        self.crashes += 1;
        // The process dies with whatever it had not committed; it comes back
        // as a new node, and its claims expire on their own.
        let name = format!("node{i}-restart{}", self.crashes);
        self.resend_unanswered(i);
        self.stalled_until[i] = 0;
        let seed = self.rand();
        self.names[i] = name.clone();
        self.nodes[i] = Some(Self::host(&self.stores[i], &name, seed));
    }
}

/// The worlds' seeds: `CLUSTER_SEEDS=N` adds N more (a longer search).
fn seeds() -> impl Iterator<Item = u64> {
    let extra: u64 = std::env::var("CLUSTER_SEEDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    [1u64, 7, 42].into_iter().chain(100..100 + extra)
}

#[test]
fn runs_finish_once_across_nodes_that_crash() {
    for seed in seeds() {
        let store: Arc<dyn ClusterStore> = Arc::new(MemoryStore::new());
        run_world(seed, &|| store.clone());
    }
}

#[test]
fn runs_finish_once_across_nodes_that_crash_on_postgres() {
    let Some(db) = pg::db() else { return };
    for seed in seeds() {
        let schema = db.schema();
        run_world(seed, &|| Arc::new(db.store_in(&schema)));
    }
}

fn run_world(seed: u64, make: MakeStore<'_>) {
    const RUNS: i64 = 40;
    let store = make();
    let stores: Vec<Arc<dyn ClusterStore>> = (0..3).map(|_| make()).collect();
    let names: Vec<String> = (0..3).map(|i| format!("node{i}")).collect();
    let mut w = World {
        nodes: names
            .iter()
            .zip(&stores)
            .enumerate()
            .map(|(i, (n, s))| Some(World::host(s, n, seed + i as u64)))
            .collect(),
        stores,
        names,
        now: 1_000_000,
        rng: seed * 2654435761 + 1,
        due: BTreeMap::new(),
        seq: 0,
        crashes: 0,
        conflicts: 0,
        stalled_until: vec![0; 3],
        stalls: 0,
        unanswered: vec![Vec::new(); 3],
        unanswered_commands: vec![Vec::new(); 3],
    };
    w.nodes[0]
        .as_mut()
        .unwrap()
        .deploy(
            &[SourceText {
                name: "order.weft".into(),
                text: FLOW.into(),
            }],
            w.now,
        )
        .unwrap();
    let mut ids = HashMap::new();
    for id in 0..RUNS {
        let i = w.live();
        let now = w.now;
        let started = w.nodes[i]
            .as_mut()
            .unwrap()
            .start_run("Order", json!({"id": id}), Some(format!("k{id}")), now)
            .unwrap();
        ids.insert(started.run_id, id);
        w.flush(i);
    }
    let mut leased_before: HashMap<String, HashSet<String>> = HashMap::new();
    let deadline = w.now + 600_000;
    loop {
        w.now += TICK_MS;
        // Due answers and callbacks reach a random live node.
        let now = w.now;
        let ready: Vec<(i64, u64)> = w.due.range(..(now + 1, 0)).map(|(k, _)| *k).collect();
        for k in ready {
            let d = w.due.remove(&k).unwrap();
            let i = w.live();
            let h = w.nodes[i].as_mut().unwrap();
            match d {
                Due::Event(run, event) => match h.deliver(&run, event, now) {
                    Ok(()) => {}
                    Err(HostError::UnknownRun(_)) => panic!("run {run} vanished"),
                    Err(e) => panic!("deliver failed: {e}"),
                },
                Due::Callback(token, value) => match h.callback(&token, value.clone(), now) {
                    Ok(_) => w.unanswered[i].push((token, value)),
                    // Spent: an earlier delivery of this callback won.
                    Err(HostError::Callback(_)) => {}
                    Err(e) => panic!("callback failed: {e}"),
                },
                Due::Command(_) => unreachable!("no machines here"),
            }
        }
        // Every node looks for work and renews its claims.
        for i in 0..w.nodes.len() {
            if w.stalled(i) {
                continue;
            }
            if let Some(h) = w.nodes[i].as_mut() {
                h.claim_work(now).unwrap();
                h.renew_claims(now).unwrap();
            }
        }
        // Sometimes a node dies before it commits.
        // Every world crashes a node at 1.5 s, while runs are mid-flight,
        // and a few more times at random.
        let forced = now == 1_000_000 + 1_500;
        if forced || (w.crashes < 6 && w.rand().is_multiple_of(40)) {
            let i = w.live();
            w.crash(i);
        }
        // Sometimes a node stalls for longer than its lease, with steps it
        // has not committed; when it goes on, others may have taken its
        // runs over, and the store must refuse its batch.
        if w.stalls < 3 && w.stalled_until.iter().all(|&u| u <= now) && w.rand().is_multiple_of(25)
        {
            let i = w.live();
            w.stalls += 1;
            w.stalled_until[i] = now + LEASE_MS + 2_000;
        }
        for i in 0..w.nodes.len() {
            w.flush(i);
        }
        // Workers lease tasks from the store and answer a bit later.
        let acts: Vec<String> = ["Reserve", "Pay", "Confirm", "Ship"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for lt in store
            .lease_tasks("any", &acts, "worker", 50, now, TASK_LEASE_MS)
            .unwrap()
        {
            let t = lt.task;
            leased_before
                .entry(format!("{}#{}", t.run_id, t.call))
                .or_default()
                .insert(t.call_id.clone());
            // The first attempt of Reserve fails, so retries cross nodes too.
            let ev = if t.activity == "Reserve" && t.attempt == 1 {
                Event::CallFailed {
                    call: t.call,
                    attempt: t.attempt,
                    error: "busy".into(),
                    retryable: true,
                }
            } else {
                let value = if t.callback_token.is_some() {
                    Value::Null
                } else {
                    answer(&t.activity, &t.args)
                };
                Event::CallCompleted {
                    call: t.call,
                    attempt: t.attempt,
                    value,
                }
            };
            let delay = 50 + (w.rand() % 300) as i64;
            w.schedule(now + delay, Due::Event(t.run_id.clone(), ev));
            if let Some(tok) = t.callback_token {
                let v = answer(&t.activity, &t.args);
                w.schedule(now + delay + 1_000, Due::Callback(tok, v));
            }
        }
        let done = store
            .list_runs(&RunQuery {
                status: Some(Status::Completed),
                parent: None,
                limit: 10_000,
                ..Default::default()
            })
            .unwrap()
            .runs
            .iter()
            .filter(|r| r.parent.is_none())
            .count();
        if done as i64 == RUNS {
            break;
        }
        if w.now >= deadline {
            for r in store
                .list_runs(&RunQuery {
                    limit: 10_000,
                    ..Default::default()
                })
                .unwrap()
                .runs
            {
                if r.status != Status::Completed {
                    eprintln!(
                        "STUCK {} {} {:?} parent={:?} waiting={} pos={:?}",
                        r.id, r.flow, r.status, r.parent, r.waiting, r.position
                    );
                    for st in store.journal(&r.id).unwrap() {
                        for e in st.entries {
                            eprintln!("    {} {:?}", st.step, e.kind);
                        }
                    }
                    eprintln!("    inbox: {:?}", store.inbox(&r.id).unwrap());
                    eprintln!(
                        "    timers: {:?}",
                        store.due_timers_of(&r.id, i64::MAX).unwrap()
                    );
                }
            }
            eprintln!("tasks: {:?}", store.tasks(None, 100).unwrap());
            panic!(
                "seed {seed}: only {done} of {RUNS} runs completed ({} crashes)",
                w.crashes
            );
        }
    }
    // Every run: the right result, once; no call completed twice.
    let all = store
        .list_runs(&RunQuery {
            limit: 10_000,
            ..Default::default()
        })
        .unwrap()
        .runs;
    let roots: Vec<_> = all.iter().filter(|r| r.parent.is_none()).collect();
    assert_eq!(roots.len() as i64, RUNS, "no duplicate runs");
    for r in &roots {
        let id = ids[&r.id];
        assert_eq!(
            r.result.as_ref(),
            Some(&expected(id)),
            "seed {seed}: run {id}"
        );
    }
    for r in &all {
        let mut completed = HashSet::new();
        for step in store.journal(&r.id).unwrap() {
            for e in step.entries {
                if let EntryKind::CallCompleted { call_id, .. } = e.kind {
                    assert!(
                        completed.insert(call_id.clone()),
                        "seed {seed}: {call_id} completed twice"
                    );
                }
            }
        }
    }
    // A call keeps its id whoever leases it and however often.
    for (call, ids) in &leased_before {
        assert_eq!(ids.len(), 1, "seed {seed}: call {call} had ids {ids:?}");
    }
    eprintln!(
        "seed {seed}: {RUNS} runs completed at +{} s with {} crashes, {} stalls and {} refused \
         batches",
        (w.now - 1_000_000) / 1000,
        w.crashes,
        w.stalls,
        w.conflicts
    );
    assert!(w.crashes > 0, "seed {seed}: the test should crash nodes");
}

/// A run whose inline sub-flow finishes at once is created and stepped
/// again (by the child's end) in one batch; the store must take the batch.
#[test]
fn a_sub_flow_that_finishes_at_once_commits_with_its_parent() {
    let store: Arc<dyn ClusterStore> = Arc::new(MemoryStore::new());
    let mut h = World::host(&store, "node0", 1);
    let src = "flow P(x) {\n    c = flow C(x) {\n        return x\n    }\n    return c\n}\n";
    h.deploy(
        &[SourceText {
            name: "p.weft".into(),
            text: src.into(),
        }],
        0,
    )
    .unwrap();
    let started = h.start_run("P", json!(7), None, 0).unwrap();
    let (no, batch, _) = h.take_batch();
    store.commit(&batch).expect("the store takes the batch");
    h.committed(no);
    let rec = store.run(&started.run_id).unwrap().unwrap();
    assert_eq!(rec.status, Status::Completed);
    assert_eq!(rec.result, Some(json!(7)));
}

// ----- machines -----

const MACHINE: &str = r#"
machine Counter {
    state { total: number = 0, adds: int = 0 }
    command Add(input: {n: number}) {
        return {total: state.total + input.n, adds: state.adds + 1}
    }
    command Slow(input: {n: number}) {
        w = Weigh(input.n)
        return {total: state.total + w.v, adds: state.adds + 1}
    }
}

flow Send(input) {
    r = Counter(input.key).Add({n: input.n})
    return r.version
}
"#;

const KEYS: i64 = 4;
const COMMANDS: i64 = 120;
const FLOWS: i64 = 16;

fn command(i: i64) -> CommandRequest {
    CommandRequest {
        machine: "Counter".into(),
        key: format!("k{}", i % KEYS),
        command: if i % 3 == 0 { "Slow" } else { "Add" }.into(),
        input: json!({"n": i + 1}),
        command_id: Some(format!("c{i}")),
        reply: None,
    }
}

/// Commands to a few keys arrive at any node, some twice with the same id,
/// some from flows; some handlers call an activity (so their runs cross
/// nodes while the instance waits); nodes crash and stall. Every instance
/// must end with the exact total: each command applied once, in one order
/// per key, every version with its command.
#[test]
fn machine_commands_apply_once_across_nodes_that_crash() {
    for seed in seeds() {
        let store: Arc<dyn ClusterStore> = Arc::new(MemoryStore::new());
        machine_world(seed, &|| store.clone());
    }
}

#[test]
fn machine_commands_apply_once_across_nodes_that_crash_on_postgres() {
    let Some(db) = pg::db() else { return };
    for seed in seeds() {
        let schema = db.schema();
        machine_world(seed, &|| Arc::new(db.store_in(&schema)));
    }
}

fn machine_world(seed: u64, make: MakeStore<'_>) {
    let store = make();
    let stores: Vec<Arc<dyn ClusterStore>> = (0..3).map(|_| make()).collect();
    let names: Vec<String> = (0..3).map(|i| format!("node{i}")).collect();
    let start = 1_000_000;
    let mut w = World {
        nodes: names
            .iter()
            .zip(&stores)
            .enumerate()
            .map(|(i, (n, s))| Some(World::host(s, n, seed + i as u64)))
            .collect(),
        stores,
        names,
        now: start,
        rng: seed * 2654435761 + 1,
        due: BTreeMap::new(),
        seq: 0,
        crashes: 0,
        conflicts: 0,
        stalled_until: vec![0; 3],
        stalls: 0,
        unanswered: vec![Vec::new(); 3],
        unanswered_commands: vec![Vec::new(); 3],
    };
    w.nodes[0]
        .as_mut()
        .unwrap()
        .deploy(
            &[SourceText {
                name: "counter.weft".into(),
                text: MACHINE.into(),
            }],
            w.now,
        )
        .unwrap();
    w.flush(0);
    // Commands arrive over the first 4 s; a quarter of them again later.
    let mut want: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for i in 0..COMMANDS {
        let at = start + (w.rand() % 4_000) as i64;
        w.schedule(at, Due::Command(command(i)));
        if i % 4 == 1 {
            let again = at + 50 + (w.rand() % 3_000) as i64;
            w.schedule(again, Due::Command(command(i)));
        }
        let n = if i % 3 == 0 { 2 * (i + 1) } else { i + 1 };
        let e = want.entry(format!("k{}", i % KEYS)).or_default();
        e.0 += n;
        e.1 += 1;
    }
    // Flows send commands too: each adds 1000 + j once.
    let mut flows = Vec::new();
    for j in 0..FLOWS {
        let i = w.live();
        let now = w.now;
        let key = format!("k{}", j % KEYS);
        let started = w.nodes[i]
            .as_mut()
            .unwrap()
            .start_run(
                "Send",
                json!({"key": key, "n": 1000 + j}),
                Some(format!("f{j}")),
                now,
            )
            .unwrap();
        flows.push(started.run_id);
        let e = want.entry(key).or_default();
        e.0 += 1000 + j;
        e.1 += 1;
        w.flush(i);
    }
    let deadline = w.now + 600_000;
    loop {
        w.now += TICK_MS;
        let now = w.now;
        let ready: Vec<(i64, u64)> = w.due.range(..(now + 1, 0)).map(|(k, _)| *k).collect();
        for k in ready {
            let d = w.due.remove(&k).unwrap();
            let i = w.live();
            let h = w.nodes[i].as_mut().unwrap();
            match d {
                Due::Event(run, event) => match h.deliver(&run, event, now) {
                    Ok(()) => {}
                    Err(HostError::UnknownRun(_)) => panic!("run {run} vanished"),
                    Err(e) => panic!("deliver failed: {e}"),
                },
                Due::Callback(..) => unreachable!("no callbacks here"),
                Due::Command(req) => match h.send_command(req.clone(), now) {
                    Ok(_) => w.unanswered_commands[i].push(req),
                    Err(e) => panic!("seed {seed}: sending {req:?} failed: {e}"),
                },
            }
        }
        for i in 0..w.nodes.len() {
            if w.stalled(i) {
                continue;
            }
            if let Some(h) = w.nodes[i].as_mut() {
                h.claim_work(now).unwrap();
                h.renew_claims(now).unwrap();
            }
        }
        let forced = now == start + 1_500;
        if forced || (w.crashes < 6 && w.rand().is_multiple_of(40)) {
            let i = w.live();
            w.crash(i);
        }
        if w.stalls < 3 && w.stalled_until.iter().all(|&u| u <= now) && w.rand().is_multiple_of(25)
        {
            let i = w.live();
            w.stalls += 1;
            w.stalled_until[i] = now + LEASE_MS + 2_000;
        }
        for i in 0..w.nodes.len() {
            w.flush(i);
        }
        // Workers answer Weigh: twice its argument.
        for lt in store
            .lease_tasks(
                "any",
                &["Weigh".to_string()],
                "worker",
                50,
                now,
                TASK_LEASE_MS,
            )
            .unwrap()
        {
            let t = lt.task;
            let ev = Event::CallCompleted {
                call: t.call,
                attempt: t.attempt,
                value: json!({"v": t.args[0].as_i64().unwrap() * 2}),
            };
            let delay = 50 + (w.rand() % 300) as i64;
            w.schedule(now + delay, Due::Event(t.run_id.clone(), ev));
        }
        let settled = w.due.is_empty()
            && want.iter().all(|(key, (_, count))| {
                store
                    .instance("Counter", key)
                    .unwrap()
                    .is_some_and(|r| r.instance.version == *count && r.finished + 1 == r.next_seq)
            })
            && flows.iter().all(|id| {
                store
                    .run(id)
                    .unwrap()
                    .is_some_and(|r| r.status == Status::Completed)
            });
        if settled {
            break;
        }
        if w.now >= deadline {
            for key in want.keys() {
                eprintln!("{key}: {:?}", store.instance("Counter", key).unwrap());
                for c in store.commands("Counter", key, 1, 1_000).unwrap() {
                    eprintln!(
                        "    {} {} {:?} run={:?}",
                        c.seq, c.command_id, c.status, c.run_id
                    );
                }
            }
            panic!(
                "seed {seed}: the commands did not settle ({} crashes)",
                w.crashes
            );
        }
    }
    // Exact totals; each command once, versions 1..=N in order.
    let mut applied_ids = HashSet::new();
    for (key, (total, count)) in &want {
        let row = store.instance("Counter", key).unwrap().unwrap();
        assert_eq!(
            row.instance.state,
            json!({"total": total, "adds": count}),
            "seed {seed}: {key}"
        );
        let history = store.commands("Counter", key, 1, 10_000).unwrap();
        let versions: Vec<i64> = history.iter().filter_map(|c| c.version).collect();
        assert_eq!(
            versions,
            (1..=*count).collect::<Vec<_>>(),
            "seed {seed}: {key}"
        );
        for c in &history {
            assert_eq!(c.status, weft_store::CommandStatus::Applied, "{c:?}");
            assert!(
                applied_ids.insert(c.command_id.clone()),
                "seed {seed}: command {} applied twice",
                c.command_id
            );
        }
    }
    assert_eq!(applied_ids.len() as i64, COMMANDS + FLOWS);
    for id in &flows {
        let r = store.run(id).unwrap().unwrap();
        assert!(
            r.result.as_ref().is_some_and(|v| v.as_i64().is_some()),
            "{r:?}"
        );
    }
    // One event per version.
    let events = store.machine_events(0, 10_000).unwrap();
    assert_eq!(events.len() as i64, COMMANDS + FLOWS, "seed {seed}");
    eprintln!(
        "seed {seed}: {} commands applied at +{} s with {} crashes, {} stalls and {} refused \
         batches",
        COMMANDS + FLOWS,
        (w.now - start) / 1000,
        w.crashes,
        w.stalls,
        w.conflicts
    );
    assert!(w.crashes > 0, "seed {seed}: the test should crash nodes");
}

// ----- schedules -----

const TICKING: &str = r#"
flow Tick(x) {
    return x
}

sdk.Schedule({name: "tick", every: 1m, run: "Tick", overlap: "allow", catchup: "all", catchupMax: 5})
"#;

#[test]
fn a_schedule_fires_once_across_three_nodes() {
    for seed in seeds() {
        let store: Arc<dyn ClusterStore> = Arc::new(MemoryStore::new());
        schedule_world(seed, &|| store.clone());
    }
}

#[test]
fn a_schedule_fires_once_across_three_nodes_on_postgres() {
    let Some(db) = pg::db() else { return };
    for seed in seeds() {
        let schema = db.schema();
        schedule_world(seed, &|| Arc::new(db.store_in(&schema)));
    }
}

/// Three nodes look for due schedules every tick, in a random order, and
/// each builds its batch before any commits (the race a cluster has when
/// every node polls at the same instant); a node whose batch is refused
/// starts over from the store. Every minute's fire must start exactly one
/// run.
fn schedule_world(seed: u64, make: MakeStore<'_>) {
    const MINUTES: i64 = 30;
    let stores: Vec<Arc<dyn ClusterStore>> = (0..3).map(|_| make()).collect();
    let mut nodes: Vec<Host> = stores
        .iter()
        .enumerate()
        .map(|(i, s)| World::host(s, &format!("node{i}"), seed + i as u64))
        .collect();
    let start = 60_000 * 1_000;
    nodes[0]
        .deploy(
            &[SourceText {
                name: "tick.weft".into(),
                text: TICKING.into(),
            }],
            start,
        )
        .unwrap();
    let (no, batch, _) = nodes[0].take_batch();
    stores[0].commit(&batch).unwrap();
    nodes[0].committed(no);
    let mut rng = seed * 2654435761 + 1;
    let mut refused = 0;
    let mut now = start;
    while now < start + MINUTES * 60_000 + 1 {
        now += 7_000;
        let mut order = [0usize, 1, 2];
        for i in (1..3).rev() {
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            order.swap(i, (rng >> 33) as usize % (i + 1));
        }
        let mut built = Vec::new();
        for &i in &order {
            nodes[i].forget_schedule_times();
            nodes[i].fire_due_schedules(now).unwrap();
            built.push((i, nodes[i].take_batch()));
        }
        for (i, (no, batch, _)) in built {
            match stores[i].commit(&batch) {
                Ok(()) => nodes[i].committed(no),
                Err(StoreError::Conflict(_)) => {
                    refused += 1;
                    nodes[i] = nodes[i].restart(Box::new(SeededEntropy(seed + 10)));
                }
                Err(e) => panic!("seed {seed}: {e}"),
            }
        }
    }
    let runs = stores[0]
        .list_runs(&RunQuery {
            flow: Some("Tick".into()),
            limit: 10_000,
            ..RunQuery::default()
        })
        .unwrap()
        .runs;
    let mut ats: Vec<i64> = runs
        .iter()
        .map(|r| r.input["at"].as_i64().unwrap())
        .collect();
    ats.sort_unstable();
    let expected: Vec<i64> = (1..=MINUTES).map(|m| start + m * 60_000).collect();
    assert_eq!(ats, expected, "seed {seed}: one run per minute");
    assert!(refused > 0, "seed {seed}: the nodes never raced");
    let row = stores[0].schedules().unwrap().remove(0);
    assert_eq!(row.fires, MINUTES, "seed {seed}");
}
