//! Panics contained to the run whose step panicked.
//!
//! The core thread applies every run's events: a panic there (a bug in the
//! engine or the host, met by one run's state) would stop every run of the
//! node. [`catch`] runs one run's step and turns a panic into its message
//! and where it happened, so the host can park that run for the operator
//! and go on with the others.

use std::cell::RefCell;
use std::panic;
use std::sync::Once;

thread_local! {
    /// Where the last panic on this thread happened.
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Installs, once per process, a panic hook that remembers where each
/// thread's last panic happened (a caught panic's payload has only its
/// message) and then does what the hook before it did.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let at = info
                .location()
                .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
            LAST.with(|c| *c.borrow_mut() = at);
            previous(info);
        }));
    });
}

/// Runs `step`; when it panics, the panic's message and location instead.
pub(crate) fn catch<T>(step: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    LAST.with(|c| c.borrow_mut().take());
    panic::catch_unwind(panic::AssertUnwindSafe(step)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into());
        match LAST.with(|c| c.borrow_mut().take()) {
            Some(at) => format!("{message} (at {at})"),
            None => message,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_place() {
        assert_eq!(catch(|| 7), Ok(7));
        let e = catch(|| -> u32 { panic!("broken {}", 1) }).unwrap_err();
        assert!(e.starts_with("broken 1 (at "), "{e}");
        assert!(e.contains("contain.rs:"), "{e}");
    }
}
