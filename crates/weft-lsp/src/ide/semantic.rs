//! Semantic highlighting: what each token of a file is, from the lexer and
//! the resolved names (so that `Charge` in a call is an activity, `B` a
//! flow, `x` a parameter or a variable, and `status` in `r.status` a
//! field). Editors without a grammar for Weft (Neovim, Helix, Zed) colour
//! `.weft` files with these alone.

use super::resolve::{NameRef, Role, Target, VarKind};
use super::{File, Global, Program, TypeName};
use weft_syntax::lexer::{lex, TokenKind};
use weft_syntax::{lang, Span};

/// The kinds of token, in the order of the legend the server announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TokenType {
    /// `flow`, `if`, `return`, `true`, `activity` in a declaration, ...
    Keyword,
    /// A variable.
    Variable,
    /// A parameter (of a flow, a `func`, an inline flow's input, a
    /// declaration), and a named argument.
    Parameter,
    /// A flow (top-level or inline) or a built-in function.
    Function,
    /// An activity, declared or not.
    Method,
    /// A field: after `.`, an object's key, a declared type's field.
    Property,
    /// A type name.
    Type,
    /// An annotation, `@` included.
    Decorator,
    /// A string.
    String,
    /// A number or a duration.
    Number,
    /// A comment.
    Comment,
    /// An operator.
    Operator,
}

/// Every token type, in legend order.
pub const TOKEN_TYPES: &[TokenType] = &[
    TokenType::Keyword,
    TokenType::Variable,
    TokenType::Parameter,
    TokenType::Function,
    TokenType::Method,
    TokenType::Property,
    TokenType::Type,
    TokenType::Decorator,
    TokenType::String,
    TokenType::Number,
    TokenType::Comment,
    TokenType::Operator,
];

/// A modifier: a bit of [`Token::modifiers`].
pub mod modifier {
    /// Where the name is defined.
    pub const DECLARATION: u32 = 1;
    /// Built into the language (built-ins, built-in types).
    pub const DEFAULT_LIBRARY: u32 = 2;
    /// The names of the modifiers, by bit.
    pub const NAMES: &[&str] = &["declaration", "defaultLibrary"];
}

/// One highlighted token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Where (within one line, except comments, which may span lines).
    pub span: Span,
    /// What it is.
    pub ty: TokenType,
    /// [`modifier`] bits.
    pub modifiers: u32,
}

