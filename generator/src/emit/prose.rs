//! Prose from the description, reshaped: its first sentence, one line, plain text for a
//! terminal, wrapped at a width. Doc comments (`docs`) and the command-line tool's help
//! (`cli`) both start here.

/// `text`, then `note` after a space (just `note` when there is no text).
pub fn append(text: &str, note: &str) -> String {
    if text.is_empty() {
        note.to_owned()
    } else {
        format!("{text} {note}")
    }
}

/// Prose for a terminal: without Markdown's code and bold marks (fences stay).
pub fn plain(text: &str) -> String {
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                line.to_owned()
            } else {
                line.replace("**", "").replace('`', "")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text on one line, runs of whitespace as one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn strip_period(text: &str) -> String {
    text.strip_suffix('.').unwrap_or(text).to_owned()
}

/// The first sentence of the first paragraph, on one line, without its final period.
pub fn first_sentence(text: &str) -> String {
    let paragraph = text.trim().split("\n\n").next().unwrap_or_default();
    let line = one_line(paragraph);
    let bytes = line.as_bytes();
    for (index, byte) in bytes.iter().enumerate() {
        let ends = matches!(byte, b'.' | b'!' | b'?')
            && bytes.get(index + 1) == Some(&b' ')
            && bytes
                .get(index + 2)
                .is_some_and(|next| next.is_ascii_uppercase() || b"`\"'(".contains(next));
        if ends {
            return strip_period(&line[..=index]);
        }
    }
    strip_period(&line)
}

/// Wraps prose at `width`: paragraphs stay apart, list items start their own line (their
/// continuation indented), fenced code is kept as it is.
pub fn reflow(text: &str, width: usize) -> String {
    let mut blocks: Vec<(String, String)> = Vec::new(); // (first-line prefix, words)
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    let flush = |blocks: &mut Vec<(String, String)>, out: &mut Vec<String>| {
        for (prefix, words) in blocks.drain(..) {
            out.extend(wrap(&prefix, &words, width));
        }
    };
    for line in text.trim().lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            flush(&mut blocks, &mut out);
            in_fence = !in_fence;
            out.push(trimmed.to_owned());
            continue;
        }
        if in_fence {
            out.push(line.trim_end().to_owned());
            continue;
        }
        if trimmed.is_empty() {
            flush(&mut blocks, &mut out);
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if let Some(width) = list_marker_width(trimmed) {
            let (marker, text) = trimmed.split_at(width);
            let prefix = format!("{}{} ", " ".repeat(indent.min(8)), marker.trim_end());
            blocks.push((prefix, text.trim().to_owned()));
        } else if let Some((_, words)) = blocks.last_mut() {
            words.push(' ');
            words.push_str(trimmed);
        } else {
            blocks.push((String::new(), trimmed.to_owned()));
        }
    }
    flush(&mut blocks, &mut out);
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// `text` as `# ` comment lines (TOML's, a shell's) of at most `width` columns.
pub(super) fn comment_lines(text: &str, width: usize) -> String {
    wrap("", text, width.saturating_sub(2))
        .iter()
        .map(|line| format!("# {line}\n"))
        .collect()
}

/// Greedy word wrap; continuation lines line up under the text after `prefix`.
fn wrap(prefix: &str, words: &str, width: usize) -> Vec<String> {
    let indent = " ".repeat(prefix.chars().count());
    let mut lines = Vec::new();
    let mut line = prefix.to_owned();
    let mut empty = true;
    for word in words.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::replace(&mut line, indent.clone()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    if !empty || lines.is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    lines
}

/// The width of a list marker and the spaces after it (`- `, `*   `, `1. `), if the line
/// starts a list item: where the item's text starts, as CommonMark counts it (one to four
/// spaces; with more, the text is indented code and starts after the first).
pub fn list_marker_width(line: &str) -> Option<usize> {
    let marker = if line.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        let delimited = line[digits..].starts_with(['.', ')']);
        if digits == 0 || digits >= 10 || !delimited {
            return None;
        }
        digits + 1
    };
    let spaces = line[marker..].chars().take_while(|c| *c == ' ').count();
    match spaces {
        0 => None,
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_help_is_the_first_sentence_without_its_period() {
        assert_eq!(
            first_sentence("The ID of the certificate."),
            "The ID of the certificate"
        );
        assert_eq!(
            first_sentence("A cursor for use in pagination. `after` is an object ID.\n\nMore."),
            "A cursor for use in pagination"
        );
        assert_eq!(
            first_sentence("Sort, e.g. by date. Then more"),
            "Sort, e.g. by date"
        );
        assert_eq!(first_sentence("One line\nwrapped."), "One line wrapped");
    }

    #[test]
    fn reflow_wraps_paragraphs_and_list_items() {
        let text = "The object type.\n\n- If creating, updating, or getting a specific certificate, the object type is\n  `certificate`.\n- If listing.";
        assert_eq!(
            reflow(&plain(text), 40),
            "The object type.\n\n- If creating, updating, or getting a\n  specific certificate, the object type\n  is certificate.\n- If listing."
        );
        assert_eq!(
            reflow("a\n```\n  code  here\n```\nb", 80),
            "a\n```\n  code  here\n```\nb"
        );
    }
}
