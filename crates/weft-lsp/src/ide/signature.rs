//! Signature help: inside a call's parentheses, the signature of what is
//! called (a flow, a declared activity, a built-in, an annotation) and the
//! parameter the cursor is at: by position, or by name after `name:`.
//!
//! Like completion, it reads the tokens before the cursor, not the tree:
//! the call being typed is rarely complete.

use super::resolve::ItemKind;
use super::{Global, Program};
use weft_syntax::lang;
use weft_syntax::lexer::{lex, TokenKind};

/// A signature to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// As written: `activity Charge(card: Card, note?: string) -> {id: string}`.
    pub label: String,
    /// Each parameter: its byte range in `label`.
    pub params: Vec<(usize, usize)>,
    /// Markdown about what is called.
    pub doc: Option<String>,
    /// The parameter at the cursor, when it is one of `params`.
    pub active: Option<usize>,
}

/// The signature help at `offset` of file `file`.
pub fn signature_help(program: &Program, file: usize, offset: u32) -> Option<Signature> {
    let f = program.files.get(file)?;
    let call = call_at(&f.text, offset)?;
    let (label, doc) = describe(program, &call)?;
    let params = param_ranges(&label);
    let names: Vec<Option<&str>> = params
        .iter()
        .map(|&(a, b)| param_name(&label[a..b]))
        .collect();
    let active = match &call.named {
        Some(name) => names.iter().position(|n| *n == Some(name.as_str())),
        None => {
            // Annotations take their positional arguments first, then
            // named ones; calls name any parameter.
            let positional: Vec<usize> = if call.annotation {
                (0..params.len())
                    .filter(|&i| !label[params[i].0..params[i].1].contains(':'))
                    .collect()
            } else {
                (0..params.len()).collect()
            };
            positional.get(call.position).copied()
        }
    };
    Some(Signature {
        label,
        params,
        doc,
        active,
    })
}

/// The call around the cursor.
#[derive(Debug, PartialEq, Eq)]
struct CallAt {
    /// The callee's name.
    name: String,
    /// `@name(...)`.
    annotation: bool,
    /// How many positional arguments come before the cursor's.
    position: usize,
    /// The name of the argument at the cursor, when it is written `name:`.
    named: Option<String>,
}

/// The innermost open call's parentheses around `offset`.
fn call_at(text: &str, offset: u32) -> Option<CallAt> {
    let lexed = lex(text);
    if lexed
        .comments
        .iter()
        .any(|c| c.span.start < offset && offset < c.span.end)
    {
        return None;
    }
    let toks = &lexed.tokens;
    // Each open bracket: its kind, and for a call's `(`: the call so far.
    let mut stack: Vec<(TokenKind, Option<CallAt>)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.span.start >= offset || t.kind == TokenKind::Eof {
            break;
        }
        let prev = i.checked_sub(1).map(|p| &toks[p]);
        match t.kind {
            TokenKind::LParen => {
                let call = prev.filter(|p| p.kind == TokenKind::Ident).map(|p| CallAt {
                    name: text[p.span.start as usize..p.span.end as usize].to_string(),
                    annotation: i >= 2 && toks[i - 2].kind == TokenKind::At,
                    position: 0,
                    named: None,
                });
                stack.push((t.kind, call));
            }
            TokenKind::LBracket | TokenKind::LBrace => stack.push((t.kind, None)),
            TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace => {
                stack.pop();
            }
            TokenKind::Comma => {
                if let Some((TokenKind::LParen, Some(call))) = stack.last_mut() {
                    if call.named.take().is_none() {
                        call.position += 1;
                    }
                }
            }
            TokenKind::Colon => {
                // `name:` right after `(` or `,`: a named argument.
                let before = i.checked_sub(2).map(|p| toks[p].kind);
                if let (Some(p), Some((TokenKind::LParen, Some(call)))) = (prev, stack.last_mut()) {
                    if p.kind == TokenKind::Ident
                        && matches!(before, Some(TokenKind::LParen | TokenKind::Comma))
                    {
                        call.named =
                            Some(text[p.span.start as usize..p.span.end as usize].to_string());
                    }
                }
            }
            _ => {}
        }
    }
    match stack.pop() {
        Some((TokenKind::LParen, Some(call))) => Some(call),
        _ => None,
    }
}

/// The label and doc of what `call` calls.
fn describe(program: &Program, call: &CallAt) -> Option<(String, Option<String>)> {
    if call.annotation {
        let a = lang::annotation(&call.name).or_else(|| {
            lang::DECLARATION_ANNOTATIONS
                .iter()
                .find(|a| a.name == call.name)
        })?;
        return Some((a.signature.to_string(), Some(a.doc.to_string())));
    }
    match program.global(&call.name) {
        Global::Flow { item, .. } => Some((item.signature(), None)),
        Global::Builtin(b) => Some((b.signature.to_string(), Some(b.doc.to_string()))),
        Global::Activity(a) => {
            let (_, item) = a.decl?;
            let doc = match &item.kind {
                ItemKind::Activity {
                    http: Some((method, url)),
                    ..
                } => Some(format!("`@http`: `{method} {url}`")),
                _ => None,
            };
            Some((item.signature(), doc))
        }
        Global::Unknown => None,
    }
}

