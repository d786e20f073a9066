//! The product catalogue: who sells how much, in which rhythm, at what price.
//!
//! Revenue follows the Pareto rule by construction. Each SKU draws a
//! popularity rank (a random permutation, so codes say nothing about sales)
//! and from it a revenue weight `w = exp(σ z)`, `z = Φ⁻¹(1 − (rank + ½) / n)`:
//! a log-normal, the usual model of SKU sales, sampled by strata so that its
//! concentration does not depend on `n` or luck. σ = 1.9 puts 80 % of revenue
//! in the top 20 % of SKUs. A pure log-normal or Pareto law would give the
//! single best seller 10–20 % of a 400-SKU catalogue, which no distributor
//! has, so z is compressed above 2 (the top 2 %): the best seller then brings
//! about 4 %. A SKU's share of order lines grows a little more slowly than
//! its revenue, as `w^0.9`, so fast movers also sell more units per line.
//!
//! The expected number of lines per active week, `m`, decides which demand
//! rhythms are possible: only a SKU with several lines a week can look smooth
//! at weekly buckets, and one with less than one a week is intermittent or
//! lumpy whatever we do. Within that, each SKU draws a [`Pattern`].

use crate::math::{cos_turns, exp, inv_normal, pow};
use crate::rng::{tag, Rng};
use crate::write::CsvOut;
use crate::Checked;

/// Log-scale spread of revenue weights: 80 % of revenue in the top 20 % of SKUs.
const SIGMA: f64 = 1.9;
/// Above this z the log-normal is compressed by `TOP_SLOPE`, to tame the best sellers.
const TOP_Z: f64 = 2.0;
const TOP_SLOPE: f64 = 0.3;
/// Lines grow as revenue weight to this power; the rest is units per line.
const LINE_EXPONENT: f64 = 0.9;
/// The line-weighted mean list value of an order line before customer scale, in currency units.
const LINE_VALUE: f64 = 120.0;
/// Expected lines of the slowest SKU over its life.
const MIN_LINES: f64 = 5.0;
/// Yearly list price and cost increases.
const PRICE_INFLATION: f64 = 0.03;
const COST_INFLATION: f64 = 0.025;
/// Promotional price and volume effects.
pub(crate) const PROMO_PRICE: f64 = 0.85;
pub(crate) const PROMO_QTY: f64 = 1.5;
const PROMO_LINES: f64 = 2.5;

/// A product: its name (size included) with the ranges its list price and
/// unit weight (kg) are drawn from, so that descriptions, prices and weights
/// agree.
type Item = (&'static str, f64, f64, f64, f64);

/// A product family: items, brands, perishability, lead times, seasonality.
struct Category {
    name: &'static str,
    prefix: &'static str,
    share: f64,
    brands: &'static [&'static str],
    items: &'static [Item],
    perishable: f64,
    shelf_life_days: (u64, u64),
    lead_time_days: (u64, u64),
    /// Peak day of the year and amplitude range, for seasonal families.
    season: Option<(f64, f64, f64)>,
}

/// Product lines: with brand and item they make descriptions mostly unique.
const LINES: &[&str] = &["", "", "Pro ", "Eco ", "Plus ", "Classic ", "Premium "];

