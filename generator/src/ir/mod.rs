//! Stage 2, IR: turn an [`openapiv3::OpenAPI`] document into an [`Api`]: every `$ref`
//! resolved, every type and operation named, every Rust type decided. Errors carry the JSON
//! pointer of the offending node.
//!
//! Vendor extensions read here (all optional):
//! - `info.x-sdk-crate-name`, `info.x-sdk-crate-version`, `info.x-sdk-crate-license`: the
//!   generated crate's name, version and license (an SPDX expression; the API's own
//!   `info.license` is not the SDK's). Defaults: from the title, `0.1.0`, none.
//! - `servers[0].x-sdk-env`: environment variable that overrides the base URL.
//! - `x-sdk-query-array-format` (root): `brackets`, `repeat` or `comma` for array query values.
//! - `x-sdk-response-headers` (root): `{request-id, should-retry, retry-after-ms}`, the names of
//!   the response headers that carry the request id, the retry verdict and the retry delay in
//!   milliseconds; `null` when the API has none. Defaults: `x-request-id`, `x-should-retry`,
//!   `retry-after-ms` (`Retry-After` is always read).
//! - `x-sdk-error-fields` (root): `{message, type, param, code}`, JSON pointers (RFC 6901) to
//!   those members of an error body, `null` when there is none. Members it leaves out are
//!   found in the error schema most operations share (a `message`, `detail`,
//!   `error_description` or `title`, a `type`, `param` and `code`, directly or under an
//!   `error` object); without one, the default is OpenAI's envelope: `/error/message`,
//!   `/error/type`, `/error/param`, `/error/code`.
//! - `x-sdk-mtls` (root): `{base-url, certificate-env, key-env}`: the API's mutual-TLS
//!   endpoint, used when the client presents a certificate and no base URL is set, and the
//!   environment variables `Client::from_env` reads the certificate's and key's paths from.
//!   Default: none (a certificate can still be set, for the default base URL).
//! - `x-sdk-idempotency` (root): `Idempotency-Key`, or `{header, methods}`: each call of those
//!   methods (default: POST, PUT, PATCH, DELETE) sends a key of its own in that header, the
//!   same on each of its retries. Default: none.
//! - `x-sdk-credential` on a security scheme: `{setter, env, password-env}` for the builder
//!   method and the environment variables of the secret (a basic user and password, a client
//!   id and secret; see [`security`] for the defaults).
//! - `x-sdk-resource` / `x-sdk-method` on an operation: where it hangs on the client.
//!   Default: from the path's shape (see [`placement`]).
//! - `x-sdk-resources` (root): `{path-prefix: resource}`, e.g. `{"/organization/certificates":
//!   admin.organization.certificates}`: operations under a prefix (the longest that matches,
//!   segment by segment) hang on its resource, or below it as the rest of their path says.
//! - `x-sdk-naming` (root): `operation-id` names each method by its operationId (without a
//!   prefix's resource words) on its first tag; default `paths`.
//! - Read too: `x-speakeasy-group` / `x-speakeasy-name-override` and `x-fern-sdk-group-name` /
//!   `x-fern-sdk-method-name` on an operation, after the `x-sdk-*` hints.
//! - `x-sdk-feature` on an operation: the Cargo feature it belongs to; `x-sdk-features: false`
//!   (root): none. Default: one feature per tag (see [`features`]).
//! - `x-sdk-pagination` on an operation: `{style: cursor | page | offset | link, cursor-param
//!   (cursor) or param (page, offset), items, has-more, next-cursor, total, total-pages}`, or
//!   `false`. At the root: the shape every other operation is paginated by when it fits
//!   (`false`: none). Defaults: `after`, `data`, `has_more`, `last_id` for a cursor; `page`
//!   and `offset` for the others. Without a hint (or Speakeasy's `x-speakeasy-pagination`),
//!   from the operation's shape (see [`pagination`]).
//! - `x-sdk-docs-base-url` (root): where the descriptions' root-relative links
//!   (`/docs/guides/audio`) lead, e.g. `https://platform.openai.com` (resolved by the load
//!   stage). Default: none; they stay text.
//! - `x-sdk-const: true` on a one-value enum (the load stage writes it for a `const`; Stainless's
//!   `x-stainless-const` is read too): a required member of it is set by constructors and
//!   builders, not passed. Default: a one-value enum may grow, so it stays an argument.
//! - `x-sdk-webhooks` (root): `{scheme, secret-env, tolerance}` for the webhooks' signatures
//!   (`standard-webhooks`, the secret's environment variable, the seconds a timestamp may be
//!   off), or `false` for no `webhooks` module. Defaults: Standard Webhooks, the crate name's
//!   first word then `_WEBHOOK_SECRET`, 300 (see [`webhooks`]).
//! - `x-sdk-name` on an inline schema: the name of its type (and, for a union's member, of
//!   its variant). Default: from where it stands, and for a union's member from what
//!   identifies it (title, tag value, wrapped schema), its position only as a last resort.

