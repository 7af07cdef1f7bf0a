//! Operations → builders: parameters, bodies, responses, pagination and resource placement.

use indexmap::IndexMap;
use openapiv3::{
    Components, OpenAPI, Operation as SpecOperation, Parameter, ParameterData,
    ParameterSchemaOrContent, QueryStyle, ReferenceOr, RequestBody, Response, StatusCode,
};
use serde_json::Value;

use super::model::{
    Access, ArrayFormat, Body, BodyEncoding, FileChoice, HttpMethod, Input, InputRole, InputTarget,
    ObjectFormat, Operation, Param, ParamForm, ParamLocation, Part, PartKind, PathPart, PathStyle,
    Presence, ResponseKind, SequenceFormat, StreamForm, Struct, TypeKind, TypeRef, VariantPart,
};
use super::naming::{pascal, snake_ident, type_name, unraw, Namespace};
use super::pagination;
use super::placement::{self, Certainty, Placer, Site};
use super::queries::TypeQueries;
use super::schema::{scalar_example, with_default, Resolved, TypeRegistry};
use super::security::Credentials;
use crate::diagnostics::Diagnostics;
use crate::error::SpecError;
use crate::load::media_essence;
use crate::load::openapi_3_2::{ADDITIONAL_OPERATIONS, ITEM_SCHEMA, QUERYSTRING};
use crate::pointer::Pointer;

/// The media type of server-sent events.
const EVENT_STREAM: &str = "text/event-stream";

/// Builder members the emitter writes itself (fields, methods, and the pagination trait's),
/// which parameters and body fields must not take.
const BUILDER_RESERVED: &[&str] = &[
    "client",
    "options",
    "body",
    "new",
    "send",
    "send_with_response",
    "request_options",
    "into_stream",
    "bytes_stream",
    "build_request",
    "with_cursor",
    "fetch",
];

const METHODS: [(&str, HttpMethod); 7] = [
    ("get", HttpMethod::Get),
    ("put", HttpMethod::Put),
    ("post", HttpMethod::Post),
    ("delete", HttpMethod::Delete),
    ("options", HttpMethod::Options),
    ("head", HttpMethod::Head),
    ("patch", HttpMethod::Patch),
];

/// Reads every operation of the document, in path order and then method order. An operation
/// that cannot be generated is left out with a warning, and the others are still read; a
/// wrong `x-sdk-*` hint is an error (hints are the SDK's, not the description's).
pub fn operations(
    doc: &OpenAPI,
    registry: &mut TypeRegistry<'_>,
    array_override: Option<ArrayFormat>,
    credentials: &Credentials,
) -> Vec<Operation> {
    let mut struct_names = Namespace::default();
    let mut operations = Vec::new();
    let placer = match Placer::new(doc) {
        Ok(placer) => placer,
        Err(error) => {
            registry.diagnostics.error(error.pointer, error.reason);
            return Vec::new();
        }
    };
    // How sure each operation's method name is, which decides who keeps it on a collision.
    let mut certainty = Vec::new();
    let paths = Pointer::root().join("paths");
    for (path, item) in &doc.paths.paths {
        let item_pointer = paths.join(path);
        let ReferenceOr::Item(item) = item else {
            registry.diagnostics.warn(
                item_pointer,
                "a path item `$ref` that does not resolve to a path item; its operations are left out",
            );
            continue;
        };
        if item.trace.is_some() {
            registry.diagnostics.warn(
                item_pointer.join("trace"),
                "TRACE operations are not generated; this one is left out",
            );
        }
        let additional = additional_operations(item);
        let mut listed: Vec<(Pointer, HttpMethod, &SpecOperation)> = METHODS
            .iter()
            .filter_map(|(key, method)| {
                let operation = operation_of(item, method)?;
                Some((item_pointer.join(key), method.clone(), operation))
            })
            .collect();
        let additional_pointer = item_pointer.join(ADDITIONAL_OPERATIONS);
        for (method, operation) in &additional {
            let pointer = additional_pointer.join(method);
            match operation {
                Ok(operation) => {
                    listed.push((pointer, HttpMethod::Other(method.clone()), operation))
                }
                Err(reason) => registry.diagnostics.warn(
                    pointer,
                    format!("{reason}; the operation `{method} {path}` is left out"),
                ),
            }
        }
        let siblings: Vec<HttpMethod> =
            listed.iter().map(|(_, method, _)| method.clone()).collect();
        let get_lists = item
            .get
            .as_ref()
            .is_some_and(|get| placement::lists(path, get, doc, registry));
        for (pointer, method, operation) in listed {
            let context = OperationContext {
                doc,
                path,
                method: method.clone(),
                pointer,
                shared_params: &item.parameters,
                shared_params_pointer: item_pointer.join("parameters"),
                array_override,
                credentials,
                placer: &placer,
                siblings: &siblings,
                get_lists,
            };
            match context.build(operation, registry, &mut struct_names) {
                Ok((built, sure)) => {
                    operations.push(built);
                    certainty.push(sure);
                }
                Err(error) if is_hint(&error) => {
                    registry.diagnostics.error(error.pointer, error.reason)
                }
                Err(error) => registry.diagnostics.warn(
                    error.pointer,
                    format!(
                        "{}; the operation `{} {path}` is left out",
                        error.reason,
                        method.as_str()
                    ),
                ),
            }
        }
    }
    placement::resolve_collisions(&mut operations, &certainty);
    operations
}

