//! Inventory policy per SKU (SPEC §4): safety stock with lead-time
//! variability, reorder point, EOQ rounded to MOQ and order multiples,
//! min/max, average inventory, fill rate and expected stockouts.
//!
//! All quantities are in units and all times in buckets of the demand series,
//! except days of supply (days) and values (currency).

use crate::classify::SkuClass;
use crate::config::Config;
use crate::dataset::Dataset;
use crate::demand::{Demand, SkuSummary};
use crate::normal;
use crate::quality::DqReport;
use serde::{Deserialize, Serialize};

/// What a policy is computed from, for one SKU.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolicyInputs {
    /// Target cycle service level (CSL).
    pub service_level: f64,
    /// `d`: mean demand per bucket.
    pub mean_demand: f64,
    /// `σd`: population standard deviation of demand per bucket.
    pub std_demand: f64,
    /// `L`: lead time in buckets.
    pub lead_time: f64,
    /// `σL`: lead-time standard deviation in buckets.
    pub lead_time_sd: f64,
    /// Buckets per year.
    pub buckets_per_year: f64,
    /// Unit cost (`None` when unknown: no holding cost, no EOQ).
    pub unit_cost: Option<f64>,
    /// Annual holding rate.
    pub holding_rate: f64,
    /// `S`: cost per replenishment order.
    pub ordering_cost: f64,
    /// Minimum order quantity.
    pub moq: f64,
    /// Order multiple (≥ 1 after the ≤ 0 → 1 rule).
    pub order_multiple: f64,
}

/// The policy of one SKU. Figures that need an order quantity are `None`
/// when there is no EOQ (annual demand or holding cost is 0).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// Target cycle service level.
    pub service_level: f64,
    /// `z = Φ⁻¹(CSL)`.
    pub z: f64,
    /// `σLT = sqrt(L σd² + d² σL²)`.
    pub sigma_lead_time_demand: f64,
    /// `z × σLT`.
    pub safety_stock: f64,
    /// `d × L + safety stock`; also the policy's min.
    pub reorder_point: f64,
    /// `D = d × buckets per year`.
    pub annual_demand: f64,
    /// `sqrt(2 D S / H)`.
    pub eoq: Option<f64>,
    /// `max(moq, ceil(eoq / multiple) × multiple)`.
    pub order_qty: Option<f64>,
    /// `reorder point + order quantity`.
    pub max: Option<f64>,
    /// `safety stock + order quantity / 2`, in units.
    pub avg_inventory: Option<f64>,
    /// Average inventory × unit cost.
    pub avg_inventory_value: Option<f64>,
    /// Safety stock × unit cost.
    pub safety_stock_value: Option<f64>,
    /// `average inventory / (D / 365.25)`.
    pub days_of_supply: Option<f64>,
    /// `1 − σLT × G(z) / order quantity`.
    pub fill_rate: Option<f64>,
    /// `(D / order quantity) × (1 − CSL)`.
    pub stockouts_per_year: Option<f64>,
}

/// Computes one policy from its inputs (SPEC §4).
///
/// # Example
/// ```
/// use segscope_core::policy::{compute, PolicyInputs};
/// // inventorize's reorder point example: d = 50/day, σd = 5, L = 6 days, CSL 0.90.
/// let p = compute(&PolicyInputs {
///     service_level: 0.90, mean_demand: 50.0, std_demand: 5.0, lead_time: 6.0,
///     lead_time_sd: 0.0, buckets_per_year: 365.25, unit_cost: None,
///     holding_rate: 0.25, ordering_cost: 50.0, moq: 1.0, order_multiple: 1.0,
/// });
/// assert!((p.reorder_point - 315.6957370732461).abs() < 1e-9);
/// ```
pub fn compute(i: &PolicyInputs) -> Policy {
    let z = normal::inverse_cdf(i.service_level);
    let (d, l) = (i.mean_demand, i.lead_time);
    let sigma = (l * i.std_demand.powi(2) + d * d * i.lead_time_sd.powi(2)).sqrt();
    let safety_stock = z * sigma;
    let reorder_point = d * l + safety_stock;
    let annual_demand = d * i.buckets_per_year;
    let holding = i.unit_cost.map_or(0.0, |c| i.holding_rate * c);
    let eoq = (annual_demand > 0.0 && holding > 0.0)
        .then(|| (2.0 * annual_demand * i.ordering_cost / holding).sqrt());
    let multiple = if i.order_multiple > 0.0 { i.order_multiple } else { 1.0 };
    let order_qty = eoq.map(|q| i.moq.max((q / multiple).ceil() * multiple));
    // A zero order quantity (EOQ 0 with no MOQ) cannot define a cycle.
    let order_qty = order_qty.filter(|q| *q > 0.0);
    let avg_inventory = order_qty.map(|q| safety_stock + q / 2.0);
    Policy {
        service_level: i.service_level,
        z,
        sigma_lead_time_demand: sigma,
        safety_stock,
        reorder_point,
        annual_demand,
        eoq,
        order_qty,
        max: order_qty.map(|q| reorder_point + q),
        avg_inventory,
        avg_inventory_value: avg_inventory.zip(i.unit_cost).map(|(a, c)| a * c),
        safety_stock_value: i.unit_cost.map(|c| safety_stock * c),
        days_of_supply: avg_inventory.map(|a| a / (annual_demand / 365.25)),
        fill_rate: order_qty.map(|q| 1.0 - sigma * normal::loss(z) / q),
        stockouts_per_year: order_qty.map(|q| annual_demand / q * (1.0 - i.service_level)),
    }
}

