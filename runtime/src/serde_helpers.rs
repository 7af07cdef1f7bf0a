//! Building blocks of the hand-written serde impls of the generated types.
//!
//! The types implement `Serialize`/`Deserialize` by hand rather than with serde's derive macros,
//! which keeps proc-macro crates (and `syn`) out of this crate's dependencies.

use std::borrow::Cow;
use std::fmt;

use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

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

/// A generated struct's decoding, which `json_object!` writes: read its members from `map`.
pub trait JsonObject<'de>: Sized {
    /// What a value of another shape is reported as not being: "a `Name` object".
    const EXPECTING: &'static str;

    fn read<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The visitor of every generated struct, one generic type rather than one per struct.
pub struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: JsonObject<'de>> ObjectVisitor<T> {
    /// Decodes a `T` from a JSON object.
    pub fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_map(ObjectVisitor(PhantomData))
    }
}

impl<'de, T: JsonObject<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(map)
    }
}

/// Reads a member's value into its slot (`null` as `None` when the slot's type is an
/// `Option`).
pub fn read_value<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut T,
) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

/// Reads a member's value into its slot as present: `Some(value)`.
pub fn read_present<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Keeps a member the type does not know, as it came.
pub fn read_unknown<'de, A: MapAccess<'de>>(
    map: &mut A,
    extra: &mut serde_json::Map<String, serde_json::Value>,
    key: JsonStr<'de>,
) -> Result<(), A::Error> {
    extra.insert(key.into_owned(), map.next_value()?);
    Ok(())
}

/// A required member's value, or the error that names it.
pub fn required<T, E: de::Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}

/// Writes a generated struct as a JSON object, one call per member; the first error is kept
/// and returned by [`ObjectWriter::end`], and nothing is written after it.
pub struct ObjectWriter<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: SerializeMap> ObjectWriter<M> {
    /// Starts the object.
    pub fn new<S: Serializer<SerializeMap = M>>(serializer: S) -> Result<Self, S::Error> {
        Ok(ObjectWriter {
            map: serializer.serialize_map(None)?,
            error: None,
        })
    }

    fn entry<V: Serialize + ?Sized>(&mut self, key: &'static str, value: &V) {
        if self.error.is_none() {
            if let Err(error) = self.map.serialize_entry(key, value) {
                self.error = Some(error);
            }
        }
    }

    /// A required member: always written.
    pub fn required<V: Serialize>(&mut self, key: &'static str, value: &V) {
        self.entry(key, value);
    }

    /// A required `serde_json::Value`: always written (read back as `null` when missing).
    pub fn required_value<V: Serialize>(&mut self, key: &'static str, value: &V) {
        self.required(key, value);
    }

    /// A required member that may be `null`: always written, `None` as `null`.
    pub fn nullable<V: Serialize>(&mut self, key: &'static str, value: &Option<V>) {
        self.entry(key, value);
    }

    /// An optional member: written when set.
    pub fn optional<V: Serialize>(&mut self, key: &'static str, value: &Option<V>) {
        if let Some(value) = value {
            self.entry(key, value);
        }
    }

    /// An optional member that may be `null`: written when set, `Some(None)` as `null`.
    pub fn optional_nullable<V: Serialize>(
        &mut self,
        key: &'static str,
        value: &Option<Option<V>>,
    ) {
        if let Some(value) = value {
            self.entry(key, value);
        }
    }

