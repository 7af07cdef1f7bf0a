//! Sequential media types (OpenAPI 3.2's `itemSchema`): JSON Lines and NDJSON, JSON text
//! sequences (RFC 7464), and the parts of a `multipart/mixed` body, read item by item as
//! they arrive; and request bodies written as such a sequence.

use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::Error;
use super::settings::ResponseHeaders;
use super::sse::ByteStream;

/// How the items of a sequential body are delimited.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SequenceFormat {
    /// `application/jsonl`, `application/x-ndjson`: one JSON value per line.
    JsonLines,
    /// `application/json-seq`: each JSON value after a record separator (`0x1E`).
    JsonSeq,
    /// `multipart/mixed`: each item a part between boundary lines.
    Multipart,
    /// `text/event-stream` (request bodies): each item the data of one event.
    EventStream,
}

/// One part of a `multipart/mixed` response, as it came: for items the description does not
/// type as JSON (images, say).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MixedPart {
    /// The part's own headers (`Content-Type`, `Content-ID`, ...).
    pub headers: HeaderMap,
    /// The part's body.
    pub body: Bytes,
}

impl MixedPart {
    /// The part's `Content-Type`, when it has one.
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
    }
}

/// For printing a part (the command-line tool does): its headers, and its body as text when
/// it is UTF-8, else as a list of bytes.
impl serde::Serialize for MixedPart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let headers: std::collections::BTreeMap<&str, &str> = self
            .headers
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
            .collect();
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("headers", &headers)?;
        match std::str::from_utf8(&self.body) {
            Ok(text) => map.serialize_entry("body", text)?,
            Err(_) => map.serialize_entry("body", &self.body[..])?,
        }
        map.end()
    }
}

/// One item cut from the body: its bytes, and for a multipart part its headers.
struct Frame {
    headers: HeaderMap,
    body: Bytes,
}

/// The items of a sequential response (JSON Lines, a JSON text sequence, or the parts of
/// `multipart/mixed`), each decoded as `T` as it arrives.
///
/// An item that does not decode yields [`Error::Decode`] and the stream goes on; a broken
/// connection ends it with that error.
pub struct ItemStream<T> {
    bytes: ByteStream,
    splitter: Splitter,
    ready: VecDeque<Frame>,
    status: StatusCode,
    headers: HeaderMap,
    meaning: ResponseHeaders,
    finished: bool,
    decode: fn(Frame) -> Result<T, serde_json::Error>,
    decoded: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> ItemStream<T> {
    /// Items decoded from JSON: a line, a record, or a part's body.
    pub(crate) fn json(
        format: SequenceFormat,
        status: StatusCode,
        headers: HeaderMap,
        meaning: ResponseHeaders,
        bytes: ByteStream,
    ) -> Result<Self, String> {
        ItemStream::with(format, status, headers, meaning, bytes, |frame| {
            serde_json::from_slice(&frame.body)
        })
    }
}

impl ItemStream<MixedPart> {
    /// The parts of a `multipart/mixed` response, as they came.
    pub(crate) fn parts(
        status: StatusCode,
        headers: HeaderMap,
        meaning: ResponseHeaders,
        bytes: ByteStream,
    ) -> Result<Self, String> {
        let format = SequenceFormat::Multipart;
        ItemStream::with(format, status, headers, meaning, bytes, |frame| {
            Ok(MixedPart {
                headers: frame.headers,
                body: frame.body,
            })
        })
    }
}

impl<T> ItemStream<T> {
    /// Fails when a multipart response names no boundary.
    fn with(
        format: SequenceFormat,
        status: StatusCode,
        headers: HeaderMap,
        meaning: ResponseHeaders,
        bytes: ByteStream,
        decode: fn(Frame) -> Result<T, serde_json::Error>,
    ) -> Result<Self, String> {
        let splitter = match format {
            SequenceFormat::JsonLines => Splitter::delimited(b'\n'),
            SequenceFormat::JsonSeq => Splitter::delimited(RECORD_SEPARATOR),
            // Server-sent events are read by `EventStream`; here they are lines.
            SequenceFormat::EventStream => Splitter::delimited(b'\n'),
            SequenceFormat::Multipart => {
                let content_type = headers
                    .get(CONTENT_TYPE)
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or_default();
                let Some(boundary) = boundary_of(content_type) else {
                    return Err(format!(
                        "a multipart response without a boundary (Content-Type: `{content_type}`)"
                    ));
                };
                Splitter::Multipart(Multipart::new(&boundary))
            }
        };
        Ok(ItemStream {
            bytes,
            splitter,
            ready: VecDeque::new(),
            status,
            headers,
            meaning,
            finished: false,
            decode,
            decoded: PhantomData,
        })
    }

