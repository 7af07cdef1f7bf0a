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
/// `as_str`, `From<&str>`, `From<String>` and `Display`. JSON is `json_string_enum!`'s job.
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
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
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

        impl ::core::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
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
}
