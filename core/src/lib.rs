//! # segscope-core
//!
//! The engine of segscope: supply-chain segmentation and cost-to-serve from
//! order-line exports. It is pure — bytes in, data out, no clock, no global
//! random numbers, no browser — so the same code runs natively in the
//! command line tool and as WebAssembly in the app.
//!
//! The pipeline reads as stages, each a plain function from data to data:
//!
//! 1. [`ingest`] — CSV bytes to a [`Dataset`] and a [`DqReport`]
//!    (SPEC §1, §6).
//! 2. [`demand`] — the SKU × bucket demand series and per-SKU value figures
//!    (SPEC §2).
//! 3. [`classify`] — ABC, XYZ, demand patterns and segments (SPEC §3).
//! 4. [`policy`] — safety stock, reorder point, order quantity and their
//!    consequences per SKU (SPEC §4).
//! 5. [`cost`] — activity-based cost-to-serve and customer P&L (SPEC §5).
//! 6. [`forecast`] — per-segment forecasting methods, next-bucket forecasts,
//!    rolling-origin backtests and forecast-bias exceptions.
//!
//! [`analyze`] runs them in order for a [`Config`]; [`tables`] turns the
//! result into the tables every front door shows or writes, and [`run`]
//! records what produced them.

#![deny(missing_docs)]

pub mod analysis;
use segscope_scan::cache;
pub mod cells;
pub mod classify;
pub mod config;
pub mod cost;
pub mod dataset;
pub mod date;
pub mod demand;
pub mod export;
pub mod forecast;
pub mod governance;
pub mod ingest;
pub mod kpi;
pub mod normal;
mod parallel;
pub mod policy;
pub mod quality;
pub mod roles;
pub mod run;
pub mod stats;
pub mod tables;
#[cfg(test)]
mod testing;
pub mod workspace;
pub mod xlsx;

pub use analysis::{analyze, analyze_against, analyze_observed, Analysis, Stage};
pub use config::{Bucket, Config, ConfigError};
pub use dataset::{Codes, CostPool, Customer, Dataset, Driver, OrderLines, Product};
pub use date::Date;
pub use demand::{DemandSeries, SkuSummary};
pub use ingest::{FileKind, IngestError, InputFile, LoadOptions, Loaded};
pub use quality::{DqReport, Rule};
pub use run::{InputRecord, RunRecord};
pub use tables::{Cell, Table};

/// The engine version, recorded in every run.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
