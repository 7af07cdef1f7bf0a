//! What a new description changes in the generated crate's public API, for its users: each
//! item added, removed or changed, marked breaking or compatible, and the version it needs.
//!
//! The rules follow from how the crate is generated. Structs and enums are `#[non_exhaustive]`
//! and built through `new`, so a new optional field, a new enum value, a new type, method,
//! setter or feature keeps users compiling; a new field that `new` takes does not. Anything
//! removed, and any change of a type or signature (a field becoming optional is `T` →
//! `Option<T>`), breaks them.

use std::collections::BTreeMap;
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
    /// Where the description changed, as JSON pointers into each version: the item's own
    /// place, or (for an item one version lacks, or one whose place the listing does not
    /// keep) the place of the type or method that holds it.
    pub old_origin: Option<String>,
    pub new_origin: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
    /// A type or method whose name changed and nothing else: its members, their types and
    /// its wire meaning are the same.
    Renamed,
}

impl Change {
    /// Where the description changed, in both versions: `#/a → #/b`, `at #/a` when the place
    /// is the same, or for an item one version lacks, the place of what held it there.
    pub fn places(&self) -> Option<String> {
        let (old, new) = (self.old_origin.as_deref(), self.new_origin.as_deref());
        Some(match (self.change, old, new) {
            (_, Some(old), Some(new)) if old == new => format!("at {old}"),
            (ChangeKind::Removed, Some(old), Some(new)) => format!("was {old}; gone from {new}"),
            (ChangeKind::Added, Some(old), Some(new)) => format!("now {new}; not in {old}"),
            (_, Some(old), Some(new)) => format!("{old} → {new}"),
            (_, Some(old), None) => format!("was {old}"),
            (_, None, Some(new)) => format!("now {new}"),
            (_, None, None) => return None,
        })
    }

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
            Self::Renamed => '>',
        }
    }

    fn word(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Changed => "changed",
            Self::Renamed => "renamed",
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
                old_origin: None,
                new_origin: None,
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
                    old_origin: place(old, key, before.kind),
                    new_origin: place(new, key, before.kind),
                }),
                Some(after) => {
                    if let Some(detail) = difference(before, after) {
                        changes.push(Change {
                            item: key.clone(),
                            kind: after.kind,
                            change: ChangeKind::Changed,
                            breaking: true,
                            detail,
                            old_origin: place(old, key, after.kind),
                            new_origin: place(new, key, after.kind),
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
                    old_origin: place(old, key, after.kind),
                    new_origin: place(new, key, after.kind),
                });
            }
        }
        fold_renames(&mut changes, old, new);
        fold_method_renames(&mut changes, old, new);
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

    /// Counts of (added, changed, removed) items; a rename counts as a change.
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |kinds: &[ChangeKind]| {
            self.changes
                .iter()
                .filter(|c| kinds.contains(&c.change))
                .count()
        };
        (
            count(&[ChangeKind::Added]),
            count(&[ChangeKind::Changed, ChangeKind::Renamed]),
            count(&[ChangeKind::Removed]),
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
            if let Some(places) = change.places() {
                let _ = writeln!(out, "{:15}{places}", "");
            }
        }
        out
    }

    fn markdown(&self) -> String {
        let mut out = format!("**{}**\n", self.headline());
        if self.changes.is_empty() {
            return out;
        }
        out.push_str("\n| | item | change | | in the description |\n|---|---|---|---|---|\n");
        for change in &self.changes {
            let _ = writeln!(
                out,
                "| {} | {} `{}` | {} | {} | {} |",
                change.verdict(),
                change.kind.label(),
                change.item,
                change.change.word(),
                change.detail.replace('|', "\\|"),
                change.places().unwrap_or_default().replace('|', "\\|"),
            );
        }
        out
    }
}