#[rustfmt::skip]
const CATEGORIES: &[Category] = &[
    Category { name: "Beverages", prefix: "BV", share: 0.10, brands: &["Aqua Nova", "Fjord", "Sunvale", "Brisa"],
        items: &[("Sparkling water 6 x 1.5 l", 2.0, 4.5, 9.3, 9.8), ("Still water 24 x 0.5 l", 4.0, 9.0, 12.5, 13.0),
            ("Orange juice 1 l", 1.2, 3.5, 1.05, 1.1), ("Apple juice 6 x 1 l", 6.0, 14.0, 6.3, 6.6),
            ("Cola 24 x 0.33 l, can", 8.0, 18.0, 8.4, 8.8), ("Iced tea 1.5 l", 0.9, 2.5, 1.55, 1.6),
            ("Energy drink 0.25 l", 0.8, 2.2, 0.27, 0.28), ("Cold brew coffee 12 x 0.25 l", 12.0, 25.0, 3.4, 3.6)],
        perishable: 0.3, shelf_life_days: (120, 365), lead_time_days: (5, 14), season: Some((190.0, 0.15, 0.45)) },
    Category { name: "Snacks", prefix: "SN", share: 0.08, brands: &["Crunchies", "Nibbl", "Golden Field", "Mr. Nuts"],
        items: &[("Potato chips 175 g", 1.2, 3.0, 0.18, 0.2), ("Pretzel sticks 250 g", 0.9, 2.2, 0.26, 0.28),
            ("Salted peanuts 500 g", 2.0, 4.5, 0.52, 0.55), ("Chocolate bar 100 g", 0.8, 2.5, 0.1, 0.11),
            ("Müsli bar 12 x 40 g, display box", 5.0, 11.0, 0.5, 0.55), ("Rice crackers 130 g", 1.0, 2.5, 0.14, 0.15),
            ("Gummy bears 1 kg", 4.0, 9.0, 1.02, 1.05), ("Cookies 200 g", 1.2, 3.5, 0.21, 0.23)],
        perishable: 0.4, shelf_life_days: (60, 270), lead_time_days: (5, 21), season: None },
    Category { name: "Dairy", prefix: "DY", share: 0.05, brands: &["Alpine", "Green Meadow", "Nordhof"],
        items: &[("Whole milk 1 l", 0.8, 1.6, 1.03, 1.05), ("Natural yoghurt 500 g", 0.9, 2.2, 0.52, 0.54),
            ("Butter 250 g", 1.8, 3.5, 0.25, 0.26), ("Cheddar 200 g", 2.0, 4.5, 0.2, 0.21),
            ("Cream cheese 175 g", 1.2, 2.8, 0.18, 0.19), ("Crème fraîche 200 g", 0.9, 2.0, 0.2, 0.21),
            ("Skyr 450 g", 1.5, 3.0, 0.46, 0.47), ("Oat drink 1 l", 1.2, 2.8, 1.04, 1.06)],
        perishable: 1.0, shelf_life_days: (7, 45), lead_time_days: (2, 5), season: None },
    Category { name: "Household", prefix: "HH", share: 0.10, brands: &["Brillo", "CleanMaster", "Eco Home"],
        items: &[("Dish soap 500 ml", 1.0, 3.0, 0.53, 0.56), ("Laundry detergent 5 l", 9.0, 25.0, 5.3, 5.5),
            ("All-purpose cleaner 1 l", 1.5, 4.5, 1.05, 1.1), ("Sponges, pack of 10", 1.5, 4.0, 0.1, 0.12),
            ("Trash bags 60 l, roll of 20", 2.0, 6.0, 0.4, 0.5), ("Glass cleaner 750 ml", 1.5, 4.0, 0.8, 0.85),
            ("Descaler 1 l", 3.0, 8.0, 1.1, 1.15)],
        perishable: 0.0, shelf_life_days: (0, 0), lead_time_days: (7, 28), season: None },
    Category { name: "Personal Care", prefix: "PC", share: 0.08, brands: &["Pura", "Vitalis", "Derma Care"],
        items: &[("Hand soap 300 ml, pump", 1.2, 4.0, 0.33, 0.35), ("Shampoo 250 ml", 2.0, 7.0, 0.27, 0.29),
            ("Toothpaste 75 ml", 1.0, 4.0, 0.1, 0.11), ("Shower gel 250 ml", 1.5, 5.0, 0.27, 0.29),
            ("Deodorant 150 ml", 2.0, 6.0, 0.14, 0.16), ("Hand cream 50 ml", 2.0, 8.0, 0.06, 0.07),
            ("Hand sanitiser 5 l", 15.0, 40.0, 4.6, 4.8)],
        perishable: 0.0, shelf_life_days: (0, 0), lead_time_days: (7, 35), season: None },
    Category { name: "Paper Goods", prefix: "PG", share: 0.07, brands: &["Softis", "Papyra", "WhiteLine"],
        items: &[("Toilet paper, 24 rolls", 6.0, 15.0, 2.6, 2.9), ("Kitchen towels, 8 rolls", 4.0, 10.0, 1.3, 1.5),
            ("Facial tissues, box of 100", 0.9, 2.5, 0.2, 0.22), ("Napkins 33 x 33 cm, 250 pcs", 3.0, 8.0, 0.9, 1.0),
            ("Copy paper A4, box of 5 reams", 18.0, 35.0, 12.4, 12.6), ("Paper cups 200 ml, 1000 pcs", 20.0, 45.0, 4.5, 5.0)],
        perishable: 0.0, shelf_life_days: (0, 0), lead_time_days: (10, 30), season: None },
    Category { name: "Office Supplies", prefix: "OS", share: 0.09, brands: &["Scriptor", "OfficeLine", "Nota"],
        items: &[("Ballpoint pen, blue, box of 50", 5.0, 20.0, 0.3, 0.35), ("Stapler 24/6", 4.0, 20.0, 0.2, 0.35),
            ("Lever arch file A4, 80 mm", 1.5, 5.0, 0.45, 0.5), ("Sticky notes 76 x 76 mm, 12 pads", 4.0, 12.0, 0.5, 0.55),
            ("Highlighter, assorted colours, 4 pcs", 2.0, 7.0, 0.06, 0.08), ("Envelopes C5, box of 500", 12.0, 30.0, 4.0, 4.5),
            ("Whiteboard marker, black", 0.8, 3.0, 0.015, 0.02), ("Desk organiser", 8.0, 35.0, 0.4, 1.2)],
        perishable: 0.0, shelf_life_days: (0, 0), lead_time_days: (7, 30), season: None },
    Category { name: "Packaging", prefix: "PK", share: 0.08, brands: &["PackRight", "Flexo", "Cartona"],
        items: &[("Stretch film 500 mm x 300 m", 8.0, 20.0, 2.2, 2.5), ("Packing tape 50 mm x 66 m", 0.8, 3.0, 0.18, 0.2),
            ("Cardboard box 400 x 300 x 200 mm", 0.6, 2.0, 0.45, 0.55), ("Bubble wrap 1 m x 100 m", 15.0, 40.0, 3.5, 4.5),
            ("Shipping labels 100 x 150 mm, 500 pcs", 5.0, 15.0, 0.7, 0.9), ("Void fill paper 5 kg", 8.0, 20.0, 5.0, 5.2)],
        perishable: 0.0, shelf_life_days: (0, 0), lead_time_days: (5, 21), season: None },
    Category { name: "Hardware", prefix: "HW", share: 0.12, brands: &["Forge", "Steelco", "Fixit"],
        items: &[("Hex bolt M8x40, zinc plated", 0.08, 0.4, 0.02, 0.025), ("Wood screw 4x30, box of 200", 2.0, 7.0, 0.45, 0.5),
            ("Wall plug 8 mm, box of 100", 1.5, 5.0, 0.1, 0.12), ("Door hinge 100 mm, stainless", 3.0, 12.0, 0.18, 0.22),
            ("Padlock 40 mm", 5.0, 25.0, 0.2, 0.3), ("Cable tie 200 mm, black, 100 pcs", 1.5, 5.0, 0.12, 0.14),
            ("Claw hammer 500 g", 8.0, 30.0, 0.7, 0.8), ("Screwdriver set, 6 pcs", 10.0, 45.0, 0.5, 0.7),
            ("Pipe clamp 3/4\"", 0.5, 2.5, 0.05, 0.07)],
        perishable: 0.0, shelf_life_days: (0, 0), lead_time_days: (14, 60), season: None },
    Category { name: "Electrical", prefix: "EL", share: 0.10, brands: &["Voltra", "Luxo", "Elektra"],
        items: &[("LED bulb E27, 9 W", 1.5, 6.0, 0.05, 0.07), ("LED panel 60 x 60 cm, 40 W", 20.0, 70.0, 2.8, 3.5),
            ("Extension cord 3 m, 5-way", 6.0, 20.0, 0.6, 0.8), ("Installation cable 3 x 1.5 mm², 50 m", 30.0, 80.0, 5.5, 6.5),
            ("Light switch, white", 2.0, 12.0, 0.06, 0.09), ("Wall socket, white", 2.0, 12.0, 0.07, 0.1),
            ("Circuit breaker 16 A", 3.0, 15.0, 0.11, 0.13), ("Monitor 24\"", 110.0, 260.0, 3.4, 4.5)],
        perishable: 0.0, shelf_life_days: (0, 0), lead_time_days: (21, 70), season: None },
    Category { name: "Garden", prefix: "GD", share: 0.07, brands: &["Greenline", "Hortus", "Terra"],
        items: &[("Garden hose 25 m", 15.0, 50.0, 2.5, 4.0), ("Potting soil 40 l", 3.0, 9.0, 14.0, 18.0),
            ("Lawn seed 2.5 kg", 15.0, 40.0, 2.5, 2.6), ("Pruning shears", 10.0, 40.0, 0.2, 0.3),
            ("Planter 30 cm, terracotta", 6.0, 25.0, 2.0, 4.0), ("Oscillating sprinkler", 12.0, 45.0, 0.6, 1.0),
            ("Lawn fertiliser 10 kg", 15.0, 40.0, 10.0, 10.3), ("Parasol 3 m", 60.0, 250.0, 8.0, 14.0)],
        perishable: 0.0, shelf_life_days: (0, 0), lead_time_days: (14, 45), season: Some((140.0, 0.6, 0.95)) },
    Category { name: "Heating", prefix: "HT", share: 0.06, brands: &["Calora", "ThermoTec", "Nordwarm"],
        items: &[("Radiator valve 1/2\"", 8.0, 35.0, 0.3, 0.45), ("Room thermostat, smart", 50.0, 200.0, 0.2, 0.35),
            ("Electric heater 2 kW", 30.0, 120.0, 3.0, 6.0), ("Wood pellets 15 kg", 4.0, 9.0, 15.0, 15.2),
            ("Boiler filter 22 mm", 60.0, 180.0, 1.5, 2.5), ("Circulation pump 25-60", 90.0, 300.0, 2.0, 3.0),
            ("Panel radiator type 22, 600 x 1000 mm", 120.0, 300.0, 25.0, 32.0)],
        perishable: 0.0, shelf_life_days: (0, 0), lead_time_days: (21, 70), season: Some((10.0, 0.6, 0.95)) },
];

