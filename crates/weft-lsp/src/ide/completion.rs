//! Completion: what may be written at the cursor.
//!
//! The context comes from the tokens before the cursor (the tree of
//! half-typed code is not to be trusted that close to the cursor): after
//! `@` come annotations; after `x.` the fields of `x`'s type, when the
//! checker knows it (a declared activity's result); at the start of a
//! statement, statement keywords and everything an expression may start
//! with; inside a call's parentheses, also the named arguments of the flow,
//! declared activity (or annotation) called. In a declaration (`activity`,
//! `type`), type names where a type goes and `@http` and its arguments
//! after the parameters. The names come from the resolved file (variables
//! of the scopes around the cursor) and the program (flows, activities,
//! types), plus the language's tables (built-ins, annotations, types).
//!
//! The list is filtered by the word being typed (its characters in order,
//! the first one first, in any case, as editors filter), ranked (what the
//! context asks for, such as named arguments or fields, then variables,
//! keywords, flows, built-ins and activities; within each, names that
//! start with the word first) and cut at [`COMPLETIONS_MAX`], in which
//! case it says it is incomplete, so that the editor asks again as more
//! is typed.

use std::collections::HashSet;

use super::resolve::{ItemKind, ScopeKind, VarKind};
use super::{Global, Program};
use weft_check::contract::types::{Type, Types};
use weft_syntax::lang::{self, AnnotationSpec};
use weft_syntax::lexer::{lex, Token, TokenKind};
use weft_syntax::Span;

/// Most items one completion returns, after filtering by what is typed
/// and ranking; a longer list is cut and marked incomplete.
pub const COMPLETIONS_MAX: usize = 1000;

/// The answer to a completion request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completions {
    /// The proposals, best first.
    pub items: Vec<CompletionItem>,
    /// More would fit what is typed than [`COMPLETIONS_MAX`]: the editor
    /// should ask again as the word grows.
    pub incomplete: bool,
}

/// What a completion item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    /// A keyword.
    Keyword,
    /// A variable in scope.
    Variable,
    /// A flow of the program, or an enclosing inline flow.
    Flow,
    /// A built-in function.
    Builtin,
    /// An activity: declared, or called elsewhere in the program.
    Activity,
    /// An annotation, after `@`.
    Annotation,
    /// A named argument of the flow, activity or annotation being called.
    NamedArgument,
    /// A type: built-in or declared.
    Type,
    /// A field of a value whose type is known, after `.`.
    Field,
}

/// One proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    /// What the list shows, and what is inserted unless `insert` says.
    pub label: String,
    /// What it is.
    pub kind: CompletionKind,
    /// A one-line signature or kind.
    pub detail: Option<String>,
    /// Markdown documentation.
    pub doc: Option<String>,
    /// The text to insert, when not the label.
    pub insert: Option<String>,
    /// What the insertion replaces, when more than the word being typed:
    /// a field that is no name replaces its `.` too (`r.headers.` and
    /// `content-type` give `r.headers["content-type"]`).
    pub replace: Option<Span>,
}

impl CompletionItem {
    fn new(label: impl Into<String>, kind: CompletionKind) -> CompletionItem {
        CompletionItem {
            label: label.into(),
            kind,
            detail: None,
            doc: None,
            insert: None,
            replace: None,
        }
    }

    /// Its place among the kinds of proposal: what the context asks for
    /// first, then what is local, then what is global.
    fn group(&self) -> u8 {
        match self.kind {
            CompletionKind::NamedArgument
            | CompletionKind::Field
            | CompletionKind::Annotation
            | CompletionKind::Type => 0,
            CompletionKind::Variable => 1,
            CompletionKind::Keyword => 2,
            CompletionKind::Flow => 3,
            CompletionKind::Builtin => 4,
            CompletionKind::Activity => 5,
        }
    }

    fn detail(mut self, detail: impl Into<String>) -> CompletionItem {
        self.detail = Some(detail.into());
        self
    }

    fn doc(mut self, doc: impl Into<String>) -> CompletionItem {
        self.doc = Some(doc.into());
        self
    }
}

/// Keywords that start a statement.
const STATEMENT_KEYWORDS: &[&str] = &[
    "let", "var", "if", "while", "for", "return", "break", "continue",
];
/// Keywords that start an expression.
const EXPRESSION_KEYWORDS: &[&str] = &["await", "func", "flow", "true", "false", "null"];

/// Where the cursor is, as far as completion cares.
#[derive(Debug, PartialEq, Eq)]
enum Context {
    /// Nothing fits (a comment, a string, a number, a new name).
    Nothing,
    /// Outside any flow, where items start.
    TopLevel,
    /// After `@`.
    Annotation,
    /// After `name.` or `name.field.`: `path` is the names, from the
    /// variable's, which starts at `root`; the last `.` starts at `dot`.
    Field {
        path: Vec<String>,
        root: u32,
        dot: u32,
    },
    /// Where a type goes in a declaration.
    Type,
    /// After `@` in an activity declaration.
    DeclAnnotation,
    /// Inside the parentheses of an activity declaration's annotation,
    /// where an argument's name goes.
    DeclAnnotationArgs { annotation: String },
    /// At the start of a statement.
    Statement,
    /// Where an expression goes; inside the parentheses of a call of
    /// `callee` (an annotation when the flag is set), if any.
    Expression { callee: Option<(String, bool)> },
    /// Right after a complete `if`/`else` block: `else`.
    AfterBlock,
    /// After `for x`: `in`.
    ForIn,
}

