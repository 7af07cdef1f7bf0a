//! IR stage: names, presences, placement, pagination and rejections, on small specs.

use super::*;
use crate::diagnostics::Diagnostic;

fn api(yaml: &str) -> Api {
    let document = crate::load::parse(yaml).expect("the test spec parses");
    build(&document, &Settings::default())
        .expect("the test spec builds")
        .0
}

/// Every diagnostic of a run, warnings and errors.
fn diagnostics(yaml: &str) -> Vec<Diagnostic> {
    let document = crate::load::parse(yaml).expect("the test spec parses");
    match build(&document, &Settings::default()) {
        Ok((_, warnings)) => warnings,
        Err(all) => all,
    }
}

/// The first error of a rejected spec.
fn rejected(yaml: &str) -> Diagnostic {
    diagnostics(yaml)
        .into_iter()
        .find(Diagnostic::is_error)
        .expect("the test spec is rejected")
}

fn find<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no type {name}: {:?}",
                api.types.iter().map(|t| &t.name).collect::<Vec<_>>()
            )
        })
}

fn fields(def: &TypeDef) -> &[Field] {
    match &def.kind {
        TypeKind::Struct(s) => &s.fields,
        other => panic!("{} is not a struct: {other:?}", def.name),
    }
}

const PETS: &str = r#"
openapi: 3.0.3
info: {title: Pet Store, version: '1'}
servers: [{url: 'https://{region}.pets.test/v1/', variables: {region: {default: eu}}}]
tags: [{name: Pets}]
paths:
  /pets:
    get:
      operationId: listPets
      tags: [Pets]
      parameters:
        - {name: after, in: query, schema: {type: string}}
        - {name: kind, in: query, schema: {type: array, items: {type: string, enum: [cat, dog]}}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [data, has_more]
                properties:
                  data: {type: array, items: {$ref: '#/components/schemas/Pet'}}
                  has_more: {type: boolean}
                  last_id: {type: string, nullable: true}
    post:
      tags: [Pets]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                type: {type: string}
      responses:
        '204': {description: created}
components:
  schemas:
    Pet:
      type: object
      required: [id, status, owner]
      properties:
        id: {type: integer, format: int32}
        status: {type: string, enum: [available, sold, unknown]}
        owner: {type: string, nullable: true}
        nickname: {type: string}
        note: {type: string, nullable: true}
        fooBar: {type: string}
        foo_bar: {type: string}
        tags: {type: object, additionalProperties: {type: integer}}
        parent: {$ref: '#/components/schemas/Pet'}
"#;

#[test]
fn names_inline_types_from_where_they_stand() {
    let api = api(PETS);
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "ListPetsKind",
            "ListPetsResponse",
            "Pet",
            "PetStatus",
            "PostPetsRequest"
        ],
        "sorted by name"
    );
    let TypeKind::Enum(variants) = &find(&api, "PetStatus").kind else {
        panic!("PetStatus is an enum")
    };
    let variant_names: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
    assert_eq!(
        variant_names,
        ["Available", "Sold", "Unknown2"],
        "the catch-all keeps `Unknown`"
    );
}

/// A union's inline members are named by what identifies them, so that a member added in
/// the middle renames none of the others; position is the last resort.
#[test]
fn union_members_are_named_by_what_identifies_them_not_by_position() {
    let yaml = r#"
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Base: {type: object, properties: {id: {type: string}}}
    Event:
      oneOf:
        - {type: object, properties: {type: {const: response.failed}, error: {type: string}}}
        - {type: object, properties: {type: {const: response.done}}}
        - {$ref: '#/components/schemas/Base'}
    Input:
      oneOf:
        - {title: Text Part, type: object, properties: {text: {type: string}}}
        - {allOf: [{$ref: '#/components/schemas/Base'}, {description: based}]}
        - {type: array, items: {type: string}}
        - {x-sdk-name: Pinned, type: object, properties: {pin: {type: integer}}}
        - {type: object, properties: {a: {type: integer}}}
"#;
    let api = api(yaml);
    let variants = |name: &str| -> Vec<(String, TypeRef)> {
        match &find(&api, name).kind {
            TypeKind::Union(union) => union
                .variants
                .iter()
                .map(|v| (v.rust_name.clone(), v.ty.clone()))
                .collect(),
            other => panic!("{name} is not a union: {other:?}"),
        }
    };
    let named = |name: &str| TypeRef::Named(name.to_owned());
    assert_eq!(
        variants("Event"),
        [
            ("ResponseFailed".to_owned(), named("EventResponseFailed")),
            ("ResponseDone".to_owned(), named("EventResponseDone")),
            ("Base".to_owned(), named("Base")),
        ]
    );
    assert_eq!(
        variants("Input"),
        [
            ("TextPart".to_owned(), named("InputTextPart")),
            ("Base".to_owned(), named("Base")),
            (
                "Array".to_owned(),
                TypeRef::Array(Box::new(TypeRef::String))
            ),
            ("Pinned".to_owned(), named("Pinned")),
            ("Variant4".to_owned(), named("InputVariant4")),
        ]
    );
}

/// A referenced member is named by its one tag value, else by its type's name without the
/// union's words; a name that would be shared falls back to the whole type name.
#[test]
fn referenced_members_are_named_by_tag_or_by_what_differs_from_the_union() {
    let yaml = r#"
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    ChatMessage:
      oneOf: [{$ref: '#/components/schemas/ChatUserMessage'}, {$ref: '#/components/schemas/ChatSystemMessage'}]
      discriminator: {propertyName: role}
    ChatUserMessage: {type: object, required: [role], properties: {role: {type: string, enum: [user]}}}
    ChatSystemMessage: {type: object, required: [role], properties: {role: {type: string, enum: [system]}}}
    Tool:
      anyOf: [{$ref: '#/components/schemas/FunctionTool'}, {$ref: '#/components/schemas/WebSearchTool'}, {$ref: '#/components/schemas/Tool2'}]
    FunctionTool: {type: object, properties: {f: {type: string}}}
    WebSearchTool: {type: object, properties: {w: {type: string}}}
    Tool2: {type: object, properties: {t: {type: string}}}
    Clash:
      anyOf: [{$ref: '#/components/schemas/ClashA'}, {$ref: '#/components/schemas/A'}]
    ClashA: {type: object, properties: {x: {type: string}}}
    A: {type: object, properties: {y: {type: string}}}
"#;
    let api = api(yaml);
    let names = |name: &str| -> Vec<String> {
        match &find(&api, name).kind {
            TypeKind::Union(union) => union.variants.iter().map(|v| v.rust_name.clone()).collect(),
            other => panic!("{name} is not a union: {other:?}"),
        }
    };
    assert_eq!(names("ChatMessage"), ["User", "System"]);
    // `Tool2` starts with a digit once `Tool` is taken away: its whole name.
    assert_eq!(names("Tool"), ["Function", "WebSearch", "Tool2"]);
    // `ClashA` without `Clash` is `A`, which the other member is called too.
    assert_eq!(names("Clash"), ["ClashA", "A"]);
}

/// A required member the schema fixes (a `const`, `x-stainless-const`, a tagged union's tag)
/// is set by constructors and builders; a one-value enum that may grow stays an argument.
/// Each variant whose type no other variant has converts into its union, and `&str` into
/// the string variant.
#[test]
fn fixed_members_are_no_arguments_and_variants_convert_into_their_union() {
    let yaml = r#"
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /messages:
    post:
      operationId: send
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [kind, stainless, mode, message]
              properties:
                kind: {const: chat}
                stainless: {type: string, enum: [s], x-stainless-const: true}
                mode: {type: string, enum: [fast]}
                message: {$ref: '#/components/schemas/Message'}
      responses: {'204': {description: sent}}
components:
  schemas:
    Message:
      oneOf: [{$ref: '#/components/schemas/User'}, {$ref: '#/components/schemas/System'}]
      discriminator: {propertyName: role}
    User: {type: object, required: [role, content], properties: {role: {type: string, enum: [user]}, content: {$ref: '#/components/schemas/Content'}}}
    System: {type: object, required: [role], properties: {role: {type: string, enum: [system]}}}
    Content:
      oneOf:
        - {type: string}
        - {type: array, items: {type: string}}
        - {$ref: '#/components/schemas/Text'}
        - {type: integer}
        - {type: boolean}
    Text: {type: string}
"#;
    let api = api(yaml);
    let fixed = |type_name: &str| -> Vec<(String, Option<String>)> {
        fields(find(&api, type_name))
            .iter()
            .map(|f| (f.wire_name.clone(), f.fixed.clone()))
            .collect()
    };
    let body = &api.operations[0];
    let body_name = match &body.body.as_ref().expect("a body").ty {
        TypeRef::Named(name) => name.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        fixed(&body_name),
        [
            ("kind".to_owned(), Some("Chat".to_owned())),
            ("stainless".to_owned(), Some("S".to_owned())),
            ("mode".to_owned(), None),
            ("message".to_owned(), None),
        ]
    );
    assert_eq!(
        fixed("User")[0],
        ("role".to_owned(), Some("User".to_owned()))
    );
    let inputs: Vec<&str> = body.inputs.iter().map(|i| i.rust_name.as_str()).collect();
    assert_eq!(inputs, ["mode", "message"]);
    let TypeKind::Union(content) = &find(&api, "Content").kind else {
        panic!("Content is a union");
    };
    // `Text` is a string too: neither it nor the string converts, nor does `&str`.
    let from: Vec<(&str, bool)> = content
        .variants
        .iter()
        .map(|v| (v.rust_name.as_str(), v.from))
        .collect();
    assert_eq!(
        from,
        [
            ("String", false),
            ("Array", true),
            ("Text", false),
            ("Integer", true),
            ("Boolean", true)
        ]
    );
    assert_eq!(content.from_str, None);
    let TypeKind::Union(message) = &find(&api, "Message").kind else {
        panic!("Message is a union");
    };
    assert!(message.variants.iter().all(|v| v.from));
}

