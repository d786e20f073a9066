//! The SKU tables of the big Segments and Policies views, sent in slices.
//!
//! Decoding a Segments view of 49,256 SKUs took the page one task of
//! 80–95 ms, close to the 100 ms a task may take (issue #7). The worker
//! therefore sends the view with its first [`ROWS_PER_MESSAGE`] rows and
//! `more_rows` set, then the other rows in [`SkuRows`] slices; the page
//! decodes each message in a task of its own and, with an [`Assembly`],
//! hands the whole view on once the last slice has arrived, so the rest of
//! the page never sees a partial table. The Policies view of 49,256 SKUs
//! (6.8 MB, a task of 65–94 ms) travels the same way
//! (`policies::split_policies`, [`Response::PolicyRows`]), without deltas.
//!
//! After a settings change most columns of the table are what they were
//! (an A cut moves classes, not revenues). So the worker sends a big view
//! whose rows are the same SKUs in the same order as the last big view it
//! sent with only the columns that changed, `table_base` naming that view
//! and `kept` the columns to take from it; the [`Assembly`], which keeps
//! the last big table it handed on, fills them in. Both sides see every
//! view in the same order, so the base is always there; if it ever is not,
//! the page restarts the engine, which restores the saved workspace.

use super::{PoliciesView, Response, SegmentsView, SkuColumns};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

/// Rows per message: about 1 MB of JSON (13–17 ms of decoding when the
/// slices were first measured, before the number columns were packed).
pub const ROWS_PER_MESSAGE: usize = 8_192;

/// Rows of a big Segments view's first message, which carries the rest of
/// the view (the matrix, the charts) and is shown at once: the table shows
/// about twenty rows at a time, and the page decoded a first message of
/// 8,192 rows in 3.9 ms of CPU, of 1,024 in 2.5 ms (issue #7, traces of
/// 1M-line loads).
pub const FIRST_ROWS: usize = 1_024;

/// Calls `$m!(bit field)` for every column of the table: the one list of
/// the bits of `SegmentsView::kept`.
macro_rules! each_column {
    ($m:ident) => {
        $m!(0 sku, 1 revenue, 2 share, 3 cumulative, 4 abc, 5 cv, 6 xyz, 7 adi, 8 cv2,
            9 pattern, 10 segment, 11 cluster, 12 rule)
    };
}

/// A slice of the SKU table of the Segments view sent just before it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SkuRows {
    /// The view's generation.
    pub generation: u64,
    /// The rows, in table order after those already sent.
    pub columns: SkuColumns,
    /// Whether this is the view's last slice.
    pub last: bool,
}

impl SkuColumns {
    /// The number of rows.
    pub fn len(&self) -> usize {
        self.sku.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.sku.is_empty()
    }

    /// Empties every column equal to the same column of `base` (the same
    /// SKUs in the same order) and returns them as bits of `SegmentsView::kept`;
    /// 0, and nothing emptied, when the SKUs differ.
    pub fn keep_same(&mut self, base: &SkuColumns) -> u16 {
        if self.sku != base.sku || self.is_empty() {
            return 0;
        }
        let mut kept = 0;
        let mut k = |bit: u16, same: bool| {
            if same {
                kept |= 1 << bit;
            }
            same
        };
        macro_rules! keep {
            ($($bit:literal $field:ident),*) => {$(
                if k($bit, self.$field == base.$field) {
                    self.$field = Default::default();
                }
            )*};
        }
        each_column!(keep);
        kept
    }

    /// Fills the columns `kept` (bits of `SegmentsView::kept`) from `base`.
    pub fn restore(&mut self, base: &SkuColumns, kept: u16) {
        macro_rules! restore {
            ($($bit:literal $field:ident),*) => {$(
                if kept & (1 << $bit) != 0 {
                    self.$field = base.$field.clone();
                }
            )*};
        }
        each_column!(restore);
    }

