//! Cursor pagination: one page at a time, or every item as a stream.

use std::fmt;
use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::{FusedStream, Stream};

use super::error::Error;
use super::future::ResponseFuture;

/// A page of a cursor-paginated list, as the API returns it.
pub trait CursorPage: serde::de::DeserializeOwned + Send + 'static {
    /// One element of the list.
    type Item: Send + 'static;

    /// The elements on this page.
    fn items(&self) -> &[Self::Item];

    /// Takes the elements out of this page.
    fn into_items(self) -> Vec<Self::Item>;

    /// Whether the server says more elements follow.
    fn has_more(&self) -> bool;

    /// The cursor that asks for the elements after this page.
    fn next_cursor(&self) -> Option<&str>;
}

/// A request for one page that can be repeated with another cursor.
pub trait PaginatedRequest: Clone + Send + Sync + 'static {
    /// The page this request returns.
    type Page: CursorPage;

    /// The same request, asking for the elements after `cursor`.
    fn with_cursor(self, cursor: String) -> Self;

    /// Sends the request.
    fn fetch(&self) -> ResponseFuture<Self::Page>;
}

/// The item type of the pages `R` returns.
type ItemOf<R> = <<R as PaginatedRequest>::Page as CursorPage>::Item;

/// The request for the page after `page`, or `None` when `page` is the last one.
///
/// The list ends when the server says so, when a page is empty (a server that keeps saying
/// "more" with nothing in it would otherwise be followed forever), when there is no cursor, or
/// when the cursor did not move.
fn next_request<R: PaginatedRequest>(
    request: &R,
    current_cursor: Option<&str>,
    page: &R::Page,
) -> Option<(R, String)> {
    if !page.has_more() || page.items().is_empty() {
        return None;
    }
    let cursor = page.next_cursor().filter(|cursor| !cursor.is_empty())?;
    if Some(cursor) == current_cursor {
        return None;
    }
    Some((
        request.clone().with_cursor(cursor.to_owned()),
        cursor.to_owned(),
    ))
}

/// One page of a list, with what it takes to fetch the next.
///
/// It dereferences to the page itself, so the page's fields (`page.data`, `page.has_more`) read
/// directly.
pub struct Page<R: PaginatedRequest> {
    request: R,
    cursor: Option<String>,
    page: R::Page,
}

impl<R: PaginatedRequest> Page<R> {
    /// Wraps the `page` that `request` returned.
    #[doc(hidden)]
    pub fn new(request: R, page: R::Page) -> Self {
        Page {
            request,
            cursor: None,
            page,
        }
    }

    /// The first page `request` returns: what a paginated operation's `send` awaits.
    #[doc(hidden)]
    pub fn first(request: R) -> ResponseFuture<Page<R>> {
        let future = request.fetch();
        ResponseFuture::new(async move {
            let response = future.await?;
            Ok(response.map(|page| Page::new(request, page)))
        })
    }

    /// Whether another page follows this one.
    pub fn has_next_page(&self) -> bool {
        next_request(&self.request, self.cursor.as_deref(), &self.page).is_some()
    }

    /// Fetches the page after this one; `Ok(None)` when this is the last page.
    ///
    /// The returned future does not borrow `self`, so it can be spawned.
    pub fn next_page(
        &self,
    ) -> impl Future<Output = Result<Option<Page<R>>, Error>> + Send + 'static {
        let next = next_request(&self.request, self.cursor.as_deref(), &self.page);
        async move {
            let Some((request, cursor)) = next else {
                return Ok(None);
            };
            let response = request.fetch().await?;
            Ok(Some(Page {
                request,
                cursor: Some(cursor),
                page: response.into_value(),
            }))
        }
    }

    /// The page as the API returned it.
    pub fn into_inner(self) -> R::Page {
        self.page
    }

    /// Every item of this page and of the pages after it.
    pub fn into_stream(self) -> PageStream<R> {
        let next = next_request(&self.request, self.cursor.as_deref(), &self.page);
        PageStream {
            state: State::Yielding {
                items: self.page.into_items().into_iter(),
                next,
            },
        }
    }
}

impl<R: PaginatedRequest> Deref for Page<R> {
    type Target = R::Page;

    fn deref(&self) -> &R::Page {
        &self.page
    }
}

impl<R> fmt::Debug for Page<R>
where
    R: PaginatedRequest,
    R::Page: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.page, f)
    }
}

/// Every item of a list, fetching one page at a time as the stream is read.
///
/// Only one page is held in memory. The first error ends the stream after it is yielded.
#[must_use = "streams do nothing unless polled"]
pub struct PageStream<R: PaginatedRequest> {
    state: State<R>,
}

enum State<R: PaginatedRequest> {
    /// About to fetch with `request`, which carries `cursor` (none for the first page).
    Start { request: R, cursor: Option<String> },
    /// Waiting for the page that `request` asked for.
    Fetching {
        request: R,
        cursor: Option<String>,
        future: ResponseFuture<R::Page>,
    },
    /// Handing out the items of a page; `next` fetches the page after it.
    Yielding {
        items: std::vec::IntoIter<ItemOf<R>>,
        next: Option<(R, String)>,
    },
    /// The list is exhausted or failed.
    Done,
}

