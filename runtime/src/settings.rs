//! The facts about one API that the generated code supplies as `const`s: its base URL, its
//! credentials, the response headers and error members that mean something to the client.
//!
//! A leaf: the client, the errors and the streams read these, and these read nothing of theirs.

use reqwest::header::HeaderMap;

/// Facts about one API that the generated code supplies as a `const`.
///
/// Keeping them out of the runtime lets the same runtime serve any API.
#[derive(Clone, Copy, Debug)]
pub struct ApiSettings {
    /// The base URL used unless the caller sets another (the spec's first server).
    pub default_base_url: &'static str,
    /// The environment variable that may override the base URL in `from_env`.
    pub base_url_env: Option<&'static str>,
    /// Every way the API authenticates callers; an operation names the ones it accepts by
    /// their index here.
    pub credentials: &'static [CredentialSettings],
    /// The `User-Agent` sent with every request, as `crate-name/version`.
    pub user_agent: &'static str,
    /// The response headers that mean something to the client.
    pub response_headers: ResponseHeaders,
    /// Where an error body keeps its message, type, parameter and code.
    pub error_fields: ErrorFields,
    /// The API's mutual-TLS endpoint and where `from_env` finds a client certificate.
    pub mtls: MtlsSettings,
    /// The header an idempotency key goes in, and the methods that send one.
    pub idempotency: IdempotencySettings,
}

/// Idempotency keys, from the description's `x-sdk-idempotency` hint: each call of one of
/// `methods` sends a key of its own in `header`, the same on each of its retries, so that the
/// server can tell a retry from a new call.
#[derive(Clone, Copy, Debug)]
pub struct IdempotencySettings {
    /// The header (`Idempotency-Key`); `None` for an API that takes no key.
    pub header: Option<&'static str>,
    /// The methods whose calls send one, upper-case (`POST`).
    pub methods: &'static [&'static str],
}

impl IdempotencySettings {
    /// An API that takes no idempotency key.
    pub const NONE: IdempotencySettings = IdempotencySettings {
        header: None,
        methods: &[],
    };

    /// The header a call with `method` sends its key in, if it sends one.
    pub(crate) fn header_for(&self, method: &reqwest::Method) -> Option<&'static str> {
        let header = self.header?;
        self.methods
            .iter()
            .any(|listed| listed.eq_ignore_ascii_case(method.as_str()))
            .then_some(header)
    }
}

/// Mutual TLS as the API offers it, from the description's `x-sdk-mtls` hint.
#[derive(Clone, Copy, Debug)]
pub struct MtlsSettings {
    /// The base URL that requires a client certificate, used when one is set and no base URL
    /// was given.
    pub base_url: Option<&'static str>,
    /// The environment variables `from_env` reads the paths of the certificate (PEM, a chain
    /// allowed) and of its private key from.
    pub certificate_env: Option<&'static str>,
    pub key_env: Option<&'static str>,
}

impl MtlsSettings {
    /// An API without a mutual-TLS endpoint (a client certificate can still be set).
    pub const NONE: MtlsSettings = MtlsSettings {
        base_url: None,
        certificate_env: None,
        key_env: None,
    };
}

/// Response headers that mean something to the client, named by the description's
/// `x-sdk-response-headers` hint; `None` turns one off. [`ResponseHeaders::DEFAULT`] holds the
/// names used when the description says nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseHeaders {
    /// The id the server gives each request, quoted in errors.
    pub request_id: Option<&'static str>,
    /// `true` or `false`: whether a failed request may be retried, overriding the status.
    pub should_retry: Option<&'static str>,
    /// How long to wait before retrying, in milliseconds (read before `Retry-After`).
    pub retry_after_ms: Option<&'static str>,
}

impl ResponseHeaders {
    /// `x-request-id`, `x-should-retry` and `retry-after-ms`.
    pub const DEFAULT: ResponseHeaders = ResponseHeaders {
        request_id: Some("x-request-id"),
        should_retry: Some("x-should-retry"),
        retry_after_ms: Some("retry-after-ms"),
    };