pub mod cli;
pub mod examples;
pub mod features;
pub mod model;
pub mod naming;
mod operation;
mod pagination;
mod placement;
mod queries;
mod schema;
mod security;
pub mod webhooks;

use indexmap::IndexMap;
use openapiv3::OpenAPI;
use serde_json::Value;

pub use model::*;
use naming::{type_name, Namespace};
pub use queries::TypeQueries;
use schema::TypeRegistry;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::error::SpecError;
use crate::pointer::Pointer;

/// Choices that the description does not make.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Overrides `info.x-sdk-crate-name` and the name derived from the title.
    pub crate_name: Option<String>,
    /// Treat every warning (a schema typed with a fallback) as an error.
    pub deny_warnings: bool,
    /// How the generated crate gets its runtime.
    pub runtime: RuntimeDependency,
}

/// How a generated crate gets the runtime (`sdkgen-runtime`): a dependency on the exact
/// version it was generated against, or a copy of its source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// From the registry (the default).
    #[default]
    Registry,
    /// From a local checkout: the path to the runtime crate, relative to the generated crate
    /// (as written in its `Cargo.toml`).
    Path(String),
    /// Its source copied into `src/runtime/`, for a crate with no dependency on it.
    Vendored,
}

/// The IR and the warnings about what was generated with a fallback.
pub type Built = (Api, Vec<Diagnostic>);

