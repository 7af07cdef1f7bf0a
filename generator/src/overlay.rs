//! Stage 0, overlay: OpenAPI Overlay 1.0 documents applied to the description's tree before it
//! is loaded, so that an SDK's hints (`x-sdk-*`) can live outside a description its
//! maintainers do not edit.
//!
//! Each action's `target` is an RFC 9535 JSONPath query. `update` is merged into every node it
//! selects: members of an object are merged recursively (a scalar or an array replaces what was
//! there); a selected array gets the value appended (an array's items, one by one). `remove:
//! true` deletes every selected node from its parent. Actions run in order, each seeing the
//! result of the ones before; overlays run in the order given.
//!
//! Stricter than the standard, because a silent no-op is how overlays rot when a description
//! changes: a target that selects nothing is an error, as is an `update` aimed at a scalar,
//! an action with both `update` and `remove`, or `remove` of the whole document. Every error
//! names the overlay file, the action (its index and description) and the target.

use std::path::{Path, PathBuf};

use serde_json_path::{JsonPath, PathElement};
use serde_yaml::{Mapping, Value};

use crate::diagnostics::Diagnostic;
use crate::error::Error;
use crate::pointer::Pointer;

/// An overlay document, read and checked, ready to apply.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// Where it was read from, to name it in errors.
    pub file: PathBuf,
    /// Its text, to locate errors by line and column.
    text: String,
    actions: Vec<Action>,
}

#[derive(Debug, Clone)]
struct Action {
    index: usize,
    description: Option<String>,
    target: String,
    path: JsonPath,
    change: Change,
}

#[derive(Debug, Clone)]
enum Change {
    Update(Value),
    Remove,
}

impl Overlay {
    /// Reads and checks the overlay at `path`.
    pub fn read(path: &Path) -> Result<Self, Error> {
        Self::read_as(path, path)
    }

    /// Reads the overlay at `path`, named `label` in errors.
    fn read_as(path: &Path, label: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|error| Error::io(path, error))?;
        Self::parse(text, label)
    }

    /// The overlays of a directory (`*.overlay.yaml`), in name order; `label` is how errors
    /// name the directory (`spec`, say, rather than an absolute path).
    pub fn in_dir(dir: &Path, label: &Path) -> Result<Vec<Self>, Error> {
        let entries = std::fs::read_dir(dir).map_err(|error| Error::io(dir, error))?;
        let mut names: Vec<String> = entries
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".overlay.yaml"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|name| Self::read_as(&dir.join(name), &label.join(name)))
            .collect()
    }

    /// Checks the text of an overlay; `file` only names it in errors.
    pub fn parse(text: String, file: &Path) -> Result<Self, Error> {
        let reject = |diagnostics: Vec<Diagnostic>| Error::rejected(file, &text, diagnostics);
        let tree =
            crate::load::read_tree(&text).map_err(|error| reject(vec![Diagnostic::from(error)]))?;
        let actions = read_actions(&tree).map_err(reject)?;
        Ok(Self {
            file: file.to_path_buf(),
            text,
            actions,
        })
    }

    /// Applies every action to `tree`, in order.
    pub fn apply(&self, tree: &mut Value) -> Result<(), Error> {
        for action in &self.actions {
            action.apply(tree).map_err(|reason| {
                let mut label = format!("action {}", action.index);
                if let Some(description) = &action.description {
                    label.push_str(&format!(" ({description})"));
                }
                let pointer = Pointer::root()
                    .join("actions")
                    .join(action.index)
                    .join("target");
                let reason = format!("{label}, target `{}`: {reason}", action.target);
                Error::rejected(
                    &self.file,
                    &self.text,
                    vec![Diagnostic::error(pointer.to_string(), reason)],
                )
            })?;
        }
        Ok(())
    }
}

/// The actions of an overlay document, every problem reported at once.
fn read_actions(tree: &Value) -> Result<Vec<Action>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut problem = |pointer: Pointer, reason: String| {
        problems.push(Diagnostic::error(pointer.to_string(), reason));
    };
    match tree.get("overlay") {
        Some(Value::String(version)) if version.starts_with("1.") => {}
        Some(Value::String(version)) => problem(
            Pointer::root().join("overlay"),
            format!("Overlay {version} is not supported; supported versions are 1.x"),
        ),
        _ => problem(
            Pointer::root(),
            "not an overlay: the `overlay` version field (\"1.0.0\") is missing".to_owned(),
        ),
    }
    let mut actions = Vec::new();
    match tree.get("actions") {
        Some(Value::Sequence(items)) if !items.is_empty() => {
            for (index, item) in items.iter().enumerate() {
                let at = Pointer::root().join("actions").join(index);
                match read_action(index, item) {
                    Ok(action) => actions.push(action),
                    Err(("", reason)) => problem(at, reason),
                    Err((member, reason)) => problem(at.join(member), reason),
                }
            }
        }
        _ => problem(
            Pointer::root().join("actions"),
            "expected a non-empty list of actions".to_owned(),
        ),
    }
    if problems.is_empty() {
        Ok(actions)
    } else {
        Err(problems)
    }
}

