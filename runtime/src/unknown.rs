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

/// An open string enum from one line per value: the enum (its known values and `Unknown`),
/// `as_str`, `From<&str>`, `From<String>`, `Display`, and equality and hashing by value. JSON is `json_string_enum!`'s job.
///
/// ```text
/// open_enum! {
///     /// Docs of the enum.
///     pub enum Kind {
///         Small = "small",
///         Large = "large",
///     }
/// }
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($variant:ident = $value:literal,)*
        }
    ) => {
        $(#[$meta])*
        ///
        /// Open: a value this crate does not know decodes as `Unknown` and encodes back
        /// unchanged.
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        $vis enum $name {
            $(
                #[doc = ::core::concat!(" `", $value, "`")]
                $variant,
            )*
            /// A value this version of the crate does not know: read it with `as_str`; make
            /// one with `From<&str>`.
            Unknown($crate::__private::UnknownValue),
        }

        impl $name {
            /// The value as sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// The known value `value` names, if any.
            #[inline]
            fn known(value: &str) -> ::core::option::Option<Self> {
                match value {
                    $($value => ::core::option::Option::Some(Self::$variant),)*
                    _ => ::core::option::Option::None,
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            #[inline]
            fn from(value: &str) -> Self {
                match Self::known(value) {
                    ::core::option::Option::Some(known) => known,
                    ::core::option::Option::None => Self::Unknown(
                        $crate::__private::UnknownValue::new(::std::borrow::ToOwned::to_owned(value)),
                    ),
                }
            }
        }

        impl ::core::convert::From<::std::string::String> for $name {
            #[inline]
            fn from(value: ::std::string::String) -> Self {
                match Self::known(&value) {
                    ::core::option::Option::Some(known) => known,
                    ::core::option::Option::None => {
                        Self::Unknown($crate::__private::UnknownValue::new(value))
                    }
                }
            }
        }

        // Equal when the wire values are: `Unknown` never holds a known value (`From` gives the
        // variant), and comparing the text compiles to less than derived impls, per enum.
        impl ::core::cmp::PartialEq for $name {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl ::core::cmp::Eq for $name {}

        impl ::core::hash::Hash for $name {
            #[inline]
            fn hash<H: ::core::hash::Hasher>(&self, state: &mut H) {
                ::core::hash::Hash::hash(self.as_str(), state)
            }
        }

        impl ::core::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// The accessors of an object's members that the description does not list, which the
/// generated struct keeps in its catch-all map `$field`: `extra()` and `extra_mut()`.
///
/// ```text
/// unknown_members!(Certificate.extra);
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! unknown_members {
    ($name:ident . $field:ident) => {
        impl $name {
            /// Members the description does not list, as they came.
            #[inline]
            pub fn extra(
                &self,
            ) -> &$crate::__private::serde_json::Map<
                ::std::string::String,
                $crate::__private::serde_json::Value,
            > {
                &self.$field
            }

            /// Members the description does not list, to read or change before re-encoding.
            #[inline]
            pub fn extra_mut(
                &mut self,
            ) -> &mut $crate::__private::serde_json::Map<
                ::std::string::String,
                $crate::__private::serde_json::Value,
            > {
                &mut self.$field
            }
        }
    };
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

    crate::open_enum! {
        /// A size.
        pub enum Size {
            Small = "small",
            r#Type = "type",
        }
    }

    #[test]
    fn an_open_enum_reads_known_and_unknown_values() {
        assert_eq!(Size::from("small"), Size::Small);
        assert_eq!(Size::from("type".to_owned()), Size::r#Type);
        assert_eq!(Size::Small.as_str(), "small");
        assert_eq!(Size::r#Type.to_string(), "type");
        let unknown = Size::from("huge".to_owned());
        assert_eq!(unknown, Size::Unknown(UnknownValue::new("huge".to_owned())));
        assert_eq!(unknown.as_str(), "huge");
        assert_eq!(Size::from("huge"), unknown);
    }

    #[test]
    fn open_enums_are_equal_and_hash_alike_by_value() {
        use std::collections::HashSet;
        assert_ne!(Size::Small, Size::r#Type);
        assert_ne!(Size::Small, Size::from("huge"));
        assert_ne!(Size::from("huge"), Size::from("tiny"));
        let set: HashSet<Size> = ["small", "huge", "small", "huge", "type"]
            .into_iter()
            .map(Size::from)
            .collect();
        assert_eq!(set.len(), 3);
        assert!(set.contains(&Size::Small) && set.contains(&Size::from("huge".to_owned())));
    }

    #[derive(Default)]
    struct Member {
        others: serde_json::Map<String, serde_json::Value>,
    }

    crate::unknown_members!(Member.others);

    #[test]
    fn unknown_members_read_and_change_the_catch_all_map() {
        let mut member = Member::default();
        member
            .extra_mut()
            .insert("tier".to_owned(), serde_json::json!("gold"));
        assert_eq!(member.others.get("tier"), Some(&serde_json::json!("gold")));
        assert_eq!(member.extra().len(), 1);
    }
}
