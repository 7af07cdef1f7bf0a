//! Webhooks on the wire: requests signed as Standard Webhooks says, posted over HTTP to a
//! receiver on 127.0.0.1 written as an application writes one (axum, the body as bytes and
//! the headers as they came), which verifies and decodes each with the generated crate and
//! answers with what it decoded or why it refused.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use corpus_webhooks::webhooks::{WebhookEvent, Webhooks};
use corpus_webhooks::Client;
use serde_json::json;

/// The Standard Webhooks specification's example secret, and another.
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER_SECRET: &str = "whsec_c2VjcmV0LW9mLWFub3RoZXItZW5kcG9pbnQ=";

/// What the receiver answers: 200 and the event it decoded, or 400 and why it refused.
async fn receive(
    State(webhooks): State<Webhooks>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    match webhooks.unwrap(&body, &headers) {
        Ok(WebhookEvent::BatchCompleted(event)) => (
            StatusCode::OK,
            format!("batch {} completed at {}", event.data.id, event.created_at),
        ),
        Ok(WebhookEvent::BatchFailed(event)) => (
            StatusCode::OK,
            format!("batch {} failed: {:?}", event.data.id, event.data.reason),
        ),
        Ok(WebhookEvent::FileUploaded(event)) => (
            StatusCode::OK,
            format!("file {} of {} bytes", event.data.id, event.data.bytes),
        ),
        Ok(WebhookEvent::Unknown(value)) => (StatusCode::OK, format!("unknown {value}")),
        Ok(other) => (StatusCode::OK, format!("{other:?}")),
        Err(error) => (StatusCode::BAD_REQUEST, error.to_string()),
    }
}

