//! Rewrites a description's schemas, in the raw tree, into the forms openapiv3 reads (3.0):
//! `type: [T, "null"]`, `{type: "null"}` members, `const`, numeric exclusive bounds,
//! `examples`, and boolean schemas. 3.1 documents use these forms by right; a 3.0 document
//! that uses them (OpenAI's own does) is read the same way, with a warning at each.

use serde_yaml::{Mapping, Value};

use super::openapi_3_2::ADDITIONAL_OPERATIONS;
use crate::diagnostics::Diagnostics;
use crate::pointer::Pointer;

/// Normalises every schema of `tree` (a 3.1 document when `is_3_1`).
pub fn normalise(tree: &mut Value, is_3_1: bool, diagnostics: &mut Diagnostics) {
    let mut booleans = Vec::new();
    Walker {
        visit: &mut |map, at| {
            let forms = normalise_3_1(map);
            if !is_3_1 && !forms.is_empty() {
                let forms = forms.join(", ");
                diagnostics.warn(
                    at,
                    format!("{forms}: OpenAPI 3.1, not 3.0; read as 3.1 reads it"),
                );
            }
            clamp_integer_bounds(map);
            drop_mistyped_keywords(map, at, diagnostics);
            distribute_required(map);
            compose_objects(map);
        },
        boolean: &mut |at, replaced| booleans.push((at.clone(), replaced)),
    }
    .document(tree);
    // 3.0's `x-webhooks` are an extension, held to no version's rules.
    let sections: &[&str] = match is_3_1 {
        true => &["paths", "webhooks", "x-webhooks"],
        false => &["x-webhooks"],
    };
    optional_responses(tree, sections);
    for (at, replaced) in booleans {
        let reason = match replaced {
            Boolean::Any if is_3_1 => continue,
            Boolean::Any => "the boolean schema `true` is OpenAPI 3.1, not 3.0; typed as any value",
            Boolean::ForbiddenMember if is_3_1 => continue,
            Boolean::ForbiddenMember => {
                "the boolean schema `false` is OpenAPI 3.1, not 3.0; the member is left out"
            }
            Boolean::Nothing => "the schema `false` allows no value; typed as any value",
        };
        diagnostics.warn(at, reason);
    }
}

/// The shape of value openapiv3 reads for a schema keyword.
#[derive(Clone, Copy)]
enum Shape {
    Text,
    Flag,
    Number,
    Integer,
    Count,
    Mapping,
    MappingOrFlag,
    List,
}

impl Shape {
    /// The shape of `keyword`'s value in a schema whose `type` is `ty`, for the keywords whose
    /// value openapiv3 reads into a type of its own.
    fn of(keyword: &str, ty: Option<&str>) -> Option<Self> {
        let bound = match ty {
            Some("integer") => Self::Integer,
            _ => Self::Number,
        };
        Some(match keyword {
            "type" | "format" | "pattern" | "title" | "description" => Self::Text,
            "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems"
            | "exclusiveMinimum" | "exclusiveMaximum" => Self::Flag,
            "minimum" | "maximum" | "multipleOf" => bound,
            "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties"
            | "maxProperties" => Self::Count,
            "properties" | "discriminator" | "externalDocs" | "xml" => Self::Mapping,
            // A boolean schema is made a schema object when its own turn comes.
            "items" | "not" | "additionalProperties" => Self::MappingOrFlag,
            "allOf" | "oneOf" | "anyOf" | "required" | "enum" => Self::List,
            _ => return None,
        })
    }

    fn fits(self, value: &Value) -> bool {
        match self {
            Self::Text => value.is_string(),
            Self::Flag => value.is_bool(),
            Self::Number => value.is_number(),
            Self::Integer => value.as_i64().is_some(),
            Self::Count => value.as_u64().is_some(),
            Self::Mapping => value.is_mapping(),
            Self::MappingOrFlag => value.is_mapping() || value.is_bool(),
            Self::List => value.is_sequence(),
        }
    }

