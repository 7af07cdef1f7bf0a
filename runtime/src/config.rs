//! The client and its builder.

use std::ffi::OsString;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, USER_AGENT};
use reqwest::Url;

use super::error::Error;
use super::hooks::{Hook, Hooks};
use super::oauth::TokenSource;
use super::request;
use super::settings::{ApiSettings, CredentialScheme, CredentialSettings};
use super::tls::{Pem, TlsSettings};

const DEFAULT_MAX_RETRIES: u32 = 2;
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const DEFAULT_MAX_RETRY_DELAY: Duration = Duration::from_secs(120);

/// A credential; its `Debug` never shows the value, so it cannot leak through logs.
#[derive(Clone)]
pub(crate) struct Secret(pub(crate) String);

/// A credential ready to go on a request: a sensitive header, a query pair, or the source of
/// OAuth 2 access tokens.
#[derive(Clone)]
pub(crate) enum PreparedCredential {
    Header(HeaderName, HeaderValue),
    Query(&'static str, Secret),
    Token(Arc<TokenSource>),
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A client of the API.
///
/// Cloning is cheap: clones share one configuration and one connection pool, so create a client
/// once and clone it wherever it is needed.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

/// The shared state behind a [`Client`].
pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    /// The base URL without a trailing `/`; request paths start with `/`.
    pub(crate) base_url: String,
    /// `Accept`, `User-Agent` and default headers, sent with every request.
    pub(crate) headers: HeaderMap,
    /// The credentials that were set, by their index in [`ApiSettings::credentials`]; each
    /// request sends the ones its operation asks for.
    pub(crate) credentials: Vec<Option<PreparedCredential>>,
    pub(crate) settings: &'static ApiSettings,
    pub(crate) max_retries: u32,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_retry_delay: Duration,
    /// Whether request and response bodies are logged (at `trace` level).
    pub(crate) log_bodies: bool,
    /// Whether it presents a client certificate (mutual TLS).
    pub(crate) client_certificate: bool,
    /// The secret webhooks are verified with, when set on the builder.
    pub(crate) webhook_secret: Option<Secret>,
    /// Run on each attempt of each call, before the request's own.
    pub(crate) hooks: Hooks,
}

impl Client {
    /// Starts configuring a client of the API that `settings` describes.
    #[doc(hidden)]
    pub fn builder_for(settings: &'static ApiSettings) -> ClientBuilder {
        ClientBuilder::new(settings)
    }

    /// Builds a client from the environment variables named in `settings`.
    ///
    /// The credential variable is required when the API declares a credential; the base URL
    /// variable is optional. Empty variables count as unset.
    #[doc(hidden)]
    pub fn from_env_for(settings: &'static ApiSettings) -> Result<Client, Error> {
        Self::from_lookup(settings, |name| std::env::var_os(name))
    }

    /// [`Client::from_env_for`] with the environment abstracted, so tests need not mutate it.
    fn from_lookup(
        settings: &'static ApiSettings,
        lookup: impl Fn(&str) -> Option<OsString>,
    ) -> Result<Client, Error> {
        let read = |name: &str| -> Result<Option<String>, Error> {
            match lookup(name) {
                None => Ok(None),
                Some(value) if value.is_empty() => Ok(None),
                Some(value) => value.into_string().map(Some).map_err(|_| {
                    Error::config(format!(
                        "the environment variable {name} is not valid UTF-8"
                    ))
                }),
            }
        };

        let mut builder = ClientBuilder::new(settings);
        for (index, credential) in settings.credentials.iter().enumerate() {
            let Some(env) = credential.env else { continue };
            let Some(secret) = read(env)? else { continue };
            builder = match credential.password_env {
                Some(password_env) => {
                    let password = read(password_env)?.unwrap_or_default();
                    match credential.scheme {
                        CredentialScheme::ClientCredentials { .. } => {
                            builder.client_credentials_at(index, secret, password)
                        }
                        _ => builder.basic_credential_at(index, secret, password),
                    }
                }
                None => builder.credential_at(index, secret),
            };
        }
        if let Some(env) = settings.base_url_env {
            if let Some(url) = read(env)? {
                builder = builder.base_url(url);
            }
        }
        let mtls = settings.mtls;
        if let (Some(certificate_env), Some(key_env)) = (mtls.certificate_env, mtls.key_env) {
            match (read(certificate_env)?, read(key_env)?) {
                (Some(certificate), Some(key)) => {
                    builder = builder.identity_from_files(certificate, key);
                }
                (None, None) => {}
                (Some(_), None) | (None, Some(_)) => {
                    return Err(Error::config(format!(
                        "a client certificate needs both {certificate_env} and {key_env}, and only one is set"
                    )))
                }
            }
        }
        builder.build()
    }

