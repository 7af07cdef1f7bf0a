//! Cargo features: an application pays only for the parts of a large API it uses.
//!
//! Each operation belongs to one group: the `x-sdk-feature` it names, else its first tag (the
//! description's own grouping: `Fine-tuning` → `fine-tuning`), else the first segment of its
//! resource path (`fine_tuning` for `client.fine_tuning().jobs()...`), else the first segment
//! of its URL path. With two groups or more, each group is a feature (kebab-case:
//! `fine-tuning`) that compiles its operations and every type they reach; a type that several
//! features reach compiles with any of them, once. The webhooks are a group of their own,
//! [`WEBHOOKS`], whose feature compiles their module and every type their events reach (a
//! feature even without the others: their verification needs crates of its own). Types
//! that nothing reaches (events of other transports) have a feature of their own,
//! [`OTHER_TYPES`], off by default; the groups are on by default. A root
//! `x-sdk-features: false` turns features off, and so do more groups than crates.io accepts
//! features ([`MAX_FEATURES`]), with a warning: `x-sdk-feature` can group the operations
//! coarser.

use std::collections::{BTreeMap, HashMap};

use openapiv3::OpenAPI;
use serde_json::Value;

use super::model::{
    Feature, Operation, OperationModule, PathPart, ResponseKind, TypeDef, TypeKind, TypeModule,
    TypeModuleKind, TypeRef, Webhooks,
};
use super::naming::{ascii_words, module_ident, snake_ident, unraw, Namespace};
use crate::error::SpecError;
use crate::pointer::Pointer;

/// The feature of the types no operation reaches.
pub const OTHER_TYPES: &str = "other-types";

/// The feature of the webhooks (their module and the types their events reach), when the
/// description has any; an operation group of that name is `webhooks-api`.
pub const WEBHOOKS: &str = "webhooks";

/// The most features crates.io accepts in a manifest; a crate with more could not be published
/// (and every type reached by hundreds of them would carry a `cfg` naming each).
pub const MAX_FEATURES: usize = 300;

/// Names a group cannot take: Cargo's own, the command-line tool's and [`OTHER_TYPES`].
const RESERVED: &[&str] = &["default", "cli", OTHER_TYPES];

/// The crate's features, and why there are none when a description has too many groups.
pub struct Assigned {
    pub features: Vec<Feature>,
    /// The files of `types`, by feature (see [`type_modules`]).
    pub type_modules: Vec<TypeModule>,
    /// The files of `operations`, one per feature with operations.
    pub operation_modules: Vec<OperationModule>,
    pub warning: Option<SpecError>,
}

