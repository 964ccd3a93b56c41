//! The declarations of machines: names (E0301) and shapes (E0302, W0310).
//! Unknown type names in shapes and parameters are E0201, as in activity
//! declarations.

use crate::codes;
use crate::contract::types::{Field, Type};
use crate::machines::RESERVED_COMMANDS;
use crate::SourceFile;
use weft_syntax::ast::*;
use weft_syntax::{lang, Diagnostic};

/// Checks the declarations of every machine: names (E0301) and shapes
/// (E0302). Unknown type names in shapes and parameters are E0201, as in
/// activity declarations.
pub(crate) fn check_declarations(
    files: &[SourceFile<'_>],
    program: &crate::program::Program<'_>,
    contracts: &crate::contract::Contracts<'_>,
    out: &mut [Vec<Diagnostic>],
) {
    for (file, source) in files.iter().enumerate() {
        for decl in source.module.machines() {
            let diags = &mut out[file];
            let name = decl.name.name.as_str();
            if program
                .machines
                .get(name)
                .is_some_and(|m| std::ptr::eq(m.first.1, decl))
            {
                clash(decl, program, contracts, diags);
            }
            for member in &decl.members {
                match member {
                    MachineMember::State(s) => shape(&s.shape, true, contracts, diags),
                    MachineMember::Command(c) => {
                        if RESERVED_COMMANDS.contains(&c.name.name.as_str()) {
                            diags.push(
                                Diagnostic::error(
                                    codes::MACHINE_NAME_CLASH,
                                    c.name.span,
                                    format!("a command cannot be named `{}`", c.name.name),
                                )
                                .with_help(format!(
                                    "`M(key).get()` and `M.find(...)` read instances: name the command otherwise (`{}{}`)",
                                    c.name.name[..1].to_uppercase(),
                                    &c.name.name[1..]
                                )),
                            );
                        }
                        if let Some(s) = &c.shape {
                            shape(s, true, contracts, diags);
                        }
                        if let Some(CommandParam { ty: Some(t), .. }) = &c.param {
                            crate::declarations::type_expr(t, contracts, diags);
                        }
                    }
                    MachineMember::Handler(_) | MachineMember::Error(_) => {}
                }
            }
        }
    }
}

/// E0301: the machine's name means something else too.
fn clash(
    decl: &MachineDecl,
    program: &crate::program::Program<'_>,
    contracts: &crate::contract::Contracts<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let name = decl.name.name.as_str();
    let what = if program.flows.contains_key(name) {
        "a flow of the program"
    } else if contracts.activities.contains_key(name) {
        "a declared activity"
    } else if lang::builtin(name).is_some() {
        "a built-in"
    } else if name == lang::MACHINE_VALUE {
        "the receiver of the pure transition `Machine(state).Handle(...)`"
    } else {
        return;
    };
    diags.push(
        Diagnostic::error(
            codes::MACHINE_NAME_CLASH,
            decl.name.span,
            format!("the machine `{name}` has the name of {what}"),
        )
        .with_help("`Name(key).Command(...)` must mean one thing: rename the machine"),
    );
}

/// E0302 for the fields of a shape (and its nested shapes), W0310 for a
/// nested shape named almost like a choice. `top` is false in a nested
/// shape, whose fields may be bare names (`email {address}` lists the
/// fields of a record, of any type).
fn shape(
    s: &Shape,
    top: bool,
    contracts: &crate::contract::Contracts<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    variants(s, diags);
    let mut seen: Vec<&Key> = Vec::new();
    for f in &s.fields {
        if let Some(first) = seen.iter().find(|k| k.name == f.key.name) {
            diags.push(
                Diagnostic::error(
                    codes::SHAPE_FIELD,
                    f.key.span,
                    format!("the field `{}` is declared twice", f.key.name),
                )
                .with_label(first.span, "first declared here")
                .with_help("keep one of them"),
            );
        }
        seen.push(&f.key);
        if let Some(t) = &f.ty {
            crate::declarations::type_expr(t, contracts, diags);
        }
        if let Some(n) = &f.nested {
            shape(n, false, contracts, diags);
        }
        if top && f.ty.is_none() && f.default.is_none() && f.nested.is_none() {
            diags.push(
                Diagnostic::error(
                    codes::SHAPE_FIELD,
                    f.key.span,
                    format!("the field `{}` has neither a type nor a default", f.key.name),
                )
                .with_help(format!(
                    "give it a type (`{0}: bool`), a default (`{0} = false`) or both (`{0}: bool = false`)",
                    f.key.name
                )),
            );
        }
        let Some(d) = &f.default else {
            continue;
        };
        if !is_constant(d) {
            diags.push(
                Diagnostic::error(
                    codes::SHAPE_FIELD,
                    d.span,
                    format!("the default of `{}` is not a constant", f.key.name),
                )
                .with_help("a default is a literal: a string, a number, `true`, `false`, `null`, a duration, or a list or object of those"),
            );
            continue;
        }
        if let Some(t) = &f.ty {
            let declared = Type::from_ast(t);
            let value = constant_type(d);
            if !contracts.types.assignable(&value, &declared) {
                diags.push(
                    Diagnostic::error(
                        codes::SHAPE_FIELD,
                        d.span,
                        format!(
                            "the default of `{}` must be `{declared}`, but this is `{value}`",
                            f.key.name
                        ),
                    )
                    .with_help("change the default or the type"),
                );
            }
        }
    }
}

/// W0310: a nested shape whose name is close to, but not, a choice of a
/// field of the same shape (the seed's `type = "email" | "phoneNo" |
/// "push"` beside `phone {number}`): the record of a variant is named like
/// the variant.
fn variants(s: &Shape, diags: &mut Vec<Diagnostic>) {
    let mut choices: Vec<(&str, &str)> = Vec::new();
    for f in &s.fields {
        let Some(TypeExpr {
            kind: TypeKind::Union(members),
            ..
        }) = &f.ty
        else {
            continue;
        };
        for m in members {
            if let TypeKind::Literal(text) = &m.kind {
                choices.push((f.key.name.as_str(), text.as_str()));
            }
        }
    }
    if choices.is_empty() {
        return;
    }
    for f in &s.fields {
        if f.nested.is_none() || choices.iter().any(|(_, c)| *c == f.key.name) {
            continue;
        }
        // A typo, or a choice that abbreviates or extends the name
        // (`phone` and `phoneNo`).
        let name = f.key.name.as_str();
        let close = crate::suggest::closest(name, choices.iter().map(|(_, c)| *c)).or_else(|| {
            choices.iter().map(|(_, c)| *c).find(|c| {
                name.len() >= 3 && c.len() >= 3 && (c.starts_with(name) || name.starts_with(c))
            })
        });
        let Some(close) = close else {
            continue;
        };
        let field = choices
            .iter()
            .find(|(_, c)| *c == close)
            .map_or("", |(f, _)| *f);
        diags.push(
            Diagnostic::warning(
                codes::SHAPE_VARIANT,
                f.key.span,
                format!(
                    "`{}` is named like no choice of `{field}`; did you mean {close:?}?",
                    f.key.name
                ),
            )
            .with_help(format!(
                "the record of a variant is named like its choice: rename `{}` to `{close}`, or the choice to {:?}",
                f.key.name, f.key.name
            )),
        );
    }
}

/// True for literals, lists and objects of literals, and negated numbers.
pub(crate) fn is_constant(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Number(_)
        | ExprKind::String(_)
        | ExprKind::Duration { .. }
        | ExprKind::Bool(_)
        | ExprKind::Null => true,
        ExprKind::Unary {
            op: UnaryOp::Neg | UnaryOp::Plus,
            operand,
        } => matches!(
            operand.kind,
            ExprKind::Number(_) | ExprKind::Duration { .. }
        ),
        ExprKind::Paren(inner) => is_constant(inner),
        ExprKind::Array(items) => items.iter().all(is_constant),
        ExprKind::Object(entries) => entries.iter().all(|en| match en {
            ObjectEntry::Field { value, .. } => is_constant(value),
            ObjectEntry::Spread(_) => false,
        }),
        _ => false,
    }
}

