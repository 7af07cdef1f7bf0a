//! The `types` module: one item per named type of the API. Its small methods are `#[inline]`,
//! generated only where they are used (see `operations`).

use std::fmt::Write;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, doc_comment_text, doc_paragraphs};
use super::rust::{
    allow_deprecated_uses, allow_many_arguments, argument, field_type_tokens, fixed_value, ident,
    string_literal, type_tokens, Scope,
};
use super::{split_modules, type_count, type_in, Code, Item, Items, Module, Vocabulary};
use crate::ir::{
    naming, Access, Api, EnumVariant, Field, Presence, Struct, TypeDef, TypeKind, TypeModule,
    TypeModuleKind, TypeQueries, TypeRef, Union,
};

/// `src/types.rs`, or `src/types/mod.rs` and a file per group when the IR splits the types.
pub fn modules(api: &Api) -> Vec<Module<'_>> {
    split_modules(
        api,
        "types",
        true,
        module_docs,
        Vocabulary::types(),
        |module| items(api, module),
    )
}

fn items<'a>(api: &'a Api, module: Option<&'a TypeModule>) -> Items<'a> {
    Items {
        count: type_count(api, module),
        item: Box::new(move |index| {
            let (def, gate) = type_in(api, module, index);
            vec![Item::new(type_def(def, &api.types), gate)]
        }),
        head: Box::new(move || {
            let allow_deprecated = allow_deprecated_uses(api);
            match module {
                None => {
                    let docs = module_docs();
                    quote! {
                        #docs
                        #allow_deprecated
                    }
                }
                Some(module) => {
                    let docs = group_docs(module);
                    quote! {
                        #docs
                        #allow_deprecated
                        // The other groups' types, which these refer to.
                        #[allow(unused_imports)]
                        use super::*;
                    }
                }
            }
        }),
    }
}

fn module_docs() -> TokenStream {
    quote! {
        //! Request and response types of the API, one per schema.
        //!
        //! They are built to evolve with the API: structs and enums are `#[non_exhaustive]`
        //! (build a struct with `new` or `Default`, then set its public fields), members the
        //! description does not list are kept behind `extra()`, and an enum value this crate
        //! does not know is an opaque `Unknown` that still reads (`as_str`) and re-encodes.
    }
}

