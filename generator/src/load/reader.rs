//! YAML text to a tree in one pass over saphyr-parser's events, holding only the tree.
//!
//! serde_yaml's reader keeps every event of the document before it builds anything (about
//! 100 bytes an event, beside the tree), so a description of ten million short lines needed
//! gigabytes. This reader builds the tree as the events come, and leaves out what generation
//! never reads: the list or mapping under an extension (`x-codeSamples`, `x-oaiMeta`) of an
//! OpenAPI object becomes an empty one; scalars, `x-sdk-*` hints and other generators'
//! extensions are kept, as are extensions' anchors, which other nodes may use.
//!
//! Scalars are read as serde_yaml reads them (YAML 1.2's core schema: `~`, `true`, `0x1f`,
//! `1e3`, `.inf`; a leading zero keeps `0123` text), mapping keys as the text written, and a
//! key written twice is a warning at its second place. Aliases are expanded, within a budget
//! (an alias of an alias doubles the tree at each step).

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span};
use serde_yaml::{Mapping, Number, Value};

use super::{nesting, Reading};
use crate::diagnostics::Diagnostic;
use crate::error::SpecError;
use crate::pointer::Pointer;

/// Extensions whose lists and mappings are kept: this generator's hints, the naming hints of
/// other generators, and `x-webhooks` (3.0 descriptions' webhooks before 3.1 named them).
const KEPT_EXTENSIONS: &[&str] = &[
    "x-sdk-",
    "x-speakeasy-",
    "x-fern-",
    "x-stainless-",
    "x-webhooks",
];

/// Keys whose value maps names (chosen by the author, so possibly `x-...`) to objects.
const NAME_MAPS: &[&str] = &[
    "paths",
    "webhooks",
    "callbacks",
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "pathItems",
    "properties",
    "patternProperties",
    "dependentSchemas",
    "$defs",
    "definitions",
    "content",
    "encoding",
    "variables",
    "mapping",
    "scopes",
];

/// Keys whose list holds OpenAPI objects.
const OBJECT_LISTS: &[&str] = &[
    "allOf",
    "anyOf",
    "oneOf",
    "prefixItems",
    "parameters",
    "servers",
    "tags",
];

/// How many nodes aliases may add, beyond this many per node written.
const ALIAS_BUDGET: usize = 1_000_000;

/// What a node is, for what may be left out of it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// An OpenAPI object (a schema, an operation): its extensions' collections are left out.
    Object,
    /// A mapping of names to objects (`properties`, `paths`): every key is a name.
    Names,
    /// Data (an example, a default, an extension kept): read whole.
    Data,
    /// Under an extension left out: only anchored nodes are built.
    Discarded,
}

impl Context {
    /// The context of the value of `key` in a mapping of this context.
    fn of_member(self, key: &str) -> Self {
        match self {
            Self::Data | Self::Discarded => self,
            Self::Names => Self::Object,
            Self::Object if key.starts_with("x-") => {
                match KEPT_EXTENSIONS.iter().any(|kept| key.starts_with(kept)) {
                    true => Self::Data,
                    false => Self::Discarded,
                }
            }
            Self::Object if NAME_MAPS.contains(&key) => Self::Names,
            Self::Object if OBJECT_LISTS.contains(&key) => Self::Object,
            Self::Object => match key {
                "example" | "examples" | "default" | "enum" | "const" | "value" | "security"
                | "required" => Self::Data,
                _ => Self::Object,
            },
        }
    }
}

enum Collection {
    Sequence(Vec<Value>),
    Mapping {
        map: Mapping,
        /// The key whose value comes next, with where it was written.
        key: Option<(String, Span)>,
    },
}

struct Frame {
    collection: Collection,
    anchor: usize,
    context: Context,
    /// Its key or index in its parent, for pointers.
    token: String,
    /// Nodes in it, itself included (what an alias of it costs).
    nodes: usize,
}

/// A tree read from YAML, and the warnings about repeated keys.
pub struct Read {
    pub tree: Value,
    pub warnings: Vec<Diagnostic>,
}

/// Reads one YAML document.
pub fn read(text: &str, reading: Reading) -> Result<Read, SpecError> {
    let root = match reading {
        Reading::Whole => Context::Data,
        Reading::Description => Context::Object,
    };
    let mut reader = Reader {
        root_context: root,
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        warnings: Vec::new(),
        alias_nodes: 0,
        written_nodes: 0,
    };
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(scan_error)?;
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(at(
                        span,
                        "more than one YAML document; a description is one",
                    ));
                }
            }
            Event::StreamEnd => break,
            event => reader.event(event, span)?,
        }
    }
    Ok(Read {
        tree: reader.root.unwrap_or(Value::Null),
        warnings: reader.warnings,
    })
}

