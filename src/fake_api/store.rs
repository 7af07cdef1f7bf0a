//! The fake organization's certificates, and their JSON as the API returns it.
//!
//! Everything is deterministic so that tests can assert exact bodies: the n-th certificate
//! (1-based) gets the id `cert_<n>` and `created_at` = 1 700 000 000 + n.

use std::fmt;

use serde_json::{json, Value};

use crate::pem::{self, PemError, Validity};

/// How many certificates an organization may hold, as upstream documents.
pub(crate) const MAX_CERTIFICATES: usize = 50;

/// `created_at` of certificate n is this plus n: fixed, and strictly increasing.
const CREATED_AT_BASE: i64 = 1_700_000_000;

/// Why a certificate could not be added.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UploadError {
    /// The PEM text did not parse as an X.509 certificate.
    InvalidCertificate(PemError),
    /// The organization already holds the maximum of 50 certificates.
    LimitReached,
}

impl fmt::Display for UploadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidCertificate(error) => write!(f, "invalid certificate: {error}"),
            Self::LimitReached => write!(
                f,
                "organizations can upload up to {MAX_CERTIFICATES} certificates"
            ),
        }
    }
}

impl std::error::Error for UploadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidCertificate(error) => Some(error),
            Self::LimitReached => None,
        }
    }
}

/// Sort order of a list by `created_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    Asc,
    Desc,
}

/// The `after` cursor names no certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnknownCursor;

#[derive(Debug, Clone)]
struct StoredCertificate {
    id: String,
    name: Option<String>,
    created_at: i64,
    validity: Validity,
    content: String,
}

/// The certificates, kept in upload order (which is also `created_at` order).
#[derive(Debug, Default)]
pub(crate) struct Store {
    certificates: Vec<StoredCertificate>,
}

impl Store {
    /// Parses and stores a certificate; returns it as the upload endpoint does.
    pub(crate) fn upload(&mut self, pem: &str, name: Option<String>) -> Result<Value, UploadError> {
        if self.certificates.len() >= MAX_CERTIFICATES {
            return Err(UploadError::LimitReached);
        }
        let validity = pem::parse_validity(pem).map_err(UploadError::InvalidCertificate)?;
        // No certificate is ever deleted, so the count numbers them uniquely.
        let n = self.certificates.len() + 1;
        let certificate = StoredCertificate {
            id: format!("cert_{n}"),
            name,
            created_at: CREATED_AT_BASE.saturating_add(i64::try_from(n).unwrap_or(i64::MAX)),
            validity,
            content: pem.to_owned(),
        };
        let body = certificate_json(&certificate, false);
        self.certificates.push(certificate);
        Ok(body)
    }

    /// The certificate `id` as the get endpoint returns it, with the PEM if `include_content`.
    pub(crate) fn get(&self, id: &str, include_content: bool) -> Option<Value> {
        self.find(id)
            .map(|certificate| certificate_json(certificate, include_content))
    }

    /// Sets the name of `id` (or leaves it when `name` is `None`); returns the certificate.
    pub(crate) fn rename(&mut self, id: &str, name: Option<String>) -> Option<Value> {
        let certificate = self.certificates.iter_mut().find(|c| c.id == id)?;
        if let Some(name) = name {
            certificate.name = Some(name);
        }
        Some(certificate_json(certificate, false))
    }

    /// One page of the list endpoint: up to `limit` certificates after the cursor `after`.
    pub(crate) fn list(
        &self,
        order: Order,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Value, UnknownCursor> {
        let ordered: Vec<&StoredCertificate> = match order {
            Order::Asc => self.certificates.iter().collect(),
            Order::Desc => self.certificates.iter().rev().collect(),
        };
        let start = match after {
            None => 0,
            Some(id) => {
                ordered
                    .iter()
                    .position(|c| c.id == id)
                    .ok_or(UnknownCursor)?
                    + 1
            }
        };
        let rest = ordered.get(start..).unwrap_or_default();
        let page = rest.get(..limit).unwrap_or(rest);
        Ok(json!({
            "object": "list",
            "data": page.iter().map(|c| list_item_json(c)).collect::<Vec<_>>(),
            "first_id": page.first().map(|c| c.id.as_str()),
            "last_id": page.last().map(|c| c.id.as_str()),
            "has_more": rest.len() > page.len(),
        }))
    }

    fn find(&self, id: &str) -> Option<&StoredCertificate> {
        self.certificates.iter().find(|c| c.id == id)
    }
}

/// The `Certificate` schema: what upload, get and modify return (no `active`).
fn certificate_json(certificate: &StoredCertificate, include_content: bool) -> Value {
    let mut details = json!({
        "valid_at": certificate.validity.valid_at,
        "expires_at": certificate.validity.expires_at,
    });
    if include_content {
        details["content"] = Value::String(certificate.content.clone());
    }
    json!({
        "object": "certificate",
        "id": certificate.id,
        "name": certificate.name,
        "created_at": certificate.created_at,
        "certificate_details": details,
    })
}

/// The `OrganizationCertificate` schema: a list item, with `active` and never the PEM.
fn list_item_json(certificate: &StoredCertificate) -> Value {
    json!({
        "object": "organization.certificate",
        "id": certificate.id,
        "name": certificate.name,
        "active": false,
        "created_at": certificate.created_at,
        "certificate_details": {
            "valid_at": certificate.validity.valid_at,
            "expires_at": certificate.validity.expires_at,
        },
    })
}
