//! The importer on the test documents (`tests/data/README.md`): the
//! output parses, checks without errors, and is formatted; the pet store's
//! is a snapshot (`UPDATE_EXPECT=1` rewrites it); errors name their
//! operation or schema.

use std::path::{Path, PathBuf};
use weft_import::{import, Error, Options};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Imports `text`, checks the result and returns it formatted.
fn imported(text: &str, base_url: Option<&str>) -> (String, weft_import::Import) {
    imported_in(text, base_url, None)
}

/// [`imported`], with the activities in `namespace`.
fn imported_in(
    text: &str,
    base_url: Option<&str>,
    namespace: Option<&str>,
) -> (String, weft_import::Import) {
    let i = import(
        text,
        &Options {
            base_url: base_url.map(str::to_string),
            namespace: namespace.map(str::to_string),
        },
    )
    .unwrap_or_else(|e| panic!("the import failed: {e}"));
    let parsed = weft_syntax::parse(&i.source);
    assert!(
        !parsed.has_errors(),
        "the output does not parse: {:?}\n{}",
        parsed.diagnostics,
        i.source
    );
    let diags = weft_check::check_module(&parsed.module);
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert!(
        errors.is_empty(),
        "the output has errors: {errors:?}\n{}",
        i.source
    );
    let formatted = weft_fmt::format_source(&i.source).expect("the output formats");
    (formatted, i)
}

#[test]
fn petstore_snapshot() {
    let text = std::fs::read_to_string(data("petstore.yaml")).unwrap();
    let (out, i) = imported(&text, Some("https://petstore3.swagger.io/api/v3"));
    assert_eq!(i.activities, 19);
    assert_eq!(i.types, 6);
    assert!(i.warnings.is_empty(), "{:?}", i.warnings);
    assert!(out.contains(
        "activity GetPetById(petId: int) -> Pet\n    @http(method: \"GET\", url: \"https://petstore3.swagger.io/api/v3/pet/{petId}\")"
    ));
    let path = data("petstore.weft");
    if std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1") {
        std::fs::write(&path, &out).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).expect("petstore.weft (UPDATE_EXPECT=1 writes it)");
    assert!(
        want == out,
        "petstore.weft differs (UPDATE_EXPECT=1 rewrites it):\n{out}"
    );
}

#[test]
fn a_namespace_makes_dotted_activity_names() {
    let text = std::fs::read_to_string(data("petstore.yaml")).unwrap();
    let (out, i) = imported_in(&text, Some("https://pets.test"), Some("petstore"));
    assert_eq!(i.activities, 19);
    assert!(
        out.contains("activity petstore.GetPetById(petId: int) -> Pet\n"),
        "{out}"
    );
    // Flows call them by the dotted name, checked against the contract.
    let flow = format!(
        "{out}\nflow F(id) {{\n    pet = petstore.GetPetById(id)\n    return pet.nmae\n}}\n"
    );
    let parsed = weft_syntax::parse(&flow);
    let diags = weft_check::check_module(&parsed.module);
    assert!(
        diags
            .iter()
            .any(|d| d.code == "E0206" && d.message.contains("nmae")),
        "{diags:?}"
    );
    for bad in ["pet store", "len", "a..b", "flow", "1x"] {
        let e = import(
            &text,
            &Options {
                base_url: Some("https://pets.test".into()),
                namespace: Some(bad.into()),
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("namespace"), "{bad}: {e}");
    }
}

#[test]
fn library_imports_with_its_warnings() {
    let text = std::fs::read_to_string(data("library.yaml")).unwrap();
    let (out, i) = imported(&text, None);
    assert_eq!(
        i.activities, 18,
        "one of 19 operations has a body that is not JSON"
    );
    assert_eq!(i.types, 18);
    assert_eq!(i.warnings.len(), 1, "{:?}", i.warnings);
    assert!(i.warnings[0].contains("`uploadCover`"), "{:?}", i.warnings);
    // Server variables, renamed parameters, keywords, allOf, oneOf, anyOf.
    for expected in [
        "https://eu.library.example/api/v2/branches/{branchId}",
        "query: {pageSize: \"page[size]\", pageToken: \"page[token]\"}",
        "in_?: string",
        "headers: {xRequestID: \"X-Request-ID\"}",
        "type Reader = {\n    name: string,",
        "-> Loan | LoanWithFee",
        "-> [string | Book]",
        "type Staff = {name?: string, email?: string} | null",
        "// Note: `getReader` (GET /readers/{readerId}): the cookie parameter `session` is left out",
        "activity DeleteBooksIsbn(",
    ] {
        assert!(out.contains(expected), "{expected:?} is not in:\n{out}");
    }
}

#[test]
fn errors_say_where() {
    let text = std::fs::read_to_string(data("petstore.yaml")).unwrap();
    // The document's server is relative.
    let e = import(&text, &Options::default()).unwrap_err();
    assert!(matches!(e, Error::BaseUrl(_)), "{e}");
    assert!(e.to_string().contains("--base-url"), "{e}");
    let broken = text.replace(
        "$ref: '#/components/schemas/Tag'",
        "$ref: '#/components/schemas/Tags'",
    );
    let e = import(
        &broken,
        &Options {
            base_url: Some("https://x.test".into()),
            namespace: None,
        },
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "schema `Pet`, field `tags`[]: the reference `#/components/schemas/Tags` names no schema"
    );
    let broken = text.replace("/pet/{petId}/uploadImage", "/pet/{id}/uploadImage");
    let e = import(
        &broken,
        &Options {
            base_url: Some("https://x.test".into()),
            namespace: None,
        },
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "operation `uploadFile` (POST /pet/{id}/uploadImage): the path names `{id}`, which no path parameter describes"
    );
    let e = import(
        "openapi: 3.1.0\ninfo: {title: t, version: v}\npaths: {}\n",
        &Options::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("only 3.0"), "{e}");
    assert!(matches!(
        import("{", &Options::default()),
        Err(Error::Parse(_))
    ));
}

/// Documents named in `WEFT_IMPORT_SPECS` (see tests/data/README.md).
#[test]
fn documents_from_the_environment() {
    let Ok(list) = std::env::var("WEFT_IMPORT_SPECS") else {
        return;
    };
    for path in list.split(':').filter(|p| !p.is_empty()) {
        let text = std::fs::read_to_string(path).unwrap();
        let (_, i) = imported(&text, Some("https://api.example.test"));
        eprintln!(
            "{path}: {} activities, {} types, {} warnings",
            i.activities,
            i.types,
            i.warnings.len()
        );
    }
}
