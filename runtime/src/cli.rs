//! The fixed part of every generated command-line tool (feature `cli`): global flags, one
//! subcommand per resource and operation (built from the tables a generated `commands` module
//! declares), values read from files or stdin, results printed as JSON, and the exit code
//! (0 success, 1 failed call, 2 usage error). The generated part is the tables and `run`,
//! which calls the operation a command names.

use std::ffi::OsStr;
use std::fmt;
use std::future::{poll_fn, Future};
use std::io::{self, Read, Write};
use std::pin::Pin;
use std::process::ExitCode;
use std::time::Duration;

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser, ValueParser};
use clap::error::ErrorKind;
use clap::{ArgAction, ArgGroup, ArgMatches};
use futures_core::Stream;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::config::{Client, ClientBuilder};
use super::error::Error;
use super::settings::{ApiSettings, CredentialScheme};

/// What the global flags need to know about the API.
pub struct Api {
    /// The program's name, as shown in usage lines.
    pub name: &'static str,
    pub version: &'static str,
    pub about: &'static str,
    pub long_about: &'static str,
    /// What the client needs to know about the API: base URL, credentials, headers.
    pub settings: &'static ApiSettings,
    /// A flag for each credential the API declares; a command sends those its operation
    /// asks for.
    pub credentials: &'static [Credential],
    /// The groups, one list per file of the generated tool (a file per top-level resource of
    /// a large API, so that a change to one resource touches one file).
    pub groups: &'static [&'static [Group]],
}

impl Api {
    /// Every group, in order.
    fn all_groups(&self) -> impl Iterator<Item = &'static Group> {
        self.groups.iter().flat_map(|groups| groups.iter())
    }
}

/// The API's secret: a global flag that can also come from the environment.
pub struct Credential {
    /// The flag, without `--`.
    pub flag: &'static str,
    pub value_name: &'static str,
    pub env: Option<&'static str>,
    pub help: &'static str,
    /// The credential's index in [`ApiSettings::credentials`]. A basic credential's flag
    /// takes `USER:PASSWORD`, a client-credentials one `CLIENT_ID:CLIENT_SECRET`.
    pub index: usize,
}

/// A resource with operations, as a command (`admin:organization:certificates`); the group
/// with an empty name holds the operations of the client itself, which are top-level commands.
pub struct Group {
    pub name: &'static str,
    pub about: &'static str,
    pub commands: &'static [Command],
}

/// An operation, as a subcommand of its group.
pub struct Command {
    pub name: &'static str,
    pub about: &'static str,
    pub long_about: &'static str,
    pub args: &'static [Arg],
    /// Whether it lists pages, which the command follows up to `--max-items`.
    pub paginated: bool,
}

/// A parameter or body field, as a flag.
pub struct Arg {
    /// The flag, in kebab-case, without `--`; also the id to read its value by.
    pub name: &'static str,
    pub value_name: &'static str,
    /// The first sentence of its description.
    pub help: &'static str,
    /// The whole description, when it says more than `help`.
    pub long_help: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Also accepted as a positional argument (path parameters).
    pub positional: bool,
    /// Repeat the flag for each value (array parameters).
    pub repeated: bool,
}

impl Arg {
    /// The defaults that the tables leave out.
    pub const DEFAULT: Arg = Arg {
        name: "",
        value_name: "",
        help: "",
        long_help: "",
        kind: Kind::String,
        required: false,
        positional: false,
        repeated: false,
    };
}

/// How a flag's value is read.
#[derive(Clone, Copy)]
pub enum Kind {
    String,
    /// Text as given, `@path` for a file's contents, or `-` for stdin.
    Text,
    /// One of the listed values, or any other: the server is the judge.
    Enum(&'static [&'static str]),
    Bool,
    I32,
    I64,
    F32,
    F64,
    /// A JSON document, given like [`Kind::Text`].
    Json,
    /// A switch that sends the named flag's field as `null`.
    Null(&'static str),
}

