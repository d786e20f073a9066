//! An independent reading of the generated files: the figures an analyst
//! would look at first, computed from the CSV text alone with the definitions
//! of SPEC §2, §3 and §5. Shared by the tests and `examples/demo_shape.rs`.

use std::collections::HashMap;

/// Syntetos–Boylan classes, in this order: smooth, intermittent, erratic, lumpy.
pub const PATTERNS: [&str; 4] = ["smooth", "intermittent", "erratic", "lumpy"];

/// Headline figures of a generated data set.
#[derive(Debug)]
pub struct Shape {
    /// Data rows of the orders file.
    pub lines: usize,
    /// Rows with negative quantity.
    pub returns: usize,
    /// Rows flagged `promo`.
    pub promo_lines: usize,
    /// Distinct order ids.
    pub orders: usize,
    /// SKUs with at least one line.
    pub skus_sold: usize,
    /// Customers with at least one line.
    pub customers: usize,
    /// Earliest and latest order date.
    pub first_date: String,
    /// Latest order date.
    pub last_date: String,
    /// Weekly buckets in the horizon.
    pub weeks: usize,
    /// Net revenue.
    pub revenue: f64,
    /// Sum of quantity × unit cost.
    pub cogs: f64,
    /// Revenue share of the top 20 % of SKUs (by revenue, among those sold).
    pub top20_share: f64,
    /// SKUs per Syntetos–Boylan class, in the order of [`PATTERNS`].
    pub patterns: [usize; 4],
    /// SKUs per ABC class (revenue, cuts 0.80 / 0.95).
    pub abc: [usize; 3],
    /// SKUs per XYZ class (cv cuts 0.5 / 1.0).
    pub xyz: [usize; 3],
    /// Share of positive lines delivered on or before the promised date.
    pub on_time: f64,
    /// Total cost to serve over the horizon, from the cost pools file.
    pub cost_to_serve: f64,
    /// Customers whose revenue − cogs − cost to serve is negative.
    pub unprofitable_customers: usize,
    /// Lines whose quantity × unit price differs from line revenue by a cent or more.
    pub inconsistent_lines: usize,
}

/// Days since 1970-01-01 of an ISO date (Hinnant's `days_from_civil`).
pub fn day_number(iso: &str) -> i64 {
    let y: i64 = iso[0..4].parse().expect("year");
    let m: i64 = iso[5..7].parse().expect("month");
    let d: i64 = iso[8..10].parse().expect("day");
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// The (n, k, ADI, CV²) of a series, with ADI = n / k (SPEC §3.3).
pub fn adi_cv2(series: &[f64]) -> Option<(f64, f64)> {
    let nz: Vec<f64> = series.iter().copied().filter(|&x| x > 0.0).collect();
    if nz.is_empty() {
        return None;
    }
    let adi = series.len() as f64 / nz.len() as f64;
    let mean = nz.iter().sum::<f64>() / nz.len() as f64;
    let var = nz.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / nz.len() as f64;
    let cv2 = if nz.len() == 1 { 0.0 } else { var / (mean * mean) };
    Some((adi, cv2))
}

/// Index into [`PATTERNS`] of an (ADI, CV²) pair.
pub fn pattern(adi: f64, cv2: f64) -> usize {
    match (adi >= 1.32, cv2 >= 0.49) {
        (false, false) => 0,
        (true, false) => 1,
        (false, true) => 2,
        (true, true) => 3,
    }
}

/// Rows of a CSV file without quoted fields, split on commas (header skipped).
pub fn rows(file: &[u8]) -> impl Iterator<Item = Vec<&str>> {
    let text = std::str::from_utf8(file).expect("UTF-8");
    text.lines().skip(1).map(|l| l.split(',').collect())
}

struct Line<'a> {
    order: &'a str,
    day: i64,
    customer: &'a str,
    sku: &'a str,
    qty: f64,
    revenue: f64,
    cost: f64,
    weight: f64,
}

