//! Descriptions split over files: every `$ref` to another file (`resources/apps.yml`,
//! `schemas.yml#/components/schemas/App`), relative to the file it is written in, is read and
//! brought into the root document, so that the stages after this one see one document.
//!
//! - A schema (a `$ref` where a schema stands, or to a file's `#/components/schemas/...`) and
//!   any other component (`#/components/parameters/...`, ...) is hoisted into the root's
//!   `components` under its own name (or the file's stem), renamed `Name2`, ... when the name
//!   is taken by another; the `$ref` then points to it. Each is read once, so cycles of
//!   schemas are references like any other.
//! - Anything else (a path item, an operation, a response written in a file of its own) is
//!   copied in place; a cycle of those is reported and the `$ref` left to the stages after.
//! - Path items referenced inside the root document (`$ref: '#/components/pathItems/A'`,
//!   which openapiv3 cannot read) are copied in place too.
//!
//! A `$ref` by URL is refused (builds do not reach the network), and one to a file that
//! cannot be read is reported; both are left unresolved, so that only the unit holding them
//! degrades. Every node brought in remembers where it came from ([`Sources`]), so that a
//! diagnostic about it names its own file, line and column.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pointer::Pointer;

/// The files a description was read from, and where each node brought into the root came
/// from.
#[derive(Debug, Clone)]
pub struct Sources {
    /// Path and text of each file; the root is the first.
    files: Vec<(PathBuf, String)>,
    /// Pointer in the bundled document → (file, pointer in that file), for every node that
    /// was brought in from another file.
    origins: Vec<(String, usize, String)>,
}

impl Sources {
    /// Every file of the description, the root first.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|(path, _)| path.as_path())
    }

    /// Points each diagnostic into the file its node came from and fills in its line and
    /// column there.
    pub fn locate(&self, diagnostics: &mut [Diagnostic]) {
        let mut by_file: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (index, diagnostic) in diagnostics.iter_mut().enumerate() {
            let origin = self
                .origins
                .iter()
                .filter(|(prefix, ..)| is_within(&diagnostic.pointer, prefix))
                .max_by_key(|(prefix, ..)| prefix.len());
            let file = match origin {
                Some((prefix, file, pointer)) => {
                    diagnostic.pointer =
                        format!("{pointer}{}", &diagnostic.pointer[prefix.len()..]);
                    diagnostic.file = Some(self.files[*file].0.clone());
                    *file
                }
                None => 0,
            };
            by_file.entry(file).or_default().push(index);
        }
        for (file, indices) in by_file {
            let mut located: Vec<Diagnostic> =
                indices.iter().map(|&i| diagnostics[i].clone()).collect();
            crate::diagnostics::locate(&self.files[file].1, &mut located);
            for (index, diagnostic) in indices.into_iter().zip(located) {
                diagnostics[index] = diagnostic;
            }
        }
    }
}

/// Whether `pointer` is `prefix` or below it.
fn is_within(pointer: &str, prefix: &str) -> bool {
    pointer
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Brings every file `tree` (the root document, read from `root`) refers to into it.
pub fn bundle(tree: &mut Value, root: &Path, text: &str, diagnostics: &mut Diagnostics) -> Sources {
    // 3.2 names documents by their `$self` URIs: those become the paths read here.
    super::openapi_3_2::self_references(tree);
    let mut bundler = Bundler {
        files: vec![(normal(root), text.to_owned(), None)],
        by_path: BTreeMap::new(),
        hoisted: BTreeMap::new(),
        taken: BTreeMap::new(),
        hoist: Vec::new(),
        origins: Vec::new(),
        inlining: Vec::new(),
        diagnostics,
    };
    if needs_bundling(tree, 0) {
        // The root's own nodes are copied from it as it was written.
        bundler.files[0].2 = Some(tree.clone());
        bundler.by_path.insert(normal(root), 0);
        for (section, entries) in components_of(tree) {
            for name in entries {
                bundler.taken.entry(section.clone()).or_default().push(name);
            }
        }
        bundler.walk(tree, 0, &mut Position::root());
        bundler.place_hoisted(tree);
    }
    Sources {
        files: bundler
            .files
            .into_iter()
            .map(|(path, text, _)| (path, text))
            .collect(),
        origins: bundler.origins,
    }
}

/// Keys whose values are data, not description: a `$ref` member there is not a reference
/// (examples, vendor extensions but 3.0's `x-webhooks`; in a schema also `default`, `enum`
/// and `const`).
fn is_data(key: &str, in_schema: bool) -> bool {
    matches!(key, "example" | "examples")
        || (key.starts_with("x-") && key != crate::ir::webhooks::EXTENSION)
        || (in_schema && matches!(key, "default" | "enum" | "const"))
}

/// Whether anything needs bundling: a `$ref` to another file, or a path item's `$ref`.
fn needs_bundling(node: &Value, depth: usize) -> bool {
    match node {
        Value::Mapping(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                if !reference.starts_with('#') || !is_component_ref(reference) {
                    return true;
                }
            }
            if depth == 1 && map.values().any(|item| item.get("$ref").is_some()) {
                // Under `paths` (depth 1 is the root's sections): path items by reference.
                return true;
            }
            map.iter().any(|(key, child)| {
                !key.as_str().is_some_and(|key| is_data(key, false))
                    && needs_bundling(child, depth + 1)
            })
        }
        Value::Sequence(items) => items.iter().any(|child| needs_bundling(child, depth + 1)),
        _ => false,
    }
}

