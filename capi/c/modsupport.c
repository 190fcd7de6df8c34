/*
 * modsupport.c -- Py_BuildValue and friends (CPython 3.15 semantics).
 *
 * Format units: s s# z z# U U# y y# u u# i b h B H I l k L K n c C d f D p
 * O O& S S& N N& and the containers ( ) [ ] { }.  ' ', '\t', ',' and ':'
 * are ignored between units.  '#' lengths are always Py_ssize_t (3.13+).
 * 'N' steals a reference, also when the build fails: remaining arguments
 * are still consumed and every 'N' object is released.
 */
#include "pyrite_capi.h"

static PyObject *mkvalue(const char **p_format, va_list *p_va);

/* Number of items in a format up to endchar at nesting level 0, or -1 with
   SystemError. */
static Py_ssize_t
count_items(const char *format, char endchar)
{
    Py_ssize_t count = 0;
    int level = 0;
    while (level > 0 || *format != endchar) {
        switch (*format) {
        case '\0':
            PyErr_SetString(PyExc_SystemError, "unmatched paren in format");
            return -1;
        case '(':
        case '[':
        case '{':
            if (level == 0) {
                count++;
            }
            level++;
            break;
        case ')':
        case ']':
        case '}':
            level--;
            break;
        case '#':
        case '&':
        case ',':
        case ':':
        case ' ':
        case '\t':
            break;
        default:
            if (level == 0) {
                count++;
            }
        }
        format++;
    }
    return count;
}

/* After an error: consume (and release) the next n values, so the va_list
   stays in step and 'N' arguments are not leaked.  The pending exception
   is kept.  Then check/skip the closing endchar. */
static void
skip_items(const char **p_format, va_list *p_va, char endchar, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *exc = PyErr_GetRaisedException();
        PyObject *w = mkvalue(p_format, p_va);
        PyErr_SetRaisedException(exc);
        PYR_XDECREF(w);
    }
    if (**p_format != endchar) {
        PyErr_SetString(PyExc_SystemError, "Unmatched paren in format");
        return;
    }
    if (endchar) {
        ++*p_format;
    }
}

static int
check_close(const char **p_format, char endchar)
{
    if (**p_format != endchar) {
        PyErr_SetString(PyExc_SystemError, "Unmatched paren in format");
        return -1;
    }
    if (endchar) {
        ++*p_format;
    }
    return 0;
}

static PyObject *
mktuple(const char **p_format, va_list *p_va, char endchar, Py_ssize_t n)
{
    PyObject *v;
    if (n < 0) {
        return NULL;
    }
    v = PyTuple_New(n);
    if (v == NULL) {
        skip_items(p_format, p_va, endchar, n);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *w = mkvalue(p_format, p_va);
        if (w == NULL) {
            skip_items(p_format, p_va, endchar, n - i - 1);
            PYR_DECREF(v);
            return NULL;
        }
        if (PyTuple_SetItem(v, i, w) < 0) {   /* steals w */
            skip_items(p_format, p_va, endchar, n - i - 1);
            PYR_DECREF(v);
            return NULL;
        }
    }
    if (check_close(p_format, endchar) < 0) {
        PYR_DECREF(v);
        return NULL;
    }
    return v;
}

static PyObject *
mklist(const char **p_format, va_list *p_va, char endchar, Py_ssize_t n)
{
    PyObject *v;
    if (n < 0) {
        return NULL;
    }
    v = PyList_New(n);
    if (v == NULL) {
        skip_items(p_format, p_va, endchar, n);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *w = mkvalue(p_format, p_va);
        if (w == NULL) {
            skip_items(p_format, p_va, endchar, n - i - 1);
            PYR_DECREF(v);
            return NULL;
        }
        if (PyList_SetItem(v, i, w) < 0) {   /* steals w */
            skip_items(p_format, p_va, endchar, n - i - 1);
            PYR_DECREF(v);
            return NULL;
        }
    }
    if (check_close(p_format, endchar) < 0) {
        PYR_DECREF(v);
        return NULL;
    }
    return v;
}

static PyObject *
mkdict(const char **p_format, va_list *p_va, char endchar, Py_ssize_t n)
{
    PyObject *d;
    if (n < 0) {
        return NULL;
    }
    if (n % 2) {
        PyErr_SetString(PyExc_SystemError, "Bad dict format");
        skip_items(p_format, p_va, endchar, n);
        return NULL;
    }
    d = PyDict_New();
    if (d == NULL) {
        skip_items(p_format, p_va, endchar, n);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i += 2) {
        PyObject *k, *v;
        k = mkvalue(p_format, p_va);
        if (k == NULL) {
            skip_items(p_format, p_va, endchar, n - i - 1);
            PYR_DECREF(d);
            return NULL;
        }
        v = mkvalue(p_format, p_va);
        if (v == NULL || PyDict_SetItem(d, k, v) < 0) {
            skip_items(p_format, p_va, endchar, n - i - 2);
            PYR_DECREF(k);
            PYR_XDECREF(v);
            PYR_DECREF(d);
            return NULL;
        }
        PYR_DECREF(k);
        PYR_DECREF(v);
    }
    if (check_close(p_format, endchar) < 0) {
        PYR_DECREF(d);
        return NULL;
    }
    return d;
}

static PyObject *
none_ref(void)
{
    PYR_INCREF(Py_None);
    return Py_None;
}

