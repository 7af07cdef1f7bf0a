//! The futures a request's `send` returns.
//!
//! A generated operation's `send` is a plain function that builds the request and returns one
//! of these, not an `async fn` of its own: the asynchronous work lives in the runtime's few
//! generic functions, so a crate of a thousand operations compiles a thousand small functions
//! instead of a thousand state machines, and an application compiles the futures of the
//! operations it calls only.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::error::Error;
use super::response::ApiResponse;

type Boxed<T> = Pin<Box<dyn Future<Output = Result<ApiResponse<T>, Error>> + Send>>;

/// A request on its way: resolves to the decoded value with the response's status, headers and
/// request id. Returned by `send_with_response`; nothing is sent until it is awaited or polled.
#[must_use = "a request does nothing until it is awaited"]
pub struct ResponseFuture<T> {
    inner: Boxed<T>,
}

impl<T> ResponseFuture<T> {
    /// Wraps the future that sends a request.
    #[doc(hidden)]
    pub fn new(
        future: impl Future<Output = Result<ApiResponse<T>, Error>> + Send + 'static,
    ) -> Self {
        ResponseFuture {
            inner: Box::pin(future),
        }
    }

    /// The same request, resolving to the value alone.
    pub fn value(self) -> ValueFuture<T> {
        ValueFuture { inner: self }
    }
}

impl<T> Future for ResponseFuture<T> {
    type Output = Result<ApiResponse<T>, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner.as_mut().poll(cx)
    }
}

impl<T> fmt::Debug for ResponseFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ResponseFuture")
    }
}

/// A request on its way: resolves to the decoded value. Returned by `send`; nothing is sent
/// until it is awaited or polled.
#[must_use = "a request does nothing until it is awaited"]
pub struct ValueFuture<T> {
    inner: ResponseFuture<T>,
}

impl<T> Future for ValueFuture<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.inner)
            .poll(cx)
            .map(|result| result.map(ApiResponse::into_value))
    }
}

impl<T> fmt::Debug for ValueFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ValueFuture")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::ResponseHeaders;
    use reqwest::header::HeaderMap;
    use reqwest::StatusCode;

    fn response(value: u32) -> ApiResponse<u32> {
        ApiResponse::new(
            StatusCode::CREATED,
            HeaderMap::new(),
            value,
            ResponseHeaders::DEFAULT,
        )
    }

    #[tokio::test]
    async fn resolves_to_the_response_or_its_value() {
        let with_response = ResponseFuture::new(async { Ok(response(7)) })
            .await
            .expect("ok");
        assert_eq!(with_response.status(), StatusCode::CREATED);
        assert_eq!(*with_response.value(), 7);
        let value = ResponseFuture::new(async { Ok(response(8)) }).value().await;
        assert_eq!(value.expect("ok"), 8);
    }

    #[tokio::test]
    async fn an_error_passes_through() {
        let future = ResponseFuture::<u32>::new(async { Err(Error::invalid_request("no")) });
        let error = future.value().await.expect_err("fails");
        assert_eq!(error.to_string(), "invalid request: no");
    }

    #[test]
    fn futures_are_send_and_unpin() {
        fn assert_bounds<T: Send + Unpin>() {}
        assert_bounds::<ResponseFuture<String>>();
        assert_bounds::<ValueFuture<String>>();
    }
}
