//! `--overrides`: manual overrides of SKUs' segments from a CSV file
//! (`sku,segment,reason`), applied as core's one-SKU rules after the
//! configuration's own, and logged to `audit.csv` (SPEC §7's files are
//! unchanged; `run.json` holds the overrides in its configuration).

use segscope_core::classify::{self, stability::PreviousRun};
use segscope_core::governance::{self, Governance};
use segscope_core::{tables, Analysis, Config, Dataset, Table};
use std::path::Path;

/// The overrides of `path` (none without one), to be applied with
/// [`Governance::apply`] before the analysis.
///
/// # Errors
/// The file cannot be read, or a line has no reason or no valid segment
/// (core's message names the file and line).
pub fn read(path: Option<&Path>) -> Result<Governance, String> {
    let mut g = Governance::default();
    if let Some(path) = path {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        g.overrides = governance::read_overrides(&bytes, &path.display().to_string())?;
    }
    Ok(g)
}

/// The audit trail of this run's overrides (`None` without overrides),
/// written as `audit.csv` like every table, for the roles that see it: each SKU
/// goes from its computed segment — the configuration's own rules and
/// hysteresis, without overrides — to the override's, at `time`, in run 1.
///
/// # Errors
/// An override names a SKU that is not in the data.
pub fn audit(
    overrides: &Governance,
    data: &Dataset,
    analysis: &Analysis,
    previous: Option<&PreviousRun>,
    time: &str,
) -> Result<Option<Table>, String> {
    if overrides.overrides.is_empty() {
        return Ok(None);
    }
    let mut config: Config = analysis.config.clone();
    config.rules = governance::user_rules(&config.rules);
    // Only the classification stage runs again, without the overrides.
    let computed = classify::classify(data, &analysis.demand, &config, previous);
    let codes: Vec<&str> = analysis.demand.series.skus.iter().map(|&s| data.skus.name(s)).collect();
    let mut logged = Governance::default();
    for o in &overrides.overrides {
        let current = codes.iter().position(|&c| c == o.sku).map(|r| computed[r].segment.as_str());
        logged
            .set_override(&o.sku, &o.segment, &o.reason, current, time)
            .map_err(|e| format!("overrides: {e}"))?;
    }
    Ok(Some(tables::audit_table(&logged.audit)))
}
