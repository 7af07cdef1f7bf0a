//! Which list operations page, and how: a cursor the page carries, a page number, an offset,
//! or the `Link` header.
//!
//! A hint decides first: `x-sdk-pagination` on the operation (or, for every operation it fits,
//! at the root), then the `x-speakeasy-pagination` other generators' descriptions carry.
//! Without one, the operation's shape does, in this order:
//! - its success response declares a `Link` header (RFC 8288, GitHub's style): the next page is
//!   the URL `rel="next"` names;
//! - a string query parameter named like a cursor (`after`, `cursor`, `page_token`,
//!   `starting_after`, ...) and a string member of the page named like the next cursor
//!   (`last_id`, `next_cursor`, `next_page_token`, ...): the cursor goes back in the parameter;
//! - an integer query parameter `page` (or `page_number`): the next page is one more;
//! - an integer query parameter `offset` (or `skip`): the next page skips the items read.
//!
//! Each needs the items: the response itself when it is an array, else a member named `data`,
//! `items`, `results`, ... that is one. A page may say whether more follow (`has_more`) and how
//! many items (`total`) or pages (`total_pages`) there are; the runtime stops at whichever it
//! learns first, or at an empty page. An operation whose shape fits none is a plain call,
//! without a warning.

use openapiv3::{OpenAPI, Operation as SpecOperation, ReferenceOr};
use serde_json::Value;

use super::model::{
    Field, PageStyle, Pagination, Param, ParamLocation, ResponseKind, Struct, TypeRef,
};
use super::operation::resolved_success;
use super::queries::TypeQueries;
use super::schema::TypeRegistry;
use crate::error::SpecError;
use crate::pointer::Pointer;

/// Query parameters that carry a cursor, and page members that hold the next one.
const CURSOR_PARAMS: &[&str] = &[
    "after",
    "cursor",
    "starting_after",
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "continuation_token",
    "continuationToken",
    "marker",
    "page",
];
const NEXT_CURSOR_FIELDS: &[&str] = &[
    "last_id",
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "continuation_token",
    "continuationToken",
    "next_marker",
    "nextMarker",
    "next_page",
    "nextPage",
    "cursor",
    "next",
];
const PAGE_PARAMS: &[&str] = &["page", "page_number", "pageNumber"];
const OFFSET_PARAMS: &[&str] = &["offset", "skip"];
/// Page members that hold the items, say whether more follow, and count items and pages.
pub(super) const ITEMS_FIELDS: &[&str] =
    &["data", "items", "results", "entries", "records", "values"];
const HAS_MORE_FIELDS: &[&str] = &["has_more", "hasMore", "has_next", "hasNext"];
const TOTAL_FIELDS: &[&str] = &[
    "total",
    "total_count",
    "totalCount",
    "total_results",
    "count",
];
const TOTAL_PAGES_FIELDS: &[&str] = &["total_pages", "totalPages", "page_count", "pageCount"];

/// What the pagination of one operation is read from.
pub(super) struct Site<'a> {
    pub doc: &'a OpenAPI,
    pub operation: &'a SpecOperation,
    /// The operation's pointer, for errors in its hint.
    pub pointer: &'a Pointer,
    pub params: &'a [Param],
    pub response: &'a ResponseKind,
}

/// A style as a hint names it, before its parameter is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Cursor,
    PageNumber,
    Offset,
    Link,
}

/// The members a hint names (or the defaults), before they are looked up.
struct Declared {
    style: Kind,
    param: String,
    items: String,
    has_more: Option<String>,
    next_cursor: Option<String>,
    total: Option<String>,
    total_pages: Option<String>,
}

