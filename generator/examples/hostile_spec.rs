//! Prints a description built to find super-linear cost (see `sdkgen::synth::hostile`):
//! `cargo run --release -p sdkgen --example hostile_spec -- ref-chain 10000 > spec.yaml`.

use std::process::ExitCode;

use sdkgen::synth::hostile;

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let spec = match &arguments[..] {
        [kind, n] => n.parse().ok().and_then(|n| hostile::hostile_spec(kind, n)),
        _ => None,
    };
    let Some(spec) = spec else {
        eprintln!("usage: hostile_spec KIND N, where KIND is one of:");
        for (kind, what) in hostile::KINDS {
            eprintln!("  {kind:16} {what}");
        }
        return ExitCode::from(2);
    };
    print!("{spec}");
    ExitCode::SUCCESS
}
