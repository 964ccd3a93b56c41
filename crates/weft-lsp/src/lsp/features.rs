//! The handlers of the requests added in the second round: code actions,
//! semantic tokens, signature help, inlay hints, folding and selection
//! ranges, document highlights, workspace symbols and range formatting.
//! Each converts to and from `crate::ide`, like those in `super`.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    Documentation, InlayHint, InlayHintKind, InlayHintLabel, InlayHintParams, InlayHintTooltip,
    MarkupContent, MarkupKind, ParameterInformation, ParameterLabel, SemanticToken,
    SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensDelta,
    SemanticTokensDeltaParams, SemanticTokensEdit, SemanticTokensFullDeltaResult,
    SemanticTokensLegend, SemanticTokensParams, SemanticTokensResult, SignatureHelp,
    SignatureHelpParams, SignatureInformation, TextEdit, Url, WorkspaceEdit,
};
use weft_syntax::Span;

use super::{convert, Failed, Server};
use crate::ide::actions::{self, ActionKind};
use crate::ide::hints::{self, HintKind};
use crate::ide::semantic::{self, TokenType};
use crate::ide::signature;
use crate::ide::Location;
use crate::ide::{format, navigation, ranges, symbols};

/// The kind of the organise-declarations action: editors' "organise
/// imports" command runs it (Weft's imports are its declarations).
pub const ORGANIZE_DECLARATIONS: &str = "source.organizeImports";

impl Server<'_> {
    /// Turns `locations` with new texts into a workspace edit.
    pub(super) fn workspace_edit(
        snap: &super::Snapshot,
        edits: Vec<(Location, String)>,
    ) -> WorkspaceEdit {
        let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
        for (l, text) in edits {
            let loc = Server::location(snap, l);
            changes
                .entry(loc.uri)
                .or_default()
                .push(TextEdit::new(loc.range, text));
        }
        WorkspaceEdit::new(changes)
    }

    pub(super) fn code_action(
        &mut self,
        p: CodeActionParams,
    ) -> Result<Option<CodeActionResponse>, Failed> {
        let uri = p.text_document.uri;
        let Some(snap) = self.world.snapshot(&uri) else {
            return Ok(None);
        };
        let file = snap.file();
        let range = Span {
            start: convert::file_offset(file, p.range.start),
            end: convert::file_offset(file, p.range.end),
        };
        let diagnostics = snap
            .program
            .diagnostics()
            .into_iter()
            .nth(snap.current)
            .unwrap_or_default();
        let only = p.context.only.unwrap_or_default();
        let wanted = |kind: &CodeActionKind| {
            only.is_empty()
                || only.iter().any(|o| {
                    kind.as_str() == o.as_str()
                        || kind.as_str().starts_with(&format!("{}.", o.as_str()))
                })
        };
        let mut out = Vec::new();
        for a in actions::actions(&snap.program, snap.current, range, &diagnostics) {
            let kind = match a.kind {
                ActionKind::QuickFix => CodeActionKind::QUICKFIX,
                ActionKind::OrganizeDeclarations => CodeActionKind::from(ORGANIZE_DECLARATIONS),
            };
            if !wanted(&kind) {
                continue;
            }
            let fixes = a
                .fixes
                .and_then(|i| diagnostics.get(i))
                .map(|d| vec![convert::diagnostic(file, &uri, d, &self.docs_url)]);
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: a.title,
                kind: Some(kind),
                diagnostics: fixes,
                edit: Some(Server::workspace_edit(&snap, a.edits)),
                is_preferred: a.preferred.then_some(true),
                ..CodeAction::default()
            }));
        }
        Ok(Some(out))
    }
}

/// The legend of semantic tokens: the types in [`semantic::TOKEN_TYPES`]'s
/// order, and the modifiers by bit.
pub fn semantic_legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: semantic::TOKEN_TYPES
            .iter()
            .map(|t| match t {
                TokenType::Keyword => SemanticTokenType::KEYWORD,
                TokenType::Variable => SemanticTokenType::VARIABLE,
                TokenType::Parameter => SemanticTokenType::PARAMETER,
                TokenType::Function => SemanticTokenType::FUNCTION,
                TokenType::Method => SemanticTokenType::METHOD,
                TokenType::Property => SemanticTokenType::PROPERTY,
                TokenType::Type => SemanticTokenType::TYPE,
                TokenType::Decorator => SemanticTokenType::DECORATOR,
                TokenType::String => SemanticTokenType::STRING,
                TokenType::Number => SemanticTokenType::NUMBER,
                TokenType::Comment => SemanticTokenType::COMMENT,
                TokenType::Operator => SemanticTokenType::OPERATOR,
            })
            .collect(),
        token_modifiers: semantic::modifier::NAMES
            .iter()
            .map(|m| SemanticTokenModifier::new(m))
            .collect(),
    }
}

