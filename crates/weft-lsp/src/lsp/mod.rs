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
mod features;
pub(crate) mod transport;
mod world;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};

use std::sync::mpsc::{RecvTimeoutError, TryRecvError};
use std::time::Duration;

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Exit, Initialized, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    Initialize, PrepareRenameRequest, References, RegisterCapability, Rename, Request as _,
    SemanticTokensFullDeltaRequest, SemanticTokensFullRequest, Shutdown,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionItemKind,
    CompletionList, CompletionOptions, CompletionParams, CompletionResponse, CompletionTextEdit,
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions,
    DocumentFormattingParams, DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse,
    FileSystemWatcher, GlobPattern, GotoDefinitionParams, GotoDefinitionResponse, Hover,
    HoverContents, HoverParams, HoverProviderCapability, InitializeParams, MarkupContent,
    MarkupKind, OneOf, PositionEncodingKind, PrepareRenameResponse, PublishDiagnosticsParams,
    ReferenceParams, Registration, RegistrationParams, RenameOptions, RenameParams,
    ServerCapabilities, SymbolKind, TextDocumentPositionParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Url,
    WorkspaceEdit,
};

use lsp_types::request::{
    DocumentHighlightRequest, FoldingRangeRequest, InlayHintRequest, RangeFormatting,
    SelectionRangeRequest, SignatureHelpRequest, WorkspaceSymbolRequest,
};

use crate::ide::completion::{self, CompletionKind};
use crate::ide::{hover, navigation, symbols, Location};
use crate::Error;
use transport::Connection;
use weft_syntax::Span;
use world::{Snapshot, Watch, World};

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
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::from(features::ORGANIZE_DECLARATIONS),
            ]),
            ..CodeActionOptions::default()
        })),
        signature_help_provider: Some(lsp_types::SignatureHelpOptions {
            trigger_characters: Some(vec!["(".to_string(), ",".to_string()]),
            retrigger_characters: Some(vec![":".to_string()]),
            work_done_progress_options: Default::default(),
        }),
        inlay_hint_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(lsp_types::FoldingRangeProviderCapability::Simple(true)),
        selection_range_provider: Some(lsp_types::SelectionRangeProviderCapability::Simple(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(
            lsp_types::SemanticTokensServerCapabilities::SemanticTokensOptions(
                lsp_types::SemanticTokensOptions {
                    legend: features::semantic_legend(),
                    full: Some(lsp_types::SemanticTokensFullOptions::Delta { delta: Some(true) }),
                    range: None,
                    ..Default::default()
                },
            ),
        ),
        ..ServerCapabilities::default()
    }
}

/// Runs a session on `connection`: messages until `exit`. Requests before
/// `initialize` get `ServerNotInitialized`; after `shutdown`, everything
/// but `exit` gets `InvalidRequest`.
pub fn serve(connection: &Connection) -> Result<(), Error> {
    let mut server = Server {
        connection,
        world: World::default(),
        dirty: BTreeSet::new(),
        phase: Phase::Uninitialized,
        watch: Watch::default(),
        next_id: 0,
        docs_url: String::new(),
        semantic: HashMap::new(),
        roots: Vec::new(),
    };
    server.main_loop()
}

/// Where the session is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Before `initialize`.
    Uninitialized,
    /// Serving.
    Running,
    /// After `shutdown`, waiting for `exit`.
    ShuttingDown,
}

struct Server<'c> {
    connection: &'c Connection,
    world: World,
    /// Documents changed since diagnostics were last published.
    dirty: BTreeSet<Url>,
    phase: Phase,
    /// How changes on disk are noticed.
    watch: Watch,
    /// The id of the next request to the client.
    next_id: i32,
    /// The diagnostics page the codes link to.
    docs_url: String,
    /// The semantic tokens last sent for each document, with their result
    /// id, for deltas.
    semantic: HashMap<Url, (String, Vec<lsp_types::SemanticToken>)>,
    /// The workspace's folders, from `initialize`.
    roots: Vec<std::path::PathBuf>,
}

/// A handler's failure: the message the client shows.
type Failed = String;

