//! Machines end to end through the host, in virtual time: commands applied
//! one at a time per key, idempotency by command id, refusals, handlers
//! that wait, flows that send, read and query, and crashes in between.

use serde_json::{json, Value as Json};
use std::sync::Arc;
use weft_engine::state::Status;
use weft_runtime::host::CommandRequest;
use weft_runtime::sim::{Answer, Sim, EPOCH_MS};
use weft_store::{CommandStatus, MemoryStore, SourceText, Store};

const SOURCE: &str = r#"
machine Counter {
    state { total: number = 0, adds: int = 0 }
    command Add(input: {n: number}) {
        return {total: state.total + input.n, adds: state.adds + 1}
    }
    command Sub(input: {n: number}) {
        if state.total < input.n {
            fail({code: "too-low", message: "the total would go below zero"})
        }
        state.total -= input.n
    }
    command Approved(input: {n: number}) {
        ok = await Approve(input.n) @timeout(1h)
        if ok.type == "timeout" {
            fail("nobody approved")
        }
        return {..state, total: state.total + input.n}
    }
}

flow Tally(input) {
    first = Counter(input.key).Add(n: input.n)
    second = Counter(input.key).Add({n: input.n}) @retry(2)
    refused = Counter(input.key).Sub(n: 1000) @catch
    now = Counter(input.key).get()
    missing = Counter("nobody").get()
    return {first: first.version, second: second.state.total, refused: refused.status, now: now.state.total, missing: missing}
}

flow Big(limit) {
    return Counter.find(where{total >= limit}, select{total})
}
"#;

fn sim(answers: Vec<Answer>) -> Sim {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let mut next = 0;
    let responder = Box::new(move |_t: &weft_engine::Task, _now: i64| {
        let a = answers[next.min(answers.len() - 1)].clone();
        next += 1;
        a
    });
    let mut sim = Sim::new(store, 11, responder);
    sim.host
        .deploy(
            &[SourceText {
                name: "m.weft".into(),
                text: SOURCE.into(),
            }],
            EPOCH_MS,
        )
        .expect("deploys");
    sim
}

fn req(key: &str, command: &str, n: i64, id: Option<&str>) -> CommandRequest {
    CommandRequest {
        machine: "Counter".into(),
        key: key.into(),
        command: command.into(),
        input: json!({"n": n}),
        command_id: id.map(str::to_string),
        reply: None,
    }
}

fn send(sim: &mut Sim, r: CommandRequest) -> weft_store::CommandRecord {
    let now = sim.now;
    let sent = sim.host.send_command(r, now).unwrap();
    sim.run_until_idle(i64::MAX).unwrap();
    sent.record
}

fn state(sim: &Sim, key: &str) -> (Json, i64) {
    let i = sim
        .store()
        .instance("Counter", key)
        .unwrap()
        .unwrap()
        .instance;
    (i.state, i.version)
}

#[test]
fn commands_change_the_state_in_order_and_a_command_id_counts_once() {
    let mut s = sim(vec![Answer::Never]);
    let a = send(&mut s, req("k", "Add", 2, Some("one")));
    assert_eq!(a.status, CommandStatus::Applied);
    assert_eq!((a.seq, a.version), (1, Some(1)));
    send(&mut s, req("k", "Add", 3, None));
    // The same id again: the first answer, nothing changes.
    let again = send(&mut s, req("k", "Add", 100, Some("one")));
    assert_eq!(again.status, CommandStatus::Applied);
    assert_eq!(again.state, Some(json!({"total": 2, "adds": 1})));
    assert_eq!(state(&s, "k"), (json!({"total": 5, "adds": 2}), 2));
    // Another key is another instance.
    send(&mut s, req("j", "Add", 7, Some("one")));
    assert_eq!(state(&s, "j"), (json!({"total": 7, "adds": 1}), 1));
    // The history: every version with the command that made it.
    let history = s.store().commands("Counter", "k", 1, 10).unwrap();
    let versions: Vec<_> = history
        .iter()
        .map(|c| (c.seq, c.version, c.input["n"].clone()))
        .collect();
    assert_eq!(versions, [(1, Some(1), json!(2)), (2, Some(2), json!(3))]);
    assert!(history.iter().all(|c| c.run_id.is_some()));
    // Each command ran as a run of its handler.
    let run = s
        .store()
        .run(history[0].run_id.as_ref().unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        (run.flow.as_str(), run.status),
        ("Counter.Add", Status::Completed)
    );
    // Events: created, then updated.
    let events = s.store().machine_events(0, 10).unwrap();
    let kinds: Vec<(&str, &str, i64)> = events
        .iter()
        .map(|e| (e.event.kind.as_str(), e.event.key.as_str(), e.event.version))
        .collect();
    assert_eq!(
        kinds,
        [
            ("created", "k", 1),
            ("updated", "k", 2),
            ("created", "j", 1)
        ]
    );
}

