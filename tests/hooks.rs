//! Hooks and the application's own HTTP client, on the wire (issue 29): a scripted server on
//! 127.0.0.1 (`support/fault_server.rs`) records each request as it arrived, through the
//! generated crate's public API only.

/// The runtime tests' scripted server, of which these tests use part.
#[path = "support/fault_server.rs"]
#[allow(dead_code)]
mod fault_server;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fault_server::{FaultServer, Reply};
use openai_admin_certificates::{reqwest, Client, Error, Hook, HookFuture, RequestOptions};
use serde_json::json;

const KEY: &str = "sk-admin-hooks";

fn certificate_reply() -> fault_server::Action {
    let body = json!({
        "object": "certificate",
        "id": "cert_1",
        "name": "Certificate cert_1",
        "created_at": 1_700_000_001,
        "certificate_details": {"valid_at": 1_700_000_000, "expires_at": 1_800_000_000}
    });
    Reply::json(200, body.to_string()).into_action()
}

/// Signs each attempt: a header over its method and path, and a query pair.
struct Sign {
    secret: &'static str,
}

impl Hook for Sign {
    fn on_request<'a>(&'a self, request: &'a mut reqwest::Request) -> HookFuture<'a> {
        Box::pin(async move {
            let signed = format!(
                "{}:{}:{}",
                request.method(),
                request.url().path(),
                self.secret
            );
            request.headers_mut().insert("x-signature", signed.parse()?);
            request
                .url_mut()
                .query_pairs_mut()
                .append_pair("signed", "1");
            Ok(())
        })
    }
}

/// Records each attempt's status and how long its head took, and what ran in which order.
#[derive(Clone, Default)]
struct Timings {
    started: Arc<Mutex<Option<Instant>>>,
    seen: Arc<Mutex<Vec<(u16, Duration)>>>,
}

impl Hook for Timings {
    fn on_request<'a>(&'a self, _: &'a mut reqwest::Request) -> HookFuture<'a> {
        Box::pin(async move {
            *self.started.lock().expect("not poisoned") = Some(Instant::now());
            Ok(())
        })
    }

    fn on_response<'a>(&'a self, response: &'a mut reqwest::Response) -> HookFuture<'a> {
        Box::pin(async move {
            let started = self.started.lock().expect("not poisoned").take();
            let elapsed = started.map_or(Duration::ZERO, |started| started.elapsed());
            let status = response.status().as_u16();
            self.seen
                .lock()
                .expect("not poisoned")
                .push((status, elapsed));
            Ok(())
        })
    }
}

/// Refuses every call: a quota of the application's own.
struct Refuse;

impl Hook for Refuse {
    fn on_request<'a>(&'a self, _: &'a mut reqwest::Request) -> HookFuture<'a> {
        Box::pin(async { Err("the application's quota is spent".into()) })
    }
}

/// Notes its name in `order` on each step, to show the order hooks run in.
struct Note {
    name: &'static str,
    order: Arc<Mutex<Vec<String>>>,
}

impl Hook for Note {
    fn on_request<'a>(&'a self, _: &'a mut reqwest::Request) -> HookFuture<'a> {
        Box::pin(async move {
            let note = format!("{} request", self.name);
            self.order.lock().expect("not poisoned").push(note);
            Ok(())
        })
    }

    fn on_response<'a>(&'a self, response: &'a mut reqwest::Response) -> HookFuture<'a> {
        Box::pin(async move {
            let note = format!("{} response {}", self.name, response.status().as_u16());
            self.order.lock().expect("not poisoned").push(note);
            Ok(())
        })
    }
}

