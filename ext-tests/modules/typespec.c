/*
 * typespec: heap types made from specs (PyType_FromSpec and family, 3.15 PyType_FromSlots),
 * their slots, members, getsets, methods and docstrings, the errors CPython raises for bad
 * specs, module association (PyType_GetModule*, 3.10+), PEP 697 type data (3.12+) and
 * PyType_Freeze (3.14+). The Python-level behaviour of the types is checked by
 * ext-tests/drivers/check_typespec.py.
 */
#include "ext_test.h"
#include <stddef.h>

#define API_AT_LEAST(v) (!defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= (v))

/* ---- Point: a plain type with members, a getset, methods and number/sequence slots ----
 * With 3.12+ APIs its data follows the base's (negative basicsize, PyObject_GetTypeData,
 * Py_RELATIVE_OFFSET members), the only way abi3t builds can have instance data; older builds
 * use a struct with PyObject_HEAD and also give instances a __dict__ and weak references
 * through the special offset members. */

#ifndef Py_T_LONG
#include <structmember.h>
#define Py_T_LONG T_LONG
#define Py_T_OBJECT_EX T_OBJECT_EX
#define Py_T_PYSSIZET T_PYSSIZET
#define Py_READONLY READONLY
#endif

#if API_AT_LEAST(0x030C0000)
#define POINT_TYPE_DATA 1
typedef struct { long x, y; PyObject *tag; } PointData;
static PyTypeObject *PointType;
#define D(o) ((PointData *)PyObject_GetTypeData((PyObject *)(o), PointType))
#define OFF(f) offsetof(PointData, f)
#define MFLAGS Py_RELATIVE_OFFSET
#define POINT_BASICSIZE (-(int)sizeof(PointData))
#else
#define POINT_TYPE_DATA 0
typedef struct { PyObject_HEAD long x, y; PyObject *tag; PyObject *dict; PyObject *weakrefs; } PointData;
#define D(o) ((PointData *)(o))
#define OFF(f) offsetof(PointData, f)
#define MFLAGS 0
#define POINT_BASICSIZE ((int)sizeof(PointData))
#endif

static PyObject *Point_new(PyTypeObject *t, PyObject *args, PyObject *kw) {
    long x = 0, y = 0;
    PyObject *p;
    if (!PyArg_ParseTuple(args, "|ll:Point", &x, &y)) return NULL;
    p = PyType_GenericAlloc(t, 0);
    if (!p) return NULL;
    D(p)->x = x;
    D(p)->y = y;
    return p;
}

static void Point_dealloc(PyObject *o) {
    PyTypeObject *t = Py_TYPE(o);
    freefunc tp_free = (freefunc)PyType_GetSlot(t, Py_tp_free);
#if !POINT_TYPE_DATA
    if (D(o)->weakrefs) PyObject_ClearWeakRefs(o);
    Py_CLEAR(D(o)->dict);
#endif
    Py_CLEAR(D(o)->tag);
    tp_free(o);
    Py_DECREF(t);
}

static PyObject *Point_repr(PyObject *o) {
    return PyUnicode_FromFormat("Point(%ld, %ld)", D(o)->x, D(o)->y);
}

static PyObject *Point_add(PyObject *a, PyObject *b) {
    PyObject *t = (PyObject *)Py_TYPE(a);
    if (!PyObject_TypeCheck(b, Py_TYPE(a))) Py_RETURN_NOTIMPLEMENTED;
    return PyObject_CallFunction(t, "ll", D(a)->x + D(b)->x, D(a)->y + D(b)->y);
}

static Py_ssize_t Point_len(PyObject *o) { return 2; }

static PyObject *Point_item(PyObject *o, Py_ssize_t i) {
    if (i < 0 || i > 1) { PyErr_SetString(PyExc_IndexError, "Point index out of range"); return NULL; }
    return PyLong_FromLong(i == 0 ? D(o)->x : D(o)->y);
}

