//! Problems found in a description, reported like a compiler does: all of them in one run,
//! each with its JSON pointer, its line and column when known, and a reason.
//!
//! A *warning* says that something was generated with a fallback (usually `serde_json::Value`
//! for a schema that cannot be typed); an *error* says that something could not be generated
//! at all, so nothing is written.

use std::collections::BTreeMap;
use std::fmt;

use saphyr_parser::{Event, Parser};

use crate::pointer::Pointer;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem, located in the description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// JSON pointer of the offending node, e.g. `#/components/schemas/Pet/properties/tag`.
    pub pointer: String,
    pub reason: String,
    /// 1-based line and column of the node in the file, when it could be found.
    pub location: Option<(usize, usize)>,
    /// The file the node is in, when it is not the description's root file (a description
    /// split over files); the pointer is then into that file.
    pub file: Option<std::path::PathBuf>,
}

impl Diagnostic {
    pub fn warning(pointer: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::new(Severity::Warning, pointer, reason)
    }

    pub fn error(pointer: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::new(Severity::Error, pointer, reason)
    }

    fn new(severity: Severity, pointer: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            severity,
            pointer: pointer.into(),
            reason: reason.into(),
            location: None,
            file: None,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `12:5: warning: #/components/schemas/Pet: reason` (the file is the caller's to add),
    /// on one line: control characters of the pointer and reason (a key with a newline) are
    /// escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, column)) = self.location {
            write!(f, "{line}:{column}: ")?;
        }
        let severity = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            "{severity}: {}: {}",
            one_line(&self.pointer),
            one_line(&shortened(&self.reason))
        )
    }
}

/// How much of a reason is printed: a reason can quote a value of the description (a long
/// string, or the text of whatever file a `$ref` named), and one diagnostic stays one line.
const SHOWN_REASON: usize = 400;

/// `reason`, cut after [`SHOWN_REASON`] characters with an ellipsis.
fn shortened(reason: &str) -> std::borrow::Cow<'_, str> {
    match reason.char_indices().nth(SHOWN_REASON) {
        Some((end, _)) => format!("{}…", &reason[..end]).into(),
        None => reason.into(),
    }
}

/// `text` with each control character written as its escape (`\n`, `\u{7}`).
fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(char::is_control) {
        return text.into();
    }
    text.chars()
        .map(|c| match c.is_control() {
            true => c.escape_default().to_string(),
            false => c.to_string(),
        })
        .collect::<String>()
        .into()
}

/// Collects the problems of one run, in the order they were found.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Something generated with a fallback.
    pub fn warn(&mut self, pointer: impl fmt::Display, reason: impl Into<String>) {
        self.items
            .push(Diagnostic::warning(pointer.to_string(), reason));
    }

    /// Something that cannot be generated.
    pub fn error(&mut self, pointer: impl fmt::Display, reason: impl Into<String>) {
        self.items
            .push(Diagnostic::error(pointer.to_string(), reason));
    }

    /// Every diagnostic once, in the order found: a shared component (a parameter under
    /// `#/components`) used by many operations is reported at its own pointer, once.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        let mut seen = std::collections::HashSet::new();
        self.items
            .into_iter()
            .filter(|d| seen.insert((d.severity, d.pointer.clone(), d.reason.clone())))
            .collect()
    }
}

/// Fills in the line and column of every diagnostic whose pointer names a node of `text`
/// (YAML or JSON), in one pass over the document. A pointer to a node that is absent (a
/// missing `required`, say) gets the location of its nearest ancestor that is there.
pub fn locate(text: &str, diagnostics: &mut [Diagnostic]) {
    if diagnostics.iter().all(|d| d.location.is_some()) {
        return;
    }
    let mut wanted: BTreeMap<&str, Option<(usize, usize)>> = BTreeMap::new();
    for diagnostic in diagnostics.iter() {
        for pointer in ancestors(&diagnostic.pointer) {
            wanted.insert(pointer, None);
        }
    }
    walk(text, |pointer, line, column| {
        if let Some(slot) = wanted.get_mut(pointer) {
            slot.get_or_insert((line, column));
        }
    });
    let found: BTreeMap<String, (usize, usize)> = wanted
        .into_iter()
        .filter_map(|(pointer, at)| Some((pointer.to_owned(), at?)))
        .collect();
    // A place already known (a syntax error's) stays; a pointer found nowhere (an empty
    // file) is at the start of the file.
    for diagnostic in diagnostics {
        if diagnostic.location.is_none() {
            diagnostic.location = ancestors(&diagnostic.pointer)
                .find_map(|p| found.get(p).copied())
                .or(Some((1, 1)));
        }
    }
}

