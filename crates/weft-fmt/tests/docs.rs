//! The examples in docs/formatting.md stay true: the first `weft` block
//! formats to the second, and every other block is already formatted.

mod common;

use std::path::Path;

/// The contents of the ```` ```weft ```` blocks of `text`, in order.
fn weft_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```weft") => current = Some(String::new()),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn formatting_md_examples_are_what_the_formatter_does() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/formatting.md");
    let text = std::fs::read_to_string(path).expect("docs/formatting.md is readable");
    let blocks = weft_blocks(&text);
    assert!(
        blocks.len() >= 4,
        "expected the before/after and more examples"
    );
    assert_eq!(
        common::check_format(&blocks[0]),
        blocks[1],
        "before/after example"
    );
    for block in &blocks[1..] {
        assert_eq!(
            &common::check_format(block),
            block,
            "not formatted:\n{block}"
        );
    }
}
