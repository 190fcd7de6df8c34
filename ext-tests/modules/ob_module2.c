/*
 * ob_module2: moduleobject.h/modsupport.h functions the module_state area leaves out —
 * module attributes (GetDict, GetName(Object), SetDocString, AddFunctions, AddObjectRef, Add,
 * AddType), modules made from a definition and a spec (FromDefAndSpec2, ExecDef, GetDef),
 * _PyState_AddModule, 3.15's PyABIInfo_Check and the *_DuringGC accessors — and the type
 * functions PyType_Ready, Modified, ClearCache, GetQualName, GetModuleName,
 * GetFullyQualifiedName.
 */
#include "ext_test.h"

#define API_AT_LEAST(v) (!defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= (v))
/* Modules from PyModuleDef (3.15's free-threaded target has no PyModuleDef). */
#define HAVE_MODULEDEF (!defined(Py_TARGET_ABI3T))

#if HAVE_MODULEDEF
/* Exported for the Stable ABI, declared only in CPython's internal headers. */
PyAPI_FUNC(int) _PyState_AddModule(PyThreadState *, PyObject *, PyModuleDef *);
#endif

static PyObject *twice(PyObject *self, PyObject *arg) {
    return PyNumber_Add(arg, arg);
}

static PyMethodDef extra_functions[] = {
    {"twice", twice, METH_O, "twice(x)"},
    {NULL, NULL, 0, NULL},
};

static PyObject *test_module_attributes(PyObject *m, PyObject *unused) {
    PyObject *mod = PyModule_New("ob_module2_tmp"), *d, *name, *v, *f, *r, *doc;
    Py_ssize_t before;
    CHECK(mod);
    d = PyModule_GetDict(mod);  /* borrowed */
    CHECK(d && PyDict_Check(d) && PyDict_GetItemString(d, "__name__") != NULL);
    CHECK(strcmp(PyModule_GetName(mod), "ob_module2_tmp") == 0);
    name = PyModule_GetNameObject(mod);
    CHECK(ext_test_str_eq(name, "ob_module2_tmp"));
    Py_DECREF(name);
    CHECK(PyModule_SetDocString(mod, "The docs.") == 0);
    doc = PyObject_GetAttrString(mod, "__doc__");
    CHECK(ext_test_str_eq(doc, "The docs."));
    Py_DECREF(doc);
    CHECK(PyModule_AddFunctions(mod, extra_functions) == 0);
    f = PyDict_GetItemString(d, "twice");
    CHECK(f && PyCFunction_Check(f) && PyCFunction_GetSelf(f) == mod);
    {
        PyObject *three = PyLong_FromLong(3);
        r = PyObject_CallFunctionObjArgs(f, three, NULL);
        CHECK(r && PyLong_AsLong(r) == 6);
        Py_DECREF(r);
        Py_DECREF(three);
    }
    /* PyModule_AddObjectRef does not steal ... */
    v = PyList_New(0);
    before = Py_REFCNT(v);
    CHECK(PyModule_AddObjectRef(mod, "kept", v) == 0);
    CHECK(Py_REFCNT(v) == before + 1 && PyDict_GetItemString(d, "kept") == v);
    CHECK(PyModule_AddObjectRef(mod, "missing", NULL) == -1);
    CHECK_RAISED(PyExc_SystemError, "PyModule_AddObjectRef() must be called with an exception raised if value is NULL");
#if API_AT_LEAST(0x030D0000)
    /* ... PyModule_Add does, even when it fails. */
    Py_INCREF(v);
    CHECK(PyModule_Add(mod, "stolen", v) == 0);
    CHECK(Py_REFCNT(v) == before + 2);
    Py_INCREF(v);
    CHECK(PyModule_Add(Py_None, "stolen", v) == -1);
    CHECK(Py_REFCNT(v) == before + 2);
    CHECK_RAISED(PyExc_TypeError, "PyModule_AddObjectRef() first argument must be a module");
    /* NULL with an exception set: the exception stays. */
    PyErr_SetString(PyExc_KeyError, "from the caller");
    CHECK(PyModule_Add(mod, "nothing", NULL) == -1);
    CHECK_RAISED(PyExc_KeyError, "'from the caller'");
#endif
    Py_DECREF(v);
    /* PyModule_AddType uses the name after the last dot. */
    {
        PyObject *thing = PyDict_GetItemString(PyModule_GetDict(m), "Thing");
        CHECK(thing && PyModule_AddType(mod, (PyTypeObject *)thing) == 0);
        CHECK(PyDict_GetItemString(d, "Thing") == thing);
    }
    /* Not a module: a bad argument to GetNameObject, a bad internal call to GetDict. */
    CHECK(PyModule_GetNameObject(Py_None) == NULL);
    CHECK_RAISED(PyExc_TypeError, "bad argument type for built-in operation");
    CHECK(PyModule_GetDict(Py_None) == NULL);
    CHECK_RAISED(PyExc_SystemError, NULL);
    Py_DECREF(mod);
    Py_RETURN_NONE;
}

