//! Stage 1, load: read a YAML or JSON description, read Swagger 2.0 as the 3.0 it means
//! ([`swagger`]), rewrite OpenAPI 3.1 forms into their 3.0 equivalents, degrade what
//! openapiv3 cannot read, and deserialize it into [`openapiv3::OpenAPI`].
//!
//! openapiv3 models 3.0. Given a 3.1 document it silently reads `type: "null"` or
//! `type: [string, "null"]` as "any", so those forms are rewritten first, in the raw tree
//! ([`normalise`]). A document that still does not deserialize has each unit that fails
//! degraded on its own ([`repair`]); only a document that is not OpenAPI at all is refused.

pub mod bundle;
mod finite;
mod links;
pub mod nesting;
mod normalise;
pub mod openapi_3_2;
mod reader;
mod repair;
mod source_map;
pub mod swagger;
mod tree;

use openapiv3::OpenAPI;
use serde_yaml::{Mapping, Value};

pub use source_map::SourceMap;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::SpecError;
use crate::pointer::Pointer;

/// A description read, and the warnings about what was read with a fallback.
#[derive(Debug)]
pub struct Loaded {
    pub document: OpenAPI,
    pub warnings: Vec<Diagnostic>,
    /// Where the document's nodes were written in a Swagger 2.0 source (read as 3.0): the
    /// later stages' diagnostics go through it too.
    pub source_map: SourceMap,
}

/// Parses the text of a description (YAML or JSON) into an OpenAPI document; the warnings
/// are dropped.
pub fn parse(text: &str) -> Result<OpenAPI, SpecError> {
    from_tree(read_tree(text)?)
        .map(|loaded| loaded.document)
        .map_err(|found| {
            let first = found.iter().find(|d| d.is_error()).or(found.first());
            first.map_or_else(
                || SpecError::new("#", "not a valid OpenAPI document"),
                |d| SpecError::new(d.pointer.clone(), d.reason.clone()),
            )
        })
}

/// What the user changes in a description before it is read: Overlay documents, applied in
/// order, then root `x-sdk-*` hints set over the description's own (for a description its
/// maintainers do not edit: `x-sdk-query-array-format: brackets`, say). `spec` names the
/// description in errors.
pub fn edit(
    tree: &mut Value,
    spec: &std::path::Path,
    overlays: &[crate::overlay::Overlay],
    hints: &[(String, serde_json::Value)],
) -> Result<(), crate::error::Error> {
    for overlay in overlays {
        overlay.apply(tree)?;
    }
    for (key, value) in hints {
        if !key.starts_with("x-sdk-") {
            let reason = format!("the hint `{key}` is not an `x-sdk-*` extension");
            return Err(crate::error::Error::Spec {
                file: spec.to_path_buf(),
                diagnostics: vec![Diagnostic::error("#", reason)],
            });
        }
        // A root that is not a mapping is refused by the version check, hints or not.
        if let (Value::Mapping(root), Ok(value)) = (&mut *tree, serde_yaml::to_value(value)) {
            root.insert(Value::String(key.clone()), value);
        }
    }
    Ok(())
}

/// A media type's essence, lower-cased: `application/jsonl` of
/// `Application/JSONL; charset=utf-8`.
pub fn media_essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// How many problems a document that does not read reports before giving up.
const MAX_ERRORS: usize = 20;

/// Checks the version of a description's tree (as [`read_tree`] gives it, overlays applied),
/// rewrites its 3.1 forms, degrades the units openapiv3 cannot read, and deserializes it.
/// A document that still does not read is refused with each of its problems (up to
/// [`MAX_ERRORS`]), not only the first, and with the warnings found on the way.
pub fn from_tree(tree: Value) -> Result<Loaded, Vec<Diagnostic>> {
    from_converted(tree, SourceMap::default())
}

