//! Building blocks of the pages. They render views from the worker and send
//! requests; none of them computes a figure.

mod chart;
mod cost_customers;
mod cost_pools;
mod cost_what_if;
mod errors;
mod file_drop;
mod mapping;
mod nav;
mod no_data;
mod policy_levels;
mod policy_segments;
mod policy_sku;
mod policy_table;
mod policy_tradeoff;
mod policy_units;
mod progress;
mod quality;
mod segment_extras;
mod segment_matrix;
mod segment_settings;
mod sku_table;
mod summary;
mod top_skus;

pub use chart::{CanvasArea, ChartCanvas};
pub use cost_customers::{CustomerDetail, CustomerTable};
pub use cost_pools::PoolsEditor;
pub use cost_what_if::WhatIfPanel;
pub use errors::ErrorPanel;
pub use file_drop::FileDrop;
pub use mapping::MappingTable;
pub use nav::{EngineBadge, Nav};
pub use no_data::NoData;
pub use policy_levels::ServiceLevelMatrix;
pub use policy_segments::{WorkingCapitalTable, WorkingCapitalTotals};
pub use policy_sku::SkuView;
pub use policy_table::PolicyTable;
pub use policy_tradeoff::ServiceTradeoff;
pub use progress::ProgressLine;
pub use quality::QualityReport;
pub use segment_extras::{ClusterPanel, Explanation, StressTest};
pub use segment_matrix::SegmentMatrix;
pub use segment_settings::{SegmentSettings, SettingsDraft};
pub use sku_table::SkuTable;
pub use summary::SummaryCards;
pub use top_skus::TopSkus;
