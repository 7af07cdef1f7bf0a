//! OAuth 2 client credentials (RFC 6749 §4.4): the access tokens a client fetches for itself
//! from the API's token endpoint with its client id and secret.
//!
//! Tokens are cached by the scopes asked for, fetched again shortly before they expire, and
//! dropped when the API refuses one. Each set of scopes has one slot, locked while its token is
//! fetched: calls that need the token meanwhile wait for that fetch instead of starting their
//! own, so concurrent calls share one refresh, and share its failure too (a token endpoint
//! that hangs costs them one timeout, not one each).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{StatusCode, Url};

use super::error::Error;
use super::request::pair;

/// The longest a token is fetched again ahead of its expiry; a token that lives less than
/// twice this is fetched again halfway through its life.
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The most characters of a token endpoint's answer quoted in an error.
const ANSWER_EXCERPT_CHARS: usize = 200;

/// The scopes a token is asked for; the generated code spells them as `static` slices.
type Scopes = &'static [&'static str];

/// One client's token endpoint, credentials and cached tokens.
pub(crate) struct TokenSource {
    token_url: Url,
    /// `Basic` with the client id and secret, form-encoded (RFC 6749 §2.3.1); sensitive.
    pub(crate) client_authorization: HeaderValue,
    slots: Mutex<HashMap<Scopes, Arc<Slot>>>,
    /// Numbers the tokens fetched, so that a refusal drops only the token that was refused.
    fetched: AtomicU64,
}

/// The token of one set of scopes.
#[derive(Default)]
struct Slot {
    /// Fetches ended so far, read before waiting for the lock: a call that finds it moved
    /// waited for a fetch, whose outcome is its own.
    fetches: AtomicU64,
    state: tokio::sync::Mutex<SlotState>,
}

#[derive(Default)]
struct SlotState {
    token: Option<Token>,
    /// Why the last fetch failed, when it did.
    failure: Option<Error>,
}

/// An access token, ready to send.
#[derive(Clone)]
pub(crate) struct Token {
    /// `Bearer <token>`, marked sensitive.
    pub(crate) header: HeaderValue,
    serial: u64,
    /// When to fetch another; `None` when the endpoint gave no lifetime.
    refresh_at: Option<Instant>,
    expires_at: Option<Instant>,
}

impl TokenSource {
    pub(crate) fn new(token_url: Url, client_authorization: HeaderValue) -> Self {
        TokenSource {
            token_url,
            client_authorization,
            slots: Mutex::new(HashMap::new()),
            fetched: AtomicU64::new(0),
        }
    }

    /// A token for `scopes`: the cached one while it is fresh, else a new one. A failed fetch
    /// falls back on a cached token that has not yet expired.
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        scopes: Scopes,
        timeout: Duration,
    ) -> Result<Token, Error> {
        let slot = self.slot(scopes);
        let seen = slot.fetches.load(Ordering::Acquire);
        let mut state = slot.state.lock().await;
        let now = Instant::now();
        if let Some(token) = state.token.as_ref().filter(|token| token.is_fresh(now)) {
            return Ok(token.clone());
        }
        if slot.fetches.load(Ordering::Acquire) != seen {
            // A fetch ended while this call waited for it, and failed.
            if let Some(failure) = &state.failure {
                return state.fall_back(now, failure.copy_of_token_error());
            }
        }
        let fetched = self.fetch(http, scopes, timeout).await;
        slot.fetches.fetch_add(1, Ordering::AcqRel);
        match fetched {
            Ok(token) => {
                state.token = Some(token.clone());
                state.failure = None;
                Ok(token)
            }
            Err(error) => {
                state.failure = Some(error.copy_of_token_error());
                state.fall_back(now, error)
            }
        }
    }

    /// Drops `token`, which the API refused, unless another call already replaced it.
    pub(crate) async fn refused(&self, scopes: Scopes, token: &Token) {
        let slot = self.slot(scopes);
        let mut state = slot.state.lock().await;
        if state
            .token
            .as_ref()
            .is_some_and(|cached| cached.serial == token.serial)
        {
            state.token = None;
        }
    }

    fn slot(&self, scopes: Scopes) -> Arc<Slot> {
        // Nothing can panic while the map is held: a poisoned lock is still a sound map.
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.entry(scopes).or_default().clone()
    }

    async fn fetch(
        &self,
        http: &reqwest::Client,
        scopes: Scopes,
        timeout: Duration,
    ) -> Result<Token, Error> {
        let mut form = pair("grant_type", "client_credentials");
        if !scopes.is_empty() {
            form.push('&');
            form.push_str(&pair("scope", &scopes.join(" ")));
        }
        let endpoint = self.endpoint();
        let unreachable = |error: reqwest::Error| {
            Error::token(
                format!("the token endpoint {endpoint} could not be reached"),
                None,
                Some(Box::new(error.without_url())),
            )
        };
        let started = Instant::now();
        let response = http
            .post(self.token_url.clone())
            .header(AUTHORIZATION, self.client_authorization.clone())
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form)
            .timeout(timeout)
            .send()
            .await
            .map_err(unreachable)?;
        let status = response.status();
        let body = response.bytes().await.map_err(unreachable)?;
        tracing::debug!(
            status = status.as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "token endpoint"
        );
        if !status.is_success() {
            return Err(Error::token(
                format!(
                    "the token endpoint {endpoint} answered {}",
                    refusal(status, &body)
                ),
                Some(status),
                None,
            ));
        }
        let not_a_token = |why: String| {
            Error::token(
                format!("the token endpoint {endpoint} did not answer with a token: {why}"),
                Some(status),
                None,
            )
        };
        // RFC 6749 §5.1; other members are ignored.
        let granted: serde_json::Value =
            serde_json::from_slice(&body).map_err(|error| not_a_token(error.to_string()))?;
        let member = |name: &str| granted.get(name).and_then(serde_json::Value::as_str);
        let access_token = member("access_token")
            .ok_or_else(|| not_a_token("it has no `access_token` string".to_owned()))?;
        let token_type = member("token_type").unwrap_or_default();
        if !token_type.eq_ignore_ascii_case("bearer") {
            return Err(not_a_token(format!(
                "its `token_type` is `{token_type}`, and only bearer tokens are supported"
            )));
        }
        let mut header = HeaderValue::from_str(&format!("Bearer {access_token}"))
            .map_err(|_| not_a_token("it has characters not allowed in a header".to_owned()))?;
        header.set_sensitive(true);
        let lifetime = granted
            .get("expires_in")
            .and_then(seconds)
            .map(Duration::from_secs);
        let serial = self.fetched.fetch_add(1, Ordering::Relaxed);
        Ok(Token::new(header, serial, started, lifetime))
    }

    /// The endpoint without its query, which might hold something secret.
    pub(crate) fn endpoint(&self) -> String {
        let mut url = self.token_url.clone();
        url.set_query(None);
        url.to_string()
    }
}

