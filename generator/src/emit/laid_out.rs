//! Text an emitter lays out itself ([`super::Code::Text`]: macro invocations, plain
//! definitions) read just far enough for `render`: the names it uses and defines, and whether
//! its brackets pair up and its literals and comments end.
//!
//! Reading it as Rust tokens (proc-macro2's lexer) and parsing them (syn) took longer than
//! making the text; the lexemes here are the few kinds the import scan tells apart. The
//! rules about names are the scan's own ([`super::imports::Names`]), so both read a name the
//! same way; a debug build also parses the text with syn and compares (`render`).

use std::collections::BTreeSet;

use super::imports::{Follows, Imports, Names, Vocabulary};

/// What the import scan tells apart in code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lexeme<'t> {
    Ident(&'t str),
    /// A punctuation character, and whether another follows it at once (`::`, `!=`).
    Punct(char, bool),
    Open(u8),
    Close,
    Literal,
    /// A doc comment: an attribute (`#[doc = "..."]`) to the parser.
    Doc,
}

/// Why a text is not Rust, and where: its line, counted from 1.
#[derive(Debug, PartialEq, Eq)]
pub struct NotRust {
    pub line: usize,
    pub reason: &'static str,
}

impl std::fmt::Display for NotRust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "laid-out code, line {}: {}", self.line, self.reason)
    }
}

/// The names `text` defines at its top level (as [`super::imports::defined_names`] reads a
/// parsed file's items), recording what it uses of `vocabulary` into `used`.
pub fn read(
    text: &str,
    vocabulary: &Vocabulary,
    used: &mut Imports,
) -> Result<BTreeSet<String>, NotRust> {
    let lexemes = lex(text)?;
    let mut defined = BTreeSet::new();
    let mut names = Names::default();
    let mut depth = 0usize;
    let mut defining = false;
    for (index, lexeme) in lexemes.iter().enumerate() {
        match *lexeme {
            Lexeme::Open(_) => {
                depth += 1;
                names = Names::default();
            }
            Lexeme::Close => {
                depth -= 1;
                names = Names::default();
            }
            Lexeme::Punct(c, joint) => names.punct(c, joint),
            Lexeme::Literal | Lexeme::Doc => names = Names::default(),
            Lexeme::Ident(name) => {
                let keyword = TOP_LEVEL_DEFINING.contains(&name);
                // `const fn name`: the name is what follows the last keyword.
                if depth == 0 && defining && !keyword {
                    defined.insert(name.to_owned());
                }
                // `&'static str` defines nothing.
                let lifetime = index > 0 && lexemes[index - 1] == Lexeme::Punct('\'', true);
                defining = depth == 0 && keyword && !lifetime;
                let follows = match lexemes.get(index + 1) {
                    Some(Lexeme::Punct(c, joint)) => Follows::Punct(*c, *joint),
                    Some(Lexeme::Open(b'(')) => Follows::Parenthesis,
                    _ => Follows::Other,
                };
                names.ident(vocabulary, name, follows, used);
                continue;
            }
        }
        defining = false;
    }
    Ok(defined)
}

/// The keywords before the name of an item that [`super::imports::defined_names`] counts.
const TOP_LEVEL_DEFINING: &[&str] = &[
    "struct", "enum", "fn", "type", "const", "static", "mod", "trait",
];

