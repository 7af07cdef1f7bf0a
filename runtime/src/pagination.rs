//! Pagination: one page at a time, or every item as a stream; the next page asked for by a
//! cursor the page carries, a page number, an offset, or the `Link` header's URL.

use std::fmt;
use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::{FusedStream, Stream};

use reqwest::header::{HeaderMap, LINK};

use super::error::Error;
use super::future::ResponseFuture;

/// How a list asks for the page after one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// The page carries a cursor ([`CursorPage::next_cursor`]) that the request sends back.
    Cursor,
    /// The request numbers the pages, from `first`; the next is one more.
    PageNumber { first: u64 },
    /// The request counts the items to skip; the next skips those read so far.
    Offset,
    /// The response's `Link` header names the next page's URL (RFC 8288, `rel="next"`).
    Link,
}

/// A page of a list, as the API returns it.
pub trait CursorPage: serde::de::DeserializeOwned + Send + 'static {
    /// One element of the list.
    type Item: Send + 'static;

    /// The elements on this page.
    fn items(&self) -> &[Self::Item];

    /// Takes the elements out of this page.
    fn into_items(self) -> Vec<Self::Item>;

    /// Whether the server says more elements follow (when it does not say: until a page
    /// comes back empty).
    fn has_more(&self) -> bool {
        true
    }

    /// The cursor that asks for the elements after this page ([`PageStyle::Cursor`]).
    fn next_cursor(&self) -> Option<&str> {
        None
    }

    /// How many elements the whole list holds, when the page says.
    fn total_items(&self) -> Option<u64> {
        None
    }

    /// How many pages the list has, when the page says.
    fn total_pages(&self) -> Option<u64> {
        None
    }
}

/// A page that is an array of its elements (the `Link` header says what follows).
impl<T: serde::de::DeserializeOwned + Send + 'static> CursorPage for Vec<T> {
    type Item = T;

    fn items(&self) -> &[T] {
        self
    }

    fn into_items(self) -> Vec<T> {
        self
    }
}

/// A request for one page that can be repeated with another cursor.
pub trait PaginatedRequest: Clone + Send + Sync + 'static {
    /// The page this request returns.
    type Page: CursorPage;

    /// How the request asks for the next page.
    const STYLE: PageStyle = PageStyle::Cursor;

    /// The same request, asking for the elements after `cursor` ([`PageStyle::Cursor`]), or
    /// for the page at the URL `cursor` ([`PageStyle::Link`]).
    fn with_cursor(self, cursor: String) -> Self {
        let _ = cursor;
        self
    }

    /// The same request, asking for page `number` ([`PageStyle::PageNumber`]) or for the
    /// elements after the first `number` ([`PageStyle::Offset`]).
    fn with_number(self, number: u64) -> Self {
        let _ = number;
        self
    }

    /// The page number or offset this request asks for, when it sets one.
    fn start(&self) -> Option<u64> {
        None
    }

    /// Sends the request.
    fn fetch(&self) -> ResponseFuture<Self::Page>;
}

/// Where a page stands in its list: what asked for it, and (for [`PageStyle::Link`]) the URL
/// its response named for the next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Position {
    /// The cursor or URL the page was asked for with; none for the first page.
    cursor: Option<String>,
    /// Its page number, or its offset.
    number: u64,
    /// The elements of the list before this page, as far as this stream has read.
    before: u64,
    /// The next page's URL, from this page's `Link` header.
    next_link: Option<String>,
}

impl Position {
    /// The position of the page `request` asks for first.
    fn first<R: PaginatedRequest>(request: &R) -> Position {
        let number = match R::STYLE {
            PageStyle::PageNumber { first } => request.start().unwrap_or(first),
            PageStyle::Offset => request.start().unwrap_or(0),
            PageStyle::Cursor | PageStyle::Link => 0,
        };
        Position {
            number,
            before: if R::STYLE == PageStyle::Offset {
                number
            } else {
                0
            },
            ..Position::default()
        }
    }

