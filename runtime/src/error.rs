//! The one error type returned by every operation.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::retry;
use super::settings::{ErrorFields, ResponseHeaders};

/// A boxed error from a lower layer (the HTTP stack), kept as the `source()` of an [`Error`].
type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// The most characters of a body without an error envelope quoted in an error message.
const BODY_EXCERPT_CHARS: usize = 200;

/// Everything that can go wrong when calling the API.
///
/// The variants tell apart who failed: the server ([`Error::Api`]), the network
/// ([`Error::Connection`], [`Error::Timeout`]), the response's shape ([`Error::Decode`]), or the
/// caller before anything was sent ([`Error::InvalidRequest`], [`Error::Config`]). The helper
/// methods answer the common questions without matching.
#[non_exhaustive]
pub enum Error {
    /// The API answered with a status other than 2xx.
    Api(Box<ApiError>),
    /// The request could not be sent, or the response could not be read completely.
    #[non_exhaustive]
    Connection {
        /// The underlying transport error.
        source: BoxError,
    },
    /// An attempt did not complete (response headers and body) within the timeout.
    #[non_exhaustive]
    Timeout {
        /// The underlying transport error.
        source: BoxError,
    },
    /// The API answered with success, but the body is not what this client expects.
    #[non_exhaustive]
    Decode {
        /// The HTTP status of the response.
        status: StatusCode,
        /// The `x-request-id` response header, if any.
        request_id: Option<String>,
        /// The raw response body.
        body: Vec<u8>,
        /// Why decoding failed.
        source: serde_json::Error,
    },
    /// The request was refused before anything was sent (for example an empty path parameter).
    #[non_exhaustive]
    InvalidRequest {
        /// What is wrong with the request.
        message: String,
    },
    /// The client could not be built from its configuration.
    #[non_exhaustive]
    Config {
        /// What is wrong with the configuration.
        message: String,
    },
    /// A hook of the application's refused the call (see `Hook`).
    #[non_exhaustive]
    Hook {
        /// The hook's own error.
        source: BoxError,
    },
    /// No access token could be had from the API's OAuth 2 token endpoint: it refused the
    /// client's credentials, answered with something that is not a token, or could not be
    /// reached. Nothing was sent to the API.
    #[non_exhaustive]
    Token {
        /// What went wrong, with the endpoint's `error` and `error_description` when it gave
        /// them.
        message: String,
        /// The token endpoint's status, when it answered.
        status: Option<StatusCode>,
        /// The transport error, when it did not answer or its answer was cut short.
        source: Option<BoxError>,
    },
}

impl Error {
    pub(crate) fn invalid_request(message: impl Into<String>) -> Self {
        Error::InvalidRequest {
            message: message.into(),
        }
    }

    pub(crate) fn hook(source: BoxError) -> Self {
        Error::Hook { source }
    }

    pub(crate) fn token(
        message: impl Into<String>,
        status: Option<StatusCode>,
        source: Option<BoxError>,
    ) -> Self {
        Error::Token {
            message: message.into(),
            status,
            source,
        }
    }

    /// A copy of this token error for the other calls that waited on the same fetch: its
    /// source, which cannot be cloned, kept as its text.
    pub(crate) fn copy_of_token_error(&self) -> Self {
        match self {
            Error::Token {
                message,
                status,
                source,
            } => Error::Token {
                message: message.clone(),
                status: *status,
                source: source
                    .as_ref()
                    .map(|source| BoxError::from(WithRootCause(source.as_ref()).to_string())),
            },
            other => Error::token(other.to_string(), None, None),
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    /// The HTTP status of the response, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(error) => Some(error.status()),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The `x-request-id` the server assigned, to quote when reporting a problem.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(error) => error.request_id(),
            Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The API error, when the server answered with a non-success status.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// Whether trying the same request again may succeed.
    ///
    /// This is the rule the client's own retries follow: connection errors, timeouts, and the
    /// statuses 408, 409, 429 and 5xx, unless the server said otherwise with `x-should-retry`.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connection { .. } | Error::Timeout { .. } => true,
            Error::Api(error) => {
                retry::should_retry(error.status(), error.headers(), &error.meaning)
            }
            // The token endpoint unreachable or failing, not refusing.
            Error::Token { status, .. } => status.map_or(true, |status| {
                retry::should_retry(status, &HeaderMap::new(), &ResponseHeaders::NONE)
            }),
            _ => false,
        }
    }

