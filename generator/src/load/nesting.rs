//! The nesting limit, found before the YAML parser runs.
//!
//! Both readers stop at [`MAX_NESTING`] levels (the YAML reader counts its open collections;
//! serde_json has the same limit). This scan finds the place first, reading the text once and
//! keeping only a few flags: a YAML scanner holds every token of a flow collection until it
//! closes, and libyaml (which serde_yaml wraps) took quadratic time to reach the limit on flow
//! collections (`{a: {a: ...}}` at 20,000 levels took seconds) and quadratic memory on compact
//! sequences (`- - - ...`).
//!
//! It counts what can nest without the text growing quadratically: flow collections, and
//! compact block collections that open on one line (`- - -`, `? ? ?`). Nesting by indentation
//! is not counted (its text grows with the square of its depth): the parser's own limit still
//! catches it, in time linear in the text. Quoted scalars, comments, block scalars and the
//! continuation lines of plain scalars are skipped, so text never counts as structure.

use crate::error::SpecError;

/// How deep collections may nest: the limit of both parsers this crate reads with.
pub const MAX_NESTING: usize = 128;

/// The message both the scanner and the parsers' own limit report.
pub fn too_deep() -> String {
    format!("collections nest deeper than {MAX_NESTING} levels, the limit")
}

/// Fails at the first collection that opens deeper than [`MAX_NESTING`] in YAML text.
pub fn check(text: &str) -> Result<(), SpecError> {
    let mut scanner = Scanner::default();
    for (index, line) in text.split('\n').enumerate() {
        scanner.line(line.strip_suffix('\r').unwrap_or(line), index + 1)?;
    }
    Ok(())
}

#[derive(Default)]
struct Scanner {
    /// Open flow collections (`{`, `[`).
    flow: usize,
    /// Inside a quoted scalar that continues on the next line (its quote).
    quote: Option<u8>,
    /// Lines indented deeper than this belong to a block scalar (`|`, `>`).
    block_scalar: Option<usize>,
    /// Lines indented deeper than this continue a plain scalar.
    plain: Option<usize>,
}

