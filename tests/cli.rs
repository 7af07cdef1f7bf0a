//! The generated command-line tool (`openai-admin-certificates`, feature `cli`), run as a
//! process against the fake API on 127.0.0.1: stdout, stderr and exit code of each operation,
//! the requests it sent, usage errors, and its `--help` texts as golden files under
//! `tests/snapshots/cli/` (`EXPECTORATE=overwrite cargo test --test cli` rewrites them).
//!
//! The binary belongs to another package of the workspace, so cargo gives this test no
//! `CARGO_BIN_EXE_` for it: the test builds it once with the cargo that runs the test, into
//! the same target directory and profile.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::{json, Value};
use time::macros::datetime;
use workbench::fake_api::{FakeApi, RecordedRequest};
use workbench::pem::self_signed_certificate;

const KEY: &str = "sk-admin-cli-test-key";
const BIN: &str = "openai-admin-certificates";
const GROUP: &str = "admin:organization:certificates";
/// `created_at` of the n-th certificate the fake stores is this plus n.
const EPOCH: i64 = 1_700_000_000;
const VALID_AT: i64 = 1_735_689_600;
const EXPIRES_AT: i64 = 1_798_761_600;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The tool, built on first use.
fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(build_binary)
}

fn build_binary() -> PathBuf {
    // This test runs as <target>/<profile>/deps/cli-<hash>.
    let exe = std::env::current_exe().expect("the test's own path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test runs from <target>/<profile>/deps");
    let target_dir = profile_dir.parent().expect("a target directory");
    let profile = profile_dir
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("debug");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut build = Command::new(cargo);
    build
        .current_dir(root())
        .args(["build", "-p", BIN, "--features", "cli", "--bin", BIN])
        .arg("--target-dir")
        .arg(target_dir);
    match profile {
        "debug" => {}
        "release" => {
            build.arg("--release");
        }
        other => {
            build.args(["--profile", other]);
        }
    }
    let output = build.output().expect("run cargo build");
    assert!(
        output.status.success(),
        "building the tool failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let path = profile_dir.join(format!("{BIN}{}", std::env::consts::EXE_SUFFIX));
    assert!(path.is_file(), "no tool at {}", path.display());
    path
}

/// What one run of the tool did.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        assert_eq!(self.code, 0, "the run failed: {self:#?}");
        serde_json::from_str(&self.stdout).unwrap_or_else(|error| {
            panic!("stdout is not one JSON document ({error}): {}", self.stdout)
        })
    }

    fn json_lines(&self) -> Vec<Value> {
        assert_eq!(self.code, 0, "the run failed: {self:#?}");
        self.stdout
            .lines()
            .map(|line| serde_json::from_str(line).expect("each line is JSON"))
            .collect()
    }
}

