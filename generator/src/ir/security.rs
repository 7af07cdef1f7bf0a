//! Security schemes → credentials the client holds, and each operation's requirements.
//!
//! Every scheme that the root or an operation asks for becomes a credential with a builder
//! setter and an environment variable. Defaults, unless `x-sdk-credential` on the scheme says
//! otherwise:
//! - setter: `api_key` when the API has a single scheme (`basic_auth` for HTTP basic);
//!   otherwise the scheme's name in snake case without a trailing `Auth`
//!   (`AdminApiKeyAuth` → `admin_api_key`);
//! - environment variable: the crate name's first word and the setter, upper case
//!   (`openai-api`, `admin_api_key` → `OPENAI_ADMIN_API_KEY`); for basic auth that is the
//!   user, and `<that>_PASSWORD` the password.
//!
//! An `oauth2` scheme with a `clientCredentials` flow is a client id and secret: the setter
//! takes both (`client_credentials` when it is the API's only scheme), the environment keeps
//! them in `<PREFIX>_CLIENT_ID` and `<PREFIX>_CLIENT_SECRET`, and the client exchanges them at
//! the flow's `tokenUrl` for tokens with the scopes each operation asks for. Other `oauth2`
//! flows and `openIdConnect` are sent as a bearer token that the caller obtains.

use std::collections::BTreeMap;

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityRequirement, SecurityScheme};
use serde_json::Value;

use super::model::{Credential, CredentialScheme, Scopes, Security};
use super::naming::{self, snake_ident};
use crate::diagnostics::Diagnostics;
use crate::pointer::Pointer;

/// The credentials of an API, and where each scheme name landed.
#[derive(Debug, Default)]
pub struct Credentials {
    pub list: Vec<Credential>,
    by_scheme: BTreeMap<String, usize>,
}

impl Credentials {
    /// An operation's requirements (its own `security`, else the document's) as indices, and
    /// the scopes it asks its client-credentials credentials' tokens for.
    pub fn requirements(
        &self,
        own: Option<&Vec<SecurityRequirement>>,
        doc: &OpenAPI,
        at: &Pointer,
        diagnostics: &mut Diagnostics,
    ) -> (Security, Scopes) {
        let (listed, at) = match own {
            Some(own) => (own, at.join("security")),
            None => match &doc.security {
                Some(root) => (root, Pointer::root().join("security")),
                None => return (Vec::new(), Vec::new()),
            },
        };
        let mut alternatives = Vec::new();
        let mut scopes: Scopes = Vec::new();
        for (index, requirement) in listed.iter().enumerate() {
            let mut all = Vec::new();
            let mut usable = true;
            let mut asked = Vec::new();
            for (name, names) in requirement {
                match self.by_scheme.get(name) {
                    Some(&credential) => {
                        all.push(credential);
                        let fetches_tokens = matches!(
                            self.list[credential].scheme,
                            CredentialScheme::ClientCredentials { .. }
                        );
                        if fetches_tokens && !scopes.iter().any(|(seen, _)| *seen == credential) {
                            asked.push((credential, names.clone()));
                        }
                    }
                    None => {
                        diagnostics.warn(
                            at.join(index).join(name),
                            format!("security scheme `{name}` is not defined under `#/components/securitySchemes`; this alternative is left out"),
                        );
                        usable = false;
                    }
                }
            }
            if usable && !alternatives.contains(&all) {
                alternatives.push(all);
                scopes.extend(asked);
            }
        }
        // No scopes is what a token without a `scope` parameter is asked for.
        scopes.retain(|(_, names)| !names.is_empty());
        (alternatives, scopes)
    }
}

