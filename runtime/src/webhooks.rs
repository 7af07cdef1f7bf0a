//! Receiving webhooks: checking that a request comes from the API (its Standard Webhooks
//! signature), then decoding its event.
//!
//! [Standard Webhooks](https://www.standardwebhooks.com/): the sender signs
//! `{webhook-id}.{webhook-timestamp}.{body}` with HMAC-SHA256 under a shared secret (base64,
//! usually shown with a `whsec_` prefix) and sends `webhook-signature: v1,<base64>`, several
//! space-separated when the secret is being rotated. A signature is accepted only with a
//! timestamp within the tolerance of now, both ways, so that a captured request cannot be
//! replayed later.
//!
//! A generated crate with webhooks names its event type `E` ([`WebhookEvents`]) and exposes
//! `Webhooks<E>` as its own `webhooks::Webhooks`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::marker::PhantomData;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use reqwest::header::HeaderMap;
use sha2::Sha256;

/// The headers of a Standard Webhooks request.
const ID_HEADER: &str = "webhook-id";
const TIMESTAMP_HEADER: &str = "webhook-timestamp";
const SIGNATURE_HEADER: &str = "webhook-signature";
/// The prefix secrets are shown with; the key is the base64 after it.
const SECRET_PREFIX: &str = "whsec_";
/// The only signature version Standard Webhooks defines for HMAC-SHA256.
const SIGNATURE_VERSION: &str = "v1";

/// What a crate's webhook event type tells the verifier about the API's webhooks.
pub trait WebhookEvents: serde::de::DeserializeOwned {
    /// The environment variable [`Webhooks::from_env`] reads the secret from.
    const SECRET_ENV: Option<&'static str>;
    /// How far a request's timestamp may be from now, either way.
    const TOLERANCE: Duration;
}

/// Verifies and decodes the webhooks an API sends, as events of type `E`.
///
/// Cloning is cheap. Verification needs the request's body exactly as received (before any
/// JSON parsing) and its headers.
pub struct Webhooks<E> {
    secret: Option<String>,
    tolerance: Duration,
    events: PhantomData<fn() -> E>,
}

impl<E> Clone for Webhooks<E> {
    fn clone(&self) -> Self {
        Webhooks {
            secret: self.secret.clone(),
            tolerance: self.tolerance,
            events: PhantomData,
        }
    }
}

impl<E> fmt::Debug for Webhooks<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhooks")
            .field("secret", &self.secret.as_ref().map(|_| "***"))
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl<E: WebhookEvents> Webhooks<E> {
    /// Verifies with `secret`: the base64 key, with or without its `whsec_` prefix.
    pub fn new(secret: impl Into<String>) -> Self {
        Self::with_secret(Some(secret.into()))
    }

    /// Verifies with the secret in the API's environment variable; fails when it is unset or
    /// empty.
    pub fn from_env() -> Result<Self, WebhookError> {
        let secret = E::SECRET_ENV
            .and_then(|name| std::env::var(name).ok())
            .filter(|secret| !secret.is_empty());
        match secret {
            Some(secret) => Ok(Self::new(secret)),
            None => Err(WebhookError::MissingSecret { env: E::SECRET_ENV }),
        }
    }

    /// Verifies with `secret` when given, else with the API's environment variable, read now;
    /// without either, every verification fails with [`WebhookError::MissingSecret`].
    #[doc(hidden)]
    pub fn with_secret(secret: Option<String>) -> Self {
        let secret = secret.filter(|secret| !secret.is_empty()).or_else(|| {
            E::SECRET_ENV
                .and_then(|name| std::env::var(name).ok())
                .filter(|secret| !secret.is_empty())
        });
        Webhooks {
            secret,
            tolerance: E::TOLERANCE,
            events: PhantomData,
        }
    }

    /// Accepts timestamps up to `tolerance` away from now (the API's default, usually five
    /// minutes, otherwise).
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Verifies the request's signature, then decodes its body as an event.
    ///
    /// An event type this version of the crate does not know decodes as its `Unknown` variant,
    /// where the API's events carry a type member.
    pub fn unwrap(&self, body: &[u8], headers: &impl WebhookHeaders) -> Result<E, WebhookError> {
        self.verify_signature(body, headers)?;
        serde_json::from_slice(body).map_err(WebhookError::Decode)
    }

    /// Verifies the request's signature and timestamp, without decoding its body.
    pub fn verify_signature(
        &self,
        body: &[u8],
        headers: &impl WebhookHeaders,
    ) -> Result<(), WebhookError> {
        self.verify_at(body, headers, SystemTime::now())
    }

    /// [`Webhooks::verify_signature`] as if it were `now`.
    fn verify_at(
        &self,
        body: &[u8],
        headers: &impl WebhookHeaders,
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let key = self.key()?;
        let header = |name: &'static str| {
            headers
                .header(name)
                .ok_or(WebhookError::MissingHeader { name })
        };
        let id = header(ID_HEADER)?;
        let timestamp = header(TIMESTAMP_HEADER)?;
        let signatures = header(SIGNATURE_HEADER)?;
        let seconds: i64 =
            timestamp
                .trim()
                .parse()
                .map_err(|_| WebhookError::InvalidTimestamp {
                    value: timestamp.to_owned(),
                })?;
        check_timestamp(seconds, now, self.tolerance)?;
        let mac = signed(&key, id, seconds, body);
        let matches = signatures
            .split_ascii_whitespace()
            .filter_map(|signature| signature.split_once(','))
            .filter(|(version, _)| *version == SIGNATURE_VERSION)
            .filter_map(|(_, signature)| BASE64.decode(signature).ok())
            .any(|signature| mac.clone().verify_slice(&signature).is_ok());
        match matches {
            true => Ok(()),
            false => Err(WebhookError::NoMatchingSignature),
        }
    }

    /// The `webhook-signature` value the API would send for `body` with this id and
    /// timestamp (seconds since the Unix epoch): to test a webhook handler with requests
    /// signed as the API signs them.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> Result<String, WebhookError> {
        let key = self.key()?;
        let signature = signed(&key, id, timestamp, body).finalize().into_bytes();
        Ok(format!("{SIGNATURE_VERSION},{}", BASE64.encode(signature)))
    }

    /// The HMAC key: the secret's base64, after its prefix.
    fn key(&self) -> Result<Vec<u8>, WebhookError> {
        let secret = self
            .secret
            .as_deref()
            .ok_or(WebhookError::MissingSecret { env: E::SECRET_ENV })?;
        let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
        BASE64
            .decode(encoded.trim())
            .map_err(|_| WebhookError::InvalidSecret)
    }
}

