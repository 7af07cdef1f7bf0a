//! OpenAPI 3.2, read through the same pipeline as 3.0 and 3.1: its additions are rewritten
//! into the 3.0 tree openapiv3 reads, keeping what they mean in extensions the IR reads, and
//! each moved node is recorded in the [`SourceMap`] so diagnostics point where 3.2 wrote it.
//!
//! - `components.mediaTypes`: each `$ref` to one is replaced by a copy of it.
//! - `itemSchema` (sequential media types) becomes the media type's `schema`, marked
//!   [`ITEM_SCHEMA`] (holding `itemEncoding`'s content type, when it names one); for
//!   `text/event-stream`, the schema of an event's `data` does (its `contentSchema`, or the
//!   string it is), as 3.0 descriptions write an event stream.
//! - `query` and `additionalOperations`: the path item's [`ADDITIONAL_OPERATIONS`], keyed by
//!   the method as sent (`QUERY`).
//! - `in: querystring`: a query parameter marked [`QUERYSTRING`].
//! - `style: cookie`: `form`, the style 3.0 gives cookies.
//! - `discriminator.defaultMapping`: [`DEFAULT_MAPPING`].
//! - tags' `parent` and `kind`: [`TAG_PARENT`] and [`TAG_KIND`].
//! - examples' `dataValue`: their `value`.
//! - `$self`: references to the document by it are made local ([`self_references`]).

use serde_yaml::{Mapping, Value};

use super::media_essence as essence;
use super::source_map::SourceMap;
use crate::diagnostics::Diagnostics;
use crate::pointer::Pointer;

/// A media type's mark: its `schema` is that of each item of a sequential body (3.2's
/// `itemSchema`). `true`, or the content type `itemEncoding` gives each item.
pub const ITEM_SCHEMA: &str = "x-item-schema";
/// A path item's operations for the methods without a field of their own in 3.0, keyed by
/// the method as sent.
pub const ADDITIONAL_OPERATIONS: &str = "x-additional-operations";
/// A query parameter's mark: its value is the whole query string (`in: querystring`).
pub const QUERYSTRING: &str = "x-querystring";
/// A discriminator's schema for values whose tag it does not map (`defaultMapping`).
pub const DEFAULT_MAPPING: &str = "x-default-mapping";
/// The tag a tag is nested under.
pub const TAG_PARENT: &str = "x-tag-parent";
/// What a tag is for (`nav`, `badge`, `audience`, ...).
pub const TAG_KIND: &str = "x-tag-kind";

/// How deep a chain of `$ref`s is followed (a `$ref` to a `$ref` ...).
const MAX_REFERENCES: usize = 16;

/// Whether `version` is 3.2's.
pub fn is_3_2(version: &str) -> bool {
    version.starts_with("3.2")
}

/// Rewrites a 3.2 tree's additions into the 3.0 forms the rest of the pipeline reads.
pub fn convert(tree: &mut Value, map: &mut SourceMap, diagnostics: &mut Diagnostics) {
    self_references(tree);
    let media_types = tree
        .get("components")
        .and_then(|components| components.get("mediaTypes"))
        .cloned();
    let root = tree.clone();
    let mut converter = Converter {
        root: &root,
        media_types: media_types.as_ref(),
        map,
        diagnostics,
    };
    converter.walk(tree, &Pointer::root());
    for section in ["paths", "webhooks", "x-webhooks"] {
        let at = Pointer::root().join(section);
        if let Some(Value::Mapping(items)) = tree.get_mut(section) {
            for (key, item) in items.iter_mut() {
                let key = key.as_str().unwrap_or_default();
                converter.path_item(item, &at.join(key));
            }
        }
    }
    if let Some(Value::Mapping(items)) = tree
        .get_mut("components")
        .and_then(|components| components.get_mut("pathItems"))
    {
        let at = Pointer::root().join("components").join("pathItems");
        for (key, item) in items.iter_mut() {
            let key = key.as_str().unwrap_or_default();
            converter.path_item(item, &at.join(key));
        }
    }
    converter.tags(tree);
    if let Value::Mapping(root) = tree {
        root.remove("$self");
        if let Some(Value::Mapping(components)) = root.get_mut("components") {
            components.remove("mediaTypes");
        }
    }
}

