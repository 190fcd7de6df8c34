/*
 * text: str functions of unicodeobject.h beyond the codecs — building, searching, splitting,
 * joining, comparing, code points and wide characters, UTF-8/Latin-1/ASCII decoding and
 * encoding, interning — with CPython's results and errors.
 */
#include "ext_test.h"
#include <wchar.h>

#define API_AT_LEAST(v) (!defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= (v))

static PyObject *u(const char *text) { return PyUnicode_FromString(text); }

/* `o` is a str equal to `expect`; consumes `o`. */
static int is_str(PyObject *o, const char *expect) {
    int ok = o && PyUnicode_Check(o) && PyUnicode_CompareWithASCIIString(o, expect) == 0;
    Py_XDECREF(o);
    return ok;
}

static PyObject *test_search_and_compare(PyObject *m, PyObject *unused) {
    PyObject *hay = u("abcabc"), *b = u("b"), *x = u("x"), *abc = u("abc");
    CHECK(PyUnicode_GetLength(hay) == 6);
    CHECK(PyUnicode_Find(hay, b, 0, 6, 1) == 1 && PyUnicode_Find(hay, b, 0, 6, -1) == 4);
    CHECK(PyUnicode_Find(hay, x, 0, 6, 1) == -1 && !PyErr_Occurred());
    CHECK(PyUnicode_FindChar(hay, 'c', 0, 6, 1) == 2);
    CHECK(PyUnicode_Count(hay, b, 0, 6) == 2);
    CHECK(PyUnicode_Contains(hay, abc) == 1 && PyUnicode_Contains(hay, x) == 0);
    CHECK(PyUnicode_Tailmatch(hay, abc, 0, 6, 1) == 1 && PyUnicode_Tailmatch(hay, b, 0, 6, -1) == 0);
    CHECK(PyUnicode_Compare(abc, hay) < 0 && PyUnicode_Compare(hay, hay) == 0);
    CHECK(PyUnicode_CompareWithASCIIString(abc, "abd") < 0);
    CHECK(PyUnicode_ReadChar(hay, 2) == 'c');
    CHECK(PyUnicode_ReadChar(hay, 9) == (Py_UCS4)-1);
    CHECK_RAISED(PyExc_IndexError, "string index out of range");
    CHECK(is_str(PyUnicode_Substring(hay, 1, 4), "bca"));
    CHECK(PyUnicode_Contains(hay, Py_None) == -1);
    CHECK_RAISED(PyExc_TypeError, "'in <string>' requires string as left operand, not NoneType");
#if API_AT_LEAST(0x030E0000)
    CHECK(PyUnicode_Equal(abc, abc) == 1 && PyUnicode_Equal(abc, hay) == 0);
#endif
#if API_AT_LEAST(0x030D0000)
    CHECK(PyUnicode_EqualToUTF8(abc, "abc") == 1 && PyUnicode_EqualToUTF8AndSize(abc, "abcd", 3) == 1);
#endif
    Py_DECREF(hay);
    Py_DECREF(b);
    Py_DECREF(x);
    Py_DECREF(abc);
    Py_RETURN_NONE;
}

static PyObject *test_split_join_replace(PyObject *m, PyObject *unused) {
    PyObject *t = u("a,b,,c"), *comma = u(","), *semi = u(";"), *two = u("one\ntwo\r\n"), *parts, *joined, *lines, *p;
    parts = PyUnicode_Split(t, comma, -1);
    CHECK(parts && PyList_Size(parts) == 4 && PyUnicode_GetLength(PyList_GetItem(parts, 2)) == 0);
    joined = PyUnicode_Join(comma, parts);
    CHECK(is_str(joined, "a,b,,c"));
    Py_DECREF(parts);
    parts = PyUnicode_RSplit(t, comma, 1);
    CHECK(parts && PyList_Size(parts) == 2);
    Py_XDECREF(parts);
    p = PyUnicode_Partition(t, comma);
    CHECK(p && PyTuple_Size(p) == 3);
    Py_XDECREF(p);
    p = PyUnicode_RPartition(t, comma);
    CHECK(p && PyTuple_Size(p) == 3);
    Py_XDECREF(p);
    lines = PyUnicode_Splitlines(two, 1);
    CHECK(lines && PyList_Size(lines) == 2);
    Py_XDECREF(lines);
    CHECK(is_str(PyUnicode_Replace(t, comma, semi, 2), "a;b;,c"));
    CHECK(is_str(PyUnicode_Concat(t, comma), "a,b,,c,"));
    Py_DECREF(t);
    Py_DECREF(comma);
    Py_DECREF(semi);
    Py_DECREF(two);
    Py_RETURN_NONE;
}

