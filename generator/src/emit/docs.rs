//! Doc comments from the description's prose, made safe for rustdoc.

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
    for line in joined_paragraphs(paragraphs)
        .iter()
        .flat_map(|text| text.lines())
    {
        out.push_str(indent);
        out.push_str("///");
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
    }
    out
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
/// wrapped in `<...>`, lines indented as code are de-indented, and tabs become spaces.
pub fn sanitize(text: &str) -> String {
    let text = text.replace('\t', "    ");
    let mut out = Vec::new();
    let mut in_fence = false;
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
        out.push(escape_prose(&kept));
    }
    out.join("\n")
}

/// Escapes `[`/`]` (rustdoc would read them as links to items) except in links to a web page
/// (`[text](https://...)`), and wraps bare URLs, outside inline code spans.
fn escape_prose(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (index, piece) in line.split('`').enumerate() {
        if index > 0 {
            out.push('`');
        }
        if index % 2 == 1 {
            out.push_str(piece);
            continue;
        }
        out.push_str(&wrap_urls(&escape_brackets(piece)));
    }
    out
}

/// `text` with each `[` and `]` escaped, except those of a link to a web page.
fn escape_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['[', ']']) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let link = web_link_len(from).unwrap_or(0);
        if link > 0 {
            out.push_str(&from[..link]);
        } else {
            out.push('\\');
            out.push_str(&from[..1]);
        }
        rest = &from[link.max(1)..];
    }
    out.push_str(rest);
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
        let already_wrapped = before.ends_with('<') || before.ends_with("](");
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
