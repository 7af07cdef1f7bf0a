//! sdkgen: generates a typed async Rust client crate, runtime included, from an OpenAPI 3.0 or
//! 3.1 description.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`load`] (YAML/JSON → 3.0 forms → `openapiv3`) → [`ir`] (names and Rust types, `$ref`s
//! resolved) → [`emit`] (token streams) → [`render`] (formatted files) → [`write`] (compare,
//! write atomically). [`generate`] runs the first four; [`write::sync`] or [`write::diff`]
//! finish the job.

pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod pointer;
pub mod render;
pub mod runtime;
pub mod synth;
pub mod write;

use std::path::Path;

pub use error::{Error, SpecError};
pub use ir::Settings;
pub use render::GeneratedFile;

/// Reads the description at `spec` and returns every file of the generated crate.
///
/// `spec_label` is how the header of each file names the spec (e.g. `spec/openapi.yaml`), so
/// that the output does not depend on where the checkout lives.
pub fn generate(
    spec: &Path,
    spec_label: &str,
    settings: &Settings,
) -> Result<Vec<GeneratedFile>, Error> {
    let text = std::fs::read_to_string(spec).map_err(|error| Error::io(spec, error))?;
    generate_from_str(&text, spec, spec_label, settings)
}

/// Like [`generate`], for a description already in memory; `spec` only names it in errors.
pub fn generate_from_str(
    text: &str,
    spec: &Path,
    spec_label: &str,
    settings: &Settings,
) -> Result<Vec<GeneratedFile>, Error> {
    let rejected = |error: SpecError| Error::Spec {
        file: spec.to_path_buf(),
        error,
    };
    let document = load::parse(text).map_err(rejected)?;
    let api = ir::build(&document, settings).map_err(rejected)?;
    render::render(emit::emit(&api), spec_label)
}