static PyObject *test_type_names(PyObject *m, PyObject *unused) {
    PyTypeObject *thing = (PyTypeObject *)PyDict_GetItemString(PyModule_GetDict(m), "Thing");
    PyObject *r;
    CHECK(thing);
#if API_AT_LEAST(0x030B0000)
    r = PyType_GetQualName(thing);
    CHECK(ext_test_str_eq(r, "Thing"));
    Py_DECREF(r);
    r = PyType_GetQualName(&PyLong_Type);
    CHECK(ext_test_str_eq(r, "int"));
    Py_DECREF(r);
#endif
#if API_AT_LEAST(0x030D0000)
    r = PyType_GetModuleName(thing);
    CHECK(ext_test_str_eq(r, "ob_module2"));
    Py_DECREF(r);
    r = PyType_GetModuleName(&PyLong_Type);
    CHECK(ext_test_str_eq(r, "builtins"));
    Py_DECREF(r);
    r = PyType_GetFullyQualifiedName(thing);
    CHECK(ext_test_str_eq(r, "ob_module2.Thing"));
    Py_DECREF(r);
    /* builtins are named without their module. */
    r = PyType_GetFullyQualifiedName(&PyLong_Type);
    CHECK(ext_test_str_eq(r, "int"));
    Py_DECREF(r);
#endif
    Py_RETURN_NONE;
}

static PyObject *test_type_ready_and_cache(PyObject *m, PyObject *unused) {
    PyTypeObject *thing = (PyTypeObject *)PyDict_GetItemString(PyModule_GetDict(m), "Thing");
    PyObject *o, *v, *one = PyLong_FromLong(1), *two = PyLong_FromLong(2);
    CHECK(thing && one && two);
    /* Ready types stay ready. */
    CHECK(PyType_Ready(thing) == 0 && PyType_Ready(&PyLong_Type) == 0);
    CHECK(PyType_GetFlags(thing) & Py_TPFLAGS_READY);
    o = PyObject_CallObject((PyObject *)thing, NULL);
    CHECK(o);
    CHECK(PyObject_SetAttrString((PyObject *)thing, "level", one) == 0);
    v = PyObject_GetAttrString(o, "level");
    CHECK(v == one);
    Py_DECREF(v);
    CHECK(PyObject_SetAttrString((PyObject *)thing, "level", two) == 0);
    PyType_Modified(thing);
    v = PyObject_GetAttrString(o, "level");
    CHECK(v == two);
    Py_DECREF(v);
    PyType_ClearCache();
    v = PyObject_GetAttrString(o, "level");
    CHECK(v == two);
    Py_DECREF(v);
    CHECK(PyObject_DelAttrString((PyObject *)thing, "level") == 0);
    Py_DECREF(o);
    Py_DECREF(two);
    Py_DECREF(one);
    Py_RETURN_NONE;
}

#if HAVE_MODULEDEF
typedef struct { long executed; } ChildState;

static int child_exec(PyObject *mod) {
    ChildState *st = PyModule_GetState(mod);
    st->executed++;
    return PyModule_AddIntConstant(mod, "executed", st->executed);
}

static PyModuleDef_Slot child_slots[] = {
    {Py_mod_exec, child_exec},
    {0, NULL},
};

