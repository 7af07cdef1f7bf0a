//! Prints an OpenAPI 3.0 or 3.1 description rewritten as 3.2 writes the same API: each
//! `text/event-stream` schema becomes an `itemSchema` whose event `data` carries the JSON it
//! encodes (`contentMediaType`, `contentSchema`). For the 3.2 benchmark and
//! `tests/openapi_3_2.rs`:
//! `cargo run --release -p sdkgen --example as_openapi_3_2 -- openai.yaml > openai-3.2.yaml`.

use std::process::ExitCode;

use serde_yaml::{Mapping, Value};

/// The description as 3.2 writes it, and how many event streams were rewritten.
pub fn as_openapi_3_2(text: &str) -> Result<(String, usize), String> {
    // Read as generation reads it (`serde_yaml` alone refuses 64-bit-overflowing bounds).
    let mut tree = sdkgen::load::read_tree(text).map_err(|error| error.to_string())?;
    tree["openapi"] = Value::from("3.2.0");
    let mut streams = 0;
    rewrite_event_streams(&mut tree, &mut streams);
    let text = serde_yaml::to_string(&tree).map_err(|error| error.to_string())?;
    Ok((text, streams))
}

/// Every `text/event-stream` media type with a `schema`: its schema becomes the encoded
/// `data` of the event its `itemSchema` describes.
fn rewrite_event_streams(node: &mut Value, streams: &mut usize) {
    match node {
        Value::Mapping(map) => {
            if let Some(Value::Mapping(media)) = map.get_mut("text/event-stream") {
                if let Some(schema) = media.remove("schema") {
                    media.insert("itemSchema".into(), event_of(schema));
                    *streams += 1;
                }
            }
            map.values_mut()
                .for_each(|child| rewrite_event_streams(child, streams));
        }
        Value::Sequence(items) => items
            .iter_mut()
            .for_each(|child| rewrite_event_streams(child, streams)),
        _ => {}
    }
}

/// `type: object, required: [data], properties: {event, data: {contentSchema: schema}}`.
fn event_of(schema: Value) -> Value {
    let mapping = |entries: Vec<(&str, Value)>| {
        Value::Mapping(Mapping::from_iter(
            entries
                .into_iter()
                .map(|(key, value)| (Value::from(key), value)),
        ))
    };
    let data = mapping(vec![
        ("type", "string".into()),
        ("contentMediaType", "application/json".into()),
        ("contentSchema", schema),
    ]);
    mapping(vec![
        ("type", "object".into()),
        ("required", Value::Sequence(vec!["data".into()])),
        (
            "properties",
            mapping(vec![
                ("event", mapping(vec![("type", "string".into())])),
                ("data", data),
            ]),
        ),
    ])
}

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: as_openapi_3_2 DESCRIPTION");
        return ExitCode::from(2);
    };
    let converted = std::fs::read_to_string(&path)
        .map_err(|error| format!("{path}: {error}"))
        .and_then(|text| as_openapi_3_2(&text));
    match converted {
        Ok((text, _)) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
