/*
 * rt_import: import.h — sys.modules and its helpers (PyImport_GetModuleDict, GetModule,
 * AddModule*), running code objects as modules (PyImport_ExecCodeModule*), imports with a
 * level and a fromlist (PyImport_ImportModuleLevel*), the legacy ImportModuleNoBlock, frozen
 * modules by name object, and PyImport_AppendInittab (an embedder's call before
 * initialization: after it, CPython ends the process, so that runs in a forked child).
 */
#include "ext_test.h"
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

/* Stable ABI, no longer declared by every header set used here. */
PyAPI_FUNC(PyObject *) PyImport_ImportModuleNoBlock(const char *);

static PyObject *test_module_dict(PyObject *m, PyObject *unused) {
    PyObject *d = PyImport_GetModuleDict(), *name, *r;
    CHECK(d && PyDict_Check(d) && d == PySys_GetObject("modules"));
    CHECK(PyDict_GetItemString(d, "sys") != NULL);
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03070000
    name = PyUnicode_FromString("sys");
    if (!name) return NULL;
    r = PyImport_GetModule(name);  /* new reference */
    CHECK(r && r == PyDict_GetItemString(d, "sys"));
    Py_DECREF(r);
    Py_DECREF(name);
    name = PyUnicode_FromString("rt_import_not_imported");
    if (!name) return NULL;
    CHECK(PyImport_GetModule(name) == NULL && !PyErr_Occurred());
    Py_DECREF(name);
#else
    (void)name;
    (void)r;
#endif
    Py_RETURN_NONE;
}

static PyObject *test_add_module(PyObject *m, PyObject *unused) {
    PyObject *d = PyImport_GetModuleDict(), *a, *b, *name;
    CHECK(PyDict_GetItemString(d, "rt_import_added") == NULL);
    a = PyImport_AddModule("rt_import_added");  /* borrowed, owned by sys.modules */
    CHECK(a && PyModule_Check(a) && PyDict_GetItemString(d, "rt_import_added") == a);
    /* An existing module is returned as it is. */
    b = PyImport_AddModule("rt_import_added");
    CHECK(b == a);
    b = PyImport_AddModule("sys");
    CHECK(b == PyDict_GetItemString(d, "sys"));
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03070000
    name = PyUnicode_FromString("rt_import_added");
    if (!name) return NULL;
    b = PyImport_AddModuleObject(name);
    CHECK(b == a);
    Py_DECREF(name);
#else
    (void)name;
#endif
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x030D0000
    b = PyImport_AddModuleRef("rt_import_added");  /* new reference */
    CHECK(b == a && Py_REFCNT(b) >= 2);
    Py_DECREF(b);
    b = PyImport_AddModuleRef("rt_import_added_ref");
    CHECK(b && PyModule_Check(b) && PyDict_GetItemString(d, "rt_import_added_ref") == b);
    Py_DECREF(b);
    CHECK(PyDict_DelItemString(d, "rt_import_added_ref") == 0);
#endif
    CHECK(PyDict_DelItemString(d, "rt_import_added") == 0);
    Py_RETURN_NONE;
}

/* A module's attribute `name` is the str `expected`. */
static int module_attr_is(PyObject *mod, const char *name, const char *expected) {
    PyObject *v = PyObject_GetAttrString(mod, name);
    int ok = ext_test_str_eq(v, expected);
    if (!ok) {
        PyObject *r = v ? PyObject_Repr(v) : NULL, *b = r ? PyUnicode_AsUTF8String(r) : NULL;
        fprintf(stderr, "%s is %s, expected %s\n", name, b ? PyBytes_AsString(b) : "missing", expected);
        Py_XDECREF(b);
        Py_XDECREF(r);
    }
    Py_XDECREF(v);
    PyErr_Clear();
    return ok;
}

