//! The single request handler: record, authenticate, route, validate, answer.
//!
//! Routing is done by hand in one fallback handler so that every request, including ones no
//! route matches, is recorded exactly as received before anything can reject it.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::body::Body;
use axum::extract::{Request, State as AxumState};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value};

use super::error::ApiError;
use super::query;
use super::recorded::RecordedRequest;
use super::store::{Order, Store, UnknownCursor, UploadError, MAX_CERTIFICATES};

/// Bodies larger than this are answered with 413 (a certificate is a few KiB).
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The list page size when `limit` is not given.
const DEFAULT_LIMIT: usize = 20;

/// What the server task and the [`FakeApi`](super::FakeApi) handle share. Not `Debug`: it
/// holds the admin key.
pub(crate) struct Shared {
    admin_key: String,
    state: Mutex<State>,
}

/// Everything that changes as requests arrive.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) requests: Vec<RecordedRequest>,
    /// Requests answered so far; the n-th gets `x-request-id: req_<n>`.
    request_count: u64,
    pub(crate) store: Store,
}

impl Shared {
    pub(crate) fn new(admin_key: &str) -> Self {
        Self {
            admin_key: admin_key.to_owned(),
            state: Mutex::default(),
        }
    }

    /// Locks the state. A panic elsewhere while locked leaves the data consistent (every
    /// update is a single push or field write), so a poisoned lock is simply taken over.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The axum fallback handler that serves every request.
pub(crate) async fn handle(
    AxumState(shared): AxumState<Arc<Shared>>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let declared_length = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<usize>().ok());
    // A declared oversize body is refused unread, so the client gets its 413 at once.
    let body = match declared_length {
        Some(length) if length > MAX_BODY_BYTES => None,
        _ => axum::body::to_bytes(body, MAX_BODY_BYTES).await.ok(),
    };
    let body_was_read = body.is_some();
    let recorded = RecordedRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_owned(), value)
            })
            .collect(),
        body: body.map(Vec::from).unwrap_or_default(),
    };

    let mut state = shared.lock();
    state.request_count += 1;
    let request_id = format!("req_{}", state.request_count);
    let outcome = if body_was_read {
        route(&shared.admin_key, &mut state.store, &recorded)
    } else {
        // Too large, or the client hung up mid-body (then nobody reads this answer).
        Err(ApiError::payload_too_large(format!(
            "The request body could not be read: it is larger than {MAX_BODY_BYTES} bytes."
        )))
    };
    state.requests.push(recorded);
    drop(state);

    match outcome {
        Ok(body) => json_response(StatusCode::OK, &body, &request_id),
        Err(error) => json_response(error.status, &error.envelope(), &request_id),
    }
}

fn json_response(status: StatusCode, body: &Value, request_id: &str) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert("x-request-id", value);
    }
    response
}

fn route(admin_key: &str, store: &mut Store, request: &RecordedRequest) -> Result<Value, ApiError> {
    authenticate(admin_key, request.header("authorization"))?;

    let invalid_url =
        || ApiError::not_found(format!("Invalid URL ({} {})", request.method, request.path));
    let rest = request
        .path
        .strip_prefix("/v1/organization/certificates")
        .ok_or_else(invalid_url)?;
    let query = query::pairs(request.query.as_deref());
    match (request.method.as_str(), rest) {
        ("GET", "") => list(store, &query),
        ("POST", "") => upload(store, &request.body),
        (method, rest) => {
            let id = rest
                .strip_prefix('/')
                .filter(|id| !id.is_empty() && !id.contains('/'))
                .ok_or_else(invalid_url)?;
            let id = query::decode(id, false);
            match method {
                "GET" => get(store, &id, &query),
                "POST" => modify(store, &id, &request.body),
                _ => Err(invalid_url()),
            }
        }
    }
}

