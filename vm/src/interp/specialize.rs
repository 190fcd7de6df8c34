//! The adaptive half of the interpreter (PEP 659): counters, the specializers that rewrite an
//! instruction in place into a specialized form with its inline cache filled, and the
//! statistics `-X pystats` prints.
//!
//! A code object runs from its *adaptive* copy of the bytecode (`code::adaptive`); `co_code`
//! keeps the instructions as compiled. The first cache unit of every instruction of an
//! adaptive family is a counter: 12 bits of countdown over 4 bits of backoff exponent. The base
//! instruction counts down on each execution and, at zero, asks `specialize` to choose a form
//! from the operands it sees; a specialized form checks its guards and, when one fails, runs
//! its family's generic code, which counts down the same counter (a cooldown after a success)
//! and re-specializes at zero. Failures back off exponentially.
//!
//! Cache layouts after the counter (code units):
//! - `LOAD_GLOBAL`: 1 entry index, 2-3 globals keys version, 4-5 builtins keys version.
//! - `LOAD_ATTR`: 1-2 type (or module dict keys) version, 3 entry hint or slot offset, 4-7 a
//!   borrowed object (the method or class attribute; the version guard keeps it alive).
//! - `STORE_ATTR`: 1-2 type version, 3 entry hint or slot offset.
//! - `CALL`: 1-2 the class's version and 3-6 its `__init__` (`CALL_ALLOC_AND_ENTER_INIT`).
//! - the others: the counter only (their guards are on the operands' exact types).

use core::cell::{Cell, UnsafeCell};
use core::sync::atomic::{AtomicBool, Ordering};

use pyrite_abi::*;

use crate::bytecode::{instruction_len, CodeUnit, Opcode};
use crate::number::BinaryOp;
use crate::object::Obj;
use crate::objects::type_::{self, TypeObj};
use crate::objects::{bool_, descr, dict, float, function, genobject, list, long, methodobject, module, none, range, tuple, unicode};

/// An instruction's inline cache: the code units after it.
#[derive(Clone, Copy)]
pub struct Cache<'a> {
    units: &'a [Cell<CodeUnit>],
    at: usize,
}

impl<'a> Cache<'a> {
    #[inline(always)]
    pub fn new(units: &'a [Cell<CodeUnit>], at: usize) -> Cache<'a> {
        Cache { units, at }
    }

    #[inline(always)]
    fn counter(&self) -> &Cell<CodeUnit> {
        &self.units[self.at]
    }

    #[inline(always)]
    pub fn u16(&self, i: usize) -> u16 {
        self.units[self.at + i].get()
    }

    fn set_u16(&self, i: usize, v: u16) {
        self.units[self.at + i].set(v);
    }

    #[inline(always)]
    pub fn u32(&self, i: usize) -> u32 {
        self.u16(i) as u32 | (self.u16(i + 1) as u32) << 16
    }

    fn set_u32(&self, i: usize, v: u32) {
        self.set_u16(i, v as u16);
        self.set_u16(i + 1, (v >> 16) as u16);
    }

    #[inline(always)]
    pub fn ptr(&self, i: usize) -> *mut PyObject {
        let v = (0..4).fold(0u64, |acc, k| acc | (self.u16(i + k) as u64) << (16 * k));
        v as usize as *mut PyObject
    }

    fn set_ptr(&self, i: usize, p: *mut PyObject) {
        for k in 0..4 {
            self.set_u16(i + k, ((p as usize as u64) >> (16 * k)) as u16);
        }
    }

    /// Rewrites the instruction's opcode; its oparg byte stays.
    fn rewrite(&self, op: Opcode) {
        let u = &self.units[self.at - 1];
        u.set((u.get() & 0xff00) | op as u16);
    }
}

/// Countdown 1, backoff 1: an instruction specializes on its second execution.
const WARMUP: u16 = 1 << 4 | 1;
/// After a successful specialization: how many guard failures before re-specializing.
const COOLDOWN: u16 = 52 << 4;

/// Counts down an adaptive counter; true when it has reached zero (time to specialize).
#[inline(always)]
pub fn tick(c: Cache) -> bool {
    let v = c.counter().get();
    if v < 16 {
        return true;
    }
    c.counter().set(v - 16);
    false
}

fn backoff(c: Cache) {
    let b = ((c.counter().get() & 15) + 1).min(12);
    c.counter().set(((1u16 << b) - 1) << 4 | b);
}

/// The bytecode a code object runs: `code` with the counters of adaptive instructions set.
pub fn adaptive_copy(code: &[CodeUnit]) -> Box<[Cell<CodeUnit>]> {
    let units: Box<[Cell<CodeUnit>]> = code.iter().map(|&u| Cell::new(u)).collect();
    let mut i = 0;
    while i < code.len() {
        let op = Opcode::from_u8(code[i] as u8).unwrap_or(Opcode::NOP);
        // A specialized form in `co_code` (made by hand) starts as its adaptive instruction:
        // its cache holds no data a guard could trust.
        let op = if op.family() != op {
            units[i].set(crate::bytecode::unit(op.family(), (code[i] >> 8) as u8));
            op.family()
        } else {
            op
        };
        if op.is_adaptive() && i + 1 < code.len() {
            units[i + 1].set(WARMUP);
        }
        i += if op == Opcode::EXTENDED_ARG { 1 } else { instruction_len(op) };
    }
    units
}

/// What the specializer sees of the instruction and its frame.
pub struct Site<'a> {
    pub op: Opcode,
    pub arg: u32,
    pub cache: Cache<'a>,
    pub names: &'a Obj,
    pub stack: &'a [*mut PyObject],
    pub globals: &'a Obj,
    pub builtins: &'a Obj,
}

