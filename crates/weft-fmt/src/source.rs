//! What the layout needs from the source text besides the tree: the
//! comments, taken one by one in order, and where line breaks and a few
//! punctuation tokens are.

use weft_syntax::lexer::{lex, Comment, Token, TokenKind};

/// The source text, its tokens, and a cursor over its comments.
pub(crate) struct Source<'a> {
    text: &'a str,
    comments: &'a [Comment],
    /// The first comment not yet placed.
    next: usize,
    /// Tokens without line breaks, in order, for finding punctuation that
    /// the tree does not locate (the parentheses of a call, `else`).
    tokens: Vec<Token>,
}

impl<'a> Source<'a> {
    /// `comments` must be the comments of `text`, in order.
    pub(crate) fn new(text: &'a str, comments: &'a [Comment]) -> Source<'a> {
        let tokens = lex(text)
            .tokens
            .into_iter()
            .filter(|t| t.kind != TokenKind::Newline)
            .collect();
        Source {
            text,
            comments,
            next: 0,
            tokens,
        }
    }

    /// The next comment not yet placed.
    pub(crate) fn peek(&self) -> Option<&'a Comment> {
        self.comments.get(self.next)
    }

    /// The next comment not yet placed, if it starts before `pos`.
    pub(crate) fn peek_before(&self, pos: u32) -> Option<&'a Comment> {
        self.peek().filter(|c| c.span.start < pos)
    }

    /// Takes the next comment if it starts before `pos`.
    pub(crate) fn take_before(&mut self, pos: u32) -> Option<&'a Comment> {
        let c = self.peek_before(pos)?;
        self.next += 1;
        Some(c)
    }

    /// Every comment not yet placed, taken.
    pub(crate) fn take_rest(&mut self) -> &'a [Comment] {
        let rest = &self.comments[self.next.min(self.comments.len())..];
        self.next = self.comments.len();
        rest
    }

    /// Line breaks in the text between byte offsets `from` and `to`.
    pub(crate) fn newlines(&self, from: u32, to: u32) -> usize {
        self.slice(from, to).iter().filter(|&&b| b == b'\n').count()
    }

    /// True when a line break lies between `from` and `to`.
    pub(crate) fn has_newline(&self, from: u32, to: u32) -> bool {
        self.slice(from, to).contains(&b'\n')
    }

    /// Start of the first token of `kind` at or after `pos`.
    pub(crate) fn token_after(&self, pos: u32, kind: TokenKind) -> Option<u32> {
        let first = self.tokens.partition_point(|t| t.span.start < pos);
        self.tokens[first..]
            .iter()
            .find(|t| t.kind == kind)
            .map(|t| t.span.start)
    }

    /// The bytes between `from` and `to`, empty when `to` is not after
    /// `from` (bytes, because a line break is ASCII).
    fn slice(&self, from: u32, to: u32) -> &'a [u8] {
        let bytes = self.text.as_bytes();
        let to = (to as usize).min(bytes.len());
        bytes.get(from as usize..to).unwrap_or(&[])
    }
}

/// True for `/* ... */`, false for `// ...`.
pub(crate) fn is_block(c: &Comment) -> bool {
    c.text.starts_with("/*")
}
