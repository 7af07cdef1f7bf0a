//! Stage 1, load: read a YAML or JSON description, rewrite OpenAPI 3.1 forms into their 3.0
//! equivalents, and deserialize it into [`openapiv3::OpenAPI`].
//!
//! openapiv3 models 3.0. Given a 3.1 document it silently reads `type: "null"` or
//! `type: [string, "null"]` as "any", so those forms are rewritten first, in the raw tree.

use openapiv3::OpenAPI;
use serde_yaml::{Mapping, Value};

use crate::error::SpecError;
use crate::pointer::Pointer;

/// Parses the text of a description (YAML or JSON) into an OpenAPI document.
pub fn parse(text: &str) -> Result<OpenAPI, SpecError> {
    from_tree(read_tree(text)?)
}

/// Checks the version of a description's tree (as [`read_tree`] gives it, overlays applied),
/// rewrites its 3.1 forms and deserializes it.
pub fn from_tree(mut tree: Value) -> Result<OpenAPI, SpecError> {
    let version = check_version(&tree)?;
    let is_3_1 = version.starts_with("3.1");
    rewrite_schemas(&mut tree, &|schema| {
        if is_3_1 {
            normalise_3_1(schema);
        }
        clamp_integer_bounds(schema);
    });
    match serde_path_to_error::deserialize::<_, OpenAPI>(&tree) {
        Ok(document) => Ok(document),
        // openapiv3 flattens extensions into most objects, which hides the path of an error
        // below them; look for the deepest node that fails on its own instead.
        Err(error) => Err(locate::deepest_failure(&tree).unwrap_or_else(|| {
            SpecError::new(
                path_pointer(error.path()),
                format!("not a valid OpenAPI document: {}", error.inner()),
            )
        })),
    }
}

/// The document as a YAML tree. Integers beyond 64 bits (`minimum: -9223372036854776000`,
/// written by tools that print doubles) are read as floating-point numbers instead of failing.
/// JSON goes through a JSON parser: YAML's rejects escaped surrogate pairs (`"\ud83d\udc4d"`).
pub fn read_tree(text: &str) -> Result<Value, SpecError> {
    use serde::Deserialize;
    let located = |line: usize, column: usize, error: &dyn std::fmt::Display| {
        SpecError::new(
            "#",
            format!("not valid YAML or JSON at line {line}, column {column}: {error}"),
        )
    };
    if text.trim_start().starts_with('{') {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        return tree::Tree::deserialize(&mut deserializer)
            .and_then(|tree| deserializer.end().map(|()| tree.0))
            .map_err(|error| {
                // serde_json ends its message with the position, which `located` gives first.
                let (line, column) = (error.line(), error.column());
                let message = error.to_string();
                let suffix = format!(" at line {line} column {column}");
                located(
                    line,
                    column,
                    &message.strip_suffix(&suffix).unwrap_or(&message),
                )
            });
    }
    let deserializer = serde_yaml::Deserializer::from_str(text);
    tree::Tree::deserialize(deserializer)
        .map(|tree| tree.0)
        .map_err(|error| match error.location() {
            Some(at) => located(at.line(), at.column(), &error),
            None => SpecError::new("#", format!("not valid YAML or JSON: {error}")),
        })
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
                "Swagger 2.0 is not supported; convert the description to OpenAPI 3.0 or 3.1",
            ))
        }
        None => {
            return Err(SpecError::new(
                "#",
                "not an OpenAPI description: the `openapi` version field is missing",
            ))
        }
    };
    if version.starts_with("3.0") || version.starts_with("3.1") {
        Ok(version)
    } else {
        Err(SpecError::new(
            "#/openapi",
            format!("OpenAPI {version} is not supported; supported versions are 3.0.x and 3.1.x"),
        ))
    }
}

/// A rewrite of one schema object, applied before its subschemas are visited.
type Rewrite<'a> = &'a dyn Fn(&mut Mapping);

