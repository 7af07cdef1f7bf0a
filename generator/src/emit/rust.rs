//! Rust spellings shared by the emitters: types, identifiers, argument conversions, imports.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Api, IntegerKind, NumberKind, Presence, TypeDef, TypeKind, TypeQueries, TypeRef};

/// An identifier, raw (`r#type`) when the IR says so.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// Where a type is spelled: inside `types` its siblings need no path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Types,
    Outside,
}

/// The Rust type of a [`TypeRef`].
pub fn type_tokens(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Integer(IntegerKind::I32) => quote!(i32),
        TypeRef::Integer(IntegerKind::I64) => quote!(i64),
        TypeRef::Number(NumberKind::F32) => quote!(f32),
        TypeRef::Number(NumberKind::F64) => quote!(f64),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::File => quote!(crate::runtime::FilePart),
        TypeRef::Named(name) => {
            let name = ident(name);
            match scope {
                Scope::Types => quote!(#name),
                Scope::Outside => quote!(types::#name),
            }
        }
        TypeRef::Array(item) => {
            let item = type_tokens(item, scope);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(value, scope);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(Box<#inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(Option<#inner>)
        }
    }
}

/// [`type_tokens`] as text, `Option<types::Certificate>`, without building tokens (the public
/// API listing spells every field of a large API).
pub fn type_text(ty: &TypeRef, scope: Scope) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Boolean => "bool".to_owned(),
        TypeRef::Integer(IntegerKind::I32) => "i32".to_owned(),
        TypeRef::Integer(IntegerKind::I64) => "i64".to_owned(),
        TypeRef::Number(NumberKind::F32) => "f32".to_owned(),
        TypeRef::Number(NumberKind::F64) => "f64".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::JsonObject => "serde_json::Map<String, serde_json::Value>".to_owned(),
        TypeRef::File => "crate::runtime::FilePart".to_owned(),
        TypeRef::Named(name) => match scope {
            Scope::Types => name.clone(),
            Scope::Outside => format!("types::{name}"),
        },
        TypeRef::Array(item) => format!("Vec<{}>", type_text(item, scope)),
        TypeRef::Map(value) => format!(
            "std::collections::BTreeMap<String, {}>",
            type_text(value, scope)
        ),
        TypeRef::Boxed(inner) => format!("Box<{}>", type_text(inner, scope)),
        TypeRef::Nullable(inner) => format!("Option<{}>", type_text(inner, scope)),
    }
}

/// [`field_type_tokens`] as text.
pub fn field_type_text(ty: &TypeRef, presence: Presence, scope: Scope) -> String {
    let inner = type_text(ty, scope);
    match presence {
        Presence::Required => inner,
        Presence::RequiredNullable | Presence::Optional => format!("Option<{inner}>"),
        Presence::OptionalNullable => format!("Option<Option<{inner}>>"),
    }
}