impl Scanner {
    fn line(&mut self, line: &str, number: usize) -> Result<(), SpecError> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(parent) = self.block_scalar {
            if blank || indent > parent {
                return Ok(());
            }
            self.block_scalar = None;
        }
        if let Some(parent) = self.plain {
            if blank || line.trim_start().starts_with('#') {
                return Ok(());
            }
            if indent > parent && self.flow == 0 && self.quote.is_none() {
                return Ok(());
            }
            self.plain = None;
        }
        // Every character that counts is ASCII, and no byte of a longer UTF-8 sequence is:
        // the line is read as bytes, and only a place reported counts characters.
        let bytes = line.as_bytes();
        let column = |at: usize| line[..at].chars().count() + 1;
        let mut compact = 0;
        // A document marker (`---`, `...`) is no scalar.
        let marker = (line.starts_with("---") || line.starts_with("..."))
            && line[3..].starts_with([' ', '\t']) | (line.len() == 3);
        let mut at = if marker { 3 } else { 0 };
        // Where a node may begin: a quote, a flow collection or a block scalar opens only there.
        let mut node_start = true;
        let mut in_plain = false;
        while at < bytes.len() {
            let c = bytes[at];
            let next = bytes.get(at + 1).copied();
            let spaced = |c: Option<u8>| c.is_none_or(|c| c == b' ' || c == b'\t');
            if let Some(quote) = self.quote {
                match c {
                    b'\\' if quote == b'"' => at += 1,
                    b'\'' if quote == b'\'' && next == Some(b'\'') => at += 1,
                    _ if c == quote => {
                        self.quote = None;
                        node_start = false;
                    }
                    _ => {}
                }
                at += 1;
                continue;
            }
            let after_space = at == 0 || matches!(bytes[at - 1], b' ' | b'\t');
            match c {
                b' ' | b'\t' => {}
                b'#' if after_space => break,
                b'{' | b'[' if node_start || self.flow > 0 => {
                    self.flow += 1;
                    if self.flow + compact > MAX_NESTING {
                        return Err(SpecError::new("#", too_deep()).at(number, column(at)));
                    }
                    node_start = true;
                    in_plain = false;
                }
                b'}' | b']' if self.flow > 0 => {
                    self.flow -= 1;
                    node_start = false;
                    in_plain = false;
                }
                b',' if self.flow > 0 => {
                    node_start = true;
                    in_plain = false;
                }
                b':' if spaced(next)
                    || (self.flow > 0 && matches!(next, Some(b',' | b'}' | b']'))) =>
                {
                    node_start = true;
                    in_plain = false;
                }
                b'"' | b'\'' if node_start => {
                    self.quote = Some(c);
                    node_start = false;
                }
                b'-' | b'?' if node_start && self.flow == 0 && spaced(next) => {
                    compact += 1;
                    if compact > MAX_NESTING {
                        return Err(SpecError::new("#", too_deep()).at(number, column(at)));
                    }
                }
                b'|' | b'>' if node_start && self.flow == 0 => {
                    self.block_scalar = Some(indent);
                    return Ok(());
                }
                b'&' | b'!' if node_start => {
                    // An anchor or a tag: the node follows it.
                    while at + 1 < bytes.len() && !matches!(bytes[at + 1], b' ' | b'\t') {
                        at += 1;
                    }
                }
                _ => {
                    node_start = false;
                    in_plain = true;
                }
            }
            at += 1;
        }
        if in_plain && self.flow == 0 {
            self.plain = Some(indent);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_error(text: &str) -> Option<(usize, usize)> {
        check(text).err().map(|error| {
            assert_eq!(error.reason, too_deep());
            error.location.expect("located")
        })
    }

    #[test]
    fn flow_and_compact_nesting_past_the_limit_is_found_where_it_opens() {
        let flow = format!("a: {}1{}\n", "{b: ".repeat(200), "}".repeat(200));
        assert_eq!(depth_error(&flow), Some((1, 4 + 4 * MAX_NESTING)));
        let lists = format!("x:\n  - {}1\n", "[".repeat(MAX_NESTING + 1));
        assert_eq!(depth_error(&lists), Some((2, 4 + MAX_NESTING)));
        // Columns count characters, not bytes.
        let wide = format!("é: '«»' {}1\n", "[".repeat(MAX_NESTING + 1));
        assert_eq!(
            depth_error(&wide),
            None,
            "a scalar after a quoted one is text"
        );
        let wide = format!("«é»: {}1\n", "[".repeat(MAX_NESTING + 1));
        assert_eq!(depth_error(&wide), Some((1, 6 + MAX_NESTING)));
        let compact = format!("x:\n{}1\n", "- ".repeat(MAX_NESTING + 1));
        assert_eq!(depth_error(&compact), Some((2, 1 + 2 * MAX_NESTING)));
        let at_limit = format!(
            "a: {}1{}\n",
            "[".repeat(MAX_NESTING),
            "]".repeat(MAX_NESTING)
        );
        assert_eq!(depth_error(&at_limit), None);
        // Flow collections continue over lines, as in JSON written as YAML.
        let spread = format!("a: {}\n", "{\"b\":\n".repeat(MAX_NESTING + 1));
        assert_eq!(depth_error(&spread), Some((MAX_NESTING + 1, 1)));
    }

    #[test]
    fn text_never_counts_as_structure() {
        let deep = "[".repeat(MAX_NESTING + 1);
        let texts = [
            format!("a: '{deep}'\n"),
            format!("a: \"{deep}\\\" {deep}\"\n"),
            format!("a: 'it''s {deep}'\n"),
            format!("a: \"multi\n  line {deep}\"\n"),
            format!("a: 1 # {deep}\n"),
            format!("a: |\n  {deep}\n\n  {deep}\nb: 1\n"),
            format!("- >-\n    {deep}\n"),
            format!("a: text with {deep} inside\n"),
            format!("a: a plain scalar\n  {deep} continues\nb: 2\n"),
            format!("a: !tag &anchor text {deep}\n"),
            format!("{{a: it's, b: \"{deep}\"}}\n"),
        ];
        for text in texts {
            assert_eq!(depth_error(&text), None, "{text}");
        }
        // After the text, structure counts again.
        let after = format!("a: |\n  {deep}\nb: {deep}\n");
        assert_eq!(depth_error(&after), Some((3, 4 + MAX_NESTING)));
    }
}
