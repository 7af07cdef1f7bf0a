//! Sending a request: attempts, retries with backoff, timeouts, and decoding the response.
//!
//! Each request is a `tracing` span (`request`, with the method, the path template and the
//! operation) holding an event per attempt (`debug`: status, request id, elapsed time; a
//! failed attempt's reason; each retry's delay and reason). Credentials, URLs with their query
//! and bodies are never recorded; bodies are, at `trace` level, when the client was built with
//! `log_bodies(true)`.

use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use tracing::Instrument;

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE, COOKIE};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use super::config::{self, Client, PreparedCredential};
use super::error::{transport_error, ApiError, Error};
use super::future::ResponseFuture;
use super::oauth::{Token, TokenSource};
use super::request::{self, ApiRequest, Body, Part};
use super::response::ApiResponse;
use super::retry::{backoff, retry_after, RetryAfter};
use super::sequence::{ItemStream, MixedPart, SequenceFormat};
use super::settings::ResponseHeaders;
use super::sse::{ByteStream, EventStream};

/// A complete response, whatever its status.
struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

async fn read_whole(mut response: reqwest::Response) -> Result<RawResponse, Error> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(transport_error)?;
    Ok(RawResponse {
        status,
        headers,
        body: body.into(),
    })
}

/// The futures of generated operations' `send` methods: each sends a request that was built,
/// or fails with why it could not be, when first polled.
impl Client {
    /// `request` sent, its JSON response body decoded into `T`.
    #[doc(hidden)]
    pub fn call<T: DeserializeOwned + Send + 'static>(
        &self,
        request: Result<ApiRequest, Error>,
    ) -> ResponseFuture<T> {
        let client = self.clone();
        ResponseFuture::new(async move { client.execute(request?).await })
    }

    /// `request` sent, its response body ignored.
    #[doc(hidden)]
    pub fn call_empty(&self, request: Result<ApiRequest, Error>) -> ResponseFuture<()> {
        let client = self.clone();
        ResponseFuture::new(async move { client.execute_empty(request?).await })
    }

    /// `request` sent, its response body returned as it came.
    #[doc(hidden)]
    pub fn call_bytes(&self, request: Result<ApiRequest, Error>) -> ResponseFuture<Vec<u8>> {
        let client = self.clone();
        ResponseFuture::new(async move { client.execute_bytes(request?).await })
    }

    /// `request` sent, its response body returned as text.
    #[doc(hidden)]
    pub fn call_text(&self, request: Result<ApiRequest, Error>) -> ResponseFuture<String> {
        let client = self.clone();
        ResponseFuture::new(async move { client.execute_text(request?).await })
    }

    /// `request` sent, its response body streamed in chunks.
    #[doc(hidden)]
    pub fn call_byte_stream(
        &self,
        request: Result<ApiRequest, Error>,
    ) -> ResponseFuture<ByteStream> {
        let client = self.clone();
        ResponseFuture::new(async move { client.execute_byte_stream(request?).await })
    }

    /// `request` sent, its `text/event-stream` response decoded event by event.
    #[doc(hidden)]
    pub fn call_events<T: DeserializeOwned + Send + 'static>(
        &self,
        request: Result<ApiRequest, Error>,
    ) -> ResponseFuture<EventStream<T>> {
        let client = self.clone();
        ResponseFuture::new(async move { client.execute_events(request?).await })
    }

    /// `request` sent, its sequential response (JSON Lines, a JSON text sequence, the parts
    /// of `multipart/mixed`) decoded item by item.
    #[doc(hidden)]
    pub fn call_items<T: DeserializeOwned + Send + 'static>(
        &self,
        request: Result<ApiRequest, Error>,
        format: SequenceFormat,
    ) -> ResponseFuture<ItemStream<T>> {
        let client = self.clone();
        ResponseFuture::new(async move {
            let (status, headers, bytes) = client.execute_sequence(request?).await?;
            let meaning = client.meaning();
            let items = ItemStream::json(format, status, headers.clone(), meaning, bytes);
            client.respond_sequence(status, headers, items)
        })
    }

    /// `request` sent, the parts of its `multipart/mixed` response returned as they come.
    #[doc(hidden)]
    pub fn call_parts(
        &self,
        request: Result<ApiRequest, Error>,
    ) -> ResponseFuture<ItemStream<MixedPart>> {
        let client = self.clone();
        ResponseFuture::new(async move {
            let (status, headers, bytes) = client.execute_sequence(request?).await?;
            let parts = ItemStream::parts(status, headers.clone(), client.meaning(), bytes);
            client.respond_sequence(status, headers, parts)
        })
    }
}

