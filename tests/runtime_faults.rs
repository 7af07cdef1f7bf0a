//! The runtime of the generated client under real failures (issue 3).
//!
//! Every test talks to a scripted, fault-injecting HTTP/1.1 server on 127.0.0.1
//! (`support/fault_server.rs`) through the generated crate's public API only, and asserts the
//! number of requests, the delays between attempts (generous bounds, chosen so that they still
//! tell the intended delay from the default backoff), and the exact error.
//!
//! Backoff budget: the default backoff before retry `n` is `0.5 s · 2^n` minus up to 25 %
//! jitter, so the first gap is in [0.375 s, 0.5 s] and the second in [0.75 s, 1 s].

/// The scripted server, of which these tests use part.
#[path = "support/fault_server.rs"]
#[allow(dead_code)]
mod fault_server;

use std::time::{Duration, Instant, SystemTime};

use fault_server::{closed_port_base_url, gaps, Action, FaultServer, Recorded, Reply};
use futures::TryStreamExt;
use openai_admin_certificates::resources::AdminOrganizationCertificates;
use openai_admin_certificates::types::{
    Certificate, CertificateObject, GetCertificateInclude, ListCertificatesResponse,
    ListCertificatesResponseObject, ListOrganizationCertificatesOrder,
    OrganizationCertificateObject,
};
use openai_admin_certificates::{ApiError, Client, ClientBuilder, Error, RequestOptions};
use serde_json::{json, Value};

const KEY: &str = "sk-admin-fault-test-5f0c2b9e";

/// A client of `server` with the default configuration (2 retries, 600 s timeout).
fn builder(base_url: &str) -> ClientBuilder {
    Client::builder().admin_api_key(KEY).base_url(base_url)
}

fn client(server: &FaultServer) -> Client {
    builder(server.base_url()).build().expect("client")
}

/// The certificates resource of [`client`].
fn certificates(server: &FaultServer) -> AdminOrganizationCertificates {
    client(server).admin().organization().certificates()
}

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

#[track_caller]
fn assert_between(actual: Duration, min: Duration, max: Duration, what: &str) {
    assert!(
        actual >= min && actual < max,
        "{what}: {actual:?} is not in [{min:?}, {max:?})"
    );
}

/// A certificate as `GET /organization/certificates/{id}` returns it.
fn certificate(id: &str) -> Value {
    json!({
        "object": "certificate",
        "id": id,
        "name": format!("Certificate {id}"),
        "created_at": 1_700_000_001,
        "certificate_details": {"valid_at": 1_700_000_000, "expires_at": 1_800_000_000}
    })
}

fn certificate_reply(id: &str) -> Reply {
    Reply::json(200, certificate(id).to_string())
}

/// An item of the list.
fn listed(id: &str) -> Value {
    json!({
        "object": "organization.certificate",
        "id": id,
        "name": null,
        "active": false,
        "created_at": 1_700_000_001,
        "certificate_details": {"valid_at": 1_700_000_000, "expires_at": 1_800_000_000}
    })
}

fn page_reply(ids: &[&str], has_more: bool) -> Reply {
    let body = json!({
        "object": "list",
        "data": ids.iter().map(|id| listed(id)).collect::<Vec<_>>(),
        "first_id": ids.first(),
        "last_id": ids.last(),
        "has_more": has_more,
    });
    Reply::json(200, body.to_string())
}

/// A reply no test expects to be used; asserting that it is left over proves that the client
/// stopped.
fn trap() -> Action {
    certificate_reply("cert_trap").into_action()
}

#[track_caller]
fn api_error(error: &Error) -> &ApiError {
    match error.api_error() {
        Some(api) => api,
        None => panic!("expected an API error, got {error:?}"),
    }
}

#[track_caller]
fn assert_all_get(requests: &[Recorded], target: &str) {
    for request in requests {
        assert_eq!(request.method, "GET");
        assert_eq!(request.target, target);
    }
}

// ----- Retry-After --------------------------------------------------------------------------