/// The type of a constant, as precise as the checker compares: a string
/// default is that string (so it fits a union of choices).
fn constant_type(e: &Expr) -> Type {
    match &e.unparen().kind {
        ExprKind::String(s) => Type::Literal(s.clone()),
        ExprKind::Number(v) if v.fract() == 0.0 => Type::Int,
        ExprKind::Null => Type::Null,
        ExprKind::Array(items) => {
            let mut members: Vec<Type> = Vec::new();
            for item in items {
                let t = constant_type(item);
                if !members.contains(&t) {
                    members.push(t);
                }
            }
            Type::List(Box::new(match members.len() {
                0 => Type::Any,
                1 => members.pop().unwrap_or(Type::Any),
                _ => Type::Union(members),
            }))
        }
        ExprKind::Object(entries) => Type::Object {
            fields: entries
                .iter()
                .filter_map(|en| match en {
                    ObjectEntry::Field { key, value } => {
                        Some(field(&key.name, constant_type(value)))
                    }
                    ObjectEntry::Spread(_) => None,
                })
                .collect(),
            open: false,
        },
        _ => crate::contract::shapes::default_type(e),
    }
}

fn field(name: &str, ty: Type) -> Field {
    Field {
        name: name.to_string(),
        ty,
        optional: false,
    }
}