/// Reads the headline figures of generated orders and cost pools.
pub fn shape(orders: &[u8], cost_pools: &[u8]) -> Shape {
    let mut lines = Vec::new();
    let (mut returns, mut promo_lines, mut on_time, mut positive) = (0, 0, 0, 0);
    let mut inconsistent_lines = 0;
    for f in rows(orders) {
        assert_eq!(f.len(), 16, "orders row {f:?}");
        let qty: f64 = f[4].parse().unwrap();
        let price: f64 = f[5].parse().unwrap();
        let revenue: f64 = f[6].parse().unwrap();
        if (qty * price - revenue).abs() >= 0.01 {
            inconsistent_lines += 1;
        }
        if qty < 0.0 {
            returns += 1;
        } else {
            positive += 1;
            if day_number(f[14]) <= day_number(f[13]) {
                on_time += 1;
            }
        }
        promo_lines += usize::from(f[15] == "true");
        lines.push(Line {
            order: f[0],
            day: day_number(f[1]),
            customer: f[2],
            sku: f[3],
            qty,
            revenue,
            cost: f[7].parse().unwrap(),
            weight: f[8].parse().unwrap(),
        });
    }
    let first = lines.iter().map(|l| l.day).min().unwrap_or(0);
    let last = lines.iter().map(|l| l.day).max().unwrap_or(0);
    // Weeks start on Monday; 1970-01-01 was a Thursday.
    let monday = first - (first + 3).rem_euclid(7);
    let weeks = ((last - monday) / 7 + 1) as usize;

    let mut series: HashMap<&str, Vec<f64>> = HashMap::new();
    let mut sku_revenue: HashMap<&str, f64> = HashMap::new();
    let mut orders_set: HashMap<&str, usize> = HashMap::new();
    let mut cust_lines: HashMap<&str, usize> = HashMap::new();
    let (mut revenue, mut cogs) = (0.0, 0.0);
    for l in &lines {
        let s = series.entry(l.sku).or_insert_with(|| vec![0.0; weeks]);
        if l.qty > 0.0 {
            s[((l.day - monday) / 7) as usize] += l.qty;
            *orders_set.entry(l.order).or_default() += 1;
            *cust_lines.entry(l.customer).or_default() += 1;
        } else {
            orders_set.entry(l.order).or_default();
            cust_lines.entry(l.customer).or_default();
        }
        *sku_revenue.entry(l.sku).or_default() += l.revenue;
        revenue += l.revenue;
        cogs += l.qty * l.cost;
    }

    let mut patterns = [0; 4];
    let mut xyz = [0; 3];
    for s in series.values() {
        if let Some((adi, cv2)) = adi_cv2(s) {
            patterns[pattern(adi, cv2)] += 1;
        }
        let mean = s.iter().sum::<f64>() / s.len() as f64;
        let sd = (s.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / s.len() as f64).sqrt();
        let class = if mean <= 0.0 {
            2
        } else if sd / mean <= 0.5 {
            0
        } else if sd / mean <= 1.0 {
            1
        } else {
            2
        };
        xyz[class] += 1;
    }

    let mut by_revenue: Vec<(&str, f64)> = sku_revenue.iter().map(|(k, v)| (*k, *v)).collect();
    by_revenue.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let total_pos: f64 = by_revenue.iter().map(|x| x.1.max(0.0)).sum();
    let top = (by_revenue.len() as f64 * 0.2).ceil() as usize;
    let top20_share = by_revenue[..top].iter().map(|x| x.1).sum::<f64>() / total_pos;
    let mut abc = [0; 3];
    let mut cum = 0.0;
    for &(_, v) in &by_revenue {
        let class = if v <= 0.0 {
            2
        } else if cum < 0.80 {
            0
        } else if cum < 0.95 {
            1
        } else {
            2
        };
        abc[class] += 1;
        cum += v.max(0.0) / total_pos;
    }

    // Cost to serve per customer, SPEC §5.
    let horizon = weeks as f64 * 7.0 / 365.25;
    let mut pools: Vec<(String, f64)> = Vec::new();
    for f in rows(cost_pools) {
        let annual: f64 = f[1].parse().unwrap();
        pools.push((f[2].to_string(), annual * horizon));
    }
    let positive_lines: Vec<&Line> = lines.iter().filter(|l| l.qty > 0.0).collect();
    let driver = |name: &str, l: &Line| -> f64 {
        match name {
            "orders" => 1.0 / orders_set[l.order] as f64,
            "lines" => 1.0,
            "units" => l.qty,
            "weight_kg" => l.qty * l.weight,
            "customers" => 1.0 / cust_lines[l.customer] as f64,
            "value" => l.revenue.max(0.0),
            other => panic!("driver {other}"),
        }
    };
    let mut cts: HashMap<&str, f64> = HashMap::new();
    let mut cost_to_serve = 0.0;
    for (name, cost) in &pools {
        let total: f64 = positive_lines.iter().map(|l| driver(name, l)).sum();
        cost_to_serve += cost;
        for l in &positive_lines {
            *cts.entry(l.customer).or_default() += cost * driver(name, l) / total;
        }
    }
    let mut profit: HashMap<&str, f64> = HashMap::new();
    for l in &lines {
        *profit.entry(l.customer).or_default() += l.revenue - l.qty * l.cost;
    }
    let unprofitable_customers =
        profit.iter().filter(|(c, p)| **p - cts.get(*c).copied().unwrap_or(0.0) < 0.0).count();

    let dates = rows(orders).map(|f| f[1].to_string());
    let (first_date, last_date) = dates.fold((String::new(), String::new()), |(lo, hi), d| {
        let lo = if lo.is_empty() || d < lo { d.clone() } else { lo };
        (lo, if d > hi { d } else { hi })
    });

    Shape {
        lines: lines.len(),
        returns,
        promo_lines,
        orders: orders_set.len(),
        skus_sold: series.len(),
        customers: profit.len(),
        first_date,
        last_date,
        weeks,
        revenue,
        cogs,
        top20_share,
        patterns,
        abc,
        xyz,
        on_time: on_time as f64 / positive.max(1) as f64,
        cost_to_serve,
        unprofitable_customers,
        inconsistent_lines,
    }
}