/// Applies `rewrite` to every schema of the document, in place: the schemas of components,
/// parameters, headers, request bodies and responses, and every subschema below them. Only
/// schema positions are visited, so a property or example named like a keyword is left alone.
fn rewrite_schemas(tree: &mut Value, rewrite: Rewrite) {
    for section in ["paths", "webhooks"] {
        for_each_entry(tree.get_mut(section), |item| {
            rewrite_path_item(item, rewrite)
        });
    }
    let Some(components) = tree.get_mut("components") else {
        return;
    };
    for_each_entry(components.get_mut("schemas"), |schema| {
        rewrite_schema(schema, rewrite)
    });
    for kind in ["parameters", "headers"] {
        for_each_entry(components.get_mut(kind), |parameter| {
            rewrite_parameter(parameter, rewrite)
        });
    }
    for_each_entry(components.get_mut("requestBodies"), |body| {
        rewrite_content(body, rewrite)
    });
    for_each_entry(components.get_mut("responses"), |response| {
        rewrite_response(response, rewrite)
    });
    for_each_entry(components.get_mut("pathItems"), |item| {
        rewrite_path_item(item, rewrite)
    });
}

fn for_each_entry(node: Option<&mut Value>, mut visit: impl FnMut(&mut Value)) {
    match node {
        Some(Value::Mapping(map)) => map.iter_mut().for_each(|(_, value)| visit(value)),
        Some(Value::Sequence(items)) => items.iter_mut().for_each(visit),
        _ => {}
    }
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn rewrite_path_item(item: &mut Value, rewrite: Rewrite) {
    let parameters = |node: Option<&mut Value>| {
        for_each_entry(node, |parameter| rewrite_parameter(parameter, rewrite))
    };
    parameters(item.get_mut("parameters"));
    for method in METHODS {
        if let Some(operation) = item.get_mut(method) {
            parameters(operation.get_mut("parameters"));
            if let Some(body) = operation.get_mut("requestBody") {
                rewrite_content(body, rewrite);
            }
            for_each_entry(operation.get_mut("responses"), |response| {
                rewrite_response(response, rewrite)
            });
        }
    }
}

fn rewrite_parameter(parameter: &mut Value, rewrite: Rewrite) {
    if let Some(schema) = parameter.get_mut("schema") {
        rewrite_schema(schema, rewrite);
    }
    rewrite_content(parameter, rewrite);
}

fn rewrite_response(response: &mut Value, rewrite: Rewrite) {
    for_each_entry(response.get_mut("headers"), |header| {
        rewrite_parameter(header, rewrite)
    });
    rewrite_content(response, rewrite);
}

fn rewrite_content(holder: &mut Value, rewrite: Rewrite) {
    for_each_entry(holder.get_mut("content"), |media| {
        if let Some(schema) = media.get_mut("schema") {
            rewrite_schema(schema, rewrite);
        }
    });
}

/// Rewrites one schema, then each of its subschemas.
fn rewrite_schema(schema: &mut Value, rewrite: Rewrite) {
    let Some(map) = schema.as_mapping_mut() else {
        return;
    };
    rewrite(map);
    for keyword in ["items", "not", "additionalProperties"] {
        if let Some(child) = map.get_mut(keyword) {
            rewrite_schema(child, rewrite);
        }
    }
    for keyword in ["properties", "patternProperties"] {
        if let Some(Value::Mapping(children)) = map.get_mut(keyword) {
            children
                .iter_mut()
                .for_each(|(_, child)| rewrite_schema(child, rewrite));
        }
    }
    for keyword in ["allOf", "anyOf", "oneOf", "prefixItems"] {
        if let Some(Value::Sequence(children)) = map.get_mut(keyword) {
            children
                .iter_mut()
                .for_each(|child| rewrite_schema(child, rewrite));
        }
    }
}

/// Rewrites one 3.1 schema object into its 3.0 form: `type: [T, "null"]` and `anyOf`/`oneOf`
/// with a `{type: "null"}` member become `nullable: true`; `const` becomes a one-value `enum`;
/// numeric `exclusiveMinimum`/`exclusiveMaximum` become the 3.0 boolean form; `examples`
/// becomes `example`.
fn normalise_3_1(map: &mut Mapping) {
    normalise_type_list(map);
    for keyword in ["anyOf", "oneOf"] {
        normalise_null_member(map, keyword);
    }
    if let Some(value) = map.remove("const") {
        if !map.contains_key("type") {
            let implied = match &value {
                Value::String(_) => Some("string"),
                Value::Bool(_) => Some("boolean"),
                Value::Number(number) if number.is_f64() => Some("number"),
                Value::Number(_) => Some("integer"),
                _ => None,
            };
            if let Some(implied) = implied {
                map.insert("type".into(), implied.into());
            }
        }
        map.insert("enum".into(), Value::Sequence(vec![value]));
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if map.get(exclusive).is_some_and(Value::is_number) {
            if let Some(limit) = map.remove(exclusive) {
                map.insert(bound.into(), limit);
                map.insert(exclusive.into(), Value::Bool(true));
            }
        }
    }
    if let Some(Value::Sequence(examples)) = map.remove("examples") {
        if let Some(first) = examples.into_iter().next() {
            map.entry("example".into()).or_insert(first);
        }
    }
    if map.get("type").and_then(Value::as_str) == Some("null") {
        map.remove("type");
        map.insert("nullable".into(), Value::Bool(true));
    }
}

/// Rounds a fractional or out-of-range `minimum`, `maximum` or `multipleOf` of an integer
/// schema into `i64` (`as` saturates). Bounds are documentation here (the client does not
/// validate), and openapiv3 reads them as `i64`.
fn clamp_integer_bounds(map: &mut Mapping) {
    if map.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    for keyword in ["minimum", "maximum", "multipleOf"] {
        if let Some(Value::Number(number)) = map.get_mut(keyword) {
            if let (None, Some(float)) = (number.as_i64(), number.as_f64()) {
                *number = (float.round() as i64).into();
            }
        }
    }
}

fn normalise_type_list(map: &mut Mapping) {
    let Some(Value::Sequence(types)) = map.get("type") else {
        return;
    };
    let nullable = types.iter().any(|t| t.as_str() == Some("null"));
    let rest: Vec<Value> = types
        .iter()
        .filter(|t| t.as_str() != Some("null"))
        .cloned()
        .collect();
    match rest.as_slice() {
        [] => {
            map.remove("type");
        }
        [single] => {
            map.insert("type".into(), single.clone());
        }
        // Several non-null types: keep them as a union the IR can reject or model.
        _ => {
            map.remove("type");
            let members = rest
                .into_iter()
                .map(|t| {
                    let mut member = Mapping::new();
                    member.insert("type".into(), t);
                    Value::Mapping(member)
                })
                .collect();
            map.insert("anyOf".into(), Value::Sequence(members));
        }
    }
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
}

fn normalise_null_member(map: &mut Mapping, keyword: &str) {
    let Some(Value::Sequence(members)) = map.get_mut(keyword) else {
        return;
    };
    let is_null = |member: &Value| member.get("type").and_then(Value::as_str) == Some("null");
    if !members.iter().any(is_null) {
        return;
    }
    members.retain(|member| !is_null(member));
    map.insert("nullable".into(), Value::Bool(true));
    // `anyOf: [X, {type: null}]` is just a nullable X: lift X when it stands alone.
    if let Some(Value::Sequence(members)) = map.get(keyword) {
        if let [single] = members.as_slice() {
            let single = single.clone();
            map.remove(keyword);
            if single.get("$ref").is_some() {
                map.insert("allOf".into(), Value::Sequence(vec![single]));
            } else if let Value::Mapping(fields) = single {
                for (key, value) in fields {
                    map.entry(key).or_insert(value);
                }
            }
        }
    }
}

/// A YAML tree that reads every number: `serde_yaml::Value` refuses 128-bit integers.
mod tree {
    use std::fmt;

    use serde::de::{
        self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
    };
    use serde_yaml::{Mapping, Number, Value};

    pub struct Tree(pub Value);

    impl<'de> Deserialize<'de> for Tree {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(TreeVisitor).map(Tree)
        }
    }

    struct TreeVisitor;

    impl<'de> Visitor<'de> for TreeVisitor {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any YAML value")
        }

        fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
            Ok(Value::Bool(value))
        }

        fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
            Ok(Value::Number(value.into()))
        }

        fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
            Ok(Value::Number(value.into()))
        }

        fn visit_i128<E>(self, value: i128) -> Result<Value, E> {
            Ok(Value::Number(Number::from(value as f64)))
        }

        fn visit_u128<E>(self, value: u128) -> Result<Value, E> {
            Ok(Value::Number(Number::from(value as f64)))
        }

        fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
            Ok(Value::Number(value.into()))
        }

        fn visit_str<E>(self, value: &str) -> Result<Value, E> {
            Ok(Value::String(value.to_owned()))
        }

        fn visit_string<E>(self, value: String) -> Result<Value, E> {
            Ok(Value::String(value))
        }

        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }

        fn visit_none<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }

        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
            deserializer.deserialize_any(self)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut items = Vec::new();
            while let Some(Tree(item)) = seq.next_element()? {
                items.push(item);
            }
            Ok(Value::Sequence(items))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut entries = Mapping::new();
            while let Some((Tree(key), Tree(value))) = map.next_entry()? {
                entries.insert(key, value);
            }
            Ok(Value::Mapping(entries))
        }

        /// A custom tag (`!foo value`): the tag means nothing to OpenAPI, the value is kept.
        fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
            let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
            variant.newtype_variant::<Tree>().map(|tree| tree.0)
        }
    }
}

