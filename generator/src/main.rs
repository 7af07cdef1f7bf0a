//! `sdkgen generate SPEC --out DIR` writes a crate; `sdkgen check SPEC --out DIR` exits 1 when
//! DIR differs from what SPEC generates; `sdkgen diff OLD NEW` reports what a new description
//! changes in the crate's public API. Exit code 2: a rejected spec or a usage error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sdkgen::changes::{Format, Report};
use sdkgen::surface::Surface;
use sdkgen::{write, Overlay, RuntimeDependency, Settings};

const USAGE: &str =
    "usage: sdkgen <generate|check> SPEC --out DIR [--overlay FILE]... [--crate-name NAME]
              [--hint KEY=VALUE]... [--runtime-path PATH | --vendor-runtime]
              [--deny-warnings] [--deny-breaking] [--force]
       sdkgen diff OLD NEW [--overlay FILE]... [--format text|markdown|json] [--deny-breaking]

  generate         write the crate generated from SPEC into DIR (only files that changed) and
                   report what changed in its public API
  check            write nothing; exit 1 and list the files when DIR differs from the output
  diff             compare the public APIs that OLD and NEW generate: each item added, removed
                   or changed, breaking or compatible, and the version the change needs
  --overlay FILE   apply an OpenAPI Overlay 1.0 document to the description first (in the
                   order given; for diff, to both descriptions)
  --hint K=V       set the root hint K (an `x-sdk-*` extension) to V, JSON or else text, over
                   the spec's own: `--hint x-sdk-query-array-format=brackets`
  --runtime-path PATH
                   depend on the runtime crate (sdkgen-runtime) at PATH, relative to DIR,
                   instead of the registry
  --vendor-runtime copy the runtime's source into the crate (src/runtime/): no dependency
  --deny-warnings  reject the spec when anything falls back to `serde_json::Value`
  --deny-breaking  diff: exit 1 when anything breaks; check: exit 1 when the API in DIR
                   (its public-api.jsonl) breaks and the crate version was not bumped for it
  --format F       how diff prints its report (default text)
  --force          generate: write into DIR even when it is neither empty nor a crate sdkgen
                   wrote (by default the root, the home directory and other projects are
                   refused); nothing is ever written through a symbolic link

Every problem is printed as FILE:LINE:COLUMN: warning|error: POINTER: REASON.
exit codes: 0 ok, 1 differences (check), breaking changes (--deny-breaking) or I/O error,
            2 rejected spec, refused output directory or usage error";

struct Args {
    job: Job,
    settings: Settings,
    format: Format,
    deny_breaking: bool,
    /// Write into `--out` even when it does not look like a crate's directory.
    force: bool,
}

/// What to do, with the paths it needs.
enum Job {
    /// `generate` (`check: false`) or `check`.
    Write {
        spec: PathBuf,
        out: PathBuf,
        check: bool,
    },
    Diff {
        old: PathBuf,
        new: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq)]
enum Command {
    Generate,
    Check,
    Diff,
}

