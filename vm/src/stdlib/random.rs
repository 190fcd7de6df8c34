//! `_random` (CPython's `Modules/_randommodule.c`): `Random`, the Mersenne Twister (MT19937)
//! behind `Lib/random.py`, seeded exactly as CPython seeds it, so a given seed yields
//! CPython's sequence (`random()`, `getrandbits()`, `getstate()`/`setstate()`).

use pyrite_abi::*;

use super::native::{self, new_instance, with};
use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::type_::TypeObj;
use crate::objects::{float, long, none, tuple};
use crate::abstract_;

pub fn create() -> PyResult<PyRef> {
    let m = native::new_module("_random", core::ptr::null_mut())?;
    native::add_types(&m, &[&RANDOM])?;
    Ok(m)
}

const N: usize = 624;
const M: usize = 397;

struct Mt {
    state: [u32; N],
    index: usize,
}

impl Mt {
    fn init_genrand(&mut self, s: u32) {
        self.state[0] = s;
        for i in 1..N {
            let prev = self.state[i - 1];
            self.state[i] = 1812433253u32.wrapping_mul(prev ^ (prev >> 30)).wrapping_add(i as u32);
        }
        self.index = N;
    }

    fn init_by_array(&mut self, key: &[u32]) {
        self.init_genrand(19650218);
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let prev = self.state[i - 1];
            self.state[i] = (self.state[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1664525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                self.state[0] = self.state[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = self.state[i - 1];
            self.state[i] = (self.state[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1566083941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                self.state[0] = self.state[N - 1];
                i = 1;
            }
        }
        self.state[0] = 0x8000_0000;
        self.index = N;
    }

    fn next_u32(&mut self) -> u32 {
        const MATRIX_A: u32 = 0x9908_b0df;
        const UPPER: u32 = 0x8000_0000;
        const LOWER: u32 = 0x7fff_ffff;
        if self.index >= N {
            for k in 0..N {
                let y = (self.state[k] & UPPER) | (self.state[(k + 1) % N] & LOWER);
                let mag = if y & 1 != 0 { MATRIX_A } else { 0 };
                self.state[k] = self.state[(k + M) % N] ^ (y >> 1) ^ mag;
            }
            self.index = 0;
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    fn random(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)
    }
}

native_type!(RANDOM, c"_random.Random", Mt, {
    tp_new: slot_new!(random_new),
    tp_init: Some(random_init),
    tp_getattro: Some(crate::objects::type_::generic_getattr),
    tp_methods: RANDOM_METHODS.0.get() as *mut PyMethodDef,
    tp_doc: c"Random() -> create a random number generator with its own internal state.".as_ptr(),
});

method_table!(static RANDOM_METHODS = [
    noargs c"random" => random_random,
    fast c"seed" => random_seed,
    noargs c"getstate" => random_getstate,
    o c"setstate" => random_setstate,
    o c"getrandbits" => random_getrandbits,
]);

fn random_new(t: &TypeObj, _a: &[&Obj], _kw: Option<&Obj>) -> PyResult<PyRef> {
    new_instance(t, Mt { state: [0; N], index: N })
}

/// Seeds from the one optional argument; a subclass with its own `__init__` (another
/// signature) never gets here.
unsafe extern "C" fn random_init(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> core::ffi::c_int {
    // SAFETY: tp_init contract.
    let (o, a, kw) = unsafe { (crate::slot::arg(o), tuple::items(crate::slot::arg(args)), crate::slot::opt_arg(kw)) };
    crate::slot::ret_int((|| {
        crate::objects::argparse::no_kw_dict("Random", kw)?;
        crate::objects::argparse::check_positional("Random", a.len(), 0, 1)?;
        seed(o, a.first().copied())?;
        Ok(0)
    })())
}

/// CPython's `random_seed`: None from the OS (or the time), an int by its absolute value's
/// 32-bit words, anything else by its hash.
fn seed(o: &Obj, arg: Option<&Obj>) -> PyResult<()> {
    let key: Vec<u32> = match arg.filter(|a| !a.is(none::none_obj())) {
        None => os_key(),
        Some(a) => {
            let n = if long::check(a) {
                // An int subclass's own `__abs__` is not consulted: it could return anything
                // (bpo-31478); the exact int's is.
                crate::number::absolute(&*crate::number::index_exact(a)?)?
            } else {
                long::from_u64(abstract_::hash(a)? as u64)
            };
            let len = (long::bit_length(&n) as usize).div_ceil(8).max(4).next_multiple_of(4);
            let bytes = long::to_byte_array(&n, len, true, false)?;
            let mut words: Vec<u32> = bytes.chunks(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
            while words.len() > 1 && *words.last().unwrap() == 0 {
                words.pop();
            }
            words
        }
    };
    with(o, |mt: &mut Mt| mt.init_by_array(&key))
}

/// 624 words from the OS's random source, or from the time and process id without one.
fn os_key() -> Vec<u32> {
    use std::io::Read;
    let mut buf = vec![0u8; N * 4];
    if std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut buf)).is_ok() {
        return buf.chunks(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    }
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    vec![now.as_secs() as u32, (now.as_secs() >> 32) as u32, now.subsec_nanos(), std::process::id()]
}

fn random_random(o: &Obj) -> PyResult<PyRef> {
    Ok(float::new(with(o, |mt: &mut Mt| mt.random())?))
}

fn random_seed(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    crate::objects::argparse::check_positional("seed", a.len(), 0, 1)?;
    seed(o, a.first().copied())?;
    Ok(none::none())
}

fn random_getstate(o: &Obj) -> PyResult<PyRef> {
    let (state, index) = with(o, |mt: &mut Mt| (mt.state, mt.index))?;
    let mut items: Vec<PyRef> = state.iter().map(|&w| long::from_u64(w as u64)).collect();
    items.push(long::from_usize(index));
    Ok(tuple::new_from_owned(items))
}

fn random_setstate(o: &Obj, state: &Obj) -> PyResult<PyRef> {
    if !tuple::check(state) {
        return Err(raise!(TypeError, "state vector must be a tuple"));
    }
    let items = tuple::items(state);
    if items.len() != N + 1 {
        return Err(raise!(ValueError, "state vector is the wrong size"));
    }
    let mut words = [0u32; N];
    for (w, item) in words.iter_mut().zip(items) {
        let v = abstract_::index(item)?;
        // CPython reads a C unsigned long and keeps its low 32 bits.
        *w = long::to_u64(&v).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C unsigned long"))? as u32;
    }
    let index = crate::objects::argparse::ssize(items[N])?;
    if index < 0 || index > N as isize {
        return Err(raise!(ValueError, "invalid state"));
    }
    with(o, |mt: &mut Mt| {
        mt.state = words;
        mt.index = index as usize;
    })?;
    Ok(none::none())
}

fn random_getrandbits(o: &Obj, k: &Obj) -> PyResult<PyRef> {
    let k = crate::objects::argparse::ssize(k)?;
    if k < 0 {
        return Err(raise!(ValueError, "Cannot convert negative int"));
    }
    if k == 0 {
        return Ok(long::from_i64(0));
    }
    if k <= 32 {
        return Ok(long::from_u64((with(o, |mt: &mut Mt| mt.next_u32())? >> (32 - k)) as u64));
    }
    // Little-endian 32-bit words, the last one holding the top (k % 32) bits.
    let words = (k as usize).div_ceil(32);
    let bytes = with(o, |mt: &mut Mt| {
        let mut out = Vec::with_capacity(words * 4);
        let mut left = k as usize;
        for _ in 0..words {
            let mut r = mt.next_u32();
            if left < 32 {
                r >>= 32 - left;
            }
            out.extend_from_slice(&r.to_le_bytes());
            left = left.saturating_sub(32);
        }
        out
    })?;
    Ok(long::from_byte_array(&bytes, true, false))
}
