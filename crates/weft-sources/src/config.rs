//! A source as the server's configuration file declares it (`[[sources]]`).
//!
//! ```toml
//! [[sources]]
//! name = "orders"              # prefixes every event id: "orders:ITEM-ID"
//! kind = "http"                # http | postgres | nats | redis
//! url = "http://shop:8080/events"
//! interval = "5s"              # pull sources: how often to poll
//! batch = 100                  # items per poll or read
//! type = "created"             # the event type when an item has none
//! subject = "order"            # the event subject when an item has none
//!
//! [[sources]]
//! name = "outbox"
//! kind = "postgres"
//! url = "postgres://app@db/app"
//! query = "SELECT id, type, data FROM outbox WHERE id > $1 ORDER BY id LIMIT 100"
//! cursor_column = "id"         # default: id_column
//! id_column = "id"             # default: "id"
//! start = "0"                  # the cursor before the first poll
//!
//! [[sources]]
//! name = "jobs"
//! kind = "nats"
//! url = "nats://127.0.0.1:4222"
//! stream = "JOBS"              # an existing JetStream stream
//! consumer = "weft-jobs"       # durable consumer (default: weft-NAME)
//! filter = "jobs.>"            # optional subject filter
//!
//! [[sources]]
//! name = "clicks"
//! kind = "redis"
//! url = "redis://127.0.0.1:6379"
//! stream = "clicks"
//! group = "weft"               # consumer group (default: weft-NAME); each node reads as itself
//! start = "0"                  # where a new group starts: "0" everything, "$" only new entries
//! ```

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;

use crate::limits;

/// One configured source. (Unknown settings are refused by [`Kind`]: serde
/// cannot refuse them on a struct with a flattened field.)
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct SourceConfig {
    /// Unique among the sources; prefixes its events' ids.
    pub name: String,
    /// What it reads.
    #[serde(flatten)]
    pub kind: Kind,
    /// Items per poll or read (default [`limits::BATCH_DEFAULT`]).
    #[serde(default)]
    pub batch: Option<usize>,
    /// The event type of items that carry none.
    #[serde(default, rename = "type")]
    pub event_type: Option<String>,
    /// The event subject of items that carry none.
    #[serde(default)]
    pub subject: Option<String>,
}

/// What a source reads, with its own settings.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum Kind {
    /// Polls `GET url?cursor=C&limit=N` (docs/triggers.md: the answer's shape).
    Http {
        /// The endpoint.
        url: String,
        /// How often to poll (default [`limits::INTERVAL_DEFAULT`]).
        #[serde(default)]
        interval: Option<String>,
        /// Extra request headers (credentials).
        #[serde(default)]
        headers: BTreeMap<String, String>,
    },
    /// Polls a query whose `$1` is the cursor.
    Postgres {
        /// The database.
        url: String,
        /// `SELECT ... WHERE cursor_column > $1 ORDER BY cursor_column LIMIT n`.
        query: String,
        /// The column whose last value is the next cursor (default: `id_column`).
        #[serde(default)]
        cursor_column: Option<String>,
        /// The column that identifies a row (default `id`).
        #[serde(default)]
        id_column: Option<String>,
        /// The cursor before the first poll.
        #[serde(default)]
        start: Option<String>,
        /// How often to poll (default [`limits::INTERVAL_DEFAULT`]).
        #[serde(default)]
        interval: Option<String>,
    },
    /// A durable pull consumer of a JetStream stream.
    Nats {
        /// The server.
        url: String,
        /// The stream (it must exist).
        stream: String,
        /// The durable consumer's name (default `weft-NAME`).
        #[serde(default)]
        consumer: Option<String>,
        /// Only messages on these subjects.
        #[serde(default)]
        filter: Option<String>,
        /// How long JetStream waits for an ack before delivering again
        /// (default [`limits::NATS_ACK_WAIT`]; only when the consumer is made).
        #[serde(default)]
        ack_wait: Option<String>,
    },
    /// A consumer group of a Redis stream.
    Redis {
        /// The server.
        url: String,
        /// The stream's key.
        stream: String,
        /// The group (default `weft-NAME`).
        #[serde(default)]
        group: Option<String>,
        /// Where a newly made group starts (`0` or `$`; default `0`).
        #[serde(default)]
        start: Option<String>,
        /// Entries another consumer left pending this long are claimed
        /// (default [`limits::REDIS_CLAIM_IDLE`]).
        #[serde(default)]
        claim_idle: Option<String>,
    },
}

