//! The SKU table of a big Segments view, sent in slices.
//!
//! Decoding a Segments view of 49,256 SKUs took the page one task of
//! 80–95 ms, close to the 100 ms a task may take (issue #7). The worker
//! therefore sends the view with its first [`ROWS_PER_MESSAGE`] rows and
//! `more_rows` set, then the other rows in [`SkuRows`] slices; the page
//! decodes each message in a task of its own and, with an [`Assembly`],
//! hands the whole view on once the last slice has arrived, so the rest of
//! the page never sees a partial table.

use super::{Response, SegmentsView, SkuColumns};
use serde::{Deserialize, Serialize};

/// Rows per message: about 1.6 MB of JSON, 20–25 ms of decoding.
pub const ROWS_PER_MESSAGE: usize = 12_500;

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

    /// Moves the rows from `at` on into a new table.
    pub fn split_off(&mut self, at: usize) -> SkuColumns {
        let at = at.min(self.len());
        // One ASCII letter per SKU; a byte index is a character index.
        let letters = |s: &mut String| {
            let byte = s.char_indices().nth(at).map_or(s.len(), |(i, _)| i);
            s.split_off(byte)
        };
        SkuColumns {
            sku: self.sku.split_off(at),
            revenue: self.revenue.split_off(at),
            share: self.share.split_off(at),
            cumulative: self.cumulative.split_off(at),
            abc: letters(&mut self.abc),
            cv: self.cv.split_off(at),
            xyz: letters(&mut self.xyz),
            adi: self.adi.split_off(at),
            cv2: self.cv2.split_off(at),
            pattern: self.pattern.split_off(at),
            segment: self.segment.split_off(at),
            cluster: self.cluster.split_off(at.min(self.cluster.len())),
            rule: self.rule.split_off(at),
        }
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

/// The messages that carry `view`: itself when its table is small, else
/// the view with its first `per` rows followed by the other rows in slices
/// of `per`.
pub fn split(mut view: SegmentsView, per: usize) -> Vec<Response> {
    let per = per.max(1);
    if view.table.len() <= per {
        return vec![Response::Segments(Box::new(view))];
    }
    let mut rest = view.table.split_off(per);
    view.more_rows = true;
    let generation = view.generation;
    let mut messages = vec![Response::Segments(Box::new(view))];
    while !rest.is_empty() {
        let after = rest.split_off(per);
        let last = after.is_empty();
        messages.push(Response::SkuRows(Box::new(SkuRows { generation, columns: rest, last })));
        rest = after;
    }
    messages
}

/// The page's side: joins a view and its slices again.
#[derive(Default)]
pub struct Assembly {
    waiting: Option<SegmentsView>,
}

impl Assembly {
    /// Takes an answer; returns what to deliver now: any answer but a
    /// Segments view with rows to come or a slice, as it is; the whole
    /// view when its last slice arrives. A slice of another generation
    /// than the view waiting (a newer analysis overtook it) is dropped.
    pub fn accept(&mut self, response: Response) -> Option<Response> {
        match response {
            Response::Segments(view) if view.more_rows => {
                self.waiting = Some(*view);
                None
            }
            Response::SkuRows(rows) => {
                let view = self.waiting.as_mut().filter(|v| v.generation == rows.generation)?;
                view.table.append(rows.columns);
                if !rows.last {
                    return None;
                }
                let mut whole = self.waiting.take()?;
                whole.more_rows = false;
                Some(Response::Segments(Box::new(whole)))
            }
            other => Some(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn view(n: usize) -> SegmentsView {
        SegmentsView { generation: 7, table: table(n), ..SegmentsView::default() }
    }

    /// Every split, sent through JSON and assembled, gives the view back.
    #[test]
    fn slices_assemble_to_the_view_sent() {
        for (n, per) in [(0, 4), (4, 4), (5, 4), (12, 4), (13, 4), (10, 1), (30_001, 12_500)] {
            let messages = split(view(n), per);
            let expected_messages = if n <= per { 1 } else { n.div_ceil(per) };
            assert_eq!(messages.len(), expected_messages, "{n} rows by {per}");
            let mut assembly = Assembly::default();
            let mut delivered = Vec::new();
            for m in messages {
                let back: Response = serde_json::from_str(&super::super::encode(&m)).unwrap();
                delivered.extend(assembly.accept(back));
            }
            assert_eq!(delivered, vec![Response::Segments(Box::new(view(n)))], "{n} by {per}");
        }
    }

    #[test]
    fn a_newer_view_drops_the_slices_of_an_older_one() {
        let mut old = split(view(10), 4);
        let mut newer = view(3);
        newer.generation = 8;
        let mut assembly = Assembly::default();
        let first = old.remove(0);
        assert_eq!(assembly.accept(first), None);
        let newer = Response::Segments(Box::new(newer));
        assert_eq!(assembly.accept(newer.clone()), Some(newer));
        // A big newer view replaces the one waiting; the old slices find
        // nothing of theirs.
        let mut big = split(SegmentsView { generation: 9, ..view(6) }, 4);
        assert_eq!(assembly.accept(big.remove(0)), None);
        for slice in old {
            assert_eq!(assembly.accept(slice), None);
        }
        let whole = assembly.accept(big.remove(0));
        assert_eq!(
            whole,
            Some(Response::Segments(Box::new(SegmentsView { generation: 9, ..view(6) })))
        );
    }

    #[test]
    fn other_answers_pass_through() {
        let mut assembly = Assembly::default();
        let r = Response::SettingsRejected { message: "no".into() };
        assert_eq!(assembly.accept(r.clone()), Some(r));
    }
}