/// The tokens of `file` in LSP's relative encoding, one token per line
/// (a comment over several lines is cut at its line breaks, since clients
/// need not take tokens that span lines).
pub fn encode_tokens(file: &crate::ide::File, tokens: &[semantic::Token]) -> Vec<SemanticToken> {
    let mut out = Vec::with_capacity(tokens.len());
    let (mut last_line, mut last_start) = (0u32, 0u32);
    for t in tokens {
        let ty = semantic::TOKEN_TYPES
            .iter()
            .position(|x| *x == t.ty)
            .unwrap_or(0) as u32;
        let mut start = t.span.start as usize;
        let end = t.span.end as usize;
        while start < end {
            let line_end = file.text[start..end].find('\n').map_or(end, |i| start + i);
            let piece_end = if file.text[..line_end].ends_with('\r') {
                line_end - 1
            } else {
                line_end
            };
            if piece_end > start {
                let a = convert::position(&file.text, &file.lines, start as u32);
                let b = convert::position(&file.text, &file.lines, piece_end as u32);
                let delta_line = a.line - last_line;
                let delta_start = if delta_line == 0 {
                    a.character - last_start
                } else {
                    a.character
                };
                out.push(SemanticToken {
                    delta_line,
                    delta_start,
                    length: b.character - a.character,
                    token_type: ty,
                    token_modifiers_bitset: t.modifiers,
                });
                last_line = a.line;
                last_start = a.character;
            }
            start = line_end + 1;
        }
    }
    out
}

/// The one edit that turns `old` into `new`: what lies between their
/// common start and common end.
fn token_edit(old: &[SemanticToken], new: &[SemanticToken]) -> Option<SemanticTokensEdit> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    if prefix == old.len() && prefix == new.len() {
        return None;
    }
    // Offsets and counts are in integers: five per token.
    Some(SemanticTokensEdit {
        start: 5 * prefix as u32,
        delete_count: 5 * (old.len() - prefix - suffix) as u32,
        data: Some(new[prefix..new.len() - suffix].to_vec()),
    })
}

impl Server<'_> {
    /// The tokens of `uri`, remembered under a new result id for deltas.
    fn current_tokens(&mut self, uri: &Url) -> Option<(String, Vec<SemanticToken>)> {
        let snap = self.world.snapshot(uri)?;
        let tokens = semantic::tokens(&snap.program, snap.current);
        let data = encode_tokens(snap.file(), &tokens);
        self.next_id += 1;
        let id = format!("t{}", self.next_id);
        self.semantic
            .insert(uri.clone(), (id.clone(), data.clone()));
        Some((id, data))
    }

    pub(super) fn semantic_tokens_full(
        &mut self,
        p: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>, Failed> {
        Ok(self.current_tokens(&p.text_document.uri).map(|(id, data)| {
            SemanticTokensResult::Tokens(SemanticTokens {
                result_id: Some(id),
                data,
            })
        }))
    }

    pub(super) fn semantic_tokens_delta(
        &mut self,
        p: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>, Failed> {
        let uri = p.text_document.uri;
        let previous = self
            .semantic
            .get(&uri)
            .filter(|(id, _)| *id == p.previous_result_id)
            .map(|(_, data)| data.clone());
        let Some((id, data)) = self.current_tokens(&uri) else {
            return Ok(None);
        };
        Ok(Some(match previous {
            Some(old) => SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta {
                result_id: Some(id),
                edits: token_edit(&old, &data).into_iter().collect(),
            }),
            // Not the last result sent: all of them.
            None => SemanticTokensFullDeltaResult::Tokens(SemanticTokens {
                result_id: Some(id),
                data,
            }),
        }))
    }
}

