//! Serving the fake over TLS that requires a client certificate: mutual TLS as OpenAI's mTLS
//! endpoint does it, with certificates a test makes ([`crate::pem::MtlsMaterial`]).

use std::io;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{self, RootCertStore};
use tokio_rustls::TlsAcceptor;

use crate::pem::MtlsMaterial;

/// A TLS acceptor with the server certificate of `material` that accepts only clients whose
/// certificate its authority signed.
pub(super) fn acceptor(material: &MtlsMaterial) -> io::Result<TlsAcceptor> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    for certificate in CertificateDer::pem_slice_iter(material.ca.as_bytes()) {
        roots
            .add(certificate.map_err(io::Error::other)?)
            .map_err(io::Error::other)?;
    }
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(io::Error::other)?;
    let chain = CertificateDer::pem_slice_iter(material.server_certificate.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(io::Error::other)?;
    let key =
        PrivateKeyDer::from_pem_slice(material.server_key.as_bytes()).map_err(io::Error::other)?;
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .map_err(io::Error::other)?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// Accepts connections until `stopped`, serving each over TLS with `app`; a client that fails
/// the handshake (no certificate, or one the authority did not sign) is dropped unserved.
pub(super) async fn serve(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    app: axum::Router,
    stopped: oneshot::Receiver<()>,
) -> io::Result<()> {
    tokio::pin!(stopped);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => accepted?,
            _ = &mut stopped => return Ok(()),
        };
        let acceptor = acceptor.clone();
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let Ok(stream) = acceptor.accept(stream).await else {
                return;
            };
            // A connection the client drops midway ends here; the fake has nothing to report.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}
