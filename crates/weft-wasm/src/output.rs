//! A guest's stdout and stderr: the last [`OUTPUT_KEPT_BYTES`] of them,
//! kept to quote when a call traps (an uncaught exception's traceback is
//! there), never written anywhere else.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use crate::OUTPUT_KEPT_BYTES;

/// The kept output; clones share it.
#[derive(Clone, Default)]
pub(crate) struct Tail {
    kept: Arc<Mutex<Vec<u8>>>,
}

impl Tail {
    /// Forgets what was kept (before each call).
    pub(crate) fn clear(&self) {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// What was kept, as text.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.kept.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }

    fn write(&self, bytes: &[u8]) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.extend_from_slice(bytes);
        if kept.len() > OUTPUT_KEPT_BYTES {
            let cut = kept.len() - OUTPUT_KEPT_BYTES;
            kept.drain(..cut);
        }
    }
}

impl wasmtime_wasi::cli::IsTerminal for Tail {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl wasmtime_wasi::cli::StdoutStream for Tail {
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

impl tokio::io::AsyncWrite for Tail {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.write(buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_end() {
        let t = Tail::default();
        t.write(&vec![b'a'; OUTPUT_KEPT_BYTES]);
        t.write(b"end");
        let text = t.text();
        assert_eq!(text.len(), OUTPUT_KEPT_BYTES);
        assert!(text.ends_with("aend"));
        t.clear();
        assert_eq!(t.text(), "");
    }
}