impl Kind {
    /// The kind's name as the file writes it.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Http { .. } => "http",
            Kind::Postgres { .. } => "postgres",
            Kind::Nats { .. } => "nats",
            Kind::Redis { .. } => "redis",
        }
    }
}

impl SourceConfig {
    /// Items per read.
    pub fn batch(&self) -> usize {
        self.batch.unwrap_or(limits::BATCH_DEFAULT)
    }

    /// How often a pull source polls.
    pub fn interval(&self) -> Duration {
        let text = match &self.kind {
            Kind::Http { interval, .. } | Kind::Postgres { interval, .. } => interval.as_deref(),
            _ => None,
        };
        text.and_then(parse_interval)
            .unwrap_or(limits::INTERVAL_DEFAULT)
    }

    /// Refuses a configuration that cannot work, naming the source and
    /// the setting.
    pub fn validate(&self) -> Result<(), String> {
        let name = &self.name;
        if name.is_empty()
            || name.len() > limits::SOURCE_NAME_BYTES_MAX
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(format!(
                "sources: name {name:?} must be 1 to {} letters, digits, '-', '_' or '.' (SOURCE_NAME_BYTES_MAX)",
                limits::SOURCE_NAME_BYTES_MAX
            ));
        }
        if let Some(b) = self.batch {
            if b == 0 || b > limits::BATCH_MAX {
                return Err(format!(
                    "sources.{name}.batch: {b} must be 1 to {} (BATCH_MAX)",
                    limits::BATCH_MAX
                ));
            }
        }
        match &self.kind {
            Kind::Http { interval, url, .. } => {
                check_interval(name, interval)?;
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return Err(format!("sources.{name}.url: {url:?} is not an http(s) URL"));
                }
            }
            Kind::Postgres {
                interval, query, ..
            } => {
                check_interval(name, interval)?;
                if !query.contains("$1") {
                    return Err(format!(
                        "sources.{name}.query: the query must compare the cursor column with $1"
                    ));
                }
            }
            Kind::Nats {
                stream, ack_wait, ..
            } => {
                if stream.is_empty() {
                    return Err(format!("sources.{name}.stream: empty"));
                }
                check_duration(name, "ack_wait", ack_wait)?;
            }
            Kind::Redis {
                stream, claim_idle, ..
            } => {
                if stream.is_empty() {
                    return Err(format!("sources.{name}.stream: empty"));
                }
                check_duration(name, "claim_idle", claim_idle)?;
            }
        }
        if let Kind::Redis {
            start: Some(start), ..
        } = &self.kind
        {
            if start != "0" && start != "$" {
                return Err(format!(
                    "sources.{name}.start: {start:?} must be \"0\" (every entry) or \"$\" (only new ones)"
                ));
            }
        }
        Ok(())
    }
}

/// A positive duration such as `5s`.
pub fn parse_interval(text: &str) -> Option<Duration> {
    weft_engine::time::parse_duration(text)
        .filter(|ms| *ms > 0)
        .map(|ms| Duration::from_millis(ms as u64))
}

fn check_interval(name: &str, interval: &Option<String>) -> Result<(), String> {
    check_duration(name, "interval", interval)
}