const FORMAT: &str = "format";
const BASE_URL: &str = "base-url";
const MAX_RETRIES: &str = "max-retries";
const TIMEOUT: &str = "timeout";
const MAX_ITEMS: &str = "max-items";
const GLOBAL_OPTIONS: &str = "Global Options";

/// The flags the tool defines itself (clap's `help` and `version` too), which a command's own
/// flags must not take. The generator reads this list from this file, so keep it a list of
/// string literals and the constants above.
pub const RESERVED_FLAGS: &[&str] = &[
    "help",
    "version",
    FORMAT,
    BASE_URL,
    MAX_RETRIES,
    TIMEOUT,
    MAX_ITEMS,
];

/// Runs the command line and returns the exit code: parses the arguments against `api`,
/// builds the client (the generated crate's `C`), and hands the chosen command to `run`.
pub fn main<C, F, Fut>(api: &'static Api, run: F) -> ExitCode
where
    C: From<Client>,
    F: FnOnce(C, Call, Printer) -> Fut,
    Fut: Future<Output = Result<(), Failure>>,
{
    let matches = command_line(api).get_matches();
    let Some((group, command, matches)) = chosen(api, &matches) else {
        let _ = command_line(api).print_help();
        return ExitCode::from(2);
    };
    let client = match client(api, matches) {
        Ok(client) => C::from(client),
        Err(failure) => return failure.report(),
    };
    let format = match matches.get_one::<String>(FORMAT).map(String::as_str) {
        Some("pretty") => Format::Pretty,
        Some("jsonl") => Format::Jsonl,
        _ => Format::Json,
    };
    let printer = Printer {
        format,
        out: io::stdout().lock(),
    };
    let call = Call {
        matches: matches.clone(),
        group: group.name,
        command,
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return Failure::Output(error).report(),
    };
    match runtime.block_on(run(client, call, printer)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

/// The whole command line, built from the tables.
pub fn command_line(api: &'static Api) -> clap::Command {
    let mut root = clap::Command::new(api.name)
        .bin_name(api.name)
        .version(api.version)
        .about(api.about)
        .long_about(non_empty(api.long_about))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_args(api));
    for group in api.all_groups() {
        let commands = group.commands.iter().map(subcommand);
        if group.name.is_empty() {
            root = root.subcommands(commands);
        } else {
            root = root.subcommand(
                clap::Command::new(group.name)
                    .about(group.about)
                    .subcommand_required(true)
                    .arg_required_else_help(true)
                    .subcommands(commands),
            );
        }
    }
    root
}

fn global_args(api: &Api) -> Vec<clap::Arg> {
    let mut args = Vec::new();
    for credential in api.credentials {
        let mut arg = clap::Arg::new(credential.flag)
            .long(credential.flag)
            .value_name(credential.value_name)
            .help(credential.help)
            .global(true)
            .hide_env_values(true);
        if let Some(env) = credential.env {
            arg = arg.env(env);
        }
        args.push(arg);
    }
    let mut base_url = clap::Arg::new(BASE_URL)
        .long(BASE_URL)
        .value_name("URL")
        .help("The API's base URL")
        .default_value(api.settings.default_base_url)
        .global(true)
        .hide_env_values(true);
    if let Some(env) = api.settings.base_url_env {
        base_url = base_url.env(env);
    }
    args.push(base_url);
    args.push(
        clap::Arg::new(MAX_RETRIES)
            .long(MAX_RETRIES)
            .value_name("N")
            .help("Retries of a failed attempt (connection error, timeout, 408, 409, 429, 5xx) [client default: 2]")
            .value_parser(clap::value_parser!(u32))
            .global(true),
    );
    args.push(
        clap::Arg::new(TIMEOUT)
            .long(TIMEOUT)
            .value_name("SECONDS")
            .help("Time limit of each attempt, in seconds [client default: 600]")
            .value_parser(ValueParser::new(Seconds))
            .global(true),
    );
    args.push(
        clap::Arg::new(FORMAT)
            .long(FORMAT)
            .value_name("FORMAT")
            .help("How to print results")
            .value_parser([
                PossibleValue::new("json").help("JSON on one line; a list as one array"),
                PossibleValue::new("pretty").help("Indented JSON; a list as one array"),
                PossibleValue::new("jsonl").help("One line of JSON per list item"),
            ])
            .default_value("json")
            .global(true),
    );
    args.into_iter()
        .map(|arg| arg.help_heading(GLOBAL_OPTIONS))
        .collect()
}

fn subcommand(command: &'static Command) -> clap::Command {
    let mut cli = clap::Command::new(command.name)
        .about(command.about)
        .long_about(non_empty(command.long_about));
    let mut index = 0;
    for arg in command.args {
        cli = cli.arg(flag(arg));
        if arg.positional {
            index += 1;
            let positional = positional_id(arg.name);
            cli = cli
                .arg(
                    clap::Arg::new(positional.clone())
                        .index(index)
                        .value_name(arg.value_name)
                        .help(append(arg.help, &format!("(same as --{})", arg.name)))
                        .value_parser(value_parser(arg.kind)),
                )
                .group(
                    ArgGroup::new(format!("{}-or-positional", arg.name))
                        .args([positional, arg.name.to_owned()])
                        .required(arg.required),
                );
        }
    }
    if command.paginated {
        cli = cli.arg(
            clap::Arg::new(MAX_ITEMS)
                .long(MAX_ITEMS)
                .value_name("N")
                .help("Stop after N items [default: every item of every page]")
                .value_parser(clap::value_parser!(usize)),
        );
    }
    cli
}

fn flag(arg: &'static Arg) -> clap::Arg {
    let mut notes = Vec::new();
    match arg.kind {
        Kind::Text => notes.push((
            "(or @FILE, or - for stdin)",
            "Give the text, @FILE to read a file, or - to read stdin.",
        )),
        Kind::Json => notes.push((
            "(JSON; or @FILE, or - for stdin)",
            "Give JSON text, @FILE to read a file, or - to read stdin.",
        )),
        _ => {}
    }
    if arg.repeated {
        notes.push(("(repeatable)", "Repeat the flag to give more values."));
    }
    let help = notes
        .iter()
        .fold(arg.help.to_owned(), |help, (short, _)| append(&help, short));
    let long_help = non_empty(arg.long_help).map(|text| {
        let mut text = text.to_owned();
        for (_, long) in &notes {
            text.push_str("\n\n");
            text.push_str(long);
        }
        text
    });
    let mut cli = clap::Arg::new(arg.name).long(arg.name).help(help);
    if let Some(long_help) = long_help {
        cli = cli.long_help(long_help);
    }
    let cli = match arg.kind {
        Kind::Null(field) => return cli.action(ArgAction::SetTrue).conflicts_with(field),
        Kind::Bool => cli.num_args(0..=1).default_missing_value("true"),
        _ => cli,
    };
    cli.value_name(arg.value_name)
        .value_parser(value_parser(arg.kind))
        .required(arg.required && !arg.positional)
        .action(if arg.repeated {
            ArgAction::Append
        } else {
            ArgAction::Set
        })
}

fn append(text: &str, note: &str) -> String {
    if text.is_empty() {
        note.to_owned()
    } else {
        format!("{text} {note}")
    }
}

fn positional_id(name: &str) -> String {
    format!("{name}-positional")
}

fn value_parser(kind: Kind) -> ValueParser {
    match kind {
        Kind::String | Kind::Null(_) => ValueParser::string(),
        Kind::Text => ValueParser::new(Text),
        Kind::Enum(values) => ValueParser::new(OpenEnum(values)),
        Kind::Bool => ValueParser::bool(),
        Kind::I32 => clap::value_parser!(i32).into(),
        Kind::I64 => clap::value_parser!(i64).into(),
        Kind::F32 => clap::value_parser!(f32).into(),
        Kind::F64 => clap::value_parser!(f64).into(),
        Kind::Json => ValueParser::new(Json),
    }
}

fn non_empty(text: &'static str) -> Option<&'static str> {
    Some(text).filter(|text| !text.is_empty())
}

/// The group and command the user chose, and the matches of the command's own flags.
fn chosen<'a>(
    api: &'static Api,
    matches: &'a ArgMatches,
) -> Option<(&'static Group, &'static Command, &'a ArgMatches)> {
    let (first, first_matches) = matches.subcommand()?;
    for group in api.all_groups() {
        if group.name.is_empty() {
            if let Some(command) = group.commands.iter().find(|c| c.name == first) {
                return Some((group, command, first_matches));
            }
        } else if group.name == first {
            let (name, matches) = first_matches.subcommand()?;
            let command = group.commands.iter().find(|c| c.name == name)?;
            return Some((group, command, matches));
        }
    }
    None
}

fn client(api: &Api, matches: &ArgMatches) -> Result<Client, Failure> {
    let mut builder = ClientBuilder::new(api.settings);
    let mut any_credential = false;
    for credential in api.credentials {
        let Some(secret) = matches.get_one::<String>(credential.flag) else {
            continue;
        };
        let scheme = api
            .settings
            .credentials
            .get(credential.index)
            .map(|c| c.scheme);
        // A pair's flag takes `USER:PASSWORD` or `CLIENT_ID:CLIENT_SECRET`.
        let pair = || secret.split_once(':').unwrap_or((secret.as_str(), ""));
        builder = match scheme {
            Some(CredentialScheme::Basic) => {
                let (user, password) = pair();
                builder.basic_credential_at(credential.index, user, password)
            }
            Some(CredentialScheme::ClientCredentials { .. }) => {
                let (client_id, client_secret) = pair();
                builder.client_credentials_at(credential.index, client_id, client_secret)
            }
            _ => builder.credential_at(credential.index, secret.clone()),
        };
        any_credential = true;
    }
    if !api.credentials.is_empty() && !any_credential {
        let how: Vec<String> = api
            .credentials
            .iter()
            .map(|credential| {
                let mut how = format!("--{}", credential.flag);
                if let Some(env) = credential.env {
                    how.push_str(&format!(" or set {env}"));
                }
                how
            })
            .collect();
        return Err(Failure::usage(format!(
            "the API needs a credential: pass {}",
            how.join(", or ")
        )));
    }
    if let Some(url) = matches.get_one::<String>(BASE_URL) {
        builder = builder.base_url(url);
    }
    if let Some(retries) = matches.get_one::<u32>(MAX_RETRIES) {
        builder = builder.max_retries(*retries);
    }
    if let Some(timeout) = matches.get_one::<Duration>(TIMEOUT) {
        builder = builder.timeout(*timeout);
    }
    Ok(builder.build()?)
}

/// The chosen command and its flags, read by the generated `run`.
pub struct Call {
    matches: ArgMatches,
    group: &'static str,
    command: &'static Command,
}

impl Call {
    /// The chosen command's group (empty for a command of the client itself).
    pub fn group(&self) -> &'static str {
        self.group
    }

    /// The chosen command's name.
    pub fn command(&self) -> &'static str {
        self.command.name
    }

    /// The value of a flag (or of its positional form).
    pub fn get<T: Clone + Send + Sync + 'static>(&self, name: &str) -> Option<T> {
        if let Some(value) = self.matches.get_one::<T>(name) {
            return Some(value.clone());
        }
        if self.is_positional(name) {
            return self.matches.get_one::<T>(&positional_id(name)).cloned();
        }
        None
    }

    /// The values of a repeated flag.
    pub fn many<T: Clone + Send + Sync + 'static>(&self, name: &str) -> Option<Vec<T>> {
        self.matches
            .get_many::<T>(name)
            .map(|values| values.cloned().collect())
    }

    /// A JSON flag's value as the type the client expects.
    pub fn json<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Failure> {
        self.get::<serde_json::Value>(name)
            .map(|value| {
                serde_json::from_value(value).map_err(|error| {
                    Failure::usage(format!("invalid value for '--{name}': {error}"))
                })
            })
            .transpose()
    }

    /// Whether a switch is on.
    pub fn flag(&self, name: &str) -> bool {
        self.matches.get_flag(name)
    }

    /// The value of a required flag (clap has already made sure there is one).
    pub fn required<T: Clone + Send + Sync + 'static>(&self, name: &str) -> Result<T, Failure> {
        self.get(name).ok_or_else(|| missing(name))
    }

    /// The values of a required repeated flag.
    pub fn required_many<T: Clone + Send + Sync + 'static>(
        &self,
        name: &str,
    ) -> Result<Vec<T>, Failure> {
        self.many(name).ok_or_else(|| missing(name))
    }

    /// The value of a required JSON flag.
    pub fn required_json<T: DeserializeOwned>(&self, name: &str) -> Result<T, Failure> {
        self.json(name)?.ok_or_else(|| missing(name))
    }

    /// The most items a list may print, from `--max-items`.
    pub fn max_items(&self) -> Option<usize> {
        if self.command.paginated {
            self.matches.get_one::<usize>(MAX_ITEMS).copied()
        } else {
            None
        }
    }

    fn is_positional(&self, name: &str) -> bool {
        self.command
            .args
            .iter()
            .any(|arg| arg.positional && arg.name == name)
    }
}

