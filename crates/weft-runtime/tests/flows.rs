//! Flows end to end through the host, in virtual time.

use serde_json::{json, Value as Json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use weft_engine::state::{Event, Status};
use weft_runtime::sim::{Answer, Sim, EPOCH_MS};
use weft_store::{MemoryStore, SourceText, Store};

type Script = HashMap<&'static str, Vec<Answer>>;

fn ret(v: Json) -> Answer {
    Answer::Return {
        value: v,
        after_ms: 0,
    }
}
fn fail(e: &str) -> Answer {
    Answer::Fail {
        error: e.into(),
        retryable: true,
        after_ms: 0,
    }
}
fn cb(v: Json, after_ms: i64) -> Answer {
    Answer::Callback {
        value: Some(v),
        ack_ms: 0,
        callback_ms: after_ms,
    }
}

struct World {
    sim: Sim,
    calls: Arc<Mutex<Vec<(String, Json, String)>>>,
}

/// Answers by script (per attempt, the last answer repeats); `echo`
/// activities return their arguments.
fn world(src: &str, script: Script) -> World {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let calls = Arc::new(Mutex::new(Vec::new()));
    let log = calls.clone();
    let mut used: HashMap<String, usize> = HashMap::new();
    let responder = Box::new(move |t: &weft_engine::Task, _now: i64| {
        log.lock()
            .unwrap()
            .push((t.activity.clone(), t.args.clone(), t.call_id.clone()));
        let Some(answers) = script.get(t.activity.as_str()) else {
            return ret(json!({"activity": t.activity, "args": t.args}));
        };
        let n = used.entry(t.activity.clone()).or_default();
        let a = answers[(*n).min(answers.len() - 1)].clone();
        *n += 1;
        a
    });
    let mut sim = Sim::new(store, 7, responder);
    sim.host
        .deploy(
            &[SourceText {
                name: "t.weft".into(),
                text: src.into(),
            }],
            EPOCH_MS,
        )
        .expect("deploys");
    World { sim, calls }
}

impl World {
    fn run(&mut self, flow: &str, input: Json) -> String {
        let started = self
            .sim
            .host
            .start_run(flow, input, None, self.sim.now)
            .unwrap();
        self.sim.run_until_idle(i64::MAX).unwrap();
        started.run_id
    }
    fn record(&mut self, id: &str) -> weft_store::RunRecord {
        self.sim.host.record(id).unwrap().unwrap()
    }
    fn names(&self) -> Vec<String> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .map(|c| c.0.clone())
            .collect()
    }
}

#[test]
fn three_steps_in_order_with_results() {
    let mut w = world(
        "flow order(input) {\n reserved = reserve(input.id)\n charged = charge(input.id)\n shipped = ship(input.id)\n return({reserved: reserved, charged: charged, shipped: shipped})\n}\n",
        Script::from([("ship", vec![ret(json!({"tracking": "T-1"}))])]),
    );
    let id = w.run("order", json!({"id": 1}));
    let r = w.record(&id);
    assert_eq!(r.status, Status::Completed, "{r:?}");
    assert_eq!(r.result.unwrap()["shipped"]["tracking"], "T-1");
    assert_eq!(w.names(), ["reserve", "charge", "ship"]);
    // Call ids are unique per operation and derived from the run.
    let ids: Vec<String> = w
        .calls
        .lock()
        .unwrap()
        .iter()
        .map(|c| c.2.clone())
        .collect();
    assert_eq!(
        ids,
        [format!("{id}-1"), format!("{id}-2"), format!("{id}-3")]
    );
}

#[test]
fn retry_with_backoff_then_success() {
    let mut w = world(
        "flow F(x) {\n a = Flaky(x) @retry(3, backoff: 2s)\n return a\n}\n",
        Script::from([("Flaky", vec![fail("reset"), fail("reset"), ret(json!(42))])]),
    );
    let id = w.run("F", json!(1));
    let r = w.record(&id);
    assert_eq!(r.status, Status::Completed);
    assert_eq!(r.result, Some(json!(42)));
    assert_eq!(w.names().len(), 3);
    // Two back-offs: 2s then 4s, each with equal jitter (half fixed).
    let elapsed = w.sim.now - EPOCH_MS;
    assert!((3_000..=6_000).contains(&elapsed), "{elapsed}");
}