fn check_duration(name: &str, what: &str, value: &Option<String>) -> Result<(), String> {
    match value {
        Some(t) if parse_interval(t).is_none() => Err(format!(
            "sources.{name}.{what}: {t:?} is not a duration such as \"5s\""
        )),
        _ => Ok(()),
    }
}

/// Checks a list of sources: each valid, names unique.
pub fn validate_all(sources: &[SourceConfig]) -> Result<(), String> {
    let mut seen = std::collections::BTreeSet::new();
    for s in sources {
        s.validate()?;
        if !seen.insert(s.name.as_str()) {
            return Err(format!("sources: two sources are named {:?}", s.name));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct File {
        sources: Vec<SourceConfig>,
    }

    fn parse(text: &str) -> Result<Vec<SourceConfig>, String> {
        let f: File = toml::from_str(text).map_err(|e| e.to_string())?;
        validate_all(&f.sources)?;
        Ok(f.sources)
    }

    #[test]
    fn every_kind_reads_from_the_file() {
        let s = parse(
            r#"
[[sources]]
name = "orders"
kind = "http"
url = "http://127.0.0.1:1/events"
interval = "2s"
type = "created"

[[sources]]
name = "outbox"
kind = "postgres"
url = "postgres://x@y/z"
query = "SELECT id FROM t WHERE id > $1"

[[sources]]
name = "jobs"
kind = "nats"
url = "nats://127.0.0.1:4222"
stream = "JOBS"

[[sources]]
name = "clicks"
kind = "redis"
url = "redis://127.0.0.1:6379"
stream = "clicks"
batch = 10
"#,
        )
        .unwrap();
        assert_eq!(s.len(), 4);
        assert_eq!(s[0].interval(), Duration::from_secs(2));
        assert_eq!(s[0].event_type.as_deref(), Some("created"));
        assert_eq!(s[1].interval(), limits::INTERVAL_DEFAULT);
        assert_eq!(s[2].kind.name(), "nats");
        assert_eq!(s[3].batch(), 10);
    }

    #[test]
    fn mistakes_are_named() {
        let unknown =
            parse("[[sources]]\nname = \"a\"\nkind = \"kafka\"\nurl = \"x\"\n").unwrap_err();
        assert!(unknown.contains("kafka"), "{unknown}");
        let field = parse(
            "[[sources]]\nname = \"a\"\nkind = \"redis\"\nurl = \"x\"\nstream = \"s\"\nintervall = \"1s\"\n",
        )
        .unwrap_err();
        assert!(field.contains("intervall"), "{field}");
        let batch = parse(
            "[[sources]]\nname = \"a\"\nkind = \"redis\"\nurl = \"x\"\nstream = \"s\"\nbatch = 5000\n",
        )
        .unwrap_err();
        assert!(batch.contains("BATCH_MAX"), "{batch}");
        let twice = parse(
            "[[sources]]\nname = \"a\"\nkind = \"redis\"\nurl = \"x\"\nstream = \"s\"\n[[sources]]\nname = \"a\"\nkind = \"redis\"\nurl = \"x\"\nstream = \"t\"\n",
        )
        .unwrap_err();
        assert!(twice.contains("two sources"), "{twice}");
        let name =
            parse("[[sources]]\nname = \"a b\"\nkind = \"redis\"\nurl = \"x\"\nstream = \"s\"\n")
                .unwrap_err();
        assert!(name.contains("SOURCE_NAME_BYTES_MAX"), "{name}");
        let query = parse(
            "[[sources]]\nname = \"a\"\nkind = \"postgres\"\nurl = \"x\"\nquery = \"SELECT 1\"\n",
        )
        .unwrap_err();
        assert!(query.contains("$1"), "{query}");
        let interval = parse(
            "[[sources]]\nname = \"a\"\nkind = \"http\"\nurl = \"http://x\"\ninterval = \"soon\"\n",
        )
        .unwrap_err();
        assert!(interval.contains("soon"), "{interval}");
    }
}
