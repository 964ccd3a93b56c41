//! The documents the editor has open, the files of their folders on disk,
//! and the programs they form.
//!
//! A program is the `.weft` files of one folder, as `weft check` takes
//! them: open documents from the editor's memory, the others from disk
//! (cached by modification time and size). A document that is not a file
//! (an unsaved buffer) is a program of its own.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use lsp_types::{TextDocumentContentChangeEvent, Url};
use weft_syntax::lexer::SOURCE_BYTES_MAX;
use weft_syntax::LineIndex;

use super::convert;
use crate::ide::{File, Program};

/// Most files of one folder taken into a program. `weft check` takes
/// every file it is given; a folder with more than this (not a flow
/// project, surely) gets the open documents and the first files by name,
/// and the log says so once, so that no request reads tens of thousands of
/// files.
pub const FOLDER_FILES_MAX: usize = 10_000;

/// Most `.weft` files a workspace-symbol search looks at, across the
/// folders it walks (the workspace's, recursively, and those of open
/// documents); the log says when it stops there.
pub const WORKSPACE_FILES_MAX: usize = 10_000;

/// Folders a workspace walk does not enter: build output, dependencies,
/// and hidden folders.
const SKIPPED_FOLDERS: &[&str] = &["target", "node_modules"];

/// How often the folders of open documents are looked at for changes on
/// disk, when the client does not watch files for the server.
pub const DISK_POLL_MS: u64 = 2_000;

/// How the server learns of changes to `.weft` files on disk (a `git
/// checkout`, a new file): the client tells it
/// (`workspace/didChangeWatchedFiles`, registered at `initialized`), or
/// it looks every [`DISK_POLL_MS`].
pub enum Watch {
    /// The client watches; `registered` once the server asked it to.
    Client {
        /// The registration was sent.
        registered: bool,
    },
    /// The server polls: the fingerprint of each folder's files when last
    /// seen.
    Poll(HashMap<PathBuf, u64>),
}

impl Default for Watch {
    fn default() -> Watch {
        Watch::Poll(HashMap::new())
    }
}

impl Watch {
    /// True when the server looks at the disk itself.
    pub fn polls(&self) -> bool {
        matches!(self, Watch::Poll(_))
    }
}

/// An open document.
struct Doc {
    version: i32,
    text: String,
    /// Parsed on first use after a change.
    file: Option<Arc<File>>,
}

/// A file read from disk.
struct Disk {
    modified: Option<SystemTime>,
    len: u64,
    file: Arc<File>,
}

/// The program of a document, with each file's URI.
pub struct Snapshot {
    /// The URI of each file of the program, in the program's order.
    pub uris: Vec<Url>,
    /// The program.
    pub program: Program,
    /// The index of the document asked about.
    pub current: usize,
}

impl Snapshot {
    /// The document asked about.
    pub fn file(&self) -> &File {
        &self.program.files[self.current]
    }
}

/// Everything the server knows about files.
#[derive(Default)]
pub struct World {
    docs: HashMap<Url, Doc>,
    disk: HashMap<PathBuf, Disk>,
    /// Folders whose files were cut at [`FOLDER_FILES_MAX`] (logged once).
    capped: HashSet<PathBuf>,
}

/// The name a file goes by in messages.
fn display_name(uri: &Url) -> String {
    match uri.to_file_path() {
        Ok(p) => p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        Err(()) => uri.as_str().to_string(),
    }
}

/// The folder of a file URI.
pub fn folder_of(uri: &Url) -> Option<PathBuf> {
    let path = uri.to_file_path().ok()?;
    path.parent().map(Path::to_path_buf)
}

impl World {
    /// `textDocument/didOpen`.
    pub fn open(&mut self, uri: Url, version: i32, text: String) {
        self.docs.insert(
            uri,
            Doc {
                version,
                text,
                file: None,
            },
        );
    }

    /// `textDocument/didChange`: whole texts or ranges, in order. A change
    /// to a document that is not open is ignored.
    pub fn change(
        &mut self,
        uri: &Url,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) {
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        for change in changes {
            match change.range {
                None => doc.text = change.text,
                Some(range) => {
                    let lines = LineIndex::new(&doc.text);
                    let start = convert::offset(&doc.text, &lines, range.start) as usize;
                    let end = convert::offset(&doc.text, &lines, range.end) as usize;
                    let (start, end) = (start.min(end), start.max(end));
                    doc.text.replace_range(start..end, &change.text);
                }
            }
        }
        doc.version = version;
        doc.file = None;
    }

    /// `textDocument/didClose`.
    pub fn close(&mut self, uri: &Url) {
        self.docs.remove(uri);
    }

    /// True when the editor has `uri` open.
    pub fn is_open(&self, uri: &Url) -> bool {
        self.docs.contains_key(uri)
    }

    /// The version of an open document.
    pub fn version(&self, uri: &Url) -> Option<i32> {
        self.docs.get(uri).map(|d| d.version)
    }

    /// The open documents in the folder of `uri` (itself included).
    pub fn open_siblings(&self, uri: &Url) -> Vec<Url> {
        let folder = folder_of(uri);
        self.docs
            .keys()
            .filter(|u| *u == uri || (folder.is_some() && folder_of(u) == folder))
            .cloned()
            .collect()
    }

    /// The folders of open documents.
    pub fn open_folders(&self) -> BTreeSet<PathBuf> {
        self.docs.keys().filter_map(folder_of).collect()
    }

    /// The open documents in `folder`.
    pub fn open_in_folder(&self, folder: &Path) -> Vec<Url> {
        self.docs
            .keys()
            .filter(|u| folder_of(u).as_deref() == Some(folder))
            .cloned()
            .collect()
    }