/// How the operation pages, if it does; an error for a hint on the operation that does not fit.
pub(super) fn pagination(
    site: &Site<'_>,
    registry: &TypeRegistry<'_>,
) -> Result<Option<Pagination>, SpecError> {
    let own = site.operation.extensions.get("x-sdk-pagination");
    let (pointer, declared, explicit) = match own {
        Some(own) => (site.pointer.join("x-sdk-pagination"), Some(own), true),
        None => (
            Pointer::root().join("x-sdk-pagination"),
            site.doc.extensions.get("x-sdk-pagination"),
            false,
        ),
    };
    match declared {
        Some(Value::Bool(false)) => return Ok(None),
        Some(Value::Object(config)) => {
            let declared = declared_by_hint(config, &pointer)?;
            let found = fit(site, registry, &declared);
            return match found {
                Ok(pagination) => Ok(Some(pagination)),
                Err(reason) if explicit => Err(SpecError::new(pointer, reason)),
                Err(_) => Ok(None),
            };
        }
        Some(_) => return Err(SpecError::new(pointer, "expected an object (or `false`)")),
        None => {}
    }
    if let Some(declared) = speakeasy(site.operation) {
        if let Ok(pagination) = fit(site, registry, &declared) {
            return Ok(Some(pagination));
        }
    }
    Ok(by_shape(site, registry))
}

/// `x-sdk-pagination: {style, cursor-param | param, items, has-more, next-cursor, total,
/// total-pages}`.
fn declared_by_hint(
    config: &serde_json::Map<String, Value>,
    pointer: &Pointer,
) -> Result<Declared, SpecError> {
    let text = |key: &str| -> Result<Option<String>, SpecError> {
        match config.get(key) {
            None => Ok(None),
            Some(Value::String(value)) => Ok(Some(value.clone())),
            Some(_) => Err(SpecError::new(pointer.join(key), "expected a string")),
        }
    };
    let (style, param) = match text("style")?.as_deref().unwrap_or("cursor") {
        "cursor" => (
            Kind::Cursor,
            text("cursor-param")?.unwrap_or_else(|| "after".to_owned()),
        ),
        "page" => (
            Kind::PageNumber,
            text("param")?.unwrap_or_else(|| "page".to_owned()),
        ),
        "offset" => (
            Kind::Offset,
            text("param")?.unwrap_or_else(|| "offset".to_owned()),
        ),
        "link" => (Kind::Link, String::new()),
        other => {
            return Err(SpecError::new(
                pointer.join("style"),
                format!(
                    "pagination style `{other}` is not one of `cursor`, `page`, `offset`, `link`"
                ),
            ))
        }
    };
    let cursor = style == Kind::Cursor;
    Ok(Declared {
        param,
        items: text("items")?.unwrap_or_else(|| "data".to_owned()),
        has_more: text("has-more")?.or_else(|| cursor.then(|| "has_more".to_owned())),
        next_cursor: text("next-cursor")?.or_else(|| cursor.then(|| "last_id".to_owned())),
        total: text("total")?,
        total_pages: text("total-pages")?,
        style,
    })
}

/// Speakeasy's `x-speakeasy-pagination`: `{type: cursor | offsetLimit, inputs: [{name, in:
/// parameters, type: cursor | offset | page}], outputs: {results: $.data, nextCursor:
/// $.next}}`, where the outputs are plain member paths.
fn speakeasy(operation: &SpecOperation) -> Option<Declared> {
    let config = operation
        .extensions
        .get("x-speakeasy-pagination")?
        .as_object()?;
    let input = config
        .get("inputs")?
        .as_array()?
        .iter()
        .filter_map(Value::as_object)
        .find(|input| {
            input.get("in").and_then(Value::as_str) == Some("parameters")
                && matches!(
                    input.get("type").and_then(Value::as_str),
                    Some("cursor" | "offset" | "page")
                )
        })?;
    let param = input.get("name")?.as_str()?.to_owned();
    let style = match input.get("type")?.as_str()? {
        "cursor" => Kind::Cursor,
        "page" => Kind::PageNumber,
        _ => Kind::Offset,
    };
    let outputs = config.get("outputs").and_then(Value::as_object);
    let member = |key: &str| {
        let path = outputs?.get(key)?.as_str()?;
        let member = path.strip_prefix("$.")?;
        (!member.contains(['.', '['])).then(|| member.to_owned())
    };
    Some(Declared {
        style,
        param,
        items: member("results").unwrap_or_else(|| "data".to_owned()),
        has_more: None,
        next_cursor: member("nextCursor"),
        total: None,
        total_pages: member("numPages"),
    })
}

