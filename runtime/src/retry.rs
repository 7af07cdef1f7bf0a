//! The retry policy: which failed responses are worth another attempt, and how long to wait
//! before it (the server's `retry-after-ms` / `Retry-After`, else exponential backoff with
//! jitter). Reads the API's settings only; the transport applies it, and an error reports
//! through it whether it is retryable.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::settings::ResponseHeaders;

/// The first backoff delay; each retry doubles it.
const INITIAL_RETRY_DELAY: Duration = Duration::from_millis(500);
/// The longest backoff delay, however many retries came before.
const MAX_RETRY_BACKOFF: Duration = Duration::from_secs(8);
/// The largest fraction taken off a backoff delay, so that clients failing together spread out.
const MAX_JITTER: f64 = 0.25;

/// Whether a non-success response is worth retrying.
///
/// The server's `x-should-retry: true|false` (or the header the API names) wins; otherwise
/// request timeouts (408), lock conflicts (409), rate limits (429) and server errors (5xx) are.
pub(crate) fn should_retry(
    status: StatusCode,
    headers: &HeaderMap,
    meaning: &ResponseHeaders,
) -> bool {
    let hint = meaning
        .should_retry
        .and_then(|name| headers.get(name))
        .and_then(|value| value.to_str().ok())
        .map(str::trim);
    match hint {
        Some(hint) if hint.eq_ignore_ascii_case("true") => true,
        Some(hint) if hint.eq_ignore_ascii_case("false") => false,
        _ => {
            matches!(
                status,
                StatusCode::REQUEST_TIMEOUT | StatusCode::CONFLICT | StatusCode::TOO_MANY_REQUESTS
            ) || status.is_server_error()
        }
    }
}

/// The exponential backoff before retry number `retries + 1`, given a uniform `sample` in
/// `[0, 1)` that sets the jitter.
pub(crate) fn backoff(retries: u32, sample: f64) -> Duration {
    let exponent = retries.min(16) as i32;
    let base = (INITIAL_RETRY_DELAY.as_secs_f64() * 2f64.powi(exponent))
        .min(MAX_RETRY_BACKOFF.as_secs_f64());
    let jitter = 1.0 - MAX_JITTER * sample.clamp(0.0, 1.0);
    Duration::try_from_secs_f64(base * jitter).unwrap_or(MAX_RETRY_BACKOFF)
}

/// What the server asked for in `retry-after-ms` / `Retry-After`.
#[derive(Debug, PartialEq)]
pub(crate) enum RetryAfter {
    /// No usable request: absent, unparsable, zero or in the past.
    Unspecified,
    /// Wait this long, which is within the limit.
    Wait(Duration),
    /// Longer than the caller is willing to wait.
    TooLong,
}

/// Reads the server's requested delay: the milliseconds header (`retry-after-ms` unless the
/// API names another) if it parses, else `Retry-After` as (possibly fractional) seconds or an
/// HTTP date relative to `now`.
pub(crate) fn retry_after(
    headers: &HeaderMap,
    millis_header: Option<&str>,
    max: Duration,
    now: SystemTime,
) -> RetryAfter {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let seconds = millis_header
        .and_then(header)
        .and_then(parse_number)
        .map(|millis| millis / 1000.0)
        .or_else(|| {
            let value = header("retry-after")?;
            parse_number(value).or_else(|| seconds_until(value, now))
        });
    match seconds {
        Some(seconds) if seconds > 0.0 => match Duration::try_from_secs_f64(seconds) {
            Ok(delay) if delay <= max => RetryAfter::Wait(delay),
            _ => RetryAfter::TooLong,
        },
        _ => RetryAfter::Unspecified,
    }
}

fn parse_number(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite())
}

