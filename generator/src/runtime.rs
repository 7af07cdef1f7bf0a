//! The runtime crate (`runtime/`, package `sdkgen-runtime`) as the generator sees it: the
//! dependency a generated crate declares on it, or its source to vendor, and the public methods
//! of its `Client` and `ClientBuilder`, which every generated crate re-declares on its own
//! `Client` and `ClientBuilder` (a crate cannot add methods to another crate's types).

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The runtime's package name, as generated manifests depend on it.
pub const PACKAGE: &str = "sdkgen-runtime";

/// A source file of the runtime and where a vendored copy goes in the generated crate.
pub struct RuntimeFile {
    pub path: &'static str,
    contents: &'static str,
}

macro_rules! runtime_files {
    ($($source:literal => $vendored:literal),* $(,)?) => {
        &[$(RuntimeFile {
            path: concat!("src/runtime/", $vendored),
            contents: include_str!(concat!("../../runtime/src/", $source)),
        }),*]
    };
}

/// Every source file of the runtime; the crate root becomes the `runtime` module.
pub const FILES: &[RuntimeFile] = runtime_files![
    "lib.rs" => "mod.rs",
    "cli.rs" => "cli.rs",
    "config.rs" => "config.rs",
    "error.rs" => "error.rs",
    "future.rs" => "future.rs",
    "hooks.rs" => "hooks.rs",
    "oauth.rs" => "oauth.rs",
    "pagination.rs" => "pagination.rs",
    "request.rs" => "request.rs",
    "response.rs" => "response.rs",
    "retry.rs" => "retry.rs",
    "sequence.rs" => "sequence.rs",
    "serde_helpers.rs" => "serde_helpers.rs",
    "settings.rs" => "settings.rs",
    "sse.rs" => "sse.rs",
    "tls.rs" => "tls.rs",
    "transport.rs" => "transport.rs",
    "unknown.rs" => "unknown.rs",
    "upload.rs" => "upload.rs",
    "webhooks.rs" => "webhooks.rs",
];

const MANIFEST: &str = include_str!("../../runtime/Cargo.toml");

/// Where the unit tests start in a runtime file (`mod tests` or `pub(crate) mod tests`, when
/// other files' tests share its fixtures): they run in the runtime crate, and a vendored copy
/// leaves them out (with their dev-dependencies).
const TESTS: &str = "\n#[cfg(test)]\n";
const TEST_MODULES: [&str; 2] = ["mod tests {", "pub(crate) mod tests {"];

impl RuntimeFile {
    /// The file as vendored: its source up to its unit tests.
    pub fn vendored(&self) -> &'static str {
        let tests = self.contents.match_indices(TESTS).find(|(start, _)| {
            let rest = &self.contents[start + TESTS.len()..];
            TEST_MODULES.iter().any(|module| rest.starts_with(module))
        });
        match tests {
            Some((start, _)) => &self.contents[..start + 1],
            None => self.contents,
        }
    }
}

/// The runtime's version: generated code uses its hidden hooks, so a generated crate asks for
/// exactly the version it was generated against.
pub fn version() -> &'static str {
    manifest_value("version").unwrap_or("0.0.0")
}

/// The `[dependencies]` table of the runtime's manifest, comments included, which a vendored
/// copy declares itself.
pub fn dependencies() -> &'static str {
    manifest_table("dependencies").unwrap_or("[dependencies]\n")
}

/// The runtime's `[features]` table, which a vendored copy declares itself.
pub fn features() -> &'static str {
    manifest_table("features").unwrap_or("[features]\n")
}

/// The runtime's features that choose its TLS stack, and what each is (one is enough; with
/// several, the first listed wins). A generated crate has each, and the runtime's default is
/// the crate's.
pub const TLS_FEATURES: &[(&str, &str)] = &[
    (
        "rustls",
        "rustls on aws-lc-rs, post-quantum key exchange preferred",
    ),
    (
        "rustls-ring",
        "rustls on ring: a smaller build, no post-quantum key exchange",
    ),
    (
        "native-tls",
        "the platform's: OpenSSL, Secure Transport or SChannel",
    ),
];