#[tokio::test]
async fn a_signing_hook_signs_every_attempt_and_a_timing_hook_sees_every_response() {
    let server = FaultServer::start([
        Reply::json(503, r#"{"error":{"message":"busy"}}"#)
            .header("retry-after-ms", "10")
            .into_action(),
        certificate_reply(),
    ])
    .await;
    let timings = Timings::default();
    let client = Client::builder()
        .admin_api_key(KEY)
        .base_url(server.base_url())
        .hook(Sign { secret: "s3" })
        .hook(timings.clone())
        .build()
        .expect("a client");
    let certificate = client
        .admin()
        .organization()
        .certificates()
        .retrieve("cert_1")
        .send()
        .await
        .expect("retrieved after a retry");
    assert_eq!(certificate.id, "cert_1");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        // Each attempt is signed, the credential already in place.
        assert_eq!(
            request.target,
            "/v1/organization/certificates/cert_1?signed=1"
        );
        assert_eq!(
            request.header("x-signature"),
            Some("GET:/v1/organization/certificates/cert_1:s3")
        );
        assert_eq!(
            request.header("authorization"),
            Some("Bearer sk-admin-hooks")
        );
    }
    let seen = timings.seen.lock().expect("not poisoned").clone();
    let statuses: Vec<u16> = seen.iter().map(|(status, _)| *status).collect();
    assert_eq!(statuses, [503, 200]);
    assert!(seen.iter().all(|(_, elapsed)| *elapsed > Duration::ZERO));
}

#[tokio::test]
async fn a_refusing_hook_ends_the_call_before_anything_is_sent() {
    let server = FaultServer::start([certificate_reply()]).await;
    let client = Client::builder()
        .admin_api_key(KEY)
        .base_url(server.base_url())
        .build()
        .expect("a client");
    let refused = client
        .admin()
        .organization()
        .certificates()
        .retrieve("cert_1")
        .request_options(RequestOptions::new().hook(Refuse))
        .send()
        .await
        .expect_err("refused");
    assert!(matches!(refused, Error::Hook { .. }), "{refused:?}");
    assert_eq!(
        refused.to_string(),
        "refused by a hook: the application's quota is spent"
    );
    assert!(!refused.is_retryable());
    assert_eq!(server.requests().len(), 0, "nothing was sent");
    // The client itself still calls.
    let certificate = client
        .admin()
        .organization()
        .certificates()
        .retrieve("cert_1")
        .send()
        .await
        .expect("retrieved");
    assert_eq!(certificate.id, "cert_1");
}

#[tokio::test]
async fn the_clients_hooks_run_before_the_requests_in_the_order_added() {
    let server = FaultServer::start([certificate_reply()]).await;
    let order = Arc::new(Mutex::new(Vec::new()));
    let note = |name| Note {
        name,
        order: order.clone(),
    };
    let client = Client::builder()
        .admin_api_key(KEY)
        .base_url(server.base_url())
        .hook(note("first"))
        .hook(note("second"))
        .build()
        .expect("a client");
    client
        .admin()
        .organization()
        .certificates()
        .retrieve("cert_1")
        .request_options(RequestOptions::new().hook(note("request")))
        .send()
        .await
        .expect("retrieved");
    assert_eq!(
        *order.lock().expect("not poisoned"),
        [
            "first request",
            "second request",
            "request request",
            "first response 200",
            "second response 200",
            "request response 200",
        ]
    );
}

#[tokio::test]
async fn the_applications_own_http_client_is_used_as_it_was_built() {
    let server = FaultServer::start([certificate_reply()]).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-proxy-tag", "edge-7".parse().expect("a header value"));
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("a reqwest client");
    let client = Client::builder()
        .admin_api_key(KEY)
        .base_url(server.base_url())
        .http_client(http.clone())
        .build()
        .expect("a client");
    client
        .admin()
        .organization()
        .certificates()
        .retrieve("cert_1")
        .send()
        .await
        .expect("retrieved");
    let requests = server.requests();
    assert_eq!(requests[0].header("x-proxy-tag"), Some("edge-7"));
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer sk-admin-hooks")
    );

    // Certificates belong on that client, not on this builder.
    let refused = Client::builder()
        .admin_api_key(KEY)
        .http_client(http)
        .root_certificate("-----BEGIN CERTIFICATE-----")
        .build()
        .map(|_| ())
        .expect_err("certificates and an own client");
    assert_eq!(
        refused.to_string(),
        "invalid client configuration: certificates cannot be added to an HTTP client of the application's: configure them on that client"
    );
}