/// The completions at `offset` of file `file`.
pub fn completions(program: &Program, file: usize, offset: u32) -> Completions {
    let Some(f) = program.files.get(file) else {
        return Completions::default();
    };
    let offset = floor_char(&f.text, offset);
    let mut out = Vec::new();
    let (context, word_start) = context(&f.text, offset);
    match context {
        Context::Nothing => {}
        Context::TopLevel => {
            out.push(CompletionItem::new("flow", CompletionKind::Keyword));
            for k in lang::DECLARATION_KEYWORDS {
                out.push(CompletionItem::new(*k, CompletionKind::Keyword));
            }
        }
        Context::Field { path, root, dot } => fields(
            program,
            file,
            &path,
            root,
            Span::new(dot as usize, offset as usize),
            &mut out,
        ),
        Context::Type => types(program, &mut out),
        Context::DeclAnnotation => {
            for a in lang::DECLARATION_ANNOTATIONS {
                out.push(
                    CompletionItem::new(a.name, CompletionKind::Annotation)
                        .detail(a.signature)
                        .doc(a.doc),
                );
            }
        }
        Context::DeclAnnotationArgs { annotation } => {
            if let Some(a) = lang::DECLARATION_ANNOTATIONS
                .iter()
                .find(|a| a.name == annotation)
            {
                annotation_named_args(a, &mut out);
            }
        }
        Context::Annotation => {
            for a in lang::ANNOTATIONS {
                out.push(
                    CompletionItem::new(a.name, CompletionKind::Annotation)
                        .detail(a.signature)
                        .doc(a.doc),
                );
            }
        }
        Context::AfterBlock => out.push(CompletionItem::new("else", CompletionKind::Keyword)),
        Context::ForIn => out.push(CompletionItem::new("in", CompletionKind::Keyword)),
        Context::Statement => {
            for k in STATEMENT_KEYWORDS {
                out.push(CompletionItem::new(*k, CompletionKind::Keyword));
            }
            expression(program, file, offset, &mut out);
        }
        Context::Expression { callee } => {
            if let Some((name, annotation)) = callee {
                named_arguments(program, &name, annotation, &mut out);
            }
            expression(program, file, offset, &mut out);
        }
    }
    let word = f
        .text
        .get(word_start as usize..offset as usize)
        .unwrap_or("");
    rank(out, word)
}

/// The items that fit `word`, best first, cut at [`COMPLETIONS_MAX`].
fn rank(items: Vec<CompletionItem>, word: &str) -> Completions {
    let mut kept: Vec<((u8, u8, usize), CompletionItem)> = items
        .into_iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let tier = fits(&item.label, word)?;
            Some(((item.group(), tier, i), item))
        })
        .collect();
    kept.sort_by_key(|(key, _)| *key);
    let incomplete = kept.len() > COMPLETIONS_MAX;
    kept.truncate(COMPLETIONS_MAX);
    Completions {
        items: kept.into_iter().map(|(_, item)| item).collect(),
        incomplete,
    }
}

/// How well `label` fits the typed `word`: 0 when it starts with it, 1
/// when it does in another case, 2 when it holds its characters in order
/// (starting with the first); `None` when it does not fit.
fn fits(label: &str, word: &str) -> Option<u8> {
    if word.is_empty() || label.starts_with(word) {
        return Some(0);
    }
    let lower = |c: char| c.to_ascii_lowercase();
    let mut label_chars = label.chars().map(lower);
    let mut word_chars = word.chars().map(lower);
    if label_chars.next()? != word_chars.next()? {
        return None;
    }
    if label
        .get(..word.len())
        .is_some_and(|l| l.eq_ignore_ascii_case(word))
    {
        return Some(1);
    }
    for w in word_chars {
        label_chars.find(|&l| l == w)?;
    }
    Some(2)
}

