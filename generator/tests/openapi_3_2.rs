//! OpenAI's published description (3.1), rewritten as 3.2 writes the same API: each
//! `text/event-stream` schema as an `itemSchema` whose event `data` carries the JSON it
//! encodes (`contentMediaType`, `contentSchema`). The crate generated from it is the crate
//! generated from the original, file for file: the same operations, typed the same way.

mod support;

use std::fs;

use support::manifest_dir;

/// The rewriting, shared with the benchmark's example program.
#[path = "../examples/as_openapi_3_2.rs"]
#[allow(dead_code)]
mod rewrite;

#[test]
fn openais_description_written_as_3_2_generates_the_same_crate() {
    let original = manifest_dir().join("tests/real/openai.yaml");
    let text = fs::read_to_string(&original).expect("OpenAI's description");
    let (converted, streams) = rewrite::as_openapi_3_2(&text).expect("rewritten");
    assert!(streams >= 5, "only {streams} event streams were rewritten");
    let dir = std::env::temp_dir().join(format!("sdkgen-openapi-3-2-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("a temporary directory");
    let rewritten = dir.join("openai-3.2.yaml");
    fs::write(&rewritten, converted).expect("write the 3.2 description");

    let settings = sdkgen::Settings::default();
    // One label, so that the files' headers are the same.
    let label = "openai.yaml";
    let from_3_1 = sdkgen::generate(&original, label, &settings).expect("3.1 generates");
    let from_3_2 = sdkgen::generate(&rewritten, label, &settings);
    let _ = fs::remove_dir_all(&dir);
    let from_3_2 = from_3_2.expect("3.2 generates");
    let paths = |files: &[sdkgen::GeneratedFile]| -> Vec<String> {
        files.iter().map(|file| file.path.clone()).collect()
    };
    assert_eq!(paths(&from_3_2.files), paths(&from_3_1.files));
    for (ours, theirs) in from_3_2.files.iter().zip(&from_3_1.files) {
        if ours.contents != theirs.contents {
            let line = ours
                .contents
                .lines()
                .zip(theirs.contents.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_default();
            panic!(
                "{} differs from line {}:\n3.2: {}\n3.1: {}",
                ours.path,
                line + 1,
                ours.contents.lines().nth(line).unwrap_or_default(),
                theirs.contents.lines().nth(line).unwrap_or_default()
            );
        }
    }
}
