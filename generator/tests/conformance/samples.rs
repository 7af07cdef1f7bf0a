//! Valid values from a description: for a schema, its example, else its first enum value or
//! default, else a value of its type that keeps its format and bounds (`date-time`, `uuid`,
//! `minLength`, `minimum`, ...). Objects get their required members, unions their first
//! member, `allOf` its members merged. What a request carries, so read-only members are left
//! out.

use std::borrow::Borrow;

use openapiv3::{
    AdditionalProperties, Components, OpenAPI, Parameter, ParameterData, ParameterSchemaOrContent,
    ReferenceOr, RequestBody, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::{json, Map, Value};

/// How deep a sample goes before it stops at `{}` (recursive schemas).
const DEPTH: usize = 12;

/// How deep a `oneOf` tries its members in turn for one that its value matches alone.
const ONE_OF_DEPTH: usize = 4;

pub struct Samples<'d> {
    doc: &'d OpenAPI,
}

impl<'d> Samples<'d> {
    pub fn new(doc: &'d OpenAPI) -> Self {
        Samples { doc }
    }

    fn components(&self) -> Option<&'d Components> {
        self.doc.components.as_ref()
    }

    /// The schema a schema or reference stands for (through chains of references).
    fn schema<'s, S: Borrow<Schema>>(&self, schema: &'s ReferenceOr<S>) -> Option<&'s Schema>
    where
        'd: 's,
    {
        match schema {
            ReferenceOr::Item(item) => Some(item.borrow()),
            ReferenceOr::Reference { reference } => self.named(reference),
        }
    }

    fn named(&self, reference: &str) -> Option<&'d Schema> {
        let mut reference = reference.to_owned();
        for _ in 0..32 {
            let name = reference.strip_prefix("#/components/schemas/")?;
            match self.components()?.schemas.get(&unescape(name))? {
                ReferenceOr::Item(item) => return Some(item),
                ReferenceOr::Reference { reference: next } => reference = next.clone(),
            }
        }
        None
    }

    /// Whether a value is valid for the schema (an example the description gives may not be).
    fn valid(&self, value: &Value, schema: &Schema) -> bool {
        super::validate::valid(self, value, schema)
    }

    /// A value of the schema.
    pub fn of(&self, schema: &ReferenceOr<Schema>) -> Value {
        self.schema(schema)
            .map_or(Value::Null, |s| self.value(s, 0))
    }

    fn value(&self, schema: &Schema, depth: usize) -> Value {
        let data = &schema.schema_data;
        // An example or default of another type than the schema's is the description's
        // slip (a JSON text as the example of an object, say): not used.
        for given in [&data.example, &data.default].into_iter().flatten() {
            if self.valid(given, schema) {
                return given.clone();
            }
        }
        if depth > DEPTH {
            return json!({});
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                if let Some(Some(first)) = string.enumeration.first() {
                    return json!(first);
                }
                let format = match &string.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => "date",
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => "date-time",
                    VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => "byte",
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => "binary",
                    VariantOrUnknownOrEmpty::Item(StringFormat::Password) => "password",
                    VariantOrUnknownOrEmpty::Unknown(other) => other.as_str(),
                    VariantOrUnknownOrEmpty::Empty => "",
                };
                if let Some(text) = string.pattern.as_deref().and_then(matching) {
                    return json!(text);
                }
                json!(string_of(format, string.min_length, string.max_length))
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                if let Some(Some(first)) = integer.enumeration.first() {
                    return json!(first);
                }
                let low = integer
                    .minimum
                    .map(|m| m + i64::from(integer.exclusive_minimum));
                let high = integer
                    .maximum
                    .map(|m| m - i64::from(integer.exclusive_maximum));
                json!(match (low, high) {
                    (Some(low), _) => low,
                    (None, Some(high)) if high < 1 => high,
                    _ => 1,
                })
            }
            SchemaKind::Type(Type::Number(number)) => {
                if let Some(Some(first)) = number.enumeration.first() {
                    return json!(first);
                }
                let value = match (number.minimum, number.maximum) {
                    (Some(low), Some(high)) => (low + high) / 2.0,
                    (Some(low), None) => low + 1.0,
                    (None, Some(high)) if high < 1.0 => high - 1.0,
                    _ => 1.0,
                };
                json!(value)
            }
            SchemaKind::Type(Type::Boolean(boolean)) => boolean
                .enumeration
                .iter()
                .flatten()
                .next()
                .map_or(json!(true), |b| json!(b)),
            SchemaKind::Type(Type::Array(array)) => {
                let item = array
                    .items
                    .as_ref()
                    .and_then(|items| self.schema(items))
                    .map_or(json!("item"), |item| self.value(item, depth + 1));
                let count = array.min_items.unwrap_or(1).max(1);
                if array.unique_items {
                    return Value::Array((0..count).map(|n| distinct(&item, n)).collect());
                }
                Value::Array(vec![item; count])
            }
            SchemaKind::Type(Type::Object(object)) => {
                let mut members = Map::new();
                self.members(&object.properties, &object.required, depth, &mut members);
                if members.is_empty() && object.required.is_empty() {
                    if let Some(AdditionalProperties::Schema(value)) = &object.additional_properties
                    {
                        if let Some(value) = self.schema(value) {
                            members.insert("key".to_owned(), self.value(value, depth + 1));
                        }
                    }
                }
                Value::Object(members)
            }
            SchemaKind::OneOf { one_of } => self.one_of(schema, one_of, depth),
            SchemaKind::AnyOf { any_of: members } => members
                .iter()
                .find_map(|member| self.schema(member))
                .map_or(Value::Null, |member| self.value(member, depth + 1)),
            SchemaKind::AllOf { all_of } => {
                // The members' properties and `required` lists merged first: one member
                // may require what another declares.
                let mut properties = indexmap::IndexMap::new();
                let mut required = Vec::new();
                let mut merged = Map::new();
                for member in all_of.iter().filter_map(|member| self.schema(member)) {
                    if self.gather(member, &mut properties, &mut required, 0) {
                        continue;
                    }
                    match self.value(member, depth + 1) {
                        Value::Object(members) => merged.extend(members),
                        other if merged.is_empty() && properties.is_empty() => return other,
                        _ => {}
                    }
                }
                self.members(&properties, &required, depth, &mut merged);
                Value::Object(merged)
            }
            SchemaKind::Not { .. } => Value::Null,
            SchemaKind::Any(any) => {
                if let Some(first) = any.enumeration.first() {
                    return first.clone();
                }
                if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                    let mut members = Map::new();
                    self.members(&any.properties, &any.required, depth, &mut members);
                    return Value::Object(members);
                }
                match any.typ.as_deref() {
                    Some("string") => json!(string_of(
                        any.format.as_deref().unwrap_or_default(),
                        any.min_length,
                        any.max_length
                    )),
                    Some("integer") => json!(any.minimum.map_or(1, |m| m as i64)),
                    Some("number") => json!(any.minimum.unwrap_or(1.0)),
                    Some("boolean") => json!(true),
                    Some("array") => {
                        let item = any
                            .items
                            .as_ref()
                            .and_then(|items| self.schema(items))
                            .map_or(json!("item"), |item| self.value(item, depth + 1));
                        json!([item])
                    }
                    _ if !any.one_of.is_empty() => self.of(&any.one_of[0]),
                    _ if !any.any_of.is_empty() => self.of(&any.any_of[0]),
                    _ => json!("value"),
                }
            }
        }
    }

    /// A value of a `oneOf`: of the first member whose value no other member accepts (the
    /// discriminator's value set where there is one), else of the first member.
    fn one_of(&self, schema: &Schema, members: &[ReferenceOr<Schema>], depth: usize) -> Value {
        let discriminator = schema.schema_data.discriminator.as_ref();
        let mut first = None;
        for (index, member) in members.iter().enumerate() {
            let Some(resolved) = self.schema(member) else {
                continue;
            };
            let mut value = self.value(resolved, depth + 1);
            // The discriminator's value for the member, unless the member fixes it itself: its
            // mapping key, else its component's name.
            if let (Some(discriminator), Value::Object(object)) = (discriminator, &mut value) {
                let mut properties = indexmap::IndexMap::new();
                self.gather(resolved, &mut properties, &mut Vec::new(), 0);
                let fixed = properties
                    .get(&discriminator.property_name)
                    .and_then(|property| self.schema(property))
                    .and_then(single_value);
                let tag = fixed.or_else(|| match member {
                    ReferenceOr::Reference { reference } => discriminator
                        .mapping
                        .iter()
                        .find(|(_, target)| *target == reference)
                        .map(|(key, _)| key.clone())
                        .or_else(|| reference.rsplit('/').next().map(unescape))
                        .map(Value::String),
                    ReferenceOr::Item(_) => None,
                });
                if let Some(tag) = tag {
                    object.insert(discriminator.property_name.clone(), tag);
                }
            }
            let alone = |value: &Value| {
                members.iter().enumerate().all(|(other, candidate)| {
                    other == index
                        || self
                            .schema(candidate)
                            .is_none_or(|candidate| !self.valid(value, candidate))
                })
            };
            // Deep down, the first member does (trying each at every level multiplies).
            if depth > ONE_OF_DEPTH || (alone(&value) && self.valid(&value, resolved)) {
                return value;
            }
            // Its members with one allowed value (`type: {enum: [query]}`) may tell it apart.
            if let Value::Object(object) = &mut value {
                let mut properties = indexmap::IndexMap::new();
                self.gather(resolved, &mut properties, &mut Vec::new(), 0);
                for (name, property) in &properties {
                    if let Some(constant) = self.schema(property).and_then(single_value) {
                        object.entry(name.clone()).or_insert(constant);
                    }
                }
                if alone(&value) && self.valid(&value, resolved) {
                    return value;
                }
            }
            first.get_or_insert(value);
        }
        first.unwrap_or(Value::Null)
    }

    /// Adds an object schema's properties and `required` names (through references and
    /// nested `allOf`s); false when the schema is not an object.
    fn gather<'s>(
        &self,
        schema: &'s Schema,
        properties: &mut indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &mut Vec<String>,
        depth: usize,
    ) -> bool
    where
        'd: 's,
    {
        if depth > DEPTH {
            return false;
        }
        let (own, names) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => (&object.properties, &object.required),
            SchemaKind::Any(any)
                if any.typ.as_deref().is_none_or(|typ| typ == "object")
                    && (!any.properties.is_empty() || !any.required.is_empty()) =>
            {
                (&any.properties, &any.required)
            }
            SchemaKind::AllOf { all_of } => {
                let mut any_object = false;
                for member in all_of.iter().filter_map(|member| self.schema(member)) {
                    any_object |= self.gather(member, properties, required, depth + 1);
                }
                return any_object;
            }
            _ => return false,
        };
        for (name, property) in own {
            properties
                .entry(name.clone())
                .or_insert_with(|| property.clone());
        }
        required.extend(names.iter().cloned());
        true
    }

    /// The required members of an object, read-only ones left out.
    fn members(
        &self,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        depth: usize,
        into: &mut Map<String, Value>,
    ) {
        for (name, property) in properties {
            if !required.contains(name) {
                continue;
            }
            let Some(property) = self.schema(property) else {
                continue;
            };
            if property.schema_data.read_only {
                continue;
            }
            into.insert(name.clone(), self.value(property, depth + 1));
        }
    }

    /// A parameter's value: its own example, else its schema's (or its content's).
    pub fn parameter(&self, data: &ParameterData) -> Value {
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => Some(schema),
            ParameterSchemaOrContent::Content(content) => {
                content.values().find_map(|media| media.schema.as_ref())
            }
        };
        let schema = schema.and_then(|schema| self.schema(schema));
        let examples = data
            .example
            .iter()
            .cloned()
            .chain(data.examples.values().filter_map(|example| match example {
                ReferenceOr::Item(example) => example.value.clone(),
                ReferenceOr::Reference { .. } => None,
            }));
        for example in examples {
            if schema.is_none_or(|schema| self.valid(&example, schema)) {
                return example;
            }
        }
        let Some(schema) = schema else {
            return Value::Null;
        };
        match self.value(schema, 0) {
            // An object parameter with nothing required would be written empty: its members
            // are all set.
            Value::Object(members) if members.is_empty() => {
                let mut properties = indexmap::IndexMap::new();
                let mut required = Vec::new();
                self.gather(schema, &mut properties, &mut required, 0);
                let all: Vec<String> = properties.keys().cloned().collect();
                let mut members = Map::new();
                self.members(&properties, &all, 0, &mut members);
                Value::Object(members)
            }
            value => value,
        }
    }

    /// The parameter named `name` in `location` of an operation (its own, else its path
    /// item's).
    pub fn find_parameter(
        &self,
        path: &str,
        method: &str,
        name: &str,
        location: &str,
    ) -> Option<&'d ParameterData> {
        let item = self.doc.paths.paths.get(path)?.as_item()?;
        let operation = item.iter().find(|(m, _)| *m == method)?.1;
        let resolve = |parameter: &'d ReferenceOr<Parameter>| -> Option<&'d Parameter> {
            match parameter {
                ReferenceOr::Item(parameter) => Some(parameter),
                ReferenceOr::Reference { reference } => {
                    let key = reference.strip_prefix("#/components/parameters/")?;
                    self.components()?.parameters.get(&unescape(key))?.as_item()
                }
            }
        };
        operation
            .parameters
            .iter()
            .chain(&item.parameters)
            .filter_map(resolve)
            .find_map(|parameter| {
                let (data, at) = match parameter {
                    Parameter::Query { parameter_data, .. } => (parameter_data, "query"),
                    Parameter::Header { parameter_data, .. } => (parameter_data, "header"),
                    Parameter::Path { parameter_data, .. } => (parameter_data, "path"),
                    Parameter::Cookie { parameter_data, .. } => (parameter_data, "cookie"),
                };
                (data.name == name && at == location).then_some(data)
            })
    }

    /// Whether a response the crate could not decode is not valid for the description
    /// either: its body is not JSON, or not a value of the JSON schema the operation declares
    /// for its status. False when there is no such schema to tell.
    pub fn response_is_invalid(&self, path: &str, method: &str, status: u16, body: &str) -> bool {
        let Some(schema) = self.response_schema(path, method, status) else {
            return false;
        };
        match serde_json::from_str::<Value>(body) {
            Ok(value) => !self.valid(&value, schema),
            Err(_) => true,
        }
    }

    /// The JSON schema an operation declares for a response status (its code, its range
    /// like `2XX`, or `default`).
    fn response_schema(&self, path: &str, method: &str, status: u16) -> Option<&'d Schema> {
        let item = self.doc.paths.paths.get(path)?.as_item()?;
        let (_, operation) = item.iter().find(|(m, _)| *m == method)?;
        let responses = &operation.responses;
        let response = responses
            .responses
            .iter()
            .find(|(code, _)| match code {
                openapiv3::StatusCode::Code(code) => *code == status,
                openapiv3::StatusCode::Range(range) => *range == status / 100,
            })
            .map(|(_, response)| response)
            .or(responses.default.as_ref())?;
        let response = match response {
            ReferenceOr::Item(response) => response,
            ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix("#/components/responses/")?;
                self.components()?
                    .responses
                    .get(&unescape(key))?
                    .as_item()?
            }
        };
        let media = response.content.iter().find_map(|(media, content)| {
            let essence = media.split(';').next().unwrap_or_default().trim();
            (essence == "application/json" || essence.ends_with("+json")).then_some(content)
        })?;
        self.schema(media.schema.as_ref()?)
    }

    /// The request body of an operation, in the media type `media`.
    pub fn body(&self, path: &str, method: &str, media: &str) -> Value {
        let Some(item) = self
            .doc
            .paths
            .paths
            .get(path)
            .and_then(|item| item.as_item())
        else {
            return Value::Null;
        };
        let Some((_, operation)) = item.iter().find(|(m, _)| *m == method) else {
            return Value::Null;
        };
        let body: Option<&RequestBody> = match &operation.request_body {
            Some(ReferenceOr::Item(body)) => Some(body),
            Some(ReferenceOr::Reference { reference }) => reference
                .strip_prefix("#/components/requestBodies/")
                .and_then(|key| {
                    self.components()?
                        .request_bodies
                        .get(&unescape(key))?
                        .as_item()
                }),
            None => None,
        };
        let Some(content) = body.and_then(|body| body.content.get(media)) else {
            return Value::Null;
        };
        let schema = content
            .schema
            .as_ref()
            .and_then(|schema| self.schema(schema));
        match (&content.example, schema) {
            (Some(example), Some(schema)) if self.valid(example, schema) => example.clone(),
            (_, Some(schema)) => self.value(schema, 0),
            (Some(example), None) => example.clone(),
            (None, None) => Value::Null,
        }
    }
}

