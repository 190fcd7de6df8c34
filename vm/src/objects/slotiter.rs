//! PEP 820 slot arrays, read as CPython 3.15's slot iterator (`Python/slots.c`) reads them:
//! one walk over a `PySlot` array, or a legacy `PyType_Slot`/`PyModuleDef_Slot` array, that
//! follows nested arrays (`Py_slot_subslots`, `Py_tp_slots`, `Py_mod_slots`), resolves the
//! compatibility ids 1–4 for what is being built, and validates each entry the first time it
//! is seen: ids of the other kind, unknown ids, `PySlot_OPTIONAL` on the sentinel, too deep
//! nesting, data that must be `PySlot_STATIC`, NULL values and repeated slots (rejected or,
//! for some slots in `PySlot` arrays only, deprecated), with CPython's exceptions, warnings
//! and messages.
//!
//! It only reads and checks: what each slot means is up to `typespec.rs` (types) and
//! `import/extension.rs` (modules).

use core::ffi::c_int;

use pyrite_abi::mod_slot::Py_mod_slots;
use pyrite_abi::type_slot::*;
use pyrite_abi::*;

use crate::err::PyResult;

/// `_Py_slot_COUNT`: ids below it have a name and a table entry.
const SLOT_COUNT: usize = 111;
/// `_PySlot_MAX_NESTING`: the outer array and at most four nested ones.
const MAX_NESTING: usize = 5;

/// What the slots build (CPython's result kind): it decides what ids 1–4 mean and which
/// ids are foreign.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Type,
    Module,
}

impl Target {
    fn word(self) -> &'static str {
        match self {
            Target::Type => "type",
            Target::Module => "module",
        }
    }
}

/// The struct an array is made of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// `PySlot` (16 bytes, with flags).
    Slot,
    /// `PyType_Slot` (`{int slot; void *pfunc;}`).
    TypeSlot,
    /// `PyModuleDef_Slot` (`{int slot; void *value;}`).
    ModSlot,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dtype {
    Func,
    Ptr,
    /// `Py_ssize_t`, `uint64_t` and markers: never NULL-checked.
    Other,
}

/// How a NULL value or a repeated slot is treated.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Problem {
    Allow,
    /// A `DeprecationWarning` when the outermost array is a `PySlot` array, else silence.
    Deprecated,
    /// `SystemError`.
    Reject,
}

/// One slot id's rules (CPython's `_PySlot_InfoTable`, as 3.15.2 behaves).
struct Info {
    dtype: Dtype,
    /// The kind of object the id belongs to; `None` for ids valid in both (end, subslots).
    target: Option<Target>,
    null: Problem,
    duplicate: Problem,
    must_be_static: bool,
}

fn info(id: u16) -> Info {
    use Dtype::*;
    use Problem::*;
    let (dtype, target, null, duplicate, must_be_static) = match id as c_int {
        Py_tp_base | Py_tp_bases => (Ptr, Some(Target::Type), Deprecated, Deprecated, false),
        Py_tp_doc => (Ptr, Some(Target::Type), Allow, Reject, false),
        Py_tp_methods | Py_tp_getset => (Ptr, Some(Target::Type), Deprecated, Deprecated, true),
        Py_tp_members => (Ptr, Some(Target::Type), Reject, Reject, true),
        // NULL means Py_TP_USE_SPEC, which the type code checks.
        Py_tp_token => (Ptr, Some(Target::Type), Allow, Deprecated, false),
        5..=82 | 88..=91 => (Func, Some(Target::Type), Deprecated, Deprecated, false),
        84 => (Func, Some(Target::Module), Deprecated, Reject, false),
        // A second exec slot is the module code's to refuse (definitions may have several).
        85 => (Func, Some(Target::Module), Reject, Allow, false),
        86 | 87 => (Other, Some(Target::Module), Allow, Reject, false),
        Py_slot_end | Py_slot_subslots => (Ptr, None, Allow, Allow, false),
        Py_tp_slots => (Ptr, Some(Target::Type), Allow, Allow, false),
        Py_mod_slots => (Ptr, Some(Target::Module), Allow, Allow, false),
        Py_tp_name | Py_tp_metaclass | Py_tp_module => (Ptr, Some(Target::Type), Reject, Reject, false),
        Py_tp_basicsize | Py_tp_extra_basicsize | Py_tp_itemsize | Py_tp_flags => (Other, Some(Target::Type), Allow, Reject, false),
        // Py_mod_name, Py_mod_doc, Py_mod_token; Py_mod_methods must be static.
        100 | 101 | 110 => (Ptr, Some(Target::Module), Reject, Reject, false),
        103 => (Ptr, Some(Target::Module), Reject, Reject, true),
        102 => (Other, Some(Target::Module), Allow, Reject, false),
        104..=106 => (Func, Some(Target::Module), Reject, Reject, false),
        // Py_mod_abi may repeat.
        109 => (Ptr, Some(Target::Module), Reject, Allow, false),
        _ => (Other, None, Allow, Allow, false),
    };
    Info { dtype, target, null, duplicate, must_be_static }
}

