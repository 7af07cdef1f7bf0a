//! The `use` items of a generated module, derived from what its items use.
//!
//! Emitters write names unqualified (`ResponseFuture<types::Batch>`, `path_param(...)`) and do
//! not say what they import: each module names its [`Vocabulary`], the names it may use and the
//! path each comes from, and `render` reads every item's tokens for those names. A name is
//! used where it starts a path: a type or trait (`Page<Self>`, `Error::Api`), a module followed
//! by `::`, a function followed by `(`, a macro followed by `!`; never after `::` or `.`, and
//! never where the module defines the name itself. An import is gated by the features of the
//! items that use it, so a build with some features off imports nothing it does not use.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use proc_macro2::{Delimiter, Ident, Spacing, TokenStream};
use quote::quote;
use syn::buffer::{Cursor, TokenBuffer};
use syn::parse::{ParseStream, Parser};

use super::rust::{cfg_tokens, ident};
use crate::runtime;

/// The keywords after which a name is defined, not used.
const DEFINING: &[&str] = &[
    "fn",
    "struct",
    "enum",
    "union",
    "trait",
    "type",
    "mod",
    "const",
    "static",
    "let",
    "macro_rules",
];

/// The names a kind of module may use unqualified, each with the path it comes from.
#[derive(Debug, Default)]
pub struct Vocabulary(HashMap<&'static str, &'static str>);

impl Vocabulary {
    /// Nothing: the module imports nothing (or writes its few `use` items itself).
    pub fn none() -> &'static Vocabulary {
        static NONE: OnceLock<Vocabulary> = OnceLock::new();
        NONE.get_or_init(Vocabulary::default)
    }

    /// The library's own modules (`client`, `resources`, `operations`): the runtime's items,
    /// the crate's modules, the client's credential names.
    pub fn library() -> &'static Vocabulary {
        static LIBRARY: OnceLock<Vocabulary> = OnceLock::new();
        LIBRARY.get_or_init(|| {
            Vocabulary::default()
                .with(runtime::root_names(), "crate::runtime")
                .with(["runtime", "types", "operations", "resources"], "crate")
                .with(["credentials"], "crate::client")
                .with(["fmt"], "std")
        })
    }

    /// `types`: the runtime's macros, which the crate root re-exports; the types of other
    /// groups come in through the file's `use super::*`.
    pub fn types() -> &'static Vocabulary {
        static TYPES: OnceLock<Vocabulary> = OnceLock::new();
        TYPES.get_or_init(|| Vocabulary::default().with(runtime::exported_macros(), "crate"))
    }

    /// `serde_impls`: the runtime's macros and the `types` they implement serde for.
    pub fn serde_impls() -> &'static Vocabulary {
        static SERDE: OnceLock<Vocabulary> = OnceLock::new();
        SERDE.get_or_init(|| {
            Vocabulary::default()
                .with(runtime::exported_macros(), "crate")
                .with(["types"], "crate")
        })
    }

    /// The command-line tool's files: the runtime's `cli` module, and the crate (`sdk`).
    pub fn tool() -> &'static Vocabulary {
        static TOOL: OnceLock<Vocabulary> = OnceLock::new();
        TOOL.get_or_init(|| {
            Vocabulary::default()
                .with(runtime::cli_names(), "sdk::runtime::cli")
                .with(["types", "Client"], "sdk")
        })
    }

    /// This vocabulary and `names`, each from `parent`.
    fn with<N: AsRef<str> + ?Sized + 'static>(
        mut self,
        names: impl IntoIterator<Item = &'static N>,
        parent: &'static str,
    ) -> Self {
        for name in names {
            self.0.insert(name.as_ref(), parent);
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The names of this vocabulary that `tokens` uses, with their paths; `gate` is the
    /// features of the item they belong to.
    pub fn used_in(&self, tokens: TokenStream, gate: &[String]) -> Imports {
        let mut imports = Imports::default();
        if !self.is_empty() {
            self.scan(TokenBuffer::new2(tokens).begin(), &mut imports);
        }
        imports.gated(gate)
    }

    /// Parses `tokens` as a file and records the vocabulary's names they use into `used`,
    /// reading them off the parser's own buffer (no copy of the tokens).
    pub fn parse_file(&self, tokens: TokenStream, used: &mut Imports) -> syn::Result<syn::File> {
        let parser = |input: ParseStream<'_>| {
            if !self.is_empty() {
                self.scan(input.cursor(), used);
            }
            input.parse::<syn::File>()
        };
        parser.parse2(tokens)
    }

    fn scan(&self, mut cursor: Cursor<'_>, imports: &mut Imports) {
        let mut names = Names::default();
        while !cursor.eof() {
            if let Some((inside, _, _, after)) = cursor.any_group() {
                self.scan(inside, imports);
                (names, cursor) = (Names::default(), after);
            } else if let Some((punct, after)) = cursor.punct() {
                names.punct(punct.as_char(), punct.spacing() == Spacing::Joint);
                cursor = after;
            } else if let Some((name, after)) = cursor.ident() {
                let follows = if let Some((punct, _)) = after.punct() {
                    Follows::Punct(punct.as_char(), punct.spacing() == Spacing::Joint)
                } else if let Some((_, Delimiter::Parenthesis, _, _)) = after.any_group() {
                    Follows::Parenthesis
                } else {
                    Follows::Other
                };
                names.ident(self, &name.to_string(), follows, imports);
                cursor = after;
            } else if let Some((_, after)) = cursor.token_tree() {
                (names, cursor) = (Names::default(), after);
            } else {
                break;
            }
        }
    }

    /// Records `name` when it is one of the vocabulary's names and used as such, by what
    /// `follows` it.
    fn record(&self, name: &str, follows: Follows, imports: &mut Imports) {
        let used = match follows {
            // `name!(...)` (not `name != ...`).
            Follows::Punct('!', joint) => !joint,
            // `name::...` (not a binding or field `name: ...`).
            Follows::Punct(':', joint) => joint,
            // `name(...)`.
            Follows::Parenthesis => true,
            // A type or trait is used wherever it stands; a lower-case name only as above.
            Follows::Punct(..) | Follows::Other => {
                name.starts_with(|c: char| c.is_ascii_uppercase())
            }
        };
        // Most names are fields, bindings and methods, which are not looked up.
        if !used {
            return;
        }
        if let Some((&name, &parent)) = self.0.get_key_value(name) {
            imports.add(parent, name);
        }
    }
}

