/*
 * runtime.c: the runtime-level corners of the C API — import helpers (magic number and tag,
 * reload, path importers, frozen modules), PyFile_FromFd, GC tracking flags, simulated
 * signals, pending calls, asynchronous exceptions, the running frame of a thread state,
 * traceback entries, and the deprecated path-configuration getters.
 */
#include "ext_test.h"
#include <signal.h>
#include <wchar.h>
#include <unistd.h>

/* Abi-only since 3.13: no longer declared by the headers, still exported. */
extern wchar_t *Py_GetPath(void);
extern wchar_t *Py_GetPrefix(void);
extern wchar_t *Py_GetExecPrefix(void);
extern wchar_t *Py_GetProgramFullPath(void);
extern wchar_t *Py_GetProgramName(void);
extern void Py_GetArgcArgv(int *argc, wchar_t ***argv);

/* A wchar_t string as a new str. */
static PyObject *wide_str(const wchar_t *w) {
    if (w == NULL) Py_RETURN_NONE;
    return PyUnicode_FromWideChar(w, -1);
}

static PyObject *test_magic(PyObject *m, PyObject *unused) {
    long magic = PyImport_GetMagicNumber();
    const char *tag = PyImport_GetMagicTag();
    PyObject *util, *expected, *impl, *cache_tag;
    unsigned char bytes[4];
    CHECK(magic != -1 && tag != NULL);
    bytes[0] = magic & 0xff; bytes[1] = (magic >> 8) & 0xff; bytes[2] = (magic >> 16) & 0xff; bytes[3] = (magic >> 24) & 0xff;
    util = PyImport_ImportModule("importlib.util");
    if (!util) return NULL;
    expected = PyObject_GetAttrString(util, "MAGIC_NUMBER");
    Py_DECREF(util);
    if (!expected) return NULL;
    CHECK(PyBytes_Size(expected) == 4 && memcmp(PyBytes_AsString(expected), bytes, 4) == 0);
    Py_DECREF(expected);
    impl = PySys_GetObject("implementation");
    cache_tag = PyObject_GetAttrString(impl, "cache_tag");
    if (!cache_tag) return NULL;
    CHECK(ext_test_str_eq(cache_tag, tag));
    Py_DECREF(cache_tag);
    Py_RETURN_NONE;
}

/* reload(name): PyImport_ReloadModule of sys.modules[name]. */
static PyObject *reload(PyObject *m, PyObject *name) {
    PyObject *mod = PyImport_Import(name), *r;
    if (!mod) return NULL;
    r = PyImport_ReloadModule(mod);
    Py_DECREF(mod);
    return r;
}

static PyObject *get_importer(PyObject *m, PyObject *path) {
    return PyImport_GetImporter(path);
}

static PyObject *test_frozen(PyObject *m, PyObject *unused) {
    CHECK(PyImport_ImportFrozenModule("no_such_frozen_module_xyz") == 0);
    CHECK(!PyErr_Occurred());
    Py_RETURN_NONE;
}

/* file_from_fd(fd, mode): an io object over fd that does not close it. */
static PyObject *file_from_fd(PyObject *m, PyObject *args) {
    int fd;
    const char *mode;
    if (!PyArg_ParseTuple(args, "is", &fd, &mode)) return NULL;
    return PyFile_FromFd(fd, NULL, mode, -1, NULL, NULL, NULL, 0);
}

static PyObject *is_tracked(PyObject *m, PyObject *o) {
    return PyBool_FromLong(PyObject_GC_IsTracked(o));
}

static PyObject *test_gc_tracking(PyObject *m, PyObject *unused) {
    PyObject *l = PyList_New(0), *i = PyLong_FromLong(123456);
    if (!l || !i) return NULL;
    CHECK(PyObject_GC_IsTracked(l) == 1);
    CHECK(PyObject_GC_IsTracked(i) == 0);
    Py_DECREF(l);
    Py_DECREF(i);
    Py_RETURN_NONE;
}

static PyObject *test_set_interrupt(PyObject *m, PyObject *unused) {
    CHECK(PyErr_SetInterruptEx(0) == -1);
    CHECK(PyErr_SetInterruptEx(100000) == -1);
    CHECK(!PyErr_Occurred());
    Py_RETURN_NONE;
}

/* interrupt(signum): PyErr_SetInterruptEx, then PyErr_CheckSignals. */
static PyObject *interrupt(PyObject *m, PyObject *arg) {
    int r = PyErr_SetInterruptEx((int)PyLong_AsLong(arg));
    if (r != 0) return PyLong_FromLong(r);
    if (PyErr_CheckSignals() < 0) return NULL;
    return PyLong_FromLong(r);
}

static int pending_count;

static int bump(void *arg) {
    pending_count += (int)(Py_ssize_t)arg;
    return 0;
}

static int pending_fails(void *arg) {
    (void)arg;
    PyErr_SetString(PyExc_RuntimeError, "pending call failed");
    return -1;
}

