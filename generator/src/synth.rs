//! Synthetic OpenAPI descriptions of any size, for benchmarks and scaling tests.
//!
//! [`synthetic_spec`] writes a valid OpenAPI 3.0.3 document in YAML with a given number of
//! operations and component schemas. The output depends only on the two numbers (no clock, no
//! randomness, no hash order), so a benchmark or a test that uses it is reproducible.
//!
//! # Shape
//! Operations come in resources of five, cycling through this list until `operations` are
//! written (the last resource may be partial):
//!
//! | operation | method and path | exercises |
//! |---|---|---|
//! | `listResource{r}` | `GET /resource{r}/items` | query `limit`, `after`, `order` (enum), `status` (enum array); a paginated list response (`data`, `has_more`, `first_id`, `last_id`) |
//! | `createResource{r}` | `POST /resource{r}/items` | an inline JSON body with a nested object, an enum, a map, a nullable field and a `$ref` |
//! | `getResource{r}` | `GET /resource{r}/items/{item_id}` | a path parameter and an `include[]` enum-array query parameter |
//! | `updateResource{r}` | `POST /resource{r}/items/{item_id}` | a path parameter and a body that is a `$ref` to a component |
//! | `deleteResource{r}` | `DELETE /resource{r}/items/{item_id}` | a small inline response object |
//!
//! Even resources are placed with `x-sdk-resource` / `x-sdk-method`, odd ones by their tag and
//! operationId, so both placement rules are exercised.
//!
//! Component schemas are `Model{i}` for `i` in `0..schemas`, each an object of about a dozen
//! properties: strings, `int32`, `int64` and `unixtime` integers, a number, a nullable string,
//! string enums, a string array, a map, a nested inline object (with its own enum and an array
//! of inline objects), a `$ref` to `Model{i / 2}`, an array of `Model{i - 1}`, and on every
//! tenth schema a nullable reference to itself (a recursive type). Descriptions
//! are sentence-length, as in real descriptions, so the size of the text grows like a real
//! document's: `synthetic_spec(300, 1400)` is about 3.5 MB.
//!
//! With `schemas == 0` the operations use inline objects instead of references.

pub mod hostile;

use std::fmt::Write as _;

/// A deterministic OpenAPI 3.0.3 description (YAML) with `operations` operations and `schemas`
/// component schemas; see the [module documentation](self) for its shape.
pub fn synthetic_spec(operations: usize, schemas: usize) -> String {
    let mut out = String::with_capacity(2_500 * schemas + 3_000 * operations + 1_000);
    header(&mut out);
    out.push_str("paths:");
    if operations == 0 {
        out.push_str(" {}");
    }
    out.push('\n');
    let resources = operations.div_ceil(OPERATIONS_PER_RESOURCE);
    for resource in 0..resources {
        let first = resource * OPERATIONS_PER_RESOURCE;
        let count = OPERATIONS_PER_RESOURCE.min(operations - first);
        paths(&mut out, resource, count, schemas);
    }
    components(&mut out, schemas);
    out
}

const OPERATIONS_PER_RESOURCE: usize = 5;

/// A sentence of filler, so that descriptions are as long as real ones.
const PROSE: &str = "This value is returned by the API exactly as stored; clients should treat \
unknown values with care and never rely on the order of fields.";

fn header(out: &mut String) {
    out.push_str(
        "\
openapi: 3.0.3
info:
  title: Synthetic API
  description: |
    A generated description used to measure the generator. Every operation and schema follows
    the same few patterns, repeated with different names.
  version: 1.0.0
  x-sdk-crate-name: synthetic-api
servers:
  - url: https://api.example.com/v1
    description: The synthetic API.
    x-sdk-env: SYNTHETIC_BASE_URL
security:
  - ApiKeyAuth: []
x-sdk-query-array-format: brackets
",
    );
}

