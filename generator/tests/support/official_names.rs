//! Scoring the names a generated crate gives its operations against an official SDK's
//! `api.md` (Stainless's format): shared by `examples/official_names.rs`, which prints the
//! figures for `BENCHMARKS.md`, and `tests/official_names.rs`, which holds them.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

/// `get /files/{}` → the SDK's call paths for it (`files.retrieve`; some routes have two).
pub type Routes = BTreeMap<String, Vec<String>>;

/// The routes of Stainless-style `api.md` files.
pub fn official_routes(files: &[impl AsRef<Path>]) -> Result<Routes, String> {
    let mut routes = Routes::new();
    for file in files {
        let file = file.as_ref();
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        for line in text.lines() {
            if let Some((route, call)) = official_line(line) {
                routes.entry(route).or_default().push(call);
            }
        }
    }
    Ok(routes)
}

/// `- <code title="get /files/{file_id}">client.files.<a href="...">retrieve</a>(...)` →
/// (`get /files/{}`, `files.retrieve`).
fn official_line(line: &str) -> Option<(String, String)> {
    let rest = line.split_once("<code title=\"")?.1;
    let (title, rest) = rest.split_once("\">client.")?;
    let (verb, path) = title.split_once(' ')?;
    let (prefix, rest) = rest.split_once("<a ")?;
    let method = rest.split_once('>')?.1.split_once("</a>")?.0;
    Some((route(verb, path), format!("{prefix}{method}")))
}

/// The routes of a generated crate's `public-api.jsonl`: each method item with its origin.
pub fn generated_routes(jsonl: &str) -> Routes {
    let mut routes = Routes::new();
    for line in jsonl.lines() {
        let Ok(item) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if item["kind"] != "method" {
            continue;
        }
        let (Some(name), Some(origin)) = (item["item"].as_str(), item["origin"].as_str()) else {
            continue;
        };
        let Some((path, verb)) = origin
            .strip_prefix("#/paths/")
            .and_then(|rest| rest.rsplit_once('/'))
        else {
            continue;
        };
        let path = path.replace("~1", "/").replace("~0", "~");
        let call = name
            .strip_prefix("client.")
            .unwrap_or(name)
            .replace("()", "");
        routes.entry(route(verb, &path)).or_default().push(call);
    }
    routes
}

/// `GET /files/{file_id}` → `get /files/{}`.
fn route(verb: &str, path: &str) -> String {
    let mut normal = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                normal.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => normal.push(c),
        }
    }
    format!("{} {normal}", verb.to_ascii_lowercase())
}

pub struct Score {
    pub routes: usize,
    pub same_method: usize,
    pub same_path: usize,
    /// Route, the SDK's calls, ours, where the call paths differ.
    pub differences: Vec<(String, Vec<String>, String)>,
}

impl Score {
    /// `part` of the routes, in percent.
    pub fn percent(&self, part: usize) -> f64 {
        if self.routes == 0 {
            0.0
        } else {
            100.0 * part as f64 / self.routes as f64
        }
    }

    pub fn of(official: &Routes, ours: &Routes) -> Score {
        let mut score = Score {
            routes: 0,
            same_method: 0,
            same_path: 0,
            differences: Vec::new(),
        };
        for (route, calls) in official {
            let Some(our) = ours.get(route).and_then(|calls| calls.first()) else {
                continue;
            };
            score.routes += 1;
            let method = |call: &str| call.rsplit('.').next().unwrap_or(call).to_owned();
            if calls.iter().any(|call| method(call) == method(our)) {
                score.same_method += 1;
            }
            let theirs = |call: &String| call.strip_prefix("admin.").unwrap_or(call).to_owned();
            if calls.iter().any(|call| theirs(call) == *our || call == our) {
                score.same_path += 1;
            } else {
                score
                    .differences
                    .push((route.clone(), calls.clone(), our.clone()));
            }
        }
        score
    }
}
