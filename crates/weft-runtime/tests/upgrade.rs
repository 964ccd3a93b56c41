//! Live upgrades through the host, on the seed's flows (`examples/`) with
//! the edits people make: a step added after the wait (accepted), one added
//! before it (refused), one removed before it (accepted), a renamed
//! variable (accepted), the wait removed (refused), a wait inside a `for`
//! loop of a sub-flow and in the branches of a `ParallelForEach`. Each
//! moved run then finishes on its new code, and the move is one durable
//! step of its journal.

use serde_json::{json, Value as Json};
use std::sync::Arc;
use weft_engine::state::{EntryKind, Event, Status};
use weft_runtime::sim::{Answer, Sim, EPOCH_MS};
use weft_runtime::{HostError, UpgradeVerdict};
use weft_store::{MemoryStore, RunQuery, RunRecord, SourceText, Store};

const REGISTER_USER: &str = include_str!("../../../examples/00-register-user/register-user.weft");
const NOTIFY: &str =
    include_str!("../../../examples/02-notify-subscribers/notify-subscribers.weft");
const DISCOVERY: &str =
    include_str!("../../../examples/09-product-discovery/product-discovery.weft");

/// `text` with `from` replaced by `to`, where `from` occurs exactly once.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` is not in the text once"
    );
    text.replacen(from, to, 1)
}

fn ret(v: Json) -> Answer {
    Answer::Return {
        value: v,
        after_ms: 0,
    }
}

/// Started, acknowledged, and no callback: the test sends it.
fn ack() -> Answer {
    Answer::Callback {
        value: None,
        ack_ms: 0,
        callback_ms: 0,
    }
}

/// A simulator whose activities answer by `answer`.
fn sim(answer: impl Fn(&str, &Json) -> Answer + 'static) -> Sim {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let mut sim = Sim::new(
        store,
        3,
        Box::new(move |t: &weft_engine::Task, _| answer(&t.activity, &t.args)),
    );
    // Invariants after every step, in every build.
    sim.check_invariants = true;
    sim
}

fn deploy(sim: &mut Sim, name: &str, text: &str) -> i64 {
    sim.host
        .deploy(
            &[SourceText {
                name: name.into(),
                text: text.into(),
            }],
            sim.now,
        )
        .expect("deploys")
        .version
}

/// Runs what is due in the next minute of virtual time: the `await`s'
/// timeouts (a day and more) stay ahead.
fn settle(sim: &mut Sim) {
    let until = sim.now + 60_000;
    sim.run_until_idle(until).expect("runs");
}

fn record(sim: &mut Sim, id: &str) -> RunRecord {
    sim.host.record(id).expect("reads").expect("exists")
}

fn upgrade(sim: &mut Sim, id: &str, to: i64) -> UpgradeVerdict {
    let v = sim
        .host
        .upgrade(id, to, "test", false, sim.now)
        .expect("the question is answered");
    sim.flush().expect("commits");
    v
}

fn upgrades_in_journal(sim: &Sim, id: &str) -> Vec<(String, i64, i64)> {
    sim.store()
        .journal(id)
        .expect("journal")
        .into_iter()
        .flat_map(|s| s.entries)
        .filter_map(|e| match e.kind {
            EntryKind::Upgraded { by, from, to, .. } => Some((by, from, to)),
            _ => None,
        })
        .collect()
}

/// Activities the run called, in order.
fn called(sim: &Sim, run: &str) -> Vec<String> {
    sim.dispatched
        .iter()
        .filter(|d| d.task.run_id == run)
        .map(|d| d.task.activity.clone())
        .collect()
}

fn token(sim: &mut Sim, run: &str) -> String {
    let waiting = record(sim, run).waiting;
    waiting[0]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("run {run} waits for no callback: {waiting}"))
        .to_string()
}

fn register_user_sim() -> Sim {
    sim(|activity, args| match activity {
        "ReserveNick" => ret(json!({"status": "ok", "nick": args[0], "ID": 7})),
        "SendActivationEmail" => ack(),
        "CreateAccount" => ret(json!({"status": "ok", "id": 42})),
        _ => ret(json!({"status": "ok", "activity": activity})),
    })
}