/// The item schema of resource `r`: a reference to a component, or inline without components.
fn item_schema(out: &mut String, indent: &str, resource: usize, schemas: usize) {
    if schemas == 0 {
        let _ = write!(
            out,
            "{indent}type: object\n\
             {indent}required: [id]\n\
             {indent}properties:\n\
             {indent}  id:\n\
             {indent}    type: string\n\
             {indent}  label:\n\
             {indent}    type: string\n\
             {indent}    nullable: true\n"
        );
    } else {
        let _ = writeln!(
            out,
            "{indent}$ref: \"#/components/schemas/Model{}\"",
            resource % schemas
        );
    }
}

fn placement(out: &mut String, resource: usize, method: &str) {
    if resource % 2 == 0 {
        let _ = write!(
            out,
            "      x-sdk-resource: group{}.resource{resource}\n      x-sdk-method: {method}\n",
            resource / 10
        );
    }
}

fn error_responses(out: &mut String, not_found: bool) {
    out.push_str("        \"400\":\n          $ref: \"#/components/responses/BadRequest\"\n");
    if not_found {
        out.push_str("        \"404\":\n          $ref: \"#/components/responses/NotFound\"\n");
    }
}

fn item_id_parameter(out: &mut String) {
    out.push_str(
        "      parameters:
        - name: item_id
          in: path
          required: true
          description: The identifier of the item.
          schema:
            type: string
",
    );
}

fn paths(out: &mut String, r: usize, count: usize, schemas: usize) {
    // Collection: list and create.
    let _ = writeln!(out, "  /resource{r}/items:");
    let _ = write!(
        out,
        "    get:
      operationId: listResource{r}
      tags: [Resource{r}]
      summary: List the items of resource {r}
      description: |
        Returns one page of the items of resource {r}, newest first unless `order` says
        otherwise. {PROSE}
"
    );
    placement(out, r, "list");
    let _ = write!(
        out,
        "      parameters:
        - name: limit
          in: query
          description: How many items to return, between 1 and 100.
          schema:
            type: integer
            minimum: 1
            maximum: 100
            default: 20
        - name: after
          in: query
          description: The cursor; the `last_id` of the previous page.
          schema:
            type: string
        - name: order
          in: query
          description: Sort order by creation time.
          schema:
            type: string
            enum: [asc, desc]
        - name: status
          in: query
          description: Only items in these states.
          schema:
            type: array
            items:
              type: string
              enum: [active, archived, pending]
      responses:
        \"200\":
          description: One page of items.
          content:
            application/json:
              schema:
                type: object
                description: A page of the items of resource {r}.
                required: [object, data, has_more, first_id, last_id]
                properties:
                  object:
                    type: string
                    enum: [list]
                  data:
                    type: array
                    items:
"
    );
    item_schema(out, "                      ", r, schemas);
    out.push_str(
        "                  has_more:
                    type: boolean
                  first_id:
                    type: string
                    nullable: true
                  last_id:
                    type: string
                    nullable: true
",
    );
    error_responses(out, false);
    if count < 2 {
        return;
    }
    let _ = write!(
        out,
        "    post:
      operationId: createResource{r}
      tags: [Resource{r}]
      summary: Create an item of resource {r}
      description: Creates an item. {PROSE}
"
    );
    placement(out, r, "create");
    let _ = write!(
        out,
        "      requestBody:
        required: true
        description: The item to create.
        content:
          application/json:
            schema:
              type: object
              required: [name, kind]
              properties:
                name:
                  type: string
                  description: The display name of the item.
                kind:
                  type: string
                  enum: [small, medium, large]
                  description: The size class of the item.
                note:
                  type: string
                  nullable: true
                  description: A free-form note; `null` clears it.
                metadata:
                  type: object
                  additionalProperties:
                    type: string
                  description: Up to 16 key-value pairs.
                settings:
                  type: object
                  description: Settings of the new item.
                  properties:
                    enabled:
                      type: boolean
                    threshold:
                      type: number
                      format: double
"
    );
    if schemas > 0 {
        let _ = write!(
            out,
            "                template:\n                  $ref: \"#/components/schemas/Model{}\"\n",
            (r * 3) % schemas
        );
    }
    out.push_str(
        "      responses:
        \"200\":
          description: The item created.
          content:
            application/json:
              schema:
",
    );
    item_schema(out, "                ", r, schemas);
    error_responses(out, false);
    if count < 3 {
        return;
    }

    // One item: retrieve, update, delete.
    let _ = writeln!(out, "  /resource{r}/items/{{item_id}}:");
    let _ = write!(
        out,
        "    get:
      operationId: getResource{r}
      tags: [Resource{r}]
      summary: Get an item of resource {r}
      description: Returns one item. {PROSE}
"
    );
    placement(out, r, "retrieve");
    item_id_parameter(out);
    out.push_str(
        "        - name: include
          in: query
          description: Extra fields to include in the response.
          schema:
            type: array
            items:
              type: string
              enum: [details, history]
      responses:
        \"200\":
          description: The item.
          content:
            application/json:
              schema:
",
    );
    item_schema(out, "                ", r, schemas);
    error_responses(out, true);
    if count < 4 {
        return;
    }
    let _ = write!(
        out,
        "    post:
      operationId: updateResource{r}
      tags: [Resource{r}]
      summary: Update an item of resource {r}
      description: Replaces the fields given. {PROSE}
"
    );
    placement(out, r, "update");
    item_id_parameter(out);
    out.push_str(
        "      requestBody:
        required: true
        content:
          application/json:
            schema:
",
    );
    item_schema(out, "              ", r, schemas);
    out.push_str(
        "      responses:
        \"200\":
          description: The item updated.
          content:
            application/json:
              schema:
",
    );
    item_schema(out, "                ", r, schemas);
    error_responses(out, true);
    if count < 5 {
        return;
    }
    let _ = write!(
        out,
        "    delete:
      operationId: deleteResource{r}
      tags: [Resource{r}]
      summary: Delete an item of resource {r}
      description: Deletes an item for good. {PROSE}
"
    );
    placement(out, r, "delete");
    item_id_parameter(out);
    out.push_str(
        "      responses:
        \"200\":
          description: The item was deleted.
          content:
            application/json:
              schema:
                type: object
                required: [id, deleted]
                properties:
                  id:
                    type: string
                  object:
                    type: string
                    enum: [item.deleted]
                  deleted:
                    type: boolean
",
    );
    error_responses(out, true);
}

