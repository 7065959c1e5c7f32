//! Sorting through one copy of the standard library's sort.
//!
//! Every `slice::sort_by` with its own element type or comparison is a fresh copy of the
//! standard sort, about 3 KB of WebAssembly each, and the client's main module held 25 of them.
//! These helpers sort the positions `0..len` through one function that is not generic, then
//! move the items into that order, so every caller shares a single copy of the sort and pays
//! only for a few lines of its own. They are stable, like `slice::sort_by`.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal items in their order.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = positions_in_order(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    arrange(items, order);
}

/// Sorts `items` by the key `key` gives each, keeping items with equal keys in their order.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` by their own order.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The positions `0..len`, sorted by `compare` (which compares the items at two positions).
fn positions_in_order(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..len).collect();
    positions.sort_by(|&a, &b| compare(a, b));
    positions
}

/// Moves the item at `order[i]` to position `i`, for every `i`, one cycle of the
/// permutation at a time; a visited position is marked `usize::MAX`.
fn arrange<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = std::mem::replace(&mut order[at], usize::MAX);
            if from == usize::MAX || from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_sorts_like_the_standard_sort_and_keeps_ties_in_order() {
        // A fixed scramble with many ties, so both order and stability are checked.
        let mut seed = 7u32;
        let items: Vec<(u8, u32)> = (0..500)
            .map(|n| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                ((seed >> 16) as u8 % 13, n)
            })
            .collect();
        let mut ours = items.clone();
        sort_by_key(&mut ours, |item| item.0);
        let mut standard = items;
        standard.sort_by_key(|item| item.0);
        assert_eq!(ours, standard);
    }

    #[test]
    fn it_sorts_empty_single_and_reversed_lists() {
        let mut empty: Vec<u8> = vec![];
        sort(&mut empty);
        assert!(empty.is_empty());
        let mut one = vec![3];
        sort(&mut one);
        assert_eq!(one, [3]);
        let mut reversed: Vec<String> = (0..40).rev().map(|n| format!("{n:02}")).collect();
        sort(&mut reversed);
        let expected: Vec<String> = (0..40).map(|n| format!("{n:02}")).collect();
        assert_eq!(reversed, expected);
    }
}
