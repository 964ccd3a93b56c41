//! What the PostgreSQL tests share: the test database (from
//! `WEFT_TEST_DATABASE_URL`), a fresh schema per store, an admin
//! connection, and a TCP proxy that can cut connections.
//!
//! Without the variable, or without a reachable server, a test prints why
//! it skips and passes; with `CI=true` it fails instead.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use weft_store_postgres::{Config, PgStore};

pub const URL_VAR: &str = "WEFT_TEST_DATABASE_URL";

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Skips the test (returns `None`), or fails it in CI.
fn skip<T>(why: String) -> Option<T> {
    if in_ci() {
        panic!(
            "{why}. CI=true, so the PostgreSQL tests must run: .ci/run starts a local \
             PostgreSQL and sets {URL_VAR}"
        );
    }
    eprintln!("skipping: {why}; see .ci/run");
    None
}

/// A connection for setting up and inspecting (a private runtime).
pub struct Admin {
    rt: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
}

impl Admin {
    pub fn connect(config: &Config) -> Result<Admin, tokio_postgres::Error> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let client = rt.block_on(async {
            let (client, conn) = config.connect(tokio_postgres::NoTls).await?;
            tokio::spawn(async move {
                let _ = conn.await;
            });
            Ok::<_, tokio_postgres::Error>(client)
        })?;
        Ok(Admin { rt, client })
    }

    pub fn exec(&self, sql: &str) {
        self.rt
            .block_on(self.client.batch_execute(sql))
            .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
    }

    pub fn query(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Vec<tokio_postgres::Row> {
        self.rt
            .block_on(self.client.query(sql, params))
            .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
    }

    /// Ends the server sessions of one store (by its application name).
    pub fn terminate(&self, application_name: &str) -> i64 {
        let rows = self.query(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE application_name = $1 AND pid <> pg_backend_pid()",
            &[&application_name],
        );
        rows[0].get(0)
    }
}

/// The test database; drops the schemas it made when dropped.
pub struct TestDb {
    pub config: Config,
    pub admin: Admin,
    schemas: Mutex<Vec<String>>,
}

static SCHEMAS: AtomicUsize = AtomicUsize::new(0);

/// The test database, or `None` (after saying why) when there is none.
pub fn db() -> Option<TestDb> {
    let Ok(url) = std::env::var(URL_VAR) else {
        return skip(format!("{URL_VAR} is not set"));
    };
    let config: Config = match url.parse() {
        Ok(c) => c,
        Err(e) => return skip(format!("{URL_VAR} is not a valid URL: {e}")),
    };
    let mut config = config;
    config.connect_timeout(Duration::from_secs(5));
    match Admin::connect(&config) {
        Ok(admin) => Some(TestDb {
            config,
            admin,
            schemas: Mutex::new(Vec::new()),
        }),
        Err(e) => {
            let cause = std::error::Error::source(&e)
                .map(|c| format!(": {c}"))
                .unwrap_or_default();
            skip(format!(
                "cannot connect to the database of {URL_VAR}: {e}{cause}"
            ))
        }
    }
}

impl TestDb {
    /// A new, empty schema with a unique name.
    pub fn schema(&self) -> String {
        let n = SCHEMAS.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!("weft_t{}_{n}_{nanos:x}", std::process::id());
        self.admin.exec(&format!("CREATE SCHEMA {name}"));
        self.schemas.lock().unwrap().push(name.clone());
        name
    }

    /// A configuration that works in `schema`, named after it (so its
    /// sessions can be found in `pg_stat_activity`).
    pub fn config_for(&self, schema: &str) -> Config {
        let mut c = self.config.clone();
        let options = match self.config.get_options() {
            Some(o) if !o.is_empty() => format!("{o} -csearch_path={schema}"),
            _ => format!("-csearch_path={schema}"),
        };
        c.options(&options);
        c.application_name(schema);
        c
    }

    /// A store in `schema`.
    pub fn store_in(&self, schema: &str) -> PgStore {
        PgStore::connect_with(self.config_for(schema), 8).expect("connect")
    }

    /// A store in a fresh schema.
    pub fn store(&self) -> (PgStore, String) {
        let schema = self.schema();
        (self.store_in(&schema), schema)
    }