#[test]
fn register_user_runs_move_or_stay_by_what_changed() {
    let mut sim = register_user_sim();
    let v1 = deploy(&mut sim, "register-user.weft", REGISTER_USER);
    let mut runs = Vec::new();
    for nick in ["after", "before", "removed", "renamed", "no-wait"] {
        let id = sim
            .host
            .start_run(
                "RegisterUser",
                json!({"nick": nick, "email": format!("{nick}@example.com")}),
                None,
                sim.now,
            )
            .expect("starts")
            .run_id;
        runs.push(id);
    }
    settle(&mut sim);
    for id in &runs {
        assert_eq!(record(&mut sim, id).status, Status::Waiting);
    }
    let create_account = "    account = CreateAccount({";
    let after = deploy(
        &mut sim,
        "register-user.weft",
        &edit(
            REGISTER_USER,
            create_account,
            &format!("    SendWelcome(input.email, reserved.nick)\n\n{create_account}"),
        ),
    );
    let wait = "    let confirmed = await SendActivationEmail";
    let before = deploy(
        &mut sim,
        "register-user.weft",
        &edit(
            REGISTER_USER,
            wait,
            &format!("    CheckFraud(input.email)\n{wait}"),
        ),
    );
    let removed = deploy(
        &mut sim,
        "register-user.weft",
        &edit(
            REGISTER_USER,
            "    if reserved.status != \"ok\" {\n        return({status: \"error\", reason: \"reservation-failed\"})\n    }\n",
            "",
        ),
    );
    // `reserved` is assigned before the wait and read after it.
    let renamed_text = REGISTER_USER.replace("reserved", "reservation");
    assert_eq!(renamed_text.matches("reservation.").count(), 3);
    let renamed = deploy(&mut sim, "register-user.weft", &renamed_text);
    let no_wait = deploy(
        &mut sim,
        "register-user.weft",
        &edit(
            REGISTER_USER,
            "    let confirmed = await SendActivationEmail(input.email) @timeout(24h) @retry(3)\n    if confirmed.status != \"ok\" {\n        RemoveReservation(reserved.ID) @retry(3)\n        return({status: \"error\", reason: \"email-not-confirmed-within-24h\"})\n    }\n",
            "",
        ),
    );

    // A dry run says what would happen and changes nothing.
    let dry = sim
        .host
        .upgrade(&runs[0], after, "test", true, sim.now)
        .expect("answers");
    assert!(dry.accepted && !dry.upgraded, "{dry:?}");
    sim.flush().expect("commits");
    assert_eq!(record(&mut sim, &runs[0]).version, v1);
    assert!(upgrades_in_journal(&sim, &runs[0]).is_empty());

    let verdicts: Vec<UpgradeVerdict> = [after, before, removed, renamed, no_wait]
        .iter()
        .zip(&runs)
        .map(|(&to, id)| upgrade(&mut sim, id, to))
        .collect();
    let accepted: Vec<bool> = verdicts.iter().map(|v| v.upgraded).collect();
    assert_eq!(accepted, [true, false, true, true, false], "{verdicts:#?}");
    assert!(
        verdicts[1].reasons[0].contains("`CheckFraud(input.email)`) is a new step before the wait"),
        "{:?}",
        verdicts[1].reasons
    );
    assert!(
        verdicts[4].reasons[0].contains("no counterpart in the new version"),
        "{:?}",
        verdicts[4].reasons
    );
    let carried = &verdicts[3].moves[0].frames[0].variables;
    assert!(
        carried
            .iter()
            .any(|v| v.from == "reserved" && v.to == "reservation"),
        "{carried:?}"
    );
    for (i, id) in runs.iter().enumerate() {
        let r = record(&mut sim, id);
        let (to, journal) = if accepted[i] {
            (
                verdicts[i].to,
                vec![("test".to_string(), v1, verdicts[i].to)],
            )
        } else {
            (v1, Vec::new())
        };
        assert_eq!(r.version, to, "run {i}");
        assert_eq!(upgrades_in_journal(&sim, id), journal, "run {i}");
    }

    // The e-mails are confirmed: every run finishes, on its version's code.
    for id in &runs {
        let t = token(&mut sim, id);
        sim.host
            .callback(&t, json!({"status": "ok"}), sim.now)
            .expect("takes the callback");
    }
    settle(&mut sim);
    for id in &runs {
        let r = record(&mut sim, id);
        assert_eq!(r.status, Status::Completed, "{r:?}");
        assert_eq!(r.result, Some(json!({"status": "ok", "id": 42})));
    }
    assert!(called(&sim, &runs[0]).contains(&"SendWelcome".to_string()));
    for id in &runs[1..] {
        assert!(!called(&sim, id).contains(&"SendWelcome".to_string()));
        assert!(!called(&sim, id).contains(&"CheckFraud".to_string()));
    }
}

