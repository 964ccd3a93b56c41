//! The run state machine, tested by what it emits.
//!
//! Each file of `tests/cases/machine/` is a transcript: a program (the
//! flows, up to the first line that starts with `>`), then events, each on a
//! `> ` line followed by what the machine emitted for it: journal entries
//! and commands in order, an operator action's refusal, and the run's
//! status, what it waits for and where it stands. A program is compiled
//! under the latest edition, or under the one a `// edition N` line of it
//! names. The test plays the events
//! and compares the whole transcript; `UPDATE_EXPECT=1` rewrites the emitted
//! lines from what the machine does now.
//!
//! Events (`CALL` is a call's number, the suffix of its call id):
//!
//! ```text
//! > start [FLOW] [depth N] [JSON]       the first flow (or FLOW) with input JSON
//! > complete CALL [attempt N] [JSON]    an attempt returned (default: the current attempt)
//! > fail CALL [attempt N] [fatal] "why" an attempt failed (retryable unless `fatal`)
//! > callback CALL JSON                  an awaited call's callback
//! > after DURATION                      virtual time passes (no event)
//! > fire KEY                            a timer fired
//! > child N done JSON | child N cancelled     child run N finished
//! > child run ID done JSON | child run ID cancelled   ... named by run id
//! > retry | resolve JSON | cancel REASON      an operator's action
//! > event JSON                          any event, as the host stores it
//! > upgrade N                           a live upgrade to version N
//! ```
//!
//! A case may give several versions of its program: the text after a line
//! `=== version N` (up to the next such line or the first event) is version
//! N; the text before the first is version 1. `> upgrade N` shows what
//! `weft_engine::upgrade::plan` decides: the refusal's reasons, or the
//! translation (each fiber's frames, old place to new, and the variables
//! carried), after which the run goes on under version N. The cases of
//! `tests/cases/upgrade/` are played by the same harness.
//!
//! The world is fixed: time starts at 2026-01-01T00:00:00Z and times are
//! shown from there (`+1h`); the run is `run`, child runs `child-1`, ...,
//! callback tokens `token-1`, ...; back-off jitter is always one half.
//!
//! A run still busy at the end of its turn (`weft_engine::limits::TIME_SLICE`)
//! arms its `continue` timer; the test fires it at once, as a host would,
//! until the run waits, and shows each next turn after a `turn` line.
//!
//! After every event the state must keep its invariants
//! ([`RunState::check_invariants`]), and every case is played twice: once
//! keeping the state in memory and once reading it back from its snapshot
//! after each event, as a host does after a restart. Both must emit the
//! same transcript.

use std::fmt::Write;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use weft_engine::machine::{self, Env};
use weft_engine::state::{Command, EntryKind, Event, RunState, Waiting};
use weft_engine::time::{format_duration, parse_duration};
use weft_engine::{compile_sources_in, Edition, Program};

/// Where virtual time starts: 2026-01-01T00:00:00Z.
const EPOCH_MS: i64 = 1_767_225_600_000;

/// The run's id.
const RUN_ID: &str = "run";

/// The program's one file, as locations name it.
const FILE: &str = "main.weft";

struct World {
    now: i64,
    tokens: u32,
    children: u32,
}

impl Env for World {
    fn now(&self) -> i64 {
        self.now
    }
    fn token(&mut self) -> String {
        self.tokens += 1;
        format!("token-{}", self.tokens)
    }
    fn run_id(&mut self) -> String {
        self.children += 1;
        format!("child-{}", self.children)
    }
    fn jitter(&mut self) -> f64 {
        0.5
    }
}

/// A case file: the program's versions and the event lines.
struct Case {
    /// Everything before the first event, as written.
    head: String,
    /// The program's versions, version 1 first.
    versions: Vec<String>,
    events: Vec<String>,
}

fn parse_case(text: &str) -> Case {
    let mut head = String::new();
    let mut versions = vec![String::new()];
    let mut events = Vec::new();
    for line in text.lines() {
        if let Some(event) = line.strip_prefix("> ") {
            events.push(event.trim().to_string());
        } else if events.is_empty() {
            head.push_str(line);
            head.push('\n');
            if let Some(n) = line.strip_prefix("=== version ") {
                assert_eq!(
                    n.trim().parse::<usize>().ok(),
                    Some(versions.len() + 1),
                    "versions are numbered 2, 3, ... in order"
                );
                versions.push(String::new());
            } else {
                let v = versions.last_mut().expect("version 1 is there");
                v.push_str(line);
                v.push('\n');
            }
        }
    }
    Case {
        head: head.trim_end().to_string() + "\n",
        versions: versions
            .into_iter()
            .map(|v| v.trim_end().to_string() + "\n")
            .collect(),
        events,
    }
}

