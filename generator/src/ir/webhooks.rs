//! Webhooks: the requests an API sends to its users' endpoints (OpenAPI 3.1's `webhooks`;
//! 3.0 descriptions wrote them as `x-webhooks`, and the load stage reads 3.1's under that
//! name, as openapiv3 keeps nothing else). Each webhook's JSON payload (its request body, or
//! without one its success response, as some 3.0 descriptions wrote the event) is typed like
//! a request body; together they make one event type, a union tagged by the member the
//! payloads fix to their own values where they have one, decoded by the `webhooks` module
//! after it has checked the request's Standard Webhooks signature.
//!
//! The root hint `x-sdk-webhooks: {scheme, secret-env, tolerance}` says how requests are
//! signed: `standard-webhooks` (the only scheme, and the default), the environment variable
//! of the secret (default: the crate name's first word, then `WEBHOOK_SECRET`:
//! `OPENAI_WEBHOOK_SECRET`), and how many seconds a timestamp may be from now (default 300).

use openapiv3::{OpenAPI, PathItem, ReferenceOr};
use serde_json::Value;

use super::model::{TypeDef, TypeKind, TypeRef, Webhook, Webhooks};
use super::naming::pascal;
use super::operation::{is_json, resolve_component};
use super::queries::TypeQueries;
use super::schema::TypeRegistry;
use crate::error::SpecError;
use crate::pointer::Pointer;

/// The extension a 3.0 description lists its webhooks under, and a 3.1 one's are read as.
pub const EXTENSION: &str = "x-webhooks";

const HINT: &str = "x-sdk-webhooks";
const DEFAULT_TOLERANCE_SECONDS: u64 = 300;
/// The name of the event type, unless a schema has it.
const EVENT_TYPE: &str = "WebhookEvent";

/// The webhooks once their payloads are typed, before the types are finished (the event
/// type's variants are named then).
pub struct Planned {
    event_type: String,
    events: Vec<Webhook>,
    secret_env: String,
    tolerance_seconds: u64,
}

/// Types each webhook's payload and defines the event type; `None` when the description has
/// no webhook that can be typed, or its hint turns them off. A webhook that cannot be typed
/// (no JSON payload, a `$ref` path item) is left out with a warning.
pub fn plan(
    doc: &OpenAPI,
    crate_name: &str,
    registry: &mut TypeRegistry<'_>,
) -> Result<Option<Planned>, SpecError> {
    let Some(Value::Object(listed)) = doc.extensions.get(EXTENSION) else {
        return Ok(None);
    };
    let Some(hint) = read_hint(doc, crate_name)? else {
        return Ok(None);
    };
    // Where the webhooks are written: 3.1's `webhooks`, which the load stage moved.
    let section = match doc.openapi.starts_with("3.0") {
        true => EXTENSION,
        false => "webhooks",
    };
    let root = Pointer::root().join(section);
    let mut events = Vec::new();
    let mut members = Vec::new();
    for (name, item) in listed {
        let at = root.join(name);
        match payload(doc, name, item, &at, registry) {
            Ok((payload, docs, origin)) => {
                let label = pascal(name);
                members.push((payload.clone(), label));
                events.push(Webhook {
                    name: name.clone(),
                    variant: String::new(),
                    payload,
                    docs,
                    origin,
                });
            }
            Err(error) => registry.diagnostics.warn(
                error.pointer,
                format!("{}; the webhook is left out", error.reason),
            ),
        }
    }
    if events.is_empty() {
        return Ok(None);
    }
    let docs = "An event the API sends to a webhook endpoint.".to_owned();
    let event_type = registry.define_union(EVENT_TYPE, Some(docs), members, &root);
    Ok(Some(Planned {
        event_type,
        events,
        secret_env: hint.secret_env,
        tolerance_seconds: hint.tolerance_seconds,
    }))
}

/// The webhooks once every type is final: each event names its variant of the event type.
pub fn settle(planned: Planned, types: &[TypeDef]) -> Webhooks {
    let mut events = planned.events;
    if let Some(TypeKind::Union(union)) = types.type_named(&planned.event_type).map(|def| &def.kind)
    {
        for (event, variant) in events.iter_mut().zip(&union.variants) {
            event.variant = variant.rust_name.clone();
        }
    }
    Webhooks {
        event_type: planned.event_type,
        events,
        secret_env: planned.secret_env,
        tolerance_seconds: planned.tolerance_seconds,
        gate: Vec::new(),
    }
}