impl<R: PaginatedRequest> PageStream<R> {
    /// A stream of every item, starting with the page `first_request` returns.
    #[doc(hidden)]
    pub fn new(first_request: R) -> Self {
        PageStream {
            state: State::Start {
                request: first_request,
                cursor: None,
            },
        }
    }
}

// The stream never pins its fields in place: the only future it polls is boxed.
impl<R: PaginatedRequest> Unpin for PageStream<R> {}

impl<R: PaginatedRequest> Stream for PageStream<R> {
    type Item = Result<ItemOf<R>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Start { request, cursor } => {
                    let future = request.fetch();
                    this.state = State::Fetching {
                        request,
                        cursor,
                        future,
                    };
                }
                State::Fetching {
                    request,
                    cursor,
                    mut future,
                } => match Pin::new(&mut future).poll(cx) {
                    Poll::Pending => {
                        this.state = State::Fetching {
                            request,
                            cursor,
                            future,
                        };
                        return Poll::Pending;
                    }
                    Poll::Ready(Err(error)) => return Poll::Ready(Some(Err(error))),
                    Poll::Ready(Ok(response)) => {
                        let page = response.into_value();
                        let next = next_request(&request, cursor.as_deref(), &page);
                        this.state = State::Yielding {
                            items: page.into_items().into_iter(),
                            next,
                        };
                    }
                },
                State::Yielding { mut items, next } => {
                    if let Some(item) = items.next() {
                        this.state = State::Yielding { items, next };
                        return Poll::Ready(Some(Ok(item)));
                    }
                    match next {
                        Some((request, cursor)) => {
                            this.state = State::Start {
                                request,
                                cursor: Some(cursor),
                            };
                        }
                        None => return Poll::Ready(None),
                    }
                }
                State::Done => return Poll::Ready(None),
            }
        }
    }
}

impl<R: PaginatedRequest> FusedStream for PageStream<R> {
    fn is_terminated(&self) -> bool {
        matches!(self.state, State::Done)
    }
}

