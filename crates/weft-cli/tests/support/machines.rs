//! The machines' fault load (`crash.rs` on SQLite, `cluster.rs` on the
//! PostgreSQL cluster): hundreds of commands to a few `Counter` instances,
//! sent by concurrent senders, each command twice at once with the same
//! `commandId` and again whenever an answer was lost to a killed server;
//! a fifth of them run a handler that calls an activity (so a command can
//! be mid-handler when the server dies). At the end every total must be
//! exact: each command applied once, every answer to a command id the
//! same, the history every version in order.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use super::load::{self, Problems};
use super::Api;

pub const SOURCE: &str = r#"machine Counter {
    state { total: number = 0, adds: int = 0 }

    command Add(input: {n: number}) {
        return {total: state.total + input.n, adds: state.adds + 1}
    }

    command Weighed(input: {n: number}) {
        w = Weigh(input.n) @retry(3, backoff: 100ms)
        return {total: state.total + w.v, adds: state.adds + 1}
    }
}
"#;

/// Instances the commands go to.
pub const KEYS: usize = 5;

/// Concurrent senders.
pub const SENDERS: usize = 16;

/// Copies of each command sent at once.
pub const COPIES: usize = 2;

/// Longest a command's request waits (the server's `wait`, then a margin).
pub const COMMAND_WAIT: &str = "10s";
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(15);

/// Command `i`: (key, command, n, commandId).
pub fn command(i: usize) -> (String, &'static str, i64, String) {
    let name = if i.is_multiple_of(5) {
        "Weighed"
    } else {
        "Add"
    };
    (
        format!("k{}", i % KEYS),
        name,
        i as i64 + 1,
        format!("cmd-{i}"),
    )
}

/// What `Weigh(n)` answers.
pub fn weigh(n: i64) -> Value {
    json!({ "v": 2 * n })
}

/// Each key's (total, commands) once `count` commands are applied.
pub fn expected(count: usize) -> BTreeMap<String, (i64, i64)> {
    let mut want = BTreeMap::new();
    for i in 0..count {
        let (key, name, n, _) = command(i);
        let e: &mut (i64, i64) = want.entry(key).or_default();
        e.0 += if name == "Weighed" { 2 * n } else { n };
        e.1 += 1;
    }
    want
}

/// What the senders saw.
#[derive(Default)]
pub struct Answers {
    /// Per command: the (version, state) of every `200` answer.
    pub applied: Mutex<BTreeMap<usize, Vec<(Value, Value)>>>,
    /// Answers that were neither `200`, `202`, a dead server nor a busy
    /// one (`503`, `429`).
    pub odd: Mutex<Vec<String>>,
    /// `202`s (the wait ran out: sent again) and `503`/`429`s.
    pub pending: AtomicUsize,
    pub unavailable: AtomicUsize,
    /// Requests that got no answer (the server died): sent again.
    pub lost: AtomicUsize,
    pub stop: AtomicBool,
}

impl Answers {
    pub fn answered(&self) -> usize {
        self.applied.lock().unwrap().len()
    }
}

/// The address to send to on attempt `n` (the current server, or a node).
pub type UrlOf = Arc<dyn Fn(usize) -> String + Send + Sync>;

