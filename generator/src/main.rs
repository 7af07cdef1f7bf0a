//! `sdkgen generate SPEC --out DIR` writes a crate; `sdkgen check SPEC --out DIR` exits 1 when
//! DIR differs from what SPEC generates; `sdkgen diff OLD NEW` reports what a new description
//! changes in the crate's public API. Exit code 2: a rejected spec or a usage error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::TypedValueParser;
use clap::{Args, Parser, Subcommand};

use sdkgen::changes::{Format, Report};
use sdkgen::surface::Surface;
use sdkgen::{write, Overlay, RuntimeDependency, Settings};

/// The generator allocates many small strings and token trees; mimalloc makes a whole run about
/// a quarter faster than the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const AFTER_HELP: &str = "\
Every problem is printed as FILE:LINE:COLUMN: warning|error: POINTER: REASON.
Exit codes: 0 ok; 1 differences (check), breaking changes (--deny-breaking) or an I/O error;
2 a rejected spec, a refused output directory or a usage error.";

/// Generates a typed async Rust client crate from a Swagger 2.0 or OpenAPI 3.0/3.1 description.
#[derive(Parser)]
#[command(name = "sdkgen", version, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the crate generated from SPEC into DIR (only the files that changed) and report
    /// what changed in its public API.
    Generate {
        #[command(flatten)]
        crate_args: CrateArgs,
        /// Write into DIR even when it is neither empty nor a crate sdkgen wrote (by default
        /// the root, the home directory and other projects are refused); nothing is ever
        /// written through a symbolic link.
        #[arg(long)]
        force: bool,
    },
    /// Write nothing; exit 1 and list the files when DIR differs from what SPEC generates.
    Check {
        #[command(flatten)]
        crate_args: CrateArgs,
        /// Also say when the API in DIR (its public-api.jsonl) breaks and the crate version
        /// was not bumped for it.
        #[arg(long)]
        deny_breaking: bool,
    },
    /// Compare the public APIs that OLD and NEW generate: each item added, removed or changed,
    /// breaking or compatible, and the version the change needs.
    Diff {
        /// The description the crate was generated from.
        old: PathBuf,
        /// The description it would be generated from now.
        new: PathBuf,
        #[command(flatten)]
        reading: ReadingArgs,
        /// How the report is printed.
        #[arg(long, default_value = "text", value_parser = format_parser())]
        format: Format,
        /// Exit 1 when anything breaks.
        #[arg(long)]
        deny_breaking: bool,
    },
}

/// What `generate` and `check` share: the description and the crate made of it.
#[derive(Args)]
struct CrateArgs {
    /// The OpenAPI description (YAML or JSON; a split description through its root file).
    spec: PathBuf,
    /// The crate's directory.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The crate's name, over `info.x-sdk-crate-name` and the name derived from the title.
    #[arg(long, value_name = "NAME")]
    crate_name: Option<String>,
    /// Depend on the runtime crate (sdkgen-runtime) at PATH, relative to DIR, instead of the
    /// registry.
    #[arg(long, value_name = "PATH", conflicts_with = "vendor_runtime")]
    runtime_path: Option<String>,
    /// Copy the runtime's source into the crate (src/runtime/): no dependency.
    #[arg(long)]
    vendor_runtime: bool,
    #[command(flatten)]
    reading: ReadingArgs,
}

/// How a description is read, for every command.
#[derive(Args)]
struct ReadingArgs {
    /// Apply an OpenAPI Overlay 1.0 document to the description first (in the order given;
    /// for diff, to both descriptions).
    #[arg(long = "overlay", value_name = "FILE")]
    overlays: Vec<PathBuf>,
    /// Set the root hint KEY (an `x-sdk-*` extension) to VALUE, JSON or else text, over the
    /// description's own: `--hint x-sdk-query-array-format=brackets`.
    #[arg(long = "hint", value_name = "KEY=VALUE", value_parser = parse_hint)]
    hints: Vec<(String, serde_json::Value)>,
    /// Reject the description when anything falls back to `serde_json::Value`.
    #[arg(long)]
    deny_warnings: bool,
}

/// `text`, `markdown` or `json`, listed in the help and suggested when misspelt.
fn format_parser() -> impl TypedValueParser<Value = Format> {
    clap::builder::PossibleValuesParser::new(["text", "markdown", "json"])
        .try_map(|name| name.parse::<Format>())
}

fn parse_hint(hint: &str) -> Result<(String, serde_json::Value), String> {
    let (key, value) = hint
        .split_once('=')
        .ok_or_else(|| format!("`{hint}`: expected KEY=VALUE"))?;
    let value =
        serde_json::from_str(value).unwrap_or_else(|_| serde_json::Value::String(value.to_owned()));
    Ok((key.to_owned(), value))
}

