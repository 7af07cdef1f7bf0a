//! The corpus: one small spec per construct the generator supports (under `tests/corpus/`).
//! Each generates a crate whose code matches its golden snapshot (`tests/snapshots/<name>/`,
//! templates copied verbatim excluded) and that compiles and passes clippy without a
//! warning. All crates are checked by one cargo invocation over a temporary workspace, and
//! `tests/corpus_checks/` then tests how some of them behave on the wire.
//!
//! `EXPECTORATE=overwrite cargo test -p sdkgen --test corpus` rewrites the snapshots; review
//! them with `git diff`.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use sdkgen::{GeneratedFile, RuntimeDependency, Settings};
use support::{manifest_dir, runtime_dependency, Workspace};

fn crate_name(spec_name: &str) -> String {
    format!("corpus-{}", spec_name.replace('_', "-"))
}

fn corpus() -> Vec<(String, PathBuf)> {
    let mut specs: Vec<(String, PathBuf)> = fs::read_dir(manifest_dir().join("tests/corpus"))
        .expect("list the corpus")
        .flatten()
        .map(|entry| entry.path())
        .filter_map(|path| {
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_owned();
            // A description split over files is a directory with its root `openapi.yaml`.
            if path.is_dir() {
                return Some((name, path.join("openapi.yaml")));
            }
            let ext = path.extension().and_then(|e| e.to_str());
            matches!(ext, Some("yaml" | "json")).then_some((name, path))
        })
        .collect();
    specs.sort();
    specs
}

fn generate(crate_name: &str, spec: &Path, runtime: RuntimeDependency) -> Vec<GeneratedFile> {
    let corpus = manifest_dir().join("tests/corpus");
    let relative = spec.strip_prefix(&corpus).unwrap_or(spec);
    let label = format!("tests/corpus/{}", relative.display());
    let settings = Settings {
        crate_name: Some(crate_name.to_owned()),
        deny_warnings: true,
        runtime,
        ..Settings::default()
    };
    sdkgen::generate(spec, &label, &settings)
        .unwrap_or_else(|error| panic!("{crate_name}: {error}"))
        .files
}