    fn described(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Flag => "`true` or `false`",
            Self::Number => "a number",
            Self::Integer => "an integer",
            Self::Count => "a count (an integer, 0 or more)",
            Self::Mapping => "a mapping",
            Self::MappingOrFlag => "a mapping, `true` or `false`",
            Self::List => "a list",
        }
    }
}

/// Whether the members of a keyword that is an object of its own (`discriminator`,
/// `externalDocs`, `xml`) have the shapes openapiv3 reads.
fn members_fit(keyword: &str, value: &Value) -> bool {
    let text = |member: &str, required: bool| match value.get(member) {
        None | Some(Value::Null) => !required,
        Some(member) => member.is_string(),
    };
    let flag = |member: &str| value.get(member).is_none_or(|m| m.is_bool() || m.is_null());
    match keyword {
        "discriminator" => {
            text("propertyName", true)
                && value.get("mapping").is_none_or(|mapping| match mapping {
                    Value::Mapping(entries) => entries.values().all(Value::is_string),
                    other => other.is_null(),
                })
        }
        "externalDocs" => text("url", true) && text("description", false),
        "xml" => {
            text("name", false)
                && text("namespace", false)
                && text("prefix", false)
                && flag("attribute")
                && flag("wrapped")
        }
        _ => true,
    }
}

/// Leaves out, with a warning, each keyword of a schema whose value openapiv3 cannot read
/// (`maxLength: "ten"`, `items: 7`, `type: string` with `enum: [1]`). openapiv3 would refuse
/// the whole schema, and it tries each nested schema as each of its variants in turn, so one
/// such value deep in a nest cost time exponential in the depth above it.
fn drop_mistyped_keywords(map: &mut Mapping, at: &Pointer, diagnostics: &mut Diagnostics) {
    // A reference is read as one: openapiv3 passes over what stands beside `$ref`.
    if map.contains_key("$ref") {
        return;
    }
    let ty = map.get("type").and_then(Value::as_str).map(str::to_owned);
    let item_fits = |item: &Value| match ty.as_deref() {
        _ if item.is_null() => true,
        Some("string") => item.is_string(),
        Some("integer") => item.as_i64().is_some(),
        Some("number") => item.is_number(),
        Some("boolean") => item.is_bool(),
        _ => true,
    };
    let mistyped: Vec<(String, String)> = map
        .iter()
        .filter_map(|(key, value)| {
            let key = key.as_str()?;
            // A list of types is 3.1's; what it cannot say is degraded with the schema.
            if key == "type" && value.is_sequence() {
                return None;
            }
            // openapiv3 reads `null` as the keyword left out.
            if key != "type" && value.is_null() {
                return None;
            }
            let shape = Shape::of(key, ty.as_deref())?;
            let reason = if !shape.fits(value) {
                format!("`{key}` should be {}; left out", shape.described())
            } else if key == "enum" && !value.as_sequence()?.iter().all(item_fits) {
                let ty = ty.as_deref().unwrap_or_default();
                format!("`enum` has a value that is not of the schema's type `{ty}`; left out")
            } else if !members_fit(key, value) {
                format!("`{key}` has a member openapiv3 cannot read; left out")
            } else {
                return None;
            };
            Some((key.to_owned(), reason))
        })
        .collect();
    for (key, reason) in mistyped {
        map.remove(key.as_str());
        diagnostics.warn(at.join(&key), reason);
    }
}

/// 3.1 makes an operation's `responses` optional; openapiv3 (3.0) requires them, so an
/// operation of the path items of `sections` without gets none (`{}`).
fn optional_responses(tree: &mut Value, sections: &[&str]) {
    for section in sections {
        let Some(Value::Mapping(items)) = tree.get_mut(section) else {
            continue;
        };
        for item in items.values_mut() {
            let mut operations: Vec<&mut Value> = Vec::new();
            if let Value::Mapping(item) = item {
                for (key, value) in item.iter_mut() {
                    let key = key.as_str().unwrap_or_default();
                    if METHODS.contains(&key) {
                        operations.push(value);
                    } else if key == ADDITIONAL_OPERATIONS {
                        if let Value::Mapping(additional) = value {
                            operations.extend(additional.values_mut());
                        }
                    }
                }
            }
            for operation in operations {
                if let Value::Mapping(operation) = operation {
                    operation
                        .entry("responses".into())
                        .or_insert_with(|| Value::Mapping(Mapping::new()));
                }
            }
        }
    }
}