/// A warning at each key written a second time in the same mapping (YAML and JSON readers
/// keep the last value; the first is lost without a word). One pass over the text, holding
/// only the keys of the mappings open at each point.
pub fn duplicate_keys(text: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    // The node being read and its ancestors, each with the keys of its own seen so far.
    let mut open: Vec<(String, std::collections::HashSet<String>)> = Vec::new();
    // Below a repeated key, every node repeats too: only the key itself is reported.
    let mut repeated: Option<String> = None;
    walk(text, |pointer, line, column| {
        if let Some(key) = &repeated {
            if pointer
                .strip_prefix(key.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
            {
                return;
            }
            repeated = None;
        }
        while open.last().is_some_and(|(parent, _)| {
            !pointer
                .strip_prefix(parent.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        }) {
            open.pop();
        }
        let key = pointer.rsplit('/').next().unwrap_or_default();
        if let Some((_, keys)) = open.last_mut() {
            if !keys.insert(key.to_owned()) {
                let name = key.replace("~1", "/").replace("~0", "~");
                let reason =
                    format!("`{name}` is already a key of this mapping; the last value is read");
                let mut warning = Diagnostic::warning(pointer, reason);
                warning.location = Some((line, column));
                found.push(warning);
                repeated = Some(pointer.to_owned());
                return;
            }
        }
        open.push((pointer.to_owned(), std::collections::HashSet::new()));
    });
    found
}

/// The pointer, then its parent, and so on up to `#`.
fn ancestors(pointer: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(pointer), |current| {
        current.rfind('/').map(|slash| &current[..slash])
    })
}

/// Where a container being read is: a mapping (waiting for a key, or for the value of one)
/// or a sequence (counting its items).
enum Frame {
    Mapping {
        pending_key: Option<(String, (usize, usize))>,
    },
    Sequence {
        next: usize,
    },
}

/// Calls `visit(pointer, line, column)` for every node of the document: for a mapping value,
/// the position of its key (where a reader looks); for a sequence item, its own. Stops
/// quietly at a syntax error: the loader reports those. JSON is walked as JSON: a YAML
/// scanner holds every token of a flow collection until it closes (the whole document).
fn walk(text: &str, mut visit: impl FnMut(&str, usize, usize)) {
    if !(text.trim_start().starts_with('{') && walk_json(text, &mut visit)) {
        walk_yaml(text, visit);
    }
}

/// [`walk`] over JSON, holding only the open containers; false when the text is not JSON
/// (YAML in flow style), after visiting what came before. Linear: the column is counted as
/// the text is passed, even on a minified document of one line.
fn walk_json(text: &str, visit: &mut impl FnMut(&str, usize, usize)) -> bool {
    let bytes = text.as_bytes();
    let mut stack: Vec<(Frame, Pointer)> = Vec::new();
    let (mut line, mut column) = (1, 1);
    let mut at = 0;
    while at < bytes.len() {
        let here = (line, column);
        // Bytes of the token at `at`; all on one line (JSON strings hold no raw newline).
        let mut length = 1;
        match bytes[at] {
            b'\n' => {
                line += 1;
                column = 0;
            }
            b' ' | b'\t' | b'\r' | b':' | b',' => {}
            b'}' | b']' => {
                stack.pop();
            }
            b'"' if matches!(
                stack.last(),
                Some((Frame::Mapping { pending_key: None }, _))
            ) =>
            {
                let Some(token) = json_string(&text[at..]) else {
                    return false;
                };
                let Ok(key) = serde_json::from_str::<String>(token) else {
                    return false;
                };
                set_key(&mut stack, key, here);
                length = token.len();
            }
            opening => {
                let Some((pointer, node_at)) = begin_node(&mut stack, here) else {
                    return false;
                };
                visit(pointer.as_str(), node_at.0, node_at.1);
                match opening {
                    b'{' => stack.push((Frame::Mapping { pending_key: None }, pointer)),
                    b'[' => stack.push((Frame::Sequence { next: 0 }, pointer)),
                    b'"' => match json_string(&text[at..]) {
                        Some(token) => length = token.len(),
                        None => return false,
                    },
                    // A number, `true`, `false` or `null`.
                    _ => {
                        length = bytes[at..]
                            .iter()
                            .position(|b| b" \t\r\n,]}:".contains(b))
                            .unwrap_or(bytes.len() - at);
                    }
                }
            }
        }
        column += text[at..at + length].chars().count();
        at += length;
    }
    true
}

/// The JSON string at the start of `text`, quotes included.
fn json_string(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut at = 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return text.get(..=at),
            _ => at += 1,
        }
    }
    None
}

