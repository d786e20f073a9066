//! Views for a role: every response leaves the worker through
//! [`for_role`], which blanks the figures `segscope_core::roles` hides from
//! the role, so that they never reach the page — not its tables, charts,
//! tooltips, drill-downs or what-ifs. The page hides the blanked columns
//! too (asking the same `roles` functions); blanking here is what makes
//! the hiding safe.
//!
//! Figures are blanked in place (zero, `None`, empty) rather than removed,
//! so that every column keeps its length and no view changes shape.

use crate::worker_api::{
    ClusterView, CostView, CostWhatIfView, CustomerColumns, CustomerDetailView, PoliciesView,
    Response, SkuDetailView, WhatIfView,
};
use segscope_core::config::Feature;
use segscope_core::policy::working_capital::SegmentPolicySummary;
use segscope_core::policy::Policy;
use segscope_core::roles::{can_see, sees_stock_values, sees_table, Role, TableKind};

/// The response as `role` may see it.
pub fn for_role(response: Response, role: Role) -> Response {
    if role == Role::Consultant {
        return response;
    }
    match response {
        Response::Workspace(mut v) => {
            if !can_see(role, TableKind::Skus, "margin") {
                if let Some(s) = &mut v.summary {
                    s.margin = 0.0;
                }
                v.top_skus.iter_mut().for_each(|r| r.margin = 0.0);
            }
            Response::Workspace(v)
        }
        Response::Segments(mut v) => {
            if !can_see(role, TableKind::Skus, "margin") {
                if let Some(c) = &mut v.clusters {
                    blank_margin_features(c);
                }
            }
            Response::Segments(v)
        }
        Response::Policies(mut v) => {
            policies(&mut v, role);
            Response::Policies(v)
        }
        Response::WhatIf(mut v) => {
            what_if(&mut v, role);
            Response::WhatIf(v)
        }
        Response::SkuDetail(mut v) => {
            sku_detail(&mut v, role);
            Response::SkuDetail(v)
        }
        Response::Cost(mut v) => {
            cost(&mut v, role);
            Response::Cost(v)
        }
        Response::CustomerDetail(mut v) => {
            customer_detail(&mut v, role);
            Response::CustomerDetail(v)
        }
        Response::CostWhatIf(mut v) => {
            cost_what_if(&mut v, role);
            Response::CostWhatIf(v)
        }
        other => other,
    }
}

/// Zeroes the margin features (values and centroids) of a cluster view,
/// keeping its shape.
fn blank_margin_features(c: &mut ClusterView) {
    let margin: Vec<usize> = (0..c.features.len())
        .filter(|&j| matches!(c.features.get(j), Some(Feature::LogMargin | Feature::MarginRate)))
        .collect();
    let d = c.features.len();
    if margin.is_empty() || d == 0 {
        return;
    }
    for (k, v) in c.values.iter_mut().enumerate() {
        if margin.contains(&(k % d)) {
            *v = 0.0;
        }
    }
    for row in &mut c.clusters {
        for &j in &margin {
            if let Some(x) = row.centroid.get_mut(j) {
                *x = 0.0;
            }
            if let Some(x) = row.centroid_plotted.get_mut(j) {
                *x = 0.0;
            }
        }
    }
}

fn blank_summary(s: &mut SegmentPolicySummary) {
    s.safety_stock_value = 0.0;
    s.avg_inventory_value = 0.0;
    s.on_hand = None;
}

fn blank_policy(p: &mut Policy) {
    p.avg_inventory_value = None;
    p.safety_stock_value = None;
    p.inputs.unit_cost = None;
    p.inputs.ordering_cost = 0.0;
}