/// An operation's example call takes the description's example values, placeholders of the
/// right type where it has none, and writes each as the place it stands takes it.
#[test]
fn example_calls_use_the_descriptions_examples_and_typed_placeholders() {
    let yaml = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /things/{thing_id}:
    post:
      operationId: updateThing
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: string}, example: th_1}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [label, size, colour, part, tags, note]
              properties:
                label: {type: string, example: Blue box}
                size: {type: integer, format: int32, example: 99999999999}
                colour: {type: string, enum: [red, green], example: green}
                part: {$ref: '#/components/schemas/Part'}
                tags: {type: array, items: {type: string}}
                note: {type: string, nullable: true}
      responses: {'204': {description: done}}
components:
  schemas:
    Part:
      type: object
      required: [names]
      properties:
        names: {type: array, items: {type: string}}
"#;
    let api = api(yaml);
    let call = api.operations[0].example.as_ref().expect("an example call");
    assert_eq!(
        (call.accessors.as_slice(), call.method.as_str()),
        (&["things".to_owned()][..], "update")
    );
    let text = |value: &str, owned: bool| Sample::Text {
        value: value.to_owned(),
        owned,
    };
    assert_eq!(
        call.arguments,
        [
            text("th_1", false),
            text("Blue box", false),
            // The example does not fit an `i32`.
            Sample::Integer(1),
            Sample::Variant {
                ty: "UpdateThingRequestColour".to_owned(),
                variant: "Green".to_owned(),
            },
            // A constructor's list argument takes a `Vec` of owned strings.
            Sample::Construct {
                ty: "Part".to_owned(),
                arguments: vec![Sample::List {
                    item: Box::new(text("names", true)),
                    vec: true,
                }],
                default: false,
            },
            // A method's list argument takes any iterator of what converts into an item.
            Sample::List {
                item: Box::new(text("tags", false)),
                vec: false,
            },
            Sample::Null,
        ]
    );
    assert_eq!(call.binding, None, "a 204 answers nothing to bind");
}

#[test]
fn decides_presence_keywords_collisions_maps_and_recursion() {
    let api = api(PETS);
    let pet = fields(find(&api, "Pet"));
    let by_wire = |wire: &str| pet.iter().find(|f| f.wire_name == wire).expect("field");
    assert_eq!(by_wire("id").ty, TypeRef::Integer(IntegerKind::I32));
    assert_eq!(by_wire("id").presence, Presence::Required);
    assert_eq!(by_wire("owner").presence, Presence::RequiredNullable);
    assert_eq!(by_wire("nickname").presence, Presence::Optional);
    assert_eq!(by_wire("note").presence, Presence::OptionalNullable);
    assert_eq!(by_wire("fooBar").rust_name, "foo_bar");
    assert_eq!(by_wire("foo_bar").rust_name, "foo_bar_2");
    assert_eq!(
        by_wire("tags").ty,
        TypeRef::Map(Box::new(TypeRef::Integer(IntegerKind::I64)))
    );
    assert_eq!(
        by_wire("parent").ty,
        TypeRef::Boxed(Box::new(TypeRef::Named("Pet".into()))),
        "a struct that holds itself is boxed"
    );
    let body = fields(find(&api, "PostPetsRequest"));
    assert_eq!(body[1].rust_name, "r#type");
}

#[test]
fn places_operations_by_the_paths_shape_and_finds_pagination_by_shape() {
    let api = api(PETS);
    assert_eq!(api.crate_name, "pet-store");
    assert_eq!(api.base_url, "https://eu.pets.test/v1");
    assert_eq!(api.credentials, []);
    let [list, create] = api.operations.as_slice() else {
        panic!("two operations")
    };
    // A GET that answers a list, and a POST beside it.
    assert_eq!(
        (list.resource.as_slice(), list.method_name.as_str()),
        (&["pets".to_owned()][..], "list")
    );
    assert_eq!(create.method_name, "create");
    assert_eq!(create.id, "post_pets", "derived from method and path");
    assert_eq!(create.struct_name, "PostPets");
    assert_eq!(create.response, ResponseKind::Empty);
    assert_eq!(
        list.params[1].ty,
        TypeRef::Array(Box::new(TypeRef::Named("ListPetsKind".into())))
    );
    assert_eq!(list.params[1].form, ParamForm::List(ArrayFormat::Repeat));
    assert_eq!(list.params[2].location, ParamLocation::Header);
    assert_eq!(list.params[2].rust_name, "x_trace");
    let pagination = list.pagination.as_ref().expect("paginated by shape");
    assert_eq!(pagination.item, TypeRef::Named("Pet".into()));
    assert_eq!(next_cursor(pagination), "last_id");
    assert_eq!(create.pagination, None);
    let [pets] = api.client.children.as_slice() else {
        panic!("one resource")
    };
    assert_eq!(
        (pets.accessor.as_str(), pets.struct_name.as_str()),
        ("pets", "Pets")
    );
    let methods: Vec<&str> = pets.methods.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(methods, ["list", "create"]);
}

#[test]
fn names_come_from_the_paths_shape_and_collisions_from_the_operation_id() {
    let yaml = r#"
openapi: 3.0.3
info: {title: Shapes, version: "1"}
components:
  responses:
    Page:
      description: a page
      content: {application/json: {schema: {type: object, properties: {data: {type: array, items: {type: string}}}}}}
    One: {description: one, content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}}
paths:
  /v1/batches:
    get: {operationId: listBatches, responses: {"200": {$ref: '#/components/responses/Page'}}}
    post: {operationId: createBatch, responses: {"200": {$ref: '#/components/responses/One'}}}
  /v1/batches/{id}:
    get: {operationId: getBatch, responses: {"200": {$ref: '#/components/responses/One'}}}
    put: {operationId: putBatch, responses: {"204": {description: done}}}
    patch: {operationId: patchBatch, responses: {"204": {description: done}}}
    delete: {operationId: deleteBatch, responses: {"204": {description: done}}}
  /v1/batches/{id}/cancel:
    post: {operationId: cancelBatch, responses: {"204": {description: done}}}
  /v1/batches/{id}/events.json:
    get: {operationId: batchEvents, responses: {"200": {$ref: '#/components/responses/Page'}}}
  /v1/batches/{id}/content:
    get: {operationId: batchContent, responses: {"200": {$ref: '#/components/responses/One'}}}
  /v1/jobs/{name}:cancel:
    post: {operationId: cancelJob, responses: {"204": {description: done}}}
  /v1/organization/usage/completions:
    get: {operationId: usageCompletions, responses: {"200": {$ref: '#/components/responses/Page'}}}
  /v1/organization/settings:
    get: {operationId: getSettings, responses: {"200": {$ref: '#/components/responses/One'}}}
    post: {operationId: setSettings, responses: {"200": {$ref: '#/components/responses/One'}}}
  /v1/embeddings:
    post: {operationId: createEmbedding, responses: {"200": {$ref: '#/components/responses/One'}}}
  /v1/responses?beta=true:
    post: {operationId: createBetaResponse, responses: {"200": {$ref: '#/components/responses/One'}}}
  /v1/threads/runs:
    post: {operationId: createThreadAndRun, responses: {"200": {$ref: '#/components/responses/One'}}}
  /v1/threads/{id}/runs:
    post: {operationId: createRun, responses: {"200": {$ref: '#/components/responses/One'}}}
  /v1/threads/{id}/runs/{run}:
    get: {operationId: getRun, responses: {"200": {$ref: '#/components/responses/One'}}}
  /v1/drinks:
    get:
      operationId: listDrinks
      x-speakeasy-group: bar.drinks
      x-speakeasy-name-override: menu
      responses: {"200": {$ref: '#/components/responses/Page'}}
  /v1/movies:
    get:
      operationId: listMovies
      x-fern-sdk-group-name: [media, movies]
      responses: {"200": {$ref: '#/components/responses/Page'}}