/// 3.2's operations for methods without a field of their own (`query`,
/// `additionalOperations`, kept by the load stage as [`ADDITIONAL_OPERATIONS`]), in the
/// order of their methods' names: each method as sent, and its operation or why it cannot be
/// read.
pub(super) fn additional_operations(
    item: &openapiv3::PathItem,
) -> Vec<(String, Result<SpecOperation, String>)> {
    let Some(Value::Object(operations)) = item.extensions.get(ADDITIONAL_OPERATIONS) else {
        return Vec::new();
    };
    operations
        .iter()
        .map(|(method, operation)| {
            let fixed = METHODS
                .iter()
                .map(|(key, _)| *key)
                .chain(["trace"])
                .any(|key| key.eq_ignore_ascii_case(method));
            let read = if !super::is_token(method) {
                Err(format!("`{method}` is not an HTTP method name"))
            } else if fixed {
                Err(format!(
                    "`{method}` has a field of its own (`{}`), not a place in `additionalOperations`",
                    method.to_ascii_lowercase()
                ))
            } else {
                serde_json::from_value::<SpecOperation>(operation.clone())
                    .map_err(|error| format!("not a valid operation: {error}"))
            };
            (method.clone(), read)
        })
        .collect()
}

/// The operation of `item` for `method`, if it has one.
fn operation_of<'a>(
    item: &'a openapiv3::PathItem,
    method: &HttpMethod,
) -> Option<&'a SpecOperation> {
    match method {
        HttpMethod::Get => item.get.as_ref(),
        HttpMethod::Put => item.put.as_ref(),
        HttpMethod::Post => item.post.as_ref(),
        HttpMethod::Delete => item.delete.as_ref(),
        HttpMethod::Options => item.options.as_ref(),
        HttpMethod::Head => item.head.as_ref(),
        HttpMethod::Patch => item.patch.as_ref(),
        HttpMethod::Other(_) => None,
    }
}

/// Whether a problem is in an `x-sdk-*` hint, which is the SDK maintainer's to fix, rather
/// than in the description, which is taken as it is.
fn is_hint(error: &SpecError) -> bool {
    error.pointer.contains("/x-sdk-")
}

/// A parameter as declared: its data, where it stands, where it goes, its style.
type ListedParam<'a> = (&'a ParameterData, Pointer, ParamLocation, DeclaredStyle<'a>);

/// The `style` a query or path parameter declares (those of headers and cookies have one
/// choice each).
#[derive(Clone, Copy)]
enum DeclaredStyle<'a> {
    Query(&'a QueryStyle),
    Path(&'a openapiv3::PathStyle),
    /// Headers and cookies: `simple`, the one style they have.
    Fixed,
}

impl<'a> DeclaredStyle<'a> {
    fn query(self) -> Option<&'a QueryStyle> {
        match self {
            DeclaredStyle::Query(style) => Some(style),
            _ => None,
        }
    }
}

struct OperationContext<'a> {
    doc: &'a OpenAPI,
    path: &'a str,
    method: HttpMethod,
    pointer: Pointer,
    shared_params: &'a [ReferenceOr<Parameter>],
    shared_params_pointer: Pointer,
    array_override: Option<ArrayFormat>,
    credentials: &'a Credentials,
    placer: &'a Placer,
    /// The HTTP methods of the operation's path.
    siblings: &'a [HttpMethod],
    /// Whether the path's GET answers with a list.
    get_lists: bool,
}

