//! Where each operation hangs on the client: its resource path (`client.vector_stores()
//! .file_batches()`) and its method (`cancel`).
//!
//! Hints decide first, in this order: `x-sdk-resource` / `x-sdk-method` on the operation;
//! the root's `x-sdk-resources` prefixes; the naming extensions other generators'
//! descriptions carry (`x-speakeasy-group` / `x-speakeasy-name-override`,
//! `x-fern-sdk-group-name` / `x-fern-sdk-method-name`). What they leave open comes from the
//! path's shape ([`Naming::Paths`], the default) or, with the root's
//! `x-sdk-naming: operation-id`, from the first tag and the operationId, as before paths
//! were read (a tag nested under others by 3.2's `parent` nests its resource under theirs;
//! a tag whose `kind` is not `nav` groups nothing).
//!
//! From the path's shape:
//! - the resources are the path's literal segments, in order, less leading versions (`v1`,
//!   `2010-04-01`) and file extensions (`Calls.json`); a flag written into the path's query
//!   (`/responses?beta=true`) nests the operation under a resource of its name (`beta`);
//! - the method follows the HTTP method and what the path ends with:
//!   - an item (`/batches/{id}`): `retrieve`, `update` (`replace` for a PUT beside a PATCH),
//!     `delete`;
//!   - a custom method (`/{name}:cancel`): `cancel`;
//!   - a verb with no items below it (`POST /batches/{id}/cancel`, `/graders/run`): the verb,
//!     on the resource before it;
//!   - a collection (items below it): `list`, `create`, `update`, `delete`;
//!   - a read-only leaf under a literal (`GET /organization/usage/completions`, nothing
//!     below it): a method of that name on its parent;
//!   - anything else: `create` when only POST is offered; `list` or `retrieve` for GET, as its
//!     response is a list or not; `create` for a POST beside a listing GET, else `update`;
//!     `delete`.
//! - Two operations given one name on a resource (or a method named as a child resource)
//!   are each named by their operationId instead (`POST /threads/runs` beside
//!   `POST /threads/{id}/runs` → `create_thread_and_run`); what still collides is numbered
//!   when the resource tree is built.

use std::collections::{BTreeMap, HashMap, HashSet};

use openapiv3::{OpenAPI, Operation as SpecOperation, ReferenceOr, SchemaKind, Type};
use serde_json::Value;

use super::model::{HttpMethod, Operation};
use super::naming::{snake_ident, unraw};
use super::operation::resolved_success;
use super::pagination::ITEMS_FIELDS;
use super::schema::TypeRegistry;
use crate::error::SpecError;
use crate::load::openapi_3_2::{ITEM_SCHEMA, TAG_KIND, TAG_PARENT};
use crate::pointer::Pointer;

/// Verbs that name a method when a path ends with one (their first word, in snake case:
/// `submit_tool_outputs`). A noun that is also a verb (`export`, `search`) reads as the verb
/// only where nothing lies below it.
const VERBS: &[&str] = &[
    "abort",
    "accept",
    "activate",
    "add",
    "apply",
    "approve",
    "archive",
    "assign",
    "attach",
    "authenticate",
    "authorize",
    "ban",
    "block",
    "cancel",
    "capture",
    "check",
    "clone",
    "close",
    "compact",
    "complete",
    "confirm",
    "copy",
    "count",
    "create",
    "deactivate",
    "decline",
    "delete",
    "deploy",
    "detach",
    "disable",
    "dismiss",
    "download",
    "enable",
    "estimate",
    "execute",
    "export",
    "fetch",
    "find",
    "fork",
    "generate",
    "get",
    "hangup",
    "import",
    "invite",
    "invoke",
    "join",
    "kick",
    "leave",
    "list",
    "lock",
    "login",
    "logout",
    "mark",
    "merge",
    "move",
    "mute",
    "pause",
    "pin",
    "preview",
    "publish",
    "query",
    "reactivate",
    "redeliver",
    "refer",
    "refresh",
    "refund",
    "register",
    "reject",
    "remix",
    "remove",
    "renew",
    "reopen",
    "resend",
    "reset",
    "restart",
    "restore",
    "resume",
    "retry",
    "revoke",
    "rollback",
    "rotate",
    "run",
    "save",
    "search",
    "send",
    "set",
    "share",
    "sign",
    "start",
    "stop",
    "submit",
    "subscribe",
    "suspend",
    "sync",
    "terminate",
    "test",
    "transfer",
    "trigger",
    "unarchive",
    "unassign",
    "unban",
    "unblock",
    "unlock",
    "unmute",
    "unpin",
    "unpublish",
    "unsubscribe",
    "unsuspend",
    "update",
    "upgrade",
    "upload",
    "upsert",
    "validate",
    "verify",
    "void",
];