    /// The secret set with the builder's `webhook_secret`, if any.
    #[doc(hidden)]
    pub fn webhook_secret(&self) -> Option<&str> {
        self.inner
            .webhook_secret
            .as_ref()
            .map(|secret| secret.0.as_str())
    }

    /// The base URL requests are sent to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("max_retries", &inner.max_retries)
            .field("timeout", &inner.timeout)
            .field("connect_timeout", &inner.connect_timeout)
            .field("max_retry_delay", &inner.max_retry_delay)
            .field("header_names", &HeaderNames(&inner.headers))
            .field("client_certificate", &inner.client_certificate)
            .finish_non_exhaustive()
    }
}

/// Lists the names of headers but never their values, which may be credentials.
struct HeaderNames<'a>(&'a HeaderMap);

impl fmt::Debug for HeaderNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

/// Configures and builds a [`Client`].
///
/// Every generated crate re-declares the public methods below on its own `ClientBuilder`,
/// copying their signatures and docs: spell types in them by paths that resolve anywhere
/// (`std::time::Duration`, not `Duration`).
#[derive(Clone)]
pub struct ClientBuilder {
    settings: &'static ApiSettings,
    /// By index in [`ApiSettings::credentials`].
    credentials: Vec<Option<Secret>>,
    /// Token endpoints set in place of the described ones, by credential index.
    token_urls: Vec<Option<String>>,
    base_url: Option<String>,
    max_retries: u32,
    timeout: Duration,
    connect_timeout: Duration,
    max_retry_delay: Duration,
    default_headers: Vec<(String, String)>,
    tls: TlsSettings,
    log_bodies: bool,
    webhook_secret: Option<Secret>,
    hooks: Hooks,
    /// The application's own HTTP client, used as it was built.
    http: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// Starts from the defaults for the API that `settings` describes.
    #[doc(hidden)]
    pub fn new(settings: &'static ApiSettings) -> Self {
        ClientBuilder {
            settings,
            credentials: vec![None; settings.credentials.len()],
            token_urls: vec![None; settings.credentials.len()],
            base_url: None,
            max_retries: DEFAULT_MAX_RETRIES,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_retry_delay: DEFAULT_MAX_RETRY_DELAY,
            default_headers: Vec::new(),
            tls: TlsSettings::default(),
            log_bodies: false,
            webhook_secret: None,
            hooks: Hooks::default(),
            http: None,
        }
    }

    /// Sets the credential at `index` of the API's settings; the generated code exposes it
    /// under the API's own name.
    #[doc(hidden)]
    pub fn credential_at(mut self, index: usize, key: impl Into<String>) -> Self {
        if let Some(slot) = self.credentials.get_mut(index) {
            *slot = Some(Secret(key.into()));
        }
        self
    }

    /// Sets the user and password of the basic-auth credential at `index`.
    #[doc(hidden)]
    pub fn basic_credential_at(
        self,
        index: usize,
        user: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        let pair = format!("{}:{}", user.into(), password.into());
        self.credential_at(index, pair)
    }

    /// Sets the client id and secret of the OAuth 2 client-credentials credential at `index`.
    #[doc(hidden)]
    pub fn client_credentials_at(
        self,
        index: usize,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        let client_id = client_id.into();
        if client_id.is_empty() {
            // No client: the credential stays unset.
            return self.credential_at(index, "");
        }
        // Each form-encoded, then joined as basic auth joins user and password (RFC 6749
        // §2.3.1), so that a `:` in the id cannot be read as the separator.
        let pair = format!(
            "{}:{}",
            request::encode(&client_id),
            request::encode(&client_secret.into())
        );
        self.credential_at(index, pair)
    }

    /// Fetches the tokens of the client-credentials credential at `index` from `url` instead
    /// of the token endpoint the API describes.
    #[doc(hidden)]
    pub fn token_url_at(mut self, index: usize, url: impl Into<String>) -> Self {
        if let Some(slot) = self.token_urls.get_mut(index) {
            *slot = Some(url.into());
        }
        self
    }

    /// Sends requests to another base URL, such as a proxy or a local test server.
    ///
    /// A trailing `/` is ignored. The URL must be `http` or `https`, without user info, query
    /// or fragment.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// How many times a failed request is retried (default 2, so at most 3 attempts).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The time allowed for each attempt, from sending to the last byte of the response
    /// (default 600 s).
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The time allowed to open a connection (default 5 s).
    pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The longest server-requested delay (`Retry-After`) the client waits before retrying
    /// (default 120 s). When the server asks for longer, the error is returned at once.
    pub fn max_retry_delay(mut self, delay: std::time::Duration) -> Self {
        self.max_retry_delay = delay;
        self
    }