/// Sends commands `0..count` ([`COPIES`] at once each, from [`SENDERS`]
/// tasks) until each has a `200`; a command without an answer goes again
/// (to the next address) with its commandId.
pub async fn send_all(client: reqwest::Client, url_of: UrlOf, answers: Arc<Answers>, count: usize) {
    load::spread(count, SENDERS, COPIES, move |i| {
        let (client, url_of, answers) = (client.clone(), url_of.clone(), answers.clone());
        async move {
            let (key, name, n, id) = command(i);
            for attempt in i.. {
                if answers.stop.load(Ordering::SeqCst) {
                    return false;
                }
                let url = url_of(attempt);
                let sent = client
                    .post(format!("{url}/v1/machines/Counter/{key}/{name}"))
                    .json(&json!({"input": {"n": n}, "commandId": id, "wait": COMMAND_WAIT}))
                    .timeout(COMMAND_TIMEOUT)
                    .send()
                    .await;
                let Ok(r) = sent else {
                    answers.lost.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(load::NO_ANSWER_PAUSE).await;
                    continue;
                };
                let status = r.status().as_u16();
                let body: Value = r.json().await.unwrap_or(Value::Null);
                match status {
                    200 => {
                        answers
                            .applied
                            .lock()
                            .unwrap()
                            .entry(i)
                            .or_default()
                            .push((body["version"].clone(), body["state"].clone()));
                        return true;
                    }
                    202 => {
                        answers.pending.fetch_add(1, Ordering::SeqCst);
                    }
                    429 | 503 => {
                        answers.unavailable.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    _ => {
                        answers
                            .odd
                            .lock()
                            .unwrap()
                            .push(format!("{id}: {status} {body}"));
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            }
            true
        }
    })
    .await;
}

/// A worker of `Weigh`, polling the address of its turn.
pub async fn weigher(no: usize, client: reqwest::Client, url_of: UrlOf, stop: Arc<Answers>) {
    let name = format!("weigher-{no}");
    let mut polls = no;
    while !stop.stop.load(Ordering::SeqCst) {
        polls += 1;
        let url = url_of(polls);
        let Some(tasks) = load::poll(&client, &url, &["Weigh"], polls, &name).await else {
            continue;
        };
        for t in tasks {
            let n = super::int(super::first_arg(&t.args));
            tokio::time::sleep(Duration::from_millis(5)).await;
            load::report(&client, &url_of(polls + 1), &t, Ok(weigh(n))).await;
        }
    }
}

/// Checks what the server holds against what `count` commands make and
/// what the senders were told.
pub async fn check(api: &Api, answers: &Answers, count: usize, problems: &mut Problems) {
    let applied = answers.applied.lock().unwrap().clone();
    // Command id -> (version, state) in the history.
    let mut history: BTreeMap<String, (Value, Value)> = BTreeMap::new();
    for (key, (total, adds)) in expected(count) {
        let inst = api.get(&format!("/v1/machines/Counter/{key}")).await;
        if inst.status != 200 {
            problems.push(format!("{key}: {} {}", inst.status, inst.text));
            continue;
        }
        let inst = inst.json();
        let want = json!({"total": total, "adds": adds});
        if inst["state"] != want || inst["version"] != json!(adds) {
            problems.push(format!(
                "{key}: state {} version {} (expected {want} version {adds})",
                inst["state"], inst["version"]
            ));
        }
        let mut items = Vec::new();
        let mut after = String::new();
        loop {
            let page = api
                .get(&format!(
                    "/v1/machines/Counter/{key}/history?limit=1000&after={after}"
                ))
                .await
                .ok(200);
            items.extend(page["items"].as_array().cloned().unwrap_or_default());
            match page["next"].as_str() {
                Some(n) => after = n.to_string(),
                None => break,
            }
        }
        let versions: Vec<i64> = items.iter().filter_map(|c| c["version"].as_i64()).collect();
        if versions != (1..=adds).collect::<Vec<_>>() || items.len() as i64 != adds {
            problems.push(format!(
                "{key}: the history has {} commands with versions {versions:?}, expected 1..={adds}",
                items.len()
            ));
        }
        for c in items {
            if c["status"] != "applied" {
                problems.push(format!("{key}: a command was not applied: {c}"));
            }
            let id = c["commandId"].as_str().unwrap_or_default().to_string();
            if history
                .insert(id.clone(), (c["version"].clone(), c["state"].clone()))
                .is_some()
            {
                problems.push(format!("{key}: command {id} is in the history twice"));
            }
        }
    }
    if history.len() != count {
        problems.push(format!(
            "the histories hold {} commands, {count} were sent",
            history.len()
        ));
    }
    // Every answer to a command named the version and state it made.
    for i in 0..count {
        let (key, _, _, id) = command(i);
        let Some(made) = history.get(&id) else {
            problems.push(format!("{key}: command {id} is in no history (lost)"));
            continue;
        };
        for got in applied.get(&i).map(Vec::as_slice).unwrap_or_default() {
            if got != made {
                problems.push(format!(
                    "{id}: answered version {} state {}, but made version {} state {}",
                    got.0, got.1, made.0, made.1
                ));
            }
        }
        if !applied.contains_key(&i) {
            problems.push(format!("{id}: no sender got an answer"));
        }
    }
    problems.odd(
        "command answer(s) neither 200, 202, 429 nor 503",
        &answers.odd.lock().unwrap(),
    );
}
