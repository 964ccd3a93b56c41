//! The protocol: the main loop over an `lsp-server` connection, requests
//! and notifications turned into calls of `crate::ide`, and the answers
//! turned back into LSP types.
//!
//! One thread does everything, in the order messages arrive (so a request
//! always sees every change sent before it). Diagnostics are published
//! when no message is waiting: a burst of changes while typing is checked
//! once, at its end. Every handler runs under `catch_unwind`: a bug answers
//! one request with an error instead of ending the session.

mod convert;
mod world;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    PrepareRenameRequest, References, Rename, Request as _,
};
use lsp_types::{
    CompletionItemKind, CompletionOptions, CompletionParams, CompletionResponse,
    DocumentFormattingParams, DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse,
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents, HoverParams,
    HoverProviderCapability, MarkupContent, MarkupKind, OneOf, PositionEncodingKind,
    PrepareRenameResponse, PublishDiagnosticsParams, ReferenceParams, RenameOptions, RenameParams,
    ServerCapabilities, SymbolKind, TextDocumentPositionParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Url,
    WorkspaceEdit,
};

use crate::ide::completion::{self, CompletionKind};
use crate::ide::{hover, navigation, symbols, Location};
use crate::Error;
use world::{Snapshot, World};

/// What the server can do, as announced to the client.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["@".to_string(), ".".to_string()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// Runs a session on `connection`: the `initialize` handshake, then
/// messages until `shutdown` and `exit`.
pub fn serve(connection: &Connection) -> Result<(), Error> {
    let (id, _params) = connection
        .initialize_start()
        .map_err(|e| Error::Protocol(e.to_string()))?;
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": {"name": "weft", "version": env!("CARGO_PKG_VERSION")},
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| Error::Protocol(e.to_string()))?;
    let mut server = Server {
        connection,
        world: World::default(),
        dirty: BTreeSet::new(),
    };
    server.main_loop()
}

struct Server<'c> {
    connection: &'c Connection,
    world: World,
    /// Documents changed since diagnostics were last published.
    dirty: BTreeSet<Url>,
}

/// A handler's failure: the message the client shows.
type Failed = String;

