//! Finding runs: `GET /v1/runs` and the `query` of `POST /v1/runs/bulk`
//! take the same parameters, read here into a [`RunQuery`].
//!
//! | parameter | meaning |
//! |---|---|
//! | `status`, `flow`, `parent` | runs in this status, of this flow, children of this run |
//! | `id` | runs whose id starts with this (a whole id finds one run) |
//! | `version` | runs on this program version |
//! | `createdAfter`, `createdBefore` | started in this range (RFC 3339 or epoch ms; after is inclusive) |
//! | `updatedAfter`, `updatedBefore` | last changed in this range |
//! | `finishedAfter`, `finishedBefore` | completed or cancelled in this range |
//! | `idempotencyKey` | the run started with this key |
//! | `topLevel` | `true`: runs without a parent only |
//! | `sort` | `-created` (newest first, the default), `created`, `-updated`, `updated` |
//! | `q` | a condition in the flow language's expression syntax ([`weft_store::search`]) |
//! | `limit`, `cursor` | the page |

use std::collections::BTreeMap;

use serde_json::Value;
use weft_engine::state::Status;
use weft_store::{RunQuery, Sort, TimeRange};

use crate::error::{ApiError, Code};

/// Most runs a search condition evaluated in Rust (not translated to the
/// store's SQL) reads per request; beyond it the answer says `exact:
/// false` and counts the runs read.
pub const SEARCH_SCAN_RUNS_MAX: usize = 100_000;

/// Most runs one page lists.
pub const PAGE_RUNS_MAX: usize = 1_000;

/// Runs one page lists when `limit` is not given.
pub const PAGE_RUNS_DEFAULT: usize = 50;

/// Every parameter a search takes (the page's too).
pub const PARAMETERS: &[&str] = &[
    "status",
    "flow",
    "parent",
    "id",
    "version",
    "createdAfter",
    "createdBefore",
    "updatedAfter",
    "updatedBefore",
    "finishedAfter",
    "finishedBefore",
    "idempotencyKey",
    "topLevel",
    "sort",
    "q",
    "limit",
    "cursor",
];

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(Code::InvalidQuery, message)
}

/// True for a run id: 26 characters of Crockford's base32, as made.
fn is_run_id(s: &str) -> bool {
    s.len() == 26
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && !b"ILOU".contains(&b)))
}

/// A time given as RFC 3339 text or epoch milliseconds.
fn time(name: &str, v: &str) -> Result<i64, ApiError> {
    if let Ok(ms) = v.parse::<i64>() {
        return Ok(ms);
    }
    weft_engine::time::parse_time(v).ok_or_else(|| {
        invalid(format!(
            "`{name}` {v:?} is not a time: give RFC 3339 (2026-01-31T12:00:00Z) or epoch milliseconds"
        ))
    })
}

fn range(p: &BTreeMap<String, String>, after: &str, before: &str) -> Result<TimeRange, ApiError> {
    let r = TimeRange {
        from: p.get(after).map(|v| time(after, v)).transpose()?,
        until: p.get(before).map(|v| time(before, v)).transpose()?,
    };
    if let (Some(f), Some(u)) = (r.from, r.until) {
        if f >= u {
            return Err(invalid(format!("`{after}` must come before `{before}`")));
        }
    }
    Ok(r)
}