/// File extensions a literal segment may carry (`/Accounts.json`), which a name leaves out.
const EXTENSIONS: &[&str] = &[".json", ".xml", ".yaml", ".yml", ".csv", ".txt", ".html"];

/// Where names come from when no hint gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Naming {
    /// From the path's shape (the default).
    Paths,
    /// The first tag and the operationId (`x-sdk-naming: operation-id`).
    OperationIds,
}

/// An operation's place, and how sure its method's name is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Placement {
    pub resource: Vec<String>,
    pub method: String,
    pub certainty: Certainty,
}

/// How a method got its name, which decides who keeps a name two operations are given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Certainty {
    /// From what the path ends with when nothing says more (a leaf's `create`, `retrieve`).
    Guess,
    /// From an item, a collection, a verb or a custom method: what the path's shape says.
    Shape,
    /// From the operationId (`x-sdk-naming: operation-id`) or a hint: never renamed.
    Named,
}

/// An entry of `x-sdk-resources`: the segments of a path prefix, and the resource path of the
/// operations under it.
struct ResourcePrefix {
    segments: Vec<String>,
    resource: Vec<String>,
}

/// What placement knows of every path of the description: which paths have something below
/// them, and which have items (a parameter) right below them. The paths are a tree of
/// numbered nodes (the root is 0), built in one pass over their segments.
struct PathShapes {
    /// A node's child by its segment, as [`PathShapes::normal`] writes it.
    nodes: HashMap<(usize, String), usize>,
    /// Every node some path goes on below.
    parents: HashSet<usize>,
    /// Every node a parameter segment follows in some path.
    collections: HashSet<usize>,
}

/// Decides every operation's place (see the module's docs).
pub(super) struct Placer {
    naming: Naming,
    prefixes: Vec<ResourcePrefix>,
    shapes: PathShapes,
    /// Each tag's parent (3.2's `parent`), by name.
    tag_parents: HashMap<String, String>,
    /// The tags that do not group operations (3.2's `kind` other than `nav`: badges,
    /// audiences).
    other_tags: HashSet<String>,
}

/// What an operation brings to its placement.
pub(super) struct Site<'a> {
    /// The path key as written, `?query` included.
    pub path: &'a str,
    pub method: HttpMethod,
    pub operation: &'a SpecOperation,
    pub id: &'a str,
    /// The operation's own pointer, for errors in its hints.
    pub pointer: &'a Pointer,
    /// The HTTP methods its path offers, its own among them.
    pub siblings: &'a [HttpMethod],
    /// Whether a GET of its path answers with a list.
    pub get_lists: bool,
}

impl Placer {
    /// Reads the root hints (`x-sdk-naming`, `x-sdk-resources`) and the shape of every path.
    pub fn new(doc: &OpenAPI) -> Result<Self, SpecError> {
        let naming = match doc.extensions.get("x-sdk-naming") {
            None => Naming::Paths,
            Some(Value::String(value)) if value == "paths" => Naming::Paths,
            Some(Value::String(value)) if value == "operation-id" => Naming::OperationIds,
            Some(_) => {
                return Err(SpecError::new(
                    Pointer::root().join("x-sdk-naming"),
                    "expected `paths` (the default) or `operation-id`",
                ))
            }
        };
        let mut shapes = PathShapes {
            nodes: HashMap::new(),
            parents: HashSet::new(),
            collections: HashSet::new(),
        };
        for path in doc.paths.paths.keys() {
            shapes.add(path);
        }
        let mut tag_parents = HashMap::new();
        let mut other_tags = HashSet::new();
        for tag in &doc.tags {
            let text = |key: &str| tag.extensions.get(key).and_then(Value::as_str);
            if let Some(parent) = text(TAG_PARENT) {
                tag_parents.insert(tag.name.clone(), parent.to_owned());
            }
            if text(TAG_KIND).is_some_and(|kind| kind != "nav") {
                other_tags.insert(tag.name.clone());
            }
        }
        Ok(Self {
            naming,
            prefixes: resource_prefixes(doc)?,
            shapes,
            tag_parents,
            other_tags,
        })
    }