impl Client {
    /// Sends `request` and decodes a JSON response body into `T`.
    pub(crate) async fn execute<T: DeserializeOwned>(
        &self,
        request: ApiRequest,
    ) -> Result<ApiResponse<T>, Error> {
        let response = self.send(request).await?;
        // No body at all (a 204, say) is no value: `null`, which a type that allows it takes.
        let decoded = if response.body.iter().all(u8::is_ascii_whitespace) {
            T::deserialize(serde_json::Value::Null)
        } else {
            serde_json::from_slice(&response.body)
        };
        match decoded {
            Ok(value) => Ok(self.respond(response.status, response.headers, value)),
            Err(source) => Err(Error::Decode {
                status: response.status,
                request_id: self
                    .meaning()
                    .request_id(&response.headers)
                    .map(str::to_owned),
                body: response.body,
                source,
            }),
        }
    }

    /// Sends `request` and ignores the response body.
    pub(crate) async fn execute_empty(
        &self,
        request: ApiRequest,
    ) -> Result<ApiResponse<()>, Error> {
        let response = self.send(request).await?;
        Ok(self.respond(response.status, response.headers, ()))
    }

    /// Sends `request` and returns the response body as it came.
    pub(crate) async fn execute_bytes(
        &self,
        request: ApiRequest,
    ) -> Result<ApiResponse<Vec<u8>>, Error> {
        let response = self.send(request).await?;
        Ok(self.respond(response.status, response.headers, response.body))
    }

    /// Sends `request` and returns the response body as text (invalid UTF-8 is replaced).
    pub(crate) async fn execute_text(
        &self,
        request: ApiRequest,
    ) -> Result<ApiResponse<String>, Error> {
        let response = self.send(request).await?;
        let text = match String::from_utf8(response.body) {
            Ok(text) => text,
            Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
        };
        Ok(self.respond(response.status, response.headers, text))
    }

    /// Sends `request` and returns the body as a stream of chunks, read as they arrive.
    ///
    /// Retries cover the attempt up to the response headers; once a success starts streaming,
    /// a broken connection ends the stream with an error.
    pub(crate) async fn execute_byte_stream(
        &self,
        request: ApiRequest,
    ) -> Result<ApiResponse<ByteStream>, Error> {
        let response = self.send_streaming(request).await?;
        let status = response.status();
        let headers = response.headers().clone();
        Ok(self.respond(status, headers, ByteStream::new(response)))
    }

    /// Sends `request` and decodes the `text/event-stream` response, event by event.
    pub(crate) async fn execute_events<T: DeserializeOwned>(
        &self,
        mut request: ApiRequest,
    ) -> Result<ApiResponse<EventStream<T>>, Error> {
        request.header("accept", "text/event-stream");
        let response = self.send_streaming(request).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = ByteStream::new(response);
        let events = EventStream::new(
            status,
            headers.clone(),
            self.meaning(),
            self.inner.settings.error_fields,
            bytes,
        );
        Ok(self.respond(status, headers, events))
    }

    /// Sends `request` and returns the success's status, headers and body as it arrives.
    async fn execute_sequence(
        &self,
        request: ApiRequest,
    ) -> Result<(StatusCode, HeaderMap, ByteStream), Error> {
        let response = self.send_streaming(request).await?;
        let status = response.status();
        let headers = response.headers().clone();
        Ok((status, headers, ByteStream::new(response)))
    }

    /// The stream as the response's value, or why the body cannot be read as one.
    fn respond_sequence<T>(
        &self,
        status: StatusCode,
        headers: HeaderMap,
        stream: Result<ItemStream<T>, String>,
    ) -> Result<ApiResponse<ItemStream<T>>, Error> {
        match stream {
            Ok(stream) => Ok(self.respond(status, headers, stream)),
            Err(reason) => Err(Error::Decode {
                status,
                request_id: self.meaning().request_id(&headers).map(str::to_owned),
                body: Vec::new(),
                source: serde::de::Error::custom(reason),
            }),
        }
    }

    /// The response headers that mean something to this API's client.
    fn meaning(&self) -> ResponseHeaders {
        self.inner.settings.response_headers
    }

    fn respond<T>(&self, status: StatusCode, headers: HeaderMap, value: T) -> ApiResponse<T> {
        ApiResponse::new(status, headers, value, self.meaning())
    }

    /// Sends `request`, retrying as configured, until a 2xx response whose whole body
    /// arrived, or a final error.
    async fn send(&self, request: ApiRequest) -> Result<RawResponse, Error> {
        // The attempt's timeout (set on the reqwest request) covers the body too.
        let log_bodies = self.inner.log_bodies;
        self.send_with(request, |response| async move {
            let whole = read_whole(response).await?;
            if log_bodies {
                tracing::trace!(body = %String::from_utf8_lossy(&whole.body), "response body");
            }
            Ok(whole)
        })
        .await
    }