/// The group of a crate whose API sends webhooks: `webhooks unwrap`, which verifies a
/// request's Standard Webhooks signature and prints its event ([`unwrap_webhook`]).
#[cfg(feature = "webhooks")]
pub static WEBHOOK_GROUPS: &[Group] = &[Group {
    name: "webhooks",
    about: "Verify the webhooks the API sends, and print their events",
    commands: &[Command {
        name: "unwrap",
        about: "Verify a webhook request's signature, then print its event",
        long_about:
            "Verify a webhook request's signature, then print its event.\n\nThe body must be \
            exactly as received; the secret is --webhook-secret, else the API's environment \
            variable. Fails (exit code 1) when the signature does not match or the timestamp is \
            outside the tolerance.",
        args: &[
            Arg {
                name: "body",
                value_name: "BODY",
                help: "The request's body, exactly as received",
                kind: Kind::Text,
                required: true,
                ..Arg::DEFAULT
            },
            Arg {
                name: "webhook-id",
                value_name: "ID",
                help: "The request's webhook-id header",
                required: true,
                ..Arg::DEFAULT
            },
            Arg {
                name: "webhook-timestamp",
                value_name: "SECONDS",
                help: "The request's webhook-timestamp header",
                required: true,
                ..Arg::DEFAULT
            },
            Arg {
                name: "webhook-signature",
                value_name: "SIGNATURES",
                help: "The request's webhook-signature header",
                required: true,
                ..Arg::DEFAULT
            },
            Arg {
                name: "webhook-secret",
                value_name: "SECRET",
                help: "The endpoint's secret (default: the API's environment variable)",
                ..Arg::DEFAULT
            },
        ],
        paginated: false,
    }],
}];