impl Server<'_> {
    pub(super) fn signature_help(
        &mut self,
        p: SignatureHelpParams,
    ) -> Result<Option<SignatureHelp>, Failed> {
        let Some((snap, offset)) = self.at(&p.text_document_position_params) else {
            return Ok(None);
        };
        let Some(sig) = signature::signature_help(&snap.program, snap.current, offset) else {
            return Ok(None);
        };
        // Parameter offsets count UTF-16 units of the label.
        let units = |at: usize| sig.label[..at].encode_utf16().count() as u32;
        let parameters = sig
            .params
            .iter()
            .map(|&(a, b)| ParameterInformation {
                label: ParameterLabel::LabelOffsets([units(a), units(b)]),
                documentation: None,
            })
            .collect();
        Ok(Some(SignatureHelp {
            signatures: vec![SignatureInformation {
                label: sig.label.clone(),
                documentation: sig.doc.map(|d| {
                    Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: d,
                    })
                }),
                parameters: Some(parameters),
                active_parameter: sig.active.map(|a| a as u32),
            }],
            active_signature: Some(0),
            active_parameter: sig.active.map(|a| a as u32),
        }))
    }

    pub(super) fn inlay_hints(
        &mut self,
        p: InlayHintParams,
    ) -> Result<Option<Vec<InlayHint>>, Failed> {
        let Some(snap) = self.world.snapshot(&p.text_document.uri) else {
            return Ok(None);
        };
        let file = snap.file();
        let range = Span {
            start: convert::file_offset(file, p.range.start),
            end: convert::file_offset(file, p.range.end),
        };
        let out = hints::hints(&snap.program, snap.current, range)
            .into_iter()
            .map(|h| InlayHint {
                position: convert::position(&file.text, &file.lines, h.at),
                label: InlayHintLabel::String(h.label),
                kind: match h.kind {
                    HintKind::Type => Some(InlayHintKind::TYPE),
                    HintKind::Fork | HintKind::Wait => None,
                },
                text_edits: None,
                tooltip: Some(InlayHintTooltip::String(h.tooltip)),
                padding_left: Some(h.kind == HintKind::Wait),
                padding_right: Some(h.kind == HintKind::Fork),
                data: None,
            })
            .collect();
        Ok(Some(out))
    }
}

