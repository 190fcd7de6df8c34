/*
 * codec_api: the codec registry through codecs.h (PyCodec_*: lookup, encode/decode,
 * incremental and stream codecs, search functions, error handler registry, the standard
 * error handlers) and the UnicodeEncodeError/DecodeError/TranslateError accessors.
 */
#include "ext_test.h"


static int bytes_eq(PyObject *o, const char *s, Py_ssize_t n) {
    return o && PyBytes_Check(o) && PyBytes_Size(o) == n && memcmp(PyBytes_AsString(o), s, (size_t)n) == 0;
}

/* A (str, int) handler result. Steals `r`. */
static int pair_eq(PyObject *r, const char *text, Py_ssize_t pos) {
    int ok = r && PyTuple_Check(r) && PyTuple_Size(r) == 2 && ext_test_str_eq(PyTuple_GetItem(r, 0), text)
             && PyLong_AsSsize_t(PyTuple_GetItem(r, 1)) == pos;
    Py_XDECREF(r);
    return ok;
}

/* The codec "ext_test_upper": str -> str (upper case), found by a search function. */
static PyObject *upper_codec(PyObject *self, PyObject *args) {
    PyObject *s = PyTuple_GetItem(args, 0), *u, *r;
    if (!s) return NULL;
    u = PyObject_CallMethod(s, "upper", NULL);
    if (!u) return NULL;
    r = Py_BuildValue("(On)", u, PyObject_Length(s));
    Py_DECREF(u);
    return r;
}
static PyMethodDef upper_def = {"upper_codec", upper_codec, METH_VARARGS, NULL};

static PyObject *search_upper(PyObject *self, PyObject *name) {
    PyObject *f, *r;
    if (!ext_test_str_eq(name, "ext_test_upper")) Py_RETURN_NONE;
    f = PyCFunction_New(&upper_def, NULL);
    if (!f) return NULL;
    r = Py_BuildValue("(OOOO)", f, f, Py_None, Py_None);
    Py_DECREF(f);
    return r;
}
static PyMethodDef search_def = {"search_upper", search_upper, METH_O, NULL};

#if PY_VERSION_HEX >= 0x030A0000
static PyObject *search_none(PyObject *self, PyObject *name) { Py_RETURN_NONE; }
static PyMethodDef search_none_def = {"search_none", search_none, METH_O, NULL};
#endif

/* An error handler: "<start:end>" for the bad range, resuming at its end. */
static PyObject *mark_errors(PyObject *self, PyObject *exc) {
    Py_ssize_t start, end;
    int dec = PyObject_IsInstance(exc, PyExc_UnicodeDecodeError);
    if ((dec ? PyUnicodeDecodeError_GetStart(exc, &start) : PyUnicodeEncodeError_GetStart(exc, &start)) < 0) return NULL;
    if ((dec ? PyUnicodeDecodeError_GetEnd(exc, &end) : PyUnicodeEncodeError_GetEnd(exc, &end)) < 0) return NULL;
    return Py_BuildValue("(Nn)", PyUnicode_FromFormat("<%zd:%zd>", start, end), end);
}
static PyMethodDef mark_def = {"mark_errors", mark_errors, METH_O, NULL};

static PyObject *test_lookup(PyObject *m, PyObject *unused) {
    PyObject *s, *b, *f, *r;
    CHECK(PyCodec_KnownEncoding("utf-8") == 1);
    CHECK(PyCodec_KnownEncoding("UTF-16") == 1);
    CHECK(PyCodec_KnownEncoding("ext_test_no_such_codec") == 0 && !PyErr_Occurred());
    s = PyUnicode_FromString("ab\xe2\x82\xac");
    if (!s) return NULL;
    b = PyCodec_Encode(s, "utf-16-le", NULL);
    CHECK(bytes_eq(b, "a\0b\0\xac\x20", 6));
    r = PyCodec_Decode(b, "utf-16-le", "strict");
    CHECK(r && PyUnicode_Compare(r, s) == 0);
    Py_DECREF(r);
    Py_DECREF(b);
    f = PyCodec_Encoder("utf-32-be");
    CHECK(f && PyCallable_Check(f));
    r = PyObject_CallFunctionObjArgs(f, s, NULL);
    CHECK(r && PyTuple_Check(r) && PyTuple_Size(r) == 2);
    CHECK(bytes_eq(PyTuple_GetItem(r, 0), "\0\0\0a\0\0\0b\0\0\x20\xac", 12));
    CHECK(PyLong_AsLong(PyTuple_GetItem(r, 1)) == 3);
    Py_DECREF(r);
    Py_DECREF(f);
    f = PyCodec_Decoder("latin-1");
    CHECK(f && PyCallable_Check(f));
    Py_DECREF(f);
    CHECK(PyCodec_Encode(s, "ext_test_no_such_codec", NULL) == NULL);
    CHECK_RAISED(PyExc_LookupError, "unknown encoding: ext_test_no_such_codec");
    CHECK(PyCodec_Decoder("ext_test_no_such_codec") == NULL);
    CHECK_RAISED(PyExc_LookupError, "unknown encoding: ext_test_no_such_codec");
    /* The encoding's errors reach the codec. */
    CHECK(PyCodec_Encode(s, "ascii", NULL) == NULL);
    CHECK_RAISED(PyExc_UnicodeEncodeError, "'ascii' codec can't encode character '\\u20ac' in position 2: ordinal not in range(128)");
    r = PyCodec_Encode(s, "ascii", "replace");
    CHECK(bytes_eq(r, "ab?", 3));
    Py_DECREF(r);
    Py_DECREF(s);
    Py_RETURN_NONE;
}

