//! The crate generated from OpenAI's whole published description, on the wire against a
//! scripted server on 127.0.0.1: its certificates operations send and decode exactly what
//! `generated/` (from the hand-written description) does, and one operation of each other
//! kind (multipart upload, server-sent events, binary download, per-operation keys) works.

/// The runtime tests' scripted server, copied in by the test; this crate uses part of it.
#[cfg(test)]
#[allow(dead_code)]
mod fault_server;

#[cfg(test)]
mod tests {
    use futures::StreamExt;
    use serde_json::{json, Value};

    use crate::fault_server::{Action, FaultServer, Recorded, Reply};

    const ADMIN_KEY: &str = "sk-admin-test";
    const PROJECT_KEY: &str = "sk-proj-test";

    fn json_reply(body: &Value) -> Action {
        Reply::json(200, body.to_string()).into_action()
    }

    fn openai(server: &FaultServer) -> real_openai::Client {
        real_openai::Client::builder()
            .base_url(server.base_url())
            .api_key(PROJECT_KEY)
            .admin_api_key(ADMIN_KEY)
            .max_retries(0)
            .build()
            .expect("a client")
    }

    fn encoded<T: serde::Serialize>(value: &T) -> Value {
        serde_json::to_value(value).expect("encodes")
    }

    /// What identifies a request: method, target, credential, content type and JSON body.
    fn summary(request: &Recorded) -> (String, String, Option<String>, Option<String>, Value) {
        let body = if request.body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&request.body).expect("a JSON body")
        };
        (
            request.method.clone(),
            request.target.clone(),
            request.header("authorization").map(str::to_owned),
            request.header("content-type").map(str::to_owned),
            body,
        )
    }

    fn certificate(object: &str) -> Value {
        json!({
            "object": object,
            "id": "cert_1",
            "name": "Ingress",
            "created_at": 1_700_000_000,
            "certificate_details": { "valid_at": 1_700_000_000, "expires_at": 1_800_000_000, "content": "-----BEGIN CERTIFICATE-----" },
            "active": true
        })
    }

    fn certificate_replies() -> Vec<Action> {
        let list = json!({
            "object": "list",
            "data": [certificate("organization.certificate")],
            "first_id": "cert_1",
            "last_id": "cert_1",
            "has_more": false
        });
        vec![
            json_reply(&list),
            json_reply(&certificate("certificate")),
            json_reply(&certificate("certificate")),
            json_reply(&certificate("certificate")),
        ]
    }

    #[tokio::test]
    async fn certificates_send_and_decode_what_the_hand_written_crate_does() {
        use openai_admin_certificates::types::ListOrganizationCertificatesOrder as RefOrder;
        use real_openai::types::ListOrganizationCertificatesOrder as Order;

        let server = FaultServer::start(certificate_replies()).await;
        let client = openai(&server);
        let certificates = client.organization().certificates();
        let page = certificates
            .list()
            .limit(2)
            .after("cert_0")
            .order(Order::Asc)
            .send()
            .await
            .expect("a page");
        let uploaded = certificates
            .create("-----BEGIN CERTIFICATE-----")
            .name("Ingress")
            .send()
            .await
            .expect("uploaded");
        let got = certificates
            .retrieve("cert_1")
            .include(["content"])
            .send()
            .await
            .expect("a certificate");
        let modified = certificates
            .update("cert_1")
            .name("Renamed")
            .send()
            .await
            .expect("modified");

        let reference_server = FaultServer::start(certificate_replies()).await;
        let reference = openai_admin_certificates::Client::builder()
            .base_url(reference_server.base_url())
            .admin_api_key(ADMIN_KEY)
            .max_retries(0)
            .build()
            .expect("a client");
        let reference_certificates = reference.admin().organization().certificates();
        let reference_page = reference_certificates
            .list()
            .limit(2)
            .after("cert_0")
            .order(RefOrder::Asc)
            .send()
            .await
            .expect("a page");
        let reference_uploaded = reference_certificates
            .create("-----BEGIN CERTIFICATE-----")
            .name("Ingress")
            .send()
            .await
            .expect("uploaded");
        let reference_got = reference_certificates
            .retrieve("cert_1")
            .include(["content"])
            .send()
            .await
            .expect("a certificate");
        let reference_modified = reference_certificates
            .update("cert_1")
            .name("Renamed")
            .send()
            .await
            .expect("modified");

        // The same requests, byte for byte where it matters ...
        let sent: Vec<_> = server.requests().iter().map(summary).collect();
        let reference_sent: Vec<_> = reference_server.requests().iter().map(summary).collect();
        assert_eq!(sent, reference_sent);
        let bearer = Some(format!("Bearer {ADMIN_KEY}"));
        let json_type = Some("application/json".to_owned());
        assert_eq!(
            sent,
            [
                ("GET".into(), "/v1/organization/certificates?limit=2&after=cert_0&order=asc".into(), bearer.clone(), None, Value::Null),
                ("POST".into(), "/v1/organization/certificates".into(), bearer.clone(), json_type.clone(), json!({ "name": "Ingress", "certificate": "-----BEGIN CERTIFICATE-----" })),
                ("GET".into(), "/v1/organization/certificates/cert_1?include%5B%5D=content".into(), bearer.clone(), None, Value::Null),
                ("POST".into(), "/v1/organization/certificates/cert_1".into(), bearer, json_type, json!({ "name": "Renamed" })),
            ]
        );
        // ... and the same values decoded.
        assert_eq!(encoded(&page.data), encoded(&reference_page.data));
        assert_eq!(encoded(&page.data)[0], certificate("organization.certificate"));
        for (value, reference) in [
            (encoded(&uploaded), encoded(&reference_uploaded)),
            (encoded(&got), encoded(&reference_got)),
            (encoded(&modified), encoded(&reference_modified)),
        ] {
            assert_eq!(value, reference);
            assert_eq!(value, certificate("certificate"));
        }
    }

    #[tokio::test]
    async fn each_operation_sends_the_key_its_security_names() {
        let models = json!({ "object": "list", "data": [] });
        let list = json!({ "object": "list", "data": [], "has_more": false });
        let server = FaultServer::start([json_reply(&models), json_reply(&list)]).await;
        let client = openai(&server);
        client.models().list().send().await.expect("models");
        client
            .organization()
            .certificates()
            .list()
            .send()
            .await
            .expect("certificates");
        let requests = server.requests();
        assert_eq!(requests[0].header("authorization"), Some("Bearer sk-proj-test"));
        assert_eq!(requests[1].header("authorization"), Some("Bearer sk-admin-test"));
        let debug = format!("{client:?}");
        assert!(!debug.contains(ADMIN_KEY) && !debug.contains(PROJECT_KEY), "{debug}");
    }

    #[tokio::test]
    async fn a_file_upload_is_multipart() {
        use real_openai::types::OpenAiFilePurpose;
        use real_openai::FilePart;
        let file = json!({
            "id": "file-1", "object": "file", "bytes": 3, "created_at": 1, "filename": "batch.jsonl",
            "purpose": "batch", "status": "processed"
        });
        let server = FaultServer::start([json_reply(&file)]).await;
        let uploaded = openai(&server)
            .files()
            .create(FilePart::bytes(&b"{}\n"[..]).file_name("batch.jsonl"), "batch")
            .send()
            .await
            .expect("uploaded");
        assert_eq!((uploaded.id.as_str(), uploaded.bytes), ("file-1", 3));
        assert_eq!((uploaded.filename.as_str(), uploaded.purpose), ("batch.jsonl", OpenAiFilePurpose::Batch));
        let request = &server.requests()[0];
        assert_eq!(request.target, "/v1/files");
        let content_type = request.header("content-type").expect("a content type");
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("multipart");
        let body = String::from_utf8_lossy(&request.body);
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"batch.jsonl\"\r\nContent-Type: application/octet-stream\r\n\r\n{{}}\n\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--{boundary}--\r\n"
        );
        assert_eq!(body, expected);
    }

    #[tokio::test]
    async fn a_chat_completion_streams_its_chunks() {
        use real_openai::types::{ChatCompletionRequestMessage, ChatCompletionRequestUserMessage};
        let chunk = |content: &str| {
            json!({
                "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o",
                "choices": [{ "index": 0, "delta": { "content": content }, "finish_reason": null }]
            })
        };
        let events = format!("data: {}\n\ndata: {}\n\ndata: [DONE]\n\n", chunk("Hel"), chunk("lo"));
        let server = FaultServer::start([Reply::status(200)
            .header("content-type", "text/event-stream")
            .body(events)
            .into_action()])
        .await;
        // The role is set by the constructor, the text converts into the content union, and
        // the message into the message union, named by its tag.
        let message: ChatCompletionRequestMessage = ChatCompletionRequestUserMessage::new("Hi").into();
        let decoded: ChatCompletionRequestMessage =
            serde_json::from_value(json!({ "role": "user", "content": "Hi" })).expect("a user message");
        assert!(matches!(&decoded, ChatCompletionRequestMessage::User(_)));
        assert_eq!(message, decoded);
        let stream = openai(&server)
            .chat()
            .completions()
            .create([ChatCompletionRequestUserMessage::new("Hi")], "gpt-4o")
            .stream()
            .await
            .expect("a stream");
        let text: Vec<String> = stream
            .map(|chunk| {
                let chunk = chunk.expect("a chunk");
                chunk.choices[0].delta.content.clone().flatten().unwrap_or_default()
            })
            .collect()
            .await;
        assert_eq!(text, ["Hel", "lo"]);
        let request = &server.requests()[0];
        assert_eq!(request.target, "/v1/chat/completions");
        assert_eq!(request.header("accept"), Some("text/event-stream"));
        assert_eq!(request.header("authorization"), Some("Bearer sk-proj-test"));
        assert_eq!(
            serde_json::from_slice::<Value>(&request.body).expect("JSON"),
            json!({ "messages": [{ "role": "user", "content": "Hi" }], "model": "gpt-4o", "stream": true })
        );
    }

    #[tokio::test]
    async fn speech_arrives_as_bytes() {
        use real_openai::types::{VoiceIdsOrCustomVoice, VoiceIdsShared};
        let audio = "ID3\u{3}\0 not really mp3";
        let server = FaultServer::start([Reply::status(200)
            .header("content-type", "application/octet-stream")
            .body(audio)
            .into_action()])
        .await;
        // A variant's value converts into its union.
        let voice = VoiceIdsOrCustomVoice::Shared(VoiceIdsShared::Alloy);
        assert_eq!(VoiceIdsOrCustomVoice::from(VoiceIdsShared::Alloy), voice);
        let bytes = openai(&server)
            .audio()
            .speech()
            .create("gpt-4o-mini-tts", "Hello", VoiceIdsShared::Alloy)
            .send()
            .await
            .expect("audio");
        assert_eq!(bytes, audio.as_bytes());
        let request = &server.requests()[0];
        assert_eq!(request.target, "/v1/audio/speech");
        assert_eq!(
            serde_json::from_slice::<Value>(&request.body).expect("JSON"),
            json!({ "model": "gpt-4o-mini-tts", "input": "Hello", "voice": "alloy" })
        );
        assert_eq!(request.header("accept"), Some("application/octet-stream"));
    }

    /// Every webhook of OpenAI's description, with its payload's own example as the body:
    /// signed as OpenAI signs, verified with the client's secret, decoded as the variant
    /// named after it, and encoded back to the same JSON.
    #[test]
    fn every_webhook_example_of_the_description_verifies_and_decodes_as_its_variant() {
        use real_openai::webhooks::{WebhookEvent, Webhooks};

        let examples: Vec<(String, Value)> =
            serde_json::from_str(include_str!("webhook_examples.json")).expect("the examples");
        assert_eq!(examples.len(), 16);
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let client = real_openai::Client::builder()
            .api_key(PROJECT_KEY)
            .webhook_secret(secret)
            .build()
            .expect("a client");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        for (name, example) in examples {
            let body = example.to_string();
            let signature = Webhooks::new(secret)
                .sign("wh_1", now as i64, body.as_bytes())
                .expect("signed");
            let headers = [
                ("webhook-id", "wh_1".to_owned()),
                ("webhook-timestamp", now.to_string()),
                ("webhook-signature", signature),
            ];
            let event = client
                .webhooks()
                .unwrap(body.as_bytes(), &headers)
                .unwrap_or_else(|error| panic!("{name}: {error}"));
            assert!(!matches!(event, WebhookEvent::Unknown(_)), "{name}");
            let variant: String = name
                .split('_')
                .map(|word| word[..1].to_uppercase() + &word[1..])
                .collect();
            assert!(
                format!("{event:?}").starts_with(&format!("{variant}(")),
                "{name}: {event:?}"
            );
            assert_eq!(serde_json::to_value(&event).expect("encodes"), example, "{name}");
        }
    }
}
