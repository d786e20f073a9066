//! The Dashboards page's view: one role's KPIs per segment and, when the
//! role sees profitability tiers, the tier mix. Built by the worker
//! (`engine/dashboard.rs`) from core's [`segscope_core::kpi`] for the
//! engine's role, so a KPI the role does not see never leaves the worker.

use segscope_core::kpi::Kpi;
use segscope_core::roles::Role;
use serde::{Deserialize, Serialize};

/// A role's dashboard.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DashboardView {
    /// The analysis generation it was built from.
    pub generation: u64,
    /// Whose dashboard it is.
    pub role: Role,
    /// Segment labels, the rows of every KPI column.
    pub segments: Vec<String>,
    /// The KPIs the role sees, in [`Kpi::ALL`] order.
    pub kpis: Vec<KpiColumn>,
    /// Customers and revenue per profitability tier, most profitable
    /// first; `None` when the role does not see tiers.
    pub tiers: Option<Vec<TierMix>>,
}

impl DashboardView {
    /// The column of one KPI, when the role sees it.
    pub fn kpi(&self, kpi: Kpi) -> Option<&KpiColumn> {
        self.kpis.iter().find(|c| c.kpi == kpi)
    }
}

/// One KPI per segment and over all SKUs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiColumn {
    /// Which KPI.
    pub kpi: Kpi,
    /// Per segment, in [`DashboardView::segments`] order; `None` where
    /// the KPI is undefined for the segment.
    pub values: Vec<Option<f64>>,
    /// Over all SKUs.
    pub total: Option<f64>,
    /// Why the KPI is absent for every segment (no delivery dates, no
    /// cost pools), in words that say what to load.
    pub absent: Option<String>,
}

/// One profitability tier's share of customers and revenue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierMix {
    /// Tier name.
    pub tier: String,
    /// Customers in it.
    pub customers: u64,
    /// Their net revenue.
    pub revenue: f64,
}

#[cfg(test)]
mod tests {
    use super::super::{decode, encode, Request, Response};
    use super::*;

    #[test]
    fn dashboard_messages_round_trip_through_json() {
        let view = DashboardView {
            generation: 2,
            role: Role::Sales,
            segments: vec!["AX".into()],
            kpis: vec![KpiColumn {
                kpi: Kpi::OnTimeRate,
                values: vec![None],
                total: None,
                absent: Some("no dates".into()),
            }],
            tiers: Some(vec![TierMix { tier: "Gold".into(), customers: 3, revenue: 10.0 }]),
        };
        let response = Response::Dashboard(Box::new(view));
        assert_eq!(decode::<Response>(&encode(&response)).unwrap(), response);
        let request = Request::SetRole { role: Role::Planner };
        assert_eq!(decode::<Request>(&encode(&request)).unwrap(), request);
    }
}
