/*
 * ob_unicode2: the unicodeobject.h and bytesobject.h functions the text area leaves out —
 * building and changing strings in place (Append, AppendAndDel, Resize, WriteChar,
 * InternImmortal), conversions (FromObject, FromEncodedObject, AsUCS4Copy, Translate,
 * RichCompare, DecodeUTF8Stateful, FromFormatV), the filesystem and locale codecs and the
 * PyArg "O&" converters built on them, and bytes formatting, repr, escapes and
 * ConcatAndDel.
 */
#include "ext_test.h"
#include <stdarg.h>

#define API_AT_LEAST(v) (!defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= (v))

/* Stable ABI functions that newer limited headers no longer declare. */
PyAPI_FUNC(void) PyUnicode_InternImmortal(PyObject **);
PyAPI_FUNC(Py_ssize_t) PyUnicode_GetSize(PyObject *);

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

static PyObject *format_v(const char *format, ...) {
    va_list va;
    PyObject *r;
    va_start(va, format);
    r = PyUnicode_FromFormatV(format, va);
    va_end(va);
    return r;
}

static PyObject *bytes_format_v(const char *format, ...) {
    va_list va;
    PyObject *r;
    va_start(va, format);
    r = PyBytes_FromFormatV(format, va);
    va_end(va);
    return r;
}

/* `o` is bytes equal to the n bytes at s. */
static int bytes_eq(PyObject *o, const char *s, Py_ssize_t n) {
    return o && PyBytes_Check(o) && PyBytes_Size(o) == n && memcmp(PyBytes_AsString(o), s, n) == 0;
}

static PyObject *test_append(PyObject *m, PyObject *unused) {
    PyObject *s = PyUnicode_FromString("ab"), *t = PyUnicode_FromString("c\xc3\xa9"), *keep = s;
    CHECK(s && t);
    Py_INCREF(keep);
    /* Appending to a shared string makes a new one: `keep` is unchanged. */
    PyUnicode_Append(&s, t);
    CHECK(ext_test_str_eq(s, "abc\xc3\xa9") && ext_test_str_eq(keep, "ab"));
    Py_INCREF(t);
    PyUnicode_AppendAndDel(&s, t);  /* consumes the reference to t we just took */
    CHECK(ext_test_str_eq(s, "abc\xc3\xa9" "c\xc3\xa9") && ext_test_str_eq(t, "c\xc3\xa9"));
    /* A non-str right side is a bad internal call; *p is released and set to NULL. */
    PyUnicode_Append(&s, Py_None);
    CHECK(s == NULL);
    CHECK_RAISED(PyExc_SystemError, NULL);
    s = PyUnicode_FromString("x");
    Py_INCREF(Py_None);
    PyUnicode_AppendAndDel(&s, Py_None);
    CHECK(s == NULL);
    CHECK_RAISED(PyExc_SystemError, NULL);
    Py_DECREF(t);
    Py_DECREF(keep);
    Py_RETURN_NONE;
}

static PyObject *test_resize_and_write(PyObject *m, PyObject *unused) {
    PyObject *s = PyUnicode_FromString("hello world"), *x;
    CHECK(s);
    CHECK(PyUnicode_Resize(&s, 5) == 0);
    CHECK(ext_test_str_eq(s, "hello"));
    Py_DECREF(s);
    /* A fresh, unshared, unhashed string can be written to. */
    s = PyUnicode_FromString("abc");
    CHECK(PyUnicode_WriteChar(s, 1, 'X') == 0);
    CHECK(ext_test_str_eq(s, "aXc"));
    CHECK(PyUnicode_WriteChar(s, 3, 'X') == -1);
    CHECK_RAISED(PyExc_IndexError, "string index out of range");
    CHECK(PyUnicode_WriteChar(s, 0, 0x20AC) == -1);
    CHECK_RAISED(PyExc_ValueError, "character out of range");
    /* Once shared it is immutable. */
    x = s;
    Py_INCREF(x);
    CHECK(PyUnicode_WriteChar(s, 0, 'Y') == -1);
    CHECK_RAISED(PyExc_SystemError, "Cannot modify a string currently used");
    Py_DECREF(x);
    CHECK(PyUnicode_WriteChar(Py_None, 0, 'Y') == -1);
    CHECK_RAISED(PyExc_TypeError, "bad argument type for built-in operation");
    Py_DECREF(s);
    Py_RETURN_NONE;
}

