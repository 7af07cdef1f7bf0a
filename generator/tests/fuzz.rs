//! The generator under hostile input, as a user meets it: published descriptions
//! (`tests/real/`) mutated at random (keys deleted or retyped, non-finite and huge numbers,
//! long and control-character strings, broken and cyclic `$ref`s, names that collide with
//! each other and with Rust's keywords, nesting past the limit) and run through the `sdkgen`
//! binary into a directory that already holds the crate of the unmutated description.
//!
//! Each case must end with exit 0 or 2, never a panic; every line on stderr is a located
//! diagnostic (`FILE:LINE:COLUMN: warning|error: #/pointer: reason`) or the closing summary;
//! a rejected description leaves the directory byte for byte as it was; an accepted one
//! leaves Rust that parses.
//!
//! `cargo test` runs a bounded number of cases on the smaller descriptions. The long run
//! (reported in BENCHMARKS.md) is
//!
//! ```text
//! FUZZ_SECONDS=600 FUZZ_ALL=1 cargo test --release -p sdkgen --test fuzz -- --nocapture
//! ```
//!
//! `FUZZ_CASES` (default 160) bounds a run by cases, `FUZZ_SECONDS` by time, `FUZZ_SEED`
//! (default 1) picks the sequence; `FUZZ_ALL=1` takes every description. A failing case is
//! kept in `target/fuzz-failures/` with its seed.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_yaml::{Mapping, Value};
use support::manifest_dir;

/// Descriptions larger than this are only taken with `FUZZ_ALL=1`.
const BOUNDED_SIZE: u64 = 130_000;

/// A small deterministic generator (SplitMix64): a case is reproduced from its seed alone.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The kinds of mutation, each a name for the report.
const MUTATIONS: &[&str] = &[
    "delete a key",
    "retype a value",
    "non-finite number",
    "huge number",
    "long string",
    "control characters",
    "broken $ref",
    "cyclic $ref",
    "colliding name",
    "deep nesting",
];

/// Names that collide with Rust, with the runtime's and the crate's own names, with each
/// other once cased, or that are no identifier at all.
const COLLIDERS: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "mod",
    "fn",
    "async",
    "r#type",
    "_",
    "__",
    "",
    "0",
    "1a",
    "a-b",
    "A_b",
    "a_b",
    "AB",
    "Ab",
    "ÿ",
    "💥",
    "../x",
    "a/b",
    "a b",
    "None",
    "Some",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "std",
    "core",
    "serde",
    "Client",
    "Error",
    "types",
    "operations",
    "runtime",
    "~",
    "%",
    "$ref",
];

const CONTROL_STRINGS: &[&str] = &[
    "a\rb",
    "bare\r",
    "nul\u{0}here",
    "escape \u{1b}[31mred",
    "bell\u{7}",
    "del\u{7f}",
    "right-to-left \u{202e}txt",
    "*/ /* #[doc] ``` \\ \" '",
    "line\u{2028}separator",
    "tab\tand\u{b}vertical",
];

const BROKEN_REFS: &[&str] = &[
    "#/components/schemas/Missing",
    "#/nope",
    "#",
    "",
    "other.yaml#/x",
    "http://127.0.0.1:9/x.yaml",
    "#/components/schemas/~2",
    "#/paths",
    "../../../../etc/passwd",
    "#/components/schemas/A/properties/b/items",
];

/// One step of a path into the tree.
#[derive(Clone)]
enum Step {
    Key(Value),
    Index(usize),
}

/// The path to the node at position `k` in document order.
fn path_to(root: &Value, k: usize) -> Vec<Step> {
    let mut stack: Vec<(Vec<Step>, &Value)> = vec![(Vec::new(), root)];
    let mut seen = 0;
    while let Some((path, node)) = stack.pop() {
        if seen == k {
            return path;
        }
        seen += 1;
        match node {
            Value::Mapping(map) => {
                for (key, child) in map.iter() {
                    let mut child_path = path.clone();
                    child_path.push(Step::Key(key.clone()));
                    stack.push((child_path, child));
                }
            }
            Value::Sequence(items) => {
                for (index, child) in items.iter().enumerate() {
                    let mut child_path = path.clone();
                    child_path.push(Step::Index(index));
                    stack.push((child_path, child));
                }
            }
            _ => {}
        }
    }
    Vec::new()
}

