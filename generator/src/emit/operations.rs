//! The `operations` module: one request builder per operation, with its `send`.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::doc_paragraphs;
use super::rust::{
    allow_deprecated_uses, allow_many_arguments, argument, field_type_tokens, find_type, ident,
    is_enum, mentions_named, resolve_alias, type_tokens, Imports, Scope,
};
use crate::ir::{
    Api, ArrayFormat, Body, BodyEncoding, BodyField, Field, ObjectFormat, Operation, Pagination,
    ParamForm, ParamLocation, PathPart, Presence, ResponseKind, Struct, TypeKind, TypeRef,
};

pub fn module(api: &Api) -> TokenStream {
    let mut imports = Imports::default();
    let mut page_types_done = Vec::new();
    let items: Vec<TokenStream> = api
        .operations
        .iter()
        .map(|operation| {
            let mut item = builder(api, operation, &mut imports);
            if let Some(pagination) = &operation.pagination {
                item.extend(paginated(operation, pagination, &mut imports));
                if !page_types_done.contains(&pagination.page_type) {
                    page_types_done.push(pagination.page_type.clone());
                    item.extend(cursor_page(pagination, &mut imports));
                }
            }
            item
        })
        .collect();
    let imports = imports.tokens();
    let allow_deprecated = allow_deprecated_uses(api);
    quote! {
        //! Request builders, one per operation: set options, then `send()`.
        #allow_deprecated
        #imports
        #(#items)*
    }
}

/// The doc line locating an operation, e.g. ``` `GET /pets/{id}` ```.
pub fn endpoint_line(operation: &Operation) -> String {
    format!("`{} {}`", operation.method.as_str(), operation.path)
}

