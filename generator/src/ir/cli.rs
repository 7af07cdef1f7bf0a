//! The generated command-line tool as data: its files, a group of commands per resource with
//! operations, a command per operation, a flag per builder input.
//!
//! Naming follows the client: `client.admin().organization().certificates().create(..)` is
//! `admin:organization:certificates create`; flags are the builder's argument and setter names
//! in kebab-case. A flag whose name the tool already has (its own flags, a credential's, an
//! earlier input's) takes the place its value goes as a prefix (`query-format`, `body-name`),
//! then a number.

use std::collections::BTreeSet;

use heck::{ToKebabCase, ToShoutySnakeCase};

use super::model::{
    Credential, CredentialScheme, Input, InputRole, InputTarget, IntegerKind, NumberKind,
    Operation, OperationModule, ParamLocation, Presence, Resource, TypeDef, TypeKind, TypeRef,
};
use super::naming::unraw;
use super::queries::TypeQueries;

/// The tool's commands, by file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cli {
    /// One file (`commands.rs`) when the crate's operations are one module, else one per
    /// operations module that has commands.
    pub files: Vec<CliFile>,
    /// The global flag of each credential, in the order of `Api::credentials`.
    pub credentials: Vec<CredentialFlag>,
    /// Whether the tool has the runtime's `webhooks unwrap` command: the API sends webhooks
    /// (whose accessor no resource takes, so neither does its group).
    pub webhooks: bool,
}

/// The global flag that gives a credential.
#[derive(Debug, Clone, PartialEq)]
pub struct CredentialFlag {
    /// The setter's name in kebab-case.
    pub name: String,
    /// `USER:PASSWORD` for HTTP basic, else the name in upper snake case.
    pub value_name: String,
}

/// A file of commands.
#[derive(Debug, Clone, PartialEq)]
pub struct CliFile {
    /// The operations module whose commands it holds; `None` for the tool's only file.
    pub module: Option<String>,
    /// The module's gate: the features its commands need.
    pub gate: Vec<String>,
    pub groups: Vec<CommandGroup>,
}

/// The commands of one resource.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandGroup {
    /// The resource's accessors in kebab-case, joined by `:`; empty for the client's own
    /// operations.
    pub name: String,
    /// The accessors from the client to the resource, as Rust names.
    pub accessors: Vec<String>,
    pub commands: Vec<Command>,
}

/// One operation's command.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// The resource method in kebab-case.
    pub name: String,
    /// The resource method the command calls.
    pub method: String,
    /// Index into `Api::operations`.
    pub operation: usize,
    /// One per input of the operation (`Operation::inputs`), in the same order.
    pub flags: Vec<Flag>,
}

/// How the tool takes one builder input.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub name: String,
    /// The placeholder in help: the name in upper snake case (`USER:PASSWORD`-like names are
    /// the credentials').
    pub value_name: String,
    /// Required on the command line (a required input; a required but nullable one is sent
    /// as null when omitted).
    pub required: bool,
    /// A path parameter, which may also be given without its flag.
    pub positional: bool,
    pub kind: FlagKind,
    /// Given once per element of an array.
    pub repeated: bool,
    /// The flag that sends the input as `null`, for an input with a null setter.
    pub null_flag: Option<String>,
}

/// How a flag's value is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlagKind {
    /// Text, or a file's or stdin's content (`@file`, `-`): body members and files.
    Text,
    /// Text as given: parameters.
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    /// One of these values (an enum's, sent as text).
    Enum(Vec<String>),
    /// JSON for anything else (objects, unions, arrays of them).
    Json,
}

/// Plans the tool's commands from the client's resource tree.
pub fn plan(
    client: &Resource,
    operations: &[Operation],
    modules: &[OperationModule],
    credentials: &[Credential],
    types: &[TypeDef],
    reserved_flags: &[String],
    webhooks: bool,
) -> Cli {
    let mut groups = Vec::new();
    collect_groups(client, &mut Vec::new(), &mut groups);
    let credentials: Vec<CredentialFlag> = credentials
        .iter()
        .map(|credential| {
            let name = kebab(&credential.setter);
            CredentialFlag {
                value_name: match credential.scheme {
                    CredentialScheme::Basic => "USER:PASSWORD".to_owned(),
                    CredentialScheme::ClientCredentials { .. } => {
                        "CLIENT_ID:CLIENT_SECRET".to_owned()
                    }
                    _ => name.to_shouty_snake_case(),
                },
                name,
            }
        })
        .collect();
    let mut taken: BTreeSet<String> = reserved_flags.iter().cloned().collect();
    taken.extend(credentials.iter().map(|flag| flag.name.clone()));
    let command_group =
        |(chain, methods): (Vec<&Resource>, Vec<&super::ResourceMethod>)| CommandGroup {
            name: chain
                .iter()
                .map(|resource| kebab(unraw(&resource.accessor)))
                .collect::<Vec<_>>()
                .join(":"),
            accessors: chain
                .iter()
                .map(|resource| resource.accessor.clone())
                .collect(),
            commands: methods
                .into_iter()
                .map(|method| Command {
                    name: kebab(unraw(&method.name)),
                    method: method.name.clone(),
                    operation: method.operation,
                    flags: flags(&operations[method.operation], types, taken.clone()),
                })
                .collect(),
        };
    if modules.is_empty() {
        return Cli {
            files: vec![CliFile {
                module: None,
                gate: Vec::new(),
                groups: groups.into_iter().map(command_group).collect(),
            }],
            credentials,
            webhooks,
        };
    }
    // A resource goes in the file of its first operation's module; the client's own
    // operations (top-level commands) each in its own operation's.
    let mut module_of = vec![0; operations.len()];
    for (index, module) in modules.iter().enumerate() {
        for &operation in &module.operations {
            module_of[operation] = index;
        }
    }
    let mut files: Vec<Vec<CommandGroup>> = vec![Vec::new(); modules.len()];
    for (chain, methods) in groups {
        if chain.is_empty() {
            for method in methods {
                let file = &mut files[module_of[method.operation]];
                let group = command_group((Vec::new(), vec![method]));
                match file.iter_mut().find(|group| group.accessors.is_empty()) {
                    Some(own) => own.commands.extend(group.commands),
                    None => file.push(group),
                }
            }
        } else if let Some(first) = methods.first() {
            let file = module_of[first.operation];
            files[file].push(command_group((chain, methods)));
        }
    }
    Cli {
        files: modules
            .iter()
            .zip(files)
            .filter(|(_, groups)| !groups.is_empty())
            .map(|(module, groups)| CliFile {
                module: Some(module.name.clone()),
                gate: module.gate.clone(),
                groups,
            })
            .collect(),
        credentials,
        webhooks,
    }
}