#[test]
fn an_upgrade_is_durable_across_a_crash() {
    let mut sim = register_user_sim();
    deploy(&mut sim, "register-user.weft", REGISTER_USER);
    let id = sim
        .host
        .start_run(
            "RegisterUser",
            json!({"nick": "ann", "email": "a@x"}),
            None,
            sim.now,
        )
        .expect("starts")
        .run_id;
    settle(&mut sim);
    let v2 = deploy(
        &mut sim,
        "register-user.weft",
        &edit(
            REGISTER_USER,
            "    return({status: \"ok\", id: account.id})",
            "    return({status: \"ok\", id: account.id, version: 2})",
        ),
    );
    assert!(upgrade(&mut sim, &id, v2).upgraded);
    sim.crash().expect("restarts");
    let t = token(&mut sim, &id);
    sim.host
        .callback(&t, json!({"status": "ok"}), sim.now)
        .expect("takes the callback");
    settle(&mut sim);
    let r = record(&mut sim, &id);
    assert_eq!(r.version, v2);
    assert_eq!(
        r.result,
        Some(json!({"status": "ok", "id": 42, "version": 2}))
    );
}

#[test]
fn what_stops_the_question_is_an_error() {
    let mut sim = register_user_sim();
    let v1 = deploy(&mut sim, "register-user.weft", REGISTER_USER);
    let id = sim
        .host
        .start_run(
            "RegisterUser",
            json!({"nick": "ann", "email": "a@x"}),
            None,
            sim.now,
        )
        .expect("starts")
        .run_id;
    settle(&mut sim);
    assert!(matches!(
        sim.host.upgrade(&id, 9, "test", false, sim.now),
        Err(HostError::UnknownVersion(9))
    ));
    assert!(matches!(
        sim.host.upgrade("nope", v1, "test", false, sim.now),
        Err(HostError::UnknownRun(_))
    ));
    // Version 2 deployed after a question about it: it is not remembered
    // as missing.
    let v2 = deploy(&mut sim, "register-user.weft", REGISTER_USER);
    assert_eq!(v2, 2);
    let same = upgrade(&mut sim, &id, v2);
    assert!(same.upgraded, "{same:?}");
    let back = upgrade(&mut sim, &id, v1);
    assert!(!back.accepted);
    assert!(
        back.reasons[0].contains("only moves runs forward"),
        "{back:?}"
    );
}

