//! The intermediate representation: the API as the emitter needs it, with every `$ref`
//! resolved, every type and operation named, and every Rust type decided.

/// A whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub crate_name: String,
    pub crate_version: String,
    /// The `license` of its manifest (an SPDX expression), when the description gives one.
    pub crate_license: Option<String>,
    pub title: String,
    pub description: Option<String>,
    /// The spec's own version (`info.version`).
    pub api_version: String,
    pub base_url: String,
    /// Environment variable that overrides the base URL in `Client::from_env`.
    pub base_url_env: Option<String>,
    /// The security schemes operations use, in the order of `components.securitySchemes`;
    /// [`Operation::security`] indexes into it.
    pub credentials: Vec<Credential>,
    /// Named types, sorted by name.
    pub types: Vec<TypeDef>,
    /// The files `types` is split into, one per group of operations; empty when it is one
    /// file (a crate without features).
    pub type_modules: Vec<TypeModule>,
    /// The crate's Cargo features, one per top-level group of operations, sorted by name;
    /// empty when the crate has none (a single group, or `x-sdk-features: false`).
    pub features: Vec<Feature>,
    /// Operations in the order of the description.
    pub operations: Vec<Operation>,
    /// The files `operations` is split into, one per feature; empty when it is one file.
    pub operation_modules: Vec<OperationModule>,
    /// The resource tree; its root is the client itself (`client.admin().organization()...`).
    pub client: Resource,
    /// The command-line tool's commands and flags.
    pub cli: super::cli::Cli,
    /// Response headers that mean something to the client.
    pub response_headers: ResponseHeaders,
    /// Where an error body keeps its message, type, parameter and code.
    pub error_fields: ErrorFields,
    /// The API's mutual-TLS endpoint and client-certificate variables (`x-sdk-mtls`).
    pub mtls: Mtls,
    /// The idempotency keys the client sends (`x-sdk-idempotency`), if the API takes them.
    pub idempotency: Option<Idempotency>,
    /// How the crate gets its runtime.
    pub runtime: super::RuntimeDependency,
    /// The webhooks the API sends, when its description lists any.
    pub webhooks: Option<Webhooks>,
}

impl Api {
    /// The crate's name as Rust code spells it (`openai-api` → `openai_api`): the name is
    /// checked to be letters, digits, `-` and `_`.
    pub fn library_name(&self) -> String {
        self.crate_name.replace('-', "_")
    }
}

/// The webhooks an API sends (OpenAPI 3.1's `webhooks`, 3.0's `x-webhooks`), how their
/// requests are signed, and the type every event decodes as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhooks {
    /// The union of every webhook's payload (a type of `types`): tagged by the member the
    /// payloads fix to their own values (`type: batch.completed`), with an `Unknown` variant,
    /// where they have one.
    pub event_type: String,
    pub events: Vec<Webhook>,
    /// The environment variable the secret is read from.
    pub secret_env: String,
    /// How far a request's timestamp may be from now, either way, in seconds.
    pub tolerance_seconds: u64,
    /// The features that compile the `webhooks` module and `Client::webhooks`.
    pub gate: Gate,
}

/// One webhook: a request the API sends to its user's endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// Its name in the description (`batch_completed`).
    pub name: String,
    /// Its variant of the event type.
    pub variant: String,
    pub payload: TypeRef,
    pub docs: Option<String>,
    /// The JSON pointer of its operation.
    pub origin: String,
}

/// Mutual TLS as the API offers it; all `None` when the description says nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mtls {
    /// The base URL that requires a client certificate.
    pub base_url: Option<String>,
    /// The environment variables that hold the paths of the certificate and its key.
    pub certificate_env: Option<String>,
    pub key_env: Option<String>,
}

/// Idempotency keys: each call of one of `methods` sends a key of its own in `header`, the
/// same on each of its retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotency {
    pub header: String,
    /// Upper-case (`POST`).
    pub methods: Vec<String>,
}

