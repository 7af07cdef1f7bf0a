//! sdkgen: generates a typed async Rust client crate, runtime included, from an OpenAPI 3.0 or
//! 3.1 description.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`load`] (YAML/JSON → 3.0 forms → `openapiv3`) → [`ir`] (names and Rust types, `$ref`s
//! resolved) → [`emit`] (token streams) → [`render`] (formatted files) → [`write`] (compare,
//! write atomically). [`generate`] runs the first four; [`write::sync`] or [`write::diff`]
//! finish the job.

pub mod diagnostics;
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

pub use diagnostics::{Diagnostic, Severity};
pub use error::{located, Error, SpecError};
pub use ir::{RuntimeDependency, Settings};
pub use render::GeneratedFile;

/// The files of a generated crate, and the warnings about what was generated with a fallback.
#[derive(Debug)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    /// Located warnings (line and column filled in where the node was found).
    pub warnings: Vec<Diagnostic>,
}

/// Reads the description at `spec` and returns every file of the generated crate.
///
/// `spec_label` is how the header of each file names the spec (e.g. `spec/openapi.yaml`), so
/// that the output does not depend on where the checkout lives.
pub fn generate(spec: &Path, spec_label: &str, settings: &Settings) -> Result<Generated, Error> {
    let text = std::fs::read_to_string(spec).map_err(|error| Error::io(spec, error))?;
    generate_from_str(&text, spec, spec_label, settings)
}

/// Like [`generate`], for a description already in memory; `spec` only names it in errors.
pub fn generate_from_str(
    text: &str,
    spec: &Path,
    spec_label: &str,
    settings: &Settings,
) -> Result<Generated, Error> {
    let rejected = |mut diagnostics: Vec<Diagnostic>| {
        diagnostics::locate(text, &mut diagnostics);
        Error::Spec {
            file: spec.to_path_buf(),
            diagnostics,
        }
    };
    let mut document = load::parse(text)
        .map_err(|error| rejected(vec![Diagnostic::error(error.pointer, error.reason)]))?;
    for (key, value) in &settings.hints {
        if !key.starts_with("x-sdk-") {
            let reason = format!("the hint `{key}` is not an `x-sdk-*` extension");
            return Err(rejected(vec![Diagnostic::error("#", reason)]));
        }
        document.extensions.insert(key.clone(), value.clone());
    }
    let (api, mut warnings) = ir::build(&document, settings).map_err(rejected)?;
    // The IR owns all it needs; the document's memory goes back before the code is made.
    drop(document);
    diagnostics::locate(text, &mut warnings);
    let files = render::render(emit::emit(&api), spec_label)?;
    Ok(Generated { files, warnings })
}
