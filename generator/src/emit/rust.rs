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

/// The column a line of formatted code may not pass (prettyplease's margin).
pub const MARGIN: usize = 89;

/// One line `prefix` + `ty` + `suffix` at `indent` spaces (`pub name: Option<Name>,`), laid
/// out as prettyplease lays it out: whole when it fits within [`MARGIN`], else with the type's
/// generic arguments one per line, each laid out the same way one level deeper. `ty` is
/// [`type_text`]'s spelling.
pub fn push_typed_line(out: &mut String, indent: usize, prefix: &str, ty: &str, suffix: &str) {
    let fits = indent + prefix.len() + ty.len() + suffix.len() <= MARGIN;
    // Where a type too long for the line can break: after the `<` of its arguments.
    let break_at = match fits {
        true => None,
        false => ty.find('<').filter(|_| ty.ends_with('>')),
    };
    out.extend(std::iter::repeat_n(' ', indent));
    out.push_str(prefix);
    let Some(open) = break_at else {
        out.push_str(ty);
        out.push_str(suffix);
        out.push('\n');
        return;
    };
    out.push_str(&ty[..=open]);
    out.push('\n');
    for argument in generic_arguments(&ty[open + 1..ty.len() - 1]) {
        push_typed_line(out, indent + 4, "", argument, ",");
    }
    out.extend(std::iter::repeat_n(' ', indent));
    out.push('>');
    out.push_str(suffix);
    out.push('\n');
}

/// The arguments of a generic type's `<...>`, split at its top-level commas.
fn generic_arguments(inside: &str) -> Vec<&str> {
    let mut arguments = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (at, c) in inside.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                arguments.push(inside[start..at].trim());
                start = at + 1;
            }
            _ => {}
        }
    }
    arguments.push(inside[start..].trim());
    arguments
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
/// `impl IntoIterator`. Each as tokens and as text, for code emitted either way.
pub struct Argument {
    pub ty: TypeStream,
    pub convert: TokenStream,
    pub ty_text: String,
    pub convert_text: String,
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
            let (item_ty, item_text, converts) = element_argument(item, types, scope);
            let (convert, convert_text) = if converts {
                (
                    quote!(#name.into_iter().map(Into::into).collect()),
                    format!("{name}.into_iter().map(Into::into).collect()"),
                )
            } else {
                (
                    quote!(#name.into_iter().collect()),
                    format!("{name}.into_iter().collect()"),
                )
            };
            Argument {
                ty: quote!(impl IntoIterator<Item = #item_ty>),
                convert,
                ty_text: format!("impl IntoIterator<Item = {item_text}>"),
                convert_text,
            }
        }
        _ => {
            let (ty, ty_text, converts) = element_argument(ty, types, scope);
            let (convert, convert_text) = if converts {
                (quote!(#name.into()), format!("{name}.into()"))
            } else {
                (quote!(#name), name.to_string())
            };
            Argument {
                ty,
                convert,
                ty_text,
                convert_text,
            }
        }
    }
}

fn element_argument(ty: &TypeRef, types: &[TypeDef], scope: Scope) -> (TokenStream, String, bool) {
    let spelled = type_tokens(ty, scope);
    let text = type_text(ty, scope);
    // An alias of a string is a `pub type`, which `impl Into<_>` takes as it takes a string;
    // a boxed value (a recursive type) is taken as the value itself too; a union takes what
    // converts into it (a variant's value, a string).
    if types.argument_converts(ty) {
        (
            quote!(impl Into<#spelled>),
            format!("impl Into<{text}>"),
            true,
        )
    } else {
        (spelled, text, false)
    }
}

/// The value of a member the schema fixes, as an expression (`ChatMessageRole::User`).
pub fn fixed_value(field: &Field, scope: Scope) -> Option<TokenStream> {
    let variant = ident(field.fixed.as_deref()?);
    let ty = type_tokens(&field.ty, scope);
    Some(quote!(#ty::#variant))
}

/// [`fixed_value`] as text.
pub fn fixed_value_text(field: &Field, scope: Scope) -> Option<String> {
    let variant = field.fixed.as_deref()?;
    Some(format!("{}::{variant}", type_text(&field.ty, scope)))
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

/// [`cfg_tokens`] as a line of text (with its newline), for code emitted as text, laid out
/// as `render` lays out the attribute on tokens: one line within [`MARGIN`], else one feature
/// per line.
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
            if line.len() - 1 <= MARGIN {
                return line;
            }
            format!("#[cfg(any(\n    {}\n))]\n", several.join(",\n    "))
        }
    }
}

/// `#[allow(clippy::too_many_arguments)]` for a function taking more inputs (`self`
/// included) than clippy's default limit of 7: an operation's required values are its
/// positional arguments, however many the description requires.
pub fn allow_many_arguments(inputs: usize) -> TokenStream {
    if many_arguments(inputs) {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        TokenStream::new()
    }
}

/// Whether a function of `inputs` inputs (`self` included) passes clippy's default limit of
/// 7 (`too_many_arguments`).
pub fn many_arguments(inputs: usize) -> bool {
    inputs > 7
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

    /// An argument's text spells what its tokens say, converting or not, one value or a list.
    #[test]
    fn argument_text_spells_its_tokens() {
        let squeezed = |tokens: &TokenStream| -> String {
            let text: String = tokens
                .to_string()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            text
        };
        let name = format_ident!("tags");
        let types = [
            TypeRef::String,
            TypeRef::Integer(IntegerKind::I64),
            TypeRef::Array(Box::new(TypeRef::String)),
            TypeRef::Array(Box::new(TypeRef::Boolean)),
        ];
        for ty in &types {
            let arg = argument(&name, ty, &[], Scope::Outside);
            let without_spaces = |text: &str| text.replace(' ', "");
            assert_eq!(squeezed(&arg.ty), without_spaces(&arg.ty_text), "{ty:?}");
            assert_eq!(
                squeezed(&arg.convert),
                without_spaces(&arg.convert_text),
                "{ty:?}"
            );
        }
    }

    /// A member's line reads as prettyplease prints it, on one line or broken at its type's
    /// generic arguments, whatever its length: every name length from short to far past the
    /// margin, with types of one and of two arguments, nested.
    #[test]
    fn typed_lines_are_laid_out_as_prettyplease_prints_them() {
        let long = "CreateAssistantRequestToolResourcesFileSearchVectorStores";
        let types = [
            TypeRef::Named(long.to_owned()),
            TypeRef::Array(Box::new(TypeRef::Named(long.to_owned()))),
            TypeRef::Map(Box::new(TypeRef::Nullable(Box::new(TypeRef::Array(
                Box::new(TypeRef::Named(format!("{long}{long}"))),
            ))))),
            TypeRef::JsonObject,
        ];
        for ty in &types {
            for presence in [Presence::Required, Presence::OptionalNullable] {
                for length in 1..100 {
                    let name = "n".repeat(length);
                    let ty_text = field_type_text(ty, presence, Scope::Types);
                    let ty_tokens: TokenStream = ty_text.parse().expect("a type");
                    let field = format_ident!("{}", name);
                    let file: syn::File =
                        syn::parse2(quote!(struct S { pub #field: #ty_tokens, })).expect("parses");
                    let printed = prettyplease::unparse(&file);
                    let mut laid_out = String::from("struct S {\n");
                    push_typed_line(&mut laid_out, 4, &format!("pub {name}: "), &ty_text, ",");
                    laid_out.push_str("}\n");
                    assert_eq!(laid_out, printed, "{length} {ty_text}");
                }
            }
        }
    }
}