/// The names of the response headers the client reads; `None` when the API has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHeaders {
    /// The id of the request, quoted in errors (default `x-request-id`).
    pub request_id: Option<String>,
    /// `true`/`false`: retry this failure or not (default `x-should-retry`).
    pub should_retry: Option<String>,
    /// The retry delay in milliseconds, read before `Retry-After` (default `retry-after-ms`).
    pub retry_after_ms: Option<String>,
}

impl Default for ResponseHeaders {
    fn default() -> Self {
        ResponseHeaders {
            request_id: Some("x-request-id".to_owned()),
            should_retry: Some("x-should-retry".to_owned()),
            retry_after_ms: Some("retry-after-ms".to_owned()),
        }
    }
}

/// Where the members of an error body are, as JSON pointers (RFC 6901) into it; `None` when
/// the API's errors have no such member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorFields {
    pub message: Option<String>,
    pub error_type: Option<String>,
    pub param: Option<String>,
    pub code: Option<String>,
}

impl Default for ErrorFields {
    /// The envelope `{"error": {"message", "type", "param", "code"}}`.
    fn default() -> Self {
        ErrorFields {
            message: Some("/error/message".to_owned()),
            error_type: Some("/error/type".to_owned()),
            param: Some("/error/param".to_owned()),
            code: Some("/error/code".to_owned()),
        }
    }
}

/// One way the client authenticates (an OpenAPI security scheme).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The scheme's key under `components.securitySchemes`, e.g. `AdminApiKeyAuth`.
    pub scheme_name: String,
    /// Builder method that sets the secret, e.g. `admin_api_key`.
    pub setter: String,
    /// Environment variable `Client::from_env` reads it from (for basic auth, the user).
    pub env: Option<String>,
    /// For basic auth, the environment variable of the password; for OAuth 2 client
    /// credentials, that of the client secret (`env` holds the client id).
    pub password_env: Option<String>,
    pub scheme: CredentialScheme,
    pub description: Option<String>,
}

impl Credential {
    /// The constant that names the credential's place in the client's settings, in generated
    /// code: the setter's name in upper case (setters are unique, so these are).
    pub fn const_name(&self) -> String {
        super::naming::unraw(&self.setter).to_uppercase()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialScheme {
    /// `Authorization: Bearer <secret>`.
    Bearer,
    /// `Authorization: Basic base64(<user>:<password>)`.
    Basic,
    /// `Authorization: <scheme> <secret>`: an HTTP scheme other than bearer and basic
    /// (`Token`, `DSN`, ...), the secret sent as given.
    Authorization(String),
    /// `<header>: <secret>` (an `apiKey` scheme `in: header`).
    Header(String),
    /// `?<name>=<secret>` (an `apiKey` scheme `in: query`).
    Query(String),
    /// `Cookie: <name>=<secret>` (an `apiKey` scheme `in: cookie`).
    Cookie(String),
    /// A client id and secret exchanged at `token_url` for bearer tokens (an `oauth2` scheme
    /// with a `clientCredentials` flow); the builder's `token_url_setter` fetches them from
    /// another endpoint.
    ClientCredentials {
        token_url: String,
        token_url_setter: String,
    },
}

/// What an operation accepts as authentication: any one of the alternatives, each a set of
/// credentials (indices into [`Api::credentials`]) sent together. An empty alternative means
/// the operation may be called without credentials; no alternatives at all means it never
/// sends any.
pub type Security = Vec<Vec<usize>>;

/// The OAuth 2 scopes an operation asks tokens for, by credential (an index into
/// [`Api::credentials`]).
pub type Scopes = Vec<(usize, Vec<String>)>;

/// A Rust type as it appears in a field, parameter or response.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    String,
    Boolean,
    Integer(IntegerKind),
    Number(NumberKind),
    /// Any JSON value.
    Json,
    /// Raw bytes (`format: binary`): a file part in `multipart/form-data`.
    File,
    /// A JSON object with any members.
    JsonObject,
    Named(String),
    Array(Box<TypeRef>),
    /// A string-keyed map (`additionalProperties`).
    Map(Box<TypeRef>),
    /// A type that needs indirection because it contains itself.
    Boxed(Box<TypeRef>),
    /// A value that may be `null` where nothing else says so (an array item, a map value, a
    /// union member, a whole body): `Option<T>`.
    Nullable(Box<TypeRef>),
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

/// A Cargo feature of the generated crate: the operations of one top-level group and the types
/// only they use. Every feature is on by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// Its name in `Cargo.toml`, e.g. `fine-tuning`.
    pub name: String,
    /// One line for the manifest's comment, e.g. ``Operations under `client.fine_tuning()` (9)``.
    pub docs: String,
    /// Whether `default` turns it on: every group of operations does; the types no operation
    /// reaches do not (an application rarely needs them, and they cost compile time).
    pub default: bool,
}

/// A file of the `types` module (and of `serde_impls`): the types of one group of operations,
/// so that a change to the types only one resource uses touches only that resource's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeModule {
    /// Its module name: the feature's, in snake case, or `shared`, or `common`.
    pub name: String,
    pub kind: TypeModuleKind,
    /// The features that compile the whole file (empty: always compiled): its feature, or
    /// for `shared`, any feature one of its types needs.
    pub gate: Gate,
    /// Indices into [`Api::types`], in name order.
    pub types: Vec<usize>,
}