fn builder(api: &Api, operation: &Operation, imports: &mut Imports) -> TokenStream {
    imports.add("crate::runtime", "Client");
    imports.add("crate::runtime", "RequestOptions");
    imports.add("crate::runtime", "ApiRequest");
    imports.add("crate::runtime", "ApiResponse");
    imports.add("crate::runtime", "Error");
    let name = ident(&operation.struct_name);
    let endpoint = endpoint_line(operation);
    let deprecated = operation.deprecated.then_some("**Deprecated** by the API.");
    // Written here, not taken from the description: links stay links.
    let errors = match &operation.error {
        Some(TypeRef::Named(error)) => {
            let line = format!(
                " An error response ([`Error::Api`]) has a body of type [`{error}`](crate::types::{error}): read it with `api_error.decode::<types::{error}>()`."
            );
            quote!(#[doc = ""] #[doc = #line])
        }
        _ => TokenStream::new(),
    };
    let docs = doc_paragraphs([
        operation.summary.as_deref(),
        operation.description.as_deref(),
        deprecated,
        Some(endpoint.as_str()),
    ]);
    let docs = quote!(#docs #errors);

    let mut members = Members::default();
    for param in &operation.params {
        let member = ident(&param.rust_name);
        let stored = type_tokens(&param.ty, Scope::Outside);
        if mentions_named(&param.ty) {
            imports.add("crate", "types");
        }
        if param.required {
            members.required(&member, &stored);
        } else {
            let arg = argument(&member, &param.ty, &api.types);
            let convert = &arg.convert;
            members.optional(&member, &stored);
            members.setter(
                param.docs.as_deref(),
                &member,
                &arg.ty,
                quote!(self.#member = Some(#convert);),
            );
        }
    }
    if let Some(body) = &operation.body {
        let stream_flag = operation.stream.as_ref().map(|stream| stream.flag_field);
        body_members(api, body, stream_flag, imports, &mut members);
    }
    let Members {
        fields,
        new_args,
        new_inits,
        setters,
    } = members;

    let request = build_request(api, operation, imports);
    let (send, send_with_response) = send_methods(api, operation, imports);
    let allow_many = allow_many_arguments(1 + new_args.len());
    quote! {
        #docs
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #name {
            client: Client,
            #(#fields)*
            options: RequestOptions,
        }

        impl #name {
            #allow_many
            pub(crate) fn new(client: Client, #(#new_args),*) -> Self {
                Self {
                    client,
                    #(#new_inits)*
                    options: RequestOptions::default(),
                }
            }

            #(#setters)*

            /// Overrides the client's timeout, retries, headers or query for this request only.
            pub fn request_options(mut self, options: RequestOptions) -> Self {
                self.options = options;
                self
            }

            #send
            #send_with_response
            #request
        }
    }
}

/// What a builder stores, and how its constructor and setters fill it.
#[derive(Default)]
struct Members {
    fields: Vec<TokenStream>,
    new_args: Vec<TokenStream>,
    new_inits: Vec<TokenStream>,
    setters: Vec<TokenStream>,
}

impl Members {
    /// A member set by the constructor.
    fn required(&mut self, member: &Ident, stored: &TokenStream) {
        self.fields.push(quote!(#member: #stored,));
        self.new_args.push(quote!(#member: #stored));
        self.new_inits.push(quote!(#member,));
    }

    /// A member that starts as `None`.
    fn optional(&mut self, member: &Ident, stored: &TokenStream) {
        self.fields.push(quote!(#member: Option<#stored>,));
        self.new_inits.push(quote!(#member: None,));
    }

    /// `pub fn name(mut self, name: Arg) -> Self { <assign>; self }`.
    fn setter(
        &mut self,
        docs: Option<&str>,
        name: &Ident,
        arg_ty: &TokenStream,
        assign: TokenStream,
    ) {
        let docs = doc_paragraphs([docs]);
        self.setters.push(quote! {
            #docs
            pub fn #name(mut self, #name: #arg_ty) -> Self {
                #assign
                self
            }
        });
    }
}

/// A struct body is stored whole; its required fields are constructor arguments and its
/// optional ones setters. Any other body is one member named `body`.
/// `stream_flag`: the field the streaming form sets itself, which gets no setter.
fn body_members(
    api: &Api,
    body: &Body,
    stream_flag: Option<usize>,
    imports: &mut Imports,
    members: &mut Members,
) {
    if mentions_named(&body.ty) {
        imports.add("crate", "types");
    }
    let body_ty = type_tokens(&body.ty, Scope::Outside);
    let member = format_ident!("body");
    let Some((body_struct, builder_fields)) = struct_body(api, body) else {
        if body.required {
            members.required(&member, &body_ty);
        } else {
            let arg = argument(&member, &body.ty, &api.types);
            let convert = &arg.convert;
            members.optional(&member, &body_ty);
            members.setter(
                body.docs.as_deref(),
                &member,
                &arg.ty,
                quote!(self.body = Some(#convert);),
            );
        }
        return;
    };
    members.fields.push(quote!(body: #body_ty,));
    let mut inits = Vec::new();
    // Members without a builder field (read-only ones) start unset, as they are optional.
    for (index, field) in body_struct.fields.iter().enumerate() {
        if !builder_fields.iter().any(|b| b.field == index) {
            let member = ident(&field.rust_name);
            inits.push(quote!(#member: None,));
        }
    }
    for builder_field in builder_fields {
        let field: &Field = &body_struct.fields[builder_field.field];
        let member = ident(&field.rust_name);
        let arg_name = ident(&builder_field.builder_name);
        if mentions_named(&field.ty) {
            imports.add("crate", "types");
        }
        match field.presence {
            _ if stream_flag == Some(builder_field.field) => {
                let unset = match field.presence {
                    Presence::Required => quote!(false),
                    _ => quote!(None),
                };
                inits.push(quote!(#member: #unset,));
            }
            Presence::Required | Presence::RequiredNullable => {
                let stored = field_type_tokens(&field.ty, field.presence, Scope::Outside);
                members.new_args.push(quote!(#arg_name: #stored));
                inits.push(if member == arg_name {
                    quote!(#member,)
                } else {
                    quote!(#member: #arg_name,)
                });
            }
            Presence::Optional => {
                let arg = argument(&arg_name, &field.ty, &api.types);
                let convert = &arg.convert;
                inits.push(quote!(#member: None,));
                members.setter(
                    field.docs.as_deref(),
                    &arg_name,
                    &arg.ty,
                    quote!(self.body.#member = Some(#convert);),
                );
            }
            Presence::OptionalNullable => {
                let arg = argument(&arg_name, &field.ty, &api.types);
                let convert = &arg.convert;
                inits.push(quote!(#member: None,));
                members.setter(
                    field.docs.as_deref(),
                    &arg_name,
                    &arg.ty,
                    quote!(self.body.#member = Some(Some(#convert));),
                );
                if let Some(null_setter) = &builder_field.null_setter {
                    let null_setter = ident(null_setter);
                    let doc = format!(" Sends `{}` as `null`.", field.wire_name);
                    members.setters.push(quote! {
                        #[doc = #doc]
                        pub fn #null_setter(mut self) -> Self {
                            self.body.#member = Some(None);
                            self
                        }
                    });
                }
            }
        }
    }
    let extra = ident(&body_struct.extra_field);
    members.new_inits.push(quote! {
        body: #body_ty {
            #(#inits)*
            #extra: serde_json::Map::new(),
        },
    });
}

/// The arguments a resource method takes, in order: required parameters, then the required
/// fields of a struct body (or a required non-struct body, as `body`).
pub fn positional_arguments<'a>(
    api: &'a Api,
    operation: &'a Operation,
) -> Vec<(&'a str, &'a TypeRef, Presence)> {
    let mut arguments: Vec<(&str, &TypeRef, Presence)> = operation
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| (p.rust_name.as_str(), &p.ty, Presence::Required))
        .collect();
    let Some(body) = &operation.body else {
        return arguments;
    };
    match struct_body(api, body) {
        Some((body_struct, builder_fields)) => {
            for builder_field in builder_fields {
                let field = &body_struct.fields[builder_field.field];
                if matches!(
                    field.presence,
                    Presence::Required | Presence::RequiredNullable
                ) {
                    arguments.push((
                        builder_field.builder_name.as_str(),
                        &field.ty,
                        field.presence,
                    ));
                }
            }
        }
        None if body.required => arguments.push(("body", &body.ty, Presence::Required)),
        None => {}
    }
    arguments
}

/// The body's struct and the builder names of its fields, when the body is a struct.
pub fn struct_body<'a>(api: &'a Api, body: &'a Body) -> Option<(&'a Struct, &'a [BodyField])> {
    let (TypeRef::Named(name), Some(builder_fields)) = (&body.ty, &body.fields) else {
        return None;
    };
    match find_type(&api.types, name).map(|t| &t.kind) {
        Some(TypeKind::Struct(s)) => Some((s, builder_fields.as_slice())),
        _ => None,
    }
}

fn build_request(api: &Api, operation: &Operation, imports: &mut Imports) -> TokenStream {
    let method = format_ident!("{}", operation.method.as_str());
    imports.add("crate::runtime", "Method");
    let path = path_expression(operation, imports);
    let mut statements = Vec::new();
    for param in &operation.params {
        let member = ident(&param.rust_name);
        let wire = &param.wire_name;
        let call = match param.location {
            ParamLocation::Path => continue,
            ParamLocation::Query => match param.form {
                ParamForm::Text => quote!(request.query(#wire, value);),
                ParamForm::List(format) => {
                    imports.add("crate::runtime", "ArrayFormat");
                    let format = match format {
                        ArrayFormat::Repeat => quote!(ArrayFormat::Repeat),
                        ArrayFormat::Brackets => quote!(ArrayFormat::Brackets),
                        ArrayFormat::Comma => quote!(ArrayFormat::Comma),
                        ArrayFormat::Space => quote!(ArrayFormat::Space),
                        ArrayFormat::Pipe => quote!(ArrayFormat::Pipe),
                    };
                    quote!(request.query_array(#wire, value, #format);)
                }
                ParamForm::Object(format) => {
                    imports.add("crate::runtime", "ObjectFormat");
                    let format = match format {
                        ObjectFormat::Form => quote!(ObjectFormat::Form),
                        ObjectFormat::DeepObject => quote!(ObjectFormat::DeepObject),
                    };
                    quote!(request.query_object(#wire, value, #format)?;)
                }
                ParamForm::Serialized => quote!(request.query_serialized(#wire, value)?;),
            },
            ParamLocation::Header => match param.form {
                ParamForm::List(_) => quote!(request.header_list(#wire, value);),
                ParamForm::Serialized | ParamForm::Object(_) => {
                    quote!(request.header_serialized(#wire, value)?;)
                }
                ParamForm::Text => quote!(request.header(#wire, value);),
            },
            ParamLocation::Cookie => match param.form {
                ParamForm::Text => quote!(request.cookie(#wire, value);),
                _ => quote!(request.cookie_serialized(#wire, value)?;),
            },
        };
        statements.push(if param.required {
            quote! {
                let value = &self.#member;
                #call
            }
        } else {
            quote! {
                if let Some(value) = &self.#member {
                    #call
                }
            }
        });
    }
    for (name, value) in &operation.fixed_query {
        statements.push(quote!(request.query(#name, #value);));
    }
    if let Some(accept) = &operation.accept {
        statements.push(quote!(request.header("accept", #accept);));
    }
    if !operation.security.is_empty() {
        let alternatives = operation.security.iter().map(|all| quote!(&[#(#all),*]));
        statements.push(quote!(request.security(&[#(#alternatives),*]);));
    }
    if let Some(body) = &operation.body {
        statements.push(body_statements(api, body));
    }
    quote! {
        fn build_request(&self) -> Result<ApiRequest, Error> {
            let mut request = ApiRequest::new(Method::#method, #path);
            #(#statements)*
            request.options(self.options.clone());
            Ok(request)
        }
    }
}

/// Writes the body as its encoding asks: JSON, form, text, a file, or one multipart part per
/// field of the body struct.
fn body_statements(api: &Api, body: &Body) -> TokenStream {
    let media = &body.media_type;
    let stored = body.fields.is_some() || body.required;
    let write = |value: TokenStream| match body.encoding {
        BodyEncoding::Json => quote!(request.json_body(#value)?;),
        BodyEncoding::Form => quote!(request.form_body(#value)?;),
        BodyEncoding::Text => quote!(request.text_body(#media, #value);),
        BodyEncoding::Binary => quote!(request.file_body(#media, #value);),
        BodyEncoding::Multipart => quote!(),
    };
    if body.encoding == BodyEncoding::Multipart {
        if let Some((body_struct, _)) = struct_body(api, body) {
            return multipart_statements(api, body_struct);
        }
    }
    if stored {
        write(quote!(&self.body))
    } else {
        let statement = write(quote!(body));
        quote! {
            if let Some(body) = &self.body {
                #statement
            }
        }
    }
}

/// One part per field: files as file parts, scalars as text, anything else as JSON text;
/// arrays repeat the part for each item. The struct's unknown-field map adds JSON parts too.
fn multipart_statements(api: &Api, body_struct: &Struct) -> TokenStream {
    // An alias of a string is text too, not a JSON string.
    let part = |value: TokenStream, wire: &str, ty: &TypeRef| -> TokenStream {
        match resolve_alias(&api.types, ty) {
            TypeRef::File => quote!(request.file_part(#wire, #value);),
            TypeRef::String | TypeRef::Boolean | TypeRef::Integer(_) | TypeRef::Number(_) => {
                quote!(request.text_part(#wire, #value);)
            }
            _ if is_enum(&api.types, ty) => quote!(request.text_part(#wire, #value);),
            _ => quote!(request.json_part(#wire, #value)?;),
        }
    };
    let statements = body_struct.fields.iter().map(|field| {
        let member = ident(&field.rust_name);
        let wire = field.wire_name.as_str();
        let write = match &field.ty {
            TypeRef::Array(item) => {
                let each = part(quote!(item), wire, item);
                quote!(for item in value { #each })
            }
            other => part(quote!(value), wire, other),
        };
        match field.presence {
            Presence::Required => quote! {
                let value = &self.body.#member;
                #write
            },
            Presence::Optional | Presence::RequiredNullable => quote! {
                if let Some(value) = &self.body.#member {
                    #write
                }
            },
            Presence::OptionalNullable => quote! {
                if let Some(Some(value)) = &self.body.#member {
                    #write
                }
            },
        }
    });
    let extra = ident(&body_struct.extra_field);
    quote! {
        #(#statements)*
        for (name, value) in &self.body.#extra {
            request.json_part(name, value)?;
        }
    }
}

/// The encoded path: a literal, or `format!` with each parameter checked and encoded.
fn path_expression(operation: &Operation, imports: &mut Imports) -> TokenStream {
    let mut template = String::new();
    let mut args = Vec::new();
    for part in &operation.path_parts {
        match part {
            PathPart::Literal(text) => {
                template.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            PathPart::Param(index) => {
                let param = &operation.params[*index];
                let member = ident(&param.rust_name);
                let wire = &param.wire_name;
                template.push_str("{}");
                args.push(match (&param.form, &param.ty) {
                    (ParamForm::Text, TypeRef::String) => {
                        imports.add("crate::runtime", "path_param");
                        quote!(path_param(#wire, &self.#member)?)
                    }
                    (ParamForm::Text, _) => {
                        imports.add("crate::runtime", "path_param");
                        quote!(path_param(#wire, &self.#member.to_string())?)
                    }
                    _ => {
                        imports.add("crate::runtime", "path_param_serialized");
                        quote!(path_param_serialized(#wire, &self.#member)?)
                    }
                });
            }
        }
    }
    if args.is_empty() {
        quote!(#template.to_owned())
    } else {
        quote!(format!(#template, #(#args),*))
    }
}

fn send_methods(
    api: &Api,
    operation: &Operation,
    imports: &mut Imports,
) -> (TokenStream, TokenStream) {
    let send_docs = quote! {
        /// Sends the request and decodes the response, retrying as the client is configured.
    };
    let with_response_docs = quote! {
        /// Like `send`, but also returns the status, headers and request id of the response.
    };
    if operation.pagination.is_some() {
        imports.add("crate::runtime", "Page");
        let send = quote! {
            #send_docs
            ///
            /// The page knows how to fetch the next one; see also `into_stream`.
            pub async fn send(self) -> Result<Page<Self>, Error> {
                self.send_with_response().await.map(ApiResponse::into_value)
            }
        };
        let with_response = quote! {
            #with_response_docs
            pub async fn send_with_response(self) -> Result<ApiResponse<Page<Self>>, Error> {
                let request = self.build_request()?;
                let response = self.client.execute(request).await?;
                Ok(response.map(|page| Page::new(self, page)))
            }
        };
        return (send, with_response);
    }
    let (value_ty, call) = match &operation.response {
        ResponseKind::Json(ty) => {
            if mentions_named(ty) {
                imports.add("crate", "types");
            }
            (type_tokens(ty, Scope::Outside), quote!(execute))
        }
        ResponseKind::Empty => (quote!(()), quote!(execute_empty)),
        ResponseKind::Bytes => (quote!(Vec<u8>), quote!(execute_bytes)),
        ResponseKind::Text => (quote!(String), quote!(execute_text)),
        ResponseKind::EventStream(event) => {
            imports.add("crate::runtime", "EventStream");
            if mentions_named(event) {
                imports.add("crate", "types");
            }
            let event = type_tokens(event, Scope::Outside);
            (quote!(EventStream<#event>), quote!(execute_events))
        }
    };
    let send = quote! {
        #send_docs
        pub async fn send(self) -> Result<#value_ty, Error> {
            self.send_with_response().await.map(ApiResponse::into_value)
        }
    };
    let mut with_response = quote! {
        #with_response_docs
        pub async fn send_with_response(self) -> Result<ApiResponse<#value_ty>, Error> {
            let request = self.build_request()?;
            self.client.#call(request).await
        }
    };
    if operation.response == ResponseKind::Bytes {
        imports.add("crate::runtime", "ByteStream");
        with_response.extend(quote! {
            /// Like `send`, but returns the body as a stream of chunks, read as they arrive
            /// (for downloads too large to hold in memory).
            pub async fn bytes_stream(self) -> Result<ApiResponse<ByteStream>, Error> {
                let request = self.build_request()?;
                self.client.execute_byte_stream(request).await
            }
        });
    }
    if let (Some(stream), Some(body)) = (&operation.stream, &operation.body) {
        imports.add("crate::runtime", "EventStream");
        if mentions_named(&stream.event) {
            imports.add("crate", "types");
        }
        let event = type_tokens(&stream.event, Scope::Outside);
        let Some((body_struct, _)) = struct_body(api, body) else {
            return (send, with_response);
        };
        let field = &body_struct.fields[stream.flag_field];
        let flag = ident(&field.rust_name);
        let set_flag = match field.presence {
            Presence::Required => quote!(self.body.#flag = true;),
            Presence::Optional | Presence::RequiredNullable => {
                quote!(self.body.#flag = Some(true);)
            }
            Presence::OptionalNullable => quote!(self.body.#flag = Some(Some(true));),
        };
        let method = ident(&stream.method);
        let docs = format!(" Sends the request with `{}: true` and returns the server-sent events as they arrive, each decoded.", field.wire_name);
        with_response.extend(quote! {
            #[doc = #docs]
            pub async fn #method(mut self) -> Result<EventStream<#event>, Error> {
                #set_flag
                let request = self.build_request()?;
                self.client.execute_events(request).await.map(ApiResponse::into_value)
            }
        });
    }
    (send, with_response)
}

fn paginated(operation: &Operation, pagination: &Pagination, imports: &mut Imports) -> TokenStream {
    imports.add("crate::runtime", "PageStream");
    imports.add("crate::runtime", "PaginatedRequest");
    imports.add("std::future", "Future");
    imports.add("std::pin", "Pin");
    imports.add("crate", "types");
    let name = ident(&operation.struct_name);
    let page = ident(&pagination.page_type);
    let cursor_param = &operation.params[pagination.cursor_param];
    let cursor = ident(&cursor_param.rust_name);
    let set_cursor = if cursor_param.required {
        quote!(self.#cursor = cursor;)
    } else {
        quote!(self.#cursor = Some(cursor);)
    };
    quote! {
        impl #name {
            /// Every item of every page, fetching the next page only when the stream reaches it.
            pub fn into_stream(self) -> PageStream<Self> {
                PageStream::new(self)
            }
        }

        impl PaginatedRequest for #name {
            type Page = types::#page;

            fn with_cursor(mut self, cursor: String) -> Self {
                #set_cursor
                self
            }

            fn fetch(self) -> Pin<Box<dyn Future<Output = Result<ApiResponse<Self::Page>, Error>> + Send>> {
                Box::pin(async move {
                    let request = self.build_request()?;
                    self.client.execute(request).await
                })
            }
        }
    }
}

fn cursor_page(pagination: &Pagination, imports: &mut Imports) -> TokenStream {
    imports.add("crate::runtime", "CursorPage");
    let page = ident(&pagination.page_type);
    let item = type_tokens(&pagination.item, Scope::Outside);
    let items = ident(&pagination.items_field.rust_name);
    let (items_ref, items_owned) = match pagination.items_field.presence {
        Presence::Required => (quote!(&self.#items), quote!(self.#items)),
        Presence::Optional | Presence::RequiredNullable => (
            quote!(self.#items.as_deref().unwrap_or(&[])),
            quote!(self.#items.unwrap_or_default()),
        ),
        Presence::OptionalNullable => (
            quote!(self.#items.as_ref().and_then(|items| items.as_deref()).unwrap_or(&[])),
            quote!(self.#items.flatten().unwrap_or_default()),
        ),
    };
    let has_more = match &pagination.has_more_field {
        None => quote!(true),
        Some(field) => {
            let member = ident(&field.rust_name);
            match field.presence {
                Presence::Required => quote!(self.#member),
                Presence::Optional | Presence::RequiredNullable => {
                    quote!(self.#member.unwrap_or(false))
                }
                Presence::OptionalNullable => quote!(self.#member.flatten().unwrap_or(false)),
            }
        }
    };
    let next = ident(&pagination.next_cursor_field.rust_name);
    let next_cursor = match pagination.next_cursor_field.presence {
        Presence::Required => quote!(Some(self.#next.as_str())),
        Presence::Optional | Presence::RequiredNullable => quote!(self.#next.as_deref()),
        Presence::OptionalNullable => {
            quote!(self.#next.as_ref().and_then(|cursor| cursor.as_deref()))
        }
    };
    quote! {
        impl CursorPage for types::#page {
            type Item = #item;

            fn items(&self) -> &[Self::Item] {
                #items_ref
            }

            fn into_items(self) -> Vec<Self::Item> {
                #items_owned
            }

            fn has_more(&self) -> bool {
                #has_more
            }

            fn next_cursor(&self) -> Option<&str> {
                #next_cursor
            }
        }
    }
}
