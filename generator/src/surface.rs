//! The public API of a generated crate, as data: one entry per thing a user can name (a
//! feature, a credential setter, a resource method, a builder setter, a type, a field, an
//! enum value, a union variant), read from the IR.
//!
//! Two surfaces compared ([`crate::changes`]) say what a new description changes for the
//! crate's users. The crate carries its own as `public-api.jsonl` (one entry per line, so a
//! review reads the API's diff line by line), which is what the next build compares against.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::emit::rust::{field_type_text, type_text, Scope};
use crate::ir::{
    Api, CredentialScheme, InputRole, Operation, Presence, Resource, ResponseKind, SequenceFormat,
    TypeKind, TypeRef,
};
use crate::pointer::Pointer;

/// The file of a generated crate that lists its public API.
pub const FILE: &str = "public-api.jsonl";

/// The public API of one generated crate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Surface {
    pub crate_name: String,
    pub crate_version: String,
    /// Keyed by how a user names the item, e.g. `types::Certificate.name` or
    /// `client.admin().organization().certificates().list()`.
    pub items: BTreeMap<String, Item>,
}

/// One thing a user can name, and what about it must stay the same for their code to compile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub kind: ItemKind,
    /// Its Rust type or signature; a change breaks the users of the item.
    pub signature: String,
    /// A field that `new` takes (adding one breaks `new`'s callers).
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Where the description declares it, as a JSON pointer
    /// (`#/paths/~1organization~1certificates/get`); shown, never compared. The listing
    /// leaves out a pointer through a list position ([`is_positional`]): inserting a member
    /// in the middle of a `oneOf` would change every later member's line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

fn is_false(flag: &bool) -> bool {
    !flag
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    /// A Cargo feature.
    Feature,
    /// A `ClientBuilder` method that sets a secret.
    Credential,
    /// A resource method that starts an operation.
    Method,
    /// A setter of an operation's builder.
    Setter,
    /// A named type (its signature says which kind).
    Type,
    /// A public field of a struct.
    Field,
    /// A known value of an open enum.
    Value,
    /// A variant of a union.
    Variant,
    /// A webhook, and the variant of the event type it decodes as.
    Webhook,
}

impl ItemKind {
    /// How the kind reads in a report.
    pub fn label(self) -> &'static str {
        match self {
            Self::Feature => "feature",
            Self::Credential => "credential",
            Self::Method => "method",
            Self::Setter => "setter",
            Self::Type => "type",
            Self::Field => "field",
            Self::Value => "enum value",
            Self::Variant => "variant",
            Self::Webhook => "webhook",
        }
    }
}

/// The first line of `public-api.jsonl`.
#[derive(Serialize, Deserialize)]
struct Header {
    /// Marks the file as generated (so that it is replaced, and removed when stale).
    #[serde(default)]
    note: String,
    #[serde(rename = "crate")]
    crate_name: String,
    version: String,
}

/// Every other line.
#[derive(Serialize, Deserialize)]
struct Line {
    item: String,
    #[serde(flatten)]
    entry: Item,
}

impl Surface {
    /// The public API the IR generates.
    pub fn of(api: &Api) -> Self {
        let mut surface = Self {
            crate_name: api.crate_name.clone(),
            crate_version: api.crate_version.clone(),
            items: BTreeMap::new(),
        };
        for feature in &api.features {
            surface.add(format!("feature {}", feature.name), ItemKind::Feature, "");
        }
        let schemes = Pointer::root().join("components").join("securitySchemes");
        for credential in &api.credentials {
            let signature = match (&credential.env, &credential.password_env) {
                (Some(env), Some(second)) => format!("from_env reads {env} and {second}"),
                (Some(env), None) => format!("from_env reads {env}"),
                (None, _) => String::new(),
            };
            let origin = schemes.join(&credential.scheme_name).to_string();
            surface
                .add(
                    format!("ClientBuilder::{}()", credential.setter),
                    ItemKind::Credential,
                    signature,
                )
                .origin = Some(origin.clone());
            if let CredentialScheme::ClientCredentials {
                token_url,
                token_url_setter,
            } = &credential.scheme
            {
                surface
                    .add(
                        format!("ClientBuilder::{token_url_setter}()"),
                        ItemKind::Credential,
                        format!("tokens from {token_url}"),
                    )
                    .origin = Some(origin);
            }
        }
        surface.add_resource(api, &api.client, "client");
        if let Some(webhooks) = &api.webhooks {
            let secret = format!("client.webhooks() reads {}", webhooks.secret_env);
            surface.add(
                "ClientBuilder::webhook_secret()".to_owned(),
                ItemKind::Credential,
                secret,
            );
            for event in &webhooks.events {
                let signature = format!(
                    "{}::{}({})",
                    webhooks.event_type,
                    event.variant,
                    rust_type(&event.payload)
                );
                surface
                    .add(
                        format!("webhooks::{}", event.name),
                        ItemKind::Webhook,
                        signature,
                    )
                    .origin = Some(event.origin.clone());
            }
        }
        for def in &api.types {
            surface.add_type(def);
        }
        surface
    }