/// The lexemes of `text`, or why it is not Rust.
fn lex(text: &str) -> Result<Vec<Lexeme<'_>>, NotRust> {
    let bytes = text.as_bytes();
    let mut lexemes = Vec::new();
    // The open brackets, each with where it opened.
    let mut open: Vec<(u8, usize)> = Vec::new();
    let mut at = 0;
    // Lines are counted only for an error, from the offset where it is.
    let fail = |offset: usize, reason: &'static str| {
        let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
        Err(NotRust { line, reason })
    };
    while at < bytes.len() {
        let c = bytes[at];
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => at += 1,
            b'/' if bytes.get(at + 1) == Some(&b'/') => {
                let end = text[at..].find('\n').map_or(bytes.len(), |n| at + n);
                let comment = &text[at..end];
                let doc = (comment.starts_with("///") && !comment.starts_with("////"))
                    || comment.starts_with("//!");
                if doc {
                    lexemes.push(Lexeme::Doc);
                }
                at = end;
            }
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                let doc = matches!(bytes.get(at + 2), Some(b'*' | b'!'))
                    && bytes.get(at + 3) != Some(&b'/');
                let Some(end) = block_comment_end(bytes, at) else {
                    return fail(at, "a block comment does not end");
                };
                if doc {
                    lexemes.push(Lexeme::Doc);
                }
                at = end;
            }
            b'(' | b'[' | b'{' => {
                open.push((c, at));
                lexemes.push(Lexeme::Open(c));
                at += 1;
            }
            b')' | b']' | b'}' => {
                let expected = match c {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                match open.pop() {
                    Some((opened, _)) if opened == expected => {}
                    _ => return fail(at, "a closing bracket matches no opening one"),
                }
                lexemes.push(Lexeme::Close);
                at += 1;
            }
            b'"' => {
                let Some(end) = quoted_end(bytes, at + 1, b'"') else {
                    return fail(at, "a string literal does not end");
                };
                lexemes.push(Lexeme::Literal);
                at = end;
            }
            b'\'' => match char_literal_end(text, at) {
                Some(end) => {
                    lexemes.push(Lexeme::Literal);
                    at = end;
                }
                // A lifetime: the quote, then the name as an identifier (as proc-macro2 has it).
                None => {
                    lexemes.push(Lexeme::Punct('\'', true));
                    at += 1;
                }
            },
            b'0'..=b'9' => {
                at = number_end(bytes, at);
                lexemes.push(Lexeme::Literal);
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                if let Some(end) = prefixed_literal_end(bytes, at) {
                    let Some(end) = end else {
                        return fail(at, "a string or character literal does not end");
                    };
                    lexemes.push(Lexeme::Literal);
                    at = end;
                    continue;
                }
                let start = at;
                // A raw identifier (`r#type`) is one name.
                if bytes[at..].starts_with(b"r#") {
                    at += 2;
                }
                at = identifier_end(text, at);
                lexemes.push(Lexeme::Ident(&text[start..at]));
            }
            // Identifiers may be Unicode (`ünï`).
            _ if text[at..].starts_with(char::is_alphabetic) => {
                let start = at;
                at = identifier_end(text, at);
                lexemes.push(Lexeme::Ident(&text[start..at]));
            }
            c if c.is_ascii_punctuation() && c != b'\\' && c != b'`' => {
                let joint = bytes
                    .get(at + 1)
                    .is_some_and(|&next| is_operator_byte(next));
                lexemes.push(Lexeme::Punct(char::from(c), joint));
                at += 1;
            }
            _ => return fail(at, "a character that is no Rust token outside a literal"),
        }
    }
    match open.pop() {
        Some((_, opened)) => fail(opened, "an opening bracket is never closed"),
        None => Ok(lexemes),
    }
}

/// Where the identifier whose characters start at `at` ends.
fn identifier_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let ascii_end = bytes[at..]
        .iter()
        .position(|&b| !is_ident_byte(b))
        .map_or(bytes.len(), |length| at + length);
    if bytes.get(ascii_end).is_none_or(u8::is_ascii) {
        return ascii_end;
    }
    text[ascii_end..]
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .map_or(text.len(), |length| ascii_end + length)
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The characters proc-macro2 joins into one operator (`::`, `!=`, `->`, a lifetime's `'`).
fn is_operator_byte(b: u8) -> bool {
    matches!(
        b,
        b'~' | b'!'
            | b'@'
            | b'#'
            | b'$'
            | b'%'
            | b'^'
            | b'&'
            | b'*'
            | b'-'
            | b'='
            | b'+'
            | b'|'
            | b';'
            | b':'
            | b','
            | b'<'
            | b'.'
            | b'>'
            | b'/'
            | b'?'
            | b'\''
    )
}

/// Where a block comment starting at `at` ends (comments nest), or `None` when it does not.
fn block_comment_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    let mut depth = 0usize;
    while at + 1 < bytes.len() {
        match (bytes[at], bytes[at + 1]) {
            (b'/', b'*') => {
                depth += 1;
                at += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                at += 2;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => at += 1,
        }
    }
    None
}

/// Where a quoted literal whose text starts at `at` ends (after its closing `quote`), escapes
/// read; `None` when it does not.
fn quoted_end(bytes: &[u8], mut at: usize, quote: u8) -> Option<usize> {
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b if b == quote => return Some(at + 1),
            _ => at += 1,
        }
    }
    None
}

/// Where a character literal starting at `at` (its `'`) ends, or `None` when the quote
/// begins a lifetime (`'a`, `'static`).
fn char_literal_end(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at + 1..];
    let mut chars = rest.char_indices();
    match chars.next()? {
        (_, '\\') => quoted_end(text.as_bytes(), at + 1, b'\''),
        (_, '\'') => None,
        _ => match chars.next()? {
            (offset, '\'') => Some(at + 1 + offset + 1),
            _ => None,
        },
    }
}

/// Where a number starting at `at` ends: digits, letters and `_` (bases, exponents, suffixes),
/// a `.` before a digit, and an exponent's sign.
fn number_end(bytes: &[u8], mut at: usize) -> usize {
    let hex = bytes[at..].starts_with(b"0x") || bytes[at..].starts_with(b"0X");
    while at < bytes.len() {
        match bytes[at] {
            b if is_ident_byte(b) => at += 1,
            b'.' if bytes.get(at + 1).is_some_and(u8::is_ascii_digit) => at += 1,
            b'+' | b'-' if !hex && matches!(bytes[at - 1], b'e' | b'E') => at += 1,
            _ => break,
        }
    }
    at
}

