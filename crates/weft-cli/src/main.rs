//! `weft`: check, format, test, run and serve durable flows.
//!
//! Exit codes: 0 success; 1 the input has errors (diagnostics, failed
//! scenarios, files that need formatting, a failed run); 2 usage or I/O
//! errors. `weft run` also uses 3 for a run that is still waiting.

mod bench;
mod bench_http;
mod bench_search;
mod check;
mod data;
mod import;
mod logging;
mod plan;
mod protos;
mod remote;
mod runs;
mod stubs;
mod upgrade;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "weft",
    version,
    about = "Durable flows: check, test, run and serve them."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Report errors and warnings in flow files (files of one folder form one program).
    Check {
        /// The files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output for people or for tools.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Rewrite flow files in the canonical style (comments are kept).
    Fmt {
        /// The files to format.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Change nothing; exit 1 when a file would change.
        #[arg(long)]
        check: bool,
    },
    /// Measure the standard workload (a 3-step flow, in-process activities, fsync on),
    /// or with --url the same workload over HTTP against running servers.
    Bench {
        /// Runs to measure.
        #[arg(long, default_value_t = 10_000)]
        runs: usize,
        /// Concurrent clients; several, comma-separated (`1,8,64,512,4096`),
        /// measure `--runs` runs at each in turn and print a table.
        #[arg(long, default_value = "64", value_delimiter = ',')]
        concurrency: Vec<usize>,
        /// Where the store goes (default: a fresh temporary folder, removed
        /// at the end unless --keep; a folder given here is always kept).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Keep the temporary store instead of removing it (its folder is
        /// printed).
        #[arg(long)]
        keep: bool,
        /// Instead: start this many runs that wait for a callback, and
        /// report the process's resident memory once all are suspended.
        #[arg(long)]
        suspended: Option<usize>,
        /// Instead: drive running servers over HTTP (several, comma-separated,
        /// for the nodes of a cluster); the activities are answered by pull
        /// workers in this process, one per server.
        #[arg(long, value_delimiter = ',')]
        url: Vec<String>,
        /// With --url: tasks in flight per worker.
        #[arg(long, default_value_t = 32)]
        worker_concurrency: usize,
        /// With --url: a file holding the servers' bearer token.
        #[arg(long, env = "WEFT_TOKEN_FILE")]
        token_file: Option<PathBuf>,
        /// Instead: fill the store to this many runs (written as new runs
        /// are, counters included) and time searches and counts among them.
        #[arg(long)]
        search: Option<u64>,
        /// With --search or --suspended: a PostgreSQL store instead of the
        /// data directory (its size is then read with PostgreSQL's own
        /// functions, e.g. `pg_total_relation_size`).
        #[arg(long)]
        database: Option<String>,
    },
    /// Run a flow on the embedded store, activities answered by mocks, in virtual time.
    Run {
        /// The flow file.
        file: PathBuf,
        /// The flow to run.
        #[arg(long)]
        flow: String,
        /// Its input, as JSON.
        #[arg(long, default_value = "null")]
        input: String,
        /// The data directory.
        #[arg(long, default_value = data::DEFAULT_DATA_DIR)]
        data: PathBuf,
        /// Mocked activities: the `activities:` map of a scenario file (or a scenario file).
        #[arg(long)]
        activities: Option<PathBuf>,
    },
    /// List, inspect and repair runs in a data directory.
    Runs {
        #[command(subcommand)]
        command: RunsCommand,
    },
    /// Complete an awaited call with its callback token.
    Callback {
        /// The token the awaited activity received.
        token: String,
        /// The callback's value, as JSON.
        #[arg(long, default_value = "null")]
        value: String,
        /// The data directory.
        #[arg(long, default_value = data::DEFAULT_DATA_DIR)]
        data: PathBuf,
    },
    /// Check a data directory for damage without changing it
    /// (exit 0: sound; 1: damage found; 2: it could not be checked).
    Doctor {
        /// The data directory.
        #[arg(default_value = data::DEFAULT_DATA_DIR)]
        data: PathBuf,
        /// First open the store keeping what a damaged write-ahead log's
        /// undamaged part holds; the transactions after the damage are lost.
        #[arg(long)]
        accept_wal_loss: bool,
    },
    /// Serve the HTTP API on the embedded store, or as a cluster node on PostgreSQL.
    Serve {
        /// Address to listen on (default 127.0.0.1:7400).
        #[arg(long)]
        listen: Option<String>,
        /// The data directory.
        #[arg(long)]
        data: Option<PathBuf>,
        /// A file holding the bearer token every /v1 call must carry.
        #[arg(long)]
        token_file: Option<PathBuf>,
        /// A TOML configuration file (push activities, limits).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Deploy the examples and answer their activities with demo data.
        #[arg(long)]
        demo: bool,
        /// Run as one node of a cluster on this PostgreSQL database
        /// (postgres://user:password@host:5432/db) instead of the embedded store.
        #[arg(long, env = "WEFT_DATABASE_URL", hide_env_values = true)]
        database: Option<String>,
        /// This node's name in a cluster (default: the host name).
        #[arg(long, env = "WEFT_NODE")]
        node: Option<String>,
        /// The deployment plan: where each activity runs (docs/deploying.md).
        #[arg(long)]
        plan: Option<PathBuf>,
        /// How logs are written to stderr: text for people, or JSON lines
        /// for log pipelines (filter them with WEFT_LOG or RUST_LOG).
        #[arg(long, value_enum, env = "WEFT_LOG_FORMAT", default_value = "text")]
        log_format: logging::LogFormat,
    },
    /// Deploy flow files to a server (checked first; the files form one program).
    Deploy {
        /// The flow files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The server.
        #[arg(long, env = "WEFT_URL", default_value = "http://127.0.0.1:7400")]
        url: String,
        /// A file holding the server's bearer token.
        #[arg(long, env = "WEFT_TOKEN_FILE")]
        token_file: Option<PathBuf>,
    },
    /// Move runs waiting on an older version onto a newer one (a live upgrade),
    /// when the checker can prove the move safe; refused runs say why.
    Upgrade {
        /// The run to move (or --flow).
        run: Option<String>,
        /// Every unfinished run of this flow on an older version.
        #[arg(long, conflicts_with = "run", required_unless_present = "run")]
        flow: Option<String>,
        /// The program version to move to.
        #[arg(long)]
        to: i64,
        /// Only check: print the verdicts and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Who asks, for the runs' journals (default: your login name).
        #[arg(long)]
        by: Option<String>,
        /// As JSON (the API's verdicts).
        #[arg(long)]
        json: bool,
        /// The server.
        #[arg(long, env = "WEFT_URL", default_value = "http://127.0.0.1:7400")]
        url: String,
        /// A file holding the server's bearer token.
        #[arg(long, env = "WEFT_TOKEN_FILE")]
        token_file: Option<PathBuf>,
        /// Instead of a server: a data directory whose server is stopped.
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Print the HTTP API's OpenAPI document.
    Openapi,
    /// Serve the language server protocol on standard input and output (for editors).
    Lsp,
    /// Turn an API description into activity contracts.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Generate what the activities the flows call need implemented.
    Stubs {
        /// The flow files (one program).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// What to generate.
        #[arg(long, value_enum)]
        lang: StubLang,
        /// A typed client of the program's machines and flows instead of a
        /// worker (rust, python or typescript).
        #[arg(long)]
        client: bool,
        /// Where to write it (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The deployment plan: where each activity runs (docs/deploying.md).
    Plan {
        #[command(subcommand)]
        command: PlanCommand,
    },
    /// Run scenario files (a folder: every *.test.yaml under it) in virtual time.
    Test {
        /// Scenario files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Check a plan file, and against the program when flow files are given.
    Check {
        /// The plan file (TOML).
        plan: PathBuf,
        /// The flow files of the program it places (optional).
        files: Vec<PathBuf>,
        /// Output for people or for tools.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Print where each activity the program calls runs, with its limits.
    Show {
        /// The plan file (TOML).
        plan: PathBuf,
        /// The flow files of the program.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output for people or for tools.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Export what runs the plan's remote workers on another platform.
    Export {
        /// Kubernetes Deployments and KEDA ScaledObjects (the only target so far).
        #[arg(long, required = true)]
        kubernetes: bool,
        /// The plan file (TOML).
        plan: PathBuf,
        /// The flow files of the program.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Where to write the YAML (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// An OpenAPI 3.0 document (JSON or YAML): its operations as activities with `@http`.
    Openapi {
        /// The document.
        spec: PathBuf,
        /// The URL the paths are relative to (default: the document's first server).
        #[arg(long)]
        base_url: Option<String>,
        /// Name the activities NAMESPACE.Operation (dotted names, such as petstore.GetPetById).
        #[arg(long)]
        namespace: Option<String>,
        /// Where to write the declarations (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// A .proto file: its services' unary methods as activities with `@grpc`.
    Grpc {
        /// The .proto file (its imports are read relative to the contracts' folder).
        proto: PathBuf,
        /// The service's address: host:port (plain text), or https://host:port (TLS).
        #[arg(long)]
        target: String,
        /// The service to import, by full or short name (default: every service of the file).
        #[arg(long)]
        service: Option<String>,
        /// Name the activities NAMESPACE.Method (dotted names, such as inventory.HoldStock).
        #[arg(long)]
        namespace: Option<String>,
        /// Where to write the declarations (default: standard output); the .proto
        /// must be in its folder or below.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// What `weft stubs` generates.
#[derive(Clone, Copy, ValueEnum)]
enum StubLang {
    /// A worker for the Rust SDK (`weft-worker`).
    Rust,
    /// A worker over the HTTP API for Node 20 (no dependencies).
    Typescript,
    /// A worker over the HTTP API (standard library only).
    Python,
    /// An OpenAPI 3.0 document of push endpoints.
    Openapi,
    /// A WebAssembly component's source for componentize-py (docs/wasm.md).
    WasmPython,
    /// A WebAssembly component's source for componentize-js (docs/wasm.md).
    WasmJs,
}

impl From<StubLang> for weft_stubs::Lang {
    fn from(l: StubLang) -> Self {
        match l {
            StubLang::Rust => weft_stubs::Lang::Rust,
            StubLang::Typescript => weft_stubs::Lang::TypeScript,
            StubLang::Python => weft_stubs::Lang::Python,
            StubLang::Openapi => weft_stubs::Lang::OpenApi,
            StubLang::WasmPython => weft_stubs::Lang::WasmPython,
            StubLang::WasmJs => weft_stubs::Lang::WasmJs,
        }
    }
}

#[derive(Subcommand)]
enum RunsCommand {
    /// Runs, newest first.
    List {
        /// Only runs in this status (running, waiting, failed, completed, cancelled).
        #[arg(long)]
        status: Option<String>,
        /// Only runs of this flow.
        #[arg(long)]
        flow: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// As JSON.
        #[arg(long)]
        json: bool,
        /// The data directory.
        #[arg(long, default_value = data::DEFAULT_DATA_DIR)]
        data: PathBuf,
    },
    /// A run: status, input, result or error, where it stands, its journal;
    /// with --step N, the run as it was after step N of its journal.
    Show {
        /// The run's id.
        id: String,
        /// The run after this journal step (1 is its start): where each
        /// branch stood and the flow's variables, rebuilt by replaying the
        /// journal.
        #[arg(long)]
        step: Option<i64>,
        /// As JSON.
        #[arg(long)]
        json: bool,
        /// The data directory.
        #[arg(long, default_value = data::DEFAULT_DATA_DIR)]
        data: PathBuf,
    },
    /// Run the failed step of a failed run again (same call id).
    Retry {
        /// The run's id.
        id: String,
        /// The data directory.
        #[arg(long, default_value = data::DEFAULT_DATA_DIR)]
        data: PathBuf,
    },
    /// Let the failed call of a failed run return this value.
    Resolve {
        /// The run's id.
        id: String,
        /// The value, as JSON.
        #[arg(long)]
        value: Option<String>,
        /// The data directory.
        #[arg(long, default_value = data::DEFAULT_DATA_DIR)]
        data: PathBuf,
    },
    /// Stop a run.
    Cancel {
        /// The run's id.
        id: String,
        /// The data directory.
        #[arg(long, default_value = data::DEFAULT_DATA_DIR)]
        data: PathBuf,
    },
    /// Start a new run from a run's state after a journal step, on the
    /// version it was on then or, with --version, on a newer version of
    /// its flow when the live upgrade's rule allows it.
    Fork {
        /// The run's id.
        id: String,
        /// The journal step to fork after (1 is its start).
        #[arg(long)]
        step: i64,
        /// A newer version of the flow to fork onto.
        #[arg(long)]
        version: Option<i64>,
        /// The data directory.
        #[arg(long, default_value = data::DEFAULT_DATA_DIR)]
        data: PathBuf,
    },
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, so `weft runs show ID | head` would fail writing
    // to a closed pipe; behave like other command-line tools and just stop.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default at start-up,
    // before any thread exists, has no preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let log_format = match &cli.command {
        Command::Serve { log_format, .. } => *log_format,
        _ => logging::LogFormat::Text,
    };
    if let Err(e) = logging::init(log_format) {
        eprintln!("weft: {e:#}");
        return ExitCode::from(2);
    }
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("weft: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check { files, format } => {
            let checked = check::check_paths(&files).map_err(anyhow::Error::msg)?;
            let errors = checked
                .iter()
                .flat_map(|f| &f.diagnostics)
                .any(|d| d.is_error());
            match format {
                Format::Human => eprint!("{}", check::render_human(&checked)),
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&check::render_json(&checked))?
                ),
            }
            Ok(if errors {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Fmt { files, check } => fmt(&files, check),
        Command::Lsp => match weft_lsp::run_stdio() {
            Ok(()) => Ok(ExitCode::SUCCESS),
            // The protocol asks for exit code 1 when a session ends without
            // `shutdown`.
            Err(e) => {
                eprintln!("weft lsp: {e}");
                Ok(ExitCode::from(1))
            }
        },
        Command::Stubs {
            files,
            lang,
            client,
            out,
        } => stubs::run(&files, lang.into(), client, out.as_deref()),
        Command::Plan { command } => match command {
            PlanCommand::Check {
                plan,
                files,
                format,
            } => plan::check(&plan, &files, matches!(format, Format::Json)),
            PlanCommand::Show {
                plan,
                files,
                format,
            } => plan::show(&plan, &files, matches!(format, Format::Json)),
            PlanCommand::Export {
                kubernetes: _,
                plan,
                files,
                out,
            } => plan::export(&plan, &files, out.as_deref()),
        },
        Command::Import {
            command:
                ImportCommand::Openapi {
                    spec,
                    base_url,
                    namespace,
                    out,
                },
        } => import::openapi(&spec, base_url, namespace, out.as_deref()),
        Command::Import {
            command:
                ImportCommand::Grpc {
                    proto,
                    target,
                    service,
                    namespace,
                    out,
                },
        } => import::grpc(&proto, target, service, namespace, out.as_deref()),
        Command::Serve {
            listen,
            data,
            token_file,
            config,
            demo,
            database,
            node,
            plan,
            log_format,
        } => serve(
            weft_server::config::Flags {
                listen,
                data,
                token_file,
                config,
                demo,
                database,
                node,
                plan,
            },
            log_format,
        ),
        Command::Deploy {
            files,
            url,
            token_file,
        } => remote::deploy(&files, &url, token_file.as_deref()),
        Command::Upgrade {
            run,
            flow,
            to,
            dry_run,
            by,
            json,
            url,
            token_file,
            data,
        } => {
            let req = upgrade::Request {
                run,
                flow,
                to,
                dry_run,
                by: by.unwrap_or_else(upgrade::default_by),
            };
            match data {
                Some(dir) => upgrade::local(&req, &dir, json),
                None => upgrade::remote(&req, &url, remote::token(token_file.as_deref())?, json),
            }
        }
        Command::Openapi => {
            println!(
                "{}",
                serde_json::to_string_pretty(&weft_server::openapi::document())?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Run {
            file,
            flow,
            input,
            data,
            activities,
        } => runs::run_flow(&file, &flow, &input, &data, activities.as_deref()),
        Command::Runs { command } => match command {
            RunsCommand::List {
                status,
                flow,
                limit,
                json,
                data,
            } => runs::list(&data, status.as_deref(), flow, limit, json),
            RunsCommand::Show {
                id,
                step: Some(step),
                json,
                data,
            } => runs::show_step(&data, &id, step, json),
            RunsCommand::Show { id, json, data, .. } => runs::show(&data, &id, json),
            RunsCommand::Retry { id, data } => {
                runs::act(&data, &id, weft_engine::state::Event::Retry)
            }
            RunsCommand::Resolve { id, value, data } => {
                let value = runs::parse_value(value.as_deref())?;
                runs::act(&data, &id, weft_engine::state::Event::Resolve { value })
            }
            RunsCommand::Fork {
                id,
                step,
                version,
                data,
            } => runs::fork(&data, &id, step, version),
            RunsCommand::Cancel { id, data } => runs::act(
                &data,
                &id,
                weft_engine::state::Event::Cancel {
                    reason: "cancelled by an operator".into(),
                },
            ),
        },
        Command::Callback { token, value, data } => runs::callback(&data, &token, &value),
        Command::Doctor {
            data,
            accept_wal_loss,
        } => data::doctor(&data, accept_wal_loss),
        Command::Bench {
            runs,
            concurrency: levels,
            data,
            keep,
            suspended,
            url,
            worker_concurrency,
            token_file,
            search,
            database,
        } => {
            if let Some(n) = search {
                let mut search_dir = None;
                let (store, place): (std::sync::Arc<dyn weft_store::Store>, String) =
                    match &database {
                        Some(url) => (
                            std::sync::Arc::new(weft_store_postgres::PgStore::connect(url)?),
                            "PostgreSQL".into(),
                        ),
                        None => {
                            let d = bench::StoreDir::new(data.clone(), keep)?;
                            let dir = d.path().to_path_buf();
                            search_dir = Some(d);
                            (
                                data::open_for_writing(&dir)?.store,
                                format!("SQLite in {}", dir.display()),
                            )
                        }
                    };
                println!("weft bench: searching {n} runs, store {place}");
                let f = bench_search::run(store, n)?;
                if let Some(d) = search_dir {
                    println!("  {}", d.finish()?);
                }
                if f.written > 0 {
                    println!(
                        "  wrote {} runs in {:.1} s ({:.0} runs/s)",
                        f.written,
                        f.fill.as_secs_f64(),
                        f.written as f64 / f.fill.as_secs_f64().max(1e-9)
                    );
                }
                let mut slowest: f64 = 0.0;
                for t in &f.timings {
                    println!(
                        "  {:<66} median {:>9.2} ms, max {:>9.2} ms  [{}]",
                        t.name, t.median_ms, t.max_ms, t.found
                    );
                    slowest = slowest.max(t.median_ms);
                }
                println!(
                    "search_runs={} queries={} slowest_median_ms={slowest:.2}",
                    f.runs,
                    f.timings.len()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let single = |what: &str| -> anyhow::Result<usize> {
                match levels.as_slice() {
                    [c] => Ok(*c),
                    _ => anyhow::bail!(
                        "--concurrency takes several values only for the in-process workload, not with {what}"
                    ),
                }
            };
            if !url.is_empty() {
                let concurrency = single("--url")?;
                let token = remote::token(token_file.as_deref())?;
                let urls: Vec<String> = url
                    .iter()
                    .map(|u| u.trim_end_matches('/').to_string())
                    .collect();
                println!(
                    "weft bench: {runs} runs of a 3-step flow over HTTP, {concurrency} concurrent clients on {}",
                    urls.join(", ")
                );
                let f = bench_http::run(bench_http::Options {
                    urls,
                    runs,
                    concurrency,
                    worker_concurrency,
                    token,
                })?;
                println!(
                    "  {:.2} s, {:.0} runs/s, {:.0} steps/s",
                    f.elapsed.as_secs_f64(),
                    f.runs as f64 / f.elapsed.as_secs_f64(),
                    f.steps_per_s()
                );
                println!(
                    "  run latency (start request to finished run) p50 {:.2} ms, p99 {:.2} ms",
                    f.percentile(50.0),
                    f.percentile(99.0)
                );
                println!(
                    "  fsync p50 {:.3} ms (200 fdatasyncs of 4 KiB in {}: this machine's disk, not necessarily the servers')",
                    f.fsync_p50_ms,
                    std::env::temp_dir().display()
                );
                println!("{}", f.last_line());
                return Ok(ExitCode::SUCCESS);
            }
            let suspend_concurrency = match suspended {
                Some(_) => Some(single("--suspended")?),
                None => None,
            };
            if let (Some(n), Some(concurrency), Some(url)) =
                (suspended, suspend_concurrency, &database)
            {
                println!("weft bench: {n} runs suspended on `await`, started by {concurrency} clients, store on PostgreSQL");
                let store = std::sync::Arc::new(weft_store_postgres::PgStore::connect(url)?);
                let s = bench::suspended(store, n, concurrency)?;
                println!(
                    "  started and suspended in {:.1} s; the store's size is PostgreSQL's to tell (pg_total_relation_size of its schema's tables)",
                    s.elapsed.as_secs_f64()
                );
                println!(
                    "suspended={} rss_mib={} peak_rss_mib={}",
                    s.runs,
                    s.rss_kib / 1024,
                    s.peak_kib / 1024
                );
                return Ok(ExitCode::SUCCESS);
            }
            let store_dir = bench::StoreDir::new(data, keep)?;
            let dir = store_dir.path().to_path_buf();
            let store = data::open_for_writing(&dir)?.store;
            if let (Some(n), Some(concurrency)) = (suspended, suspend_concurrency) {
                println!("weft bench: {n} runs suspended on `await`, started by {concurrency} clients, store in {}", dir.display());
                let s = bench::suspended(store, n, concurrency)?;
                // The store is closed now: its log is checkpointed into the
                // database file, so the folder holds what the runs keep.
                let disk = bench::dir_bytes(&dir)?;
                println!(
                    "  started and suspended in {:.1} s",
                    s.elapsed.as_secs_f64()
                );
                println!(
                    "  resident memory: {} MiB before, {} MiB with all runs suspended, peak {} MiB ({:.0} bytes per waiting run above the start)",
                    s.baseline_kib / 1024,
                    s.rss_kib / 1024,
                    s.peak_kib / 1024,
                    (s.rss_kib.saturating_sub(s.baseline_kib) * 1024) as f64 / n.max(1) as f64
                );
                println!(
                    "  disk: {:.1} MiB once closed, {:.0} bytes per waiting run",
                    disk as f64 / (1024.0 * 1024.0),
                    disk as f64 / n.max(1) as f64
                );
                println!("  {}", store_dir.finish()?);
                println!(
                    "suspended={} rss_mib={} peak_rss_mib={}",
                    s.runs,
                    s.rss_kib / 1024,
                    s.peak_kib / 1024
                );
                return Ok(ExitCode::SUCCESS);
            }
            let shown: Vec<String> = levels.iter().map(|c| c.to_string()).collect();
            println!(
                "weft bench: {runs} runs of a 3-step flow, {} concurrent clients, store in {}",
                shown.join(", then "),
                dir.display()
            );
            let all = bench::run(store, &dir, runs, &levels)?;
            let disk = bench::dir_bytes(&dir)?;
            let measured_runs: usize = all.len() * runs;
            if all.len() > 1 {
                println!(
                    "  {:>11} {:>10} {:>10} {:>9} {:>9} {:>8} {:>12}",
                    "concurrency",
                    "runs/s",
                    "steps/s",
                    "p50 ms",
                    "p99 ms",
                    "commits",
                    "steps/commit"
                );
                for f in &all {
                    println!(
                        "  {:>11} {:>10.0} {:>10.0} {:>9.2} {:>9.2} {:>8} {:>12.1}",
                        f.concurrency,
                        f.runs as f64 / f.elapsed.as_secs_f64(),
                        f.steps_per_s(),
                        f.percentile(50.0),
                        f.percentile(99.0),
                        f.batches,
                        f.batch_mean_writes
                    );
                }
            }
            let f = all.last().expect("at least one level");
            println!(
                "  {:.2} s, {:.0} runs/s, {:.0} steps/s",
                f.elapsed.as_secs_f64(),
                f.runs as f64 / f.elapsed.as_secs_f64(),
                f.steps_per_s()
            );
            println!(
                "  run latency p50 {:.2} ms, p99 {:.2} ms",
                f.percentile(50.0),
                f.percentile(99.0)
            );
            println!(
                "  fsync p50 {:.3} ms (200 fdatasyncs of 4 KiB in the same folder)",
                f.fsync_p50_ms
            );
            println!(
                "  {} commits, {:.3} ms each on average, {:.1} run steps per commit",
                f.batches, f.commit_mean_ms, f.batch_mean_writes
            );
            if f.transactions > 0 {
                println!(
                    "  {} transactions, {:.2} commits each (batches that waited for the writer together)",
                    f.transactions,
                    f.batches as f64 / f.transactions as f64
                );
            }
            // Warm-up runs are stored too: the disk figure is per run kept.
            let warm: usize = levels.iter().map(|c| (c * 4).min(500)).sum();
            let kept = measured_runs + warm;
            println!(
                "  journal {:.0} bytes per step (entries and cause as stored); store on disk {:.1} MiB once closed, {:.0} bytes per run, {:.0} per step",
                f.journal_bytes_per_step,
                disk as f64 / (1024.0 * 1024.0),
                disk as f64 / kept as f64,
                disk as f64 / (kept * bench::STEPS_PER_RUN) as f64
            );
            println!("  {}", store_dir.finish()?);
            println!("{}", f.last_line());
            Ok(ExitCode::SUCCESS)
        }
        Command::Test { paths } => {
            let files = weft_scenario::discover(&paths).map_err(anyhow::Error::msg)?;
            let (mut passed, mut failed) = (0, 0);
            for f in files {
                // What a scenario without a flow did, for its line.
                let mut what = "commands";
                let report = match weft_scenario::load(&f) {
                    Ok(s) => {
                        if s.commands.is_empty() && !s.events.is_empty() {
                            what = "events";
                        }
                        weft_scenario::run(&s)
                    }
                    Err(e) => weft_scenario::Report {
                        name: f.display().to_string(),
                        failures: vec![e.to_string()],
                        status: None,
                        elapsed_ms: 0,
                        calls: 0,
                    },
                };
                if report.passed() {
                    passed += 1;
                    println!(
                        "ok    {} ({}, {} call(s), {} elapsed)",
                        report.name,
                        report.status.map(|s| s.as_str()).unwrap_or(what),
                        report.calls,
                        weft_engine::time::format_duration(report.elapsed_ms)
                    );
                } else {
                    failed += 1;
                    println!("FAIL  {}: {}", report.name, report.failures[0]);
                    for more in &report.failures[1..] {
                        println!("      {more}");
                    }
                }
            }
            println!("{passed} passed, {failed} failed");
            Ok(if failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

/// `weft fmt`: exit 1 when a file has syntax errors or (with `--check`)
/// would change; 2 when a file cannot be read or written.
fn fmt(files: &[PathBuf], check: bool) -> anyhow::Result<ExitCode> {
    use anyhow::Context;
    let mut bad = false;
    for f in files {
        let text =
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?;
        match weft_fmt::format_source(&text) {
            Ok(out) if out == text => {}
            Ok(out) => {
                if check {
                    println!("would reformat {}", f.display());
                    bad = true;
                } else {
                    std::fs::write(f, out)
                        .with_context(|| format!("cannot write {}", f.display()))?;
                    println!("formatted {}", f.display());
                }
            }
            Err(diags) => {
                bad = true;
                let index = weft_syntax::LineIndex::new(&text);
                for d in &diags {
                    eprint!(
                        "{}",
                        weft_syntax::diagnostic::render(&f.display().to_string(), &text, &index, d)
                    );
                }
                eprintln!("{}: not formatted: fix the errors above first", f.display());
            }
        }
    }
    Ok(if bad {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `weft serve`: runs until SIGTERM or Ctrl-C, then stops taking requests,
/// finishes what is in flight and commits it.
fn serve(flags: weft_server::config::Flags, log: logging::LogFormat) -> anyhow::Result<ExitCode> {
    let config = weft_server::Config::load(flags)?;
    if let Some(url) = config.database.clone() {
        return serve_cluster(config, &url, log);
    }
    let dir = data::open_for_writing(&config.data)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the async runtime: {e}"))?;
    rt.block_on(async {
        let server = weft_server::start(config.clone(), dir.store.clone()).await?;
        // Before saying where it listens: whoever reads that may stop it.
        let stop = weft_server::terminated();
        announce(
            log,
            &format!(
                "listening on http://{} (data in {}{}{})",
                server.addr,
                config.data.display(),
                if config.token.is_some() { ", bearer token required" } else { "" },
                if config.demo { ", demo mode" } else { "" }
            ),
        );
        if config.demo {
            announce(log, "the demo starts a run every few seconds; watch them with `weft runs list` or GET /v1/runs");
        }
        stop.await;
        announce(log, "stopping: finishing requests in flight and committing");
        server.shutdown().await;
        announce(log, "stopped");
        anyhow::Ok(())
    })?;
    drop(dir);
    Ok(ExitCode::SUCCESS)
}

/// `weft serve --database URL`: one node of a cluster on PostgreSQL.
fn serve_cluster(
    config: weft_server::Config,
    url: &str,
    log: logging::LogFormat,
) -> anyhow::Result<ExitCode> {
    let shown = weft_server::config::redact_url(url);
    // Connecting also runs the schema migrations (under a lock, so nodes
    // that start together take turns).
    let store = weft_store_postgres::PgStore::connect(url)
        .map_err(|e| anyhow::anyhow!("cannot use the database {shown}: {e}"))?;
    // Each start of a node is a new claimant: a restarted node must not
    // inherit claims (and in-flight writes) of the process it replaces.
    let node = format!(
        "{}-{}",
        config.node,
        &weft_runtime::ids::token(&mut weft_runtime::ids::OsEntropy)[..8]
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the async runtime: {e}"))?;
    rt.block_on(async {
        let server =
            weft_server::start_cluster(config.clone(), std::sync::Arc::new(store), node.clone())
                .await?;
        let stop = weft_server::terminated();
        announce(
            log,
            &format!(
                "listening on http://{} (node {node} of the cluster on {shown}{})",
                server.addr,
                if config.token.is_some() {
                    ", bearer token required"
                } else {
                    ""
                },
            ),
        );
        stop.await;
        announce(log, "stopping: finishing requests in flight and committing");
        server.shutdown().await;
        announce(log, "stopped");
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// What `weft serve` tells its operator (where it listens, that it stops):
/// the lines people and tests read, or with `--log-format json` log events
/// like every other line on stderr. Printed in text mode whatever the log
/// filter, so the address is always known.
fn announce(log: logging::LogFormat, line: &str) {
    match log {
        logging::LogFormat::Text => eprintln!("weft: {line}"),
        logging::LogFormat::Json => tracing::info!(target: "weft", "{line}"),
    }
}