/// The tokens of file `file`, in order, not overlapping.
pub fn tokens(program: &Program, file: usize) -> Vec<Token> {
    let Some(f) = program.files.get(file) else {
        return Vec::new();
    };
    let lexed = lex(&f.text);
    let toks = &lexed.tokens;
    let mut out: Vec<Token> = Vec::new();
    let mut comments = lexed.comments.iter().peekable();
    // Which bracket is open, for names followed by `:` (a named argument
    // in parentheses, a key in braces).
    let mut open: Vec<TokenKind> = Vec::new();
    let mut refs = f.index.refs.iter().peekable();
    for (i, t) in toks.iter().enumerate() {
        while let Some(c) = comments.next_if(|c| c.span.start < t.span.start) {
            out.push(token(c.span, TokenType::Comment, 0));
        }
        // The names written before this token (none are skipped: each is a
        // token of its own, or inside a string).
        let mut inside: Vec<&NameRef> = Vec::new();
        while let Some(r) = refs.next_if(|r| r.span.start < t.span.end) {
            if r.span.start >= t.span.start {
                inside.push(r);
            }
        }
        let prev = i.checked_sub(1).map(|p| toks[p].kind);
        let next = toks.get(i + 1).map(|n| n.kind);
        match t.kind {
            TokenKind::Ident => {
                if let Some(r) = inside.iter().find(|r| r.span == t.span) {
                    if let Some((ty, m)) = classify(program, f, r) {
                        let start = if ty == TokenType::Decorator && prev == Some(TokenKind::At) {
                            toks[i - 1].span.start
                        } else {
                            t.span.start
                        };
                        // `@` was not emitted on its own: it joins the name.
                        out.push(token(Span { start, ..t.span }, ty, m));
                    }
                    continue;
                }
                let word = f.slice(t.span);
                let at_line_start = matches!(prev, None | Some(TokenKind::Newline));
                if at_line_start
                    && open.is_empty()
                    && lang::DECLARATION_KEYWORDS.contains(&word)
                    && next == Some(TokenKind::Ident)
                {
                    out.push(token(t.span, TokenType::Keyword, 0));
                } else if prev == Some(TokenKind::Dot) {
                    out.push(token(t.span, TokenType::Property, 0));
                } else if next == Some(TokenKind::Colon)
                    || (next == Some(TokenKind::Question)
                        && toks.get(i + 2).map(|n| n.kind) == Some(TokenKind::Colon))
                {
                    let ty = if open.last() == Some(&TokenKind::LParen) {
                        TokenType::Parameter
                    } else {
                        TokenType::Property
                    };
                    out.push(token(t.span, ty, 0));
                }
            }
            TokenKind::String => {
                // `{petId}` in an `@http` URL names a parameter: split the
                // string around it.
                let mut at = t.span.start;
                for r in inside.iter().filter(|r| r.span.end <= t.span.end) {
                    if let Some((ty, m)) = classify(program, f, r) {
                        if r.span.start > at {
                            out.push(token(
                                Span {
                                    start: at,
                                    end: r.span.start,
                                },
                                TokenType::String,
                                0,
                            ));
                        }
                        out.push(token(r.span, ty, m));
                        at = r.span.end;
                    }
                }
                if at < t.span.end {
                    out.push(token(
                        Span {
                            start: at,
                            end: t.span.end,
                        },
                        TokenType::String,
                        0,
                    ));
                }
            }
            TokenKind::Number | TokenKind::Duration => {
                out.push(token(t.span, TokenType::Number, 0))
            }
            // With the annotation's name (above), when one follows.
            TokenKind::At if next != Some(TokenKind::Ident) => {
                out.push(token(t.span, TokenType::Decorator, 0))
            }
            TokenKind::At => {}
            TokenKind::LParen | TokenKind::LBracket | TokenKind::LBrace => open.push(t.kind),
            TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace => {
                open.pop();
            }
            k if is_keyword(k) => out.push(token(t.span, TokenType::Keyword, 0)),
            k if is_operator(k) => out.push(token(t.span, TokenType::Operator, 0)),
            _ => {}
        }
    }
    for c in comments {
        out.push(token(c.span, TokenType::Comment, 0));
    }
    out.retain(|t| !t.span.is_empty());
    out
}

fn token(span: Span, ty: TokenType, modifiers: u32) -> Token {
    Token {
        span,
        ty,
        modifiers,
    }
}

/// What the name `r` is, for highlighting.
fn classify(program: &Program, f: &File, r: &NameRef) -> Option<(TokenType, u32)> {
    let decl = if r.role == Role::Def {
        modifier::DECLARATION
    } else {
        0
    };
    Some(match &r.target {
        Target::Var(id) => match f.index.vars[*id].kind {
            VarKind::Param | VarKind::Input => (TokenType::Parameter, decl),
            _ => (TokenType::Variable, decl),
        },
        Target::InlineFlow(_) => (TokenType::Function, decl),
        Target::Global => match program.global(&r.name) {
            Global::Flow { .. } => (TokenType::Function, decl),
            Global::Builtin(_) => (TokenType::Function, modifier::DEFAULT_LIBRARY),
            Global::Activity(_) => (TokenType::Method, decl),
            // A name written as a global and unknown: nothing to say.
            Global::Unknown => return None,
        },
        Target::Annotation => (TokenType::Decorator, 0),
        Target::Type => match program.type_name(&r.name) {
            TypeName::Builtin(_) => (TokenType::Type, modifier::DEFAULT_LIBRARY),
            TypeName::Declared { .. } | TypeName::Unknown => (TokenType::Type, decl),
        },
        Target::DeclParam(_) | Target::NamedArg(_) => (TokenType::Parameter, decl),
    })
}

fn is_keyword(k: TokenKind) -> bool {
    matches!(
        k,
        TokenKind::Flow
            | TokenKind::Let
            | TokenKind::Var
            | TokenKind::If
            | TokenKind::Else
            | TokenKind::While
            | TokenKind::For
            | TokenKind::In
            | TokenKind::Return
            | TokenKind::Func
            | TokenKind::Await
            | TokenKind::True
            | TokenKind::False
            | TokenKind::Null
            | TokenKind::Break
            | TokenKind::Continue
    )
}

