/*
 * descr_members: descriptors made from C definitions (PyDescr_NewMethod/ClassMethod/Member/
 * GetSet), PyMember_GetOne/SetOne on a C struct, and PyWrapper_New on a slot wrapper.
 */
#include "ext_test.h"
#include <structmember.h>
#include <stddef.h>

struct fake {
    PyObject_HEAD
    int i;
    double d;
    PyObject *o;
};

static struct fake fake_obj;

static PyMemberDef members[] = {
    {"i", T_INT, offsetof(struct fake, i), 0, NULL},
    {"d", T_DOUBLE, offsetof(struct fake, d), READONLY, NULL},
    {"o", T_OBJECT_EX, offsetof(struct fake, o), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyObject *get_answer(PyObject *self, void *closure) { return PyLong_FromLong(42); }

static PyGetSetDef getsets[] = {{"answer", get_answer, NULL, NULL, NULL}, {NULL, NULL, NULL, NULL, NULL}};

static PyObject *size_of(PyObject *self, PyObject *unused) { return PyLong_FromSsize_t(PyObject_Size(self)); }
static PyObject *cls_name(PyObject *cls, PyObject *unused) { return PyObject_GetAttrString(cls, "__name__"); }

static PyMethodDef size_def = {"size_of", size_of, METH_NOARGS, NULL};
static PyMethodDef cls_def = {"cls_name", cls_name, METH_NOARGS | METH_CLASS, NULL};

static int str_is(PyObject *s, const char *expect) {
    PyObject *b = s ? PyUnicode_AsUTF8String(s) : NULL;
    int ok = b && strcmp(PyBytes_AsString(b), expect) == 0;
    if (!ok && b) fprintf(stderr, "got %s\n", PyBytes_AsString(b));
    Py_XDECREF(b);
    return ok;
}

static PyObject *test_member_get_set(PyObject *m, PyObject *unused) {
    PyObject *v, *nine = PyLong_FromLong(9), *s = PyUnicode_FromString("s");
    if (!nine || !s) return NULL;
    fake_obj.i = 7;
    fake_obj.d = 2.5;
    fake_obj.o = NULL;
    v = PyMember_GetOne((const char *)&fake_obj, &members[0]);
    CHECK(v && PyLong_AsLong(v) == 7);
    Py_DECREF(v);
    v = PyMember_GetOne((const char *)&fake_obj, &members[1]);
    CHECK(v && PyFloat_AsDouble(v) == 2.5);
    Py_DECREF(v);
    CHECK(PyMember_SetOne((char *)&fake_obj, &members[0], nine) == 0 && fake_obj.i == 9);
    CHECK(PyMember_SetOne((char *)&fake_obj, &members[0], s) == -1);
    CHECK_RAISED(PyExc_TypeError, NULL);
    CHECK(PyMember_SetOne((char *)&fake_obj, &members[1], nine) == -1);
    CHECK_RAISED(PyExc_AttributeError, "readonly attribute");
    CHECK(PyMember_GetOne((const char *)&fake_obj, &members[2]) == NULL);
    CHECK_RAISED(PyExc_AttributeError, "'object' object has no attribute 'o'");
    CHECK(PyMember_SetOne((char *)&fake_obj, &members[2], s) == 0 && fake_obj.o == s);
    v = PyMember_GetOne((const char *)&fake_obj, &members[2]);
    CHECK(v == s);
    Py_DECREF(v);
    CHECK(PyMember_SetOne((char *)&fake_obj, &members[2], NULL) == 0 && fake_obj.o == NULL);
    Py_DECREF(nine); Py_DECREF(s);
    Py_RETURN_NONE;
}

static PyObject *test_descriptors(PyObject *m, PyObject *unused) {
    PyObject *d, *v, *l = PyList_New(3), *args;
    if (!l) return NULL;
    d = PyDescr_NewMember(&PyBaseObject_Type, &members[0]);
    CHECK(d);
    v = PyObject_GetAttrString(d, "__name__");
    CHECK(str_is(v, "i"));
    Py_DECREF(v);
    Py_DECREF(d);
    d = PyDescr_NewGetSet(&PyBaseObject_Type, getsets);
    CHECK(d);
    v = PyObject_CallMethod(d, "__get__", "O", l);
    CHECK(v && PyLong_AsLong(v) == 42);
    Py_DECREF(v);
    Py_DECREF(d);
    d = PyDescr_NewMethod(&PyList_Type, &size_def);
    CHECK(d);
    args = PyTuple_New(1);
    Py_INCREF(l);
    PyTuple_SetItem(args, 0, l);
    v = PyObject_Call(d, args, NULL);
    CHECK(v && PyLong_AsLong(v) == 3);
    Py_DECREF(v);
    Py_DECREF(args);
    v = PyObject_Repr(d);
    CHECK(str_is(v, "<method 'size_of' of 'list' objects>"));
    Py_DECREF(v);
    Py_DECREF(d);
    d = PyDescr_NewClassMethod(&PyList_Type, &cls_def);
    CHECK(d);
    v = PyObject_CallMethod(d, "__get__", "OO", l, (PyObject *)&PyList_Type);
    CHECK(v != NULL);
    if (v) {
        PyObject *r = PyObject_CallObject(v, NULL);
        CHECK(str_is(r, "list"));
        Py_XDECREF(r);
        Py_DECREF(v);
    }
    Py_DECREF(d);
    Py_DECREF(l);
    Py_RETURN_NONE;
}

static PyObject *test_wrapper_new(PyObject *m, PyObject *unused) {
    PyObject *add = PyObject_GetAttrString((PyObject *)&PyLong_Type, "__add__"), *five = PyLong_FromLong(5), *s = PyUnicode_FromString("s"), *bound, *r;
    if (!add || !five || !s) return NULL;
    bound = PyWrapper_New(add, five);
    CHECK(bound);
    r = PyObject_CallFunction(bound, "i", 3);
    CHECK(r && PyLong_AsLong(r) == 8);
    Py_DECREF(r);
    Py_DECREF(bound);
    /* The slot answers NotImplemented for an operand it does not know. */
    bound = PyWrapper_New(add, five);
    r = bound ? PyObject_CallFunction(bound, "O", s) : NULL;
    CHECK(r == Py_NotImplemented);
    Py_DECREF(r);
    Py_DECREF(bound);
    Py_DECREF(add); Py_DECREF(five); Py_DECREF(s);
    Py_RETURN_NONE;
}

#if Py_LIMITED_API+0 >= 0x030F0000
/* A dying object without tp_finalize: nothing runs, and it stays dead. */
static PyObject *test_finalizer_from_dealloc(PyObject *m, PyObject *unused) {
    static struct fake dying;
    Py_SET_TYPE((PyObject *)&dying, &PyBaseObject_Type);
    Py_SET_REFCNT((PyObject *)&dying, 0);
    CHECK(PyObject_CallFinalizerFromDealloc((PyObject *)&dying) == 0);
    Py_RETURN_NONE;
}
#endif

static PyMethodDef methods[] = {
#if Py_LIMITED_API+0 >= 0x030F0000
    {"test_finalizer_from_dealloc", test_finalizer_from_dealloc, METH_NOARGS, NULL},
#endif
    {"test_member_get_set", test_member_get_set, METH_NOARGS, NULL},
    {"test_descriptors", test_descriptors, METH_NOARGS, NULL},
    {"test_wrapper_new", test_wrapper_new, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_descr(PyObject *m) {
    /* A C object of type `object` that is never freed (static storage). */
    Py_SET_REFCNT((PyObject *)&fake_obj, 1);
    Py_SET_TYPE((PyObject *)&fake_obj, &PyBaseObject_Type);
    return 0;
}

EXT_TEST_MODULE(descr_members, methods, exec_descr)
