//! Example calls for the docs: each operation called as a reader would call it, its arguments
//! built from the description's examples where it gives them (`example: cert_abc`), else from
//! placeholders of the right type (a string's own name, `1`, `false`, an enum's first value, a
//! struct from its constructor). Each value is written as the place it stands takes it.
//!
//! An operation whose arguments need more than [`MAX_SAMPLE_NODES`] values, or nest deeper
//! than [`MAX_DEPTH`] (a recursive required member), gets no example: a call too long to read
//! teaches nothing.

use serde_json::Value;

use super::model::{
    ExampleCall, InputTarget, IntegerKind, Operation, Presence, Resource, ResponseKind, Sample,
    TypeDef, TypeKind, TypeRef,
};
use super::naming::{snake_ident, unraw};
use super::queries::TypeQueries;
use super::Api;

/// The most values one example call holds.
pub const MAX_SAMPLE_NODES: usize = 40;
/// The deepest a value nests in an example call.
pub const MAX_DEPTH: usize = 6;

/// Sets [`Operation::example`] on each operation the resource tree reaches.
pub fn example_calls(client: &Resource, operations: &mut [Operation], types: &[TypeDef]) {
    let mut accessors = Vec::new();
    walk(client, &mut accessors, operations, types);
}

fn walk(
    resource: &Resource,
    accessors: &mut Vec<String>,
    operations: &mut [Operation],
    types: &[TypeDef],
) {
    for method in &resource.methods {
        let Some(operation) = operations.get(method.operation) else {
            continue;
        };
        let example = call(operation, types).map(|arguments| ExampleCall {
            accessors: accessors.clone(),
            method: method.name.clone(),
            arguments,
            binding: binding(operation),
        });
        if let Some(operation) = operations.get_mut(method.operation) {
            operation.example = example;
        }
    }
    for child in &resource.children {
        accessors.push(child.accessor.clone());
        walk(child, accessors, operations, types);
        accessors.pop();
    }
}

/// The first operation with an example under each top-level resource (and on the client
/// itself), with the resource's accessor (`chat`; `client` for the client itself): what a
/// README shows, one call per part of the API.
pub fn first_calls(api: &Api) -> Vec<(String, &ExampleCall)> {
    fn first<'a>(api: &'a Api, resource: &Resource) -> Option<&'a ExampleCall> {
        resource
            .methods
            .iter()
            .find_map(|method| api.operations.get(method.operation)?.example.as_ref())
            .or_else(|| resource.children.iter().find_map(|child| first(api, child)))
    }
    let root = api
        .client
        .methods
        .iter()
        .find_map(|method| api.operations.get(method.operation)?.example.as_ref())
        .map(|call| ("client".to_owned(), call));
    root.into_iter()
        .chain(api.client.children.iter().filter_map(|child| {
            let name = unraw(&child.accessor).to_owned();
            first(api, child).map(|call| (name, call))
        }))
        .collect()
}

/// The first operation with an example among those that page: what a README shows of
/// pagination.
pub fn pagination_call(api: &Api) -> Option<&ExampleCall> {
    api.operations
        .iter()
        .filter(|operation| operation.pagination.is_some())
        .find_map(|operation| operation.example.as_ref())
}

/// What the answer is called: `page` for a list that pages, the type's name for a type of
/// at most three words (`certificate`, `chat_completion`), else what it is (`response`,
/// `bytes`, `text`, `events`); nothing for an empty answer.
fn binding(operation: &Operation) -> Option<String> {
    if operation.pagination.is_some() {
        return Some("page".to_owned());
    }
    let name = match &operation.response {
        ResponseKind::Empty => return None,
        ResponseKind::Bytes => "bytes",
        ResponseKind::Text => "text",
        ResponseKind::EventStream(_) => "events",
        ResponseKind::Sequence { item: None, .. } => "parts",
        ResponseKind::Sequence { .. } => "items",
        ResponseKind::Json(TypeRef::Named(name)) => {
            let snake = snake_ident(name);
            let short = snake.split('_').count() <= 3 && !snake.starts_with("r#");
            return Some(if short { snake } else { "response".to_owned() });
        }
        ResponseKind::Json(_) => "response",
    };
    Some(name.to_owned())
}

/// The arguments of an operation's resource method, or `None` when they are too many values.
fn call(operation: &Operation, types: &[TypeDef]) -> Option<Vec<Sample>> {
    let mut samples = Samples {
        types,
        budget: MAX_SAMPLE_NODES,
    };
    let body_fields = operation
        .body
        .as_ref()
        .and_then(|body| types.struct_of(&body.ty));
    operation
        .arguments()
        .map(|input| {
            if input.presence == Presence::RequiredNullable {
                return Some(Sample::Null);
            }
            let example = match &input.target {
                InputTarget::Param(index) => operation.params.get(*index)?.example.as_ref(),
                InputTarget::BodyField { index, .. } => body_fields
                    .and_then(|fields| fields.fields.get(*index))
                    .and_then(|field| field.example.as_ref()),
                InputTarget::Body => None,
            };
            let placeholder = input.wire_name.as_deref().unwrap_or(&input.rust_name);
            // A list argument takes any iterator; anything else as its type says.
            let converts =
                matches!(input.ty, TypeRef::Array(_)) || types.argument_converts(&input.ty);
            samples.value(&input.ty, example, placeholder, converts, 0)
        })
        .collect()
}

