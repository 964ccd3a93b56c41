//! Faults, not only crashes: generated flows (the model of `crash_model.rs`)
//! run in the simulator with seeded faults of the store, the activities,
//! the clock and operators (`weft_runtime::sim::Fault`).
//!
//! One seed makes one case: a program, the simulator's setup, which faults
//! and how often. Two kinds of cases alternate:
//!
//! - **invisible faults** (`Fault::INVISIBLE`: failed commits retried,
//!   commits lost unsynced at a crash, crashes between a commit and its
//!   effects, answers delivered twice, live upgrades onto an equivalent
//!   version): the run must end exactly as it does without them (status,
//!   result, error, calls and attempts per activity, sub-flows).
//! - **every fault** (also full and slow stores, late answers, answers
//!   after their lease, clock jumps forward and back): time moves, so
//!   timeouts may fire where they did not, and only the invariants hold.
//!
//! Both check, after every step, each run's invariants and the simulator's
//! end-to-end ones (a finished run never finishes again; no acknowledged
//! journal entry is lost at a crash), and at the end: every run's journal
//! finishes it exactly once, no attempt ends twice, no call completes
//! twice, a call id names one operation, the simulation settles and leaves
//! no task or timer behind.
//!
//! `cargo test` runs [`SEEDS`] seeds. More: `WEFT_SIM_SEEDS=FROM..TO` and
//! `WEFT_SIM_SECONDS=N` (stop after N seconds), as
//! `scripts/sim-nightly.sh` does. A failure prints its seed; replay it with
//! `WEFT_SIM_SEED=N cargo test -p weft-runtime --test sim_faults -- --nocapture`,
//! which prints the program, the faults and what happened.

#[allow(dead_code)] // the model's evaluator is crash_model.rs's
mod model;

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

use model::engine::{self, Observed, Setup};
use model::{gen, script};
use weft_runtime::sim::{Fault, Faults};

/// Seeds `cargo test` runs (a few seconds of CPU in a debug build).
const SEEDS: u64 = 1_000;

/// Choices that drive the program generator, at most: smaller programs
/// than `crash_model.rs` makes, so many more seeds fit in the budget.
const CHOICES_MAX: u64 = 160;

/// A fault's chance per occasion, at most, in thousandths.
const RATE_MAX: u64 = 150;