/// The TLS features in words, the default one said to be so: `` `rustls` (the default: ...),
/// `rustls-ring` (...) ``.
pub fn tls_features_described() -> String {
    let defaults = default_features();
    let described: Vec<String> = TLS_FEATURES
        .iter()
        .map(|(name, what)| {
            let quoted = format!("\"{name}\"");
            match defaults.contains(&quoted.as_str()) {
                true => format!("`{name}` (the default: {what})"),
                false => format!("`{name}` ({what})"),
            }
        })
        .collect();
    described.join(", ")
}

/// The runtime's default features, as its manifest lists them (quoted).
pub fn default_features() -> Vec<&'static str> {
    features()
        .lines()
        .find_map(|line| line.strip_prefix("default = ["))
        .map(|items| {
            items
                .trim_end_matches(']')
                .split(", ")
                .filter(|item| !item.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// The text of the manifest's table `[name]`, up to the next table.
fn manifest_table(name: &str) -> Option<&'static str> {
    let header = format!("[{name}]\n");
    let start = if MANIFEST.starts_with(&header) {
        0
    } else {
        MANIFEST.find(&format!("\n{header}"))? + 1
    };
    let rest = &MANIFEST[start..];
    let end = rest[header.len()..]
        .find("\n[")
        .map_or(rest.len(), |at| header.len() + at + 1);
    Some(&rest[..end])
}

/// A string value of the runtime's `[package]` table.
fn manifest_value(key: &str) -> Option<&'static str> {
    MANIFEST
        .lines()
        .take_while(|line| !line.starts_with("[dependencies]"))
        .find_map(|line| {
            let value = line.strip_prefix(key)?.trim_start().strip_prefix('=')?;
            value.trim().strip_prefix('"')?.strip_suffix('"')
        })
}

/// A public method of the runtime's `Client` or `ClientBuilder`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicMethod {
    pub name: String,
    /// The method as written (attributes, signature, body), for `syn::parse_str`; kept as
    /// text because syntax trees cannot be shared between threads.
    pub source: String,
    pub returns: Returns,
}

/// What a public method returns, which decides how the generated type that wraps the
/// runtime's hands the result back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returns {
    /// `Self`: the runtime's builder, wrapped again.
    Receiver,
    /// `Result<Client, _>`: the runtime's client, wrapped in the generated one.
    ClientResult,
    /// Anything else, handed back as it is.
    Other,
}

impl Returns {
    fn of(output: &syn::ReturnType) -> Self {
        let syn::ReturnType::Type(_, ty) = output else {
            return Returns::Other;
        };
        let Some(last) = last_segment(ty) else {
            return Returns::Other;
        };
        if last.ident == "Self" {
            return Returns::Receiver;
        }
        let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
            return Returns::Other;
        };
        match arguments.args.first() {
            Some(syn::GenericArgument::Type(ok))
                if last.ident == "Result"
                    && last_segment(ok).is_some_and(|segment| segment.ident == "Client") =>
            {
                Returns::ClientResult
            }
            _ => Returns::Other,
        }
    }
}

/// The last segment of a type's path, for a type that is a path.
fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        _ => None,
    }
}

/// Parses now what generated code needs to know of the runtime (its names, macros, methods and
/// flags, each parsed once per process), so that a thread can do it while a description is read.
pub fn prepare() {
    public_methods("Client");
    reexports();
    root_names();
    cli_names();
    exported_macros();
    reserved_flags();
}

/// The public methods of the runtime's `type_name` (`Client` or `ClientBuilder`) that a user
/// calls: `pub`, not `#[doc(hidden)]`, in source order. The runtime is parsed once per process.
pub fn public_methods(type_name: &str) -> &'static [PublicMethod] {
    static METHODS: OnceLock<BTreeMap<String, Vec<PublicMethod>>> = OnceLock::new();
    METHODS
        .get_or_init(parse_public_methods)
        .get(type_name)
        .map_or(&[], Vec::as_slice)
}