"#;
    let placed: Vec<String> = api(yaml)
        .operations
        .iter()
        .map(|op| format!("{} {}.{}", op.id, op.resource.join("."), op.method_name))
        .collect();
    assert_eq!(
        placed,
        [
            // A collection, its items (a PUT beside a PATCH replaces), a verb after an item,
            // a list below an item (its extension dropped), a single object below an item.
            "listBatches batches.list",
            "createBatch batches.create",
            "getBatch batches.retrieve",
            "putBatch batches.replace",
            "deleteBatch batches.delete",
            "patchBatch batches.update",
            "cancelBatch batches.cancel",
            "batchEvents batches.events.list",
            "batchContent batches.content.retrieve",
            // A custom method; a read-only leaf under a literal; a single object; a POST alone.
            "cancelJob jobs.cancel",
            "usageCompletions organization.usage.completions",
            "getSettings organization.settings.retrieve",
            "setSettings organization.settings.update",
            "createEmbedding embeddings.create",
            // A flag in the path's query nests under its name.
            "createBetaResponse beta.responses.create",
            // Two `create`s on `threads.runs`: the collection's keeps it, the leaf's is the
            // operationId.
            "createThreadAndRun threads.runs.create_thread_and_run",
            "createRun threads.runs.create",
            "getRun threads.runs.retrieve",
            // Other generators' extensions: a group and a method, a group and the shape.
            "listDrinks bar.drinks.menu",
            "listMovies media.movies.list",
        ]
    );
}

#[test]
fn resources_by_path_prefix_hang_what_is_below_them_by_its_shape() {
    let yaml = r#"
openapi: 3.0.3
info: {title: Orgs, version: "1"}
x-sdk-resources:
  /organization/certificates: admin.organization.certificates
  /organization/projects/{project_id}/certificates: admin.organization.projects.certificates
paths:
  /organization/certificates/{certificate_id}:
    parameters: [{name: certificate_id, in: path, required: true, schema: {type: string}}]
    delete:
      operationId: deleteCertificate
      responses: {"204": {description: gone}}
  /organization/certificates/activate:
    post:
      operationId: activateOrganizationCertificates
      responses: {"204": {description: done}}
  /organization/projects/{project_id}/certificates:
    parameters: [{name: project_id, in: path, required: true, schema: {type: string}}]
    get:
      operationId: listProjectCertificates
      responses:
        "200":
          description: a page
          content:
            application/json:
              schema: {type: object, properties: {data: {type: array, items: {type: string}}}}
  /organization/projects/{project_id}/certificates/certificates:
    parameters: [{name: project_id, in: path, required: true, schema: {type: string}}]
    get:
      operationId: certificates
      x-sdk-method: all
      responses: {"204": {description: done}}
  /organization/users:
    get:
      operationId: listUsers
      tags: [users]
      responses: {"204": {description: done}}
"#;
    let placed = |api: &Api| -> Vec<(String, String)> {
        api.operations
            .iter()
            .map(|op| (op.resource.join("."), op.method_name.clone()))
            .collect()
    };
    let pairs = |expected: &[(&str, &str)]| -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(resource, method)| (resource.to_string(), method.to_string()))
            .collect()
    };
    assert_eq!(
        placed(&api(yaml)),
        pairs(&[
            ("admin.organization.certificates", "delete"),
            ("admin.organization.certificates", "activate"),
            ("admin.organization.projects.certificates", "list"),
            // The longest prefix wins; its last segment is a read-only leaf (a method of its
            // parent), which a method hint names.
            ("admin.organization.projects.certificates", "all"),
            // No prefix matches: a read-only leaf under a literal is a method of its parent.
            ("organization", "users"),
        ])
    );
    // Named by operationId: a method is the operationId without the prefix's resource words,
    // and without a prefix the first tag is the resource.
    let by_id = yaml.replace(
        "x-sdk-resources:",
        "x-sdk-naming: operation-id\nx-sdk-resources:",
    );
    assert_eq!(
        placed(&api(&by_id)),
        pairs(&[
            ("admin.organization.certificates", "delete"),
            ("admin.organization.certificates", "activate"),
            ("admin.organization.projects.certificates", "list"),
            ("admin.organization.projects.certificates", "all"),
            ("users", "list_users"),
        ])
    );
    let error = rejected(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nx-sdk-resources: {things: 3}\npaths: {}\n",
    );
    assert_eq!(error.pointer, "#/x-sdk-resources/things");
    let error =
        rejected("openapi: 3.0.3\ninfo: {title: T, version: '1'}\nx-sdk-naming: tags\npaths: {}\n");
    assert_eq!(error.pointer, "#/x-sdk-naming");
}

#[test]
fn reads_vendor_extensions() {
    let yaml = r#"
openapi: 3.0.3
info: {title: T, version: '1', x-sdk-crate-name: my-sdk}
servers: [{url: 'https://api.test', x-sdk-env: T_BASE_URL}]
security: [{Key: []}]
x-sdk-query-array-format: brackets
paths:
  /a/{a_id}/b/{b_id}:
    delete:
      operationId: removeB
      x-sdk-resource: a.b
      x-sdk-method: delete
      parameters:
        - {name: a_id, in: path, required: true, schema: {type: string}}
        - {name: b_id, in: path, required: true, schema: {type: integer}}
        - {name: ids, in: query, schema: {type: array, items: {type: string}}}
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    Key: {type: apiKey, in: header, name: X-Key, x-sdk-credential: {setter: token, env: T_KEY}}
"#;
    let api = api(yaml);
    assert_eq!(api.crate_name, "my-sdk");
    assert_eq!(api.base_url_env.as_deref(), Some("T_BASE_URL"));
    let [credential] = api.credentials.as_slice() else {
        panic!("one credential")
    };
    assert_eq!(credential.scheme, CredentialScheme::Header("X-Key".into()));
    assert_eq!(
        (credential.setter.as_str(), credential.env.as_deref()),
        ("token", Some("T_KEY"))
    );
    let operation = &api.operations[0];
    assert_eq!(operation.resource, ["a", "b"]);
    assert_eq!(operation.method_name, "delete");
    assert_eq!(
        operation.params[2].form,
        ParamForm::List(ArrayFormat::Brackets)
    );
    assert_eq!(
        operation.path_parts,
        [
            PathPart::Literal("/a/".into()),
            PathPart::Param(0),
            PathPart::Literal("/b/".into()),
            PathPart::Param(1)
        ]
    );
    let a = &api.client.children[0];
    assert_eq!(a.children[0].struct_name, "AB");
}

#[test]
fn openapi_3_1_nullable_forms_become_nullable() {
    let yaml = r#"
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Thing:
      type: object
      required: [a, b]
      properties:
        a: {type: [string, 'null']}
        b: {anyOf: [{$ref: '#/components/schemas/Other'}, {type: 'null'}]}
        c: {const: fixed}
    Other: {type: object, properties: {x: {type: number, format: float}}}
"#;
    let api = api(yaml);
    let thing = fields(find(&api, "Thing"));
    assert_eq!(
        (thing[0].ty.clone(), thing[0].presence),
        (TypeRef::String, Presence::RequiredNullable)
    );
    assert_eq!(
        (thing[1].ty.clone(), thing[1].presence),
        (TypeRef::Named("Other".into()), Presence::RequiredNullable)
    );
    assert_eq!(thing[2].ty, TypeRef::Named("ThingC".into()));
    assert_eq!(
        fields(find(&api, "Other"))[0].ty,
        TypeRef::Number(NumberKind::F32)
    );
}

/// `null` is a value of an `allOf` when every member allows it (a member that only annotates
/// allows anything), or when an annotating member says `nullable: true`.
#[test]
fn all_of_members_decide_whether_null_is_a_value() {
    let yaml = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Thing:
      type: object
      required: [a, b, c, d]
      properties:
        a: {allOf: [{type: string, nullable: true}, {nullable: false}]}
        b: {allOf: [{$ref: '#/components/schemas/Other'}, {description: x}, {nullable: true}]}
        c: {allOf: [{$ref: '#/components/schemas/Other'}, {description: x}]}
        d: {allOf: [{$ref: '#/components/schemas/Maybe'}, {description: x}]}
    Other: {type: object, properties: {x: {type: string}}}
    Maybe: {type: object, nullable: true, properties: {x: {type: string}}}
"#;
    let api = api(yaml);
    let presences: Vec<Presence> = fields(find(&api, "Thing"))
        .iter()
        .map(|field| field.presence)
        .collect();
    assert_eq!(
        presences,
        [
            Presence::RequiredNullable,
            Presence::RequiredNullable,
            Presence::Required,
            Presence::RequiredNullable
        ]
    );
}

fn with_operation(operation: &str) -> String {
    format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /things/{{id}}:\n    post:\n{operation}")
}

