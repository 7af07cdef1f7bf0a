//! Property tests: whatever the input, the generator answers with files or an error; it never
//! panics, and when it answers with files they are valid Rust (a render error would be a bug).

use std::path::Path;

use proptest::prelude::*;
use sdkgen::{Error, Settings};
use serde_yaml::{Mapping, Value};

fn outcome(text: &str) -> Result<(), String> {
    match sdkgen::generate_from_str(
        text,
        Path::new("fuzz.yaml"),
        "fuzz.yaml",
        &Settings::default(),
    ) {
        Ok(generated) => {
            for file in generated.files.iter().filter(|f| f.path.ends_with(".rs")) {
                syn::parse_file(&file.contents).map_err(|e| format!("{}: {e}", file.path))?;
            }
            Ok(())
        }
        Err(error @ Error::Render { .. }) => Err(error.to_string()),
        Err(Error::Spec { diagnostics, .. }) => {
            match diagnostics.iter().find(|d| !d.pointer.starts_with('#')) {
                Some(diagnostic) => Err(format!("a diagnostic without a pointer: {diagnostic}")),
                None if !diagnostics.iter().any(|d| d.is_error()) => {
                    Err("rejected without an error".to_owned())
                }
                None => Ok(()),
            }
        }
        Err(_) => Ok(()),
    }
}

/// Words that steer random trees into the generator's paths.
const VOCABULARY: &[&str] = &[
    "openapi",
    "info",
    "title",
    "version",
    "paths",
    "/a",
    "/a/{id}",
    "get",
    "post",
    "put",
    "delete",
    "patch",
    "parameters",
    "name",
    "in",
    "query",
    "path",
    "header",
    "required",
    "schema",
    "type",
    "string",
    "integer",
    "number",
    "boolean",
    "object",
    "array",
    "items",
    "properties",
    "enum",
    "nullable",
    "allOf",
    "oneOf",
    "anyOf",
    "$ref",
    "#/components/schemas/A",
    "components",
    "schemas",
    "A",
    "B",
    "responses",
    "200",
    "description",
    "content",
    "application/json",
    "requestBody",
    "additionalProperties",
    "operationId",
    "x-sdk-pagination",
    "x-sdk-resource",
    "after",
    "data",
    "has_more",
    "last_id",
    "3.0.3",
    "3.1.0",
    "null",
    "const",
    "security",
    "securitySchemes",
    "format",
    "int32",
];

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(VOCABULARY).prop_map(str::to_owned)
}

fn tree() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        word().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        (-3i64..300).prop_map(Value::from),
        Just(Value::Null),
    ];
    leaf.prop_recursive(6, 96, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Sequence),
            prop::collection::vec((word(), inner), 0..6).prop_map(|entries| {
                Value::Mapping(
                    entries
                        .into_iter()
                        .map(|(k, v)| (Value::from(k), v))
                        .collect::<Mapping>(),
                )
            }),
        ]
    })
}

/// A random document body under a valid header, so the generator gets past the version check.
fn document() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(&["3.0.3", "3.1.0"][..]),
        tree(),
        tree(),
    )
        .prop_map(|(version, paths, components)| {
            let mut root = Mapping::new();
            root.insert("openapi".into(), version.into());
            let mut info = Mapping::new();
            info.insert("title".into(), "Fuzz".into());
            info.insert("version".into(), "1".into());
            root.insert("info".into(), Value::Mapping(info));
            root.insert("paths".into(), paths);
            root.insert("components".into(), components);
            Value::Mapping(root)
        })
}

const CORPUS: &[&str] = &[
    include_str!("corpus/certificates_grown.yaml"),
    include_str!("corpus/unions.yaml"),
    include_str!("corpus/all_of.yaml"),
    include_str!("corpus/refs_everywhere.yaml"),
    include_str!("corpus/recursive.yaml"),
    include_str!("corpus/nullable_3_1.yaml"),
];

#[derive(Debug, Clone)]
enum Mutation {
    Remove,
    Replace(Value),
    Duplicate,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Remove),
        tree().prop_map(Mutation::Replace),
        Just(Mutation::Duplicate),
    ]
}

/// Applies a mutation to the node reached by following `path` (indices modulo the children).
fn mutate(node: &mut Value, path: &[usize], mutation: &Mutation) {
    let children = match node {
        Value::Mapping(map) => map.len(),
        Value::Sequence(items) => items.len(),
        _ => 0,
    };
    if children == 0 {
        if let Mutation::Replace(value) = mutation {
            *node = value.clone();
        }
        return;
    }
    let Some((&first, rest)) = path.split_first() else {
        return;
    };
    let index = first % children;
    let descend = !rest.is_empty();
    match node {
        Value::Mapping(map) => {
            let Some(key) = map.keys().nth(index).cloned() else {
                return;
            };
            if descend {
                if let Some(child) = map.get_mut(&key) {
                    mutate(child, rest, mutation);
                }
                return;
            }
            match mutation {
                Mutation::Remove => {
                    map.remove(&key);
                }
                Mutation::Replace(value) => {
                    map.insert(key, value.clone());
                }
                Mutation::Duplicate => {
                    if let Some(value) = map.get(&key).cloned() {
                        map.insert(
                            Value::from(format!("{}_copy", key.as_str().unwrap_or("k"))),
                            value,
                        );
                    }
                }
            }
        }
        Value::Sequence(items) => {
            if descend {
                mutate(&mut items[index], rest, mutation);
                return;
            }
            match mutation {
                Mutation::Remove => {
                    items.remove(index);
                }
                Mutation::Replace(value) => items[index] = value.clone(),
                Mutation::Duplicate => {
                    let copy = items[index].clone();
                    items.push(copy);
                }
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        prop_assert!(outcome(&text).is_ok());
    }

    #[test]
    fn arbitrary_documents_never_panic(doc in document()) {
        let text = serde_yaml::to_string(&doc).expect("a tree serializes");
        if let Err(problem) = outcome(&text) {
            prop_assert!(false, "{problem}\n{text}");
        }
    }

    #[test]
    fn mutated_valid_specs_never_panic(
        spec in prop::sample::select(CORPUS),
        edits in prop::collection::vec((prop::collection::vec(any::<usize>(), 1..8), mutation()), 1..4),
    ) {
        let mut doc: Value = serde_yaml::from_str(spec).expect("a corpus spec parses");
        for (path, edit) in &edits {
            mutate(&mut doc, path, edit);
        }
        let text = serde_yaml::to_string(&doc).expect("a tree serializes");
        if let Err(problem) = outcome(&text) {
            prop_assert!(false, "{problem}\n{text}");
        }
    }
}