#[test]
fn a_flow_wide_upgrade_moves_the_runs_it_can() {
    // One run waits for its callback; the other is still reserving its
    // nick. Version 2 adds a step between the two: before the first run's
    // wait, after the second's.
    let mut sim = sim(|activity, args| match activity {
        "ReserveNick" if args[0] == "slow" => Answer::Never,
        "ReserveNick" => ret(json!({"status": "ok", "nick": args[0], "ID": 7})),
        "SendActivationEmail" => ack(),
        _ => ret(json!({"status": "ok", "id": 1})),
    });
    deploy(&mut sim, "register-user.weft", REGISTER_USER);
    let mut ids = Vec::new();
    for nick in ["fast", "slow"] {
        ids.push(
            sim.host
                .start_run(
                    "RegisterUser",
                    json!({"nick": nick, "email": "e"}),
                    None,
                    sim.now,
                )
                .expect("starts")
                .run_id,
        );
    }
    settle(&mut sim);
    let wait = "    let confirmed = await SendActivationEmail";
    let v2 = deploy(
        &mut sim,
        "register-user.weft",
        &edit(
            REGISTER_USER,
            wait,
            &format!("    CheckFraud(input.email)\n{wait}"),
        ),
    );
    let report = sim
        .host
        .upgrade_flow("RegisterUser", v2, "test", false, sim.now)
        .expect("answers");
    sim.flush().expect("commits");
    assert!(!report.more);
    let by_run = |id: &str| {
        report
            .runs
            .iter()
            .find(|v| v.run_id == id)
            .unwrap_or_else(|| panic!("no verdict for {id}: {report:?}"))
    };
    assert!(!by_run(&ids[0]).upgraded, "{report:?}");
    assert!(by_run(&ids[1]).upgraded, "{report:?}");
    // The slow run's reservation comes back: it goes on with version 2's
    // new step.
    let task = sim
        .dispatched
        .iter()
        .find(|d| d.task.run_id == ids[1])
        .expect("dispatched")
        .task
        .clone();
    sim.host
        .deliver(
            &ids[1],
            Event::CallCompleted {
                call: task.call,
                attempt: task.attempt,
                value: json!({"status": "ok", "nick": "slow", "ID": 8}),
            },
            sim.now,
        )
        .expect("delivers");
    settle(&mut sim);
    assert!(called(&sim, &ids[1]).contains(&"CheckFraud".to_string()));
}

#[test]
fn branches_of_a_parallel_for_each_move_one_by_one() {
    let mut sim = sim(|activity, _| match activity {
        "GetSubscribers" => ret(json!([
            {"id": 1, "email": "a@x", "preferences": {"email": true}},
            {"id": 2, "email": "b@x", "preferences": {"email": true}},
        ])),
        // The e-mails are slow: the test answers them.
        "SendEmail" => Answer::Never,
        "AggregateResults" => ret(json!({"successCount": 2, "failures": []})),
        _ => ret(json!("ok")),
    });
    deploy(&mut sim, "notify-subscribers.weft", NOTIFY);
    let id = sim
        .host
        .start_run("NotifySubscribers", json!({"topic": "news"}), None, sim.now)
        .expect("starts")
        .run_id;
    settle(&mut sim);
    let v2 = deploy(
        &mut sim,
        "notify-subscribers.weft",
        &edit(
            NOTIFY,
            "        return({\n            subscriberId: subscriber.id,",
            "        Track(subscriber.id)\n        return({\n            subscriberId: subscriber.id,",
        ),
    );
    let v = upgrade(&mut sim, &id, v2);
    assert!(v.upgraded, "{v:?}");
    // The flow and its two branches moved.
    assert_eq!(v.moves.len(), 3, "{v:?}");
    let emails: Vec<weft_engine::Task> = sim
        .dispatched
        .iter()
        .filter(|d| d.task.activity == "SendEmail")
        .map(|d| d.task.clone())
        .collect();
    assert_eq!(emails.len(), 2);
    for t in emails {
        sim.host
            .deliver(
                &id,
                Event::CallCompleted {
                    call: t.call,
                    attempt: t.attempt,
                    value: json!("sent"),
                },
                sim.now,
            )
            .expect("delivers");
    }
    settle(&mut sim);
    let r = record(&mut sim, &id);
    assert_eq!(r.status, Status::Completed, "{r:?}");
    let tracked = called(&sim, &id).iter().filter(|a| *a == "Track").count();
    assert_eq!(tracked, 2);
}

