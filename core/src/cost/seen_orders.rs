//! Distinct (customer, order) pairs, met line by line: what counts a
//! customer's orders ([`super::CustomerPnl::orders`]) and the orders the
//! consolidation what-if merges.
//!
//! Order ids are dense numbers ([`crate::dataset::Dataset::orders`]) and an
//! order nearly always belongs to one customer, so the first customer met
//! on each order is kept in an array indexed by order; only a second
//! customer on the same order id goes to a hash set. Hashing every line's
//! pair instead made the set as large as the orders (a million at 5M
//! lines), out of the caches, and the cost stage grow faster than the
//! lines.

use std::collections::HashSet;

/// No customer met yet on an order.
const NONE: u32 = u32::MAX;

/// The (customer, order) pairs met so far.
pub(crate) struct SeenOrders {
    /// Per order id, the first customer met on it, or [`NONE`].
    first: Vec<u32>,
    /// Pairs of an order id with any other customer.
    others: HashSet<(u32, u32)>,
}

impl SeenOrders {
    /// None seen yet, for order ids below `orders`.
    pub(crate) fn new(orders: usize) -> SeenOrders {
        SeenOrders { first: vec![NONE; orders], others: HashSet::new() }
    }

    /// Whether `customer` had not been met on `order` before; marks it met.
    pub(crate) fn insert(&mut self, customer: u32, order: u32) -> bool {
        match self.first.get_mut(order as usize) {
            Some(first) if *first == NONE && customer != NONE => {
                *first = customer;
                true
            }
            Some(first) if *first == customer => false,
            _ => self.others.insert((customer, order)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_pair_is_new_once_whatever_the_order_of_its_lines() {
        let mut seen = SeenOrders::new(2);
        // Order 0 of customers 5 and 7, interleaved; order 9 is past the array.
        let met: Vec<bool> = [(5, 0), (7, 0), (5, 0), (7, 0), (5, 1), (5, 9), (5, 9), (NONE, 1)]
            .iter()
            .map(|&(c, o)| seen.insert(c, o))
            .collect();
        assert_eq!(met, [true, true, false, false, true, true, false, true]);
    }

    proptest! {
        #[test]
        fn it_counts_the_pairs_a_hash_set_counts(
            pairs in prop::collection::vec((0..4u32, 0..6u32), 0..60),
        ) {
            let mut seen = SeenOrders::new(4);
            let mut set = HashSet::new();
            for &(customer, order) in &pairs {
                prop_assert_eq!(seen.insert(customer, order), set.insert((customer, order)));
            }
        }
    }
}
