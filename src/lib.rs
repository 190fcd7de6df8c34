//! `pyrite`: the runtime as one library. As a `cdylib` (`libpyrite.so`) it exports exactly the
//! Stable ABI; as an `rlib` it is what the `pyrite` executable and the test harnesses link.

pub use pyrite_abi as abi;
pub use pyrite_capi as capi;
pub use pyrite_vm as vm;

/// Readies the runtime (idempotent).
pub fn initialize() {
    pyrite_capi::initialize();
}
