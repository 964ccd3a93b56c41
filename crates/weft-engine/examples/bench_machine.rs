//! The interpreter's speed, without a store or a host: how long `start`
//! (and the turns after it, see `limits::TIME_SLICE`) takes to run flows
//! that never wait.
//!
//! `cargo run --release -p weft-engine --example bench_machine`
//!
//! Two flows: a loop of arithmetic on variables (the instruction loop
//! itself), and `ParallelForEach` over 5,000 closures that build objects
//! (spawning fibers and filling a group's slots, which is where a cost
//! per branch that grows with the group would show). Each runs
//! `REPETITIONS` times; the median is printed. Figures: docs/benchmarks.md.

use std::time::Instant;
use weft_engine::machine::{self, Env};
use weft_engine::{compile_source, Event, Status};

/// Runs of each flow; the median counts.
const REPETITIONS: usize = 15;

/// Nothing here waits, so the world is never asked for much.
struct Still(u32);

impl Env for Still {
    fn now(&self) -> i64 {
        0
    }
    fn token(&mut self) -> String {
        self.0 += 1;
        format!("token-{}", self.0)
    }
    fn run_id(&mut self) -> String {
        self.0 += 1;
        format!("child-{}", self.0)
    }
    fn jitter(&mut self) -> f64 {
        0.5
    }
}

/// The flows: 60,000 turns of 15 instructions (inside the step budget),
/// and 5,000 branches.
const FLOWS: [(&str, &str); 2] = [
    (
        "loop",
        "flow Main() {\n    i = 0\n    t = 0\n    while i < 60000 {\n        i++\n        t += i * 2\n    }\n    return t\n}\n",
    ),
    (
        "branches",
        "flow Main() {\n    return ParallelForEach(range(5000), func(i) { return {n: i, s: \"x\" + i} })\n}\n",
    ),
];

fn main() {
    for (name, source) in FLOWS {
        let program = compile_source("bench.weft", source).expect("the flow compiles");
        let func = program.flow("Main").expect("Main is there");
        let mut seconds = Vec::with_capacity(REPETITIONS);
        let mut instructions = 0;
        for _ in 0..REPETITIONS {
            let started = Instant::now();
            let (mut state, _) = machine::start(
                &program,
                "run".into(),
                func,
                Vec::new(),
                Vec::new(),
                serde_json::Value::Null,
                0,
                &mut Still(0),
            );
            // The run's next turns, as a host gives them at once when
            // nothing else waits.
            while state.timers.contains_key("continue") {
                let next = Event::TimerFired {
                    key: "continue".into(),
                };
                machine::apply(&program, &mut state, next, &mut Still(0)).expect("a turn");
            }
            seconds.push(started.elapsed().as_secs_f64());
            assert_eq!(state.status, Status::Completed, "{name} completes");
            instructions = state.steps;
        }
        seconds.sort_by(f64::total_cmp);
        let median = seconds[seconds.len() / 2];
        println!(
            "{name}: {instructions} instructions, median {:.2} ms, {:.1} M instructions/s",
            median * 1e3,
            instructions as f64 / median / 1e6
        );
    }
}
