//! Work spread over the machine's cores where the platform has threads.
//!
//! With the `parallel` feature (the CLI turns it on) rows are mapped on
//! rayon's thread pool; without it (the WebAssembly build, which has no
//! threads) on the calling thread. Either way every row is computed by the
//! same function from the same inputs and the results come back in row
//! order, so the output is identical bit for bit: only the wall time
//! differs.

/// `f(0), f(1), … f(n − 1)`, in that order.
pub(crate) fn map_rows<R, F>(n: usize, f: F) -> Vec<R>
where
    R: Send,
    F: Fn(usize) -> R + Sync + Send,
{
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        (0..n).into_par_iter().map(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        (0..n).map(f).collect()
    }
}

/// `f` of each item, in the items' order.
pub(crate) fn map_each<T, R, F>(items: Vec<T>, f: F) -> Vec<R>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync + Send,
{
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        items.into_par_iter().map(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        items.into_iter().map(f).collect()
    }
}

/// `(a(), b())`, side by side where there are threads.
pub(crate) fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    #[cfg(feature = "parallel")]
    {
        rayon::join(a, b)
    }
    #[cfg(not(feature = "parallel"))]
    {
        (a(), b())
    }
}

/// How many threads the work above is spread over (1 without threads).
pub(crate) fn threads() -> usize {
    #[cfg(feature = "parallel")]
    {
        rayon::current_num_threads()
    }
    #[cfg(not(feature = "parallel"))]
    {
        1
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rows_come_back_in_order() {
        let squares = super::map_rows(10_000, |i| i * i);
        assert!(squares.iter().enumerate().all(|(i, &s)| s == i * i));
        assert!(super::map_rows(0, |i| i).is_empty());
        let words = super::map_each(vec!["a", "bb", "ccc"], str::len);
        assert_eq!(words, [1, 2, 3]);
        assert!(super::threads() >= 1);
        assert_eq!(super::join(|| 1, || "b"), (1, "b"));
    }
}
