//! Application developers must not pay for the generator: the generated crate's own
//! dependency tree (normal and build edges) holds none of it, no proc-macro crate at all, and
//! one reqwest, the current one.

use std::process::Command;

#[test]
fn the_generated_crate_depends_on_nothing_of_the_generator() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "tree",
            "-p",
            "openai-admin-certificates",
            "-e",
            "normal,build",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo tree");
    let tree = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut reqwests: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.strip_prefix("reqwest v"))
        .filter_map(|rest| rest.split_whitespace().next())
        .collect();
    reqwests.sort_unstable();
    reqwests.dedup();
    assert!(
        reqwests.len() == 1 && reqwests[0].starts_with("0.13."),
        "one reqwest, 0.13: {reqwests:?}"
    );
    for line in tree.lines() {
        let name = line.split_whitespace().next().unwrap_or_default();
        assert!(
            !matches!(
                name,
                "sdkgen"
                    | "openapiv3"
                    | "serde_yaml"
                    | "prettyplease"
                    | "syn"
                    | "quote"
                    | "workbench"
            ),
            "the generated crate pulls in {line}"
        );
        assert!(
            !line.contains("(proc-macro)"),
            "the generated crate builds a proc macro: {line}"
        );
    }
}
