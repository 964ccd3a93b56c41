//! The activities of a program as the generators see them.

use std::collections::BTreeMap;
use weft_check::contract::types::Type;
use weft_check::contract::Contracts;
use weft_check::SourceFile;

/// Most activities one generated file serves.
pub const ACTIVITIES_MAX: usize = 1_000;

/// A parameter of an activity.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Its name (for undeclared activities, `arg0`, `arg1`, ... for the
    /// positional arguments, and the names of named arguments).
    pub name: String,
    /// Its type (`any` for undeclared activities).
    pub ty: Type,
    /// A call may leave it out.
    pub optional: bool,
}

/// An activity the flows call.
#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    /// Its name.
    pub name: String,
    /// True when the program declares it.
    pub declared: bool,
    /// Its parameters, in order.
    pub params: Vec<Param>,
    /// The type of its result (`any` when undeclared or not written).
    pub result: Type,
    /// Some call awaits it: the worker acknowledges it, and the result
    /// type is the callback value's.
    pub awaited: bool,
}

/// Every activity a program's flows call, and the declared types.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
    /// By name.
    pub activities: Vec<Activity>,
    /// The program's `type` declarations, by name.
    pub types: Vec<(String, Type)>,
}

impl Model {
    /// The model of the program `files`.
    pub fn of(files: &[SourceFile<'_>]) -> Model {
        let contracts = Contracts::index(files);
        let mut seen: BTreeMap<String, Vec<weft_check::ActivityCall>> = BTreeMap::new();
        for call in weft_check::activity_calls(files) {
            seen.entry(call.name.clone()).or_default().push(call);
        }
        let activities = seen
            .into_iter()
            .map(|(name, calls)| {
                let awaited = calls.iter().any(|c| c.awaited);
                match contracts.params(&name) {
                    Some(params) => Activity {
                        result: contracts.result(&name).unwrap_or(Type::Any),
                        params: params
                            .into_iter()
                            .map(|p| Param {
                                name: p.name,
                                ty: p.ty,
                                optional: p.optional,
                            })
                            .collect(),
                        declared: true,
                        awaited,
                        name,
                    },
                    None => Activity {
                        params: undeclared_params(&calls),
                        result: Type::Any,
                        declared: false,
                        awaited,
                        name,
                    },
                }
            })
            .collect();
        Model {
            activities,
            types: contracts
                .types
                .iter()
                .map(|(n, t)| (n.to_string(), t.clone()))
                .collect(),
        }
    }
}

/// `arg0..argN` for the positional arguments (optional past the fewest
/// any call gives), then each named argument (optional).
fn undeclared_params(calls: &[weft_check::ActivityCall]) -> Vec<Param> {
    let most = calls.iter().map(|c| c.positional).max().unwrap_or(0);
    let fewest = calls.iter().map(|c| c.positional).min().unwrap_or(0);
    let mut params: Vec<Param> = (0..most)
        .map(|i| Param {
            name: format!("arg{i}"),
            ty: Type::Any,
            optional: i >= fewest,
        })
        .collect();
    for c in calls {
        for n in &c.named {
            if !params.iter().any(|p| &p.name == n) {
                params.push(Param {
                    name: n.clone(),
                    ty: Type::Any,
                    optional: true,
                });
            }
        }
    }
    params
}