    /// A hash of the names, sizes and modification times of the `.weft`
    /// files in `folder`: it changes when one of them does.
    pub fn folder_fingerprint(&self, folder: &Path) -> u64 {
        let mut files: Vec<(PathBuf, u64, Option<SystemTime>)> = match std::fs::read_dir(folder) {
            Ok(entries) => entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "weft"))
                .take(FOLDER_FILES_MAX)
                .map(|p| {
                    let meta = std::fs::metadata(&p).ok();
                    let len = meta.as_ref().map_or(0, |m| m.len());
                    let modified = meta.and_then(|m| m.modified().ok());
                    (p, len, modified)
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        files.sort();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        files.hash(&mut h);
        h.finish()
    }

    /// The text of `uri`: the open document's, or the file's on disk.
    pub fn text(&self, uri: &Url) -> Option<String> {
        match self.docs.get(uri) {
            Some(doc) => Some(doc.text.clone()),
            None => std::fs::read_to_string(uri.to_file_path().ok()?).ok(),
        }
    }

    fn open_file(&mut self, uri: &Url) -> Option<Arc<File>> {
        let doc = self.docs.get_mut(uri)?;
        let file = doc
            .file
            .get_or_insert_with(|| Arc::new(File::new(display_name(uri), doc.text.clone())));
        Some(file.clone())
    }

    fn disk_file(&mut self, path: &Path) -> Option<Arc<File>> {
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() || meta.len() > SOURCE_BYTES_MAX as u64 {
            return None;
        }
        let modified = meta.modified().ok();
        if let Some(d) = self.disk.get(path) {
            if d.modified == modified && d.len == meta.len() && modified.is_some() {
                return Some(d.file.clone());
            }
        }
        let text = std::fs::read_to_string(path).ok()?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file = Arc::new(File::new(name, text));
        self.disk.insert(
            path.to_path_buf(),
            Disk {
                modified,
                len: meta.len(),
                file: file.clone(),
            },
        );
        Some(file)
    }

    /// The folders under `roots` (walked recursively) that hold `.weft`
    /// files, with the folders of open documents; at most
    /// [`WORKSPACE_FILES_MAX`] files in all.
    pub fn workspace_folders(&self, roots: &[PathBuf]) -> BTreeSet<PathBuf> {
        let mut out = self.open_folders();
        let mut files = 0usize;
        let mut stack: Vec<PathBuf> = roots.to_vec();
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut entries: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            entries.sort();
            for p in entries {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if p.is_dir() {
                    if !name.starts_with('.') && !SKIPPED_FOLDERS.contains(&name.as_str()) {
                        stack.push(p);
                    }
                } else if p.extension().is_some_and(|e| e == "weft") {
                    files += 1;
                    if files > WORKSPACE_FILES_MAX {
                        super::log(&format!(
                            "workspace symbols: stopped after {WORKSPACE_FILES_MAX} .weft files (WORKSPACE_FILES_MAX)"
                        ));
                        return out;
                    }
                    out.insert(dir.clone());
                }
            }
        }
        out
    }

    /// The program of the `.weft` files of `folder`.
    pub fn folder_program(&mut self, folder: &Path) -> Option<Snapshot> {
        let first = std::fs::read_dir(folder)
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "weft"))
            .min()
            .or_else(|| {
                self.docs
                    .keys()
                    .filter_map(|u| u.to_file_path().ok())
                    .find(|p| p.parent() == Some(folder))
            })?;
        self.snapshot(&Url::from_file_path(first).ok()?)
    }

    /// The program of `uri`, which must be open or on disk.
    pub fn snapshot(&mut self, uri: &Url) -> Option<Snapshot> {
        let Some(folder) = folder_of(uri) else {
            let file = self.open_file(uri)?;
            return Some(Snapshot {
                uris: vec![uri.clone()],
                program: Program::new(vec![file]),
                current: 0,
            });
        };
        // The folder's files by path: open documents, then the disk's.
        let mut members: BTreeMap<PathBuf, Url> = BTreeMap::new();
        for u in self.docs.keys() {
            if let Ok(p) = u.to_file_path() {
                if p.parent() == Some(folder.as_path()) {
                    members.insert(p, u.clone());
                }
            }
        }
        let current_path = uri.to_file_path().ok()?;
        members.entry(current_path.clone()).or_insert(uri.clone());
        if let Ok(entries) = std::fs::read_dir(&folder) {
            let mut on_disk: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "weft"))
                .collect();
            on_disk.sort();
            let total = on_disk.len();
            for p in on_disk {
                if members.len() >= FOLDER_FILES_MAX {
                    if self.capped.insert(folder.clone()) {
                        super::log(&format!(
                            "{} has {total} .weft files; only the open ones and the first by name, {FOLDER_FILES_MAX} in all (FOLDER_FILES_MAX), are taken into its program",
                            folder.display()
                        ));
                    }
                    break;
                }
                if let std::collections::btree_map::Entry::Vacant(slot) = members.entry(p) {
                    if let Ok(u) = Url::from_file_path(slot.key()) {
                        slot.insert(u);
                    }
                }
            }
        }
        let mut uris = Vec::new();
        let mut files = Vec::new();
        for (path, u) in members {
            let file = if self.docs.contains_key(&u) {
                self.open_file(&u)
            } else {
                self.disk_file(&path)
            };
            if let Some(file) = file {
                uris.push(u);
                files.push(file);
            }
        }
        let current = uris.iter().position(|u| u == uri)?;
        Some(Snapshot {
            uris,
            program: Program::new(files),
            current,
        })
    }
}
