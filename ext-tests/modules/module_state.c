/*
 * module_state: the interpreter's registry of single-phase modules (PyState_FindModule/
 * AddModule/RemoveModule), PyModule_GetFilename*, and 3.15's PyModule_FromSlotsAndSpec/
 * PyModule_Exec/GetStateSize/GetToken for modules made from slots.
 */
#include "ext_test.h"

/* PyModule_GetFilename is deprecated, and tested here. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#if defined(Py_LIMITED_API)
#define LIMITED_AT_LEAST(v) (Py_LIMITED_API+0 >= (v))
#else
#define LIMITED_AT_LEAST(v) 1
#endif

#if defined(Py_TARGET_ABI3T) || LIMITED_AT_LEAST(0x030F0000)
#define SLOTS_MODULE 1
#else
#define SLOTS_MODULE 0
#endif

static int ends_with(PyObject *s, const char *suffix) {
    PyObject *b = PyUnicode_AsUTF8String(s);
    size_t n, k = strlen(suffix);
    int ok;
    if (!b) return 0;
    n = (size_t)PyBytes_Size(b);
    ok = n >= k && strcmp(PyBytes_AsString(b) + n - k, suffix) == 0;
    Py_DECREF(b);
    return ok;
}

static PyObject *test_filename(PyObject *m, PyObject *unused) {
    PyObject *f = PyModule_GetFilenameObject(m), *five = PyLong_FromLong(5);
    const char *s;
    if (!five) return NULL;
    CHECK(f && PyUnicode_Check(f) && ends_with(f, ".so"));
    Py_DECREF(f);
    s = PyModule_GetFilename(m);
    CHECK(s && strlen(s) > 3 && strcmp(s + strlen(s) - 3, ".so") == 0);
    CHECK(PyModule_GetFilenameObject(five) == NULL);
    CHECK_RAISED(PyExc_TypeError, "bad argument type for built-in operation");
    f = PyModule_New("nofile");
    CHECK(f && PyModule_GetFilenameObject(f) == NULL);
    CHECK_RAISED(PyExc_SystemError, "module filename missing");
    Py_DECREF(f);
    Py_DECREF(five);
    Py_RETURN_NONE;
}

#if !SLOTS_MODULE
static struct PyModuleDef ext_test_def;

static PyObject *test_state_registry(PyObject *m, PyObject *unused) {
    /* A single-phase module is registered by the import. */
    CHECK(PyState_FindModule(&ext_test_def) == m);
#if LIMITED_AT_LEAST(0x03030000)
    CHECK(PyState_RemoveModule(&ext_test_def) == 0);
    CHECK(PyState_FindModule(&ext_test_def) == NULL && !PyErr_Occurred());
    CHECK(PyState_AddModule(m, &ext_test_def) == 0);
    CHECK(PyState_FindModule(&ext_test_def) == m);
#endif
    Py_RETURN_NONE;
}
#endif

#if SLOTS_MODULE
static int exec_calls;

static int counting_exec(PyObject *mod) {
    exec_calls++;
    return PyModule_AddIntConstant(mod, "answer", 42);
}

/* No Py_mod_methods: functions bound to the module would make a reference cycle, which
 * Pyrite (no cycle collector yet) would count as a leak. */

PyABIInfo_VAR(made_abi);
static int made_token;
static PySlot made_slots[] = {
    PySlot_STATIC_DATA(Py_mod_abi, &made_abi),
    PySlot_STATIC_DATA(Py_mod_name, "made"),
    PySlot_FUNC(Py_mod_exec, counting_exec),
    PySlot_SIZE(Py_mod_state_size, 24),
    PySlot_STATIC_DATA(Py_mod_token, &made_token),
    PySlot_END,
};

static PyObject *test_from_slots(PyObject *m, PyObject *unused) {
    PyObject *spec = PyModule_New("spec"), *name = PyUnicode_FromString("made"), *mod, *v, *five = PyLong_FromLong(5);
    Py_ssize_t size = 0;
    void *token = NULL;
    if (!spec || !name || !five) return NULL;
    CHECK(PyObject_SetAttrString(spec, "name", name) == 0);
    exec_calls = 0;
    mod = PyModule_FromSlotsAndSpec(made_slots, spec);
    CHECK(mod && PyModule_Check(mod) && exec_calls == 0);
    CHECK(PyModule_GetStateSize(mod, &size) == 0 && size == 24);
    /* The state comes with PyModule_Exec. */
    CHECK(PyModule_GetState(mod) == NULL && !PyErr_Occurred());
    CHECK(PyModule_GetToken(mod, &token) == 0 && token == &made_token);
    CHECK(PyModule_Exec(mod) == 0 && exec_calls == 1);
    CHECK(PyModule_GetState(mod) != NULL);
    v = PyObject_GetAttrString(mod, "answer");
    CHECK(v && PyLong_AsLong(v) == 42);
    Py_DECREF(v);
    CHECK(PyModule_GetStateSize(five, &size) == -1 && size == -1);
    CHECK_RAISED(PyExc_TypeError, "expected module, got int");
    CHECK(PyModule_GetToken(five, &token) == -1 && token == NULL);
    CHECK_RAISED(PyExc_TypeError, "expected module, got int");
    CHECK(PyModule_GetToken(m, &token) == 0);
    CHECK(PyModule_GetStateSize(m, &size) == 0 && size == 0);
    Py_DECREF(mod); Py_DECREF(spec); Py_DECREF(name); Py_DECREF(five);
    Py_RETURN_NONE;
}
#endif

static PyMethodDef methods[] = {
    {"test_filename", test_filename, METH_NOARGS, NULL},
#if !SLOTS_MODULE
    {"test_state_registry", test_state_registry, METH_NOARGS, NULL},
#else
    {"test_from_slots", test_from_slots, METH_NOARGS, NULL},
#endif
    {NULL, NULL, 0, NULL},
};

static int exec_module_state(PyObject *m) { return 0; }

EXT_TEST_MODULE(module_state, methods, exec_module_state)