/// Returns the pointer of the node starting now, and consumes its slot in its parent.
fn begin_node(
    stack: &mut [(Frame, Pointer)],
    here: (usize, usize),
) -> Option<(Pointer, (usize, usize))> {
    match stack.last_mut() {
        None => Some((Pointer::root(), here)),
        Some((Frame::Sequence { next }, pointer)) => {
            let child = pointer.join(*next);
            *next += 1;
            Some((child, here))
        }
        Some((Frame::Mapping { pending_key }, pointer)) => {
            let (key, at) = pending_key.take()?;
            Some((pointer.join(key), at))
        }
    }
}

/// What saphyr says of a line indented less than YAML allows (a flow collection's closing
/// brace under its key, which libyaml reads): the load stage reads past it, and so does
/// [`walk_yaml`].
pub(crate) const INVALID_INDENTATION: &str = "invalid indentation";

/// How many lines [`walk_yaml`] indents to read past flow collections indented less than
/// YAML allows (which the load stage reads as libyaml does).
const MAX_INDENT_REPAIRS: usize = 64;

/// [`walk`] over YAML. Where a flow collection's line is indented less than YAML allows, the
/// line is indented (its line number, and so every place, stays the same) and the walk
/// starts again; places already visited are visited again, the same.
fn walk_yaml(text: &str, mut visit: impl FnMut(&str, usize, usize)) {
    let mut text = std::borrow::Cow::Borrowed(text);
    for _ in 0..MAX_INDENT_REPAIRS {
        match walk_yaml_once(&text, &mut visit) {
            Some(error) if error.info() == INVALID_INDENTATION => {
                text = std::borrow::Cow::Owned(indented(&text, error.marker().line()));
            }
            _ => return,
        }
    }
}

/// `text` with two spaces before line `line` (1-based).
fn indented(text: &str, line: usize) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for (index, piece) in text.split_inclusive('\n').enumerate() {
        if index + 1 == line {
            out.push_str("  ");
        }
        out.push_str(piece);
    }
    out
}

/// One walk over YAML; the error it stopped at, if any.
fn walk_yaml_once(
    text: &str,
    visit: &mut impl FnMut(&str, usize, usize),
) -> Option<saphyr_parser::ScanError> {
    let mut stack: Vec<(Frame, Pointer)> = Vec::new();
    let mut parser = Parser::new_from_str(text);
    // Inside a key that is itself a mapping or sequence (valid YAML, never OpenAPI): how
    // deep, so that the whole key is passed over and the value after it still has a slot.
    let mut complex_key_depth = 0usize;
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(next) => next,
            Err(error) => return Some(error),
        };
        let here = (span.start.line(), span.start.col() + 1);
        if complex_key_depth > 0 {
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => complex_key_depth += 1,
                Event::MappingEnd | Event::SequenceEnd => complex_key_depth -= 1,
                _ => {}
            }
            if complex_key_depth == 0 {
                set_key(&mut stack, String::new(), here);
            }
            continue;
        }
        match event {
            Event::Scalar(..) | Event::Alias(_) => {
                // An alias used as a key has no text of its own here.
                let key = match event {
                    Event::Scalar(value, ..) => value.into_owned(),
                    _ => String::new(),
                };
                if set_key(&mut stack, key, here) {
                    continue;
                }
                if let Some((pointer, at)) = begin_node(&mut stack, here) {
                    visit(pointer.as_str(), at.0, at.1);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let Some((pointer, at)) = begin_node(&mut stack, here) else {
                    complex_key_depth = 1;
                    continue;
                };
                visit(pointer.as_str(), at.0, at.1);
                let frame = match event {
                    Event::MappingStart(..) => Frame::Mapping { pending_key: None },
                    _ => Frame::Sequence { next: 0 },
                };
                stack.push((frame, pointer));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            _ => {}
        }
    }
    None
}