impl SlotState {
    /// After a failed fetch: the cached token while it has not expired, else the failure.
    fn fall_back(&self, now: Instant, error: Error) -> Result<Token, Error> {
        match self.token.as_ref().filter(|token| token.is_valid(now)) {
            Some(token) => {
                tracing::debug!(reason = %error, "could not refresh the access token; using it until it expires");
                Ok(token.clone())
            }
            None => Err(error),
        }
    }
}

impl Token {
    /// A token fetched at `started` that lives `lifetime`, if the endpoint said.
    fn new(header: HeaderValue, serial: u64, started: Instant, lifetime: Option<Duration>) -> Self {
        Token {
            header,
            serial,
            refresh_at: lifetime.map(|lifetime| {
                started + lifetime.saturating_sub((lifetime / 2).min(MAX_REFRESH_MARGIN))
            }),
            expires_at: lifetime.map(|lifetime| started + lifetime),
        }
    }

    /// Good to send without fetching another.
    fn is_fresh(&self, now: Instant) -> bool {
        self.refresh_at.map_or(true, |at| now < at)
    }

    /// Not yet expired.
    fn is_valid(&self, now: Instant) -> bool {
        self.expires_at.map_or(true, |at| now < at)
    }
}

/// `expires_in` as whole seconds: a number, or a string of digits.
fn seconds(value: &serde_json::Value) -> Option<u64> {
    match value {
        serde_json::Value::Number(number) => number
            .as_u64()
            .or_else(|| number.as_f64().filter(|s| *s >= 0.0).map(|s| s as u64)),
        serde_json::Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// `400 Bad Request: invalid_client: Client authentication failed`, or the body's start.
fn refusal(status: StatusCode, body: &[u8]) -> String {
    let status_text = match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    };
    // RFC 6749 §5.2.
    let refusal = serde_json::from_slice::<serde_json::Value>(body).ok();
    let member = |name: &str| refusal.as_ref()?.get(name)?.as_str();
    if let Some(error) = member("error") {
        return match member("error_description") {
            Some(description) => format!("{status_text}: {error}: {description}"),
            None => format!("{status_text}: {error}"),
        };
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return status_text;
    }
    let excerpt: String = text.chars().take(ANSWER_EXCERPT_CHARS).collect();
    let more = if excerpt.len() < text.len() {
        "…"
    } else {
        ""
    };
    format!("{status_text}: {excerpt}{more}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lifetimes_as_numbers_or_digit_strings() {
        assert_eq!(seconds(&serde_json::json!(3600)), Some(3600));
        assert_eq!(seconds(&serde_json::json!(59.9)), Some(59));
        assert_eq!(seconds(&serde_json::json!("120")), Some(120));
        assert_eq!(seconds(&serde_json::json!(-1)), None);
        assert_eq!(seconds(&serde_json::json!("soon")), None);
    }

    #[test]
    fn a_refusal_names_the_oauth_error_or_quotes_the_body() {
        let bad = StatusCode::BAD_REQUEST;
        assert_eq!(
            refusal(
                bad,
                br#"{"error":"invalid_client","error_description":"unknown client"}"#
            ),
            "400 Bad Request: invalid_client: unknown client"
        );
        assert_eq!(
            refusal(bad, br#"{"error":"invalid_scope"}"#),
            "400 Bad Request: invalid_scope"
        );
        assert_eq!(
            refusal(StatusCode::BAD_GATEWAY, b"  upstream down\n"),
            "502 Bad Gateway: upstream down"
        );
        assert_eq!(
            refusal(StatusCode::SERVICE_UNAVAILABLE, b""),
            "503 Service Unavailable"
        );
    }

    #[test]
    fn a_token_is_fetched_again_ahead_of_its_expiry() {
        let now = Instant::now();
        let token = |lifetime: Option<u64>| {
            let header = HeaderValue::from_static("Bearer t");
            Token::new(header, 0, now, lifetime.map(Duration::from_secs))
        };
        let hour = token(Some(3600));
        assert!(hour.is_fresh(now + Duration::from_secs(3539)));
        assert!(!hour.is_fresh(now + Duration::from_secs(3540)));
        assert!(hour.is_valid(now + Duration::from_secs(3599)));
        let short = token(Some(2));
        assert!(!short.is_fresh(now + Duration::from_secs(1)));
        assert!(short.is_valid(now + Duration::from_secs(1)));
        let forever = token(None);
        assert!(forever.is_fresh(now + Duration::from_secs(1 << 30)));
    }
}
