//! Go to definition, find references and rename.
//!
//! Variables and inline flows live in one file; flows, activities and
//! types are the program's, so their references span its files. A
//! parameter of an activity declaration is named again by the named
//! arguments of the activity's calls, in any file. A named argument at a
//! call stands for the callee's parameter: every request on it is the
//! request on that parameter.

use super::resolve::{ItemInfo, ItemKind, NameRef, Role, ScopeKind, Target, VarKind};
use super::{is_identifier, Global, Location, Program, TypeName};
use weft_syntax::{lang, Span};

/// Where the name at `offset` is defined: a variable's first assignment or
/// declaration, an inline flow's name, a flow's, a declared activity's or a
/// `type`'s declaration (in any file of the program), a parameter of an
/// activity declaration. Built-ins and undeclared activities have none in
/// the program.
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
            Global::Activity(a) => a.decl.map(|(file, item)| Location {
                file,
                span: item.name.span,
            }),
            Global::Builtin(_) | Global::Unknown => None,
        },
        Target::Type => match program.type_name(&r.name) {
            TypeName::Declared { file, item } => Some(Location {
                file,
                span: item.name.span,
            }),
            TypeName::Builtin(_) | TypeName::Unknown => None,
        },
        Target::DeclParam(_) => {
            let (_, p) = decl_param(program, file, r)?;
            Some(Location { file, span: p })
        }
        Target::NamedArg(callee) => program.parameter(callee, &r.name),
        Target::Annotation => None,
    }
}

/// Where the parameter that the named argument `r` passes is declared,
/// when `r` is one.
fn passed_parameter(program: &Program, r: &NameRef) -> Option<Location> {
    match &r.target {
        Target::NamedArg(callee) => program.parameter(callee, &r.name),
        _ => None,
    }
}

