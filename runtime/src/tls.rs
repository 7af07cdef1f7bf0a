//! TLS: rustls on the *ring* provider, Mozilla's root certificates (`webpki-roots`) plus any
//! the caller adds, and, for mutual TLS, a client certificate.
//!
//! The client builds its own rustls configuration rather than leaving it to reqwest, so that a
//! bad certificate, a key that is not the certificate's or an unreadable file is an
//! [`Error::Config`] when the client is built, before any request, naming what was wrong.

use std::path::PathBuf;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::error::Error;

/// PEM text, given as bytes or read from a file when the client is built.
#[derive(Clone)]
pub(crate) enum Pem {
    Bytes(Vec<u8>),
    File(PathBuf),
}

impl Pem {
    fn read(&self, what: &str) -> Result<(Vec<u8>, String), Error> {
        match self {
            Pem::Bytes(bytes) => Ok((bytes.clone(), what.to_owned())),
            Pem::File(path) => {
                let described = format!("{what} ({})", path.display());
                std::fs::read(path)
                    .map(|bytes| (bytes, described.clone()))
                    .map_err(|error| {
                        Error::config(format!("could not read the {described}: {error}"))
                    })
            }
        }
    }
}

/// How the client authenticates servers and itself.
#[derive(Clone, Default)]
pub(crate) struct TlsSettings {
    /// A client certificate (chain) and its private key, for mutual TLS.
    pub(crate) identity: Option<(Pem, Pem)>,
    /// Root certificates trusted besides Mozilla's.
    pub(crate) roots: Vec<Pem>,
}

impl TlsSettings {
    /// Whether a client certificate is set (the client then prefers the API's mTLS endpoint).
    pub(crate) fn has_identity(&self) -> bool {
        self.identity.is_some()
    }

    /// The rustls configuration, every certificate and key checked.
    pub(crate) fn client_config(&self) -> Result<rustls::ClientConfig, Error> {
        let mut roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        for root in &self.roots {
            let (pem, what) = root.read("root certificate")?;
            for certificate in certificates(&pem, &what)? {
                roots.add(certificate).map_err(|error| {
                    Error::config(format!("the {what} cannot be trusted: {error}"))
                })?;
            }
        }
        // rustls 0.23.48 deprecates *ring*'s provider for lacking post-quantum key exchange;
        // it stays the choice because the provider that has it (aws-lc-rs) needs a C build.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|error| Error::config(format!("TLS cannot be set up: {error}")))?
            .with_root_certificates(roots);
        let Some((certificate, key)) = &self.identity else {
            return Ok(builder.with_no_client_auth());
        };
        let (certificate, certificate_what) = certificate.read("client certificate")?;
        let chain = certificates(&certificate, &certificate_what)?;
        let (key, key_what) = key.read("client key")?;
        let key = PrivateKeyDer::from_pem_slice(&key).map_err(|error| {
            Error::config(format!(
                "the {key_what} is not a PEM private key (PKCS #8, PKCS #1 or SEC1): {error}"
            ))
        })?;
        builder.with_client_auth_cert(chain, key).map_err(|error| {
            Error::config(format!(
                "the {key_what} does not go with the {certificate_what}: {error}"
            ))
        })
    }
}

/// Every certificate of a PEM text; none at all is an error.
fn certificates(pem: &[u8], what: &str) -> Result<Vec<CertificateDer<'static>>, Error> {
    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| Error::config(format!("the {what} is not valid PEM: {error}")))?;
    if certificates.is_empty() {
        return Err(Error::config(format!(
            "the {what} holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
        )));
    }
    Ok(certificates)
}
