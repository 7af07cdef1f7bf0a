//! `sdkgen generate SPEC --out DIR` writes a crate; `sdkgen check SPEC --out DIR` exits 1 when
//! DIR differs from what SPEC generates. Exit code 2: a rejected spec or a usage error.

use std::path::PathBuf;
use std::process::ExitCode;

use sdkgen::{write, RuntimeDependency, Settings};

const USAGE: &str =
    "usage: sdkgen <generate|check> SPEC --out DIR [--crate-name NAME] [--hint KEY=VALUE]...
              [--runtime-path PATH | --vendor-runtime] [--deny-warnings]

  generate         write the crate generated from SPEC into DIR (only files that changed)
  check            write nothing; exit 1 and list the files when DIR differs from the output
  --hint K=V       set the root hint K (an `x-sdk-*` extension) to V, JSON or else text, over
                   the spec's own: `--hint x-sdk-query-array-format=brackets`
  --runtime-path PATH
                   depend on the runtime crate (sdkgen-runtime) at PATH, relative to DIR,
                   instead of the registry
  --vendor-runtime copy the runtime's source into the crate (src/runtime/): no dependency
  --deny-warnings  reject the spec when anything falls back to `serde_json::Value`

Every problem is printed as FILE:LINE:COLUMN: warning|error: POINTER: REASON.
exit codes: 0 ok, 1 differences (check) or I/O error, 2 rejected spec or usage error";

struct Args {
    command: Command,
    spec: PathBuf,
    out: PathBuf,
    settings: Settings,
}

#[derive(PartialEq)]
enum Command {
    Generate,
    Check,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let command = match args.next().as_deref() {
        Some("generate") => Command::Generate,
        Some("check") => Command::Check,
        Some("-h" | "--help") | None => return Err(String::new()),
        Some(other) => return Err(format!("unknown command `{other}`")),
    };
    let mut spec = None;
    let mut out = None;
    let mut settings = Settings::default();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = Some(args.next().ok_or("--out needs a directory")?),
            "--crate-name" => {
                settings.crate_name = Some(args.next().ok_or("--crate-name needs a name")?)
            }
            "--deny-warnings" => settings.deny_warnings = true,
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
            _ if spec.is_none() => spec = Some(arg),
            _ => return Err(format!("unexpected argument `{arg}`")),
        }
    }
    Ok(Args {
        command,
        spec: spec.ok_or("missing SPEC")?.into(),
        out: out.ok_or("missing --out DIR")?.into(),
        settings,
    })
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(problem) => {
            if problem.is_empty() {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            eprintln!("sdkgen: {problem}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let label = args.spec.display().to_string();
    let generated = match sdkgen::generate(&args.spec, &label, &args.settings) {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(if error.is_rejected_spec() { 2 } else { 1 });
        }
    };
    for warning in &generated.warnings {
        eprintln!("{}", sdkgen::located(&args.spec, warning));
    }
    let files = generated.files;
    let outcome = match args.command {
        Command::Generate => write::sync(&args.out, &files),
        Command::Check => write::diff(&args.out, &files),
    };
    match outcome {
        Ok(changes) if changes.is_empty() => {
            println!("{}: up to date ({} files)", args.out.display(), files.len());
            ExitCode::SUCCESS
        }
        Ok(changes) => {
            for change in &changes {
                println!("{change}");
            }
            if args.command == Command::Check {
                eprintln!(
                    "sdkgen: {} differs from {} ({} files)",
                    args.out.display(),
                    args.spec.display(),
                    changes.len()
                );
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => {
            eprintln!("sdkgen: {error}");
            ExitCode::from(1)
        }
    }
}
