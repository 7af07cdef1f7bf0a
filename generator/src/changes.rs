//! What a new description changes in the generated crate's public API, for its users: each
//! item added, removed or changed, marked breaking or compatible, and the version it needs.
//!
//! The rules follow from how the crate is generated. Structs and enums are `#[non_exhaustive]`
//! and built through `new`, so a new optional field, a new enum value, a new type, method,
//! setter or feature keeps users compiling; a new field that `new` takes does not. Anything
//! removed, and any change of a type or signature (a field becoming optional is `T` →
//! `Option<T>`), breaks them.

use std::fmt::Write as _;

use semver::Version;
use serde::Serialize;

use crate::surface::{Item, ItemKind, Surface};

/// Every difference between two surfaces, and what they mean for the version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub crate_name: String,
    pub old_version: String,
    pub new_version: String,
    /// Sorted by item.
    pub changes: Vec<Change>,
    /// The release the changes need: `major`, `minor`, `patch` or `none`.
    pub bump: Bump,
    /// The lowest version that makes the release [`Report::bump`] asks for, from the old one.
    pub required_version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub item: String,
    pub kind: ItemKind,
    pub change: ChangeKind,
    pub breaking: bool,
    /// What changed, e.g. `String → Option<String>`.
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl Change {
    /// `breaking` or `compatible`.
    pub fn verdict(&self) -> &'static str {
        if self.breaking {
            "breaking"
        } else {
            "compatible"
        }
    }
}

impl ChangeKind {
    /// `+`, `-` or `~`, as a diff marks lines.
    fn mark(self) -> char {
        match self {
            Self::Added => '+',
            Self::Removed => '-',
            Self::Changed => '~',
        }
    }

    fn word(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Changed => "changed",
        }
    }
}

/// The kind of release a change needs, in semver's terms (`0.x` versions shift it down one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "text" => Ok(Self::Text),
            "markdown" => Ok(Self::Markdown),
            "json" => Ok(Self::Json),
            other => Err(format!(
                "unknown format `{other}`: expected text, markdown or json"
            )),
        }
    }
}

