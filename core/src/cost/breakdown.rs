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

use super::allocate::{CostToServe, DriverQuantity, LineWeights};
use crate::classify::SkuClass;
use crate::dataset::{Codes, Customer, Dataset, Driver, TextColumn};
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

/// One dimension's groups, filled line by line.
///
/// A line's group is named by its key — its SKU's segment, its customer's
/// channel or region in the customers file — else by its own `column`
/// (channel, region, ship mode), else [`NONE`]. Each key, and each value of
/// the column, is named, trimmed and interned on the first line that has
/// it, and its group reused on the next ones: the groups are numbered as if
/// every line's name were interned. Interning every line's name, through
/// the customers' scattered records, and keeping a group number per line
/// per dimension made the breakdowns grow faster than the lines.
struct Grouping<'a> {
    /// The key of each line (SKU or customer number).
    keys: &'a [u32],
    /// Per key, the name of its lines' group, if it gives one.
    of_key: Vec<Option<&'a str>>,
    /// The lines' own values, for lines whose key gives no name.
    column: Option<&'a TextColumn>,
    /// Per key, its group once met ([`Grouping::UNSEEN`] before).
    by_key: Vec<u32>,
    /// Per value of `column`, and one past them for an empty cell, its
    /// group once met.
    by_value: Vec<u32>,
    codes: Codes,
    groups: Vec<Group>,
    /// How many pools each group's cost is split into.
    pools: usize,
    /// Each group's cost per pool, `pools` to a group, in group order:
    /// one flat array for the pass over the lines, into
    /// [`Group::cost_by_pool`] at the end.
    cost: Vec<f64>,
}

impl<'a> Grouping<'a> {
    const UNSEEN: u32 = u32::MAX;

    fn new(
        data: &'a Dataset,
        demand: &Demand,
        classes: &'a [SkuClass],
        dimension: Dimension,
        pools: usize,
    ) -> Grouping<'a> {
        let lines = &data.lines;
        // The customers file's value of each customer number.
        let of_customer = |field: fn(&Customer) -> Option<&str>| -> Vec<Option<&'a str>> {
            data.customer_index()
                .iter()
                .map(|row| row.and_then(|row| data.customer_info.get(row as usize)).and_then(field))
                .collect()
        };
        let (keys, of_key, column) = match dimension {
            Dimension::Segment => {
                let mut segment_of = vec![None; data.skus.len()];
                for (row, &sku) in demand.series.skus.iter().enumerate() {
                    if let (Some(slot), Some(class)) =
                        (segment_of.get_mut(sku as usize), classes.get(row))
                    {
                        *slot = Some(class.segment.as_str());
                    }
                }
                (&lines.sku, segment_of, None)
            }
            Dimension::Channel => {
                (&lines.customer, of_customer(|c| c.channel.as_deref()), Some(&lines.channel))
            }
            Dimension::Region => {
                (&lines.customer, of_customer(|c| c.region.as_deref()), Some(&lines.region))
            }
            Dimension::ShipMode => (&lines.customer, Vec::new(), Some(&lines.ship_mode)),
        };
        Grouping {
            keys,
            by_key: vec![Grouping::UNSEEN; of_key.len()],
            of_key,
            column,
            by_value: vec![Grouping::UNSEEN; column.map_or(0, |c| c.codes.len()) + 1],
            codes: Codes::default(),
            groups: Vec::new(),
            pools,
            cost: Vec::new(),
        }
    }

    /// The group of line `i`, into `groups`.
    fn group(&mut self, i: usize) -> usize {
        let key = self.keys[i] as usize;
        if let Some(&group) = self.by_key.get(key).filter(|&&g| g != Grouping::UNSEEN) {
            return group as usize;
        }
        if let Some(name) = self.of_key.get(key).copied().flatten() {
            let group = self.intern(Some(name));
            self.by_key[key] = group;
            return group as usize;
        }
        // The column's value number, or one past them for an empty cell.
        let slot = match self.column.and_then(|c| c.values.get(i)) {
            Some(&id) if id != TextColumn::MISSING => id as usize,
            _ => self.by_value.len() - 1,
        };
        if let Some(&group) = self.by_value.get(slot).filter(|&&g| g != Grouping::UNSEEN) {
            return group as usize;
        }
        let group = self.intern(self.column.and_then(|c| c.get(i)));
        if let Some(slot) = self.by_value.get_mut(slot) {
            *slot = group;
        }
        group as usize
    }

    /// The group named `name` (no name, or a blank one, is [`NONE`]), added
    /// if new.
    fn intern(&mut self, name: Option<&str>) -> u32 {
        let group = self.codes.intern(name.filter(|n| !n.trim().is_empty()).unwrap_or(NONE));
        if group as usize == self.groups.len() {
            self.groups.push(Group { name: self.codes.name(group).to_owned(), ..Group::default() });
            self.cost.resize(self.cost.len() + self.pools, 0.0);
        }
        group
    }
}