    /// The resource a tag names: its ancestors' names (3.2's `parent`), then its own.
    fn tag_resource(&self, tag: &str) -> Vec<String> {
        let mut chain = vec![snake_ident(tag)];
        let mut seen = HashSet::from([tag]);
        let mut current = tag;
        while let Some(parent) = self.tag_parents.get(current) {
            // A cycle (which 3.2 forbids) ends the chain where it closes.
            if !seen.insert(parent.as_str()) {
                break;
            }
            chain.push(snake_ident(parent));
            current = parent;
        }
        chain.reverse();
        chain
    }

    /// Where the operation at `site` hangs.
    pub fn place(&self, site: &Site<'_>) -> Result<Placement, SpecError> {
        let hint = |key: &str| string_hint(site.operation, key, site.pointer);
        let prefix = self.by_prefix(site.path);
        let resource_hint = match hint("x-sdk-resource")? {
            Some(dotted) => Some(resource_path(dotted)),
            None => match prefix {
                // Under a prefix, the path's shape places the operation below its resource.
                Some(_) if self.naming == Naming::Paths => None,
                Some(prefix) => Some(prefix.resource.clone()),
                None => vendor_group(site.operation)?,
            },
        };
        let method_hint = match hint("x-sdk-method")? {
            Some(method) => Some(method),
            None => match hint("x-speakeasy-name-override")? {
                Some(method) => Some(method),
                None => hint("x-fern-sdk-method-name")?,
            },
        };
        if let (Some(resource), Some(method)) = (&resource_hint, method_hint) {
            return Ok(Placement {
                resource: resource.clone(),
                method: snake_ident(method),
                certainty: Certainty::Named,
            });
        }
        let (resource, method, certainty) = match self.naming {
            Naming::Paths => {
                let (resource, method, certainty) = self.by_shape(site, prefix);
                (resource_hint.unwrap_or(resource), method, certainty)
            }
            Naming::OperationIds => match resource_hint {
                Some(resource) => {
                    let method = method_within(site.id, &resource);
                    (resource, method, Certainty::Named)
                }
                None => {
                    let tag = site
                        .operation
                        .tags
                        .iter()
                        .find(|tag| !self.other_tags.contains(*tag))
                        .map(|tag| self.tag_resource(tag));
                    (
                        tag.unwrap_or_default(),
                        snake_ident(site.id),
                        Certainty::Named,
                    )
                }
            },
        };
        Ok(match method_hint {
            Some(method) => Placement {
                resource,
                method: snake_ident(method),
                certainty: Certainty::Named,
            },
            None => Placement {
                resource,
                method,
                certainty,
            },
        })
    }

    /// The longest `x-sdk-resources` prefix the path is under, segment by segment.
    fn by_prefix(&self, path: &str) -> Option<&ResourcePrefix> {
        let segments = path_segments(strip_query(path).0);
        self.prefixes
            .iter()
            .filter(|prefix| {
                prefix.segments.len() <= segments.len()
                    && prefix.segments.iter().zip(&segments).all(|(a, b)| a == b)
            })
            .max_by_key(|prefix| prefix.segments.len())
    }