/// Makes each `$ref` that names the document by its `$self` URI local (`#/...`), and each that
/// names a document beside it relative (`shared/foo#/...`), as 3.2 resolves references against
/// `$self`. A document without `$self` is left alone.
pub fn self_references(tree: &mut Value) {
    let Some(self_uri) = tree.get("$self").and_then(Value::as_str).map(str::to_owned) else {
        return;
    };
    // The base against which the document's neighbours are named: up to its last `/`.
    let directory = match self_uri.rfind('/') {
        Some(end) if self_uri.contains("://") => Some(self_uri[..=end].to_owned()),
        _ => None,
    };
    rewrite_references(tree, &mut |reference| {
        let (target, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if target == self_uri {
            return Some(format!("#{fragment}"));
        }
        let relative = target.strip_prefix(directory.as_deref()?)?;
        Some(match reference.split_once('#') {
            Some(_) => format!("{relative}#{fragment}"),
            None => relative.to_owned(),
        })
    });
}

/// Calls `rewrite` with each `$ref` outside data (examples, extensions, `default`, `enum`,
/// `const`) and replaces it with what it returns.
fn rewrite_references(node: &mut Value, rewrite: &mut dyn FnMut(&str) -> Option<String>) {
    match node {
        Value::Mapping(map) => {
            for (key, child) in map.iter_mut() {
                let key = key.as_str().unwrap_or_default();
                if key == "$ref" {
                    if let Some(new) = child.as_str().and_then(&mut *rewrite) {
                        *child = Value::String(new);
                    }
                } else if !is_data(key) {
                    rewrite_references(child, rewrite);
                }
            }
        }
        Value::Sequence(items) => items
            .iter_mut()
            .for_each(|item| rewrite_references(item, rewrite)),
        _ => {}
    }
}

/// Keys whose values are data, not description.
fn is_data(key: &str) -> bool {
    key.starts_with("x-") || matches!(key, "example" | "examples" | "default" | "enum" | "const")
}

struct Converter<'a> {
    /// The tree as it was before the walk: what `$ref`s are followed in.
    root: &'a Value,
    media_types: Option<&'a Value>,
    map: &'a mut SourceMap,
    diagnostics: &'a mut Diagnostics,
}