/// One action, or the member that is wrong and why.
fn read_action(index: usize, item: &Value) -> Result<Action, (&'static str, String)> {
    let Value::Mapping(action) = item else {
        return Err(("", "expected an action object".to_owned()));
    };
    let target = match action.get("target") {
        Some(Value::String(target)) => target.clone(),
        _ => return Err(("target", "expected a JSONPath query string".to_owned())),
    };
    let path = JsonPath::parse(&target).map_err(|error| {
        (
            "target",
            format!("`{target}` is not a JSONPath query: {error}"),
        )
    })?;
    let description = match action.get("description") {
        Some(Value::String(text)) => Some(text.trim().to_owned()),
        _ => None,
    };
    let remove = match action.get("remove") {
        None => false,
        Some(Value::Bool(remove)) => *remove,
        Some(_) => return Err(("remove", "expected true or false".to_owned())),
    };
    let change = match (action.get("update"), remove) {
        (Some(_), true) => {
            return Err((
                "remove",
                "an action either updates or removes its target, not both".to_owned(),
            ))
        }
        (Some(update), false) => Change::Update(update.clone()),
        (None, true) => Change::Remove,
        (None, false) => {
            return Err(("", "expected `update` or `remove: true`".to_owned()));
        }
    };
    Ok(Action {
        index,
        description,
        target,
        path,
        change,
    })
}

/// A step from a node to one of its children.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Member(String),
    Item(usize),
}

impl Action {
    fn apply(&self, tree: &mut Value) -> Result<(), String> {
        let targets = self.locate(tree)?;
        if targets.is_empty() {
            return Err("selects nothing in the description".to_owned());
        }
        match &self.change {
            Change::Update(update) => {
                for steps in &targets {
                    let node = walk(tree, steps).ok_or("a selected node vanished")?;
                    merge(node, update, &steps_text(steps))?;
                }
            }
            Change::Remove => {
                // Later siblings first, so that earlier indices stay valid.
                for steps in targets.iter().rev() {
                    let Some((last, parent)) = steps.split_last() else {
                        return Err("cannot remove the whole description".to_owned());
                    };
                    match (walk(tree, parent), last) {
                        (Some(Value::Mapping(map)), Step::Member(name)) => {
                            if let Some(key) = find_key(map, name) {
                                map.shift_remove(&key);
                            }
                        }
                        (Some(Value::Sequence(items)), Step::Item(index))
                            if *index < items.len() =>
                        {
                            items.remove(*index);
                        }
                        _ => return Err("a selected node vanished".to_owned()),
                    }
                }
            }
        }
        Ok(())
    }

    /// The paths of the nodes the target selects, in document order.
    fn locate(&self, tree: &Value) -> Result<Vec<Vec<Step>>, String> {
        // The query runs on a JSON copy: the YAML tree keeps the description's member order,
        // which the generated code follows.
        let json = serde_json::to_value(tree)
            .map_err(|error| format!("the description is not JSON-compatible: {error}"))?;
        Ok(self
            .path
            .query_located(&json)
            .locations()
            .map(|location| {
                location
                    .iter()
                    .map(|element| match element {
                        PathElement::Name(name) => Step::Member(name.to_string()),
                        PathElement::Index(index) => Step::Item(*index),
                    })
                    .collect()
            })
            .collect())
    }
}

fn steps_text(steps: &[Step]) -> String {
    let mut pointer = Pointer::root();
    for step in steps {
        pointer = match step {
            Step::Member(name) => pointer.join(name),
            Step::Item(index) => pointer.join(index),
        };
    }
    pointer.to_string()
}