/// Builds the IR of a whole document. Every problem is reported, not only the first: the
/// error holds all diagnostics (warnings included) when any of them is an error.
///
/// The description is taken as it is: what cannot be generated degrades the smallest unit
/// that holds it, with a warning (a schema to `serde_json::Value`; a parameter, body or
/// response left out of its operation; an operation left out of the crate). Errors are
/// kept for the SDK's own hints (`x-sdk-*`), which its maintainer can fix, and for a
/// description of which nothing at all could be generated.
pub fn build(doc: &OpenAPI, settings: &Settings) -> Result<Built, Vec<Diagnostic>> {
    let mut diagnostics = Diagnostics::default();
    let info = Pointer::root().join("info");
    let crate_name = match &settings.crate_name {
        Some(name) => Ok(name.clone()),
        None => string_extension(&doc.info.extensions, "x-sdk-crate-name", &info)
            .map(|name| name.unwrap_or_else(|| crate_name_from_title(&doc.info.title))),
    }
    .and_then(|name| check_crate_name(&name, &info).map(|()| name));
    let crate_name = reported(crate_name, &mut diagnostics).unwrap_or_default();
    let crate_version = reported(
        string_extension(&doc.info.extensions, "x-sdk-crate-version", &info)
            .and_then(|version| check_crate_version(version, &info)),
        &mut diagnostics,
    )
    .flatten()
    .unwrap_or_else(|| "0.1.0".to_owned());
    let crate_license = reported(
        string_extension(&doc.info.extensions, "x-sdk-crate-license", &info),
        &mut diagnostics,
    )
    .flatten();
    let (base_url, base_url_env) =
        reported(server(doc, &mut diagnostics), &mut diagnostics).unwrap_or_default();
    let credentials = security::credentials(doc, &crate_name, &mut diagnostics);
    let array_override = reported(array_format(doc), &mut diagnostics).flatten();
    let response_headers = reported(response_headers(doc), &mut diagnostics).unwrap_or_default();
    let mtls = reported(mtls(doc), &mut diagnostics).unwrap_or_default();
    let idempotency = reported(idempotency(doc), &mut diagnostics).flatten();

    let empty = IndexMap::new();
    let components = doc.components.as_ref().map_or(&empty, |c| &c.schemas);
    let mut registry = TypeRegistry::new(components, diagnostics);
    registry.define_components();
    let mut operations = operation::operations(doc, &mut registry, array_override, &credentials);
    // After the operations, so that a webhook's inline payload takes no name they had.
    let planned = webhooks::plan(doc, &crate_name, &mut registry);
    let planned = reported(planned, &mut registry.diagnostics).flatten();
    let client = resource_tree(&operations, planned.is_some());
    let mut error_fields = inferred_error_fields(&registry, &operations).unwrap_or_default();
    let (mut types, diagnostics) = registry.finish();
    let mut webhooks = planned.map(|planned| webhooks::settle(planned, &types));
    settle_body_inputs(&mut operations, &types);
    examples::example_calls(&client, &mut operations, &types);
    let mut diagnostics = diagnostics.into_vec();
    let assigned = match features::assign(doc, &mut operations, &mut types, webhooks.as_mut()) {
        Ok(assigned) => {
            if let Some(warning) = &assigned.warning {
                diagnostics.push(Diagnostic::warning(
                    warning.pointer.clone(),
                    warning.reason.clone(),
                ));
            }
            Some(assigned)
        }
        Err(error) => {
            diagnostics.push(Diagnostic::error(error.pointer.to_string(), error.reason));
            None
        }
    };
    let (features, type_modules, operation_modules) = assigned.map_or_else(Default::default, |a| {
        (a.features, a.type_modules, a.operation_modules)
    });
    let declared_operations: usize = doc
        .paths
        .paths
        .values()
        .filter_map(|item| item.as_item())
        .map(|item| item.iter().count() + operation::additional_operations(item).len())
        .sum();
    if operations.is_empty() && types.is_empty() && declared_operations > 0 {
        diagnostics.push(Diagnostic::error(
            "#/paths",
            "nothing could be generated: every operation was left out (see the warnings)",
        ));
    }
    if settings.deny_warnings {
        for diagnostic in &mut diagnostics {
            diagnostic.severity = Severity::Error;
        }
    }
    if let Err(error) = error_fields_hint(doc, &mut error_fields) {
        diagnostics.push(Diagnostic::error(error.pointer.to_string(), error.reason));
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    let cli = cli::plan(
        &client,
        &operations,
        &operation_modules,
        &credentials.list,
        &types,
        crate::runtime::reserved_flags(),
        webhooks.is_some(),
    );
    let api = Api {
        crate_name,
        crate_version,
        crate_license,
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        api_version: doc.info.version.clone(),
        base_url,
        base_url_env,
        credentials: credentials.list,
        types,
        type_modules,
        features,
        operations,
        operation_modules,
        client,
        cli,
        response_headers,
        error_fields,
        mtls,
        idempotency,
        runtime: settings.runtime.clone(),
        webhooks,
    };
    Ok((api, diagnostics))
}

/// Settles each builder input that sets a body field once every type is known, after the
/// inputs were made: it takes the field's final type (a field of a recursive type is boxed),
/// and a field the schema turned out to fix (a tagged union's tag) is no input at all.
fn settle_body_inputs(operations: &mut [Operation], types: &[TypeDef]) {
    for operation in operations {
        let Some(fields) = operation
            .body
            .as_ref()
            .and_then(|body| types.struct_of(&body.ty))
        else {
            continue;
        };
        operation.inputs.retain(|input| match &input.target {
            InputTarget::BodyField { index, .. } => fields
                .fields
                .get(*index)
                .is_none_or(|field| field.fixed.is_none()),
            _ => true,
        });
        for input in &mut operation.inputs {
            if let InputTarget::BodyField { index, .. } = &input.target {
                if let Some(field) = fields.fields.get(*index) {
                    input.ty = field.ty.clone();
                }
            }
        }
    }
}

/// The value, or `None` with the error recorded.
fn reported<T>(result: Result<T, SpecError>, diagnostics: &mut Diagnostics) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(error) => {
            diagnostics.error(error.pointer, error.reason);
            None
        }
    }
}

fn string_extension(
    extensions: &IndexMap<String, Value>,
    key: &str,
    at: &Pointer,
) -> Result<Option<String>, SpecError> {
    match extensions.get(key) {
        None => Ok(None),
        Some(Value::String(value)) => Ok(Some(value.clone())),
        Some(_) => Err(SpecError::new(at.join(key), "expected a string")),
    }
}

