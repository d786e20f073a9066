//! The Cost to serve page's views, built from one `Analysis`: pools with
//! their allocation, totals and core's reconciliation, tiers, the whale
//! curve (downsampled, peak kept), stacked bars of cost by pool, the
//! customer table as columns, and the on-demand customer drill-down and
//! what-if scenarios.
//!
//! Every figure is core's (`segscope_core::cost`); this module picks,
//! orders, samples and sums them: totals and the per-tier bars add up
//! core's per-customer figures, like the Data page's totals.

use super::segments::spread;
use super::{progress, Engine};
use crate::worker_api::{
    BarsView, CostTotals, CostView, CostWhatIfView, CustomerColumns, CustomerDetailView, OrderRow,
    PoolRow, PoolSource, Request, Response, Texts, WhaleView, WhatIfScenario, MAX_CURVE_POINTS,
};
use segscope_core::analysis::set_cost_pools;
use segscope_core::cost::breakdown::Dimension;
use segscope_core::cost::settings::{
    Consolidate, CostConfig, MinOrderSurcharge, PremiumDelivery, WhatIfConfig,
};
use segscope_core::cost::{customer_orders, whale_curve, what_if, workshop_template, CostToServe};
use segscope_core::{Analysis, CostPool, Dataset, FileKind};

impl Engine {
    /// Handles the Cost to serve page's requests ([`Request::SetPools`],
    /// [`Request::CustomerDetail`], [`Request::CostWhatIf`]), each with its
    /// one final answer; any other request is left alone.
    pub(super) fn handle_cost(&mut self, request: Request, emit: &mut dyn FnMut(Response)) {
        match request {
            Request::SetPools { pools } => {
                self.set_pools(pools, emit);
                emit(Response::Workspace(Box::new(self.view())));
            }
            Request::CustomerDetail { customer } => {
                let view = match (&self.loaded, &self.analysis) {
                    (Some(l), Some(a)) => detail(&l.dataset, a, &customer, self.cost_revision),
                    _ => CustomerDetailView { customer, ..Default::default() },
                };
                emit(Response::CustomerDetail(Box::new(view)));
            }
            Request::CostWhatIf { scenario } => {
                emit(progress("Running the what-if", None));
                let view = match (&self.loaded, &self.analysis) {
                    (Some(l), Some(a)) => what_if(&l.dataset, a, &scenario, self.cost_revision),
                    _ => CostWhatIfView {
                        generation: self.cost_revision,
                        scenario,
                        result: None,
                        error: Some("Load data first.".into()),
                    },
                };
                emit(Response::CostWhatIf(Box::new(view)));
            }
            _ => {}
        }
    }

    /// Makes `pools` the dataset's cost pools and reruns the cost stage on
    /// the analysis in memory (core's `set_cost_pools`: nothing is parsed
    /// again). Refused pools change nothing and every problem goes back.
    /// The edited pools stay over the cost-pools file until another one is
    /// loaded or it is removed.
    fn set_pools(&mut self, pools: Vec<CostPool>, emit: &mut dyn FnMut(Response)) {
        let result = match (&mut self.loaded, &mut self.analysis) {
            (Some(loaded), Some(analysis)) => {
                emit(progress("Recomputing the cost to serve", None));
                set_cost_pools(&mut loaded.dataset, analysis, pools.clone())
            }
            _ => match segscope_core::cost::check_pools(&pools) {
                problems if problems.is_empty() => Ok(()),
                problems => Err(problems),
            },
        };
        match result {
            Ok(()) => {
                self.edited_pools = Some(pools);
                self.send_cost(emit);
            }
            Err(problems) => emit(Response::PoolsRejected { problems }),
        }
    }

    /// Sends the Cost to serve view of the current analysis.
    pub(super) fn send_cost(&mut self, emit: &mut dyn FnMut(Response)) {
        if let (Some(loaded), Some(analysis)) = (&self.loaded, &self.analysis) {
            self.cost_revision += 1;
            let source = if self.edited_pools.is_some() {
                PoolSource::Edited
            } else {
                match self.raw.get(&FileKind::CostPools) {
                    Some(raw) if !loaded.dataset.cost_pools.is_empty() => {
                        PoolSource::File { name: raw.name.clone() }
                    }
                    _ => PoolSource::None,
                }
            };
            let view = view(&loaded.dataset, analysis, source, self.cost_revision);
            emit(Response::Cost(Box::new(view)));
        }
    }