/// What a boolean schema was replaced by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Boolean {
    /// `true`: a schema without constraints.
    Any,
    /// `false` as a property: the member is left out of its object (never sent; when
    /// received, kept with the unknown members).
    ForbiddenMember,
    /// `false` anywhere else: a schema without constraints, since nothing could be typed.
    Nothing,
}

/// Visits every schema position of a document with pointers: `visit` gets each schema
/// object before its subschemas; `boolean` gets each boolean schema after it was replaced.
struct Walker<'v> {
    visit: &'v mut dyn FnMut(&mut Mapping, &Pointer),
    boolean: &'v mut dyn FnMut(&Pointer, Boolean),
}

pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Walker<'_> {
    fn document(&mut self, tree: &mut Value) {
        let root = Pointer::root();
        for section in ["paths", "webhooks", "x-webhooks"] {
            for_each_entry(tree.get_mut(section), &root.join(section), |item, at| {
                self.path_item(item, at)
            });
        }
        let Some(components) = tree.get_mut("components") else {
            return;
        };
        let at = root.join("components");
        for_each_entry(
            components.get_mut("schemas"),
            &at.join("schemas"),
            |schema, at| self.schema(schema, at),
        );
        for kind in ["parameters", "headers"] {
            for_each_entry(components.get_mut(kind), &at.join(kind), |parameter, at| {
                self.parameter(parameter, at)
            });
        }
        for_each_entry(
            components.get_mut("requestBodies"),
            &at.join("requestBodies"),
            |body, at| self.content(body, at),
        );
        for_each_entry(
            components.get_mut("responses"),
            &at.join("responses"),
            |response, at| self.response(response, at),
        );
        for_each_entry(
            components.get_mut("pathItems"),
            &at.join("pathItems"),
            |item, at| self.path_item(item, at),
        );
    }

    fn path_item(&mut self, item: &mut Value, at: &Pointer) {
        for_each_entry(
            item.get_mut("parameters"),
            &at.join("parameters"),
            |parameter, at| self.parameter(parameter, at),
        );
        let Some(item) = item.as_mapping_mut() else {
            return;
        };
        for (key, value) in item.iter_mut() {
            let key = key.as_str().unwrap_or_default();
            if METHODS.contains(&key) {
                self.operation(value, &at.join(key));
            } else if key == ADDITIONAL_OPERATIONS {
                for_each_entry(Some(value), &at.join(key), |operation, at| {
                    self.operation(operation, at)
                });
            }
        }
    }

    fn operation(&mut self, operation: &mut Value, at: &Pointer) {
        for_each_entry(
            operation.get_mut("parameters"),
            &at.join("parameters"),
            |parameter, at| self.parameter(parameter, at),
        );
        if let Some(body) = operation.get_mut("requestBody") {
            self.content(body, &at.join("requestBody"));
        }
        for_each_entry(
            operation.get_mut("responses"),
            &at.join("responses"),
            |response, at| self.response(response, at),
        );
    }

    fn parameter(&mut self, parameter: &mut Value, at: &Pointer) {
        if let Some(schema) = parameter.get_mut("schema") {
            self.schema(schema, &at.join("schema"));
        }
        self.content(parameter, at);
    }

    fn response(&mut self, response: &mut Value, at: &Pointer) {
        for_each_entry(
            response.get_mut("headers"),
            &at.join("headers"),
            |header, at| self.parameter(header, at),
        );
        self.content(response, at);
    }

    fn content(&mut self, holder: &mut Value, at: &Pointer) {
        for_each_entry(
            holder.get_mut("content"),
            &at.join("content"),
            |media, at| {
                if let Some(schema) = media.get_mut("schema") {
                    self.schema(schema, &at.join("schema"));
                }
            },
        );
    }

    /// Rewrites one schema, then each of its subschemas. Only schema positions are visited,
    /// so a property or example named like a keyword is left alone.
    fn schema(&mut self, schema: &mut Value, at: &Pointer) {
        if let Value::Bool(allowed) = *schema {
            *schema = Value::Mapping(Mapping::new());
            (self.boolean)(
                at,
                if allowed {
                    Boolean::Any
                } else {
                    Boolean::Nothing
                },
            );
            return;
        }
        let Some(map) = schema.as_mapping_mut() else {
            return;
        };
        (self.visit)(map, at);
        // A property that allows no value is never sent: it leaves the object.
        if let Some(Value::Mapping(properties)) = map.get_mut("properties") {
            let forbidden: Vec<Value> = properties
                .iter()
                .filter(|(_, child)| child.as_bool() == Some(false))
                .map(|(name, _)| name.clone())
                .collect();
            for name in &forbidden {
                properties.remove(name);
                let name = name.as_str().unwrap_or_default();
                (self.boolean)(&at.join("properties").join(name), Boolean::ForbiddenMember);
            }
            if !forbidden.is_empty() {
                if let Some(Value::Sequence(required)) = map.get_mut("required") {
                    required.retain(|name| !forbidden.contains(name));
                }
            }
        }
        for_each_subschema(map, at, &mut |child, at| self.schema(child, at));
    }
}

