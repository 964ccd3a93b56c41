//! The machine API: send a command to an instance, read an instance, its
//! history and one command, query instances, list the machines.
//!
//! | method | path | |
//! |---|---|---|
//! | `POST` | `/v1/machines/{machine}/{key}/{command}` | send a command; answered once applied |
//! | `GET` | `/v1/machines` | the deployed machines and their commands |
//! | `GET` | `/v1/machines/{machine}` | instances whose state fits `where`, by key, paged |
//! | `GET` | `/v1/machines/{machine}/{key}` | an instance |
//! | `GET` | `/v1/machines/{machine}/{key}/history` | its commands in order, applied and refused |
//! | `GET` | `/v1/machines/{machine}/{key}/commands/{commandId}` | one command |
//!
//! `where` is an expression of the flow language over `state` (its
//! fields), `key` and `version`: comparisons of those with values, joined
//! by `&&`, `||` and `!` (see `docs/machines.md`).

use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};
use weft_engine::time::format_time;
use weft_runtime::host::{CommandRequest, DEPLOYED_PREFIX};
use weft_store::machines::{
    self as store_machines, CmpOp, Filter, InstanceQuery, Path as FieldPath,
};
use weft_store::{CommandRecord, CommandStatus, Instance};
use weft_syntax::ast::{BinaryOp, Expr, ExprKind, ObjectEntry, UnaryOp};

use crate::error::{ApiError, Code, Json, Path};
use crate::state::{blocking, stopping, AppState};

/// How long a command's sender waits for it to be applied when `wait` is
/// not given; after that the answer is `202` with the command's status.
pub const COMMAND_WAIT_DEFAULT: Duration = Duration::from_secs(30);

/// Most instances one page of a query lists.
pub const PAGE_INSTANCES_MAX: usize = 1_000;

/// Instances one page lists when `limit` is not given.
pub const PAGE_INSTANCES_DEFAULT: usize = 50;

/// Most commands one page of a history lists.
pub const PAGE_COMMANDS_MAX: usize = 1_000;

/// Longest `where` expression, in bytes.
pub const WHERE_BYTES_MAX: usize = 4_096;

/// An instance as the API shows it.
pub fn instance_json(i: &Instance) -> Value {
    json!({
        "key": i.key,
        "state": i.state,
        "version": i.version,
        "createdAt": format_time(i.created_at),
        "updatedAt": format_time(i.updated_at),
    })
}

/// A command as the API shows it.
pub fn command_json(c: &CommandRecord) -> Value {
    let mut v = json!({
        "seq": c.seq,
        "command": c.command,
        "commandId": c.command_id,
        "input": c.input,
        "status": c.status.as_str(),
        "createdAt": format_time(c.created_at),
    });
    let o = v.as_object_mut().expect("an object");
    if let Some(r) = &c.run_id {
        o.insert("runId".into(), json!(r));
    }
    if let Some(ver) = c.version {
        o.insert("version".into(), json!(ver));
    }
    if let Some(st) = &c.state {
        o.insert("state".into(), st.clone());
    }
    if let Some(e) = &c.error {
        o.insert("error".into(), e.clone());
    }
    if let Some(at) = c.finished_at {
        o.insert("finishedAt".into(), json!(format_time(at)));
    }
    v
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct CommandBody {
    #[serde(default)]
    input: Value,
    command_id: Option<String>,
    wait: Option<Value>,
}

/// `POST /v1/machines/{machine}/{key}/{command}`: `200` with `{key, state,
/// version}` once applied; `409 command_refused` with the handler's
/// `reason`; `202` with the command's status when `wait` ran out first.
pub(crate) async fn send_command(
    State(s): State<AppState>,
    Path((machine, key, command)): Path<(String, String, String)>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(crate::error::bytes_rejection)?;
    // No body is a command without input.
    let body: CommandBody = if body.iter().all(u8::is_ascii_whitespace) {
        CommandBody {
            input: Value::Null,
            command_id: None,
            wait: None,
        }
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            let code = if e.is_syntax() || e.is_eof() {
                Code::InvalidJson
            } else {
                Code::InvalidBody
            };
            ApiError::new(
                code,
                format!("the body is `{{\"input\": ..., \"commandId\": \"...\"}}`: {e}"),
            )
        })?
    };
    let wait = match &body.wait {
        Some(w) => crate::api::wait_duration(w)?,
        None => COMMAND_WAIT_DEFAULT,
    };
    let req = CommandRequest {
        machine,
        key,
        command,
        input: body.input,
        command_id: body.command_id,
        reply: None,
    };
    let rec = tokio::select! {
        r = s.runtime.send_command(req.clone(), wait) => r?,
        () = stopping(s.stopping.clone()) => {
            return Err(ApiError::new(Code::StorageFailed, "the server is stopping; send the command again with its commandId"));
        }
    };
    answer(rec)
}