#[test]
fn a_sub_flow_waiting_in_a_for_loop_moves_in_its_first_round_only() {
    let mut sim = sim(|activity, _| match activity {
        "CreateResearchPlan" => ret(json!({"criteria": {"role": "analyst"}, "sampleSize": 2})),
        "RecruitFromUserBase" | "RecruitFromPanel" | "RecruitFromSocialMedia" => ret(json!([])),
        "FilterAndSelectParticipants" => ret(json!([{"id": "u-1"}, {"id": "u-2"}])),
        "ScheduleSession" => ack(),
        "NotifyResearcher" | "LogSession" => ret(json!("ok")),
        _ => Answer::Never,
    });
    deploy(&mut sim, "product-discovery.weft", DISCOVERY);
    let id = sim
        .host
        .start_run(
            "ConductProductDiscovery",
            json!({"id": "H-3"}),
            None,
            sim.now,
        )
        .expect("starts")
        .run_id;
    settle(&mut sim);
    let children = sim
        .store()
        .list_runs(&RunQuery {
            parent: Some(id.clone()),
            limit: 10,
            ..RunQuery::default()
        })
        .expect("lists")
        .runs;
    let child = children
        .iter()
        .find(|c| c.flow == "RecruitParticipants")
        .expect("the recruiting sub-flow")
        .id
        .clone();
    let loop_wait = "            session = await ScheduleSession(participant) @timeout(5days)\n";
    let v2 = deploy(
        &mut sim,
        "product-discovery.weft",
        &edit(
            DISCOVERY,
            loop_wait,
            &format!("{loop_wait}            NotifyResearcher(participant)\n"),
        ),
    );
    let v3 = deploy(
        &mut sim,
        "product-discovery.weft",
        &edit(
            DISCOVERY,
            loop_wait,
            &format!("{loop_wait}            NotifyResearcher(participant)\n            LogSession(session)\n"),
        ),
    );
    // In its first round, the sub-flow can take a step after the wait.
    let moved = upgrade(&mut sim, &child, v2);
    assert!(moved.upgraded, "{moved:?}");
    // The parent waits for the sub-flow's result, which the new step does
    // not touch: it moves too.
    let parent = upgrade(&mut sim, &id, v2);
    assert!(parent.upgraded, "{parent:?}");
    let t = token(&mut sim, &child);
    sim.host
        .callback(
            &t,
            json!({"confirmed": true, "participant": "u-1"}),
            sim.now,
        )
        .expect("takes the callback");
    settle(&mut sim);
    assert_eq!(
        called(&sim, &child)
            .iter()
            .filter(|a| *a == "NotifyResearcher")
            .count(),
        1
    );
    // In its second round, a step added after the wait would have run in
    // the first: refused.
    let refused = upgrade(&mut sim, &child, v3);
    assert!(!refused.accepted, "{refused:?}");
    assert!(
        refused.reasons[0].contains("is in round 2"),
        "{:?}",
        refused.reasons
    );
    let t = token(&mut sim, &child);
    sim.host
        .callback(
            &t,
            json!({"confirmed": false, "participant": "u-2"}),
            sim.now,
        )
        .expect("takes the callback");
    settle(&mut sim);
    let c = record(&mut sim, &child);
    assert_eq!(c.status, Status::Completed, "{c:?}");
    assert_eq!(c.version, v2);
    assert_eq!(
        called(&sim, &child)
            .iter()
            .filter(|a| *a == "NotifyResearcher")
            .count(),
        2
    );
    assert_eq!(record(&mut sim, &id).version, v2);
    let _ = EPOCH_MS;
}

