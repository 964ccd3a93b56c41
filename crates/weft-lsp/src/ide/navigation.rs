//! Go to definition, find references and rename.
//!
//! Variables and inline flows live in one file; flows and activities are
//! the program's, so their references span its files.

use super::resolve::{NameRef, ScopeKind, Target, VarKind};
use super::{is_identifier, Global, Location, Program};
use weft_syntax::lang;

/// Where the name at `offset` is defined: a variable's first assignment or
/// declaration, an inline flow's name, a flow's declaration (in any file of
/// the program). Built-ins and activities have none in the program.
pub fn definition(program: &Program, file: usize, offset: u32) -> Option<Location> {
    let f = program.files.get(file)?;
    let r = f.index.ref_at(offset)?;
    match &r.target {
        Target::Var(id) => Some(Location {
            file,
            span: f.index.vars[*id].def,
        }),
        Target::InlineFlow(def) => Some(Location { file, span: *def }),
        Target::Global => match program.global(&r.name) {
            Global::Flow { file, item } => Some(Location {
                file,
                span: item.name.span,
            }),
            // Hook: a declared activity's contract is its definition.
            Global::Builtin(_) | Global::Activity(_) | Global::Unknown => None,
        },
        Target::Annotation => None,
    }
}

/// Every place the name at `offset` is written, its definition first when
/// `include_declaration`, then in file and source order.
pub fn references(
    program: &Program,
    file: usize,
    offset: u32,
    include_declaration: bool,
) -> Vec<Location> {
    let Some(f) = program.files.get(file) else {
        return Vec::new();
    };
    let Some(r) = f.index.ref_at(offset) else {
        return Vec::new();
    };
    let mut out = occurrences(program, file, r);
    if !include_declaration {
        if let Some(def) = definition(program, file, offset) {
            out.retain(|l| *l != def);
        }
    } else if let Some(def) = definition(program, file, offset) {
        if let Some(i) = out.iter().position(|l| *l == def) {
            let d = out.remove(i);
            out.insert(0, d);
        }
    }
    out
}