    /// Writes the members the type does not know and ends the object.
    pub fn end(
        mut self,
        extra: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<M::Ok, M::Error> {
        for (key, value) in extra {
            if self.error.is_some() {
                break;
            }
            if let Err(error) = self.map.serialize_entry(key, value) {
                self.error = Some(error);
            }
        }
        match self.error {
            Some(error) => Err(error),
            None => self.map.end(),
        }
    }
}

/// The error for a value that fits none of the shapes of an untagged union.
pub fn no_variant_matched<E: de::Error>(type_name: &str) -> E {
    E::custom(format_args!(
        "the value matches none of the shapes of `{type_name}`"
    ))
}

/// Implements `Serialize` and `Deserialize` for a generated struct, one line per member:
/// `field: "wire" presence,` where presence is `required`, `required_value` (a required
/// `serde_json::Value`: written always, `null` when missing), `nullable` (required, may be
/// `null`), `optional` (omitted when `None`) or `optional_nullable` (`Some(None)` is `null`);
/// then `..extra`, the map that keeps the members the type does not know. Keys are borrowed
/// from the input when they can be.
///
/// A `macro_rules!` rather than a derive, so that generated crates build no proc-macro crate.
/// What each member costs the compiler is one call: the visitor, the error handling and the
/// writing live in this crate's generic [`ObjectVisitor`], [`ObjectWriter`] and `read_*`
/// functions, compiled once, not once per type.
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
                let mut object = $crate::__private::ObjectWriter::new(serializer)?;
                $(object.$presence($wire, &self.$field);)*
                object.end(&self.$extra)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $module::$name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::ObjectVisitor::deserialize(deserializer)
            }
        }

        impl<'de> $crate::__private::JsonObject<'de> for $module::$name {
            const EXPECTING: &'static str =
                ::core::concat!("a `", ::core::stringify!($name), "` object");

            fn read<A: $crate::__private::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::core::result::Result<Self, A::Error> {
                $(let mut $field = ::core::option::Option::None;)*
                let mut extra = $crate::__private::serde_json::Map::new();
                while let ::core::option::Option::Some(key) =
                    map.next_key::<$crate::__private::JsonStr<'de>>()?
                {
                    let read = match key.as_str() {
                        $($wire => $crate::json_object!(@read map, $field, $presence),)*
                        _ => $crate::__private::read_unknown(&mut map, &mut extra, key),
                    };
                    read?;
                }
                ::core::result::Result::Ok($module::$name {
                    $($field: $crate::json_object!(@build $field, $wire, $presence),)*
                    $extra: extra,
                })
            }
        }
    };
    // `null` and a missing member both read as `None`.
    (@read $map:ident, $field:ident, optional) => {
        $crate::__private::read_value(&mut $map, &mut $field)
    };
    (@read $map:ident, $field:ident, nullable) => {
        $crate::__private::read_value(&mut $map, &mut $field)
    };
    // `Some(None)` for `null`, `None` for a missing member.
    (@read $map:ident, $field:ident, $presence:ident) => {
        $crate::__private::read_present(&mut $map, &mut $field)
    };
    (@build $field:ident, $wire:literal, required) => {
        $crate::__private::required($field, $wire)?
    };
    (@build $field:ident, $wire:literal, required_value) => {
        $field.unwrap_or_default()
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
/// its tag member (`Variant: "tag" | "other tag",`), a tag it does not know (or none) as the
/// `else` variant when the description names one (`discriminator.defaultMapping`) and the
/// value fits it, else as `Unknown`; an error in the variant the tag names is reported as
/// such, not hidden by trying the others.
#[doc(hidden)]
#[macro_export]
macro_rules! json_tagged_union {
    ($module:ident :: $name:ident, $tag:literal { $($variant:ident: $($value:literal)|+,)* } $(else $default:ident)?) => {
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
                    _ => {
                        $(
                            if let ::core::result::Result::Ok(found) =
                                $crate::__private::serde::Deserialize::deserialize(&value)
                            {
                                return ::core::result::Result::Ok(Self::$default(found));
                            }
                        )?
                        ::core::result::Result::Ok(Self::Unknown(value))
                    }
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
        let missing = required::<i64, serde_json::Error>(None, "id").expect_err("missing");
        assert_eq!(missing.to_string(), "missing field `id`");
        assert_eq!(
            required::<i64, serde_json::Error>(Some(7), "id").ok(),
            Some(7)
        );
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
            pub any: serde_json::Value,
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    }

    crate::json_object!(types::Sample {
        map: "map" required,
        key: "key" nullable,
        r#type: "type" optional,
        extra_note: "note" optional_nullable,
        any: "any" required_value,
        ..extra
    });

    mod failing {
        /// A member whose encoding fails, between two that do not.
        pub struct Sample {
            pub first: i64,
            pub bad: super::Fails,
            pub last: i64,
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    }

    /// Encodes as an error, decodes from anything.
    pub struct Fails;

    impl serde::Serialize for Fails {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("cannot encode"))
        }
    }

    impl<'de> Deserialize<'de> for Fails {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            de::IgnoredAny::deserialize(deserializer).map(|_| Fails)
        }
    }

    crate::json_object!(failing::Sample {
        first: "first" required,
        bad: "bad" required,
        last: "last" required,
        ..extra
    });

    #[test]
    fn an_object_stops_writing_at_its_first_error_and_returns_it() {
        let mut extra = serde_json::Map::new();
        extra.insert("other".into(), serde_json::json!(1));
        let sample = failing::Sample {
            first: 1,
            bad: Fails,
            last: 2,
            extra,
        };
        let mut written = Vec::new();
        let error = serde_json::to_writer(&mut written, &sample).expect_err("fails");
        assert_eq!(error.to_string(), "cannot encode");
        assert_eq!(String::from_utf8_lossy(&written), r#"{"first":1,"bad":"#);
    }

    #[test]
    fn objects_keep_omit_and_null_apart_and_keep_unknown_members() {
        let text = r#"{"map":"m","key":null,"note":null,"any":{"a":1},"other":[1]}"#;
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
                any: serde_json::json!({"a": 1}),
                extra,
            }
        );
        assert_eq!(serde_json::to_string(&sample).expect("encodes"), text);
        // A required value of any kind that is missing reads as `null`, and is written so.
        let sparse: types::Sample = serde_json::from_str(r#"{"map":"m"}"#).expect("decodes");
        assert_eq!(sparse.any, serde_json::Value::Null);
        assert_eq!(
            serde_json::to_string(&sparse).expect("encodes"),
            r#"{"map":"m","key":null,"any":null}"#
        );
        let missing = serde_json::from_str::<types::Sample>(r#"{"key":1}"#).expect_err("map");
        assert!(
            missing.to_string().contains("missing field `map`"),
            "{missing}"
        );
        let wrong = serde_json::from_str::<types::Sample>("[]").expect_err("an array");
        assert!(wrong.to_string().contains("a `Sample` object"), "{wrong}");
    }
}
