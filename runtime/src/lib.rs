//! The HTTP runtime of the clients `sdkgen` generates.
//!
//! A generated crate describes *what* to send (paths, parameters, bodies and the shapes of
//! responses); this crate decides *how*: it holds the configured [`Client`], builds each HTTP
//! request, retries transient failures with backoff, enforces timeouts, turns non-success
//! responses into [`Error`]s and walks cursor-paginated lists.
//!
//! Nothing in here knows about a particular API: the facts it needs (default base URL, how the
//! credential is sent, the user agent) arrive through [`ApiSettings`].
//!
//! Applications use it through a generated crate, which re-exports the types they meet
//! ([`Error`], [`Page`], [`FilePart`], ...) and wraps [`Client`] and [`ClientBuilder`] in its
//! own, adding the API's resources and credential setters. Items marked `#[doc(hidden)]` are
//! hooks for generated code, not part of the public API: they change with the generator. A
//! generated crate depends on the exact version it was generated against, or carries a copy
//! of this source as its `runtime` module (`sdkgen generate --vendor-runtime`); the source is
//! written to work as either (paths within it go through `super::`).

#[cfg(feature = "cli")]
pub mod cli;
mod config;
mod error;
mod future;
mod hooks;
mod oauth;
mod pagination;
mod request;
mod response;
mod retry;
mod sequence;
mod serde_helpers;
mod settings;
mod sse;
mod tls;
mod transport;
mod unknown;
mod upload;
#[cfg(feature = "webhooks")]
pub mod webhooks;

// What applications use; a generated crate re-exports these at its root (its own `Client` and
// `ClientBuilder` wrap the runtime's).
pub use config::{Client, ClientBuilder};
pub use error::{ApiError, Error, ErrorBody};
pub use future::{ResponseFuture, ValueFuture};
pub use hooks::{Hook, HookError, HookFuture};
pub use pagination::{CursorPage, Page, PageStream, PageStyle, PaginatedRequest};
pub use request::RequestOptions;
/// The HTTP client this runtime is built on, at the version it uses: for
/// `ClientBuilder::http_client` and the requests and responses hooks see.
pub use reqwest;
pub use response::ApiResponse;
pub use sequence::{ItemStream, MixedPart};
pub use sse::{ByteStream, EventStream, ServerSentEvent};
pub use unknown::UnknownValue;
pub use upload::FilePart;

// Hooks for generated code.
#[doc(hidden)]
pub use request::{
    custom_method, json_text, path_param, path_styled, simple_text, ApiRequest, ArrayFormat,
    ObjectFormat, PathStyle,
};
#[doc(hidden)]
pub use reqwest::Method;
#[doc(hidden)]
pub use sequence::SequenceFormat;
#[doc(hidden)]
pub use serde_helpers::{no_variant_matched, JsonStr};
#[doc(hidden)]
pub use settings::{
    ApiSettings, CredentialScheme, CredentialSettings, ErrorFields, IdempotencySettings,
    MtlsSettings, ResponseHeaders,
};

/// What the runtime's macros (`json_object!`, `open_enum!`, ...) name through `$crate`: a vendored copy of the
/// runtime is re-exported under this name at the generated crate's root.
#[doc(hidden)]
pub mod __private {
    pub use super::serde_helpers::{
        no_variant_matched, read_present, read_unknown, read_value, required, JsonObject, JsonStr,
        ObjectVisitor, ObjectWriter,
    };
    pub use super::unknown::UnknownValue;
    pub use serde;
    pub use serde_json;
}
