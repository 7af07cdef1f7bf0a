//! The runtime's modules form a tree: no module reaches, through the modules it uses, back to
//! itself. Read off the `use super::…` and `crate::…` paths of each module's non-test code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each module of `src/`, with the sibling modules its code outside `#[cfg(test)]` names.
fn uses() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeMap::new();
    for entry in std::fs::read_dir(&src).expect("runtime/src") {
        let path = entry.expect("an entry").path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if name == "lib" || path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        modules.insert(
            name.to_owned(),
            std::fs::read_to_string(&path).expect("read"),
        );
    }
    let names: BTreeSet<String> = modules.keys().cloned().collect();
    modules
        .into_iter()
        .map(|(name, text)| {
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            let used = names
                .iter()
                .filter(|other| **other != name)
                .filter(|other| {
                    [
                        format!("super::{other}::"),
                        format!("super::{other};"),
                        format!("super::{other},"),
                        format!("super::{{{other}"),
                        format!("crate::{other}::"),
                    ]
                    .iter()
                    .any(|path| code.contains(path.as_str()))
                })
                .cloned()
                .collect();
            (name, used)
        })
        .collect()
}

/// A cycle of modules, if there is one: depth-first, keeping the path.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut found = path[start..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_runtime_modules_form_a_tree() {
    let graph = uses();
    assert!(graph.len() >= 10, "the modules are read: {graph:?}");
    // The leaves stay leaves: what the rest is built on uses none of it.
    for leaf in ["settings", "upload", "unknown"] {
        assert!(graph[leaf].is_empty(), "{leaf} uses {:?}", graph[leaf]);
    }
    assert_eq!(graph["retry"], BTreeSet::from(["settings".to_owned()]));
    if let Some(cycle) = cycle(&graph) {
        panic!(
            "the runtime's modules use each other in a loop: {}",
            cycle.join(" → ")
        );
    }
}

#[test]
fn a_loop_would_be_found() {
    let graph = BTreeMap::from([
        ("a".to_owned(), BTreeSet::from(["b".to_owned()])),
        ("b".to_owned(), BTreeSet::from(["c".to_owned()])),
        ("c".to_owned(), BTreeSet::from(["a".to_owned()])),
        ("d".to_owned(), BTreeSet::new()),
    ]);
    assert_eq!(
        cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}