impl Converter<'_> {
    /// Rewrites the media types, parameters and discriminators of `node` and below.
    fn walk(&mut self, node: &mut Value, at: &Pointer) {
        match node {
            Value::Mapping(map) => {
                if let Some(Value::Mapping(content)) = map.get_mut("content") {
                    let at = at.join("content");
                    for (media, object) in content.iter_mut() {
                        let media = media.as_str().unwrap_or_default().to_owned();
                        self.media_type(&media, object, &at.join(&media));
                    }
                }
                parameter(map);
                if let Some(Value::Mapping(discriminator)) = map.get_mut("discriminator") {
                    rename(discriminator, "defaultMapping", DEFAULT_MAPPING);
                }
                for (key, child) in map.iter_mut() {
                    let key = key.as_str().unwrap_or_default();
                    if !is_data(key) {
                        self.walk(child, &at.join(key));
                    }
                }
            }
            Value::Sequence(items) => {
                for (index, item) in items.iter_mut().enumerate() {
                    self.walk(item, &at.join(index));
                }
            }
            _ => {}
        }
    }

    /// A media type: a reusable one copied in, its item schema made its schema, its
    /// examples' `dataValue` their value.
    fn media_type(&mut self, media: &str, object: &mut Value, at: &Pointer) {
        for _ in 0..MAX_REFERENCES {
            let Some(reference) = object.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let tokens: Vec<String> = Pointer::from_ref(reference)
                .map(|pointer| pointer.tokens().collect())
                .unwrap_or_default();
            let [components, section, name] = tokens.as_slice() else {
                break;
            };
            if components != "components" || section != "mediaTypes" {
                break;
            }
            let name = name.clone();
            match self.media_types.and_then(|types| types.get(name.as_str())) {
                Some(found) => {
                    *object = found.clone();
                    let source = Pointer::root()
                        .join("components")
                        .join("mediaTypes")
                        .join(&name);
                    self.map.moved(at, &source);
                }
                None => {
                    self.diagnostics.warn(
                        at.join("$ref"),
                        format!("`{reference}` names no media type of the components; the media type is left out"),
                    );
                    *object = Value::Mapping(Mapping::new());
                    break;
                }
            }
        }
        let Value::Mapping(object) = object else {
            return;
        };
        if let Some(Value::Mapping(examples)) = object.get_mut("examples") {
            for example in examples.values_mut() {
                if let Value::Mapping(example) = example {
                    if !example.contains_key("value") {
                        if let Some(value) = example.get("dataValue").cloned() {
                            example.insert("value".into(), value);
                        }
                    }
                }
            }
        }
        let Some(item) = object.remove("itemSchema") else {
            return;
        };
        let encoding = object.remove("itemEncoding");
        object.remove("prefixEncoding");
        let essence = essence(media);
        // Where 3.2 wrote it: in a reusable media type, when this one was copied from one.
        let source = at.join("itemSchema");
        let source = Pointer::from_ref(&self.map.to_source(source.as_str())).unwrap_or(source);
        if essence == "text/event-stream" {
            let data = event_data(&item, self.root, 0).unwrap_or(item);
            object.insert("schema".into(), data);
            object.insert(ITEM_SCHEMA.into(), Value::Bool(true));
            self.map.moved(&at.join("schema"), &source);
        } else if is_sequential(&essence) {
            let content_type = encoding
                .as_ref()
                .and_then(|encoding| encoding.get("contentType"))
                .and_then(Value::as_str)
                .map_or(Value::Bool(true), |media| Value::String(media.to_owned()));
            object.insert("schema".into(), item);
            object.insert(ITEM_SCHEMA.into(), content_type);
            self.map.moved(&at.join("schema"), &source);
        } else {
            self.diagnostics.warn(
                source,
                format!("`itemSchema` describes the items of a sequential media type, which `{media}` is not; ignored"),
            );
        }
    }

    /// A path item: `query` and `additionalOperations` as [`ADDITIONAL_OPERATIONS`].
    fn path_item(&mut self, item: &mut Value, at: &Pointer) {
        let Value::Mapping(item) = item else {
            return;
        };
        let mut additional = match item.remove("additionalOperations") {
            Some(Value::Mapping(operations)) => operations,
            Some(_) => {
                self.diagnostics.warn(
                    at.join("additionalOperations"),
                    "`additionalOperations` must map methods to operations; ignored",
                );
                Mapping::new()
            }
            None => Mapping::new(),
        };
        for (method, _) in &additional {
            let method = method.as_str().unwrap_or_default();
            self.map.moved(
                &at.join(ADDITIONAL_OPERATIONS).join(method),
                &at.join("additionalOperations").join(method),
            );
        }
        if let Some(query) = item.remove("query") {
            self.map.moved(
                &at.join(ADDITIONAL_OPERATIONS).join("QUERY"),
                &at.join("query"),
            );
            additional.insert("QUERY".into(), query);
        }
        if !additional.is_empty() {
            item.insert(ADDITIONAL_OPERATIONS.into(), Value::Mapping(additional));
        }
    }

    /// Tags' `parent` and `kind`, kept.
    fn tags(&mut self, tree: &mut Value) {
        if let Some(Value::Sequence(tags)) = tree.get_mut("tags") {
            for (index, tag) in tags.iter_mut().enumerate() {
                if let Value::Mapping(tag) = tag {
                    let at = Pointer::root().join("tags").join(index);
                    if rename(tag, "parent", TAG_PARENT) {
                        self.map.moved(&at.join(TAG_PARENT), &at.join("parent"));
                    }
                    if rename(tag, "kind", TAG_KIND) {
                        self.map.moved(&at.join(TAG_KIND), &at.join("kind"));
                    }
                }
            }
        }
    }
}

/// A parameter's 3.2 forms: `in: querystring`, and a cookie's `style: cookie`.
fn parameter(map: &mut Mapping) {
    let location = map.get("in").and_then(Value::as_str);
    if !map.contains_key("name") {
        return;
    }
    match location {
        Some("querystring") => {
            map.insert("in".into(), "query".into());
            map.insert(QUERYSTRING.into(), Value::Bool(true));
        }
        Some("cookie") if map.get("style").and_then(Value::as_str) == Some("cookie") => {
            map.insert("style".into(), "form".into());
        }
        _ => {}
    }
}

