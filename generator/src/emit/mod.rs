//! Stage 3, emit: the IR as Rust token streams, one per module of the generated crate, and
//! the crate's manifest. Nothing here is formatted or written; see `render` and `write`.

mod cli;
mod client;
mod docs;
mod examples;
pub mod imports;
pub mod laid_out;
mod operations;
mod prose;
mod readme;
pub(crate) mod rust;
mod serde_impls;
mod types;
mod webhooks;

use std::fmt::Write;

use proc_macro2::TokenStream;
use quote::quote;

pub use imports::{Imports, Vocabulary};
pub use rust::{cfg_text, cfg_tokens};

use crate::ir::{Api, RuntimeDependency, TypeDef, TypeModule};
use crate::runtime;

/// One file of the generated crate, before formatting.
pub struct Module<'a> {
    /// Path inside the crate, e.g. `src/types.rs`.
    pub path: String,
    pub source: Source<'a>,
    /// The names its code may use unqualified: `render` imports those it uses.
    pub vocabulary: &'static Vocabulary,
}

/// How a module's code is made. Nothing is made until `render` asks, so that only the files
/// being formatted are ever held as tokens (a whole API's tokens run to hundreds of megabytes).
pub enum Source<'a> {
    /// The whole file as one token stream.
    Tokens(Box<dyn FnOnce() -> TokenStream + Send + 'a>),
    /// A file of independent items, each made on its own: `render` formats them in chunks, in
    /// parallel, and drops each chunk's tokens once it is text.
    Items(Items<'a>),
}

/// The items of a module and its head.
pub struct Items<'a> {
    pub count: usize,
    pub item: MakeItem<'a>,
    pub head: MakeHead<'a>,
}

/// Makes item `index` (one or more pieces of code).
pub type MakeItem<'a> = Box<dyn Fn(usize) -> Vec<Item> + Send + Sync + 'a>;

/// Makes the module's docs and inner attributes (`render` adds the `use` items its items
/// need).
pub type MakeHead<'a> = Box<dyn FnOnce() -> TokenStream + Send + Sync + 'a>;

/// A piece of code of a module and the features that compile it.
pub struct Item {
    pub code: Code,
    /// `render` puts `#[cfg(...)]` on each Rust item of the code when this is not empty.
    pub gate: Vec<String>,
}

impl Item {
    pub fn new(code: impl Into<Code>, gate: &[String]) -> Self {
        Item {
            code: code.into(),
            gate: gate.to_vec(),
        }
    }
}

/// Code as an emitter writes it.
pub enum Code {
    /// Tokens, which `render` formats with prettyplease.
    Tokens(TokenStream),
    /// Text already laid out, which `render` reads for the names it uses and keeps as it
    /// is: macro invocations, one line per member, which prettyplease would run together.
    Text(String),
    /// Text laid out as prettyplease prints the same code, which saves making, parsing and
    /// printing tokens for shapes a whole API repeats thousands of times (a constructor, a
    /// `From` impl). Where a line would pass prettyplease's margin, the emitter does not
    /// break it: `render` formats that piece with prettyplease instead. A debug build checks
    /// every such piece against prettyplease.
    Printed(String),
}

impl From<TokenStream> for Code {
    fn from(tokens: TokenStream) -> Self {
        Code::Tokens(tokens)
    }
}

impl<'a> Source<'a> {
    fn tokens(make: impl FnOnce() -> TokenStream + Send + 'a) -> Self {
        Source::Tokens(Box::new(make))
    }
}

/// Everything generated from the IR (the runtime files are added by `render`).
pub struct Emitted<'a> {
    /// `Cargo.toml`, without its header.
    pub manifest: String,
    /// `README.md`, without its header: the crate's docs too.
    pub readme: String,
    pub modules: Vec<Module<'a>>,
    /// Whether the runtime's source goes into the crate.
    pub vendor_runtime: bool,
}