/// Decides the features, and sets the gate of every operation and type. Without features,
/// every gate is left empty.
pub fn assign(
    doc: &OpenAPI,
    operations: &mut [Operation],
    types: &mut [TypeDef],
    mut webhooks: Option<&mut Webhooks>,
) -> Result<Assigned, SpecError> {
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
        let (mut name, origin) = group(operation);
        if webhooks.is_some() && name == WEBHOOKS {
            name.push_str("-api");
        }
        let entry = groups.entry(name.clone()).or_insert((origin, 0));
        entry.1 += 1;
        operation.gate = vec![name];
    }
    if let Some(webhooks) = &webhooks {
        let origin = WEBHOOKS_DOCS.to_owned();
        groups.insert(WEBHOOKS.to_owned(), (origin, webhooks.events.len()));
    }
    let too_many = groups.len() > MAX_FEATURES;
    if !enabled || groups.len() < 2 || too_many {
        for operation in operations.iter_mut() {
            operation.gate.clear();
        }
        // The webhooks' verification needs crates of its own: a feature still, on by default.
        let features = match webhooks {
            Some(webhooks) => {
                webhooks.gate = vec![WEBHOOKS.to_owned()];
                vec![webhooks_feature(webhooks)]
            }
            None => Vec::new(),
        };
        let warning = (enabled && too_many).then(|| {
            SpecError::new(
                Pointer::root(),
                format!(
                    "{} top-level groups of operations are more Cargo features than crates.io \
                     accepts ({MAX_FEATURES}): the crate has none; name coarser groups with \
                     `x-sdk-feature` on the operations, or set `x-sdk-features: false`",
                    groups.len()
                ),
            )
        });
        return Ok(Assigned {
            features,
            type_modules: Vec::new(),
            operation_modules: Vec::new(),
            warning,
        });
    }
    let mut features: Vec<Feature> = groups
        .into_iter()
        .map(|(name, (origin, count))| Feature {
            name,
            docs: format!("{origin} ({count})"),
            default: true,
        })
        .collect();
    let names: Vec<&str> = features.iter().map(|f| f.name.as_str()).collect();
    let mut roots: Vec<(&str, Vec<&TypeRef>)> =
        operations.iter().filter_map(operation_roots).collect();
    let event_type = webhooks
        .as_ref()
        .map(|webhooks| TypeRef::Named(webhooks.event_type.clone()));
    roots.extend(event_type.as_ref().map(|ty| (WEBHOOKS, vec![ty])));
    let reached = reach(&roots, types, &names);
    if let Some(webhooks) = webhooks.as_mut() {
        webhooks.gate = vec![WEBHOOKS.to_owned()];
    }
    let mut other_types = false;
    for (def, reached_by) in types.iter_mut().zip(reached) {
        let count: u32 = reached_by.iter().map(|word| word.count_ones()).sum();
        def.gate = if count == 0 {
            other_types = true;
            vec![OTHER_TYPES.to_owned()]
        } else if count as usize == names.len() {
            // Every operation feature needs it: it is part of any useful build.
            Vec::new()
        } else {
            // Names are sorted, so the gate is too.
            (0..names.len())
                .filter(|&i| reached_by[i / 64] & (1 << (i % 64)) != 0)
                .map(|i| names[i].to_owned())
                .collect()
        };
    }
    if other_types {
        features.push(Feature {
            name: OTHER_TYPES.to_owned(),
            docs: "Types of the description that no operation uses (off by default)".to_owned(),
            default: false,
        });
        features.sort_by(|a, b| a.name.cmp(&b.name));
    }
    // `mod.rs` declares the files; a file named as its module would read `types::types`
    // (or `commands::commands`, the tool's); the tool's commands call the crate `sdk`.
    let mut names = Namespace::with_reserved([
        "mod",
        "types",
        "operations",
        "serde_impls",
        "commands",
        "sdk",
    ]);
    let module_names: Vec<String> = features
        .iter()
        .map(|feature| names.claim(&module_ident(&feature.name)))
        .collect();
    let type_modules = type_modules(&features, &module_names, &mut names, types);
    let operation_modules = features
        .iter()
        .zip(&module_names)
        .map(|(feature, name)| OperationModule {
            name: name.clone(),
            gate: vec![feature.name.clone()],
            operations: (0..operations.len())
                .filter(|&index| operations[index].gate == [feature.name.as_str()])
                .collect(),
        })
        .filter(|module| !module.operations.is_empty())
        .collect();
    Ok(Assigned {
        features,
        type_modules,
        operation_modules,
        warning: None,
    })
}

/// What the webhooks' feature compiles.
const WEBHOOKS_DOCS: &str = "The webhooks: their events and their verification";

/// The feature of the webhooks, when it is the only one.
fn webhooks_feature(webhooks: &Webhooks) -> Feature {
    Feature {
        name: WEBHOOKS.to_owned(),
        docs: format!("{WEBHOOKS_DOCS} ({})", webhooks.events.len()),
        default: true,
    }
}

