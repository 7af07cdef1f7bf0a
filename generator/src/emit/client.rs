//! The `client` module (the API's `Client` and `ClientBuilder`: settings, constructors,
//! credential setters, the runtime's own settings re-declared) and the `resources` module (the
//! tree of accessors that leads to each operation).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_paragraphs;
use super::operations::endpoint_line;
use super::rust::{
    allow_many_arguments, argument, cfg_tokens, field_type_tokens, ident, option_str, Scope,
};
use crate::ir::{naming, Api, Credential, CredentialScheme, Mtls, Operation, Presence, Resource};
use crate::runtime;

pub fn client_module(api: &Api) -> TokenStream {
    let base_url = &api.base_url;
    let base_url_env = option_str(api.base_url_env.as_deref());
    let user_agent = format!("{}/", api.crate_name);
    let credentials = api.credentials.iter().map(|credential| {
        let setter = &credential.setter;
        let env = option_str(credential.env.as_deref());
        let password_env = option_str(credential.password_env.as_deref());
        let scheme = match &credential.scheme {
            CredentialScheme::Bearer => quote!(CredentialScheme::Bearer),
            CredentialScheme::Basic => quote!(CredentialScheme::Basic),
            CredentialScheme::Authorization(scheme) => {
                quote!(CredentialScheme::Authorization(#scheme))
            }
            CredentialScheme::Header(name) => quote!(CredentialScheme::Header(#name)),
            CredentialScheme::Query(name) => quote!(CredentialScheme::Query(#name)),
            CredentialScheme::Cookie(name) => quote!(CredentialScheme::Cookie(#name)),
            CredentialScheme::ClientCredentials { token_url, .. } => {
                quote!(CredentialScheme::ClientCredentials { token_url: #token_url })
            }
        };
        quote!(CredentialSettings { setter: #setter, env: #env, password_env: #password_env, scheme: #scheme })
    });
    let response_headers = &api.response_headers;
    let request_id = option_str(response_headers.request_id.as_deref());
    let should_retry = option_str(response_headers.should_retry.as_deref());
    let retry_after_ms = option_str(response_headers.retry_after_ms.as_deref());
    let error_fields = &api.error_fields;
    let message = option_str(error_fields.message.as_deref());
    let error_type = option_str(error_fields.error_type.as_deref());
    let param = option_str(error_fields.param.as_deref());
    let code = option_str(error_fields.code.as_deref());
    let mtls = if api.mtls == Mtls::default() {
        quote!(MtlsSettings::NONE)
    } else {
        let base_url = option_str(api.mtls.base_url.as_deref());
        let certificate_env = option_str(api.mtls.certificate_env.as_deref());
        let key_env = option_str(api.mtls.key_env.as_deref());
        quote! {
            MtlsSettings {
                base_url: #base_url,
                certificate_env: #certificate_env,
                key_env: #key_env,
            }
        }
    };
    let idempotency = match &api.idempotency {
        None => quote!(IdempotencySettings::NONE),
        Some(idempotency) => {
            let header = &idempotency.header;
            let methods = &idempotency.methods;
            quote! {
                IdempotencySettings {
                    header: Some(#header),
                    methods: &[#(#methods),*],
                }
            }
        }
    };
    let setters = api
        .credentials
        .iter()
        .map(|credential| {
            let index = format_ident!("{}", credential.const_name());
            let setter = ident(&credential.setter);
            let env = env_names(credential).map(|names| {
                let pronoun = if credential.password_env.is_some() { "them" } else { "it" };
                format!("`Client::from_env` reads {pronoun} from {names}.")
            });
            let docs = doc_paragraphs([
                credential.description.as_deref(),
                Some(&format!("Security scheme `{}`.", credential.scheme_name)),
                env.as_deref(),
                Some("Never shown by `Debug`, in errors or in logs."),
            ]);
            match &credential.scheme {
                CredentialScheme::Basic => quote! {
                    #docs
                    pub fn #setter(self, user: impl Into<String>, password: impl Into<String>) -> Self {
                        Self(self.0.basic_credential_at(credentials::#index, user, password))
                    }
                },
                CredentialScheme::ClientCredentials {
                    token_url,
                    token_url_setter,
                } => {
                    let docs = doc_paragraphs([
                        credential.description.as_deref(),
                        Some(&format!(
                            "Security scheme `{}`: OAuth 2 client credentials, exchanged at `{token_url}` for access tokens with the scopes each operation needs. A token is kept until shortly before it expires, and fetched again once when the API refuses it.",
                            credential.scheme_name
                        )),
                        env.as_deref(),
                        Some("Never shown by `Debug`, in errors or in logs."),
                    ]);
                    let token_url_doc = format!(
                        " Fetches the tokens of [`ClientBuilder::{}`] from `url` instead of `{token_url}`.",
                        naming::unraw(&credential.setter)
                    );
                    let token_url_setter = ident(token_url_setter);
                    quote! {
                        #docs
                        pub fn #setter(self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
                            Self(self.0.client_credentials_at(credentials::#index, client_id, client_secret))
                        }

                        #[doc = #token_url_doc]
                        pub fn #token_url_setter(self, url: impl Into<String>) -> Self {
                            Self(self.0.token_url_at(credentials::#index, url))
                        }
                    }
                }
                _ => quote! {
                    #docs
                    pub fn #setter(self, #setter: impl Into<String>) -> Self {
                        Self(self.0.credential_at(credentials::#index, #setter))
                    }
                },
            }
        })
        .collect::<Vec<_>>();
    let client_methods = runtime::public_methods("Client").iter().map(delegate);
    let builder_methods = runtime::public_methods("ClientBuilder")
        .iter()
        .map(delegate);
    let from_env_doc = from_env_doc(api);
    let members = resource_members(api, &api.client, &[]);
    let client_doc = format!(" A client of {}.", api.title.trim());
    let credentials_module = credentials_module(api);
    let (webhooks_accessor, webhook_secret) = webhook_methods(api);
    quote! {
        //! The client of this API: its settings, its builder and its entry points.

        #[doc = #client_doc]
        ///
        /// Cloning is cheap: clones share one configuration and one connection pool, so create
        /// a client once and clone it wherever it is needed.
        #[derive(Clone)]
        pub struct Client(runtime::Client);

        impl Client {
            /// What the runtime needs to know about this API.
            #[doc(hidden)]
            pub const SETTINGS: &'static ApiSettings = &ApiSettings {
                default_base_url: #base_url,
                base_url_env: #base_url_env,
                credentials: &[#(#credentials),*],
                user_agent: concat!(#user_agent, env!("CARGO_PKG_VERSION")),
                response_headers: ResponseHeaders {
                    request_id: #request_id,
                    should_retry: #should_retry,
                    retry_after_ms: #retry_after_ms,
                },
                error_fields: ErrorFields {
                    message: #message,
                    error_type: #error_type,
                    param: #param,
                    code: #code,
                },
                mtls: #mtls,
                idempotency: #idempotency,
            };

            /// Starts configuring a client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder(runtime::ClientBuilder::new(Self::SETTINGS))
            }

            #[doc = #from_env_doc]
            pub fn from_env() -> Result<Client, Error> {
                runtime::Client::from_env_for(Self::SETTINGS).map(Client)
            }

            #(#client_methods)*

            #webhooks_accessor

            #members
        }

        impl fmt::Debug for Client {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        /// For the command-line tool, which builds the runtime's client itself.
        #[doc(hidden)]
        impl From<runtime::Client> for Client {
            fn from(client: runtime::Client) -> Self {
                Client(client)
            }
        }

        /// Configures and builds a [`Client`].
        #[derive(Clone)]
        #[must_use]
        pub struct ClientBuilder(runtime::ClientBuilder);

        impl ClientBuilder {
            #(#setters)*

            #webhook_secret

            #(#builder_methods)*
        }

        impl fmt::Debug for ClientBuilder {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        #credentials_module
    }
}

/// `Client::webhooks` and `ClientBuilder::webhook_secret`, for an API with webhooks.
fn webhook_methods(api: &Api) -> (TokenStream, TokenStream) {
    let Some(webhooks) = &api.webhooks else {
        return (TokenStream::new(), TokenStream::new());
    };
    let cfg = cfg_tokens(&webhooks.gate);
    let accessor = ident(crate::ir::webhooks::ACCESSOR);
    let env = &webhooks.secret_env;
    let accessor_doc = format!(
        " Verifies and decodes the webhooks the API sends, with the secret set by \
         [`ClientBuilder::webhook_secret`], else the one in `{env}`."
    );
    let secret_doc = format!(
        " Sets the secret webhook requests are verified with (`whsec_...`); else\n \
         [`Client::webhooks`] reads `{env}`. Never shown by `Debug`."
    );
    (
        quote! {
            #[doc = #accessor_doc]
            #cfg
            pub fn #accessor(&self) -> crate::webhooks::Webhooks {
                crate::webhooks::Webhooks::with_secret(self.0.webhook_secret().map(str::to_owned))
            }
        },
        quote! {
            #[doc = #secret_doc]
            #cfg
            pub fn webhook_secret(self, secret: impl Into<String>) -> Self {
                Self(self.0.webhook_secret(secret))
            }
        },
    )
}

/// `credentials`: a constant per credential, its place in [`Client::SETTINGS`], by which the
/// builder's setters and each operation's security requirements name it.
fn credentials_module(api: &Api) -> TokenStream {
    if api.credentials.is_empty() {
        return TokenStream::new();
    }
    let constants = api
        .credentials
        .iter()
        .enumerate()
        .map(|(index, credential)| {
            let name = format_ident!("{}", credential.const_name());
            let doc = format!(" Security scheme `{}`.", credential.scheme_name);
            let index = proc_macro2::Literal::usize_unsuffixed(index);
            quote! {
                #[doc = #doc]
                pub const #name: usize = #index;
            }
        });
    quote! {
        /// The API's credentials, by their place in the client's settings (for the
        /// command-line tool too).
        #[doc(hidden)]
        pub mod credentials {
            #(#constants)*
        }
    }
}

/// Re-declares a public method of the runtime's `Client` or `ClientBuilder` on the generated
/// type of the same name, with its docs: a runtime value it returns is wrapped in the generated
/// type (`Self` for a builder setting, the built `Client`).
fn delegate(public: &runtime::PublicMethod) -> TokenStream {
    let method: syn::ImplItemFn = match syn::parse_str(&public.source) {
        Ok(method) => method,
        Err(error) => {
            let message = format!("the runtime's `{}` does not parse: {error}", public.name);
            return quote!(compile_error!(#message););
        }
    };
    let syn::ImplItemFn {
        attrs,
        sig: mut signature,
        ..
    } = method;
    let docs = attrs.iter().filter(|attr| attr.path().is_ident("doc"));
    let mut arguments = Vec::new();
    for input in &mut signature.inputs {
        match input {
            syn::FnArg::Receiver(receiver) => receiver.mutability = None,
            syn::FnArg::Typed(typed) => {
                if let syn::Pat::Ident(pattern) = &mut *typed.pat {
                    pattern.mutability = None;
                    arguments.push(pattern.ident.clone());
                }
            }
        }
    }
    let name = &signature.ident;
    let call = quote!(self.0.#name(#(#arguments),*));
    let body = match public.returns {
        runtime::Returns::Receiver => quote!(Self(#call)),
        runtime::Returns::ClientResult => quote!(#call.map(Client)),
        runtime::Returns::Other => call,
    };
    quote! {
        #(#docs)*
        pub #signature {
            #body
        }
    }
}

/// The environment variables a credential is read from: "`KEY`", or "`USER` and `PASSWORD`"
/// for basic authentication.
fn env_names(credential: &Credential) -> Option<String> {
    let user = credential.env.as_deref()?;
    Some(match credential.password_env.as_deref() {
        Some(password) => format!("`{user}` and `{password}`"),
        None => format!("`{user}`"),
    })
}

fn from_env_doc(api: &Api) -> String {
    let mut parts = Vec::new();
    let envs: Vec<String> = api.credentials.iter().filter_map(env_names).collect();
    match envs.as_slice() {
        [] => {}
        [single] => parts.push(format!("the credential from {single} (required)")),
        several => parts.push(format!(
            "credentials from {} (at least one required)",
            several.join(", ")
        )),
    }
    if let Some(env) = api.base_url_env.as_deref() {
        parts.push(format!("the base URL from `{env}` (optional)"));
    }
    if let (Some(certificate), Some(key)) = (&api.mtls.certificate_env, &api.mtls.key_env) {
        parts.push(format!(
            "the paths of a client certificate and its key for mutual TLS from `{certificate}` \
             and `{key}` (optional, both or neither)"
        ));
    }
    if parts.is_empty() {
        " A client with the default settings.".to_owned()
    } else {
        format!(
            " A client configured from the environment: {}.",
            parts.join(", ")
        )
    }
}

pub fn resources_module(api: &Api) -> TokenStream {
    let mut items = Vec::new();
    // Depth-first order, parents before children: the order a reader walks the tree.
    let mut ordered = Vec::new();
    collect_depth_first(&api.client.children, &mut ordered);
    for resource in ordered {
        let gate = resource.gate(&api.operations);
        let name = ident(&resource.struct_name);
        let members = resource_members(api, resource, &gate);
        let doc = format!(" Operations under `{}`.", dotted_path(api, resource));
        let cfg = cfg_tokens(&gate);
        items.push(quote! {
            #[doc = #doc]
            #cfg
            #[derive(Debug, Clone)]
            pub struct #name {
                client: Client,
            }

            #cfg
            impl #name {
                pub(crate) fn new(client: Client) -> Self {
                    Self { client }
                }

                #members
            }
        });
    }
    quote! {
        //! The resource tree: `client.admin().organization()...` leads to each operation.
        #(#items)*
    }
}

fn collect_depth_first<'a>(resources: &'a [Resource], out: &mut Vec<&'a Resource>) {
    for resource in resources {
        out.push(resource);
        collect_depth_first(&resource.children, out);
    }
}

/// `admin.organization.certificates` for a resource.
fn dotted_path(api: &Api, target: &Resource) -> String {
    fn find(resources: &[Resource], target: &Resource, path: &mut Vec<String>) -> bool {
        for resource in resources {
            path.push(crate::ir::naming::unraw(&resource.accessor).to_owned());
            if std::ptr::eq(resource, target) || find(&resource.children, target, path) {
                return true;
            }
            path.pop();
        }
        false
    }
    let mut path = Vec::new();
    find(&api.client.children, target, &mut path);
    path.join(".")
}

/// Accessors for child resources and one method per operation of a resource, each under the
/// features that compile it unless the resource itself (`container`) has the same.
fn resource_members(api: &Api, resource: &Resource, container: &[String]) -> TokenStream {
    let mut members = Vec::new();
    for child in &resource.children {
        let gate = child.gate(&api.operations);
        let accessor = ident(&child.accessor);
        let child_name = ident(&child.struct_name);
        let doc = format!(" Operations under `{}`.", dotted_path(api, child));
        let client = client_expr(resource);
        let cfg = member_cfg(&gate, container);
        members.push(quote! {
            #[doc = #doc]
            #cfg
            pub fn #accessor(&self) -> resources::#child_name {
                resources::#child_name::new(#client)
            }
        });
    }
    for method in &resource.methods {
        let operation = &api.operations[method.operation];
        members.push(operation_method(
            api,
            resource,
            operation,
            &method.name,
            container,
        ));
    }
    quote!(#(#members)*)
}

/// The `#[cfg]` of a member: none when its container is compiled under the same features.
fn member_cfg(gate: &[String], container: &[String]) -> TokenStream {
    if gate == container {
        TokenStream::new()
    } else {
        cfg_tokens(gate)
    }
}

/// The runtime's client: `self.0.clone()` on the client itself, `self.client.clone()` on a
/// resource.
fn client_expr(resource: &Resource) -> TokenStream {
    if resource.accessor.is_empty() {
        quote!(self.0.clone())
    } else {
        quote!(self.client.clone())
    }
}

fn operation_method(
    api: &Api,
    resource: &Resource,
    operation: &Operation,
    method_name: &str,
    container: &[String],
) -> TokenStream {
    let gate = &operation.gate;
    let method = ident(method_name);
    let builder = ident(&operation.struct_name);
    let endpoint = endpoint_line(operation);
    let docs = doc_paragraphs([
        operation
            .summary
            .as_deref()
            .or(operation.description.as_deref()),
        Some(endpoint.as_str()),
    ]);
    let example = super::examples::example_docs(api, operation);
    let mut params = Vec::new();
    let mut args = Vec::new();
    for input in operation.arguments() {
        let name = ident(&input.rust_name);
        let ty = &input.ty;
        if input.presence == Presence::RequiredNullable {
            // `Option<T>` is passed as is: `None` means `null`.
            let ty = field_type_tokens(ty, input.presence, Scope::Outside);
            params.push(quote!(#name: #ty));
            args.push(quote!(#name));
        } else {
            let arg = argument(&name, ty, &api.types, Scope::Outside);
            params.push(arg.ty_with_name(&name));
            args.push(arg.convert);
        }
    }
    let client = client_expr(resource);
    let allow = allow_many_arguments(1 + params.len());
    let deprecated = operation
        .deprecated
        .then(|| quote!(#[deprecated(note = "deprecated by the API description")]));
    let cfg = member_cfg(gate, container);
    quote! {
        #docs
        #example
        #cfg
        #deprecated
        #allow
        pub fn #method(&self, #(#params),*) -> operations::#builder {
            operations::#builder::new(#client, #(#args),*)
        }
    }
}
