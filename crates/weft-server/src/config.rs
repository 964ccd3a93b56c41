//! The server's configuration: command-line flags, optionally a TOML file.
//!
//! ```toml
//! listen = "127.0.0.1:7400"
//! data = "weft-data"
//! token_file = "/etc/weft/token"    # every /v1 call then needs `Authorization: Bearer <token>`
//! body_limit_bytes = 1048576        # largest request body
//! lease = "30s"                     # how long a polled task is leased without a heartbeat
//! database = "postgres://weft:secret@db:5432/weft"   # instead of `data`: a cluster node on PostgreSQL
//! node = "web-1"                    # this node's name in a cluster (default: the host name)
//! poller_stale = "5m"               # a pull activity nobody polled this long leaves its runs waiting "for a worker"
//! plan = "deploy/plan.toml"         # the deployment plan (docs/deploying.md)
//! wasm_cache = "/var/cache/weft"    # compiled Wasm components (default: DATA/wasm-cache)
//!
//! [http]                          # connection limits (crate::limits; these are the defaults)
//! header_read_timeout = "10s"
//! idle_timeout = "60s"
//! body_read_timeout = "30s"
//! write_stall_timeout = "30s"
//! connections_per_client_max = 1024
//! connections_max = 10000
//! shutdown_grace = "10s"
//!
//! [activities.ReserveNick]          # a push activity: the engine POSTs each attempt here
//! url = "http://127.0.0.1:8081/reserve-nick"
//! timeout = "10s"                   # per attempt, unless the call's @timeout is shorter
//! headers = { Authorization = "Bearer abc" }
//!
//! [[sources]]                      # pull and stream sources of events (docs/triggers.md)
//! name = "jobs"
//! kind = "nats"                     # http | postgres | nats | redis
//! url = "nats://127.0.0.1:4222"
//! stream = "JOBS"
//! ```
//!
//! Activities without a binding go to the pull queue under their own name.
//! A dotted activity name is one key, quoted: `[activities."mandril.Send"]`.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// Default listen address (loopback: no token needed).
pub const LISTEN_DEFAULT: &str = "127.0.0.1:7400";

/// Default largest request body.
pub const BODY_LIMIT_BYTES_DEFAULT: usize = 1024 * 1024;

/// Default timeout of one push attempt.
pub const PUSH_TIMEOUT_DEFAULT: Duration = Duration::from_secs(30);

/// An activity bound to an HTTP endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct PushBinding {
    /// Where attempts are POSTed.
    pub url: String,
    /// Longest wait for one attempt's answer.
    pub timeout: Duration,
    /// Extra headers (e.g. credentials of the endpoint).
    pub headers: BTreeMap<String, String>,
}

/// Everything the server needs to start.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The data directory (embedded store).
    pub data: PathBuf,
    /// The bearer token every `/v1` call needs, if any.
    pub token: Option<String>,
    /// Largest request body.
    pub body_limit_bytes: usize,
    /// Lease of a polled task.
    pub lease: Duration,
    /// Push bindings by activity name.
    pub push: BTreeMap<String, PushBinding>,
    /// Deploy the examples and answer their activities with demo data.
    pub demo: bool,
    /// A PostgreSQL URL: run as one node of a cluster on that database
    /// instead of on the embedded store in `data`.
    pub database: Option<String>,
    /// This node's name in a cluster (logs and leases show it).
    pub node: String,
    /// How long a pull activity may go without a poll before the runs
    /// waiting on it say that no worker serves it.
    pub poller_stale: Duration,
    /// Limits on connections and requests.
    pub http: crate::limits::Http,
    /// The deployment plan (`docs/deploying.md`).
    pub plan: Option<PathBuf>,
    /// Where compiled Wasm components are kept (default: `wasm-cache` in
    /// the data directory).
    pub wasm_cache: Option<PathBuf>,
    /// Pull and stream sources of events (`weft_sources`).
    pub sources: Vec<weft_sources::SourceConfig>,
}

