//! The degradation ladder's first rungs: the parts of a description that openapiv3 cannot
//! read are degraded one unit at a time, the smallest that holds the problem, each with a
//! warning at the deepest node that fails. The rest of the document is left exactly as it is.
//!
//! | unit that does not read | becomes |
//! |---|---|
//! | a schema | `{}` (any value), its `description` kept |
//! | a response without `description` | read with an empty one (no warning: it is prose) |
//! | a parameter, a request body, a response | left out of its operation |
//! | an operation without `responses` | one with none (`{}`) |
//! | an operation, a path item | left out |
//! | a component of another kind, a server, a tag, root `security` | left out |
//! | `info` | its readable `title`/`version`/`description`, else `API`/`0.0.0` |
//!
//! Only run when the document as a whole does not deserialize, so a valid description costs
//! nothing here.

use openapiv3::{
    Callback, Example, Header, Info, Link, Operation, Parameter, PathItem, ReferenceOr,
    RequestBody, Response, Schema, SecurityRequirement, SecurityScheme, Server, Tag,
};
use serde::de::DeserializeOwned;
use serde_yaml::{Mapping, Value};

use super::normalise::{for_each_subschema, METHODS};
use super::path_pointer;
use crate::diagnostics::Diagnostics;
use crate::pointer::Pointer;

/// Degrades every unit of `tree` that does not deserialize, deepest first.
pub fn repair(tree: &mut Value, diagnostics: &mut Diagnostics) {
    let mut repair = Repair { diagnostics };
    let root = Pointer::root();
    repair.info(tree.get_mut("info"), &root.join("info"));
    repair.list::<Server>(tree.get_mut("servers"), &root.join("servers"), "server");
    repair.list::<Tag>(tree.get_mut("tags"), &root.join("tags"), "tag");
    repair.list::<SecurityRequirement>(
        tree.get_mut("security"),
        &root.join("security"),
        "security requirement",
    );
    if let Some(Value::Mapping(paths)) = tree.get_mut("paths") {
        let at = root.join("paths");
        retain(paths, |path, item| repair.path_item(item, &at.join(path)));
    }
    let Some(Value::Mapping(components)) = tree.get_mut("components") else {
        return;
    };
    let at = root.join("components");
    for (section, value) in components.iter_mut() {
        let (Some(section), Value::Mapping(entries)) = (section.as_str(), value) else {
            continue;
        };
        let at = at.join(section);
        retain(entries, |name, entry| {
            let at = at.join(name);
            match section {
                "schemas" => {
                    repair.schema(entry, &at);
                    true
                }
                "parameters" => repair.parameter(entry, &at),
                "headers" => repair.unit::<ReferenceOr<Header>>(entry, &at, "header"),
                "requestBodies" => repair.request_body(entry, &at),
                "responses" => repair.response(entry, &at),
                "securitySchemes" => {
                    repair.unit::<ReferenceOr<SecurityScheme>>(entry, &at, "security scheme")
                }
                "examples" => repair.unit::<ReferenceOr<Example>>(entry, &at, "example"),
                "links" => repair.unit::<ReferenceOr<Link>>(entry, &at, "link"),
                "callbacks" => repair.unit::<ReferenceOr<Callback>>(entry, &at, "callback"),
                "pathItems" => repair.path_item(entry, &at),
                _ => true,
            }
        });
    }
}

struct Repair<'d> {
    diagnostics: &'d mut Diagnostics,
}

/// Keeps the entries of a mapping for which `keep(key, value)` is true.
fn retain(map: &mut Mapping, mut keep: impl FnMut(&str, &mut Value) -> bool) {
    let keys: Vec<Value> = map.keys().cloned().collect();
    for key in keys {
        let name = key
            .as_str()
            .map_or_else(|| format!("{key:?}"), str::to_owned);
        let kept = map.get_mut(&key).is_some_and(|value| keep(&name, value));
        if !kept {
            map.remove(&key);
        }
    }
}

/// Why `node` does not read as a `T`: the pointer of the deepest node that fails below
/// `at`, and serde's reason.
fn failure<T: DeserializeOwned>(node: &Value, at: &Pointer) -> Option<(Pointer, String)> {
    let error = serde_path_to_error::deserialize::<_, T>(node).err()?;
    let mut pointer = at.clone();
    for token in path_pointer(error.path()).tokens() {
        pointer = pointer.join(token);
    }
    Some((pointer, error.inner().to_string()))
}

