//! `GET /metrics` in Prometheus' text format: runs by status, step and
//! commit latency, commit batch sizes, queue depth per activity, and per
//! activity what a scaler needs (ready tasks, the oldest one's age, calls
//! in flight; `docs/deploying.md`).

use std::fmt::Write as _;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use weft_runtime::metrics::Histogram;

use crate::state::AppState;

fn histogram(out: &mut String, name: &str, help: &str, h: &Histogram) {
    let (buckets, sum, count) = h.snapshot();
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} histogram");
    for (le, n) in buckets {
        let _ = writeln!(out, "{name}_bucket{{le=\"{le}\"}} {n}");
    }
    let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
    let _ = writeln!(out, "{name}_sum {sum}");
    let _ = writeln!(out, "{name}_count {count}");
}

/// A counter with one sample per label set (`""` for none).
fn counter(out: &mut String, name: &str, help: &str, samples: &[(&str, u64)]) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} counter");
    for (labels, n) in samples {
        match labels.is_empty() {
            true => writeln!(out, "{name} {n}"),
            false => writeln!(out, "{name}{{{labels}}} {n}"),
        }
        .ok();
    }
}

/// Label values escape backslashes, quotes and line breaks.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The metrics page.
pub async fn render(State(s): State<AppState>) -> Response {
    let store = s.runtime.store().clone();
    let counts = tokio::task::spawn_blocking(move || store.count_by_status()).await;
    let mut out = String::new();
    let _ = writeln!(out, "# HELP weft_runs Runs by status.");
    let _ = writeln!(out, "# TYPE weft_runs gauge");
    match counts {
        Ok(Ok(counts)) => {
            for (status, n) in counts {
                let _ = writeln!(out, "weft_runs{{status=\"{}\"}} {n}", status.as_str());
            }
        }
        _ => {
            let _ = writeln!(out, "# the store could not be read");
        }
    }
    let m = s.runtime.metrics();
    histogram(
        &mut out,
        "weft_step_seconds",
        "Time from the event that caused a run step to the step being durable.",
        &m.step_seconds,
    );
    histogram(
        &mut out,
        "weft_commit_seconds",
        "Time from handing a batch of run steps to the store to its being durable (batches that waited for the writer together share one transaction and one fsync).",
        &m.commit_seconds,
    );
    histogram(
        &mut out,
        "weft_commit_batch_writes",
        "Run steps per committed batch (group commit).",
        &m.batch_writes,
    );
    counter(
        &mut out,
        "weft_commit_failures_total",
        "Batches that did not commit (refused or failed by the store, or built on one that failed); their requests were answered with the error.",
        &[("", m.commit_failures.load(std::sync::atomic::Ordering::Relaxed))],
    );
    counter(
        &mut out,
        "weft_commit_transactions_total",
        "Transactions the store committed for batches; batches that waited for the writer together share one, so this is at most the count of weft_commit_seconds.",
        &[("", m.transactions.load(std::sync::atomic::Ordering::Relaxed))],
    );
    counter(
        &mut out,
        "weft_core_rounds_total",
        "Times the runtime's core thread went round its loop (messages handled, or a timer or heartbeat); far above the steps and commits, it spins.",
        &[("", m.core_rounds.load(std::sync::atomic::Ordering::Relaxed))],
    );
    let _ = writeln!(
        out,
        "# HELP weft_connections Open HTTP connections.\n# TYPE weft_connections gauge\nweft_connections {}",
        s.connections.open()
    );
    let _ = writeln!(
        out,
        "# HELP weft_connections_refused_total Connections refused or closed to make room (connection caps).\n# TYPE weft_connections_refused_total counter\nweft_connections_refused_total {}",
        s.connections.refused.load(std::sync::atomic::Ordering::Relaxed)
    );
    let r = s.reported.now();
    let via =
        |request: u64, stream: u64| [("via=\"request\"", request), ("via=\"stream\"", stream)];
    counter(
        &mut out,
        "weft_task_results_total",
        "Activity results workers reported, refused ones included, by how: `request` (POST /v1/tasks/results, /complete, /fail) or `stream` (a report line down a two-way task stream).",
        &via(r.by_request, r.by_stream),
    );
    counter(
        &mut out,
        "weft_task_heartbeats_total",
        "Task heartbeats workers sent, refused ones included, by how: `request` (POST /v1/tasks/{taskId}/heartbeat) or `stream` (in a report line of a two-way task stream).",
        &via(r.beats_by_request, r.beats_by_stream),
    );
    counter(
        &mut out,
        "weft_task_results_rejected_total",
        "Reported results refused because their task was no longer open (it timed out, went to another worker, or was cancelled).",
        &[("", r.rejected)],
    );
    counter(
        &mut out,
        "weft_stream_report_lines_refused_total",
        "Report lines of two-way task streams refused whole as malformed (nothing of them applied).",
        &[("", r.bad_lines)],
    );
    let _ = writeln!(out, "# HELP weft_queue_tasks Tasks in the pull queue per activity, waiting for a worker or leased.");
    let _ = writeln!(out, "# TYPE weft_queue_tasks gauge");
    for (activity, d) in s.queue.depth() {
        let a = label(&activity);
        let _ = writeln!(
            out,
            "weft_queue_tasks{{activity=\"{a}\",state=\"ready\"}} {}",
            d.ready
        );
        let _ = writeln!(
            out,
            "weft_queue_tasks{{activity=\"{a}\",state=\"leased\"}} {}",
            d.leased
        );
    }
    activity_gauges(&mut out, &s);
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        out,
    )
        .into_response()
}

/// The figures of every activity: the pull queue's and those of the calls
/// the server makes itself, added up.
pub fn activity_figures(
    s: &AppState,
) -> std::collections::BTreeMap<String, crate::placement::Figures> {
    let mut all = s.placements.figures();
    for (activity, d) in s.queue.depth() {
        let f = all.entry(activity).or_default();
        f.ready += d.ready;
        f.in_flight += d.leased;
        f.oldest_ready = f.oldest_ready.max(d.oldest_ready);
    }
    all
}

fn activity_gauges(out: &mut String, s: &AppState) {
    let all = activity_figures(s);
    type Value = fn(&crate::placement::Figures) -> String;
    let gauges: [(&str, &str, Value); 3] = [
        (
            "weft_activity_ready_tasks",
            "Tasks of the activity waiting: for a worker to poll them, or for a free slot or the rate of the calls the server makes.",
            |f| f.ready.to_string(),
        ),
        (
            "weft_activity_oldest_ready_seconds",
            "How long the activity's oldest ready task has waited.",
            |f| format!("{:.3}", f.oldest_ready.as_secs_f64()),
        ),
        (
            "weft_activity_in_flight",
            "Tasks of the activity under way: leased to a worker, or being called by the server.",
            |f| f.in_flight.to_string(),
        ),
    ];
    for (name, help, value) in gauges {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} gauge");
        for (activity, f) in &all {
            let _ = writeln!(
                out,
                "{name}{{activity=\"{}\"}} {}",
                label(activity),
                value(f)
            );
        }
    }
}
