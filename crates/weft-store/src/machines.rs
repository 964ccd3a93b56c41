//! What a store keeps of machines: each instance (its state and version),
//! each command sent to it (its queue and, once applied, its history), an
//! index of the states' fields for queries, and the events that commands
//! emit for triggers.
//!
//! # Rows
//!
//! - An **instance** per (machine, key): its state and version (the number
//!   of commands applied), the next command's sequence number and the
//!   highest finished one. An instance with version 0 has no applied
//!   command: it does not exist for readers (a refused first command leaves
//!   such a row, and so does a cluster node's claim).
//! - A **command** per (machine, key, seq), seq counting from 1 in arrival
//!   order: its name, input and command id (unique per instance), its
//!   status (queued, running, applied, refused), the run of its handler,
//!   and once finished what it did: the version and state it made, or the
//!   reason it was refused. The runs that sent it from a flow (`replies`)
//!   are answered when it finishes.
//! - The **fields** of each instance's state: its scalar values (strings,
//!   numbers, booleans) at paths up to [`INDEX_DEPTH_MAX`] deep, rewritten
//!   with the state. Queries find candidates there, then check each
//!   candidate's whole state ([`Filter::matches`]), so the index only has
//!   to be complete for the paths it answers for: an instance whose state
//!   has more than [`INDEXED_FIELDS_MAX`] such values, or a string longer
//!   than [`INDEXED_TEXT_BYTES_MAX`], is marked unindexed and examined by
//!   every query of its machine.
//! - An **event** per applied command (`created` for an instance's first
//!   version, `updated` after), numbered in commit order, for triggers to
//!   read with [`crate::Store::machine_events`].
//!
//! Everything is written through [`MachineWrite`]s carried by a batch's
//! run writes, in the batch's transaction: a command's outcome, its run's
//! last step, its event and the answer to its sender are durable together.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::Fence;

/// Deepest path of a state's field that the index holds (`a.b.c` is 3).
pub const INDEX_DEPTH_MAX: usize = 3;

/// Most indexed values per instance; a state with more is unindexed.
pub const INDEXED_FIELDS_MAX: usize = 64;

/// Longest string value the index holds; a state with a longer one at an
/// indexed path is unindexed.
pub const INDEXED_TEXT_BYTES_MAX: usize = 256;

/// Most instances one query page examines; a page may then hold fewer
/// items than asked, with a cursor to go on from.
pub const QUERY_SCAN_MAX: usize = 10_000;

/// Longest key of an instance, in bytes.
pub const KEY_BYTES_MAX: usize = 256;

/// Longest command id, in bytes.
pub const COMMAND_ID_BYTES_MAX: usize = 256;

/// An instance as people and flows see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    /// The machine.
    pub machine: String,
    /// The instance's key.
    pub key: String,
    /// Its state.
    pub state: Json,
    /// How many commands have been applied to it.
    pub version: i64,
    /// When its row was made (epoch ms).
    pub created_at: i64,
    /// When it last changed (epoch ms).
    pub updated_at: i64,
}

/// An instance's row: the instance and its queue's bookkeeping.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstanceRow {
    /// The instance.
    pub instance: Instance,
    /// The sequence number the next command gets.
    pub next_seq: i64,
    /// The highest sequence number finished (0 before the first); commands
    /// finish in order, so every command after it is open.
    pub finished: i64,
}

impl InstanceRow {
    /// The row of an instance no command has reached yet.
    pub fn new(machine: &str, key: &str, now: i64) -> InstanceRow {
        InstanceRow {
            instance: Instance {
                machine: machine.to_string(),
                key: key.to_string(),
                state: Json::Object(Default::default()),
                version: 0,
                created_at: now,
                updated_at: now,
            },
            next_seq: 1,
            finished: 0,
        }
    }
}

/// Where a command stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CommandStatus {
    /// Waiting for the commands before it.
    Queued,
    /// Its handler runs.
    Running,
    /// Its handler returned: the state changed.
    Applied,
    /// Its handler called `fail` (or its run was cancelled): nothing changed.
    Refused,
}

impl CommandStatus {
    /// The status as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            CommandStatus::Queued => "queued",
            CommandStatus::Running => "running",
            CommandStatus::Applied => "applied",
            CommandStatus::Refused => "refused",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<CommandStatus> {
        Some(match s {
            "queued" => CommandStatus::Queued,
            "running" => CommandStatus::Running,
            "applied" => CommandStatus::Applied,
            "refused" => CommandStatus::Refused,
            _ => return None,
        })
    }