/// A webhook's payload type, its docs and the pointer of its operation: the JSON body of
/// its first operation that has one (a webhook is one `post` in practice).
fn payload(
    doc: &OpenAPI,
    name: &str,
    item: &Value,
    at: &Pointer,
    registry: &mut TypeRegistry<'_>,
) -> Result<(TypeRef, Option<String>, String), SpecError> {
    let item: ReferenceOr<PathItem> = serde_json::from_value(item.clone())
        .map_err(|error| SpecError::new(at.clone(), format!("not a path item: {error}")))?;
    let ReferenceOr::Item(item) = item else {
        return Err(SpecError::new(
            at.clone(),
            "a webhook given by `$ref` is not supported",
        ));
    };
    for (method, operation) in item.iter() {
        let operation_at = at.join(method);
        let Some(body) = &operation.request_body else {
            if let Some(found) = response_payload(doc, name, operation, &operation_at, registry) {
                return Ok(found);
            }
            continue;
        };
        let (body, body_at) = resolve_component(
            body,
            operation_at.join("requestBody"),
            "requestBodies",
            "a request body",
            |components| &components.request_bodies,
            doc,
        )?;
        let Some((media, content)) = body.content.iter().find(|(media, _)| is_json(media)) else {
            continue;
        };
        let Some(schema) = &content.schema else {
            continue;
        };
        let schema_at = body_at.join("content").join(media).join("schema");
        let ty = registry.resolve(schema, &pascal(name), &schema_at).ty;
        let docs = operation
            .description
            .clone()
            .or_else(|| operation.summary.clone())
            .or_else(|| body.description.clone());
        return Ok((ty, docs, operation_at.to_string()));
    }
    Err(SpecError::new(
        at.clone(),
        "the webhook has no operation with a JSON request body (or, without a body, a JSON \
         success response), the event it sends",
    ))
}

/// The payload of a webhook operation without a request body, as some 3.0 descriptions
/// wrote the event: its success response's JSON content.
fn response_payload(
    doc: &OpenAPI,
    name: &str,
    operation: &openapiv3::Operation,
    at: &Pointer,
    registry: &mut TypeRegistry<'_>,
) -> Option<(TypeRef, Option<String>, String)> {
    let (code, response) = super::operation::success_response(operation)?;
    let (response, response_at) = resolve_component(
        response,
        at.join("responses").join(code),
        "responses",
        "a response",
        |components| &components.responses,
        doc,
    )
    .ok()?;
    let (media, content) = response.content.iter().find(|(media, _)| is_json(media))?;
    let schema = content.schema.as_ref()?;
    let schema_at = response_at.join("content").join(media).join("schema");
    let ty = registry.resolve(schema, &pascal(name), &schema_at).ty;
    let docs = operation
        .description
        .clone()
        .or_else(|| operation.summary.clone())
        .or_else(|| Some(response.description.clone()).filter(|d| !d.is_empty()));
    Some((ty, docs, at.to_string()))
}

/// What `x-sdk-webhooks` says, with its defaults; `None` for `x-sdk-webhooks: false`.
struct Hint {
    secret_env: String,
    tolerance_seconds: u64,
}

fn read_hint(doc: &OpenAPI, crate_name: &str) -> Result<Option<Hint>, SpecError> {
    let at = Pointer::root().join(HINT);
    let mut hint = Hint {
        secret_env: super::security::default_env(crate_name, "webhook_secret"),
        tolerance_seconds: DEFAULT_TOLERANCE_SECONDS,
    };
    let fields = match doc.extensions.get(HINT) {
        None | Some(Value::Bool(true)) => return Ok(Some(hint)),
        Some(Value::Bool(false)) => return Ok(None),
        Some(Value::Object(fields)) => fields,
        Some(_) => {
            return Err(SpecError::new(
                at,
                "expected `{scheme, secret-env, tolerance}` or `false`",
            ))
        }
    };
    for (key, value) in fields {
        match (key.as_str(), value) {
            ("scheme", Value::String(scheme)) if scheme == "standard-webhooks" => {}
            ("scheme", _) => {
                return Err(SpecError::new(
                    at.join(key),
                    "the only signature scheme is `standard-webhooks`",
                ))
            }
            ("secret-env", Value::String(env)) if is_env_name(env) => {
                hint.secret_env = env.clone();
            }
            ("tolerance", Value::Number(seconds)) if seconds.is_u64() => {
                hint.tolerance_seconds = seconds.as_u64().unwrap_or_default();
            }
            ("secret-env", _) => {
                return Err(SpecError::new(
                    at.join(key),
                    "expected the name of an environment variable (letters, digits and `_`)",
                ))
            }
            ("tolerance", _) => {
                return Err(SpecError::new(
                    at.join(key),
                    "expected a whole number of seconds",
                ))
            }
            _ => {
                return Err(SpecError::new(
                    at.join(key),
                    format!("unknown key `{key}`: expected `scheme`, `secret-env` or `tolerance`"),
                ))
            }
        }
    }
    Ok(Some(hint))
}

fn is_env_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The name of the client's accessor of the webhooks, which no resource takes.
pub const ACCESSOR: &str = "webhooks";