/// Runs `webhooks unwrap`: verifies the request the flags give with `webhooks` (or with
/// `--webhook-secret`), and prints its event.
#[cfg(feature = "webhooks")]
pub fn unwrap_webhook<E>(
    webhooks: super::webhooks::Webhooks<E>,
    call: &Call,
    printer: &mut Printer,
) -> Result<(), Failure>
where
    E: super::webhooks::WebhookEvents + Serialize,
{
    let webhooks = match call.get::<String>("webhook-secret") {
        Some(secret) => super::webhooks::Webhooks::new(secret),
        None => webhooks,
    };
    let body: String = call.required("body")?;
    let headers = [
        ("webhook-id", call.required::<String>("webhook-id")?),
        (
            "webhook-timestamp",
            call.required::<String>("webhook-timestamp")?,
        ),
        (
            "webhook-signature",
            call.required::<String>("webhook-signature")?,
        ),
    ];
    let event = webhooks
        .unwrap(body.as_bytes(), &headers)
        .map_err(|error| Failure::Refused(error.to_string()))?;
    printer.value(&event)
}

fn missing(name: &str) -> Failure {
    Failure::usage(format!("the required flag '--{name}' was not given"))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Pretty,
    Jsonl,
}

/// Writes results to stdout in the chosen format.
pub struct Printer {
    format: Format,
    out: io::StdoutLock<'static>,
}

