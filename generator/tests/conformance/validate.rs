//! Whether a value is valid for a schema, for the keywords that tell shapes apart (types,
//! `enum`, `required`, properties, bounds on lengths and counts, compositions, and a
//! `oneOf`'s discriminator as OpenAPI reads it). The samples use it to keep a given example
//! only when it is valid, to pick the member of a `oneOf` that their value matches alone,
//! and to tell a response the crate cannot decode that is not valid for the description
//! either. Formats and patterns are not checked, so what it cannot tell counts as valid.

use std::borrow::Borrow;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

/// How deep validation follows a value before it accepts the rest (recursive schemas).
const DEPTH: usize = 24;

/// Resolves references for [`valid`].
pub trait Resolve {
    fn resolve<'s, S: Borrow<Schema>>(&'s self, schema: &'s ReferenceOr<S>) -> Option<&'s Schema>;
}

pub fn valid(resolver: &impl Resolve, value: &Value, schema: &Schema) -> bool {
    Validator { resolver }.check(value, schema, 0)
}

struct Validator<'r, R> {
    resolver: &'r R,
}

impl<R: Resolve> Validator<'_, R> {
    fn check(&self, value: &Value, schema: &Schema, depth: usize) -> bool {
        if depth > DEPTH {
            return true;
        }
        if value.is_null() && schema.schema_data.nullable {
            return true;
        }
        let depth = depth + 1;
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                value.as_str().is_some_and(|text| {
                    let length = text.chars().count();
                    string.min_length.is_none_or(|min| length >= min)
                        && string.max_length.is_none_or(|max| length <= max)
                }) && listed(
                    value,
                    string
                        .enumeration
                        .iter()
                        .flatten()
                        .map(|v| Value::from(v.as_str())),
                )
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                value.as_i64().is_some_and(|number| {
                    integer.minimum.is_none_or(|min| number >= min)
                        && integer.maximum.is_none_or(|max| number <= max)
                }) && listed(
                    value,
                    integer
                        .enumeration
                        .iter()
                        .flatten()
                        .map(|v| Value::from(*v)),
                )
            }
            SchemaKind::Type(Type::Number(number)) => {
                value.as_f64().is_some_and(|n| {
                    number.minimum.is_none_or(|min| n >= min)
                        && number.maximum.is_none_or(|max| n <= max)
                }) && listed(
                    value,
                    number.enumeration.iter().flatten().map(|v| Value::from(*v)),
                )
            }
            SchemaKind::Type(Type::Boolean(boolean)) => {
                value.is_boolean()
                    && listed(
                        value,
                        boolean
                            .enumeration
                            .iter()
                            .flatten()
                            .map(|v| Value::from(*v)),
                    )
            }
            SchemaKind::Type(Type::Array(array)) => value.as_array().is_some_and(|items| {
                array.min_items.is_none_or(|min| items.len() >= min)
                    && array.max_items.is_none_or(|max| items.len() <= max)
                    && array
                        .items
                        .as_ref()
                        .and_then(|items| self.resolver.resolve(items))
                        .is_none_or(|item| items.iter().all(|v| self.check(v, item, depth)))
            }),
            SchemaKind::Type(Type::Object(object)) => self.object(
                value,
                &object.properties,
                &object.required,
                object.additional_properties.as_ref(),
                depth,
            ),
            SchemaKind::AllOf { all_of } => all_of
                .iter()
                .all(|member| self.member(value, member, depth)),
            SchemaKind::OneOf { one_of } => match self.discriminated(value, schema, one_of) {
                Some(member) => self.member(value, member, depth),
                None => {
                    one_of
                        .iter()
                        .filter(|member| self.member(value, member, depth))
                        .count()
                        == 1
                }
            },
            SchemaKind::AnyOf { any_of } => any_of
                .iter()
                .any(|member| self.member(value, member, depth)),
            SchemaKind::Not { not } => !self.member(value, not, depth),
            SchemaKind::Any(any) => {
                let typed = match any.typ.as_deref() {
                    Some("string") => value.is_string(),
                    Some("integer") => value.is_i64() || value.is_u64(),
                    Some("number") => value.is_number(),
                    Some("boolean") => value.is_boolean(),
                    Some("array") => value.is_array(),
                    Some("object") => value.is_object(),
                    _ => true,
                };
                let objects = any.properties.is_empty() && any.required.is_empty()
                    || !value.is_object()
                    || self.object(
                        value,
                        &any.properties,
                        &any.required,
                        any.additional_properties.as_ref(),
                        depth,
                    );
                typed
                    && objects
                    && (any.enumeration.is_empty() || any.enumeration.contains(value))
                    && any
                        .all_of
                        .iter()
                        .all(|member| self.member(value, member, depth))
                    && (any.one_of.is_empty()
                        || any
                            .one_of
                            .iter()
                            .filter(|m| self.member(value, m, depth))
                            .count()
                            == 1)
                    && (any.any_of.is_empty()
                        || any
                            .any_of
                            .iter()
                            .any(|member| self.member(value, member, depth)))
            }
        }
    }

    /// The member a discriminator names for the value (OpenAPI: the value is valid when it
    /// is valid for that member), by the mapping or by the component's name.
    fn discriminated<'m>(
        &self,
        value: &Value,
        schema: &Schema,
        members: &'m [ReferenceOr<Schema>],
    ) -> Option<&'m ReferenceOr<Schema>> {
        let discriminator = schema.schema_data.discriminator.as_ref()?;
        let tag = value.get(&discriminator.property_name)?.as_str()?;
        let target = discriminator
            .mapping
            .get(tag)
            .cloned()
            .unwrap_or_else(|| format!("#/components/schemas/{tag}"));
        members.iter().find(|member| match member {
            ReferenceOr::Reference { reference } => {
                *reference == target || reference.rsplit('/').next() == Some(target.as_str())
            }
            ReferenceOr::Item(_) => false,
        })
    }

    fn member(&self, value: &Value, member: &ReferenceOr<Schema>, depth: usize) -> bool {
        self.resolver
            .resolve(member)
            .is_none_or(|schema| self.check(value, schema, depth))
    }

    fn object(
        &self,
        value: &Value,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        depth: usize,
    ) -> bool {
        let Some(members) = value.as_object() else {
            return false;
        };
        required.iter().all(|name| members.contains_key(name))
            && members
                .iter()
                .all(|(name, member)| match properties.get(name) {
                    Some(property) => self
                        .resolver
                        .resolve(property)
                        .is_none_or(|schema| self.check(member, schema, depth)),
                    None => match additional {
                        Some(AdditionalProperties::Any(allowed)) => *allowed,
                        Some(AdditionalProperties::Schema(schema)) => self
                            .resolver
                            .resolve(schema)
                            .is_none_or(|schema| self.check(member, schema, depth)),
                        None => true,
                    },
                })
    }
}

/// True when there is no list, or the value is in it.
fn listed(value: &Value, mut list: impl Iterator<Item = Value>) -> bool {
    let mut any = false;
    let found = list.any(|item| {
        any = true;
        &item == value
    });
    found || !any
}
