//! Three nodes of a cluster in one process, sharing one store: runs start on
//! any node, a worker polls any node, callbacks reach any node, and every
//! run completes once with the right result, no call completed twice and no
//! journal step written twice. The same test runs on the memory store and
//! on PostgreSQL (three stores on one schema, a few hundred runs; skipped
//! without `WEFT_TEST_DATABASE_URL`, failed without it when `CI=true`).
//! (The fault tests with processes killed and PostgreSQL restarted are in
//! weft-cli's tests.)

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use weft_engine::state::{EntryKind, Status};
use weft_server::config::Config;
use weft_store::{ClusterStore, MemoryStore, RunQuery};

/// The PostgreSQL tests' helpers: the test database, a schema per test.
#[path = "../../weft-store-postgres/tests/common/mod.rs"]
mod pg;

const FLOW: &str = r#"
flow Order(input) {
    a = Reserve(input.id)
    Sleep(1s)
    b = flow Charge(a) {
        return Pay(a.v)
    }
    c = await Confirm(b) @timeout(1h)
    return({a: a.v, b: b.v, c: c.v})
}
"#;

fn config() -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data: "unused".into(),
        token: None,
        body_limit_bytes: 1 << 20,
        lease: Duration::from_secs(5),
        push: Default::default(),
        demo: false,
        database: None,
        node: "test".into(),
        poller_stale: weft_server::workers::POLLER_STALE_DEFAULT,
        http: Default::default(),
        plan: None,
        wasm_cache: None,
        sources: Vec::new(),
    }
}

