//! The command-line tool of the generated crate: a binary behind the default-off `cli`
//! feature that calls the generated client.
//!
//! Two files under `src/bin/cli/`: `main.rs` (the entry point) and `commands.rs` (this API as
//! data: a group per resource, a command per operation, a flag per parameter or body field,
//! and the `run` function that calls each operation's builder). The part that knows no API
//! (clap built from those tables, values from files or stdin, output, exit codes) is the
//! runtime's `cli` module.
//!
//! What the commands and flags are called, and how each flag is read, is the IR's
//! (`ir::cli`); this module prints the tables and the calls.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::operations::endpoint_line;
use super::prose::{append, first_sentence, one_line, plain, reflow, strip_period};
use super::rust::{allow_deprecated_uses, ident, option_str, type_tokens, Scope};
use super::{Module, Source, Vocabulary};
use crate::ir::cli::{CliFile, Command, CommandGroup, Flag, FlagKind};
use crate::ir::naming::unraw;
use crate::ir::{
    Api, CredentialScheme, Input, InputRole, Operation, Presence, ResponseKind, TypeDef,
    TypeQueries, TypeRef,
};

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
        vocabulary: Vocabulary::none(),
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
    let sdk = ident(&api.library_name());
    quote! {
        #![doc = #doc]

        #[rustfmt::skip]
        mod commands;

        fn main() -> std::process::ExitCode {
            #sdk::runtime::cli::main(&commands::API, commands::run)
        }
    }
}

/// The code of some resources' commands: their table entries and the arms that call them.
struct Groups {
    /// `Group { ... },` for each resource.
    table: Vec<TokenStream>,
    /// `("group", "command") => { ... }` for each operation.
    arms: Vec<TokenStream>,
    /// Whether an arm prints a result.
    prints: bool,
}

