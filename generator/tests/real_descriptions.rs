//! Real, published API descriptions (`tests/real/`, unmodified; see `SOURCES.md` there): each
//! generates a crate, with the warnings it is expected to have and no error, and every crate
//! passes clippy with `-D warnings` with every feature on (its command-line tool too) and
//! with none (the OpenAI crate also with its `certificates` feature alone), and documents
//! with rustdoc's warnings denied; the OpenAI crate's doctests (an example call per
//! operation, the README's programs) compile. They are too large to snapshot; the corpus
//! (`tests/corpus/`) snapshots each construct instead.
//! `tests/real_checks/` then runs the OpenAI crate on the wire: its certificates operations
//! against `generated/`'s, and one operation of each kind besides.

mod support;

use sdkgen::Settings;
use support::{manifest_dir, real_descriptions, runtime_dependency, short_name, Workspace};

/// Conventions an API follows that its description does not say, given as hints rather than
/// edits: OpenAI's servers read array query values written `include[]=content`, as the
/// hand-written description of `generated/` says with the same hint, and its descriptions'
/// links (`/docs/guides/audio`) lead to its platform's site.
fn hints(file: &str) -> Vec<(String, serde_json::Value)> {
    match file {
        "openai.yaml" => vec![
            ("x-sdk-query-array-format".into(), "brackets".into()),
            (
                "x-sdk-docs-base-url".into(),
                "https://platform.openai.com".into(),
            ),
        ],
        _ => Vec::new(),
    }
}

#[test]
fn real_descriptions_generate_and_pass_clippy_with_default_and_all_features() {
    let mut workspace = Workspace::create("real-workspace");
    for file in &real_descriptions() {
        let spec = manifest_dir().join("tests/real").join(file);
        let name = short_name(file);
        let settings = Settings {
            crate_name: Some(format!("real-{name}")),
            hints: hints(file),
            runtime: runtime_dependency(),
            ..Settings::default()
        };
        let generated = sdkgen::generate(&spec, &format!("tests/real/{file}"), &settings)
            .unwrap_or_else(|error| panic!("{file} is rejected:\n{error}"));
        let warnings: String = generated
            .warnings
            .iter()
            .map(|warning| {
                // The file, for a description split over files, relative to `tests/real/`.
                let real = manifest_dir().join("tests/real");
                let file = warning.file.as_ref().map(|path| {
                    format!("{}: ", path.strip_prefix(&real).unwrap_or(path).display())
                });
                let file = file.unwrap_or_default();
                format!("{file}{}: {}\n", warning.pointer, warning.reason)
            })
            .collect();
        let golden = manifest_dir().join(format!("tests/real/warnings/{name}.txt"));
        expectorate::assert_contents(golden, &warnings);
        workspace.add_generated(&name, &generated.files);
    }
    let fault_server = manifest_dir().join("../tests/support/fault_server.rs");
    let webhook_examples = openai_webhook_examples();
    workspace.add_fixture(
        "real_checks",
        &manifest_dir().join("tests/real_checks"),
        &[
            (&fault_server, "src/fault_server.rs"),
            (&webhook_examples, "src/webhook_examples.json"),
        ],
    );
    workspace.seal();
    workspace.clippy(&["--all-targets", "--all-features"]);
    // Pay for what you use: every crate with none of its API's features, and the OpenAI
    // crate with only the part of the API this project started from.
    let crates = ["--workspace", "--exclude", "real-checks", "--all-targets"];
    workspace.clippy(&[&crates[..], &["--no-default-features"]].concat());
    let openai = [
        "-p",
        "real-openai",
        "--all-targets",
        "--no-default-features",
    ];
    workspace.clippy(&[&openai[..], &["--features", "certificates"]].concat());
    // Their prose, the description's own, makes docs rustdoc reads without a warning.
    workspace.doc(&["--workspace", "--exclude", "real-checks", "--all-features"]);
    workspace.test(&["-p", "real-checks"]);
    // Each of the OpenAI crate's 288 example calls and its README's programs compile.
    workspace.test(&["--doc", "-p", "real-openai"]);
}

/// A file of `[webhook, example payload]` pairs: each webhook of OpenAI's description with the
/// example its payload's schema gives (`x-oaiMeta.example`), for `real_checks` to decode.
fn openai_webhook_examples() -> std::path::PathBuf {
    let text = std::fs::read_to_string(manifest_dir().join("tests/real/openai.yaml"))
        .expect("read OpenAI's description");
    // The generator's reader: serde's numbers stop at 64 bits, and the description's do not.
    let description = sdkgen::load::read_tree(&text).expect("YAML");
    let schemas = &description["components"]["schemas"];
    let webhooks = description["webhooks"].as_mapping().expect("webhooks");
    let pairs: Vec<serde_json::Value> = webhooks
        .iter()
        .map(|(name, item)| {
            let reference = item["post"]["requestBody"]["content"]["application/json"]["schema"]
                ["$ref"]
                .as_str()
                .expect("a payload schema by reference");
            let schema = &schemas[reference.trim_start_matches("#/components/schemas/")];
            let example = schema["x-oaiMeta"]["example"]
                .as_str()
                .expect("an example payload");
            // Two of them have a trailing comma, which JSON refuses and YAML reads.
            let example: serde_json::Value = serde_yaml::from_str(example).expect("JSON or YAML");
            serde_json::json!([name.as_str().expect("a name"), example])
        })
        .collect();
    let path = manifest_dir().join("../target/openai-webhook-examples.json");
    std::fs::write(&path, serde_json::to_string_pretty(&pairs).expect("JSON"))
        .expect("write the examples");
    path
}
