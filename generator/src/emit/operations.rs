//! The `operations` module: one request builder per operation, with its `send`.
//!
//! The methods that build and send a request are `#[inline]`: their machine code, and that of
//! decoding the response types they name, is then generated in the crate that calls them, not
//! in the generated crate, so hundreds of operations cost an application only those it calls.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_paragraphs;
use super::rust::{
    allow_deprecated_uses, allow_many_arguments, argument, field_type_tokens, fixed_value, ident,
    type_tokens, Scope,
};
use super::{declarations, Item, Items, MakeHead, Module, Source, Vocabulary};
use crate::ir::naming;
use crate::ir::PathStyle as IrPathStyle;
use crate::ir::TypeQueries;
use crate::ir::{
    Api, ArrayFormat, Body, BodyEncoding, Field, HttpMethod, Input, InputRole, InputTarget,
    ObjectFormat, Operation, PageStyle, Pagination, Param, ParamForm, ParamLocation, PartKind,
    PathPart, Presence, ResponseKind, SequenceFormat, Struct, TypeRef, VariantPart,
};

/// `src/operations.rs`, or `src/operations/mod.rs` and a file per feature when the IR splits
/// the operations. The `CursorPage` impls of the page types come after the builders (in
/// `mod.rs` when split): each compiles with any feature that reaches its page type.
pub fn modules(api: &Api) -> Vec<Module<'_>> {
    let pages = page_types(api);
    if api.operation_modules.is_empty() {
        let count = api.operations.len();
        return vec![Module {
            path: "src/operations.rs".to_owned(),
            source: Source::Items(Items {
                count: count + pages.len(),
                item: Box::new(move |index| match index.checked_sub(count) {
                    None => vec![operation_item(api, &api.operations[index])],
                    Some(page) => vec![page_item(api, pages[page])],
                }),
                head: head(api, None),
            }),
            vocabulary: Vocabulary::library(),
        }];
    }
    let mut modules = vec![Module {
        path: "src/operations/mod.rs".to_owned(),
        source: Source::Items(Items {
            count: pages.len(),
            item: Box::new(move |index| vec![page_item(api, pages[index])]),
            head: Box::new(move || {
                let docs = module_docs();
                let declarations = declarations(
                    api.operation_modules
                        .iter()
                        .map(|module| (module.name.as_str(), &module.gate[..])),
                    true,
                );
                quote! {
                    #docs
                    #declarations
                }
            }),
        }),
        vocabulary: Vocabulary::library(),
    }];
    for module in &api.operation_modules {
        let line = format!(
            " The request builders of the `{}` feature.",
            module.gate.join("`, `")
        );
        modules.push(Module {
            path: format!("src/operations/{}.rs", naming::unraw(&module.name)),
            source: Source::Items(Items {
                count: module.operations.len(),
                item: Box::new(move |index| {
                    let operation = &api.operations[module.operations[index]];
                    vec![operation_item(api, operation)]
                }),
                head: head(api, Some(line)),
            }),
            vocabulary: Vocabulary::library(),
        });
    }
    modules
}

fn module_docs() -> TokenStream {
    quote! {
        //! Request builders, one per operation: set options, then `send()`.
    }
}

/// A file's head: the module's docs, or one line for a feature's file.
fn head(api: &Api, line: Option<String>) -> MakeHead<'_> {
    Box::new(move || {
        let docs = match &line {
            None => module_docs(),
            Some(line) => quote!(#![doc = #line]),
        };
        let allow_deprecated = allow_deprecated_uses(api);
        quote! {
            #docs
            #allow_deprecated
        }
    })
}

/// An operation's builder. It needs no gate of its own: with features, its file is its
/// feature's; without, nothing is gated.
fn operation_item(api: &Api, operation: &Operation) -> Item {
    let mut builder = builder(api, operation);
    if let Some(pagination) = &operation.pagination {
        builder.extend(paginated(operation, pagination));
    }
    Item::new(builder, &[])
}