impl OperationContext<'_> {
    fn build(
        &self,
        operation: &SpecOperation,
        registry: &mut TypeRegistry<'_>,
        struct_names: &mut Namespace,
    ) -> Result<(Operation, Certainty), SpecError> {
        let id = operation
            .operation_id
            .clone()
            .unwrap_or_else(|| derived_id(&self.method, self.path));
        let struct_name = struct_names.claim(&type_name(&id));
        let mut builder_names = Namespace::with_reserved(BUILDER_RESERVED.iter().copied());

        let (path_template, fixed_query) = split_fixed_query(self.path);
        let template_names = template_names(path_template).ok_or_else(|| {
            let at = Pointer::root().join("paths").join(self.path);
            SpecError::new(at, "unclosed `{` in the path template")
        })?;
        let mut params = Vec::new();
        for listed in self.parameters(operation, &mut registry.diagnostics) {
            let (data, pointer, location, _) = &listed;
            if *location == ParamLocation::Path && !template_names.contains(&data.name.as_str()) {
                registry.diagnostics.warn(
                    pointer,
                    format!(
                        "path parameter `{}` does not appear in the path template; left out",
                        data.name
                    ),
                );
                continue;
            }
            let (pointer, in_path) = (pointer.clone(), *location == ParamLocation::Path);
            match self.param(listed, &struct_name, registry, &mut builder_names) {
                Ok(param) => params.push(param),
                // The operation cannot be called without its path parameters.
                Err(error) if is_hint(&error) || in_path => return Err(error),
                Err(error) => registry.diagnostics.warn(
                    error.pointer,
                    format!("{}; the parameter at {pointer} is left out", error.reason),
                ),
            }
        }
        for name in template_names {
            let declared = params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire_name == name);
            if !declared {
                registry.diagnostics.warn(
                    self.pointer.join("parameters"),
                    format!("the path template names `{{{name}}}` but the operation declares no path parameter `{name}`; it is a required string"),
                );
                params.push(Param {
                    wire_name: name.to_owned(),
                    rust_name: builder_names.claim(&snake_ident(name)),
                    location: ParamLocation::Path,
                    required: true,
                    ty: TypeRef::String,
                    docs: None,
                    origin: self.pointer.join("parameters").to_string(),
                    form: ParamForm::Text,
                    example: None,
                });
            }
        }
        let path_parts = path_parts(path_template, &params);
        let left_out = |diagnostics: &mut Diagnostics, error: SpecError, what: &str| {
            diagnostics.warn(
                error.pointer,
                format!("{}; the {what} is left out", error.reason),
            )
        };
        let body = match &operation.request_body {
            Some(body) => match self.body(body, &struct_name, registry) {
                Ok(body) => Some(body),
                Err(error) => {
                    left_out(&mut registry.diagnostics, error, "request body");
                    None
                }
            },
            None => None,
        };
        let (response, event, media) = self
            .response(operation, &struct_name, registry)
            .unwrap_or_else(|error| {
                left_out(&mut registry.diagnostics, error, "success response");
                (ResponseKind::Empty, None, Vec::new())
            });
        let error = self
            .error_type(operation, registry)
            .unwrap_or_else(|error| {
                left_out(&mut registry.diagnostics, error, "error type");
                None
            });
        let body_struct = body
            .as_ref()
            .filter(|body| body.by_field)
            .and_then(|body| registry.struct_of(&body.ty));
        let stream_flag = event
            .as_ref()
            .and_then(|_| body_struct.and_then(stream_flag));
        let (inputs, stream_method) = builder_inputs(
            &params,
            body.as_ref(),
            body_struct,
            stream_flag,
            &mut builder_names,
        );
        let stream = match (event.clone(), stream_flag, stream_method) {
            (Some(event), Some(flag), Some(method)) => body_struct
                .and_then(|body_struct| body_struct.fields.get(flag))
                .map(|flag| StreamForm {
                    event,
                    flag: flag.clone(),
                    method,
                }),
            _ => None,
        };
        let response = match (response, event) {
            // A stream and nothing else, and no flag to choose: the stream is the response.
            (ResponseKind::Empty, Some(event)) if stream.is_none() => {
                ResponseKind::EventStream(event)
            }
            (response, _) => response,
        };
        // The client asks for `application/json` by default and for events when it reads
        // them; other JSON media types (`application/scim+json`) and other bodies are asked
        // for by name.
        let accept = match &response {
            ResponseKind::Text | ResponseKind::Bytes | ResponseKind::Sequence { .. } => {
                Some(media.join(", "))
            }
            ResponseKind::Json(_) => {
                let json: Vec<&str> = media
                    .iter()
                    .filter(|m| is_json(m))
                    .map(String::as_str)
                    .collect();
                let plain = json.iter().all(|m| media_essence(m) == "application/json");
                (!plain).then(|| json.join(", "))
            }
            _ => None,
        };
        let pagination = pagination::pagination(
            &pagination::Site {
                doc: self.doc,
                operation,
                pointer: &self.pointer,
                params: &params,
                response: &response,
            },
            registry,
        )?;
        let placement = self.placer.place(&Site {
            path: self.path,
            method: self.method.clone(),
            operation,
            id: &id,
            pointer: &self.pointer,
            siblings: self.siblings,
            get_lists: self.get_lists,
        })?;
        let gate = self.feature(operation)?.into_iter().collect();
        let (security, scopes) = self.credentials.requirements(
            operation.security.as_ref(),
            self.doc,
            &self.pointer,
            &mut registry.diagnostics,
        );
        let operation = Operation {
            id,
            struct_name,
            method: self.method.clone(),
            path: self.path.to_owned(),
            origin: self.pointer.to_string(),
            path_parts,
            stream,
            fixed_query,
            security,
            scopes,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            params,
            body,
            inputs,
            response,
            error,
            accept,
            pagination,
            resource: placement.resource,
            method_name: placement.method,
            tag: operation.tags.first().cloned(),
            gate,
            example: None,
        };
        Ok((operation, placement.certainty))
    }

    /// Path-item parameters overridden by the operation's own, `$ref`s resolved; one whose
    /// `$ref` resolves to no parameter is left out with a warning.
    fn parameters<'s>(
        &'s self,
        operation: &'s SpecOperation,
        diagnostics: &mut Diagnostics,
    ) -> Vec<ListedParam<'s>> {
        let mut merged: Vec<ListedParam<'s>> = Vec::new();
        let own = self.pointer.join("parameters");
        let listed = self
            .shared_params
            .iter()
            .enumerate()
            .map(|(i, p)| (p, self.shared_params_pointer.join(i)))
            .chain(
                operation
                    .parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, own.join(i))),
            );
        for (parameter, pointer) in listed {
            let (parameter, pointer) = match self.resolve_parameter(parameter, pointer) {
                Ok(resolved) => resolved,
                Err(error) => {
                    diagnostics.warn(error.pointer, format!("{}; left out", error.reason));
                    continue;
                }
            };
            let (data, location, style) = match parameter {
                Parameter::Path {
                    parameter_data,
                    style,
                } => (
                    parameter_data,
                    ParamLocation::Path,
                    DeclaredStyle::Path(style),
                ),
                Parameter::Query {
                    parameter_data,
                    style,
                    ..
                } => (
                    parameter_data,
                    ParamLocation::Query,
                    DeclaredStyle::Query(style),
                ),
                Parameter::Header { parameter_data, .. } => {
                    (parameter_data, ParamLocation::Header, DeclaredStyle::Fixed)
                }
                Parameter::Cookie { parameter_data, .. } => {
                    (parameter_data, ParamLocation::Cookie, DeclaredStyle::Fixed)
                }
            };
            // The specification: these are ignored; the client writes them itself.
            let reserved = ["Accept", "Content-Type", "Authorization"]
                .iter()
                .find(|reserved| reserved.eq_ignore_ascii_case(&data.name));
            if let (ParamLocation::Header, Some(reserved)) = (location, reserved) {
                diagnostics.warn(
                    pointer,
                    format!("a header parameter named `{reserved}` is ignored, as the specification says (the client writes that header from the operation's media types and credentials)"),
                );
                continue;
            }
            match merged
                .iter_mut()
                .find(|(d, _, l, _)| d.name == data.name && *l == location)
            {
                Some(slot) => *slot = (data, pointer, location, style),
                None => merged.push((data, pointer, location, style)),
            }
        }
        merged
    }

    fn resolve_parameter<'p>(
        &'p self,
        parameter: &'p ReferenceOr<Parameter>,
        pointer: Pointer,
    ) -> Result<(&'p Parameter, Pointer), SpecError> {
        resolve_component(
            parameter,
            pointer,
            "parameters",
            "a parameter",
            |c| &c.parameters,
            self.doc,
        )
    }

    fn param(
        &self,
        (data, pointer, location, style): ListedParam<'_>,
        struct_name: &str,
        registry: &mut TypeRegistry<'_>,
        builder_names: &mut Namespace,
    ) -> Result<Param, SpecError> {
        // A parameter described by `content` is its value written in that media type: JSON
        // text for JSON (as the specification says), else the schema's own text form.
        let (schema, schema_pointer, json) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                (Some(schema), pointer.join("schema"), false)
            }
            ParameterSchemaOrContent::Content(content) => {
                let Some((media, media_type)) = content.iter().next() else {
                    return Err(SpecError::new(
                        pointer.join("content"),
                        "a parameter's `content` names no media type",
                    ));
                };
                let at = pointer.join("content").join(media).join("schema");
                (media_type.schema.as_ref(), at, is_json(media))
            }
        };
        let hint = format!("{struct_name}{}", pascal(&data.name));
        let resolved = match schema {
            Some(schema) => registry.resolve(schema, &hint, &schema_pointer),
            None => Resolved::any(),
        };
        let required = match location {
            ParamLocation::Path if !data.required => {
                registry.diagnostics.warn(
                    pointer.join("required"),
                    format!("path parameter `{}` is not marked required; it is, as a path cannot leave it out", data.name),
                );
                true
            }
            _ => data.required,
        };
        let path_style = match style {
            DeclaredStyle::Path(openapiv3::PathStyle::Label) => Some(PathStyle::Label),
            DeclaredStyle::Path(openapiv3::PathStyle::Matrix) => Some(PathStyle::Matrix),
            DeclaredStyle::Path(openapiv3::PathStyle::Simple) => Some(PathStyle::Simple),
            _ => None,
        };
        // Label and matrix styles, and arrays or objects in the `simple` style.
        let styled_path = path_style
            .filter(|style| *style != PathStyle::Simple || !registry.is_scalar(&resolved.ty));
        let whole_query = data.extensions.contains_key(QUERYSTRING);
        let form = if whole_query && (json || registry.is_scalar(&resolved.ty)) {
            ParamForm::QueryString { json }
        } else if whole_query && registry.is_object(&resolved.ty) {
            // Form-encoded: each member a pair of the query.
            ParamForm::Object(ObjectFormat::Form)
        } else if json {
            ParamForm::Json
        } else if let Some(style) = styled_path {
            ParamForm::Path {
                style,
                exploded: data.explode == Some(true),
            }
        } else if registry.is_scalar(&resolved.ty) {
            ParamForm::Text
        } else if matches!(&resolved.ty, TypeRef::Array(item) if registry.is_scalar(item)) {
            ParamForm::List(self.array_format(
                location,
                style.query(),
                data.explode,
                &pointer,
                &mut registry.diagnostics,
            ))
        } else if location == ParamLocation::Query && registry.is_object(&resolved.ty) {
            ParamForm::Object(match style.query() {
                Some(QueryStyle::DeepObject) => ObjectFormat::DeepObject,
                // An API that writes arrays with brackets writes objects with them too.
                _ if self.array_override == Some(ArrayFormat::Brackets) => ObjectFormat::DeepObject,
                _ if data.explode == Some(false) => ObjectFormat::Simple { exploded: false },
                _ => ObjectFormat::Form,
            })
        } else if registry.is_object(&resolved.ty) {
            // A header, cookie or path object: the `simple` style, `k,v` or `k=v` exploded.
            ParamForm::Object(ObjectFormat::Simple {
                exploded: data.explode == Some(true),
            })
        } else {
            ParamForm::Serialized
        };
        Ok(Param {
            wire_name: data.name.clone(),
            rust_name: builder_names.claim(&snake_ident(&data.name)),
            location,
            required,
            ty: resolved.ty,
            docs: with_default(
                data.description.clone().or(resolved.description),
                resolved.default.as_ref(),
            ),
            origin: pointer.to_string(),
            form,
            example: scalar_example(data.example.as_ref()).or(resolved.example),
        })
    }

    /// How an array of scalars is written: headers always as `a,b` (OpenAPI's `simple`
    /// style), queries as the API's hint says, else as the parameter's style and `explode`.
    fn array_format(
        &self,
        location: ParamLocation,
        style: Option<&QueryStyle>,
        explode: Option<bool>,
        pointer: &Pointer,
        diagnostics: &mut Diagnostics,
    ) -> ArrayFormat {
        match (self.array_override, style, explode) {
            _ if matches!(location, ParamLocation::Header | ParamLocation::Cookie) => {
                ArrayFormat::Comma
            }
            (Some(format), _, _) => format,
            (None, None | Some(QueryStyle::Form), None | Some(true)) => ArrayFormat::Repeat,
            (None, None | Some(QueryStyle::Form), Some(false)) => ArrayFormat::Comma,
            (None, Some(QueryStyle::SpaceDelimited), _) => ArrayFormat::Space,
            (None, Some(QueryStyle::PipeDelimited), _) => ArrayFormat::Pipe,
            (None, Some(QueryStyle::DeepObject), _) => {
                diagnostics.warn(
                    pointer.join("style"),
                    "`deepObject` is for objects, not arrays; written as the `form` style",
                );
                ArrayFormat::Repeat
            }
        }
    }

    fn body(
        &self,
        body: &ReferenceOr<RequestBody>,
        struct_name: &str,
        registry: &mut TypeRegistry<'_>,
    ) -> Result<Body, SpecError> {
        let (body, pointer) = resolve_component(
            body,
            self.pointer.join("requestBody"),
            "requestBodies",
            "a request body",
            |c| &c.request_bodies,
            self.doc,
        )?;
        let Some((mut media, mut encoding)) = choose_body_media(&body.content) else {
            return Err(SpecError::new(
                pointer.join("content"),
                "a request body needs at least one media type",
            ));
        };
        // JSON cannot carry a file: a body that has one goes as multipart when it may.
        let multipart = body
            .content
            .keys()
            .find(|m| media_essence(m) == "multipart/form-data");
        if let (BodyEncoding::Json, Some(multipart)) = (encoding, multipart) {
            let json_schema = body.content[media].schema.as_ref();
            if json_schema.is_some_and(|schema| holds_file(schema, registry)) {
                (media, encoding) = (multipart, BodyEncoding::Multipart);
            }
        }
        // Items that are not JSON (an image per part) are sent as the bytes of the whole body.
        if matches!(encoding, BodyEncoding::Sequence(_))
            && raw_items(&body.content[media], registry)
        {
            encoding = BodyEncoding::Binary;
        }
        let schema_pointer = pointer.join("content").join(media).join("schema");
        let hint = format!("{struct_name}Request");
        let schema = body.content[media].schema.as_ref();
        let ty = match (encoding, schema) {
            (BodyEncoding::Sequence(_), Some(item)) => TypeRef::Array(Box::new(
                registry
                    .resolve(item, &format!("{struct_name}Item"), &schema_pointer)
                    .nullable_ty(),
            )),
            // Text is a string, or a boolean or number written as its text.
            (BodyEncoding::Text, Some(schema)) => match text_body_kind(schema, registry) {
                TextBody::String => TypeRef::String,
                TextBody::Scalar => registry.resolve(schema, &hint, &schema_pointer).ty,
                // Text given as a file (`format: binary`): its bytes, sent as that media type.
                TextBody::File => {
                    encoding = BodyEncoding::Binary;
                    TypeRef::File
                }
            },
            (BodyEncoding::Text, None) => TypeRef::String,
            (BodyEncoding::Binary, _) => TypeRef::File,
            (_, Some(schema)) => registry.resolve(schema, &hint, &schema_pointer).ty,
            (_, None) => TypeRef::Json,
        };
        let body_struct = registry.struct_of(&ty);
        let structured = matches!(encoding, BodyEncoding::Multipart | BodyEncoding::Form);
        if structured && body_struct.is_none() {
            return Err(SpecError::new(
                schema_pointer,
                format!("a `{media}` body must be an object schema with properties"),
            ));
        }
        let parts = match (encoding, body_struct) {
            (BodyEncoding::Multipart, Some(body_struct)) => multipart_parts(body_struct, registry),
            _ => Vec::new(),
        };
        let by_field = body_struct.is_some();
        let schema_docs = match schema {
            Some(ReferenceOr::Item(schema)) => schema.schema_data.description.clone(),
            _ => None,
        };
        Ok(Body {
            ty,
            encoding,
            media_type: media.clone(),
            required: body.required,
            docs: body.description.clone().or(schema_docs),
            origin: pointer.to_string(),
            by_field,
            parts,
        })
    }

    /// The named JSON type of the error responses (non-2xx and `default`), when they all
    /// name the same one. Inline error schemas are not typed: each would be a type of its own.
    fn error_type(
        &self,
        operation: &SpecOperation,
        registry: &mut TypeRegistry<'_>,
    ) -> Result<Option<TypeRef>, SpecError> {
        let errors = operation
            .responses
            .responses
            .iter()
            .filter(|(code, _)| match code {
                StatusCode::Code(code) => !(200..300).contains(code),
                StatusCode::Range(range) => *range != 2,
            })
            .map(|(code, response)| (code.to_string(), response))
            .chain(
                operation
                    .responses
                    .default
                    .iter()
                    .map(|response| ("default".to_owned(), response)),
            );
        let mut found: Option<TypeRef> = None;
        for (code, response) in errors {
            let (response, pointer): (&Response, Pointer) = resolve_component(
                response,
                self.pointer.join("responses").join(&code),
                "responses",
                "a response",
                |c| &c.responses,
                self.doc,
            )?;
            let Some((media, content)) = response.content.iter().find(|(m, _)| is_json(m)) else {
                continue;
            };
            let Some(schema @ ReferenceOr::Reference { .. }) = &content.schema else {
                return Ok(None);
            };
            let at = pointer.join("content").join(media).join("schema");
            let ty = registry.resolve(schema, "Error", &at).ty;
            match &found {
                Some(previous) if *previous != ty => return Ok(None),
                _ => found = Some(ty),
            }
        }
        Ok(found.filter(|ty| matches!(ty, TypeRef::Named(_))))
    }

    /// The success response, the event type when `text/event-stream` is offered too, and
    /// the other media types offered.
    fn response(
        &self,
        operation: &SpecOperation,
        struct_name: &str,
        registry: &mut TypeRegistry<'_>,
    ) -> Result<(ResponseKind, Option<TypeRef>, Vec<String>), SpecError> {
        let Some((code, response)) = success_response(operation) else {
            return Ok((ResponseKind::Empty, None, Vec::new()));
        };
        let (response, pointer): (&Response, Pointer) = resolve_component(
            response,
            self.pointer.join("responses").join(code),
            "responses",
            "a response",
            |c| &c.responses,
            self.doc,
        )?;
        let content_at = pointer.join("content");
        // Items described one by one (3.2's `itemSchema`), in one format, and whether they are
        // parts the description does not type as JSON.
        let sequence = response.content.iter().find_map(|(media, object)| {
            let essence = media_essence(media);
            let format = sequence_format(&essence, object)?;
            (essence != EVENT_STREAM).then(|| (media, format, raw_items(object, registry)))
        });
        let mut typed = |media: &str, hint: &str| -> Resolved {
            match &response.content[media].schema {
                Some(schema) => {
                    registry.resolve(schema, hint, &content_at.join(media).join("schema"))
                }
                None => Resolved::any(),
            }
        };
        let event_media = response
            .content
            .keys()
            .find(|media| media_essence(media) == EVENT_STREAM);
        let event = event_media.map(|media| typed(media, &format!("{struct_name}Event")).ty);
        // A success that may come without a body (a 204, or another 2xx that declares
        // none) is no value then.
        let may_be_empty = matches!(code, StatusCode::Code(204 | 205 | 304))
            || operation
                .responses
                .responses
                .iter()
                .any(|(other, response)| {
                    other != code
                        && is_success(other)
                        && response.as_item().is_some_and(|r| r.content.is_empty())
                });
        let others: Vec<&String> = response
            .content
            .keys()
            .filter(|media| Some(*media) != event_media)
            .collect();
        // JSON, unless it is only a string standing in for a binary download.
        let json = others.iter().find(|media| is_json(media)).filter(|media| {
            let only_string = matches!(
                &response.content[media.as_str()].schema,
                Some(ReferenceOr::Item(openapiv3::Schema {
                    schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(_)),
                    ..
                }))
            );
            !(only_string && others.len() > 1)
        });
        let kind = match (json, sequence, others.first()) {
            (Some(media), _, _) => {
                let mut resolved = typed(media, &format!("{struct_name}Response"));
                resolved.nullable |= may_be_empty;
                ResponseKind::Json(resolved.nullable_ty())
            }
            (None, Some((media, format, raw)), _) => {
                let item = match raw {
                    true => None,
                    false => Some(typed(media, &format!("{struct_name}Item")).nullable_ty()),
                };
                // Asked for in the one format the stream reads.
                let media = vec![media.clone()];
                return Ok((ResponseKind::Sequence { item, format }, event, media));
            }
            (None, None, Some(media)) if media_essence(media).starts_with("text/") => {
                ResponseKind::Text
            }
            (None, None, Some(_)) => ResponseKind::Bytes,
            (None, None, None) => ResponseKind::Empty,
        };
        let media = others.into_iter().cloned().collect();
        Ok((kind, event, media))
    }

    /// The feature `x-sdk-feature` names, if it names one (see [`super::features`]).
    fn feature(&self, operation: &SpecOperation) -> Result<Option<String>, SpecError> {
        match operation.extensions.get("x-sdk-feature") {
            None => Ok(None),
            Some(Value::String(name))
                if !snake_ident(name).is_empty() && !name.trim().is_empty() =>
            {
                Ok(Some(name.clone()))
            }
            Some(_) => Err(SpecError::new(
                self.pointer.join("x-sdk-feature"),
                "expected a non-empty string",
            )),
        }
    }
}