/// The answer to a command's sender.
fn answer(rec: CommandRecord) -> Result<Response, ApiError> {
    match rec.status {
        CommandStatus::Applied => Ok((
            StatusCode::OK,
            Json(json!({
                "key": rec.key,
                "state": rec.state,
                "version": rec.version,
                "commandId": rec.command_id,
                "seq": rec.seq,
            })),
        )
            .into_response()),
        CommandStatus::Refused => {
            let reason = rec.error.clone().unwrap_or(Value::Null);
            let text = match &reason {
                Value::String(t) => t.clone(),
                Value::Object(m) => m
                    .get("message")
                    .and_then(Value::as_str)
                    .map_or_else(|| reason.to_string(), str::to_string),
                other => other.to_string(),
            };
            Err(ApiError::new(
                Code::CommandRefused,
                format!("the command `{}` was refused: {text}", rec.command),
            )
            .with_details(json!({"reason": reason, "commandId": rec.command_id, "seq": rec.seq})))
        }
        CommandStatus::Queued | CommandStatus::Running => Ok((
            StatusCode::ACCEPTED,
            Json(json!({
                "key": rec.key,
                "commandId": rec.command_id,
                "status": rec.status.as_str(),
            })),
        )
            .into_response()),
    }
}

/// `GET /v1/machines/{machine}/{key}`
pub(crate) async fn get_instance(
    State(s): State<AppState>,
    Path((machine, key)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let store = s.runtime.store().clone();
    let (m, k) = (machine.clone(), key.clone());
    let (deployed, row) = blocking(move || {
        let deployed = store.latest_version(&format!("{DEPLOYED_PREFIX}{m}"))?;
        Ok((deployed, store.instance(&m, &k)?))
    })
    .await?;
    if deployed.is_none() {
        return Err(unknown_machine(&machine));
    }
    match row.map(|r| r.instance).filter(|i| i.version > 0) {
        Some(i) => Ok(Json(instance_json(&i))),
        None => Err(ApiError::new(
            Code::UnknownInstance,
            format!("the machine `{machine}` has no instance `{key}`"),
        )),
    }
}

fn unknown_machine(machine: &str) -> ApiError {
    ApiError::new(
        Code::UnknownMachine,
        format!("no machine named `{machine}` is deployed"),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageQuery {
    after: Option<String>,
    limit: Option<String>,
}

fn page_limit(limit: Option<&str>, default: usize, max: usize) -> Result<usize, ApiError> {
    match limit {
        None | Some("") => Ok(default),
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request(format!("`limit` must be a whole number from 1 to {max}"))
            }),
    }
}

/// `GET /v1/machines/{machine}/{key}/history?after=SEQ&limit=N`: the
/// instance's finished commands in order, each with the version and state
/// it made (or why it was refused).
pub(crate) async fn get_history(
    State(s): State<AppState>,
    Path((machine, key)): Path<(String, String)>,
    q: Result<Query<PageQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_request(format!("bad query: {}", e.body_text())))?;
    let limit = page_limit(q.limit.as_deref(), PAGE_COMMANDS_MAX, PAGE_COMMANDS_MAX)?;
    let after = match q.after.as_deref() {
        None | Some("") => 0,
        Some(a) => a.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
            ApiError::bad_request("`after` must be a command's `seq` (a whole number)")
        })?,
    };
    let store = s.runtime.store().clone();
    let (m, k) = (machine.clone(), key.clone());
    let (deployed, row, commands) = blocking(move || {
        let deployed = store.latest_version(&format!("{DEPLOYED_PREFIX}{m}"))?;
        let row = store.instance(&m, &k)?;
        let commands = match &row {
            Some(r) if r.finished > after => store.commands(&m, &k, after + 1, limit)?,
            _ => Vec::new(),
        };
        Ok((deployed, row, commands))
    })
    .await?;
    if deployed.is_none() {
        return Err(unknown_machine(&machine));
    }
    let Some(row) = row.filter(|r| r.finished > 0) else {
        return Err(ApiError::new(
            Code::UnknownInstance,
            format!("the machine `{machine}` has no instance `{key}`"),
        ));
    };
    // Commands finish in order: those up to `finished` are the history.
    let done: Vec<&CommandRecord> = commands.iter().filter(|c| c.seq <= row.finished).collect();
    let next = done
        .last()
        .map(|c| c.seq)
        .filter(|seq| done.len() == limit && *seq < row.finished);
    Ok(Json(json!({
        "key": key,
        "items": done.iter().map(|c| command_json(c)).collect::<Vec<_>>(),
        "next": next.map(|n| n.to_string()),
    })))
}