impl Server<'_> {
    fn main_loop(&mut self) -> Result<(), Error> {
        loop {
            let message = if self.dirty.is_empty() {
                match self.connection.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => return Err(Error::Disconnected),
                }
            } else {
                match self.connection.receiver.try_recv() {
                    Ok(m) => m,
                    Err(e) if e.is_empty() => {
                        self.publish_diagnostics();
                        continue;
                    }
                    Err(_) => return Err(Error::Disconnected),
                }
            };
            match message {
                Message::Request(req) => {
                    if self
                        .connection
                        .handle_shutdown(&req)
                        .map_err(|e| Error::Protocol(e.to_string()))?
                    {
                        return Ok(());
                    }
                    let response = self.request(req);
                    self.send(response.into());
                }
                Message::Notification(n) => {
                    if n.method == "exit" {
                        return Err(Error::ExitWithoutShutdown);
                    }
                    let method = n.method.clone();
                    if catch_unwind(AssertUnwindSafe(|| self.notification(n))).is_err() {
                        tracing::error!(method = %method, "internal error handling {method}");
                    }
                }
                Message::Response(_) => {}
            }
        }
    }

    fn send(&self, message: Message) {
        // The writer only goes away with the client; the next receive
        // then ends the loop.
        let _ = self.connection.sender.send(message);
    }

    // ----- notifications -----

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                {
                    let doc = p.text_document;
                    self.dirty.insert(doc.uri.clone());
                    self.world.open(doc.uri, doc.version, doc.text);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                {
                    let doc = p.text_document;
                    self.world.change(&doc.uri, doc.version, p.content_changes);
                    self.dirty.insert(doc.uri);
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(n.params)
                {
                    self.dirty.insert(p.text_document.uri);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                {
                    let uri = p.text_document.uri;
                    self.world.close(&uri);
                    self.dirty.remove(&uri);
                    self.publish(uri.clone(), None, Vec::new());
                    // Its siblings now see the file as saved on disk.
                    for sibling in self.world.open_siblings(&uri) {
                        self.dirty.insert(sibling);
                    }
                }
            }
            _ => {}
        }
    }

    /// Checks the programs of the changed documents and publishes the
    /// diagnostics of every open document in them.
    fn publish_diagnostics(&mut self) {
        let dirty = std::mem::take(&mut self.dirty);
        let mut done: HashSet<Url> = HashSet::new();
        for uri in dirty {
            if done.contains(&uri) || !self.world.is_open(&uri) {
                continue;
            }
            let Some(snap) = self.world.snapshot(&uri) else {
                continue;
            };
            let Ok(diagnostics) = catch_unwind(AssertUnwindSafe(|| snap.program.diagnostics()))
            else {
                tracing::error!(uri = %uri, "internal error checking {uri}");
                continue;
            };
            for ((u, file), diags) in snap.uris.iter().zip(&snap.program.files).zip(diagnostics) {
                if !self.world.is_open(u) || !done.insert(u.clone()) {
                    continue;
                }
                let list = diags
                    .iter()
                    .map(|d| convert::diagnostic(file, u, d))
                    .collect();
                self.publish(u.clone(), self.world.version(u), list);
            }
        }
    }

    fn publish(&self, uri: Url, version: Option<i32>, diagnostics: Vec<lsp_types::Diagnostic>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.to_string(), params).into());
    }

    // ----- requests -----

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let method = req.method.clone();
        match catch_unwind(AssertUnwindSafe(|| self.dispatch(req))) {
            Ok(response) => response,
            Err(_) => {
                tracing::error!(method = %method, "internal error handling {method}");
                Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    format!("weft lsp: internal error handling {method}"),
                )
            }
        }
    }

    fn dispatch(&mut self, req: Request) -> Response {
        match req.method.as_str() {
            Completion::METHOD => self.on::<Completion>(req, Server::completion),
            HoverRequest::METHOD => self.on::<HoverRequest>(req, Server::hover),
            GotoDefinition::METHOD => self.on::<GotoDefinition>(req, Server::definition),
            References::METHOD => self.on::<References>(req, Server::references),
            PrepareRenameRequest::METHOD => {
                self.on::<PrepareRenameRequest>(req, Server::prepare_rename)
            }
            Rename::METHOD => self.on::<Rename>(req, Server::rename),
            DocumentSymbolRequest::METHOD => {
                self.on::<DocumentSymbolRequest>(req, Server::document_symbols)
            }
            Formatting::METHOD => self.on::<Formatting>(req, Server::formatting),
            _ => Response::new_err(
                req.id,
                ErrorCode::MethodNotFound as i32,
                format!("weft lsp does not handle {}", req.method),
            ),
        }
    }

    /// Decodes the parameters of `req`, runs `handler`, encodes its answer.
    fn on<R: lsp_types::request::Request>(
        &mut self,
        req: Request,
        handler: fn(&mut Self, R::Params) -> Result<R::Result, Failed>,
    ) -> Response {
        match serde_json::from_value::<R::Params>(req.params) {
            Err(e) => Response::new_err(req.id, ErrorCode::InvalidParams as i32, e.to_string()),
            Ok(params) => match handler(self, params) {
                Ok(result) => Response::new_ok(req.id, result),
                Err(message) => Response::new_err(req.id, ErrorCode::RequestFailed as i32, message),
            },
        }
    }

    /// The program of the document at `pos` and the byte offset of `pos`.
    fn at(&mut self, pos: &TextDocumentPositionParams) -> Option<(Snapshot, u32)> {
        let snap = self.world.snapshot(&pos.text_document.uri)?;
        let offset = convert::file_offset(snap.file(), pos.position);
        Some((snap, offset))
    }

    fn location(snap: &Snapshot, l: Location) -> lsp_types::Location {
        lsp_types::Location::new(
            snap.uris[l.file].clone(),
            convert::range(&snap.program.files[l.file], l.span),
        )
    }

    fn completion(&mut self, p: CompletionParams) -> Result<Option<CompletionResponse>, Failed> {
        let Some((snap, offset)) = self.at(&p.text_document_position) else {
            return Ok(None);
        };
        let items = completion::completions(&snap.program, snap.current, offset)
            .into_iter()
            .map(|c| lsp_types::CompletionItem {
                label: c.label,
                kind: Some(match c.kind {
                    CompletionKind::Keyword => CompletionItemKind::KEYWORD,
                    CompletionKind::Variable => CompletionItemKind::VARIABLE,
                    CompletionKind::Flow => CompletionItemKind::FUNCTION,
                    CompletionKind::Builtin => CompletionItemKind::FUNCTION,
                    CompletionKind::Activity => CompletionItemKind::METHOD,
                    CompletionKind::Annotation => CompletionItemKind::PROPERTY,
                    CompletionKind::NamedArgument => CompletionItemKind::FIELD,
                    CompletionKind::Type => CompletionItemKind::STRUCT,
                    CompletionKind::Field => CompletionItemKind::FIELD,
                }),
                detail: c.detail,
                documentation: c.doc.map(|d| {
                    lsp_types::Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: d,
                    })
                }),
                insert_text: c.insert,
                ..lsp_types::CompletionItem::default()
            })
            .collect();
        Ok(Some(CompletionResponse::Array(items)))
    }

    fn hover(&mut self, p: HoverParams) -> Result<Option<Hover>, Failed> {
        let Some((snap, offset)) = self.at(&p.text_document_position_params) else {
            return Ok(None);
        };
        Ok(
            hover::hover(&snap.program, snap.current, offset).map(|h| Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: h.markdown,
                }),
                range: Some(convert::range(snap.file(), h.span)),
            }),
        )
    }

    fn definition(
        &mut self,
        p: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>, Failed> {
        let Some((snap, offset)) = self.at(&p.text_document_position_params) else {
            return Ok(None);
        };
        Ok(navigation::definition(&snap.program, snap.current, offset)
            .map(|l| GotoDefinitionResponse::Scalar(Server::location(&snap, l))))
    }

    fn references(
        &mut self,
        p: ReferenceParams,
    ) -> Result<Option<Vec<lsp_types::Location>>, Failed> {
        let Some((snap, offset)) = self.at(&p.text_document_position) else {
            return Ok(None);
        };
        let refs = navigation::references(
            &snap.program,
            snap.current,
            offset,
            p.context.include_declaration,
        );
        Ok(Some(
            refs.into_iter()
                .map(|l| Server::location(&snap, l))
                .collect(),
        ))
    }

    fn prepare_rename(
        &mut self,
        p: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>, Failed> {
        let Some((snap, offset)) = self.at(&p) else {
            return Ok(None);
        };
        let l = navigation::prepare_rename(&snap.program, snap.current, offset)?;
        Ok(Some(PrepareRenameResponse::Range(convert::range(
            snap.file(),
            l.span,
        ))))
    }

    fn rename(&mut self, p: RenameParams) -> Result<Option<WorkspaceEdit>, Failed> {
        let Some((snap, offset)) = self.at(&p.text_document_position) else {
            return Ok(None);
        };
        let edits = navigation::rename(&snap.program, snap.current, offset, &p.new_name)?;
        let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
        for l in edits {
            let loc = Server::location(&snap, l);
            changes
                .entry(loc.uri)
                .or_default()
                .push(TextEdit::new(loc.range, p.new_name.clone()));
        }
        Ok(Some(WorkspaceEdit::new(changes)))
    }

    fn document_symbols(
        &mut self,
        p: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>, Failed> {
        let Some(snap) = self.world.snapshot(&p.text_document.uri) else {
            return Ok(None);
        };
        let file = snap.file();
        #[allow(deprecated)] // `deprecated` is a required field of the type.
        fn convert_symbol(file: &crate::ide::File, s: symbols::Symbol) -> DocumentSymbol {
            DocumentSymbol {
                name: s.name,
                detail: Some(s.detail),
                kind: match s.kind {
                    symbols::SymbolKind::Flow => SymbolKind::FUNCTION,
                    symbols::SymbolKind::InlineFlow => SymbolKind::FUNCTION,
                    symbols::SymbolKind::Activity => SymbolKind::METHOD,
                    symbols::SymbolKind::Type => SymbolKind::STRUCT,
                },
                tags: None,
                deprecated: None,
                range: convert::range(file, s.span),
                selection_range: convert::range(file, s.name_span),
                children: Some(
                    s.children
                        .into_iter()
                        .map(|c| convert_symbol(file, c))
                        .collect(),
                ),
            }
        }
        let list = symbols::document_symbols(file)
            .into_iter()
            .map(|s| convert_symbol(file, s))
            .collect();
        Ok(Some(DocumentSymbolResponse::Nested(list)))
    }

    fn formatting(&mut self, p: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>, Failed> {
        let uri = p.text_document.uri;
        let text = self
            .world
            .text(&uri)
            .ok_or_else(|| format!("cannot read {uri}"))?;
        match weft_fmt::format_source(&text) {
            Ok(formatted) if formatted == text => Ok(Some(Vec::new())),
            Ok(formatted) => {
                let file = crate::ide::File::new("", text.as_str());
                let end = convert::position(&file.text, &file.lines, text.len() as u32);
                Ok(Some(vec![TextEdit::new(
                    lsp_types::Range::new(lsp_types::Position::new(0, 0), end),
                    formatted,
                )]))
            }
            Err(diags) => {
                let first = diags.iter().find(|d| d.is_error()).or(diags.first());
                match first {
                    Some(d) if d.code == weft_fmt::UNSAFE_OUTPUT_CODE => Err(d.message.clone()),
                    Some(d) => {
                        let lines = weft_syntax::LineIndex::new(&text);
                        let at = lines.line_col(&text, d.span.start);
                        Err(format!(
                            "not formatted: the file has syntax errors; fix them first (line {}: {})",
                            at.line, d.message
                        ))
                    }
                    None => Err("not formatted".to_string()),
                }
            }
        }
    }
}