static PyObject *Point_richcompare(PyObject *a, PyObject *b, int op) {
    int eq;
    if (!PyObject_TypeCheck(b, Py_TYPE(a)) || (op != Py_EQ && op != Py_NE)) Py_RETURN_NOTIMPLEMENTED;
    eq = D(a)->x == D(b)->x && D(a)->y == D(b)->y;
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static PyObject *Point_norm1(PyObject *o, PyObject *unused) {
    long x = D(o)->x, y = D(o)->y;
    return PyLong_FromLong((x < 0 ? -x : x) + (y < 0 ? -y : y));
}

static PyObject *Point_scaled(PyObject *o, PyObject *k) {
    long f = PyLong_AsLong(k);
    if (f == -1 && PyErr_Occurred()) return NULL;
    return PyObject_CallFunction((PyObject *)Py_TYPE(o), "ll", D(o)->x * f, D(o)->y * f);
}

static PyObject *Point_get_sum(PyObject *o, void *closure) {
    return PyLong_FromLong(D(o)->x + D(o)->y);
}

static int Point_set_sum(PyObject *o, PyObject *v, void *closure) {
    long s;
    if (!v) { PyErr_SetString(PyExc_AttributeError, "cannot delete sum"); return -1; }
    s = PyLong_AsLong(v);
    if (s == -1 && PyErr_Occurred()) return -1;
    D(o)->y = s - D(o)->x;
    return 0;
}

static PyMemberDef Point_members[] = {
    {"x", Py_T_LONG, OFF(x), MFLAGS, "the x coordinate"},
    {"y", Py_T_LONG, OFF(y), MFLAGS | Py_READONLY, NULL},
    {"tag", Py_T_OBJECT_EX, OFF(tag), MFLAGS, NULL},
#if !POINT_TYPE_DATA && API_AT_LEAST(0x030A0000)
    {"__dictoffset__", Py_T_PYSSIZET, OFF(dict), Py_READONLY, NULL},
    {"__weaklistoffset__", Py_T_PYSSIZET, OFF(weakrefs), Py_READONLY, NULL},
#endif
    {NULL}
};

static PyGetSetDef Point_getset[] = {
    {"sum", Point_get_sum, Point_set_sum, "x + y", NULL},
#if !POINT_TYPE_DATA && API_AT_LEAST(0x030A0000)
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL, NULL},
#endif
    {NULL}
};

static PyMethodDef Point_methods[] = {
    {"norm1", Point_norm1, METH_NOARGS, "The 1-norm."},
    {"scaled", Point_scaled, METH_O, NULL},
    {NULL}
};

static PyType_Slot Point_slots[] = {
    {Py_tp_new, Point_new},
    {Py_tp_dealloc, Point_dealloc},
    {Py_tp_repr, Point_repr},
    {Py_tp_richcompare, Point_richcompare},
    {Py_nb_add, Point_add},
    {Py_sq_length, Point_len},
    {Py_sq_item, Point_item},
    {Py_tp_members, Point_members},
    {Py_tp_getset, Point_getset},
    {Py_tp_methods, Point_methods},
    {Py_tp_doc, "Point(x=0, y=0)\n--\n\nA point in the plane."},
    {0, NULL}
};

static PyType_Spec Point_spec = {"typespec.Point", POINT_BASICSIZE, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, Point_slots};

/* ---- A type that cannot be subclassed and one whose spec is wrong ---- */

static PyType_Slot Final_slots[] = {{Py_tp_doc, "final"}, {0, NULL}};
static PyType_Spec Final_spec = {"typespec.Final", 0, 0, Py_TPFLAGS_DEFAULT, Final_slots};

static PyType_Slot Bad_slots[] = {{1000, NULL}, {0, NULL}};
static PyType_Spec Bad_spec = {"typespec.Bad", 0, 0, Py_TPFLAGS_DEFAULT, Bad_slots};

static PyType_Slot NoDot_slots[] = {{0, NULL}};
static PyType_Spec NoDot_spec = {"NoDot", 0, 0, Py_TPFLAGS_DEFAULT, NoDot_slots};

/* ---- tests ----
 * Types are made once and kept (`made`): later rounds check the same types. A heap type
 * refers to itself through its MRO, so only a cyclic collector frees one, and Pyrite has none
 * yet; making new types every round would defeat the leak check of the other objects. */

static PyObject *made[11];
#define ONCE(i, expr) (made[i] ? made[i] : (made[i] = (expr)))