    /// Whether the server answered 400 Bad Request.
    pub fn is_bad_request(&self) -> bool {
        self.has_status(StatusCode::BAD_REQUEST)
    }

    /// Whether the server answered 401 Unauthorized (a missing or wrong credential), or the
    /// OAuth 2 token endpoint refused the client's credentials.
    pub fn is_authentication(&self) -> bool {
        match self {
            Error::Token {
                status: Some(status),
                ..
            } => status.is_client_error(),
            _ => self.has_status(StatusCode::UNAUTHORIZED),
        }
    }

    /// Whether the server answered 403 Forbidden.
    pub fn is_permission_denied(&self) -> bool {
        self.has_status(StatusCode::FORBIDDEN)
    }

    /// Whether the server answered 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.has_status(StatusCode::NOT_FOUND)
    }

    /// Whether the server answered 409 Conflict.
    pub fn is_conflict(&self) -> bool {
        self.has_status(StatusCode::CONFLICT)
    }

    /// Whether the server answered 422 Unprocessable Entity.
    pub fn is_unprocessable_entity(&self) -> bool {
        self.has_status(StatusCode::UNPROCESSABLE_ENTITY)
    }

    /// Whether the server answered 429 Too Many Requests.
    pub fn is_rate_limited(&self) -> bool {
        self.has_status(StatusCode::TOO_MANY_REQUESTS)
    }

    /// Whether the server answered with a 5xx status.
    pub fn is_server_error(&self) -> bool {
        self.api_error()
            .is_some_and(|error| error.status().is_server_error())
    }

    /// Whether an attempt ran out of time.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Whether the request could not be sent or the response not read.
    pub fn is_connection(&self) -> bool {
        matches!(self, Error::Connection { .. })
    }

    fn has_status(&self, status: StatusCode) -> bool {
        self.api_error()
            .is_some_and(|error| error.status() == status)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(error) => fmt::Display::fmt(error, f),
            Error::Connection { source } => {
                write!(f, "connection error: {}", WithRootCause(source.as_ref()))
            }
            Error::Timeout { source } => write!(f, "request timed out: {source}"),
            Error::Decode {
                status,
                request_id,
                source,
                ..
            } => {
                write!(
                    f,
                    "could not decode the {} response: {source}",
                    StatusText(*status)
                )?;
                write_request_id(f, request_id.as_deref())
            }
            Error::InvalidRequest { message } => write!(f, "invalid request: {message}"),
            Error::Config { message } => write!(f, "invalid client configuration: {message}"),
            Error::Hook { source } => write!(f, "refused by a hook: {source}"),
            Error::Token {
                message, source, ..
            } => {
                write!(f, "no access token: {message}")?;
                match source {
                    Some(source) => write!(f, ": {}", WithRootCause(source.as_ref())),
                    None => Ok(()),
                }
            }
        }
    }
}

/// Shows bodies as text rather than as lists of bytes.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(error) => f.debug_tuple("Api").field(error).finish(),
            Error::Connection { source } => f
                .debug_struct("Connection")
                .field("source", source)
                .finish(),
            Error::Timeout { source } => f.debug_struct("Timeout").field("source", source).finish(),
            Error::Decode {
                status,
                request_id,
                body,
                source,
            } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("request_id", request_id)
                .field("body", &String::from_utf8_lossy(body))
                .field("source", source)
                .finish(),
            Error::InvalidRequest { message } => f
                .debug_struct("InvalidRequest")
                .field("message", message)
                .finish(),
            Error::Config { message } => {
                f.debug_struct("Config").field("message", message).finish()
            }
            Error::Hook { source } => f.debug_struct("Hook").field("source", source).finish(),
            Error::Token {
                message,
                status,
                source,
            } => f
                .debug_struct("Token")
                .field("message", message)
                .field("status", status)
                .field("source", source)
                .finish(),
        }
    }
}

/// An error, then its innermost cause in brackets when that is another.
struct WithRootCause<'a>(&'a (dyn StdError + 'static));

impl fmt::Display for WithRootCause<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        write_root_cause(f, self.0)
    }
}