/// The pagination the operation's shape says, if any (see the module's docs).
fn by_shape(site: &Site<'_>, registry: &TypeRegistry<'_>) -> Option<Pagination> {
    let page = page_struct(site.response, registry);
    let items = match page {
        Some(page) => first_member(page, ITEMS_FIELDS)?.wire_name.clone(),
        None => String::new(),
    };
    let member = |names: &[&str]| {
        page.and_then(|page| first_member(page, names))
            .map(|f| f.wire_name.clone())
    };
    let declared = |style: Kind, param: &str| Declared {
        style,
        param: param.to_owned(),
        items: items.clone(),
        has_more: member(HAS_MORE_FIELDS),
        next_cursor: member(NEXT_CURSOR_FIELDS),
        total: member(TOTAL_FIELDS),
        total_pages: member(TOTAL_PAGES_FIELDS),
    };
    if declares_link_header(site.doc, site.operation) {
        if let Ok(pagination) = fit(site, registry, &declared(Kind::Link, "")) {
            return Some(pagination);
        }
    }
    let query = |names: &[&str]| {
        names.iter().find_map(|name| {
            site.params
                .iter()
                .find(|p| p.location == ParamLocation::Query && p.wire_name == *name)
                .map(|p| p.wire_name.clone())
        })
    };
    let candidates = [
        (Kind::Cursor, query(CURSOR_PARAMS)),
        (Kind::PageNumber, query(PAGE_PARAMS)),
        (Kind::Offset, query(OFFSET_PARAMS)),
    ];
    candidates.into_iter().find_map(|(style, param)| {
        let declared = declared(style, &param?);
        fit(site, registry, &declared).ok()
    })
}

/// The page's struct, when the response is a named object.
fn page_struct<'r>(response: &ResponseKind, registry: &'r TypeRegistry<'_>) -> Option<&'r Struct> {
    match response {
        ResponseKind::Json(page @ TypeRef::Named(_)) => registry.struct_of(page),
        _ => None,
    }
}

fn first_member<'s>(page: &'s Struct, names: &[&str]) -> Option<&'s Field> {
    names
        .iter()
        .find_map(|name| page.fields.iter().find(|field| field.wire_name == *name))
}

/// What carries the position of the next page: a query parameter (its index), or the link.
enum Carrier {
    Cursor(usize),
    PageNumber(usize),
    Offset(usize),
    Link,
}