static PyModuleDef child_def = {
    PyModuleDef_HEAD_INIT, "ob_module2_child", "A child made from a spec.", sizeof(ChildState),
    NULL, child_slots, NULL, NULL, NULL,
};

/* A spec: an object with a `name`. */
static PyObject *make_spec(const char *name) {
    PyObject *types = PyImport_ImportModule("types"), *ns, *r, *n;
    if (!types) return NULL;
    ns = PyObject_GetAttrString(types, "SimpleNamespace");
    Py_DECREF(types);
    if (!ns) return NULL;
    r = PyObject_CallFunction(ns, NULL);
    Py_DECREF(ns);
    n = PyUnicode_FromString(name);
    if (!r || !n || PyObject_SetAttrString(r, "name", n) < 0) Py_CLEAR(r);
    Py_XDECREF(n);
    return r;
}

static PyObject *test_from_def_and_spec(PyObject *m, PyObject *unused) {
    PyObject *spec = make_spec("ob_module2_child"), *child, *v;
    CHECK(spec);
    child = PyModule_FromDefAndSpec2(&child_def, spec, PYTHON_API_VERSION);
    CHECK(child && PyModule_Check(child));
    CHECK(strcmp(PyModule_GetName(child), "ob_module2_child") == 0);
    CHECK(PyModule_GetDef(child) == &child_def);
    /* Exec slots have not run yet; ExecDef runs them. */
    CHECK(PyObject_HasAttrString(child, "executed") == 0);
    CHECK(PyModule_ExecDef(child, &child_def) == 0);
    v = PyObject_GetAttrString(child, "executed");
    CHECK(v && PyLong_AsLong(v) == 1);
    Py_DECREF(v);
    v = PyObject_GetAttrString(child, "__doc__");
    CHECK(ext_test_str_eq(v, "A child made from a spec."));
    Py_DECREF(v);
#if API_AT_LEAST(0x030F0000)
    {
        void *token = NULL;
        CHECK(PyModule_GetState_DuringGC(child) == PyModule_GetState(child) && PyModule_GetState(child) != NULL);
        /* A module made from a PyModuleDef has the def as its token. */
        CHECK(PyModule_GetToken_DuringGC(child, &token) == 0 && token == &child_def);
    }
#endif
    CHECK(PyModule_GetDef(Py_None) == NULL);
    CHECK_RAISED(PyExc_TypeError, "bad argument type for built-in operation");
    Py_DECREF(child);
    Py_DECREF(spec);
    Py_RETURN_NONE;
}

static PyModuleDef single_def = {
    PyModuleDef_HEAD_INIT, "ob_module2_single", NULL, -1, NULL, NULL, NULL, NULL, NULL,
};

static PyObject *test_state_add_module(PyObject *m, PyObject *unused) {
    PyObject *mod = PyModule_Create(&single_def);
    Py_ssize_t before;
    CHECK(mod);
    before = Py_REFCNT(mod);
    CHECK(PyState_FindModule(&single_def) == NULL);
    CHECK(_PyState_AddModule(PyThreadState_Get(), mod, &single_def) == 0);
    /* The interpreter keeps a reference; FindModule returns it borrowed. */
    CHECK(PyState_FindModule(&single_def) == mod && Py_REFCNT(mod) == before + 1);
    CHECK(PyState_RemoveModule(&single_def) == 0);
    CHECK(PyState_FindModule(&single_def) == NULL && Py_REFCNT(mod) == before);
    /* Modules with slots (multi-phase) cannot be added. */
    CHECK(_PyState_AddModule(PyThreadState_Get(), mod, &child_def) == -1);
    CHECK_RAISED(PyExc_SystemError, "PyState_AddModule called on module with slots");
    Py_DECREF(mod);
    Py_RETURN_NONE;
}
#endif

#if API_AT_LEAST(0x030F0000)
static PyType_Slot Owned_slots[] = {{Py_tp_token, Py_TP_USE_SPEC}, {0, NULL}};
static PyType_Spec Owned_spec = {"ob_module2.Owned", 0, 0, Py_TPFLAGS_DEFAULT, Owned_slots};


