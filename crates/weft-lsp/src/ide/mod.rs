//! What the editor features compute, in the language's own terms: byte
//! offsets and spans into source texts, files by their index in a
//! [`Program`]. Nothing here knows LSP or JSON; `crate::lsp` converts.

pub mod completion;
pub mod hover;
pub mod navigation;
pub mod resolve;
pub mod symbols;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use resolve::{FileIndex, ItemInfo, Role, Target};
use weft_syntax::lang::{self, Builtin};
use weft_syntax::{Diagnostic, LineIndex, Parse, Span};

/// One source file, parsed and resolved.
#[derive(Debug)]
pub struct File {
    /// Its name in messages (the file name without folders).
    pub name: String,
    /// Its text.
    pub text: String,
    /// Its lines.
    pub lines: LineIndex,
    /// Its tree and syntax errors.
    pub parse: Parse,
    /// Its names.
    pub index: FileIndex,
}

impl File {
    /// Parses and resolves `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> File {
        let text = text.into();
        let parse = weft_syntax::parse(&text);
        let index = FileIndex::new(&parse.module);
        File {
            name: name.into(),
            lines: LineIndex::new(&text),
            text,
            parse,
            index,
        }
    }

    /// The text of `span`.
    pub fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }
}

/// A location in a program: a file (its index) and a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file's index in the program.
    pub file: usize,
    /// Where in it.
    pub span: Span,
}

/// The files that are deployed together: the `.weft` files of one folder,
/// as `weft check` takes them.
#[derive(Debug)]
pub struct Program {
    /// The files, in name order.
    pub files: Vec<Arc<File>>,
    /// The first top-level item of each name: its file and index there.
    items: HashMap<String, (usize, usize)>,
    /// The activities: names called that are no flow or built-in, with
    /// their call sites.
    activities: BTreeMap<String, Vec<Location>>,
}

/// What a global name (see [`resolve`]) means in a program.
#[derive(Clone, Copy, Debug)]
pub enum Global<'p> {
    /// A top-level flow.
    Flow {
        /// Its file.
        file: usize,
        /// The item.
        item: &'p ItemInfo,
    },
    /// A built-in function.
    Builtin(&'static Builtin),
    /// An activity: called somewhere in the program.
    Activity(Activity<'p>),
    /// Nothing the program knows.
    Unknown,
}

/// An activity of the program.
#[derive(Clone, Copy, Debug)]
pub struct Activity<'p> {
    /// Its name.
    pub name: &'p str,
    /// Where it is called.
    pub calls: &'p [Location],
    // Hook: the declared contract (`activity Name(params) -> Type`) goes
    // here once the syntax has it, found through `Program::items` like a
    // flow.
}

impl Program {
    /// A program of `files`.
    pub fn new(files: Vec<Arc<File>>) -> Program {
        let mut items = HashMap::new();
        for (f, file) in files.iter().enumerate() {
            for (i, item) in file.index.items.iter().enumerate() {
                if !item.name.name.is_empty() {
                    items.entry(item.name.name.clone()).or_insert((f, i));
                }
            }
        }
        let mut activities: BTreeMap<String, Vec<Location>> = BTreeMap::new();
        for (f, file) in files.iter().enumerate() {
            for r in &file.index.refs {
                if r.target == Target::Global
                    && r.role == Role::Call
                    && !items.contains_key(&r.name)
                    && lang::builtin(&r.name).is_none()
                {
                    activities
                        .entry(r.name.clone())
                        .or_default()
                        .push(Location {
                            file: f,
                            span: r.span,
                        });
                }
            }
        }
        Program {
            files,
            items,
            activities,
        }
    }

    /// A program of one file, for tests.
    pub fn single(name: &str, text: &str) -> Program {
        Program::new(vec![Arc::new(File::new(name, text))])
    }

    /// What the global `name` means: a flow of the program first (as the
    /// checker resolves calls), then a built-in, then an activity.
    pub fn global(&self, name: &str) -> Global<'_> {
        if let Some(&(file, i)) = self.items.get(name) {
            return Global::Flow {
                file,
                item: &self.files[file].index.items[i],
            };
        }
        if let Some(b) = lang::builtin(name) {
            return Global::Builtin(b);
        }
        match self.activities.get_key_value(name) {
            Some((name, calls)) => Global::Activity(Activity { name, calls }),
            None => Global::Unknown,
        }
    }

    /// The top-level items of every file, in file order.
    pub fn items(&self) -> impl Iterator<Item = (usize, &ItemInfo)> {
        self.files
            .iter()
            .enumerate()
            .flat_map(|(f, file)| file.index.items.iter().map(move |i| (f, i)))
    }

    /// The activities of the program, by name.
    pub fn activities(&self) -> impl Iterator<Item = Activity<'_>> {
        self.activities
            .iter()
            .map(|(name, calls)| Activity { name, calls })
    }

    /// The diagnostics of every file, in file order, as `weft check` gives
    /// them: syntax errors, then (for files without any) the checker's
    /// findings. Files with syntax errors still take part in the program,
    /// so that their siblings see their flows while they are being typed.
    pub fn diagnostics(&self) -> Vec<Vec<Diagnostic>> {
        let sources: Vec<weft_check::SourceFile<'_>> = self
            .files
            .iter()
            .map(|f| weft_check::SourceFile {
                name: &f.name,
                module: &f.parse.module,
            })
            .collect();
        let checked = weft_check::check_program(&sources);
        self.files
            .iter()
            .zip(checked)
            .map(|(f, found)| {
                let mut all = f.parse.diagnostics.clone();
                if !f.parse.has_errors() {
                    all.extend(found);
                }
                all.sort_by_key(|d| (d.span.start, d.span.end));
                all
            })
            .collect()
    }
}

/// True when `name` can name a variable or a flow: an identifier that is
/// not a keyword.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !lang::KEYWORDS.contains(&name)
}

#[cfg(test)]
pub(crate) mod fixture {
    //! Test programs written with a cursor: `$0` marks the offset, and
    //! `//- name.weft` lines start the files of a program of several.

    use super::*;

    /// The program, the file of the cursor and the cursor's offset.
    pub fn parse(text: &str) -> (Program, usize, u32) {
        let mut files = Vec::new();
        let mut cursor = None;
        let chunks: Vec<(String, String)> = if text.starts_with("//- ") {
            text.split("//- ")
                .skip(1)
                .map(|chunk| {
                    let (name, body) = chunk.split_once('\n').unwrap_or((chunk, ""));
                    (name.trim().to_string(), body.to_string())
                })
                .collect()
        } else {
            vec![("main.weft".to_string(), text.to_string())]
        };
        for (i, (name, body)) in chunks.into_iter().enumerate() {
            let body = match body.find("$0") {
                Some(at) => {
                    cursor = Some((i, at as u32));
                    body.replacen("$0", "", 1)
                }
                None => body,
            };
            files.push(Arc::new(File::new(name, body)));
        }
        let (file, offset) = cursor.expect("the fixture has a `$0`");
        (Program::new(files), file, offset)
    }
}