fn count(root: &Value) -> usize {
    let mut stack = vec![root];
    let mut n = 0;
    while let Some(node) = stack.pop() {
        n += 1;
        match node {
            Value::Mapping(map) => stack.extend(map.values()),
            Value::Sequence(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
    n
}

fn node_mut<'a>(root: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut node = root;
    for step in path {
        node = match (step, node) {
            (Step::Key(key), Value::Mapping(map)) => map.get_mut(key)?,
            (Step::Index(index), Value::Sequence(items)) => items.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(node)
}

/// A literal, read as the generator reads (numbers past 64 bits become floating-point).
fn yaml(text: &str) -> Value {
    sdkgen::load::read_tree(text).expect("a literal")
}

/// The component schema names of the tree.
fn schema_names(tree: &Value) -> Vec<Value> {
    tree.get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_mapping)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default()
}

fn schema_ref(name: &Value) -> Value {
    let name = name.as_str().unwrap_or_default();
    let mut map = Mapping::new();
    map.insert("$ref".into(), format!("#/components/schemas/{name}").into());
    Value::Mapping(map)
}

/// Applies mutation `kind` at a random node; returns what it did, for the failure report.
fn mutate(tree: &mut Value, kind: usize, rng: &mut Rng) -> String {
    let nodes = count(tree);
    let path = path_to(tree, 1 + rng.below(nodes.saturating_sub(1)));
    let Some((last, parent_path)) = path.split_last() else {
        return "nothing (an empty document)".to_owned();
    };
    let at = describe(&path);
    let replacement = match MUTATIONS[kind] {
        "delete a key" => {
            if let Some(parent) = node_mut(tree, parent_path) {
                match (parent, last) {
                    (Value::Mapping(map), Step::Key(key)) => {
                        map.remove(key);
                    }
                    (Value::Sequence(items), Step::Index(index)) => {
                        items.remove(*index);
                    }
                    _ => {}
                }
            }
            return format!("deleted {at}");
        }
        "retype a value" => yaml(rng.pick::<&str>(&[
            "x", "7", "-1", "3.5", "true", "null", "[]", "{}", "[a]", "{a: 1}", "'3.0.3'",
        ])),
        "non-finite number" => yaml(rng.pick::<&str>(&[".inf", "-.inf", ".nan"])),
        "huge number" => yaml(rng.pick::<&str>(&[
            "1e308",
            "-1e308",
            "18446744073709551615",
            "-9223372036854775808",
            "340282366920938463463374607431768211456",
            "1e-320",
            "123456789012345678901234567890",
        ])),
        "long string" => {
            let word = rng.pick(&["a", "lorem ipsum ", "ünï ", "{x}", "\\n"]);
            Value::String(word.repeat(100_000 / word.len()))
        }
        "control characters" => {
            let text = (*rng.pick(CONTROL_STRINGS)).to_owned();
            if rng.below(2) == 0 {
                if let (Some(Value::Mapping(map)), Step::Key(key)) =
                    (node_mut(tree, parent_path), last)
                {
                    if let Some(value) = map.remove(key) {
                        map.insert(Value::String(text.clone()), value);
                    }
                    return format!("renamed {at} to {text:?}");
                }
            }
            Value::String(text)
        }
        "broken $ref" => {
            let target = *rng.pick(BROKEN_REFS);
            let mut map = Mapping::new();
            map.insert("$ref".into(), target.into());
            Value::Mapping(map)
        }
        "cyclic $ref" => {
            let names = schema_names(tree);
            if names.is_empty() {
                return "nothing (no component schemas)".to_owned();
            }
            let a = rng.pick(&names).clone();
            let b = rng.pick(&names).clone();
            if let Some(Value::Mapping(schemas)) = node_mut(
                tree,
                &[Step::Key("components".into()), Step::Key("schemas".into())],
            ) {
                match rng.below(3) {
                    0 => {
                        schemas.insert(a.clone(), schema_ref(&a));
                    }
                    1 => {
                        schemas.insert(a.clone(), schema_ref(&b));
                        schemas.insert(b.clone(), schema_ref(&a));
                    }
                    _ => {
                        let mut all_of = Mapping::new();
                        all_of.insert("allOf".into(), Value::Sequence(vec![schema_ref(&a)]));
                        schemas.insert(a.clone(), Value::Mapping(all_of));
                    }
                }
            }
            return format!("cycled {a:?} and {b:?}");
        }
        "colliding name" => {
            let name = *rng.pick(COLLIDERS);
            match (node_mut(tree, parent_path), last) {
                (Some(Value::Mapping(map)), Step::Key(key)) => {
                    if let Some(value) = map.remove(key) {
                        map.insert(name.into(), value);
                    }
                    return format!("renamed {at} to {name:?}");
                }
                _ => Value::String(name.to_owned()),
            }
        }
        _ => {
            // Deep nesting: under, at and past the limit.
            let depth = *rng.pick(&[40usize, 120, 200]);
            let mut node = node_mut(tree, &path).cloned().unwrap_or(Value::Null);
            for _ in 0..depth {
                let mut map = Mapping::new();
                map.insert("type".into(), "array".into());
                map.insert("items".into(), node);
                node = Value::Mapping(map);
            }
            node
        }
    };
    let shown = format!("{replacement:?}");
    if let Some(node) = node_mut(tree, &path) {
        *node = replacement;
    }
    format!("{at} = {}", shown.chars().take(80).collect::<String>())
}

fn describe(path: &[Step]) -> String {
    let mut out = String::from("#");
    for step in path {
        out.push('/');
        match step {
            Step::Key(Value::String(key)) => out.push_str(key),
            Step::Key(key) => out.push_str(&format!("{key:?}")),
            Step::Index(index) => out.push_str(&index.to_string()),
        }
    }
    out
}

/// Every file under `dir`, by relative path, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let Ok(entries) = fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = fs::read(&path).expect("read a file");
                let relative = path.strip_prefix(dir).expect("under dir").to_path_buf();
                files.insert(relative, bytes);
            }
        }
    }
    files
}