/// Shows a time as an offset from the start of virtual time.
fn when(at: i64) -> String {
    let offset = at - EPOCH_MS;
    if offset < 0 {
        format_duration(offset)
    } else {
        format!("+{}", format_duration(offset))
    }
}

fn json(v: &Json) -> String {
    v.to_string()
}

fn entry(kind: &EntryKind) -> String {
    match kind {
        EntryKind::Started { input } => format!("started {}", json(input)),
        EntryKind::CallStarted {
            call_id,
            activity,
            args,
            attempt,
            awaited,
            line,
        } => format!(
            "call-started {call_id} {activity} attempt {attempt} args {}{}{}",
            json(args),
            if *awaited { " awaited" } else { "" },
            line.map(|l| format!(" line {l}")).unwrap_or_default()
        ),
        EntryKind::CallAcknowledged { call_id, activity } => {
            format!("call-acknowledged {call_id} {activity}")
        }
        EntryKind::CallCompleted {
            call_id,
            activity,
            attempt,
            value,
            duration_ms,
            how,
        } => format!(
            "call-completed {call_id} {activity} attempt {attempt} {how} {} after {}",
            json(value),
            format_duration(*duration_ms)
        ),
        EntryKind::CallFailed {
            call_id,
            activity,
            attempt,
            error,
            retry_at,
        } => format!(
            "call-failed {call_id} {activity} attempt {attempt} {error:?} {}",
            match retry_at {
                Some(at) => format!("retry at {}", when(*at)),
                None => "for good".into(),
            }
        ),
        EntryKind::TimerStarted { until } => format!("timer-started until {}", when(*until)),
        EntryKind::TimerFired { key } => format!("timer-fired {key}"),
        EntryKind::Now { value } => format!("now {}", when(*value)),
        EntryKind::ChildStarted { run_id, flow } => format!("child-started {run_id} {flow}"),
        EntryKind::ChildFinished { run_id, result } => format!(
            "child-finished {run_id} {}",
            result.as_ref().map(json).unwrap_or("cancelled".into())
        ),
        EntryKind::Failed { error, location } => format!(
            "failed {error:?}{}",
            location
                .as_ref()
                .map(|l| format!(" at {}:{}:{} `{}`", l.file, l.line, l.col, l.source_line))
                .unwrap_or_default()
        ),
        EntryKind::Retried => "retried".into(),
        EntryKind::Resolved { value } => format!("resolved {}", json(value)),
        EntryKind::Forked { from, step } => format!("forked from {from} step {step}"),
        EntryKind::Completed { result } => format!("completed {}", json(result)),
        EntryKind::Cancelled { reason } => format!("cancelled {reason:?}"),
        EntryKind::Upgraded { by, from, to, .. } => format!("upgraded by {by} from {from} to {to}"),
    }
}

fn command(c: &Command) -> String {
    match c {
        Command::Dispatch(t) => format!(
            "dispatch {} {} attempt {} args {}{}{}",
            t.call_id,
            t.activity,
            t.attempt,
            json(&t.args),
            t.deadline
                .map(|d| format!(" deadline {}", when(d)))
                .unwrap_or_default(),
            t.callback_token
                .as_ref()
                .map(|k| format!(" token {k}"))
                .unwrap_or_default()
        ),
        Command::CancelTask {
            call_id,
            callback_token,
        } => format!(
            "cancel-task {call_id}{}",
            callback_token
                .as_ref()
                .map(|k| format!(" token {k}"))
                .unwrap_or_default()
        ),
        Command::SetTimer { key, at } => format!("set-timer {key} at {}", when(*at)),
        Command::ClearTimer { key } => format!("clear-timer {key}"),
        Command::RegisterToken { token, call } => format!("register-token {token} call {call}"),
        Command::StartChild {
            child,
            run_id,
            flow,
            start,
            depth,
        } => format!(
            "start-child {child} {run_id} {flow} depth {depth} input {}",
            json(&start.input)
        ),
        Command::CancelChild { run_id } => format!("cancel-child {run_id}"),
        Command::Finished { result } => format!(
            "finished {}",
            result.as_ref().map(json).unwrap_or("(cancelled)".into())
        ),
    }
}

