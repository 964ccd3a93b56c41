//! `/metrics`: runs per status, histograms of steps and commits, and the
//! depth of the task queue.

use std::time::{Duration, Instant};

use serde_json::json;

use super::*;

#[tokio::test]
async fn metrics_count_runs_and_show_latency_and_queue_depth() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    for i in 0..3 {
        api.start_and_wait("Echo", json!(i)).await;
    }
    api.start("Hold", json!(1)).await;
    api.start("Hold", json!(2)).await;
    // Wait until both tasks are queued.
    let start = Instant::now();
    let text = loop {
        let m = api.get("/metrics").await;
        assert_eq!(m.status, 200);
        assert!(
            m.header("content-type")
                .is_some_and(|c| c.starts_with("text/plain")),
            "{:?}",
            m.headers
        );
        if m.text
            .contains("weft_queue_tasks{activity=\"Never\",state=\"ready\"} 2")
        {
            break m.text;
        }
        assert!(start.elapsed() < PATIENCE, "{}", m.text);
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.contains(&"weft_runs{status=\"completed\"} 3"),
        "{text}"
    );
    assert!(lines.contains(&"weft_runs{status=\"running\"} 2"), "{text}");
    assert!(
        lines.contains(&"weft_queue_tasks{activity=\"Never\",state=\"leased\"} 0"),
        "{text}"
    );
    for h in [
        "weft_step_seconds",
        "weft_commit_seconds",
        "weft_commit_batch_writes",
    ] {
        assert!(
            lines.contains(&format!("# TYPE {h} histogram").as_str()),
            "{h}: {text}"
        );
        let count: u64 = lines
            .iter()
            .find_map(|l| l.strip_prefix(&format!("{h}_count ")))
            .unwrap_or_else(|| panic!("{h}_count: {text}"))
            .parse()
            .unwrap();
        assert!(count >= 1, "{h}: {text}");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("{h}_bucket{{le=\"+Inf\"}} {count}"))),
            "{h}: {text}"
        );
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("{h}_sum "))),
            "{h}: {text}"
        );
    }
    // Each transaction committed at least one batch.
    let value = |name: &str| -> u64 {
        lines
            .iter()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("{name}: {text}"))
            .trim()
            .parse()
            .unwrap()
    };
    let transactions = value("weft_commit_transactions_total ");
    assert!(
        (1..=value("weft_commit_seconds_count ")).contains(&transactions),
        "{text}"
    );
    // Leasing one moves it from ready to leased.
    api.poll_one("Never").await;
    let text = api.get("/metrics").await.text;
    assert!(
        text.contains("weft_queue_tasks{activity=\"Never\",state=\"ready\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("weft_queue_tasks{activity=\"Never\",state=\"leased\"} 1"),
        "{text}"
    );
}