/// The demand rhythm a SKU is built to show at weekly buckets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// Steady demand every week, modest line sizes.
    Smooth,
    /// Steady but with a strong yearly wave.
    Seasonal,
    /// Sold most weeks, but weekly volumes swing (bulk orders, noisy weeks).
    Erratic,
    /// Sold in some weeks only, in fixed pack quantities.
    Intermittent,
    /// Sold in some weeks only, in very uneven quantities.
    Lumpy,
}

/// Where a SKU is in its life, as the products file reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lifecycle {
    New,
    Active,
    Eol,
}

/// One SKU: its master data and the parameters of its demand.
pub(crate) struct Sku {
    pub(crate) code: String,
    description: String,
    category: usize,
    /// List price in the first year, currency units.
    list_price: f64,
    /// Unit cost as a fraction of the list price.
    cost_ratio: f64,
    /// `weight_kg` as written (grams / 1000, trimmed).
    pub(crate) weight_text: Vec<u8>,
    pub(crate) weight_g: i64,
    pub(crate) pattern: Pattern,
    /// In the products file but never sold.
    dormant: bool,
    lifecycle: Lifecycle,
    /// Sold in weeks `start_week..end_week`.
    start_week: u32,
    end_week: u32,
    /// Relative lines per active week.
    line_weight: f64,
    /// Mean units per line at customer scale 1.
    pub(crate) base_qty: f64,
    /// The fixed pack an intermittent SKU is sold in.
    pub(crate) pack: i64,
    season_amp: f64,
    season_peak_day: f64,
    trend: f64,
    /// Probability that a week is "on" for pulse-driven (intermittent, lumpy) SKUs.
    on_prob: f64,
    /// First weeks of two-week promotions.
    promo_starts: Vec<u32>,
    perishable: bool,
    shelf_life_days: u64,
    strategic: bool,
    lead_time_days: u64,
    lead_time_sd_tenths: i64,
    moq: i64,
    order_multiple: i64,
    holding_rate_pct: i64,
    on_hand: i64,
}