    /// The resource path and method the path's shape gives (see the module's docs); under
    /// an `x-sdk-resources` prefix, the prefix's resource stands for its segments.
    fn by_shape(
        &self,
        site: &Site<'_>,
        prefix: Option<&ResourcePrefix>,
    ) -> (Vec<String>, String, Certainty) {
        let (base, query) = strip_query(site.path);
        let segments = path_segments(base);
        let owned = prefix.map_or(0, |prefix| prefix.segments.len());
        let shape = Shape::of(&segments, owned);
        let mut resource = prefix.map_or_else(Vec::new, |prefix| prefix.resource.clone());
        resource.extend(query_flag(query));
        resource.extend(shape.resource);
        let node = self.shapes.node(&segments);
        let has_items = node.is_some_and(|node| self.shapes.collections.contains(&node));
        let has_children = node.is_some_and(|node| self.shapes.parents.contains(&node));
        let only_get = site.siblings.iter().all(|m| *m == HttpMethod::Get);
        let (method, certainty) = match shape.end {
            End::Root => (leaf_method(site), Certainty::Guess),
            End::Item => (item_method(&site.method, site.siblings), Certainty::Shape),
            End::Custom(verb) => (verb, Certainty::Shape),
            End::Literal {
                name,
                after_literal,
            } => {
                let owns_last = shape.owns_last;
                if is_verb(&name) && !has_items && owns_last {
                    resource.pop();
                    (name, Certainty::Shape)
                } else if has_items {
                    (collection_method(&site.method), Certainty::Shape)
                } else if after_literal
                    && !has_children
                    && only_get
                    && owns_last
                    && resource.len() > 1
                {
                    resource.pop();
                    (name, Certainty::Guess)
                } else {
                    (leaf_method(site), Certainty::Guess)
                }
            }
        };
        (resource, method, certainty)
    }
}

impl PathShapes {
    /// Notes every prefix of `path`: as a parent, and as a collection when a parameter
    /// follows it.
    fn add(&mut self, path: &str) {
        let mut node = 0;
        for segment in path_segments(strip_query(path).0) {
            self.parents.insert(node);
            if is_param(segment) {
                self.collections.insert(node);
            }
            let next = self.nodes.len() + 1;
            node = *self
                .nodes
                .entry((node, Self::normal(segment).to_owned()))
                .or_insert(next);
        }
    }

    /// The node of a path that [`PathShapes::add`] has seen.
    fn node(&self, segments: &[&str]) -> Option<usize> {
        segments.iter().try_fold(0, |node, segment| {
            self.nodes
                .get(&(node, Self::normal(segment).to_owned()))
                .copied()
        })
    }

    /// A segment as paths are compared: every parameter alike, extensions left out.
    fn normal(segment: &str) -> &str {
        if is_param(segment) {
            "{}"
        } else {
            without_extension(segment)
        }
    }
}

/// A path's segments, read for names.
struct Shape {
    /// Its literal segments as accessors, less those a prefix owns.
    resource: Vec<String>,
    end: End,
    /// Whether its last segment is its own rather than a prefix's.
    owns_last: bool,
}

/// What a path ends with.
enum End {
    /// `/`: nothing.
    Root,
    /// A parameter: one item.
    Item,
    /// `{name}:verb` or `things:verb`: a custom method (Google's style).
    Custom(String),
    /// A literal segment (its method name, were it one), and whether a literal comes before it.
    Literal { name: String, after_literal: bool },
}

impl Shape {
    /// The shape of `segments`, the first `owned` of which a prefix names.
    fn of(segments: &[&str], owned: usize) -> Shape {
        let owned = owned.min(segments.len());
        // Leading versions name no resource.
        let start = segments[owned..]
            .iter()
            .position(|segment| !is_version(segment))
            .map_or(segments.len(), |at| owned + at);
        let mut resource = Vec::new();
        for segment in &segments[start..] {
            let literal = segment.split(':').next().unwrap_or_default();
            if !is_param(literal) {
                let name = snake_ident(without_extension(literal));
                if !unraw(&name).is_empty() {
                    resource.push(name);
                }
            }
        }
        let end = match segments {
            [] => End::Root,
            [.., last] if last.contains(':') && !last.ends_with(':') => {
                let verb = last.rsplit(':').next().unwrap_or_default();
                End::Custom(snake_ident(verb))
            }
            [.., last] if is_param(last) => End::Item,
            [.., before, last] => End::Literal {
                name: snake_ident(without_extension(last)),
                after_literal: !is_param(before),
            },
            [last] => End::Literal {
                name: snake_ident(without_extension(last)),
                after_literal: false,
            },
        };
        Shape {
            resource,
            end,
            owns_last: start < segments.len(),
        }
    }
}