impl<R: PaginatedRequest> fmt::Debug for PageStream<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Start { .. } => "start",
            State::Fetching { .. } => "fetching",
            State::Yielding { .. } => "yielding",
            State::Done => "done",
        };
        f.debug_struct("PageStream")
            .field("state", &state)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::ApiResponse;
    use reqwest::header::HeaderMap;
    use reqwest::StatusCode;
    use std::future::poll_fn;
    use std::sync::{Arc, Mutex};

    #[derive(Debug, serde::Deserialize)]
    struct TestPage {
        data: Vec<u32>,
        has_more: bool,
        last_id: Option<String>,
    }

    impl CursorPage for TestPage {
        type Item = u32;
        fn items(&self) -> &[u32] {
            &self.data
        }
        fn into_items(self) -> Vec<u32> {
            self.data
        }
        fn has_more(&self) -> bool {
            self.has_more
        }
        fn next_cursor(&self) -> Option<&str> {
            self.last_id.as_deref()
        }
    }

    /// JSON pages (or a failure status) by the cursor that asks for them.
    type Pages = Vec<(Option<&'static str>, Result<&'static str, StatusCode>)>;
    /// The cursor and limit of every fetch.
    type Seen = Arc<Mutex<Vec<(Option<String>, u32)>>>;
    /// Items, or errors as text, in the order a stream yielded them.
    type Outcome = Vec<Result<u32, String>>;

    /// Answers from a fixed list of pages keyed by cursor, and records the cursors asked for.
    #[derive(Clone)]
    struct TestRequest {
        limit: u32,
        after: Option<String>,
        pages: Arc<Pages>,
        seen: Seen,
    }

    impl PaginatedRequest for TestRequest {
        type Page = TestPage;

        fn with_cursor(mut self, cursor: String) -> Self {
            self.after = Some(cursor);
            self
        }

        fn fetch(&self) -> ResponseFuture<TestPage> {
            let this = self.clone();
            ResponseFuture::new(async move {
                this.seen
                    .lock()
                    .expect("log")
                    .push((this.after.clone(), this.limit));
                let found = this
                    .pages
                    .iter()
                    .find(|(cursor, _)| *cursor == this.after.as_deref());
                match found {
                    Some((_, Ok(json))) => {
                        let page = serde_json::from_str(json).map_err(|source| Error::Decode {
                            status: StatusCode::OK,
                            request_id: None,
                            body: json.as_bytes().to_vec(),
                            source,
                        })?;
                        Ok(ApiResponse::new(
                            StatusCode::OK,
                            HeaderMap::new(),
                            page,
                            crate::settings::ResponseHeaders::DEFAULT,
                        ))
                    }
                    Some((_, Err(status))) => Err(Error::Api(Box::new(crate::ApiError::new(
                        *status,
                        HeaderMap::new(),
                        Vec::new(),
                        crate::settings::ResponseHeaders::DEFAULT,
                        crate::settings::ErrorFields::DEFAULT,
                    )))),
                    None => Err(Error::invalid_request("unknown cursor")),
                }
            })
        }
    }

    fn request(pages: Pages) -> TestRequest {
        TestRequest {
            limit: 2,
            after: None,
            pages: Arc::new(pages),
            seen: Arc::default(),
        }
    }

    async fn collect(stream: &mut PageStream<TestRequest>) -> Outcome {
        let mut out = Vec::new();
        while let Some(item) = poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await {
            out.push(item.map_err(|error| error.to_string()));
        }
        out
    }

    fn three_pages() -> Pages {
        vec![
            (None, Ok(r#"{"data":[1,2],"has_more":true,"last_id":"b"}"#)),
            (
                Some("b"),
                Ok(r#"{"data":[3,4],"has_more":true,"last_id":"d"}"#),
            ),
            (
                Some("d"),
                Ok(r#"{"data":[5],"has_more":false,"last_id":"e"}"#),
            ),
        ]
    }

    #[tokio::test]
    async fn streams_every_item_following_the_cursor() {
        let first = request(three_pages());
        let seen = Arc::clone(&first.seen);
        let mut stream = PageStream::new(first);
        let items = collect(&mut stream).await;
        assert_eq!(items, vec![Ok(1), Ok(2), Ok(3), Ok(4), Ok(5)]);
        assert!(stream.is_terminated());
        let seen = seen.lock().expect("log").clone();
        assert_eq!(
            seen,
            vec![
                (None, 2),
                (Some("b".to_owned()), 2),
                (Some("d".to_owned()), 2)
            ]
        );
    }

    #[tokio::test]
    async fn stops_on_an_empty_page_a_missing_cursor_or_a_repeated_cursor() {
        let endings: [(Pages, Outcome, usize); 4] = [
            (
                vec![(None, Ok(r#"{"data":[],"has_more":true,"last_id":"x"}"#))],
                vec![],
                1,
            ),
            (
                vec![(None, Ok(r#"{"data":[1],"has_more":true,"last_id":null}"#))],
                vec![Ok(1)],
                1,
            ),
            (
                vec![(None, Ok(r#"{"data":[1],"has_more":true,"last_id":""}"#))],
                vec![Ok(1)],
                1,
            ),
            (
                vec![
                    (None, Ok(r#"{"data":[1],"has_more":true,"last_id":"a"}"#)),
                    (
                        Some("a"),
                        Ok(r#"{"data":[2],"has_more":true,"last_id":"a"}"#),
                    ),
                ],
                vec![Ok(1), Ok(2)],
                2,
            ),
        ];
        for (pages, expected, fetches) in endings {
            let first = request(pages);
            let seen = Arc::clone(&first.seen);
            assert_eq!(collect(&mut PageStream::new(first)).await, expected);
            assert_eq!(seen.lock().expect("log").len(), fetches);
        }
    }

    #[tokio::test]
    async fn yields_an_error_once_then_ends() {
        let first = request(vec![
            (None, Ok(r#"{"data":[1],"has_more":true,"last_id":"a"}"#)),
            (Some("a"), Err(StatusCode::INTERNAL_SERVER_ERROR)),
        ]);
        let mut stream = PageStream::new(first);
        let items = collect(&mut stream).await;
        assert_eq!(
            items,
            vec![Ok(1), Err("500 Internal Server Error".to_owned())]
        );
        assert!(stream.is_terminated());
        assert!(collect(&mut stream).await.is_empty());
    }

    #[tokio::test]
    async fn pages_manually() {
        let first = request(three_pages());
        let page = Page::first(first).await.expect("first page").into_value();
        assert_eq!(page.data, vec![1, 2]);
        assert!(page.has_next_page());

        let second = page.next_page().await.expect("ok").expect("a second page");
        assert_eq!(second.data, vec![3, 4]);
        let third = second.next_page().await.expect("ok").expect("a third page");
        assert!(!third.has_next_page());
        assert!(third.next_page().await.expect("ok").is_none());
        assert_eq!(third.into_inner().data, vec![5]);
    }

    #[tokio::test]
    async fn streams_from_a_page_onwards() {
        let first = request(three_pages());
        let seen = Arc::clone(&first.seen);
        let response = first.fetch().await.expect("first page");
        let mut stream = Page::new(first, response.into_value()).into_stream();
        assert_eq!(
            collect(&mut stream).await,
            vec![Ok(1), Ok(2), Ok(3), Ok(4), Ok(5)]
        );
        assert_eq!(seen.lock().expect("log").len(), 3);
    }

    #[test]
    fn stream_is_send_and_unpin() {
        fn assert_bounds<T: Send + Unpin>() {}
        assert_bounds::<PageStream<TestRequest>>();
        assert_bounds::<Page<TestRequest>>();
    }
}