#[test]
fn a_refused_command_changes_nothing_and_says_why() {
    let mut s = sim(vec![Answer::Never]);
    send(&mut s, req("k", "Add", 2, None));
    let no = send(&mut s, req("k", "Sub", 5, Some("sub")));
    assert_eq!(no.status, CommandStatus::Refused);
    assert_eq!(
        no.error,
        Some(json!({"code": "too-low", "message": "the total would go below zero"}))
    );
    assert_eq!(state(&s, "k"), (json!({"total": 2, "adds": 1}), 1));
    // A first command refused: the instance does not exist.
    send(&mut s, req("new", "Sub", 1, None));
    assert!(s.host.read_instance("Counter", "new").unwrap().is_none());
    // An input that does not fit is refused before it is queued.
    let now = s.now;
    let err = s
        .host
        .send_command(
            CommandRequest {
                input: json!({"n": "two"}),
                ..req("k", "Add", 0, None)
            },
            now,
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the input of `Counter.Add` does not fit: input.n must be a number, not \"two\""
    );
    let err = s
        .host
        .send_command(req("k", "Nope", 1, None), now)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the machine `Counter` has no command `Nope`"
    );
    let err = s
        .host
        .send_command(
            CommandRequest {
                machine: "Other".into(),
                ..req("k", "Add", 1, None)
            },
            now,
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "no machine named `Other` is deployed");
}

#[test]
fn a_handler_that_waits_holds_the_key_and_the_queue_follows() {
    // The approval's callback arrives an hour later.
    let mut s = sim(vec![Answer::Callback {
        value: Some(json!({"ok": true})),
        ack_ms: 0,
        callback_ms: 30 * 60 * 1000,
    }]);
    let now = s.now;
    let slow = s
        .host
        .send_command(req("k", "Approved", 10, Some("slow")), now)
        .unwrap();
    assert_eq!(slow.record.status, CommandStatus::Running);
    // Queued behind it, applied after it, in order.
    s.host
        .send_command(req("k", "Add", 1, Some("after")), now)
        .unwrap();
    s.host
        .send_command(req("k", "Add", 2, Some("later")), now)
        .unwrap();
    s.flush().unwrap();
    let open = s.store().commands("Counter", "k", 1, 10).unwrap();
    let statuses: Vec<_> = open.iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        [
            CommandStatus::Running,
            CommandStatus::Queued,
            CommandStatus::Queued
        ]
    );
    s.run_until_idle(i64::MAX).unwrap();
    assert_eq!(state(&s, "k"), (json!({"total": 13, "adds": 2}), 3));
    assert_eq!(s.now, EPOCH_MS + 30 * 60 * 1000);
}

#[test]
fn a_flow_sends_commands_reads_and_queries() {
    let mut s = sim(vec![Answer::Never]);
    send(&mut s, req("big", "Add", 50, None));
    let now = s.now;
    let run = s
        .host
        .start_run("Tally", json!({"key": "k", "n": 4}), None, now)
        .unwrap();
    s.run_until_idle(i64::MAX).unwrap();
    let rec = s.store().run(&run.run_id).unwrap().unwrap();
    assert_eq!(rec.status, Status::Completed, "{:?}", rec.error);
    assert_eq!(
        rec.result,
        Some(json!({"first": 1, "second": 8, "refused": "error", "now": 8, "missing": null}))
    );
    // The calls' ids were the commands' ids.
    let cmds = s.store().commands("Counter", "k", 1, 10).unwrap();
    assert!(
        cmds.iter().all(|c| c.command_id.starts_with(&run.run_id)),
        "{cmds:?}"
    );
    let run = s.host.start_run("Big", json!(8), None, s.now).unwrap();
    s.run_until_idle(i64::MAX).unwrap();
    let rec = s.store().run(&run.run_id).unwrap().unwrap();
    assert_eq!(
        rec.result,
        Some(json!([
            {"key": "big", "state": {"total": 50}, "version": 1},
            {"key": "k", "state": {"total": 8}, "version": 2},
        ]))
    );
}

#[test]
fn commands_survive_crashes_and_apply_once() {
    for crash_after in 1..12 {
        let mut s = sim(vec![Answer::Callback {
            value: Some(json!({"ok": true})),
            ack_ms: 5,
            callback_ms: 10,
        }]);
        let now = s.now;
        s.host
            .send_command(req("k", "Approved", 10, Some("a")), now)
            .unwrap();
        s.host
            .send_command(req("k", "Add", 1, Some("b")), now)
            .unwrap();
        let mut steps = 0;
        loop {
            if steps == crash_after {
                s.crash().unwrap();
                // The senders never got an answer: they send again.
                let now = s.now;
                s.host
                    .send_command(req("k", "Approved", 10, Some("a")), now)
                    .unwrap();
                s.host
                    .send_command(req("k", "Add", 1, Some("b")), now)
                    .unwrap();
            }
            steps += 1;
            if s.run_steps(1).unwrap() && steps > crash_after {
                break;
            }
        }
        s.run_until_idle(i64::MAX).unwrap();
        assert_eq!(
            state(&s, "k"),
            (json!({"total": 11, "adds": 1}), 2),
            "crash after {crash_after} steps"
        );
    }
}
