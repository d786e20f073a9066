//! The allocation itself (SPEC §5): pool cost over the horizon, driver
//! quantity per line, rate, and each customer's P&L.
//!
//! Each pool's annual cost is scaled to the horizon and spread over the order
//! lines with positive quantity in proportion to the pool's driver. A line's
//! cost to serve is the sum over pools of rate × its driver quantity; summing
//! lines per customer gives the customer P&L. The allocation conserves every
//! pool: what the lines carry adds up to the pool cost, and a pool that has
//! nothing to allocate to is reported as unallocated rather than dropped.

use super::breakdown::Breakdown;
use super::budget::BudgetLine;
use super::seen_orders::SeenOrders;
use super::tiers::TierSummary;
use super::whale::WhalePeak;
use super::what_if::WhatIf;
use crate::dataset::{Dataset, Driver};
use crate::demand::Demand;
use crate::quality::{DqReport, Example, Rule};
use serde::{Deserialize, Serialize};

/// How one pool was allocated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolAllocation {
    /// Pool name.
    pub pool: String,
    /// Driver.
    pub driver: Driver,
    /// Share of the cost that does not move with volume.
    pub fixed_share: f64,
    /// Cost over the horizon: `annual_cost × n × days per bucket / 365.25`.
    pub cost: f64,
    /// Total driver quantity over the lines.
    pub driver_total: f64,
    /// Cost per driver unit; `None` when the driver total is 0.
    pub rate: Option<f64>,
    /// Cost that could not be allocated (the whole pool when the driver
    /// total is 0, else 0).
    pub unallocated: f64,
}

/// One customer's profit and loss.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerPnl {
    /// Customer number in [`Dataset::customers`].
    pub customer: u32,
    /// Net revenue (returns subtract).
    pub revenue: f64,
    /// Σ quantity × unit cost over all its lines.
    pub cogs: f64,
    /// Cost to serve, per pool (in the order of [`CostToServe::pools`]).
    pub cost_by_pool: Vec<f64>,
    /// Total cost to serve.
    pub cost_to_serve: f64,
    /// `revenue − cogs − cost_to_serve`.
    pub profit: f64,
    /// Distinct orders with at least one positive line.
    pub orders: u64,
    /// Lines with positive quantity.
    pub lines: u64,
    /// Profitability tier, into [`CostToServe::tiers`] (0 until
    /// [`super::build`] assigns tiers; [`allocate`] alone leaves `tiers` empty).
    pub tier: usize,
}

impl CustomerPnl {
    /// Profit as a percentage of revenue (`profit / revenue × 100`); `None`
    /// when revenue is not positive, where a margin means nothing.
    pub fn margin_pct(&self) -> Option<f64> {
        (self.revenue > 0.0).then(|| self.profit / self.revenue * 100.0)
    }

    /// Cost to serve per order; `None` without orders.
    pub fn cost_per_order(&self) -> Option<f64> {
        (self.orders > 0).then(|| self.cost_to_serve / self.orders as f64)
    }

    /// Cost to serve per order line; `None` without lines.
    pub fn cost_per_line(&self) -> Option<f64> {
        (self.lines > 0).then(|| self.cost_to_serve / self.lines as f64)
    }
}

/// The cost-to-serve stage's output.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CostToServe {
    /// Every pool, allocated or not, in input order.
    pub pools: Vec<PoolAllocation>,
    /// Cost to serve of each order line (0 for lines without positive quantity).
    pub line_cost: Vec<f64>,
    /// One P&L per customer with at least one valid line, in customer-number order.
    pub customers: Vec<CustomerPnl>,
    /// Days in the horizon the pools were scaled to.
    pub horizon_days: f64,
    /// Profitability tiers, most profitable first, the loss-making tier
    /// last (see [`super::tiers`]).
    pub tiers: Vec<TierSummary>,
    /// Where the whale curve peaks (see [`super::whale`]).
    pub whale_peak: Option<WhalePeak>,
    /// Cost to serve by SKU segment, channel, region and ship mode.
    pub breakdowns: Vec<Breakdown>,
    /// Budget against actual, one line per pool in pool order.
    pub budget: Vec<BudgetLine>,
    /// The configured what-if scenarios.
    pub what_ifs: Vec<WhatIf>,
}

