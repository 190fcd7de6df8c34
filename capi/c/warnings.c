/*
 * warnings.c -- PyErr_WarnFormat and PyErr_ResourceWarning (CPython 3.15
 * semantics): the message is built like PyUnicode_FromFormat; a NULL
 * category means RuntimeWarning.
 */
#include "pyrite_capi.h"

static int
warn_message(PyObject *category, PyObject *message, Py_ssize_t stack_level,
             PyObject *source)
{
    if (category == NULL) {
        category = PyExc_RuntimeWarning;
    }
    if (source == NULL || source == Py_None) {
        Py_ssize_t n;
        const char *s = PyUnicode_AsUTF8AndSize(message, &n);
        if (s == NULL) {
            return -1;
        }
        return PyErr_WarnEx(category, s, stack_level);
    }
    /* with a source object: warnings.warn(message, category, stacklevel,
       source) -- the C API has no public entry point taking a source */
    PyObject *warnings = PyImport_ImportModule("warnings");
    if (warnings == NULL) {
        return -1;
    }
    PyObject *warn = PyObject_GetAttrString(warnings, "warn");
    PYR_DECREF(warnings);
    if (warn == NULL) {
        return -1;
    }
    PyObject *level = PyLong_FromSsize_t(stack_level);
    if (level == NULL) {
        PYR_DECREF(warn);
        return -1;
    }
    PyObject *args[4] = {message, category, level, source};
    PyObject *r = PyObject_Vectorcall(warn, args, 4, NULL);
    PYR_DECREF(level);
    PYR_DECREF(warn);
    if (r == NULL) {
        return -1;
    }
    PYR_DECREF(r);
    return 0;
}

int
PyErr_WarnFormat(PyObject *category, Py_ssize_t stack_level,
                 const char *format, ...)
{
    va_list va;
    PyObject *message;
    int r;
    va_start(va, format);
    message = pyr_unicode_fromformat_v(format, &va);
    va_end(va);
    if (message == NULL) {
        return -1;
    }
    r = warn_message(category, message, stack_level, NULL);
    PYR_DECREF(message);
    return r;
}

int
PyErr_ResourceWarning(PyObject *source, Py_ssize_t stack_level,
                      const char *format, ...)
{
    va_list va;
    PyObject *message;
    int r;
    va_start(va, format);
    message = pyr_unicode_fromformat_v(format, &va);
    va_end(va);
    if (message == NULL) {
        return -1;
    }
    r = warn_message(PyExc_ResourceWarning, message, stack_level, source);
    PYR_DECREF(message);
    return r;
}
