//! A successful response: the decoded value plus what HTTP said about it.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::settings::ResponseHeaders;

/// A decoded value together with the status and headers of the response that carried it.
///
/// Most callers only want the value; this is for those who also need, say, the request id or a
/// rate-limit header.
#[derive(Clone, Debug)]
pub struct ApiResponse<T> {
    status: StatusCode,
    headers: HeaderMap,
    value: T,
    /// Which header carries the request id.
    meaning: ResponseHeaders,
}

impl<T> ApiResponse<T> {
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        value: T,
        meaning: ResponseHeaders,
    ) -> Self {
        ApiResponse {
            status,
            headers,
            value,
            meaning,
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

    /// The id the server assigned (`x-request-id` unless the API names another header), to
    /// quote when reporting a problem.
    pub fn request_id(&self) -> Option<&str> {
        self.meaning.request_id(&self.headers)
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
            meaning: self.meaning,
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
        let response = ApiResponse::new(StatusCode::CREATED, headers, 20, ResponseHeaders::DEFAULT);
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.request_id(), Some("req_1"));
        assert_eq!(*response.value(), 20);
        let mapped = response.map(|n| n * 2);
        assert_eq!(mapped.headers()["x-request-id"], "req_1");
        assert_eq!(mapped.into_value(), 40);
    }

    #[test]
    fn the_request_id_header_is_the_one_the_api_names() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", HeaderValue::from_static("req_1"));
        headers.insert("request-id", HeaderValue::from_static("req_2"));
        let renamed = ResponseHeaders {
            request_id: Some("request-id"),
            ..ResponseHeaders::DEFAULT
        };
        let response = ApiResponse::new(StatusCode::OK, headers.clone(), (), renamed);
        assert_eq!(response.request_id(), Some("req_2"));
        let none = ResponseHeaders {
            request_id: None,
            ..ResponseHeaders::DEFAULT
        };
        assert_eq!(
            ApiResponse::new(StatusCode::OK, headers, (), none).request_id(),
            None
        );
    }
}
