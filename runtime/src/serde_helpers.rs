//! Building blocks of the hand-written serde impls of the generated types.
//!
//! The types implement `Serialize`/`Deserialize` by hand rather than with serde's derive macros,
//! which keeps proc-macro crates (and `syn`) out of this crate's dependencies.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A JSON string (an object key or an enum value), borrowed from the input when it can be, so
/// that decoding a known key or value allocates nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonStr<'de>(Cow<'de, str>);

impl JsonStr<'_> {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text as an owned `String` (no copy when it was not borrowed).
    pub fn into_owned(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for JsonStr<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;

        impl<'de> Visitor<'de> for StrVisitor {
            type Value = JsonStr<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
                Ok(JsonStr(Cow::Borrowed(value)))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(JsonStr(Cow::Owned(value.to_owned())))
            }

            fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
                Ok(JsonStr(Cow::Owned(value)))
            }
        }

        deserializer.deserialize_str(StrVisitor)
    }
}

/// The error for a required member that is missing from an object.
pub fn missing_field<E: de::Error>(name: &'static str) -> E {
    E::missing_field(name)
}

/// The error for a value that fits none of the shapes of an untagged union.
pub fn no_variant_matched<E: de::Error>(type_name: &str) -> E {
    E::custom(format_args!(
        "the value matches none of the shapes of `{type_name}`"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrows_plain_strings_and_owns_escaped_ones() {
        let plain: JsonStr<'_> = serde_json::from_str(r#""certificate""#).expect("a string");
        assert!(matches!(plain.0, Cow::Borrowed("certificate")));
        let escaped: JsonStr<'_> = serde_json::from_str(r#""a\"b""#).expect("a string");
        assert_eq!(escaped.as_str(), "a\"b");
        assert_eq!(escaped.into_owned(), "a\"b");
        assert!(serde_json::from_str::<JsonStr<'_>>("3").is_err());
    }

    #[test]
    fn errors_name_the_field_and_the_union() {
        let missing: serde_json::Error = missing_field("id");
        assert_eq!(missing.to_string(), "missing field `id`");
        let union: serde_json::Error = no_variant_matched("Shape");
        assert_eq!(
            union.to_string(),
            "the value matches none of the shapes of `Shape`"
        );
    }
}