    /// A copy of the rows in `range` (clamped to the table).
    pub fn rows(&self, range: Range<usize>) -> SkuColumns {
        // One ASCII letter per SKU, counted in characters all the same.
        let letters = |s: &String| {
            let at = |row: usize| s.char_indices().nth(row).map_or(s.len(), |(i, _)| i);
            s[at(range.start)..at(range.end.max(range.start))].to_owned()
        };
        SkuColumns {
            sku: self.sku.part(&range),
            revenue: self.revenue.part(&range),
            share: self.share.part(&range),
            cumulative: self.cumulative.part(&range),
            abc: letters(&self.abc),
            cv: self.cv.part(&range),
            xyz: letters(&self.xyz),
            adi: self.adi.part(&range),
            cv2: self.cv2.part(&range),
            pattern: self.pattern.part(&range),
            segment: self.segment.part(&range),
            cluster: self.cluster.part(&range),
            rule: self.rule.part(&range),
        }
    }

    /// Makes room for `more` rows in every column, when the memory is there
    /// (the slices' rows are then appended without moving the columns).
    fn reserve(&mut self, more: usize) {
        macro_rules! reserve {
            ($($bit:literal $field:ident),*) => {$(
                // A column left empty (clusters when clustering is off)
                // stays so.
                if !self.$field.is_empty() {
                    let _ = self.$field.try_reserve_exact(more);
                }
            )*};
        }
        each_column!(reserve);
    }

    /// Appends the rows of `more`.
    pub fn append(&mut self, mut more: SkuColumns) {
        self.sku.append(&mut more.sku);
        self.revenue.append(&mut more.revenue);
        self.share.append(&mut more.share);
        self.cumulative.append(&mut more.cumulative);
        self.abc.push_str(&more.abc);
        self.cv.append(&mut more.cv);
        self.xyz.push_str(&more.xyz);
        self.adi.append(&mut more.adi);
        self.cv2.append(&mut more.cv2);
        self.pattern.append(&mut more.pattern);
        self.segment.append(&mut more.segment);
        self.cluster.append(&mut more.cluster);
        self.rule.append(&mut more.rule);
    }
}

/// The worker's side: remembers the last big table sent.
#[derive(Default)]
pub struct Sender {
    last: Option<(u64, Arc<SkuColumns>)>,
}

impl Sender {
    /// The messages that carry `view` (see the module's documentation):
    /// a small view as it is; a big one as the changed columns of the last
    /// big table sent, when its SKUs are the same, else in slices, each
    /// slice copied only once the messages before it are taken.
    pub fn messages(&mut self, mut view: SegmentsView) -> Box<dyn Iterator<Item = Response>> {
        if view.table.len() <= ROWS_PER_MESSAGE {
            return Box::new(std::iter::once(Response::Segments(Box::new(view))));
        }
        if let Some((generation, base)) = &self.last {
            let mut delta = SkuColumns::clone(&view.table);
            let kept = delta.keep_same(base);
            // Only worth it when the changed columns are a small message.
            if kept & NUMBER_COLUMNS == NUMBER_COLUMNS {
                let whole = std::mem::replace(&mut view.table, Arc::new(delta));
                view.table_base = Some(*generation);
                view.kept = kept;
                self.last = Some((view.generation, whole));
                return Box::new(std::iter::once(Response::Segments(Box::new(view))));
            }
        }
        self.last = Some((view.generation, Arc::clone(&view.table)));
        Box::new(split(view, FIRST_ROWS, ROWS_PER_MESSAGE))
    }
}

impl Response {
    /// Whether this is a Segments or Policies view with a table too big for
    /// one message: the page applies it in a task of its own, however its
    /// last message came (the last slice of 49,256 SKUs is 104 rows, a
    /// small message, and rendering the page in the task that decoded it
    /// made one task of 54–123 ms in traces).
    pub fn has_big_table(&self) -> bool {
        match self {
            Response::Segments(view) => view.table.len() > ROWS_PER_MESSAGE,
            Response::Policies(view) => view.table.len() > ROWS_PER_MESSAGE,
            _ => false,
        }
    }
}