/// Calls `visit` with each subschema of a schema object and its pointer: `items`, `not`,
/// `additionalProperties` (unless a boolean, which 3.0 allows there too), each property and
/// pattern property, and each member of `allOf`, `anyOf`, `oneOf` and `prefixItems`.
pub(super) fn for_each_subschema(
    map: &mut Mapping,
    at: &Pointer,
    visit: &mut dyn FnMut(&mut Value, &Pointer),
) {
    for keyword in ["items", "not", "additionalProperties"] {
        if let Some(child) = map.get_mut(keyword) {
            if !(keyword == "additionalProperties" && child.is_bool()) {
                visit(child, &at.join(keyword));
            }
        }
    }
    for keyword in ["properties", "patternProperties"] {
        if let Some(Value::Mapping(children)) = map.get_mut(keyword) {
            for (name, child) in children.iter_mut() {
                let name = name.as_str().unwrap_or_default();
                visit(child, &at.join(keyword).join(name));
            }
        }
    }
    for keyword in ["allOf", "anyOf", "oneOf", "prefixItems"] {
        if let Some(Value::Sequence(children)) = map.get_mut(keyword) {
            for (index, child) in children.iter_mut().enumerate() {
                visit(child, &at.join(keyword).join(index));
            }
        }
    }
}

fn for_each_entry(
    node: Option<&mut Value>,
    at: &Pointer,
    mut visit: impl FnMut(&mut Value, &Pointer),
) {
    match node {
        Some(Value::Mapping(map)) => map.iter_mut().for_each(|(key, value)| {
            let key = key
                .as_str()
                .map_or_else(|| format!("{key:?}"), str::to_owned);
            visit(value, &at.join(key))
        }),
        Some(Value::Sequence(items)) => items
            .iter_mut()
            .enumerate()
            .for_each(|(index, value)| visit(value, &at.join(index))),
        _ => {}
    }
}

