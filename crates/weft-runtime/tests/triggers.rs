//! Triggers and schedules on the real host, in virtual time: a machine's
//! `created` event starts the seed's moderation; a cron schedule fires on
//! time across a DST change in a named zone; missed fires are caught up
//! after downtime as the policy says; overlap policies; pause, resume and
//! trigger now; a crash before a fire's commit fires it once after.

use std::sync::Arc;

use serde_json::{json, Value as Json};
use weft_engine::state::Status;
use weft_runtime::host::{CommandRequest, ScheduleAction};
use weft_runtime::sim::{Answer, Sim, EPOCH_MS};
use weft_store::{MemoryStore, RunQuery, RunRecord, SourceText, Store};

fn sim_with(source: &str, answers: Vec<Answer>) -> Sim {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let mut next = 0;
    let responder = Box::new(move |_t: &weft_engine::Task, _now: i64| {
        let a = answers[next.min(answers.len() - 1)].clone();
        next += 1;
        a
    });
    let mut sim = Sim::new(store, 5, responder);
    sim.host
        .deploy(
            &[SourceText {
                name: "t.weft".into(),
                text: source.into(),
            }],
            sim.now,
        )
        .expect("deploys");
    sim
}

fn runs_of(sim: &Sim, flow: &str) -> Vec<RunRecord> {
    let mut runs = sim
        .store()
        .list_runs(&RunQuery {
            flow: Some(flow.into()),
            limit: 10_000,
            ..RunQuery::default()
        })
        .unwrap()
        .runs;
    runs.sort_by_key(|r| r.created_at);
    runs
}

fn ms(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

const MODERATION: &str = include_str!("../../../examples/triggers/moderation.weft");

#[test]
fn creating_a_question_starts_the_seeds_moderation_once() {
    let mut sim = sim_with(
        MODERATION,
        vec![Answer::Return {
            value: json!({"ok": true}),
            after_ms: 10,
        }],
    );
    let send = |sim: &mut Sim, key: &str, id: &str| {
        let now = sim.now;
        sim.host
            .send_command(
                CommandRequest {
                    machine: "question".into(),
                    key: key.into(),
                    command: "CreateQuestion".into(),
                    input: json!({"text": "Is it durable?", "author": "ann"}),
                    command_id: Some(id.into()),
                    reply: None,
                },
                now,
            )
            .unwrap();
        sim.run_until_idle(i64::MAX).unwrap();
    };
    send(&mut sim, "q1", "c1");
    // The same command again is the same command: no second event.
    send(&mut sim, "q1", "c1");
    let runs = runs_of(&sim, "AutomaticModeration");
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0].status, Status::Completed);
    assert_eq!(
        runs[0].idempotency_key.as_deref(),
        Some("event:AutomaticModeration:machine:question/q1/1")
    );
    assert_eq!(runs[0].input["subject"], "question");
    assert_eq!(runs[0].input["type"], "created");
    let activities: Vec<&str> = sim
        .dispatched
        .iter()
        .map(|d| d.task.activity.as_str())
        .collect();
    assert_eq!(
        activities,
        ["aws.TextModeration", "google.Sentiment", "custom.Toxicity"]
    );
    // The moderation's own UpdateQuestion is an `updated` event: taken,
    // and it starts nothing.
    let q = sim
        .store()
        .instance("question", "q1")
        .unwrap()
        .unwrap()
        .instance;
    assert_eq!(q.version, 2);
    assert_eq!(q.state["moderation"]["text"], json!({"ok": true}));
    let updated = sim.store().event("machine:question/q1/2").unwrap().unwrap();
    assert_eq!(updated.event.kind, "updated");
    assert!(updated.starts.is_empty());
}

const NIGHTLY: &str = r#"
flow Report(x) {
    return x
}

sdk.Schedule({name: "nightly", cron: "30 2 * * *", timezone: "Europe/Berlin", run: "Report"})
"#;

