//! Real descriptions against a validating mock: each generated crate calls every operation
//! of its API, with valid values derived from the description, three rounds, against Prism
//! (`@stoplight/prism-cli`, pinned, in dynamic mode: it validates each request against the
//! description and answers with random valid data) on 127.0.0.1. A request Prism rejects, a
//! valid value the crate's types refuse, or a valid response it cannot decode fails the
//! test, naming the operation and Prism's violation or the decode error. Answers that are the
//! description's or Prism's doing (an error status without a violation) are counted, not
//! hidden, and the known ones are listed with their reason in `conformance/known.txt`.
//!
//! By default a subset that fits CI's time runs (OpenAI's whole description among it);
//! `CONFORMANCE=all` runs every description of `tests/real/` (`CONFORMANCE=a.yaml,b.json`
//! those named), and `CONFORMANCE_TABLE=PATH`
//! writes the table (per description: operations called, ok, client faults, description
//! faults) to PATH, as `CONFORMANCE.md` keeps it. Prism is installed into `target/prism` by
//! npm on first use (`.ci/run` does it as a step of its own).

mod conformance {
    pub mod program;
    pub mod samples;
    pub mod validate;
}
mod support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use conformance::{program, samples::Samples};
use sdkgen::Settings;
use support::{manifest_dir, runtime_dependency, short_name, Workspace};

const PRISM_VERSION: &str = "5.16.0";

/// Descriptions (under `tests/real/`) that CI runs; `CONFORMANCE=all` runs every one.
const SUBSET: &[&str] = &[
    "openai.yaml",
    "swagger-petstore.yaml",
    "realworld.yaml",
    "oai-petstore-expanded.yaml",
    "oxide-buildomat.json",
    "spotify.yaml",
    "twilio-messaging-v1.json",
    "readme-train-travel.yaml",
    "redocly-museum.yaml",
    "xero-projects.yaml",
    "apideck-sms.yaml",
    // Swagger 2.0, read as 3.0: Prism serves the 2.0 text itself.
    "swagger2-uber.yaml",
    "swagger2-petstore-expanded.yaml",
    "slack-web.json",
    "docker-engine.yaml",
];

/// The Prism executable, installed with npm into `target/prism` when it is not there yet.
fn prism() -> PathBuf {
    let prefix = manifest_dir().join("../target/prism");
    let executable = prefix.join("node_modules/.bin/prism");
    let installed =
        std::fs::read_to_string(prefix.join("node_modules/@stoplight/prism-cli/package.json"))
            .is_ok_and(|manifest| manifest.contains(&format!("\"version\": \"{PRISM_VERSION}\"")));
    if !installed {
        std::fs::create_dir_all(&prefix).expect("create target/prism");
        let status = Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
            ])
            .arg(&prefix)
            .arg(format!("@stoplight/prism-cli@{PRISM_VERSION}"))
            .status()
            .expect("run npm (Node.js is needed for Prism)");
        assert!(
            status.success(),
            "npm could not install Prism {PRISM_VERSION}"
        );
    }
    executable
}

/// A Prism mock of one description, stopped when dropped.
struct Mock {
    child: Child,
    base_url: String,
    /// Prism's stderr, line by line (read until it stops).
    log: std::sync::mpsc::Receiver<String>,
}

impl Mock {
    /// Prism serving `spec`, or why it did not start (a description it cannot load, or
    /// one too large to load within the time given).
    fn start(prism: &Path, spec: &Path) -> Result<Mock, String> {
        // A port the system has free now (Prism binds it a moment later).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .expect("a free port on 127.0.0.1");
        let mut child = Command::new(prism)
            .args([
                "mock",
                "--dynamic",
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
            ])
            .arg(spec)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start Prism");
        let stdout = child.stdout.take().expect("Prism's output");
        let stderr = child.stderr.take().expect("Prism's errors");
        let (ready, listening) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("Prism is listening") {
                    let _ = ready.send(());
                }
            }
        });
        // What it says on stderr: a crash's message.
        let (logged, log) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = logged.send(line);
            }
        });
        if listening.recv_timeout(Duration::from_secs(600)).is_err() {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("Prism did not start for {}", spec.display()));
        }
        Ok(Mock {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            log,
        })
    }

    /// Stops Prism; the message it stopped with, if it had stopped on its own (crashed).
    fn stop(mut self) -> Option<String> {
        let crashed = matches!(self.child.try_wait(), Ok(Some(_)));
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The reader ends when Prism's stderr closes.
        let lines: Vec<String> =
            std::iter::from_fn(|| self.log.recv_timeout(Duration::from_secs(5)).ok()).collect();
        crashed.then(|| {
            lines
                .iter()
                .rev()
                .find(|line| line.contains("Error"))
                .cloned()
                .unwrap_or_else(|| "no message".to_owned())
        })
    }
}