    fn decode(&self, frame: Frame) -> Result<T, Error> {
        let body = frame.body.clone();
        (self.decode)(frame).map_err(|source| Error::Decode {
            status: self.status,
            request_id: self.meaning.request_id(&self.headers).map(str::to_owned),
            body: body.to_vec(),
            source,
        })
    }
}

impl<T> Stream for ItemStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(frame) = self.ready.pop_front() {
                return Poll::Ready(Some(self.decode(frame)));
            }
            if self.finished {
                return Poll::Ready(None);
            }
            let this = &mut *self;
            match Pin::new(&mut this.bytes).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.splitter.feed(&chunk, &mut this.ready),
                Poll::Ready(Some(Err(error))) => {
                    this.finished = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(None) => {
                    this.splitter.finish(&mut this.ready);
                    this.finished = true;
                }
            }
        }
    }
}

impl<T> fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("status", &self.status)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

/// What starts each record of a JSON text sequence (RFC 7464).
const RECORD_SEPARATOR: u8 = 0x1E;

/// Cuts a body into items as its chunks arrive.
enum Splitter {
    /// Items separated by one byte (a line end, a record separator); blank items skipped.
    Delimited {
        separator: u8,
        buffer: BytesMut,
        /// How much of `buffer` is known to hold no separator.
        searched: usize,
    },
    Multipart(Multipart),
}

impl Splitter {
    fn delimited(separator: u8) -> Self {
        Splitter::Delimited {
            separator,
            buffer: BytesMut::new(),
            searched: 0,
        }
    }

    fn feed(&mut self, chunk: &[u8], out: &mut VecDeque<Frame>) {
        match self {
            Splitter::Delimited {
                separator,
                buffer,
                searched,
            } => {
                buffer.extend_from_slice(chunk);
                while let Some(at) = buffer[*searched..].iter().position(|b| b == separator) {
                    let item = buffer.split_to(*searched + at + 1);
                    *searched = 0;
                    push_trimmed(&item[..item.len() - 1], out);
                }
                *searched = buffer.len();
            }
            Splitter::Multipart(multipart) => multipart.feed(chunk, out),
        }
    }

    /// The body ended: what is left is the last item (a multipart body's unclosed part
    /// included).
    fn finish(&mut self, out: &mut VecDeque<Frame>) {
        match self {
            Splitter::Delimited { buffer, .. } => {
                let rest = buffer.split();
                push_trimmed(&rest, out);
            }
            Splitter::Multipart(multipart) => multipart.finish(out),
        }
    }
}

/// An item without surrounding whitespace (`\r`, a JSON text sequence's line end), unless
/// it is blank.
fn push_trimmed(item: &[u8], out: &mut VecDeque<Frame>) {
    let start = item.iter().position(|b| !b.is_ascii_whitespace());
    let end = item.iter().rposition(|b| !b.is_ascii_whitespace());
    if let (Some(start), Some(end)) = (start, end) {
        out.push_back(Frame {
            headers: HeaderMap::new(),
            body: Bytes::copy_from_slice(&item[start..=end]),
        });
    }
}