pub(super) fn is_json(media: &str) -> bool {
    is_json_essence(&media_essence(media))
}

fn is_json_essence(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether an object schema has a member that is a file (`format: binary`) or a list of
/// them, looking through references; no type is defined on the way.
fn holds_file(schema: &ReferenceOr<openapiv3::Schema>, registry: &TypeRegistry<'_>) -> bool {
    use openapiv3::{SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};
    // A file, or a union with one among its members.
    fn is_file(schema: &openapiv3::Schema, registry: &TypeRegistry<'_>) -> bool {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
            }
            SchemaKind::Any(any) => any.format.as_deref() == Some("binary"),
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                members
                    .iter()
                    .filter_map(|member| registry.schema_of(member))
                    .any(|member| is_file(member, registry) || is_file_list(member, registry))
            }
            _ => false,
        }
    }
    fn is_file_list(schema: &openapiv3::Schema, registry: &TypeRegistry<'_>) -> bool {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Array(array)) => array
                .items
                .as_ref()
                .and_then(|items| registry.schema_of(items))
                .is_some_and(|items| is_file(items, registry)),
            _ => false,
        }
    }
    let Some(object) = registry.schema_of(schema) else {
        return false;
    };
    let properties = match &object.schema_kind {
        SchemaKind::Type(Type::Object(object)) => &object.properties,
        SchemaKind::Any(any) => &any.properties,
        _ => return false,
    };
    properties
        .values()
        .filter_map(|p| registry.schema_of(p))
        .any(|member| is_file(member, registry) || is_file_list(member, registry))
}

