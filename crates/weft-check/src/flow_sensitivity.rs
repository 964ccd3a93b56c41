//! What is known about the variables of one scope at one point of its body:
//! which may have been assigned (on some path to here) and which must have
//! been (on every path). The walk in `walk.rs` carries one [`State`] along
//! the statements, splits it at branches and joins it where paths meet.
//!
//! Assignments only ever add to both sets (nothing unassigns a variable),
//! so a loop body's effect is `state ∪ gen` with a `gen` that does not depend
//! on the state it starts from. That is why one summary per loop body is
//! enough to find the state at the loop's head (see [`State::loop_head`]),
//! with no iteration to a fixed point.

use crate::scope::VarId;

/// A set of variables of one scope, as bits.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Bits(Vec<u64>);

impl Bits {
    fn empty(len: usize) -> Bits {
        Bits(vec![0; len.div_ceil(64)])
    }

    fn contains(&self, v: VarId) -> bool {
        self.0.get(v / 64).is_some_and(|w| w & (1 << (v % 64)) != 0)
    }

    fn insert(&mut self, v: VarId) {
        if let Some(w) = self.0.get_mut(v / 64) {
            *w |= 1 << (v % 64);
        }
    }

    fn union_with(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }

    fn intersect_with(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
    }
}

/// How surely a variable holds a value at a point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Assigned {
    /// On every path to here.
    Surely,
    /// On some paths to here, not all.
    Maybe,
    /// On no path to here.
    Never,
}

/// The assignment state of a scope's variables at one point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct State {
    /// False after `return`, `break` or `continue`: no path reaches here,
    /// and the sets mean nothing.
    pub reachable: bool,
    may: Bits,
    must: Bits,
}

impl State {
    /// A reachable point where none of `len` variables is assigned.
    pub fn entry(len: usize) -> State {
        State {
            reachable: true,
            may: Bits::empty(len),
            must: Bits::empty(len),
        }
    }

    /// A point no path reaches: the identity of [`State::join`].
    pub fn unreachable(len: usize) -> State {
        State {
            reachable: false,
            ..State::entry(len)
        }
    }

    /// Records an assignment of `v` on every path to here.
    pub fn assign(&mut self, v: VarId) {
        self.may.insert(v);
        self.must.insert(v);
    }

    /// Copies what `from` knows about its variable `from_var` into `v`
    /// (used when a nested scope captures an enclosing variable).
    pub fn copy_var(&mut self, v: VarId, from: &State, from_var: VarId) {
        if from.may.contains(from_var) {
            self.may.insert(v);
        }
        if from.must.contains(from_var) {
            self.must.insert(v);
        }
    }

    /// How surely `v` is assigned here.
    pub fn assigned(&self, v: VarId) -> Assigned {
        if self.must.contains(v) {
            Assigned::Surely
        } else if self.may.contains(v) {
            Assigned::Maybe
        } else {
            Assigned::Never
        }
    }

    /// True when `v` may hold a value here.
    pub fn may(&self, v: VarId) -> bool {
        self.may.contains(v)
    }

    /// Merges the paths of `other` into this point.
    pub fn join(&mut self, other: &State) {
        if !other.reachable {
            return;
        }
        if !self.reachable {
            *self = other.clone();
            return;
        }
        self.may.union_with(&other.may);
        self.must.intersect_with(&other.must);
    }

    /// The state at a loop's head, entered with `entry`, when one pass of
    /// the body started from nothing assigned ends (at its end or at a
    /// `continue`) in `back_edge`.
    ///
    /// The head is reached from the entry and from every later iteration,
    /// so it is `entry ⊔ (entry ∪ gen) ⊔ (entry ∪ gen ∪ gen) ...`, which is:
    /// what may be assigned grows by the body's `may`, what must be assigned
    /// stays the entry's (the first iteration sees only the entry).
    pub fn loop_head(entry: &State, back_edge: &State) -> State {
        let mut head = entry.clone();
        if entry.reachable && back_edge.reachable {
            head.may.union_with(&back_edge.may);
        }
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_keeps_may_of_either_and_must_of_both() {
        let mut a = State::entry(3);
        a.assign(0);
        a.assign(1);
        let mut b = State::entry(3);
        b.assign(1);
        b.assign(2);
        a.join(&b);
        assert_eq!(a.assigned(0), Assigned::Maybe);
        assert_eq!(a.assigned(1), Assigned::Surely);
        assert_eq!(a.assigned(2), Assigned::Maybe);
    }

    #[test]
    fn unreachable_is_the_identity_of_join() {
        let mut a = State::entry(2);
        a.assign(0);
        let before = a.clone();
        a.join(&State::unreachable(2));
        assert_eq!(a, before);
        let mut u = State::unreachable(2);
        u.join(&before);
        assert_eq!(u, before);
    }

    #[test]
    fn loop_head_adds_may_of_the_body_only() {
        let mut entry = State::entry(2);
        entry.assign(0);
        let mut back = State::entry(2);
        back.assign(1);
        let head = State::loop_head(&entry, &back);
        assert_eq!(head.assigned(0), Assigned::Surely);
        assert_eq!(head.assigned(1), Assigned::Maybe);
        // A body that never gets back to the head adds nothing.
        let head = State::loop_head(&entry, &State::unreachable(2));
        assert_eq!(head.assigned(1), Assigned::Never);
    }

    #[test]
    fn many_variables_span_several_words() {
        let mut s = State::entry(130);
        s.assign(129);
        assert_eq!(s.assigned(129), Assigned::Surely);
        assert_eq!(s.assigned(64), Assigned::Never);
    }
}
