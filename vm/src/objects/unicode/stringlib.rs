//! The string algorithms `str`, `bytes` and `bytearray` share (CPython's `Objects/stringlib`),
//! written once over code units: `u32` code points for `str`, `u8` for the byte types.
//! Positions are indices into the unit slice; `start`/`end` arguments have already been
//! adjusted with `argparse::adjust_range` (so `start` may exceed the length).

use core::ops::Range;

/// `find`: the first index of `needle` within `hay[start..end]`. A direct search, which
/// hands over to Knuth-Morris-Pratt once it has compared more than a few times the window's
/// length, so a search is never worse than linear (CPython's promise since 3.10, which
/// test_adaptive_find checks with million-unit strings).
pub fn find<T: Copy + Eq>(hay: &[T], needle: &[T], start: usize, end: usize) -> Option<usize> {
    let end = end.min(hay.len());
    if start > end || end - start < needle.len() {
        return None;
    }
    if needle.is_empty() {
        return Some(start);
    }
    let m = needle.len();
    let first = needle[0];
    let last_start = end - m;
    let budget = 4 * (end - start) + 1024;
    let mut work = 0usize;
    let mut i = start;
    while i <= last_start {
        if hay[i] == first {
            if hay[i..i + m] == *needle {
                return Some(i);
            }
            work += m;
            if work > budget {
                return kmp(m, |k| needle[k], (i..end).map(|j| (j, hay[j]))).map(|j| j + 1 - m);
            }
        }
        i += 1;
    }
    None
}

/// `rfind`: the last index of `needle` within `hay[start..end]` (searched from the end, with
/// the same linear bound as [`find`]).
pub fn rfind<T: Copy + Eq>(hay: &[T], needle: &[T], start: usize, end: usize) -> Option<usize> {
    let end = end.min(hay.len());
    if start > end || end - start < needle.len() {
        return None;
    }
    let m = needle.len();
    let budget = 4 * (end - start) + 1024;
    let mut work = 0usize;
    let mut i = end - m;
    loop {
        if hay[i..i + m] == *needle {
            return Some(i);
        }
        work += m.min(8) + if m > 0 && hay[i] == needle[0] { m } else { 0 };
        if work > budget {
            // The needle reversed, matched against the window read backwards from `i + m - 1`:
            // a match ending (in reverse) at `j` starts at `j`.
            return kmp(m, |k| needle[m - 1 - k], (start..i + m - 1).rev().map(|j| (j, hay[j])));
        }
        if i == start {
            return None;
        }
        i -= 1;
    }
}

/// Knuth-Morris-Pratt over `m` needle units `pat(k)` and `(position, unit)` pairs of the
/// haystack in scan order: the position of the unit that completes the first match.
fn kmp<T: Copy + Eq>(m: usize, pat: impl Fn(usize) -> T, hay: impl Iterator<Item = (usize, T)>) -> Option<usize> {
    // fail[k]: the length of the longest proper border of pat[..=k].
    let mut fail = vec![0usize; m];
    let mut k = 0;
    for q in 1..m {
        while k > 0 && pat(q) != pat(k) {
            k = fail[k - 1];
        }
        if pat(q) == pat(k) {
            k += 1;
        }
        fail[q] = k;
    }
    let mut k = 0;
    for (pos, c) in hay {
        while k > 0 && c != pat(k) {
            k = fail[k - 1];
        }
        if c == pat(k) {
            k += 1;
        }
        if k == m {
            return Some(pos);
        }
    }
    None
}

/// `count`: non-overlapping occurrences within `hay[start..end]`, at most `max`.
pub fn count<T: Copy + Eq>(hay: &[T], needle: &[T], start: usize, end: usize, max: usize) -> usize {
    let end = end.min(hay.len());
    if start > end || end - start < needle.len() {
        return 0;
    }
    if needle.is_empty() {
        return (end - start + 1).min(max);
    }
    let mut n = 0;
    let mut i = start;
    while n < max {
        match find(hay, needle, i, end) {
            Some(j) => {
                n += 1;
                i = j + needle.len();
            }
            None => break,
        }
    }
    n
}

/// `split()` without a separator: runs of non-space units, at most `maxsplit` splits.
pub fn split_whitespace<T: Copy>(s: &[T], is_space: impl Fn(T) -> bool, maxsplit: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let n = s.len();
    let mut i = 0;
    let mut splits = 0;
    while i < n {
        while i < n && is_space(s[i]) {
            i += 1;
        }
        if i == n {
            break;
        }
        if splits == maxsplit {
            // The rest, trailing whitespace included.
            out.push(i..n);
            return out;
        }
        let j0 = i;
        while i < n && !is_space(s[i]) {
            i += 1;
        }
        out.push(j0..i);
        splits += 1;
    }
    out
}

/// `rsplit()` without a separator.
pub fn rsplit_whitespace<T: Copy>(s: &[T], is_space: impl Fn(T) -> bool, maxsplit: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = s.len();
    let mut splits = 0;
    while i > 0 {
        while i > 0 && is_space(s[i - 1]) {
            i -= 1;
        }
        if i == 0 {
            break;
        }
        if splits == maxsplit {
            // The rest, leading whitespace included.
            out.push(0..i);
            break;
        }
        let end = i;
        while i > 0 && !is_space(s[i - 1]) {
            i -= 1;
        }
        out.push(i..end);
        splits += 1;
    }
    out.reverse();
    out
}

