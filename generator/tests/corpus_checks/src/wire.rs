//! Requests and responses on the wire, against a scripted HTTP server on 127.0.0.1
//! (`fault_server.rs`, the runtime tests' server, copied in by the corpus test): each test
//! asserts the request exactly as it arrived and the value the client decoded.

use std::time::Duration;

use futures::StreamExt;
use serde_json::{json, Value};

use crate::fault_server::{Action, FaultServer, Recorded, Reply};

fn reply(status: u16, content_type: &str, body: impl Into<String>) -> Action {
    Reply::status(status)
        .header("content-type", content_type)
        .body(body)
        .into_action()
}

fn json_body(request: &Recorded) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

/// One part of a `multipart/form-data` body: its name, file name, content type and bytes.
#[derive(Debug, PartialEq)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// The part a test expects.
fn part(name: &str, file_name: Option<&str>, content_type: Option<&str>, body: &[u8]) -> Part {
    Part {
        name: name.into(),
        file_name: file_name.map(Into::into),
        content_type: content_type.map(Into::into),
        body: body.to_vec(),
    }
}

fn multipart(request: &Recorded) -> Vec<Part> {
    let content_type = request.header("content-type").expect("a content type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("multipart/form-data with a boundary");
    let delimiter = format!("--{boundary}");
    let text = request.body.clone();
    let mut parts = Vec::new();
    let mut rest = &text[..];
    let find = |haystack: &[u8], needle: &[u8]| {
        haystack.windows(needle.len()).position(|window| window == needle)
    };
    rest = &rest[find(rest, delimiter.as_bytes()).expect("a first delimiter") + delimiter.len()..];
    while !rest.starts_with(b"--") {
        let rest_after_crlf = &rest[2..];
        let head_end = find(rest_after_crlf, b"\r\n\r\n").expect("part headers");
        let head = String::from_utf8_lossy(&rest_after_crlf[..head_end]).into_owned();
        let body_start = &rest_after_crlf[head_end + 4..];
        let end = find(body_start, format!("\r\n{delimiter}").as_bytes()).expect("a delimiter");
        let mut part = Part {
            name: String::new(),
            file_name: None,
            content_type: None,
            body: body_start[..end].to_vec(),
        };
        for line in head.split("\r\n") {
            let (key, value) = line.split_once(": ").expect("a part header");
            match key.to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for attribute in value.split("; ").skip(1) {
                        let (key, quoted) = attribute.split_once('=').expect("an attribute");
                        let unquoted = quoted.trim_matches('"').to_owned();
                        match key {
                            "name" => part.name = unquoted,
                            "filename" => part.file_name = Some(unquoted),
                            other => panic!("unexpected attribute {other}"),
                        }
                    }
                }
                "content-type" => part.content_type = Some(value.to_owned()),
                other => panic!("unexpected part header {other}"),
            }
        }
        parts.push(part);
        rest = &body_start[end + 2 + delimiter.len()..];
    }
    parts
}

mod bodies_and_streams {
    use super::*;
    use corpus_bodies_and_streams::types::{
        Chunk, Completion, CreateUploadRequestMeta, GetSpeechFilter, PutBlobBlobId,
        SubmitFormRequestNested, Upload,
    };
    use corpus_bodies_and_streams::{Client, Error, FilePart};

    fn client(server: &FaultServer) -> Client {
        Client::builder()
            .base_url(server.base_url())
            .max_retries(0)
            .build()
            .expect("a client")
    }