static PyObject *test_intern_immortal(PyObject *m, PyObject *unused) {
    PyObject *a = PyUnicode_FromString("ob_unicode2_interned_name"), *b = PyUnicode_InternFromString("ob_unicode2_interned_name");
    CHECK(a && b);
    PyUnicode_InternImmortal(&a);
    /* *p now is the interned string. */
    CHECK(a == b);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_RETURN_NONE;
}

static PyObject *test_get_size(PyObject *m, PyObject *unused) {
    long version = ext_test_runtime_hexversion();
    PyObject *s = PyUnicode_FromString("abc");
    CHECK(s);
    if (version >= 0x030C0000) {
        /* Removed in 3.12: the exported function only raises. */
        CHECK(PyUnicode_GetSize(s) == -1);
        CHECK_RAISED(PyExc_RuntimeError, "PyUnicode_GetSize has been removed.");
    } else {
        CHECK(PyUnicode_GetSize(s) == 3);
    }
    Py_DECREF(s);
    Py_RETURN_NONE;
}

static PyObject *test_conversions(PyObject *m, PyObject *unused) {
    PyObject *s = PyUnicode_FromString("a\xe2\x82\xac" "b"), *r, *b, *table;
    Py_UCS4 *u;
    CHECK(s);
    r = PyUnicode_FromObject(s);
    CHECK(r == s);
    Py_DECREF(r);
    CHECK(PyUnicode_FromObject(Py_None) == NULL);
    CHECK_RAISED(PyExc_TypeError, "Can't convert 'NoneType' object to str implicitly");
    b = PyBytes_FromString("caf\xc3\xa9");
    r = PyUnicode_FromEncodedObject(b, "utf-8", "strict");
    CHECK(ext_test_str_eq(r, "caf\xc3\xa9"));
    Py_DECREF(r);
    r = PyUnicode_FromEncodedObject(b, "ascii", "replace");
    CHECK(ext_test_str_eq(r, "caf\xef\xbf\xbd\xef\xbf\xbd"));
    Py_DECREF(r);
    CHECK(PyUnicode_FromEncodedObject(s, "utf-8", NULL) == NULL);
    CHECK_RAISED(PyExc_TypeError, "decoding str is not supported");
    Py_DECREF(b);
    CHECK(strcmp(PyUnicode_GetDefaultEncoding(), "utf-8") == 0);
    /* A copy with a terminating 0, freed with PyMem_Free. */
    u = PyUnicode_AsUCS4Copy(s);
    CHECK(u && u[0] == 'a' && u[1] == 0x20AC && u[2] == 'b' && u[3] == 0);
    PyMem_Free(u);
    table = Py_BuildValue("{isiO}", 'a', "AA", 'b', Py_None);
    /* Unlike str.translate, a character mapped to None is an error (missing ones are copied) ... */
    CHECK(PyUnicode_Translate(s, table, "strict") == NULL);
    CHECK_RAISED(PyExc_UnicodeTranslateError, "can't translate character '\\x62' in position 2: character maps to <undefined>");
    /* ... which the error handler decides about. */
    r = PyUnicode_Translate(s, table, "ignore");
    CHECK(ext_test_str_eq(r, "AA\xe2\x82\xac"));
    Py_DECREF(r);
    Py_DECREF(table);
    {
        PyObject *z = PyUnicode_FromString("z");
        r = PyUnicode_RichCompare(s, z, Py_LT);
        CHECK(r == Py_True);
        Py_DECREF(r);
        r = PyUnicode_RichCompare(s, z, Py_EQ);
        CHECK(r == Py_False);
        Py_DECREF(r);
        r = PyUnicode_RichCompare(s, Py_None, Py_EQ);
        CHECK(r == Py_NotImplemented);
        Py_DECREF(r);
        Py_DECREF(z);
    }
    Py_DECREF(s);
    Py_RETURN_NONE;
}

