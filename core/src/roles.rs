//! Who may see which figure (the workshop's audiences).
//!
//! The consultant sees everything; the planner works with segments,
//! policies and forecasts and does not see customer profit; finance sees
//! cost-to-serve, profitability and working capital; sales sees customer
//! tiers and service levels but no costs or margins. Visibility is decided
//! here, per table and column, and applied where views and exports are
//! built, so a hidden figure never reaches a table, a chart or a file.

use crate::tables::Table;
use serde::{Deserialize, Serialize};

/// A workshop audience.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything.
    #[default]
    Consultant,
    /// Segments, policies, forecasts; no customer profit.
    Planner,
    /// Cost-to-serve, profitability, working capital.
    Finance,
    /// Customer tiers and service levels; no costs or margins.
    Sales,
}

impl Role {
    /// Every role, in menu order.
    pub const ALL: [Role; 4] = [Role::Consultant, Role::Planner, Role::Finance, Role::Sales];

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Consultant => "Consultant",
            Role::Planner => "Planner",
            Role::Finance => "Finance",
            Role::Sales => "Sales",
        }
    }
}

/// The result tables, as far as visibility is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// Per SKU (`skus.csv`).
    Skus,
    /// Per segment policy summary (`policies.csv`).
    Policies,
    /// Service level against inventory (`frontier.csv`).
    Frontier,
    /// Per customer (`customers.csv`).
    Customers,
    /// Cost pools (`pools.csv`).
    Pools,
    /// Cost to serve by dimension (`cost_breakdown.csv`).
    Breakdown,
    /// Profitability tiers (`tiers.csv`).
    Tiers,
    /// Cost-to-serve scenarios (`what_if.csv`).
    WhatIf,
    /// Segment migration against a previous run.
    Migration,
    /// Stress test.
    Stress,
    /// Forecast-bias exceptions of A items.
    ForecastExceptions,
    /// The audit trail of manual overrides (`audit.csv`).
    Audit,
    /// The run history (`runs.csv`).
    Runs,
    /// SKUs that changed segment between two compared runs, with why.
    RunChanges,
}

/// Columns that are a cost, a margin or a value at cost.
const COST_COLUMNS: &[&str] = &[
    "margin",
    "unit_cost",
    "cogs",
    "cost_to_serve",
    "profit",
    "margin_pct",
    "profit_share",
    "cost_per_order",
    "cost_per_line",
    "avg_inventory_value",
    "safety_stock_value",
    "on_hand_value",
    "on_hand_target_value",
    "cash_released",
    "cost",
    "rate",
    "unallocated",
    "budget",
    "variance",
];

/// Columns that reveal what a customer earns the business.
const CUSTOMER_PROFIT_COLUMNS: &[&str] = &[
    "cogs",
    "cost_to_serve",
    "profit",
    "margin_pct",
    "profit_share",
    "tier",
    "cost_per_order",
    "cost_per_line",
];

/// The planner's dashboard: stock, service and delivery; no money but
/// revenue and the stock's turns.
const PLANNER_KPIS: &[&str] = &[
    "skus",
    "revenue",
    "inventory_turns",
    "service_level",
    "fill_rate",
    "stockouts_per_year",
    "on_time_rate",
];

/// Finance's dashboard: profitability, cost to serve, working capital.
const FINANCE_KPIS: &[&str] = &[
    "skus",
    "revenue",
    "margin",
    "margin_pct",
    "cost_per_order",
    "avg_inventory_value",
    "inventory_turns",
];

/// Sales' dashboard: revenue and the service customers get; no cost.
const SALES_KPIS: &[&str] =
    &["skus", "revenue", "service_level", "fill_rate", "stockouts_per_year", "on_time_rate"];

/// Whether `role`'s dashboard shows the KPI named `key` (a
/// [`crate::kpi::Kpi::key`]); each role sees the figures it acts on.
pub fn sees_kpi(role: Role, key: &str) -> bool {
    match role {
        Role::Consultant => true,
        Role::Planner => PLANNER_KPIS.contains(&key),
        Role::Finance => FINANCE_KPIS.contains(&key),
        Role::Sales => SALES_KPIS.contains(&key),
    }
}

fn is_cost(column: &str) -> bool {
    COST_COLUMNS.contains(&column) || column.starts_with("cts_")
}

/// Whether `role` may see `column` of a `kind` table. Key columns (codes,
/// segment labels) are always visible when the table is.
pub fn can_see(role: Role, kind: TableKind, column: &str) -> bool {
    use TableKind::*;
    match role {
        Role::Consultant | Role::Finance => true,
        Role::Planner => match kind {
            Customers | Tiers | WhatIf | Breakdown => {
                !CUSTOMER_PROFIT_COLUMNS.contains(&column) && !column.starts_with("cts_")
            }
            _ => true,
        },
        Role::Sales => sees_table(role, kind) && !is_cost(column),
    }
}

/// Whether `role` sees stock valued at cost (safety stock value, average
/// inventory value, stock on hand value): the money columns of the policy
/// tables, their charts and what-ifs.
pub fn sees_stock_values(role: Role) -> bool {
    can_see(role, TableKind::Policies, "avg_inventory_value")
}

