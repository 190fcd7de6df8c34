//! Hashing as CPython does it: SipHash-1-3 over the raw bytes of str/bytes with a per-process
//! random key (`PYTHONHASHSEED` honoured), and the numeric hash modulo 2^61 - 1 for int/float,
//! so that `hash(1) == hash(1.0) == hash(True)`.

use std::sync::OnceLock;

use pyrite_abi::Py_hash_t;

/// `_PyHASH_BITS` / `_PyHASH_MODULUS` on 64-bit platforms.
pub const HASH_BITS: u32 = 61;
pub const HASH_MODULUS: u64 = (1 << HASH_BITS) - 1;
pub const HASH_INF: Py_hash_t = 314159;

fn key() -> (u64, u64) {
    static KEY: OnceLock<(u64, u64)> = OnceLock::new();
    *KEY.get_or_init(|| {
        match crate::config::hash_seed() {
            // PYTHONHASHSEED=0 disables randomisation.
            Some(0) => (0, 0),
            Some(n) => {
                let mut x = n ^ 0x9E37_79B9_7F4A_7C15;
                (splitmix(&mut x), splitmix(&mut x))
            }
            None => {
                let mut buf = [0u8; 16];
                if std::fs::File::open("/dev/urandom")
                    .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut buf))
                    .is_err()
                {
                    let t = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_nanos() as u64)
                        .unwrap_or(0);
                    buf[..8].copy_from_slice(&t.to_le_bytes());
                    buf[8..].copy_from_slice(&(std::process::id() as u64).to_le_bytes());
                }
                (u64::from_le_bytes(buf[..8].try_into().unwrap()), u64::from_le_bytes(buf[8..].try_into().unwrap()))
            }
        }
    })
}

fn splitmix(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[inline(always)]
fn sipround(v: &mut [u64; 4]) {
    v[0] = v[0].wrapping_add(v[1]);
    v[1] = v[1].rotate_left(13) ^ v[0];
    v[0] = v[0].rotate_left(32);
    v[2] = v[2].wrapping_add(v[3]);
    v[3] = v[3].rotate_left(16) ^ v[2];
    v[0] = v[0].wrapping_add(v[3]);
    v[3] = v[3].rotate_left(21) ^ v[0];
    v[2] = v[2].wrapping_add(v[1]);
    v[1] = v[1].rotate_left(17) ^ v[2];
    v[2] = v[2].rotate_left(32);
}

/// SipHash-1-3 of `data` under the process key.
pub fn siphash13(data: &[u8]) -> u64 {
    let (k0, k1) = key();
    siphash13_keyed(k0, k1, data)
}

/// SipHash-1-3 of `data` under the key `(k0, k1)` (`_imp.source_hash` uses `(key, 0)`).
pub fn siphash13_keyed(k0: u64, k1: u64, data: &[u8]) -> u64 {
    let mut v = [k0 ^ 0x736f_6d65_7073_6575, k1 ^ 0x646f_7261_6e64_6f6d, k0 ^ 0x6c79_6765_6e65_7261, k1 ^ 0x7465_6462_7974_6573];
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let m = u64::from_le_bytes(c.try_into().unwrap());
        v[3] ^= m;
        sipround(&mut v);
        v[0] ^= m;
    }
    let rest = chunks.remainder();
    let mut last = (data.len() as u64) << 56;
    for (i, &b) in rest.iter().enumerate() {
        last |= (b as u64) << (8 * i);
    }
    v[3] ^= last;
    sipround(&mut v);
    v[0] ^= last;
    v[2] ^= 0xff;
    for _ in 0..3 {
        sipround(&mut v);
    }
    v[0] ^ v[1] ^ v[2] ^ v[3]
}

/// The hash of a byte string (`bytes`, and `str` over its canonical kind-width data).
/// The empty string hashes to 0, and -1 is never returned.
pub fn hash_bytes(data: &[u8]) -> Py_hash_t {
    if data.is_empty() {
        return 0;
    }
    fix(siphash13(data) as Py_hash_t)
}

/// -1 is the error value of `tp_hash`, so a real hash of -1 becomes -2.
#[inline(always)]
pub fn fix(h: Py_hash_t) -> Py_hash_t {
    if h == -1 { -2 } else { h }
}

/// The numeric hash of an i64 (`hash(n)` for small ints).
pub fn hash_i64(v: i64) -> Py_hash_t {
    let m = (v.unsigned_abs() % HASH_MODULUS) as i64;
    fix(if v < 0 { -m } else { m } as Py_hash_t)
}

/// `_Py_HashDouble` for finite values (NaN hashes by identity, handled by the caller).
pub fn hash_f64(v: f64) -> Py_hash_t {
    if v.is_infinite() {
        return if v > 0.0 { HASH_INF } else { -HASH_INF };
    }
    let (mut m, mut e) = frexp(v.abs());
    let sign: i64 = if v < 0.0 { -1 } else { 1 };
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & HASH_MODULUS) | (x >> (HASH_BITS - 28));
        m *= 268435456.0; // 2**28
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        x += y;
        if x >= HASH_MODULUS {
            x -= HASH_MODULUS;
        }
    }
    let e = if e >= 0 { e % HASH_BITS as i32 } else { HASH_BITS as i32 - 1 - ((-1 - e) % HASH_BITS as i32) };
    x = ((x << e) & HASH_MODULUS) | (x >> (HASH_BITS as i32 - e));
    fix((x as i64 * sign) as Py_hash_t)
}

/// `frexp`: `v = m * 2^e` with `0.5 <= m < 1` (v finite, >= 0).
pub fn frexp(v: f64) -> (f64, i32) {
    if v == 0.0 {
        return (0.0, 0);
    }
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // Subnormal: scale up first.
        let (m, e) = frexp(v * f64::from_bits(0x4350_0000_0000_0000)); // 2^54
        return (m, e - 54);
    }
    let m = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52));
    (m, exp - 1022)
}
