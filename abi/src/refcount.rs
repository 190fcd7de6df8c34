//! The reference-count encoding (`refcount.h`, CPython 3.14/3.15 GIL build).
//!
//! Why this encoding: it is the one every extension binary agrees with (contract §2.2–2.4).
//! * <= 3.11 headers inline a 64-bit `++`/`--` and call `_Py_Dealloc` when the *64-bit* word
//!   hits 0, so a mortal object's upper 32 bits must be 0.
//! * 3.12/3.13 headers increment the low 32 bits, skipping when they would wrap from
//!   0xFFFFFFFF, and decrement the 64-bit word unless `(int32)low32 < 0`.
//! * 3.14/3.15 headers increment unless `low32 >= 0xC0000000` and decrement unless
//!   `(int32)low32 < 0`.
//!
//! So mortal counts stay below 2^31 with a zero upper half, and immortal objects carry
//! `0xC0000000` in the low half: every vintage's check leaves them alone, and the <= 3.11
//! unconditional `++`/`--` can drift them by up to ±2^30 before they could look mortal.

/// `_Py_IMMORTAL_INITIAL_REFCNT` (3 << 30): the count of an immortal object.
pub const IMMORTAL_INITIAL_REFCNT: u32 = 0xC000_0000;
/// `_Py_IMMORTAL_MINIMUM_REFCNT` (1 << 31): counts at or above this (as u32) are immortal.
pub const IMMORTAL_MINIMUM_REFCNT: u32 = 0x8000_0000;
/// `_Py_STATIC_IMMORTAL_INITIAL_REFCNT`: static immortal objects also carry
/// `ob_flags = _Py_IMMORTAL_FLAGS | _Py_STATICALLY_ALLOCATED_FLAG` in bits 48..64.
pub const STATIC_IMMORTAL_INITIAL_REFCNT: u64 = 0xC000_0000 | (5u64 << 48);
/// Refcount word for a heap-allocated immortal object (no static flag).
pub const IMMORTAL_REFCNT_WORD: u64 = IMMORTAL_INITIAL_REFCNT as u64 | ((crate::object::_Py_IMMORTAL_FLAGS as u64) << 48);

/// Low 32 bits of the refcount word: the count every 3.12+ header looks at.
#[inline(always)]
pub const fn low32(word: u64) -> u32 {
    word as u32
}

/// `_Py_IsImmortal`: `(int32_t)ob_refcnt < 0`.
#[inline(always)]
pub const fn is_immortal(word: u64) -> bool {
    (word as u32 as i32) < 0
}

/// `ob_flags`, the upper 16 bits of the word.
#[inline(always)]
pub const fn ob_flags(word: u64) -> u16 {
    (word >> 48) as u16
}

/// Whether the word marks a statically allocated object (never freed).
#[inline(always)]
pub const fn is_static(word: u64) -> bool {
    ob_flags(word) & crate::object::_Py_STATICALLY_ALLOCATED_FLAG != 0
}

/// The word after an incref, as 3.14+ `Py_INCREF` and `_Py_RefcntAdd` compute it:
/// immortal counts are left alone; a mortal count that would reach 2^31 saturates to
/// immortal (it can never be decremented back to 0, so it is "sticky").
#[inline(always)]
pub const fn incremented(word: u64) -> u64 {
    // The common case in one comparison: a mortal count below 2^31 - 1 (the upper half is 0
    // for mortal objects, so adding to the word adds to the count).
    if (word as u32) < IMMORTAL_MINIMUM_REFCNT - 1 {
        return word + 1;
    }
    if word as u32 >= IMMORTAL_INITIAL_REFCNT {
        return word;
    }
    (word & !0xFFFF_FFFF) | IMMORTAL_INITIAL_REFCNT as u64
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decref {
    /// The object is immortal: nothing was changed.
    Immortal,
    /// The count went down and is still positive: store this word.
    Alive(u64),
    /// The count reached zero: the object must be deallocated.
    Dead,
}

/// `Py_DECREF` as 3.14+ compiles it: skip immortals, else subtract one from the low half.
#[inline(always)]
pub const fn decremented(word: u64) -> Decref {
    let count = word as u32;
    if (count as i32) < 0 {
        return Decref::Immortal;
    }
    if count <= 1 {
        return Decref::Dead;
    }
    Decref::Alive((word & !0xFFFF_FFFF) | (count - 1) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mortal_counts_use_the_low_half_only() {
        assert_eq!(incremented(1), 2);
        assert_eq!(decremented(2), Decref::Alive(1));
        assert_eq!(decremented(1), Decref::Dead);
    }

    #[test]
    fn saturation_makes_an_object_immortal() {
        let w = incremented(0x7FFF_FFFF);
        assert_eq!(low32(w), IMMORTAL_INITIAL_REFCNT);
        assert!(is_immortal(w));
        assert_eq!(decremented(w), Decref::Immortal);
    }

    #[test]
    fn immortal_survives_old_abi_drift() {
        // <= 3.11 headers do a plain 64-bit sub; 2^20 over-decrefs still look immortal.
        let w = STATIC_IMMORTAL_INITIAL_REFCNT - (1 << 20);
        assert!(is_immortal(w));
        assert!(is_static(w));
        assert_eq!(incremented(STATIC_IMMORTAL_INITIAL_REFCNT), STATIC_IMMORTAL_INITIAL_REFCNT);
    }
}
