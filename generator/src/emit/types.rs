//! The `types` module: one item per named type of the API.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, doc_paragraphs};
use super::rust::{
    allow_deprecated_uses, allow_many_arguments, field_type_tokens, ident, type_tokens, Scope,
};
use crate::ir::{
    naming, Access, Api, EnumVariant, Field, Presence, Struct, TypeDef, TypeKind, Union,
};

pub fn module(api: &Api) -> TokenStream {
    let items = api.types.iter().map(type_def);
    let allow_deprecated = allow_deprecated_uses(api);
    let has_enums = api
        .types
        .iter()
        .any(|def| matches!(def.kind, TypeKind::Enum(_)));
    let imports = has_enums.then(|| {
        quote!(
            use crate::runtime::UnknownValue;
        )
    });
    quote! {
        //! Request and response types of the API, one per schema.
        //!
        //! They are built to evolve with the API: structs and enums are `#[non_exhaustive]`
        //! (build a struct with `new` or `Default`, then set its public fields), members the
        //! description does not list are kept behind `extra()`, and an enum value this crate
        //! does not know is an opaque `Unknown` that still reads (`as_str`) and re-encodes.
        #allow_deprecated
        #imports
        #(#items)*
    }
}

fn type_def(def: &TypeDef) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => struct_def(def, s),
        TypeKind::Enum(variants) => enum_def(def, variants),
        TypeKind::Union(union) => union_def(def, union),
        TypeKind::Alias(target) => {
            let docs = doc_attrs(def.docs.as_deref());
            let name = ident(&def.name);
            let target = type_tokens(target, Scope::Types);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    }
}

fn struct_def(def: &TypeDef, s: &Struct) -> TokenStream {
    let docs = doc_attrs(def.docs.as_deref());
    let name = ident(&def.name);
    let fields = s.fields.iter().map(field);
    let extra = ident(&s.extra_field);
    let all_optional = s
        .fields
        .iter()
        .all(|f| matches!(f.presence, Presence::Optional | Presence::OptionalNullable));
    let default = all_optional.then(|| quote!(Default,));
    let constructor = (!all_optional).then(|| constructor(s));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            /// Members the description does not list, kept so that re-encoding loses nothing.
            pub(crate) #extra: serde_json::Map<String, serde_json::Value>,
        }

        impl #name {
            #constructor

            /// Members the description does not list, as they came.
            pub fn extra(&self) -> &serde_json::Map<String, serde_json::Value> {
                &self.#extra
            }

            /// Members the description does not list, to read or change before re-encoding.
            pub fn extra_mut(&mut self) -> &mut serde_json::Map<String, serde_json::Value> {
                &mut self.#extra
            }
        }
    }
}

/// `new`, taking the required members in the description's order and leaving the others
/// unset: adding an optional member to the description keeps callers compiling.
fn constructor(s: &Struct) -> TokenStream {
    let required: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| matches!(f.presence, Presence::Required | Presence::RequiredNullable))
        .collect();
    let params = required.iter().map(|field| {
        let name = ident(&field.rust_name);
        let ty = field_type_tokens(&field.ty, field.presence, Scope::Types);
        quote!(#name: #ty)
    });
    let values = s.fields.iter().map(|field| {
        let name = ident(&field.rust_name);
        if matches!(
            field.presence,
            Presence::Required | Presence::RequiredNullable
        ) {
            quote!(#name)
        } else {
            quote!(#name: None)
        }
    });
    let extra = ident(&s.extra_field);
    let allow = allow_many_arguments(required.len());
    quote! {
        /// A value with the required members; the optional ones are unset.
        #allow
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

fn enum_def(def: &TypeDef, variants: &[EnumVariant]) -> TokenStream {
    let name = ident(&def.name);
    let names: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let values: Vec<&str> = variants.iter().map(|v| v.wire_value.as_str()).collect();
    let variant_docs = values.iter().map(|value| {
        let line = format!(" `{value}`");
        quote!(#[doc = #line])
    });
    let header = doc_paragraphs([
        def.docs.as_deref(),
        Some("Open: a value this crate does not know decodes as `Unknown` and encodes back unchanged."),
    ]);
    quote! {
        #header
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #names,)*
            /// A value this version of the crate does not know: read it with `as_str`; make
            /// one with `From<&str>`.
            Unknown(UnknownValue),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#names => #values,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#names,)*
                    other => Self::Unknown(UnknownValue::new(other.to_owned())),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#values => Self::#names,)*
                    _ => Self::Unknown(UnknownValue::new(value)),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

    }
}

fn union_def(def: &TypeDef, union: &Union) -> TokenStream {
    let summary = match &union.tag {
        Some(tag) => format!(
            "One of several shapes, chosen by the value of its `{tag}` member; a value this crate does not know decodes as `Unknown`, kept as it came."
        ),
        None => "One of several shapes; decoding picks the first variant that fits.".to_owned(),
    };
    let docs = doc_paragraphs([def.docs.as_deref(), Some(summary.as_str())]);
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
    }
}
