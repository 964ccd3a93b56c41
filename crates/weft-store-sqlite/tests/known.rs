//! A store that is its directory's only user remembers what it last
//! committed of each run and writes a run's next step without reading its
//! row (`known.rs`). These tests drive such a store and one that reads
//! every row (opened shared) through the same random history, failed
//! batches, parking and runs written twice in a batch among it, and
//! compare everything they hold.

use weft_engine::state::{Entry, EntryKind, Status};
use weft_store::conformance::record;
use weft_store::{Batch, RunRecord, RunWrite, Store};
use weft_store_sqlite::SqliteStore;

/// A small deterministic generator (xorshift), so a failure repeats.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

const RUNS: u64 = 6;
const STATUSES: [Status; 4] = [
    Status::Running,
    Status::Waiting,
    Status::Failed,
    Status::Completed,
];

fn step(rec: &RunRecord, created: bool, value: i64) -> RunWrite {
    RunWrite {
        record: Some(rec.clone().into()),
        state: format!("{{\"step\":{value}}}").into_bytes(),
        created,
        journal: vec![Entry {
            at: value,
            kind: EntryKind::Now { value },
        }],
        ..RunWrite::default()
    }
}

/// Both stores' view of everything the history wrote.
fn contents(s: &SqliteStore) -> String {
    let mut out = format!("{:?}\n", s.run_counts().unwrap());
    for i in 0..RUNS {
        let id = format!("run-{i}");
        out += &format!("{:?}\n", s.run(&id).unwrap());
        out += &format!("{:?}\n", s.load_run(&id).unwrap().map(|r| r.state));
        for j in s.journal(&id).unwrap() {
            out += &format!("{} {:?}\n", j.step, j.entries);
        }
    }
    out
}

fn history(seed: u64) {
    let root = tempfile::tempdir().unwrap();
    let (a_dir, b_dir) = (root.path().join("a"), root.path().join("b"));
    let a = SqliteStore::open(&a_dir).unwrap();
    drop(SqliteStore::open(&b_dir).unwrap());
    let b = SqliteStore::open_shared(&b_dir).unwrap();
    let mut rng = Rng(seed);
    // The newest record of each run as committed, if it was.
    let mut runs: Vec<Option<RunRecord>> = vec![None; RUNS as usize];
    for round in 0..300i64 {
        let choice = rng.below(10);
        if choice == 0 {
            // Park or unpark a stored run: a write outside batches.
            let Some(i) = (0..RUNS)
                .map(|_| rng.below(RUNS))
                .find(|i| runs[*i as usize].is_some())
            else {
                continue;
            };
            let mut rec = runs[i as usize].clone().unwrap();
            rec.status = STATUSES[rng.below(4) as usize];
            rec.updated_at = round;
            if rng.below(2) == 0 {
                let reason = serde_json::json!({"round": round});
                a.park_run(&rec, &reason, round).unwrap();
                b.park_run(&rec, &reason, round).unwrap();
            } else {
                assert_eq!(a.unpark_run(&rec).unwrap(), b.unpark_run(&rec).unwrap());
            }
            runs[i as usize] = Some(rec);
            continue;
        }
        let mut writes = Vec::new();
        let mut next = runs.clone();
        for _ in 0..1 + rng.below(3) {
            let i = rng.below(RUNS) as usize;
            let created = next[i].is_none();
            let mut rec = next[i]
                .clone()
                .unwrap_or_else(|| record(&format!("run-{i}"), "F", Status::Running));
            rec.status = STATUSES[rng.below(4) as usize];
            rec.updated_at = round;
            match rng.below(8) {
                0 => rec.version += 1,
                1 => rec.flow = format!("F{}", rng.below(2)),
                2 => rec.input = serde_json::json!({"n": rng.below(3)}),
                _ => {}
            }
            writes.push(step(&rec, created, round));
            next[i] = Some(rec);
        }
        // Now and then a batch that fails as a whole: a new run with a
        // taken idempotency key.
        let fails = rng.below(6) == 0;
        if fails {
            let mut taken = record(&format!("taken-{round}"), "F", Status::Running);
            taken.idempotency_key = Some("the-key".into());
            writes.push(step(&taken, true, round));
        }
        let batch = Batch { writes };
        let (ra, rb) = (a.commit(&batch), b.commit(&batch));
        assert_eq!(
            ra.is_ok(),
            rb.is_ok(),
            "round {round}: {ra:?} against {rb:?}"
        );
        if ra.is_ok() {
            runs = next;
        }
        if round % 50 == 0 {
            assert_eq!(contents(&a), contents(&b), "seed {seed}, round {round}");
        }
    }
    assert_eq!(contents(&a), contents(&b), "seed {seed}");
}

#[test]
fn a_store_that_remembers_rows_writes_what_one_that_reads_them_writes() {
    for seed in 1..=8 {
        history(seed * 0x9e37_79b9);
    }
}
