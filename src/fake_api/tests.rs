//! End-to-end tests of the fake over real sockets, with a minimal HTTP/1.1 client.

use std::io::ErrorKind;
use std::time::Duration;

use serde_json::{json, Value};
use time::OffsetDateTime;
use tokio::net::TcpStream;

use super::{FakeApi, RecordedRequest, UploadError};
use crate::pem::{self, PemError};

const KEY: &str = "sk-admin-test";
const VALID_AT: i64 = 1_704_067_200; // 2024-01-01
const EXPIRES_AT: i64 = 1_893_456_000; // 2030-01-01

/// A response as the tests see it: status, headers (lowercase names) and the JSON body.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request on a fresh connection (`Connection: close`) and reads the whole reply.
/// `target` is the path and query, `authorization` the full header value if any.
async fn send(
    api: &FakeApi,
    method: &str,
    target: &str,
    authorization: Option<&str>,
    body: Option<&str>,
) -> Reply {
    let mut request = format!("{method} {target} HTTP/1.1\r\nHost: {}\r\n", api.addr);
    if let Some(value) = authorization {
        request.push_str(&format!("Authorization: {value}\r\n"));
    }
    if let Some(body) = body {
        request.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("Connection: close\r\n\r\n");
    request.push_str(body.unwrap_or_default());

    let stream = TcpStream::connect(api.addr).await.expect("connect");
    write_all(&stream, request.as_bytes()).await;
    let raw = read_to_end(&stream).await;

    let raw = String::from_utf8(raw).expect("UTF-8 reply");
    let (head, body) = raw.split_once("\r\n\r\n").expect("end of headers");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("status line");
    let headers = lines
        .filter_map(|line| line.split_once(": "))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.to_owned()))
        .collect();
    let body = serde_json::from_str(body).expect("JSON body");
    Reply {
        status,
        headers,
        body,
    }
}

// Readiness loops instead of `AsyncWriteExt`/`AsyncReadExt`: those need tokio's `io-util`
// feature, which the library itself has no use for.
async fn write_all(stream: &TcpStream, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        stream.writable().await.expect("wait until writable");
        match stream.try_write(bytes) {
            Ok(written) => bytes = &bytes[written..],
            Err(error) if error.kind() == ErrorKind::WouldBlock => {}
            Err(error) => panic!("write the request: {error}"),
        }
    }
}

/// Reads until the server closes the connection; panics after 10 s so a bug cannot hang CI.
async fn read_to_end(stream: &TcpStream) -> Vec<u8> {
    tokio::time::timeout(Duration::from_secs(10), read_until_closed(stream))
        .await
        .expect("the fake answers and closes within 10 s")
}

async fn read_until_closed(stream: &TcpStream) -> Vec<u8> {
    let mut raw = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        stream.readable().await.expect("wait until readable");
        match stream.try_read(&mut buffer) {
            Ok(0) => return raw,
            Ok(read) => raw.extend_from_slice(&buffer[..read]),
            Err(error) if error.kind() == ErrorKind::WouldBlock => {}
            Err(error) => panic!("read the reply: {error}"),
        }
    }
}

async fn get(api: &FakeApi, target: &str) -> Reply {
    send(api, "GET", target, Some(&format!("Bearer {KEY}")), None).await
}

async fn post(api: &FakeApi, target: &str, body: &str) -> Reply {
    send(
        api,
        "POST",
        target,
        Some(&format!("Bearer {KEY}")),
        Some(body),
    )
    .await
}

fn certificate_pem() -> String {
    let at = |secs| OffsetDateTime::from_unix_timestamp(secs).expect("valid time");
    pem::self_signed_certificate("fake.example", at(VALID_AT), at(EXPIRES_AT))
}