#[test]
fn a_cron_schedule_fires_on_time_in_virtual_time_across_a_dst_change() {
    let mut sim = sim_with(NIGHTLY, vec![Answer::Never]);
    // From 2026-01-01 to 2026-04-01: every night at 02:30 Berlin time,
    // the night of the spring change (no 02:30 that day) at 03:00 CEST.
    sim.run_until_idle(ms("2026-04-01T00:00:00Z")).unwrap();
    let runs = runs_of(&sim, "Report");
    assert_eq!(runs.len(), 90, "one run a night");
    let at = |r: &RunRecord| r.input["at"].as_i64().unwrap();
    assert_eq!(at(&runs[0]), ms("2026-01-01T01:30:00Z"));
    let change = runs
        .iter()
        .find(|r| at(r) >= ms("2026-03-29T00:00:00Z"))
        .unwrap();
    assert_eq!(at(change), ms("2026-03-29T01:00:00Z"));
    assert_eq!(at(runs.last().unwrap()), ms("2026-03-31T00:30:00Z"));
    // Each started at its fire time, virtual time, not later.
    for r in &runs {
        assert_eq!(r.created_at, at(r), "{r:?}");
        assert_eq!(r.status, Status::Completed);
        assert_eq!(
            r.idempotency_key.as_deref(),
            Some(format!("schedule:nightly:{}", at(r)).as_str())
        );
    }
    let row = &sim.store().schedules().unwrap()[0];
    assert_eq!(row.fires, 90);
    assert_eq!(row.next_at, Some(ms("2026-04-01T00:30:00Z")));
}

fn every(catchup: &str, overlap: &str, body: &str) -> String {
    format!(
        "flow Tick(x) {{\n    {body}\n    return x\n}}\n\nsdk.Schedule({{name: \"tick\", every: 1h, run: \"Tick\", catchup: \"{catchup}\", overlap: \"{overlap}\"{}}})\n",
        if catchup == "all" { ", catchupMax: 3" } else { "" }
    )
}

/// A node that was down misses fires; on its return the policy decides.
fn after_downtime(catchup: &str) -> (usize, i64, Vec<i64>) {
    let mut sim = sim_with(&every(catchup, "allow", "y = 1"), vec![Answer::Never]);
    sim.run_until_idle(EPOCH_MS + 2 * 3_600_000).unwrap();
    assert_eq!(runs_of(&sim, "Tick").len(), 2);
    // Down for ten hours: the host comes back later.
    sim.now += 10 * 3_600_000 + 60_000;
    sim.crash().unwrap();
    sim.run_until_idle(sim.now).unwrap();
    let runs = runs_of(&sim, "Tick");
    let row = sim.store().schedules().unwrap().remove(0);
    let mut ats: Vec<i64> = runs[2..]
        .iter()
        .map(|r| r.input["at"].as_i64().unwrap() - EPOCH_MS)
        .collect();
    ats.sort_unstable();
    (runs.len() - 2, row.skipped, ats)
}

#[test]
fn missed_fires_are_caught_up_as_the_policy_says() {
    let h = 3_600_000;
    // Fires at 3h..12h were missed (10 of them); now is 12h01m.
    assert_eq!(after_downtime("none"), (1, 9, vec![12 * h]));
    assert_eq!(after_downtime("last"), (1, 9, vec![12 * h]));
    assert_eq!(after_downtime("all"), (3, 7, vec![10 * h, 11 * h, 12 * h]));
}

#[test]
fn a_fire_while_the_last_run_runs_is_skipped_queued_or_started() {
    // The run waits for an activity that answers after 90 minutes: the
    // next hour's fire finds it running.
    let slow = || {
        vec![Answer::Return {
            value: json!(1),
            after_ms: 90 * 60_000,
        }]
    };
    let run = |overlap: &str| {
        let mut sim = sim_with(&every("last", overlap, "Work(x)"), slow());
        sim.run_until_idle(EPOCH_MS + 4 * 3_600_000 - 1).unwrap();
        let row = sim.store().schedules().unwrap().remove(0);
        (runs_of(&sim, "Tick").len(), row.skipped, row.queued)
    };
    // Fires at 1h, 2h, 3h; each run takes 1h30.
    assert_eq!(run("allow"), (3, 0, 0));
    assert_eq!(run("skip"), (2, 1, 0));
    let (started, skipped, queued) = run("queue");
    assert_eq!(skipped, 0);
    assert_eq!(started + queued as usize, 3, "every fire started or waits");
}

