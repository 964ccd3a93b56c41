//! The activities of RegisterUser (examples/00-register-user), as a worker.
//!
//! ```text
//! terminal 1:  cargo run --release -- serve
//! terminal 2:  cargo run --release -- deploy examples/00-register-user/register-user.weft
//!              cargo run --release -p weft-worker --example register_user
//! terminal 3:  curl -s localhost:7400/v1/runs -H 'content-type: application/json' \
//!                -d '{"flow": "RegisterUser", "input": {"nick": "ann", "email": "ann@example.com"}, "wait": "30s"}'
//! ```
//!
//! SendActivationEmail is awaited: the worker "sends" the e-mail by
//! printing the command that confirms it, and confirms it by itself after
//! `--confirm-after` seconds (5 by default; 0: only when you run the
//! command). `register_user confirm TOKEN [--decline]` posts the callback
//! from another process, as a web page behind the e-mail's link would.
//!
//! Options: `[URL]` (or `WEFT_URL`; default http://127.0.0.1:7400),
//! `--token-file FILE` (or `WEFT_TOKEN_FILE`), `--confirm-after SECS`,
//! `--concurrency N`.
//!
//! Each activity deduplicates on the call id: a redelivered task (a lost
//! lease, a server restart) gets the first answer again instead of
//! reserving a second nick or creating a second account.

use std::collections::{HashMap, HashSet, VecDeque};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use weft_worker::{CallbackHandle, Ctx, Error, Worker};

/// Answers remembered for deduplication, at most (the oldest go first).
const DEDUP_ENTRIES_MAX: usize = 10_000;

/// The example's "database": nicks, accounts, and answers by call id.
#[derive(Default)]
struct Db {
    /// Reserved nicks by reservation id.
    reservations: HashMap<u64, String>,
    /// Account ids by nick.
    accounts: HashMap<String, u64>,
    next_id: u64,
    /// Calls whose e-mail went out.
    emailed: HashSet<String>,
    /// The first answer of each call, by call id.
    answers: HashMap<String, Value>,
    order: VecDeque<String>,
}

impl Db {
    fn remember(&mut self, call_id: &str, v: Value) -> Value {
        self.answers.insert(call_id.to_string(), v.clone());
        self.order.push_back(call_id.to_string());
        if self.order.len() > DEDUP_ENTRIES_MAX {
            if let Some(old) = self.order.pop_front() {
                self.answers.remove(&old);
                self.emailed.remove(&old);
            }
        }
        v
    }

    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }
}

type Shared = Arc<Mutex<Db>>;

fn lock(db: &Shared) -> std::sync::MutexGuard<'_, Db> {
    db.lock().unwrap_or_else(|e| e.into_inner())
}

/// `ReserveNick(nick)` → `{status: "ok", nick, ID}` or `{status: "taken"}`.
async fn reserve_nick(db: Shared, ctx: Ctx) -> Result<Value, Error> {
    let nick = ctx
        .arg(0)
        .as_str()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| Error::permanent("ReserveNick needs a nick (text)"))?
        .to_string();
    let mut db = lock(&db);
    if let Some(v) = db.answers.get(ctx.call_id()) {
        return Ok(v.clone());
    }
    let taken = db.reservations.values().any(|n| *n == nick) || db.accounts.contains_key(&nick);
    let v = if taken {
        println!("ReserveNick: {nick:?} is taken");
        json!({"status": "taken", "nick": nick})
    } else {
        let id = db.id();
        db.reservations.insert(id, nick.clone());
        println!("ReserveNick: reserved {nick:?} as reservation {id}");
        json!({"status": "ok", "nick": nick, "ID": id})
    };
    Ok(db.remember(ctx.call_id(), v))
}

/// `await SendActivationEmail(email)`: "sends" the e-mail and returns; the
/// flow waits for the callback.
async fn send_activation_email(
    db: Shared,
    ctx: Ctx,
    confirm_after: Option<Duration>,
) -> Result<Value, Error> {
    let email = ctx.arg(0).as_str().unwrap_or("?").to_string();
    let handle = ctx
        .callback_handle()
        .ok_or_else(|| Error::permanent("SendActivationEmail must be awaited"))?;
    if !lock(&db).emailed.insert(ctx.call_id().to_string()) {
        // Sent already (this is a redelivery): do not send it twice.
        return Ok(Value::Null);
    }
    let url = handle.url();
    println!("SendActivationEmail: to {email}: \"Click to activate your account\"");
    println!("  confirm: curl -s -X POST {url} -H 'content-type: application/json' -d '{{\"value\": {{\"status\": \"ok\"}}}}'");
    println!("  decline: curl -s -X POST {url} -H 'content-type: application/json' -d '{{\"value\": {{\"status\": \"declined\"}}}}'");
    println!(
        "  or:      cargo run -p weft-worker --example register_user -- confirm {}",
        handle.token()
    );
    if let Some(after) = confirm_after {
        println!("  (confirming by itself in {}s)", after.as_secs());
        tokio::spawn(async move {
            tokio::time::sleep(after).await;
            confirm(&handle, json!({"status": "ok"}), &email).await;
        });
    }
    Ok(Value::Null)
}