static PyObject *test_search_function(PyObject *m, PyObject *unused) {
    PyObject *s = PyUnicode_FromString("abc"), *r;
    if (!s) return NULL;
    /* Registered once at import (see exec). */
    CHECK(PyCodec_KnownEncoding("ext_test_upper") == 1);
    r = PyCodec_Encode(s, "ext_test_upper", NULL);
    CHECK(ext_test_str_eq(r, "ABC"));
    Py_DECREF(r);
    r = PyCodec_Decode(s, "EXT_TEST_UPPER", "strict");
    CHECK(ext_test_str_eq(r, "ABC"));
    Py_DECREF(r);
    /* A str result is refused by str.encode. */
    CHECK(PyUnicode_AsEncodedString(s, "ext_test_upper", NULL) == NULL);
    CHECK_RAISED(PyExc_TypeError, "'ext_test_upper' encoder returned 'str' instead of 'bytes'; use codecs.encode() to encode to arbitrary types");
    Py_DECREF(s);
#if PY_VERSION_HEX >= 0x030A0000
    {
        PyObject *f = PyCFunction_New(&search_none_def, NULL);
        if (!f) return NULL;
        CHECK(PyCodec_Register(f) == 0);
        CHECK(PyCodec_Unregister(f) == 0);
        /* Unregistering one that is not there is fine. */
        CHECK(PyCodec_Unregister(f) == 0);
        Py_DECREF(f);
    }
#endif
    CHECK(PyCodec_Register(Py_None) == -1);
    CHECK_RAISED(PyExc_TypeError, "argument must be callable");
    Py_RETURN_NONE;
}

static PyObject *test_incremental(PyObject *m, PyObject *unused) {
    PyObject *enc, *dec, *r;
    enc = PyCodec_IncrementalEncoder("utf-16", NULL);
    CHECK(enc != NULL);
    r = PyObject_CallMethod(enc, "encode", "s", "a");
    CHECK(bytes_eq(r, "\xff\xfe" "a\0", 4));
    Py_DECREF(r);
    r = PyObject_CallMethod(enc, "encode", "s", "b");
    CHECK(bytes_eq(r, "b\0", 2));
    Py_DECREF(r);
    Py_DECREF(enc);
    dec = PyCodec_IncrementalDecoder("utf-8", "strict");
    CHECK(dec != NULL);
    r = PyObject_CallMethod(dec, "decode", "y", "a\xc3");
    CHECK(ext_test_str_eq(r, "a"));
    Py_DECREF(r);
    r = PyObject_CallMethod(dec, "decode", "y", "\xa9");
    CHECK(ext_test_str_eq(r, "\xc3\xa9"));
    Py_DECREF(r);
    Py_DECREF(dec);
    CHECK(PyCodec_IncrementalDecoder("ext_test_no_such_codec", NULL) == NULL);
    CHECK_RAISED(PyExc_LookupError, "unknown encoding: ext_test_no_such_codec");
    Py_RETURN_NONE;
}

