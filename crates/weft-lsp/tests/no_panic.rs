//! Every editor feature on half-typed and broken versions of the examples
//! (and of a file of declarations), at cursors all over the text: nothing
//! panics, every answer points into the text.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use weft_lsp::ide::{
    actions, completion, format, hints, hover, navigation, ranges, semantic, signature, symbols,
    File, Program,
};
use weft_syntax::Span;

/// Declarations with every construct: types of each kind, optional
/// parameters and fields, `@http` in all its forms (with an escape in a
/// string), a flow that calls them and reads fields of their results.
const DECLARATIONS: &str = r#"type Owner = {name: string, "e-mail"?: string, ..}
type Pet = {id: int, owner: Owner, tags: [string] | null, kin: [Pet]}
activity GetPet(petId: int, fields?: [string], key?: string) -> Pet
    @http(method: "GET", url: "https://pets.test/pet/{petId}", query: ["fields"], headers: {key: "X-Key"})
activity AddPet(body: Pet) -> Pet @http(method: "POST", url: "https://pets.test/\u{70}et", body: "body")
activity Audit(entry: {..})
flow Pets(input) {
    pet = GetPet(input.id, fields: ["name"])
    owner = pet.owner
    for k in pet.kin { Audit({id: k.id, name: owner.name}) }
    return AddPet(body: pet) @retry(3)
}
"#;

fn examples() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "weft") {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples"),
        &mut paths,
    );
    paths.sort();
    let mut out: Vec<(String, String)> = paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.push(("declarations.weft".to_string(), DECLARATIONS.to_string()));
    out
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Broken versions of `text`: cut short, a character dropped, something
/// typed in the middle.
fn mutations(text: &str) -> Vec<String> {
    let mut out = vec![text.to_string()];
    let n = text.len().max(1);
    for k in 1..4 {
        let cut = floor(text, n * k / 4);
        out.push(text[..cut].to_string());
        let skip = text[cut..]
            .chars()
            .next()
            .map_or(cut, |c| cut + c.len_utf8());
        out.push(format!("{}{}", &text[..cut], &text[skip..]));
        for typed in [
            "@",
            "(",
            "{",
            "\"",
            "flow ",
            "x.",
            "é😀",
            "activity A(",
            "type T = ",
            "-> ",
            "?: ",
            " | ",
            "@http(url: \"{",
        ] {
            out.push(format!("{}{typed}{}", &text[..cut], &text[cut..]));
        }
    }
    out
}

fn exercise(program: &Program, file: usize) {
    let f = &program.files[file];
    let len = f.text.len() as u32;
    let inside = |l: &weft_lsp::ide::Location| {
        let t = &program.files[l.file].text;
        l.span.end as usize <= t.len() && l.span.start <= l.span.end
    };
    let step = (len / 40).max(1) as usize;
    let diagnostics = program.diagnostics();
    for offset in (0..=len + 1).step_by(step) {
        let _ = completion::completions(program, file, offset);
        let _ = signature::signature_help(program, file, offset);
        let _ = navigation::highlights(program, file, offset);
        for s in ranges::selection(f, offset) {
            assert!(s.end <= len);
        }
        let here = Span {
            start: offset,
            end: offset,
        };
        for a in actions::actions(program, file, here, &diagnostics[file]) {
            for (l, _) in &a.edits {
                assert!(inside(l), "{}", a.title);
            }
        }
        if let Some(h) = hover::hover(program, file, offset) {
            assert!(h.span.end <= len);
        }
        if let Some(d) = navigation::definition(program, file, offset) {
            assert!(inside(&d));
        }
        for r in navigation::references(program, file, offset, true) {
            assert!(inside(&r));
        }
        if navigation::prepare_rename(program, file, offset).is_ok() {
            for e in navigation::rename(program, file, offset, "renamed_").unwrap_or_default() {
                assert!(inside(&e));
            }
        }
    }
    let _ = symbols::document_symbols(f);
    let _ = symbols::workspace_symbols(f, "a");
    let toks = semantic::tokens(program, file);
    for w in toks.windows(2) {
        assert!(w[0].span.end <= w[1].span.start && w[1].span.end <= len);
    }
    for h in hints::hints(program, file, Span { start: 0, end: len }) {
        assert!(h.at <= len);
    }
    for fold in ranges::folds(f) {
        assert!(fold.start <= fold.end && fold.end <= len);
    }
    let _ = format::range(&f.text, Span { start: 0, end: len });
}

#[test]
fn features_never_panic_on_broken_examples() {
    for (name, text) in examples() {
        for broken in mutations(&text) {
            // Alone, and next to the unbroken file.
            let program = Program::new(vec![Arc::new(File::new(name.as_str(), broken.as_str()))]);
            exercise(&program, 0);
            let program = Program::new(vec![
                Arc::new(File::new("a.weft", broken.as_str())),
                Arc::new(File::new("b.weft", text.as_str())),
            ]);
            exercise(&program, 0);
            // Next to declarations its flows may call.
            let program = Program::new(vec![
                Arc::new(File::new("a.weft", broken.as_str())),
                Arc::new(File::new("contracts.weft", DECLARATIONS)),
            ]);
            exercise(&program, 0);
        }
    }
}

#[test]
fn deep_nesting_is_bounded_by_the_parser() {
    let depth = weft_syntax::NESTING_MAX * 4;
    let text = format!(
        "flow A(x) {{\n  y = {}x{}\n  f = {}1{}\n}}\n",
        "F(".repeat(depth),
        ")".repeat(depth),
        "func() { return ".repeat(depth),
        " }".repeat(depth)
    );
    let program = Program::single("deep.weft", &text);
    exercise(&program, 0);
}

#[test]
fn the_declarations_are_valid() {
    // Broken versions test recovery only if the original is right.
    let program = Program::single("declarations.weft", DECLARATIONS);
    assert_eq!(program.diagnostics(), [vec![]]);
}