#[test]
fn degrades_what_it_cannot_generate_to_the_smallest_unit() {
    // (operation, pointer of the warning, its reason, what the operation became)
    type Check = fn(&Operation);
    let cases: [(&str, &str, &str, Check); 3] = [
        (
            "      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      requestBody:\n        content: {multipart/form-data: {schema: {type: object}}}\n      responses: {'200': {description: ok}}\n",
            "#/paths/~1things~1{id}/post/requestBody/content/multipart~1form-data/schema",
            "must be an object schema with properties; the request body is left out",
            |operation| assert!(operation.body.is_none() && operation.params.len() == 1),
        ),
        (
            "      responses: {'200': {description: ok}}\n",
            "#/paths/~1things~1{id}/post/parameters",
            "declares no path parameter `id`; it is a required string",
            |operation| {
                assert_eq!(operation.params[0].wire_name, "id");
                assert_eq!(operation.path_parts[1], PathPart::Param(0));
            },
        ),
        (
            "      parameters:\n        - {name: id, in: path, schema: {type: string}}\n        - {name: gone, in: path, required: true, schema: {type: string}}\n        - {name: q, in: query, schema: {$ref: '#/components/parameters/Nope'}}\n        - {$ref: '#/components/parameters/Nope'}\n      responses: {'200': {description: ok}}\n",
            "#/paths/~1things~1{id}/post/parameters/0/required",
            "not marked required",
            |operation| {
                let names: Vec<&str> = operation.params.iter().map(|p| p.wire_name.as_str()).collect();
                assert_eq!(names, ["id", "q"]);
                assert!(operation.params[0].required);
            },
        ),
    ];
    for (operation, pointer, reason, check) in cases {
        let yaml = with_operation(operation);
        let found = diagnostics(&yaml);
        assert!(found.iter().all(|d| !d.is_error()), "{found:?}");
        let warning = found
            .iter()
            .find(|d| d.pointer == pointer)
            .unwrap_or_else(|| panic!("no warning at {pointer}: {found:?}"));
        assert!(warning.reason.contains(reason), "{warning}");
        check(&api(&yaml).operations[0]);
    }
    // Objects in a path or header are written in the `simple` style, exploded or not (a
    // path parameter by its path style).
    let api = api(&with_operation(
        "      parameters:\n        - {name: id, in: path, required: true, schema: {type: object, properties: {a: {type: string}}}}\n        - {name: X-Filter, in: header, explode: true, schema: {type: object, additionalProperties: {type: string}}}\n        - {name: q, in: query, content: {application/json: {schema: {type: object}}}}\n      responses: {'200': {description: ok}}\n",
    ));
    let forms: Vec<ParamForm> = api.operations[0].params.iter().map(|p| p.form).collect();
    assert_eq!(
        forms,
        [
            ParamForm::Path {
                style: PathStyle::Simple,
                exploded: false
            },
            ParamForm::Object(ObjectFormat::Simple { exploded: true }),
            ParamForm::Json,
        ]
    );
}

#[test]
fn hints_stay_errors_and_unknown_auth_schemes_are_sent_as_given() {
    let hinted = with_operation(
        "      x-sdk-pagination: {cursor-param: after}\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses: {'200': {description: ok}}\n",
    );
    let error = rejected(&hinted);
    assert_eq!(
        error.pointer,
        "#/paths/~1things~1{id}/post/x-sdk-pagination"
    );
    assert!(
        error.reason.contains("no query parameter `after`"),
        "{error}"
    );
    let error = rejected(
        "openapi: 3.0.3\ninfo: {title: T, version: '1', x-sdk-crate-name: '9 lives'}\npaths: {}\n",
    );
    assert_eq!(error.pointer, "#/info/x-sdk-crate-name");
    let api = api(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://{tenant}.example.test'}]\nsecurity: [{D: []}]\npaths: {}\ncomponents:\n  securitySchemes:\n    D: {type: http, scheme: DSN}\n",
    );
    assert_eq!(
        api.credentials[0].scheme,
        CredentialScheme::Authorization("DSN".to_owned())
    );
    assert_eq!(api.base_url, "https://{tenant}.example.test");
}

#[test]
fn what_cannot_be_typed_falls_back_with_a_located_warning() {
    let yaml = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
security: [{O: []}]
paths:
  /things:
    get:
      parameters:
        - {name: q, in: query, schema: {$ref: '#/components/schemas/Nope'}}
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}}
components:
  securitySchemes:
    O: {type: oauth2, flows: {}}
  schemas:
    A: {not: {type: string}}
"#;
    let (api, warnings) = {
        let document = crate::load::parse(yaml).expect("parses");
        build(&document, &Settings::default()).expect("only warnings")
    };
    let found: Vec<(&str, bool)> = warnings
        .iter()
        .map(|w| (w.pointer.as_str(), w.is_error()))
        .collect();
    assert_eq!(
        found,
        [
            ("#/components/schemas/A", false),
            ("#/paths/~1things/get/parameters/0/schema", false),
        ]
    );
    assert!(warnings[0]
        .reason
        .contains("`not` schemas are not supported"));
    assert!(warnings[1].reason.contains("typed as `serde_json::Value`"));
    assert_eq!(find(&api, "A").kind, TypeKind::Alias(TypeRef::Json));
    assert_eq!(api.operations[0].params[0].ty, TypeRef::Json);
    assert_eq!(api.credentials[0].scheme, CredentialScheme::Bearer);
    let denied = {
        let document = crate::load::parse(yaml).expect("parses");
        let settings = Settings {
            deny_warnings: true,
            ..Settings::default()
        };
        build(&document, &settings).expect_err("warnings denied")
    };
    assert!(denied.iter().all(Diagnostic::is_error) && denied.len() == 2);
}

