//! The hash modules `Lib/hashlib.py` falls back to without OpenSSL (CPython's
//! `Modules/md5module.c`, `sha1module.c`, `sha2module.c`, `sha3module.c`, `blake2module.c`):
//! `_md5`, `_sha1`, `_sha2`, `_sha3` and `_blake2`. One hash-object layout serves them all: a
//! native object whose state is a [`Hasher`] (the RustCrypto digests, and BLAKE2 from
//! `blake2.rs` for its parameter block); each CPython type is its own static type sharing the
//! methods `update`, `digest`, `hexdigest`, `copy` and the getters `name`, `digest_size`,
//! `block_size`.

use pyrite_abi::*;
use sha2::Digest;
use sha3::digest::{ExtendableOutput, Update as _, XofReader};

use super::blake2::{Blake2b, Blake2s};
use super::native::{self, new_instance, with};
use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::type_::{self, StaticTable, TypeObj};
use crate::objects::{bytes, long, module, none, unicode};
use crate::{getter_def, method_table};

#[derive(Clone)]
enum Hasher {
    Md5(md5::Md5),
    Sha1(sha1::Sha1),
    Sha224(sha2::Sha224),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
    Sha3_224(sha3::Sha3_224),
    Sha3_256(sha3::Sha3_256),
    Sha3_384(sha3::Sha3_384),
    Sha3_512(sha3::Sha3_512),
    Shake128(sha3::Shake128),
    Shake256(sha3::Shake256),
    Blake2b(Blake2b),
    Blake2s(Blake2s),
}

/// A hash object's state: the running hasher and what the getters report.
struct HashState {
    hasher: Hasher,
    name: &'static str,
    digest_size: usize,
    block_size: usize,
}

impl HashState {
    fn update(&mut self, data: &[u8]) {
        match &mut self.hasher {
            Hasher::Md5(h) => Digest::update(h, data),
            Hasher::Sha1(h) => Digest::update(h, data),
            Hasher::Sha224(h) => Digest::update(h, data),
            Hasher::Sha256(h) => Digest::update(h, data),
            Hasher::Sha384(h) => Digest::update(h, data),
            Hasher::Sha512(h) => Digest::update(h, data),
            Hasher::Sha3_224(h) => Digest::update(h, data),
            Hasher::Sha3_256(h) => Digest::update(h, data),
            Hasher::Sha3_384(h) => Digest::update(h, data),
            Hasher::Sha3_512(h) => Digest::update(h, data),
            Hasher::Shake128(h) => h.update(data),
            Hasher::Shake256(h) => h.update(data),
            Hasher::Blake2b(h) => h.update(data),
            Hasher::Blake2s(h) => h.update(data),
        }
    }

    /// The digest so far (`length` bytes for the SHAKE functions); the state goes on.
    fn digest(&self, length: usize) -> Vec<u8> {
        fn xof(r: impl ExtendableOutput, n: usize) -> Vec<u8> {
            let mut out = vec![0u8; n];
            r.finalize_xof().read(&mut out);
            out
        }
        match self.hasher.clone() {
            Hasher::Md5(h) => h.finalize().to_vec(),
            Hasher::Sha1(h) => h.finalize().to_vec(),
            Hasher::Sha224(h) => h.finalize().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha384(h) => h.finalize().to_vec(),
            Hasher::Sha512(h) => h.finalize().to_vec(),
            Hasher::Sha3_224(h) => h.finalize().to_vec(),
            Hasher::Sha3_256(h) => h.finalize().to_vec(),
            Hasher::Sha3_384(h) => h.finalize().to_vec(),
            Hasher::Sha3_512(h) => h.finalize().to_vec(),
            Hasher::Shake128(h) => xof(h, length),
            Hasher::Shake256(h) => xof(h, length),
            Hasher::Blake2b(h) => h.finalize(),
            Hasher::Blake2s(h) => h.finalize(),
        }
    }

    fn is_shake(&self) -> bool {
        matches!(self.hasher, Hasher::Shake128(_) | Hasher::Shake256(_))
    }
}

// ---- the types ------------------------------------------------------------------------------

macro_rules! hash_type {
    ($name:ident, $tpname:literal) => {
        native_type!(final $name, $tpname, HashState, {
            tp_getattro: Some(type_::generic_getattr),
            tp_methods: HASH_METHODS.0.get() as *mut PyMethodDef,
            tp_getset: HASH_GETSET.0.get() as *mut PyGetSetDef,
        });
    };
    ($name:ident, $tpname:literal, $new:path) => {
        native_type!(final $name, $tpname, HashState, {
            tp_getattro: Some(type_::generic_getattr),
            tp_methods: HASH_METHODS.0.get() as *mut PyMethodDef,
            tp_getset: HASH_GETSET.0.get() as *mut PyGetSetDef,
            tp_new: slot_new!($new),
        });
    };
}

