/*
 * rt_threads2: the thread API that threads.c leaves out — thread states made and destroyed
 * by hand (PyThreadState_New/Clear/Delete/DeleteCurrent, PyEval_AcquireThread/ReleaseThread
 * from a C thread), the legacy GIL calls (PyEval_InitThreads, ThreadsInitialized,
 * AcquireLock/ReleaseLock), the pre-3.7 TLS keys, stack sizes, thread info and native ids,
 * PyThread_exit_thread, PEP 788's guard and view constructors, and critical sections.
 */
#include "ext_test.h"
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

/* Stable ABI, but not declared by every header set used here. */
PyAPI_FUNC(void) PyEval_AcquireLock(void);
PyAPI_FUNC(void) PyEval_ReleaseLock(void);
PyAPI_FUNC(void) PyEval_InitThreads(void);
PyAPI_FUNC(int) PyEval_ThreadsInitialized(void);
PyAPI_FUNC(PyThreadState *) _PyThreadState_Prealloc(PyInterpreterState *);
PyAPI_FUNC(void) _PyThreadState_Init(PyThreadState *);
PyAPI_FUNC(int) PyThread_create_key(void);
PyAPI_FUNC(void) PyThread_delete_key(int);
PyAPI_FUNC(int) PyThread_set_key_value(int, void *);
PyAPI_FUNC(void *) PyThread_get_key_value(int);
PyAPI_FUNC(void) PyThread_delete_key_value(int key);
PyAPI_FUNC(void) PyThread_ReInitTLS(void);
PyAPI_FUNC(void) PyThreadState_DeleteCurrent(void);
#if defined(Py_LIMITED_API) && Py_LIMITED_API+0 < 0x03080000
PyAPI_FUNC(unsigned long) PyThread_get_thread_native_id(void);
#endif

static void sleep_ms(int ms) {
    struct timespec t = {0, ms * 1000000L};
    nanosleep(&t, NULL);
}

static PyObject *test_legacy_gil_calls(PyObject *m, PyObject *unused) {
    PyEval_InitThreads();
    CHECK(PyEval_ThreadsInitialized() == 1);
    Py_RETURN_NONE;
}

/* A C thread running Python through a thread state made for it by PyThreadState_New. */
typedef struct {
    PyThreadState *ts;
    int ok, dict_ok;
} own_state_job;

static void *own_state_thread(void *arg) {
    own_state_job *job = arg;
    PyObject *l, *d;
    PyEval_AcquireThread(job->ts);
    job->ok = PyThreadState_Get() == job->ts;
    l = Py_BuildValue("[is]", 1, "x");
    job->ok = job->ok && l && PyList_Size(l) == 2;
    Py_XDECREF(l);
    d = PyThreadState_GetDict();
    job->dict_ok = d && PyDict_Check(d);
    /* Let others run, then come back. */
    PyEval_ReleaseThread(job->ts);
    PyEval_AcquireThread(job->ts);
    job->ok = job->ok && PyThreadState_Get() == job->ts;
    PyThreadState_Clear(job->ts);
    PyThreadState_DeleteCurrent();  /* also releases the GIL */
    return NULL;
}

static PyObject *test_thread_state_by_hand(PyObject *m, PyObject *unused) {
    PyInterpreterState *interp = PyInterpreterState_Get();
    own_state_job job = {NULL, 0, 0};
    PyThreadState *me = PyThreadState_Get(), *ts;
    pthread_t t;
    job.ts = PyThreadState_New(interp);
    CHECK(job.ts != NULL && job.ts != me && PyThreadState_GetInterpreter(job.ts) == interp);
    /* Not made current. */
    CHECK(PyThreadState_Get() == me);
    Py_BEGIN_ALLOW_THREADS
    if (pthread_create(&t, NULL, own_state_thread, &job) == 0) pthread_join(t, NULL);
    Py_END_ALLOW_THREADS
    CHECK(job.ok == 1 && job.dict_ok == 1);
    CHECK(PyThreadState_Get() == me);
    /* Made and destroyed without ever running. */
    ts = PyThreadState_New(interp);
    CHECK(ts != NULL && ts != me);
    PyThreadState_Clear(ts);
    PyThreadState_Delete(ts);
    ts = _PyThreadState_Prealloc(interp);
    CHECK(ts != NULL && ts != me && PyThreadState_GetInterpreter(ts) == interp);
    PyThreadState_Clear(ts);
    PyThreadState_Delete(ts);
    CHECK(PyThreadState_Get() == me && !PyErr_Occurred());
    Py_RETURN_NONE;
}

/* PyEval_ReleaseLock lets another thread take the GIL; PyEval_AcquireLock takes it back. */
typedef struct { volatile int ran; } gil_job;

static void *gil_taker(void *arg) {
    gil_job *job = arg;
    PyGILState_STATE s = PyGILState_Ensure();
    job->ran = 1;
    PyGILState_Release(s);
    return NULL;
}

