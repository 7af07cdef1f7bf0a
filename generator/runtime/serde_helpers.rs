//! Serde adapters used by the generated types.

/// (De)serializes `Option<Option<T>>` so that an optional *and* nullable field can tell
/// "leave unchanged" (`None`, the field is omitted) from "clear it" (`Some(None)`, sent as
/// `null`).
///
/// Use together with `default` and `skip_serializing_if`, or `None` would be written as `null`
/// and a missing field would fail to decode:
///
/// ```text
/// #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::runtime::double_option")]
/// pub name: Option<Option<String>>,
/// ```
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes `Some(Some(v))` as `v` and `Some(None)` as `null`.
    pub fn serialize<T, S>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error>
    where
        T: Serialize,
        S: Serializer,
    {
        match value {
            Some(Some(value)) => value.serialize(serializer),
            // `None` is normally skipped; if not, `null` is the closest meaning.
            Some(None) | None => serializer.serialize_none(),
        }
    }

    /// Reads a present field: `null` as `Some(None)`, a value as `Some(Some(v))`.
    ///
    /// A missing field never reaches this function; `#[serde(default)]` makes it `None`.
    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
    where
        T: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Update {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "super::double_option"
        )]
        name: Option<Option<String>>,
    }

    #[test]
    fn tells_omitted_from_null_from_value() {
        let cases = [
            (Update { name: None }, "{}"),
            (Update { name: Some(None) }, r#"{"name":null}"#),
            (
                Update {
                    name: Some(Some("cert".to_owned())),
                },
                r#"{"name":"cert"}"#,
            ),
        ];
        for (value, json) in cases {
            assert_eq!(serde_json::to_string(&value).ok().as_deref(), Some(json));
            let decoded: Update = serde_json::from_str(json).expect("decodes");
            assert_eq!(decoded, value);
        }
    }

    #[test]
    fn rejects_a_value_of_the_wrong_type() {
        assert!(serde_json::from_str::<Update>(r#"{"name": 5}"#).is_err());
    }
}
