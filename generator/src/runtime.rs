//! The runtime every generated crate carries: ordinary Rust files under `generator/runtime/`,
//! copied verbatim to `src/runtime/` so that they read (and are reviewed) like normal code.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_runtime_file_is_valid_rust() {
        for file in FILES {
            if let Err(error) = syn::parse_file(file.contents) {
                panic!("{} does not parse: {error}", file.path);
            }
        }
    }
}
