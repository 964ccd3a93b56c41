//! The handlers of the requests added in the second round: code actions,
//! semantic tokens, signature help, inlay hints, folding and selection
//! ranges, document highlights, workspace symbols and range formatting.
//! Each converts to and from `crate::ide`, like those in `super`.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    TextEdit, Url, WorkspaceEdit,
};
use weft_syntax::Span;

use super::{convert, Failed, Server};
use crate::ide::actions::{self, ActionKind};
use crate::ide::Location;

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
