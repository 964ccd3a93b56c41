//! Golden data: runs that released builds left waiting, finished by this
//! build.
//!
//! Each directory of `tests/golden/` was made by one release's `weft`
//! binary with `scripts/make-golden.sh` (its README says which commit and
//! what each run waits for): a data directory (`sqlite/`) and a dump of a
//! PostgreSQL schema (`postgres/`) in which the flows of `flows/` have
//! runs waiting inside loops, in ParallelForEach branches, on callbacks,
//! timers and sub-flows, with a retry's back-off armed and one failed for
//! an operator. `plan.json` says what was done to each run before the
//! server stopped and what to do now; `expected.json` is what the same
//! steps did to a control run of the same build that never stopped: where
//! it stood at each step, its journal (with the source line of every call)
//! and its result.
//!
//! The tests start this build's `weft serve` on a copy of each set, do the
//! remaining steps, and require exactly the control's positions, journals
//! and results. A later release adds a directory; nothing here changes.
//!
//! PostgreSQL sets need `WEFT_TEST_DATABASE_URL` (`.ci/run` sets it);
//! without it the test says why it skips, and with `CI=true` it fails.
//!
//! `make_golden` (ignored) is the maker that `scripts/make-golden.sh` runs
//! with another build's binary.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{now_ms, Launch, Server, TempDir};

/// Longest wait for one step of a plan (a task to appear, a run to reach a
/// state), beyond the time until a timer the runs wait for comes due.
const STEP_WAIT_MAX: Duration = Duration::from_secs(60);

fn golden_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

// ----- the plan -----

#[derive(Clone, Debug)]
enum Action {
    /// Wait for the run's status and for what the run and its sub-flows
    /// wait for (a multiset of `callback A`, `task A`, `timer`, `child F`).
    Until {
        status: Option<String>,
        waiting: Option<Vec<String>>,
    },
    /// Complete the task of this activity (of the run or a sub-flow).
    Complete { activity: String, value: Value },
    /// Fail the task of this activity.
    Fail {
        activity: String,
        error: String,
        retryable: bool,
    },
    /// Post the callback of the awaited call of this activity.
    Callback { activity: String, value: Value },
    /// An operator's retry.
    Retry,
}

#[derive(Clone, Debug)]
struct RunPlan {
    name: String,
    flow: String,
    input: Value,
    golden: Value,
    control: Value,
    made: Vec<Action>,
    resume: Vec<Action>,
}

impl RunPlan {
    /// The input with `extra`'s fields over it.
    fn input_with(&self, extra: &Value) -> Value {
        let mut input = self.input.clone();
        if let (Some(o), Some(e)) = (input.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                o.insert(k.clone(), v.clone());
            }
        }
        input
    }
}

struct Plan {
    files: Vec<String>,
    runs: Vec<RunPlan>,
}

fn parse_plan(v: &Value) -> Plan {
    let str_of = |v: &Value, what: &str| -> String {
        v.as_str()
            .unwrap_or_else(|| panic!("plan: {what} is not text: {v}"))
            .to_string()
    };
    let actions = |v: &Value| -> Vec<Action> {
        v.as_array()
            .unwrap_or_else(|| panic!("plan: steps are not a list: {v}"))
            .iter()
            .map(|a| {
                if let Some(u) = a.get("until") {
                    Action::Until {
                        status: u.get("status").map(|s| str_of(s, "status")),
                        waiting: u.get("waiting").map(|w| {
                            let mut w: Vec<String> = w
                                .as_array()
                                .expect("`waiting` is a list")
                                .iter()
                                .map(|x| str_of(x, "a wait"))
                                .collect();
                            w.sort();
                            w
                        }),
                    }
                } else if let Some(act) = a.get("complete") {
                    Action::Complete {
                        activity: str_of(act, "complete"),
                        value: a["value"].clone(),
                    }
                } else if let Some(act) = a.get("fail") {
                    Action::Fail {
                        activity: str_of(act, "fail"),
                        error: str_of(&a["error"], "error"),
                        retryable: a["retryable"].as_bool().unwrap_or(true),
                    }
                } else if let Some(act) = a.get("callback") {
                    Action::Callback {
                        activity: str_of(act, "callback"),
                        value: a["value"].clone(),
                    }
                } else if a.get("retry").is_some() {
                    Action::Retry
                } else {
                    panic!("plan: unknown step {a}")
                }
            })
            .collect()
    };
    Plan {
        files: v["files"]
            .as_array()
            .expect("plan: `files` is a list")
            .iter()
            .map(|f| str_of(f, "a file"))
            .collect(),
        runs: v["runs"]
            .as_array()
            .expect("plan: `runs` is a list")
            .iter()
            .map(|r| RunPlan {
                name: str_of(&r["name"], "name"),
                flow: str_of(&r["flow"], "flow"),
                input: r["input"].clone(),
                golden: r.get("golden").cloned().unwrap_or(json!({})),
                control: r.get("control").cloned().unwrap_or(json!({})),
                made: actions(&r["made"]),
                resume: actions(&r["resume"]),
            })
            .collect(),
    }
}

