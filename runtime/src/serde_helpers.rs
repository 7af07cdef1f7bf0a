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

/// Implements `Serialize` and `Deserialize` for a generated struct, one line per member:
/// `field: "wire" presence,` where presence is `required`, `nullable` (required, may be
/// `null`), `optional` (omitted when `None`) or `optional_nullable` (`Some(None)` is `null`);
/// then `..extra`, the map that keeps the members the type does not know. Keys are borrowed
/// from the input when they can be.
///
/// A `macro_rules!` rather than a derive, so that generated crates build no proc-macro crate.
#[doc(hidden)]
#[macro_export]
macro_rules! json_object {
    ($module:ident :: $name:ident {
        $($field:ident: $wire:literal $presence:ident,)*
        ..$extra:ident $(,)?
    }) => {
        impl $crate::__private::serde::Serialize for $module::$name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                use $crate::__private::serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(::core::option::Option::None)?;
                $($crate::json_object!(@write map, self.$field, $wire, $presence);)*
                for (key, value) in &self.$extra {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $module::$name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                struct ObjectVisitor;

                impl<'de> $crate::__private::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $module::$name;

                    fn expecting(
                        &self,
                        f: &mut ::core::fmt::Formatter<'_>,
                    ) -> ::core::fmt::Result {
                        f.write_str(::core::concat!("a `", ::core::stringify!($name), "` object"))
                    }

                    fn visit_map<A: $crate::__private::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::core::result::Result<Self::Value, A::Error> {
                        $(let mut $field = ::core::option::Option::None;)*
                        let mut extra = $crate::__private::serde_json::Map::new();
                        while let ::core::option::Option::Some(key) =
                            map.next_key::<$crate::__private::JsonStr<'de>>()?
                        {
                            match key.as_str() {
                                $($wire => $crate::json_object!(@read map, $field, $presence),)*
                                _ => {
                                    extra.insert(key.into_owned(), map.next_value()?);
                                }
                            }
                        }
                        ::core::result::Result::Ok($module::$name {
                            $($field: $crate::json_object!(@build $field, $wire, $presence),)*
                            $extra: extra,
                        })
                    }
                }

                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    };
    (@write $map:ident, $value:expr, $wire:literal, required) => {
        $map.serialize_entry($wire, &$value)?
    };
    (@write $map:ident, $value:expr, $wire:literal, nullable) => {
        $map.serialize_entry($wire, &$value)?
    };
    (@write $map:ident, $value:expr, $wire:literal, $optional:ident) => {
        if let ::core::option::Option::Some(value) = &$value {
            $map.serialize_entry($wire, value)?;
        }
    };
    // `null` and a missing member both read as `None`.
    (@read $map:ident, $field:ident, optional) => {
        $field = $map.next_value()?
    };
    (@read $map:ident, $field:ident, nullable) => {
        $field = $map.next_value()?
    };
    // `Some(None)` for `null`, `None` for a missing member.
    (@read $map:ident, $field:ident, $presence:ident) => {
        $field = ::core::option::Option::Some($map.next_value()?)
    };
    (@build $field:ident, $wire:literal, required) => {
        $field.ok_or_else(|| $crate::__private::missing_field($wire))?
    };
    (@build $field:ident, $wire:literal, $presence:ident) => {
        $field
    };
}

/// Implements `Serialize` and `Deserialize` for a generated open enum, as its text: the type's
/// `as_str` and `From<&str>` hold the values, one line each.
#[doc(hidden)]
#[macro_export]
macro_rules! json_string_enum {
    ($module:ident :: $name:ident) => {
        impl $crate::__private::serde::Serialize for $module::$name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $module::$name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                let value: $crate::__private::JsonStr<'de> =
                    $crate::__private::serde::Deserialize::deserialize(deserializer)?;
                ::core::result::Result::Ok(Self::from(value.as_str()))
            }
        }
    };
}

/// Implements `Serialize` and `Deserialize` for a generated untagged union: written as its
/// variant, read as the first variant, in order, that the value decodes as.
#[doc(hidden)]
#[macro_export]
macro_rules! json_union {
    ($module:ident :: $name:ident { $($variant:ident),* $(,)? }) => {
        impl $crate::__private::serde::Serialize for $module::$name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(value) => $crate::__private::serde::Serialize::serialize(value, serializer),)*
                }
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $module::$name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                let value: $crate::__private::serde_json::Value =
                    $crate::__private::serde::Deserialize::deserialize(deserializer)?;
                $(
                    if let ::core::result::Result::Ok(variant) =
                        $crate::__private::serde::Deserialize::deserialize(&value)
                    {
                        return ::core::result::Result::Ok(Self::$variant(variant));
                    }
                )*
                ::core::result::Result::Err($crate::__private::no_variant_matched(
                    ::core::stringify!($name),
                ))
            }
        }
    };
}

/// Implements `Serialize` and `Deserialize` for a generated tagged union: read by the value of
/// its tag member (`Variant: "tag" | "other tag",`), a tag it does not know as `Unknown`; an
/// error in the variant the tag names is reported as such, not hidden by trying the others.
#[doc(hidden)]
#[macro_export]
macro_rules! json_tagged_union {
    ($module:ident :: $name:ident, $tag:literal { $($variant:ident: $($value:literal)|+,)* }) => {
        impl $crate::__private::serde::Serialize for $module::$name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(value) => $crate::__private::serde::Serialize::serialize(value, serializer),)*
                    Self::Unknown(value) => $crate::__private::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $module::$name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                let value: $crate::__private::serde_json::Value =
                    $crate::__private::serde::Deserialize::deserialize(deserializer)?;
                let tag = value
                    .get($tag)
                    .and_then($crate::__private::serde_json::Value::as_str)
                    .map(::std::borrow::ToOwned::to_owned);
                match tag.as_deref() {
                    $(::core::option::Option::Some($($value)|+) => {
                        $crate::__private::serde::Deserialize::deserialize(value)
                            .map(Self::$variant)
                            .map_err($crate::__private::serde::de::Error::custom)
                    })*
                    _ => ::core::result::Result::Ok(Self::Unknown(value)),
                }
            }
        }
    };
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

    mod types {
        /// Members named like the macro's own locals, and one of each presence.
        #[derive(Debug, PartialEq)]
        pub struct Sample {
            pub map: String,
            pub key: Option<i64>,
            pub r#type: Option<String>,
            pub extra_note: Option<Option<String>>,
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    }

    crate::json_object!(types::Sample {
        map: "map" required,
        key: "key" nullable,
        r#type: "type" optional,
        extra_note: "note" optional_nullable,
        ..extra
    });

    #[test]
    fn objects_keep_omit_and_null_apart_and_keep_unknown_members() {
        let text = r#"{"map":"m","key":null,"note":null,"other":[1]}"#;
        let sample: types::Sample = serde_json::from_str(text).expect("decodes");
        let mut extra = serde_json::Map::new();
        extra.insert("other".into(), serde_json::json!([1]));
        assert_eq!(
            sample,
            types::Sample {
                map: "m".into(),
                key: None,
                r#type: None,
                extra_note: Some(None),
                extra,
            }
        );
        assert_eq!(serde_json::to_string(&sample).expect("encodes"), text);
        let missing = serde_json::from_str::<types::Sample>(r#"{"key":1}"#).expect_err("map");
        assert!(
            missing.to_string().contains("missing field `map`"),
            "{missing}"
        );
        let wrong = serde_json::from_str::<types::Sample>("[]").expect_err("an array");
        assert!(wrong.to_string().contains("a `Sample` object"), "{wrong}");
    }
}
