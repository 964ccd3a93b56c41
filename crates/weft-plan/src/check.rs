//! Checks a plan on its own and against the program it places, and
//! resolves the placement of every activity the program calls.

use weft_check::contract::Contracts;
use weft_check::SourceFile;
use weft_syntax::{Diagnostic, Span};

use crate::codes;
use crate::model::*;

/// An activity that the program's flows call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Called {
    /// Its name.
    pub name: String,
    /// The bindings its declaration carries (`@http`, `@grpc`).
    pub bindings: Vec<Binding>,
}

/// What a plan needs to know of a program.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Program {
    /// The activities its flows call, by name.
    pub activities: Vec<Called>,
}

impl Program {
    /// The activities `files` call, with their declarations' bindings.
    pub fn of(files: &[SourceFile<'_>]) -> Program {
        let contracts = Contracts::index(files);
        let mut names: Vec<String> = weft_check::activity_calls(files)
            .into_iter()
            .map(|c| c.name)
            .collect();
        names.sort();
        names.dedup();
        let activities = names
            .into_iter()
            .map(|name| {
                let bindings = contracts
                    .activity(&name)
                    .map(|d| {
                        [Binding::Http, Binding::Grpc]
                            .into_iter()
                            .filter(|b| d.annotation(b.annotation()).is_some())
                            .collect()
                    })
                    .unwrap_or_default();
                Called { name, bindings }
            })
            .collect();
        Program { activities }
    }
}

/// Where one activity's calls go, all settings resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved<'p> {
    /// The activity.
    pub activity: String,
    /// Its placement (index in the plan, and the placement), if any.
    pub place: Option<(usize, &'p Place)>,
    /// The placement's limits, with the plan's defaults filled in.
    pub limits: Limits,
}

/// The limits `place` enforces: its own, else the plan's defaults, and
/// only those its kind can enforce (none for workers; `memory` only for
/// embedded components).
pub fn limits_of(plan: &Plan, place: &Place) -> Limits {
    let mut limits = place.limits.or(&plan.defaults);
    match place.target {
        Target::Wasm { .. } => {}
        Target::Worker { .. } => limits = Limits::default(),
        _ => limits.memory_bytes = None,
    }
    limits
}

/// The placement of every activity `program` calls.
pub fn resolve<'p>(plan: &'p Plan, program: &Program) -> Vec<Resolved<'p>> {
    program
        .activities
        .iter()
        .map(|a| {
            let place = plan.place_of(&a.name);
            Resolved {
                activity: a.name.clone(),
                limits: place.map_or_else(Limits::default, |(_, p)| limits_of(plan, p)),
                place,
            }
        })
        .collect()
}

/// Checks the plan itself: worker groups named and used, components that
/// exist (`component_exists` is given the path as the plan writes it), and
/// limits the placement's kind can enforce.
pub fn check_plan(plan: &Plan, component_exists: &dyn Fn(&str) -> bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for place in &plan.places {
        match &place.target {
            Target::Worker { group, span } if plan.worker(group).is_none() => {
                let mut d = Diagnostic::error(
                    codes::UNKNOWN_GROUP,
                    *span,
                    format!("no worker group `{group}`"),
                );
                d.help = Some(format!(
                    "declare it: `[workers.{group}]` with `image`, `min`, `max` and a scaling rule"
                ));
                out.push(d);
            }
            Target::Wasm { component, span } if !component_exists(component) => {
                let mut d = Diagnostic::error(
                    codes::COMPONENT,
                    *span,
                    format!("the component `{component}` does not exist"),
                );
                d.help = Some("paths are relative to the plan's folder; build the component first (docs/wasm.md)".into());
                out.push(d);
            }
            _ => {}
        }
        let kind = place.target.kind();
        if place.limits.memory_bytes.is_some() && kind != "wasm" {
            out.push(Diagnostic::warning(
                codes::LIMIT_IGNORED,
                place.span,
                format!("`memory` caps embedded components; a `{kind}` placement ignores it"),
            ));
        }
        if kind == "worker"
            && (place.limits.concurrency.is_some()
                || place.limits.rate.is_some()
                || place.limits.timeout_ms.is_some())
        {
            let mut d = Diagnostic::warning(
                codes::LIMIT_IGNORED,
                place.span,
                "`concurrency`, `rate` and `timeout` apply to calls the server makes; pull workers take tasks at their own pace",
            );
            d.help = Some("bound remote workers with their group's `max` and each worker's own concurrency (docs/workers.md); time calls out with `@timeout`".into());
            out.push(d);
        }
    }
    for g in &plan.workers {
        let used = plan
            .places
            .iter()
            .any(|p| matches!(&p.target, Target::Worker { group, .. } if *group == g.name));
        if !used {
            out.push(Diagnostic::warning(
                codes::UNUSED_GROUP,
                g.span,
                format!("no placement runs activities on worker group `{}`", g.name),
            ));
        }
    }
    out
}