/// A slot id's C name, as messages show it.
pub fn name(id: u16) -> &'static str {
    match id {
        0xFFFF => "Py_slot_invalid",
        _ => NAMES.get(id as usize).copied().unwrap_or("<unknown_slot>"),
    }
}

const NAMES: [&str; SLOT_COUNT] = [
    "Py_slot_end", "Py_bf_getbuffer/Py_mod_create", "Py_bf_releasebuffer/Py_mod_exec",
    "Py_mp_ass_subscript/Py_mod_multiple_interpreters", "Py_mp_length/Py_mod_gil", "Py_mp_subscript",
    "Py_nb_absolute", "Py_nb_add", "Py_nb_and", "Py_nb_bool", "Py_nb_divmod", "Py_nb_float",
    "Py_nb_floor_divide", "Py_nb_index", "Py_nb_inplace_add", "Py_nb_inplace_and", "Py_nb_inplace_floor_divide", "Py_nb_inplace_lshift",
    "Py_nb_inplace_multiply", "Py_nb_inplace_or", "Py_nb_inplace_power", "Py_nb_inplace_remainder", "Py_nb_inplace_rshift", "Py_nb_inplace_subtract",
    "Py_nb_inplace_true_divide", "Py_nb_inplace_xor", "Py_nb_int", "Py_nb_invert", "Py_nb_lshift", "Py_nb_multiply",
    "Py_nb_negative", "Py_nb_or", "Py_nb_positive", "Py_nb_power", "Py_nb_remainder", "Py_nb_rshift",
    "Py_nb_subtract", "Py_nb_true_divide", "Py_nb_xor", "Py_sq_ass_item", "Py_sq_concat", "Py_sq_contains",
    "Py_sq_inplace_concat", "Py_sq_inplace_repeat", "Py_sq_item", "Py_sq_length", "Py_sq_repeat", "Py_tp_alloc",
    "Py_tp_base", "Py_tp_bases", "Py_tp_call", "Py_tp_clear", "Py_tp_dealloc", "Py_tp_del",
    "Py_tp_descr_get", "Py_tp_descr_set", "Py_tp_doc", "Py_tp_getattr", "Py_tp_getattro", "Py_tp_hash",
    "Py_tp_init", "Py_tp_is_gc", "Py_tp_iter", "Py_tp_iternext", "Py_tp_methods", "Py_tp_new",
    "Py_tp_repr", "Py_tp_richcompare", "Py_tp_setattr", "Py_tp_setattro", "Py_tp_str", "Py_tp_traverse",
    "Py_tp_members", "Py_tp_getset", "Py_tp_free", "Py_nb_matrix_multiply", "Py_nb_inplace_matrix_multiply", "Py_am_await",
    "Py_am_aiter", "Py_am_anext", "Py_tp_finalize", "Py_am_send", "Py_tp_vectorcall", "Py_tp_token",
    "Py_mod_create", "Py_mod_exec", "Py_mod_multiple_interpreters", "Py_mod_gil", "Py_bf_getbuffer", "Py_bf_releasebuffer",
    "Py_mp_ass_subscript", "Py_mp_length", "Py_slot_subslots", "Py_tp_slots", "Py_mod_slots", "Py_tp_name",
    "Py_tp_basicsize", "Py_tp_extra_basicsize", "Py_tp_itemsize", "Py_tp_flags", "Py_mod_name", "Py_mod_doc",
    "Py_mod_state_size", "Py_mod_methods", "Py_mod_state_traverse", "Py_mod_state_clear", "Py_mod_state_free", "Py_tp_metaclass",
    "Py_tp_module", "Py_mod_abi", "Py_mod_token",
];