#[test]
fn reports_every_problem_of_a_document_in_one_run() {
    let yaml = r#"
openapi: 3.0.3
info: {title: T, version: '1', x-sdk-crate-name: '9 lives'}
security: [{D: []}]
paths:
  /a/{id}:
    get:
      responses: {'200': {description: ok}}
  /b:
    post:
      requestBody: {content: {multipart/form-data: {schema: {type: string}}}}
      responses: {'200': {description: ok}}
  /c/{id}:
    get:
      parameters:
        - {name: id, in: path, schema: {type: string}}
      responses: {'200': {description: ok}}
  /d:
    trace:
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    D: {type: http, scheme: 'not a token'}
"#;
    let found: Vec<(String, bool)> = diagnostics(yaml)
        .into_iter()
        .map(|d| (d.pointer.clone(), d.is_error()))
        .collect();
    let expected = [
        ("#/info/x-sdk-crate-name", true),
        ("#/components/securitySchemes/D/scheme", false),
        ("#/paths/~1a~1{id}/get/parameters", false),
        ("#/security/0/D", false),
        (
            "#/paths/~1b/post/requestBody/content/multipart~1form-data/schema",
            false,
        ),
        ("#/paths/~1c~1{id}/get/parameters/0/required", false),
        ("#/paths/~1d/trace", false),
    ];
    let expected: Vec<(String, bool)> = expected
        .iter()
        .map(|(pointer, error)| (pointer.to_string(), *error))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn parameters_of_unions_are_written_through_serde() {
    let yaml = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /workflows/{workflow_id}:
    get:
      operationId: getWorkflow
      parameters:
        - {name: workflow_id, in: path, required: true, schema: {oneOf: [{type: integer}, {type: string}]}}
        - {name: ids, in: query, schema: {oneOf: [{type: array, items: {type: string}}, {type: string}]}}
        - {name: x-mode, in: header, schema: {$ref: '#/components/schemas/Mode'}}
      responses: {'204': {description: ok}}
components:
  schemas:
    Mode: {anyOf: [{type: string}, {type: integer}]}
"#;
    let api = api(yaml);
    let forms: Vec<ParamForm> = api.operations[0].params.iter().map(|p| p.form).collect();
    // In a path, the `simple` style writes whatever the value is.
    assert_eq!(
        forms,
        [
            ParamForm::Path {
                style: PathStyle::Simple,
                exploded: false
            },
            ParamForm::Serialized,
            ParamForm::Serialized
        ]
    );
}

#[test]
fn all_of_a_plain_primitive_beside_a_reference_only_restates_its_type() {
    let yaml = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Scope: {type: string, enum: [me, all]}
    Request:
      type: object
      properties:
        scope:
          allOf:
            - $ref: '#/components/schemas/Scope'
            - {type: string, description: 'One of the consent scopes.', nullable: true}
"#;
    assert_eq!(diagnostics(yaml), []);
    let api = api(yaml);
    let scope = &fields(find(&api, "Request"))[0];
    assert_eq!(scope.ty, TypeRef::Named("Scope".into()));
}

#[test]
fn response_headers_come_from_the_hint_with_documented_defaults() {
    let document = |hint: &str| {
        format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\n{hint}paths: {{}}\n")
    };
    assert_eq!(
        api(&document("")).response_headers,
        ResponseHeaders::default()
    );
    let hinted = api(&document(
        "x-sdk-response-headers: {request-id: Request-Id, should-retry: null}\n",
    ));
    assert_eq!(
        hinted.response_headers,
        ResponseHeaders {
            request_id: Some("request-id".into()),
            should_retry: None,
            retry_after_ms: Some("retry-after-ms".into()),
        }
    );
    let error = rejected(&document("x-sdk-response-headers: {request-id: 'a b'}\n"));
    assert_eq!(error.pointer, "#/x-sdk-response-headers/request-id");
    let error = rejected(&document("x-sdk-response-headers: {trace-id: t}\n"));
    assert_eq!(error.pointer, "#/x-sdk-response-headers/trace-id");
}

#[test]
fn number_enums_list_their_values_in_the_docs() {
    let yaml = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Level: {type: integer, enum: [1, 2], description: How loud.}
    Settings:
      type: object
      properties:
        level: {$ref: '#/components/schemas/Level'}
        speed: {type: number, enum: [0.5, 1.5]}
"#;
    let api = api(yaml);
    assert_eq!(
        find(&api, "Level").docs.as_deref(),
        Some("How loud.\n\nOne of `1`, `2`.")
    );
    let speed = &fields(find(&api, "Settings"))[1];
    assert_eq!(speed.ty, TypeRef::Number(NumberKind::F64));
    assert_eq!(speed.docs.as_deref(), Some("One of `0.5`, `1.5`."));
}

#[test]
fn the_root_pagination_hint_sets_the_shape_or_turns_inference_off() {
    let off = api(&PETS.replace(
        "tags: [{name: Pets}]",
        "tags: [{name: Pets}]\nx-sdk-pagination: false",
    ));
    assert_eq!(off.operations[0].pagination, None, "inference is off");

    let renamed = PETS
        .replace("{name: after, in: query", "{name: starting_after, in: query")
        .replace("data: {type: array", "items: {type: array")
        .replace("required: [data, has_more]", "required: [items, has_more]")
        .replace("last_id: {type: string", "next: {type: string")
        .replace(
            "tags: [{name: Pets}]",
            "tags: [{name: Pets}]\nx-sdk-pagination: {cursor-param: starting_after, items: items, next-cursor: next}",
        );
    let renamed = api(&renamed);
    let pagination = renamed.operations[0]
        .pagination
        .as_ref()
        .expect("paginated by the root shape");
    assert_eq!(next_cursor(pagination), "next");
    assert_eq!(pagination.item, TypeRef::Named("Pet".into()));
    assert_eq!(
        renamed.operations[1].pagination, None,
        "the shape does not fit"
    );
    // Without the root hint, `starting_after` is still a name a cursor goes by.
    let by_shape = api(&renamed_without_hint());
    let pagination = by_shape.operations[0]
        .pagination
        .as_ref()
        .expect("by shape");
    assert_eq!(next_cursor(pagination), "last_id");
}

/// The member of a cursor-paginated page that holds the next cursor.
fn next_cursor(pagination: &Pagination) -> &str {
    match &pagination.style {
        PageStyle::Cursor {
            next_cursor_field, ..
        } => &next_cursor_field.wire_name,
        other => panic!("not a cursor: {other:?}"),
    }
}

fn renamed_without_hint() -> String {
    PETS.replace(
        "{name: after, in: query",
        "{name: starting_after, in: query",
    )
}

#[test]
fn inputs_are_arguments_then_setters_named_in_one_namespace_with_the_builder() {
    let yaml = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /items/{id}:
    post:
      operationId: updateItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: send, in: query, schema: {type: string}}
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [name, note]
              properties:
                id: {type: string, readOnly: true}
                label: {type: string, nullable: true}
                label_null: {type: boolean}
                name: {type: string}
                note: {type: string, nullable: true}
                file: {type: string, format: binary}
                tags: {type: array, items: {type: string}}
                meta: {type: object, properties: {a: {type: string}}}
      responses: {'204': {description: ok}}
"#;
    let api = api(yaml);
    let operation = &api.operations[0];
    let summary: Vec<(&str, InputTarget, Presence, InputRole)> = operation
        .inputs
        .iter()
        .map(|input| {
            (
                input.rust_name.as_str(),
                input.target.clone(),
                input.presence,
                input.role.clone(),
            )
        })
        .collect();
    let body_field = |name: &str| {
        let body = operation.body.as_ref().expect("a body");
        let TypeRef::Named(type_name) = &body.ty else {
            panic!("the body is not named: {:?}", body.ty);
        };
        let index = fields(find(&api, type_name))
            .iter()
            .position(|field| field.wire_name == name)
            .expect("the field");
        InputTarget::BodyField {
            index,
            member: name.to_owned(),
        }
    };
    use InputRole::{Argument, Setter};
    use Presence::{Optional, OptionalNullable, Required, RequiredNullable};
    assert_eq!(
        summary,
        [
            ("id", InputTarget::Param(0), Required, Argument),
            // Body fields come after the parameters, which took `id` and (renamed) `send`.
            ("name", body_field("name"), Required, Argument),
            ("note", body_field("note"), RequiredNullable, Argument),
            ("send_2", InputTarget::Param(1), Optional, Setter),
            (
                "label",
                body_field("label"),
                OptionalNullable,
                // `label_null` is a field's name; the null setter is the one renamed.
                InputRole::NullableSetter {
                    null_setter: "label_null_2".to_owned()
                }
            ),
            ("label_null", body_field("label_null"), Optional, Setter),
            ("file", body_field("file"), Optional, Setter),
            ("tags", body_field("tags"), Optional, Setter),
            ("meta", body_field("meta"), Optional, Setter),
        ]
    );
    let wire: Vec<Option<&str>> = operation
        .inputs
        .iter()
        .map(|input| input.wire_name.as_deref())
        .collect();
    assert_eq!(wire[3], Some("send"));

    // The multipart parts: a file, text, one part per item, and JSON for an object.
    let body = operation.body.as_ref().expect("a body");
    assert!(body.by_field);
    let kinds: Vec<(PartKind, bool)> = body
        .parts
        .iter()
        .map(|p| (p.kind.clone(), p.repeated))
        .collect();
    assert_eq!(
        kinds,
        [
            (PartKind::Text, false),
            (PartKind::Text, false),
            (PartKind::Text, false),
            (PartKind::Text, false),
            (PartKind::Text, false),
            (PartKind::File, false),
            (PartKind::Text, true),
            (PartKind::Json, false),
        ]
    );
}

#[test]
fn error_fields_come_from_the_hint_or_the_error_schema_with_documented_defaults() {
    let document = |hint: &str, error_schema: &str| {
        format!(
            r#"openapi: 3.0.3
info: {{title: T, version: '1'}}
{hint}paths:
  /a:
    get:
      responses:
        '204': {{description: ok}}
        default:
          description: failure
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Failure'}}
components:
  schemas:
    Failure: {error_schema}
"#
        )
    };
    let fields =
        |message: Option<&str>, error_type: Option<&str>, code: Option<&str>| ErrorFields {
            message: message.map(str::to_owned),
            error_type: error_type.map(str::to_owned),
            param: None,
            code: code.map(str::to_owned),
        };
    // An `error` object holding the members: the same pointers as the default.
    let envelope = "{type: object, properties: {error: {type: object, properties: {message: {type: string}, type: {type: string}, param: {type: string}, code: {type: string}}}}}";
    assert_eq!(
        api(&document("", envelope)).error_fields,
        ErrorFields::default()
    );
    // A problem document (RFC 9457): its `detail` and `type`.
    let problem = "{type: object, properties: {type: {type: string}, title: {type: string}, detail: {type: string}}}";
    assert_eq!(
        api(&document("", problem)).error_fields,
        fields(Some("/detail"), Some("/type"), None)
    );
    // Nothing recognizable: the defaults.
    let opaque = "{type: object, properties: {oops: {type: string}}}";
    assert_eq!(
        api(&document("", opaque)).error_fields,
        ErrorFields::default()
    );
    // The hint wins member by member; `null` turns one off.
    let hint = "x-sdk-error-fields: {message: /errors/0/text, type: null}\n";
    assert_eq!(
        api(&document(hint, problem)).error_fields,
        fields(Some("/errors/0/text"), None, None)
    );
    let error = rejected(&document(
        "x-sdk-error-fields: {message: error.message}\n",
        opaque,
    ));
    assert_eq!(error.pointer, "#/x-sdk-error-fields/message");
    let error = rejected(&document("x-sdk-error-fields: {reason: /reason}\n", opaque));
    assert_eq!(error.pointer, "#/x-sdk-error-fields/reason");
}

const SHOP: &str = r#"
openapi: 3.0.3
info: {title: Shop, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [Pet Store]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/PetList'}}}}
        default: {$ref: '#/components/responses/Problem'}
  /orders/{id}:
    get:
      operationId: getOrder
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}}
        default: {$ref: '#/components/responses/Problem'}
  /health:
    get:
      operationId: ping
      x-sdk-feature: cli
      responses:
        '204': {description: alive}
        default: {$ref: '#/components/responses/Problem'}
