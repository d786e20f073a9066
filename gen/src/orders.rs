//! Order lines, written week by week.
//!
//! Each week gets a fixed share of the requested lines (a mild growth trend,
//! a summer bump, quiet holiday weeks), so the total is exactly
//! `Params::lines`. Within a week, orders are drawn one by one: a customer in
//! proportion to their order rate, a weekday, a number of lines; then each line
//! draws a SKU in proportion to its intensity that week, which is where the
//! demand patterns of [`crate::catalog`] come from. Orders are written in date
//! order, so order numbers rise with dates.
//!
//! About 1 % of lines are returns: a separate `RT` document that credits part
//! of a line the same customer bought recently, at the price they paid.

use crate::calendar::Calendar;
use crate::catalog::{Pattern, Sku, PROMO_QTY};
use crate::customers::{Channel, Customer, ShipMode, BACKUP_WAREHOUSE, REGIONS};
use crate::math::cos_turns;
use crate::rng::{tag, Rng, Sampler};
use crate::write::{push_padded, CsvOut};
use crate::Checked;

/// Expected returns per sold line.
const RETURN_RATE: f64 = 0.01;
/// Purchases remembered per customer, for returns.
const HISTORY: usize = 8;
/// Days after the last order day that the calendar must cover (promised and
/// delivered dates).
pub(crate) const DATE_MARGIN: usize = 16;

/// Driver totals of the generated lines, for sizing the cost pools.
#[derive(Debug, Default)]
pub(crate) struct Totals {
    /// Orders with at least one positive line.
    pub(crate) orders: u64,
    /// Lines with positive quantity.
    pub(crate) lines: u64,
    /// Sum of positive quantities.
    pub(crate) units: i64,
    /// Sum of positive quantity × unit weight, in grams.
    pub(crate) weight_g: i64,
    /// Sum of positive line revenue, in cents.
    pub(crate) value_cents: i64,
    /// Net revenue (returns subtract), in cents.
    pub(crate) revenue_cents: i64,
    /// Customers with at least one positive line.
    pub(crate) customers: u64,
}

#[derive(Clone, Copy, Default)]
struct Purchase {
    sku: u32,
    qty: i64,
    price: i64,
    cost: i64,
}

/// What the customer bought recently, newest overwriting oldest.
struct History {
    items: Vec<[Purchase; HISTORY]>,
    len: Vec<u8>,
    next: Vec<u8>,
}

impl History {
    fn new(customers: usize) -> History {
        History {
            items: vec![[Purchase::default(); HISTORY]; customers],
            len: vec![0; customers],
            next: vec![0; customers],
        }
    }

    fn push(&mut self, c: usize, p: Purchase) {
        let at = self.next[c] as usize;
        self.items[c][at] = p;
        self.next[c] = ((at + 1) % HISTORY) as u8;
        self.len[c] = (self.len[c] + 1).min(HISTORY as u8);
    }

    fn pick(&self, c: usize, rng: &mut Rng) -> Option<Purchase> {
        let n = self.len[c];
        (n > 0).then(|| self.items[c][rng.below(u64::from(n)) as usize])
    }
}

#[derive(Clone, Copy)]
struct Header {
    customer: u32,
    lines: u32,
    day: u8,
    is_return: bool,
}

/// The relative weight of each week in the year's volume.
fn week_weight(cal: &Calendar, w: usize, weeks: usize) -> f64 {
    let mid = w * 7 + 3;
    let doy = cal.day_of_year(mid) as f64;
    let season = 1.0 + 0.08 * cos_turns((doy - 172.0) / 365.25);
    let growth = 1.0 + 0.25 * (w as f64 + 0.5) / weeks as f64;
    let mut holiday: f64 = 1.0;
    for d in w * 7..w * 7 + 7 {
        match cal.month_day(d) {
            (12, 24..=26) => holiday = holiday.min(0.7),
            (1, 1) => holiday = holiday.min(0.6),
            _ => {}
        }
    }
    season * growth * holiday
}

/// Splits `lines` over the weeks by weight; the parts sum to `lines` exactly.
fn weekly_budgets(cal: &Calendar, lines: usize, weeks: usize) -> Vec<usize> {
    let weights: Vec<f64> = (0..weeks).map(|w| week_weight(cal, w, weeks)).collect();
    let total: f64 = weights.iter().sum();
    let mut cum = 0.0;
    let mut prev = 0;
    weights
        .iter()
        .enumerate()
        .map(|(w, &x)| {
            cum += x;
            let upto = if w + 1 == weeks {
                lines
            } else {
                ((lines as f64 * cum / total).floor() as usize).min(lines)
            };
            let b = upto.saturating_sub(prev);
            prev = prev.max(upto);
            b
        })
        .collect()
}

