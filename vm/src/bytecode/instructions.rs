//! The one definition of Pyrite's instruction set. Everything else — the `Opcode` enum, names,
//! stack effects, inline-cache sizes, the disassembler's view and the specialization families —
//! is derived from the table below; `tests` checks the derived facts stay consistent.
//!
//! An instruction is a 16-bit code unit (opcode, 8-bit oparg; `EXTENDED_ARG` prefixes widen
//! the oparg), followed by `cache` code units of inline cache that the adaptive interpreter
//! (PEP 659) uses for counters and specialization data. Stack effects are `(popped, pushed)`
//! as a function of the oparg (`jump` is the effect when a branch is taken, if different).

/// Defines the instruction set. Each line:
/// `NAME = opcode, cache N, stack (pop, push) [, jump (pop, push)] [, family FAMILY_BASE];`
macro_rules! instructions {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident = $op:literal, cache $cache:literal, stack |$oparg:ident| ($pop:expr, $push:expr)
            $(, jump ($jpop:expr, $jpush:expr))? $(, family $family:ident)?;
    )*) => {
        /// An opcode (the low byte of a code unit).
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Opcode {
            $( $(#[doc = $doc])* $name = $op, )*
        }

        impl Opcode {
            /// Every opcode, in table order.
            pub const ALL: &'static [Opcode] = &[$(Opcode::$name),*];

            /// The opcode with this number, if there is one.
            #[inline]
            pub fn from_u8(b: u8) -> Option<Opcode> {
                match b {
                    $( $op => Some(Opcode::$name), )*
                    _ => None,
                }
            }

            /// The name `dis` shows.
            pub const fn name(self) -> &'static str {
                match self { $( Opcode::$name => stringify!($name), )* }
            }

            /// Inline cache code units following the instruction.
            #[inline]
            pub const fn cache_entries(self) -> usize {
                match self { $( Opcode::$name => $cache, )* }
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
    CACHE = 0, cache 0, stack |a| (0, 0);
    NOP = 1, cache 0, stack |a| (0, 0);
    /// Marks the start of a code object (checks for pending work; instrumentation hook).
    RESUME = 2, cache 0, stack |a| (0, 0);
    POP_TOP = 3, cache 0, stack |a| (1, 0);
    PUSH_NULL = 4, cache 0, stack |a| (0, 1);
    /// Push a copy of the `a`-th item from the top (1 = top).
    COPY = 5, cache 0, stack |a| (a, a + 1);
    /// Swap the top with the `a`-th item.
    SWAP = 6, cache 0, stack |a| (a, a);
    LOAD_CONST = 7, cache 0, stack |a| (0, 1);
    LOAD_FAST = 8, cache 0, stack |a| (0, 1);
    STORE_FAST = 9, cache 0, stack |a| (1, 0);
    DELETE_FAST = 10, cache 0, stack |a| (0, 0);
    LOAD_DEREF = 11, cache 0, stack |a| (0, 1);
    STORE_DEREF = 12, cache 0, stack |a| (1, 0);
    DELETE_DEREF = 13, cache 0, stack |a| (0, 0);
    /// Replace local `a` with a cell holding its value.
    MAKE_CELL = 14, cache 0, stack |a| (0, 0);
    /// Copy the `a` closure cells of the running function into the frame.
    COPY_FREE_VARS = 15, cache 0, stack |a| (0, 0);
    LOAD_NAME = 16, cache 0, stack |a| (0, 1);
    STORE_NAME = 17, cache 0, stack |a| (1, 0);
    DELETE_NAME = 18, cache 0, stack |a| (0, 0);
    /// `a >> 1` is the name index; if `a & 1`, also push NULL (before a call).
    LOAD_GLOBAL = 19, cache 4, stack |a| (0, 1 + (a & 1));
    STORE_GLOBAL = 20, cache 0, stack |a| (1, 0);
    DELETE_GLOBAL = 21, cache 0, stack |a| (0, 0);
    /// `a >> 1` is the name index; if `a & 1`, push (method, self) or (NULL, attr) for a call.
    LOAD_ATTR = 22, cache 4, stack |a| (1, 1 + (a & 1));
    STORE_ATTR = 23, cache 4, stack |a| (2, 0);
    DELETE_ATTR = 24, cache 0, stack |a| (1, 0);
    /// `a` is a `number::BinaryOp` (+ 13 for the in-place form).
    BINARY_OP = 25, cache 1, stack |a| (2, 1);
    BINARY_SUBSCR = 26, cache 1, stack |a| (2, 1);
    /// `container[key] = value` with stack (value, container, key).
    STORE_SUBSCR = 27, cache 1, stack |a| (3, 0);
    DELETE_SUBSCR = 28, cache 0, stack |a| (2, 0);
    UNARY_NEGATIVE = 29, cache 0, stack |a| (1, 1);
    UNARY_INVERT = 30, cache 0, stack |a| (1, 1);
    UNARY_NOT = 31, cache 0, stack |a| (1, 1);
    TO_BOOL = 32, cache 1, stack |a| (1, 1);
    /// `a` is the comparison (`Py_LT`..`Py_GE`).
    COMPARE_OP = 33, cache 1, stack |a| (2, 1);
    /// `is` (`a` = 0) / `is not` (`a` = 1).
    IS_OP = 34, cache 0, stack |a| (2, 1);
    /// `in` (`a` = 0) / `not in` (`a` = 1).
    CONTAINS_OP = 35, cache 0, stack |a| (2, 1);
    BUILD_TUPLE = 36, cache 0, stack |a| (a, 1);
    BUILD_LIST = 37, cache 0, stack |a| (a, 1);
    BUILD_SET = 38, cache 0, stack |a| (a, 1);
    /// `a` key/value pairs.
    BUILD_MAP = 39, cache 0, stack |a| (2 * a, 1);
    BUILD_SLICE = 40, cache 0, stack |a| (a, 1);
    BUILD_STRING = 41, cache 0, stack |a| (a, 1);
    /// Append TOS to the list `a` items below it.
    LIST_APPEND = 42, cache 0, stack |a| (1, 0);
    SET_ADD = 43, cache 0, stack |a| (1, 0);
    MAP_ADD = 44, cache 0, stack |a| (2, 0);
    LIST_EXTEND = 45, cache 0, stack |a| (1, 0);
    SET_UPDATE = 46, cache 0, stack |a| (1, 0);
    DICT_UPDATE = 47, cache 0, stack |a| (1, 0);
    /// `**kwargs` merge: like DICT_UPDATE, but duplicate keys are an error.
    DICT_MERGE = 48, cache 0, stack |a| (1, 0);
    UNPACK_SEQUENCE = 49, cache 1, stack |a| (1, a);
    /// Star unpacking: `a & 0xff` targets before the star, `a >> 8` after.
    UNPACK_EX = 50, cache 0, stack |a| (1, (a & 0xff) + (a >> 8) + 1);
    GET_ITER = 51, cache 0, stack |a| (1, 1);
    /// Push the next item; at exhaustion pop the iterator and jump forward `a` code units.
    FOR_ITER = 52, cache 1, stack |a| (1, 2), jump (1, 0);
    JUMP_FORWARD = 54, cache 0, stack |a| (0, 0);
    JUMP_BACKWARD = 55, cache 1, stack |a| (0, 0);
    POP_JUMP_IF_FALSE = 56, cache 1, stack |a| (1, 0);
    POP_JUMP_IF_TRUE = 57, cache 1, stack |a| (1, 0);
    POP_JUMP_IF_NONE = 58, cache 1, stack |a| (1, 0);
    POP_JUMP_IF_NOT_NONE = 59, cache 1, stack |a| (1, 0);
    /// Call with `a` positional arguments: stack (callable, self_or_null, args...).
    CALL = 60, cache 3, stack |a| (2 + a, 1);
    /// Like CALL, with a tuple of keyword names on top; `a` counts all arguments.
    CALL_KW = 61, cache 3, stack |a| (3 + a, 1);
    /// `f(*args, **kwargs)`: stack (callable, null, args tuple, kwargs dict or NULL).
    CALL_FUNCTION_EX = 62, cache 0, stack |a| (4, 1);
    /// Make a function from the code object on top.
    MAKE_FUNCTION = 63, cache 0, stack |a| (1, 1);
    /// Set a function attribute: 1 defaults, 2 kwdefaults, 4 annotations, 8 closure,
    /// 16 annotate. Stack (value, function) -> (function).
    SET_FUNCTION_ATTRIBUTE = 64, cache 0, stack |a| (2, 1);
    RETURN_VALUE = 65, cache 0, stack |a| (1, 0);
    /// `import name`: stack (level, fromlist) -> (module).
    IMPORT_NAME = 66, cache 0, stack |a| (2, 1);
    IMPORT_FROM = 67, cache 0, stack |a| (1, 2);
    /// `raise` with `a` operands (0: re-raise, 1: exc, 2: exc from cause).
    RAISE_VARARGS = 68, cache 0, stack |a| (a, 0);
    /// Re-raise the exception on top (`a`: whether to restore f_lasti from below it).
    RERAISE = 69, cache 0, stack |a| (1 + a, 0);
    /// Entering an except block: push the previously handled exception below the new one.
    PUSH_EXC_INFO = 70, cache 0, stack |a| (1, 2);
    /// Leaving an except block: restore the handled exception popped from the stack.
    POP_EXCEPT = 71, cache 0, stack |a| (1, 0);
    /// Stack (exc, type) -> (exc, bool).
    CHECK_EXC_MATCH = 72, cache 0, stack |a| (2, 2);
    LOAD_BUILD_CLASS = 73, cache 0, stack |a| (0, 1);
    LOAD_LOCALS = 74, cache 0, stack |a| (0, 1);
    /// `format(value)` with an empty spec.
    FORMAT_SIMPLE = 75, cache 0, stack |a| (1, 1);
    FORMAT_WITH_SPEC = 76, cache 0, stack |a| (2, 1);
    /// `!s` (1), `!r` (2), `!a` (3).
    CONVERT_VALUE = 77, cache 0, stack |a| (1, 1);
    /// Call an intrinsic with one argument (`a` selects it: print, import *, list to tuple...).
    CALL_INTRINSIC_1 = 78, cache 0, stack |a| (1, 1);
    /// Prefix: the next instruction's oparg is `(a << 8) | its own`.
    EXTENDED_ARG = 79, cache 0, stack |a| (0, 0);
    /// Entering `with`: (manager) -> (bound __exit__, result of __enter__()).
    BEFORE_WITH = 80, cache 0, stack |a| (1, 2);
    /// In a with-handler: (exit, prev, exc) -> (exit, prev, exc, exit(type, exc, tb)).
    WITH_EXCEPT_START = 81, cache 0, stack |a| (3, 4);
    /// Suspend a generator, handing TOS to its caller; the value sent in replaces it.
    YIELD_VALUE = 82, cache 0, stack |a| (1, 1);
    /// First instruction of a generator function: the call returns a generator object; when
    /// the generator starts, the first value sent (None) is pushed.
    RETURN_GENERATOR = 83, cache 0, stack |a| (0, 1);
    /// Class pattern with `a` positional sub-patterns: (subject, class, keyword names) ->
    /// (tuple of the attributes, or None when the subject does not match).
    MATCH_CLASS = 84, cache 0, stack |a| (3, 1);
    /// (subject) -> (subject, whether its type has `Py_TPFLAGS_MAPPING`).
    MATCH_MAPPING = 85, cache 0, stack |a| (1, 2);
    /// (subject) -> (subject, whether its type has `Py_TPFLAGS_SEQUENCE`).
    MATCH_SEQUENCE = 86, cache 0, stack |a| (1, 2);
    /// (mapping, keys tuple) -> (mapping, keys, tuple of the values, or None if a key is missing).
    MATCH_KEYS = 87, cache 0, stack |a| (2, 3);
    /// (obj) -> (obj, len(obj)).
    GET_LEN = 88, cache 0, stack |a| (1, 2);
    /// `except* T`: (exception or group, T) -> (unmatched rest or None, matched group or None).
    CHECK_EG_MATCH = 89, cache 0, stack |a| (2, 2);
    /// Call an intrinsic with two arguments (`a` selects it: prepare the except* re-raise).
    CALL_INTRINSIC_2 = 90, cache 0, stack |a| (2, 1);
}

/// How many code units an instruction occupies, its cache included.
#[inline]
pub const fn instruction_len(op: Opcode) -> usize {
    1 + op.cache_entries()
}

/// Whether the instruction's oparg is a jump distance, and in which direction
/// (`Some(true)` forward).
pub const fn jump_direction(op: Opcode) -> Option<bool> {
    match op {
        Opcode::FOR_ITER
        | Opcode::JUMP_FORWARD
        | Opcode::POP_JUMP_IF_FALSE
        | Opcode::POP_JUMP_IF_TRUE
        | Opcode::POP_JUMP_IF_NONE
        | Opcode::POP_JUMP_IF_NOT_NONE => Some(true),
        Opcode::JUMP_BACKWARD => Some(false),
        _ => None,
    }
}

/// Instructions after which execution does not fall through.
pub const fn is_terminator(op: Opcode) -> bool {
    matches!(op, Opcode::JUMP_FORWARD | Opcode::JUMP_BACKWARD | Opcode::RETURN_VALUE | Opcode::RAISE_VARARGS | Opcode::RERAISE)
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
    fn jumps_only_on_branch_instructions() {
        for &op in Opcode::ALL {
            if jump_direction(op).is_none() {
                assert_eq!(op.stack_effect(3), op.jump_stack_effect(3), "{}", op.name());
            }
        }
    }
}