impl Printer {
    /// One response.
    pub fn value<T: Serialize>(&mut self, value: &T) -> Result<(), Failure> {
        let text = match self.format {
            Format::Pretty => serde_json::to_string_pretty(value),
            Format::Json | Format::Jsonl => serde_json::to_string(value),
        };
        let text = text.map_err(io::Error::other)?;
        writeln!(self.out, "{text}")?;
        self.out.flush()?;
        Ok(())
    }

    /// A response that is not JSON, as it came.
    pub fn bytes(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        self.out.write_all(bytes)?;
        self.out.flush()?;
        Ok(())
    }

    /// Every item of a list, following its pages, up to `max_items`: as one JSON array, or
    /// one line per item as it arrives (`jsonl`).
    pub async fn items<S, T>(
        &mut self,
        mut stream: S,
        max_items: Option<usize>,
    ) -> Result<(), Failure>
    where
        S: Stream<Item = Result<T, Error>> + Unpin,
        T: Serialize,
    {
        let mut items = Vec::new();
        let mut count = 0;
        while max_items.map_or(true, |max| count < max) {
            let Some(item) = poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await else {
                break;
            };
            let item = item?;
            count += 1;
            if self.format == Format::Jsonl {
                self.value(&item)?;
            } else {
                items.push(serde_json::to_value(&item).map_err(io::Error::other)?);
            }
        }
        if self.format == Format::Jsonl {
            Ok(())
        } else {
            self.value(&items)
        }
    }
}