/// Builds values within a budget of nodes.
struct Samples<'t> {
    types: &'t [TypeDef],
    budget: usize,
}

impl Samples<'_> {
    /// A value of `ty` for a place that takes `impl Into<ty>` when `converts`, else `ty`
    /// itself; `example` is the description's, `placeholder` the text a string gets without
    /// one.
    fn value(
        &mut self,
        ty: &TypeRef,
        example: Option<&Value>,
        placeholder: &str,
        converts: bool,
        depth: usize,
    ) -> Option<Sample> {
        if depth > MAX_DEPTH || self.budget == 0 {
            return None;
        }
        self.budget -= 1;
        let types = self.types;
        let sample = match ty {
            // An `impl Into<Box<T>>` takes a `T`.
            TypeRef::Boxed(inner) if converts => {
                self.value(inner, example, placeholder, false, depth + 1)?
            }
            TypeRef::Boxed(inner) => Sample::Boxed(Box::new(self.value(
                inner,
                example,
                placeholder,
                false,
                depth + 1,
            )?)),
            TypeRef::Nullable(_) => Sample::Null,
            TypeRef::String => Sample::Text {
                value: text(example, placeholder),
                owned: !converts,
            },
            TypeRef::Integer(kind) => {
                let fits = |value: &i64| match kind {
                    IntegerKind::I32 => i32::try_from(*value).is_ok(),
                    IntegerKind::I64 => true,
                };
                Sample::Integer(example.and_then(Value::as_i64).filter(fits).unwrap_or(1))
            }
            TypeRef::Number(_) => Sample::Number(example.and_then(Value::as_f64).unwrap_or(1.0)),
            TypeRef::Boolean => Sample::Boolean(example.and_then(Value::as_bool).unwrap_or(false)),
            TypeRef::Json => Sample::Json(
                example
                    .cloned()
                    .unwrap_or(Value::Object(serde_json::Map::new())),
            ),
            TypeRef::JsonObject | TypeRef::Map(_) => Sample::Default,
            TypeRef::File => Sample::File,
            TypeRef::Array(item) => {
                // An argument takes any iterator of what converts into an item; a `Vec`
                // nested in another value takes its items exactly.
                let item_converts = converts && types.argument_converts(item);
                let item = self.value(item, None, placeholder, item_converts, depth + 1)?;
                Sample::List {
                    item: Box::new(item),
                    vec: !converts,
                }
            }
            TypeRef::Named(name) => match &types.type_named(name)?.kind {
                TypeKind::Alias(target) => {
                    // An alias is spelled as its name, and takes what its target takes.
                    return self.value(target, example, placeholder, converts, depth + 1);
                }
                TypeKind::Enum(variants) => {
                    let wanted = example.and_then(Value::as_str);
                    let variant = variants
                        .iter()
                        .find(|variant| Some(variant.wire_value.as_str()) == wanted)
                        .or(variants.first())?;
                    Sample::Variant {
                        ty: name.clone(),
                        variant: variant.rust_name.clone(),
                    }
                }
                TypeKind::Struct(fields) => {
                    let mut arguments = Vec::new();
                    for field in fields.fields.iter().filter(|f| f.is_constructor_argument()) {
                        arguments.push(match field.presence {
                            Presence::RequiredNullable => Sample::Null,
                            _ => self.value(
                                &field.ty,
                                field.example.as_ref(),
                                &field.wire_name,
                                types.member_argument_converts(&field.ty),
                                depth + 1,
                            )?,
                        });
                    }
                    Sample::Construct {
                        ty: name.clone(),
                        arguments,
                        default: fields.all_optional(),
                    }
                }
                TypeKind::Union(union) => {
                    if converts {
                        if union.from_str.is_some() {
                            return Some(Sample::Text {
                                value: text(example, placeholder),
                                owned: false,
                            });
                        }
                        // Any variant whose value converts, given exactly.
                        if let Some(variant) = union.variants.iter().find(|variant| variant.from) {
                            let ty = match &variant.ty {
                                TypeRef::Boxed(inner) => inner.as_ref(),
                                other => other,
                            };
                            return self.value(ty, example, placeholder, false, depth + 1);
                        }
                    }
                    let variant = union
                        .variants
                        .iter()
                        .find(|variant| Some(&variant.rust_name) == union.from_str.as_ref())
                        .or(union.variants.first())?;
                    let value = self.value(&variant.ty, example, placeholder, false, depth + 1)?;
                    Sample::Wrap {
                        ty: name.clone(),
                        variant: variant.rust_name.clone(),
                        value: Box::new(value),
                    }
                }
            },
        };
        Some(sample)
    }
}

/// The example's text, or the placeholder (the member's own name).
fn text(example: Option<&Value>, placeholder: &str) -> String {
    match example {
        Some(Value::String(text)) => text.clone(),
        Some(other @ (Value::Number(_) | Value::Bool(_))) => other.to_string(),
        _ => placeholder.to_owned(),
    }
}