fn restore(dir: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) {
    let _ = fs::remove_dir_all(dir);
    for (relative, bytes) in files {
        let path = dir.join(relative);
        fs::create_dir_all(path.parent().expect("a parent")).expect("create a directory");
        fs::write(path, bytes).expect("write a file");
    }
}

/// A line `sdkgen` may print on stderr: a located diagnostic (in the description or in a file
/// it refers to) or the summary of a rejection.
fn well_formed(line: &str, spec: &str) -> bool {
    if line
        .strip_prefix(spec)
        .is_some_and(|rest| rest.starts_with(": rejected with "))
    {
        return true;
    }
    let Some((place, _)) = [": warning: #", ": error: #"]
        .iter()
        .find_map(|severity| line.split_once(severity))
    else {
        return false;
    };
    let mut parts = place.rsplitn(3, ':');
    let (Some(column), Some(line_no), Some(file)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    !file.is_empty()
        && line_no.parse::<usize>().is_ok_and(|n| n > 0)
        && column.parse::<usize>().is_ok_and(|n| n > 0)
}

struct Description {
    name: String,
    tree: Value,
    /// The crate generated from the unmutated description.
    template: BTreeMap<PathBuf, Vec<u8>>,
}

fn descriptions(work: &Path, all: bool) -> Vec<Description> {
    let real = manifest_dir().join("tests/real");
    let mut files: Vec<PathBuf> = fs::read_dir(&real)
        .expect("tests/real")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            let ext = path.extension().and_then(|e| e.to_str());
            matches!(ext, Some("yaml" | "json"))
                && (all || path.metadata().is_ok_and(|m| m.len() <= BOUNDED_SIZE))
        })
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let name = path.file_stem()?.to_str()?.to_owned();
            let text = fs::read_to_string(&path).ok()?;
            let tree = sdkgen::load::read_tree(&text).ok()?;
            let out = work.join("template").join(&name);
            let run = sdkgen_command(&path, &out).output().expect("run sdkgen");
            assert!(
                run.status.success(),
                "{name} generates unmutated: {}",
                String::from_utf8_lossy(&run.stderr)
            );
            // Without its API listing, a rerun prints no change report: stderr holds only
            // diagnostics.
            let _ = fs::remove_file(out.join("public-api.jsonl"));
            Some(Description {
                name,
                tree,
                template: snapshot(&out),
            })
        })
        .collect()
}

