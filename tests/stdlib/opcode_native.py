# requires: 3.15
# _opcode's functions as CPython 3.15 defines them (argument checks and messages, the has_*
# predicates, the descriptor lists) and the argument reprs dis builds from them.
import _opcode
import dis
import opcode

m = opcode.opmap
print(_opcode.is_valid(m["LOAD_CONST"]), _opcode.is_valid(-1), _opcode.is_valid(600))
print(_opcode.has_arg(m["LOAD_CONST"]), _opcode.has_arg(m["POP_TOP"]), _opcode.has_arg(-3))
print(_opcode.has_const(m["LOAD_CONST"]), _opcode.has_const(m["LOAD_NAME"]))
print(_opcode.has_name(m["LOAD_ATTR"]), _opcode.has_name(m["STORE_GLOBAL"]), _opcode.has_name(m["LOAD_FAST"]))
print(_opcode.has_jump(m["JUMP_FORWARD"]), _opcode.has_jump(m["POP_JUMP_IF_TRUE"]), _opcode.has_jump(m["CALL"]))
print(_opcode.has_local(m["LOAD_FAST"]), _opcode.has_local(m["STORE_FAST_STORE_FAST"]), _opcode.has_free(m["STORE_DEREF"]))
print(_opcode.has_free(m["MAKE_CELL"]), _opcode.has_exc(m["LOAD_CONST"]), _opcode.ENABLE_SPECIALIZATION)
print(_opcode.stack_effect(m["POP_TOP"]), _opcode.stack_effect(m["BUILD_TUPLE"], 4), _opcode.stack_effect(m["LOAD_CONST"], 0, jump=False))
print(opcode.stack_effect(m["STORE_SUBSCR"], jump=True), opcode.stack_effect(m["UNPACK_SEQUENCE"], 3, jump=None))
for call in [lambda: _opcode.stack_effect(), lambda: _opcode.stack_effect(1, 2, 3), lambda: _opcode.stack_effect("x"),
             lambda: _opcode.stack_effect(m["POP_TOP"], jump=1), lambda: _opcode.stack_effect(500),
             lambda: _opcode.is_valid("x"), lambda: _opcode.is_valid(2**40), lambda: _opcode.get_executor(1, 2),
             lambda: _opcode.stack_effect(m["POP_TOP"], foo=1)]:
    try:
        print(call())
    except Exception as e:
        print(type(e).__name__, e)
try:
    _opcode.get_executor((lambda: 0).__code__, 0)
except (RuntimeError, ValueError):
    print("no executor")
print(_opcode.get_specialization_stats())
print(type(_opcode.get_special_method_names()).__name__)
i1, i2 = _opcode.get_intrinsic1_descs(), _opcode.get_intrinsic2_descs()
print(i1[0], i2[0], "INTRINSIC_PRINT" in i1, "INTRINSIC_IMPORT_STAR" in i1, "INTRINSIC_PREP_RERAISE_STAR" in i2)
ops = _opcode.get_nb_ops()
print(("NB_ADD", "+") in ops, ("NB_INPLACE_XOR", "^=") in ops, ("NB_POWER", "**") in ops)
print(all(isinstance(v, int) for v in m.values()), max(opcode._specialized_opmap.values()) < 256)
print(all(base in m for base in opcode._specializations), opcode._inline_cache_entries["LOAD_GLOBAL"] > 0)


def sample(a, b, xs):
    import os.path
    xs.append(len(a))
    c = a == b
    a += b
    return a + b, c


instrs = list(dis.get_instructions(sample))
print([i.argval for i in instrs if i.opname == "IMPORT_NAME"], [i.argval for i in instrs if i.opname == "LOAD_GLOBAL"])
reprs = {(i.opname, i.argrepr) for i in instrs}
for want in [("COMPARE_OP", "=="),
             ("LOAD_ATTR", "append + NULL|self"), ("BINARY_OP", "+="), ("BINARY_OP", "+")]:
    print(want, want in reprs)
print("opcode_native: ok")
