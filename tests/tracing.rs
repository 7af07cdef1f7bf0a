//! What a `tracing` subscriber sees of a request: a span with the method, the path template and
//! the operation, an event per attempt (status, request id, elapsed time), the retry's delay
//! and reason; never the key, and the bodies only when the client was built to log them.

// Shared with runtime_faults.rs, which uses all of it.
#[allow(dead_code)]
#[path = "support/fault_server.rs"]
mod fault_server;

use std::io::Write;
use std::sync::{Arc, Mutex};

use fault_server::{Action, FaultServer, Reply};
use openai_admin_certificates::Client;
use tracing_subscriber::util::SubscriberInitExt;

const KEY: &str = "sk-admin-tracing-4d1e77";

/// Everything the subscriber writes, one line per event.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn lines(&self) -> Vec<String> {
        let bytes = self.0.lock().expect("not poisoned").clone();
        String::from_utf8(bytes)
            .expect("UTF-8 logs")
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

/// Retrieves `cert_abc` through a server that answers 503 once, then the certificate, with
/// every event down to `trace` captured.
async fn retrieve_once_retried(log_bodies: bool) -> Vec<String> {
    let certificate = r#"{"object":"certificate","id":"cert_abc","name":"Mine","created_at":1700000001,"certificate_details":{}}"#;
    let server = FaultServer::start([
        Action::Respond(
            Reply::json(503, r#"{"error":{"message":"busy"}}"#)
                .header("x-request-id", "req_1")
                .header("retry-after-ms", "10"),
        ),
        Action::Respond(Reply::json(200, certificate).header("x-request-id", "req_2")),
    ])
    .await;
    let captured = Captured::default();
    let writer = captured.clone();
    let _subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
        .with_ansi(false)
        .without_time()
        .with_writer(move || writer.clone())
        .finish()
        .set_default();

    let client = Client::builder()
        .admin_api_key(KEY)
        .base_url(server.base_url())
        .log_bodies(log_bodies)
        .build()
        .expect("build the client");
    let certificate = client
        .admin()
        .organization()
        .certificates()
        .retrieve("cert_abc")
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(certificate.id, "cert_abc");
    let paths: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.path().to_owned())
        .collect();
    assert_eq!(paths, ["/v1/organization/certificates/cert_abc"; 2]);
    captured.lines()
}

/// The line's text after the span prefix, with the elapsed time (which varies) blanked.
fn normalized(line: &str) -> String {
    let mut words: Vec<String> = line.split(' ').map(str::to_owned).collect();
    for word in &mut words {
        if word.starts_with("elapsed_ms=") {
            *word = "elapsed_ms=_".to_owned();
        }
    }
    words.join(" ")
}

#[tokio::test]
async fn each_attempt_and_retry_is_an_event_of_the_requests_span_without_the_key() {
    let lines = retrieve_once_retried(false).await;
    let span = "request{method=GET path=\"/organization/certificates/{certificate_id}\" operation=\"getCertificate\"}:";
    // The HTTP stack's own events (connections, pool) are in the span too; these are the
    // runtime's.
    let normalized: Vec<String> = lines
        .iter()
        .filter(|line| line.contains(" sdkgen_runtime::transport: "))
        .map(|line| normalized(line))
        .collect();
    assert_eq!(
        normalized,
        [
            format!("TRACE {span} sdkgen_runtime::transport: sending attempt=1"),
            format!("DEBUG {span} sdkgen_runtime::transport: response attempt=1 status=503 request_id=\"req_1\" elapsed_ms=_"),
            format!("DEBUG {span} sdkgen_runtime::transport: retrying attempt=1 reason=\"status 503\" delay_ms=10"),
            format!("TRACE {span} sdkgen_runtime::transport: sending attempt=2"),
            format!("DEBUG {span} sdkgen_runtime::transport: response attempt=2 status=200 request_id=\"req_2\" elapsed_ms=_"),
        ]
    );
    let all = lines.join("\n");
    assert!(!all.contains(KEY), "the key is never logged:\n{all}");
    assert!(
        !all.contains("Mine"),
        "bodies are not logged unless asked:\n{all}"
    );
}

#[tokio::test]
async fn bodies_are_logged_at_trace_level_when_asked_and_the_key_still_is_not() {
    let lines = retrieve_once_retried(true).await;
    let bodies: Vec<&String> = lines
        .iter()
        .filter(|line| line.contains(" body "))
        .collect();
    assert_eq!(bodies.len(), 1, "{lines:#?}");
    assert!(
        bodies[0].contains(
            r#"response body body={"object":"certificate","id":"cert_abc","name":"Mine""#
        ),
        "{}",
        bodies[0]
    );
    let all = lines.join("\n");
    assert!(!all.contains(KEY), "the key is never logged:\n{all}");
}