    /// The address of the server (for the proxy).
    pub fn server_addr(&self) -> SocketAddr {
        use tokio_postgres::config::Host;
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            _ => "127.0.0.1".into(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        (host.as_str(), port)
            .to_socket_addrs()
            .unwrap()
            .next()
            .unwrap()
    }

    /// A configuration for `schema` that goes through `proxy`.
    pub fn config_via(&self, schema: &str, proxy: &Proxy) -> Config {
        let base = self.config_for(schema);
        let mut c = Config::new();
        if let Some(u) = base.get_user() {
            c.user(u);
        }
        if let Some(p) = base.get_password() {
            c.password(p);
        }
        if let Some(d) = base.get_dbname() {
            c.dbname(d);
        }
        if let Some(o) = base.get_options() {
            c.options(o);
        }
        c.application_name(schema);
        c.host("127.0.0.1");
        c.port(proxy.addr.port());
        c.connect_timeout(Duration::from_secs(2));
        c
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // After a server restart the admin connection is gone: open another.
        let fresh;
        let admin = if self.admin.client.is_closed() {
            match Admin::connect(&self.config) {
                Ok(a) => {
                    fresh = a;
                    &fresh
                }
                Err(_) => return,
            }
        } else {
            &self.admin
        };
        for s in self.schemas.lock().unwrap().drain(..) {
            // Idle sessions of stores still open hold no lock; a failure
            // only leaves a schema behind.
            let _ = admin.rt.block_on(
                admin
                    .client
                    .batch_execute(&format!("DROP SCHEMA IF EXISTS {s} CASCADE")),
            );
        }
    }
}

/// A TCP proxy to the server that can refuse connections, cut the open
/// ones, and cut a connection when it sees a `COMMIT` go by.
pub struct Proxy {
    pub addr: SocketAddr,
    state: Arc<ProxyState>,
}

#[derive(Default)]
struct ProxyState {
    down: AtomicBool,
    stop: AtomicBool,
    /// Connections clients opened (refused ones too).
    opened: AtomicUsize,
    /// Cut at the next COMMIT: `Some(forward)` (forward the COMMIT to the
    /// server first or not), and whether to stay down after.
    cut_at_commit: Mutex<Option<(bool, bool)>>,
    conns: Mutex<Vec<TcpStream>>,
}

impl Proxy {
    pub fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(ProxyState::default());
        let st = state.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if st.stop.load(Ordering::Acquire) {
                    break;
                }
                let Ok(client) = client else { continue };
                st.opened.fetch_add(1, Ordering::AcqRel);
                if st.down.load(Ordering::Acquire) {
                    drop(client);
                    continue;
                }
                let Ok(server) = TcpStream::connect(upstream) else {
                    continue;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                {
                    let mut conns = st.conns.lock().unwrap();
                    conns.push(client.try_clone().unwrap());
                    conns.push(server.try_clone().unwrap());
                }
                let blackhole = Arc::new(AtomicBool::new(false));
                // Client to server, watching for COMMIT.
                {
                    let (mut from, mut to) =
                        (client.try_clone().unwrap(), server.try_clone().unwrap());
                    let (st, blackhole) = (st.clone(), blackhole.clone());
                    let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                    std::thread::spawn(move || {
                        let mut buf = vec![0u8; 64 * 1024];
                        loop {
                            let n = match from.read(&mut buf) {
                                Ok(0) | Err(_) => break,
                                Ok(n) => n,
                            };
                            let chunk = &buf[..n];
                            let is_commit = chunk.windows(7).any(|w| w == b"COMMIT\0");
                            let armed = if is_commit {
                                st.cut_at_commit.lock().unwrap().take()
                            } else {
                                None
                            };
                            if let Some((forward, stay_down)) = armed {
                                blackhole.store(true, Ordering::Release);
                                if stay_down {
                                    st.down.store(true, Ordering::Release);
                                }
                                if forward {
                                    let _ = to.write_all(chunk);
                                    // Let the server commit before the cut.
                                    std::thread::sleep(Duration::from_millis(300));
                                }
                                let _ = c2.shutdown(Shutdown::Both);
                                let _ = s2.shutdown(Shutdown::Both);
                                break;
                            }
                            if to.write_all(chunk).is_err() {
                                break;
                            }
                        }
                        let _ = c2.shutdown(Shutdown::Both);
                        let _ = s2.shutdown(Shutdown::Both);
                    });
                }
                // Server to client.
                {
                    let (mut from, mut to) = (server, client);
                    std::thread::spawn(move || {
                        let mut buf = vec![0u8; 64 * 1024];
                        loop {
                            let n = match from.read(&mut buf) {
                                Ok(0) | Err(_) => break,
                                Ok(n) => n,
                            };
                            if blackhole.load(Ordering::Acquire) {
                                continue;
                            }
                            if to.write_all(&buf[..n]).is_err() {
                                break;
                            }
                        }
                        let _ = from.shutdown(Shutdown::Both);
                        let _ = to.shutdown(Shutdown::Both);
                    });
                }
            }
        });
        Proxy { addr, state }
    }

    /// Down: cuts every open connection and refuses new ones. Up: lets
    /// connections through again.
    pub fn set_down(&self, down: bool) {
        self.state.down.store(down, Ordering::Release);
        if down {
            for c in self.state.conns.lock().unwrap().drain(..) {
                let _ = c.shutdown(Shutdown::Both);
            }
        }
    }

    /// How many connections clients opened through the proxy, refused ones
    /// included.
    pub fn opened(&self) -> usize {
        self.state.opened.load(Ordering::Acquire)
    }

    /// Cuts the connection that sends the next `COMMIT`, after forwarding
    /// it to the server (so it commits but its reply is lost) or instead
    /// of forwarding it (so the server rolls back); then refuses new
    /// connections if `stay_down`.
    pub fn cut_at_next_commit(&self, forward: bool, stay_down: bool) {
        *self.state.cut_at_commit.lock().unwrap() = Some((forward, stay_down));
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::Release);
        self.set_down(true);
        // Wake the accept loop so it sees `stop`.
        let _ = TcpStream::connect(self.addr);
    }
}
