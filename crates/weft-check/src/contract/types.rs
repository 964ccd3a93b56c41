//! The types of declarations, as the checker and the tools reason about
//! them: built-in types, lists, objects (closed or open), unions, and
//! references to `type` declarations, resolved through [`Types`].

use std::collections::BTreeMap;
use std::fmt;
use weft_syntax::ast::{TypeExpr, TypeKind};

/// Deepest chain of `type` references followed when resolving one type
/// (`type A = B`, `type B = C`, ...). Deeper chains are treated as `any`,
/// so that no input makes a tool loop; a cycle without structure in
/// between is reported by the checker (E0208).
pub const ALIAS_DEPTH_MAX: usize = 32;

/// A field of an object type.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The field's name.
    pub name: String,
    /// The field's type.
    pub ty: Type,
    /// The field may be missing (or `null`).
    pub optional: bool,
}

/// A type.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    /// Anything: nothing is checked.
    Any,
    /// Text.
    String,
    /// Any number.
    Number,
    /// A whole number.
    Int,
    /// `true` or `false`.
    Bool,
    /// `null`.
    Null,
    /// A duration (in JSON: text such as `"2h"` or milliseconds).
    Duration,
    /// A time (in JSON: RFC 3339 text or epoch milliseconds).
    Time,
    /// A list whose elements have this type.
    List(Box<Type>),
    /// An object.
    Object {
        /// The declared fields, in order.
        fields: Vec<Field>,
        /// Other fields may be present.
        open: bool,
    },
    /// Any of the members.
    Union(Vec<Type>),
    /// A `type` declaration, by name.
    Named(String),
    /// Exactly this string (a member of a union of choices such as
    /// `"email" | "push"`).
    Literal(String),
}

impl Type {
    /// The type written as `t` (names of built-in types become the
    /// built-in; any other name refers to a `type` declaration).
    pub fn from_ast(t: &TypeExpr) -> Type {
        match &t.kind {
            TypeKind::Name(n) => match n.as_str() {
                "any" => Type::Any,
                "string" => Type::String,
                "number" => Type::Number,
                "int" => Type::Int,
                "bool" => Type::Bool,
                "null" => Type::Null,
                "duration" => Type::Duration,
                "time" => Type::Time,
                _ => Type::Named(n.clone()),
            },
            TypeKind::List(inner) => Type::List(Box::new(Type::from_ast(inner))),
            TypeKind::Object(o) => Type::Object {
                fields: o
                    .fields
                    .iter()
                    .map(|f| Field {
                        name: f.key.name.clone(),
                        ty: Type::from_ast(&f.ty),
                        optional: f.optional,
                    })
                    .collect(),
                open: o.open.is_some(),
            },
            TypeKind::Union(members) => Type::Union(members.iter().map(Type::from_ast).collect()),
            TypeKind::Literal(text) => Type::Literal(text.clone()),
            TypeKind::Error => Type::Any,
        }
    }

    /// The object shape of a closed or open object type, if this is one.
    pub fn fields(&self) -> Option<(&[Field], bool)> {
        match self {
            Type::Object { fields, open } => Some((fields, *open)),
            _ => None,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Any => f.write_str("any"),
            Type::String => f.write_str("string"),
            Type::Number => f.write_str("number"),
            Type::Int => f.write_str("int"),
            Type::Bool => f.write_str("bool"),
            Type::Null => f.write_str("null"),
            Type::Duration => f.write_str("duration"),
            Type::Time => f.write_str("time"),
            Type::List(inner) => write!(f, "[{inner}]"),
            Type::Object { fields, open } => {
                f.write_str("{")?;
                for (i, field) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    let q = if field.optional { "?" } else { "" };
                    write!(f, "{}{q}: {}", field.name, field.ty)?;
                }
                if *open {
                    f.write_str(if fields.is_empty() { ".." } else { ", .." })?;
                }
                f.write_str("}")
            }
            Type::Union(members) => {
                for (i, m) in members.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" | ")?;
                    }
                    write!(f, "{m}")?;
                }
                Ok(())
            }
            Type::Named(n) => f.write_str(n),
            Type::Literal(text) => write!(f, "{text:?}"),
        }
    }
}

/// The `type` declarations of a program, by name.
#[derive(Clone, Debug, Default)]
pub struct Types {
    aliases: BTreeMap<String, Type>,
}

impl Types {
    /// Adds (or replaces) the declaration `type name = ty`.
    pub fn insert(&mut self, name: &str, ty: Type) {
        self.aliases.insert(name.to_string(), ty);
    }

    /// True when `name` is declared.
    pub fn contains(&self, name: &str) -> bool {
        self.aliases.contains_key(name)
    }

