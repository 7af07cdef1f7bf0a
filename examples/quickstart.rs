//! The SDK end to end: upload a certificate, list, retrieve it with its PEM, rename it.
//!
//! ```text
//! cargo run --example quickstart                 # against the embedded fake on 127.0.0.1
//! cargo run --example quickstart -- --mtls       # the same over mutual TLS (a client certificate)
//! OPENAI_ADMIN_KEY=sk-admin-... cargo run --example quickstart -- --real
//! ```
//!
//! With `--real` it talks to the API at `OPENAI_BASE_URL` (default `https://api.openai.com/v1`)
//! and really uploads a fresh self-signed certificate to your organization (not activated).
//! `--real --mtls` presents the client certificate whose PEM files `OPENAI_CLIENT_CERT_FILE`
//! and `OPENAI_CLIENT_KEY_FILE` name, at OpenAI's mutual-TLS endpoint
//! (`https://mtls.api.openai.com/v1`, unless `OPENAI_BASE_URL` says otherwise).
//!
//! `RUST_LOG`-style filtering is left to the application; this example prints the client's
//! request events at `debug` level when `QUICKSTART_TRACE=1`.

use std::process::ExitCode;

use futures::TryStreamExt;
use openai_admin_certificates::types::{GetCertificateInclude, ListOrganizationCertificatesOrder};
use openai_admin_certificates::{Client, Error};
use time::{Duration, OffsetDateTime};
use workbench::fake_api::FakeApi;
use workbench::pem::{self_signed_certificate, MtlsMaterial};

#[tokio::main]
async fn main() -> ExitCode {
    let (mut real, mut mtls) = (false, false);
    for argument in std::env::args().skip(1) {
        match argument.as_str() {
            "--real" => real = true,
            "--mtls" => mtls = true,
            other => {
                eprintln!("unknown argument `{other}`; usage: quickstart [--real] [--mtls]");
                return ExitCode::from(2);
            }
        }
    }
    if std::env::var_os("QUICKSTART_TRACE").is_some_and(|value| value == "1") {
        tracing_subscriber::fmt()
            .with_max_level(tracing_subscriber::filter::LevelFilter::DEBUG)
            .init();
    }
    match run(real, mtls).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(real: bool, mtls: bool) -> Result<(), Box<dyn std::error::Error>> {
    // Keep the fake alive for the whole run; with --real there is none.
    let (client, _fake) = if real {
        // `from_env` reads the certificate and key files when both variables are set.
        let has_certificate =
            std::env::var_os("OPENAI_CLIENT_CERT_FILE").is_some_and(|path| !path.is_empty());
        if mtls && !has_certificate {
            return Err(
                "--real --mtls needs OPENAI_CLIENT_CERT_FILE and OPENAI_CLIENT_KEY_FILE".into(),
            );
        }
        (Client::from_env()?, None)
    } else if mtls {
        // A certificate authority, the fake's server certificate and a client certificate,
        // made now; the fake refuses any client without the latter.
        let key = "sk-admin-quickstart";
        let material = MtlsMaterial::generate();
        let fake = FakeApi::start_mutual_tls(key, &material).await?;
        println!("fake API listening at {} (mutual TLS)", fake.base_url());
        let client = Client::builder()
            .admin_api_key(key)
            .base_url(fake.base_url())
            .root_certificate(&material.ca)
            .identity(&material.client_certificate, &material.client_key)
            .build()?;
        (client, Some(fake))
    } else {
        let key = "sk-admin-quickstart";
        let fake = FakeApi::start(key).await?;
        println!("fake API listening at {}", fake.base_url());
        let client = Client::builder()
            .admin_api_key(key)
            .base_url(fake.base_url())
            .build()?;
        (client, Some(fake))
    };
    println!("client: {client:?}\n");
    let certificates = client.admin().organization().certificates();

    let now = OffsetDateTime::now_utc();
    let pem = self_signed_certificate("quickstart.example", now, now + Duration::days(365));
    let created = certificates
        .create(pem)
        .name("My Example Certificate")
        .send()
        .await?;
    show("create", &created)?;

    let page = certificates
        .list()
        .limit(10)
        .order(ListOrganizationCertificatesOrder::Desc)
        .send()
        .await?;
    show("list (first page)", &*page)?;
    let every: Vec<_> = certificates
        .list()
        .limit(100)
        .into_stream()
        .try_collect()
        .await?;
    println!("== list (every page): {} certificate(s)\n", every.len());

    let retrieved = certificates
        .retrieve(created.id.as_str())
        .include([GetCertificateInclude::Content])
        .send_with_response()
        .await?;
    println!(
        "request id of retrieve: {}",
        retrieved.request_id().unwrap_or("(none)")
    );
    show("retrieve (with PEM content)", retrieved.value())?;

    let renamed = certificates
        .update(created.id.as_str())
        .name("Renamed Certificate")
        .send()
        .await?;
    show("update", &renamed)?;

    match certificates.retrieve("cert_does_not_exist").send().await {
        Err(error @ Error::Api(_)) if error.is_not_found() => {
            println!("== a missing id is a typed error:\n{error}")
        }
        Err(error) => return Err(error.into()),
        Ok(found) => println!("== unexpectedly found {}", found.id),
    }
    Ok(())
}

fn show(step: &str, value: &impl serde::Serialize) -> Result<(), serde_json::Error> {
    println!("== {step}\n{}\n", serde_json::to_string_pretty(value)?);
    Ok(())
}
