//! Relative links in prose (`[audio inputs](/docs/guides/audio)`), resolved against the root
//! hint `x-sdk-docs-base-url` (`https://platform.openai.com`) so that the generated docs link
//! to the page; without the hint they stay text, as a relative link leads nowhere from docs.rs.

use serde_yaml::{Mapping, Value};

use crate::diagnostics::Diagnostics;
use crate::pointer::Pointer;

/// The root hint that names where the description's relative links lead.
pub const DOCS_BASE_URL: &str = "x-sdk-docs-base-url";

/// Keys whose values are data or extensions, not prose of the description: left as written
/// (except where they name a schema's properties).
const NOT_PROSE: &[&str] = &["example", "examples", "default", "enum", "const"];

/// Rewrites the root-relative links of every `description` and `summary` to absolute ones.
pub fn resolve(tree: &mut Value, diagnostics: &mut Diagnostics) {
    let Value::Mapping(root) = tree else {
        return;
    };
    let Some(base) = root.get(DOCS_BASE_URL) else {
        return;
    };
    let base = match base.as_str() {
        Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
            url.trim_end_matches('/').to_owned()
        }
        _ => {
            diagnostics.warn(
                Pointer::root().join(DOCS_BASE_URL),
                "expected an absolute `http(s)://` URL; relative links stay text",
            );
            return;
        }
    };
    rewrite(root, &base, false);
}

/// Rewrites the prose under `mapping`; `names` when its keys are a schema's property names
/// (a property may be called `example` or `x-id`), which are not keywords to skip.
fn rewrite(mapping: &mut Mapping, base: &str, names: bool) {
    for (key, value) in mapping.iter_mut() {
        let key = key.as_str();
        let skipped = key.is_some_and(|key| key.starts_with("x-") || NOT_PROSE.contains(&key));
        if skipped && !names {
            continue;
        }
        match value {
            Value::String(text) if !names && matches!(key, Some("description" | "summary")) => {
                if let Some(resolved) = resolved_links(text, base) {
                    *text = resolved;
                }
            }
            Value::Mapping(inner) => rewrite(inner, base, !names && key == Some("properties")),
            Value::Sequence(items) => {
                for item in items {
                    if let Value::Mapping(inner) = item {
                        rewrite(inner, base, false);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `text` with each Markdown link target that starts with one `/` prefixed by `base`; `None`
/// when it has none.
pub fn resolved_links(text: &str, base: &str) -> Option<String> {
    if !text.contains("](/") {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(at) = rest.find("](/") {
        let (before, from) = rest.split_at(at + 2);
        out.push_str(before);
        if !from.starts_with("//") {
            out.push_str(base);
        }
        rest = from;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_relative_links_take_the_base_and_others_stay() {
        let base = "https://docs.example.com";
        assert_eq!(
            resolved_links(
                "See [audio](/docs/guides/audio) and [x](//cdn.test/a).",
                base
            )
            .as_deref(),
            Some("See [audio](https://docs.example.com/docs/guides/audio) and [x](//cdn.test/a).")
        );
        assert_eq!(resolved_links("[web](https://a.test/b)", base), None);
    }

    #[test]
    fn descriptions_are_resolved_and_data_is_not() {
        let mut tree: Value = serde_yaml::from_str(
            "x-sdk-docs-base-url: https://d.test/\n\
             info: {description: 'Read [this](/a).'}\n\
             paths: {/x: {get: {summary: '[s](/s)', x-code: {description: '[k](/k)'}}}}\n\
             components: {schemas: {A: {description: '[d](/d)', example: {description: '[e](/e)'},\n\
               properties: {example: {type: string, description: '[p](/p)'}}}}}\n",
        )
        .expect("YAML");
        let mut diagnostics = Diagnostics::default();
        resolve(&mut tree, &mut diagnostics);
        let text = serde_yaml::to_string(&tree).expect("YAML");
        for resolved in [
            "(https://d.test/a)",
            "(https://d.test/s)",
            "(https://d.test/d)",
            // A property called `example` is a schema whose description is prose.
            "(https://d.test/p)",
        ] {
            assert!(text.contains(resolved), "{resolved} in {text}");
        }
        assert!(
            text.contains("[k](/k)") && text.contains("[e](/e)"),
            "{text}"
        );
        assert!(diagnostics.into_vec().is_empty());
    }

    #[test]
    fn a_base_that_is_not_a_url_is_a_warning() {
        let mut tree: Value =
            serde_yaml::from_str("x-sdk-docs-base-url: docs\ninfo: {description: '[a](/a)'}\n")
                .expect("YAML");
        let mut diagnostics = Diagnostics::default();
        resolve(&mut tree, &mut diagnostics);
        let warnings = diagnostics.into_vec();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].pointer, "#/x-sdk-docs-base-url");
        assert!(serde_yaml::to_string(&tree)
            .expect("YAML")
            .contains("[a](/a)"));
    }
}