/// The method of an operation on an item.
fn item_method(method: &HttpMethod, siblings: &[HttpMethod]) -> String {
    match method {
        HttpMethod::Get => "retrieve",
        HttpMethod::Delete => "delete",
        HttpMethod::Put if siblings.contains(&HttpMethod::Patch) => "replace",
        HttpMethod::Head => "head",
        HttpMethod::Options => "options",
        HttpMethod::Put | HttpMethod::Patch | HttpMethod::Post => "update",
        HttpMethod::Other(method) => return other_method(method),
    }
    .to_owned()
}

/// The method named after an HTTP method of 3.2's `additionalOperations` (`QUERY` →
/// `query`, `PURGE` → `purge`), wherever it stands.
fn other_method(method: &str) -> String {
    snake_ident(&method.to_ascii_lowercase())
}

/// The method of an operation on a collection (a path with items below it).
fn collection_method(method: &HttpMethod) -> String {
    match method {
        HttpMethod::Get => "list",
        HttpMethod::Post => "create",
        HttpMethod::Delete => "delete",
        HttpMethod::Head => "head",
        HttpMethod::Options => "options",
        HttpMethod::Put | HttpMethod::Patch => "update",
        HttpMethod::Other(method) => return other_method(method),
    }
    .to_owned()
}

/// The method of an operation on a leaf with no items below it: a resource that may be a
/// list (its GET answers one), a single object, or an endpoint that only creates.
fn leaf_method(site: &Site<'_>) -> String {
    let only_post = site.siblings.iter().all(|m| *m == HttpMethod::Post);
    verb_name(&site.method, only_post || site.get_lists, site)
}

/// `create`/`list` on something that holds many, else `update`/`retrieve`.
fn verb_name(method: &HttpMethod, many: bool, site: &Site<'_>) -> String {
    match method {
        HttpMethod::Get if site.get_lists => "list",
        HttpMethod::Get => "retrieve",
        HttpMethod::Post if many => "create",
        HttpMethod::Delete => "delete",
        HttpMethod::Head => "head",
        HttpMethod::Options => "options",
        HttpMethod::Put if site.siblings.contains(&HttpMethod::Patch) => "replace",
        HttpMethod::Post | HttpMethod::Put | HttpMethod::Patch => "update",
        HttpMethod::Other(method) => return other_method(method),
    }
    .to_owned()
}

/// Renames the methods that share a name on one resource (or take a child resource's name)
/// after their operationId: all but the one whose name is surest, when one is surer than the
/// others; never one a hint or the operationId named.
pub(super) fn resolve_collisions(operations: &mut [Operation], certainty: &[Certainty]) {
    let mut named: BTreeMap<(Vec<String>, String), Vec<usize>> = BTreeMap::new();
    let mut children: HashSet<(Vec<String>, String)> = HashSet::new();
    for (index, operation) in operations.iter().enumerate() {
        named
            .entry((operation.resource.clone(), operation.method_name.clone()))
            .or_default()
            .push(index);
        for depth in 0..operation.resource.len() {
            children.insert((
                operation.resource[..depth].to_vec(),
                operation.resource[depth].clone(),
            ));
        }
    }
    let certainty_of = |index: usize| certainty.get(index).copied().unwrap_or(Certainty::Named);
    for ((resource, method), indices) in named {
        let child = children.contains(&(resource, method));
        if indices.len() < 2 && !child {
            continue;
        }
        let surest = indices.iter().map(|&i| certainty_of(i)).max();
        let at_surest = indices
            .iter()
            .filter(|&&i| Some(certainty_of(i)) == surest)
            .count();
        // The one surest name stays, unless a child resource has it.
        let keeps = |index: usize| !child && at_surest == 1 && Some(certainty_of(index)) == surest;
        for index in indices {
            if certainty_of(index) != Certainty::Named && !keeps(index) {
                let operation = &mut operations[index];
                operation.method_name = snake_ident(&operation.id);
            }
        }
    }
}

