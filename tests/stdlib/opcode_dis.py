# opcode and dis over the running interpreter's own instruction set: the opcode tables agree
# with each other, every instruction dis finds is named in them, line starts match the
# source, and dis.dis / Bytecode / code_info / the exception table describe the function.
# (The instruction sets differ between implementations, so only invariants are printed.)
import dis
import io
import opcode


def helper(x):
    return x * 2


def sample(a, b=3):
    total = helper(a) + b
    label = "sum-label"
    try:
        total = total // b
    except ZeroDivisionError:
        total = 0
    for i in range(2):
        total += i
    return label, total + 42


print(sample(4), sample(1, 0))

# The opcode tables.
print("opname round-trips:", all(opcode.opname[v] == k for k, v in opcode.opmap.items()))
print("EXTENDED_ARG:", opcode.opname[opcode.EXTENDED_ARG])
print("LOAD_CONST has const:", opcode.opmap["LOAD_CONST"] in opcode.hasconst)
print("names:", all(opcode.opmap[n] in opcode.hasname for n in ("LOAD_NAME", "STORE_NAME", "LOAD_GLOBAL", "LOAD_ATTR", "IMPORT_NAME")))
print("local:", all(opcode.opmap[n] in opcode.haslocal for n in ("LOAD_FAST", "STORE_FAST", "DELETE_FAST")))
print("jumps:", all(opcode.opmap[n] in opcode.hasjrel for n in ("JUMP_FORWARD", "JUMP_BACKWARD", "FOR_ITER")))
print("no jump:", not any(opcode.opmap[n] in opcode.hasjrel for n in ("LOAD_CONST", "POP_TOP", "CALL")))
print("hascompare:", [opcode.opname[o] for o in opcode.hascompare])
print("cmp_op:", opcode.cmp_op)
print("dis re-exports:", dis.opmap is opcode.opmap, dis.opname is opcode.opname)
print("stack effects:", opcode.stack_effect(opcode.opmap["POP_TOP"]), opcode.stack_effect(opcode.opmap["BUILD_LIST"], 3),
      opcode.stack_effect(opcode.opmap["LOAD_CONST"], 0))
for args, kw in [((opcode.opmap["POP_TOP"],), {"jump": 1}), ((1000, 0), {})]:
    try:
        opcode.stack_effect(*args, **kw)
    except ValueError as e:
        print("ValueError:", e)

# Instructions.
instrs = list(dis.get_instructions(sample))
print("instructions named:", all(i.opname in dis.opmap or i.opname in opcode._specialized_opmap for i in instrs))
print("opcodes match names:", all(dis.opmap[i.opname] == i.opcode for i in instrs if i.opname in dis.opmap))
print("offsets increase:", all(a.offset < b.offset for a, b in zip(instrs, instrs[1:])))
print("even offsets:", all(i.offset % 2 == 0 for i in instrs))
code_len = len(sample.__code__.co_code)
print("within code:", all(0 <= i.offset < code_len for i in instrs))
argvals = [i.argval for i in instrs]
print("constants shown:", "sum-label" in argvals, 42 in argvals)
print("names shown:", "helper" in argvals, "range" in argvals)
print("locals shown:", {"a", "b", "total", "label", "i"} <= set(argvals))
targets = {i.offset for i in instrs}
jumps = [i for i in instrs if i.opcode in opcode.hasjrel]
print("jumps land on instructions:", bool(jumps) and all(i.argval in targets for i in jumps))
print("jump reprs:", all(i.argrepr.startswith("to ") for i in jumps))

# Line numbers: every statement of `sample` starts a line, nothing outside it does.
first = sample.__code__.co_firstlineno
lines = {line - first for _, line in dis.findlinestarts(sample.__code__) if line is not None}
print("line starts:", sorted(lines - {0}))
print("starts_line agrees:", all(bool(i.starts_line) == (i.offset in dict(dis.findlinestarts(sample.__code__))) for i in instrs))
print("positions:", all(i.positions.lineno is None or first <= i.positions.lineno <= first + 9 for i in instrs))

# Exception table: one handler range covering the division, targets are instructions.
entries = dis._parse_exception_table(sample.__code__)
print("exception entries:", len(entries) > 0, all(e.start < e.end <= code_len for e in entries),
      all(e.target in targets for e in entries))

# dis.dis, Bytecode, code_info, show_code.
out = io.StringIO()
dis.dis(sample, file=out)
text = out.getvalue()
print("dis mentions:", all(s in text for s in ("helper", "'sum-label'", "42", "total", "ExceptionTable:")))
print("dis nested:", "Disassembly of" not in text)
out = io.StringIO()
dis.dis(compile("def g():\n    return 1\n", "<m>", "exec"), file=out)
print("dis nested code:", "Disassembly of <code object g" in out.getvalue())
bc = dis.Bytecode(sample)
print("Bytecode:", [i.opname for i in bc] == [i.opname for i in instrs], bc.first_line == first)
print("Bytecode.dis:", "'sum-label'" in bc.dis())
info = dis.code_info(sample).splitlines()
for line in info:
    if line.startswith(("Name:", "Argument count:", "Kw-only arguments:", "Positional-only", "Flags:")):
        print(" ", line)
i = info.index("Variable names:")
print(" ", info[i:i + 6])
out = io.StringIO()
dis.show_code(helper, file=out)
print("show_code:", out.getvalue().splitlines()[0])
print("opcode_dis: ok")