/// The first line of a group's file.
fn group_docs(module: &TypeModule) -> TokenStream {
    let line = match &module.kind {
        TypeModuleKind::Feature(feature) => {
            format!(" The types only the `{feature}` feature compiles.")
        }
        TypeModuleKind::Shared => {
            " Types several features use: each compiles with any of them.".to_owned()
        }
        TypeModuleKind::Common => " Types every feature uses.".to_owned(),
    };
    quote!(#![doc = #line])
}

fn type_def(def: &TypeDef, types: &[TypeDef]) -> Code {
    match &def.kind {
        TypeKind::Struct(s) => struct_def(def, s, types).into(),
        TypeKind::Enum(variants) => Code::Text(enum_def(def, variants)),
        TypeKind::Union(union) => union_def(def, union).into(),
        TypeKind::Alias(target) => {
            let docs = type_docs(def);
            let name = ident(&def.name);
            let target = type_tokens(target, Scope::Types);
            quote! {
                #docs
                pub type #name = #target;
            }
            .into()
        }
    }
}

/// A type's docs: its description, or a link to the field whose schema it is.
fn type_docs(def: &TypeDef) -> TokenStream {
    match field_link(def) {
        Some(line) => {
            let line = format!(" {line}");
            quote!(#[doc = #line])
        }
        None => doc_attrs(def.docs.as_deref()),
    }
}

fn field_link(def: &TypeDef) -> Option<String> {
    let (owner, field) = def.field_of.as_ref()?;
    // A link names a raw identifier without its `r#` (rustdoc reads `r#type` as `r`).
    let field = crate::ir::naming::unraw(field);
    Some(format!("The type of [`{owner}::{field}`]."))
}

fn struct_def(def: &TypeDef, s: &Struct, types: &[TypeDef]) -> TokenStream {
    let docs = type_docs(def);
    let name = ident(&def.name);
    let fields = s.fields.iter().map(field);
    let extra = ident(&s.extra_field);
    let all_optional = s.all_optional();
    let default = all_optional.then(|| quote!(Default,));
    let impl_new = (!all_optional).then(|| {
        let constructor = constructor(s, types);
        // Every required member fixed: `new()` takes nothing, and is the default.
        let default = s
            .fields
            .iter()
            .all(|field| !field.is_constructor_argument())
            .then(|| {
                quote! {
                    impl Default for #name {
                        #[inline]
                        fn default() -> Self {
                            Self::new()
                        }
                    }
                }
            });
        quote! {
            impl #name { #constructor }
            #default
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            /// Members the description does not list, kept so that re-encoding loses nothing.
            pub(crate) #extra: serde_json::Map<String, serde_json::Value>,
        }

        #impl_new
        unknown_members!(#name.#extra);
    }
}

/// `new`, taking the required members in the description's order, setting the members the
/// schema fixes and leaving the others unset: adding an optional member to the description
/// keeps callers compiling. A member that is a union (or a list of one) takes what converts
/// into it (`new("Say hi")` for a union with a string shape); see
/// [`TypeQueries::member_argument_converts`].
fn constructor(s: &Struct, types: &[TypeDef]) -> TokenStream {
    let mut params = Vec::new();
    let values: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|field| {
            let name = ident(&field.rust_name);
            if let Some(value) = fixed_value(field, Scope::Types) {
                return quote!(#name: #value);
            }
            match field.presence {
                Presence::Required if types.member_argument_converts(&field.ty) => {
                    let arg = argument(&name, &field.ty, types, Scope::Types);
                    params.push(arg.ty_with_name(&name));
                    let convert = &arg.convert;
                    quote!(#name: #convert)
                }
                Presence::Required | Presence::RequiredNullable => {
                    let ty = field_type_tokens(&field.ty, field.presence, Scope::Types);
                    params.push(quote!(#name: #ty));
                    quote!(#name)
                }
                Presence::Optional | Presence::OptionalNullable => quote!(#name: None),
            }
        })
        .collect();
    let extra = ident(&s.extra_field);
    let allow = allow_many_arguments(params.len());
    let docs = if s.fields.iter().any(|field| field.fixed.is_some()) {
        " A value with the required members (those the schema fixes set to their one value); the optional ones are unset."
    } else {
        " A value with the required members; the optional ones are unset."
    };
    quote! {
        #[doc = #docs]
        #allow
        #[inline]
        pub fn new(#(#params),*) -> Self {
            Self {
                #(#values,)*
                #extra: serde_json::Map::new(),
            }
        }
    }
}

fn field(field: &Field) -> TokenStream {
    let wire = format!("`{}`", field.wire_name);
    let presence = match field.presence {
        Presence::Required => None,
        Presence::RequiredNullable => Some("Always sent; `None` is sent as `null`."),
        Presence::Optional => None,
        Presence::OptionalNullable => Some("Omitted when `None`; `Some(None)` is sent as `null`."),
    };
    let access = match field.access {
        Access::ReadWrite => None,
        Access::ReadOnly => Some("Read-only: set by the server; request builders leave it out."),
        Access::WriteOnly => Some("Write-only: sent by the client; responses leave it out."),
    };
    let docs = doc_paragraphs([field.docs.as_deref(), presence, access]);
    let deprecated = field
        .deprecated
        .then(|| quote!(#[deprecated(note = "deprecated by the API description")]));
    let wire_doc = (naming::unraw(&field.rust_name) != field.wire_name).then(|| {
        let line = format!(" JSON name: {wire}.");
        quote!(#[doc = ""] #[doc = #line])
    });
    let name = ident(&field.rust_name);
    let ty = field_type_tokens(&field.ty, field.presence, Scope::Types);
    quote! {
        #docs
        #wire_doc
        #deprecated
        pub #name: #ty,
    }
}

/// `open_enum! { pub enum Name { Variant = "value", ... } }`: one line per value; the runtime's
/// macro writes the `Unknown` variant (and the doc paragraph that says the enum is open),
/// `as_str`, the `From` impls and `Display`.
fn enum_def(def: &TypeDef, variants: &[EnumVariant]) -> String {
    let mut out = String::from("open_enum! {\n");
    match field_link(def) {
        Some(line) => {
            let _ = writeln!(out, "    /// {line}");
        }
        None => out.push_str(&doc_comment_text([def.docs.as_deref()], "    ")),
    }
    let _ = writeln!(out, "    pub enum {} {{", ident(&def.name));
    for variant in variants {
        let _ = writeln!(
            out,
            "        {} = {},",
            ident(&variant.rust_name),
            string_literal(&variant.wire_value)
        );
    }
    out.push_str("    }\n}\n");
    out
}

fn union_def(def: &TypeDef, union: &Union) -> TokenStream {
    let summary = match &union.tag {
        Some(tag) => format!(
            "One of several shapes, chosen by the value of its `{tag}` member; a value this crate does not know decodes as `Unknown`, kept as it came."
        ),
        None => "One of several shapes; decoding picks the first variant that fits.".to_owned(),
    };
    let docs = type_docs(def);
    let summary = doc_attrs(Some(&summary));
    let docs = match docs.is_empty() {
        true => summary,
        false => quote!(#docs #[doc = ""] #summary),
    };
    let name = ident(&def.name);
    let variants = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let ty = type_tokens(&variant.ty, Scope::Types);
        let tags = (!variant.tags.is_empty()).then(|| {
            let values: Vec<String> = variant.tags.iter().map(|t| format!("`{t}`")).collect();
            let line = format!(" {}", values.join(", "));
            quote!(#[doc = #line])
        });
        quote!(#tags #variant_name(#ty),)
    });
    let unknown = union.tag.is_some().then(|| {
        quote! {
            /// A shape this version of the crate does not know.
            Unknown(serde_json::Value),
        }
    });
    let conversions = conversions(&name, union);
    // Variants hold their values inline, as the description's shapes are; boxing the large
    // ones would change how every caller builds and matches them.
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #unknown
        }

        #conversions
    }
}

/// `From` each variant's value the IR lets convert (a boxed one from what the box holds),
/// and from `&str` into the string variant.
fn conversions(name: &proc_macro2::Ident, union: &Union) -> TokenStream {
    let from_variants = union
        .variants
        .iter()
        .filter(|variant| variant.from)
        .map(|variant| {
            let variant_name = ident(&variant.rust_name);
            let (ty, value) = match &variant.ty {
                TypeRef::Boxed(inner) => {
                    (type_tokens(inner, Scope::Types), quote!(Box::new(value)))
                }
                other => (type_tokens(other, Scope::Types), quote!(value)),
            };
            quote! {
                impl From<#ty> for #name {
                    #[inline]
                    fn from(value: #ty) -> Self {
                        Self::#variant_name(#value)
                    }
                }
            }
        });
    let from_str = union.from_str.as_deref().map(|variant| {
        let variant_name = ident(variant);
        quote! {
            impl From<&str> for #name {
                #[inline]
                fn from(value: &str) -> Self {
                    Self::#variant_name(value.to_owned())
                }
            }
        }
    });
    quote! {
        #(#from_variants)*
        #from_str
    }
}