impl Report {
    /// Compares the API `old` generated with the one `new` generates.
    pub fn between(old: &Surface, new: &Surface) -> Self {
        let mut changes = Vec::new();
        if old.crate_name != new.crate_name {
            changes.push(Change {
                item: "crate".to_owned(),
                kind: ItemKind::Type,
                change: ChangeKind::Changed,
                breaking: true,
                detail: format!("renamed `{}` → `{}`", old.crate_name, new.crate_name),
            });
        }
        // A member of a type or method that comes or goes with it is not listed on its own.
        let parent_in = |key: &str, item: &Item, other: &Surface| {
            parent(key, item.kind).is_some_and(|parent| !other.items.contains_key(parent))
        };
        for (key, before) in &old.items {
            match new.items.get(key) {
                None if parent_in(key, before, new) => {}
                None => changes.push(Change {
                    item: key.clone(),
                    kind: before.kind,
                    change: ChangeKind::Removed,
                    breaking: true,
                    detail: described(before),
                }),
                Some(after) => {
                    if let Some(detail) = difference(before, after) {
                        changes.push(Change {
                            item: key.clone(),
                            kind: after.kind,
                            change: ChangeKind::Changed,
                            breaking: true,
                            detail,
                        });
                    }
                }
            }
        }
        for (key, after) in &new.items {
            if !old.items.contains_key(key) && !parent_in(key, after, old) {
                changes.push(Change {
                    item: key.clone(),
                    kind: after.kind,
                    change: ChangeKind::Added,
                    breaking: after.required,
                    detail: if after.required {
                        format!("{}; `new` takes it", described(after))
                    } else {
                        described(after)
                    },
                });
            }
        }
        changes.sort_by(|a, b| a.item.cmp(&b.item));
        let bump = if changes.iter().any(|change| change.breaking) {
            Bump::Major
        } else if changes.is_empty() {
            Bump::None
        } else {
            Bump::Minor
        };
        let required_version = required_version(&old.crate_version, bump);
        Self {
            crate_name: new.crate_name.clone(),
            old_version: old.crate_version.clone(),
            new_version: new.crate_version.clone(),
            changes,
            bump,
            required_version,
        }
    }

    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|change| change.breaking)
    }

    /// Something breaks and the crate version was not bumped as far as that needs: what the
    /// build warns about and `check --deny-breaking` fails on.
    pub fn breaks_without_bump(&self) -> bool {
        self.is_breaking() && !self.version_is_enough()
    }

    /// Counts of (added, changed, removed) items.
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |kind| self.changes.iter().filter(|c| c.change == kind).count();
        (
            count(ChangeKind::Added),
            count(ChangeKind::Changed),
            count(ChangeKind::Removed),
        )
    }

    /// Whether the new version is at least the one the changes need (unparsable versions
    /// are never enough).
    pub fn version_is_enough(&self) -> bool {
        match &self.required_version {
            None => self.bump == Bump::None,
            Some(required) => match (Version::parse(&self.new_version), Version::parse(required)) {
                (Ok(new), Ok(required)) => new >= required,
                _ => false,
            },
        }
    }

    /// One line: the counts, whether anything breaks, and the version it needs.
    pub fn headline(&self) -> String {
        let (added, changed, removed) = self.counts();
        let verdict = if self.is_breaking() {
            let breaking = self.changes.iter().filter(|c| c.breaking).count();
            format!("{breaking} breaking")
        } else {
            "nothing breaking".to_owned()
        };
        let mut line = format!(
            "public API of {}: {added} added, {changed} changed, {removed} removed; {verdict}",
            self.crate_name
        );
        match (&self.required_version, self.version_is_enough()) {
            (None, _) => {}
            (Some(required), true) => {
                let _ = write!(
                    line,
                    "; a {} release: {} → {} (needs {required})",
                    self.release_word(),
                    self.old_version,
                    self.new_version
                );
            }
            (Some(required), false) => {
                let _ = write!(
                    line,
                    "; needs a {} release: version {required} or later, but the crate version is {} \
                     (set `info.x-sdk-crate-version`)",
                    self.release_word(),
                    self.new_version
                );
            }
        }
        line
    }

    /// The bump as the version's position moves it: a breaking change of a `0.x` crate is a
    /// minor release.
    fn release_word(&self) -> &'static str {
        let zero = Version::parse(&self.old_version).is_ok_and(|v| v.major == 0);
        match (self.bump, zero) {
            (Bump::Major, true) | (Bump::Minor, false) => "minor",
            (Bump::Major, false) => "major",
            _ => "patch",
        }
    }

    /// The report in a format.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => self.text(),
            Format::Markdown => self.markdown(),
            Format::Json => {
                let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
                text.push('\n');
                text
            }
        }
    }

    fn text(&self) -> String {
        self.lines(|_| true)
    }

    /// The headline and the breaking changes: what a build prints when it regenerates.
    pub fn summary(&self) -> String {
        self.lines(|change| change.breaking)
    }

    fn lines(&self, shown: impl Fn(&Change) -> bool) -> String {
        let mut out = self.headline();
        out.push('\n');
        for change in self.changes.iter().filter(|change| shown(change)) {
            let _ = writeln!(
                out,
                "  {} {:<10} {} {}: {}",
                change.change.mark(),
                change.verdict(),
                change.kind.label(),
                change.item,
                change.detail
            );
        }
        out
    }

    fn markdown(&self) -> String {
        let mut out = format!("**{}**\n", self.headline());
        if self.changes.is_empty() {
            return out;
        }
        out.push_str("\n| | item | change | |\n|---|---|---|---|\n");
        for change in &self.changes {
            let _ = writeln!(
                out,
                "| {} | {} `{}` | {} | {} |",
                change.verdict(),
                change.kind.label(),
                change.item,
                change.change.word(),
                change.detail.replace('|', "\\|"),
            );
        }
        out
    }
}

