//! Rust names for things named in the description: case conversion, keywords, collisions.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords of every edition; `r#` makes them usable, except the few that cannot be raw.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names that would shadow the prelude or the names generated code relies on.
const RESERVED_TYPES: &[&str] = &[
    "Self", "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Default",
    "From", "Into",
];

/// Whether a crate name cannot be a package's: its library name (`-` read as `_`) is a
/// keyword, raw or not (Cargo refuses `ref`, `self`, ...), or `test`, which names the
/// standard test crate.
pub fn is_reserved_crate_name(name: &str) -> bool {
    let library = name.replace('-', "_");
    KEYWORDS.contains(&library.as_str()) || NOT_RAW.contains(&library.as_str()) || library == "test"
}

/// `snake_case` for fields, parameters and methods; a raw identifier for keywords.
pub fn snake_ident(raw: &str) -> String {
    let mut name = raw.to_snake_case();
    if name.is_empty() {
        name.push_str("value");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'v');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name.insert_str(0, "r#");
    }
    name
}

/// The longest name a module (and so its file) or a feature is given.
pub const MAX_MODULE_NAME: usize = 48;

/// A module's name, which is also its file's: ASCII letters, digits and `_` (a `mod` with
/// another name needs `#[path]`), at most [`MAX_MODULE_NAME`] bytes (file names have a
/// limit, and a tag can be a paragraph).
pub fn module_ident(raw: &str) -> String {
    let name = ascii_words(unraw(&snake_ident(raw)), '_');
    snake_ident(if name.is_empty() { "group" } else { &name })
}

/// `raw`'s ASCII letters and digits, every run of anything else one `separator`, trimmed and
/// cut at [`MAX_MODULE_NAME`] bytes: a name for a file or a Cargo.toml key.
pub fn ascii_words(raw: &str, separator: char) -> String {
    let mut name = String::with_capacity(MAX_MODULE_NAME);
    for c in raw.chars() {
        let c = if c.is_ascii_alphanumeric() {
            c
        } else {
            separator
        };
        let repeated = c == separator && (name.is_empty() || name.ends_with(separator));
        if name.len() < MAX_MODULE_NAME && !repeated {
            name.push(c);
        }
    }
    name.trim_end_matches(separator).to_owned()
}

/// `PascalCase` for types and enum variants.
pub fn pascal(raw: &str) -> String {
    let mut name = raw.to_upper_camel_case();
    if name.is_empty() {
        name.push_str("Empty");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    name
}

/// `PascalCase` for a type that lives beside the generated crate's own names.
pub fn type_name(raw: &str) -> String {
    let mut name = pascal(raw);
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

/// The bare name of an identifier, without `r#`.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Names already given in one namespace; a clash gets the first free numeric suffix, so the
/// result depends only on the order names are asked for.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            taken: reserved.into_iter().map(str::to_owned).collect(),
        }
    }

    /// Takes `wanted`, or `wanted2`, `wanted3`, ... (`wanted_2` for snake names).
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(unraw(wanted).to_owned()) {
            return wanted.to_owned();
        }
        let base = unraw(wanted);
        let separator = if base.ends_with('_') {
            ""
        } else if base.contains('_') || base.chars().all(|c| !c.is_uppercase()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_else(|| base.to_owned())
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(unraw(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_cases_and_escapes_keywords() {
        assert_eq!(snake_ident("createdAt"), "created_at");
        assert_eq!(snake_ident("type"), "r#type");
        assert_eq!(snake_ident("self"), "self_");
        assert_eq!(snake_ident("2fa"), "v2fa");
        assert_eq!(
            pascal("organization.project.certificate"),
            "OrganizationProjectCertificate"
        );
        assert_eq!(pascal("asc"), "Asc");
        assert_eq!(pascal("404"), "V404");
        assert_eq!(pascal(""), "Empty");
        assert_eq!(type_name("option"), "OptionModel");
        // A schema called `From` would hide the trait the unions' conversions implement.
        assert_eq!(type_name("from"), "FromModel");
        assert_eq!(type_name("Default"), "DefaultModel");
        assert_eq!(type_name("error"), "Error");
        assert_eq!(
            type_name("list_certificates_response"),
            "ListCertificatesResponse"
        );
    }

    #[test]
    fn clashes_get_deterministic_suffixes() {
        let mut types = Namespace::default();
        assert_eq!(types.claim("FooBar"), "FooBar");
        assert_eq!(types.claim("FooBar"), "FooBar2");
        assert_eq!(types.claim("FooBar"), "FooBar3");
        let mut fields = Namespace::default();
        assert_eq!(fields.claim("foo_bar"), "foo_bar");
        assert_eq!(fields.claim("foo_bar"), "foo_bar_2");
        assert_eq!(fields.claim("r#type"), "r#type");
        assert_eq!(fields.claim("r#type"), "type_2");
    }
}