    /// Applied or refused.
    pub fn is_finished(self) -> bool {
        matches!(self, CommandStatus::Applied | CommandStatus::Refused)
    }
}

/// A flow's call to answer when a command finishes: the attempt of the
/// call that sent it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyTo {
    /// The calling run.
    pub run_id: String,
    /// The call's sequence number in that run.
    pub call: u32,
    /// The attempt.
    pub attempt: u32,
}

/// A command sent to an instance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandRecord {
    /// The machine.
    pub machine: String,
    /// The instance's key.
    pub key: String,
    /// Its place in the instance's commands, from 1, in arrival order.
    pub seq: i64,
    /// The command's name.
    pub command: String,
    /// Its input.
    pub input: Json,
    /// Its id: the same id again is this command again (unique per
    /// instance).
    pub command_id: String,
    /// Where it stands.
    pub status: CommandStatus,
    /// The run of its handler, once started.
    pub run_id: Option<String>,
    /// The instance's version it made, when applied.
    pub version: Option<i64>,
    /// The state it made, when applied.
    pub state: Option<Json>,
    /// Why it was refused (what the handler passed to `fail`).
    pub error: Option<Json>,
    /// Calls of flows waiting for its answer.
    #[serde(default)]
    pub replies: Vec<ReplyTo>,
    /// When it arrived (epoch ms).
    pub created_at: i64,
    /// When it finished (epoch ms).
    pub finished_at: Option<i64>,
}

/// What an applied command did to its instance, for triggers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MachineEvent {
    /// `created` (the instance's first version) or `updated`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The machine: the event's subject.
    pub machine: String,
    /// The instance's key.
    pub key: String,
    /// The version the command made.
    pub version: i64,
    /// The command.
    pub command: String,
    /// Its command id.
    pub command_id: String,
    /// The state it made.
    pub state: Json,
    /// When (epoch ms).
    pub at: i64,
}

/// The kind of event of an instance's first version.
pub const EVENT_CREATED: &str = "created";
/// The kind of event of the later versions.
pub const EVENT_UPDATED: &str = "updated";

/// A stored event with its number (increasing in commit order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredMachineEvent {
    /// Its number.
    pub id: i64,
    /// The event.
    pub event: MachineEvent,
}

/// One write about machines, in a batch (carried by a
/// [`crate::RunWrite`]; a run write without a record may carry only
/// these).
#[derive(Clone, Debug, PartialEq)]
pub enum MachineWrite {
    /// Insert or replace the instance's row (and its fields in the index).
    /// In a cluster, `fence` is the claim on the instance it is written
    /// under: the store refuses the batch when the claim is stale.
    Instance {
        /// The row.
        row: InstanceRow,
        /// The claim, in a cluster.
        fence: Option<Fence>,
    },
    /// Insert or replace a command's row. A new command whose command id
    /// the instance already has is a conflict that fails the batch.
    Command(Box<CommandRecord>),
    /// Append an event.
    Event(MachineEvent),
    /// In a cluster: queue an event for the instance's owner (a finished
    /// handler run on another node, or a command sent through it).
    Inbox {
        /// The machine.
        machine: String,
        /// The key.
        key: String,
        /// The event.
        event: InstanceEvent,
    },
    /// In a cluster: an instance inbox event this batch consumed.
    InboxDone(i64),
}

/// An event for an instance's owner, in a cluster's store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum InstanceEvent {
    /// A command sent through a node that does not hold the instance.
    Command {
        /// The command's name.
        command: String,
        /// Its input.
        input: Json,
        /// Its id.
        command_id: String,
        /// The flow call to answer, if a flow sent it.
        reply: Option<ReplyTo>,
        /// When it arrived (epoch ms).
        at: i64,
    },
    /// The run of command `seq`'s handler finished on a node that does not
    /// hold the instance.
    Finished {
        /// The command.
        seq: i64,
        /// Its run.
        run_id: String,
        /// The run's result; `None` when it was cancelled.
        result: Option<Json>,
    },
}

/// An instance inbox event with its id.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceInboxEvent {
    /// Its id (increasing).
    pub id: i64,
    /// The machine.
    pub machine: String,
    /// The key.
    pub key: String,
    /// The event.
    pub event: InstanceEvent,
}