/// The policy stage: one policy per SKU of `demand.skus`, with lead times,
/// MOQ, multiples and holding rates from the products file where given and
/// the configuration's defaults otherwise (noted in `report`).
pub fn build(
    data: &Dataset,
    demand: &Demand,
    classes: &[SkuClass],
    config: &Config,
    report: &mut DqReport,
) -> Vec<Policy> {
    let products = data.product_index();
    let days = config.bucket.days();
    let p = &config.policy;
    let mut default_lead_time = 0usize;
    let policies = demand
        .skus
        .iter()
        .zip(classes)
        .map(|(s, class): (&SkuSummary, &SkuClass)| {
            let product = products[s.sku as usize].map(|i| &data.products[i as usize]);
            let field = |get: fn(&crate::dataset::Product) -> Option<f64>| product.and_then(get);
            let lead_time = field(|p| p.lead_time_days);
            if lead_time.is_none() {
                default_lead_time += 1;
            }
            compute(&PolicyInputs {
                service_level: config.service_level(&class.segment),
                mean_demand: s.mean_demand,
                std_demand: s.std_demand,
                lead_time: lead_time.unwrap_or(p.lead_time_days) / days,
                lead_time_sd: field(|p| p.lead_time_sd_days).unwrap_or(p.lead_time_sd_days) / days,
                buckets_per_year: config.bucket.per_year(),
                unit_cost: s.unit_cost,
                holding_rate: field(|p| p.holding_rate).unwrap_or(p.holding_rate),
                ordering_cost: p.ordering_cost,
                moq: field(|p| p.moq).unwrap_or(1.0),
                order_multiple: field(|p| p.order_multiple).unwrap_or(1.0),
            })
        })
        .collect();
    if default_lead_time > 0 {
        report.note(
            None,
            format!(
                "{default_lead_time} SKUs have no lead time in a products file: they use \
                 {} days (σ {} days) from the configuration.",
                p.lead_time_days, p.lead_time_sd_days
            ),
        );
    }
    policies
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> PolicyInputs {
        PolicyInputs {
            service_level: 0.95,
            mean_demand: 0.0,
            std_demand: 0.0,
            lead_time: 0.0,
            lead_time_sd: 0.0,
            buckets_per_year: 1.0,
            unit_cost: None,
            holding_rate: 0.25,
            ordering_cost: 50.0,
            moq: 1.0,
            order_multiple: 1.0,
        }
    }

    fn close(a: f64, b: f64, tolerance: f64) {
        assert!((a - b).abs() <= tolerance, "{a} vs {b}");
    }

    #[test]
    fn eoq_matches_snyder_shen_example_3_1() {
        // stockpyl 1.0.2 tests/test_eoq.py::test_example_3_1 (Snyder & Shen,
        // Example 3.1): K = 8, h = 0.225, d = 1300 → Q* = 304.0467800264368.
        // Here h = holding_rate × unit_cost = 0.225 × 1.
        let p = compute(&PolicyInputs {
            mean_demand: 1300.0,
            unit_cost: Some(1.0),
            holding_rate: 0.225,
            ordering_cost: 8.0,
            ..inputs()
        });
        close(p.eoq.unwrap(), 304.0467800264368, 1e-9);
        // Rounded up to the next unit.
        assert_eq!(p.order_qty, Some(305.0));
    }

    #[test]
    fn eoq_matches_snyder_shen_problem_3_1_and_inventorize() {
        // stockpyl Problem 3.1: K = 2250, h = 275, d = 182500 → 1728.109844993551.
        let p = compute(&PolicyInputs {
            mean_demand: 182_500.0,
            unit_cost: Some(275.0),
            holding_rate: 1.0,
            ordering_cost: 2250.0,
            ..inputs()
        });
        close(p.eoq.unwrap(), 1728.109844993551, 1e-9);
        // inventorize::eoq(5000, 400, 140, 0.2) → 377.9644730092272.
        let p = compute(&PolicyInputs {
            mean_demand: 5000.0,
            unit_cost: Some(140.0),
            holding_rate: 0.2,
            ordering_cost: 400.0,
            ..inputs()
        });
        close(p.eoq.unwrap(), 377.9644730092272, 1e-9);
    }

    #[test]
    fn safety_stock_with_lead_time_variability_matches_inventorize() {
        // inventorize's normal safety stock (issue 4): d = 50, σd = 5, L = 6,
        // σL = 2, CSL 0.90 → σLT = sqrt(6·25 + 2500·4) = sqrt(10150),
        // SS = 1.2815515655446008 × 100.7472 = 129.1127, ROP = 429.1127.
        let p = compute(&PolicyInputs {
            service_level: 0.90,
            mean_demand: 50.0,
            std_demand: 5.0,
            lead_time: 6.0,
            lead_time_sd: 2.0,
            ..inputs()
        });
        close(p.sigma_lead_time_demand, 10150f64.sqrt(), 1e-12);
        close(p.safety_stock, 129.1127, 5e-5);
        close(p.reorder_point, 429.1127, 5e-5);
    }

    #[test]
    fn fill_rate_matches_inventorize_csl_example() {
        // inventorize::safteystock_CSL_normal(rate 0.95, Q 1000, D 8000/yr,
        // σ 600/yr, L 4 weeks): k 1.6448536269514715, G(k) 0.020892959027797697,
        // safety stock 273.72018888952834, fill rate 0.9965232014582664.
        // Weekly buckets: d = 8000/52, σd = 600/sqrt(52), L = 4.
        let p = compute(&PolicyInputs {
            service_level: 0.95,
            mean_demand: 8000.0 / 52.0,
            std_demand: 600.0 / 52f64.sqrt(),
            lead_time: 4.0,
            buckets_per_year: 52.0,
            unit_cost: Some(1.0),
            holding_rate: 1e9, // makes EOQ ≈ 0 so the MOQ of 1000 decides Q
            moq: 1000.0,
            ..inputs()
        });
        close(p.z, 1.6448536269514715, 1e-12);
        close(normal::loss(p.z), 0.020892959027797697, 1e-12);
        close(p.safety_stock, 273.72018888952834, 1e-9);
        assert_eq!(p.order_qty, Some(1000.0));
        close(p.fill_rate.unwrap(), 0.9965232014582664, 1e-12);
        // Stockouts: 8000 / 1000 orders a year × 5 % = 0.4.
        close(p.stockouts_per_year.unwrap(), 0.4, 1e-12);
    }

    #[test]
    fn order_quantity_respects_moq_and_multiples() {
        let base = PolicyInputs {
            mean_demand: 1300.0,
            unit_cost: Some(1.0),
            holding_rate: 0.225,
            ordering_cost: 8.0,
            ..inputs()
        };
        // EOQ 304.05: multiples of 50 → 350; MOQ 500 wins over that.
        assert_eq!(compute(&PolicyInputs { order_multiple: 50.0, ..base }).order_qty, Some(350.0));
        assert_eq!(compute(&PolicyInputs { moq: 500.0, ..base }).order_qty, Some(500.0));
        // An order multiple ≤ 0 counts as 1.
        assert_eq!(compute(&PolicyInputs { order_multiple: 0.0, ..base }).order_qty, Some(305.0));
    }

    #[test]
    fn no_eoq_without_demand_or_holding_cost() {
        let p = compute(&PolicyInputs { mean_demand: 10.0, ..inputs() });
        assert_eq!((p.eoq, p.order_qty, p.max, p.fill_rate), (None, None, None, None));
        let p = compute(&PolicyInputs { unit_cost: Some(5.0), ..inputs() });
        assert_eq!((p.eoq, p.avg_inventory, p.stockouts_per_year), (None, None, None));
    }

    #[test]
    fn inventory_figures_follow_their_definitions() {
        let p = compute(&PolicyInputs {
            service_level: 0.98,
            mean_demand: 20.0,
            std_demand: 6.0,
            lead_time: 2.0,
            buckets_per_year: 365.25 / 7.0,
            unit_cost: Some(4.0),
            ..inputs()
        });
        let q = p.order_qty.unwrap();
        close(p.max.unwrap(), p.reorder_point + q, 1e-12);
        close(p.avg_inventory.unwrap(), p.safety_stock + q / 2.0, 1e-12);
        close(p.avg_inventory_value.unwrap(), 4.0 * (p.safety_stock + q / 2.0), 1e-12);
        close(
            p.days_of_supply.unwrap(),
            p.avg_inventory.unwrap() / (p.annual_demand / 365.25),
            1e-9,
        );
    }
}
