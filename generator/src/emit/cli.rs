//! The command-line tool of the generated crate: a binary behind the default-off `cli`
//! feature that calls the generated client.
//!
//! Two files under `src/bin/cli/`: `main.rs` (the entry point) and `commands.rs` (this API as
//! data: a group per resource, a command per operation, a flag per parameter or body field,
//! and the `run` function that calls each operation's builder). The part that knows no API
//! (clap built from those tables, values from files or stdin, output, exit codes) is the
//! runtime's `cli` module.
//!
//! Naming follows the client: `client.admin().organization().certificates().create(..)` is
//! `admin:organization:certificates create`; flags are the builder's argument and setter
//! names in kebab-case.

use std::collections::BTreeSet;

use heck::{ToKebabCase, ToShoutySnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::operations::endpoint_line;
use super::prose::{append, first_sentence, one_line, plain, reflow, strip_period};
use super::rust::{
    allow_deprecated_uses, find_type, ident, is_enum, mentions_named, option_str, resolve_alias,
    type_tokens, Scope,
};
use super::{Module, Source};
use crate::ir::naming::unraw;
use crate::ir::CredentialScheme;
use crate::ir::{
    Api, Input, InputRole, InputTarget, IntegerKind, NumberKind, Operation, OperationModule,
    ParamLocation, Presence, Resource, ResourceMethod, ResponseKind, TypeDef, TypeKind, TypeRef,
};
use crate::runtime;

/// Width of wrapped help text; clap indents an argument's long help by 10 more columns.
const ABOUT_WIDTH: usize = 80;
const ARG_HELP_WIDTH: usize = 70;

/// The manifest's `[[bin]]` table for the tool.
pub fn manifest_entries(api: &Api) -> String {
    format!(
        "\n[[bin]]\nname = \"{}\"\npath = \"src/bin/cli/main.rs\"\nrequired-features = [\"cli\"]\n",
        api.crate_name
    )
}

/// The tool's modules.
pub fn modules(api: &Api) -> Vec<Module<'_>> {
    vec![Module {
        path: "src/bin/cli/main.rs".to_owned(),
        source: Source::Tokens(Box::new(move || main_module(api))),
    }]
    .into_iter()
    .chain(commands_modules(api))
    .collect()
}

fn main_module(api: &Api) -> TokenStream {
    let doc = format!(
        " `{}`: the command-line tool of this crate (feature `cli`), generated from the same description as the client, which it calls.",
        api.crate_name
    );
    let sdk = ident(&api.crate_name.replace('-', "_"));
    quote! {
        #![doc = #doc]

        #[rustfmt::skip]
        mod commands;

        fn main() -> std::process::ExitCode {
            #sdk::runtime::cli::main(&commands::API, commands::run)
        }
    }
}

/// Methods of a resource (all of them, or those of one file) and the chain of accessors
/// leading to it.
type Chain<'a> = (Vec<&'a Resource>, Vec<&'a ResourceMethod>);

/// The code of some resources' commands: their table entries and the arms that call them.
struct Groups {
    /// `Group { ... },` for each resource.
    table: Vec<TokenStream>,
    /// `("group", "command") => { ... }` for each operation.
    arms: Vec<TokenStream>,
    /// Whether an arm prints a result.
    prints: bool,
    /// Whether an arm names a type of the crate's `types` module.
    uses_types: bool,
    /// Whether a command has a flag.
    has_args: bool,
}

/// A resource's command group: its accessors in kebab-case, `admin:organization:certificates`.
fn group_name(chain: &[&Resource]) -> String {
    chain
        .iter()
        .map(|r| kebab(unraw(&r.accessor)))
        .collect::<Vec<_>>()
        .join(":")
}