/// A node's claim on an instance (see [`crate::cluster`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InstanceClaim {
    /// The machine.
    pub machine: String,
    /// The key.
    pub key: String,
    /// The instance's epoch under this claim.
    pub epoch: i64,
}

/// Where a value is read from an instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Path {
    /// Its key.
    Key,
    /// Its version.
    Version,
    /// A field of its state (the path's names, outermost first).
    State(Vec<String>),
}

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// The operator as flows write it.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    /// The operator as written (`==`, `!=`, ...); `=` is `==`.
    pub fn parse(s: &str) -> Option<CmpOp> {
        Some(match s {
            "==" | "=" => CmpOp::Eq,
            "!=" => CmpOp::Ne,
            "<" => CmpOp::Lt,
            "<=" => CmpOp::Le,
            ">" => CmpOp::Gt,
            ">=" => CmpOp::Ge,
            _ => return None,
        })
    }
}

/// A condition on instances: the `where` of a query.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    /// Every instance.
    True,
    /// Each of these.
    All(Vec<Filter>),
    /// One of these at least.
    Any(Vec<Filter>),
    /// Not this.
    Not(Box<Filter>),
    /// The value at `path` compared with `value`.
    Cmp {
        /// Where.
        path: Path,
        /// How.
        op: CmpOp,
        /// With what.
        value: Json,
    },
}

impl Filter {
    /// True when `instance` fits. Comparisons work as in flows: `==` and
    /// `!=` compare deeply (numbers by value), `<` and the others compare
    /// numbers with numbers and strings with strings; anything else does
    /// not fit (in a flow it would be an error). A missing field is `null`.
    pub fn matches(&self, instance: &Instance) -> bool {
        match self {
            Filter::True => true,
            Filter::All(fs) => fs.iter().all(|f| f.matches(instance)),
            Filter::Any(fs) => fs.iter().any(|f| f.matches(instance)),
            Filter::Not(f) => !f.matches(instance),
            Filter::Cmp { path, op, value } => {
                let found = match path {
                    Path::Key => Json::String(instance.key.clone()),
                    Path::Version => Json::from(instance.version),
                    Path::State(p) => {
                        let mut v = &instance.state;
                        for part in p {
                            v = v.get(part.as_str()).unwrap_or(&Json::Null);
                        }
                        v.clone()
                    }
                };
                compare(&found, *op, value)
            }
        }
    }

    /// The conditions that must all hold (`a && (b && c)`: a, b and c).
    fn conjuncts(&self) -> Vec<&Filter> {
        match self {
            Filter::All(fs) => fs.iter().flat_map(Filter::conjuncts).collect(),
            f => vec![f],
        }
    }

    /// The key a conjunct `key == "..."` names.
    pub fn key_eq(&self) -> Option<&str> {
        self.conjuncts().into_iter().find_map(|c| match c {
            Filter::Cmp {
                path: Path::Key,
                op: CmpOp::Eq,
                value: Json::String(k),
            } => Some(k.as_str()),
            _ => None,
        })
    }

    /// The conjunct the index can answer best: an equality, else a range,
    /// on a state path of at most [`INDEX_DEPTH_MAX`] names with a string,
    /// number or boolean (for equality) value.
    pub fn probe(&self) -> Option<IndexProbe> {
        let conjuncts = self.conjuncts();
        let mut best: Option<IndexProbe> = None;
        for c in conjuncts {
            let Filter::Cmp {
                path: Path::State(p),
                op,
                value,
            } = c
            else {
                continue;
            };
            if p.is_empty() || p.len() > INDEX_DEPTH_MAX {
                continue;
            }
            let indexable = match (op, value) {
                (CmpOp::Ne, _) => false,
                (CmpOp::Eq, Json::Bool(_)) => true,
                (_, Json::Number(_)) => true,
                (_, Json::String(s)) => s.len() <= INDEXED_TEXT_BYTES_MAX,
                _ => false,
            };
            if !indexable {
                continue;
            }
            let probe = IndexProbe {
                path: p.join("."),
                op: *op,
                value: value.clone(),
            };
            match &best {
                Some(b) if b.op == CmpOp::Eq => {}
                _ if *op == CmpOp::Eq => best = Some(probe),
                None => best = Some(probe),
                _ => {}
            }
        }
        best
    }
}

