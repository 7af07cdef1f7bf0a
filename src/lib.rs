//! Test support for the workbench: a fake of the OpenAI Admin API's organization-certificates
//! endpoints, and the real PEM certificates it needs.
//!
//! - [`fake_api`]: [`fake_api::FakeApi`], a stateful server on 127.0.0.1 that records every
//!   request, so tests can assert both the wire format and the decoded result.
//! - [`pem`]: makes self-signed certificates for tests and reads their validity.

pub mod fake_api;
pub mod pem;