fn sdkgen_command(spec: &Path, out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sdkgen"));
    command.arg("generate").arg(spec).arg("--out").arg(out);
    command
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// How long one case may take (a debug build on the largest descriptions takes seconds).
const CASE_LIMIT: Duration = Duration::from_secs(120);

/// The exit "code" of a case stopped at [`CASE_LIMIT`].
const TIMED_OUT: i32 = -2;

/// Runs `command` for at most [`CASE_LIMIT`]: its exit code (-1 for a signal, [`TIMED_OUT`])
/// and its stderr, which goes through a file (a pipe would fill and stop it).
fn run_bounded(mut command: Command, work: &Path) -> (i32, String) {
    let stderr_path = work.join("stderr.txt");
    let stderr = fs::File::create(&stderr_path).expect("create the stderr file");
    let mut child = command
        .stdout(std::process::Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("run sdkgen");
    let started = Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait for sdkgen") {
            break status.code().unwrap_or(-1);
        }
        if started.elapsed() > CASE_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break TIMED_OUT;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stderr = fs::read(&stderr_path).unwrap_or_default();
    (code, String::from_utf8_lossy(&stderr).into_owned())
}

/// One case: what it did, and the problem when it failed.
fn run_case(description: &Description, seed: u64, work: &Path) -> (String, i32, Option<String>) {
    let mut rng = Rng(seed);
    let mut tree = description.tree.clone();
    let edits: Vec<String> = (0..1 + rng.below(3))
        .map(|_| {
            let kind = rng.below(MUTATIONS.len());
            format!("{}: {}", MUTATIONS[kind], mutate(&mut tree, kind, &mut rng))
        })
        .collect();
    let what = format!("{} (seed {seed}): {}", description.name, edits.join("; "));
    let text = serde_yaml::to_string(&tree).expect("a tree serializes");
    let spec = work.join("case.yaml");
    fs::write(&spec, &text).expect("write the case");
    let out = work.join("out");
    restore(&out, &description.template);
    let (code, stderr) = run_bounded(sdkgen_command(&spec, &out), work);
    let spec_shown = spec.display().to_string();
    let problem = if code == TIMED_OUT {
        Some(format!("did not finish in {} s", CASE_LIMIT.as_secs()))
    } else if code != 0 && code != 2 {
        Some(format!("exit {code}:\n{stderr}"))
    } else if let Some(line) = stderr.lines().find(|l| !well_formed(l, &spec_shown)) {
        Some(format!(
            "a line on stderr that is no located diagnostic: {line:?}"
        ))
    } else if code == 2 && snapshot(&out) != description.template {
        Some("rejected, yet the output directory changed".to_owned())
    } else if code == 0 {
        snapshot(&out)
            .iter()
            .filter(|(path, _)| path.extension().is_some_and(|e| e == "rs"))
            .find_map(|(path, bytes)| {
                let source = String::from_utf8_lossy(bytes);
                syn::parse_file(&source)
                    .err()
                    .map(|error| format!("{} does not parse: {error}", path.display()))
            })
    } else {
        None
    };
    if problem.is_some() {
        let kept = manifest_dir().join("../target/fuzz-failures");
        let _ = fs::create_dir_all(&kept);
        let _ = fs::write(
            kept.join(format!("{}-{seed}.yaml", description.name)),
            &text,
        );
    }
    (what, code, problem)
}

#[test]
fn mutated_real_descriptions_never_panic_and_never_half_write() {
    // Writing a case nested 200 deep recurses deeper than a test thread's 2 MB.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(fuzz)
        .expect("a thread")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
}

fn fuzz() {
    let work = manifest_dir().join("../target/fuzz");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).expect("create the work directory");
    // As sdkgen names the files it read.
    let work = work.canonicalize().expect("the work directory");
    let all = std::env::var("FUZZ_ALL").is_ok_and(|v| v == "1");
    let descriptions = descriptions(&work, all);
    assert!(descriptions.len() >= 10, "the corpus is there");
    let seconds = env_number("FUZZ_SECONDS", 0);
    let cases = if seconds > 0 {
        u64::MAX
    } else {
        env_number("FUZZ_CASES", 160)
    };
    let first_seed = env_number("FUZZ_SEED", 1);
    let started = Instant::now();
    let mut exits: BTreeMap<i32, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut ran = 0u64;
    while ran < cases && (seconds == 0 || started.elapsed() < Duration::from_secs(seconds)) {
        let seed = first_seed.wrapping_mul(1_000_003).wrapping_add(ran);
        let description = &descriptions[(seed % descriptions.len() as u64) as usize];
        let (what, code, problem) = run_case(description, seed, &work);
        *exits.entry(code).or_default() += 1;
        if let Some(problem) = problem {
            failures.push(format!("{what}\n  {problem}"));
        }
        ran += 1;
    }
    println!(
        "fuzz: {ran} cases on {} descriptions in {:.0?}: exits {exits:?}, {} failures",
        descriptions.len(),
        started.elapsed(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
