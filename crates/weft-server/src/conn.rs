//! Accepting connections and serving HTTP/1.1 on them, so that slow or
//! hostile clients cannot lock others out (see [`crate::limits`]):
//!
//! * every connection is in a table with its client address and whether a
//!   request is in progress on it (from the request's head to the last
//!   byte of its response);
//! * a sweeper closes connections whose request head does not arrive in
//!   time, that sit idle too long, or whose client stops reading;
//! * request bodies must arrive within a deadline;
//! * past the per-client or the total cap, a new connection closes the
//!   longest-idle connection (of that client, or of anyone), or is
//!   answered `503 too_many_connections` when all are busy: a flood of idle
//!   connections cannot keep a client with a request out;
//! * hyper's own answers to unparseable requests (400, 414, 431, which it
//!   sends with an empty body) get the API's JSON error body;
//! * shutting down closes idle connections at once, lets requests in
//!   progress finish for a grace period, then closes the rest.

use std::collections::HashMap;
use std::future::Future as _;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::Body;
use http_body::Frame;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tower::ServiceExt;

use crate::error::{Code, BODY_TIMEOUT_MESSAGE};
use crate::limits::Http;

/// Milliseconds since the first call (a monotonic clock for the table).
fn now_ms() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_millis() as u64 + 1
}

/// What the table knows about one connection.
struct Conn {
    id: u64,
    ip: IpAddr,
    /// Requests in progress (head read, response not yet written whole).
    busy: AtomicUsize,
    /// When it last had no request in progress (or was accepted).
    idle_since: AtomicU64,
    /// When the first byte of the next request head arrived (0: none yet).
    head_since: AtomicU64,
    /// No request has completed on it yet: the header timeout runs from
    /// the accept, not the idle timeout.
    fresh: AtomicBool,
    /// When a write started to wait for the client to read (0: none).
    write_blocked_since: AtomicU64,
    /// Told to close.
    kill: Notify,
    killed: AtomicBool,
}

impl Conn {
    fn close(&self) {
        self.killed.store(true, Ordering::SeqCst);
        self.kill.notify_one();
    }
}

#[derive(Default)]
struct Table {
    next: u64,
    conns: HashMap<u64, Arc<Conn>>,
    per_ip: HashMap<IpAddr, usize>,
}

impl Table {
    fn remove(&mut self, id: u64) {
        if let Some(c) = self.conns.remove(&id) {
            if let Some(n) = self.per_ip.get_mut(&c.ip) {
                *n -= 1;
                if *n == 0 {
                    self.per_ip.remove(&c.ip);
                }
            }
        }
    }

    /// The connection with no request in progress that has been idle the
    /// longest (of `ip`, when given).
    fn longest_idle(&self, ip: Option<IpAddr>) -> Option<u64> {
        self.conns
            .values()
            .filter(|c| ip.is_none_or(|ip| c.ip == ip))
            .filter(|c| c.busy.load(Ordering::SeqCst) == 0)
            .min_by_key(|c| c.idle_since.load(Ordering::SeqCst))
            .map(|c| c.id)
    }

    /// Makes room for a connection from `ip` by closing the longest-idle
    /// one the caps require; the connections closed, or `None` when every
    /// candidate is busy.
    fn make_room(&mut self, ip: IpAddr, per_client_max: usize, max: usize) -> Option<u64> {
        let mut closed = 0;
        if self.per_ip.get(&ip).copied().unwrap_or(0) >= per_client_max {
            self.evict(self.longest_idle(Some(ip))?);
            closed += 1;
        }
        if self.conns.len() >= max {
            self.evict(self.longest_idle(None)?);
            closed += 1;
        }
        Some(closed)
    }

    fn evict(&mut self, id: u64) {
        if let Some(c) = self.conns.get(&id) {
            c.close();
        }
        self.remove(id);
    }
}

/// The connections of one server.
pub struct Connections {
    table: Mutex<Table>,
    limits: Http,
    /// The cap in force: the configured one, or lower when the file limit
    /// says so.
    max: usize,
    /// Connections refused, or closed to make room for new ones.
    pub refused: AtomicU64,
}

