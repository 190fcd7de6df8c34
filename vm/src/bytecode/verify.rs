//! The bytecode verifier: proves, once per code object, the facts the hot loop
//! (`interp::hot_loop`) relies on instead of checking them at every instruction.
//!
//! A code object passes when, following every path from offset 0 (and from each exception
//! handler a covered instruction can raise into):
//!
//! - each instruction start holds an opcode of the instruction set that is not `CACHE` nor a
//!   specialized form, and the whole instruction (its `EXTENDED_ARG` prefixes, its caches)
//!   lies inside the code;
//! - no instruction falls through past the end, and every jump and handler lands on an
//!   instruction start;
//! - the value stack never holds fewer values than an instruction pops, nor more than
//!   `co_stacksize`, and two paths reaching one instruction agree on the depth (a handler
//!   starts at its own depth, plus `lasti` and the exception: `unwind` enters it only from a
//!   stack at least that deep, which it cuts down to it);
//! - local-slot operands are below `nlocalsplus` and constant operands below `len(co_consts)`.
//!
//! Code Pyrite's compiler makes always passes (`tests/lang` and the stdlib check it). Code built
//! by hand (`types.CodeType`, `code.replace`, marshal data) that does not runs on the checked
//! generic path (`interp::execute`) only: slower, never unsound. CPython trusts such code and
//! may crash on it.

use super::instructions::{instruction_len, is_terminator, jump_direction, local_slots, Opcode, OpargKind};
use crate::objects::code::CodeData;

/// Why `code` fails verification, or Ok.
pub fn verify(cd: &CodeData) -> Result<(), String> {
    let code = &cd.code;
    let n = code.len();
    let nlocals = cd.nlocalsplus();
    let nconsts = crate::objects::tuple::len(&cd.consts);
    let max = cd.stacksize as usize;

    // Decode once: for each instruction start (prefixes included), the opcode, the full
    // oparg and the offset after it.
    let mut decoded: Vec<Option<(Opcode, u32, usize)>> = vec![None; n];
    let mut i = 0;
    while i < n {
        let start = i;
        let mut arg: u32 = 0;
        let op = loop {
            let Some(&u) = code.get(i) else { return Err(format!("offset {start}: EXTENDED_ARG at the end")) };
            let Some(op) = Opcode::from_u8(u as u8) else { return Err(format!("offset {i}: no opcode {}", u as u8)) };
            arg |= (u >> 8) as u32;
            if op != Opcode::EXTENDED_ARG {
                break op;
            }
            if i - start >= 3 {
                return Err(format!("offset {start}: more than three EXTENDED_ARG"));
            }
            arg <<= 8;
            i += 1;
        };
        if op == Opcode::CACHE || op.family() != op {
            return Err(format!("offset {i}: {} at an instruction start", op.name()));
        }
        let next = i + instruction_len(op);
        if next > n {
            return Err(format!("offset {start}: {} runs past the end", op.name()));
        }
        match op.oparg_kind() {
            OpargKind::Local => {
                let (first, second) = local_slots(op, arg);
                if [Some(first), second].into_iter().flatten().any(|s| s as usize >= nlocals) {
                    return Err(format!("offset {start}: local slot out of range"));
                }
            }
            OpargKind::Free if arg as usize >= nlocals => return Err(format!("offset {start}: cell slot {arg} out of range")),
            OpargKind::Const if arg as usize >= nconsts => return Err(format!("offset {start}: constant {arg} out of range")),
            _ => {}
        }
        decoded[start] = Some((op, arg, next));
        i = next;
    }

    // Follow the paths, recording the stack depth at each instruction start.
    let mut depth: Vec<Option<usize>> = vec![None; n];
    let mut work: Vec<usize> = Vec::new();
    let reach = |at: usize, d: usize, depth: &mut Vec<Option<usize>>, work: &mut Vec<usize>| -> Result<(), String> {
        if at >= n || decoded[at].is_none() {
            return Err(format!("a path reaches offset {at}, which is not an instruction start"));
        }
        match depth[at] {
            Some(old) if old != d => Err(format!("offset {at}: stack depth {old} on one path, {d} on another")),
            Some(_) => Ok(()),
            None => {
                depth[at] = Some(d);
                work.push(at);
                Ok(())
            }
        }
    };
    if n == 0 {
        return Err("no instructions".into());
    }
    reach(0, 0, &mut depth, &mut work)?;
    while let Some(at) = work.pop() {
        let (op, arg, next) = decoded[at].expect("reached only instruction starts");
        let d = depth[at].expect("recorded when reached");
        let (pop, push) = op.stack_effect(arg);
        let (pop, push) = (pop as usize, push as usize);
        if pop > d {
            return Err(format!("offset {at}: {} pops {pop} of {d}", op.name()));
        }
        let after = d - pop + push;
        if after > max {
            return Err(format!("offset {at}: {} leaves {after} values, over co_stacksize {max}", op.name()));
        }
        if let Some(h) = cd.handler_for(at as u32) {
            let hd = h.depth as usize;
            let entry = hd + h.lasti as usize + 1;
            if entry > max {
                return Err(format!("offset {at}: handler entered with {entry} values, over co_stacksize {max}"));
            }
            reach(h.target as usize, entry, &mut depth, &mut work)?;
        }
        if let Some(forward) = jump_direction(op) {
            let target = if forward { next.checked_add(arg as usize) } else { next.checked_sub(arg as usize) };
            let Some(target) = target else { return Err(format!("offset {at}: jump out of the code")) };
            let (jpop, jpush) = op.jump_stack_effect(arg);
            let (jpop, jpush) = (jpop as usize, jpush as usize);
            if jpop > d || d - jpop + jpush > max {
                return Err(format!("offset {at}: {} jumps with a bad stack", op.name()));
            }
            reach(target, d - jpop + jpush, &mut depth, &mut work)?;
        }
        if !is_terminator(op) {
            if next >= n {
                return Err(format!("offset {at}: {} falls through past the end", op.name()));
            }
            reach(next, after, &mut depth, &mut work)?;
        }
    }
    Ok(())
}