static PyObject *
mkvalue(const char **p_format, va_list *p_va)
{
    for (;;) {
        char c = *(*p_format)++;
        switch (c) {
        case '(':
            return mktuple(p_format, p_va, ')', count_items(*p_format, ')'));
        case '[':
            return mklist(p_format, p_va, ']', count_items(*p_format, ']'));
        case '{':
            return mkdict(p_format, p_va, '}', count_items(*p_format, '}'));

        case 'b':
        case 'B':
        case 'h':
        case 'i':
            return PyLong_FromLong((long)va_arg(*p_va, int));
        case 'H':
            return PyLong_FromLong((long)va_arg(*p_va, unsigned int));
        case 'I':
            return PyLong_FromUnsignedLong((unsigned long)va_arg(*p_va, unsigned int));
        case 'n':
            return PyLong_FromSsize_t(va_arg(*p_va, Py_ssize_t));
        case 'l':
            return PyLong_FromLong(va_arg(*p_va, long));
        case 'k':
            return PyLong_FromUnsignedLong(va_arg(*p_va, unsigned long));
        case 'L':
            return PyLong_FromLongLong(va_arg(*p_va, long long));
        case 'K':
            return PyLong_FromUnsignedLongLong(va_arg(*p_va, unsigned long long));
        case 'p':
            return PyBool_FromLong((long)va_arg(*p_va, int));

        case 'u': {
            const wchar_t *u = va_arg(*p_va, const wchar_t *);
            Py_ssize_t n = -1;
            if (**p_format == '#') {
                ++*p_format;
                n = va_arg(*p_va, Py_ssize_t);
            }
            if (u == NULL) {
                return none_ref();
            }
            if (n < 0) {
                n = (Py_ssize_t)wcslen(u);
            }
            return PyUnicode_FromWideChar(u, n);
        }

        case 'f':
        case 'd':
            return PyFloat_FromDouble(va_arg(*p_va, double));

        case 'D': {
            const Py_complex *cp = va_arg(*p_va, const Py_complex *);
            return PyComplex_FromDoubles(cp->real, cp->imag);
        }

        case 'c': {
            char ch = (char)va_arg(*p_va, int);
            return PyBytes_FromStringAndSize(&ch, 1);
        }
        case 'C':
            return PyUnicode_FromOrdinal(va_arg(*p_va, int));

        case 's':
        case 'z':
        case 'U':
        case 'y': {
            const char *str = va_arg(*p_va, const char *);
            Py_ssize_t n = -1;
            if (**p_format == '#') {
                ++*p_format;
                n = va_arg(*p_va, Py_ssize_t);
            }
            if (str == NULL) {
                return none_ref();
            }
            if (n < 0) {
                size_t m = strlen(str);
                if (m > (size_t)PY_SSIZE_T_MAX) {
                    PyErr_SetString(PyExc_OverflowError,
                                    c == 'y' ? "string too long for Python bytes"
                                             : "string too long for Python string");
                    return NULL;
                }
                n = (Py_ssize_t)m;
            }
            if (c == 'y') {
                return PyBytes_FromStringAndSize(str, n);
            }
            return PyUnicode_FromStringAndSize(str, n);
        }

        case 'N':
        case 'S':
        case 'O':
            if (**p_format == '&') {
                typedef PyObject *(*converter)(void *);
                converter func = va_arg(*p_va, converter);
                void *arg = va_arg(*p_va, void *);
                ++*p_format;
                return func(arg);
            }
            else {
                PyObject *v = va_arg(*p_va, PyObject *);
                if (v != NULL) {
                    if (c != 'N') {
                        PYR_INCREF(v);
                    }
                }
                else if (!PyErr_Occurred()) {
                    /* A NULL from a failed constructor call passes its
                       error on; a NULL without an error is a bug. */
                    PyErr_SetString(PyExc_SystemError,
                                    "NULL object passed to Py_BuildValue");
                }
                return v;
            }

        case ':':
        case ',':
        case ' ':
        case '\t':
            break;

        default:
            PyErr_SetString(PyExc_SystemError,
                            "bad format char passed to Py_BuildValue");
            return NULL;
        }
    }
}

PyObject *
pyr_va_build_value(const char *format, va_list *p_va)
{
    const char *f = format;
    Py_ssize_t n = count_items(f, '\0');
    if (n < 0) {
        return NULL;
    }
    if (n == 0) {
        return none_ref();
    }
    if (n == 1) {
        return mkvalue(&f, p_va);
    }
    return mktuple(&f, p_va, '\0', n);
}

/* The values of a whole format as a tuple (even for 0 or 1 values); used
   by PyObject_CallFunction and friends. */
PyObject *
pyr_va_build_stack_tuple(const char *format, va_list *p_va)
{
    const char *f = format;
    Py_ssize_t n = count_items(f, '\0');
    if (n == 0) {
        return PyTuple_New(0);   /* e.g. only spaces: no arguments */
    }
    return mktuple(&f, p_va, '\0', n);
}

static PyObject *
va_build_value(const char *format, va_list va)
{
    va_list lva;
    PyObject *r;
    va_copy(lva, va);
    r = pyr_va_build_value(format, &lva);
    va_end(lva);
    return r;
}

PyObject *
Py_BuildValue(const char *format, ...)
{
    va_list va;
    PyObject *r;
    va_start(va, format);
    r = pyr_va_build_value(format, &va);
    va_end(va);
    return r;
}

PyObject *
_Py_BuildValue_SizeT(const char *format, ...)
{
    va_list va;
    PyObject *r;
    va_start(va, format);
    r = pyr_va_build_value(format, &va);
    va_end(va);
    return r;
}

PyObject *
Py_VaBuildValue(const char *format, va_list va)
{
    return va_build_value(format, va);
}

PyObject *
_Py_VaBuildValue_SizeT(const char *format, va_list va)
{
    return va_build_value(format, va);
}