impl Connections {
    fn table(&self) -> std::sync::MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Open connections.
    pub fn open(&self) -> usize {
        self.table().conns.len()
    }

    /// The cap on open connections in force.
    pub fn max(&self) -> usize {
        self.max
    }

    fn admit(&self, ip: IpAddr) -> Option<Arc<Conn>> {
        let mut t = self.table();
        let closed = t.make_room(ip, self.limits.connections_per_client_max, self.max)?;
        self.refused.fetch_add(closed, Ordering::Relaxed);
        t.next += 1;
        let now = now_ms();
        let c = Arc::new(Conn {
            id: t.next,
            ip,
            busy: AtomicUsize::new(0),
            idle_since: AtomicU64::new(now),
            head_since: AtomicU64::new(0),
            fresh: AtomicBool::new(true),
            write_blocked_since: AtomicU64::new(0),
            kill: Notify::new(),
            killed: AtomicBool::new(false),
        });
        t.conns.insert(c.id, c.clone());
        *t.per_ip.entry(ip).or_default() += 1;
        Some(c)
    }

    /// Closes connections past their timeouts.
    fn sweep(&self) {
        let now = now_ms();
        let l = &self.limits;
        let ms = |d: Duration| d.as_millis() as u64;
        let mut t = self.table();
        let expired: Vec<u64> = t
            .conns
            .values()
            .filter(|c| {
                if c.busy.load(Ordering::SeqCst) > 0 {
                    let blocked = c.write_blocked_since.load(Ordering::SeqCst);
                    return blocked != 0 && now.saturating_sub(blocked) > ms(l.write_stall_timeout);
                }
                let head = c.head_since.load(Ordering::SeqCst);
                let idle = c.idle_since.load(Ordering::SeqCst);
                if head != 0 {
                    now.saturating_sub(head) > ms(l.header_read_timeout)
                } else if c.fresh.load(Ordering::SeqCst) {
                    now.saturating_sub(idle) > ms(l.header_read_timeout)
                } else {
                    now.saturating_sub(idle) > ms(l.idle_timeout)
                }
            })
            .map(|c| c.id)
            .collect();
        for id in expired {
            t.evict(id);
        }
    }

    /// Closes every connection with no request in progress.
    fn close_idle(&self) {
        let mut t = self.table();
        let idle: Vec<u64> = t
            .conns
            .values()
            .filter(|c| c.busy.load(Ordering::SeqCst) == 0)
            .map(|c| c.id)
            .collect();
        for id in idle {
            t.evict(id);
        }
    }

    /// Closes every connection.
    fn close_all(&self) {
        let mut t = self.table();
        let all: Vec<u64> = t.conns.keys().copied().collect();
        for id in all {
            t.evict(id);
        }
    }
}

/// A request in progress on a connection: counted until dropped (with the
/// response's body, once written or abandoned).
struct Busy(Arc<Conn>);