/// The first pagination of each page type, in the order of the operations.
fn page_types(api: &Api) -> Vec<&Pagination> {
    let mut pages: Vec<&Pagination> = Vec::new();
    for pagination in api
        .operations
        .iter()
        .filter_map(|op| op.pagination.as_ref())
        .filter(|pagination| pagination.page_type().is_some())
    {
        if !pages
            .iter()
            .any(|page| page.page_type() == pagination.page_type())
        {
            pages.push(pagination);
        }
    }
    pages
}

/// A page type's `CursorPage` impl: every feature that reaches the page type needs it.
fn page_item(api: &Api, pagination: &Pagination) -> Item {
    let gate = pagination
        .page_type()
        .and_then(|page| api.types.type_named(page))
        .map_or(&[][..], |def| &def.gate);
    Item::new(cursor_page(pagination), gate)
}

/// The doc line locating an operation, e.g. ``` `GET /pets/{id}` ```.
pub fn endpoint_line(operation: &Operation) -> String {
    format!("`{} {}`", operation.method.as_str(), operation.path)
}

fn builder(api: &Api, operation: &Operation) -> TokenStream {
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

    let Members {
        fields,
        new_args,
        new_inits,
        setters,
    } = members(api, operation);

    let request = build_request(api, operation);
    let (send, send_with_response) = send_methods(operation);
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

/// Each parameter is stored under its name and the body as `body` (a body taken field by
/// field is stored whole); the operation's inputs say which are constructor arguments and
/// which setters.
fn members(api: &Api, operation: &Operation) -> Members {
    let mut members = Members::default();
    for param in &operation.params {
        let member = ident(&param.rust_name);
        let stored = type_tokens(&param.ty, Scope::Outside);
        if param.required {
            members.fields.push(quote!(#member: #stored,));
            members.new_inits.push(quote!(#member,));
        } else {
            members.fields.push(quote!(#member: Option<#stored>,));
            members.new_inits.push(quote!(#member: None,));
        }
    }
    let body_struct = operation.body.as_ref().and_then(|body| {
        let body_ty = type_tokens(&body.ty, Scope::Outside);
        members.fields.push(if body.always_present() {
            quote!(body: #body_ty,)
        } else {
            quote!(body: Option<#body_ty>,)
        });
        match body_struct(api, body) {
            Some(body_struct) => Some((body_ty, body_struct)),
            None if body.required => {
                members.new_inits.push(quote!(body,));
                None
            }
            None => {
                members.new_inits.push(quote!(body: None,));
                None
            }
        }
    });
    for input in &operation.inputs {
        let name = ident(&input.rust_name);
        if input.role == InputRole::Argument {
            let stored = field_type_tokens(&input.ty, input.presence, Scope::Outside);
            members.new_args.push(quote!(#name: #stored));
            continue;
        }
        let arg = argument(&name, &input.ty, &api.types, Scope::Outside);
        let convert = &arg.convert;
        let assign = match &input.target {
            InputTarget::Param(_) => quote!(self.#name = Some(#convert);),
            InputTarget::Body => quote!(self.body = Some(#convert);),
            InputTarget::BodyField { member, .. } => {
                let member = ident(member);
                match input.presence {
                    Presence::OptionalNullable => quote!(self.body.#member = Some(Some(#convert));),
                    _ => quote!(self.body.#member = Some(#convert);),
                }
            }
        };
        let docs = doc_paragraphs([input.docs.as_deref()]);
        let arg_ty = &arg.ty;
        members.setters.push(quote! {
            #docs
            pub fn #name(mut self, #name: #arg_ty) -> Self {
                #assign
                self
            }
        });
        if let (InputRole::NullableSetter { null_setter }, InputTarget::BodyField { member, .. }) =
            (&input.role, &input.target)
        {
            let member = ident(member);
            let null_setter = ident(null_setter);
            let doc = format!(
                " Sends `{}` as `null`.",
                input.wire_name.as_deref().unwrap_or_default()
            );
            members.setters.push(quote! {
                #[doc = #doc]
                pub fn #null_setter(mut self) -> Self {
                    self.body.#member = Some(None);
                    self
                }
            });
        }
    }
    if let Some((body_ty, body_struct)) = body_struct {
        let stream_flag = operation
            .stream
            .as_ref()
            .map(|stream| &stream.flag.wire_name);
        // The constructor's argument for each body field that has one, by the field's index.
        let arguments: HashMap<usize, &Input> = operation
            .arguments()
            .filter_map(|input| match input.target {
                InputTarget::BodyField { index, .. } => Some((index, input)),
                _ => None,
            })
            .collect();
        let inits = body_struct.fields.iter().enumerate().map(|(index, field)| {
            let member = ident(&field.rust_name);
            match arguments.get(&index) {
                Some(input) if input.rust_name == field.rust_name => quote!(#member,),
                Some(input) => {
                    let name = ident(&input.rust_name);
                    quote!(#member: #name,)
                }
                // The streaming form sets its flag itself.
                None if stream_flag == Some(&field.wire_name)
                    && field.presence == Presence::Required =>
                {
                    quote!(#member: false,)
                }
                None => match fixed_value(field, Scope::Outside) {
                    Some(value) => quote!(#member: #value,),
                    None => quote!(#member: None,),
                },
            }
        });
        let extra = ident(&body_struct.extra_field);
        members.new_inits.push(quote! {
            body: #body_ty {
                #(#inits)*
                #extra: serde_json::Map::new(),
            },
        });
    }
    members
}

/// The struct of a body taken field by field.
pub fn body_struct<'a>(api: &'a Api, body: &Body) -> Option<&'a Struct> {
    api.types.struct_of(&body.ty).filter(|_| body.by_field)
}

fn build_request(api: &Api, operation: &Operation) -> TokenStream {
    let method = match &operation.method {
        HttpMethod::Other(method) => quote!(custom_method(#method)?),
        method => {
            let method = format_ident!("{}", method.as_str());
            quote!(Method::#method)
        }
    };
    let path = path_expression(operation);
    let mut statements = Vec::new();
    for param in &operation.params {
        let member = ident(&param.rust_name);
        let wire = &param.wire_name;
        let call = match param.location {
            ParamLocation::Path => continue,
            ParamLocation::Query => match param.form {
                ParamForm::Text => quote!(request.query(#wire, value);),
                ParamForm::List(format) => {
                    let format = match format {
                        ArrayFormat::Repeat => quote!(ArrayFormat::Repeat),
                        ArrayFormat::Brackets => quote!(ArrayFormat::Brackets),
                        ArrayFormat::Comma => quote!(ArrayFormat::Comma),
                        ArrayFormat::Space => quote!(ArrayFormat::Space),
                        ArrayFormat::Pipe => quote!(ArrayFormat::Pipe),
                    };
                    quote!(request.query_array(#wire, value, #format);)
                }
                ParamForm::Object(ObjectFormat::Simple { exploded }) => {
                    quote!(request.query(#wire, simple_text(#wire, value, #exploded)?);)
                }
                ParamForm::Object(format) => {
                    let format = match format {
                        ObjectFormat::DeepObject => quote!(ObjectFormat::DeepObject),
                        _ => quote!(ObjectFormat::Form),
                    };
                    quote!(request.query_object(#wire, value, #format)?;)
                }
                ParamForm::Json => {
                    quote!(request.query(#wire, json_text(#wire, value)?);)
                }
                ParamForm::QueryString { json: true } => {
                    quote!(request.whole_query(&json_text(#wire, value)?);)
                }
                ParamForm::QueryString { json: false } => {
                    quote!(request.whole_query(&value.to_string());)
                }
                // (Path styles are only decided for path parameters.)
                ParamForm::Serialized | ParamForm::Path { .. } => {
                    quote!(request.query_serialized(#wire, value)?;)
                }
            },
            ParamLocation::Header | ParamLocation::Cookie => {
                let add = match param.location {
                    ParamLocation::Header => quote!(header),
                    _ => quote!(cookie),
                };
                match param.form {
                    ParamForm::Text => quote!(request.#add(#wire, value);),
                    ParamForm::List(_) if param.location == ParamLocation::Header => {
                        quote!(request.header_list(#wire, value);)
                    }
                    ParamForm::Object(format) => {
                        let exploded = format == ObjectFormat::Simple { exploded: true };
                        quote!(request.#add(#wire, simple_text(#wire, value, #exploded)?);)
                    }
                    ParamForm::Json => {
                        quote!(request.#add(#wire, json_text(#wire, value)?);)
                    }
                    // (A whole query string is only a query's.)
                    ParamForm::List(_)
                    | ParamForm::Serialized
                    | ParamForm::Path { .. }
                    | ParamForm::QueryString { .. } => {
                        let serialized = match param.location {
                            ParamLocation::Header => quote!(header_serialized),
                            _ => quote!(cookie_serialized),
                        };
                        quote!(request.#serialized(#wire, value)?;)
                    }
                }
            }
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
        let alternatives = operation.security.iter().map(|all| {
            let names = all.iter().filter_map(|&index| {
                let credential = api.credentials.get(index)?;
                let name = format_ident!("{}", credential.const_name());
                Some(quote!(credentials::#name))
            });
            quote!(&[#(#names),*])
        });
        statements.push(quote!(request.security(&[#(#alternatives),*]);));
    }
    if !operation.scopes.is_empty() {
        let scopes = operation.scopes.iter().filter_map(|(index, scopes)| {
            let credential = api.credentials.get(*index)?;
            let name = format_ident!("{}", credential.const_name());
            Some(quote!((credentials::#name, &[#(#scopes),*])))
        });
        statements.push(quote!(request.scopes(&[#(#scopes),*]);));
    }
    if let Some(body) = &operation.body {
        statements.push(body_statements(api, body));
    }
    let id = &operation.id;
    let template = &operation.path;
    quote! {
        #[inline]
        fn build_request(&self) -> Result<ApiRequest, Error> {
            let mut request = ApiRequest::new(#method, #path);
            request.operation(#id, #template);
            #(#statements)*
            request.options(self.options.clone());
            Ok(request)
        }
    }
}

/// The runtime's name for how a sequence's items are delimited.
fn sequence_format(format: SequenceFormat) -> TokenStream {
    match format {
        SequenceFormat::JsonLines => quote!(SequenceFormat::JsonLines),
        SequenceFormat::JsonSeq => quote!(SequenceFormat::JsonSeq),
        SequenceFormat::Multipart => quote!(SequenceFormat::Multipart),
        SequenceFormat::EventStream => quote!(SequenceFormat::EventStream),
    }
}

/// Writes the body as its encoding asks: JSON, form, text, a file, or one multipart part per
/// field of the body struct.
fn body_statements(api: &Api, body: &Body) -> TokenStream {
    let media = &body.media_type;
    let write = |value: TokenStream| match body.encoding {
        BodyEncoding::Json if body.media_type == "application/json" => {
            quote!(request.json_body(#value)?;)
        }
        BodyEncoding::Json => quote!(request.json_body_as(#media, #value)?;),
        BodyEncoding::Form => quote!(request.form_body(#value)?;),
        // A boolean or number written as text (`text/plain` with `type: boolean`).
        BodyEncoding::Text if body.ty != TypeRef::String => {
            quote!(request.text_body(#media, &ToString::to_string(#value));)
        }
        BodyEncoding::Text => quote!(request.text_body(#media, #value);),
        BodyEncoding::Binary => quote!(request.file_body(#media, #value);),
        BodyEncoding::Sequence(format) => {
            let format = sequence_format(format);
            quote!(request.sequence_body(#media, #format, #value)?;)
        }
        BodyEncoding::Multipart => quote!(),
    };
    if let (BodyEncoding::Multipart, Some(body_struct)) = (body.encoding, body_struct(api, body)) {
        return multipart_statements(body, body_struct);
    }
    if body.always_present() {
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

/// One part per field as the body's parts say; the struct's unknown-field map adds JSON
/// parts too.
fn multipart_statements(body: &Body, body_struct: &Struct) -> TokenStream {
    let statements = body.parts.iter().map(|part| {
        let member = ident(&part.member);
        let wire = part.wire_name.as_str();
        let write = |value: TokenStream| match &part.kind {
            PartKind::File => quote!(request.file_part(#wire, #value);),
            PartKind::Files(choice) => {
                let union = ident(&choice.union);
                let arms = choice.variants.iter().map(|(variant, part)| {
                    let variant = ident(variant);
                    match part {
                        VariantPart::Files => quote!(types::#union::#variant(files) => {
                            for file in files {
                                request.file_part(#wire, file);
                            }
                        }),
                        VariantPart::File => {
                            quote!(types::#union::#variant(file) => request.file_part(#wire, file),)
                        }
                        VariantPart::Value => {
                            quote!(types::#union::#variant(value) => request.json_part(#wire, value)?,)
                        }
                    }
                });
                quote!(match #value { #(#arms)* })
            }
            PartKind::Text => quote!(request.text_part(#wire, #value);),
            PartKind::Json => quote!(request.json_part(#wire, #value)?;),
        };
        let write = if part.repeated {
            let each = write(quote!(item));
            quote!(for item in value { #each })
        } else {
            write(quote!(value))
        };
        match part.presence {
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
        // The body is sent even when no member is set.
        request.multipart_body();
        #(#statements)*
        for (name, value) in &self.body.#extra {
            request.json_part(name, value)?;
        }
    }
}

/// The encoded path: a literal, or `format!` with each parameter checked and encoded.
fn path_expression(operation: &Operation) -> TokenStream {
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
                        quote!(path_param(#wire, &self.#member)?)
                    }
                    (ParamForm::Text, _) => {
                        quote!(path_param(#wire, &self.#member.to_string())?)
                    }
                    (ParamForm::Json, _) => {
                        quote!(path_param(#wire, &json_text(#wire, &self.#member)?)?)
                    }
                    // (The IR gives path parameters no other form than these and `Path`.)
                    (form, _) => {
                        let (style, exploded) = match *form {
                            ParamForm::Path { style, exploded } => (style, exploded),
                            _ => (IrPathStyle::Simple, false),
                        };
                        let style = match style {
                            IrPathStyle::Simple => quote!(PathStyle::Simple),
                            IrPathStyle::Label => quote!(PathStyle::Label),
                            IrPathStyle::Matrix => quote!(PathStyle::Matrix),
                        };
                        quote!(path_styled(#wire, &self.#member, #style, #exploded)?)
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

fn send_methods(operation: &Operation) -> (TokenStream, TokenStream) {
    let send_docs = quote! {
        /// Sends the request when awaited and decodes the response, retrying as the client is
        /// configured.
    };
    let with_response_docs = quote! {
        /// Like `send`, but also returns the status, headers and request id of the response.
    };
    if operation.pagination.is_some() {
        let send = quote! {
            #send_docs
            ///
            /// The page knows how to fetch the next one; see also `into_stream`.
            #[inline]
            pub fn send(self) -> ValueFuture<Page<Self>> {
                self.send_with_response().value()
            }
        };
        let with_response = quote! {
            #with_response_docs
            #[inline]
            pub fn send_with_response(self) -> ResponseFuture<Page<Self>> {
                Page::first(self)
            }
        };
        return (send, with_response);
    }
    let request = quote!(self.build_request());
    let (value_ty, call) = match &operation.response {
        ResponseKind::Json(ty) => (type_tokens(ty, Scope::Outside), quote!(call(#request))),
        ResponseKind::Empty => (quote!(()), quote!(call_empty(#request))),
        ResponseKind::Bytes => (quote!(Vec<u8>), quote!(call_bytes(#request))),
        ResponseKind::Text => (quote!(String), quote!(call_text(#request))),
        ResponseKind::EventStream(event) => {
            let event = type_tokens(event, Scope::Outside);
            (quote!(EventStream<#event>), quote!(call_events(#request)))
        }
        ResponseKind::Sequence {
            item: Some(item),
            format,
        } => {
            let item = type_tokens(item, Scope::Outside);
            let format = sequence_format(*format);
            (
                quote!(ItemStream<#item>),
                quote!(call_items(#request, #format)),
            )
        }
        ResponseKind::Sequence { item: None, .. } => {
            (quote!(ItemStream<MixedPart>), quote!(call_parts(#request)))
        }
    };
    let send = quote! {
        #send_docs
        #[inline]
        pub fn send(self) -> ValueFuture<#value_ty> {
            self.send_with_response().value()
        }
    };
    let mut with_response = quote! {
        #with_response_docs
        #[inline]
        pub fn send_with_response(self) -> ResponseFuture<#value_ty> {
            self.client.#call
        }
    };
    if operation.response == ResponseKind::Bytes {
        with_response.extend(quote! {
            /// Like `send`, but returns the body as a stream of chunks, read as they arrive
            /// (for downloads too large to hold in memory).
            #[inline]
            pub fn bytes_stream(self) -> ResponseFuture<ByteStream> {
                self.client.call_byte_stream(self.build_request())
            }
        });
    }
    if let Some(stream) = &operation.stream {
        let event = type_tokens(&stream.event, Scope::Outside);
        let field = &stream.flag;
        let flag = ident(&field.rust_name);
        let set_flag = match field.presence {
            Presence::Required => quote!(self.body.#flag = true;),
            Presence::Optional | Presence::RequiredNullable => {
                quote!(self.body.#flag = Some(true);)
            }
            Presence::OptionalNullable => quote!(self.body.#flag = Some(Some(true));),
        };
        let method = ident(&stream.method);
        let docs = format!(" Sends the request with `{}: true` when awaited and returns the server-sent events as they arrive, each decoded.", field.wire_name);
        with_response.extend(quote! {
            #[doc = #docs]
            #[inline]
            pub fn #method(mut self) -> ValueFuture<EventStream<#event>> {
                #set_flag
                self.client.call_events(self.build_request()).value()
            }
        });
    }
    (send, with_response)
}

fn paginated(operation: &Operation, pagination: &Pagination) -> TokenStream {
    let name = ident(&operation.struct_name);
    let page = type_tokens(&pagination.page, Scope::Outside);
    // How the request moves to the next page: the style (when not the default, a cursor) and
    // the method that sets the parameter.
    let (style, position) = match &pagination.style {
        PageStyle::Cursor { param, .. } => {
            let set = set_param(&operation.params[*param], quote!(cursor));
            let position = quote! {
                fn with_cursor(mut self, cursor: String) -> Self {
                    #set
                    self
                }
            };
            (None, position)
        }
        PageStyle::PageNumber { param, first } => {
            let first = proc_macro2::Literal::u64_unsuffixed(*first);
            let style = quote!(PageStyle::PageNumber { first: #first });
            (Some(style), numbered(&operation.params[*param]))
        }
        PageStyle::Offset { param } => (
            Some(quote!(PageStyle::Offset)),
            numbered(&operation.params[*param]),
        ),
        PageStyle::Link => {
            let position = quote! {
                fn with_cursor(mut self, link: String) -> Self {
                    self.options = self.options.follow_link(link);
                    self
                }
            };
            (Some(quote!(PageStyle::Link)), position)
        }
    };
    let style = style.map(|style| quote!(const STYLE: PageStyle = #style;));
    quote! {
        impl #name {
            /// Every item of every page, fetching the next page only when the stream reaches it.
            pub fn into_stream(self) -> PageStream<Self> {
                PageStream::new(self)
            }
        }

        impl PaginatedRequest for #name {
            type Page = #page;
            #style

            #position

            #[inline]
            fn fetch(&self) -> ResponseFuture<Self::Page> {
                self.client.call(self.build_request())
            }
        }
    }
}

/// The builder's statement that sets `param` to `value` (an `Option` member when optional).
fn set_param(param: &Param, value: TokenStream) -> TokenStream {
    let member = ident(&param.rust_name);
    if param.required {
        quote!(self.#member = #value;)
    } else {
        quote!(self.#member = Some(#value);)
    }
}

/// `with_number` and `start` for a page number or offset parameter of an integer type.
fn numbered(param: &Param) -> TokenStream {
    let member = ident(&param.rust_name);
    let ty = type_tokens(&param.ty, Scope::Outside);
    let set = set_param(param, quote!(#ty::try_from(number).unwrap_or(#ty::MAX)));
    let current = if param.required {
        quote!(u64::try_from(self.#member).ok())
    } else {
        quote!(self.#member.and_then(|value| u64::try_from(value).ok()))
    };
    quote! {
        fn with_number(mut self, number: u64) -> Self {
            #set
            self
        }

        fn start(&self) -> Option<u64> {
            #current
        }
    }
}

fn cursor_page(pagination: &Pagination) -> TokenStream {
    let page = type_tokens(&pagination.page, Scope::Outside);
    let item = type_tokens(&pagination.item, Scope::Outside);
    let (items_ref, items_owned) = match &pagination.items_field {
        None => (quote!(self), quote!(self)),
        Some(field) => {
            let items = ident(&field.rust_name);
            match field.presence {
                Presence::Required => (quote!(&self.#items), quote!(self.#items)),
                Presence::Optional | Presence::RequiredNullable => (
                    quote!(self.#items.as_deref().unwrap_or(&[])),
                    quote!(self.#items.unwrap_or_default()),
                ),
                Presence::OptionalNullable => (
                    quote!(self.#items.as_ref().and_then(|items| items.as_deref()).unwrap_or(&[])),
                    quote!(self.#items.flatten().unwrap_or_default()),
                ),
            }
        }
    };
    let has_more = pagination.has_more_field.as_ref().map(|field| {
        let member = ident(&field.rust_name);
        let value = match field.presence {
            Presence::Required => quote!(self.#member),
            Presence::Optional | Presence::RequiredNullable => {
                quote!(self.#member.unwrap_or(false))
            }
            Presence::OptionalNullable => quote!(self.#member.flatten().unwrap_or(false)),
        };
        quote! {
            fn has_more(&self) -> bool {
                #value
            }
        }
    });
    let next_cursor = match &pagination.style {
        PageStyle::Cursor {
            next_cursor_field, ..
        } => {
            let next = ident(&next_cursor_field.rust_name);
            let value = match next_cursor_field.presence {
                Presence::Required => quote!(Some(self.#next.as_str())),
                Presence::Optional | Presence::RequiredNullable => quote!(self.#next.as_deref()),
                Presence::OptionalNullable => {
                    quote!(self.#next.as_ref().and_then(|cursor| cursor.as_deref()))
                }
            };
            Some(quote! {
                fn next_cursor(&self) -> Option<&str> {
                    #value
                }
            })
        }
        _ => None,
    };
    let count = |method: &str, field: &Option<Field>| {
        let field = field.as_ref()?;
        let method = ident(method);
        let member = ident(&field.rust_name);
        let value = match field.presence {
            Presence::Required => quote!(u64::try_from(self.#member).ok()),
            Presence::Optional | Presence::RequiredNullable => {
                quote!(self.#member.and_then(|count| u64::try_from(count).ok()))
            }
            Presence::OptionalNullable => {
                quote!(self.#member.flatten().and_then(|count| u64::try_from(count).ok()))
            }
        };
        Some(quote! {
            fn #method(&self) -> Option<u64> {
                #value
            }
        })
    };
    let total_items = count("total_items", &pagination.total_items_field);
    let total_pages = count("total_pages", &pagination.total_pages_field);
    quote! {
        impl CursorPage for #page {
            type Item = #item;

            fn items(&self) -> &[Self::Item] {
                #items_ref
            }

            fn into_items(self) -> Vec<Self::Item> {
                #items_owned
            }

            #has_more

            #next_cursor

            #total_items

            #total_pages
        }
    }
}
