//! Errors of every stage, each naming the file and, for spec problems, the JSON pointer.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// A problem found in the description, located by the JSON pointer of the offending node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// JSON pointer of the offending node, for example
    /// `#/paths/~1organization~1certificates/get/parameters/0/schema`.
    pub pointer: String,
    /// What is wrong with it.
    pub reason: String,
    /// 1-based line and column, when the problem is found in the text itself (a syntax
    /// error) rather than at a node.
    pub location: Option<(usize, usize)>,
}

impl SpecError {
    pub fn new(pointer: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            reason: reason.into(),
            location: None,
        }
    }

    /// The error at `line`, `column` of the text.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.location = Some((line, column));
        self
    }
}

impl From<SpecError> for Diagnostic {
    fn from(error: SpecError) -> Self {
        let mut diagnostic = Diagnostic::error(error.pointer, error.reason);
        diagnostic.location = error.location;
        diagnostic
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.reason)
    }
}

/// Everything that can stop a generation.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read, written or removed.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The description is not valid YAML/JSON, not Swagger 2.0 or OpenAPI 3.0/3.1, or uses
    /// something the generator cannot generate. Holds every problem found (warnings too), each located.
    Spec {
        file: PathBuf,
        diagnostics: Vec<Diagnostic>,
    },
    /// A generated crate's list of its public API (`public-api.jsonl`) cannot be read back.
    Listing { path: PathBuf, reason: String },
    /// The generator produced Rust that does not parse: a bug in the generator, reported with
    /// the module so it can be reproduced.
    Render { module: String, reason: String },
    /// The output directory is not one to write a crate into (the root, a home directory, a
    /// project this generator did not write), or a path under it is a symbolic link.
    Output { path: PathBuf, reason: String },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    /// The description (or overlay) in `file` rejected for `diagnostics`, each located by line
    /// and column in its `text`.
    pub(crate) fn rejected(file: &Path, text: &str, mut diagnostics: Vec<Diagnostic>) -> Self {
        crate::diagnostics::locate(text, &mut diagnostics);
        Self::Spec {
            file: file.to_path_buf(),
            diagnostics,
        }
    }

    /// The description whose root is `file`, read from `sources`, rejected for
    /// `diagnostics`, each located in the file its node came from.
    pub(crate) fn rejected_in(
        file: &Path,
        sources: &crate::load::bundle::Sources,
        mut diagnostics: Vec<Diagnostic>,
    ) -> Self {
        sources.locate(&mut diagnostics);
        Self::Spec {
            file: file.to_path_buf(),
            diagnostics,
        }
    }

    /// True when the description itself was rejected, or the output directory refused (as
    /// opposed to I/O or a generator bug): what the command line exits 2 for.
    pub fn is_rejected_spec(&self) -> bool {
        matches!(self, Self::Spec { .. } | Self::Output { .. })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Self::Spec { file, diagnostics } => {
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                let warnings = diagnostics.len() - errors;
                for diagnostic in diagnostics {
                    writeln!(f, "{}", located(file, diagnostic))?;
                }
                write!(
                    f,
                    "{}: rejected with {errors} error{} and {warnings} warning{}",
                    file.display(),
                    if errors == 1 { "" } else { "s" },
                    if warnings == 1 { "" } else { "s" },
                )
            }
            Self::Listing { path, reason } => write!(
                f,
                "{}: not a public API listing written by sdkgen ({reason}); regenerate the crate",
                path.display()
            ),
            Self::Output { path, reason } => {
                write!(f, "{}: not written: {reason}", path.display())
            }
            Self::Render { module, reason } => write!(
                f,
                "internal error: generated module `{module}` is not valid Rust ({reason}); please report this with the spec"
            ),
        }
    }
}

/// `spec.yaml:12:5: warning: #/pointer: reason`, as compilers and editors print locations;
/// `file` is the description's root, unless the diagnostic names a file of its own.
pub fn located(file: &Path, diagnostic: &Diagnostic) -> String {
    let file = diagnostic.file.as_deref().unwrap_or(file);
    format!("{}:{diagnostic}", file.display())
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