impl Busy {
    fn new(c: Arc<Conn>) -> Busy {
        c.busy.fetch_add(1, Ordering::SeqCst);
        c.head_since.store(0, Ordering::SeqCst);
        Busy(c)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let c = &self.0;
        c.fresh.store(false, Ordering::SeqCst);
        c.idle_since.store(now_ms(), Ordering::SeqCst);
        c.head_since.store(0, Ordering::SeqCst);
        c.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A response body that keeps its request counted until it is written.
struct Counted {
    inner: Body,
    _busy: Busy,
}

impl http_body::Body for Counted {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// A request body that fails when it has not arrived by a deadline.
struct Deadline {
    inner: Incoming,
    sleep: Pin<Box<tokio::time::Sleep>>,
    lifted: Arc<AtomicBool>,
}

/// The handle a handler finds in a request's extensions to lift its body's
/// deadline: a task stream's body lasts as long as the stream (its reports
/// arrive on it), and the stream has limits of its own.
#[derive(Clone)]
pub(crate) struct BodyDeadline(Arc<AtomicBool>);

impl BodyDeadline {
    /// From now on the body may take as long as it likes.
    pub(crate) fn lift(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl http_body::Body for Deadline {
    type Data = axum::body::Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        if let Poll::Ready(f) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(f.map(|r| r.map_err(Into::into)));
        }
        if self.lifted.load(Ordering::SeqCst) {
            return Poll::Pending;
        }
        match self.sleep.as_mut().poll(cx) {
            Poll::Ready(()) if self.lifted.load(Ordering::SeqCst) => Poll::Pending,
            Poll::Ready(()) => Poll::Ready(Some(Err(BODY_TIMEOUT_MESSAGE.into()))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// The socket, watched: when bytes of a request head arrive, when writes
/// wait for the client; and hyper's empty-bodied error answers rewritten.
struct Watched {
    inner: TcpStream,
    conn: Arc<Conn>,
    /// The JSON answer that replaces hyper's, still to be written.
    answer: Option<(Vec<u8>, usize)>,
}

impl Watched {
    /// Writes what is left of the replacement answer.
    fn poll_answer(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((buf, at)) = &mut self.answer {
            if *at == buf.len() {
                return Poll::Ready(Ok(()));
            }
            match Pin::new(&mut self.inner).poll_write(cx, &buf[*at..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => *at += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }
}

/// The status of hyper's own answer to a request it could not parse, if
/// `buf` starts with one: a 4xx head with `content-length: 0` and no
/// content type (every answer of the API has a JSON body).
fn automatic_error(buf: &[u8]) -> Option<&[u8]> {
    if buf.len() < 12 || !(buf.starts_with(b"HTTP/1.1 4") || buf.starts_with(b"HTTP/1.0 4")) {
        return None;
    }
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = buf[..end + 2].to_ascii_lowercase();
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    (has(b"\r\ncontent-length: 0\r\n") && !has(b"\r\ncontent-type:")).then(|| &buf[9..12])
}

/// The JSON answer for one of hyper's automatic error answers, by status.
fn json_answer(status: &[u8]) -> Option<Vec<u8>> {
    let (code, message) = match status {
        b"400" => (Code::BadRequest, "the request is not valid HTTP/1.1"),
        b"414" => (
            Code::UriTooLong,
            "the request's URI is longer than the server reads (64 KiB)",
        ),
        b"431" => (
            Code::HeadersTooLarge,
            "the request's headers are larger than the server reads",
        ),
        _ => return None,
    };
    Some(raw_answer(code, message, &[]))
}

/// A whole HTTP/1.1 answer with the API's error body, for the places that
/// write to the socket themselves; the connection closes after it.
fn raw_answer(code: Code, message: &str, extra_headers: &[&str]) -> Vec<u8> {
    let body =
        serde_json::json!({"error": {"code": code.as_str(), "message": message}}).to_string();
    let status = code.status();
    let mut head = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
        status.as_str(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    );
    for h in extra_headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    head.push_str("connection: close\r\n\r\n");
    head.push_str(&body);
    head.into_bytes()
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before && self.conn.busy.load(Ordering::SeqCst) == 0 {
            // A request head is on its way: the header timeout runs.
            let _ = self.conn.head_since.compare_exchange(
                0,
                now_ms(),
                Ordering::SeqCst,
                Ordering::SeqCst,
            );
        }
        r
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.answer.is_some() {
            // hyper's own answer is replaced; the connection then closes.
            return match self.poll_answer(cx) {
                Poll::Ready(Ok(())) => Poll::Ready(Ok(buf.len())),
                Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
                Poll::Pending => Poll::Pending,
            };
        }
        if let Some(status) = automatic_error(buf) {
            if let Some(answer) = json_answer(status) {
                self.answer = Some((answer, 0));
                return match self.poll_answer(cx) {
                    Poll::Ready(Ok(())) => Poll::Ready(Ok(buf.len())),
                    Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
                    Poll::Pending => Poll::Pending,
                };
            }
        }
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        let blocked = &self.conn.write_blocked_since;
        match r {
            Poll::Pending => {
                let _ = blocked.compare_exchange(0, now_ms(), Ordering::SeqCst, Ordering::SeqCst);
            }
            Poll::Ready(_) => blocked.store(0, Ordering::SeqCst),
        }
        r
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.answer.is_some() {
            match self.poll_answer(cx) {
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.answer.is_some() {
            match self.poll_answer(cx) {
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The answer to a connection refused because every connection is busy.
fn refusal() -> Vec<u8> {
    raw_answer(
        Code::TooManyConnections,
        "the server has as many connections as it takes, all with requests in progress; try \
         again shortly",
        &["retry-after: 1"],
    )
}

/// Serves `app` on `listener` until `stop` turns true, then shuts down as
/// the module documentation says. Returns once every connection is closed.
pub async fn serve(
    listener: TcpListener,
    app: axum::Router,
    limits: Http,
    mut stop: watch::Receiver<bool>,
    connections: Arc<Connections>,
) {
    let sweeper = tokio::spawn({
        let connections = connections.clone();
        async move {
            let mut tick = tokio::time::interval(crate::limits::SWEEP_EVERY);
            loop {
                tick.tick().await;
                connections.sweep();
            }
        }
    });
    let (closing_tx, closing) = watch::channel(false);
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            r = stop.wait_for(|s| *s) => {
                let _ = r;
                break;
            }
        };
        while tasks.try_join_next().is_some() {}
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of file descriptors (or another resource): free one
                // by closing the longest-idle connection, and pause so the
                // loop does not spin.
                tracing::warn!(error = %e, "accepting a connection failed: {e}");
                if let Some(id) = connections.table().longest_idle(None) {
                    connections.table().evict(id);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let Some(conn) = connections.admit(peer.ip()) else {
            connections.refused.fetch_add(1, Ordering::Relaxed);
            // Best effort: the answer fits the socket's buffer.
            let _ = stream.try_write(&refusal());
            continue;
        };
        let _ = stream.set_nodelay(true);
        tasks.spawn(serve_one(
            stream,
            peer,
            conn,
            app.clone(),
            limits.body_read_timeout,
            connections.clone(),
            closing.clone(),
        ));
    }
    drop(listener);
    // Stop: idle connections close now, busy ones finish their request.
    let _ = closing_tx.send(true);
    connections.close_idle();
    let grace = tokio::time::sleep(limits.shutdown_grace);
    tokio::pin!(grace);
    loop {
        tokio::select! {
            next = tasks.join_next() => if next.is_none() { break },
            () = &mut grace => {
                tracing::warn!(
                    "closing {} connection(s) still busy after {:?}",
                    connections.open(),
                    limits.shutdown_grace
                );
                connections.close_all();
                tasks.abort_all();
                while tasks.join_next().await.is_some() {}
                break;
            }
        }
    }
    sweeper.abort();
}

async fn serve_one(
    stream: TcpStream,
    _peer: SocketAddr,
    conn: Arc<Conn>,
    app: axum::Router,
    body_read_timeout: Duration,
    connections: Arc<Connections>,
    mut closing: watch::Receiver<bool>,
) {
    let io = TokioIo::new(Watched {
        inner: stream,
        conn: conn.clone(),
        answer: None,
    });
    let service = {
        let conn = conn.clone();
        hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            let busy = Busy::new(conn.clone());
            let app = app.clone();
            async move {
                let lifted = Arc::new(AtomicBool::new(false));
                let mut req = req.map(|inner| {
                    Body::new(Deadline {
                        inner,
                        sleep: Box::pin(tokio::time::sleep(body_read_timeout)),
                        lifted: lifted.clone(),
                    })
                });
                req.extensions_mut().insert(BodyDeadline(lifted));
                let resp = app.oneshot(req).await.unwrap_or_else(|e| match e {});
                Ok::<_, std::convert::Infallible>(resp.map(|inner| Counted { inner, _busy: busy }))
            }
        })
    };
    let served = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .max_buf_size(crate::limits::HEAD_BYTES_MAX)
        .serve_connection(io, service);
    tokio::pin!(served);
    let mut shutting_down = false;
    loop {
        tokio::select! {
            r = served.as_mut() => {
                if let Err(e) = r {
                    if !e.is_incomplete_message() && !e.is_closed() && !conn.killed.load(Ordering::SeqCst) {
                        // Clients that go away mid-request are common; a
                        // protocol error is worth a line (at debug: any
                        // client can send them as fast as it likes).
                        if e.is_parse() {
                            tracing::debug!(error = %e, "a request could not be parsed: {e}");
                        }
                    }
                }
                break;
            }
            () = conn.kill.notified() => break,
            r = closing.wait_for(|c| *c), if !shutting_down => {
                let _ = r;
                shutting_down = true;
                served.as_mut().graceful_shutdown();
                if conn.busy.load(Ordering::SeqCst) == 0 {
                    break;
                }
            }
        }
    }
    connections.table().remove(conn.id);
}

/// Builds the connection table for `limits`: the cap in force is the
/// configured one or what the file limit allows, whichever is lower.
pub fn connections(limits: &Http) -> Arc<Connections> {
    let max = match crate::limits::connections_the_file_limit_allows() {
        Some(n) => limits.connections_max.min(n),
        None => limits.connections_max,
    };
    Arc::new(Connections {
        table: Mutex::new(Table::default()),
        limits: limits.clone(),
        max,
        refused: AtomicU64::new(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_with(conns: &[(&str, u64, usize)]) -> Table {
        let mut t = Table::default();
        for (ip, idle_since, busy) in conns {
            t.next += 1;
            let ip: IpAddr = ip.parse().unwrap();
            let c = Arc::new(Conn {
                id: t.next,
                ip,
                busy: AtomicUsize::new(*busy),
                idle_since: AtomicU64::new(*idle_since),
                head_since: AtomicU64::new(0),
                fresh: AtomicBool::new(false),
                write_blocked_since: AtomicU64::new(0),
                kill: Notify::new(),
                killed: AtomicBool::new(false),
            });
            t.conns.insert(c.id, c);
            *t.per_ip.entry(ip).or_default() += 1;
        }
        t
    }

    #[test]
    fn room_is_made_by_closing_the_longest_idle_connection() {
        // 1 and 2 from a, 3 from b; 2 is busy; 1 has been idle longest.
        let mut t = table_with(&[("10.0.0.1", 5, 0), ("10.0.0.1", 1, 1), ("10.0.0.2", 9, 0)]);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        // Under both caps: nothing closes.
        assert_eq!(t.make_room(a, 3, 4), Some(0));
        // a is at its cap of 2: its idle one (1) closes, b's stays.
        let one = t.conns[&1].clone();
        assert_eq!(t.make_room(a, 2, 10), Some(1));
        assert!(one.killed.load(Ordering::SeqCst));
        assert_eq!(t.conns.len(), 2);
        assert_eq!(t.per_ip[&a], 1);
        // At the total cap, the longest idle of anyone (3) closes.
        assert_eq!(t.make_room(a, 10, 2), Some(1));
        assert_eq!(t.conns.keys().copied().collect::<Vec<_>>(), [2]);
        // Only a busy connection is left: no room.
        assert_eq!(t.make_room(a, 10, 1), None);
        assert_eq!(t.make_room(a, 1, 10), None);
        // Removing twice is harmless.
        t.remove(2);
        t.remove(2);
        assert!(t.per_ip.is_empty());
    }

    #[test]
    fn only_hypers_own_empty_error_answers_are_rewritten() {
        let hyper = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: Sun, 06 Dec 2026 17:01:47 GMT\r\n\r\n";
        assert_eq!(automatic_error(hyper), Some(&b"414"[..]));
        let closing = b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(automatic_error(closing), Some(&b"400"[..]));
        // The API's own errors have a JSON body.
        let api = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 60\r\n\r\n{}";
        assert_eq!(automatic_error(api), None);
        assert_eq!(
            automatic_error(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"),
            None
        );
        assert_eq!(automatic_error(b"HTTP/1.1 414 URI"), None);
        let answer = String::from_utf8(json_answer(b"414").unwrap()).unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 414 URI Too Long\r\n"),
            "{answer}"
        );
        let body = answer.split("\r\n\r\n").nth(1).unwrap();
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["error"]["code"], "uri_too_long");
        assert!(answer.contains(&format!("content-length: {}\r\n", body.len())));
        assert_eq!(json_answer(b"404"), None);
    }
}
