/*
 * buffer: memoryviews from C (PyMemoryView_FromObject/FromMemory/FromBuffer/GetContiguous),
 * the buffer protocol of memoryview itself (strided views, exports, release), and the
 * Py_buffer helpers (PyBuffer_GetPointer/ToContiguous/FromContiguous/FillContiguousStrides/
 * SizeFromFormat, PyObject_CopyData).
 */
#include "ext_test.h"

#if defined(Py_LIMITED_API)
#define LIMITED_AT_LEAST(v) (Py_LIMITED_API+0 >= (v))
#else
#define LIMITED_AT_LEAST(v) 1
#endif

/* Old limited headers do not name the PyMemoryView_GetContiguous buffer types. */
#ifndef PyBUF_READ
#define PyBUF_READ 0x100
#define PyBUF_WRITE 0x200
#endif

static int bytes_equal(PyObject *o, const char *expect, Py_ssize_t n) {
    PyObject *b = PyObject_CallMethod(o, "tobytes", NULL);
    int ok = b && PyBytes_Check(b) && PyBytes_Size(b) == n && memcmp(PyBytes_AsString(b), expect, n) == 0;
    Py_XDECREF(b);
    return ok;
}

/* o[::step] */
static PyObject *stepped(PyObject *o, long step) {
    PyObject *s = PyLong_FromLong(step), *sl, *r;
    if (!s) return NULL;
    sl = PySlice_New(NULL, NULL, s);
    Py_DECREF(s);
    if (!sl) return NULL;
    r = PyObject_GetItem(o, sl);
    Py_DECREF(sl);
    return r;
}

static PyObject *test_from_object(PyObject *m, PyObject *unused) {
    PyObject *b = PyBytes_FromString("abcdef"), *mv, *x, *five = PyLong_FromLong(5), *mv2;
    if (!b || !five) return NULL;
    mv = PyMemoryView_FromObject(b);
    CHECK(mv && PyMemoryView_Check(mv) && PyObject_Size(mv) == 6);
    x = PyObject_GetItem(mv, five);
    CHECK(x && PyLong_AsLong(x) == 'f');
    Py_DECREF(x);
    x = PyObject_GetAttrString(mv, "obj");
    CHECK(x == b);
    Py_DECREF(x);
    /* A memoryview of a memoryview shares the buffer. */
    mv2 = PyMemoryView_FromObject(mv);
    CHECK(mv2 && mv2 != mv && bytes_equal(mv2, "abcdef", 6));
    Py_DECREF(mv2);
    CHECK(PyObject_SetItem(mv, five, five) == -1);
    CHECK_RAISED(PyExc_TypeError, "cannot modify read-only memory");
    CHECK(PyMemoryView_FromObject(five) == NULL);
    CHECK_RAISED(PyExc_TypeError, "memoryview: a bytes-like object is required, not 'int'");
    Py_DECREF(mv); Py_DECREF(b); Py_DECREF(five);
    Py_RETURN_NONE;
}

static PyObject *test_get_contiguous(PyObject *m, PyObject *unused) {
    PyObject *b = PyBytes_FromString("abcdef"), *mv, *odd, *c;
    if (!b) return NULL;
    c = PyMemoryView_GetContiguous(b, PyBUF_READ, 'C');
    CHECK(c && PyMemoryView_Check(c) && bytes_equal(c, "abcdef", 6));
    Py_DECREF(c);
    mv = PyMemoryView_FromObject(b);
    odd = stepped(mv, 2);
    CHECK(odd && bytes_equal(odd, "ace", 3));
    c = PyMemoryView_GetContiguous(odd, PyBUF_READ, 'C');
    CHECK(c && bytes_equal(c, "ace", 3));
    Py_DECREF(c);
    CHECK(PyMemoryView_GetContiguous(odd, PyBUF_WRITE, 'C') == NULL);
    CHECK_RAISED(PyExc_BufferError, "underlying buffer is not writable");
    Py_DECREF(odd); Py_DECREF(mv); Py_DECREF(b);
    b = PyByteArray_FromStringAndSize("abcdef", 6);
    mv = PyMemoryView_FromObject(b);
    odd = stepped(mv, 2);
    CHECK(odd);
    CHECK(PyMemoryView_GetContiguous(odd, PyBUF_WRITE, 'C') == NULL);
    CHECK_RAISED(PyExc_BufferError, "writable contiguous buffer requested for a non-contiguous object.");
    Py_DECREF(odd); Py_DECREF(mv); Py_DECREF(b);
    Py_RETURN_NONE;
}

#if LIMITED_AT_LEAST(0x03030000)
static char memory[4] = {'w', 'x', 'y', 'z'};

static PyObject *test_from_memory(PyObject *m, PyObject *unused) {
    PyObject *mv = PyMemoryView_FromMemory(memory, 4, PyBUF_WRITE), *zero = PyLong_FromLong(0), *a = PyLong_FromLong('A'), *ro;
    if (!mv || !zero || !a) return NULL;
    CHECK(PyObject_SetItem(mv, zero, a) == 0 && memory[0] == 'A');
    memory[0] = 'w';
    ro = PyMemoryView_FromMemory(memory, 4, PyBUF_READ);
    CHECK(ro && bytes_equal(ro, "wxyz", 4));
    CHECK(PyObject_SetItem(ro, zero, a) == -1);
    CHECK_RAISED(PyExc_TypeError, "cannot modify read-only memory");
    Py_DECREF(ro); Py_DECREF(mv); Py_DECREF(zero); Py_DECREF(a);
    Py_RETURN_NONE;
}
#endif