fn policies(v: &mut PoliciesView, role: Role) {
    if sees_stock_values(role) {
        return;
    }
    for row in &mut v.segments {
        blank_summary(&mut row.summary);
        row.slow.normal_safety_stock_value = 0.0;
        row.slow.empirical_safety_stock_value = 0.0;
        for p in &mut row.frontier {
            p.inventory_value = 0.0;
            p.safety_stock_value = 0.0;
        }
    }
    v.totals.safety_stock_value = 0.0;
    v.totals.avg_inventory_value = 0.0;
    v.totals.on_hand = None;
    v.defaults.ordering_cost = 0.0;
    let t = &mut v.table;
    t.safety_stock_value.iter_mut().for_each(|x| *x = None);
    t.avg_inventory_value.iter_mut().for_each(|x| *x = None);
}

fn what_if(v: &mut WhatIfView, role: Role) {
    if sees_stock_values(role) {
        return;
    }
    if let Ok(w) = &mut v.result {
        blank_summary(&mut w.before);
        blank_summary(&mut w.after);
        w.delta_inventory_value = 0.0;
        w.delta_safety_stock_value = 0.0;
    }
}

fn sku_detail(v: &mut SkuDetailView, role: Role) {
    if sees_stock_values(role) {
        return;
    }
    if let Some(d) = &mut v.detail {
        blank_policy(&mut d.policy);
        blank_policy(&mut d.normal);
        d.empirical_safety_stock_value = None;
    }
}

/// Whether `role` sees a column of the customer table.
fn sees_customer(role: Role, column: &str) -> bool {
    can_see(role, TableKind::Customers, column)
}

fn cost(v: &mut CostView, role: Role) {
    if !sees_table(role, TableKind::Pools) {
        v.pools.clear();
        v.template.clear();
        v.reconciliation = Default::default();
    }
    if !can_see(role, TableKind::Breakdown, "cost_to_serve") {
        v.bars.clear();
    }
    let t = &mut v.totals;
    if !sees_customer(role, "cogs") {
        t.cogs = 0.0;
    }
    if !sees_customer(role, "cost_to_serve") {
        t.cost_to_serve = 0.0;
        t.cost_share_of_revenue = None;
    }
    if !sees_customer(role, "cost_per_order") {
        t.cost_per_order = None;
        t.cost_per_line = None;
    }
    if !sees_customer(role, "profit") {
        t.profit = 0.0;
        t.loss_making = 0;
        v.whale = Default::default();
    }
    let sees_tiers = can_see(role, TableKind::Tiers, "tier");
    for tier in &mut v.tiers {
        if !can_see(role, TableKind::Tiers, "cogs") {
            tier.cogs = 0.0;
        }
        if !can_see(role, TableKind::Tiers, "cost_to_serve") {
            tier.cost_to_serve = 0.0;
        }
        if !can_see(role, TableKind::Tiers, "profit") {
            tier.profit = 0.0;
        }
        if !can_see(role, TableKind::Tiers, "profit_share") {
            tier.profit_share = None;
        }
    }
    if !sees_tiers {
        v.tiers.clear();
    }
    let c = &mut v.customers;
    let zero = |column: &mut Vec<f64>| column.iter_mut().for_each(|x| *x = 0.0);
    if !sees_customer(role, "cogs") {
        zero(&mut c.cogs);
    }
    if !sees_customer(role, "cost_to_serve") {
        zero(&mut c.cost_to_serve);
    }
    if !sees_customer(role, "profit") {
        zero(&mut c.profit);
    }
    if !sees_customer(role, "margin_pct") {
        c.margin_pct.iter_mut().for_each(|x| *x = None);
    }
    if !sees_customer(role, "cost_per_order") {
        c.cost_per_order.iter_mut().for_each(|x| *x = None);
    }
    if !sees_customer(role, "profit") {
        by_revenue(c);
    }
    if !sees_customer(role, "tier") {
        // Tier indices point into the (cleared) tier list; the page shows
        // none when the role does not see tiers.
        c.tier.iter_mut().for_each(|x| *x = u8::MAX);
    }
}