/// The columns of numbers, most of a table's bytes: a delta is sent only
/// when all of them are kept.
const NUMBER_COLUMNS: u16 = 1 << 1 | 1 << 2 | 1 << 3 | 1 << 5 | 1 << 7 | 1 << 8;

/// The messages that carry `view`: itself when its table has no more than
/// `first` rows, else the view with its first `first` rows followed by the
/// other rows in slices of `per`. The slices are copied as they are taken:
/// the worker posts the first message before copying the rest (issue #7).
pub fn split(mut view: SegmentsView, first: usize, per: usize) -> impl Iterator<Item = Response> {
    let first = first.max(1);
    let generation = view.generation;
    let whole = Arc::clone(&view.table);
    let len = whole.len();
    if len > first {
        view.table = Arc::new(whole.rows(0..first));
        (view.more_rows, view.all_rows) = (true, len);
    }
    let rows = slices(
        whole,
        len,
        first,
        per,
        |t, range| t.rows(range),
        move |columns, last| Response::SkuRows(Box::new(SkuRows { generation, columns, last })),
    );
    std::iter::once(Response::Segments(Box::new(view))).chain(rows)
}

/// The rows of `table` (`len` of them) after its first `first` (at least
/// 1), in slices of `per` copied by `rows` as they are taken, each made a
/// message by `message` with whether it is the last (none when the table
/// is that small).
pub(super) fn slices<T, R>(
    table: T,
    len: usize,
    first: usize,
    per: usize,
    rows: impl Fn(&T, Range<usize>) -> R,
    message: impl Fn(R, bool) -> Response,
) -> impl Iterator<Item = Response> {
    let per = per.max(1);
    (first.max(1)..len).step_by(per).map(move |from| {
        let to = (from + per).min(len);
        message(rows(&table, from..to), to == len)
    })
}

/// A column of a table that travels in slices (a `Vec` of values, or
/// [`super::Texts`], which has the same method of its own).
pub(super) trait Part {
    /// The rows in `range`, clamped to the column (a column left empty
    /// stays empty).
    fn part(&self, range: &Range<usize>) -> Self;
}

impl<T: Clone> Part for Vec<T> {
    fn part(&self, range: &Range<usize>) -> Vec<T> {
        let to = range.end.min(self.len());
        self[range.start.min(to)..to].to_vec()
    }
}

/// The page's side: joins a view and its slices again, and fills the
/// columns of a delta from the last big table it handed on.
#[derive(Default)]
pub struct Assembly {
    waiting: Option<SegmentsView>,
    /// The last big table handed on, shared with the view handed on.
    last: Option<(u64, Arc<SkuColumns>)>,
    /// A Policies view whose rows are still coming.
    waiting_policies: Option<PoliciesView>,
}