/// A failed run waits for an operator, who may retry it: it holds back
/// the next fires (skipped or queued, with the reason in `lastError`)
/// until it is cancelled, resolved or retried to its end; `allow` does not
/// wait for it.
#[test]
fn a_failed_run_holds_back_the_next_fires_until_an_operator_acts() {
    let answers = || {
        vec![
            Answer::Fail {
                error: "disk full".into(),
                retryable: false,
                after_ms: 0,
            },
            Answer::Return {
                value: json!(1),
                after_ms: 0,
            },
        ]
    };
    let run = |overlap: &str| {
        let mut sim = sim_with(&every("last", overlap, "Work(x)"), answers());
        // Fires at 1h (fails), 2h and 3h.
        sim.run_until_idle(EPOCH_MS + 3 * 3_600_000 + 1_000)
            .unwrap();
        let runs = runs_of(&sim, "Tick");
        assert_eq!(runs[0].status, Status::Failed, "{overlap}");
        let row = sim.store().schedules().unwrap().remove(0);
        let held = (runs.len(), row.skipped, row.queued, row.last_error.clone());
        // The operator cancels it; the next fire (4h) starts, and a
        // queued one starts at once.
        let now = sim.now;
        sim.host
            .deliver(
                &runs[0].id,
                weft_engine::Event::Cancel {
                    reason: "given up".into(),
                },
                now,
            )
            .unwrap();
        sim.run_until_idle(EPOCH_MS + 4 * 3_600_000 + 1_000)
            .unwrap();
        let row = sim.store().schedules().unwrap().remove(0);
        (held, runs_of(&sim, "Tick").len(), row.skipped, row.queued)
    };
    let ((n, skipped, queued, error), after, skipped_after, _) = run("skip");
    assert_eq!((n, skipped, queued), (1, 2, 0));
    let error = error.unwrap();
    assert!(
        error.contains("failed and waits for an operator") && error.contains("skipped"),
        "{error}"
    );
    assert_eq!((after, skipped_after), (2, 2), "the fire at 4h started");
    let ((n, skipped, queued, error), after, _, queued_after) = run("queue");
    assert_eq!((n, skipped, queued), (1, 0, 2));
    assert!(error.unwrap().contains("queued"));
    // One queued fire starts when the failed run is cancelled; it ends at
    // once, so the next queued one and the fire at 4h follow.
    assert_eq!((after, queued_after), (4, 0));
    let ((n, skipped, queued, _), _, _, _) = run("allow");
    assert_eq!((n, skipped, queued), (3, 0, 0));
}

#[test]
fn pause_resume_and_trigger_now() {
    let mut sim = sim_with(&every("last", "allow", "y = 1"), vec![Answer::Never]);
    let now = sim.now;
    sim.host
        .schedule_action("tick", ScheduleAction::Pause, now)
        .unwrap();
    sim.run_until_idle(EPOCH_MS + 3 * 3_600_000).unwrap();
    assert!(runs_of(&sim, "Tick").is_empty(), "paused: nothing fires");
    let now = sim.now;
    let row = sim
        .host
        .schedule_action("tick", ScheduleAction::Trigger, now)
        .unwrap();
    sim.run_until_idle(now).unwrap();
    assert_eq!(
        runs_of(&sim, "Tick").len(),
        1,
        "trigger now starts a run even paused"
    );
    assert!(row.paused);
    sim.now = EPOCH_MS + 3 * 3_600_000 + 10;
    let now = sim.now;
    let row = sim
        .host
        .schedule_action("tick", ScheduleAction::Resume, now)
        .unwrap();
    assert_eq!(
        row.next_at,
        Some(EPOCH_MS + 4 * 3_600_000),
        "missed fires are not caught up"
    );
    sim.run_until_idle(EPOCH_MS + 5 * 3_600_000).unwrap();
    assert_eq!(runs_of(&sim, "Tick").len(), 3);
    assert!(matches!(
        sim.host.schedule_action("nope", ScheduleAction::Pause, now),
        Err(weft_runtime::HostError::UnknownSchedule(_))
    ));
}

#[test]
fn a_crash_before_a_fire_commits_fires_it_once_after() {
    let mut sim = sim_with(&every("last", "allow", "y = 1"), vec![Answer::Never]);
    sim.flush().unwrap();
    // Take the fire at 1h into the batch, and crash before committing.
    sim.now = EPOCH_MS + 3_600_000;
    let now = sim.now;
    sim.host.fire_due_timers(now).unwrap();
    sim.crash().unwrap();
    assert!(runs_of(&sim, "Tick").is_empty());
    sim.run_until_idle(EPOCH_MS + 3_600_000 + 1).unwrap();
    let runs = runs_of(&sim, "Tick");
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].input["at"], json!(EPOCH_MS + 3_600_000));
    let _: Json = runs[0].input.clone();
}

#[test]
fn a_new_version_without_the_schedule_retires_it() {
    let mut sim = sim_with(NIGHTLY, vec![Answer::Never]);
    let now = sim.now;
    sim.host
        .deploy(
            &[SourceText {
                name: "t.weft".into(),
                text: "flow Report(x) {\n    return 2\n}\n".into(),
            }],
            now,
        )
        .unwrap();
    sim.run_until_idle(EPOCH_MS + 3 * 86_400_000).unwrap();
    assert!(runs_of(&sim, "Report").is_empty());
    let row = sim.store().schedules().unwrap().remove(0);
    assert!(row.retired);
    assert_eq!(row.next_at, None);
}