/// Posts a callback, trying again a few times while the server is away.
async fn confirm(handle: &CallbackHandle, value: Value, who: &str) -> bool {
    for _ in 0..10 {
        match handle.complete(value.clone()).await {
            Ok(()) => {
                println!("{who} answered the e-mail: {value}");
                return true;
            }
            // 409: answered already, or the wait timed out. 404: unknown.
            Err(e) if !e.is_transient() => {
                println!("the callback was refused: {e}");
                return false;
            }
            Err(e) => {
                eprintln!("the callback could not be posted ({e}); trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
    false
}

/// `CreateAccount({nick, email, ...})` → `{status: "ok", id}`.
async fn create_account(db: Shared, ctx: Ctx) -> Result<Value, Error> {
    let input = ctx.arg(0);
    let nick = input["nick"]
        .as_str()
        .ok_or_else(|| Error::permanent("CreateAccount needs {nick, email}"))?
        .to_string();
    let mut db = lock(&db);
    if let Some(v) = db.answers.get(ctx.call_id()) {
        return Ok(v.clone());
    }
    let id = db.id();
    db.accounts.insert(nick.clone(), id);
    db.reservations.retain(|_, n| *n != nick);
    println!(
        "CreateAccount: account {id} for {nick:?} <{}>",
        input["email"].as_str().unwrap_or("?")
    );
    Ok(db.remember(ctx.call_id(), json!({"status": "ok", "id": id})))
}

/// `RemoveReservation(ID)`: idempotent by nature.
async fn remove_reservation(db: Shared, ctx: Ctx) -> Result<Value, Error> {
    let id = ctx
        .arg(0)
        .as_u64()
        .ok_or_else(|| Error::permanent("RemoveReservation needs a reservation id"))?;
    match lock(&db).reservations.remove(&id) {
        Some(nick) => println!("RemoveReservation: released {nick:?} (reservation {id})"),
        None => println!("RemoveReservation: reservation {id} was not held"),
    }
    Ok(json!({"status": "ok"}))
}

struct Args {
    url: String,
    token_file: Option<String>,
    confirm_after: Option<Duration>,
    concurrency: usize,
    /// `confirm TOKEN [--decline]`.
    confirm: Option<(String, bool)>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        url: std::env::var("WEFT_URL").unwrap_or_else(|_| "http://127.0.0.1:7400".into()),
        token_file: std::env::var("WEFT_TOKEN_FILE").ok(),
        confirm_after: Some(Duration::from_secs(5)),
        concurrency: 16,
        confirm: None,
    };
    let mut it = std::env::args().skip(1);
    let mut decline = false;
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--token-file" => a.token_file = Some(value("--token-file")?),
            "--confirm-after" => {
                let secs: u64 = value("--confirm-after")?
                    .parse()
                    .map_err(|_| "--confirm-after takes whole seconds")?;
                a.confirm_after = (secs > 0).then(|| Duration::from_secs(secs));
            }
            "--concurrency" => {
                a.concurrency = value("--concurrency")?
                    .parse()
                    .map_err(|_| "--concurrency takes a number")?;
            }
            "--decline" => decline = true,
            "confirm" => a.confirm = Some((value("confirm")?, false)),
            "-h" | "--help" => {
                return Err("usage: register_user [URL] [--token-file FILE] [--confirm-after SECS] [--concurrency N]\n       register_user [URL] confirm TOKEN [--decline]".into())
            }
            u if u.starts_with("http://") || u.starts_with("https://") => a.url = u.to_string(),
            other => return Err(format!("unknown argument {other:?} (try --help)")),
        }
    }
    if let Some((_, d)) = &mut a.confirm {
        *d = decline;
    }
    Ok(a)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if let Some((token, decline)) = args.confirm {
        let status = if decline { "declined" } else { "ok" };
        let ok = match CallbackHandle::new(&args.url, token) {
            Ok(h) => confirm(&h, json!({"status": status}), "you").await,
            Err(e) => {
                eprintln!("{e}");
                false
            }
        };
        return if ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    let db: Shared = Arc::default();
    let mut worker = Worker::new(&args.url)
        .name(format!("register-user-{}", std::process::id()))
        .concurrency(args.concurrency);
    if let Some(f) = &args.token_file {
        match std::fs::read_to_string(f) {
            Ok(t) => worker = worker.token(t),
            Err(e) => {
                eprintln!("cannot read the token file {f}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let confirm_after = args.confirm_after;
    let (d1, d2, d3, d4) = (db.clone(), db.clone(), db.clone(), db);
    let worker = worker
        .activity("ReserveNick", move |ctx: Ctx, _args: Value| {
            reserve_nick(d1.clone(), ctx)
        })
        .activity("SendActivationEmail", move |ctx: Ctx, _args: Value| {
            send_activation_email(d2.clone(), ctx, confirm_after)
        })
        .activity("CreateAccount", move |ctx: Ctx, _args: Value| {
            create_account(d3.clone(), ctx)
        })
        .activity("RemoveReservation", move |ctx: Ctx, _args: Value| {
            remove_reservation(d4.clone(), ctx)
        });
    match worker.run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("register_user: {e}");
            ExitCode::FAILURE
        }
    }
}