/// Puts the customers in revenue order (largest first, then by code): the
/// worker's own order is by profit, which a role that does not see profit
/// should not be able to read off the table.
fn by_revenue(c: &mut CustomerColumns) {
    let mut order: Vec<usize> = (0..c.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (c.revenue.get(i), c.revenue.get(j));
        b.partial_cmp(&a)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| c.customer.get(i).cmp(&c.customer.get(j)))
    });
    fn permute<T: Clone>(column: &mut Vec<T>, order: &[usize]) {
        if column.len() == order.len() {
            *column = order.iter().filter_map(|&i| column.get(i).cloned()).collect();
        }
    }
    c.customer = c.customer.permuted(&order);
    c.name = c.name.permuted(&order);
    permute(&mut c.tier, &order);
    permute(&mut c.revenue, &order);
    permute(&mut c.cogs, &order);
    permute(&mut c.cost_to_serve, &order);
    permute(&mut c.profit, &order);
    permute(&mut c.margin_pct, &order);
    permute(&mut c.orders, &order);
    permute(&mut c.lines, &order);
    permute(&mut c.cost_per_order, &order);
}

fn customer_detail(v: &mut CustomerDetailView, role: Role) {
    if !sees_customer(role, "cogs") {
        v.cogs = 0.0;
    }
    if !sees_customer(role, "cost_to_serve") {
        v.cost_to_serve = 0.0;
        v.orders_cost_to_serve = 0.0;
        v.orders.iter_mut().for_each(|o| o.cost_to_serve = 0.0);
    }
    if !sees_customer(role, "profit") {
        v.profit = 0.0;
    }
    if !sees_customer(role, "tier") {
        v.tier.clear();
    }
}

