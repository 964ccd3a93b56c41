//! What the editor features compute, in the language's own terms: byte
//! offsets and spans into source texts, files by their index in a
//! [`Program`]. Nothing here knows LSP or JSON; `crate::lsp` converts.

pub mod actions;
pub mod completion;
pub mod format;
pub mod hints;
pub mod hover;
pub mod navigation;
pub mod ranges;
pub mod resolve;
pub mod semantic;
pub mod signature;
pub mod symbols;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use resolve::{FileIndex, ItemInfo, ItemKind, Role, Target};
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
    /// The first top-level flow of each name: its file and index there.
    flows: HashMap<String, (usize, usize)>,
    /// The first activity declaration of each name (the one the checker
    /// uses; E0200 reports the others).
    declared: HashMap<String, (usize, usize)>,
    /// The first `type` declaration of each name.
    types: HashMap<String, (usize, usize)>,
    /// The activities: the declared ones, and names called that are no
    /// flow or built-in, with their call sites.
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
    /// An activity: declared, or called somewhere in the program.
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
    /// Its declaration (its file and the item), if it has one.
    pub decl: Option<(usize, &'p ItemInfo)>,
}

/// What a type's name means in a program.
#[derive(Clone, Copy, Debug)]
pub enum TypeName<'p> {
    /// A built-in type, with what it admits.
    Builtin(&'static (&'static str, &'static str)),
    /// A `type` declaration.
    Declared {
        /// Its file.
        file: usize,
        /// The item.
        item: &'p ItemInfo,
    },
    /// Neither (E0201).
    Unknown,
}

impl Program {
    /// A program of `files`.
    pub fn new(files: Vec<Arc<File>>) -> Program {
        let mut flows = HashMap::new();
        let mut declared = HashMap::new();
        let mut types = HashMap::new();
        for (f, file) in files.iter().enumerate() {
            for (i, item) in file.index.items.iter().enumerate() {
                if item.name.name.is_empty() {
                    continue;
                }
                let map = match item.kind {
                    ItemKind::Flow { .. } => &mut flows,
                    ItemKind::Activity { .. } => &mut declared,
                    ItemKind::Type { .. } => &mut types,
                };
                map.entry(item.name.name.clone()).or_insert((f, i));
            }
        }
        let mut activities: BTreeMap<String, Vec<Location>> = BTreeMap::new();
        for name in declared.keys() {
            if !flows.contains_key(name) && lang::builtin(name).is_none() {
                activities.insert(name.clone(), Vec::new());
            }
        }
        for (f, file) in files.iter().enumerate() {
            for r in &file.index.refs {
                if r.target == Target::Global
                    && r.role == Role::Call
                    && !flows.contains_key(&r.name)
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
            flows,
            declared,
            types,
            activities,
        }
    }

    /// A program of one file, for tests.
    pub fn single(name: &str, text: &str) -> Program {
        Program::new(vec![Arc::new(File::new(name, text))])
    }

    /// What the global `name` means: a flow of the program first (as the
    /// checker resolves calls), then a built-in, then an activity
    /// (declared or not).
    pub fn global(&self, name: &str) -> Global<'_> {
        if let Some(&(file, i)) = self.flows.get(name) {
            return Global::Flow {
                file,
                item: &self.files[file].index.items[i],
            };
        }
        if let Some(b) = lang::builtin(name) {
            return Global::Builtin(b);
        }
        match self.activities.get_key_value(name) {
            Some((name, calls)) => Global::Activity(self.activity(name, calls)),
            None => Global::Unknown,
        }
    }

    fn activity<'p>(&'p self, name: &'p str, calls: &'p [Location]) -> Activity<'p> {
        let decl = self
            .declared
            .get(name)
            .map(|&(f, i)| (f, &self.files[f].index.items[i]));
        Activity { name, calls, decl }
    }

    /// Where the parameter `name` of the global `callee` is declared: a
    /// flow's parameter, or a declared activity's. What a named argument
    /// `name:` at a call of `callee` passes.
    pub fn parameter(&self, callee: &str, name: &str) -> Option<Location> {
        match self.global(callee) {
            Global::Flow { file, item } => {
                let index = &self.files[file].index;
                let scope = index
                    .scopes
                    .iter()
                    .find(|s| s.parent.is_none() && s.span == item.span)?;
                let var = &index.vars[*scope.names.get(name)?];
                (var.kind == resolve::VarKind::Param).then_some(Location {
                    file,
                    span: var.def,
                })
            }
            Global::Activity(a) => {
                let (file, item) = a.decl?;
                let ItemKind::Activity { params, .. } = &item.kind else {
                    return None;
                };
                let p = params.iter().find(|p| p.name.name == name)?;
                Some(Location {
                    file,
                    span: p.name.span,
                })
            }
            Global::Builtin(_) | Global::Unknown => None,
        }
    }

    /// The name written at `at`.
    pub fn ref_at(&self, at: Location) -> Option<&resolve::NameRef> {
        self.files.get(at.file)?.index.ref_at(at.span.start)
    }

    /// What the type name `name` means: a built-in type first (the checker
    /// ignores declarations of those), then a `type` declaration.
    pub fn type_name(&self, name: &str) -> TypeName<'_> {
        if let Some(t) = lang::TYPES.iter().find(|(n, _)| *n == name) {
            return TypeName::Builtin(t);
        }
        match self.types.get(name) {
            Some(&(file, i)) => TypeName::Declared {
                file,
                item: &self.files[file].index.items[i],
            },
            None => TypeName::Unknown,
        }
    }

    /// The top-level items of every file, in file order.
    pub fn items(&self) -> impl Iterator<Item = (usize, &ItemInfo)> {
        self.files
            .iter()
            .enumerate()
            .flat_map(|(f, file)| file.index.items.iter().map(move |i| (f, i)))
    }

    /// The activities of the program, by name: the declared ones (unless
    /// a flow or a built-in takes their name) and the ones called.
    pub fn activities(&self) -> impl Iterator<Item = Activity<'_>> {
        self.activities
            .iter()
            .map(|(name, calls)| self.activity(name, calls))
    }

    /// The declared types of the program, by name: each name's first
    /// declaration, as the checker takes it.
    pub fn declared_types(&self) -> Vec<(usize, &ItemInfo)> {
        let mut out: Vec<(usize, &ItemInfo)> = self
            .types
            .values()
            .map(|&(f, i)| (f, &self.files[f].index.items[i]))
            .filter(|(_, item)| !lang::is_builtin_type(&item.name.name))
            .collect();
        out.sort_by(|a, b| a.1.name.name.cmp(&b.1.name.name));
        out
    }

    /// The files as the checker takes them.
    pub fn sources(&self) -> Vec<weft_check::SourceFile<'_>> {
        self.files
            .iter()
            .map(|f| weft_check::SourceFile {
                name: &f.name,
                module: &f.parse.module,
            })
            .collect()
    }

    /// The diagnostics of every file, in file order, as `weft check` gives
    /// them: syntax errors, then (for files without any) the checker's
    /// findings. Files with syntax errors still take part in the program,
    /// so that their siblings see their flows while they are being typed.
    pub fn diagnostics(&self) -> Vec<Vec<Diagnostic>> {
        let checked = weft_check::check_program(&self.sources());
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