#[test]
fn failure_stops_the_run_and_operators_repair_it() {
    let src = "flow F(x) {\n a = Charge(x) @retry(1)\n b = Ship(a)\n return b\n}\n";
    let mut w = world(src, Script::from([("Charge", vec![fail("card declined")])]));
    let id = w.run("F", json!(1));
    let r = w.record(&id);
    assert_eq!(r.status, Status::Failed);
    let err = r.error.unwrap();
    assert_eq!(
        err["message"],
        "Charge failed after 2 attempts: card declined"
    );
    assert_eq!(err["location"]["line"], 2);
    // Retry: the same call id runs again (and fails again here).
    w.sim.host.deliver(&id, Event::Retry, w.sim.now).unwrap();
    w.sim.run_until_idle(i64::MAX).unwrap();
    assert_eq!(w.record(&id).status, Status::Failed);
    let charge_ids: Vec<String> = w
        .calls
        .lock()
        .unwrap()
        .iter()
        .filter(|c| c.0 == "Charge")
        .map(|c| c.2.clone())
        .collect();
    assert_eq!(charge_ids.len(), 4);
    assert!(
        charge_ids.iter().all(|c| *c == charge_ids[0]),
        "{charge_ids:?}"
    );
    // Resolve: the flow goes on as if Charge had returned the value.
    w.sim
        .host
        .deliver(
            &id,
            Event::Resolve {
                value: json!({"paid": true}),
            },
            w.sim.now,
        )
        .unwrap();
    w.sim.run_until_idle(i64::MAX).unwrap();
    let r = w.record(&id);
    assert_eq!(r.status, Status::Completed);
    assert_eq!(r.result.unwrap()["args"], json!([{"paid": true}]));
}

#[test]
fn catch_turns_failure_into_a_value() {
    let mut w = world(
        "flow F(x) {\n a = Charge(x) @catch\n return a\n}\n",
        Script::from([("Charge", vec![fail("nope")])]),
    );
    let id = w.run("F", json!(1));
    let r = w.record(&id);
    assert_eq!(r.status, Status::Completed);
    assert_eq!(
        r.result,
        Some(json!({"status": "error", "error": {"message": "nope", "attempts": 1}}))
    );
}

#[test]
fn await_callback_and_timeout() {
    let src = "flow F(x) {\n c = await Confirm(x) @timeout(24h)\n return c\n}\n";
    let mut w = world(
        src,
        Script::from([("Confirm", vec![cb(json!({"status": "ok"}), 2 * 3_600_000)])]),
    );
    let id = w.run("F", json!(1));
    assert_eq!(w.record(&id).result, Some(json!({"status": "ok"})));
    assert_eq!(w.sim.now - EPOCH_MS, 2 * 3_600_000);

    let mut w = world(src, Script::from([("Confirm", vec![Answer::Never])]));
    let id = w.run("F", json!(1));
    assert_eq!(
        w.record(&id).result,
        Some(json!({"status": "timeout", "type": "timeout"}))
    );
    assert_eq!(w.sim.now - EPOCH_MS, 24 * 3_600_000);
}

#[test]
fn waiting_runs_wait_and_callbacks_work_once() {
    let src = "flow F(x) {\n c = await Confirm(x) @timeout(24h)\n return c\n}\n";
    let mut w = world(
        src,
        Script::from([(
            "Confirm",
            vec![Answer::Callback {
                value: None,
                ack_ms: 0,
                callback_ms: 0,
            }],
        )]),
    );
    let started = w
        .sim
        .host
        .start_run("F", json!(1), None, w.sim.now)
        .unwrap();
    w.sim.run_until_idle(EPOCH_MS + 1_000).unwrap();
    let r = w.record(&started.run_id);
    assert_eq!(r.status, Status::Waiting);
    let token = r.waiting[0]["token"].as_str().unwrap().to_string();
    w.sim
        .host
        .callback(&token, json!("yes"), w.sim.now)
        .unwrap();
    let again = w.sim.host.callback(&token, json!("again"), w.sim.now);
    assert!(
        matches!(
            again,
            Err(weft_runtime::HostError::Callback(
                weft_runtime::CallbackError::AlreadyCompleted
            ))
        ),
        "{again:?}"
    );
    w.sim.run_until_idle(i64::MAX).unwrap();
    assert_eq!(w.record(&started.run_id).result, Some(json!("yes")));
    let unknown = w.sim.host.callback("nope", json!(1), w.sim.now);
    assert!(matches!(
        unknown,
        Err(weft_runtime::HostError::Callback(
            weft_runtime::CallbackError::NotFound
        ))
    ));
}