/// Whether the GET of `path` answers with a list: an array, or an object with an array
/// member that holds the items (`data`, `items`, ..., or one named as the path's last
/// segment: `{"events": [...]}` from `/Events.json`), its `allOf` members read too.
pub(super) fn lists(
    path: &str,
    operation: &SpecOperation,
    doc: &OpenAPI,
    registry: &TypeRegistry<'_>,
) -> bool {
    let last = path_segments(strip_query(path).0)
        .last()
        .filter(|segment| !is_param(segment))
        .map(|segment| unraw(&snake_ident(without_extension(segment))).to_owned());
    let holds_items = |name: &str| {
        ITEMS_FIELDS.contains(&name) || last.as_deref() == Some(unraw(&snake_ident(name)))
    };
    let Some(response) = resolved_success(doc, operation) else {
        return false;
    };
    // A sequence of items (JSON Lines, multipart parts; not events) is a listing.
    let sequence = response.content.iter().any(|(media, object)| {
        object.extensions.contains_key(ITEM_SCHEMA) && !media.starts_with("text/event-stream")
    });
    if sequence {
        return true;
    }
    let is_array = |schema: &ReferenceOr<Box<openapiv3::Schema>>| {
        registry
            .schema_of(schema)
            .is_some_and(|schema| matches!(schema.schema_kind, SchemaKind::Type(Type::Array(_))))
    };
    let has_items = |schema: &openapiv3::Schema| {
        let properties = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => &object.properties,
            SchemaKind::Any(any) => &any.properties,
            _ => return false,
        };
        properties
            .iter()
            .any(|(name, member)| holds_items(name) && is_array(member))
    };
    response
        .content
        .values()
        .filter_map(|media| registry.schema_of(media.schema.as_ref()?))
        .any(|schema| match &schema.schema_kind {
            SchemaKind::Type(Type::Array(_)) => true,
            SchemaKind::AllOf { all_of } => all_of
                .iter()
                .filter_map(|member| registry.schema_of(member))
                .any(has_items),
            _ => has_items(schema),
        })
}

/// `x-sdk-resources` (root): `{"/organization/certificates": "admin.organization.certificates"}`.
fn resource_prefixes(doc: &OpenAPI) -> Result<Vec<ResourcePrefix>, SpecError> {
    let at = Pointer::root().join("x-sdk-resources");
    let entries = match doc.extensions.get("x-sdk-resources") {
        None => return Ok(Vec::new()),
        Some(Value::Object(entries)) => entries,
        Some(_) => {
            return Err(SpecError::new(
                at,
                "expected an object from path prefixes to resource paths",
            ))
        }
    };
    entries
        .iter()
        .map(|(prefix, resource)| match resource {
            Value::String(dotted) if prefix.starts_with('/') && !dotted.trim().is_empty() => {
                Ok(ResourcePrefix {
                    segments: path_segments(prefix).into_iter().map(str::to_owned).collect(),
                    resource: resource_path(dotted),
                })
            }
            _ => Err(SpecError::new(
                at.join(prefix),
                "expected a path prefix starting with `/` and a resource path such as `admin.users`",
            )),
        })
        .collect()
}

/// An operation's string hint `key`, if set; an error if it is set to anything else.
fn string_hint<'o>(
    operation: &'o SpecOperation,
    key: &str,
    pointer: &Pointer,
) -> Result<Option<&'o str>, SpecError> {
    match operation.extensions.get(key) {
        None => Ok(None),
        Some(Value::String(value)) if !value.trim().is_empty() => Ok(Some(value.as_str())),
        Some(_) if !key.starts_with("x-sdk-") => Ok(None),
        Some(_) => Err(SpecError::new(
            pointer.join(key),
            "expected a non-empty string",
        )),
    }
}

/// The group another generator's extension puts the operation in: `x-speakeasy-group`
/// (dotted) or `x-fern-sdk-group-name` (a name or a list of them). Not ours to reject: a
/// value of another shape is passed over.
fn vendor_group(operation: &SpecOperation) -> Result<Option<Vec<String>>, SpecError> {
    if let Some(Value::String(dotted)) = operation.extensions.get("x-speakeasy-group") {
        let resource = resource_path(dotted);
        if !resource.is_empty() {
            return Ok(Some(resource));
        }
    }
    let resource: Vec<String> = match operation.extensions.get("x-fern-sdk-group-name") {
        Some(Value::String(name)) => resource_path(name),
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .flat_map(resource_path)
            .collect(),
        _ => Vec::new(),
    };
    Ok((!resource.is_empty()).then_some(resource))
}

