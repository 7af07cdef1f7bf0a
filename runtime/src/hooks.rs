//! Hooks: the application's own code, run on each attempt of each call (retries included):
//! before the request is sent, seeing and changing it (headers, URL: signing, tracing
//! context), and when the response's head arrives, before its body is read or its status
//! judged (timings, metrics); either may refuse the call with an error of its own. Async, and
//! run in order: the client's (`ClientBuilder::hook`), then the request's
//! (`RequestOptions::hook`).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// An error of a hook's own, which ends the call as `Error::Hook` (kept as its `source()`).
pub type HookError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What a hook returns: a future that says whether the call goes on.
pub type HookFuture<'a> = Pin<Box<dyn Future<Output = Result<(), HookError>> + Send + 'a>>;

/// Code run on each attempt of each call; implement the steps you need (each does nothing by
/// default). A step is an `async` block boxed: `Box::pin(async move { ...; Ok(()) })`.
pub trait Hook: Send + Sync + 'static {
    /// Before an attempt is sent: the request as it goes out (method, URL, headers, the
    /// credential among them, and a body of bytes), which the hook may change. An error
    /// ends the call before anything is sent.
    fn on_request<'a>(&'a self, request: &'a mut reqwest::Request) -> HookFuture<'a> {
        let _ = request;
        Box::pin(std::future::ready(Ok(())))
    }

    /// When an attempt's response head has arrived, before its body is read or its status
    /// judged (an error status is still retried after it): the status and headers, which
    /// the hook may change (`headers_mut`). An error ends the call.
    fn on_response<'a>(&'a self, response: &'a mut reqwest::Response) -> HookFuture<'a> {
        let _ = response;
        Box::pin(std::future::ready(Ok(())))
    }
}

/// The hooks of a client or a request, in the order they run.
#[derive(Clone, Default)]
pub(crate) struct Hooks(Vec<Arc<dyn Hook>>);

impl Hooks {
    pub(crate) fn push(&mut self, hook: impl Hook) {
        self.0.push(Arc::new(hook));
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// This client's hooks, then the request's.
    pub(crate) fn then<'a>(&'a self, request: &'a Hooks) -> impl Iterator<Item = &'a dyn Hook> {
        self.0.iter().chain(&request.0).map(|hook| &**hook)
    }
}