/// A method removed and one added for the same operation (the same place in both
/// descriptions: its `operationId` or a naming hint changed) that take the same arguments
/// and setters is one rename. Its builder's name, which follows the method's, may differ.
fn fold_method_renames(changes: &mut Vec<Change>, old: &Surface, new: &Surface) {
    let methods = |kind: ChangeKind| -> Vec<(String, String)> {
        changes
            .iter()
            .filter(|c| c.change == kind && c.kind == ItemKind::Method)
            .filter_map(|c| {
                Some((
                    c.item.clone(),
                    c.old_origin.clone().or(c.new_origin.clone())?,
                ))
            })
            .collect()
    };
    let (removed, added) = (methods(ChangeKind::Removed), methods(ChangeKind::Added));
    for (gone, at) in removed {
        let same_place: Vec<&String> = added
            .iter()
            .filter(|(_, other)| *other == at)
            .map(|(came, _)| came)
            .collect();
        let [came] = same_place.as_slice() else {
            continue;
        };
        let (Some(before), Some(after)) = (old.items.get(&gone), new.items.get(*came)) else {
            continue;
        };
        let setters = |surface: &Surface, key: &str| -> Vec<(String, String)> {
            members_of(surface, key)
                .into_iter()
                .map(|(suffix, item)| (suffix.to_owned(), item.signature.clone()))
                .collect()
        };
        let (old_builder, new_builder) =
            (builder_of(&before.signature), builder_of(&after.signature));
        if before.signature.replacen(old_builder, new_builder, 1) != after.signature
            || setters(old, &gone) != setters(new, came)
        {
            continue;
        }
        let mut detail = format!("renamed from `{gone}`");
        if old_builder != new_builder {
            detail.push_str(&format!("; its builder `{old_builder}` → `{new_builder}`"));
        }
        let came = (*came).clone();
        changes.retain(|change| change.item != gone && change.item != came);
        changes.push(Change {
            detail,
            old_origin: before.origin.clone(),
            new_origin: after.origin.clone(),
            item: came,
            kind: ItemKind::Method,
            change: ChangeKind::Renamed,
            breaking: true,
        });
    }
}

/// The builder a method's signature names: `operations::GetThing` in
/// `(id: String) -> operations::GetThing; send: types::Thing`.
fn builder_of(signature: &str) -> &str {
    signature
        .split_once("-> ")
        .map_or("", |(_, rest)| rest.split(';').next().unwrap_or(rest))
}

/// Old type paths (`types::A`) and the new ones they were renamed to.
type Renames = BTreeMap<String, String>;

/// A type removed and one added that is the same but for its name (same kind, same
/// members with the same types, once every such pair's old names read as the new) is one
/// rename; the changes to other items that only follow from it (a field whose type is the
/// renamed one) are not listed. A removed type with several identical candidates stays a
/// removal: which one it became cannot be told.
fn fold_renames(changes: &mut Vec<Change>, old: &Surface, new: &Surface) {
    let types = |kind: ChangeKind| -> Vec<&str> {
        changes
            .iter()
            .filter(|c| c.change == kind && c.kind == ItemKind::Type)
            .map(|c| c.item.as_str())
            .collect()
    };
    let (removed, added) = (types(ChangeKind::Removed), types(ChangeKind::Added));
    // Candidates by kind and member names first; then, with every candidate's old name read
    // as its new one, by member types too, until no pair falls out.
    let mut by_shape: BTreeMap<(String, Vec<String>), Vec<&str>> = BTreeMap::new();
    for came in &added {
        if let Some(shape) = shape_key(new, came) {
            by_shape.entry(shape).or_default().push(came);
        }
    }
    let mut candidates: Renames = BTreeMap::new();
    for gone in &removed {
        let Some(shape) = shape_key(old, gone) else {
            continue;
        };
        let mut matching: Vec<&str> = by_shape.get(&shape).cloned().unwrap_or_default();
        if matching.len() > 1 {
            // Several with those member names: the one whose member types are the same too.
            matching.retain(|came| {
                let pair = BTreeMap::from([((*gone).to_owned(), (*came).to_owned())]);
                same_shape(old, gone, new, came, &pair)
            });
        }
        if let [came] = matching.as_slice() {
            candidates.insert((*gone).to_owned(), (*came).to_owned());
        }
    }
    // A type that two removed ones match cannot tell which it was.
    let claims = |came: &String| candidates.values().filter(|other| *other == came).count();
    let mut renames: Renames = candidates
        .iter()
        .filter(|(_, came)| claims(came) == 1)
        .map(|(gone, came)| (gone.clone(), came.clone()))
        .collect();
    loop {
        let kept: Renames = renames
            .iter()
            .filter(|(gone, came)| same_shape(old, gone, new, came, &renames))
            .map(|(gone, came)| (gone.clone(), came.clone()))
            .collect();
        if kept.len() == renames.len() {
            break;
        }
        renames = kept;
    }
    if renames.is_empty() {
        return;
    }
    let renamed = |signature: &str| rename_in(signature, &renames);
    changes.retain(|change| match change.change {
        ChangeKind::Removed => !renames.contains_key(&change.item),
        ChangeKind::Added => !renames.values().any(|came| *came == change.item),
        ChangeKind::Changed => {
            let (Some(before), Some(after)) =
                (old.items.get(&change.item), new.items.get(&change.item))
            else {
                return true;
            };
            renamed(&before.signature) != after.signature || before.required != after.required
        }
        ChangeKind::Renamed => true,
    });
    for (gone, came) in renames {
        changes.push(Change {
            detail: format!("renamed from `{gone}`, members unchanged"),
            old_origin: place(old, &gone, ItemKind::Type),
            new_origin: place(new, &came, ItemKind::Type),
            item: came,
            kind: ItemKind::Type,
            change: ChangeKind::Renamed,
            breaking: true,
        });
    }
}

