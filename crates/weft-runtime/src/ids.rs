//! Run ids and callback tokens, and where their randomness comes from.

/// A source of random bytes: the OS in production, a seed in simulations.
pub trait Entropy: Send {
    /// Fills `buf` with random bytes.
    fn fill(&mut self, buf: &mut [u8]);
}

/// The operating system's cryptographic random source.
pub struct OsEntropy;

impl Entropy for OsEntropy {
    fn fill(&mut self, buf: &mut [u8]) {
        // The OS source only fails on exotic platforms; a predictable token
        // would be a security bug, so refuse to go on without randomness.
        getrandom::fill(buf).expect("the operating system's random source failed");
    }
}

/// A deterministic source (splitmix64) for simulations that must replay.
pub struct SeededEntropy(pub u64);

impl Entropy for SeededEntropy {
    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
        }
    }
}

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A run id: 48 bits of milliseconds then 80 random bits, as 26 Crockford
/// base32 characters (a ULID). Ids sort by start time, so listing runs
/// newest first is sorting ids.
pub fn run_id(now_ms: i64, entropy: &mut dyn Entropy) -> String {
    let mut bytes = [0u8; 16];
    let t = (now_ms.max(0) as u64) & 0xFFFF_FFFF_FFFF;
    bytes[..6].copy_from_slice(&t.to_be_bytes()[2..]);
    entropy.fill(&mut bytes[6..]);
    let n = u128::from_be_bytes(bytes);
    (0..26)
        .map(|i| CROCKFORD[((n >> (125 - i * 5)) & 0x1F) as usize] as char)
        .collect()
}

/// A callback token: 128 random bits as 32 hex characters.
pub fn token(entropy: &mut dyn Entropy) -> String {
    let mut bytes = [0u8; 16];
    entropy.fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A uniform number in `[0, 1)`.
pub fn unit(entropy: &mut dyn Entropy) -> f64 {
    let mut b = [0u8; 8];
    entropy.fill(&mut b);
    (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_sort_by_time() {
        let mut e = SeededEntropy(1);
        let a = run_id(1_000, &mut e);
        let b = run_id(2_000, &mut e);
        assert_eq!(a.len(), 26);
        assert!(a < b);
        assert_ne!(run_id(1_000, &mut e), a);
    }

    #[test]
    fn tokens_are_128_bits_of_hex() {
        let t = token(&mut OsEntropy);
        assert_eq!(t.len(), 32);
        assert!(t.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(t, token(&mut OsEntropy));
        let u = unit(&mut SeededEntropy(7));
        assert!((0.0..1.0).contains(&u));
    }
}