fn error(message: &str, param: Option<&str>, code: Option<&str>) -> Value {
    json!({"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}})
}

fn certificate(n: u32, name: Option<&str>) -> Value {
    json!({
        "object": "certificate",
        "id": format!("cert_{n}"),
        "name": name,
        "created_at": 1_700_000_000 + i64::from(n),
        "certificate_details": {"valid_at": VALID_AT, "expires_at": EXPIRES_AT},
    })
}

fn list_item(n: u32) -> Value {
    json!({
        "object": "organization.certificate",
        "id": format!("cert_{n}"),
        "name": null,
        "active": false,
        "created_at": 1_700_000_000 + i64::from(n),
        "certificate_details": {"valid_at": VALID_AT, "expires_at": EXPIRES_AT},
    })
}

async fn api_with(certificates: usize) -> FakeApi {
    let api = FakeApi::start(KEY).await.expect("start the fake");
    let pem = certificate_pem();
    for _ in 0..certificates {
        api.seed_certificate(&pem, None).expect("seed");
    }
    api
}

#[tokio::test]
async fn rejects_missing_or_wrong_keys_with_401() {
    let api = api_with(1).await;
    let missing = error(
        "You didn't provide an API key. You need to provide your API key in an Authorization \
         header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        None,
        Some("invalid_api_key"),
    );
    let wrong = error("Incorrect API key provided.", None, Some("invalid_api_key"));

    let cases = [
        (None, &missing),
        (Some("Bearer sk-admin-other"), &wrong),
        (Some("Basic c2stYWRtaW4tdGVzdA=="), &wrong),
        (Some(KEY), &wrong),
    ];
    for (n, (authorization, expected)) in cases.into_iter().enumerate() {
        let reply = send(
            &api,
            "GET",
            "/v1/organization/certificates/cert_1",
            authorization,
            None,
        )
        .await;
        assert_eq!(
            (reply.status, &reply.body),
            (401, expected),
            "{authorization:?}"
        );
        assert_eq!(reply.header("content-type"), Some("application/json"));
        assert_eq!(
            reply.header("x-request-id"),
            Some(format!("req_{}", n + 1).as_str())
        );
    }
    // Auth comes before routing, so unknown paths are 401 too.
    let reply = send(&api, "GET", "/v1/nowhere", None, None).await;
    assert_eq!((reply.status, reply.body), (401, missing));
    // The scheme is case-insensitive, as RFC 9110 says.
    let reply = send(
        &api,
        "GET",
        "/v1/organization/certificates/cert_1",
        Some(&format!("bearer {KEY}")),
        None,
    )
    .await;
    assert_eq!(reply.status, 200);
}

#[tokio::test]
async fn uploads_then_gets_with_and_without_content() {
    let api = api_with(0).await;
    let pem = certificate_pem();
    let upload = json!({"certificate": pem, "name": "Primary"}).to_string();

    let reply = post(&api, "/v1/organization/certificates", &upload).await;
    assert_eq!(
        (reply.status, &reply.body),
        (200, &certificate(1, Some("Primary")))
    );
    let reply = post(
        &api,
        "/v1/organization/certificates",
        &json!({"certificate": pem}).to_string(),
    )
    .await;
    assert_eq!((reply.status, &reply.body), (200, &certificate(2, None)));

    let reply = get(&api, "/v1/organization/certificates/cert_1").await;
    assert_eq!(
        (reply.status, &reply.body),
        (200, &certificate(1, Some("Primary")))
    );

    let mut with_content = certificate(1, Some("Primary"));
    with_content["certificate_details"]["content"] = json!(pem);
    for query in [
        "include[]=content",
        "include%5B%5D=content&include%5b%5d=content",
    ] {
        let reply = get(
            &api,
            &format!("/v1/organization/certificates/cert_1?{query}"),
        )
        .await;
        assert_eq!((reply.status, &reply.body), (200, &with_content), "{query}");
    }
    // Without brackets the key is not `include[]`, so it is ignored like upstream would.
    let reply = get(&api, "/v1/organization/certificates/cert_1?include=content").await;
    assert_eq!(
        (reply.status, &reply.body),
        (200, &certificate(1, Some("Primary")))
    );

    let reply = get(
        &api,
        "/v1/organization/certificates/cert_1?include[]=content&include[]=key",
    )
    .await;
    assert_eq!(
        (reply.status, reply.body),
        (
            400,
            error(
                "Invalid 'include[]': 'key'. Supported values are: 'content'.",
                Some("include"),
                None
            )
        )
    );

    let requests = api.requests();
    assert_eq!(requests.len(), 7);
    let first = &requests[0];
    assert_eq!(
        (
            first.method.as_str(),
            first.path.as_str(),
            first.query.as_deref()
        ),
        ("POST", "/v1/organization/certificates", None)
    );
    assert_eq!(first.header("authorization"), Some("Bearer sk-admin-test"));
    assert_eq!(first.header("Content-Type"), Some("application/json"));
    assert_eq!(first.body, upload.as_bytes());
    assert_eq!(
        first.json(),
        Some(json!({"certificate": pem, "name": "Primary"}))
    );
    // The query is kept raw, exactly as sent.
    assert_eq!(
        requests[4].query.as_deref(),
        Some("include%5B%5D=content&include%5b%5d=content")
    );
    assert_eq!(requests[4].body, b"");
}

#[tokio::test]
async fn pages_with_after_in_both_orders() {
    let api = api_with(3).await;
    let page = |items: &[u32], has_more: bool| {
        json!({
            "object": "list",
            "data": items.iter().map(|&n| list_item(n)).collect::<Vec<_>>(),
            "first_id": items.first().map(|n| format!("cert_{n}")),
            "last_id": items.last().map(|n| format!("cert_{n}")),
            "has_more": has_more,
        })
    };
    let cases = [
        ("", page(&[3, 2, 1], false)),
        ("?limit=2", page(&[3, 2], true)),
        ("?limit=2&after=cert_2", page(&[1], false)),
        ("?order=desc&after=cert_1", page(&[], false)),
        ("?order=asc&limit=1", page(&[1], true)),
        ("?order=asc&limit=1&after=cert_1", page(&[2], true)),
        ("?order=asc&limit=100&after=cert_2", page(&[3], false)),
        ("?limit=5&limit=1", page(&[3], true)),
    ];
    for (query, expected) in cases {
        let reply = get(&api, &format!("/v1/organization/certificates{query}")).await;
        assert_eq!((reply.status, reply.body), (200, expected), "{query}");
    }

    let reply = get(&api, "/v1/organization/certificates?after=cert_9").await;
    assert_eq!(
        (reply.status, reply.body),
        (
            400,
            error(
                "Invalid 'after': no certificate has the id 'cert_9'.",
                Some("after"),
                None
            )
        )
    );

    let empty = api_with(0).await;
    let reply = get(&empty, "/v1/organization/certificates").await;
    assert_eq!((reply.status, reply.body), (200, page(&[], false)));
}

#[tokio::test]
async fn rejects_bad_list_parameters_with_400() {
    let api = api_with(1).await;
    for limit in ["0", "101", "-1", "abc", "", "1.5"] {
        let reply = get(
            &api,
            &format!("/v1/organization/certificates?limit={limit}"),
        )
        .await;
        let message =
            format!("Invalid 'limit': expected an integer between 1 and 100, got '{limit}'.");
        assert_eq!(
            (reply.status, reply.body),
            (400, error(&message, Some("limit"), None))
        );
    }
    let reply = get(&api, "/v1/organization/certificates?order=ASC").await;
    assert_eq!(
        (reply.status, reply.body),
        (
            400,
            error(
                "Invalid 'order': expected 'asc' or 'desc', got 'ASC'.",
                Some("order"),
                None
            )
        )
    );
}

#[tokio::test]
async fn rejects_bad_upload_bodies_with_400() {
    let api = api_with(0).await;
    let path = "/v1/organization/certificates";
    let cases = [
        (
            json!({"certificate": "hello"}).to_string(),
            error(
                "Invalid certificate: no PEM block found (expected -----BEGIN CERTIFICATE-----).",
                Some("certificate"),
                None,
            ),
        ),
        (
            json!({"name": "n"}).to_string(),
            error(
                "Missing required parameter: 'certificate'.",
                Some("certificate"),
                None,
            ),
        ),
        (
            json!({"certificate": 7}).to_string(),
            error(
                "Invalid type for 'certificate': expected a string, but got a number.",
                Some("certificate"),
                None,
            ),
        ),
        (
            json!({"certificate": certificate_pem(), "name": null}).to_string(),
            error(
                "Invalid type for 'name': expected a string, but got null.",
                Some("name"),
                None,
            ),
        ),
        (
            json!({"certificate": certificate_pem(), "extra": 1}).to_string(),
            error(
                "Unrecognized request argument supplied: extra",
                Some("extra"),
                None,
            ),
        ),
        (
            "[]".to_owned(),
            error(
                "Invalid body: expected a JSON object, but got an array.",
                None,
                None,
            ),
        ),
        (
            "{not json".to_owned(),
            error(
                "We could not parse the JSON body of your request. The API expects a JSON payload.",
                None,
                None,
            ),
        ),
    ];
    for (body, expected) in cases {
        let reply = post(&api, path, &body).await;
        assert_eq!((reply.status, reply.body), (400, expected), "{body}");
    }
    // Nothing was stored.
    let reply = get(&api, path).await;
    assert_eq!(reply.body["data"], json!([]));
}

#[tokio::test]
async fn refuses_the_51st_certificate() {
    let api = api_with(50).await;
    let body = json!({"certificate": certificate_pem()}).to_string();
    let reply = post(&api, "/v1/organization/certificates", &body).await;
    assert_eq!(
        (reply.status, reply.body),
        (
            400,
            error(
                "Organizations can upload up to 50 certificates.",
                None,
                None
            )
        )
    );
    assert_eq!(
        api.seed_certificate(&certificate_pem(), None),
        Err(UploadError::LimitReached)
    );
}

#[tokio::test]
async fn renames_and_keeps_the_name_when_none_is_given() {
    let api = api_with(1).await;
    let reply = post(
        &api,
        "/v1/organization/certificates/cert_1",
        r#"{"name":"Renamed"}"#,
    )
    .await;
    assert_eq!(
        (reply.status, &reply.body),
        (200, &certificate(1, Some("Renamed")))
    );
    let reply = post(&api, "/v1/organization/certificates/cert_1", "{}").await;
    assert_eq!(
        (reply.status, &reply.body),
        (200, &certificate(1, Some("Renamed")))
    );
    let reply = get(&api, "/v1/organization/certificates").await;
    assert_eq!(reply.body["data"][0]["name"], json!("Renamed"));
}

#[tokio::test]
async fn answers_404_for_unknown_certificates_and_routes() {
    let api = api_with(1).await;
    let missing = error("No certificate found with id 'cert_9'.", None, None);
    let reply = get(&api, "/v1/organization/certificates/cert_9").await;
    assert_eq!((reply.status, &reply.body), (404, &missing));
    let reply = post(
        &api,
        "/v1/organization/certificates/cert_9",
        r#"{"name":"x"}"#,
    )
    .await;
    assert_eq!((reply.status, &reply.body), (404, &missing));
    // Path ids are percent-decoded before the lookup.
    let reply = get(&api, "/v1/organization/certificates/cert%5F1").await;
    assert_eq!(reply.status, 200);

    let auth = format!("Bearer {KEY}");
    for (method, target) in [
        ("GET", "/v1/organization/certificates/"),
        ("GET", "/v1/organization/certificates/cert_1/extra"),
        ("DELETE", "/v1/organization/certificates/cert_1"),
        ("PUT", "/v1/organization/certificates"),
        ("GET", "/v1/organization/certificatesX"),
        ("GET", "/organization/certificates"),
        ("GET", "/"),
    ] {
        let reply = send(&api, method, target, Some(&auth), None).await;
        let expected = error(&format!("Invalid URL ({method} {target})"), None, None);
        assert_eq!(
            (reply.status, reply.body),
            (404, expected),
            "{method} {target}"
        );
        assert_eq!(
            reply
                .headers
                .iter()
                .filter(|(n, _)| n == "x-request-id")
                .count(),
            1
        );
    }
}

#[tokio::test]
async fn take_requests_empties_the_log_and_shutdown_stops_serving() {
    let api = api_with(0).await;
    let addr = api.addr;
    get(&api, "/v1/organization/certificates?limit=1").await;

    let taken: Vec<RecordedRequest> = api.take_requests();
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].query.as_deref(), Some("limit=1"));
    assert_eq!(taken[0].header("connection"), Some("close"));
    assert!(api.requests().is_empty());

    assert!(format!("{api:?}").contains(&api.base_url()));
    assert!(!format!("{api:?}").contains(KEY));
    assert_eq!(api.base_url(), format!("http://{addr}/v1"));
    api.shutdown().await.expect("clean shutdown");
    assert!(TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn seeding_rejects_invalid_certificates_and_records_nothing() {
    let api = api_with(0).await;
    assert_eq!(
        api.seed_certificate("nope", Some("n")),
        Err(UploadError::InvalidCertificate(PemError::MissingBlock))
    );
    let seeded = api.seed_certificate(&certificate_pem(), Some("n"));
    assert_eq!(seeded, Ok(certificate(1, Some("n"))));
    assert!(api.requests().is_empty());
}

#[tokio::test]
async fn answers_413_for_declared_bodies_over_one_mebibyte() {
    // Only the head is sent: the fake must answer without waiting for the body.
    let api = api_with(0).await;
    let head = format!(
        "POST /v1/organization/certificates HTTP/1.1\r\nHost: {}\r\n\
         Authorization: Bearer {KEY}\r\nContent-Length: 2000000\r\nConnection: close\r\n\r\n",
        api.addr
    );
    let stream = TcpStream::connect(api.addr).await.expect("connect");
    write_all(&stream, head.as_bytes()).await;
    let raw = String::from_utf8(read_to_end(&stream).await).expect("UTF-8 reply");

    assert!(raw.starts_with("HTTP/1.1 413 "), "{raw}");
    let body = raw.split_once("\r\n\r\n").map(|(_, body)| body);
    let expected = error(
        "The request body could not be read: it is larger than 1048576 bytes.",
        None,
        None,
    );
    assert_eq!(
        body.and_then(|b| serde_json::from_str(b).ok()),
        Some(expected)
    );
    let recorded = api.take_requests();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].body, b"");
}
