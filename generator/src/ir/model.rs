//! The intermediate representation: the API as the emitter needs it, with every `$ref`
//! resolved, every type and operation named, and every Rust type decided.

/// A whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub crate_name: String,
    pub crate_version: String,
    pub title: String,
    pub description: Option<String>,
    /// The spec's own version (`info.version`).
    pub api_version: String,
    pub base_url: String,
    /// Environment variable that overrides the base URL in `Client::from_env`.
    pub base_url_env: Option<String>,
    pub credential: Option<Credential>,
    /// Named types, sorted by name.
    pub types: Vec<TypeDef>,
    /// Operations in the order of the description.
    pub operations: Vec<Operation>,
    /// The resource tree; its root is the client itself (`client.admin().organization()...`).
    pub client: Resource,
}

/// How the client authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// Builder method that sets the secret, e.g. `admin_api_key`.
    pub setter: String,
    /// Environment variable `Client::from_env` reads it from.
    pub env: Option<String>,
    pub scheme: CredentialScheme,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialScheme {
    /// `Authorization: Bearer <secret>`.
    Bearer,
    /// `<header>: <secret>` (an `apiKey` scheme `in: header`).
    Header(String),
}

/// A Rust type as it appears in a field, parameter or response.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    String,
    Boolean,
    Integer(IntegerKind),
    Number(NumberKind),
    /// Any JSON value.
    Json,
    /// A JSON object with any members.
    JsonObject,
    Named(String),
    Array(Box<TypeRef>),
    /// A string-keyed map (`additionalProperties`).
    Map(Box<TypeRef>),
    /// A type that needs indirection because it contains itself.
    Boxed(Box<TypeRef>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntegerKind {
    I32,
    I64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumberKind {
    F32,
    F64,
}

/// A named type of the generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub docs: Option<String>,
    /// Where it comes from, e.g. `#/components/schemas/Certificate`.
    pub origin: String,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// An open string enum: known values plus a catch-all.
    Enum(Vec<EnumVariant>),
    /// An untagged union (`oneOf`/`anyOf`): the first variant that decodes wins.
    Union(Vec<UnionVariant>),
    /// A component that is just another type (`type: string`, an array, ...).
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Name of the catch-all member that keeps unknown fields (usually `extra`).
    pub extra_field: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON member name.
    pub wire_name: String,
    /// The Rust field name (may be a raw identifier such as `r#type`).
    pub rust_name: String,
    pub docs: Option<String>,
    pub ty: TypeRef,
    pub presence: Presence,
}

/// Whether a field may be missing and whether it may be `null`; decides its Rust type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// `T`
    Required,
    /// `Option<T>`, sent as `null` when `None`.
    RequiredNullable,
    /// `Option<T>`, omitted when `None`.
    Optional,
    /// `Option<Option<T>>`: `None` omits it, `Some(None)` sends `null`.
    OptionalNullable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    pub rust_name: String,
    pub wire_value: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
}

/// One HTTP operation and the builder that calls it.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The operationId as written (or derived from method and path).
    pub id: String,
    /// Name of the builder struct, e.g. `GetCertificate`.
    pub struct_name: String,
    pub method: HttpMethod,
    /// The path template as written, e.g. `/organization/certificates/{certificate_id}`.
    pub path: String,
    pub path_parts: Vec<PathPart>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub response: ResponseKind,
    pub pagination: Option<Pagination>,
    /// Resource path, e.g. `["admin", "organization", "certificates"]`.
    pub resource: Vec<String>,
    /// Method on the resource, e.g. `retrieve`.
    pub method_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Patch,
    Head,
    Options,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Patch => "PATCH",
            Self::Head => "HEAD",
            Self::Options => "OPTIONS",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// Index into [`Operation::params`].
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayFormat {
    /// `a=1&a=2`
    Repeat,
    /// `a[]=1&a[]=2`
    Brackets,
    /// `a=1,2`
    Comma,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire_name: String,
    /// Name of the builder argument or setter.
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    pub docs: Option<String>,
    /// How an array query parameter is written.
    pub array_format: ArrayFormat,
}

/// The JSON request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Option<String>,
    /// When the body is a struct, its fields become builder arguments (required) and
    /// setters (optional), under these names.
    pub fields: Option<Vec<BodyField>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BodyField {
    /// Index into the body struct's fields.
    pub field: usize,
    /// Name of the builder argument or setter (differs from the field when it collides).
    pub builder_name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseKind {
    Json(TypeRef),
    /// Success carries no body (or one the client ignores).
    Empty,
    /// Success carries a non-JSON body, returned as bytes.
    Bytes,
}

/// Cursor pagination: ask again with `cursor_param = <next cursor>` while there is more.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Index into [`Operation::params`] of the cursor parameter.
    pub cursor_param: usize,
    /// The page type (the operation's response).
    pub page_type: String,
    /// Item type of the page.
    pub item: TypeRef,
    /// Page struct field holding the items.
    pub items_field: Field,
    /// Page struct field saying whether more pages follow, if the page has one.
    pub has_more_field: Option<Field>,
    /// Page struct field holding the cursor of the next page.
    pub next_cursor_field: Field,
}

/// A node of the resource tree (`admin` → `organization` → `certificates`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// Accessor method on the parent, e.g. `certificates` (empty for the client).
    pub accessor: String,
    /// Struct name, e.g. `AdminOrganizationCertificates` (`Client` for the root).
    pub struct_name: String,
    pub methods: Vec<ResourceMethod>,
    pub children: Vec<Resource>,
}

/// An operation as a method of a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceMethod {
    /// Method name, unique on its resource, e.g. `retrieve`.
    pub name: String,
    /// Index into [`Api::operations`].
    pub operation: usize,
}