/// Every security scheme that the document's or an operation's `security` names.
pub fn credentials(doc: &OpenAPI, crate_name: &str, diagnostics: &mut Diagnostics) -> Credentials {
    let mut used: Vec<&str> = Vec::new();
    let items = || doc.paths.paths.values().filter_map(|item| item.as_item());
    let additional: Vec<openapiv3::Operation> = items()
        .flat_map(super::operation::additional_operations)
        .filter_map(|(_, operation)| operation.ok())
        .collect();
    let operations = items()
        .flat_map(|item| item.iter().map(|(_, operation)| operation))
        .chain(&additional);
    let requirements = doc
        .security
        .iter()
        .chain(operations.filter_map(|operation| operation.security.as_ref()));
    for list in requirements {
        for name in list.iter().flat_map(|requirement| requirement.keys()) {
            if !used.contains(&name.as_str()) {
                used.push(name);
            }
        }
    }
    let Some(components) = &doc.components else {
        return Credentials::default();
    };
    let schemes_at = Pointer::root().join("components").join("securitySchemes");
    let single = used.len() == 1;
    let mut credentials = Credentials::default();
    // The builder's own settings (`timeout`, `base_url`, ...) are taken.
    let mut setters: Vec<String> = crate::runtime::method_names("ClientBuilder").collect();
    // The webhooks' secret, set on the builder of a crate with webhooks.
    setters.push("webhook_secret".to_owned());
    // In the order of the components, so that regenerating after reordering operations
    // does not reorder the client's settings.
    for (name, scheme) in &components.security_schemes {
        if !used.contains(&name.as_str()) {
            continue;
        }
        let at = schemes_at.join(name);
        let ReferenceOr::Item(scheme) = scheme else {
            diagnostics.warn(
                &at,
                "a security scheme `$ref` that does not resolve to a scheme; operations that need it leave that alternative out",
            );
            continue;
        };
        let Some(mut credential) = credential(name, scheme, single, crate_name, &at, diagnostics)
        else {
            continue;
        };
        if setters.contains(&credential.setter) {
            let named = scheme_extensions(scheme).contains_key("x-sdk-credential");
            let taken = format!(
                "the credential setter `{}` is taken (by another security scheme or by the client builder)",
                credential.setter
            );
            if named {
                diagnostics.error(at.join("x-sdk-credential"), taken);
                continue;
            }
            let free = (2..)
                .map(|n| format!("{}_{n}", credential.setter))
                .find(|candidate| !setters.contains(candidate))
                .unwrap_or_default();
            diagnostics.warn(
                &at,
                format!(
                    "{taken}; it is `{free}` (name it with `x-sdk-credential: {{setter: ...}}`)"
                ),
            );
            credential.env = Some(key_env(crate_name, &free, &credential.scheme));
            credential.password_env = credential
                .env
                .as_deref()
                .and_then(|env| second_env(env, &credential.scheme));
            credential.setter = free;
        }
        setters.push(credential.setter.clone());
        if let CredentialScheme::ClientCredentials {
            token_url_setter, ..
        } = &mut credential.scheme
        {
            let wanted = format!("{}_token_url", naming::unraw(&credential.setter));
            *token_url_setter = (1..)
                .map(|n| match n {
                    1 => wanted.clone(),
                    n => format!("{wanted}_{n}"),
                })
                .find(|candidate| !setters.contains(candidate))
                .unwrap_or_default();
            setters.push(token_url_setter.clone());
        }
        credentials
            .by_scheme
            .insert(name.clone(), credentials.list.len());
        credentials.list.push(credential);
    }
    credentials
}

fn credential(
    name: &str,
    scheme: &SecurityScheme,
    single: bool,
    crate_name: &str,
    at: &Pointer,
    diagnostics: &mut Diagnostics,
) -> Option<Credential> {
    let (kind, description, extensions) = match scheme {
        SecurityScheme::HTTP {
            scheme,
            description,
            extensions,
            ..
        } => {
            let kind = if scheme.eq_ignore_ascii_case("bearer") {
                CredentialScheme::Bearer
            } else if scheme.eq_ignore_ascii_case("basic") {
                CredentialScheme::Basic
            } else if super::is_token(scheme) {
                // RFC 9110's `Authorization: <scheme> <credentials>`, credentials as given.
                CredentialScheme::Authorization(scheme.clone())
            } else {
                diagnostics.warn(
                    at.join("scheme"),
                    format!("`{scheme}` is not an HTTP authentication scheme name; the scheme is left out"),
                );
                return None;
            };
            (kind, description, extensions)
        }
        SecurityScheme::APIKey {
            location,
            name,
            description,
            extensions,
        } => {
            let kind = match location {
                APIKeyLocation::Header => CredentialScheme::Header(name.clone()),
                APIKeyLocation::Query => CredentialScheme::Query(name.clone()),
                APIKeyLocation::Cookie => CredentialScheme::Cookie(name.clone()),
            };
            (kind, description, extensions)
        }
        SecurityScheme::OAuth2 {
            flows,
            description,
            extensions,
        } => {
            let kind = match &flows.client_credentials {
                Some(flow) if flow.token_url.trim().is_empty() => {
                    diagnostics.warn(
                        at.join("flows").join("clientCredentials").join("tokenUrl"),
                        "the client credentials flow has no token URL; the scheme takes a bearer token the caller obtains",
                    );
                    CredentialScheme::Bearer
                }
                Some(flow) => CredentialScheme::ClientCredentials {
                    token_url: flow.token_url.trim().to_owned(),
                    // Named once the setter is known.
                    token_url_setter: String::new(),
                },
                None => CredentialScheme::Bearer,
            };
            (kind, description, extensions)
        }
        SecurityScheme::OpenIDConnect {
            description,
            extensions,
            ..
        } => (CredentialScheme::Bearer, description, extensions),
    };
    let mut setter = match (single, &kind) {
        (true, CredentialScheme::Basic) => "basic_auth".to_owned(),
        (true, CredentialScheme::ClientCredentials { .. }) => "client_credentials".to_owned(),
        (true, _) => "api_key".to_owned(),
        (false, _) => setter_from_scheme_name(name),
    };
    let mut env = None;
    let mut password_env = None;
    match extensions.get("x-sdk-credential") {
        None => {}
        Some(Value::Object(config)) => {
            let config_at = at.join("x-sdk-credential");
            for (key, value) in config {
                match (key.as_str(), value) {
                    ("setter", Value::String(value)) => setter = snake_ident(value),
                    ("env", Value::String(value)) => env = Some(value.clone()),
                    ("password-env", Value::String(value)) => password_env = Some(value.clone()),
                    _ => diagnostics.error(
                        config_at.join(key),
                        "expected `setter`, `env` or `password-env` with a string value",
                    ),
                }
            }
        }
        Some(_) => diagnostics.error(
            at.join("x-sdk-credential"),
            "expected an object with `setter` and `env`",
        ),
    }
    let env = env.unwrap_or_else(|| key_env(crate_name, &setter, &kind));
    let password_env = second_env(&env, &kind).map(|derived| password_env.unwrap_or(derived));
    Some(Credential {
        scheme_name: name.to_owned(),
        setter,
        env: Some(env),
        password_env,
        scheme: kind,
        description: description.clone(),
    })
}

