/*
 * threads: the GIL and thread states from C — PyEval_SaveThread/RestoreThread around
 * blocking work, PyGILState_Ensure/Release from threads Python never saw (started with
 * PyThread_start_new_thread), thread and interpreter state queries, PyThread locks and
 * thread-specific storage, and (3.15, PEP 788) interpreter guards with PyThreadState_Ensure.
 * check_threads.py also runs Python code while a C thread waits for the GIL, which the
 * interpreter must hand over.
 */
#include "ext_test.h"
#include <pythread.h>

#define API_AT_LEAST(v) (!defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= (v))

/* ---- a C thread that appends to a list under PyGILState_Ensure ---- */

typedef struct {
    PyObject *list;       /* borrowed: the caller keeps it alive until `done` is released */
    long value;
    int repeat;
    PyThread_type_lock done;
} job_t;

static void append_job(void *arg) {
    job_t *job = (job_t *)arg;
    int i;
    for (i = 0; i < job->repeat; i++) {
        PyGILState_STATE st = PyGILState_Ensure();
        PyObject *v = PyLong_FromLong(job->value + i);
        if (!v || PyList_Append(job->list, v) < 0) PyErr_Clear();
        Py_XDECREF(v);
        PyGILState_Release(st);
    }
    PyThread_release_lock(job->done);
}

static PyObject *test_gilstate_from_c_thread(PyObject *m, PyObject *unused) {
    job_t job;
    PyObject *list = PyList_New(0);
    PyThreadState *ts;
    if (!list) return NULL;
    job.list = list;
    job.value = 100;
    job.repeat = 5;
    job.done = PyThread_allocate_lock();
    CHECK(job.done != NULL);
    CHECK(PyThread_acquire_lock(job.done, 1) == 1);
    CHECK(PyThread_start_new_thread(append_job, &job) != (unsigned long)-1);
    ts = PyEval_SaveThread();
    PyThread_acquire_lock(job.done, 1);  /* the thread runs Python while we wait */
    PyEval_RestoreThread(ts);
    PyThread_free_lock(job.done);
    CHECK(PyList_Size(list) == 5);
    CHECK(PyLong_AsLong(PyList_GetItem(list, 4)) == 104);
    Py_DECREF(list);
    Py_RETURN_NONE;
}

/* For check_threads.py: start a C thread appending `repeat` ints to `list` and return at
 * once, holding the GIL; the caller spins in Python until the list is full. */
static job_t spin_job;

static PyObject *start_appender(PyObject *m, PyObject *args) {
    PyObject *list;
    int repeat;
    if (!PyArg_ParseTuple(args, "Oi", &list, &repeat)) return NULL;
    if (!spin_job.done) spin_job.done = PyThread_allocate_lock();
    PyThread_acquire_lock(spin_job.done, 1);
    spin_job.list = list;
    spin_job.value = 0;
    spin_job.repeat = repeat;
    if (PyThread_start_new_thread(append_job, &spin_job) == (unsigned long)-1) {
        PyThread_release_lock(spin_job.done);
        PyErr_SetString(PyExc_RuntimeError, "can't start thread");
        return NULL;
    }
    Py_RETURN_NONE;
}