/// What a text body holds.
enum TextBody {
    String,
    /// A boolean or number (without an `enum`): typed as itself, written as its text.
    Scalar,
    /// A `format: binary` string: a file.
    File,
}

fn text_body_kind(
    schema: &ReferenceOr<openapiv3::Schema>,
    registry: &TypeRegistry<'_>,
) -> TextBody {
    use openapiv3::{SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};
    let Some(schema) = registry.schema_of(schema) else {
        return TextBody::String;
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string))
            if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary) =>
        {
            TextBody::File
        }
        SchemaKind::Type(Type::Boolean(boolean)) if boolean.enumeration.is_empty() => {
            TextBody::Scalar
        }
        SchemaKind::Type(Type::Integer(integer)) if integer.enumeration.is_empty() => {
            TextBody::Scalar
        }
        SchemaKind::Type(Type::Number(number)) if number.enumeration.is_empty() => TextBody::Scalar,
        _ => TextBody::String,
    }
}

/// The media type a request body is sent as, when several are offered: JSON, then
/// multipart, form, text, and any other as raw bytes.
fn choose_body_media(
    offered: &IndexMap<String, openapiv3::MediaType>,
) -> Option<(&String, BodyEncoding)> {
    offered
        .iter()
        .map(|(media, object)| {
            let essence = media_essence(media);
            let encoding = if let Some(format) = sequence_format(&essence, object) {
                BodyEncoding::Sequence(format)
            } else if is_json_essence(&essence) {
                BodyEncoding::Json
            } else if essence == "multipart/form-data" {
                BodyEncoding::Multipart
            } else if essence == "application/x-www-form-urlencoded" {
                BodyEncoding::Form
            } else if essence.starts_with("text/") {
                BodyEncoding::Text
            } else {
                BodyEncoding::Binary
            };
            (media, encoding)
        })
        .min_by_key(|(_, encoding)| match encoding {
            BodyEncoding::Json => 0,
            BodyEncoding::Sequence(_) => 1,
            BodyEncoding::Multipart => 2,
            BodyEncoding::Form => 3,
            BodyEncoding::Text => 4,
            BodyEncoding::Binary => 5,
        })
}