fn scheme_extensions(scheme: &SecurityScheme) -> &indexmap::IndexMap<String, Value> {
    match scheme {
        SecurityScheme::HTTP { extensions, .. }
        | SecurityScheme::APIKey { extensions, .. }
        | SecurityScheme::OAuth2 { extensions, .. }
        | SecurityScheme::OpenIDConnect { extensions, .. } => extensions,
    }
}

/// `AdminApiKeyAuth` → `admin_api_key`; `BasicAuth` stays `basic_auth` (a bare `basic` says
/// nothing).
fn setter_from_scheme_name(name: &str) -> String {
    let full = snake_ident(name);
    match full.strip_suffix("_auth") {
        Some(stem) if !matches!(stem, "" | "basic" | "bearer" | "http") => stem.to_owned(),
        _ => full,
    }
}

/// The variable `from_env` reads a credential's key from (a basic user, a client id):
/// [`default_env`] of the setter, or for client credentials of `<setter>_client_id`
/// (`client_id` for the setter `client_credentials`).
fn key_env(crate_name: &str, setter: &str, kind: &CredentialScheme) -> String {
    match kind {
        CredentialScheme::ClientCredentials { .. }
            if naming::unraw(setter) == "client_credentials" =>
        {
            default_env(crate_name, "client_id")
        }
        CredentialScheme::ClientCredentials { .. } => {
            default_env(crate_name, &format!("{setter}_client_id"))
        }
        _ => default_env(crate_name, setter),
    }
}

/// The variable of a basic password (`<key>_PASSWORD`) or a client secret (`..._ID` →
/// `..._SECRET`); `None` for a credential of one part.
fn second_env(key_env: &str, kind: &CredentialScheme) -> Option<String> {
    match kind {
        CredentialScheme::Basic => Some(format!("{key_env}_PASSWORD")),
        CredentialScheme::ClientCredentials { .. } => {
            let stem = key_env.strip_suffix("_ID").unwrap_or(key_env);
            Some(format!("{stem}_SECRET"))
        }
        _ => None,
    }
}

/// `openai-api` + `admin_api_key` → `OPENAI_ADMIN_API_KEY`.
pub(super) fn default_env(crate_name: &str, setter: &str) -> String {
    let prefix = crate_name
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    let setter = crate::ir::naming::unraw(setter).to_ascii_uppercase();
    if prefix.is_empty() || setter.starts_with(&format!("{prefix}_")) {
        setter
    } else {
        format!("{prefix}_{setter}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setters_and_environment_variables_from_scheme_names() {
        assert_eq!(setter_from_scheme_name("AdminApiKeyAuth"), "admin_api_key");
        assert_eq!(setter_from_scheme_name("ApiKeyAuth"), "api_key");
        assert_eq!(setter_from_scheme_name("BasicAuth"), "basic_auth");
        assert_eq!(setter_from_scheme_name("petstore_auth"), "petstore");
        assert_eq!(setter_from_scheme_name("token"), "token");
        assert_eq!(
            default_env("openai-api", "admin_api_key"),
            "OPENAI_ADMIN_API_KEY"
        );
        assert_eq!(default_env("petstore", "petstore_key"), "PETSTORE_KEY");
    }
}