/// When a literal with a prefix starts at `at` (`b"..."`, `b'x'`, `r"..."`, `r#"..."#`,
/// `br#"..."#`), where it ends (`None` inside: it does not); `None` for an identifier.
fn prefixed_literal_end(bytes: &[u8], at: usize) -> Option<Option<usize>> {
    let rest = &bytes[at..];
    let (raw, after_prefix) = if rest.starts_with(b"br") {
        (true, at + 2)
    } else if rest.starts_with(b"r") {
        (true, at + 1)
    } else if rest.starts_with(b"b") {
        (false, at + 1)
    } else {
        return None;
    };
    if !raw {
        return match bytes.get(after_prefix) {
            Some(b'"') => Some(quoted_end(bytes, after_prefix + 1, b'"')),
            Some(b'\'') => Some(quoted_end(bytes, after_prefix + 1, b'\'')),
            _ => None,
        };
    }
    let hashes = bytes[after_prefix..]
        .iter()
        .take_while(|&&b| b == b'#')
        .count();
    if bytes.get(after_prefix + hashes) != Some(&b'"') {
        return None;
    }
    let closing: Vec<u8> = std::iter::once(b'"')
        .chain(std::iter::repeat_n(b'#', hashes))
        .collect();
    let body = after_prefix + hashes + 1;
    Some(
        bytes[body..]
            .windows(closing.len())
            .position(|window| window == closing.as_slice())
            .map(|offset| body + offset + closing.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Lexeme<'_>> {
        lex(text).expect("lexes")
    }

    #[test]
    fn literals_comments_and_lifetimes_are_told_apart() {
        use Lexeme::*;
        assert_eq!(
            kinds("/// a doc\n// a comment (\nfn f<'a>(x: &'a str) -> char { 'x' }"),
            [
                Doc,
                Ident("fn"),
                Ident("f"),
                Punct('<', true),
                Punct('\'', true),
                Ident("a"),
                Punct('>', false),
                Open(b'('),
                Ident("x"),
                Punct(':', false),
                Punct('&', true),
                Punct('\'', true),
                Ident("a"),
                Ident("str"),
                Close,
                Punct('-', true),
                Punct('>', false),
                Ident("char"),
                Open(b'{'),
                Literal,
                Close,
            ]
        );
        assert_eq!(
            kinds(r###"r#type "a \" (" r#"raw " ("# b'\'' '\u{1F600}' 1.5e-3 0x1f 2usize"###),
            [
                Ident("r#type"),
                Literal,
                Literal,
                Literal,
                Literal,
                Literal,
                Literal,
                Literal
            ]
        );
        assert_eq!(
            kinds("/* a /* nested */ ( */ x::y != z!"),
            [
                Ident("x"),
                Punct(':', true),
                Punct(':', false),
                Ident("y"),
                Punct('!', true),
                Punct('=', false),
                Ident("z"),
                Punct('!', false),
            ]
        );
    }

    #[test]
    fn unpaired_brackets_and_unended_literals_are_refused_with_their_line() {
        let cases = [
            (
                "a {\n  b(\n}",
                3,
                "a closing bracket matches no opening one",
            ),
            ("a {\n  b\n", 1, "an opening bracket is never closed"),
            ("x\n\"open", 2, "a string literal does not end"),
            ("/* open", 1, "a block comment does not end"),
            (
                "r#\"open\"",
                1,
                "a string or character literal does not end",
            ),
            (
                "a ©",
                1,
                "a character that is no Rust token outside a literal",
            ),
        ];
        for (text, line, reason) in cases {
            assert_eq!(lex(text), Err(NotRust { line, reason }), "{text}");
        }
        // Unicode names are names; in literals and comments anything goes.
        assert_eq!(
            kinds("ünï: u8"),
            [
                Lexeme::Ident("ünï"),
                Lexeme::Punct(':', false),
                Lexeme::Ident("u8")
            ]
        );
        assert!(lex("\"é (\" // é (\n").is_ok());
    }

    #[test]
    fn names_used_and_defined_read_as_the_parsed_file_reads_them() {
        let vocabulary = Vocabulary::serde_impls();
        let text = "json_object!(types::Batch { id: \"id\" required, ..extra });\n\
                    /// open_enum!\n\
                    pub struct Local { types: Vec<u8> }\n\
                    impl Local { fn inner() {} }\n\
                    pub(crate) const fn helper() -> Option<()> { None }\n\
                    pub const NAME: &'static str = \"x\";\n";
        let mut used = Imports::default();
        let defined = read(text, vocabulary, &mut used).expect("reads");
        assert_eq!(
            defined,
            ["Local", "NAME", "helper"].map(str::to_owned).into()
        );
        assert_eq!(used.names(), ["crate::json_object", "crate::types"]);
        // As syn reads the same text.
        let mut parsed_used = Imports::default();
        let parsed = vocabulary
            .parse_file(text.parse().expect("tokens"), &mut parsed_used)
            .expect("parses");
        assert_eq!(super::super::imports::defined_names(&parsed.items), defined);
        assert_eq!(parsed_used, used);
    }
}
