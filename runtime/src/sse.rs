//! Streamed responses: raw byte chunks, and server-sent events decoded one by one.

use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::{transport_error, ApiError, Error};
use super::settings::{ErrorFields, ResponseHeaders};

type Chunks = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// The body of a response as it arrives, chunk by chunk (for downloads too large to hold).
pub struct ByteStream {
    chunks: Chunks,
}

impl ByteStream {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        ByteStream {
            chunks: Box::pin(response.bytes_stream()),
        }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks
            .as_mut()
            .poll_next(cx)
            .map(|chunk| chunk.map(|chunk| chunk.map_err(transport_error)))
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}

/// One server-sent event as it came: its `event:` name and its `data:` lines joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSentEvent {
    /// The `event:` field, when the server named the event.
    pub event: Option<String>,
    /// The `data:` lines, joined with `\n`.
    pub data: String,
}

/// The events of a `text/event-stream` response, each decoded as `T`.
///
/// The stream ends at the end of the body or at a `data: [DONE]` event. An event named
/// `error`, or an unnamed one whose data is the API's error envelope alone (by default
/// `{"error": {...}}`), ends it with [`Error::Api`] (the event's data as the body, so
/// `message()` works); data that does not decode as `T` yields [`Error::Decode`] and the
/// stream goes on.
pub struct EventStream<T> {
    bytes: ByteStream,
    parser: Parser,
    ready: VecDeque<ServerSentEvent>,
    status: StatusCode,
    headers: HeaderMap,
    meaning: ResponseHeaders,
    error_fields: ErrorFields,
    /// The error envelope's member and the same quoted (`"error"`), the cheap test an event
    /// passes before it is parsed as a possible envelope; worked out once per stream.
    envelope: Option<(&'static str, String)>,
    finished: bool,
    decoded: PhantomData<fn() -> T>,
}

impl<T> EventStream<T> {
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        meaning: ResponseHeaders,
        error_fields: ErrorFields,
        bytes: ByteStream,
    ) -> Self {
        EventStream {
            bytes,
            parser: Parser::default(),
            ready: VecDeque::new(),
            status,
            headers,
            meaning,
            error_fields,
            envelope: error_fields
                .envelope()
                .map(|member| (member, format!("\"{member}\""))),
            finished: false,
            decoded: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> EventStream<T> {
    /// What one event means: a value, the end, or an error.
    fn decode(&self, event: ServerSentEvent) -> Option<Result<T, Error>> {
        if event.data == "[DONE]" {
            return None;
        }
        // Parsed twice only when it may be an envelope: most events never mention its member.
        let is_error_envelope = || {
            let Some((envelope, quoted)) = &self.envelope else {
                return false;
            };
            event.data.contains(quoted.as_str())
                && matches!(
                    serde_json::from_str::<serde_json::Value>(&event.data),
                    Ok(serde_json::Value::Object(members))
                        if members.len() == 1 && members.get(*envelope).is_some_and(|e| e.is_object())
                )
        };
        if event.event.as_deref() == Some("error") || (event.event.is_none() && is_error_envelope())
        {
            return Some(Err(Error::Api(Box::new(ApiError::new(
                self.status,
                self.headers.clone(),
                event.data.into_bytes(),
                self.meaning,
                self.error_fields,
            )))));
        }
        // Data is text: JSON for the types it fits, else a string for those that take one.
        let decoded = serde_json::from_str(&event.data).or_else(|error| {
            T::deserialize(serde_json::Value::String(event.data.clone())).map_err(|_| error)
        });
        Some(decoded.map_err(|source| Error::Decode {
            status: self.status,
            request_id: self.meaning.request_id(&self.headers).map(str::to_owned),
            body: event.data.into_bytes(),
            source,
        }))
    }
}

impl<T: DeserializeOwned> Stream for EventStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if self.finished {
                return Poll::Ready(None);
            }
            if let Some(event) = self.ready.pop_front() {
                let item = self.decode(event);
                if !matches!(item, Some(Ok(_))) {
                    // `[DONE]` and error events end the stream; a decode error does not.
                    self.finished = !matches!(item, Some(Err(Error::Decode { .. })));
                }
                return Poll::Ready(item);
            }
            let this = &mut *self;
            match Pin::new(&mut this.bytes).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.parser.feed(&chunk, &mut this.ready),
                Poll::Ready(Some(Err(error))) => {
                    this.finished = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(None) => {
                    this.parser.finish(&mut this.ready);
                    if this.ready.is_empty() {
                        this.finished = true;
                    }
                }
            }
        }
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("status", &self.status)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

/// The `text/event-stream` format (WHATWG HTML, "server-sent events"): lines ended by LF,
/// CRLF or CR; `field: value`; a blank line ends an event; `:` starts a comment.
#[derive(Default)]
struct Parser {
    /// Bytes of a line not yet ended.
    line: BytesMut,
    /// A CR was the last byte: a LF right after it belongs to the same line end.
    after_cr: bool,
    event: Option<String>,
    data: Option<String>,
}

impl Parser {
    fn feed(&mut self, chunk: &[u8], out: &mut VecDeque<ServerSentEvent>) {
        for &byte in chunk {
            if std::mem::take(&mut self.after_cr) && byte == b'\n' {
                continue;
            }
            match byte {
                b'\n' | b'\r' => {
                    self.after_cr = byte == b'\r';
                    let line = self.line.split();
                    self.line_ended(&String::from_utf8_lossy(&line), out);
                }
                _ => self.line.extend_from_slice(&[byte]),
            }
        }
    }

    /// The body ended: an event without its closing blank line still counts.
    fn finish(&mut self, out: &mut VecDeque<ServerSentEvent>) {
        if !self.line.is_empty() {
            let line = self.line.split();
            self.line_ended(&String::from_utf8_lossy(&line), out);
        }
        self.line_ended("", out);
    }

    fn line_ended(&mut self, line: &str, out: &mut VecDeque<ServerSentEvent>) {
        if line.is_empty() {
            let event = self.event.take();
            if let Some(data) = self.data.take() {
                out.push_back(ServerSentEvent { event, data });
            }
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => self.event = Some(value.to_owned()),
            "data" => match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_owned()),
            },
            // `id` and `retry` matter to reconnecting browsers, not to one response.
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(chunks: &[&[u8]]) -> Vec<ServerSentEvent> {
        let mut parser = Parser::default();
        let mut out = VecDeque::new();
        for chunk in chunks {
            parser.feed(chunk, &mut out);
        }
        parser.finish(&mut out);
        out.into()
    }

    fn event(name: Option<&str>, data: &str) -> ServerSentEvent {
        ServerSentEvent {
            event: name.map(str::to_owned),
            data: data.to_owned(),
        }
    }

    #[test]
    fn parses_names_multiline_data_comments_and_any_line_end() {
        let events = parse(&[
            b": keep-alive\n\nevent: delta\ndata: {\"a\":\n",
            b"data: 1}\r\n\r\ndata:x\rid: 7\r\rdata: last",
        ]);
        assert_eq!(
            events,
            [
                event(Some("delta"), "{\"a\":\n1}"),
                event(None, "x"),
                event(None, "last")
            ]
        );
    }

    #[test]
    fn splits_a_crlf_across_chunks_once() {
        let events = parse(&[b"data: a\r", b"\n\r", b"\ndata: b\n\n"]);
        assert_eq!(events, [event(None, "a"), event(None, "b")]);
    }

    async fn drain<T: DeserializeOwned>(mut stream: EventStream<T>) -> Vec<Result<T, Error>> {
        let mut items = Vec::new();
        while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await
        {
            items.push(item);
        }
        items
    }

    fn byte_stream(chunks: Vec<&'static [u8]>) -> ByteStream {
        struct Fixed(VecDeque<Bytes>);
        impl Stream for Fixed {
            type Item = reqwest::Result<Bytes>;
            fn poll_next(
                mut self: Pin<&mut Self>,
                _: &mut Context<'_>,
            ) -> Poll<Option<Self::Item>> {
                Poll::Ready(self.0.pop_front().map(Ok))
            }
        }
        ByteStream {
            chunks: Box::pin(Fixed(chunks.into_iter().map(Bytes::from_static).collect())),
        }
    }

    fn stream<T>(chunks: Vec<&'static [u8]>) -> EventStream<T> {
        EventStream::new(
            StatusCode::OK,
            HeaderMap::new(),
            ResponseHeaders::DEFAULT,
            ErrorFields::DEFAULT,
            byte_stream(chunks),
        )
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Count {
        n: i64,
    }

    #[tokio::test]
    async fn decodes_until_done_and_keeps_going_after_a_bad_event() {
        let items = drain(stream::<Count>(vec![
            b"data: {\"n\":1}\n\ndata: not json\n\ndata: {\"m\":1}\n\n",
            b"data: {\"n\":2}\n\ndata: [DONE]\n\ndata: {\"n\":3}\n\n",
        ]))
        .await;
        assert_eq!(items.len(), 4);
        assert_eq!(items[0].as_ref().ok(), Some(&Count { n: 1 }));
        // Text where an object is expected fails as JSON does, naming the syntax error.
        match &items[1] {
            Err(Error::Decode { body, source, .. }) => {
                assert_eq!(body, b"not json");
                assert!(source.is_syntax(), "{source}");
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        assert!(matches!(&items[2], Err(Error::Decode { body, .. }) if body == b"{\"m\":1}"));
        assert_eq!(items[3].as_ref().ok(), Some(&Count { n: 2 }));
    }

    #[tokio::test]
    async fn data_that_is_not_json_is_text() {
        let items = drain(stream::<String>(vec![
            b"data: two\ndata: lines\n\ndata: \"quoted\"\n\ndata: 42\n\n",
        ]))
        .await;
        let texts: Vec<&str> = items
            .iter()
            .map(|item| item.as_ref().expect("text").as_str())
            .collect();
        assert_eq!(texts, ["two\nlines", "quoted", "42"]);
        let values = drain(stream::<serde_json::Value>(vec![
            b"data: hi\n\ndata: 1\n\n",
        ]))
        .await;
        let values: Vec<&serde_json::Value> = values.iter().flatten().collect();
        assert_eq!(values, [&serde_json::json!("hi"), &serde_json::json!(1)]);
    }

    #[tokio::test]
    async fn an_error_event_ends_the_stream_with_its_message() {
        let items = drain(stream::<serde_json::Value>(vec![
            b"data: {\"n\":1}\n\nevent: error\ndata: {\"error\":{\"message\":\"overloaded\"}}\n\ndata: {\"n\":2}\n\n",
        ]))
        .await;
        assert_eq!(items.len(), 2);
        match &items[1] {
            Err(Error::Api(error)) => assert_eq!(error.message(), Some("overloaded")),
            other => panic!("expected an API error, got {other:?}"),
        }
        let items = drain(stream::<serde_json::Value>(vec![
            b"data: {\"error\":{\"message\":\"bad\"}}\n\n",
        ]))
        .await;
        assert!(matches!(&items[..], [Err(Error::Api(_))]));
    }
}
