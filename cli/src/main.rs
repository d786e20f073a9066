//! `segscope`: the segscope pipeline from the command line, for scheduled
//! refreshes and for checking results against an independent script.
//!
//! A thin wrapper: read files → `segscope-core` → write the files of SPEC §7.
//! Fatal errors print one line on stderr and exit non-zero; data problems
//! never stop a run, they go to `data_quality.json`.

#[cfg(target_os = "linux")]
mod huge;
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: huge::HugePages = huge::HugePages;

mod clock;
mod inputs;
mod overrides;
mod priority;
mod run;
mod timings;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Supply-chain segmentation and cost-to-serve from order-line exports.
#[derive(Parser)]
#[command(name = "segscope", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole pipeline on CSV exports and write the result files.
    ///
    /// Writes OUT/skus.csv, OUT/customers.csv, OUT/data_quality.json and
    /// OUT/run.json, and the cost-to-serve files: OUT/pools.csv (pool, cost
    /// over the horizon, driver total, rate, unallocated, budget, variance,
    /// flagged), OUT/tiers.csv (profitability tiers), OUT/cost_breakdown.csv
    /// (cost to serve by SKU segment, channel, region and ship mode) and
    /// OUT/what_if.csv (change in profit per tier of each scenario in the
    /// configuration's cost.what_if).
    ///
    /// Inventory policy per segment: OUT/policies.csv (SKUs, service level,
    /// safety stock and average inventory value, demand-weighted fill rate,
    /// stockouts per year; with products' on_hand, stock value against
    /// target and the cash released (+) or needed (−); SKUs without a unit
    /// cost) and OUT/frontier.csv (the same figures per segment at service
    /// levels 0.80, 0.81, … 0.99, 0.995: the efficient frontier).
    ///
    /// Forecasts: OUT/forecast_exceptions.csv lists the A items whose
    /// backtest bias exceeds forecast.bias_threshold of mean demand.
    Run(RunArgs),
    /// Write a generated, realistic demo dataset (orders, products,
    /// customers, cost pools) as CSV files.
    Demo(DemoArgs),
}

/// Arguments of `segscope run`.
#[derive(clap::Args)]
pub struct RunArgs {
    /// Order lines export (CSV; required unless --cells). One row per order line.
    #[arg(long, value_name = "FILE", required_unless_present = "cells")]
    pub orders: Option<PathBuf>,
    /// Order cells (CSV) instead of order lines: the aggregates that
    /// sql/duckdb/order_cells.sql or sql/spark/order_cells.sql compute where
    /// the data lives. Same results as the order lines; the bucket must be
    /// the configuration's (or day). See docs/aggregates.md.
    #[arg(long, value_name = "FILE", conflicts_with = "orders")]
    pub cells: Option<PathBuf>,
    /// Product master (CSV): lead times, costs, MOQ, lifecycle…
    #[arg(long, value_name = "FILE")]
    pub products: Option<PathBuf>,
    /// Customer master (CSV): channel, region, strategic flag…
    #[arg(long, value_name = "FILE")]
    pub customers: Option<PathBuf>,
    /// Activity cost pools (CSV): pool, annual_cost, driver, fixed_share.
    /// Their cost is allocated to customers (customers.csv: cost_to_serve,
    /// profit, margin_pct, tier and one cts_<pool> column per pool).
    #[arg(long = "cost-pools", value_name = "FILE")]
    pub cost_pools: Option<PathBuf>,
    /// Configuration JSON (the same document the app saves); missing keys
    /// take SPEC's defaults, unknown keys are an error.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A previous run's skus.csv: classes stay put while they lie within the
    /// hysteresis band of a cut, and OUT/migration.csv counts the moves.
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
    /// Manual overrides (CSV: sku, segment, reason): pin a SKU to one of
    /// AX … CZ; every line needs a reason. They apply after the
    /// configuration's rules, run.json records them, and OUT/audit.csv
    /// lists each with its computed segment (time, sku, from_segment,
    /// to_segment, reason, run).
    #[arg(long, value_name = "FILE")]
    pub overrides: Option<PathBuf>,
    /// Also re-classify under stress scenarios (noise, shorter history, cuts
    /// ± a few points, a promotion spike) and write OUT/stress.csv with the
    /// share of SKUs per segment that change segment.
    #[arg(long)]
    pub stress: bool,
    /// Write only what this audience may see: consultant (everything),
    /// planner (no customer profit), finance (everything), sales (no costs
    /// or margins; no pools, breakdown or what-if files).
    #[arg(long, value_enum, default_value_t = RoleArg::Consultant)]
    pub role: RoleArg,
    /// Also write OUT/results.xlsx: the same tables as the CSV files (the
    /// role's columns), one sheet each, numbers as numbers, text never a
    /// formula (cells starting with = + - @ tab or CR get a leading ').
    #[arg(long)]
    pub xlsx: bool,
    /// Output folder; created if missing, files in it are overwritten.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Print the wall time of each stage (read, parse, demand, classify,
    /// cluster, policy, forecast, working_capital, cost, frontier, write)
    /// and the peak memory after it as one JSON object on standard output.
    #[arg(long)]
    pub timings: bool,
}

/// Arguments of `segscope demo`.
#[derive(clap::Args)]
pub struct DemoArgs {
    /// Number of order lines (the app's bundled demo has the default size
    /// when this is not given).
    #[arg(long)]
    pub lines: Option<usize>,
    /// Random seed; the same seed and size give byte-identical files.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Output folder for orders.csv, products.csv, customers.csv and
    /// cost_pools.csv.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// The `--role` values.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum RoleArg {
    /// Everything.
    Consultant,
    /// Segments, policies, forecasts; no customer profit.
    Planner,
    /// Cost-to-serve, profitability, working capital.
    Finance,
    /// Customer tiers and service levels; no costs or margins.
    Sales,
}

impl From<RoleArg> for segscope_core::roles::Role {
    fn from(r: RoleArg) -> Self {
        use segscope_core::roles::Role;
        match r {
            RoleArg::Consultant => Role::Consultant,
            RoleArg::Planner => Role::Planner,
            RoleArg::Finance => Role::Finance,
            RoleArg::Sales => Role::Sales,
        }
    }
}

fn main() -> ExitCode {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    huge::reuse_freed_memory();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Demo(args) => run::demo(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("segscope: {message}");
            ExitCode::FAILURE
        }
    }
}