    /// Sends `request`, retrying as configured, until the headers of a 2xx response or a
    /// final error; the body of a success is left to the caller.
    async fn send_streaming(&self, request: ApiRequest) -> Result<reqwest::Response, Error> {
        self.send_with(request, |response| std::future::ready(Ok(response)))
            .await
    }

    /// The retry loop: each 2xx response goes through `finish`, whose failure (a body cut
    /// short, say) is retried like any other.
    async fn send_with<T, Finish, Finished>(
        &self,
        request: ApiRequest,
        finish: Finish,
    ) -> Result<T, Error>
    where
        Finish: Fn(reqwest::Response) -> Finished,
        Finished: Future<Output = Result<T, Error>>,
    {
        let inner = &*self.inner;
        let credentials = self.credentials(&request)?;
        let url = self.url(&request, &credentials)?;
        let mut headers = self.headers(&request, &credentials)?;
        let token_sources = self.token_sources(&request, &credentials);
        // A streamed upload can be read only once.
        let replayable = request.body.as_ref().map_or(true, Body::is_replayable);
        let max_retries = if replayable {
            request.options.max_retries.unwrap_or(inner.max_retries)
        } else {
            0
        };
        let timeout = request.options.timeout.unwrap_or(inner.timeout);
        let span = tracing::debug_span!(
            "request",
            method = %request.method,
            path = request.template.unwrap_or(request.path.as_str()),
            operation = request.operation_id,
        );
        if inner.log_bodies {
            if let Some(Body::Bytes { bytes, .. }) = &request.body {
                span.in_scope(|| {
                    tracing::trace!(body = %String::from_utf8_lossy(bytes), "request body");
                });
            }
        }

        async move {
            let mut retries = 0;
            // The tokens the last attempt sent, and whether one was refused already.
            let mut tokens = Vec::new();
            let mut token_refused = false;
            loop {
                let attempt = retries + 1;
                let started = Instant::now();
                tracing::trace!(attempt, "sending");
                let sent = match self.authorize(&token_sources, &mut headers, timeout).await {
                    Ok(sent_tokens) => {
                        tokens = sent_tokens;
                        self.attempt(&request, &url, &headers, timeout).await
                    }
                    Err(error) => Err(error),
                };
                if let Ok(response) = &sent {
                    tracing::debug!(
                        attempt,
                        status = response.status().as_u16(),
                        request_id = inner
                            .settings
                            .response_headers
                            .request_id(response.headers()),
                        elapsed_ms = elapsed_ms(started),
                        "response",
                    );
                }
                let error = match sent {
                    Ok(response) if response.status().is_success() => {
                        match finish(response).await {
                            Ok(finished) => return Ok(finished),
                            Err(error) => error,
                        }
                    }
                    Ok(response) => match read_whole(response).await {
                        Ok(response) => Error::Api(Box::new(ApiError::new(
                            response.status,
                            response.headers,
                            response.body,
                            self.meaning(),
                            self.inner.settings.error_fields,
                        ))),
                        Err(error) => error,
                    },
                    Err(error) => error,
                };
                // A token the API refuses (revoked, say) is dropped and the call made once
                // more with a new one, without counting as a retry.
                let unauthorized =
                    matches!(&error, Error::Api(api) if api.status() == StatusCode::UNAUTHORIZED);
                if unauthorized && !tokens.is_empty() && !token_refused {
                    token_refused = true;
                    for ((source, scopes), token) in token_sources.iter().zip(&tokens) {
                        source.refused(scopes, token).await;
                    }
                    tracing::debug!(attempt, "access token refused; fetching another");
                    continue;
                }
                // Fields are evaluated only when a subscriber wants the event.
                let Some(delay) = retry_delay(&error, retries, max_retries, inner.max_retry_delay)
                else {
                    tracing::debug!(
                        attempt,
                        reason = failure_reason(&error),
                        elapsed_ms = elapsed_ms(started),
                        "failed"
                    );
                    return Err(error);
                };
                tracing::debug!(
                    attempt,
                    reason = failure_reason(&error),
                    delay_ms = millis(delay),
                    "retrying"
                );
                drop(error);
                tokio::time::sleep(delay).await;
                retries += 1;
            }
        }
        .instrument(span)
        .await
    }