    /// Notes what the page's response headers say of the next page.
    fn read<R: PaginatedRequest>(mut self, headers: &HeaderMap) -> Position {
        if R::STYLE == PageStyle::Link {
            self.next_link = next_link(headers);
        }
        self
    }
}

/// The item type of the pages `R` returns.
type ItemOf<R> = <<R as PaginatedRequest>::Page as CursorPage>::Item;

/// The request for the page after `page`, and where it stands; `None` when `page` is the last.
///
/// The list ends when the server says so (no more, the total reached, no next cursor or
/// link), when a page is empty (a server that keeps saying "more" with nothing in it would
/// otherwise be followed forever), or when the cursor or link did not move.
fn next_request<R: PaginatedRequest>(
    request: &R,
    at: &Position,
    page: &R::Page,
) -> Option<(R, Position)> {
    let read = u64::try_from(page.items().len()).unwrap_or(u64::MAX);
    if read == 0 || !page.has_more() {
        return None;
    }
    let before = at.before.saturating_add(read);
    if page.total_items().is_some_and(|total| before >= total) {
        return None;
    }
    let moved = |cursor: &str| {
        (!cursor.is_empty() && Some(cursor) != at.cursor.as_deref()).then(|| cursor.to_owned())
    };
    match R::STYLE {
        PageStyle::Cursor => {
            let cursor = moved(page.next_cursor()?)?;
            let next = request.clone().with_cursor(cursor.clone());
            Some((
                next,
                Position {
                    cursor: Some(cursor),
                    before,
                    ..Position::default()
                },
            ))
        }
        PageStyle::Link => {
            let link = moved(at.next_link.as_deref()?)?;
            let next = request.clone().with_cursor(link.clone());
            Some((
                next,
                Position {
                    cursor: Some(link),
                    before,
                    ..Position::default()
                },
            ))
        }
        PageStyle::PageNumber { first } => {
            let number = at.number.checked_add(1)?;
            let past_last = page
                .total_pages()
                .is_some_and(|pages| number >= first.saturating_add(pages));
            if past_last {
                return None;
            }
            let next = request.clone().with_number(number);
            Some((
                next,
                Position {
                    number,
                    before,
                    ..Position::default()
                },
            ))
        }
        PageStyle::Offset => {
            let next = request.clone().with_number(before);
            Some((
                next,
                Position {
                    number: before,
                    before,
                    ..Position::default()
                },
            ))
        }
    }
}

/// The URL a `Link` header names `rel="next"` (RFC 8288): `<https://...?page=2>; rel="next"`,
/// among other links and in any of the header's lines.
fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(links)
        .find(|(_, params)| {
            params.split(';').any(|param| {
                let Some((name, value)) = param.split_once('=') else {
                    return false;
                };
                name.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            })
        })
        .map(|(url, _)| url.to_owned())
}

/// The links of one `Link` header value: each URL (between `<` and `>`) with its parameters.
fn links(value: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = value;
    std::iter::from_fn(move || {
        let start = rest.find('<')?;
        let end = start + rest[start..].find('>')?;
        let url = &rest[start + 1..end];
        let after = &rest[end + 1..];
        // The parameters run to the next link; a comma inside quotes does not end them.
        let mut quoted = false;
        let stop = after
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == ',' && !quoted
            })
            .map_or(after.len(), |(at, _)| at);
        rest = &after[stop..];
        Some((url, &after[..stop]))
    })
}

/// One page of a list, with what it takes to fetch the next.
///
/// It dereferences to the page itself, so the page's fields (`page.data`, `page.has_more`) read
/// directly.
pub struct Page<R: PaginatedRequest> {
    request: R,
    at: Position,
    page: R::Page,
}

impl<R: PaginatedRequest> Page<R> {
    /// Wraps the `page` that `request` returned (its response's headers unread).
    #[doc(hidden)]
    pub fn new(request: R, page: R::Page) -> Self {
        let at = Position::first(&request);
        Page { request, at, page }
    }

