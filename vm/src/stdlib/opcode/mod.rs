//! What bytecode tools know of Pyrite's instruction set: the native `_opcode` module (facts
//! about single opcodes), `_opcode_metadata` (the opcode map and specialization families) and
//! Pyrite's own `opcode` module (`opcode.py` here) that `dis` reads. All three are derived from
//! `bytecode::instructions`; none keeps a list of its own.
//!
//! CPython's `Lib/opcode.py` spells out CPython's inline-cache layouts in its text, and
//! `Lib/_opcode_metadata.py` has CPython's numbering, so Pyrite registers its own modules under
//! those names as native modules, which `import` asks before `sys.path`.

use crate::bytecode::instructions::{OpargKind, HAVE_ARGUMENT};
use crate::bytecode::Opcode;
use crate::err::PyResult;
use crate::number::BinaryOp;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::{bool_, code, dict, list, long, module, none, tuple, unicode};

// ---- `_opcode` ---------------------------------------------------------------------------------

/// The instruction with number `op` (an int argument), if there is one.
fn opcode_arg(o: &Obj) -> PyResult<Option<Opcode>> {
    let n = argparse::c_int(o)?;
    Ok(u8::try_from(n).ok().and_then(Opcode::from_u8))
}

fn kind_test(o: &Obj, test: fn(Opcode) -> bool) -> PyResult<PyRef> {
    Ok(bool_::new(opcode_arg(o)?.is_some_and(test)))
}

fn m_is_valid(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    kind_test(o, |_| true)
}

fn m_has_arg(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    kind_test(o, Opcode::has_arg)
}

fn m_has_const(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    kind_test(o, |op| op.oparg_kind() == OpargKind::Const)
}

fn m_has_name(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    kind_test(o, |op| op.oparg_kind() == OpargKind::Name)
}

fn m_has_jump(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    kind_test(o, |op| op.oparg_kind() == OpargKind::Jump)
}

fn m_has_free(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    kind_test(o, |op| op.oparg_kind() == OpargKind::Free)
}

fn m_has_local(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    kind_test(o, |op| op.oparg_kind() == OpargKind::Local)
}

/// No Pyrite instruction sets up a handler: handlers live in the exception table only (CPython's
/// `SETUP_*` are pseudo-instructions of its compiler, which Pyrite's does not expose).
fn m_has_exc(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    kind_test(o, |_| false)
}

static STACK_EFFECT_SIG: Sig = Sig { name: "stack_effect", params: &["opcode", "oparg", "jump"], posonly: 2, maxpos: 2, required: 1 };

/// `stack_effect(opcode, oparg=None, /, *, jump=None)`: pushed minus popped, when the branch is
/// taken (`jump=True`), not taken (`False`), or the larger of the two (`None`). Only base
/// instructions have one (a specialized form's is its family's).
fn m_stack_effect(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [op, oparg, jump] = argparse::parse::<3>(&STACK_EFFECT_SIG, args, kw)?;
    let op = opcode_arg(op.unwrap())?;
    let oparg = match argparse::not_none(oparg) {
        Some(a) => Some(long::to_i64(&*crate::abstract_::index(a)?).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C long"))?),
        None => None,
    };
    let jump = match argparse::not_none(jump) {
        None => None,
        Some(j) if j.is(bool_::_Py_TrueStruct.obj()) => Some(true),
        Some(j) if j.is(bool_::_Py_FalseStruct.obj()) => Some(false),
        Some(_) => return Err(raise!(ValueError, "stack_effect: jump must be False, True or None")),
    };
    let invalid = || raise!(ValueError, "invalid opcode or oparg");
    let op = op.filter(|op| op.family() == *op && *op != Opcode::CACHE).ok_or_else(invalid)?;
    let a = u32::try_from(oparg.unwrap_or(0)).map_err(|_| invalid())?;
    let effect = |(pop, push): (u32, u32)| push as i64 - pop as i64;
    let fall = effect(op.stack_effect(a));
    let taken = effect(op.jump_stack_effect(a));
    Ok(long::from_i64(match jump {
        Some(true) => taken,
        Some(false) => fall,
        None => fall.max(taken),
    }))
}

/// `get_nb_ops()`: `(name, symbol)` for each `BINARY_OP` oparg.
fn m_get_nb_ops(_m: &Obj) -> PyResult<PyRef> {
    fn nb_name(op: BinaryOp) -> &'static str {
        match op {
            BinaryOp::Add => "ADD",
            BinaryOp::Sub => "SUBTRACT",
            BinaryOp::Mul => "MULTIPLY",
            BinaryOp::MatMul => "MATRIX_MULTIPLY",
            BinaryOp::TrueDiv => "TRUE_DIVIDE",
            BinaryOp::FloorDiv => "FLOOR_DIVIDE",
            BinaryOp::Mod => "REMAINDER",
            BinaryOp::Pow => "POWER",
            BinaryOp::LShift => "LSHIFT",
            BinaryOp::RShift => "RSHIFT",
            BinaryOp::And => "AND",
            BinaryOp::Or => "OR",
            BinaryOp::Xor => "XOR",
        }
    }
    let pair = |name: String, symbol: &str| tuple::new_from_owned(vec![unicode::new(&name), unicode::new(symbol)]);
    let mut items: Vec<PyRef> = BinaryOp::ALL.iter().map(|&op| pair(format!("NB_{}", nb_name(op)), op.symbol())).collect();
    items.extend(BinaryOp::ALL.iter().map(|&op| pair(format!("NB_INPLACE_{}", nb_name(op)), op.inplace_symbol())));
    Ok(list::new_from_owned(items))
}

