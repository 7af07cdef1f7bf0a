//! The `serde_impls` module: how each type of `types` is written to and read from JSON.
//!
//! Written out by hand rather than derived, so that the generated crate builds no proc-macro
//! crate. Objects keep members they do not know (in their catch-all map), enums keep values
//! they do not know (`Unknown`), tagged unions pick the variant their tag names (`Unknown` for a tag they do not know), and
//! other unions try their shapes in order.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::rust::{ident, module_tokens, type_tokens, Imports, Scope};
use crate::ir::{naming, Api, Presence, Struct, TypeDef, TypeKind, Union};

pub fn module(api: &Api) -> TokenStream {
    let mut imports = Imports::default();
    let items: Vec<TokenStream> = api
        .types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Struct(s) => object(def, s, &mut imports),
            TypeKind::Enum(_) => open_enum(def, &mut imports),
            TypeKind::Union(union) => match &union.tag {
                Some(tag) => tagged_union(def, tag, union, &mut imports),
                None => union_by_shape(def, union, &mut imports),
            },
            TypeKind::Alias(_) => TokenStream::new(),
        })
        .collect();
    module_tokens(
        api,
        "JSON encoding and decoding of the types in `types`, written out rather than derived.",
        &imports,
        items,
    )
}

/// A local name that no field of the struct uses.
fn free_local(wanted: &str, s: &Struct) -> Ident {
    let taken = |name: &str| {
        s.extra_field == name || s.fields.iter().any(|f| naming::unraw(&f.rust_name) == name)
    };
    let mut name = wanted.to_owned();
    while taken(&name) {
        name.push('_');
    }
    format_ident!("{}", name)
}

fn object(def: &TypeDef, s: &Struct, imports: &mut Imports) -> TokenStream {
    imports.add("crate", "types");
    imports.add("crate::runtime", "JsonStr");
    let name = ident(&def.name);
    let expecting = format!("a `{}` object", def.name);
    let extra = ident(&s.extra_field);
    let map = free_local("map", s);
    let key = free_local("key", s);

    let writes = s.fields.iter().map(|field| {
        let member = ident(&field.rust_name);
        let wire = &field.wire_name;
        match field.presence {
            Presence::Required | Presence::RequiredNullable => {
                quote!(map.serialize_entry(#wire, &self.#member)?;)
            }
            Presence::Optional | Presence::OptionalNullable => quote! {
                if let Some(value) = &self.#member {
                    map.serialize_entry(#wire, value)?;
                }
            },
        }
    });

    let locals = s.fields.iter().map(|field| {
        let local = ident(&field.rust_name);
        quote!(let mut #local = None;)
    });
    let reads = s.fields.iter().map(|field| {
        let local = ident(&field.rust_name);
        let wire = &field.wire_name;
        match field.presence {
            // `null` and a missing member both read as `None`.
            Presence::Optional | Presence::RequiredNullable => {
                quote!(#wire => #local = #map.next_value()?,)
            }
            // `Some(None)` for `null`, `None` for a missing member.
            Presence::Required | Presence::OptionalNullable => {
                quote!(#wire => #local = Some(#map.next_value()?),)
            }
        }
    });
    let builds = s.fields.iter().map(|field| {
        let local = ident(&field.rust_name);
        let wire = &field.wire_name;
        if field.presence == Presence::Required {
            imports.add("crate::runtime", "missing_field");
            quote!(#local: #local.ok_or_else(|| missing_field(#wire))?,)
        } else {
            quote!(#local,)
        }
    });

    quote! {
        impl serde::Serialize for types::#name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                #(#writes)*
                for (key, value) in &self.#extra {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for types::#name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct ObjectVisitor;

                impl<'de> serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = types::#name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut #map: A) -> Result<Self::Value, A::Error> {
                        #(#locals)*
                        let mut #extra = serde_json::Map::new();
                        while let Some(#key) = #map.next_key::<JsonStr<'de>>()? {
                            match #key.as_str() {
                                #(#reads)*
                                _ => {
                                    #extra.insert(#key.into_owned(), #map.next_value()?);
                                }
                            }
                        }
                        Ok(types::#name {
                            #(#builds)*
                            #extra,
                        })
                    }
                }

                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    }
}

fn open_enum(def: &TypeDef, imports: &mut Imports) -> TokenStream {
    imports.add("crate", "types");
    imports.add("crate::runtime", "JsonStr");
    let name = ident(&def.name);
    quote! {
        impl serde::Serialize for types::#name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for types::#name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value: JsonStr<'de> = serde::Deserialize::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    }
}

fn union_by_shape(def: &TypeDef, union: &Union, imports: &mut Imports) -> TokenStream {
    imports.add("crate", "types");
    imports.add("crate::runtime", "no_variant_matched");
    let name = ident(&def.name);
    let type_name = &def.name;
    let names: Vec<Ident> = union.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let tries = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let ty = type_tokens(&variant.ty, Scope::Outside);
        quote! {
            if let Ok(variant) = <#ty as serde::Deserialize>::deserialize(&value) {
                return Ok(Self::#variant_name(variant));
            }
        }
    });
    quote! {
        impl serde::Serialize for types::#name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(Self::#names(value) => value.serialize(serializer),)*
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for types::#name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                #(#tries)*
                Err(no_variant_matched(#type_name))
            }
        }
    }
}

/// A tagged union reads the tag, then decodes the whole value as the variant it names; an
/// error in that variant is reported as such (not hidden by trying the others).
fn tagged_union(def: &TypeDef, tag: &str, union: &Union, imports: &mut Imports) -> TokenStream {
    imports.add("crate", "types");
    let name = ident(&def.name);
    let names: Vec<Ident> = union.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let arms = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let ty = type_tokens(&variant.ty, Scope::Outside);
        let tags = &variant.tags;
        quote! {
            Some(#(#tags)|*) => <#ty as serde::Deserialize>::deserialize(value)
                .map(Self::#variant_name)
                .map_err(serde::de::Error::custom),
        }
    });
    quote! {
        impl serde::Serialize for types::#name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(Self::#names(value) => value.serialize(serializer),)*
                    Self::Unknown(value) => value.serialize(serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for types::#name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#tag).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    _ => Ok(Self::Unknown(value)),
                }
            }
        }
    }
}