/// Moves `from` to `to` in `map`; whether there was one.
fn rename(map: &mut Mapping, from: &str, to: &str) -> bool {
    match map.remove(from) {
        Some(value) => {
            map.insert(to.into(), value);
            true
        }
        None => false,
    }
}

/// Whether a media type is a sequence whose items the IR reads one by one: JSON Lines,
/// NDJSON, JSON text sequences, and `multipart` other than a form.
pub fn is_sequential(essence: &str) -> bool {
    matches!(
        essence,
        "application/jsonl" | "application/x-ndjson" | "application/x-jsonlines"
    ) || essence.ends_with("json-seq")
        || (essence.starts_with("multipart/") && essence != "multipart/form-data")
}

/// The schema of a server-sent event's `data`, read from the schema of the event (3.2's
/// `itemSchema` for `text/event-stream`): its `contentSchema` when the data is encoded JSON,
/// else the data's own schema (a string). Members of a `oneOf` or `anyOf` give theirs, a
/// union when they differ. `None` when no event member `data` is described, so the schema is
/// read as the data's own (what descriptions written before 3.2 mean).
fn event_data(event: &Value, root: &Value, depth: usize) -> Option<Value> {
    if depth > MAX_REFERENCES {
        return None;
    }
    let event = resolve(event, root)?;
    let own = event
        .get("properties")
        .and_then(|properties| properties.get("data"))
        .and_then(|data| resolve(data, root))
        .map(data_schema);
    // A `$ref` beside the keywords (3.1 and later), and `allOf` members, give the base's.
    let base = || {
        let referenced = event
            .get("$ref")
            .filter(|_| event.as_mapping().is_some_and(|m| m.len() > 1))
            .and_then(|_| {
                let mut target = Mapping::new();
                target.insert("$ref".into(), event.get("$ref")?.clone());
                event_data(&Value::Mapping(target), root, depth + 1)
            });
        referenced.or_else(|| {
            event
                .get("allOf")
                .and_then(Value::as_sequence)?
                .iter()
                .find_map(|member| event_data(member, root, depth + 1))
        })
    };
    let own = own.or_else(base);
    let members = ["oneOf", "anyOf"]
        .iter()
        .find_map(|keyword| event.get(*keyword).and_then(Value::as_sequence));
    let Some(members) = members else {
        return own;
    };
    let mut found: Vec<Value> = Vec::new();
    for member in members {
        let Some(data) = event_data(member, root, depth + 1).or_else(|| own.clone()) else {
            continue;
        };
        if !found.contains(&data) {
            found.push(data);
        }
    }
    match found.len() {
        0 => own,
        1 => found.pop(),
        _ => {
            let mut union = Mapping::new();
            union.insert("oneOf".into(), Value::Sequence(found));
            Some(Value::Mapping(union))
        }
    }
}

/// What an event's `data` member holds: the schema of the JSON it encodes, or its own.
fn data_schema(data: &Value) -> Value {
    if let Some(schema) = data.get("contentSchema") {
        return schema.clone();
    }
    let encodes_json = data
        .get("contentMediaType")
        .and_then(Value::as_str)
        .is_some_and(|media| {
            let essence = essence(media);
            essence == "application/json" || essence.ends_with("+json")
        });
    match encodes_json {
        // JSON, of any shape.
        true => Value::Mapping(Mapping::new()),
        false => data.clone(),
    }
}