/// A `multipart/*` body (RFC 2046): a preamble, parts each after a `--boundary` line, and
/// a closing `--boundary--` line. Lines end with CRLF (a bare LF is read too).
struct Multipart {
    /// `--` and the boundary.
    delimiter: Vec<u8>,
    buffer: BytesMut,
    state: MultipartState,
    /// The start of the first line not yet known to be no delimiter line.
    scanned: usize,
    /// How far that line is known to hold no LF.
    searched: usize,
}

/// Where a delimiter line is in the buffer.
struct DelimiterLine {
    start: usize,
    /// Just after its LF.
    end: usize,
    closing: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MultipartState {
    /// Before the first delimiter line.
    Preamble,
    /// In a part, which the next delimiter line ends.
    Part,
    /// After the closing delimiter: the epilogue is ignored.
    Closed,
}

impl Multipart {
    fn new(boundary: &str) -> Self {
        Multipart {
            delimiter: [b"--", boundary.as_bytes()].concat(),
            buffer: BytesMut::new(),
            state: MultipartState::Preamble,
            scanned: 0,
            searched: 0,
        }
    }

    fn feed(&mut self, chunk: &[u8], out: &mut VecDeque<Frame>) {
        if self.state == MultipartState::Closed {
            return;
        }
        self.buffer.extend_from_slice(chunk);
        loop {
            let Some(line) = self.next_delimiter() else {
                return;
            };
            if self.state == MultipartState::Part {
                // The line break before the delimiter belongs to it, not to the part.
                let mut end = line.start.saturating_sub(1);
                if end > 0 && self.buffer[end - 1] == b'\r' {
                    end -= 1;
                }
                out.push_back(part(&self.buffer[..end]));
            }
            let _ = self.buffer.split_to(line.end);
            if line.closing {
                self.state = MultipartState::Closed;
                self.buffer.clear();
                return;
            }
            self.state = MultipartState::Part;
        }
    }

    /// The next whole delimiter line: `--boundary` at the start of a line, then spaces or
    /// tabs (or `--`, which closes the body), then the line's end. `None` until one has
    /// arrived whole; the search resumes where it stopped.
    fn next_delimiter(&mut self) -> Option<DelimiterLine> {
        let buffer = &self.buffer[..];
        let mut start = self.scanned;
        loop {
            let from = self.searched.max(start);
            let line_end = buffer[from..].iter().position(|b| *b == b'\n');
            let Some(line_end) = line_end.map(|at| from + at) else {
                self.scanned = start;
                self.searched = buffer.len();
                return None;
            };
            let line = &buffer[start..line_end];
            if let Some(rest) = line.strip_prefix(self.delimiter.as_slice()) {
                let closing = rest.starts_with(b"--");
                if closing || rest.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
                    self.scanned = 0;
                    self.searched = 0;
                    return Some(DelimiterLine {
                        start,
                        end: line_end + 1,
                        closing,
                    });
                }
            }
            start = line_end + 1;
        }
    }

    /// A body cut short in a part: what arrived of it is the last item.
    fn finish(&mut self, out: &mut VecDeque<Frame>) {
        // The body's end ends its last line (a closing delimiter without a line break).
        self.feed(b"\n", out);
        if self.state == MultipartState::Part {
            let rest = self.buffer.strip_suffix(b"\n").unwrap_or(&self.buffer);
            if !rest.is_empty() {
                out.push_back(part(rest));
            }
        }
        self.state = MultipartState::Closed;
    }
}

/// A part's headers (up to the first blank line) and body.
fn part(raw: &[u8]) -> Frame {
    let mut headers = HeaderMap::new();
    let mut rest = raw;
    while let Some(end) = rest.iter().position(|b| *b == b'\n') {
        let line = rest[..end].strip_suffix(b"\r").unwrap_or(&rest[..end]);
        rest = &rest[end + 1..];
        if line.is_empty() {
            break;
        }
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let name = HeaderName::from_bytes(line[..colon].trim_ascii());
        let value = HeaderValue::from_bytes(line[colon + 1..].trim_ascii());
        if let (Ok(name), Ok(value)) = (name, value) {
            headers.append(name, value);
        }
    }
    Frame {
        headers,
        body: Bytes::copy_from_slice(rest),
    }
}

