//! The degradation ladder, by mutation: into published descriptions, inject each local
//! defect in turn, and assert that the description still generates, that a warning points at
//! the injected node, and that the crate's public API (`public-api.jsonl`) changes only in
//! the unit that holds the defect: the schema, the property or the operation.

mod support;

use std::collections::BTreeSet;

use sdkgen::Settings;
use serde_yaml::{Mapping, Value};
use support::manifest_dir;

/// A small subset of the real descriptions: YAML and JSON, 3.0 and 3.1 forms.
const DESCRIPTIONS: &[&str] = &[
    "swagger-petstore.yaml",
    "realworld.yaml",
    "oai-petstore-expanded.yaml",
    "spotify.yaml",
    "oxide-buildomat.json",
];

/// What a defect touches: the public API items it may change.
#[derive(Debug)]
enum Unit {
    /// A property of a component schema: the type's items, and setters named like the
    /// property (a body built from the schema).
    Property { schema: String, property: String },
    /// An operation (`GET /pets`, at `#/paths/~1pets/get`): its method and setters, the
    /// types written inline in it, and features.
    Operation { pointer: String },
    /// Nothing in the public API (a server URL).
    Nothing,
}

/// One injected defect: where, and what the tree becomes.
struct Defect {
    name: &'static str,
    /// Valid OpenAPI 3.1 (a boolean schema, a type list): a 3.1 description gets no warning.
    valid_in_3_1: bool,
    /// The pointer the warning must be at (or below).
    pointer: String,
    unit: Unit,
}