/// Appends the innermost cause (for example "Connection refused (os error 111)"), which the
/// outer transport error does not show.
fn write_root_cause(f: &mut fmt::Formatter<'_>, error: &(dyn StdError + 'static)) -> fmt::Result {
    let mut root = error;
    while let Some(next) = root.source() {
        root = next;
    }
    if std::ptr::addr_eq(root, error) {
        return Ok(());
    }
    write!(f, " ({root})")
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Connection { source } | Error::Timeout { source } | Error::Hook { source } => {
                Some(source.as_ref())
            }
            Error::Decode { source, .. } => Some(source),
            Error::Token {
                source: Some(source),
                ..
            } => Some(source.as_ref()),
            _ => None,
        }
    }
}

/// A non-success response from the API, with everything the server sent.
#[derive(Clone)]
pub struct ApiError {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
    error: Option<ErrorBody>,
    /// Which headers carry the request id and the retry hint.
    meaning: ResponseHeaders,
}

impl ApiError {
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
        meaning: ResponseHeaders,
        fields: ErrorFields,
    ) -> Self {
        let error = ErrorBody::parse(&body, &fields);
        ApiError {
            status,
            headers,
            body,
            error,
            meaning,
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The id the server gave the request (`x-request-id` unless the API names another
    /// header), if any.
    pub fn request_id(&self) -> Option<&str> {
        self.meaning.request_id(&self.headers)
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Which of the headers carry the request id and the retry hints.
    pub(crate) fn meaning(&self) -> &ResponseHeaders {
        &self.meaning
    }

    /// The raw response body (possibly empty, possibly not JSON).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The response body as text, with invalid UTF-8 replaced.
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The body decoded as `T`: the error type the operation's docs name (the description's
    /// error response schema), or any other shape the caller expects.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The message, type, parameter and code of the body, when it has any of them (where
    /// they are is the API's: by default the `{"error": {...}}` envelope).
    pub fn error(&self) -> Option<&ErrorBody> {
        self.error.as_ref()
    }

    /// The server's human-readable message, when the body has one.
    pub fn message(&self) -> Option<&str> {
        self.error.as_ref()?.message.as_deref()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", StatusText(self.status))?;
        if let Some(message) = self.message().filter(|message| !message.is_empty()) {
            write!(f, ": {message}")?;
        } else if let Some(excerpt) = body_excerpt(&self.body_text()) {
            write!(f, ": {excerpt}")?;
        }
        write_request_id(f, self.request_id())
    }
}

/// Shows the body as text and the headers by name and value (responses carry no secrets).
impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("request_id", &self.request_id())
            .field("error", &self.error)
            .field("body", &self.body_text())
            .field("headers", &self.headers)
            .finish()
    }
}

impl StdError for ApiError {}

/// The members of an error body that the client reads: by default those of the envelope
/// `{"error": {"message", "type", "param", "code"}}`, or where the API's description says.
///
/// Parsing is lenient so that an unexpected shape never hides the status: unknown fields are
/// ignored, each field may be missing or null, and a numeric `code` or `param` is kept as text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorBody {
    /// A human-readable description of the problem.
    pub message: Option<String>,
    /// The class of error (the default envelope's `type` field).
    pub error_type: Option<String>,
    /// The request parameter the error is about.
    pub param: Option<String>,
    /// A machine-readable error code.
    pub code: Option<String>,
}

impl ErrorBody {
    /// Reads the members `fields` point at out of a response body; `None` when it has none
    /// of them.
    pub(crate) fn parse(body: &[u8], fields: &ErrorFields) -> Option<ErrorBody> {
        let value: serde_json::Value = serde_json::from_slice(body).ok()?;
        let field = |pointer: Option<&str>| match value.pointer(pointer?)? {
            serde_json::Value::String(text) => Some(text.clone()),
            serde_json::Value::Number(number) => Some(number.to_string()),
            _ => None,
        };
        let parsed = ErrorBody {
            message: field(fields.message),
            error_type: field(fields.error_type),
            param: field(fields.param),
            code: field(fields.code),
        };
        (parsed != ErrorBody::default()).then_some(parsed)
    }
}

fn write_request_id(f: &mut fmt::Formatter<'_>, request_id: Option<&str>) -> fmt::Result {
    match request_id {
        Some(id) => write!(f, " (request id {id})"),
        None => Ok(()),
    }
}

/// The start of a body on one line, for messages about responses without an error envelope.
fn body_excerpt(body: &str) -> Option<String> {
    let words: Vec<&str> = body.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    let line = words.join(" ");
    let mut excerpt: String = line.chars().take(BODY_EXCERPT_CHARS).collect();
    if excerpt.len() < line.len() {
        excerpt.push('…');
    }
    Some(excerpt)
}