    /// Adds an item unless one has the key already, and returns the one kept.
    fn add(&mut self, key: String, kind: ItemKind, signature: impl Into<String>) -> &mut Item {
        let item = Item {
            kind,
            signature: signature.into(),
            required: false,
            origin: None,
        };
        self.items.entry(key).or_insert(item)
    }

    fn add_resource(&mut self, api: &Api, resource: &Resource, path: &str) {
        for method in &resource.methods {
            let operation = &api.operations[method.operation];
            let key = format!("{path}.{}()", method.name);
            for input in &operation.inputs {
                let ty = type_text(&input.ty, Scope::Outside);
                let origin = Some(input.origin.clone());
                match &input.role {
                    InputRole::Argument => {}
                    InputRole::Setter => {
                        let setter = format!("{key}.{}()", input.rust_name);
                        self.add(setter, ItemKind::Setter, ty).origin = origin;
                    }
                    InputRole::NullableSetter { null_setter } => {
                        let setter = format!("{key}.{}()", input.rust_name);
                        self.add(setter, ItemKind::Setter, ty).origin = origin.clone();
                        let setter = format!("{key}.{null_setter}()");
                        self.add(setter, ItemKind::Setter, "sends null").origin = origin;
                    }
                }
            }
            let signature = method_signature(operation);
            self.add(key, ItemKind::Method, signature).origin = Some(operation.origin.clone());
        }
        for child in &resource.children {
            self.add_resource(api, child, &format!("{path}.{}()", child.accessor));
        }
    }

    fn add_type(&mut self, def: &crate::ir::TypeDef) {
        let key = format!("types::{}", def.name);
        let signature = match &def.kind {
            TypeKind::Struct(_) => "struct".to_owned(),
            TypeKind::Enum(_) => "enum".to_owned(),
            TypeKind::Union(union) => match &union.tag {
                Some(tag) => format!("union tagged by `{tag}`"),
                None => "untagged union".to_owned(),
            },
            TypeKind::Alias(target) => format!("= {}", rust_type(target)),
        };
        let origin = Some(def.origin.clone());
        self.add(key.clone(), ItemKind::Type, signature).origin = origin.clone();
        // Values and variants point at their type: the list that holds them.
        match &def.kind {
            TypeKind::Struct(fields) => {
                for field in &fields.fields {
                    let ty = field_type_text(&field.ty, field.presence, Scope::Outside);
                    let item = self.add(format!("{key}.{}", field.rust_name), ItemKind::Field, ty);
                    item.required = matches!(
                        field.presence,
                        Presence::Required | Presence::RequiredNullable
                    );
                    item.origin = Some(field.origin.clone());
                }
            }
            TypeKind::Enum(values) => {
                for value in values {
                    let signature = format!("{:?}", value.wire_value);
                    self.add(
                        format!("{key}::{}", value.rust_name),
                        ItemKind::Value,
                        signature,
                    )
                    .origin = origin.clone();
                }
            }
            TypeKind::Union(union) => {
                for variant in &union.variants {
                    let mut signature = format!("({})", rust_type(&variant.ty));
                    if !variant.tags.is_empty() {
                        signature.push_str(&format!(" when {:?}", variant.tags));
                    }
                    self.add(
                        format!("{key}::{}", variant.rust_name),
                        ItemKind::Variant,
                        signature,
                    )
                    .origin = origin.clone();
                }
            }
            TypeKind::Alias(_) => {}
        }
    }

    /// The crate's `public-api.jsonl`: a header line, then one entry per line, sorted;
    /// `spec_label` names the description in the header.
    pub fn to_jsonl(&self, spec_label: &str) -> String {
        let header = Header {
            note: format!(
                "{} from {spec_label}. Do not edit: the crate's public API, one item per line",
                crate::render::MARKER
            ),
            crate_name: self.crate_name.clone(),
            version: self.crate_version.clone(),
        };
        let mut text = json_line(&header);
        for (key, item) in &self.items {
            let mut entry = item.clone();
            entry.origin = entry.origin.filter(|origin| !is_positional(origin));
            text.push_str(&json_line(&Line {
                item: key.clone(),
                entry,
            }));
        }
        text
    }

