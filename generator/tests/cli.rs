//! The command-line tool: `generate` writes a crate, `check` writes nothing and exits 1 on a
//! difference, a rejected spec exits 2 with the file and JSON pointer, and nothing is written.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SPEC: &str = "openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {name: {type: string}}}
";

/// A test's own directory, removed when the test ends, passed or failed.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("sdkgen-cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create a scratch directory");
    Scratch(dir)
}

fn sdkgen(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sdkgen"))
        .args(args)
        .output()
        .expect("run sdkgen")
}

/// `sdkgen check SPEC --out DIR/out`, which writes nothing: what it says of a description.
fn check_in(dir: &Path, spec: &Path) -> Output {
    sdkgen(&[
        Path::new("check"),
        spec,
        Path::new("--out"),
        &dir.join("out"),
    ])
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn generate_then_check_then_detect_a_difference() {
    let dir = scratch("flow");
    let spec = dir.join("pets.yaml");
    let out = dir.join("out");
    fs::write(&spec, SPEC).expect("write the spec");

    let generated = sdkgen(&[Path::new("generate"), &spec, Path::new("--out"), &out]);
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    assert!(text(&generated.stdout).contains("added: src/types.rs"));
    let manifest = fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml written");
    assert!(manifest.contains("name = \"pets\""), "{manifest}");
    assert!(
        manifest.contains("\nsdkgen-runtime = { version = \"="),
        "the runtime from the registry by default: {manifest}"
    );
    assert!(!out.join("src/runtime").exists());

    let check = sdkgen(&[Path::new("check"), &spec, Path::new("--out"), &out]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));

    fs::write(&spec, SPEC.replace("getPet", "fetchPet")).expect("edit the spec");
    let before = fs::read_to_string(out.join("src/operations.rs")).expect("read");
    let check = sdkgen(&[Path::new("check"), &spec, Path::new("--out"), &out]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        text(&check.stdout).contains("modified: src/operations.rs"),
        "{}",
        text(&check.stdout)
    );
    let after = fs::read_to_string(out.join("src/operations.rs")).expect("read");
    assert_eq!(before, after, "check writes nothing");
}