/// One slot as the iterator yields it: the id resolved (never 1–4), the flags, and the
/// value's 8 bytes (a pointer, function, size or 64-bit integer: `PySlot_INTPTR` stores
/// each of them in the same bits on this 64-bit target).
#[derive(Clone, Copy)]
pub struct Entry {
    pub id: c_int,
    pub flags: u16,
    pub bits: u64,
}

impl Entry {
    pub fn ptr(&self) -> *mut core::ffi::c_void {
        self.bits as usize as *mut core::ffi::c_void
    }
    pub fn size(&self) -> Py_ssize_t {
        self.bits as i64 as Py_ssize_t
    }
}

/// The walk over a slot array and the arrays it includes.
pub struct SlotIter {
    target: Target,
    /// One entry per nesting level: the array's layout and the current element.
    levels: Vec<(Layout, *const u8)>,
    /// The outermost array's layout: NULL values and repeats are deprecated only in `PySlot`
    /// arrays; legacy arrays keep their silence.
    outer: Layout,
    /// Which ids were seen (bit per id).
    seen: u128,
    /// The type's or module's name for messages, once known.
    pub name: Option<String>,
}

impl SlotIter {
    fn with_layout(target: Target, layout: Layout, first: *const u8) -> SlotIter {
        let levels = if first.is_null() { Vec::new() } else { vec![(layout, first)] };
        SlotIter { target, levels, outer: layout, seen: 0, name: None }
    }

    /// Over a `PySlot` array ending with `Py_slot_end`.
    pub fn new(slots: *const PySlot, target: Target) -> SlotIter {
        SlotIter::with_layout(target, Layout::Slot, slots as *const u8)
    }

    /// Over a `PyType_Spec`'s `PyType_Slot` array ending with slot 0 (NULL: empty).
    pub fn legacy_type(slots: *const PyType_Slot) -> SlotIter {
        SlotIter::with_layout(Target::Type, Layout::TypeSlot, slots as *const u8)
    }

    /// Over a `PyModuleDef`'s `PyModuleDef_Slot` array ending with slot 0 (NULL: empty).
    pub fn legacy_module(slots: *const PyModuleDef_Slot) -> SlotIter {
        SlotIter::with_layout(Target::Module, Layout::ModSlot, slots as *const u8)
    }

    /// Whether an earlier `next` yielded slot `id`.
    pub fn saw(&self, id: c_int) -> bool {
        (0..SLOT_COUNT as c_int).contains(&id) && self.seen & (1u128 << id) != 0
    }

    /// Steps the innermost level to its next element.
    fn advance(&mut self) {
        if let Some((layout, p)) = self.levels.last_mut() {
            let step = match layout {
                Layout::Slot => size_of::<PySlot>(),
                Layout::TypeSlot => size_of::<PyType_Slot>(),
                Layout::ModSlot => size_of::<PyModuleDef_Slot>(),
            };
            // SAFETY: the element just read was not the sentinel, so the next one exists.
            *p = unsafe { p.add(step) };
        }
    }

    /// `_PySlot_resolve_*_slot`: the id a raw id stands for here, or `Py_slot_invalid`.
    fn resolve(&self, raw: u16) -> u16 {
        match raw {
            1..=4 => match self.target {
                Target::Type => raw + 87,
                Target::Module => raw + 83,
            },
            _ if (raw as usize) < SLOT_COUNT => match info(raw).target {
                Some(t) if t != self.target => 0xFFFF,
                _ => raw,
            },
            _ => 0xFFFF,
        }
    }