static PyObject *test_code_points_and_encodings(PyObject *m, PyObject *unused) {
    PyObject *e = PyUnicode_FromOrdinal(0xe9), *b, *w;
    Py_UCS4 buf[4];
    wchar_t *wide;
    Py_ssize_t n;
    CHECK(e && PyUnicode_GetLength(e) == 1 && PyUnicode_ReadChar(e, 0) == 0xe9);
    CHECK(PyUnicode_FromOrdinal(0x110000) == NULL);
    CHECK_RAISED(PyExc_ValueError, "chr() arg not in range(0x110000)");
    CHECK(PyUnicode_AsUCS4(e, buf, 4, 1) == buf && buf[0] == 0xe9 && buf[1] == 0);
    b = PyUnicode_AsLatin1String(e);
    CHECK(b && PyBytes_Size(b) == 1 && (unsigned char)PyBytes_AsString(b)[0] == 0xe9);
    Py_XDECREF(b);
    b = PyUnicode_AsUTF8String(e);
    CHECK(b && PyBytes_Size(b) == 2);
    Py_XDECREF(b);
    CHECK(PyUnicode_AsASCIIString(e) == NULL);
    CHECK_RAISED(PyExc_UnicodeEncodeError, "'ascii' codec can't encode character '\\xe9' in position 0: ordinal not in range(128)");
    w = PyUnicode_DecodeUTF8("caf\xc3\xa9", 5, "strict");
    CHECK(w && PyUnicode_GetLength(w) == 4);
    wide = PyUnicode_AsWideCharString(w, &n);
    CHECK(wide && n == 4 && wide[3] == 0xe9 && wide[4] == 0);
    Py_XDECREF(w);
    w = PyUnicode_FromWideChar(wide, n);
    CHECK(w && PyUnicode_GetLength(w) == 4);
    Py_XDECREF(w);
    PyMem_Free(wide);
    CHECK(PyUnicode_DecodeUTF8("\xff", 1, "strict") == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
    w = PyUnicode_DecodeUTF8("a\xff", 2, "replace");
    CHECK(w && PyUnicode_GetLength(w) == 2 && PyUnicode_ReadChar(w, 1) == 0xfffd);
    Py_XDECREF(w);
    w = PyUnicode_DecodeLatin1("\xe9", 1, NULL);
    CHECK(w && PyUnicode_ReadChar(w, 0) == 0xe9);
    Py_XDECREF(w);
    CHECK(PyUnicode_DecodeASCII("\x80", 1, "strict") == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, NULL);
    Py_DECREF(e);
    Py_RETURN_NONE;
}

static PyObject *test_interning_and_identifiers(PyObject *m, PyObject *unused) {
    PyObject *a = PyUnicode_InternFromString("ext_test_interned_name"), *b = PyUnicode_InternFromString("ext_test_interned_name");
    PyObject *c = u("ext_test_interned_name");
    CHECK(a && a == b);
    PyUnicode_InternInPlace(&c);
    CHECK(c == a);
    CHECK(PyUnicode_IsIdentifier(a) == 1);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(c);
    a = u("not an identifier");
    CHECK(PyUnicode_IsIdentifier(a) == 0);
    Py_DECREF(a);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"test_search_and_compare", test_search_and_compare, METH_NOARGS, NULL},
    {"test_split_join_replace", test_split_join_replace, METH_NOARGS, NULL},
    {"test_code_points_and_encodings", test_code_points_and_encodings, METH_NOARGS, NULL},
    {"test_interning_and_identifiers", test_interning_and_identifiers, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static int text_exec(PyObject *m) { return 0; }

EXT_TEST_MODULE(text, methods, text_exec)
