//! Numbers JSON cannot hold: YAML reads `.inf`, `-.inf` and `.nan` as floats, which no
//! schema keyword or value may be (and which openapiv3 panics on). Each is left out of the
//! tree with a warning at its place, so that the rest of the description still reads.

use serde_yaml::Value;

use crate::diagnostics::Diagnostics;
use crate::pointer::Pointer;

/// Removes every non-finite number of `tree` (a mapping's entry, a sequence's item), with a
/// warning at each. One walk without recursion (nesting may be deep) that keeps the path as a
/// list of keys, spelled out as a pointer only where there is something to report: linear in
/// the tree's size.
pub fn drop_non_finite(tree: &mut Value, diagnostics: &mut Diagnostics) {
    enum Step<'t> {
        /// Visit a node, under this key of its parent (none for the root).
        Enter(&'t mut Value, Option<String>),
        /// Leave the node whose key is last on the path.
        Leave,
    }
    let pointer = |path: &[String], last: &dyn std::fmt::Display| {
        path.iter()
            .fold(Pointer::root(), |pointer, key| pointer.join(key))
            .join(last)
    };
    let mut path: Vec<String> = Vec::new();
    let mut steps = vec![Step::Enter(tree, None)];
    while let Some(step) = steps.pop() {
        let (node, key) = match step {
            Step::Leave => {
                path.pop();
                continue;
            }
            Step::Enter(node, key) => (node, key),
        };
        if let Some(key) = key {
            path.push(key);
            steps.push(Step::Leave);
        }
        // Children are pushed last to first, so that warnings come in the document's order.
        match node {
            Value::Mapping(map) => {
                map.retain(|key, value| {
                    let keep = !is_non_finite(value);
                    if !keep {
                        diagnostics.warn(pointer(&path, &key_text(key)), reason(value));
                    }
                    keep
                });
                let children: Vec<Step> = map
                    .iter_mut()
                    .map(|(key, value)| Step::Enter(value, Some(key_text(key))))
                    .collect();
                steps.extend(children.into_iter().rev());
            }
            Value::Sequence(items) => {
                // Later items keep their indices in the document.
                let mut kept = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    if is_non_finite(item) {
                        diagnostics.warn(pointer(&path, &index), reason(item));
                    } else {
                        kept.push(index);
                    }
                }
                items.retain(|item| !is_non_finite(item));
                let children: Vec<Step> = items
                    .iter_mut()
                    .zip(kept)
                    .map(|(item, index)| Step::Enter(item, Some(index.to_string())))
                    .collect();
                steps.extend(children.into_iter().rev());
            }
            Value::Tagged(tagged) => steps.push(Step::Enter(&mut tagged.value, None)),
            _ => {}
        }
    }
}

fn reason(value: &Value) -> String {
    let text = match value.as_f64() {
        Some(number) if number.is_nan() => ".nan",
        Some(number) if number < 0.0 => "-.inf",
        _ => ".inf",
    };
    format!("`{text}` is not a number JSON can hold; left out")
}

fn is_non_finite(value: &Value) -> bool {
    matches!(value, Value::Number(number) if number.as_f64().is_some_and(|n| !n.is_finite()))
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        _ => "?".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_numbers_are_left_out_with_a_warning_at_each() {
        let mut tree: Value = serde_yaml::from_str(
            "components:\n  schemas:\n    S: {type: string, maxLength: .inf, enum: [1, -.inf, 2]}\n    E: {default: [.nan, {a: .inf}]}\n    N: {type: number, minimum: .nan, maximum: 3}\n",
        )
        .expect("YAML");
        let mut diagnostics = Diagnostics::default();
        drop_non_finite(&mut tree, &mut diagnostics);
        let expected: Value = serde_yaml::from_str(
            "components:\n  schemas:\n    S: {type: string, enum: [1, 2]}\n    E: {default: [{}]}\n    N: {type: number, maximum: 3}\n",
        )
        .expect("YAML");
        assert_eq!(tree, expected);
        let warnings: Vec<String> = diagnostics
            .into_vec()
            .iter()
            .map(|d| format!("{}: {}", d.pointer, d.reason))
            .collect();
        assert_eq!(
            warnings,
            [
                "#/components/schemas/S/maxLength: `.inf` is not a number JSON can hold; left out",
                "#/components/schemas/S/enum/1: `-.inf` is not a number JSON can hold; left out",
                "#/components/schemas/E/default/0: `.nan` is not a number JSON can hold; left out",
                "#/components/schemas/E/default/1/a: `.inf` is not a number JSON can hold; left out",
                "#/components/schemas/N/minimum: `.nan` is not a number JSON can hold; left out",
            ]
        );
    }
}
