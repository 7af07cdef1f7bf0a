//! The value an open enum holds when the API sends one this version of the crate does not know.

use std::fmt;

/// A value of an open enum that this version of the crate does not know, kept as it came so
/// that it reads ([`as_str`](Self::as_str)) and re-encodes unchanged.
///
/// It cannot be built directly: convert the text with the enum's `From<&str>`, which gives the
/// known variant when there is one. So when a later version learns the value, code that
/// matched the variant keeps working and nothing matches `Unknown` by its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// For generated `From` impls only.
    #[doc(hidden)]
    pub fn new(value: String) -> Self {
        UnknownValue(value)
    }

    /// The value as it is on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_value_reads_as_it_came() {
        let value = UnknownValue::new("list.v2".to_owned());
        assert_eq!(value.as_str(), "list.v2");
        assert_eq!(value.to_string(), "list.v2");
    }
}
