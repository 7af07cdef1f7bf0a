//! The four certificate operations through the generated client, against the fake API on
//! 127.0.0.1: each test asserts the exact request on the wire and the decoded result.

use futures::TryStreamExt;
use openai_admin_certificates::resources::AdminOrganizationCertificates;
use openai_admin_certificates::types::{
    CertificateObject, GetCertificateInclude, ListCertificatesResponseObject,
    ListOrganizationCertificatesOrder, OrganizationCertificateObject,
};
use openai_admin_certificates::{Client, Error};
use time::macros::datetime;
use workbench::fake_api::{FakeApi, RecordedRequest};
use workbench::pem::self_signed_certificate;

const KEY: &str = "sk-admin-test-key";
const USER_AGENT: &str = concat!("openai-admin-certificates/", "0.1.0");
/// `created_at` of the n-th certificate the fake stores is this plus n.
const EPOCH: i64 = 1_700_000_000;

struct Harness {
    api: FakeApi,
    certificates: AdminOrganizationCertificates,
}

async fn start() -> Harness {
    let api = FakeApi::start(KEY).await.expect("start the fake API");
    let client = Client::builder()
        .admin_api_key(KEY)
        .base_url(api.base_url())
        .max_retries(0)
        .build()
        .expect("build the client");
    let certificates = client.admin().organization().certificates();
    Harness { api, certificates }
}

/// A real certificate valid through 2025 and 2026.
fn pem(common_name: &str) -> String {
    self_signed_certificate(
        common_name,
        datetime!(2025-01-01 00:00 UTC),
        datetime!(2027-01-01 00:00 UTC),
    )
}
const VALID_AT: i64 = 1_735_689_600;
const EXPIRES_AT: i64 = 1_798_761_600;

fn only_request(api: &FakeApi) -> RecordedRequest {
    let mut requests = api.take_requests();
    assert_eq!(requests.len(), 1, "exactly one request: {requests:#?}");
    requests.remove(0)
}

/// The headers every request carries; JSON content type only with a body.
fn assert_common_headers(request: &RecordedRequest, has_body: bool) {
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.header("user-agent"), Some(USER_AGENT));
    if has_body {
        assert_eq!(request.header("content-type"), Some("application/json"));
    } else {
        assert_eq!(request.header("content-type"), None);
        assert!(request.body.is_empty(), "no body: {:?}", request.body);
    }
}

#[tokio::test]
async fn create_uploads_the_pem_and_name_and_decodes_the_certificate() {
    let Harness { api, certificates } = start().await;
    let pem = pem("upload.example");

    let certificate = certificates
        .create(pem.as_str())
        .name("My Example Certificate")
        .send()
        .await
        .expect("upload succeeds");

    let request = only_request(&api);
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/organization/certificates");
    assert_eq!(request.query, None);
    assert_common_headers(&request, true);
    let expected_body = format!(
        r#"{{"certificate":{},"name":"My Example Certificate"}}"#,
        serde_json::to_string(&pem).expect("encode the PEM")
    );
    assert_eq!(String::from_utf8_lossy(&request.body), expected_body);

    assert_eq!(certificate.object, CertificateObject::Certificate);
    assert_eq!(certificate.id, "cert_1");
    assert_eq!(certificate.name.as_deref(), Some("My Example Certificate"));
    assert_eq!(certificate.created_at, EPOCH + 1);
    assert_eq!(certificate.certificate_details.valid_at, Some(VALID_AT));
    assert_eq!(certificate.certificate_details.expires_at, Some(EXPIRES_AT));
    assert_eq!(certificate.certificate_details.content, None);
    assert_eq!(certificate.active, None);
    assert!(certificate.extra().is_empty());
}

#[tokio::test]
async fn create_without_a_name_omits_it_and_decodes_a_null_name() {
    let Harness { api, certificates } = start().await;
    let pem = pem("unnamed.example");

    let certificate = certificates
        .create(pem.clone())
        .send()
        .await
        .expect("upload succeeds");

    let request = only_request(&api);
    assert_eq!(
        request.json(),
        Some(serde_json::json!({ "certificate": pem }))
    );
    assert_eq!(certificate.name, None);
    assert_eq!(certificate.id, "cert_1");
}

#[tokio::test]
async fn list_sends_its_options_and_decodes_a_page() {
    let Harness { api, certificates } = start().await;
    for name in ["one", "two", "three"] {
        api.seed_certificate(&pem(name), Some(name)).expect("seed");
    }

    let page = certificates
        .list()
        .limit(2)
        .order(ListOrganizationCertificatesOrder::Asc)
        .after("cert_1")
        .send()
        .await
        .expect("list succeeds");

    let request = only_request(&api);
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/v1/organization/certificates");
    assert_eq!(
        request.query.as_deref(),
        Some("limit=2&after=cert_1&order=asc")
    );
    assert_common_headers(&request, false);

    assert_eq!(page.object, ListCertificatesResponseObject::List);
    let ids: Vec<&str> = page.data.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["cert_2", "cert_3"]);
    assert_eq!(page.first_id.as_deref(), Some("cert_2"));
    assert_eq!(page.last_id.as_deref(), Some("cert_3"));
    assert!(!page.has_more);
    assert!(!page.has_next_page());
    let second = &page.data[0];
    assert_eq!(
        second.object,
        OrganizationCertificateObject::OrganizationCertificate
    );
    assert_eq!(second.name.as_deref(), Some("two"));
    assert!(!second.active);
    assert_eq!(second.created_at, EPOCH + 2);
    assert_eq!(second.certificate_details.valid_at, Some(VALID_AT));
    assert_eq!(second.certificate_details.expires_at, Some(EXPIRES_AT));
}