/// Rewrites one 3.1 schema object into its 3.0 form: `type: [T, "null"]` and `anyOf`/`oneOf`
/// with a `{type: "null"}` member become `nullable: true`; `const` becomes a one-value `enum`;
/// numeric `exclusiveMinimum`/`exclusiveMaximum` become the 3.0 boolean form; `examples`
/// becomes `example`. Returns the 3.1 forms it found, for the warnings of a 3.0 document.
fn normalise_3_1(map: &mut Mapping) -> Vec<&'static str> {
    let mut forms = Vec::new();
    if enum_of_constants(map) {
        forms.push("`const`");
    }
    if normalise_type_list(map) {
        forms.push("`type` as a list");
    }
    for keyword in ["anyOf", "oneOf"] {
        if normalise_null_member(map, keyword) {
            forms.push("a `{type: null}` member");
        }
    }
    if let Some(value) = map.remove("const") {
        forms.push("`const`");
        if !map.contains_key("type") {
            if let Some(implied) = implied_type(&value) {
                map.insert("type".into(), implied.into());
            }
        }
        if value.is_null() {
            map.insert("nullable".into(), Value::Bool(true));
        } else {
            map.insert("enum".into(), Value::Sequence(vec![value]));
            // A constant, unlike an enum of one value today, never takes another.
            map.insert("x-sdk-const".into(), Value::Bool(true));
        }
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if map.get(exclusive).is_some_and(Value::is_number) {
            if let Some(limit) = map.remove(exclusive) {
                forms.push("a numeric exclusive bound");
                map.insert(bound.into(), limit);
                map.insert(exclusive.into(), Value::Bool(true));
            }
        }
    }
    if let Some(Value::Sequence(examples)) = map.remove("examples") {
        // `examples` in a schema is JSON Schema's, and harmless in 3.0: no warning.
        if let Some(first) = examples.into_iter().next() {
            map.entry("example".into()).or_insert(first);
        }
    }
    if map.get("type").and_then(Value::as_str) == Some("null") {
        forms.push("`type: null`");
        map.remove("type");
        map.insert("nullable".into(), Value::Bool(true));
    }
    forms
}

/// The type a constant's value implies.
fn implied_type(value: &Value) -> Option<&'static str> {
    match value {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(number) if number.is_f64() => Some("number"),
        Value::Number(_) => Some("integer"),
        _ => None,
    }
}

/// `oneOf` (or `anyOf`) whose members are each one constant with a title or description
/// (`oneOf: [{title: GUILD_ONLY, const: 2}]`, a documented enumeration) → `enum` of those
/// values; openapiv3 would drop the `oneOf` beside a `type`. True when a member said `const`
/// (a 3.1 form).
fn enum_of_constants(map: &mut Mapping) -> bool {
    for keyword in ["oneOf", "anyOf"] {
        let Some(Value::Sequence(members)) = map.get(keyword) else {
            continue;
        };
        let constant = |member: &Value| -> Option<(Value, bool)> {
            let member = member.as_mapping()?;
            let documents_only = member.keys().all(|key| {
                key.as_str().is_some_and(|key| {
                    matches!(
                        key,
                        "title" | "description" | "const" | "enum" | "type" | "deprecated"
                    ) || key.starts_with("x-")
                })
            });
            if !documents_only {
                return None;
            }
            match (member.get("const"), member.get("enum")) {
                (Some(value), None) if !value.is_null() => Some((value.clone(), true)),
                (None, Some(Value::Sequence(values))) if values.len() == 1 => {
                    Some((values[0].clone(), false))
                }
                _ => None,
            }
        };
        let Some(constants) = members.iter().map(constant).collect::<Option<Vec<_>>>() else {
            continue;
        };
        if constants.is_empty() {
            continue;
        }
        let member_type = members
            .iter()
            .find_map(|member| member.get("type").cloned())
            .or_else(|| implied_type(&constants[0].0).map(Value::from));
        let said_const = constants.iter().any(|(_, by_const)| *by_const);
        map.remove(keyword);
        map.insert(
            "enum".into(),
            Value::Sequence(constants.into_iter().map(|(value, _)| value).collect()),
        );
        if !map.contains_key("type") {
            if let Some(member_type) = member_type {
                map.insert("type".into(), member_type);
            }
        }
        return said_const;
    }
    false
}