impl Site<'_> {
    /// The `n`-th value from the top of the stack (1 = top); NULL slots are None.
    fn peek(&self, n: usize) -> Option<&Obj> {
        // SAFETY: stack slots are NULL or live objects.
        unsafe { crate::slot::opt_arg(self.stack[self.stack.len() - n]) }
    }

    fn name(&self, i: u32) -> &Obj {
        tuple::get(self.names, i as usize)
    }
}

type Choice = Result<Opcode, &'static str>;

/// Chooses and installs a specialized form for the instruction at `site` (or backs off).
/// The caller re-dispatches the instruction afterwards.
#[cold]
pub fn specialize(site: &Site) {
    let family = site.op.family();
    let choice = match family {
        Opcode::LOAD_GLOBAL => load_global(site),
        Opcode::LOAD_ATTR => load_attr(site),
        Opcode::STORE_ATTR => store_attr(site),
        Opcode::BINARY_OP => binary_op(site),
        Opcode::BINARY_SUBSCR => binary_subscr(site),
        Opcode::STORE_SUBSCR => store_subscr(site),
        Opcode::COMPARE_OP => compare_op(site),
        Opcode::TO_BOOL => to_bool(site),
        Opcode::UNPACK_SEQUENCE => unpack_sequence(site),
        Opcode::FOR_ITER => for_iter(site),
        Opcode::CALL => call(site),
        _ => Err("not adaptive"),
    };
    match choice {
        Ok(op) => {
            site.cache.rewrite(op);
            site.cache.counter().set(COOLDOWN);
            stats::specialized(family, true, "");
        }
        Err(why) => {
            site.cache.rewrite(family);
            backoff(site.cache);
            stats::specialized(family, false, why);
        }
    }
}

fn u16_index(ix: usize) -> Result<u16, &'static str> {
    u16::try_from(ix).map_err(|_| "index out of range")
}

fn load_global(s: &Site) -> Choice {
    let name = s.name(s.arg >> 1);
    if !s.globals.is_exact(&dict::PyDict_Type) || !s.builtins.is_exact(&dict::PyDict_Type) || !unicode::check_exact(name) {
        return Err("globals or builtins not a dict");
    }
    let gv = dict::keys_version_for_specialization(s.globals);
    if gv == 0 {
        return Err("out of versions");
    }
    if let Some(ix) = dict::str_entry_index(s.globals, name) {
        s.cache.set_u16(1, u16_index(ix)?);
        s.cache.set_u32(2, gv);
        return Ok(Opcode::LOAD_GLOBAL_MODULE);
    }
    let bv = dict::keys_version_for_specialization(s.builtins);
    if bv == 0 {
        return Err("out of versions");
    }
    let Some(ix) = dict::str_entry_index(s.builtins, name) else { return Err("name not found") };
    s.cache.set_u16(1, u16_index(ix)?);
    s.cache.set_u32(2, gv);
    s.cache.set_u32(4, bv);
    Ok(Opcode::LOAD_GLOBAL_BUILTIN)
}

