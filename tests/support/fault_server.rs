//! A scripted, fault-injecting HTTP/1.1 server on 127.0.0.1 for the runtime tests.
//!
//! Each request that arrives takes the next [`Action`] of the script, in arrival order; every
//! request is recorded (raw head, parsed request line, headers, body, arrival time) before it is
//! answered. Every answer closes its connection, so each attempt of the client is a new
//! connection and nothing depends on connection reuse. A request that arrives after the script
//! is exhausted gets a 418 whose body says so, which no test expects.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Action {
    /// Answer with a complete response.
    Respond(Reply),
    /// Answer with a complete response after this long (a slow server).
    Delay(Duration, Reply),
    /// Read the request, then send nothing for this long before closing the connection.
    Stall(Duration),
    /// Send the head and the first `sent` bytes of the body, then stall for `stall` and close.
    StallBody {
        reply: Reply,
        sent: usize,
        stall: Duration,
    },
    /// Read the request, then close the connection without answering (RST, zero linger).
    Reset,
    /// Send the head announcing the whole body, then only its first `sent` bytes, and close.
    CutBody { reply: Reply, sent: usize },
}

/// A complete HTTP response.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// A response with `status`, no headers and an empty body.
    pub fn status(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A JSON response (`content-type: application/json`).
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Reply::status(status)
            .header("content-type", "application/json")
            .body(body)
    }

    /// An HTML response, like the error pages of proxies and load balancers.
    pub fn html(status: u16, body: impl Into<String>) -> Self {
        Reply::status(status)
            .header("content-type", "text/html; charset=utf-8")
            .body(body)
    }

    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = body.into().into_bytes();
        self
    }

    /// The response as one action.
    pub fn into_action(self) -> Action {
        Action::Respond(self)
    }

    fn head(&self) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\ncontent-length: {}\r\nconnection: close\r\n",
            self.status,
            reason(self.status),
            self.body.len()
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        head.into_bytes()
    }
}

impl From<Reply> for Action {
    fn from(reply: Reply) -> Self {
        Action::Respond(reply)
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        418 => "I'm a teapot",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

/// A request as it arrived on the wire.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// When the whole head had arrived.
    pub at: Instant,
    /// The head exactly as received, without the final blank line.
    pub raw_head: String,
    pub method: String,
    /// The request target: path and query, still percent-encoded.
    pub target: String,
    /// Header names lower-cased, values trimmed, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// How many headers are called `name`.
    pub fn header_count(&self, name: &str) -> usize {
        self.headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .count()
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(&self.target, |(path, _)| path)
    }

    /// The raw query string, `""` when there is none.
    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, query)| query)
    }
}

struct Shared {
    script: VecDeque<Action>,
    log: Vec<Recorded>,
}

/// A running fault server; dropping it stops accepting (connections in flight end with the
/// test's runtime).
pub struct FaultServer {
    base_url: String,
    shared: Arc<Mutex<Shared>>,
    accept_task: tokio::task::JoinHandle<()>,
}

impl FaultServer {
    /// Starts a server that plays `script`, one action per request, in arrival order.
    pub async fn start(script: impl IntoIterator<Item = Action>) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let address = listener.local_addr().expect("local address");
        let shared = Arc::new(Mutex::new(Shared {
            script: script.into_iter().collect(),
            log: Vec::new(),
        }));
        let accept_shared = Arc::clone(&shared);
        let accept_task = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(serve_connection(socket, Arc::clone(&accept_shared)));
            }
        });
        FaultServer {
            base_url: format!("http://{address}/v1"),
            shared,
            accept_task,
        }
    }

    /// `http://127.0.0.1:PORT/v1`, the base URL to give the client.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.lock().expect("fault server lock").log.clone()
    }

    /// How many scripted actions have not been used.
    pub fn remaining(&self) -> usize {
        self.shared.lock().expect("fault server lock").script.len()
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.accept_task.abort();
    }
}

/// A `http://127.0.0.1:PORT/v1` base URL where nothing listens (connections are refused).
pub async fn closed_port_base_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{address}/v1")
}

/// The gaps between the arrivals of consecutive requests.
pub fn gaps(requests: &[Recorded]) -> Vec<Duration> {
    requests
        .windows(2)
        .map(|pair| pair[1].at.duration_since(pair[0].at))
        .collect()
}