impl Assembly {
    /// Takes an answer; returns what to deliver now: any answer but a
    /// Policies view with rows to come or a slice, as it is; a Segments
    /// view with rows to come at once, as it came (its first rows), and
    /// whole when its last slice arrives; a Policies view whole when its
    /// last slice arrives. A slice of another
    /// generation (revision) than the view waiting is dropped.
    ///
    /// A delta whose base is not the last big table (which the worker's
    /// [`Sender`] rules out) comes out as [`Response::Crashed`], so that
    /// the page restarts the engine rather than show a broken table.
    pub fn accept(&mut self, response: Response) -> Option<Response> {
        match response {
            Response::Segments(mut view) if view.more_rows => {
                // Shown at once with its first rows, a copy: the matrix and
                // charts, whole in the first message, do not wait for the
                // other rows' slices (issue #7: 10–20 ms at 49,256 SKUs).
                let shown = SegmentsView {
                    table: Arc::new(SkuColumns::clone(&view.table)),
                    ..SegmentsView::clone(&view)
                };
                // Room for the slices' rows, made once.
                let more = view.rows_to_come();
                Arc::make_mut(&mut view.table).reserve(more);
                self.waiting = Some(*view);
                Some(Response::Segments(Box::new(shown)))
            }
            Response::Segments(mut view) if view.table_base.is_some() => {
                let base = self.last.as_ref().filter(|(g, _)| Some(*g) == view.table_base);
                let Some((_, base)) = base else {
                    return Some(Response::Crashed {
                        message: "the page lost track of the SKU table".into(),
                    });
                };
                Arc::make_mut(&mut view.table).restore(base, view.kept);
                (view.table_base, view.kept) = (None, 0);
                Some(self.handed_on(*view))
            }
            Response::SkuRows(rows) => {
                let view = self.waiting.as_mut().filter(|v| v.generation == rows.generation)?;
                Arc::make_mut(&mut view.table).append(rows.columns);
                if !rows.last {
                    return None;
                }
                let mut whole = self.waiting.take()?;
                (whole.more_rows, whole.all_rows) = (false, 0);
                Some(self.handed_on(whole))
            }
            Response::Segments(view) => Some(self.handed_on(*view)),
            Response::Policies(view) if view.more_rows => {
                self.waiting_policies = Some(*view);
                None
            }
            Response::PolicyRows(rows) => {
                let view =
                    self.waiting_policies.as_mut().filter(|v| v.revision == rows.revision)?;
                view.table.append(rows.columns);
                if !rows.last {
                    return None;
                }
                let mut whole = self.waiting_policies.take()?;
                whole.more_rows = false;
                Some(Response::Policies(Box::new(whole)))
            }
            other => Some(other),
        }
    }

    /// Remembers a big view's table as the base of later deltas (shared,
    /// not copied: the table is not changed once handed on).
    fn handed_on(&mut self, view: SegmentsView) -> Response {
        if view.table.len() > ROWS_PER_MESSAGE {
            self.last = Some((view.generation, Arc::clone(&view.table)));
        }
        Response::Segments(Box::new(view))
    }
}

#[cfg(test)]
mod tests {
    use super::super::split_policies;
    use super::*;
    use crate::worker_api::Texts;

    fn table(n: usize) -> SkuColumns {
        SkuColumns {
            sku: (0..n).map(|i| format!("SKU{i}")).collect(),
            revenue: (0..n).map(|i| i as f64 * 1.5).collect(),
            share: vec![0.1; n],
            cumulative: (0..n).map(|i| (i % 3 != 0).then_some(i as f64)).collect(),
            abc: (0..n).map(|i| ['A', 'B', 'C'][i % 3]).collect(),
            cv: vec![Some(0.4); n],
            xyz: (0..n).map(|i| ['X', 'Y', 'Z'][i % 3]).collect(),
            adi: vec![None; n],
            cv2: vec![Some(0.2); n],
            pattern: vec![1; n],
            segment: (0..n).map(|i| format!("S{}", i % 9)).collect(),
            cluster: (0..n).map(|i| Some((i % 4) as u8)).collect(),
            rule: (0..n).map(|i| (i % 7 == 0).then(|| "rule".to_owned())).collect(),
        }
    }

    /// `texts` with texts `a` and `b` swapped.
    fn swapped(texts: &Texts, a: usize, b: usize) -> Texts {
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.swap(a, b);
        texts.permuted(&order)
    }

    fn view(n: usize) -> SegmentsView {
        SegmentsView { generation: 7, table: Arc::new(table(n)), ..SegmentsView::default() }
    }