impl Server<'_> {
    pub(super) fn folding_ranges(
        &mut self,
        p: lsp_types::FoldingRangeParams,
    ) -> Result<Option<Vec<lsp_types::FoldingRange>>, Failed> {
        let Some(snap) = self.world.snapshot(&p.text_document.uri) else {
            return Ok(None);
        };
        let file = snap.file();
        let mut out: Vec<lsp_types::FoldingRange> = Vec::new();
        for f in ranges::folds(file) {
            let start = file.lines.line_of(f.start) as u32;
            let end = file.lines.line_of(f.end) as u32;
            let (end, kind) = match f.kind {
                // The closing bracket stays visible.
                ranges::FoldKind::Region => (end - 1, None),
                ranges::FoldKind::Comment => (end, Some(lsp_types::FoldingRangeKind::Comment)),
            };
            if end <= start
                || out
                    .iter()
                    .any(|o| o.start_line == start && o.end_line == end)
            {
                continue;
            }
            out.push(lsp_types::FoldingRange {
                start_line: start,
                end_line: end,
                kind,
                ..lsp_types::FoldingRange::default()
            });
        }
        Ok(Some(out))
    }

    pub(super) fn selection_ranges(
        &mut self,
        p: lsp_types::SelectionRangeParams,
    ) -> Result<Option<Vec<lsp_types::SelectionRange>>, Failed> {
        let Some(snap) = self.world.snapshot(&p.text_document.uri) else {
            return Ok(None);
        };
        let file = snap.file();
        let out = p
            .positions
            .iter()
            .map(|pos| {
                let spans = ranges::selection(file, convert::file_offset(file, *pos));
                // Outermost first, each the parent of the next.
                let mut range: Option<lsp_types::SelectionRange> = None;
                for s in spans.iter().rev() {
                    range = Some(lsp_types::SelectionRange {
                        range: convert::range(file, *s),
                        parent: range.map(Box::new),
                    });
                }
                range.unwrap_or(lsp_types::SelectionRange {
                    range: lsp_types::Range::new(*pos, *pos),
                    parent: None,
                })
            })
            .collect();
        Ok(Some(out))
    }

    pub(super) fn document_highlights(
        &mut self,
        p: lsp_types::DocumentHighlightParams,
    ) -> Result<Option<Vec<lsp_types::DocumentHighlight>>, Failed> {
        let Some((snap, offset)) = self.at(&p.text_document_position_params) else {
            return Ok(None);
        };
        let file = snap.file();
        Ok(Some(
            navigation::highlights(&snap.program, snap.current, offset)
                .into_iter()
                .map(|(span, write)| lsp_types::DocumentHighlight {
                    range: convert::range(file, span),
                    kind: Some(if write {
                        lsp_types::DocumentHighlightKind::WRITE
                    } else {
                        lsp_types::DocumentHighlightKind::READ
                    }),
                })
                .collect(),
        ))
    }

    pub(super) fn workspace_symbols(
        &mut self,
        p: lsp_types::WorkspaceSymbolParams,
    ) -> Result<Option<lsp_types::WorkspaceSymbolResponse>, Failed> {
        let folders = self.world.workspace_folders(&self.roots);
        let mut out = Vec::new();
        for folder in folders {
            let Some(snap) = self.world.folder_program(&folder) else {
                continue;
            };
            for (i, file) in snap.program.files.iter().enumerate() {
                for w in symbols::workspace_symbols(file, &p.query) {
                    #[allow(deprecated)] // `deprecated` is a required field of the type.
                    out.push(lsp_types::SymbolInformation {
                        name: w.symbol.name,
                        kind: super::symbol_kind(w.symbol.kind),
                        tags: None,
                        deprecated: None,
                        location: lsp_types::Location::new(
                            snap.uris[i].clone(),
                            convert::range(file, w.symbol.name_span),
                        ),
                        container_name: w.container,
                    });
                }
            }
        }
        Ok(Some(lsp_types::WorkspaceSymbolResponse::Flat(out)))
    }

    pub(super) fn range_formatting(
        &mut self,
        p: lsp_types::DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>, Failed> {
        let uri = p.text_document.uri;
        let text = self
            .world
            .text(&uri)
            .ok_or_else(|| format!("cannot read {uri}"))?;
        let file = crate::ide::File::new("", text.as_str());
        let range = Span {
            start: convert::file_offset(&file, p.range.start),
            end: convert::file_offset(&file, p.range.end),
        };
        match format::range(&text, range) {
            Ok(edits) => Ok(Some(
                edits
                    .into_iter()
                    .map(|(s, t)| TextEdit::new(convert::range(&file, s), t))
                    .collect(),
            )),
            Err(diags) => Err(super::not_formatted(&text, &diags)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::{File, Program};

    fn encoded(text: &str) -> Vec<[u32; 5]> {
        let p = Program::single("a.weft", text);
        let toks = semantic::tokens(&p, 0);
        encode_tokens(&p.files[0], &toks)
            .iter()
            .map(|t| {
                [
                    t.delta_line,
                    t.delta_start,
                    t.length,
                    t.token_type,
                    t.token_modifiers_bitset,
                ]
            })
            .collect()
    }

    #[test]
    fn relative_utf16_and_one_line_per_token() {
        // `"é😀"` is five UTF-16 units long: two for the emoji, one for `é`
        // and each quote; it starts two after `=`.
        let got = encoded("/* a\r\nbc */ flow A(x) {\n  y = \"é😀\"\n}\n");
        let kw = 0;
        let comment = semantic::TOKEN_TYPES
            .iter()
            .position(|t| *t == TokenType::Comment)
            .unwrap() as u32;
        let string = semantic::TOKEN_TYPES
            .iter()
            .position(|t| *t == TokenType::String)
            .unwrap() as u32;
        assert_eq!(got[0], [0, 0, 4, comment, 0]);
        assert_eq!(got[1], [1, 0, 5, comment, 0]);
        assert_eq!(got[2], [0, 6, 4, kw, 0]);
        assert_eq!(*got.last().unwrap(), [0, 2, 5, string, 0]);
        let _ = File::new("x", "");
    }

    #[test]
    fn one_edit_between_the_common_ends() {
        let t = |n: u32| SemanticToken {
            delta_line: n,
            delta_start: 0,
            length: 1,
            token_type: 0,
            token_modifiers_bitset: 0,
        };
        let old = [t(0), t(1), t(2), t(3)];
        let new = [t(0), t(1), t(9), t(8), t(3)];
        let e = token_edit(&old, &new).unwrap();
        assert_eq!((e.start, e.delete_count), (10, 5));
        assert_eq!(e.data.unwrap(), [t(9), t(8)]);
        assert!(token_edit(&old, &old).is_none());
    }
}
