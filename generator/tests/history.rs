//! Regeneration as upstream moves, on real history: twelve consecutive versions of OpenAI's
//! description (`tests/history/openai/`, rebuilt from the newest by the patches there). For
//! each pair, the change report's breaking entries are the golden file's
//! (`tests/history/openai/breaking.txt`, reviewed: each is a real change of the
//! description), beside the lines the description and the generated crate change, and their
//! ratio, per pair and over the whole span (`BENCHMARKS.md` quotes them).

mod support;

use std::fmt::Write as _;
use std::path::Path;

use sdkgen::changes::Report;
use sdkgen::surface::Surface;
use sdkgen::{GeneratedFile, Settings};
use similar::{Algorithm, ChangeTag, TextDiff};
use support::manifest_dir;

/// The versions, newest first: the first is `tests/real/openai.yaml`.
const COMMITS: &[&str] = &[
    "f85dbe2", "13c6a94", "010421d", "b0da4ea", "e68e9be", "b8d775d", "5fd39db", "06a9404",
    "2186421", "9b457ac", "2329a66", "b6c1bec",
];

/// Applies a `git diff -U0` patch: each hunk `@@ -a,b +c,d @@` replaces `b` lines from line
/// `a` of the original with its `+` lines.
fn apply(original: &str, patch: &str) -> String {
    let lines: Vec<&str> = original.split_inclusive('\n').collect();
    let mut out = String::with_capacity(original.len());
    let mut next = 0; // the next original line (0-based) not yet copied
    let mut added: Vec<String> = Vec::new();
    let mut hunk: Option<(usize, usize)> = None;
    let mut flush = |hunk: Option<(usize, usize)>, added: &mut Vec<String>, out: &mut String| {
        if let Some((start, count)) = hunk {
            // With no lines taken away, the new lines go after line `start`.
            let from = if count == 0 { start } else { start - 1 };
            out.extend(lines[next..from].iter().copied());
            out.extend(added.drain(..));
            next = from + count;
        }
    };
    for line in patch.lines() {
        if let Some(header) = line.strip_prefix("@@ -") {
            flush(hunk, &mut added, &mut out);
            let old = header.split(' ').next().expect("a hunk header");
            let (start, count) = old.split_once(',').unwrap_or((old, "1"));
            hunk = Some((
                start.parse().expect("a line number"),
                count.parse().expect("a line count"),
            ));
        } else if let Some(text) = line.strip_prefix('+').filter(|_| hunk.is_some()) {
            added.push(format!("{text}\n"));
        }
    }
    flush(hunk, &mut added, &mut out);
    out.extend(lines[next..].iter().copied());
    out
}

/// Lines added or removed from `old` to `new`, as `git diff` counts them. (`similar`'s
/// Myers is not minimal on large files: it counts a third more lines than git shows a
/// reviewer for the same change; patience matches git here.)
fn changed_lines(old: &str, new: &str) -> usize {
    TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_lines(old, new)
        .iter_all_changes()
        .filter(|change| change.tag() != ChangeTag::Equal)
        .count()
}

/// Lines changed across a generated crate's files (a file added or removed counts whole).
fn crate_diff(old: &[GeneratedFile], new: &[GeneratedFile]) -> usize {
    let find = |files: &[GeneratedFile], path: &str| {
        files
            .iter()
            .find(|file| file.path == path)
            .map_or(String::new(), |file| file.contents.clone())
    };
    let mut paths: Vec<&str> = old.iter().chain(new).map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    paths
        .into_iter()
        .map(|path| changed_lines(&find(old, path), &find(new, path)))
        .sum()
}