/// The arguments, or `Ok(None)` when help was asked for.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let command = match args.next().as_deref() {
        Some("generate") => Command::Generate,
        Some("check") => Command::Check,
        Some("diff") => Command::Diff,
        Some("-h" | "--help") | None => return Ok(None),
        Some(other) => return Err(format!("unknown command `{other}`")),
    };
    let mut specs: Vec<PathBuf> = Vec::new();
    let mut out: Option<PathBuf> = None;
    let mut settings = Settings::default();
    let mut format = Format::Text;
    let mut deny_breaking = false;
    let mut force = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--out" => out = Some(args.next().ok_or("--out needs a directory")?.into()),
            "--overlay" => {
                let file = PathBuf::from(args.next().ok_or("--overlay needs a file")?);
                settings
                    .overlays
                    .push(Overlay::read(&file).map_err(|error| error.to_string())?);
            }
            "--crate-name" => {
                settings.crate_name = Some(args.next().ok_or("--crate-name needs a name")?)
            }
            "--deny-warnings" => settings.deny_warnings = true,
            "--deny-breaking" => deny_breaking = true,
            "--force" => force = true,
            "--format" => format = args.next().ok_or("--format needs a format")?.parse()?,
            "--runtime-path" => {
                let path = args.next().ok_or("--runtime-path needs a path")?;
                settings.runtime = RuntimeDependency::Path(path);
            }
            "--vendor-runtime" => settings.runtime = RuntimeDependency::Vendored,
            "--hint" => {
                let hint = args.next().ok_or("--hint needs KEY=VALUE")?;
                let (key, value) = hint
                    .split_once('=')
                    .ok_or_else(|| format!("--hint `{hint}`: expected KEY=VALUE"))?;
                let value = serde_json::from_str(value)
                    .unwrap_or_else(|_| serde_json::Value::String(value.to_owned()));
                settings.hints.push((key.to_owned(), value));
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            _ => specs.push(arg.into()),
        }
    }
    let unexpected = |extra: &PathBuf| format!("unexpected argument `{}`", extra.display());
    let mut specs = specs.into_iter();
    let (first, second, third) = (specs.next(), specs.next(), specs.next());
    let job = match (command, first, second, third, out) {
        (Command::Diff, Some(old), Some(new), None, _) => Job::Diff { old, new },
        (Command::Diff, _, _, Some(extra), _) => return Err(unexpected(&extra)),
        (Command::Diff, ..) => return Err("missing OLD and NEW".to_owned()),
        (_, None, ..) => return Err("missing SPEC".to_owned()),
        (_, _, Some(extra), ..) => return Err(unexpected(&extra)),
        (_, Some(_), None, _, None) => return Err("missing --out DIR".to_owned()),
        (command, Some(spec), None, _, Some(out)) => Job::Write {
            spec,
            out,
            check: command == Command::Check,
        },
    };
    Ok(Some(Args {
        job,
        settings,
        format,
        deny_breaking,
        force,
    }))
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(problem) => {
            eprintln!("sdkgen: {problem}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let outcome = match &args.job {
        Job::Diff { old, new } => diff(&args, old, new),
        Job::Write { spec, out, check } => generate(&args, spec, out, *check),
    };
    outcome.unwrap_or_else(|code| code)
}

/// A failure's exit code, its message already printed.
type Outcome = Result<ExitCode, ExitCode>;

fn rejected(error: &sdkgen::Error) -> ExitCode {
    eprintln!("{error}");
    ExitCode::from(if error.is_rejected_spec() { 2 } else { 1 })
}

fn diff(args: &Args, old: &Path, new: &Path) -> Outcome {
    let surface = |spec: &Path| -> Result<Surface, ExitCode> {
        let described = sdkgen::describe(spec, &args.settings).map_err(|e| rejected(&e))?;
        Ok(Surface::of(&described.api))
    };
    let report = Report::between(&surface(old)?, &surface(new)?);
    print!("{}", report.render(args.format));
    Ok(if args.deny_breaking && report.is_breaking() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn generate(args: &Args, spec: &Path, out: &Path, check: bool) -> Outcome {
    if !check {
        write::check_out_dir(out, args.force).map_err(|e| rejected(&e))?;
    }
    let label = spec.display().to_string();
    let generated = sdkgen::generate(spec, &label, &args.settings).map_err(|e| rejected(&e))?;
    for warning in &generated.warnings {
        eprintln!("{}", sdkgen::located(spec, warning));
    }
    let previous = sdkgen::previous_surface(out).map_err(|e| rejected(&e))?;
    let report = previous.map(|old| Report::between(&old, &generated.surface));
    let files = generated.files;
    let changes = if check {
        write::diff(out, &files)
    } else {
        write::sync(out, &files)
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
    if !check {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "sdkgen: {} differs from {} ({} files)",
        out.display(),
        spec.display(),
        changes.len()
    );
    if args.deny_breaking && report.is_some_and(|report| report.breaks_without_bump()) {
        eprintln!("sdkgen: the public API breaks and the crate version was not bumped for it");
    }
    Err(ExitCode::from(1))
}