/// A receiver verifying with the client's secret; its URL.
async fn receiver() -> String {
    let client = Client::builder()
        .webhook_secret(SECRET)
        .build()
        .expect("a client");
    let app = Router::new()
        .route("/webhooks", post(receive))
        .with_state(client.webhooks());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let url = format!("http://{}/webhooks", listener.local_addr().expect("bound"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

fn now() -> i64 {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    i64::try_from(seconds).expect("in range")
}

/// Posts `body` with the Standard Webhooks headers over a connection of its own (HTTP/1.1,
/// as a sender writes it); the receiver's status and answer.
async fn send(url: &str, id: &str, timestamp: i64, signature: &str, body: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = url
        .strip_prefix("http://")
        .and_then(|rest| rest.split_once('/'))
        .map(|(address, _)| address)
        .expect("an http URL");
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connect");
    let request = format!(
        "POST /webhooks HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\n\
         webhook-id: {id}\r\nwebhook-timestamp: {timestamp}\r\nwebhook-signature: {signature}\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("an answer");
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let (_, answer) = response.split_once("\r\n\r\n").expect("a head and a body");
    (status, answer.to_owned())
}

/// Posts `body` signed with `secret` at `timestamp`, as the API would.
async fn signed(url: &str, secret: &str, timestamp: i64, body: &str) -> (u16, String) {
    let signature = Webhooks::new(secret)
        .sign("msg_1", timestamp, body.as_bytes())
        .expect("a valid secret");
    send(url, "msg_1", timestamp, &signature, body).await
}

#[tokio::test]
async fn each_event_is_verified_and_decoded_as_its_variant() {
    let url = receiver().await;
    let completed = json!({
        "id": "evt_1", "type": "batch.completed", "created_at": 1_731_705_121,
        "data": {"id": "batch_1"}
    })
    .to_string();
    assert_eq!(
        signed(&url, SECRET, now(), &completed).await,
        (200, "batch batch_1 completed at 1731705121".to_owned())
    );
    let failed =
        json!({"id": "evt_2", "type": "batch.failed", "data": {"id": "batch_2", "reason": "expired"}})
            .to_string();
    assert_eq!(
        signed(&url, SECRET, now(), &failed).await,
        (200, "batch batch_2 failed: Some(\"expired\")".to_owned())
    );
    // The inline payload's type, and a member the description does not list, kept aside.
    let uploaded = json!({
        "id": "evt_3", "type": "file.uploaded", "data": {"id": "file_1", "bytes": 2048},
        "livemode": true
    })
    .to_string();
    assert_eq!(
        signed(&url, SECRET, now(), &uploaded).await,
        (200, "file file_1 of 2048 bytes".to_owned())
    );
    // An event this version does not know is kept whole.
    let unknown = r#"{"id":"evt_4","type":"batch.expired","data":{"id":"batch_3"}}"#;
    assert_eq!(
        signed(&url, SECRET, now(), unknown).await,
        (
            200,
            format!("unknown {}", serde_json::from_str::<serde_json::Value>(unknown).expect("JSON"))
        )
    );
    // The secret without its prefix signs alike.
    let bare = SECRET.trim_start_matches("whsec_");
    assert_eq!(signed(&url, bare, now(), &completed).await.0, 200);
}

#[tokio::test]
async fn forged_replayed_and_malformed_requests_are_refused() {
    let url = receiver().await;
    let body = r#"{"id":"evt_1","type":"batch.completed","created_at":1,"data":{"id":"batch_1"}}"#;
    let refused = (400, "no webhook signature matches the body and the secret".to_owned());
    // Signed with another endpoint's secret.
    assert_eq!(signed(&url, OTHER_SECRET, now(), body).await, refused);
    // Signed, then changed on the way.
    let signature = Webhooks::new(SECRET)
        .sign("msg_1", now(), body.as_bytes())
        .expect("signed");
    let tampered = body.replace("batch_1", "batch_9");
    assert_eq!(send(&url, "msg_1", now(), &signature, &tampered).await, refused);
    // The description's tolerance is 600 seconds, either way.
    let stale = now() - 700;
    assert_eq!(
        signed(&url, SECRET, stale, body).await,
        (400, format!("the webhook timestamp {stale} is too old (outside the tolerance)"))
    );
    let future = now() + 700;
    assert_eq!(
        signed(&url, SECRET, future, body).await,
        (
            400,
            format!("the webhook timestamp {future} is in the future (outside the tolerance)")
        )
    );
    assert_eq!(signed(&url, SECRET, now() - 500, body).await.0, 200);
    // Verified, but not JSON; and an event whose payload does not match its type.
    let (status, answer) = signed(&url, SECRET, now(), "not json").await;
    assert_eq!(status, 400);
    assert!(answer.starts_with("the webhook body is not a known event"), "{answer}");
    let (status, answer) =
        signed(&url, SECRET, now(), r#"{"type":"batch.failed","id":"evt_9"}"#).await;
    assert_eq!(status, 400);
    assert!(answer.starts_with("the webhook body is not a known event"), "{answer}");
}

#[tokio::test]
async fn a_header_with_several_signatures_passes_when_one_matches() {
    let url = receiver().await;
    let body = r#"{"id":"evt_1","type":"batch.failed","data":{"id":"batch_1"}}"#;
    let timestamp = now();
    let sign = |secret: &str| {
        Webhooks::new(secret)
            .sign("msg_1", timestamp, body.as_bytes())
            .expect("signed")
    };
    // While a secret is rotated, the API signs with the old and the new.
    let rotated = format!("{} {}", sign(OTHER_SECRET), sign(SECRET));
    assert_eq!(
        send(&url, "msg_1", timestamp, &rotated, body).await,
        (200, "batch batch_1 failed: None".to_owned())
    );
    let neither = format!("{} v1,bm9wZQ==", sign(OTHER_SECRET));
    assert_eq!(send(&url, "msg_1", timestamp, &neither, body).await.0, 400);
}

#[test]
fn a_webhooks_only_description_decodes_its_one_event() {
    use corpus_webhooks_only::webhooks::{WebhookEvent, Webhooks};
    let body = br#"{"id": 7, "name": "Rex"}"#;
    let webhooks = Webhooks::new(SECRET);
    let signature = webhooks.sign("msg_1", now(), body).expect("signed");
    let headers = [
        ("webhook-id", "msg_1".to_owned()),
        ("webhook-timestamp", now().to_string()),
        ("webhook-signature", signature),
    ];
    let event = webhooks.unwrap(body, &headers).expect("verified and decoded");
    let WebhookEvent::NewPet(pet) = event else {
        panic!("a new pet: {event:?}")
    };
    assert_eq!((pet.id, pet.name.as_str(), pet.tag), (7, "Rex", None));
}