/// Shows a status as "404 Not Found", or just "599" for a code without a standard reason.
struct StatusText(StatusCode);

impl fmt::Display for StatusText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.canonical_reason() {
            Some(reason) => write!(f, "{} {reason}", self.0.as_u16()),
            None => write!(f, "{}", self.0.as_u16()),
        }
    }
}

/// Sorts a transport failure into a timeout, a connection error, or a request that could not
/// be built. The URL is dropped from it: its query may hold a credential.
pub(crate) fn transport_error(error: reqwest::Error) -> Error {
    let error = error.without_url();
    if error.is_timeout() {
        Error::Timeout {
            source: Box::new(error),
        }
    } else if error.is_builder() {
        Error::invalid_request(format!("could not build the request: {error}"))
    } else {
        Error::Connection {
            source: Box::new(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn api_error(status: u16, headers: &[(&'static str, &'static str)], body: &str) -> Error {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, HeaderValue::from_static(value));
        }
        let status = StatusCode::from_u16(status).expect("valid status");
        Error::Api(Box::new(ApiError::new(
            status,
            map,
            body.as_bytes().to_vec(),
            ResponseHeaders::DEFAULT,
            ErrorFields::DEFAULT,
        )))
    }

    #[test]
    fn parses_the_envelope_with_a_numeric_code_and_unknown_fields() {
        let body = br#"{"error": {"message": "Too fast", "type": "rate_limit", "param": null,
            "code": 1234, "extra": {"nested": true}}, "other": 1}"#;
        let parsed = ErrorBody::parse(body, &ErrorFields::DEFAULT).expect("an envelope");
        assert_eq!(parsed.message.as_deref(), Some("Too fast"));
        assert_eq!(parsed.error_type.as_deref(), Some("rate_limit"));
        assert_eq!(parsed.param, None);
        assert_eq!(parsed.code.as_deref(), Some("1234"));
    }

    #[test]
    fn decodes_the_body_as_the_type_the_caller_names() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Envelope {
            error: Detail,
        }
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Detail {
            message: String,
        }
        let error = ApiError::new(
            StatusCode::NOT_FOUND,
            HeaderMap::new(),
            br#"{"error": {"message": "No such certificate"}}"#.to_vec(),
            ResponseHeaders::DEFAULT,
            ErrorFields::DEFAULT,
        );
        let decoded: Envelope = error.decode().expect("decodes");
        assert_eq!(decoded.error.message, "No such certificate");
        assert!(
            error.decode::<Detail>().is_err(),
            "another shape is an error"
        );
    }

    #[test]
    fn parses_a_string_code_and_tolerates_missing_fields() {
        let parsed = ErrorBody::parse(
            br#"{"error": {"code": "not_found"}}"#,
            &ErrorFields::DEFAULT,
        )
        .expect("envelope");
        assert_eq!(parsed.code.as_deref(), Some("not_found"));
        assert_eq!(parsed.message, None);
    }

    #[test]
    fn reads_the_members_where_the_api_keeps_them() {
        let problem = ErrorFields {
            message: Some("/detail"),
            error_type: Some("/type"),
            param: None,
            code: Some("/errors/0/code"),
        };
        let body =
            br#"{"type": "about:blank", "detail": "Out of credit", "errors": [{"code": 7}]}"#;
        let parsed = ErrorBody::parse(body, &problem).expect("the members");
        assert_eq!(parsed.message.as_deref(), Some("Out of credit"));
        assert_eq!(parsed.error_type.as_deref(), Some("about:blank"));
        assert_eq!(parsed.code.as_deref(), Some("7"));
        // The default envelope is not read when the API keeps its members elsewhere.
        let envelope = br#"{"error": {"message": "elsewhere"}}"#;
        assert_eq!(ErrorBody::parse(envelope, &problem), None);
        assert_eq!(problem.envelope(), None);
        assert_eq!(ErrorFields::DEFAULT.envelope(), Some("error"));
    }

    #[test]
    fn has_no_envelope_for_html_empty_or_other_json() {
        assert_eq!(
            ErrorBody::parse(b"<html>Bad Gateway</html>", &ErrorFields::DEFAULT),
            None
        );
        assert_eq!(ErrorBody::parse(b"", &ErrorFields::DEFAULT), None);
        assert_eq!(
            ErrorBody::parse(br#"{"message": "no envelope"}"#, &ErrorFields::DEFAULT),
            None
        );
        assert_eq!(
            ErrorBody::parse(br#"{"error": "just a string"}"#, &ErrorFields::DEFAULT),
            None
        );
    }

    #[test]
    fn displays_status_message_and_request_id() {
        let error = api_error(
            404,
            &[("x-request-id", "req_123")],
            r#"{"error": {"message": "No certificate with id cert_x", "type": "invalid_request_error"}}"#,
        );
        assert_eq!(
            error.to_string(),
            "404 Not Found: No certificate with id cert_x (request id req_123)"
        );
        assert!(error.is_not_found());
        assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
        assert_eq!(error.request_id(), Some("req_123"));
    }

    #[test]
    fn displays_an_excerpt_of_a_body_without_envelope() {
        let error = api_error(502, &[], "<html>\n  <h1>Bad   Gateway</h1>\n</html>");
        assert_eq!(
            error.to_string(),
            "502 Bad Gateway: <html> <h1>Bad Gateway</h1> </html>"
        );
        let api = error.api_error().expect("api error");
        assert_eq!(api.error(), None);
        assert_eq!(api.body_text(), "<html>\n  <h1>Bad   Gateway</h1>\n</html>");

        let long = "x".repeat(500);
        let error = api_error(500, &[], &long);
        let shown = error.to_string();
        assert!(shown.ends_with('…'), "{shown}");
        assert!(shown.len() < 300, "{shown}");

        assert_eq!(
            api_error(503, &[], "").to_string(),
            "503 Service Unavailable"
        );
        assert_eq!(api_error(599, &[], " \n").to_string(), "599");
    }

    #[test]
    fn classifies_statuses() {
        type Check = fn(&Error) -> bool;
        let checks: [(u16, Check); 8] = [
            (400, Error::is_bad_request),
            (401, Error::is_authentication),
            (403, Error::is_permission_denied),
            (404, Error::is_not_found),
            (409, Error::is_conflict),
            (422, Error::is_unprocessable_entity),
            (429, Error::is_rate_limited),
            (503, Error::is_server_error),
        ];
        for (status, check) in checks {
            assert!(check(&api_error(status, &[], "")), "{status}");
            assert!(!check(&api_error(418, &[], "")), "418 is not {status}");
        }
    }

    #[test]
    fn retryable_follows_status_and_should_retry_header() {
        assert!(api_error(500, &[], "").is_retryable());
        assert!(api_error(409, &[], "").is_retryable());
        assert!(!api_error(400, &[], "").is_retryable());
        assert!(!api_error(500, &[("x-should-retry", "false")], "").is_retryable());
        assert!(api_error(400, &[("x-should-retry", "true")], "").is_retryable());
        assert!(!Error::invalid_request("nope").is_retryable());
        let timeout = Error::Timeout {
            source: "operation timed out".into(),
        };
        assert!(timeout.is_retryable());
        assert!(timeout.is_timeout());
        assert!(!timeout.is_connection());
        assert_eq!(timeout.status(), None);
    }

    #[test]
    fn displays_other_variants_with_their_cause() {
        let connection = Error::Connection {
            source: "connection refused".into(),
        };
        assert_eq!(
            connection.to_string(),
            "connection error: connection refused"
        );
        assert!(connection.source().is_some());

        let source = serde_json::from_slice::<u32>(b"{}").expect_err("not a number");
        let decode = Error::Decode {
            status: StatusCode::OK,
            request_id: Some("req_9".into()),
            body: b"{}".to_vec(),
            source,
        };
        assert!(decode
            .to_string()
            .starts_with("could not decode the 200 OK response: invalid type"));
        assert!(decode.to_string().ends_with("(request id req_9)"));
        assert_eq!(decode.status(), Some(StatusCode::OK));
        assert_eq!(decode.request_id(), Some("req_9"));
        assert!(!decode.is_retryable());

        assert_eq!(
            Error::config("no key").to_string(),
            "invalid client configuration: no key"
        );
    }

    #[test]
    fn is_send_sync_and_static() {
        fn assert_bounds<T: Send + Sync + 'static>() {}
        assert_bounds::<Error>();
    }
}