/// `retry-after-ms` replaces the backoff, and wins over `Retry-After`.
#[tokio::test]
async fn retry_after_ms_is_waited_for_and_preferred() {
    let server = FaultServer::start([
        Reply::json(429, r#"{"error":{"message":"Slow down"}}"#)
            .header("retry-after-ms", "800")
            .header("retry-after", "3")
            .into_action(),
        certificate_reply("cert_1").into_action(),
    ])
    .await;
    let certificate = certificates(&server)
        .retrieve("cert_1")
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(certificate.id, "cert_1");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_all_get(&requests, "/v1/organization/certificates/cert_1");
    // At least the 800 ms asked for (the default backoff is at most 500 ms), and well under
    // the 3 s of `Retry-After`.
    assert_between(gaps(&requests)[0], ms(800), ms(2500), "retry-after-ms gap");
}

#[tokio::test]
async fn retry_after_integer_seconds_is_waited_for() {
    let server = FaultServer::start([
        Reply::json(429, "{}")
            .header("retry-after", "1")
            .into_action(),
        certificate_reply("cert_1").into_action(),
    ])
    .await;
    let certificate = certificates(&server)
        .retrieve("cert_1")
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(certificate.id, "cert_1");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_between(gaps(&requests)[0], ms(1000), ms(2500), "Retry-After: 1");
}

#[tokio::test]
async fn retry_after_fractional_seconds_is_waited_for() {
    let server = FaultServer::start([
        Reply::json(429, "{}")
            .header("retry-after", "0.7")
            .into_action(),
        certificate_reply("cert_1").into_action(),
    ])
    .await;
    certificates(&server)
        .retrieve("cert_1")
        .send()
        .await
        .expect("the retry succeeds");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    // Read as 700 ms, not ignored (which would fall back to a backoff of at most 500 ms).
    assert_between(gaps(&requests)[0], ms(700), ms(2200), "Retry-After: 0.7");
}

#[tokio::test]
async fn retry_after_http_date_is_waited_for() {
    // HTTP dates have whole seconds, so "now + 2 s" is between 1 s and 2 s away.
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let server = FaultServer::start([
        Reply::json(429, "{}")
            .header("retry-after", date)
            .into_action(),
        certificate_reply("cert_1").into_action(),
    ])
    .await;
    certificates(&server)
        .retrieve("cert_1")
        .send()
        .await
        .expect("the retry succeeds");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_between(gaps(&requests)[0], ms(800), ms(3500), "Retry-After: <date>");
}

/// A delay over the default cap of 120 s is not waited for: the 429 comes back at once.
#[tokio::test]
async fn retry_after_over_the_default_cap_returns_the_error_at_once() {
    for (name, value) in [("retry-after", "121"), ("retry-after-ms", "120001")] {
        let server = FaultServer::start([
            Reply::json(
                429,
                r#"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#,
            )
            .header(name, value)
            .header("x-request-id", "req_429")
            .into_action(),
            trap(),
        ])
        .await;
        let started = Instant::now();
        let error = certificates(&server)
            .list()
            .send()
            .await
            .expect_err("rate limited");
        assert!(
            started.elapsed() < ms(5000),
            "{name}: {:?}",
            started.elapsed()
        );
        assert_eq!(server.requests().len(), 1, "{name}");
        assert_eq!(server.remaining(), 1, "{name}");

        assert!(error.is_rate_limited(), "{name}: {error:?}");
        assert_eq!(error.status().map(|status| status.as_u16()), Some(429));
        assert_eq!(error.request_id(), Some("req_429"));
        let api = api_error(&error);
        assert_eq!(api.message(), Some("Rate limit reached"));
        assert_eq!(
            api.error().and_then(|body| body.code.as_deref()),
            Some("rate_limit_exceeded")
        );
        assert_eq!(
            error.to_string(),
            "429 Too Many Requests: Rate limit reached (request id req_429)"
        );
    }
}

#[tokio::test]
async fn retry_after_over_a_configured_cap_returns_the_error_at_once() {
    let server = FaultServer::start([
        Reply::json(429, r#"{"error":{"message":"Wait a second"}}"#)
            .header("retry-after-ms", "1000")
            .into_action(),
        trap(),
    ])
    .await;
    let client = builder(server.base_url())
        .max_retry_delay(ms(500))
        .build()
        .expect("client");
    let started = Instant::now();
    let error = client
        .admin()
        .organization()
        .certificates()
        .retrieve("cert_1")
        .send()
        .await
        .expect_err("rate limited");
    assert!(started.elapsed() < ms(900), "{:?}", started.elapsed());
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.remaining(), 1);
    assert!(error.is_rate_limited(), "{error:?}");
    assert_eq!(error.to_string(), "429 Too Many Requests: Wait a second");
}

// ----- 5xx and x-should-retry ----------------------------------------------------------------

#[tokio::test]
async fn server_errors_then_success_with_the_default_two_retries() {
    let server = FaultServer::start([
        Reply::json(500, r#"{"error":{"message":"boom"}}"#).into_action(),
        Reply::html(503, "<html>busy</html>").into_action(),
        certificate_reply("cert_1").into_action(),
    ])
    .await;
    let certificate = certificates(&server)
        .retrieve("cert_1")
        .send()
        .await
        .expect("the third attempt succeeds");
    assert_eq!(certificate.id, "cert_1");

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_all_get(&requests, "/v1/organization/certificates/cert_1");
    let gaps = gaps(&requests);
    assert_between(gaps[0], ms(375), ms(1500), "first backoff");
    assert_between(gaps[1], ms(750), ms(2500), "second backoff");
}

#[tokio::test]
async fn server_errors_then_success_with_three_retries() {
    let server = FaultServer::start([
        Reply::json(500, "{}").into_action(),
        Reply::json(502, "{}").into_action(),
        Reply::json(503, "{}").into_action(),
        certificate_reply("cert_1").into_action(),
    ])
    .await;
    let client = builder(server.base_url())
        .max_retries(3)
        .build()
        .expect("client");
    let certificate = client
        .admin()
        .organization()
        .certificates()
        .retrieve("cert_1")
        .send()
        .await
        .expect("the fourth attempt succeeds");
    assert_eq!(certificate.id, "cert_1");

    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    let gaps = gaps(&requests);
    assert_between(gaps[0], ms(375), ms(1500), "first backoff");
    assert_between(gaps[1], ms(750), ms(2500), "second backoff");
    assert_between(gaps[2], ms(1500), ms(3500), "third backoff");
}

/// When every attempt fails, the error of the last attempt is returned, whatever its body.
#[tokio::test]
async fn server_errors_exhaust_the_retries_and_return_the_last_error() {
    let server = FaultServer::start([
        Reply::json(500, r#"{"error":{"message":"first"}}"#).into_action(),
        Reply::html(502, "<html><h1>502 Bad Gateway</h1></html>").into_action(),
        Reply::status(503)
            .header("x-request-id", "req_last")
            .into_action(),
        trap(),
    ])
    .await;
    let client = builder(server.base_url())
        .max_retries(2)
        .build()
        .expect("client");
    let error = client
        .admin()
        .organization()
        .certificates()
        .retrieve("cert_1")
        .send()
        .await
        .expect_err("every attempt fails");

    assert_eq!(server.requests().len(), 3);
    assert_eq!(server.remaining(), 1);
    assert!(error.is_server_error(), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    assert_eq!(error.request_id(), Some("req_last"));
    let api = api_error(&error);
    assert_eq!(api.body(), b"");
    assert_eq!(api.error(), None);
    assert_eq!(
        error.to_string(),
        "503 Service Unavailable (request id req_last)"
    );
    let gaps = gaps(&server.requests());
    assert_between(gaps[0], ms(375), ms(1500), "first backoff");
    assert_between(gaps[1], ms(750), ms(2500), "second backoff");
}

#[tokio::test]
async fn x_should_retry_true_retries_a_400() {
    let server = FaultServer::start([
        Reply::json(400, r#"{"error":{"message":"try again"}}"#)
            .header("x-should-retry", "true")
            .into_action(),
        certificate_reply("cert_1").into_action(),
    ])
    .await;
    let certificate = certificates(&server)
        .retrieve("cert_1")
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(certificate.id, "cert_1");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_between(gaps(&requests)[0], ms(375), ms(1500), "backoff");
}

#[tokio::test]
async fn x_should_retry_false_stops_a_500() {
    let server = FaultServer::start([
        Reply::json(
            500,
            r#"{"error":{"message":"do not retry","type":"server_error"}}"#,
        )
        .header("x-should-retry", "false")
        .header("x-request-id", "req_no")
        .into_action(),
        trap(),
    ])
    .await;
    let error = certificates(&server)
        .retrieve("cert_1")
        .send()
        .await
        .expect_err("not retried");
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.remaining(), 1);
    assert!(error.is_server_error(), "{error:?}");
    assert!(!error.is_retryable());
    assert_eq!(
        error.to_string(),
        "500 Internal Server Error: do not retry (request id req_no)"
    );
}

// ----- Network faults ------------------------------------------------------------------------

#[tokio::test]
async fn connection_refused_is_a_connection_error_and_is_retried() {
    let base_url = closed_port_base_url().await;
    let client = builder(&base_url).max_retries(2).build().expect("client");
    let started = Instant::now();
    let error = client
        .admin()
        .organization()
        .certificates()
        .retrieve("cert_1")
        .send()
        .await
        .expect_err("nothing listens");
    // Nothing can count refused connections, so the backoffs tell the attempts: two retries
    // wait at least 375 + 750 ms, a third would add at least 1.5 s more.
    assert_between(started.elapsed(), ms(1125), ms(2600), "two backoffs");
    assert!(error.is_connection(), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
    assert_eq!(error.request_id(), None);
    assert!(
        error.to_string().starts_with("connection error: "),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .to_lowercase()
            .contains("connection refused"),
        "the root cause is shown: {error}"
    );
    assert!(std::error::Error::source(&error).is_some());
}

#[tokio::test]
async fn connection_reset_is_a_connection_error_and_is_retried() {
    let server = FaultServer::start([Action::Reset, Action::Reset, trap()]).await;
    let client = builder(server.base_url())
        .max_retries(1)
        .build()
        .expect("client");
    let error = client
        .admin()
        .organization()
        .certificates()
        .retrieve("cert_1")
        .send()
        .await
        .expect_err("reset twice");
    assert!(error.is_connection(), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(server.remaining(), 1);
    assert_between(gaps(&requests)[0], ms(375), ms(1500), "backoff");
}

/// A body cut off before its announced length is a transport failure, retried like a reset.
#[tokio::test]
async fn body_cut_off_mid_transfer_is_retried_then_succeeds() {
    let server = FaultServer::start([
        Action::CutBody {
            reply: certificate_reply("cert_1"),
            sent: 20,
        },
        certificate_reply("cert_1").into_action(),
    ])
    .await;
    let certificate = certificates(&server)
        .retrieve("cert_1")
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(certificate.id, "cert_1");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_between(gaps(&requests)[0], ms(375), ms(1500), "backoff");
}

#[tokio::test]
async fn stalled_server_times_out_each_attempt_and_is_retried() {
    let server = FaultServer::start([
        Action::Stall(Duration::from_secs(10)),
        Action::Stall(Duration::from_secs(10)),
        trap(),
    ])
    .await;
    let client = builder(server.base_url())
        .timeout(ms(250))
        .max_retries(1)
        .build()
        .expect("client");
    let started = Instant::now();
    let error = client
        .admin()
        .organization()
        .certificates()
        .retrieve("cert_1")
        .send()
        .await
        .expect_err("times out");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(error.is_timeout(), "{error:?}");
    assert!(!error.is_connection());
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
    assert!(
        error.to_string().starts_with("request timed out: "),
        "{error}"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(server.remaining(), 1);
    // The first attempt's 250 ms, then a backoff of at least 375 ms.
    assert_between(gaps(&requests)[0], ms(625), ms(2500), "timeout + backoff");
}

// ----- Broken bodies -------------------------------------------------------------------------

#[tokio::test]
async fn truncated_json_is_a_decode_error_keeping_status_and_body() {
    let truncated = r#"{"object":"certificate","id":"cert_1","na"#;
    let server = FaultServer::start([
        Reply::json(200, truncated)
            .header("x-request-id", "req_trunc")
            .into_action(),
        trap(),
    ])
    .await;
    let error = certificates(&server)
        .retrieve("cert_1")
        .send()
        .await
        .expect_err("cannot decode");
    assert_eq!(server.requests().len(), 1, "a decode error is not retried");
    assert_eq!(server.remaining(), 1);
    assert_eq!(error.status().map(|status| status.as_u16()), Some(200));
    assert_eq!(error.request_id(), Some("req_trunc"));
    assert!(!error.is_retryable());
    let Error::Decode { body, source, .. } = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(body, truncated.as_bytes());
    assert!(source.is_eof(), "{source}");
    assert!(
        error
            .to_string()
            .starts_with("could not decode the 200 OK response: EOF while parsing"),
        "{error}"
    );
    assert!(
        error.to_string().ends_with("(request id req_trunc)"),
        "{error}"
    );
}

#[tokio::test]
async fn non_json_200_is_a_decode_error_keeping_status_and_body() {
    let server = FaultServer::start([
        Reply::status(200)
            .header("content-type", "text/plain")
            .body("OK")
            .into_action(),
        trap(),
    ])
    .await;
    let error = certificates(&server)
        .list()
        .send()
        .await
        .expect_err("cannot decode");
    assert_eq!(server.requests().len(), 1);
    let Error::Decode {
        status,
        request_id,
        body,
        source,
        ..
    } = &error
    else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(*request_id, None);
    assert_eq!(body, b"OK");
    assert!(source.is_syntax(), "{source}");
}

#[tokio::test]
async fn html_error_page_is_an_api_error_without_envelope() {
    let page = "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body>\n</html>\n";
    let server = FaultServer::start([Reply::html(502, page).into_action(), trap()]).await;
    let client = builder(server.base_url())
        .max_retries(0)
        .build()
        .expect("client");
    let error = client
        .admin()
        .organization()
        .certificates()
        .retrieve("cert_1")
        .send()
        .await
        .expect_err("bad gateway");
    assert_eq!(server.requests().len(), 1);
    assert!(error.is_server_error(), "{error:?}");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(502));
    assert_eq!(error.request_id(), None);
    let api = api_error(&error);
    assert_eq!(api.error(), None);
    assert_eq!(api.message(), None);
    assert_eq!(api.body(), page.as_bytes());
    assert_eq!(
        api.headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok()),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        error.to_string(),
        "502 Bad Gateway: <html> <head><title>502 Bad Gateway</title></head> <body>nginx</body> </html>"
    );
}

#[tokio::test]
async fn empty_404_is_an_api_error_and_not_retried() {
    let server = FaultServer::start([
        Reply::status(404)
            .header("x-request-id", "req_404")
            .into_action(),
        trap(),
    ])
    .await;
    let error = certificates(&server)
        .retrieve("cert_missing")
        .send()
        .await
        .expect_err("not found");
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.remaining(), 1);
    assert!(error.is_not_found(), "{error:?}");
    assert!(!error.is_retryable());
    assert_eq!(error.request_id(), Some("req_404"));
    let api = api_error(&error);
    assert_eq!(api.body(), b"");
    assert_eq!(api.error(), None);
    assert_eq!(error.to_string(), "404 Not Found (request id req_404)");
}

#[tokio::test]
async fn error_envelope_with_a_numeric_code() {
    let server = FaultServer::start([
        Reply::json(
            400,
            r#"{"error":{"message":"Invalid PEM","type":"invalid_request_error","param":"certificate","code":1234,"extra":true}}"#,
        )
        .header("x-request-id", "req_bad")
        .into_action(),
        trap(),
    ])
    .await;
    let error = certificates(&server)
        .create("not a pem")
        .send()
        .await
        .expect_err("bad request");
    assert_eq!(server.requests().len(), 1);
    assert!(error.is_bad_request(), "{error:?}");
    assert!(!error.is_retryable());
    let envelope = api_error(&error).error().expect("an envelope");
    assert_eq!(envelope.message.as_deref(), Some("Invalid PEM"));
    assert_eq!(
        envelope.error_type.as_deref(),
        Some("invalid_request_error")
    );
    assert_eq!(envelope.param.as_deref(), Some("certificate"));
    assert_eq!(envelope.code.as_deref(), Some("1234"));
    assert_eq!(
        error.to_string(),
        "400 Bad Request: Invalid PEM (request id req_bad)"
    );
}

// ----- Open enums and unknown fields ---------------------------------------------------------

#[tokio::test]
async fn unknown_enum_values_and_fields_survive_a_round_trip() {
    let certificate = json!({
        "object": "organization.project.certificate.v2",
        "id": "cert_new",
        "name": null,
        "created_at": 1_700_000_001,
        "certificate_details": {
            "valid_at": 1_700_000_000,
            "expires_at": 1_800_000_000,
            "fingerprint_sha256": "ab:cd:ef"
        },
        "active": true,
        "owner": {"project_id": "proj_1", "tags": ["a", 1, null, 2.5]},
        "rotation": null
    });
    let mut item = listed("cert_item");
    item["object"] = json!("organization.certificate.v9");
    item["scope"] = json!({"kind": "project"});
    item["certificate_details"]["issuer"] = json!("CN=Example");
    let page = json!({
        "object": "list.v2",
        "data": [item],
        "first_id": "cert_item",
        "last_id": "cert_item",
        "has_more": false,
        "total": 1
    });
    let server = FaultServer::start([
        Reply::json(200, certificate.to_string()).into_action(),
        Reply::json(200, page.to_string()).into_action(),
    ])
    .await;
    let certificates = certificates(&server);

    let decoded: Certificate = certificates
        .retrieve("cert_new")
        .send()
        .await
        .expect("decodes");
    assert!(matches!(decoded.object, CertificateObject::Unknown(_)));
    assert_eq!(
        decoded.object,
        CertificateObject::from("organization.project.certificate.v2")
    );
    assert_eq!(
        decoded.object.as_str(),
        "organization.project.certificate.v2"
    );
    assert_eq!(
        decoded.object.to_string(),
        "organization.project.certificate.v2"
    );
    assert_eq!(decoded.extra()["owner"]["project_id"], "proj_1");
    assert_eq!(
        serde_json::to_value(&decoded).expect("encodes"),
        certificate
    );

    let listed_page = certificates.list().send().await.expect("decodes");
    assert!(matches!(
        listed_page.object,
        ListCertificatesResponseObject::Unknown(_)
    ));
    assert_eq!(listed_page.object.as_str(), "list.v2");
    assert!(matches!(
        listed_page.data[0].object,
        OrganizationCertificateObject::Unknown(_)
    ));
    assert_eq!(
        listed_page.data[0].object.as_str(),
        "organization.certificate.v9"
    );
    let inner: ListCertificatesResponse = listed_page.into_inner();
    assert_eq!(serde_json::to_value(&inner).expect("encodes"), page);
    assert_eq!(server.requests().len(), 2);
}

// ----- Per-request and per-client options ----------------------------------------------------

#[tokio::test]
async fn per_request_options_reach_the_wire() {
    let server = FaultServer::start([
        Reply::json(500, r#"{"error":{"message":"boom"}}"#).into_action(),
        certificate_reply("cert_1").into_action(),
    ])
    .await;
    let certificates = certificates(&server);
    let options = RequestOptions::new()
        .max_retries(0)
        .timeout(Duration::from_secs(5))
        .header("x-trace-id", "trace-1")
        .header("user-agent", "my-app/1.0")
        .query("extra", "a b&c");

    // The client retries twice by default; this request not at all.
    let error = certificates
        .retrieve("cert_1")
        .include([GetCertificateInclude::Content])
        .request_options(options.clone())
        .send()
        .await
        .expect_err("500, not retried");
    assert!(error.is_server_error(), "{error:?}");
    assert_eq!(server.requests().len(), 1);

    let certificate = certificates
        .retrieve("cert_1")
        .include([GetCertificateInclude::Content])
        .request_options(options)
        .send()
        .await
        .expect("ok");
    assert_eq!(certificate.id, "cert_1");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.method, "GET");
        assert_eq!(request.path(), "/v1/organization/certificates/cert_1");
        assert_eq!(request.query(), "include%5B%5D=content&extra=a%20b%26c");
        assert_eq!(request.header("x-trace-id"), Some("trace-1"));
        assert_eq!(request.header("user-agent"), Some("my-app/1.0"));
        assert_eq!(request.header_count("user-agent"), 1);
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {KEY}").as_str())
        );
        assert_eq!(request.header("accept"), Some("application/json"));
        assert_eq!(request.header("content-type"), None);
        assert!(request.body.is_empty());
    }
}

#[tokio::test]
async fn per_request_timeout_covers_a_stalled_body() {
    let server = FaultServer::start([
        Action::StallBody {
            reply: certificate_reply("cert_1"),
            sent: 10,
            stall: Duration::from_secs(10),
        },
        trap(),
    ])
    .await;
    // The client's own timeout is the default 600 s.
    let started = Instant::now();
    let error = certificates(&server)
        .retrieve("cert_1")
        .request_options(RequestOptions::new().timeout(ms(300)).max_retries(0))
        .send()
        .await
        .expect_err("times out");
    assert_between(started.elapsed(), ms(300), ms(5000), "per-request timeout");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.remaining(), 1);
}

#[tokio::test]
async fn client_level_max_retries_zero_sends_once() {
    let server = FaultServer::start([
        Reply::json(503, r#"{"error":{"message":"overloaded"}}"#).into_action(),
        trap(),
    ])
    .await;
    let client = builder(server.base_url())
        .max_retries(0)
        .build()
        .expect("client");
    let error = client
        .admin()
        .organization()
        .certificates()
        .list()
        .send()
        .await
        .expect_err("503");
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.remaining(), 1);
    assert_eq!(error.to_string(), "503 Service Unavailable: overloaded");
}

// ----- Pagination ----------------------------------------------------------------------------

#[tokio::test]
async fn stream_follows_cursors_through_a_retried_server_error() {
    let server = FaultServer::start([
        page_reply(&["cert_1", "cert_2"], true).into_action(),
        Reply::json(500, r#"{"error":{"message":"blip"}}"#).into_action(),
        page_reply(&["cert_3", "cert_4"], true).into_action(),
        page_reply(&["cert_5"], false).into_action(),
        trap(),
    ])
    .await;
    let items: Vec<_> = certificates(&server)
        .list()
        .limit(2)
        .order(ListOrganizationCertificatesOrder::Asc)
        .into_stream()
        .try_collect()
        .await
        .expect("every item");
    let ids: Vec<&str> = items.iter().map(|item| item.id.as_str()).collect();
    assert_eq!(ids, ["cert_1", "cert_2", "cert_3", "cert_4", "cert_5"]);

    let requests = server.requests();
    let targets: Vec<&str> = requests.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "/v1/organization/certificates?limit=2&order=asc",
            "/v1/organization/certificates?limit=2&after=cert_2&order=asc",
            "/v1/organization/certificates?limit=2&after=cert_2&order=asc",
            "/v1/organization/certificates?limit=2&after=cert_4&order=asc",
        ]
    );
    assert_eq!(server.remaining(), 1, "stops after has_more = false");
    assert_between(
        gaps(&requests)[1],
        ms(375),
        ms(1500),
        "backoff after the 500",
    );
}