components:
  responses:
    Problem: {description: failed, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
  schemas:
    Pet: {type: object, properties: {name: {type: string}, tag: {$ref: '#/components/schemas/Tag'}}}
    Tag: {type: string, enum: [small, large]}
    PetList: {type: object, properties: {data: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}
    Order: {type: object, properties: {pet: {$ref: '#/components/schemas/Pet'}}}
    Problem: {type: object, properties: {message: {type: string}}}
    Orphan: {type: object, properties: {note: {type: string}}}
"#;

#[test]
fn features_group_operations_and_gate_the_types_they_reach() {
    let api = api(SHOP);
    let names: Vec<&str> = api.features.iter().map(|f| f.name.as_str()).collect();
    // The tag, the first resource, the hint (a reserved name, suffixed), and the types
    // nothing reaches.
    assert_eq!(names, ["cli-api", "orders", "other-types", "pet-store"]);
    let docs: Vec<&str> = api.features.iter().map(|f| f.docs.as_str()).collect();
    assert_eq!(
        docs,
        [
            "Operations marked `x-sdk-feature` (1)",
            "Operations under `client.orders()` (1)",
            "Types of the description that no operation uses (off by default)",
            "Operations tagged `Pet Store` (1)",
        ]
    );
    let defaults: Vec<bool> = api.features.iter().map(|f| f.default).collect();
    assert_eq!(defaults, [true, true, false, true]);
    let gate = |operation_id: &str| {
        let operation = api
            .operations
            .iter()
            .find(|op| op.id == operation_id)
            .expect("the operation");
        operation.gate.clone()
    };
    assert_eq!(gate("listPets"), ["pet-store"]);
    assert_eq!(gate("getOrder"), ["orders"]);
    assert_eq!(gate("ping"), ["cli-api"]);
    // Reached through fields and array items; shared types compile with either feature, and
    // the error every operation uses always compiles.
    assert_eq!(find(&api, "PetList").gate, ["pet-store"]);
    assert_eq!(find(&api, "Order").gate, ["orders"]);
    assert_eq!(find(&api, "Pet").gate, ["orders", "pet-store"]);
    assert_eq!(find(&api, "Tag").gate, ["orders", "pet-store"]);
    assert!(find(&api, "Problem").gate.is_empty());
    assert_eq!(find(&api, "Orphan").gate, ["other-types"]);
    let resource = &api.client.children[0];
    assert_eq!(resource.gate(&api.operations), ["pet-store"]);
}

#[test]
fn features_are_off_with_one_group_or_when_the_description_says_so() {
    let off = SHOP.replacen("paths:", "x-sdk-features: false\npaths:", 1);
    let without = api(&off);
    assert!(without.features.is_empty());
    assert!(without.operations.iter().all(|op| op.gate.is_empty()));
    assert!(without.types.iter().all(|def| def.gate.is_empty()));

    let one_group = api(&SHOP
        .replace("x-sdk-feature: cli", "x-sdk-feature: orders")
        .replace("tags: [Pet Store]", "x-sdk-feature: orders"));
    assert!(one_group.features.is_empty());
    assert!(one_group.types.iter().all(|def| def.gate.is_empty()));

    let bad = SHOP.replacen("paths:", "x-sdk-features: sometimes\npaths:", 1);
    let error = rejected(&bad);
    assert_eq!(error.pointer, "#/x-sdk-features", "{error}");
    assert!(error.reason.contains("expected `false`"), "{error}");
}

#[test]
fn a_crate_name_is_never_a_keyword() {
    let titled = |title: &str| {
        api(&format!(
            "openapi: 3.0.3\ninfo: {{title: '{title}', version: '1'}}\npaths: {{}}\n"
        ))
        .crate_name
    };
    assert_eq!(titled("$ref"), "ref-api");
    assert_eq!(titled("Type"), "type-api");
    assert_eq!(titled("Self"), "self-api");
    assert_eq!(titled("Pet Store"), "pet-store");
    let error = rejected(
        "openapi: 3.0.3\ninfo: {title: T, version: '1', x-sdk-crate-name: async}\npaths: {}\n",
    );
    assert_eq!(error.pointer, "#/info/x-sdk-crate-name");
    assert_eq!(
        error.reason,
        "`async` is a Rust keyword, which Cargo refuses as a package name"
    );
}

#[test]
fn more_groups_than_crates_io_accepts_turn_features_off_with_a_warning() {
    let paths = |groups: usize| {
        (0..groups)
            .map(|i| format!("  /g{i}:\n    get:\n      operationId: get{i}\n      responses: {{'204': {{description: ok}}}}\n"))
            .collect::<String>()
    };
    let spec = |groups: usize| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: Wide, version: '1'}}\npaths:\n{}",
            paths(groups)
        )
    };
    let at_the_limit = api(&spec(super::features::MAX_FEATURES));
    assert_eq!(at_the_limit.features.len(), super::features::MAX_FEATURES);

    let beyond = spec(super::features::MAX_FEATURES + 1);
    assert!(api(&beyond).features.is_empty());
    assert!(api(&beyond).operations.iter().all(|op| op.gate.is_empty()));
    let warnings = diagnostics(&beyond);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].pointer, "#");
    assert!(warnings[0].reason.starts_with(
        "301 top-level groups of operations are more Cargo features than crates.io accepts (300)"
    ));
}