/// The one value a schema allows (an `enum` of one), if it allows one only.
fn single_value(schema: &Schema) -> Option<Value> {
    let values: Vec<Value> = match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => string
            .enumeration
            .iter()
            .flatten()
            .map(|v| json!(v))
            .collect(),
        SchemaKind::Type(Type::Integer(integer)) => integer
            .enumeration
            .iter()
            .flatten()
            .map(|v| json!(v))
            .collect(),
        SchemaKind::Any(any) => any.enumeration.clone(),
        _ => return None,
    };
    match values.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// The `n`th of values that differ (for `uniqueItems`): a number plus `n`, a string with
/// `n`'s digits after it, others as they are.
fn distinct(value: &Value, n: usize) -> Value {
    match value {
        _ if n == 0 => value.clone(),
        // A number in a string stays one (`^(0|[1-9][0-9]*)$`).
        Value::String(text) => Value::String(match text.parse::<u64>() {
            Ok(number) => (number + n as u64).to_string(),
            Err(_) => format!("{text}{n}"),
        }),
        Value::Number(number) => number
            .as_i64()
            .map_or_else(|| value.clone(), |number| json!(number + n as i64)),
        other => other.clone(),
    }
}

/// A string that a regular expression matches, for the simple ones descriptions use
/// (literals, classes, `\d`, groups, alternation, quantifiers); `None` for the rest.
fn matching(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    sequence(&chars, &mut 0, &mut out)?;
    Some(out)
}