/// The field type for a presence: `T`, `Option<T>` or `Option<Option<T>>`.
pub fn field_type_tokens(ty: &TypeRef, presence: Presence, scope: Scope) -> TokenStream {
    let inner = type_tokens(ty, scope);
    match presence {
        Presence::Required => inner,
        Presence::RequiredNullable | Presence::Optional => quote!(Option<#inner>),
        Presence::OptionalNullable => quote!(Option<Option<#inner>>),
    }
}

/// True when the type names something under `types`.
pub fn mentions_named(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Array(inner)
        | TypeRef::Map(inner)
        | TypeRef::Boxed(inner)
        | TypeRef::Nullable(inner) => mentions_named(inner),
        _ => false,
    }
}

/// How a builder argument is accepted and turned into the stored value: strings take
/// `impl Into<String>`, enums `impl Into<Enum>` (so `"asc"` works too), lists
/// `impl IntoIterator`.
pub struct Argument {
    pub ty: TypeStream,
    pub convert: TokenStream,
}

type TypeStream = TokenStream;

impl Argument {
    /// `name: <type>` for a parameter list.
    pub fn ty_with_name(&self, name: &Ident) -> TokenStream {
        let ty = &self.ty;
        quote!(#name: #ty)
    }
}

pub fn argument(name: &Ident, ty: &TypeRef, types: &[TypeDef]) -> Argument {
    match ty {
        TypeRef::Array(item) => {
            let (item_ty, converts) = element_argument(item, types);
            let convert = if converts {
                quote!(#name.into_iter().map(Into::into).collect())
            } else {
                quote!(#name.into_iter().collect())
            };
            Argument {
                ty: quote!(impl IntoIterator<Item = #item_ty>),
                convert,
            }
        }
        _ => {
            let (ty, converts) = element_argument(ty, types);
            let convert = if converts {
                quote!(#name.into())
            } else {
                quote!(#name)
            };
            Argument { ty, convert }
        }
    }
}

fn element_argument(ty: &TypeRef, types: &[TypeDef]) -> (TokenStream, bool) {
    let spelled = type_tokens(ty, Scope::Outside);
    // An alias of a string is a `pub type`, which `impl Into<_>` takes as it takes a string;
    // a boxed value (a recursive type) is taken as the value itself too.
    let boxed = matches!(ty, TypeRef::Boxed(_));
    if boxed
        || matches!(types.resolve_alias(ty), TypeRef::String | TypeRef::File)
        || types.is_enum(ty)
    {
        (quote!(impl Into<#spelled>), true)
    } else {
        (spelled, false)
    }
}

/// `Some("...")` or `None`, as a Rust expression.
pub fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}

/// A string literal as Rust writes it, for code emitted as text.
pub fn string_literal(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

/// `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", feature = "b"))]` for an item of
/// some features only; nothing for an item that always compiles.
pub fn cfg_tokens(gate: &[String]) -> TokenStream {
    match gate {
        [] => TokenStream::new(),
        [single] => quote!(#[cfg(feature = #single)]),
        several => quote!(#[cfg(any(#(feature = #several),*))]),
    }
}

/// [`cfg_tokens`] as a line of text (with its newline), for code emitted as text.
pub fn cfg_text(gate: &[String]) -> String {
    let features: Vec<String> = gate
        .iter()
        .map(|name| format!("feature = {}", string_literal(name)))
        .collect();
    match features.as_slice() {
        [] => String::new(),
        [single] => format!("#[cfg({single})]\n"),
        several => {
            let line = format!("#[cfg(any({}))]\n", several.join(", "));
            if line.len() <= 101 {
                return line;
            }
            // As rustfmt writes it: one feature per line.
            format!("#[cfg(any(\n    {}\n))]\n", several.join(",\n    "))
        }
    }
}

/// The `use` items a module needs, collected while emitting it and grouped by parent path.
/// Each import remembers the features of the items that use it (`None`: always needed), so
/// that a build with some features off does not import what it does not use.
#[derive(Debug, Default)]
pub struct Imports(BTreeMap<(&'static str, &'static str), Option<BTreeSet<String>>>);

impl Imports {
    /// Adds `parent::name`, e.g. `("crate::runtime", "Client")`.
    pub fn add(&mut self, parent: &'static str, name: &'static str) {
        self.0.insert((parent, name), None);
    }

    /// Adds `parent::name` for items of `gate` only (always, when `gate` is empty).
    pub fn add_for(&mut self, parent: &'static str, name: &'static str, gate: &[String]) {
        let mut one = Imports::default();
        one.add(parent, name);
        self.merge(one.gated(gate));
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

    pub fn tokens(&self) -> TokenStream {
        let mut items = Vec::new();
        let parents: BTreeSet<&str> = self.0.keys().map(|(parent, _)| *parent).collect();
        // The standard library first, as rustfmt's convention has it.
        let (std, others): (Vec<&str>, Vec<&str>) = parents
            .into_iter()
            .partition(|parent| *parent == "std" || parent.starts_with("std::"));
        for parent in std.into_iter().chain(others) {
            let path: TokenStream = parent.parse().unwrap_or_default();
            // Names always needed first, then one `use` per set of features.
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

/// `#[allow(clippy::too_many_arguments)]` for a function taking more inputs (`self`
/// included) than clippy's default limit of 7: an operation's required values are its
/// positional arguments, however many the description requires.
pub fn allow_many_arguments(inputs: usize) -> TokenStream {
    if inputs > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        TokenStream::new()
    }
}

/// `#![allow(deprecated)]` for a module that uses the API's deprecated operations or fields
/// itself (to encode them, or to offer them on the command line); nothing when there are none,
/// so that most crates do not carry it.
pub fn allow_deprecated_uses(api: &Api) -> TokenStream {
    if deprecates_anything(api) {
        quote!(#![allow(deprecated)])
    } else {
        TokenStream::new()
    }
}

/// Whether the API marks a field or an operation deprecated.
pub fn deprecates_anything(api: &Api) -> bool {
    let fields = api.types.iter().any(|def| match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().any(|field| field.deprecated),
        _ => false,
    });
    fields || api.operations.iter().any(|operation| operation.deprecated)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text and the tokens of a type say the same, for every kind of type.
    #[test]
    fn type_text_spells_what_type_tokens_emit() {
        let named = || Box::new(TypeRef::Named("Certificate".to_owned()));
        let types = [
            TypeRef::String,
            TypeRef::Boolean,
            TypeRef::Integer(IntegerKind::I32),
            TypeRef::Integer(IntegerKind::I64),
            TypeRef::Number(NumberKind::F32),
            TypeRef::Number(NumberKind::F64),
            TypeRef::Json,
            TypeRef::JsonObject,
            TypeRef::File,
            TypeRef::Array(named()),
            TypeRef::Map(Box::new(TypeRef::Array(named()))),
            TypeRef::Boxed(named()),
        ];
        let presences = [
            Presence::Required,
            Presence::RequiredNullable,
            Presence::Optional,
            Presence::OptionalNullable,
        ];
        for ty in &types {
            for scope in [Scope::Types, Scope::Outside] {
                for presence in presences {
                    let tokens = field_type_tokens(ty, presence, scope).to_string();
                    let squeezed: String = tokens.chars().filter(|c| !c.is_whitespace()).collect();
                    let text = field_type_text(ty, presence, scope);
                    assert_eq!(squeezed.replace(',', ", "), text, "{ty:?}");
                }
            }
        }
    }
}