    /// Every split, sent through JSON and assembled, gives the view back.
    #[test]
    fn slices_assemble_to_the_view_sent() {
        let cases = [
            (0, 4, 4),
            (4, 4, 4),
            (5, 4, 4),
            (12, 4, 4),
            (13, 4, 4),
            (10, 1, 1),
            (30_001, 12_500, 12_500),
            // A short first message, as the worker sends (FIRST_ROWS).
            (5, 2, 4),
            (6, 2, 4),
            (7, 2, 4),
            (30_001, 1_024, 8_192),
        ];
        for (n, first_rows, per) in cases {
            let messages = split(view(n), first_rows, per).collect::<Vec<_>>();
            let expected_messages =
                if n <= first_rows { 1 } else { 1 + (n - first_rows).div_ceil(per) };
            assert_eq!(messages.len(), expected_messages, "{n} rows, {first_rows} then by {per}");
            let mut assembly = Assembly::default();
            let mut delivered = Vec::new();
            let head = messages[0].clone();
            for m in messages {
                let back: Response = serde_json::from_str(&super::super::encode(&m)).unwrap();
                delivered.extend(assembly.accept(back));
            }
            // A view in slices is shown first with the rows of its first
            // message, counting all its SKUs, then whole.
            let whole = Response::Segments(Box::new(view(n)));
            if n > first_rows {
                let Response::Segments(first) = &delivered[0] else { panic!("{delivered:?}") };
                assert_eq!(
                    (first.table.len(), first.rows_to_come(), first.skus()),
                    (first_rows, n - first_rows, n)
                );
                assert_eq!(delivered, vec![head, whole], "{n}: {first_rows}, by {per}");
            } else {
                assert_eq!(delivered, vec![whole], "{n}: {first_rows}, by {per}");
            }
        }
    }

    fn policies(n: usize, revision: u64) -> PoliciesView {
        use super::super::PolicyColumns;
        let some = |i: usize| (!i.is_multiple_of(4)).then_some(i as f64 / 3.0);
        let table = PolicyColumns {
            sku: (0..n).map(|i| format!("SKU{i}")).collect(),
            segment: (0..n).map(|i| format!("S{}", i % 9)).collect(),
            pattern: (0..n).map(|i| (i % 4) as u8).collect(),
            model: vec![0; n],
            service_level: vec![0.95; n],
            normal_safety_stock: (0..n).map(|i| i as f64 * 0.5).collect(),
            empirical_safety_stock: (0..n).map(some).collect(),
            reorder_point: (0..n).map(|i| i as f64).collect(),
            order_qty: (0..n).map(some).collect(),
            // A column the role does not see is left empty.
            max: Vec::new(),
            safety_stock_value: (0..n).map(some).collect(),
            avg_inventory_value: (0..n).map(some).collect(),
            days_of_supply: (0..n).map(some).collect(),
            fill_rate: (0..n).map(some).collect(),
            stockouts_per_year: (0..n).map(some).collect(),
            low_confidence: (0..n).map(|i| i.is_multiple_of(5)).collect(),
        };
        PoliciesView { revision, table, ..PoliciesView::default() }
    }

    #[test]
    fn a_policies_view_in_slices_assembles_to_the_view_sent() {
        for (n, per) in [(0, 4), (4, 4), (5, 4), (13, 4), (10, 1), (30_001, 8_192)] {
            let messages = split_policies(policies(n, 3), per).collect::<Vec<_>>();
            assert_eq!(messages.len(), if n <= per { 1 } else { n.div_ceil(per) }, "{n} by {per}");
            // Interleaved with a Segments view in slices, as a page may
            // receive them; each arrives whole, in the order it completes.
            let mut segments = split(view(9), 4, 4);
            let mut assembly = Assembly::default();
            let mut delivered = Vec::new();
            for m in messages.into_iter().flat_map(|m| [Some(m), segments.next()]).flatten() {
                let back: Response = serde_json::from_str(&super::super::encode(&m)).unwrap();
                delivered.extend(assembly.accept(back));
            }
            for m in segments {
                delivered.extend(assembly.accept(m));
            }
            let policies = Response::Policies(Box::new(policies(n, 3)));
            assert!(delivered.contains(&policies), "{n} by {per}");
            assert!(delivered.contains(&Response::Segments(Box::new(view(9)))), "{n} by {per}");
            // The Segments view's first rows, then the two views whole.
            assert_eq!(delivered.len(), 3);
        }
        // The slices of an older revision find nothing of theirs.
        let mut old = split_policies(policies(10, 3), 4).collect::<Vec<_>>();
        let mut newer = split_policies(policies(6, 4), 4).collect::<Vec<_>>();
        let mut assembly = Assembly::default();
        assert_eq!(assembly.accept(old.remove(0)), None);
        assert_eq!(assembly.accept(newer.remove(0)), None);
        assert!(old.into_iter().all(|slice| assembly.accept(slice).is_none()));
        let whole = assembly.accept(newer.remove(0));
        assert_eq!(whole, Some(Response::Policies(Box::new(policies(6, 4)))));
    }