    /// The edited pools go in place of the file's in a freshly joined
    /// dataset.
    pub(super) fn apply_edited_pools(&self, dataset: &mut Dataset) {
        if let Some(pools) = &self.edited_pools {
            dataset.cost_pools = pools.clone();
        }
    }
}

/// The whole view of the Cost to serve page.
pub fn view(data: &Dataset, analysis: &Analysis, source: PoolSource, generation: u64) -> CostView {
    let cts = &analysis.cost;
    let totals = totals(cts);
    CostView {
        generation,
        horizon_days: cts.horizon_days,
        source,
        pools: pools(data, cts),
        template: workshop_template(totals.revenue, cts.horizon_days),
        totals,
        reconciliation: cts.reconciliation(),
        tiers: cts.tiers.clone(),
        whale: whale(cts),
        bars: bars(cts),
        customers: customers(data, cts),
    }
}

fn pools(data: &Dataset, cts: &CostToServe) -> Vec<PoolRow> {
    cts.pools
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let budget = cts.budget.get(k).filter(|b| b.pool == p.pool);
            PoolRow {
                pool: p.pool.clone(),
                driver: p.driver,
                fixed_share: p.fixed_share,
                annual_cost: data.cost_pools.get(k).map_or(0.0, |c| c.annual_cost),
                cost: p.cost,
                driver_total: p.driver_total,
                rate: p.rate,
                allocated: cts
                    .customers
                    .iter()
                    .map(|c| c.cost_by_pool.get(k).unwrap_or(&0.0))
                    .sum(),
                unallocated: p.unallocated,
                budget: budget.and_then(|b| b.budget),
                variance: budget.and_then(|b| b.variance),
                flagged: budget.is_some_and(|b| b.flagged),
            }
        })
        .collect()
}

fn totals(cts: &CostToServe) -> CostTotals {
    let sum = |f: fn(&segscope_core::cost::CustomerPnl) -> f64| cts.customers.iter().map(f).sum();
    let (revenue, cost_to_serve): (f64, f64) = (sum(|c| c.revenue), sum(|c| c.cost_to_serve));
    CostTotals {
        customers: cts.customers.len(),
        orders: cts.orders(),
        lines: cts.lines(),
        revenue,
        cogs: sum(|c| c.cogs),
        cost_to_serve,
        cost_share_of_revenue: (revenue > 0.0).then(|| cost_to_serve / revenue),
        profit: sum(|c| c.profit),
        cost_per_order: cts.cost_per_order(),
        cost_per_line: cts.cost_per_line(),
        loss_making: cts.customers.iter().filter(|c| c.profit < 0.0).count(),
    }
}

/// Core's whale curve, downsampled to at most [`MAX_CURVE_POINTS`] points
/// evenly over the customers, the start, the end and the peak always kept.
fn whale(cts: &CostToServe) -> WhaleView {
    let total_profit: f64 = cts.customers.iter().map(|c| c.profit).sum();
    let peak = cts.whale_peak.clone();
    let points = if total_profit > 0.0 {
        let curve = whale_curve(&cts.customers);
        let mut keep = spread(curve.len(), MAX_CURVE_POINTS - 1);
        if let Some(p) = &peak {
            keep.push(p.customers.min(curve.len().saturating_sub(1)));
        }
        keep.sort_unstable();
        keep.dedup();
        keep.into_iter().filter_map(|i| curve.get(i).copied()).collect()
    } else {
        Vec::new()
    };
    let eroded = peak.as_ref().map_or(0.0, |p| p.profit - total_profit);
    WhaleView { points, peak, customers: cts.customers.len(), total_profit, eroded }
}

/// Cost to serve by pool per tier (summed from the customers), then core's
/// breakdowns by segment, channel, region and ship mode.
fn bars(cts: &CostToServe) -> Vec<BarsView> {
    let pools: Vec<String> = cts.pools.iter().map(|p| p.pool.clone()).collect();
    let mut by_tier = vec![vec![0.0; pools.len()]; cts.tiers.len()];
    for c in &cts.customers {
        if let Some(row) = by_tier.get_mut(c.tier) {
            for (total, v) in row.iter_mut().zip(&c.cost_by_pool) {
                *total += v;
            }
        }
    }
    let mut out = vec![BarsView {
        key: "tier".into(),
        per: "tier".into(),
        groups: cts.tiers.iter().map(|t| t.name.clone()).collect(),
        pools: pools.clone(),
        values: by_tier,
    }];
    for dimension in Dimension::ALL {
        let Some(b) = cts.breakdowns.iter().find(|b| b.dimension == dimension) else { continue };
        out.push(BarsView {
            key: dimension.name().into(),
            per: dimension.name().replace('_', " "),
            groups: b.groups.iter().map(|g| g.name.clone()).collect(),
            pools: pools.clone(),
            values: b.groups.iter().map(|g| g.cost_by_pool.clone()).collect(),
        });
    }
    out
}

