//! Row hashes, to find duplicate lines: every kept row's hash, line and
//! byte offset, sorted by hash so that equal rows sit side by side.

/// A kept row's hash, line and byte offset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RowHash {
    /// [`crate::intern::record_hash`] of the row.
    pub hash: u64,
    /// The line the row starts on.
    pub line: u64,
    /// Where the row starts in the text.
    pub byte: u64,
}

/// Sorts `rows` by hash, then line. Here rather than at the caller so that
/// the sort, a generic function, is compiled with this crate, for speed:
/// 40 against 90 ms for a million rows in the browser's build (issue #7).
pub fn sort(rows: &mut [RowHash]) {
    rows.sort_unstable_by_key(|r| (r.hash, r.line));
}

/// Keeps the rows whose hash some other row has too, sorted by hash, then
/// line, as [`sort`] would sort them, and drops the others, but for a few
/// it keeps by chance (each alone with its hash, where a caller looking
/// for equal hashes side by side finds nothing). For a caller that only
/// looks at rows sharing a hash, the same answer as [`sort`], at a
/// fraction of the cost: a million rows hold few shared hashes, so most of
/// the sort's work was on rows that share nothing (issue #7).
///
/// Each hash's top bits pick a slot of a table of `16 ×` the rows (a bit
/// per slot, at most [`MOST_SLOTS`]); a row is kept when its slot was hit
/// twice or more, which every row of a shared hash's is. About one row in
/// sixteen shares a slot by chance.
pub fn keep_shared(rows: &mut Vec<RowHash>) {
    let slots = (rows.len().saturating_mul(16)).next_power_of_two().clamp(1 << 10, MOST_SLOTS);
    let shift = 64 - slots.trailing_zeros();
    let at = |hash: u64| {
        let slot = (hash >> shift) as usize;
        (slot / 64, 1u64 << (slot % 64))
    };
    let mut seen = vec![0u64; slots / 64];
    let mut twice = vec![0u64; slots / 64];
    for row in rows.iter() {
        let (word, bit) = at(row.hash);
        twice[word] |= seen[word] & bit;
        seen[word] |= bit;
    }
    drop(seen);
    rows.retain(|row| {
        let (word, bit) = at(row.hash);
        twice[word] & bit != 0
    });
    sort(rows);
}

/// The most slots [`keep_shared`] uses: 8 MiB of bits per table.
pub const MOST_SLOTS: usize = 1 << 26;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The rows of `rows`, sorted, whose hash another row shares.
    fn shared(rows: &[RowHash]) -> Vec<RowHash> {
        let mut sorted = rows.to_vec();
        sort(&mut sorted);
        sorted
            .chunk_by(|a, b| a.hash == b.hash)
            .filter(|g| g.len() > 1)
            .flatten()
            .copied()
            .collect()
    }

    fn row(hash: u64, line: u64) -> RowHash {
        RowHash { hash, line, byte: line * 10 }
    }

    #[test]
    fn rows_sharing_a_hash_are_kept_sorted_and_lone_ones_dropped() {
        // Hand-made: 7 is shared by lines 1, 4 and 9 (kept in line
        // order), u64::MAX by 2 and 5; 3 and 1 << 63 by no other row.
        let mut rows = vec![
            row(7, 9),
            row(u64::MAX, 5),
            row(3 << 60, 3),
            row(7, 1),
            row(1 << 63, 8),
            row(u64::MAX, 2),
            row(7, 4),
        ];
        keep_shared(&mut rows);
        let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 4, 9, 2, 5]);
    }

    #[test]
    fn hashes_that_only_share_a_slot_stay_alone_in_their_group() {
        // Equal top bits, different hashes: kept (the slot was hit twice),
        // but no two of them share a hash, so no caller pairs them.
        let mut rows = vec![row(5, 1), row(6, 2), row(7, 3)];
        keep_shared(&mut rows);
        assert_eq!(rows.iter().map(|r| r.hash).collect::<Vec<_>>(), [5, 6, 7]);
        assert_eq!(shared(&rows), []);
    }

    proptest! {
        #[test]
        fn the_groups_of_a_shared_hash_are_those_of_the_sort(
            hashes in prop::collection::vec(prop_oneof![0u64..40, any::<u64>()], 0..400)
        ) {
            let rows: Vec<RowHash> =
                hashes.iter().enumerate().map(|(i, &h)| row(h, i as u64)).collect();
            let mut kept = rows.clone();
            keep_shared(&mut kept);
            prop_assert_eq!(shared(&kept), shared(&rows));
            // Sorted as `sort` sorts.
            let mut sorted = kept.clone();
            sort(&mut sorted);
            prop_assert_eq!(sorted, kept);
        }
    }
}