/// The crate's manifest and a recipe for each of its modules, borrowing `api`.
pub fn emit(api: &Api) -> Emitted<'_> {
    let mut emitted = Emitted {
        manifest: manifest(api),
        readme: readme::readme(api),
        modules: vec![
            Module {
                path: "src/lib.rs".to_owned(),
                source: Source::tokens(move || lib(api)),
                vocabulary: Vocabulary::none(),
            },
            Module {
                path: "src/client.rs".to_owned(),
                source: Source::tokens(move || client::client_module(api)),
                vocabulary: Vocabulary::library(),
            },
            Module {
                path: "src/resources.rs".to_owned(),
                source: Source::tokens(move || client::resources_module(api)),
                vocabulary: Vocabulary::library(),
            },
        ],
        vendor_runtime: api.runtime == RuntimeDependency::Vendored,
    };
    emitted.modules.extend(operations::modules(api));
    emitted.modules.extend(serde_impls::modules(api));
    emitted.modules.extend(types::modules(api));
    emitted.modules.extend(cli::modules(api));
    if let Some(hooks) = &api.webhooks {
        emitted.modules.push(Module {
            path: "src/webhooks.rs".to_owned(),
            source: Source::tokens(move || webhooks::module(api, hooks)),
            vocabulary: Vocabulary::none(),
        });
    }
    emitted
}

/// A module of items made per type: `src/{name}.rs` when the IR keeps the types in one file,
/// else `src/{name}/mod.rs`, which declares (and, if `reexport`, re-exports) a file per
/// [`TypeModule`], each compiled only with its feature. `items` makes a file's items and head.
fn split_modules<'a>(
    api: &'a Api,
    name: &str,
    reexport: bool,
    index_docs: fn() -> TokenStream,
    vocabulary: &'static Vocabulary,
    items: impl Fn(Option<&'a TypeModule>) -> Items<'a>,
) -> Vec<Module<'a>> {
    if api.type_modules.is_empty() {
        return vec![Module {
            path: format!("src/{name}.rs"),
            source: Source::Items(items(None)),
            vocabulary,
        }];
    }
    let mut modules = vec![Module {
        path: format!("src/{name}/mod.rs"),
        source: Source::tokens(move || {
            let docs = index_docs();
            let declarations = declarations(
                api.type_modules
                    .iter()
                    .map(|module| (module.name.as_str(), &module.gate[..])),
                reexport,
            );
            quote! {
                #docs
                #declarations
            }
        }),
        vocabulary: Vocabulary::none(),
    }];
    for module in &api.type_modules {
        modules.push(Module {
            path: format!("src/{name}/{}.rs", crate::ir::naming::unraw(&module.name)),
            source: Source::Items(items(Some(module))),
            vocabulary,
        });
    }
    modules
}