/// The files of `types` once each type's gate is known: one per feature for the types only
/// it reaches, `shared` for those several reach, `common` for those every one reaches.
/// Empty files are left out.
fn type_modules(
    features: &[Feature],
    module_names: &[String],
    names: &mut Namespace,
    types: &[TypeDef],
) -> Vec<TypeModule> {
    let mut modules: Vec<TypeModule> = features
        .iter()
        .zip(module_names)
        .map(|(feature, name)| TypeModule {
            name: name.clone(),
            kind: TypeModuleKind::Feature(feature.name.clone()),
            gate: vec![feature.name.clone()],
            types: Vec::new(),
        })
        .collect();
    let shared = modules.len();
    for kind in [TypeModuleKind::Shared, TypeModuleKind::Common] {
        let wanted = match kind {
            TypeModuleKind::Shared => "shared",
            _ => "common",
        };
        modules.push(TypeModule {
            name: names.claim(wanted),
            kind,
            gate: Vec::new(),
            types: Vec::new(),
        });
    }
    for (index, def) in types.iter().enumerate() {
        let module = match def.gate.as_slice() {
            [] => shared + 1,
            [feature] => features
                .iter()
                .position(|f| f.name == *feature)
                .unwrap_or(shared),
            _ => shared,
        };
        modules[module].types.push(index);
    }
    // `shared` compiles with any feature one of its types needs: without them it would be
    // empty, and its re-export unused.
    let mut needed: Vec<String> = modules[shared]
        .types
        .iter()
        .flat_map(|&index| types[index].gate.iter().cloned())
        .collect();
    needed.sort();
    needed.dedup();
    modules[shared].gate = needed;
    modules.retain(|module| !module.types.is_empty());
    modules
}

/// An operation's group (a feature name) and a phrase saying where it comes from.
fn group(operation: &Operation) -> (String, String) {
    let (name, origin) = if let Some(named) = operation.gate.first() {
        (
            snake_ident(named),
            "Operations marked `x-sdk-feature`".to_owned(),
        )
    } else if let Some(tag) = operation
        .tag
        .as_deref()
        .filter(|tag| !tag.trim().is_empty())
    {
        (snake_ident(tag), format!("Operations tagged `{tag}`"))
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

/// A group's name as a Cargo feature: kebab-case ASCII, never one of the [`RESERVED`] names.
fn feature_name(group: &str) -> String {
    // ASCII, as Cargo.toml's bare keys are; at most as long as a module's name.
    let mut name = ascii_words(unraw(group), '-');
    if name.is_empty() {
        name.push_str("root");
    }
    if RESERVED.contains(&name.as_str()) {
        name.push_str("-api");
    }
    name
}

/// What an operation's feature reaches first: the types of its parameters, body, error,
/// stream and response.
fn operation_roots(operation: &Operation) -> Option<(&str, Vec<&TypeRef>)> {
    let feature = operation.gate.first()?;
    let mut roots: Vec<&TypeRef> = Vec::new();
    roots.extend(operation.params.iter().map(|param| &param.ty));
    roots.extend(operation.body.iter().map(|body| &body.ty));
    roots.extend(operation.error.iter());
    roots.extend(operation.stream.iter().map(|stream| &stream.event));
    match &operation.response {
        ResponseKind::Json(ty) | ResponseKind::EventStream(ty) => roots.push(ty),
        ResponseKind::Sequence { item: Some(ty), .. } => roots.push(ty),
        _ => {}
    }
    Some((feature, roots))
}

/// For each type, the features (bits, in the order of `names`) whose roots reach it,
/// directly or through other types. Each (feature, type) pair is visited once.
fn reach(roots: &[(&str, Vec<&TypeRef>)], types: &[TypeDef], names: &[&str]) -> Vec<Vec<u64>> {
    let index: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, def)| (def.name.as_str(), i))
        .collect();
    let words = names.len().div_ceil(64);
    let mut reached = vec![vec![0u64; words]; types.len()];
    for (feature, roots) in roots {
        let Ok(feature) = names.binary_search(feature) else {
            continue;
        };
        let (word, bit) = (feature / 64, 1u64 << (feature % 64));
        let mut stack: Vec<&TypeRef> = roots.clone();
        while let Some(ty) = stack.pop() {
            match ty {
                TypeRef::Named(name) => {
                    let Some(&i) = index.get(name.as_str()) else {
                        continue;
                    };
                    if reached[i][word] & bit == 0 {
                        reached[i][word] |= bit;
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
                TypeRef::Array(inner)
                | TypeRef::Map(inner)
                | TypeRef::Boxed(inner)
                | TypeRef::Nullable(inner) => stack.push(inner),
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
