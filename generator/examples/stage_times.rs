//! Where a run's time goes: each stage of the pipeline on a description, timed in one
//! process, and the CPU time of emitting and rendering (which run on every core).
//!
//! ```sh
//! cargo run --release -p sdkgen --features cli --example stage_times -- generator/tests/real/openai.yaml 5
//! ```
//!
//! Prints one line per round; the first pays for parsing the runtime's sources once per
//! process (`prepare`), which `sdkgen` does on a thread while it reads the description.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// As the `sdkgen` binary allocates.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(path), rounds) = (args.next(), args.next()) else {
        eprintln!("usage: stage_times SPEC [ROUNDS]");
        return ExitCode::from(2);
    };
    let rounds: usize = rounds.and_then(|r| r.parse().ok()).unwrap_or(3);
    let text = match sdkgen::read_description(Path::new(&path)) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    // The stages recurse over nested schemas: as deep a stack as `sdkgen` gives them.
    let run = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            (0..rounds)
                .try_for_each(|_| round(Path::new(&path), &text).map(|line| println!("{line}")))
        });
    match run.map(|thread| thread.join()) {
        Ok(Ok(Ok(()))) => ExitCode::SUCCESS,
        Ok(Ok(Err(error))) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
        _ => ExitCode::FAILURE,
    }
}

/// One run of the stages, as a line of their times.
fn round(path: &Path, text: &str) -> Result<String, String> {
    let started = Instant::now();
    sdkgen::runtime::prepare();
    let prepare = started.elapsed();
    let mut clock = Stopwatch(Instant::now());
    // Reading the tree scans for the nesting limit first; the scan alone, to see its share.
    sdkgen::load::nesting::check(text).map_err(|e| e.to_string())?;
    let nesting = clock.lap();
    let (mut tree, _) = sdkgen::load::read_tree_warning(text).map_err(|e| e.to_string())?;
    let tree_time = clock.lap();
    let mut diagnostics = sdkgen::diagnostics::Diagnostics::default();
    let _sources = sdkgen::load::bundle::bundle(&mut tree, path, text, &mut diagnostics);
    let loaded = sdkgen::load::from_converted(tree, Default::default())
        .map_err(|found| format!("{} problems", found.len()))?;
    let load = clock.lap();
    let (api, _) = sdkgen::ir::build(&loaded.document, &Default::default())
        .map_err(|found| format!("{} problems", found.len()))?;
    drop(loaded);
    let ir = clock.lap();
    let surface = sdkgen::surface::Surface::of(&api);
    let surface_time = clock.lap();
    let cpu_before = process_cpu();
    let files =
        sdkgen::render::render(sdkgen::emit::emit(&api), "spec.yaml").map_err(|e| e.to_string())?;
    let render = clock.lap();
    let render_cpu = process_cpu().saturating_sub(cpu_before);
    drop((files, surface));
    Ok(format!(
        "prepare {prepare:.0?}, tree {tree_time:.0?} (after its nesting scan, {nesting:.0?}), bundle and load {load:.0?}, ir {ir:.0?}, surface {surface_time:.0?}, emit and render {render:.0?} ({render_cpu:.0?} CPU)"
    ))
}

struct Stopwatch(Instant);

impl Stopwatch {
    /// The time since the last lap (or since the watch started).
    fn lap(&mut self) -> Duration {
        let now = Instant::now();
        let since = now - self.0;
        self.0 = now;
        since
    }
}

/// The process's CPU time (user and system, every thread), from `/proc/self/stat` in clock
/// ticks of 10 ms; zero where there is none.
fn process_cpu() -> Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        });
    Duration::from_millis(ticks.unwrap_or(0) * 10)
}
