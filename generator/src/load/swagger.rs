//! Swagger 2.0, read as OpenAPI 3.0: a `swagger: "2.0"` tree rewritten into the 3.0 tree the
//! rest of the load stage reads, and a [`SourceMap`] from each node that moved back to where
//! the 2.0 description wrote it, so that every diagnostic points into the source.
//!
//! What moves: `host`, `basePath` and `schemes` become `servers`; `definitions`,
//! `parameters`, `responses` and `securityDefinitions` go under `components` (a `body`
//! parameter becomes a request body); an operation's `body` parameter becomes its
//! `requestBody` and its `formData` parameters one object body (multipart when one is a file,
//! or when `consumes` says so; else form-urlencoded), sent as each media type `consumes` lists;
//! a response's `schema` is its content in each type `produces` lists; a parameter's type
//! keywords go in its `schema`, and `collectionFormat` becomes a `style`; `type: file` is
//! binary, `x-nullable` is `nullable`, a string `discriminator` names its property. `$ref`s are
//! rewritten to follow.

use serde_yaml::{Mapping, Value};

use super::source_map::SourceMap;
use crate::diagnostics::Diagnostics;
use crate::pointer::Pointer;

/// The media type a 2.0 description means when it lists none.
const DEFAULT_MEDIA: &str = "application/json";
/// The keywords of a 2.0 parameter, header or items object that describe its value, which
/// 3.0 keeps in a `schema`.
const VALUE_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "items",
    "enum",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
    "x-nullable",
];
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// Whether the tree is a Swagger 2.0 description.
pub fn is_swagger_2(tree: &Value) -> bool {
    matches!(tree.get("swagger"), Some(Value::String(version)) if version == "2.0")
}