hash_type!(MD5, c"_md5.md5");
hash_type!(SHA1, c"_sha1.sha1");
hash_type!(SHA224, c"_sha2.SHA224Type");
hash_type!(SHA256, c"_sha2.SHA256Type");
hash_type!(SHA384, c"_sha2.SHA384Type");
hash_type!(SHA512, c"_sha2.SHA512Type");
hash_type!(SHA3_224, c"_sha3.sha3_224", sha3_224_new);
hash_type!(SHA3_256, c"_sha3.sha3_256", sha3_256_new);
hash_type!(SHA3_384, c"_sha3.sha3_384", sha3_384_new);
hash_type!(SHA3_512, c"_sha3.sha3_512", sha3_512_new);
native_type!(final SHAKE128, c"_sha3.shake_128", HashState, {
    tp_getattro: Some(type_::generic_getattr),
    tp_methods: SHAKE_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: HASH_GETSET.0.get() as *mut PyGetSetDef,
    tp_new: slot_new!(shake128_new),
});
native_type!(final SHAKE256, c"_sha3.shake_256", HashState, {
    tp_getattro: Some(type_::generic_getattr),
    tp_methods: SHAKE_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: HASH_GETSET.0.get() as *mut PyGetSetDef,
    tp_new: slot_new!(shake256_new),
});
hash_type!(BLAKE2B, c"_blake2.blake2b", blake2b_new);
hash_type!(BLAKE2S, c"_blake2.blake2s", blake2s_new);

method_table!(static HASH_METHODS = [
    o c"update" => hash_update,
    noargs c"digest" => hash_digest,
    noargs c"hexdigest" => hash_hexdigest,
    noargs c"copy" => hash_copy,
]);

method_table!(static SHAKE_METHODS = [
    o c"update" => hash_update,
    kw c"digest" => shake_digest,
    kw c"hexdigest" => shake_hexdigest,
    noargs c"copy" => hash_copy,
]);

static HASH_GETSET: StaticTable<PyGetSetDef, 4> = StaticTable(core::cell::UnsafeCell::new([
    getter_def!(c"name", hash_name),
    getter_def!(c"digest_size", hash_digest_size),
    getter_def!(c"block_size", hash_block_size),
    type_::GETSET_END,
]));

// ---- the modules ----------------------------------------------------------------------------

method_table!(static MD5_FUNCTIONS = [kw c"md5" => md5_new]);
method_table!(static SHA1_FUNCTIONS = [kw c"sha1" => sha1_new]);
method_table!(static SHA2_FUNCTIONS = [
    kw c"sha224" => sha224_new,
    kw c"sha256" => sha256_new,
    kw c"sha384" => sha384_new,
    kw c"sha512" => sha512_new,
]);

pub fn create_md5() -> PyResult<PyRef> {
    let m = native::new_module("_md5", MD5_FUNCTIONS.0.get() as *mut PyMethodDef)?;
    ready(&MD5)?;
    crate::objects::dict::set_item_str(module::dict_of(&m), "MD5Type", &MD5)?;
    Ok(m)
}

pub fn create_sha1() -> PyResult<PyRef> {
    let m = native::new_module("_sha1", SHA1_FUNCTIONS.0.get() as *mut PyMethodDef)?;
    ready(&SHA1)?;
    crate::objects::dict::set_item_str(module::dict_of(&m), "SHA1Type", &SHA1)?;
    Ok(m)
}

pub fn create_sha2() -> PyResult<PyRef> {
    let m = native::new_module("_sha2", SHA2_FUNCTIONS.0.get() as *mut PyMethodDef)?;
    native::add_types(&m, &[&SHA224, &SHA256, &SHA384, &SHA512])?;
    Ok(m)
}

pub fn create_sha3() -> PyResult<PyRef> {
    let m = native::new_module("_sha3", core::ptr::null_mut())?;
    native::add_types(&m, &[&SHA3_224, &SHA3_256, &SHA3_384, &SHA3_512, &SHAKE128, &SHAKE256])?;
    Ok(m)
}