fn read(file: &str) -> (Value, String) {
    let path = manifest_dir().join("tests/real").join(file);
    let text = std::fs::read_to_string(&path).expect("read the description");
    (sdkgen::load::read_tree(&text).expect("a tree"), text)
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn map(value: &mut Value) -> &mut Mapping {
    value.as_mapping_mut().expect("a mapping")
}

fn text(value: &Value) -> Option<&str> {
    value.as_str()
}

/// The first component schema with a property that is written inline (not a `$ref`), and
/// that property.
fn first_property(tree: &Value) -> Option<(String, String)> {
    let schemas = tree.get("components")?.get("schemas")?.as_mapping()?;
    schemas.iter().find_map(|(name, schema)| {
        let properties = schema.get("properties")?.as_mapping()?;
        let (property, _) = properties.iter().find(|(_, p)| {
            p.get("$ref").is_none() && p.get("type").and_then(text) == Some("string")
        })?;
        Some((name.as_str()?.to_owned(), property.as_str()?.to_owned()))
    })
}

/// The first operation with a query parameter written inline, with its path and method.
fn first_query_parameter(tree: &Value) -> Option<(String, String, usize)> {
    let paths = tree.get("paths")?.as_mapping()?;
    paths.iter().find_map(|(path, item)| {
        ["get", "post", "put", "delete", "patch"]
            .iter()
            .find_map(|method| {
                let parameters = item.get(*method)?.get("parameters")?.as_sequence()?;
                let index = parameters
                    .iter()
                    .position(|p| p.get("in").and_then(text) == Some("query"))?;
                Some((path.as_str()?.to_owned(), (*method).to_owned(), index))
            })
    })
}

/// The first operation, with its path and method.
fn first_operation(tree: &Value) -> Option<(String, String)> {
    let paths = tree.get("paths")?.as_mapping()?;
    paths.iter().find_map(|(path, item)| {
        ["get", "post", "put", "delete", "patch"]
            .iter()
            .find(|method| item.get(**method).is_some())
            .map(|method| {
                (
                    path.as_str().unwrap_or_default().to_owned(),
                    (*method).to_owned(),
                )
            })
    })
}

/// Each defect of the ladder that the description has a place for, applied to a copy.
fn defects(tree: &Value) -> Vec<(Defect, Value)> {
    let mut out = Vec::new();
    if let Some((schema, property)) = first_property(tree) {
        let at = format!(
            "#/components/schemas/{}/properties/{}",
            escape(&schema),
            escape(&property)
        );
        let cases: [(&'static str, bool, Value); 4] = [
            (
                "a schema that does not read",
                false,
                serde_yaml::from_str("{type: object, properties: 7}").expect("yaml"),
            ),
            ("a boolean schema `true`", true, Value::Bool(true)),
            ("a boolean schema `false`", true, Value::Bool(false)),
            (
                "3.1's type list",
                true,
                serde_yaml::from_str("{type: [string, 'null']}").expect("yaml"),
            ),
        ];
        for (name, valid_in_3_1, replacement) in cases {
            let mut copy = tree.clone();
            let properties = map(&mut copy["components"]["schemas"][schema.as_str()]["properties"]);
            properties.insert(property.clone().into(), replacement);
            let unit = Unit::Property {
                schema: schema.clone(),
                property: property.clone(),
            };
            let pointer = at.clone();
            out.push((
                Defect {
                    name,
                    valid_in_3_1,
                    pointer,
                    unit,
                },
                copy,
            ));
        }
        let mut copy = tree.clone();
        let object = map(&mut copy["components"]["schemas"][schema.as_str()]);
        let required = object
            .entry("required".into())
            .or_insert_with(|| Value::Sequence(Vec::new()));
        let index = required.as_sequence().map_or(0, Vec::len);
        required
            .as_sequence_mut()
            .expect("a list")
            .push("zz_undeclared".into());
        out.push((
            Defect {
                valid_in_3_1: false,
                name: "a required name with no property",
                pointer: format!("#/components/schemas/{}/required/{index}", escape(&schema)),
                unit: Unit::Property {
                    schema: schema.clone(),
                    property: "zz_undeclared".to_owned(),
                },
            },
            copy,
        ));
    }
    if let Some((path, method, index)) = first_query_parameter(tree) {
        let mut copy = tree.clone();
        copy["paths"][path.as_str()][method.as_str()]["parameters"][index]["in"] = "nowhere".into();
        out.push((
            Defect {
                valid_in_3_1: false,
                name: "a parameter that does not read",
                pointer: format!("#/paths/{}/{method}/parameters/{index}", escape(&path)),
                unit: Unit::Operation {
                    pointer: format!("#/paths/{}/{method}", escape(&path)),
                },
            },
            copy,
        ));
    }
    if let Some((path, method)) = first_operation(tree) {
        let at = format!("#/paths/{}/{method}", escape(&path));
        let mut copy = tree.clone();
        copy["paths"][path.as_str()][method.as_str()]["responses"] =
            serde_yaml::from_str("{'200': {$ref: '#/components/requestBodies/Nope'}}")
                .expect("yaml");
        out.push((
            Defect {
                valid_in_3_1: false,
                name: "a `$ref` to the wrong kind",
                pointer: format!("{at}/responses/200"),
                unit: Unit::Operation {
                    pointer: at.clone(),
                },
            },
            copy,
        ));
        let mut copy = tree.clone();
        copy["paths"][path.as_str()][method.as_str()]["responses"] = Value::from(7);
        out.push((
            Defect {
                valid_in_3_1: false,
                name: "an operation that does not read",
                pointer: at.clone(),
                unit: Unit::Operation {
                    pointer: at.clone(),
                },
            },
            copy,
        ));
    }
    let mut copy = tree.clone();
    if let Some(Value::Sequence(servers)) = copy.get_mut("servers") {
        if let Some(first) = servers.first_mut() {
            let url = first
                .get("url")
                .and_then(text)
                .unwrap_or_default()
                .to_owned();
            first["url"] = format!("{url}/{{undefined}}").into();
            out.push((
                Defect {
                    valid_in_3_1: false,
                    name: "an undefined server variable",
                    pointer: "#/servers/0/url".to_owned(),
                    unit: Unit::Nothing,
                },
                copy,
            ));
        }
    }
    out
}

/// The public API as a set of lines, and the item of each.
/// The public API as `public-api.jsonl` lines, but with every item's place (the listing
/// leaves out places through list positions, which are what tells a parameter's items).
fn surface(generated: &sdkgen::Generated) -> BTreeSet<String> {
    generated
        .surface
        .items
        .iter()
        .map(|(key, item)| {
            let mut line = serde_json::to_value(item).expect("an item as JSON");
            line["item"] = serde_json::Value::String(key.clone());
            line.to_string()
        })
        .collect()
}

fn item(line: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
    value["item"].as_str().unwrap_or_default().to_owned()
}

/// The Rust names the unit's items go by in `baseline`: `types::Pet` for a schema, the
/// method item (`client.pets().list()`) for an operation.
fn allowed_prefixes(unit: &Unit, baseline: &BTreeSet<String>) -> Vec<String> {
    let origin_of = |matches: &dyn Fn(&str) -> bool| -> Vec<String> {
        baseline
            .iter()
            .filter_map(|line| {
                let value: serde_json::Value = serde_json::from_str(line).ok()?;
                let origin = value["origin"].as_str()?;
                matches(origin).then(|| value["item"].as_str().unwrap_or_default().to_owned())
            })
            .collect()
    };
    match unit {
        Unit::Property { schema, .. } => {
            let pointer = format!("#/components/schemas/{}", escape(schema));
            origin_of(&|origin| origin == pointer || origin.starts_with(&format!("{pointer}/")))
        }
        Unit::Operation { pointer, .. } => {
            let mut prefixes = origin_of(&|origin| {
                origin == pointer || origin.starts_with(&format!("{pointer}/"))
            });
            // Types named after the operation's builder (`operations::Login` → `LoginResponse`)
            // are its own, wherever their schema is written.
            let builders: Vec<String> = baseline
                .iter()
                .filter(|line| line.contains(&format!("\"origin\":\"{pointer}\"")))
                .filter_map(|line| {
                    let after = line.split("-> operations::").nth(1)?;
                    let name: String = after
                        .chars()
                        .take_while(char::is_ascii_alphanumeric)
                        .collect();
                    Some(format!("types::{name}"))
                })
                .collect();
            prefixes.extend(builders);
            prefixes.push("feature ".to_owned());
            prefixes
        }
        Unit::Nothing => Vec::new(),
    }
}

/// Whether a changed item is the unit's: one of its items, a setter or field named like the
/// property, or a method whose arguments (before or after) name the property.
fn is_allowed(lines: &[&String], unit: &Unit, prefixes: &[String]) -> bool {
    use heck::ToSnakeCase;
    let line_item = item(lines[0]);
    if prefixes
        .iter()
        .any(|prefix| line_item.starts_with(prefix.as_str()))
    {
        return true;
    }
    let Unit::Property { property, .. } = unit else {
        return false;
    };
    let snake = property.to_snake_case();
    // Its setters, and the field wherever the schema is merged in (`allOf`).
    let members = [
        format!(".{snake}()"),
        format!(".{snake}_null()"),
        format!(".{snake}"),
    ];
    members
        .iter()
        .any(|member| line_item.ends_with(member.as_str()))
        || lines
            .iter()
            .any(|line| line.contains(&format!("{snake}: ")))
}

#[test]
fn each_local_defect_degrades_its_unit_alone() {
    let mut tried = 0;
    for file in DESCRIPTIONS {
        let (tree, _) = read(file);
        let generate = |tree: &Value| {
            let text = serde_yaml::to_string(tree).expect("serialize");
            let settings = Settings {
                crate_name: Some("mutant".to_owned()),
                ..Settings::default()
            };
            sdkgen::generate_from_str(
                &text,
                &manifest_dir().join("tests/real").join(file),
                file,
                &settings,
            )
        };
        let baseline = generate(&tree).unwrap_or_else(|error| panic!("{file}: {error}"));
        let baseline_warnings: BTreeSet<String> = baseline
            .warnings
            .iter()
            .map(|w| w.pointer.clone())
            .collect();
        let baseline_surface = surface(&baseline);
        let is_3_1 = tree
            .get("openapi")
            .and_then(text)
            .is_some_and(|v| v.starts_with("3.1"));
        for (defect, mutated) in defects(&tree) {
            tried += 1;
            let context = format!("{file}, {}", defect.name);
            let generated =
                generate(&mutated).unwrap_or_else(|error| panic!("{context}: rejected:\n{error}"));
            let new: Vec<&str> = generated
                .warnings
                .iter()
                .map(|w| w.pointer.as_str())
                .filter(|pointer| !baseline_warnings.contains(*pointer))
                .collect();
            if defect.valid_in_3_1 && is_3_1 {
                assert!(new.is_empty(), "{context}: valid 3.1, yet warned: {new:?}");
            } else {
                assert!(
                    new.iter()
                        .any(|pointer| pointer.starts_with(&defect.pointer)),
                    "{context}: no warning at {}; new warnings: {new:?}",
                    defect.pointer
                );
            }
            let mutated_surface = surface(&generated);
            let prefixes = allowed_prefixes(&defect.unit, &baseline_surface);
            let changed_items: BTreeSet<String> = baseline_surface
                .symmetric_difference(&mutated_surface)
                .map(|line| item(line))
                .collect();
            let changed: Vec<String> = changed_items
                .into_iter()
                .filter(|changed| {
                    let lines: Vec<&String> = baseline_surface
                        .iter()
                        .chain(&mutated_surface)
                        .filter(|line| item(line) == *changed)
                        .collect();
                    !is_allowed(&lines, &defect.unit, &prefixes)
                })
                .collect();
            assert!(
                changed.is_empty(),
                "{context}: items outside {:?} (allowed: {prefixes:?}) changed: {changed:#?}",
                defect.unit
            );
        }
    }
    assert!(
        tried >= DESCRIPTIONS.len() * 5,
        "only {tried} defects applied"
    );
}