#[test]
fn a_type_made_for_a_property_links_to_its_field_instead_of_repeating_its_description() {
    let api = api(r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Image:
      type: object
      properties:
        background:
          description: The background of the image.
          type: string
          enum: [transparent, opaque]
          default: opaque
        sizes:
          type: array
          items: {description: One size., type: string, enum: [small, large]}
"#);
    let background = find(&api, "ImageBackground");
    assert_eq!(background.docs, None);
    assert_eq!(
        background.field_of,
        Some(("Image".to_owned(), "background".to_owned()))
    );
    let field = &fields(find(&api, "Image"))[0];
    assert_eq!(
        field.origin,
        "#/components/schemas/Image/properties/background"
    );
    assert_eq!(
        field.docs.as_deref(),
        Some(
            "The background of the image.\n\nDefaults to `\"opaque\"` on the server when not sent."
        )
    );
    // An item's schema is not the field's: it keeps its own description.
    let item = find(&api, "ImageSizes");
    assert_eq!(item.docs.as_deref(), Some("One size."));
    assert_eq!(item.field_of, None);
}

#[test]
fn types_and_operations_are_filed_by_feature_under_names_that_cannot_clash() {
    let api = api(r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /operations:
    get:
      operationId: listOperations
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Op'}}}}
  /shared:
    get:
      operationId: listShared
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Both'}}}}
  /mod:
    get:
      operationId: getMod
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Both'}}}}
components:
  schemas:
    Op: {type: object, properties: {both: {$ref: '#/components/schemas/Both'}}}
    Both: {type: object, properties: {id: {type: string}}}
    Lonely: {type: object, properties: {id: {type: string}}}
"#);
    let files: Vec<(&str, &TypeModuleKind, &[String], Vec<&str>)> = api
        .type_modules
        .iter()
        .map(|module| {
            let names = module
                .types
                .iter()
                .map(|&i| api.types[i].name.as_str())
                .collect();
            (module.name.as_str(), &module.kind, &module.gate[..], names)
        })
        .collect();
    let feature = |name: &str| TypeModuleKind::Feature(name.to_owned());
    assert_eq!(
        files,
        [
            (
                "operations_2",
                &feature("operations"),
                &["operations".to_owned()][..],
                vec!["Op"]
            ),
            (
                "other_types",
                &feature("other-types"),
                &["other-types".to_owned()][..],
                vec!["Lonely"]
            ),
            ("common", &TypeModuleKind::Common, &[][..], vec!["Both"]),
        ]
    );
    let operation_files: Vec<(&str, Vec<&str>)> = api
        .operation_modules
        .iter()
        .map(|module| {
            let ids = module
                .operations
                .iter()
                .map(|&i| api.operations[i].id.as_str())
                .collect();
            (module.name.as_str(), ids)
        })
        .collect();
    assert_eq!(
        operation_files,
        [
            ("mod_2", vec!["getMod"]),
            ("operations_2", vec!["listOperations"]),
            ("shared", vec!["listShared"]),
        ]
    );
}

#[test]
fn a_crate_version_that_is_not_semver_is_a_located_error() {
    let error = rejected(
        "openapi: 3.0.3\ninfo: {title: t, version: '1', x-sdk-crate-version: not-semver}\npaths: {}\n",
    );
    assert_eq!(error.pointer, "#/info/x-sdk-crate-version");
    assert!(
        error
            .reason
            .starts_with("`not-semver` is not a crate version such as `0.1.0`: "),
        "{}",
        error.reason
    );
    let api = api("openapi: 3.0.3\ninfo: {title: t, version: '1', x-sdk-crate-version: 2.0.0-beta.1}\npaths: {}\n");
    assert_eq!(api.crate_version, "2.0.0-beta.1");
}

#[test]
fn an_alias_of_itself_is_any_json_value_with_a_warning() {
    let yaml = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /things:
    get:
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Holder'}}}}}
components:
  schemas:
    Holder:
      type: object
      properties:
        a: {$ref: '#/components/schemas/Itself'}
        b: {$ref: '#/components/schemas/ListOfItself'}
        c: {$ref: '#/components/schemas/Ping'}
        d: {$ref: '#/components/schemas/Fine'}
    Itself: {allOf: [{$ref: '#/components/schemas/Itself'}]}
    ListOfItself: {type: array, items: {$ref: '#/components/schemas/ListOfItself'}}
    Ping: {allOf: [{$ref: '#/components/schemas/Pong'}]}
    Pong: {type: array, items: {$ref: '#/components/schemas/Ping'}}
    Fine: {type: array, items: {$ref: '#/components/schemas/Holder'}}
"#;
    let api = api(yaml);
    for name in ["Itself", "ListOfItself", "Ping", "Pong"] {
        assert_eq!(
            find(&api, name).kind,
            TypeKind::Alias(TypeRef::Json),
            "{name}"
        );
    }
    // An alias that reaches a struct holds a type of its own: no cycle of aliases.
    assert_eq!(
        find(&api, "Fine").kind,
        TypeKind::Alias(TypeRef::Array(Box::new(TypeRef::Named("Holder".into()))))
    );
    let warned: Vec<String> = diagnostics(yaml).into_iter().map(|d| d.pointer).collect();
    assert_eq!(
        warned,
        [
            "#/components/schemas/Itself",
            "#/components/schemas/ListOfItself",
            "#/components/schemas/Ping",
            "#/components/schemas/Pong",
        ]
    );
}

#[test]
fn modules_and_features_from_any_tag_are_short_ascii_names() {
    let long = "Ünïcödé résumé ".repeat(30);
    let yaml = format!(
        r#"
openapi: 3.0.3
info: {{title: T, version: '1'}}
paths:
  /a:
    get:
      tags: ['{long}']
      operationId: getA
      responses: {{'204': {{description: none}}}}
  /b:
    get:
      tags: ['用户']
      operationId: getB
      responses: {{'204': {{description: none}}}}
  /c:
    get:
      tags: [plain]
      operationId: getC
      responses: {{'204': {{description: none}}}}
"#
    );
    let api = api(&yaml);
    let modules: Vec<&str> = api
        .operation_modules
        .iter()
        .map(|module| module.name.as_str())
        .collect();
    let features: Vec<&str> = api.features.iter().map(|f| f.name.as_str()).collect();
    for name in modules.iter().chain(&features) {
        assert!(
            name.len() <= naming::MAX_MODULE_NAME && name.is_ascii(),
            "{name:?} in {modules:?} / {features:?}"
        );
    }
    assert!(modules.contains(&"plain") && features.contains(&"plain"));
    assert_eq!(modules.len(), 3, "{modules:?}");
}

const WEBHOOKS: &str = r#"
openapi: 3.1.0
info: {title: Hooks, version: '1'}
paths:
  /ping:
    get:
      tags: [Webhooks]
      responses: {'204': {description: pong}}
webhooks:
  order.paid:
    post:
      description: Sent when an order is paid.
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [type, order]
              properties:
                type: {const: order.paid}
                order: {type: string}
  order_refunded:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/OrderRefundedEvent'}
  order_shipped:
    post:
      summary: Sent when an order ships (the event as a response, as some 3.0 descriptions write it).
      responses:
        '200':
          description: The event.
          content:
            application/json:
              schema:
                type: object
                required: [type]
                properties:
                  type: {const: order.shipped}
  form_only:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {a: {type: string}}}
  by_ref: {$ref: '#/components/pathItems/Hook'}
components:
  schemas:
    OrderRefundedEvent:
      type: object
      required: [type]
      properties:
        type: {type: string, enum: [order.refunded]}
"#;

#[test]
fn webhooks_make_one_event_type_and_a_webhook_that_cannot_be_typed_is_left_out() {
    let document = crate::load::parse(WEBHOOKS).expect("parses");
    let (api, warnings) = build(&document, &Settings::default()).expect("builds");
    let webhooks = api.webhooks.as_ref().expect("webhooks");
    assert_eq!(webhooks.event_type, "WebhookEvent");
    let events: Vec<(&str, &str, &str)> = webhooks
        .events
        .iter()
        .map(|event| {
            let TypeRef::Named(payload) = &event.payload else {
                panic!("a named payload: {event:?}")
            };
            (
                event.name.as_str(),
                event.variant.as_str(),
                payload.as_str(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            ("order.paid", "OrderPaid", "OrderPaid"),
            ("order_refunded", "OrderRefunded", "OrderRefundedEvent"),
            ("order_shipped", "OrderShipped", "OrderShipped"),
        ]
    );
    assert_eq!(
        webhooks.events[0].docs.as_deref(),
        Some("Sent when an order is paid.")
    );
    assert_eq!(webhooks.events[0].origin, "#/webhooks/order.paid/post");
    // Tagged by the member each payload fixes, so an unknown event decodes as `Unknown`.
    let TypeKind::Union(union) = &find(&api, "WebhookEvent").kind else {
        panic!("a union")
    };
    assert_eq!(union.tag.as_deref(), Some("type"));
    // The defaults: the secret's variable from the crate name, five minutes either way.
    assert_eq!(
        (webhooks.secret_env.as_str(), webhooks.tolerance_seconds),
        ("HOOKS_WEBHOOK_SECRET", 300)
    );
    // The payloads are reached by the `webhooks` feature, beside the operations' own.
    assert_eq!(webhooks.gate, ["webhooks"]);
    assert_eq!(find(&api, "OrderRefundedEvent").gate, ["webhooks"]);
    assert_eq!(api.operations[0].gate, ["webhooks-api"]);
    assert!(api.client.children.iter().all(|c| c.accessor != "webhooks"));
    let found: Vec<(&str, &str)> = warnings
        .iter()
        .map(|w| (w.pointer.as_str(), w.reason.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "#/webhooks/by_ref",
                "a webhook given by `$ref` is not supported; the webhook is left out"
            ),
            (
                "#/webhooks/form_only",
                "the webhook has no operation with a JSON request body (or, without a body, a \
                 JSON success response), the event it sends; the webhook is left out"
            ),
        ]
    );
}

#[test]
fn the_webhooks_hint_sets_the_secret_variable_and_tolerance_or_turns_them_off() {
    let hinted = WEBHOOKS.replace(
        "paths:",
        "x-sdk-webhooks: {secret-env: HOOK_KEY, tolerance: 60, scheme: standard-webhooks}\npaths:",
    );
    let api = api(&hinted);
    let webhooks = api.webhooks.as_ref().expect("webhooks");
    assert_eq!(
        (webhooks.secret_env.as_str(), webhooks.tolerance_seconds),
        ("HOOK_KEY", 60)
    );
    let off = WEBHOOKS.replace("paths:", "x-sdk-webhooks: false\npaths:");
    let api = self::api(&off);
    assert!(api.webhooks.is_none());
    // Without webhooks, the one group of operations makes no features.
    assert!(api.features.is_empty());
    for (hint, pointer, reason) in [
        (
            "{scheme: hmac}",
            "#/x-sdk-webhooks/scheme",
            "the only signature scheme is `standard-webhooks`",
        ),
        (
            "{secret-env: 'a b'}",
            "#/x-sdk-webhooks/secret-env",
            "expected the name of an environment variable (letters, digits and `_`)",
        ),
        (
            "{tolerance: -1}",
            "#/x-sdk-webhooks/tolerance",
            "expected a whole number of seconds",
        ),
        (
            "{secret: x}",
            "#/x-sdk-webhooks/secret",
            "unknown key `secret`: expected `scheme`, `secret-env` or `tolerance`",
        ),
    ] {
        let error =
            rejected(&WEBHOOKS.replace("paths:", &format!("x-sdk-webhooks: {hint}\npaths:")));
        assert_eq!(
            (error.pointer.as_str(), error.reason.as_str()),
            (pointer, reason)
        );
    }
}

#[test]
fn a_3_0_description_lists_its_webhooks_as_x_webhooks() {
    let yaml = WEBHOOKS
        .replace("openapi: 3.1.0", "openapi: 3.0.3")
        .replace("\nwebhooks:", "\nx-webhooks:")
        .replace(
            "type: {const: order.paid}",
            "type: {type: string, enum: [order.paid]}",
        );
    let document = crate::load::parse(&yaml).expect("parses");
    let (api, warnings) = build(&document, &Settings::default()).expect("builds");
    let webhooks = api.webhooks.as_ref().expect("webhooks");
    assert_eq!(webhooks.events.len(), 3);
    assert_eq!(
        webhooks.events[1].origin,
        "#/x-webhooks/order_refunded/post"
    );
    assert_eq!(warnings[1].pointer, "#/x-webhooks/form_only");
}

const OPENAPI_3_2: &str = r##"
openapi: 3.2.0
info: {title: Fleet, version: '1'}
x-sdk-naming: operation-id
tags:
  - {name: Fleet}
  - {name: Devices, parent: Fleet}
  - {name: Readings, parent: Devices, kind: nav}
  - {name: Beta, kind: badge}
paths:
  /devices:
    query:
      operationId: findDevices
      tags: [Beta, Devices]
      responses:
        '200':
          description: Found.
          content:
            application/jsonl:
              itemSchema: {$ref: '#/components/schemas/Device'}
    additionalOperations:
      PURGE:
        operationId: purgeDevices
        tags: [Devices]
        responses: {'204': {description: Purged.}}
      GET:
        operationId: listDevices
        responses: {'200': {description: Listed.}}
      'BAD METHOD':
        operationId: bad
        responses: {'200': {description: Bad.}}
  /readings:
    get:
      operationId: streamReadings
      tags: [Readings]
      parameters:
        - name: filter
          in: querystring
          content:
            application/x-www-form-urlencoded:
              schema:
                type: object
                properties: {sensor: {type: string}}
      responses:
        '200':
          description: Readings and notices.
          content:
            text/event-stream:
              itemSchema:
                type: object
                properties:
                  data: {type: string}
                oneOf:
                  - properties:
                      event: {const: reading}
                      data:
                        contentMediaType: application/json
                        contentSchema: {$ref: '#/components/schemas/Reading'}
                  - properties:
                      event: {const: notice}
  /images:
    get:
      operationId: images
      tags: [Devices]
      responses:
        '200':
          description: An image per part.
          content:
            multipart/mixed:
              itemSchema: {type: string, format: binary}
    post:
      operationId: uploadImage
      tags: [Devices]
      requestBody:
        content:
          application/json:
            itemSchema: {type: string}
      responses: {'204': {description: Uploaded.}}
components:
  schemas:
    Device:
      type: object
      properties: {id: {type: string}}
    Reading:
      type: object
      properties: {value: {type: number}}
    Shape:
      oneOf:
        - $ref: '#/components/schemas/Square'
        - $ref: '#/components/schemas/OtherShape'
      discriminator:
        propertyName: kind
        mapping: {square: '#/components/schemas/Square'}
        defaultMapping: OtherShape
    Square:
      type: object
      required: [kind]
      properties: {kind: {const: square}, side: {type: number}}
    OtherShape:
      type: object
      properties: {kind: {type: string}}
"##;

#[test]
fn openapi_3_2_additions_are_operations_streams_and_nested_resources() {
    let tree = crate::load::read_tree(OPENAPI_3_2).expect("reads");
    let loaded = crate::load::from_tree(tree).expect("loads");
    let (api, mut warnings) = build(&loaded.document, &Settings::default()).expect("builds");
    warnings.extend(loaded.warnings);
    loaded.source_map.locate_in_source(&mut warnings);
    let operations: Vec<(&str, String, &str)> = api
        .operations
        .iter()
        .map(|op| {
            (
                op.method.as_str(),
                op.resource.join("."),
                op.method_name.as_str(),
            )
        })
        .collect();
    // `query` and the other methods are operations; tags nest as their parents do, and a
    // badge groups nothing.
    assert_eq!(
        operations,
        [
            ("PURGE", "fleet.devices".to_owned(), "purge_devices"),
            ("QUERY", "fleet.devices".to_owned(), "find_devices"),
            (
                "GET",
                "fleet.devices.readings".to_owned(),
                "stream_readings"
            ),
            ("GET", "fleet.devices".to_owned(), "images"),
            ("POST", "fleet.devices".to_owned(), "upload_image"),
        ]
    );
    assert_eq!(
        api.operations[1].response,
        ResponseKind::Sequence {
            item: Some(TypeRef::Named("Device".into())),
            format: SequenceFormat::JsonLines,
        }
    );
    assert_eq!(
        api.operations[1].accept.as_deref(),
        Some("application/jsonl")
    );
    // An event's data: the union of what the members encode (the base's string for one
    // that says nothing of its data).
    let ResponseKind::EventStream(TypeRef::Named(event)) = &api.operations[2].response else {
        panic!("events: {:?}", api.operations[2].response)
    };
    let TypeKind::Union(union) = &find(&api, event).kind else {
        panic!("a union")
    };
    let members: Vec<&TypeRef> = union.variants.iter().map(|v| &v.ty).collect();
    assert_eq!(
        members,
        [&TypeRef::Named("Reading".into()), &TypeRef::String]
    );
    // A form-encoded query string is an object whose members are the query's pairs.
    let filter = &api.operations[2].params[0];
    assert_eq!(
        (filter.location, filter.form),
        (ParamLocation::Query, ParamForm::Object(ObjectFormat::Form))
    );
    // Parts that are not JSON come as they are.
    assert_eq!(
        api.operations[3].response,
        ResponseKind::Sequence {
            item: None,
            format: SequenceFormat::Multipart,
        }
    );
    let TypeKind::Union(shape) = &find(&api, "Shape").kind else {
        panic!("a union")
    };
    assert_eq!(shape.default.as_deref(), Some("OtherShape"));
    // What cannot be read is left out where 3.2 wrote it.
    let found: Vec<(&str, &str)> = warnings
        .iter()
        .map(|w| (w.pointer.as_str(), w.reason.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "#/paths/~1devices/additionalOperations/BAD METHOD",
                "`BAD METHOD` is not an HTTP method name; the operation `BAD METHOD /devices` is left out"
            ),
            (
                "#/paths/~1devices/additionalOperations/GET",
                "`GET` has a field of its own (`get`), not a place in `additionalOperations`; the operation `GET /devices` is left out"
            ),
            (
                "#/paths/~1images/post/requestBody/content/application~1json/itemSchema",
                "`itemSchema` describes the items of a sequential media type, which `application/json` is not; ignored"
            ),
        ]
    );
}

#[test]
fn the_idempotency_hint_names_the_header_and_the_methods() {
    let with = |hint: &str| {
        PETS.replacen(
            "openapi: 3.0.3\n",
            &format!("openapi: 3.0.3\nx-sdk-idempotency: {hint}\n"),
            1,
        )
    };
    assert_eq!(api(PETS).idempotency, None);
    assert_eq!(
        api(&with("Idempotency-Key")).idempotency,
        Some(Idempotency {
            header: "Idempotency-Key".into(),
            methods: vec!["POST".into(), "PUT".into(), "PATCH".into(), "DELETE".into()],
        })
    );
    assert_eq!(
        api(&with("{header: X-Request-Key, methods: [post]}")).idempotency,
        Some(Idempotency {
            header: "X-Request-Key".into(),
            methods: vec!["POST".into()],
        })
    );
    let refused = |hint: &str| {
        let error = rejected(&with(hint));
        (error.pointer, error.reason)
    };
    assert_eq!(
        refused("{header: Idempotency-Key, methods: POST}"),
        (
            "#/x-sdk-idempotency/methods".to_owned(),
            "expected a list of HTTP methods".to_owned()
        )
    );
    assert_eq!(
        refused("{header: 'two words'}"),
        (
            "#/x-sdk-idempotency".to_owned(),
            "`two words` is not a header name".to_owned()
        )
    );
    assert_eq!(
        refused("{name: Idempotency-Key}"),
        (
            "#/x-sdk-idempotency/name".to_owned(),
            "expected `header` or `methods`".to_owned()
        )
    );
}

#[test]
fn a_client_credentials_flow_is_a_client_id_and_secret_with_scopes_per_operation() {
    let yaml = r#"
openapi: 3.0.3
info: {title: T, version: '1', x-sdk-crate-name: acme-api}
security: [{Partner: [read]}]
paths:
  /a:
    get:
      responses: {'204': {description: ok}}
    post:
      security: [{Partner: [read, write], Key: []}, {Partner: [admin]}, {Key: []}]
      responses: {'204': {description: ok}}
    delete:
      security: [{Partner: []}, {Partner: [admin]}]
      responses: {'204': {description: ok}}
components:
  securitySchemes:
    Partner:
      type: oauth2
      flows:
        authorizationCode: {authorizationUrl: /authorize, tokenUrl: /token, scopes: {}}
        clientCredentials: {tokenUrl: 'https://auth.acme.test/token', scopes: {read: r, write: w, admin: a}}
    Key: {type: apiKey, in: header, name: X-Key}
    Nobody:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: '', scopes: {}}}
