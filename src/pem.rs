//! Real PEM certificates: making them for tests, and reading their validity for the fake.
//!
//! The fake API fills `certificate_details.valid_at`/`expires_at` from the uploaded PEM the way
//! the real service does, so tests must upload genuine X.509 certificates. This module makes
//! them with `rcgen` and reads them back with `x509-parser`.

use std::fmt;

use time::OffsetDateTime;
use x509_parser::pem::Pem;

/// The validity window of a certificate, in unix seconds, as the API reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Validity {
    /// `notBefore`: when the certificate becomes valid.
    pub valid_at: i64,
    /// `notAfter`: when the certificate expires.
    pub expires_at: i64,
}

/// Why a text is not a usable PEM certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PemError {
    /// The text holds no `-----BEGIN ...-----` line.
    MissingBlock,
    /// A block starts but is broken: bad header, no `-----END` line, or invalid base64.
    Malformed(String),
    /// The first block is not a `CERTIFICATE` (for example a `PRIVATE KEY`); holds its label.
    NotACertificate(String),
    /// The block decodes, but its DER content is not an X.509 certificate.
    InvalidX509(String),
}

impl fmt::Display for PemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingBlock => {
                f.write_str("no PEM block found (expected -----BEGIN CERTIFICATE-----)")
            }
            Self::Malformed(reason) => write!(f, "malformed PEM block: {reason}"),
            Self::NotACertificate(label) => {
                write!(f, "PEM block is a {label:?}, expected \"CERTIFICATE\"")
            }
            Self::InvalidX509(reason) => {
                write!(f, "PEM block is not an X.509 certificate: {reason}")
            }
        }
    }
}

impl std::error::Error for PemError {}

/// Makes a self-signed PEM certificate (ECDSA P-256) whose subject is `CN=<common_name>`.
///
/// X.509 stores whole seconds, so the validity read back by [`parse_validity`] is
/// `not_before.unix_timestamp()` / `not_after.unix_timestamp()`.
///
/// # Panics
/// If key generation or signing fails (only when the system random source fails): this is a
/// test helper, and a test cannot go on without its certificate.
pub fn self_signed_certificate(
    common_name: &str,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
) -> String {
    let mut params = rcgen::CertificateParams::default();
    params.not_before = not_before;
    params.not_after = not_after;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, common_name);
    let key = rcgen::KeyPair::generate().expect("generate an ECDSA P-256 key pair");
    params
        .self_signed(&key)
        .expect("self-sign a certificate")
        .pem()
}

/// Reads the validity window of the first PEM block of `pem`, which must be a `CERTIFICATE`.
///
/// Text before the block is ignored (like `openssl x509`), and so is anything after it.
pub fn parse_validity(pem: &str) -> Result<Validity, PemError> {
    let block = read_first_block(pem)?;
    if block.label != "CERTIFICATE" {
        return Err(PemError::NotACertificate(block.label));
    }
    let certificate = block
        .parse_x509()
        .map_err(|error| PemError::InvalidX509(error.to_string()))?;
    let validity = certificate.validity();
    Ok(Validity {
        valid_at: validity.not_before.timestamp(),
        expires_at: validity.not_after.timestamp(),
    })
}

