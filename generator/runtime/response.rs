//! A successful response: the decoded value plus what HTTP said about it.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// A decoded value together with the status and headers of the response that carried it.
///
/// Most callers only want the value; this is for those who also need, say, the request id or a
/// rate-limit header.
#[derive(Clone, Debug)]
pub struct ApiResponse<T> {
    status: StatusCode,
    headers: HeaderMap,
    value: T,
}

impl<T> ApiResponse<T> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, value: T) -> Self {
        ApiResponse {
            status,
            headers,
            value,
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `x-request-id` the server assigned, to quote when reporting a problem.
    pub fn request_id(&self) -> Option<&str> {
        super::error::request_id(&self.headers)
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// Discards the HTTP details and keeps the decoded value.
    pub fn into_value(self) -> T {
        self.value
    }

    /// Transforms the value, keeping the status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            value: f(self.value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn exposes_status_headers_request_id_and_value() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", HeaderValue::from_static("req_1"));
        let response = ApiResponse::new(StatusCode::CREATED, headers, 20);
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.request_id(), Some("req_1"));
        assert_eq!(*response.value(), 20);
        let mapped = response.map(|n| n * 2);
        assert_eq!(mapped.headers()["x-request-id"], "req_1");
        assert_eq!(mapped.into_value(), 40);
    }
}
