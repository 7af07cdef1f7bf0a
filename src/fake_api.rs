//! A stateful, in-process fake of the OpenAI Admin API's organization-certificates endpoints,
//! served over real HTTP on 127.0.0.1 so that clients are tested on the wire, not mocked.
//!
//! # Behaviour
//! All paths are under `/v1`. Every request is recorded (see [`RecordedRequest`]) before it is
//! routed, then:
//! - Without `Authorization: Bearer <admin key>`: 401, code `invalid_api_key`.
//! - `POST /v1/organization/certificates` `{"certificate": PEM, "name"?: string}`: parses the
//!   PEM for `valid_at`/`expires_at` and stores it. At most 50 certificates, like upstream.
//! - `GET /v1/organization/certificates?limit=&after=&order=`: one page, newest first by
//!   default; `limit` 1..=100 (default 20). An unknown `after` id is a 400 with param `after`.
//! - `GET /v1/organization/certificates/{id}`: with `include[]=content` (brackets literal or
//!   percent-encoded, repeatable) the PEM is in `certificate_details.content`.
//! - `POST /v1/organization/certificates/{id}` `{"name"?: string}`: renames.
//! - Anything else: 404.
//!
//! Errors use the OpenAI envelope `{"error": {"message", "type", "param", "code"}}`. Bodies
//! are strict so that client bugs surface: unknown fields and `null` values are 400s.
//! Every response has `content-type: application/json` and `x-request-id: req_<n>` for the
//! n-th request (1-based) the server received. The n-th certificate gets the id `cert_<n>`
//! and `created_at` = 1 700 000 000 + n, so bodies are fully predictable.
//!
//! # Example
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use workbench::fake_api::FakeApi;
//!
//! let api = FakeApi::start("sk-admin-test").await?;
//! let client_base_url = api.base_url(); // "http://127.0.0.1:PORT/v1"
//! // ... point the client at `client_base_url` and call it ...
//! let sent = api.take_requests();
//! api.shutdown().await
//! # }
//! ```

mod error;
mod handler;
mod query;
mod recorded;
mod store;
#[cfg(test)]
mod tests;
mod tls;

use std::fmt;
use std::future::IntoFuture;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use crate::pem::MtlsMaterial;
use handler::Shared;
pub use recorded::RecordedRequest;
pub use store::UploadError;

/// A running fake server. Dropping it stops the server (it finishes open requests first);
/// [`FakeApi::shutdown`] does the same and waits until it has stopped.
pub struct FakeApi {
    addr: SocketAddr,
    /// Served over TLS that requires a client certificate.
    mutual_tls: bool,
    shared: Arc<Shared>,
    /// Dropping this (with the handle) is the stop signal.
    stop: oneshot::Sender<()>,
    server: JoinHandle<io::Result<()>>,
}

impl FakeApi {
    /// Binds `127.0.0.1` on a free port and serves on the current tokio runtime.
    ///
    /// Requests must carry `Authorization: Bearer <admin_key>`.
    ///
    /// # Panics
    /// When called outside a tokio runtime.
    pub async fn start(admin_key: &str) -> io::Result<FakeApi> {
        Self::serve(admin_key, None).await
    }

    /// Like [`FakeApi::start`], over TLS with the server certificate of `material`, accepting
    /// only clients that present a certificate its authority signed (mutual TLS).
    ///
    /// # Errors
    /// When the certificates of `material` do not load, or the port cannot be bound.
    pub async fn start_mutual_tls(admin_key: &str, material: &MtlsMaterial) -> io::Result<FakeApi> {
        Self::serve(admin_key, Some(tls::acceptor(material)?)).await
    }

    async fn serve(admin_key: &str, tls: Option<TlsAcceptor>) -> io::Result<FakeApi> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(admin_key));
        let app = axum::Router::new()
            .fallback(handler::handle)
            .with_state(Arc::clone(&shared));
        // A dropped sender stops the server just like a sent signal.
        let (stop, stopped) = oneshot::channel::<()>();
        let mutual_tls = tls.is_some();
        let server = match tls {
            Some(acceptor) => tokio::spawn(tls::serve(listener, acceptor, app, stopped)),
            None => {
                let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                    let _ = stopped.await;
                });
                tokio::spawn(serve.into_future())
            }
        };
        Ok(FakeApi {
            addr,
            mutual_tls,
            shared,
            stop,
            server,
        })
    }

    /// The API base URL to give a client, like `http://127.0.0.1:PORT/v1` (`https` when
    /// started with mutual TLS).
    pub fn base_url(&self) -> String {
        let scheme = if self.mutual_tls { "https" } else { "http" };
        format!("{scheme}://{}/v1", self.addr)
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// Like [`FakeApi::requests`], and forgets them, so that a test can assert step by step.
    pub fn take_requests(&self) -> Vec<RecordedRequest> {
        std::mem::take(&mut self.shared.lock().requests)
    }

    /// Stores a certificate without an HTTP request, so it does not show up in
    /// [`FakeApi::requests`]. Returns the JSON the upload endpoint would have returned.
    pub fn seed_certificate(
        &self,
        pem: &str,
        name: Option<&str>,
    ) -> Result<serde_json::Value, UploadError> {
        self.shared
            .lock()
            .store
            .upload(pem, name.map(str::to_owned))
    }

    /// Stops accepting connections, lets open requests finish, and waits for the server task.
    ///
    /// # Errors
    /// If the server failed while running.
    pub async fn shutdown(self) -> io::Result<()> {
        let FakeApi { stop, server, .. } = self;
        drop(stop);
        server.await.map_err(io::Error::other)?
    }
}

/// Shows the address only: the admin key is a secret even in a fake.
impl fmt::Debug for FakeApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeApi")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}