/// Names indexed by an intrinsic's number (0 is no intrinsic).
fn intrinsic_names(invalid: &str, table: &[(u32, &str)]) -> PyRef {
    let len = table.iter().map(|&(n, _)| n as usize + 1).max().unwrap_or(1);
    let mut names = vec![invalid.to_string(); len];
    for &(n, name) in table {
        names[n as usize] = name.to_string();
    }
    list::new_from_owned(names.iter().map(|n| unicode::new(n)).collect())
}

fn m_get_intrinsic1_descs(_m: &Obj) -> PyResult<PyRef> {
    use crate::interp::{
        INTRINSIC_ASYNC_GEN_WRAP, INTRINSIC_IMPORT_STAR, INTRINSIC_LIST_TO_TUPLE, INTRINSIC_PARAMSPEC, INTRINSIC_PRINT, INTRINSIC_SUBSCRIPT_GENERIC,
        INTRINSIC_TYPEALIAS, INTRINSIC_TYPEVAR, INTRINSIC_TYPEVARTUPLE, INTRINSIC_UNARY_POSITIVE,
    };
    Ok(intrinsic_names(
        "INTRINSIC_1_INVALID",
        &[
            (INTRINSIC_LIST_TO_TUPLE, "INTRINSIC_LIST_TO_TUPLE"),
            (INTRINSIC_IMPORT_STAR, "INTRINSIC_IMPORT_STAR"),
            (INTRINSIC_UNARY_POSITIVE, "INTRINSIC_UNARY_POSITIVE"),
            (INTRINSIC_ASYNC_GEN_WRAP, "INTRINSIC_ASYNC_GEN_WRAP"),
            (INTRINSIC_PRINT, "INTRINSIC_PRINT"),
            (INTRINSIC_TYPEVAR, "INTRINSIC_TYPEVAR"),
            (INTRINSIC_PARAMSPEC, "INTRINSIC_PARAMSPEC"),
            (INTRINSIC_TYPEVARTUPLE, "INTRINSIC_TYPEVARTUPLE"),
            (INTRINSIC_SUBSCRIPT_GENERIC, "INTRINSIC_SUBSCRIPT_GENERIC"),
            (INTRINSIC_TYPEALIAS, "INTRINSIC_TYPEALIAS"),
        ],
    ))
}