/// `type: object` beside `allOf`, `oneOf` or `anyOf` (common, and valid): openapiv3 reads
/// the `type` and drops the composition, so the `type` goes; the object's own members
/// (`properties`, `required`, `additionalProperties`) beside an `allOf`, with or without
/// `type`, become one more of its members (openapiv3 would otherwise read the schema as
/// untyped and drop the `allOf`). Beside `oneOf`/`anyOf`, own properties mean the object is
/// the shape and the composition a constraint on it (`anyOf: [{required: [a]}, {required:
/// [b]}]`): kept as an object.
fn compose_objects(map: &mut Mapping) {
    let is_list = |keyword: &str| map.get(keyword).is_some_and(Value::is_sequence);
    let all_of = is_list("allOf");
    let union = is_list("oneOf") || is_list("anyOf");
    let object = map.get("type").and_then(Value::as_str) == Some("object");
    let has_own_members = OWN_MEMBERS.iter().any(|keyword| map.contains_key(*keyword));
    if all_of && !map.contains_key("type") && has_own_members {
        move_own_members_into_all_of(map);
        return;
    }
    if !object || !(all_of || union) || (!all_of && map.contains_key("properties")) {
        return;
    }
    map.remove("type");
    if all_of {
        move_own_members_into_all_of(map);
    }
}

/// `required` beside a `oneOf`/`anyOf` with no properties of its own (`required: [kind],
/// oneOf: [{properties: {kind: ...}}, ...]`) constrains whichever member the value is:
/// openapiv3 would drop it, so each member requires those names itself (a member by `$ref`
/// through `allOf: [$ref, {required}]`).
fn distribute_required(map: &mut Mapping) {
    if map.contains_key("properties")
        || map
            .get("type")
            .is_some_and(|t| t.as_str() != Some("object"))
    {
        return;
    }
    let Some(keyword) = ["oneOf", "anyOf"]
        .into_iter()
        .find(|keyword| map.get(*keyword).is_some_and(Value::is_sequence))
    else {
        return;
    };
    let Some(Value::Sequence(required)) = map.get("required").cloned() else {
        return;
    };
    map.remove("required");
    if let Some(Value::Sequence(members)) = map.get_mut(keyword) {
        for member in members.iter_mut() {
            let Value::Mapping(fields) = member else {
                continue;
            };
            if fields.contains_key("$ref") {
                let mut wrapped = Mapping::new();
                wrapped.insert("allOf".into(), Value::Sequence(vec![member.clone()]));
                wrapped.insert("required".into(), Value::Sequence(required.clone()));
                *member = Value::Mapping(wrapped);
                continue;
            }
            let own = fields
                .entry("required".into())
                .or_insert_with(|| Value::Sequence(Vec::new()));
            if let Value::Sequence(own) = own {
                for name in &required {
                    if !own.contains(name) {
                        own.push(name.clone());
                    }
                }
            }
        }
    }
}

/// The keywords that give an object schema its members.
const OWN_MEMBERS: [&str; 3] = ["properties", "required", "additionalProperties"];

/// Moves a schema's own member keywords into one more `allOf` member of type object.
fn move_own_members_into_all_of(map: &mut Mapping) {
    let mut own = Mapping::new();
    for keyword in OWN_MEMBERS {
        if let Some(value) = map.remove(keyword) {
            own.insert(keyword.into(), value);
        }
    }
    if !own.is_empty() {
        own.insert("type".into(), "object".into());
        if let Some(Value::Sequence(members)) = map.get_mut("allOf") {
            members.push(Value::Mapping(own));
        }
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

/// `type: [T, "null"]` → `type: T, nullable: true`; several types → an `anyOf` of each.
fn normalise_type_list(map: &mut Mapping) -> bool {
    let Some(Value::Sequence(types)) = map.get("type") else {
        return false;
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
        // Several non-null types: keep them as a union the IR can model, each member with
        // the keywords that apply to its type (`items` to the array, `properties` to the
        // object), which would otherwise make the whole one of them.
        _ => {
            map.remove("type");
            let members: Vec<Value> = rest
                .iter()
                .map(|t| {
                    let mut member = Mapping::new();
                    member.insert("type".into(), t.clone());
                    for keyword in keywords_of(t.as_str().unwrap_or_default()) {
                        if let Some(value) = map.get(*keyword) {
                            member.insert((*keyword).into(), value.clone());
                        }
                    }
                    Value::Mapping(member)
                })
                .collect();
            for t in &rest {
                for keyword in keywords_of(t.as_str().unwrap_or_default()) {
                    map.remove(*keyword);
                }
            }
            map.insert("anyOf".into(), Value::Sequence(members));
        }
    }
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
    true
}

/// The keywords of a schema that constrain values of one JSON type only.
fn keywords_of(json_type: &str) -> &'static [&'static str] {
    match json_type {
        "array" => &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
        ],
        "object" => &[
            "properties",
            "additionalProperties",
            "patternProperties",
            "required",
            "minProperties",
            "maxProperties",
        ],
        "string" => &["minLength", "maxLength", "pattern"],
        "integer" | "number" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        _ => &[],
    }
}