static PyObject *test_decode_utf8_stateful(PyObject *m, PyObject *unused) {
    /* "a" then the first two bytes of a three-byte character. */
    const char data[] = "a\xe2\x82";
    Py_ssize_t consumed = -1;
    PyObject *r = PyUnicode_DecodeUTF8Stateful(data, 3, "strict", &consumed);
    CHECK(ext_test_str_eq(r, "a") && consumed == 1);
    Py_DECREF(r);
    /* Without `consumed` an incomplete end is an error. */
    CHECK(PyUnicode_DecodeUTF8Stateful(data, 3, "strict", NULL) == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'utf-8' codec can't decode bytes in position 1-2: unexpected end of data");
    r = PyUnicode_DecodeUTF8Stateful("\xffz", 2, "strict", &consumed);
    CHECK(r == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
    Py_RETURN_NONE;
}

static PyObject *test_from_format_v(PyObject *m, PyObject *unused) {
    PyObject *o = PyLong_FromLong(7), *r;
    CHECK(o);
    r = format_v("%s=%d %R [%5.2s] %zd%%", "k", -3, o, "xyz", (Py_ssize_t)12);
    CHECK(ext_test_str_eq(r, "k=-3 7 [   xy] 12%"));
    Py_DECREF(r);
    {
        PyObject *bang = PyUnicode_FromString("!");
        r = format_v("%c%U%V", 0x20AC, bang, (PyObject *)NULL, "?");
        CHECK(ext_test_str_eq(r, "\xe2\x82\xac!?"));
        Py_DECREF(r);
        Py_DECREF(bang);
    }
    Py_DECREF(o);
    Py_RETURN_NONE;
}

static PyObject *test_fs_codecs(PyObject *m, PyObject *unused) {
    PyObject *s, *b;
    s = PyUnicode_DecodeFSDefault("plain.txt");
    CHECK(ext_test_str_eq(s, "plain.txt"));
    Py_DECREF(s);
    /* Undecodable bytes become lone surrogates (surrogateescape) and back. */
    s = PyUnicode_DecodeFSDefaultAndSize("a\xff\0b", 4);
    CHECK(s && PyUnicode_GetLength(s) == 4 && PyUnicode_ReadChar(s, 1) == 0xDCFF && PyUnicode_ReadChar(s, 2) == 0);
    b = PyUnicode_EncodeFSDefault(s);
    CHECK(bytes_eq(b, "a\xff\0b", 4));
    Py_DECREF(b);
    Py_DECREF(s);
    s = PyUnicode_DecodeLocale("loc\xc3\xa9", "strict");
    CHECK(ext_test_str_eq(s, "loc\xc3\xa9"));
    b = PyUnicode_EncodeLocale(s, "strict");
    CHECK(bytes_eq(b, "loc\xc3\xa9", 5));
    Py_DECREF(b);
    Py_DECREF(s);
    s = PyUnicode_DecodeLocaleAndSize("ab\xff", 3, "surrogateescape");
    CHECK(s && PyUnicode_GetLength(s) == 3 && PyUnicode_ReadChar(s, 2) == 0xDCFF);
    b = PyUnicode_EncodeLocale(s, "surrogateescape");
    CHECK(bytes_eq(b, "ab\xff", 3));
    Py_DECREF(b);
    CHECK(PyUnicode_EncodeLocale(s, "strict") == NULL);
    CHECK_RAISED(PyExc_UnicodeEncodeError, NULL);
    Py_DECREF(s);
    CHECK(PyUnicode_DecodeLocale("x", "no-such-handler") == NULL);
    CHECK_RAISED(PyExc_ValueError, "unsupported error handler");
    Py_RETURN_NONE;
}

static PyObject *test_fs_converters(PyObject *m, PyObject *unused) {
    PyObject *s = PyUnicode_FromString("dir/f\xc3\xa9"), *r = NULL, *args, *bad;
    int rc;
    CHECK(s);
    rc = PyUnicode_FSConverter(s, &r);
    /* Success says Py_CLEANUP_SUPPORTED: call again with NULL to release. */
    CHECK(rc == Py_CLEANUP_SUPPORTED && bytes_eq(r, "dir/f\xc3\xa9", 7));
    CHECK(PyUnicode_FSConverter(NULL, &r) == 1 && r == NULL);
    bad = PyUnicode_FromStringAndSize("a\0b", 3);
    CHECK(PyUnicode_FSConverter(bad, &r) == 0);
    CHECK_RAISED(PyExc_ValueError, "embedded null byte");
    CHECK(PyUnicode_FSConverter(Py_None, &r) == 0);
    CHECK_RAISED(PyExc_TypeError, "expected str, bytes or os.PathLike object, not NoneType");
    Py_DECREF(bad);
    r = NULL;
    {
        PyObject *b = PyBytes_FromString("raw\xff");
        rc = PyUnicode_FSDecoder(b, &r);
        CHECK(rc == Py_CLEANUP_SUPPORTED && r && PyUnicode_Check(r) && PyUnicode_ReadChar(r, 3) == 0xDCFF);
        CHECK(PyUnicode_FSDecoder(NULL, &r) == 1 && r == NULL);
        Py_DECREF(b);
    }
    /* As "O&" converters: the result is released when a later argument fails. */
    args = Py_BuildValue("(Os)", s, "x");
    CHECK(PyArg_ParseTuple(args, "O&s", PyUnicode_FSConverter, &r, &(const char *){NULL}) == 1);
    CHECK(bytes_eq(r, "dir/f\xc3\xa9", 7));
    Py_CLEAR(r);
    CHECK(PyArg_ParseTuple(args, "O&i", PyUnicode_FSDecoder, &r, &rc) == 0);
    CHECK_RAISED(PyExc_TypeError, NULL);
    Py_DECREF(args);
    Py_DECREF(s);
    Py_RETURN_NONE;
}

static PyObject *test_bytes(PyObject *m, PyObject *unused) {
    PyObject *b = PyBytes_FromString("ab"), *w = PyBytes_FromString("cd"), *keep, *r;
    CHECK(b && w);
    keep = w;
    Py_INCREF(keep);
    PyBytes_ConcatAndDel(&b, w);  /* consumes w */
    CHECK(bytes_eq(b, "abcd", 4) && bytes_eq(keep, "cd", 2));
    Py_INCREF(Py_None);
    PyBytes_ConcatAndDel(&b, Py_None);
    CHECK(b == NULL);
    CHECK_RAISED(PyExc_TypeError, "can't concat NoneType to bytes");
    Py_DECREF(keep);
    r = PyBytes_FromFormat("%d-%s-%c|%zd|%x", -4, "str", 'q', (Py_ssize_t)42, 255);
    CHECK(bytes_eq(r, "-4-str-q|42|ff", 14));
    Py_DECREF(r);
    r = bytes_format_v("<%i%%%ld>", 9, 123456789L);
    CHECK(bytes_eq(r, "<9%123456789>", 13));
    Py_DECREF(r);
    b = PyBytes_FromStringAndSize("a'b\n\x80", 5);
    r = PyBytes_Repr(b, 1);
    /* smartquotes: a ' inside and no " picks double quotes. */
    CHECK(ext_test_str_eq(r, "b\"a'b\\n\\x80\""));
    Py_DECREF(r);
    r = PyBytes_Repr(b, 0);
    CHECK(ext_test_str_eq(r, "b'a\\'b\\n\\x80'"));
    Py_DECREF(r);
    Py_DECREF(b);
    r = PyBytes_DecodeEscape("a\\x41\\n\\101z", 12, NULL, 0, NULL);
    CHECK(bytes_eq(r, "aA\nAz", 5));
    Py_DECREF(r);
    CHECK(PyBytes_DecodeEscape("\\x4", 3, NULL, 0, NULL) == NULL);
    CHECK_RAISED(PyExc_ValueError, "invalid \\x escape at position 0");
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"test_append", test_append, METH_NOARGS, NULL},
    {"test_resize_and_write", test_resize_and_write, METH_NOARGS, NULL},
    {"test_intern_immortal", test_intern_immortal, METH_NOARGS, NULL},
    {"test_get_size", test_get_size, METH_NOARGS, NULL},
    {"test_conversions", test_conversions, METH_NOARGS, NULL},
    {"test_decode_utf8_stateful", test_decode_utf8_stateful, METH_NOARGS, NULL},
    {"test_from_format_v", test_from_format_v, METH_NOARGS, NULL},
    {"test_fs_codecs", test_fs_codecs, METH_NOARGS, NULL},
    {"test_fs_converters", test_fs_converters, METH_NOARGS, NULL},
    {"test_bytes", test_bytes, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *m) { return 0; }

EXT_TEST_MODULE(ob_unicode2, methods, exec_module)