/// The members of type `key` (`key.field`, `key::Value`): their suffixes and items, found
/// by a range of the sorted items (both start with the key).
fn members_of<'s>(surface: &'s Surface, key: &str) -> Vec<(&'s str, &'s Item)> {
    surface
        .items
        .range::<str, _>((std::ops::Bound::Excluded(key), std::ops::Bound::Unbounded))
        .take_while(|(item, _)| item.starts_with(key))
        .filter_map(|(item, value)| {
            let suffix = &item[key.len()..];
            (suffix.starts_with('.') || suffix.starts_with("::")).then_some((suffix, value))
        })
        .collect()
}

/// What a type is, for finding one renamed: its kind and its members' names.
fn shape_key(surface: &Surface, key: &str) -> Option<(String, Vec<String>)> {
    let item = surface.items.get(key)?;
    let names = members_of(surface, key)
        .into_iter()
        .map(|(suffix, _)| suffix.to_owned())
        .collect();
    Some((item.signature.clone(), names))
}

/// Whether type `gone` of `old` and type `came` of `new` are the same kind with the same
/// members, reading `renames`' old names as their new ones in every signature.
fn same_shape(old: &Surface, gone: &str, new: &Surface, came: &str, renames: &Renames) -> bool {
    let members = |surface: &Surface, key: &str, rename: bool| -> Vec<(String, String, bool)> {
        members_of(surface, key)
            .into_iter()
            .map(|(suffix, value)| {
                let signature = if rename {
                    rename_in(&value.signature, renames)
                } else {
                    value.signature.clone()
                };
                (suffix.to_owned(), signature, value.required)
            })
            .collect()
    };
    let (Some(before), Some(after)) = (old.items.get(gone), new.items.get(came)) else {
        return false;
    };
    before.signature == after.signature && members(old, gone, true) == members(new, came, false)
}

/// A signature with each old type path (`types::A`) read as its new one, whole names only.
fn rename_in(signature: &str, renames: &Renames) -> String {
    const PREFIX: &str = "types::";
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(signature.len());
    let mut rest = signature;
    while let Some(at) = rest.find(PREFIX) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let name_len = from[PREFIX.len()..]
            .find(|c: char| !is_name(c))
            .map_or(from.len(), |end| PREFIX.len() + end);
        let path = &from[..name_len];
        let starts_word = !before.ends_with(is_name);
        match renames.get(path) {
            Some(came) if starts_word => out.push_str(came),
            _ => out.push_str(path),
        }
        rest = &from[name_len..];
    }
    out.push_str(rest);
    out
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

/// An item as a report shows it: its signature.
fn described(item: &Item) -> String {
    if item.signature.is_empty() {
        item.kind.label().to_owned()
    } else {
        format!("`{}`", item.signature)
    }
}

/// Where item `key` is declared in the description `surface` comes from, else where the
/// type or method that holds it is.
fn place(surface: &Surface, key: &str, kind: ItemKind) -> Option<String> {
    let origin = |key: &str| surface.items.get(key)?.origin.clone();
    origin(key).or_else(|| origin(parent(key, kind)?))
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
    fn a_type_renamed_and_nothing_else_is_one_rename() {
        let old = surface(
            "1.0.0",
            &[
                ("types::EventVariant1", ItemKind::Type, "struct", false),
                ("types::EventVariant1.id", ItemKind::Field, "String", true),
                (
                    "types::Event::Deleted",
                    ItemKind::Variant,
                    "(types::EventVariant1)",
                    false,
                ),
                ("types::Gone", ItemKind::Type, "struct", false),
            ],
        );
        let new = surface(
            "1.0.0",
            &[
                ("types::EventDeleted", ItemKind::Type, "struct", false),
                ("types::EventDeleted.id", ItemKind::Field, "String", true),
                (
                    "types::Event::Deleted",
                    ItemKind::Variant,
                    "(types::EventDeleted)",
                    false,
                ),
                ("types::Other", ItemKind::Type, "struct", false),
                ("types::Other.id", ItemKind::Field, "i64", true),
            ],
        );
        let report = Report::between(&old, &new);
        let summary: Vec<(&str, ChangeKind)> = report
            .changes
            .iter()
            .map(|c| (c.item.as_str(), c.change))
            .collect();
        assert_eq!(
            summary,
            [
                ("types::EventDeleted", ChangeKind::Renamed),
                ("types::Gone", ChangeKind::Removed),
                ("types::Other", ChangeKind::Added),
            ]
        );
        assert!(report.changes[0]
            .detail
            .starts_with("renamed from `types::EventVariant1`"));
        assert_eq!(
            rename_in(
                "Vec<types::A>, types::AB",
                &BTreeMap::from([("types::A".into(), "types::C".into())])
            ),
            "Vec<types::C>, types::AB"
        );
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
