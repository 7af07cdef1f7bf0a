//! sdkgen: generates a typed async Rust client crate, runtime included, from a Swagger 2.0 or
//! OpenAPI 3.0 or 3.1 description.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`load`] (YAML/JSON → a tree, [`overlay`]s applied to it → 3.0 forms → `openapiv3`) →
//! [`ir`] (names and Rust types, `$ref`s resolved) → [`emit`] (token streams) → [`render`]
//! (formatted files) → [`write`] (compare, write atomically). [`generate`] runs the first
//! four; [`write::sync`] or [`write::diff`] finish the job.

pub mod changes;
pub mod diagnostics;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod overlay;
pub mod pointer;
pub mod render;
pub mod runtime;
pub mod surface;
pub mod synth;
pub mod write;

use std::path::Path;

pub use diagnostics::{Diagnostic, Severity};
pub use error::{located, Error, SpecError};
pub use ir::RuntimeDependency;
pub use overlay::Overlay;
pub use render::GeneratedFile;

/// What a run is told besides the description: how to edit it before reading (the load
/// stage's overlays and hints) and the choices it does not make (the IR's).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Overrides `info.x-sdk-crate-name` and the name derived from the title.
    pub crate_name: Option<String>,
    /// Treat every warning (a schema typed with a fallback) as an error.
    pub deny_warnings: bool,
    /// Root `x-sdk-*` hints set over the description's own, for a description its
    /// maintainers do not edit (`x-sdk-query-array-format: brackets`, say).
    pub hints: Vec<(String, serde_json::Value)>,
    /// Overlay documents applied, in order, to the description before it is read.
    pub overlays: Vec<Overlay>,
    /// How the generated crate gets its runtime.
    pub runtime: RuntimeDependency,
}

impl Settings {
    /// The IR stage's part.
    fn ir(&self) -> ir::Settings {
        ir::Settings {
            crate_name: self.crate_name.clone(),
            deny_warnings: self.deny_warnings,
            runtime: self.runtime.clone(),
        }
    }
}

/// The files of a generated crate, and the warnings about what was generated with a fallback.
#[derive(Debug)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    /// Located warnings (line and column filled in where the node was found).
    pub warnings: Vec<Diagnostic>,
    /// The crate's public API (also among the files, as [`surface::FILE`]).
    pub surface: surface::Surface,
    /// Every file the description was read from, the root first (what a build script
    /// watches).
    pub sources: Vec<std::path::PathBuf>,
}

/// The IR of a description and the located warnings about it.
#[derive(Debug)]
pub struct Described {
    pub api: ir::Api,
    pub warnings: Vec<Diagnostic>,
    /// Every file the description was read from, the root first.
    pub sources: Vec<std::path::PathBuf>,
}

/// The stack of every thread that reads, builds or formats a description. Nesting is limited
/// ([`load::nesting::MAX_NESTING`]), but each level of a schema is several calls deep in each
/// stage, and syn and prettyplease recurse over nested types too. Only the pages used are
/// ever committed.
pub(crate) const DEEP_STACK: usize = 256 << 20;

