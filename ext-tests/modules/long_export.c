/*
 * long_export: 3.15's int import/export API (longobject.h): PyLong_GetNativeLayout,
 * PyLong_Export/PyLong_FreeExport (64-bit values and digit arrays), and PyLongWriter_Create/
 * Finish/Discard (normalisation, small-int caching, errors).
 */
#include "ext_test.h"

static PyObject *test_layout(PyObject *m, PyObject *unused) {
    const PyLongLayout *l = PyLong_GetNativeLayout();
    CHECK(l && l->bits_per_digit == 30 && l->digit_size == 4 && l->digits_order == -1 && l->digit_endianness == -1);
    Py_RETURN_NONE;
}

static PyObject *test_export(PyObject *m, PyObject *unused) {
    PyLongExport e;
    PyObject *small = PyLong_FromLong(-123), *big = PyLong_FromString("1267650600228229401496703205376", NULL, 10), *neg, *s;
    const uint32_t *d;
    if (!small || !big) return NULL;
    CHECK(PyLong_Export(small, &e) == 0 && e.value == -123 && e.digits == NULL && e.ndigits == 0);
    PyLong_FreeExport(&e);
    /* 2**100: four 30-bit digits, the top one 2**10. */
    CHECK(PyLong_Export(big, &e) == 0 && e.value == 0 && e.negative == 0 && e.ndigits == 4);
    d = (const uint32_t *)e.digits;
    CHECK(d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] == 1024);
    PyLong_FreeExport(&e);
    neg = PyNumber_Negative(big);
    CHECK(neg && PyLong_Export(neg, &e) == 0 && e.negative == 1 && e.ndigits == 4);
    PyLong_FreeExport(&e);
    s = PyUnicode_FromString("x");
    e.value = 77;
    CHECK(PyLong_Export(s, &e) == -1 && e.value == 0 && e.digits == NULL);
    CHECK_RAISED(PyExc_TypeError, "expect int, got str");
    Py_DECREF(small); Py_DECREF(big); Py_DECREF(neg); Py_DECREF(s);
    Py_RETURN_NONE;
}

static PyObject *test_writer(PyObject *m, PyObject *unused) {
    void *digits = (void *)1;
    uint32_t *d;
    PyObject *r, *expect, *minus5;
    PyLongWriter *w = PyLongWriter_Create(0, 3, &digits);
    CHECK(w && digits);
    d = digits;
    d[0] = 1; d[1] = 0; d[2] = 1;
    r = PyLongWriter_Finish(w);
    expect = PyLong_FromString("1152921504606846977", NULL, 10);   /* 2**60 + 1 */
    CHECK(r && expect && PyObject_RichCompareBool(r, expect, Py_EQ) == 1);
    Py_DECREF(r); Py_DECREF(expect);
    /* Leading zero digits go; small values come back as the cached ints. */
    w = PyLongWriter_Create(1, 2, &digits);
    d = digits;
    d[0] = 5; d[1] = 0;
    r = PyLongWriter_Finish(w);
    minus5 = PyLong_FromLong(-5);
    CHECK(r && r == minus5);
    Py_DECREF(r); Py_DECREF(minus5);
    w = PyLongWriter_Create(1, 2, &digits);
    d = digits;
    d[0] = 0; d[1] = 0;
    r = PyLongWriter_Finish(w);
    CHECK(r && PyLong_AsLong(r) == 0);
    Py_DECREF(r);
    w = PyLongWriter_Create(0, 5, &digits);
    CHECK(w);
    PyLongWriter_Discard(w);
    PyLongWriter_Discard(NULL);
    CHECK(PyLongWriter_Create(0, 0, &digits) == NULL && digits == NULL);
    CHECK_RAISED(PyExc_ValueError, "ndigits must be positive");
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"test_layout", test_layout, METH_NOARGS, NULL},
    {"test_export", test_export, METH_NOARGS, NULL},
    {"test_writer", test_writer, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_long_export(PyObject *m) { return 0; }

EXT_TEST_MODULE(long_export, methods, exec_long_export)