/// When the innermost container is a mapping waiting for a key, takes `key` as that key.
fn set_key(stack: &mut [(Frame, Pointer)], key: String, here: (usize, usize)) -> bool {
    match stack.last_mut() {
        Some((Frame::Mapping { pending_key }, _)) if pending_key.is_none() => {
            *pending_key = Some((key, here));
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn located(text: &str, pointer: &str) -> Option<(usize, usize)> {
        let mut diagnostics = [Diagnostic::warning(pointer, "x")];
        locate(text, &mut diagnostics);
        diagnostics[0].location
    }

    #[test]
    fn nodes_after_a_flow_collection_indented_less_than_yaml_allows_are_found() {
        let text = "a:\n  b: {\n    \"x\": {}\n  }\n  c: 1\nd:\n  e: {\n    \"y\": {}\n  }\nf: 2\n";
        // YAML's strict reading stops at line 4 (the load stage reads it as libyaml does).
        let (_, warnings) = crate::load::read_tree_warning(text).expect("read leniently");
        assert_eq!(warnings[0].location, Some((4, 3)));
        assert_eq!(located(text, "#/a/c"), Some((5, 3)));
        assert_eq!(located(text, "#/d/e/y"), Some((8, 5)));
        assert_eq!(located(text, "#/f"), Some((10, 1)));
    }

    #[test]
    fn finds_keys_items_and_escaped_segments_in_yaml() {
        let yaml = "openapi: 3.1.0\npaths:\n  /a/b:\n    get:\n      tags: [x, y]\n      parameters:\n        - name: p\n          in: query\n";
        assert_eq!(located(yaml, "#/openapi"), Some((1, 1)));
        assert_eq!(located(yaml, "#/paths/~1a~1b/get"), Some((4, 5)));
        assert_eq!(located(yaml, "#/paths/~1a~1b/get/tags/1"), Some((5, 17)));
        assert_eq!(
            located(yaml, "#/paths/~1a~1b/get/parameters/0/in"),
            Some((8, 11))
        );
        // An absent node: its nearest ancestor.
        assert_eq!(located(yaml, "#/paths/~1c"), Some((2, 1)));
        assert_eq!(located(yaml, "#/paths/~1a~1b/get/required"), Some((4, 5)));
    }

    #[test]
    fn finds_nodes_in_json() {
        let json = "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\"}\n}";
        assert_eq!(located(json, "#/info/title"), Some((3, 12)));
        // Minified, with escapes and characters of several bytes before the node.
        let json = r#"{"a": ["é\"", {"k\/y": [1, true, null]}], "b": {"c": "ü"}}"#;
        assert_eq!(located(json, "#/a/1/k~1y/2"), Some((1, 34)));
        assert_eq!(located(json, "#/b/c"), Some((1, 49)));
        // YAML in flow style starts like JSON; it is walked as YAML.
        assert_eq!(located("{a: {b: 1}}", "#/a/b"), Some((1, 6)));
        // An escaped surrogate pair (which YAML refuses) keeps every place found.
        let json = "{\"info\": {\"title\": \"\\ud83d\\ude00\"},\n \"\\ud83d\\ude00\": {\"x\": 1}}";
        assert_eq!(located(json, "#/\u{1f600}/x"), Some((2, 19)));
        assert_eq!(located(json, "#/info/title"), Some((1, 11)));
    }

    #[test]
    fn passes_over_complex_keys_and_keeps_counting() {
        let yaml = "a:\n  ? [x, y]\n  : 1\n  b: 2\n";
        assert_eq!(located(yaml, "#/a/b"), Some((4, 3)));
    }

    #[test]
    fn displays_like_a_compiler() {
        let mut diagnostic = Diagnostic::error("#/paths", "bad");
        assert_eq!(diagnostic.to_string(), "error: #/paths: bad");
        diagnostic.location = Some((3, 7));
        assert_eq!(diagnostic.to_string(), "3:7: error: #/paths: bad");
        diagnostic.reason = format!("quoting {}", "é".repeat(1000));
        let shown = diagnostic.to_string();
        let quoted = format!("quoting {}…", "é".repeat(SHOWN_REASON - "quoting ".len()));
        assert_eq!(shown, format!("3:7: error: #/paths: {quoted}"));
    }
}