fn normalise_null_member(map: &mut Mapping, keyword: &str) -> bool {
    let Some(Value::Sequence(members)) = map.get_mut(keyword) else {
        return false;
    };
    let is_null = |member: &Value| {
        member.get("type").and_then(Value::as_str) == Some("null")
            || member.get("const").is_some_and(Value::is_null)
            || member
                .get("enum")
                .and_then(Value::as_sequence)
                .is_some_and(|values| values.iter().all(Value::is_null))
    };
    if !members.iter().any(is_null) {
        return false;
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
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_openapiv3_cannot_read_are_left_out_where_they_are() {
        // Sixty levels of arrays over a mistyped value: openapiv3 would retry each level as
        // each of its variants (2^60 tries); left out, the nest reads at once.
        let mut nest = "{type: string, maxLength: ten, enum: [a, 1], xml: {name: 7}}".to_owned();
        for _ in 0..60 {
            nest = format!("{{type: array, items: {nest}}}");
        }
        let yaml = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n\
             components:\n  schemas:\n    Deep: {nest}\n    Fine: {{type: integer, minimum: 1, description: null}}\n"
        );
        let loaded = crate::load::from_tree(crate::load::read_tree(&yaml).expect("YAML"))
            .unwrap_or_else(|found| panic!("read: {found:?}"));
        let leaf = format!("#/components/schemas/Deep{}", "/items".repeat(60));
        let reasons: Vec<String> = loaded
            .warnings
            .iter()
            .map(|w| format!("{}: {}", w.pointer.replace(&leaf, "LEAF"), w.reason))
            .collect();
        assert_eq!(
            reasons,
            [
                "LEAF/maxLength: `maxLength` should be a count (an integer, 0 or more); left out",
                "LEAF/enum: `enum` has a value that is not of the schema's type `string`; left out",
                "LEAF/xml: `xml` has a member openapiv3 cannot read; left out",
            ]
        );
    }

    fn normalised(yaml: &str) -> Value {
        let mut value: Value = serde_yaml::from_str(yaml).expect("test YAML parses");
        let mut visit = |map: &mut Mapping, _: &Pointer| {
            normalise_3_1(map);
        };
        Walker {
            visit: &mut visit,
            boolean: &mut |_, _| {},
        }
        .schema(&mut value, &Pointer::root());
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
    fn several_types_become_a_union_whose_members_take_their_own_keywords() {
        let value = normalised(
            "type: [object, 'null', array]\nitems: {type: integer}\nminItems: 1\n\
             properties: {a: {type: string}}\ndescription: x",
        );
        assert_eq!(
            value,
            normalised(
                "anyOf:\n  - {type: object, properties: {a: {type: string}}}\n  \
                 - {type: array, items: {type: integer}, minItems: 1}\nnullable: true\n\
                 description: x"
            )
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
        let by_const = normalised("oneOf: [{$ref: '#/components/schemas/A'}, {const: null}]");
        assert_eq!(by_const["nullable"], Value::Bool(true));
    }

    #[test]
    fn required_beside_a_union_is_required_by_each_member() {
        let mut value: Value = serde_yaml::from_str(
            "required: [kind]\noneOf: [{type: object, properties: {kind: {type: string}}}, {$ref: '#/A'}]",
        )
        .expect("YAML");
        distribute_required(value.as_mapping_mut().expect("a mapping"));
        let expected: Value = serde_yaml::from_str(
            "oneOf: [{type: object, properties: {kind: {type: string}}, required: [kind]}, {allOf: [{$ref: '#/A'}], required: [kind]}]",
        )
        .expect("YAML");
        assert_eq!(value, expected);
    }

    #[test]
    fn a_union_of_documented_constants_is_an_enum() {
        let value = normalised(
            "type: string\noneOf: [{title: A, const: a}, {description: the b, enum: [b]}]",
        );
        assert_eq!(
            value["enum"],
            serde_yaml::from_str::<Value>("[a, b]").expect("YAML")
        );
        assert!(value.get("oneOf").is_none());
        let untyped = normalised("anyOf: [{title: Two, const: 2}]");
        assert_eq!(untyped["enum"], Value::Sequence(vec![2.into()]));
        assert_eq!(untyped["type"], Value::from("integer"));
        // A member with a shape of its own keeps the union.
        let union = normalised("oneOf: [{const: a}, {type: object, properties: {}}]");
        assert!(union.get("oneOf").is_some());
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
    fn an_object_type_beside_a_composition_gives_way_to_it() {
        let mut value: Value = serde_yaml::from_str(
            "type: object\nproperties: {a: {type: string}}\nrequired: [a]\nallOf: [{$ref: '#/B'}]",
        )
        .expect("YAML");
        compose_objects(value.as_mapping_mut().expect("a mapping"));
        let expected: Value = serde_yaml::from_str(
            "allOf: [{$ref: '#/B'}, {type: object, properties: {a: {type: string}}, required: [a]}]",
        )
        .expect("YAML");
        assert_eq!(value, expected);
        // Own properties beside `anyOf` are the shape; the `anyOf` only constrains it.
        let constrained = "type: object\nproperties: {a: {type: string}}\nanyOf: [{required: [a]}]";
        let mut value: Value = serde_yaml::from_str(constrained).expect("YAML");
        compose_objects(value.as_mapping_mut().expect("a mapping"));
        assert_eq!(
            value,
            serde_yaml::from_str::<Value>(constrained).expect("YAML")
        );
        let mut union: Value =
            serde_yaml::from_str("type: object\noneOf: [{$ref: '#/A'}]").expect("YAML");
        compose_objects(union.as_mapping_mut().expect("a mapping"));
        assert!(union.get("type").is_none());
        // Without `type`, `required` beside an `allOf` constrains its merged members.
        let mut untyped: Value = serde_yaml::from_str(
            "allOf: [{$ref: '#/B'}]
required: [name]",
        )
        .expect("YAML");
        compose_objects(untyped.as_mapping_mut().expect("a mapping"));
        let expected: Value =
            serde_yaml::from_str("allOf: [{$ref: '#/B'}, {type: object, required: [name]}]")
                .expect("YAML");
        assert_eq!(untyped, expected);
    }

    #[test]
    fn boolean_schemas_become_any_or_leave_the_object() {
        let mut value: Value = serde_yaml::from_str(
            "type: object\nrequired: [a, gone]\nproperties:\n  a: true\n  gone: false\n  \
             list: {type: array, items: true}\nadditionalProperties: false",
        )
        .expect("YAML");
        let mut seen = Vec::new();
        Walker {
            visit: &mut |_, _| {},
            boolean: &mut |at, replaced| seen.push((at.to_string(), replaced)),
        }
        .schema(&mut value, &Pointer::root());
        assert_eq!(value["properties"]["a"], Value::Mapping(Mapping::new()));
        assert!(value["properties"].get("gone").is_none());
        assert_eq!(value["required"], Value::Sequence(vec!["a".into()]));
        assert_eq!(
            value["properties"]["list"]["items"],
            Value::Mapping(Mapping::new())
        );
        assert_eq!(value["additionalProperties"], Value::Bool(false));
        assert_eq!(
            seen,
            [
                ("#/properties/gone".to_owned(), Boolean::ForbiddenMember),
                ("#/properties/a".to_owned(), Boolean::Any),
                ("#/properties/list/items".to_owned(), Boolean::Any),
            ]
        );
    }
}
