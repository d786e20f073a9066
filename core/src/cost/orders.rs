//! One customer's orders with what each costs to serve: the drill-down
//! behind a customer's line of the P&L.

use super::allocate::CostToServe;
use crate::dataset::Dataset;
use crate::date::Date;
use serde::{Deserialize, Serialize};

/// One order of one customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderCost {
    /// Order id, into [`Dataset::orders`].
    pub order: u32,
    /// The earliest date of its lines.
    pub date: Date,
    /// Its lines with positive quantity (the lines that carry cost).
    pub lines: u64,
    /// Its lines with zero or negative quantity (returns, cancellations).
    pub returns: u64,
    /// Net units (returns subtract).
    pub units: f64,
    /// Net revenue of all its lines.
    pub revenue: f64,
    /// Σ of its lines' cost to serve ([`CostToServe::line_cost`]).
    pub cost_to_serve: f64,
}

/// The orders of customer number `customer` (into [`Dataset::customers`]),
/// earliest first (ties by order id). An order is the customer's lines
/// under one order id, returns included; every line of the customer is in
/// exactly one order, so the orders' revenue and cost to serve add up to
/// the customer's [`CustomerPnl`](super::CustomerPnl) figures. Empty for a
/// customer without lines.
pub fn customer_orders(data: &Dataset, cts: &CostToServe, customer: u32) -> Vec<OrderCost> {
    let lines = &data.lines;
    let mut orders: Vec<OrderCost> = Vec::new();
    let mut at: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    for i in (0..lines.len()).filter(|&i| lines.customer[i] == customer) {
        let order = lines.order[i];
        let k = *at.entry(order).or_insert_with(|| {
            orders.push(OrderCost {
                order,
                date: lines.date[i],
                lines: 0,
                returns: 0,
                units: 0.0,
                revenue: 0.0,
                cost_to_serve: 0.0,
            });
            orders.len() - 1
        });
        let o = &mut orders[k];
        let q = lines.quantity[i];
        o.date = o.date.min(lines.date[i]);
        // An order cell (see `crate::cells`) stands for several lines.
        if q > 0.0 {
            o.lines += lines.line_count(i);
        } else {
            o.returns += lines.line_count(i);
        }
        o.units += q;
        o.revenue += lines.revenue(i);
        o.cost_to_serve += cts.line_cost.get(i).copied().unwrap_or(0.0);
    }
    orders.sort_by(|a, b| {
        a.date.cmp(&b.date).then_with(|| data.orders.name(a.order).cmp(data.orders.name(b.order)))
    });
    orders
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::cost::allocate;
    use crate::dataset::{CostPool, Driver};
    use crate::quality::DqReport;
    use crate::testing::{dataset, week, Line};

    #[test]
    fn a_customers_orders_add_up_to_its_cost_to_serve() {
        let line = |order, customer, quantity: f64, revenue, w| Line {
            order,
            customer,
            quantity,
            revenue: Some(revenue),
            date: week(w),
            ..Line::default()
        };
        let mut d = dataset([
            line("B", "c1", 2.0, 20.0, 1),
            line("A", "c1", 1.0, 10.0, 1),
            line("B", "c1", 4.0, 40.0, 0),
            line("X", "c2", 1.0, 5.0, 0),
            line("R", "c1", -1.0, -10.0, 2),
        ]);
        // 4 positive lines: picking 100 at 25 a line; handling 80 over 8 units at 10.
        d.cost_pools = vec![
            CostPool {
                pool: "picking".into(),
                annual_cost: 100.0,
                driver: Driver::Lines,
                fixed_share: 0.0,
            },
            CostPool {
                pool: "handling".into(),
                annual_cost: 80.0,
                driver: Driver::Units,
                fixed_share: 0.5,
            },
        ];
        let mut report = DqReport::default();
        let demand = crate::demand::build(&d, &Config::default(), &mut report);
        // Three weekly buckets of 121.75 days make one year: pool cost = annual cost.
        let cts = allocate(&d, &demand, 121.75, &mut report);
        let c1 = d.customers.get("c1").unwrap();
        let orders = customer_orders(&d, &cts, c1);
        let seen: Vec<_> = orders
            .iter()
            .map(|o| {
                (d.orders.name(o.order), o.date, o.lines, o.returns, o.revenue, o.cost_to_serve)
            })
            .collect();
        assert_eq!(
            seen,
            [
                // B starts in week 0: 2 lines (25 each) and 6 units (10 each).
                ("B", week(0), 2, 0, 60.0, 50.0 + 60.0),
                ("A", week(1), 1, 0, 10.0, 25.0 + 10.0),
                ("R", week(2), 0, 1, -10.0, 0.0),
            ]
        );
        let pnl = cts.customers.iter().find(|c| c.customer == c1).unwrap();
        let total: f64 = orders.iter().map(|o| o.cost_to_serve).sum();
        assert_eq!(total, pnl.cost_to_serve);
        assert_eq!(orders.iter().map(|o| o.revenue).sum::<f64>(), pnl.revenue);
        assert!(customer_orders(&d, &cts, 99).is_empty());
    }
}