/// The offset of a `__slots__` member an instruction may read or write directly.
fn slot_offset(d: &Obj) -> Option<u16> {
    if !d.is_exact(&descr::PyMemberDescr_Type) {
        return None;
    }
    // SAFETY: a member descriptor wraps a live PyMemberDef.
    let m = unsafe { &*((*(d.as_ptr() as *mut descr::DescrObject)).d_def as *const PyMemberDef) };
    if m.type_code != Py_T_OBJECT_EX || m.flags & Py_READONLY != 0 {
        return None;
    }
    u16::try_from(m.offset).ok()
}

fn load_attr(s: &Site) -> Choice {
    let name = s.name(s.arg >> 1);
    let method = s.arg & 1 != 0;
    let owner = s.peek(1).ok_or("no owner")?;
    if !unicode::check_exact(name) {
        return Err("name not a str");
    }
    let ty = owner.ob_type();
    if ty.is(&module::PyModule_Type) {
        let d = module::dict_of(owner);
        let v = dict::keys_version_for_specialization(d);
        let ix = dict::str_entry_index(d, name).ok_or("module attribute not found")?;
        if v == 0 {
            return Err("out of versions");
        }
        s.cache.set_u32(1, v);
        s.cache.set_u16(3, u16_index(ix)?);
        return Ok(Opcode::LOAD_ATTR_MODULE);
    }
    if let Some(cls) = TypeObj::downcast(owner) {
        if !ty.is(&type_::PyType_Type) {
            return Err("metaclass");
        }
        if let Some(m) = ty.lookup(name) {
            if m.ob_type().slots().tp_descr_set.is_some() {
                return Err("type attribute");
            }
        }
        let v = cls.lookup(name).ok_or("class attribute not found")?;
        if v.ob_type().slots().tp_descr_get.is_some() && !function::check(v) {
            return Err("class attribute is a descriptor");
        }
        let tag = type_::version_tag(cls);
        if tag == 0 {
            return Err("out of versions");
        }
        s.cache.set_u32(1, tag);
        s.cache.set_ptr(4, v.as_ptr());
        return Ok(Opcode::LOAD_ATTR_CLASS);
    }
    if !type_::is_slot(ty.slots().tp_getattro, Some(type_::generic_getattr as _)) {
        return Err("custom __getattribute__ or __getattr__");
    }
    let tag = type_::version_tag(ty);
    if tag == 0 {
        return Err("out of versions");
    }
    s.cache.set_u32(1, tag);
    let d = ty.lookup(name);
    let instance_dict = type_::instance_dict_slot(owner).and_then(|slot| {
        // SAFETY: the slot holds NULL or the instance's dict.
        unsafe { crate::slot::opt_arg(*slot) }
    });
    if let Some(d) = d {
        if let Some(off) = slot_offset(d) {
            s.cache.set_u16(3, off);
            return Ok(Opcode::LOAD_ATTR_SLOT);
        }
        let dt = d.ob_type();
        if dt.slots().tp_descr_set.is_some() {
            return Err(if dt.name() == "property" { "property" } else { "data descriptor" });
        }
        if method && dt.has_flag(Py_TPFLAGS_METHOD_DESCRIPTOR) {
            if instance_dict.is_some_and(|id| dict::str_entry_index(id, name).is_some()) {
                return Err("method shadowed by the instance");
            }
            s.cache.set_ptr(4, d.as_ptr());
            return Ok(if ty.slots().tp_dictoffset == 0 { Opcode::LOAD_ATTR_METHOD_NO_DICT } else { Opcode::LOAD_ATTR_METHOD_WITH_VALUES });
        }
    }
    if ty.slots().tp_dictoffset <= 0 {
        return Err(if d.is_some() { "non-method class attribute" } else { "no instance dict" });
    }
    let ix = instance_dict.and_then(|id| dict::str_entry_index(id, name)).ok_or(if d.is_some() {
        "class attribute read through an instance"
    } else {
        "attribute not found"
    })?;
    s.cache.set_u16(3, u16_index(ix)?);
    Ok(Opcode::LOAD_ATTR_INSTANCE_VALUE)
}