/// [`from_tree`] for a tree that may have been converted from Swagger 2.0 already (before
/// the files it refers to were bundled), with the map of that conversion.
pub fn from_converted(
    mut tree: Value,
    mut source_map: SourceMap,
) -> Result<Loaded, Vec<Diagnostic>> {
    let mut diagnostics = Diagnostics::default();
    if swagger::is_swagger_2(&tree) {
        source_map = swagger::convert(&mut tree, &mut diagnostics);
    }
    let version = check_version(&tree).map_err(|error| vec![Diagnostic::from(error)])?;
    finite::drop_non_finite(&mut tree, &mut diagnostics);
    if openapi_3_2::is_3_2(&version) {
        openapi_3_2::convert(&mut tree, &mut source_map, &mut diagnostics);
    }
    let in_source = |mut found: Vec<Diagnostic>| {
        source_map.locate_in_source(&mut found);
        found
    };
    // 3.2's schemas are 3.1's (JSON Schema 2020-12).
    let json_schema = version.starts_with("3.1") || openapi_3_2::is_3_2(&version);
    normalise::normalise(&mut tree, json_schema, &mut diagnostics);
    links::resolve(&mut tree, &mut diagnostics);
    let document = match read_document(&mut tree) {
        Ok(document) => document,
        Err(_) => {
            repair::repair(&mut tree, &mut diagnostics);
            match read_document(&mut tree) {
                Ok(document) => document,
                Err(first) => {
                    let mut found = diagnostics.into_vec();
                    found.extend(every_error(&mut tree, first));
                    return Err(in_source(found));
                }
            }
        }
    };
    let warnings = in_source(diagnostics.into_vec());
    Ok(Loaded {
        document,
        warnings,
        source_map,
    })
}

/// The document, or where and why it does not read.
fn read_document(tree: &mut Value) -> Result<OpenAPI, Diagnostic> {
    if let Value::Mapping(root) = tree {
        // A 3.1 document may have only webhooks or only components.
        root.entry("paths".into())
            .or_insert_with(|| Value::Mapping(Mapping::new()));
        // openapiv3 models 3.0, which keeps nothing of an unknown key but its extensions: a
        // 3.1 document's webhooks are read as 3.0's `x-webhooks` (see `ir::webhooks`).
        if let Some(webhooks) = root.remove("webhooks") {
            root.insert(crate::ir::webhooks::EXTENSION.into(), webhooks);
        }
    }
    serde_path_to_error::deserialize::<_, OpenAPI>(&*tree).map_err(|error| {
        Diagnostic::error(
            path_pointer(error.path()).to_string(),
            format!("not a valid OpenAPI document: {}", error.inner()),
        )
    })
}

/// `first`, and each further error found by leaving out the node of the one before, until
/// the rest reads, an error repeats, or [`MAX_ERRORS`].
fn every_error(tree: &mut Value, first: Diagnostic) -> Vec<Diagnostic> {
    let mut errors = vec![first];
    while errors.len() < MAX_ERRORS {
        let Some(last) = errors.last() else { break };
        if !remove(tree, &last.pointer) {
            break;
        }
        match read_document(tree) {
            Err(next) if errors.iter().all(|e| e.pointer != next.pointer) => errors.push(next),
            _ => break,
        }
    }
    errors
}