async fn post(client: &reqwest::Client, url: String, body: Value) -> (u16, Value) {
    let resp = client
        .post(url)
        .json(&body)
        .send()
        .await
        .expect("the node answers");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// The runtime the nodes share (a test may set up PostgreSQL first, which
/// must not happen inside a runtime).
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn runs_cross_nodes() {
    let store: Arc<dyn ClusterStore> = Arc::new(MemoryStore::new());
    runtime().block_on(runs_cross(
        [store.clone(), store.clone(), store.clone()],
        24,
    ));
}

#[test]
fn runs_cross_nodes_on_postgres() {
    let Some(db) = pg::db() else { return };
    let schema = db.schema();
    let stores = [(); 3].map(|_| Arc::new(db.store_in(&schema)) as Arc<dyn ClusterStore>);
    runtime().block_on(runs_cross(stores, 300));
}

/// Three nodes, one on each store; `runs` runs.
async fn runs_cross(stores: [Arc<dyn ClusterStore>; 3], runs: i64) {
    let mut nodes = Vec::new();
    for (i, store) in stores.iter().enumerate() {
        let s = weft_server::start_cluster(config(), store.clone(), format!("node{i}"))
            .await
            .expect("a node starts");
        nodes.push(s);
    }
    let urls: Vec<String> = nodes.iter().map(|n| format!("http://{}", n.addr)).collect();
    let client = reqwest::Client::new();
    let (st, _) = post(
        &client,
        format!("{}/v1/flows", urls[0]),
        json!({"source": FLOW}),
    )
    .await;
    assert_eq!(st, 201);

    // A worker that polls a different node each time, and sends callbacks
    // to yet another.
    let worker = {
        let (client, urls) = (client.clone(), urls.clone());
        tokio::spawn(async move {
            let mut turn = 0usize;
            loop {
                turn += 1;
                let node = &urls[turn % 3];
                let (_, got) = post(
                    &client,
                    format!("{node}/v1/tasks/poll"),
                    json!({"activities": ["Reserve", "Pay", "Confirm"], "worker": "w", "max": 10, "waitMs": 200}),
                )
                .await;
                for t in got["tasks"].as_array().cloned().unwrap_or_default() {
                    let args = &t["args"];
                    let value = match t["activity"].as_str().unwrap() {
                        "Reserve" => json!({"v": args[0].as_i64().unwrap() * 2}),
                        "Pay" => json!({"v": args[0].as_i64().unwrap() + 1}),
                        _ => Value::Null,
                    };
                    let id = t["taskId"].as_str().unwrap();
                    let reporter = &urls[(turn + 1) % 3];
                    post(
                        &client,
                        format!("{reporter}/v1/tasks/{id}/complete"),
                        json!({"value": value}),
                    )
                    .await;
                    if let Some(tok) = t["callbackToken"].as_str() {
                        let v = json!({"v": args[0]["v"].as_i64().unwrap() * 10});
                        let other = &urls[(turn + 2) % 3];
                        post(
                            &client,
                            format!("{other}/v1/callbacks/{tok}"),
                            json!({"value": v}),
                        )
                        .await;
                    }
                }
            }
        })
    };

    let mut ids = Vec::new();
    for i in 0..runs {
        let (st, run) = post(
            &client,
            format!("{}/v1/runs", urls[i as usize % 3]),
            json!({"flow": "Order", "input": {"id": i}}),
        )
        .await;
        assert_eq!(st, 201, "{run}");
        ids.push((i, run["id"].as_str().unwrap().to_string()));
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    for (i, id) in &ids {
        loop {
            // Ask any node: they all read the same store.
            let run: Value = client
                .get(format!("{}/v1/runs/{id}", urls[(*i as usize + 2) % 3]))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if run["status"] == "completed" {
                let a = i * 2;
                assert_eq!(
                    run["result"],
                    json!({"a": a, "b": a + 1, "c": (a + 1) * 10}),
                    "run {i}"
                );
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "run {i} stuck: {run}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    worker.abort();
    for n in nodes {
        n.shutdown().await;
    }
    // Once each: as many runs as started (and a child each), no call
    // completed twice, journal steps numbered without gaps or repeats.
    let store = &stores[0];
    let all = store
        .list_runs(&RunQuery {
            limit: 10_000,
            ..RunQuery::default()
        })
        .unwrap()
        .runs;
    assert_eq!(all.len() as i64, 2 * runs, "a run and a child per start");
    assert!(all.iter().all(|r| r.status == Status::Completed));
    for r in &all {
        let journal = store.journal(&r.id).unwrap();
        assert_eq!(
            journal.iter().map(|s| s.step).collect::<Vec<_>>(),
            (1..=journal.len() as i64).collect::<Vec<_>>(),
            "run {}",
            r.id
        );
        let mut completed = HashSet::new();
        for e in journal.iter().flat_map(|s| &s.entries) {
            if let EntryKind::CallCompleted { call_id, .. } = &e.kind {
                assert!(
                    completed.insert(call_id.clone()),
                    "{call_id} completed twice"
                );
            }
        }
    }
}

/// An activity bound by `@http`: deployed through one node, called by the
/// nodes' pushers for runs started on another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_bound_activities_are_called_by_the_nodes() {
    // The endpoint: answers `{"double": n * 2}` for GET /double/{n}.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut buf = vec![0u8; 4096];
                let n = sock.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
                let n: i64 = path.rsplit('/').next().unwrap_or("0").parse().unwrap_or(0);
                let body = json!({"double": n * 2}).to_string();
                let resp = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(resp.as_bytes()).await;
            });
        }
    });
    let store = Arc::new(MemoryStore::new());
    let mut nodes = Vec::new();
    for i in 0..2 {
        nodes.push(
            weft_server::start_cluster(
                config(),
                store.clone() as Arc<dyn ClusterStore>,
                format!("node{i}"),
            )
            .await
            .expect("a node starts"),
        );
    }
    let urls: Vec<String> = nodes.iter().map(|n| format!("http://{}", n.addr)).collect();
    let client = reqwest::Client::new();
    let source = format!(
        "activity Double(n: int) -> {{double: int}} @http(method: \"GET\", url: \"{endpoint}/double/{{n}}\")\nflow D(n) {{ return Double(n).double }}\n"
    );
    let (st, body) = post(
        &client,
        format!("{}/v1/flows", urls[0]),
        json!({"source": source}),
    )
    .await;
    assert_eq!(st, 201, "{body}");
    let (st, run) = post(
        &client,
        format!("{}/v1/runs", urls[1]),
        json!({"flow": "D", "input": 21, "wait": "20s"}),
    )
    .await;
    assert_eq!(st, 201, "{run}");
    assert_eq!(run["status"], "completed", "{run}");
    assert_eq!(run["result"], json!(42), "{run}");
    for n in nodes {
        n.shutdown().await;
    }
}

