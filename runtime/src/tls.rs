//! TLS, by feature: rustls on aws-lc-rs (`rustls`, the default: post-quantum key exchange
//! preferred), rustls on *ring* (`rustls-ring`), or the platform's (`native-tls`); with
//! several, that order decides. Under rustls, Mozilla's root certificates (`webpki-roots`),
//! under native-tls the system's; plus any the caller adds, and, for mutual TLS, a client
//! certificate. Without any, the client speaks plain HTTP only.
//!
//! The client builds its own TLS configuration rather than leaving it to reqwest, so that a
//! bad certificate, a key that is not the certificate's or an unreadable file is an
//! [`Error::Config`] when the client is built, before any request, naming what was wrong.

use std::path::PathBuf;

use super::error::Error;

/// PEM text, given as bytes or read from a file when the client is built.
#[derive(Clone)]
pub(crate) enum Pem {
    Bytes(Vec<u8>),
    File(PathBuf),
}

impl Pem {
    // A build without TLS reads no certificate: it refuses them.
    #[cfg_attr(
        not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")),
        allow(dead_code)
    )]
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
    /// Whether root certificates of the caller's are set.
    pub(crate) fn has_roots(&self) -> bool {
        !self.roots.is_empty()
    }

    /// Whether a client certificate is set (the client then prefers the API's mTLS endpoint).
    pub(crate) fn has_identity(&self) -> bool {
        self.identity.is_some()
    }

    /// `builder` set up with the TLS stack the features choose, every certificate and key
    /// checked.
    pub(crate) fn configure(
        &self,
        builder: reqwest::ClientBuilder,
    ) -> Result<reqwest::ClientBuilder, Error> {
        #[cfg(any(feature = "rustls", feature = "rustls-ring"))]
        return Ok(builder.tls_backend_preconfigured(self.rustls_config()?));
        #[cfg(all(
            feature = "native-tls",
            not(any(feature = "rustls", feature = "rustls-ring"))
        ))]
        return self.native(builder);
        #[cfg(not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")))]
        {
            if self.identity.is_some() || !self.roots.is_empty() {
                return Err(Error::config(NO_TLS));
            }
            Ok(builder)
        }
    }

    /// Why the HTTP client could not be built, with the causes' own words: under native-tls,
    /// a client key that does not go with its certificate is found only then.
    pub(crate) fn build_error(&self, error: &reqwest::Error) -> Error {
        let mut reason = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            reason = format!("{reason}: {cause}");
            source = cause.source();
        }
        match &self.identity {
            #[cfg(all(
                feature = "native-tls",
                not(any(feature = "rustls", feature = "rustls-ring"))
            ))]
            Some(_) => Error::config(format!(
                "the client key does not go with the client certificate, or TLS cannot be set up: {reason}"
            )),
            _ => Error::config(format!("could not create the HTTP client: {reason}")),
        }
    }

    /// The rustls configuration.
    #[cfg(any(feature = "rustls", feature = "rustls-ring"))]
    fn rustls_config(&self) -> Result<rustls::ClientConfig, Error> {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::PrivateKeyDer;

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
        let builder = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(provider()))
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

    /// The platform's TLS: its root certificates and the caller's, and a client certificate
    /// with a PKCS #8 key.
    #[cfg(all(
        feature = "native-tls",
        not(any(feature = "rustls", feature = "rustls-ring"))
    ))]
    fn native(&self, builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
        let mut builder = builder.tls_backend_native();
        for root in &self.roots {
            let (pem, what) = root.read("root certificate")?;
            let roots = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|error| Error::config(format!("the {what} is not valid PEM: {error}")))?;
            if roots.is_empty() {
                return Err(Error::config(format!(
                    "the {what} holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
                )));
            }
            for root in roots {
                builder = builder.add_root_certificate(root);
            }
        }
        let Some((certificate, key)) = &self.identity else {
            return Ok(builder);
        };
        let (certificate, certificate_what) = certificate.read("client certificate")?;
        let (key, key_what) = key.read("client key")?;
        // native-tls takes PKCS #8 keys only: another PEM label is named as such.
        if !key.windows(PKCS8.len()).any(|window| window == PKCS8) {
            return Err(Error::config(format!(
                "the {key_what} is not a PEM private key in PKCS #8 (`-----BEGIN PRIVATE KEY-----`), which native-tls needs"
            )));
        }
        let identity = reqwest::Identity::from_pkcs8_pem(&certificate, &key).map_err(|error| {
            Error::config(format!(
                "the {key_what} does not go with the {certificate_what}: {error}"
            ))
        })?;
        Ok(builder.identity(identity))
    }
}

/// What starts a PEM private key in PKCS #8.
#[cfg(all(
    feature = "native-tls",
    not(any(feature = "rustls", feature = "rustls-ring"))
))]
const PKCS8: &[u8] = b"-----BEGIN PRIVATE KEY-----";

/// Why a client without a TLS feature cannot do what was asked.
#[cfg(not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")))]
pub(crate) const NO_TLS: &str =
    "this build has no TLS: enable one of the features `rustls`, `rustls-ring` or `native-tls`";

/// The rustls crypto provider the features choose.
#[cfg(feature = "rustls")]
fn provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::aws_lc_rs::default_provider()
}

/// The rustls crypto provider the features choose.
#[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
fn provider() -> rustls::crypto::CryptoProvider {
    // rustls 0.23.48 deprecates *ring*'s provider for lacking post-quantum key exchange; it is
    // what `rustls-ring` asks for (no aws-lc C build).
    #[allow(deprecated)]
    rustls::crypto::ring::default_provider()
}

/// Every certificate of a PEM text; none at all is an error.
#[cfg(any(feature = "rustls", feature = "rustls-ring"))]
fn certificates(
    pem: &[u8],
    what: &str,
) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>, Error> {
    use rustls::pki_types::pem::PemObject;
    let certificates = rustls::pki_types::CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| Error::config(format!("the {what} is not valid PEM: {error}")))?;
    if certificates.is_empty() {
        return Err(Error::config(format!(
            "the {what} holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
        )));
    }
    Ok(certificates)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each TLS feature builds a client with a root certificate of the caller's; a build
    /// without one refuses it, naming the features.
    #[test]
    fn the_features_choose_the_stack_and_a_build_without_one_refuses_certificates() {
        let settings = TlsSettings {
            identity: None,
            roots: vec![Pem::Bytes(b"not PEM".to_vec())],
        };
        let refused = settings
            .configure(reqwest::Client::builder())
            .err()
            .map(|error| error.to_string());
        #[cfg(not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")))]
        assert_eq!(
            refused.as_deref(),
            Some(format!("invalid client configuration: {NO_TLS}").as_str())
        );
        #[cfg(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls"))]
        assert_eq!(
            refused.as_deref(),
            Some("invalid client configuration: the root certificate holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        );
        let plain = TlsSettings::default().configure(reqwest::Client::builder());
        assert!(plain.is_ok_and(|builder| builder.build().is_ok()));
    }
}
