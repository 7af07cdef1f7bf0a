//! Error responses in the OpenAI envelope: `{"error": {message, type, param, code}}`.

use axum::http::StatusCode;
use serde_json::{json, Value};

/// An error response the fake sends; `type` is always `invalid_request_error`, as upstream
/// uses for every client error these endpoints can produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    message: String,
    param: Option<String>,
    code: Option<&'static str>,
}

impl ApiError {
    /// 400: the request is malformed; `param` names the offending parameter, if one is.
    pub(crate) fn bad_request(message: impl Into<String>, param: Option<&str>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message, param, None)
    }

    /// 401 with code `invalid_api_key`, for a missing or wrong admin key.
    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            message,
            None,
            Some("invalid_api_key"),
        )
    }

    /// 404: no such route or no such certificate.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message, None, None)
    }

    /// 413: the body is larger than the fake reads.
    pub(crate) fn payload_too_large(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, message, None, None)
    }

    fn new(
        status: StatusCode,
        message: impl Into<String>,
        param: Option<&str>,
        code: Option<&'static str>,
    ) -> Self {
        Self {
            status,
            message: message.into(),
            param: param.map(str::to_owned),
            code,
        }
    }

    /// The response body.
    pub(crate) fn envelope(&self) -> Value {
        json!({
            "error": {
                "message": self.message,
                "type": "invalid_request_error",
                "param": self.param,
                "code": self.code,
            }
        })
    }
}