/// A file of the `operations` module: the builders of one feature's operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationModule {
    /// Its module name, the same as its feature's file of `types`.
    pub name: String,
    /// The feature that compiles the file.
    pub gate: Gate,
    /// Indices into [`Api::operations`], in the description's order.
    pub operations: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeModuleKind {
    /// The types only this feature reaches (its operations, or for `other-types`, none):
    /// the whole file compiles with the feature, and its items need no gate of their own.
    Feature(String),
    /// Types some features reach but not all: each compiles with any of those.
    Shared,
    /// Types every operation feature reaches: always compiled.
    Common,
}

impl TypeModule {
    /// The gate an item of the file carries itself: none where the file's covers it.
    pub fn item_gate<'a>(&self, def: &'a TypeDef) -> &'a [String] {
        match self.kind {
            TypeModuleKind::Feature(_) => &[],
            TypeModuleKind::Shared | TypeModuleKind::Common => &def.gate,
        }
    }
}

/// The features any one of which compiles an item (names, sorted); empty when it always
/// compiles.
pub type Gate = Vec<String>;

/// A named type of the generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub docs: Option<String>,
    /// The field whose own schema this type is, e.g. `("Certificate", "object")`: the type's
    /// docs link there instead of repeating the field's.
    pub field_of: Option<(String, String)>,
    /// Where it comes from, e.g. `#/components/schemas/Certificate`.
    pub origin: String,
    pub kind: TypeKind,
    /// The features whose operations use it.
    pub gate: Gate,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// An open string enum: known values plus a catch-all.
    Enum(Vec<EnumVariant>),
    /// A union (`oneOf`/`anyOf`): tagged when a member names the variant, else the first
    /// variant that decodes wins.
    Union(Union),
    /// A component that is just another type (`type: string`, an array, ...).
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Name of the catch-all member that keeps unknown fields (usually `extra`).
    pub extra_field: String,
}