/// A fork onto a newer version (issue 16): the repair when the mistake
/// came before the failure. Version 1 passes `Use` the wrong value and
/// the run fails there; version 2 fixes the line after the first wait.
/// Forked from step 1 (waiting for `Step`) onto version 2, the new run
/// calls `Step` again, then `Use` with the fixed value, and completes; the
/// move is an `upgraded` entry of the fork's first step, and every step
/// of the fork replays. A version whose code before the wait changed is
/// refused with the checker's reasons, and nothing is recorded; a version
/// not deployed, or older than the one forked from, is refused too.
#[test]
fn a_fork_onto_a_newer_version_moves_the_state_by_the_upgrade_rule() {
    const V1: &str =
        "flow F(x) {\n    a = Step(x)\n    b = Use(a + 1)\n    return {a: a, b: b}\n}\n";
    let mut sim = sim(|activity, args| match (activity, args[0].as_i64()) {
        ("Step", _) => ret(json!(5)),
        ("Use", Some(6)) => Answer::Fail {
            error: "6 is the wrong value".into(),
            retryable: false,
            after_ms: 0,
        },
        (_, n) => ret(json!(n)),
    });
    let v1 = deploy(&mut sim, "f.weft", V1);
    let id = sim
        .host
        .start_run("F", json!(1), None, sim.now)
        .expect("starts")
        .run_id;
    settle(&mut sim);
    assert_eq!(record(&mut sim, &id).status, Status::Failed);
    let v2 = deploy(&mut sim, "f.weft", &edit(V1, "Use(a + 1)", "Use(a * 10)"));
    let v3 = deploy(&mut sim, "f.weft", &edit(V1, "Step(x)", "Step(x + 1)"));
    let runs_before = sim
        .store()
        .list_runs(&RunQuery {
            limit: 100,
            ..RunQuery::default()
        })
        .unwrap()
        .runs
        .len();

    // Refused: the wait's own call changed in version 3.
    let err = sim
        .host
        .fork(&id, 1, Some(v3), "ann@ops", sim.now)
        .unwrap_err();
    match &err {
        HostError::ForkRefused {
            from, to, reasons, ..
        } => {
            assert_eq!((*from, *to), (v1, v3));
            assert!(!reasons.is_empty());
        }
        other => panic!("{other}"),
    }
    // Not deployed.
    let err = sim
        .host
        .fork(&id, 1, Some(9), "ann@ops", sim.now)
        .unwrap_err();
    assert!(matches!(err, HostError::UnknownVersion(9)), "{err}");
    sim.flush().expect("commits");
    let runs_after = sim
        .store()
        .list_runs(&RunQuery {
            limit: 100,
            ..RunQuery::default()
        })
        .unwrap()
        .runs
        .len();
    assert_eq!(runs_after, runs_before, "a refused fork left a run");

    // Onto version 2.
    let fork = sim
        .host
        .fork(&id, 1, Some(v2), "ann@ops", sim.now)
        .expect("forks onto version 2");
    settle(&mut sim);
    let r = record(&mut sim, &fork);
    assert_eq!(r.status, Status::Completed, "{r:?}");
    assert_eq!(r.version, v2);
    assert_eq!(r.forked_from.as_deref(), Some(id.as_str()));
    assert_eq!(r.result, Some(json!({"a": 5, "b": 50})));
    assert_eq!(called(&sim, &fork), ["Step", "Use"]);
    assert_eq!(
        upgrades_in_journal(&sim, &fork),
        [("ann@ops".to_string(), v1, v2)]
    );
    let store = sim.store().clone();
    let programs = |v: i64| weft_runtime::travel::compile_version(store.as_ref(), v);
    let steps = store.journal(&fork).unwrap().len() as i64;
    for step in 1..=steps {
        let at = weft_runtime::travel::state_at(store.as_ref(), &programs, &fork, step)
            .unwrap_or_else(|e| panic!("step {step}: {e}"));
        assert_eq!(
            weft_runtime::travel::version_at(&at.journal, r.version, step),
            v2
        );
    }
    // Not back onto an older version.
    let err = sim
        .host
        .fork(&fork, 1, Some(v1), "ann@ops", sim.now)
        .unwrap_err();
    assert!(
        matches!(&err, HostError::Fork(m) if m.contains("older")),
        "{err}"
    );
    // A fork of the fork starts on version 2, where the fork stood.
    let again = sim
        .host
        .fork(&fork, 1, None, "ann@ops", sim.now)
        .expect("forks the fork");
    settle(&mut sim);
    let r = record(&mut sim, &again);
    assert_eq!((r.version, r.status), (v2, Status::Completed), "{r:?}");
    assert_eq!(r.result, Some(json!({"a": 5, "b": 50})));
    // The original is untouched.
    let r = record(&mut sim, &id);
    assert_eq!((r.version, r.status), (v1, Status::Failed));
}
