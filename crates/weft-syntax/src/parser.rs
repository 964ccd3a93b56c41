//! A recursive-descent parser that never gives up.
//!
//! Conventions: `parse_x` parses an `x` that must be there (reporting an
//! error when it is not); `eat(k)` consumes a token of kind `k` if it is next.
//!
//! Line breaks end statements. Inside `(...)`, `[...]` and object literals
//! they are insignificant; inside blocks they are significant. The parser
//! keeps that as a mode (`nl_skip`) saved and restored around each bracket.
//!
//! Error recovery: the first error of a statement is reported and the
//! parser enters recovery; further errors are suppressed until the statement
//! level skips to the next line break (or closing brace) at the statement's
//! bracket depth. One mistake, one diagnostic.

use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::lexer::{duration_unit_ms, lex, Token, TokenKind};
use crate::span::Span;

mod machines;
pub use machines::{HANDLER_IMPLICIT, MACHINE};

/// Deepest nesting of blocks, expressions and operator chains the parser
/// accepts. It keeps every recursive pass over the tree (checker, formatter,
/// compiler, language server) far from a stack overflow, on any thread.
pub const NESTING_MAX: usize = 128;

/// Most parameters a flow, lambda or activity declaration may declare.
pub const PARAMS_MAX: usize = 64;

/// Most tokens the parser looks ahead, after a bracket that seems not to
/// be closed, for the bracket that would close it (see
/// `Parser::closed_later`). Beyond it the bracket counts as not closed:
/// the look is only for a better message, and a file full of errors must
/// still parse in linear time.
pub const UNCLOSED_SCAN_TOKENS_MAX: usize = 4096;

/// The contextual keyword of an activity declaration.
pub const ACTIVITY: &str = "activity";

/// The contextual keyword of a type declaration.
pub const TYPE: &str = "type";

/// A parsed module and what went wrong while parsing it.
#[derive(Debug)]
pub struct Parse {
    /// The tree; parts that did not parse are `Error` nodes.
    pub module: Module,
    /// Lexical and syntax errors, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Parse {
    /// True when there are syntax errors.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.is_error())
    }
}

/// Parses a whole source file.
pub fn parse(source: &str) -> Parse {
    let lexed = lex(source);
    let mut p = Parser {
        src: source,
        tokens: lexed.tokens,
        pos: 0,
        nl_skip: false,
        open: 0,
        depth: 0,
        recovering: false,
        diagnostics: lexed.diagnostics,
        lexical_errors: Vec::new(),
    };
    p.lexical_errors = p.diagnostics.iter().map(|d| d.span).collect();
    let items = p.parse_items();
    let mut diagnostics = p.diagnostics;
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    Parse {
        module: Module {
            items,
            comments: lexed.comments,
        },
        diagnostics,
    }
}

/// Parses a single expression (for tools and tests).
pub fn parse_expr(source: &str) -> (Expr, Vec<Diagnostic>) {
    let lexed = lex(source);
    let mut p = Parser {
        src: source,
        tokens: lexed.tokens,
        pos: 0,
        nl_skip: true,
        open: 0,
        depth: 0,
        recovering: false,
        diagnostics: lexed.diagnostics,
        lexical_errors: Vec::new(),
    };
    let e = p.parse_expr();
    if p.peek() != TokenKind::Eof {
        let t = p.tok().clone();
        p.error(
            t.span,
            format!(
                "expected the end of the expression, found {}",
                t.kind.describe()
            ),
        );
    }
    (e, p.diagnostics)
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    /// Line breaks are insignificant (inside brackets) when true.
    nl_skip: bool,
    /// Brackets opened and not yet closed, for recovery.
    open: usize,
    /// Current nesting, checked against [`NESTING_MAX`].
    depth: usize,
    /// An error was reported in this statement; suppress the rest.
    recovering: bool,
    diagnostics: Vec<Diagnostic>,
    /// Spans of lexical errors: no syntax error is reported on top of them.
    lexical_errors: Vec<Span>,
}

/// Where an expression is parsed: conditions of `if`, `while` and `for`
/// cannot end with a call followed by a block, because that block is the
/// statement's body.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Normal,
    Condition,
}