/// The `boundary` parameter of a `multipart/*` media type, unquoted.
fn boundary_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
            .filter(|boundary| !boundary.is_empty())
    })
}

/// `items` written as a sequence of compact JSON values, and the media type to send with
/// them (a multipart body's names its boundary).
pub(crate) fn write<V: serde::Serialize>(
    format: SequenceFormat,
    media_type: &str,
    items: &[V],
) -> Result<(String, Vec<u8>), serde_json::Error> {
    let mut values = Vec::with_capacity(items.len());
    for item in items {
        values.push(serde_json::to_vec(item)?);
    }
    let mut body = Vec::new();
    let media_type = match format {
        SequenceFormat::JsonLines | SequenceFormat::JsonSeq | SequenceFormat::EventStream => {
            let (before, after): (&[u8], &[u8]) = match format {
                SequenceFormat::JsonLines => (b"", b"\n"),
                SequenceFormat::JsonSeq => (&[RECORD_SEPARATOR], b"\n"),
                _ => (b"data: ", b"\n\n"),
            };
            for value in &values {
                body.extend_from_slice(before);
                body.extend_from_slice(value);
                body.extend_from_slice(after);
            }
            media_type.to_owned()
        }
        SequenceFormat::Multipart => {
            let boundary = boundary_for(&values);
            for value in &values {
                body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
                body.extend_from_slice(b"Content-Type: application/json\r\n\r\n");
                body.extend_from_slice(value);
                body.extend_from_slice(b"\r\n");
            }
            body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
            format!("{media_type}; boundary={boundary}")
        }
    };
    Ok((media_type, body))
}