impl Sku {
    /// Whether week `w` is a promotion week.
    #[inline]
    pub(crate) fn promo(&self, w: u32) -> bool {
        self.promo_starts.iter().any(|&s| w >= s && w < s + 2)
    }

    /// Net unit price in cents for a customer discount, in week `w`. Never
    /// at or below the unit cost, which rounding to cents could otherwise
    /// cause for the cheapest items.
    #[inline]
    pub(crate) fn price_cents(&self, w: u32, discount: f64, promo: bool) -> i64 {
        let year = f64::from(w / 52);
        let promo = if promo { PROMO_PRICE } else { 1.0 };
        let p = self.list_price * (1.0 + PRICE_INFLATION * year) * (1.0 - discount) * promo;
        ((p * 100.0).round() as i64).max(self.cost_e4(w) / 100 + 1)
    }

    /// Standard unit cost in 1/10,000 currency units, in week `w` (updated yearly).
    #[inline]
    pub(crate) fn cost_e4(&self, w: u32) -> i64 {
        let year = f64::from(w / 52);
        let c = self.list_price * self.cost_ratio * (1.0 + COST_INFLATION * year);
        ((c * 10_000.0).round() as i64).max(1)
    }

    /// The SKU's plain line weight (0 if never sold): the fallback for a week
    /// in which every intensity is zero.
    pub(crate) fn intensity_floor(&self) -> f64 {
        if self.dormant {
            0.0
        } else {
            self.line_weight
        }
    }

