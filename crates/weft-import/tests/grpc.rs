//! `weft import grpc` on `.proto` files: the example's contracts
//! (`examples/grpc/inventory.weft`) are its output, as a snapshot
//! (`UPDATE_EXPECT=1` rewrites it); the output parses, checks without
//! errors and resolves against its `.proto`; edge cases (keywords, whole
//! requests, recursion, streaming) and errors.

use std::path::{Path, PathBuf};

use weft_import::{grpc, Error, GrpcOptions, Import};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `.proto` files of a folder, by name.
fn sources(dir: &Path, names: &[&str]) -> weft_grpc::Sources {
    names
        .iter()
        .map(|n| (n.to_string(), std::fs::read_to_string(dir.join(n)).unwrap()))
        .collect()
}

/// Imports `file`, checks the result (also against the `.proto`) and
/// returns it formatted.
fn imported(sources: &weft_grpc::Sources, file: &str, options: &GrpcOptions) -> (String, Import) {
    let i =
        grpc::import(sources, file, options).unwrap_or_else(|e| panic!("the import failed: {e}"));
    let parsed = weft_syntax::parse(&i.source);
    assert!(
        !parsed.has_errors(),
        "{:?}\n{}",
        parsed.diagnostics,
        i.source
    );
    let errors: Vec<_> = weft_check::check_module(&parsed.module)
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{}", i.source);
    let files = [weft_check::SourceFile {
        name: "imported.weft",
        module: &parsed.module,
    }];
    let findings = weft_grpc::program::check(&files, sources);
    assert!(
        findings.is_empty(),
        "{:?}\n{}",
        findings
            .iter()
            .map(|f| &f.diagnostic.message)
            .collect::<Vec<_>>(),
        i.source
    );
    let formatted = weft_fmt::format_source(&i.source).expect("the output formats");
    (formatted, i)
}

#[test]
fn the_example_is_the_importers_output() {
    let dir = root().join("examples/grpc");
    let s = sources(&dir, &["inventory.proto", "money.proto"]);
    let (out, i) = imported(
        &s,
        "inventory.proto",
        &GrpcOptions {
            target: "localhost:50051".into(),
            service: None,
            namespace: None,
        },
    );
    assert_eq!(i.activities, 3);
    assert_eq!(i.warnings.len(), 1, "{:?}", i.warnings);
    assert!(i.warnings[0]
        .contains("`shop.inventory.v1.Inventory/WatchStock` is left out: it streams (responses)"));
    for expected in [
        "activity GetItem(sku?: string) -> Item",
        "target: \"http://localhost:50051\"",
        "type Item = {",
        "type ItemStatus = string",
        "price?: Money",
        "byWarehouse?: {..}",
        "updatedAt?: time",
        "hold?: duration",
        "labels?: {..}",
        "activity Release(reservationId?: string, reason?: string) -> {}",
        "// One of `warehouse`, `nearestTo` (oneof `source`).",
    ] {
        assert!(
            i.source.contains(expected),
            "{expected:?} is not in:\n{}",
            i.source
        );
    }
    let path = dir.join("inventory.weft");
    if std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1") {
        std::fs::write(&path, &out).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).expect("inventory.weft (UPDATE_EXPECT=1 writes it)");
    assert!(
        want == out,
        "examples/grpc/inventory.weft differs from the importer's output (UPDATE_EXPECT=1 rewrites it):\n{out}"
    );
}

#[test]
fn a_namespace_makes_dotted_activity_names() {
    let dir = root().join("examples/grpc");
    let s = sources(&dir, &["inventory.proto", "money.proto"]);
    let (out, i) = imported(
        &s,
        "inventory.proto",
        &GrpcOptions {
            target: "localhost:50051".into(),
            service: None,
            namespace: Some("inventory".into()),
        },
    );
    assert_eq!(i.activities, 3);
    assert!(
        out.contains("activity inventory.GetItem(sku?: string) -> Item"),
        "{out}"
    );
}

#[test]
fn edge_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let s = sources(&dir, &["edges.proto"]);
    let opts = |service: Option<&str>| GrpcOptions {
        target: "https://edges.example.com".into(),
        service: service.map(str::to_string),
        namespace: None,
    };
    let (out, i) = imported(&s, "edges.proto", &opts(None));
    assert_eq!(i.activities, 5, "{out}");
    assert_eq!(i.warnings.len(), 2, "{:?}", i.warnings);
    assert!(i.warnings[1].contains("`edges.v1.Edges/Chat` is left out: it streams (both ways)"));
    for expected in [
        // Keywords renamed, the built-in `len` avoided.
        "activity SleepRpc(for_?: string, in_?: int, return_?: bool, snakeCaseName?: string, maybe?: string, nothing?: null) -> {}",
        "fields: {for_: \"for\", in_: \"in\", return_: \"return\"}",
        // A well-known request is passed whole.
        "activity Stamp(request?: time) -> string",
        "request: \"request\"",
        // Recursion by name; maps, bytes, floats, unsigned, wrappers, Any.
        "children?: [Tree]",
        "named?: {..}",
        "blob?: string",
        "weight?: number",
        "count?: int",
        "extra?: {\"@type\": string, ..}",
        "limit?: int",
        "tags?: [any]",
        "// One of `round`, `square` (oneof `shape`).",
        // The second service's `Ping` gets a fresh name.
        "activity Ping() -> {}",
        "activity Ping2() -> any",
    ] {
        assert!(i.source.contains(expected), "{expected:?} is not in:\n{}", i.source);
    }
    let (out, i) = imported(&s, "edges.proto", &opts(Some("Other")));
    assert_eq!(i.activities, 1);
    assert!(i.source.contains("activity Ping() -> any"), "{out}");
}

#[test]
fn errors_say_what_is_wrong() {
    let dir = root().join("examples/grpc");
    let s = sources(&dir, &["inventory.proto", "money.proto"]);
    let opts = |target: &str, service: Option<&str>| GrpcOptions {
        target: target.into(),
        service: service.map(str::to_string),
        namespace: None,
    };
    let e = grpc::import(&s, "inventory.proto", &opts("", None)).unwrap_err();
    assert!(
        matches!(e, Error::Target(_)) && e.to_string().contains("--target"),
        "{e}"
    );
    let e = grpc::import(&s, "inventory.proto", &opts("x:1", Some("Stock"))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "`inventory.proto` defines no service `Stock`; it defines `shop.inventory.v1.Inventory`"
    );
    let e = grpc::import(&s, "money.proto", &opts("x:1", None)).unwrap_err();
    assert_eq!(e.to_string(), "`money.proto` defines no service");
    let mut broken = s.clone();
    broken.remove("money.proto");
    let e = grpc::import(&broken, "inventory.proto", &opts("x:1", None)).unwrap_err();
    assert!(
        matches!(e, Error::Proto(_)) && e.to_string().contains("money.proto"),
        "{e}"
    );
}