/// Resources that have operations, depth first, each with the chain of resources leading to
/// it (empty for the client itself).
fn collect_groups<'a>(
    resource: &'a Resource,
    chain: &mut Vec<&'a Resource>,
    out: &mut Vec<(Vec<&'a Resource>, Vec<&'a super::ResourceMethod>)>,
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

/// The flags of an operation's inputs; `taken` holds the names they must avoid.
fn flags(operation: &Operation, types: &[TypeDef], mut taken: BTreeSet<String>) -> Vec<Flag> {
    let mut flags = Vec::new();
    for input in &operation.inputs {
        let prefix = flag_prefix(operation, input);
        let positional = matches!(input.target, InputTarget::Param(param)
            if operation.params[param].location == ParamLocation::Path);
        let name = unique_flag(&kebab(unraw(&input.rust_name)), prefix, &mut taken);
        if positional {
            // The runtime names the positional argument after the flag.
            taken.insert(format!("{name}-positional"));
            taken.insert(format!("{name}-or-positional"));
        }
        let null_flag = match input.role {
            InputRole::NullableSetter { .. } => {
                Some(unique_flag(&format!("{name}-null"), prefix, &mut taken))
            }
            InputRole::Argument | InputRole::Setter => None,
        };
        // Body members and bodies also read files and stdin.
        let text = !matches!(input.target, InputTarget::Param(_));
        let (kind, repeated) = match scalar_kind(types, &input.ty, text) {
            Some(kind) => (kind, false),
            None => match &input.ty {
                TypeRef::Array(item) => match scalar_kind(types, item, text) {
                    Some(kind) => (kind, true),
                    None => (FlagKind::Json, false),
                },
                _ => (FlagKind::Json, false),
            },
        };
        flags.push(Flag {
            value_name: name.to_shouty_snake_case(),
            name,
            required: input.presence == Presence::Required,
            positional,
            kind,
            repeated,
            null_flag,
        });
    }
    flags
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
        InputTarget::BodyField { .. } => "body",
        InputTarget::Body => "request",
    }
}

/// `base`, or `prefix-base` (then numbered) when another flag has the name.
fn unique_flag(base: &str, prefix: &str, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = base.to_owned();
    if taken.contains(&candidate) {
        candidate = format!("{prefix}-{base}");
    }
    let mut number = 2;
    while taken.contains(&candidate) {
        candidate = format!("{prefix}-{base}-{number}");
        number += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// How a one-value type is read; `None` for anything that is given as JSON. `text`: the
/// input also reads files and stdin.
fn scalar_kind(types: &[TypeDef], ty: &TypeRef, text: bool) -> Option<FlagKind> {
    Some(match types.resolve_alias(ty) {
        TypeRef::File => FlagKind::Text,
        TypeRef::String if text => FlagKind::Text,
        TypeRef::String => FlagKind::String,
        TypeRef::Boolean => FlagKind::Bool,
        TypeRef::Integer(IntegerKind::I32) => FlagKind::I32,
        TypeRef::Integer(IntegerKind::I64) => FlagKind::I64,
        TypeRef::Number(NumberKind::F32) => FlagKind::F32,
        TypeRef::Number(NumberKind::F64) => FlagKind::F64,
        TypeRef::Named(name) => match &types.type_named(name)?.kind {
            TypeKind::Enum(variants) => FlagKind::Enum(
                variants
                    .iter()
                    .map(|variant| variant.wire_value.clone())
                    .collect(),
            ),
            _ => return None,
        },
        _ => return None,
    })
}

/// A Rust name in kebab-case, as commands and flags are written.
pub fn kebab(name: &str) -> String {
    let kebab = name.to_kebab_case();
    if kebab.is_empty() {
        "value".to_owned()
    } else {
        kebab
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colliding_flags_get_the_location_as_prefix() {
        let mut taken: BTreeSet<String> = ["format".to_owned()].into_iter().collect();
        assert_eq!(unique_flag("format", "query", &mut taken), "query-format");
        assert_eq!(unique_flag("name", "path", &mut taken), "name");
        assert_eq!(unique_flag("name", "body", &mut taken), "body-name");
        assert_eq!(unique_flag("name", "body", &mut taken), "body-name-2");
    }
}