/// Checks the plan against `program`: every called activity placed (an
/// error, or a warning with `unplaced = "warn"`), bindings the declarations
/// have, and names or patterns that place nothing.
pub fn check_program(plan: &Plan, program: &Program) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in resolve(plan, program) {
        let called = program
            .activities
            .iter()
            .find(|a| a.name == r.activity)
            .expect("resolve returns the program's activities");
        match r.place {
            None => {
                let message = format!(
                    "the program calls `{}`, which no placement names",
                    r.activity
                );
                let mut d = match plan.unplaced {
                    Unplaced::Refuse => {
                        Diagnostic::error(codes::UNPLACED, Span::new(0, 0), message)
                    }
                    Unplaced::Warn => {
                        Diagnostic::warning(codes::UNPLACED, Span::new(0, 0), message)
                    }
                };
                d.help = Some(format!(
                    "add `{}` to a placement's `activities` (or a pattern such as `\"*\"`); with `unplaced = \"warn\"` it goes to the pull queue",
                    r.activity
                ));
                out.push(d);
            }
            Some((_, place)) => {
                if let Target::Binding(b) = place.target {
                    if !called.bindings.contains(&b) {
                        let span = place
                            .patterns
                            .iter()
                            .find(|p| p.matches(&r.activity))
                            .map_or(place.span, |p| p.span);
                        let mut d = Diagnostic::error(
                            codes::NO_BINDING,
                            span,
                            format!(
                                "`{}` is placed on its `@{}` binding, but its declaration has none",
                                r.activity,
                                b.annotation()
                            ),
                        );
                        d.help = Some(match b {
                            Binding::Http => "declare it with `@http(method: ..., url: ...)` (or `weft import openapi`), or place it elsewhere".into(),
                            Binding::Grpc => "declare it with `@grpc(...)` (`weft import grpc`), or place it elsewhere".into(),
                        });
                        out.push(d);
                    }
                }
            }
        }
    }
    // A pattern places nothing when every activity it matches is taken by
    // an earlier placement (or it matches none).
    for (i, place) in plan.places.iter().enumerate() {
        for pat in &place.patterns {
            let places_some = program
                .activities
                .iter()
                .any(|a| pat.matches(&a.name) && plan.place_of(&a.name).map(|(j, _)| j) == Some(i));
            if !places_some {
                let shadowed = program.activities.iter().any(|a| pat.matches(&a.name));
                out.push(Diagnostic::warning(
                    codes::MATCHES_NOTHING,
                    pat.span,
                    if shadowed {
                        format!("`{}` places nothing: an earlier placement takes every activity it matches", pat.text)
                    } else {
                        format!("`{}` matches no activity the program calls", pat.text)
                    },
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(src: &str) -> Program {
        let p = weft_syntax::parse(src);
        assert!(!p.has_errors());
        Program::of(&[SourceFile {
            name: "a.weft",
            module: &p.module,
        }])
    }

    #[test]
    fn program_lists_called_activities_with_bindings() {
        let p = program(
            r#"
activity Get(id: int) -> any @http(method: "GET", url: "https://x.test/{id}")
flow F(input) {
    a = Get(1)
    b = Other(a)
    return b
}
"#,
        );
        assert_eq!(
            p.activities,
            vec![
                Called {
                    name: "Get".into(),
                    bindings: vec![Binding::Http]
                },
                Called {
                    name: "Other".into(),
                    bindings: vec![]
                },
            ]
        );
    }
}