/// The key of the type or method an item belongs to: `types::A` for `types::A.field` and
/// `types::A::Value`, the method for one of its setters.
fn parent(key: &str, kind: ItemKind) -> Option<&str> {
    match kind {
        ItemKind::Field | ItemKind::Setter => key.rsplit_once('.').map(|(parent, _)| parent),
        ItemKind::Value | ItemKind::Variant => key.rsplit_once("::").map(|(parent, _)| parent),
        _ => None,
    }
}

/// An item as a report shows it: its signature, and where it comes from.
fn described(item: &Item) -> String {
    let signature = if item.signature.is_empty() {
        item.kind.label().to_owned()
    } else {
        format!("`{}`", item.signature)
    };
    match &item.origin {
        Some(origin) => format!("{signature} ({origin})"),
        None => signature,
    }
}

/// What changed between two versions of an item, or `None` when users see no difference.
fn difference(before: &Item, after: &Item) -> Option<String> {
    let mut parts = Vec::new();
    if before.signature != after.signature {
        parts.push(format!("`{}` → `{}`", before.signature, after.signature));
    }
    if before.required != after.required {
        parts.push(
            if after.required {
                "now taken by `new`"
            } else {
                "no longer taken by `new`"
            }
            .to_owned(),
        );
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The lowest version after `old` that makes a release of this kind, in Cargo's reading of
/// semver: in `0.y.z` a breaking change moves `y` and an addition `z`; in `0.0.z` anything
/// moves `z`.
fn required_version(old: &str, bump: Bump) -> Option<String> {
    let old = Version::parse(old).ok()?;
    let next = match (bump, old.major, old.minor) {
        (Bump::None, ..) => return None,
        (_, 0, 0) | (Bump::Patch, ..) | (Bump::Minor, 0, _) => {
            Version::new(old.major, old.minor, old.patch + 1)
        }
        (Bump::Major, 0, minor) | (Bump::Minor, _, minor) => Version::new(old.major, minor + 1, 0),
        (Bump::Major, major, _) => Version::new(major + 1, 0, 0),
    };
    Some(next.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(version: &str, items: &[(&str, ItemKind, &str, bool)]) -> Surface {
        Surface {
            crate_name: "things".to_owned(),
            crate_version: version.to_owned(),
            items: items
                .iter()
                .map(|(key, kind, signature, required)| {
                    let item = Item {
                        kind: *kind,
                        signature: (*signature).to_owned(),
                        required: *required,
                        origin: None,
                    };
                    ((*key).to_owned(), item)
                })
                .collect(),
        }
    }

    #[test]
    fn versions_needed_follow_cargos_reading_of_semver() {
        let cases = [
            ("1.2.3", Bump::Major, Some("2.0.0")),
            ("1.2.3", Bump::Minor, Some("1.3.0")),
            ("1.2.3", Bump::Patch, Some("1.2.4")),
            ("0.2.3", Bump::Major, Some("0.3.0")),
            ("0.2.3", Bump::Minor, Some("0.2.4")),
            ("0.0.3", Bump::Major, Some("0.0.4")),
            ("1.2.3", Bump::None, None),
            ("one", Bump::Major, None),
        ];
        for (old, bump, expected) in cases {
            assert_eq!(
                required_version(old, bump).as_deref(),
                expected,
                "{old} {bump:?}"
            );
        }
    }

    #[test]
    fn an_unchanged_api_needs_no_release() {
        let items = [("types::A", ItemKind::Type, "struct", false)];
        let report = Report::between(&surface("0.1.0", &items), &surface("0.1.0", &items));
        assert_eq!(report.changes, vec![]);
        assert_eq!(report.bump, Bump::None);
        assert!(report.version_is_enough());
        assert_eq!(
            report.render(Format::Text),
            "public API of things: 0 added, 0 changed, 0 removed; nothing breaking\n"
        );
    }
}