/// Rewrites a 2.0 tree as a 3.0 one, warning where 2.0 says what 3.0 cannot.
pub fn convert(tree: &mut Value, diagnostics: &mut Diagnostics) -> SourceMap {
    let Value::Mapping(source) = std::mem::take(tree) else {
        return SourceMap::default();
    };
    let mut converter = Converter {
        consumes: media_list(source.get("consumes")),
        produces: media_list(source.get("produces")),
        parameters: match source.get("parameters") {
            Some(Value::Mapping(parameters)) => parameters.clone(),
            _ => Mapping::new(),
        },
        map: SourceMap::default(),
        diagnostics,
    };
    let root = Pointer::root();
    let mut out = Mapping::new();
    out.insert("openapi".into(), "3.0.3".into());
    converter
        .map
        .moved(&root.join("openapi"), &root.join("swagger"));
    let servers = converter.servers(&source);
    let mut components = match source.get("components") {
        // Components a bundled split description was given already.
        Some(Value::Mapping(components)) => components.clone(),
        _ => Mapping::new(),
    };
    for (key, value) in &source {
        let Some(key_text) = key.as_str() else {
            continue;
        };
        match key_text {
            "swagger" | "host" | "basePath" | "schemes" | "consumes" | "produces"
            | "components" => {}
            "definitions" => {
                let schemas = converter.each(value, "definitions", "schemas", |c, schema, at| {
                    c.schema(schema, at);
                });
                insert_all(&mut components, "schemas", schemas);
            }
            "parameters" => {
                let (parameters, bodies) = converter.shared_parameters(value);
                insert_all(&mut components, "parameters", parameters);
                insert_all(&mut components, "requestBodies", bodies);
            }
            "responses" => {
                let produces = converter.produces.clone();
                let responses = converter.each(value, "responses", "responses", |c, r, at| {
                    c.response(r, &produces, at);
                });
                insert_all(&mut components, "responses", responses);
            }
            "securityDefinitions" => {
                let schemes = converter.each(
                    value,
                    "securityDefinitions",
                    "securitySchemes",
                    |c, scheme, at| c.security_scheme(scheme, at),
                );
                insert_all(&mut components, "securitySchemes", schemes);
            }
            "paths" => {
                let mut paths = value.clone();
                if let Value::Mapping(items) = &mut paths {
                    for (path, item) in items.iter_mut() {
                        let at = root.join("paths").join(path.as_str().unwrap_or_default());
                        converter.path_item(item, &at);
                    }
                }
                out.insert(key.clone(), paths);
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if !servers.is_empty() {
        out.insert("servers".into(), Value::Sequence(servers));
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Mapping(components));
    }
    let mut converted = Value::Mapping(out);
    rewrite_references(&mut converted, &converter.parameters);
    *tree = converted;
    converter.map
}

struct Converter<'d> {
    consumes: Vec<String>,
    produces: Vec<String>,
    /// The description's shared parameters as written, to inline a `body` or `formData` one
    /// an operation refers to.
    parameters: Mapping,
    map: SourceMap,
    diagnostics: &'d mut Diagnostics,
}

impl Converter<'_> {
    /// `servers` from `host`, `basePath` and `schemes` (https when none is listed); a relative
    /// URL (the base path) without a host.
    fn servers(&mut self, source: &Mapping) -> Vec<Value> {
        let host = source.get("host").and_then(Value::as_str);
        let base_path = source
            .get("basePath")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let schemes: Vec<&str> = match source.get("schemes") {
            Some(Value::Sequence(schemes)) => schemes
                .iter()
                .filter_map(Value::as_str)
                .filter(|scheme| matches!(*scheme, "https" | "http"))
                .collect(),
            _ => Vec::new(),
        };
        let urls: Vec<String> = match host {
            Some(host) if schemes.is_empty() => vec![format!("https://{host}{base_path}")],
            Some(host) => schemes
                .iter()
                .map(|scheme| format!("{scheme}://{host}{base_path}"))
                .collect(),
            None if base_path.is_empty() => Vec::new(),
            None => vec![base_path.to_owned()],
        };
        let root = Pointer::root();
        let from = if host.is_some() { "host" } else { "basePath" };
        urls.into_iter()
            .enumerate()
            .map(|(index, url)| {
                self.map
                    .moved(&root.join("servers").join(index), &root.join(from));
                let mut server = Mapping::new();
                server.insert("url".into(), url.into());
                Value::Mapping(server)
            })
            .collect()
    }

    /// Each entry of the map `value` (at `#/{from}`) converted by `convert`, to go under
    /// `#/components/{to}`.
    fn each(
        &mut self,
        value: &Value,
        from: &str,
        to: &str,
        convert: impl Fn(&mut Self, &mut Value, &Pointer),
    ) -> Mapping {
        let Value::Mapping(entries) = value else {
            return Mapping::new();
        };
        let root = Pointer::root();
        let mut out = Mapping::new();
        for (key, entry) in entries {
            let name = key.as_str().unwrap_or_default();
            let at = root.join("components").join(to).join(name);
            self.map.moved(&at, &root.join(from).join(name));
            let mut entry = entry.clone();
            convert(self, &mut entry, &at);
            out.insert(key.clone(), entry);
        }
        out
    }

    /// The shared parameters: the `body` ones as request bodies, the `formData` ones left
    /// for the operations that name them (a form field is no 3.0 component), the rest as
    /// parameters.
    fn shared_parameters(&mut self, value: &Value) -> (Mapping, Mapping) {
        let (mut parameters, mut bodies) = (Mapping::new(), Mapping::new());
        let Value::Mapping(entries) = value else {
            return (parameters, bodies);
        };
        let root = Pointer::root();
        let consumes = self.consumes.clone();
        for (key, parameter) in entries {
            let name = key.as_str().unwrap_or_default();
            let source = root.join("parameters").join(name);
            match location(parameter) {
                Some("body") => {
                    let at = root.join("components").join("requestBodies").join(name);
                    bodies.insert(key.clone(), self.body(parameter, &consumes, &at, &source));
                }
                Some("formData") => {}
                _ => {
                    let at = root.join("components").join("parameters").join(name);
                    self.map.moved(&at, &source);
                    let mut parameter = parameter.clone();
                    self.parameter(&mut parameter, &at, &source);
                    parameters.insert(key.clone(), parameter);
                }
            }
        }
        (parameters, bodies)
    }

    fn path_item(&mut self, item: &mut Value, at: &Pointer) {
        let Value::Mapping(item) = item else { return };
        // Parameters of the path: the body and form ones join each operation's.
        let shared = match item.remove("parameters") {
            Some(Value::Sequence(parameters)) => parameters,
            _ => Vec::new(),
        };
        let Split { kept, moved, .. } = self.split_parameters(&shared, &at.join("parameters"), at);
        if !kept.is_empty() {
            item.insert("parameters".into(), Value::Sequence(kept));
        }
        for method in METHODS {
            if let Some(Value::Mapping(operation)) = item.get_mut(method) {
                self.operation(operation, &moved, &at.join(method));
            }
        }
    }

    /// Splits 2.0 parameters (at `at`, numbered) into the 3.0 parameters (converted, with
    /// their new places mapped to the old), the body and form ones, resolved, each with its
    /// source pointer, and the media types a `Content-Type` header parameter lists (2.0's
    /// way of saying what a body is sent as; 3.0 ignores such a parameter).
    fn split_parameters(&mut self, parameters: &[Value], at: &Pointer, owner: &Pointer) -> Split {
        let mut split = Split::default();
        let Split {
            kept,
            moved,
            content_types,
        } = &mut split;
        for (index, parameter) in parameters.iter().enumerate() {
            let source = at.join(index);
            let shared = reference(parameter)
                .and_then(|reference| reference.strip_prefix("#/parameters/"))
                .and_then(|name| Some((name, self.parameters.get(name)?.clone())));
            let resolved = shared.as_ref().map_or(parameter, |(_, shared)| shared);
            let listed = content_type_values(resolved);
            if !listed.is_empty() {
                *content_types = listed;
                continue;
            }
            match location(resolved) {
                Some("body") | Some("formData") => {
                    let source = match &shared {
                        Some((name, _)) => Pointer::root().join("parameters").join(name),
                        None => source,
                    };
                    moved.push((resolved.clone(), source));
                }
                _ => {
                    let converted = owner.join("parameters").join(kept.len());
                    self.map.moved(&converted, &source);
                    let mut parameter = parameter.clone();
                    if shared.is_none() {
                        self.parameter(&mut parameter, &converted, &source);
                    }
                    kept.push(parameter);
                }
            }
        }
        split
    }

    fn operation(&mut self, operation: &mut Mapping, inherited: &[(Value, Pointer)], at: &Pointer) {
        let consumes = operation
            .remove("consumes")
            .map_or_else(|| self.consumes.clone(), |list| media_list(Some(&list)));
        let produces = operation
            .remove("produces")
            .map_or_else(|| self.produces.clone(), |list| media_list(Some(&list)));
        operation.remove("schemes");
        let parameters = match operation.remove("parameters") {
            Some(Value::Sequence(parameters)) => parameters,
            _ => Vec::new(),
        };
        let Split {
            kept,
            mut moved,
            content_types,
        } = self.split_parameters(&parameters, &at.join("parameters"), at);
        moved.splice(0..0, inherited.iter().cloned());
        let consumes = match content_types.is_empty() {
            true => consumes,
            false => content_types,
        };
        if !kept.is_empty() {
            operation.insert("parameters".into(), Value::Sequence(kept));
        }
        let body_at = at.join("requestBody");
        let body = moved.iter().find(|(p, _)| location(p) == Some("body"));
        let fields: Vec<&(Value, Pointer)> = moved
            .iter()
            .filter(|(p, _)| location(p) == Some("formData"))
            .collect();
        if let Some((parameter, source)) = body {
            let body = self.body(parameter, &consumes, &body_at, source);
            operation.insert("requestBody".into(), body);
        } else if !fields.is_empty() {
            let body = self.form(&fields, &consumes, &body_at);
            operation.insert("requestBody".into(), body);
        }
        if let Some(Value::Mapping(responses)) = operation.get_mut("responses") {
            for (code, response) in responses.iter_mut() {
                let code = code.as_str().map_or_else(
                    || {
                        serde_yaml::to_string(code)
                            .unwrap_or_default()
                            .trim()
                            .to_owned()
                    },
                    str::to_owned,
                );
                self.response(response, &produces, &at.join("responses").join(code));
            }
        }
    }

    /// A `body` parameter (at `source`) as the request body at `at`, sent as each media type
    /// of `consumes`.
    fn body(
        &mut self,
        parameter: &Value,
        consumes: &[String],
        at: &Pointer,
        source: &Pointer,
    ) -> Value {
        self.map.moved(at, source);
        let mut body = Mapping::new();
        if let Some(description) = parameter.get("description") {
            body.insert("description".into(), description.clone());
        }
        if let Some(required) = parameter.get("required") {
            body.insert("required".into(), required.clone());
        }
        let mut content = Mapping::new();
        for media in consumes {
            let schema_at = at.join("content").join(media).join("schema");
            self.map.moved(&schema_at, &source.join("schema"));
            let mut schema = parameter.get("schema").cloned().unwrap_or_default();
            self.schema(&mut schema, &schema_at);
            let mut entry = Mapping::new();
            entry.insert("schema".into(), schema);
            content.insert(media.as_str().into(), Value::Mapping(entry));
        }
        body.insert("content".into(), Value::Mapping(content));
        Value::Mapping(body)
    }

    /// `formData` parameters as one object body: multipart when a field is a file or
    /// `consumes` lists it first, else form-urlencoded.
    fn form(&mut self, fields: &[&(Value, Pointer)], consumes: &[String], at: &Pointer) -> Value {
        let has_file = fields
            .iter()
            .any(|(field, _)| field.get("type").and_then(Value::as_str) == Some("file"));
        let multipart = "multipart/form-data";
        let form = "application/x-www-form-urlencoded";
        let media = match consumes
            .iter()
            .find(|m| m.as_str() == multipart || m.as_str() == form)
        {
            _ if has_file => multipart,
            Some(media) if media == multipart => multipart,
            _ => form,
        };
        let schema_at = at.join("content").join(media).join("schema");
        let (mut properties, mut required) = (Mapping::new(), Vec::new());
        for (field, source) in fields {
            let Some(name) = field.get("name").and_then(Value::as_str) else {
                continue;
            };
            let property_at = schema_at.join("properties").join(name);
            self.map.moved(&property_at, source);
            let mut schema = value_schema(field);
            if let (Value::Mapping(schema), Some(description)) =
                (&mut schema, field.get("description"))
            {
                schema.insert("description".into(), description.clone());
            }
            self.schema(&mut schema, &property_at);
            properties.insert(name.into(), schema);
            if field.get("required").and_then(Value::as_bool) == Some(true) {
                required.push(Value::from(name));
            }
        }
        let mut schema = Mapping::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Mapping(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Sequence(required));
        }
        let mut entry = Mapping::new();
        entry.insert("schema".into(), Value::Mapping(schema));
        let mut content = Mapping::new();
        content.insert(media.into(), Value::Mapping(entry));
        let mut body = Mapping::new();
        body.insert("content".into(), Value::Mapping(content));
        Value::Mapping(body)
    }

    /// A parameter other than `body` and `formData` (written at `source`, now at `at`): its
    /// value keywords in a `schema`, its `collectionFormat` as a `style`.
    fn parameter(&mut self, parameter: &mut Value, at: &Pointer, source: &Pointer) {
        if reference(parameter).is_some() {
            return;
        }
        let schema = value_schema(parameter);
        let Value::Mapping(fields) = parameter else {
            return;
        };
        let format = fields.remove("collectionFormat");
        for keyword in VALUE_KEYWORDS {
            fields.remove(*keyword);
        }
        let is_array = schema.get("type").and_then(Value::as_str) == Some("array");
        let place = fields
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let format = format.as_ref().and_then(Value::as_str).unwrap_or("csv");
        if is_array {
            let (style, explode) = match (format, place.as_str()) {
                ("multi", _) => ("form", true),
                ("ssv", "query") => ("spaceDelimited", false),
                ("pipes", "query") => ("pipeDelimited", false),
                ("csv", "query" | "cookie") => ("form", false),
                ("csv", _) => ("simple", false),
                (other, _) => {
                    self.diagnostics.warn(
                        source.join("collectionFormat"),
                        format!("`collectionFormat: {other}` has no OpenAPI 3 style here; sent comma-separated"),
                    );
                    match place.as_str() {
                        "query" | "cookie" => ("form", false),
                        _ => ("simple", false),
                    }
                }
            };
            fields.insert("style".into(), style.into());
            fields.insert("explode".into(), explode.into());
        }
        let schema_at = at.join("schema");
        self.map.moved(&schema_at, source);
        let mut schema = schema;
        self.schema(&mut schema, &schema_at);
        fields.insert("schema".into(), schema);
    }

    /// A response: its `schema` as the content of each media type of `produces`, its headers'
    /// value keywords in schemas, its `examples` beside the media types they are for.
    fn response(&mut self, response: &mut Value, produces: &[String], at: &Pointer) {
        if reference(response).is_some() {
            return;
        }
        let Value::Mapping(fields) = response else {
            return;
        };
        let source = self.map.to_source(at.as_str());
        let source = Pointer::from_ref(&source).unwrap_or_else(|| at.clone());
        fields
            .entry("description".into())
            .or_insert_with(|| Value::from(""));
        let examples = match fields.remove("examples") {
            Some(Value::Mapping(examples)) => examples,
            _ => Mapping::new(),
        };
        if let Some(schema) = fields.remove("schema") {
            let mut content = Mapping::new();
            for media in produces {
                let schema_at = at.join("content").join(media).join("schema");
                self.map.moved(&schema_at, &source.join("schema"));
                let mut schema = schema.clone();
                self.schema(&mut schema, &schema_at);
                let mut entry = Mapping::new();
                entry.insert("schema".into(), schema);
                if let Some(example) = examples.get(media.as_str()) {
                    entry.insert("example".into(), example.clone());
                }
                content.insert(media.as_str().into(), Value::Mapping(entry));
            }
            fields.insert("content".into(), Value::Mapping(content));
        }
        if let Some(Value::Mapping(headers)) = fields.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                let name = name.as_str().unwrap_or_default();
                let header_at = at.join("headers").join(name);
                let schema = value_schema(header);
                let Value::Mapping(header_fields) = header else {
                    continue;
                };
                header_fields.remove("collectionFormat");
                for keyword in VALUE_KEYWORDS {
                    header_fields.remove(*keyword);
                }
                self.map.moved(
                    &header_at.join("schema"),
                    &source.join("headers").join(name),
                );
                header_fields.insert("schema".into(), schema);
            }
        }
    }

    fn security_scheme(&mut self, scheme: &mut Value, at: &Pointer) {
        let Value::Mapping(fields) = scheme else {
            return;
        };
        match fields.get("type").and_then(Value::as_str) {
            Some("basic") => {
                fields.insert("type".into(), "http".into());
                fields.insert("scheme".into(), "basic".into());
            }
            Some("oauth2") => {
                let flow = fields.remove("flow");
                let mut settings = Mapping::new();
                for key in ["authorizationUrl", "tokenUrl", "scopes"] {
                    if let Some(value) = fields.remove(key) {
                        settings.insert(key.into(), value);
                    }
                }
                settings
                    .entry("scopes".into())
                    .or_insert_with(|| Value::Mapping(Mapping::new()));
                let name = match flow.as_ref().and_then(Value::as_str) {
                    Some("implicit") => "implicit",
                    Some("password") => "password",
                    Some("application") => "clientCredentials",
                    Some("accessCode") => "authorizationCode",
                    other => {
                        self.diagnostics.warn(
                            at.join("flow"),
                            format!("an OAuth 2 flow must be implicit, password, application or accessCode, not {other:?}; read as implicit"),
                        );
                        "implicit"
                    }
                };
                let mut flows = Mapping::new();
                flows.insert(name.into(), Value::Mapping(settings));
                fields.insert("flows".into(), Value::Mapping(flows));
            }
            _ => {}
        }
    }

    /// A schema and its subschemas: `type: file` is binary, `x-nullable` is `nullable`, a
    /// string `discriminator` names its property.
    fn schema(&mut self, schema: &mut Value, at: &Pointer) {
        let Value::Mapping(fields) = schema else {
            return;
        };
        if fields.get("type").and_then(Value::as_str) == Some("file") {
            fields.insert("type".into(), "string".into());
            fields.insert("format".into(), "binary".into());
        }
        if let Some(nullable) = fields.remove("x-nullable") {
            fields.insert("nullable".into(), nullable);
        }
        if let Some(Value::String(property)) = fields.get("discriminator").cloned() {
            let mut discriminator = Mapping::new();
            discriminator.insert("propertyName".into(), property.into());
            fields.insert("discriminator".into(), Value::Mapping(discriminator));
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(sub) = fields.get_mut(key) {
                self.schema(sub, &at.join(key));
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Sequence(members)) = fields.get_mut(key) {
                for (index, member) in members.iter_mut().enumerate() {
                    self.schema(member, &at.join(key).join(index));
                }
            }
        }
        if let Some(Value::Mapping(properties)) = fields.get_mut("properties") {
            for (name, property) in properties.iter_mut() {
                let name = name.as_str().unwrap_or_default();
                self.schema(property, &at.join("properties").join(name));
            }
        }
    }
}