/// Removes the node at `pointer` from its parent; false when there is none (the root).
fn remove(tree: &mut Value, pointer: &str) -> bool {
    let Some(pointer) = Pointer::from_ref(pointer) else {
        return false;
    };
    let tokens: Vec<String> = pointer.tokens().collect();
    let Some((last, parents)) = tokens.split_last() else {
        return false;
    };
    let mut node = tree;
    for token in parents {
        node = match node {
            Value::Mapping(map) => match map.get_mut(token.as_str()) {
                Some(child) => child,
                None => return false,
            },
            Value::Sequence(items) => {
                match token.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    Some(child) => child,
                    None => return false,
                }
            }
            _ => return false,
        };
    }
    match node {
        Value::Mapping(map) => map.remove(last.as_str()).is_some(),
        Value::Sequence(items) => match last.parse::<usize>() {
            Ok(index) if index < items.len() => {
                items.remove(index);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// The document as a YAML tree, whole. Integers beyond 64 bits (`minimum:
/// -9223372036854776000`, written by tools that print doubles) are read as floating-point
/// numbers instead of failing. JSON goes through a JSON parser: YAML's rejects escaped
/// surrogate pairs (`"\ud83d\udc4d"`). Collections nested deeper than
/// [`nesting::MAX_NESTING`] are refused where they open.
pub fn read_tree(text: &str) -> Result<Value, SpecError> {
    read_tree_as(text, Reading::Whole).map(|(tree, _)| tree)
}

/// A description's tree as generation reads it, with a located warning at each key written
/// twice in one mapping. What generation never reads is left out of YAML descriptions (see
/// [`reader`]): the lists and mappings under the extensions of OpenAPI objects.
pub fn read_tree_warning(text: &str) -> Result<(Value, Vec<Diagnostic>), SpecError> {
    read_tree_as(text, Reading::Description)
}

/// What a text is read as, and so what may be left out of it.
#[derive(Clone, Copy)]
pub(crate) enum Reading {
    /// Everything: an overlay, or a file a description refers to (what its root holds, a
    /// schema, a response or a map of them, is not known here).
    Whole,
    /// A description's root document.
    Description,
}

pub(crate) fn read_tree_as(
    text: &str,
    reading: Reading,
) -> Result<(Value, Vec<Diagnostic>), SpecError> {
    // A byte-order mark is not part of the document (YAML would read a second one after it).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The JSON parser writes the place into its message, which the error carries instead.
    let located = |line: usize, column: usize, message: String| {
        let suffix = format!(" at line {line} column {column}");
        let reason = match message.replacen(&suffix, "", 1).as_str() {
            "recursion limit exceeded" => nesting::too_deep(),
            message => format!("not valid YAML or JSON: {message}"),
        };
        SpecError::new("#", reason).at(line, column.max(1))
    };
    let read_yaml = || {
        nesting::check(text)?;
        match reader::read(text, reading) {
            Ok(read) => Ok((read.tree, read.warnings)),
            Err(strict) => lenient_yaml(text, strict),
        }
    };
    if !text.trim_start().starts_with('{') {
        return read_yaml();
    }
    // JSON through JSON's reader: YAML's rejects escaped surrogate pairs (`"\ud83d\udc4d"`),
    // and holds every token of a flow collection until it closes.
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let read = tree::read(&mut deserializer).and_then(|read| deserializer.end().map(|()| read));
    match read {
        Ok((tree, duplicates)) => Ok(with_duplicates(text, tree, duplicates)),
        // YAML in flow style (`{openapi: 3.0.3, ...}`) starts like JSON; its keys are not
        // quoted. Any other syntax error is JSON's to report, where it is.
        Err(json) if json.to_string().starts_with("key must be a string") => read_yaml(),
        Err(json) => Err(located(json.line(), json.column(), json.to_string())),
    }
}

/// A text the strict reader refused for a flow collection indented less than its key
/// ([`crate::diagnostics::INVALID_INDENTATION`]: `example: {` ... `}` with the `}` under the
/// `e`, which libyaml, and so most tools, reads), read as libyaml reads it
/// (through serde_yaml), with a warning where the strict reader stopped; any other refusal
/// stands. Keys are text, as the strict reader makes them.
fn lenient_yaml(text: &str, strict: SpecError) -> Result<(Value, Vec<Diagnostic>), SpecError> {
    let refused = format!(
        "not valid YAML or JSON: {}",
        crate::diagnostics::INVALID_INDENTATION
    );
    if strict.reason != refused {
        return Err(strict);
    }
    let Ok(mut tree) = serde_yaml::from_str::<Value>(text) else {
        return Err(strict);
    };
    keys_as_text(&mut tree);
    let mut warning = Diagnostic::warning(
        "#",
        "a flow collection is indented less than YAML allows; read as libyaml reads it",
    );
    warning.location = strict.location;
    Ok((tree, vec![warning]))
}

/// Every mapping key as text (`200` → `"200"`), as the rest of the load stage expects.
fn keys_as_text(node: &mut Value) {
    match node {
        Value::Mapping(map) => {
            let entries = std::mem::take(map);
            for (key, mut value) in entries {
                keys_as_text(&mut value);
                let key = match key {
                    Value::String(text) => text,
                    Value::Number(number) => number.to_string(),
                    Value::Bool(flag) => flag.to_string(),
                    Value::Null => "null".to_owned(),
                    other => serde_yaml::to_string(&other)
                        .unwrap_or_default()
                        .trim()
                        .to_owned(),
                };
                map.insert(Value::String(key), value);
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(keys_as_text),
        Value::Tagged(tagged) => keys_as_text(&mut tagged.value),
        _ => {}
    }
}

/// The tree, and when the JSON reader saw a repeated key, a warning at each.
fn with_duplicates(text: &str, tree: Value, duplicates: bool) -> (Value, Vec<Diagnostic>) {
    let warnings = match duplicates {
        true => crate::diagnostics::duplicate_keys(text),
        false => Vec::new(),
    };
    (tree, warnings)
}

fn path_pointer(path: &serde_path_to_error::Path) -> Pointer {
    use serde_path_to_error::Segment;
    let mut pointer = Pointer::root();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = pointer.join(index),
            Segment::Map { key } | Segment::Enum { variant: key } => pointer = pointer.join(key),
            Segment::Unknown => {}
        }
    }
    pointer
}

fn check_version(tree: &Value) -> Result<String, SpecError> {
    let version = match tree.get("openapi") {
        Some(Value::String(version)) => version.clone(),
        Some(other) => {
            return Err(SpecError::new(
                "#/openapi",
                format!("expected a version string such as \"3.0.3\", found {other:?}"),
            ))
        }
        None if tree.get("swagger").is_some() => {
            return Err(SpecError::new(
                "#/swagger",
                "only Swagger 2.0 is read (as `swagger: \"2.0\"`); convert the description to OpenAPI 3",
            ))
        }
        None => {
            return Err(SpecError::new(
                "#",
                "not an OpenAPI description: the `openapi` version field is missing",
            ))
        }
    };
    if ["3.0", "3.1", "3.2"]
        .iter()
        .any(|minor| version.starts_with(minor))
    {
        Ok(version)
    } else {
        Err(SpecError::new(
            "#/openapi",
            format!("OpenAPI {version} is not supported; supported versions are 3.0.x, 3.1.x and 3.2.x (and Swagger 2.0)"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_bounds_beyond_64_bits_are_clamped_only_in_schemas() {
        let yaml = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n\
            components:\n  schemas:\n    Big:\n      type: integer\n      \
            minimum: -9223372036854776000\n      maximum: 18446744073709551616\n      \
            example: {type: integer, minimum: 1.5}\n";
        let document = parse(yaml).expect("the document is read");
        let schema = document.components.expect("components").schemas["Big"].clone();
        let openapiv3::ReferenceOr::Item(schema) = schema else {
            panic!("an inline schema")
        };
        let openapiv3::SchemaKind::Type(openapiv3::Type::Integer(integer)) = schema.schema_kind
        else {
            panic!("an integer schema")
        };
        assert_eq!(
            (integer.minimum, integer.maximum),
            (Some(i64::MIN), Some(i64::MAX))
        );
        // The example is data, not a schema: its `minimum` keeps its fraction.
        let example = schema.schema_data.example.expect("example kept");
        assert_eq!(example["minimum"], serde_json::json!(1.5));
    }

    #[test]
    fn keys_are_text_and_a_repeated_key_is_a_warning_at_its_second_place() {
        let yaml =
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      \
            responses:\n        200: {description: a}\n        '200': {description: b}\n        \
            true: {description: c}\n";
        let (tree, warnings) = read_tree_warning(yaml).expect("YAML");
        let responses = &tree["paths"]["/a"]["get"]["responses"];
        assert_eq!(responses["200"]["description"], Value::from("b"));
        assert_eq!(responses["true"]["description"], Value::from("c"));
        let found: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "8:9: warning: #/paths/~1a/get/responses/200: `200` is already a key of this \
              mapping; the last value is read"
            ]
        );
        // In JSON; below the repeated key nothing more is reported, and a key repeated in
        // another mapping is no repetition.
        let json = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"},\n\
            \"paths\": {\"/a\": {\"x\": 1}, \"/b\": {\"x\": 1},\n \"/a\": {\"x\": 2}}}";
        let (_, warnings) = read_tree_warning(json).expect("JSON");
        let found: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "3:2: warning: #/paths/~1a: `/a` is already a key of this mapping; the last value \
              is read"
            ]
        );
        assert!(read_tree_warning(yaml.replace("'200'", "'201'").as_str())
            .expect("YAML")
            .1
            .is_empty());
    }

    #[test]
    fn a_flow_collection_indented_less_than_its_key_is_read_as_libyaml_reads_it() {
        let yaml = r#"openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      responses:
        200: {description: ok}
components:
  schemas:
    A:
      type: object
      example: {
        "80/tcp": {},
        "443/tcp": {}
      }
    B: {type: string}
"#;
        let (tree, warnings) = read_tree_warning(yaml).expect("read leniently");
        let schemas = &tree["components"]["schemas"];
        assert!(schemas["A"]["example"].get("443/tcp").is_some());
        assert_eq!(schemas["B"]["type"], Value::from("string"));
        // Keys are text, as the strict reader makes them.
        assert!(tree["paths"]["/a"]["get"]["responses"].get("200").is_some());
        let found: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "15:7: warning: #: a flow collection is indented less than YAML allows; read as \
              libyaml reads it"
            ]
        );
        // Any other refusal stands.
        assert!(read_tree_warning("a: [\n").is_err());
    }

    #[test]
    fn json_with_escaped_surrogate_pairs_is_read() {
        let json = r#"{"openapi": "3.0.3", "info": {"title": "Hello! \ud83d\udc4d", "version": "1"}, "paths": {}}"#;
        let document = parse(json).expect("JSON is read");
        assert_eq!(document.info.title, "Hello! \u{1f44d}");
        let error = parse("{\"openapi\": \"3.0.3\",\n  \"info\": }").expect_err("bad JSON");
        assert_eq!(error.reason, "not valid YAML or JSON: expected value");
        assert_eq!(error.location, Some((2, 11)));
        // YAML in flow style starts like JSON, with keys unquoted.
        let flow = "{openapi: 3.0.3, info: {title: flow, version: '1'}, paths: {}}";
        assert_eq!(parse(flow).expect("flow YAML is read").info.title, "flow");
    }

    #[test]
    fn rejects_other_versions_with_a_pointer() {
        let error = parse("swagger: '1.2'\n").expect_err("swagger 1.2 is rejected");
        assert_eq!(error.pointer, "#/swagger");
        let error = parse("openapi: 2.5.0\n").expect_err("unknown version is rejected");
        assert_eq!(error.pointer, "#/openapi");
        let error = parse("openapi: [\n").expect_err("bad YAML is rejected");
        assert_eq!(error.location, Some((2, 1)), "{}", error.reason);
    }

    #[test]
    fn a_unit_that_does_not_read_degrades_alone() {
        let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n  /b:\n    get:\n      responses: {'204': {description: none}}\n";
        let loaded = from_tree(read_tree(yaml).expect("YAML")).expect("the rest is read");
        let operations = |path: &str| match &loaded.document.paths.paths[path] {
            openapiv3::ReferenceOr::Item(item) => item.iter().count(),
            openapiv3::ReferenceOr::Reference { .. } => usize::MAX,
        };
        assert_eq!((operations("/a"), operations("/b")), (0, 1));
        assert_eq!(loaded.warnings.len(), 1);
        assert!(
            loaded.warnings[0].pointer.starts_with("#/paths/~1a/get"),
            "{:?}",
            loaded.warnings
        );
        let error = parse("openapi: 3.0.3\ninfo: 7\npaths: []\n").expect_err("not OpenAPI");
        assert!(
            error.reason.starts_with("not a valid OpenAPI document"),
            "{error}"
        );
    }

    #[test]
    fn a_document_that_does_not_read_reports_each_problem() {
        let yaml = "openapi: 3.0.3\ninfo: 7\npaths: []\ncomponents: 5\n";
        let found = from_tree(read_tree(yaml).expect("YAML")).expect_err("not OpenAPI");
        let found: Vec<(bool, &str)> = found
            .iter()
            .map(|d| (d.is_error(), d.pointer.as_str()))
            .collect();
        assert_eq!(
            found,
            [(false, "#/info"), (true, "#/paths"), (true, "#/components")]
        );
        let error = parse("openapi: 3.0.3\npaths: {a: [}\n").expect_err("bad YAML");
        assert_eq!(
            (error.reason.as_str(), error.location),
            (
                "not valid YAML or JSON: while parsing a node, did not find expected node content",
                Some((2, 13))
            )
        );
    }

    #[test]
    fn a_3_1_document_needs_no_paths_and_3_1_forms_in_3_0_warn() {
        let only_components = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A: {type: [string, 'null']}\n";
        let loaded = from_tree(read_tree(only_components).expect("YAML")).expect("read");
        assert!(loaded.document.paths.paths.is_empty());
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let in_3_0 = only_components.replace("3.1.0", "3.0.3");
        let loaded = from_tree(read_tree(&in_3_0).expect("YAML")).expect("read");
        let reasons: Vec<String> = loaded
            .warnings
            .iter()
            .map(|w| format!("{}: {}", w.pointer, w.reason))
            .collect();
        assert_eq!(
            reasons,
            ["#/components/schemas/A: `type` as a list: OpenAPI 3.1, not 3.0; read as 3.1 reads it"]
        );
    }
}
