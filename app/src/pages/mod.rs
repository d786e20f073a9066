//! One module per workflow page. The Data page is complete; the analysis
//! pages describe what they will show until their issues fill them.

mod cost;
mod dashboards;
mod data;
mod export;
mod history;
mod planned;
mod policies;
mod report;
mod segments;

pub use cost::CostPage;
pub use dashboards::DashboardsPage;
pub use data::DataPage;
pub use export::ExportPage;
pub use history::HistoryPage;
pub use policies::PoliciesPage;
pub use report::ReportPage;
pub use segments::SegmentsPage;
