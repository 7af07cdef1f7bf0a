//! The generated client's overhead: requests per second for `retrieve` and `list` against a
//! loopback server, beside the same requests made by hand with reqwest + serde_json in the
//! same run; allocations per call; and the peak memory of auto-pagination over 10,000 items.
//!
//! ```text
//! cargo bench --bench client          # or: bash bench/run.sh (everything)
//! ```
//!
//! The server is this same binary started again as a child process (`BENCH_CLIENT_SERVER`),
//! so that its allocations and its CPU time are not counted with the client's. It answers
//! fixed bodies, so both clients do exactly the same work on the wire.
//!
//! - Criterion measures each of the four calls (`client/retrieve/generated`, ...).
//! - For the table, the ratio is measured again in paired rounds that alternate the generated
//!   and the hand-written client (each round: a burst of one, then a burst of the other), so
//!   that the noise of a shared machine falls on both alike; the medians of the rounds give
//!   requests per second.
//! - A counting global allocator gives allocations per call and the peak of live bytes.
//!
//! With `BENCH_REPORT_DIR` set, the rows of the table go to `$BENCH_REPORT_DIR/20-client.md`.
//! Speed is never asserted: these numbers are for reading.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use futures::TryStreamExt;
use openai_admin_certificates::Client;

// ---- counting allocator ------------------------------------------------------------------

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            grew(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            grew(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Starts a peak measurement: the peak is reset to what is live now, which is returned.
fn reset_peak() -> usize {
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    live
}

// ---- the loopback server (child process) -------------------------------------------------

const KEY: &str = "sk-admin-bench";
/// Items behind the paginated list.
const TOTAL_ITEMS: usize = 10_000;
/// Items per page in the `list` throughput measurement (the API's default).
const LIST_LIMIT: usize = 20;
/// Items per page when streaming everything (the API's maximum).
const PAGE_LIMIT: usize = 100;

mod server {
    use std::net::Ipv4Addr;

    use axum::body::Body;
    use axum::http::{header, Request, Response, StatusCode};

    use super::{KEY, TOTAL_ITEMS};

    fn item(n: usize) -> serde_json::Value {
        serde_json::json!({
            "object": "organization.certificate",
            "id": format!("cert_{n:05}"),
            "name": format!("Certificate {n}"),
            "active": n % 2 == 0,
            "created_at": 1_700_000_000 + n,
            "certificate_details": {"valid_at": 1_700_000_000, "expires_at": 1_800_000_000},
        })
    }

    /// A page of `limit` items after the item called `after` (ids `cert_00000`, ...).
    fn page(after: Option<&str>, limit: usize) -> Vec<u8> {
        let start = after
            .and_then(|id| id.strip_prefix("cert_")?.parse::<usize>().ok())
            .map_or(0, |n| n + 1);
        let end = (start + limit).min(TOTAL_ITEMS);
        let data: Vec<serde_json::Value> = (start..end).map(item).collect();
        let id = |n: usize| serde_json::Value::String(format!("cert_{n:05}"));
        serde_json::to_vec(&serde_json::json!({
            "object": "list",
            "data": data,
            "first_id": if start < end { id(start) } else { serde_json::Value::Null },
            "last_id": if start < end { id(end - 1) } else { serde_json::Value::Null },
            "has_more": end < TOTAL_ITEMS,
        }))
        .expect("encode a page")
    }

    fn certificate() -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "object": "certificate",
            "id": "cert_00001",
            "name": "My Example Certificate",
            "created_at": 1_700_000_001,
            "certificate_details": {"valid_at": 1_700_000_000, "expires_at": 1_800_000_000},
        }))
        .expect("encode a certificate")
    }

    fn reply(status: StatusCode, body: Vec<u8>) -> Response<Body> {
        Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-request-id", "req_bench")
            .body(Body::from(body))
            .expect("a response")
    }

    async fn handle(request: Request<Body>) -> Response<Body> {
        let authorized = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            == Some(&format!("Bearer {KEY}"));
        if !authorized {
            return reply(StatusCode::UNAUTHORIZED, br#"{"error":{"message":"bad key","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#.to_vec());
        }
        let path = request.uri().path();
        if path == "/v1/organization/certificates" {
            let mut after = None;
            let mut limit = 20;
            for pair in request.uri().query().unwrap_or_default().split('&') {
                match pair.split_once('=') {
                    Some(("after", value)) => after = Some(value.to_owned()),
                    Some(("limit", value)) => limit = value.parse().unwrap_or(20),
                    _ => {}
                }
            }
            reply(StatusCode::OK, page(after.as_deref(), limit))
        } else if path.starts_with("/v1/organization/certificates/") {
            reply(StatusCode::OK, certificate())
        } else {
            reply(StatusCode::NOT_FOUND, br#"{"error":{"message":"no such route","type":"invalid_request_error","param":null,"code":null}}"#.to_vec())
        }
    }

    /// Serves on 127.0.0.1, prints the base URL on stdout, and stops when stdin closes (the
    /// parent exited or dropped it).
    pub fn run() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
                .await
                .expect("bind 127.0.0.1");
            println!("http://{}/v1", listener.local_addr().expect("address"));
            let app = axum::Router::new().fallback(handle);
            let stop = tokio::task::spawn_blocking(|| {
                let mut sink = String::new();
                while std::io::stdin().read_line(&mut sink).unwrap_or(0) > 0 {}
            });
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stop.await;
                })
                .await
                .expect("serve");
        });
    }
}