    /// The relative chance that a line of week `w` is for this SKU.
    /// `year_turns` is the week's position in the year (0..1), for the seasonal wave.
    pub(crate) fn intensity(
        &self,
        seed: u64,
        index: usize,
        w: u32,
        weeks: u32,
        year_turns: f64,
    ) -> f64 {
        if self.dormant || w < self.start_week || w >= self.end_week {
            return 0.0;
        }
        let mut f = self.line_weight;
        if self.season_amp > 0.0 {
            f *= 1.0 + self.season_amp * cos_turns(year_turns - self.season_peak_day / 365.25);
        }
        f *= 1.0 + self.trend * ((f64::from(w) + 0.5) / f64::from(weeks) - 0.5);
        match self.lifecycle {
            Lifecycle::New => f *= (f64::from(w - self.start_week + 1) / 6.0).min(1.0),
            Lifecycle::Eol => f *= (f64::from(self.end_week - w) / 8.0).min(1.0),
            Lifecycle::Active => {}
        }
        let mut rng = Rng::stream2(seed, tag::SKU_WEEK, index as u64, u64::from(w));
        match self.pattern {
            Pattern::Smooth | Pattern::Seasonal => f *= rng.range(0.9, 1.1),
            Pattern::Erratic => f *= rng.lognormal_mean1(0.9),
            Pattern::Intermittent | Pattern::Lumpy => {
                if self.on_prob < 1.0 {
                    f = if rng.chance(self.on_prob) { f / self.on_prob } else { 0.0 };
                }
            }
        }
        if !self.promo_starts.is_empty() && self.promo(w) {
            f *= PROMO_LINES;
        }
        f
    }
}

