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

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sdkgen-cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create a scratch directory");
    dir
}

fn sdkgen(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sdkgen"))
        .args(args)
        .output()
        .expect("run sdkgen")
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
    assert!(out.join("src/runtime/transport.rs").exists());

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
    fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn a_rejected_spec_exits_2_names_file_and_pointer_and_writes_nothing() {
    let dir = scratch("rejected");
    let spec = dir.join("bad.yaml");
    let out = dir.join("out");
    fs::write(
        &spec,
        SPEC.replace(
            "schema: {type: string}",
            "schema: {type: object, properties: {a: {type: string}}}",
        ),
    )
    .expect("write the spec");

    let output = sdkgen(&[Path::new("generate"), &spec, Path::new("--out"), &out]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("bad.yaml: #/paths/~1pets~1{id}/get/parameters/0/schema: "),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written");
    fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn usage_errors_exit_2() {
    let output = sdkgen(&[Path::new("generate")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("missing SPEC"));
    let output = sdkgen(&[Path::new("frobnicate")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("unknown command `frobnicate`"));
}
