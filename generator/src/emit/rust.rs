//! Rust spellings shared by the emitters: types, identifiers, argument conversions, imports.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{
    Api, Field, IntegerKind, NumberKind, Presence, TypeDef, TypeKind, TypeQueries, TypeRef,
};

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

pub fn argument(name: &Ident, ty: &TypeRef, types: &[TypeDef], scope: Scope) -> Argument {
    match ty {
        TypeRef::Array(item) => {
            let (item_ty, converts) = element_argument(item, types, scope);
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
            let (ty, converts) = element_argument(ty, types, scope);
            let convert = if converts {
                quote!(#name.into())
            } else {
                quote!(#name)
            };
            Argument { ty, convert }
        }
    }
}

fn element_argument(ty: &TypeRef, types: &[TypeDef], scope: Scope) -> (TokenStream, bool) {
    let spelled = type_tokens(ty, scope);
    // An alias of a string is a `pub type`, which `impl Into<_>` takes as it takes a string;
    // a boxed value (a recursive type) is taken as the value itself too; a union takes what
    // converts into it (a variant's value, a string).
    if types.argument_converts(ty) {
        (quote!(impl Into<#spelled>), true)
    } else {
        (spelled, false)
    }
}

/// The value of a member the schema fixes, as an expression (`ChatMessageRole::User`).
pub fn fixed_value(field: &Field, scope: Scope) -> Option<TokenStream> {
    let variant = ident(field.fixed.as_deref()?);
    let ty = type_tokens(&field.ty, scope);
    Some(quote!(#ty::#variant))
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