static PyObject *test_from_spec_names(PyObject *m, PyObject *unused) {
    PyObject *t = ONCE(0, PyType_FromSpec(&NoDot_spec)), *name, *mod;
    if (!t) return NULL;
    name = PyObject_GetAttrString(t, "__name__");
    CHECK(name && PyUnicode_CompareWithASCIIString(name, "NoDot") == 0);
    Py_XDECREF(name);
    /* No dot, no module: CPython sets no __module__ (and warns, DeprecationWarning). */
    mod = PyObject_GetAttrString(t, "__module__");
    CHECK(mod == NULL);
    CHECK_RAISED(PyExc_AttributeError, "__module__");
    CHECK(PyType_GetFlags((PyTypeObject *)t) & Py_TPFLAGS_HEAPTYPE);
    Py_RETURN_NONE;
}

static PyObject *test_bad_specs(PyObject *m, PyObject *unused) {
    PyObject *final, *bases, *t;
    long version = ext_test_runtime_hexversion();
    CHECK(PyType_FromSpec(&Bad_spec) == NULL);
    if (version >= 0x030F0000) {
        CHECK_RAISED(PyExc_SystemError, "unknown type slot ID 1000");
    } else {
        CHECK_RAISED(PyExc_RuntimeError, "invalid slot offset");
    }
    final = ONCE(8, PyType_FromSpec(&Final_spec));
    if (!final) return NULL;
    bases = PyTuple_Pack(1, final);
    t = PyType_FromSpecWithBases(&NoDot_spec, bases);
    Py_DECREF(bases);
    CHECK(t == NULL);
    CHECK_RAISED(PyExc_TypeError, "type 'typespec.Final' is not an acceptable base type");
    Py_RETURN_NONE;
}

static PyObject *test_exception_subclass(PyObject *m, PyObject *unused) {
    static PyType_Slot slots[] = {{0, NULL}};
    static PyType_Spec spec = {"typespec.MyError", 0, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, slots};
    static PyType_Spec gc_spec = {"typespec.GCError", 0, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, slots};
    PyObject *t = PyType_FromSpecWithBases(&gc_spec, PyExc_ValueError), *e;
    CHECK(t == NULL);
    CHECK_RAISED(PyExc_SystemError, "type typespec.GCError has the Py_TPFLAGS_HAVE_GC flag but has no traverse function");
    t = ONCE(1, PyType_FromSpecWithBases(&spec, PyExc_ValueError));
    if (!t) return NULL;
    CHECK(PyType_GetFlags((PyTypeObject *)t) & Py_TPFLAGS_HAVE_GC);
    CHECK(PyObject_IsSubclass(t, PyExc_ValueError) == 1);
    e = PyObject_CallFunction(t, "s", "boom");
    CHECK(e && PyObject_IsInstance(e, PyExc_Exception) == 1);
    Py_XDECREF(e);
    PyErr_SetString(t, "raised");
    CHECK(PyErr_ExceptionMatches(PyExc_ValueError));
    PyErr_Clear();
    Py_RETURN_NONE;
}