/// Builds every SKU of the catalogue.
pub(crate) fn build(p: &Checked) -> Vec<Sku> {
    let n = p.skus;
    let weeks = p.weeks;
    // A random permutation of popularity ranks (Fisher–Yates).
    let mut rank: Vec<usize> = (0..n).collect();
    let mut rng = Rng::stream(p.seed, tag::RANK, 0);
    for i in (1..n).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        rank.swap(i, j);
    }
    let dormant_count = if n >= 20 { (n / 100).max(1) } else { 0 };
    let code_width = 5.max(digits(n as u64 + 10_000));

    // Pass 1: master data and revenue weights, each SKU from its own stream.
    let cat_shares: Vec<f64> = CATEGORIES.iter().map(|c| c.share).collect();
    let mut rngs = Vec::with_capacity(n);
    let mut revenue_weight = Vec::with_capacity(n);
    let mut skus: Vec<Sku> = (0..n)
        .map(|i| {
            let mut rng = Rng::stream(p.seed, tag::SKU, i as u64);
            let category = rng.weighted(&cat_shares);
            let cat = &CATEGORIES[category];
            let &(item, price_lo, price_hi, kg_lo, kg_hi) = rng.pick(cat.items);
            let description = format!("{} {}{item}", rng.pick(cat.brands), rng.pick(LINES));
            let list_price = rng.log_uniform(price_lo, price_hi);
            let cost_ratio = rng.range(0.50, 0.66);
            let weight_g = ((rng.range(kg_lo, kg_hi) * 1000.0).round() as i64).max(1);
            let mut weight_text = Vec::new();
            crate::write::push_fixed(&mut weight_text, weight_g, 3, 1);
            let r = rank[i];
            let z = -inv_normal((r as f64 + 0.5) / n as f64);
            let z = if z > TOP_Z { TOP_Z + (z - TOP_Z) * TOP_SLOPE } else { z };
            let w = exp(SIGMA * z) * rng.lognormal_mean1(0.3);
            let dormant = r >= n - dormant_count;
            let mut lifecycle = Lifecycle::Active;
            let (mut start_week, mut end_week) = (0, weeks);
            let x = rng.f64();
            if dormant {
                if x < 0.5 {
                    lifecycle = Lifecycle::New;
                    start_week = weeks;
                }
            } else if weeks >= 26 && r > 0 {
                if x < 0.06 {
                    lifecycle = Lifecycle::New;
                    start_week = weeks / 3 + rng.below(u64::from(weeks - weeks / 3 - 8)) as u32;
                } else if x < 0.11 {
                    lifecycle = Lifecycle::Eol;
                    end_week = weeks / 4 + rng.below(u64::from(weeks / 2)) as u32;
                }
            }
            let perishable = rng.chance(cat.perishable);
            let shelf_life_days = if perishable {
                cat.shelf_life_days.0 + rng.below(cat.shelf_life_days.1 - cat.shelf_life_days.0 + 1)
            } else {
                0
            };
            let lead_time_days =
                cat.lead_time_days.0 + rng.below(cat.lead_time_days.1 - cat.lead_time_days.0 + 1);
            let lead_time_sd_tenths =
                (lead_time_days as f64 * rng.range(0.05, 0.35) * 10.0).round() as i64;
            let strategic = rng.chance(0.03);
            let holding_rate_pct =
                if perishable { 30 + rng.below(11) as i64 } else { 18 + rng.below(13) as i64 };
            revenue_weight.push(if dormant { 0.0 } else { w });
            rngs.push(rng);
            Sku {
                code: code(cat.prefix, i, code_width),
                description,
                category,
                list_price,
                cost_ratio,
                weight_text,
                weight_g,
                pattern: Pattern::Smooth,
                dormant,
                lifecycle,
                start_week,
                end_week,
                line_weight: 0.0,
                base_qty: 1.0,
                pack: 1,
                season_amp: 0.0,
                season_peak_day: 0.0,
                trend: 0.0,
                on_prob: 1.0,
                promo_starts: Vec::new(),
                perishable,
                shelf_life_days,
                strategic,
                lead_time_days,
                lead_time_sd_tenths,
                moq: 1,
                order_multiple: 1,
                holding_rate_pct,
                on_hand: 0,
            }
        })
        .collect();

    // Pass 2: split revenue into lines and units per line. Where a line would
    // hold less than one unit, the SKU gets fewer lines of one unit instead,
    // so its revenue share is kept.
    let sum_w: f64 = revenue_weight.iter().sum();
    let sum_l: f64 = revenue_weight.iter().map(|&w| pow_or_zero(w, LINE_EXPONENT)).sum();
    let k = if sum_w > 0.0 { LINE_VALUE * sum_l / sum_w } else { 0.0 };
    for (sku, &w) in skus.iter_mut().zip(&revenue_weight) {
        if w <= 0.0 {
            continue;
        }
        let mut l = pow(w, LINE_EXPONENT);
        let mut q = w / l * k / sku.list_price;
        if q < 1.0 {
            l *= q;
            q = 1.0;
        }
        sku.line_weight = l;
        sku.base_qty = q;
    }

    // Pass 3: the demand rhythm, from the expected lines per active week.
    // Every SKU that sells is expected to sell a few lines over its life, so
    // that "never sold" stays the mark of the few dormant SKUs.
    let active_weeks = |s: &Sku| f64::from(s.end_week.saturating_sub(s.start_week));
    let exposure: f64 = skus.iter().map(|s| s.line_weight * active_weeks(s)).sum();
    if exposure > 0.0 {
        let floor = MIN_LINES * exposure / p.lines.max(1) as f64;
        for s in skus.iter_mut().filter(|s| s.line_weight > 0.0) {
            s.line_weight = s.line_weight.max(floor / active_weeks(s));
        }
    }
    let exposure: f64 = skus.iter().map(|s| s.line_weight * active_weeks(s)).sum();
    for (sku, rng) in skus.iter_mut().zip(&mut rngs) {
        let m = if exposure > 0.0 { p.lines as f64 * sku.line_weight / exposure } else { 0.0 };
        shape(sku, m, rng);
    }
    skus
}