/// The types a generated crate defines itself, wrapping the runtime's.
const WRAPPED: &[&str] = &["Client", "ClientBuilder"];

/// The runtime's user-facing types (its crate root's `pub use` items that are not
/// `#[doc(hidden)]`), which a generated crate re-exports at its root; less [`WRAPPED`].
pub fn reexports() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names = root_uses(false);
        names.retain(|name| !WRAPPED.contains(&name.as_str()));
        names
    })
}

/// Every name the runtime's crate root brings in with `pub use`, hooks for generated code
/// included: what the crate's own modules import from `crate::runtime`.
pub fn root_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| root_uses(true))
}

/// The names of the runtime crate root's `pub use` items, sorted; `#[doc(hidden)]` ones too
/// when `hidden`.
fn root_uses(hidden: bool) -> Vec<String> {
    let mut names = Vec::new();
    for item in parsed_items("mod.rs") {
        if let syn::Item::Use(item) = item {
            if matches!(item.vis, syn::Visibility::Public(_))
                && (hidden || !is_doc_hidden(&item.attrs))
            {
                use_tree_names(&item.tree, &mut names);
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The public items of the runtime's `cli` module, which the generated command-line tool
/// imports.
pub fn cli_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names = Vec::new();
        for item in parsed_items("cli.rs") {
            let (vis, name) = match &item {
                syn::Item::Struct(item) => (&item.vis, &item.ident),
                syn::Item::Enum(item) => (&item.vis, &item.ident),
                syn::Item::Fn(item) => (&item.vis, &item.sig.ident),
                syn::Item::Static(item) => (&item.vis, &item.ident),
                syn::Item::Const(item) => (&item.vis, &item.ident),
                syn::Item::Type(item) => (&item.vis, &item.ident),
                syn::Item::Trait(item) => (&item.vis, &item.ident),
                _ => continue,
            };
            if matches!(vis, syn::Visibility::Public(_)) {
                names.push(name.to_string());
            }
        }
        names.sort();
        names
    })
}

/// The runtime's `#[macro_export]` macros (`json_object`, `open_enum`, ...), which generated
/// code calls from its own crate root, sorted.
pub fn exported_macros() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names = Vec::new();
        for file in FILES {
            let Ok(parsed) = syn::parse_file(file.vendored()) else {
                continue;
            };
            for item in parsed.items {
                if let syn::Item::Macro(item) = item {
                    let exported = item
                        .attrs
                        .iter()
                        .any(|attr| attr.path().is_ident("macro_export"));
                    if let (true, Some(name)) = (exported, item.ident) {
                        names.push(name.to_string());
                    }
                }
            }
        }
        names.sort();
        names
    })
}

/// The names a `use` tree brings in (renames by their new name).
fn use_tree_names(tree: &syn::UseTree, names: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(path) => use_tree_names(&path.tree, names),
        syn::UseTree::Name(name) => names.push(name.ident.to_string()),
        syn::UseTree::Rename(rename) => names.push(rename.rename.to_string()),
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                use_tree_names(tree, names);
            }
        }
        syn::UseTree::Glob(_) => {}
    }
}

/// The names of [`public_methods`], which a generated `Client` or `ClientBuilder` re-declares,
/// so that generated names avoid them.
pub fn method_names(type_name: &str) -> impl Iterator<Item = String> {
    public_methods(type_name)
        .iter()
        .map(|method| method.name.clone())
}