impl Server<'_> {
    fn main_loop(&mut self) -> Result<(), Error> {
        loop {
            let message = if !self.dirty.is_empty() {
                match self.connection.receiver.try_recv() {
                    Ok(m) => m,
                    Err(TryRecvError::Empty) => {
                        self.publish_diagnostics();
                        continue;
                    }
                    Err(TryRecvError::Disconnected) => return self.disconnected(),
                }
            } else if self.watch.polls() {
                match self
                    .connection
                    .receiver
                    .recv_timeout(Duration::from_millis(world::DISK_POLL_MS))
                {
                    Ok(m) => m,
                    Err(RecvTimeoutError::Timeout) => {
                        self.poll_disk();
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => return self.disconnected(),
                }
            } else {
                match self.connection.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => return self.disconnected(),
                }
            };
            match message {
                Message::Request(req) => {
                    let response = match self.phase {
                        Phase::Uninitialized if req.method == Initialize::METHOD => {
                            self.initialize(req)
                        }
                        Phase::Uninitialized => Response::new_err(
                            req.id,
                            ErrorCode::ServerNotInitialized as i32,
                            format!("weft lsp: `{}` before `initialize`", req.method),
                        ),
                        Phase::ShuttingDown => Response::new_err(
                            req.id,
                            ErrorCode::InvalidRequest as i32,
                            format!("weft lsp: `{}` after `shutdown`", req.method),
                        ),
                        Phase::Running if req.method == Initialize::METHOD => Response::new_err(
                            req.id,
                            ErrorCode::InvalidRequest as i32,
                            "weft lsp: `initialize` was already sent".to_string(),
                        ),
                        Phase::Running if req.method == Shutdown::METHOD => {
                            self.phase = Phase::ShuttingDown;
                            Response::new_ok(req.id, ())
                        }
                        Phase::Running => self.request(req),
                    };
                    self.send(response.into());
                }
                Message::Notification(n) => {
                    if n.method == Exit::METHOD {
                        return match self.phase {
                            Phase::ShuttingDown => Ok(()),
                            _ => Err(Error::ExitWithoutShutdown),
                        };
                    }
                    if self.phase != Phase::Running {
                        continue;
                    }
                    let method = n.method.clone();
                    if catch_unwind(AssertUnwindSafe(|| self.notification(n))).is_err() {
                        tracing::error!(method = %method, "internal error handling {method}");
                    }
                }
                Message::Response(r) => {
                    if let Err(e) = r.response_result {
                        log(&format!(
                            "the client refused request {}: {}",
                            r.id, e.message
                        ));
                    }
                }
            }
        }
    }

    /// The input ended: after `shutdown` that is a clean end.
    fn disconnected(&self) -> Result<(), Error> {
        match self.phase {
            Phase::ShuttingDown => Ok(()),
            _ => Err(Error::Disconnected),
        }
    }

    fn initialize(&mut self, req: Request) -> Response {
        let params: InitializeParams = match serde_json::from_value(req.params) {
            Ok(p) => p,
            Err(e) => {
                return Response::new_err(
                    req.id,
                    ErrorCode::InvalidParams as i32,
                    format!("weft lsp: `initialize` parameters: {e}"),
                )
            }
        };
        self.phase = Phase::Running;
        #[allow(deprecated)] // `rootUri` is how older clients give the folder.
        let root = params.root_uri.clone();
        self.roots = params
            .workspace_folders
            .iter()
            .flatten()
            .map(|f| f.uri.clone())
            .chain(root)
            .filter_map(|u| u.to_file_path().ok())
            .collect();
        self.roots.sort();
        self.roots.dedup();
        if let Some(url) = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("diagnosticsDocsUrl"))
            .and_then(|u| u.as_str())
        {
            self.docs_url = url.trim_end_matches('/').to_string();
        } else {
            self.docs_url = convert::default_docs_url().unwrap_or_else(|| {
                log("could not write the diagnostics page to the cache directory: diagnostics carry no link");
                String::new()
            });
        }
        let dynamic_watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        self.watch = if dynamic_watch {
            Watch::Client { registered: false }
        } else {
            Watch::Poll(Default::default())
        };
        Response::new_ok(
            req.id,
            serde_json::json!({
                "capabilities": capabilities(),
                "serverInfo": {"name": "weft", "version": env!("CARGO_PKG_VERSION")},
            }),
        )
    }

    fn send(&self, message: Message) {
        self.connection.send(message);
    }

    /// Sends a request to the client; its answer is only logged if it is
    /// an error.
    fn send_request<R: lsp_types::request::Request>(&mut self, params: R::Params) {
        self.next_id += 1;
        let req = Request::new(
            RequestId::from(format!("weft-{}", self.next_id)),
            R::METHOD.to_string(),
            params,
        );
        self.send(req.into());
    }

    /// Asks the client to tell of changes to `.weft` files on disk.
    fn register_watcher(&mut self) {
        let Watch::Client { registered } = &mut self.watch else {
            return;
        };
        if *registered {
            return;
        }
        *registered = true;
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String("**/*.weft".to_string()),
                kind: None,
            }],
        };
        self.send_request::<RegisterCapability>(RegistrationParams {
            registrations: vec![Registration {
                id: "weft-watch".to_string(),
                method: DidChangeWatchedFiles::METHOD.to_string(),
                register_options: serde_json::to_value(options).ok(),
            }],
        });
    }

    /// Looks for changes on disk in the folders of open documents (for
    /// clients that do not watch files) and checks their programs again.
    fn poll_disk(&mut self) {
        let Watch::Poll(seen) = &mut self.watch else {
            return;
        };
        for folder in self.world.open_folders() {
            let now = self.world.folder_fingerprint(&folder);
            if seen.insert(folder.clone(), now) != Some(now) {
                for uri in self.world.open_in_folder(&folder) {
                    self.dirty.insert(uri);
                }
            }
        }
        // Forget folders nothing is open in any more.
        let open = self.world.open_folders();
        seen.retain(|f, _| open.contains(f));
    }

    // ----- notifications -----

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            Initialized::METHOD => self.register_watcher(),
            DidChangeWatchedFiles::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidChangeWatchedFilesParams>(n.params) {
                    for change in p.changes {
                        let Some(folder) = world::folder_of(&change.uri) else {
                            continue;
                        };
                        for uri in self.world.open_in_folder(&folder) {
                            self.dirty.insert(uri);
                        }
                    }
                }
            }
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
                    self.semantic.remove(&uri);
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
                    .map(|d| convert::diagnostic(file, u, d, &self.docs_url))
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
            CodeActionRequest::METHOD => self.on::<CodeActionRequest>(req, Server::code_action),
            SignatureHelpRequest::METHOD => {
                self.on::<SignatureHelpRequest>(req, Server::signature_help)
            }
            InlayHintRequest::METHOD => self.on::<InlayHintRequest>(req, Server::inlay_hints),
            FoldingRangeRequest::METHOD => {
                self.on::<FoldingRangeRequest>(req, Server::folding_ranges)
            }
            SelectionRangeRequest::METHOD => {
                self.on::<SelectionRangeRequest>(req, Server::selection_ranges)
            }
            DocumentHighlightRequest::METHOD => {
                self.on::<DocumentHighlightRequest>(req, Server::document_highlights)
            }
            WorkspaceSymbolRequest::METHOD => {
                self.on::<WorkspaceSymbolRequest>(req, Server::workspace_symbols)
            }
            RangeFormatting::METHOD => self.on::<RangeFormatting>(req, Server::range_formatting),
            SemanticTokensFullRequest::METHOD => {
                self.on::<SemanticTokensFullRequest>(req, Server::semantic_tokens_full)
            }
            SemanticTokensFullDeltaRequest::METHOD => {
                self.on::<SemanticTokensFullDeltaRequest>(req, Server::semantic_tokens_delta)
            }
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
        let found = completion::completions(&snap.program, snap.current, offset);
        let file = snap.file();
        let items = found
            .items
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                // A replacement of more than the typed word is a text edit;
                // editors filter it by the text it replaces.
                let (text_edit, filter_text) = match c.replace {
                    Some(span) => (
                        Some(CompletionTextEdit::Edit(TextEdit::new(
                            convert::range(file, span),
                            c.insert.clone().unwrap_or_else(|| c.label.clone()),
                        ))),
                        Some(format!(
                            "{}{}",
                            file.slice(Span::new(span.start as usize, span.start as usize + 1)),
                            c.label
                        )),
                    ),
                    None => (None, None),
                };
                lsp_types::CompletionItem {
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
                    // The server's ranking, which editors otherwise redo by
                    // label.
                    sort_text: Some(format!("{i:04}")),
                    insert_text: if text_edit.is_some() { None } else { c.insert },
                    filter_text,
                    text_edit,
                    label: c.label,
                    ..lsp_types::CompletionItem::default()
                }
            })
            .collect();
        Ok(Some(CompletionResponse::List(CompletionList {
            is_incomplete: found.incomplete,
            items,
        })))
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
        Ok(Some(Server::workspace_edit(
            &snap,
            edits.into_iter().map(|l| (l, p.new_name.clone())).collect(),
        )))
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
                kind: symbol_kind(s.kind),
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
            Err(diags) => Err(not_formatted(&text, &diags)),
        }
    }
}