/// A boundary that occurs in none of the parts.
fn boundary_for(parts: &[Vec<u8>]) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    loop {
        let boundary = format!(
            "sdkgen-{:016x}-{:08x}",
            fastrand::u64(..),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let occurs = parts.iter().any(|part| {
            part.windows(boundary.len())
                .any(|window| window == boundary.as_bytes())
        });
        if !occurs {
            return boundary;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every item the splitter cuts from `body` fed in chunks of `size` bytes.
    fn split(mut splitter: Splitter, body: &[u8], size: usize) -> Vec<(HeaderMap, String)> {
        let mut out = VecDeque::new();
        for chunk in body.chunks(size) {
            splitter.feed(chunk, &mut out);
        }
        splitter.finish(&mut out);
        out.into_iter()
            .map(|frame| {
                let body = String::from_utf8(frame.body.to_vec()).expect("UTF-8");
                (frame.headers, body)
            })
            .collect()
    }

    fn bodies(items: Vec<(HeaderMap, String)>) -> Vec<String> {
        items.into_iter().map(|(_, body)| body).collect()
    }

    #[test]
    fn json_lines_are_cut_at_each_line_end_whatever_the_chunks() {
        let body = b"{\"a\":1}\r\n\n{\"a\":2}\n  \n{\"a\":3}";
        for size in 1..body.len() {
            let items = split(Splitter::delimited(b'\n'), body, size);
            assert_eq!(
                bodies(items),
                ["{\"a\":1}", "{\"a\":2}", "{\"a\":3}"],
                "chunks of {size}"
            );
        }
    }

    #[test]
    fn json_text_sequences_are_cut_at_each_record_separator() {
        // RFC 7464: each record is RS, a JSON text (which may span lines), and a LF.
        let body = b"\x1e{\n  \"a\": 1\n}\n\x1e\"two\"\n\x1e3\n";
        for size in 1..body.len() {
            let items = split(Splitter::delimited(RECORD_SEPARATOR), body, size);
            assert_eq!(bodies(items), ["{\n  \"a\": 1\n}", "\"two\"", "3"]);
        }
    }

    #[test]
    fn multipart_parts_come_with_their_headers_and_without_preamble_or_epilogue() {
        let body = b"preamble\r\n--b0\r\nContent-Type: application/json\r\nContent-ID: <1>\r\n\r\n{\"a\":1}\r\n--b0 \r\n\r\nno headers\r\n--b0\r\nContent-Type: text/plain\r\n\r\nline one\r\n--b0-not-a-delimiter\r\n--b0--\r\nepilogue";
        for size in 1..body.len() {
            let items = split(Splitter::Multipart(Multipart::new("b0")), body, size);
            let found: Vec<(Option<&str>, &str)> = items
                .iter()
                .map(|(headers, body)| {
                    let content_type = headers.get(CONTENT_TYPE).map(|v| v.to_str().unwrap());
                    (content_type, body.as_str())
                })
                .collect();
            assert_eq!(
                found,
                [
                    (Some("application/json"), "{\"a\":1}"),
                    (None, "no headers"),
                    (Some("text/plain"), "line one\r\n--b0-not-a-delimiter"),
                ],
                "chunks of {size}"
            );
            assert_eq!(items[0].0.get("content-id").unwrap(), "<1>");
        }
    }

    #[test]
    fn a_multipart_body_cut_short_keeps_what_arrived_of_its_last_part() {
        let body = b"--b\nContent-Type: application/json\n\n1\n--b\n\n2";
        let items = split(Splitter::Multipart(Multipart::new("b")), body, 3);
        assert_eq!(bodies(items), ["1", "2"]);
        // A closing delimiter needs no line break after it.
        let body = b"--b\r\n\r\n1\r\n--b--";
        let items = split(Splitter::Multipart(Multipart::new("b")), body, 2);
        assert_eq!(bodies(items), ["1"]);
    }

    #[test]
    fn the_boundary_is_read_quoted_or_not() {
        assert_eq!(
            boundary_of("multipart/mixed; boundary=\"a b\"").as_deref(),
            Some("a b")
        );
        assert_eq!(
            boundary_of("multipart/mixed;charset=x; Boundary=xyz").as_deref(),
            Some("xyz")
        );
        assert_eq!(boundary_of("multipart/mixed"), None);
        assert_eq!(boundary_of("multipart/mixed; boundary="), None);
    }

    #[test]
    fn sequences_are_written_as_their_media_types_delimit_them() {
        let items = [serde_json::json!({"a": 1}), serde_json::json!("two")];
        let written = |format| {
            let (media, body) = write(format, "x/y", &items).expect("serializes");
            (media, String::from_utf8(body).expect("UTF-8"))
        };
        assert_eq!(
            written(SequenceFormat::JsonLines),
            ("x/y".to_owned(), "{\"a\":1}\n\"two\"\n".to_owned())
        );
        assert_eq!(
            written(SequenceFormat::JsonSeq),
            (
                "x/y".to_owned(),
                "\u{1e}{\"a\":1}\n\u{1e}\"two\"\n".to_owned()
            )
        );
        assert_eq!(
            written(SequenceFormat::EventStream),
            (
                "x/y".to_owned(),
                "data: {\"a\":1}\n\ndata: \"two\"\n\n".to_owned()
            )
        );
        let (media, body) = written(SequenceFormat::Multipart);
        let boundary = boundary_of(&media).expect("a boundary");
        assert!(media.starts_with("x/y; boundary=sdkgen-"));
        let parts = split(
            Splitter::Multipart(Multipart::new(&boundary)),
            body.as_bytes(),
            7,
        );
        let found: Vec<(&str, &str)> = parts
            .iter()
            .map(|(headers, body)| (headers[CONTENT_TYPE].to_str().unwrap(), body.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("application/json", "{\"a\":1}"),
                ("application/json", "\"two\"")
            ]
        );
    }

    #[test]
    fn a_boundary_never_occurs_in_a_part() {
        let first = boundary_for(&[]);
        let second = boundary_for(&[first.clone().into_bytes()]);
        assert_ne!(first, second);
        assert!(second.starts_with("sdkgen-"));
    }
}