async fn get_json(client: &reqwest::Client, url: &str) -> Value {
    let r = client
        .get(url)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = r.status();
    let body = r.text().await.unwrap_or_default();
    assert!(status.is_success(), "GET {url}: {status}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {url}: not JSON ({e}): {body}"))
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

// ----- driving a server -----

/// Where a run stood at an `until` step.
fn checkpoint(record: &Value) -> Value {
    json!({"status": record["status"], "position": record.get("position").cloned().unwrap_or(Value::Null)})
}

struct Driver {
    client: reqwest::Client,
    url: String,
}

impl Driver {
    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .client
            .post(format!("{}{path}", self.url))
            .json(&body)
            .timeout(Duration::from_secs(70))
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        let status = r.status().as_u16();
        let text = r.text().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn run(&self, id: &str) -> Value {
        get_json(&self.client, &format!("{}/v1/runs/{id}", self.url)).await
    }

    /// The run and its sub-flows (and theirs), the run first.
    async fn tree(&self, id: &str) -> Vec<Value> {
        let mut out = vec![self.run(id).await];
        let mut i = 0;
        while i < out.len() {
            let parent = out[i]["id"].as_str().expect("a run has an id").to_string();
            let page = get_json(
                &self.client,
                &format!("{}/v1/runs?parent={parent}&limit=100", self.url),
            )
            .await;
            out.extend(page["runs"].as_array().cloned().unwrap_or_default());
            i += 1;
        }
        out
    }

    async fn journal(&self, id: &str) -> Value {
        get_json(&self.client, &format!("{}/v1/runs/{id}/journal", self.url)).await
    }

    /// Journal entries of the whole tree.
    async fn entries(&self, id: &str) -> usize {
        let mut n = 0;
        for r in self.tree(id).await {
            let j = self.journal(r["id"].as_str().unwrap()).await;
            n += steps_of(&j).iter().map(|s| s.len()).sum::<usize>();
        }
        n
    }

    /// What the tree waits for, normalised and sorted; and when the
    /// latest timer it waits for comes due (epoch ms).
    async fn waits(&self, id: &str) -> (Vec<String>, i64) {
        let mut out = Vec::new();
        let mut latest = 0;
        for r in self.tree(id).await {
            for w in r["waitingFor"].as_array().cloned().unwrap_or_default() {
                out.push(wait_name(&w));
                if w["kind"] == "timer" {
                    if let Some(t) = w["until"].as_str().and_then(weft_engine::time::parse_time) {
                        latest = latest.max(t);
                    }
                }
            }
        }
        out.sort();
        (out, latest)
    }

    /// How long a step may wait: [`STEP_WAIT_MAX`] past the latest timer
    /// the tree waits for.
    async fn deadline(&self, id: &str) -> Instant {
        let (_, latest) = self.waits(id).await;
        let ahead = Duration::from_millis((latest - now_ms()).max(0) as u64);
        Instant::now() + ahead + STEP_WAIT_MAX
    }