/// Writes a match of the alternatives from `at` to the end or a `)`, taking the first.
fn sequence(chars: &[char], at: &mut usize, out: &mut String) -> Option<()> {
    let mut chosen = true;
    while *at < chars.len() {
        let start = out.len();
        let atom: String = match chars[*at] {
            '^' | '$' => {
                *at += 1;
                continue;
            }
            ')' => return Some(()),
            '|' => {
                // Later alternatives are skipped: the first one is the match.
                chosen = false;
                *at += 1;
                continue;
            }
            '(' => {
                *at += 1;
                if chars.get(*at) == Some(&'?') {
                    match chars.get(*at + 1) {
                        Some(':') => *at += 2,
                        _ => return None,
                    }
                }
                let mut inner = String::new();
                sequence(chars, at, &mut inner)?;
                if chars.get(*at) != Some(&')') {
                    return None;
                }
                *at += 1;
                inner
            }
            '[' => {
                let end = chars[*at..].iter().position(|c| *c == ']')? + *at;
                let class: Vec<char> = chars[*at + 1..end].to_vec();
                *at = end + 1;
                match class.first() {
                    Some('^') => {
                        let excluded: String = class[1..].iter().collect();
                        ['a', 'Z', '0', '_', '-']
                            .into_iter()
                            .find(|c| !excluded.contains(*c))?
                            .to_string()
                    }
                    Some('\\') => escaped(*class.get(1)?).to_string(),
                    Some(first) => first.to_string(),
                    None => return None,
                }
            }
            '\\' => {
                let next = *chars.get(*at + 1)?;
                *at += 2;
                escaped(next).to_string()
            }
            '.' => {
                *at += 1;
                "a".to_owned()
            }
            '*' | '+' | '?' | '{' => return None,
            literal => {
                *at += 1;
                literal.to_string()
            }
        };
        let count = quantifier(chars, at)?;
        if chosen {
            out.truncate(start);
            for _ in 0..count {
                out.push_str(&atom);
            }
        }
    }
    Some(())
}

