//! Cost to serve by SKU segment, customer channel, region and ship mode.
//!
//! Every line's allocated cost goes to exactly one group per dimension, so
//! each dimension's groups add up to the allocated total:
//!
//! - **segment**: the segment of the line's SKU (ABC × XYZ, or a rule's
//!   label; [`crate::classify::SkuClass::segment`]);
//! - **channel** and **region**: the customers file's value for the line's
//!   customer, else the order line's own column, else `(none)`;
//! - **ship mode**: the order line's, else `(none)`.
//!
//! A group's `orders` are fractional where an order spans groups: each
//! positive line counts 1 / (positive lines of its order), the `orders`
//! driver of SPEC §5, so that the groups' orders add up to the orders.

use super::allocate::{driver_quantities, line_weights, CostToServe};
use crate::classify::SkuClass;
use crate::dataset::{Codes, Dataset, Driver};
use crate::demand::Demand;
use serde::{Deserialize, Serialize};

/// The group of lines without a value for a dimension.
pub const NONE: &str = "(none)";

/// What lines are grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// The SKU's segment.
    Segment,
    /// The customer's sales channel.
    Channel,
    /// The customer's region.
    Region,
    /// The line's ship mode.
    ShipMode,
}

impl Dimension {
    /// Every dimension, in table order.
    pub const ALL: [Dimension; 4] =
        [Dimension::Segment, Dimension::Channel, Dimension::Region, Dimension::ShipMode];

    /// The name used in tables.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Segment => "segment",
            Dimension::Channel => "channel",
            Dimension::Region => "region",
            Dimension::ShipMode => "ship_mode",
        }
    }
}

/// The lines of one group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Group value (`(none)` for lines without one).
    pub name: String,
    /// Orders (fractional where an order spans groups).
    pub orders: f64,
    /// Lines with positive quantity.
    pub lines: u64,
    /// Net revenue of all its lines.
    pub revenue: f64,
    /// Cost to serve per pool, in pool order.
    pub cost_by_pool: Vec<f64>,
    /// Total cost to serve.
    pub cost_to_serve: f64,
}

impl Group {
    /// Cost to serve per order; `None` without orders.
    pub fn cost_per_order(&self) -> Option<f64> {
        (self.orders > 0.0).then(|| self.cost_to_serve / self.orders)
    }

    /// Cost to serve per line; `None` without lines.
    pub fn cost_per_line(&self) -> Option<f64> {
        (self.lines > 0).then(|| self.cost_to_serve / self.lines as f64)
    }
}

/// One dimension's groups, by name, `(none)` last.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// What the lines are grouped by.
    pub dimension: Dimension,
    /// The groups.
    pub groups: Vec<Group>,
}

/// The group key of every line for one dimension.
fn keys(
    data: &Dataset,
    demand: &Demand,
    classes: &[SkuClass],
    dimension: Dimension,
) -> (Codes, Vec<u32>) {
    let lines = &data.lines;
    let mut codes = Codes::default();
    let customers = data.customer_index();
    let info = |i: usize| {
        customers
            .get(lines.customer[i] as usize)
            .copied()
            .flatten()
            .and_then(|c| data.customer_info.get(c as usize))
    };
    let mut segment_of = vec![None; data.skus.len()];
    for (row, &sku) in demand.series.skus.iter().enumerate() {
        if let (Some(slot), Some(class)) = (segment_of.get_mut(sku as usize), classes.get(row)) {
            *slot = Some(class.segment.as_str());
        }
    }
    let keys = (0..lines.len())
        .map(|i| {
            let name = match dimension {
                Dimension::Segment => segment_of.get(lines.sku[i] as usize).copied().flatten(),
                Dimension::Channel => {
                    info(i).and_then(|c| c.channel.as_deref()).or_else(|| lines.channel.get(i))
                }
                Dimension::Region => {
                    info(i).and_then(|c| c.region.as_deref()).or_else(|| lines.region.get(i))
                }
                Dimension::ShipMode => lines.ship_mode.get(i),
            };
            codes.intern(name.filter(|n| !n.trim().is_empty()).unwrap_or(NONE))
        })
        .collect();
    (codes, keys)
}