/// How a media type's items are delimited, when the description types them one by one
/// (3.2's `itemSchema`, which the load stage marks).
fn sequence_format(essence: &str, object: &openapiv3::MediaType) -> Option<SequenceFormat> {
    object.extensions.get(ITEM_SCHEMA)?;
    Some(match essence {
        "text/event-stream" => SequenceFormat::EventStream,
        _ if essence.starts_with("multipart/") => SequenceFormat::Multipart,
        _ if essence.ends_with("json-seq") => SequenceFormat::JsonSeq,
        _ => SequenceFormat::JsonLines,
    })
}

/// Whether the items of a sequential media type are parts the description does not type as
/// JSON (an image per part, an untyped item): kept as they come.
fn raw_items(object: &openapiv3::MediaType, registry: &TypeRegistry<'_>) -> bool {
    use openapiv3::{SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};
    let encoded_otherwise = object
        .extensions
        .get(ITEM_SCHEMA)
        .and_then(Value::as_str)
        .is_some_and(|media| !is_json(media));
    let untyped = match object.schema.as_ref().and_then(|s| registry.schema_of(s)) {
        None => true,
        Some(schema) => match &schema.schema_kind {
            SchemaKind::Any(any) => {
                any.typ.is_none() && any.properties.is_empty() && any.items.is_none()
            }
            SchemaKind::Type(Type::String(string)) => {
                string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
            }
            _ => false,
        },
    };
    encoded_otherwise || untyped
}