#[tokio::test]
async fn list_without_options_sends_no_query() {
    let Harness { api, certificates } = start().await;
    let page = certificates.list().send().await.expect("list succeeds");
    let request = only_request(&api);
    assert_eq!(request.query, None);
    assert!(page.data.is_empty());
    assert_eq!(
        (page.first_id.as_deref(), page.last_id.as_deref()),
        (None, None)
    );
}

#[tokio::test]
async fn into_stream_follows_last_id_until_has_more_is_false() {
    let Harness { api, certificates } = start().await;
    for n in 1..=5 {
        api.seed_certificate(&pem(&format!("c{n}")), None)
            .expect("seed");
    }

    let all: Vec<_> = certificates
        .list()
        .limit(2)
        .order("asc")
        .into_stream()
        .try_collect()
        .await
        .expect("every page succeeds");

    let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["cert_1", "cert_2", "cert_3", "cert_4", "cert_5"]);
    let queries: Vec<Option<String>> = api.take_requests().into_iter().map(|r| r.query).collect();
    assert_eq!(
        queries,
        [
            Some("limit=2&order=asc".to_owned()),
            Some("limit=2&after=cert_2&order=asc".to_owned()),
            Some("limit=2&after=cert_4&order=asc".to_owned()),
        ]
    );
}

#[tokio::test]
async fn retrieve_with_include_content_returns_the_pem() {
    let Harness { api, certificates } = start().await;
    let pem = pem("retrieve.example");
    api.seed_certificate(&pem, Some("Stored")).expect("seed");

    let certificate = certificates
        .retrieve("cert_1")
        .include([GetCertificateInclude::Content])
        .send()
        .await
        .expect("retrieve succeeds");

    let request = only_request(&api);
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/v1/organization/certificates/cert_1");
    assert_eq!(request.query.as_deref(), Some("include%5B%5D=content"));
    assert_common_headers(&request, false);
    assert_eq!(certificate.id, "cert_1");
    assert_eq!(certificate.object, CertificateObject::Certificate);
    assert_eq!(certificate.name.as_deref(), Some("Stored"));
    assert_eq!(
        certificate.certificate_details.content.as_deref(),
        Some(pem.as_str())
    );
    assert_eq!(certificate.certificate_details.valid_at, Some(VALID_AT));

    let without = certificates
        .retrieve("cert_1")
        .send()
        .await
        .expect("retrieve succeeds");
    assert_eq!(only_request(&api).query, None);
    assert_eq!(without.certificate_details.content, None);
}

#[tokio::test]
async fn update_sends_the_new_name_and_decodes_the_renamed_certificate() {
    let Harness { api, certificates } = start().await;
    api.seed_certificate(&pem("rename.example"), Some("Old"))
        .expect("seed");

    let certificate = certificates
        .update("cert_1")
        .name("Renamed Certificate")
        .send()
        .await
        .expect("update succeeds");

    let request = only_request(&api);
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/organization/certificates/cert_1");
    assert_eq!(request.query, None);
    assert_common_headers(&request, true);
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        r#"{"name":"Renamed Certificate"}"#
    );
    assert_eq!(certificate.name.as_deref(), Some("Renamed Certificate"));
    assert_eq!(certificate.id, "cert_1");
    assert_eq!(certificate.created_at, EPOCH + 1);
}

#[tokio::test]
async fn api_errors_carry_status_request_id_and_the_servers_message() {
    let Harness { api, certificates } = start().await;

    let missing = certificates
        .retrieve("cert_missing")
        .send()
        .await
        .expect_err("404");
    assert!(missing.is_not_found(), "{missing:?}");
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(missing.request_id(), Some("req_1"));
    let envelope = missing
        .api_error()
        .and_then(|e| e.error())
        .expect("an error envelope");
    assert_eq!(
        envelope.error_type.as_deref(),
        Some("invalid_request_error")
    );
    // The operation's error type, from the description's error responses.
    let typed: openai_admin_certificates::types::ErrorResponse = missing
        .api_error()
        .expect("an API error")
        .decode()
        .expect("the body is an ErrorResponse");
    assert_eq!(typed.error.r#type, "invalid_request_error");
    assert_eq!(
        Some(typed.error.message.as_str()),
        envelope.message.as_deref()
    );
    assert!(
        missing.to_string().starts_with("404 Not Found: "),
        "{missing}"
    );

    let bad_pem = certificates
        .create("not a certificate")
        .send()
        .await
        .expect_err("400");
    assert!(bad_pem.is_bad_request(), "{bad_pem:?}");
    let envelope = bad_pem
        .api_error()
        .and_then(|e| e.error())
        .expect("an error envelope");
    assert_eq!(envelope.param.as_deref(), Some("certificate"));

    // No client-side validation: the server is the judge of `limit`.
    let zero = certificates.list().limit(0).send().await.expect_err("400");
    assert!(zero.is_bad_request(), "{zero:?}");
    let sent = api.take_requests();
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[2].query.as_deref(), Some("limit=0"));
}

#[tokio::test]
async fn a_wrong_key_is_a_401_and_the_key_is_not_shown() {
    let api = FakeApi::start(KEY).await.expect("start the fake API");
    let client = Client::builder()
        .admin_api_key("sk-admin-wrong")
        .base_url(api.base_url())
        .build()
        .expect("build the client");
    let error: Error = client
        .admin()
        .organization()
        .certificates()
        .list()
        .send()
        .await
        .expect_err("401");
    assert!(error.is_authentication(), "{error:?}");
    assert!(!error.is_retryable());
    assert_eq!(api.requests().len(), 1, "a 401 is not retried");
    for shown in [
        format!("{error}"),
        format!("{error:?}"),
        format!("{client:?}"),
    ] {
        assert!(!shown.contains("sk-admin-wrong"), "the key leaked: {shown}");
    }
}