/// `GET /v1/machines/{machine}/{key}/commands/{commandId}`
pub(crate) async fn get_command(
    State(s): State<AppState>,
    Path((machine, key, id)): Path<(String, String, String)>,
) -> Result<Json<Value>, ApiError> {
    let store = s.runtime.store().clone();
    let (m, k, i) = (machine.clone(), key.clone(), id.clone());
    let rec = blocking(move || store.command_by_id(&m, &k, &i)).await?;
    match rec {
        Some(c) => Ok(Json(command_json(&c))),
        None => Err(ApiError::new(
            Code::UnknownCommandId,
            format!("the instance `{key}` of `{machine}` has no command `{id}`"),
        )),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    #[serde(rename = "where")]
    filter: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

/// `GET /v1/machines/{machine}?where=EXPR&limit=N&cursor=C`
pub(crate) async fn query_instances(
    State(s): State<AppState>,
    Path(machine): Path<String>,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_request(format!("bad query: {}", e.body_text())))?;
    let limit = page_limit(
        q.limit.as_deref(),
        PAGE_INSTANCES_DEFAULT,
        PAGE_INSTANCES_MAX,
    )?;
    let filter = match q.filter.as_deref().filter(|w| !w.trim().is_empty()) {
        None => Filter::True,
        Some(w) => parse_where(w).map_err(|e| ApiError::bad_request(format!("`where`: {e}")))?,
    };
    let query = InstanceQuery {
        machine: machine.clone(),
        filter,
        limit,
        cursor: q.cursor.filter(|c| !c.is_empty()),
    };
    let store = s.runtime.store().clone();
    let m = machine.clone();
    let (deployed, page) = blocking(move || {
        let deployed = store.latest_version(&format!("{DEPLOYED_PREFIX}{m}"))?;
        Ok((deployed, store_machines::query(store.as_ref(), &query)?))
    })
    .await?;
    if deployed.is_none() {
        return Err(unknown_machine(&machine));
    }
    Ok(Json(json!({
        "items": page.items.iter().map(instance_json).collect::<Vec<_>>(),
        "next": page.next,
    })))
}

/// `GET /v1/machines`: the deployed machines, their newest version and
/// its commands.
pub(crate) async fn list_machines(State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
    let store = s.runtime.store().clone();
    let machines = blocking(move || {
        let mut out = Vec::new();
        for f in store.flows()? {
            let Some(name) = f.name.strip_prefix(DEPLOYED_PREFIX) else {
                continue;
            };
            let latest = f.versions.last().copied().unwrap_or(0);
            let files = store
                .deployment(latest)?
                .map(|d| d.files)
                .unwrap_or_default();
            out.push((name.to_string(), latest, f.versions.clone(), files));
        }
        Ok(out)
    })
    .await?;
    let items: Vec<Value> = machines
        .into_iter()
        .map(|(name, latest, versions, files)| {
            json!({
                "name": name,
                "latestVersion": latest,
                "versions": versions,
                "commands": commands_of(&name, &files),
            })
        })
        .collect();
    Ok(Json(json!({ "machines": items })))
}

/// The commands of machine `name` as its files declare them.
fn commands_of(name: &str, files: &[weft_store::SourceText]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in files {
        let parse = weft_syntax::parse(&f.text);
        for m in parse.module.machines().filter(|m| m.name.name == name) {
            for c in m.commands() {
                if !out.contains(&c.name.name) {
                    out.push(c.name.name.clone());
                }
            }
        }
    }
    out
}

/// Reads a `where` expression: comparisons of `state.<path>`, `key` or
/// `version` with a value (a string, a number, `true`, `false`, `null`, or
/// a list or object of those), a bare field (true when the field is
/// truthy, as in an `if`), joined by `&&`, `||`, `!` and parentheses.
pub fn parse_where(text: &str) -> Result<Filter, String> {
    if text.len() > WHERE_BYTES_MAX {
        return Err(format!(
            "the expression is {} bytes; the limit is {WHERE_BYTES_MAX} (WHERE_BYTES_MAX)",
            text.len()
        ));
    }
    let (expr, diags) = weft_syntax::parse_expr(text);
    if let Some(d) = diags.first() {
        return Err(format!("{} (at byte {})", d.message, d.span.start));
    }
    filter_of(&expr)
}

fn filter_of(e: &Expr) -> Result<Filter, String> {
    match &e.kind {
        ExprKind::Paren(inner) => filter_of(inner),
        ExprKind::Bool(true) => Ok(Filter::True),
        ExprKind::Bool(false) => Ok(Filter::Not(Box::new(Filter::True))),
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => Ok(Filter::Not(Box::new(filter_of(operand)?))),
        ExprKind::Binary { op, lhs, rhs } => match op {
            BinaryOp::And => Ok(Filter::All(vec![filter_of(lhs)?, filter_of(rhs)?])),
            BinaryOp::Or => Ok(Filter::Any(vec![filter_of(lhs)?, filter_of(rhs)?])),
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                let op = CmpOp::parse(op.as_str()).expect("a comparison");
                match (path_of(lhs), path_of(rhs)) {
                    (Some(path), None) => Ok(Filter::Cmp {
                        path,
                        op,
                        value: literal(rhs)?,
                    }),
                    // `10 < state.total` is `state.total > 10`.
                    (None, Some(path)) => Ok(Filter::Cmp {
                        path,
                        op: flip(op),
                        value: literal(lhs)?,
                    }),
                    _ => Err(match bare_name(lhs).or(bare_name(rhs)) {
                        Some(n) => format!(
                            "expected a condition on `state.<field>`, `key` or `version`: `{n}` is none of them (a field of the state is `state.{n}`)"
                        ),
                        None => format!(
                            "`{}` compares two fields or two values: compare `state.<field>`, `key` or `version` with a value",
                            op.as_str()
                        ),
                    }),
                }
            }
            other => Err(format!(
                "`{}` is not a condition: use comparisons joined by `&&`, `||` and `!`",
                other.as_str()
            )),
        },
        _ => match path_of(e) {
            // A bare field: truthy as in an `if`.
            Some(path) => Ok(Filter::Not(Box::new(Filter::Any(
                [json!(false), json!(null), json!(0), json!("")]
                    .into_iter()
                    .map(|value| Filter::Cmp {
                        path: path.clone(),
                        op: CmpOp::Eq,
                        value,
                    })
                    .collect(),
            )))),
            None => Err(
                "expected a condition on `state.<field>`, `key` or `version`, such as `state.total > 10`"
                    .to_string(),
            ),
        },
    }
}

fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        same => same,
    }
}

/// A path that starts with a name other than `state`, `key` and
/// `version` (someone forgot `state.`).
fn bare_name(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Name(n) if !matches!(n.as_str(), "state" | "key" | "version") => Some(n.clone()),
        ExprKind::Member { object, name } => {
            bare_name(object).map(|r| format!("{r}.{}", name.name))
        }
        _ => None,
    }
}

/// `state.a.b`, `key` or `version`.
fn path_of(e: &Expr) -> Option<FieldPath> {
    fn names(e: &Expr) -> Option<Vec<String>> {
        match &e.kind {
            ExprKind::Name(n) => Some(vec![n.clone()]),
            ExprKind::Member { object, name } => {
                let mut p = names(object)?;
                p.push(name.name.clone());
                Some(p)
            }
            ExprKind::Index { object, index } => match &index.kind {
                ExprKind::String(s) => {
                    let mut p = names(object)?;
                    p.push(s.clone());
                    Some(p)
                }
                _ => None,
            },
            ExprKind::Paren(inner) => names(inner),
            _ => None,
        }
    }
    let p = names(e)?;
    match p.as_slice() {
        [k] if k == "key" => Some(FieldPath::Key),
        [v] if v == "version" => Some(FieldPath::Version),
        [s, rest @ ..] if s == "state" && !rest.is_empty() => Some(FieldPath::State(rest.to_vec())),
        _ => None,
    }
}

