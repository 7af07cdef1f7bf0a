//! The generator's cost, stage by stage (load, IR, emit, render), on `spec/openapi.yaml` and on
//! synthetic descriptions of 10, 100, 1,000 and 5,000 operations (with as many component
//! schemas), plus the whole job (file → formatted sources) on a synthetic description of the
//! target size: about 300 operations and 1,400 schemas, ~3.5 MB.
//!
//! ```text
//! cargo bench -p sdkgen --bench pipeline            # or: bash bench/run.sh (everything)
//! ```
//!
//! A stage's time excludes dropping its output (`iter_with_large_drop`; the input of `render`
//! is made outside the timing); the file → sources rows include everything.
//!
//! After criterion has run, the bench reads its estimates back and prints the rows of the
//! benchmark table (time per operation per stage, so that linear cost shows as a flat row);
//! with `BENCH_REPORT_DIR` set it also writes them to `$BENCH_REPORT_DIR/10-generator.md`.
//! Speed is never asserted: these numbers are for reading.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};
use sdkgen::{emit, ir, load, render, synth, Settings};

/// Synthetic sizes, in operations; each has as many component schemas as operations.
const SIZES: [usize; 4] = [10, 100, 1_000, 5_000];
/// The target description: operations, schemas.
const TARGET: (usize, usize) = (300, 1_400);
/// Emitting is lazy (each module is made while it is formatted), so it is timed with render.
const STAGES: [&str; 3] = ["load", "ir", "emit_render"];

struct Input {
    /// Criterion's function id and parameter: `spec/4` or `synthetic/1000`.
    function: &'static str,
    parameter: usize,
    operations: usize,
    text: String,
}

fn inputs() -> Vec<Input> {
    let spec = std::fs::read_to_string(spec_path()).expect("read spec/openapi.yaml");
    let document = load::parse(&spec).expect("parse spec/openapi.yaml");
    let operations = ir::build(&document, &ir::Settings::default())
        .expect("build the IR of spec/openapi.yaml")
        .0
        .operations
        .len();
    let mut inputs = vec![Input {
        function: "spec",
        parameter: operations,
        operations,
        text: spec,
    }];
    inputs.extend(SIZES.map(|n| Input {
        function: "synthetic",
        parameter: n,
        operations: n,
        text: synth::synthetic_spec(n, n),
    }));
    inputs
}

fn spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml")
}

/// Few samples for the large inputs: one iteration of 5,000 operations takes seconds.
fn sample_size(operations: usize) -> usize {
    if operations >= 1_000 {
        10
    } else {
        30
    }
}

fn stages(c: &mut Criterion, inputs: &[Input]) {
    let settings = ir::Settings::default();
    for stage in STAGES {
        let mut group = c.benchmark_group(stage);
        group
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3));
        for input in inputs {
            let id = BenchmarkId::new(input.function, input.parameter);
            group
                .sample_size(sample_size(input.operations))
                .throughput(Throughput::Elements(input.operations as u64));
            let text = input.text.as_str();
            match stage {
                "load" => {
                    group.bench_function(id, |b| {
                        b.iter_with_large_drop(|| load::parse(black_box(text)))
                    });
                }
                "ir" => {
                    let document = load::parse(text).expect("load");
                    group.bench_function(id, |b| {
                        b.iter_with_large_drop(|| ir::build(black_box(&document), &settings))
                    });
                }
                "emit_render" => {
                    let (api, _) =
                        ir::build(&load::parse(text).expect("load"), &settings).expect("ir");
                    group.bench_function(id, |b| {
                        b.iter_with_large_drop(|| {
                            render::render(emit::emit(black_box(&api)), "spec.yaml")
                                .expect("render")
                        })
                    });
                }
                _ => unreachable!(),
            }
        }
        group.finish();
    }
}

/// The whole job, as `build.rs` runs it: read the file, then every stage to formatted sources.
fn end_to_end(c: &mut Criterion) {
    let (operations, schemas) = TARGET;
    let path = std::env::temp_dir().join(format!(
        "sdkgen-bench-{}-{operations}x{schemas}.yaml",
        std::process::id()
    ));
    std::fs::write(&path, synth::synthetic_spec(operations, schemas)).expect("write the spec");
    let settings = Settings::default();
    let mut group = c.benchmark_group("end_to_end");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .sample_size(10)
        .throughput(Throughput::Elements(operations as u64));
    group.bench_function(BenchmarkId::new("target", operations), |b| {
        b.iter(|| sdkgen::generate(&path, "spec.yaml", &settings).expect("generate"))
    });
    let spec = spec_path();
    group.sample_size(30);
    group.bench_function(BenchmarkId::new("spec", 4), |b| {
        b.iter(|| sdkgen::generate(&spec, "spec/openapi.yaml", &settings).expect("generate"))
    });
    group.finish();
    let _ = std::fs::remove_file(&path);
}

