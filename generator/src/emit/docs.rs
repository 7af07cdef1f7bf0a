//! Doc comments from the description's prose, made safe for rustdoc.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::prose::list_marker_width;

/// `#[doc = "..."]` lines for a piece of prose; nothing when there is none.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) if !text.trim().is_empty() => lines_to_attrs(&sanitize(text)),
        _ => TokenStream::new(),
    }
}

/// Doc lines from several paragraphs (empty ones skipped), separated by blank lines.
pub fn doc_paragraphs<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    match joined_paragraphs(paragraphs) {
        Some(text) => lines_to_attrs(&text),
        None => TokenStream::new(),
    }
}

/// [`doc_paragraphs`] as `///` comment lines indented by `indent`, for code written as text.
pub fn doc_comment_text<'a>(
    paragraphs: impl IntoIterator<Item = Option<&'a str>>,
    indent: &str,
) -> String {
    let mut out = String::new();
    if let Some(text) = joined_paragraphs(paragraphs) {
        push_comment_lines(&mut out, &text, indent);
    }
    out
}

/// [`doc_attrs`] as `///` comment lines indented by `indent`, for code written as text.
pub fn push_doc_text(out: &mut String, text: Option<&str>, indent: &str) {
    if let Some(text) = text.filter(|text| !text.trim().is_empty()) {
        push_comment_lines(out, &sanitize(text), indent);
    }
}

/// Each line of `text` as a `///` line, as prettyplease prints a `#[doc = " line"]`.
fn push_comment_lines(out: &mut String, text: &str, indent: &str) {
    for line in text.lines() {
        out.push_str(indent);
        out.push_str("///");
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
    }
}

fn joined_paragraphs<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> Option<String> {
    let joined: Vec<String> = paragraphs
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(sanitize)
        .collect();
    (!joined.is_empty()).then(|| joined.join("\n\n"))
}

fn lines_to_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Rewrites prose so rustdoc neither warns nor runs it: fenced code becomes `text` blocks,
/// brackets outside code are escaped (they would read as intra-doc links), bare URLs are
/// wrapped in `<...>`, HTML tags that do not pair up (`<limit>`, a lone `</s>`) are escaped,
/// lines indented as code are de-indented, and tabs become spaces.
pub fn sanitize(text: &str) -> String {
    let text = text.replace('\t', "    ");
    let unpaired = unpaired_tags(&text);
    let mut out = Vec::new();
    let mut in_fence = false;
    // Whether a code span opened on an earlier line of the paragraph is still open.
    let mut in_code = false;
    // The column where the text of the current list item starts.
    let mut list_content: Option<usize> = None;
    for raw in text.trim_end().lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if !in_fence && trimmed.trim_start_matches(['`', '~']).is_empty() {
                out.push(format!("{trimmed}text"));
            } else {
                out.push(trimmed.to_owned());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
            continue;
        }
        let indent = line.len() - trimmed.len();
        let marker = list_marker_width(trimmed);
        let kept = match (marker, list_content) {
            _ if trimmed.is_empty() => {
                list_content = None;
                in_code = false;
                String::new()
            }
            (Some(width), _) => {
                list_content = Some(indent + width);
                line.to_owned()
            }
            // A list item's continuation line belongs right under the item's text (rustdoc
            // warns about "lazy" continuations, clippy about deeper ones).
            (None, Some(content)) => format!("{}{trimmed}", " ".repeat(content)),
            (None, _) if indent >= 4 => format!("  {trimmed}"),
            (None, _) => line.to_owned(),
        };
        out.push(escape_prose(&kept, &mut in_code, &unpaired));
    }
    out.join("\n")
}

/// Escapes `[`/`]` (rustdoc would read them as links to items), the `<` of the `unpaired`
/// tags and wraps bare URLs, outside inline code spans and links to a web page
/// (`[text](https://...)`, `` [`code`](https://...) ``), which are kept as written. `in_code`
/// carries a code span from one line of a paragraph to the next.
fn escape_prose(line: &str, in_code: &mut bool, unpaired: &BTreeSet<String>) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    if *in_code {
        let Some(end) = rest.find('`') else {
            return line.to_owned();
        };
        out.push_str(&rest[..=end]);
        rest = &rest[end + 1..];
        *in_code = false;
    }
    // Plain text not yet escaped.
    let mut plain = String::new();
    let flush = |plain: &mut String, out: &mut String| {
        let escaped = escape_tags(&plain.replace('[', "\\[").replace(']', "\\]"), unpaired);
        out.push_str(&wrap_urls(&escaped));
        plain.clear();
    };
    while let Some(at) = rest.find(['`', '[']) {
        let (before, from) = rest.split_at(at);
        plain.push_str(before);
        // A code span runs to its closing backtick, or on to the next line.
        let kept = match from.strip_prefix('`') {
            Some(code) => Some(code.find('`').map_or_else(
                || {
                    *in_code = true;
                    from.len()
                },
                |end| end + 2,
            )),
            None => web_link_len(from),
        };
        match kept {
            Some(len) => {
                flush(&mut plain, &mut out);
                // A link's text is prose too (`[<Pay> Connectors](https://...)`).
                let kept = &from[..len];
                match from.starts_with('[') {
                    true => out.push_str(&escape_tags(kept, unpaired)),
                    false => out.push_str(kept),
                }
                rest = &from[len..];
            }
            None => {
                plain.push('[');
                rest = &from[1..];
            }
        }
    }
    plain.push_str(rest);
    flush(&mut plain, &mut out);
    out
}

/// Elements HTML never closes, which rustdoc takes alone.
const VOID_ELEMENTS: &[&str] = &["br", "hr", "img", "wbr", "input", "meta", "link", "col"];