#[test]
fn consecutive_versions_report_real_changes_only_and_diffs_the_size_of_the_change() {
    let dir = manifest_dir().join("tests/history/openai");
    let newest = std::fs::read_to_string(manifest_dir().join("tests/real/openai.yaml"))
        .expect("read tests/real/openai.yaml");
    let mut versions = vec![(COMMITS[0], newest)];
    for commit in &COMMITS[1..] {
        let patch =
            std::fs::read_to_string(dir.join(format!("{commit}.patch"))).expect("read a patch");
        let previous = &versions.last().expect("a newer version").1;
        versions.push((commit, apply(previous, &patch)));
    }
    versions.reverse();
    // Every version under one name, as a maintainer regenerates in place.
    let label = "openapi.yaml";
    let settings = Settings::default();
    let built: Vec<(Surface, Vec<GeneratedFile>)> = versions
        .iter()
        .map(|(commit, text)| {
            let generated = sdkgen::generate_from_str(text, Path::new(label), label, &settings)
                .unwrap_or_else(|error| panic!("{commit} is rejected: {error}"));
            let described = sdkgen::describe_from_str(text, Path::new(label), &settings)
                .unwrap_or_else(|error| panic!("{commit} is rejected: {error}"));
            (Surface::of(&described.api), generated.files)
        })
        .collect();
    let mut golden = String::from(
        "# Each pair of consecutive versions: the lines the description and the generated crate\n\
         # change, their ratio, and the change report's breaking entries.\n",
    );
    for (pair, window) in versions.windows(2).enumerate() {
        let [(old_commit, old_text), (new_commit, new_text)] = window else {
            unreachable!("windows of two")
        };
        let (old_surface, old_files) = &built[pair];
        let (new_surface, new_files) = &built[pair + 1];
        let described = changed_lines(old_text, new_text);
        let generated = crate_diff(old_files, new_files);
        let ratio = generated as f64 / described.max(1) as f64;
        let report = Report::between(old_surface, new_surface);
        let _ = writeln!(
            golden,
            "\n{old_commit} → {new_commit}: description {described} lines, crate {generated} lines ({ratio:.2}×); {}",
            report.headline()
        );
        for line in report.summary().lines().skip(1) {
            let _ = writeln!(golden, "{line}");
        }
    }
    let (first, last) = (&versions[0], &versions[versions.len() - 1]);
    let described = changed_lines(&first.1, &last.1);
    let generated = crate_diff(&built[0].1, &built[built.len() - 1].1);
    let _ = writeln!(
        golden,
        "\nthe whole span, {} → {}: description {described} lines, crate {generated} lines ({:.2}×)",
        first.0,
        last.0,
        generated as f64 / described.max(1) as f64
    );
    expectorate::assert_contents(dir.join("breaking.txt"), &golden);
}

#[test]
fn a_zero_context_patch_applies_at_each_kind_of_hunk() {
    let original = "a\nb\nc\nd\n";
    // b replaced, a line added after d, c removed.
    let patch = "@@ -2 +2 @@\n-b\n+B\n@@ -3 +2,0 @@\n-c\n@@ -4,0 +4 @@\n+e\n";
    assert_eq!(apply(original, patch), "a\nB\nd\ne\n");
}

/// The paths of the files that differ between two generated crates.
fn changed_files(old: &[GeneratedFile], new: &[GeneratedFile]) -> Vec<String> {
    let contents = |files: &[GeneratedFile], path: &str| {
        files
            .iter()
            .find(|file| file.path == path)
            .map(|file| file.contents.clone())
    };
    let mut paths: Vec<&str> = old.iter().chain(new).map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    paths
        .into_iter()
        .filter(|path| contents(old, path) != contents(new, path))
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_change_to_one_resource_touches_only_its_files() {
    let spec = std::fs::read_to_string(manifest_dir().join("tests/corpus/bodies_and_streams.yaml"))
        .expect("read the corpus description");
    let member = "        bytes: {type: integer}\n";
    assert_eq!(spec.matches(member).count(), 1, "the edit has one place");
    // `Upload` is a response of the `uploads` operations only.
    let edited = spec.replacen(
        member,
        &format!("{member}        status: {{type: string, enum: [pending, done]}}\n"),
        1,
    );
    let label = "bodies_and_streams.yaml";
    let generate = |text: &str| {
        sdkgen::generate_from_str(text, Path::new(label), label, &Settings::default())
            .expect("generates")
            .files
    };
    let original = generate(&spec);
    assert_eq!(
        changed_files(&original, &generate(&edited)),
        [
            "public-api.jsonl",
            "src/serde_impls/uploads.rs",
            "src/types/uploads.rs"
        ]
    );
    // A member of the request body: its setter and its flag too, in the feature's files.
    let member = "                purpose: {type: string, enum: [assistants, batch]}\n";
    assert_eq!(spec.matches(member).count(), 1, "the edit has one place");
    let edited = spec.replacen(
        member,
        &format!("{member}                expires_after: {{type: integer}}\n"),
        1,
    );
    assert_eq!(
        changed_files(&original, &generate(&edited)),
        [
            "public-api.jsonl",
            "src/bin/cli/commands/uploads.rs",
            "src/operations/uploads.rs",
            "src/serde_impls/uploads.rs",
            "src/types/uploads.rs"
        ]
    );
}
