//! `.proto` files compiled in memory (protox: no `protoc`), and the files a
//! `.proto` imports gathered from wherever the caller keeps them.

use std::collections::BTreeMap;

use miette::Diagnostic as _;
use prost_reflect::DescriptorPool;
use protox::file::{File, FileResolver, GoogleFileResolver};

use crate::{Error, PROTO_FILES_MAX, PROTO_FILE_BYTES_MAX};

/// The prefix of the well-known files every compile has built in
/// (`google/protobuf/timestamp.proto`, ...).
pub const BUILT_IN_PREFIX: &str = "google/protobuf/";

/// `.proto` sources by name (the name `import` statements use).
pub type Sources = BTreeMap<String, String>;

/// True when `name` is the name of a `.proto` file (a program's files of
/// that kind are deployed with it and compiled, never parsed as Weft).
pub fn is_proto(name: &str) -> bool {
    !weft_syntax::lang::is_weft_file(name)
}

/// Resolves imports from `Sources`, then from the built-in well-known files.
struct InMemory {
    sources: Sources,
    google: GoogleFileResolver,
}

impl FileResolver for InMemory {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        match self.sources.get(name) {
            Some(text) => File::from_source(name, text),
            None => self.google.open_file(name),
        }
    }
}

/// Checks the limits on a set of sources.
fn check_limits(sources: &Sources) -> Result<(), Error> {
    if sources.len() > PROTO_FILES_MAX {
        return Err(Error::TooMany {
            what: "`.proto` files",
            count: sources.len(),
            limit: PROTO_FILES_MAX,
            limit_name: "PROTO_FILES_MAX",
        });
    }
    for (name, text) in sources {
        if text.len() > PROTO_FILE_BYTES_MAX {
            return Err(Error::Proto {
                file: name.clone(),
                message: format!(
                    "the file has {} bytes; the limit is {PROTO_FILE_BYTES_MAX} (PROTO_FILE_BYTES_MAX)",
                    text.len()
                ),
                span: None,
            });
        }
    }
    Ok(())
}

/// Compiles every file of `sources` (their imports must be among them or
/// built in) into one pool of descriptors.
pub fn compile(sources: &Sources) -> Result<DescriptorPool, Error> {
    check_limits(sources)?;
    let names: Vec<String> = sources.keys().cloned().collect();
    let mut compiler = protox::Compiler::with_file_resolver(InMemory {
        sources: sources.clone(),
        google: GoogleFileResolver::new(),
    });
    compiler.include_imports(true);
    for name in &names {
        compiler
            .open_file(name)
            .map_err(|e| proto_error(&e, sources))?;
    }
    Ok(compiler.descriptor_pool())
}

/// The files `roots` need: themselves and what they import, transitively,
/// except the built-in well-known files. `read` gives a file's text by its
/// import name (`Ok(None)`: there is no such file).
pub fn gather(
    roots: &[String],
    mut read: impl FnMut(&str) -> Result<Option<String>, String>,
) -> Result<Sources, Error> {
    let mut out = Sources::new();
    let mut todo: Vec<(String, Option<String>)> = roots.iter().map(|r| (r.clone(), None)).collect();
    while let Some((name, imported_by)) = todo.pop() {
        if out.contains_key(&name) || name.starts_with(BUILT_IN_PREFIX) {
            continue;
        }
        let text = match read(&name) {
            Ok(Some(t)) => t,
            Ok(None) => {
                return Err(Error::Proto {
                    file: imported_by.unwrap_or_else(|| name.clone()),
                    message: format!("the file `{name}` is not found"),
                    span: None,
                })
            }
            Err(message) => {
                return Err(Error::Proto {
                    file: name,
                    message,
                    span: None,
                })
            }
        };
        let file = File::from_source(&name, &text)
            .map_err(|e| proto_error(&e, &Sources::from([(name.clone(), text.clone())])))?;
        for dep in &file.file_descriptor_proto().dependency {
            todo.push((dep.clone(), Some(name.clone())));
        }
        out.insert(name, text);
        if out.len() > PROTO_FILES_MAX {
            return Err(Error::TooMany {
                what: "`.proto` files",
                count: out.len(),
                limit: PROTO_FILES_MAX,
                limit_name: "PROTO_FILES_MAX",
            });
        }
    }
    check_limits(&out)?;
    Ok(out)
}

/// A protox error as `file:line:col: message`, where it has a place.
fn proto_error(e: &protox::Error, sources: &Sources) -> Error {
    let file = e.file().unwrap_or("").to_string();
    let mut message = e.to_string();
    let label = e.labels().and_then(|mut labels| labels.next());
    let span = label.map(|l| (l.offset(), l.offset() + l.len()));
    if let (Some((offset, _)), Some(text)) = (span, sources.get(&file)) {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        message = format!("{line}:{col}: {message}");
    }
    if let Some(help) = e.help() {
        message = format!("{message} ({help})");
    }
    Error::Proto {
        file,
        message,
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(files: &[(&str, &str)]) -> Sources {
        files
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn compiles_with_imports_and_well_known_types() {
        let s = sources(&[
            (
                "shop/money.proto",
                "syntax = \"proto3\"; package shop; message Money { int64 cents = 1; }",
            ),
            (
                "shop.proto",
                "syntax = \"proto3\"; package shop; import \"shop/money.proto\"; import \"google/protobuf/timestamp.proto\";\n\
                 message Price { Money amount = 1; google.protobuf.Timestamp at = 2; }\n\
                 service Prices { rpc Get(Price) returns (Price); }",
            ),
        ]);
        let pool = compile(&s).unwrap();
        assert!(pool.get_service_by_name("shop.Prices").is_some());
        assert!(pool
            .get_message_by_name("google.protobuf.Timestamp")
            .is_some());
    }

    #[test]
    fn errors_say_where() {
        let s = sources(&[(
            "a.proto",
            "syntax = \"proto3\";\nmessage A {\n  int32 x = ;\n}\n",
        )]);
        let e = compile(&s).unwrap_err().to_string();
        assert!(e.starts_with("a.proto: 3:13: "), "{e}");
        let s = sources(&[("a.proto", "syntax = \"proto3\";\nimport \"b.proto\";\n")]);
        let e = compile(&s).unwrap_err().to_string();
        assert!(e.contains("a.proto") && e.contains("b.proto"), "{e}");
    }

    #[test]
    fn gathers_imports_but_not_built_in_files() {
        let disk = sources(&[
            ("a.proto", "syntax = \"proto3\"; import \"dir/b.proto\"; import \"google/protobuf/empty.proto\";"),
            ("dir/b.proto", "syntax = \"proto3\"; import \"c.proto\";"),
            ("c.proto", "syntax = \"proto3\";"),
            ("unused.proto", "syntax = \"proto3\";"),
        ]);
        let got = gather(&["a.proto".into()], |n| Ok(disk.get(n).cloned())).unwrap();
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            vec!["a.proto", "c.proto", "dir/b.proto"]
        );
        let e = gather(&["dir/b.proto".into()], |n| {
            Ok(disk.get(n).filter(|_| n != "c.proto").cloned())
        })
        .unwrap_err()
        .to_string();
        assert_eq!(e, "dir/b.proto: the file `c.proto` is not found");
    }

    #[test]
    fn limits_are_named() {
        let big = "x".repeat(PROTO_FILE_BYTES_MAX + 1);
        let e = compile(&sources(&[("a.proto", &big)]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("PROTO_FILE_BYTES_MAX"), "{e}");
    }
}