/// Type name → user-facing inherent methods, over every runtime file (a file that does not
/// parse, which the tests below rule out, contributes none).
fn parse_public_methods() -> BTreeMap<String, Vec<PublicMethod>> {
    let mut methods: BTreeMap<String, Vec<PublicMethod>> = BTreeMap::new();
    let files = FILES
        .iter()
        .filter_map(|file| syn::parse_file(file.vendored()).ok());
    for item in files.flat_map(|parsed| parsed.items) {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let syn::Type::Path(self_type) = &*block.self_ty else {
            continue;
        };
        let (None, Some(last)) = (&block.trait_, self_type.path.segments.last()) else {
            continue;
        };
        let public = block.items.into_iter().filter_map(|member| match member {
            syn::ImplItem::Fn(function)
                if matches!(function.vis, syn::Visibility::Public(_))
                    && !is_doc_hidden(&function.attrs) =>
            {
                Some(PublicMethod {
                    name: function.sig.ident.to_string(),
                    source: quote::quote!(#function).to_string(),
                    returns: Returns::of(&function.sig.output),
                })
            }
            _ => None,
        });
        methods
            .entry(last.ident.to_string())
            .or_default()
            .extend(public);
    }
    methods
}

/// The flags the runtime's command-line tool defines itself (its `cli::RESERVED_FLAGS`, whose
/// elements are string literals or string constants of the same file), which generated flags
/// must not take.
pub fn reserved_flags() -> &'static [String] {
    static FLAGS: OnceLock<Vec<String>> = OnceLock::new();
    FLAGS.get_or_init(|| string_list(&parsed_items("cli.rs"), "RESERVED_FLAGS"))
}

/// The items of the vendored runtime file `name` (`mod.rs` for the crate root); none when it
/// does not parse, which the tests below rule out.
fn parsed_items(name: &str) -> Vec<syn::Item> {
    FILES
        .iter()
        .find(|file| file.path.strip_prefix("src/runtime/") == Some(name))
        .and_then(|file| syn::parse_file(file.vendored()).ok())
        .map(|parsed| parsed.items)
        .unwrap_or_default()
}

/// The strings of the constant `name: &[&str]`, its elements literals or other string
/// constants among `items`.
fn string_list(items: &[syn::Item], name: &str) -> Vec<String> {
    let constant = |wanted: &str| {
        items.iter().find_map(|item| match item {
            syn::Item::Const(constant) if constant.ident == wanted => Some(&*constant.expr),
            _ => None,
        })
    };
    let literal = |expr: &syn::Expr| match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => Some(text.value()),
        _ => None,
    };
    let Some(syn::Expr::Reference(reference)) = constant(name) else {
        return Vec::new();
    };
    let syn::Expr::Array(array) = &*reference.expr else {
        return Vec::new();
    };
    array
        .elems
        .iter()
        .filter_map(|element| match element {
            syn::Expr::Path(path) => path
                .path
                .get_ident()
                .and_then(|ident| constant(&ident.to_string()))
                .and_then(literal),
            other => literal(other),
        })
        .collect()
}