/// One call's line from the program.
#[derive(serde::Deserialize)]
struct Call {
    operation: String,
    outcome: String,
    detail: String,
    /// For a response the crate could not decode: its status and body.
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    body: Option<String>,
}

/// What happened to the calls of one description.
#[derive(Default)]
struct Tally {
    operations: usize,
    ok: usize,
    client_faults: Vec<String>,
    description_faults: Vec<String>,
    known: Vec<String>,
}

/// `<description> <operationId>: <reason>` lines: calls that fail for the description's or
/// Prism's sake, with why.
fn known_faults() -> BTreeMap<(String, String), String> {
    let text = std::fs::read_to_string(manifest_dir().join("tests/conformance/known.txt"))
        .expect("read tests/conformance/known.txt");
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let (key, reason) = line.split_once(": ")?;
            let (description, operation) = key.split_once(' ')?;
            Some((
                (description.to_owned(), operation.to_owned()),
                reason.to_owned(),
            ))
        })
        .collect()
}

fn descriptions() -> Vec<String> {
    let asked = std::env::var("CONFORMANCE").unwrap_or_default();
    if !asked.is_empty() && asked != "all" {
        return asked.split(',').map(str::to_owned).collect();
    }
    if asked == "all" {
        support::real_descriptions()
    } else {
        SUBSET.iter().map(|name| (*name).to_owned()).collect()
    }
}

/// The description as generation reads it (files brought in), for its samples.
fn document(spec: &Path) -> openapiv3::OpenAPI {
    let text = std::fs::read_to_string(spec).expect("read the description");
    let mut tree = sdkgen::load::read_tree(&text).expect("a tree");
    let mut diagnostics = sdkgen::diagnostics::Diagnostics::default();
    sdkgen::load::bundle::bundle(&mut tree, spec, &text, &mut diagnostics);
    sdkgen::load::from_tree(tree)
        .unwrap_or_else(|found| panic!("the description loads: {found:?}"))
        .document
}