/// Everything an expression may start with.
fn expression(program: &Program, file: usize, offset: u32, out: &mut Vec<CompletionItem>) {
    let f = &program.files[file];
    let index = &f.index;
    let mut seen: HashSet<String> = HashSet::new();
    // Variables of the scopes around the cursor, innermost first, defined
    // before it (parameters always are).
    let mut scope = index.scope_at(offset);
    while let Some(id) = scope {
        let s = &index.scopes[id];
        let mut vars: Vec<_> = s.names.values().map(|&v| &index.vars[v]).collect();
        vars.sort_by_key(|v| v.def.start);
        for v in vars {
            // An assignment defines its variable once it is complete: in
            // `x = f(x)`, the `x` read is not yet assigned (E0101).
            let defined = match v.kind {
                VarKind::Param | VarKind::Input => true,
                VarKind::Loop => v.def.end <= offset,
                VarKind::Let | VarKind::Var | VarKind::Assigned => v.def_stmt.end <= offset,
            };
            if defined && seen.insert(v.name.clone()) {
                let line = f.lines.line_col(&f.text, v.def.start).line;
                out.push(
                    CompletionItem::new(&v.name, CompletionKind::Variable)
                        .detail(format!("{} (line {line})", v.kind.describe())),
                );
            }
        }
        if s.kind == ScopeKind::InlineFlow {
            if let Some(name) = &s.name {
                if seen.insert(name.name.clone()) {
                    out.push(
                        CompletionItem::new(&name.name, CompletionKind::Flow)
                            .detail(format!("flow {}{}", name.name, s.params))
                            .doc("The inline flow around the cursor (a recursive call)."),
                    );
                }
            }
        }
        scope = s.parent;
    }
    for (item_file, item) in program.items() {
        let kind = match item.kind {
            ItemKind::Flow { .. } => CompletionKind::Flow,
            // Unless a flow or a built-in takes its name (E0202).
            ItemKind::Activity { .. } => match program.global(&item.name.name) {
                Global::Activity(a)
                    if a.decl
                        .is_some_and(|(f, d)| f == item_file && d.span == item.span) =>
                {
                    CompletionKind::Activity
                }
                _ => continue,
            },
            ItemKind::Type { .. } => continue,
        };
        if item.name.name.is_empty() || !seen.insert(item.name.name.clone()) {
            continue;
        }
        out.push(
            CompletionItem::new(&item.name.name, kind)
                .detail(item.signature())
                .doc(format!("Declared in `{}`.", program.files[item_file].name)),
        );
    }
    for b in lang::BUILTINS {
        if seen.insert(b.name.to_string()) {
            out.push(
                CompletionItem::new(b.name, CompletionKind::Builtin)
                    .detail(b.signature)
                    .doc(b.doc),
            );
        }
    }
    // Undeclared activities called somewhere in the program (the declared
    // ones came with the items above).
    for a in program.activities() {
        // The name being typed is a call of an activity too, once `(` follows.
        let elsewhere = a
            .calls
            .iter()
            .filter(|c| !(c.file == file && c.span.contains(offset)))
            .count();
        if elsewhere > 0 && seen.insert(a.name.to_string()) {
            out.push(
                CompletionItem::new(a.name, CompletionKind::Activity)
                    .detail(format!("activity, called {}", times(elsewhere))),
            );
        }
    }
    for k in EXPRESSION_KEYWORDS {
        out.push(CompletionItem::new(*k, CompletionKind::Keyword));
    }
}

/// `name: ` for each parameter of the flow (or annotation) being called.
fn named_arguments(
    program: &Program,
    callee: &str,
    annotation: bool,
    out: &mut Vec<CompletionItem>,
) {
    if annotation {
        if let Some(a) = lang::annotation(callee) {
            annotation_named_args(a, out);
        }
        return;
    }
    let item = match program.global(callee) {
        Global::Flow { item, .. } => item,
        Global::Activity(a) => match a.decl {
            Some((_, item)) => item,
            None => return,
        },
        Global::Builtin(_) | Global::Unknown => return,
    };
    match &item.kind {
        ItemKind::Flow { params } => {
            for p in params {
                out.push(named(p, &format!("parameter of {}", item.signature())));
            }
        }
        ItemKind::Activity { params, .. } => {
            for p in params {
                out.push(
                    named(&p.name.name, &p.signature())
                        .doc(format!("Parameter of `{}`.", item.signature())),
                );
            }
        }
        ItemKind::Type { .. } => {}
    }
}