/// `mod name;` for each file of a split module, under its gate, and `pub use name::*;` when
/// `reexport` (the files' items are the module's).
fn declarations<'a>(
    modules: impl Iterator<Item = (&'a str, &'a [String])>,
    reexport: bool,
) -> TokenStream {
    let declarations = modules.map(|(name, gate)| {
        let cfg = cfg_tokens(gate);
        let name = rust::ident(name);
        let reexport = reexport.then(|| quote!(#cfg pub use #name::*;));
        quote! {
            #cfg
            mod #name;
            #reexport
        }
    });
    quote!(#(#declarations)*)
}

/// How many types a file of types holds (all of them when the types are one file).
fn type_count(api: &Api, module: Option<&TypeModule>) -> usize {
    module.map_or(api.types.len(), |module| module.types.len())
}

/// The `index`th type of a file of types, and the gate its items carry themselves.
fn type_in<'a>(
    api: &'a Api,
    module: Option<&TypeModule>,
    index: usize,
) -> (&'a TypeDef, &'a [String]) {
    match module {
        Some(module) => {
            let def = &api.types[module.types[index]];
            (def, module.item_gate(def))
        }
        None => (&api.types[index], &api.types[index].gate),
    }
}

/// What the README's programs need besides the crate: an async runtime for `main`.
const DEV_DEPENDENCIES: &str =
    "[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n";

fn manifest(api: &Api) -> String {
    let description = format!(
        "Typed async client for {}, generated from its OpenAPI description.",
        api.title
    );
    let license = api
        .crate_license
        .as_deref()
        .map_or(String::new(), |license| {
            format!("license = {}\n", toml_string(license))
        });
    format!(
        "[package]\nname = {name}\nversion = {version}\nedition = \"2021\"\nrust-version = \"1.80\"\ndescription = {description}\nreadme = \"README.md\"\n{license}\n{dependencies}\n{dev_dependencies}{cli}",
        dev_dependencies = DEV_DEPENDENCIES,
        name = toml_string(&api.crate_name),
        version = toml_string(&api.crate_version),
        description = toml_string(&description),
        dependencies = dependencies(api),
        cli = cli::manifest_entries(api),
    )
}

/// The `[dependencies]` and `[features]` tables: the runtime crate at the exact version this
/// generator embeds (generated code uses its hooks), or, vendored, the runtime's own; then the
/// API's features, those of its operations on by default, which the command-line tool needs.
/// The `webhooks` feature enables the runtime's.
fn dependencies(api: &Api) -> String {
    let cli_comment =
        "# The command-line tool (`src/bin/cli`); off by default, so that the library does not pull in clap.\n";
    let names: Vec<String> = api
        .features
        .iter()
        .filter(|feature| feature.default)
        .map(|feature| toml_string(&feature.name))
        .collect();
    // On by default: the API's parts, and the runtime's default TLS stack.
    let defaults: Vec<String> = names
        .iter()
        .cloned()
        .chain(runtime::default_features().into_iter().map(str::to_owned))
        .collect();
    let tls_comment = prose::comment_lines(
        &format!(
            "The TLS stack, one of: {}.",
            runtime::tls_features_described()
        ),
        100,
    );
    let vendored = api.runtime == RuntimeDependency::Vendored;
    // The runtime's features (the vendored copy's `name = [items]` lines), by name.
    let runtime_features: Vec<(String, String)> = match vendored {
        true => runtime::features()
            .lines()
            .filter_map(|line| line.split_once(" = ["))
            .map(|(name, items)| (name.to_owned(), items.trim_end_matches(']').to_owned()))
            .collect(),
        false => Vec::new(),
    };
    // What an API feature enables of the runtime: its feature of the same name.
    let runtime_part = |name: &str| -> Option<String> {
        match vendored {
            true => runtime_features
                .iter()
                .find(|(feature, _)| feature == name)
                .map(|(_, items)| items.clone()),
            false => (name == crate::ir::features::WEBHOOKS && api.webhooks.is_some())
                .then(|| toml_string(&format!("{}/{name}", runtime::PACKAGE))),
        }
    };
    let mut api_features = String::new();
    if !api.features.is_empty() {
        api_features.push_str(
            "# One feature per part of the API: its operations and the types they use. Turn off the\n# default features and name the parts an application needs (and a TLS stack) to compile only\n# those.\n",
        );
    }
    api_features.push_str(&toml_array("default", &defaults));
    for feature in &api.features {
        let enables = runtime_part(&feature.name).unwrap_or_default();
        let _ = writeln!(
            api_features,
            "# {}\n{} = [{enables}]",
            feature.docs, feature.name
        );
    }
    // The command-line tool calls every operation: it needs every default feature.
    let cli =
        |runtime_items: Vec<String>| toml_array("cli", &[runtime_items, names.clone()].concat());
    let source = match &api.runtime {
        RuntimeDependency::Vendored => {
            // The runtime's own lines: `cli`, needing the API's features as well (its comment
            // speaks of the runtime, ours of the crate), and those no API feature took (its
            // default is the crate's).
            let is_tls = |name: &str| runtime::TLS_FEATURES.iter().any(|(tls, _)| *tls == name);
            let line = |(name, items): &(String, String)| match name.as_str() {
                "cli" => cli(items.split(", ").map(str::to_owned).collect()),
                _ => format!("{name} = [{items}]\n"),
            };
            let own = runtime_features
                .iter()
                .filter(|(name, _)| !api.features.iter().any(|f| f.name == *name))
                .filter(|(name, _)| name != "default");
            let tls: String = own
                .clone()
                .filter(|(name, _)| is_tls(name))
                .map(line)
                .collect();
            let rest: String = own.filter(|(name, _)| !is_tls(name)).map(line).collect();
            return format!(
                "{}\n[features]\n{api_features}{tls_comment}{tls}{cli_comment}{rest}",
                runtime::dependencies().trim_end()
            );
        }
        RuntimeDependency::Registry => String::new(),
        RuntimeDependency::Path(path) => format!(", path = {}", toml_string(path)),
    };
    let tls: String = runtime::TLS_FEATURES
        .iter()
        .map(|(name, _)| {
            let runtime_feature = toml_string(&format!("{}/{name}", runtime::PACKAGE));
            format!("{name} = [{runtime_feature}]\n")
        })
        .collect();
    format!(
        "[dependencies]\n{package} = {{ version = \"={version}\"{source}, default-features = false }}\nserde = \"1\"\nserde_json = \"1\"\n\n[features]\n{api_features}{tls_comment}{tls}{cli_comment}{cli}",
        package = runtime::PACKAGE,
        version = runtime::version(),
        cli = cli(vec![toml_string(&format!("{}/cli", runtime::PACKAGE))]),
    )
}

/// `key = [items]` on one line when it fits in 100 columns, else one item per line (so that
/// adding a feature is a one-line diff).
fn toml_array(key: &str, items: &[String]) -> String {
    let line = format!("{key} = [{}]\n", items.join(", "));
    if line.len() <= 101 {
        return line;
    }
    let mut out = format!("{key} = [\n");
    for item in items {
        let _ = writeln!(out, "    {item},");
    }
    out.push_str("]\n");
    out
}

fn toml_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn lib(api: &Api) -> TokenStream {
    let public = runtime::reexports().iter().map(|name| rust::ident(name));
    // `types` and `serde_impls` call the runtime's macros from the crate root, where a vendored
    // runtime's `#[macro_export]` puts them, and which the macros reach through `__private`.
    let macros = runtime::exported_macros()
        .iter()
        .map(|name| rust::ident(name));
    let runtime = match api.runtime {
        // No `#[rustfmt::skip]`: the runtime's source is rustfmt's already, and an attribute
        // that is not built in would make its exported macros count as macro-expanded.
        RuntimeDependency::Vendored => quote! {
            #[doc(hidden)]
            pub mod runtime;
            #[doc(hidden)]
            pub use runtime::__private;
        },
        RuntimeDependency::Registry | RuntimeDependency::Path(_) => {
            let package = rust::ident(&runtime::PACKAGE.replace('-', "_"));
            quote! {
                #[rustfmt::skip]
                #[doc(hidden)]
                pub use #package as runtime;
                #[rustfmt::skip]
                #[doc(hidden)]
                pub use runtime::{#(#macros),*};
            }
        }
    };
    // The command-line tool, a crate of its own, names credentials through these.
    let credentials = match api.credentials.is_empty() {
        true => TokenStream::new(),
        false => quote! {
            #[rustfmt::skip]
            #[doc(hidden)]
            pub use client::credentials;
        },
    };
    let webhooks = api.webhooks.as_ref().map(|webhooks| {
        let cfg = cfg_tokens(&webhooks.gate);
        quote! {
            #cfg
            #[rustfmt::skip]
            pub mod webhooks;
        }
    });
    quote! {
        // The README is the crate's docs: one page, on docs.rs and crates.io alike, whose
        // examples `cargo test --doc` compiles.
        #![doc = include_str!("../README.md")]
        #![forbid(unsafe_code)]
        // Names and shapes are the API's: a member called `foo` is not a placeholder, a setter
        // called `add` is not `std::ops::Add`, and a map of maps is what the description says.
        #![allow(clippy::disallowed_names)]
        #![allow(clippy::should_implement_trait)]
        #![allow(clippy::type_complexity)]

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        pub mod resources;
        #[rustfmt::skip]
        mod serde_impls;
        #runtime
        #[rustfmt::skip]
        pub mod types;
        #webhooks

        #[rustfmt::skip]
        pub use client::{Client, ClientBuilder};
        #credentials
        #[rustfmt::skip]
        pub use runtime::{#(#public),*};
    }
}