impl CostToServe {
    /// Total allocated cost over the lines.
    pub fn allocated(&self) -> f64 {
        self.line_cost.iter().sum()
    }

    /// Total cost of the pools over the horizon, allocated or not.
    pub fn pool_cost(&self) -> f64 {
        self.pools.iter().map(|p| p.cost).sum()
    }

    /// Cost no line carries (pools whose driver total is 0).
    pub fn unallocated(&self) -> f64 {
        self.pools.iter().map(|p| p.unallocated).sum()
    }

    /// Orders with a positive line, counted once per customer placing them.
    pub fn orders(&self) -> u64 {
        self.customers.iter().map(|c| c.orders).sum()
    }

    /// Order lines with positive quantity.
    pub fn lines(&self) -> u64 {
        self.customers.iter().map(|c| c.lines).sum()
    }

    /// Allocated cost to serve per order; `None` without orders.
    pub fn cost_per_order(&self) -> Option<f64> {
        let orders = self.orders();
        (orders > 0).then(|| self.allocated() / orders as f64)
    }

    /// Allocated cost to serve per positive order line; `None` without lines.
    pub fn cost_per_line(&self) -> Option<f64> {
        let lines = self.lines();
        (lines > 0).then(|| self.allocated() / lines as f64)
    }
}

/// One pool driver's quantity of each line (SPEC §5), worked out line by
/// line: only lines with positive quantity carry drivers. The 1/count
/// drivers (`orders`, `customers`) count the positive lines per order or
/// customer once, up front; every other quantity is read off the line, so
/// a pass over the lines needs no array of a line count's quantities per
/// pool (at 5M lines, 40 MB each, too large for the allocator to reuse).
pub(crate) struct DriverQuantity<'a> {
    data: &'a Dataset,
    driver: Driver,
    weights: &'a LineWeights<'a>,
    /// Positive lines per customer (`customers` driver), else empty.
    count: Vec<u64>,
    /// 1 / positive lines per order (`orders` driver of order lines), each
    /// divided once rather than at each of the order's lines; else empty.
    share: Vec<f64>,
}

impl<'a> DriverQuantity<'a> {
    /// The quantities of `driver` over `data`'s lines. `weights` gives each
    /// line's weight per unit (where none is known, it counts as 0).
    pub(crate) fn new(
        data: &'a Dataset,
        driver: Driver,
        weights: &'a LineWeights<'a>,
    ) -> DriverQuantity<'a> {
        let lines = &data.lines;
        // Positive lines per order / per customer, for the 1/count drivers.
        // (Order cells stand for `line_count` lines each; see `crate::cells`.)
        let per_group = |keys: &[u32], groups: usize| {
            let mut count = vec![0u64; groups];
            for i in (0..lines.len()).filter(|&i| lines.quantity[i] > 0.0) {
                count[keys[i] as usize] += lines.line_count(i);
            }
            count
        };
        let (count, share) = match driver {
            Driver::Orders if !lines.has_cells() => {
                let count = per_group(&lines.order, data.orders.len());
                (Vec::new(), count.into_iter().map(|n| 1.0 / n as f64).collect())
            }
            Driver::Customers => (per_group(&lines.customer, data.customers.len()), Vec::new()),
            _ => (Vec::new(), Vec::new()),
        };
        DriverQuantity { data, driver, weights, count, share }
    }

    /// The driver quantity of line `i`.
    pub(crate) fn at(&self, i: usize) -> f64 {
        let lines = &self.data.lines;
        let positive = lines.quantity[i] > 0.0;
        match self.driver {
            Driver::Lines if positive => lines.line_count(i) as f64,
            Driver::Units => lines.quantity[i].max(0.0),
            Driver::Value => lines.driver_value(i),
            Driver::WeightKg if positive => lines.quantity[i] * self.weights.get(i).unwrap_or(0.0),
            Driver::Orders if positive && lines.has_cells() => lines.order_share(i).unwrap_or(0.0),
            Driver::Orders if positive => self.share[lines.order[i] as usize],
            Driver::Customers if positive => {
                lines.line_count(i) as f64 / self.count[lines.customer[i] as usize] as f64
            }
            _ => 0.0,
        }
    }
}

/// Each line's weight per unit: the order line's, else the products file's.
pub(crate) struct LineWeights<'a> {
    data: &'a Dataset,
    /// Per SKU, its row in the products file.
    products: Vec<Option<u32>>,
}

