//! Lenient decoding of raw query strings and path segments.
//!
//! The fake decodes by hand so that it sees exactly what the client sent: `include[]` and
//! `include%5B%5D` both arrive as `include[]`, repeated keys are kept, and nothing is rejected
//! for bad escapes (a stray `%` stays as it is, like most servers do).

/// The `(key, value)` pairs of a raw query string, decoded, in order; `+` means a space.
pub(crate) fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    raw.unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key, true), decode(value, true))
        })
        .collect()
}

/// The last value given for `key`, as form decoders commonly do for repeated scalar keys.
pub(crate) fn last<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, value)| value.as_str())
}

/// Percent-decodes `text`; invalid escapes are kept literally and invalid UTF-8 is replaced.
pub(crate) fn decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => match (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(digit: Option<&u8>) -> Option<u8> {
    char::from(*digit?)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn decodes_brackets_repeats_and_empty_values() {
        assert_eq!(
            pairs(Some(
                "include%5B%5D=content&include[]=x&flag&a=b%3Dc&&q=a+b"
            )),
            owned(&[
                ("include[]", "content"),
                ("include[]", "x"),
                ("flag", ""),
                ("a", "b=c"),
                ("q", "a b"),
            ])
        );
        assert_eq!(pairs(None), Vec::new());
        assert_eq!(pairs(Some("")), Vec::new());
    }

    #[test]
    fn keeps_invalid_escapes() {
        assert_eq!(decode("100%", false), "100%");
        assert_eq!(decode("%zz%4", false), "%zz%4");
        assert_eq!(decode("%ff", false), "\u{fffd}");
        assert_eq!(decode("a+b%2B", false), "a+b+");
    }

    #[test]
    fn last_value_wins() {
        let pairs = pairs(Some("limit=1&limit=2"));
        assert_eq!(last(&pairs, "limit"), Some("2"));
        assert_eq!(last(&pairs, "order"), None);
    }
}
