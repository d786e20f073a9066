//! The customer base: skewed sizes, three channels, four regions, and a few
//! accounts that order tiny amounts very often, which cost-to-serve should
//! expose as unprofitable.

use crate::rng::{tag, Rng};
use crate::write::CsvOut;
use crate::Checked;

/// Sales channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Channel {
    Wholesale,
    Retail,
    ECommerce,
}

impl Channel {
    pub(crate) fn text(self) -> &'static [u8] {
        match self {
            Channel::Wholesale => b"Wholesale",
            Channel::Retail => b"Retail",
            Channel::ECommerce => b"E-commerce",
        }
    }
}

/// Default shipping method of a customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ShipMode {
    Standard,
    Express,
    Pallet,
}

impl ShipMode {
    pub(crate) fn text(self) -> &'static [u8] {
        match self {
            ShipMode::Standard => b"Standard",
            ShipMode::Express => b"Express",
            ShipMode::Pallet => b"Pallet",
        }
    }

    /// Days from order to promised delivery.
    pub(crate) fn promise_days(self) -> usize {
        match self {
            ShipMode::Express => 1,
            ShipMode::Standard => 3,
            ShipMode::Pallet => 5,
        }
    }
}

/// Sales region, with the warehouse that normally serves it and how often
/// its deliveries are late.
pub(crate) const REGIONS: [(&str, &str, f64); 4] = [
    ("North", "DC-North", 0.06),
    ("South", "DC-South", 0.10),
    ("East", "DC-Central", 0.08),
    ("West", "DC-Central", 0.14),
];

/// The warehouse that ships when the regional one is short.
pub(crate) const BACKUP_WAREHOUSE: &str = "DC-Central";

/// One customer account and its ordering habits.
pub(crate) struct Customer {
    pub(crate) code: String,
    name: String,
    pub(crate) channel: Channel,
    pub(crate) region: usize,
    strategic: bool,
    target_service_pct: i64,
    /// Orders tiny quantities very often.
    pub(crate) tiny: bool,
    /// Relative orders per week.
    pub(crate) order_rate: f64,
    /// Mean lines per order.
    pub(crate) mean_lines: f64,
    /// Multiplies the units per line.
    pub(crate) qty_scale: f64,
    /// Discount off list price.
    pub(crate) discount: f64,
    pub(crate) ship_mode: ShipMode,
    /// Orders in weeks `start_week..end_week`.
    pub(crate) start_week: u32,
    pub(crate) end_week: u32,
}

#[rustfmt::skip]
const NAME_FIRST: &[&str] = &[
    "Alder", "Birch", "Cedar", "Summit", "Harbor", "Northgate", "Riverside", "Müller", "O'Brien",
    "Lakeside", "Greenfield", "Hillcrest", "Oakwood", "Westbrook", "Stonebridge", "Fairview",
    "Kingsley", "Bellamy", "Novak", "Lindqvist", "Moreau", "Castell", "Brightwater", "Redwood",
];
#[rustfmt::skip]
const NAME_SECOND: &[&str] = &[
    "Trading", "Supplies", "Stores", "Market", "Wholesale", "Retail", "Shop", "Online", "Depot",
    "& Sons", "Distribution", "Hospitality",
];
const NAME_SUFFIX: &[&str] = &["Ltd.", "Inc.", "GmbH", "Co., Ltd.", "LLC", "S.A.", "B.V."];

/// Builds every customer, each from its own stream.
pub(crate) fn build(p: &Checked) -> Vec<Customer> {
    let weeks = p.weeks;
    (0..p.customers)
        .map(|c| {
            let mut rng = Rng::stream(p.seed, tag::CUSTOMER, c as u64);
            // Customer 0 is an ordinary account that orders all the time, so
            // every week has someone to order.
            let tiny = c > 0 && rng.chance(0.06);
            let channel = if tiny {
                if rng.chance(0.6) {
                    Channel::Retail
                } else {
                    Channel::ECommerce
                }
            } else {
                [Channel::Wholesale, Channel::Retail, Channel::ECommerce]
                    [rng.weighted(&[0.2, 0.45, 0.35])]
            };
            let region = rng.weighted(&[0.30, 0.25, 0.20, 0.25]);
            let size = rng.lognormal_mean1(1.0);
            let habit = rng.lognormal_mean1(0.3);
            let (order_rate, mean_lines, qty_scale, discount, ship_mode) = if tiny {
                let mode = if rng.chance(0.7) { ShipMode::Express } else { ShipMode::Standard };
                (3.0 * rng.lognormal_mean1(0.3), 1.2, 0.0, 0.0, mode)
            } else {
                match channel {
                    Channel::Wholesale => (
                        1.0 * size,
                        9.0 * habit,
                        2.0 * rng.lognormal_mean1(0.25),
                        rng.range(0.05, 0.18),
                        if rng.chance(0.7) { ShipMode::Pallet } else { ShipMode::Standard },
                    ),
                    Channel::Retail => (
                        0.5 * size,
                        5.0 * habit,
                        rng.lognormal_mean1(0.25),
                        rng.range(0.0, 0.10),
                        if rng.chance(0.8) { ShipMode::Standard } else { ShipMode::Pallet },
                    ),
                    Channel::ECommerce => (
                        0.4 * size,
                        2.2 * habit,
                        0.6 * rng.lognormal_mean1(0.25),
                        rng.range(0.0, 0.05),
                        if rng.chance(0.6) { ShipMode::Standard } else { ShipMode::Express },
                    ),
                }
            };
            let strategic = !tiny
                && rng.chance(match channel {
                    Channel::Wholesale => 0.15,
                    Channel::Retail => 0.03,
                    Channel::ECommerce => 0.01,
                });
            let target_service_pct = match (strategic, tiny, channel) {
                (true, _, _) => 98,
                (_, true, _) => 90,
                (_, _, Channel::Wholesale) => 97,
                _ => 95,
            };
            let (mut start_week, mut end_week) = (0, weeks);
            let x = rng.f64();
            if c > 0 && weeks >= 12 {
                if x < 0.08 {
                    start_week = weeks / 4 + rng.below(u64::from(weeks / 2)) as u32;
                } else if x < 0.14 {
                    end_week = weeks / 4 + rng.below(u64::from(weeks / 2)) as u32;
                }
            }
            let name = {
                let suffix = rng.pick(NAME_SUFFIX);
                format!("{} {} {}", rng.pick(NAME_FIRST), rng.pick(NAME_SECOND), suffix)
            };
            let mut code = Vec::with_capacity(8);
            code.extend_from_slice(b"CU");
            crate::write::push_padded(&mut code, c as u64 + 1, 5);
            Customer {
                code: String::from_utf8(code).expect("ASCII code"),
                name,
                channel,
                region,
                strategic,
                target_service_pct,
                tiny,
                order_rate,
                mean_lines,
                qty_scale,
                discount,
                ship_mode,
                start_week,
                end_week,
            }
        })
        .collect()
}

/// The customers file.
pub(crate) fn write(customers: &[Customer]) -> Vec<u8> {
    let mut out = CsvOut::with_header(
        customers.len() * 64,
        "customer_id,name,channel,region,strategic,target_service_level",
    );
    for c in customers {
        out.raw(c.code.as_bytes());
        out.text(&c.name);
        out.raw(c.channel.text());
        out.raw(REGIONS[c.region].0.as_bytes());
        out.bool(c.strategic);
        out.fixed(c.target_service_pct, 2, 2);
        out.end();
    }
    out.buf
}
