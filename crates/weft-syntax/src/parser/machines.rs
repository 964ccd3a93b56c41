//! Parsing `machine` declarations and the braced literals that talk to
//! machines (`Add{n: 1}`, `where{...}`, `select{...}`). Kept apart from
//! the flow grammar: the rest of the parser calls in here at three places
//! (a top-level `machine`, a `Name{` in an expression, a string literal in
//! a type).
//!
//! Inside a machine's body line breaks separate members, as statements in a
//! block; inside a shape (`{ fields }`) line breaks and commas both separate
//! fields, since the seed writes both.

use super::{is_keyword, Parser, PARAMS_MAX};
use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::lexer::TokenKind;

/// The contextual keyword of a machine declaration.
pub const MACHINE: &str = "machine";

/// Contextual keywords of a machine's members.
const STATE: &str = "state";
const COMMAND: &str = "command";
const ON: &str = "on";

/// The names every handler sees besides its input: the instance's state
/// (its value before the command) and its key.
pub const HANDLER_IMPLICIT: [&str; 2] = ["state", "key"];

impl Parser<'_> {
    /// `machine Name { members }`
    pub(super) fn parse_machine(&mut self) -> Option<MachineDecl> {
        let start = self.bump().span; // `machine`
        let t = self.bump();
        let name = self.ident_from(&t);
        if self.peek() != TokenKind::LBrace {
            self.expected("`{` and the machine's members");
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
        let mut members = Vec::new();
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
                            .with_label(open_tok.span, "the machine opened here"),
                    );
                    end = at;
                    break;
                }
                _ => {}
            }
            let before = self.pos;
            let member = self.parse_machine_member();
            if !self.recovering
                && !matches!(
                    self.peek(),
                    TokenKind::Newline | TokenKind::Semi | TokenKind::RBrace | TokenKind::Eof
                )
            {
                self.expected("a line break after the member");
            }
            if self.recovering {
                self.sync_statement(base);
                if self.pos == before {
                    self.bump();
                }
                self.open = base;
            }
            members.push(member);
        }
        self.nl_skip = saved;
        self.leave();
        Some(MachineDecl {
            span: start.to(end),
            name,
            members,
        })
    }

    /// One member: `state {...}`, `command Name(...) {...}`,
    /// `on Name(...) {...}` or `Name {...}`.
    fn parse_machine_member(&mut self) -> MachineMember {
        let t = self.tok().clone();
        let word = self.token_text(&t);
        let next = self.peek2();
        match t.kind {
            TokenKind::Ident if word == STATE && next == TokenKind::LBrace => {
                self.bump();
                match self.parse_shape() {
                    Some(shape) => MachineMember::State(StateDecl {
                        span: t.span.to(shape.span),
                        shape,
                    }),
                    None => MachineMember::Error(t.span),
                }
            }
            TokenKind::Ident if word == COMMAND && next == TokenKind::Ident => {
                match self.parse_command_keyword() {
                    Some(c) => MachineMember::Command(c),
                    None => MachineMember::Error(self.until_prev(t.span)),
                }
            }
            TokenKind::Ident if word == ON && next == TokenKind::Ident => {
                match self.parse_handler() {
                    Some(h) => MachineMember::Handler(h),
                    None => MachineMember::Error(self.until_prev(t.span)),
                }
            }
            TokenKind::Ident if next == TokenKind::LBrace => {
                self.bump();
                let name = self.ident_from(&t);
                match self.parse_shape() {
                    Some(shape) => MachineMember::Command(CommandDecl {
                        span: t.span.to(shape.span),
                        implicit: implicit_names(&name),
                        name,
                        form: CommandForm::Shape,
                        param: None,
                        shape: Some(shape),
                        body: None,
                    }),
                    None => MachineMember::Error(t.span),
                }
            }
            _ => {
                self.error_with(
                    Diagnostic::error(
                        "E0010",
                        t.span,
                        format!(
                            "expected a member of the machine (`state {{ ... }}`, `command Name(input: Type) {{ ... }}`, `on Name(input) {{ ... }}` or `Name {{ fields }}`), found {}",
                            t.kind.describe()
                        ),
                    ),
                );
                MachineMember::Error(t.span)
            }
        }
    }

    /// `command Name(input: Type) { body }`; the type and the body may be
    /// left out.
    fn parse_command_keyword(&mut self) -> Option<CommandDecl> {
        let start = self.bump().span; // `command`
        let t = self.bump();
        let name = self.ident_from(&t);
        self.expect(TokenKind::LParen)?;
        let saved = self.nl_skip;
        self.nl_skip = true;
        let mut param = None;
        if self.peek() == TokenKind::Ident {
            let p = self.bump();
            let pname = self.ident_from(&p);
            let ty = if self.eat(TokenKind::Colon).is_some() {
                Some(self.parse_type())
            } else {
                None
            };
            param = Some(CommandParam { name: pname, ty });
            if self.peek() == TokenKind::Comma && self.peek2() != TokenKind::RParen {
                let at = self.tok().span;
                self.nl_skip = saved;
                self.error_with(
                    Diagnostic::error("E0010", at, "a command takes one input")
                        .with_help("declare the input's fields in its type: `command Name(input: {a: string, b: number})`"),
                );
                return None;
            }
            self.eat(TokenKind::Comma);
        }
        let closed = self.expect(TokenKind::RParen);
        self.nl_skip = saved;
        closed?;
        let body = if self.peek() == TokenKind::LBrace {
            Some(self.parse_block()?)
        } else {
            None
        };
        Some(CommandDecl {
            span: self.until_prev(start),
            implicit: implicit_names(&name),
            name,
            form: CommandForm::Keyword,
            param,
            shape: None,
            body,
        })
    }

    /// `on Name(input) { body }`
    fn parse_handler(&mut self) -> Option<HandlerDecl> {
        let start = self.bump().span; // `on`
        let t = self.bump();
        let name = self.ident_from(&t);
        self.expect(TokenKind::LParen)?;
        let names = self.parse_names_until_rparen("the input's name");
        if names.len() > 1 {
            self.error_with(
                Diagnostic::error("E0010", names[1].span, "a handler takes one input").with_help(
                    "read the input's fields from the one parameter: `on Name(input) { input.a }`",
                ),
            );
            return None;
        }
        let body = self.parse_block()?;
        Some(HandlerDecl {
            span: start.to(body.span),
            implicit: implicit_names(&name),
            param: names.into_iter().next(),
            name,
            body,
        })
    }

    /// `{ fields }`, fields separated by commas or line breaks.
    fn parse_shape(&mut self) -> Option<Shape> {
        let start = self.tok().span;
        if !self.enter() {
            self.leave();
            return None;
        }
        self.bump(); // `{`
        let saved = self.nl_skip;
        self.nl_skip = false;
        let mut fields = Vec::new();
        let result = loop {
            while matches!(
                self.peek(),
                TokenKind::Newline | TokenKind::Semi | TokenKind::Comma
            ) {
                self.bump();
            }
            match self.peek() {
                TokenKind::RBrace => {
                    self.bump();
                    break true;
                }
                TokenKind::Eof => {
                    self.expected("`}`");
                    break false;
                }
                _ => {}
            }
            if fields.len() == PARAMS_MAX * 4 {
                let at = self.tok().span;
                self.error(
                    at,
                    format!(
                        "more than {} fields in one shape; nest them",
                        PARAMS_MAX * 4
                    ),
                );
                break false;
            }
            match self.parse_shape_field() {
                Some(f) => fields.push(f),
                None => break false,
            }
            if !matches!(
                self.peek(),
                TokenKind::Newline | TokenKind::Semi | TokenKind::Comma | TokenKind::RBrace
            ) {
                self.expected("`,`, a line break or `}` after the field");
                break false;
            }
        };
        self.nl_skip = saved;
        self.leave();
        if !result {
            return None;
        }
        Some(Shape {
            fields,
            span: self.until_prev(start),
        })
    }

    /// One field of a shape (see [`ShapeField`] for the forms).
    fn parse_shape_field(&mut self) -> Option<ShapeField> {
        let t = self.tok().clone();
        let key = match t.kind {
            TokenKind::Ident => Key {
                name: self.token_text(&t),
                quoted: false,
                span: t.span,
            },
            TokenKind::String => Key {
                name: t.text.clone(),
                quoted: true,
                span: t.span,
            },
            k if is_keyword(k) => Key {
                name: self.token_text(&t),
                quoted: false,
                span: t.span,
            },
            _ => {
                self.expected("a field name");
                return None;
            }
        };
        self.bump();
        let optional = self.eat(TokenKind::Question).is_some();
        let mut field = ShapeField {
            span: key.span,
            key,
            optional,
            ty: None,
            choice: false,
            default: None,
            nested: None,
        };
        match self.peek() {
            TokenKind::Colon => {
                self.bump();
                field.ty = Some(self.parse_type());
                if self.eat(TokenKind::Eq).is_some() {
                    field.default = Some(self.parse_expr());
                }
            }
            TokenKind::Eq => {
                self.bump();
                if self.peek() == TokenKind::String && self.peek2() == TokenKind::Pipe {
                    field.ty = Some(self.parse_type());
                    field.choice = true;
                } else {
                    field.default = Some(self.parse_expr());
                }
            }
            TokenKind::LBrace => {
                field.nested = Some(self.parse_shape()?);
            }
            _ => {}
        }
        field.span = self.until_prev(field.span);
        Some(field)
    }

    /// `Name{ entries }` after the name `name_expr`: a command literal, or
    /// a query's `where{...}` or `select{...}`.
    pub(super) fn parse_braced(&mut self, name_expr: Expr) -> Expr {
        let ExprKind::Name(n) = &name_expr.kind else {
            unreachable!("only names reach parse_braced")
        };
        let name = Ident {
            name: n.clone(),
            span: name_expr.span,
        };
        self.bump(); // `{`
        let saved = self.nl_skip;
        self.nl_skip = true;
        let mut entries = Vec::new();
        loop {
            if self.eat(TokenKind::RBrace).is_some() {
                break;
            }
            if self.peek() == TokenKind::Eof {
                self.expected("`}`");
                break;
            }
            let before = self.pos;
            if self.eat(TokenKind::DotDot).is_some() {
                entries.push(BracedEntry::Spread(self.parse_expr()));
            } else if matches!(self.peek(), TokenKind::Ident | TokenKind::String)
                && self.peek2() == TokenKind::Colon
            {
                let t = self.bump();
                let key = Key {
                    name: if t.kind == TokenKind::String {
                        t.text.clone()
                    } else {
                        self.token_text(&t)
                    },
                    quoted: t.kind == TokenKind::String,
                    span: t.span,
                };
                self.bump(); // `:`
                let value = self.parse_expr();
                entries.push(BracedEntry::Field { key, value });
            } else {
                let target = self.parse_expr();
                if self.eat(TokenKind::Eq).is_some() {
                    let value = self.parse_expr();
                    entries.push(BracedEntry::Set { target, value });
                } else {
                    entries.push(BracedEntry::Expr(target));
                }
            }
            if self.eat(TokenKind::Comma).is_none() && self.peek() != TokenKind::RBrace {
                self.expected("`,` or `}`");
                break;
            }
            if self.pos == before {
                break;
            }
        }
        self.nl_skip = saved;
        let span = self.until_prev(name.span);
        Expr {
            kind: ExprKind::Braced(Box::new(Braced { name, entries })),
            span,
        }
    }
}

/// `state` and `key`, placed at the command's name.
fn implicit_names(command: &Ident) -> Vec<Ident> {
    HANDLER_IMPLICIT
        .iter()
        .map(|n| Ident {
            name: (*n).to_string(),
            span: command.span,
        })
        .collect()
}