fn groups(api: &Api, groups: &[CommandGroup]) -> Groups {
    let mut out = Groups {
        table: Vec::new(),
        arms: Vec::new(),
        prints: false,
    };
    for group in groups {
        let group_name = &group.name;
        let accessors: Vec<_> = group.accessors.iter().map(|name| ident(name)).collect();
        let mut commands = Vec::new();
        for command in &group.commands {
            let operation = &api.operations[command.operation];
            let emitted = emit_command(api, operation, command);
            commands.push(emitted.table);
            let setup = emitted.setup;
            let method = ident(&command.method);
            let args = emitted.constructor_args;
            let binding = if setup.is_empty() {
                quote!(let request)
            } else {
                quote!(let mut request)
            };
            let finish = emitted.finish;
            out.prints |= emitted.prints;
            let command_name = &command.name;
            out.arms.push(quote! {
                (#group_name, #command_name) => {
                    #binding = client #(.#accessors())* .#method(#(#args),*);
                    #(#setup)*
                    #finish
                }
            });
        }
        let names: Vec<&str> = group.commands.iter().map(|c| c.name.as_str()).collect();
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

/// `commands.rs`, or `commands/mod.rs` and a file per feature.
fn commands_modules(api: &Api) -> Vec<Module<'_>> {
    let files = &api.cli.files;
    if let [only @ CliFile { module: None, .. }] = files.as_slice() {
        return vec![Module {
            path: "src/bin/cli/commands.rs".to_owned(),
            source: Source::Tokens(Box::new(move || commands_module(api, &only.groups))),
            vocabulary: Vocabulary::tool(),
        }];
    }
    let mut modules = vec![Module {
        path: "src/bin/cli/commands/mod.rs".to_owned(),
        source: Source::Tokens(Box::new(move || commands_index(api, files))),
        vocabulary: Vocabulary::tool(),
    }];
    for file in files {
        let Some(name) = file.module.as_deref() else {
            continue;
        };
        modules.push(Module {
            path: format!("src/bin/cli/commands/{}.rs", unraw(name)),
            source: Source::Tokens(Box::new(move || commands_file(api, file))),
            vocabulary: Vocabulary::tool(),
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
    let credentials = api
        .credentials
        .iter()
        .zip(&api.cli.credentials)
        .map(|(credential, flag)| {
            let index = format_ident!("{}", credential.const_name());
            let value_name = &flag.value_name;
            let flag = &flag.name;
            // A basic credential's variable holds only the user (a client id, for client
            // credentials): the flag takes both, `USER:PASSWORD`.
            let env = match credential.scheme {
                CredentialScheme::Basic | CredentialScheme::ClientCredentials { .. } => {
                    option_str(None)
                }
                _ => option_str(credential.env.as_deref()),
            };
            let help = credential
                .description
                .as_deref()
                .map(|d| plain(&first_sentence(d)))
                .unwrap_or_else(|| {
                    format!("Credential of security scheme {}", credential.scheme_name)
                });
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

/// `, WEBHOOK_GROUPS` (the runtime's `webhooks unwrap`) after the API's groups, when it
/// sends webhooks.
fn webhook_groups(api: &Api) -> Option<TokenStream> {
    api.cli.webhooks.then(|| quote!(, WEBHOOK_GROUPS))
}

/// The arm of `run` that runs `webhooks unwrap`, when the API sends webhooks.
fn webhooks_arm(api: &Api) -> Option<TokenStream> {
    api.cli.webhooks.then(|| {
        quote! {
            ("webhooks", _) => unwrap_webhook(client.webhooks(), &call, &mut printer),
        }
    })
}

/// The whole tool in one file.
fn commands_module(api: &Api, command_groups: &[CommandGroup]) -> TokenStream {
    let sdk = ident(&api.library_name());
    let mut code = groups(api, command_groups);
    if let Some(arm) = webhooks_arm(api) {
        code.arms.push(arm);
        code.prints = true;
    }
    let allow_deprecated = allow_deprecated_uses(api);
    let webhook_groups = webhook_groups(api);
    let api_static = api_static(api, quote!(&[GROUPS #webhook_groups]));
    let (client, printer) = run_params(&code);
    let run_body = run_body(&code.arms);
    let table = &code.table;
    quote! {
        //! This API as commands: a group per resource, a command per operation, a flag per
        //! parameter or body field; `run` calls the operation's builder with the flags given.
        #allow_deprecated

        pub use #sdk as sdk;

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
fn commands_index(api: &Api, files: &[CliFile]) -> TokenStream {
    let sdk = ident(&api.library_name());
    let allow_deprecated = allow_deprecated_uses(api);
    let modules: Vec<_> = files
        .iter()
        .filter_map(|file| file.module.as_deref())
        .map(ident)
        .collect();
    let webhook_groups = webhook_groups(api);
    let api_static = api_static(api, quote!(&[#(#modules::GROUPS),* #webhook_groups]));
    // A group is in one file, but the client's own commands (group "") are spread over
    // several: those are told apart by command.
    let dispatch = files.iter().filter_map(|file| {
        let module = ident(file.module.as_deref()?);
        let patterns: Vec<TokenStream> = file
            .groups
            .iter()
            .flat_map(|group| {
                if group.accessors.is_empty() {
                    group
                        .commands
                        .iter()
                        .map(|command| {
                            let command = &command.name;
                            quote!(("", #command))
                        })
                        .collect::<Vec<_>>()
                } else {
                    let group = &group.name;
                    vec![quote!((#group, _))]
                }
            })
            .collect();
        Some(quote!(#(#patterns)|* => #module::run(client, call, printer).await,))
    });
    let webhooks = webhooks_arm(api);
    let printer = match webhooks {
        Some(_) => quote!(mut printer),
        None => quote!(printer),
    };
    quote! {
        //! This API as commands: a file per feature, each with a group per resource, a command
        //! per operation and a flag per parameter or body field, and its `run`.
        #allow_deprecated

        pub use #sdk as sdk;

        #(mod #modules;)*

        #api_static

        /// Calls the operation of `group command` with the flags of `call`, and prints its result.
        pub async fn run(client: Client, call: Call, #printer: Printer) -> Result<(), Failure> {
            match (call.group(), call.command()) {
                #(#dispatch)*
                #webhooks
                (group, command) => Err(Failure::Usage(format!(
                    "unknown command: {group} {command}"
                ))),
            }
        }
    }
}

/// `commands/{name}.rs`: the groups of one feature's operations and the `run` that calls them.
fn commands_file(api: &Api, file: &CliFile) -> TokenStream {
    let code = groups(api, &file.groups);
    let allow_deprecated = allow_deprecated_uses(api);
    let (client, printer) = run_params(&code);
    let run_body = run_body(&code.arms);
    let table = &code.table;
    let docs = format!(
        " The commands of the `{}` feature's operations.",
        file.gate.join("`, `")
    );
    quote! {
        #![doc = #docs]
        #allow_deprecated

        use super::sdk;

        pub(super) static GROUPS: &[Group] = &[#(#table)*];

        /// Calls the operation of `group command` with the flags of `call`, and prints its result.
        pub(super) async fn run(#client: Client, call: Call, #printer: Printer) -> Result<(), Failure> {
            #run_body
        }
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
}

fn emit_command(api: &Api, operation: &Operation, command: &Command) -> EmittedCommand {
    let mut args = Vec::new();
    let mut constructor_args = Vec::new();
    let mut setup = Vec::new();
    // One flag per input, in order.
    for (flag, input) in command.flags.iter().zip(&operation.inputs) {
        let name = flag.name.as_str();
        let value = value_of(&api.types, input, flag);
        let value_name = &flag.value_name;
        let (mut help, long_help) = help_texts(input.docs.as_deref());
        if input.presence == Presence::RequiredNullable {
            help = append(&help, "(null when omitted)");
        }
        let kind = &value.kind;
        let mut fields = vec![quote!(name: #name), quote!(value_name: #value_name)];
        if !help.is_empty() {
            fields.push(quote!(help: #help));
        }
        if !long_help.is_empty() {
            fields.push(quote!(long_help: #long_help));
        }
        fields.push(quote!(kind: #kind));
        if flag.required {
            fields.push(quote!(required: true));
        }
        if flag.positional {
            fields.push(quote!(positional: true));
        }
        if flag.repeated {
            fields.push(quote!(repeated: true));
        }
        args.push(quote!(Arg { #(#fields,)* ..Arg::DEFAULT }));

        if input.role == InputRole::Argument {
            if input.presence == Presence::RequiredNullable {
                constructor_args.push(value.optional_exact);
            } else {
                constructor_args.push(value.required_arg);
            }
            continue;
        }
        let setter = ident(&input.rust_name);
        let getter = value.optional;
        let converted = value.converted;
        setup.push(quote! {
            if let Some(value) = #getter {
                request = request.#setter(#converted);
            }
        });
        if let (InputRole::NullableSetter { null_setter }, Some(null_flag)) =
            (&input.role, &flag.null_flag)
        {
            let null_value_name = null_flag.to_shouty_snake_case();
            let help = format!("Send {name} as null");
            args.push(quote!(Arg {
                name: #null_flag,
                value_name: #null_value_name,
                help: #help,
                kind: Kind::Null(#name),
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

    let (about, long_about) = command_texts(operation);
    let paginated = operation.pagination.is_some();
    let finish = if paginated {
        quote!(printer.items(request.into_stream(), call.max_items()).await)
    } else {
        match &operation.response {
            ResponseKind::Json(_) => quote!(printer.value(&request.send().await?)),
            ResponseKind::Bytes => quote!(printer.bytes(&request.send().await?)),
            ResponseKind::Text => quote!(printer.bytes(request.send().await?.as_bytes())),
            ResponseKind::EventStream(_) | ResponseKind::Sequence { .. } => {
                quote!(printer.items(request.send().await?, call.max_items()).await)
            }
            ResponseKind::Empty => quote! {
                request.send().await?;
                Ok(())
            },
        }
    };
    let name = &command.name;
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
    }
}

/// How the tool reads an input and hands it to the builder.
struct Value {
    /// The `Kind` in the table.
    kind: TokenStream,
    /// The value for a resource method argument (required input).
    required_arg: TokenStream,
    /// `Option<value as read>` for a setter.
    optional: TokenStream,
    /// `value` (bound from `optional`) as the setter takes it.
    converted: TokenStream,
    /// `Option<T>` exactly, for a required nullable body field.
    optional_exact: TokenStream,
}

fn value_of(types: &[TypeDef], input: &Input, flag: &Flag) -> Value {
    let name = flag.name.as_str();
    let Some((kind, raw)) = kind_tokens(&flag.kind) else {
        let exact = type_tokens(&input.ty, Scope::Outside);
        return Value {
            kind: quote!(Kind::Json),
            required_arg: quote!(call.required_json::<#exact>(#name)?),
            optional: quote!(call.json::<#exact>(#name)?),
            converted: quote!(value),
            optional_exact: quote!(call.json::<#exact>(#name)?),
        };
    };
    // A named alias is a `type` alias, so the value as read is already of its type; an enum
    // is read as text, which the builder's `impl Into<_>` converts, but an exact `Option<_>`
    // needs the conversion spelled out.
    let (TypeRef::Array(item), true) = (&input.ty, flag.repeated) else {
        let ty = &input.ty;
        let exact_names_type = types.is_enum(ty);
        let optional_exact = if exact_names_type {
            let exact = type_tokens(ty, Scope::Outside);
            quote!(call.get::<#raw>(#name).map(<#exact>::from))
        } else {
            quote!(call.get::<#raw>(#name))
        };
        return Value {
            kind,
            required_arg: convert(types, ty, quote!(call.required::<#raw>(#name)?)),
            optional: quote!(call.get::<#raw>(#name)),
            converted: convert(types, ty, quote!(value)),
            optional_exact,
        };
    };
    let exact_names_type = types.is_enum(item);
    let optional_exact = if exact_names_type {
        let exact_item = type_tokens(item, Scope::Outside);
        quote!(call.many::<#raw>(#name).map(|values| values.into_iter().map(<#exact_item>::from).collect()))
    } else {
        quote!(call.many::<#raw>(#name))
    };
    // Files are read as text and sent as bytes, one part each.
    let elements = |values: TokenStream| match types.resolve_alias(item) {
        TypeRef::File => {
            quote!(#values.into_iter().map(|value| sdk::FilePart::bytes(value.into_bytes())))
        }
        _ => values,
    };
    Value {
        kind,
        required_arg: elements(quote!(call.required_many::<#raw>(#name)?)),
        optional: quote!(call.many::<#raw>(#name)),
        converted: elements(quote!(value)),
        optional_exact,
    }
}

/// The table's `Kind` and the Rust type clap reads, for a flag of one value (or one value per
/// element); `None` for JSON.
fn kind_tokens(kind: &FlagKind) -> Option<(TokenStream, TokenStream)> {
    Some(match kind {
        FlagKind::Text => (quote!(Kind::Text), quote!(String)),
        FlagKind::String => (quote!(Kind::String), quote!(String)),
        FlagKind::Bool => (quote!(Kind::Bool), quote!(bool)),
        FlagKind::I32 => (quote!(Kind::I32), quote!(i32)),
        FlagKind::I64 => (quote!(Kind::I64), quote!(i64)),
        FlagKind::F32 => (quote!(Kind::F32), quote!(f32)),
        FlagKind::F64 => (quote!(Kind::F64), quote!(f64)),
        FlagKind::Enum(values) => (quote!(Kind::Enum(&[#(#values),*])), quote!(String)),
        FlagKind::Json => return None,
    })
}

/// A value as the builder takes it: a file's text as its bytes (an alias of a file too),
/// anything else as read (the builder takes strings and enums as `impl Into<_>`).
fn convert(types: &[TypeDef], ty: &TypeRef, value: TokenStream) -> TokenStream {
    match types.resolve_alias(ty) {
        TypeRef::File => quote!(sdk::FilePart::bytes(#value.into_bytes())),
        _ => value,
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