    /// Does one step of a plan; an `until` returns where the run stood.
    async fn act(&self, label: &str, id: &str, action: &Action) -> Option<Value> {
        let deadline = self.deadline(id).await;
        match action {
            Action::Until { status, waiting } => loop {
                let rec = self.run(id).await;
                let (waits, _) = self.waits(id).await;
                let status_ok = status.as_ref().is_none_or(|s| rec["status"] == *s);
                let waits_ok = waiting.as_ref().is_none_or(|w| *w == waits);
                if status_ok && waits_ok {
                    return Some(checkpoint(&rec));
                }
                assert!(
                    Instant::now() < deadline,
                    "{label}: run {id} did not reach {action:?}: it is {} waiting for {waits:?}: {rec}",
                    rec["status"]
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            },
            Action::Complete { activity, .. } | Action::Fail { activity, .. } => {
                let task = self.task(label, id, activity, deadline).await;
                let before = self.entries(id).await;
                let task_id = task["taskId"].as_str().expect("a task has an id");
                let (path, body) = match action {
                    Action::Complete { value, .. } => (
                        format!("/v1/tasks/{task_id}/complete"),
                        json!({"value": value}),
                    ),
                    Action::Fail {
                        error, retryable, ..
                    } => (
                        format!("/v1/tasks/{task_id}/fail"),
                        json!({"error": error, "retryable": retryable}),
                    ),
                    _ => unreachable!("matched above"),
                };
                let (status, body) = self.post(&path, body).await;
                assert_eq!(status, 200, "{label}: {path}: {body}");
                self.grown(label, id, before, deadline).await;
                None
            }
            Action::Callback { activity, value } => {
                let token = loop {
                    let mut found = None;
                    for r in self.tree(id).await {
                        for w in r["waitingFor"].as_array().cloned().unwrap_or_default() {
                            if w["activity"] == *activity && w["callback"] == true {
                                found = w["token"].as_str().map(str::to_string);
                            }
                        }
                    }
                    if let Some(t) = found {
                        break t;
                    }
                    assert!(
                        Instant::now() < deadline,
                        "{label}: run {id} never waited for a callback of {activity}"
                    );
                    tokio::time::sleep(Duration::from_millis(50)).await;
                };
                let before = self.entries(id).await;
                let (status, body) = self
                    .post(&format!("/v1/callbacks/{token}"), json!({"value": value}))
                    .await;
                assert!(
                    (200..300).contains(&status),
                    "{label}: callback of {activity}: {status} {body}"
                );
                self.grown(label, id, before, deadline).await;
                None
            }
            Action::Retry => {
                let before = self.entries(id).await;
                let (status, body) = self.post(&format!("/v1/runs/{id}/retry"), json!({})).await;
                assert_eq!(status, 200, "{label}: retry: {body}");
                self.grown(label, id, before, deadline).await;
                None
            }
        }
    }

    /// The next task of `activity`, which must belong to the run's tree
    /// (each flow of the plan calls activities of its own).
    async fn task(&self, label: &str, id: &str, activity: &str, deadline: Instant) -> Value {
        loop {
            let (status, body) = self
                .post(
                    "/v1/tasks/poll",
                    json!({"activities": [activity], "worker": "golden", "max": 1, "waitMs": 1000}),
                )
                .await;
            assert_eq!(status, 200, "{label}: poll: {body}");
            if let Some(task) = body["tasks"].as_array().and_then(|t| t.first()) {
                let run = task["runId"].as_str().unwrap_or_default();
                let tree = self.tree(id).await;
                assert!(
                    tree.iter().any(|r| r["id"] == run),
                    "{label}: a task of {activity} for run {run}, not of run {id} or its sub-flows: \
                     the plan's flows must call activities of their own"
                );
                return task.clone();
            }
            assert!(
                Instant::now() < deadline,
                "{label}: no task of {activity} for run {id} came"
            );
        }
    }

    /// Waits until the tree's journal has more than `before` entries: the
    /// step just taken was applied and committed.
    async fn grown(&self, label: &str, id: &str, before: usize, deadline: Instant) {
        while self.entries(id).await <= before {
            assert!(
                Instant::now() < deadline,
                "{label}: run {id}: the step changed nothing"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The outcome to compare: status, result, and each run's journal in
    /// the tree (by flow, the run first), normalised.
    async fn outcome(&self, id: &str) -> Value {
        let tree = self.tree(id).await;
        let mut journals: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for r in &tree {
            let j = self.journal(r["id"].as_str().unwrap()).await;
            let steps: Vec<Value> = steps_of(&j)
                .iter()
                .map(|s| Value::Array(s.iter().map(normalise).collect()))
                .collect();
            journals
                .entry(r["flow"].as_str().unwrap_or("?").to_string())
                .or_default()
                .push(Value::Array(steps));
        }
        json!({
            "status": tree[0]["status"],
            "result": tree[0].get("result").cloned().unwrap_or(Value::Null),
            "journals": journals,
        })
    }
}

/// The journal's entries grouped by step (the API lists them flat, each
/// with its step).
fn steps_of(journal: &Value) -> Vec<Vec<Value>> {
    let mut steps: Vec<Vec<Value>> = Vec::new();
    let mut last = None;
    for e in journal["entries"].as_array().cloned().unwrap_or_default() {
        let step = e["step"].as_i64();
        if last != Some(step) || steps.is_empty() {
            steps.push(Vec::new());
            last = Some(step);
        }
        steps.last_mut().expect("pushed above").push(e);
    }
    steps
}

fn wait_name(w: &Value) -> String {
    match w["kind"].as_str() {
        Some("activity") if w["callback"] == true => {
            format!("callback {}", w["activity"].as_str().unwrap_or("?"))
        }
        Some("activity") => format!("task {}", w["activity"].as_str().unwrap_or("?")),
        Some("timer") => "timer".into(),
        Some("child") => format!("child {}", w["flow"].as_str().unwrap_or("?")),
        _ => w.to_string(),
    }
}

/// A journal entry without what differs between two runs of the same
/// steps: times, ids, tokens, machine keys, and the input (the control's
/// timers are shorter). Source lines, arguments, values and attempts stay.
fn normalise(e: &Value) -> Value {
    let mut e = e.clone();
    if let Some(o) = e.as_object_mut() {
        for k in [
            "at",
            "step",
            "callId",
            "runId",
            "until",
            "durationMs",
            "token",
        ] {
            o.remove(k);
        }
        if let Some(r) = o.remove("retryAt") {
            o.insert("retries".into(), json!(!r.is_null()));
        }
        // A machine's key is the run's own (control and golden runs change
        // two instances), in the command's arguments and its answer.
        if o.get("activity")
            .and_then(Value::as_str)
            .is_some_and(|a| a.starts_with("machine:"))
        {
            if let Some(Value::Array(args)) = o.get_mut("args") {
                if !args.is_empty() {
                    args[0] = json!("KEY");
                }
            }
            if let Some(Value::Object(v)) = o.get_mut("value") {
                v.remove("key");
            }
        }
        match o.get("type").and_then(Value::as_str) {
            Some("started") => {
                o.remove("input");
            }
            Some("now") => {
                o.remove("value");
            }
            _ => {}
        }
    }
    e
}

async fn deploy(d: &Driver, flows: &Path, files: &[String]) {
    let files: Vec<Value> = files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(flows.join(f))
                .unwrap_or_else(|e| panic!("{}: {e}", flows.join(f).display()));
            json!({"name": f, "text": text})
        })
        .collect();
    let (status, body) = d.post("/v1/flows", json!({ "files": files })).await;
    assert_eq!(status, 201, "deploy: {body}");
}

async fn start_run(d: &Driver, flow: &str, input: Value) -> String {
    let (status, body) = d
        .post("/v1/runs", json!({"flow": flow, "input": input}))
        .await;
    assert!(status == 201 || status == 200, "start {flow}: {body}");
    body["id"]
        .as_str()
        .or_else(|| body["run"]["id"].as_str())
        .unwrap_or_else(|| panic!("start {flow}: no run id in {body}"))
        .to_string()
}

// ----- finishing golden runs with this build -----

/// A golden set: its directory, plan and expectations.
struct Set {
    dir: PathBuf,
    name: String,
    plan: Plan,
    expected: Value,
}

fn sets() -> Vec<Set> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(golden_root())
        .expect("tests/golden exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "tests/golden holds at least one set");
    dirs.into_iter()
        .map(|dir| Set {
            name: dir.file_name().unwrap().to_string_lossy().to_string(),
            plan: parse_plan(&read_json(&dir.join("plan.json"))),
            expected: read_json(&dir.join("expected.json")),
            dir,
        })
        .collect()
}

/// Finishes every run of a set on a server started on its data, and
/// compares each with the control run.
async fn finish(label: &str, d: &Driver, set: &Set, ids: &Value) {
    for run in &set.plan.runs {
        let label = format!("{label} {}", run.name);
        let id = ids[&run.name]
            .as_str()
            .unwrap_or_else(|| panic!("{label}: runs.json names no run"));
        let want = &set.expected[&run.name];
        let started = Instant::now();
        let mut got = Vec::new();
        for action in &run.resume {
            if let Some(c) = d.act(&label, id, action).await {
                got.push(c);
            }
        }
        assert_eq!(
            Value::Array(got),
            want["resume"],
            "{label}: where the run stood after each step differs from the control run"
        );
        let outcome = d.outcome(id).await;
        assert_eq!(
            outcome["status"], want["outcome"]["status"],
            "{label}: {outcome}"
        );
        assert_eq!(
            outcome["result"], want["outcome"]["result"],
            "{label}: the result differs from the control run's"
        );
        assert_eq!(
            outcome["journals"], want["outcome"]["journals"],
            "{label}: the journal differs from the control run's:\n got: {}\nwant: {}",
            outcome["journals"], want["outcome"]["journals"]
        );
        eprintln!("{label}: finished in {:?}", started.elapsed());
    }
}

/// Before a server starts on it (and fires the timers that came due), the
/// runs of a data directory read back with `weft runs list` as the earlier
/// build left them.
fn check_left_as_made(label: &str, data: &Path, set: &Set, ids: &Value) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(["runs", "list", "--json", "--limit", "1000", "--data"])
        .arg(data)
        .output()
        .expect("weft runs list runs");
    assert!(
        out.status.success(),
        "{label}: weft runs list: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Value = serde_json::from_slice(&out.stdout).expect("runs list --json is JSON");
    let runs = listed["runs"].as_array().expect("a list of runs");
    for run in &set.plan.runs {
        let id = &ids[&run.name];
        let rec = runs
            .iter()
            .find(|r| r["id"] == *id)
            .unwrap_or_else(|| panic!("{label} {}: run {id} is not listed", run.name));
        let made = set.expected[&run.name]["made"]
            .as_array()
            .and_then(|m| m.last())
            .cloned()
            .unwrap_or(Value::Null);
        let status = match rec["status"].as_str() {
            Some(s) => json!(s),
            None => rec["status"].clone(),
        };
        assert_eq!(
            json!({"status": status, "position": rec.get("position").cloned().unwrap_or(Value::Null)}),
            made,
            "{label} {}: the run does not read back as it was left: {rec}",
            run.name
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn golden_sqlite_runs_finish_as_their_control_runs_did() {
    let client = reqwest::Client::new();
    for set in sets() {
        let home = TempDir::new(&format!("golden-{}", set.name));
        let data = home.join("data");
        copy_dir(&set.dir.join("sqlite"), &data);
        let ids = read_json(&data.join("runs.json"));
        let label = format!("{} (SQLite)", set.name);
        check_left_as_made(&label, &data, &set, &ids);
        let mut server = Server::start(Launch::data(home.path())).await;
        let d = Driver {
            client: client.clone(),
            url: server.url.clone(),
        };
        finish(&label, &d, &set, &ids).await;
        server.terminate();
        check_migrated(&label, &data);
    }
}

/// The earlier build's data directory was migrated to this build's schema
/// (each step from the version it had) and given a store id, and `weft
/// doctor` finds it sound.
fn check_migrated(label: &str, data: &Path) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_weft"))
        .arg("doctor")
        .arg(data)
        .output()
        .expect("weft doctor runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{label}: weft doctor: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let schema = format!(
        "schema version {}",
        weft_store_sqlite::schema::SCHEMA_VERSION
    );
    assert!(text.contains(&schema), "{label}: {text}");
    assert!(
        text.contains("(the database and weft.id agree)"),
        "{label}: {text}"
    );
    assert!(text.contains("0 problem(s)"), "{label}: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn golden_postgres_runs_finish_as_their_control_runs_did() {
    let Some(base) = pg::database() else {
        return;
    };
    let client = reqwest::Client::new();
    for set in sets() {
        let dump = std::fs::read_to_string(set.dir.join("postgres/dump.sql"))
            .expect("postgres/dump.sql is readable");
        let ids = read_json(&set.dir.join("postgres/runs.json"));
        let schema = pg::Schema::restore(&base, &format!("golden_{}", set.name), &dump);
        let mut server = Server::start(Launch::database(&schema.url, "golden")).await;
        let d = Driver {
            client: client.clone(),
            url: server.url.clone(),
        };
        finish(&format!("{} (PostgreSQL)", set.name), &d, &set, &ids).await;
        server.terminate();
    }
}

// ----- making a golden set with another build -----

/// The schema the maker writes in (renamed when a test restores it).
const MAKE_SCHEMA: &str = "weft_golden_src";

/// Makes a golden set with the binary `WEFT_GOLDEN_BINARY` into
/// `WEFT_GOLDEN_OUT` (see `scripts/make-golden.sh`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "makes golden data with another build: scripts/make-golden.sh"]
async fn make_golden() {
    let bin = PathBuf::from(std::env::var("WEFT_GOLDEN_BINARY").expect("WEFT_GOLDEN_BINARY"));
    let out = PathBuf::from(std::env::var("WEFT_GOLDEN_OUT").expect("WEFT_GOLDEN_OUT"));
    let base = std::env::var(pg::URL_VAR)
        .unwrap_or_else(|_| panic!("{} is needed for the PostgreSQL set", pg::URL_VAR));
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/golden");
    let plan_json = read_json(&source.join("plan.json"));
    let plan = parse_plan(&plan_json);
    std::fs::create_dir_all(out.join("flows")).unwrap();
    for f in &plan.files {
        std::fs::copy(source.join(f), out.join("flows").join(f)).unwrap();
    }
    std::fs::write(
        out.join("plan.json"),
        serde_json::to_string_pretty(&plan_json).unwrap() + "\n",
    )
    .unwrap();
    let client = reqwest::Client::new();

    // SQLite: a data directory.
    let home = TempDir::new("golden-make");
    let data = home.join("data");
    let mut server = Server::start_bin(&bin, Launch::data(home.path())).await;
    let d = Driver {
        client: client.clone(),
        url: server.url.clone(),
    };
    let (expected, ids) = make_set("SQLite", &d, &out.join("flows"), &plan).await;
    server.terminate();
    let sqlite = out.join("sqlite");
    std::fs::create_dir_all(&sqlite).unwrap();
    for e in std::fs::read_dir(&data).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        // The lock file is the server's, not data.
        if name.starts_with("weft.db") {
            std::fs::copy(&p, sqlite.join(&name)).unwrap();
        }
    }
    write_json(&sqlite.join("runs.json"), &ids);

    // PostgreSQL: a dump of the schema.
    let _ = pg::sql(
        &base,
        &format!("DROP SCHEMA IF EXISTS {MAKE_SCHEMA} CASCADE"),
    );
    pg::sql(&base, &format!("CREATE SCHEMA {MAKE_SCHEMA}")).expect("the schema is created");
    let url = pg::with_schema(&base, MAKE_SCHEMA);
    let mut server = Server::start_bin(&bin, Launch::database(&url, "golden-maker")).await;
    let d = Driver {
        client: client.clone(),
        url: server.url.clone(),
    };
    let (pg_expected, pg_ids) = make_set("PostgreSQL", &d, &out.join("flows"), &plan).await;
    server.terminate();
    assert_eq!(
        pg_expected, expected,
        "the control runs differ between SQLite and PostgreSQL"
    );
    let postgres = out.join("postgres");
    std::fs::create_dir_all(&postgres).unwrap();
    let dump = pg::dump(&base, MAKE_SCHEMA);
    std::fs::write(postgres.join("dump.sql"), dump).unwrap();
    write_json(&postgres.join("runs.json"), &pg_ids);
    let _ = pg::sql(
        &base,
        &format!("DROP SCHEMA IF EXISTS {MAKE_SCHEMA} CASCADE"),
    );
    write_json(&out.join("expected.json"), &expected);
    eprintln!("golden set written to {}", out.display());
}

fn write_json(path: &Path, v: &Value) {
    std::fs::write(path, serde_json::to_string_pretty(v).unwrap() + "\n").unwrap();
}

/// Runs every control run to its end, then leaves every golden run
/// waiting; returns the expectations and the golden runs' ids.
async fn make_set(label: &str, d: &Driver, flows: &Path, plan: &Plan) -> (Value, Value) {
    deploy(d, flows, &plan.files).await;
    let mut expected = serde_json::Map::new();
    for run in &plan.runs {
        let label = format!("{label} control {}", run.name);
        let id = start_run(d, &run.flow, run.input_with(&run.control)).await;
        let mut made = Vec::new();
        for a in &run.made {
            made.extend(d.act(&label, &id, a).await);
        }
        let mut resume = Vec::new();
        for a in &run.resume {
            resume.extend(d.act(&label, &id, a).await);
        }
        expected.insert(
            run.name.clone(),
            json!({"made": made, "resume": resume, "outcome": d.outcome(&id).await}),
        );
    }
    // Golden runs last, so that their timers (minutes) are far from due
    // when the server stops.
    let mut ids = serde_json::Map::new();
    for run in &plan.runs {
        let label = format!("{label} golden {}", run.name);
        let id = start_run(d, &run.flow, run.input_with(&run.golden)).await;
        let mut made = Vec::new();
        for a in &run.made {
            made.extend(d.act(&label, &id, a).await);
        }
        assert_eq!(
            Value::Array(made),
            expected[&run.name]["made"],
            "{label}: the golden run stands elsewhere than its control run did"
        );
        ids.insert(run.name.clone(), json!(id));
    }
    (Value::Object(expected), Value::Object(ids))
}

// ----- PostgreSQL -----

mod pg {
    use std::time::Duration;

    pub const URL_VAR: &str = "WEFT_TEST_DATABASE_URL";

    /// `None` (after saying why) when there is no database to test
    /// against; a failure instead under `CI=true`.
    pub fn database() -> Option<String> {
        let why = match std::env::var(URL_VAR) {
            Ok(url) => match sql(&url, "SELECT 1") {
                Ok(_) => return Some(url),
                Err(e) => format!("cannot connect to the database of {URL_VAR}: {e}"),
            },
            Err(_) => format!("{URL_VAR} is not set"),
        };
        if super::support::in_ci() {
            panic!(
                "{why}. CI=true, so the golden PostgreSQL test must run: .ci/run sets {URL_VAR}"
            );
        }
        eprintln!("skipping the PostgreSQL golden sets: {why}; see .ci/run");
        None
    }

    pub fn with_schema(base: &str, schema: &str) -> String {
        let sep = if base.contains('?') { '&' } else { '?' };
        format!("{base}{sep}options=-csearch_path%3D{schema}")
    }

    /// Runs statements (simple query protocol: several may be given) on a
    /// connection of their own, on a thread of their own.
    pub fn sql(url: &str, statements: &str) -> Result<(), String> {
        let (url, statements) = (url.to_string(), statements.to_string());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            let mut config: tokio_postgres::Config = url.parse().map_err(|e| format!("{e}"))?;
            config.connect_timeout(Duration::from_secs(5));
            rt.block_on(async {
                let (client, conn) = config
                    .connect(tokio_postgres::NoTls)
                    .await
                    .map_err(|e| format!("{e}"))?;
                tokio::spawn(async move {
                    let _ = conn.await;
                });
                client
                    .batch_execute(&statements)
                    .await
                    .map_err(|e| format!("{e:?}"))
            })
        })
        .join()
        .map_err(|_| "the database thread panicked".to_string())?
    }

    /// `pg_dump` of one schema as plain SQL with INSERTs (readable and
    /// restorable without psql), without owners or privileges.
    pub fn dump(base: &str, schema: &str) -> String {
        let out = std::process::Command::new("pg_dump")
            .args([
                "--schema",
                schema,
                "--inserts",
                "--no-owner",
                "--no-privileges",
                "--no-comments",
                "--dbname",
                base,
            ])
            .output()
            .expect("pg_dump runs");
        assert!(
            out.status.success(),
            "pg_dump: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("the dump is text");
        without_meta_commands(&text)
    }

    /// The dump without psql's meta-commands (pg_dump 15.14 and later
    /// write `\restrict` and `\unrestrict`), so that a client library can
    /// run it.
    fn without_meta_commands(dump: &str) -> String {
        dump.lines()
            .filter(|l| !l.starts_with('\\'))
            .map(|l| format!("{l}\n"))
            .collect()
    }

    /// A schema restored from a golden dump, dropped at the end.
    pub struct Schema {
        base: String,
        name: String,
        /// The database URL with `search_path` set to the schema.
        pub url: String,
    }

    impl Schema {
        pub fn restore(base: &str, tag: &str, dump: &str) -> Schema {
            let name = format!(
                "weft_{}_{}_{:x}",
                tag.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
                std::process::id(),
                super::now_ms()
            );
            // The dump names every object with its schema.
            let text = without_meta_commands(dump).replace(super::MAKE_SCHEMA, &name);
            sql(base, &text).unwrap_or_else(|e| panic!("restoring the dump into {name}: {e}"));
            Schema {
                base: base.to_string(),
                url: with_schema(base, &name),
                name,
            }
        }
    }

    impl Drop for Schema {
        fn drop(&mut self) {
            // A failed test leaves its schema, to look at.
            if !std::thread::panicking() {
                let _ = sql(
                    &self.base,
                    &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
                );
            }
        }
    }
}