/// A condition on one indexed field, which a store looks up in its index
/// (see [`crate::Store::instance_candidates`]).
#[derive(Clone, Debug, PartialEq)]
pub struct IndexProbe {
    /// The field's path, dot-separated.
    pub path: String,
    /// How it compares.
    pub op: CmpOp,
    /// With what: a string, a number, or (for `==`) a boolean.
    pub value: Json,
}

/// `a op b` on JSON values, as flows compare.
pub fn compare(a: &Json, op: CmpOp, b: &Json) -> bool {
    match op {
        CmpOp::Eq => json_eq(a, b),
        CmpOp::Ne => !json_eq(a, b),
        _ => {
            let ord = match (a, b) {
                (Json::Number(x), Json::Number(y)) => x
                    .as_f64()
                    .zip(y.as_f64())
                    .and_then(|(x, y)| x.partial_cmp(&y)),
                (Json::String(x), Json::String(y)) => Some(x.cmp(y)),
                _ => None,
            };
            let Some(ord) = ord else { return false };
            match op {
                CmpOp::Lt => ord.is_lt(),
                CmpOp::Le => ord.is_le(),
                CmpOp::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            }
        }
    }
}

/// Deep equality, numbers by value (`1 == 1.0`).
fn json_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// An indexed value of a state: a scalar at a path.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexedField {
    /// Its path, dot-separated.
    pub path: String,
    /// Its value: a string, a number or a boolean.
    pub value: Json,
}

/// The values of `state` the index holds, or `None` when the state is too
/// large to index completely (see the module documentation).
pub fn indexed_fields(state: &Json) -> Option<Vec<IndexedField>> {
    let mut out = Vec::new();
    fn walk(v: &Json, path: &mut Vec<String>, out: &mut Vec<IndexedField>) -> bool {
        match v {
            Json::Object(m) if path.len() < INDEX_DEPTH_MAX => {
                for (k, v) in m {
                    path.push(k.clone());
                    let ok = walk(v, path, out);
                    path.pop();
                    if !ok {
                        return false;
                    }
                }
                true
            }
            Json::String(s) if !path.is_empty() => {
                if s.len() > INDEXED_TEXT_BYTES_MAX {
                    return false;
                }
                out.push(IndexedField {
                    path: path.join("."),
                    value: v.clone(),
                });
                out.len() <= INDEXED_FIELDS_MAX
            }
            Json::Number(_) | Json::Bool(_) if !path.is_empty() => {
                out.push(IndexedField {
                    path: path.join("."),
                    value: v.clone(),
                });
                out.len() <= INDEXED_FIELDS_MAX
            }
            _ => true,
        }
    }
    walk(state, &mut Vec::new(), &mut out).then_some(out)
}

/// A query over a machine's instances.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceQuery {
    /// The machine.
    pub machine: String,
    /// Which instances.
    pub filter: Filter,
    /// At most this many (the caller bounds it).
    pub limit: usize,
    /// Go on after this key (from a previous page).
    pub cursor: Option<String>,
}

/// A page of instances, by key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InstancePage {
    /// The instances.
    pub items: Vec<Instance>,
    /// Pass as `cursor` for the next page; `None` when there is no more.
    pub next: Option<String>,
}