fn at(span: Span, reason: impl Into<String>) -> SpecError {
    SpecError::new("#", reason).at(span.start.line(), span.start.col() + 1)
}

fn scan_error(error: ScanError) -> SpecError {
    let marker = error.marker();
    SpecError::new("#", format!("not valid YAML or JSON: {}", error.info()))
        .at(marker.line(), marker.col() + 1)
}

struct Reader {
    root_context: Context,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Value, usize)>,
    root: Option<Value>,
    warnings: Vec<Diagnostic>,
    /// Nodes added by expanding aliases, and nodes written.
    alias_nodes: usize,
    written_nodes: usize,
}

impl Reader {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), SpecError> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                self.written_nodes += 1;
                if self.take_key(&text, span) {
                    return Ok(());
                }
                let as_text = style != ScalarStyle::Plain
                    || tag
                        .as_ref()
                        .is_some_and(|tag| tag.is_yaml_core_schema() && tag.suffix == "str");
                let value = match as_text {
                    true => Value::String(text.into_owned()),
                    false => resolve(&text),
                };
                self.node(value, 1, anchor, span)
            }
            Event::Alias(anchor) => {
                let Some((value, nodes)) = self.anchors.get(&anchor).cloned() else {
                    return Err(at(
                        span,
                        "an alias (`*name`) of an anchor not defined before it",
                    ));
                };
                self.alias_nodes += nodes;
                if self.alias_nodes > ALIAS_BUDGET.max(self.written_nodes) {
                    return Err(at(
                        span,
                        "aliases expand to more nodes than the document has (an alias bomb?)",
                    ));
                }
                if let Some(key) = value.as_str().filter(|_| self.wants_key()) {
                    let key = key.to_owned();
                    self.take_key(&key, span);
                    return Ok(());
                }
                self.node(value, nodes, 0, span)
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.written_nodes += 1;
                if self.wants_key() {
                    return Err(at(
                        span,
                        "a mapping key that is a list or a mapping; keys are text",
                    ));
                }
                if self.stack.len() >= nesting::MAX_NESTING {
                    return Err(at(span, nesting::too_deep()));
                }
                let (mut context, token) = self.child_context();
                // An anchored node in text left out is built: an alias elsewhere may use it.
                if anchor != 0 && context == Context::Discarded {
                    context = Context::Data;
                }
                let collection = match event {
                    Event::SequenceStart(..) => Collection::Sequence(Vec::new()),
                    _ => Collection::Mapping {
                        map: Mapping::new(),
                        key: None,
                    },
                };
                self.stack.push(Frame {
                    collection,
                    anchor,
                    context,
                    token,
                    nodes: 1,
                });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let discarded = frame.context == Context::Discarded
                    && self
                        .stack
                        .last()
                        .is_none_or(|p| p.context != Context::Discarded);
                let value = match frame.collection {
                    // Left out: the empty collection stands in its place.
                    Collection::Sequence(_) if discarded => Value::Sequence(Vec::new()),
                    Collection::Mapping { .. } if discarded => Value::Mapping(Mapping::new()),
                    Collection::Sequence(items) => Value::Sequence(items),
                    Collection::Mapping { map, .. } => Value::Mapping(map),
                };
                self.node(value, frame.nodes, frame.anchor, span)
            }
            _ => Ok(()),
        }
    }

    /// Whether the innermost collection is a mapping waiting for a key.
    fn wants_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                collection: Collection::Mapping { key: None, .. },
                ..
            })
        )
    }

    /// When the innermost mapping waits for a key, takes `text` as that key.
    fn take_key(&mut self, text: &str, span: Span) -> bool {
        let Some(Frame {
            collection: Collection::Mapping { key, .. },
            ..
        }) = self.stack.last_mut()
        else {
            return false;
        };
        if key.is_some() {
            return false;
        }
        *key = Some((text.to_owned(), span));
        true
    }

    /// The context of the node starting now, and its token in its parent.
    fn child_context(&self) -> (Context, String) {
        match self.stack.last() {
            None => (self.root_context, String::new()),
            Some(frame) => match &frame.collection {
                Collection::Sequence(items) => {
                    // A list's items are what the list is: objects, names or data.
                    (frame.context, items.len().to_string())
                }
                Collection::Mapping { key, .. } => {
                    let key = key
                        .as_ref()
                        .map(|(key, _)| key.as_str())
                        .unwrap_or_default();
                    (frame.context.of_member(key), key.to_owned())
                }
            },
        }
    }

    /// A finished node: kept under its anchor, and put in its parent (or made the root).
    fn node(
        &mut self,
        value: Value,
        nodes: usize,
        anchor: usize,
        span: Span,
    ) -> Result<(), SpecError> {
        if anchor != 0 {
            self.anchors.insert(anchor, (value.clone(), nodes));
        }
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(value);
            return Ok(());
        };
        parent.nodes += nodes;
        let discard = parent.context == Context::Discarded;
        let repeated = match &mut parent.collection {
            Collection::Sequence(items) => {
                if !discard {
                    items.push(value);
                }
                None
            }
            Collection::Mapping { map, key } => {
                let Some((key, key_span)) = key.take() else {
                    return Err(at(span, "a mapping key that is not text"));
                };
                if discard {
                    return Ok(());
                }
                let key = Value::String(key);
                let repeated = map.contains_key(&key).then(|| (key.clone(), key_span));
                map.insert(key, value);
                repeated
            }
        };
        if let Some((Value::String(name), key_span)) = repeated {
            let reason =
                format!("`{name}` is already a key of this mapping; the last value is read");
            let mut warning = Diagnostic::warning(self.pointer().join(&name).as_str(), reason);
            warning.location = Some((key_span.start.line(), key_span.start.col() + 1));
            self.warnings.push(warning);
        }
        Ok(())
    }

    /// The pointer of the innermost collection.
    fn pointer(&self) -> Pointer {
        self.stack
            .iter()
            .skip(1)
            .fold(Pointer::root(), |pointer, frame| pointer.join(&frame.token))
    }
}