impl<'a> LineWeights<'a> {
    /// The weights of `data`'s lines.
    pub(crate) fn new(data: &'a Dataset) -> LineWeights<'a> {
        LineWeights { data, products: data.product_index() }
    }

    /// The weight per unit of line `i`; `None` where neither file gives one.
    pub(crate) fn get(&self, i: usize) -> Option<f64> {
        let data = self.data;
        data.lines.weight_kg.get(i).or_else(|| {
            self.products[data.lines.sku[i] as usize]
                .and_then(|p| data.products[p as usize].weight_kg)
        })
    }
}

/// The cost-to-serve stage: allocates `data.cost_pools` over the lines of a
/// horizon of `n` buckets of `days_per_bucket` days and builds the customer
/// P&L. Lines whose weight a weight-driven pool needs but no file gives are
/// reported in `report`.
///
/// Each line's share of each pool goes straight into its line cost and its
/// customer's cost per pool: no pool × line array is kept (6 pools at 1M
/// lines made 48 MB, the cost stage's largest transient in the browser).
pub fn allocate(
    data: &Dataset,
    demand: &Demand,
    days_per_bucket: f64,
    report: &mut DqReport,
) -> CostToServe {
    let lines = &data.lines;
    let horizon_days = demand.series.n as f64 * days_per_bucket;
    let weights = LineWeights::new(data);
    if data.cost_pools.iter().any(|p| p.driver == Driver::WeightKg) {
        for i in (0..lines.len()).filter(|&i| lines.quantity[i] > 0.0 && weights.get(i).is_none()) {
            report.flag(
                Rule::MissingWeight,
                Example {
                    file: "orders".into(),
                    line: u64::from(lines.line[i]),
                    column: Some("weight_kg".into()),
                    detail: format!(
                        "SKU {} has no weight in orders or products",
                        data.skus.name(lines.sku[i])
                    ),
                },
            );
        }
    }

    let quantities: Vec<DriverQuantity> =
        data.cost_pools.iter().map(|p| DriverQuantity::new(data, p.driver, &weights)).collect();
    // Every pool's driver total in one pass over the lines, each summed in
    // line order from −0 as `Iterator::sum` does.
    let mut totals = vec![-0.0; quantities.len()];
    for i in 0..lines.len() {
        for (total, quantity) in totals.iter_mut().zip(&quantities) {
            *total += quantity.at(i);
        }
    }
    let pools: Vec<PoolAllocation> = data
        .cost_pools
        .iter()
        .zip(totals)
        .map(|(pool, driver_total)| {
            // SPEC §5's order of operations: annual_cost × n × days / 365.25.
            let cost = pool.annual_cost * horizon_days / 365.25;
            let rate = (driver_total > 0.0).then(|| cost / driver_total);
            PoolAllocation {
                pool: pool.pool.clone(),
                driver: pool.driver,
                fixed_share: pool.fixed_share,
                cost,
                driver_total,
                rate,
                unallocated: if rate.is_some() { 0.0 } else { cost },
            }
        })
        .collect();

    // Customer × pool totals, one row of pools per customer number; each
    // adds its lines' shares in line order, as the P&L always has.
    let width = pools.len();
    let mut line_cost = vec![0.0; lines.len()];
    let mut by_customer = vec![0.0; data.customers.len() * width];
    for (i, cost) in line_cost.iter_mut().enumerate() {
        let c = lines.customer[i] as usize;
        let row = &mut by_customer[c * width..(c + 1) * width];
        for ((pool, quantity), carried) in pools.iter().zip(&quantities).zip(row) {
            let allocated = pool.rate.map_or(0.0, |r| r * quantity.at(i));
            *cost += allocated;
            *carried += allocated;
        }
    }

    let customers = customer_pnl(data, demand, &by_customer, width);
    CostToServe { pools, line_cost, customers, horizon_days, ..CostToServe::default() }
}

/// Each customer's P&L; `by_customer` holds its cost per pool, `width`
/// pools to a customer.
fn customer_pnl(
    data: &Dataset,
    demand: &Demand,
    by_customer: &[f64],
    width: usize,
) -> Vec<CustomerPnl> {
    let lines = &data.lines;
    let mut pnl: Vec<Option<CustomerPnl>> = vec![None; data.customers.len()];
    let mut seen_orders = SeenOrders::new(data.orders.len());
    for i in 0..lines.len() {
        let c = lines.customer[i] as usize;
        let p = pnl[c].get_or_insert_with(|| CustomerPnl {
            customer: c as u32,
            revenue: 0.0,
            cogs: 0.0,
            cost_by_pool: by_customer[c * width..(c + 1) * width].to_vec(),
            cost_to_serve: 0.0,
            profit: 0.0,
            orders: 0,
            lines: 0,
            tier: 0,
        });
        let q = lines.quantity[i];
        p.revenue += lines.revenue(i);
        p.cogs += q * demand.line_unit_cost[i].unwrap_or(0.0);
        if q > 0.0 {
            p.lines += lines.line_count(i);
            if let Some(orders) = lines.cell_orders(i) {
                p.orders += orders;
            } else if seen_orders.insert(c as u32, lines.order[i]) {
                p.orders += 1;
            }
        }
    }
    pnl.into_iter()
        .flatten()
        .map(|mut p| {
            p.cost_to_serve = p.cost_by_pool.iter().sum();
            p.profit = p.revenue - p.cogs - p.cost_to_serve;
            p
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::dataset::{CostPool, NumColumn};
    use crate::testing;

    /// (order, customer, sku, quantity, revenue, weight per unit)
    type L = (&'static str, &'static str, &'static str, f64, f64, f64);

    fn dataset(lines: &[L], pools: &[(f64, Driver)]) -> Dataset {
        let mut d = testing::dataset(lines.iter().map(
            |&(order, customer, sku, quantity, revenue, weight)| testing::Line {
                order,
                customer,
                sku,
                date: testing::day(2024, 1, 1),
                quantity,
                revenue: Some(revenue),
                unit_cost: Some(1.0),
                weight: Some(weight),
                ..Default::default()
            },
        ));
        d.cost_pools = pools
            .iter()
            .enumerate()
            .map(|(i, &(annual_cost, driver))| CostPool {
                pool: format!("pool{i}"),
                annual_cost,
                driver,
                fixed_share: 0.0,
            })
            .collect();
        d
    }

    fn run(d: &Dataset) -> CostToServe {
        let mut report = DqReport::default();
        let demand = crate::demand::build(d, &Config::default(), &mut report);
        // One day of horizon at 365.25 days per bucket = one year: pool cost = annual cost.
        allocate(d, &demand, 365.25, &mut report)
    }

    const LINES: [L; 4] = [
        ("O1", "C1", "A", 2.0, 20.0, 1.5),
        ("O1", "C1", "B", 6.0, 30.0, 0.5),
        ("O2", "C2", "A", 2.0, 50.0, 1.0),
        ("O3", "C2", "A", -1.0, -10.0, 1.5),
    ];

    fn line_costs(driver: Driver) -> Vec<f64> {
        run(&dataset(&LINES, &[(100.0, driver)])).line_cost
    }

    #[test]
    fn each_driver_allocates_by_its_quantity() {
        // Only the three positive lines carry drivers; the return carries 0.
        assert_eq!(line_costs(Driver::Lines), [100.0 / 3.0, 100.0 / 3.0, 100.0 / 3.0, 0.0]);
        assert_eq!(line_costs(Driver::Units), [20.0, 60.0, 20.0, 0.0]);
        assert_eq!(line_costs(Driver::Value), [20.0, 30.0, 50.0, 0.0]);
        // Weights 2×1.5, 6×0.5, 2×1 = 3, 3, 2 of 8.
        assert_eq!(line_costs(Driver::WeightKg), [37.5, 37.5, 25.0, 0.0]);
        // O1 has two positive lines (½ order each), O2 one; O3 only a return: 2 orders.
        assert_eq!(line_costs(Driver::Orders), [25.0, 25.0, 50.0, 0.0]);
        // C1: two positive lines; C2: one positive line.
        assert_eq!(line_costs(Driver::Customers), [25.0, 25.0, 50.0, 0.0]);
    }

    #[test]
    fn customer_profit_is_revenue_minus_cogs_minus_cost_to_serve() {
        let cts = run(&dataset(&LINES, &[(100.0, Driver::Lines), (80.0, Driver::Units)]));
        let c2 = &cts.customers[1];
        // Revenue 50 − 10; cogs (2 − 1) × 1; CTS 100/3 + 80 × 2/10.
        assert_eq!(c2.revenue, 40.0);
        assert_eq!(c2.cogs, 1.0);
        assert!((c2.cost_to_serve - (100.0 / 3.0 + 16.0)).abs() < 1e-12);
        assert!((c2.profit - (40.0 - 1.0 - 100.0 / 3.0 - 16.0)).abs() < 1e-12);
        assert_eq!((c2.orders, c2.lines), (1, 1));
    }

    #[test]
    fn pool_cost_is_scaled_to_the_horizon() {
        let d = dataset(&LINES, &[(365.25, Driver::Lines)]);
        let mut report = DqReport::default();
        let demand = crate::demand::build(&d, &Config::default(), &mut report);
        // n = 1 week: 365.25 × 7 / 365.25 = 7.
        let cts = allocate(&d, &demand, 7.0, &mut report);
        assert_eq!(cts.pools[0].cost, 7.0);
    }

    #[test]
    fn a_pool_without_driver_quantity_is_reported_unallocated() {
        let mut lines = LINES;
        for l in &mut lines {
            l.5 = 0.0;
        }
        let cts = run(&dataset(&lines, &[(100.0, Driver::WeightKg), (50.0, Driver::Lines)]));
        assert_eq!(cts.pools[0].rate, None);
        assert_eq!(cts.pools[0].unallocated, 100.0);
        assert!((cts.allocated() - 50.0).abs() < 1e-12);
    }

    #[test]
    fn missing_weights_are_flagged_and_count_as_zero() {
        let mut d = dataset(&LINES, &[(100.0, Driver::WeightKg)]);
        d.lines.weight_kg = NumColumn(vec![1.0, f64::NAN, 1.0, 1.0]);
        let mut report = DqReport::default();
        let demand = crate::demand::build(&d, &Config::default(), &mut report);
        let cts = allocate(&d, &demand, 365.25, &mut report);
        assert_eq!(report.count(Rule::MissingWeight), 1);
        assert_eq!(cts.line_cost, [50.0, 0.0, 50.0, 0.0]);
    }

    /// A published activity-based costing example rebuilt as order lines:
    /// the "Sweet Sugar Company" activity-based product costing exercise of
    /// US managerial-accounting textbooks (problem as reproduced at
    /// <https://pronursingstudy.com/sweet-sugar-company-manufactures-three-products-white-sugar-brown-sugar-and-powdered-sugar-in/>
    /// and <https://wizedu.com/questions/387059/sweet-sugar-company-manufactures-three-products>;
    /// worked answer at
    /// <https://answer.ya.guru/questions/4050851-activity-budgeted-activity-cost.html>).
    ///
    /// | activity (cost)           | driver             | white | brown | powdered |
    /// |---------------------------|--------------------|-------|-------|----------|
    /// | production (500,000)      | machine hours      | 5,000 | 2,500 | 2,500    |
    /// | setup (144,000)           | setups             | 85    | 170   | 195      |
    /// | inspection (44,000)       | inspections        | 220   | 330   | 550      |
    /// | shipping (115,000)        | customer orders    | 1,150 | 2,600 | 2,000    |
    /// | customer service (84,000) | service requests   | 60    | 350   | 190      |
    ///
    /// Published rates 50 per machine hour, 320 per setup, 40 per
    /// inspection, 20 per customer order, 140 per request, and activity
    /// costs white 317,400, brown 293,600, powdered 276,000 (total 887,000).
    ///
    /// Each product is a customer, and each activity a pool whose SPEC §5
    /// driver is proportional to the published one: machine hours are the
    /// weight shipped (quantity × weight per unit), setups the lines (2 per 5
    /// setups: 34, 68, 78), inspections the value (line revenue 220, 330,
    /// 550), customer orders the orders (1 per 50: 23, 52, 40) and service
    /// requests the units (60, 350, 190). Scaling a driver scales its rate,
    /// not the costs, which must match the published ones to the cent.
    #[test]
    fn published_abc_example_is_rebuilt_to_the_cent() {
        // (product, lines, orders, units, value, machine hours)
        let products = [
            ("white sugar", 34, 23, 60.0, 220.0, 5000.0),
            ("brown sugar", 68, 52, 350.0, 330.0, 2500.0),
            ("powdered sugar", 78, 40, 190.0, 550.0, 2500.0),
        ];
        let mut d = Dataset::default();
        for &(product, lines, orders, units, value, hours) in &products {
            for i in 0..lines {
                // One line per order, the extra lines in the last order; the
                // first line carries the remaining units and all the value.
                let order = format!("{product} {}", i.min(orders - 1));
                let line = testing::Line {
                    order: &order,
                    customer: product,
                    sku: product,
                    date: testing::day(2024, 1, 1),
                    quantity: if i == 0 { units - (lines - 1) as f64 } else { 1.0 },
                    revenue: Some(if i == 0 { value } else { 0.0 }),
                    weight: Some(hours / units),
                    ..Default::default()
                };
                testing::push(&mut d, line);
            }
        }
        let pool = |name: &str, annual_cost, driver| CostPool {
            pool: name.into(),
            annual_cost,
            driver,
            fixed_share: 0.0,
        };
        d.cost_pools = vec![
            pool("production", 500_000.0, Driver::WeightKg),
            pool("setup", 144_000.0, Driver::Lines),
            pool("inspection", 44_000.0, Driver::Value),
            pool("shipping", 115_000.0, Driver::Orders),
            pool("customer service", 84_000.0, Driver::Units),
        ];
        let cts = run(&d);
        // The rates per scaled driver: 50 per machine hour; 320 × 5 / 2 per
        // line; 40 per unit of value; 20 × 50 per order; 140 per unit.
        let rates: Vec<f64> = cts.pools.iter().map(|p| p.rate.unwrap()).collect();
        for (rate, expected) in rates.iter().zip([50.0, 800.0, 40.0, 1000.0, 140.0]) {
            assert!((rate - expected).abs() < 1e-9, "{rates:?}");
        }
        let published = [
            ([250_000.0, 27_200.0, 8_800.0, 23_000.0, 8_400.0], 317_400.0),
            ([125_000.0, 54_400.0, 13_200.0, 52_000.0, 49_000.0], 293_600.0),
            ([125_000.0, 62_400.0, 22_000.0, 40_000.0, 26_600.0], 276_000.0),
        ];
        for (c, (by_activity, total)) in cts.customers.iter().zip(published) {
            for (got, expected) in c.cost_by_pool.iter().zip(by_activity) {
                assert!((got - expected).abs() < 0.005, "{}: {got} ≠ {expected}", c.customer);
            }
            assert!((c.cost_to_serve - total).abs() < 0.005, "{}", c.cost_to_serve);
        }
        assert!((cts.allocated() - 887_000.0).abs() < 0.005);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn allocation_conserves_every_pool(
                lines in prop::collection::vec(
                    (0..5usize, 0..4usize, 0..6usize, -3.0..20.0f64, -10.0..500.0f64, 0.0..3.0f64),
                    1..40,
                ),
                costs in prop::collection::vec(1.0..1e6f64, 6),
            ) {
                const ORDERS: [&str; 5] = ["o0", "o1", "o2", "o3", "o4"];
                const CUSTOMERS: [&str; 4] = ["c0", "c1", "c2", "c3"];
                const SKUS: [&str; 6] = ["s0", "s1", "s2", "s3", "s4", "s5"];
                let lines: Vec<L> = lines
                    .iter()
                    .map(|&(o, c, s, q, r, w)| (ORDERS[o], CUSTOMERS[c], SKUS[s], q, r, w))
                    .collect();
                let pools: Vec<(f64, Driver)> = costs.iter().copied().zip(Driver::ALL).collect();
                let cts = run(&dataset(&lines, &pools));
                for (k, pool) in cts.pools.iter().enumerate() {
                    let carried: f64 = cts.customers.iter().map(|c| c.cost_by_pool[k]).sum();
                    let expected = pool.cost - pool.unallocated;
                    prop_assert!(
                        (carried - expected).abs() <= 1e-9 * pool.cost,
                        "{} {} {}", pool.pool, carried, expected
                    );
                }
                let total: f64 = cts.pools.iter().map(|p| p.cost - p.unallocated).sum();
                prop_assert!((cts.allocated() - total).abs() <= 1e-9 * total);
            }
        }
    }
}