fn is_doc_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("doc")
            && attr
                .parse_args::<syn::Ident>()
                .is_ok_and(|arg| arg == "hidden")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tls_features_are_the_runtimes_and_rustls_is_its_default() {
        for (name, _) in TLS_FEATURES {
            let declared = features()
                .lines()
                .any(|line| line.starts_with(&format!("{name} = [")));
            assert!(declared, "the runtime has no feature `{name}`");
        }
        assert_eq!(default_features(), ["\"rustls\""]);
        assert!(tls_features_described().starts_with(
            "`rustls` (the default: rustls on aws-lc-rs, post-quantum key exchange preferred), `rustls-ring` ("
        ));
    }

    fn names(type_name: &str) -> Vec<String> {
        public_methods(type_name)
            .iter()
            .map(|method| method.name.clone())
            .collect()
    }

    #[test]
    fn the_methods_users_call_are_read_from_the_runtime_and_its_hooks_are_not() {
        let client = names("Client");
        assert!(client.contains(&"base_url".to_owned()), "{client:?}");
        let builder = names("ClientBuilder");
        for name in [
            "base_url",
            "timeout",
            "max_retries",
            "connect_timeout",
            "build",
        ] {
            assert!(builder.contains(&name.to_owned()), "{name}: {builder:?}");
        }
        for hook in ["builder_for", "from_env_for", "execute", "credential_at"] {
            assert!(!client.contains(&hook.to_owned()), "{hook}: {client:?}");
            assert!(!builder.contains(&hook.to_owned()), "{hook}: {builder:?}");
        }
    }

    #[test]
    fn what_a_method_returns_is_read_from_its_signature() {
        let returns = |type_name: &str, name: &str| {
            public_methods(type_name)
                .iter()
                .find(|method| method.name == name)
                .map(|method| method.returns)
        };
        assert_eq!(returns("ClientBuilder", "timeout"), Some(Returns::Receiver));
        assert_eq!(
            returns("ClientBuilder", "build"),
            Some(Returns::ClientResult)
        );
        assert_eq!(returns("Client", "base_url"), Some(Returns::Other));
        let parse = |text: &str| Returns::of(&syn::parse_str(text).expect("a return type"));
        assert_eq!(parse("-> Result<Client, Error>"), Returns::ClientResult);
        assert_eq!(
            parse("-> std::result::Result<super::Client, E>"),
            Returns::ClientResult
        );
        assert_eq!(parse("-> Result<ClientBuilder, Error>"), Returns::Other);
        assert_eq!(parse("-> Option<Client>"), Returns::Other);
        assert_eq!(parse(""), Returns::Other);
    }

    #[test]
    fn the_flags_the_tool_defines_itself_are_read_from_its_cli_module() {
        let flags = reserved_flags();
        // Literals and constants alike; the runtime's own test checks the list is complete.
        for flag in ["help", "version", "format", "base-url", "max-items"] {
            assert!(flags.contains(&flag.to_owned()), "{flag}: {flags:?}");
        }
        assert_eq!(flags.len(), 7, "{flags:?}");
    }

    #[test]
    fn the_exported_macros_are_read_from_the_runtime_source() {
        assert_eq!(
            exported_macros(),
            [
                "json_object",
                "json_string_enum",
                "json_tagged_union",
                "json_union",
                "open_enum",
                "unknown_members"
            ]
        );
    }

    #[test]
    fn the_user_facing_types_are_read_from_the_crate_root() {
        let names = reexports();
        for name in ["Error", "ApiError", "Page", "FilePart", "RequestOptions"] {
            assert!(names.contains(&name.to_owned()), "{name}: {names:?}");
        }
        for hidden in ["Client", "ApiSettings", "ApiRequest", "Method", "JsonStr"] {
            assert!(!names.contains(&hidden.to_owned()), "{hidden}: {names:?}");
        }
    }

    #[test]
    fn every_source_file_of_the_runtime_is_vendored() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("the runtime's sources")
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".rs"))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = FILES
            .iter()
            .map(|file| match file.path.trim_start_matches("src/runtime/") {
                "mod.rs" => "lib.rs".to_owned(),
                other => other.to_owned(),
            })
            .collect();
        listed.sort();
        assert_eq!(listed, on_disk);
    }

    #[test]
    fn every_runtime_file_is_valid_rust_with_and_without_its_tests() {
        for file in FILES {
            for (form, text) in [("source", file.contents), ("vendored", file.vendored())] {
                if let Err(error) = syn::parse_file(text) {
                    panic!("{} ({form}) does not parse: {error}", file.path);
                }
            }
            // What is cut is the test module and nothing else.
            let cut = &file.contents[file.vendored().len()..];
            if !cut.is_empty() {
                let items = syn::parse_file(cut).map(|parsed| parsed.items.len());
                assert_eq!(
                    items.ok(),
                    Some(1),
                    "{}: the tests are not the last item",
                    file.path
                );
            }
        }
    }

    #[test]
    fn the_manifest_gives_the_version_and_a_self_contained_dependencies_table() {
        assert!(version().split('.').count() == 3, "{}", version());
        let dependencies = dependencies();
        assert!(
            dependencies.starts_with("[dependencies]\n"),
            "{dependencies}"
        );
        assert!(dependencies.contains("\nreqwest = "), "{dependencies}");
        assert!(!dependencies.contains("[features]"), "{dependencies}");
        assert!(!dependencies.contains("\"derive\""), "{dependencies}");
        let features = features();
        assert!(
            features.starts_with("[features]\n") && features.contains("\ncli = "),
            "{features}"
        );
        assert!(!features.contains("[dev-dependencies]"), "{features}");
    }
}
