//! The `serde_impls` module: how each type of `types` is written to and read from JSON.
//!
//! One runtime `macro_rules!` invocation per type, one line per member, rather than serde's
//! derives, so that the generated crate builds no proc-macro crate. Objects keep members they
//! do not know (in their catch-all map), enums keep values they do not know (`Unknown`), tagged
//! unions pick the variant their tag names (`Unknown` for a tag they do not know), and other
//! unions try their shapes in order.

use std::fmt::Write;

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{deprecates_anything, ident, string_literal};
use super::{split_modules, type_count, type_in, Code, Item, Items, Module, Vocabulary};
use crate::ir::{Api, Presence, Struct, TypeDef, TypeKind, TypeModule, TypeRef, Union};

/// The module (one file, or one per group of types as `types` is split): a header, then one
/// macro invocation per type, one line per member or variant.
pub fn modules(api: &Api) -> Vec<Module<'_>> {
    split_modules(
        api,
        "serde_impls",
        false,
        module_docs,
        Vocabulary::serde_impls(),
        |module| items(api, module),
    )
}

fn module_docs() -> TokenStream {
    quote! {
        //! JSON encoding and decoding of the types in `types`: one line per member or variant.
    }
}

fn items<'a>(api: &'a Api, module: Option<&'a TypeModule>) -> Items<'a> {
    Items {
        count: type_count(api, module),
        item: Box::new(move |index| {
            let (def, gate) = type_in(api, module, index);
            let item = match &def.kind {
                TypeKind::Struct(s) => object(def, s),
                TypeKind::Enum(_) => format!("json_string_enum!(types::{});\n", def.name),
                TypeKind::Union(union) => match &union.tag {
                    Some(tag) => tagged_union(def, tag, union),
                    None => union_by_shape(def, union),
                },
                TypeKind::Alias(_) => return Vec::new(),
            };
            // A blank line before each: the invocations are text, which `render` does not space.
            vec![Item::new(Code::Text(format!("\n{item}")), gate)]
        }),
        head: Box::new(move || {
            let allow_deprecated = deprecates_anything(api).then(|| quote!(#![allow(deprecated)]));
            let docs = match module {
                None => module_docs(),
                Some(module) => {
                    let line = format!(
                        " JSON encoding and decoding of the types in `types/{}.rs`.",
                        crate::ir::naming::unraw(&module.name)
                    );
                    quote!(#![doc = #line])
                }
            };
            quote! {
                #docs
                #allow_deprecated
            }
        }),
    }
}

/// `json_object!(types::Name { field: "wire" presence, ..extra });`
fn object(def: &TypeDef, s: &Struct) -> String {
    let mut out = format!("json_object!(types::{} {{\n", def.name);
    for field in &s.fields {
        let presence = match field.presence {
            // Any value may be `null`: a missing one reads as that rather than failing.
            Presence::Required if field.ty == TypeRef::Json => "required_value",
            Presence::Required => "required",
            Presence::RequiredNullable => "nullable",
            Presence::Optional => "optional",
            Presence::OptionalNullable => "optional_nullable",
        };
        let _ = writeln!(
            out,
            "    {}: {} {presence},",
            ident(&field.rust_name),
            string_literal(&field.wire_name)
        );
    }
    let _ = writeln!(out, "    ..{}\n}});", ident(&s.extra_field));
    out
}

/// `json_union!(types::Name { A, B });`: the first variant, in order, that the value decodes as.
fn union_by_shape(def: &TypeDef, union: &Union) -> String {
    let mut out = format!("json_union!(types::{} {{\n", def.name);
    for variant in &union.variants {
        let _ = writeln!(out, "    {},", ident(&variant.rust_name));
    }
    out.push_str("});\n");
    out
}

/// `json_tagged_union!(types::Name, "tag" { A: "a" | "b", } else A);`: the variant the tag
/// names, else the default one (`defaultMapping`) when the description has one.
fn tagged_union(def: &TypeDef, tag: &str, union: &Union) -> String {
    let mut out = format!(
        "json_tagged_union!(types::{}, {} {{\n",
        def.name,
        string_literal(tag)
    );
    for variant in &union.variants {
        let tags: Vec<String> = variant.tags.iter().map(|tag| string_literal(tag)).collect();
        let _ = writeln!(
            out,
            "    {}: {},",
            ident(&variant.rust_name),
            tags.join(" | ")
        );
    }
    match &union.default {
        Some(default) => {
            let _ = writeln!(out, "}} else {});", ident(default));
        }
        None => out.push_str("});\n"),
    }
    out
}