/// The run's status, what it waits for and where its branches stand.
fn summary(program: &Program, state: &RunState, out: &mut Vec<String>) {
    out.push(format!("status   {}", state.status.as_str()));
    for w in state.waiting() {
        out.push(match w {
            Waiting::Activity {
                activity,
                call_id,
                callback,
                token,
                until,
                ..
            } => format!(
                "waiting  {} {activity} {call_id}{}{}",
                if callback { "callback" } else { "activity" },
                token.map(|t| format!(" token {t}")).unwrap_or_default(),
                until
                    .map(|u| format!(" until {}", when(u)))
                    .unwrap_or_default()
            ),
            Waiting::Timer { until } => format!("waiting  timer until {}", when(until)),
            Waiting::Child { run_id, flow } => format!("waiting  child {run_id} {flow}"),
        });
    }
    let located = machine::positions(program, state);
    // The record's position, made the short way, is the first of these.
    assert_eq!(
        machine::position_text(program, state),
        located.first().map(|l| format!("{}:{}", l.file, l.line))
    );
    let positions: Vec<String> = located
        .iter()
        .map(|l| format!("{}:{}", l.line, l.col))
        .collect();
    if !positions.is_empty() {
        out.push(format!("at       {}", positions.join(", ")));
    }
}

/// Splits off the first word of `rest`.
fn word<'a>(rest: &mut &'a str) -> Option<&'a str> {
    let text = rest.trim_start();
    if text.is_empty() {
        return None;
    }
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    *rest = &text[end..];
    Some(&text[..end])
}

/// Takes `keyword N` from the front of `rest` when it is there.
fn option(rest: &mut &str, keyword: &str) -> Result<Option<u32>, String> {
    let mut probe = *rest;
    if word(&mut probe) != Some(keyword) {
        return Ok(None);
    }
    let n = word(&mut probe).ok_or(format!("`{keyword}` needs a number"))?;
    *rest = probe;
    n.parse()
        .map(Some)
        .map_err(|_| format!("`{keyword} {n}`: not a number"))
}

fn json_arg(rest: &str) -> Result<Json, String> {
    let text = rest.trim();
    if text.is_empty() {
        return Ok(Json::Null);
    }
    serde_json::from_str(text).map_err(|e| format!("`{text}` is not JSON: {e}"))
}

fn number(text: Option<&str>, what: &str) -> Result<u32, String> {
    let text = text.ok_or(format!("missing {what}"))?;
    text.parse()
        .map_err(|_| format!("{what} `{text}` is not a number"))
}

/// One event line as an engine event (`None` for `after`, which only moves
/// the clock).
fn event(line: &str, state: &RunState, world: &mut World) -> Result<Option<Event>, String> {
    let mut rest = line;
    let verb = word(&mut rest).ok_or("an empty event")?;
    let current_attempt = |call: u32| state.calls.get(&call).map(|c| c.attempt).unwrap_or(1);
    Ok(Some(match verb {
        "complete" => {
            let call = number(word(&mut rest), "call number")?;
            let attempt = option(&mut rest, "attempt")?.unwrap_or(current_attempt(call));
            Event::CallCompleted {
                call,
                attempt,
                value: json_arg(rest)?,
            }
        }
        "fail" => {
            let call = number(word(&mut rest), "call number")?;
            let attempt = option(&mut rest, "attempt")?.unwrap_or(current_attempt(call));
            let mut probe = rest;
            let fatal = word(&mut probe) == Some("fatal");
            if fatal {
                rest = probe;
            }
            let error = match json_arg(rest)? {
                Json::String(s) => s,
                other => return Err(format!("`fail` needs its error as a string, not {other}")),
            };
            Event::CallFailed {
                call,
                attempt,
                error,
                retryable: !fatal,
            }
        }
        "callback" => Event::Callback {
            call: number(word(&mut rest), "call number")?,
            value: json_arg(rest)?,
        },
        "after" => {
            let text = rest.trim();
            let d = parse_duration(text).ok_or(format!("`{text}` is not a duration"))?;
            world.now += d;
            return Ok(None);
        }
        "fire" => Event::TimerFired {
            key: word(&mut rest)
                .ok_or("`fire` needs a timer key")?
                .to_string(),
        },
        "child" => {
            let (child, run_id) = match word(&mut rest) {
                Some("run") => (
                    0,
                    Some(
                        word(&mut rest)
                            .ok_or("`child run` needs an id")?
                            .to_string(),
                    ),
                ),
                n => (number(n, "child index")?, None),
            };
            let result = match word(&mut rest) {
                Some("done") => Some(json_arg(rest)?),
                Some("cancelled") => None,
                _ => return Err("`child` takes `done JSON` or `cancelled`".into()),
            };
            Event::ChildFinished {
                child,
                run_id,
                result,
            }
        }
        "retry" => Event::Retry,
        "resolve" => Event::Resolve {
            value: json_arg(rest)?,
        },
        "cancel" => Event::Cancel {
            reason: rest.trim().to_string(),
        },
        "event" => serde_json::from_str(rest.trim()).map_err(|e| format!("not an event: {e}"))?,
        other => return Err(format!("unknown event `{other}`")),
    }))
}

