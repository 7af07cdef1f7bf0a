//! The runtime every generated crate carries: ordinary Rust files under `generator/runtime/`,
//! copied verbatim to `src/runtime/` so that they read (and are reviewed) like normal code.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// A runtime source file and where it goes in the generated crate.
pub struct RuntimeFile {
    pub path: &'static str,
    pub contents: &'static str,
}

macro_rules! runtime_files {
    ($($name:literal),* $(,)?) => {
        &[$(RuntimeFile {
            path: concat!("src/runtime/", $name),
            contents: include_str!(concat!("../runtime/", $name)),
        }),*]
    };
}

pub const FILES: &[RuntimeFile] = runtime_files![
    "mod.rs",
    "config.rs",
    "error.rs",
    "pagination.rs",
    "request.rs",
    "response.rs",
    "serde_helpers.rs",
    "sse.rs",
    "transport.rs",
    "upload.rs",
];

/// The runtime's dependencies, as `[dependencies]` and `[dev-dependencies]` tables.
pub const DEPENDENCIES: &str = include_str!("../runtime/dependencies.toml");

/// Runtime items re-exported at the generated crate's root.
pub const PUBLIC_ITEMS: &[&str] = &[
    "ApiError",
    "ApiResponse",
    "ByteStream",
    "Client",
    "ClientBuilder",
    "CursorPage",
    "Error",
    "ErrorBody",
    "EventStream",
    "FilePart",
    "Page",
    "PageStream",
    "PaginatedRequest",
    "RequestOptions",
    "ServerSentEvent",
];

/// The names of every inherent method the runtime defines on `type_name` (`Client`,
/// `ClientBuilder`), read from its source: a generated method of the same name would not
/// compile, so generated names avoid these. The runtime is parsed once per process.
pub fn inherent_methods(type_name: &str) -> BTreeSet<String> {
    static METHODS: OnceLock<BTreeMap<String, BTreeSet<String>>> = OnceLock::new();
    METHODS
        .get_or_init(parse_inherent_methods)
        .get(type_name)
        .cloned()
        .unwrap_or_default()
}

/// Type name → inherent method names, over every runtime file (a file that does not parse,
/// which the test below rules out, contributes none).
fn parse_inherent_methods() -> BTreeMap<String, BTreeSet<String>> {
    let mut methods: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let files = FILES
        .iter()
        .filter_map(|file| syn::parse_file(file.contents).ok());
    for item in files.flat_map(|parsed| parsed.items) {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let syn::Type::Path(self_type) = &*block.self_ty else {
            continue;
        };
        let (None, Some(last)) = (&block.trait_, self_type.path.segments.last()) else {
            continue;
        };
        let names = methods.entry(last.ident.to_string()).or_default();
        for member in &block.items {
            if let syn::ImplItem::Fn(function) = member {
                names.insert(function.sig.ident.to_string());
            }
        }
    }
    methods
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtimes_own_methods_are_read_from_its_source() {
        let client = inherent_methods("Client");
        for name in [
            "base_url",
            "builder_for",
            "from_env_for",
            "execute",
            "execute_events",
        ] {
            assert!(client.contains(name), "{name}: {client:?}");
        }
        let builder = inherent_methods("ClientBuilder");
        for name in [
            "base_url",
            "timeout",
            "max_retries",
            "credential_at",
            "build",
        ] {
            assert!(builder.contains(name), "{name}: {builder:?}");
        }
        assert!(
            !client.contains("timeout"),
            "only `Client`'s own: {client:?}"
        );
    }

    #[test]
    fn every_runtime_file_is_valid_rust() {
        for file in FILES {
            if let Err(error) = syn::parse_file(file.contents) {
                panic!("{} does not parse: {error}", file.path);
            }
        }
    }
}
