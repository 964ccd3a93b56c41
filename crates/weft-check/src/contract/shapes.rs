//! A machine's shape as a closed object type: the one reading of a `state`
//! or command shape that the checker's typing and the tools' contracts share.

use crate::contract::types::{Field, Type};
use weft_syntax::ast::{Expr, ExprKind, Shape};

/// What a shape describes: its fields are optional for different reasons.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A state: a field without a default may be missing (nothing set it
    /// yet).
    State,
    /// A command's input: a field with a default may be left out (it takes
    /// the default), and so may a nested shape.
    Input,
}

/// A shape as a closed object type (see `docs/language.md`, machines, for
/// the rules this follows; the engine follows the same ones).
pub(crate) fn shape_type(shape: &Shape, role: Role) -> Type {
    let fields = shape
        .fields
        .iter()
        .map(|f| {
            let ty = match (&f.ty, &f.default, &f.nested) {
                (Some(t), _, _) => Type::from_ast(t),
                (None, _, Some(n)) => shape_type(n, role),
                (None, Some(d), None) => default_type(d),
                (None, None, None) => Type::Any,
            };
            let optional = f.optional
                || f.nested.is_some()
                || match role {
                    Role::State => f.default.is_none(),
                    Role::Input => f.default.is_some(),
                };
            Field {
                name: f.key.name.clone(),
                ty,
                optional,
            }
        })
        .collect();
    Type::Object {
        fields,
        open: false,
    }
}

/// The type a default gives a field that has no type written.
pub(crate) fn default_type(e: &Expr) -> Type {
    match &e.unparen().kind {
        ExprKind::String(_) => Type::String,
        ExprKind::Number(_) => Type::Number,
        ExprKind::Unary { operand, .. } if matches!(operand.kind, ExprKind::Number(_)) => {
            Type::Number
        }
        ExprKind::Bool(_) => Type::Bool,
        ExprKind::Duration { .. } => Type::Duration,
        ExprKind::Array(_) => Type::List(Box::new(Type::Any)),
        ExprKind::Object(_) => Type::Object {
            fields: Vec::new(),
            open: true,
        },
        _ => Type::Any,
    }
}
