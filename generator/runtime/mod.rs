//! The HTTP runtime shared by every operation of this crate.
//!
//! The generated modules describe *what* to send (paths, parameters, bodies and the shapes of
//! responses); this module decides *how*: it holds the configured [`Client`], builds each HTTP
//! request, retries transient failures with backoff, enforces timeouts, turns non-success
//! responses into [`Error`]s and walks cursor-paginated lists.
//!
//! Nothing in here knows about a particular API: the facts it needs (default base URL, how the
//! credential is sent, the user agent) arrive through [`ApiSettings`].

mod config;
mod error;
mod pagination;
mod request;
mod response;
mod serde_helpers;
mod sse;
mod transport;
mod upload;

pub use config::{
    ApiSettings, Client, ClientBuilder, CredentialScheme, CredentialSettings, ResponseHeaders,
};
pub use error::{ApiError, Error, ErrorBody};
pub use pagination::{CursorPage, Page, PageStream, PaginatedRequest};
#[doc(hidden)]
pub use request::{path_param, path_param_serialized, ApiRequest};
pub use request::{ArrayFormat, ObjectFormat, RequestOptions};
pub use response::ApiResponse;
pub use sse::{ByteStream, EventStream, ServerSentEvent};
pub use upload::FilePart;
#[doc(hidden)]
pub use serde_helpers::{missing_field, no_variant_matched, JsonStr};