/// The activity declaration in `file` that the parameter reference `r` is
/// written in, and where the parameter is declared there.
fn decl_param<'p>(program: &'p Program, file: usize, r: &NameRef) -> Option<(&'p ItemInfo, Span)> {
    let item =
        program.files[file].index.items.iter().find(|i| {
            i.span.contains(r.span.start) && matches!(i.kind, ItemKind::Activity { .. })
        })?;
    let ItemKind::Activity { params, .. } = &item.kind else {
        return None;
    };
    let p = params.iter().find(|p| p.name.name == r.name)?;
    Some((item, p.name.span))
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
    if let Some(at) = passed_parameter(program, r) {
        return references(program, at.file, at.span.start, include_declaration);
    }
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
    if let Some(at) = passed_parameter(program, r) {
        return match program.ref_at(at) {
            Some(p) if !matches!(p.target, Target::NamedArg(_)) => occurrences(program, at.file, p),
            _ => vec![Location { file, span: r.span }],
        };
    }
    let f = &program.files[file];
    let mut out: Vec<Location> = match &r.target {
        // Not a parameter the callee has: only itself.
        Target::NamedArg(_) => vec![Location { file, span: r.span }],
        Target::Var(_) | Target::InlineFlow(_) => f
            .index
            .refs
            .iter()
            .filter(|x| x.target == r.target)
            .map(|x| Location { file, span: x.span })
            .collect(),
        // The parameter as declared and as `@http` names it.
        Target::DeclParam(_) => match decl_param(program, file, r) {
            Some((item, _)) => f
                .index
                .refs
                .iter()
                .filter(|x| {
                    x.target == r.target && x.name == r.name && item.span.contains(x.span.start)
                })
                .map(|x| Location { file, span: x.span })
                .collect(),
            None => vec![Location { file, span: r.span }],
        },
        Target::Global | Target::Annotation | Target::Type => program
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
    // A declared activity's parameter is named by named arguments of its
    // calls (when this declaration is the one that counts).
    if let Target::DeclParam(activity) = &r.target {
        let this = decl_param(program, file, r).map(|(item, _)| item.span);
        let counts = match program.global(activity) {
            Global::Activity(a) => a
                .decl
                .is_some_and(|(f, item)| f == file && Some(item.span) == this),
            _ => false,
        };
        if counts {
            for (i, g) in program.files.iter().enumerate() {
                for (callee, arg) in &g.index.named_args {
                    if callee == activity && arg.name == r.name {
                        out.push(Location {
                            file: i,
                            span: arg.span,
                        });
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The places of file `file` that name what the name at `offset` names,
/// each with whether it writes (defines or assigns) it.
pub fn highlights(program: &Program, file: usize, offset: u32) -> Vec<(Span, bool)> {
    let Some(f) = program.files.get(file) else {
        return Vec::new();
    };
    references(program, file, offset, true)
        .into_iter()
        .filter(|l| l.file == file)
        .map(|l| {
            let write = f
                .index
                .ref_at(l.span.start)
                .is_some_and(|r| r.span == l.span && matches!(r.role, Role::Def | Role::Write));
            (l.span, write)
        })
        .collect()
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
        Target::Type => match program.type_name(&r.name) {
            TypeName::Builtin(_) => Err(format!(
                "`{}` is a built-in type and cannot be renamed",
                r.name
            )),
            TypeName::Unknown => Err(format!("`{}` is not a declared type", r.name)),
            TypeName::Declared { .. } => Ok(Location { file, span: r.span }),
        },
        Target::DeclParam(_) => Ok(Location { file, span: r.span }),
        Target::NamedArg(callee) => match passed_parameter(program, r) {
            Some(_) => Ok(Location { file, span: r.span }),
            None => Err(format!(
                "`{callee}` has no parameter `{}` to rename",
                r.name
            )),
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
    if let Some(at) = passed_parameter(program, r) {
        return rename(program, at.file, at.span.start, new_name);
    }
    if lang::KEYWORDS.contains(&new_name) {
        return Err(format!("`{new_name}` is a keyword"));
    }
    // An activity may be renamed to a dotted name (`mandril.Send`), as it
    // may be called by one; everything else takes one plain name.
    let activity =
        r.target == Target::Global && matches!(program.global(&r.name), Global::Activity(_));
    let plain = is_identifier(new_name);
    let dotted_ok = activity && new_name.split('.').all(is_identifier);
    if !(plain || dotted_ok) {
        return Err(format!(
            "`{new_name}` is not a name: use letters, digits and `_`, not starting with a digit{}",
            if activity {
                " (or such names joined by dots)"
            } else {
                ""
            }
        ));
    }
    // A call of a dotted name whose first part is a variable or a flow
    // would call something else.
    let new_root = new_name.split('.').next().unwrap_or(new_name);
    // Types and declared parameters are not called: a built-in function's
    // name does not clash with them.
    let called = !matches!(r.target, Target::Type | Target::DeclParam(_));
    if called && lang::builtin(new_name).is_some() {
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
                // Named arguments are the callee's names, not the flow's.
                let clash = f.index.refs.iter().any(|x| {
                    x.name == new_name
                        && !matches!(x.target, Target::NamedArg(_))
                        && x.scope.is_some_and(|s| f.index.is_within(s, top))
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
            if !plain && !matches!(program.global(new_root), Global::Unknown) {
                return Err(format!(
                    "`{new_root}` names a flow or a built-in, so `{new_name}(...)` would not call an activity"
                ));
            }
            match program.global(new_name) {
                Global::Flow { .. } => {
                    return Err(format!("the program already has a flow named `{new_name}`"))
                }
                Global::Activity(a) => {
                    let does = if a.decl.is_some() {
                        "declares"
                    } else {
                        "calls"
                    };
                    return Err(format!(
                        "the program already {does} an activity named `{new_name}`"
                    ));
                }
                Global::Builtin(_) | Global::Unknown => {}
            }
            // Where the renamed name is used, `new_name` must not be a
            // variable or an inline flow: the calls would go to them.
            for (i, g) in program.files.iter().enumerate() {
                for x in &g.index.refs {
                    if x.name != new_root
                        || matches!(x.target, Target::Global | Target::NamedArg(_))
                    {
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
                            "`{new_root}` is a variable or inline flow where `{}` is used",
                            r.name
                        ));
                    }
                }
            }
        }
        Target::Type => {
            if lang::is_builtin_type(new_name) {
                return Err(format!("`{new_name}` is the name of a built-in type"));
            }
            if let TypeName::Declared { .. } = program.type_name(new_name) {
                return Err(format!("the program already has a type named `{new_name}`"));
            }
        }
        Target::DeclParam(activity) => {
            let item = decl_param(program, file, r).map(|(item, _)| item);
            if let Some(ItemInfo {
                kind: ItemKind::Activity { params, .. },
                ..
            }) = item
            {
                if params.iter().any(|p| p.name.name == new_name) {
                    return Err(format!(
                        "`{new_name}` is already a parameter of `{activity}`"
                    ));
                }
            }
            let wire = f.index.refs.iter().any(|x| {
                x.role == Role::Wire
                    && x.target == r.target
                    && x.name == r.name
                    && edits.iter().any(|e| e.file == file && e.span == x.span)
            });
            if wire {
                return Err(format!(
                    "`@http` sends `{0}` under its own name (`query` or `headers` as a list): renaming it would change the request; write `{{{0}: \"{0}\"}}` there first",
                    r.name
                ));
            }
        }
        Target::Annotation => unreachable!("prepare_rename refuses annotations"),
        Target::NamedArg(_) => unreachable!("a named argument is renamed as its parameter"),
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

    /// Declarations in `c.weft`, calls in `main.weft` (with the cursor).
    fn decl_program(contracts: &str, main: &str) -> (Program, usize, u32) {
        fixture::parse(&format!("//- c.weft\n{contracts}//- main.weft\n{main}"))
    }

    const C: &str = "type Card = {number: string}\nactivity Charge(card: Card, note?: string) -> {id: string}\nactivity GetPet(petId: int, fields?: [string]) -> any\n    @http(method: \"GET\", url: \"https://pets.test/pet/{petId}\", query: {fields: \"f\"})\nactivity Find(status: string) -> [Card] @http(method: \"GET\", url: \"https://pets.test/find\", query: [\"status\"])\n";

    #[test]
    fn definition_and_references_of_declarations() {
        let main = "flow A(x) {\n  c = Charge(x, note: \"n\")\n  return $0Charge(c)\n}\n";
        let (p, f, o) = decl_program(C, main);
        assert_eq!(show(&p, &[definition(&p, f, o).unwrap()]), ["c.weft:2:10"]);
        assert_eq!(
            show(&p, &references(&p, f, o, true)),
            ["c.weft:2:10", "main.weft:2:7", "main.weft:3:10"]
        );
        // A type, from a use.
        let (p, f, o) = decl_program(&C.replace("card: Card", "card: Ca$0rd"), "flow A() {}\n");
        assert_eq!(show(&p, &[definition(&p, f, o).unwrap()]), ["c.weft:1:6"]);
        assert_eq!(
            show(&p, &references(&p, f, o, true)),
            ["c.weft:1:6", "c.weft:2:23", "c.weft:5:35"]
        );
        // A built-in type has no definition.
        let (p, f, o) = decl_program(&C.replace("note?: string", "note?: str$0ing"), "");
        assert_eq!(definition(&p, f, o), None);
        // A parameter, from `{petId}` in the URL.
        let (p, f, o) = decl_program(&C.replace("/{petId}", "/{pe$0tId}"), "");
        assert_eq!(show(&p, &[definition(&p, f, o).unwrap()]), ["c.weft:3:17"]);
    }

    #[test]
    fn dotted_activity_names() {
        let contracts = "activity aws.TextModeration(text: string) -> {flagged: bool}\n";
        let main = "flow A(q) {\n  t = aws.TextModeration(q.text)\n  return $0aws.TextModeration(text: t)\n}\n";
        let (p, f, o) = decl_program(contracts, main);
        assert_eq!(show(&p, &[definition(&p, f, o).unwrap()]), ["c.weft:1:10"]);
        assert_eq!(
            show(&p, &references(&p, f, o, true)),
            ["c.weft:1:10", "main.weft:2:7", "main.weft:3:10"]
        );
        // From the middle of the name, and from a named argument.
        let (p, f, o) = decl_program(contracts, &main.replace("$0aws.Text", "aws.Te$0xt"));
        assert_eq!(show(&p, &[definition(&p, f, o).unwrap()]), ["c.weft:1:10"]);
        let (p, f, o) = decl_program(
            contracts,
            &main.replace("$0aws", "aws").replace("text: t", "te$0xt: t"),
        );
        assert_eq!(show(&p, &[definition(&p, f, o).unwrap()]), ["c.weft:1:29"]);
        // A variable's field holding a function is not an activity.
        let main = "flow A(q) {\n  aws = {f: func(x) { return x }}\n  return aws.$0f(q)\n}\n";
        let (p, f, o) = decl_program(contracts, main);
        assert_eq!(definition(&p, f, o), None);
        // Renamed, to another dotted name or a plain one.
        let main = "flow A(q) {\n  x = 1\n  return $0aws.TextModeration(q.text)\n}\n";
        let (p, f, o) = decl_program(contracts, main);
        let edits = rename(&p, f, o, "moderation.Text").unwrap();
        assert_eq!(show(&p, &edits), ["c.weft:1:10", "main.weft:3:10"]);
        assert!(rename(&p, f, o, "Moderate").is_ok());
        let err = rename(&p, f, o, "x.Text").unwrap_err();
        assert!(err.contains("`x` is a variable"), "{err}");
        let err = rename(&p, f, o, "len.Text").unwrap_err();
        assert!(err.contains("names a flow or a built-in"), "{err}");
        assert!(rename(&p, f, o, "a..b").is_err());
    }

    #[test]
    fn rename_declarations() {
        let main =
            "flow A(x) {\n  c = Charge(x, note: \"n\")\n  Other(c)\n  return $0Charge(c)\n}\n";
        let (p, f, o) = decl_program(C, main);
        assert_eq!(
            show(&p, &rename(&p, f, o, "Pay").unwrap()),
            ["c.weft:2:10", "main.weft:2:7", "main.weft:4:10"]
        );
        assert_eq!(
            rename(&p, f, o, "GetPet").unwrap_err(),
            "the program already declares an activity named `GetPet`"
        );
        assert_eq!(
            rename(&p, f, o, "Other").unwrap_err(),
            "the program already calls an activity named `Other`"
        );
        // A type.
        let main = main.replace("$0", "");
        let main = main.as_str();
        let (p, f, o) = decl_program(&C.replace("type Card", "type Ca$0rd"), main);
        assert_eq!(
            show(&p, &rename(&p, f, o, "PaymentCard").unwrap()),
            ["c.weft:1:6", "c.weft:2:23", "c.weft:5:35"]
        );
        assert_eq!(
            rename(&p, f, o, "string").unwrap_err(),
            "`string` is the name of a built-in type"
        );
        assert_eq!(
            rename(&p, f, o, "Card").unwrap(),
            rename(&p, f, o, "PaymentCard").unwrap()
        );
        let (p, f, o) = decl_program(&C.replace("note?: string", "note?: str$0ing"), main);
        assert_eq!(
            prepare_rename(&p, f, o).unwrap_err(),
            "`string` is a built-in type and cannot be renamed"
        );
        // A parameter: its named arguments at the calls, too.
        let (p, f, o) = decl_program(&C.replace("note?:", "no$0te?:"), main);
        assert_eq!(
            show(&p, &rename(&p, f, o, "memo").unwrap()),
            ["c.weft:2:29", "main.weft:2:17"]
        );
        assert_eq!(
            rename(&p, f, o, "card").unwrap_err(),
            "`card` is already a parameter of `Charge`"
        );
        // ... and where `@http` names it: the URL, the key of `query`.
        let calls = "flow A(x) {\n  return GetPet(petId: x, fields: [\"name\"])\n}\n";
        let (p, f, o) = decl_program(&C.replace("(petId: int", "($0petId: int"), calls);
        assert_eq!(
            show(&p, &rename(&p, f, o, "id").unwrap()),
            ["c.weft:3:17", "c.weft:4:55", "main.weft:2:17"]
        );
        let (p, f, o) = decl_program(&C.replace("fields?:", "fi$0elds?:"), calls);
        assert_eq!(
            show(&p, &rename(&p, f, o, "only").unwrap()),
            ["c.weft:3:29", "c.weft:4:72", "main.weft:2:27"]
        );
        // In the list form, the parameter's name is the one sent: refused.
        let (p, f, o) = decl_program(&C.replace("Find(status", "Find(st$0atus"), "");
        let e = rename(&p, f, o, "state").unwrap_err();
        assert!(e.contains("would change the request"), "{e}");
    }

    #[test]
    fn named_arguments_at_call_sites() {
        // A declared activity's parameter, from `note:` at a call.
        let main =
            "flow A(x) {\n  c = Charge(x, no$0te: \"n\")\n  return Charge(c, note: \"m\")\n}\n";
        let (p, f, o) = decl_program(C, main);
        assert_eq!(show(&p, &[definition(&p, f, o).unwrap()]), ["c.weft:2:29"]);
        assert_eq!(
            show(&p, &references(&p, f, o, true)),
            ["c.weft:2:29", "main.weft:2:17", "main.weft:3:20"]
        );
        assert_eq!(
            show(&p, &[prepare_rename(&p, f, o).unwrap()]),
            ["main.weft:2:17"]
        );
        assert_eq!(
            show(&p, &rename(&p, f, o, "memo").unwrap()),
            ["c.weft:2:29", "main.weft:2:17", "main.weft:3:20"]
        );
        // A flow's parameter, from another file.
        let (p, f, o) = fixture::parse(
            "//- a.weft\nflow A(x) { return B(x, ma$0x: 2) }\n//- b.weft\nflow B(y, max) {\n  return y + max\n}\n",
        );
        assert_eq!(show(&p, &[definition(&p, f, o).unwrap()]), ["b.weft:1:11"]);
        assert_eq!(
            show(&p, &references(&p, f, o, true)),
            ["b.weft:1:11", "a.weft:1:25", "b.weft:2:14"]
        );
        assert_eq!(
            show(&p, &rename(&p, f, o, "limit").unwrap()),
            ["a.weft:1:25", "b.weft:1:11", "b.weft:2:14"]
        );
        // An argument the callee does not have: nothing to go to.
        let (p, f, o) =
            fixture::parse("flow A(x) { return B(x, ot$0her: 2) }\nflow B(y) { return y }\n");
        assert_eq!(definition(&p, f, o), None);
        assert!(prepare_rename(&p, f, o).is_err());
    }

    #[test]
    fn highlights_in_the_file() {
        let (p, f, o) = fixture::parse(
            "//- a.weft\nflow A(x) {\n  y = x\n  y = $0y + B(y)\n}\n//- b.weft\nflow B(v) { return v }\n",
        );
        let got: Vec<(String, bool)> = highlights(&p, f, o)
            .into_iter()
            .map(|(s, w)| (show(&p, &[Location { file: f, span: s }])[0].clone(), w))
            .collect();
        assert_eq!(
            got,
            [
                ("a.weft:2:3".to_string(), true),
                ("a.weft:3:3".to_string(), true),
                ("a.weft:3:7".to_string(), false),
                ("a.weft:3:13".to_string(), false),
            ]
        );
    }
}
