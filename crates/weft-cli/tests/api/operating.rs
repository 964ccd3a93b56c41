//! Operating many runs: search, exact counts, bulk repair with a dry run,
//! the audit log, workers and queues (and runs that nobody serves), time
//! travel, forks and the journal as a download.

use serde_json::{json, Value};

use super::*;

/// `q` percent-encoded for a query string.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn ids(page: &Value) -> Vec<String> {
    page["runs"].as_array().unwrap().iter().map(id_of).collect()
}

/// Twelve `Charge` runs that fail for good (their `Pay` fails twice), with
/// inputs to search by; returns their ids, oldest first.
async fn failed_charges(api: &Api, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..n {
        let nick = if i % 3 == 0 { "ann" } else { "bob" };
        out.push(
            api.start_id("Charge", json!({"nick": nick, "amount": i * 10}))
                .await,
        );
    }
    // Each run's two attempts fail, the second for good.
    let mut failed = 0;
    while failed < 2 * n {
        let tasks = api.poll_now("Pay").await;
        if tasks.is_empty() {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        for t in tasks {
            // Another test step's run: let it finish.
            if !out.iter().any(|id| t["runId"] == id.as_str()) {
                api.complete(&t, json!({"paid": true})).await;
                continue;
            }
            let error = if t["attempt"] == 1 {
                "gateway timeout"
            } else {
                "card declined"
            };
            api.fail(&t, error, true).await;
            failed += 1;
        }
    }
    for id in &out {
        api.wait_for(id, "failed").await;
    }
    out
}

#[tokio::test]
async fn search_by_every_parameter_with_exact_totals() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    let charges = failed_charges(&api, 6).await;
    let echo = api.start_and_wait("Echo", json!({"nick": "ann"})).await;
    let keyed = api
        .post(
            "/v1/runs",
            json!({"flow": "Echo", "input": 1, "idempotencyKey": "order-7"}),
        )
        .await
        .ok(201);

    let page = api.get("/v1/runs?status=failed&limit=4").await.ok(200);
    assert_eq!(page["total"], 6, "{page}");
    assert_eq!(page["exact"], true);
    assert_eq!(page["runs"].as_array().unwrap().len(), 4);
    assert!(
        page.get("scanned").is_none(),
        "SQL evaluates it all: {page}"
    );

    let q = |cond: &str| format!("/v1/runs?q={}", enc(cond));
    let page = api
        .get(&q("input.nick == \"ann\" && status == \"failed\""))
        .await
        .ok(200);
    assert_eq!(page["total"], 2, "{page}");
    let want: Vec<String> = [&charges[3], &charges[0]].map(|s| s.clone()).to_vec();
    assert_eq!(ids(&page), want, "newest first");
    let page = api.get(&q("contains(error, \"DECLINED\")")).await.ok(200);
    assert_eq!(page["total"], 6, "{page}");
    let page = api.get(&q("input.amount * 2 >= 60")).await.ok(200);
    assert_eq!(page["total"], 3, "{page}");
    assert!(
        page["scanned"].as_u64().unwrap() >= 8,
        "evaluated in Rust: {page}"
    );
    let page = api
        .get(&format!(
            "/v1/runs?sort=created&flow=Charge&limit=2&q={}",
            enc("input.amount >= 10")
        ))
        .await
        .ok(200);
    assert_eq!(ids(&page), charges[1..3].to_vec(), "oldest first");
    let next = page["nextCursor"].as_str().unwrap();
    let page2 = api
        .get(&format!(
            "/v1/runs?sort=created&flow=Charge&limit=2&q={}&cursor={next}",
            enc("input.amount >= 10")
        ))
        .await
        .ok(200);
    assert_eq!(ids(&page2), charges[3..5].to_vec());
    assert_eq!(page2["total"], 5);

    let page = api
        .get(&format!("/v1/runs?id={}", &charges[2][..20]))
        .await
        .ok(200);
    assert!(ids(&page).contains(&charges[2]), "{page}");
    let page = api
        .get(&format!("/v1/runs?id={}", charges[2]))
        .await
        .ok(200);
    assert_eq!(ids(&page), vec![charges[2].clone()]);
    let page = api.get("/v1/runs?idempotencyKey=order-7").await.ok(200);
    assert_eq!(ids(&page), vec![id_of(&keyed)]);
    let page = api.get("/v1/runs?version=1&status=completed").await.ok(200);
    assert_eq!(page["total"], 2, "{page}");
    let after = echo["createdAt"].as_str().unwrap();
    let page = api
        .get(&format!(
            "/v1/runs?createdAfter={}&sort=-updated",
            enc(after)
        ))
        .await
        .ok(200);
    assert_eq!(page["total"], 2, "{page}");
    let page = api
        .get(&format!("/v1/runs?finishedAfter={}", enc(after)))
        .await
        .ok(200);
    assert_eq!(page["total"], 2, "echo and keyed finished: {page}");
    let page = api.get("/v1/runs?topLevel=true").await.ok(200);
    assert_eq!(page["total"], 8);

    for (query, wants) in [
        ("q=input.nick%20%3D%3D", "`q`"),
        ("q=flow%20%3D%3D%201", "run.flow"),
        ("status=sleeping", "`status`"),
        ("sort=name", "`sort`"),
        ("createdAfter=yesterday", "`createdAfter`"),
        ("colour=red", "unknown parameter `colour`"),
        ("topLevel=maybe", "`topLevel`"),
    ] {
        let m = api
            .get(&format!("/v1/runs?{query}"))
            .await
            .error(400, "invalid_query");
        assert!(m.contains(wants), "{query}: {m}");
    }

    // Counts: exact, per status and per flow.
    let counts = api.get("/v1/runs/counts").await.ok(200);
    assert_eq!(counts["counts"]["failed"], 6, "{counts}");
    assert_eq!(counts["counts"]["completed"], 2, "{counts}");
    let charge = counts["flows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["flow"] == "Charge")
        .unwrap();
    assert_eq!(charge["counts"]["failed"], 6, "{counts}");
    let counts = api.get("/v1/runs/counts?flow=Echo").await.ok(200);
    assert_eq!(counts["counts"]["completed"], 2, "{counts}");
    assert_eq!(counts["counts"]["failed"], 0, "{counts}");
}

#[tokio::test]
async fn bulk_retry_with_a_dry_run_then_for_real_is_audited() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    let charges = failed_charges(&api, 5).await;
    let query = json!({"status": "failed", "q": "input.nick == \"bob\""});
    let dry = api
        .post(
            "/v1/runs/bulk",
            json!({"action": "retry", "query": query, "dryRun": true}),
        )
        .await
        .ok(200);
    assert_eq!(
        (dry["matched"].as_u64(), dry["applied"].as_u64()),
        (Some(3), Some(0)),
        "{dry}"
    );
    assert_eq!(dry["sample"].as_array().unwrap().len(), 3);
    assert!(dry["sample"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["input"]["nick"] == "bob"));
    // Nothing changed.
    assert_eq!(api.get("/v1/runs?status=failed").await.ok(200)["total"], 5);

    let done = api
        .send(
            api.request("POST", "/v1/runs/bulk")
                .header("X-Weft-Actor", "ann@ops")
                .json(&json!({"action": "retry", "query": query})),
        )
        .await
        .ok(200);
    assert_eq!(
        (
            done["matched"].as_u64(),
            done["applied"].as_u64(),
            done["done"].as_bool()
        ),
        (Some(3), Some(3), Some(true)),
        "{done}"
    );
    // Retried: their Pay goes out again; ann's runs are still failed.
    let again = api.poll_one("Pay").await;
    assert!(charges.contains(&again["runId"].as_str().unwrap().to_string()));
    assert_eq!(api.get("/v1/runs?status=failed").await.ok(200)["total"], 2);

    // Resolve the rest, one of them twice: the second is a failure.
    let r = api
        .post(
            "/v1/runs/bulk",
            json!({"action": "resolve", "query": {"status": "failed"}, "value": {"paid": false}}),
        )
        .await
        .ok(200);
    assert_eq!(
        (r["applied"].as_u64(), r["failed"].as_u64()),
        (Some(2), Some(0)),
        "{r}"
    );
    api.wait_for(&charges[0], "completed").await;
    let r = api
        .post(
            "/v1/runs/bulk",
            json!({"action": "cancel", "query": {"id": charges[0]}, "reason": "test"}),
        )
        .await
        .ok(200);
    assert_eq!(
        (r["matched"].as_u64(), r["failed"].as_u64()),
        (Some(1), Some(1)),
        "{r}"
    );
    assert!(
        r["failures"][0]["error"]
            .as_str()
            .unwrap()
            .contains("completed"),
        "{r}"
    );

    for (body, code, status) in [
        (json!({"action": "explode"}), "invalid_body", 422),
        (
            json!({"action": "resolve", "query": {}}),
            "invalid_body",
            422,
        ),
        (json!({"action": "retry", "value": 1}), "invalid_body", 422),
        (
            json!({"action": "retry", "query": {"limit": 3}}),
            "invalid_query",
            400,
        ),
        (
            json!({"action": "retry", "query": {"q": "nope("}}),
            "invalid_query",
            400,
        ),
        (
            json!({"action": "retry", "query": "status=failed"}),
            "invalid_body",
            422,
        ),
    ] {
        api.post("/v1/runs/bulk", body.clone())
            .await
            .error(status, code);
    }

    // The audit log: newest first, who, what, which runs.
    let log = api.get("/v1/audit").await.ok(200);
    let actions = log["actions"].as_array().unwrap();
    let names: Vec<&str> = actions
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["bulk-cancel", "bulk-resolve", "bulk-retry"],
        "{log}"
    );
    let retry = &actions[2];
    assert_eq!(retry["actor"], "ann@ops");
    assert_eq!(
        retry["detail"]["query"],
        json!({"status": "failed", "q": "input.nick == \"bob\""})
    );
    assert_eq!(
        (retry["matched"].as_u64(), retry["applied"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(retry["done"], true);
    assert_time(&retry["at"]);
    assert_eq!(actions[1]["actor"], "api", "no header: `api`");
    let one = api.get(&format!("/v1/audit/{}", retry["id"])).await.ok(200);
    let mut runs: Vec<String> = one["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect();
    runs.sort();
    let mut bobs: Vec<String> = charges
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 0)
        .map(|(_, id)| id.clone())
        .collect();
    bobs.sort();
    assert_eq!(runs, bobs);
    let on = api
        .get(&format!("/v1/audit?run={}", charges[0]))
        .await
        .ok(200);
    assert_eq!(on["actions"].as_array().unwrap().len(), 2, "{on}");
    api.get("/v1/audit/999").await.error(404, "unknown_action");
    api.get("/v1/audit?limit=0")
        .await
        .error(400, "invalid_query");

    // A single run's repair is audited too.
    let another = failed_charges(&api, 1).await;
    api.send(
        api.request("POST", &format!("/v1/runs/{}/cancel", another[0]))
            .header("X-Weft-Actor", "bo"),
    )
    .await
    .ok(200);
    let log = api.get("/v1/audit?limit=1").await.ok(200);
    assert_eq!(log["actions"][0]["action"], "cancel");
    assert_eq!(log["actions"][0]["actor"], "bo");
    assert!(log["nextBefore"].is_number(), "{log}");
    api.send(
        api.request("POST", &format!("/v1/runs/{}/retry", another[0]))
            .header("X-Weft-Actor", "x".repeat(101)),
    )
    .await
    .error(400, "bad_request");
}

#[tokio::test]
async fn queues_and_workers_say_who_serves_what() {
    let dir = TempDir::new("api");
    let launch = Launch::data(dir.path()).config("poller_stale = \"1s\"\n");
    let (_s, api) = server_with(launch).await;
    let held = api.start_id("Hold", json!(1)).await;
    let greet = api.start_id("Greet", json!("x")).await;
    // Nobody polls `Never` or `Hello` for a second: both runs stall.
    let stalled = api
        .wait_until(&held, "say no worker polls Never", |r| {
            r.get("stalled").is_some()
        })
        .await;
    assert_eq!(stalled["stalled"]["activity"], "Never", "{stalled}");
    assert!(
        stalled["stalled"]["message"]
            .as_str()
            .unwrap()
            .starts_with("no worker has polled Never since the server started"),
        "{stalled}"
    );
    // A worker polls for Hello (and takes its task): Greet is served.
    let t = api.poll_one("Hello").await;
    let r = api.run(&greet).await;
    assert!(r.get("stalled").is_none(), "{r}");
    let page = api.get("/v1/runs?status=running").await.ok(200);
    let held_row = page["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == held.as_str())
        .unwrap();
    assert_eq!(
        held_row["stalled"]["activity"], "Never",
        "the list says so too"
    );

    let queues = api.get("/v1/queues").await.ok(200);
    let q = |a: &str| {
        queues["queues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["activity"] == a)
            .cloned()
            .unwrap_or_else(|| panic!("{a} in {queues}"))
    };
    let never = q("Never");
    assert_eq!(
        (
            never["ready"].as_u64(),
            never["leased"].as_u64(),
            never["pollers"].as_u64()
        ),
        (Some(1), Some(0), Some(0)),
        "{never}"
    );
    assert_eq!(never["stalled"], true);
    assert_eq!(never["kind"], "pull");
    let hello = q("Hello");
    assert_eq!(
        (
            hello["ready"].as_u64(),
            hello["leased"].as_u64(),
            hello["pollers"].as_u64()
        ),
        (Some(0), Some(1), Some(1)),
        "{hello}"
    );
    assert_eq!(hello["stalled"], false);
    assert_time(&hello["lastPoll"]);

    let workers = api.get("/v1/workers").await.ok(200);
    let w = &workers["workers"][0];
    assert_eq!(w["worker"], "test", "{workers}");
    assert_eq!(w["activities"][0]["activity"], "Hello");
    assert_eq!(w["active"], true);
    assert_eq!(workers["pollerStale"], "1s");
    api.complete(&t, json!("hi")).await;
}

#[tokio::test]
async fn a_run_is_seen_at_each_step_and_forked_from_one() {
    let dir = TempDir::new("api");
    let (_s, api) = server(&dir).await;
    api.deploy(
        "flow Trip(city) {\n    hotel = Book(city)\n    nights = hotel.nights + 1\n    car = Rent(city, nights)\n    return {hotel: hotel, car: car}\n}\n",
    )
    .await;
    let id = api.start_id("Trip", json!("Oslo")).await;
    let t = api.poll_one("Book").await;
    api.complete(&t, json!({"nights": 2})).await;
    let t = api.poll_one("Rent").await;
    assert_eq!(t["args"], json!(["Oslo", 3]));
    api.fail(&t, "no cars left", false).await;
    api.wait_for(&id, "failed").await;

    let s1 = api.get(&format!("/v1/runs/{id}/steps/1")).await.ok(200);
    assert_eq!(
        (s1["step"].as_u64(), s1["steps"].as_u64()),
        (Some(1), Some(3)),
        "{s1}"
    );
    assert_eq!(s1["status"], "running");
    assert_eq!(s1["positions"][0]["line"], 2, "{s1}");
    assert_eq!(s1["entries"][0]["type"], "started");
    assert_time(&s1["at"]);
    let s2 = api.get(&format!("/v1/runs/{id}/steps/2")).await.ok(200);
    let vars = &s2["fibers"][0]["frames"][0]["variables"];
    let var = |name: &str| {
        vars.as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == name)
            .map(|v| v["value"].clone())
            .unwrap_or_else(|| panic!("{name} in {vars}"))
    };
    assert_eq!(var("city"), json!("Oslo"));
    assert_eq!(var("hotel"), json!({"nights": 2}));
    assert_eq!(var("nights"), json!(3));
    assert_eq!(s2["positions"][0]["line"], 4, "stands at Rent: {s2}");
    let s3 = api.get(&format!("/v1/runs/{id}/steps/3")).await.ok(200);
    assert_eq!(s3["status"], "failed");
    assert!(
        s3["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no cars left"),
        "{s3}"
    );
    api.get(&format!("/v1/runs/{id}/steps/4"))
        .await
        .error(404, "no_such_step");
    api.get(&format!("/v1/runs/{id}/steps/0"))
        .await
        .error(400, "bad_request");
    api.get(&format!("/v1/runs/{NO_RUN}/steps/1"))
        .await
        .error(404, "unknown_run");

    // Fork after step 2: the new run calls Rent again, under its own id.
    let fork = api
        .send(
            api.request("POST", &format!("/v1/runs/{id}/fork"))
                .header("X-Weft-Actor", "fixer")
                .json(&json!({"step": 2})),
        )
        .await
        .ok(201);
    assert_eq!(fork["forkedFrom"], id.as_str(), "{fork}");
    let fork_id = id_of(&fork);
    let t = api.poll_one("Rent").await;
    assert_eq!(t["runId"], fork_id.as_str());
    assert_eq!(t["args"], json!(["Oslo", 3]));
    api.complete(&t, json!({"car": "V70"})).await;
    let done = api.wait_for(&fork_id, "completed").await;
    assert_eq!(
        done["result"],
        json!({"hotel": {"nights": 2}, "car": {"car": "V70"}})
    );
    assert_eq!(api.run(&id).await["status"], "failed", "the original stays");
    let j = api.journal(&fork_id).await;
    assert_eq!(j[0]["type"], "forked", "{j:?}");
    assert_eq!(j[0]["from"], id.as_str());
    // Every step of the fork replays too.
    let f2 = api
        .get(&format!("/v1/runs/{fork_id}/steps/2"))
        .await
        .ok(200);
    assert_eq!(f2["status"], "completed", "{f2}");
    let page = api
        .get(&format!(
            "/v1/runs?q={}",
            enc(&format!("forkedFrom == \"{id}\""))
        ))
        .await
        .ok(200);
    assert_eq!(ids(&page), vec![fork_id.clone()]);
    let log = api.get("/v1/audit").await.ok(200);
    assert_eq!(log["actions"][0]["action"], "fork");
    assert_eq!(log["actions"][0]["actor"], "fixer");

    // Onto a newer version that fixes the line after the first wait
    // (nights without the + 1): forked from step 1, Book is called again,
    // then Rent with the fixed value; the move is in the fork's journal.
    const TRIP: &str = "flow Trip(city) {\n    hotel = Book(city)\n    nights = hotel.nights + 1\n    car = Rent(city, nights)\n    return {hotel: hotel, car: car}\n}\n";
    let v2 = api
        .deploy(&TRIP.replace("hotel.nights + 1", "hotel.nights"))
        .await["version"]
        .as_i64()
        .unwrap();
    let v3 = api
        .deploy(&TRIP.replace("Book(city)", "Book(city + \"!\")"))
        .await["version"]
        .as_i64()
        .unwrap();
    let onto = api
        .send(
            api.request("POST", &format!("/v1/runs/{id}/fork"))
                .header("X-Weft-Actor", "fixer")
                .json(&json!({"step": 1, "version": v2})),
        )
        .await
        .ok(201);
    assert_eq!(onto["version"], v2, "{onto}");
    let onto_id = id_of(&onto);
    let t = api.poll_one("Book").await;
    assert_eq!(t["runId"], onto_id.as_str());
    api.complete(&t, json!({"nights": 2})).await;
    let t = api.poll_one("Rent").await;
    assert_eq!(t["args"], json!(["Oslo", 2]), "the fixed line");
    api.complete(&t, json!({"car": "V60"})).await;
    api.wait_for(&onto_id, "completed").await;
    let j = api.journal(&onto_id).await;
    let up = j
        .iter()
        .find(|e| e["type"] == "upgraded")
        .unwrap_or_else(|| panic!("no upgraded entry: {j:?}"));
    assert_eq!(
        (&up["from"], &up["to"], &up["by"]),
        (&json!(1), &json!(v2), &json!("fixer"))
    );
    assert_eq!(up["step"], 1);
    let log = api.get("/v1/audit").await.ok(200);
    assert_eq!(log["actions"][0]["detail"]["version"], v2, "{log}");
    // Refused by the checker: the wait's own call changed in version 3.
    let r = api
        .post(
            &format!("/v1/runs/{id}/fork"),
            json!({"step": 1, "version": v3}),
        )
        .await;
    let m = r.error(409, "upgrade_refused");
    assert!(m.contains("cannot move from version 1 to 3"), "{m}");
    let reasons = r.json()["error"]["reasons"].clone();
    assert!(
        reasons.as_array().is_some_and(|r| !r.is_empty()),
        "{reasons}"
    );
    // Back onto an older version, and onto one not deployed.
    let m = api
        .post(
            &format!("/v1/runs/{onto_id}/fork"),
            json!({"step": 1, "version": 1}),
        )
        .await
        .error(409, "not_applicable");
    assert!(m.contains("older"), "{m}");
    api.post(
        &format!("/v1/runs/{id}/fork"),
        json!({"step": 1, "version": 99}),
    )
    .await
    .error(404, "unknown_version");
    api.post(&format!("/v1/runs/{id}/fork"), json!({"step": 9}))
        .await
        .error(404, "no_such_step");
    api.post(&format!("/v1/runs/{id}/fork"), json!({"step": 0}))
        .await
        .error(422, "invalid_body");

    // The journal as a file, with absolute times for every attempt.
    let r = api.get(&format!("/v1/runs/{id}/export")).await;
    assert_eq!(r.status, 200);
    assert!(
        r.header("content-disposition")
            .unwrap()
            .contains(&format!("run-{id}.json")),
        "{:?}",
        r.header("content-disposition")
    );
    let file = r.json();
    assert_eq!(file["run"]["id"], id.as_str());
    let steps = file["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 3);
    for st in steps {
        for e in st["entries"].as_array().unwrap() {
            assert_time(&e["at"]);
            assert!(e["atMs"].is_i64(), "{e}");
        }
    }
    assert_eq!(
        steps[1]["cause"]["event"]["type"], "callCompleted",
        "{file}"
    );
}

/// A repair editor's starting value: each declared activity's result type
/// as written, an example of its shape and the example as text with the
/// fields in declared order (a JSON object's keys come back sorted); an
/// activity without a result type has no example.
#[tokio::test]
async fn declared_activities_give_the_editors_their_shapes() {
    let dir = TempDir::new("api");
    let (_s, api) = server(&dir).await;
    let deployed = api
        .deploy(
            "activity Rent(city: string) -> {car: string, nights: int, extras: {seat: bool}}\n\
             activity Note(text: string)\n\n\
             flow Trip(city) {\n    car = Rent(city)\n    Note(\"booked\")\n    return car\n}\n",
        )
        .await;
    let v = deployed["version"].as_i64().expect("a version");
    let a = api
        .get(&format!("/v1/versions/{v}/activities"))
        .await
        .ok(200);
    let of = |name: &str| {
        a["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} in {a}"))
    };
    let rent = of("Rent");
    assert_eq!(rent["declared"], true, "{rent}");
    assert_eq!(
        rent["returns"],
        "{car: string, nights: int, extras: {seat: bool}}"
    );
    assert_eq!(
        rent["example"],
        json!({"car": "", "nights": 0, "extras": {"seat": false}})
    );
    assert_eq!(
        rent["exampleText"],
        "{\n  \"car\": \"\",\n  \"nights\": 0,\n  \"extras\": {\n    \"seat\": false\n  }\n}"
    );
    let note = of("Note");
    assert_eq!(note["declared"], false, "{note}");
    assert_eq!(
        (&note["example"], &note["exampleText"]),
        (&Value::Null, &Value::Null)
    );
    api.get("/v1/versions/999/activities")
        .await
        .error(404, "unknown_version");
}
