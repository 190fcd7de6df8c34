"""
Pyrite's opcode module: the facts dis and other bytecode tools use about Pyrite's instruction
set (opcode numbers, which opcodes take which kind of argument, inline cache layouts).

Everything comes from _opcode and _opcode_metadata, both derived from Pyrite's one
instruction table; this module only arranges it the way CPython's opcode module does.
"""

__all__ = ["cmp_op", "stack_effect", "hascompare", "opname", "opmap",
           "HAVE_ARGUMENT", "EXTENDED_ARG", "hasarg", "hasconst", "hasname",
           "hasjump", "hasjrel", "hasjabs", "hasfree", "haslocal", "hasexc"]

import builtins
import _opcode
from _opcode import stack_effect

from _opcode_metadata import (_specializations, _specialized_opmap, opmap,
                              HAVE_ARGUMENT, MIN_INSTRUMENTED_OPCODE, _cache_format)

EXTENDED_ARG = opmap['EXTENDED_ARG']

# Indexed by opcode; numbers without an instruction read '<n>'.
opname = ['<%r>' % (op,) for op in range(max(opmap.values()) + 1)]
for _names in (opmap, _specialized_opmap):
    for _name, _op in _names.items():
        opname[_op] = _name
del _names, _name, _op

cmp_op = ('<', '<=', '==', '!=', '>', '>=')

hasarg = [op for op in opmap.values() if _opcode.has_arg(op)]
hasconst = [op for op in opmap.values() if _opcode.has_const(op)]
hasname = [op for op in opmap.values() if _opcode.has_name(op)]
hasjump = [op for op in opmap.values() if _opcode.has_jump(op)]
# Every Pyrite jump is relative to the end of the instruction's cache.
hasjrel = hasjump
hasjabs = []
hasfree = [op for op in opmap.values() if _opcode.has_free(op)]
haslocal = [op for op in opmap.values() if _opcode.has_local(op)]
hasexc = [op for op in opmap.values() if _opcode.has_exc(op)]
hascompare = [opmap['COMPARE_OP']]

_intrinsic_1_descs = _opcode.get_intrinsic1_descs()
_intrinsic_2_descs = _opcode.get_intrinsic2_descs()
_special_method_names = _opcode.get_special_method_names()
_nb_ops = _opcode.get_nb_ops()
# What LOAD_COMMON_CONSTANT pushes, by oparg.
_common_constants = [builtins.AssertionError, builtins.NotImplementedError]

_inline_cache_entries = {
    name: sum(fields.values()) for name, fields in _cache_format.items()
}