    /// One attempt, up to the response headers, within `timeout`.
    async fn attempt(
        &self,
        request: &ApiRequest,
        url: &Url,
        headers: &HeaderMap,
        timeout: Duration,
    ) -> Result<reqwest::Response, Error> {
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url.clone())
            .headers(headers.clone())
            .timeout(timeout);
        match &request.body {
            None => {}
            Some(Body::Bytes { bytes, .. }) => builder = builder.body(bytes.clone()),
            Some(Body::File { file, .. }) => builder = builder.body(file.to_body()?),
            Some(Body::Multipart(parts)) => {
                let mut form = reqwest::multipart::Form::new();
                for (name, part) in parts {
                    form = match part {
                        Part::Text(text) => form.text(name.clone(), text.clone()),
                        Part::Json(text) => {
                            let part = reqwest::multipart::Part::text(text.clone())
                                .mime_str("application/json")
                                .map_err(|error| {
                                    Error::invalid_request(format!("part `{name}`: {error}"))
                                })?;
                            form.part(name.clone(), part)
                        }
                        Part::File(file) => form.part(name.clone(), file.to_part()?),
                    };
                }
                builder = builder.multipart(form);
            }
        }
        let mut outgoing = builder.build().map_err(transport_error)?;
        for hook in self.inner.hooks.then(&request.options.hooks) {
            hook.on_request(&mut outgoing).await.map_err(Error::hook)?;
        }
        let mut response = self
            .inner
            .http
            .execute(outgoing)
            .await
            .map_err(transport_error)?;
        for hook in self.inner.hooks.then(&request.options.hooks) {
            hook.on_response(&mut response).await.map_err(Error::hook)?;
        }
        Ok(response)
    }

    /// Puts an access token from each of `sources` in `headers` (fetching one when none is
    /// fresh), and returns the tokens sent.
    async fn authorize(
        &self,
        sources: &[(&TokenSource, &'static [&'static str])],
        headers: &mut HeaderMap,
        timeout: Duration,
    ) -> Result<Vec<Token>, Error> {
        let mut tokens = Vec::new();
        for (source, scopes) in sources {
            let token = source.token(&self.inner.http, scopes, timeout).await?;
            headers.insert(AUTHORIZATION, token.header.clone());
            tokens.push(token);
        }
        Ok(tokens)
    }

    /// The token sources among the operation's credentials, with the scopes it needs; none
    /// when the caller sends an `Authorization` header of its own.
    fn token_sources<'c>(
        &self,
        request: &ApiRequest,
        credentials: &[(usize, &'c PreparedCredential)],
    ) -> Vec<(&'c TokenSource, &'static [&'static str])> {
        let own = request
            .headers
            .iter()
            .chain(&request.options.headers)
            .any(|(name, _)| name.eq_ignore_ascii_case(AUTHORIZATION.as_str()));
        if own || self.inner.headers.contains_key(AUTHORIZATION) {
            return Vec::new();
        }
        credentials
            .iter()
            .filter_map(|&(index, credential)| match credential {
                PreparedCredential::Token(source) => Some((&**source, request.scopes_for(index))),
                _ => None,
            })
            .collect()
    }

    fn url(
        &self,
        request: &ApiRequest,
        credentials: &[(usize, &PreparedCredential)],
    ) -> Result<Url, Error> {
        let (mut url, mut query) = match &request.options.link {
            Some(link) => {
                let url = self.link_url(link)?;
                let query = url.query().unwrap_or_default().to_owned();
                (url, query)
            }
            None => {
                if !request.path.starts_with('/') {
                    return Err(Error::invalid_request(format!(
                        "the request path `{}` does not start with `/`",
                        request.path
                    )));
                }
                let url = Url::parse(&format!("{}{}", self.inner.base_url, request.path)).map_err(
                    |error| {
                        Error::invalid_request(format!(
                            "invalid request path `{}`: {error}",
                            request.path
                        ))
                    },
                )?;
                (url, request.query_string())
            }
        };
        for (_, credential) in credentials {
            if let PreparedCredential::Query(name, secret) = credential {
                let pair = request::pair(name, &secret.0);
                query = if query.is_empty() {
                    pair
                } else {
                    format!("{query}&{pair}")
                };
            }
        }
        if !query.is_empty() {
            url.set_query(Some(&query));
        }
        Ok(url)
    }

    /// The URL of a page's `Link` to the next, resolved against the base URL; refused unless
    /// it is under the base URL (same origin, within its path), where credentials may go.
    fn link_url(&self, link: &str) -> Result<Url, Error> {
        let base = Url::parse(&self.inner.base_url).map_err(|error| {
            Error::invalid_request(format!(
                "invalid base URL `{}`: {error}",
                self.inner.base_url
            ))
        })?;
        let url = base.join(link).map_err(|error| {
            Error::invalid_request(format!(
                "the next page's link `{link}` is not a URL: {error}"
            ))
        })?;
        let base_path = base.path().trim_end_matches('/');
        let within = url.path() == base_path
            || url
                .path()
                .strip_prefix(base_path)
                .is_some_and(|rest| rest.starts_with('/'));
        if url.origin() != base.origin() || !within {
            return Err(Error::invalid_request(format!(
                "the next page's link `{link}` is not under the base URL `{base}`, so it is not followed"
            )));
        }
        Ok(url)
    }

    /// The credentials the operation asks for, with their indices: the first of its
    /// alternatives whose every credential was set. Fails, before anything is sent, when none
    /// can be met.
    fn credentials(
        &self,
        request: &ApiRequest,
    ) -> Result<Vec<(usize, &PreparedCredential)>, Error> {
        let inner = &*self.inner;
        if request.security.is_empty() {
            return Ok(Vec::new());
        }
        let met = request.security.iter().find_map(|alternative| {
            alternative
                .iter()
                .map(|&index| Some((index, inner.credentials.get(index)?.as_ref()?)))
                .collect::<Option<Vec<_>>>()
        });
        met.ok_or_else(|| {
            let setters = request
                .security
                .iter()
                .map(|alternative| {
                    alternative
                        .iter()
                        .filter_map(|&index| inner.settings.credentials.get(index))
                        .map(|credential| format!("`{}`", credential.setter))
                        .collect::<Vec<_>>()
                        .join(" and ")
                })
                .collect::<Vec<_>>()
                .join(", or ");
            Error::config(format!(
                "this operation needs a credential the client does not have: set {setters} on the client builder"
            ))
        })
    }

    /// The operation's credentials, then the client's headers (default headers replace
    /// built-in ones), the body's content type, the operation's headers, and the per-request
    /// headers, each replacing earlier ones of the same name.
    fn headers(
        &self,
        request: &ApiRequest,
        credentials: &[(usize, &PreparedCredential)],
    ) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        for (_, credential) in credentials {
            if let PreparedCredential::Header(name, value) = credential {
                headers.insert(name.clone(), value.clone());
            }
        }
        for (name, value) in &self.inner.headers {
            headers.insert(name.clone(), value.clone());
        }
        let content_type = match &request.body {
            Some(Body::Bytes { content_type, .. } | Body::File { content_type, .. }) => {
                Some(content_type)
            }
            // reqwest sets `multipart/form-data` with the boundary.
            Some(Body::Multipart(_)) | None => None,
        };
        if let Some(content_type) = content_type {
            let value = HeaderValue::from_str(content_type).map_err(|_| {
                Error::invalid_request(format!("`{content_type}` is not a valid media type"))
            })?;
            headers.insert(CONTENT_TYPE, value);
        }
        if !request.cookies.is_empty() {
            // One `Cookie` header: a cookie credential's pair first, then the operation's.
            let credential = headers.get(COOKIE).and_then(|value| value.to_str().ok());
            let joined = credential
                .into_iter()
                .map(str::to_owned)
                .chain(request.cookies.iter().cloned())
                .collect::<Vec<_>>()
                .join("; ");
            let value = HeaderValue::from_str(&joined).map_err(|_| {
                Error::invalid_request(format!("`{joined}` is not a valid cookie header"))
            })?;
            headers.insert(COOKIE, value);
        }
        for (name, value) in request.headers.iter().chain(&request.options.headers) {
            let (name, value) = config::header(name, value).map_err(Error::invalid_request)?;
            headers.insert(name, value);
        }
        // One key per call, the same on each of its retries (these headers are made once per
        // call); a key of the caller's, as a header or an option, wins.
        let idempotency = &self.inner.settings.idempotency;
        let key = match (
            &request.options.idempotency_key,
            idempotency.header_for(&request.method),
        ) {
            (Some(key), header) => {
                Some((header.unwrap_or(DEFAULT_IDEMPOTENCY_HEADER), key.clone()))
            }
            (None, Some(header)) => Some((header, new_idempotency_key())),
            (None, None) => None,
        };
        if let Some((name, key)) = key {
            let (name, value) = config::header(name, &key).map_err(Error::invalid_request)?;
            if request.options.idempotency_key.is_some() || !headers.contains_key(&name) {
                headers.insert(name, value);
            }
        }
        Ok(headers)
    }
}