fn components(out: &mut String, schemas: usize) {
    out.push_str(
        "components:
  securitySchemes:
    ApiKeyAuth:
      type: http
      scheme: bearer
      description: An API key, sent as a bearer token.
      x-sdk-credential:
        setter: api_key
        env: SYNTHETIC_API_KEY
  responses:
    BadRequest:
      description: The request was malformed.
      content:
        application/json:
          schema:
            $ref: \"#/components/schemas/ErrorResponse\"
    NotFound:
      description: No item has this identifier.
      content:
        application/json:
          schema:
            $ref: \"#/components/schemas/ErrorResponse\"
  schemas:
    ErrorResponse:
      type: object
      description: The envelope of every error response.
      required: [error]
      properties:
        error:
          type: object
          required: [message, type]
          properties:
            message:
              type: string
            type:
              type: string
            param:
              type: string
              nullable: true
            code:
              type: string
              nullable: true
",
    );
    for index in 0..schemas {
        schema(out, index);
    }
}

fn schema(out: &mut String, i: usize) {
    let _ = write!(
        out,
        "    Model{i}:
      type: object
      description: |
        Model number {i} of the synthetic API. {PROSE}
      required: [id, object, created_at, name, status]
      properties:
        id:
          type: string
          description: The identifier, which can be referenced in API endpoints.
        object:
          type: string
          enum: [model{i}]
          description: The object type, which is always `model{i}`.
        created_at:
          type: integer
          format: unixtime
          description: When the object was created, in Unix seconds.
        name:
          type: string
          nullable: true
          description: The name of the object; `null` when it has none.
        status:
          type: string
          enum: [active, archived, pending, failed]
          description: The state of the object.
        size_bytes:
          type: integer
          format: int64
        count:
          type: integer
          format: int32
        score:
          type: number
        labels:
          type: array
          items:
            type: string
        metadata:
          type: object
          additionalProperties:
            type: string
        details:
          type: object
          description: Details that depend on the kind of object.
          required: [kind]
          properties:
            kind:
              type: string
              enum: [basic, extended]
              description: Which details these are.
            steps:
              type: array
              description: The steps taken so far.
              items:
                type: object
                required: [name]
                properties:
                  name:
                    type: string
                  done:
                    type: boolean
"
    );
    if i > 0 {
        let _ = write!(
            out,
            "        owner:
          $ref: \"#/components/schemas/Model{}\"
        history:
          type: array
          description: Earlier versions of this object.
          items:
            $ref: \"#/components/schemas/Model{}\"
",
            i / 2,
            i - 1
        );
    }
    if i % 10 == 0 {
        let _ = write!(
            out,
            "        next:
          allOf:
            - $ref: \"#/components/schemas/Model{i}\"
          nullable: true
          description: The next object in the chain, if any.
"
        );
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::synthetic_spec;
    use crate::{generate_from_str, Settings};

    fn generate(operations: usize, schemas: usize) -> Vec<crate::GeneratedFile> {
        let text = synthetic_spec(operations, schemas);
        generate_from_str(
            &text,
            Path::new("synthetic.yaml"),
            "synthetic.yaml",
            &Settings::default(),
        )
        .unwrap_or_else(|error| panic!("synthetic_spec({operations}, {schemas}): {error}"))
        .files
    }

    /// The files under `dir`, one after the other (a module split by feature).
    fn module(files: &[crate::GeneratedFile], dir: &str) -> String {
        let text: String = files
            .iter()
            .filter(|f| f.path.starts_with(dir))
            .map(|f| f.contents.as_str())
            .collect();
        assert!(!text.is_empty(), "no files under {dir}");
        text
    }

    #[test]
    fn small_specs_generate() {
        for (operations, schemas) in [(0, 0), (1, 0), (3, 1), (5, 2), (7, 0), (10, 10), (23, 17)] {
            generate(operations, schemas);
        }
    }

    #[test]
    fn is_deterministic() {
        assert_eq!(synthetic_spec(12, 7), synthetic_spec(12, 7));
    }

    #[test]
    fn has_the_operations_and_schemas_asked_for() {
        let files = generate(10, 10);
        let operations = module(&files, "src/operations/");
        for r in 0..2 {
            for id in [
                "ListResource",
                "CreateResource",
                "GetResource",
                "UpdateResource",
            ] {
                assert!(
                    operations.contains(&format!("pub struct {id}{r} ")),
                    "{id}{r}"
                );
            }
            assert!(operations.contains(&format!("pub struct DeleteResource{r} ")));
        }
        assert!(!operations.contains("Resource2"));
        // Every list operation pages.
        assert_eq!(operations.matches("fn into_stream").count(), 2);
        let types = module(&files, "src/types/");
        for i in 0..10 {
            assert!(types.contains(&format!("pub struct Model{i} ")), "Model{i}");
        }
        assert!(!types.contains("pub struct Model10 "));
        // The self-reference of Model0 is boxed.
        assert!(types.contains("Box<Model0>"), "Model0.next is boxed");
    }

    #[test]
    fn target_size_is_about_three_megabytes() {
        let bytes = synthetic_spec(300, 1400).len();
        assert!((2_000_000..4_500_000).contains(&bytes), "{bytes} bytes");
    }
}