/// What comes right after a name, as far as its use goes.
#[derive(Debug, Clone, Copy)]
pub(super) enum Follows {
    /// A punctuation character, and whether another follows it at once (`::`, `!=`).
    Punct(char, bool),
    /// A parenthesized group: a call.
    Parenthesis,
    Other,
}

/// Where a name stands between the tokens around it: the scan's state, which token scans and
/// laid-out text ([`super::laid_out`]) both step through, so that both read names alike.
#[derive(Debug, Default)]
pub(super) struct Names {
    /// Whether the name to come is qualified (it follows `::` or `.`) or being defined (it
    /// follows `fn`, `struct`, `let mut`, ...).
    skip: bool,
    /// Whether the previous token is the first `:` of a `::`.
    first_colon: bool,
}

impl Names {
    pub(super) fn punct(&mut self, c: char, joint: bool) {
        if c == ':' {
            self.skip = self.first_colon;
            self.first_colon = !self.first_colon && joint;
        } else {
            (self.skip, self.first_colon) = (c == '.', false);
        }
    }

    pub(super) fn ident(
        &mut self,
        vocabulary: &Vocabulary,
        name: &str,
        follows: Follows,
        imports: &mut Imports,
    ) {
        if !self.skip {
            vocabulary.record(name, follows, imports);
        }
        // `let mut x` defines `x`; `&mut T` uses `T`.
        let defines = match name {
            "mut" => self.skip,
            keyword => DEFINING.contains(&keyword),
        };
        (self.skip, self.first_colon) = (defines, false);
    }
}

/// The `use` items a module needs, grouped by parent path. Each import remembers the features
/// of the items that use it (`None`: always needed).
#[derive(Debug, Default, PartialEq)]
pub struct Imports(BTreeMap<(&'static str, &'static str), Option<BTreeSet<String>>>);

impl Imports {
    /// Adds `parent::name`, e.g. `("crate::runtime", "Client")`.
    fn add(&mut self, parent: &'static str, name: &'static str) {
        self.0.insert((parent, name), None);
    }

    /// Adds what `other` holds (the imports of another part of the same module); an import
    /// both need is needed whenever either is.
    pub fn merge(&mut self, other: Imports) {
        for (key, gate) in other.0 {
            match self.0.get_mut(&key) {
                None => {
                    self.0.insert(key, gate);
                }
                Some(existing) => match (existing.as_mut(), gate) {
                    (Some(features), Some(more)) => features.extend(more),
                    _ => *existing = None,
                },
            }
        }
    }

    /// These imports, needed only by items of `gate` (no change when `gate` is empty).
    pub fn gated(mut self, gate: &[String]) -> Imports {
        if !gate.is_empty() {
            for needed in self.0.values_mut() {
                *needed = Some(gate.iter().cloned().collect());
            }
        }
        self
    }