/// Looks the declared members up: the pagination, or why the operation does not fit it.
fn fit(
    site: &Site<'_>,
    registry: &TypeRegistry<'_>,
    declared: &Declared,
) -> Result<Pagination, String> {
    let integers = [
        TypeRef::Integer(super::model::IntegerKind::I64),
        TypeRef::Integer(super::model::IntegerKind::I32),
    ];
    // The parameter first: what a hint names most often goes wrong there.
    let param = |kinds: &[TypeRef], what: &str| query_param(site, &declared.param, kinds, what);
    let carrier = match declared.style {
        Kind::Cursor => Carrier::Cursor(param(&[TypeRef::String], "cursor")?),
        Kind::PageNumber => Carrier::PageNumber(param(&integers, "page number")?),
        Kind::Offset => Carrier::Offset(param(&integers, "offset")?),
        Kind::Link => Carrier::Link,
    };
    let (page, items_field, item) = match site.response {
        ResponseKind::Json(TypeRef::Array(item)) if declared.style == Kind::Link => {
            (TypeRef::Array(item.clone()), None, (**item).clone())
        }
        ResponseKind::Json(page @ TypeRef::Named(name)) => {
            let Some(page_struct) = registry.struct_of(page) else {
                return Err(format!("the response type `{name}` must be an object"));
            };
            let Some(items_field) = member(page_struct, &declared.items) else {
                return Err(format!(
                    "the response has no `{}` field holding the items",
                    declared.items
                ));
            };
            let TypeRef::Array(item) = &items_field.ty else {
                return Err(format!("the `{}` field must be an array", declared.items));
            };
            let item = (**item).clone();
            (page.clone(), Some(items_field), item)
        }
        _ => return Err("the success response must be a named object type".to_owned()),
    };
    let page_struct = registry.struct_of(&page);
    let typed =
        |name: &Option<String>, ty: &[TypeRef], what: &str| -> Result<Option<Field>, String> {
            let Some(name) = name else { return Ok(None) };
            match page_struct.and_then(|page| member(page, name)) {
                Some(field) if ty.contains(&field.ty) => Ok(Some(field)),
                Some(_) => Err(format!("the `{name}` field must be {what}")),
                None => Ok(None),
            }
        };
    let has_more_field = typed(&declared.has_more, &[TypeRef::Boolean], "a boolean")?;
    let total_items_field = typed(&declared.total, &integers, "an integer")?;
    let total_pages_field = typed(&declared.total_pages, &integers, "an integer")?;
    let style = match carrier {
        Carrier::Cursor(param) => {
            let next = declared.next_cursor.as_deref().unwrap_or("last_id");
            let Some(next_cursor_field) = page_struct.and_then(|page| member(page, next)) else {
                return Err(format!(
                    "the response has no `{next}` field holding the next cursor"
                ));
            };
            if next_cursor_field.ty != TypeRef::String {
                return Err(format!("the `{next}` field must be a string"));
            }
            PageStyle::Cursor {
                param,
                next_cursor_field,
            }
        }
        Carrier::PageNumber(param) => PageStyle::PageNumber {
            param,
            first: first_page(site, &declared.param),
        },
        Carrier::Offset(param) => PageStyle::Offset { param },
        Carrier::Link => PageStyle::Link,
    };
    Ok(Pagination {
        style,
        page,
        item,
        items_field,
        has_more_field,
        total_items_field,
        total_pages_field,
    })
}

/// The index of the query parameter `name`, which must be of one of `kinds`.
fn query_param(
    site: &Site<'_>,
    name: &str,
    kinds: &[TypeRef],
    what: &str,
) -> Result<usize, String> {
    let index = site
        .params
        .iter()
        .position(|p| p.location == ParamLocation::Query && p.wire_name == name)
        .ok_or_else(|| {
            format!("the operation has no query parameter `{name}` to carry the {what}")
        })?;
    if kinds.contains(&site.params[index].ty) {
        Ok(index)
    } else {
        let kind = if kinds.contains(&TypeRef::String) {
            "a string"
        } else {
            "an integer"
        };
        Err(format!("the {what} parameter `{name}` must be {kind}"))
    }
}

fn member(page: &Struct, wire: &str) -> Option<Field> {
    page.fields.iter().find(|f| f.wire_name == wire).cloned()
}

/// The number of the first page: the parameter's `default` or `minimum` when it is 0, else 1.
fn first_page(site: &Site<'_>, name: &str) -> u64 {
    let declared = site
        .operation
        .parameters
        .iter()
        .find_map(|parameter| match parameter {
            ReferenceOr::Item(parameter) if parameter.parameter_data_ref().name == name => {
                Some(parameter.parameter_data_ref())
            }
            _ => None,
        });
    let zero_based = declared.is_some_and(|data| match &data.format {
        openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
            match &schema.schema_kind {
                openapiv3::SchemaKind::Type(openapiv3::Type::Integer(integer)) => {
                    integer.minimum == Some(0)
                        || schema.schema_data.default.as_ref().and_then(Value::as_i64) == Some(0)
                }
                _ => false,
            }
        }
        _ => false,
    });
    u64::from(!zero_based)
}

/// Whether the operation's success response declares a `Link` header.
fn declares_link_header(doc: &OpenAPI, operation: &SpecOperation) -> bool {
    resolved_success(doc, operation).is_some_and(|response| {
        response
            .headers
            .keys()
            .any(|name| name.eq_ignore_ascii_case("link"))
    })
}