#if LIMITED_AT_LEAST(0x030B0000)
static PyObject *test_strided_buffers(PyObject *m, PyObject *unused) {
    PyObject *b = PyBytes_FromString("abcdef"), *mv, *odd, *copy, *r;
    Py_buffer view;
    Py_ssize_t one = 1;
    char out[8];
    if (!b) return NULL;
    mv = PyMemoryView_FromObject(b);
    odd = stepped(mv, 2);
    if (!odd) return NULL;
    CHECK(PyObject_GetBuffer(odd, &view, PyBUF_FULL_RO) == 0);
    CHECK(view.ndim == 1 && view.len == 3 && view.itemsize == 1 && view.strides[0] == 2 && view.obj == odd);
    CHECK(strcmp(view.format, "B") == 0);
    CHECK(PyBuffer_IsContiguous(&view, 'C') == 0);
    CHECK(*(char *)PyBuffer_GetPointer(&view, &one) == 'c');
    CHECK(PyBuffer_ToContiguous(out, &view, 3, 'C') == 0 && memcmp(out, "ace", 3) == 0);
    CHECK(PyBuffer_ToContiguous(out, &view, 2, 'C') == -1);
    CHECK_RAISED(PyExc_ValueError, "PyBuffer_ToContiguous: len != view->len");
    /* The exporting memoryview cannot be released while the export lives. */
    r = PyObject_CallMethod(odd, "release", NULL);
    CHECK(r == NULL);
    CHECK_RAISED(PyExc_BufferError, "memoryview has 1 exported buffer");
    /* A memoryview of the description (not keeping view.obj). */
    copy = PyMemoryView_FromBuffer(&view);
    CHECK(copy && bytes_equal(copy, "ace", 3));
    Py_DECREF(copy);
    PyBuffer_Release(&view);
    r = PyObject_CallMethod(odd, "release", NULL);
    CHECK(r == Py_None);
    Py_DECREF(r);
    odd = (Py_DECREF(odd), stepped(mv, 2));
    CHECK(PyObject_GetBuffer(odd, &view, PyBUF_SIMPLE) == -1);
    CHECK_RAISED(PyExc_BufferError, "memoryview: underlying buffer is not C-contiguous");
    CHECK(PyObject_GetBuffer(mv, &view, PyBUF_WRITABLE) == -1);
    CHECK_RAISED(PyExc_BufferError, "memoryview: underlying buffer is not writable");
    Py_DECREF(odd); Py_DECREF(mv); Py_DECREF(b);
    Py_RETURN_NONE;
}

static PyObject *test_helpers(PyObject *m, PyObject *unused) {
    Py_ssize_t shape[2] = {2, 3}, strides[2] = {0, 0};
    PyObject *ba = PyByteArray_FromStringAndSize("......", 6), *mv, *even, *src = PyBytes_FromString("XYZ"), *five = PyLong_FromLong(5);
    Py_buffer view;
    if (!ba || !src || !five) return NULL;
    PyBuffer_FillContiguousStrides(2, shape, strides, 4, 'C');
    CHECK(strides[0] == 12 && strides[1] == 4);
    PyBuffer_FillContiguousStrides(2, shape, strides, 4, 'F');
    CHECK(strides[0] == 4 && strides[1] == 8);
    CHECK(PyBuffer_SizeFromFormat("i") == 4);
    CHECK(PyBuffer_SizeFromFormat("3h") == 6);
    CHECK(PyBuffer_SizeFromFormat("d") == 8);
    mv = PyMemoryView_FromObject(ba);
    even = stepped(mv, 2);
    CHECK(even && PyObject_GetBuffer(even, &view, PyBUF_FULL) == 0);
    CHECK(PyBuffer_FromContiguous(&view, "XYZ", 3, 'C') == 0);
    PyBuffer_Release(&view);
    CHECK(memcmp(PyByteArray_AsString(ba), "X.Y.Z.", 6) == 0);
    Py_DECREF(even);
    Py_DECREF(mv);
    CHECK(PyObject_CopyData(ba, src) == 0);
    CHECK(memcmp(PyByteArray_AsString(ba), "XYZ.Z.", 6) == 0);
    CHECK(PyObject_CopyData(src, ba) == -1);
    CHECK_RAISED(PyExc_BufferError, NULL);
    CHECK(PyObject_CopyData(five, src) == -1);
    CHECK_RAISED(PyExc_TypeError, "both destination and source must be bytes-like objects");
    Py_DECREF(ba); Py_DECREF(src); Py_DECREF(five);
    Py_RETURN_NONE;
}
#endif

static PyMethodDef methods[] = {
    {"test_from_object", test_from_object, METH_NOARGS, NULL},
    {"test_get_contiguous", test_get_contiguous, METH_NOARGS, NULL},
#if LIMITED_AT_LEAST(0x03030000)
    {"test_from_memory", test_from_memory, METH_NOARGS, NULL},
#endif
#if LIMITED_AT_LEAST(0x030B0000)
    {"test_strided_buffers", test_strided_buffers, METH_NOARGS, NULL},
    {"test_helpers", test_helpers, METH_NOARGS, NULL},
#endif
    {NULL, NULL, 0, NULL},
};

static int exec_buffer(PyObject *m) { return 0; }

EXT_TEST_MODULE(buffer, methods, exec_buffer)
