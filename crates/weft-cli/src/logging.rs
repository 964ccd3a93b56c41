//! Where the libraries' log events go. The crates below the binary never
//! print: they emit `tracing` events (a store that failed, a batch the
//! store refused, a claim a node lost), and the binary writes them to
//! standard error, as text for people or as JSON lines for log pipelines,
//! filtered by `WEFT_LOG` (or `RUST_LOG`).

use std::fmt::{self, Write as _};

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::EnvFilter;

/// The environment variable that filters logs (`RUST_LOG`'s syntax:
/// `warn`, `weft_runtime=debug,info`, ...); `RUST_LOG` is read when it is
/// not set.
pub const FILTER_VAR: &str = "WEFT_LOG";

/// Events logged when neither variable is set.
pub const FILTER_DEFAULT: &str = "info";

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// `weft: <message>`, one line per event, as people read them.
    Text,
    /// One JSON object per line: `timestamp`, `level`, `target`,
    /// `message` and the event's fields.
    Json,
}

/// Installs the process's log writer. Called once, before any command
/// runs; a filter that does not parse is an error that names the variable.
pub fn init(format: LogFormat) -> anyhow::Result<()> {
    let filter = filter_from(
        std::env::var(FILTER_VAR).ok(),
        std::env::var("RUST_LOG").ok(),
    )?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let installed = match format {
        LogFormat::Text => builder.event_format(Text).try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .try_init(),
    };
    installed.map_err(|e| anyhow::anyhow!("cannot set up logging: {e}"))
}

/// The filter: `weft_log` if set, else `rust_log`, else [`FILTER_DEFAULT`].
fn filter_from(weft_log: Option<String>, rust_log: Option<String>) -> anyhow::Result<EnvFilter> {
    let (var, value) = match (weft_log, rust_log) {
        (Some(v), _) if !v.trim().is_empty() => (FILTER_VAR, v),
        (_, Some(v)) if !v.trim().is_empty() => ("RUST_LOG", v),
        _ => return Ok(EnvFilter::new(FILTER_DEFAULT)),
    };
    // The parse error's source repeats its message: show it once.
    EnvFilter::try_new(&value)
        .map_err(|e| anyhow::anyhow!("{var}={value:?} is not a log filter: {e}"))
}

/// The text format: the lines the CLI always wrote (`weft: <message>`;
/// `weft lsp: ` for the language server, whose log editors show). The
/// fields of Weft's own events repeat what the message says, so only
/// other crates' events show theirs.
struct Text;

impl<S, N> FormatEvent<S, N> for Text
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        writeln!(writer, "{}", text_line(event))
    }
}

/// One event as a text line (without the line break).
fn text_line(event: &Event<'_>) -> String {
    let target = event.metadata().target();
    let ours = target == "weft" || target.starts_with("weft_");
    let mut fields = Fields {
        message: String::new(),
        others: String::new(),
        keep_others: !ours,
    };
    event.record(&mut fields);
    let prefix = if target.starts_with("weft_lsp") {
        "weft lsp"
    } else {
        "weft"
    };
    let mut line = format!("{prefix}: ");
    if !ours {
        let _ = write!(line, "{target}: ");
    }
    line.push_str(&fields.message);
    line.push_str(&fields.others);
    line
}

/// An event's message, and the other fields as ` name=value`.
struct Fields {
    message: String,
    others: String,
    keep_others: bool,
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else if self.keep_others {
            let _ = write!(self.others, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else if self.keep_others {
            let _ = write!(self.others, " {}={value}", field.name());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io;
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::fmt::MakeWriter;

    use super::*;

    /// What a subscriber wrote.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Captured {
        type Writer = Captured;
        fn make_writer(&'a self) -> Captured {
            self.clone()
        }
    }

    impl Captured {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    /// Events as the runtime emits them, written in `format`.
    fn emit(format: LogFormat, filter: &str) -> String {
        let out = Captured::default();
        let builder = tracing_subscriber::fmt()
            .with_env_filter(EnvFilter::new(filter))
            .with_writer(out.clone());
        let emit = || {
            tracing::error!(target: "weft_runtime::runtime", batch = 3, error = "disk full", "batch 3 was refused by the store: disk full");
            tracing::info!(target: "weft_runtime::runtime", "an info line");
            tracing::error!(target: "weft_lsp::lsp", method = "hover", "internal error handling hover");
            tracing::warn!(target: "hyper::proto", peer = "127.0.0.1", "connection reset");
        };
        match format {
            LogFormat::Text => {
                tracing::subscriber::with_default(builder.event_format(Text).finish(), emit)
            }
            LogFormat::Json => tracing::subscriber::with_default(
                builder
                    .json()
                    .flatten_event(true)
                    .with_current_span(false)
                    .with_span_list(false)
                    .finish(),
                emit,
            ),
        }
        out.text()
    }

    #[test]
    fn text_lines_are_the_lines_the_cli_always_wrote() {
        assert_eq!(
            emit(LogFormat::Text, "info"),
            "weft: batch 3 was refused by the store: disk full\n\
             weft: an info line\n\
             weft lsp: internal error handling hover\n\
             weft: hyper::proto: connection reset peer=127.0.0.1\n"
        );
    }

    #[test]
    fn json_lines_carry_level_target_message_and_fields() {
        let out = emit(LogFormat::Json, "warn");
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3, "info is filtered out: {out}");
        let first = &lines[0];
        assert_eq!(first["level"], "ERROR");
        assert_eq!(first["target"], "weft_runtime::runtime");
        assert_eq!(
            first["message"],
            "batch 3 was refused by the store: disk full"
        );
        assert_eq!(first["batch"], 3);
        assert_eq!(first["error"], "disk full");
        assert!(first["timestamp"].is_string(), "{first}");
    }

    #[test]
    fn the_filter_comes_from_weft_log_then_rust_log() {
        let f = |w: Option<&str>, r: Option<&str>| {
            filter_from(w.map(String::from), r.map(String::from)).map(|f| f.to_string())
        };
        assert_eq!(f(None, None).unwrap(), "info");
        assert_eq!(f(Some("warn"), Some("debug")).unwrap(), "warn");
        assert_eq!(f(None, Some("debug")).unwrap(), "debug");
        assert_eq!(f(Some(" "), Some("debug")).unwrap(), "debug");
        let e = f(Some("weft=loud"), None).unwrap_err();
        assert!(
            format!("{e:#}").contains("WEFT_LOG=\"weft=loud\" is not a log filter"),
            "{e:#}"
        );
    }
}