    #[test]
    fn a_newer_view_drops_the_slices_of_an_older_one() {
        let mut old = split(view(10), 4, 4).collect::<Vec<_>>();
        let mut newer = view(3);
        newer.generation = 8;
        let mut assembly = Assembly::default();
        let first = old.remove(0);
        assert_eq!(assembly.accept(first.clone()), Some(first));
        let newer = Response::Segments(Box::new(newer));
        assert_eq!(assembly.accept(newer.clone()), Some(newer));
        // A big newer view replaces the one waiting; the old slices find
        // nothing of theirs.
        let mut big = split(SegmentsView { generation: 9, ..view(6) }, 4, 4).collect::<Vec<_>>();
        let head = big.remove(0);
        assert_eq!(assembly.accept(head.clone()), Some(head));
        for slice in old {
            assert_eq!(assembly.accept(slice), None);
        }
        let whole = assembly.accept(big.remove(0));
        assert_eq!(
            whole,
            Some(Response::Segments(Box::new(SegmentsView { generation: 9, ..view(6) })))
        );
    }

    /// A workshop's sequence of views through the worker's `Sender`, JSON
    /// and the page's `Assembly`: every view arrives whole, and the ones
    /// with the same SKUs as the last big one travel as small deltas.
    #[test]
    fn deltas_and_slices_deliver_every_view_whole() {
        let n = ROWS_PER_MESSAGE * 2 + 17;
        let first = view(n);
        let mut a_cut = SegmentsView { generation: 8, ..view(n) };
        let table = Arc::make_mut(&mut a_cut.table);
        table.abc = table.abc.replace('B', "A");
        table.segment =
            table.segment.iter().enumerate().map(|(i, s)| if i == 5 { "AX" } else { s }).collect();
        let mut reordered = SegmentsView { generation: 9, ..view(n) };
        let reordered_table = Arc::make_mut(&mut reordered.table);
        reordered_table.sku = swapped(&reordered_table.sku, 0, 1);
        let small = SegmentsView { generation: 10, ..view(40) };
        let mut again = SegmentsView { generation: 11, ..reordered.clone() };
        Arc::make_mut(&mut again.table).rule[3] = Some("new rule".into());
        let views = [first, a_cut, reordered, small, again];

        let (mut sender, mut assembly) = (Sender::default(), Assembly::default());
        let mut sizes = Vec::new();
        assert!(!Response::Segments(Box::new(view(40))).has_big_table());
        for sent in &views {
            let messages = sender.messages(sent.clone()).collect::<Vec<_>>();
            let bytes: usize = messages.iter().map(|m| super::super::encode(m).len()).sum();
            sizes.push((messages.len(), bytes));
            let mut delivered = Vec::new();
            for m in messages {
                let back: Response = serde_json::from_str(&super::super::encode(&m)).unwrap();
                delivered.extend(assembly.accept(back));
            }
            // Views in slices are shown with their first rows first.
            let whole = delivered.pop();
            assert_eq!(whole, Some(Response::Segments(Box::new(sent.clone()))));
            assert!(delivered.len() <= 1, "{delivered:?}");
        }
        // Slices for the first, a delta for the A cut, slices after the
        // SKUs moved, the small view as it is, a delta again.
        assert_eq!(sizes.iter().map(|s| s.0).collect::<Vec<_>>(), [3, 1, 3, 1, 1]);
        assert!(sizes[1].1 * 4 < sizes[0].1, "the delta is small: {sizes:?}");
        assert!(sizes[4].1 * 4 < sizes[2].1, "{sizes:?}");
    }