    /// The declared types, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Type)> {
        self.aliases.iter().map(|(n, t)| (n.as_str(), t))
    }

    /// `t` with references to declarations replaced, at the top only (the
    /// fields of an object keep their references). An unknown name, or a
    /// chain longer than [`ALIAS_DEPTH_MAX`], is `any`.
    pub fn resolve<'t>(&'t self, mut t: &'t Type) -> &'t Type {
        for _ in 0..ALIAS_DEPTH_MAX {
            match t {
                Type::Named(n) => match self.aliases.get(n) {
                    Some(next) => t = next,
                    None => return &Type::Any,
                },
                _ => return t,
            }
        }
        &Type::Any
    }

    /// True when a value of type `value` is acceptable where `target` is
    /// expected. Unknown parts are acceptable: the check only reports what
    /// is certainly wrong.
    pub fn assignable(&self, value: &Type, target: &Type) -> bool {
        self.assignable_depth(value, target, 0)
    }

    fn assignable_depth(&self, value: &Type, target: &Type, depth: usize) -> bool {
        if depth > ALIAS_DEPTH_MAX {
            return true;
        }
        let value = self.resolve(value);
        let target = self.resolve(target);
        let d = depth + 1;
        match (value, target) {
            (Type::Any, _) | (_, Type::Any) => true,
            (Type::Union(members), _) => {
                members.iter().all(|m| self.assignable_depth(m, target, d))
            }
            (_, Type::Union(members)) => members.iter().any(|m| self.assignable_depth(value, m, d)),
            (Type::Int, Type::Number) => true,
            // A string literal is a string; a string whose value is not
            // known may be any of the choices.
            (Type::Literal(_), Type::String) | (Type::String, Type::Literal(_)) => true,
            (Type::Literal(_), Type::Duration | Type::Time) => true,
            // JSON has no durations and times: their text and number forms
            // are accepted (see docs/language.md, "Values").
            (Type::String | Type::Int | Type::Number, Type::Duration | Type::Time) => true,
            (Type::List(a), Type::List(b)) => self.assignable_depth(a, b, d),
            (
                Type::Object {
                    fields: vf,
                    open: vopen,
                },
                Type::Object {
                    fields: tf,
                    open: topen,
                },
            ) => {
                for t in tf {
                    match vf.iter().find(|v| v.name == t.name) {
                        Some(v) => {
                            let ty = if v.optional {
                                Type::Union(vec![v.ty.clone(), Type::Null])
                            } else {
                                v.ty.clone()
                            };
                            let target_ty = if t.optional {
                                Type::Union(vec![t.ty.clone(), Type::Null])
                            } else {
                                t.ty.clone()
                            };
                            if !self.assignable_depth(&ty, &target_ty, d) {
                                return false;
                            }
                        }
                        // Missing in an open value: it may be among the
                        // other fields.
                        None if !t.optional && !vopen => return false,
                        None => {}
                    }
                }
                *topen || vf.iter().all(|v| tf.iter().any(|t| t.name == v.name))
            }
            (a, b) => a == b,
        }
    }

    /// The type of field `name` of a value of type `t` (an optional field's
    /// type without `null`): `Ok(None)` when
    /// nothing is known, `Err(known)` when `t` is certainly an object that
    /// cannot have that field (with the fields it may have, for a
    /// suggestion).
    pub fn field(&self, t: &Type, name: &str) -> Result<Option<Type>, Vec<String>> {
        self.field_depth(t, name, 0)
    }

    fn field_depth(&self, t: &Type, name: &str, depth: usize) -> Result<Option<Type>, Vec<String>> {
        if depth > ALIAS_DEPTH_MAX {
            return Ok(None);
        }
        match self.resolve(t) {
            // An optional field reads as its type: whether it is there is
            // for the flow to know (a missing one reads `null`), and most
            // fields of real APIs are optional.
            Type::Object { fields, open } => match fields.iter().find(|f| f.name == name) {
                Some(f) => Ok(Some(f.ty.clone())),
                None if *open => Ok(None),
                None => Err(fields.iter().map(|f| f.name.clone()).collect()),
            },
            Type::Union(members) => {
                let mut known = Vec::new();
                let mut found = Vec::new();
                for m in members {
                    // `null` members are where a read fails at run time
                    // anyway; they neither allow nor forbid a field.
                    if matches!(self.resolve(m), Type::Null) {
                        continue;
                    }
                    match self.field_depth(m, name, depth + 1) {
                        Ok(Some(ty)) => found.push(ty),
                        Ok(None) => return Ok(None),
                        Err(names) => known.extend(names),
                    }
                }
                match found.len() {
                    0 if known.is_empty() => Ok(None),
                    0 => {
                        known.dedup();
                        Err(known)
                    }
                    1 => Ok(found.pop()),
                    _ => Ok(Some(Type::Union(found))),
                }
            }
            _ => Ok(None),
        }
    }

    /// The element type of a list type, if `t` is one.
    pub fn element(&self, t: &Type) -> Option<Type> {
        match self.resolve(t) {
            Type::List(inner) => Some((**inner).clone()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(src: &str) -> Type {
        let p = weft_syntax::parse(&format!("type T = {src}"));
        assert!(!p.has_errors(), "{src}");
        let t = Type::from_ast(&p.module.types().next().unwrap().ty);
        t
    }

    #[test]
    fn assignability() {
        let types = Types::default();
        let ok = |v: &str, t: &str| types.assignable(&ty(v), &ty(t));
        assert!(ok("int", "number"));
        assert!(!ok("number", "int"));
        assert!(ok("string", "string | null"));
        assert!(!ok("string | null", "string"));
        assert!(ok("{a: int, b: string}", "{a: number, ..}"));
        assert!(!ok("{a: int, b: string}", "{a: number}"));
        assert!(!ok("{b: string}", "{a: number, b: string}"));
        assert!(ok("{b: string}", "{a?: number, b: string}"));
        assert!(ok("{b: string, ..}", "{b: string}"));
        assert!(ok("[int]", "[number]"));
        assert!(ok("string", "duration"));
        assert!(!ok("bool", "time"));
    }

    #[test]
    fn fields_through_aliases_and_unions() {
        let mut types = Types::default();
        types.insert("R", ty("{status: string, id?: int}"));
        let r = Type::Named("R".into());
        assert_eq!(types.field(&r, "status"), Ok(Some(Type::String)));
        assert_eq!(
            types.field(&r, "stauts"),
            Err(vec!["status".to_string(), "id".to_string()])
        );
        let u = Type::Union(vec![r, ty("{status: string, type: string}")]);
        assert_eq!(types.field(&u, "type"), Ok(Some(Type::String)));
        assert!(types.field(&u, "nope").is_err());
        assert_eq!(types.field(&ty("{..}"), "x"), Ok(None));
    }
}