    #[tokio::test]
    async fn multipart_sends_files_from_bytes_and_streams_arrays_and_typed_fields() {
        let server = FaultServer::start([reply(
            200,
            "application/json",
            r#"{"id":"up_1","bytes":11,"priority":2}"#,
        )])
        .await;
        let chunks = futures::stream::iter([
            Ok(bytes::Bytes::from_static(b"stre")),
            Ok(bytes::Bytes::from_static(b"amed")),
        ]);
        let mut meta = CreateUploadRequestMeta::default();
        meta.size = Some(5);
        let upload = client(&server)
            .uploads().create(
                FilePart::bytes(&b"hello"[..]).file_name("a.txt").content_type("text/plain"),
                "batch",
            )
            .attachments([
                FilePart::stream(chunks).file_name("b.bin"),
                FilePart::bytes(vec![0u8, 255]),
            ])
            .tags(["x", "y"])
            .meta(meta)
            .note("a note".to_owned())
            .send()
            .await
            .expect("uploaded");
        assert_eq!(
            upload,
            { let mut upload = Upload::new("up_1".into(), 11); upload.priority = Some(2); upload }
        );
        let requests = server.requests();
        assert_eq!((requests[0].method.as_str(), requests[0].target.as_str()), ("POST", "/v1/uploads"));
        assert_eq!(
            multipart(&requests[0]),
            [
                part("file", Some("a.txt"), Some("text/plain"), b"hello"),
                part("attachments", Some("b.bin"), Some("application/octet-stream"), b"streamed"),
                part("attachments", None, Some("application/octet-stream"), &[0, 255]),
                part("purpose", None, None, b"batch"),
                part("tags", None, None, b"x"),
                part("tags", None, None, b"y"),
                // An object part says it is JSON.
                part("meta", None, Some("application/json"), br#"{"size":5}"#),
                part("note", None, None, b"a note"),
            ]
        );
    }

    #[tokio::test]
    async fn form_bodies_are_url_encoded_with_repeated_and_bracketed_names() {
        let server = FaultServer::start([Reply::status(204).into_action()]).await;
        let mut nested = SubmitFormRequestNested::default();
        nested.a = Some("x&y".into());
        client(&server)
            .forms().create("Ada Lovelace")
            .count(3)
            .labels(["a", "b"])
            .nested(nested)
            .send()
            .await
            .expect("accepted");
        let request = &server.requests()[0];
        assert_eq!(request.header("content-type"), Some("application/x-www-form-urlencoded"));
        // Members go in the order of their names (the value passes through a JSON object).
        assert_eq!(
            String::from_utf8_lossy(&request.body),
            "count=3&labels=a&labels=b&name=Ada%20Lovelace&nested%5Ba%5D=x%26y"
        );
    }

    #[tokio::test]
    async fn an_operation_offering_json_and_a_form_sends_json_without_read_only_members() {
        let server = FaultServer::start([Reply::status(204).into_action()]).await;
        client(&server)
            .choice().create("p")
            .secret("s")
            .link("https://example.test/a")
            .blob("aGk=")
            .send()
            .await
            .expect("accepted");
        let request = &server.requests()[0];
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(
            json_body(request),
            json!({ "pick": "p", "secret": "s", "link": "https://example.test/a", "blob": "aGk=" })
        );
    }

    #[tokio::test]
    async fn text_bodies_and_responses_are_strings() {
        let server = FaultServer::start([reply(200, "text/html; charset=utf-8", "<p>hi</p>")]).await;
        let rendered = client(&server).notes().create("hello\nworld").send().await.expect("rendered");
        assert_eq!(rendered, "<p>hi</p>");
        let request = &server.requests()[0];
        assert_eq!(request.header("content-type"), Some("text/plain"));
        assert_eq!(request.body, b"hello\nworld");
    }

    #[tokio::test]
    async fn a_boolean_text_body_is_typed_and_sent_as_its_text() {
        let server = FaultServer::start([reply(204, "text/plain", "")]).await;
        client(&server).notes().pinned().update(true).send().await.expect("set");
        let request = &server.requests()[0];
        assert_eq!(request.header("content-type"), Some("text/plain"));
        assert_eq!(request.body, b"true");
    }

    #[tokio::test]
    async fn binary_bodies_and_responses_are_bytes_and_union_path_values_their_text() {
        let server = FaultServer::start([
            reply(200, "application/octet-stream", "stored"),
            reply(200, "application/octet-stream", "again"),
        ])
        .await;
        let client = client(&server);
        let stored = client
            .blobs().update(PutBlobBlobId::Integer(42), FilePart::bytes(vec![0u8, 1, 2, 255]))
            .send()
            .await
            .expect("stored");
        assert_eq!(stored, b"stored");
        client
            .blobs().update(PutBlobBlobId::String("a b".into()), FilePart::bytes(&b"x"[..]))
            .send()
            .await
            .expect("stored");
        let requests = server.requests();
        assert_eq!(requests[0].target, "/v1/blobs/42");
        assert_eq!(requests[0].header("content-type"), Some("application/octet-stream"));
        assert_eq!(requests[0].body, [0, 1, 2, 255]);
        assert_eq!(requests[1].target, "/v1/blobs/a%20b");
    }

    #[tokio::test]
    #[allow(deprecated)]
    async fn audio_arrives_whole_or_as_a_byte_stream_and_deep_objects_use_brackets() {
        let audio = "ID3".repeat(2000);
        let server = FaultServer::start([
            reply(200, "audio/mpeg", audio.clone()),
            reply(200, "audio/mpeg", audio.clone()),
        ])
        .await;
        let client = client(&server);
        let mut filter = GetSpeechFilter::default();
        filter.voice = Some("alloy".into());
        filter.speed = Some(1.5);
        let whole = client.speech().retrieve().filter(filter).send().await.expect("audio");
        assert_eq!(whole, audio.as_bytes());
        let response = client.speech().retrieve().bytes_stream().await.expect("a stream");
        assert_eq!(response.headers().get("content-type").map(|v| v.as_bytes()), Some(&b"audio/mpeg"[..]));
        let mut streamed = Vec::new();
        let mut chunks = response.into_value();
        while let Some(chunk) = chunks.next().await {
            streamed.extend_from_slice(&chunk.expect("a chunk"));
        }
        assert_eq!(streamed, audio.as_bytes());
        let requests = server.requests();
        assert_eq!(requests[0].target, "/v1/speech?filter%5Bspeed%5D=1.5&filter%5Bvoice%5D=alloy");
        assert_eq!(requests[1].target, "/v1/speech");
    }

    #[tokio::test]
    async fn one_path_answers_json_or_events_as_the_stream_flag_asks() {
        let events = "data: {\"delta\":\"a\"}\n\n: a comment\nevent: chunk\r\ndata: {\"delta\":\r\ndata: \"b\"}\r\n\r\ndata: [DONE]\n\ndata: {\"delta\":\"after\"}\n\n";
        let server = FaultServer::start([
            reply(200, "application/json", r#"{"id":"c1","text":"ab"}"#),
            reply(200, "text/event-stream", events),
        ])
        .await;
        let client = client(&server);
        let completion = client.completions().create("hi").send().await.expect("a completion");
        assert_eq!(completion, Completion::new("c1".into(), "ab".into()));
        let stream = client.completions().create("hi").stream().await.expect("a stream");
        let chunks: Vec<Chunk> = stream.map(|item| item.expect("a chunk")).collect().await;
        let deltas: Vec<&str> = chunks.iter().map(|chunk| chunk.delta.as_str()).collect();
        assert_eq!(deltas, ["a", "b"], "[DONE] ends the stream");
        let requests = server.requests();
        assert_eq!(json_body(&requests[0]), json!({ "prompt": "hi" }));
        assert_eq!(json_body(&requests[1]), json!({ "prompt": "hi", "stream": true }));
        assert_eq!(requests[1].header("accept"), Some("text/event-stream"));
    }

    #[tokio::test]
    async fn an_error_event_ends_the_stream_with_the_api_error() {
        let events = "data: {\"delta\":\"a\"}\n\ndata: {\"oops\":1}\n\nevent: error\ndata: {\"error\":{\"message\":\"overloaded\"}}\n\ndata: {\"delta\":\"never\"}\n\n";
        let server = FaultServer::start([reply(200, "text/event-stream", events)]).await;
        let items: Vec<Result<Chunk, Error>> =
            client(&server).completions().create("hi").stream().await.expect("a stream").collect().await;
        assert_eq!(items.len(), 3, "{items:?}");
        assert_eq!(items[0].as_ref().map(|c| c.delta.as_str()).ok(), Some("a"));
        assert!(matches!(&items[1], Err(Error::Decode { .. })), "a bad event does not end it");
        match &items[2] {
            Err(Error::Api(error)) => assert_eq!(error.message(), Some("overloaded")),
            other => panic!("expected the API error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_streamed_upload_is_not_retried() {
        let server = FaultServer::start([Reply::status(503).into_action(), Reply::status(204).into_action()]).await;
        let client = Client::builder()
            .base_url(server.base_url())
            .max_retries(3)
            .timeout(Duration::from_secs(5))
            .build()
            .expect("a client");
        let chunks = futures::stream::iter([Ok(bytes::Bytes::from_static(b"once"))]);
        let error = client
            .blobs().update(PutBlobBlobId::Integer(1), FilePart::stream(chunks))
            .send()
            .await
            .expect_err("503, and the stream cannot be replayed");
        assert!(matches!(&error, Error::Api(api) if api.status().as_u16() == 503), "{error:?}");
        assert_eq!(server.requests().len(), 1);
    }
}

mod tagged_unions {
    use super::*;
    use corpus_tagged_unions::types::{ChatMessage, ChatSystemMessage, ChatUserMessage};
    use corpus_tagged_unions::Client;

    #[tokio::test]
    async fn a_message_is_built_from_its_text_and_the_reply_decodes_by_its_tag() {
        let reply_body = r#"{"role":"system","content":"Hi"}"#;
        let server = FaultServer::start([reply(200, "application/json", reply_body)]).await;
        let client = Client::builder()
            .base_url(server.base_url())
            .build()
            .expect("a client");
        let answer = client
            .messages()
            .create([ChatUserMessage::new("Say hi")], "fast")
            .send()
            .await
            .expect("the reply");
        assert_eq!(answer, ChatMessage::System(ChatSystemMessage::new("Hi".to_owned())));
        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!((requests[0].method.as_str(), requests[0].target.as_str()), ("POST", "/v1/messages"));
        assert_eq!(
            json_body(&requests[0]),
            json!({ "messages": [{ "role": "user", "content": "Say hi" }], "kind": "chat", "mode": "fast" })
        );
    }
}

mod responses {
    use super::*;
    use corpus_responses::types::Problem;
    use corpus_responses::{Client, Error};

    #[tokio::test]
    async fn a_problem_document_is_read_where_the_error_schema_keeps_its_message() {
        let problem = r#"{"type":"https://example.test/quota","title":"Over quota","status":429,"detail":"No calls left today"}"#;
        let server = FaultServer::start([reply(429, "application/problem+json", problem)]).await;
        let client = Client::builder()
            .base_url(server.base_url())
            .max_retries(0)
            .build()
            .expect("a client");
        let error = client.quota().retrieve().send().await.expect_err("a problem");
        let Error::Api(api) = &error else {
            panic!("not an API error: {error:?}");
        };
        assert_eq!(api.message(), Some("No calls left today"));
        let members = api.error().expect("the members");
        assert_eq!(members.error_type.as_deref(), Some("https://example.test/quota"));
        assert_eq!(members.code, None);
        assert_eq!(error.to_string(), "429 Too Many Requests: No calls left today");
        let decoded: Problem = api.decode().expect("the error type");
        assert_eq!(decoded.status, Some(429));
        assert_eq!(server.requests()[0].header("accept"), Some("application/json"));
    }
}

mod security_schemes {
    use super::*;
    use corpus_security_schemes::{Client, ClientBuilder, Error};

    fn builder(server: &FaultServer) -> ClientBuilder {
        Client::builder().base_url(server.base_url()).max_retries(0)
    }

    fn ok() -> Action {
        Reply::status(204).into_action()
    }

    #[tokio::test]
    async fn each_operation_sends_only_the_credentials_it_asks_for() {
        let server = FaultServer::start([ok(), ok(), ok(), ok(), ok()]).await;
        let client = builder(&server)
            .bearer_auth("tok")
            .basic_auth("user", "pa:ss")
            .header_key("hk")
            .query_key("qk")
            .cookie_key("ck")
            .build()
            .expect("a client");
        client.me().retrieve().send().await.expect("me");
        client.basic().retrieve().send().await.expect("basic");
        client.either().retrieve().send().await.expect("either");
        client.both().retrieve().page(2).theme("dark").send().await.expect("both");
        client.public().retrieve().ids([1, 2]).words(["a", "b"]).send().await.expect("public");
        let requests = server.requests();
        /// Target, then the `Authorization`, `X-Api-Key` and `Cookie` headers.
        type Sent<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);
        let seen: Vec<Sent> = requests
            .iter()
            .map(|r| (r.target.as_str(), r.header("authorization"), r.header("x-api-key"), r.header("cookie")))
            .collect();
        assert_eq!(
            seen,
            [
                ("/v1/me", Some("Bearer tok"), None, None),
                ("/v1/basic", Some("Basic dXNlcjpwYTpzcw=="), None, None),
                ("/v1/either", None, Some("hk"), None),
                ("/v1/both?page=2", None, Some("hk"), Some("session=ck; theme=dark")),
                ("/v1/public?ids=1|2&words=a%20b", None, None, None),
            ]
        );
        let debug = format!("{client:?}");
        for secret in ["tok", "pa:ss", "hk", "qk", "ck"] {
            assert!(!debug.contains(secret), "{debug}");
        }
    }

    #[tokio::test]
    async fn the_first_alternative_that_is_set_is_sent() {
        let server = FaultServer::start([ok()]).await;
        let client = builder(&server).query_key("q k").build().expect("a client");
        client.either().retrieve().send().await.expect("either");
        let request = &server.requests()[0];
        assert_eq!(request.target, "/v1/either?api_key=q%20k");
        assert_eq!(request.header("x-api-key"), None);
    }

    #[tokio::test]
    async fn a_missing_credential_fails_before_anything_is_sent() {
        let server = FaultServer::start([]).await;
        let client = builder(&server).bearer_auth("tok").build().expect("a client");
        let error = client.both().retrieve().send().await.expect_err("no keys");
        match error {
            Error::Config { message, .. } => assert_eq!(
                message,
                "this operation needs a credential the client does not have: set `header_key` and `cookie_key` on the client builder"
            ),
            other => panic!("expected a configuration error, got {other:?}"),
        }
        assert!(server.requests().is_empty());
    }
}

mod client_credentials {
    //! OAuth 2 client credentials: a token server and the API, each a scripted server on
    //! 127.0.0.1.
    use super::*;
    use corpus_security_schemes::{Client, ClientBuilder, Error};

    const TOKEN_PATH: &str = "/v1/oauth/token";
    /// `client 1` and `s3cr:t`, each form-encoded, as basic auth (RFC 6749 §2.3.1).
    const CLIENT_AUTHORIZATION: &str = "Basic Y2xpZW50JTIwMTpzM2NyJTNBdA==";

    fn token(value: &str, expires_in: u64) -> Action {
        let body = json!({"access_token": value, "token_type": "Bearer", "expires_in": expires_in});
        reply(200, "application/json", body.to_string())
    }

    fn reports(names: &[&str]) -> Action {
        reply(200, "application/json", json!(names).to_string())
    }

    fn unauthorized() -> Action {
        reply(
            401,
            "application/json",
            r#"{"error": {"message": "token revoked"}}"#,
        )
    }

    fn builder(api: &FaultServer, token_url: &str) -> ClientBuilder {
        Client::builder()
            .base_url(api.base_url())
            .partner("client 1", "s3cr:t")
            .partner_token_url(token_url)
            .max_retries(0)
    }

    fn client(api: &FaultServer, tokens: &FaultServer) -> Client {
        builder(api, &format!("{}/oauth/token", tokens.base_url()))
            .build()
            .expect("a client")
    }

    /// The `Authorization` of each request.
    fn authorizations(server: &FaultServer) -> Vec<String> {
        let requests = server.requests();
        requests
            .iter()
            .map(|request| {
                request
                    .header("authorization")
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    }

    #[tokio::test]
    async fn a_token_is_fetched_for_the_scopes_of_the_operation_and_kept() {
        let tokens = FaultServer::start([token("t-read", 3600), token("t-write", 3600)]).await;
        let api = FaultServer::start([
            reports(&["a"]),
            reports(&["b"]),
            reply(201, "application/json", r#""r1""#),
        ])
        .await;
        let client = client(&api, &tokens);
        let first = client.reports().list().send().await.expect("listed");
        let second = client.reports().list().send().await.expect("listed again");
        let created = client.reports().create("Q3").send().await.expect("created");
        assert_eq!(
            (first, second, created),
            (vec!["a".to_owned()], vec!["b".to_owned()], "r1".to_owned())
        );

        let asked = tokens.requests();
        /// Method and target, the `Authorization`, `Content-Type` and `Accept` headers, the body.
        type Asked<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>, &'a [u8]);
        let seen: Vec<Asked> = asked
            .iter()
            .map(|r| {
                (
                    r.method.as_str(),
                    r.target.as_str(),
                    r.header("authorization"),
                    r.header("content-type"),
                    r.header("accept"),
                    r.body.as_slice(),
                )
            })
            .collect();
        let form = "application/x-www-form-urlencoded";
        let json = "application/json";
        assert_eq!(
            seen,
            [
                (
                    "POST",
                    TOKEN_PATH,
                    Some(CLIENT_AUTHORIZATION),
                    Some(form),
                    Some(json),
                    &b"grant_type=client_credentials&scope=reports%3Aread"[..],
                ),
                (
                    "POST",
                    TOKEN_PATH,
                    Some(CLIENT_AUTHORIZATION),
                    Some(form),
                    Some(json),
                    &b"grant_type=client_credentials&scope=reports%3Aread%20reports%3Awrite"[..],
                ),
            ]
        );
        let sent = api.requests();
        let calls: Vec<(&str, &str, Option<&str>)> = sent
            .iter()
            .map(|r| {
                (
                    r.method.as_str(),
                    r.target.as_str(),
                    r.header("authorization"),
                )
            })
            .collect();
        assert_eq!(
            calls,
            [
                ("GET", "/v1/reports", Some("Bearer t-read")),
                ("GET", "/v1/reports", Some("Bearer t-read")),
                ("POST", "/v1/reports", Some("Bearer t-write")),
            ]
        );
        assert_eq!(json_body(&sent[2]), json!({"title": "Q3"}));
        // The client id and secret go to the token endpoint only.
        assert!(!format!("{client:?}").contains("s3cr"));
    }

    #[tokio::test]
    async fn a_relative_token_url_is_resolved_against_the_base_url() {
        let server = FaultServer::start([token("t1", 3600), reports(&[])]).await;
        let client = Client::builder()
            .base_url(server.base_url())
            .partner("client 1", "s3cr:t")
            .build()
            .expect("a client");
        client.reports().list().send().await.expect("listed");
        let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
        // `/oauth/token` against `http://127.0.0.1:PORT/v1`, as RFC 3986 resolves it.
        assert_eq!(targets, ["/oauth/token", "/v1/reports"]);
    }

    #[tokio::test]
    async fn a_token_is_fetched_again_before_it_expires() {
        let tokens = FaultServer::start([token("t1", 2), token("t2", 2)]).await;
        let api = FaultServer::start([reports(&[]), reports(&[]), reports(&[])]).await;
        let client = client(&api, &tokens);
        client.reports().list().send().await.expect("first");
        client
            .reports()
            .list()
            .send()
            .await
            .expect("second, same token");
        // Past half of the token's two seconds: fetched again, though it is still valid.
        tokio::time::sleep(Duration::from_millis(1100)).await;
        client
            .reports()
            .list()
            .send()
            .await
            .expect("third, new token");
        assert_eq!(tokens.requests().len(), 2);
        assert_eq!(
            authorizations(&api),
            ["Bearer t1", "Bearer t1", "Bearer t2"]
        );
    }

    #[tokio::test]
    async fn concurrent_calls_share_one_token_fetch() {
        let slow_token = match token("t1", 3600) {
            Action::Respond(reply) => Action::Delay(Duration::from_millis(300), reply),
            _ => unreachable!("a token is a complete reply"),
        };
        let tokens = FaultServer::start([slow_token]).await;
        let api = FaultServer::start((0..6).map(|_| reports(&["x"]))).await;
        let client = client(&api, &tokens);
        let calls = (0..6).map(|_| client.reports().list().send());
        let results = futures::future::join_all(calls).await;
        for result in results {
            assert_eq!(result.expect("listed"), ["x"]);
        }
        assert_eq!(tokens.requests().len(), 1);
        assert_eq!(authorizations(&api), vec!["Bearer t1"; 6]);
    }

    #[tokio::test]
    async fn calls_that_wait_on_a_failing_fetch_share_its_failure() {
        // A token endpoint that never answers: each fetch ends at the call's timeout.
        let tokens = FaultServer::start([Action::Stall(Duration::from_secs(10))]).await;
        let api = FaultServer::start([]).await;
        let client = builder(&api, &format!("{}/oauth/token", tokens.base_url()))
            .timeout(Duration::from_millis(300))
            .build()
            .expect("a client");
        let calls = (0..4).map(|_| client.reports().list().send());
        let errors: Vec<String> = futures::future::join_all(calls)
            .await
            .into_iter()
            .map(|result| {
                let error = result.expect_err("no token");
                assert!(matches!(error, Error::Token { status: None, .. }), "{error:?}");
                error.to_string()
            })
            .collect();
        assert!(errors[0].starts_with("no access token: the token endpoint "), "{}", errors[0]);
        assert!(errors.iter().all(|error| *error == errors[0]), "{errors:?}");
        assert_eq!(tokens.requests().len(), 1, "one fetch for the four calls");
        assert!(api.requests().is_empty());
    }

    #[tokio::test]
    async fn a_refused_token_is_replaced_once_and_the_call_made_again() {
        let tokens = FaultServer::start([token("t1", 3600), token("t2", 3600)]).await;
        let api = FaultServer::start([unauthorized(), reports(&["a"])]).await;
        let client = client(&api, &tokens);
        let listed = client
            .reports()
            .list()
            .send()
            .await
            .expect("listed with the new token");
        assert_eq!(listed, ["a"]);
        assert_eq!(authorizations(&api), ["Bearer t1", "Bearer t2"]);
        assert_eq!(tokens.requests().len(), 2);
    }

    #[tokio::test]
    async fn a_token_refused_twice_is_the_apis_error() {
        let tokens = FaultServer::start([token("t1", 3600), token("t2", 3600)]).await;
        let api = FaultServer::start([unauthorized(), unauthorized()]).await;
        let client = client(&api, &tokens);
        let error = client
            .reports()
            .list()
            .send()
            .await
            .expect_err("refused twice");
        assert!(error.is_authentication(), "{error:?}");
        assert_eq!(
            error.api_error().and_then(|e| e.message()),
            Some("token revoked")
        );
        assert_eq!(authorizations(&api), ["Bearer t1", "Bearer t2"]);
        assert_eq!(tokens.requests().len(), 2);
    }

    #[tokio::test]
    async fn refused_client_credentials_fail_the_call_before_the_api_is_called() {
        let refusal = json!({"error": "invalid_client", "error_description": "unknown client"});
        let tokens =
            FaultServer::start([reply(401, "application/json", refusal.to_string())]).await;
        let api = FaultServer::start([]).await;
        let client = builder(&api, &format!("{}/oauth/token", tokens.base_url()))
            .max_retries(2)
            .build()
            .expect("a client");
        let error = client.reports().list().send().await.expect_err("refused");
        assert!(
            error.is_authentication() && !error.is_retryable(),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!(
                "no access token: the token endpoint {}/oauth/token answered 401 Unauthorized: invalid_client: unknown client",
                tokens.base_url()
            )
        );
        match error {
            Error::Token { status, .. } => assert_eq!(status.map(|s| s.as_u16()), Some(401)),
            other => panic!("expected a token error, got {other:?}"),
        }
        assert_eq!(tokens.requests().len(), 1, "a refusal is not retried");
        assert!(api.requests().is_empty());
    }

    #[tokio::test]
    async fn a_token_endpoint_that_is_down_is_retried_then_reported() {
        let down = format!(
            "{}/oauth/token",
            crate::fault_server::closed_port_base_url().await
        );
        let api = FaultServer::start([]).await;
        let client = builder(&api, &down)
            .max_retries(1)
            .build()
            .expect("a client");
        let error = client.reports().list().send().await.expect_err("no token");
        assert!(
            error.is_retryable() && !error.is_authentication(),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(
            message.starts_with(&format!(
                "no access token: the token endpoint {down} could not be reached: "
            )),
            "{message}"
        );
        assert!(matches!(
            error,
            Error::Token {
                status: None,
                source: Some(_),
                ..
            }
        ));
        assert!(api.requests().is_empty());

        // One that fails once is retried like any attempt.
        let tokens =
            FaultServer::start([reply(503, "application/json", "{}"), token("t1", 3600)]).await;
        let api = FaultServer::start([reports(&["a"])]).await;
        let client = builder(&api, &format!("{}/oauth/token", tokens.base_url()))
            .max_retries(1)
            .build()
            .expect("a client");
        assert_eq!(client.reports().list().send().await.expect("listed"), ["a"]);
        assert_eq!(tokens.requests().len(), 2);
        assert_eq!(authorizations(&api), ["Bearer t1"]);
    }
}
mod media_and_nulls {
    use super::*;
    use corpus_media_and_nulls::types::{
        FileUploadAttachments, FileUploadMeta, FileUploadSource, FileUploadStrategy,
        FileUploadStrategyAuto, GetReportFilter, SearchUsersFilter, SearchUsersXContext,
        UserManager,
    };
    use corpus_media_and_nulls::{Client, FilePart};

    fn client(server: &FaultServer) -> Client {
        Client::builder()
            .base_url(server.base_url())
            .api_key("dsn-secret")
            .max_retries(0)
            .build()
            .expect("a client")
    }

    #[tokio::test]
    async fn content_parameters_header_objects_scim_json_and_nulls_at_every_depth() {
        let body = r#"{"Resources":[{"id":"u1","labels":{"a":"x","b":null},"scores":[1,null],"manager":null},null,{"id":"u2","manager":{"name":"Grace"}}]}"#;
        let server = FaultServer::start([reply(200, "application/scim+json", body)]).await;
        let mut filter = SearchUsersFilter::default();
        filter.name = Some("Ada L".into());
        filter.active = Some(true);
        let mut context = SearchUsersXContext::default();
        context.tenant = Some("t1".into());
        context.region = Some("eu".into());
        let list = client(&server)
            .users().list(filter)
            .x_context(context)
            .send()
            .await
            .expect("decoded");
        let request = &server.requests()[0];
        // The JSON text of the filter, percent-encoded; the header object exploded.
        assert_eq!(
            request.target,
            "/v1/users?filter=%7B%22active%22%3Atrue%2C%22name%22%3A%22Ada%20L%22%7D"
        );
        assert_eq!(request.header("x-context"), Some("region=eu,tenant=t1"));
        assert_eq!(request.header("accept"), Some("application/scim+json"));
        assert_eq!(request.header("authorization"), Some("DSN dsn-secret"));
        assert_eq!(list.resources.len(), 3);
        let first = list.resources[0].as_ref().expect("a user");
        let labels = first.labels.as_ref().expect("labels");
        assert_eq!(labels.get("a"), Some(&Some("x".to_owned())));
        assert_eq!(labels.get("b"), Some(&None));
        assert_eq!(first.scores, Some(vec![Some(1), None]));
        assert_eq!(first.manager, Some(None));
        assert!(list.resources[1].is_none());
        let second = list.resources[2].as_ref().expect("a user");
        assert!(matches!(&second.manager, Some(Some(UserManager::Manager(m))) if m.name == "Grace"));
    }

    #[tokio::test]
    async fn a_success_without_a_body_is_no_value_and_merge_patch_is_sent_as_such() {
        let server = FaultServer::start([
            Reply::status(204).into_action(),
            reply(200, "application/json", r#"{"id":"u1"}"#),
            Reply::status(204).into_action(),
        ])
        .await;
        let client = client(&server);
        assert_eq!(client.users().retrieve("u1").send().await.expect("no user"), None);
        let user = client.users().retrieve("u1").send().await.expect("a user").expect("some");
        assert_eq!(user.id, "u1");
        let patched = client.users().update("u1").nickname_null().send().await.expect("patched");
        assert_eq!(patched, None);
        let requests = server.requests();
        assert_eq!(requests[2].header("content-type"), Some("application/merge-patch+json"));
        assert_eq!(json_body(&requests[2]), json!({ "nickname": null }));
    }

    #[tokio::test]
    async fn a_body_holding_a_file_goes_as_multipart_with_text_and_json_parts() {
        let server = FaultServer::start([
            reply(200, "application/json", r#"{"id":"f1"}"#),
        ])
        .await;
        let mut meta = FileUploadMeta::default();
        meta.tag = Some("x".into());
        let stored = client(&server)
            .files().create(FilePart::bytes(&b"data"[..]).file_name("a.txt"))
            .attachments(FileUploadAttachments::Array(vec![
                FilePart::bytes(&b"one"[..]).file_name("1.txt"),
                FilePart::bytes(&b"two"[..]).file_name("2.txt"),
            ]))
            .strategy(FileUploadStrategy::Auto(
                FileUploadStrategyAuto::Auto,
            ))
            .meta(meta)
            .send()
            .await
            .expect("stored");
        assert_eq!(stored.id.as_deref(), Some("f1"));
        let parts = multipart(&server.requests()[0]);
        assert_eq!(
            parts,
            [
                Part {
                    name: "file".into(),
                    file_name: Some("a.txt".into()),
                    content_type: Some("application/octet-stream".into()),
                    body: b"data".to_vec(),
                },
                // A union of a file and a list of files: a file part per file.
                Part {
                    name: "attachments".into(),
                    file_name: Some("1.txt".into()),
                    content_type: Some("application/octet-stream".into()),
                    body: b"one".to_vec(),
                },
                Part {
                    name: "attachments".into(),
                    file_name: Some("2.txt".into()),
                    content_type: Some("application/octet-stream".into()),
                    body: b"two".to_vec(),
                },
                Part { name: "strategy".into(), file_name: None, content_type: None, body: b"auto".to_vec() },
                Part {
                    name: "meta".into(),
                    file_name: None,
                    content_type: Some("application/json".into()),
                    body: br#"{"tag":"x"}"#.to_vec(),
                },
            ]
        );
    }

    #[tokio::test]
    async fn a_union_of_a_file_and_a_url_sends_the_part_of_the_variant_held() {
        let server = FaultServer::start([
            reply(200, "application/json", r#"{"id":"f1"}"#),
            reply(200, "application/json", r#"{"id":"f2"}"#),
        ])
        .await;
        let client = client(&server);
        let file = || FilePart::bytes(&b"data"[..]).file_name("a.txt");
        client
            .files().create(file())
            .source(FileUploadSource::File(FilePart::bytes(&b"src"[..]).file_name("s.wav")))
            .send()
            .await
            .expect("stored");
        client
            .files().create(file())
            .source(FileUploadSource::String("https://example.test/s.wav".into()))
            .send()
            .await
            .expect("stored");
        let requests = server.requests();
        let source = |request| {
            multipart(request)
                .into_iter()
                .find(|part| part.name == "source")
                .expect("a source part")
        };
        assert_eq!(
            source(&requests[0]),
            Part {
                name: "source".into(),
                file_name: Some("s.wav".into()),
                content_type: Some("application/octet-stream".into()),
                body: b"src".to_vec(),
            }
        );
        assert_eq!(
            source(&requests[1]),
            Part {
                name: "source".into(),
                file_name: None,
                content_type: None,
                body: b"https://example.test/s.wav".to_vec(),
            }
        );
    }

    #[tokio::test]
    async fn path_parameters_are_written_in_their_style() {
        let server = FaultServer::start([reply(204, "application/json", "")]).await;
        let mut filter = GetReportFilter::default();
        filter.kind = Some("a b".into());
        filter.year = Some(2026);
        client(&server)
            .reports().retrieve(vec![1, 2], vec!["q1".to_owned(), "q2".to_owned()], filter)
            .send()
            .await
            .expect("found");
        assert_eq!(
            server.requests()[0].target,
            "/v1/reports/1,2/.q1.q2/;kind=a%20b;year=2026"
        );
    }
}

mod split_files {
    use super::*;
    use corpus_split_files::Client;

    #[tokio::test]
    async fn operations_from_every_file_send_and_decode_their_types() {
        let pet = r#"{"id":7,"name":"Rex","owner":{"name":"Ada","pets":[{"id":8,"name":"Tiny"}]},"parent":{"id":1,"name":"Old"}}"#;
        let server = FaultServer::start([
            reply(200, "application/json", format!("[{pet}]")),
            reply(201, "application/json", pet),
            reply(404, "application/json", r#"{"message":"no such pet"}"#),
            reply(200, "application/json", r#"{"name":"Ada"}"#),
        ])
        .await;
        let client = Client::builder()
            .base_url(server.base_url())
            .max_retries(0)
            .build()
            .expect("a client");
        let pets = client.pets().list().limit(5).send().await.expect("pets");
        assert_eq!(pets[0].name, "Rex");
        let owner = pets[0].owner.as_ref().expect("an owner");
        assert_eq!(owner.pets.as_ref().map(|pets| pets[0].id), Some(8));
        assert_eq!(pets[0].parent.as_ref().map(|parent| parent.id), Some(1));
        let created = client.pets().create(7, "Rex").send().await.expect("created");
        assert_eq!(created.id, 7);
        let missing = client.pets().retrieve("p 1").send().await.expect_err("not found");
        assert_eq!(missing.to_string(), "404 Not Found: no such pet");
        let owner = client.owners().retrieve("o1").send().await.expect("an owner");
        assert_eq!(owner.name, "Ada");
        let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
        assert_eq!(targets, ["/v1/pets?limit=5", "/v1/pets", "/v1/pets/p%201", "/v1/owners/o1"]);
        assert_eq!(json_body(&server.requests()[1]), json!({ "id": 7, "name": "Rex" }));
    }
}

/// Every pagination style, each followed to its last page: the request for each page as it
/// arrived, and every item in order.
mod pagination_styles {
    use super::*;
    use corpus_pagination_by_shape::{Client, Error};

    fn client(server: &FaultServer) -> Client {
        Client::builder()
            .base_url(server.base_url())
            .max_retries(0)
            .build()
            .expect("a client")
    }

    fn page(body: Value) -> Action {
        reply(200, "application/json", body.to_string())
    }

    fn targets(server: &FaultServer) -> Vec<String> {
        server.requests().into_iter().map(|request| request.target).collect()
    }

    async fn all<S: futures::Stream<Item = Result<String, Error>>>(stream: S) -> Vec<String> {
        stream.map(|item| item.expect("an item")).collect().await
    }

    #[tokio::test]
    async fn a_cursor_the_page_carries_goes_back_in_the_query() {
        let server = FaultServer::start([
            page(json!({"items": ["a", "b"], "next_page_token": "t2"})),
            page(json!({"items": ["c"]})),
        ])
        .await;
        let items = all(client(&server).invoices().list().into_stream()).await;
        assert_eq!(items, ["a", "b", "c"]);
        assert_eq!(targets(&server), ["/v1/invoices", "/v1/invoices?page_token=t2"]);
    }

    #[tokio::test]
    async fn page_numbers_count_up_to_the_total_pages() {
        let server = FaultServer::start([
            page(json!({"results": ["a", "b"], "total_pages": 3})),
            page(json!({"results": ["c", "d"], "total_pages": 3})),
            page(json!({"results": ["e"], "total_pages": 3})),
        ])
        .await;
        let items = all(client(&server).tickets().list().per_page(2).into_stream()).await;
        assert_eq!(items, ["a", "b", "c", "d", "e"]);
        assert_eq!(
            targets(&server),
            ["/v1/tickets?per_page=2", "/v1/tickets?page=2&per_page=2", "/v1/tickets?page=3&per_page=2"]
        );
        // A list started at a page of the caller's counts on from there, page by page.
        let server = FaultServer::start([
            page(json!({"results": ["c", "d"], "total_pages": 3})),
            page(json!({"results": ["e"], "total_pages": 3})),
        ])
        .await;
        let first = client(&server).tickets().list().page(2).send().await.expect("page 2");
        let next = first.next_page().await.expect("page 3").expect("a third page");
        assert_eq!(next.results, ["e"]);
        assert!(!next.has_next_page());
        assert_eq!(targets(&server), ["/v1/tickets?page=2", "/v1/tickets?page=3"]);
    }

    #[tokio::test]
    async fn an_offset_skips_the_items_read_until_the_total() {
        let server = FaultServer::start([
            page(json!({"data": ["a", "b"], "total": 5})),
            page(json!({"data": ["c", "d"], "total": 5})),
            page(json!({"data": ["e"], "total": 5})),
        ])
        .await;
        let items = all(client(&server).orders().list().limit(2).into_stream()).await;
        assert_eq!(items, ["a", "b", "c", "d", "e"]);
        assert_eq!(
            targets(&server),
            ["/v1/orders?limit=2", "/v1/orders?offset=2&limit=2", "/v1/orders?offset=4&limit=2"]
        );
    }

    #[tokio::test]
    async fn the_link_header_names_the_next_page() {
        let linked = |body: Value, link: &str| {
            Reply::status(200)
                .header("content-type", "application/json")
                .header("link", link)
                .body(body.to_string())
                .into_action()
        };
        let server = FaultServer::start([
            linked(
                json!(["a", "b"]),
                r#"</v1/commits?per_page=2&page=2>; rel="next", </v1/commits?per_page=2&page=3>; rel="last""#,
            ),
            linked(json!(["c"]), r#"</v1/commits?per_page=2&page=1>; rel="prev first""#),
        ])
        .await;
        let items = all(client(&server).commits().list().per_page(2).into_stream()).await;
        assert_eq!(items, ["a", "b", "c"]);
        assert_eq!(targets(&server), ["/v1/commits?per_page=2", "/v1/commits?per_page=2&page=2"]);
    }

    #[tokio::test]
    async fn a_link_away_from_the_api_is_not_followed() {
        let server = FaultServer::start([Reply::status(200)
            .header("content-type", "application/json")
            .header("link", r#"<http://elsewhere.invalid/commits?page=2>; rel="next""#)
            .body(r#"["a"]"#)
            .into_action()])
        .await;
        let first = client(&server).commits().list().send().await.expect("a page");
        let error = first.next_page().await.expect_err("refused");
        assert!(
            error.to_string().contains("elsewhere.invalid"),
            "the error names the link: {error}"
        );
        assert_eq!(targets(&server), ["/v1/commits"]);
    }

    #[tokio::test]
    async fn speakeasys_extension_pages_by_offset_until_an_empty_page() {
        let server = FaultServer::start([
            page(json!({"refunds": ["a", "b"]})),
            page(json!({"refunds": []})),
        ])
        .await;
        let items = all(client(&server).refunds().list().take(2).into_stream()).await;
        assert_eq!(items, ["a", "b"]);
        assert_eq!(targets(&server), ["/v1/refunds?take=2", "/v1/refunds?skip=2&take=2"]);
    }
}

/// A Swagger 2.0 description, read as 3.0: its `collectionFormat`s, `body` and `formData`
/// parameters, `type: file` and security definitions, on the wire.
mod swagger_2_0 {
    use super::*;
    use corpus_swagger_2_0::types::Pet;
    use corpus_swagger_2_0::{Client, FilePart};

    fn client(server: &FaultServer) -> Client {
        Client::builder()
            .base_url(server.base_url())
            .api_key("clinic-key")
            .basic_auth("vet", "s3cret")
            .partner("vet-app", "app-secret")
            .partner_token_url(format!("{}/oauth/token", server.base_url()))
            .max_retries(0)
            .build()
            .expect("a client")
    }

    #[tokio::test]
    async fn query_arrays_follow_their_collection_format_and_bodies_their_parameters() {
        let pets = r#"[{"id": 1, "name": "Rex", "tag": null}]"#;
        let server = FaultServer::start([
            reply(200, "application/json", pets),
            reply(201, "application/json", r#"{"id": 2, "name": "Tom"}"#),
            reply(200, "application/json", r#"{"id": 2, "name": "Tom", "tag": "cat"}"#),
        ])
        .await;
        let client = client(&server);
        let listed = client
            .pets()
            .list()
            .limit(5)
            .tags(["a", "b"])
            .ids([1, 2])
            .names(["x", "y"])
            .send()
            .await
            .expect("listed");
        let mut rex = Pet::new("Rex".into(), 1);
        rex.tag = Some(None);
        assert_eq!(listed, [rex]);
        let created = client.pets().create("Tom").send().await.expect("created");
        assert_eq!(created, Pet::new("Tom".into(), 2));
        let fetched = client.pets().retrieve(2).send().await.expect("fetched");
        assert_eq!(fetched.tag, Some(Some("cat".to_owned())));

        let requests = server.requests();
        // `multi` repeats the name, the default `csv` joins with commas, `pipes` with `|`.
        assert_eq!(
            requests[0].target,
            "/v1/pets?limit=5&tags=a&tags=b&ids=1,2&names=x|y"
        );
        assert_eq!(requests[0].header("x-clinic-key"), Some("clinic-key"));
        // The `body` parameter is the JSON body.
        assert_eq!(
            (requests[1].method.as_str(), requests[1].target.as_str()),
            ("POST", "/v1/pets")
        );
        assert_eq!(requests[1].header("content-type"), Some("application/json"));
        assert_eq!(json_body(&requests[1]), json!({"name": "Tom"}));
        // The operation's own security: basic, not the description's key.
        assert_eq!(requests[2].target, "/v1/pets/2");
        assert_eq!(requests[2].header("authorization"), Some("Basic dmV0OnMzY3JldA=="));
        assert_eq!(requests[2].header("x-clinic-key"), None);
    }

    #[tokio::test]
    async fn form_data_parameters_are_a_multipart_or_url_encoded_body_and_files_are_bytes() {
        let server = FaultServer::start([
            reply(200, "application/json", r#"{"url": "https://photos/1"}"#),
            reply(200, "application/json", r#"{"access_token": "t1", "token_type": "bearer"}"#),
            Reply::status(204).into_action(),
            reply(200, "image/png", "\u{89}PNG"),
        ])
        .await;
        let client = client(&server);
        let uploaded = client
            .pets()
            .photos()
            .update(7, FilePart::bytes(&b"pixels"[..]).file_name("rex.png"))
            .caption("Rex at rest")
            .send()
            .await
            .expect("uploaded");
        assert_eq!(uploaded.url.as_deref(), Some("https://photos/1"));
        client
            .visits()
            .create(7)
            .reason("check-up & shots")
            .send()
            .await
            .expect("booked");
        let photo = client.pets().photos().retrieve(7).send().await.expect("a photo");
        assert_eq!(photo, "\u{89}PNG".as_bytes());

        let requests = server.requests();
        assert_eq!(requests[0].target, "/v1/pets/7/photos");
        assert_eq!(
            multipart(&requests[0]),
            [
                part("file", Some("rex.png"), Some("application/octet-stream"), b"pixels"),
                part("caption", None, None, b"Rex at rest"),
            ]
        );
        // OAuth 2's `flow: application` is client credentials: a token for the scopes the
        // operation asks, then the call with it.
        assert_eq!(requests[1].target, "/v1/oauth/token");
        assert_eq!(
            String::from_utf8_lossy(&requests[1].body),
            "grant_type=client_credentials&scope=pets%3Aread"
        );
        assert_eq!(requests[2].target, "/v1/visits");
        assert_eq!(
            requests[2].header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            String::from_utf8_lossy(&requests[2].body),
            "petId=7&reason=check-up%20%26%20shots"
        );
        assert_eq!(requests[2].header("authorization"), Some("Bearer t1"));
        assert_eq!(requests[3].header("accept"), Some("image/png"));
    }
}

/// OpenAPI 3.2: sequences typed by `itemSchema`, the `query` method and other methods, whole
/// query strings, and `defaultMapping`.
mod openapi_3_2 {
    use super::*;
    use corpus_openapi_3_2::types::{
        Camera, Device, FilterSelector, GenericPeripheral, LogEntry, Peripheral, Reading, Report,
        SearchCriteria,
    };
    use corpus_openapi_3_2::{Client, Error};

    fn client(server: &FaultServer) -> Client {
        Client::builder()
            .base_url(server.base_url())
            .max_retries(0)
            .build()
            .expect("a client")
    }

    /// Every item of a stream that ends well.
    async fn every<T>(stream: impl futures::Stream<Item = Result<T, Error>>) -> Vec<T> {
        stream.map(|item| item.expect("an item")).collect().await
    }

    fn entry(timestamp: &str, message: &str, level: Option<i64>) -> LogEntry {
        let mut entry = LogEntry::new(timestamp.into(), message.into());
        entry.level = level;
        entry
    }

    #[tokio::test]
    async fn json_lines_and_text_sequences_stream_their_items_and_bodies_are_written_so() {
        let lines = "{\"timestamp\":\"t1\",\"message\":\"boot\",\"level\":1}\r\n\n{\"timestamp\":\"t2\"}\n{\"timestamp\":\"t3\",\"message\":\"up\"}";
        let records = "\u{1e}{\"timestamp\":\"t1\",\n \"message\":\"a\"}\n\u{1e}{\"timestamp\":\"t2\",\"message\":\"b\"}\n";
        let server = FaultServer::start([
            reply(200, "application/jsonl", lines),
            reply(200, "application/json-seq", records),
            Reply::status(204).into_action(),
        ])
        .await;
        let client = client(&server);
        let items: Vec<Result<LogEntry, Error>> = client
            .logs()
            .list()
            .level(1)
            .send()
            .await
            .expect("a stream")
            .collect()
            .await;
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].as_ref().ok(), Some(&entry("t1", "boot", Some(1))));
        // An item that does not decode is an error of its own; the stream goes on.
        assert!(
            matches!(&items[1], Err(Error::Decode { body, .. }) if body == b"{\"timestamp\":\"t2\"}")
        );
        assert_eq!(items[2].as_ref().ok(), Some(&entry("t3", "up", None)));
        let sequence: Vec<LogEntry> =
            every(client.logs().sequence().send().await.expect("a stream")).await;
        assert_eq!(sequence, [entry("t1", "a", None), entry("t2", "b", None)]);
        client
            .logs()
            .create([entry("t4", "x", Some(2)), entry("t5", "y", None)])
            .send()
            .await
            .expect("appended");

        let requests = server.requests();
        assert_eq!(requests[0].target, "/v1/logs?level=1");
        // Asked for in the one format the stream reads.
        assert_eq!(requests[0].header("accept"), Some("application/jsonl"));
        assert_eq!(requests[1].header("accept"), Some("application/json-seq"));
        assert_eq!(
            (requests[2].method.as_str(), requests[2].target.as_str()),
            ("POST", "/v1/logs")
        );
        assert_eq!(
            requests[2].header("content-type"),
            Some("application/x-ndjson")
        );
        assert_eq!(
            String::from_utf8_lossy(&requests[2].body),
            "{\"timestamp\":\"t4\",\"level\":2,\"message\":\"x\"}\n{\"timestamp\":\"t5\",\"message\":\"y\"}\n"
        );
    }

    #[tokio::test]
    async fn multipart_mixed_parts_decode_as_their_items_or_come_as_they_are() {
        let reports = "preamble\r\n--r1\r\nContent-Type: application/json\r\n\r\n{\"title\":\"Q1\",\"pages\":3}\r\n--r1\r\nContent-Type: application/json\r\n\r\n{\"title\":\"Q2\"}\r\n--r1--\r\n";
        let snapshots = "--s\r\nContent-Type: image/jpeg\r\nContent-ID: <front>\r\n\r\nJPEG1\r\n--s\r\nContent-Type: image/jpeg\r\n\r\nJPEG2\r\n--s--";
        let server = FaultServer::start([
            reply(200, "multipart/mixed; boundary=r1", reports),
            reply(200, "multipart/mixed; boundary=\"s\"", snapshots),
            Reply::status(204).into_action(),
            reply(200, "multipart/mixed", "--x\r\n\r\n{}\r\n--x--"),
        ])
        .await;
        let client = client(&server);
        let reports: Vec<Report> = every(
            client
                .devices()
                .reports()
                .list("d1")
                .send()
                .await
                .expect("a stream"),
        )
        .await;
        let mut first = Report::new("Q1".into());
        first.pages = Some(3);
        assert_eq!(reports, [first, Report::new("Q2".into())]);
        let parts: Vec<_> = every(
            client
                .devices()
                .snapshots()
                .list("d1")
                .send()
                .await
                .expect("a stream"),
        )
        .await;
        let found: Vec<(Option<&str>, &[u8])> = parts
            .iter()
            .map(|part| (part.content_type(), &part.body[..]))
            .collect();
        assert_eq!(
            found,
            [
                (Some("image/jpeg"), &b"JPEG1"[..]),
                (Some("image/jpeg"), &b"JPEG2"[..])
            ]
        );
        assert_eq!(parts[0].headers["content-id"], "<front>");
        client
            .devices()
            .reports()
            .create("d1", [Report::new("Q3".into()), Report::new("Q4".into())])
            .send()
            .await
            .expect("uploaded");
        // A multipart response that names no boundary cannot be read.
        let refused = client.devices().reports().list("d1").send().await;
        assert!(matches!(refused, Err(Error::Decode { .. })), "{refused:?}");

        let requests = server.requests();
        assert_eq!(requests[0].target, "/v1/devices/d1/reports");
        assert_eq!(requests[0].header("accept"), Some("multipart/mixed"));
        // The upload: a JSON part per report, between boundary lines.
        let content_type = requests[2].header("content-type").expect("a content type");
        let boundary = content_type
            .strip_prefix("multipart/mixed; boundary=")
            .expect("a boundary");
        let expected = format!(
            "--{boundary}\r\nContent-Type: application/json\r\n\r\n{{\"title\":\"Q3\"}}\r\n--{boundary}\r\nContent-Type: application/json\r\n\r\n{{\"title\":\"Q4\"}}\r\n--{boundary}--\r\n"
        );
        assert_eq!(String::from_utf8_lossy(&requests[2].body), expected);
    }

    #[tokio::test]
    async fn event_streams_are_typed_by_the_data_their_item_schema_describes() {
        let readings = "event: reading\ndata: {\"sensor\":\"temp\",\"value\":21.5}\n\ndata: {\"sensor\":\"rh\",\"value\":40}\n\n";
        let console =
            ": a comment\ndata: booting\ndata: kernel 6.1\n\ndata: {\"not\":\"parsed\"}\n\n";
        let server = FaultServer::start([
            reply(200, "text/event-stream", readings),
            reply(200, "text/event-stream", console),
        ])
        .await;
        let client = client(&server);
        let readings: Vec<Reading> = every(
            client
                .devices()
                .readings()
                .retrieve("d1")
                .send()
                .await
                .expect("a stream"),
        )
        .await;
        assert_eq!(
            readings,
            [
                Reading::new("temp".into(), 21.5),
                Reading::new("rh".into(), 40.0)
            ]
        );
        // Text data is a string; so is data that happens to be JSON.
        let lines: Vec<String> = every(
            client
                .devices()
                .console()
                .retrieve("d1")
                .session("s-1")
                .send()
                .await
                .expect("a stream"),
        )
        .await;
        assert_eq!(lines, ["booting\nkernel 6.1", "{\"not\":\"parsed\"}"]);

        let requests = server.requests();
        assert_eq!(requests[0].target, "/v1/devices/d1/readings");
        assert_eq!(requests[0].header("accept"), Some("text/event-stream"));
        // `style: cookie` is written as a cookie.
        assert_eq!(requests[1].header("cookie"), Some("session=s-1"));
    }

    #[tokio::test]
    async fn the_query_method_and_other_methods_are_sent_as_written() {
        let server = FaultServer::start([
            reply(200, "application/json", r#"[{"id": "d1", "model": "m7"}]"#),
            Reply::status(204).into_action(),
        ])
        .await;
        let client = client(&server);
        let found = client
            .devices()
            .query("m7")
            .online(true)
            .send()
            .await
            .expect("found");
        assert_eq!(found, [Device::new("d1".into(), "m7".into())]);
        client.devices().purge(30).send().await.expect("purged");

        let requests = server.requests();
        assert_eq!(
            (requests[0].method.as_str(), requests[0].target.as_str()),
            ("QUERY", "/v1/devices")
        );
        assert_eq!(
            json_body(&requests[0]),
            json!({"model": "m7", "online": true})
        );
        assert_eq!(
            (requests[1].method.as_str(), requests[1].target.as_str()),
            ("PURGE", "/v1/devices?older_than=30")
        );
    }

    #[tokio::test]
    async fn a_querystring_parameter_is_the_whole_query() {
        let server = FaultServer::start([
            reply(200, "application/json", r#"["hit"]"#),
            reply(200, "application/json", "[]"),
            reply(200, "application/json", "[]"),
        ])
        .await;
        let client = client(&server);
        let mut criteria = SearchCriteria::new("rust sdk".into());
        criteria.page = Some(2);
        let hits = client.search(criteria).send().await.expect("hits");
        assert_eq!(hits, ["hit"]);
        let mut selector = FilterSelector::default();
        selector.models = Some(vec!["m7".into()]);
        selector.online = Some(true);
        client
            .filter()
            .list()
            .selector(selector)
            .send()
            .await
            .expect("filtered");
        client.filter().list().send().await.expect("unfiltered");

        let requests = server.requests();
        // Form-encoded: each member a pair; the parameter's name is not sent.
        assert_eq!(requests[0].target, "/v1/search?page=2&q=rust%20sdk");
        // JSON: the whole query is the value's JSON text.
        assert_eq!(
            requests[1].target,
            "/v1/filter?%7B%22models%22%3A%5B%22m7%22%5D%2C%22online%22%3Atrue%7D"
        );
        assert_eq!(requests[2].target, "/v1/filter");
    }

    #[tokio::test]
    async fn a_default_mapping_reads_tags_it_does_not_know_as_its_variant() {
        let body = r#"[
            {"kind": "camera", "resolution": "4k"},
            {"kind": "speaker", "name": "hall"},
            {"name": "untagged"},
            {"kind": 7}
        ]"#;
        let server = FaultServer::start([reply(200, "application/json", body)]).await;
        let peripherals = client(&server)
            .peripherals()
            .list()
            .send()
            .await
            .expect("listed");
        let generic = |kind: Option<&str>, name: &str| {
            let mut generic = GenericPeripheral::default();
            generic.kind = kind.map(Into::into);
            generic.name = Some(name.into());
            Peripheral::GenericPeripheral(generic)
        };
        assert_eq!(
            peripherals,
            [
                Peripheral::Camera(Camera::new("4k".into())),
                generic(Some("speaker"), "hall"),
                generic(None, "untagged"),
                // A value the default variant does not fit stays whole.
                Peripheral::Unknown(json!({"kind": 7})),
            ]
        );
        // Encoding gives back what was read.
        let encoded = serde_json::to_value(&peripherals).expect("encodes");
        assert_eq!(encoded, serde_json::from_str::<Value>(body).expect("JSON"));
    }
}

/// Idempotency keys (`x-sdk-idempotency: {header: Idempotency-Key, methods: [POST, PATCH]}`):
/// one per call, the same on each of its retries.
mod idempotency {
    use super::*;
    use corpus_http_methods::{Client, RequestOptions};

    fn client(server: &FaultServer) -> Client {
        Client::builder()
            .base_url(server.base_url())
            .max_retry_delay(Duration::from_secs(1))
            .build()
            .expect("a client")
    }

    fn busy() -> Action {
        Reply::status(503)
            .header("retry-after-ms", "5")
            .header("content-type", "application/json")
            .body("{}")
            .into_action()
    }

    fn note(text: &str) -> Action {
        reply(201, "application/json", json!({"text": text}).to_string())
    }

    #[tokio::test]
    async fn the_retries_of_a_call_carry_its_key_and_other_calls_their_own() {
        let server = FaultServer::start([
            busy(),
            busy(),
            note("a"),
            note("b"),
            reply(200, "application/json", "[]"),
            reply(200, "application/json", r#"{"text": "c"}"#),
            reply(200, "application/json", r#"{"text": "d"}"#),
            busy(),
            note("e"),
        ])
        .await;
        let client = client(&server);
        let notes = client.notes();
        notes.create("a").send().await.expect("created after two retries");
        notes.create("b").send().await.expect("created");
        notes.list().send().await.expect("listed");
        notes.update("n1").text("c").send().await.expect("edited");
        notes.replace("n1", "d").send().await.expect("replaced");
        notes
            .create("e")
            .request_options(RequestOptions::new().idempotency_key("caller-key-1"))
            .send()
            .await
            .expect("created with the caller's key");

        let requests = server.requests();
        let keys: Vec<Option<&str>> = requests
            .iter()
            .map(|request| request.header("idempotency-key"))
            .collect();
        // The three attempts of the first call share one key; the second call has another.
        let first = keys[0].expect("a key");
        assert!(first.starts_with("sdkgen-") && first.len() == 39, "{first}");
        assert_eq!(keys[1], Some(first));
        assert_eq!(keys[2], Some(first));
        let second = keys[3].expect("a key");
        assert_ne!(second, first);
        // GET and PUT are not listed; PATCH is.
        assert_eq!(keys[4], None);
        assert!(keys[5].is_some_and(|key| key != first && key != second));
        assert_eq!(keys[6], None);
        // The caller's own key, on each attempt.
        assert_eq!(keys[7], Some("caller-key-1"));
        assert_eq!(keys[8], Some("caller-key-1"));
        assert_eq!(requests.len(), 9);
    }
}