/// Compares the non-runtime files of one crate with their golden files (expectorate shows a
/// diff; `EXPECTORATE=overwrite` writes them). A golden file the crate no longer has is
/// stale: deleted when overwriting, else reported.
fn check_snapshot(name: &str, files: &[GeneratedFile]) -> Vec<String> {
    let dir = manifest_dir().join("tests/snapshots").join(name);
    let own: Vec<&GeneratedFile> = files
        .iter()
        .filter(|file| !is_verbatim_template(&file.path))
        .collect();
    let overwrite = std::env::var_os("EXPECTORATE").is_some_and(|v| v == "overwrite");
    for file in &own {
        let path = dir.join(&file.path);
        if let (true, Some(parent)) = (overwrite, path.parent()) {
            // A new file in a new directory (the types split into groups).
            fs::create_dir_all(parent).expect("create a golden file's directory");
        }
        expectorate::assert_contents(path, &file.contents);
    }
    let mut stale = Vec::new();
    for path in files_under(&dir) {
        let relative = path.strip_prefix(&dir).unwrap_or(&path);
        let relative = relative.to_string_lossy().replace('\\', "/");
        if own.iter().any(|file| file.path == relative) {
            continue;
        }
        if overwrite {
            fs::remove_file(&path).expect("remove a stale golden file");
        } else {
            stale.push(format!("{name}/{relative} is no longer generated"));
        }
    }
    stale
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn every_corpus_spec_matches_its_snapshot_and_compiles_cleanly() {
    let corpus = corpus();
    assert!(corpus.len() >= 15, "the corpus has {} specs", corpus.len());
    let mut workspace = Workspace::create("corpus-workspace");

    let mut problems = Vec::new();
    let mut featured = Vec::new();
    for (name, spec) in &corpus {
        let files = generate(&crate_name(name), spec, runtime_dependency());
        problems.extend(check_snapshot(name, &files));
        workspace.add_generated(name, &files);
        let features = api_features(&files);
        if !features.is_empty() {
            featured.push((crate_name(name), features));
        }
    }
    // One crate with the runtime vendored: the same code, plus the runtime's source and its
    // dependencies instead of a dependency on it; compiled and linted with the others.
    let (name, spec) = corpus
        .iter()
        .find(|(name, _)| name == VENDORED)
        .expect("the vendored corpus spec");
    let vendored_name = format!("{}-vendored", crate_name(name));
    let vendored = generate(&vendored_name, spec, RuntimeDependency::Vendored);
    let dependent = generate(&vendored_name, spec, runtime_dependency());
    assert_vendored(&vendored, &dependent);
    workspace.add_generated(&format!("{name}_vendored"), &vendored);
    assert!(
        problems.is_empty(),
        "golden files are stale; run with EXPECTORATE=overwrite and review:\n{}",
        problems.join("\n")
    );

    let fault_server = manifest_dir().join("../tests/support/fault_server.rs");
    workspace.add_fixture(
        "corpus_checks",
        &manifest_dir().join("tests/corpus_checks"),
        &[(&fault_server, "src/fault_server.rs")],
    );
    workspace.seal();
    workspace.clippy(&["--all-targets", "--all-features"]);
    workspace.doc(&[
        "--workspace",
        "--exclude",
        "corpus-checks",
        "--all-features",
    ]);
    // Pay for what you use: none of the API's features, and each alone, compile cleanly.
    assert!(featured.len() >= 3, "crates with features: {featured:?}");
    for (package, features) in &featured {
        workspace.clippy(&["-p", package, "--all-targets", "--no-default-features"]);
        for feature in features {
            let only = [
                "-p",
                package,
                "--all-targets",
                "--no-default-features",
                "--features",
            ];
            workspace.clippy(&[&only[..], &[feature.as_str()]].concat());
        }
    }
    workspace.test(&["-p", "corpus-checks"]);
    // Every operation's example call and the README's programs compile.
    workspace.test(&["--doc", "--workspace", "--exclude", "corpus-checks"]);
    commands_split_by_feature_each_reach_their_operation(&workspace);
    a_webhook_read_from_stdin_is_verified_and_printed(&workspace);
}

/// The command-line tool of a crate with webhooks verifies a request read from stdin with the
/// secret in the API's environment variable, and prints its event; a changed body fails
/// with exit code 1 and says why.
fn a_webhook_read_from_stdin_is_verified_and_printed(workspace: &Workspace) {
    use std::io::Write;
    use std::process::Stdio;
    use std::time::{SystemTime, UNIX_EPOCH};

    /// Any JSON, verified with the API's defaults.
    struct AnyEvent;
    impl<'de> serde::Deserialize<'de> for AnyEvent {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            serde_json::Value::deserialize(deserializer).map(|_| AnyEvent)
        }
    }
    impl sdkgen_runtime::webhooks::WebhookEvents for AnyEvent {
        const SECRET_ENV: Option<&'static str> = None;
        const TOLERANCE: std::time::Duration = std::time::Duration::from_secs(300);
    }

    let package = "corpus-webhooks";
    let build = workspace.cargo(&["build", "-p", package, "--features", "cli"]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let body = r#"{"id":"evt_1","type":"batch.completed","created_at":5,"data":{"id":"batch_1"}}"#;
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
        .to_string();
    let signature = sdkgen_runtime::webhooks::Webhooks::<AnyEvent>::new(secret)
        .sign(
            "msg_1",
            timestamp.parse().expect("seconds"),
            body.as_bytes(),
        )
        .expect("signed");
    let unwrap = |stdin: &str| {
        let mut child = Command::new(workspace.binary(package))
            .args(["webhooks", "unwrap", "--body", "-", "--webhook-id", "msg_1"])
            .args(["--webhook-timestamp", &timestamp])
            .args(["--webhook-signature", &signature])
            .env("CORPUS_WEBHOOK_SECRET", secret)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run the tool");
        child
            .stdin
            .take()
            .expect("its stdin")
            .write_all(stdin.as_bytes())
            .expect("write the body");
        child.wait_with_output().expect("the tool ends")
    };
    let verified = unwrap(body);
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    let printed: serde_json::Value =
        serde_json::from_slice(&verified.stdout).expect("the event as JSON");
    assert_eq!(
        printed,
        serde_json::from_str::<serde_json::Value>(body).expect("JSON")
    );
    let refused = unwrap(&body.replace("batch_1", "batch_2"));
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr),
        "error: no webhook signature matches the body and the secret\n"
    );
}