fn is_operator(k: TokenKind) -> bool {
    matches!(
        k,
        TokenKind::DotDot
            | TokenKind::Arrow
            | TokenKind::Pipe
            | TokenKind::Question
            | TokenKind::Eq
            | TokenKind::EqEq
            | TokenKind::NotEq
            | TokenKind::Lt
            | TokenKind::Le
            | TokenKind::Gt
            | TokenKind::Ge
            | TokenKind::Plus
            | TokenKind::Minus
            | TokenKind::Star
            | TokenKind::Slash
            | TokenKind::Percent
            | TokenKind::Bang
            | TokenKind::AndAnd
            | TokenKind::OrOr
            | TokenKind::PlusPlus
            | TokenKind::MinusMinus
            | TokenKind::PlusEq
            | TokenKind::MinusEq
            | TokenKind::StarEq
            | TokenKind::SlashEq
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    /// The tokens of the `$0` file as `text:type[+modifiers]`.
    fn show(text: &str) -> Vec<String> {
        let (p, f, _) = fixture::parse(text);
        let file = &p.files[f];
        tokens(&p, f)
            .iter()
            .map(|t| {
                let mut m = String::new();
                for (bit, name) in modifier::NAMES.iter().enumerate() {
                    if t.modifiers & (1 << bit) != 0 {
                        m.push('+');
                        m.push_str(name);
                    }
                }
                format!("{}:{:?}{m}", file.slice(t.span), t.ty)
            })
            .collect()
    }

    #[test]
    fn names_by_what_they_are() {
        let got = show(
            "//- c.weft\ntype Card = {number: string}\nactivity Charge(card: Card, note?: string) -> int\n    @http(method: \"POST\", url: \"https://p.test/{card}\")\n//- main.weft\n// Pay.\nflow Pay$0(order) {\n    r = Charge(order.card, note: \"x\") @retry(3)\n    n = len([r])\n    return Helper(n) + 1h\n}\nflow Helper(x) { return x }\n",
        );
        assert_eq!(
            got,
            [
                "// Pay.:Comment",
                "flow:Keyword",
                "Pay:Function+declaration",
                "order:Parameter+declaration",
                "r:Variable+declaration",
                "=:Operator",
                "Charge:Method",
                "order:Parameter",
                "card:Property",
                "note:Parameter",
                "\"x\":String",
                "@retry:Decorator",
                "3:Number",
                "n:Variable+declaration",
                "=:Operator",
                "len:Function+defaultLibrary",
                "r:Variable",
                "return:Keyword",
                "Helper:Function",
                "n:Variable",
                "+:Operator",
                "1h:Number",
                "flow:Keyword",
                "Helper:Function+declaration",
                "x:Parameter+declaration",
                "return:Keyword",
                "x:Parameter",
            ]
        );
    }

    #[test]
    fn declarations_and_strings_that_name_parameters() {
        let got = show(
            "type Card$0 = {number: string, tags?: [string]}\nactivity Charge(card: Card) -> int @http(method: \"GET\", url: \"https://p.test/{card}/x\")\n",
        );
        assert_eq!(
            got,
            [
                "type:Keyword",
                "Card:Type+declaration",
                "=:Operator",
                "number:Property",
                "string:Type+defaultLibrary",
                "tags:Property",
                "?:Operator",
                "string:Type+defaultLibrary",
                "activity:Keyword",
                "Charge:Method+declaration",
                "card:Parameter+declaration",
                "Card:Type",
                "->:Operator",
                "int:Type+defaultLibrary",
                "@http:Decorator",
                "method:Parameter",
                "\"GET\":String",
                "url:Parameter",
                "\"https://p.test/{:String",
                "card:Parameter",
                "}/x\":String",
            ]
        );
    }

    #[test]
    fn garbage_gives_tokens_without_overlap() {
        for text in [
            "flow A( {{ @ \"x",
            "/* a\nb */ flow",
            "@@@",
            "type = ",
            "é😀 flow",
        ] {
            let (p, f, _) = fixture::parse(&format!("{text}$0"));
            let toks = tokens(&p, f);
            for w in toks.windows(2) {
                assert!(w[0].span.end <= w[1].span.start, "{text}: {toks:?}");
            }
        }
    }
}