static PyObject *test_pending_calls(PyObject *m, PyObject *unused) {
    pending_count = 0;
    CHECK(Py_AddPendingCall(bump, (void *)(Py_ssize_t)2) == 0);
    CHECK(Py_AddPendingCall(bump, (void *)(Py_ssize_t)3) == 0);
    CHECK(Py_MakePendingCalls() == 0);
    CHECK(pending_count == 5);
    CHECK(Py_MakePendingCalls() == 0 && pending_count == 5);
    CHECK(Py_AddPendingCall(pending_fails, NULL) == 0);
    CHECK(Py_MakePendingCalls() == -1);
    CHECK_RAISED(PyExc_RuntimeError, "pending call failed");
    Py_RETURN_NONE;
}

/* add_pending(n): queues bump(n); pending_count() reads the total. */
static PyObject *add_pending(PyObject *m, PyObject *n) {
    return PyLong_FromLong(Py_AddPendingCall(bump, (void *)(Py_ssize_t)PyLong_AsLong(n)));
}

static PyObject *get_pending_count(PyObject *m, PyObject *unused) {
    return PyLong_FromLong(pending_count);
}

/* set_async_exc(thread_id, exc_or_None): PyThreadState_SetAsyncExc. */
static PyObject *set_async_exc(PyObject *m, PyObject *args) {
    unsigned long id;
    PyObject *exc;
    if (!PyArg_ParseTuple(args, "kO", &id, &exc)) return NULL;
    return PyLong_FromLong(PyThreadState_SetAsyncExc(id, exc == Py_None ? NULL : exc));
}

/* current_frame_name(): the code name of PyThreadState_GetFrame(PyThreadState_Get()). */
static PyObject *current_frame_name(PyObject *m, PyObject *unused) {
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03090000
    PyFrameObject *f = PyThreadState_GetFrame(PyThreadState_Get());
    PyCodeObject *code;
    PyObject *name;
    if (!f) Py_RETURN_NONE;
    code = PyFrame_GetCode(f);
    name = PyObject_GetAttrString((PyObject *)code, "co_name");
    Py_DECREF(code);
    Py_DECREF(f);
    return name;
#else
    return PyUnicode_FromString("unavailable");
#endif
}

/* raise_here(): raises ValueError with an extra traceback entry for the caller's frame. */
static PyObject *raise_here(PyObject *m, PyObject *unused) {
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03090000
    PyFrameObject *f = PyThreadState_GetFrame(PyThreadState_Get());
    PyErr_SetString(PyExc_ValueError, "raised here");
    if (f) {
        if (PyTraceBack_Here(f) < 0) { Py_DECREF(f); return NULL; }
        Py_DECREF(f);
    }
    return NULL;
#else
    PyErr_SetString(PyExc_ValueError, "raised here");
    return NULL;
#endif
}

/* paths(): the deprecated getters, as str (None for NULL). */
static PyObject *paths(PyObject *m, PyObject *unused) {
    return Py_BuildValue("(NNNNN)", wide_str(Py_GetPrefix()), wide_str(Py_GetExecPrefix()),
                         wide_str(Py_GetProgramFullPath()), wide_str(Py_GetPath()), wide_str(Py_GetProgramName()));
}

static PyObject *argc_argv(PyObject *m, PyObject *unused) {
    int argc = -1, i;
    wchar_t **argv = NULL;
    PyObject *l;
    Py_GetArgcArgv(&argc, &argv);
    if (argc < 0 || argv == NULL) Py_RETURN_NONE;
    l = PyList_New(0);
    if (!l) return NULL;
    for (i = 0; i < argc; i++) {
        PyObject *s = PyUnicode_FromWideChar(argv[i], -1);
        if (!s || PyList_Append(l, s) < 0) { Py_XDECREF(s); Py_DECREF(l); return NULL; }
        Py_DECREF(s);
    }
    return l;
}

static PyMethodDef methods[] = {
    {"test_magic", test_magic, METH_NOARGS, NULL},
    {"test_frozen", test_frozen, METH_NOARGS, NULL},
    {"test_gc_tracking", test_gc_tracking, METH_NOARGS, NULL},
    {"test_set_interrupt", test_set_interrupt, METH_NOARGS, NULL},
    {"test_pending_calls", test_pending_calls, METH_NOARGS, NULL},
    {"reload", reload, METH_O, NULL},
    {"get_importer", get_importer, METH_O, NULL},
    {"file_from_fd", file_from_fd, METH_VARARGS, NULL},
    {"is_tracked", is_tracked, METH_O, NULL},
    {"interrupt", interrupt, METH_O, NULL},
    {"add_pending", add_pending, METH_O, NULL},
    {"pending_count", get_pending_count, METH_NOARGS, NULL},
    {"set_async_exc", set_async_exc, METH_VARARGS, NULL},
    {"current_frame_name", current_frame_name, METH_NOARGS, NULL},
    {"raise_here", raise_here, METH_NOARGS, NULL},
    {"paths", paths, METH_NOARGS, NULL},
    {"argc_argv", argc_argv, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *m) { return 0; }

EXT_TEST_MODULE(runtime, methods, exec_module)