"#;
    let api = api(yaml);
    let partner = &api.credentials[0];
    assert_eq!(
        (
            partner.setter.as_str(),
            partner.env.as_deref(),
            partner.password_env.as_deref()
        ),
        (
            "partner",
            Some("ACME_PARTNER_CLIENT_ID"),
            Some("ACME_PARTNER_CLIENT_SECRET")
        )
    );
    assert_eq!(
        partner.scheme,
        CredentialScheme::ClientCredentials {
            token_url: "https://auth.acme.test/token".to_owned(),
            token_url_setter: "partner_token_url".to_owned(),
        }
    );
    let scopes: Vec<(&str, &Scopes)> = api
        .operations
        .iter()
        .map(|operation| (operation.method.as_str(), &operation.scopes))
        .collect();
    let owned = |names: &[&str]| {
        names
            .iter()
            .map(|name| name.to_string())
            .collect::<Vec<_>>()
    };
    // The first alternative naming the credential gives its scopes; none is no `scope`.
    assert_eq!(
        scopes,
        [
            ("GET", &vec![(0, owned(&["read"]))]),
            ("POST", &vec![(0, owned(&["read", "write"]))]),
            ("DELETE", &vec![]),
        ]
    );

    // The API's only scheme: `client_credentials`, from `<PREFIX>_CLIENT_ID` and `_SECRET`.
    let only = yaml
        .replace("Partner: [read, write], Key: []", "Partner: [read]")
        .replace("{Key: []}", "{Partner: []}");
    let api = self::api(&only);
    let credential = &api.credentials[0];
    assert_eq!(
        (
            credential.setter.as_str(),
            credential.env.as_deref(),
            credential.password_env.as_deref()
        ),
        (
            "client_credentials",
            Some("ACME_CLIENT_ID"),
            Some("ACME_CLIENT_SECRET")
        )
    );

    // A flow without a token URL takes a bearer token, with a warning where the URL is missing.
    let without = yaml.replace("{Key: []}]", "{Nobody: []}]");
    let found = diagnostics(&without);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].pointer,
        "#/components/securitySchemes/Nobody/flows/clientCredentials/tokenUrl"
    );
    assert_eq!(
        self::api(&without).credentials[2].scheme,
        CredentialScheme::Bearer
    );
}