static PyObject *test_abi_info(PyObject *m, PyObject *unused) {
    PyABIInfo_VAR(ours);
    PyABIInfo future = {1, 0, PyABIInfo_STABLE | PyABIInfo_FREETHREADING_AGNOSTIC, 0x03100000, 0x03100000};
    PyABIInfo too_new = {2, 0, 0, 0, 0};
    PyABIInfo no_info = {0, 0, 0, 0, 0};
    PyABIInfo old = {1, 0, PyABIInfo_STABLE | PyABIInfo_FREETHREADING_AGNOSTIC, 0x03010000, 0x03010000};
    CHECK(PyABIInfo_Check(&ours, "ob_module2") == 0);
    /* Major version 0: nothing to check. */
    CHECK(PyABIInfo_Check(&no_info, "ob_module2") == 0);
    CHECK(PyABIInfo_Check(&future, "mod") == -1);
    CHECK_RAISED(PyExc_ImportError, "mod: incompatible future stable ABI version (3.16)");
    CHECK(PyABIInfo_Check(&too_new, "mod") == -1);
    CHECK_RAISED(PyExc_ImportError, "mod: PyABIInfo version too high");
    CHECK(PyABIInfo_Check(&old, "mod") == -1);
    CHECK_RAISED(PyExc_ImportError, "mod: invalid stable ABI version (3.1)");
    Py_RETURN_NONE;
}

#if HAVE_MODULEDEF
static int counting_exec(PyObject *mod) {
    ChildState *st = PyModule_GetState(mod);
    st->executed++;
    return 0;
}

/* PEP 820's checks of a PyModuleDef's slots: nested slot arrays (their exec slots run too),
 * and what a definition may not hold. */
static PySlot nested_exec[] = {PySlot_FUNC(Py_mod_exec, counting_exec), PySlot_END};
static PyModuleDef_Slot nesting_slots[] = {{Py_mod_exec, counting_exec}, {Py_slot_subslots, nested_exec}, {0, NULL}};
static PyModuleDef nesting_def = {
    PyModuleDef_HEAD_INIT, "ob_module2_nesting", NULL, sizeof(ChildState), NULL, nesting_slots, NULL, NULL, NULL,
};
static PySlot unstatic_inner[] = {PySlot_END};
static PySlot unstatic_outer[] = {PySlot_DATA(Py_slot_subslots, unstatic_inner), PySlot_END};
static PyModuleDef_Slot unstatic_slots[] = {{Py_slot_subslots, unstatic_outer}, {0, NULL}};
static PyModuleDef_Slot name_slots[] = {{Py_mod_name, "other"}, {0, NULL}};
static PyModuleDef_Slot type_slots[] = {{Py_tp_name, "T"}, {0, NULL}};
static PyModuleDef_Slot two_creates[] = {{Py_mod_create, NULL}, {Py_mod_create, NULL}, {0, NULL}};
static PyModuleDef_Slot null_exec[] = {{Py_mod_exec, NULL}, {0, NULL}};
#define BAD_DEF(NAME, SLOTS) \
    static PyModuleDef NAME = {PyModuleDef_HEAD_INIT, "ob_module2_bad", NULL, 0, NULL, SLOTS, NULL, NULL, NULL}
BAD_DEF(unstatic_def, unstatic_slots);
BAD_DEF(name_def, name_slots);
BAD_DEF(type_def, type_slots);
BAD_DEF(two_creates_def, two_creates);
BAD_DEF(null_exec_def, null_exec);

