//! Exponential back-off with jitter, for when the server is away.

use std::time::Duration;

/// The first delay after a failed request.
pub const BACKOFF_MIN: Duration = Duration::from_millis(100);

/// The longest delay between two tries: a server that comes back is seen
/// within this long.
pub const BACKOFF_MAX: Duration = Duration::from_secs(10);

/// Delays of `min(BACKOFF_MIN · 2^k, max)`, half fixed and half random
/// ("equal jitter", as the engine's retries), so that many workers that
/// lost the same server do not come back in lockstep.
#[derive(Debug)]
pub(crate) struct Backoff {
    failures: u32,
    max: Duration,
    rng: u64,
}

impl Backoff {
    /// Back-off up to `max`.
    pub fn new(max: Duration) -> Backoff {
        Backoff {
            failures: 0,
            max: max.max(BACKOFF_MIN),
            rng: seed(),
        }
    }

    /// The delay before the next try.
    pub fn next_delay(&mut self) -> Duration {
        let exp = BACKOFF_MIN
            .saturating_mul(1u32 << self.failures.min(20))
            .min(self.max);
        self.failures = self.failures.saturating_add(1);
        let half = exp / 2;
        half + half.mul_f64(self.random())
    }

    /// Forgets the failures (the server answered).
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    /// A number in [0, 1) (xorshift64*: jitter needs no better).
    fn random(&mut self) -> f64 {
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        let x = self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A seed that differs between processes and between instances.
fn seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    // The standard library seeds each RandomState from the OS.
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    h.finish() | 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_to_the_cap_with_jitter_and_resets() {
        let mut b = Backoff::new(Duration::from_secs(10));
        let first = b.next_delay();
        assert!(
            first >= BACKOFF_MIN / 2 && first <= BACKOFF_MIN,
            "{first:?}"
        );
        let delays: Vec<Duration> = (0..20).map(|_| b.next_delay()).collect();
        for d in &delays {
            assert!(*d <= Duration::from_secs(10), "{d:?}");
        }
        let last = delays[delays.len() - 1];
        assert!(last >= Duration::from_secs(5), "{last:?}");
        // Jitter: the capped delays are not all the same.
        assert!(delays[15..].windows(2).any(|w| w[0] != w[1]));
        b.reset();
        assert!(b.next_delay() <= BACKOFF_MIN);
    }
}
