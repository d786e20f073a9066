//! Agglomerative clustering with kodama (the engine of linfa-hierarchical):
//! one dendrogram over the Euclidean distances of the z-scores, cut at each
//! k. kodama uses no randomness, so the tree is the same on every run.

use super::silhouette::distance;
use crate::config::Linkage;
use kodama::{linkage, Dendrogram, Method};

/// The tree over the rows of the row-major matrix `z` (`d` columns).
/// Memory is m²/2 distances for m rows, which is why the caller caps m.
pub fn dendrogram(z: &[f64], d: usize, method: Linkage) -> Dendrogram<f64> {
    let m = z.len().checked_div(d).unwrap_or(0);
    let row = |i: usize| &z[i * d..i * d + d];
    let mut condensed = Vec::with_capacity(m * m.saturating_sub(1) / 2);
    for i in 0..m {
        for j in i + 1..m {
            condensed.push(distance(row(i), row(j)));
        }
    }
    let method = match method {
        // kodama's Ward takes plain Euclidean distances and squares them.
        Linkage::Ward => Method::Ward,
        Linkage::Average => Method::Average,
    };
    linkage(&mut condensed, m, method)
}

/// The labels (below `k`, numbered by first appearance) of the `m` leaves
/// when the tree is cut into `k` clusters: the first `m − k` merges applied.
pub fn cut(tree: &Dendrogram<f64>, m: usize, k: usize) -> Vec<usize> {
    // kodama names the cluster made by step s `m + s`; `root` maps every
    // cluster name to a leaf standing for it (a union–find without ranks,
    // enough for the at most a few thousand leaves the caller allows).
    let mut parent: Vec<usize> = (0..m).collect();
    let mut leaf_of: Vec<usize> = (0..m).collect();
    for step in tree.steps().iter().take(m.saturating_sub(k)) {
        let (a, b) = (leaf_of[step.cluster1], leaf_of[step.cluster2]);
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent[rb] = ra;
        leaf_of.push(ra);
    }
    let mut label_of_root = vec![usize::MAX; m];
    let mut next = 0;
    (0..m)
        .map(|i| {
            let r = find(&mut parent, i);
            if label_of_root[r] == usize::MAX {
                label_of_root[r] = next;
                next += 1;
            }
            label_of_root[r]
        })
        .collect()
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}