    /// Headers that mean nothing: for responses of another server than the API's (the OAuth 2
    /// token endpoint).
    pub(crate) const NONE: ResponseHeaders = ResponseHeaders {
        request_id: None,
        should_retry: None,
        retry_after_ms: None,
    };

    /// The request id in `headers`, if the API names a header for it.
    pub(crate) fn request_id<'h>(&self, headers: &'h HeaderMap) -> Option<&'h str> {
        headers.get(self.request_id?)?.to_str().ok()
    }
}

/// Where the members of an error body are, as JSON pointers into it (RFC 6901), named by the
/// description's `x-sdk-error-fields` hint or found in its error schema; `None` when the API's
/// errors have no such member. [`ErrorFields::DEFAULT`] reads the envelope
/// `{"error": {"message", "type", "param", "code"}}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorFields {
    /// A human-readable description of the problem.
    pub message: Option<&'static str>,
    /// The class of error.
    pub error_type: Option<&'static str>,
    /// The request parameter the error is about.
    pub param: Option<&'static str>,
    /// A machine-readable error code.
    pub code: Option<&'static str>,
}

impl ErrorFields {
    /// `/error/message`, `/error/type`, `/error/param` and `/error/code`.
    pub const DEFAULT: ErrorFields = ErrorFields {
        message: Some("/error/message"),
        error_type: Some("/error/type"),
        param: Some("/error/param"),
        code: Some("/error/code"),
    };

    /// The member every field sits under (`error` for the default envelope), when they share
    /// one: an event stream's event whose data is that member alone is an error.
    pub(crate) fn envelope(&self) -> Option<&'static str> {
        let mut parents = [self.message, self.error_type, self.param, self.code]
            .into_iter()
            .flatten()
            .map(|pointer| {
                let mut tokens = pointer.strip_prefix('/')?.split('/');
                let parent = tokens.next()?;
                tokens.next().map(|_| parent)
            });
        let first = parents.next()??;
        parents
            .all(|parent| parent == Some(first))
            .then_some(first)
            .filter(|parent| !parent.contains('~'))
    }
}

/// How one of the API's credentials is configured and sent.
#[derive(Clone, Copy, Debug)]
pub struct CredentialSettings {
    /// The name of the builder method that sets the credential, quoted in error messages.
    pub setter: &'static str,
    /// The environment variable `from_env` reads the credential (for basic auth, the user)
    /// from.
    pub env: Option<&'static str>,
    /// For basic auth, the environment variable of the password; for OAuth 2 client
    /// credentials, that of the client secret (`env` holds the client id).
    pub password_env: Option<&'static str>,
    /// Where the credential goes in a request.
    pub scheme: CredentialScheme,
}

/// Where a credential goes in a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialScheme {
    /// `Authorization: Bearer <credential>`.
    Bearer,
    /// `Authorization: Basic <base64 of user:password>`.
    Basic,
    /// `Authorization: <scheme> <credential>`, for another HTTP authentication scheme
    /// (`Token`, `DSN`, ...).
    Authorization(&'static str),
    /// The credential as the whole value of the named header (an OpenAPI `apiKey` in a header).
    Header(&'static str),
    /// The credential as the named query parameter (an OpenAPI `apiKey` in the query).
    Query(&'static str),
    /// The credential as the named cookie (an OpenAPI `apiKey` in a cookie).
    Cookie(&'static str),
    /// A client id and secret that the client exchanges at `token_url` for access tokens
    /// (OAuth 2's client credentials grant), sent as `Authorization: Bearer <token>`. A
    /// relative `token_url` is resolved against the base URL.
    ClientCredentials {
        /// The token endpoint, from the flow's `tokenUrl`.
        token_url: &'static str,
    },
}