/// Seconds from `now` until an HTTP date; negative when it has passed.
fn seconds_until(date: &str, now: SystemTime) -> Option<f64> {
    let date = httpdate::parse_http_date(date.trim()).ok()?;
    Some(match date.duration_since(now) {
        Ok(ahead) => ahead.as_secs_f64(),
        Err(behind) => -behind.duration().as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    const DEFAULT: ResponseHeaders = ResponseHeaders::DEFAULT;
    const MILLIS: Option<&str> = DEFAULT.retry_after_ms;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    const CAP: Duration = Duration::from_secs(120);

    fn after(pairs: &[(&'static str, &'static str)]) -> RetryAfter {
        retry_after(&headers(pairs), MILLIS, CAP, SystemTime::now())
    }

    #[test]
    fn reads_retry_after_ms_first() {
        assert_eq!(
            after(&[("retry-after-ms", "10"), ("retry-after", "5")]),
            RetryAfter::Wait(Duration::from_millis(10))
        );
        assert_eq!(
            after(&[("retry-after-ms", "1.5")]),
            RetryAfter::Wait(Duration::from_micros(1500))
        );
        // An unparsable `retry-after-ms` falls back to `Retry-After`.
        assert_eq!(
            after(&[("retry-after-ms", "soon"), ("retry-after", "2")]),
            RetryAfter::Wait(Duration::from_secs(2))
        );
    }

    #[test]
    fn reads_retry_after_seconds_and_fractions() {
        assert_eq!(
            after(&[("retry-after", "3")]),
            RetryAfter::Wait(Duration::from_secs(3))
        );
        assert_eq!(
            after(&[("retry-after", " 0.25 ")]),
            RetryAfter::Wait(Duration::from_millis(250))
        );
        assert_eq!(
            after(&[("retry-after", "120")]),
            RetryAfter::Wait(Duration::from_secs(120))
        );
    }

    #[test]
    fn reads_retry_after_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let in_30s = httpdate::fmt_http_date(now + Duration::from_secs(30));
        let mut map = HeaderMap::new();
        map.insert(
            "retry-after",
            HeaderValue::from_str(&in_30s).expect("ascii"),
        );
        assert_eq!(
            retry_after(&map, MILLIS, CAP, now),
            RetryAfter::Wait(Duration::from_secs(30))
        );

        let in_an_hour = httpdate::fmt_http_date(now + Duration::from_secs(3600));
        map.insert(
            "retry-after",
            HeaderValue::from_str(&in_an_hour).expect("ascii"),
        );
        assert_eq!(retry_after(&map, MILLIS, CAP, now), RetryAfter::TooLong);

        let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
        map.insert("retry-after", HeaderValue::from_str(&past).expect("ascii"));
        assert_eq!(retry_after(&map, MILLIS, CAP, now), RetryAfter::Unspecified);
    }

    #[test]
    fn refuses_delays_over_the_cap() {
        assert_eq!(after(&[("retry-after", "121")]), RetryAfter::TooLong);
        assert_eq!(after(&[("retry-after-ms", "120001")]), RetryAfter::TooLong);
        assert_eq!(after(&[("retry-after", "1e300")]), RetryAfter::TooLong);
        assert_eq!(
            retry_after(
                &headers(&[("retry-after", "5")]),
                MILLIS,
                Duration::from_secs(1),
                SystemTime::now()
            ),
            RetryAfter::TooLong
        );
    }

    #[test]
    fn ignores_missing_zero_negative_and_garbage_delays() {
        for pairs in [
            &[][..],
            &[("retry-after", "0")][..],
            &[("retry-after-ms", "0")][..],
            &[("retry-after", "-5")][..],
            &[("retry-after-ms", "-1")][..],
            &[("retry-after", "soon")][..],
            &[("retry-after", "NaN")][..],
            &[("retry-after", "inf")][..],
            &[("retry-after", "")][..],
        ] {
            assert_eq!(after(pairs), RetryAfter::Unspecified, "{pairs:?}");
        }
    }

    #[test]
    fn backoff_doubles_up_to_eight_seconds_minus_jitter() {
        let expected = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0];
        for (retries, base) in (0u32..).zip(expected) {
            assert_eq!(backoff(retries, 0.0), Duration::from_secs_f64(base));
            let smallest = backoff(retries, 0.999_999);
            assert!(
                smallest >= Duration::from_secs_f64(base * 0.75),
                "{smallest:?}"
            );
            assert!(smallest < Duration::from_secs_f64(base), "{smallest:?}");
        }
        assert_eq!(backoff(u32::MAX, 0.0), Duration::from_secs(8));
        assert_eq!(backoff(0, 7.0), Duration::from_secs_f64(0.375));
    }

    #[test]
    fn retries_the_documented_statuses() {
        let empty = HeaderMap::new();
        for status in [408, 409, 429, 500, 502, 503, 504, 599] {
            let status = StatusCode::from_u16(status).expect("valid");
            assert!(should_retry(status, &empty, &DEFAULT), "{status}");
        }
        for status in [400, 401, 403, 404, 410, 422] {
            let status = StatusCode::from_u16(status).expect("valid");
            assert!(!should_retry(status, &empty, &DEFAULT), "{status}");
        }
    }

    #[test]
    fn x_should_retry_overrides_the_status_rule() {
        let yes = headers(&[("x-should-retry", "true")]);
        let no = headers(&[("x-should-retry", "false")]);
        let other = headers(&[("x-should-retry", "maybe")]);
        assert!(should_retry(StatusCode::BAD_REQUEST, &yes, &DEFAULT));
        assert!(!should_retry(
            StatusCode::INTERNAL_SERVER_ERROR,
            &no,
            &DEFAULT
        ));
        assert!(!should_retry(StatusCode::TOO_MANY_REQUESTS, &no, &DEFAULT));
        assert!(should_retry(StatusCode::BAD_GATEWAY, &other, &DEFAULT));
        assert!(!should_retry(StatusCode::NOT_FOUND, &other, &DEFAULT));
    }

    #[test]
    fn the_api_names_its_own_retry_headers_or_none() {
        let renamed = ResponseHeaders {
            should_retry: Some("retryable"),
            retry_after_ms: Some("retry-in-ms"),
            ..DEFAULT
        };
        let no = headers(&[("retryable", "false"), ("x-should-retry", "true")]);
        assert!(!should_retry(StatusCode::TOO_MANY_REQUESTS, &no, &renamed));
        let off = ResponseHeaders {
            should_retry: None,
            retry_after_ms: None,
            ..DEFAULT
        };
        assert!(
            should_retry(StatusCode::TOO_MANY_REQUESTS, &no, &off),
            "the status decides"
        );
        let delays = headers(&[("retry-in-ms", "250"), ("retry-after-ms", "10")]);
        let now = SystemTime::now();
        assert_eq!(
            retry_after(&delays, renamed.retry_after_ms, CAP, now),
            RetryAfter::Wait(Duration::from_millis(250))
        );
        assert_eq!(
            retry_after(&delays, None, CAP, now),
            RetryAfter::Unspecified
        );
    }
}
