/*
 * lifecycle: Py_AtExit functions run when the interpreter ends (checked by the harness, which
 * runs a program that registers two and reads its standard output), Py_IsInitialized,
 * Py_GetVersion, and running code with Py_CompileString + PyEval_EvalCode.
 */
#include "ext_test.h"
#include <unistd.h>

static void first(void) { (void)!write(1, "first registered, runs last\n", 28); }
static void second(void) { (void)!write(1, "second registered, runs first\n", 30); }

static PyObject *register_atexit(PyObject *m, PyObject *unused) {
    if (Py_AtExit(first) != 0 || Py_AtExit(second) != 0) {
        PyErr_SetString(PyExc_RuntimeError, "Py_AtExit failed");
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *test_initialized_and_version(PyObject *m, PyObject *unused) {
    const char *v = Py_GetVersion();
    CHECK(Py_IsInitialized() == 1);
    CHECK(v != NULL && strncmp(v, "3.", 2) == 0);
    Py_RETURN_NONE;
}

static PyObject *test_compile_and_eval(PyObject *m, PyObject *unused) {
    PyObject *code = Py_CompileString("x = 6 * 7\ny = [x] * 2\n", "<ext-test>", Py_file_input), *g, *r, *x;
    if (!code) return NULL;
    g = PyDict_New();
    r = PyEval_EvalCode(code, g, g);
    CHECK(r == Py_None);
    Py_XDECREF(r);
    x = PyDict_GetItemString(g, "x");
    CHECK(x && PyLong_AsLong(x) == 42);
    CHECK(PyDict_GetItemString(g, "__builtins__") == NULL);
    Py_DECREF(code);
    code = Py_CompileString("x + 1", "<ext-test>", Py_eval_input);
    CHECK(code != NULL);
    r = PyEval_EvalCode(code, g, NULL);
    CHECK(r && PyLong_AsLong(r) == 43);
    Py_XDECREF(r);
    Py_DECREF(code);
    Py_DECREF(g);
    CHECK(Py_CompileString("x = (", "<ext-test>", Py_file_input) == NULL);
    CHECK(PyErr_ExceptionMatches(PyExc_SyntaxError));
    PyErr_Clear();
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"register_atexit", register_atexit, METH_NOARGS, NULL},
    {"test_initialized_and_version", test_initialized_and_version, METH_NOARGS, NULL},
    {"test_compile_and_eval", test_compile_and_eval, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static int lifecycle_exec(PyObject *m) { return 0; }

EXT_TEST_MODULE(lifecycle, methods, lifecycle_exec)