/// The header a caller's idempotency key goes in when the API names none.
const DEFAULT_IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// A key no other call has: 128 random bits.
fn new_idempotency_key() -> String {
    format!("sdkgen-{:032x}", fastrand::u128(..))
}

fn elapsed_ms(started: Instant) -> u64 {
    millis(started.elapsed())
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Why an attempt failed, in words that hold nothing of the request (no URL, no credential).
fn failure_reason(error: &Error) -> String {
    match error {
        Error::Api(error) => format!("status {}", error.status().as_u16()),
        Error::Timeout { .. } => "timeout".to_owned(),
        Error::Connection { .. } => "connection error".to_owned(),
        Error::Decode { .. } => "undecodable body".to_owned(),
        Error::InvalidRequest { .. } => "invalid request".to_owned(),
        Error::Config { .. } => "invalid configuration".to_owned(),
        Error::Hook { .. } => "refused by a hook".to_owned(),
        Error::Token { status: None, .. } => "token endpoint unreachable".to_owned(),
        Error::Token {
            status: Some(status),
            ..
        } => format!("token endpoint status {}", status.as_u16()),
    }
}

/// How long to wait before retrying after `error`, or `None` to give up.
fn retry_delay(
    error: &Error,
    retries: u32,
    max_retries: u32,
    max_retry_delay: Duration,
) -> Option<Duration> {
    if retries >= max_retries || !error.is_retryable() {
        return None;
    }
    let requested = match error.api_error() {
        Some(api_error) => retry_after(
            api_error.headers(),
            api_error.meaning().retry_after_ms,
            max_retry_delay,
            SystemTime::now(),
        ),
        None => RetryAfter::Unspecified,
    };
    match requested {
        RetryAfter::Wait(delay) => Some(delay),
        RetryAfter::TooLong => None,
        RetryAfter::Unspecified => Some(backoff(retries, fastrand::f64())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::SETTINGS;
    use crate::{ClientBuilder, RequestOptions};
    use std::sync::{Arc, Mutex};
    use std::time::Instant;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    const CAP: Duration = Duration::from_secs(120);

    #[test]
    fn stops_retrying_when_retries_run_out() {
        let error = Error::Connection {
            source: "reset".into(),
        };
        assert!(retry_delay(&error, 0, 2, CAP).is_some());
        assert!(retry_delay(&error, 2, 2, CAP).is_none());
        assert!(retry_delay(&Error::invalid_request("x"), 0, 2, CAP).is_none());
    }

    // ----- end-to-end, against a tiny HTTP/1.1 server on 127.0.0.1 -----

    /// One scripted answer of the test server.
    #[derive(Clone, Default)]
    struct Reply {
        status: u16,
        headers: Vec<(&'static str, &'static str)>,
        body: &'static str,
        /// Wait this long before sending anything.
        head_delay: Duration,
        /// Send the head at once, then wait this long before the body.
        body_delay: Duration,
    }

    fn reply(status: u16, body: &'static str) -> Reply {
        Reply {
            status,
            body,
            ..Reply::default()
        }
    }

    /// A request as it arrived on the wire.
    #[derive(Debug)]
    struct Recorded {
        request_line: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    }

    impl Recorded {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.as_str())
        }
    }

    type Log = Arc<Mutex<Vec<Recorded>>>;

    /// Serves `replies` in order, one connection each, and records every request.
    ///
    /// Each connection is handled in its own task, so a stalled reply does not hold up the next.
    async fn serve(replies: Vec<Reply>) -> (String, Log) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let log: Log = Arc::default();
        let recorded = Arc::clone(&log);
        tokio::spawn(async move {
            for reply in replies {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(answer(socket, reply, Arc::clone(&recorded)));
            }
        });
        (format!("http://{address}/v1"), log)
    }

    async fn answer(mut socket: tokio::net::TcpStream, reply: Reply, log: Log) {
        let Some(request) = read_request(&mut socket).await else {
            return;
        };
        log.lock().expect("log").push(request);
        tokio::time::sleep(reply.head_delay).await;
        let mut head = format!(
            "HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n",
            reply.status,
            reply.body.len()
        );
        for (name, value) in &reply.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let _ = socket.flush().await;
        tokio::time::sleep(reply.body_delay).await;
        let _ = socket.write_all(reply.body.as_bytes()).await;
        let _ = socket.shutdown().await;
    }

    async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Recorded> {
        let mut buffer = Vec::new();
        let head_end = loop {
            if let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
                break end;
            }
            let mut chunk = [0u8; 4096];
            let read = socket.read(&mut chunk).await.ok()?;
            if read == 0 {
                return None;
            }
            buffer.extend_from_slice(&chunk[..read]);
        };
        let head = String::from_utf8(buffer[..head_end].to_vec()).ok()?;
        let mut lines = head.split("\r\n");
        let request_line = lines.next()?.to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        let length = headers
            .iter()
            .find(|(name, _)| name == "content-length")
            .and_then(|(_, value)| value.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = buffer[head_end + 4..].to_vec();
        while body.len() < length {
            let mut chunk = [0u8; 4096];
            let read = socket.read(&mut chunk).await.ok()?;
            if read == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..read]);
        }
        Some(Recorded {
            request_line,
            headers,
            body,
        })
    }

    fn builder(base_url: &str) -> ClientBuilder {
        ClientBuilder::new(&SETTINGS)
            .credential_at(0, "sk-test")
            .base_url(base_url)
    }

    fn get(path: &str) -> ApiRequest {
        let mut request = ApiRequest::new(reqwest::Method::GET, path.to_owned());
        request.security(&[&[0]]);
        request
    }

    #[tokio::test]
    async fn retries_server_errors_with_backoff_then_succeeds() {
        let (base_url, log) = serve(vec![
            reply(500, "{}"),
            reply(503, "oops"),
            reply(200, r#"{"id":"cert_1"}"#),
        ])
        .await;
        let client = builder(&base_url).build().expect("client");
        let mut request = ApiRequest::new(reqwest::Method::POST, "/things/a%2Fb".to_owned());
        request.security(&[&[0]]);
        request.query_array("include", ["content"], crate::ArrayFormat::Brackets);
        request
            .json_body(&serde_json::json!({"name": "x"}))
            .expect("body");

        let started = Instant::now();
        let response = client
            .execute::<serde_json::Value>(request)
            .await
            .expect("third attempt succeeds");
        assert_eq!(response.value()["id"], "cert_1");
        // Two backoffs: at least 0.375 s + 0.75 s.
        assert!(started.elapsed() >= Duration::from_millis(1125));

        let log = log.lock().expect("log");
        assert_eq!(log.len(), 3);
        for request in log.iter() {
            assert_eq!(
                request.request_line,
                "POST /v1/things/a%2Fb?include%5B%5D=content HTTP/1.1"
            );
            assert_eq!(request.header("authorization"), Some("Bearer sk-test"));
            assert_eq!(request.header("accept"), Some("application/json"));
            assert_eq!(request.header("user-agent"), Some("example-sdk/1.2.3"));
            assert_eq!(request.header("content-type"), Some("application/json"));
            assert_eq!(request.body, br#"{"name":"x"}"#);
        }
    }

    #[tokio::test]
    async fn honours_retry_after_ms() {
        let rate_limited = Reply {
            headers: vec![("retry-after-ms", "10")],
            ..reply(429, r#"{"error":{"message":"slow down","code":429}}"#)
        };
        let (base_url, log) = serve(vec![rate_limited, reply(200, "[1,2]")]).await;
        let client = builder(&base_url).build().expect("client");
        let started = Instant::now();
        let response = client
            .execute::<Vec<u8>>(get("/list"))
            .await
            .expect("second attempt succeeds");
        assert_eq!(response.into_value(), vec![1, 2]);
        let elapsed = started.elapsed();
        // 10 ms, not the 375 ms or more of the default backoff.
        assert!(elapsed >= Duration::from_millis(10), "{elapsed:?}");
        assert!(elapsed < Duration::from_millis(350), "{elapsed:?}");
        assert_eq!(log.lock().expect("log").len(), 2);
    }

    #[tokio::test]
    async fn returns_at_once_when_the_server_asks_for_too_long_a_wait() {
        let rate_limited = Reply {
            headers: vec![("retry-after", "3600"), ("x-request-id", "req_1")],
            ..reply(
                429,
                r#"{"error":{"message":"quota exceeded","type":"rate_limit"}}"#,
            )
        };
        let (base_url, log) = serve(vec![rate_limited]).await;
        let client = builder(&base_url).build().expect("client");
        let error = client
            .execute::<serde_json::Value>(get("/list"))
            .await
            .expect_err("rate limited");
        assert!(error.is_rate_limited());
        assert_eq!(
            error.to_string(),
            "429 Too Many Requests: quota exceeded (request id req_1)"
        );
        assert_eq!(log.lock().expect("log").len(), 1);
    }

    #[tokio::test]
    async fn respects_per_request_retries_and_x_should_retry() {
        let (base_url, log) = serve(vec![reply(500, "<html>boom</html>")]).await;
        let client = builder(&base_url).build().expect("client");
        let mut request = get("/x");
        request.options(RequestOptions::new().max_retries(0));
        let error = client.execute_empty(request).await.expect_err("500");
        let api = error.api_error().expect("an API error");
        assert_eq!(api.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(api.error(), None);
        assert_eq!(api.body(), b"<html>boom</html>");
        assert_eq!(log.lock().expect("log").len(), 1);

        let no_retry = Reply {
            headers: vec![("x-should-retry", "false")],
            ..reply(503, "")
        };
        let (base_url, log) = serve(vec![no_retry]).await;
        let client = builder(&base_url).build().expect("client");
        let error = client.execute_empty(get("/x")).await.expect_err("503");
        assert!(error.is_server_error());
        assert_eq!(log.lock().expect("log").len(), 1);
    }

    #[tokio::test]
    async fn get_sends_no_body_and_applies_request_options_last() {
        let (base_url, log) = serve(vec![reply(200, "raw bytes")]).await;
        let client = builder(&base_url)
            .default_header("x-team", "client")
            .default_header("x-keep", "yes")
            .build()
            .expect("client");
        let mut request = get("/files");
        request.query("limit", 500);
        request.header("x-team", "operation");
        request.options(
            RequestOptions::new()
                .header("x-team", "request")
                .query("extra", "a b"),
        );
        let response = client.execute_bytes(request).await.expect("bytes");
        assert_eq!(response.value(), b"raw bytes");
        assert_eq!(response.status(), StatusCode::OK);

        let log = log.lock().expect("log");
        let request = &log[0];
        assert_eq!(
            request.request_line,
            "GET /v1/files?limit=500&extra=a%20b HTTP/1.1"
        );
        assert_eq!(request.header("content-type"), None);
        assert_eq!(request.header("content-length"), None);
        assert!(request.body.is_empty());
        assert_eq!(request.header("x-team"), Some("request"));
        assert_eq!(request.header("x-keep"), Some("yes"));
        let team_headers = request
            .headers
            .iter()
            .filter(|(name, _)| name == "x-team")
            .count();
        assert_eq!(team_headers, 1);
    }

    #[tokio::test]
    async fn times_out_each_attempt_and_retries() {
        let slow = Reply {
            head_delay: Duration::from_secs(5),
            ..reply(200, "{}")
        };
        let (base_url, log) = serve(vec![slow.clone(), slow]).await;
        let client = builder(&base_url)
            .timeout(Duration::from_millis(100))
            .max_retries(1)
            .build()
            .expect("client");
        let error = client
            .execute::<serde_json::Value>(get("/slow"))
            .await
            .expect_err("times out");
        assert!(error.is_timeout(), "{error:?}");
        assert!(error.is_retryable());
        assert_eq!(log.lock().expect("log").len(), 2);
    }

    #[tokio::test]
    async fn reading_the_body_counts_within_the_timeout() {
        let slow_body = Reply {
            body_delay: Duration::from_secs(5),
            ..reply(200, "{}")
        };
        let (base_url, _log) = serve(vec![slow_body]).await;
        let client = builder(&base_url).build().expect("client");
        let mut request = get("/slow-body");
        request.options(
            RequestOptions::new()
                .timeout(Duration::from_millis(200))
                .max_retries(0),
        );
        let error = client
            .execute::<serde_json::Value>(request)
            .await
            .expect_err("times out");
        assert!(error.is_timeout(), "{error:?}");
    }

    #[tokio::test]
    async fn keeps_status_and_body_when_decoding_fails() {
        let not_json = Reply {
            headers: vec![("x-request-id", "req_7")],
            ..reply(200, "<html>not json</html>")
        };
        let (base_url, _log) = serve(vec![not_json]).await;
        let client = builder(&base_url).build().expect("client");
        match client.execute::<serde_json::Value>(get("/x")).await {
            Err(Error::Decode {
                status,
                request_id,
                body,
                ..
            }) => {
                assert_eq!(status, StatusCode::OK);
                assert_eq!(request_id.as_deref(), Some("req_7"));
                assert_eq!(body, b"<html>not json</html>");
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn reports_connection_errors() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        drop(listener);
        let client = builder(&format!("http://{address}"))
            .max_retries(0)
            .build()
            .expect("client");
        let error = client
            .execute::<serde_json::Value>(get("/x"))
            .await
            .expect_err("nothing listens");
        assert!(error.is_connection(), "{error:?}");
        assert!(error.is_retryable());
        assert!(!error.to_string().contains("sk-test"));
    }

    #[tokio::test]
    async fn refuses_invalid_request_headers_before_sending() {
        let (base_url, log) = serve(vec![reply(200, "{}")]).await;
        let client = builder(&base_url).build().expect("client");
        let mut request = get("/x");
        request.options(RequestOptions::new().header("x-bad", "a\nb"));
        let error = client.execute_empty(request).await.expect_err("refused");
        assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
        assert!(log.lock().expect("log").is_empty());
    }

    #[tokio::test]
    async fn sends_a_credential_only_where_the_operation_asks_for_it() {
        let (base_url, log) = serve(vec![reply(200, "{}"), reply(200, "{}")]).await;
        let client = builder(&base_url).build().expect("client");
        let open = ApiRequest::new(reqwest::Method::GET, "/open".to_owned());
        client.execute_empty(open).await.expect("open");
        client.execute_empty(get("/closed")).await.expect("closed");
        {
            let log = log.lock().expect("log");
            assert_eq!(log[0].header("authorization"), None);
            assert_eq!(log[1].header("authorization"), Some("Bearer sk-test"));
        }

        let bare = ClientBuilder::new(&crate::config::tests::SETTINGS)
            .credential_at(0, "k")
            .base_url(&base_url)
            .build()
            .expect("client");
        let mut needs_other = get("/x");
        needs_other.security(&[&[1]]);
        match bare.execute_empty(needs_other).await {
            Err(Error::Config { message }) => {
                assert!(message.contains("needs a credential"), "{message}")
            }
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    #[test]
    fn execute_futures_are_send() {
        fn assert_send<T: Send>(_: &T) {}
        let client = ClientBuilder::new(&SETTINGS)
            .credential_at(0, "k")
            .build()
            .expect("client");
        assert_send(&client.execute::<serde_json::Value>(get("/x")));
        assert_send(&client.execute_empty(get("/x")));
        assert_send(&client.execute_bytes(get("/x")));
    }
}