/// The schema of a parameter, header or items object: its value keywords, items converted
/// alike.
fn value_schema(object: &Value) -> Value {
    let mut schema = Mapping::new();
    for keyword in VALUE_KEYWORDS {
        if let Some(value) = object.get(*keyword) {
            let value = match *keyword {
                "items" => value_schema(value),
                _ => value.clone(),
            };
            schema.insert((*keyword).into(), value);
        }
    }
    if schema.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert("type".into(), "string".into());
        schema.insert("format".into(), "binary".into());
    }
    Value::Mapping(schema)
}

/// An operation's parameters as 3.0 holds them.
#[derive(Default)]
struct Split {
    kept: Vec<Value>,
    moved: Vec<(Value, Pointer)>,
    content_types: Vec<String>,
}

/// The media types a `Content-Type` header parameter allows (its `enum`, else its
/// `default`); none for any other parameter.
fn content_type_values(parameter: &Value) -> Vec<String> {
    let is_content_type = location(parameter) == Some("header")
        && parameter
            .get("name")
            .and_then(Value::as_str)
            .is_some_and(|name| name.eq_ignore_ascii_case("content-type"));
    if !is_content_type {
        return Vec::new();
    }
    match (parameter.get("enum"), parameter.get("default")) {
        (Some(Value::Sequence(values)), _) => values
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        (_, Some(Value::String(value))) => vec![value.clone()],
        _ => Vec::new(),
    }
}

