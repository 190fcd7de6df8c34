//! The one definition of Pyrite's instruction set. Everything else — the `Opcode` enum, names,
//! stack effects, inline-cache sizes, the disassembler's view and the specialization families —
//! is derived from the table below; `tests` checks the derived facts stay consistent.
//!
//! An instruction is a 16-bit code unit (opcode, 8-bit oparg; `EXTENDED_ARG` prefixes widen
//! the oparg), followed by `cache` code units of inline cache that the adaptive interpreter
//! (PEP 659) uses for counters and specialization data. Stack effects are `(popped, pushed)`
//! as a function of the oparg (`jump` is the effect when a branch is taken, if different).

/// What an instruction's oparg means; `_opcode.has_arg`/`has_const`/`has_name`/... and
/// `dis` read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpargKind {
    /// The oparg is unused (the compiler emits 0).
    None,
    /// An index into `co_consts`.
    Const,
    /// An index into `co_names` (`LOAD_GLOBAL`/`LOAD_ATTR`: shifted left by one, with a flag
    /// in bit 0).
    Name,
    /// A slot of the frame's locals (the superinstructions: two 4-bit slots).
    Local,
    /// A cell or free-variable slot of the frame's locals.
    Free,
    /// A jump distance in code units from the end of the instruction's cache (see
    /// [`jump_direction`]).
    Jump,
    /// Any other operand: a count, flags, or a selector.
    Number,
}

/// Defines the instruction set. Each line:
/// `NAME = opcode, cache N, arg KIND, stack (pop, push) [, jump (pop, push)] [, family FAMILY_BASE];`
/// (`KIND`: what the oparg means, an [`OpargKind`]).
macro_rules! instructions {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident = $op:literal, cache $cache:literal, arg $kind:ident, stack |$oparg:ident| ($pop:expr, $push:expr)
            $(, jump ($jpop:expr, $jpush:expr))? $(, family $family:ident)?;
    )*) => {
        /// An opcode (the low byte of a code unit).
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Opcode {
            $( $(#[doc = $doc])* $name = $op, )*
        }

        /// Each opcode's byte, for matching raw code units: the hot loop dispatches on the
        /// byte itself, without decoding an `Opcode` first.
        #[allow(non_upper_case_globals, dead_code)]
        pub mod op_byte {
            $( pub const $name: u8 = $op; )*
        }

        impl Opcode {
            /// Every opcode, in table order.
            pub const ALL: &'static [Opcode] = &[$(Opcode::$name),*];

            /// The opcode with this number, if there is one.
            #[inline(always)]
            pub const fn from_u8(b: u8) -> Option<Opcode> {
                const TABLE: [Option<Opcode>; 256] = {
                    let mut t = [None; 256];
                    $( t[$op] = Some(Opcode::$name); )*
                    t
                };
                TABLE[b as usize]
            }

            /// The name `dis` shows.
            pub const fn name(self) -> &'static str {
                match self { $( Opcode::$name => stringify!($name), )* }
            }

            /// Inline cache code units following the instruction.
            #[inline(always)]
            pub const fn cache_entries(self) -> usize {
                const TABLE: [u8; 256] = {
                    let mut t = [0u8; 256];
                    $( t[$op] = $cache; )*
                    t
                };
                TABLE[self as usize] as usize
            }

            /// What the oparg means.
            pub const fn oparg_kind(self) -> OpargKind {
                match self { $( Opcode::$name => OpargKind::$kind, )* }
            }

            /// `(popped, pushed)` when the instruction falls through.
            #[allow(unused_variables)]
            pub fn stack_effect(self, oparg: u32) -> (u32, u32) {
                match self { $( Opcode::$name => { let $oparg = oparg; ($pop, $push) } )* }
            }

            /// `(popped, pushed)` when a branch is taken (same as falling through for
            /// non-branches).
            #[allow(unused_variables)]
            pub fn jump_stack_effect(self, oparg: u32) -> (u32, u32) {
                match self {
                    $( Opcode::$name => { let $oparg = oparg; instructions!(@jump ($pop, $push) $(($jpop, $jpush))?) } )*
                }
            }

            /// The adaptive instruction whose family this specialized form belongs to
            /// (itself for instructions that do not specialize).
            pub const fn family(self) -> Opcode {
                match self { $( Opcode::$name => instructions!(@family $name $($family)?), )* }
            }
        }
    };
    (@jump $fall:tt) => { $fall };
    (@jump $fall:tt $jump:tt) => { $jump };
    (@family $name:ident) => { Opcode::$name };
    (@family $name:ident $family:ident) => { Opcode::$family };
}

