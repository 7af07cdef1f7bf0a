//! What the fake saw on the wire, so that tests can assert the exact request a client sent.

/// One HTTP request as the fake received it, recorded before any routing or validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The method, for example `"GET"`.
    pub method: String,
    /// The path without the query, undecoded, for example `"/v1/organization/certificates"`.
    pub path: String,
    /// The raw query string after `?`, undecoded; `None` when the target had no `?`.
    pub query: Option<String>,
    /// Header names (lowercase) and values. Order follows arrival, except that repeated names
    /// are grouped at their first occurrence (that is how the HTTP stack stores them).
    /// Non-UTF-8 values are converted lossily.
    pub headers: Vec<(String, String)>,
    /// The body bytes; empty when there was none, or when it was larger than the 1 MiB the
    /// fake reads (it answers 413 then).
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first value of the header `name` (matched case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body parsed as JSON, or `None` when it is empty or not JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_headers_case_insensitively_and_parses_json() {
        let request = RecordedRequest {
            method: "POST".to_owned(),
            path: "/v1/x".to_owned(),
            query: None,
            headers: vec![
                ("accept".to_owned(), "application/json".to_owned()),
                ("x-a".to_owned(), "1".to_owned()),
                ("x-a".to_owned(), "2".to_owned()),
            ],
            body: br#"{"name":"n"}"#.to_vec(),
        };
        assert_eq!(request.header("Accept"), Some("application/json"));
        assert_eq!(request.header("x-a"), Some("1"));
        assert_eq!(request.header("missing"), None);
        assert_eq!(request.json(), Some(serde_json::json!({"name": "n"})));

        let empty = RecordedRequest {
            body: Vec::new(),
            ..request
        };
        assert_eq!(empty.json(), None);
    }
}
