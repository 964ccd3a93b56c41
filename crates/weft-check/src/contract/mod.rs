//! Activity contracts: what `activity` and `type` declarations say, for the
//! checker and for tools (stub generators, the server's HTTP and gRPC
//! bindings).
//!
//! - [`types`]: the types of declarations and how values fit them.
//! - [`args`]: how a declared activity reads the arguments a call sends.
//! - [`http`]: `@http(...)` bindings and the requests they make.
//! - [`grpc`]: `@grpc(...)` bindings and the request messages they send.
//! - [`machines`]: the machines' state and command input types.
//! - [`Contracts`]: the declarations of a program, by name.
//!
//! What the checker's inference finds is at the crate's root:
//! [`crate::activity_calls`] (every activity call of a program, declared or
//! not) and [`crate::variable_types`] (variables' types, per function).

pub mod args;
pub mod grpc;
pub mod http;
pub mod machines;
pub(crate) mod shapes;
pub mod types;

use crate::SourceFile;
use std::collections::BTreeMap;
use types::{Type, Types};
use weft_syntax::ast::{ActivityDecl, TypeDecl};

/// A declaration and the file that holds it.
#[derive(Clone, Copy, Debug)]
pub struct Declared<'a, T> {
    /// Index of the file in the program.
    pub file: usize,
    /// The declaration.
    pub decl: &'a T,
}

/// A parameter of a declared activity, with its type.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// A call may leave it out.
    pub optional: bool,
}

/// The declarations of a program. The first declaration of a name counts;
/// the checker reports the others (E0200).
#[derive(Clone, Debug, Default)]
pub struct Contracts<'a> {
    /// Activity declarations by name.
    pub activities: BTreeMap<&'a str, Declared<'a, ActivityDecl>>,
    /// `type` declarations by name.
    pub type_decls: BTreeMap<&'a str, Declared<'a, TypeDecl>>,
    /// The declared types, for resolving and comparing.
    pub types: Types,
}

impl<'a> Contracts<'a> {
    /// The declarations of `files`.
    pub fn index(files: &[SourceFile<'a>]) -> Contracts<'a> {
        let mut c = Contracts::default();
        for (file, source) in files.iter().enumerate() {
            for decl in source.module.activities() {
                c.activities
                    .entry(decl.name.name.as_str())
                    .or_insert(Declared { file, decl });
            }
            for decl in source.module.types() {
                if weft_syntax::lang::is_builtin_type(&decl.name.name) {
                    continue;
                }
                c.type_decls
                    .entry(decl.name.name.as_str())
                    .or_insert(Declared { file, decl });
            }
        }
        for (name, d) in &c.type_decls {
            c.types.insert(name, Type::from_ast(&d.decl.ty));
        }
        c
    }

    /// The declaration of activity `name`.
    pub fn activity(&self, name: &str) -> Option<&'a ActivityDecl> {
        self.activities.get(name).map(|d| d.decl)
    }

    /// The parameters of activity `name`, with their types.
    pub fn params(&self, name: &str) -> Option<Vec<Param>> {
        Some(params_of(self.activity(name)?))
    }

    /// The result type of activity `name` (`any` when not written).
    pub fn result(&self, name: &str) -> Option<Type> {
        let decl = self.activity(name)?;
        Some(decl.result.as_ref().map_or(Type::Any, Type::from_ast))
    }
}

/// The parameters of `decl`, with their types.
pub fn params_of(decl: &ActivityDecl) -> Vec<Param> {
    decl.params
        .iter()
        .map(|p| Param {
            name: p.name.name.clone(),
            ty: Type::from_ast(&p.ty),
            optional: p.optional,
        })
        .collect()
}

/// The `@http` bindings of every declared activity of `files`, by name.
/// Declarations whose annotation is not valid are left out (the checker
/// refuses such a program anyway).
pub fn http_bindings(files: &[SourceFile<'_>]) -> BTreeMap<String, http::HttpBinding> {
    let contracts = Contracts::index(files);
    contracts
        .activities
        .iter()
        .filter_map(|(name, d)| {
            let b = http::HttpBinding::from_decl(d.decl).ok()??;
            Some((name.to_string(), b))
        })
        .collect()
}

/// The `@grpc` bindings of every declared activity of `files`, by name.
/// Declarations whose annotation is not valid are left out (the checker
/// refuses such a program anyway).
pub fn grpc_bindings(files: &[SourceFile<'_>]) -> BTreeMap<String, grpc::GrpcBinding> {
    let contracts = Contracts::index(files);
    contracts
        .activities
        .iter()
        .filter_map(|(name, d)| {
            let b = grpc::GrpcBinding::from_decl(d.decl).ok()??;
            Some((name.to_string(), b))
        })
        .collect()
}
