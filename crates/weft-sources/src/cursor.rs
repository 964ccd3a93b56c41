//! Where the pull sources keep their cursors.
//!
//! A cursor advances only after the sink made the events read before it
//! durable, in a second write (the events' transaction belongs to the
//! engine's entry point): a crash between the two polls the same items
//! again, and their event ids make that replay harmless. The advance is a
//! compare-and-set on the cursor the poll started from, so when several
//! nodes poll one source, a slow node never moves the cursor back over a
//! faster one's progress.

use std::collections::BTreeMap;
use std::sync::Mutex;

/// A durable map from source name to cursor.
///
/// Called from blocking threads (`spawn_blocking`): implementations may
/// do synchronous I/O.
pub trait Cursors: Send + Sync + 'static {
    /// The source's cursor, if it has advanced before.
    fn get(&self, source: &str) -> Result<Option<String>, String>;
    /// Sets the cursor to `to` if it is still `from` (`None`: never set);
    /// answers whether it did.
    fn advance(&self, source: &str, from: Option<&str>, to: &str) -> Result<bool, String>;
}

/// Cursors in memory (tests; a server always keeps them in its store).
#[derive(Debug, Default)]
pub struct MemoryCursors {
    map: Mutex<BTreeMap<String, String>>,
}

impl Cursors for MemoryCursors {
    fn get(&self, source: &str) -> Result<Option<String>, String> {
        Ok(self
            .map
            .lock()
            .map_err(|e| e.to_string())?
            .get(source)
            .cloned())
    }

    fn advance(&self, source: &str, from: Option<&str>, to: &str) -> Result<bool, String> {
        let mut map = self.map.lock().map_err(|e| e.to_string())?;
        if map.get(source).map(String::as_str) != from {
            return Ok(false);
        }
        map.insert(source.to_string(), to.to_string());
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stale_advance_does_not_move_the_cursor_back() {
        let c = MemoryCursors::default();
        assert_eq!(c.get("s").unwrap(), None);
        assert!(c.advance("s", None, "10").unwrap());
        // A second node polled from "never set" too, and was slower.
        assert!(!c.advance("s", None, "5").unwrap());
        assert!(c.advance("s", Some("10"), "20").unwrap());
        assert_eq!(c.get("s").unwrap().as_deref(), Some("20"));
    }
}