    /// The next slot; `None` at the end.
    ///
    /// # Safety
    /// The arrays are valid and terminated, each value what its id says (nested arrays
    /// included).
    pub unsafe fn next(&mut self) -> PyResult<Option<Entry>> {
        loop {
            let Some(&(layout, p)) = self.levels.last() else { return Ok(None) };
            // SAFETY: `p` points to an element of a valid array (the caller's promise).
            let (raw, flags, bits) = unsafe {
                match layout {
                    Layout::Slot => {
                        let s = &*(p as *const PySlot);
                        (s.sl_id, s.sl_flags, s.value.sl_uint64)
                    }
                    Layout::TypeSlot => {
                        let s = &*(p as *const PyType_Slot);
                        (s.slot as u16, PySlot_INTPTR, s.pfunc as usize as u64)
                    }
                    Layout::ModSlot => {
                        let s = &*(p as *const PyModuleDef_Slot);
                        (s.slot as u16, PySlot_INTPTR, s.value as usize as u64)
                    }
                }
            };
            let id = self.resolve(raw);
            if id == 0xFFFF {
                if flags & PySlot_OPTIONAL != 0 {
                    self.advance();
                    continue;
                }
                return Err(self.bad_slot(raw));
            }
            if id == 0 {
                if flags & PySlot_OPTIONAL != 0 {
                    return Err(raise!(SystemError, "invalid flags for Py_slot_end: 0x{:x}", flags));
                }
                self.levels.pop();
                self.advance();
                continue;
            }
            if matches!(id as c_int, Py_slot_subslots | Py_tp_slots | Py_mod_slots) {
                if bits == 0 {
                    self.advance();
                    continue;
                }
                if self.outer == Layout::ModSlot && layout == Layout::Slot && flags & PySlot_STATIC == 0 {
                    return Err(raise!(SystemError, "slots included from PyModuleDef must be static"));
                }
                if self.levels.len() >= MAX_NESTING {
                    return Err(raise!(SystemError, "{} (slot {}): too many levels of nested slots", name(id), raw));
                }
                let inner = match id as c_int {
                    Py_slot_subslots => Layout::Slot,
                    Py_tp_slots => Layout::TypeSlot,
                    _ => Layout::ModSlot,
                };
                self.levels.push((inner, bits as usize as *const u8));
                continue;
            }
            self.advance();
            let entry = Entry { id: id as c_int, flags, bits };
            self.check(entry, layout)?;
            return Ok(Some(entry));
        }
    }

    /// `_PySlot_err_bad_slot`.
    fn bad_slot(&self, raw: u16) -> crate::err::PyErr {
        if (raw as usize) < SLOT_COUNT {
            raise!(SystemError, "invalid {} slot {} ({})", self.target.word(), raw, name(raw))
        } else if raw == 0xFFFF {
            raise!(SystemError, "invalid slot (Py_slot_invalid, {})", raw)
        } else {
            raise!(SystemError, "unknown {} slot ID {}", self.target.word(), raw)
        }
    }

    /// The checks of a slot's first reading: static data, NULL values, repeats.
    fn check(&mut self, e: Entry, layout: Layout) -> PyResult<()> {
        let id = e.id as u16;
        let rules = info(id);
        let slot_name = name(id);
        if rules.must_be_static && e.flags & PySlot_STATIC == 0 && layout == Layout::Slot {
            return Err(raise!(SystemError, "{} requires PySlot_STATIC", slot_name));
        }
        if rules.null != Problem::Allow && rules.dtype != Dtype::Other && e.bits == 0 {
            if rules.null == Problem::Reject {
                return Err(raise!(SystemError, "NULL not allowed for slot {}", slot_name));
            }
            if self.outer == Layout::Slot {
                deprecation(&format!("NULL value in slot {slot_name} is deprecated"))?;
            }
        }
        if rules.duplicate != Problem::Allow && self.saw(e.id) {
            let what = match &self.name {
                Some(n) => format!("{} {}", self.target.word(), n),
                None => self.target.word().to_string(),
            };
            if rules.duplicate == Problem::Reject {
                return Err(raise!(SystemError, "{} has multiple {} ({}) slots", what, slot_name, id));
            }
            if self.outer == Layout::Slot {
                deprecation(&format!("{what} has multiple {slot_name} ({id}) slots. This is deprecated."))?;
            }
        }
        self.seen |= 1u128 << id;
        Ok(())
    }
}

fn deprecation(message: &str) -> PyResult<()> {
    crate::stdlib::warnings::warn(None, &crate::objects::unicode::new(message), 1, crate::objects::exceptions::DeprecationWarning())
}