impl Struct {
    /// Whether every member may be left out: the struct is `Default` and has no `new`.
    pub fn all_optional(&self) -> bool {
        self.fields.iter().all(|field| {
            matches!(
                field.presence,
                Presence::Optional | Presence::OptionalNullable
            )
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON member name.
    pub wire_name: String,
    /// The Rust field name (may be a raw identifier such as `r#type`).
    pub rust_name: String,
    pub docs: Option<String>,
    /// Where the description declares it, e.g.
    /// `#/components/schemas/Certificate/properties/name`.
    pub origin: String,
    pub ty: TypeRef,
    pub presence: Presence,
    /// Which way the member travels; a read-only one is never set by a request builder.
    pub access: Access,
    /// `deprecated: true`: the field is marked `#[deprecated]`.
    pub deprecated: bool,
    /// The Rust name of the one value a required member can take, when the schema fixes it
    /// (a `const`, an enum marked `x-stainless-const`/`x-sdk-const`, or a tagged union's tag
    /// on its variant): constructors and builders set it, so it is never an argument.
    pub fixed: Option<String>,
    /// The description's example of the member (a string, number or boolean).
    pub example: Option<serde_json::Value>,
}

impl Field {
    /// Whether the struct's `new` takes the member: it is required and the schema does not
    /// fix it.
    pub fn is_constructor_argument(&self) -> bool {
        matches!(
            self.presence,
            Presence::Required | Presence::RequiredNullable
        ) && self.fixed.is_none()
    }
}

/// Which way a member travels (`readOnly`, `writeOnly`). Each one-way member is optional in
/// the type, as it is missing one way even when `required`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    /// Sent by the server only.
    ReadOnly,
    /// Sent by the client only.
    WriteOnly,
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
pub struct Union {
    /// The object member whose value names the variant (a `discriminator`, or a property
    /// that every variant fixes to its own value); `None` for an untagged union.
    pub tag: Option<String>,
    pub variants: Vec<UnionVariant>,
    /// The variant a `&str` converts into (`From<&str>`): the one whose type is a string.
    pub from_str: Option<String>,
    /// In a tagged union, the variant a value whose tag it does not know (or that has none)
    /// decodes as, when it fits (3.2's `discriminator.defaultMapping`); else `Unknown`.
    pub default: Option<String>,
}

impl Union {
    /// Whether any value converts `From` into the union, so arguments take `impl Into<_>`.
    pub fn converts(&self) -> bool {
        self.variants.iter().any(|variant| variant.from)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// In a tagged union, the values of the tag that select this variant.
    pub tags: Vec<String>,
    /// Whether the variant's type converts `From` into the union: it is the only variant
    /// of that type (aliases read as what they stand for) and not the union itself.
    pub from: bool,
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
    /// Where the description declares it, e.g. `#/paths/~1organization~1certificates/get`.
    pub origin: String,
    pub path_parts: Vec<PathPart>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// What the builder takes, every name claimed in one namespace with its members.
    pub inputs: Vec<Input>,
    pub response: ResponseKind,
    /// The named type every error response (non-2xx, `default`) of the description shares,
    /// when they share one: what `ApiError::decode` reads an error body as.
    pub error: Option<TypeRef>,
    /// The `Accept` header `send` sends when the response is not JSON (the client asks for
    /// JSON by default): the media types the description lists.
    pub accept: Option<String>,
    /// The same operation asked to stream (`stream: true`), when its description offers
    /// `text/event-stream` beside another success body.
    pub stream: Option<StreamForm>,
    pub pagination: Option<Pagination>,
    /// Query pairs written into the path itself (`/responses?beta=true`), always sent.
    pub fixed_query: Vec<(String, String)>,
    pub security: Security,
    /// The OAuth 2 scopes a token is asked for, by client-credentials credential (index into
    /// [`Api::credentials`]): those of the first alternative that names it, which any
    /// alternative naming it accepts.
    pub scopes: Scopes,
    /// Resource path, e.g. `["admin", "organization", "certificates"]`.
    pub resource: Vec<String>,
    /// Method on the resource, e.g. `retrieve`.
    pub method_name: String,
    /// Its first tag, which names its feature when `x-sdk-feature` does not.
    pub tag: Option<String>,
    /// Its feature: `x-sdk-feature` while the IR is built, then the feature's name (one
    /// element), or empty when the crate has no features.
    pub gate: Gate,
    /// A call of it for its docs, when one can be written (see [`super::examples`]).
    pub example: Option<ExampleCall>,
}

/// An operation called as its docs show it: `client.<accessors>().<method>(<arguments>)`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleCall {
    /// The accessors from the client to the operation's resource, e.g. `["admin", "organization"]`.
    pub accessors: Vec<String>,
    pub method: String,
    /// One value per argument of the method, in order.
    pub arguments: Vec<Sample>,
    /// The name the answer is bound to (`certificate`, `page`), or `None` when there is none.
    pub binding: Option<String>,
}

/// A value in an example call, each as it is written where it stands: a place that takes
/// `impl Into<T>` takes `"text"` for a string, one that takes a `String` itself needs it
/// owned.
#[derive(Debug, Clone, PartialEq)]
pub enum Sample {
    /// `"text"`, or `"text".to_owned()` where `owned`.
    Text {
        value: String,
        owned: bool,
    },
    Integer(i64),
    Number(f64),
    Boolean(bool),
    /// `types::Enum::Variant`.
    Variant {
        ty: String,
        variant: String,
    },
    /// `types::Type::new(arguments)`, or `types::Type::default()` when `default`.
    Construct {
        ty: String,
        arguments: Vec<Sample>,
        default: bool,
    },
    /// `types::Union::Variant(value)`.
    Wrap {
        ty: String,
        variant: String,
        value: Box<Sample>,
    },
    /// `[item]`, or `vec![item]` where `vec`.
    List {
        item: Box<Sample>,
        vec: bool,
    },
    /// `Box::new(value)`.
    Boxed(Box<Sample>),
    /// `None`.
    Null,
    /// `serde_json::json!(value)`.
    Json(serde_json::Value),
    /// `Default::default()`: a map.
    Default,
    /// `FilePart::bytes(...)` with a file name.
    File,
}

impl Operation {
    /// The resource method's arguments, in order.
    pub fn arguments(&self) -> impl Iterator<Item = &Input> {
        self.inputs
            .iter()
            .filter(|input| input.role == InputRole::Argument)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Patch,
    Head,
    Options,
    /// A method without a field of its own before 3.2 (`query`, `additionalOperations`), as
    /// sent: `QUERY`, `PURGE`.
    Other(String),
}

impl HttpMethod {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Patch => "PATCH",
            Self::Head => "HEAD",
            Self::Options => "OPTIONS",
            Self::Other(method) => method,
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
    /// Sent as `name=value` in the `Cookie` header, beside any cookie credential.
    Cookie,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayFormat {
    /// `a=1&a=2`
    Repeat,
    /// `a[]=1&a[]=2`
    Brackets,
    /// `a=1,2`
    Comma,
    /// `a=1%202` (`style: spaceDelimited`)
    Space,
    /// `a=1|2` (`style: pipeDelimited`)
    Pipe,
}

/// How an object query parameter is written (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectFormat {
    /// `style: form` with `explode: true` (the default): each member as its own pair,
    /// `gt=1&lt=2`.
    Form,
    /// `style: deepObject`: `name[gt]=1&name[lt]=2`.
    DeepObject,
    /// `style: simple` (headers, cookies, paths) or a query's `form` with `explode: false`:
    /// one value, `gt,1,lt,2`, or `gt=1,lt=2` when exploded.
    Simple { exploded: bool },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire_name: String,
    /// Name of the builder member that holds it, and of its [`Input`].
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    pub docs: Option<String>,
    /// Where the description declares it: the operation's parameter list or a component.
    pub origin: String,
    /// How the value is written on the wire.
    pub form: ParamForm,
    /// The description's example of the value (a string, number or boolean).
    pub example: Option<serde_json::Value>,
}

/// How a parameter's value is written, decided from its type, location and style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamForm {
    /// A string, number, boolean or enum: its text.
    Text,
    /// An array of those: in a query, in this format; in a header or cookie, `a,b`.
    List(ArrayFormat),
    /// An object: in a query as its format says; in a header or cookie in the `simple`
    /// style.
    Object(ObjectFormat),
    /// A path parameter in the `label` or `matrix` style, or an array or object in the
    /// `simple` one: written as the style and `explode` say.
    Path { style: PathStyle, exploded: bool },
    /// A parameter described by JSON `content`: its value as JSON text.
    Json,
    /// 3.2's `in: querystring` described by JSON or text `content`: the whole query string
    /// is its value, as JSON text or its own text (a form-encoded one is an
    /// [`ObjectFormat::Form`] object).
    QueryString { json: bool },
    /// A type without a text form of its own (a union, a free-form value), written through
    /// serde when the request is built: a scalar as its text, an array as a list, an object
    /// as form pairs; what a path or header cannot hold fails then.
    Serialized,
}

/// A path parameter's `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    /// `value`, `a,b`.
    Simple,
    /// `.value`, `.a,b`.
    Label,
    /// `;name=value`, `;name=a,b`.
    Matrix,
}

/// The request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub ty: TypeRef,
    /// How it is written on the wire.
    pub encoding: BodyEncoding,
    /// The media type sent as `Content-Type` (for multipart, reqwest adds the boundary).
    pub media_type: String,
    pub required: bool,
    pub docs: Option<String>,
    /// Where the description declares it: the operation's `requestBody` or a component.
    pub origin: String,
    /// The body is a struct stored whole and always sent, whose fields are the builder's
    /// inputs ([`InputTarget::BodyField`]); otherwise the body is one input of its own
    /// ([`InputTarget::Body`]).
    pub by_field: bool,
    /// For `multipart/form-data`, how each field of the body struct is written, in field order.
    pub parts: Vec<Part>,
}

impl Body {
    /// Whether the builder holds the body itself rather than an `Option` of it: a body taken
    /// field by field, or a required one.
    pub fn always_present(&self) -> bool {
        self.by_field || self.required
    }
}

/// How a request body is written, chosen from the media types the operation accepts
/// (JSON first, then multipart, form, text, and raw bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    Json,
    /// `multipart/form-data`: one part per field, files as file parts.
    Multipart,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `text/plain` and other text: the body is a `String`.
    Text,
    /// Any other media type: the body is bytes.
    Binary,
    /// A sequential media type whose items are described (3.2's `itemSchema`): the body is
    /// a list of them, written one after another.
    Sequence(SequenceFormat),
}

