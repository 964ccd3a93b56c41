//! Completion: what may be written at the cursor.
//!
//! The context comes from the tokens before the cursor (the tree of
//! half-typed code is not to be trusted that close to the cursor): after
//! `@` come annotations; after `.` a field, which nothing knows; at the
//! start of a statement, statement keywords and everything an expression
//! may start with; inside a call's parentheses, also the named arguments of
//! the flow (or annotation) called. The names come from the resolved file
//! (variables of the scopes around the cursor) and the program (flows,
//! activities), plus the language's tables (built-ins, annotations).

use std::collections::HashSet;

use super::resolve::{ItemKind, ScopeKind, VarKind};
use super::{Global, Program};
use weft_syntax::lang;
use weft_syntax::lexer::{lex, Token, TokenKind};

/// Most items one completion returns. Clients filter by what is typed;
/// this only bounds a program with very many activities.
pub const COMPLETIONS_MAX: usize = 1000;

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
    /// An activity called elsewhere in the program.
    Activity,
    /// An annotation, after `@`.
    Annotation,
    /// A named argument of the flow or annotation being called.
    NamedArgument,
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
}

impl CompletionItem {
    fn new(label: impl Into<String>, kind: CompletionKind) -> CompletionItem {
        CompletionItem {
            label: label.into(),
            kind,
            detail: None,
            doc: None,
            insert: None,
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

/// The named arguments annotations take.
const ANNOTATION_NAMED_ARGS: &[(&str, &str)] = &[("retry", "backoff"), ("retry", "maxBackoff")];

/// Where the cursor is, as far as completion cares.
#[derive(Debug, PartialEq, Eq)]
enum Context {
    /// Nothing fits (a comment, a string, a number, a field, a new name).
    Nothing,
    /// Outside any flow, where items start.
    TopLevel,
    /// After `@`.
    Annotation,
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
pub fn completions(program: &Program, file: usize, offset: u32) -> Vec<CompletionItem> {
    let Some(f) = program.files.get(file) else {
        return Vec::new();
    };
    let offset = floor_char(&f.text, offset);
    let mut out = Vec::new();
    match context(&f.text, offset) {
        Context::Nothing => {}
        Context::TopLevel => out.push(CompletionItem::new("flow", CompletionKind::Keyword)),
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
    out.truncate(COMPLETIONS_MAX);
    out
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
        if item.name.name.is_empty() || !seen.insert(item.name.name.clone()) {
            continue;
        }
        let kind = match item.kind {
            ItemKind::Flow { .. } => CompletionKind::Flow,
        };
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
    // Activities called somewhere in the program. Hook: declared activities
    // (`activity Name(params) -> Type`) will be items of the program, offered
    // by the loop over `program.items()` above with their signatures.
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
        for (a, arg) in ANNOTATION_NAMED_ARGS {
            if *a == callee {
                out.push(named(arg, "duration"));
            }
        }
        return;
    }
    if let Global::Flow { item, .. } = program.global(callee) {
        match &item.kind {
            ItemKind::Flow { params } => {
                for p in params {
                    out.push(named(p, &format!("parameter of {}", item.signature())));
                }
            }
        }
    }
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

/// Works out the context from the tokens before `offset`.
fn context(text: &str, offset: u32) -> Context {
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
    // The brackets open at the cursor.
    let mut stack: Vec<Open> = Vec::new();
    for (i, t) in before.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| before[p]);
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
    }
    let prev = before.last().copied();
    let prev_kind = prev.map(|t| t.kind);
    let adjacent = prev.is_some_and(|t| t.span.end == start);
    match prev_kind {
        Some(TokenKind::At) if adjacent => return Context::Annotation,
        Some(TokenKind::Dot) => return Context::Nothing,
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
            ["retry", "timeout", "catch"]
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
        assert_eq!(labels("$0"), ["flow"]);
        assert_eq!(labels("flow A() {}\n$0"), ["flow"]);
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
}
