//! Connections: a private I/O thread, a blocking `block_on` for callers,
//! and a small pool of clients with their prepared statements.
//!
//! Every connection's socket is driven by one tokio runtime private to this
//! crate (one worker thread, `weft-pg-io`, started on first use and shared
//! by every store of the process). Callers never enter that runtime: they
//! poll the client's futures on their own thread with [`block_on`], which
//! parks the thread until the I/O thread wakes it. tokio-postgres' client
//! half only talks to its connection task through channels, so this works
//! from any thread, including a thread that is itself running async code
//! (where `Runtime::block_on`, and so the blocking `postgres` crate,
//! would panic).

use std::collections::HashMap;
use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Config, NoTls, Statement};

/// The I/O runtime shared by every store in the process.
pub(crate) fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("weft-pg-io")
            .enable_all()
            .build()
            .expect("cannot start the PostgreSQL I/O thread")
    })
}

/// Wakes a parked thread.
struct Unpark(std::thread::Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs a future to completion on the calling thread, parking it while the
/// future waits. The future must not need a tokio context (client futures
/// do not; connecting does, and runs on the I/O thread through
/// [`Conn::open`]).
pub(crate) fn block_on<F: Future>(f: F) -> F::Output {
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut f = pin!(f);
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
        // A spurious wake-up only polls again.
        std::thread::park();
    }
}

/// One connection with the statements it has prepared.
pub(crate) struct Conn {
    pub(crate) client: Client,
    statements: HashMap<String, Statement>,
}

impl Conn {
    /// Opens a connection (on the I/O thread) and starts driving it there.
    pub(crate) fn open(config: &Config) -> Result<Conn, tokio_postgres::Error> {
        let config = config.clone();
        let connecting = runtime().spawn(async move {
            let (client, connection) = config.connect(NoTls).await?;
            // The task ends when the client is dropped (it then says goodbye
            // to the server) or when the connection breaks; the client sees
            // the latter as `is_closed`.
            tokio::spawn(async move {
                let _ = connection.await;
            });
            Ok(client)
        });
        let client = match block_on(connecting) {
            Ok(r) => r?,
            // The task panicked or the runtime is shutting down.
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        };
        Ok(Conn {
            client,
            statements: HashMap::new(),
        })
    }

    /// The prepared statement for `sql`, preparing it on first use.
    pub(crate) async fn statement(
        &mut self,
        sql: &str,
    ) -> Result<Statement, tokio_postgres::Error> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql).await?;
        self.statements.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    /// Prepares every statement of `sqls` not prepared yet, in one round
    /// trip (the requests are pipelined).
    pub(crate) async fn prepare_all(&mut self, sqls: &[&str]) -> Result<(), tokio_postgres::Error> {
        let missing: Vec<&str> = sqls
            .iter()
            .copied()
            .filter(|s| !self.statements.contains_key(*s))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let client = &self.client;
        let prepared =
            futures_util::future::join_all(missing.iter().map(|s| client.prepare(s))).await;
        for (sql, s) in missing.into_iter().zip(prepared) {
            self.statements.insert(sql.to_string(), s?);
        }
        Ok(())
    }

    /// A statement prepared by [`Conn::prepare_all`].
    pub(crate) fn prepared(&self, sql: &str) -> &Statement {
        self.statements
            .get(sql)
            .expect("statement prepared by prepare_all")
    }
}

/// True when an error means the connection cannot be used again: it is
/// closed, the error did not come from the server (I/O, protocol), or the
/// server says the session is over (connection exceptions, shutdowns,
/// terminated backends, resource exhaustion, internal errors).
pub(crate) fn is_broken(e: &tokio_postgres::Error, client: &Client) -> bool {
    if client.is_closed() || e.is_closed() {
        return true;
    }
    match e.code() {
        None => true,
        // A cancelled statement (a statement timeout) leaves the session
        // usable; the rest of class 57 ends it.
        Some(code) if *code == SqlState::QUERY_CANCELED => false,
        // A prepared statement whose table changed under it (a migration by
        // another node): a new connection prepares it again.
        Some(code) if *code == SqlState::FEATURE_NOT_SUPPORTED => e
            .as_db_error()
            .is_some_and(|db| db.message().contains("cached plan")),
        Some(code) => {
            let c = code.code();
            ["08", "57", "53", "58", "XX"]
                .iter()
                .any(|class| c.starts_with(class))
        }
    }
}

