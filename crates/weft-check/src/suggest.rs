//! "Did you mean" suggestions: the known name closest to a misspelt one.
//!
//! Closeness is the Damerau-Levenshtein distance (insertions, deletions,
//! substitutions and transpositions of adjacent characters, each costing
//! one), because the typos people make in names are mostly those four.

use std::collections::HashMap;

/// Names longer than this (in characters) get no suggestion. The distance
/// costs O(n·m) time and memory, and a source file may hold a megabyte-long
/// identifier; long names are also rarely one typo away from another.
pub const NAME_CHARS_MAX: usize = 64;

/// Most "did you mean" searches per top-level flow. Each costs time in the
/// number of names in scope; a file of thousands of unknown names (pasted
/// text, say) should not cost thousands of searches.
pub(crate) const SUGGESTIONS_PER_FLOW_MAX: usize = 64;

/// The unrestricted Damerau-Levenshtein distance between `a` and `b`,
/// counted in characters.
///
/// Unlike the simpler "optimal string alignment" variant, a substring may be
/// edited again after a transposition, so `ca` → `abc` costs 2 (transpose,
/// then insert), not 3. This is the Lowrance-Wagner algorithm.
pub fn damerau_levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return n + m;
    }
    // The table has a sentinel row and column (index 0) holding a value
    // larger than any distance, so transpositions never reach before the
    // start of either string.
    let width = m + 2;
    let infinity = n + m;
    let mut d = vec![0usize; (n + 2) * width];
    let at = |i: usize, j: usize| i * width + j;
    d[at(0, 0)] = infinity;
    for i in 0..=n {
        d[at(i + 1, 0)] = infinity;
        d[at(i + 1, 1)] = i;
    }
    for j in 0..=m {
        d[at(0, j + 1)] = infinity;
        d[at(1, j + 1)] = j;
    }
    // For each character, the last row of `a` where it was seen.
    let mut last_row: HashMap<char, usize> = HashMap::new();
    for i in 1..=n {
        // The last column of `b`, in this row, where the characters matched.
        let mut last_match_col = 0;
        for j in 1..=m {
            let i1 = last_row.get(&b[j - 1]).copied().unwrap_or(0);
            let j1 = last_match_col;
            let cost = if a[i - 1] == b[j - 1] {
                last_match_col = j;
                0
            } else {
                1
            };
            let substitute = d[at(i, j)] + cost;
            let insert = d[at(i + 1, j)] + 1;
            let delete = d[at(i, j + 1)] + 1;
            let transpose = d[at(i1, j1)] + (i - i1 - 1) + 1 + (j - j1 - 1);
            d[at(i + 1, j + 1)] = substitute.min(insert).min(delete).min(transpose);
        }
        last_row.insert(a[i - 1], i);
    }
    d[at(n + 1, m + 1)]
}

/// The largest distance at which a candidate still counts as a likely typo
/// of a name of `chars` characters: one edit per three characters. Names of
/// one or two characters only match by letter case: `w` for `x` is noise.
fn distance_max(chars: usize) -> usize {
    chars / 3
}

/// True when `name` is written as a plain name (letters, digits and `_`,
/// not starting with a digit): it can replace a misspelt one as it is.
pub fn is_plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The candidate `name` most likely stands for, if one is close enough.
///
/// A candidate equal to `name` is skipped (the caller looks for a different
/// name). A candidate differing only in letter case wins outright; otherwise
/// the smallest distance wins, and ties go to the candidate that sorts first,
/// so the answer does not depend on the candidates' order.
pub fn closest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let chars = name.chars().count();
    if chars == 0 || chars > NAME_CHARS_MAX {
        return None;
    }
    let limit = distance_max(chars);
    let mut best: Option<(usize, &'c str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let candidate_chars = candidate.chars().count();
        // The distance is at least the difference in length: skip early.
        if candidate_chars > NAME_CHARS_MAX || candidate_chars.abs_diff(chars) > limit {
            continue;
        }
        let distance = if candidate.eq_ignore_ascii_case(name) {
            0
        } else {
            damerau_levenshtein(name, candidate)
        };
        if distance > limit {
            continue;
        }
        let better = match best {
            None => true,
            Some((d, c)) => distance < d || (distance == d && candidate < c),
        };
        if better {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_of_empty_strings_is_the_other_length() {
        assert_eq!(damerau_levenshtein("", ""), 0);
        assert_eq!(damerau_levenshtein("abc", ""), 3);
        assert_eq!(damerau_levenshtein("", "abcd"), 4);
    }

    #[test]
    fn distance_counts_each_kind_of_edit_once() {
        assert_eq!(damerau_levenshtein("retry", "retry"), 0);
        assert_eq!(damerau_levenshtein("retry", "retyr"), 1); // transposition
        assert_eq!(damerau_levenshtein("timeout", "timout"), 1); // deletion
        assert_eq!(damerau_levenshtein("catch", "cattch"), 1); // insertion
        assert_eq!(damerau_levenshtein("reserved", "reserves"), 1); // substitution
        assert_eq!(damerau_levenshtein("kitten", "sitting"), 3);
    }

    #[test]
    fn distance_allows_edits_after_a_transposition() {
        // Optimal string alignment would say 3 here; the unrestricted
        // distance transposes `ca` to `ac` and inserts `b` between.
        assert_eq!(damerau_levenshtein("ca", "abc"), 2);
    }

    #[test]
    fn distance_is_symmetric_and_counts_characters_not_bytes() {
        for (a, b) in [("ca", "abc"), ("émail", "email"), ("flow", "wolf")] {
            assert_eq!(damerau_levenshtein(a, b), damerau_levenshtein(b, a));
        }
        assert_eq!(damerau_levenshtein("émail", "email"), 1);
        assert_eq!(damerau_levenshtein("ßß", "ß"), 1);
    }

    #[test]
    fn closest_prefers_smaller_distance_then_case_then_order() {
        let names = ["reserved", "reserve", "account"];
        assert_eq!(closest("reserverd", names), Some("reserved"));
        assert_eq!(closest("Account", names), Some("account"));
        assert_eq!(closest("zzz", names), None);
        // Equal distance: the alphabetically first wins, whatever the order.
        assert_eq!(closest("abc", ["abd", "abb"]), Some("abb"));
        assert_eq!(closest("abc", ["abb", "abd"]), Some("abb"));
    }

    #[test]
    fn closest_skips_the_name_itself_and_long_names() {
        assert_eq!(closest("len", ["len"]), None);
        let long = "x".repeat(NAME_CHARS_MAX + 1);
        assert_eq!(closest(&long, [long.as_str()]), None);
    }

    #[test]
    fn short_names_match_only_by_case() {
        assert_eq!(closest("x", ["y"]), None);
        assert_eq!(closest("ab", ["ac"]), None);
        assert_eq!(closest("X", ["x"]), Some("x"));
        assert_eq!(closest("abc", ["abd"]), Some("abd"));
    }
}