fn is_success(code: &StatusCode) -> bool {
    match code {
        StatusCode::Code(code) => (200..300).contains(code),
        StatusCode::Range(range) => *range == 2,
    }
}

/// The operation's lowest success response with its `$ref` resolved; `None` when it has none
/// or the `$ref` resolves to nothing (which building the operation reports).
pub(super) fn resolved_success<'d>(
    doc: &'d OpenAPI,
    operation: &'d SpecOperation,
) -> Option<&'d Response> {
    match success_response(operation)?.1 {
        ReferenceOr::Item(response) => Some(response),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/responses/")?;
            match doc.components.as_ref()?.responses.get(name)? {
                ReferenceOr::Item(response) => Some(response),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}

/// The lowest 2xx response (or `2XX`).
pub(super) fn success_response(
    operation: &SpecOperation,
) -> Option<(&StatusCode, &ReferenceOr<Response>)> {
    operation
        .responses
        .responses
        .iter()
        .filter(|(code, _)| is_success(code))
        .min_by_key(|(code, _)| match code {
            StatusCode::Code(code) => *code,
            StatusCode::Range(_) => 299,
        })
}

/// The field of a body struct that asks for the streaming form: a boolean `stream` the
/// client may send. The builder offers a method under the field's name instead of its setter.
fn stream_flag(body: &Struct) -> Option<usize> {
    body.fields.iter().position(|field| {
        field.wire_name == "stream"
            && field.ty == TypeRef::Boolean
            && field.access != Access::ReadOnly
    })
}

/// The builder's inputs, in its order (the resource method's arguments, then the setters),
/// and the name of the streaming method, which takes the stream flag's place.
///
/// Every name comes from `names`, which holds the builder's own members and the parameters
/// already: body fields claim theirs in field order, then the `_null` setters, so that a field
/// called `foo_null` keeps its name and the setter sending `foo` as `null` is renamed.
fn builder_inputs(
    params: &[Param],
    body: Option<&Body>,
    body_struct: Option<&Struct>,
    stream_flag: Option<usize>,
    names: &mut Namespace,
) -> (Vec<Input>, Option<String>) {
    let mut arguments = Vec::new();
    let mut setters = Vec::new();
    let mut add = |input: Input| match input.role {
        InputRole::Argument => arguments.push(input),
        _ => setters.push(input),
    };
    for (index, param) in params.iter().enumerate() {
        add(Input {
            rust_name: param.rust_name.clone(),
            wire_name: Some(param.wire_name.clone()),
            target: InputTarget::Param(index),
            ty: param.ty.clone(),
            presence: whole(param.required),
            docs: param.docs.clone(),
            origin: param.origin.clone(),
            role: whole_role(param.required),
        });
    }
    let mut stream_method = None;
    match (body, body_struct) {
        (Some(_), Some(body_struct)) => {
            let mut named = Vec::new();
            // The server sets read-only members; a request leaves them out.
            let writable = body_struct
                .fields
                .iter()
                .enumerate()
                .filter(|(_, field)| field.access != Access::ReadOnly);
            for (index, field) in writable {
                let name = names.claim(&field.rust_name);
                if stream_flag == Some(index) {
                    stream_method = Some(name);
                } else {
                    named.push((index, field, name));
                }
            }
            for (index, field, rust_name) in named {
                let role = match field.presence {
                    Presence::Required | Presence::RequiredNullable => InputRole::Argument,
                    Presence::Optional => InputRole::Setter,
                    Presence::OptionalNullable => InputRole::NullableSetter {
                        // `self_` (a keyword's escape) → `self_null`.
                        null_setter: names
                            .claim(&format!("{}_null", unraw(&rust_name).trim_end_matches('_'))),
                    },
                };
                add(Input {
                    rust_name,
                    wire_name: Some(field.wire_name.clone()),
                    target: InputTarget::BodyField {
                        index,
                        member: field.rust_name.clone(),
                    },
                    ty: field.ty.clone(),
                    presence: field.presence,
                    docs: field.docs.clone(),
                    origin: field.origin.clone(),
                    role,
                });
            }
        }
        (Some(body), None) => add(Input {
            rust_name: "body".to_owned(),
            wire_name: None,
            target: InputTarget::Body,
            ty: body.ty.clone(),
            presence: whole(body.required),
            docs: body.docs.clone(),
            origin: body.origin.clone(),
            role: whole_role(body.required),
        }),
        (None, _) => {}
    }
    arguments.extend(setters);
    (arguments, stream_method)
}

/// The presence of a parameter or whole body: there or not, never `null`.
fn whole(required: bool) -> Presence {
    if required {
        Presence::Required
    } else {
        Presence::Optional
    }
}

fn whole_role(required: bool) -> InputRole {
    if required {
        InputRole::Argument
    } else {
        InputRole::Setter
    }
}

/// How each field of a multipart body is written: a file as a file part, a scalar, an enum
/// or an alias of one as text, anything else as JSON text; an array as one part per item.
fn multipart_parts(body: &Struct, registry: &TypeRegistry<'_>) -> Vec<Part> {
    let kind = |ty: &TypeRef| {
        if registry.resolve_alias(ty) == &TypeRef::File {
            PartKind::File
        } else if let Some(choice) = file_choice(ty, registry) {
            PartKind::Files(choice)
        } else if registry.is_scalar(ty) {
            PartKind::Text
        } else {
            PartKind::Json
        }
    };
    body.fields
        .iter()
        .map(|field| {
            let (ty, repeated) = match &field.ty {
                TypeRef::Array(item) => (&**item, true),
                ty => (ty, false),
            };
            Part {
                member: field.rust_name.clone(),
                wire_name: field.wire_name.clone(),
                presence: field.presence,
                kind: kind(ty),
                repeated,
            }
        })
        .collect()
}

/// A union with at least one variant that is a file or a list of files, as a multipart field.
fn file_choice(ty: &TypeRef, registry: &TypeRegistry<'_>) -> Option<FileChoice> {
    let TypeRef::Named(name) = registry.resolve_alias(ty) else {
        return None;
    };
    let TypeKind::Union(union) = &registry.type_named(name)?.kind else {
        return None;
    };
    let is_file = |ty: &TypeRef| registry.resolve_alias(ty) == &TypeRef::File;
    let variants: Vec<(String, VariantPart)> = union
        .variants
        .iter()
        .map(|variant| {
            let part = match registry.resolve_alias(&variant.ty) {
                ty if is_file(ty) => VariantPart::File,
                TypeRef::Array(item) if is_file(item) => VariantPart::Files,
                _ => VariantPart::Value,
            };
            (variant.rust_name.clone(), part)
        })
        .collect();
    variants
        .iter()
        .any(|(_, part)| *part != VariantPart::Value)
        .then(|| FileChoice {
            union: name.clone(),
            variants,
        })
}

/// The names a path template holds (`/a/{id}/b/{key}` → `id`, `key`); `None` when a `{` is
/// never closed.
fn template_names(template: &str) -> Option<Vec<&str>> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}')?;
        names.push(&rest[open + 1..close]);
        rest = &rest[close + 1..];
    }
    Some(names)
}

