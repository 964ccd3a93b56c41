//! Waiting for other nodes' work: a connection of its own that `LISTEN`s on
//! the schema's channel, and a count of the signals it received.
//!
//! Why this shape:
//!
//! - Notifications arrive only on a connection that listens and is read
//!   all the time, so the listener cannot be a pooled connection: it is a
//!   task on the store's I/O runtime that drives its own connection and
//!   counts each notification under a `Mutex`, with a `Condvar` that wakes
//!   the callers blocked in [`Listener::wait`] (plain threads, as every
//!   caller of the store).
//! - A waiter counts the signals that arrive while it waits (as the memory
//!   store does), so several waiters (the runtime's waker, workers' polls,
//!   a pusher) can share one store without taking signals from each other.
//! - Notifications sent while the listener is not connected are lost, and
//!   nothing says which. So a reconnection counts as a signal: whoever
//!   waits looks at the store again. Work is never lost through this path
//!   in any case: notifications only hurry the nodes, which also look for
//!   work on their own every so often.
//! - While the database is away the listener tries again after a pause
//!   that doubles up to [`LISTEN_RETRY_MAX`], so it neither spins nor
//!   floods the server's log; waiters just wait out their timeouts (the
//!   store's other operations report the outage).
//! - It starts with the first wait, not at connect: a store that is not in
//!   a cluster never opens the extra connection.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use tokio_postgres::{AsyncMessage, Config, NoTls};

use crate::pool::runtime;

/// The first pause before connecting again after the listening connection
/// broke or could not be opened...
pub const LISTEN_RETRY_MIN: Duration = Duration::from_millis(100);
/// ...doubled at every failure up to this.
pub const LISTEN_RETRY_MAX: Duration = Duration::from_secs(5);

/// The channel the nodes of one schema notify: `weft.<schema>`, or a hash
/// of the schema's name when that is longer than a channel name may be (63
/// bytes). The same on every node and build.
pub(crate) fn channel(schema: &str) -> String {
    let name = format!("weft.{schema}");
    if name.len() <= 63 {
        return name;
    }
    // FNV-1a: stable across processes and Rust versions, unlike std's hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in schema.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("weft.{h:016x}")
}

/// A quoted identifier, for `LISTEN`.
fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

#[derive(Default)]
struct State {
    /// Notifications received, plus reconnections and this store's own
    /// work (each may mean work).
    signals: u64,
    /// True while `LISTEN` is in effect.
    listening: bool,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is two counters: nothing to repair after a panic.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn signal(&self) {
        self.lock().signals += 1;
        self.changed.notify_all();
    }

    fn set_listening(&self, listening: bool, signal: bool) {
        let mut g = self.lock();
        g.listening = listening;
        if signal {
            g.signals += 1;
        }
        drop(g);
        self.changed.notify_all();
    }
}

/// The listening side of a store; see the module documentation.
pub(crate) struct Listener {
    config: Config,
    channel: String,
    shared: Arc<Shared>,
    task: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl Listener {
    pub(crate) fn new(config: Config, channel: String) -> Listener {
        Listener {
            config,
            channel,
            shared: Arc::new(Shared::default()),
            task: Mutex::new(None),
        }
    }

    /// Starts the listening task unless it runs.
    fn start(&self) {
        let mut task = self.task.lock().unwrap_or_else(|e| e.into_inner());
        if task.is_none() {
            let (config, channel, shared) = (
                self.config.clone(),
                self.channel.clone(),
                self.shared.clone(),
            );
            *task = Some(runtime().spawn(listen_loop(config, channel, shared)));
        }
    }

    /// Counts work this store made itself (its own waiters need no
    /// round trip through the server to hear of it).
    pub(crate) fn signal(&self) {
        self.shared.signal();
    }

    /// Blocks until a signal arrives or `timeout` passes; true when
    /// signalled.
    pub(crate) fn wait(&self, timeout: Duration) -> bool {
        self.start();
        let deadline = Instant::now() + timeout;
        let mut g = self.shared.lock();
        let before = g.signals;
        while g.signals == before {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            g = self
                .shared
                .changed
                .wait_timeout(g, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }

    /// Starts listening and waits up to `timeout` until `LISTEN` is in
    /// effect; true when it is.
    pub(crate) fn listening(&self, timeout: Duration) -> bool {
        self.start();
        let deadline = Instant::now() + timeout;
        let mut g = self.shared.lock();
        while !g.listening {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            g = self
                .shared
                .changed
                .wait_timeout(g, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        // Dropping the task's future drops its client, which closes the
        // connection.
        if let Some(t) = self
            .task
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            t.abort();
        }
    }
}

/// Listens until the store is dropped (the task is aborted then),
/// connecting again whenever the connection ends.
async fn listen_loop(config: Config, channel: String, shared: Arc<Shared>) {
    let mut pause = LISTEN_RETRY_MIN;
    let mut listened = false;
    loop {
        match listen_once(&config, &channel, &shared, listened).await {
            Ok(()) => {
                listened = true;
                pause = LISTEN_RETRY_MIN;
            }
            Err(_) => {
                // The outage shows in the store's other operations; this
                // task only tries again, later and later.
            }
        }
        shared.set_listening(false, false);
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(LISTEN_RETRY_MAX);
    }
}

/// One connection: `LISTEN`, then count notifications until it ends.
/// `again` says a connection listened before (this one may have missed
/// notifications: a signal).
async fn listen_once(
    config: &Config,
    channel: &str,
    shared: &Arc<Shared>,
    again: bool,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    // Notifications come out of the connection, which this task reads
    // itself (tokio-postgres hands them over only to who polls it).
    let counter = shared.clone();
    let driver = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(m) = messages.next().await {
            match m {
                Ok(AsyncMessage::Notification(_)) => counter.signal(),
                Ok(_) => {}
                Err(_) => break,
            }
        }
    });
    if let Err(e) = client
        .batch_execute(&format!("LISTEN {}", quote_ident(channel)))
        .await
    {
        drop(client);
        let _ = driver.await;
        return Err(e);
    }
    shared.set_listening(true, again);
    // Ends when the connection does (closed by the server, broken, or
    // found dead by the keepalives).
    let _ = driver.await;
    drop(client);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_fit_and_differ() {
        assert_eq!(channel("weft"), "weft.weft");
        let long = "s".repeat(63);
        let c = channel(&long);
        assert!(c.len() <= 63, "{c}");
        assert_ne!(c, channel(&"s".repeat(62)));
        assert_eq!(c, channel(&long), "stable");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
