//! The `webhooks` module of a crate whose API sends webhooks: its event type, and the
//! runtime's Standard Webhooks verifier bound to it.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::sanitize;
use super::prose::{first_sentence, one_line};
use super::rust::ident;
use crate::ir::{Api, Webhooks};

pub fn module(api: &Api, webhooks: &Webhooks) -> TokenStream {
    let event_type = ident(&webhooks.event_type);
    let env = &webhooks.secret_env;
    let tolerance = proc_macro2::Literal::u64_unsuffixed(webhooks.tolerance_seconds);
    let intro = format!(
        " The webhooks {} sends, as [`{}`]s, verified and decoded by [`Webhooks`].",
        api.title.trim(),
        webhooks.event_type
    );
    let secret = format!(
        " Each request is signed as [Standard Webhooks](https://www.standardwebhooks.com/) says, \
         with the endpoint's secret: the one given to [`Webhooks::new`] or \
         `ClientBuilder::webhook_secret`, else the one in `{env}`. A request signed more than \
         {tolerance} seconds from now, either way, is refused."
    );
    let list = webhooks.events.iter().map(|event| {
        let summary = event
            .docs
            .as_deref()
            .map(|docs| format!(": {}", sanitize(&first_sentence(&one_line(docs)))))
            .unwrap_or_default();
        let line = format!(
            " - `{}`: [`{}::{}`]{summary}",
            event.name, webhooks.event_type, event.variant
        );
        quote!(#![doc = #line])
    });
    let alias_doc = format!(
        " Verifies webhook requests and decodes their [`{}`]; `Client::webhooks` makes one \
         with the client's secret.",
        webhooks.event_type
    );
    quote! {
        #![doc = #intro]
        //!
        #![doc = #secret]
        //!
        //! The webhooks, and the variant each decodes as:
        #(#list)*

        pub use crate::runtime::webhooks::{WebhookError, WebhookHeaders};
        pub use crate::types::#event_type;

        #[doc = #alias_doc]
        pub type Webhooks = crate::runtime::webhooks::Webhooks<#event_type>;

        impl crate::runtime::webhooks::WebhookEvents for #event_type {
            const SECRET_ENV: Option<&'static str> = Some(#env);
            const TOLERANCE: std::time::Duration = std::time::Duration::from_secs(#tolerance);
        }
    }
}