fn crate_name_from_title(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        return "api-client".to_owned();
    }
    let name = words.join("-");
    if naming::is_reserved_crate_name(&name) {
        // A title such as "Ref" or "Type" still names a crate.
        format!("{name}-api")
    } else {
        name
    }
}

/// Cargo takes a version that semver reads (`1.2.3`, `0.4.0-beta.1`), nothing else.
fn check_crate_version(
    version: Option<String>,
    info: &Pointer,
) -> Result<Option<String>, SpecError> {
    match version {
        Some(text) => match semver::Version::parse(&text) {
            Ok(_) => Ok(Some(text)),
            Err(error) => Err(SpecError::new(
                info.join("x-sdk-crate-version"),
                format!("`{text}` is not a crate version such as `0.1.0`: {error}"),
            )),
        },
        None => Ok(None),
    }
}

fn check_crate_name(name: &str, at: &Pointer) -> Result<(), SpecError> {
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid && naming::is_reserved_crate_name(name) {
        Err(SpecError::new(
            at.join("x-sdk-crate-name"),
            format!("`{name}` is a Rust keyword, which Cargo refuses as a package name"),
        ))
    } else if valid {
        Ok(())
    } else {
        Err(SpecError::new(
            at.join("x-sdk-crate-name"),
            format!("`{name}` is not a valid crate name (letters, digits, `-` and `_`, starting with a letter)"),
        ))
    }
}

/// The default base URL (the first server, variables at their defaults) and its env override.
/// A variable with no definition stays in the URL as written, with a warning: the client
/// then needs a base URL (`build()` refuses one it cannot parse).
fn server(
    doc: &OpenAPI,
    diagnostics: &mut Diagnostics,
) -> Result<(String, Option<String>), SpecError> {
    let Some(server) = doc.servers.first() else {
        return Ok((String::new(), None));
    };
    let at = Pointer::root().join("servers").join(0);
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    if url.contains('{') {
        diagnostics.warn(
            at.join("url"),
            format!("server URL `{url}` uses a variable with no definition; kept as written, so the client needs a base URL"),
        );
    }
    let env = string_extension(&server.extensions, "x-sdk-env", &at)?;
    Ok((url.trim_end_matches('/').to_owned(), env))
}

/// A root hint that names some of `keys`, each a string `valid` accepts or `null` (`None`):
/// the keys it gives, in the hint's order, with their values.
fn keyed_hint<'k>(
    doc: &OpenAPI,
    name: &str,
    keys: &[&'k str],
    valid: fn(&str) -> bool,
    expected_value: &str,
) -> Result<Vec<(&'k str, Option<String>)>, SpecError> {
    let at = Pointer::root().join(name);
    let Some(hint) = doc.extensions.get(name) else {
        return Ok(Vec::new());
    };
    let quoted: Vec<String> = keys.iter().map(|key| format!("`{key}`")).collect();
    let Value::Object(entries) = hint else {
        return Err(SpecError::new(
            at,
            format!("expected an object with {}", quoted.join(", ")),
        ));
    };
    entries
        .iter()
        .map(|(key, value)| {
            let Some(known) = keys.iter().find(|known| *known == key) else {
                return Err(SpecError::new(
                    at.join(key),
                    format!("expected one of {}", quoted.join(", ")),
                ));
            };
            match value {
                Value::Null => Ok((*known, None)),
                Value::String(text) if valid(text) => Ok((*known, Some(text.clone()))),
                _ => Err(SpecError::new(
                    at.join(key),
                    format!("expected {expected_value}, or `null`"),
                )),
            }
        })
        .collect()
}

/// `x-sdk-response-headers`, over the defaults.
fn response_headers(doc: &OpenAPI) -> Result<ResponseHeaders, SpecError> {
    let mut headers = ResponseHeaders::default();
    let hinted = keyed_hint(
        doc,
        "x-sdk-response-headers",
        &["request-id", "should-retry", "retry-after-ms"],
        is_token,
        "a header name (`null` when the API sends none)",
    )?;
    for (key, name) in hinted {
        let slot = match key {
            "request-id" => &mut headers.request_id,
            "should-retry" => &mut headers.should_retry,
            _ => &mut headers.retry_after_ms,
        };
        *slot = name.map(|name| name.to_ascii_lowercase());
    }
    Ok(headers)
}

