//! Events in scenarios: `events:` posted in order, each with what it must
//! start, run on the real engine in virtual time.

use std::path::{Path, PathBuf};

use weft_scenario::{parse, run};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/events")
}

fn failures(text: &str) -> Vec<String> {
    let s = parse(&dir().join("t.test.yaml"), text).unwrap();
    run(&s).failures
}

const ACTIVITIES: &str = "activities:\n  Classify:\n    - return: fine\n";

/// What the events start holds up: the condition selects, every event
/// starts Audit, a duplicate starts nothing, and a failed condition is
/// recorded on its event.
#[test]
fn posted_events_start_what_their_triggers_say() {
    let text = format!(
        r#"
source: scored.weft
events:
  - id: p1
    type: created
    subject: post
    data: {{score: 5, text: hello}}
    expect:
      duplicate: false
      runs:
        Review: {{count: 1, status: completed, result: {{id: p1, verdict: fine}}}}
        Audit: {{status: completed, result: p1}}
  - id: p2
    type: created
    subject: post
    data: {{score: 2}}
    after: 1h
    expect: {{runs: {{Audit: 1}}}}
  - id: p3
    type: created
    subject: post
    data: {{text: no score}}
    expect:
      runs: {{Audit: 1}}
      errors: {{Review: "where: cannot compare null with number"}}
  - id: p1
    type: created
    subject: post
    data: {{score: 9}}
    expect: {{duplicate: true, runs: {{}}}}
{ACTIVITIES}expect:
  calls: {{Classify: 1}}
"#
    );
    assert_eq!(failures(&text), Vec::<String>::new());
}

/// Expectations that do not hold are reported, each with its event.
#[test]
fn expectations_that_do_not_hold_are_reported() {
    let text = format!(
        r#"
source: scored.weft
events:
  - id: p1
    type: created
    subject: post
    data: {{score: 5, text: hello}}
    expect:
      duplicate: true
      runs:
        Review: {{count: 2, result: {{verdict: bad}}}}
  - id: p2
    type: created
    subject: post
    data: {{score: 1}}
    expect:
      runs: {{Review: 1, Audit: 1}}
      errors: {{Audit: "where"}}
{ACTIVITIES}"#
    );
    let got = failures(&text);
    let want = [
        "events[0] (p1): expected a duplicate, got a new event",
        "events[0] (p1): started 1 run(s) of Audit, which `runs` does not list",
        "events[0] (p1): expected 2 run(s) of Review, got 1",
        "result.verdict",
        "events[1] (p2): expected trigger Audit to record an error containing \"where\", got a run",
        "events[1] (p2): expected 1 run(s) of Review, got 0",
    ];
    assert_eq!(got.len(), want.len(), "{got:#?}");
    for (g, w) in got.iter().zip(want) {
        assert!(g.contains(w), "{g:?} does not contain {w:?}\n{got:#?}");
    }
}

/// The example of examples/triggers that posts a question's `created`
/// event (not made by a command) passes, and fails when its expected
/// result is changed.
#[test]
fn the_moderation_example_with_a_posted_event_passes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/triggers/moderated-by-posted-event.test.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let s = parse(&path, &text).unwrap();
    assert_eq!(run(&s).failures, Vec::<String>::new());
    let changed = text.replace("result: {moderated: true}", "result: {moderated: false}");
    assert_ne!(changed, text);
    let s = parse(&path, &changed).unwrap();
    let f = run(&s).failures;
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].contains("moderated"), "{f:#?}");
}