/// The customers' P&L as columns, most profitable first (ties by code).
fn customers(data: &Dataset, cts: &CostToServe) -> CustomerColumns {
    let mut order: Vec<usize> = (0..cts.customers.len()).collect();
    let code = |i: usize| data.customers.name(cts.customers[i].customer);
    order.sort_by(|&a, &b| {
        cts.customers[b]
            .profit
            .total_cmp(&cts.customers[a].profit)
            .then_with(|| code(a).cmp(code(b)))
    });
    let names = names(data);
    let n = order.len();
    let mut t = CustomerColumns {
        customer: Texts::with_capacity(n, 8 * n),
        name: Texts::with_capacity(n, 0),
        tier: Vec::with_capacity(n),
        revenue: Vec::with_capacity(n),
        cogs: Vec::with_capacity(n),
        cost_to_serve: Vec::with_capacity(n),
        profit: Vec::with_capacity(n),
        margin_pct: Vec::with_capacity(n),
        orders: Vec::with_capacity(n),
        lines: Vec::with_capacity(n),
        cost_per_order: Vec::with_capacity(n),
    };
    for i in order {
        let c = &cts.customers[i];
        t.customer.push(code(i));
        t.name.push(names.get(c.customer as usize).and_then(Option::as_deref).unwrap_or_default());
        t.tier.push(c.tier.min(255) as u8);
        t.revenue.push(c.revenue);
        t.cogs.push(c.cogs);
        t.cost_to_serve.push(c.cost_to_serve);
        t.profit.push(c.profit);
        t.margin_pct.push(c.margin_pct());
        t.orders.push(c.orders);
        t.lines.push(c.lines);
        t.cost_per_order.push(c.cost_per_order());
    }
    t
}

/// Each customer number's name from the customers file.
fn names(data: &Dataset) -> Vec<Option<String>> {
    let mut names = vec![None; data.customers.len()];
    for c in &data.customer_info {
        if let (Some(slot), Some(name)) = (names.get_mut(c.customer as usize), &c.name) {
            *slot = Some(name.clone());
        }
    }
    names
}

/// One customer's orders with their cost to serve (core's
/// `customer_orders`).
pub fn detail(
    data: &Dataset,
    analysis: &Analysis,
    customer: &str,
    generation: u64,
) -> CustomerDetailView {
    let cts = &analysis.cost;
    let pnl =
        data.customers.get(customer).and_then(|id| cts.customers.iter().find(|c| c.customer == id));
    let Some(pnl) = pnl else {
        return CustomerDetailView {
            generation,
            customer: customer.to_owned(),
            ..Default::default()
        };
    };
    let orders: Vec<OrderRow> = customer_orders(data, cts, pnl.customer)
        .into_iter()
        .map(|o| OrderRow {
            order: data.orders.name(o.order).to_owned(),
            date: o.date,
            lines: o.lines,
            returns: o.returns,
            units: o.units,
            revenue: o.revenue,
            cost_to_serve: o.cost_to_serve,
        })
        .collect();
    CustomerDetailView {
        generation,
        customer: customer.to_owned(),
        found: true,
        name: names(data).get(pnl.customer as usize).cloned().flatten().unwrap_or_default(),
        tier: cts.tiers.get(pnl.tier).map(|t| t.name.clone()).unwrap_or_default(),
        revenue: pnl.revenue,
        cogs: pnl.cogs,
        cost_to_serve: pnl.cost_to_serve,
        profit: pnl.profit,
        orders_cost_to_serve: orders.iter().map(|o| o.cost_to_serve).sum(),
        orders_revenue: orders.iter().map(|o| o.revenue).sum(),
        return_only: orders.iter().filter(|o| o.lines == 0).count(),
        orders,
    }
}