/// Runs the tool with `args`, in `dir`, with only the given OPENAI_* variables, feeding
/// `stdin`. Whatever happens, the key never appears in its output.
fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    let mut command = Command::new(binary());
    command
        .current_dir(dir)
        .args(args)
        .env_remove("OPENAI_ADMIN_KEY")
        .env_remove("OPENAI_BASE_URL")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("start the tool");
    let mut input = child.stdin.take().expect("stdin is piped");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(input);
    let output = child.wait_with_output().expect("wait for the tool");
    let run = Run {
        code: output.status.code().expect("the tool exited (not killed)"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    assert!(
        !run.stdout.contains(KEY) && !run.stderr.contains(KEY),
        "the key was printed: {run:#?}"
    );
    run
}

/// The fake API, and the tool's arguments that point at it.
struct Harness {
    api: FakeApi,
    base_url: String,
    dir: PathBuf,
}

impl Harness {
    async fn start(name: &str) -> Harness {
        let api = FakeApi::start(KEY).await.expect("start the fake API");
        let base_url = api.base_url();
        let dir = std::env::temp_dir().join(format!("workbench-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a scratch directory");
        Harness { api, base_url, dir }
    }

    /// `GROUP <args> --admin-api-key KEY --base-url URL --max-retries 0`.
    async fn run(&self, args: &[&str]) -> Run {
        let mut all = vec![GROUP];
        all.extend_from_slice(args);
        all.extend_from_slice(&[
            "--admin-api-key",
            KEY,
            "--base-url",
            &self.base_url,
            "--max-retries",
            "0",
        ]);
        self.run_raw(&all, &[], None).await
    }

    async fn run_raw(&self, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
        let dir = self.dir.clone();
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let stdin = stdin.map(str::to_owned);
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let env: Vec<(&str, &str)> =
                env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            run_in(&dir, &args, &env, stdin.as_deref())
        })
        .await
        .expect("the tool's thread")
    }

    /// Stores a certificate per name, without a request; returns their PEMs.
    fn seed(&self, names: &[&str]) -> Vec<String> {
        names
            .iter()
            .map(|name| {
                let pem = pem(name);
                self.api
                    .seed_certificate(&pem, Some(name))
                    .expect("seed a certificate");
                pem
            })
            .collect()
    }

    fn requests(&self) -> Vec<RecordedRequest> {
        self.api.take_requests()
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A real certificate valid through 2025 and 2026.
fn pem(common_name: &str) -> String {
    self_signed_certificate(
        common_name,
        datetime!(2025-01-01 00:00 UTC),
        datetime!(2027-01-01 00:00 UTC),
    )
}

fn assert_sent(request: &RecordedRequest, method: &str, path: &str, query: &str) {
    assert_eq!(
        (
            request.method.as_str(),
            request.path.as_str(),
            request.query.as_deref().unwrap_or("")
        ),
        (method, path, query),
        "{request:#?}"
    );
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
}

fn body_json(request: &RecordedRequest) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

#[tokio::test]
async fn create_reads_the_pem_from_a_file_and_prints_the_certificate() {
    let harness = Harness::start("create").await;
    let pem = pem("cli-upload.example");
    std::fs::write(harness.dir.join("cert.pem"), &pem).expect("write the PEM");

    let run = harness
        .run(&[
            "create",
            "--certificate",
            "@cert.pem",
            "--name",
            "My Example Certificate",
        ])
        .await;

    assert_eq!(
        run.json(),
        json!({
            "object": "certificate",
            "id": "cert_1",
            "name": "My Example Certificate",
            "created_at": EPOCH + 1,
            "certificate_details": {"valid_at": VALID_AT, "expires_at": EXPIRES_AT},
        })
    );
    assert!(run.stdout.ends_with("}\n") && run.stdout.lines().count() == 1);
    assert_eq!(run.stderr, "");
    let requests = harness.requests();
    assert_eq!(requests.len(), 1);
    assert_sent(&requests[0], "POST", "/v1/organization/certificates", "");
    assert_eq!(
        body_json(&requests[0]),
        json!({"certificate": pem, "name": "My Example Certificate"})
    );
}

#[tokio::test]
async fn create_reads_stdin_and_takes_the_key_and_url_from_the_environment() {
    let harness = Harness::start("create-stdin").await;
    let pem = pem("cli-stdin.example");

    let run = harness
        .run_raw(
            &[GROUP, "create", "--certificate", "-", "--format", "pretty"],
            &[
                ("OPENAI_ADMIN_KEY", KEY),
                ("OPENAI_BASE_URL", &harness.base_url),
            ],
            Some(&pem),
        )
        .await;

    let certificate = run.json();
    assert_eq!(certificate["id"], "cert_1");
    assert_eq!(certificate["name"], Value::Null);
    assert!(
        run.stdout
            .starts_with("{\n  \"object\": \"certificate\",\n"),
        "pretty JSON: {}",
        run.stdout
    );
    let requests = harness.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(body_json(&requests[0]), json!({"certificate": pem}));
}

#[tokio::test]
async fn list_follows_pages_and_prints_one_array_or_one_line_per_item() {
    let harness = Harness::start("list").await;
    harness.seed(&["one", "two", "three"]);

    let run = harness
        .run(&["list", "--limit", "2", "--order", "asc"])
        .await;
    let ids: Vec<Value> = run
        .json()
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|item| item["id"].clone())
        .collect();
    assert_eq!(ids, [json!("cert_1"), json!("cert_2"), json!("cert_3")]);
    let requests = harness.requests();
    assert_eq!(requests.len(), 2, "two pages: {requests:#?}");
    assert_sent(
        &requests[0],
        "GET",
        "/v1/organization/certificates",
        "limit=2&order=asc",
    );
    assert_sent(
        &requests[1],
        "GET",
        "/v1/organization/certificates",
        "limit=2&after=cert_2&order=asc",
    );
    assert!(requests[0].body.is_empty());

    let run = harness.run(&["list", "--format", "jsonl"]).await;
    let lines = run.json_lines();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0],
        json!({
            "object": "organization.certificate",
            "id": "cert_3",
            "name": "three",
            "active": false,
            "created_at": EPOCH + 3,
            "certificate_details": {"valid_at": VALID_AT, "expires_at": EXPIRES_AT},
        })
    );
    assert_eq!(harness.requests().len(), 1);
}