/// How many times the atom before `at` is repeated (`{3}`, `{2,5}`: the least, and at least
/// once for `+`); `None` when the quantifier does not read.
fn quantifier(chars: &[char], at: &mut usize) -> Option<usize> {
    let count = match chars.get(*at) {
        Some('*') | Some('?') => 0,
        Some('+') => 1,
        Some('{') => {
            let end = chars[*at..].iter().position(|c| *c == '}')? + *at;
            let inside: String = chars[*at + 1..end].iter().collect();
            *at = end;
            inside.split(',').next()?.trim().parse().ok()?
        }
        _ => return Some(1),
    };
    *at += 1;
    // A lazy or possessive mark changes nothing here.
    if matches!(chars.get(*at), Some('?') | Some('+')) {
        *at += 1;
    }
    Some(count)
}

fn escaped(c: char) -> char {
    match c {
        'd' => '7',
        'w' => 'a',
        's' => ' ',
        other => other,
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// A string in `format`, as long as the bounds ask.
fn string_of(format: &str, min: Option<usize>, max: Option<usize>) -> String {
    let text = match format {
        "date" => "2024-01-31",
        "date-time" => "2024-01-31T12:00:00Z",
        "time" => "12:00:00",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "email" => "user@example.com",
        "uri" | "url" => "https://example.com/a",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "aGVsbG8=",
        _ => "sample",
    };
    let mut text = text.to_owned();
    let min = min.unwrap_or(0);
    while text.len() < min {
        text.push('x');
    }
    if let Some(max) = max {
        text.truncate(max.max(1));
    }
    text
}

#[test]
fn strings_that_simple_patterns_match() {
    assert_eq!(
        matching("^MG[0-9a-fA-F]{32}$").as_deref(),
        Some(&*format!("MG{}", "0".repeat(32)))
    );
    assert_eq!(matching("^(foo|bar)-\\d{2}$").as_deref(), Some("foo-77"));
    assert_eq!(matching("^[^/]+$").as_deref(), Some("a"));
    assert_eq!(matching("^(?=x)"), None);
}

impl super::validate::Resolve for Samples<'_> {
    fn resolve<'s, S: Borrow<Schema>>(&'s self, schema: &'s ReferenceOr<S>) -> Option<&'s Schema> {
        self.schema(schema)
    }
}