pub fn create_blake2() -> PyResult<PyRef> {
    let m = native::new_module("_blake2", core::ptr::null_mut())?;
    native::add_types(&m, &[&BLAKE2B, &BLAKE2S])?;
    super::add_ints(
        &m,
        &[
            ("BLAKE2B_SALT_SIZE", 16),
            ("BLAKE2B_PERSON_SIZE", 16),
            ("BLAKE2B_MAX_KEY_SIZE", 64),
            ("BLAKE2B_MAX_DIGEST_SIZE", 64),
            ("BLAKE2S_SALT_SIZE", 8),
            ("BLAKE2S_PERSON_SIZE", 8),
            ("BLAKE2S_MAX_KEY_SIZE", 32),
            ("BLAKE2S_MAX_DIGEST_SIZE", 32),
        ],
    )?;
    for (t, small) in [(&BLAKE2B, false), (&BLAKE2S, true)] {
        let k = if small { 1 } else { 2 };
        let d = t.dict().expect("a readied type");
        crate::objects::dict::set_item_str(d, "SALT_SIZE", &long::from_i64(8 * k))?;
        crate::objects::dict::set_item_str(d, "PERSON_SIZE", &long::from_i64(8 * k))?;
        crate::objects::dict::set_item_str(d, "MAX_KEY_SIZE", &long::from_i64(32 * k))?;
        crate::objects::dict::set_item_str(d, "MAX_DIGEST_SIZE", &long::from_i64(32 * k))?;
    }
    Ok(m)
}

/// Readies a type whose module exposes it under another name than its own.
fn ready(t: &TypeObj) -> PyResult<()> {
    type_::ready(t)?;
    crate::objects::slotdefs::add_wrappers(t)
}

// ---- constructors ---------------------------------------------------------------------------

/// The bytes a hash takes: any buffer, but never a str.
fn hash_data(o: &Obj) -> PyResult<Vec<u8>> {
    if unicode::check(o) {
        return Err(raise!(TypeError, "Strings must be encoded before hashing"));
    }
    bytes::buffer_bytes(o)?.ok_or_else(|| raise!(TypeError, "object supporting the buffer API required"))
}

/// The initial data of a constructor: `data` or the deprecated keyword `string`.
fn initial_data(data: Option<&Obj>, string: Option<&Obj>) -> PyResult<Option<Vec<u8>>> {
    match (data, string) {
        (Some(_), Some(_)) => Err(raise!(
            TypeError,
            "'data' and 'string' are mutually exclusive and support for 'string' keyword parameter is slated for removal in a future version."
        )),
        (Some(d), None) | (None, Some(d)) => hash_data(d).map(Some),
        (None, None) => Ok(None),
    }
}

fn new_hash(t: &TypeObj, hasher: Hasher, name: &'static str, digest_size: usize, block_size: usize, data: Option<Vec<u8>>) -> PyResult<PyRef> {
    let mut s = HashState { hasher, name, digest_size, block_size };
    if let Some(d) = data {
        s.update(&d);
    }
    new_instance(t, s)
}

/// `f(data=b'', *, usedforsecurity=True, string=None)`, the signature of every constructor
/// but BLAKE2's.
fn simple_args(name: &'static str, args: &[&Obj], kw: Kw) -> PyResult<Option<Vec<u8>>> {
    let sig = Sig { name, params: &["data", "usedforsecurity", "string"], posonly: 0, maxpos: 1, required: 0 };
    let [data, _usedforsecurity, string] = argparse::parse::<3>(&sig, args, kw)?;
    initial_data(data, string)
}

fn simple_args_new(name: &'static str, args: &[&Obj], kw: Option<&Obj>) -> PyResult<Option<Vec<u8>>> {
    let sig = Sig { name, params: &["data", "usedforsecurity", "string"], posonly: 0, maxpos: 1, required: 0 };
    let [data, _usedforsecurity, string] = native::parse_new::<3>(&sig, args, kw)?;
    initial_data(data.as_deref(), string.as_deref())
}

macro_rules! module_constructor {
    ($f:ident, $name:literal, $t:expr, $variant:ident, $ty:ty, $digest:expr, $block:expr) => {
        fn $f(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
            let data = simple_args($name, args, kw)?;
            new_hash(&$t, Hasher::$variant(<$ty>::new()), $name, $digest, $block, data)
        }
    };
}

module_constructor!(md5_new, "md5", MD5, Md5, md5::Md5, 16, 64);
module_constructor!(sha1_new, "sha1", SHA1, Sha1, sha1::Sha1, 20, 64);
module_constructor!(sha224_new, "sha224", SHA224, Sha224, sha2::Sha224, 28, 64);
module_constructor!(sha256_new, "sha256", SHA256, Sha256, sha2::Sha256, 32, 64);
module_constructor!(sha384_new, "sha384", SHA384, Sha384, sha2::Sha384, 48, 128);
module_constructor!(sha512_new, "sha512", SHA512, Sha512, sha2::Sha512, 64, 128);