fn main() {
    let inputs = inputs();
    let mut criterion = Criterion::default().configure_from_args();
    stages(&mut criterion, &inputs);
    end_to_end(&mut criterion);
    criterion.final_summary();
    report(&inputs);
}

// ---- the table ---------------------------------------------------------------------------

/// Criterion's directory: `$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`, else the
/// workspace's `target/criterion`.
fn criterion_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return home.into();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("criterion")
}

/// The median time of one iteration, in seconds, as criterion estimated it in this run.
fn median(group: &str, function: &str, parameter: usize) -> Option<f64> {
    let path = criterion_home()
        .join(group)
        .join(function)
        .join(parameter.to_string())
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    Some(value["median"]["point_estimate"].as_f64()? / 1e9)
}

fn human(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.1} ms", seconds * 1e3)
    } else {
        format!("{:.1} µs", seconds * 1e6)
    }
}

fn report(inputs: &[Input]) {
    let mut rows = Vec::new();
    let synthetic: Vec<&Input> = inputs
        .iter()
        .filter(|i| i.function == "synthetic")
        .collect();
    let sizes = synthetic
        .iter()
        .map(|i| i.operations.to_string())
        .collect::<Vec<_>>()
        .join(" / ");
    let mut totals = vec![0.0; synthetic.len()];
    let mut complete = true;
    for stage in STAGES {
        let per_op: Vec<Option<f64>> = synthetic
            .iter()
            .map(|i| median(stage, i.function, i.parameter).map(|t| t / i.operations as f64))
            .collect();
        if per_op.iter().any(Option::is_none) {
            complete = false;
            continue;
        }
        let per_op: Vec<f64> = per_op.into_iter().flatten().collect();
        for (total, t) in totals.iter_mut().zip(&per_op) {
            *total += t;
        }
        rows.push(linear_row(
            &format!(
                "{}, time per operation at {sizes} ops",
                stage.replace('_', " + ")
            ),
            &per_op,
        ));
    }
    if complete {
        rows.push(linear_row(
            &format!("all stages, time per operation at {sizes} ops"),
            &totals,
        ));
    }
    let spec = &inputs[0];
    let spec_stages: Vec<String> = STAGES
        .iter()
        .filter_map(|stage| {
            median(stage, spec.function, spec.parameter)
                .map(|t| format!("{} {}", stage.replace('_', " + "), human(t)))
        })
        .collect();
    if let Some(total) = median("end_to_end", "spec", 4) {
        rows.push(format!(
            "| generator | spec/openapi.yaml ({} ops), file → sources | {} ({}) | — | — |",
            spec.operations,
            human(total),
            spec_stages.join(", ")
        ));
    }
    if let Some(total) = median("end_to_end", "target", TARGET.0) {
        let bytes = synth::synthetic_spec(TARGET.0, TARGET.1).len();
        rows.push(format!(
            "| generator | {} ops, {} schemas, {:.1} MB: file → formatted sources | {} | < 1 s | {} |",
            TARGET.0,
            TARGET.1,
            bytes as f64 / 1e6,
            human(total),
            if total < 1.0 { "yes" } else { "**no**" }
        ));
    }
    emit_rows("10-generator.md", &rows);
}

/// A row of per-operation times; linear when the largest size costs at most 1.5× per
/// operation what 100 operations cost (10 operations are dominated by fixed costs).
fn linear_row(what: &str, per_op: &[f64]) -> String {
    let times: Vec<String> = per_op.iter().map(|t| human(*t)).collect();
    let growth = per_op[per_op.len() - 1] / per_op[1];
    format!(
        "| generator | {what} | {} (5,000 vs 100: {growth:.2}×) | linear (≤ 1.5×) | {} |",
        times.join(" / "),
        if growth <= 1.5 { "yes" } else { "**no**" }
    )
}

/// Prints the rows and, with `BENCH_REPORT_DIR` set, writes them to `file` there.
fn emit_rows(file: &str, rows: &[String]) {
    if rows.is_empty() {
        return;
    }
    let text = rows.join("\n") + "\n";
    println!("\n{text}");
    if let Some(dir) = std::env::var_os("BENCH_REPORT_DIR") {
        let dir = PathBuf::from(dir);
        let _ = std::fs::create_dir_all(&dir);
        std::fs::write(dir.join(file), text).expect("write the report rows");
    }
}
