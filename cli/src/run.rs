//! The `run` and `demo` commands.

use crate::timings::Timings;
use crate::{clock, DemoArgs, RunArgs};
use rayon::prelude::*;
use segscope_core::classify::stability::PreviousRun;
use segscope_core::classify::stress;
use segscope_core::ingest::{self, FileKind, InputFile, LoadOptions};
use segscope_core::policy;
use segscope_core::roles::{self, TableKind};
use segscope_core::{analyze_observed, export, tables, Config, RunRecord, Table};
use std::fs;
use std::path::Path;

/// Reads a file, with an error message naming it.
fn read(path: &Path) -> Result<Vec<u8>, String> {
    fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Writes a file, with an error message naming it.
fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes a table as CSV (SPEC §7) row by row, with an error message
/// naming the file.
fn write_table(path: &Path, table: &Table) -> Result<(), String> {
    let file =
        fs::File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let options = segscope_core::tables::CsvOptions::default();
    table
        .write_csv(&options, std::io::BufWriter::with_capacity(1 << 20, file))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `segscope run`: load, analyze, write SPEC §7's files.
pub fn run(args: &RunArgs) -> Result<(), String> {
    let mut timings = Timings::start();
    let config = match &args.config {
        Some(path) => {
            let bytes = read(path)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| format!("{}: the configuration is not UTF-8 text", path.display()))?;
            Config::from_json(&text, &path.display().to_string()).map_err(|e| e.to_string())?
        }
        None => Config::default(),
    };
    let paths = [
        (FileKind::Orders, args.orders.as_ref()),
        (FileKind::Cells, args.cells.as_ref()),
        (FileKind::Products, args.products.as_ref()),
        (FileKind::Customers, args.customers.as_ref()),
        (FileKind::CostPools, args.cost_pools.as_ref()),
    ];
    let mut files = Vec::new();
    for (kind, path) in paths {
        if let Some(path) = path {
            files.push((kind, path.display().to_string(), read(path)?));
        }
    }
    let files = std::sync::Arc::new(files);
    let input = |kind: FileKind| {
        files.iter().find(|f| f.0 == kind).map(|f| InputFile { name: &f.1, bytes: &f.2 })
    };
    timings.lap("read");
    let options = LoadOptions { today: Some(clock::today()), ..LoadOptions::default() };
    // Order cells (`--cells`) take the order lines' place (docs/aggregates.md).
    let load = match input(FileKind::Cells) {
        Some(_) => ingest::load_cells,
        None => ingest::load,
    };
    let orders = input(FileKind::Cells).or(input(FileKind::Orders)).ok_or("no orders file")?;
    // The inputs' SHA-256 for run.json (86 ms at 1M lines), in a core the
    // parse leaves idle.
    let (loaded, inputs) = crate::inputs::hashed_beside(&files, || {
        load(
            orders,
            input(FileKind::Products),
            input(FileKind::Customers),
            input(FileKind::CostPools),
            &config.mapping,
            &options,
        )
    });
    let loaded = loaded.map_err(|e| e.to_string())?;
    segscope_core::cells::check_bucket(&loaded.dataset.lines, &config, &orders_name(args))?;
    // The files' text is freed: the analysis's blocks reuse its memory
    // (`huge::reuse_freed_memory`) rather than fresh pages, which cost more
    // than the hashing at 5M lines.
    drop(files);
    timings.lap("parse");
    let previous = match &args.previous {
        Some(path) => Some(PreviousRun::from_csv(&read(path)?, &path.display().to_string())?),
        None => None,
    };
    // Manual overrides (`--overrides`): core's one-SKU rules after the
    // configuration's own; run.json records them in its configuration.
    let overrides = crate::overrides::read(args.overrides.as_deref())?;
    let config = overrides.apply(&config);
    // No file shows the empirical figures that the app adds to normal-model
    // slow movers for comparison; leaving them out skips their bootstrap.
    let detail = policy::Detail::PolicyOnly;
    let analysis =
        analyze_observed(&loaded.dataset, &config, previous.as_ref(), detail, &mut |stage| {
            timings.lap(stage.name())
        });
    let audit = crate::overrides::audit(
        &overrides,
        &loaded.dataset,
        &analysis,
        previous.as_ref(),
        &clock::now_rfc3339(),
    )?;
    let mut report = loaded.report;
    report.merge(analysis.report.clone());

    fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let record = RunRecord::new(&config, inputs, &clock::now_rfc3339(), "segscope-cli");
    let data = &loaded.dataset;
    let frontier = tables::frontier_table(data, &analysis);
    timings.lap("frontier");
    // The one list of exported tables (core's `export`; the frontier was
    // built above, to time it on its own), then the two that need more than
    // the analysis.
    let mut frontier = Some(frontier);
    let mut tables: Vec<(TableKind, Table)> = export::EXPORTED
        .into_iter()
        .filter_map(|kind| {
            let table = match kind {
                TableKind::Frontier => frontier.take(),
                _ => export::result_table(kind, data, &analysis),
            };
            Some((kind, table?))
        })
        .collect();
    if args.stress {
        let scenarios = stress::stress_test(data, &config, &analysis.classes);
        tables.push((TableKind::Stress, tables::stress_table(&scenarios)));
    }
    if let Some(previous) = &previous {
        tables.push((TableKind::Migration, tables::migration_table(data, &analysis, previous)));
    }
    tables.extend(audit.map(|audit| (TableKind::Audit, audit)));
    let role = args.role.into();
    // A role writes only what it may see; a table it may not see is not written.
    let visible: Vec<(TableKind, Table)> = tables
        .into_iter()
        .filter(|(kind, _)| roles::sees_table(role, *kind))
        .map(|(kind, table)| (kind, table.for_role(role, kind)))
        .collect();
    // Each table goes to its own file: they are written side by side, and
    // the first failure in table order is the one reported.
    visible
        .par_iter()
        .map(|(kind, table)| {
            write_table(&args.out.join(format!("{}.csv", kind.file_stem())), table)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect::<Result<(), String>>()?;
    if args.xlsx {
        let book = export::xlsx_file("results.xlsx", &visible)?;
        write(&args.out.join(&book.name), &book.bytes)?;
    }
    write(&args.out.join("data_quality.json"), &to_json(&report)?)?;
    write(&args.out.join("run.json"), &to_json(&record)?)?;
    timings.lap("write");
    if args.timings {
        println!("{}", timings.to_json());
    }
    Ok(())
}

/// The name of the orders or cells file, for messages.
fn orders_name(args: &RunArgs) -> String {
    args.cells
        .as_ref()
        .or(args.orders.as_ref())
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, String> {
    serde_json::to_vec_pretty(value).map_err(|e| format!("cannot serialise results: {e}"))
}

/// `segscope demo`: write a generated dataset.
pub fn demo(args: &DemoArgs) -> Result<(), String> {
    let params = match args.lines {
        Some(lines) => segscope_gen::Params::scaled(lines, args.seed),
        None => segscope_gen::Params { seed: args.seed, ..segscope_gen::Params::demo() },
    };
    let files = segscope_gen::generate(&params);
    fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    write(&args.out.join("orders.csv"), &files.orders)?;
    write(&args.out.join("products.csv"), &files.products)?;
    write(&args.out.join("customers.csv"), &files.customers)?;
    write(&args.out.join("cost_pools.csv"), &files.cost_pools)?;
    Ok(())
}