/// Why `text` was not formatted, from the formatter's diagnostics.
fn not_formatted(text: &str, diags: &[weft_syntax::Diagnostic]) -> String {
    let first = diags.iter().find(|d| d.is_error()).or(diags.first());
    match first {
        Some(d) if d.code == weft_fmt::UNSAFE_OUTPUT_CODE => d.message.clone(),
        Some(d) => {
            let lines = weft_syntax::LineIndex::new(text);
            let at = lines.line_col(text, d.span.start);
            format!(
                "not formatted: the file has syntax errors; fix them first (line {}: {})",
                at.line, d.message
            )
        }
        None => "not formatted".to_string(),
    }
}

/// How LSP names a kind of symbol.
fn symbol_kind(kind: symbols::SymbolKind) -> SymbolKind {
    match kind {
        symbols::SymbolKind::Flow => SymbolKind::FUNCTION,
        symbols::SymbolKind::InlineFlow => SymbolKind::FUNCTION,
        symbols::SymbolKind::Activity => SymbolKind::METHOD,
        symbols::SymbolKind::Type => SymbolKind::STRUCT,
    }
}

/// A line in the server's log (standard error, which editors show in their
/// output panel; the binary's subscriber writes it).
fn log(message: &str) {
    tracing::warn!("{message}");
}