#[tokio::test]
async fn pages_by_hand_with_next_page() {
    let server = FaultServer::start([
        page_reply(&["cert_1", "cert_2"], true)
            .header("x-request-id", "req_p1")
            .into_action(),
        page_reply(&["cert_3", "cert_4"], true).into_action(),
        page_reply(&["cert_5"], false).into_action(),
        trap(),
    ])
    .await;
    let response = certificates(&server)
        .list()
        .limit(2)
        .send_with_response()
        .await
        .expect("first page");
    assert_eq!(response.request_id(), Some("req_p1"));
    let mut page = response.into_value();
    let mut ids = Vec::new();
    let mut pages = 1;
    loop {
        ids.extend(page.data.iter().map(|item| item.id.clone()));
        assert_eq!(page.has_next_page(), page.has_more);
        match page.next_page().await.expect("next page") {
            Some(next) => {
                page = next;
                pages += 1;
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(ids, ["cert_1", "cert_2", "cert_3", "cert_4", "cert_5"]);
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/v1/organization/certificates?limit=2",
            "/v1/organization/certificates?limit=2&after=cert_2",
            "/v1/organization/certificates?limit=2&after=cert_4",
        ]
    );
    assert_eq!(server.remaining(), 1, "the last next_page() sends nothing");
}

/// A server that says "more" with an empty page or without a cursor is not followed.
#[tokio::test]
async fn stream_stops_on_an_empty_page_or_a_missing_cursor() {
    let empty = Reply::json(
        200,
        r#"{"object":"list","data":[],"first_id":null,"last_id":"cert_0","has_more":true}"#,
    );
    let no_cursor = Reply::json(
        200,
        json!({"object":"list","data":[listed("cert_1")],"first_id":"cert_1","last_id":null,"has_more":true})
            .to_string(),
    );
    let empty_cursor = Reply::json(
        200,
        json!({"object":"list","data":[listed("cert_1")],"first_id":"cert_1","last_id":"","has_more":true})
            .to_string(),
    );
    for (reply, expected) in [(empty, 0), (no_cursor, 1), (empty_cursor, 1)] {
        let server = FaultServer::start([reply.into_action(), trap()]).await;
        let items: Vec<_> = certificates(&server)
            .list()
            .into_stream()
            .try_collect()
            .await
            .expect("items");
        assert_eq!(items.len(), expected);
        assert_eq!(server.requests().len(), 1);
        assert_eq!(server.remaining(), 1);
    }
}

// ----- Paths ---------------------------------------------------------------------------------

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let id = "a/b c?d#e%é";
    let encoded = "a%2Fb%20c%3Fd%23e%25%C3%A9";
    let server = FaultServer::start([
        certificate_reply(id).into_action(),
        certificate_reply(id).into_action(),
    ])
    .await;
    let certificates = certificates(&server);
    let got = certificates.retrieve(id).send().await.expect("retrieve");
    assert_eq!(got.id, id);
    certificates
        .update(id)
        .name("Renamed")
        .send()
        .await
        .expect("update");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(
        requests[0].target,
        format!("/v1/organization/certificates/{encoded}")
    );
    assert_eq!(requests[1].method, "POST");
    assert_eq!(
        requests[1].target,
        format!("/v1/organization/certificates/{encoded}")
    );
    assert_eq!(requests[1].body, br#"{"name":"Renamed"}"#);
}

#[tokio::test]
async fn empty_dot_and_dot_dot_ids_are_refused_before_sending() {
    let server = FaultServer::start([trap()]).await;
    let certificates = certificates(&server);
    for (id, shown) in [("", "empty"), (".", "`.`"), ("..", "`..`")] {
        let expected = format!("path parameter `certificate_id` must not be {shown}");
        for error in [
            certificates.retrieve(id).send().await.expect_err("refused"),
            certificates
                .update(id)
                .name("x")
                .send()
                .await
                .expect_err("refused"),
        ] {
            let Error::InvalidRequest { message, .. } = &error else {
                panic!("expected an invalid request for {id:?}, got {error:?}");
            };
            assert_eq!(message, &expected);
            assert_eq!(error.to_string(), format!("invalid request: {expected}"));
            assert!(!error.is_retryable());
        }
    }
    assert_eq!(server.requests().len(), 0);
    assert_eq!(server.remaining(), 1);
}

// ----- Secrets and success metadata ----------------------------------------------------------

#[tokio::test]
async fn the_key_never_shows_in_debug_or_errors() {
    let builder_debug = format!("{:?}", builder("http://127.0.0.1:1/v1"));
    let client_for_debug = builder("http://127.0.0.1:1/v1").build().expect("client");
    let client_debug = format!("{client_for_debug:?} {client_for_debug:#?}");

    let refused = builder(&closed_port_base_url().await)
        .max_retries(0)
        .build()
        .expect("client")
        .admin()
        .organization()
        .certificates()
        .retrieve("cert_1")
        .send()
        .await
        .expect_err("refused");
    assert!(refused.is_connection(), "{refused:?}");

    let server = FaultServer::start([Reply::json(
        401,
        r#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#,
    )
    .header("x-request-id", "req_401")
    .into_action()])
    .await;
    let unauthorized = certificates(&server).list().send().await.expect_err("401");
    assert!(unauthorized.is_authentication(), "{unauthorized:?}");
    assert_eq!(
        unauthorized.to_string(),
        "401 Unauthorized: Incorrect API key provided (request id req_401)"
    );
    // The key was really sent, so its absence below means something.
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert!(requests[0].raw_head.contains(KEY));

    let mut shown = vec![builder_debug, client_debug];
    for error in [&refused, &unauthorized] {
        shown.push(error.to_string());
        shown.push(format!("{error:?}"));
        shown.push(format!("{error:#?}"));
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            shown.push(format!("{cause} {cause:?}"));
            source = cause.source();
        }
    }
    for text in &shown {
        assert!(!text.contains(KEY), "the key leaked: {text}");
        assert!(
            !text.contains("fault-test"),
            "part of the key leaked: {text}"
        );
    }
}

#[tokio::test]
async fn send_with_response_exposes_status_headers_and_request_id() {
    let server = FaultServer::start([certificate_reply("cert_9")
        .header("x-request-id", "req_ok")
        .header("openai-processing-ms", "12")
        .into_action()])
    .await;
    let response = certificates(&server)
        .create("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
        .name("My cert")
        .send_with_response()
        .await
        .expect("created");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.request_id(), Some("req_ok"));
    assert_eq!(
        response
            .headers()
            .get("openai-processing-ms")
            .and_then(|value| value.to_str().ok()),
        Some("12")
    );
    assert_eq!(response.value().id, "cert_9");
    assert_eq!(response.into_value().id, "cert_9");

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].target, "/v1/organization/certificates");
    assert_eq!(requests[0].header("content-type"), Some("application/json"));
    assert_eq!(
        serde_json::from_slice::<Value>(&requests[0].body).expect("JSON body"),
        json!({
            "certificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
            "name": "My cert"
        })
    );
}
