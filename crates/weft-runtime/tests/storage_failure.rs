//! A store that cannot commit (a full disk) is answered at once with its
//! error, counted, and recovered from when it works again; nothing a
//! caller was told failed is committed later, and nothing an activity
//! reported while it failed is lost. A store that commits slowly is
//! waited for, not polled.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use weft_engine::state::{Entry, Status, Task};
use weft_runtime::{Dispatcher, HostError, ResultSink, Runtime};
use weft_store::{
    AuditEntry, AuditQuery, Batch, Deployment, FlowInfo, JournalStep, MemoryStore, NewAudit,
    ParkedRun, Result, RunCount, RunPage, RunQuery, RunRecord, SourceText, Store, StoreError,
    StoredRun, TimerRow, TokenRow,
};

/// A memory store whose commits fail while `full` is set, as SQLite's do on
/// a full disk (reads go on working), and take `commit_ms` each.
#[derive(Default)]
struct FillableStore {
    inner: MemoryStore,
    full: AtomicBool,
    commit_ms: AtomicU64,
}

impl FillableStore {
    fn writable(&self) -> Result<()> {
        if self.full.load(Ordering::SeqCst) {
            return Err(StoreError::Full("database or disk is full".into()));
        }
        Ok(())
    }
}

impl Store for FillableStore {
    fn instance(&self, machine: &str, key: &str) -> Result<Option<weft_store::InstanceRow>> {
        self.inner.instance(machine, key)
    }
    fn commands(
        &self,
        machine: &str,
        key: &str,
        from_seq: i64,
        limit: usize,
    ) -> Result<Vec<weft_store::CommandRecord>> {
        self.inner.commands(machine, key, from_seq, limit)
    }
    fn command_by_id(
        &self,
        machine: &str,
        key: &str,
        command_id: &str,
    ) -> Result<Option<weft_store::CommandRecord>> {
        self.inner.command_by_id(machine, key, command_id)
    }
    fn instance_candidates(
        &self,
        machine: &str,
        probe: Option<&weft_store::machines::IndexProbe>,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<weft_store::Instance>> {
        self.inner.instance_candidates(machine, probe, after, limit)
    }
    fn instances_with_open_commands(&self, limit: usize) -> Result<Vec<(String, String)>> {
        self.inner.instances_with_open_commands(limit)
    }
    fn machine_events(
        &self,
        after: i64,
        limit: usize,
    ) -> Result<Vec<weft_store::StoredMachineEvent>> {
        self.inner.machine_events(after, limit)
    }
    fn taken_event_ids(&self, ids: &[String]) -> Result<Vec<String>> {
        self.inner.taken_event_ids(ids)
    }
    fn events(&self, before: Option<i64>, limit: usize) -> Result<Vec<weft_store::StoredEvent>> {
        self.inner.events(before, limit)
    }
    fn event(&self, id: &str) -> Result<Option<weft_store::StoredEvent>> {
        self.inner.event(id)
    }
    fn schedules(&self) -> Result<Vec<weft_store::ScheduleRow>> {
        self.inner.schedules()
    }
    fn deploy(
        &self,
        files: &[SourceText],
        flows: &[String],
        program: Option<&str>,
        at: i64,
    ) -> Result<Deployment> {
        self.writable()?;
        self.inner.deploy(files, flows, program, at)
    }
    fn set_program(&self, version: i64, program: &str) -> Result<bool> {
        self.writable()?;
        self.inner.set_program(version, program)
    }
    fn versions_without_program(&self) -> Result<Vec<i64>> {
        self.inner.versions_without_program()
    }
    fn park_run(&self, record: &RunRecord, reason: &serde_json::Value, at: i64) -> Result<()> {
        self.writable()?;
        self.inner.park_run(record, reason, at)
    }
    fn unpark_run(&self, record: &RunRecord) -> Result<bool> {
        self.writable()?;
        self.inner.unpark_run(record)
    }
    fn parked_runs(&self) -> Result<Vec<ParkedRun>> {
        self.inner.parked_runs()
    }
    fn cancel_parked_run(&self, record: &RunRecord, journal: &[Entry]) -> Result<bool> {
        self.writable()?;
        self.inner.cancel_parked_run(record, journal)
    }
    fn deployment(&self, version: i64) -> Result<Option<Deployment>> {
        self.inner.deployment(version)
    }
    fn latest_version(&self, flow: &str) -> Result<Option<i64>> {
        self.inner.latest_version(flow)
    }
    fn flows(&self) -> Result<Vec<FlowInfo>> {
        self.inner.flows()
    }
    fn commit(&self, batch: &Batch) -> Result<()> {
        self.writable()?;
        std::thread::sleep(Duration::from_millis(self.commit_ms.load(Ordering::SeqCst)));
        self.inner.commit(batch)
    }
    fn load_run(&self, id: &str) -> Result<Option<StoredRun>> {
        self.inner.load_run(id)
    }
    fn run(&self, id: &str) -> Result<Option<RunRecord>> {
        self.inner.run(id)
    }
    fn list_runs(&self, query: &RunQuery) -> Result<RunPage> {
        self.inner.list_runs(query)
    }
    fn count_by_status(&self) -> Result<Vec<(Status, u64)>> {
        self.inner.count_by_status()
    }
    fn run_counts(&self) -> Result<Vec<RunCount>> {
        self.inner.run_counts()
    }
    fn audit_begin(&self, entry: &NewAudit) -> Result<i64> {
        self.writable()?;
        self.inner.audit_begin(entry)
    }
    fn audit_progress(
        &self,
        id: i64,
        applied: &[String],
        failed: &[(String, String)],
        at: Option<i64>,
    ) -> Result<()> {
        self.writable()?;
        self.inner.audit_progress(id, applied, failed, at)
    }
    fn audit(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
        self.inner.audit(q)
    }
    fn audit_entry(&self, id: i64) -> Result<Option<AuditEntry>> {
        self.inner.audit_entry(id)
    }
    fn journal(&self, run_id: &str) -> Result<Vec<JournalStep>> {
        self.inner.journal(run_id)
    }
    fn journal_page(&self, run_id: &str, from: i64, max: usize) -> Result<Vec<JournalStep>> {
        self.inner.journal_page(run_id, from, max)
    }
    fn run_by_key(&self, key: &str) -> Result<Option<String>> {
        self.inner.run_by_key(key)
    }
    fn due_timers(&self, until: i64, limit: usize) -> Result<Vec<TimerRow>> {
        self.inner.due_timers(until, limit)
    }
    fn next_timer(&self) -> Result<Option<i64>> {
        self.inner.next_timer()
    }
    fn tasks(&self, after: Option<&str>, limit: usize) -> Result<Vec<Task>> {
        self.inner.tasks(after, limit)
    }
    fn token(&self, token: &str) -> Result<Option<TokenRow>> {
        self.inner.token(token)
    }

    fn source_cursor(&self, source: &str) -> Result<Option<String>> {
        self.inner.source_cursor(source)
    }

    fn advance_source_cursor(
        &self,
        source: &str,
        from: Option<&str>,
        to: &str,
        at: i64,
    ) -> Result<bool> {
        self.writable()?;
        self.inner.advance_source_cursor(source, from, to, at)
    }
}

/// Keeps every dispatched task for the test to answer.
#[derive(Default)]
struct Held {
    tasks: Mutex<Vec<(Task, ResultSink)>>,
}

impl Dispatcher for Held {
    fn dispatch(&self, task: Task, sink: ResultSink) {
        self.tasks.lock().unwrap().push((task, sink));
    }
    fn cancel(&self, _: &str) {}
}

const FLOW: &str = "flow F(x) {\n    r = Work(x)\n    Sleep(50ms)\n    return r\n}\n";

async fn wait_for(rt: &Runtime, id: &str, status: Status) -> RunRecord {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(r) = rt.store().run(id).unwrap() {
            if r.status == status {
                return r;
            }
        }
        assert!(
            Instant::now() < deadline,
            "run {id} is not {status:?}: {:?}",
            rt.store().run(id).unwrap()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_store_is_answered_at_once_and_recovered_from() {
    let store = Arc::new(FillableStore::default());
    let held = Arc::new(Held::default());
    let rt = Runtime::start(store.clone(), held.clone()).unwrap();
    rt.deploy(vec![SourceText {
        name: "f.weft".into(),
        text: FLOW.into(),
    }])
    .await
    .unwrap();
    let (a, before) = rt.start_run("F", json!("a"), None).await.unwrap();
    assert_eq!(held.tasks.lock().unwrap().len(), 1);

    store.full.store(true, Ordering::SeqCst);
    // Starts are answered with the store's error at once, many times over.
    for i in 0..20 {
        let t = Instant::now();
        let r = tokio::time::timeout(
            Duration::from_secs(5),
            rt.start_run("F", json!(format!("lost-{i}")), None),
        )
        .await
        .expect("a start on a full store is answered, not held");
        match r {
            Err(HostError::Store(StoreError::Full(m))) => assert!(m.contains("full"), "{m}"),
            other => panic!("expected a full store, got {other:?}"),
        }
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    }
    // An activity's result arriving meanwhile is not lost.
    let (task, sink) = held.tasks.lock().unwrap().remove(0);
    sink.complete(&task, json!("done-a"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        rt.store().run(&a.run_id).unwrap().unwrap(),
        before,
        "nothing was committed while the store was full"
    );
    let m = rt.metrics();
    assert!(m.commit_failures.load(Ordering::Relaxed) >= 20);
    let (_, why) = m.failing().expect("the failure is reported");
    assert!(why.contains("full"), "{why}");

    store.full.store(false, Ordering::SeqCst);
    let done = wait_for(&rt, &a.run_id, Status::Completed).await;
    assert_eq!(done.result, Some(json!("done-a")));
    let (c, _) = rt.start_run("F", json!("c"), None).await.unwrap();
    assert!(m.failing().is_none());
    // Only the runs whose starts succeeded exist: nothing refused was
    // committed later.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let page = rt
        .store()
        .list_runs(&RunQuery {
            limit: 100,
            ..RunQuery::default()
        })
        .unwrap();
    let mut ids: Vec<String> = page.runs.iter().map(|r| r.id.clone()).collect();
    ids.sort();
    let mut want = vec![a.run_id.clone(), c.run_id.clone()];
    want.sort();
    assert_eq!(ids, want);
    rt.shutdown();
}

/// Commits that fail while batches are in flight on the writer thread (a
/// load of concurrent starts): every start is answered, success or the
/// store's error, and exactly the successful ones exist afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_load_every_answer_matches_the_store() {
    let store = Arc::new(FillableStore::default());
    let held = Arc::new(Held::default());
    let rt = Runtime::start(store.clone(), held.clone()).unwrap();
    rt.deploy(vec![SourceText {
        name: "f.weft".into(),
        text: FLOW.into(),
    }])
    .await
    .unwrap();
    let spawn = |from: i64, to: i64| {
        (from..to)
            .map(|i| {
                let rt = rt.clone();
                tokio::spawn(async move {
                    tokio::time::timeout(Duration::from_secs(10), rt.start_run("F", json!(i), None))
                        .await
                        .expect("every start is answered")
                })
            })
            .collect::<Vec<_>>()
    };
    let mut ok = Vec::new();
    let mut failed = 0;
    type Answer = std::result::Result<(weft_runtime::Started, RunRecord), HostError>;
    let mut collect = async |handles: Vec<tokio::task::JoinHandle<Answer>>| {
        let (mut good, mut bad) = (0, 0);
        for h in handles {
            match h.await.unwrap() {
                Ok((s, _)) => {
                    ok.push(s.run_id);
                    good += 1;
                }
                Err(HostError::Store(_)) => bad += 1,
                Err(e) => panic!("{e}"),
            }
        }
        failed += bad;
        (good, bad)
    };
    // Starts in flight when the store fills up, starts while it is full,
    // starts after it has room again.
    let first = spawn(0, 200);
    tokio::time::sleep(Duration::from_millis(2)).await;
    store.full.store(true, Ordering::SeqCst);
    collect(first).await;
    let (good, _) = collect(spawn(200, 400)).await;
    assert_eq!(good, 0, "starts succeeded on a full store");
    store.full.store(false, Ordering::SeqCst);
    let (_, bad) = collect(spawn(400, 600)).await;
    assert_eq!(bad, 0, "starts failed after the store had room again");
    store.full.store(false, Ordering::SeqCst);
    let page = rt
        .store()
        .list_runs(&RunQuery {
            limit: 1000,
            ..RunQuery::default()
        })
        .unwrap();
    let mut stored: Vec<String> = page.runs.iter().map(|r| r.id.clone()).collect();
    stored.sort();
    ok.sort();
    assert_eq!(stored, ok, "{failed} starts failed");
    rt.shutdown();
}

/// Activities answered at once, on another thread, as workers would.
struct Answering;

impl Dispatcher for Answering {
    fn dispatch(&self, task: Task, sink: ResultSink) {
        std::thread::spawn(move || sink.complete(&task, json!("done")));
    }
    fn cancel(&self, _: &str) {}
}

/// With both pipeline places taken by slow commits and more work waiting,
/// the core thread waits for a commit to come back instead of going round
/// its loop with a zero timeout (it did: hundreds of thousands of rounds
/// per commit, a core taken from the writer and the HTTP threads). The
/// bound counts rounds, not time: each round handles a message, a commit
/// or a timer, so a waiting loop goes round a few times per step.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_core_waits_for_slow_commits_instead_of_spinning() {
    const RUNS: usize = 40;
    let store = Arc::new(FillableStore::default());
    let rt = Runtime::start(store.clone(), Arc::new(Answering)).unwrap();
    rt.deploy(vec![SourceText {
        name: "f.weft".into(),
        text: "flow G(x) {\n    a = Work(x)\n    b = Work(a)\n    return b\n}\n".into(),
    }])
    .await
    .unwrap();
    store.commit_ms.store(20, Ordering::SeqCst);
    let m = rt.metrics();
    let before = m.core_rounds.load(Ordering::Relaxed);
    let commits_before = m.commit_seconds.snapshot().2;
    let starts: Vec<_> = (0..RUNS)
        .map(|i| {
            let rt = rt.clone();
            tokio::spawn(async move { rt.start_run("G", json!(i), None).await.unwrap().0 })
        })
        .collect();
    let mut ids = Vec::new();
    for s in starts {
        ids.push(s.await.unwrap().run_id);
    }
    for id in &ids {
        wait_for(&rt, id, Status::Completed).await;
    }
    let rounds = m.core_rounds.load(Ordering::Relaxed) - before;
    let commits = m.commit_seconds.snapshot().2 - commits_before;
    // RUNS starts, 2 × RUNS results, their commits, heartbeats: a few
    // hundred rounds. Spinning through 20 ms commits is many thousands.
    let bound = 20 * (3 * RUNS as u64 + commits);
    assert!(
        rounds < bound,
        "{rounds} core rounds for {RUNS} runs and {commits} commits (bound {bound})"
    );
    rt.shutdown();
}