fn store_attr(s: &Site) -> Choice {
    let name = s.name(s.arg);
    let owner = s.peek(1).ok_or("no owner")?;
    if !unicode::check_exact(name) {
        return Err("name not a str");
    }
    let ty = owner.ob_type();
    if TypeObj::downcast(owner).is_some() || ty.is(&module::PyModule_Type) {
        return Err("class or module attribute");
    }
    if !type_::is_slot(ty.slots().tp_setattro, Some(type_::generic_setattr as _)) {
        return Err("custom __setattr__");
    }
    let tag = type_::version_tag(ty);
    if tag == 0 {
        return Err("out of versions");
    }
    s.cache.set_u32(1, tag);
    if let Some(d) = ty.lookup(name) {
        if let Some(off) = slot_offset(d) {
            s.cache.set_u16(3, off);
            return Ok(Opcode::STORE_ATTR_SLOT);
        }
        if d.ob_type().slots().tp_descr_set.is_some() {
            return Err("data descriptor");
        }
    }
    if ty.slots().tp_dictoffset <= 0 {
        return Err("no instance dict");
    }
    let hint = type_::instance_dict_slot(owner)
        .and_then(|slot| unsafe { crate::slot::opt_arg(*slot) })
        .and_then(|id| dict::str_entry_index(id, name))
        .and_then(|ix| u16::try_from(ix).ok())
        .unwrap_or(u16::MAX);
    s.cache.set_u16(3, hint);
    Ok(Opcode::STORE_ATTR_INSTANCE_VALUE)
}

/// The value of an exact int of at most two digits (|v| < 2^60), the operand range of the
/// int fast paths: sums and differences fit an i64, products an i128.
#[inline(always)]
pub fn small_int(o: &Obj) -> Option<i64> {
    if !o.is_exact(&long::PyLong_Type) {
        return None;
    }
    let (sign, ds) = long::sign_and_digits(o);
    match ds.len() {
        0 => Some(0),
        1 => Some(sign as i64 * ds[0] as i64),
        2 => Some(sign as i64 * ((ds[1] as i64) << PyLong_SHIFT | ds[0] as i64)),
        _ => None,
    }
}

/// An exact float's value, or an exact int's when it converts to a double exactly (magnitude
/// at most 2**53): the operands `BINARY_OP_EXTEND_FLOAT` takes.
#[inline(always)]
pub fn number_as_double(o: &Obj) -> Option<f64> {
    if o.is_exact(&float::PyFloat_Type) {
        return Some(float::value(o));
    }
    small_int(o).filter(|v| v.unsigned_abs() <= 1 << 53).map(|v| v as f64)
}

/// `BINARY_OP_EXTEND_FLOAT`'s result: None when the guard fails or the generic form must
/// raise (division by zero).
#[inline(always)]
pub fn extend_float(op: BinaryOp, a: &Obj, b: &Obj) -> Option<f64> {
    let (x, y) = (number_as_double(a)?, number_as_double(b)?);
    // Two ints make an int except under `/`.
    if op != BinaryOp::TrueDiv && !a.is_exact(&float::PyFloat_Type) && !b.is_exact(&float::PyFloat_Type) {
        return None;
    }
    Some(match op {
        BinaryOp::Add => x + y,
        BinaryOp::Sub => x - y,
        BinaryOp::Mul => x * y,
        BinaryOp::TrueDiv if y != 0.0 => x / y,
        _ => return None,
    })
}

/// The binary operator of a `BINARY_OP` oparg (in-place forms add 13).
#[inline(always)]
pub fn binary_operator(arg: u32) -> BinaryOp {
    BinaryOp::ALL[(if arg >= 13 { arg - 13 } else { arg }) as usize]
}

