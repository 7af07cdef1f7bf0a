//! Descriptions split over files, where they go wrong: each problem is reported in the file
//! where it is (line and column there), only the unit that holds it degrades, and a build
//! learns every file it read. (The corpus's `split_files` is the case where all goes well:
//! compiled, snapshot-checked and tested on the wire.)

use std::fs;
use std::path::{Path, PathBuf};

use sdkgen::{Diagnostic, Settings};

fn scratch(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sdkgen-split-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().expect("a parent")).expect("create the directory");
        fs::write(path, text).expect("write a file");
    }
    dir
}

const ROOT: &str = "openapi: 3.0.3
info: {title: Split, version: '1'}
paths:
  /things:
    $ref: paths/things.yaml
  /loop:
    $ref: paths/loop_a.yaml
components:
  schemas:
    Remote: {$ref: 'https://example.test/schemas.yaml#/Thing'}
    Missing: {$ref: 'schemas/nowhere.yaml'}
";

const THINGS: &str = "get:
  operationId: listThings
  responses:
    '200':
      description: ok
      content:
        application/json:
          schema: {$ref: '../schemas/thing.yaml'}
";

const THING: &str = "type: object
properties:
  id: {type: string}
  size: {type: integer, minimum: [1]}
";

fn located(dir: &Path, diagnostic: &Diagnostic) -> String {
    let text = sdkgen::located(&dir.join("openapi.yaml"), diagnostic);
    text.replace(&format!("{}/", dir.display()), "")
}

#[test]
fn each_problem_is_located_in_its_own_file_and_degrades_alone() {
    let dir = scratch(
        "problems",
        &[
            ("openapi.yaml", ROOT),
            ("paths/things.yaml", THINGS),
            ("paths/loop_a.yaml", "$ref: loop_b.yaml\n"),
            ("paths/loop_b.yaml", "$ref: loop_a.yaml\n"),
            ("schemas/thing.yaml", THING),
        ],
    );
    let generated = sdkgen::generate(
        &dir.join("openapi.yaml"),
        "openapi.yaml",
        &Settings::default(),
    )
    .expect("generates with warnings");
    let warnings: Vec<String> = generated
        .warnings
        .iter()
        .map(|w| located(&dir, w))
        .collect();
    assert_eq!(
        warnings,
        [
            // The `$ref` that closes the loop, in the file where it is written.
            "paths/loop_b.yaml:1:1: warning: #/$ref: `$ref: loop_a.yaml` refers to itself through other files; left unresolved",
            "openapi.yaml:10:14: warning: #/components/schemas/Remote/$ref: `$ref: https://example.test/schemas.yaml#/Thing` is a URL, which is not fetched (builds do not reach the network); left unresolved",
            "openapi.yaml:11:15: warning: #/components/schemas/Missing/$ref: `$ref: schemas/nowhere.yaml`: cannot read schemas/nowhere.yaml: No such file or directory (os error 2); left unresolved",
            "schemas/thing.yaml:4:25: warning: #/properties/size/minimum: `minimum` should be an integer; left out",
            "openapi.yaml:10:5: warning: #/components/schemas/Remote: `$ref: https://example.test/schemas.yaml#/Thing` could not be resolved; typed as `serde_json::Value`",
            "openapi.yaml:11:5: warning: #/components/schemas/Missing: `$ref: schemas/nowhere.yaml` could not be resolved; typed as `serde_json::Value`",
            "paths/loop_b.yaml:1:1: warning: #: a path item `$ref` that does not resolve to a path item; its operations are left out",
        ]
    );
    // The rest is as if nothing were wrong: the operation, and the thing's good member.
    let surface = generated.surface.to_jsonl("openapi.yaml");
    assert!(surface.contains("client.things().retrieve()"), "{surface}");
    let types = generated
        .files
        .iter()
        .find(|file| file.path == "src/types.rs")
        .expect("types");
    assert!(types.contents.contains("pub id: Option<String>,"));
    // Only the keyword that does not read is left out: the field keeps its type.
    assert!(
        types.contents.contains("pub size: Option<i64>,"),
        "{}",
        types.contents
    );
    let sources: Vec<String> = generated
        .sources
        .iter()
        .map(|path| {
            path.strip_prefix(&dir)
                .unwrap_or(path)
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(
        sources,
        [
            "openapi.yaml",
            "paths/things.yaml",
            "schemas/thing.yaml",
            "paths/loop_a.yaml",
            "paths/loop_b.yaml",
        ]
    );
    fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn a_rejected_description_names_the_file_of_each_problem() {
    let dir = scratch(
        "rejected",
        &[
            ("openapi.yaml", ROOT),
            ("paths/things.yaml", THINGS),
            ("paths/loop_a.yaml", "get: {responses: {}}\n"),
            ("schemas/thing.yaml", THING),
        ],
    );
    let settings = Settings {
        deny_warnings: true,
        ..Settings::default()
    };
    let error = sdkgen::generate(&dir.join("openapi.yaml"), "openapi.yaml", &settings)
        .expect_err("warnings denied");
    let text = error
        .to_string()
        .replace(&format!("{}/", dir.display()), "");
    assert!(
        text.contains(
            "schemas/thing.yaml:4:25: error: #/properties/size/minimum: `minimum` should be an integer"
        ),
        "{text}"
    );
    fs::remove_dir_all(&dir).expect("clean up");
}

/// `properties: {$ref: 'attributes.yaml#/ids'}` (the members are those written there, as
/// JSON Reference tools read it) and `required` beside an untyped `allOf`, both as
/// published split descriptions write them.
#[test]
fn members_by_reference_and_requirements_beside_all_of_are_typed() {
    let dir = scratch(
        "members",
        &[
            (
                "openapi.yaml",
                "openapi: 3.0.3
info: {title: Members, version: '1'}
paths:
  /things:
    post:
      operationId: addThings
      requestBody:
        content:
          application/json:
            schema:
              properties:
                $ref: 'attributes.yaml#/ids'
              required: [ids]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                allOf:
                  - $ref: 'attributes.yaml#/thing'
                required: [name]
",
            ),
            (
                "attributes.yaml",
                "ids:
  ids: {type: array, items: {type: integer}}
thing:
  type: object
  properties:
    name: {type: string}
",
            ),
        ],
    );
    let generated = sdkgen::generate(
        &dir.join("openapi.yaml"),
        "openapi.yaml",
        &Settings::default(),
    )
    .expect("generates");
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let types = generated
        .files
        .iter()
        .find(|file| file.path == "src/types.rs")
        .expect("types");
    assert!(
        types.contents.contains("pub ids: Vec<i64>,"),
        "{}",
        types.contents
    );
    assert!(
        types.contents.contains("pub name: String,"),
        "{}",
        types.contents
    );
    fs::remove_dir_all(&dir).expect("clean up");
}