/* Waits (without the GIL) for the thread start_appender started. */
static PyObject *join_appender(PyObject *m, PyObject *unused) {
    Py_BEGIN_ALLOW_THREADS
    PyThread_acquire_lock(spin_job.done, 1);
    PyThread_release_lock(spin_job.done);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyObject *test_gilstate_nested_on_attached_thread(PyObject *m, PyObject *unused) {
    PyGILState_STATE a = PyGILState_Ensure(), b = PyGILState_Ensure();
    CHECK(a == PyGILState_LOCKED && b == PyGILState_LOCKED);
    CHECK(PyGILState_GetThisThreadState() != NULL);
    PyGILState_Release(b);
    PyGILState_Release(a);
    Py_RETURN_NONE;
}

static PyObject *test_thread_state(PyObject *m, PyObject *unused) {
    PyThreadState *ts = PyThreadState_Get();
    PyObject *d1, *d2;
    CHECK(ts != NULL);
    d1 = PyThreadState_GetDict();
    d2 = PyThreadState_GetDict();
    CHECK(d1 != NULL && d1 == d2 && PyDict_Check(d1));
#if API_AT_LEAST(0x03090000)
    CHECK(PyInterpreterState_Get() == PyThreadState_GetInterpreter(ts));
    CHECK(PyInterpreterState_GetID(PyInterpreterState_Get()) == 0);
    CHECK(PyThreadState_GetID(ts) > 0);
    CHECK(PyDict_Check(PyInterpreterState_GetDict(PyInterpreterState_Get())));
#endif
    /* Swapping out and back in detaches and re-attaches. */
    CHECK(PyThreadState_Swap(NULL) == ts);
    CHECK(PyThreadState_Swap(ts) == NULL);
    CHECK(PyThreadState_Get() == ts);
    Py_RETURN_NONE;
}

static PyObject *test_locks(PyObject *m, PyObject *unused) {
    PyThread_type_lock l = PyThread_allocate_lock();
    CHECK(l != NULL);
    CHECK(PyThread_acquire_lock(l, 0) == 1);
    CHECK(PyThread_acquire_lock(l, 0) == 0);
    CHECK(PyThread_acquire_lock_timed(l, 1000, 0) == PY_LOCK_FAILURE);
    PyThread_release_lock(l);
    CHECK(PyThread_acquire_lock_timed(l, -1, 0) == PY_LOCK_ACQUIRED);
    PyThread_release_lock(l);
    PyThread_free_lock(l);
    CHECK(PyThread_get_thread_ident() != 0);
    Py_RETURN_NONE;
}

#if API_AT_LEAST(0x03070000)
static Py_tss_t *tss_key;
static int seen_in_thread = -1;

static void tss_job(void *arg) {
    /* A new thread sees no value, then its own. */
    int own = 2;
    seen_in_thread = PyThread_tss_get(tss_key) == NULL;
    PyThread_tss_set(tss_key, &own);
    if (PyThread_tss_get(tss_key) != &own) seen_in_thread = 0;
    PyThread_release_lock((PyThread_type_lock)arg);
}

static PyObject *test_tss(PyObject *m, PyObject *unused) {
    int mine = 1;
    PyThread_type_lock done = PyThread_allocate_lock();
    PyThreadState *ts;
    tss_key = PyThread_tss_alloc();
    CHECK(tss_key != NULL && PyThread_tss_is_created(tss_key) == 0);
    CHECK(PyThread_tss_create(tss_key) == 0 && PyThread_tss_is_created(tss_key) == 1);
    CHECK(PyThread_tss_get(tss_key) == NULL);
    CHECK(PyThread_tss_set(tss_key, &mine) == 0 && PyThread_tss_get(tss_key) == &mine);
    PyThread_acquire_lock(done, 1);
    CHECK(PyThread_start_new_thread(tss_job, done) != (unsigned long)-1);
    ts = PyEval_SaveThread();
    PyThread_acquire_lock(done, 1);
    PyEval_RestoreThread(ts);
    PyThread_free_lock(done);
    CHECK(seen_in_thread == 1);
    CHECK(PyThread_tss_get(tss_key) == &mine);
    PyThread_tss_delete(tss_key);
    CHECK(PyThread_tss_is_created(tss_key) == 0);
    PyThread_tss_free(tss_key);
    Py_RETURN_NONE;
}
#endif

#if API_AT_LEAST(0x030F0000)
/* PEP 788: a thread attaches through an interpreter guard taken by its creator. */
typedef struct { PyInterpreterGuard *guard; PyObject *list; PyThread_type_lock done; int ok; } guard_job_t;

static void guard_job(void *arg) {
    guard_job_t *job = (guard_job_t *)arg;
    PyThreadStateToken *t = PyThreadState_Ensure(job->guard);
    if (t) {
        PyObject *v = PyUnicode_FromString("from guarded thread");
        job->ok = v && PyList_Append(job->list, v) == 0;
        Py_XDECREF(v);
        PyThreadState_Release(t);
    }
    PyThread_release_lock(job->done);
}

static PyObject *test_interpreter_guard(PyObject *m, PyObject *unused) {
    guard_job_t job;
    PyInterpreterView *view = PyInterpreterView_FromCurrent();
    PyThreadState *ts;
    CHECK(view != NULL);
    job.guard = PyInterpreterGuard_FromView(view);
    CHECK(job.guard != NULL);
    PyInterpreterView_Close(view);
    job.list = PyList_New(0);
    job.done = PyThread_allocate_lock();
    job.ok = 0;
    PyThread_acquire_lock(job.done, 1);
    CHECK(PyThread_start_new_thread(guard_job, &job) != (unsigned long)-1);
    ts = PyEval_SaveThread();
    PyThread_acquire_lock(job.done, 1);
    PyEval_RestoreThread(ts);
    PyThread_free_lock(job.done);
    PyInterpreterGuard_Close(job.guard);
    CHECK(job.ok == 1 && PyList_Size(job.list) == 1);
    Py_DECREF(job.list);
    Py_RETURN_NONE;
}
#endif

static PyMethodDef methods[] = {
    {"test_gilstate_from_c_thread", test_gilstate_from_c_thread, METH_NOARGS, NULL},
    {"test_gilstate_nested_on_attached_thread", test_gilstate_nested_on_attached_thread, METH_NOARGS, NULL},
    {"test_thread_state", test_thread_state, METH_NOARGS, NULL},
    {"test_locks", test_locks, METH_NOARGS, NULL},
#if API_AT_LEAST(0x03070000)
    {"test_tss", test_tss, METH_NOARGS, NULL},
#endif
#if API_AT_LEAST(0x030F0000)
    {"test_interpreter_guard", test_interpreter_guard, METH_NOARGS, NULL},
#endif
    {"start_appender", start_appender, METH_VARARGS, NULL},
    {"join_appender", join_appender, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static int threads_exec(PyObject *m) { return 0; }

EXT_TEST_MODULE(threads, methods, threads_exec)