fn binary_op(s: &Site) -> Choice {
    let (a, b) = (s.peek(2).ok_or("operand")?, s.peek(1).ok_or("operand")?);
    let op = binary_operator(s.arg);
    if small_int(a).is_some() && small_int(b).is_some() {
        return match op {
            BinaryOp::Add => Ok(Opcode::BINARY_OP_ADD_INT),
            BinaryOp::Sub => Ok(Opcode::BINARY_OP_SUBTRACT_INT),
            BinaryOp::Mul => Ok(Opcode::BINARY_OP_MULTIPLY_INT),
            BinaryOp::FloorDiv | BinaryOp::Mod | BinaryOp::And | BinaryOp::Or | BinaryOp::Xor | BinaryOp::LShift | BinaryOp::RShift => {
                Ok(Opcode::BINARY_OP_EXTEND_INT)
            }
            BinaryOp::TrueDiv if number_as_double(a).is_some() && number_as_double(b).is_some() => Ok(Opcode::BINARY_OP_EXTEND_FLOAT),
            _ => Err("int operator"),
        };
    }
    let mixed = a.is_exact(&float::PyFloat_Type) != b.is_exact(&float::PyFloat_Type);
    if mixed && number_as_double(a).is_some() && number_as_double(b).is_some() {
        return match op {
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::TrueDiv => Ok(Opcode::BINARY_OP_EXTEND_FLOAT),
            _ => Err("float operator"),
        };
    }
    if a.is_exact(&float::PyFloat_Type) && b.is_exact(&float::PyFloat_Type) {
        return match op {
            BinaryOp::Add => Ok(Opcode::BINARY_OP_ADD_FLOAT),
            BinaryOp::Sub => Ok(Opcode::BINARY_OP_SUBTRACT_FLOAT),
            BinaryOp::Mul => Ok(Opcode::BINARY_OP_MULTIPLY_FLOAT),
            BinaryOp::TrueDiv => Ok(Opcode::BINARY_OP_TRUE_DIVIDE_FLOAT),
            _ => Err("float operator"),
        };
    }
    if unicode::check_exact(a) && unicode::check_exact(b) && op == BinaryOp::Add {
        return Ok(Opcode::BINARY_OP_ADD_UNICODE);
    }
    Err(if a.is_exact(&float::PyFloat_Type) || b.is_exact(&float::PyFloat_Type) {
        "mixed int and float"
    } else if a.is_exact(&long::PyLong_Type) && b.is_exact(&long::PyLong_Type) {
        "big int"
    } else {
        "other types"
    })
}

fn binary_subscr(s: &Site) -> Choice {
    let (c, k) = (s.peek(2).ok_or("operand")?, s.peek(1).ok_or("operand")?);
    if list::check_exact(c) && small_int(k).is_some() {
        return Ok(Opcode::BINARY_SUBSCR_LIST_INT);
    }
    if c.is_exact(&tuple::PyTuple_Type) && small_int(k).is_some() {
        return Ok(Opcode::BINARY_SUBSCR_TUPLE_INT);
    }
    if c.is_exact(&dict::PyDict_Type) {
        return Ok(Opcode::BINARY_SUBSCR_DICT);
    }
    Err("other container")
}

fn store_subscr(s: &Site) -> Choice {
    let (c, k) = (s.peek(2).ok_or("operand")?, s.peek(1).ok_or("operand")?);
    if list::check_exact(c) && small_int(k).is_some() {
        return Ok(Opcode::STORE_SUBSCR_LIST_INT);
    }
    if c.is_exact(&dict::PyDict_Type) {
        return Ok(Opcode::STORE_SUBSCR_DICT);
    }
    Err("other container")
}

fn compare_op(s: &Site) -> Choice {
    let (a, b) = (s.peek(2).ok_or("operand")?, s.peek(1).ok_or("operand")?);
    if small_int(a).is_some() && small_int(b).is_some() {
        return Ok(Opcode::COMPARE_OP_INT);
    }
    if a.is_exact(&float::PyFloat_Type) && b.is_exact(&float::PyFloat_Type) {
        return Ok(Opcode::COMPARE_OP_FLOAT);
    }
    if unicode::check_exact(a) && unicode::check_exact(b) && (s.arg >> 5 == Py_EQ as u32 || s.arg >> 5 == Py_NE as u32) {
        return Ok(Opcode::COMPARE_OP_STR);
    }
    Err("other types")
}