fn read_first_block(pem: &str) -> Result<Pem, PemError> {
    use x509_parser::error::PEMError;

    match Pem::read(std::io::Cursor::new(pem.as_bytes())) {
        Ok((block, _bytes_read)) => Ok(block),
        Err(PEMError::MissingHeader) => Err(PemError::MissingBlock),
        Err(error) => Err(PemError::Malformed(error.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(unix_seconds: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(unix_seconds).expect("a valid unix time")
    }

    #[test]
    fn reads_back_the_validity_it_was_made_with() {
        let not_before = at(1_704_164_645);
        let not_after = at(1_907_050_150);
        let pem = self_signed_certificate("fake.example", not_before, not_after);

        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert_eq!(
            parse_validity(&pem),
            Ok(Validity {
                valid_at: not_before.unix_timestamp(),
                expires_at: not_after.unix_timestamp(),
            })
        );
    }

    #[test]
    fn ignores_text_around_the_block() {
        let not_before = at(1_704_067_200);
        let not_after = at(1_735_689_600);
        let pem = self_signed_certificate("fake.example", not_before, not_after);
        let wrapped = format!("subject=CN = fake.example\n{pem}\ntrailing words\n");

        assert_eq!(
            parse_validity(&wrapped).map(|v| v.valid_at),
            Ok(not_before.unix_timestamp())
        );
    }

    #[test]
    fn rejects_text_without_a_block() {
        assert_eq!(
            parse_validity("not a certificate"),
            Err(PemError::MissingBlock)
        );
        assert_eq!(parse_validity(""), Err(PemError::MissingBlock));
    }

    #[test]
    fn rejects_a_block_without_an_end_line() {
        let error = parse_validity("-----BEGIN CERTIFICATE-----\nMIIB\n").unwrap_err();
        assert!(matches!(error, PemError::Malformed(_)), "{error:?}");
    }

    #[test]
    fn rejects_invalid_base64() {
        let pem = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        assert!(matches!(parse_validity(pem), Err(PemError::Malformed(_))));
    }

    #[test]
    fn rejects_other_labels() {
        let pem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        assert_eq!(
            parse_validity(pem),
            Err(PemError::NotACertificate("PRIVATE KEY".to_owned()))
        );
    }

    #[test]
    fn rejects_der_that_is_not_x509() {
        let pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let error = parse_validity(pem).unwrap_err();
        assert!(matches!(error, PemError::InvalidX509(_)), "{error:?}");
        assert!(error
            .to_string()
            .starts_with("PEM block is not an X.509 certificate: "));
    }
}

/// Everything a mutual-TLS exchange on 127.0.0.1 needs, all PEM: a certificate authority, a
/// server certificate it signed for `127.0.0.1` and `localhost`, and a client certificate it
/// signed, with the extensions OpenAI asks of one (key identifiers, digital signature and key
/// encipherment, client authentication).
#[derive(Clone)]
pub struct MtlsMaterial {
    pub ca: String,
    pub server_certificate: String,
    pub server_key: String,
    pub client_certificate: String,
    pub client_key: String,
}

/// Shows the certificates' presence only, never the keys.
impl fmt::Debug for MtlsMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MtlsMaterial").finish_non_exhaustive()
    }
}

impl MtlsMaterial {
    /// Makes a fresh authority and the two certificates it signs, valid from an hour ago for a
    /// day.
    ///
    /// # Panics
    /// If key generation or signing fails (only when the system random source fails), as
    /// [`self_signed_certificate`] does.
    pub fn generate() -> MtlsMaterial {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
            KeyPair, KeyUsagePurpose,
        };
        let now = OffsetDateTime::now_utc();
        let params = |names: &[&str], common_name: &str| {
            let names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
            let mut params = CertificateParams::new(names).expect("valid subject names");
            params.not_before = now - time::Duration::hours(1);
            params.not_after = now + time::Duration::days(1);
            params
                .distinguished_name
                .push(DnType::CommonName, common_name);
            params
        };
        let mut ca = params(&[], "workbench test CA");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_key = KeyPair::generate().expect("generate the CA key");
        let ca_pem = ca.self_signed(&ca_key).expect("self-sign the CA").pem();
        let issuer = Issuer::new(ca, ca_key);

        let signed = |mut params: CertificateParams, usage: ExtendedKeyUsagePurpose| {
            params.use_authority_key_identifier_extension = true;
            params.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
            ];
            params.extended_key_usages = vec![usage];
            let key = KeyPair::generate().expect("generate a key");
            let certificate = params.signed_by(&key, &issuer).expect("sign a certificate");
            (certificate.pem(), key.serialize_pem())
        };
        let (server_certificate, server_key) = signed(
            params(&["127.0.0.1", "localhost"], "127.0.0.1"),
            ExtendedKeyUsagePurpose::ServerAuth,
        );
        let (client_certificate, client_key) = signed(
            params(&[], "workbench client"),
            ExtendedKeyUsagePurpose::ClientAuth,
        );
        MtlsMaterial {
            ca: ca_pem,
            server_certificate,
            server_key,
            client_certificate,
            client_key,
        }
    }
}