#[tokio::test]
async fn list_stops_at_max_items_without_fetching_more_pages() {
    let harness = Harness::start("list-max").await;
    harness.seed(&["one", "two", "three"]);

    let run = harness
        .run(&["list", "--limit", "1", "--max-items", "2"])
        .await;

    let items = run.json();
    let ids: Vec<&str> = items
        .as_array()
        .expect("a JSON array")
        .iter()
        .filter_map(|item| item["id"].as_str())
        .collect();
    assert_eq!(ids, ["cert_3", "cert_2"]);
    assert_eq!(harness.requests().len(), 2, "no third page is fetched");

    let run = harness.run(&["list", "--max-items", "0"]).await;
    assert_eq!(run.stdout, "[]\n");
    assert!(harness.requests().is_empty());
}

#[tokio::test]
async fn an_unknown_enum_value_is_passed_to_the_server_which_judges_it() {
    let harness = Harness::start("list-enum").await;

    let run = harness.run(&["list", "--order", "sideways"]).await;

    assert_eq!(run.code, 1, "{run:#?}");
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: 400 Bad Request: Invalid 'order': expected 'asc' or 'desc', got 'sideways'. (request id req_1)\n"
    );
    let requests = harness.requests();
    assert_sent(
        &requests[0],
        "GET",
        "/v1/organization/certificates",
        "order=sideways",
    );
}

#[tokio::test]
async fn retrieve_takes_the_id_as_a_flag_or_positionally_and_repeats_include() {
    let harness = Harness::start("retrieve").await;
    let pem = harness.seed(&["seeded"]).remove(0);

    let by_flag = harness
        .run(&[
            "retrieve",
            "--certificate-id",
            "cert_1",
            "--include",
            "content",
        ])
        .await;
    let positional = harness
        .run(&["retrieve", "cert_1", "--include", "content"])
        .await;

    let expected = json!({
        "object": "certificate",
        "id": "cert_1",
        "name": "seeded",
        "created_at": EPOCH + 1,
        "certificate_details": {
            "valid_at": VALID_AT,
            "expires_at": EXPIRES_AT,
            "content": pem,
        },
    });
    assert_eq!(by_flag.json(), expected);
    assert_eq!(positional.json(), expected);
    for request in harness.requests() {
        assert_sent(
            &request,
            "GET",
            "/v1/organization/certificates/cert_1",
            "include%5B%5D=content",
        );
    }

    let plain = harness.run(&["retrieve", "cert_1"]).await.json();
    assert_eq!(plain["certificate_details"].get("content"), None);
    assert_sent(
        &harness.requests()[0],
        "GET",
        "/v1/organization/certificates/cert_1",
        "",
    );
}

#[tokio::test]
async fn retrieve_of_an_unknown_id_fails_with_status_request_id_and_message() {
    let harness = Harness::start("retrieve-404").await;

    let run = harness.run(&["retrieve", "cert_404"]).await;

    assert_eq!(run.code, 1, "{run:#?}");
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: 404 Not Found: No certificate found with id 'cert_404'. (request id req_1)\n"
    );
}