/// How the items of a sequential body are delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SequenceFormat {
    /// `application/jsonl`, `application/x-ndjson`: a JSON value per line.
    JsonLines,
    /// `application/json-seq` (RFC 7464): each JSON value after a record separator.
    JsonSeq,
    /// `multipart/mixed` and other non-form `multipart`: each item a part.
    Multipart,
    /// `text/event-stream`: each item the data of an event.
    EventStream,
}

/// One field of a multipart body: an array is one part per item, others one part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The body struct's field, as Rust names it.
    pub member: String,
    /// The part's name: the field's on the wire.
    pub wire_name: String,
    /// The field's, which decides when the part is sent.
    pub presence: Presence,
    pub kind: PartKind,
    /// The field is an array: one part per item, each of `kind`.
    pub repeated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartKind {
    /// A file part (`format: binary`).
    File,
    /// A union with a variant that is a file or a list of files (`oneOf: [file, [file]]`,
    /// `oneOf: [file, url]`): the parts of the variant it holds.
    Files(FileChoice),
    /// A scalar, an enum, or an alias of one: its text.
    Text,
    /// Anything else: its JSON text.
    Json,
}

/// The union type of [`PartKind::Files`] and, per variant, its name and what part it makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChoice {
    pub union: String,
    pub variants: Vec<(String, VariantPart)>,
}

