//! Triggers (`sdk.TaskQueue({type: [...], where: ..., run: "Flow"})`):
//! each reads as a trigger (E0311), `run` names a flow of the program
//! (E0312), the event fits the flow's parameters (E0313), and no two
//! triggers share a name (E0314); a `where` written as a condition is
//! typed against the event (E0316, E0317: see [`crate::conditions`]). Schedules (`sdk.Schedule({...})`) are
//! checked here too: they read (E0315, see [`crate::schedules`]), their
//! names are unique among schedules (E0314), `run` names a flow (E0312).
//!
//! The event a trigger starts its flow with is `{id, type, subject, data,
//! source}`. A flow of one parameter gets it whole, so the fields it reads
//! of that parameter must be the event's; a flow of several parameters
//! gets them by name, so each must be named like a field of the event.

use std::collections::HashMap;

use weft_syntax::ast::{Expr, ExprKind, FlowDecl};
use weft_syntax::visit::{self, Visitor};
use weft_syntax::Diagnostic;

use crate::program::Program;
use crate::{codes, suggest, SourceFile};

pub use weft_syntax::ast::EVENT_FIELDS;

/// Checks every trigger and schedule of `files`.
pub(crate) fn check(files: &[SourceFile<'_>], program: &Program<'_>, out: &mut [Vec<Diagnostic>]) {
    let mut names: HashMap<String, (usize, weft_syntax::Span)> = HashMap::new();
    let mut schedules: HashMap<String, (usize, weft_syntax::Span)> = HashMap::new();
    for (file, source) in files.iter().enumerate() {
        for t in source.module.triggers() {
            if t.kind() == weft_syntax::ast::SCHEDULE {
                check_schedule(t, file, program, &mut schedules, &mut out[file]);
                continue;
            }
            let spec = match t.spec() {
                Ok(spec) => spec,
                Err(problems) => {
                    for p in problems {
                        out[file].push(Diagnostic::error(codes::TRIGGER, p.span, p.message));
                    }
                    continue;
                }
            };
            if let Some(condition) = &spec.condition {
                crate::conditions::check(condition, &mut out[file]);
            }
            match names.get(&spec.name) {
                Some(&(first_file, first)) => {
                    let mut d = Diagnostic::error(
                        codes::DUPLICATE_TRIGGER,
                        t.span,
                        format!(
                            "the program already has a trigger named `{}`: an event starts one run per trigger, counted by name",
                            spec.name
                        ),
                    )
                    .with_help("give one of them another `name: \"...\"`");
                    if first_file == file {
                        d = d.with_label(first, "the first trigger of that name");
                    }
                    out[file].push(d);
                }
                None => {
                    names.insert(spec.name.clone(), (file, t.span));
                }
            }
            let Some(flow) = program.flows.get(spec.flow.as_str()) else {
                let mut d = Diagnostic::error(
                    codes::UNKNOWN_TRIGGER_FLOW,
                    spec.flow_span,
                    format!(
                        "the trigger runs `{}`, but the program has no flow of that name",
                        spec.flow
                    ),
                );
                if let Some(close) = suggest::closest(&spec.flow, program.flows.keys().copied()) {
                    d = d.with_help(format!("did you mean `{close}`?"));
                }
                out[file].push(d);
                continue;
            };
            event_fits(flow.decl, spec.flow_span, &mut out[file]);
        }
    }
}

/// A schedule: it reads (E0315), its name is its own (E0314), `run` names
/// a flow (E0312).
fn check_schedule(
    t: &weft_syntax::ast::TriggerDecl,
    file: usize,
    program: &Program<'_>,
    names: &mut HashMap<String, (usize, weft_syntax::Span)>,
    out: &mut Vec<Diagnostic>,
) {
    let (spec, flow_span) = match crate::schedules::read(t) {
        Ok(read) => read,
        Err(problems) => {
            for (span, message) in problems {
                out.push(Diagnostic::error(codes::SCHEDULE, span, message));
            }
            return;
        }
    };
    if let Some(&(first_file, first)) = names.get(&spec.name) {
        let mut d = Diagnostic::error(
            codes::DUPLICATE_TRIGGER,
            t.span,
            format!(
                "the program already has a schedule named `{}`: operators pause, resume and trigger schedules by name",
                spec.name
            ),
        );
        if first_file == file {
            d = d.with_label(first, "the first schedule of that name");
        }
        out.push(d);
    } else {
        names.insert(spec.name.clone(), (file, t.span));
    }
    if !program.flows.contains_key(spec.flow.as_str()) {
        let mut d = Diagnostic::error(
            codes::UNKNOWN_TRIGGER_FLOW,
            flow_span,
            format!(
                "the schedule runs `{}`, but the program has no flow of that name",
                spec.flow
            ),
        );
        if let Some(close) = suggest::closest(&spec.flow, program.flows.keys().copied()) {
            d = d.with_help(format!("did you mean `{close}`?"));
        }
        out.push(d);
    }
}

/// E0313 where the event does not fit `flow`'s parameters.
fn event_fits(flow: &FlowDecl, at: weft_syntax::Span, out: &mut Vec<Diagnostic>) {
    let name = &flow.name.name;
    match flow.params.as_slice() {
        [] => {}
        [one] => {
            let Some(param) = &one.name else { return };
            let mut reads = FieldReads {
                param: &param.name,
                found: Vec::new(),
            };
            reads.visit_block(&flow.body);
            for (field, span) in reads.found {
                let mut d = Diagnostic::error(
                    codes::TRIGGER_EVENT,
                    span,
                    format!(
                        "`{name}` is started by a trigger with an event, which has no field `{field}`; its fields are {}",
                        fields_list()
                    ),
                )
                .with_label(at, "the trigger that starts it");
                if let Some(close) = suggest::closest(&field, EVENT_FIELDS) {
                    d = d.with_help(format!(
                        "did you mean `{}.{close}`? (the event's own fields are under `data`)",
                        param.name
                    ));
                } else {
                    d = d.with_help(format!(
                        "the event's own fields are under `{}.data`",
                        param.name
                    ));
                }
                out.push(d);
            }
        }
        many => {
            for p in many {
                let Some(n) = &p.name else { continue };
                if !EVENT_FIELDS.contains(&n.name.as_str()) {
                    out.push(
                        Diagnostic::error(
                            codes::TRIGGER_EVENT,
                            n.span,
                            format!(
                                "`{name}` is started by a trigger, which binds its parameters by name from the event; the event has no field `{}` (its fields are {})",
                                n.name,
                                fields_list()
                            ),
                        )
                        .with_label(at, "the trigger that starts it"),
                    );
                }
            }
        }
    }
}

fn fields_list() -> String {
    EVENT_FIELDS
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads of `param.field` in a flow's body.
struct FieldReads<'p> {
    param: &'p str,
    found: Vec<(String, weft_syntax::Span)>,
}

impl<'ast> Visitor<'ast> for FieldReads<'_> {
    fn visit_expr(&mut self, e: &'ast Expr) {
        if let ExprKind::Member { object, name } = &e.kind {
            if matches!(&object.kind, ExprKind::Name(n) if n == self.param)
                && !EVENT_FIELDS.contains(&name.name.as_str())
            {
                self.found.push((name.name.clone(), name.span));
            }
        }
        visit::walk_expr(self, e)
    }

    fn visit_flow(&mut self, _: &'ast FlowDecl) {
        // An inline flow has parameters of its own, which may shadow.
    }
}