static PyObject *test_exec_code_module(PyObject *m, PyObject *unused) {
    PyObject *d = PyImport_GetModuleDict(), *co, *mod, *v, *name, *path;
    co = Py_CompileString("x = 6 * 7\nwho = __name__\n", "/rt-import/code.py", Py_file_input);
    if (!co) return NULL;
    mod = PyImport_ExecCodeModule("rt_import_exec", co);  /* new reference */
    CHECK(mod && PyModule_Check(mod) && PyDict_GetItemString(d, "rt_import_exec") == mod);
    v = PyObject_GetAttrString(mod, "x");
    CHECK(v && PyLong_AsLong(v) == 42);
    Py_DECREF(v);
    CHECK(module_attr_is(mod, "who", "rt_import_exec"));
    /* Without a path, __file__ is the code's filename. */
    CHECK(module_attr_is(mod, "__file__", "/rt-import/code.py"));
    v = PyObject_GetAttrString(mod, "__builtins__");
    CHECK(v != NULL);
    Py_DECREF(v);
    Py_DECREF(mod);
    /* Running again reuses the module in sys.modules. */
    mod = PyImport_ExecCodeModuleEx("rt_import_exec", co, "/rt-import/other.py");
    CHECK(mod && mod == PyDict_GetItemString(d, "rt_import_exec"));
    CHECK(module_attr_is(mod, "__file__", "/rt-import/other.py"));
    Py_DECREF(mod);
    CHECK(PyDict_DelItemString(d, "rt_import_exec") == 0);
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03030000
    mod = PyImport_ExecCodeModuleWithPathnames("rt_import_exec2", co, "/rt-import/p.py", NULL);
    CHECK(mod && module_attr_is(mod, "__file__", "/rt-import/p.py") && module_attr_is(mod, "who", "rt_import_exec2"));
    Py_DECREF(mod);
    CHECK(PyDict_DelItemString(d, "rt_import_exec2") == 0);
    name = PyUnicode_FromString("rt_import_exec3");
    path = PyUnicode_FromString("/rt-import/q.py");
    if (!name || !path) return NULL;
    mod = PyImport_ExecCodeModuleObject(name, co, path, NULL);
    CHECK(mod && module_attr_is(mod, "__file__", "/rt-import/q.py") && module_attr_is(mod, "who", "rt_import_exec3"));
    Py_DECREF(mod);
    CHECK(PyDict_DelItemString(d, "rt_import_exec3") == 0);
    Py_DECREF(name);
    Py_DECREF(path);
#else
    (void)name;
    (void)path;
#endif
    Py_DECREF(co);
    /* Code that raises: the error propagates and the new module leaves sys.modules. */
    co = Py_CompileString("x = 1\nraise KeyError('in module')\n", "/rt-import/bad.py", Py_file_input);
    if (!co) return NULL;
    CHECK(PyImport_ExecCodeModule("rt_import_bad", co) == NULL);
    CHECK_RAISED(PyExc_KeyError, "'in module'");
    CHECK(PyDict_GetItemString(d, "rt_import_bad") == NULL);
    Py_DECREF(co);
    Py_RETURN_NONE;
}