impl Repair<'_> {
    /// Whether `node` reads as a `T`; when not, a warning that it is left out.
    fn unit<T: DeserializeOwned>(&mut self, node: &Value, at: &Pointer, what: &str) -> bool {
        match failure::<T>(node, at) {
            None => true,
            Some((pointer, reason)) => {
                self.diagnostics.warn(
                    pointer,
                    format!("not a valid {what} ({reason}); the {what} at {at} is left out"),
                );
                false
            }
        }
    }

    fn list<T: DeserializeOwned>(&mut self, node: Option<&mut Value>, at: &Pointer, what: &str) {
        match node {
            Some(Value::Sequence(items)) => {
                let mut index = 0;
                items.retain(|item| {
                    let kept = self.unit::<T>(item, &at.join(index), what);
                    index += 1;
                    kept
                });
            }
            Some(other) => {
                self.diagnostics
                    .warn(at, format!("expected a list of each {what}; left out"));
                *other = Value::Sequence(Vec::new());
            }
            None => {}
        }
    }

    fn info(&mut self, node: Option<&mut Value>, at: &Pointer) {
        let Some(node) = node else { return };
        let Some((pointer, reason)) = failure::<Info>(node, at) else {
            return;
        };
        let text = |key: &str| node.get(key).and_then(Value::as_str).map(str::to_owned);
        let mut info = Mapping::new();
        info.insert("title".into(), text("title").unwrap_or("API".into()).into());
        info.insert(
            "version".into(),
            text("version").unwrap_or("0.0.0".into()).into(),
        );
        if let Some(description) = text("description") {
            info.insert("description".into(), description.into());
        }
        if let Value::Mapping(original) = node {
            for (key, value) in original.iter() {
                if key.as_str().is_some_and(|key| key.starts_with("x-")) {
                    info.insert(key.clone(), value.clone());
                }
            }
        }
        self.diagnostics.warn(
            pointer,
            format!("not a valid info object ({reason}); only its title, version and description are read"),
        );
        *node = Value::Mapping(info);
    }

    /// A path item: its parameters and operations degraded one by one, then the whole item
    /// left out when it still does not read.
    fn path_item(&mut self, item: &mut Value, at: &Pointer) -> bool {
        if let Some(Value::Sequence(parameters)) = item.get_mut("parameters") {
            self.parameters(parameters, &at.join("parameters"));
        }
        if let Value::Mapping(methods) = item {
            for method in METHODS {
                let Some(operation) = methods.get_mut(method) else {
                    continue;
                };
                if !self.operation(operation, &at.join(method)) {
                    methods.remove(method);
                }
            }
        }
        self.unit::<ReferenceOr<PathItem>>(item, at, "path item")
    }

    fn parameters(&mut self, parameters: &mut Vec<Value>, at: &Pointer) {
        let mut index = 0;
        parameters.retain_mut(|parameter| {
            let kept = self.parameter(parameter, &at.join(index));
            index += 1;
            kept
        });
    }

    fn operation(&mut self, operation: &mut Value, at: &Pointer) -> bool {
        let Value::Mapping(fields) = operation else {
            return self.unit::<Operation>(operation, at, "operation");
        };
        if let Some(Value::Sequence(parameters)) = fields.get_mut("parameters") {
            self.parameters(parameters, &at.join("parameters"));
        }
        if let Some(body) = fields.get_mut("requestBody") {
            if !self.request_body(body, &at.join("requestBody")) {
                fields.remove("requestBody");
            }
        }
        match fields.get_mut("responses") {
            Some(Value::Mapping(responses)) => {
                let at = at.join("responses");
                retain(responses, |code, response| {
                    self.response(response, &at.join(code))
                });
            }
            Some(_) => {}
            None => {
                self.diagnostics.warn(
                    at,
                    "an operation without `responses`; read as one that declares none",
                );
                fields.insert("responses".into(), Value::Mapping(Mapping::new()));
            }
        }
        self.unit::<Operation>(operation, at, "operation")
    }

    fn parameter(&mut self, parameter: &mut Value, at: &Pointer) -> bool {
        if let Some(schema) = parameter.get_mut("schema") {
            self.schema(schema, &at.join("schema"));
        }
        self.content(parameter, at);
        self.unit::<ReferenceOr<Parameter>>(parameter, at, "parameter")
    }

    fn request_body(&mut self, body: &mut Value, at: &Pointer) -> bool {
        self.content(body, at);
        self.unit::<ReferenceOr<RequestBody>>(body, at, "request body")
    }

    fn response(&mut self, response: &mut Value, at: &Pointer) -> bool {
        // A response without its `description` (documentation only) is read as it is.
        if let Value::Mapping(fields) = response {
            if !fields.contains_key("$ref") {
                fields
                    .entry("description".into())
                    .or_insert_with(|| Value::String(String::new()));
            }
        }
        if let Some(Value::Mapping(headers)) = response.get_mut("headers") {
            let at = at.join("headers");
            retain(headers, |name, header| {
                let at = at.join(name);
                if let Some(schema) = header.get_mut("schema") {
                    self.schema(schema, &at.join("schema"));
                }
                self.unit::<ReferenceOr<Header>>(header, &at, "header")
            });
        }
        self.content(response, at);
        self.unit::<ReferenceOr<Response>>(response, at, "response")
    }

    fn content(&mut self, holder: &mut Value, at: &Pointer) {
        let Some(Value::Mapping(content)) = holder.get_mut("content") else {
            return;
        };
        let at = at.join("content");
        for (media, value) in content.iter_mut() {
            let media = media.as_str().unwrap_or_default();
            if let Some(schema) = value.get_mut("schema") {
                self.schema(schema, &at.join(media).join("schema"));
            }
        }
    }

    /// A schema: its subschemas first, then the schema itself becomes `{}` (any value, its
    /// description kept) when it still does not read.
    fn schema(&mut self, schema: &mut Value, at: &Pointer) {
        if let Value::Mapping(map) = schema {
            for_each_subschema(map, at, &mut |child, at| self.schema(child, at));
        }
        let Some((pointer, reason)) = failure::<ReferenceOr<Schema>>(schema, at) else {
            return;
        };
        self.diagnostics.warn(
            pointer,
            format!("not a valid schema ({reason}); typed as `serde_json::Value`"),
        );
        let mut any = Mapping::new();
        if let Some(description) = schema.get("description").filter(|d| d.is_string()) {
            any.insert("description".into(), description.clone());
        }
        *schema = Value::Mapping(any);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(yaml: &str) -> (Value, Vec<String>) {
        let mut tree: Value = serde_yaml::from_str(yaml).expect("test YAML");
        let mut diagnostics = Diagnostics::default();
        repair(&mut tree, &mut diagnostics);
        let warnings = diagnostics
            .into_vec()
            .into_iter()
            .map(|d| d.pointer)
            .collect();
        (tree, warnings)
    }

    #[test]
    fn each_unit_degrades_alone() {
        let (tree, warnings) = repaired(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      \
             parameters:\n        - {name: ok, in: query, schema: {type: string}}\n        \
             - {name: bad, in: nowhere}\n      responses:\n        '200':\n          \
             description: ok\n          content:\n            application/json:\n              \
             schema: {type: object, properties: {n: {type: integer, minimum: [1]}, s: {type: string}}}\n        \
             '404': {content: 7}\n    post: 12\n  /b:\n    get: {}\n",
        );
        let get = &tree["paths"]["/a"]["get"];
        assert_eq!(get["parameters"].as_sequence().map(Vec::len), Some(1));
        let properties =
            &get["responses"]["200"]["content"]["application/json"]["schema"]["properties"];
        assert_eq!(properties["n"], Value::Mapping(Mapping::new()));
        assert_eq!(properties["s"]["type"], Value::from("string"));
        assert!(get["responses"].get("404").is_none());
        assert!(tree["paths"]["/a"].get("post").is_none());
        assert_eq!(
            tree["paths"]["/b"]["get"]["responses"],
            Value::Mapping(Mapping::new())
        );
        assert_eq!(
            warnings,
            [
                "#/paths/~1a/get/parameters/1",
                "#/paths/~1a/get/responses/200/content/application~1json/schema/properties/n",
                "#/paths/~1a/get/responses/404",
                "#/paths/~1a/post",
                "#/paths/~1b/get",
            ]
        );
    }
}