instructions! {
    /// Inline cache entry (never executed).
    CACHE = 0, cache 0, arg None, stack |a| (0, 0);
    NOP = 1, cache 0, arg None, stack |a| (0, 0);
    /// Marks the start of a code object (checks for pending work; instrumentation hook).
    RESUME = 2, cache 0, arg None, stack |a| (0, 0);
    POP_TOP = 3, cache 0, arg None, stack |a| (1, 0);
    PUSH_NULL = 4, cache 0, arg None, stack |a| (0, 1);
    /// Push a copy of the `a`-th item from the top (1 = top).
    COPY = 5, cache 0, arg Number, stack |a| (a, a + 1);
    /// Swap the top with the `a`-th item.
    SWAP = 6, cache 0, arg Number, stack |a| (a, a);
    LOAD_CONST = 7, cache 0, arg Const, stack |a| (0, 1);
    LOAD_FAST = 8, cache 0, arg Local, stack |a| (0, 1);
    STORE_FAST = 9, cache 0, arg Local, stack |a| (1, 0);
    DELETE_FAST = 10, cache 0, arg Local, stack |a| (0, 0);
    LOAD_DEREF = 11, cache 0, arg Free, stack |a| (0, 1);
    STORE_DEREF = 12, cache 0, arg Free, stack |a| (1, 0);
    DELETE_DEREF = 13, cache 0, arg Free, stack |a| (0, 0);
    /// Replace local `a` with a cell holding its value.
    MAKE_CELL = 14, cache 0, arg Free, stack |a| (0, 0);
    /// Copy the `a` closure cells of the running function into the frame.
    COPY_FREE_VARS = 15, cache 0, arg Number, stack |a| (0, 0);
    LOAD_NAME = 16, cache 0, arg Name, stack |a| (0, 1);
    STORE_NAME = 17, cache 0, arg Name, stack |a| (1, 0);
    DELETE_NAME = 18, cache 0, arg Name, stack |a| (0, 0);
    /// `a >> 1` is the name index; if `a & 1`, also push NULL (before a call).
    LOAD_GLOBAL = 19, cache 6, arg Name, stack |a| (0, 1 + (a & 1));
    STORE_GLOBAL = 20, cache 0, arg Name, stack |a| (1, 0);
    DELETE_GLOBAL = 21, cache 0, arg Name, stack |a| (0, 0);
    /// `a >> 1` is the name index; if `a & 1`, push (method, self) or (NULL, attr) for a call.
    LOAD_ATTR = 22, cache 8, arg Name, stack |a| (1, 1 + (a & 1));
    STORE_ATTR = 23, cache 4, arg Name, stack |a| (2, 0);
    DELETE_ATTR = 24, cache 0, arg Name, stack |a| (1, 0);
    /// `a` is a `number::BinaryOp` (+ 13 for the in-place form).
    BINARY_OP = 25, cache 1, arg Number, stack |a| (2, 1);
    BINARY_SUBSCR = 26, cache 1, arg None, stack |a| (2, 1);
    /// `container[key] = value` with stack (value, container, key).
    STORE_SUBSCR = 27, cache 1, arg None, stack |a| (3, 0);
    DELETE_SUBSCR = 28, cache 0, arg None, stack |a| (2, 0);
    UNARY_NEGATIVE = 29, cache 0, arg None, stack |a| (1, 1);
    UNARY_INVERT = 30, cache 0, arg None, stack |a| (1, 1);
    UNARY_NOT = 31, cache 0, arg None, stack |a| (1, 1);
    TO_BOOL = 32, cache 1, arg None, stack |a| (1, 1);
    /// `a >> 5` is the comparison (`Py_LT`..`Py_GE`), as in CPython (whose low bits Pyrite
    /// leaves 0).
    COMPARE_OP = 33, cache 1, arg Number, stack |a| (2, 1);
    /// `is` (`a` = 0) / `is not` (`a` = 1).
    IS_OP = 34, cache 0, arg Number, stack |a| (2, 1);
    /// `in` (`a` = 0) / `not in` (`a` = 1).
    CONTAINS_OP = 35, cache 0, arg Number, stack |a| (2, 1);
    BUILD_TUPLE = 36, cache 0, arg Number, stack |a| (a, 1);
    BUILD_LIST = 37, cache 0, arg Number, stack |a| (a, 1);
    BUILD_SET = 38, cache 0, arg Number, stack |a| (a, 1);
    /// `a` key/value pairs.
    BUILD_MAP = 39, cache 0, arg Number, stack |a| (2 * a, 1);
    BUILD_SLICE = 40, cache 0, arg Number, stack |a| (a, 1);
    BUILD_STRING = 41, cache 0, arg Number, stack |a| (a, 1);
    /// Append TOS to the list `a` items below it.
    LIST_APPEND = 42, cache 0, arg Number, stack |a| (1, 0);
    SET_ADD = 43, cache 0, arg Number, stack |a| (1, 0);
    MAP_ADD = 44, cache 0, arg Number, stack |a| (2, 0);
    LIST_EXTEND = 45, cache 0, arg Number, stack |a| (1, 0);
    SET_UPDATE = 46, cache 0, arg Number, stack |a| (1, 0);
    DICT_UPDATE = 47, cache 0, arg Number, stack |a| (1, 0);
    /// `**kwargs` merge: like DICT_UPDATE, but duplicate keys are an error.
    DICT_MERGE = 48, cache 0, arg Number, stack |a| (1, 0);
    UNPACK_SEQUENCE = 49, cache 1, arg Number, stack |a| (1, a);
    /// Star unpacking: `a & 0xff` targets before the star, `a >> 8` after.
    UNPACK_EX = 50, cache 0, arg Number, stack |a| (1, (a & 0xff) + (a >> 8) + 1);
    GET_ITER = 51, cache 0, arg None, stack |a| (1, 1);
    /// Push the next item; at exhaustion pop the iterator and jump forward `a` code units.
    FOR_ITER = 52, cache 1, arg Jump, stack |a| (1, 2), jump (1, 0);
    JUMP_FORWARD = 54, cache 0, arg Jump, stack |a| (0, 0);
    JUMP_BACKWARD = 55, cache 1, arg Jump, stack |a| (0, 0);
    POP_JUMP_IF_FALSE = 56, cache 1, arg Jump, stack |a| (1, 0);
    POP_JUMP_IF_TRUE = 57, cache 1, arg Jump, stack |a| (1, 0);
    POP_JUMP_IF_NONE = 58, cache 1, arg Jump, stack |a| (1, 0);
    POP_JUMP_IF_NOT_NONE = 59, cache 1, arg Jump, stack |a| (1, 0);
    /// Call with `a` positional arguments: stack (callable, self_or_null, args...).
    CALL = 60, cache 7, arg Number, stack |a| (2 + a, 1);
    /// Like CALL, with a tuple of keyword names on top; `a` counts all arguments.
    CALL_KW = 61, cache 3, arg Number, stack |a| (3 + a, 1);
    /// `f(*args, **kwargs)`: stack (callable, null, args tuple, kwargs dict or NULL).
    CALL_FUNCTION_EX = 62, cache 0, arg None, stack |a| (4, 1);
    /// Make a function from the code object on top.
    MAKE_FUNCTION = 63, cache 0, arg None, stack |a| (1, 1);
    /// Set a function attribute: 1 defaults, 2 kwdefaults, 4 annotations, 8 closure,
    /// 16 annotate. Stack (value, function) -> (function).
    SET_FUNCTION_ATTRIBUTE = 64, cache 0, arg Number, stack |a| (2, 1);
    RETURN_VALUE = 65, cache 0, arg None, stack |a| (1, 0);
    /// `import name`: stack (level, fromlist) -> (module). The name index is `a >> 2`; the low
    /// bits are CPython 3.15's PEP 810 flags (1 `lazy`, 2 always eager; 0 lazy only under the
    /// `all` mode or `__lazy_modules__`).
    IMPORT_NAME = 66, cache 0, arg Name, stack |a| (2, 1);
    IMPORT_FROM = 67, cache 0, arg Name, stack |a| (1, 2);
    /// `raise` with `a` operands (0: re-raise, 1: exc, 2: exc from cause).
    RAISE_VARARGS = 68, cache 0, arg Number, stack |a| (a, 0);
    /// Re-raise the exception on top (`a`: whether to restore f_lasti from below it).
    RERAISE = 69, cache 0, arg Number, stack |a| (1 + a, 0);
    /// Entering an except block: push the previously handled exception below the new one.
    PUSH_EXC_INFO = 70, cache 0, arg None, stack |a| (1, 2);
    /// Leaving an except block: restore the handled exception popped from the stack.
    POP_EXCEPT = 71, cache 0, arg None, stack |a| (1, 0);
    /// Stack (exc, type) -> (exc, bool).
    CHECK_EXC_MATCH = 72, cache 0, arg None, stack |a| (2, 2);
    LOAD_BUILD_CLASS = 73, cache 0, arg None, stack |a| (0, 1);
    LOAD_LOCALS = 74, cache 0, arg None, stack |a| (0, 1);
    /// `format(value)` with an empty spec.
    FORMAT_SIMPLE = 75, cache 0, arg None, stack |a| (1, 1);
    FORMAT_WITH_SPEC = 76, cache 0, arg None, stack |a| (2, 1);
    /// `!s` (1), `!r` (2), `!a` (3).
    CONVERT_VALUE = 77, cache 0, arg Number, stack |a| (1, 1);
    /// Call an intrinsic with one argument (`a` selects it: print, import *, list to tuple...).
    CALL_INTRINSIC_1 = 78, cache 0, arg Number, stack |a| (1, 1);
    /// Prefix: the next instruction's oparg is `(a << 8) | its own`.
    EXTENDED_ARG = 79, cache 0, arg Number, stack |a| (0, 0);
    /// Entering `with`: (manager) -> (bound __exit__, result of __enter__()).
    BEFORE_WITH = 80, cache 0, arg None, stack |a| (1, 2);
    /// In a with-handler: (exit, prev, exc) -> (exit, prev, exc, exit(type, exc, tb)).
    WITH_EXCEPT_START = 81, cache 0, arg None, stack |a| (3, 4);
    /// Suspend a generator, handing TOS to its caller; the value sent in replaces it.
    YIELD_VALUE = 82, cache 0, arg Number, stack |a| (1, 1);
    /// First instruction of a generator function: the call returns a generator object; when
    /// the generator starts, the first value sent (None) is pushed.
    RETURN_GENERATOR = 83, cache 0, arg None, stack |a| (0, 1);
    /// Class pattern with `a` positional sub-patterns: (subject, class, keyword names) ->
    /// (tuple of the attributes, or None when the subject does not match).
    MATCH_CLASS = 84, cache 0, arg Number, stack |a| (3, 1);
    /// (subject) -> (subject, whether its type has `Py_TPFLAGS_MAPPING`).
    MATCH_MAPPING = 85, cache 0, arg None, stack |a| (1, 2);
    /// (subject) -> (subject, whether its type has `Py_TPFLAGS_SEQUENCE`).
    MATCH_SEQUENCE = 86, cache 0, arg None, stack |a| (1, 2);
    /// (mapping, keys tuple) -> (mapping, keys, tuple of the values, or None if a key is missing).
    MATCH_KEYS = 87, cache 0, arg None, stack |a| (2, 3);
    /// (obj) -> (obj, len(obj)).
    GET_LEN = 88, cache 0, arg None, stack |a| (1, 2);
    /// `except* T`: (exception or group, T) -> (unmatched rest or None, matched group or None).
    CHECK_EG_MATCH = 89, cache 0, arg None, stack |a| (2, 2);
    /// Call an intrinsic with two arguments (`a` selects it: prepare the except* re-raise).
    CALL_INTRINSIC_2 = 90, cache 0, arg Number, stack |a| (2, 1);
    /// Superinstructions (formed by the assembler from two instructions on one line; the
    /// first's local index in the high 4 bits of `a`, the second's in the low 4).
    LOAD_FAST_LOAD_FAST = 123, cache 0, arg Local, stack |a| (0, 2);
    /// Store TOS in local `a >> 4`, then push local `a & 15`.
    STORE_FAST_LOAD_FAST = 124, cache 0, arg Local, stack |a| (1, 1);
    /// Store TOS in local `a >> 4`, then the next in local `a & 15`.
    STORE_FAST_STORE_FAST = 125, cache 0, arg Local, stack |a| (2, 0);
    /// `yield from`: a generator stays itself, anything else becomes `iter(x)`.
    GET_YIELD_FROM_ITER = 120, cache 0, arg None, stack |a| (1, 1);
    /// (receiver, value) -> (receiver, what it yielded); when it returns, jump forward `a`
    /// with (its return value).
    SEND = 121, cache 0, arg Jump, stack |a| (2, 2), jump (2, 1);
    /// Handler of the yield in `yield from`: (receiver, last value, exc) -> throws `exc` into
    /// the receiver: (receiver, what it yielded), or jump forward `a` with (its return
    /// value); `GeneratorExit` closes the receiver and is re-raised.
    SEND_THROW = 122, cache 0, arg Jump, stack |a| (3, 2), jump (3, 1);
    /// `await`: (x) -> (the iterator it delegates to: a coroutine, or what `__await__`
    /// returned); `a` is 1 after `__aenter__`, 2 after `__aexit__` (for their messages).
    GET_AWAITABLE = 91, cache 0, arg Number, stack |a| (1, 1);
    /// `async for`: (x) -> (x.__aiter__()).
    GET_AITER = 92, cache 0, arg None, stack |a| (1, 1);
    /// `async for` step: (aiter) -> (aiter, the awaitable iterator of `aiter.__anext__()`).
    GET_ANEXT = 93, cache 0, arg None, stack |a| (1, 2);
    /// Handler of an `async for` step: (aiter, exc) -> () when exc is a StopAsyncIteration
    /// (the loop ends), else re-raises exc.
    END_ASYNC_FOR = 94, cache 0, arg None, stack |a| (2, 0);
    /// Entering `async with`: (manager) -> (bound __aexit__, result of __aenter__()).
    BEFORE_ASYNC_WITH = 95, cache 0, arg None, stack |a| (1, 2);
    /// (mapping) -> (value): the name `co_localsplusnames[a]` from the mapping, else the
    /// content of cell `a` (class bodies and annotation scopes in classes).
    LOAD_FROM_DICT_OR_DEREF = 96, cache 0, arg Free, stack |a| (1, 1);
    /// (mapping) -> (value): name `a` from the mapping, else from globals, else builtins.
    LOAD_FROM_DICT_OR_GLOBALS = 97, cache 0, arg Name, stack |a| (1, 1);
    /// Push a constant of the runtime: 0 AssertionError, 1 NotImplementedError.
    LOAD_COMMON_CONSTANT = 98, cache 0, arg Number, stack |a| (0, 1);
    /// Create `__annotations__` in the locals if it is missing (`from __future__ import
    /// annotations` in a module or class).
    SETUP_ANNOTATIONS = 99, cache 0, arg None, stack |a| (0, 0);
    /// (value, expression string[, format spec if `a & 1`]) -> (Interpolation); `a >> 2`
    /// is the conversion (0, or 1/2/3 for `!s`/`!r`/`!a`).
    BUILD_INTERPOLATION = 100, cache 0, arg Number, stack |a| (2 + (a & 1), 1);
    /// (strings tuple, interpolations tuple) -> (Template).
    BUILD_TEMPLATE = 101, cache 0, arg None, stack |a| (2, 1);

    // ---- Specialized forms (PEP 659), numbered from 128. Each belongs to the family of the
    // adaptive instruction it replaces, shares its cache layout (see `interp::specialize`) and
    // falls back to it when its guard fails.

    /// The global at a cached entry of the globals dict (guard: its keys version).
    LOAD_GLOBAL_MODULE = 128, cache 6, arg Name, stack |a| (0, 1 + (a & 1)), family LOAD_GLOBAL;
    /// The builtin at a cached entry (guards: the keys versions of globals and builtins).
    LOAD_GLOBAL_BUILTIN = 129, cache 6, arg Name, stack |a| (0, 1 + (a & 1)), family LOAD_GLOBAL;
    /// An attribute in the instance `__dict__`, at a hinted entry (guard: type version).
    LOAD_ATTR_INSTANCE_VALUE = 130, cache 8, arg Name, stack |a| (1, 1 + (a & 1)), family LOAD_ATTR;
    /// A `__slots__` member at a cached offset (guard: type version).
    LOAD_ATTR_SLOT = 131, cache 8, arg Name, stack |a| (1, 1 + (a & 1)), family LOAD_ATTR;
    /// A method on an instance whose `__dict__` does not shadow it (guard: type version).
    LOAD_ATTR_METHOD_WITH_VALUES = 132, cache 8, arg Name, stack |a| (1, 1 + (a & 1)), family LOAD_ATTR;
    /// A method on an instance without `__dict__` (guard: type version).
    LOAD_ATTR_METHOD_NO_DICT = 133, cache 8, arg Name, stack |a| (1, 1 + (a & 1)), family LOAD_ATTR;
    /// A module attribute at a cached entry of the module dict (guard: its keys version).
    LOAD_ATTR_MODULE = 134, cache 8, arg Name, stack |a| (1, 1 + (a & 1)), family LOAD_ATTR;
    /// A class attribute that is not a descriptor (guard: the class's version).
    LOAD_ATTR_CLASS = 135, cache 8, arg Name, stack |a| (1, 1 + (a & 1)), family LOAD_ATTR;
    /// Store into the instance `__dict__` at a hinted entry (guard: type version).
    STORE_ATTR_INSTANCE_VALUE = 136, cache 4, arg Name, stack |a| (2, 0), family STORE_ATTR;
    /// Store a `__slots__` member at a cached offset (guard: type version).
    STORE_ATTR_SLOT = 137, cache 4, arg Name, stack |a| (2, 0), family STORE_ATTR;
    BINARY_OP_ADD_INT = 138, cache 1, arg Number, stack |a| (2, 1), family BINARY_OP;
    BINARY_OP_SUBTRACT_INT = 139, cache 1, arg Number, stack |a| (2, 1), family BINARY_OP;
    BINARY_OP_MULTIPLY_INT = 140, cache 1, arg Number, stack |a| (2, 1), family BINARY_OP;
    /// The other operators on two ints of at most one digit (`//`, `%`, `&`, `|`, `^`, `<<`,
    /// `>>`), computed in machine words.
    BINARY_OP_EXTEND_INT = 141, cache 1, arg Number, stack |a| (2, 1), family BINARY_OP;
    BINARY_OP_ADD_FLOAT = 142, cache 1, arg Number, stack |a| (2, 1), family BINARY_OP;
    BINARY_OP_SUBTRACT_FLOAT = 143, cache 1, arg Number, stack |a| (2, 1), family BINARY_OP;
    BINARY_OP_MULTIPLY_FLOAT = 144, cache 1, arg Number, stack |a| (2, 1), family BINARY_OP;
    BINARY_OP_TRUE_DIVIDE_FLOAT = 145, cache 1, arg Number, stack |a| (2, 1), family BINARY_OP;
    BINARY_OP_ADD_UNICODE = 146, cache 1, arg Number, stack |a| (2, 1), family BINARY_OP;
    BINARY_SUBSCR_LIST_INT = 147, cache 1, arg None, stack |a| (2, 1), family BINARY_SUBSCR;
    BINARY_SUBSCR_TUPLE_INT = 148, cache 1, arg None, stack |a| (2, 1), family BINARY_SUBSCR;
    BINARY_SUBSCR_DICT = 149, cache 1, arg None, stack |a| (2, 1), family BINARY_SUBSCR;
    STORE_SUBSCR_LIST_INT = 150, cache 1, arg None, stack |a| (3, 0), family STORE_SUBSCR;
    STORE_SUBSCR_DICT = 151, cache 1, arg None, stack |a| (3, 0), family STORE_SUBSCR;
    COMPARE_OP_INT = 152, cache 1, arg Number, stack |a| (2, 1), family COMPARE_OP;
    COMPARE_OP_FLOAT = 153, cache 1, arg Number, stack |a| (2, 1), family COMPARE_OP;
    COMPARE_OP_STR = 154, cache 1, arg Number, stack |a| (2, 1), family COMPARE_OP;
    TO_BOOL_BOOL = 155, cache 1, arg None, stack |a| (1, 1), family TO_BOOL;
    TO_BOOL_INT = 156, cache 1, arg None, stack |a| (1, 1), family TO_BOOL;
    TO_BOOL_NONE = 157, cache 1, arg None, stack |a| (1, 1), family TO_BOOL;
    TO_BOOL_LIST = 158, cache 1, arg None, stack |a| (1, 1), family TO_BOOL;
    TO_BOOL_STR = 159, cache 1, arg None, stack |a| (1, 1), family TO_BOOL;
    UNPACK_SEQUENCE_TWO_TUPLE = 160, cache 1, arg Number, stack |a| (1, a), family UNPACK_SEQUENCE;
    UNPACK_SEQUENCE_TUPLE = 161, cache 1, arg Number, stack |a| (1, a), family UNPACK_SEQUENCE;
    UNPACK_SEQUENCE_LIST = 162, cache 1, arg Number, stack |a| (1, a), family UNPACK_SEQUENCE;
    FOR_ITER_LIST = 163, cache 1, arg Jump, stack |a| (1, 2), jump (1, 0), family FOR_ITER;
    FOR_ITER_TUPLE = 164, cache 1, arg Jump, stack |a| (1, 2), jump (1, 0), family FOR_ITER;
    FOR_ITER_RANGE = 165, cache 1, arg Jump, stack |a| (1, 2), jump (1, 0), family FOR_ITER;
    /// Resumes a generator directly, without the iterator protocol's dispatch.
    FOR_ITER_GEN = 166, cache 1, arg Jump, stack |a| (1, 2), jump (1, 0), family FOR_ITER;
    /// A Python function called with exactly its positional parameters: the frame is filled
    /// without the general argument binding.
    CALL_PY_EXACT_ARGS = 167, cache 7, arg Number, stack |a| (2 + a, 1), family CALL;
    /// A bound method of a Python function, called with exactly its positional parameters.
    CALL_BOUND_METHOD_EXACT_ARGS = 168, cache 7, arg Number, stack |a| (2 + a, 1), family CALL;
    /// A built-in function with `METH_O`.
    CALL_BUILTIN_O = 169, cache 7, arg Number, stack |a| (2 + a, 1), family CALL;
    /// A built-in function with `METH_FASTCALL`, or `METH_FASTCALL | METH_KEYWORDS` called
    /// without keywords (CPython's `CALL_BUILTIN_FAST_WITH_KEYWORDS` is this form here).
    CALL_BUILTIN_FAST = 170, cache 7, arg Number, stack |a| (2 + a, 1), family CALL;
    /// A method descriptor with `METH_O` (self is the first argument).
    CALL_METHOD_DESCRIPTOR_O = 171, cache 7, arg Number, stack |a| (2 + a, 1), family CALL;
    /// A method descriptor with `METH_FASTCALL`, or `METH_FASTCALL | METH_KEYWORDS` called
    /// without keywords.
    CALL_METHOD_DESCRIPTOR_FAST = 172, cache 7, arg Number, stack |a| (2 + a, 1), family CALL;
    /// A method descriptor with `METH_NOARGS`.
    CALL_METHOD_DESCRIPTOR_NOARGS = 173, cache 7, arg Number, stack |a| (2 + a, 1), family CALL;
    /// `len(x)` with the real built-in `len`.
    CALL_LEN = 174, cache 7, arg Number, stack |a| (2 + a, 1), family CALL;
    /// `isinstance(x, cls)` with the real built-in `isinstance`.
    CALL_ISINSTANCE = 175, cache 7, arg Number, stack |a| (2 + a, 1), family CALL;
    /// `type(x)`.
    CALL_TYPE_1 = 176, cache 7, arg Number, stack |a| (2 + a, 1), family CALL;
    /// Instantiating a class whose `__init__` is a Python function taking exactly the
    /// arguments: allocate, then run `__init__` in a frame whose return pushes the instance
    /// (guard: the class's version; the cache holds `__init__`).
    CALL_ALLOC_AND_ENTER_INIT = 177, cache 7, arg Number, stack |a| (2 + a, 1), family CALL;
    /// Any other callable that is not a Python function or bound method (a built-in of another
    /// calling convention, a type, a callable object): a vectorcall, without re-specializing.
    CALL_NON_PY_GENERAL = 178, cache 7, arg Number, stack |a| (2 + a, 1), family CALL;
    /// `+ - * /` of a float and a small int (either side), and `/` of two small ints: computed
    /// in double precision, exactly as the float and int types do (guard: each operand an
    /// exact float or an exact int of magnitude at most 2**53, so it converts exactly).
    BINARY_OP_EXTEND_FLOAT = 179, cache 1, arg Number, stack |a| (2, 1), family BINARY_OP;
    /// A Python function called without keywords but not with exactly its positional
    /// parameters: missing trailing ones take their defaults without the general binding;
    /// anything else (`*args`, keyword-only parameters, a wrong count) binds generally.
    CALL_PY_GENERAL = 180, cache 7, arg Number, stack |a| (2 + a, 1), family CALL;
}