/// The name of the HTML tag `text` starts with (`<name ...>` or `</name>`, lower-cased), and
/// whether it closes.
fn tag_at(text: &str) -> Option<(String, bool)> {
    let rest = text.strip_prefix('<')?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(rest.len());
    let name = &rest[..len];
    let after = rest[len..].chars().next();
    let is_tag = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && matches!(after, Some('>' | '/' | ' ' | '\n'));
    is_tag.then(|| (name.to_ascii_lowercase(), closing))
}

/// The tags of `text` that rustdoc would report: opened and closed a different number of
/// times (void elements aside).
fn unpaired_tags(text: &str) -> BTreeSet<String> {
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (at, _) in text.match_indices('<') {
        if let Some((name, closing)) = tag_at(&text[at..]) {
            let count = counts.entry(name).or_default();
            if closing {
                count.1 += 1;
            } else {
                count.0 += 1;
            }
        }
    }
    counts
        .into_iter()
        .filter(|(name, (opened, closed))| {
            opened != closed && !VOID_ELEMENTS.contains(&name.as_str())
        })
        .map(|(name, _)| name)
        .collect()
}

/// `text` with the `<` of each tag in `unpaired` escaped, so that it reads as text.
fn escape_tags(text: &str, unpaired: &BTreeSet<String>) -> String {
    if unpaired.is_empty() || !text.contains('<') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (index, piece) in text.split('<').enumerate() {
        if index > 0 {
            let tag = tag_at(&format!("<{piece}"));
            if tag.is_some_and(|(name, _)| unpaired.contains(&name)) {
                out.push('\\');
            }
            out.push('<');
        }
        out.push_str(piece);
    }
    out
}

/// The length of the link `[text](http...)` that `text` starts with, if it starts with one.
fn web_link_len(text: &str) -> Option<usize> {
    let label = text.strip_prefix('[')?;
    let close = label
        .find(['[', ']'])
        .filter(|&i| label[i..].starts_with(']'))?;
    let url = label[close + 1..].strip_prefix('(')?;
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return None;
    }
    let end = url.find(|c: char| c == ')' || c.is_whitespace())?;
    url[end..]
        .starts_with(')')
        .then_some(1 + close + 2 + end + 1)
}

fn wrap_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("http://").or_else(|| rest.find("https://")) {
        let (before, from) = rest.split_at(start);
        let already_wrapped = before.ends_with('<');
        let end = from
            .find(|c: char| c.is_whitespace() || c == '>' || c == ')')
            .unwrap_or(from.len());
        let (url, after) = from.split_at(end);
        let url_trimmed = url.trim_end_matches(['.', ',', ';', ':']);
        let trailing = &url[url_trimmed.len()..];
        out.push_str(before);
        if already_wrapped {
            out.push_str(url);
        } else {
            out.push('<');
            out.push_str(url_trimmed);
            out.push('>');
            out.push_str(trailing);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_links_but_not_code() {
        assert_eq!(
            sanitize("Use `include[]=content` or [x] at https://example.com/a."),
            "Use `include[]=content` or \\[x\\] at <https://example.com/a>."
        );
        // A link to a web page stays a link; a URL in parentheses is wrapped.
        assert_eq!(
            sanitize("See [the guide](https://example.com/g) (https://example.com/h) [x](y)."),
            "See [the guide](https://example.com/g) (<https://example.com/h>) \\[x\\](y)."
        );
        // HTML that pairs up is kept; a tag that does not is text.
        assert_eq!(
            sanitize("Use <b>bold</b>, <br>, <limit>, [<Pay> docs](https://p.com) or \"</s>\"; `<code>` stays."),
            "Use <b>bold</b>, <br>, \\<limit>, [\\<Pay> docs](https://p.com) or \"\\</s>\"; `<code>` stays."
        );
        // A code span that runs on to the next line keeps what is in it; a link split over
        // lines is text.
        assert_eq!(
            sanitize("Search [`amazing\nlanguage:go`](https://g.com/s?q=a) is [x]."),
            "Search \\[`amazing\nlanguage:go`\\](<https://g.com/s?q=a>) is \\[x\\]."
        );
        // A link whose text is code is a link too; brackets inside code stay as written.
        assert_eq!(
            sanitize("Either `float` or [`base64`](https://pypi.org/p/) or `a[0]` or `open"),
            "Either `float` or [`base64`](https://pypi.org/p/) or `a[0]` or `open"
        );
    }

    #[test]
    fn fences_become_text_and_indented_code_is_kept_as_prose() {
        assert_eq!(sanitize("a\n```\nlet x;\n```"), "a\n```text\nlet x;\n```");
        assert_eq!(sanitize("a\n\n    b"), "a\n\n  b");
        assert_eq!(sanitize("- a\n    - b"), "- a\n    - b");
    }

    #[test]
    fn paragraphs_skip_empty_parts() {
        let attrs = doc_paragraphs([Some("One."), None, Some("  "), Some("Two.")]).to_string();
        assert_eq!(
            attrs,
            quote!(#[doc = " One."] #[doc = ""] #[doc = " Two."]).to_string()
        );
    }
}

#[cfg(test)]
mod list_tests {
    use super::sanitize;

    #[test]
    fn indents_lazy_list_continuations_under_the_item() {
        let wide = "*   One\n  wraps\n*   Two";
        assert_eq!(sanitize(wide), "*   One\n    wraps\n*   Two");
        let text = "Scenarios:\n  - The server is generating\n  either one or two\n  - Another\n    already indented\n1. First\nwraps here\n\nA paragraph.";
        assert_eq!(
            sanitize(text),
            "Scenarios:\n  - The server is generating\n    either one or two\n  - Another\n    already indented\n1. First\n   wraps here\n\nA paragraph."
        );
    }
}