/// Whether a local reference names a whole component (`#/components/schemas/Pet`), which the
/// stages after this one resolve themselves; a pointer deeper into the document
/// (`#/components/schemas/Tag/allOf/0`, `#/paths/~1pets/get/parameters/0`) is brought in here.
fn is_component_ref(reference: &str) -> bool {
    let mut tokens = reference.trim_start_matches('#').split('/').skip(1);
    matches!(
        (tokens.next(), tokens.next(), tokens.next(), tokens.next()),
        (Some("components"), Some(_), Some(_), None)
    )
}

/// The names each section of a document's `components` holds.
fn components_of(tree: &Value) -> Vec<(String, Vec<String>)> {
    let Some(Value::Mapping(components)) = tree.get("components") else {
        return Vec::new();
    };
    components
        .iter()
        .filter_map(|(section, entries)| {
            let names = entries
                .as_mapping()?
                .keys()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect();
            Some((section.as_str()?.to_owned(), names))
        })
        .collect()
}

/// Where a node stands in the bundled document: its pointer, and whether it is a schema
/// (any node under a `schema` or `components/schemas` is).
#[derive(Clone)]
struct Position {
    pointer: Pointer,
    in_schema: bool,
    /// The `properties` of a schema: a map of schemas, not a schema. A `$ref` standing for
    /// the whole map (written, and read by JSON Reference tools, as "the members are those
    /// there") is copied in, not hoisted as a schema.
    schema_map: bool,
    /// Directly under `paths` (or `components/pathItems`, or the webhooks): a path item.
    path_item: bool,
    depth: usize,
}

impl Position {
    fn root() -> Self {
        Position {
            pointer: Pointer::root(),
            in_schema: false,
            schema_map: false,
            path_item: false,
            depth: 0,
        }
    }

    fn child(&self, key: &str) -> Self {
        let parent = self.pointer.as_str();
        let in_components = parent == "#/components";
        Position {
            pointer: self.pointer.join(key),
            in_schema: self.in_schema
                || matches!(key, "schema" | "itemSchema")
                || (in_components && key == "schemas"),
            schema_map: self.in_schema && !self.schema_map && key == "properties",
            path_item: matches!(
                parent,
                "#/paths" | "#/components/pathItems" | "#/webhooks" | "#/x-webhooks"
            ),
            depth: self.depth + 1,
        }
    }
}

/// A component hoisted from another file, waiting to be placed in the root's `components`.
struct Hoisted {
    section: String,
    name: String,
    node: Value,
}

struct Bundler<'d> {
    /// Each file read: its path, its text and its tree (for the root, as it was written;
    /// `None` when nothing needs bundling).
    files: Vec<(PathBuf, String, Option<Value>)>,
    by_path: BTreeMap<PathBuf, usize>,
    /// (file, fragment) → the `$ref` that now points to it in the root.
    hoisted: BTreeMap<(usize, String), String>,
    /// Names taken in each section of the root's `components`.
    taken: BTreeMap<String, Vec<String>>,
    hoist: Vec<Hoisted>,
    origins: Vec<(String, usize, String)>,
    /// (file, fragment) of the nodes being copied in, to find cycles.
    inlining: Vec<(usize, String)>,
    diagnostics: &'d mut Diagnostics,
}