#[test]
fn a_rejected_spec_exits_2_names_file_and_pointer_and_writes_nothing() {
    let dir = scratch("rejected");
    let spec = dir.join("bad.yaml");
    let out = dir.join("out");
    // Its only operation cannot be generated, so nothing can.
    fs::write(&spec, SPEC.replace("/pets/{id}:", "/pets/{id:")).expect("write the spec");

    let output = sdkgen(&[Path::new("generate"), &spec, Path::new("--out"), &out]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines[0].ends_with("bad.yaml:4:3: warning: #/paths/~1pets~1{id: unclosed `{` in the path template; the operation `GET /pets/{id` is left out"),
        "{stderr}"
    );
    assert!(
        lines[1].ends_with("bad.yaml:3:1: error: #/paths: nothing could be generated: every operation was left out (see the warnings)"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn every_problem_is_reported_in_one_run_located_and_degraded_alone() {
    let dir = scratch("five");
    let spec = dir.join("five.yaml");
    let out = dir.join("out");
    let description = "openapi: 3.0.3
info: {title: T, version: '1', x-sdk-crate-name: '9 lives'}
paths:
  /a/{id}:
    get:
      responses: {'200': {description: ok}}
  /b:
    post:
      requestBody: {content: {multipart/form-data: {schema: {type: string}}}}
      responses: {'200': {description: ok}}
  /c/{id}:
    get:
      parameters:
        - {name: id, in: path, schema: {type: string}}
      responses: {'200': {description: ok}}
  /d:
    trace:
      responses: {'200': {description: ok}}
components:
  schemas:
    Odd: {not: {type: string}}
";
    fs::write(&spec, description).expect("write the spec");
    let output = sdkgen(&[Path::new("generate"), &spec, Path::new("--out"), &out]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "the crate name is the SDK's own hint"
    );
    let stderr = text(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    let expected = [
        "five.yaml:2:32: error: #/info/x-sdk-crate-name: `9 lives` is not a valid crate name (letters, digits, `-` and `_`, starting with a letter)",
        "five.yaml:21:5: warning: #/components/schemas/Odd: `not` schemas are not supported; typed as `serde_json::Value`",
        "five.yaml:5:5: warning: #/paths/~1a~1{id}/get/parameters: the path template names `{id}` but the operation declares no path parameter `id`; it is a required string",
        "five.yaml:9:53: warning: #/paths/~1b/post/requestBody/content/multipart~1form-data/schema: a `multipart/form-data` body must be an object schema with properties; the request body is left out",
        "five.yaml:14:11: warning: #/paths/~1c~1{id}/get/parameters/0/required: path parameter `id` is not marked required; it is, as a path cannot leave it out",
        "five.yaml:17:5: warning: #/paths/~1d/trace: TRACE operations are not generated; this one is left out",
        "five.yaml: rejected with 1 error and 5 warnings",
    ];
    assert_eq!(lines.len(), expected.len(), "{stderr}");
    for (line, expected) in lines.iter().zip(expected) {
        assert!(
            line.ends_with(expected),
            "{line}\nexpected to end with\n{expected}"
        );
    }
    assert!(!out.exists(), "nothing is written");

    // Without the bad hint, the same description generates, with the same five warnings.
    fs::write(
        &spec,
        description.replace(", x-sdk-crate-name: '9 lives'", ""),
    )
    .expect("write");
    let output = sdkgen(&[Path::new("generate"), &spec, Path::new("--out"), &out]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let warnings: Vec<String> = text(&output.stderr).lines().map(str::to_owned).collect();
    assert_eq!(warnings.len(), 5, "{warnings:?}");
    assert!(out.join("src/lib.rs").exists());
}

#[test]
fn usage_errors_exit_2_with_help_per_command_and_the_version() {
    let output = sdkgen(&[Path::new("generate")]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("the following required arguments were not provided")
            && stderr.contains("--out <DIR>")
            && stderr.contains("<SPEC>"),
        "{stderr}"
    );
    let output = sdkgen(&[Path::new("generat")]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("unrecognized subcommand 'generat'")
            && stderr.contains("a similar subcommand exists: 'generate'"),
        "{stderr}"
    );
    let output = sdkgen(&[
        Path::new("diff"),
        Path::new("a.yaml"),
        Path::new("b.yaml"),
        Path::new("--format"),
        Path::new("jsn"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("[possible values: text, markdown, json]"));
    // Help per command, and the version: exit 0, on stdout.
    let help = sdkgen(&[Path::new("generate"), Path::new("--help")]);
    assert_eq!(help.status.code(), Some(0));
    let help = text(&help.stdout);
    assert!(
        help.starts_with("Write the crate generated from SPEC into DIR")
            && help.contains("Usage: sdkgen generate [OPTIONS] --out <DIR> <SPEC>")
            && help.contains("--force")
            && !help.contains("--format"),
        "{help}"
    );
    let diff_help = text(&sdkgen(&[Path::new("help"), Path::new("diff")]).stdout);
    assert!(
        diff_help.contains("--format <FORMAT>") && !diff_help.contains("--force"),
        "{diff_help}"
    );
    let version = sdkgen(&[Path::new("--version")]);
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(
        text(&version.stdout).trim(),
        format!("sdkgen {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn hints_set_conventions_the_description_does_not_state() {
    let dir = scratch("hint");
    let spec = dir.join("tags.yaml");
    fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: Tags, version: '1'}\npaths:\n  /tags:\n    get:\n      operationId: listTags\n      parameters:\n        - {name: include, in: query, schema: {type: array, items: {type: string}}}\n      responses: {'204': {description: ok}}\n",
    )
    .expect("write the spec");
    let out = dir.join("out");
    let hint = Path::new("x-sdk-query-array-format=brackets");
    let generated = sdkgen(&[
        Path::new("generate"),
        &spec,
        Path::new("--out"),
        &out,
        Path::new("--hint"),
        hint,
    ]);
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    let operations = fs::read_to_string(out.join("src/operations.rs")).expect("operations written");
    assert!(operations.contains("ArrayFormat::Brackets"), "{operations}");

    let other = dir.join("other");
    let bad = Path::new("title=Nope");
    let rejected = sdkgen(&[
        Path::new("generate"),
        &spec,
        Path::new("--out"),
        &other,
        Path::new("--hint"),
        bad,
    ]);
    assert_eq!(rejected.status.code(), Some(2));
    assert!(
        text(&rejected.stderr).contains("error: #: the hint `title` is not an `x-sdk-*` extension"),
        "{}",
        text(&rejected.stderr)
    );
    assert!(!other.exists(), "nothing is written");
}

#[test]
fn the_runtime_comes_from_a_path_or_is_vendored_when_asked() {
    let dir = scratch("runtime");
    let spec = dir.join("pets.yaml");
    fs::write(&spec, SPEC).expect("write the spec");

    let by_path = dir.join("by-path");
    let generated = sdkgen(&[
        Path::new("generate"),
        &spec,
        Path::new("--out"),
        &by_path,
        Path::new("--runtime-path"),
        Path::new("../runtime"),
    ]);
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    let manifest = fs::read_to_string(by_path.join("Cargo.toml")).expect("Cargo.toml written");
    assert!(
        manifest.contains(
            "sdkgen-runtime = { version = \"=0.1.0\", path = \"../runtime\", default-features = false }"
        ),
        "{manifest}"
    );
    assert!(
        manifest.contains("cli = [\"sdkgen-runtime/cli\"]"),
        "{manifest}"
    );

    let vendored = dir.join("vendored");
    let generated = sdkgen(&[
        Path::new("generate"),
        &spec,
        Path::new("--out"),
        &vendored,
        Path::new("--vendor-runtime"),
    ]);
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    let manifest = fs::read_to_string(vendored.join("Cargo.toml")).expect("Cargo.toml written");
    assert!(!manifest.contains("sdkgen-runtime"), "{manifest}");
    assert!(manifest.contains("\nreqwest = "), "{manifest}");
    for file in ["mod.rs", "transport.rs", "cli.rs"] {
        assert!(vendored.join("src/runtime").join(file).exists(), "{file}");
    }
}

const OVERLAY: &str = "overlay: 1.0.0
info: {title: pet hints, version: '1'}
actions:
  - target: $.info
    update: {x-sdk-crate-version: 0.3.0}
  - target: $.paths['/pets/{id}'].get
    description: Hang the call on client.pets()
    update: {x-sdk-resource: pets, x-sdk-method: retrieve}
";

#[test]
fn an_overlay_shapes_the_crate_and_diff_and_check_say_what_changed() {
    let dir = scratch("overlay");
    let spec = dir.join("pets.yaml");
    let overlay = dir.join("sdk.overlay.yaml");
    let out = dir.join("out");
    fs::write(&spec, SPEC).expect("write the spec");
    fs::write(&overlay, OVERLAY).expect("write the overlay");
    let with_overlay = |command: &str, spec: &Path, extra: &[&Path]| {
        let mut args = vec![Path::new(command), spec, Path::new("--overlay"), &overlay];
        args.extend_from_slice(extra);
        sdkgen(&args)
    };

    let generated = with_overlay("generate", &spec, &[Path::new("--out"), &out]);
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    let resources = fs::read_to_string(out.join("src/resources.rs")).expect("resources written");
    assert!(resources.contains("pub fn retrieve("), "{resources}");
    let listing = fs::read_to_string(out.join("public-api.jsonl")).expect("listing written");
    assert!(
        listing.contains(r##"{"item":"client.pets().retrieve()","kind":"method","signature":"(id: String) -> operations::GetPet; send: types::GetPetResponse","origin":"#/paths/~1pets~1{id}/get"}"##),
        "{listing}"
    );

    // A new member is compatible; the report says so and the version it needs.
    let grown = dir.join("grown.yaml");
    fs::write(
        &grown,
        SPEC.replace(
            "{name: {type: string}}",
            "{name: {type: string}, age: {type: integer}}",
        ),
    )
    .expect("write the new spec");
    let diff = with_overlay("diff", &spec, &[&grown, Path::new("--deny-breaking")]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stderr));
    assert_eq!(
        text(&diff.stdout),
        "public API of pets: 1 added, 0 changed, 0 removed; nothing breaking; needs a patch release: version 0.3.1 or later, but the crate version is 0.3.0 (set `info.x-sdk-crate-version`)\n  + compatible field types::GetPetResponse.age: `Option<i64>`\n\
         \x20              now #/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema/properties/age; \
         not in #/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema\n"
    );

    // The other way it breaks: `--deny-breaking` fails diff, and check too when unbumped.
    let diff = with_overlay(
        "diff",
        &grown,
        &[
            &spec,
            Path::new("--deny-breaking"),
            Path::new("--format"),
            Path::new("json"),
        ],
    );
    assert_eq!(diff.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&diff.stdout).expect("a JSON report");
    assert_eq!(report["bump"], "major");
    assert_eq!(report["required_version"], "0.4.0");
    assert_eq!(report["changes"][0]["item"], "types::GetPetResponse.age");
    assert_eq!(report["changes"][0]["change"], "removed");

    let generated = with_overlay("generate", &grown, &[Path::new("--out"), &out]);
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    let check = with_overlay(
        "check",
        &spec,
        &[Path::new("--out"), &out, Path::new("--deny-breaking")],
    );
    assert_eq!(check.status.code(), Some(1));
    let stderr = text(&check.stderr);
    assert!(
        stderr.contains("  - breaking   field types::GetPetResponse.age: `Option<i64>`\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the public API breaks and the crate version was not bumped"),
        "{stderr}"
    );

    // An action whose target selects nothing names the overlay, the action and the target.
    fs::write(&overlay, OVERLAY.replace("'/pets/{id}'", "'/pet/{id}'")).expect("edit the overlay");
    let rejected = with_overlay("generate", &spec, &[Path::new("--out"), &dir.join("other")]);
    assert_eq!(rejected.status.code(), Some(2));
    assert_eq!(
        text(&rejected.stderr).lines().next().unwrap_or_default(),
        format!(
            "{}:6:5: error: #/actions/1/target: action 1 (Hang the call on client.pets()), target `$.paths['/pet/{{id}}'].get`: selects nothing in the description",
            overlay.display()
        )
    );
    assert!(!dir.join("other").exists(), "nothing is written");
}

#[test]
fn non_finite_numbers_are_located_warnings_not_a_panic() {
    let dir = scratch("non-finite");
    let spec = dir.join("inf.yaml");
    fs::write(
        &spec,
        "openapi: 3.0.0\ninfo: {title: t, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    S: {type: string, maxLength: .inf}\n    N: {type: number, minimum: -.inf, multipleOf: .nan}\n",
    )
    .expect("write the spec");
    let out = dir.join("out");
    let generated = sdkgen(&[Path::new("generate"), &spec, Path::new("--out"), &out]);
    assert_eq!(
        generated.status.code(),
        Some(0),
        "{}",
        text(&generated.stderr)
    );
    let spec = spec.display();
    assert_eq!(
        text(&generated.stderr).lines().collect::<Vec<_>>(),
        [
            format!("{spec}:6:23: warning: #/components/schemas/S/maxLength: `.inf` is not a number JSON can hold; left out"),
            format!("{spec}:7:23: warning: #/components/schemas/N/minimum: `-.inf` is not a number JSON can hold; left out"),
            format!("{spec}:7:39: warning: #/components/schemas/N/multipleOf: `.nan` is not a number JSON can hold; left out"),
        ]
    );
    let types = fs::read_to_string(out.join("src/types.rs")).expect("types written");
    assert!(types.contains("pub type S = String;"), "{types}");
    assert!(types.contains("pub type N = f64;"), "{types}");
}

#[test]
fn a_byte_order_mark_is_read_past_and_places_stay_right() {
    let dir = scratch("bom");
    let spec = dir.join("bom.yaml");
    fs::write(
        &spec,
        "\u{feff}openapi: 3.0.0\ninfo: {title: t, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    S: {type: string, maxLength: .inf}\n",
    )
    .expect("write the spec");
    let checked = check_in(&dir, &spec);
    // Nothing written yet: `check` reports the difference, after the warning at its place.
    assert_eq!(checked.status.code(), Some(1), "{}", text(&checked.stderr));
    assert_eq!(
        text(&checked.stderr).lines().next(),
        Some(format!("{}:6:23: warning: #/components/schemas/S/maxLength: `.inf` is not a number JSON can hold; left out", spec.display()).as_str())
    );
}

#[test]
fn an_output_directory_that_is_not_a_crates_is_refused_and_left_alone() {
    let dir = scratch("foreign");
    let spec = dir.join("pets.yaml");
    fs::write(&spec, SPEC).expect("write the spec");
    let project = dir.join("project");
    fs::create_dir_all(project.join("src")).expect("create a project");
    fs::write(project.join("Cargo.toml"), "[package]\nname = \"mine\"\n").expect("write");
    fs::write(project.join("src/lib.rs"), "// mine\n").expect("write");
    let refused = sdkgen(&[Path::new("generate"), &spec, Path::new("--out"), &project]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    assert!(
        text(&refused.stderr).contains("holds files but no crate sdkgen wrote"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(
        fs::read_to_string(project.join("src/lib.rs")).expect("read"),
        "// mine\n"
    );
    let empty = sdkgen(&[
        Path::new("generate"),
        &spec,
        Path::new("--out"),
        Path::new(""),
    ]);
    assert_eq!(empty.status.code(), Some(2), "{}", text(&empty.stderr));
    let forced = sdkgen(&[
        Path::new("generate"),
        &spec,
        Path::new("--out"),
        &project,
        Path::new("--force"),
    ]);
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced.stderr));
}

#[test]
fn a_description_that_is_not_utf8_or_not_a_file_is_rejected_at_its_place() {
    let dir = scratch("bytes");
    let spec = dir.join("latin1.yaml");
    fs::write(
        &spec,
        b"openapi: 3.0.0\ninfo: {title: caf\xe9, version: \"1\"}\n",
    )
    .expect("write");
    let rejected = check_in(&dir, &spec);
    assert_eq!(
        rejected.status.code(),
        Some(2),
        "{}",
        text(&rejected.stderr)
    );
    assert_eq!(
        text(&rejected.stderr).lines().next(),
        Some(
            format!(
                "{}:2:18: error: #: not UTF-8: byte 0xe9 at offset 32 begins no character",
                spec.display()
            )
            .as_str()
        )
    );
    let folder = check_in(&dir, &dir);
    assert_eq!(folder.status.code(), Some(2), "{}", text(&folder.stderr));
    assert!(text(&folder.stderr).contains("1:1: error: #: not a regular file"));
    #[cfg(unix)]
    {
        let fifo = dir.join("fifo.yaml");
        let made = Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("run mkfifo");
        assert!(made.success());
        // Refused at once: nothing writes to the FIFO, so reading it would block forever.
        let refused = check_in(&dir, &fifo);
        assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
        assert!(text(&refused.stderr).contains("not a regular file"));
    }
}

#[test]
fn every_problem_of_the_text_itself_is_one_located_line() {
    let dir = scratch("syntax");
    let check = |name: &str, contents: &str| {
        let spec = dir.join(name);
        fs::write(&spec, contents).expect("write the spec");
        let checked = check_in(&dir, &spec);
        assert_eq!(checked.status.code(), Some(2), "{}", text(&checked.stderr));
        let stderr = text(&checked.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 2, "one diagnostic and the summary: {stderr}");
        lines[0]
            .strip_prefix(&format!("{}:", spec.display()))
            .unwrap_or_else(|| panic!("not located in {name}: {}", lines[0]))
            .to_owned()
    };
    assert_eq!(
        check("empty.yaml", ""),
        "1:1: error: #: not an OpenAPI description: the `openapi` version field is missing"
    );
    assert_eq!(
        check(
            "broken.json",
            "{\n  \"openapi\": \"3.0.0\",\n  \"info\": {\"title\": \"t\" \"version\": \"1\"}\n}\n"
        ),
        "3:25: error: #: not valid YAML or JSON: expected `,` or `}`"
    );
    assert!(
        check(
            "nested.yaml",
            "openapi: 3.0.0\ninfo:\n  title: t\n version: 1\n"
        )
        .starts_with("4:"),
        "a YAML nesting error is at its line"
    );
    let deep = format!(
        "openapi: 3.0.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx-deep: {}1{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_eq!(
        check("deep.yaml", &deep),
        "4:137: error: #: collections nest deeper than 128 levels, the limit"
    );
    let deep_json = format!("{{\"a\": {}1{}}}", "[".repeat(200), "]".repeat(200));
    assert_eq!(
        check("deep.json", &deep_json),
        "1:133: error: #: collections nest deeper than 128 levels, the limit"
    );
    // The first line `check` prints about a description read with a fallback, its file left
    // out.
    let first_warning = |name: &str, contents: &str| {
        let spec = dir.join(name);
        fs::write(&spec, contents).expect("write the spec");
        let stderr = text(&check_in(&dir, &spec).stderr);
        let first = stderr.lines().next().unwrap_or_default();
        first
            .strip_prefix(&format!("{}:", spec.display()))
            .unwrap_or_else(|| panic!("not located in {name}: {first}"))
            .to_owned()
    };
    // A key written twice: a warning at the second, and the last value is read.
    assert_eq!(
        first_warning(
            "twice.yaml",
            "openapi: 3.0.0\ninfo: {title: t, version: '1', title: u}\npaths: {}\n"
        ),
        "2:32: warning: #/info/title: `title` is already a key of this mapping; the last value is read"
    );
    // A key with a newline in it: the pointer is escaped, the warning stays on one line.
    assert_eq!(
        first_warning(
            "newline.yaml",
            "openapi: 3.0.0\ninfo: {title: t, version: \"1\"}\npaths:\n  \"/a\\nb\": 7\n"
        ),
        "4:3: warning: #/paths/~1a\\nb: not a valid path item (invalid type: integer `7`, expected struct PathItem); the path item at #/paths/~1a\\nb is left out"
    );
}

#[cfg(unix)]
#[test]
fn a_crate_regenerated_from_inside_it_is_updated_where_it_stands() {
    let dir = scratch("in-place");
    let spec = dir.join("openapi.yaml");
    let write_spec = |title: &str| {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: {title}, version: '1'}}\npaths:\n  /a:\n    get:\n      \
             operationId: getA\n      responses: {{'204': {{description: none}}}}\n"
        );
        fs::write(&spec, text).expect("write the spec");
    };
    write_spec("First");
    let out = dir.join("out");
    let first = sdkgen(&[Path::new("generate"), &spec, Path::new("--out"), &out]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    fs::create_dir_all(out.join("target")).expect("create");
    let src_dir = || {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(out.join("src")).expect("src").ino()
    };
    let before = src_dir();
    // Run from inside the crate: the working directory must not be swapped away.
    write_spec("Second");
    let second = Command::new(env!("CARGO_BIN_EXE_sdkgen"))
        .args([
            Path::new("generate"),
            &spec,
            Path::new("--out"),
            Path::new(".."),
        ])
        .current_dir(out.join("src"))
        .output()
        .expect("run sdkgen");
    assert!(second.status.success(), "{}", text(&second.stderr));
    // The title is in the README, which is the crate's docs.
    let readme = fs::read_to_string(out.join("README.md")).expect("read README.md");
    assert!(readme.contains("# Second"), "{readme}");
    assert_eq!(
        src_dir(),
        before,
        "the working directory is still the crate's `src`"
    );
    assert!(out.join("target").is_dir());
    let leftovers: Vec<String> = fs::read_dir(&dir)
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("sdkgen-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