/// `name: ` for each named argument of annotation `a`, read from its
/// signature (`@retry(n, backoff: duration, ...)`: `backoff`).
fn annotation_named_args(a: &AnnotationSpec, out: &mut Vec<CompletionItem>) {
    let Some(args) = a
        .signature
        .split_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
    else {
        return;
    };
    // Split at the commas outside brackets and strings.
    let mut depth = 0i32;
    let mut quoted = false;
    let mut start = 0;
    let mut parts = Vec::new();
    for (i, c) in args.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '[' | '{' | '(' if !quoted => depth += 1,
            ']' | '}' | ')' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                parts.push(&args[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&args[start..]);
    for part in parts {
        if let Some((name, what)) = part.trim().split_once(':') {
            out.push(named(name.trim(), what.trim()).doc(a.doc));
        }
    }
}

/// The type names: built-in, then declared.
fn types(program: &Program, out: &mut Vec<CompletionItem>) {
    for (name, admits) in lang::TYPES {
        out.push(
            CompletionItem::new(*name, CompletionKind::Type)
                .detail("built-in type")
                .doc(format!("Admits {admits}.")),
        );
    }
    for (file, item) in program.declared_types() {
        out.push(
            CompletionItem::new(&item.name.name, CompletionKind::Type)
                .detail(item.signature())
                .doc(format!("Declared in `{}`.", program.files[file].name)),
        );
    }
}

/// The fields of the value at the end of `path` (a variable, then field
/// names), from the type the checker infers for the variable.
fn fields(
    program: &Program,
    file: usize,
    path: &[String],
    root: u32,
    dot_and_word: Span,
    out: &mut Vec<CompletionItem>,
) {
    let f = &program.files[file];
    let Some((var, rest)) = path.split_first() else {
        return;
    };
    // The name must be a variable there (the tree of the half-typed
    // statement may have lost the name itself).
    if f.index.lookup_var(f.index.scope_at(root), var).is_none() {
        return;
    }
    let sources: Vec<weft_check::SourceFile<'_>> = program.sources();
    let contracts = weft_check::contract::Contracts::index(&sources);
    // The innermost function around the name that has the variable: the
    // checker lists enclosing functions first.
    let known = weft_check::variable_types(&sources);
    let Some(ty) = known
        .iter()
        .rev()
        .filter(|k| k.file == file && k.body.start < root && root < k.body.end)
        .find_map(|k| k.vars.get(var))
    else {
        return;
    };
    let Some(mut ty) = ty.clone() else {
        return;
    };
    for name in rest {
        match contracts.types.field(&ty, name) {
            Ok(Some(t)) => ty = t,
            _ => return,
        }
    }
    let mut seen = HashSet::new();
    for field in object_fields(&contracts.types, &ty, 0) {
        if seen.insert(field.name.clone()) {
            let q = if field.optional { "?" } else { "" };
            let mut item = CompletionItem::new(&field.name, CompletionKind::Field)
                .detail(format!("{}{q}: {}", field.name, field.ty));
            // `r.content-type` reads `r.content` minus `type`: a field that is
            // no name is read with an index.
            if !is_field_name(&field.name) {
                item.insert = Some(format!(
                    "[{}]",
                    serde_json::Value::String(field.name.clone())
                ));
                item.replace = Some(dot_and_word);
            }
            out.push(item);
        }
    }
}

/// The declared fields of an object type, or of every object member of a
/// union.
fn object_fields(types: &Types, t: &Type, depth: usize) -> Vec<weft_check::contract::types::Field> {
    if depth > weft_check::contract::types::ALIAS_DEPTH_MAX {
        return Vec::new();
    }
    match types.resolve(t) {
        Type::Object { fields, .. } => fields.clone(),
        Type::Union(members) => members
            .iter()
            .flat_map(|m| object_fields(types, m, depth + 1))
            .collect(),
        _ => Vec::new(),
    }
}

/// True when `name` can follow `.`: a name or a keyword.
fn is_field_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn named(name: &str, detail: &str) -> CompletionItem {
    let mut item =
        CompletionItem::new(format!("{name}:"), CompletionKind::NamedArgument).detail(detail);
    item.insert = Some(format!("{name}: "));
    item
}

/// "once", "3 times".
pub(crate) fn times(n: usize) -> String {
    if n == 1 {
        "once".to_string()
    } else {
        format!("{n} times")
    }
}

fn floor_char(text: &str, offset: u32) -> u32 {
    let mut i = (offset as usize).min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i as u32
}

/// What kind of bracket is open.
#[derive(Clone, Debug)]
enum Open {
    Block,
    Object,
    Bracket,
    /// A call's (or annotation's) arguments, or a grouping.
    Paren {
        callee: Option<(String, bool)>,
    },
}

/// Works out the context from the tokens before `offset`, and where the
/// word being typed starts.
fn context(text: &str, offset: u32) -> (Context, u32) {
    let bytes = text.as_bytes();
    let mut start = offset as usize;
    while start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
        start -= 1;
    }
    (context_at(text, offset), start as u32)
}