static PyObject *test_release_lock(PyObject *m, PyObject *unused) {
    gil_job job = {0};
    pthread_t t;
    PyThreadState *me = PyThreadState_Get();
    int i;
    /* The thread state stays this thread's across the pair. */
    PyEval_ReleaseLock();
    PyEval_AcquireLock();
    CHECK(PyThreadState_Get() == me);
    /* Since 3.12 (a thread-local current state), another thread can run in between. */
    if (ext_test_runtime_hexversion() >= 0x030C0000) {
        if (pthread_create(&t, NULL, gil_taker, &job) != 0) return PyErr_SetFromErrno(PyExc_OSError);
        PyEval_ReleaseLock();
        for (i = 0; i < 5000 && !job.ran; i++) sleep_ms(1);
        PyEval_AcquireLock();
        pthread_join(t, NULL);
        CHECK(job.ran == 1);
        CHECK(PyThreadState_Get() == me);
    }
    Py_RETURN_NONE;
}

static PyObject *test_old_tls(PyObject *m, PyObject *unused) {
    int key = PyThread_create_key(), key2 = PyThread_create_key();
    int x = 1, y = 2;
    CHECK(key != -1 && key2 != -1 && key != key2);
    CHECK(PyThread_get_key_value(key) == NULL);
    CHECK(PyThread_set_key_value(key, &x) == 0);
    CHECK(PyThread_get_key_value(key) == &x && PyThread_get_key_value(key2) == NULL);
    CHECK(PyThread_set_key_value(key, &y) == 0);
    CHECK(PyThread_get_key_value(key) == &y);
    PyThread_delete_key_value(key);
    CHECK(PyThread_get_key_value(key) == NULL);
    PyThread_ReInitTLS();
    PyThread_delete_key(key);
    PyThread_delete_key(key2);
    Py_RETURN_NONE;
}

static int thread_info_checked;

static PyObject *test_stack_size_and_ids(PyObject *m, PyObject *unused) {
    PyObject *threading, *r, *info;
    PyThread_init_thread();
    CHECK(PyThread_get_stacksize() == 0);
    CHECK(PyThread_set_stacksize(1 << 20) == 0);
    CHECK(PyThread_get_stacksize() == 1 << 20);
    threading = PyImport_ImportModule("_thread");
    if (!threading) return NULL;
    r = PyObject_CallMethod(threading, "stack_size", NULL);
    CHECK(r && PyLong_AsLong(r) == 1 << 20);
    Py_DECREF(r);
    CHECK(PyThread_set_stacksize(100) == -1 && !PyErr_Occurred());
    CHECK(PyThread_set_stacksize(0) == 0 && PyThread_get_stacksize() == 0);
    r = PyObject_CallMethod(threading, "get_native_id", NULL);
    CHECK(r && PyLong_AsUnsignedLong(r) == PyThread_get_thread_native_id());
    CHECK(PyThread_get_thread_native_id() == (unsigned long)syscall(SYS_gettid));
    Py_DECREF(r);
    Py_DECREF(threading);
    /* A struct sequence equal to sys.thread_info. CPython 3.15.2 returns sys.thread_info
     * itself without a new reference (a second call then crashes it at exit), so it is
     * called once per process and the result is not released. */
    if (!thread_info_checked) {
        thread_info_checked = 1;
        info = PyThread_GetInfo();
        CHECK(info && PyTuple_Check(info) && PyTuple_Size(info) == 3);
        CHECK(PyObject_RichCompareBool(info, PySys_GetObject("thread_info"), Py_EQ) == 1);
        CHECK(ext_test_str_eq(PyTuple_GetItem(info, 0), "pthread"));
    }
    Py_RETURN_NONE;
}

/* PyThread_exit_thread ends a C thread: the code after it never runs. */
static volatile int before_exit, after_exit;

static void *exiting_thread(void *arg) {
    before_exit = 1;
    PyThread_exit_thread();
    after_exit = 1;
    return NULL;
}

static PyObject *test_exit_thread(PyObject *m, PyObject *unused) {
    pthread_t t;
    void *ret = (void *)1;
    before_exit = after_exit = 0;
    if (pthread_create(&t, NULL, exiting_thread, NULL) != 0) return PyErr_SetFromErrno(PyExc_OSError);
    Py_BEGIN_ALLOW_THREADS
    pthread_join(t, &ret);
    Py_END_ALLOW_THREADS
    CHECK(before_exit == 1 && after_exit == 0 && ret == NULL);
    Py_RETURN_NONE;
}

/* Runs `f` in a forked child with stderr into a pipe: (signal, exit status, stderr). */
static PyObject *in_child(void (*f)(void)) {
    int fds[2], status;
    pid_t pid;
    char buf[4096];
    ssize_t n, total = 0;
    if (pipe(fds) < 0) return PyErr_SetFromErrno(PyExc_OSError);
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) return PyErr_SetFromErrno(PyExc_OSError);
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        f();
        _exit(0);
    }
    close(fds[1]);
    while (total < (ssize_t)sizeof(buf) - 1 && (n = read(fds[0], buf + total, sizeof(buf) - 1 - total)) > 0) total += n;
    close(fds[0]);
    buf[total] = 0;
    if (waitpid(pid, &status, 0) < 0) return PyErr_SetFromErrno(PyExc_OSError);
    return Py_BuildValue("(iis)", WIFSIGNALED(status) ? WTERMSIG(status) : 0, WIFEXITED(status) ? WEXITSTATUS(status) : -1, buf);
}