/// The parts one variant of a [`FileChoice`] union makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariantPart {
    /// One file part.
    File,
    /// A file part per file of the list.
    Files,
    /// A value that is not a file (`oneOf: [{format: binary}, {format: uri}]`): a text part
    /// for a string, a JSON part otherwise.
    Value,
}

/// What a caller hands an operation's builder: a parameter, a body field, or the whole body.
/// [`Operation::inputs`] lists them in the builder's order: the resource method's arguments
/// first, then the setters.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// Name of the argument or setter, unique among the builder's members.
    pub rust_name: String,
    /// The parameter or member name on the wire; `None` for a whole body.
    pub wire_name: Option<String>,
    pub target: InputTarget,
    pub ty: TypeRef,
    /// As a body field's: decides the stored type (a required parameter or body is
    /// [`Presence::Required`], an optional one [`Presence::Optional`]).
    pub presence: Presence,
    pub docs: Option<String>,
    /// Where the description declares the parameter, body member or body it sets.
    pub origin: String,
    pub role: InputRole,
}

/// Where an input's value goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputTarget {
    /// [`Operation::params`] at this index.
    Param(usize),
    /// A field of the body struct.
    BodyField {
        /// Its index among the struct's fields.
        index: usize,
        /// Its name in Rust (which the builder's input may not share).
        member: String,
    },
    /// The whole body.
    Body,
}