/// Whether `role` sees the table at all (a table that would keep only its
/// key columns is not shown).
pub fn sees_table(role: Role, kind: TableKind) -> bool {
    !matches!(
        (role, kind),
        (Role::Sales, TableKind::Pools | TableKind::Breakdown | TableKind::WhatIf)
            // Governance is the segmentation's own record: for those who
            // decide segments (consultant, planner) and those who answer
            // for their money (finance), not for sales.
            | (Role::Sales, TableKind::Audit | TableKind::Runs | TableKind::RunChanges)
            | (Role::Planner, TableKind::Pools | TableKind::WhatIf)
    )
}

impl Table {
    /// The table with only the columns `role` may see (no columns at all
    /// when the role does not see the table). Cells move rather than being
    /// copied, and a table the role sees whole comes back as it was (the
    /// SKU table of 5M order lines holds about 14 million cells).
    pub fn for_role(mut self, role: Role, kind: TableKind) -> Table {
        if !sees_table(role, kind) {
            return Table::default();
        }
        let keep: Vec<bool> = self.columns.iter().map(|c| can_see(role, kind, c)).collect();
        if keep.iter().all(|&k| k) {
            return self;
        }
        let only_kept = |i: &mut usize| {
            let k = keep.get(*i).copied().unwrap_or(false);
            *i += 1;
            k
        };
        let mut i = 0;
        self.columns.retain(|_| only_kept(&mut i));
        for row in &mut self.rows {
            let mut i = 0;
            row.retain(|_| only_kept(&mut i));
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::Cell;

    fn customers() -> Table {
        let columns = [
            "customer_id",
            "revenue",
            "cogs",
            "cost_to_serve",
            "profit",
            "margin_pct",
            "tier",
            "orders",
            "cts_freight",
        ];
        Table {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: vec![columns.iter().map(|c| Cell::from(*c)).collect()],
        }
    }

    fn visible(role: Role, kind: TableKind) -> Vec<String> {
        customers().for_role(role, kind).columns
    }

    #[test]
    fn each_role_sees_exactly_its_customer_columns() {
        let all = customers().columns;
        assert_eq!(visible(Role::Consultant, TableKind::Customers), all);
        assert_eq!(visible(Role::Finance, TableKind::Customers), all);
        assert_eq!(
            visible(Role::Planner, TableKind::Customers),
            ["customer_id", "revenue", "orders"]
        );
        assert_eq!(
            visible(Role::Sales, TableKind::Customers),
            ["customer_id", "revenue", "tier", "orders"]
        );
    }

    #[test]
    fn a_table_seen_whole_comes_back_unchanged() {
        let t = customers();
        assert_eq!(t.clone().for_role(Role::Finance, TableKind::Customers), t);
    }

    #[test]
    fn rows_follow_their_columns() {
        let t = customers().for_role(Role::Sales, TableKind::Customers);
        let cells: Vec<String> = t.rows[0].iter().map(Cell::to_text).collect();
        assert_eq!(cells, t.columns);
    }

    #[test]
    fn sales_never_sees_a_cost_and_loses_cost_tables() {
        for column in COST_COLUMNS.iter().chain(&["cts_picking"]) {
            assert!(!can_see(Role::Sales, TableKind::Skus, column), "{column}");
        }
        assert!(can_see(Role::Sales, TableKind::Skus, "service_level"));
        assert!(can_see(Role::Sales, TableKind::Skus, "fill_rate"));
        assert!(customers().for_role(Role::Sales, TableKind::Pools).columns.is_empty());
    }

    #[test]
    fn each_dashboard_shows_its_kpis_and_sales_none_of_cost() {
        let kpis = |role| -> Vec<&str> {
            crate::kpi::Kpi::ALL.iter().map(|k| k.key()).filter(|k| sees_kpi(role, k)).collect()
        };
        assert_eq!(kpis(Role::Consultant).len(), crate::kpi::Kpi::ALL.len());
        assert_eq!(kpis(Role::Planner), PLANNER_KPIS);
        assert_eq!(kpis(Role::Finance), FINANCE_KPIS);
        assert_eq!(kpis(Role::Sales), SALES_KPIS);
        assert!(kpis(Role::Sales).iter().all(|k| !is_cost(k) && *k != "margin_pct"));
        assert!(!kpis(Role::Planner).contains(&"cost_per_order"));
    }

    #[test]
    fn governance_tables_are_for_everyone_but_sales() {
        for kind in [TableKind::Audit, TableKind::Runs, TableKind::RunChanges] {
            let seen: Vec<Role> = Role::ALL.into_iter().filter(|&r| sees_table(r, kind)).collect();
            assert_eq!(seen, [Role::Consultant, Role::Planner, Role::Finance], "{kind:?}");
        }
    }

    #[test]
    fn planner_keeps_sku_margins_but_not_customer_profit() {
        assert!(can_see(Role::Planner, TableKind::Skus, "margin"));
        assert!(!can_see(Role::Planner, TableKind::Tiers, "profit"));
        assert!(!sees_table(Role::Planner, TableKind::Pools));
    }
}