#[test]
fn parallel_builtins() {
    let src = r#"
flow F(xs) {
    all = WaitAll([A(1), B(2) @retry(0), 3])
    each = ParallelForEach(xs, func(x) { return Double(x) })
    par = ParallelExecute([A(5), A(6)])
    listed = await [C(1) @timeout(1h), C(2) @timeout(1h)]
    return({all: all, each: each, par: par, listed: listed})
}
"#;
    let mut w = world(
        src,
        Script::from([
            ("A", vec![ret(json!("a"))]),
            ("B", vec![fail("b down")]),
            ("Double", vec![ret(json!("d"))]),
            ("C", vec![cb(json!("c"), 1000)]),
        ]),
    );
    let id = w.run("F", json!([1, 2, 3]));
    let r = w.record(&id);
    assert_eq!(r.status, Status::Completed, "{r:?}");
    let res = r.result.unwrap();
    assert_eq!(res["all"]["allSuccess"], false);
    assert_eq!(res["all"]["results"][0], "a");
    assert_eq!(res["all"]["results"][1]["status"], "error");
    assert_eq!(res["all"]["results"][2], 3);
    assert_eq!(res["all"]["errors"].as_array().unwrap().len(), 1);
    assert_eq!(res["each"], json!(["d", "d", "d"]));
    assert_eq!(res["par"], json!(["a", "a"]));
    assert_eq!(res["listed"], json!(["c", "c"]));
}

#[test]
fn wait_for_any_takes_the_first_and_cancels_the_rest() {
    let src = r#"
flow F(t) {
    e = await WaitForAny([
        Slow(t) @timeout(7days),
        Fast(t),
        Esc(t) @timeout(2hours)
    ])
    return e
}
"#;
    let mut w = world(
        src,
        Script::from([
            ("Slow", vec![cb(json!("slow"), 3_600_000)]),
            ("Fast", vec![cb(json!({"type": "fast"}), 60_000)]),
            ("Esc", vec![Answer::Never]),
        ]),
    );
    let id = w.run("F", json!(1));
    assert_eq!(w.record(&id).result, Some(json!({"type": "fast"})));
    assert!(
        w.sim.errors.iter().all(|e| e.contains("already completed")),
        "{:?}",
        w.sim.errors
    );

    // Nothing answers: the shortest timeout wins.
    let mut w = world(
        src,
        Script::from([
            ("Slow", vec![Answer::Never]),
            ("Fast", vec![Answer::Never]),
            ("Esc", vec![Answer::Never]),
        ]),
    );
    let id = w.run("F", json!(1));
    assert_eq!(
        w.record(&id).result,
        Some(json!({"status": "timeout", "type": "timeout"}))
    );
    assert_eq!(w.sim.now - EPOCH_MS, 2 * 3_600_000);
}

