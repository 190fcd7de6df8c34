//! `pythread.h`: OS threads, locks and thread-specific storage for C extensions.
//!
//! Locks (`PyThread_type_lock`) are plain mutex-and-condition-variable locks that any thread
//! may release, as CPython's are; acquiring one does not release the GIL. Thread-specific
//! storage (`Py_tss_t` and the legacy integer keys) maps keys to per-thread values.
//! `Py_tss_t` keeps CPython's layout (`int _is_initialized; pthread_key_t _key;`) because
//! code outside the limited API initializes it statically with `Py_tss_NEEDS_INIT`.

use core::cell::RefCell;
use core::ffi::{c_int, c_ulong, c_void};
use core::ptr::null_mut;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::capi;

struct Lock {
    locked: Mutex<bool>,
    released: Condvar,
}

impl Lock {
    /// Waits up to `timeout` (None: forever) for the lock.
    fn acquire(&self, timeout: Option<Duration>) -> bool {
        let mut locked = self.locked.lock().unwrap_or_else(|p| p.into_inner());
        let deadline = timeout.map(|t| Instant::now() + t);
        while *locked {
            match deadline {
                None => locked = self.released.wait(locked).unwrap_or_else(|p| p.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return false;
                    }
                    locked = self.released.wait_timeout(locked, d - now).unwrap_or_else(|p| p.into_inner()).0;
                }
            }
        }
        *locked = true;
        true
    }

    fn release(&self) {
        *self.locked.lock().unwrap_or_else(|p| p.into_inner()) = false;
        self.released.notify_one();
    }
}

/// `PY_LOCK_FAILURE`, `PY_LOCK_ACQUIRED` (`PyLockStatus`).
const PY_LOCK_FAILURE: c_int = 0;
const PY_LOCK_ACQUIRED: c_int = 1;

/// `Py_tss_t`'s layout in CPython's headers.
#[repr(C)]
pub struct PyTss {
    is_initialized: c_int,
    key: u32,
}

static NEXT_KEY: AtomicU32 = AtomicU32::new(1);
use pyrite_vm::stdlib::thread::STACK_SIZE;

thread_local! {
    /// This thread's values for thread-specific storage keys.
    static VALUES: RefCell<HashMap<u32, *mut c_void>> = RefCell::new(HashMap::new());
}

fn tss_set(key: u32, value: *mut c_void) {
    VALUES.with(|v| {
        let mut v = v.borrow_mut();
        if value.is_null() {
            v.remove(&key);
        } else {
            v.insert(key, value);
        }
    });
}

fn tss_get(key: u32) -> *mut c_void {
    VALUES.with(|v| v.borrow().get(&key).copied().unwrap_or(null_mut()))
}

unsafe extern "C" {
    fn pthread_self() -> c_ulong;
    fn gettid() -> c_int;
}

/// A function pointer and argument to run on a new thread.
struct Start {
    func: unsafe extern "C" fn(*mut c_void),
    arg: *mut c_void,
}
// SAFETY: the C caller hands the argument to the new thread; what it points to is its business.
unsafe impl Send for Start {}