/// `w^e`, or 0 for a zero weight.
fn pow_or_zero(w: f64, e: f64) -> f64 {
    if w > 0.0 {
        pow(w, e)
    } else {
        0.0
    }
}

/// Chooses the pattern and its parameters for a SKU expected to sell `m`
/// lines per active week, and derives replenishment data from the volume.
fn shape(sku: &mut Sku, m: f64, rng: &mut Rng) {
    let x = rng.f64();
    sku.pattern = if m >= 4.0 {
        match x {
            x if x < 0.55 => Pattern::Smooth,
            x if x < 0.80 => Pattern::Seasonal,
            _ => Pattern::Erratic,
        }
    } else if m >= 1.5 {
        match x {
            x if x < 0.25 => Pattern::Smooth,
            x if x < 0.35 => Pattern::Seasonal,
            x if x < 0.75 => Pattern::Erratic,
            x if x < 0.875 => Pattern::Intermittent,
            _ => Pattern::Lumpy,
        }
    } else if x < 0.5 {
        Pattern::Intermittent
    } else {
        Pattern::Lumpy
    };
    let cat = &CATEGORIES[sku.category];
    if let Some((peak, lo, hi)) = cat.season {
        sku.season_peak_day = peak + rng.range(-20.0, 20.0);
        sku.season_amp = rng.range(lo, hi);
    } else if sku.pattern == Pattern::Seasonal {
        sku.season_peak_day = rng.range(0.0, 365.0);
        sku.season_amp = rng.range(0.5, 0.85);
    }
    sku.trend = rng.range(-0.4, 0.4);
    if matches!(sku.pattern, Pattern::Intermittent | Pattern::Lumpy) && m > 0.6 {
        sku.on_prob = (1.2 / m).clamp(0.15, 0.6);
    }
    sku.pack = (sku.base_qty.round() as i64).max(1);
    let active = sku.end_week.saturating_sub(sku.start_week);
    if matches!(sku.pattern, Pattern::Smooth | Pattern::Seasonal | Pattern::Erratic)
        && m >= 1.0
        && active > 4
        && rng.chance(0.1)
    {
        for _ in 0..1 + rng.below(3) {
            let s = sku.start_week + rng.below(u64::from(active - 2)) as u32;
            sku.promo_starts.push(s);
        }
    }
    // Replenishment: packs and minimums by unit cost, stock by weeks of cover.
    let cost = sku.list_price * sku.cost_ratio;
    let multiples: &[i64] = match cost {
        c if c < 0.5 => &[50, 100, 250],
        c if c < 3.0 => &[6, 12, 24],
        c if c < 20.0 => &[1, 4, 6, 10],
        c if c < 100.0 => &[1, 2],
        _ => &[1],
    };
    sku.order_multiple = *rng.pick(multiples);
    sku.moq = sku.order_multiple * if cost < 100.0 { 1 + rng.below(4) as i64 } else { 1 };
    let weekly_units = m * sku.base_qty * 1.3;
    sku.on_hand = if sku.dormant {
        5 + rng.below(200) as i64
    } else if sku.lifecycle == Lifecycle::Eol {
        (weekly_units * rng.range(0.0, 1.5)).round() as i64
    } else {
        (weekly_units * rng.range(2.0, 10.0)).round() as i64
    };
}