/// Which opcodes have specialized forms (derived from the families above).
const ADAPTIVE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < Opcode::ALL.len() {
        let op = Opcode::ALL[i];
        if op.family() as u8 != op as u8 {
            t[op.family() as usize] = true;
        }
        i += 1;
    }
    t
};

impl Opcode {
    /// Whether the instruction is adaptive: it has specialized forms, and the first unit of
    /// its cache is the counter that decides when to specialize.
    #[inline(always)]
    pub const fn is_adaptive(self) -> bool {
        ADAPTIVE[self as usize]
    }

    /// Whether the instruction uses its oparg (`_opcode.has_arg`).
    pub const fn has_arg(self) -> bool {
        !matches!(self.oparg_kind(), OpargKind::None)
    }
}

/// The lowest opcode from which every instruction uses its oparg (`opcode.HAVE_ARGUMENT`:
/// Pyrite does not group its instructions by whether they take one, so it only says that
/// much; `_opcode.has_arg` is the real test).
pub const HAVE_ARGUMENT: u32 = {
    let mut n = 256u32;
    while n > 0 {
        match Opcode::from_u8((n - 1) as u8) {
            Some(op) if !op.has_arg() => break,
            _ => n -= 1,
        }
    }
    n
};

/// How many code units an instruction occupies, its cache included.
#[inline(always)]
pub const fn instruction_len(op: Opcode) -> usize {
    1 + op.cache_entries()
}

