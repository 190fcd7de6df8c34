//! BLAKE2b and BLAKE2s (RFC 7693) with the whole parameter block CPython's `_blake2` exposes:
//! digest size, key, salt, personalization and the tree-hashing fields. Plain Rust state that
//! `hashes.rs` wraps in Python hash objects.

/// One BLAKE2 flavour: `$w` the word type, `$bb` the block size in bytes, `$rounds`, the
/// rotation constants and the initialisation vector.
macro_rules! blake2_impl {
    ($name:ident, $w:ty, $bb:expr, $rounds:expr, [$r1:expr, $r2:expr, $r3:expr, $r4:expr], $iv:expr) => {
        #[derive(Clone)]
        pub struct $name {
            h: [$w; 8],
            /// Bytes compressed so far (the counter `t`).
            t: u128,
            buf: [u8; $bb],
            buf_len: usize,
            out_len: usize,
            last_node: bool,
        }

        impl $name {
            pub const BLOCK: usize = $bb;
            const IV: [$w; 8] = $iv;

            /// A hasher for the parameter block `params` (already laid out, `$bb / 2` bytes)
            /// and key.
            pub fn with_params(params: &[u8], key: &[u8], out_len: usize, last_node: bool) -> Self {
                const WB: usize = core::mem::size_of::<$w>();
                let mut h = Self::IV;
                for (i, w) in h.iter_mut().enumerate() {
                    let mut b = [0u8; WB];
                    b.copy_from_slice(&params[i * WB..(i + 1) * WB]);
                    *w ^= <$w>::from_le_bytes(b);
                }
                let mut s = $name { h, t: 0, buf: [0; $bb], buf_len: 0, out_len, last_node };
                if !key.is_empty() {
                    let mut block = [0u8; $bb];
                    block[..key.len()].copy_from_slice(key);
                    s.update(&block);
                }
                s
            }

            fn compress(&mut self, block: &[u8; $bb], last: bool) {
                const WB: usize = core::mem::size_of::<$w>();
                const SIGMA: [[usize; 16]; 10] = [
                    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
                    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
                    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
                    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
                    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
                    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
                    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
                    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
                    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
                    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
                ];
                let mut m = [0 as $w; 16];
                for (i, w) in m.iter_mut().enumerate() {
                    let mut b = [0u8; WB];
                    b.copy_from_slice(&block[i * WB..(i + 1) * WB]);
                    *w = <$w>::from_le_bytes(b);
                }
                let mut v = [0 as $w; 16];
                v[..8].copy_from_slice(&self.h);
                v[8..].copy_from_slice(&Self::IV);
                v[12] ^= self.t as $w;
                v[13] ^= (self.t >> (8 * WB)) as $w;
                if last {
                    v[14] = !v[14];
                    if self.last_node {
                        v[15] = !v[15];
                    }
                }
                fn g(v: &mut [$w; 16], a: usize, b: usize, c: usize, d: usize, x: $w, y: $w) {
                    v[a] = v[a].wrapping_add(v[b]).wrapping_add(x);
                    v[d] = (v[d] ^ v[a]).rotate_right($r1);
                    v[c] = v[c].wrapping_add(v[d]);
                    v[b] = (v[b] ^ v[c]).rotate_right($r2);
                    v[a] = v[a].wrapping_add(v[b]).wrapping_add(y);
                    v[d] = (v[d] ^ v[a]).rotate_right($r3);
                    v[c] = v[c].wrapping_add(v[d]);
                    v[b] = (v[b] ^ v[c]).rotate_right($r4);
                }
                for r in 0..$rounds {
                    let s = &SIGMA[r % 10];
                    g(&mut v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
                    g(&mut v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
                    g(&mut v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
                    g(&mut v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
                    g(&mut v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
                    g(&mut v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
                    g(&mut v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
                    g(&mut v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
                }
                for i in 0..8 {
                    self.h[i] ^= v[i] ^ v[i + 8];
                }
            }

            pub fn update(&mut self, mut data: &[u8]) {
                // The last block is kept back: only finalization knows it is the last.
                while !data.is_empty() {
                    if self.buf_len == $bb {
                        self.t += $bb as u128;
                        let block = self.buf;
                        self.compress(&block, false);
                        self.buf_len = 0;
                    }
                    let n = ($bb - self.buf_len).min(data.len());
                    self.buf[self.buf_len..self.buf_len + n].copy_from_slice(&data[..n]);
                    self.buf_len += n;
                    data = &data[n..];
                }
            }

            pub fn finalize(&self) -> Vec<u8> {
                let mut s = self.clone();
                s.t += s.buf_len as u128;
                let mut block = [0u8; $bb];
                block[..s.buf_len].copy_from_slice(&s.buf[..s.buf_len]);
                s.compress(&block, true);
                let mut out: Vec<u8> = s.h.iter().flat_map(|w| w.to_le_bytes()).collect();
                out.truncate(s.out_len);
                out
            }
        }
    };
}

blake2_impl!(Blake2b, u64, 128, 12, [32, 24, 16, 63], [
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
    0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
]);

blake2_impl!(Blake2s, u32, 64, 10, [16, 12, 8, 7], [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