fn walk<'a>(mut node: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    for step in steps {
        node = match (node, step) {
            (Value::Mapping(map), Step::Member(name)) => {
                let key = find_key(map, name)?;
                map.get_mut(&key)?
            }
            (Value::Sequence(items), Step::Item(index)) => items.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The key of `map` that JSON spells `name` (YAML keys may be numbers: `200:`).
fn find_key(map: &Mapping, name: &str) -> Option<Value> {
    map.keys()
        .find(|key| key_text(key).as_deref() == Some(name))
        .cloned()
}

/// A key as JSON spells it.
fn key_text(key: &Value) -> Option<String> {
    match key {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// Merges `update` into `node` (at `at`, for errors).
fn merge(node: &mut Value, update: &Value, at: &str) -> Result<(), String> {
    match (node, update) {
        (Value::Mapping(members), Value::Mapping(changes)) => {
            merge_members(members, changes);
            Ok(())
        }
        (Value::Sequence(items), Value::Sequence(more)) => {
            items.extend(more.iter().cloned());
            Ok(())
        }
        (Value::Sequence(items), one) => {
            items.push(one.clone());
            Ok(())
        }
        (Value::Mapping(_), _) => Err(format!(
            "the update for the object at {at} is not an object"
        )),
        (_, _) => Err(format!(
            "selects {at}, which is neither an object nor an array and cannot be updated"
        )),
    }
}

fn merge_members(members: &mut Mapping, changes: &Mapping) {
    for (key, change) in changes {
        let existing = key_text(key).and_then(|name| find_key(members, &name));
        match (existing.and_then(|key| members.get_mut(&key)), change) {
            (Some(Value::Mapping(inner)), Value::Mapping(inner_changes)) => {
                merge_members(inner, inner_changes)
            }
            (Some(slot), _) => *slot = change.clone(),
            (None, _) => {
                members.insert(key.clone(), change.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESCRIPTION: &str = "\
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      tags: [a, b]
      responses:
        200: {description: ok}
    post:
      operationId: createThing
      responses:
        201: {description: ok}
";

    fn overlay(text: &str) -> Result<Overlay, Error> {
        Overlay::parse(text.to_owned(), Path::new("sdk.overlay.yaml"))
    }

    fn applied(overlay_text: &str) -> Result<String, String> {
        let mut tree = crate::load::read_tree(DESCRIPTION).map_err(|error| error.to_string())?;
        overlay(overlay_text)
            .and_then(|overlay| overlay.apply(&mut tree))
            .map_err(|error| error.to_string())?;
        serde_yaml::to_string(&tree).map_err(|error| error.to_string())
    }

    #[test]
    fn an_update_merges_members_into_every_node_the_target_selects() {
        let out = applied(
            "overlay: 1.0.0
info: {title: hints, version: '1'}
actions:
  - target: $.paths['/things'][*]
    update: {x-sdk-resource: things, responses: {200: {description: fine}}}
  - target: $.paths['/things'].get.tags
    update: c
",
        )
        .unwrap();
        assert_eq!(
            out,
            "openapi: 3.0.3
info:
  title: T
  version: '1'
paths:
  /things:
    get:
      operationId: listThings
      tags:
      - a
      - b
      - c
      responses:
        '200':
          description: fine
      x-sdk-resource: things
    post:
      operationId: createThing
      responses:
        '201':
          description: ok
        '200':
          description: fine
      x-sdk-resource: things
"
        );
    }

    #[test]
    fn remove_deletes_every_selected_node_from_its_parent() {
        let out = applied(
            "overlay: 1.0.0
info: {title: trim, version: '1'}
actions:
  - target: $.paths.*.get.tags[?@ == 'a' || @ == 'b']
    remove: true
  - target: $.paths.*.post
    remove: true
",
        )
        .unwrap();
        assert_eq!(
            out,
            "openapi: 3.0.3
info:
  title: T
  version: '1'
paths:
  /things:
    get:
      operationId: listThings
      tags: []
      responses:
        '200':
          description: ok
"
        );
    }

    #[test]
    fn a_target_that_selects_nothing_is_an_error_naming_the_action() {
        let error = applied(
            "overlay: 1.0.0
info: {title: hints, version: '1'}
actions:
  - target: $.info
    update: {x-sdk-crate-name: things}
  - target: $.paths['/gone'].get
    description: Name the listing
    update: {x-sdk-method: list}
",
        )
        .unwrap_err();
        assert_eq!(
            error,
            "sdk.overlay.yaml:6:5: error: #/actions/1/target: action 1 (Name the listing), \
target `$.paths['/gone'].get`: selects nothing in the description\n\
sdk.overlay.yaml: rejected with 1 error and 0 warnings"
        );
    }

    #[test]
    fn malformed_overlays_are_rejected_with_every_problem_located() {
        let error = overlay(
            "overlay: 2.0.0
actions:
  - target: $.paths[
    update: {}
  - target: $.info
  - target: $.info
    update: {a: 1}
    remove: true
",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            error,
            "\
sdk.overlay.yaml:1:1: error: #/overlay: Overlay 2.0.0 is not supported; supported versions are 1.x
sdk.overlay.yaml:3:5: error: #/actions/0/target: `$.paths[` is not a JSONPath query: at position 7, parser error
sdk.overlay.yaml:5:5: error: #/actions/1: expected `update` or `remove: true`
sdk.overlay.yaml:8:5: error: #/actions/2/remove: an action either updates or removes its target, not both
sdk.overlay.yaml: rejected with 4 errors and 0 warnings"
        );
    }

    #[test]
    fn updating_a_scalar_or_removing_the_document_is_an_error() {
        let scalar = applied(
            "overlay: 1.0.0
info: {title: t, version: '1'}
actions:
  - target: $.openapi
    update: {a: 1}
",
        )
        .unwrap_err();
        assert!(
            scalar.contains("selects #/openapi, which is neither an object nor an array"),
            "{scalar}"
        );
        let root = applied(
            "overlay: 1.0.0
info: {title: t, version: '1'}
actions:
  - target: $
    remove: true
",
        )
        .unwrap_err();
        assert!(
            root.contains("cannot remove the whole description"),
            "{root}"
        );
    }
}