/// Whether the instruction's oparg is a jump distance, and in which direction
/// (`Some(true)` forward).
pub const fn jump_direction(op: Opcode) -> Option<bool> {
    match op.family() {
        Opcode::FOR_ITER
        | Opcode::SEND
        | Opcode::SEND_THROW
        | Opcode::JUMP_FORWARD
        | Opcode::POP_JUMP_IF_FALSE
        | Opcode::POP_JUMP_IF_TRUE
        | Opcode::POP_JUMP_IF_NONE
        | Opcode::POP_JUMP_IF_NOT_NONE => Some(true),
        Opcode::JUMP_BACKWARD => Some(false),
        _ => None,
    }
}

/// The local slots a `Local` oparg names: one, or two 4-bit slots for the superinstructions
/// (`LOAD_FAST_LOAD_FAST`, `STORE_FAST_LOAD_FAST`, `STORE_FAST_STORE_FAST`).
pub const fn local_slots(op: Opcode, arg: u32) -> (u32, Option<u32>) {
    match op.family() {
        Opcode::LOAD_FAST | Opcode::STORE_FAST | Opcode::DELETE_FAST => (arg, None),
        _ => (arg >> 4, Some(arg & 15)),
    }
}

/// Instructions after which execution does not fall through.
pub const fn is_terminator(op: Opcode) -> bool {
    matches!(op.family(), Opcode::JUMP_FORWARD | Opcode::JUMP_BACKWARD | Opcode::RETURN_VALUE | Opcode::RAISE_VARARGS | Opcode::RERAISE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opcodes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for &op in Opcode::ALL {
            assert!(seen.insert(op as u8), "duplicate opcode number {}", op as u8);
            assert_eq!(Opcode::from_u8(op as u8), Some(op));
            assert!(op.name().chars().all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()));
        }
    }

    #[test]
    fn families_share_their_base_cache_size() {
        for &op in Opcode::ALL {
            assert_eq!(op.cache_entries(), op.family().cache_entries(), "{}", op.name());
        }
    }

    #[test]
    fn specialized_forms_behave_as_their_base() {
        for &op in Opcode::ALL {
            let base = op.family();
            assert_eq!(base.family(), base, "{}: a family's base is its own family", op.name());
            assert_eq!((op as u8) >= 128, base != op, "{}: specialized forms are numbered from 128", op.name());
            for a in [0, 1, 2, 3, 14, 27] {
                assert_eq!(op.stack_effect(a), base.stack_effect(a), "{}", op.name());
                assert_eq!(op.jump_stack_effect(a), base.jump_stack_effect(a), "{}", op.name());
            }
        }
    }

    #[test]
    fn adaptive_instructions_have_a_counter() {
        for &op in Opcode::ALL {
            if op.is_adaptive() {
                assert!(op.cache_entries() >= 1, "{} needs a cache unit for its counter", op.name());
                assert_eq!(op.family(), op, "{}", op.name());
            }
        }
    }

    #[test]
    fn oparg_kinds_are_consistent() {
        for &op in Opcode::ALL {
            assert_eq!(op.oparg_kind(), op.family().oparg_kind(), "{}: a family shares its oparg's meaning", op.name());
            assert_eq!(op.oparg_kind() == OpargKind::Jump, jump_direction(op).is_some(), "{}", op.name());
        }
        let first_with_arg = HAVE_ARGUMENT;
        assert!(Opcode::ALL.iter().all(|&op| (op as u32) < first_with_arg || op.has_arg()));
    }

    /// Compiles code that uses (nearly) every base instruction and checks each oparg against
    /// what its kind says: unused opargs are 0, constants/names/locals/cells are in range of
    /// their tables, and jumps land on an instruction.
    #[test]
    fn oparg_kinds_agree_with_compiled_code() {
        use crate::objects::{code, tuple};
        crate::initialize();
        let source = r#"
import os.path as p
from os import sep, getcwd as cwd
from os import *
g = 1
def f(a, b=2, *args, c, d=4, **kw):
    global g
    x = a + b; y = x; del y
    g = x; del g
    s = f"{a!r:>{b}} {c}"
    t = (a, *args); l = [a, *t]; st = {a, *l}; m = {a: b, **kw}
    l[0] = 1; del l[0]; v = l[1:2]; w = l[a]
    h, *rest = t
    for i in range(3):
        if i is None or i in l or i == 2 or not i:
            continue
        x += -i + ~i
    while x:
        x -= 1
    try:
        raise ValueError from None
    except (ValueError, KeyError) as e:
        pass
    finally:
        x = 0
    with open(p) as fh, open(p):
        pass
    def inner():
        nonlocal x
        x = 1
        return x
    class K:
        z = x
        def meth(self):
            return super().meth()
    y = [q for q in t if q]
    def gen():
        yield 1
        yield from t
        return (yield)
    async def co():
        await co()
        async with a as q:
            pass
        async for q in a:
            pass
    match a:
        case [1, *r]: pass
        case {"k": v2, **kr}: pass
        case K(z=1) | None: pass
        case str() as s2 if s2: pass
    assert a, "msg"
    lam = lambda z=1, *, kz=2: z
    print(a.b.c, obj.meth(1, key=2), f(*t, **m), f(a)(b))
    try:
        pass
    except* ValueError:
        pass
    return inner
type Alias[T] = list[T]
def generic[T: int, *Ts, **P](x: T) -> T: return x
class C[T](object): pass
print(__name__)
"#;
        let top = crate::compiler::compile(source, "<test>", crate::compiler::Mode::Exec).expect("compiles");
        let mut seen = std::collections::HashSet::new();
        let mut pending = vec![top];
        while let Some(co) = pending.pop() {
            let d = code::data(&co);
            let n_consts = tuple::items(&d.consts).len() as u32;
            let n_names = tuple::items(&d.names).len() as u32;
            let n_localsplus = d.nlocalsplus() as u32;
            let starts: std::collections::HashSet<usize> = crate::bytecode::instructions(&d.code).iter().map(|i| i.offset).collect();
            let mut i = 0;
            for ins in crate::bytecode::instructions(&d.code) {
                let (op, a) = (ins.op, ins.arg);
                // `ins.offset` is where its EXTENDED_ARGs start; the instruction itself is
                // the code unit after them.
                while i < d.code.len() && Opcode::from_u8(d.code[i] as u8) == Some(Opcode::EXTENDED_ARG) {
                    i += 1;
                }
                let end = i + instruction_len(op);
                seen.insert(op.family());
                let what = format!("{} {} in {}", op.name(), a, crate::objects::unicode::as_str_lossy(&d.name));
                match op.oparg_kind() {
                    OpargKind::None => assert_eq!(a, 0, "{what}: its oparg is unused"),
                    OpargKind::Const => assert!(a < n_consts, "{what}"),
                    OpargKind::Name => {
                        let index = match op.family() {
                            Opcode::LOAD_GLOBAL | Opcode::LOAD_ATTR => a >> 1,
                            Opcode::IMPORT_NAME => a >> 2,
                            _ => a,
                        };
                        assert!(index < n_names, "{what}");
                    }
                    OpargKind::Local => {
                        let (first, second) = local_slots(op, a);
                        for s in [Some(first), second].into_iter().flatten() {
                            assert!(s < n_localsplus, "{what}");
                        }
                    }
                    OpargKind::Free => {
                        assert!(a < n_localsplus, "{what}");
                        assert!(d.localspluskinds[a as usize] & (code::CO_FAST_CELL | code::CO_FAST_FREE) != 0, "{what}: a cell slot");
                    }
                    OpargKind::Jump => {
                        let target = if jump_direction(op) == Some(true) { end + a as usize } else { end - a as usize };
                        assert!(starts.contains(&target), "{what}: jumps to {target}, not an instruction");
                    }
                    OpargKind::Number => {}
                }
                i = end;
            }
            pending.extend(tuple::items(&d.consts).iter().filter(|c| code::check(c)).map(|c| c.new_ref()));
        }
        let kinds = [OpargKind::Const, OpargKind::Name, OpargKind::Local, OpargKind::Free, OpargKind::Jump];
        for k in kinds {
            assert!(seen.iter().any(|op| op.oparg_kind() == k), "the source exercises {k:?}");
        }
        assert!(seen.len() > 70, "the source exercises most base instructions ({} seen)", seen.len());
    }

    #[test]
    fn jumps_only_on_branch_instructions() {
        for &op in Opcode::ALL {
            if jump_direction(op).is_none() {
                assert_eq!(op.stack_effect(3), op.jump_stack_effect(3), "{}", op.name());
            }
        }
    }
}