impl Bundler<'_> {
    /// Resolves every reference in `node`, which was written in file `file`.
    fn walk(&mut self, node: &mut Value, file: usize, at: &mut Position) {
        match node {
            Value::Mapping(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let reference = reference.clone();
                    if let Some(replacement) = self.resolve(&reference, file, at) {
                        *node = replacement;
                    }
                    return;
                }
                for (key, child) in map.iter_mut() {
                    let key = key
                        .as_str()
                        .map_or_else(|| format!("{key:?}"), str::to_owned);
                    if !is_data(&key, at.in_schema) {
                        self.walk(child, file, &mut at.child(&key));
                    }
                }
            }
            Value::Sequence(items) => {
                for (index, child) in items.iter_mut().enumerate() {
                    self.walk(child, file, &mut at.child(&index.to_string()));
                }
            }
            _ => {}
        }
    }

    /// What a `$ref` written in `file` at `at` becomes: a `$ref` to a hoisted component, the
    /// node itself copied in, or `None` (left as it is).
    fn resolve(&mut self, reference: &str, file: usize, at: &Position) -> Option<Value> {
        let (target, fragment) = match reference.split_once('#') {
            Some((target, fragment)) => (target, fragment),
            None => (reference, ""),
        };
        let path_item = at.path_item && at.depth == 2;
        if target.is_empty()
            && file == 0
            && !path_item
            && !at.schema_map
            && is_component_ref(reference)
        {
            // A component of the root: the later stages resolve it.
            return None;
        }
        if target.contains("://") {
            self.diagnostics.warn(
                at.pointer.join("$ref"),
                format!("`$ref: {reference}` is a URL, which is not fetched (builds do not reach the network); left unresolved"),
            );
            return None;
        }
        let target_file = if target.is_empty() {
            file
        } else {
            self.read(target, file, at)?
        };
        let fragment = percent_decode(fragment);
        let tokens: Vec<String> = Pointer::from_ref(&format!("#{fragment}"))
            .map(|p| p.tokens().collect())
            .unwrap_or_default();
        let component = match tokens.as_slice() {
            [components, section, name] if components == "components" => {
                Some((section.clone(), name.clone()))
            }
            _ => None,
        };
        let hoist_as = match component {
            // A path item in the root's components is copied (openapiv3 has no `pathItems`).
            Some((section, _)) if section == "pathItems" => None,
            Some(component) => Some(component),
            None if at.in_schema && !at.schema_map => {
                Some(("schemas".to_owned(), self.stem(target_file, &tokens)))
            }
            None => None,
        };
        // A schema within the root's own components (`#/components/schemas/Tag/allOf/0`) is
        // hoisted beside them under a name of its own, like one from another file.
        let key = (target_file, fragment.clone());
        if let Some(existing) = self.hoisted.get(&key) {
            return Some(reference_to(existing));
        }
        let Some(mut node) = self.node(target_file, &tokens) else {
            self.diagnostics.warn(
                at.pointer.join("$ref"),
                format!(
                    "`$ref: {reference}` points to nothing in `{}`; left unresolved",
                    self.files[target_file].0.display()
                ),
            );
            return None;
        };
        let fragment_pointer = format!("#{fragment}");
        match hoist_as {
            Some((section, name)) => {
                let name = self.claim(&section, &name);
                let pointer = Pointer::root()
                    .join("components")
                    .join(&section)
                    .join(&name)
                    .to_string();
                self.hoisted.insert(key, pointer.clone());
                self.origins
                    .push((pointer.clone(), target_file, fragment_pointer));
                let mut position = Position::root()
                    .child("components")
                    .child(&section)
                    .child(&name);
                self.walk(&mut node, target_file, &mut position);
                self.hoist.push(Hoisted {
                    section,
                    name,
                    node,
                });
                Some(reference_to(&pointer))
            }
            None => {
                if self.inlining.contains(&key) {
                    self.diagnostics.warn(
                        at.pointer.join("$ref"),
                        format!("`$ref: {reference}` refers to itself through other files; left unresolved"),
                    );
                    return None;
                }
                self.origins
                    .push((at.pointer.to_string(), target_file, fragment_pointer));
                self.inlining.push(key);
                let mut position = at.clone();
                self.walk(&mut node, target_file, &mut position);
                self.inlining.pop();
                Some(node)
            }
        }
    }

    /// Reads the file `target` names, relative to file `from`; its index.
    fn read(&mut self, target: &str, from: usize, at: &Position) -> Option<usize> {
        let base = self.files[from].0.parent().unwrap_or(Path::new(""));
        let path = normal(&base.join(percent_decode(target)));
        if let Some(&index) = self.by_path.get(&path) {
            return Some(index);
        }
        // A FIFO or device would block or never end.
        let text = match std::fs::metadata(&path).and_then(|metadata| {
            if metadata.is_file() {
                std::fs::read_to_string(&path)
            } else {
                Err(std::io::Error::other("not a regular file"))
            }
        }) {
            Ok(text) => text,
            Err(error) => {
                self.diagnostics.warn(
                    at.pointer.join("$ref"),
                    format!(
                        "`$ref: {target}`: cannot read {}: {error}; left unresolved",
                        path.display()
                    ),
                );
                return None;
            }
        };
        let tree = match super::read_tree_as(&text, super::Reading::Whole) {
            Ok((tree, _)) => tree,
            Err(error) => {
                self.diagnostics.warn(
                    at.pointer.join("$ref"),
                    format!(
                        "`$ref: {target}`: {}: {}; left unresolved",
                        path.display(),
                        error.reason
                    ),
                );
                return None;
            }
        };
        let index = self.files.len();
        self.files.push((path.clone(), text, Some(tree)));
        self.by_path.insert(path, index);
        Some(index)
    }

    /// A copy of the node at `tokens` in file `file`.
    fn node(&self, file: usize, tokens: &[String]) -> Option<Value> {
        let mut node = self.files[file].2.as_ref()?;
        for token in tokens {
            node = match node {
                Value::Mapping(map) => map.get(token.as_str())?,
                Value::Sequence(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node.clone())
    }

    /// The name a hoisted schema takes when its fragment does not name a component: the
    /// words of the fragment that are not keywords (`Tag/allOf/0` → `Tag_0`,
    /// `Conflict/content/application~1json/schema` → `Conflict`), else the file's stem.
    fn stem(&self, file: usize, tokens: &[String]) -> String {
        const KEYWORDS: &[&str] = &[
            "components",
            "schemas",
            "responses",
            "requestBodies",
            "parameters",
            "headers",
            "paths",
            "content",
            "schema",
            "properties",
            "items",
            "allOf",
            "anyOf",
            "oneOf",
            "additionalProperties",
            "not",
            "get",
            "put",
            "post",
            "delete",
            "patch",
            "options",
            "head",
            "trace",
        ];
        let words: Vec<&str> = tokens
            .iter()
            .map(String::as_str)
            .filter(|token| !KEYWORDS.contains(token) && !token.contains('/'))
            .collect();
        if !words.is_empty() {
            return words.join("_");
        }
        tokens.last().cloned().unwrap_or_else(|| {
            self.files[file]
                .0
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Schema".to_owned())
        })
    }

    /// `name`, or `name2`, `name3`, ... when the section has it already.
    fn claim(&mut self, section: &str, name: &str) -> String {
        let taken = self.taken.entry(section.to_owned()).or_default();
        let free = std::iter::once(name.to_owned())
            .chain((2..).map(|n| format!("{name}{n}")))
            .find(|candidate| !taken.contains(candidate))
            .unwrap_or_default();
        taken.push(free.clone());
        free
    }

    /// Adds the hoisted components to the root, in the order they were found.
    fn place_hoisted(&mut self, tree: &mut Value) {
        if self.hoist.is_empty() {
            return;
        }
        let Value::Mapping(root) = tree else { return };
        let components = root
            .entry("components".into())
            .or_insert_with(|| Value::Mapping(Mapping::new()));
        let Value::Mapping(components) = components else {
            return;
        };
        for Hoisted {
            section,
            name,
            node,
        } in self.hoist.drain(..)
        {
            let entries = components
                .entry(section.into())
                .or_insert_with(|| Value::Mapping(Mapping::new()));
            if let Value::Mapping(entries) = entries {
                entries.insert(name.into(), node);
            }
        }
    }
}

fn reference_to(pointer: &str) -> Value {
    let mut map = Mapping::new();
    map.insert("$ref".into(), pointer.into());
    Value::Mapping(map)
}

/// `%20` → ` ` (references are URIs).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).and_then(|b| hex(*b)),
            bytes.get(i + 2).and_then(|b| hex(*b)),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, ..) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `a/./b/../c` → `a/c`, without touching the file system (a file need not exist to be named).
fn normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}