static PyObject *test_def_slot_checks(PyObject *m, PyObject *unused) {
    PyObject *spec = make_spec("ob_module2_nesting"), *mod, *bad_spec;
    CHECK(spec);
    mod = PyModule_FromDefAndSpec2(&nesting_def, spec, PYTHON_API_VERSION);
    CHECK(mod && PyModule_ExecDef(mod, &nesting_def) == 0);
    CHECK(((ChildState *)PyModule_GetState(mod))->executed == 2);
    Py_DECREF(mod);
    Py_DECREF(spec);
    bad_spec = make_spec("ob_module2_bad");
    CHECK(bad_spec);
    CHECK(PyModule_FromDefAndSpec2(&unstatic_def, bad_spec, PYTHON_API_VERSION) == NULL);
    CHECK_RAISED(PyExc_SystemError, "slots included from PyModuleDef must be static");
    CHECK(PyModule_FromDefAndSpec2(&name_def, bad_spec, PYTHON_API_VERSION) == NULL);
    CHECK_RAISED(PyExc_SystemError, "module ob_module2_bad: Py_mod_name conflicts with PyModuleDef.m_name");
    CHECK(PyModule_FromDefAndSpec2(&type_def, bad_spec, PYTHON_API_VERSION) == NULL);
    CHECK_RAISED(PyExc_SystemError, "invalid module slot 95 (Py_tp_name)");
    CHECK(PyModule_FromDefAndSpec2(&two_creates_def, bad_spec, PYTHON_API_VERSION) == NULL);
    CHECK_RAISED(PyExc_SystemError, "module ob_module2_bad has multiple Py_mod_create (84) slots");
    CHECK(PyModule_FromDefAndSpec2(&null_exec_def, bad_spec, PYTHON_API_VERSION) == NULL);
    CHECK_RAISED(PyExc_SystemError, "NULL not allowed for slot Py_mod_exec");
    Py_DECREF(bad_spec);
    Py_RETURN_NONE;
}
#endif

static PyObject *test_type_during_gc(PyObject *m, PyObject *unused) {
    PyTypeObject *owned = (PyTypeObject *)PyDict_GetItemString(PyModule_GetDict(m), "Owned"), *base = NULL;
    void *token = NULL;
    CHECK(owned);
    /* Borrowed references, no errors set when absent. */
    CHECK(PyType_GetModule_DuringGC(owned) == m);
    CHECK(PyType_GetModuleState_DuringGC(owned) == PyModule_GetState(m));
    CHECK(PyType_GetModule_DuringGC(&PyLong_Type) == NULL);
    PyErr_Clear();
    CHECK(PyModule_GetToken(m, &token) == 0 && token != NULL);
    CHECK(PyType_GetModuleByToken_DuringGC(owned, token) == m);
    CHECK(PyType_GetModuleByToken_DuringGC(owned, &token) == NULL);
    PyErr_Clear();
    CHECK(PyType_GetBaseByToken_DuringGC(owned, &Owned_spec, &base) == 1 && base == owned);
    CHECK(PyType_GetBaseByToken_DuringGC(&PyLong_Type, &Owned_spec, &base) == 0 && base == NULL);
    Py_RETURN_NONE;
}
#endif

static PyMethodDef methods[] = {
    {"test_module_attributes", test_module_attributes, METH_NOARGS, NULL},
    {"test_type_names", test_type_names, METH_NOARGS, NULL},
    {"test_type_ready_and_cache", test_type_ready_and_cache, METH_NOARGS, NULL},
#if HAVE_MODULEDEF
    {"test_from_def_and_spec", test_from_def_and_spec, METH_NOARGS, NULL},
    {"test_state_add_module", test_state_add_module, METH_NOARGS, NULL},
#endif
#if API_AT_LEAST(0x030F0000)
    {"test_abi_info", test_abi_info, METH_NOARGS, NULL},
#if HAVE_MODULEDEF
    {"test_def_slot_checks", test_def_slot_checks, METH_NOARGS, NULL},
#endif
    {"test_type_during_gc", test_type_during_gc, METH_NOARGS, NULL},
#endif
    {NULL, NULL, 0, NULL},
};

static PyType_Slot Thing_slots[] = {{0, NULL}};
static PyType_Spec Thing_spec = {"ob_module2.Thing", 0, 0, Py_TPFLAGS_DEFAULT, Thing_slots};


static int exec_module(PyObject *m) {
    PyObject *t = PyType_FromSpec(&Thing_spec);
    if (!t || PyModule_AddObject(m, "Thing", t) < 0) { Py_XDECREF(t); return -1; }
#if API_AT_LEAST(0x030F0000)
    t = PyType_FromModuleAndSpec(m, &Owned_spec, NULL);
    if (!t || PyModule_AddObject(m, "Owned", t) < 0) { Py_XDECREF(t); return -1; }
#endif
    return 0;
}

EXT_TEST_MODULE(ob_module2, methods, exec_module)
