//! Describing one request: method, path, query, headers, body and per-request options.

use std::fmt;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::error::Error;
use super::hooks::{Hook, Hooks};
use super::sequence::SequenceFormat;
use super::upload::FilePart;

/// Everything but the RFC 3986 unreserved characters is escaped, so a value can never change
/// the structure of a path segment or a query string.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Overrides for a single request, on top of the client's configuration.
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    /// A URL that replaces the operation's path and query: a page's `Link` to the next.
    pub(crate) link: Option<String>,
    /// Run after the client's on each attempt.
    pub(crate) hooks: Hooks,
    /// The idempotency key of this call, instead of one the client makes.
    pub(crate) idempotency_key: Option<String>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a header, replacing any header of the same name the request would otherwise send.
    ///
    /// An invalid name or value fails the request with [`Error::InvalidRequest`] before sending.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Appends a query parameter after the operation's own parameters.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// The time allowed for each attempt of this request, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends `key` as this call's idempotency key (on each of its retries), instead of one
    /// the client makes: in the header the API names, else `Idempotency-Key`.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Runs `hook` on each attempt of this request, after the client's hooks.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(hook);
        self
    }

    /// How many times this request is retried, instead of the client's setting.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Sends the request to `url` (absolute, or relative to the base URL) instead of the
    /// operation's path and query: the next page a `Link` header names. The client refuses a
    /// URL that is not under its base URL, so that credentials never go elsewhere.
    #[doc(hidden)]
    pub fn follow_link(mut self, url: String) -> Self {
        self.link = Some(url);
        self
    }
}

impl fmt::Debug for RequestOptions {
    /// Shows header names only: a header added here may carry a credential.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("header_names", &header_names)
            .field("query", &self.query)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("link", &self.link)
            .field("hooks", &self.hooks.len())
            .field("idempotency_key", &self.idempotency_key)
            .finish()
    }
}

/// How an array query parameter is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrayFormat {
    /// `a=1&a=2`
    Repeat,
    /// `a[]=1&a[]=2`
    Brackets,
    /// `a=1,2`
    Comma,
    /// `a=1%202` (`style: spaceDelimited`)
    Space,
    /// `a=1|2` (`style: pipeDelimited`)
    Pipe,
}

/// How an object query parameter is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectFormat {
    /// Each member as its own pair: `gt=1&lt=2`.
    Form,
    /// Members inside brackets: `name[gt]=1&name[lt]=2`.
    DeepObject,
}

/// How a path parameter is written (OpenAPI's `style`), beside `explode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathStyle {
    /// `value`, `a,b`, `k,v` (`k=v` exploded).
    Simple,
    /// `.value`, `.a,b` (`.a.b` exploded), `.k,v` (`.k=v` exploded).
    Label,
    /// `;name=value`, `;name=a,b` (`;name=a;name=b` exploded), `;name=k,v` (`;k=v` exploded).
    Matrix,
}

/// A request as the generated code describes it, ready for [`Client`](super::Client) to send.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct ApiRequest {
    pub(crate) method: reqwest::Method,
    pub(crate) path: String,
    /// Encoded `name=value` pairs, in order.
    pub(crate) query: Vec<String>,
    pub(crate) headers: Vec<(String, String)>,
    /// `name=value` cookies, joined into one `Cookie` header when sent.
    pub(crate) cookies: Vec<String>,
    pub(crate) body: Option<Body>,
    /// The credentials the operation accepts: any one of these sets (indices into the API's
    /// credentials); empty when it sends none.
    pub(crate) security: &'static [&'static [usize]],
    /// The OAuth 2 scopes the operation asks a token for, by credential index.
    pub(crate) scopes: &'static [(usize, &'static [&'static str])],
    pub(crate) options: RequestOptions,
    /// The operation's id and path template, for logs.
    pub(crate) operation_id: Option<&'static str>,
    pub(crate) template: Option<&'static str>,
}

