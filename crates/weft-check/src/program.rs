//! The program: every top-level flow of every file, by name, so that a call
//! in one file can resolve to a flow of another.

use crate::codes;
use crate::SourceFile;
use std::collections::HashMap;
use weft_syntax::ast::{Block, Expr, ExprKind, FlowDecl, FlowForm, Stmt, StmtKind};
use weft_syntax::lang;
use weft_syntax::visit::{self, Visitor};
use weft_syntax::Diagnostic;

/// A top-level flow and the file that declares it.
#[derive(Clone, Copy)]
pub(crate) struct FlowRef<'a> {
    /// Index of the file in the program.
    pub file: usize,
    /// The declaration.
    pub decl: &'a FlowDecl,
}

/// The flows of a program.
pub(crate) struct Program<'a> {
    /// The file names, for messages that point into another file.
    pub file_names: Vec<&'a str>,
    /// The first flow declared with each name.
    pub flows: HashMap<&'a str, FlowRef<'a>>,
    /// The machines, each gathered from its declarations.
    pub machines: crate::machines::Index<'a>,
}

impl<'a> Program<'a> {
    /// Indexes the flows of `files`, reporting duplicate names (E0140) and
    /// names of built-ins (E0143) into `out`, one list per file.
    pub fn index(files: &[SourceFile<'a>], out: &mut [Vec<Diagnostic>]) -> Program<'a> {
        let mut flows: HashMap<&'a str, FlowRef<'a>> = HashMap::new();
        for (file, source) in files.iter().enumerate() {
            for decl in source.module.flows() {
                let name = decl.name.name.as_str();
                if name.is_empty() {
                    continue;
                }
                if lang::builtin(name).is_some() {
                    out[file].push(named_like_builtin(decl));
                }
                match flows.get(name) {
                    Some(first) => {
                        let mut d = Diagnostic::error(
                            codes::DUPLICATE_FLOW,
                            decl.name.span,
                            format!("the program already has a flow named `{name}`"),
                        );
                        d = if first.file == file {
                            d.with_label(
                                first.decl.name.span,
                                format!("`{name}` is first defined here"),
                            )
                        } else {
                            d.with_help(format!(
                                "`{name}` is first defined in `{}`; rename one of them",
                                files[first.file].name
                            ))
                        };
                        out[file].push(d);
                    }
                    None => {
                        flows.insert(name, FlowRef { file, decl });
                    }
                }
            }
        }
        Program {
            file_names: files.iter().map(|f| f.name).collect(),
            flows,
            machines: crate::machines::Index::build(files, out),
        }
    }
}

/// E0143 for a flow (top-level or inline) named like a built-in.
pub(crate) fn named_like_builtin(decl: &FlowDecl) -> Diagnostic {
    let name = &decl.name.name;
    let d = Diagnostic::error(
        codes::FLOW_NAMED_LIKE_BUILTIN,
        decl.name.span,
        format!("a flow cannot be named `{name}`: that is a built-in"),
    );
    match decl.form {
        // `Sleep(1h) {` reads as a call of the built-in followed by a block,
        // but the parser makes it an inline flow named `Sleep`.
        FlowForm::CallBlock => d.with_help(format!(
            "to call the built-in, end the line after `{name}(...)`; otherwise rename the inline flow"
        )),
        FlowForm::Keyword => d.with_help(format!(
            "rename the flow: `{name}(...)` must keep meaning the built-in"
        )),
    }
}

/// True when `flow` holds a node that did not parse. The parser reported
/// it already; findings about names and assignments in such a flow would be
/// guesses (the broken statement may have assigned or read anything), so the
/// walk stays quiet about them.
pub(crate) fn has_syntax_errors(flow: &FlowDecl) -> bool {
    has_syntax_errors_in(&flow.body)
}

/// [`has_syntax_errors`] for a block (a handler's body).
pub(crate) fn has_syntax_errors_in(body: &Block) -> bool {
    struct Finder(bool);
    impl Visitor<'_> for Finder {
        fn visit_stmt(&mut self, s: &Stmt) {
            if self.0 {
                return;
            }
            if matches!(s.kind, StmtKind::Error) {
                self.0 = true;
                return;
            }
            visit::walk_stmt(self, s);
        }
        fn visit_expr(&mut self, e: &Expr) {
            if self.0 {
                return;
            }
            match &e.kind {
                ExprKind::Error => self.0 = true,
                ExprKind::Call(c) if c.annotations.iter().any(|a| a.name.name.is_empty()) => {
                    self.0 = true
                }
                _ => visit::walk_expr(self, e),
            }
        }
    }
    let mut finder = Finder(false);
    finder.visit_block(body);
    finder.0
}
