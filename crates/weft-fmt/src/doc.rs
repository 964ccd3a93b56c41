//! The layout document: what the tree builder produces and the printer lays
//! out.
//!
//! It is a small variant of Wadler's "prettier printer" document. A
//! [`Doc::Group`] is printed flat (its [`Doc::Line`]s as spaces) when it fits
//! on the rest of the line, and broken (its lines as line breaks) otherwise,
//! or always broken when the builder says so. Two additions serve Weft:
//! [`Doc::ListIndent`] indents only when its group is broken, so that a flat
//! argument list can hold a multi-line lambda without shifting its body; and
//! comments have their own variants so the printer can keep them in source
//! order while moving line comments to the end of a line.

/// A piece of layout.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Doc {
    /// Text printed as is. Code never contains a line break; a block comment
    /// may, and its continuation lines are printed verbatim.
    Text(String),
    /// A space when its group is flat, a line break when it is broken.
    Line,
    /// Nothing when its group is flat, a line break when it is broken.
    SoftLine,
    /// Always a line break.
    HardLine,
    /// A line break before a closing bracket, with the indentation of the
    /// closer; comments still waiting for the end of the line that need
    /// lines of their own get the indentation of the contents (where the
    /// next run finds them: at the end of the block or list).
    CloseLine,
    /// Like [`Doc::CloseLine`] when the enclosing group is broken; nothing
    /// when it is flat.
    CloseSoftLine,
    /// The contents, one indentation level deeper after each line break.
    Indent(Vec<Doc>),
    /// Like [`Doc::Indent`], but only when the enclosing group is broken.
    ListIndent(Vec<Doc>),
    /// Contents laid out together: flat if they fit, else broken.
    Group {
        /// Broken whatever the width (the source had it on several lines).
        broken: bool,
        /// The contents.
        docs: Vec<Doc>,
    },
    /// Text printed only when the enclosing group is broken (a trailing
    /// comma).
    IfBroken(&'static str),
    /// A comment printed where it stands, with the given spaces around it;
    /// if a line comment is already waiting for the end of the line, it
    /// waits after it instead (to keep source order).
    Comment {
        /// The comment as written.
        text: String,
        /// A space before it.
        space_before: bool,
        /// A space after it.
        space_after: bool,
    },
    /// A comment printed at the end of the current line, just before the
    /// next line break (trailing comments, and line comments found in the
    /// middle of an expression).
    Suffix(String),
    /// A sequence.
    Concat(Vec<Doc>),
}

impl Doc {
    /// Text.
    pub(crate) fn text(s: impl Into<String>) -> Doc {
        Doc::Text(s.into())
    }

    /// Nothing.
    pub(crate) fn nil() -> Doc {
        Doc::Concat(Vec::new())
    }
}

/// Appends to a list of docs; saves repeating `docs.push(Doc::text(..))`.
pub(crate) trait Push {
    /// Pushes text.
    fn text(&mut self, s: impl Into<String>);
}

impl Push for Vec<Doc> {
    fn text(&mut self, s: impl Into<String>) {
        self.push(Doc::Text(s.into()));
    }
}