/// The command-line tool of a crate whose commands are in a file per feature: each command
/// is dispatched to its file and sends its operation's request (read here off the wire, from
/// a server on 127.0.0.1).
fn commands_split_by_feature_each_reach_their_operation(workspace: &Workspace) {
    use std::io::{BufRead, BufReader, Write};
    let package = "corpus-bodies-and-streams";
    let build = workspace.cargo(&["build", "-p", package, "--features", "cli"]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let calls: [(&[&str], &str, &str); 2] = [
        (&["speech", "retrieve"], "GET /speech HTTP/1.1", "200 OK"),
        (
            &["notes:pinned", "update", "--body", "true"],
            "PUT /notes/pinned HTTP/1.1",
            "204 No Content",
        ),
    ];
    for (args, request_line, status) in calls {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
        let port = listener.local_addr().expect("an address").port();
        let status = status.to_owned();
        let server = std::thread::spawn(move || {
            let (stream, _) = listener.accept().expect("a connection");
            drop(listener);
            let mut reader = BufReader::new(stream);
            let mut first = String::new();
            reader.read_line(&mut first).expect("a request line");
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let mut stream = reader.into_inner();
            let body = if status.starts_with("200") { "ok" } else { "" };
            // Unanswered when the connection was the test's own.
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            first.trim_end().to_owned()
        });
        let base_url = format!("http://127.0.0.1:{port}");
        let run = Command::new(workspace.binary(package))
            .args(["--base-url", &base_url])
            .args(args)
            .output()
            .expect("run the tool");
        // A tool that sent nothing leaves the server waiting: a connection of our own ends
        // the wait (and reads as no request).
        let _ = std::net::TcpStream::connect(("127.0.0.1", port));
        let received = server.join().expect("the server");
        assert!(
            run.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert_eq!(received, request_line, "{args:?}");
    }
}

/// The API's features a generated crate declares (`name = [...]` under `[features]`, but
/// `default` and the tool's `cli`).
fn api_features(files: &[GeneratedFile]) -> Vec<String> {
    let manifest = files
        .iter()
        .find(|file| file.path == "Cargo.toml")
        .map(|file| file.contents.as_str())
        .unwrap_or_default();
    manifest
        .lines()
        .skip_while(|line| *line != "[features]")
        .take_while(|line| !line.starts_with("[[") && !line.is_empty())
        .filter_map(|line| line.split_once(" = ["))
        .map(|(name, _)| name)
        .filter(|name| !matches!(*name, "default" | "cli"))
        .map(str::to_owned)
        .collect()
}

/// The corpus spec that is also generated with the runtime vendored: the one that uses most
/// of the runtime (bodies of every kind, streams in and out).
const VENDORED: &str = "bodies_and_streams";

/// A vendored crate has the runtime's source (less its unit tests) and its dependencies, no
/// dependency on the runtime crate, and otherwise the same files as a crate that depends on it.
fn assert_vendored(vendored: &[GeneratedFile], dependent: &[GeneratedFile]) {
    let file = |files: &[GeneratedFile], path: &str| {
        files
            .iter()
            .find(|file| file.path == path)
            .map(|file| file.contents.clone())
            .unwrap_or_else(|| panic!("{path} is not generated"))
    };
    let manifest = file(vendored, "Cargo.toml");
    assert!(!manifest.contains("sdkgen-runtime"), "{manifest}");
    assert!(manifest.contains("\nreqwest = "), "{manifest}");
    assert!(
        manifest.contains("\ncli = [\n    \"dep:clap\",\n    \"tokio/rt\",\n    \"blobs\","),
        "{manifest}"
    );
    let lib = file(vendored, "src/lib.rs");
    assert!(lib.contains("pub mod runtime;"), "{lib}");
    let transport = file(vendored, "src/runtime/transport.rs");
    assert!(
        !transport.contains("mod tests"),
        "the runtime's tests are left out"
    );
    let own = |files: &[GeneratedFile]| -> Vec<String> {
        files
            .iter()
            .filter(|file| !file.path.starts_with("src/runtime/"))
            .filter(|file| !matches!(file.path.as_str(), "Cargo.toml" | "src/lib.rs"))
            .map(|file| format!("{}\n{}", file.path, file.contents))
            .collect()
    };
    assert_eq!(own(vendored), own(dependent));
}

/// The runtime's source, the same in every vendored crate, is not snapshotted per crate.
fn is_verbatim_template(path: &str) -> bool {
    path.starts_with("src/runtime/")
}
