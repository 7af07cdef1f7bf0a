//! Descriptions built to find super-linear cost: long chains of each kind of reference, deep
//! nesting, a very wide body and a very long file. Each is valid OpenAPI except the nesting
//! ones, which must be refused at the nesting limit. `bench/hostile.sh` runs the release
//! `sdkgen` on each; `generator/tests/hostile.rs` runs small ones.

use std::fmt::Write as _;

/// The kinds of hostile description, by the name `bench/hostile.sh` and the example use.
pub const KINDS: &[(&str, &str)] = &[
    (
        "ref-chain",
        "schemas that each hold the next through a property",
    ),
    ("alias-chain", "schemas that are each a `$ref` to the next"),
    (
        "one-of-chain",
        "schemas that are each a `oneOf` of the next and a string",
    ),
    (
        "any-of-chain",
        "schemas that are each an `anyOf` of the next and an integer",
    ),
    (
        "flow-nesting",
        "flow mappings nested N deep (`{a: {a: ...}}`)",
    ),
    (
        "compact-nesting",
        "block sequences nested N deep on one line (`- - - ...`)",
    ),
    ("wide-body", "one request body with N properties"),
    (
        "long-file",
        "N short lines (`- 42`) of an extension's data beside one operation",
    ),
];

/// The description of `kind` at size `n`, or `None` for a kind not in [`KINDS`].
pub fn hostile_spec(kind: &str, n: usize) -> Option<String> {
    let n = n.max(1);
    let mut out = String::from("openapi: 3.0.3\ninfo: {title: Hostile, version: '1'}\n");
    match kind {
        "ref-chain" => chain(&mut out, n, |i| {
            format!("{{type: object, properties: {{next: {{$ref: '#/components/schemas/S{i}'}}}}}}")
        }),
        "alias-chain" => chain(&mut out, n, |i| {
            format!("{{$ref: '#/components/schemas/S{i}'}}")
        }),
        "one-of-chain" => chain(&mut out, n, |i| {
            format!("{{oneOf: [{{$ref: '#/components/schemas/S{i}'}}, {{type: string}}]}}")
        }),
        "any-of-chain" => chain(&mut out, n, |i| {
            format!("{{anyOf: [{{$ref: '#/components/schemas/S{i}'}}, {{type: integer}}]}}")
        }),
        "flow-nesting" => {
            operation(&mut out, "{type: string}");
            let _ = writeln!(out, "x-deep: {}1{}", "{a: ".repeat(n), "}".repeat(n));
        }
        "compact-nesting" => {
            operation(&mut out, "{type: string}");
            let _ = writeln!(out, "x-deep:\n{}1", "- ".repeat(n));
        }
        "wide-body" => {
            out.push_str("paths:\n  /things:\n    post:\n      operationId: createThing\n");
            out.push_str("      requestBody:\n        content:\n          application/json:\n");
            out.push_str(
                "            schema:\n              type: object\n              properties:\n",
            );
            for i in 0..n {
                let _ = writeln!(out, "                field_{i}: {{type: string}}");
            }
            out.push_str("      responses:\n        '204': {description: done}\n");
        }
        "long-file" => {
            operation(&mut out, "{type: string}");
            out.push_str("x-data:\n");
            for i in 0..n {
                let _ = writeln!(out, "- {}", i % 100);
            }
        }
        _ => return None,
    }
    Some(out)
}

/// One operation, `GET /thing`, whose response is `schema`.
fn operation(out: &mut String, schema: &str) {
    out.push_str("paths:\n  /thing:\n    get:\n      operationId: getThing\n      responses:\n");
    let _ = writeln!(
        out,
        "        '200':\n          description: ok\n          content:\n            \
         application/json:\n              schema: {schema}"
    );
}

/// `GET /thing` returning `S0`, and schemas `S0` to `S{n}`: each `S{i}` is `link(i + 1)`, the
/// last a string.
fn chain(out: &mut String, n: usize, link: impl Fn(usize) -> String) {
    operation(out, "{$ref: '#/components/schemas/S0'}");
    out.push_str("components:\n  schemas:\n");
    for i in 0..n {
        let _ = writeln!(out, "    S{i}: {}", link(i + 1));
    }
    let _ = writeln!(out, "    S{n}: {{type: string}}");
}
