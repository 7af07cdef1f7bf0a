//! The SDK end to end: upload a certificate, list, retrieve it with its PEM, rename it.
//!
//! ```text
//! cargo run --example quickstart                 # against the embedded fake on 127.0.0.1
//! OPENAI_ADMIN_KEY=sk-admin-... cargo run --example quickstart -- --real
//! ```
//!
//! With `--real` it talks to the API at `OPENAI_BASE_URL` (default `https://api.openai.com/v1`)
//! and really uploads a fresh self-signed certificate to your organization (not activated).

use std::process::ExitCode;

use futures::TryStreamExt;
use openai_admin_certificates::types::{GetCertificateInclude, ListOrganizationCertificatesOrder};
use openai_admin_certificates::{Client, Error};
use time::{Duration, OffsetDateTime};
use workbench::fake_api::FakeApi;
use workbench::pem::self_signed_certificate;

#[tokio::main]
async fn main() -> ExitCode {
    let real = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--real") => true,
        Some(other) => {
            eprintln!("unknown argument `{other}`; usage: quickstart [--real]");
            return ExitCode::from(2);
        }
    };
    match run(real).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(real: bool) -> Result<(), Box<dyn std::error::Error>> {
    // Keep the fake alive for the whole run; with --real there is none.
    let (client, _fake) = if real {
        (Client::from_env()?, None)
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