fn to_bool(s: &Site) -> Choice {
    let v = s.peek(1).ok_or("operand")?;
    Ok(if v.is_exact(&bool_::PyBool_Type) {
        Opcode::TO_BOOL_BOOL
    } else if v.is_exact(&long::PyLong_Type) {
        Opcode::TO_BOOL_INT
    } else if v.is(none::none_obj()) {
        Opcode::TO_BOOL_NONE
    } else if list::check_exact(v) {
        Opcode::TO_BOOL_LIST
    } else if unicode::check_exact(v) {
        Opcode::TO_BOOL_STR
    } else {
        return Err("other type");
    })
}

fn unpack_sequence(s: &Site) -> Choice {
    let v = s.peek(1).ok_or("operand")?;
    if v.is_exact(&tuple::PyTuple_Type) {
        return Ok(if s.arg == 2 { Opcode::UNPACK_SEQUENCE_TWO_TUPLE } else { Opcode::UNPACK_SEQUENCE_TUPLE });
    }
    if list::check_exact(v) {
        return Ok(Opcode::UNPACK_SEQUENCE_LIST);
    }
    Err("other type")
}

fn for_iter(s: &Site) -> Choice {
    let it = s.peek(1).ok_or("operand")?;
    if it.is_exact(&list::PyListIter_Type) {
        Ok(Opcode::FOR_ITER_LIST)
    } else if it.is_exact(&tuple::PyTupleIter_Type) {
        Ok(Opcode::FOR_ITER_TUPLE)
    } else if range::iter_check(it) {
        Ok(Opcode::FOR_ITER_RANGE)
    } else if genobject::check(it) {
        Ok(Opcode::FOR_ITER_GEN)
    } else {
        Err("other iterator")
    }
}

/// Whether calling `func` with `nargs` positional arguments binds them one to one.
#[inline(always)]
pub fn exact_args(func: &Obj, nargs: usize) -> bool {
    let cd = crate::objects::code::data(function::code_of(func));
    cd.argcount as usize == nargs
        && cd.kwonlyargcount == 0
        && cd.flags & (crate::objects::code::CO_VARARGS | crate::objects::code::CO_VARKEYWORDS) == 0
}

/// The method definition of a plain built-in or method descriptor and its calling convention.
#[inline(always)]
pub fn method_def(callable: &Obj) -> Option<(*mut PyMethodDef, i32)> {
    let ml = if callable.is_exact(&methodobject::PyCFunction_Type) {
        // SAFETY: a built-in function.
        unsafe { (*(callable.as_ptr() as *mut methodobject::CFunctionObject)).m_ml }
    } else if callable.is_exact(&descr::PyMethodDescr_Type) {
        // SAFETY: a method descriptor wraps a PyMethodDef.
        unsafe { (*(callable.as_ptr() as *mut descr::DescrObject)).d_def as *mut PyMethodDef }
    } else {
        return None;
    };
    // SAFETY: a live method definition.
    Some((ml, unsafe { (*ml).ml_flags }))
}