static PyObject *test_error_registry(PyObject *m, PyObject *unused) {
    PyObject *h, *a, *b, *s, *r;
    h = PyCFunction_New(&mark_def, NULL);
    if (!h) return NULL;
    CHECK(PyCodec_RegisterError("ext_test.mark", h) == 0);
    a = PyCodec_LookupError("ext_test.mark");
    CHECK(a == h);
    Py_DECREF(a);
    Py_DECREF(h);
    s = PyUnicode_FromString("a\xc3\xa9\xc3\xa9z");
    if (!s) return NULL;
    r = PyUnicode_AsEncodedString(s, "ascii", "ext_test.mark");
    CHECK(bytes_eq(r, "a<1:3>z", 7));
    Py_DECREF(r);
    r = PyUnicode_AsEncodedString(s, "utf-16-le", "ext_test.mark");
    CHECK(bytes_eq(r, "a\0\xe9\0\xe9\0z\0", 8));
    Py_DECREF(r);
    Py_DECREF(s);
    r = PyUnicode_Decode("a\xff\xfez", 4, "utf-8", "ext_test.mark");
    CHECK(ext_test_str_eq(r, "a<1:2><2:3>z"));
    Py_DECREF(r);
    a = PyCodec_LookupError(NULL);
    b = PyCodec_LookupError("strict");
    CHECK(a && a == b);
    Py_DECREF(a);
    Py_DECREF(b);
    CHECK(PyCodec_LookupError("ext_test.no_such_handler") == NULL);
    CHECK_RAISED(PyExc_LookupError, "unknown error handler name 'ext_test.no_such_handler'");
    CHECK(PyCodec_RegisterError("ext_test.bad", Py_None) == -1);
    CHECK_RAISED(PyExc_TypeError, "handler must be callable");
    Py_RETURN_NONE;
}

static PyObject *encode_error(void) {
    /* "a\xe9\u1234b", positions 1-3 */
    return PyObject_CallFunction(PyExc_UnicodeEncodeError, "ssnns", "ascii", "a\xc3\xa9\xe1\x88\xb4" "b", (Py_ssize_t)1, (Py_ssize_t)3, "bad");
}