/// A plain scalar as YAML 1.2's core schema reads it, as serde_yaml does.
fn resolve(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Number(f64::INFINITY.into())
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Number(f64::NEG_INFINITY.into()),
        ".nan" | ".NaN" | ".NAN" => return Value::Number(f64::NAN.into()),
        _ => {}
    }
    if let Some(number) = integer(text) {
        return Value::Number(number);
    }
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return Value::String(text.to_owned()),
        Some(rest) => rest,
        None => text,
    };
    // A leading zero and digits only is text (`0123`), in YAML 1.2.
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.len() > 1
        && digits.starts_with('0')
        && digits[1..].bytes().all(|b| b.is_ascii_digit())
    {
        return Value::String(text.to_owned());
    }
    match unsigned.parse::<f64>() {
        Ok(float) if float.is_finite() => Value::Number(float.into()),
        _ => Value::String(text.to_owned()),
    }
}

/// An integer: decimal (no leading zero), `0x`, `0o` or `0b`, signed; past 64 bits, the
/// nearest floating-point number (as the tree reads 128-bit integers).
fn integer(text: &str) -> Option<Number> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if unsigned.starts_with(['+', '-']) {
        return None;
    }
    let (radix, digits) = match unsigned.get(..2) {
        Some("0x") => (16, &unsigned[2..]),
        Some("0o") => (8, &unsigned[2..]),
        Some("0b") => (2, &unsigned[2..]),
        _ => (10, unsigned),
    };
    if digits.is_empty()
        || digits.starts_with(['+', '-'])
        || (radix == 10 && digits.len() > 1 && digits.starts_with('0'))
    {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok()?;
    Some(match (negative, u64::try_from(magnitude)) {
        (false, Ok(value)) => Number::from(value),
        (true, Ok(value)) if value <= i64::MAX as u64 + 1 => {
            Number::from((value as i128).wrapping_neg() as i64)
        }
        (false, _) => Number::from(magnitude as f64),
        (true, _) => Number::from(-(magnitude as f64)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Value {
        read(text, Reading::Description)
            .map(|read| read.tree)
            .expect("YAML")
    }

    #[test]
    fn scalars_read_as_serde_yaml_reads_them() {
        let cases = [
            "~",
            "null",
            "",
            "true",
            "False",
            "12",
            "-12",
            "+12",
            "0x1f",
            "-0x1f",
            "0o17",
            "0b101",
            "012",
            "-012",
            "1.5",
            "-1.5",
            "1e3",
            ".5",
            "5.",
            "+1.5",
            ".inf",
            "-.inf",
            "inf",
            "nan",
            "1_000",
            "3.0.3",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1e400",
            "0",
            "-0",
            "0.0",
            "abc",
            "1e",
            "e1",
            "0x",
            "--1",
            "+-1",
            "0xZZ",
            "1.0.0",
            "2026-12-05",
            "1:30",
        ];
        for case in cases {
            let expected: Value = match sdkgen_tree_via_serde_yaml(case) {
                Some(value) => value,
                None => continue,
            };
            let got = tree(&format!("v: {case}\n"))["v"].clone();
            let same = match (&got, &expected) {
                (Value::Number(a), Value::Number(b)) => {
                    a.as_f64().map(f64::to_bits) == b.as_f64().map(f64::to_bits)
                        || (a.as_f64().is_some_and(f64::is_nan)
                            && b.as_f64().is_some_and(f64::is_nan))
                }
                _ => got == expected,
            };
            assert!(same, "{case:?}: {got:?} vs serde_yaml's {expected:?}");
        }
    }

    /// serde_yaml's reading of `v: {text}`, through the tree that reads 128-bit integers.
    fn sdkgen_tree_via_serde_yaml(text: &str) -> Option<Value> {
        let text = format!("v: {text}\n");
        let deserializer = serde_yaml::Deserializer::from_str(&text);
        let (value, _) = super::super::tree::read(deserializer).ok()?;
        Some(value["v"].clone())
    }

    #[test]
    fn extension_collections_of_objects_are_left_out_and_the_rest_kept() {
        let yaml = "openapi: 3.1.0\nx-data: [1, 2, {a: 3}]\nx-sdk-features: [a]\nx-flag: yes\n\
            paths:\n  /a:\n    get:\n      x-codeSamples: {lang: rust}\n      responses:\n        \
            '200':\n          description: ok\n          headers:\n            x-rate: {schema: {type: integer}}\n\
            components:\n  x-ext: [1]\n  schemas:\n    x-named: {type: string}\n    S:\n      \
            properties:\n        x-name: {type: string}\n      default: {x-kept: [1]}\n";
        let tree = tree(yaml);
        assert_eq!(tree["x-data"], Value::Sequence(Vec::new()));
        assert_eq!(tree["x-sdk-features"][0], Value::from("a"));
        assert_eq!(tree["x-flag"], Value::from("yes"));
        let get = &tree["paths"]["/a"]["get"];
        assert_eq!(get["x-codeSamples"], Value::Mapping(Mapping::new()));
        let header = &get["responses"]["200"]["headers"]["x-rate"]["schema"]["type"];
        assert_eq!(header, &Value::from("integer"));
        assert_eq!(tree["components"]["x-ext"], Value::Sequence(Vec::new()));
        assert_eq!(
            tree["components"]["schemas"]["x-named"]["type"],
            Value::from("string")
        );
        let schema = &tree["components"]["schemas"]["S"];
        assert_eq!(
            schema["properties"]["x-name"]["type"],
            Value::from("string")
        );
        assert_eq!(schema["default"]["x-kept"][0], Value::from(1));
    }

    #[test]
    fn anchors_in_left_out_extensions_still_serve_their_aliases() {
        let yaml = "x-defs:\n  common: &common {type: string, maxLength: 3}\n\
            components:\n  schemas:\n    A: *common\n";
        let tree = tree(yaml);
        assert_eq!(tree["x-defs"], Value::Mapping(Mapping::new()));
        assert_eq!(
            tree["components"]["schemas"]["A"]["maxLength"],
            Value::from(3)
        );
    }

    #[test]
    fn repeated_keys_warn_and_bad_documents_are_refused_at_their_place() {
        let repeated = read("a:\n  b: 1\n  c: 2\n  b: 3\n", Reading::Whole).expect("YAML");
        assert_eq!(repeated.tree["a"]["b"], Value::from(3));
        let found: Vec<String> = repeated.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            ["4:3: warning: #/a/b: `b` is already a key of this mapping; the last value is read"]
        );
        let error = |text: &str| {
            let error = read(text, Reading::Whole).err().expect("refused");
            (error.reason, error.location)
        };
        assert_eq!(
            error("a: 1\n---\nb: 2\n"),
            (
                "more than one YAML document; a description is one".to_owned(),
                Some((2, 1))
            )
        );
        assert_eq!(error("a: *nope\n").1, Some((1, 4)));
        assert_eq!(error("? [a]\n: 1\n").1, Some((1, 3)));
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
            c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
            e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n\
            g: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
        assert_eq!(error(bomb).1.map(|(line, _)| line), Some(6));
        let deep = format!("a: {}1{}\n", "[".repeat(200), "]".repeat(200));
        assert_eq!(error(&deep).0, nesting::too_deep());
    }
}