fn path_segments(path: &str) -> Vec<&str> {
    path.split('/')
        .filter(|segment| !segment.is_empty())
        .collect()
}

/// A path template without the query written into it (`/responses?beta=true`), and that query.
fn strip_query(path: &str) -> (&str, &str) {
    path.split_once('?').unwrap_or((path, ""))
}

/// The name of a flag the path's query sets (`beta=true` → `beta`), if it sets exactly one.
fn query_flag(query: &str) -> Option<String> {
    let (name, value) = query.split_once('=')?;
    let name = snake_ident(name);
    (value == "true" && !query.contains('&') && !unraw(&name).is_empty()).then_some(name)
}

fn is_param(segment: &str) -> bool {
    segment.contains('{')
}

/// `v1`, `v2.1`, `2010-04-01`: a version, which names no resource.
fn is_version(segment: &str) -> bool {
    let numeric = |text: &str| {
        !text.is_empty()
            && text
                .split(['.', '_', '-'])
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
    };
    let lower = segment.to_ascii_lowercase();
    lower.strip_prefix('v').is_some_and(numeric) || (numeric(&lower) && lower.contains('-'))
}

fn without_extension(segment: &str) -> &str {
    EXTENSIONS
        .iter()
        .find_map(|extension| {
            segment
                .len()
                .checked_sub(extension.len())
                .filter(|&at| at > 0 && segment[at..].eq_ignore_ascii_case(extension))
                .map(|at| &segment[..at])
        })
        .unwrap_or(segment)
}

/// Whether a method-like segment starts with a verb (`cancel`, `submit_tool_outputs`).
fn is_verb(name: &str) -> bool {
    let first = unraw(name).split('_').next().unwrap_or_default();
    VERBS.binary_search(&first).is_ok()
}

/// `admin.organization.certificates` (or with `/`) → its accessors.
pub(super) fn resource_path(dotted: &str) -> Vec<String> {
    dotted
        .split(['.', '/'])
        .filter(|s| !s.trim().is_empty())
        .map(snake_ident)
        .collect()
}

/// The words of a method name that are not the resource's: `activate` for
/// `activateOrganizationCertificates` on `admin.organization.certificates` (a plural matches
/// its singular); the whole name when no word is left.
fn method_within(id: &str, resource: &[String]) -> String {
    fn singular(word: &str) -> &str {
        word.strip_suffix('s').unwrap_or(word)
    }
    let name = snake_ident(id);
    let resource_words: Vec<&str> = resource
        .iter()
        .flat_map(|segment| unraw(segment).split('_'))
        .map(singular)
        .collect();
    let kept: Vec<&str> = unraw(&name)
        .split('_')
        .filter(|word| !resource_words.contains(&singular(word)))
        .collect();
    if kept.is_empty() {
        name
    } else {
        snake_ident(&kept.join("_"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_are_sorted_for_binary_search() {
        assert!(VERBS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn versions_and_extensions_name_nothing() {
        assert!(is_version("v1"));
        assert!(is_version("V2.1"));
        assert!(is_version("2010-04-01"));
        assert!(!is_version("v"));
        assert!(!is_version("videos"));
        assert!(!is_version("2024"));
        assert_eq!(without_extension("Calls.json"), "Calls");
        assert_eq!(without_extension(".json"), ".json");
        assert_eq!(without_extension("files"), "files");
    }

    #[test]
    fn a_query_flag_names_a_resource() {
        assert_eq!(query_flag("beta=true").as_deref(), Some("beta"));
        assert_eq!(query_flag("beta=false"), None);
        assert_eq!(query_flag("a=true&b=true"), None);
        assert_eq!(query_flag(""), None);
    }

    #[test]
    fn the_operation_id_less_the_resource_words() {
        let resource = resource_path("admin.organization.certificates");
        assert_eq!(
            method_within("activateOrganizationCertificates", &resource),
            "activate"
        );
        assert_eq!(
            method_within("createImageVariation", &resource_path("images")),
            "create_variation"
        );
        assert_eq!(method_within("listCertificates", &resource), "list");
        assert_eq!(method_within("certificates", &resource), "certificates");
    }
}