/// The cost to serve of `cts` by segment, channel, region and ship mode
/// (in [`Dimension::ALL`] order). One pass over the lines, each line's
/// orders, revenue and share of every pool going to its group in every
/// dimension.
pub fn build(
    data: &Dataset,
    demand: &Demand,
    classes: &[SkuClass],
    cts: &CostToServe,
) -> Vec<Breakdown> {
    let lines = &data.lines;
    let weights = LineWeights::new(data);
    let mut dimensions: Vec<Grouping> = Dimension::ALL
        .iter()
        .map(|&d| Grouping::new(data, demand, classes, d, cts.pools.len()))
        .collect();
    let orders = DriverQuantity::new(data, Driver::Orders, &weights);
    // The allocated pools: their number, rate and driver's quantities (an
    // `orders` pool's are the order shares above).
    let pools: Vec<(usize, f64, Option<DriverQuantity>)> = cts
        .pools
        .iter()
        .enumerate()
        .filter_map(|(k, pool)| {
            let quantity = (pool.driver != Driver::Orders)
                .then(|| DriverQuantity::new(data, pool.driver, &weights));
            pool.rate.map(|rate| (k, rate, quantity))
        })
        .collect();
    let mut at = [0; Dimension::ALL.len()];
    for i in 0..lines.len() {
        let (share, revenue) = (orders.at(i), lines.revenue(i));
        let positive = lines.quantity[i] > 0.0;
        for (grouping, g) in dimensions.iter_mut().zip(&mut at) {
            *g = grouping.group(i);
            let g = &mut grouping.groups[*g];
            g.orders += share;
            g.revenue += revenue;
            if positive {
                g.lines += lines.line_count(i);
            }
        }
        for (k, rate, quantity) in &pools {
            let q = quantity.as_ref().unwrap_or(&orders).at(i);
            if q == 0.0 {
                continue;
            }
            let cost = rate * q;
            for (grouping, &g) in dimensions.iter_mut().zip(&at) {
                if let Some(c) = grouping.cost.get_mut(g * grouping.pools + k) {
                    *c += cost;
                }
            }
        }
    }
    Dimension::ALL
        .iter()
        .zip(dimensions)
        .map(|(&dimension, Grouping { mut groups, cost, pools, .. })| {
            for (n, g) in groups.iter_mut().enumerate() {
                g.cost_by_pool = cost.get(n * pools..(n + 1) * pools).unwrap_or_default().to_vec();
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

    #[test]
    fn a_customers_file_value_wins_over_the_lines_even_when_blank() {
        let mut d = dataset();
        // C1's channel in the customers file is blank: both its lines are
        // (none), the "Web" of its second line notwithstanding.
        d.customer_info.push(Customer {
            customer: 0,
            channel: Some("  ".into()),
            ..Customer::default()
        });
        let mut report = DqReport::default();
        let config = Config::default();
        let demand = crate::demand::build(&d, &config, &mut report);
        let classes = crate::classify::classify(&d, &demand, &config, None);
        let cts = super::super::allocate(&d, &demand, 365.25, &mut report);
        let channel = &build(&d, &demand, &classes, &cts)[1];
        let lines: Vec<(&str, u64)> =
            channel.groups.iter().map(|g| (g.name.as_str(), g.lines)).collect();
        assert_eq!(lines, [("Key accounts", 1), ("Web", 1), (NONE, 2)]);
    }
}