macro_rules! type_constructor {
    ($f:ident, $name:literal, $variant:ident, $ty:ty, $digest:expr, $block:expr) => {
        fn $f(t: &TypeObj, args: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
            let data = simple_args_new($name, args, kw)?;
            new_hash(t, Hasher::$variant(<$ty>::default()), $name, $digest, $block, data)
        }
    };
}

type_constructor!(sha3_224_new, "sha3_224", Sha3_224, sha3::Sha3_224, 28, 144);
type_constructor!(sha3_256_new, "sha3_256", Sha3_256, sha3::Sha3_256, 32, 136);
type_constructor!(sha3_384_new, "sha3_384", Sha3_384, sha3::Sha3_384, 48, 104);
type_constructor!(sha3_512_new, "sha3_512", Sha3_512, sha3::Sha3_512, 64, 72);
type_constructor!(shake128_new, "shake_128", Shake128, sha3::Shake128, 0, 168);
type_constructor!(shake256_new, "shake_256", Shake256, sha3::Shake256, 0, 136);

fn blake2b_new(t: &TypeObj, args: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    blake2_new(t, false, args, kw)
}

fn blake2s_new(t: &TypeObj, args: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    blake2_new(t, true, args, kw)
}

/// `blake2b(data=b'', *, digest_size=64, key=b'', salt=b'', person=b'', fanout=1, depth=1,
/// leaf_size=0, node_offset=0, node_depth=0, inner_size=0, last_node=False,
/// usedforsecurity=True, string=None)`, and the same for `blake2s` with half the sizes.
fn blake2_new(t: &TypeObj, small: bool, args: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let name = if small { "blake2s" } else { "blake2b" };
    let sig = Sig {
        name,
        params: &[
            "data", "digest_size", "key", "salt", "person", "fanout", "depth", "leaf_size", "node_offset", "node_depth",
            "inner_size", "last_node", "usedforsecurity", "string",
        ],
        posonly: 0,
        maxpos: 1,
        required: 0,
    };
    let [data, digest_size, key, salt, person, fanout, depth, leaf_size, node_offset, node_depth, inner_size, last_node, _ufs, string] =
        native::parse_new::<14>(&sig, args, kw)?;
    let data = initial_data(data.as_deref(), string.as_deref())?;
    let (max_out, max_salt) = if small { (32usize, 8usize) } else { (64, 16) };
    let int = |o: &Option<PyRef>, default: isize| -> PyResult<isize> {
        match o {
            Some(v) => argparse::ssize(v),
            None => Ok(default),
        }
    };
    let buf = |o: &Option<PyRef>| -> PyResult<Vec<u8>> {
        match o {
            Some(v) => bytes::bytes_like(v),
            None => Ok(Vec::new()),
        }
    };
    let digest_size = int(&digest_size, max_out as isize)?;
    if digest_size <= 0 || digest_size as usize > max_out {
        return Err(raise!(
            ValueError,
            "digest_size for {} must be between 1 and {} bytes, here it is {}",
            if small { "Blake2s" } else { "Blake2b" },
            max_out,
            digest_size
        ));
    }
    let key = buf(&key)?;
    if key.len() > max_out {
        return Err(raise!(ValueError, "maximum key length is {} bytes", max_out));
    }
    let salt = buf(&salt)?;
    if salt.len() > max_salt {
        return Err(raise!(ValueError, "maximum salt length is {} bytes", max_salt));
    }
    let person = buf(&person)?;
    if person.len() > max_salt {
        return Err(raise!(ValueError, "maximum person length is {} bytes", max_salt));
    }
    let fanout = int(&fanout, 1)?;
    if !(0..=255).contains(&fanout) {
        return Err(raise!(ValueError, "fanout must be between 0 and 255"));
    }
    let depth = int(&depth, 1)?;
    if !(1..=255).contains(&depth) {
        return Err(raise!(ValueError, "depth must be between 1 and 255"));
    }
    let leaf_size = match &leaf_size {
        Some(v) => {
            let n = crate::abstract_::index(v)?;
            if long::is_negative(&n) {
                return Err(raise!(ValueError, "value must be positive"));
            }
            long::to_u64(&n)
                .filter(|&x| x <= u32::MAX as u64)
                .ok_or_else(|| raise!(OverflowError, "leaf_size is too large"))? as u32
        }
        None => 0,
    };
    let node_offset = match &node_offset {
        Some(v) => {
            let n = crate::abstract_::index(v)?;
            if long::is_negative(&n) {
                return Err(raise!(ValueError, "value must be positive"));
            }
            let x = long::to_u64(&n).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C unsigned long"))?;
            if small && x >= 1 << 48 {
                return Err(raise!(OverflowError, "node_offset is too large"));
            }
            x
        }
        None => 0,
    };
    let node_depth = int(&node_depth, 0)?;
    if !(0..=255).contains(&node_depth) {
        return Err(raise!(ValueError, "node_depth must be between 0 and 255"));
    }
    let inner_size = int(&inner_size, 0)?;
    if inner_size < 0 || inner_size as usize > max_out {
        return Err(raise!(ValueError, "inner_size must be between 0 and is {}", max_out));
    }
    let last_node = match &last_node {
        Some(v) => crate::abstract_::is_true(v)?,
        None => false,
    };
    // The parameter block (RFC 7693 section 2.5).
    let mut p = vec![0u8; if small { 32 } else { 64 }];
    p[0] = digest_size as u8;
    p[1] = key.len() as u8;
    p[2] = fanout as u8;
    p[3] = depth as u8;
    p[4..8].copy_from_slice(&leaf_size.to_le_bytes());
    let hasher = if small {
        p[8..14].copy_from_slice(&node_offset.to_le_bytes()[..6]);
        p[14] = node_depth as u8;
        p[15] = inner_size as u8;
        p[16..16 + salt.len()].copy_from_slice(&salt);
        p[24..24 + person.len()].copy_from_slice(&person);
        Hasher::Blake2s(Blake2s::with_params(&p, &key, digest_size as usize, last_node))
    } else {
        p[8..16].copy_from_slice(&node_offset.to_le_bytes());
        p[16] = node_depth as u8;
        p[17] = inner_size as u8;
        p[32..32 + salt.len()].copy_from_slice(&salt);
        p[48..48 + person.len()].copy_from_slice(&person);
        Hasher::Blake2b(Blake2b::with_params(&p, &key, digest_size as usize, last_node))
    };
    let block = if small { Blake2s::BLOCK } else { Blake2b::BLOCK };
    new_hash(t, hasher, name, digest_size as usize, block, data)
}