/// Asserts the invariants and, when `reload`, replaces the state with the
/// one read back from its snapshot (which must serialize the same again).
fn settle(program: &Program, state: &mut RunState, reload: bool, at: &str) {
    if let Err(e) = state.check_invariants(program) {
        panic!("{at}: {e}");
    }
    if reload {
        let bytes = serde_json::to_vec(state).expect("a state serializes");
        let back: RunState = serde_json::from_slice(&bytes).expect("a snapshot reads back");
        let again = serde_json::to_vec(&back).expect("a state serializes");
        assert!(
            bytes == again,
            "{at}: the snapshot changes when read back and written again"
        );
        *state = back;
    }
}

/// The edition a case is compiled under: the latest, unless a line of its
/// program is `// edition N` (to show what an earlier edition does).
fn edition_of(source: &str) -> Edition {
    source
        .lines()
        .find_map(|l| l.trim().strip_prefix("// edition "))
        .map(|n| {
            let n: u32 = n.trim().parse().expect("`// edition N` names a number");
            Edition::from_number(n).expect("`// edition N` names an edition")
        })
        .unwrap_or(Edition::LATEST)
}

/// Plays a case and returns its transcript.
fn play(name: &str, case: &Case, reload: bool) -> String {
    let programs: Vec<Program> = case
        .versions
        .iter()
        .enumerate()
        .map(|(i, source)| {
            compile_sources_in(&[(FILE, source)], edition_of(source))
                .unwrap_or_else(|e| panic!("{name}: version {} does not compile: {e}", i + 1))
        })
        .collect();
    let mut version = 0;
    let mut world = World {
        now: EPOCH_MS,
        tokens: 0,
        children: 0,
    };
    let mut transcript = case.head.clone();
    let mut state: Option<RunState> = None;
    for line in &case.events {
        let at = format!("{name}, event `{line}`");
        let mut out: Vec<String> = Vec::new();
        let mut rest = line.as_str();
        let program = &programs[version];
        let verb = word(&mut rest);
        if verb == Some("upgrade") {
            let s = state
                .as_mut()
                .unwrap_or_else(|| panic!("{at}: the first event must be `start`"));
            let to =
                number(word(&mut rest), "version").unwrap_or_else(|e| panic!("{at}: {e}")) as usize;
            let target = programs
                .get(to.wrapping_sub(1))
                .unwrap_or_else(|| panic!("{at}: no version {to}"));
            match weft_engine::upgrade::plan(program, target, s) {
                Ok(plan) => {
                    out.push(format!("upgraded to version {to}"));
                    for l in plan.lines() {
                        out.push(format!("  {l}"));
                    }
                    *s = plan.state;
                    version = to - 1;
                    settle(target, s, reload, &at);
                    summary(target, s, &mut out);
                }
                Err(refusal) => {
                    for r in refusal.reasons {
                        out.push(format!("refused  {r}"));
                    }
                }
            }
        } else if verb == Some("start") {
            assert!(state.is_none(), "{at}: the run has started already");
            let mut flow = program
                .flows
                .keys()
                .next()
                .unwrap_or_else(|| panic!("{at}: the program has no flow"))
                .clone();
            let mut probe = rest;
            if let Some(w) = word(&mut probe) {
                if program.flow(w).is_some() {
                    flow = w.to_string();
                    rest = probe;
                }
            }
            let depth = option(&mut rest, "depth")
                .unwrap_or_else(|e| panic!("{at}: {e}"))
                .unwrap_or(0);
            let input = json_arg(rest).unwrap_or_else(|e| panic!("{at}: {e}"));
            let func = program
                .flow(&flow)
                .unwrap_or_else(|| panic!("{at}: no flow `{flow}`"));
            let args = match machine::bind_input(program, func, &input) {
                Ok(args) => args,
                Err(e) => {
                    let _ = write!(transcript, "\n> {line}\n  refused  {e}\n");
                    continue;
                }
            };
            let (mut s, output) = machine::start(
                program,
                RUN_ID.into(),
                func,
                args,
                Vec::new(),
                input,
                depth,
                &mut world,
            );
            emitted(&output, &mut out);
            settle(program, &mut s, reload, &at);
            next_turns(program, &mut s, &mut world, reload, &at, &mut out);
            summary(program, &s, &mut out);
            state = Some(s);
        } else {
            let s = state
                .as_mut()
                .unwrap_or_else(|| panic!("{at}: the first event must be `start`"));
            match event(line, s, &mut world).unwrap_or_else(|e| panic!("{at}: {e}")) {
                None => out.push(format!("time     {}", when(world.now))),
                Some(ev) => {
                    match machine::apply(program, s, ev, &mut world) {
                        Ok(output) => emitted(&output, &mut out),
                        Err(e) => out.push(format!("refused  {e}")),
                    }
                    settle(program, s, reload, &at);
                    next_turns(program, s, &mut world, reload, &at, &mut out);
                    summary(program, s, &mut out);
                }
            }
        }
        let _ = write!(transcript, "\n> {line}\n");
        for l in out {
            let _ = writeln!(transcript, "  {l}");
        }
    }
    transcript
}

