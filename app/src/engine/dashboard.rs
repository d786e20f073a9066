//! The Dashboards page's view: core's KPIs per segment
//! ([`segscope_core::kpi`]), only those the role sees
//! ([`segscope_core::roles::sees_kpi`]), and the tier mix when the role
//! sees profitability tiers.

use crate::worker_api::{DashboardView, KpiColumn, TierMix};
use segscope_core::kpi::{self, Kpi, Kpis};
use segscope_core::roles::{can_see, sees_kpi, Role, TableKind};
use segscope_core::{Analysis, Dataset};

/// Why a KPI is absent for every segment, or `None` when it is present
/// somewhere.
fn absent(k: &Kpis, kpi: Kpi, column: &KpiColumn) -> Option<String> {
    if column.total.is_some() || column.values.iter().any(Option::is_some) {
        return None;
    }
    Some(match kpi {
        Kpi::OnTimeRate if !k.has_delivery_dates => {
            "Needs promised_date and delivered_date in the \
                                                     orders file: no order line has both."
                .into()
        }
        Kpi::OnTimeRate => "No order line with positive quantity has both dates.".into(),
        Kpi::CostPerOrder if !k.has_pools => {
            "Needs cost pools: load a cost-pools file on the Data \
                                               page or enter pools on the Cost to serve page."
                .into()
        }
        Kpi::InventoryTurns => "No SKU has an order quantity and a unit cost.".into(),
        Kpi::FillRate => "No SKU has an order quantity (annual demand and holding cost).".into(),
        _ => "Not defined for these data.".into(),
    })
}

/// The dashboard of `role` for one analysis.
pub fn view(data: &Dataset, analysis: &Analysis, role: Role, generation: u64) -> DashboardView {
    let k = kpi::build(data, analysis);
    let kpis = Kpi::ALL
        .into_iter()
        .filter(|kpi| sees_kpi(role, kpi.key()))
        .map(|kpi| {
            let mut column = KpiColumn {
                kpi,
                values: k.segments.iter().map(|s| s.value(kpi, k.has_pools)).collect(),
                total: k.total.value(kpi, k.has_pools),
                absent: None,
            };
            column.absent = absent(&k, kpi, &column);
            column
        })
        .collect();
    let sees_tiers = can_see(role, TableKind::Tiers, "tier")
        && can_see(role, TableKind::Tiers, "customers")
        && can_see(role, TableKind::Tiers, "revenue");
    let tiers = sees_tiers.then(|| {
        analysis
            .cost
            .tiers
            .iter()
            .map(|t| TierMix { tier: t.name.clone(), customers: t.customers, revenue: t.revenue })
            .collect()
    });
    DashboardView {
        generation,
        role,
        segments: k.segments.iter().map(|s| s.segment.clone()).collect(),
        kpis,
        tiers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::worker_api::{Request, Response};
    use segscope_core::FileKind;

    const ORDERS: &str = "order_id,order_date,sku,quantity,unit_price,unit_cost,customer_id\n\
        O1,2024-01-01,S1,10,10,6,C1\n\
        O2,2024-01-08,S1,10,10,6,C2\n\
        O3,2024-01-15,S1,10,10,6,C1\n\
        O4,2024-01-22,S1,10,10,6,C2\n\
        O5,2024-01-01,S2,4,5,3,C3\n";

    fn dashboards(e: &mut Engine, request: Request, bytes: Option<&str>) -> Vec<DashboardView> {
        let mut sent = Vec::new();
        e.handle(request, bytes.map(|b| b.as_bytes().to_vec()), &mut |r| sent.push(r));
        sent.into_iter()
            .filter_map(|r| match r {
                Response::Dashboard(d) => Some(*d),
                _ => None,
            })
            .collect()
    }

    fn loaded() -> Engine {
        let mut e = Engine::new(None);
        let load = Request::LoadFile { kind: FileKind::Orders, name: "o.csv".into() };
        assert_eq!(dashboards(&mut e, load, Some(ORDERS)).len(), 1);
        e
    }

    fn keys(d: &DashboardView) -> Vec<&str> {
        d.kpis.iter().map(|c| c.kpi.key()).collect()
    }

    #[test]
    fn each_role_gets_exactly_its_kpis() {
        let mut e = loaded();
        for role in Role::ALL {
            let sent = dashboards(&mut e, Request::SetRole { role }, None);
            let d = sent.last().expect("a dashboard after a role change");
            assert_eq!(d.role, role);
            let expected: Vec<&str> =
                Kpi::ALL.iter().map(|k| k.key()).filter(|k| sees_kpi(role, k)).collect();
            assert_eq!(keys(d), expected, "{role:?}");
        }
    }

    #[test]
    fn sales_gets_no_money_but_revenue_and_the_planner_no_tiers() {
        let mut e = loaded();
        let sales = dashboards(&mut e, Request::SetRole { role: Role::Sales }, None);
        let d = &sales[0];
        for hidden in [Kpi::Margin, Kpi::MarginPct, Kpi::CostPerOrder, Kpi::InventoryValue] {
            assert!(d.kpi(hidden).is_none(), "{hidden:?}");
        }
        assert!(d.tiers.is_some());
        let planner = dashboards(&mut e, Request::SetRole { role: Role::Planner }, None);
        assert!(planner[0].tiers.is_none());
    }

    #[test]
    fn revenue_per_segment_is_cores_and_absent_kpis_say_why() {
        let mut e = loaded();
        let d = &dashboards(&mut e, Request::SetRole { role: Role::Consultant }, None)[0];
        // S1: 4 × 10 × 10 = 400 (AX); S2: 4 × 5 = 20 (CZ).
        assert_eq!(d.segments, ["AX", "CZ"]);
        let revenue = d.kpi(Kpi::Revenue).unwrap();
        assert_eq!(revenue.values, [Some(400.0), Some(20.0)]);
        assert_eq!(revenue.total, Some(420.0));
        let on_time = d.kpi(Kpi::OnTimeRate).unwrap();
        assert!(on_time.absent.as_deref().unwrap().contains("promised_date"));
        let per_order = d.kpi(Kpi::CostPerOrder).unwrap();
        assert!(per_order.absent.as_deref().unwrap().contains("cost pools"));
        assert!(revenue.absent.is_none());
    }
}