/// Finds where a document that openapiv3 rejects goes wrong, by deserializing its parts on
/// their own, deepest first.
mod locate {
    use openapiv3::{
        Info, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
        SecurityScheme, Server,
    };
    use serde::de::DeserializeOwned;
    use serde_yaml::Value;

    use super::path_pointer;
    use crate::error::SpecError;
    use crate::pointer::Pointer;

    pub fn deepest_failure(tree: &Value) -> Option<SpecError> {
        let mut failures = Vec::new();
        visit_document(tree, &mut failures);
        failures
            .into_iter()
            .max_by_key(|failure| failure.pointer.matches('/').count())
    }

    fn check<T: DeserializeOwned>(
        node: &Value,
        at: &Pointer,
        failures: &mut Vec<SpecError>,
        what: &str,
    ) {
        if let Err(error) = serde_path_to_error::deserialize::<_, T>(node.clone()) {
            let mut pointer = at.clone();
            for token in path_pointer(error.path()).tokens() {
                pointer = pointer.join(token);
            }
            failures.push(SpecError::new(
                pointer,
                format!("not a valid {what}: {}", error.inner()),
            ));
        }
    }

    fn entries(node: Option<&Value>) -> Vec<(String, &Value)> {
        match node {
            Some(Value::Mapping(map)) => map
                .iter()
                .map(|(key, value)| {
                    (
                        key.as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| format!("{key:?}")),
                        value,
                    )
                })
                .collect(),
            Some(Value::Sequence(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn visit_document(tree: &Value, failures: &mut Vec<SpecError>) {
        let root = Pointer::root();
        if let Some(info) = tree.get("info") {
            check::<Info>(info, &root.join("info"), failures, "info object");
        }
        for (index, server) in entries(tree.get("servers")) {
            check::<Server>(
                server,
                &root.join("servers").join(index),
                failures,
                "server",
            );
        }
        for (path, item) in entries(tree.get("paths")) {
            let at = root.join("paths").join(&path);
            check::<ReferenceOr<PathItem>>(item, &at, failures, "path item");
            for (index, parameter) in entries(item.get("parameters")) {
                check::<ReferenceOr<Parameter>>(
                    parameter,
                    &at.join("parameters").join(index),
                    failures,
                    "parameter",
                );
            }
            for method in super::METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                let at = at.join(method);
                check::<Operation>(operation, &at, failures, "operation");
                for (index, parameter) in entries(operation.get("parameters")) {
                    let at = at.join("parameters").join(index);
                    check::<ReferenceOr<Parameter>>(parameter, &at, failures, "parameter");
                    if let Some(schema) = parameter.get("schema") {
                        visit_schema(schema, &at.join("schema"), failures);
                    }
                }
                if let Some(body) = operation.get("requestBody") {
                    check::<ReferenceOr<RequestBody>>(
                        body,
                        &at.join("requestBody"),
                        failures,
                        "request body",
                    );
                    visit_content(body, &at.join("requestBody"), failures);
                }
                for (code, response) in entries(operation.get("responses")) {
                    let at = at.join("responses").join(code);
                    check::<ReferenceOr<Response>>(response, &at, failures, "response");
                    visit_content(response, &at, failures);
                }
            }
        }
        let components = root.join("components");
        let Some(tree_components) = tree.get("components") else {
            return;
        };
        for (name, schema) in entries(tree_components.get("schemas")) {
            visit_schema(schema, &components.join("schemas").join(name), failures);
        }
        for (name, parameter) in entries(tree_components.get("parameters")) {
            check::<ReferenceOr<Parameter>>(
                parameter,
                &components.join("parameters").join(name),
                failures,
                "parameter",
            );
        }
        for (name, body) in entries(tree_components.get("requestBodies")) {
            check::<ReferenceOr<RequestBody>>(
                body,
                &components.join("requestBodies").join(name),
                failures,
                "request body",
            );
        }
        for (name, response) in entries(tree_components.get("responses")) {
            check::<ReferenceOr<Response>>(
                response,
                &components.join("responses").join(name),
                failures,
                "response",
            );
        }
        for (name, scheme) in entries(tree_components.get("securitySchemes")) {
            check::<ReferenceOr<SecurityScheme>>(
                scheme,
                &components.join("securitySchemes").join(name),
                failures,
                "security scheme",
            );
        }
    }

    fn visit_content(holder: &Value, at: &Pointer, failures: &mut Vec<SpecError>) {
        for (media, value) in entries(holder.get("content")) {
            if let Some(schema) = value.get("schema") {
                visit_schema(
                    schema,
                    &at.join("content").join(media).join("schema"),
                    failures,
                );
            }
        }
    }

    fn visit_schema(schema: &Value, at: &Pointer, failures: &mut Vec<SpecError>) {
        check::<ReferenceOr<Schema>>(schema, at, failures, "schema");
        for keyword in ["items", "not", "additionalProperties"] {
            if let Some(child @ Value::Mapping(_)) = schema.get(keyword) {
                visit_schema(child, &at.join(keyword), failures);
            }
        }
        for (name, child) in entries(schema.get("properties")) {
            visit_schema(child, &at.join("properties").join(name), failures);
        }
        for keyword in ["allOf", "anyOf", "oneOf"] {
            for (index, child) in entries(schema.get(keyword)) {
                visit_schema(child, &at.join(keyword).join(index), failures);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalised(yaml: &str) -> Value {
        let mut value: Value = serde_yaml::from_str(yaml).expect("test YAML parses");
        rewrite_schema(&mut value, &normalise_3_1);
        value
    }

    #[test]
    fn type_list_with_null_becomes_nullable() {
        let value = normalised("type: [string, 'null']\ndescription: x");
        assert_eq!(
            value,
            normalised("type: string\nnullable: true\ndescription: x")
        );
    }

    #[test]
    fn any_of_with_null_lifts_the_single_member() {
        let value = normalised("anyOf: [{type: string, format: date}, {type: 'null'}]");
        assert_eq!(value["type"], Value::from("string"));
        assert_eq!(value["format"], Value::from("date"));
        assert_eq!(value["nullable"], Value::Bool(true));
        assert!(value.get("anyOf").is_none());
        let reference = normalised("anyOf: [{$ref: '#/components/schemas/A'}, {type: 'null'}]");
        assert_eq!(
            reference["allOf"][0]["$ref"],
            Value::from("#/components/schemas/A")
        );
        assert_eq!(reference["nullable"], Value::Bool(true));
    }

    #[test]
    fn const_examples_and_exclusive_bounds() {
        let value = normalised("type: integer\nconst: 3\nexclusiveMinimum: 1\nexamples: [3, 4]");
        assert_eq!(value["enum"], Value::Sequence(vec![3.into()]));
        assert_eq!(value["minimum"], Value::from(1));
        assert_eq!(value["exclusiveMinimum"], Value::Bool(true));
        assert_eq!(value["example"], Value::from(3));
    }

    #[test]
    fn nested_schemas_are_rewritten_but_property_names_are_not() {
        let value = normalised("type: object\nproperties:\n  const: {type: [integer, 'null']}");
        let property = &value["properties"]["const"];
        assert_eq!(property["type"], Value::from("integer"));
        assert_eq!(property["nullable"], Value::Bool(true));
    }

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
    fn json_with_escaped_surrogate_pairs_is_read() {
        let json = r#"{"openapi": "3.0.3", "info": {"title": "Hello! \ud83d\udc4d", "version": "1"}, "paths": {}}"#;
        let document = parse(json).expect("JSON is read");
        assert_eq!(document.info.title, "Hello! \u{1f44d}");
        let error = parse("{\"openapi\": \"3.0.3\",\n  \"info\": }").expect_err("bad JSON");
        assert_eq!(
            error.reason,
            "not valid YAML or JSON at line 2, column 11: expected value"
        );
    }

    #[test]
    fn rejects_other_versions_with_a_pointer() {
        let error = parse("swagger: '2.0'\n").expect_err("swagger is rejected");
        assert_eq!(error.pointer, "#/swagger");
        let error = parse("openapi: 2.5.0\n").expect_err("unknown version is rejected");
        assert_eq!(error.pointer, "#/openapi");
        let error = parse("openapi: [\n").expect_err("bad YAML is rejected");
        assert!(error.reason.contains("line"), "{}", error.reason);
    }

    #[test]
    fn deserialization_errors_carry_the_pointer() {
        let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let error = parse(yaml).expect_err("responses must be a map");
        assert!(
            error.pointer.starts_with("#/paths/~1a/get"),
            "{}",
            error.pointer
        );
    }
}