/// Turns past this many in one event mean a run that never stops.
const TURNS_MAX: usize = 100;

/// Plays the run's next turns, as a host fires its `continue` timer, while
/// the run has fibers ready at the end of a turn (see
/// `weft_engine::limits::TIME_SLICE`); each is shown after a `turn` line.
fn next_turns(
    program: &Program,
    state: &mut RunState,
    world: &mut World,
    reload: bool,
    at: &str,
    out: &mut Vec<String>,
) {
    for _ in 0..TURNS_MAX {
        if !state.timers.contains_key("continue") {
            return;
        }
        out.push("turn".into());
        let event = Event::TimerFired {
            key: "continue".into(),
        };
        let output = machine::apply(program, state, event, world)
            .unwrap_or_else(|e| panic!("{at}: a turn was refused: {e}"));
        emitted(&output, out);
        settle(program, state, reload, at);
    }
    panic!("{at}: the run took more than {TURNS_MAX} turns");
}

fn emitted(output: &machine::Output, out: &mut Vec<String>) {
    for e in &output.journal {
        out.push(format!("journal  {}", entry(&e.kind)));
    }
    for c in &output.commands {
        out.push(format!("command  {}", command(c)));
    }
}

#[test]
fn cases() {
    play_dir("tests/cases/machine");
}

/// Live upgrades: `> upgrade N` events on runs of several versions.
#[test]
fn upgrade_cases() {
    play_dir("tests/cases/upgrade");
}

fn play_dir(dir: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no cases in {}", dir.display());
    let mut failures = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(path).unwrap();
        let case = parse_case(&text);
        let in_memory = play(&name, &case, false);
        let reloaded = play(&name, &case, true);
        assert!(
            in_memory == reloaded,
            "{name}: reading the state back from its snapshot after each event changes what the run emits\n--- in memory:\n{in_memory}\n--- reloaded:\n{reloaded}"
        );
        if update {
            fs::write(path, &in_memory).unwrap();
        } else if in_memory != text {
            failures.push(first_difference(&name, &text, &in_memory));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ (UPDATE_EXPECT=1 rewrites them):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The first event whose emitted lines differ, expected and actual.
fn first_difference(name: &str, expected: &str, actual: &str) -> String {
    let sections =
        |t: &str| -> Vec<String> { t.split("\n> ").map(|s| s.trim_end().to_string()).collect() };
    let (want, got) = (sections(expected), sections(actual));
    for i in 0..want.len().max(got.len()) {
        let (w, g) = (
            want.get(i).map(String::as_str).unwrap_or("(nothing)"),
            got.get(i).map(String::as_str).unwrap_or("(nothing)"),
        );
        if w != g {
            return format!("--- {name} ---\nexpected:\n> {w}\nactual:\n> {g}\n");
        }
    }
    format!("--- {name} --- differs only in white space at the end")
}