/// The cost to serve of `cts` by segment, channel, region and ship mode
/// (in [`Dimension::ALL`] order).
pub fn build(
    data: &Dataset,
    demand: &Demand,
    classes: &[SkuClass],
    cts: &CostToServe,
) -> Vec<Breakdown> {
    let lines = &data.lines;
    let weights = line_weights(data);
    let dimensions: Vec<(Codes, Vec<u32>)> =
        Dimension::ALL.iter().map(|&d| keys(data, demand, classes, d)).collect();
    let mut groups: Vec<Vec<Group>> = dimensions
        .iter()
        .map(|(codes, _)| {
            codes
                .names()
                .iter()
                .map(|name| Group {
                    name: name.clone(),
                    cost_by_pool: vec![0.0; cts.pools.len()],
                    ..Group::default()
                })
                .collect()
        })
        .collect();
    let orders = driver_quantities(data, Driver::Orders, &weights);
    for i in 0..lines.len() {
        for ((_, keys), groups) in dimensions.iter().zip(&mut groups) {
            let g = &mut groups[keys[i] as usize];
            g.orders += orders[i];
            g.revenue += lines.revenue(i);
            if lines.quantity[i] > 0.0 {
                g.lines += lines.line_count(i);
            }
        }
    }
    for (k, pool) in cts.pools.iter().enumerate() {
        let Some(rate) = pool.rate else { continue };
        let quantities = driver_quantities(data, pool.driver, &weights);
        for (i, q) in quantities.iter().enumerate().filter(|(_, &q)| q != 0.0) {
            for ((_, keys), groups) in dimensions.iter().zip(&mut groups) {
                groups[keys[i] as usize].cost_by_pool[k] += rate * q;
            }
        }
    }
    Dimension::ALL
        .iter()
        .zip(groups)
        .map(|(&dimension, mut groups)| {
            for g in &mut groups {
                g.cost_to_serve = g.cost_by_pool.iter().sum();
            }
            groups
                .sort_by(|a, b| (a.name == NONE).cmp(&(b.name == NONE)).then(a.name.cmp(&b.name)));
            Breakdown { dimension, groups }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::dataset::{CostPool, Customer, TextColumn};
    use crate::quality::DqReport;
    use crate::testing;

    /// (order, customer, sku, quantity, revenue, ship mode, line channel)
    type L = (&'static str, &'static str, &'static str, f64, f64, &'static str, &'static str);

    const LINES: [L; 5] = [
        ("O1", "C1", "A", 2.0, 20.0, "Air", ""),
        ("O1", "C1", "B", 6.0, 30.0, "", "Web"),
        ("O2", "C2", "A", 2.0, 50.0, "Truck", "Shop"),
        ("O3", "C2", "A", -1.0, -10.0, "Truck", "Shop"),
        ("O4", "C3", "B", 1.0, 5.0, "Air", "Web"),
    ];

    fn text(values: &[&str]) -> TextColumn {
        let mut c = TextColumn::default();
        for v in values {
            let id = if v.is_empty() { TextColumn::MISSING } else { c.codes.intern(v) };
            c.values.push(id);
        }
        c
    }

    fn dataset() -> Dataset {
        let mut d = testing::dataset(LINES.iter().map(
            |&(order, customer, sku, quantity, revenue, _, _)| testing::Line {
                order,
                customer,
                sku,
                date: testing::day(2024, 1, 1),
                quantity,
                revenue: Some(revenue),
                unit_cost: Some(1.0),
                ..Default::default()
            },
        ));
        d.lines.ship_mode = text(&LINES.map(|l| l.5));
        d.lines.channel = text(&LINES.map(|l| l.6));
        // The customers file gives C2 a channel, which wins over its lines'.
        d.customer_info.push(Customer {
            customer: 1,
            channel: Some("Key accounts".into()),
            ..Customer::default()
        });
        d.cost_pools = vec![
            CostPool {
                pool: "pick".into(),
                annual_cost: 90.0,
                driver: Driver::Lines,
                fixed_share: 0.0,
            },
            CostPool {
                pool: "ship".into(),
                annual_cost: 60.0,
                driver: Driver::Orders,
                fixed_share: 0.0,
            },
        ];
        d
    }

    #[test]
    fn groups_add_up_to_the_allocated_cost_in_every_dimension() {
        let d = dataset();
        let mut report = DqReport::default();
        let config = Config::default();
        let demand = crate::demand::build(&d, &config, &mut report);
        let classes = crate::classify::classify(&d, &demand, &config, None);
        let cts = super::super::allocate(&d, &demand, 365.25, &mut report);
        let breakdowns = build(&d, &demand, &classes, &cts);
        assert_eq!(breakdowns.len(), 4);
        for b in &breakdowns {
            let total: f64 = b.groups.iter().map(|g| g.cost_to_serve).sum();
            assert!((total - 150.0).abs() < 1e-9, "{:?}", b.dimension);
            let orders: f64 = b.groups.iter().map(|g| g.orders).sum();
            assert!((orders - 3.0).abs() < 1e-12, "{:?}", b.dimension);
        }
        // Lines: 4 positive at 22.5 each; orders O1, O2, O4 at 20 each,
        // O1's two lines 10 each.
        let channel = &breakdowns[1];
        let names: Vec<&str> = channel.groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["Key accounts", "Web", "(none)"]);
        let key = &channel.groups[0];
        assert_eq!((key.lines, key.orders, key.revenue), (1, 1.0, 40.0));
        assert_eq!(key.cost_by_pool, [22.5, 20.0]);
        assert_eq!(key.cost_per_order(), Some(42.5));
        // Web: C1's second line (22.5 + 10) and C3's line (22.5 + 20).
        assert_eq!(channel.groups[1].cost_to_serve, 75.0);
        assert_eq!(channel.groups[1].cost_per_line(), Some(37.5));
        // Ship modes: Air (C1's first line, C3), Truck (C2), none (C1's second).
        let ship = &breakdowns[3];
        let costs: Vec<(&str, f64)> =
            ship.groups.iter().map(|g| (g.name.as_str(), g.cost_to_serve)).collect();
        assert_eq!(costs, [("Air", 32.5 + 42.5), ("Truck", 42.5), ("(none)", 32.5)]);
        // No customers file region and no region column: everything is (none).
        assert_eq!(breakdowns[2].groups.len(), 1);
        assert_eq!(breakdowns[2].groups[0].name, NONE);
    }
}