const WEEKDAYS_B2B: [f64; 7] = [0.26, 0.22, 0.20, 0.18, 0.14, 0.0, 0.0];
const WEEKDAYS_ONLINE: [f64; 7] = [0.17, 0.15, 0.14, 0.14, 0.13, 0.13, 0.14];

/// Writes the orders file and returns it with its driver totals.
pub(crate) fn write(
    p: &Checked,
    skus: &[Sku],
    customers: &[Customer],
    cal: &Calendar,
) -> (Vec<u8>, Totals) {
    let weeks = p.weeks as usize;
    let mut out = CsvOut::with_header(
        p.lines.saturating_mul(132).saturating_add(256).min(1 << 30),
        "order_id,order_date,customer_id,sku,quantity,unit_price,line_revenue,unit_cost,\
         weight_kg,ship_mode,warehouse,region,channel,promised_date,delivered_date,promo",
    );
    let mut totals = Totals::default();
    let mut bought = vec![false; customers.len()];
    let mut history = History::new(customers.len());
    let mut sku_sampler = Sampler::default();
    let mut customer_sampler = Sampler::default();
    let mut headers: Vec<Header> = Vec::new();
    let mut sorted: Vec<Header> = Vec::new();
    let mut chosen: Vec<u32> = Vec::new();
    let mut slots: Vec<u32> = Vec::new();
    let mut order_id: Vec<u8> = Vec::with_capacity(16);
    let mut order_no: u64 = 0;
    let id_width = 7;

    for (w, budget) in weekly_budgets(cal, p.lines, weeks).into_iter().enumerate() {
        if budget == 0 {
            continue;
        }
        let wk = w as u32;
        let year_turns = cal.day_of_year(w * 7 + 3) as f64 / 365.25;
        sku_sampler.rebuild(
            skus.iter().enumerate().map(|(i, s)| s.intensity(p.seed, i, wk, p.weeks, year_turns)),
        );
        if sku_sampler.total() <= 0.0 {
            // Every pulse is off this week: fall back to the plain line weights.
            sku_sampler.rebuild(skus.iter().map(|s| s.intensity_floor()));
        }
        customer_sampler.rebuild(customers.iter().map(|c| {
            if wk >= c.start_week && wk < c.end_week {
                c.order_rate
            } else {
                0.0
            }
        }));
        let mut rng = Rng::stream(p.seed, tag::WEEK, w as u64);

        // Order headers, then sorted by weekday (stable) so dates ascend.
        headers.clear();
        let mut left = budget;
        while left > 0 {
            let c = customer_sampler.sample(&mut rng);
            let cust = &customers[c];
            let extra = rng.exponential((cust.mean_lines - 1.0).max(0.0)).floor() as usize;
            let lines = (1 + extra).min(40).min(left);
            let days =
                if cust.channel == Channel::ECommerce { &WEEKDAYS_ONLINE } else { &WEEKDAYS_B2B };
            let day = rng.weighted(days) as u8;
            headers.push(Header { customer: c as u32, lines: lines as u32, day, is_return: false });
            left -= lines;
            if left > 0 && rng.chance(RETURN_RATE * lines as f64) {
                // Returns are booked on a working day, or any day online.
                let last_day = if cust.channel == Channel::ECommerce { 6 } else { 4 };
                let day = (day + 1 + rng.below(3) as u8).min(last_day).max(day);
                headers.push(Header { customer: c as u32, lines: 1, day, is_return: true });
                left -= 1;
            }
        }
        sorted.clear();
        for d in 0..7 {
            sorted.extend(headers.iter().filter(|h| h.day == d));
        }
        // The week's SKUs for its sale lines, by systematic sampling, dealt
        // out in random order. A fast mover is bought by many regular
        // customers, so its weekly line count varies far less than a Poisson
        // count would; independent draws would make every SKU look erratic.
        let sale_lines: usize =
            headers.iter().filter(|h| !h.is_return).map(|h| h.lines as usize).sum();
        slots.clear();
        sku_sampler.systematic(sale_lines, &mut rng, &mut slots);
        for i in (1..slots.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            slots.swap(i, j);
        }
        let mut next_slot = 0;

        for h in &sorted {
            let c = h.customer as usize;
            let cust = &customers[c];
            let day = w * 7 + h.day as usize;
            let region = REGIONS[cust.region];
            order_no += 1;
            if h.is_return {
                if let Some(bought) = history.pick(c, &mut rng) {
                    order_id.clear();
                    order_id.extend_from_slice(b"RT");
                    push_padded(&mut order_id, order_no, id_width);
                    let sku = &skus[bought.sku as usize];
                    let qty = -(1 + rng.below((bought.qty / 2).max(1) as u64) as i64);
                    out.raw(&order_id);
                    out.raw(cal.iso(day));
                    out.raw(cust.code.as_bytes());
                    out.raw(sku.code.as_bytes());
                    out.int(qty);
                    out.cents(bought.price);
                    out.cents(qty * bought.price);
                    out.fixed(bought.cost, 4, 2);
                    out.raw(&sku.weight_text);
                    out.raw(cust.ship_mode.text());
                    out.raw(region.1.as_bytes());
                    out.raw(region.0.as_bytes());
                    out.raw(cust.channel.text());
                    out.empty();
                    out.empty();
                    out.bool(false);
                    out.end();
                    totals.revenue_cents += qty * bought.price;
                    continue;
                }
                // Nothing bought yet to return: an ordinary one-line order instead.
            }
            order_id.clear();
            order_id.extend_from_slice(b"SO");
            push_padded(&mut order_id, order_no, id_width);
            let ship = if rng.chance(0.05) { ShipMode::Express } else { cust.ship_mode };
            let warehouse = if rng.chance(0.06) { BACKUP_WAREHOUSE } else { region.1 };
            let mut promised = day + ship.promise_days();
            match cal.weekday(promised) {
                5 => promised += 2,
                6 => promised += 1,
                _ => {}
            }
            let late = region.2 * if ship == ShipMode::Express { 0.5 } else { 1.0 };
            let delivered = if rng.chance(late) {
                promised + 1 + rng.below(4) as usize
            } else if rng.chance(0.15) && promised - 1 > day {
                promised - 1
            } else {
                promised
            };
            totals.orders += 1;
            chosen.clear();
            for _ in 0..h.lines {
                let s = if next_slot < slots.len() {
                    // An order lists a SKU once: swap a repeat with a later slot.
                    for _ in 0..8 {
                        if !chosen.contains(&slots[next_slot]) {
                            break;
                        }
                        let later =
                            next_slot + rng.below((slots.len() - next_slot) as u64) as usize;
                        slots.swap(next_slot, later);
                    }
                    next_slot += 1;
                    slots[next_slot - 1]
                } else {
                    // A return that found nothing to return became a sale line.
                    sku_sampler.sample(&mut rng) as u32
                };
                chosen.push(s);
                let s = s as usize;
                let sku = &skus[s];
                let promo = sku.promo(wk);
                let qty = quantity(sku, cust, promo, &mut rng);
                let price = sku.price_cents(wk, cust.discount, promo);
                let cost = sku.cost_e4(wk);
                let revenue = qty * price;
                out.raw(&order_id);
                out.raw(cal.iso(day));
                out.raw(cust.code.as_bytes());
                out.raw(sku.code.as_bytes());
                out.int(qty);
                out.cents(price);
                out.cents(revenue);
                out.fixed(cost, 4, 2);
                out.raw(&sku.weight_text);
                out.raw(ship.text());
                out.raw(warehouse.as_bytes());
                out.raw(region.0.as_bytes());
                out.raw(cust.channel.text());
                out.raw(cal.iso(promised));
                out.raw(cal.iso(delivered));
                out.bool(promo);
                out.end();
                history.push(c, Purchase { sku: s as u32, qty, price, cost });
                totals.lines += 1;
                totals.units += qty;
                totals.weight_g += qty * sku.weight_g;
                totals.value_cents += revenue;
                totals.revenue_cents += revenue;
            }
            if !bought[c] {
                bought[c] = true;
                totals.customers += 1;
            }
        }
    }
    (out.buf, totals)
}

/// Units on one line: the SKU's typical quantity scaled by the customer,
/// with the noise of the SKU's pattern.
#[inline]
fn quantity(sku: &Sku, cust: &Customer, promo: bool, rng: &mut Rng) -> i64 {
    if cust.tiny {
        return 1 + i64::from(rng.chance(0.15));
    }
    let base = sku.base_qty * cust.qty_scale;
    let mut x = match sku.pattern {
        Pattern::Intermittent => return sku.pack * if rng.chance(0.1) { 2 } else { 1 },
        Pattern::Smooth | Pattern::Seasonal => base * rng.lognormal_mean1(0.2),
        Pattern::Erratic => {
            let bulk = if rng.chance(0.08) { rng.range(4.0, 10.0) } else { 1.0 };
            base * rng.lognormal_mean1(0.6) * bulk
        }
        Pattern::Lumpy => {
            let bulk = if rng.chance(0.1) { rng.range(3.0, 8.0) } else { 1.0 };
            base * rng.lognormal_mean1(1.0) * bulk
        }
    };
    if promo {
        x *= PROMO_QTY;
    }
    // Stochastic rounding keeps the mean of small quantities.
    ((x + rng.f64()).floor() as i64).max(1)
}