fn location(parameter: &Value) -> Option<&str> {
    parameter.get("in").and_then(Value::as_str)
}

fn reference(node: &Value) -> Option<&str> {
    node.get("$ref").and_then(Value::as_str)
}

/// A `consumes` or `produces` list; [`DEFAULT_MEDIA`] when it lists nothing.
fn media_list(list: Option<&Value>) -> Vec<String> {
    let listed: Vec<String> = match list {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    match listed.is_empty() {
        true => vec![DEFAULT_MEDIA.to_owned()],
        false => listed,
    }
}

fn insert_all(components: &mut Mapping, section: &str, entries: Mapping) {
    if entries.is_empty() {
        return;
    }
    let slot = components
        .entry(section.into())
        .or_insert_with(|| Value::Mapping(Mapping::new()));
    if let Value::Mapping(existing) = slot {
        existing.extend(entries);
    }
}

/// Rewrites every `$ref` to where its target went: `#/definitions/X` to
/// `#/components/schemas/X`, `#/responses/X` to `#/components/responses/X`, `#/parameters/X`
/// to `#/components/parameters/X` (a `body` one to `#/components/requestBodies/X`, where an
/// operation's body names it). Examples are data, and left as they are (a `default` is a
/// response too).
fn rewrite_references(node: &mut Value, parameters: &Mapping) {
    match node {
        Value::Mapping(fields) => {
            for (key, value) in fields.iter_mut() {
                let key = key.as_str().unwrap_or_default();
                if key == "$ref" {
                    if let Value::String(reference) = value {
                        *reference = rewritten(reference, parameters);
                    }
                } else if !matches!(key, "example" | "examples" | "x-example") {
                    rewrite_references(value, parameters);
                }
            }
        }
        Value::Sequence(items) => {
            for item in items {
                rewrite_references(item, parameters);
            }
        }
        _ => {}
    }
}

fn rewritten(reference: &str, parameters: &Mapping) -> String {
    let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let fragment = if let Some(name) = fragment.strip_prefix("/definitions/") {
        format!("/components/schemas/{name}")
    } else if let Some(name) = fragment.strip_prefix("/responses/") {
        format!("/components/responses/{name}")
    } else if let Some(name) = fragment.strip_prefix("/parameters/") {
        match parameters.get(name).and_then(location) {
            Some("body") => format!("/components/requestBodies/{name}"),
            _ => format!("/components/parameters/{name}"),
        }
    } else {
        return reference.to_owned();
    };
    format!("{file}#{fragment}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLINIC: &str = r##"swagger: "2.0"
info: {title: Clinic, version: "1"}
host: clinic.test
basePath: /api
schemes: [http, https]
produces: [application/json, application/xml]
securityDefinitions:
  basic: {type: basic}
  partner:
    type: oauth2
    flow: accessCode
    authorizationUrl: https://clinic.test/authorize
    tokenUrl: https://clinic.test/token
    scopes: {read: Read}
parameters:
  pet: {name: pet, in: body, schema: {$ref: "#/definitions/Pet"}}
  ids: {name: ids, in: query, type: array, items: {type: integer}}
definitions:
  Pet:
    type: object
    discriminator: kind
    properties:
      kind: {type: string}
      photo: {type: file}
      nickname: {type: string, x-nullable: true}
paths:
  /pets:
    parameters:
      - $ref: "#/parameters/ids"
    post:
      parameters:
        - name: tags
          in: query
          type: array
          items: {type: string}
          collectionFormat: tsv
        - $ref: "#/parameters/pet"
      responses:
        "200":
          description: ok
          schema: {$ref: "#/definitions/Pet"}
          examples: {application/json: {kind: dog}}
          headers:
            X-Rate: {type: integer}
        default:
          description: an error
          schema: {$ref: "#/definitions/Pet"}
"##;

    fn converted() -> (serde_json::Value, SourceMap, Vec<String>) {
        let mut tree: Value = serde_yaml::from_str(CLINIC).expect("YAML");
        let mut diagnostics = Diagnostics::default();
        let map = convert(&mut tree, &mut diagnostics);
        let warnings = diagnostics
            .into_vec()
            .iter()
            .map(|d| format!("{}: {}", d.pointer, d.reason))
            .collect();
        (serde_json::to_value(&tree).expect("JSON"), map, warnings)
    }

    #[test]
    fn a_2_0_tree_becomes_the_3_0_tree_it_means() {
        let (tree, _, warnings) = converted();
        assert_eq!(tree["openapi"], "3.0.3");
        assert_eq!(
            tree["servers"],
            serde_json::json!([{"url": "http://clinic.test/api"}, {"url": "https://clinic.test/api"}])
        );
        let components = &tree["components"];
        assert_eq!(
            components["schemas"]["Pet"],
            serde_json::json!({
                "type": "object",
                "discriminator": {"propertyName": "kind"},
                "properties": {
                    "kind": {"type": "string"},
                    "photo": {"type": "string", "format": "binary"},
                    "nickname": {"type": "string", "nullable": true}
                }
            })
        );
        assert_eq!(
            components["securitySchemes"],
            serde_json::json!({
                "basic": {"type": "http", "scheme": "basic"},
                "partner": {"type": "oauth2", "flows": {"authorizationCode": {
                    "authorizationUrl": "https://clinic.test/authorize",
                    "tokenUrl": "https://clinic.test/token",
                    "scopes": {"read": "Read"}
                }}}
            })
        );
        assert_eq!(
            components["parameters"]["ids"],
            serde_json::json!({"name": "ids", "in": "query", "style": "form", "explode": false,
                "schema": {"type": "array", "items": {"type": "integer"}}})
        );
        assert_eq!(
            components["requestBodies"]["pet"]["content"]["application/json"]["schema"],
            serde_json::json!({"$ref": "#/components/schemas/Pet"})
        );
        let path = &tree["paths"]["/pets"];
        assert_eq!(
            path["parameters"],
            serde_json::json!([{"$ref": "#/components/parameters/ids"}])
        );
        let post = &path["post"];
        assert_eq!(post["parameters"][0]["style"], "form");
        assert_eq!(
            post["requestBody"]["content"]["application/json"]["schema"],
            serde_json::json!({"$ref": "#/components/schemas/Pet"})
        );
        let ok = &post["responses"]["200"];
        assert_eq!(
            ok["content"]["application/xml"]["schema"],
            serde_json::json!({"$ref": "#/components/schemas/Pet"})
        );
        assert_eq!(
            ok["content"]["application/json"]["example"],
            serde_json::json!({"kind": "dog"})
        );
        assert_eq!(
            ok["headers"]["X-Rate"],
            serde_json::json!({"schema": {"type": "integer"}})
        );
        assert_eq!(
            post["responses"]["default"]["content"]["application/json"]["schema"],
            serde_json::json!({"$ref": "#/components/schemas/Pet"})
        );
        assert_eq!(
            warnings,
            ["#/paths/~1pets/post/parameters/0/collectionFormat: `collectionFormat: tsv` has no \
              OpenAPI 3 style here; sent comma-separated"]
        );
    }

    #[test]
    fn a_content_type_header_parameter_says_what_the_body_is_sent_as() {
        let text = r#"swagger: "2.0"
info: {title: Builds, version: "1"}
consumes: [application/octet-stream]
paths:
  /build:
    post:
      parameters:
        - {name: context, in: body, schema: {type: string, format: binary}}
        - {name: Content-type, in: header, type: string, enum: [application/x-tar]}
        - {name: tag, in: query, type: string}
      responses: {"200": {description: ok}}
"#;
        let mut tree: Value = serde_yaml::from_str(text).expect("YAML");
        let map = convert(&mut tree, &mut Diagnostics::default());
        let post = &tree["paths"]["/build"]["post"];
        let content = post["requestBody"]["content"]
            .as_mapping()
            .expect("content");
        let media: Vec<&str> = content.keys().filter_map(Value::as_str).collect();
        assert_eq!(media, ["application/x-tar"]);
        // The header parameter is gone; the query one keeps its source place.
        assert_eq!(post["parameters"].as_sequence().map(Vec::len), Some(1));
        assert_eq!(
            map.to_source("#/paths/~1build/post/parameters/0"),
            "#/paths/~1build/post/parameters/2"
        );
    }

    #[test]
    fn each_moved_node_maps_back_to_where_the_source_wrote_it() {
        let (_, map, _) = converted();
        for (converted, source) in [
            ("#/openapi", "#/swagger"),
            ("#/servers/1/url", "#/host/url"),
            (
                "#/components/schemas/Pet/properties/kind",
                "#/definitions/Pet/properties/kind",
            ),
            (
                "#/components/parameters/ids/schema/items",
                "#/parameters/ids/items",
            ),
            ("#/components/requestBodies/pet", "#/parameters/pet"),
            (
                "#/paths/~1pets/post/parameters/0/schema",
                "#/paths/~1pets/post/parameters/0",
            ),
            (
                "#/paths/~1pets/post/requestBody/content/application~1json/schema",
                "#/parameters/pet/schema",
            ),
            (
                "#/paths/~1pets/post/responses/200/content/application~1xml/schema/x",
                "#/paths/~1pets/post/responses/200/schema/x",
            ),
            (
                "#/paths/~1pets/post/responses/200/headers/X-Rate/schema",
                "#/paths/~1pets/post/responses/200/headers/X-Rate",
            ),
            (
                "#/components/securitySchemes/basic",
                "#/securityDefinitions/basic",
            ),
            ("#/info/title", "#/info/title"),
        ] {
            assert_eq!(map.to_source(converted), source, "{converted}");
        }
    }

    #[test]
    fn warnings_about_a_2_0_description_point_into_its_source() {
        let text = CLINIC.replace(
            "photo: {type: file}",
            "photo: {type: file}\n      odd: {type: strng}",
        );
        let described = crate::describe_from_str(
            &text,
            std::path::Path::new("clinic.yaml"),
            &crate::Settings::default(),
        )
        .expect("described");
        let found: Vec<(String, Option<(usize, usize)>)> = described
            .warnings
            .iter()
            .map(|w| (w.pointer.clone(), w.location))
            .collect();
        assert!(
            found.contains(&(
                "#/definitions/Pet/properties/odd/type".to_owned(),
                Some((25, 13))
            )),
            "{found:?}"
        );
        assert!(
            found.contains(&(
                "#/paths/~1pets/post/parameters/0/collectionFormat".to_owned(),
                Some((37, 11))
            )),
            "{found:?}"
        );
    }
}