/// A request body, ready to send on every attempt.
#[derive(Clone)]
pub(crate) enum Body {
    /// Serialized bytes and their media type.
    Bytes {
        content_type: String,
        bytes: bytes::Bytes,
    },
    /// A file or stream sent as the whole body.
    File {
        content_type: String,
        file: FilePart,
    },
    /// `multipart/form-data`, rebuilt for each attempt (reqwest consumes a form).
    Multipart(Vec<(String, Part)>),
}

/// One part of a multipart body.
#[derive(Clone, Debug)]
pub(crate) enum Part {
    Text(String),
    /// JSON text, sent with `Content-Type: application/json`.
    Json(String),
    File(FilePart),
}

impl Body {
    /// False when the body holds a stream, which can be read only once: no retries then.
    pub(crate) fn is_replayable(&self) -> bool {
        match self {
            Body::Bytes { .. } => true,
            Body::File { file, .. } => file.is_replayable(),
            Body::Multipart(parts) => parts.iter().all(|(_, part)| match part {
                Part::Text(_) | Part::Json(_) => true,
                Part::File(file) => file.is_replayable(),
            }),
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Bytes {
                content_type,
                bytes,
            } => f
                .debug_struct("Body")
                .field("content_type", content_type)
                .field("len", &bytes.len())
                .finish(),
            Body::File { content_type, file } => f
                .debug_struct("Body")
                .field("content_type", content_type)
                .field("file", file)
                .finish(),
            Body::Multipart(parts) => {
                let names: Vec<&str> = parts.iter().map(|(name, _)| name.as_str()).collect();
                f.debug_struct("Multipart").field("parts", &names).finish()
            }
        }
    }
}

impl ApiRequest {
    /// A request for `path`, which must already be encoded and start with `/`; it is appended
    /// to the client's base URL.
    pub fn new(method: reqwest::Method, path: String) -> Self {
        ApiRequest {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            security: &[],
            scopes: &[],
            options: RequestOptions::default(),
            operation_id: None,
            template: None,
        }
    }

    /// Names the operation (its `operationId`) and its path template
    /// (`/things/{thing_id}`), which logs show instead of the path.
    pub fn operation(&mut self, id: &'static str, template: &'static str) {
        self.operation_id = Some(id);
        self.template = Some(template);
    }