static PyObject *test_new_exception(PyObject *m, PyObject *unused) {
    PyObject *e = ONCE(2, PyErr_NewException("typespec.Oops", NULL, NULL)), *mod, *e2, *bases, *doc;
    if (!e) return NULL;
    CHECK(PyObject_IsSubclass(e, PyExc_Exception) == 1);
    mod = PyObject_GetAttrString(e, "__module__");
    CHECK(mod && PyUnicode_CompareWithASCIIString(mod, "typespec") == 0);
    Py_XDECREF(mod);
    if (!made[3]) {
        bases = PyTuple_Pack(2, PyExc_KeyError, e);
        made[3] = PyErr_NewExceptionWithDoc("typespec.Both", "Both kinds.", bases, NULL);
        Py_DECREF(bases);
    }
    e2 = made[3];
    CHECK(e2 && PyObject_IsSubclass(e2, PyExc_LookupError) == 1 && PyObject_IsSubclass(e2, e) == 1);
    doc = PyObject_GetAttrString(e2, "__doc__");
    CHECK(doc && PyUnicode_CompareWithASCIIString(doc, "Both kinds.") == 0);
    Py_XDECREF(doc);
    CHECK(PyErr_NewException("nodot", NULL, NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError, "PyErr_NewException: name must be module.class");
    Py_RETURN_NONE;
}

#if API_AT_LEAST(0x030A0000)
static PyModuleDef *own_def(void);

static PyObject *test_module_association(PyObject *m, PyObject *unused) {
    static PyType_Slot slots[] = {{0, NULL}};
    static PyType_Spec spec = {"typespec.Owned", 0, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, slots};
    PyObject *t = ONCE(4, PyType_FromModuleAndSpec(m, &spec, NULL));
    if (!t) return NULL;
    CHECK(PyType_GetModule((PyTypeObject *)t) == m);
    CHECK(PyType_GetModule(&PyLong_Type) == NULL);
    CHECK_RAISED(PyExc_TypeError, "PyType_GetModule: Type 'int' is not a heap type");
    if (own_def()) {
        CHECK(PyType_GetModuleState((PyTypeObject *)t) == PyModule_GetState(m));
#if API_AT_LEAST(0x030D0000)
        CHECK(PyType_GetModuleByDef((PyTypeObject *)t, own_def()) == m);
#endif
    }
    Py_RETURN_NONE;
}
#endif

#if API_AT_LEAST(0x030C0000)
typedef struct { long a, b; } extra_data;

static PyObject *test_negative_basicsize(PyObject *m, PyObject *unused) {
    static PyType_Slot slots[] = {{0, NULL}};
    static PyType_Spec spec = {"typespec.WithData", -(int)sizeof(extra_data), 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, slots};
    PyObject *t = ONCE(5, PyType_FromMetaclass(NULL, m, &spec, NULL)), *o;
    extra_data *d;
    if (!t) return NULL;
    CHECK(PyType_GetTypeDataSize((PyTypeObject *)t) >= (Py_ssize_t)sizeof(extra_data));
    o = PyObject_CallNoArgs(t);
    CHECK(o != NULL);
    d = (extra_data *)PyObject_GetTypeData(o, (PyTypeObject *)t);
    CHECK(d && d->a == 0 && d->b == 0);
    d->a = 7;
    CHECK(((extra_data *)PyObject_GetTypeData(o, (PyTypeObject *)t))->a == 7);
    Py_DECREF(o);
    Py_RETURN_NONE;
}
#endif

#if API_AT_LEAST(0x030E0000)
static PyObject *test_freeze(PyObject *m, PyObject *unused) {
    static PyType_Slot slots[] = {{0, NULL}};
    static PyType_Spec spec = {"typespec.Thawed", 0, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, slots};
    PyObject *t = made[6], *one = PyLong_FromLong(1);
    if (!one) return NULL;
    if (!t) {
        t = PyType_FromSpec(&spec);
        if (!t) return NULL;
        CHECK(PyObject_SetAttrString(t, "attr", one) == 0);
        CHECK(PyType_Freeze((PyTypeObject *)t) == 0);
        made[6] = t;
    }
    CHECK(PyType_GetFlags((PyTypeObject *)t) & Py_TPFLAGS_IMMUTABLETYPE);
    CHECK(PyObject_SetAttrString(t, "attr", one) == -1);
    CHECK_RAISED(PyExc_TypeError, "cannot set 'attr' attribute of immutable type 'typespec.Thawed'");
    Py_DECREF(one);
    Py_RETURN_NONE;
}
#endif

#if API_AT_LEAST(0x030F0000)
static PyType_Slot Tokened_slots[] = {{Py_tp_token, Py_TP_USE_SPEC}, {0, NULL}};
static PyType_Spec Tokened_spec = {"typespec.Tokened", 0, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, Tokened_slots};

static PyObject *test_tokens(PyObject *m, PyObject *unused) {
    static PyType_Slot sub_slots[] = {{0, NULL}};
    static PyType_Spec sub_spec = {"typespec.SubTokened", 0, 0, Py_TPFLAGS_DEFAULT, sub_slots};
    PyObject *t = ONCE(9, PyType_FromModuleAndSpec(m, &Tokened_spec, NULL)), *sub, *mod;
    PyTypeObject *found = NULL;
    void *mod_token = NULL;
    if (!t) return NULL;
    sub = ONCE(10, PyType_FromSpecWithBases(&sub_spec, t));
    if (!sub) return NULL;
    CHECK(PyType_GetBaseByToken((PyTypeObject *)sub, &Tokened_spec, &found) == 1);
    CHECK(found == (PyTypeObject *)t);
    Py_DECREF(found);
    CHECK(PyType_GetBaseByToken(&PyLong_Type, &Tokened_spec, &found) == 0 && found == NULL);
    CHECK(PyModule_GetToken(m, &mod_token) == 0 && mod_token != NULL);
    mod = PyType_GetModuleByToken((PyTypeObject *)t, mod_token);
    CHECK(mod == m);
    Py_DECREF(mod);
    CHECK(PyType_GetModuleByToken((PyTypeObject *)t, &found) == NULL);
    CHECK_RAISED(PyExc_TypeError, "PyType_GetModuleByDef: No superclass of 'typespec.Tokened' has the given module");
    Py_RETURN_NONE;
}

static PyObject *test_from_slots(PyObject *m, PyObject *unused) {
    static PySlot legacy_in_new[] = {
        PySlot_STATIC_DATA(Py_tp_name, "typespec.Sloted"),
        PySlot_SIZE(Py_tp_extra_basicsize, sizeof(PointData)),
        PySlot_UINT64(Py_tp_flags, Py_TPFLAGS_DEFAULT),
        PySlot_STATIC_DATA(Py_tp_slots, Point_slots),
        PySlot_END,
    };
    static PySlot no_name[] = {PySlot_SIZE(Py_tp_basicsize, 0), PySlot_END};
    PyObject *t = ONCE(7, PyType_FromSlots(legacy_in_new)), *name;
    if (!t) return NULL;
    /* Same data layout as Point (object header, then PointData). */
    CHECK(PyType_GetTypeDataSize((PyTypeObject *)t) >= (Py_ssize_t)sizeof(PointData));
    name = PyType_GetName((PyTypeObject *)t);
    CHECK(name && PyUnicode_CompareWithASCIIString(name, "Sloted") == 0);
    Py_XDECREF(name);
    CHECK(PyType_FromSlots(no_name) == NULL);
    CHECK(PyErr_ExceptionMatches(PyExc_SystemError));
    PyErr_Clear();
    Py_RETURN_NONE;
}

static PyObject *dummy_add(PyObject *a, PyObject *b) { Py_RETURN_NONE; }
static int dummy_exec(PyObject *m) { return 0; }
static PyMethodDef no_methods[] = {{NULL, NULL, 0, NULL}};

/* PEP 820's checks of slot arrays, in PyType_Spec slots and in PySlot arrays (each case
 * fails before a type is made). */
static PyObject *test_slot_checks(PyObject *m, PyObject *unused) {
    static PyType_Slot two_docs[] = {{Py_tp_doc, "one"}, {Py_tp_doc, "two"}, {0, NULL}};
    static PyType_Spec two_docs_spec = {"typespec.TwoDocs", 0, 0, Py_TPFLAGS_DEFAULT, two_docs};
    static PyType_Slot size_slot[] = {{Py_tp_basicsize, (void *)64}, {0, NULL}};
    static PyType_Spec size_slot_spec = {"typespec.SizeSlot", 0, 0, Py_TPFLAGS_DEFAULT, size_slot};
    static PyType_Slot module_slot[] = {{Py_mod_exec, (void *)dummy_exec}, {0, NULL}};
    static PyType_Spec module_slot_spec = {"typespec.ModSlot", 0, 0, Py_TPFLAGS_DEFAULT, module_slot};
    static PySlot nonstatic_methods[] = {
        PySlot_DATA(Py_tp_name, "typespec.Methods"), PySlot_DATA(Py_tp_methods, no_methods), PySlot_END};
    static PySlot both_sizes[] = {
        PySlot_DATA(Py_tp_name, "typespec.Both"), PySlot_SIZE(Py_tp_basicsize, 64),
        PySlot_SIZE(Py_tp_extra_basicsize, 8), PySlot_END};
    static PySlot null_token[] = {PySlot_DATA(Py_tp_name, "typespec.Token"), PySlot_DATA(Py_tp_token, NULL), PySlot_END};
    static PySlot nameless[] = {PySlot_FUNC(Py_nb_add, dummy_add), PySlot_END};
    static PySlot repeated_name[] = {
        PySlot_DATA(Py_tp_name, "typespec.Twice"), PySlot_DATA(Py_tp_name, "typespec.Twice"), PySlot_END};
    PySlot bases_list[] = {PySlot_DATA(Py_tp_name, "typespec.Listed"), PySlot_DATA(Py_tp_bases, NULL), PySlot_END};
    PyObject *list = PyList_New(0);

    CHECK(PyType_FromSpec(&two_docs_spec) == NULL);
    CHECK_RAISED(PyExc_SystemError, "type typespec.TwoDocs has multiple Py_tp_doc (56) slots");
    CHECK(PyType_FromSpec(&size_slot_spec) == NULL);
    CHECK_RAISED(PyExc_SystemError, "Py_tp_basicsize must not be used with PyType_Spec");
    CHECK(PyType_FromSpec(&module_slot_spec) == NULL);
    CHECK_RAISED(PyExc_SystemError, "invalid type slot 85 (Py_mod_exec)");
    CHECK(PyType_FromSlots(nonstatic_methods) == NULL);
    CHECK_RAISED(PyExc_SystemError, "Py_tp_methods requires PySlot_STATIC");
    CHECK(PyType_FromSlots(both_sizes) == NULL);
    CHECK_RAISED(PyExc_SystemError, "type typespec.Both: Py_tp_basicsize and Py_tp_extra_basicsize are mutually exclusive");
    CHECK(PyType_FromSlots(null_token) == NULL);
    CHECK_RAISED(PyExc_SystemError, "Py_tp_token: Py_TP_USE_SPEC (NULL) can only be used with PyType_Spec");
    CHECK(PyType_FromSlots(nameless) == NULL);
    CHECK_RAISED(PyExc_SystemError, "Py_tp_name slot is required.");
    CHECK(PyType_FromSlots(repeated_name) == NULL);
    CHECK_RAISED(PyExc_SystemError, "type typespec.Twice has multiple Py_tp_name (95) slots");
    CHECK(list);
    bases_list[1].sl_ptr = list;
    CHECK(PyType_FromSlots(bases_list) == NULL);
    CHECK_RAISED(PyExc_TypeError, "bases must be types; got 'list'");
    Py_DECREF(list);
    Py_RETURN_NONE;
}
#endif

static PyMethodDef methods[] = {
    {"test_from_spec_names", test_from_spec_names, METH_NOARGS, NULL},
    {"test_bad_specs", test_bad_specs, METH_NOARGS, NULL},
    {"test_exception_subclass", test_exception_subclass, METH_NOARGS, NULL},
    {"test_new_exception", test_new_exception, METH_NOARGS, NULL},
#if API_AT_LEAST(0x030A0000)
    {"test_module_association", test_module_association, METH_NOARGS, NULL},
#endif
#if API_AT_LEAST(0x030C0000)
    {"test_negative_basicsize", test_negative_basicsize, METH_NOARGS, NULL},
#endif
#if API_AT_LEAST(0x030E0000)
    {"test_freeze", test_freeze, METH_NOARGS, NULL},
#endif
#if API_AT_LEAST(0x030F0000)
    {"test_from_slots", test_from_slots, METH_NOARGS, NULL},
    {"test_tokens", test_tokens, METH_NOARGS, NULL},
    {"test_slot_checks", test_slot_checks, METH_NOARGS, NULL},
#endif
    {NULL, NULL, 0, NULL}
};

static int typespec_exec(PyObject *m) {
    PyObject *point = PyType_FromSpec(&Point_spec);
    if (!point) return -1;
#if POINT_TYPE_DATA
    PointType = (PyTypeObject *)point;  /* the module keeps it alive */
#endif
    if (PyModule_AddObject(m, "Point", point) < 0) { Py_DECREF(point); return -1; }
#if !POINT_TYPE_DATA && API_AT_LEAST(0x030A0000)
    return PyModule_AddIntConstant(m, "POINT_HAS_DICT", 1);
#else
    return PyModule_AddIntConstant(m, "POINT_HAS_DICT", 0);
#endif
}

EXT_TEST_MODULE(typespec, methods, typespec_exec)

#if API_AT_LEAST(0x030A0000)
/* Single-phase modules made by PyModule_Create have a def but (m_size -1) no state; 3.15
 * slot-defined modules have neither a PyModuleDef: module-state checks are skipped there. */
static PyModuleDef *own_def(void) {
#if defined(Py_TARGET_ABI3T) || (defined(Py_LIMITED_API) && Py_LIMITED_API+0 >= 0x030F0000)
    return NULL;
#else
    return &ext_test_def;
#endif
}
#endif