// ---- methods --------------------------------------------------------------------------------

fn hash_update(o: &Obj, data: &Obj) -> PyResult<PyRef> {
    let d = hash_data(data)?;
    with(o, |s: &mut HashState| s.update(&d))?;
    Ok(none::none())
}

fn hex(d: &[u8]) -> PyRef {
    let s: String = d.iter().map(|b| format!("{:02x}", b)).collect();
    unicode::new(&s)
}

fn hash_digest(o: &Obj) -> PyResult<PyRef> {
    Ok(bytes::new(&with(o, |s: &mut HashState| s.digest(0))?))
}

fn hash_hexdigest(o: &Obj) -> PyResult<PyRef> {
    Ok(hex(&with(o, |s: &mut HashState| s.digest(0))?))
}

fn shake_length(name: &'static str, args: &[&Obj], kw: Kw) -> PyResult<usize> {
    let sig = Sig { name, params: &["length"], posonly: 0, maxpos: 1, required: 1 };
    let [length] = argparse::parse::<1>(&sig, args, kw)?;
    let n = argparse::ssize(length.expect("required"))?;
    if n < 0 {
        return Err(raise!(ValueError, "negative digest length"));
    }
    Ok(n as usize)
}

fn shake_digest(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let n = shake_length("digest", args, kw)?;
    Ok(bytes::new(&with(o, |s: &mut HashState| s.digest(n))?))
}

fn shake_hexdigest(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let n = shake_length("hexdigest", args, kw)?;
    Ok(hex(&with(o, |s: &mut HashState| s.digest(n))?))
}

fn hash_copy(o: &Obj) -> PyResult<PyRef> {
    let s = with(o, |s: &mut HashState| HashState {
        hasher: s.hasher.clone(),
        name: s.name,
        digest_size: s.digest_size,
        block_size: s.block_size,
    })?;
    new_instance(o.ob_type(), s)
}

fn hash_name(o: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new(with(o, |s: &mut HashState| s.name)?))
}

fn hash_digest_size(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_usize(with(o, |s: &mut HashState| if s.is_shake() { 0 } else { s.digest_size })?))
}

fn hash_block_size(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_usize(with(o, |s: &mut HashState| s.block_size)?))
}
