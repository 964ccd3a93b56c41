//! The `weft` binary, started as users start it: exit codes, output formats,
//! and the commands that work on a data directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn weft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(args)
        .output()
        .expect("the weft binary runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("weft-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn check_exit_codes() {
    let ok = examples().join("00-register-user/register-user.weft");
    let bad = examples().join("00-register-user/as-written/register-user.weft");
    assert_eq!(code(&weft(&["check", ok.to_str().unwrap()])), 0);
    let o = weft(&["check", bad.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(
        err.contains("error[E0101]: `account` is read before it is assigned"),
        "{err}"
    );
    assert!(err.contains("register-user.weft:18:44"), "{err}");
    assert!(err.contains("first assigned here"), "{err}");
    // Usage and I/O errors are 2.
    assert_eq!(code(&weft(&["check", "/no/such/file.weft"])), 2);
    assert_eq!(code(&weft(&["check"])), 2);
    assert_eq!(code(&weft(&["frobnicate"])), 2);
}

#[test]
fn check_json_lists_the_same_diagnostics() {
    let bad = examples().join("00-register-user/as-written/register-user.weft");
    let o = weft(&["check", "--format", "json", bad.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON on stdout");
    assert_eq!(v["errors"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "E0101");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        (d["line"].as_u64(), d["col"].as_u64()),
        (Some(18), Some(44))
    );
    assert_eq!(d["labels"][0]["line"], 25);
}

#[test]
fn every_seed_example_checks_but_the_as_written_one() {
    for entry in std::fs::read_dir(examples()).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() || dir.file_name().unwrap().to_string_lossy().starts_with('_') {
            continue;
        }
        let files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "weft"))
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        if files.is_empty() {
            continue; // e.g. examples/workers: worker programs, no flows
        }
        let mut args = vec!["check"];
        args.extend(files.iter().map(String::as_str));
        let o = weft(&args);
        assert_eq!(code(&o), 0, "{}: {}", dir.display(), stderr(&o));
    }
}

#[test]
fn fmt_check_and_rewrite() {
    let dir = temp_dir("fmt");
    let f = dir.join("a.weft");
    std::fs::write(&f, "flow A(x){\nreturn {a:1,b:x}\n}\n").unwrap();
    let o = weft(&["fmt", "--check", f.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("would reformat"));
    assert_eq!(code(&weft(&["fmt", f.to_str().unwrap()])), 0);
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        "flow A(x) {\n    return {a: 1, b: x}\n}\n"
    );
    assert_eq!(code(&weft(&["fmt", "--check", f.to_str().unwrap()])), 0);
    std::fs::write(&f, "flow A( {\n").unwrap();
    let o = weft(&["fmt", f.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("error[E0010]"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        "flow A( {\n",
        "a broken file is left alone"
    );
}

#[test]
fn test_runs_every_example_scenario() {
    let o = weft(&["test", examples().to_str().unwrap()]);
    let out = stdout(&o);
    let last = out.lines().last().unwrap_or_default();
    assert_eq!(code(&o), 0, "{out}");
    let passed: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(passed >= 20, "{last}");
    assert_eq!(last, format!("{passed} passed, 0 failed"));
}

#[test]
fn test_reports_what_differed() {
    let dir = temp_dir("scenario");
    std::fs::write(
        dir.join("f.weft"),
        "flow F(x) {\n    r = Get(x)\n    return r\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("wrong.test.yaml"),
        "source: f.weft\nflow: F\ninput: 1\nactivities:\n  Get:\n    - return: {n: 2}\nexpect:\n  status: completed\n  result: {n: 3}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("bad.test.yaml"),
        "source: f.weft\nflow: F\nexpect: {status: finished}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("nomock.test.yaml"),
        "source: f.weft\nflow: F\nexpect: {status: completed}\n",
    )
    .unwrap();
    let o = weft(&["test", dir.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("result.n: expected 3, got 2"), "{out}");
    assert!(out.contains("\"finished\" is not a status"), "{out}");
    assert!(out.contains("no mock for Get"), "{out}");
    assert_eq!(out.lines().last(), Some("0 passed, 3 failed"));
}

#[test]
fn run_then_inspect_and_repair_in_a_data_directory() {
    let dir = temp_dir("data");
    let data = dir.join("data");
    let flow = examples().join("00-register-user/register-user.weft");
    let mocks = examples().join("00-register-user/happy-path.test.yaml");
    let o = weft(&[
        "run",
        flow.to_str().unwrap(),
        "--flow",
        "RegisterUser",
        "--input",
        r#"{"nick": "ann", "email": "ann@example.com"}"#,
        "--activities",
        mocks.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let result: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(result, serde_json::json!({"status": "ok", "id": 42}));

    // No mocks: the first activity fails, the run is failed (exit 1).
    let o = weft(&[
        "run",
        flow.to_str().unwrap(),
        "--flow",
        "RegisterUser",
        "--input",
        r#"{"nick": "bob", "email": "bob@example.com"}"#,
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("ReserveNick failed: no mock for ReserveNick"),
        "{}",
        stderr(&o)
    );

    let o = weft(&[
        "runs",
        "list",
        "--status",
        "failed",
        "--json",
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let failed = v["runs"][0]["id"].as_str().unwrap().to_string();

    let o = weft(&["runs", "show", &failed, "--data", data.to_str().unwrap()]);
    assert_eq!(code(&o), 0);
    let shown = stdout(&o);
    assert!(shown.contains("status   failed"), "{shown}");
    assert!(
        shown.contains("register-user.weft:18"),
        "the failing line: {shown}"
    );
    assert!(
        shown.contains("reserved = ReserveNick(input.nick) @retry(3)"),
        "{shown}"
    );

    // Resolve the failed call; the run moves on to the await.
    let o = weft(&[
        "runs",
        "resolve",
        &failed,
        "--value",
        r#"{"status": "ok", "nick": "bob", "ID": 8}"#,
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("is waiting"), "{}", stdout(&o));
    // Retry refuses a run that is not failed.
    let o = weft(&["runs", "retry", &failed, "--data", data.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("not failed"));

    // The callback completes the await; a second one is refused.
    let o = weft(&[
        "runs",
        "show",
        &failed,
        "--json",
        "--data",
        data.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let token = v["run"]["waiting"][0]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let o = weft(&[
        "callback",
        &token,
        "--value",
        r#"{"status": "expired"}"#,
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = weft(&[
        "callback",
        &token,
        "--value",
        "{}",
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("already completed"));

    // Time travel: the run at its first step, and after the resolve.
    let o = weft(&[
        "runs",
        "show",
        &failed,
        "--step",
        "1",
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let first = stdout(&o);
    assert!(first.contains("status   running"), "{first}");
    assert!(
        first.contains("register-user.weft:18  reserved = ReserveNick(input.nick) @retry(3)"),
        "{first}"
    );
    assert!(
        first.contains("input = {\"nick\":\"bob\",\"email\":\"bob@example.com\"}"),
        "{first}"
    );
    let o = weft(&[
        "runs",
        "show",
        &failed,
        "--step",
        "1",
        "--json",
        "--data",
        data.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let steps = v["steps"].as_i64().unwrap();
    let resolved = (1..=steps)
        .find(|n| {
            let o = weft(&[
                "runs",
                "show",
                &failed,
                "--step",
                &n.to_string(),
                "--data",
                data.to_str().unwrap(),
            ]);
            stdout(&o).contains("operator: resolved")
        })
        .expect("a step resolved the call");
    let o = weft(&[
        "runs",
        "show",
        &failed,
        "--step",
        &resolved.to_string(),
        "--data",
        data.to_str().unwrap(),
    ]);
    let after = stdout(&o);
    assert!(
        after.contains("reserved = {\"status\":\"ok\",\"nick\":\"bob\",\"ID\":8}"),
        "{after}"
    );
    assert!(after.contains("status   waiting"), "{after}");
    let o = weft(&[
        "runs",
        "show",
        &failed,
        "--step",
        &(steps + 1).to_string(),
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains(&format!("no step {}", steps + 1)),
        "{}",
        stderr(&o)
    );

    // A fork from step 1, on the run's own version; a version that is
    // not deployed is refused (exit 1).
    let o = weft(&[
        "runs",
        "fork",
        &failed,
        "--step",
        "1",
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("(forked from {failed} after step 1, version ")),
        "{}",
        stdout(&o)
    );
    let o = weft(&[
        "runs",
        "fork",
        &failed,
        "--step",
        "1",
        "--version",
        "99",
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(stderr(&o).contains("99"), "{}", stderr(&o));

    let o = weft(&["runs", "cancel", "NOPE", "--data", data.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    let o = weft(&[
        "runs",
        "list",
        "--data",
        dir.join("empty").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2, "no data there");
}

#[test]
fn bench_prints_the_pinned_last_line() {
    let dir = temp_dir("bench");
    let o = weft(&[
        "bench",
        "--runs",
        "50",
        "--concurrency",
        "4",
        "--data",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    let last = out.lines().last().unwrap();
    let keys: Vec<&str> = last
        .split(' ')
        .map(|kv| kv.split('=').next().unwrap())
        .collect();
    assert_eq!(
        keys,
        ["runs", "steps_per_s", "p50_ms", "p99_ms", "fsync_p50_ms"],
        "{last}"
    );
    assert!(last.starts_with("runs=50 "), "{last}");
}

/// The bench stores `weft bench` left in `tmp`.
fn bench_stores(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("weft-bench-"))
        .collect()
}

#[test]
fn bench_removes_its_temporary_store_unless_kept() {
    let tmp = temp_dir("bench-tmp");
    let bench = |extra: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_weft"))
            .args(["bench", "--runs", "30", "--concurrency", "1,4"])
            .args(extra)
            .env("TMPDIR", &tmp)
            .output()
            .expect("the weft binary runs");
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        stdout(&o)
    };
    let out = bench(&[]);
    assert!(out.contains("store removed ("), "{out}");
    assert_eq!(bench_stores(&tmp), Vec::<String>::new(), "{out}");
    // Several levels: a row each, then the last level's figures.
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            w.len() == 7 && (w[0] == "1" || w[0] == "4")
        })
        .collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert!(out.contains("journal "), "{out}");
    assert!(out.contains(" bytes per step"), "{out}");
    let last = out.lines().last().unwrap();
    assert!(last.starts_with("runs=30 steps_per_s="), "{last}");

    let out = bench(&["--keep"]);
    let kept = bench_stores(&tmp);
    assert_eq!(kept.len(), 1, "{out}");
    assert!(
        out.contains(&format!("store kept in {}", tmp.join(&kept[0]).display())),
        "{out}"
    );
    assert!(tmp.join(&kept[0]).join("weft.db").is_file());

    // With --suspended too; a folder named with --data is never removed.
    let data = tmp.join("named");
    let o = weft(&[
        "bench",
        "--suspended",
        "20",
        "--concurrency",
        "4",
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("bytes per waiting run"), "{out}");
    assert!(out.contains("(--data)"), "{out}");
    assert!(data.join("weft.db").is_file());
    let o = weft(&["bench", "--suspended", "20", "--concurrency", "1,4"]);
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    assert!(
        stderr(&o).contains("--concurrency takes several values"),
        "{}",
        stderr(&o)
    );
    assert_eq!(bench_stores(&tmp).len(), 1, "only the kept one");
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn bench_search_fills_a_store_and_times_the_queries() {
    let dir = temp_dir("bench-search");
    let run = || weft(&["bench", "--search", "3000", "--data", dir.to_str().unwrap()]);
    let o = run();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("wrote 3000 runs"), "{out}");
    assert!(out.contains("status=failed, with total"), "{out}");
    // Every fifth of a hundred runs fails: 5 per 100.
    let failed = out
        .lines()
        .find(|l| l.contains("status=failed, with total"))
        .unwrap();
    assert!(failed.contains("total 150]"), "{failed}");
    let last = out.lines().last().unwrap();
    assert!(
        last.starts_with("search_runs=3000 queries=13 slowest_median_ms="),
        "{last}"
    );
    // A second time, the runs are there already.
    let out = stdout(&run());
    assert!(!out.contains("wrote"), "{out}");
}

#[test]
fn stubs_for_a_program_to_stdout_or_a_file() {
    let flow = examples().join("00-register-user/register-user.weft");
    let o = weft(&["stubs", flow.to_str().unwrap(), "--lang", "python"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("def reserve_nick(ctx: Ctx, params: ReserveNickParams)"));
    let dir = temp_dir("stubs");
    let out = dir.join("openapi.json");
    let o = weft(&[
        "stubs",
        flow.to_str().unwrap(),
        "--lang",
        "openapi",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(doc["paths"]["/ReserveNick"]["post"].is_object());
    // A program with errors gets its diagnostics instead.
    let bad = examples().join("00-register-user/as-written/register-user.weft");
    let o = weft(&["stubs", bad.to_str().unwrap(), "--lang", "rust"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("E0101"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn stubs_client_writes_the_kept_clients_of_the_machines_example() {
    let dir = examples().join("machines");
    let files = [dir.join("counter.weft"), dir.join("channels.weft")];
    let args = |lang: &'static str| {
        let mut a: Vec<String> = vec!["stubs".into()];
        a.extend(files.iter().map(|f| f.to_str().unwrap().to_string()));
        a.extend(["--client".into(), "--lang".into(), lang.into()]);
        a
    };
    for (lang, kept) in [
        ("python", "client.py"),
        ("typescript", "client.ts"),
        ("rust", "client.rs"),
    ] {
        let a = args(lang);
        let o = weft(&a.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let want = std::fs::read_to_string(dir.join("clients").join(kept)).unwrap();
        assert!(
            stdout(&o) == want,
            "weft stubs --client --lang {lang} differs from {kept}"
        );
    }
    // No client as an OpenAPI document: a usage error that says so.
    let a = args("openapi");
    let o = weft(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("--client generates rust, python or typescript"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn import_openapi_writes_checked_contracts() {
    let spec =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../weft-import/tests/data/petstore.yaml");
    // The document's server is relative: the base URL is needed.
    let o = weft(&["import", "openapi", spec.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--base-url"), "{}", stderr(&o));
    let dir = temp_dir("import");
    let out = dir.join("petstore.weft");
    let o = weft(&[
        "import",
        "openapi",
        spec.to_str().unwrap(),
        "--base-url",
        "https://petstore3.swagger.io/api/v3",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("19 activities, 6 types"),
        "{}",
        stderr(&o)
    );
    let o = weft(&["check", out.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = weft(&["fmt", "--check", out.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn stubs_for_wasm_guests() {
    let flow = examples().join("wasm/quote-order.weft");
    let o = weft(&["stubs", flow.to_str().unwrap(), "--lang", "wasm-python"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("class WitWorld(wit_world.WitWorld):"));
    assert!(
        stdout(&o).contains("def price_quote(ctx: Ctx, params: PriceQuoteParams) -> \"Quote\":")
    );
    let o = weft(&["stubs", flow.to_str().unwrap(), "--lang", "wasm-js"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("export function run(call)"));
}

#[test]
fn plan_check_show_and_export() {
    let plan = examples().join("wasm/plan.toml");
    let flow = examples().join("wasm/quote-order.weft");
    let (plan, flow) = (plan.to_str().unwrap(), flow.to_str().unwrap());
    // The components need not be built for these commands, except that
    // check reports missing ones (P0008): check a copy beside fake files.
    let dir = temp_dir("plan");
    std::fs::create_dir_all(dir.join("guests/python")).unwrap();
    std::fs::create_dir_all(dir.join("guests/js")).unwrap();
    std::fs::write(dir.join("guests/python/guest.wasm"), b"").unwrap();
    std::fs::write(dir.join("guests/js/guest.wasm"), b"").unwrap();
    let copy = dir.join("plan.toml");
    std::fs::copy(plan, &copy).unwrap();
    let copy = copy.to_str().unwrap();
    let o = weft(&["plan", "check", copy, flow]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("0 error(s), 0 warning(s)"),
        "{}",
        stdout(&o)
    );

    let o = weft(&["plan", "show", copy, flow]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("ACTIVITY"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("PriceQuote") && l.contains("wasm") && l.contains("128MiB")),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.starts_with("NotifyCustomer")
            && l.contains("worker")
            && l.contains("notifier")),
        "{out}"
    );
    let o = weft(&["plan", "show", copy, flow, "--format", "json"]);
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(j["activities"].as_array().unwrap().len(), 4);
    assert_eq!(j["errors"], 0);

    let out_file = dir.join("k8s.yaml");
    let o = weft(&[
        "plan",
        "export",
        "--kubernetes",
        copy,
        flow,
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let yaml = std::fs::read_to_string(&out_file).unwrap();
    assert!(
        yaml.contains("kind: Deployment") && yaml.contains("kind: ScaledObject"),
        "{yaml}"
    );

    // A plan that misses an activity: check and show exit 1 with the
    // diagnostic at its place; export refuses.
    std::fs::write(
        dir.join("partial.toml"),
        "[[place]]\nactivities = [\"PriceQuote\", \"Screen*\"]\nworker = \"nobody\"\n",
    )
    .unwrap();
    let partial = dir.join("partial.toml");
    let partial = partial.to_str().unwrap();
    let o = weft(&["plan", "check", partial, flow]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(
        out.contains("error[P0006]: no worker group `nobody`"),
        "{out}"
    );
    assert!(out.contains("partial.toml:3:10"), "{out}");
    assert!(
        out.contains("error[P0101]: the program calls `RenderReceipt`, which no placement names"),
        "{out}"
    );
    let o = weft(&["plan", "show", partial, flow]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("NotifyCustomer  NONE"),
        "{}",
        stdout(&o)
    );
    let o = weft(&["plan", "export", "--kubernetes", partial, flow]);
    assert_eq!(code(&o), 1);
    // A file that is not there is a usage error.
    let o = weft(&["plan", "check", "/nonexistent/plan.toml"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}