/// A store that goes away right after it takes a callback: reads of runs
/// and tasks then fail as a server restarting would make them fail.
struct AwayAfterCallback {
    inner: Arc<MemoryStore>,
    away: std::sync::atomic::AtomicBool,
}

impl AwayAfterCallback {
    fn check(&self, what: &str) -> weft_store::Result<()> {
        if self.away.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(weft_store::StoreError::Io(format!(
                "{what}: the database system is shutting down"
            )));
        }
        Ok(())
    }
}

impl weft_store::Store for AwayAfterCallback {
    fn deploy(
        &self,
        files: &[weft_store::SourceText],
        flows: &[String],
        program: Option<&str>,
        at: i64,
    ) -> weft_store::Result<weft_store::Deployment> {
        self.inner.deploy(files, flows, program, at)
    }
    fn set_program(&self, version: i64, program: &str) -> weft_store::Result<bool> {
        self.inner.set_program(version, program)
    }
    fn versions_without_program(&self) -> weft_store::Result<Vec<i64>> {
        self.inner.versions_without_program()
    }
    fn park_run(
        &self,
        record: &weft_store::RunRecord,
        reason: &serde_json::Value,
        at: i64,
    ) -> weft_store::Result<()> {
        self.inner.park_run(record, reason, at)
    }
    fn unpark_run(&self, record: &weft_store::RunRecord) -> weft_store::Result<bool> {
        self.inner.unpark_run(record)
    }
    fn parked_runs(&self) -> weft_store::Result<Vec<weft_store::ParkedRun>> {
        self.inner.parked_runs()
    }
    fn cancel_parked_run(
        &self,
        record: &weft_store::RunRecord,
        journal: &[weft_engine::state::Entry],
    ) -> weft_store::Result<bool> {
        self.inner.cancel_parked_run(record, journal)
    }
    fn deployment(&self, version: i64) -> weft_store::Result<Option<weft_store::Deployment>> {
        self.inner.deployment(version)
    }
    fn latest_version(&self, flow: &str) -> weft_store::Result<Option<i64>> {
        self.inner.latest_version(flow)
    }
    fn flows(&self) -> weft_store::Result<Vec<weft_store::FlowInfo>> {
        self.inner.flows()
    }
    fn commit(&self, batch: &weft_store::Batch) -> weft_store::Result<()> {
        self.inner.commit(batch)
    }
    fn load_run(&self, id: &str) -> weft_store::Result<Option<weft_store::StoredRun>> {
        self.check("load run")?;
        self.inner.load_run(id)
    }
    fn run(&self, id: &str) -> weft_store::Result<Option<weft_store::RunRecord>> {
        self.check("run")?;
        self.inner.run(id)
    }
    fn list_runs(&self, query: &RunQuery) -> weft_store::Result<weft_store::RunPage> {
        self.inner.list_runs(query)
    }
    fn count_by_status(&self) -> weft_store::Result<Vec<(Status, u64)>> {
        self.inner.count_by_status()
    }
    fn journal(&self, run_id: &str) -> weft_store::Result<Vec<weft_store::JournalStep>> {
        self.inner.journal(run_id)
    }
    fn journal_page(
        &self,
        run_id: &str,
        from_step: i64,
        steps_max: usize,
    ) -> weft_store::Result<Vec<weft_store::JournalStep>> {
        self.inner.journal_page(run_id, from_step, steps_max)
    }
    fn run_by_key(&self, key: &str) -> weft_store::Result<Option<String>> {
        self.inner.run_by_key(key)
    }
    fn due_timers(
        &self,
        until: i64,
        limit: usize,
    ) -> weft_store::Result<Vec<weft_store::TimerRow>> {
        self.inner.due_timers(until, limit)
    }
    fn next_timer(&self) -> weft_store::Result<Option<i64>> {
        self.inner.next_timer()
    }
    fn tasks(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> weft_store::Result<Vec<weft_engine::Task>> {
        self.inner.tasks(after, limit)
    }
    fn token(&self, token: &str) -> weft_store::Result<Option<weft_store::TokenRow>> {
        self.inner.token(token)
    }
    fn source_cursor(&self, source: &str) -> weft_store::Result<Option<String>> {
        self.inner.source_cursor(source)
    }
    fn advance_source_cursor(
        &self,
        source: &str,
        from: Option<&str>,
        to: &str,
        at: i64,
    ) -> weft_store::Result<bool> {
        self.inner.advance_source_cursor(source, from, to, at)
    }
    fn run_counts(&self) -> weft_store::Result<Vec<weft_store::RunCount>> {
        self.inner.run_counts()
    }
    fn audit_begin(&self, entry: &weft_store::NewAudit) -> weft_store::Result<i64> {
        self.inner.audit_begin(entry)
    }
    fn audit_progress(
        &self,
        id: i64,
        applied: &[String],
        failed: &[(String, String)],
        done: Option<i64>,
    ) -> weft_store::Result<()> {
        self.inner.audit_progress(id, applied, failed, done)
    }
    fn audit(&self, q: &weft_store::AuditQuery) -> weft_store::Result<Vec<weft_store::AuditEntry>> {
        self.inner.audit(q)
    }
    fn audit_entry(&self, id: i64) -> weft_store::Result<Option<weft_store::AuditEntry>> {
        self.inner.audit_entry(id)
    }
    fn instance(
        &self,
        machine: &str,
        key: &str,
    ) -> weft_store::Result<Option<weft_store::InstanceRow>> {
        self.inner.instance(machine, key)
    }
    fn commands(
        &self,
        machine: &str,
        key: &str,
        from_seq: i64,
        limit: usize,
    ) -> weft_store::Result<Vec<weft_store::CommandRecord>> {
        self.inner.commands(machine, key, from_seq, limit)
    }
    fn command_by_id(
        &self,
        machine: &str,
        key: &str,
        command_id: &str,
    ) -> weft_store::Result<Option<weft_store::CommandRecord>> {
        self.inner.command_by_id(machine, key, command_id)
    }
    fn instance_candidates(
        &self,
        machine: &str,
        probe: Option<&weft_store::machines::IndexProbe>,
        after: Option<&str>,
        limit: usize,
    ) -> weft_store::Result<Vec<weft_store::Instance>> {
        self.inner.instance_candidates(machine, probe, after, limit)
    }
    fn instances_with_open_commands(
        &self,
        limit: usize,
    ) -> weft_store::Result<Vec<(String, String)>> {
        self.inner.instances_with_open_commands(limit)
    }
    fn machine_events(
        &self,
        after: i64,
        limit: usize,
    ) -> weft_store::Result<Vec<weft_store::StoredMachineEvent>> {
        self.inner.machine_events(after, limit)
    }
    fn taken_event_ids(&self, ids: &[String]) -> weft_store::Result<Vec<String>> {
        self.inner.taken_event_ids(ids)
    }
    fn events(
        &self,
        before: Option<i64>,
        limit: usize,
    ) -> weft_store::Result<Vec<weft_store::StoredEvent>> {
        self.inner.events(before, limit)
    }
    fn event(&self, id: &str) -> weft_store::Result<Option<weft_store::StoredEvent>> {
        self.inner.event(id)
    }
    fn schedules(&self) -> weft_store::Result<Vec<weft_store::ScheduleRow>> {
        self.inner.schedules()
    }
}

impl ClusterStore for AwayAfterCallback {
    fn claim_run(
        &self,
        node: &str,
        run_id: &str,
        now: i64,
        lease_ms: i64,
    ) -> weft_store::Result<Option<weft_store::Claim>> {
        self.inner.claim_run(node, run_id, now, lease_ms)
    }
    fn claim_runs_with_work(
        &self,
        node: &str,
        now: i64,
        lease_ms: i64,
        limit: usize,
    ) -> weft_store::Result<Vec<weft_store::Claim>> {
        self.check("claim runs with work")?;
        self.inner.claim_runs_with_work(node, now, lease_ms, limit)
    }
    fn renew(
        &self,
        node: &str,
        claims: &[weft_store::Claim],
        now: i64,
        lease_ms: i64,
    ) -> weft_store::Result<Vec<String>> {
        self.inner.renew(node, claims, now, lease_ms)
    }
    fn release(&self, node: &str, claims: &[weft_store::Claim]) -> weft_store::Result<()> {
        self.inner.release(node, claims)
    }
    fn enqueue(&self, run_id: &str, event: &weft_engine::Event) -> weft_store::Result<()> {
        self.inner.enqueue(run_id, event)
    }
    fn enqueue_callback(
        &self,
        token: &str,
        value: &Value,
    ) -> weft_store::Result<weft_store::CallbackOutcome> {
        let out = self.inner.enqueue_callback(token, value)?;
        self.away.store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(out)
    }
    fn inbox(&self, run_id: &str) -> weft_store::Result<Vec<weft_store::InboxEvent>> {
        self.inner.inbox(run_id)
    }
    fn due_timers_of(
        &self,
        run_id: &str,
        now: i64,
    ) -> weft_store::Result<Vec<weft_store::TimerRow>> {
        self.inner.due_timers_of(run_id, now)
    }
    fn lease_tasks(
        &self,
        node: &str,
        activities: &[String],
        worker: &str,
        max: usize,
        now: i64,
        lease_ms: i64,
    ) -> weft_store::Result<Vec<weft_store::LeasedTask>> {
        self.inner
            .lease_tasks(node, activities, worker, max, now, lease_ms)
    }
    fn heartbeat_task(
        &self,
        call_id: &str,
        attempt: u32,
        now: i64,
        lease_ms: i64,
    ) -> weft_store::Result<Option<i64>> {
        self.check("heartbeat task")?;
        self.inner.heartbeat_task(call_id, attempt, now, lease_ms)
    }
    fn task(&self, call_id: &str, attempt: u32) -> weft_store::Result<Option<weft_engine::Task>> {
        self.check("task")?;
        self.inner.task(call_id, attempt)
    }
    fn wait_for_work(&self, timeout: Duration) -> weft_store::Result<bool> {
        self.inner.wait_for_work(timeout)
    }
    fn queue_depths(&self, now: i64) -> weft_store::Result<Vec<weft_store::QueueDepth>> {
        self.inner.queue_depths(now)
    }
    fn record_polls(
        &self,
        node: &str,
        worker: &str,
        activities: &[String],
        now: i64,
    ) -> weft_store::Result<()> {
        self.inner.record_polls(node, worker, activities, now)
    }
    fn pollers(&self, since: i64) -> weft_store::Result<Vec<weft_store::Poller>> {
        self.inner.pollers(since)
    }
    fn claim_instance(
        &self,
        node: &str,
        machine: &str,
        key: &str,
        now: i64,
        lease_ms: i64,
    ) -> weft_store::Result<Option<i64>> {
        self.inner.claim_instance(node, machine, key, now, lease_ms)
    }
    fn claim_instances_with_work(
        &self,
        node: &str,
        now: i64,
        lease_ms: i64,
        limit: usize,
    ) -> weft_store::Result<Vec<weft_store::machines::InstanceClaim>> {
        self.inner
            .claim_instances_with_work(node, now, lease_ms, limit)
    }
    fn renew_instances(
        &self,
        node: &str,
        claims: &[weft_store::machines::InstanceClaim],
        now: i64,
        lease_ms: i64,
    ) -> weft_store::Result<Vec<weft_store::machines::InstanceClaim>> {
        self.inner.renew_instances(node, claims, now, lease_ms)
    }
    fn release_instances(
        &self,
        node: &str,
        claims: &[weft_store::machines::InstanceClaim],
    ) -> weft_store::Result<()> {
        self.inner.release_instances(node, claims)
    }
    fn instance_inbox(
        &self,
        machine: &str,
        key: &str,
    ) -> weft_store::Result<Vec<weft_store::machines::InstanceInboxEvent>> {
        self.inner.instance_inbox(machine, key)
    }
}

/// A callback taken by one node for a run another node holds is accepted
/// once the store has it, even if the store cannot be read a moment later;
/// and a store that cannot be read is answered 503, never 404 (a worker or
/// a caller told "no such token" or "no such task" would give up on work
/// that exists).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_that_goes_away_is_503_never_404() {
    let shared = Arc::new(MemoryStore::new());
    let flaky = Arc::new(AwayAfterCallback {
        inner: shared.clone(),
        away: Default::default(),
    });
    let holder = weft_server::start_cluster(config(), shared.clone(), "holder".into())
        .await
        .expect("a node starts");
    let other = weft_server::start_cluster(config(), flaky.clone(), "other".into())
        .await
        .expect("a node starts");
    let (h, o) = (
        format!("http://{}", holder.addr),
        format!("http://{}", other.addr),
    );
    let client = reqwest::Client::new();
    let (st, _) = post(
        &client,
        format!("{h}/v1/flows"),
        json!({"source": "flow Ask(x) {\n    c = await Confirm(x) @timeout(1h)\n    return c\n}\n"}),
    )
    .await;
    assert_eq!(st, 201);
    let (st, run) = post(
        &client,
        format!("{h}/v1/runs"),
        json!({"flow": "Ask", "input": 1}),
    )
    .await;
    assert_eq!(st, 201, "{run}");
    let id = run["id"].as_str().unwrap().to_string();

