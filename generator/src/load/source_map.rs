//! Where a node that the load stage moved (converting Swagger 2.0, or OpenAPI 3.2's additions)
//! was written, so that every later diagnostic points into the description as written.

use crate::pointer::Pointer;

/// Where each moved node of a converted tree was in its source.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    /// (converted pointer, source pointer): a pointer at or below the first is at the same
    /// place below the second; the longest that matches wins.
    moves: Vec<(String, String)>,
}

impl SourceMap {
    pub(super) fn moved(&mut self, converted: &Pointer, source: &Pointer) {
        if converted != source {
            self.moves
                .push((converted.as_str().to_owned(), source.as_str().to_owned()));
        }
    }

    /// Where the node at `pointer` of the converted tree is in the source.
    pub fn to_source(&self, pointer: &str) -> String {
        let found = self
            .moves
            .iter()
            .filter(|(converted, _)| {
                pointer
                    .strip_prefix(converted.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
            .max_by_key(|(converted, _)| converted.len());
        match found {
            Some((converted, source)) => format!("{source}{}", &pointer[converted.len()..]),
            None => pointer.to_owned(),
        }
    }

    /// Points each diagnostic into the source.
    pub fn locate_in_source(&self, diagnostics: &mut [crate::diagnostics::Diagnostic]) {
        if self.moves.is_empty() {
            return;
        }
        for diagnostic in diagnostics {
            diagnostic.pointer = self.to_source(&diagnostic.pointer);
        }
    }
}
