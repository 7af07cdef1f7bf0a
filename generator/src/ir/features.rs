//! Cargo features: an application pays only for the parts of a large API it uses.
//!
//! Each operation belongs to one group: the `x-sdk-feature` it names, else the first segment
//! of its resource path (`fine_tuning` for `client.fine_tuning().jobs()...`), else the first
//! segment of its URL path. With two groups or more, each group is a feature (kebab-case:
//! `fine-tuning`) that compiles its operations and every type they reach; a type that several
//! features reach compiles with any of them, once. Types that no operation reaches (webhook
//! payloads, events of other transports) have a feature of their own, [`OTHER_TYPES`]. All
//! are on by default. A root `x-sdk-features: false` turns features off.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use openapiv3::OpenAPI;
use serde_json::Value;

use super::model::{Feature, Operation, PathPart, ResponseKind, TypeDef, TypeKind, TypeRef};
use super::naming::{snake_ident, unraw};
use crate::error::SpecError;
use crate::pointer::Pointer;

/// The feature of the types no operation reaches.
pub const OTHER_TYPES: &str = "other-types";

/// Names a group cannot take: Cargo's own, the command-line tool's and [`OTHER_TYPES`].
const RESERVED: &[&str] = &["default", "cli", OTHER_TYPES];

/// Decides the features, and sets the gate of every operation and type. Without features,
/// every gate is left empty.
pub fn assign(
    doc: &OpenAPI,
    operations: &mut [Operation],
    types: &mut [TypeDef],
) -> Result<Vec<Feature>, SpecError> {
    let enabled = match doc.extensions.get("x-sdk-features") {
        None | Some(Value::Bool(true)) => true,
        Some(Value::Bool(false)) => false,
        Some(_) => {
            return Err(SpecError::new(
                Pointer::root().join("x-sdk-features"),
                "expected `false` (no Cargo features) or `true` (the default)",
            ))
        }
    };
    // Group name → (how it was chosen, number of operations).
    let mut groups: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for operation in operations.iter_mut() {
        let (name, origin) = group(operation);
        let entry = groups.entry(name.clone()).or_insert((origin, 0));
        entry.1 += 1;
        operation.gate = vec![name];
    }
    if !enabled || groups.len() < 2 {
        for operation in operations.iter_mut() {
            operation.gate.clear();
        }
        return Ok(Vec::new());
    }
    let mut features: Vec<Feature> = groups
        .into_iter()
        .map(|(name, (origin, count))| Feature {
            name,
            docs: format!("{origin} ({count})"),
        })
        .collect();
    let reached = reach(operations, types);
    let operation_features = features.len();
    let mut other_types = false;
    for (def, reached_by) in types.iter_mut().zip(reached) {
        def.gate = if reached_by.is_empty() {
            other_types = true;
            vec![OTHER_TYPES.to_owned()]
        } else if reached_by.len() == operation_features {
            // Every operation feature needs it: it is part of any useful build.
            Vec::new()
        } else {
            reached_by.into_iter().collect()
        };
    }
    if other_types {
        features.push(Feature {
            name: OTHER_TYPES.to_owned(),
            docs: "Types of the description that no operation uses".to_owned(),
        });
        features.sort_by(|a, b| a.name.cmp(&b.name));
    }
    Ok(features)
}

/// An operation's group (a feature name) and a phrase saying where it comes from.
fn group(operation: &Operation) -> (String, String) {
    let (name, origin) = if let Some(named) = operation.gate.first() {
        (
            snake_ident(named),
            "Operations marked `x-sdk-feature`".to_owned(),
        )
    } else if let Some(top) = operation.resource.first() {
        (
            unraw(top).to_owned(),
            format!("Operations under `client.{top}()`"),
        )
    } else {
        let segment = operation.path_parts.iter().find_map(|part| match part {
            PathPart::Literal(text) => text.split('/').find(|s| !s.is_empty()),
            PathPart::Param(_) => None,
        });
        match segment {
            Some(segment) => (
                snake_ident(segment),
                format!("Operations of the client under `/{segment}`"),
            ),
            None => ("root".to_owned(), "Operations on `/`".to_owned()),
        }
    };
    (feature_name(&name), origin)
}

/// A group's name as a Cargo feature: kebab-case, never one of the [`RESERVED`] names.
fn feature_name(group: &str) -> String {
    let mut name = unraw(group).replace('_', "-").trim_matches('-').to_owned();
    if name.is_empty() {
        name.push_str("root");
    }
    if RESERVED.contains(&name.as_str()) {
        name.push_str("-api");
    }
    name
}

/// For each type, the features (names) whose operations reach it, directly or through other
/// types.
fn reach(operations: &[Operation], types: &[TypeDef]) -> Vec<BTreeSet<String>> {
    let index: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, def)| (def.name.as_str(), i))
        .collect();
    let mut reached = vec![BTreeSet::new(); types.len()];
    for operation in operations {
        let Some(feature) = operation.gate.first() else {
            continue;
        };
        let mut stack: Vec<&TypeRef> = Vec::new();
        stack.extend(operation.params.iter().map(|param| &param.ty));
        stack.extend(operation.body.iter().map(|body| &body.ty));
        stack.extend(operation.error.iter());
        stack.extend(operation.stream.iter().map(|stream| &stream.event));
        if let ResponseKind::Json(ty) | ResponseKind::EventStream(ty) = &operation.response {
            stack.push(ty);
        }
        while let Some(ty) = stack.pop() {
            match ty {
                TypeRef::Named(name) => {
                    let Some(&i) = index.get(name.as_str()) else {
                        continue;
                    };
                    if reached[i].insert(feature.clone()) {
                        match &types[i].kind {
                            TypeKind::Struct(s) => stack.extend(s.fields.iter().map(|f| &f.ty)),
                            TypeKind::Union(union) => {
                                stack.extend(union.variants.iter().map(|v| &v.ty))
                            }
                            TypeKind::Alias(target) => stack.push(target),
                            TypeKind::Enum(_) => {}
                        }
                    }
                }
                TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
                    stack.push(inner)
                }
                TypeRef::String
                | TypeRef::Boolean
                | TypeRef::Integer(_)
                | TypeRef::Number(_)
                | TypeRef::Json
                | TypeRef::File
                | TypeRef::JsonObject => {}
            }
        }
    }
    reached
}