/// How the builder takes an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputRole {
    /// An argument of the resource method (and the builder's constructor).
    Argument,
    /// A setter of the same name.
    Setter,
    /// A setter of the same name, and a setter of this name that sends `null`
    /// (an optional nullable body field).
    NullableSetter { null_setter: String },
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseKind {
    Json(TypeRef),
    /// Success carries no body (or one the client ignores).
    Empty,
    /// Success carries a non-JSON body (audio, images, archives), returned as bytes or a
    /// stream of byte chunks.
    Bytes,
    /// Success carries `text/plain`, returned as a `String`.
    Text,
    /// Success is `text/event-stream`: a stream of events, each decoded as this type.
    EventStream(TypeRef),
    /// Success is a sequence of items (3.2's `itemSchema`: JSON Lines, a JSON text sequence,
    /// the parts of `multipart/mixed`), streamed, each decoded as `item`; `None` for parts
    /// the description does not type as JSON, returned as they came.
    Sequence {
        item: Option<TypeRef>,
        format: SequenceFormat,
    },
}

/// The streaming form of an operation whose body has a boolean `stream` field.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamForm {
    /// The type each server-sent event decodes as.
    pub event: TypeRef,
    /// The body struct's flag set to `true` to ask for a stream.
    pub flag: Field,
    /// The builder method that asks for the stream: the flag's own builder name, which
    /// gets no setter.
    pub method: String,
}

/// How a list operation pages (see [`super::pagination`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub style: PageStyle,
    /// The page: the operation's response, a named struct or (for `Link` pages) an array.
    pub page: TypeRef,
    /// Item type of the page.
    pub item: TypeRef,
    /// Page struct field holding the items; `None` when the page is the array itself.
    pub items_field: Option<Field>,
    /// Page struct field saying whether more pages follow, if the page has one.
    pub has_more_field: Option<Field>,
    /// Page struct field counting the items of the whole list, if the page has one.
    pub total_items_field: Option<Field>,
    /// Page struct field counting the pages, if the page has one.
    pub total_pages_field: Option<Field>,
}

/// How a list asks for the page after one.
#[derive(Debug, Clone, PartialEq)]
pub enum PageStyle {
    /// The page's `next_cursor_field` goes back in the query parameter at `param` (an index
    /// into [`Operation::params`]).
    Cursor {
        param: usize,
        next_cursor_field: Field,
    },
    /// The query parameter at `param` numbers the pages, from `first`.
    PageNumber { param: usize, first: u64 },
    /// The query parameter at `param` counts the items to skip.
    Offset { param: usize },
    /// The response's `Link` header names the next page's URL (RFC 8288 `rel="next"`).
    Link,
}

impl Pagination {
    /// The name of the page type when it is a struct of the crate's (its `CursorPage` impl is
    /// the crate's to write; an array's is the runtime's).
    pub fn page_type(&self) -> Option<&str> {
        match &self.page {
            TypeRef::Named(name) => Some(name),
            _ => None,
        }
    }
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

impl Resource {
    /// The features any one of which compiles this resource: those of the operations under
    /// it (empty when one of them always compiles).
    pub fn gate(&self, operations: &[Operation]) -> Gate {
        let mut gate = Vec::new();
        let mut stack = vec![self];
        while let Some(resource) = stack.pop() {
            for method in &resource.methods {
                match operations[method.operation].gate.as_slice() {
                    [] => return Vec::new(),
                    features => gate.extend(features.iter().cloned()),
                }
            }
            stack.extend(&resource.children);
        }
        gate.sort();
        gate.dedup();
        gate
    }
}

/// An operation as a method of a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceMethod {
    /// Method name, unique on its resource, e.g. `retrieve`.
    pub name: String,
    /// Index into [`Api::operations`].
    pub operation: usize,
}