    /// The first page `request` returns: what a paginated operation's `send` awaits.
    #[doc(hidden)]
    pub fn first(request: R) -> ResponseFuture<Page<R>> {
        let future = request.fetch();
        ResponseFuture::new(async move {
            let response = future.await?;
            let at = Position::first(&request).read::<R>(response.headers());
            Ok(response.map(|page| Page { request, at, page }))
        })
    }

    /// Whether another page follows this one.
    pub fn has_next_page(&self) -> bool {
        next_request(&self.request, &self.at, &self.page).is_some()
    }

    /// Fetches the page after this one; `Ok(None)` when this is the last page.
    ///
    /// The returned future does not borrow `self`, so it can be spawned.
    pub fn next_page(
        &self,
    ) -> impl Future<Output = Result<Option<Page<R>>, Error>> + Send + 'static {
        let next = next_request(&self.request, &self.at, &self.page);
        async move {
            let Some((request, at)) = next else {
                return Ok(None);
            };
            let response = request.fetch().await?;
            let at = at.read::<R>(response.headers());
            Ok(Some(Page {
                request,
                at,
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
        let next = next_request(&self.request, &self.at, &self.page);
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
    /// About to fetch with `request`, for the page at `at`.
    Start { request: R, at: Position },
    /// Waiting for the page that `request` asked for.
    Fetching {
        request: R,
        at: Position,
        future: ResponseFuture<R::Page>,
    },
    /// Handing out the items of a page; `next` fetches the page after it.
    Yielding {
        items: std::vec::IntoIter<ItemOf<R>>,
        next: Option<(R, Position)>,
    },
    /// The list is exhausted or failed.
    Done,
}

impl<R: PaginatedRequest> PageStream<R> {
    /// A stream of every item, starting with the page `first_request` returns.
    #[doc(hidden)]
    pub fn new(first_request: R) -> Self {
        let at = Position::first(&first_request);
        PageStream {
            state: State::Start {
                request: first_request,
                at,
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
                State::Start { request, at } => {
                    let future = request.fetch();
                    this.state = State::Fetching {
                        request,
                        at,
                        future,
                    };
                }
                State::Fetching {
                    request,
                    at,
                    mut future,
                } => match Pin::new(&mut future).poll(cx) {
                    Poll::Pending => {
                        this.state = State::Fetching {
                            request,
                            at,
                            future,
                        };
                        return Poll::Pending;
                    }
                    Poll::Ready(Err(error)) => return Poll::Ready(Some(Err(error))),
                    Poll::Ready(Ok(response)) => {
                        let at = at.read::<R>(response.headers());
                        let page = response.into_value();
                        let next = next_request(&request, &at, &page);
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
                        Some((request, at)) => {
                            this.state = State::Start { request, at };
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
    /// A page that counts its list, for the numbered styles.
    #[derive(Debug, serde::Deserialize)]
    struct CountedPage {
        items: Vec<u32>,
        total: Option<u64>,
        pages: Option<u64>,
    }

    impl CursorPage for CountedPage {
        type Item = u32;
        fn items(&self) -> &[u32] {
            &self.items
        }
        fn into_items(self) -> Vec<u32> {
            self.items
        }
        fn total_items(&self) -> Option<u64> {
            self.total
        }
        fn total_pages(&self) -> Option<u64> {
            self.pages
        }
    }

    fn counted(items: &[u32], total: Option<u64>, pages: Option<u64>) -> CountedPage {
        CountedPage {
            items: items.to_vec(),
            total,
            pages,
        }
    }

    /// A request of `STYLE` that records the number it was given; never sent.
    #[derive(Clone, Debug, PartialEq)]
    struct Numbered<const OFFSET: bool> {
        number: Option<u64>,
    }

    impl<const OFFSET: bool> PaginatedRequest for Numbered<OFFSET> {
        type Page = CountedPage;
        const STYLE: PageStyle = if OFFSET {
            PageStyle::Offset
        } else {
            PageStyle::PageNumber { first: 1 }
        };

        fn with_number(self, number: u64) -> Self {
            Numbered {
                number: Some(number),
            }
        }

        fn start(&self) -> Option<u64> {
            self.number
        }

        fn fetch(&self) -> ResponseFuture<CountedPage> {
            ResponseFuture::new(async { Err(Error::invalid_request("not sent")) })
        }
    }

    /// The numbers a list of `R` asks for after its first page, page by page.
    fn numbers<R: PaginatedRequest<Page = CountedPage> + Into<Option<u64>>>(
        first: R,
        pages: Vec<CountedPage>,
    ) -> Vec<u64> {
        let mut at = Position::first(&first);
        let mut request = first;
        let mut asked = Vec::new();
        for page in pages {
            let Some((next, position)) = next_request(&request, &at, &page) else {
                break;
            };
            asked.push(position.number);
            assert_eq!(next.clone().into(), Some(position.number));
            (request, at) = (next, position);
        }
        asked
    }

    impl<const OFFSET: bool> From<Numbered<OFFSET>> for Option<u64> {
        fn from(request: Numbered<OFFSET>) -> Option<u64> {
            request.number
        }
    }

    #[test]
    fn page_numbers_count_up_from_the_first_or_the_callers_to_the_last() {
        let three = || {
            vec![
                counted(&[1, 2], None, Some(3)),
                counted(&[3, 4], None, Some(3)),
                counted(&[5], None, Some(3)),
            ]
        };
        assert_eq!(numbers(Numbered::<false> { number: None }, three()), [2, 3]);
        // Started at page 2 of 3: one more.
        assert_eq!(numbers(Numbered::<false> { number: Some(2) }, three()), [3]);
        // Without a count, until a page comes back empty.
        let open = vec![
            counted(&[1], None, None),
            counted(&[2], None, None),
            counted(&[], None, None),
        ];
        assert_eq!(numbers(Numbered::<false> { number: None }, open), [2, 3]);
        // A total of items ends it as well.
        let counted_items = vec![
            counted(&[1, 2], Some(3), None),
            counted(&[3], Some(3), None),
        ];
        assert_eq!(
            numbers(Numbered::<false> { number: None }, counted_items),
            [2]
        );
    }

    #[test]
    fn offsets_skip_what_was_read_until_the_total() {
        let pages = || {
            vec![
                counted(&[1, 2], Some(5), None),
                counted(&[3, 4], Some(5), None),
                counted(&[5], Some(5), None),
            ]
        };
        assert_eq!(numbers(Numbered::<true> { number: None }, pages()), [2, 4]);
        // From the caller's offset: at 5 of 5 after two pages.
        assert_eq!(numbers(Numbered::<true> { number: Some(1) }, pages()), [3]);
    }

    #[test]
    fn the_next_link_is_the_one_marked_next() {
        let headers = |values: &[&str]| {
            let mut headers = HeaderMap::new();
            for value in values {
                headers.append(LINK, value.parse().expect("a header value"));
            }
            headers
        };
        let github = r#"<https://api.github.test/repos?page=2>; rel="next", <https://api.github.test/repos?page=5>; rel="last""#;
        assert_eq!(
            next_link(&headers(&[github])).as_deref(),
            Some("https://api.github.test/repos?page=2")
        );
        // Several relations in one, unquoted, upper case, a quoted comma, two header lines.
        let mixed = r#"</a?x=1>; title="one, two"; rel="prev first", </b?x=2>; REL=NEXT"#;
        assert_eq!(next_link(&headers(&[mixed])).as_deref(), Some("/b?x=2"));
        assert_eq!(
            next_link(&headers(&[r#"</p>; rel="prev""#, r#"</n>; rel="next""#])).as_deref(),
            Some("/n")
        );
        assert_eq!(next_link(&headers(&[r#"</p>; rel="prev""#])), None);
        assert_eq!(next_link(&headers(&["not a link"])), None);
        assert_eq!(next_link(&HeaderMap::new()), None);
    }
}