static PyObject *test_standard_handlers(PyObject *m, PyObject *unused) {
    PyObject *e = encode_error(), *d, *t;
    if (!e) return NULL;
    CHECK(pair_eq(PyCodec_IgnoreErrors(e), "", 3));
    CHECK(pair_eq(PyCodec_ReplaceErrors(e), "??", 3));
    CHECK(pair_eq(PyCodec_XMLCharRefReplaceErrors(e), "&#233;&#4660;", 3));
    CHECK(pair_eq(PyCodec_BackslashReplaceErrors(e), "\\xe9\\u1234", 3));
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03050000
    CHECK(pair_eq(PyCodec_NameReplaceErrors(e), "\\N{LATIN SMALL LETTER E WITH ACUTE}\\N{ETHIOPIC SYLLABLE SEE}", 3));
#endif
    CHECK(PyCodec_StrictErrors(e) == NULL);
    CHECK_RAISED(PyExc_UnicodeEncodeError, "'ascii' codec can't encode characters in position 1-2: bad");
    Py_DECREF(e);

    d = PyUnicodeDecodeError_Create("utf-8", "a\xff\xfe" "b", 4, 1, 3, "invalid start byte");
    CHECK(d != NULL);
    CHECK(pair_eq(PyCodec_ReplaceErrors(d), "\xef\xbf\xbd", 3));
    CHECK(pair_eq(PyCodec_BackslashReplaceErrors(d), "\\xff\\xfe", 3));
    CHECK(pair_eq(PyCodec_IgnoreErrors(d), "", 3));
    CHECK(PyCodec_XMLCharRefReplaceErrors(d) == NULL);
    CHECK_RAISED(PyExc_TypeError, "don't know how to handle UnicodeDecodeError in error callback");
    CHECK(PyCodec_StrictErrors(d) == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'utf-8' codec can't decode bytes in position 1-2: invalid start byte");
    Py_DECREF(d);

    t = PyObject_CallFunction(PyExc_UnicodeTranslateError, "snns", "a\xe1\x88\xb4\xe1\x88\xb4", (Py_ssize_t)1, (Py_ssize_t)3, "r");
    CHECK(t != NULL);
    CHECK(pair_eq(PyCodec_ReplaceErrors(t), "\xef\xbf\xbd\xef\xbf\xbd", 3));
    CHECK(pair_eq(PyCodec_BackslashReplaceErrors(t), "\\u1234\\u1234", 3));
    CHECK(PyCodec_XMLCharRefReplaceErrors(t) == NULL);
    CHECK_RAISED(PyExc_TypeError, "don't know how to handle UnicodeTranslateError in error callback");
    Py_DECREF(t);

    CHECK(PyCodec_IgnoreErrors(Py_None) == NULL);
    CHECK_RAISED(PyExc_TypeError, "don't know how to handle NoneType in error callback");
    CHECK(PyCodec_StrictErrors(Py_None) == NULL);
    CHECK_RAISED(PyExc_TypeError, "codec must pass exception instance");
    Py_RETURN_NONE;
}

static PyObject *test_encode_error_accessors(PyObject *m, PyObject *unused) {
    PyObject *e = encode_error(), *v, *s;
    Py_ssize_t n;
    if (!e) return NULL;
    v = PyUnicodeEncodeError_GetEncoding(e);
    CHECK(ext_test_str_eq(v, "ascii"));
    Py_DECREF(v);
    v = PyUnicodeEncodeError_GetObject(e);
    CHECK(ext_test_str_eq(v, "a\xc3\xa9\xe1\x88\xb4" "b"));
    Py_DECREF(v);
    CHECK(PyUnicodeEncodeError_GetStart(e, &n) == 0 && n == 1);
    CHECK(PyUnicodeEncodeError_GetEnd(e, &n) == 0 && n == 3);
    v = PyUnicodeEncodeError_GetReason(e);
    CHECK(ext_test_str_eq(v, "bad"));
    Py_DECREF(v);
    CHECK(PyUnicodeEncodeError_SetReason(e, "worse") == 0);
    CHECK(PyUnicodeEncodeError_SetStart(e, 2) == 0);
    s = PyObject_Str(e);
    CHECK(ext_test_str_eq(s, "'ascii' codec can't encode character '\\u1234' in position 2: worse"));
    Py_DECREF(s);
    /* The getters clip to the object: start into [0, len-1], end into [1, len]. */
    CHECK(PyUnicodeEncodeError_SetStart(e, 10) == 0 && PyUnicodeEncodeError_GetStart(e, &n) == 0 && n == 3);
    CHECK(PyUnicodeEncodeError_SetStart(e, -5) == 0 && PyUnicodeEncodeError_GetStart(e, &n) == 0 && n == 0);
    CHECK(PyUnicodeEncodeError_SetEnd(e, 10) == 0 && PyUnicodeEncodeError_GetEnd(e, &n) == 0 && n == 4);
    CHECK(PyUnicodeEncodeError_SetEnd(e, -5) == 0 && PyUnicodeEncodeError_GetEnd(e, &n) == 0 && n == 1);
    Py_DECREF(e);
    Py_RETURN_NONE;
}

static PyObject *test_decode_error_accessors(PyObject *m, PyObject *unused) {
    PyObject *d = PyUnicodeDecodeError_Create("utf-8", "ab\xff", 3, 2, 3, "invalid start byte"), *v, *s;
    Py_ssize_t n;
    if (!d) return NULL;
    CHECK(PyObject_IsInstance(d, PyExc_UnicodeDecodeError) == 1);
    v = PyUnicodeDecodeError_GetEncoding(d);
    CHECK(ext_test_str_eq(v, "utf-8"));
    Py_DECREF(v);
    v = PyUnicodeDecodeError_GetObject(d);
    CHECK(bytes_eq(v, "ab\xff", 3));
    Py_DECREF(v);
    CHECK(PyUnicodeDecodeError_GetStart(d, &n) == 0 && n == 2);
    CHECK(PyUnicodeDecodeError_GetEnd(d, &n) == 0 && n == 3);
    v = PyUnicodeDecodeError_GetReason(d);
    CHECK(ext_test_str_eq(v, "invalid start byte"));
    Py_DECREF(v);
    s = PyObject_Str(d);
    CHECK(ext_test_str_eq(s, "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte"));
    Py_DECREF(s);
    CHECK(PyUnicodeDecodeError_SetStart(d, 0) == 0 && PyUnicodeDecodeError_SetEnd(d, 2) == 0);
    CHECK(PyUnicodeDecodeError_SetReason(d, "r") == 0);
    s = PyObject_Str(d);
    CHECK(ext_test_str_eq(s, "'utf-8' codec can't decode bytes in position 0-1: r"));
    Py_DECREF(s);
    Py_DECREF(d);
    Py_RETURN_NONE;
}

static PyObject *test_translate_error_accessors(PyObject *m, PyObject *unused) {
    PyObject *t = PyObject_CallFunction(PyExc_UnicodeTranslateError, "snns", "x\xc3\xa9y", (Py_ssize_t)1, (Py_ssize_t)2, "no"), *v, *s;
    Py_ssize_t n;
    if (!t) return NULL;
    v = PyUnicodeTranslateError_GetObject(t);
    CHECK(ext_test_str_eq(v, "x\xc3\xa9y"));
    Py_DECREF(v);
    CHECK(PyUnicodeTranslateError_GetStart(t, &n) == 0 && n == 1);
    CHECK(PyUnicodeTranslateError_GetEnd(t, &n) == 0 && n == 2);
    v = PyUnicodeTranslateError_GetReason(t);
    CHECK(ext_test_str_eq(v, "no"));
    Py_DECREF(v);
    s = PyObject_Str(t);
    CHECK(ext_test_str_eq(s, "can't translate character '\\xe9' in position 1: no"));
    Py_DECREF(s);
    CHECK(PyUnicodeTranslateError_SetEnd(t, 3) == 0 && PyUnicodeTranslateError_SetReason(t, "never") == 0);
    CHECK(PyUnicodeTranslateError_SetStart(t, 0) == 0);
    s = PyObject_Str(t);
    CHECK(ext_test_str_eq(s, "can't translate characters in position 0-2: never"));
    Py_DECREF(s);
    Py_DECREF(t);
    Py_RETURN_NONE;
}

#if PY_VERSION_HEX >= 0x030F0000
/* CPython 3.15's checks of the object passed (older versions did not check). */
static PyObject *test_accessor_type_checks(PyObject *m, PyObject *unused) {
    PyObject *e = encode_error();
    Py_ssize_t n;
    if (!e) return NULL;
    CHECK(PyUnicodeEncodeError_GetStart(Py_None, &n) == -1);
    CHECK_RAISED(PyExc_TypeError, "expecting a UnicodeEncodeError object, got NoneType");
    CHECK(PyUnicodeDecodeError_GetEncoding(Py_None) == NULL);
    CHECK_RAISED(PyExc_TypeError, "expecting a UnicodeDecodeError object, got NoneType");
    /* An encode error seen as a decode error: its object is not bytes. */
    CHECK(PyUnicodeDecodeError_GetObject(e) == NULL);
    CHECK_RAISED(PyExc_TypeError, "UnicodeError 'object' attribute must be a bytes");
    CHECK(PyUnicodeDecodeError_GetStart(e, &n) == -1);
    CHECK_RAISED(PyExc_TypeError, "UnicodeError 'object' attribute must be a bytes");
    Py_DECREF(e);
    Py_RETURN_NONE;
}
#endif

/* stream_writer(stream) / stream_reader(stream): the driver checks them. */
static PyObject *stream_writer(PyObject *m, PyObject *stream) {
    return PyCodec_StreamWriter("utf-16-le", stream, "strict");
}
static PyObject *stream_reader(PyObject *m, PyObject *stream) {
    return PyCodec_StreamReader("utf-16-le", stream, NULL);
}
static PyObject *make_decode_error(PyObject *m, PyObject *unused) {
    return PyUnicodeDecodeError_Create("ascii", "a\x80", 2, 1, 2, "ordinal not in range(128)");
}

static PyMethodDef methods[] = {
    {"test_lookup", test_lookup, METH_NOARGS, NULL},
    {"test_search_function", test_search_function, METH_NOARGS, NULL},
    {"test_incremental", test_incremental, METH_NOARGS, NULL},
    {"test_error_registry", test_error_registry, METH_NOARGS, NULL},
    {"test_standard_handlers", test_standard_handlers, METH_NOARGS, NULL},
    {"test_encode_error_accessors", test_encode_error_accessors, METH_NOARGS, NULL},
    {"test_decode_error_accessors", test_decode_error_accessors, METH_NOARGS, NULL},
    {"test_translate_error_accessors", test_translate_error_accessors, METH_NOARGS, NULL},
#if PY_VERSION_HEX >= 0x030F0000
    {"test_accessor_type_checks", test_accessor_type_checks, METH_NOARGS, NULL},
#endif
    {"stream_writer", stream_writer, METH_O, NULL},
    {"stream_reader", stream_reader, METH_O, NULL},
    {"make_decode_error", make_decode_error, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *m) {
    static int registered = 0;
    PyObject *f;
    if (registered) return 0;
    f = PyCFunction_New(&search_def, NULL);
    if (!f) return -1;
    registered = PyCodec_Register(f) == 0;
    Py_DECREF(f);
    return registered ? 0 : -1;
}

EXT_TEST_MODULE(codec_api, methods, exec_module)