fn groups(api: &Api, chains: &[Chain<'_>]) -> Groups {
    let mut out = Groups {
        table: Vec::new(),
        arms: Vec::new(),
        prints: false,
        uses_types: false,
        has_args: false,
    };
    for (chain, methods) in chains {
        let group_name = group_name(chain);
        let accessors: Vec<_> = chain.iter().map(|r| ident(&r.accessor)).collect();
        let mut commands = Vec::new();
        let mut names = Vec::new();
        for method in methods {
            let operation = &api.operations[method.operation];
            out.has_args |= !operation.inputs.is_empty();
            let command_name = kebab(unraw(&method.name));
            names.push(command_name.clone());
            let emitted = command(api, operation, &command_name);
            commands.push(emitted.table);
            let setup = emitted.setup;
            let method = ident(&method.name);
            let args = emitted.constructor_args;
            let binding = if setup.is_empty() {
                quote!(let request)
            } else {
                quote!(let mut request)
            };
            let finish = emitted.finish;
            out.prints |= emitted.prints;
            out.uses_types |= emitted.uses_types;
            out.arms.push(quote! {
                (#group_name, #command_name) => {
                    #binding = client #(.#accessors())* .#method(#(#args),*);
                    #(#setup)*
                    #finish
                }
            });
        }
        let about = format!("Operations: {}", names.join(", "));
        out.table.push(quote! {
            Group {
                name: #group_name,
                about: #about,
                commands: &[#(#commands),*],
            },
        });
    }
    out
}

/// The resources with operations, by file of the tool: all in `commands.rs`, or, when the
/// crate's operations are split by feature, a file per feature, as `operations` is. A
/// resource goes in the file of its first operation's feature, except the client's own
/// operations (top-level commands), which go each in its feature's file.
fn command_files(api: &Api) -> Vec<(Option<String>, Vec<Chain<'_>>)> {
    let mut chains = Vec::new();
    collect_groups(&api.client, &mut Vec::new(), &mut chains);
    if api.operation_modules.is_empty() {
        return vec![(None, chains)];
    }
    let mut module_of = vec![0; api.operations.len()];
    for (index, module) in api.operation_modules.iter().enumerate() {
        for &operation in &module.operations {
            module_of[operation] = index;
        }
    }
    let mut files: Vec<Vec<Chain<'_>>> = vec![Vec::new(); api.operation_modules.len()];
    for (chain, methods) in chains {
        if chain.is_empty() {
            for method in methods {
                let file = &mut files[module_of[method.operation]];
                match file.iter_mut().find(|(chain, _)| chain.is_empty()) {
                    Some((_, own)) => own.push(method),
                    None => file.push((Vec::new(), vec![method])),
                }
            }
        } else if let Some(first) = methods.first() {
            files[module_of[first.operation]].push((chain, methods));
        }
    }
    api.operation_modules
        .iter()
        .zip(files)
        .filter(|(_, chains)| !chains.is_empty())
        .map(|(module, chains)| (Some(module.name.clone()), chains))
        .collect()
}

/// `commands.rs`, or `commands/mod.rs` and a file per feature.
fn commands_modules(api: &Api) -> Vec<Module<'_>> {
    let files = command_files(api);
    if files.len() == 1 && files[0].0.is_none() {
        return vec![Module {
            path: "src/bin/cli/commands.rs".to_owned(),
            source: Source::Tokens(Box::new(move || commands_module(api, &files[0].1))),
        }];
    }
    // Each module's recipe reads the same split.
    let files = std::sync::Arc::new(files);
    let index = std::sync::Arc::clone(&files);
    let mut modules = vec![Module {
        path: "src/bin/cli/commands/mod.rs".to_owned(),
        source: Source::Tokens(Box::new(move || commands_index(api, &index))),
    }];
    for at in 0..files.len() {
        let Some(name) = files[at].0.as_deref() else {
            continue;
        };
        let Some(module) = api.operation_modules.iter().find(|m| m.name == name) else {
            continue;
        };
        let files = std::sync::Arc::clone(&files);
        modules.push(Module {
            path: format!("src/bin/cli/commands/{}.rs", unraw(name)),
            source: Source::Tokens(Box::new(move || commands_file(api, module, &files[at].1))),
        });
    }
    modules
}

/// `pub static API`, its fields but the groups.
fn api_static(api: &Api, groups: TokenStream) -> TokenStream {
    let crate_name = &api.crate_name;
    let about = format!("Command-line client for {}", api.title.trim());
    let long_about = reflow(
        &plain(
            &[Some(about.as_str()), api.description.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n\n"),
        ),
        ABOUT_WIDTH,
    );
    let credentials = api.credentials.iter().map(|credential| {
        let index = format_ident!("{}", credential.const_name());
        let flag = kebab(&credential.setter);
        let value_name = if credential.scheme == CredentialScheme::Basic {
            "USER:PASSWORD".to_owned()
        } else {
            flag.to_shouty_snake_case()
        };
        // A basic credential's variable holds only the user: the flag takes `USER:PASSWORD`.
        let env = match credential.scheme {
            CredentialScheme::Basic => option_str(None),
            _ => option_str(credential.env.as_deref()),
        };
        let help = credential
            .description
            .as_deref()
            .map(|d| plain(&first_sentence(d)))
            .unwrap_or_else(|| format!("Credential of security scheme {}", credential.scheme_name));
        quote! {
            Credential {
                flag: #flag,
                value_name: #value_name,
                env: #env,
                help: #help,
                index: sdk::credentials::#index,
            }
        }
    });
    quote! {
        /// The API as the tool's global flags see it.
        pub static API: Api = Api {
            name: #crate_name,
            version: env!("CARGO_PKG_VERSION"),
            about: #about,
            long_about: #long_about,
            settings: Client::SETTINGS,
            credentials: &[#(#credentials),*],
            groups: #groups,
        };
    }
}

/// The body of a `run` that matches `(group, command)` against `arms`.
fn run_body(arms: &[TokenStream]) -> TokenStream {
    let unknown = quote!(Err(Failure::Usage(format!(
        "unknown command: {group} {command}"
    ))));
    // An API without operations (only webhooks or types) has no command to match.
    if arms.is_empty() {
        quote! {
            let (group, command) = (call.group(), call.command());
            #unknown
        }
    } else {
        quote! {
            match (call.group(), call.command()) {
                #(#arms)*
                (group, command) => #unknown,
            }
        }
    }
}

/// The `runtime::cli` items a file of commands uses, sorted.
fn cli_imports(items: &[&str]) -> TokenStream {
    let mut items = items.to_vec();
    items.sort_unstable();
    let items = items.into_iter().map(ident);
    quote!(use sdk::runtime::cli::{#(#items),*};)
}

/// The items of `Groups` a file imports.
fn group_imports(code: &Groups) -> Vec<&'static str> {
    let mut items = vec!["Call", "Failure", "Group", "Printer"];
    if !code.arms.is_empty() {
        items.push("Command");
    }
    if code.has_args {
        items.extend(["Arg", "Kind"]);
    }
    items
}

/// The parameters of a `run` over `code`: unused ones are named `_`.
fn run_params(code: &Groups) -> (TokenStream, TokenStream) {
    let client = if code.arms.is_empty() {
        quote!(_client)
    } else {
        quote!(client)
    };
    let printer = if code.prints {
        quote!(mut printer)
    } else {
        quote!(_printer)
    };
    (client, printer)
}

/// The whole tool in one file.
fn commands_module(api: &Api, chains: &[Chain<'_>]) -> TokenStream {
    let sdk = ident(&api.crate_name.replace('-', "_"));
    let code = groups(api, chains);
    let mut items = group_imports(&code);
    items.push("Api");
    if !api.credentials.is_empty() {
        items.push("Credential");
    }
    let imports = cli_imports(&items);
    // An enum is passed as text, a named alias or a JSON value by its type.
    let types_import = code.uses_types.then(|| {
        quote!(
            use sdk::types;
        )
    });
    let allow_deprecated = allow_deprecated_uses(api);
    let api_static = api_static(api, quote!(&[GROUPS]));
    let (client, printer) = run_params(&code);
    let run_body = run_body(&code.arms);
    let table = &code.table;
    quote! {
        //! This API as commands: a group per resource, a command per operation, a flag per
        //! parameter or body field; `run` calls the operation's builder with the flags given.
        #allow_deprecated

        pub use #sdk as sdk;

        #imports
        #types_import
        use sdk::Client;

        #api_static

        /// Calls the operation of `group command` with the flags of `call`, and prints its result.
        pub async fn run(#client: Client, call: Call, #printer: Printer) -> Result<(), Failure> {
            #run_body
        }

        static GROUPS: &[Group] = &[#(#table)*];
    }
}

/// `commands/mod.rs`: the API's table, made of each file's groups, and `run`, which hands a
/// command to the file of its group.
fn commands_index(api: &Api, files: &[(Option<String>, Vec<Chain<'_>>)]) -> TokenStream {
    let sdk = ident(&api.crate_name.replace('-', "_"));
    let mut items = vec!["Api", "Call", "Failure", "Printer"];
    if !api.credentials.is_empty() {
        items.push("Credential");
    }
    let imports = cli_imports(&items);
    let allow_deprecated = allow_deprecated_uses(api);
    let modules: Vec<_> = files
        .iter()
        .filter_map(|(name, _)| name.as_deref())
        .map(ident)
        .collect();
    let api_static = api_static(api, quote!(&[#(#modules::GROUPS),*]));
    // A group is in one file, but the client's own commands (group "") are spread over
    // several: those are told apart by command.
    let dispatch = files.iter().filter_map(|(name, chains)| {
        let module = ident(name.as_deref()?);
        let patterns: Vec<TokenStream> = chains
            .iter()
            .flat_map(|(chain, methods)| {
                if chain.is_empty() {
                    methods
                        .iter()
                        .map(|method| {
                            let command = kebab(unraw(&method.name));
                            quote!(("", #command))
                        })
                        .collect::<Vec<_>>()
                } else {
                    let group = group_name(chain);
                    vec![quote!((#group, _))]
                }
            })
            .collect();
        Some(quote!(#(#patterns)|* => #module::run(client, call, printer).await,))
    });
    quote! {
        //! This API as commands: a file per feature, each with a group per resource, a command
        //! per operation and a flag per parameter or body field, and its `run`.
        #allow_deprecated

        pub use #sdk as sdk;

        #imports
        use sdk::Client;

        #(mod #modules;)*

        #api_static

        /// Calls the operation of `group command` with the flags of `call`, and prints its result.
        pub async fn run(client: Client, call: Call, printer: Printer) -> Result<(), Failure> {
            match (call.group(), call.command()) {
                #(#dispatch)*
                (group, command) => Err(Failure::Usage(format!(
                    "unknown command: {group} {command}"
                ))),
            }
        }
    }
}

/// `commands/{name}.rs`: the groups of one feature's operations and the `run` that calls them.
fn commands_file(api: &Api, module: &OperationModule, chains: &[Chain<'_>]) -> TokenStream {
    let code = groups(api, chains);
    let imports = cli_imports(&group_imports(&code));
    let types_import = code.uses_types.then(|| {
        quote!(
            use sdk::types;
        )
    });
    let allow_deprecated = allow_deprecated_uses(api);
    let (client, printer) = run_params(&code);
    let run_body = run_body(&code.arms);
    let table = &code.table;
    let docs = format!(
        " The commands of the `{}` feature's operations.",
        module.gate.join("`, `")
    );
    quote! {
        #![doc = #docs]
        #allow_deprecated

        use super::sdk;
        #imports
        #types_import
        use sdk::Client;

        pub(super) static GROUPS: &[Group] = &[#(#table)*];

        /// Calls the operation of `group command` with the flags of `call`, and prints its result.
        pub(super) async fn run(#client: Client, call: Call, #printer: Printer) -> Result<(), Failure> {
            #run_body
        }
    }
}

/// Resources that have operations, depth first, each with the chain of accessors leading to it
/// (empty for the client itself).
fn collect_groups<'a>(
    resource: &'a Resource,
    chain: &mut Vec<&'a Resource>,
    out: &mut Vec<Chain<'a>>,
) {
    if !resource.methods.is_empty() {
        out.push((chain.clone(), resource.methods.iter().collect()));
    }
    for child in &resource.children {
        chain.push(child);
        collect_groups(child, chain, out);
        chain.pop();
    }
}

/// One command: its table entry and the code that calls it.
struct EmittedCommand {
    table: TokenStream,
    /// Arguments of the resource method, in its order.
    constructor_args: Vec<TokenStream>,
    /// Statements that apply the optional flags to `request`.
    setup: Vec<TokenStream>,
    /// Sends the request and prints the result.
    finish: TokenStream,
    /// Whether `finish` prints a result (an operation with no response body prints nothing).
    prints: bool,
    /// Whether the call names a type of the crate's `types` module.
    uses_types: bool,
}

/// The word put before a flag whose name another flag has: where the input goes.
fn flag_prefix(operation: &Operation, input: &Input) -> &'static str {
    match input.target {
        InputTarget::Param(index) => match operation.params[index].location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        },
        InputTarget::BodyField(_) => "body",
        InputTarget::Body => "request",
    }
}

/// A path parameter may also be given without its flag.
fn is_positional(operation: &Operation, input: &Input) -> bool {
    matches!(input.target, InputTarget::Param(index)
        if operation.params[index].location == ParamLocation::Path)
}

fn command(api: &Api, operation: &Operation, name: &str) -> EmittedCommand {
    // An input named like a flag of the tool's own gets a prefix.
    let mut used: BTreeSet<String> = runtime::reserved_flags().iter().cloned().collect();
    for credential in &api.credentials {
        used.insert(kebab(&credential.setter));
    }
    let mut args = Vec::new();
    let mut constructor_args = Vec::new();
    let mut setup = Vec::new();
    let mut uses_types = false;
    for input in &operation.inputs {
        let prefix = flag_prefix(operation, input);
        let positional = is_positional(operation, input);
        let flag = unique_flag(&kebab(unraw(&input.rust_name)), prefix, &mut used);
        if positional {
            used.insert(format!("{flag}-positional"));
            used.insert(format!("{flag}-or-positional"));
        }
        let flag = &flag;
        let value = value_of(&api.types, input, flag);
        let value_name = flag.to_shouty_snake_case();
        let (mut help, long_help) = help_texts(input.docs.as_deref());
        let required_flag = match input.presence {
            Presence::Required => true,
            Presence::RequiredNullable => {
                help = append(&help, "(null when omitted)");
                false
            }
            Presence::Optional | Presence::OptionalNullable => false,
        };
        let kind = &value.kind;
        let mut fields = vec![quote!(name: #flag), quote!(value_name: #value_name)];
        if !help.is_empty() {
            fields.push(quote!(help: #help));
        }
        if !long_help.is_empty() {
            fields.push(quote!(long_help: #long_help));
        }
        fields.push(quote!(kind: #kind));
        if required_flag {
            fields.push(quote!(required: true));
        }
        if positional {
            fields.push(quote!(positional: true));
        }
        if value.repeated {
            fields.push(quote!(repeated: true));
        }
        args.push(quote!(Arg { #(#fields,)* ..Arg::DEFAULT }));

        if input.role == InputRole::Argument {
            if input.presence == Presence::RequiredNullable {
                uses_types |= value.exact_names_type;
                constructor_args.push(value.optional_exact);
            } else {
                uses_types |= value.names_type;
                constructor_args.push(value.required_arg);
            }
        } else {
            uses_types |= value.names_type;
            let setter = ident(&input.rust_name);
            let getter = value.optional;
            let converted = value.converted;
            setup.push(quote! {
                if let Some(value) = #getter {
                    request = request.#setter(#converted);
                }
            });
            if let InputRole::NullableSetter { null_setter } = &input.role {
                let null_flag = unique_flag(&format!("{flag}-null"), prefix, &mut used);
                let null_value_name = null_flag.to_shouty_snake_case();
                let help = format!("Send {flag} as null");
                args.push(quote!(Arg {
                    name: #null_flag,
                    value_name: #null_value_name,
                    help: #help,
                    kind: Kind::Null(#flag),
                    ..Arg::DEFAULT
                }));
                let null_setter = ident(null_setter);
                setup.push(quote! {
                    if call.flag(#null_flag) {
                        request = request.#null_setter();
                    }
                });
            }
        }
    }

    let (about, long_about) = command_texts(operation);
    let paginated = operation.pagination.is_some();
    let finish = if paginated {
        quote!(printer.items(request.into_stream(), call.max_items()).await)
    } else {
        match &operation.response {
            ResponseKind::Json(_) => quote!(printer.value(&request.send().await?)),
            ResponseKind::Bytes => quote!(printer.bytes(&request.send().await?)),
            ResponseKind::Text => quote!(printer.bytes(request.send().await?.as_bytes())),
            ResponseKind::EventStream(_) => {
                quote!(printer.items(request.send().await?, call.max_items()).await)
            }
            ResponseKind::Empty => quote! {
                request.send().await?;
                Ok(())
            },
        }
    };
    EmittedCommand {
        table: quote! {
            Command {
                name: #name,
                about: #about,
                long_about: #long_about,
                args: &[#(#args),*],
                paginated: #paginated,
            }
        },
        constructor_args,
        setup,
        finish,
        prints: paginated || operation.response != ResponseKind::Empty,
        uses_types,
    }
}

/// `base`, or `prefix-base` (then numbered) when another flag has the name.
fn unique_flag(base: &str, prefix: &str, used: &mut BTreeSet<String>) -> String {
    let mut candidate = base.to_owned();
    if used.contains(&candidate) {
        candidate = format!("{prefix}-{base}");
    }
    let mut number = 2;
    while used.contains(&candidate) {
        candidate = format!("{prefix}-{base}-{number}");
        number += 1;
    }
    used.insert(candidate.clone());
    candidate
}

/// How the tool reads an input and hands it to the builder.
struct Value {
    /// The `Kind` in the table.
    kind: TokenStream,
    repeated: bool,
    /// The value for a resource method argument (required input).
    required_arg: TokenStream,
    /// `Option<value as read>` for a setter.
    optional: TokenStream,
    /// `value` (bound from `optional`) as the setter takes it.
    converted: TokenStream,
    /// `Option<T>` exactly, for a required nullable body field.
    optional_exact: TokenStream,
    /// Whether `required_arg`, `optional` or `converted` names a type of `types`.
    names_type: bool,
    /// Whether `optional_exact` does.
    exact_names_type: bool,
}

fn value_of(types: &[TypeDef], input: &Input, name: &str) -> Value {
    let ty = &input.ty;
    // Body fields and bodies also read files and stdin.
    let text = !matches!(input.target, InputTarget::Param(_));
    // A named alias is a `type` alias, so the value as read is already of its type; an enum
    // is read as text, which the builder's `impl Into<_>` converts, but an exact `Option<_>`
    // needs the conversion spelled out.
    if let Some((kind, raw)) = scalar(types, ty, text) {
        let exact_names_type = is_enum(types, ty);
        let optional_exact = if exact_names_type {
            let exact = type_tokens(ty, Scope::Outside);
            quote!(call.get::<#raw>(#name).map(<#exact>::from))
        } else {
            quote!(call.get::<#raw>(#name))
        };
        return Value {
            kind,
            repeated: false,
            required_arg: convert(types, ty, quote!(call.required::<#raw>(#name)?)),
            optional: quote!(call.get::<#raw>(#name)),
            converted: convert(types, ty, quote!(value)),
            optional_exact,
            names_type: false,
            exact_names_type,
        };
    }
    if let TypeRef::Array(item) = ty {
        if let Some((kind, raw)) = scalar(types, item, text) {
            let exact_names_type = is_enum(types, item);
            let optional_exact = if exact_names_type {
                let exact_item = type_tokens(item, Scope::Outside);
                quote!(call.many::<#raw>(#name).map(|values| values.into_iter().map(<#exact_item>::from).collect()))
            } else {
                quote!(call.many::<#raw>(#name))
            };
            // Files are read as text and sent as bytes, one part each.
            let elements = |values: TokenStream| match resolve_alias(types, item) {
                TypeRef::File => {
                    quote!(#values.into_iter().map(|value| sdk::FilePart::bytes(value.into_bytes())))
                }
                _ => values,
            };
            return Value {
                kind,
                repeated: true,
                required_arg: elements(quote!(call.required_many::<#raw>(#name)?)),
                optional: quote!(call.many::<#raw>(#name)),
                converted: elements(quote!(value)),
                optional_exact,
                names_type: false,
                exact_names_type,
            };
        }
    }
    let exact = type_tokens(ty, Scope::Outside);
    Value {
        kind: quote!(Kind::Json),
        repeated: false,
        required_arg: quote!(call.required_json::<#exact>(#name)?),
        optional: quote!(call.json::<#exact>(#name)?),
        converted: quote!(value),
        optional_exact: quote!(call.json::<#exact>(#name)?),
        names_type: mentions_named(ty),
        exact_names_type: mentions_named(ty),
    }
}

/// A value as the builder takes it: a file's text as its bytes (an alias of a file too),
/// anything else as read (the builder takes strings and enums as `impl Into<_>`).
fn convert(types: &[TypeDef], ty: &TypeRef, value: TokenStream) -> TokenStream {
    match resolve_alias(types, ty) {
        TypeRef::File => quote!(sdk::FilePart::bytes(#value.into_bytes())),
        _ => value,
    }
}

/// The `Kind` and the Rust type clap reads for a one-value type; `None` for anything that
/// is given as JSON.
fn scalar(types: &[TypeDef], ty: &TypeRef, text: bool) -> Option<(TokenStream, TokenStream)> {
    Some(match resolve_alias(types, ty) {
        TypeRef::String | TypeRef::File if text => (quote!(Kind::Text), quote!(String)),
        TypeRef::File => (quote!(Kind::Text), quote!(String)),
        TypeRef::String => (quote!(Kind::String), quote!(String)),
        TypeRef::Boolean => (quote!(Kind::Bool), quote!(bool)),
        TypeRef::Integer(IntegerKind::I32) => (quote!(Kind::I32), quote!(i32)),
        TypeRef::Integer(IntegerKind::I64) => (quote!(Kind::I64), quote!(i64)),
        TypeRef::Number(NumberKind::F32) => (quote!(Kind::F32), quote!(f32)),
        TypeRef::Number(NumberKind::F64) => (quote!(Kind::F64), quote!(f64)),
        TypeRef::Named(name) => {
            let def = find_type(types, name)?;
            let TypeKind::Enum(variants) = &def.kind else {
                return None;
            };
            let values = variants.iter().map(|v| v.wire_value.as_str());
            (quote!(Kind::Enum(&[#(#values),*])), quote!(String))
        }
        _ => return None,
    })
}

fn kebab(name: &str) -> String {
    let kebab = name.to_kebab_case();
    if kebab.is_empty() {
        "value".to_owned()
    } else {
        kebab
    }
}

/// A command's one-line and full descriptions.
fn command_texts(operation: &Operation) -> (String, String) {
    let endpoint = endpoint_line(operation).replace('`', "");
    let mut about = operation
        .summary
        .as_deref()
        .map(|s| strip_period(&one_line(s)))
        .filter(|s| !s.is_empty())
        .or_else(|| operation.description.as_deref().map(first_sentence))
        .unwrap_or_else(|| endpoint.clone());
    if operation.deprecated {
        about = append(&about, "(deprecated)");
    }
    let deprecated = operation.deprecated.then_some("Deprecated by the API.");
    let paragraphs: Vec<&str> = [
        operation.summary.as_deref(),
        operation.description.as_deref(),
        deprecated,
        Some(endpoint.as_str()),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .filter(|p| !p.is_empty())
    .collect();
    (
        plain(&about),
        reflow(&plain(&paragraphs.join("\n\n")), ABOUT_WIDTH),
    )
}

/// An input's short help (first sentence) and long help (all of it, when that is more).
fn help_texts(docs: Option<&str>) -> (String, String) {
    let Some(docs) = docs.map(str::trim).filter(|d| !d.is_empty()) else {
        return (String::new(), String::new());
    };
    let short = plain(&first_sentence(docs));
    let long = reflow(&plain(docs), ARG_HELP_WIDTH);
    if plain(&strip_period(&one_line(docs))) == short {
        (short, String::new())
    } else {
        (short, long)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colliding_flags_get_the_location_as_prefix() {
        let mut used: BTreeSet<String> = runtime::reserved_flags().iter().cloned().collect();
        assert_eq!(unique_flag("format", "query", &mut used), "query-format");
        assert_eq!(unique_flag("name", "path", &mut used), "name");
        assert_eq!(unique_flag("name", "body", &mut used), "body-name");
        assert_eq!(unique_flag("name", "body", &mut used), "body-name-2");
    }
}