async fn serve_connection(mut socket: TcpStream, shared: Arc<Mutex<Shared>>) {
    let Some(request) = read_request(&mut socket).await else {
        return;
    };
    let action = {
        let mut shared = shared.lock().expect("fault server lock");
        shared.log.push(request);
        shared.script.pop_front()
    };
    let action = action.unwrap_or_else(|| {
        Reply::json(
            418,
            r#"{"error":{"message":"fault server: no scripted reply left"}}"#,
        )
        .into_action()
    });
    match action {
        Action::Respond(reply) => respond(&mut socket, &reply).await,
        Action::Delay(duration, reply) => {
            tokio::time::sleep(duration).await;
            respond(&mut socket, &reply).await;
        }
        Action::Stall(duration) => {
            tokio::time::sleep(duration).await;
        }
        Action::StallBody { reply, sent, stall } => {
            let mut bytes = reply.head();
            bytes.extend_from_slice(&reply.body[..sent.min(reply.body.len())]);
            let _ = socket.write_all(&bytes).await;
            let _ = socket.flush().await;
            tokio::time::sleep(stall).await;
        }
        Action::Reset => {
            let _ = socket.set_zero_linger();
            drop(socket);
        }
        Action::CutBody { reply, sent } => {
            let mut bytes = reply.head();
            bytes.extend_from_slice(&reply.body[..sent.min(reply.body.len())]);
            let _ = socket.write_all(&bytes).await;
            let _ = socket.shutdown().await;
        }
    }
}

/// Sends the whole of `reply` and closes the connection.
async fn respond(socket: &mut TcpStream, reply: &Reply) {
    let mut bytes = reply.head();
    bytes.extend_from_slice(&reply.body);
    let _ = socket.write_all(&bytes).await;
    let _ = socket.shutdown().await;
}

/// Reads one request (head, then a `content-length` or chunked body); `None` if the peer
/// went away.
async fn read_request(socket: &mut TcpStream) -> Option<Recorded> {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break end;
        }
        let mut chunk = [0u8; 4096];
        let read = socket.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let at = Instant::now();
    let raw_head = String::from_utf8(buffer[..head_end].to_vec()).ok()?;
    let mut lines = raw_head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let header = |wanted: &str| {
        headers
            .iter()
            .find(|(name, _)| name == wanted)
            .map(|(_, value)| value.as_str())
    };
    let mut body = buffer[head_end + 4..].to_vec();
    if header("transfer-encoding").is_some_and(|value| value.eq_ignore_ascii_case("chunked")) {
        body = read_chunked(socket, body).await?;
    } else {
        let length = header("content-length")
            .and_then(|value| value.parse::<usize>().ok())
            .unwrap_or(0);
        while body.len() < length {
            let mut chunk = [0u8; 4096];
            let read = socket.read(&mut chunk).await.ok()?;
            if read == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..read]);
        }
    }
    Some(Recorded {
        at,
        raw_head,
        method,
        target,
        headers,
        body,
    })
}

/// Reads a chunked body (a streamed upload), starting with what already arrived, and
/// returns it decoded; `None` if the peer went away before the last chunk.
async fn read_chunked(socket: &mut TcpStream, mut raw: Vec<u8>) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    let mut at = 0;
    loop {
        // Each chunk: its size in hex, CRLF, the data, CRLF; a zero size ends the body.
        let Some(line_end) = raw[at..].windows(2).position(|w| w == b"\r\n") else {
            let mut chunk = [0u8; 4096];
            let read = socket.read(&mut chunk).await.ok()?;
            if read == 0 {
                return None;
            }
            raw.extend_from_slice(&chunk[..read]);
            continue;
        };
        let size_text = std::str::from_utf8(&raw[at..at + line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        let data_start = at + line_end + 2;
        while raw.len() < data_start + size + 2 {
            let mut chunk = [0u8; 4096];
            let read = socket.read(&mut chunk).await.ok()?;
            if read == 0 {
                return None;
            }
            raw.extend_from_slice(&chunk[..read]);
        }
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(&raw[data_start..data_start + size]);
        at = data_start + size + 2;
    }
}
