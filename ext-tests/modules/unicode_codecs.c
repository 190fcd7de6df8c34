/*
 * unicode_codecs: the codec functions of unicodeobject.h — UTF-16/32 (byte orders, BOMs,
 * stateful decoding), UTF-7, unicode-escape and raw-unicode-escape, charmap (tables, dicts,
 * encoding maps), and conversions through the codec registry.
 */
#include "ext_test.h"

/* The registry conversions are deprecated in older headers; they are what is tested. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

/* Gone from 3.15's headers, still in the Stable ABI. */
PyAPI_FUNC(PyObject *) PyUnicode_AsEncodedObject(PyObject *unicode, const char *encoding, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_AsDecodedObject(PyObject *unicode, const char *encoding, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_AsEncodedUnicode(PyObject *unicode, const char *encoding, const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_AsDecodedUnicode(PyObject *unicode, const char *encoding, const char *errors);


/* Steals `o`. */
static int str_is(PyObject *o, const char *s) {
    int r = ext_test_str_eq(o, s);
    Py_XDECREF(o);
    return r;
}

/* Steals `o`. */
static int bytes_is(PyObject *o, const char *s, Py_ssize_t n) {
    int r = o && PyBytes_Check(o) && PyBytes_Size(o) == n && memcmp(PyBytes_AsString(o), s, (size_t)n) == 0;
    Py_XDECREF(o);
    return r;
}

static PyObject *test_utf16(PyObject *m, PyObject *unused) {
    PyObject *s = PyUnicode_FromString("a\xe2\x82\xac\xf0\x9f\x98\x80");  /* a, U+20AC, U+1F600 */
    int bo;
    Py_ssize_t used;
    if (!s) return NULL;
    CHECK(bytes_is(PyUnicode_AsUTF16String(s), "\xff\xfe" "a\0\xac\x20\x3d\xd8\x00\xde", 10));
    CHECK(str_is(PyUnicode_DecodeUTF16("\xff\xfe" "a\0\xac\x20\x3d\xd8\x00\xde", 10, NULL, NULL), "a\xe2\x82\xac\xf0\x9f\x98\x80"));
    Py_DECREF(s);
    /* A BOM sets the byte order it reports. */
    bo = 0;
    CHECK(str_is(PyUnicode_DecodeUTF16("\xfe\xff\0a", 4, "strict", &bo), "a"));
    CHECK(bo == 1);
    bo = -1;
    CHECK(str_is(PyUnicode_DecodeUTF16("a\0b\0", 4, "strict", &bo), "ab"));
    CHECK(bo == -1);
    bo = 1;
    CHECK(str_is(PyUnicode_DecodeUTF16("\0a\0b", 4, "strict", &bo), "ab"));
    CHECK(bo == 1);
    bo = 0;
    CHECK(str_is(PyUnicode_DecodeUTF16("a\0", 2, "strict", &bo), "a"));
    CHECK(bo == 0);
    /* Stateful: an incomplete unit or surrogate pair is left for later. */
    used = -1;
    CHECK(str_is(PyUnicode_DecodeUTF16Stateful("a\0b", 3, NULL, NULL, &used), "a"));
    CHECK(used == 2);
    CHECK(str_is(PyUnicode_DecodeUTF16Stateful("a\0\x3d\xd8", 4, NULL, NULL, &used), "a"));
    CHECK(used == 2);
    /* Errors. */
    CHECK(PyUnicode_DecodeUTF16("a\0b", 3, NULL, NULL) == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'utf-16-le' codec can't decode byte 0x62 in position 2: truncated data");
    CHECK(PyUnicode_DecodeUTF16("a\0\0\xdc", 4, NULL, NULL) == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'utf-16-le' codec can't decode bytes in position 2-3: illegal encoding");
    CHECK(PyUnicode_DecodeUTF16("\0\xd8" "a\0", 4, NULL, NULL) == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'utf-16-le' codec can't decode bytes in position 0-1: illegal UTF-16 surrogate");
    CHECK(str_is(PyUnicode_DecodeUTF16("\0\xd8" "a\0", 4, "replace", NULL), "\xef\xbf\xbd" "a"));
    CHECK(str_is(PyUnicode_DecodeUTF16("a\0\0\xd8", 4, "ignore", NULL), "a"));
    Py_RETURN_NONE;
}

static PyObject *test_utf32(PyObject *m, PyObject *unused) {
    PyObject *s = PyUnicode_FromString("a\xf0\x9f\x98\x80");
    int bo;
    Py_ssize_t used;
    if (!s) return NULL;
    CHECK(bytes_is(PyUnicode_AsUTF32String(s), "\xff\xfe\0\0" "a\0\0\0\x00\xf6\x01\0", 12));
    Py_DECREF(s);
    CHECK(str_is(PyUnicode_DecodeUTF32("\xff\xfe\0\0" "a\0\0\0\x00\xf6\x01\0", 12, NULL, NULL), "a\xf0\x9f\x98\x80"));
    bo = 0;
    CHECK(str_is(PyUnicode_DecodeUTF32("\0\0\xfe\xff\0\0\0a", 8, NULL, &bo), "a"));
    CHECK(bo == 1);
    bo = 1;
    CHECK(str_is(PyUnicode_DecodeUTF32("\0\0\0a", 4, NULL, &bo), "a"));
    used = -1;
    CHECK(str_is(PyUnicode_DecodeUTF32Stateful("a\0\0\0b\0", 6, NULL, NULL, &used), "a"));
    CHECK(used == 4);
    CHECK(PyUnicode_DecodeUTF32("\0\0\x11\0", 4, NULL, NULL) == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'utf-32-le' codec can't decode bytes in position 0-3: code point not in range(0x110000)");
    CHECK(PyUnicode_DecodeUTF32("\0\xd8\0\0", 4, "strict", NULL) == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'utf-32-le' codec can't decode bytes in position 0-3: code point in surrogate code point range(0xd800, 0xe000)");
    CHECK(PyUnicode_DecodeUTF32("a\0\0", 3, NULL, NULL) == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'utf-32-le' codec can't decode bytes in position 0-2: truncated data");
    CHECK(str_is(PyUnicode_DecodeUTF32("a\0\0\0\0\0\x11\0", 8, "replace", NULL), "a\xef\xbf\xbd"));
    Py_RETURN_NONE;
}

static PyObject *test_utf7(PyObject *m, PyObject *unused) {
    Py_ssize_t used;
    CHECK(str_is(PyUnicode_DecodeUTF7("a+AGE-b+-c", 10, NULL), "aab+c"));
    CHECK(str_is(PyUnicode_DecodeUTF7("+2D3eAA-", 8, NULL), "\xf0\x9f\x98\x80"));
    used = -1;
    CHECK(str_is(PyUnicode_DecodeUTF7Stateful("ab+AG", 5, NULL, &used), "ab"));
    CHECK(used == 2);
    CHECK(str_is(PyUnicode_DecodeUTF7Stateful("ab+AGE-", 7, NULL, &used), "aba"));
    CHECK(used == 7);
    CHECK(PyUnicode_DecodeUTF7("a\xff", 2, NULL) == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'utf7' codec can't decode byte 0xff in position 1: unexpected special character");
    CHECK(PyUnicode_DecodeUTF7("+AGEA-", 6, "strict") == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'utf7' codec can't decode bytes in position 0-5: partial character in shift sequence");
    CHECK(str_is(PyUnicode_DecodeUTF7("+AGEA-x", 7, "replace"), "a\xef\xbf\xbdx"));
    Py_RETURN_NONE;
}

static PyObject *test_unicode_escape(PyObject *m, PyObject *unused) {
    PyObject *s = PyUnicode_FromString("\xc3\xa9\n\\\xe2\x82\xac\xf0\x9f\x98\x80'");
    if (!s) return NULL;
    CHECK(bytes_is(PyUnicode_AsUnicodeEscapeString(s), "\\xe9\\n\\\\\\u20ac\\U0001f600'", 25));
    CHECK(bytes_is(PyUnicode_AsRawUnicodeEscapeString(s), "\xe9\n\\\\u20ac\\U0001f600'", 20));
    Py_DECREF(s);
    CHECK(str_is(PyUnicode_DecodeUnicodeEscape("\\x41\\u20ac\\U0001F600\\101\\t\\N{EM DASH}\\\\", 39, NULL),
                 "A\xe2\x82\xac\xf0\x9f\x98\x80" "A\t\xe2\x80\x94\\"));
    CHECK(PyUnicode_DecodeUnicodeEscape("ab\\u12", 6, NULL) == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'unicodeescape' codec can't decode bytes in position 2-5: truncated \\uXXXX escape");
    CHECK(PyUnicode_DecodeUnicodeEscape("\\N{NO SUCH NAME}", 16, NULL) == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'unicodeescape' codec can't decode bytes in position 0-15: unknown Unicode character name");
    CHECK(PyUnicode_DecodeUnicodeEscape("x\\", 2, NULL) == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'unicodeescape' codec can't decode byte 0x5c in position 1: \\ at end of string");
    CHECK(str_is(PyUnicode_DecodeUnicodeEscape("a\\x4z", 5, "replace"), "a\xef\xbf\xbdz"));
    CHECK(str_is(PyUnicode_DecodeRawUnicodeEscape("\\u20ac\\n\\\\u0041\xe9", 16, NULL), "\xe2\x82\xac\\n\\\\u0041\xc3\xa9"));
    CHECK(PyUnicode_DecodeRawUnicodeEscape("\\U00110000", 10, NULL) == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'rawunicodeescape' codec can't decode bytes in position 0-9: \\Uxxxxxxxx out of range");
    Py_RETURN_NONE;
}

static PyObject *test_charmap(PyObject *m, PyObject *unused) {
    PyObject *table, *map, *s, *d;
    /* A NULL mapping is Latin-1 (None is a mapping like any other: codecs.charmap_decode
     * turns None into NULL, the C API does not). */
    CHECK(str_is(PyUnicode_DecodeCharmap("a\xe9", 2, NULL, NULL), "a\xc3\xa9"));
    CHECK(PyUnicode_DecodeCharmap("a", 1, Py_None, NULL) == NULL);
    CHECK_RAISED(PyExc_TypeError, "'NoneType' object is not subscriptable");
    /* A str is a decoding table; U+FFFE and bytes past its end are undefined. */
    table = PyUnicode_FromString("xy\xef\xbf\xbez");
    if (!table) return NULL;
    CHECK(str_is(PyUnicode_DecodeCharmap("\0\1\3", 3, table, NULL), "xyz"));
    CHECK(PyUnicode_DecodeCharmap("\0\2", 2, table, NULL) == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'charmap' codec can't decode byte 0x02 in position 1: character maps to <undefined>");
    CHECK(str_is(PyUnicode_DecodeCharmap("\0\7\1", 3, table, "replace"), "x\xef\xbf\xbdy"));
    Py_DECREF(table);
    /* A dict maps byte values to code points, strings or None. */
    d = Py_BuildValue("{i:i,i:s,i:O}", 'a', 0x263a, 'b', "BB", 'c', Py_None);
    if (!d) return NULL;
    CHECK(str_is(PyUnicode_DecodeCharmap("ab", 2, d, NULL), "\xe2\x98\xba" "BB"));
    CHECK(PyUnicode_DecodeCharmap("c", 1, d, NULL) == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError, "'charmap' codec can't decode byte 0x63 in position 0: character maps to <undefined>");
    Py_DECREF(d);
    /* Encoding through a dict (code point -> int, bytes or None). */
    d = Py_BuildValue("{i:i,i:y,i:O,i:i}", 'a', 'A', 'b', "bb", 'c', Py_None, '?', '!');
    if (!d) return NULL;
    s = PyUnicode_FromString("ab");
    CHECK(bytes_is(PyUnicode_AsCharmapString(s, d), "Abb", 3));
    Py_DECREF(s);
    s = PyUnicode_FromString("acz");
    CHECK(PyUnicode_AsCharmapString(s, d) == NULL);
    CHECK_RAISED(PyExc_UnicodeEncodeError, "'charmap' codec can't encode characters in position 1-2: character maps to <undefined>");
    Py_DECREF(s);
    Py_DECREF(d);
    CHECK(PyUnicode_AsCharmapString(Py_None, Py_None) == NULL);
    CHECK_RAISED(PyExc_TypeError, "bad argument type for built-in operation");
    /* A 256-character table becomes a compact encoding map. */
    {
        char buf[384];
        int i, n = 0;
        for (i = 0; i < 256; i++) {
            if (i < 128) {
                buf[n++] = (char)i;
            } else {
                int c = 0x400 + i - 128;
                buf[n++] = (char)(0xc0 | (c >> 6));
                buf[n++] = (char)(0x80 | (c & 0x3f));
            }
        }
        table = PyUnicode_FromStringAndSize(buf, n);
    }
    if (!table) return NULL;
    map = PyUnicode_BuildEncodingMap(table);
    CHECK(map != NULL && !PyDict_Check(map));
    s = PyUnicode_FromString("a\xd0\x80\xd0\x81");  /* a, U+0400, U+0401 */
    CHECK(bytes_is(PyUnicode_AsCharmapString(s, map), "a\x80\x81", 3));
    Py_DECREF(s);
    s = PyUnicode_FromString("\xe2\x82\xac");
    CHECK(PyUnicode_AsCharmapString(s, map) == NULL);
    CHECK_RAISED(PyExc_UnicodeEncodeError, "'charmap' codec can't encode character '\\u20ac' in position 0: character maps to <undefined>");
    Py_DECREF(s);
    Py_DECREF(map);
    Py_DECREF(table);
    /* Other tables become a dict from code point to byte. */
    table = PyUnicode_FromString("ab");
    map = PyUnicode_BuildEncodingMap(table);
    CHECK(map && PyDict_Check(map) && PyDict_Size(map) == 2);
    Py_XDECREF(map);
    Py_DECREF(table);
    Py_RETURN_NONE;
}

static PyObject *test_registry_conversions(PyObject *m, PyObject *unused) {
    PyObject *s = PyUnicode_FromString("ab"), *b;
    if (!s) return NULL;
    b = PyUnicode_AsEncodedObject(s, "utf-16-be", NULL);
    CHECK(b && PyBytes_Check(b) && PyBytes_Size(b) == 4 && memcmp(PyBytes_AsString(b), "\0a\0b", 4) == 0);
    Py_DECREF(b);
    CHECK(PyUnicode_AsEncodedUnicode(s, "utf-16-be", NULL) == NULL);
    CHECK_RAISED(PyExc_TypeError, "'utf-16-be' encoder returned 'bytes' instead of 'str'; use codecs.encode() to encode to arbitrary types");
    CHECK(PyUnicode_AsDecodedUnicode(Py_None, NULL, NULL) == NULL);
    CHECK_RAISED(PyExc_TypeError, "bad argument type for built-in operation");
    CHECK(PyUnicode_AsEncodedObject(s, "ext_test_no_such_codec", NULL) == NULL);
    CHECK_RAISED(PyExc_LookupError, "unknown encoding: ext_test_no_such_codec");
    /* UTF-8 decoders want bytes, not str. */
    CHECK(PyUnicode_AsDecodedObject(s, "utf-8", NULL) == NULL);
    CHECK_RAISED(PyExc_TypeError, NULL);
    Py_DECREF(s);
    /* PyUnicode_Decode and PyUnicode_AsEncodedString know the new codecs too. */
    CHECK(str_is(PyUnicode_Decode("\0\0\0a", 4, "utf-32-be", NULL), "a"));
    s = PyUnicode_FromString("\xc3\xa9");
    CHECK(bytes_is(PyUnicode_AsEncodedString(s, "utf-7", NULL), "+AOk-", 5));
    CHECK(bytes_is(PyUnicode_AsEncodedString(s, "unicode_escape", NULL), "\\xe9", 4));
    Py_DECREF(s);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"test_utf16", test_utf16, METH_NOARGS, NULL},
    {"test_utf32", test_utf32, METH_NOARGS, NULL},
    {"test_utf7", test_utf7, METH_NOARGS, NULL},
    {"test_unicode_escape", test_unicode_escape, METH_NOARGS, NULL},
    {"test_charmap", test_charmap, METH_NOARGS, NULL},
    {"test_registry_conversions", test_registry_conversions, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *m) { return 0; }

EXT_TEST_MODULE(unicode_codecs, methods, exec_module)