/// Every place that names what `r` names.
fn occurrences(program: &Program, file: usize, r: &NameRef) -> Vec<Location> {
    let f = &program.files[file];
    let mut out: Vec<Location> = match &r.target {
        Target::Var(_) | Target::InlineFlow(_) => f
            .index
            .refs
            .iter()
            .filter(|x| x.target == r.target)
            .map(|x| Location { file, span: x.span })
            .collect(),
        Target::Global | Target::Annotation => program
            .files
            .iter()
            .enumerate()
            .flat_map(|(i, g)| {
                g.index
                    .refs
                    .iter()
                    .filter(|x| x.target == r.target && x.name == r.name)
                    .map(move |x| Location {
                        file: i,
                        span: x.span,
                    })
            })
            .collect(),
    };
    // A top-level flow's parameter is also named by named arguments of
    // calls of that flow.
    if let Target::Var(id) = r.target {
        let var = &f.index.vars[id];
        let scope = &f.index.scopes[var.scope];
        if var.kind == VarKind::Param && scope.kind == ScopeKind::Flow {
            if let Some(flow) = &scope.name {
                let is_this_flow = matches!(
                    program.global(&flow.name),
                    Global::Flow { file: ff, item } if ff == file && item.name.span == flow.span
                );
                if is_this_flow {
                    for (i, g) in program.files.iter().enumerate() {
                        for (callee, arg) in &g.index.named_args {
                            if *callee == flow.name && arg.name == var.name {
                                out.push(Location {
                                    file: i,
                                    span: arg.span,
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The name at `offset`, if it can be renamed; otherwise why not.
pub fn prepare_rename(program: &Program, file: usize, offset: u32) -> Result<Location, String> {
    let f = program
        .files
        .get(file)
        .ok_or_else(|| "no such file".to_string())?;
    let Some(r) = f.index.ref_at(offset) else {
        let word = word_at(&f.text, offset);
        return Err(if lang::KEYWORDS.contains(&word) {
            format!("`{word}` is a keyword of the language and cannot be renamed")
        } else {
            "there is no name to rename here".to_string()
        });
    };
    match &r.target {
        Target::Annotation => Err(format!(
            "`@{}` is an annotation of the language and cannot be renamed",
            r.name
        )),
        Target::Var(_) | Target::InlineFlow(_) => Ok(Location { file, span: r.span }),
        Target::Global => match program.global(&r.name) {
            Global::Builtin(_) => Err(format!(
                "`{}` is a built-in function and cannot be renamed",
                r.name
            )),
            Global::Unknown => Err(format!("`{}` is not defined in this program", r.name)),
            Global::Flow { .. } | Global::Activity(_) => Ok(Location { file, span: r.span }),
        },
    }
}

/// The edits that rename the name at `offset` to `new_name`: each span is
/// replaced by `new_name`. Refused, with the reason, when the name cannot
/// be renamed or the new name would change what the program means.
pub fn rename(
    program: &Program,
    file: usize,
    offset: u32,
    new_name: &str,
) -> Result<Vec<Location>, String> {
    prepare_rename(program, file, offset)?;
    let f = &program.files[file];
    let r = f
        .index
        .ref_at(offset)
        .ok_or_else(|| "there is no name to rename here".to_string())?;
    if lang::KEYWORDS.contains(&new_name) {
        return Err(format!("`{new_name}` is a keyword"));
    }
    if !is_identifier(new_name) {
        return Err(format!(
            "`{new_name}` is not a name: use letters, digits and `_`, not starting with a digit"
        ));
    }
    if lang::builtin(new_name).is_some() {
        return Err(format!("`{new_name}` is the name of a built-in function"));
    }
    let edits = occurrences(program, file, r);
    if new_name == r.name {
        return Ok(edits);
    }
    match &r.target {
        Target::Var(_) | Target::InlineFlow(_) => {
            // Conservative: the new name must not be written anywhere in
            // the top-level flow (a variable, a flow or an activity called
            // there would change meaning, or capture the renamed one).
            let scope = r
                .scope
                .or_else(|| f.index.scope_at(r.span.start))
                .map(|s| f.index.top_scope(s));
            if let Some(top) = scope {
                let clash = f.index.refs.iter().any(|x| {
                    x.name == new_name && x.scope.is_some_and(|s| f.index.is_within(s, top))
                });
                if clash {
                    let flow = f.index.scopes[top]
                        .name
                        .as_ref()
                        .map(|n| n.name.clone())
                        .unwrap_or_default();
                    return Err(format!("`{new_name}` is already used in flow `{flow}`"));
                }
            }
        }
        Target::Global => {
            match program.global(new_name) {
                Global::Flow { .. } => {
                    return Err(format!("the program already has a flow named `{new_name}`"))
                }
                Global::Activity(_) => {
                    return Err(format!(
                        "the program already calls an activity named `{new_name}`"
                    ))
                }
                Global::Builtin(_) | Global::Unknown => {}
            }
            // Where the renamed name is used, `new_name` must not be a
            // variable or an inline flow: the calls would go to them.
            for (i, g) in program.files.iter().enumerate() {
                for x in &g.index.refs {
                    if x.name != new_name || matches!(x.target, Target::Global) {
                        continue;
                    }
                    let Some(top) = x.scope.map(|s| g.index.top_scope(s)) else {
                        continue;
                    };
                    let uses_old = edits
                        .iter()
                        .any(|l| l.file == i && g.index.scopes[top].span.contains(l.span.start));
                    if uses_old {
                        return Err(format!(
                            "`{new_name}` is a variable or inline flow where `{}` is used",
                            r.name
                        ));
                    }
                }
            }
        }
        Target::Annotation => unreachable!("prepare_rename refuses annotations"),
    }
    Ok(edits)
}

/// The identifier-like word around `offset`.
fn word_at(text: &str, offset: u32) -> &str {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut start = (offset as usize).min(text.len());
    while start > 0 && is_word(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = (offset as usize).min(text.len());
    while end < text.len() && is_word(bytes[end]) {
        end += 1;
    }
    text.get(start..end).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    /// The locations as `file:line:col`.
    fn show(program: &Program, locs: &[Location]) -> Vec<String> {
        locs.iter()
            .map(|l| {
                let f = &program.files[l.file];
                let p = f.lines.line_col(&f.text, l.span.start);
                format!("{}:{}:{}", f.name, p.line, p.col)
            })
            .collect()
    }

    #[test]
    fn definition_of_variables_and_flows() {
        let (p, f, o) = fixture::parse("flow A(x) {\n  y = 1\n  y = y + $0x\n}\n");
        assert_eq!(
            show(&p, &[definition(&p, f, o).unwrap()]),
            ["main.weft:1:8"]
        );
        let (p, f, o) = fixture::parse("flow A(x) {\n  y = 1\n  y = $0y + x\n}\n");
        assert_eq!(
            show(&p, &[definition(&p, f, o).unwrap()]),
            ["main.weft:2:3"]
        );
        let (p, f, o) = fixture::parse(
            "//- a.weft\nflow A(x) { return $0B(x) }\n//- b.weft\nflow B(y) { return y }\n",
        );
        assert_eq!(show(&p, &[definition(&p, f, o).unwrap()]), ["b.weft:1:6"]);
        let (p, f, o) = fixture::parse("flow A(x) { return le$0n(x) }\n");
        assert_eq!(definition(&p, f, o), None);
    }

    #[test]
    fn references_across_files() {
        let (p, f, o) = fixture::parse(
            "//- a.weft\nflow A(x) { return $0B(x) + B(1) }\n//- b.weft\nflow B(y) { return y }\n",
        );
        assert_eq!(
            show(&p, &references(&p, f, o, true)),
            ["b.weft:1:6", "a.weft:1:20", "a.weft:1:27"]
        );
        assert_eq!(
            show(&p, &references(&p, f, o, false)),
            ["a.weft:1:20", "a.weft:1:27"]
        );
    }

    #[test]
    fn rename_variables_and_flows() {
        let (p, f, o) = fixture::parse(
            "flow A(x) {\n  y = $0x\n  g = func() { return x }\n}\nflow B() { return A(x: 1) }\n",
        );
        assert_eq!(
            show(&p, &rename(&p, f, o, "input").unwrap()),
            [
                "main.weft:1:8",
                "main.weft:2:7",
                "main.weft:3:23",
                "main.weft:5:21"
            ]
        );
        assert_eq!(
            rename(&p, f, o, "y").unwrap_err(),
            "`y` is already used in flow `A`"
        );
        assert_eq!(rename(&p, f, o, "if").unwrap_err(), "`if` is a keyword");
        assert_eq!(
            rename(&p, f, o, "len").unwrap_err(),
            "`len` is the name of a built-in function"
        );
        assert!(rename(&p, f, o, "9x").is_err());
        let (p, f, o) = fixture::parse("flow A(x) {\n  return $0len(x)\n}\n");
        assert_eq!(
            prepare_rename(&p, f, o).unwrap_err(),
            "`len` is a built-in function and cannot be renamed"
        );
        let (p, f, o) = fixture::parse("flow A(x) {\n  re$0turn x\n}\n");
        assert_eq!(
            prepare_rename(&p, f, o).unwrap_err(),
            "`return` is a keyword of the language and cannot be renamed"
        );
        let (p, f, o) = fixture::parse("flow A(x) {\n  F(x) @re$0try(1)\n}\n");
        assert!(prepare_rename(&p, f, o).is_err());
        let (p, f, o) = fixture::parse(
            "//- a.weft\nflow A(x) { return $0B(x) }\n//- b.weft\nflow B(y) { return y }\nflow C(B2) { return B2 }\n",
        );
        assert_eq!(
            show(&p, &rename(&p, f, o, "Bee").unwrap()),
            ["a.weft:1:20", "b.weft:1:6"]
        );
        assert_eq!(
            rename(&p, f, o, "C").unwrap_err(),
            "the program already has a flow named `C`"
        );
        assert_eq!(
            rename(&p, f, o, "x").unwrap_err(),
            "`x` is a variable or inline flow where `B` is used"
        );
    }
}
