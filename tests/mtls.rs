//! Mutual TLS on the wire: the fake API served over TLS that requires a client certificate
//! (a certificate authority, the server's and the client's certificates made here), called
//! with the client's certificate, without it, and with a key that is not its own.

use openai_admin_certificates::{Client, Error};
use workbench::fake_api::FakeApi;
use workbench::pem::MtlsMaterial;

const KEY: &str = "sk-admin-mtls";

/// Fresh certificates, and the fake served with them.
async fn start() -> (MtlsMaterial, FakeApi) {
    let material = MtlsMaterial::generate();
    let api = FakeApi::start_mutual_tls(KEY, &material)
        .await
        .expect("start the fake over mutual TLS");
    (material, api)
}

fn builder(api: &FakeApi, material: &MtlsMaterial) -> openai_admin_certificates::ClientBuilder {
    Client::builder()
        .admin_api_key(KEY)
        .base_url(api.base_url())
        .root_certificate(&material.ca)
        .max_retries(0)
}

#[tokio::test]
async fn a_call_with_the_client_certificate_goes_through() {
    let (material, api) = start().await;
    assert!(api.base_url().starts_with("https://127.0.0.1:"));
    let client = builder(&api, &material)
        .identity(&material.client_certificate, &material.client_key)
        .build()
        .expect("the certificate and its key load");

    let page = client
        .admin()
        .organization()
        .certificates()
        .list()
        .limit(5)
        .send()
        .await
        .expect("the listing succeeds over mutual TLS");
    assert_eq!(page.data, vec![]);
    assert!(!page.has_more);

    let requests = api.take_requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, "/v1/organization/certificates");
    assert_eq!(requests[0].query.as_deref(), Some("limit=5"));
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer sk-admin-mtls")
    );
}

#[tokio::test]
async fn a_call_without_a_client_certificate_fails_to_connect() {
    let (material, api) = start().await;
    let client = builder(&api, &material).build().expect("build the client");

    let error = client
        .admin()
        .organization()
        .certificates()
        .list()
        .send()
        .await
        .expect_err("the server refuses a client without a certificate");
    assert!(error.is_connection(), "{error:?}");
    let message = error.to_string();
    assert!(message.starts_with("connection error: "), "{message}");
    assert!(
        message.to_lowercase().contains("certificate"),
        "the reason names the missing certificate: {message}"
    );
    assert_eq!(api.take_requests(), vec![], "nothing reached the API");
}

#[tokio::test]
async fn a_key_that_is_not_the_certificates_is_a_config_error_before_any_request() {
    let (material, api) = start().await;
    let other = MtlsMaterial::generate();

    let mismatched = builder(&api, &material)
        .identity(&material.client_certificate, &other.client_key)
        .build()
        .expect_err("the key does not go with the certificate");
    assert!(matches!(mismatched, Error::Config { .. }), "{mismatched:?}");
    assert!(
        mismatched.to_string().starts_with(
            "invalid client configuration: the client key does not go with the client certificate"
        ),
        "{mismatched}"
    );

    let garbage = builder(&api, &material)
        .identity(&material.client_certificate, "not a key")
        .build()
        .expect_err("the key is not PEM");
    assert!(
        garbage
            .to_string()
            .starts_with("invalid client configuration: the client key is not a PEM private key"),
        "{garbage}"
    );

    let missing = builder(&api, &material)
        .identity_from_files("/nonexistent/client.pem", "/nonexistent/client.key")
        .build()
        .expect_err("the files do not exist");
    assert!(
        missing.to_string().starts_with(
            "invalid client configuration: could not read the client certificate (/nonexistent/client.pem): "
        ),
        "{missing}"
    );
    assert_eq!(api.take_requests(), vec![], "nothing was sent");
}

#[tokio::test]
async fn the_identity_can_come_from_files() {
    let (material, api) = start().await;
    let dir = std::env::temp_dir().join(format!("workbench-mtls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create a scratch directory");
    let (certificate, key) = (dir.join("client.pem"), dir.join("client.key"));
    std::fs::write(&certificate, &material.client_certificate).expect("write the certificate");
    std::fs::write(&key, &material.client_key).expect("write the key");

    let client = builder(&api, &material)
        .identity_from_files(&certificate, &key)
        .build()
        .expect("the files load");
    let page = client
        .admin()
        .organization()
        .certificates()
        .list()
        .send()
        .await
        .expect("the listing succeeds");
    assert_eq!(page.data, vec![]);
    let requests = api.take_requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        ("GET", "/v1/organization/certificates")
    );
    std::fs::remove_dir_all(&dir).expect("clean up");
}
