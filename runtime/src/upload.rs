//! Files sent to the API: bytes in memory or a stream, with a file name and a content type.

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_core::Stream;

/// A stream of chunks that a file part reads from, once.
type ChunkStream = Pin<Box<dyn Stream<Item = Result<Bytes, std::io::Error>> + Send>>;

/// A file for a `multipart/form-data` part or a binary request body.
///
/// Bytes in memory can be sent again, so a request holding only those is retried like any
/// other; a stream is read once, so a request holding one is never retried. For example
/// `FilePart::bytes(csv).file_name("data.csv").content_type("text/csv")`.
#[derive(Clone)]
pub struct FilePart {
    data: Data,
    file_name: Option<String>,
    content_type: Option<String>,
}

#[derive(Clone)]
enum Data {
    Bytes(Bytes),
    /// Taken by the first attempt that sends it.
    Stream {
        stream: Arc<Mutex<Option<ChunkStream>>>,
        length: Option<u64>,
    },
}

impl FilePart {
    /// A file whose content is in memory.
    pub fn bytes(content: impl Into<Bytes>) -> Self {
        Self::with(Data::Bytes(content.into()))
    }

    /// A file read from a stream of chunks (from a file on disk or a download, say); give
    /// its length with [`FilePart::length`] when known, so that it is sent with a
    /// `Content-Length`.
    pub fn stream<S>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
    {
        Self::with(Data::Stream {
            stream: Arc::new(Mutex::new(Some(Box::pin(stream)))),
            length: None,
        })
    }

    fn with(data: Data) -> Self {
        FilePart {
            data,
            file_name: None,
            content_type: None,
        }
    }

    /// The file name sent with the part (many APIs need one to tell the format).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's media type, e.g. `image/png` (default: `application/octet-stream`).
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }

    /// The length of a streamed file in bytes.
    pub fn length(mut self, bytes: u64) -> Self {
        if let Data::Stream { length, .. } = &mut self.data {
            *length = Some(bytes);
        }
        self
    }

    /// The content, when it is in memory.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.data {
            Data::Bytes(bytes) => Some(bytes),
            Data::Stream { .. } => None,
        }
    }

    pub(crate) fn is_replayable(&self) -> bool {
        matches!(self.data, Data::Bytes(_))
    }

    pub(crate) fn content_type_or<'a>(&'a self, fallback: &'a str) -> &'a str {
        self.content_type.as_deref().unwrap_or(fallback)
    }

    /// The body of one attempt; fails when a stream was already sent by an earlier attempt.
    pub(crate) fn to_body(&self) -> Result<reqwest::Body, super::Error> {
        match &self.data {
            Data::Bytes(bytes) => Ok(reqwest::Body::from(bytes.clone())),
            Data::Stream { stream, .. } => {
                let taken = stream.lock().ok().and_then(|mut slot| slot.take());
                taken.map(reqwest::Body::wrap_stream).ok_or_else(|| {
                    super::Error::invalid_request(
                        "a streamed file can be sent only once; build the request again",
                    )
                })
            }
        }
    }

    /// The multipart part of one attempt.
    pub(crate) fn to_part(&self) -> Result<reqwest::multipart::Part, super::Error> {
        let body = self.to_body()?;
        let mut part = match &self.data {
            Data::Stream {
                length: Some(length),
                ..
            } => reqwest::multipart::Part::stream_with_length(body, *length),
            _ => reqwest::multipart::Part::stream(body),
        };
        if let Some(name) = &self.file_name {
            part = part.file_name(name.clone());
        }
        let media_type = self.content_type_or("application/octet-stream");
        part.mime_str(media_type).map_err(|_| {
            super::Error::invalid_request(format!("`{media_type}` is not a valid media type"))
        })
    }
}

impl fmt::Debug for FilePart {
    /// Shows the name, type and size, never the content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("FilePart");
        out.field("file_name", &self.file_name)
            .field("content_type", &self.content_type);
        match &self.data {
            Data::Bytes(bytes) => out.field("len", &bytes.len()),
            Data::Stream { length, .. } => out.field("stream_len", length),
        };
        out.finish()
    }
}

impl PartialEq for FilePart {
    /// Files in memory compare by content, name and type; streams only equal themselves.
    fn eq(&self, other: &Self) -> bool {
        let same_data = match (&self.data, &other.data) {
            (Data::Bytes(a), Data::Bytes(b)) => a == b,
            (Data::Stream { stream: a, .. }, Data::Stream { stream: b, .. }) => Arc::ptr_eq(a, b),
            _ => false,
        };
        same_data && self.file_name == other.file_name && self.content_type == other.content_type
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(content: Vec<u8>) -> Self {
        FilePart::bytes(content)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(content: &'static [u8]) -> Self {
        FilePart::bytes(content)
    }
}

impl serde::Serialize for FilePart {
    /// A file has no JSON form: a body that holds one is sent as `multipart/form-data`, where
    /// it is a file part. Encoding it as JSON fails with a message that says so.
    fn serialize<S: serde::Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom(
            "a file cannot be encoded as JSON; send it in a multipart/form-data body",
        ))
    }
}

impl<'de> serde::Deserialize<'de> for FilePart {
    /// A `format: binary` string in a JSON document: its text as the file's bytes.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(FilePart::bytes(text.into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Chunks(Vec<Bytes>);

    impl Stream for Chunks {
        type Item = Result<Bytes, std::io::Error>;

        fn poll_next(
            mut self: Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(if self.0.is_empty() {
                None
            } else {
                Some(Ok(self.0.remove(0)))
            })
        }
    }

    #[test]
    fn bytes_replay_and_streams_are_taken_once() {
        let file = FilePart::bytes(b"abc".to_vec()).file_name("a.txt");
        assert!(file.is_replayable());
        assert!(file.to_body().is_ok() && file.to_body().is_ok());
        assert_eq!(file.as_bytes(), Some(&b"abc"[..]));

        let stream = FilePart::stream(Chunks(vec![Bytes::from_static(b"x")])).length(1);
        assert!(!stream.is_replayable());
        let copy = stream.clone();
        assert!(stream.to_body().is_ok());
        assert!(matches!(
            copy.to_body(),
            Err(super::super::Error::InvalidRequest { .. })
        ));
    }

    #[test]
    fn debug_hides_content_and_json_refuses_files() {
        let file = FilePart::bytes(b"secret content".to_vec()).content_type("text/plain");
        let shown = format!("{file:?}");
        assert!(
            !shown.contains("secret") && shown.contains("len: 14"),
            "{shown}"
        );
        assert!(serde_json::to_string(&file).is_err());
        let decoded: FilePart = serde_json::from_str("\"hi\"").expect("a string");
        assert_eq!(decoded.as_bytes(), Some(&b"hi"[..]));
        assert!(file.to_part().is_ok());
        assert!(FilePart::bytes(Vec::new())
            .content_type("not a type")
            .to_part()
            .is_err());
    }
}