/// Reads the parameters into a query; `limit` and `cursor` only where
/// `paged`. A parameter that is given must have a value: `?status=` is a
/// mistake, not "any status".
pub fn query(raw: &BTreeMap<String, String>, paged: bool) -> Result<RunQuery, ApiError> {
    let p = raw;
    for k in raw.keys() {
        let known = PARAMETERS.contains(&k.as_str())
            && (paged || !["limit", "cursor"].contains(&k.as_str()));
        if !known {
            return Err(invalid(format!(
                "unknown parameter `{k}`; a search takes {}",
                PARAMETERS
                    .iter()
                    .filter(|n| paged || !["limit", "cursor"].contains(n))
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    if let Some((k, _)) = raw.iter().find(|(_, v)| v.is_empty()) {
        return Err(invalid(format!(
            "`{k}` is empty: leave it out, or give a value"
        )));
    }
    let status = match p.get("status") {
        None => None,
        Some(st) => Some(Status::parse(st).ok_or_else(|| {
            invalid(format!(
                "`status` {st:?} is not one of running, waiting, failed, completed, cancelled"
            ))
        })?),
    };
    let limit = match p.get("limit") {
        None => PAGE_RUNS_DEFAULT,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=PAGE_RUNS_MAX).contains(n))
            .ok_or_else(|| {
                invalid(format!(
                    "`limit` must be a whole number from 1 to {PAGE_RUNS_MAX}"
                ))
            })?,
    };
    let version = p
        .get("version")
        .map(|v| {
            v.parse::<i64>()
                .ok()
                .filter(|v| *v >= 1)
                .ok_or_else(|| invalid(format!("`version` {v:?} is not a version number")))
        })
        .transpose()?;
    let top_level = match p.get("topLevel").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(v) => return Err(invalid(format!("`topLevel` is true or false, not {v:?}"))),
    };
    let sort = match p.get("sort") {
        None => Sort::default(),
        Some(s) => Sort::parse(s).ok_or_else(|| {
            invalid(format!(
                "`sort` {s:?} is not one of -created, created, -updated, updated"
            ))
        })?,
    };
    let cursor = p.get("cursor").cloned();
    if let Some(c) = &cursor {
        if !sort.parse_cursor(c).is_some_and(|(_, id)| is_run_id(&id)) {
            return Err(invalid(format!(
                "`cursor` {:?} is not a cursor of the order {}: pass a page's `nextCursor` as it is",
                c.chars().take(40).collect::<String>(),
                sort.as_str()
            )));
        }
    }
    let filter = p
        .get("q")
        .map(|q| weft_store::search::parse(q).map_err(|e| invalid(format!("`q`: {e}"))))
        .transpose()?;
    Ok(RunQuery {
        status,
        flow: p.get("flow").cloned(),
        parent: p.get("parent").cloned(),
        limit,
        cursor,
        id_prefix: p.get("id").cloned(),
        version,
        created: range(p, "createdAfter", "createdBefore")?,
        updated: range(p, "updatedAfter", "updatedBefore")?,
        finished: range(p, "finishedAfter", "finishedBefore")?,
        idempotency_key: p.get("idempotencyKey").cloned(),
        top_level,
        sort,
        filter,
        scan_max: SEARCH_SCAN_RUNS_MAX,
        count: true,
    })
}

/// The parameters of a JSON object (a bulk action's `query`): strings as
/// they are, numbers and booleans as their text.
pub fn params_of(v: &Value) -> Result<BTreeMap<String, String>, ApiError> {
    let Some(o) = v.as_object() else {
        return Err(ApiError::new(
            Code::InvalidBody,
            "`query` is an object of search parameters, such as {\"status\": \"failed\"}",
        ));
    };
    o.iter()
        .map(|(k, v)| {
            let s = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                other => {
                    return Err(ApiError::new(
                        Code::InvalidBody,
                        format!("`query.{k}` is a string, a number or a boolean, not {other}"),
                    ))
                }
            };
            Ok((k.clone(), s))
        })
        .collect()
}

/// The query as parameters again (for the audit log and the UI).
pub fn describe(raw: &BTreeMap<String, String>) -> Value {
    Value::Object(
        raw.iter()
            .filter(|(k, v)| !v.is_empty() && !["limit", "cursor"].contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Result<RunQuery, ApiError> {
        query(
            &pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            true,
        )
    }

    #[test]
    fn every_parameter_is_read() {
        let r = q(&[
            ("status", "failed"),
            ("flow", "Signup"),
            ("id", "01J"),
            ("version", "3"),
            ("createdAfter", "2026-01-01T00:00:00Z"),
            ("createdBefore", "1767312000000"),
            ("finishedAfter", "0"),
            ("idempotencyKey", "k"),
            ("topLevel", "true"),
            ("sort", "-updated"),
            ("q", "input.nick == \"ann\""),
            ("limit", "7"),
            ("cursor", "17.01JZ3K8M2Q9V4T6W7X8Y9ZABCD"),
        ])
        .unwrap();
        assert_eq!(r.status, Some(Status::Failed));
        assert_eq!(r.created.from, Some(1_767_225_600_000));
        assert_eq!(r.created.until, Some(1_767_312_000_000));
        assert_eq!(r.finished.from, Some(0));
        assert_eq!((r.version, r.top_level, r.limit), (Some(3), true, 7));
        assert_eq!(r.sort, Sort::UpdatedDesc);
        assert!(r.filter.is_some() && r.count);
        assert_eq!(r.parent, None);
        assert_eq!(r.scan_max, SEARCH_SCAN_RUNS_MAX);
    }

    #[test]
    fn wrong_parameters_name_themselves() {
        for (pairs, msg) in [
            (vec![("color", "red")], "unknown parameter `color`"),
            (vec![("status", "sleeping")], "`status`"),
            (vec![("version", "0")], "`version`"),
            (vec![("topLevel", "yes")], "`topLevel`"),
            (vec![("sort", "name")], "`sort`"),
            (vec![("createdAfter", "yesterday")], "`createdAfter`"),
            (
                vec![("createdAfter", "5"), ("createdBefore", "5")],
                "must come before",
            ),
            (vec![("q", "input.x ==")], "`q`"),
            (vec![("limit", "0")], "`limit`"),
            (vec![("sort", "-updated"), ("cursor", "01J")], "`cursor`"),
            (vec![("cursor", "garbage")], "`cursor`"),
            (vec![("parent", "")], "`parent` is empty"),
        ] {
            let e = q(&pairs).unwrap_err();
            assert_eq!(e.code, Code::InvalidQuery, "{pairs:?}");
            assert!(e.message.contains(msg), "{pairs:?}: {}", e.message);
        }
        // A bulk query takes no page.
        let e = query(
            &[("limit".to_string(), "5".to_string())]
                .into_iter()
                .collect(),
            false,
        )
        .unwrap_err();
        assert!(
            e.message.contains("unknown parameter `limit`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn json_parameters_read_as_text() {
        let p = params_of(&serde_json::json!({"status": "failed", "version": 2, "topLevel": true}))
            .unwrap();
        let r = query(&p, false).unwrap();
        assert_eq!((r.version, r.top_level), (Some(2), true));
        assert!(params_of(&serde_json::json!({"q": [1]})).is_err());
        assert!(params_of(&serde_json::json!("status=failed")).is_err());
    }
}