impl Parser<'_> {
    // ----- token access -----

    fn skip_newlines_if_insignificant(&mut self) {
        if self.nl_skip {
            while self.tokens[self.pos].kind == TokenKind::Newline {
                self.pos += 1;
            }
        }
    }

    fn peek(&mut self) -> TokenKind {
        self.skip_newlines_if_insignificant();
        self.tokens[self.pos].kind
    }

    /// The kind of the significant token after the next one.
    fn peek2(&mut self) -> TokenKind {
        self.skip_newlines_if_insignificant();
        let mut i = self.pos + 1;
        while self.nl_skip && self.tokens[i.min(self.tokens.len() - 1)].kind == TokenKind::Newline {
            i += 1;
        }
        self.tokens[i.min(self.tokens.len() - 1)].kind
    }

    fn tok(&mut self) -> &Token {
        self.skip_newlines_if_insignificant();
        &self.tokens[self.pos]
    }

    fn prev_end(&self) -> u32 {
        if self.pos == 0 {
            0
        } else {
            self.tokens[self.pos - 1].span.end
        }
    }

    /// From the start of `start` to the end of the last consumed token.
    fn until_prev(&self, start: Span) -> Span {
        Span {
            start: start.start,
            end: self.prev_end().max(start.start),
        }
    }

    fn bump(&mut self) -> Token {
        self.skip_newlines_if_insignificant();
        let t = self.tokens[self.pos].clone();
        match t.kind {
            TokenKind::LParen | TokenKind::LBracket | TokenKind::LBrace => self.open += 1,
            TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace => {
                self.open = self.open.saturating_sub(1)
            }
            _ => {}
        }
        if t.kind != TokenKind::Eof {
            self.pos += 1;
        }
        t
    }

    fn eat(&mut self, kind: TokenKind) -> Option<Token> {
        if self.peek() == kind {
            Some(self.bump())
        } else {
            None
        }
    }

    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.error_with(Diagnostic::error("E0010", span, message));
    }

    fn error_with(&mut self, diag: Diagnostic) {
        if self.recovering {
            return;
        }
        self.recovering = true;
        // A syntax error right on a lexical error is noise: the lexer said it.
        if self
            .lexical_errors
            .iter()
            .any(|s| s.start <= diag.span.start && diag.span.start <= s.end)
        {
            return;
        }
        self.diagnostics.push(diag);
    }

    /// Reports that `what` was expected at the next token.
    fn expected(&mut self, what: &str) {
        let t = self.tok().clone();
        let found = t.kind.describe();
        let span = if t.kind == TokenKind::Newline || t.kind == TokenKind::Eof {
            // Point just after the previous token, where the thing is missing.
            let end = self.prev_end();
            Span {
                start: end,
                end: end + u32::from(t.kind == TokenKind::Newline),
            }
        } else {
            t.span
        };
        self.error(span, format!("expected {what}, found {found}"));
    }

    fn expect(&mut self, kind: TokenKind) -> Option<Token> {
        if let Some(t) = self.eat(kind) {
            return Some(t);
        }
        self.expected(kind.describe());
        None
    }

    /// The span of the bracket just consumed: the `(`, `[` or `{` a list
    /// that starts here is closed against.
    fn opened(&self) -> Span {
        self.tokens[self.pos.saturating_sub(1)].span
    }

    /// Like [`Parser::expect`], for the bracket that closes `open`.
    fn expect_closing(&mut self, open: Span, kind: TokenKind) -> Option<Token> {
        if let Some(t) = self.eat(kind) {
            return Some(t);
        }
        self.expected_closing(open, kind, kind.describe());
        None
    }

    /// Reports that `what` (the bracket `close` that closes `open`, or a
    /// separator before it) was expected at the next token. When the next
    /// token starts another line and the bracket is not closed further on,
    /// the bracket is what is wrong: the error goes there, not on the next
    /// line's first token.
    fn expected_closing(&mut self, open: Span, close: TokenKind, what: &str) {
        let t = self.tok().clone();
        let new_line = self.pos > 0 && self.tokens[self.pos - 1].kind == TokenKind::Newline;
        if !(t.kind == TokenKind::Eof || new_line) || self.closed_later(close) {
            self.expected(what);
            return;
        }
        let bracket = self
            .src
            .get(open.start as usize..open.end as usize)
            .unwrap_or("");
        // The last token before the line breaks: the bracket belongs after it.
        let mut last = self.pos;
        while last > 0 && self.tokens[last - 1].kind == TokenKind::Newline {
            last -= 1;
        }
        let end = if last == 0 {
            0
        } else {
            self.tokens[last - 1].span.end
        };
        let line = self.src[..end as usize].matches('\n').count() + 1;
        let message = if t.kind == TokenKind::Eof {
            format!("`{bracket}` is not closed before the end of the file")
        } else {
            format!("`{bracket}` is not closed: expected {what} before the end of line {line}")
        };
        self.error_with(Diagnostic::error("E0010", open, message).with_label(
            Span::new(end as usize, end as usize),
            format!("expected {what} here"),
        ));
        // Take the bracket as closed at the end of its line, so that the
        // statement ends there and the next line parses as it stands.
        if t.kind != TokenKind::Eof {
            self.pos = last;
            self.open = self.open.saturating_sub(1);
        }
    }

    /// True when the bracket `close` comes later at the current depth,
    /// before a bracket of another kind closes an enclosing one. Looks at
    /// [`UNCLOSED_SCAN_TOKENS_MAX`] tokens at most (and then says no), so
    /// that a file full of errors costs linear time.
    fn closed_later(&self, close: TokenKind) -> bool {
        // A `}` further on may close the block around; the next line
        // continues an object only when it holds an entry: `key:` or `..`.
        if close == TokenKind::RBrace {
            let key = self.tokens[self.pos].kind;
            let next = self.tokens[(self.pos + 1).min(self.tokens.len() - 1)].kind;
            let entry = key == TokenKind::DotDot
                || (matches!(key, TokenKind::Ident | TokenKind::String) || is_keyword(key))
                    && next == TokenKind::Colon;
            if !entry {
                return false;
            }
        }
        let mut depth = 0usize;
        for t in self.tokens[self.pos..]
            .iter()
            .take(UNCLOSED_SCAN_TOKENS_MAX)
        {
            match t.kind {
                TokenKind::LParen | TokenKind::LBracket | TokenKind::LBrace => depth += 1,
                TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace => {
                    if depth == 0 {
                        return t.kind == close;
                    }
                    depth -= 1;
                }
                TokenKind::Eof => return false,
                _ => {}
            }
        }
        false
    }

    fn enter(&mut self) -> bool {
        self.depth += 1;
        if self.depth > NESTING_MAX {
            let span = self.tok().span;
            self.error_with(
                Diagnostic::error(
                    "E0011",
                    span,
                    format!("nesting is deeper than the limit of {NESTING_MAX}"),
                )
                .with_help("split the expression or block into smaller pieces"),
            );
            return false;
        }
        true
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Skips to the end of the current statement: a line break or `;` at
    /// bracket depth `base`, or the `}` that closes the enclosing block.
    fn sync_statement(&mut self, base: usize) {
        let saved = self.nl_skip;
        self.nl_skip = false;
        loop {
            let t = &self.tokens[self.pos];
            match t.kind {
                TokenKind::Eof => break,
                TokenKind::Newline | TokenKind::Semi if self.open <= base => break,
                TokenKind::RBrace if self.open <= base => break,
                _ => {
                    self.bump();
                }
            }
        }
        self.nl_skip = saved;
        self.recovering = false;
    }

    // ----- items -----

    fn parse_items(&mut self) -> Vec<Item> {
        let mut items = Vec::new();
        loop {
            self.nl_skip = false;
            while matches!(self.peek(), TokenKind::Newline | TokenKind::Semi) {
                self.bump();
            }
            match self.peek() {
                TokenKind::Eof => break,
                TokenKind::Flow => {
                    let start = self.pos;
                    if let Some(flow) = self.parse_flow(FlowForm::Keyword, true) {
                        items.push(Item::Flow(flow));
                    }
                    if self.recovering {
                        self.sync_statement(0);
                    } else if !matches!(
                        self.peek(),
                        TokenKind::Newline | TokenKind::Eof | TokenKind::Semi
                    ) {
                        self.expected("a line break after the flow");
                        self.sync_statement(0);
                    }
                    if self.pos == start {
                        self.bump();
                    }
                }
                TokenKind::Ident if self.at_trigger() => {
                    let start = self.pos;
                    let call = self.parse_expr();
                    let span = call.span;
                    items.push(Item::Trigger(TriggerDecl { call, span }));
                    if self.recovering {
                        self.sync_statement(0);
                    } else if !matches!(
                        self.peek(),
                        TokenKind::Newline | TokenKind::Eof | TokenKind::Semi
                    ) {
                        self.expected("a line break after the trigger");
                        self.sync_statement(0);
                    }
                    if self.pos == start {
                        self.bump();
                    }
                    self.open = 0;
                }
                TokenKind::Ident if self.at_declaration() => {
                    let start = self.pos;
                    let word = self.token_text(&self.tokens[self.pos].clone());
                    let item = if word == ACTIVITY {
                        self.parse_activity().map(Item::Activity)
                    } else if word == MACHINE {
                        self.parse_machine().map(Item::Machine)
                    } else {
                        self.parse_type_decl().map(Item::Type)
                    };
                    items.extend(item);
                    if self.recovering {
                        self.sync_statement(0);
                    } else if !matches!(
                        self.peek(),
                        TokenKind::Newline | TokenKind::Eof | TokenKind::Semi
                    ) {
                        self.expected("a line break after the declaration");
                        self.sync_statement(0);
                    }
                    if self.pos == start {
                        self.bump();
                    }
                    self.open = 0;
                }
                _ => {
                    let t = self.tok().clone();
                    let message = if t.kind == TokenKind::Return {
                        "`return` outside a flow".to_string()
                    } else {
                        format!(
                            "expected `flow`, `activity`, `type`, `machine`, `sdk.TaskQueue(...)` or `sdk.Schedule(...)` at the top level, found {}",
                            t.kind.describe()
                        )
                    };
                    let mut d = Diagnostic::error("E0012", t.span, message);
                    if matches!(
                        t.kind,
                        TokenKind::Ident
                            | TokenKind::Let
                            | TokenKind::Var
                            | TokenKind::If
                            | TokenKind::Return
                    ) {
                        d = d.with_help(
                            "statements belong inside a flow: `flow Name(input) { ... }`",
                        );
                    }
                    self.error_with(d);
                    // Skip the rest of the line, or the unbalanced closer.
                    let before = self.pos;
                    self.sync_statement(0);
                    if self.pos == before {
                        self.bump();
                    }
                    self.open = 0;
                }
            }
        }
        items
    }

    /// True at `activity Name`, `type Name` or `machine Name`: the
    /// declaration keywords are contextual (they mean something only at the
    /// top level, before a name), so `type` stays usable as a variable or
    /// field name.
    /// At `TaskQueue(` or `sdk.TaskQueue(`: a trigger (see
    /// [`TriggerDecl`]).
    fn at_trigger(&mut self) -> bool {
        let i = self.pos;
        let word = |p: &Self, j: usize| -> Option<String> {
            let t = p.tokens.get(j)?;
            (t.kind == TokenKind::Ident).then(|| p.text(t).to_string())
        };
        let kind = |p: &Self, j: usize| p.tokens.get(j).map(|t| t.kind);
        let declares = |w: Option<String>| matches!(w.as_deref(), Some(TASK_QUEUE | SCHEDULE));
        match word(self, i).as_deref() {
            Some(TASK_QUEUE | SCHEDULE) => kind(self, i + 1) == Some(TokenKind::LParen),
            Some(SDK) => {
                kind(self, i + 1) == Some(TokenKind::Dot)
                    && declares(word(self, i + 2))
                    && kind(self, i + 3) == Some(TokenKind::LParen)
            }
            _ => false,
        }
    }

    fn at_declaration(&mut self) -> bool {
        let t = self.tok().clone();
        let word = self.text(&t);
        (word == ACTIVITY || word == TYPE || word == MACHINE) && self.peek2() == TokenKind::Ident
    }

    /// `activity Name(params) [-> Type] [@annotation ...]`
    fn parse_activity(&mut self) -> Option<ActivityDecl> {
        let start = self.bump().span; // `activity`
        let name = self.parse_activity_name();
        self.expect(TokenKind::LParen)?;
        let params = self.parse_param_decls();
        if self.recovering {
            return None;
        }
        let result = if self.eat(TokenKind::Arrow).is_some() {
            Some(self.parse_type())
        } else {
            None
        };
        let mut annotations = Vec::new();
        loop {
            // Annotations may continue on the next lines.
            let mut look = self.pos;
            while self.tokens[look].kind == TokenKind::Newline {
                look += 1;
            }
            if self.tokens[look].kind != TokenKind::At || self.recovering {
                break;
            }
            self.pos = look;
            annotations.push(self.parse_annotation());
        }
        Some(ActivityDecl {
            span: self.until_prev(start),
            name,
            params,
            result,
            annotations,
        })
    }

    /// The name of a declared activity: a name, or names joined by dots
    /// (`aws.TextModeration`), which flows call as `aws.TextModeration(...)`.
    fn parse_activity_name(&mut self) -> Ident {
        let t = self.bump();
        let mut name = self.ident_from(&t);
        while self.peek() == TokenKind::Dot && self.peek2() == TokenKind::Ident {
            self.bump();
            let part = self.bump();
            name.name.push('.');
            name.name.push_str(self.text(&part));
            name.span = name.span.to(part.span);
        }
        name
    }

    /// `name: Type` or `name?: Type`, separated by commas, up to and
    /// including `)`.
    fn parse_param_decls(&mut self) -> Vec<ParamDecl> {
        let mut params = Vec::new();
        self.comma_list(TokenKind::RParen, false, |p| {
            if p.peek() != TokenKind::Ident {
                p.expected("a parameter (`name: Type`)");
                return false;
            }
            let t = p.bump();
            let name = p.ident_from(&t);
            if params.len() == PARAMS_MAX {
                p.error(
                    name.span,
                    format!("more than {PARAMS_MAX} parameters; pass an object instead"),
                );
            }
            let optional = p.eat(TokenKind::Question).is_some();
            if p.expect(TokenKind::Colon).is_none() {
                return false;
            }
            let ty = p.parse_type();
            params.push(ParamDecl {
                span: name.span.to(ty.span),
                name,
                optional,
                ty,
            });
            true
        });
        params
    }

    /// `type Name = Type`
    fn parse_type_decl(&mut self) -> Option<TypeDecl> {
        let start = self.bump().span; // `type`
        let t = self.bump();
        let name = self.ident_from(&t);
        self.expect(TokenKind::Eq)?;
        let ty = self.parse_type();
        Some(TypeDecl {
            span: start.to(ty.span),
            name,
            ty,
        })
    }

    /// A type: members separated by `|`.
    fn parse_type(&mut self) -> TypeExpr {
        let first = self.parse_type_atom();
        if self.peek() != TokenKind::Pipe {
            return first;
        }
        let mut members = vec![first];
        while self.eat(TokenKind::Pipe).is_some() {
            members.push(self.parse_type_atom());
        }
        let span = members[0].span.to(members[members.len() - 1].span);
        TypeExpr {
            kind: TypeKind::Union(members),
            span,
        }
    }

    /// A name, `null`, a string, `[T]` or `{fields}`.
    fn parse_type_atom(&mut self) -> TypeExpr {
        let t = self.tok().clone();
        match t.kind {
            TokenKind::String => {
                self.bump();
                TypeExpr {
                    kind: TypeKind::Literal(t.text.clone()),
                    span: t.span,
                }
            }
            TokenKind::Ident | TokenKind::Null => {
                self.bump();
                TypeExpr {
                    kind: TypeKind::Name(self.token_text(&t)),
                    span: t.span,
                }
            }
            TokenKind::LBracket => {
                if !self.enter() {
                    self.leave();
                    return TypeExpr {
                        kind: TypeKind::Error,
                        span: t.span,
                    };
                }
                self.bump();
                let saved = self.nl_skip;
                self.nl_skip = true;
                let inner = self.parse_type();
                self.expect_closing(t.span, TokenKind::RBracket);
                self.nl_skip = saved;
                self.leave();
                TypeExpr {
                    kind: TypeKind::List(Box::new(inner)),
                    span: self.until_prev(t.span),
                }
            }
            TokenKind::LBrace => self.parse_object_type(),
            _ => {
                self.expected("a type");
                TypeExpr {
                    kind: TypeKind::Error,
                    span: t.span,
                }
            }
        }
    }

    /// `{name: T, opt?: U, "quoted-name": V}` and, for an open object,
    /// `..` as the last entry.
    fn parse_object_type(&mut self) -> TypeExpr {
        let mut fields = Vec::new();
        let mut open = None;
        let parsed = self.bracketed_list(TokenKind::RBrace, |p| {
            if open.is_some() {
                p.expected("`}` after `..` (it ends an open object type)");
                return false;
            }
            if let Some(dots) = p.eat(TokenKind::DotDot) {
                open = Some(dots.span);
                return true;
            }
            let Some(key) = p.parse_key("a field name or `..`") else {
                return false;
            };
            let optional = p.eat(TokenKind::Question).is_some();
            if p.expect(TokenKind::Colon).is_none() {
                return false;
            }
            let ty = p.parse_type();
            fields.push(FieldType { key, optional, ty });
            true
        });
        match parsed {
            Ok(span) => TypeExpr {
                kind: TypeKind::Object(ObjectType { fields, open }),
                span,
            },
            Err(span) => TypeExpr {
                kind: TypeKind::Error,
                span,
            },
        }
    }

    /// `flow Name(params) { body }`. Top-level flows take names as
    /// parameters; inline flows take inputs (see [`Param`]).
    fn parse_flow(&mut self, form: FlowForm, top_level: bool) -> Option<FlowDecl> {
        let start = self.bump().span; // `flow`
        let name = match self.peek() {
            TokenKind::Ident => {
                let t = self.bump();
                self.ident_from(&t)
            }
            _ => {
                self.expected("the flow's name");
                return None;
            }
        };
        self.expect(TokenKind::LParen)?;
        let params = if top_level {
            self.parse_names_until_rparen("a parameter name")
                .into_iter()
                .map(|id| Param {
                    span: id.span,
                    name: Some(id),
                    value: None,
                })
                .collect()
        } else {
            let args = self.parse_args_until_rparen();
            args_to_params(args)
        };
        let body = self.parse_block()?;
        Some(FlowDecl {
            span: start.to(body.span),
            name,
            params,
            body,
            form,
        })
    }

    fn ident_from(&self, t: &Token) -> Ident {
        Ident {
            name: self.text(t).to_string(),
            span: t.span,
        }
    }

    fn text(&self, t: &Token) -> &str {
        &self.src[t.span.start as usize..t.span.end as usize]
    }

    /// Names separated by commas, up to and including `)`.
    fn parse_names_until_rparen(&mut self, what: &str) -> Vec<Ident> {
        let mut names = Vec::new();
        self.comma_list(TokenKind::RParen, false, |p| {
            if p.peek() != TokenKind::Ident {
                p.expected(what);
                return false;
            }
            let t = p.bump();
            let id = p.ident_from(&t);
            if names.len() == PARAMS_MAX {
                p.error(
                    id.span,
                    format!("more than {PARAMS_MAX} parameters; pass an object instead"),
                );
            }
            names.push(id);
            true
        });
        names
    }

    /// A comma-separated list up to and including `close`, with line breaks
    /// insignificant inside; a trailing comma is allowed. `item` parses one
    /// entry at a token that is not `close` (nor, with `eof_expected`, the
    /// end of the file, which is reported as a missing `close`); it returns
    /// false when it reported an error that ends the list. Every list of
    /// the grammar goes through here, so they all recover alike: a missing
    /// `,` or an item that consumed nothing ends the list.
    fn comma_list(
        &mut self,
        close: TokenKind,
        eof_expected: bool,
        mut item: impl FnMut(&mut Self) -> bool,
    ) {
        let closer = match close {
            TokenKind::RParen => ")",
            TokenKind::RBracket => "]",
            _ => "}",
        };
        // Lists start right after their opening bracket: errors about a
        // missing separator or closer are reported against it.
        let open = self.opened();
        let saved = self.nl_skip;
        self.nl_skip = true;
        loop {
            if self.eat(close).is_some() {
                break;
            }
            if eof_expected && self.peek() == TokenKind::Eof {
                self.expected_closing(open, close, &format!("`{closer}`"));
                break;
            }
            let before = self.pos;
            if !item(self) {
                break;
            }
            if self.eat(TokenKind::Comma).is_none() && self.peek() != close {
                self.expected_closing(open, close, &format!("`,` or `{closer}`"));
                break;
            }
            if self.pos == before {
                break;
            }
        }
        self.nl_skip = saved;
    }

    /// An opening bracket (`[` or `{`, which counts toward [`NESTING_MAX`])
    /// and the comma list after it, up to `close`: the span from the
    /// bracket to `close`, or, nested too deep, `Err` with the bracket's
    /// span and nothing consumed.
    fn bracketed_list(
        &mut self,
        close: TokenKind,
        item: impl FnMut(&mut Self) -> bool,
    ) -> Result<Span, Span> {
        let start = self.tok().span;
        if !self.enter() {
            self.leave();
            return Err(start);
        }
        self.bump();
        self.comma_list(close, true, item);
        self.leave();
        Ok(self.until_prev(start))
    }

    /// An object key: a name, a keyword used as a name, or a string. Reports
    /// `what` was expected otherwise.
    fn parse_key(&mut self, what: &str) -> Option<Key> {
        let t = self.tok().clone();
        let key = match t.kind {
            TokenKind::String => Key {
                name: t.text.clone(),
                quoted: true,
                span: t.span,
            },
            k if k == TokenKind::Ident || is_keyword(k) => Key {
                name: self.token_text(&t),
                quoted: false,
                span: t.span,
            },
            _ => {
                self.expected(what);
                return None;
            }
        };
        self.bump();
        Some(key)
    }

    // ----- blocks and statements -----

    fn parse_block(&mut self) -> Option<Block> {
        if self.peek() != TokenKind::LBrace {
            self.expected("`{`");
            return None;
        }
        if !self.enter() {
            self.leave();
            return None;
        }
        let open_tok = self.bump();
        let saved = self.nl_skip;
        self.nl_skip = false;
        let base = self.open;
        let mut stmts = Vec::new();
        let end;
        loop {
            while matches!(self.peek(), TokenKind::Newline | TokenKind::Semi) {
                self.bump();
            }
            match self.peek() {
                TokenKind::RBrace => {
                    end = self.bump().span;
                    break;
                }
                TokenKind::Eof => {
                    let at = self.tok().span;
                    self.error_with(
                        Diagnostic::error("E0013", at, "expected `}` before the end of the file")
                            .with_label(open_tok.span, "the block opened here"),
                    );
                    end = at;
                    break;
                }
                _ => {}
            }
            let before = self.pos;
            let stmt = self.parse_stmt();
            if !self.recovering
                && !matches!(
                    self.peek(),
                    TokenKind::Newline | TokenKind::Semi | TokenKind::RBrace | TokenKind::Eof
                )
            {
                self.expected("a line break after the statement");
            }
            if self.recovering {
                self.sync_statement(base);
                // Always make progress, even on a stray closer.
                if self.pos == before {
                    self.bump();
                }
                self.open = base;
            }
            stmts.push(stmt);
        }
        self.nl_skip = saved;
        self.leave();
        Some(Block {
            stmts,
            span: open_tok.span.to(end),
        })
    }

    fn parse_stmt(&mut self) -> Stmt {
        let start = self.tok().span;
        if !self.enter() {
            self.leave();
            return Stmt {
                kind: StmtKind::Error,
                span: start,
            };
        }
        let kind = match self.peek() {
            TokenKind::Let | TokenKind::Var => self.parse_let(),
            TokenKind::If => match self.parse_if() {
                Some(s) => StmtKind::If(s),
                None => StmtKind::Error,
            },
            TokenKind::While => {
                self.bump();
                let cond = self.parse_expr_ctx(Ctx::Condition);
                match self.parse_block() {
                    Some(body) => StmtKind::While { cond, body },
                    None => StmtKind::Error,
                }
            }
            TokenKind::For => self.parse_for(),
            TokenKind::Return => {
                self.bump();
                let value = match self.peek() {
                    TokenKind::Newline | TokenKind::RBrace | TokenKind::Semi | TokenKind::Eof => {
                        None
                    }
                    _ => Some(self.parse_expr()),
                };
                StmtKind::Return { value }
            }
            TokenKind::Break => {
                self.bump();
                StmtKind::Break
            }
            TokenKind::Continue => {
                self.bump();
                StmtKind::Continue
            }
            _ => self.parse_expr_stmt(),
        };
        self.leave();
        let end = self.prev_end().max(start.start);
        Stmt {
            kind,
            span: Span {
                start: start.start,
                end,
            },
        }
    }

    fn parse_let(&mut self) -> StmtKind {
        let var = self.bump().kind == TokenKind::Var;
        let name = match self.peek() {
            TokenKind::Ident => {
                let t = self.bump();
                self.ident_from(&t)
            }
            _ => {
                self.expected("a variable name");
                return StmtKind::Error;
            }
        };
        if self.peek() == TokenKind::Comma {
            let declare = if var { Declare::Var } else { Declare::Let };
            return self.parse_try_assign(Some(declare), name);
        }
        let value = if self.eat(TokenKind::Eq).is_some() {
            Some(self.parse_expr())
        } else if var {
            None
        } else {
            self.expected("`=` and the value (`let` needs one; `var x` may start empty)");
            return StmtKind::Error;
        };
        StmtKind::Let { var, name, value }
    }

    fn parse_if(&mut self) -> Option<IfStmt> {
        let start = self.bump().span; // `if`
        let cond = self.parse_expr_ctx(Ctx::Condition);
        let then_block = self.parse_block()?;
        let mut end = then_block.span;
        // `else` may follow on the same line as `}` or on the next one.
        let mut look = self.pos;
        while self.tokens[look].kind == TokenKind::Newline {
            look += 1;
        }
        let else_branch = if self.tokens[look].kind == TokenKind::Else {
            self.pos = look;
            self.bump();
            if self.peek() == TokenKind::If {
                if !self.enter() {
                    self.leave();
                    return None;
                }
                let nested = self.parse_if();
                self.leave();
                let nested = nested?;
                end = nested.span;
                Some(Else::If(Box::new(nested)))
            } else {
                let b = self.parse_block()?;
                end = b.span;
                Some(Else::Block(b))
            }
        } else {
            None
        };
        Some(IfStmt {
            cond,
            then_block,
            else_branch,
            span: start.to(end),
        })
    }

    fn parse_for(&mut self) -> StmtKind {
        self.bump(); // `for`
        let var = match self.peek() {
            TokenKind::Ident => {
                let t = self.bump();
                self.ident_from(&t)
            }
            _ => {
                self.expected("the loop variable's name");
                return StmtKind::Error;
            }
        };
        if self.expect(TokenKind::In).is_none() {
            return StmtKind::Error;
        }
        let iterable = self.parse_expr_ctx(Ctx::Condition);
        match self.parse_block() {
            Some(body) => StmtKind::For {
                var,
                iterable,
                body,
            },
            None => StmtKind::Error,
        }
    }

    fn parse_expr_stmt(&mut self) -> StmtKind {
        if self.peek() == TokenKind::Ident && self.peek2() == TokenKind::Comma {
            let t = self.bump();
            let value = self.ident_from(&t);
            return self.parse_try_assign(None, value);
        }
        let expr = self.parse_expr();
        let op = match self.peek() {
            TokenKind::Eq => Some(AssignOp::Set),
            TokenKind::PlusEq => Some(AssignOp::Add),
            TokenKind::MinusEq => Some(AssignOp::Sub),
            TokenKind::StarEq => Some(AssignOp::Mul),
            TokenKind::SlashEq => Some(AssignOp::Div),
            TokenKind::PlusPlus | TokenKind::MinusMinus => {
                let increment = self.bump().kind == TokenKind::PlusPlus;
                self.check_place(&expr);
                return StmtKind::IncDec {
                    target: expr,
                    increment,
                };
            }
            _ => None,
        };
        if let Some(op) = op {
            self.bump();
            self.check_place(&expr);
            let value = self.parse_expr();
            return StmtKind::Assign {
                target: expr,
                op,
                value,
            };
        }
        StmtKind::Expr(expr)
    }

    /// `value, err = call` from the `,` on (`declare` and `value` are
    /// read): two names, then `=` and the call. Whether the value is a call
    /// of an activity or a flow is the checker's to say (E0153).
    fn parse_try_assign(&mut self, declare: Option<Declare>, value: Ident) -> StmtKind {
        self.bump(); // `,`
        let err = match self.peek() {
            TokenKind::Ident => {
                let t = self.bump();
                self.ident_from(&t)
            }
            _ => {
                self.expected("a second name (`value, err = Call(...)`)");
                return StmtKind::Error;
            }
        };
        if self.eat(TokenKind::Eq).is_none() {
            self.expected("`=` and a call (`value, err = Call(...)`)");
            return StmtKind::Error;
        }
        let call = self.parse_expr();
        StmtKind::TryAssign {
            declare,
            value,
            err,
            call,
        }
    }

    /// Assignment targets are names, fields and indexes.
    fn check_place(&mut self, e: &Expr) {
        let ok = match &e.kind {
            ExprKind::Name(_) => true,
            ExprKind::Member { object, .. } | ExprKind::Index { object, .. } => {
                is_place_root(object)
            }
            ExprKind::Error => true,
            _ => false,
        };
        if !ok {
            self.error_with(
                Diagnostic::error("E0014", e.span, "this cannot be assigned to")
                    .with_help("assign to a variable, a field (`a.b`) or an element (`a[i]`)"),
            );
        }
    }

    // ----- expressions -----

    fn parse_expr(&mut self) -> Expr {
        self.parse_expr_ctx(Ctx::Normal)
    }

    fn parse_expr_ctx(&mut self, ctx: Ctx) -> Expr {
        self.parse_binary(1, ctx)
    }

    fn binary_op(kind: TokenKind) -> Option<BinaryOp> {
        use TokenKind as T;
        Some(match kind {
            T::OrOr => BinaryOp::Or,
            T::AndAnd => BinaryOp::And,
            T::EqEq => BinaryOp::Eq,
            T::NotEq => BinaryOp::Ne,
            T::Lt => BinaryOp::Lt,
            T::Le => BinaryOp::Le,
            T::Gt => BinaryOp::Gt,
            T::Ge => BinaryOp::Ge,
            T::Plus => BinaryOp::Add,
            T::Minus => BinaryOp::Sub,
            T::Star => BinaryOp::Mul,
            T::Slash => BinaryOp::Div,
            T::Percent => BinaryOp::Rem,
            _ => return None,
        })
    }

    /// Precedence climbing; each operator applied counts as one level of
    /// nesting, so long chains hit [`NESTING_MAX`] instead of the stack.
    fn parse_binary(&mut self, min_prec: u8, ctx: Ctx) -> Expr {
        let mut lhs = self.parse_unary(ctx);
        let mut chain = 0;
        while let Some(op) = Self::binary_op(self.peek()) {
            let prec = op.precedence();
            if prec < min_prec {
                break;
            }
            self.bump();
            chain += 1;
            if !self.enter() {
                self.depth -= chain;
                return Expr {
                    kind: ExprKind::Error,
                    span: lhs.span,
                };
            }
            // Line breaks after an operator continue the expression.
            while self.tokens[self.pos].kind == TokenKind::Newline {
                self.pos += 1;
            }
            // `prec + 1`: operators of one level associate to the left.
            let rhs = self.parse_binary(prec + 1, ctx);
            let span = lhs.span.to(rhs.span);
            lhs = Expr {
                kind: ExprKind::Binary {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                span,
            };
        }
        self.depth -= chain;
        lhs
    }

    fn parse_unary(&mut self, ctx: Ctx) -> Expr {
        let op = match self.peek() {
            TokenKind::Bang => Some(UnaryOp::Not),
            TokenKind::Minus => Some(UnaryOp::Neg),
            TokenKind::Plus => Some(UnaryOp::Plus),
            TokenKind::Await => None,
            _ => return self.parse_postfix(ctx),
        };
        let start = self.bump().span;
        if !self.enter() {
            self.leave();
            return Expr {
                kind: ExprKind::Error,
                span: start,
            };
        }
        let operand = self.parse_unary(ctx);
        self.leave();
        let span = start.to(operand.span);
        let kind = match op {
            Some(op) => ExprKind::Unary {
                op,
                operand: Box::new(operand),
            },
            None => ExprKind::Await(Box::new(operand)),
        };
        Expr { kind, span }
    }

    fn parse_postfix(&mut self, ctx: Ctx) -> Expr {
        let mut e = self.parse_primary();
        let mut chain = 0;
        loop {
            // In blocks, a postfix operator must be on the same line.
            let kind = self.peek();
            let step_ok = match kind {
                TokenKind::LParen | TokenKind::Dot | TokenKind::LBracket | TokenKind::At => true,
                TokenKind::LBrace => {
                    ctx == Ctx::Normal
                        && (matches!(&e.kind, ExprKind::Call(c) if c.annotations.is_empty() && c.callee_name().is_some())
                            || (chain == 0 && matches!(e.kind, ExprKind::Name(_))))
                }
                _ => false,
            };
            if !step_ok {
                break;
            }
            chain += 1;
            if !self.enter() {
                self.depth -= chain;
                return Expr {
                    kind: ExprKind::Error,
                    span: e.span,
                };
            }
            e = match kind {
                TokenKind::LParen => {
                    self.bump();
                    let args = self.parse_args_until_rparen();
                    let span = self.until_prev(e.span);
                    Expr {
                        kind: ExprKind::Call(Box::new(Call {
                            callee: e,
                            args,
                            annotations: Vec::new(),
                        })),
                        span,
                    }
                }
                TokenKind::Dot => {
                    self.bump();
                    if self.peek() == TokenKind::Ident || is_keyword(self.peek()) {
                        let t = self.bump();
                        let name = Ident {
                            name: self.token_text(&t),
                            span: t.span,
                        };
                        Expr {
                            span: e.span.to(name.span),
                            kind: ExprKind::Member {
                                object: Box::new(e),
                                name,
                            },
                        }
                    } else {
                        self.expected("a field name after `.`");
                        Expr {
                            span: e.span,
                            kind: ExprKind::Error,
                        }
                    }
                }
                TokenKind::LBracket => {
                    let open = self.bump().span;
                    let saved = self.nl_skip;
                    self.nl_skip = true;
                    let index = self.parse_expr();
                    self.expect_closing(open, TokenKind::RBracket);
                    self.nl_skip = saved;
                    Expr {
                        span: self.until_prev(e.span),
                        kind: ExprKind::Index {
                            object: Box::new(e),
                            index: Box::new(index),
                        },
                    }
                }
                TokenKind::At => {
                    let ann = self.parse_annotation();
                    match e.kind {
                        ExprKind::Call(mut call) => {
                            let span = e.span.to(ann.span);
                            call.annotations.push(ann);
                            Expr {
                                kind: ExprKind::Call(call),
                                span,
                            }
                        }
                        ExprKind::Error => e,
                        _ => {
                            self.error_with(
                                Diagnostic::error(
                                    "E0015",
                                    ann.span,
                                    format!("`@{}` must follow a call", ann.name.name),
                                )
                                .with_help("annotations apply to calls: `Charge(order) @retry(3)`"),
                            );
                            e
                        }
                    }
                }
                TokenKind::LBrace if matches!(e.kind, ExprKind::Name(_)) => self.parse_braced(e),
                TokenKind::LBrace => self.call_with_block(e),
                _ => unreachable!("step_ok admits only postfix tokens"),
            };
        }
        self.depth -= chain;
        e
    }

    /// `Name(args) { body }`: an inline sub-flow named `Name` whose inputs
    /// are the call's arguments.
    fn call_with_block(&mut self, call_expr: Expr) -> Expr {
        let ExprKind::Call(call) = call_expr.kind else {
            unreachable!("only calls reach call_with_block")
        };
        let name = Ident {
            name: call.callee_name().unwrap_or_default().to_string(),
            span: call.callee.span,
        };
        let Some(body) = self.parse_block() else {
            return Expr {
                kind: ExprKind::Error,
                span: call_expr.span,
            };
        };
        let span = call_expr.span.to(body.span);
        Expr {
            kind: ExprKind::Flow(Box::new(FlowDecl {
                name,
                params: args_to_params(call.args),
                body,
                form: FlowForm::CallBlock,
                span,
            })),
            span,
        }
    }

    fn token_text(&self, t: &Token) -> String {
        self.text(t).to_string()
    }

    fn parse_annotation(&mut self) -> Annotation {
        let at = self.bump().span; // `@`
        let name = if self.peek() == TokenKind::Ident {
            let t = self.bump();
            self.ident_from(&t)
        } else {
            self.expected("an annotation name after `@`");
            Ident {
                name: String::new(),
                span: at,
            }
        };
        // `@retry (3)` is unusual but unambiguous; a line break is not.
        let (args, parens) = if self.tokens[self.pos].kind == TokenKind::LParen {
            self.bump();
            (self.parse_args_until_rparen(), true)
        } else {
            (Vec::new(), false)
        };
        Annotation {
            span: self.until_prev(at),
            name,
            args,
            parens,
        }
    }

    /// Arguments (`e` or `name: e`), up to and including `)`.
    fn parse_args_until_rparen(&mut self) -> Vec<Arg> {
        let mut args = Vec::new();
        self.comma_list(TokenKind::RParen, true, |p| {
            let name = if p.peek() == TokenKind::Ident && p.peek2() == TokenKind::Colon {
                let t = p.bump();
                p.bump();
                Some(p.ident_from(&t))
            } else {
                None
            };
            let value = p.parse_expr();
            args.push(Arg { name, value });
            true
        });
        args
    }

    fn parse_primary(&mut self) -> Expr {
        let t = self.tok().clone();
        let simple = |kind| Expr { kind, span: t.span };
        match t.kind {
            TokenKind::Number => {
                self.bump();
                let v = self.number_value(&t);
                simple(ExprKind::Number(v))
            }
            TokenKind::Duration => {
                self.bump();
                let amount = self.number_value(&t);
                let unit_ms = duration_unit_ms(&t.text).unwrap_or(0);
                let ms = (amount * unit_ms as f64)
                    .round()
                    .clamp(0.0, u64::MAX as f64 / 2.0);
                simple(ExprKind::Duration {
                    amount,
                    unit: t.text.clone(),
                    ms: ms as u64,
                })
            }
            TokenKind::String => {
                self.bump();
                simple(ExprKind::String(t.text.clone()))
            }
            TokenKind::True | TokenKind::False => {
                self.bump();
                simple(ExprKind::Bool(t.kind == TokenKind::True))
            }
            TokenKind::Null => {
                self.bump();
                simple(ExprKind::Null)
            }
            TokenKind::Ident => {
                self.bump();
                simple(ExprKind::Name(self.token_text(&t)))
            }
            TokenKind::LParen => {
                if !self.enter() {
                    self.leave();
                    return simple(ExprKind::Error);
                }
                self.bump();
                let saved = self.nl_skip;
                self.nl_skip = true;
                let inner = self.parse_expr();
                self.expect_closing(t.span, TokenKind::RParen);
                self.nl_skip = saved;
                self.leave();
                Expr {
                    span: self.until_prev(t.span),
                    kind: ExprKind::Paren(Box::new(inner)),
                }
            }
            TokenKind::LBracket => self.parse_array(),
            TokenKind::LBrace => self.parse_object(),
            TokenKind::Func => self.parse_lambda(),
            TokenKind::Flow => {
                if !self.enter() {
                    self.leave();
                    return simple(ExprKind::Error);
                }
                let saved = self.nl_skip;
                let flow = self.parse_flow(FlowForm::Keyword, false);
                self.nl_skip = saved;
                self.leave();
                match flow {
                    Some(f) => Expr {
                        span: f.span,
                        kind: ExprKind::Flow(Box::new(f)),
                    },
                    None => simple(ExprKind::Error),
                }
            }
            _ => {
                self.expected("an expression");
                Expr {
                    kind: ExprKind::Error,
                    span: if t.kind == TokenKind::Newline || t.kind == TokenKind::Eof {
                        Span::new(self.prev_end() as usize, self.prev_end() as usize)
                    } else {
                        t.span
                    },
                }
            }
        }
    }

    fn number_value(&self, t: &Token) -> f64 {
        // For a duration the token's text is its unit; the number precedes it.
        let text = self.text(t);
        let digits = &text[..text.len() - t.text.len()];
        digits.replace('_', "").parse().unwrap_or(0.0)
    }

    fn parse_array(&mut self) -> Expr {
        let mut items = Vec::new();
        let parsed = self.bracketed_list(TokenKind::RBracket, |p| {
            items.push(p.parse_expr());
            true
        });
        Self::list_expr(parsed, ExprKind::Array(items))
    }

    /// The expression a bracketed list makes: `kind`, or an error
    /// expression where nesting was too deep.
    fn list_expr(parsed: Result<Span, Span>, kind: ExprKind) -> Expr {
        match parsed {
            Ok(span) => Expr { kind, span },
            Err(span) => Expr {
                kind: ExprKind::Error,
                span,
            },
        }
    }

    fn parse_object(&mut self) -> Expr {
        let mut entries = Vec::new();
        let parsed = self.bracketed_list(TokenKind::RBrace, |p| {
            if p.eat(TokenKind::DotDot).is_some() {
                entries.push(ObjectEntry::Spread(p.parse_expr()));
                return true;
            }
            let Some(key) = p.parse_key("a key (a name or a string) or `..`") else {
                return false;
            };
            if p.expect(TokenKind::Colon).is_none() {
                return false;
            }
            let value = p.parse_expr();
            entries.push(ObjectEntry::Field { key, value });
            true
        });
        Self::list_expr(parsed, ExprKind::Object(entries))
    }

    fn parse_lambda(&mut self) -> Expr {
        let start = self.bump().span; // `func`
        if !self.enter() {
            self.leave();
            return Expr {
                kind: ExprKind::Error,
                span: start,
            };
        }
        let saved = self.nl_skip;
        let result = (|| {
            self.expect(TokenKind::LParen)?;
            let params = self.parse_names_until_rparen("a parameter name");
            let body = self.parse_block()?;
            Some((params, body))
        })();
        self.nl_skip = saved;
        self.leave();
        match result {
            Some((params, body)) => Expr {
                span: start.to(body.span),
                kind: ExprKind::Lambda(Box::new(Lambda { params, body })),
            },
            None => Expr {
                kind: ExprKind::Error,
                span: start,
            },
        }
    }
}

fn is_keyword(kind: TokenKind) -> bool {
    use TokenKind::*;
    matches!(
        kind,
        Flow | Let
            | Var
            | If
            | Else
            | While
            | For
            | In
            | Return
            | Func
            | Await
            | True
            | False
            | Null
            | Break
            | Continue
    )
}

fn is_place_root(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Name(_) => true,
        ExprKind::Member { object, .. } | ExprKind::Index { object, .. } => is_place_root(object),
        _ => false,
    }
}

/// Inline-flow inputs from call arguments (see [`Param`]).
fn args_to_params(args: Vec<Arg>) -> Vec<Param> {
    args.into_iter()
        .map(|arg| match (arg.name, arg.value) {
            (Some(name), value) => Param {
                span: name.span.to(value.span),
                name: Some(name),
                value: Some(value),
            },
            (None, value) => match &value.kind {
                ExprKind::Name(n) => Param {
                    name: Some(Ident {
                        name: n.clone(),
                        span: value.span,
                    }),
                    value: None,
                    span: value.span,
                },
                _ => Param {
                    name: None,
                    span: value.span,
                    value: Some(value),
                },
            },
        })
        .collect()
}