    let mut token = None;
    for _ in 0..100 {
        let (_, got) = post(
            &client,
            format!("{h}/v1/tasks/poll"),
            json!({"activities": ["Confirm"], "worker": "w", "max": 1, "waitMs": 100}),
        )
        .await;
        if let Some(t) = got["tasks"].as_array().and_then(|t| t.first()) {
            token = t["callbackToken"].as_str().map(str::to_string);
            break;
        }
    }
    let token = token.expect("the awaited call's task, with its token");
    // A node that is not serving holds the run for two seconds, so the
    // callback must go through the store's inbox.
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64
    };
    let mut held = false;
    for _ in 0..200 {
        if shared
            .claim_run("ghost", &id, now(), 2_000)
            .unwrap()
            .is_some()
        {
            held = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(held, "the holder lets the waiting run go");

    let (st, body) = post(
        &client,
        format!("{o}/v1/callbacks/{token}"),
        json!({"value": {"ok": true}}),
    )
    .await;
    assert_eq!(
        st, 200,
        "the callback was queued before the store went away: {body}"
    );
    let (st, body) = post(
        &client,
        format!("{o}/v1/tasks/{}.1/complete", "01ABC-1"),
        json!({"value": 1}),
    )
    .await;
    assert_eq!(st, 503, "{body}");
    assert_eq!(body["error"]["code"], "storage_failed", "{body}");

    // The holder takes the queued callback and finishes the run.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let run: Value = client
            .get(format!("{h}/v1/runs/{id}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if run["status"] == "completed" {
            assert_eq!(run["result"], json!({"ok": true}));
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "stuck: {run}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    holder.shutdown().await;
    other.shutdown().await;
}