/// The context at `offset`.
fn context_at(text: &str, offset: u32) -> Context {
    let lexed = lex(text);
    for c in &lexed.comments {
        let line_comment = c.text.starts_with("//");
        if c.span.start < offset && (offset < c.span.end || (line_comment && offset == c.span.end))
        {
            return Context::Nothing;
        }
    }
    // The word being typed.
    let bytes = text.as_bytes();
    let mut start = offset as usize;
    while start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
        start -= 1;
    }
    if bytes.get(start).is_some_and(|b| b.is_ascii_digit()) {
        return Context::Nothing;
    }
    let start = start as u32;
    let tokens: Vec<&Token> = lexed
        .tokens
        .iter()
        .filter(|t| t.kind != TokenKind::Eof)
        .collect();
    for t in &tokens {
        if t.kind == TokenKind::String && t.span.start < offset {
            let closed = t.span.len() >= 2 && bytes.get(t.span.end as usize - 1) == Some(&b'"');
            if offset < t.span.end || (offset == t.span.end && !closed) {
                return Context::Nothing;
            }
        }
    }
    let before: Vec<&Token> = tokens
        .iter()
        .copied()
        .take_while(|t| t.span.end <= start)
        .collect();
    // The brackets open at the cursor, and the declaration the cursor is
    // in, if any: one starts with `activity Name` or `type Name` at the
    // start of a top-level line, and goes on through lines that start with
    // `@` (its annotations).
    let mut stack: Vec<Open> = Vec::new();
    let mut declaration = false;
    let mut line_start = true;
    for (i, t) in before.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| before[p]);
        if stack.is_empty() && line_start {
            let word = &text[t.span.start as usize..t.span.end as usize];
            declaration =
                if t.kind == TokenKind::Ident && lang::DECLARATION_KEYWORDS.contains(&word) {
                    tokens
                        .get(i + 1)
                        .is_some_and(|n| n.kind == TokenKind::Ident)
                } else {
                    declaration && t.kind == TokenKind::At
                };
        }
        match t.kind {
            TokenKind::LBrace => {
                let block = prev.is_some_and(|p| {
                    matches!(
                        p.kind,
                        TokenKind::Ident
                            | TokenKind::Number
                            | TokenKind::Duration
                            | TokenKind::String
                            | TokenKind::RParen
                            | TokenKind::RBracket
                            | TokenKind::RBrace
                            | TokenKind::True
                            | TokenKind::False
                            | TokenKind::Null
                            | TokenKind::Else
                    )
                });
                stack.push(if block { Open::Block } else { Open::Object });
            }
            TokenKind::LBracket => stack.push(Open::Bracket),
            TokenKind::LParen => {
                let callee = match prev {
                    Some(p) if p.kind == TokenKind::Ident => {
                        let name = text[p.span.start as usize..p.span.end as usize].to_string();
                        let annotation = i >= 2 && before[i - 2].kind == TokenKind::At;
                        Some((name, annotation))
                    }
                    _ => None,
                };
                stack.push(Open::Paren { callee });
            }
            TokenKind::RBrace | TokenKind::RBracket | TokenKind::RParen => {
                stack.pop();
            }
            _ => {}
        }
        line_start = matches!(t.kind, TokenKind::Newline | TokenKind::Semi);
    }
    let prev = before.last().copied();
    let prev_kind = prev.map(|t| t.kind);
    let adjacent = prev.is_some_and(|t| t.span.end == start);
    let new_line = matches!(prev_kind, None | Some(TokenKind::Newline | TokenKind::Semi));
    if declaration && !(stack.is_empty() && new_line) {
        return declaration_context(&stack, prev_kind, adjacent);
    }
    match prev_kind {
        Some(TokenKind::At) if adjacent => return Context::Annotation,
        Some(TokenKind::Dot) => return field_path(text, &before),
        Some(
            TokenKind::Flow | TokenKind::Let | TokenKind::Var | TokenKind::For | TokenKind::Func,
        ) => return Context::Nothing,
        _ => {}
    }
    if prev_kind == Some(TokenKind::Ident)
        && before.len() >= 2
        && before[before.len() - 2].kind == TokenKind::For
    {
        return Context::ForIn;
    }
    match stack.last() {
        None => match prev_kind {
            None | Some(TokenKind::Newline | TokenKind::Semi | TokenKind::RBrace) => {
                Context::TopLevel
            }
            _ => Context::Nothing,
        },
        Some(Open::Block) => match prev_kind {
            Some(TokenKind::Newline | TokenKind::Semi | TokenKind::LBrace) => Context::Statement,
            Some(TokenKind::RBrace) => Context::AfterBlock,
            Some(k) if ends_operand(k) => Context::Nothing,
            _ => Context::Expression { callee: None },
        },
        Some(Open::Object) => match prev_kind {
            // A key goes there.
            Some(TokenKind::LBrace | TokenKind::Comma | TokenKind::Newline) => Context::Nothing,
            Some(k) if ends_operand(k) => Context::Nothing,
            _ => Context::Expression { callee: None },
        },
        Some(Open::Bracket) => match prev_kind {
            Some(k) if ends_operand(k) => Context::Nothing,
            _ => Context::Expression { callee: None },
        },
        Some(Open::Paren { callee }) => match prev_kind {
            Some(k) if ends_operand(k) => Context::Nothing,
            Some(TokenKind::LParen | TokenKind::Comma | TokenKind::Newline) => {
                Context::Expression {
                    callee: callee.clone(),
                }
            }
            _ => Context::Expression { callee: None },
        },
    }
}

/// Where the cursor is inside a declaration: a type after `:`, `->`, `=`,
/// `|` or `[`; an annotation after `@`; an annotation's argument name
/// inside its parentheses; nothing elsewhere (names being declared,
/// values of annotation arguments).
fn declaration_context(stack: &[Open], prev: Option<TokenKind>, adjacent: bool) -> Context {
    if prev == Some(TokenKind::At) && adjacent {
        return Context::DeclAnnotation;
    }
    let in_annotation = stack.iter().rposition(|o| {
        matches!(
            o,
            Open::Paren {
                callee: Some((_, true))
            }
        )
    });
    if let Some(at) = in_annotation {
        return match (&stack[at], prev) {
            (
                Open::Paren {
                    callee: Some((name, _)),
                },
                Some(TokenKind::LParen | TokenKind::Comma | TokenKind::Newline),
            ) if at == stack.len() - 1 => Context::DeclAnnotationArgs {
                annotation: name.clone(),
            },
            _ => Context::Nothing,
        };
    }
    match prev {
        Some(
            TokenKind::Colon
            | TokenKind::Arrow
            | TokenKind::Eq
            | TokenKind::Pipe
            | TokenKind::LBracket,
        ) => Context::Type,
        _ => Context::Nothing,
    }
}