static void init_thread_state(void) {
    PyInterpreterState *interp = PyInterpreterState_Get();
    PyThreadState *ts = _PyThreadState_Prealloc(interp);
    if (ts == NULL || ts == PyThreadState_Get() || PyThreadState_GetInterpreter(ts) != interp) _exit(4);
    _PyThreadState_Init(ts);
    _exit(3);
}

/* _PyThreadState_Init: internal only since 3.12 (a fatal error); it registered the state before. */
static PyObject *thread_state_init_in_child(PyObject *m, PyObject *unused) {
    return in_child(init_thread_state);
}

#if defined(Py_TARGET_ABI3T) || (defined(Py_LIMITED_API) && Py_LIMITED_API+0 >= 0x030F0000)
typedef struct { PyInterpreterView *view; PyObject *list; int ok; } view_job;

static void *view_thread(void *arg) {
    view_job *job = arg;
    PyThreadStateToken *t = PyThreadState_EnsureFromView(job->view);
    if (t) {
        PyObject *v = PyUnicode_FromString("from main view");
        job->ok = v && PyList_Append(job->list, v) == 0;
        Py_XDECREF(v);
        PyThreadState_Release(t);
    }
    return NULL;
}

static PyObject *test_guards_and_views(PyObject *m, PyObject *unused) {
    PyInterpreterGuard *guard = PyInterpreterGuard_FromCurrent();
    PyThreadStateToken *t;
    view_job job;
    pthread_t th;
    CHECK(guard != NULL);
    /* Ensuring on a thread that is already attached is allowed (nested). */
    t = PyThreadState_Ensure(guard);
    CHECK(t != NULL && !PyErr_Occurred());
    PyThreadState_Release(t);
    PyInterpreterGuard_Close(guard);
    job.view = PyInterpreterView_FromMain();
    CHECK(job.view != NULL);
    job.list = PyList_New(0);
    job.ok = 0;
    if (!job.list) return NULL;
    Py_BEGIN_ALLOW_THREADS
    if (pthread_create(&th, NULL, view_thread, &job) == 0) pthread_join(th, NULL);
    Py_END_ALLOW_THREADS
    PyInterpreterView_Close(job.view);
    CHECK(job.ok == 1 && PyList_Size(job.list) == 1 && ext_test_str_eq(PyList_GetItem(job.list, 0), "from main view"));
    Py_DECREF(job.list);
    Py_RETURN_NONE;
}

static PyObject *test_critical_sections(PyObject *m, PyObject *unused) {
    PyObject *a = PyList_New(0), *b = PyDict_New();
    PyCriticalSection cs;
    PyCriticalSection2 cs2;
    if (!a || !b) return NULL;
    PyCriticalSection_Begin(&cs, a);
    CHECK(PyList_Append(a, Py_None) == 0);
    /* Nested sections on other objects. */
    PyCriticalSection2_Begin(&cs2, a, b);
    CHECK(PyDict_SetItemString(b, "k", a) == 0 && PyList_Append(a, Py_True) == 0);
    PyCriticalSection2_End(&cs2);
    PyCriticalSection_End(&cs);
    /* The same object twice is one lock. */
    PyCriticalSection2_Begin(&cs2, b, b);
    CHECK(PyDict_Size(b) == 1);
    PyCriticalSection2_End(&cs2);
    Py_BEGIN_CRITICAL_SECTION(a);
    CHECK(PyList_Size(a) == 2);
    Py_END_CRITICAL_SECTION();
    CHECK(PyDict_DelItemString(b, "k") == 0);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_RETURN_NONE;
}
#endif

static PyMethodDef methods[] = {
    {"test_legacy_gil_calls", test_legacy_gil_calls, METH_NOARGS, NULL},
    {"test_thread_state_by_hand", test_thread_state_by_hand, METH_NOARGS, NULL},
    {"test_release_lock", test_release_lock, METH_NOARGS, NULL},
    {"test_old_tls", test_old_tls, METH_NOARGS, NULL},
    {"test_stack_size_and_ids", test_stack_size_and_ids, METH_NOARGS, NULL},
    {"test_exit_thread", test_exit_thread, METH_NOARGS, NULL},
#if defined(Py_TARGET_ABI3T) || (defined(Py_LIMITED_API) && Py_LIMITED_API+0 >= 0x030F0000)
    {"test_guards_and_views", test_guards_and_views, METH_NOARGS, NULL},
    {"test_critical_sections", test_critical_sections, METH_NOARGS, NULL},
#endif
    {"thread_state_init_in_child", thread_state_init_in_child, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *m) { return 0; }

EXT_TEST_MODULE(rt_threads2, methods, exec_module)
