//! Appending a row's values to the columns being filled.
//!
//! The browser build compiles the engine for size, where `Vec::push` stays
//! a call (its growth path makes it too large to inline): a dozen calls a
//! row in the one pass over a file. [`push`] is the same append with the
//! common case — room left, as the readers reserve it ahead — inlined into
//! the caller, and the growth path behind a call.

/// Appends `value` to `column`, as [`Vec::push`] does.
#[inline(always)]
pub fn push<T>(column: &mut Vec<T>, value: T) {
    let len = column.len();
    if len < column.capacity() {
        // SAFETY: `len < capacity`, so the slot at `len` is allocated and
        // not yet initialised; it is written before the length covers it.
        unsafe {
            column.as_mut_ptr().add(len).write(value);
            column.set_len(len + 1);
        }
    } else {
        grow_and_push(column, value);
    }
}

#[cold]
#[inline(never)]
fn grow_and_push<T>(column: &mut Vec<T>, value: T) {
    column.push(value);
}

#[cfg(test)]
mod tests {
    use super::push;

    #[test]
    fn appends_as_vec_push_does_with_and_without_room() {
        let mut ours: Vec<String> = Vec::new();
        let mut theirs: Vec<String> = Vec::new();
        for i in 0..1000 {
            // Room reserved now and then, as the readers do; full otherwise.
            if i % 97 == 0 {
                ours.reserve_exact(13);
            }
            push(&mut ours, i.to_string());
            theirs.push(i.to_string());
            assert_eq!(ours.len(), i + 1);
        }
        assert_eq!(ours, theirs);
        let mut empty: Vec<()> = Vec::new();
        push(&mut empty, ());
        assert_eq!(empty.len(), 1);
    }
}