/// What a configuration file may say.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    listen: Option<String>,
    data: Option<PathBuf>,
    token_file: Option<PathBuf>,
    body_limit_bytes: Option<usize>,
    lease: Option<String>,
    database: Option<String>,
    node: Option<String>,
    poller_stale: Option<String>,
    plan: Option<PathBuf>,
    wasm_cache: Option<PathBuf>,
    #[serde(default)]
    activities: BTreeMap<String, FileBinding>,
    #[serde(default)]
    http: FileHttp,
    #[serde(default)]
    sources: Vec<weft_sources::SourceConfig>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileHttp {
    header_read_timeout: Option<String>,
    idle_timeout: Option<String>,
    body_read_timeout: Option<String>,
    write_stall_timeout: Option<String>,
    connections_per_client_max: Option<usize>,
    connections_max: Option<usize>,
    shutdown_grace: Option<String>,
}

impl FileHttp {
    fn limits(&self) -> Result<crate::limits::Http, ConfigError> {
        let d = crate::limits::Http::default();
        let dur = |v: &Option<String>, name: &str, default| match v {
            Some(t) => duration(t, &format!("http.{name}")),
            None => Ok(default),
        };
        let count = |v: Option<usize>, name: &str, default: usize| match v {
            Some(0) => Err(ConfigError::Value(format!(
                "http.{name} must be at least 1"
            ))),
            Some(n) => Ok(n),
            None => Ok(default),
        };
        Ok(crate::limits::Http {
            header_read_timeout: dur(
                &self.header_read_timeout,
                "header_read_timeout",
                d.header_read_timeout,
            )?,
            idle_timeout: dur(&self.idle_timeout, "idle_timeout", d.idle_timeout)?,
            body_read_timeout: dur(
                &self.body_read_timeout,
                "body_read_timeout",
                d.body_read_timeout,
            )?,
            write_stall_timeout: dur(
                &self.write_stall_timeout,
                "write_stall_timeout",
                d.write_stall_timeout,
            )?,
            connections_per_client_max: count(
                self.connections_per_client_max,
                "connections_per_client_max",
                d.connections_per_client_max,
            )?,
            connections_max: count(self.connections_max, "connections_max", d.connections_max)?,
            shutdown_grace: dur(&self.shutdown_grace, "shutdown_grace", d.shutdown_grace)?,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBinding {
    url: String,
    timeout: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
}

/// What the command line says (overrides the file).
#[derive(Debug, Default)]
pub struct Flags {
    /// `--listen`
    pub listen: Option<String>,
    /// `--data`
    pub data: Option<PathBuf>,
    /// `--token-file`
    pub token_file: Option<PathBuf>,
    /// `--config`
    pub config: Option<PathBuf>,
    /// `--demo`
    pub demo: bool,
    /// `--database` (or `WEFT_DATABASE_URL`)
    pub database: Option<String>,
    /// `--node`
    pub node: Option<String>,
    /// `--plan`
    pub plan: Option<PathBuf>,
}

/// Why a configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A file could not be read.
    #[error("cannot read {path}: {message}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// The configuration file is not valid.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A value is not acceptable.
    #[error("{0}")]
    Value(String),
}

fn duration(text: &str, what: &str) -> Result<Duration, ConfigError> {
    weft_engine::time::parse_duration(text)
        .filter(|ms| *ms > 0)
        .map(|ms| Duration::from_millis(ms as u64))
        .ok_or_else(|| {
            ConfigError::Value(format!(
                "{what}: {text:?} is not a duration such as \"30s\""
            ))
        })
}

/// Longest node name.
pub const NODE_NAME_MAX: usize = 64;

/// The host name, or "node" when it cannot be read.
fn default_node_name() -> String {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_default();
    let name: String = name
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
        .take(NODE_NAME_MAX)
        .collect();
    if name.is_empty() {
        "node".into()
    } else {
        name
    }
}

/// A database URL with its password replaced by `***`, for messages.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth, host) = match rest.rsplit_once('@') {
        Some(parts) => parts,
        None => return url.to_string(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

fn read(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

/// Why a file's `[activities.mandril.Send]` does not bind `mandril.Send`:
/// TOML reads the dots as nested tables, so a dotted activity name must be
/// quoted (`[activities."mandril.Send"]`). `None` when that is not the
/// file's mistake.
fn unquoted_dotted_name(text: &str) -> Option<String> {
    let table: toml::Table = toml::from_str(text).ok()?;
    let activities = table.get("activities")?.as_table()?;
    activities.iter().find_map(|(first, v)| {
        let inner = v.as_table()?;
        if inner.contains_key("url") || !inner.values().all(toml::Value::is_table) {
            return None;
        }
        let rest = inner.keys().next()?;
        Some(format!(
            "activities.{first}: `{first}.{rest}` is one activity name, and TOML reads its dots as tables; quote it: [activities.\"{first}.{rest}\"]"
        ))
    })
}

impl Config {
    /// Builds the configuration from flags and the optional file, and
    /// refuses unsafe ones (a non-loopback address without a token).
    pub fn load(flags: Flags) -> Result<Config, ConfigError> {
        let file: File = match &flags.config {
            None => File::default(),
            Some(p) => {
                let text = read(p)?;
                toml::from_str(&text).map_err(|e| ConfigError::Invalid {
                    path: p.display().to_string(),
                    message: unquoted_dotted_name(&text).unwrap_or_else(|| e.to_string()),
                })?
            }
        };
        let listen_text = flags
            .listen
            .or(file.listen)
            .unwrap_or_else(|| LISTEN_DEFAULT.to_string());
        let listen: SocketAddr = listen_text.parse().map_err(|_| {
            ConfigError::Value(format!(
                "--listen {listen_text:?} is not an address such as 127.0.0.1:7400"
            ))
        })?;
        let token = match flags.token_file.or(file.token_file) {
            None => None,
            Some(p) => {
                let t = read(&p)?.trim().to_string();
                if t.len() < 16 {
                    return Err(ConfigError::Value(format!(
                        "the token in {} is {} characters; use at least 16 (e.g. `openssl rand -hex 32`)",
                        p.display(),
                        t.len()
                    )));
                }
                Some(t)
            }
        };
        if token.is_none() && !listen.ip().is_loopback() {
            return Err(ConfigError::Value(format!(
                "refusing to listen on {listen} without a token: anyone who can reach it could run and change flows; \
                 give --token-file FILE, or listen on 127.0.0.1"
            )));
        }
        let database = flags.database.or(file.database).filter(|d| !d.is_empty());
        if let Some(url) = &database {
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                return Err(ConfigError::Value(format!(
                    "--database {:?} is not a PostgreSQL URL such as postgres://user:password@host:5432/db",
                    redact_url(url)
                )));
            }
            if flags.demo {
                return Err(ConfigError::Value(
                    "--demo runs on the embedded store only; drop --database (or WEFT_DATABASE_URL) to try the demo"
                        .into(),
                ));
            }
        }
        let node = match flags.node.or(file.node) {
            Some(n) => {
                if n.is_empty()
                    || n.len() > NODE_NAME_MAX
                    || !n
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
                {
                    return Err(ConfigError::Value(format!(
                        "--node {n:?}: a node name is 1 to {NODE_NAME_MAX} letters, digits, '-', '_' or '.'"
                    )));
                }
                n
            }
            None => default_node_name(),
        };
        let http = file.http.limits()?;
        weft_sources::config::validate_all(&file.sources).map_err(ConfigError::Value)?;
        let mut push = BTreeMap::new();
        for (name, b) in file.activities {
            if !(b.url.starts_with("http://") || b.url.starts_with("https://")) {
                return Err(ConfigError::Value(format!(
                    "activities.{name}.url: {:?} is not an http(s) URL",
                    b.url
                )));
            }
            let timeout = match &b.timeout {
                Some(t) => duration(t, &format!("activities.{name}.timeout"))?,
                None => PUSH_TIMEOUT_DEFAULT,
            };
            push.insert(
                name,
                PushBinding {
                    url: b.url,
                    timeout,
                    headers: b.headers,
                },
            );
        }
        Ok(Config {
            listen,
            data: flags
                .data
                .or(file.data)
                .unwrap_or_else(|| PathBuf::from("weft-data")),
            token,
            body_limit_bytes: file.body_limit_bytes.unwrap_or(BODY_LIMIT_BYTES_DEFAULT),
            lease: match &file.lease {
                Some(l) => duration(l, "lease")?,
                None => crate::queue::LEASE_DEFAULT,
            },
            push,
            demo: flags.demo,
            database,
            node,
            poller_stale: match &file.poller_stale {
                Some(d) => duration(d, "poller_stale")?,
                None => crate::workers::POLLER_STALE_DEFAULT,
            },
            http,
            plan: flags.plan.or(file.plan),
            wasm_cache: file.wasm_cache,
            sources: file.sources,
        })
    }
}

#[cfg(test)]
impl Config {
    /// A server on a free port of 127.0.0.1, with no token and no push
    /// activities, for the crate's tests.
    pub(crate) fn for_tests() -> Config {
        Config {
            listen: "127.0.0.1:0".parse().expect("an address"),
            data: PathBuf::new(),
            token: None,
            body_limit_bytes: 1 << 20,
            lease: Duration::from_secs(30),
            push: BTreeMap::new(),
            demo: false,
            database: None,
            node: "test".into(),
            poller_stale: crate::workers::POLLER_STALE_DEFAULT,
            http: crate::limits::Http::default(),
            plan: None,
            wasm_cache: None,
            sources: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> PathBuf {
        let p = std::env::temp_dir().join(format!("weft-config-{}-{name}", std::process::id()));
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn refuses_a_public_address_without_a_token() {
        let e = Config::load(Flags {
            listen: Some("0.0.0.0:7400".into()),
            ..Flags::default()
        })
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("refusing to listen on 0.0.0.0:7400 without a token"),
            "{e}"
        );
        let token = write("token", "0123456789abcdef0123\n");
        let c = Config::load(Flags {
            listen: Some("0.0.0.0:7400".into()),
            token_file: Some(token),
            ..Flags::default()
        })
        .unwrap();
        assert_eq!(c.token.as_deref(), Some("0123456789abcdef0123"));
    }

    #[test]
    fn reads_sources_and_names_their_mistakes() {
        let f = write(
            "sources.toml",
            "[[sources]]\nname = \"jobs\"\nkind = \"nats\"\nurl = \"nats://127.0.0.1:4222\"\nstream = \"JOBS\"\n",
        );
        let c = Config::load(Flags {
            config: Some(f),
            ..Flags::default()
        })
        .unwrap();
        assert_eq!(c.sources.len(), 1);
        assert_eq!(c.sources[0].kind.name(), "nats");
        let f = write(
            "sources-bad.toml",
            "[[sources]]\nname = \"jobs\"\nkind = \"redis\"\nurl = \"redis://x\"\nstream = \"s\"\nbatch = 0\n",
        );
        let e = Config::load(Flags {
            config: Some(f),
            ..Flags::default()
        })
        .unwrap_err();
        assert!(e.to_string().contains("sources.jobs.batch"), "{e}");
    }

    #[test]
    fn reads_database_and_node() {
        let c = Config::load(Flags {
            database: Some("postgres://weft:pw@db:5432/weft".into()),
            node: Some("web-1".into()),
            ..Flags::default()
        })
        .unwrap();
        assert_eq!(
            c.database.as_deref(),
            Some("postgres://weft:pw@db:5432/weft")
        );
        assert_eq!(c.node, "web-1");
        let f = write(
            "db.toml",
            "database = \"postgresql://u@h/d\"\nnode = \"n2\"\n",
        );
        let c = Config::load(Flags {
            config: Some(f),
            ..Flags::default()
        })
        .unwrap();
        assert_eq!(c.database.as_deref(), Some("postgresql://u@h/d"));
        assert_eq!(c.node, "n2");
        let e = Config::load(Flags {
            database: Some("mysql://u:secret@h/d".into()),
            ..Flags::default()
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("not a PostgreSQL URL"), "{e}");
        assert!(!e.contains("secret"), "the password leaks: {e}");
        let e = Config::load(Flags {
            database: Some("postgres://h/d".into()),
            demo: true,
            ..Flags::default()
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("embedded store only"), "{e}");
        let e = Config::load(Flags {
            node: Some("a b".into()),
            ..Flags::default()
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("a node name is"), "{e}");
        assert!(!Config::load(Flags::default()).unwrap().node.is_empty());
    }

    #[test]
    fn reads_http_limits() {
        let c = Config::load(Flags::default()).unwrap();
        assert_eq!(c.http, crate::limits::Http::default());
        let f = write(
            "http.toml",
            "[http]\nheader_read_timeout = \"2s\"\nconnections_max = 50\nshutdown_grace = \"1s\"\n",
        );
        let c = Config::load(Flags {
            config: Some(f),
            ..Flags::default()
        })
        .unwrap();
        assert_eq!(c.http.header_read_timeout, Duration::from_secs(2));
        assert_eq!(c.http.connections_max, 50);
        assert_eq!(c.http.shutdown_grace, Duration::from_secs(1));
        assert_eq!(c.http.idle_timeout, crate::limits::IDLE_TIMEOUT);
        for (text, want) in [
            (
                "[http]\nconnections_max = 0\n",
                "http.connections_max must be at least 1",
            ),
            ("[http]\nidle_timeout = \"soon\"\n", "http.idle_timeout"),
            ("[http]\nidle = \"1s\"\n", "unknown field `idle`"),
        ] {
            let f = write("bad-http.toml", text);
            let e = Config::load(Flags {
                config: Some(f),
                ..Flags::default()
            })
            .unwrap_err()
            .to_string();
            assert!(e.contains(want), "{text}: {e}");
        }
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://u:pw@h:5/d"),
            "postgres://u:***@h:5/d"
        );
        assert_eq!(redact_url("postgres://u@h/d"), "postgres://u@h/d");
        assert_eq!(redact_url("postgres://h/d"), "postgres://h/d");
    }

    #[test]
    fn reads_push_bindings() {
        let f = write(
            "cfg.toml",
            "lease = \"10s\"\n[activities.Charge]\nurl = \"http://127.0.0.1:9/charge\"\ntimeout = \"5s\"\nheaders = { X-Key = \"k\" }\n",
        );
        let c = Config::load(Flags {
            config: Some(f),
            ..Flags::default()
        })
        .unwrap();
        assert_eq!(c.lease, Duration::from_secs(10));
        let b = &c.push["Charge"];
        assert_eq!(b.timeout, Duration::from_secs(5));
        assert_eq!(b.headers["X-Key"], "k");
        // A dotted activity name is one key, quoted.
        let f = write(
            "dotted.toml",
            "[activities.\"mandril.Send\"]\nurl = \"http://127.0.0.1:9/send\"\n",
        );
        let c = Config::load(Flags {
            config: Some(f),
            ..Flags::default()
        })
        .unwrap();
        assert_eq!(c.push["mandril.Send"].url, "http://127.0.0.1:9/send");
        let f = write(
            "unquoted.toml",
            "[activities.mandril.Send]\nurl = \"http://127.0.0.1:9/send\"\n",
        );
        let err = Config::load(Flags {
            config: Some(f),
            ..Flags::default()
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("quote it: [activities.\"mandril.Send\"]"),
            "{err}"
        );
        let bad = write("bad.toml", "lisen = 1\n");
        assert!(Config::load(Flags {
            config: Some(bad),
            ..Flags::default()
        })
        .unwrap_err()
        .to_string()
        .contains("unknown field `lisen`"));
        let short = write("short", "abc");
        assert!(Config::load(Flags {
            token_file: Some(short),
            ..Flags::default()
        })
        .unwrap_err()
        .to_string()
        .contains("at least 16"));
    }
}