    /// Reads what [`Surface::to_jsonl`] wrote; an error names the line.
    pub fn from_jsonl(text: &str) -> Result<Self, String> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty());
        let (_, first) = lines.next().ok_or("empty: expected a header line")?;
        let header: Header =
            serde_json::from_str(first).map_err(|error| format!("line 1: {error}"))?;
        let mut items = BTreeMap::new();
        for (index, line) in lines {
            let line: Line = serde_json::from_str(line)
                .map_err(|error| format!("line {}: {error}", index + 1))?;
            items.insert(line.item, line.entry);
        }
        Ok(Self {
            crate_name: header.crate_name,
            crate_version: header.version,
            items,
        })
    }
}

/// Whether a pointer goes through a position in a list (`/oneOf/3`, `/parameters/0`), which
/// moves when a member is inserted before it, rather than through names only.
pub fn is_positional(pointer: &str) -> bool {
    const LISTS: &[&str] = &[
        "allOf",
        "anyOf",
        "oneOf",
        "parameters",
        "prefixItems",
        "required",
        "enum",
    ];
    let segments: Vec<&str> = pointer.split('/').collect();
    segments.windows(2).any(|pair| {
        LISTS.contains(&pair[0])
            && !pair[1].is_empty()
            && pair[1].bytes().all(|byte| byte.is_ascii_digit())
    })
}

fn json_line(value: &impl Serialize) -> String {
    // Serializing these plain structs cannot fail; an empty line would be read back as none.
    let mut line = serde_json::to_string(value).unwrap_or_default();
    line.push('\n');
    line
}

/// `(certificate_id: String) -> operations::GetCertificate; send: types::Certificate`.
fn method_signature(operation: &Operation) -> String {
    let arguments: Vec<String> = operation
        .arguments()
        .map(|input| {
            let ty = field_type_text(&input.ty, input.presence, Scope::Outside);
            format!("{}: {ty}", input.rust_name)
        })
        .collect();
    let sends = match (&operation.response, &operation.pagination) {
        (_, Some(pagination)) => format!("pages of {}", rust_type(&pagination.item)),
        (ResponseKind::Json(ty), None) => rust_type(ty),
        (ResponseKind::Empty, None) => "()".to_owned(),
        (ResponseKind::Bytes, None) => "bytes".to_owned(),
        (ResponseKind::Text, None) => "String".to_owned(),
        (ResponseKind::EventStream(event), None) => format!("events of {}", rust_type(event)),
        (ResponseKind::Sequence { item, format }, None) => {
            let items = match format {
                SequenceFormat::JsonLines => "JSON Lines",
                SequenceFormat::JsonSeq => "a JSON text sequence",
                SequenceFormat::Multipart => "multipart parts",
                SequenceFormat::EventStream => "events",
            };
            let item = item
                .as_ref()
                .map_or_else(|| "MixedPart".to_owned(), rust_type);
            format!("{items} of {item}")
        }
    };
    let mut signature = format!(
        "({}) -> operations::{}; send: {sends}",
        arguments.join(", "),
        operation.struct_name
    );
    if let Some(stream) = &operation.stream {
        signature.push_str(&format!(
            "; {}: events of {}",
            stream.method,
            rust_type(&stream.event)
        ));
    }
    signature
}

fn rust_type(ty: &TypeRef) -> String {
    type_text(ty, Scope::Outside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listing_reads_back_as_it_was_written() {
        let mut surface = Surface {
            crate_name: "things".to_owned(),
            crate_version: "0.3.1".to_owned(),
            items: BTreeMap::new(),
        };
        surface.add("types::Thing".to_owned(), ItemKind::Type, "struct");
        surface
            .add("types::Thing.id".to_owned(), ItemKind::Field, "String")
            .required = true;
        surface
            .add(
                "client.things().list()".to_owned(),
                ItemKind::Method,
                "() -> x",
            )
            .origin = Some("GET /things".to_owned());
        let text = surface.to_jsonl("spec.yaml");
        assert_eq!(
            text,
            r#"{"note":"@generated by sdkgen from spec.yaml. Do not edit: the crate's public API, one item per line","crate":"things","version":"0.3.1"}
{"item":"client.things().list()","kind":"method","signature":"() -> x","origin":"GET /things"}
{"item":"types::Thing","kind":"type","signature":"struct"}
{"item":"types::Thing.id","kind":"field","signature":"String","required":true}
"#
        );
        assert_eq!(Surface::from_jsonl(&text), Ok(surface));
        assert_eq!(
            Surface::from_jsonl("{\"crate\":\"x\",\"version\":\"1.0.0\"}\n{\"item\":1}\n"),
            Err(
                "line 2: invalid type: integer `1`, expected a string at line 1 column 9"
                    .to_owned()
            )
        );
    }
}
