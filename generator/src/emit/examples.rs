//! Prints an operation's example call ([`ExampleCall`]) as a `no_run` doctest in its docs:
//! compiled by `cargo test --doc`, so an example that stops matching the API fails there.

use std::fmt::Write;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, ExampleCall, Operation, Sample};

/// The doc lines of the example: a heading and the doctest, or nothing.
pub fn example_docs(api: &Api, operation: &Operation) -> TokenStream {
    let Some(call) = &operation.example else {
        return TokenStream::new();
    };
    let Some(code) = example_code(api, call) else {
        return TokenStream::new();
    };
    let lines = std::iter::once(String::new())
        .chain(std::iter::once(" ```no_run".to_owned()))
        .chain(code.lines().map(|line| format!(" {line}")))
        .chain(std::iter::once(" ```".to_owned()));
    let lines = lines.map(|line| {
        // rustdoc reads a line of only spaces as blank; keep them empty.
        let line = if line.trim().is_empty() {
            String::new()
        } else {
            line
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// The doctest's code, formatted: hidden lines wrap the call in an async function that
/// returns the crate's `Result`.
fn example_code(api: &Api, call: &ExampleCall) -> Option<String> {
    let krate = api.library_name();
    let mut uses = Uses::default();
    let chain = call_text(call, &mut uses);
    let statement = match &call.binding {
        Some(binding) => format!("let {binding} = {chain}.send().await?;"),
        None => format!("{chain}.send().await?;"),
    };
    let body = format_body(&statement)?;
    let mut code = uses.lines(&krate, &["Client"]);
    let _ = writeln!(
        code,
        "# async fn example() -> Result<(), {krate}::Error> {{"
    );
    let _ = writeln!(code, "let client = Client::from_env()?;");
    code.push_str(&body);
    let _ = writeln!(code, "# Ok(())");
    let _ = writeln!(code, "# }}");
    Some(code)
}

/// `client.<accessors>().<method>(<arguments>)`.
pub fn call_text(call: &ExampleCall, uses: &mut Uses) -> String {
    let arguments: Vec<String> = call
        .arguments
        .iter()
        .map(|sample| sample_text(sample, uses))
        .collect();
    let mut chain = String::from("client");
    for accessor in &call.accessors {
        let _ = write!(chain, ".{accessor}()");
    }
    let _ = write!(chain, ".{}({})", call.method, arguments.join(", "));
    chain
}

/// Statements formatted as the body of a function, without its indentation.
pub fn format_body(statements: &str) -> Option<String> {
    let file = syn::parse_file(&format!("async fn f() {{ {statements} }}")).ok()?;
    let formatted = prettyplease::unparse(&file);
    let mut body = String::new();
    for line in formatted.lines().skip(1).take_while(|line| *line != "}") {
        let _ = writeln!(body, "{}", line.strip_prefix("    ").unwrap_or(line));
    }
    Some(body)
}

/// What an example's code names from the crate.
#[derive(Default)]
pub struct Uses {
    types: bool,
    file: bool,
}

impl Uses {
    /// The `use` lines for what the code names, besides `items` of the crate's root.
    pub fn lines(&self, krate: &str, items: &[&str]) -> String {
        let mut items: Vec<&str> = items.to_vec();
        if self.file {
            items.push("FilePart");
        }
        items.sort_unstable();
        let mut lines = String::new();
        if self.types {
            let _ = writeln!(lines, "use {krate}::types;");
        }
        match items.as_slice() {
            [] => {}
            [single] => {
                let _ = writeln!(lines, "use {krate}::{single};");
            }
            several => {
                let _ = writeln!(lines, "use {krate}::{{{}}};", several.join(", "));
            }
        }
        lines
    }
}

/// A value as Rust source; notes what it names.
fn sample_text(sample: &Sample, uses: &mut Uses) -> String {
    match sample {
        Sample::Text { value, owned } => {
            let literal = proc_macro2::Literal::string(value).to_string();
            if *owned {
                format!("{literal}.to_owned()")
            } else {
                literal
            }
        }
        Sample::Integer(value) => value.to_string(),
        Sample::Number(value) => format!("{value:?}"),
        Sample::Boolean(value) => value.to_string(),
        Sample::Variant { ty, variant } => {
            uses.types = true;
            format!("types::{ty}::{variant}")
        }
        Sample::Construct {
            ty,
            arguments,
            default,
        } => {
            uses.types = true;
            if *default {
                return format!("types::{ty}::default()");
            }
            let arguments: Vec<String> = arguments
                .iter()
                .map(|argument| sample_text(argument, uses))
                .collect();
            format!("types::{ty}::new({})", arguments.join(", "))
        }
        Sample::Wrap { ty, variant, value } => {
            uses.types = true;
            format!("types::{ty}::{variant}({})", sample_text(value, uses))
        }
        Sample::List { item, vec } => {
            let item = sample_text(item, uses);
            if *vec {
                format!("vec![{item}]")
            } else {
                format!("[{item}]")
            }
        }
        Sample::Boxed(value) => format!("Box::new({})", sample_text(value, uses)),
        Sample::Null => "None".to_owned(),
        Sample::Json(value) => format!("serde_json::json!({value})"),
        Sample::Default => "Default::default()".to_owned(),
        Sample::File => {
            uses.file = true;
            "FilePart::bytes(&b\"...\"[..]).file_name(\"file.txt\")".to_owned()
        }
    }
}