fn m_get_intrinsic2_descs(_m: &Obj) -> PyResult<PyRef> {
    use crate::interp::{
        INTRINSIC_PREP_RERAISE_STAR, INTRINSIC_SET_FUNCTION_TYPE_PARAMS, INTRINSIC_SET_TYPEPARAM_DEFAULT, INTRINSIC_TYPEVAR_WITH_BOUND,
        INTRINSIC_TYPEVAR_WITH_CONSTRAINTS,
    };
    Ok(intrinsic_names(
        "INTRINSIC_2_INVALID",
        &[
            (INTRINSIC_PREP_RERAISE_STAR, "INTRINSIC_PREP_RERAISE_STAR"),
            (INTRINSIC_TYPEVAR_WITH_BOUND, "INTRINSIC_TYPEVAR_WITH_BOUND"),
            (INTRINSIC_TYPEVAR_WITH_CONSTRAINTS, "INTRINSIC_TYPEVAR_WITH_CONSTRAINTS"),
            (INTRINSIC_SET_FUNCTION_TYPE_PARAMS, "INTRINSIC_SET_FUNCTION_TYPE_PARAMS"),
            (INTRINSIC_SET_TYPEPARAM_DEFAULT, "INTRINSIC_SET_TYPEPARAM_DEFAULT"),
        ],
    ))
}

/// The names CPython's `LOAD_SPECIAL` selects by oparg. Pyrite has no such instruction
/// (`BEFORE_WITH`/`BEFORE_ASYNC_WITH` look the methods up themselves), so there are none.
fn m_get_special_method_names(_m: &Obj) -> PyResult<PyRef> {
    Ok(list::new())
}

/// `{family: {"success", "failure", "hit", "miss"}}` under `-X pystats`, else None.
fn m_get_specialization_stats(_m: &Obj) -> PyResult<PyRef> {
    use crate::interp::specialize::stats;
    if !stats::on() {
        return Ok(none::none());
    }
    let out = dict::new();
    for &op in Opcode::ALL.iter().filter(|op| op.is_adaptive()) {
        let counts = stats::family_counts(op);
        let d = dict::new();
        for (key, n) in ["success", "failure", "hit", "miss"].iter().zip(counts) {
            dict::set_item_str(&d, key, &long::from_i64(n as i64))?;
        }
        dict::set_item_str(&out, &op.name().to_ascii_lowercase(), &d)?;
    }
    Ok(out)
}

static GET_EXECUTOR_SIG: Sig = Sig { name: "get_executor", params: &["code", "offset"], posonly: 0, maxpos: 2, required: 2 };

/// Pyrite has no tier-2 executors; CPython without its JIT answers the same way.
fn m_get_executor(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [co, offset] = argparse::parse::<2>(&GET_EXECUTOR_SIG, args, kw)?;
    let co = co.unwrap();
    if !code::check(co) {
        return Err(raise!(TypeError, "expected a code object, not '{}'", co.ob_type().name()));
    }
    argparse::c_int(offset.unwrap())?;
    Err(raise!(RuntimeError, "Executors are not available in this build"))
}

crate::method_table!(static OPCODE_METHODS = [
    kw c"stack_effect" => m_stack_effect,
    o c"is_valid" => m_is_valid,
    o c"has_arg" => m_has_arg,
    o c"has_const" => m_has_const,
    o c"has_name" => m_has_name,
    o c"has_jump" => m_has_jump,
    o c"has_free" => m_has_free,
    o c"has_local" => m_has_local,
    o c"has_exc" => m_has_exc,
    noargs c"get_specialization_stats" => m_get_specialization_stats,
    noargs c"get_nb_ops" => m_get_nb_ops,
    noargs c"get_intrinsic1_descs" => m_get_intrinsic1_descs,
    noargs c"get_intrinsic2_descs" => m_get_intrinsic2_descs,
    noargs c"get_special_method_names" => m_get_special_method_names,
    kw c"get_executor" => m_get_executor,
]);

/// The `_opcode` module.
pub fn create() -> PyResult<PyRef> {
    // SAFETY: the table is static and NULL-terminated.
    let m = unsafe { super::new_module("_opcode", OPCODE_METHODS.0.get() as *mut pyrite_abi::PyMethodDef)? };
    super::add_ints(&m, &[("ENABLE_SPECIALIZATION", 1)])?;
    Ok(m)
}

// ---- `_opcode_metadata` ------------------------------------------------------------------------

