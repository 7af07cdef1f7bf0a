//! The `types` module: one item per named type of the API. Its small methods are `#[inline]`,
//! generated only where they are used (see `operations`).

use std::fmt::Write;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, doc_comment_text, push_doc_text};
use super::rust::{
    allow_deprecated_uses, argument, field_type_text, fixed_value_text, ident, many_arguments,
    push_typed_line, string_literal, type_text, type_tokens, Scope, MARGIN,
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
            type_def(def, &api.types)
                .into_iter()
                .map(|code| Item::new(code, gate))
                .collect()
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

/// A type's pieces of code: its definition, then its methods and impls.
fn type_def(def: &TypeDef, types: &[TypeDef]) -> Vec<Code> {
    match &def.kind {
        TypeKind::Struct(s) => struct_def(def, s, types),
        TypeKind::Enum(variants) => vec![Code::Text(enum_def(def, variants))],
        TypeKind::Union(union) => {
            let mut pieces = vec![union_def(def, union).into()];
            pieces.extend(conversions(&def.name, union).map(Code::Printed));
            pieces
        }
        TypeKind::Alias(target) => {
            let docs = type_docs(def);
            let name = ident(&def.name);
            let target = type_tokens(target, Scope::Types);
            vec![quote! {
                #docs
                pub type #name = #target;
            }
            .into()]
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

/// A struct: its definition laid out as text (a whole API's types are mostly these, and
/// prettyplease would print them line for line as written here), then `new` and `Default`
/// printed as prettyplease prints them, then the accessors of its unknown members.
fn struct_def(def: &TypeDef, s: &Struct, types: &[TypeDef]) -> Vec<Code> {
    let all_optional = s.all_optional();
    let mut pieces = vec![Code::Text(struct_definition(def, s, all_optional))];
    if !all_optional {
        pieces.push(Code::Printed(constructor(&def.name, s, types)));
        // Every required member fixed: `new()` takes nothing, and is the default.
        if s.fields
            .iter()
            .all(|field| !field.is_constructor_argument())
        {
            pieces.push(Code::Printed(format!(
                "impl Default for {} {{\n    #[inline]\n    fn default() -> Self {{\n        Self::new()\n    }}\n}}\n",
                def.name
            )));
        }
    }
    pieces.push(Code::Text(unknown_members(&def.name, &s.extra_field)));
    pieces
}

/// `unknown_members!(Name.extra);`, broken as prettyplease breaks a call past the margin.
fn unknown_members(name: &str, extra: &str) -> String {
    let line = format!("unknown_members!({name}.{extra});\n");
    if line.len() - 1 <= MARGIN {
        line
    } else if 4 + name.len() + 1 + extra.len() <= MARGIN {
        format!("unknown_members!(\n    {name}.{extra}\n);\n")
    } else {
        format!("unknown_members!(\n    {name}\n    .{extra}\n);\n")
    }
}

/// `pub struct Name { ... }` with its docs and derives, each member with its own docs.
fn struct_definition(def: &TypeDef, s: &Struct, all_optional: bool) -> String {
    let mut out = String::new();
    match field_link(def) {
        Some(line) => {
            let _ = writeln!(out, "/// {line}");
        }
        None => push_doc_text(&mut out, def.docs.as_deref(), ""),
    }
    let default = if all_optional { ", Default" } else { "" };
    let _ = writeln!(out, "#[derive(Debug, Clone, PartialEq{default})]");
    out.push_str("#[non_exhaustive]\n");
    let _ = writeln!(out, "pub struct {} {{", def.name);
    for field in &s.fields {
        push_field(&mut out, field);
    }
    out.push_str(
        "    /// Members the description does not list, kept so that re-encoding loses nothing.\n",
    );
    push_typed_line(
        &mut out,
        4,
        &format!("pub(crate) {}: ", s.extra_field),
        &type_text(&TypeRef::JsonObject, Scope::Types),
        ",",
    );
    out.push_str("}\n");
    out
}

/// `impl Name { pub fn new(...) }`: `new` takes the required members in the description's
/// order, sets the members the schema fixes and leaves the others unset, so that adding an
/// optional member to the description keeps callers compiling. A member that is a union (or
/// a list of one) takes what converts into it (`new("Say hi")` for a union with a string
/// shape); see [`TypeQueries::member_argument_converts`].
fn constructor(name: &str, s: &Struct, types: &[TypeDef]) -> String {
    let mut params = Vec::new();
    let mut values = Vec::new();
    for field in &s.fields {
        let member = &field.rust_name;
        if let Some(value) = fixed_value_text(field, Scope::Types) {
            values.push(format!("{member}: {value}"));
            continue;
        }
        match field.presence {
            Presence::Required if types.member_argument_converts(&field.ty) => {
                let arg = argument(&ident(member), &field.ty, types, Scope::Types);
                params.push(format!("{member}: {}", arg.ty_text));
                values.push(format!("{member}: {}", arg.convert_text));
            }
            Presence::Required | Presence::RequiredNullable => {
                let ty = field_type_text(&field.ty, field.presence, Scope::Types);
                params.push(format!("{member}: {ty}"));
                values.push(member.clone());
            }
            Presence::Optional | Presence::OptionalNullable => {
                values.push(format!("{member}: None"));
            }
        }
    }
    values.push(format!("{}: serde_json::Map::new()", s.extra_field));
    let docs = if s.fields.iter().any(|field| field.fixed.is_some()) {
        "A value with the required members (those the schema fixes set to their one value); the optional ones are unset."
    } else {
        "A value with the required members; the optional ones are unset."
    };
    let mut out = format!("impl {name} {{\n    /// {docs}\n");
    if many_arguments(params.len()) {
        out.push_str("    #[allow(clippy::too_many_arguments)]\n");
    }
    out.push_str("    #[inline]\n");
    let signature = format!("    pub fn new({}) -> Self {{", params.join(", "));
    if signature.len() <= MARGIN {
        out.push_str(&signature);
        out.push('\n');
    } else {
        out.push_str("    pub fn new(\n");
        for param in &params {
            let _ = writeln!(out, "        {param},");
        }
        out.push_str("    ) -> Self {\n");
    }
    out.push_str("        Self {\n");
    for value in &values {
        let _ = writeln!(out, "            {value},");
    }
    out.push_str("        }\n    }\n}\n");
    out
}

/// A member: its docs (the description's, then what its presence and access mean, then its
/// JSON name when the Rust one differs), then `pub name: Type,`.
fn push_field(out: &mut String, field: &Field) {
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
    out.push_str(&doc_comment_text(
        [field.docs.as_deref(), presence, access],
        "    ",
    ));
    if naming::unraw(&field.rust_name) != field.wire_name {
        // A line break in the name would end the comment.
        let wire = field.wire_name.replace(['\n', '\r'], " ");
        let _ = writeln!(out, "    ///\n    /// JSON name: `{wire}`.");
    }
    if field.deprecated {
        out.push_str("    #[deprecated(note = \"deprecated by the API description\")]\n");
    }
    push_typed_line(
        out,
        4,
        &format!("pub {}: ", field.rust_name),
        &field_type_text(&field.ty, field.presence, Scope::Types),
        ",",
    );
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

/// `From` each variant's value the IR lets convert (a boxed one from what the box holds),
/// and from `&str` into the string variant: one impl each.
fn conversions<'a>(name: &'a str, union: &'a Union) -> impl Iterator<Item = String> + 'a {
    let from_variants = union
        .variants
        .iter()
        .filter(|variant| variant.from)
        .map(move |variant| {
            let (ty, value) = match &variant.ty {
                TypeRef::Boxed(inner) => (type_text(inner, Scope::Types), "Box::new(value)"),
                other => (type_text(other, Scope::Types), "value"),
            };
            from_impl(name, &ty, &format!("Self::{}({value})", variant.rust_name))
        });
    let from_str = union
        .from_str
        .as_deref()
        .map(move |variant| from_impl(name, "&str", &format!("Self::{variant}(value.to_owned())")));
    from_variants.chain(from_str)
}

/// `impl From<ty> for name` whose `from` returns `value`.
fn from_impl(name: &str, ty: &str, value: &str) -> String {
    format!(
        "impl From<{ty}> for {name} {{\n    #[inline]\n    fn from(value: {ty}) -> Self {{\n        {value}\n    }}\n}}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `unknown_members!(Name.extra);` reads as prettyplease prints the call, at every length
    /// of the name from short to past the margin.
    #[test]
    fn unknown_members_is_laid_out_as_prettyplease_prints_it() {
        for length in 1..100 {
            let name = format!("N{}", "n".repeat(length));
            let tokens: TokenStream = format!("unknown_members!({name}.extra);")
                .parse()
                .expect("tokens");
            let printed = prettyplease::unparse(&syn::parse2(tokens).expect("parses"));
            assert_eq!(unknown_members(&name, "extra"), printed, "{length}");
        }
    }
}