    /// Leaves out the names the module defines itself.
    pub fn without(mut self, defined: &BTreeSet<String>) -> Imports {
        self.0.retain(|(_, name), _| !defined.contains(*name));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each import as a path (`crate::runtime::Client`), sorted.
    #[cfg(test)]
    pub fn names(&self) -> Vec<String> {
        self.0
            .keys()
            .map(|(parent, name)| format!("{parent}::{name}"))
            .collect()
    }

    /// The `use` items: the standard library first, as rustfmt's convention has it, then by
    /// path; per path, the names always needed, then one `use` per set of features.
    pub fn tokens(&self) -> TokenStream {
        let mut items = Vec::new();
        let parents: BTreeSet<&str> = self.0.keys().map(|(parent, _)| *parent).collect();
        let (std, others): (Vec<&str>, Vec<&str>) = parents
            .into_iter()
            .partition(|parent| *parent == "std" || parent.starts_with("std::"));
        for parent in std.into_iter().chain(others) {
            let path: TokenStream = parent.parse().unwrap_or_default();
            let mut by_gate: BTreeMap<Vec<String>, Vec<Ident>> = BTreeMap::new();
            for ((_, name), gate) in self.0.iter().filter(|((p, _), _)| *p == parent) {
                let gate = gate.iter().flatten().cloned().collect();
                by_gate.entry(gate).or_default().push(ident(name));
            }
            for (gate, names) in by_gate {
                let cfg = cfg_tokens(&gate);
                items.push(match names.as_slice() {
                    [single] => quote!(#cfg use #path::#single;),
                    _ => quote!(#cfg use #path::{#(#names),*};),
                });
            }
        }
        quote!(#(#items)*)
    }
}

/// The names a file's items define at its top level (types, functions, constants, modules,
/// macros' invocations aside), which it does not import.
pub fn defined_names(items: &[syn::Item]) -> BTreeSet<String> {
    items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(item) => Some(item.ident.to_string()),
            syn::Item::Enum(item) => Some(item.ident.to_string()),
            syn::Item::Fn(item) => Some(item.sig.ident.to_string()),
            syn::Item::Type(item) => Some(item.ident.to_string()),
            syn::Item::Const(item) => Some(item.ident.to_string()),
            syn::Item::Static(item) => Some(item.ident.to_string()),
            syn::Item::Mod(item) => Some(item.ident.to_string()),
            syn::Item::Trait(item) => Some(item.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// The features an item's `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", ...))]`
/// names, sorted; empty for an item without one.
pub fn gate_of(attributes: &[syn::Attribute]) -> Vec<String> {
    let mut gate = Vec::new();
    for attribute in attributes.iter().filter(|a| a.path().is_ident("cfg")) {
        let _ = attribute.parse_nested_meta(|meta| {
            if meta.path.is_ident("feature") {
                let value: syn::LitStr = meta.value()?.parse()?;
                gate.push(value.value());
            } else if meta.path.is_ident("any") {
                meta.parse_nested_meta(|feature| {
                    let value: syn::LitStr = feature.value()?.parse()?;
                    gate.push(value.value());
                    Ok(())
                })?;
            }
            Ok(())
        });
    }
    gate.sort();
    gate.dedup();
    gate
}

#[cfg(test)]
mod tests {
    use super::*;

    fn used(vocabulary: &Vocabulary, tokens: TokenStream) -> Vec<String> {
        vocabulary.used_in(tokens, &[]).names()
    }

    #[test]
    fn names_count_where_they_start_a_path() {
        let vocabulary = Vocabulary::library();
        let tokens = quote! {
            pub struct ListThings { client: Client, types: Option<String>, page: Page }
            impl ListThings {
                fn send(self) -> ResponseFuture<Page<Self>> { Page::first(self) }
                pub fn types(&self) -> Option<&String> { None }
                fn build(&self) -> Result<ApiRequest, Error> {
                    let mut resources = Vec::new();
                    let types: Option<&mut Method> = None;
                    let types = self.types.clone();
                    let x = path_param("id", &self.id)?;
                    request.security(&[&[credentials::API_KEY]]);
                    Self { types, runtime: crate::runtime::Method::GET }
                }
            }
        };
        assert_eq!(
            used(vocabulary, tokens),
            [
                "crate::client::credentials",
                "crate::runtime::ApiRequest",
                "crate::runtime::Client",
                "crate::runtime::Error",
                "crate::runtime::Method",
                "crate::runtime::Page",
                "crate::runtime::ResponseFuture",
                "crate::runtime::path_param",
            ]
        );
    }

    #[test]
    fn modules_and_macros_need_their_punctuation() {
        let vocabulary = Vocabulary::serde_impls();
        let tokens = quote! {
            json_object!(types::Batch { id: "id" required, types: "types" optional, ..extra });
        };
        assert_eq!(
            used(vocabulary, tokens),
            ["crate::json_object", "crate::types"]
        );
    }

    #[test]
    fn gates_are_read_from_cfg_attributes() {
        let file: syn::File = syn::parse2(quote! {
            #[cfg(any(feature = "b", feature = "a"))]
            pub struct Two;
            #[cfg(feature = "c")]
            pub struct One;
            pub struct Always;
        })
        .expect("parses");
        let gates: Vec<Vec<String>> = file
            .items
            .iter()
            .map(|item| match item {
                syn::Item::Struct(item) => gate_of(&item.attrs),
                _ => Vec::new(),
            })
            .collect();
        assert_eq!(gates, [vec!["a", "b"], vec!["c"], vec![]]);
        assert_eq!(
            defined_names(&file.items),
            ["Always", "One", "Two"].map(str::to_owned).into()
        );
    }
}