static PyObject *test_import_level(PyObject *m, PyObject *unused) {
    PyObject *os = PyImport_ImportModule("os"), *ospath, *r, *fromlist, *name, *g;
    if (!os) return NULL;
    ospath = PyObject_GetAttrString(os, "path");
    if (!ospath) return NULL;
    /* No fromlist: the top-level package. */
    r = PyImport_ImportModuleLevel("os.path", NULL, NULL, NULL, 0);
    CHECK(r == os);
    Py_DECREF(r);
    fromlist = Py_BuildValue("(s)", "sep");
    if (!fromlist) return NULL;
    r = PyImport_ImportModuleLevel("os.path", NULL, NULL, fromlist, 0);
    CHECK(r == ospath);
    Py_DECREF(r);
    CHECK(PyImport_ImportModuleLevel("rt_import_no_such_module", NULL, NULL, NULL, 0) == NULL);
    CHECK_RAISED(PyExc_ImportError, "No module named 'rt_import_no_such_module'");
    CHECK(PyImport_ImportModuleLevel("os", NULL, NULL, NULL, -1) == NULL);
    CHECK_RAISED(PyExc_ValueError, "level must be >= 0");
    CHECK(PyImport_ImportModuleLevel("", NULL, NULL, NULL, 0) == NULL);
    CHECK_RAISED(PyExc_ValueError, "Empty module name");
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03030000
    name = PyUnicode_FromString("path");
    g = Py_BuildValue("{s:s,s:s}", "__name__", "os.rt_import", "__package__", "os");
    if (!name || !g) return NULL;
    /* from . import path, relative to the package "os". */
    r = PyImport_ImportModuleLevelObject(name, g, NULL, fromlist, 1);
    CHECK(r == ospath);
    Py_DECREF(r);
    CHECK(PyImport_ImportModuleLevelObject(name, NULL, NULL, NULL, 1) == NULL);
    CHECK_RAISED(PyExc_KeyError, "\"'__name__' not in globals\"");
    CHECK(PyImport_ImportModuleLevelObject(Py_None, NULL, NULL, NULL, 0) == NULL);
    CHECK_RAISED(PyExc_TypeError, "module name must be a string");
    Py_DECREF(g);
    Py_DECREF(name);
#else
    (void)name;
    (void)g;
#endif
    Py_DECREF(fromlist);
    Py_DECREF(ospath);
    Py_DECREF(os);
    Py_RETURN_NONE;
}

static PyObject *test_frozen_object(PyObject *m, PyObject *unused) {
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03030000
    PyObject *name = PyUnicode_FromString("rt_import_not_frozen");
    if (!name) return NULL;
    CHECK(PyImport_ImportFrozenModuleObject(name) == 0 && !PyErr_Occurred());
    Py_DECREF(name);
#endif
    Py_RETURN_NONE;
}

static PyObject *init_appended(void) { return NULL; }

/* append_inittab_in_child() -> (exit signal or status, stderr text). */
static PyObject *append_inittab_in_child(PyObject *m, PyObject *unused) {
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
        int r;
        dup2(fds[1], 2);
        close(fds[0]);
        /* After initialization: a fatal error (CPython 3.12+; 3.11 returned 0). */
        r = PyImport_AppendInittab("rt_import_appended", init_appended);
        _exit(r == 0 ? 11 : 10);
    }
    close(fds[1]);
    while (total < (ssize_t)sizeof(buf) - 1 && (n = read(fds[0], buf + total, sizeof(buf) - 1 - total)) > 0) total += n;
    close(fds[0]);
    buf[total] = 0;
    if (waitpid(pid, &status, 0) < 0) return PyErr_SetFromErrno(PyExc_OSError);
    return Py_BuildValue("(iis)", WIFSIGNALED(status) ? WTERMSIG(status) : 0, WIFEXITED(status) ? WEXITSTATUS(status) : -1, buf);
}

static PyObject *import_no_block(PyObject *m, PyObject *args) {
    const char *name;
    if (!PyArg_ParseTuple(args, "s", &name)) return NULL;
    return PyImport_ImportModuleNoBlock(name);
}

static PyMethodDef methods[] = {
    {"import_no_block", import_no_block, METH_VARARGS, NULL},
    {"test_module_dict", test_module_dict, METH_NOARGS, NULL},
    {"test_add_module", test_add_module, METH_NOARGS, NULL},
    {"test_exec_code_module", test_exec_code_module, METH_NOARGS, NULL},
    {"test_import_level", test_import_level, METH_NOARGS, NULL},
    {"test_frozen_object", test_frozen_object, METH_NOARGS, NULL},
    {"append_inittab_in_child", append_inittab_in_child, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *m) { return 0; }

EXT_TEST_MODULE(rt_import, methods, exec_module)