/// The byte ranges of the parameters in `label`: between the first `(`
/// and its `)`, split at the commas outside brackets and strings.
fn param_ranges(label: &str) -> Vec<(usize, usize)> {
    let Some(open) = label.find('(') else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quoted = false;
    let mut start = open + 1;
    let mut push = |a: usize, b: usize| {
        let piece = &label[a..b];
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            out.push((a + lead, a + lead + trimmed.len()));
        }
    };
    for (i, c) in label.char_indices().skip_while(|(i, _)| *i <= open) {
        match c {
            '"' => quoted = !quoted,
            '(' | '[' | '{' if !quoted => depth += 1,
            ')' if !quoted && depth == 0 => {
                push(start, i);
                break;
            }
            ')' | ']' | '}' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                push(start, i);
                start = i + 1;
            }
            _ => {}
        }
    }
    out
}

/// A parameter's name in its text (`note?: string`, `backoff: duration`,
/// `x`), when it has a plain one.
fn param_name(text: &str) -> Option<&str> {
    let name = text.split(':').next()?.trim().trim_end_matches('?');
    super::is_identifier(name).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    /// The label with the active parameter in brackets.
    fn help(text: &str) -> Option<String> {
        let (p, f, o) = fixture::parse(text);
        let s = signature_help(&p, f, o)?;
        let mut label = s.label.clone();
        if let Some(a) = s.active {
            let (x, y) = s.params[a];
            label = format!("{}[{}]{}", &label[..x], &label[x..y], &label[y..]);
        }
        Some(label)
    }

    const C: &str = "//- c.weft\nactivity Charge(card: string, amount: number, note?: string) -> {id: string}\n//- main.weft\n";

    #[test]
    fn declared_activities_by_position_and_by_name() {
        assert_eq!(
            help(&format!("{C}flow A(x) {{\n  Charge($0)\n}}\n")).unwrap(),
            "activity Charge([card: string], amount: number, note?: string) -> {id: string}"
        );
        assert_eq!(
            help(&format!("{C}flow A(x) {{\n  Charge(x, [1, 2]$0\n}}\n")).unwrap(),
            "activity Charge(card: string, [amount: number], note?: string) -> {id: string}"
        );
        assert_eq!(
            help(&format!(
                "{C}flow A(x) {{\n  Charge(x, note: \"n$0\")\n}}\n"
            ))
            .unwrap(),
            "activity Charge(card: string, amount: number, [note?: string]) -> {id: string}"
        );
        // After a named argument, the next positional one.
        assert_eq!(
            help(&format!(
                "{C}flow A(x) {{\n  Charge(x, note: \"n\", $0)\n}}\n"
            ))
            .unwrap(),
            "activity Charge(card: string, [amount: number], note?: string) -> {id: string}"
        );
        // Past the last parameter: the signature, nothing active.
        assert_eq!(
            help(&format!("{C}flow A(x) {{\n  Charge(x, 1, 2, $0)\n}}\n")).unwrap(),
            "activity Charge(card: string, amount: number, note?: string) -> {id: string}"
        );
    }

    #[test]
    fn flows_builtins_and_annotations() {
        assert_eq!(
            help("flow A(x) {\n  B(x, $0)\n}\nflow B(y, max) { return y }\n").unwrap(),
            "flow B(y, [max])"
        );
        assert_eq!(
            help("flow A(x) {\n  ParallelForEach(x, func(i) { return F($0) })\n}\n"),
            None,
            "F is an undeclared activity"
        );
        assert_eq!(
            help("flow A(x) {\n  ParallelForEach(x, $0)\n}\n").unwrap(),
            "ParallelForEach(list, [func(item) { ... }]) -> [results]"
        );
        assert_eq!(
            help("flow A(x) {\n  F(x) @retry(3, backoff: $0)\n}\n").unwrap(),
            "@retry(n, [backoff: duration], maxBackoff: duration)"
        );
        assert_eq!(
            help("flow A(x) {\n  F(x) @retry($0)\n}\n").unwrap(),
            "@retry([n], backoff: duration, maxBackoff: duration)"
        );
        // Nested: the innermost call; outside any call: nothing.
        assert_eq!(
            help("flow A(x) {\n  B(len($0), 1)\n}\nflow B(y, max) { return y }\n").unwrap(),
            "len([x]) -> number"
        );
        assert_eq!(help("flow A(x) {\n  y = [1, $0]\n}\n"), None);
        assert_eq!(help("flow A(x) {\n  // B($0\n}\n"), None);
    }
}