    #[test]
    fn a_delta_without_its_base_restarts_the_engine() {
        let n = ROWS_PER_MESSAGE + 1;
        let mut sender = Sender::default();
        // The first view's messages never reach this page's assembly.
        let _lost: Vec<_> = sender.messages(view(n)).collect();
        let delta = sender.messages(SegmentsView { generation: 8, ..view(n) });
        let mut assembly = Assembly::default();
        let out: Vec<_> = delta.into_iter().filter_map(|m| assembly.accept(m)).collect();
        assert!(matches!(out.as_slice(), [Response::Crashed { .. }]), "{out:?}");
    }

    #[test]
    fn only_the_same_skus_in_the_same_order_make_a_delta() {
        let base = table(5);
        let mut other = table(5);
        other.sku = swapped(&other.sku, 1, 2);
        assert_eq!(other.clone().keep_same(&base), 0);
        let mut same = table(5);
        same.abc = "CCCCC".into();
        let kept = same.keep_same(&base);
        // 13 columns, all kept but abc (bit 4).
        assert_eq!(kept, ((1 << 13) - 1) & !(1 << 4), "all but abc");
        assert!(same.sku.is_empty() && same.abc == "CCCCC");
        same.restore(&base, kept);
        assert_eq!(same, SkuColumns { abc: "CCCCC".into(), ..table(5) });
    }

    /// The rows of a range, clamped to the table; a column left empty
    /// (clusters when clustering is off) stays empty.
    #[test]
    fn a_range_of_rows_is_copied_column_by_column() {
        let whole = table(10);
        let rows = whole.rows(7..12);
        assert_eq!(rows.sku, ["SKU7", "SKU8", "SKU9"]);
        assert_eq!((rows.abc.as_str(), rows.xyz.as_str()), ("BCA", "YZX"));
        assert_eq!(rows.cumulative, [Some(7.0), Some(8.0), None]);
        assert_eq!(rows.cluster, [Some(3), Some(0), Some(1)]);
        assert!(whole.rows(10..20).is_empty() && whole.rows(3..3).is_empty());
        let mut appended = whole.rows(0..7);
        appended.append(rows);
        assert_eq!(appended, whole);
        let unclustered = SkuColumns { cluster: Vec::new(), ..table(10) };
        assert!(unclustered.rows(2..6).cluster.is_empty());
    }

    /// The page keeps the table it hands on as the base of deltas without
    /// a copy, and makes room for a sliced table's rows once; the worker
    /// keeps the table it sends without a copy too.
    #[test]
    fn handed_on_tables_are_shared_not_copied() {
        let n = ROWS_PER_MESSAGE * 2 + 5;
        let mut sender = Sender::default();
        let sent = view(n);
        let messages = sender.messages(sent.clone());
        let kept = &sender.last.as_ref().unwrap().1;
        assert!(Arc::ptr_eq(kept, &sent.table), "the Sender keeps the view's own table");
        let mut assembly = Assembly::default();
        let mut delivered = None;
        for (i, m) in messages.into_iter().enumerate() {
            let back: Response = serde_json::from_str(&super::super::encode(&m)).unwrap();
            delivered = assembly.accept(back);
            let waiting = assembly.waiting.as_ref().map(|v| v.table.sku.capacity());
            if i == 0 {
                assert!(waiting >= Some(n), "room for the whole table: {waiting:?}");
            }
        }
        let whole = delivered.expect("the whole view");
        assert!(whole.has_big_table(), "applied in a task of its own");
        let Response::Segments(view) = whole else { panic!("{whole:?}") };
        assert_eq!(view.all_rows, 0);
        assert!(Arc::ptr_eq(&assembly.last.as_ref().unwrap().1, &view.table));
    }

    #[test]
    fn other_answers_pass_through() {
        let mut assembly = Assembly::default();
        let r = Response::SettingsRejected { message: "no".into() };
        assert_eq!(assembly.accept(r.clone()), Some(r));
    }
}