fn call(s: &Site) -> Choice {
    let argc = s.arg as usize;
    let callable = s.peek(argc + 2).ok_or("callable")?;
    let has_self = s.peek(argc + 1).is_some();
    let total = argc + has_self as usize;
    if function::check(callable) {
        return Ok(if exact_args(callable, total) { Opcode::CALL_PY_EXACT_ARGS } else { Opcode::CALL_PY_GENERAL });
    }
    if function::method_check(callable) && !has_self {
        let (func, _) = function::method_parts(callable);
        return if function::check(func) && exact_args(func, total + 1) {
            Ok(Opcode::CALL_BOUND_METHOD_EXACT_ARGS)
        } else {
            Err("bound method, not exact args")
        };
    }
    if callable.is(&type_::PyType_Type) && total == 1 {
        return Ok(Opcode::CALL_TYPE_1);
    }
    if let Some((ml, flags)) = method_def(callable) {
        if callable.is_exact(&methodobject::PyCFunction_Type) {
            if crate::builtins::is_len(ml) && total == 1 {
                return Ok(Opcode::CALL_LEN);
            }
            if crate::builtins::is_isinstance(ml) && total == 2 {
                return Ok(Opcode::CALL_ISINSTANCE);
            }
            return match flags {
                METH_O if total == 1 => Ok(Opcode::CALL_BUILTIN_O),
                f if f == METH_FASTCALL || f == METH_FASTCALL | METH_KEYWORDS => Ok(Opcode::CALL_BUILTIN_FAST),
                _ => Ok(Opcode::CALL_NON_PY_GENERAL),
            };
        }
        return match flags {
            METH_O if total == 2 => Ok(Opcode::CALL_METHOD_DESCRIPTOR_O),
            f if (f == METH_FASTCALL || f == METH_FASTCALL | METH_KEYWORDS) && total >= 1 => Ok(Opcode::CALL_METHOD_DESCRIPTOR_FAST),
            METH_NOARGS if total == 1 => Ok(Opcode::CALL_METHOD_DESCRIPTOR_NOARGS),
            _ => Ok(Opcode::CALL_NON_PY_GENERAL),
        };
    }
    if let Some(cls) = TypeObj::downcast(callable) {
        return alloc_and_init(s, cls, total);
    }
    Err("other callable")
}

/// Whether instantiating `cls` is allocation plus a Python `__init__` taking `nargs`
/// arguments after self; its `__init__` if so.
pub fn plain_init(cls: &TypeObj, nargs: usize) -> Option<&Obj> {
    let sl = cls.slots();
    let simple = cls.ob_type().is(&type_::PyType_Type)
        && !cls.has_flag(Py_TPFLAGS_IS_ABSTRACT)
        && sl.tp_new.is_some_and(|n| type_::is_slot(n, type_::object_new as _))
        && sl.tp_alloc.is_some_and(|a| type_::is_slot(a, crate::alloc::generic_alloc as _))
        && sl.tp_init.is_some_and(|i| crate::objects::slotdefs::is_slot_init(i));
    if !simple {
        return None;
    }
    // A generator or coroutine `__init__` must go the generic way (its call returns an object,
    // which `type.__call__` rejects).
    let plain_code = |f: &Obj| {
        use crate::objects::code::{CO_ASYNC_GENERATOR, CO_COROUTINE, CO_GENERATOR};
        crate::objects::code::data(function::code_of(f)).flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR) == 0
    };
    cls.lookup_str("__init__").filter(|f| function::check(f) && exact_args(f, nargs + 1) && plain_code(f))
}

fn alloc_and_init(s: &Site, cls: &TypeObj, nargs: usize) -> Choice {
    if s.peek(s.arg as usize + 1).is_some() {
        return Err("class called with self");
    }
    let init = plain_init(cls, nargs).ok_or("class")?;
    let tag = type_::version_tag(cls);
    if tag == 0 {
        return Err("out of versions");
    }
    s.cache.set_u32(1, tag);
    s.cache.set_ptr(3, init.as_ptr());
    Ok(Opcode::CALL_ALLOC_AND_ENTER_INIT)
}

// ---- Statistics (`-X pystats`) -----------------------------------------------------------------

pub mod stats {
    use super::*;
    use std::collections::HashMap;

    static ON: AtomicBool = AtomicBool::new(false);

    struct Counts {
        executed: [u64; 256],
        misses: [u64; 256],
        succeeded: [u64; 256],
        failed: [u64; 256],
        reasons: Option<HashMap<(u8, &'static str), u64>>,
    }

    struct Table(UnsafeCell<Counts>);
    // SAFETY: bytecode runs under the GIL, one thread at a time; the table is only touched there.
    unsafe impl Sync for Table {}

    static COUNTS: Table =
        Table(UnsafeCell::new(Counts { executed: [0; 256], misses: [0; 256], succeeded: [0; 256], failed: [0; 256], reasons: None }));