/// `node`, or what its local `$ref` (`#/...`) names when it is nothing but one; `None` for a
/// reference that names nothing.
fn resolve<'a>(node: &'a Value, root: &'a Value) -> Option<&'a Value> {
    let mut node = node;
    for _ in 0..MAX_REFERENCES {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            return Some(node);
        };
        if node.as_mapping().is_some_and(|map| map.len() > 1) {
            // Keywords beside the `$ref`: read as they are (their base through `$ref`).
            return Some(node);
        }
        let pointer = Pointer::from_ref(reference)?;
        let mut target = root;
        for token in pointer.tokens() {
            target = match target {
                Value::Mapping(map) => map.get(token.as_str())?,
                Value::Sequence(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        node = target;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converted(yaml: &str) -> (Value, SourceMap, Vec<crate::diagnostics::Diagnostic>) {
        let mut tree = super::super::read_tree(yaml).expect("reads");
        let mut map = SourceMap::default();
        let mut diagnostics = Diagnostics::default();
        convert(&mut tree, &mut map, &mut diagnostics);
        (tree, map, diagnostics.into_vec())
    }

    fn at<'v>(tree: &'v Value, pointer: &str) -> &'v Value {
        let pointer = Pointer::from_ref(pointer).expect("a pointer");
        pointer.tokens().fold(tree, |node, token| match node {
            Value::Sequence(items) => &items[token.parse::<usize>().expect("an index")],
            _ => &node[token.as_str()],
        })
    }

    #[test]
    fn references_by_self_are_local_or_to_the_files_beside_it() {
        let (tree, ..) = converted(
            r##"
openapi: 3.2.0
$self: https://example.com/api/openapi.yaml
paths: {}
components:
  schemas:
    A: {$ref: 'https://example.com/api/openapi.yaml#/components/schemas/B'}
    B: {$ref: 'https://example.com/api/shared/pets.yaml#/Pet'}
    C: {$ref: 'https://elsewhere.example/x.yaml#/Y'}
    D: {type: string, example: {$ref: 'https://example.com/api/openapi.yaml#/kept'}}
"##,
        );
        let reference =
            |name: &str| at(&tree, &format!("#/components/schemas/{name}/$ref")).clone();
        assert_eq!(reference("A"), Value::from("#/components/schemas/B"));
        assert_eq!(reference("B"), Value::from("shared/pets.yaml#/Pet"));
        assert_eq!(
            reference("C"),
            Value::from("https://elsewhere.example/x.yaml#/Y")
        );
        // Examples are data.
        assert_eq!(
            at(&tree, "#/components/schemas/D/example/$ref"),
            &Value::from("https://example.com/api/openapi.yaml#/kept")
        );
        assert_eq!(tree.get("$self"), None);
    }

    #[test]
    fn reusable_media_types_are_copied_in_and_their_moves_recorded() {
        let (tree, map, warnings) = converted(
            r##"
openapi: 3.2.0
paths:
  /logs:
    get:
      parameters:
        - {name: session, in: cookie, style: cookie, schema: {type: string}}
        - name: q
          in: querystring
          content: {application/json: {schema: {type: object}}}
      responses:
        '200':
          description: Logs.
          content:
            application/jsonl: {$ref: '#/components/mediaTypes/Lines'}
            application/json-seq: {$ref: '#/components/mediaTypes/Missing'}
components:
  mediaTypes:
    Lines:
      itemSchema: {type: string}
      examples:
        one: {dataValue: hi}
"##,
        );
        let content = "#/paths/~1logs/get/responses/200/content";
        let lines = at(&tree, &format!("{content}/application~1jsonl"));
        assert_eq!(lines["schema"]["type"], Value::from("string"));
        assert_eq!(lines[ITEM_SCHEMA], Value::Bool(true));
        assert_eq!(lines["examples"]["one"]["value"], Value::from("hi"));
        assert_eq!(
            map.to_source(&format!("{content}/application~1jsonl/schema/type")),
            "#/components/mediaTypes/Lines/itemSchema/type"
        );
        let parameters = at(&tree, "#/paths/~1logs/get/parameters");
        assert_eq!(parameters[0]["style"], Value::from("form"));
        assert_eq!(parameters[1]["in"], Value::from("query"));
        assert_eq!(parameters[1][QUERYSTRING], Value::Bool(true));
        let found: Vec<(&str, &str)> = warnings
            .iter()
            .map(|w| (w.pointer.as_str(), w.reason.as_str()))
            .collect();
        assert_eq!(
            found,
            [(
                "#/paths/~1logs/get/responses/200/content/application~1json-seq/$ref",
                "`#/components/mediaTypes/Missing` names no media type of the components; the media type is left out"
            )]
        );
        assert_eq!(tree["components"].get("mediaTypes"), None);
    }

    #[test]
    fn tags_keep_their_parent_and_kind() {
        let (tree, map, _) = converted(
            "openapi: 3.2.0\npaths: {}\ntags:\n  - {name: A}\n  - {name: B, parent: A, kind: nav}\n",
        );
        assert_eq!(tree["tags"][1][TAG_PARENT], Value::from("A"));
        assert_eq!(tree["tags"][1][TAG_KIND], Value::from("nav"));
        assert_eq!(map.to_source("#/tags/1/x-tag-parent"), "#/tags/1/parent");
    }
}
