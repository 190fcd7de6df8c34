//! Pyrite bytecode: the instruction set (`instructions`, the single definition), code units,
//! and the disassembler.

pub mod instructions;
pub mod verify;

pub use instructions::{instruction_len, Opcode};

/// A 16-bit code unit: opcode in the low byte, oparg in the high byte.
pub type CodeUnit = u16;

#[inline(always)]
pub const fn unit(op: Opcode, arg: u8) -> CodeUnit {
    op as u16 | (arg as u16) << 8
}

#[inline(always)]
pub fn decode(u: CodeUnit) -> (u8, u8) {
    (u as u8, (u >> 8) as u8)
}

/// One decoded instruction: where it starts, the opcode, the full (extended) oparg.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instruction {
    pub offset: usize,
    pub op: Opcode,
    pub arg: u32,
}

/// Decodes instructions, folding `EXTENDED_ARG` prefixes and skipping caches.
pub fn instructions(code: &[CodeUnit]) -> Vec<Instruction> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut ext: u32 = 0;
    let mut start = 0;
    while i < code.len() {
        let (op, arg) = decode(code[i]);
        let op = Opcode::from_u8(op).unwrap_or(Opcode::NOP);
        if op == Opcode::EXTENDED_ARG {
            if ext == 0 {
                start = i;
            }
            ext = (ext | arg as u32) << 8;
            i += 1;
            continue;
        }
        let offset = if ext != 0 { start } else { i };
        out.push(Instruction { offset, op, arg: ext | arg as u32 });
        ext = 0;
        i += instruction_len(op);
    }
    out
}

/// A `dis`-style listing: offset (in bytes, as `dis` counts), name, oparg.
pub fn disassemble(code: &[CodeUnit]) -> String {
    let mut s = String::new();
    for ins in instructions(code) {
        if ins.op.stack_effect(0) == (0, 0) && matches!(ins.op, Opcode::NOP | Opcode::RESUME | Opcode::CACHE) {
            s.push_str(&format!("{:>6} {}\n", ins.offset * 2, ins.op.name()));
        } else {
            s.push_str(&format!("{:>6} {:<24} {}\n", ins.offset * 2, ins.op.name(), ins.arg));
        }
    }
    s
}

/// A listing of a code object and, recursively, the code objects among its constants,
/// with exception tables (`dis.dis` style).
pub fn disassemble_code(code_obj: &crate::object::Obj) -> String {
    use crate::objects::{code, tuple, unicode};
    let d = code::data(code_obj);
    let mut s = format!("Disassembly of <code object {}>:\n", unicode::as_str_lossy(&d.name));
    let lines: Vec<u32> = d.positions.iter().map(|p| p.line).collect();
    for ins in instructions(&d.code) {
        let line = lines.get(ins.offset).copied().unwrap_or(0);
        s.push_str(&format!("{:>4} {:>6} {:<24} {}\n", line, ins.offset * 2, ins.op.name(), ins.arg));
    }
    if !d.exception_table.is_empty() {
        s.push_str("ExceptionTable:\n");
        for e in &d.exception_table {
            s.push_str(&format!("  {} to {} -> {} [{}]{}\n", e.start * 2, e.end * 2, e.target * 2, e.depth, if e.lasti { " lasti" } else { "" }));
        }
    }
    for c in tuple::items(&d.consts) {
        if code::check(c) {
            s.push('\n');
            s.push_str(&disassemble_code(c));
        }
    }
    s
}