capi! {
    fn PyThread_GetInfo() -> *mut pyrite_abi::PyObject [null_mut()] {
        pyrite_vm::objects::structseq::thread_info().map(pyrite_vm::PyRef::into_raw)
    }
    fn PyThread_init_thread() -> () [()] { Ok(()) }
    fn PyThread_allocate_lock() -> *mut c_void [null_mut()] {
        Ok(Box::into_raw(Box::new(Lock { locked: Mutex::new(false), released: Condvar::new() })) as *mut c_void)
    }
    fn PyThread_free_lock(lock: *mut c_void) -> () [()] {
        if !lock.is_null() {
            drop(Box::from_raw(lock as *mut Lock));
        }
        Ok(())
    }
    fn PyThread_acquire_lock(lock: *mut c_void, waitflag: c_int) -> c_int [0] {
        let lock = &*(lock as *const Lock);
        Ok(lock.acquire(if waitflag != 0 { None } else { Some(Duration::ZERO) }) as c_int)
    }
    fn PyThread_acquire_lock_timed(lock: *mut c_void, microseconds: i64, _intr_flag: c_int) -> c_int [PY_LOCK_FAILURE] {
        let lock = &*(lock as *const Lock);
        let timeout = if microseconds < 0 { None } else { Some(Duration::from_micros(microseconds as u64)) };
        Ok(if lock.acquire(timeout) { PY_LOCK_ACQUIRED } else { PY_LOCK_FAILURE })
    }
    fn PyThread_release_lock(lock: *mut c_void) -> () [()] {
        (*(lock as *const Lock)).release();
        Ok(())
    }
    fn PyThread_get_thread_ident() -> c_ulong [0] { Ok(pthread_self()) }
    fn PyThread_get_thread_native_id() -> c_ulong [0] { Ok(gettid() as c_ulong) }
    fn PyThread_start_new_thread(func: Option<unsafe extern "C" fn(*mut c_void)>, arg: *mut c_void) -> c_ulong [c_ulong::MAX] {
        let Some(func) = func else { return Err(crate::boundary::bad_internal_call()) };
        let start = Start { func, arg };
        let mut builder = std::thread::Builder::new();
        let size = STACK_SIZE.load(Ordering::Relaxed);
        if size != 0 {
            builder = builder.stack_size(size);
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let spawned = builder.spawn(move || {
            // SAFETY: pthread_self has no preconditions.
            let _ = tx.send(unsafe { pthread_self() });
            let start = start;
            // SAFETY: the caller's function and argument, as PyThread_start_new_thread promises.
            unsafe { (start.func)(start.arg) }
        });
        match spawned {
            Ok(_) => Ok(rx.recv().unwrap_or(c_ulong::MAX)),
            Err(_) => Ok(c_ulong::MAX),
        }
    }
    fn PyThread_get_stacksize() -> usize [0] { Ok(STACK_SIZE.load(Ordering::Relaxed)) }
    fn PyThread_set_stacksize(size: usize) -> c_int [-1] {
        // 0 means the platform default; CPython's pthread build wants at least 32 KiB.
        if size != 0 && size < 0x8000 {
            return Ok(-1);
        }
        STACK_SIZE.store(size, Ordering::Relaxed);
        Ok(0)
    }
    fn PyThread_create_key() -> c_int [-1] { Ok(NEXT_KEY.fetch_add(1, Ordering::Relaxed) as c_int) }
    fn PyThread_delete_key(key: c_int) -> () [()] {
        tss_set(key as u32, null_mut());
        Ok(())
    }
    fn PyThread_set_key_value(key: c_int, value: *mut c_void) -> c_int [-1] {
        tss_set(key as u32, value);
        Ok(0)
    }
    fn PyThread_get_key_value(key: c_int) -> *mut c_void [null_mut()] { Ok(tss_get(key as u32)) }
    fn PyThread_delete_key_value(key: c_int) -> () [()] {
        tss_set(key as u32, null_mut());
        Ok(())
    }
    fn PyThread_ReInitTLS() -> () [()] { Ok(()) }
    fn PyThread_tss_alloc() -> *mut PyTss [null_mut()] {
        Ok(Box::into_raw(Box::new(PyTss { is_initialized: 0, key: 0 })))
    }
    fn PyThread_tss_free(key: *mut PyTss) -> () [()] {
        if !key.is_null() {
            if (*key).is_initialized != 0 {
                tss_set((*key).key, null_mut());
            }
            drop(Box::from_raw(key));
        }
        Ok(())
    }
    fn PyThread_tss_is_created(key: *mut PyTss) -> c_int [0] { Ok(((*key).is_initialized != 0) as c_int) }
    fn PyThread_tss_create(key: *mut PyTss) -> c_int [-1] {
        if (*key).is_initialized == 0 {
            (*key).key = NEXT_KEY.fetch_add(1, Ordering::Relaxed);
            (*key).is_initialized = 1;
        }
        Ok(0)
    }
    fn PyThread_tss_delete(key: *mut PyTss) -> () [()] {
        if (*key).is_initialized != 0 {
            tss_set((*key).key, null_mut());
            (*key).is_initialized = 0;
        }
        Ok(())
    }
    fn PyThread_tss_set(key: *mut PyTss, value: *mut c_void) -> c_int [-1] {
        if (*key).is_initialized == 0 {
            return Ok(-1);
        }
        tss_set((*key).key, value);
        Ok(0)
    }
    fn PyThread_tss_get(key: *mut PyTss) -> *mut c_void [null_mut()] {
        if (*key).is_initialized == 0 {
            return Ok(null_mut());
        }
        Ok(tss_get((*key).key))
    }
}


/// `PyThread_exit_thread`: ends the calling thread with `pthread_exit`, as CPython does. It is
/// declared outside `capi!` (no panic barrier) and `C-unwind`, because glibc ends the thread
/// by a forced unwind that must pass through this frame.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn PyThread_exit_thread() -> ! {
    unsafe extern "C-unwind" {
        fn pthread_exit(value: *mut c_void) -> !;
    }
    // SAFETY: ends this thread; no Rust frame of this function owns anything.
    unsafe { pthread_exit(null_mut()) }
}