/// Why a command did not succeed.
pub enum Failure {
    /// The call failed: the server refused it, or it did not get through.
    Call(Error),
    /// The command line asked for something impossible.
    Usage(String),
    /// The result could not be written.
    Output(io::Error),
    /// The input was refused (a webhook whose signature does not match, say).
    Refused(String),
}

impl Failure {
    fn usage(message: String) -> Self {
        Failure::Usage(message)
    }

    /// Prints the failure to stderr and returns the exit code: 2 for a usage error (including
    /// a request refused before sending, or a bad client setting), 1 for anything else.
    fn report(self) -> ExitCode {
        eprintln!("error: {self}");
        match self {
            Failure::Usage(_)
            | Failure::Call(Error::InvalidRequest { .. })
            | Failure::Call(Error::Config { .. }) => ExitCode::from(2),
            _ => ExitCode::from(1),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Call(error) => write!(f, "{error}"),
            Failure::Usage(message) => write!(f, "{message}"),
            Failure::Output(error) => write!(f, "could not write the result: {error}"),
            Failure::Refused(message) => write!(f, "{message}"),
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Call(error)
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Failure::Output(error)
    }
}

/// Reads `@path` from a file, `-` from stdin, and anything else as it is.
fn read_text(value: &str) -> io::Result<String> {
    if value == "-" {
        let mut text = String::new();
        io::stdin().read_to_string(&mut text)?;
        Ok(text)
    } else if let Some(path) = value.strip_prefix('@') {
        std::fs::read_to_string(path)
    } else {
        Ok(value.to_owned())
    }
}

fn invalid(cmd: &clap::Command, arg: Option<&clap::Arg>, value: &str, why: String) -> clap::Error {
    let arg = arg.map(ToString::to_string).unwrap_or_default();
    cmd.clone().error(
        ErrorKind::ValueValidation,
        format!("invalid value '{value}' for '{arg}': {why}"),
    )
}

/// Text, a file (`@path`) or stdin (`-`).
#[derive(Clone)]
struct Text;

impl TypedValueParser for Text {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        let value = StringValueParser::new().parse_ref(cmd, arg, value)?;
        read_text(&value).map_err(|error| invalid(cmd, arg, &value, error.to_string()))
    }
}

