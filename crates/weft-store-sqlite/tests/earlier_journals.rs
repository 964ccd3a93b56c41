//! The journal rows earlier builds wrote in the compact form (the golden
//! data directories of `weft-cli`'s `golden.rs`) are what this build's
//! journal writer makes of the same entries, byte for byte: the store
//! writes a step's entries with `state::encode_entries_compact` since
//! round 12 of issue 15, where earlier builds went through serde, and
//! resumed runs append to journals those builds began.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use weft_engine::state::{decode_compact, encode_entries_compact, Entry};

/// Golden sets whose journal is in the compact form: (set, schema version).
const SETS: &[(&str, i64)] = &[("897b61c", 8), ("8d0040d", 9), ("0c81c03", 12)];

/// `seq * JOURNAL_KEY_SPAN + step % JOURNAL_KEY_SPAN` since schema 12.
const JOURNAL_KEY_SPAN: i64 = 16_384;

/// Every compact journal row of a set's database, with its run id.
fn rows(db: &Path, schema: i64) -> Vec<(String, Vec<u8>)> {
    let c = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let version: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, schema, "{}", db.display());
    let sql = if schema >= 12 {
        format!(
            "SELECT r.id, j.entries FROM journal j JOIN runs r ON r.seq = j.key / {JOURNAL_KEY_SPAN} \
             ORDER BY j.key"
        )
    } else {
        "SELECT run_id, entries FROM journal ORDER BY run_id, step".to_string()
    };
    let mut s = c.prepare(&sql).unwrap();
    let rows = s
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows
}

#[test]
fn earlier_builds_journal_rows_are_what_this_build_writes() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("../weft-cli/tests/golden");
    for &(set, schema) in SETS {
        let rows = rows(&golden.join(set).join("sqlite/weft.db"), schema);
        assert!(rows.len() > 10, "{set}: {} journal rows", rows.len());
        for (run_id, stored) in rows {
            let entries: Vec<Entry> = decode_compact(&stored, &[run_id.as_str()])
                .unwrap_or_else(|e| panic!("{set}: a journal row of {run_id}: {e}"));
            let written = encode_entries_compact(&entries, &[run_id.as_str()]).unwrap();
            assert_eq!(
                written, stored,
                "{set}: run {run_id}'s journal row {entries:?} is written differently now"
            );
        }
    }
}