/// Instruction names `Lib/dis.py` looks up in `opmap` when it is imported, which Pyrite's
/// instruction set does not have. They get numbers from 256 up, which no code unit can hold
/// (CPython numbers its compiler's pseudo-instructions from 256 too), so they never match an
/// instruction; `_opcode.is_valid` is False for them.
const NAMES_DIS_EXPECTS: &[&str] = &["ENTER_EXECUTOR", "LOAD_SMALL_INT", "LOAD_SUPER_ATTR", "LOAD_SPECIAL", "LOAD_FAST_BORROW_LOAD_FAST_BORROW"];

/// The named parts of an instruction's inline cache (`opcode._cache_format`), in code units:
/// the layouts `interp::specialize` documents; an adaptive family's other caches hold only its
/// counter, and a non-adaptive instruction's cache is space it keeps but does not use.
fn cache_format(op: Opcode) -> Vec<(&'static str, usize)> {
    let n = op.cache_entries();
    match op {
        Opcode::LOAD_GLOBAL => vec![("counter", 1), ("index", 1), ("module_keys_version", 2), ("builtin_keys_version", 2)],
        Opcode::LOAD_ATTR => vec![("counter", 1), ("version", 2), ("index", 1), ("descr", 4)],
        Opcode::STORE_ATTR => vec![("counter", 1), ("version", 2), ("index", 1)],
        Opcode::CALL => vec![("counter", 1), ("type_version", 2), ("init", 4)],
        _ if !op.is_adaptive() => vec![("reserved", n)],
        _ if n == 1 => vec![("counter", 1)],
        _ => vec![("counter", 1), ("reserved", n - 1)],
    }
}

/// The `_opcode_metadata` module: `opmap` (base instructions), `_specializations` (family ->
/// its specialized forms), `_specialized_opmap`, `HAVE_ARGUMENT`, `MIN_INSTRUMENTED_OPCODE`
/// (256: Pyrite has no instrumented instructions), and `_cache_format` for Pyrite's `opcode`.
pub fn create_metadata() -> PyResult<PyRef> {
    let m = module::new(&unicode::new("_opcode_metadata"))?;
    let d = module::dict_of(&m);
    let opmap = dict::new();
    let specialized = dict::new();
    let families = dict::new();
    let cache_formats = dict::new();
    for &op in Opcode::ALL {
        let n = long::from_i64(op as u8 as i64);
        if op.family() == op {
            dict::set_item_str(&opmap, op.name(), &n)?;
            if op.cache_entries() > 0 {
                let format = dict::new();
                for (field, size) in cache_format(op) {
                    dict::set_item_str(&format, field, &long::from_i64(size as i64))?;
                }
                dict::set_item_str(&cache_formats, op.name(), &format)?;
            }
        } else {
            dict::set_item_str(&specialized, op.name(), &n)?;
        }
        if op.is_adaptive() {
            let forms: Vec<PyRef> = Opcode::ALL.iter().filter(|f| f.family() == op && **f != op).map(|f| unicode::new(f.name())).collect();
            dict::set_item_str(&families, op.name(), &tuple::new_from_owned(forms))?;
        }
    }
    for (i, name) in NAMES_DIS_EXPECTS.iter().enumerate() {
        dict::set_item_str(&opmap, name, &long::from_i64(256 + i as i64))?;
    }
    dict::set_item_str(d, "opmap", &opmap)?;
    dict::set_item_str(d, "_specialized_opmap", &specialized)?;
    dict::set_item_str(d, "_specializations", &families)?;
    dict::set_item_str(d, "_cache_format", &cache_formats)?;
    super::add_ints(&m, &[("HAVE_ARGUMENT", HAVE_ARGUMENT as i64), ("MIN_INSTRUMENTED_OPCODE", 256)])?;
    Ok(m)
}

// ---- `opcode` -----------------------------------------------------------------------------------

/// Pyrite's `opcode` module (Python, compiled into the binary): `dis`'s view of the instruction
/// set, every fact taken from `_opcode` and `_opcode_metadata`.
pub fn create_opcode() -> PyResult<PyRef> {
    crate::import::run_module_source("opcode", include_str!("opcode.py"), "<frozen opcode>", None, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_formats_cover_each_cache() {
        for &op in Opcode::ALL.iter().filter(|op| op.family() == **op && op.cache_entries() > 0) {
            assert_eq!(cache_format(op).iter().map(|f| f.1).sum::<usize>(), op.cache_entries(), "{}", op.name());
        }
    }
}