/// JSON text, a file (`@path`) or stdin (`-`).
#[derive(Clone)]
struct Json;

impl TypedValueParser for Json {
    type Value = serde_json::Value;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<serde_json::Value, clap::Error> {
        let value = StringValueParser::new().parse_ref(cmd, arg, value)?;
        let text =
            read_text(&value).map_err(|error| invalid(cmd, arg, &value, error.to_string()))?;
        serde_json::from_str(&text).map_err(|error| invalid(cmd, arg, &value, error.to_string()))
    }
}

/// A string enum: `--help` lists the known values, and any other value is passed on.
#[derive(Clone)]
struct OpenEnum(&'static [&'static str]);

impl TypedValueParser for OpenEnum {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.0.iter().copied().map(PossibleValue::new)))
    }
}

/// A positive number of seconds, fractions allowed.
#[derive(Clone)]
struct Seconds;

impl TypedValueParser for Seconds {
    type Value = Duration;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<Duration, clap::Error> {
        let value = StringValueParser::new().parse_ref(cmd, arg, value)?;
        value
            .parse::<f64>()
            .ok()
            .filter(|seconds| *seconds > 0.0)
            .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
            .ok_or_else(|| invalid(cmd, arg, &value, "expected a positive number".to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    static API: Api = Api {
        name: "example",
        version: "1.0.0",
        about: "",
        long_about: "",
        settings: &crate::config::tests::SETTINGS,
        credentials: &[Credential {
            flag: "api-key",
            value_name: "API_KEY",
            env: None,
            help: "",
            index: 0,
        }],
        groups: &[&[Group {
            name: "pets",
            about: "",
            commands: &[Command {
                name: "list",
                about: "",
                long_about: "",
                args: &[Arg {
                    name: "limit",
                    ..Arg::DEFAULT
                }],
                paginated: true,
            }],
        }]],
    };

    /// Every flag a command of the tool accepts that its tables did not declare.
    fn own_flags() -> BTreeSet<String> {
        let mut root = command_line(&API);
        root.build();
        let group = root.find_subcommand("pets").expect("the group");
        let command = group.find_subcommand("list").expect("the command");
        let declared = ["api-key", "limit"];
        [&root, group, command]
            .into_iter()
            .flat_map(|command| command.get_arguments())
            .filter_map(|arg| arg.get_long())
            .filter(|long| !declared.contains(long))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn a_client_credentials_flag_takes_the_id_and_the_secret() {
        static OAUTH_API: Api = Api {
            settings: &crate::config::tests::CLIENT_CREDENTIALS_SETTINGS,
            credentials: &[Credential {
                flag: "client-credentials",
                value_name: "CLIENT_ID:CLIENT_SECRET",
                env: None,
                help: "",
                index: 0,
            }],
            ..API
        };
        let matches = command_line(&OAUTH_API)
            .try_get_matches_from([
                "example",
                "--client-credentials",
                "id:se:cret",
                "pets",
                "list",
            ])
            .expect("valid arguments");
        let Ok(built) = client(&OAUTH_API, &matches) else {
            panic!("a client");
        };
        // The secret is what follows the first `:`.
        assert_eq!(
            crate::config::tests::token_endpoint(&built, 0),
            (
                "https://api.example.test/oauth/token".to_owned(),
                reqwest::header::HeaderValue::from_static("Basic aWQ6c2UlM0FjcmV0")
            )
        );
        let matches = command_line(&OAUTH_API)
            .try_get_matches_from(["example", "pets", "list"])
            .expect("valid arguments");
        match client(&OAUTH_API, &matches) {
            Err(Failure::Usage(message)) => {
                assert!(message.contains("--client-credentials"), "{message}")
            }
            _ => panic!("expected a usage failure"),
        }
    }

    #[test]
    fn reserved_flags_are_the_flags_the_tool_defines_itself() {
        let reserved: BTreeSet<String> = RESERVED_FLAGS.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(own_flags(), reserved);
    }
}