/// Runs one what-if scenario with core's `what_if` functions, after core's
/// validation of its inputs (the checks of the configuration's
/// `cost.what_if` section).
pub fn what_if(
    data: &Dataset,
    analysis: &Analysis,
    scenario: &WhatIfScenario,
    generation: u64,
) -> CostWhatIfView {
    let settings = &analysis.config.cost;
    let mut check = CostConfig { what_if: WhatIfConfig::default(), ..settings.clone() };
    check.what_if.consolidate = None;
    check.what_if.drop_least_profitable_tier = false;
    match scenario {
        WhatIfScenario::PremiumDelivery { tier, cost_per_order } => {
            check.what_if.premium_delivery =
                Some(PremiumDelivery { tier: tier.clone(), cost_per_order: *cost_per_order });
        }
        WhatIfScenario::MinOrderSurcharge { min_order_value, fee } => {
            check.what_if.min_order_surcharge =
                Some(MinOrderSurcharge { min_order_value: *min_order_value, fee: *fee });
        }
        WhatIfScenario::Consolidate { period, tier } => {
            check.what_if.consolidate = Some(Consolidate { period: *period, tier: tier.clone() });
        }
        WhatIfScenario::DropLeastProfitableTier => {}
    }
    let problems = check.problems();
    let answer =
        |result, error| CostWhatIfView { generation, scenario: scenario.clone(), result, error };
    if !problems.is_empty() {
        return answer(None, Some(problems.join("; ")));
    }
    let cts = &analysis.cost;
    let tier = |name: &str| settings.tier_index(name);
    let result = match scenario {
        WhatIfScenario::PremiumDelivery { tier: name, cost_per_order } => {
            tier(name).map(|t| what_if::premium_delivery(cts, t, *cost_per_order))
        }
        WhatIfScenario::MinOrderSurcharge { min_order_value, fee } => {
            Some(what_if::minimum_order_surcharge(data, cts, *min_order_value, *fee, None))
        }
        WhatIfScenario::Consolidate { period, tier: name } => {
            let scope = name.as_deref().and_then(tier);
            Some(what_if::consolidate(data, cts, *period, scope))
        }
        WhatIfScenario::DropLeastProfitableTier => Some(what_if::drop_least_profitable_tier(cts)),
    };
    match result {
        Some(r) => answer(Some(r), None),
        None => answer(None, Some("That tier is not one of the analysis's tiers.".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use segscope_core::config::Bucket;
    use segscope_core::{analyze, Config, CostPool, Driver};

    /// Customers C0 … C9 with one order a day for four weeks; customer k
    /// sells at 10 × (k + 1) a line with unit cost 5, so the small ones
    /// lose money once picking and order handling are charged.
    fn data(pools: &[(&str, f64, Driver, f64)]) -> Dataset {
        let mut text = String::from("Order ID,Date,SKU,Qty,Sales,Unit Cost,Customer\n");
        for k in 0..10 {
            for day in 1..=28 {
                let price = 10 * (k + 1);
                text += &format!("{k}-{day},2024-02-{day:02},S{},1,{price},5,C{k}\n", day % 3);
            }
        }
        let file = segscope_core::InputFile { name: "o.csv", bytes: text.as_bytes() };
        let loaded = segscope_core::ingest::load(
            file,
            None,
            None,
            None,
            &Default::default(),
            &Default::default(),
        )
        .expect("orders load");
        let mut d = loaded.dataset;
        d.cost_pools = pools
            .iter()
            .map(|&(pool, annual_cost, driver, fixed_share)| CostPool {
                pool: pool.into(),
                annual_cost,
                driver,
                fixed_share,
            })
            .collect();
        d
    }

    fn demo_pools() -> Vec<(&'static str, f64, Driver, f64)> {
        vec![("Picking", 20_000.0, Driver::Lines, 0.3), ("Orders", 30_000.0, Driver::Orders, 0.5)]
    }

    #[test]
    fn the_view_reconciles_and_its_parts_add_up() {
        let d = data(&demo_pools());
        let a = analyze(&d, &Config::default());
        let v = view(&d, &a, PoolSource::Edited, 3);
        assert!(v.reconciliation.holds(), "{:?}", v.reconciliation);
        let pools: f64 = v.pools.iter().map(|p| p.allocated + p.unallocated).sum();
        assert!((pools - v.reconciliation.pool_total).abs() < 1e-6);
        assert!((v.totals.cost_to_serve - v.reconciliation.allocated).abs() < 1e-6);
        assert_eq!(v.pools[0].annual_cost, 20_000.0);
        // Every grouping's bars add up to the allocated cost.
        assert_eq!(
            v.bars.iter().map(|b| b.key.as_str()).collect::<Vec<_>>(),
            ["tier", "segment", "channel", "region", "ship_mode"]
        );
        for b in &v.bars {
            let total: f64 = b.values.iter().flatten().sum();
            assert!((total - v.totals.cost_to_serve).abs() < 1e-6, "{}: {total}", b.key);
            assert_eq!(b.values.len(), b.groups.len());
        }
        // Most profitable first: C9 sells at 100 a line.
        assert_eq!(v.customers.customer.get(0), Some("C9"));
        assert!(v.customers.profit.windows(2).all(|w| w[0] >= w[1]));
        assert!(v.totals.loss_making > 0, "the small customers lose money");
        assert_eq!(v.template.len(), 6);
    }

    #[test]
    fn the_whale_curve_keeps_its_peak_and_stays_small() {
        let d = data(&demo_pools());
        let a = analyze(&d, &Config::default());
        let w = whale(&a.cost);
        let peak = w.peak.clone().unwrap();
        let top = w.points.iter().map(|p| p.1).fold(f64::MIN, f64::max);
        assert!((top - peak.profit_share.unwrap()).abs() < 1e-12, "{top} vs {peak:?}");
        assert_eq!(w.points.first(), Some(&(0.0, 0.0)));
        assert!((w.points.last().unwrap().1 - 1.0).abs() < 1e-12);
        // 2,000 customers: downsampled, the peak still exact.
        let mut many = a.cost.clone();
        let template = many.customers[0].clone();
        many.customers = (0..2000)
            .map(|i| {
                let mut c = template.clone();
                c.profit = 1000.0 - i as f64;
                c
            })
            .collect();
        many.whale_peak = segscope_core::cost::whale_peak(&many.customers);
        let w = whale(&many);
        assert!(w.points.len() <= MAX_CURVE_POINTS, "{}", w.points.len());
        let peak = many.whale_peak.unwrap();
        assert!(w.points.iter().any(|p| (p.0 - peak.customer_share).abs() < 1e-12));
    }

    #[test]
    fn a_customers_orders_add_up_to_its_cost_to_serve() {
        let d = data(&demo_pools());
        let a = analyze(&d, &Config::default());
        let x = detail(&d, &a, "C3", 1);
        assert!(x.found);
        assert_eq!(x.orders.len(), 28);
        assert!((x.orders_cost_to_serve - x.cost_to_serve).abs() < 1e-9);
        assert!(x.orders.windows(2).all(|w| w[0].date <= w[1].date));
        let nobody = detail(&d, &a, "nobody", 1);
        assert!(!nobody.found && nobody.orders.is_empty());
    }

    #[test]
    fn what_ifs_run_core_scenarios_and_refuse_bad_inputs() {
        let d = data(&demo_pools());
        let a = analyze(&d, &Config::default());
        // One order a day per customer: monthly consolidation saves the
        // variable half of 27 of every 28 orders' handling.
        let s = WhatIfScenario::Consolidate { period: Bucket::Month, tier: None };
        let w = what_if(&d, &a, &s, 1).result.unwrap();
        assert!(w.total > 0.0, "{w:?}");
        assert_eq!(w.tiers.len(), a.cost.tiers.len());
        let dropped = what_if(&d, &a, &WhatIfScenario::DropLeastProfitableTier, 1);
        assert!(dropped.result.is_some_and(|r| r.total != 0.0));
        let bad = WhatIfScenario::PremiumDelivery { tier: "Gold".into(), cost_per_order: -1.0 };
        let refused = what_if(&d, &a, &bad, 1);
        assert!(refused.result.is_none());
        assert!(refused.error.unwrap().contains("cost_per_order"));
        let unknown =
            WhatIfScenario::Consolidate { period: Bucket::Week, tier: Some("Diamond".into()) };
        assert!(what_if(&d, &a, &unknown, 1).error.unwrap().contains("Diamond"));
    }

    /// Runs a request on an engine and returns everything it sent.
    fn run(e: &mut Engine, request: Request, bytes: Option<&str>) -> Vec<Response> {
        let mut sent = Vec::new();
        e.handle(request, bytes.map(|b| b.as_bytes().to_vec()), &mut |r| sent.push(r));
        sent
    }

    fn cost_view(sent: &[Response]) -> Option<&CostView> {
        sent.iter().rev().find_map(|r| match r {
            Response::Cost(v) => Some(v.as_ref()),
            _ => None,
        })
    }

    const ORDERS: &str = "Order ID,Date,SKU,Qty,Sales,Customer\n\
                          1,2024-03-04,A,2,20.00,C1\n\
                          1,2024-03-04,B,1,5.50,C1\n\
                          2,2024-03-12,A,4,40.00,C2\n";
    const POOLS: &str = "pool,annual_cost,driver,fixed_share\nPicking,1000,lines,0.3\n";

    fn loaded() -> Engine {
        let mut e = Engine::new(None);
        run(
            &mut e,
            Request::LoadFile { kind: FileKind::Orders, name: "o.csv".into() },
            Some(ORDERS),
        );
        let request = Request::LoadFile { kind: FileKind::CostPools, name: "p.csv".into() };
        let sent = run(&mut e, request, Some(POOLS));
        let v = cost_view(&sent).expect("a cost view after every analysis");
        assert_eq!(v.source, PoolSource::File { name: "p.csv".into() });
        e
    }

    fn pool(name: &str, annual_cost: f64, fixed_share: f64) -> CostPool {
        CostPool { pool: name.into(), annual_cost, driver: Driver::Orders, fixed_share }
    }

    #[test]
    fn edited_pools_recompute_the_cost_without_reading_any_file() {
        let mut e = loaded();
        let pools = vec![pool("Picking", 2000.0, 0.3), pool("Orders", 500.0, 0.0)];
        let sent = run(&mut e, Request::SetPools { pools }, None);
        assert!(!sent
            .iter()
            .any(|r| matches!(r, Response::Progress(p) if p.stage.starts_with("Reading"))));
        assert!(!sent.iter().any(|r| matches!(r, Response::Segments(_))), "segments do not move");
        let v = cost_view(&sent).expect("a cost view");
        assert_eq!(v.source, PoolSource::Edited);
        assert_eq!(v.pools.iter().map(|p| p.annual_cost).collect::<Vec<_>>(), [2000.0, 500.0]);
        assert!(v.reconciliation.holds());
        assert!(matches!(sent.last(), Some(Response::Workspace(_))));
        // They stay over the file when another file is joined in…
        let customers = "Customer ID,Name\nC1,Acme\n";
        let request = Request::LoadFile { kind: FileKind::Customers, name: "c.csv".into() };
        let sent = run(&mut e, request, Some(customers));
        let v = cost_view(&sent).unwrap();
        assert_eq!((v.pools.len(), &v.source), (2, &PoolSource::Edited));
        assert_eq!(v.customers.name.iter().filter(|n| *n == "Acme").count(), 1);
        // …and a cost-pools file replaces them.
        let request = Request::LoadFile { kind: FileKind::CostPools, name: "q.csv".into() };
        let v = cost_view(&run(&mut e, request, Some(POOLS))).unwrap().clone();
        assert_eq!((v.pools.len(), v.source), (1, PoolSource::File { name: "q.csv".into() }));
    }

    #[test]
    fn refused_pools_name_each_problem_and_change_nothing() {
        let mut e = loaded();
        let before = e.analysis.clone();
        let pools = vec![pool("Picking", 1000.0, 1.5), pool("Picking", -1.0, 0.0)];
        let sent = run(&mut e, Request::SetPools { pools }, None);
        match sent.iter().find(|r| !matches!(r, Response::Progress(_))) {
            Some(Response::PoolsRejected { problems }) => {
                let fields: Vec<_> = problems.iter().map(|p| (p.index, p.field)).collect();
                use segscope_core::cost::PoolField::*;
                assert_eq!(fields, [(0, FixedShare), (1, Pool), (1, AnnualCost)]);
            }
            other => panic!("{other:?}"),
        }
        assert!(cost_view(&sent).is_none());
        assert_eq!(e.analysis, before);
        assert!(e.edited_pools.is_none());
    }

    #[test]
    fn drill_downs_and_what_ifs_answer_once() {
        let mut e = loaded();
        let sent = run(&mut e, Request::CustomerDetail { customer: "C1".into() }, None);
        match sent.as_slice() {
            [Response::CustomerDetail(d)] => {
                assert!(d.found);
                assert_eq!(d.orders.len(), 1);
                assert!((d.orders_cost_to_serve - d.cost_to_serve).abs() < 1e-9);
            }
            other => panic!("{other:?}"),
        }
        let request = Request::CostWhatIf { scenario: WhatIfScenario::DropLeastProfitableTier };
        let sent = run(&mut e, request, None);
        assert!(matches!(sent.last(), Some(Response::CostWhatIf(w)) if w.result.is_some()));
        assert_eq!(sent.iter().filter(|r| !matches!(r, Response::Progress(_))).count(), 1);
    }
}