/// `x-sdk-mtls`: the API's mutual-TLS endpoint and the environment variables of a client
/// certificate.
fn mtls(doc: &OpenAPI) -> Result<Mtls, SpecError> {
    let mut mtls = Mtls::default();
    let hinted = keyed_hint(
        doc,
        "x-sdk-mtls",
        &["base-url", "certificate-env", "key-env"],
        |text| !text.is_empty() && !text.contains(char::is_whitespace),
        "a URL or an environment variable's name",
    )?;
    for (key, value) in hinted {
        let slot = match key {
            "base-url" => &mut mtls.base_url,
            "certificate-env" => &mut mtls.certificate_env,
            _ => &mut mtls.key_env,
        };
        *slot = value;
    }
    if mtls.certificate_env.is_some() != mtls.key_env.is_some() {
        return Err(SpecError::new(
            Pointer::root().join("x-sdk-mtls"),
            "`certificate-env` and `key-env` go together: name both or neither",
        ));
    }
    Ok(mtls)
}

/// The methods whose calls send an idempotency key when the hint names none: those that
/// change something.
const IDEMPOTENT_BY_KEY: [&str; 4] = ["POST", "PUT", "PATCH", "DELETE"];

/// `x-sdk-idempotency`: the header of an idempotency key (`Idempotency-Key`, or `{header,
/// methods}`), or nothing.
fn idempotency(doc: &OpenAPI) -> Result<Option<Idempotency>, SpecError> {
    let at = Pointer::root().join("x-sdk-idempotency");
    let (header, methods) = match doc.extensions.get("x-sdk-idempotency") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(header)) => (header.as_str(), None),
        Some(Value::Object(entries)) => {
            if let Some(key) = entries
                .keys()
                .find(|key| !["header", "methods"].contains(&key.as_str()))
            {
                return Err(SpecError::new(
                    at.join(key),
                    "expected `header` or `methods`",
                ));
            }
            let Some(Value::String(header)) = entries.get("header") else {
                return Err(SpecError::new(
                    at.join("header"),
                    "expected the header's name",
                ));
            };
            let not_methods =
                || SpecError::new(at.join("methods"), "expected a list of HTTP methods");
            let methods = match entries.get("methods") {
                None => None,
                Some(Value::Array(methods)) => Some(
                    methods
                        .iter()
                        .map(|method| match method {
                            Value::String(method) if is_token(method) => {
                                Ok(method.to_ascii_uppercase())
                            }
                            _ => Err(not_methods()),
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                ),
                Some(_) => return Err(not_methods()),
            };
            (header.as_str(), methods)
        }
        Some(_) => {
            return Err(SpecError::new(
                at,
                "expected a header's name, or `{header, methods}`",
            ))
        }
    };
    if !is_token(header) {
        return Err(SpecError::new(
            at,
            format!("`{header}` is not a header name"),
        ));
    }
    Ok(Some(Idempotency {
        header: header.to_owned(),
        methods: methods
            .unwrap_or_else(|| IDEMPOTENT_BY_KEY.iter().map(|m| (*m).to_owned()).collect()),
    }))
}

/// `x-sdk-error-fields` over `fields` (inferred or default): the members it names.
fn error_fields_hint(doc: &OpenAPI, fields: &mut ErrorFields) -> Result<(), SpecError> {
    let hinted = keyed_hint(
        doc,
        "x-sdk-error-fields",
        &["message", "type", "param", "code"],
        |pointer| pointer.starts_with('/'),
        "a JSON pointer into the error body (`/error/message`)",
    )?;
    for (key, pointer) in hinted {
        let slot = match key {
            "message" => &mut fields.message,
            "type" => &mut fields.error_type,
            "param" => &mut fields.param,
            _ => &mut fields.code,
        };
        *slot = pointer;
    }
    Ok(())
}