#[test]
fn real_descriptions_conform_to_a_validating_mock() {
    let prism = prism();
    let known = known_faults();
    let mut workspace = Workspace::create("conformance-workspace");
    let mut runs = Vec::new();
    for file in descriptions() {
        let name = short_name(&file);
        let spec = manifest_dir().join("tests/real").join(&file);
        let settings = Settings {
            crate_name: Some(format!("conform-{name}")),
            runtime: runtime_dependency(),
            ..Settings::default()
        };
        let label = format!("tests/real/{file}");
        let generated = sdkgen::generate(&spec, &label, &settings)
            .unwrap_or_else(|error| panic!("{file}: {error}"));
        let described = sdkgen::describe(&spec, &settings).expect("described");
        let document = document(&spec);
        let krate = format!("conform_{}", name.replace('-', "_"));
        let source = program::program(&described.api, &Samples::new(&document), &krate);
        workspace.add_generated(&name, &generated.files);
        let program_dir = format!("{name}-calls");
        workspace.add_program(
            &program_dir,
            &format!(
                "[package]\nname = \"{program_dir}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
                 [dependencies]\nconform-{name} = {{ path = \"../{name}\" }}\nserde = \"1\"\nserde_json = \"1\"\n\
                 futures = {{ version = \"0.3\", default-features = false, features = [\"std\"] }}\n\
                 tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n"
            ),
            &source,
        );
        // Each operation's route, to find the schema of a response it could not decode.
        let routes: BTreeMap<String, (String, String)> = described
            .api
            .operations
            .iter()
            .map(|operation| {
                let method = operation.method.as_str().to_lowercase();
                (operation.id.clone(), (operation.path.clone(), method))
            })
            .collect();
        runs.push((file, name, spec, program_dir, routes, document));
    }
    workspace.seal();
    let build = workspace.cargo(&["build", "--workspace", "--bins"]);
    assert!(
        build.status.success(),
        "the programs do not build:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let mut table = String::from(
        "| description | operations | calls | ok | client faults | description or mock faults |\n|---|---|---|---|---|---|\n",
    );
    let mut failures = Vec::new();
    for (file, name, spec, program_dir, routes, document) in &runs {
        let samples = Samples::new(document);
        let started = Instant::now();
        let mock = match Mock::start(&prism, spec) {
            Ok(mock) => mock,
            Err(why) => {
                // The mock's fault, not the client's: counted, and the run goes on.
                let _ = writeln!(table, "| {name} | | | | | Prism did not start |");
                eprintln!("{file}: {why}");
                continue;
            }
        };
        let binary = workspace.binary(program_dir);
        let output = Command::new(&binary)
            .arg(&mock.base_url)
            .output()
            .expect("run the program");
        let crash = mock.stop();
        let mut tally = Tally::default();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let calls: Vec<Call> = stdout
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect();
        let mut operations: Vec<&str> = calls.iter().map(|call| call.operation.as_str()).collect();
        operations.sort_unstable();
        operations.dedup();
        tally.operations = operations.len();
        for call in &calls {
            let key = (name.clone(), call.operation.clone());
            // A response the crate could not decode may not be valid for the description
            // at all: Prism's data faker writes such values (required members left out deep
            // in recursive schemas, a discriminator naming another member).
            let mock_broke_the_description = call.outcome == "decode"
                && routes.get(&call.operation).is_some_and(|(path, method)| {
                    let body = call.body.as_deref().unwrap_or_default();
                    let status = call.status.unwrap_or_default();
                    samples.response_is_invalid(path, method, status, body)
                });
            match (
                call.outcome.as_str(),
                known.get(&key),
                mock_broke_the_description,
            ) {
                ("ok", ..) => tally.ok += 1,
                (_, Some(reason), _) => {
                    tally.known.push(format!("{}: {reason}", call.operation));
                }
                ("decode", None, true) => tally.description_faults.push(format!(
                    "{}: Prism's response is not valid for the description: {}",
                    call.operation, call.detail
                )),
                // Prism stopped during the run: the calls it never answered are its fault.
                ("other", None, _) if crash.is_some() && call.detail.contains("connection") => {
                    tally.description_faults.push(format!(
                        "{}: Prism crashed ({}): {}",
                        call.operation,
                        crash.as_deref().unwrap_or_default(),
                        call.detail
                    ));
                }
                ("api", None, _) => tally
                    .description_faults
                    .push(format!("{}: {}", call.operation, call.detail)),
                (outcome, None, _) => tally
                    .client_faults
                    .push(format!("{} ({outcome}): {}", call.operation, call.detail)),
            }
        }
        let _ = writeln!(
            table,
            "| {name} | {} | {} | {} | {} | {} |",
            tally.operations,
            calls.len(),
            tally.ok,
            tally.client_faults.len(),
            tally.description_faults.len() + tally.known.len(),
        );
        eprintln!(
            "{file}: {} calls, {} ok, {} client faults, {} description or mock faults ({:.0?})",
            calls.len(),
            tally.ok,
            tally.client_faults.len(),
            tally.description_faults.len() + tally.known.len(),
            started.elapsed()
        );
        if !output.status.success() || calls.is_empty() {
            failures.push(format!(
                "{file}: the program failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        for fault in tally.client_faults.iter().take(20) {
            failures.push(format!("{file}: {fault}"));
        }
        for fault in tally.description_faults.iter().take(5) {
            eprintln!("  {file}: description or mock: {fault}");
        }
    }
    eprintln!("{table}");
    if let Ok(path) = std::env::var("CONFORMANCE_TABLE") {
        let known: String = known
            .iter()
            .map(|((description, operation), reason)| {
                format!("- {description} `{operation}`: {reason}\n")
            })
            .collect();
        let page = format!(
            "# Conformance against a validating mock\n\n\
             Written by `CONFORMANCE=all CONFORMANCE_TABLE=CONFORMANCE.md cargo test -p sdkgen \
             --test conformance` (`generator/tests/conformance.rs`): every operation of each \
             description in `generator/tests/real/`, called {rounds} times with valid values \
             from the description against Prism {PRISM_VERSION} in dynamic mode on 127.0.0.1. \
             A client fault is a request Prism rejects, a valid value the crate's types refuse \
             or a response it cannot decode; a description or mock fault is an error status \
             Prism answers for its own or the description's sake (no 2xx response defined, a \
             crash of its data faker, a redirect the description declares), a response not \
             valid for the description (its data faker writes some), or a call listed below.\n\n{table}\n## Known faults that are not the client's\n\n{known}",
            rounds = program::ROUNDS,
        );
        std::fs::write(&path, page).expect("write the table");
    }
    assert!(
        failures.is_empty(),
        "client faults:\n{}",
        failures.join("\n")
    );
}
