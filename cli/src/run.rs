//! The `run` and `demo` commands.

use crate::{clock, DemoArgs, RunArgs};
use segscope_core::classify::stability::PreviousRun;
use segscope_core::classify::stress;
use segscope_core::ingest::{self, FileKind, InputFile, LoadOptions};
use segscope_core::{analyze_against, tables, Config, InputRecord, RunRecord};
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

/// `segscope run`: load, analyze, write SPEC §7's files.
pub fn run(args: &RunArgs) -> Result<(), String> {
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
        (FileKind::Orders, Some(&args.orders)),
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
    let input = |kind: FileKind| {
        files.iter().find(|f| f.0 == kind).map(|f| InputFile { name: &f.1, bytes: &f.2 })
    };
    let orders = input(FileKind::Orders).ok_or("no orders file")?;
    let options = LoadOptions { today: Some(clock::today()) };
    let loaded = ingest::load(
        orders,
        input(FileKind::Products),
        input(FileKind::Customers),
        input(FileKind::CostPools),
        &config.mapping,
        &options,
    )
    .map_err(|e| e.to_string())?;
    let previous = match &args.previous {
        Some(path) => Some(PreviousRun::from_csv(&read(path)?, &path.display().to_string())?),
        None => None,
    };
    let analysis = analyze_against(&loaded.dataset, &config, previous.as_ref());
    let mut report = loaded.report;
    report.merge(analysis.report.clone());

    fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let inputs = files.iter().map(|(kind, name, bytes)| InputRecord::new(*kind, name, bytes));
    let record = RunRecord::new(&config, inputs.collect(), &clock::now_rfc3339(), "segscope-cli");
    write(&args.out.join("skus.csv"), &tables::sku_table(&loaded.dataset, &analysis).to_csv())?;
    write(&args.out.join("policies.csv"), &tables::policy_table(&analysis).to_csv())?;
    let frontier = tables::frontier_table(&loaded.dataset, &analysis);
    write(&args.out.join("frontier.csv"), &frontier.to_csv())?;
    let customers = tables::customer_table(&loaded.dataset, &analysis);
    write(&args.out.join("customers.csv"), &customers.to_csv())?;
    write(&args.out.join("pools.csv"), &tables::pool_table(&analysis).to_csv())?;
    write(&args.out.join("tiers.csv"), &tables::tier_table(&analysis).to_csv())?;
    write(&args.out.join("cost_breakdown.csv"), &tables::breakdown_table(&analysis).to_csv())?;
    write(&args.out.join("what_if.csv"), &tables::what_if_table(&analysis).to_csv())?;
    write(&args.out.join("data_quality.json"), &to_json(&report)?)?;
    if args.stress {
        let scenarios = stress::stress_test(&loaded.dataset, &config, &analysis.classes);
        write(&args.out.join("stress.csv"), &tables::stress_table(&scenarios).to_csv())?;
    }
    if let Some(previous) = &previous {
        let table = tables::migration_table(&loaded.dataset, &analysis, previous);
        write(&args.out.join("migration.csv"), &table.to_csv())?;
    }
    write(&args.out.join("run.json"), &to_json(&record)?)?;
    Ok(())
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