    /// Adds a header to every request; it replaces a built-in header of the same name.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Presents a client certificate for mutual TLS: the certificate (or a chain, leaf first)
    /// and its private key, both PEM. When the API has a mutual-TLS endpoint and no base URL
    /// is set, requests go there.
    ///
    /// Checked by [`ClientBuilder::build`]: a certificate or key that does not parse, or a key
    /// that is not the certificate's, is an [`Error::Config`].
    pub fn identity(
        mut self,
        certificate_pem: impl AsRef<[u8]>,
        key_pem: impl AsRef<[u8]>,
    ) -> Self {
        self.tls.identity = Some((
            Pem::Bytes(certificate_pem.as_ref().to_vec()),
            Pem::Bytes(key_pem.as_ref().to_vec()),
        ));
        self
    }

    /// Like [`ClientBuilder::identity`], reading both PEM files when the client is built.
    pub fn identity_from_files(
        mut self,
        certificate_path: impl Into<std::path::PathBuf>,
        key_path: impl Into<std::path::PathBuf>,
    ) -> Self {
        self.tls.identity = Some((
            Pem::File(certificate_path.into()),
            Pem::File(key_path.into()),
        ));
        self
    }

    /// Trusts the certificate authorities of a PEM text besides the usual public ones (for a
    /// private endpoint, a proxy that inspects TLS, or a test server).
    pub fn root_certificate(mut self, certificate_pem: impl AsRef<[u8]>) -> Self {
        self.tls
            .roots
            .push(Pem::Bytes(certificate_pem.as_ref().to_vec()));
        self
    }

    /// Logs request and response bodies at `trace` level with the other request events (off
    /// by default: bodies may hold personal data). Credentials are never logged.
    pub fn log_bodies(mut self, enabled: bool) -> Self {
        self.log_bodies = enabled;
        self
    }

    /// Runs `hook` on each attempt of each call of this client: before the request is sent,
    /// and when its response's head arrives (see [`Hook`]). Hooks run in the order they were
    /// added, before those of a request's `RequestOptions`.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(hook);
        self
    }

    /// Sends through `http`, the application's own `reqwest::Client` (its proxies, connection
    /// pool, DNS resolver, TLS), as it was built: the connect timeout and the certificates of
    /// this builder do not apply to it (setting certificates too is an [`Error::Config`]).
    /// Under the `rustls-ring` feature, reqwest has no crypto provider of its own: install
    /// one (`rustls::crypto::ring::default_provider().install_default()`) before building it.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Sets the secret webhooks are verified with; a crate with webhooks exposes it.
    #[doc(hidden)]
    pub fn webhook_secret(mut self, secret: impl Into<String>) -> Self {
        self.webhook_secret = Some(Secret(secret.into()));
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// Fails with [`Error::Config`] when the base URL is invalid, when the API needs a
    /// credential and none was set, when a header cannot be sent, or when a certificate or
    /// key cannot be read or does not fit.
    pub fn build(self) -> Result<Client, Error> {
        let mtls_base_url = self
            .settings
            .mtls
            .base_url
            .filter(|_| self.tls.has_identity());
        let base_url = parse_base_url(
            self.base_url
                .as_deref()
                .or(mtls_base_url)
                .unwrap_or(self.settings.default_base_url),
        )?;

        let credentials = self.prepare_credentials(&base_url)?;
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let user_agent = HeaderValue::from_str(self.settings.user_agent)
            .map_err(|_| Error::config("the user agent is not a valid header value"))?;
        headers.insert(USER_AGENT, user_agent);
        for (name, value) in &self.default_headers {
            let (name, value) = header(name, value).map_err(Error::config)?;
            headers.insert(name, value);
        }

        let http = match self.http {
            Some(_) if self.tls.has_identity() || self.tls.has_roots() => {
                return Err(Error::config(
                    "certificates cannot be added to an HTTP client of the application's: configure them on that client",
                ))
            }
            Some(http) => http,
            None => {
                let builder = reqwest::Client::builder().connect_timeout(self.connect_timeout);
                self.tls
                    .configure(builder)?
                    .build()
                    .map_err(|error| self.tls.build_error(&error))?
            }
        };

        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                headers,
                credentials,
                settings: self.settings,
                max_retries: self.max_retries,
                timeout: self.timeout,
                connect_timeout: self.connect_timeout,
                max_retry_delay: self.max_retry_delay,
                log_bodies: self.log_bodies,
                client_certificate: self.tls.has_identity(),
                webhook_secret: self.webhook_secret,
                hooks: self.hooks,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let default_header_names: Vec<&str> = self
            .default_headers
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("max_retries", &self.max_retries)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retry_delay", &self.max_retry_delay)
            .field("default_header_names", &default_header_names)
            .field("client_certificate", &self.tls.has_identity())
            .field("extra_roots", &self.tls.roots.len())
            .field("log_bodies", &self.log_bodies)
            .finish_non_exhaustive()
    }
}

