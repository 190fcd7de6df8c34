/*
 * multiphase: multi-phase initialisation (PEP 489) with module state, as extensions built
 * with Py_LIMITED_API >= 3.5 do it: PyInit_* returns PyModuleDef_Init(&def) and the runtime
 * runs the Py_mod_create / Py_mod_exec slots. The slot ids are compiled with whatever
 * numbering the headers give (1-4 before 3.15, 84-87 with Py_LIMITED_API >= 3.15).
 */
#include <Python.h>

typedef struct {
    long counter;
    PyObject *kept; /* an object the module state owns */
} state_t;

static int created_by_slot = 0;

static PyObject *increment(PyObject *m, PyObject *unused) {
    state_t *st = (state_t *)PyModule_GetState(m);
    if (!st) return NULL;
    st->counter++;
    return PyLong_FromLong(st->counter);
}

static PyObject *kept(PyObject *m, PyObject *unused) {
    state_t *st = (state_t *)PyModule_GetState(m);
    if (!st->kept) Py_RETURN_NONE;
    Py_INCREF(st->kept);
    return st->kept;
}

static PyObject *created_by_create_slot(PyObject *m, PyObject *unused) {
    return PyBool_FromLong(created_by_slot);
}

static PyObject *test_state_is_zeroed_then_set(PyObject *m, PyObject *unused) {
    state_t *st = (state_t *)PyModule_GetState(m);
    if (!st || !st->kept) { PyErr_SetString(PyExc_AssertionError, "state not initialised by exec"); return NULL; }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"increment", increment, METH_NOARGS, NULL},
    {"kept", kept, METH_NOARGS, NULL},
    {"created_by_create_slot", created_by_create_slot, METH_NOARGS, NULL},
    {"test_state_is_zeroed_then_set", test_state_is_zeroed_then_set, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyObject *create(PyObject *spec, PyModuleDef *def) {
    PyObject *name = PyObject_GetAttrString(spec, "name");
    PyObject *m;
    if (!name) return NULL;
    m = PyModule_NewObject(name);
    Py_DECREF(name);
    created_by_slot = 1;
    return m;
}

static int exec_first(PyObject *m) {
    state_t *st = (state_t *)PyModule_GetState(m);
    if (!st || st->counter != 0 || st->kept != NULL) {
        PyErr_SetString(PyExc_AssertionError, "module state must start zeroed");
        return -1;
    }
    st->kept = Py_BuildValue("(si)", "kept", 7);
    return st->kept ? 0 : -1;
}

static int exec_second(PyObject *m) {
    return PyModule_AddStringConstant(m, "EXECUTED", "both exec slots ran in order");
}

static int traverse(PyObject *m, visitproc visit, void *arg) {
    state_t *st = (state_t *)PyModule_GetState(m);
    if (st) Py_VISIT(st->kept);
    return 0;
}

static int clear(PyObject *m) {
    state_t *st = (state_t *)PyModule_GetState(m);
    if (st) Py_CLEAR(st->kept);
    return 0;
}

static void free_module(void *m) { clear((PyObject *)m); }

static PyModuleDef_Slot slots[] = {
    {Py_mod_create, create},
    {Py_mod_exec, exec_first},
    {Py_mod_exec, exec_second},
#if defined(Py_mod_multiple_interpreters)
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
#endif
#if defined(Py_mod_gil)
    {Py_mod_gil, Py_MOD_GIL_USED},
#endif
    {0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "multiphase", "Multi-phase init with state.", sizeof(state_t), methods,
    slots, traverse, clear, free_module
};

PyMODINIT_FUNC PyInit_multiphase(void) {
    return PyModuleDef_Init(&moduledef);
}