/// Runs `q` over `store`: candidates from the index (or every instance),
/// each checked against the whole filter, at most [`QUERY_SCAN_MAX`]
/// examined per page.
pub fn query(store: &dyn crate::Store, q: &InstanceQuery) -> crate::Result<InstancePage> {
    let limit = q.limit.max(1);
    // `key == "..."` among the conjuncts: that instance, or none.
    if let Some(key) = q.filter.key_eq() {
        let past = q.cursor.as_deref().is_some_and(|c| c >= key);
        let items = match store.instance(&q.machine, key)? {
            Some(row) if !past && row.instance.version > 0 && q.filter.matches(&row.instance) => {
                vec![row.instance]
            }
            _ => Vec::new(),
        };
        return Ok(InstancePage { items, next: None });
    }
    let probe = q.filter.probe();
    let mut items = Vec::new();
    let mut after = q.cursor.clone();
    let mut examined = 0;
    let batch = (limit * 4).clamp(64, 1_024);
    loop {
        let candidates =
            store.instance_candidates(&q.machine, probe.as_ref(), after.as_deref(), batch)?;
        let exhausted = candidates.len() < batch;
        for c in candidates {
            examined += 1;
            after = Some(c.key.clone());
            if c.version > 0 && q.filter.matches(&c) {
                items.push(c);
                if items.len() == limit {
                    return Ok(InstancePage { items, next: after });
                }
            }
            if examined >= QUERY_SCAN_MAX {
                return Ok(InstancePage { items, next: after });
            }
        }
        if exhausted {
            return Ok(InstancePage { items, next: None });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn inst(state: Json) -> Instance {
        Instance {
            machine: "m".into(),
            key: "k".into(),
            state,
            version: 3,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn cmp(path: &[&str], op: CmpOp, value: Json) -> Filter {
        Filter::Cmp {
            path: Path::State(path.iter().map(|s| s.to_string()).collect()),
            op,
            value,
        }
    }

    #[test]
    fn filters_compare_as_flows_do() {
        let i = inst(json!({"total": 10, "kind": "email", "a": {"b": true}, "tags": [1]}));
        assert!(cmp(&["total"], CmpOp::Eq, json!(10.0)).matches(&i));
        assert!(cmp(&["total"], CmpOp::Gt, json!(9)).matches(&i));
        assert!(!cmp(&["total"], CmpOp::Gt, json!("9")).matches(&i));
        assert!(cmp(&["kind"], CmpOp::Lt, json!("f")).matches(&i));
        assert!(cmp(&["a", "b"], CmpOp::Eq, json!(true)).matches(&i));
        assert!(cmp(&["missing"], CmpOp::Eq, json!(null)).matches(&i));
        assert!(cmp(&["tags"], CmpOp::Eq, json!([1.0])).matches(&i));
        assert!(cmp(&["kind"], CmpOp::Ne, json!(1)).matches(&i));
        let key = Filter::Cmp {
            path: Path::Key,
            op: CmpOp::Eq,
            value: json!("k"),
        };
        let version = Filter::Cmp {
            path: Path::Version,
            op: CmpOp::Ge,
            value: json!(3),
        };
        assert!(Filter::All(vec![key.clone(), version]).matches(&i));
        assert!(!Filter::Not(Box::new(key)).matches(&i));
    }

    #[test]
    fn the_probe_prefers_an_equality_on_a_short_path() {
        let f = Filter::All(vec![
            cmp(&["total"], CmpOp::Gt, json!(1)),
            cmp(&["a", "b", "c", "d"], CmpOp::Eq, json!(1)),
            cmp(&["kind"], CmpOp::Ne, json!("x")),
            cmp(&["kind"], CmpOp::Eq, json!("email")),
        ]);
        assert_eq!(
            f.probe(),
            Some(IndexProbe {
                path: "kind".into(),
                op: CmpOp::Eq,
                value: json!("email")
            })
        );
        assert_eq!(
            cmp(&["total"], CmpOp::Le, json!(2)).probe().map(|p| p.op),
            Some(CmpOp::Le)
        );
        assert_eq!(cmp(&["x"], CmpOp::Eq, json!(null)).probe(), None);
        // `a && b && c` nests: every conjunct counts.
        let nested = Filter::All(vec![
            Filter::All(vec![
                cmp(&["total"], CmpOp::Gt, json!(1)),
                cmp(&["kind"], CmpOp::Eq, json!("email")),
            ]),
            Filter::Cmp {
                path: Path::Key,
                op: CmpOp::Eq,
                value: json!("k"),
            },
        ]);
        assert_eq!(nested.probe().map(|p| p.path), Some("kind".into()));
        assert_eq!(nested.key_eq(), Some("k"));
        assert_eq!(
            Filter::Any(vec![cmp(&["x"], CmpOp::Eq, json!(1))]).probe(),
            None
        );
    }

    #[test]
    fn large_states_are_not_indexed() {
        let f = indexed_fields(&json!({"a": 1, "b": {"c": "x", "d": [1]}, "e": null})).unwrap();
        let paths: Vec<&str> = f.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a", "b.c"]);
        assert!(indexed_fields(&json!({"s": "x".repeat(INDEXED_TEXT_BYTES_MAX + 1)})).is_none());
        let many: serde_json::Map<String, Json> = (0..=INDEXED_FIELDS_MAX)
            .map(|i| (format!("f{i}"), json!(i)))
            .collect();
        assert!(indexed_fields(&Json::Object(many)).is_none());
        // Deeper than the index reaches: not indexed, and no reason to
        // mark the state unindexed (queries there scan).
        assert_eq!(
            indexed_fields(&json!({"a": {"b": {"c": {"d": 1}}}})),
            Some(Vec::new())
        );
    }
}