/// After `.`: the names of `a.b.` when `a` is a name and each `.` follows
/// a name directly.
fn field_path(text: &str, before: &[&Token]) -> Context {
    let mut path = Vec::new();
    // `before` ends with the `.`.
    let mut i = before.len() - 1;
    let root = loop {
        let Some(name) = i.checked_sub(1).map(|n| before[n]) else {
            return Context::Nothing;
        };
        if name.kind != TokenKind::Ident || name.span.end != before[i].span.start {
            return Context::Nothing;
        }
        path.push(text[name.span.start as usize..name.span.end as usize].to_string());
        match i.checked_sub(2).map(|d| before[d]) {
            Some(dot) if dot.kind == TokenKind::Dot && dot.span.end == name.span.start => {
                i -= 2;
            }
            _ => break name.span.start,
        }
    };
    path.reverse();
    Context::Field {
        path,
        root,
        dot: before[before.len() - 1].span.start,
    }
}

/// True for tokens that end an operand: after them (and a space) comes an
/// operator, not a name.
fn ends_operand(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Ident
            | TokenKind::Number
            | TokenKind::Duration
            | TokenKind::String
            | TokenKind::RParen
            | TokenKind::RBracket
            | TokenKind::True
            | TokenKind::False
            | TokenKind::Null
            | TokenKind::Break
            | TokenKind::Continue
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    /// The labels offered at `$0`, in order.
    fn labels(text: &str) -> Vec<String> {
        let (program, file, offset) = fixture::parse(text);
        completions(&program, file, offset)
            .items
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    fn has(text: &str, expected: &[&str], absent: &[&str]) {
        let got = labels(text);
        for e in expected {
            assert!(got.iter().any(|g| g == e), "`{e}` missing from {got:?}");
        }
        for a in absent {
            assert!(!got.iter().any(|g| g == a), "`{a}` in {got:?}");
        }
    }

    #[test]
    fn annotations_after_at() {
        assert_eq!(
            labels("flow A(x) {\n  r = Charge(x) @$0\n}\n"),
            ["retry", "timeout", "catch"]
        );
        assert_eq!(
            labels("flow A(x) {\n  r = Charge(x) @ret$0\n}\n"),
            ["retry"]
        );
    }

    #[test]
    fn statement_start() {
        has(
            "flow A(input) {\n  total = 0\n  $0\n  later = 1\n}\nflow B() { Ship(1) }\n",
            &[
                "let", "if", "return", "input", "total", "A", "B", "len", "Sleep", "Ship", "await",
            ],
            &["later", "retry", "else"],
        );
    }

    #[test]
    fn inside_call_arguments() {
        has(
            "flow A(order) {\n  n = 1\n  B(order, $0)\n}\nflow B(x, maxDays) { return x }\n",
            &["maxDays:", "x:", "order", "n", "len", "true"],
            &["let", "return"],
        );
        has(
            "flow A(order) {\n  Charge(order) @retry(3, $0)\n}\n",
            &["backoff:", "maxBackoff:", "order"],
            &["let"],
        );
        // A call spanning lines.
        has(
            "flow A(order) {\n  x = WaitAll([\n    $0\n  ])\n}\n",
            &["order", "WaitAll"],
            &["let", "x"],
        );
    }

    #[test]
    fn scopes_of_nested_flows_and_funcs() {
        has(
            "flow A(a) {\n  b = 1\n  f = func(c) {\n    d = c\n    return $0\n  }\n}\n",
            &["a", "b", "c", "d"],
            &["f"],
        );
        has(
            "flow A(a) {\n  h = flow Child(a, n: 2) {\n    $0\n  }\n}\n",
            &["a", "n", "Child"],
            &[],
        );
    }

    #[test]
    fn nothing_in_comments_strings_fields_and_new_names() {
        has("flow A(x) {\n  // x$0\n}\n", &[], &["x", "let"]);
        has("flow A(x) {\n  y = \"a $0\"\n}\n", &[], &["x"]);
        has("flow A(x) {\n  y = x.$0\n}\n", &[], &["x"]);
        has("flow A(x) {\n  let $0\n}\n", &[], &["x"]);
        has("flow A(x) {\n  Sleep(2$0)\n}\n", &[], &["x"]);
    }

    #[test]
    fn top_level_and_keywords_after_blocks() {
        assert_eq!(labels("$0"), ["flow", "activity", "type"]);
        assert_eq!(labels("flow A() {}\n$0"), ["flow", "activity", "type"]);
        assert_eq!(labels("activity A(x: int)\nty$0"), ["type"]);
        assert_eq!(labels("flow A(x) {\n  if x {\n  } $0\n}\n"), ["else"]);
        assert_eq!(labels("flow A(x) {\n  for i $0\n}\n"), ["in"]);
    }

    #[test]
    fn flows_and_activities_of_other_files() {
        has(
            "//- a.weft\nflow A(x) {\n  $0\n}\n//- b.weft\nflow B(y) { Notify(y) }\n",
            &["B", "Notify"],
            &["y"],
        );
    }

    #[test]
    fn half_typed_code() {
        has("flow A(x) {\n  y = $0", &["x", "len"], &["let"]);
        has("flow A(x) {\n  if (x $0", &[], &["x"]);
        has("flow A(x) {\n  r = F(x,\n  $0", &["x"], &[]);
        // Garbage does not panic.
        for text in [
            "@", "flow", "{{{{", "\"", "/*", "flow A(", "é$", "x.", "@@@(",
        ] {
            for i in 0..=text.len() {
                let (program, file, _) = fixture::parse(&format!("{text}$0"));
                let _ = completions(&program, file, i as u32);
            }
        }
    }

    /// A program of two files: declarations in `contracts.weft`, and
    /// `main.weft` with the cursor.
    fn with_contracts(main: &str) -> String {
        format!(
            "//- contracts.weft\ntype Card = {{number: string, holder?: string}}\ntype Pet = {{name: string, owner: {{email: string, phone?: string}}}}\nactivity ReserveNick(nick: string) -> {{status: string, nick: string, ID: int}}\nactivity Charge(card: Card, note?: string) -> {{id: string}} | null\nactivity GetPet(petId: int) -> Pet\n    @http(method: \"GET\", url: \"https://pets.test/pet/{{petId}}\")\n//- main.weft\n{main}"
        )
    }

    #[test]
    fn declared_activities_even_when_not_called() {
        let text = with_contracts("flow A(x) {\n  $0\n}\n");
        has(
            &text,
            &["ReserveNick", "Charge", "GetPet", "x"],
            &["Card", "Pet"],
        );
        let (program, file, offset) = fixture::parse(&text);
        let items = completions(&program, file, offset).items;
        let charge = items.iter().find(|c| c.label == "Charge").unwrap();
        assert_eq!(charge.kind, CompletionKind::Activity);
        assert_eq!(
            charge.detail.as_deref(),
            Some("activity Charge(card: Card, note?: string) -> {id: string} | null")
        );
        // Once only, though it is also called.
        let text = with_contracts("flow A(x) {\n  ReserveNick(x)\n  $0\n}\n");
        assert_eq!(
            labels(&text).iter().filter(|l| *l == "ReserveNick").count(),
            1
        );
    }

    #[test]
    fn named_arguments_of_declared_activities() {
        let text = with_contracts("flow A(x) {\n  Charge(x, $0)\n}\n");
        has(&text, &["card:", "note:", "x"], &["let"]);
        let (program, file, offset) = fixture::parse(&text);
        let note = completions(&program, file, offset)
            .items
            .into_iter()
            .find(|c| c.label == "note:")
            .unwrap();
        assert_eq!(note.detail.as_deref(), Some("note?: string"));
        assert_eq!(note.insert.as_deref(), Some("note: "));
    }

    #[test]
    fn types_in_declarations() {
        let builtin = [
            "string", "number", "int", "bool", "null", "any", "duration", "time",
        ];
        let mut with_declared: Vec<&str> = builtin.to_vec();
        with_declared.extend(["Card", "Pet"]);
        for at in [
            "activity New(a: $0",
            "activity New(a: string, b?: $0)",
            "activity New(a: [$0])",
            "activity New() -> $0",
            "activity New() -> {a: int, b: $0}",
            "activity New() -> string | $0",
        ] {
            assert_eq!(labels(&with_contracts(at)), with_declared, "{at}");
        }
        // A type may name itself inside an object or a list.
        with_declared.insert(9, "New");
        for at in ["type New = $0", "type New = {\n  a: $0\n}"] {
            assert_eq!(labels(&with_contracts(at)), with_declared, "{at}");
        }
        // Names being declared, and field names: nothing.
        for at in [
            "activity $0",
            "activity New($0",
            "activity New(a: int, $0)",
            "activity New() -> {$0}",
            "type $0",
            "activity New(a: int) @http(method: $0)",
        ] {
            assert_eq!(labels(&with_contracts(at)), Vec::<String>::new(), "{at}");
        }
        // `type` is an ordinary name in flows.
        has(
            "flow A(type) {\n  x = $0\n}\n",
            &["type", "len"],
            &["int", "bool", "any"],
        );
    }

    #[test]
    fn http_on_declarations() {
        assert_eq!(labels("activity A(id: int) @$0"), ["http", "grpc"]);
        assert_eq!(labels("activity A(id: int)\n    @ht$0"), ["http"]);
        assert_eq!(
            labels("activity A(id?: int) @grpc(target: \"http://x:1\", $0)"),
            ["target:", "proto:", "service:", "method:", "fields:", "request:"]
        );
        assert_eq!(
            labels("activity A(id: int) @http($0)"),
            ["method:", "url:", "query:", "headers:", "body:"]
        );
        assert_eq!(
            labels("activity A(id: int) @http(method: \"GET\", $0)"),
            ["method:", "url:", "query:", "headers:", "body:"]
        );
        // Call annotations stay with calls.
        assert_eq!(
            labels("activity A(id: int)\nflow F() {\n  A(1) @$0\n}\n"),
            ["retry", "timeout", "catch"]
        );
    }

    #[test]
    fn fields_of_declared_results() {
        let fields = ["status", "nick", "ID"];
        has(
            &with_contracts("flow A(x) {\n  r = ReserveNick(x)\n  if r.$0\n}\n"),
            &fields,
            &["x", "len", "let"],
        );
        // A field half typed; the checker's inference through `for` and
        // nested functions.
        has(
            &with_contracts("flow A(x) {\n  r = ReserveNick(x)\n  return r.st$0\n}\n"),
            &["status"],
            &["nick", "ID"],
        );
        has(
            &with_contracts(
                "flow A(xs) {\n  for n in xs {\n    r = ReserveNick(n)\n    f = func() { return r.$0 }\n  }\n}\n",
            ),
            &fields,
            &[],
        );
        // Through a field of the result; a union with `null`.
        assert_eq!(
            labels(&with_contracts(
                "flow A(x) {\n  p = GetPet(x)\n  p.owner.$0\n}\n"
            )),
            ["email", "phone"]
        );
        assert_eq!(
            labels(&with_contracts("flow A(x) {\n  c = Charge(x)\n  c.$0\n}\n")),
            ["id"]
        );
        // Not known: two kinds of value, a parameter, a call's result.
        for main in [
            "flow A(x) {\n  r = ReserveNick(x)\n  r = 1\n  r.$0\n}\n",
            "flow A(x) {\n  x.$0\n}\n",
            "flow A(x) {\n  ReserveNick(x).$0\n}\n",
            "flow A(x) {\n  r = Undeclared(x)\n  r.$0\n}\n",
        ] {
            assert_eq!(
                labels(&with_contracts(main)),
                Vec::<String>::new(),
                "{main}"
            );
        }
    }

    /// 1,200 declared activities and a flow with the cursor.
    fn many_activities(main: &str) -> String {
        let mut text = String::from("//- contracts.weft\n");
        for i in 0..1200 {
            text.push_str(&format!("activity Op{i}(x: int) -> int\n"));
        }
        text.push_str("//- main.weft\n");
        text.push_str(main);
        text
    }

    #[test]
    fn a_long_list_is_filtered_by_what_is_typed_and_ranks_locals_first() {
        // Everything an expression may start with is still reachable.
        has(
            &many_activities("flow A(input) {\n  local = 1\n  $0\n}\n"),
            &["input", "local", "len", "await", "true", "null", "let"],
            &[],
        );
        let (program, file, offset) =
            fixture::parse(&many_activities("flow A(input) {\n  $0\n}\n"));
        let all = completions(&program, file, offset);
        assert!(all.incomplete);
        assert_eq!(all.items.len(), COMPLETIONS_MAX);
        assert_eq!(all.items[0].label, "input");
        // What is typed narrows the list: the 1,200th activity is there.
        let got = labels(&many_activities("flow A(input) {\n  Op119$0\n}\n"));
        assert_eq!(
            got[..11],
            [
                "Op119", "Op1190", "Op1191", "Op1192", "Op1193", "Op1194", "Op1195", "Op1196",
                "Op1197", "Op1198", "Op1199"
            ]
        );
        // Then the names that hold its characters in order.
        assert_eq!(got[11..13], ["Op1019", "Op1109"]);
        assert_eq!(got.len(), 21);
        let (program, file, offset) =
            fixture::parse(&many_activities("flow A(input) {\n  Op119$0\n}\n"));
        assert!(!completions(&program, file, offset).incomplete);
        // Locals first; then names starting with the word, then the
        // others that hold its letters in order.
        assert_eq!(
            labels("flow A(retries) {\n  reserved = 1\n  re$0\n}\nflow Resend() {}\n"),
            // A variable, a keyword, a flow (another case), built-ins
            // that hold `r` and `e`.
            [
                "retries",
                "reserved",
                "return",
                "Resend",
                "range",
                "RunCompensations"
            ]
        );
        assert_eq!(labels("flow A(x) {\n  x = WtAl$0\n}\n"), ["WaitAll"]);
    }

    #[test]
    fn fields_that_are_not_names_are_completed_as_indexes() {
        let text = with_contracts(
            "flow A(x) {\n  r = Fetch(x)\n  return r.headers.$0\n}\n",
        )
        .replace(
            "//- main.weft\n",
            "activity Fetch(url: string) -> {status: int, headers: {\"content-type\": string, etag?: string}}\n//- main.weft\n",
        );
        let (program, file, offset) = fixture::parse(&text);
        let completions = completions(&program, file, offset);
        assert!(!completions.incomplete);
        let items = completions.items;
        let ct = items.iter().find(|c| c.label == "content-type").unwrap();
        assert_eq!(ct.insert.as_deref(), Some("[\"content-type\"]"));
        // It replaces the `.` and what is typed after it.
        let dot = text.replace("$0", "").rfind("headers.").unwrap() + "headers".len();
        let dot = dot - text.find("//- main.weft\n").unwrap() - "//- main.weft\n".len();
        assert_eq!(ct.replace, Some(Span::new(dot, dot + 1)));
        let etag = items.iter().find(|c| c.label == "etag").unwrap();
        assert_eq!((etag.insert.as_ref(), etag.replace), (None, None));
    }
}