/// The members of the error schema most operations share, when it has a message or a code:
/// directly, or under an `error` object.
fn inferred_error_fields(
    registry: &TypeRegistry<'_>,
    operations: &[Operation],
) -> Option<ErrorFields> {
    let mut counts: IndexMap<&TypeRef, usize> = IndexMap::new();
    for error in operations
        .iter()
        .filter_map(|operation| operation.error.as_ref())
    {
        *counts.entry(error).or_default() += 1;
    }
    let most = counts.values().copied().max()?;
    let (error, _) = counts.into_iter().find(|(_, count)| *count == most)?;
    let struct_named = |ty: &TypeRef| {
        let ty = match ty {
            TypeRef::Boxed(inner) => inner,
            ty => ty,
        };
        registry.struct_of(registry.resolve_alias(ty))
    };
    let outer = struct_named(error)?;
    fn member<'s>(fields: &'s Struct, wire: &str) -> Option<&'s Field> {
        fields.fields.iter().find(|f| f.wire_name == wire)
    }
    let (prefix, fields) = match member(outer, "error").and_then(|f| struct_named(&f.ty)) {
        Some(inner) => ("/error", inner),
        None => ("", outer),
    };
    let pointer = |candidates: &[&str]| {
        candidates
            .iter()
            .find(|wire| member(fields, wire).is_some())
            .map(|wire| format!("{prefix}/{wire}"))
    };
    let found = ErrorFields {
        message: pointer(&["message", "detail", "error_description", "title"]),
        error_type: pointer(&["type"]),
        param: pointer(&["param"]),
        code: pointer(&["code", "error_code"]),
    };
    (found.message.is_some() || found.code.is_some()).then_some(found)
}

/// A token as HTTP defines it (RFC 9110): a header name, an authentication scheme, a method.
pub(super) fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn array_format(doc: &OpenAPI) -> Result<Option<ArrayFormat>, SpecError> {
    let at = Pointer::root();
    Ok(
        match string_extension(&doc.extensions, "x-sdk-query-array-format", &at)?.as_deref() {
            None => None,
            Some("brackets") => Some(ArrayFormat::Brackets),
            Some("repeat") => Some(ArrayFormat::Repeat),
            Some("comma") => Some(ArrayFormat::Comma),
            Some(other) => {
                return Err(SpecError::new(
                    at.join("x-sdk-query-array-format"),
                    format!("`{other}` is not one of `brackets`, `repeat`, `comma`"),
                ))
            }
        },
    )
}

/// Client methods the generated `client` module defines itself; with those it re-declares from
/// the runtime (read from its source), root accessors and methods must not take them.
const CLIENT_EMITTED: &[&str] = &["builder", "from_env"];

/// Groups operations by resource path into a tree rooted at the client; accessor and method
/// names are unique per node (children first, then operations, in document order).
fn resource_tree(operations: &[Operation], has_webhooks: bool) -> Resource {
    let mut root = Resource {
        accessor: String::new(),
        struct_name: "Client".to_owned(),
        methods: Vec::new(),
        children: Vec::new(),
    };
    let mut struct_names = Namespace::with_reserved(["Client"]);
    for (index, operation) in operations.iter().enumerate() {
        let mut node = &mut root;
        let mut path = String::new();
        for segment in &operation.resource {
            path.push_str(naming::unraw(segment));
            path.push('_');
            let position = match node
                .children
                .iter()
                .position(|child| &child.accessor == segment)
            {
                Some(position) => position,
                None => {
                    node.children.push(Resource {
                        accessor: segment.clone(),
                        struct_name: struct_names.claim(&type_name(&path)),
                        methods: Vec::new(),
                        children: Vec::new(),
                    });
                    node.children.len() - 1
                }
            };
            node = &mut node.children[position];
        }
        node.methods.push(ResourceMethod {
            name: operation.method_name.clone(),
            operation: index,
        });
    }
    let runtime: Vec<String> = crate::runtime::method_names("Client").collect();
    let reserved = CLIENT_EMITTED
        .iter()
        .copied()
        .chain(runtime.iter().map(String::as_str))
        .chain(has_webhooks.then_some(webhooks::ACCESSOR));
    dedupe_members(&mut root, reserved);
    root
}

fn dedupe_members<'a>(resource: &mut Resource, reserved: impl IntoIterator<Item = &'a str>) {
    let mut names = Namespace::with_reserved(reserved);
    for child in &mut resource.children {
        child.accessor = names.claim(&child.accessor);
    }
    for method in &mut resource.methods {
        method.name = names.claim(&method.name);
    }
    for child in &mut resource.children {
        dedupe_members(child, ["new", "client"]);
    }
}

#[cfg(test)]
mod tests;