/// The MAC of `{id}.{timestamp}.{body}`, not yet finalized.
fn signed(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Refuses a timestamp further than `tolerance` from `now`.
fn check_timestamp(seconds: i64, now: SystemTime, tolerance: Duration) -> Result<(), WebhookError> {
    let now = match now.duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
    };
    let tolerance = i64::try_from(tolerance.as_secs()).unwrap_or(i64::MAX);
    if now.saturating_sub(seconds) > tolerance {
        return Err(WebhookError::TimestampTooOld { timestamp: seconds });
    }
    if seconds.saturating_sub(now) > tolerance {
        return Err(WebhookError::TimestampTooNew { timestamp: seconds });
    }
    Ok(())
}

/// The headers of a received request, as any HTTP framework holds them: an
/// `http::HeaderMap` (axum, hyper, reqwest), a map or a list of name-value pairs. Names are
/// matched without regard to case.
pub trait WebhookHeaders {
    /// The value of the header `name` (lowercase), if present and text.
    fn header(&self, name: &str) -> Option<&str>;
}

impl WebhookHeaders for HeaderMap {
    fn header(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|value| value.to_str().ok())
    }
}

impl<K: AsRef<str>, V: AsRef<str>, S> WebhookHeaders for HashMap<K, V, S> {
    fn header(&self, name: &str) -> Option<&str> {
        pairs_header(self.iter(), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for BTreeMap<K, V> {
    fn header(&self, name: &str) -> Option<&str> {
        pairs_header(self.iter(), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for [(K, V)] {
    fn header(&self, name: &str) -> Option<&str> {
        pairs_header(self.iter().map(|(k, v)| (k, v)), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> WebhookHeaders for [(K, V); N] {
    fn header(&self, name: &str) -> Option<&str> {
        self.as_slice().header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for Vec<(K, V)> {
    fn header(&self, name: &str) -> Option<&str> {
        self.as_slice().header(name)
    }
}

fn pairs_header<'a, K: AsRef<str> + 'a, V: AsRef<str> + 'a>(
    mut pairs: impl Iterator<Item = (&'a K, &'a V)>,
    name: &str,
) -> Option<&'a str> {
    pairs
        .find(|(key, _)| key.as_ref().eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_ref())
}

/// Why a webhook request was refused.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// No secret was given, and the environment variable is unset.
    #[non_exhaustive]
    MissingSecret {
        /// The variable that was read, if the API names one.
        env: Option<&'static str>,
    },
    /// The secret is not base64 (after its `whsec_` prefix).
    InvalidSecret,
    /// A header Standard Webhooks requires is missing.
    #[non_exhaustive]
    MissingHeader {
        /// Its name.
        name: &'static str,
    },
    /// `webhook-timestamp` is not a number of seconds.
    #[non_exhaustive]
    InvalidTimestamp {
        /// The header's value.
        value: String,
    },
    /// The request was signed longer ago than the tolerance: it may be a replay.
    #[non_exhaustive]
    TimestampTooOld {
        /// The request's timestamp, in seconds since the Unix epoch.
        timestamp: i64,
    },
    /// The request claims to be signed later than now by more than the tolerance.
    #[non_exhaustive]
    TimestampTooNew {
        /// The request's timestamp, in seconds since the Unix epoch.
        timestamp: i64,
    },
    /// No signature in `webhook-signature` matches the body under the secret: the body was
    /// changed, or the secret is not the endpoint's.
    NoMatchingSignature,
    /// The signature is valid, but the body is not an event this crate can read.
    Decode(serde_json::Error),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingSecret { env: Some(env) } => write!(
                f,
                "no webhook secret: pass one, or set the environment variable {env}"
            ),
            WebhookError::MissingSecret { env: None } => f.write_str("no webhook secret"),
            WebhookError::InvalidSecret => {
                f.write_str("the webhook secret is not base64 (after its `whsec_` prefix)")
            }
            WebhookError::MissingHeader { name } => {
                write!(f, "the webhook request has no `{name}` header")
            }
            WebhookError::InvalidTimestamp { value } => write!(
                f,
                "the webhook timestamp `{value}` is not a number of seconds"
            ),
            WebhookError::TimestampTooOld { timestamp } => write!(
                f,
                "the webhook timestamp {timestamp} is too old (outside the tolerance)"
            ),
            WebhookError::TimestampTooNew { timestamp } => write!(
                f,
                "the webhook timestamp {timestamp} is in the future (outside the tolerance)"
            ),
            WebhookError::NoMatchingSignature => {
                f.write_str("no webhook signature matches the body and the secret")
            }
            WebhookError::Decode(error) => {
                write!(f, "the webhook body is not a known event: {error}")
            }
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::Decode(error) => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Any JSON, with the Standard Webhooks defaults.
    struct Event;

    impl<'de> serde::Deserialize<'de> for Event {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            serde_json::Value::deserialize(deserializer).map(|_| Event)
        }
    }

    impl WebhookEvents for Event {
        const SECRET_ENV: Option<&'static str> = Some("SDKGEN_RUNTIME_TEST_WEBHOOK_SECRET");
        const TOLERANCE: Duration = Duration::from_secs(300);
    }

    /// The specification's published example.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TIMESTAMP: i64 = 1_614_265_330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    fn at(seconds: i64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).expect("after 1970"))
    }

    fn headers(timestamp: &str, signature: &str) -> Vec<(&'static str, String)> {
        vec![
            ("webhook-id", ID.to_owned()),
            ("webhook-timestamp", timestamp.to_owned()),
            ("webhook-signature", signature.to_owned()),
        ]
    }

    fn webhooks(secret: &str) -> Webhooks<Event> {
        Webhooks::new(secret)
    }

    #[test]
    fn the_specification_example_signs_and_verifies() {
        let webhooks = webhooks(SECRET);
        assert_eq!(
            webhooks.sign(ID, TIMESTAMP, BODY).expect("signed"),
            SIGNATURE
        );
        let headers = headers("1614265330", SIGNATURE);
        webhooks
            .verify_at(BODY, &headers, at(TIMESTAMP))
            .expect("the example verifies");
        // The same key without its prefix.
        let bare = Webhooks::<Event>::new(SECRET.trim_start_matches("whsec_"));
        bare.verify_at(BODY, &headers, at(TIMESTAMP + 299))
            .expect("a bare secret verifies");
    }

    #[test]
    fn a_wrong_secret_or_a_changed_body_does_not_verify() {
        let headers = headers("1614265330", SIGNATURE);
        let wrong = webhooks("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assert!(matches!(
            wrong.verify_at(BODY, &headers, at(TIMESTAMP)),
            Err(WebhookError::NoMatchingSignature)
        ));
        let tampered = br#"{"test": 2432232315}"#;
        assert!(matches!(
            webhooks(SECRET).verify_at(tampered, &headers, at(TIMESTAMP)),
            Err(WebhookError::NoMatchingSignature)
        ));
        // Another id is another signed content.
        let mut other_id = headers.clone();
        other_id[0].1 = "msg_other".to_owned();
        assert!(matches!(
            webhooks(SECRET).verify_at(BODY, &other_id, at(TIMESTAMP)),
            Err(WebhookError::NoMatchingSignature)
        ));
    }

    #[test]
    fn a_timestamp_outside_the_tolerance_is_refused_either_way() {
        let headers = headers("1614265330", SIGNATURE);
        let webhooks = webhooks(SECRET);
        assert!(matches!(
            webhooks.verify_at(BODY, &headers, at(TIMESTAMP + 301)),
            Err(WebhookError::TimestampTooOld {
                timestamp: TIMESTAMP
            })
        ));
        assert!(matches!(
            webhooks.verify_at(BODY, &headers, at(TIMESTAMP - 301)),
            Err(WebhookError::TimestampTooNew {
                timestamp: TIMESTAMP
            })
        ));
        webhooks
            .verify_at(BODY, &headers, at(TIMESTAMP - 300))
            .expect("at the edge");
        let wider = webhooks.clone().tolerance(Duration::from_secs(3600));
        wider
            .verify_at(BODY, &headers, at(TIMESTAMP + 3000))
            .expect("a wider tolerance");
        let not_a_number = self::headers("yesterday", SIGNATURE);
        assert!(matches!(
            wider.verify_at(BODY, &not_a_number, at(TIMESTAMP)),
            Err(WebhookError::InvalidTimestamp { value }) if value == "yesterday"
        ));
    }

    #[test]
    fn any_one_of_several_signatures_may_match_and_other_versions_are_ignored() {
        let webhooks = webhooks(SECRET);
        let signature = SIGNATURE.trim_start_matches("v1,");
        for header in [
            format!("v1,bm9wZQ== {SIGNATURE}"),
            format!("{SIGNATURE} v1,bm9wZQ=="),
            format!("v2,{signature} v1a,{signature} {SIGNATURE}"),
        ] {
            webhooks
                .verify_at(BODY, &headers("1614265330", &header), at(TIMESTAMP))
                .unwrap_or_else(|error| panic!("{header}: {error}"));
        }
        for header in [
            format!("v2,{signature}"),
            signature.to_owned(),
            "v1,bm9wZQ==".to_owned(),
            "v1,not base64!".to_owned(),
            String::new(),
        ] {
            assert!(
                matches!(
                    webhooks.verify_at(BODY, &headers("1614265330", &header), at(TIMESTAMP)),
                    Err(WebhookError::NoMatchingSignature)
                ),
                "{header}"
            );
        }
    }

    #[test]
    fn missing_headers_and_secrets_are_named() {
        let webhooks = webhooks(SECRET);
        for missing in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
            let mut headers = headers("1614265330", SIGNATURE);
            headers.retain(|(name, _)| *name != missing);
            let error = webhooks
                .verify_at(BODY, &headers, at(TIMESTAMP))
                .expect_err("a header is missing");
            assert_eq!(
                error.to_string(),
                format!("the webhook request has no `{missing}` header")
            );
        }
        // Names are matched without regard to case, in every kind of header collection.
        let mut map = HeaderMap::new();
        for (name, value) in headers("1614265330", SIGNATURE) {
            map.insert(name, value.parse().expect("a header value"));
        }
        webhooks
            .verify_at(BODY, &map, at(TIMESTAMP))
            .expect("a HeaderMap");
        let upper: HashMap<String, String> = headers("1614265330", SIGNATURE)
            .into_iter()
            .map(|(name, value)| (name.to_uppercase(), value))
            .collect();
        webhooks
            .verify_at(BODY, &upper, at(TIMESTAMP))
            .expect("a map");

        let unset = Webhooks::<Event>::with_secret(None);
        assert_eq!(
            unset
                .sign(ID, TIMESTAMP, BODY)
                .expect_err("no secret")
                .to_string(),
            "no webhook secret: pass one, or set the environment variable \
             SDKGEN_RUNTIME_TEST_WEBHOOK_SECRET"
        );
        assert!(matches!(
            Webhooks::<Event>::from_env(),
            Err(WebhookError::MissingSecret { env: Some(_) })
        ));
        assert!(matches!(
            Webhooks::<Event>::new("whsec_not base64!").sign(ID, TIMESTAMP, BODY),
            Err(WebhookError::InvalidSecret)
        ));
    }

    #[test]
    fn unwrap_verifies_before_it_decodes() {
        let webhooks = webhooks(SECRET);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        let now = i64::try_from(now).expect("in range");
        let body = b"not json";
        let signature = webhooks.sign(ID, now, body).expect("signed");
        let headers = headers(&now.to_string(), &signature);
        assert!(matches!(
            webhooks.unwrap(body, &headers),
            Err(WebhookError::Decode(_))
        ));
        assert!(matches!(
            webhooks.unwrap(b"{}", &headers),
            Err(WebhookError::NoMatchingSignature)
        ));
        let signature = webhooks.sign(ID, now, b"{}").expect("signed");
        let headers = self::headers(&now.to_string(), &signature);
        webhooks
            .unwrap(b"{}", &headers)
            .expect("verified and decoded");
    }
}