fn cost_what_if(v: &mut CostWhatIfView, role: Role) {
    if !sees_table(role, TableKind::WhatIf) {
        v.result = None;
        v.error = Some(format!("What-ifs on cost are not shown to the {} role.", role.label()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker_api::{PolicyColumns, PolicyTotals};
    use segscope_core::cost::TierSummary;

    fn cost_view() -> CostView {
        CostView {
            tiers: vec![TierSummary {
                name: "Gold".into(),
                loss_making: false,
                customers: 2,
                revenue: 100.0,
                cogs: 60.0,
                cost_to_serve: 10.0,
                profit: 30.0,
                orders: 4,
                lines: 5,
                customer_share: 1.0,
                profit_share: Some(1.0),
            }],
            customers: CustomerColumns {
                customer: ["C1"].into_iter().collect(),
                name: ["One"].into_iter().collect(),
                tier: vec![0],
                revenue: vec![100.0],
                cogs: vec![60.0],
                cost_to_serve: vec![10.0],
                profit: vec![30.0],
                margin_pct: vec![Some(0.3)],
                orders: vec![4],
                lines: vec![5],
                cost_per_order: vec![Some(2.5)],
            },
            ..CostView::default()
        }
    }

    fn restricted(role: Role) -> CostView {
        match for_role(Response::Cost(Box::new(cost_view())), role) {
            Response::Cost(v) => *v,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sales_gets_no_margin_in_the_workspace_summary() {
        let view = crate::worker_api::WorkspaceView {
            top_skus: vec![crate::worker_api::SkuRow {
                sku: "S".into(),
                revenue: 10.0,
                margin: 4.0,
                quantity: 1.0,
                order_lines: 1,
            }],
            ..Default::default()
        };
        let sent = |role| match for_role(Response::Workspace(Box::new(view.clone())), role) {
            Response::Workspace(v) => v.top_skus[0].clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!((sent(Role::Sales).revenue, sent(Role::Sales).margin), (10.0, 0.0));
        assert_eq!(sent(Role::Planner).margin, 4.0);
    }

    #[test]
    fn sales_gets_cluster_margins_blanked_and_other_features_kept() {
        let clusters = ClusterView {
            features: vec![Feature::LogRevenue, Feature::MarginRate],
            values: vec![1.0, 0.3, 2.0, 0.4],
            clusters: vec![crate::worker_api::ClusterRow {
                label: "k".into(),
                size: 2,
                centroid: vec![1.5, 0.35],
                centroid_plotted: vec![1.5, 0.35],
            }],
            ..ClusterView::default()
        };
        let view =
            crate::worker_api::SegmentsView { clusters: Some(clusters), ..Default::default() };
        let Response::Segments(v) = for_role(Response::Segments(Box::new(view)), Role::Sales)
        else {
            panic!("not a segments view")
        };
        let c = v.clusters.unwrap();
        assert_eq!(c.values, [1.0, 0.0, 2.0, 0.0]);
        assert_eq!(c.clusters[0].centroid, [1.5, 0.0]);
    }

    #[test]
    fn the_consultant_and_finance_get_every_figure() {
        assert_eq!(restricted(Role::Consultant), cost_view());
        assert_eq!(restricted(Role::Finance), cost_view());
    }

    #[test]
    fn sales_keeps_revenue_and_tiers_but_no_cost_or_profit() {
        let v = restricted(Role::Sales);
        let c = &v.customers;
        assert_eq!((c.revenue[0], c.tier[0], c.orders[0]), (100.0, 0, 4));
        assert_eq!((c.cogs[0], c.cost_to_serve[0], c.profit[0]), (0.0, 0.0, 0.0));
        assert_eq!((c.margin_pct[0], c.cost_per_order[0]), (None, None));
        let t = &v.tiers[0];
        assert_eq!((t.customers, t.revenue), (2, 100.0));
        assert_eq!((t.cogs, t.cost_to_serve, t.profit, t.profit_share), (0.0, 0.0, 0.0, None));
    }

    #[test]
    fn without_profit_customers_come_in_revenue_order() {
        let mut v = cost_view();
        let c = &mut v.customers;
        c.customer.push("C2");
        c.name.push("Two");
        c.tier.push(0);
        c.revenue.push(300.0);
        c.cogs.push(1.0);
        c.cost_to_serve.push(1.0);
        c.profit.push(1.0);
        c.margin_pct.push(None);
        c.orders.push(9);
        c.lines.push(9);
        c.cost_per_order.push(None);
        let Response::Cost(v) = for_role(Response::Cost(Box::new(v)), Role::Sales) else {
            panic!("not a cost view")
        };
        assert_eq!(v.customers.customer, ["C2", "C1"]);
        assert_eq!(v.customers.orders, [9, 4]);
    }

    #[test]
    fn the_planner_gets_no_customer_profit_nor_tiers() {
        let v = restricted(Role::Planner);
        let c = &v.customers;
        assert_eq!((c.revenue[0], c.orders[0]), (100.0, 4));
        assert_eq!((c.cost_to_serve[0], c.profit[0], c.tier[0]), (0.0, 0.0, u8::MAX));
        assert!(v.tiers.is_empty());
    }

    #[test]
    fn sales_gets_service_levels_without_stock_values() {
        let view = PoliciesView {
            totals: PolicyTotals {
                avg_inventory_value: 500.0,
                stockouts_per_year: 2.0,
                ..PolicyTotals::default()
            },
            table: PolicyColumns {
                sku: ["S"].into_iter().collect(),
                service_level: vec![0.95],
                avg_inventory_value: vec![Some(500.0)],
                fill_rate: vec![Some(0.99)],
                ..PolicyColumns::default()
            },
            ..PoliciesView::default()
        };
        let Response::Policies(v) =
            for_role(Response::Policies(Box::new(view.clone())), Role::Sales)
        else {
            panic!("not a policies view")
        };
        assert_eq!((v.totals.avg_inventory_value, v.totals.stockouts_per_year), (0.0, 2.0));
        assert_eq!(v.table.avg_inventory_value, vec![None]);
        assert_eq!((v.table.service_level[0], v.table.fill_rate[0]), (0.95, Some(0.99)));
        let Response::Policies(p) =
            for_role(Response::Policies(Box::new(view.clone())), Role::Planner)
        else {
            panic!("not a policies view")
        };
        assert_eq!(*p, view);
    }
}
