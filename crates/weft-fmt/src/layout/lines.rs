//! The lines of a block, of the top level or of a broken list.

use crate::doc::Doc;

/// Lines being collected, each with whether a blank line goes before it.
#[derive(Default)]
pub(super) struct Lines {
    done: Vec<(bool, Vec<Doc>)>,
    open: Option<(bool, Vec<Doc>)>,
    /// The next line gets a blank line before it whatever the source says
    /// (used after top-level flows).
    pub(super) blank_next: bool,
}

impl Lines {
    /// The line being filled, opened (after a blank line if `blank`) if
    /// there is none. No blank line goes before the first line.
    pub(super) fn current(&mut self, blank: bool) -> &mut Vec<Doc> {
        if self.open.is_none() {
            let blank = (blank || self.blank_next) && !self.done.is_empty();
            self.blank_next = false;
            self.open = Some((blank, Vec::new()));
        }
        &mut self.open.get_or_insert_with(|| (false, Vec::new())).1
    }

    /// Ends the line being filled, if any.
    pub(super) fn end_line(&mut self) {
        if let Some(line) = self.open.take() {
            self.done.push(line);
        }
    }

    /// No line yet, not even one being filled.
    pub(super) fn is_empty(&self) -> bool {
        self.done.is_empty() && self.open.is_none()
    }

    /// The lines separated by line breaks (and blank lines); no break
    /// before the first or after the last.
    pub(super) fn join(mut self) -> Doc {
        self.end_line();
        let mut docs = Vec::with_capacity(self.done.len() * 3);
        for (i, (blank, line)) in self.done.into_iter().enumerate() {
            if i > 0 {
                docs.push(Doc::HardLine);
                if blank {
                    docs.push(Doc::HardLine);
                }
            }
            docs.push(Doc::Concat(line));
        }
        Doc::Concat(docs)
    }
}