#[test]
fn inline_sub_flows_are_child_runs() {
    let src = r#"
flow Onboard(employee) {
    tag = "x"
    it = flow SetupIT(employee) {
        acct = CreateAccount(employee.name, tag)
        return({acct: acct})
    }
    hr = flow SetupHR(employee) {
        return Enroll(employee.name)
    }
    results = ParallelExecute([it, hr])
    d = Deploy(fix: 1) {
        return Apply(fix)
    }
    return({results: results, d: d})
}
"#;
    let mut w = world(src, Script::new());
    let id = w.run("Onboard", json!({"name": "ann"}));
    let r = w.record(&id);
    assert_eq!(r.status, Status::Completed, "{r:?}");
    let res = r.result.unwrap();
    assert_eq!(res["results"][0]["acct"]["args"], json!(["ann", "x"]));
    assert_eq!(res["results"][1]["args"], json!(["ann"]));
    assert_eq!(res["d"]["args"], json!([1]));
    let children = w
        .sim
        .store()
        .list_runs(&weft_store::RunQuery {
            parent: Some(id.clone()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    let mut flows: Vec<String> = children.runs.iter().map(|r| r.flow.clone()).collect();
    flows.sort();
    assert_eq!(flows, ["Deploy", "SetupHR", "SetupIT"]);
    assert!(children.runs.iter().all(|c| c.status == Status::Completed));
}

#[test]
fn recursion_of_top_level_and_inline_flows() {
    let src = r#"
flow Count(n) {
    if n <= 0 { return 0 }
    return 1 + Count(n - 1)
}
flow Outer(x) {
    k = 10
    r = flow Refine(x) {
        if x >= 3 { return x + k }
        return Refine(x + 1)
    }
    return r
}
"#;
    let mut w = world(src, Script::new());
    let id = w.run("Count", json!(5));
    assert_eq!(w.record(&id).result, Some(json!(5)));
    let id = w.run("Outer", json!(0));
    assert_eq!(w.record(&id).result, Some(json!(13)));
}

#[test]
fn closures_capture_values_and_compensations_run_last_first() {
    let src = r#"
flow Book(r) {
    var compensations = []
    flight = ReserveFlight(r)
    compensations = append(compensations, func() { return CancelFlight(flight.args[0]) })
    flight = "changed later"
    hotel = ReserveHotel(r)
    compensations = append(compensations, func() { return CancelHotel(hotel.args[0]) })
    undone = RunCompensations(compensations)
    return undone
}
"#;
    let mut w = world(src, Script::new());
    let id = w.run("Book", json!(7));
    let r = w.record(&id);
    assert_eq!(r.status, Status::Completed, "{r:?}");
    assert_eq!(
        w.names(),
        [
            "ReserveFlight",
            "ReserveHotel",
            "CancelHotel",
            "CancelFlight"
        ]
    );
    assert_eq!(
        r.result.unwrap()[1]["args"],
        json!([7]),
        "captured before `flight` changed"
    );
}

#[test]
fn durable_time() {
    let src = r#"
flow T(x) {
    start = now()
    Sleep(90minutes)
    mid = now()
    end = await WaitUntil(mid + 1day)
    return({slept: mid - start, total: end - start, ratio: (end - start) / 1hour, later: end > start})
}
"#;
    let mut w = world(src, Script::new());
    let id = w.run("T", json!(null));
    let r = w.record(&id).result.unwrap();
    assert_eq!(r["slept"], "1h30m");
    assert_eq!(r["total"], "1d1h30m");
    assert_eq!(r["ratio"], 25.5);
    assert_eq!(r["later"], true);
}

#[test]
fn step_budget_stops_a_runaway_loop() {
    let mut w = world(
        "flow Spin(x) {\n while true { x = x + 1 }\n}\n",
        Script::new(),
    );
    let id = w.run("Spin", json!(0));
    let r = w.record(&id);
    assert_eq!(r.status, Status::Failed);
    assert!(r.error.unwrap()["message"]
        .as_str()
        .unwrap()
        .contains("step budget"));
}

#[test]
fn runtime_errors_name_the_line_and_retry_resumes() {
    let src = "flow F(x) {\n a = Get(x)\n b = a.missing.field\n return b\n}\n";
    let mut w = world(src, Script::new());
    let id = w.run("F", json!(1));
    let r = w.record(&id);
    assert_eq!(r.status, Status::Failed);
    let e = r.error.unwrap();
    assert_eq!(e["message"], "cannot read field `field` of null");
    assert_eq!(e["location"]["line"], 3);
    assert!(matches!(
        w.sim
            .host
            .deliver(&id, Event::Resolve { value: json!(1) }, w.sim.now),
        Err(weft_runtime::HostError::Action(
            weft_engine::ActionError::NothingToResolve
        ))
    ));
    w.sim
        .host
        .deliver(
            &id,
            Event::Cancel {
                reason: "test".into(),
            },
            w.sim.now,
        )
        .unwrap();
    w.sim.run_until_idle(i64::MAX).unwrap();
    assert_eq!(w.record(&id).status, Status::Cancelled);
}

#[test]
fn annotation_arguments_are_evaluated_at_run_time() {
    let src = "flow F(stage) {\n m = await Monitor(stage) @timeout(stage.duration)\n return m\n}\n";
    let mut w = world(src, Script::from([("Monitor", vec![Answer::Never])]));
    let id = w.run("F", json!({"duration": "2hours"}));
    assert_eq!(
        w.record(&id).result,
        Some(json!({"status": "timeout", "type": "timeout"}))
    );
    assert_eq!(w.sim.now - EPOCH_MS, 2 * 3_600_000);
    let id = w.run("F", json!({"duration": "whenever"}));
    let r = w.record(&id);
    assert_eq!(r.status, Status::Failed);
    assert!(r.error.unwrap()["message"]
        .as_str()
        .unwrap()
        .contains("\"whenever\" is not one"));
    // Edition 2 (new deploys): "continuous", as the seed's stages say, is
    // no timeout; the wait is not bounded.
    let id = w.run("F", json!({"duration": "continuous"}));
    assert_eq!(w.record(&id).status, Status::Waiting);
}

#[test]
fn a_timer_armed_after_another_fired_still_fires() {
    let src = "flow F() {\n Sleep(1s)\n reply = await Ask() @timeout(1h)\n return reply\n}\n";
    let mut w = world(
        src,
        Script::from([(
            "Ask",
            vec![Answer::Callback {
                value: None,
                ack_ms: 0,
                callback_ms: 0,
            }],
        )]),
    );
    let id = w.run("F", json!(null));
    let r = w.record(&id);
    assert_eq!(r.status, Status::Completed, "{r:?}");
    assert_eq!(
        r.result,
        Some(json!({"status": "timeout", "type": "timeout"}))
    );
    assert_eq!(w.sim.now - EPOCH_MS, 3_601_000);
}

/// The simulator checks the engine's invariants after every step (on by
/// default in debug builds): a run whose stored state breaks one, here a
/// depth past `FLOW_DEPTH_MAX`, stops the simulation at the first step that
/// loads it.
#[test]
#[should_panic(expected = "breaks the engine's invariants: depth 999 is past FLOW_DEPTH_MAX")]
fn a_state_that_breaks_an_invariant_stops_the_simulator() {
    let mut w = world("flow F() {\n Sleep(1h)\n return 1\n}\n", Script::new());
    w.sim.check_invariants = true;
    let started = w
        .sim
        .host
        .start_run("F", json!(null), None, w.sim.now)
        .unwrap();
    w.sim.flush().unwrap();
    let store = w.sim.store().clone();
    let stored = store.load_run(&started.run_id).unwrap().unwrap();
    let mut state = weft_engine::state::decode_snapshot(&stored.state, &started.run_id).unwrap();
    state.depth = 999;
    store
        .commit(&weft_store::Batch {
            writes: vec![weft_store::RunWrite {
                record: Some(stored.record.into()),
                state: serde_json::to_vec(&state).unwrap(),
                ..Default::default()
            }],
        })
        .unwrap();
    w.sim.run_until_idle(i64::MAX).unwrap();
}

/// A fork from the step where a sub-flow had just started: the new run
/// starts its own sub-flow again, calls again what was outstanding under
/// its own call ids, keeps what was computed before, and finishes; the
/// original is untouched. Each step of the fork replays to its stored
/// state.
#[test]
fn a_fork_goes_on_from_the_step_it_was_made_at() {
    let src = r#"
flow F(x) {
    a = Step(x)
    kid = flow Kid(a) {
        return Inner(a)
    }
    b = Last(kid)
    return {a: a, b: b}
}
"#;
    let mut w = world(src, Script::from([("Step", vec![ret(json!(5))])]));
    let id = w.run("F", json!(1));
    assert_eq!(w.record(&id).status, Status::Completed);
    let journal = w.sim.store().journal(&id).unwrap();
    // Step 2: `Step` returned and `Kid` started.
    let started_kid = journal
        .iter()
        .find(|s| {
            s.entries
                .iter()
                .any(|e| matches!(e.kind, weft_engine::EntryKind::ChildStarted { .. }))
        })
        .unwrap()
        .step;
    let before = w.names().len();
    let fork = w
        .sim
        .host
        .fork(&id, started_kid, None, "test", w.sim.now)
        .unwrap();
    w.sim.run_until_idle(i64::MAX).unwrap();
    let r = w.record(&fork);
    assert_eq!(r.status, Status::Completed, "{r:?}");
    assert_eq!(r.forked_from.as_deref(), Some(id.as_str()));
    assert_eq!(r.result.as_ref().unwrap()["a"], json!(5));
    // `Step` is not called again; the sub-flow's `Inner` and then `Last` are.
    assert_eq!(w.names()[before..], ["Inner", "Last"]);
    let kids = w
        .sim
        .store()
        .list_runs(&weft_store::RunQuery {
            parent: Some(fork.clone()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(kids.runs.len(), 1, "the fork's own sub-flow");
    let store = w.sim.store().clone();
    let programs = |v: i64| weft_runtime::travel::compile_version(store.as_ref(), v);
    let steps = store.journal(&fork).unwrap().len() as i64;
    for step in 1..=steps {
        weft_runtime::travel::state_at(store.as_ref(), &programs, &fork, step)
            .unwrap_or_else(|e| panic!("step {step}: {e}"));
    }
    // A version that is not deployed.
    let err = w
        .sim
        .host
        .fork(&id, 1, Some(2), "test", w.sim.now)
        .unwrap_err();
    assert!(
        matches!(err, weft_runtime::HostError::UnknownVersion(2)),
        "{err}"
    );
    let err = w
        .sim
        .host
        .fork(&id, 99, None, "test", w.sim.now)
        .unwrap_err();
    assert!(err.to_string().contains("no step 99"), "{err}");
}