/// One case, all from its seed.
struct Case {
    choices: Vec<u32>,
    setup: Setup,
    faults: Faults,
    /// Only invisible faults: the outcome must not change.
    invisible: bool,
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Case {
    fn new(seed: u64) -> Case {
        let mut s = seed;
        let mut next = || splitmix(&mut s);
        let n = next() % CHOICES_MAX;
        let choices = (0..n).map(|_| next() as u32).collect();
        let setup = Setup {
            seed: next(),
            deliveries_per_commit: 1 + (next() % 4) as usize,
        };
        let invisible = seed.is_multiple_of(2);
        let which: &[Fault] = if invisible {
            &Fault::INVISIBLE
        } else {
            &Fault::ALL
        };
        let mut faults = Faults::with(&[], 0, next());
        for f in which {
            // Some faults stay off in a case, so their absence is covered too.
            if !next().is_multiple_of(4) {
                faults.rates.insert(*f, (1 + next() % RATE_MAX) as u32);
            }
        }
        // Every fault case waits as the runtime does before retrying a
        // commit, except where no time may pass.
        faults.commit_retry_ms = if invisible { 0 } else { 1_000 };
        Case {
            choices,
            setup,
            faults,
            invisible,
        }
    }

    fn source(&self) -> String {
        gen::program(&self.choices).source()
    }
}

fn text(v: &Option<serde_json::Value>) -> String {
    v.as_ref().map_or("none".into(), script::canonical)
}

fn outcome(o: &Observed) -> String {
    let mut children: Vec<String> = o
        .children
        .iter()
        .map(|(f, s, r)| format!("{f} {} {}", s.as_str(), text(r)))
        .collect();
    children.sort();
    format!(
        "status {}\nresult {}\nerror {}\ncalls {:?}\nsub-flows {children:?}",
        o.main.status.as_str(),
        text(&o.main.result),
        o.main
            .error
            .as_ref()
            .map_or("none".into(), |e| e["message"].to_string()),
        o.calls,
    )
}

/// Runs one case; `Err` says what went wrong.
fn check(case: &Case) -> Result<Observed, String> {
    let source = case.source();
    let faulty = engine::run_with_faults(&source, case.setup, &[], Some(case.faults.clone()));
    let mut out: Vec<String> = faulty.problems.clone();
    out.extend(faulty.leftovers.iter().cloned());
    if case.invisible {
        let plain = engine::run(&source, case.setup, &[]);
        let (want, got) = (outcome(&plain), outcome(&faulty));
        if want != got {
            out.push(format!(
                "invisible faults changed the outcome:\nwithout them:\n{want}\nwith them:\n{got}"
            ));
        }
    }
    if out.is_empty() {
        Ok(faulty)
    } else {
        Err(out.join("\n"))
    }
}

/// Runs `case`, turning a panic (an invariant the simulator checks after
/// every step) into an error.
fn check_catching(case: &Case) -> Result<Observed, String> {
    match panic::catch_unwind(AssertUnwindSafe(|| check(case))) {
        Ok(r) => r,
        Err(p) => Err(p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic".into())),
    }
}

fn replay_line(seed: u64) -> String {
    format!(
        "replay: WEFT_SIM_SEED={seed} cargo test -p weft-runtime --test sim_faults -- --nocapture"
    )
}

/// The seeds to run: `WEFT_SIM_SEED`, `WEFT_SIM_SEEDS=FROM..TO`, or
/// `0..SEEDS`; and how long at most (`WEFT_SIM_SECONDS`).
fn plan() -> (std::ops::Range<u64>, Option<Duration>) {
    let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
    let limit = var("WEFT_SIM_SECONDS")
        .map(|s| Duration::from_secs(s.parse().expect("WEFT_SIM_SECONDS is a number of seconds")));
    if let Some(seed) = var("WEFT_SIM_SEED") {
        let seed: u64 = seed.parse().expect("WEFT_SIM_SEED is a number");
        return (seed..seed + 1, limit);
    }
    if let Some(range) = var("WEFT_SIM_SEEDS") {
        let (a, b) = range
            .split_once("..")
            .expect("WEFT_SIM_SEEDS reads FROM..TO");
        let a: u64 = a.parse().expect("FROM is a number");
        let b: u64 = b.parse().expect("TO is a number");
        return (a..b, limit);
    }
    (0..SEEDS, limit)
}

#[test]
fn faults_keep_runs_whole() {
    let (seeds, limit) = plan();
    let verbose = std::env::var("WEFT_SIM_SEED").is_ok();
    let started = Instant::now();
    // Panics are caught and reported with their seed; keep their default
    // message off the output unless a single seed is replayed.
    if !verbose {
        panic::set_hook(Box::new(|_| {}));
    }
    let mut failures = Vec::new();
    let mut injected: BTreeMap<Fault, usize> = BTreeMap::new();
    let mut upgrades = (0, 0);
    let mut ran = 0u64;
    for seed in seeds.clone() {
        if limit.is_some_and(|l| started.elapsed() > l) {
            break;
        }
        let case = Case::new(seed);
        if verbose {
            println!(
                "seed {seed}: {} faults {:?}, simulator seed {}, {} deliveries per commit\n{}",
                if case.invisible { "invisible" } else { "all" },
                case.faults.rates,
                case.setup.seed,
                case.setup.deliveries_per_commit,
                case.source()
            );
        }
        ran += 1;
        match check_catching(&case) {
            Ok(o) => {
                if verbose {
                    println!(
                        "{}\nthe flow's run ended on version {}\ninjected {:?}\nupgrades {} moved, {} refused",
                        outcome(&o),
                        o.main.version,
                        o.injected,
                        o.upgrades.0,
                        o.upgrades.1
                    );
                }
                for (f, n) in o.injected {
                    *injected.entry(f).or_default() += n;
                }
                upgrades.0 += o.upgrades.0;
                upgrades.1 += o.upgrades.1;
            }
            Err(e) => {
                failures.push(format!("seed {seed}: {e}\n{}", replay_line(seed)));
                if failures.len() >= 5 {
                    break;
                }
            }
        }
    }
    let _ = panic::take_hook();
    println!(
        "{ran} seeds ({seeds:?}) in {:.1}s; faults injected: {}; upgrades: {} moved, {} refused",
        started.elapsed().as_secs_f64(),
        injected
            .iter()
            .map(|(f, n)| format!("{} {n}", f.name()))
            .collect::<Vec<_>>()
            .join(", "),
        upgrades.0,
        upgrades.1
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The faults happened: a run that injects none tests nothing.
    if ran >= 500 {
        for f in Fault::ALL {
            assert!(
                injected.get(&f).copied().unwrap_or(0) > 0,
                "{} never happened in {ran} seeds: {injected:?}",
                f.name()
            );
        }
        assert!(upgrades.0 > 0, "no live upgrade moved a run");
    }
}

/// A seed replays exactly: the same faults at the same points, the same
/// outcome, the same number of steps. (What makes a printed seed useful.)
#[test]
fn a_seed_replays_exactly() {
    for seed in 1..40 {
        let case = Case::new(seed);
        let a = check(&case).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let b = check(&case).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert_eq!(outcome(&a), outcome(&b), "seed {seed}");
        assert_eq!(a.injected, b.injected, "seed {seed}");
        assert_eq!(a.upgrades, b.upgrades, "seed {seed}");
        assert_eq!(a.steps, b.steps, "seed {seed}");
    }
}
