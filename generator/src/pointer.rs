//! JSON pointers (RFC 6901, in URI-fragment form) that locate nodes of the description.

use std::fmt;

/// The location of a node in the description: `#/paths/~1pets/get`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Self(String::from("#"))
    }

    /// Parses a local reference such as `#/components/schemas/Pet`.
    pub fn from_ref(reference: &str) -> Option<Self> {
        reference
            .starts_with("#/")
            .then(|| Self(reference.to_owned()))
    }

    /// The pointer to a child node; `~` and `/` in the key are escaped.
    pub fn join(&self, key: impl fmt::Display) -> Self {
        let key = key.to_string().replace('~', "~0").replace('/', "~1");
        Self(format!("{}/{key}", self.0))
    }

    /// The unescaped reference tokens after `#`.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .trim_start_matches('#')
            .split('/')
            .skip(1)
            .map(|token| token.replace("~1", "/").replace("~0", "~"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Pointer> for String {
    fn from(pointer: Pointer) -> Self {
        pointer.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_unescapes_keys() {
        let pointer = Pointer::root()
            .join("paths")
            .join("/organization/certificates")
            .join("get");
        assert_eq!(pointer.as_str(), "#/paths/~1organization~1certificates/get");
        assert_eq!(
            pointer.tokens().collect::<Vec<_>>(),
            ["paths", "/organization/certificates", "get"]
        );
        assert_eq!(Pointer::root().join("a~b").as_str(), "#/a~0b");
    }

    #[test]
    fn only_local_references_are_pointers() {
        assert!(Pointer::from_ref("#/components/schemas/Pet").is_some());
        assert!(Pointer::from_ref("other.yaml#/Pet").is_none());
    }
}