/// Validates a base URL and returns it without trailing `/`.
fn parse_base_url(raw: &str) -> Result<String, Error> {
    let trimmed = raw.trim_end_matches('/');
    let invalid = |reason: &str| Error::config(format!("invalid base URL `{raw}`: {reason}"));
    if raw.contains('{') {
        // The description's server URL has a variable it does not define.
        return Err(invalid(
            "it has a `{variable}` to fill in; set the base URL with `base_url`",
        ));
    }
    let url = Url::parse(trimmed).map_err(|error| invalid(&error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Credentials belong in the builder, where they are kept out of Debug output.
        return Err(invalid("user info is not supported"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a query or fragment is not supported"));
    }
    Ok(trimmed.to_owned())
}

impl ClientBuilder {
    /// Checks every credential that was set; fails when the API declares credentials and
    /// none is set, or when one cannot be sent.
    fn prepare_credentials(
        &self,
        base_url: &str,
    ) -> Result<Vec<Option<PreparedCredential>>, Error> {
        let declared = self.settings.credentials;
        let set = |secret: &&Secret| !secret.0.is_empty();
        if !declared.is_empty() && !self.credentials.iter().flatten().any(|s| set(&s)) {
            let envs: Vec<&str> = declared.iter().filter_map(|c| c.env).collect();
            let hint = if envs.is_empty() {
                String::new()
            } else {
                format!(
                    ", or build the client from the environment with {} set",
                    or_list(envs.iter())
                )
            };
            return Err(Error::config(format!(
                "no credential: call {} on the client builder{hint}",
                or_list(declared.iter().map(|c| format!("`{}`", c.setter)))
            )));
        }
        declared
            .iter()
            .zip(&self.credentials)
            .zip(&self.token_urls)
            .map(
                |((settings, secret), token_url)| match secret.as_ref().filter(set) {
                    Some(secret) => {
                        let token_url = |described| {
                            resolve_token_url(token_url.as_deref().unwrap_or(described), base_url)
                        };
                        prepare(settings, secret, token_url).map(Some)
                    }
                    None => Ok(None),
                },
            )
            .collect()
    }
}

/// A token endpoint, a relative one resolved against the base URL (as OpenAPI resolves URLs).
fn resolve_token_url(raw: &str, base_url: &str) -> Result<Url, Error> {
    let invalid = |reason: &str| Error::config(format!("invalid token URL `{raw}`: {reason}"));
    let url = Url::parse(base_url)
        .and_then(|base| base.join(raw))
        .map_err(|error| invalid(&error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    Ok(url)
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: impl Iterator<Item = impl fmt::Display>) -> String {
    let items: Vec<String> = items.map(|item| item.to_string()).collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The header or query pair that carries a credential, or the token source that a client id
/// and secret become; headers are marked sensitive so the HTTP stack hides them too.
fn prepare(
    settings: &CredentialSettings,
    secret: &Secret,
    token_url: impl FnOnce(&'static str) -> Result<Url, Error>,
) -> Result<PreparedCredential, Error> {
    let key = &secret.0;
    let (name, value) = match settings.scheme {
        CredentialScheme::Bearer => (AUTHORIZATION, format!("Bearer {key}")),
        // A client id and secret authenticate to the token endpoint as basic auth does.
        CredentialScheme::Basic | CredentialScheme::ClientCredentials { .. } => {
            (AUTHORIZATION, format!("Basic {}", base64(key.as_bytes())))
        }
        CredentialScheme::Authorization(scheme) => (AUTHORIZATION, format!("{scheme} {key}")),
        CredentialScheme::Header(name) => {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::config(format!("the credential header name `{name}` is invalid"))
            })?;
            (name, key.clone())
        }
        CredentialScheme::Cookie(name) => (reqwest::header::COOKIE, format!("{name}={key}")),
        CredentialScheme::Query(name) => {
            return Ok(PreparedCredential::Query(name, secret.clone()))
        }
    };
    let mut value = HeaderValue::from_str(&value).map_err(|_| {
        Error::config(format!(
            "the credential set with `{}` contains characters not allowed in an HTTP header",
            settings.setter
        ))
    })?;
    value.set_sensitive(true);
    if let CredentialScheme::ClientCredentials {
        token_url: described,
    } = settings.scheme
    {
        let source = TokenSource::new(token_url(described)?, value);
        return Ok(PreparedCredential::Token(Arc::new(source)));
    }
    Ok(PreparedCredential::Header(name, value))
}

/// Standard base64 with padding (RFC 4648), for basic auth.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, byte)| n | u32::from(*byte) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Parses a caller-supplied header; the error message names the header but not its value.
pub(crate) fn header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("`{name}` is not a valid header name"))?;
    let mut header_value = HeaderValue::from_str(value)
        .map_err(|_| format!("the value of header `{name}` is not a valid header value"))?;
    if header_name == AUTHORIZATION || header_name == reqwest::header::PROXY_AUTHORIZATION {
        header_value.set_sensitive(true);
    }
    Ok((header_name, header_value))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::settings::{ErrorFields, IdempotencySettings, MtlsSettings, ResponseHeaders};

    pub(crate) static SETTINGS: ApiSettings = ApiSettings {
        default_base_url: "https://api.example.test/v1",
        base_url_env: Some("EXAMPLE_BASE_URL"),
        credentials: &[CredentialSettings {
            setter: "api_key",
            env: Some("EXAMPLE_API_KEY"),
            password_env: None,
            scheme: CredentialScheme::Bearer,
        }],
        user_agent: "example-sdk/1.2.3",
        response_headers: ResponseHeaders::DEFAULT,
        error_fields: ErrorFields::DEFAULT,
        mtls: MtlsSettings::NONE,
        idempotency: IdempotencySettings::NONE,
    };

    static HEADER_SETTINGS: ApiSettings = ApiSettings {
        default_base_url: "https://api.example.test",
        base_url_env: None,
        credentials: &[CredentialSettings {
            setter: "token",
            env: None,
            password_env: None,
            scheme: CredentialScheme::Header("x-api-key"),
        }],
        user_agent: "example-sdk/1.2.3",
        response_headers: ResponseHeaders::DEFAULT,
        error_fields: ErrorFields::DEFAULT,
        mtls: MtlsSettings::NONE,
        idempotency: IdempotencySettings::NONE,
    };

    static OPEN_SETTINGS: ApiSettings = ApiSettings {
        default_base_url: "http://127.0.0.1:1/",
        base_url_env: None,
        credentials: &[],
        user_agent: "example-sdk/1.2.3",
        response_headers: ResponseHeaders::DEFAULT,
        error_fields: ErrorFields::DEFAULT,
        mtls: MtlsSettings::NONE,
        idempotency: IdempotencySettings::NONE,
    };

    const KEY: &str = "sk-very-secret-key";

    /// The header a set credential becomes.
    fn prepared_header(client: &Client, index: usize) -> (HeaderName, HeaderValue) {
        match &client.inner.credentials[index] {
            Some(PreparedCredential::Header(name, value)) => (name.clone(), value.clone()),
            _ => panic!("credential {index} is not a header"),
        }
    }

    static MANY_SETTINGS: ApiSettings = ApiSettings {
        default_base_url: "https://api.example.test",
        base_url_env: None,
        credentials: &[
            CredentialSettings {
                setter: "basic_auth",
                env: Some("EXAMPLE_USER"),
                password_env: Some("EXAMPLE_PASSWORD"),
                scheme: CredentialScheme::Basic,
            },
            CredentialSettings {
                setter: "query_key",
                env: Some("EXAMPLE_QUERY_KEY"),
                password_env: None,
                scheme: CredentialScheme::Query("api_key"),
            },
            CredentialSettings {
                setter: "session",
                env: Some("EXAMPLE_SESSION"),
                password_env: None,
                scheme: CredentialScheme::Cookie("sid"),
            },
        ],
        user_agent: "example-sdk/1.2.3",
        response_headers: ResponseHeaders::DEFAULT,
        error_fields: ErrorFields::DEFAULT,
        mtls: MtlsSettings::NONE,
        idempotency: IdempotencySettings::NONE,
    };

    #[test]
    fn prepares_basic_query_and_cookie_credentials() {
        let client = ClientBuilder::new(&MANY_SETTINGS)
            .basic_credential_at(0, "Aladdin", "open sesame")
            .credential_at(1, "q-secret")
            .credential_at(2, "c-secret")
            .build()
            .expect("valid");
        let (name, value) = prepared_header(&client, 0);
        assert_eq!(name, AUTHORIZATION);
        assert_eq!(value, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert!(matches!(
            &client.inner.credentials[1],
            Some(PreparedCredential::Query("api_key", Secret(key))) if key == "q-secret"
        ));
        let (name, value) = prepared_header(&client, 2);
        assert_eq!(
            (name.as_str(), value.to_str().ok()),
            ("cookie", Some("sid=c-secret"))
        );
        let shown = format!("{client:?}");
        assert!(
            !shown.contains("secret") && !shown.contains("sesame"),
            "{shown}"
        );
    }

    #[test]
    fn any_one_credential_is_enough_and_none_names_them_all() {
        let client = ClientBuilder::new(&MANY_SETTINGS)
            .credential_at(2, "c")
            .build()
            .expect("one of several is enough");
        assert!(client.inner.credentials[0].is_none());
        let message = config_message(ClientBuilder::new(&MANY_SETTINGS).build());
        assert!(
            message.contains("`basic_auth`, `query_key` or `session`"),
            "{message}"
        );
        let vars = [("EXAMPLE_USER", "u"), ("EXAMPLE_PASSWORD", "p")];
        let client = Client::from_lookup(&MANY_SETTINGS, env(&vars)).expect("basic from env");
        assert_eq!(prepared_header(&client, 0).1, "Basic dTpw");
        let message = config_message(Client::from_lookup(&MANY_SETTINGS, env(&[])));
        assert!(
            message.contains("EXAMPLE_USER, EXAMPLE_QUERY_KEY or EXAMPLE_SESSION"),
            "{message}"
        );
    }

    #[test]
    fn base64_pads_like_rfc_4648() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            vars.iter()
                .find(|(var, _)| *var == name)
                .map(|(_, value)| OsString::from(value))
        }
    }

    fn config_message(result: Result<Client, Error>) -> String {
        match result {
            Err(Error::Config { message }) => message,
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    #[test]
    fn builds_with_defaults_and_sends_bearer_header() {
        let client = ClientBuilder::new(&SETTINGS)
            .credential_at(0, KEY)
            .build()
            .expect("valid");
        assert_eq!(client.base_url(), "https://api.example.test/v1");
        let inner = &client.inner;
        assert_eq!(inner.max_retries, 2);
        assert_eq!(inner.timeout, Duration::from_secs(600));
        assert_eq!(inner.connect_timeout, Duration::from_secs(5));
        assert_eq!(inner.max_retry_delay, Duration::from_secs(120));
        let (name, auth) = prepared_header(&client, 0);
        assert_eq!(name, AUTHORIZATION);
        assert_eq!(auth.to_str().ok(), Some("Bearer sk-very-secret-key"));
        assert!(auth.is_sensitive());
        assert_eq!(inner.headers[ACCEPT], "application/json");
        assert_eq!(inner.headers[USER_AGENT], "example-sdk/1.2.3");
    }

    #[test]
    fn sends_an_api_key_header_and_lets_default_headers_override() {
        let client = ClientBuilder::new(&HEADER_SETTINGS)
            .credential_at(0, KEY)
            .default_header("Accept", "application/vnd.test+json")
            .default_header("x-extra", "1")
            .build()
            .expect("valid");
        let headers = &client.inner.headers;
        let (name, value) = prepared_header(&client, 0);
        assert_eq!(
            (name.as_str(), value.to_str().ok()),
            ("x-api-key", Some(KEY))
        );
        assert!(value.is_sensitive());
        assert!(headers.get(AUTHORIZATION).is_none());
        assert_eq!(headers[ACCEPT], "application/vnd.test+json");
        assert_eq!(headers["x-extra"], "1");
    }

    #[test]
    fn trims_trailing_slashes_and_rejects_bad_base_urls() {
        let client = ClientBuilder::new(&OPEN_SETTINGS).build().expect("valid");
        assert_eq!(client.base_url(), "http://127.0.0.1:1");
        let client = ClientBuilder::new(&OPEN_SETTINGS)
            .base_url("http://localhost:8080/v1//")
            .build()
            .expect("valid");
        assert_eq!(client.base_url(), "http://localhost:8080/v1");

        for bad in [
            "",
            "not a url",
            "ftp://example.test",
            "https://user:pw@example.test",
            "https://example.test/v1?x=1",
            "https://example.test/v1#top",
        ] {
            let message = config_message(ClientBuilder::new(&OPEN_SETTINGS).base_url(bad).build());
            assert!(message.contains("invalid base URL"), "{bad}: {message}");
        }
        // A description's server URL with a variable it does not define.
        let message = config_message(
            ClientBuilder::new(&OPEN_SETTINGS)
                .base_url("https://{tenant}.example.test")
                .build(),
        );
        assert_eq!(
            message,
            "invalid base URL `https://{tenant}.example.test`: it has a `{variable}` to fill in; set the base URL with `base_url`"
        );
    }

    #[test]
    fn requires_a_declared_credential_and_names_setter_and_env() {
        let message = config_message(ClientBuilder::new(&SETTINGS).build());
        assert!(message.contains("`api_key`"), "{message}");
        assert!(message.contains("EXAMPLE_API_KEY"), "{message}");
        let message = config_message(ClientBuilder::new(&SETTINGS).credential_at(0, "").build());
        assert!(message.contains("`api_key`"), "{message}");
    }

    #[test]
    fn refuses_a_credential_that_cannot_be_a_header_without_quoting_it() {
        let message = config_message(
            ClientBuilder::new(&SETTINGS)
                .credential_at(0, "sk-secret\nline")
                .build(),
        );
        assert!(!message.contains("sk-secret"), "{message}");
    }

    #[test]
    fn refuses_invalid_default_headers() {
        let message = config_message(
            ClientBuilder::new(&OPEN_SETTINGS)
                .default_header("bad name", "v")
                .build(),
        );
        assert!(message.contains("bad name"), "{message}");
        let message = config_message(
            ClientBuilder::new(&OPEN_SETTINGS)
                .default_header("x-ok", "secret\r\nvalue")
                .build(),
        );
        assert!(
            message.contains("x-ok") && !message.contains("secret"),
            "{message}"
        );
    }

    #[test]
    fn debug_never_shows_the_key() {
        let builder = ClientBuilder::new(&SETTINGS)
            .credential_at(0, KEY)
            .default_header("authorization", "Bearer other-secret");
        let shown = format!("{builder:?}");
        assert!(
            !shown.contains(KEY) && !shown.contains("other-secret"),
            "{shown}"
        );
        assert!(shown.contains("***"), "{shown}");

        let client = builder.build().expect("valid");
        let shown = format!("{client:?} {:#?}", client.clone());
        assert!(
            !shown.contains(KEY) && !shown.contains("other-secret"),
            "{shown}"
        );
        assert!(shown.contains("https://api.example.test/v1"), "{shown}");
    }

    #[test]
    fn from_env_reads_credential_and_optional_base_url() {
        let vars = [("EXAMPLE_API_KEY", KEY)];
        let client = Client::from_lookup(&SETTINGS, env(&vars)).expect("valid");
        assert_eq!(client.base_url(), "https://api.example.test/v1");

        let vars = [
            ("EXAMPLE_API_KEY", KEY),
            ("EXAMPLE_BASE_URL", "http://127.0.0.1:9/v1/"),
        ];
        let client = Client::from_lookup(&SETTINGS, env(&vars)).expect("valid");
        assert_eq!(client.base_url(), "http://127.0.0.1:9/v1");

        let vars = [("EXAMPLE_API_KEY", KEY), ("EXAMPLE_BASE_URL", "")];
        let client = Client::from_lookup(&SETTINGS, env(&vars)).expect("valid");
        assert_eq!(client.base_url(), "https://api.example.test/v1");
    }

    pub(crate) static CLIENT_CREDENTIALS_SETTINGS: ApiSettings = ApiSettings {
        default_base_url: "https://api.example.test/v1",
        base_url_env: None,
        credentials: &[CredentialSettings {
            setter: "client_credentials",
            env: Some("EXAMPLE_CLIENT_ID"),
            password_env: Some("EXAMPLE_CLIENT_SECRET"),
            scheme: CredentialScheme::ClientCredentials {
                token_url: "/oauth/token",
            },
        }],
        user_agent: "example-sdk/1.2.3",
        response_headers: ResponseHeaders::DEFAULT,
        error_fields: ErrorFields::DEFAULT,
        mtls: MtlsSettings::NONE,
        idempotency: IdempotencySettings::NONE,
    };

    /// The token endpoint of the client-credentials credential at `index`, and the header
    /// the client authenticates to it with.
    pub(crate) fn token_endpoint(client: &Client, index: usize) -> (String, HeaderValue) {
        match &client.inner.credentials[index] {
            Some(PreparedCredential::Token(source)) => {
                (source.endpoint(), source.client_authorization.clone())
            }
            _ => panic!("credential {index} is not client credentials"),
        }
    }

    #[test]
    fn client_credentials_come_from_the_environment_and_tokens_from_the_resolved_url() {
        let vars = [
            ("EXAMPLE_CLIENT_ID", "id"),
            ("EXAMPLE_CLIENT_SECRET", "secret"),
        ];
        let client = Client::from_lookup(&CLIENT_CREDENTIALS_SETTINGS, env(&vars)).expect("valid");
        assert_eq!(
            token_endpoint(&client, 0),
            (
                "https://api.example.test/oauth/token".to_owned(),
                HeaderValue::from_static("Basic aWQ6c2VjcmV0")
            )
        );
        assert!(!format!("{client:?}").contains("secret"));

        let client = ClientBuilder::new(&CLIENT_CREDENTIALS_SETTINGS)
            .client_credentials_at(0, "id", "secret")
            .token_url_at(0, "http://127.0.0.1:9/token?realm=a")
            .build()
            .expect("valid");
        // Shown without its query.
        assert_eq!(token_endpoint(&client, 0).0, "http://127.0.0.1:9/token");

        let message = config_message(
            ClientBuilder::new(&CLIENT_CREDENTIALS_SETTINGS)
                .client_credentials_at(0, "id", "secret")
                .token_url_at(0, "ftp://example.test/token")
                .build(),
        );
        assert_eq!(
            message,
            "invalid token URL `ftp://example.test/token`: the scheme must be http or https"
        );
        // No client id is no credential.
        let message = config_message(
            ClientBuilder::new(&CLIENT_CREDENTIALS_SETTINGS)
                .client_credentials_at(0, "", "secret")
                .build(),
        );
        assert!(
            message.starts_with("no credential: call `client_credentials`"),
            "{message}"
        );
        let message = config_message(Client::from_lookup(&CLIENT_CREDENTIALS_SETTINGS, env(&[])));
        assert!(message.contains("EXAMPLE_CLIENT_ID"), "{message}");
    }

    #[test]
    fn from_env_names_the_missing_variable() {
        for vars in [&[][..], &[("EXAMPLE_API_KEY", "")][..]] {
            let message = config_message(Client::from_lookup(&SETTINGS, env(vars)));
            assert!(message.contains("EXAMPLE_API_KEY"), "{message}");
            assert!(message.contains("`api_key`"), "{message}");
        }
        let message = config_message(Client::from_lookup(&HEADER_SETTINGS, env(&[])));
        assert!(message.contains("`token`"), "{message}");
        let client = Client::from_lookup(&OPEN_SETTINGS, env(&[])).expect("no credential needed");
        assert_eq!(client.base_url(), "http://127.0.0.1:1");
    }

    static MTLS_SETTINGS: ApiSettings = ApiSettings {
        mtls: MtlsSettings {
            base_url: Some("https://mtls.example.test/v1"),
            certificate_env: Some("EXAMPLE_CLIENT_CERT_FILE"),
            key_env: Some("EXAMPLE_CLIENT_KEY_FILE"),
        },
        ..SETTINGS
    };

    #[test]
    fn from_env_reads_a_client_certificate_and_prefers_the_mtls_endpoint() {
        let key = rcgen::KeyPair::generate().expect("a key");
        let params = rcgen::CertificateParams::new(vec!["client".to_owned()]).expect("params");
        let certificate = params.self_signed(&key).expect("a certificate");
        let dir = std::env::temp_dir().join(format!("runtime-mtls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        let (certificate_path, key_path) = (dir.join("client.pem"), dir.join("client.key"));
        std::fs::write(&certificate_path, certificate.pem()).expect("write");
        std::fs::write(&key_path, key.serialize_pem()).expect("write");
        let (certificate_path, key_path) = (
            certificate_path.to_str().expect("UTF-8"),
            key_path.to_str().expect("UTF-8"),
        );

        let with_identity = [
            ("EXAMPLE_API_KEY", KEY),
            ("EXAMPLE_CLIENT_CERT_FILE", certificate_path),
            ("EXAMPLE_CLIENT_KEY_FILE", key_path),
        ];
        let client = Client::from_lookup(&MTLS_SETTINGS, env(&with_identity));
        // A build without TLS refuses a client certificate.
        #[cfg(not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")))]
        {
            let refused = client.map(|_| ()).expect_err("no TLS");
            assert!(
                refused.to_string().ends_with(crate::tls::NO_TLS),
                "{refused}"
            );
            return;
        }
        #[allow(unreachable_code)]
        let client = client.expect("valid");
        assert_eq!(client.base_url(), "https://mtls.example.test/v1");

        let mut chosen = with_identity.to_vec();
        chosen.push(("EXAMPLE_BASE_URL", "https://eu.example.test/v1"));
        let client = Client::from_lookup(&MTLS_SETTINGS, env(&chosen)).expect("valid");
        assert_eq!(
            client.base_url(),
            "https://eu.example.test/v1",
            "a set base URL wins"
        );

        let without = [("EXAMPLE_API_KEY", KEY)];
        let client = Client::from_lookup(&MTLS_SETTINGS, env(&without)).expect("valid");
        assert_eq!(client.base_url(), "https://api.example.test/v1");

        let half = [
            ("EXAMPLE_API_KEY", KEY),
            ("EXAMPLE_CLIENT_CERT_FILE", certificate_path),
        ];
        assert_eq!(
            config_message(Client::from_lookup(&MTLS_SETTINGS, env(&half))),
            "a client certificate needs both EXAMPLE_CLIENT_CERT_FILE and EXAMPLE_CLIENT_KEY_FILE, and only one is set"
        );
        std::fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn clones_share_one_connection_pool() {
        let client = ClientBuilder::new(&OPEN_SETTINGS).build().expect("valid");
        let clone = client.clone();
        assert!(Arc::ptr_eq(&client.inner, &clone.inner));
    }
}