/// Accepts exactly `Authorization: Bearer <admin key>` (the scheme is case-insensitive).
fn authenticate(admin_key: &str, authorization: Option<&str>) -> Result<(), ApiError> {
    let Some(value) = authorization else {
        return Err(ApiError::unauthorized(
            "You didn't provide an API key. You need to provide your API key in an \
             Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        ));
    };
    let token = value
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token);
    if token == Some(admin_key) {
        Ok(())
    } else {
        // The key is not echoed: error messages must never carry secrets.
        Err(ApiError::unauthorized("Incorrect API key provided."))
    }
}

/// `GET /organization/certificates`. An unknown `after` id is a 400 (not an empty page) so
/// that a client sending a wrong cursor fails loudly in tests.
fn list(store: &Store, query: &[(String, String)]) -> Result<Value, ApiError> {
    let limit = match query::last(query, "limit") {
        None => DEFAULT_LIMIT,
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|limit| (1..=100).contains(limit))
            .ok_or_else(|| {
                ApiError::bad_request(
                    format!("Invalid 'limit': expected an integer between 1 and 100, got '{raw}'."),
                    Some("limit"),
                )
            })?,
    };
    let order = match query::last(query, "order") {
        None | Some("desc") => Order::Desc,
        Some("asc") => Order::Asc,
        Some(other) => {
            return Err(ApiError::bad_request(
                format!("Invalid 'order': expected 'asc' or 'desc', got '{other}'."),
                Some("order"),
            ))
        }
    };
    let after = query::last(query, "after");
    store.list(order, after, limit).map_err(|UnknownCursor| {
        ApiError::bad_request(
            format!(
                "Invalid 'after': no certificate has the id '{}'.",
                after.unwrap_or_default()
            ),
            Some("after"),
        )
    })
}

/// `POST /organization/certificates`.
fn upload(store: &mut Store, body: &[u8]) -> Result<Value, ApiError> {
    let mut fields = json_object(body, &["certificate", "name"])?;
    let certificate = optional_string(&mut fields, "certificate")?.ok_or_else(|| {
        ApiError::bad_request(
            "Missing required parameter: 'certificate'.",
            Some("certificate"),
        )
    })?;
    let name = optional_string(&mut fields, "name")?;
    store
        .upload(&certificate, name)
        .map_err(|error| match error {
            UploadError::InvalidCertificate(error) => ApiError::bad_request(
                format!("Invalid certificate: {error}."),
                Some("certificate"),
            ),
            UploadError::LimitReached => ApiError::bad_request(
                format!("Organizations can upload up to {MAX_CERTIFICATES} certificates."),
                None,
            ),
        })
}

/// `GET /organization/certificates/{id}`; `include[]` (brackets literal or percent-encoded)
/// may repeat. A plain `include` key is ignored like any unknown parameter, because upstream
/// expects the bracket form.
fn get(store: &Store, id: &str, query: &[(String, String)]) -> Result<Value, ApiError> {
    let mut include_content = false;
    for (_, value) in query.iter().filter(|(key, _)| key == "include[]") {
        if value != "content" {
            return Err(ApiError::bad_request(
                format!("Invalid 'include[]': '{value}'. Supported values are: 'content'."),
                Some("include"),
            ));
        }
        include_content = true;
    }
    store
        .get(id, include_content)
        .ok_or_else(|| certificate_not_found(id))
}

/// `POST /organization/certificates/{id}`: only the name can change; `{}` changes nothing.
fn modify(store: &mut Store, id: &str, body: &[u8]) -> Result<Value, ApiError> {
    let mut fields = json_object(body, &["name"])?;
    let name = optional_string(&mut fields, "name")?;
    store
        .rename(id, name)
        .ok_or_else(|| certificate_not_found(id))
}

fn certificate_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("No certificate found with id '{id}'."))
}

/// Parses a JSON object body, refusing fields outside `allowed` like upstream does.
fn json_object(body: &[u8], allowed: &[&str]) -> Result<Map<String, Value>, ApiError> {
    let value: Value = serde_json::from_slice(body).map_err(|_| {
        ApiError::bad_request(
            "We could not parse the JSON body of your request. The API expects a JSON payload.",
            None,
        )
    })?;
    let Value::Object(fields) = value else {
        return Err(ApiError::bad_request(
            format!(
                "Invalid body: expected a JSON object, but got {}.",
                kind(&value)
            ),
            None,
        ));
    };
    if let Some(unknown) = fields.keys().find(|key| !allowed.contains(&key.as_str())) {
        return Err(ApiError::bad_request(
            format!("Unrecognized request argument supplied: {unknown}"),
            Some(unknown),
        ));
    }
    Ok(fields)
}

/// Takes the string field `key`; absent is `None`, and anything but a string (even `null`,
/// since these fields are not nullable) is a 400.
fn optional_string(fields: &mut Map<String, Value>, key: &str) -> Result<Option<String>, ApiError> {
    match fields.remove(key) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(other) => Err(ApiError::bad_request(
            format!(
                "Invalid type for '{key}': expected a string, but got {}.",
                kind(&other)
            ),
            Some(key),
        )),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
