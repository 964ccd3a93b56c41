//! What the machine's work costs, beyond one unit per instruction.
//!
//! The step budget and the time slice count units of work, not
//! instructions: an instruction that copies a list of 100,000 elements, or
//! compares two long strings, does far more than one that adds two numbers,
//! and charging it one unit let a loop of such instructions hold the core
//! for minutes. Value operations add what they touch here (elements cloned,
//! visited or recomputed; bytes copied or scanned) as they go, so that
//! every place that does work counts it without threading a counter
//! through every signature; the machine takes the total after each
//! instruction ([`take`]) and charges it to the run.
//!
//! The counter is per thread: one step of one run executes on one thread
//! from its start to its end, and nothing else runs on that thread
//! meanwhile, so what [`take`] returns is the work of that step's last
//! instruction and of nothing else.

use std::cell::Cell;

/// Elements (values cloned, visited or recomputed) that cost one unit:
/// about what executing one instruction costs.
pub const ELEMENTS_PER_UNIT: u64 = 16;

/// Bytes (copied, scanned or formatted) that cost one unit.
pub const BYTES_PER_UNIT: u64 = 1024;

thread_local! {
    static ELEMENTS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

/// Records that `n` elements were cloned, visited or recomputed.
pub fn elements(n: usize) {
    ELEMENTS.with(|c| c.set(c.get().saturating_add(n as u64)));
}

/// Records that `n` bytes were copied, scanned or formatted.
pub fn bytes(n: usize) {
    BYTES.with(|c| c.set(c.get().saturating_add(n as u64)));
}

/// The units of work recorded since the last call, and starts again.
pub fn take() -> u64 {
    let e = ELEMENTS.with(|c| c.replace(0));
    let b = BYTES.with(|c| c.replace(0));
    e / ELEMENTS_PER_UNIT + b / BYTES_PER_UNIT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_adds_up_and_starts_again() {
        take();
        elements(ELEMENTS_PER_UNIT as usize * 3);
        bytes(BYTES_PER_UNIT as usize * 2 + 1);
        assert_eq!(take(), 5);
        assert_eq!(take(), 0);
    }
}