fn digits(mut v: u64) -> usize {
    let mut d = 1;
    while v >= 10 {
        v /= 10;
        d += 1;
    }
    d
}

/// `HW-10042`: the family prefix and a number unique across the catalogue.
fn code(prefix: &str, index: usize, width: usize) -> String {
    let mut b = Vec::with_capacity(prefix.len() + 1 + width);
    b.extend_from_slice(prefix.as_bytes());
    b.push(b'-');
    crate::write::push_padded(&mut b, 10_001 + index as u64, width);
    String::from_utf8(b).expect("ASCII code")
}

/// The products file.
pub(crate) fn write(skus: &[Sku], weeks: u32) -> Vec<u8> {
    let mut out = CsvOut::with_header(
        skus.len() * 120,
        "sku,description,category,unit_cost,weight_kg,lead_time_days,lead_time_sd_days,moq,\
         order_multiple,lifecycle,perishable,strategic,holding_rate,on_hand,shelf_life_days",
    );
    let last_week = weeks.saturating_sub(1);
    for s in skus {
        out.raw(s.code.as_bytes());
        out.text(&s.description);
        out.text(CATEGORIES[s.category].name);
        out.fixed(s.cost_e4(last_week), 4, 2);
        out.raw(&s.weight_text);
        out.int(s.lead_time_days as i64);
        out.fixed(s.lead_time_sd_tenths, 1, 1);
        out.int(s.moq);
        out.int(s.order_multiple);
        out.raw(match s.lifecycle {
            Lifecycle::New => b"new",
            Lifecycle::Active => b"active",
            Lifecycle::Eol => b"eol",
        });
        out.bool(s.perishable);
        out.bool(s.strategic);
        out.fixed(s.holding_rate_pct, 2, 2);
        out.int(s.on_hand);
        if s.perishable {
            out.int(s.shelf_life_days as i64);
        } else {
            out.empty();
        }
        out.end();
    }
    out.buf
}
