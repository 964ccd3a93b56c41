//! A run's status as the `runs` table stores it since schema version 14:
//! a small integer, one byte or none in the row and in the two indexes
//! that hold it, where the name took up to nine (docs/benchmarks.md,
//! round 6). `run_counts` keeps the names: it has a row per flow and
//! status, not per run.
//!
//! The codes are fixed forever (stored data holds them); the commonest
//! statuses of a large store, waiting and completed, have the codes SQLite
//! stores in no byte at all.

use weft_engine::state::Status;

/// Every status with its stored code.
const CODES: [(Status, i64); 5] = [
    (Status::Waiting, 0),
    (Status::Completed, 1),
    (Status::Running, 2),
    (Status::Failed, 3),
    (Status::Cancelled, 4),
];

/// The code `runs.status` holds for a status.
pub(crate) fn code(s: Status) -> i64 {
    CODES
        .iter()
        .find(|(status, _)| *status == s)
        .map(|(_, c)| *c)
        .expect("every status has a code")
}

/// The status a stored `runs.status` stands for; `None` for anything
/// else (an unknown code, or text put there by hand).
pub(crate) fn from_stored(v: rusqlite::types::ValueRef<'_>) -> Option<Status> {
    let rusqlite::types::ValueRef::Integer(c) = v else {
        return None;
    };
    CODES
        .iter()
        .find(|(_, code)| *code == c)
        .map(|(status, _)| *status)
}

/// A stored status for an error message: a code as its number, text
/// quoted.
pub(crate) fn describe(v: rusqlite::types::ValueRef<'_>) -> String {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Integer(c) => format!("code {c}"),
        ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
        other => format!("of type {}", other.data_type()),
    }
}

/// The status's name in SQL, from the stored code: what searches compare
/// (`status == "failed"`, `contains(status, "wait")`). An unknown value is
/// itself, so it matches no status's name.
pub(crate) const NAME_SQL: &str = "(CASE status WHEN 0 THEN 'waiting' WHEN 1 THEN 'completed' \
     WHEN 2 THEN 'running' WHEN 3 THEN 'failed' WHEN 4 THEN 'cancelled' ELSE status END)";

/// The codes of the statuses after which nothing happens (completed,
/// cancelled), as an SQL list.
pub(crate) fn terminal_sql() -> String {
    let codes: Vec<String> = CODES
        .iter()
        .filter(|(s, _)| s.is_terminal())
        .map(|(_, c)| c.to_string())
        .collect();
    format!("({})", codes.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_one_code_and_reads_back() {
        let mut seen = std::collections::BTreeSet::new();
        for s in Status::ALL {
            let c = code(s);
            assert!(seen.insert(c), "{s:?} shares code {c}");
            assert_eq!(from_stored(rusqlite::types::ValueRef::Integer(c)), Some(s));
        }
        assert_eq!(from_stored(rusqlite::types::ValueRef::Integer(9)), None);
        assert_eq!(
            from_stored(rusqlite::types::ValueRef::Text(b"waiting")),
            None
        );
        assert_eq!(terminal_sql(), "(1, 4)");
    }

    #[test]
    fn the_names_in_sql_are_the_api_names() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for (s, c) in CODES {
            let name: String = conn
                .query_row(
                    &format!("SELECT {} FROM (SELECT ?1 AS status)", NAME_SQL),
                    [c],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(name, s.as_str());
        }
    }
}
