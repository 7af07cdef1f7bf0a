//! `sdkgen diff`'s verdicts, one kind of change at a time and both ways: a description is
//! edited, both versions go through the generator's IR, and the report must list exactly the
//! change, marked as the crate's users feel it, with the version it needs.

use std::path::Path;

use sdkgen::changes::{Bump, Report};
use sdkgen::surface::Surface;
use sdkgen::Settings;

const BASE: &str = r##"
openapi: 3.0.3
info:
  title: Things
  version: "1"
  x-sdk-crate-version: 0.4.2
paths:
  /things:
    get:
      operationId: listThings
      tags: [things]
      parameters:
        - {name: color, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
  /things/{id}:
    get:
      operationId: getThing
      tags: [things]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        size: {type: integer, format: int32}
        kind: {type: string, enum: [big, small]}
"##;

fn surface(text: &str) -> Surface {
    let described = sdkgen::describe_from_str(text, Path::new("things.yaml"), &Settings::default())
        .unwrap_or_else(|error| panic!("the description is accepted: {error}"));
    Surface::of(&described.api)
}

fn edited(from: &str, to: &str) -> String {
    assert!(
        BASE.contains(from),
        "the base description contains {from:?}"
    );
    BASE.replacen(from, to, 1)
}

/// The report's change lines (without the headline), from `old` to `new`.
fn changes(old: &str, new: &str) -> (Vec<String>, Report) {
    let report = Report::between(&surface(old), &surface(new));
    let text = report.render(sdkgen::changes::Format::Text);
    let lines = text.lines().skip(1).map(str::to_owned).collect();
    (lines, report)
}

/// Checks the change from BASE to the edit and back.
fn both_ways(from: &str, to: &str, forward: &[&str], backward: &[&str]) {
    let changed = edited(from, to);
    let (lines, _) = changes(BASE, &changed);
    assert_eq!(lines, forward, "BASE → edit");
    let (lines, _) = changes(&changed, BASE);
    assert_eq!(lines, backward, "edit → BASE");
}

#[test]
fn an_operation_added_is_compatible_and_removed_is_breaking() {
    let without = BASE.replacen(
        "  /things/{id}:\n    get:\n      operationId: getThing",
        "  /things/{id}:\n    x-gone:\n      operationId: getThing",
        1,
    );
    let (lines, report) = changes(&without, BASE);
    assert_eq!(
        lines,
        [
            "  + compatible method client.things().retrieve(): `(id: String) -> operations::GetThing; send: types::Thing`",
            "               now #/paths/~1things~1{id}/get",
        ]
    );
    assert_eq!(report.bump, Bump::Minor);
    assert_eq!(report.required_version.as_deref(), Some("0.4.3"));
    let (lines, report) = changes(BASE, &without);
    assert_eq!(
        lines,
        [
            "  - breaking   method client.things().retrieve(): `(id: String) -> operations::GetThing; send: types::Thing`",
            "               was #/paths/~1things~1{id}/get",
        ]
    );
    assert_eq!(report.bump, Bump::Major);
    assert_eq!(report.required_version.as_deref(), Some("0.5.0"));
}

#[test]
fn an_optional_parameter_is_a_setter_added_or_removed() {
    both_ways(
        "        - {name: color, in: query, schema: {type: string}}\n",
        "        - {name: color, in: query, schema: {type: string}}\n        - {name: shape, in: query, schema: {type: string}}\n",
        &[
            "  + compatible setter client.things().list().shape(): `String`",
            "               now #/paths/~1things/get/parameters/1; not in #/paths/~1things/get",
        ],
        &[
            "  - breaking   setter client.things().list().shape(): `String`",
            "               was #/paths/~1things/get/parameters/1; gone from #/paths/~1things/get",
        ],
    );
}

#[test]
fn a_required_parameter_changes_the_methods_signature_both_ways() {
    both_ways(
        "        - {name: color, in: query, schema: {type: string}}",
        "        - {name: color, in: query, required: true, schema: {type: string}}",
        &[
            "  ~ breaking   method client.things().list(): `() -> operations::ListThings; send: types::Thing` → `(color: String) -> operations::ListThings; send: types::Thing`",
            "               at #/paths/~1things/get",
            "  - breaking   setter client.things().list().color(): `String`",
            "               was #/paths/~1things/get/parameters/0; gone from #/paths/~1things/get",
        ],
        &[
            "  ~ breaking   method client.things().list(): `(color: String) -> operations::ListThings; send: types::Thing` → `() -> operations::ListThings; send: types::Thing`",
            "               at #/paths/~1things/get",
            "  + compatible setter client.things().list().color(): `String`",
            "               now #/paths/~1things/get/parameters/0; not in #/paths/~1things/get",
        ],
    );
}

#[test]
fn a_parameters_type_changed_is_breaking_both_ways() {
    both_ways(
        "{name: color, in: query, schema: {type: string}}",
        "{name: color, in: query, schema: {type: integer, format: int64}}",
        &[
            "  ~ breaking   setter client.things().list().color(): `String` → `i64`",
            "               at #/paths/~1things/get/parameters/0",
        ],
        &[
            "  ~ breaking   setter client.things().list().color(): `i64` → `String`",
            "               at #/paths/~1things/get/parameters/0",
        ],
    );
}

#[test]
fn an_optional_field_added_is_compatible_and_removed_is_breaking() {
    both_ways(
        "        size: {type: integer, format: int32}\n",
        "        size: {type: integer, format: int32}\n        note: {type: string}\n",
        &[
            "  + compatible field types::Thing.note: `Option<String>`",
            "               now #/components/schemas/Thing/properties/note; not in #/components/schemas/Thing",
        ],
        &[
            "  - breaking   field types::Thing.note: `Option<String>`",
            "               was #/components/schemas/Thing/properties/note; gone from #/components/schemas/Thing",
        ],
    );
}

#[test]
fn a_required_field_added_or_removed_is_breaking() {
    both_ways(
        "      required: [id]\n      properties:\n",
        "      required: [id, note]\n      properties:\n        note: {type: string}\n",
        &[
            "  + breaking   field types::Thing.note: `String`; `new` takes it",
            "               now #/components/schemas/Thing/properties/note; not in #/components/schemas/Thing",
        ],
        &[
            "  - breaking   field types::Thing.note: `String`",
            "               was #/components/schemas/Thing/properties/note; gone from #/components/schemas/Thing",
        ],
    );
}

#[test]
fn a_field_becoming_required_or_optional_is_breaking_both_ways() {
    both_ways(
        "required: [id]",
        "required: [id, size]",
        &[
            "  ~ breaking   field types::Thing.size: `Option<i32>` → `i32`; now taken by `new`",
            "               at #/components/schemas/Thing/properties/size",
        ],
        &[
            "  ~ breaking   field types::Thing.size: `i32` → `Option<i32>`; no longer taken by `new`",
            "               at #/components/schemas/Thing/properties/size",
        ],
    );
}

#[test]
fn a_fields_type_changed_is_breaking_both_ways() {
    both_ways(
        "size: {type: integer, format: int32}",
        "size: {type: number}",
        &[
            "  ~ breaking   field types::Thing.size: `Option<i32>` → `Option<f64>`",
            "               at #/components/schemas/Thing/properties/size",
        ],
        &[
            "  ~ breaking   field types::Thing.size: `Option<f64>` → `Option<i32>`",
            "               at #/components/schemas/Thing/properties/size",
        ],
    );
}

#[test]
fn an_enum_value_added_is_compatible_and_removed_is_breaking() {
    both_ways(
        "enum: [big, small]",
        "enum: [big, small, tiny]",
        &[
            "  + compatible enum value types::ThingKind::Tiny: `\"tiny\"`",
            "               at #/components/schemas/Thing/properties/kind",
        ],
        &[
            "  - breaking   enum value types::ThingKind::Tiny: `\"tiny\"`",
            "               at #/components/schemas/Thing/properties/kind",
        ],
    );
}

#[test]
fn a_type_added_is_compatible_with_its_members_and_removed_is_breaking() {
    both_ways(
        "        kind: {type: string, enum: [big, small]}\n",
        "        kind: {type: string, enum: [big, small]}\n        owner:\n          type: object\n          required: [name]\n          properties:\n            name: {type: string}\n",
        &[
            "  + compatible field types::Thing.owner: `Option<types::ThingOwner>`",
            "               now #/components/schemas/Thing/properties/owner; not in #/components/schemas/Thing",
            "  + compatible type types::ThingOwner: `struct`",
            "               now #/components/schemas/Thing/properties/owner",
        ],
        &[
            "  - breaking   field types::Thing.owner: `Option<types::ThingOwner>`",
            "               was #/components/schemas/Thing/properties/owner; gone from #/components/schemas/Thing",
            "  - breaking   type types::ThingOwner: `struct`",
            "               was #/components/schemas/Thing/properties/owner",
        ],
    );
}

#[test]
fn the_headline_names_the_release_each_version_line_needs() {
    let removed = edited("enum: [big, small]", "enum: [big]");
    let (_, report) = changes(BASE, &removed);
    assert_eq!(
        report.headline(),
        "public API of things: 0 added, 0 changed, 1 removed; 1 breaking; needs a minor release: \
         version 0.5.0 or later, but the crate version is 0.4.2 (set `info.x-sdk-crate-version`)"
    );
    assert!(!report.version_is_enough());

    let bumped = removed.replace("x-sdk-crate-version: 0.4.2", "x-sdk-crate-version: 0.5.0");
    let (_, report) = changes(BASE, &bumped);
    assert!(report.version_is_enough());
    assert_eq!(
        report.headline(),
        "public API of things: 0 added, 0 changed, 1 removed; 1 breaking; a minor release: \
         0.4.2 → 0.5.0 (needs 0.5.0)"
    );

    let stable = BASE.replace("x-sdk-crate-version: 0.4.2", "x-sdk-crate-version: 1.4.2");
    let (_, report) = changes(
        &stable,
        &stable.replacen("enum: [big, small]", "enum: [big]", 1),
    );
    assert_eq!(report.required_version.as_deref(), Some("2.0.0"));
    assert!(report
        .headline()
        .contains("needs a major release: version 2.0.0 or later"));
}

#[test]
fn markdown_and_json_say_the_same() {
    let removed = edited("enum: [big, small]", "enum: [big]");
    let (_, report) = changes(BASE, &removed);
    assert_eq!(
        report.render(sdkgen::changes::Format::Markdown),
        "**public API of things: 0 added, 0 changed, 1 removed; 1 breaking; needs a minor release: \
         version 0.5.0 or later, but the crate version is 0.4.2 (set `info.x-sdk-crate-version`)**\n\
         \n| | item | change | | in the description |\n|---|---|---|---|---|\n\
         | breaking | enum value `types::ThingKind::Small` | removed | `\"small\"` \
         | at #/components/schemas/Thing/properties/kind |\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&report.render(sdkgen::changes::Format::Json)).expect("JSON");
    assert_eq!(
        json,
        serde_json::json!({
            "crate_name": "things",
            "old_version": "0.4.2",
            "new_version": "0.4.2",
            "changes": [{
                "item": "types::ThingKind::Small",
                "kind": "value",
                "change": "removed",
                "breaking": true,
                "detail": "`\"small\"`",
                "old_origin": "#/components/schemas/Thing/properties/kind",
                "new_origin": "#/components/schemas/Thing/properties/kind"
            }],
            "bump": "major",
            "required_version": "0.5.0"
        })
    );
}

/// A union whose inline members are told apart by a fixed `type`, as event streams are.
const EVENTS: &str = r##"
openapi: 3.1.0
info: {title: Events, version: "1", x-sdk-crate-version: 1.0.0}
paths:
  /events:
    get:
      operationId: nextEvent
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                oneOf:
                  - {type: object, required: [type], properties: {type: {const: started}, at: {type: string}}}
                  - {type: object, required: [type], properties: {type: {const: failed}, error: {type: string}}}
                  - {type: object, required: [type], properties: {type: {const: done}}}
"##;

#[test]
fn a_union_member_inserted_in_the_middle_renames_no_other_member() {
    let inserted = EVENTS.replacen(
        "                  - {type: object, required: [type], properties: {type: {const: failed}",
        "                  - {type: object, required: [type], properties: {type: {const: paused}}}\n                  - {type: object, required: [type], properties: {type: {const: failed}",
        1,
    );
    let (lines, report) = changes(EVENTS, &inserted);
    assert_eq!(
        lines,
        [
            "  + compatible variant types::NextEventResponse::Paused: `(types::NextEventResponsePaused) when [\"paused\"]`",
            "               at #/paths/~1events/get/responses/200/content/application~1json/schema",
            "  + compatible type types::NextEventResponsePaused: `struct`",
            "               now #/paths/~1events/get/responses/200/content/application~1json/schema/oneOf/1",
            "  + compatible type types::NextEventResponsePausedType: `enum`",
            "               now #/paths/~1events/get/responses/200/content/application~1json/schema/oneOf/1/properties/type",
        ]
    );
    assert!(!report.is_breaking());
}

#[test]
fn a_type_renamed_with_nothing_else_changed_is_one_rename() {
    let renamed = BASE
        .replace(
            "#/components/schemas/Thing\"",
            "#/components/schemas/Item\"",
        )
        .replacen("    Thing:\n", "    Item:\n", 1);
    let (lines, report) = changes(BASE, &renamed);
    assert_eq!(
        lines,
        [
            "  > breaking   type types::Item: renamed from `types::Thing`, members unchanged",
            "               #/components/schemas/Thing → #/components/schemas/Item",
            "  > breaking   type types::ItemKind: renamed from `types::ThingKind`, members unchanged",
            "               #/components/schemas/Thing/properties/kind → #/components/schemas/Item/properties/kind",
        ]
    );
    assert!(report.is_breaking());
}

#[test]
fn an_operation_renamed_with_nothing_else_changed_is_one_rename() {
    // Named from the path, the method stays put: only its builder's name changes.
    let renamed = edited("operationId: getThing", "operationId: fetchThing");
    let (lines, report) = changes(BASE, &renamed);
    assert_eq!(
        lines,
        [
            "  ~ breaking   method client.things().retrieve(): `(id: String) -> operations::GetThing; send: types::Thing` → `(id: String) -> operations::FetchThing; send: types::Thing`",
            "               at #/paths/~1things~1{id}/get",
        ]
    );
    assert!(report.is_breaking());
    // Named by operationId, the method is renamed: one rename, not a removal and an addition.
    let base = BASE.replacen("paths:\n", "x-sdk-naming: operation-id\npaths:\n", 1);
    let renamed = base.replacen("operationId: getThing", "operationId: fetchThing", 1);
    let (lines, report) = changes(&base, &renamed);
    assert_eq!(
        lines,
        [
            "  > breaking   method client.things().fetch_thing(): renamed from `client.things().get_thing()`; its builder `operations::GetThing` → `operations::FetchThing`",
            "               at #/paths/~1things~1{id}/get",
        ]
    );
    assert!(report.is_breaking());
    // Renamed and given a new parameter: both show, as a removal and an addition.
    let changed = renamed.replacen(
        "        - {name: id, in: path, required: true, schema: {type: string}}\n",
        "        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: fields, in: query, schema: {type: string}}\n",
        1,
    );
    let (lines, _) = changes(&base, &changed);
    assert_eq!(
        lines,
        [
            "  + compatible method client.things().fetch_thing(): `(id: String) -> operations::FetchThing; send: types::Thing`",
            "               now #/paths/~1things~1{id}/get",
            "  - breaking   method client.things().get_thing(): `(id: String) -> operations::GetThing; send: types::Thing`",
            "               was #/paths/~1things~1{id}/get",
        ]
    );
}

#[test]
fn a_webhook_added_is_compatible_and_removed_is_breaking() {
    let hook = |name: &str| {
        format!(
            "  {name}:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: \"#/components/schemas/Thing\"}}\n      responses: {{'200': {{description: ok}}}}\n"
        )
    };
    let one = format!("{BASE}x-webhooks:\n{}", hook("thing_created"));
    let two = format!("{one}{}", hook("thing_deleted"));
    let (lines, report) = changes(&one, &two);
    assert_eq!(
        lines,
        [
            "  + compatible variant types::WebhookEvent::ThingDeleted: `(types::Thing)`",
            "               at #/x-webhooks",
            "  + compatible webhook webhooks::thing_deleted: `WebhookEvent::ThingDeleted(types::Thing)`",
            "               now #/x-webhooks/thing_deleted/post",
        ]
    );
    assert_eq!(report.bump, Bump::Minor);
    let (lines, report) = changes(&two, &one);
    assert_eq!(
        lines,
        [
            "  - breaking   variant types::WebhookEvent::ThingDeleted: `(types::Thing)`",
            "               at #/x-webhooks",
            "  - breaking   webhook webhooks::thing_deleted: `WebhookEvent::ThingDeleted(types::Thing)`",
            "               was #/x-webhooks/thing_deleted/post",
        ]
    );
    assert_eq!(report.bump, Bump::Major);
}