#[tokio::test]
async fn update_renames_and_prints_the_certificate() {
    let harness = Harness::start("update").await;
    harness.seed(&["before"]);

    let run = harness
        .run(&["update", "cert_1", "--name", "Renamed Certificate"])
        .await;

    let certificate = run.json();
    assert_eq!(certificate["id"], "cert_1");
    assert_eq!(certificate["name"], "Renamed Certificate");
    assert_eq!(certificate["object"], "certificate");
    let requests = harness.requests();
    assert_eq!(requests.len(), 1);
    assert_sent(
        &requests[0],
        "POST",
        "/v1/organization/certificates/cert_1",
        "",
    );
    assert_eq!(
        body_json(&requests[0]),
        json!({"name": "Renamed Certificate"})
    );
}

#[tokio::test]
async fn a_wrong_key_is_an_api_error_that_never_shows_the_key() {
    let harness = Harness::start("wrong-key").await;

    let run = harness
        .run_raw(
            &[
                GROUP,
                "list",
                "--admin-api-key",
                "sk-admin-wrong-secret",
                "--base-url",
                &harness.base_url,
            ],
            &[],
            None,
        )
        .await;

    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr.starts_with("error: 401 Unauthorized: "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("(request id req_1)"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("sk-admin-wrong-secret"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn usage_errors_exit_2_before_anything_is_sent() {
    let harness = Harness::start("usage").await;
    let cases: &[(&[&str], &str)] = &[
        (&["create"], "--certificate <CERTIFICATE>"),
        (&["create", "--certificate", "@missing.pem"], "missing.pem"),
        (
            &["retrieve"],
            "<CERTIFICATE_ID|--certificate-id <CERTIFICATE_ID>>",
        ),
        (
            &["retrieve", "cert_1", "--certificate-id", "cert_2"],
            "cannot be used with",
        ),
        (&["retrieve", ""], "invalid request"),
        (&["list", "--limit", "ten"], "invalid value 'ten'"),
        (&["list", "--timeout", "0"], "expected a positive number"),
        (
            &["list", "--format", "yaml"],
            "[possible values: json, pretty, jsonl]",
        ),
        (&["delete"], "unrecognized subcommand 'delete'"),
    ];
    for (args, expected) in cases {
        let run = harness.run(args).await;
        assert_eq!(run.code, 2, "{args:?}: {run:#?}");
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
    }

    let no_key = harness
        .run_raw(&[GROUP, "list", "--base-url", &harness.base_url], &[], None)
        .await;
    assert_eq!(no_key.code, 2, "{no_key:#?}");
    assert_eq!(
        no_key.stderr,
        "error: the API needs a credential: pass --admin-api-key or set OPENAI_ADMIN_KEY\n"
    );
    assert!(harness.requests().is_empty());
}

/// The help texts, compared with golden files (`EXPECTORATE=overwrite` writes them).
#[test]
fn help_texts_match_the_snapshots() {
    let cases: &[(&str, &[&str])] = &[
        ("root", &["--help"]),
        ("group", &[GROUP, "--help"]),
        ("create", &[GROUP, "create", "--help"]),
        ("list", &[GROUP, "list", "--help"]),
        ("retrieve", &[GROUP, "retrieve", "--help"]),
        ("update", &[GROUP, "update", "--help"]),
    ];
    let dir = root().join("tests/snapshots/cli");
    for (name, args) in cases {
        let run = run_in(&root(), args, &[], None);
        assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{args:?}");
        // clap pads blank lines of long help with spaces; the files do without.
        let actual: String = run
            .stdout
            .lines()
            .map(|l| format!("{}\n", l.trim_end()))
            .collect();
        expectorate::assert_contents(dir.join(format!("{name}.txt")), &actual);
    }
}

#[test]
fn the_library_does_not_depend_on_clap_unless_cli_is_on() {
    let tree = |features: &[&str]| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let output = Command::new(cargo)
            .current_dir(root())
            .args([
                "tree",
                "--offline",
                "-p",
                BIN,
                "-e",
                "normal",
                "--prefix",
                "none",
            ])
            .args(features)
            .args(["--format", "{p}"])
            .output()
            .expect("run cargo tree");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let has_clap = |tree: &str| tree.lines().any(|line| line.starts_with("clap "));
    assert!(!has_clap(&tree(&[])), "clap without the cli feature");
    assert!(
        has_clap(&tree(&["--features", "cli"])),
        "clap with the cli feature"
    );
}