/// A value written in the expression.
fn literal(e: &Expr) -> Result<Value, String> {
    Ok(match &e.kind {
        ExprKind::Number(n) => json!(n),
        ExprKind::String(s) => json!(s),
        ExprKind::Bool(b) => json!(b),
        ExprKind::Null => Value::Null,
        ExprKind::Paren(inner) => literal(inner)?,
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => match &operand.kind {
            ExprKind::Number(n) => json!(-n),
            _ => return Err("only numbers can be negated in a value".into()),
        },
        ExprKind::Array(items) => {
            Value::Array(items.iter().map(literal).collect::<Result<_, _>>()?)
        }
        ExprKind::Object(entries) => {
            let mut m = serde_json::Map::new();
            for en in entries {
                match en {
                    ObjectEntry::Field { key, value } => {
                        m.insert(key.name.clone(), literal(value)?);
                    }
                    ObjectEntry::Spread(_) => return Err("a value cannot spread (`..`)".into()),
                }
            }
            Value::Object(m)
        }
        _ => {
            return Err(
                "a value is a string, a number, true, false, null, or a list or object of those"
                    .into(),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(path: &[&str], op: CmpOp, value: Value) -> Filter {
        Filter::Cmp {
            path: FieldPath::State(path.iter().map(|s| s.to_string()).collect()),
            op,
            value,
        }
    }

    #[test]
    fn where_reads_comparisons_of_fields_with_values() {
        assert_eq!(
            parse_where("state.total > 10").unwrap(),
            cmp(&["total"], CmpOp::Gt, json!(10.0))
        );
        assert_eq!(
            parse_where("10 <= state.a.b && key != \"x\"").unwrap(),
            Filter::All(vec![
                cmp(&["a", "b"], CmpOp::Ge, json!(10.0)),
                Filter::Cmp {
                    path: FieldPath::Key,
                    op: CmpOp::Ne,
                    value: json!("x")
                }
            ])
        );
        assert_eq!(
            parse_where("!(version == 1 || state[\"content-type\"] == null)").unwrap(),
            Filter::Not(Box::new(Filter::Any(vec![
                Filter::Cmp {
                    path: FieldPath::Version,
                    op: CmpOp::Eq,
                    value: json!(1.0)
                },
                cmp(&["content-type"], CmpOp::Eq, json!(null)),
            ])))
        );
        assert_eq!(
            parse_where("state.tags == [\"a\", -1]").unwrap(),
            cmp(&["tags"], CmpOp::Eq, json!(["a", -1.0]))
        );
        assert!(matches!(
            parse_where("state.verified").unwrap(),
            Filter::Not(_)
        ));
    }

    #[test]
    fn where_says_what_it_cannot_read() {
        for (text, why) in [
            ("state.a == state.b", "compares two fields"),
            ("total > 10", "expected a condition on `state.<field>`"),
            ("state.a > f(1)", "a value is a string"),
            ("state.a +", "expected an expression"),
            ("state.a + 1", "`+` is not a condition"),
        ] {
            let e = parse_where(text).unwrap_err();
            assert!(e.contains(why), "{text}: {e}");
        }
        assert!(parse_where(&"x".repeat(WHERE_BYTES_MAX + 1))
            .unwrap_err()
            .contains("WHERE_BYTES_MAX"));
    }
}