/// The child process serving on loopback; killed and reaped when dropped.
struct ServerProcess {
    child: Child,
    base_url: String,
}

impl ServerProcess {
    fn start() -> ServerProcess {
        let mut child = Command::new(std::env::current_exe().expect("this executable"))
            .env("BENCH_CLIENT_SERVER", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the server process");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the server's address");
        ServerProcess {
            child,
            base_url: line.trim().to_owned(),
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---- the two clients ---------------------------------------------------------------------

/// What a developer would write by hand for the same two calls.
mod by_hand {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    pub struct Details {
        pub valid_at: Option<i64>,
        pub expires_at: Option<i64>,
        pub content: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    pub struct Certificate {
        pub object: String,
        pub id: String,
        pub name: Option<String>,
        pub created_at: i64,
        pub certificate_details: Details,
        pub active: Option<bool>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    pub struct Page {
        pub object: String,
        pub data: Vec<Certificate>,
        pub first_id: Option<String>,
        pub last_id: Option<String>,
        pub has_more: bool,
    }

    #[derive(Clone)]
    pub struct Api {
        pub http: reqwest::Client,
        pub base_url: String,
        pub key: String,
    }

    impl Api {
        async fn get<T: serde::de::DeserializeOwned>(
            &self,
            request: reqwest::RequestBuilder,
        ) -> Result<T, Box<dyn std::error::Error>> {
            let response = request
                .bearer_auth(&self.key)
                .header(reqwest::header::ACCEPT, "application/json")
                .send()
                .await?;
            let status = response.status();
            let body = response.bytes().await?;
            if !status.is_success() {
                return Err(format!("HTTP {status}").into());
            }
            Ok(serde_json::from_slice(&body)?)
        }

        pub async fn retrieve(&self, id: &str) -> Result<Certificate, Box<dyn std::error::Error>> {
            let url = format!("{}/organization/certificates/{id}", self.base_url);
            self.get(self.http.get(url)).await
        }

        pub async fn list(&self, limit: usize) -> Result<Page, Box<dyn std::error::Error>> {
            let url = format!("{}/organization/certificates?limit={limit}", self.base_url);
            self.get(self.http.get(url)).await
        }
    }
}

struct Clients {
    generated: Client,
    by_hand: by_hand::Api,
}

impl Clients {
    fn new(base_url: &str) -> Clients {
        let generated = Client::builder()
            .admin_api_key(KEY)
            .base_url(base_url)
            .build()
            .expect("the generated client");
        // TLS as the runtime sets it up (rustls on ring), though the loopback server is plain
        // HTTP: reqwest is built without a crypto provider of its own.
        let provider = std::sync::Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let tls = tokio_rustls::rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_root_certificates(tokio_rustls::rustls::RootCertStore::empty())
            .with_no_client_auth();
        let http = reqwest::Client::builder()
            .user_agent("by-hand/0.1")
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(600))
            .tls_backend_preconfigured(tls)
            .build()
            .expect("a reqwest client");
        Clients {
            generated,
            by_hand: by_hand::Api {
                http,
                base_url: base_url.to_owned(),
                key: KEY.to_owned(),
            },
        }
    }

    async fn call(&self, call: Call, who: Who) {
        let certificates = self.generated.admin().organization().certificates();
        match (call, who) {
            (Call::Retrieve, Who::Generated) => {
                let c = certificates
                    .retrieve("cert_00001")
                    .send()
                    .await
                    .expect("retrieve");
                std::hint::black_box(c);
            }
            (Call::Retrieve, Who::ByHand) => {
                let c = self.by_hand.retrieve("cert_00001").await.expect("retrieve");
                std::hint::black_box(c);
            }
            (Call::List, Who::Generated) => {
                let page = certificates
                    .list()
                    .limit(LIST_LIMIT as i64)
                    .send()
                    .await
                    .expect("list");
                assert_eq!(page.data.len(), LIST_LIMIT);
                std::hint::black_box(page);
            }
            (Call::List, Who::ByHand) => {
                let page = self.by_hand.list(LIST_LIMIT).await.expect("list");
                assert_eq!(page.data.len(), LIST_LIMIT);
                std::hint::black_box(page);
            }
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Call {
    Retrieve,
    List,
}

#[derive(Clone, Copy, Debug)]
enum Who {
    Generated,
    ByHand,
}

impl Call {
    fn name(self) -> &'static str {
        match self {
            Call::Retrieve => "retrieve",
            Call::List => "list",
        }
    }
}

impl Who {
    fn name(self) -> &'static str {
        match self {
            Who::Generated => "generated",
            Who::ByHand => "by_hand",
        }
    }
}

const CALLS: [Call; 2] = [Call::Retrieve, Call::List];
const WHO: [Who; 2] = [Who::Generated, Who::ByHand];

// ---- measurements ------------------------------------------------------------------------

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

fn criterion_benches(c: &mut Criterion, runtime: &tokio::runtime::Runtime, clients: &Clients) {
    let mut group = c.benchmark_group("client");
    group
        .throughput(Throughput::Elements(1))
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for call in CALLS {
        for who in WHO {
            group.bench_function(format!("{}/{}", call.name(), who.name()), |b| {
                b.iter_custom(|iterations| {
                    runtime.block_on(async {
                        let start = Instant::now();
                        for _ in 0..iterations {
                            clients.call(call, who).await;
                        }
                        start.elapsed()
                    })
                })
            });
        }
    }
    group.finish();
}

/// Seconds per request of each client, medians over rounds that alternate the two.
fn paired(runtime: &tokio::runtime::Runtime, clients: &Clients, call: Call) -> (f64, f64) {
    const ROUNDS: usize = 41;
    const BURST: u32 = 200;
    let mut generated = Vec::new();
    let mut by_hand = Vec::new();
    runtime.block_on(async {
        for round in 0..ROUNDS {
            // Alternate which goes first, so neither always follows the other.
            let order = if round % 2 == 0 {
                [Who::Generated, Who::ByHand]
            } else {
                [Who::ByHand, Who::Generated]
            };
            for who in order {
                let start = Instant::now();
                for _ in 0..BURST {
                    clients.call(call, who).await;
                }
                let per_call = start.elapsed().as_secs_f64() / f64::from(BURST);
                match who {
                    Who::Generated => generated.push(per_call),
                    Who::ByHand => by_hand.push(per_call),
                }
            }
        }
    });
    (median(&mut generated), median(&mut by_hand))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Allocations per call, after a warm-up (connection open, pools filled).
fn allocations(runtime: &tokio::runtime::Runtime, clients: &Clients, call: Call, who: Who) -> f64 {
    const CALLS: usize = 1_000;
    runtime.block_on(async {
        for _ in 0..50 {
            clients.call(call, who).await;
        }
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        for _ in 0..CALLS {
            clients.call(call, who).await;
        }
        (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / CALLS as f64
    })
}

struct PaginationPeak {
    /// Live bytes a decoded page of `PAGE_LIMIT` items holds.
    page_held: usize,
    /// Peak above the starting point while fetching and decoding one page.
    one_page: usize,
    /// Peak above the starting point while streaming all items, each dropped when seen.
    stream: usize,
    /// Peak above the starting point while collecting all items into a `Vec` (the control).
    collect: usize,
    items: usize,
}

fn pagination(runtime: &tokio::runtime::Runtime, clients: &Clients) -> PaginationPeak {
    let certificates = clients.generated.admin().organization().certificates();
    runtime.block_on(async {
        // Warm up: the connection is open and the pool holds it.
        let _ = certificates
            .list()
            .limit(PAGE_LIMIT as i64)
            .send()
            .await
            .expect("list");

        let start = reset_peak();
        let page = certificates
            .list()
            .limit(PAGE_LIMIT as i64)
            .send()
            .await
            .expect("list");
        let one_page = PEAK.load(Ordering::Relaxed) - start;
        let page_held = LIVE.load(Ordering::Relaxed).saturating_sub(start);
        assert_eq!(page.data.len(), PAGE_LIMIT);
        drop(page);

        let start = reset_peak();
        let mut stream = certificates.list().limit(PAGE_LIMIT as i64).into_stream();
        let mut items = 0;
        while let Some(item) = stream.try_next().await.expect("stream") {
            std::hint::black_box(&item);
            items += 1;
        }
        drop(stream);
        let stream = PEAK.load(Ordering::Relaxed) - start;
        assert_eq!(items, TOTAL_ITEMS);

        let start = reset_peak();
        let all: Vec<_> = certificates
            .list()
            .limit(PAGE_LIMIT as i64)
            .into_stream()
            .try_collect()
            .await
            .expect("collect");
        let collect = PEAK.load(Ordering::Relaxed) - start;
        assert_eq!(all.len(), TOTAL_ITEMS);
        PaginationPeak {
            page_held,
            one_page,
            stream,
            collect,
            items,
        }
    })
}

/// `BENCH_CLIENT_PROFILE=retrieve/generated` (or `list/by_hand`, ...): 20,000 calls of one
/// kind and nothing else, for `perf record` / `perf stat --no-inherit`; prints the client's
/// CPU time per call (the server runs in another process).
fn profile_loop(runtime: &tokio::runtime::Runtime, clients: &Clients, which: &str) {
    let call = CALLS.into_iter().find(|c| which.starts_with(c.name()));
    let who = WHO.into_iter().find(|w| which.ends_with(w.name()));
    let (Some(call), Some(who)) = (call, who) else {
        panic!("BENCH_CLIENT_PROFILE={which}: expected retrieve|list / generated|by_hand");
    };
    const N: u32 = 20_000;
    let cpu = || {
        std::fs::read_to_string("/proc/self/stat")
            .ok()
            .and_then(|stat| {
                let fields: Vec<u64> = stat
                    .rsplit(')')
                    .next()?
                    .split_whitespace()
                    .skip(11)
                    .take(2)
                    .filter_map(|f| f.parse().ok())
                    .collect();
                Some(fields.iter().sum::<u64>())
            })
            .unwrap_or(0)
    };
    let (wall, ticks) = runtime.block_on(async {
        let start = Instant::now();
        let before = cpu();
        for _ in 0..N {
            clients.call(call, who).await;
        }
        (start.elapsed(), cpu() - before)
    });
    println!(
        "{which}: {:.1} µs wall, {:.1} µs client CPU per call",
        wall.as_secs_f64() * 1e6 / f64::from(N),
        ticks as f64 * 1e4 / f64::from(N)
    );
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

fn main() {
    if std::env::var_os("BENCH_CLIENT_SERVER").is_some() {
        server::run();
        return;
    }
    let server = ServerProcess::start();
    let runtime = runtime();
    let clients = Clients::new(&server.base_url);
    if let Ok(which) = std::env::var("BENCH_CLIENT_PROFILE") {
        profile_loop(&runtime, &clients, &which);
        return;
    }

    let mut criterion = Criterion::default().configure_from_args();
    criterion_benches(&mut criterion, &runtime, &clients);
    criterion.final_summary();

    // Under `cargo bench -- --test` or a filter, skip the table.
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--test" || a == "--list") {
        return;
    }

    let mut rows = Vec::new();
    for call in CALLS {
        let (generated, by_hand) = paired(&runtime, &clients, call);
        let ratio = by_hand / generated;
        rows.push(format!(
            "| client | `{}` requests/s: generated vs by hand (reqwest + serde_json), paired rounds | {:.0} vs {:.0} req/s = **{ratio:.3}×** | ≥ 0.95× | {} |",
            call.name(),
            1.0 / generated,
            1.0 / by_hand,
            if ratio >= 0.95 { "yes" } else { "**no**" }
        ));
    }
    for call in CALLS {
        let generated = allocations(&runtime, &clients, call, Who::Generated);
        let by_hand = allocations(&runtime, &clients, call, Who::ByHand);
        rows.push(format!(
            "| client | `{}` allocations per call: generated vs by hand | {generated:.0} vs {by_hand:.0} | (reported) | — |",
            call.name(),
        ));
    }
    let peak = pagination(&runtime, &clients);
    let ratio = peak.stream as f64 / peak.one_page as f64;
    rows.push(format!(
        "| pagination | `into_stream()` over {} items ({} pages of {PAGE_LIMIT}): peak live bytes vs fetching one page | {} vs {} = **{ratio:.2}×** (a decoded page holds {}; collecting all into a `Vec` peaks at {}) | about one page | {} |",
        peak.items,
        peak.items.div_ceil(PAGE_LIMIT),
        kib(peak.stream),
        kib(peak.one_page),
        kib(peak.page_held),
        kib(peak.collect),
        if ratio <= 1.5 { "yes" } else { "**no**" }
    ));
    let text = rows.join("\n") + "\n";
    println!("\n{text}");
    if let Some(dir) = std::env::var_os("BENCH_REPORT_DIR") {
        let dir = std::path::PathBuf::from(dir);
        let _ = std::fs::create_dir_all(&dir);
        std::fs::write(dir.join("20-client.md"), text).expect("write the report rows");
    }
    drop(server);
}