impl ReadingArgs {
    /// The settings these arguments give; an overlay that cannot be read is a usage error.
    fn settings(&self) -> Result<Settings, ExitCode> {
        let mut settings = Settings {
            deny_warnings: self.deny_warnings,
            hints: self.hints.clone(),
            ..Settings::default()
        };
        for file in &self.overlays {
            let overlay = Overlay::read(file).map_err(|error| {
                eprintln!("sdkgen: {error}");
                ExitCode::from(2)
            })?;
            settings.overlays.push(overlay);
        }
        Ok(settings)
    }
}

impl CrateArgs {
    fn settings(&self) -> Result<Settings, ExitCode> {
        let mut settings = self.reading.settings()?;
        settings.crate_name = self.crate_name.clone();
        settings.runtime = match (&self.runtime_path, self.vendor_runtime) {
            (Some(path), _) => RuntimeDependency::Path(path.clone()),
            (None, true) => RuntimeDependency::Vendored,
            (None, false) => RuntimeDependency::Registry,
        };
        Ok(settings)
    }
}

fn main() -> ExitCode {
    // Usage errors exit 2, help and the version 0 (clap's codes, and ours).
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Generate { crate_args, force } => {
            generate(crate_args, Mode::Write { force: *force })
        }
        Command::Check {
            crate_args,
            deny_breaking,
        } => generate(
            crate_args,
            Mode::Check {
                deny_breaking: *deny_breaking,
            },
        ),
        Command::Diff {
            old,
            new,
            reading,
            format,
            deny_breaking,
        } => diff(reading, old, new, *format, *deny_breaking),
    };
    outcome.unwrap_or_else(|code| code)
}

/// A failure's exit code, its message already printed.
type Outcome = Result<ExitCode, ExitCode>;

/// `generate` writes, `check` compares.
#[derive(Clone, Copy)]
enum Mode {
    Write { force: bool },
    Check { deny_breaking: bool },
}

fn rejected(error: &sdkgen::Error) -> ExitCode {
    eprintln!("{error}");
    ExitCode::from(if error.is_rejected_spec() { 2 } else { 1 })
}

fn diff(
    reading: &ReadingArgs,
    old: &Path,
    new: &Path,
    format: Format,
    deny_breaking: bool,
) -> Outcome {
    let settings = reading.settings()?;
    let surface = |spec: &Path| -> Result<Surface, ExitCode> {
        let described = sdkgen::describe(spec, &settings).map_err(|e| rejected(&e))?;
        Ok(Surface::of(&described.api))
    };
    let report = Report::between(&surface(old)?, &surface(new)?);
    print!("{}", report.render(format));
    Ok(if deny_breaking && report.is_breaking() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn generate(args: &CrateArgs, mode: Mode) -> Outcome {
    let settings = args.settings()?;
    let (spec, out) = (args.spec.as_path(), args.out.as_path());
    if let Mode::Write { force } = mode {
        write::check_out_dir(out, force).map_err(|e| rejected(&e))?;
    }
    let label = spec.display().to_string();
    let generated = sdkgen::generate(spec, &label, &settings).map_err(|e| rejected(&e))?;
    for warning in &generated.warnings {
        eprintln!("{}", sdkgen::located(spec, warning));
    }
    let previous = sdkgen::previous_surface(out).map_err(|e| rejected(&e))?;
    let report = previous.map(|old| Report::between(&old, &generated.surface));
    let files = generated.files;
    let changes = match mode {
        Mode::Check { .. } => write::diff(out, &files),
        Mode::Write { .. } => write::sync(out, &files),
    }
    .map_err(|error| {
        eprintln!("sdkgen: {error}");
        ExitCode::from(1)
    })?;
    if let Some(report) = report.as_ref().filter(|report| !report.changes.is_empty()) {
        eprint!("{}", report.summary());
    }
    if changes.is_empty() {
        println!("{}: up to date ({} files)", out.display(), files.len());
        return Ok(ExitCode::SUCCESS);
    }
    for change in &changes {
        println!("{change}");
    }
    let Mode::Check { deny_breaking } = mode else {
        return Ok(ExitCode::SUCCESS);
    };
    eprintln!(
        "sdkgen: {} differs from {} ({} files)",
        out.display(),
        spec.display(),
        changes.len()
    );
    if deny_breaking && report.is_some_and(|report| report.breaks_without_bump()) {
        eprintln!("sdkgen: the public API breaks and the crate version was not bumped for it");
    }
    Err(ExitCode::from(1))
}