    /// The credentials the operation accepts (see [`ApiRequest::security`]'s field docs).
    pub fn security(&mut self, alternatives: &'static [&'static [usize]]) {
        self.security = alternatives;
    }

    /// The OAuth 2 scopes the operation needs, for each client-credentials credential it
    /// accepts (by index); a token is fetched for exactly these.
    pub fn scopes(&mut self, scopes: &'static [(usize, &'static [&'static str])]) {
        self.scopes = scopes;
    }

    /// The scopes a token for the credential at `index` is asked for.
    pub(crate) fn scopes_for(&self, index: usize) -> &'static [&'static str] {
        self.scopes
            .iter()
            .find(|(credential, _)| *credential == index)
            .map_or(&[], |(_, scopes)| scopes)
    }

    /// Adds one query parameter.
    pub fn query(&mut self, name: &str, value: impl fmt::Display) {
        self.query.push(pair(name, &value.to_string()));
    }

    /// Adds an array query parameter in the given format; an empty array adds nothing.
    pub fn query_array<I, V>(&mut self, name: &str, values: I, format: ArrayFormat)
    where
        I: IntoIterator<Item = V>,
        V: fmt::Display,
    {
        let values = values.into_iter().map(|value| value.to_string());
        match format {
            ArrayFormat::Repeat => {
                self.query.extend(values.map(|value| pair(name, &value)));
            }
            ArrayFormat::Brackets => {
                let name = format!("{name}[]");
                self.query.extend(values.map(|value| pair(&name, &value)));
            }
            ArrayFormat::Comma | ArrayFormat::Space | ArrayFormat::Pipe => {
                // The separators stay literal; commas and pipes inside a value are escaped (a
                // space cannot be told from the separator: that is `spaceDelimited`).
                let separator = match format {
                    ArrayFormat::Comma => ",",
                    ArrayFormat::Space => "%20",
                    _ => "|",
                };
                let joined = values
                    .map(|value| encode(&value))
                    .collect::<Vec<_>>()
                    .join(separator);
                if !joined.is_empty() {
                    self.query.push(format!("{}={joined}", encode(name)));
                }
            }
        }
    }

    /// Adds an object query parameter; members that are `null` are left out, nested objects
    /// and arrays are written with brackets and repeated names, members in the order of their
    /// names.
    pub fn query_object<V: serde::Serialize>(
        &mut self,
        name: &str,
        value: &V,
        format: ObjectFormat,
    ) -> Result<(), Error> {
        for (key, member) in object_members(value)? {
            let key = match format {
                ObjectFormat::Form => key,
                ObjectFormat::DeepObject => format!("{name}[{key}]"),
            };
            form_pairs(&key, &member, &mut self.query);
        }
        Ok(())
    }

    /// Adds a query parameter of a type without a text form of its own (a union, a free-form
    /// value): a scalar as its text, an array as repeated pairs, an object as
    /// `name[key]=value`, `null` as nothing.
    pub fn query_serialized<V: serde::Serialize>(
        &mut self,
        name: &str,
        value: &V,
    ) -> Result<(), Error> {
        form_pairs(name, &to_json(name, value)?, &mut self.query);
        Ok(())
    }

    /// Adds a header of a type without a text form of its own: a scalar as its text, an array
    /// of scalars as `a,b`.
    pub fn header_serialized<V: serde::Serialize>(
        &mut self,
        name: &str,
        value: &V,
    ) -> Result<(), Error> {
        let text = list_text(name, value)?;
        self.headers.push((name.to_owned(), text));
        Ok(())
    }

    /// Adds a cookie, sent as `name=value` in the `Cookie` header (after any cookie
    /// credential).
    pub fn cookie(&mut self, name: &str, value: impl fmt::Display) {
        self.cookies.push(format!("{name}={value}"));
    }

    /// Adds a cookie of a type without a text form of its own: a scalar as its text, an array
    /// of scalars as `a,b`.
    pub fn cookie_serialized<V: serde::Serialize>(
        &mut self,
        name: &str,
        value: &V,
    ) -> Result<(), Error> {
        let text = list_text(name, value)?;
        self.cookie(name, text);
        Ok(())
    }

    /// Adds a header whose value is a list, written `a,b` (OpenAPI's `simple` style).
    pub fn header_list<I, V>(&mut self, name: &str, values: I)
    where
        I: IntoIterator<Item = V>,
        V: fmt::Display,
    {
        let joined = values
            .into_iter()
            .map(|value| value.to_string())
            .collect::<Vec<_>>()
            .join(",");
        self.headers.push((name.to_owned(), joined));
    }

    /// Sets the whole query string to `text`, percent-encoded (3.2's `in: querystring`
    /// parameter written as JSON or text).
    pub fn whole_query(&mut self, text: &str) {
        self.query
            .push(utf8_percent_encode(text, COMPONENT).to_string());
    }

    /// Adds a header, replacing a client-wide header of the same name.
    pub fn header(&mut self, name: &str, value: impl fmt::Display) {
        self.headers.push((name.to_owned(), value.to_string()));
    }

    /// Sets a compact JSON body, sent with `Content-Type: application/json`.
    pub fn json_body<B: serde::Serialize>(&mut self, body: &B) -> Result<(), Error> {
        self.json_body_as("application/json", body)
    }

    /// Sets a compact JSON body sent as another JSON media type
    /// (`application/merge-patch+json`, `application/vnd.api+json`, ...).
    pub fn json_body_as<B: serde::Serialize>(
        &mut self,
        content_type: &str,
        body: &B,
    ) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|error| {
            Error::invalid_request(format!("could not serialize the request body: {error}"))
        })?;
        self.body = Some(Body::Bytes {
            content_type: content_type.to_owned(),
            bytes: bytes.into(),
        });
        Ok(())
    }

    /// Sets a body of `items`, written as the sequential media type `content_type` is
    /// (JSON Lines, a JSON text sequence, JSON parts of `multipart/mixed`, server-sent
    /// events).
    pub fn sequence_body<V: serde::Serialize>(
        &mut self,
        content_type: &str,
        format: SequenceFormat,
        items: &[V],
    ) -> Result<(), Error> {
        let (content_type, bytes) =
            super::sequence::write(format, content_type, items).map_err(|error| {
                Error::invalid_request(format!("could not serialize the request body: {error}"))
            })?;
        self.body = Some(Body::Bytes {
            content_type,
            bytes: bytes.into(),
        });
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body from an object: scalars as
    /// `name=value`, arrays as one pair per item, nested objects as `name[key]=value`, members
    /// in the order of their names (the value passes through a JSON object).
    pub fn form_body<B: serde::Serialize>(&mut self, body: &B) -> Result<(), Error> {
        let mut pairs = Vec::new();
        for (name, value) in object_members(body)? {
            form_pairs(&name, &value, &mut pairs);
        }
        self.body = Some(Body::Bytes {
            content_type: "application/x-www-form-urlencoded".to_owned(),
            bytes: pairs.join("&").into_bytes().into(),
        });
        Ok(())
    }

    /// Sets a text body with the given media type.
    pub fn text_body(&mut self, content_type: &str, text: &str) {
        self.body = Some(Body::Bytes {
            content_type: content_type.to_owned(),
            bytes: bytes::Bytes::copy_from_slice(text.as_bytes()),
        });
    }

    /// Sends a file (bytes or a stream) as the whole body; its own content type wins over
    /// the operation's.
    pub fn file_body(&mut self, content_type: &str, file: &FilePart) {
        self.body = Some(Body::File {
            content_type: file.content_type_or(content_type).to_owned(),
            file: file.clone(),
        });
    }

    /// Starts a `multipart/form-data` body with no parts yet, so that one is sent even when
    /// every member is left out.
    pub fn multipart_body(&mut self) {
        self.parts();
    }

    /// Adds a text part to a `multipart/form-data` body.
    pub fn text_part(&mut self, name: &str, value: impl fmt::Display) {
        self.parts()
            .push((name.to_owned(), Part::Text(value.to_string())));
    }

    /// Adds a part for a value without a text form of its own (objects, unions, free-form
    /// values): a string or number as its text (a union's `"auto"` is `auto`), anything
    /// else as JSON text with `Content-Type: application/json`.
    pub fn json_part<V: serde::Serialize>(&mut self, name: &str, value: &V) -> Result<(), Error> {
        let value = serde_json::to_value(value).map_err(|error| {
            Error::invalid_request(format!("could not serialize the part `{name}`: {error}"))
        })?;
        let part = match value {
            serde_json::Value::String(text) => Part::Text(text),
            serde_json::Value::Number(_) | serde_json::Value::Bool(_) => {
                Part::Text(value.to_string())
            }
            other => Part::Json(other.to_string()),
        };
        self.parts().push((name.to_owned(), part));
        Ok(())
    }

    /// Adds a file part to a `multipart/form-data` body.
    pub fn file_part(&mut self, name: &str, file: &FilePart) {
        self.parts()
            .push((name.to_owned(), Part::File(file.clone())));
    }

    /// The parts of the multipart body, starting one if the request has none.
    fn parts(&mut self) -> &mut Vec<(String, Part)> {
        if !matches!(self.body, Some(Body::Multipart(_))) {
            self.body = Some(Body::Multipart(Vec::new()));
        }
        match &mut self.body {
            Some(Body::Multipart(parts)) => parts,
            _ => unreachable!("the body was just made multipart"),
        }
    }

    /// Applies per-request overrides, replacing any applied before.
    pub fn options(&mut self, options: RequestOptions) {
        self.options = options;
    }

    /// The query string: the operation's parameters, then those from the options.
    pub(crate) fn query_string(&self) -> String {
        let extra = self
            .options
            .query
            .iter()
            .map(|(name, value)| pair(name, value));
        self.query
            .iter()
            .cloned()
            .chain(extra)
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// The members of a value that serializes as a JSON object.
fn object_members<B: serde::Serialize>(
    body: &B,
) -> Result<serde_json::Map<String, serde_json::Value>, Error> {
    match serde_json::to_value(body) {
        Ok(serde_json::Value::Object(members)) => Ok(members),
        Ok(_) => Err(Error::invalid_request("the value must be an object")),
        Err(error) => Err(Error::invalid_request(format!(
            "could not serialize the request body: {error}"
        ))),
    }
}

fn form_pairs(name: &str, value: &serde_json::Value, pairs: &mut Vec<String>) {
    use serde_json::Value;
    match value {
        Value::Null => {}
        Value::String(text) => pairs.push(pair(name, text)),
        Value::Array(items) => items.iter().for_each(|item| form_pairs(name, item, pairs)),
        Value::Object(members) => {
            for (key, member) in members {
                form_pairs(&format!("{name}[{key}]"), member, pairs);
            }
        }
        other => pairs.push(pair(name, &other.to_string())),
    }
}

/// The HTTP method named `name` (`QUERY`, `PURGE`, ...: one the description declares beyond
/// the usual ones), as written.
#[doc(hidden)]
pub fn custom_method(name: &str) -> Result<reqwest::Method, Error> {
    reqwest::Method::from_bytes(name.as_bytes())
        .map_err(|_| Error::invalid_request(format!("`{name}` is not an HTTP method")))
}

/// Percent-encodes one path segment, refusing values that would change the path's meaning.
///
/// An empty value, `.` or `..` would address another resource once the URL is normalized, so
/// they fail with [`Error::InvalidRequest`] naming the parameter.
#[doc(hidden)]
pub fn path_param(name: &str, value: &str) -> Result<String, Error> {
    whole_segment(name, encode(value))
}

/// An encoded path segment that stays one: not empty, `.` or `..` (which would remove or
/// climb a segment of the path).
fn whole_segment(name: &str, encoded: String) -> Result<String, Error> {
    if matches!(encoded.as_str(), "" | "." | "..") {
        let shown = if encoded.is_empty() {
            "empty".to_owned()
        } else {
            format!("`{encoded}`")
        };
        return Err(Error::invalid_request(format!(
            "path parameter `{name}` must not be {shown}"
        )));
    }
    Ok(encoded)
}

/// A path parameter in OpenAPI's `simple`, `label` or `matrix` style: a scalar, an array
/// or an object, written as the [`PathStyle`] says, every name and value percent-encoded.
pub fn path_styled<V: serde::Serialize>(
    name: &str,
    value: &V,
    style: PathStyle,
    exploded: bool,
) -> Result<String, Error> {
    let pieces = style_pieces(name, &to_json(name, value)?, encode)?;
    let encoded_name = encode(name);
    Ok(match style {
        PathStyle::Simple => whole_segment(name, simple_list(&pieces, exploded))?,
        PathStyle::Label if exploded => format!(".{}", joined(&pieces, "=", ".")),
        PathStyle::Label => format!(".{}", simple_list(&pieces, false)),
        PathStyle::Matrix if exploded => pieces
            .iter()
            .map(|piece| match piece {
                (Some(_), _) => format!(";{}", keyed(piece, "=")),
                (None, value) => format!(";{encoded_name}={value}"),
            })
            .collect(),
        PathStyle::Matrix => format!(";{encoded_name}={}", simple_list(&pieces, false)),
    })
}

/// A parameter in OpenAPI's `simple` style (headers, and queries' non-exploded `form`): a
/// scalar as its text, an array as `a,b`, an object as `k,v,k2,v2`, or `k=v,k2=v2` when
/// `exploded`.
pub fn simple_text<V: serde::Serialize>(
    name: &str,
    value: &V,
    exploded: bool,
) -> Result<String, Error> {
    let pieces = style_pieces(name, &to_json(name, value)?, str::to_owned)?;
    Ok(simple_list(&pieces, exploded))
}

/// A value in the pieces the styles write, each through `write` (percent-encoding, in a
/// path): an array's items, an object's members as (name, value) in the order of their
/// names with `null` ones left out, or the scalar itself; nested values as JSON text.
fn style_pieces(
    name: &str,
    value: &serde_json::Value,
    write: impl Fn(&str) -> String,
) -> Result<Vec<(Option<String>, String)>, Error> {
    use serde_json::Value;
    let text = |value: &Value| match value {
        Value::Array(_) | Value::Object(_) => write(&value.to_string()),
        other => write(&scalar_text(name, other).unwrap_or_default()),
    };
    Ok(match value {
        Value::Array(items) => items.iter().map(|item| (None, text(item))).collect(),
        Value::Object(members) => members
            .iter()
            .filter(|(_, member)| !member.is_null())
            .map(|(key, member)| (Some(write(key)), text(member)))
            .collect(),
        other => vec![(None, write(&scalar_text(name, other)?))],
    })
}

/// A piece as `value`, or `name<pair>value` for an object's member.
fn keyed((key, value): &(Option<String>, String), pair: &str) -> String {
    match key {
        Some(key) => format!("{key}{pair}{value}"),
        None => value.clone(),
    }
}

fn joined(pieces: &[(Option<String>, String)], pair: &str, separator: &str) -> String {
    pieces
        .iter()
        .map(|piece| keyed(piece, pair))
        .collect::<Vec<_>>()
        .join(separator)
}

/// The `simple` style's list: `a,b`, an object's members `k,v,k2,v2`, or `k=v,k2=v2`
/// exploded.
fn simple_list(pieces: &[(Option<String>, String)], exploded: bool) -> String {
    joined(pieces, if exploded { "=" } else { "," }, ",")
}

/// A parameter described by JSON `content`: its value as compact JSON text.
pub fn json_text<V: serde::Serialize>(name: &str, value: &V) -> Result<String, Error> {
    Ok(to_json(name, value)?.to_string())
}

/// The text of a scalar, or of an array of scalars as `a,b`.
fn list_text<V: serde::Serialize>(name: &str, value: &V) -> Result<String, Error> {
    Ok(match to_json(name, value)? {
        serde_json::Value::Array(items) => items
            .iter()
            .map(|item| scalar_text(name, item))
            .collect::<Result<Vec<_>, _>>()?
            .join(","),
        other => scalar_text(name, &other)?,
    })
}

fn to_json<V: serde::Serialize>(name: &str, value: &V) -> Result<serde_json::Value, Error> {
    serde_json::to_value(value).map_err(|error| {
        Error::invalid_request(format!("could not serialize parameter `{name}`: {error}"))
    })
}

/// The text of a string, number or boolean; anything else has none.
fn scalar_text(name: &str, value: &serde_json::Value) -> Result<String, Error> {
    use serde_json::Value;
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Number(_) | Value::Bool(_) => Ok(value.to_string()),
        other => Err(Error::invalid_request(format!(
            "parameter `{name}` must be a string, number or boolean, not `{other}`"
        ))),
    }
}

/// Percent-encodes everything but ASCII letters, digits and `-._~` (a query or form value).
pub(crate) fn encode(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

pub(crate) fn pair(name: &str, value: &str) -> String {
    format!("{}={}", encode(name), encode(value))
}

#[cfg(test)]
mod tests {
    #[test]
    fn simple_style_and_json_text() {
        use super::{json_text, simple_text};
        let value = serde_json::json!({"role": "admin", "first": "Alex", "gone": null, "n": 5});
        assert_eq!(
            simple_text("p", &value, false).ok().as_deref(),
            Some("first,Alex,n,5,role,admin")
        );
        assert_eq!(
            simple_text("p", &value, true).ok().as_deref(),
            Some("first=Alex,n=5,role=admin")
        );
        assert_eq!(
            simple_text("p", &serde_json::json!([3, "a", true]), false)
                .ok()
                .as_deref(),
            Some("3,a,true")
        );
        assert_eq!(
            json_text("p", &serde_json::json!({"a": [1, null]}))
                .ok()
                .as_deref(),
            Some(r#"{"a":[1,null]}"#)
        );
    }

    use super::*;

    fn query_of(build: impl FnOnce(&mut ApiRequest)) -> String {
        let mut request = ApiRequest::new(reqwest::Method::GET, "/things".to_owned());
        build(&mut request);
        request.query_string()
    }

    #[test]
    fn writes_path_parameters_in_each_style() {
        use super::{path_styled, PathStyle};
        use serde_json::json;
        let id = json!(5);
        let list = json!(["a b", 4]);
        let object = json!({"role": "admin", "first": "Alex", "none": null});
        let cases = [
            (&id, PathStyle::Simple, false, "5"),
            (&list, PathStyle::Simple, false, "a%20b,4"),
            (&object, PathStyle::Simple, false, "first,Alex,role,admin"),
            (&object, PathStyle::Simple, true, "first=Alex,role=admin"),
            (&id, PathStyle::Label, false, ".5"),
            (&list, PathStyle::Label, false, ".a%20b,4"),
            (&list, PathStyle::Label, true, ".a%20b.4"),
            (&object, PathStyle::Label, false, ".first,Alex,role,admin"),
            (&object, PathStyle::Label, true, ".first=Alex.role=admin"),
            (&id, PathStyle::Matrix, false, ";id=5"),
            (&list, PathStyle::Matrix, false, ";id=a%20b,4"),
            (&list, PathStyle::Matrix, true, ";id=a%20b;id=4"),
            (
                &object,
                PathStyle::Matrix,
                false,
                ";id=first,Alex,role,admin",
            ),
            (&object, PathStyle::Matrix, true, ";first=Alex;role=admin"),
        ];
        for (value, style, exploded, expected) in cases {
            assert_eq!(
                path_styled("id", value, style, exploded).ok().as_deref(),
                Some(expected),
                "{value} {style:?} exploded: {exploded}"
            );
        }
        let empty = path_styled("id", &json!([]), PathStyle::Simple, false);
        assert!(empty.is_err_and(|error| error.to_string().contains("must not be empty")));
    }

    #[test]
    fn encodes_path_segments() {
        assert_eq!(
            path_param("id", "cert_abc").ok().as_deref(),
            Some("cert_abc")
        );
        assert_eq!(
            path_param("id", "a/b?c#d%e f").ok().as_deref(),
            Some("a%2Fb%3Fc%23d%25e%20f")
        );
        assert_eq!(path_param("id", "é").ok().as_deref(), Some("%C3%A9"));
        assert_eq!(path_param("id", "...").ok().as_deref(), Some("..."));
        assert_eq!(
            path_param("id", "a.b~c-d_e").ok().as_deref(),
            Some("a.b~c-d_e")
        );
    }

    #[test]
    fn refuses_empty_and_dot_segments_naming_the_parameter() {
        for value in ["", ".", ".."] {
            match path_param("certificate_id", value) {
                Err(Error::InvalidRequest { message }) => {
                    assert!(message.contains("`certificate_id`"), "{message}");
                }
                other => panic!("{value:?} was not refused: {other:?}"),
            }
        }
    }

    #[test]
    fn encodes_scalar_query_parameters() {
        let query = query_of(|request| {
            request.query("limit", 500);
            request.query("after", "a b&c=d");
            request.query("flag", true);
        });
        assert_eq!(query, "limit=500&after=a%20b%26c%3Dd&flag=true");
    }

    #[test]
    fn encodes_arrays_in_each_format() {
        let values = ["content", "x,y"];
        assert_eq!(
            query_of(|r| r.query_array("include", values, ArrayFormat::Brackets)),
            "include%5B%5D=content&include%5B%5D=x%2Cy"
        );
        assert_eq!(
            query_of(|r| r.query_array("include", values, ArrayFormat::Repeat)),
            "include=content&include=x%2Cy"
        );
        assert_eq!(
            query_of(|r| r.query_array("include", values, ArrayFormat::Comma)),
            "include=content,x%2Cy"
        );
    }

    #[test]
    fn encodes_object_query_parameters_in_both_styles() {
        let value = serde_json::json!({"gt": 1, "tags": ["a", "b"], "none": null});
        assert_eq!(
            query_of(|r| r
                .query_object("at", &value, ObjectFormat::DeepObject)
                .expect("an object")),
            "at%5Bgt%5D=1&at%5Btags%5D=a&at%5Btags%5D=b"
        );
        assert_eq!(
            query_of(|r| r
                .query_object("at", &value, ObjectFormat::Form)
                .expect("an object")),
            "gt=1&tags=a&tags=b"
        );
    }

    #[test]
    fn an_empty_array_sends_nothing() {
        for format in [
            ArrayFormat::Repeat,
            ArrayFormat::Brackets,
            ArrayFormat::Comma,
        ] {
            assert_eq!(
                query_of(|r| r.query_array("a", Vec::<u8>::new(), format)),
                ""
            );
        }
    }

    #[test]
    fn appends_option_query_parameters_last() {
        let query = query_of(|request| {
            request.query("limit", 1);
            request.options(RequestOptions::new().query("extra", "1 2"));
        });
        assert_eq!(query, "limit=1&extra=1%202");
    }

    #[test]
    fn serializes_compact_json() {
        let mut request = ApiRequest::new(reqwest::Method::POST, "/things".to_owned());
        request
            .json_body(&serde_json::json!({"name": "My cert", "n": 1}))
            .expect("serializable");
        match request.body.as_ref().expect("a body") {
            Body::Bytes {
                content_type,
                bytes,
            } => {
                assert_eq!(content_type, "application/json");
                assert_eq!(&bytes[..], br#"{"n":1,"name":"My cert"}"#);
            }
            other => panic!("not a JSON body: {other:?}"),
        }
    }

    #[test]
    fn encodes_form_bodies_with_arrays_and_nested_objects() {
        let mut request = ApiRequest::new(reqwest::Method::POST, "/things".to_owned());
        request
            .form_body(&serde_json::json!({
                "name": "a b&c", "n": 2, "on": true, "skip": null,
                "tags": ["x", "y"], "meta": {"k": "v"}
            }))
            .expect("an object");
        match request.body.as_ref().expect("a body") {
            Body::Bytes {
                content_type,
                bytes,
            } => {
                assert_eq!(content_type, "application/x-www-form-urlencoded");
                assert_eq!(
                    std::str::from_utf8(bytes).ok(),
                    Some("meta%5Bk%5D=v&n=2&name=a%20b%26c&on=true&tags=x&tags=y")
                );
            }
            other => panic!("not a form body: {other:?}"),
        }
        assert!(matches!(
            request.form_body(&[1, 2]),
            Err(Error::InvalidRequest { .. })
        ));
    }

    #[test]
    fn refuses_a_body_that_cannot_be_serialized() {
        let mut map = std::collections::HashMap::new();
        map.insert((1, 2), "tuple keys are not JSON");
        let mut request = ApiRequest::new(reqwest::Method::POST, "/things".to_owned());
        assert!(matches!(
            request.json_body(&map),
            Err(Error::InvalidRequest { .. })
        ));
    }

    #[test]
    fn options_debug_hides_header_values() {
        let options = RequestOptions::new()
            .header("Authorization", "Bearer sk-secret")
            .max_retries(0);
        let shown = format!("{options:?}");
        assert!(
            shown.contains("Authorization") && !shown.contains("sk-secret"),
            "{shown}"
        );
    }
}