/// Connections not in use, and how many exist.
struct Slots {
    idle: Vec<Conn>,
    open: usize,
}

/// A bounded pool of connections to one database.
pub(crate) struct Pool {
    config: Config,
    max: usize,
    slots: Mutex<Slots>,
    freed: Condvar,
}

/// How long [`Pool::get`] waits for a connection when all are in use
/// before opening one over the limit would be refused.
const WAIT_FOR_CONNECTION: Duration = Duration::from_secs(30);

impl Pool {
    pub(crate) fn new(config: Config, max: usize) -> Pool {
        Pool {
            config,
            max: max.max(1),
            slots: Mutex::new(Slots {
                idle: Vec::new(),
                open: 0,
            }),
            freed: Condvar::new(),
        }
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    fn slots(&self) -> MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A connection: an idle one, else a new one while under the limit,
    /// else the next one given back. `fresh` skips idle connections (after
    /// one turned out broken, the others likely are too).
    pub(crate) fn get(&self, fresh: bool) -> Result<Lease<'_>, tokio_postgres::Error> {
        let mut g = self.slots();
        if fresh {
            // Drop the idle ones: after a restart they are all dead.
            let dropped = std::mem::take(&mut g.idle);
            g.open -= dropped.len();
            drop(dropped);
        }
        let deadline = std::time::Instant::now() + WAIT_FOR_CONNECTION;
        loop {
            if let Some(c) = g.idle.pop() {
                if c.client.is_closed() {
                    // Died while idle (the server restarted, or ended the
                    // session): forget it.
                    g.open -= 1;
                    drop(c);
                    continue;
                }
                return Ok(Lease {
                    pool: self,
                    conn: Some(c),
                    reused: true,
                });
            }
            if g.open < self.max {
                g.open += 1;
                drop(g);
                return match Conn::open(&self.config) {
                    Ok(c) => Ok(Lease {
                        pool: self,
                        conn: Some(c),
                        reused: false,
                    }),
                    Err(e) => {
                        self.slots().open -= 1;
                        self.freed.notify_one();
                        Err(e)
                    }
                };
            }
            let now = std::time::Instant::now();
            if now >= deadline {
                // Every connection has been busy for a long time; open one
                // more rather than fail (the server enforces its own limit).
                g.open += 1;
                drop(g);
                return match Conn::open(&self.config) {
                    Ok(c) => Ok(Lease {
                        pool: self,
                        conn: Some(c),
                        reused: false,
                    }),
                    Err(e) => {
                        self.slots().open -= 1;
                        Err(e)
                    }
                };
            }
            g = self
                .freed
                .wait_timeout(g, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Forgets every idle connection (they are closed).
    pub(crate) fn clear_idle(&self) {
        let mut g = self.slots();
        let dropped = std::mem::take(&mut g.idle);
        g.open -= dropped.len();
        drop(g);
        drop(dropped);
    }
}

/// A connection taken from the pool. Given back by [`Lease::release`];
/// dropped otherwise (closing it), which is what happens when an operation
/// fails in a way that leaves the connection in doubt, or panics.
pub(crate) struct Lease<'a> {
    pool: &'a Pool,
    conn: Option<Conn>,
    /// True when the connection was idle in the pool before (so it may have
    /// died since it was last used).
    pub(crate) reused: bool,
}

impl Lease<'_> {
    pub(crate) fn conn(&mut self) -> &mut Conn {
        self.conn.as_mut().expect("present until released")
    }

    /// Gives the connection back for the next operation, unless it closed.
    pub(crate) fn release(mut self) {
        if let Some(c) = self.conn.take() {
            let mut g = self.pool.slots();
            if c.client.is_closed() {
                g.open -= 1;
            } else {
                g.idle.push(c);
            }
            drop(g);
            self.pool.freed.notify_one();
        }
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            drop(c);
            self.pool.slots().open -= 1;
            self.pool.freed.notify_one();
        }
    }
}