    fn counts() -> &'static mut Counts {
        // SAFETY: see `Table`.
        unsafe { &mut *COUNTS.0.get() }
    }

    pub fn enable() {
        ON.store(true, Ordering::Relaxed);
    }

    #[inline(always)]
    pub fn on() -> bool {
        ON.load(Ordering::Relaxed)
    }

    #[inline(always)]
    pub fn executed(op: Opcode) {
        if on() {
            counts().executed[op as usize] += 1;
        }
    }

    /// A specialized instruction's guard failed.
    #[inline(always)]
    pub fn miss(op: Opcode) {
        if on() {
            counts().misses[op as usize] += 1;
        }
    }

    pub(super) fn specialized(family: Opcode, ok: bool, why: &'static str) {
        if !on() {
            return;
        }
        let c = counts();
        if ok {
            c.succeeded[family as usize] += 1;
        } else {
            c.failed[family as usize] += 1;
            *c.reasons.get_or_insert_with(HashMap::new).entry((family as u8, why)).or_insert(0) += 1;
        }
    }

    /// Per adaptive family: specializations that succeeded and failed, executions of its
    /// specialized forms (hits) and their guard failures (misses) — `_opcode.get_specialization_stats`.
    pub fn family_counts(family: Opcode) -> [u64; 4] {
        let c = counts();
        let (mut hits, mut misses) = (0, 0);
        for &op in Opcode::ALL {
            if op.family() == family && op != family {
                hits += c.executed[op as usize];
                misses += c.misses[op as usize];
            }
        }
        [c.succeeded[family as usize], c.failed[family as usize], hits, misses]
    }

    /// The report `-X pystats` prints at exit.
    pub fn report() -> String {
        use std::fmt::Write;
        let c = counts();
        let total: u64 = c.executed.iter().sum();
        let mut s = String::new();
        let _ = writeln!(s, "Pyrite specialization statistics ({total} instructions executed)");
        let _ = writeln!(s, "\n{:<32} {:>14} {:>7} {:>10}", "instruction", "executed", "%", "misses");
        let mut ops: Vec<Opcode> = Opcode::ALL.iter().copied().filter(|&o| c.executed[o as usize] > 0).collect();
        ops.sort_by_key(|&o| core::cmp::Reverse(c.executed[o as usize]));
        for op in &ops {
            let n = c.executed[*op as usize];
            let _ = writeln!(s, "{:<32} {:>14} {:>6.2}% {:>10}", op.name(), n, 100.0 * n as f64 / total.max(1) as f64, c.misses[*op as usize]);
        }
        let _ = writeln!(s, "\n{:<16} {:>14} {:>12} {:>10} {:>10}", "family", "executed", "specialized", "succeeded", "failed");
        let (mut fam_total, mut fam_special) = (0u64, 0u64);
        for &base in Opcode::ALL.iter().filter(|o| o.is_adaptive()) {
            let members = Opcode::ALL.iter().filter(|o| o.family() == base);
            let (all, special) = members.fold((0, 0), |(a, sp), &o| {
                let n = c.executed[o as usize];
                (a + n, if o != base { sp + n } else { sp })
            });
            if all == 0 {
                continue;
            }
            fam_total += all;
            fam_special += special;
            let _ = writeln!(
                s,
                "{:<16} {:>14} {:>11.1}% {:>10} {:>10}",
                base.name(),
                all,
                100.0 * special as f64 / all as f64,
                c.succeeded[base as usize],
                c.failed[base as usize]
            );
        }
        let _ = writeln!(
            s,
            "\nadaptive families: {:.1}% of their {} executions ran specialized",
            100.0 * fam_special as f64 / fam_total.max(1) as f64,
            fam_total
        );
        if let Some(r) = &c.reasons {
            let mut rs: Vec<_> = r.iter().collect();
            rs.sort_by_key(|(_, n)| core::cmp::Reverse(**n));
            let _ = writeln!(s, "\nspecialization failures (family: reason, count)");
            for ((fam, why), n) in rs.into_iter().take(30) {
                let _ = writeln!(s, "  {}: {} {}", Opcode::from_u8(*fam).map_or("?", Opcode::name), why, n);
            }
        }
        s
    }
}