/// `split(sep)` with a non-empty separator.
pub fn split_sep<T: Copy + Eq>(s: &[T], sep: &[T], maxsplit: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut splits = 0;
    while splits < maxsplit {
        match find(s, sep, i, s.len()) {
            Some(j) => {
                out.push(i..j);
                i = j + sep.len();
                splits += 1;
            }
            None => break,
        }
    }
    out.push(i..s.len());
    out
}

/// `rsplit(sep)` with a non-empty separator.
pub fn rsplit_sep<T: Copy + Eq>(s: &[T], sep: &[T], maxsplit: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut end = s.len();
    let mut splits = 0;
    while splits < maxsplit {
        match rfind(s, sep, 0, end) {
            Some(j) => {
                out.push(j + sep.len()..end);
                end = j;
                splits += 1;
            }
            None => break,
        }
    }
    out.push(0..end);
    out.reverse();
    out
}

/// `replace(old, new, count)` (`count` already made non-negative: `usize::MAX` = all).
pub fn replace<T: Copy + Eq>(s: &[T], old: &[T], new: &[T], count: usize) -> Vec<T> {
    let mut out = Vec::with_capacity(s.len());
    if old.is_empty() {
        // Insert `new` before every unit and at the end, `count` times at most.
        let mut n = 0;
        for (i, &c) in s.iter().enumerate() {
            if n < count {
                out.extend_from_slice(new);
                n += 1;
            }
            out.push(c);
            if i == s.len() - 1 && n < count {
                out.extend_from_slice(new);
                n += 1;
            }
        }
        if s.is_empty() && count > 0 {
            out.extend_from_slice(new);
        }
        return out;
    }
    let mut i = 0;
    let mut n = 0;
    while n < count {
        match find(s, old, i, s.len()) {
            Some(j) => {
                out.extend_from_slice(&s[i..j]);
                out.extend_from_slice(new);
                i = j + old.len();
                n += 1;
            }
            None => break,
        }
    }
    out.extend_from_slice(&s[i..]);
    out
}

/// `strip`: the range left after removing leading (`left`) and trailing (`right`) units that
/// satisfy `strip_unit`.
pub fn strip<T: Copy>(s: &[T], left: bool, right: bool, strip_unit: impl Fn(T) -> bool) -> Range<usize> {
    let mut i = 0;
    let mut j = s.len();
    if left {
        while i < j && strip_unit(s[i]) {
            i += 1;
        }
    }
    if right {
        while j > i && strip_unit(s[j - 1]) {
            j -= 1;
        }
    }
    i..j
}

/// `splitlines(keepends)`: `is_break` recognises line breaks; `\r\n` counts as one.
pub fn splitlines<T: Copy + Eq + From<u8>>(s: &[T], is_break: impl Fn(T) -> bool, keepends: bool) -> Vec<Range<usize>> {
    let (cr, lf) = (T::from(b'\r'), T::from(b'\n'));
    let mut out = Vec::new();
    let n = s.len();
    let mut i = 0;
    while i < n {
        let start = i;
        while i < n && !is_break(s[i]) {
            i += 1;
        }
        let mut eol = i;
        if i < n {
            if s[i] == cr && i + 1 < n && s[i + 1] == lf {
                i += 2;
            } else {
                i += 1;
            }
            if keepends {
                eol = i;
            }
        }
        out.push(start..eol);
    }
    out
}

/// `expandtabs(tabsize)`: tabs to spaces, the column reset by `\n` and `\r`.
pub fn expandtabs<T: Copy + Eq + From<u8>>(s: &[T], tabsize: isize) -> Vec<T> {
    let (tab, nl, cr, sp) = (T::from(b'\t'), T::from(b'\n'), T::from(b'\r'), T::from(b' '));
    let mut out = Vec::with_capacity(s.len());
    let mut col: usize = 0;
    for &c in s {
        if c == tab {
            if tabsize > 0 {
                let incr = tabsize as usize - (col % tabsize as usize);
                col += incr;
                out.extend(core::iter::repeat_n(sp, incr));
            }
        } else {
            col += 1;
            out.push(c);
            if c == nl || c == cr {
                col = 0;
            }
        }
    }
    out
}

/// `center`/`ljust`/`rjust` padding: (left, right) fill counts for `width`.
pub fn pad_counts(len: usize, width: isize, how: Justify) -> Option<(usize, usize)> {
    if width <= len as isize {
        return None;
    }
    let marg = width as usize - len;
    Some(match how {
        Justify::Left => (0, marg),
        Justify::Right => (marg, 0),
        Justify::Center => {
            let left = marg / 2 + (marg & width as usize & 1);
            (left, marg - left)
        }
    })
}

#[derive(Clone, Copy)]
pub enum Justify {
    Left,
    Right,
    Center,
}

/// `zfill(width)`: zeros after an optional sign.
pub fn zfill<T: Copy + Eq + From<u8>>(s: &[T], width: isize) -> Vec<T> {
    if width <= s.len() as isize {
        return s.to_vec();
    }
    let fill = width as usize - s.len();
    let mut out: Vec<T> = core::iter::repeat_n(T::from(b'0'), fill).collect();
    out.extend_from_slice(s);
    if !s.is_empty() && (s[0] == T::from(b'+') || s[0] == T::from(b'-')) {
        out[0] = s[0];
        out[fill] = T::from(b'0');
    }
    out
}