/// Runs `job` on a thread with [`DEEP_STACK`], whatever the caller's stack (a build script's
/// main thread, a test's 2 MB one); a panic in it is the caller's. Fails only when the system
/// has no thread to give.
fn on_deep_stack<T: Send>(job: impl FnOnce() -> T + Send) -> std::io::Result<T> {
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .name("sdkgen".to_owned())
            .stack_size(DEEP_STACK)
            .spawn_scoped(scope, job)?;
        Ok(thread
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

/// The text of the description file at `path`: a regular file (a FIFO or a device would
/// block or never end), in UTF-8 (else rejected at the first byte that is not).
pub fn read_description(path: &Path) -> Result<String, Error> {
    let metadata = std::fs::metadata(path).map_err(|error| Error::io(path, error))?;
    let refused = |reason: String, location: (usize, usize)| {
        let mut diagnostic = diagnostics::Diagnostic::error("#", reason);
        diagnostic.location = Some(location);
        Error::Spec {
            file: path.to_path_buf(),
            diagnostics: vec![diagnostic],
        }
    };
    if !metadata.is_file() {
        return Err(refused(
            "not a regular file (a directory, FIFO or device); name the description's file"
                .to_owned(),
            (1, 1),
        ));
    }
    let bytes = std::fs::read(path).map_err(|error| Error::io(path, error))?;
    String::from_utf8(bytes).map_err(|error| {
        let bytes = error.as_bytes();
        let at = error.utf8_error().valid_up_to();
        let line_start = bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        // Columns count characters, as the other diagnostics' do.
        let column = 1 + String::from_utf8_lossy(&bytes[line_start..at])
            .chars()
            .count();
        refused(
            format!(
                "not UTF-8: byte 0x{:02x} at offset {at} begins no character",
                bytes[at]
            ),
            (line, column),
        )
    })
}

/// Reads the description at `spec` and returns every file of the generated crate.
///
/// `spec_label` is how the header of each file names the spec (e.g. `spec/openapi.yaml`), so
/// that the output does not depend on where the checkout lives.
pub fn generate(spec: &Path, spec_label: &str, settings: &Settings) -> Result<Generated, Error> {
    let text = read_description(spec)?;
    generate_from_str(&text, spec, spec_label, settings)
}

/// Like [`generate`], for a description already in memory; `spec` only names it in errors.
pub fn generate_from_str(
    text: &str,
    spec: &Path,
    spec_label: &str,
    settings: &Settings,
) -> Result<Generated, Error> {
    on_deep_stack(|| generate_here(text, spec, spec_label, settings))
        .unwrap_or_else(|error| Err(Error::io(spec, error)))
}

fn generate_here(
    text: &str,
    spec: &Path,
    spec_label: &str,
    settings: &Settings,
) -> Result<Generated, Error> {
    let (
        Described {
            api,
            mut warnings,
            sources: paths,
        },
        sources,
    ) = std::thread::scope(|scope| {
        scope.spawn(runtime::prepare);
        build_here(text, spec, settings)
    })?;
    // Finding the warnings' lines reads the description again: alongside the rendering.
    let (mut files, surface) = std::thread::scope(|scope| {
        scope.spawn(|| sources.locate(&mut warnings));
        let surface = surface::Surface::of(&api);
        render::render(emit::emit(&api), spec_label).map(|files| (files, surface))
    })?;
    files.push(GeneratedFile {
        path: surface::FILE.to_owned(),
        contents: surface.to_jsonl(spec_label),
    });
    Ok(Generated {
        files,
        warnings,
        surface,
        sources: paths,
    })
}

/// The public API of the crate generated into `dir` before, from its [`surface::FILE`];
/// `None` when it has none (a new crate, or one generated before the file existed).
pub fn previous_surface(dir: &Path) -> Result<Option<surface::Surface>, Error> {
    let path = dir.join(surface::FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => surface::Surface::from_jsonl(&text)
            .map(Some)
            .map_err(|reason| Error::Listing { path, reason }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(Error::io(path, error)),
    }
}

/// Reads the description at `spec`, applies the overlays and builds its IR: what the crate
/// would be, without writing it (for [`changes`]).
pub fn describe(spec: &Path, settings: &Settings) -> Result<Described, Error> {
    let text = read_description(spec)?;
    describe_from_str(&text, spec, settings)
}

/// Like [`describe`], for a description already in memory; `spec` names it in errors, and
/// the files it refers to are read relative to it.
pub fn describe_from_str(text: &str, spec: &Path, settings: &Settings) -> Result<Described, Error> {
    on_deep_stack(|| describe_here(text, spec, settings))
        .unwrap_or_else(|error| Err(Error::io(spec, error)))
}

fn describe_here(text: &str, spec: &Path, settings: &Settings) -> Result<Described, Error> {
    let (mut described, sources) = build_here(text, spec, settings)?;
    sources.locate(&mut described.warnings);
    Ok(described)
}

/// Reads, edits and loads the description and builds its IR; its warnings are not located
/// yet (their lines come from [`load::bundle::Sources::locate`]).
fn build_here(
    text: &str,
    spec: &Path,
    settings: &Settings,
) -> Result<(Described, load::bundle::Sources), Error> {
    let (mut tree, duplicate_keys) = load::read_tree_warning(text)
        .map_err(|error| Error::rejected(spec, text, vec![Diagnostic::from(error)]))?;
    let mut bundled = diagnostics::Diagnostics::default();
    // Swagger 2.0 is edited as written, then read as 3.0 before the files it refers to are
    // brought in (as 3.0 components); 3.x is edited once whole.
    let swagger = load::swagger::is_swagger_2(&tree);
    let mut source_map = load::SourceMap::default();
    if swagger {
        load::edit(&mut tree, spec, &settings.overlays, &settings.hints)?;
        source_map = load::swagger::convert(&mut tree, &mut bundled);
    }
    let sources = load::bundle::bundle(&mut tree, spec, text, &mut bundled);
    let rejected = |diagnostics: Vec<Diagnostic>| Error::rejected_in(spec, &sources, diagnostics);
    if !swagger {
        load::edit(&mut tree, spec, &settings.overlays, &settings.hints)?;
    }
    // What the loader degraded comes first, as a warning (an error with `--deny-warnings`).
    let mut warnings = duplicate_keys;
    let mut bundled = bundled.into_vec();
    source_map.locate_in_source(&mut bundled);
    warnings.extend(bundled);
    let load::Loaded {
        document,
        warnings: load_warnings,
        source_map,
    } = match load::from_converted(tree, source_map) {
        Ok(loaded) => loaded,
        Err(found) => {
            warnings.extend(found);
            return Err(rejected(warnings));
        }
    };
    warnings.extend(load_warnings);
    if settings.deny_warnings {
        warnings
            .iter_mut()
            .for_each(|w| w.severity = Severity::Error);
    }
    let api = match ir::build(&document, &settings.ir()) {
        Ok((api, mut ir_warnings)) if !warnings.iter().any(Diagnostic::is_error) => {
            source_map.locate_in_source(&mut ir_warnings);
            warnings.extend(ir_warnings);
            api
        }
        Ok((_, mut ir_warnings)) | Err(mut ir_warnings) => {
            source_map.locate_in_source(&mut ir_warnings);
            warnings.extend(ir_warnings);
            return Err(rejected(warnings));
        }
    };
    // The IR owns all it needs; the document's memory goes back before the code is made.
    drop(document);
    let described = Described {
        api,
        warnings,
        sources: sources.paths().map(Path::to_path_buf).collect(),
    };
    Ok((described, sources))
}