/// The literal pieces and parameters of a path template, every name of which is one of
/// `params`' path parameters.
fn path_parts(template: &str, params: &[Param]) -> Vec<PathPart> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some((open, close)) = rest
        .find('{')
        .and_then(|open| Some((open, open + rest[open..].find('}')?)))
    {
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_owned()));
        }
        let name = &rest[open + 1..close];
        if let Some(index) = params
            .iter()
            .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
        {
            parts.push(PathPart::Param(index));
        }
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    parts
}

/// `/responses?beta=true` → (`/responses`, `[("beta", "true")]`).
fn split_fixed_query(path: &str) -> (&str, Vec<(String, String)>) {
    let Some((template, query)) = path.split_once('?') else {
        return (path, Vec::new());
    };
    let pairs = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (name.to_owned(), value.to_owned()),
            None => (pair.to_owned(), String::new()),
        })
        .collect();
    (template, pairs)
}

/// `get /pets/{id}` → `get_pets_by_id`, for operations without an operationId.
fn derived_id(method: &HttpMethod, path: &str) -> String {
    let mut id = method.as_str().to_lowercase();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        id.push('_');
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => {
                id.push_str("by_");
                id.push_str(param);
            }
            None => id.push_str(segment),
        }
    }
    id
}

/// An item that is given inline or as a `$ref` to `#/components/<section>/<key>`, with the
/// pointer of where it is written (the component's, when referenced).
pub(super) fn resolve_component<'d, T>(
    item: &'d ReferenceOr<T>,
    pointer: Pointer,
    section: &str,
    what: &str,
    components_of: impl Fn(&'d Components) -> &'d IndexMap<String, ReferenceOr<T>>,
    doc: &'d OpenAPI,
) -> Result<(&'d T, Pointer), SpecError> {
    let reference = match item {
        ReferenceOr::Item(item) => return Ok((item, pointer)),
        ReferenceOr::Reference { reference } => reference,
    };
    let found = reference
        .strip_prefix(&format!("#/components/{section}/"))
        .and_then(|key| components_of(doc.components.as_ref()?).get(key));
    match found {
        Some(ReferenceOr::Item(item)) => {
            Ok((item, Pointer::from_ref(reference).unwrap_or(pointer)))
        }
        _ => Err(SpecError::new(
            pointer,
            format!("`$ref: {reference}` does not point to {what} under `#/components/{section}`"),
        )),
    }
}
