//! Prints a synthetic OpenAPI description (see `sdkgen::synth`) for benchmarks:
//! `cargo run --release -p sdkgen --example synthetic_spec -- 300 1400 > spec.yaml`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .map_while(|argument| argument.parse().ok())
        .collect();
    let [operations, schemas] = numbers[..] else {
        eprintln!("usage: synthetic_spec OPERATIONS SCHEMAS");
        return ExitCode::from(2);
    };
    print!("{}", sdkgen::synth::synthetic_spec(operations, schemas));
    ExitCode::SUCCESS
}
