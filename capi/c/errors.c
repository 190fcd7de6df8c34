/*
 * errors.c -- PyErr_Format / PyErr_FormatV (CPython 3.15 semantics).
 */
#include "pyrite_capi.h"

/* Like CPython: any pending exception is cleared first (formatting may run
   arbitrary code such as __repr__), then the formatted message is set as
   the exception value.  Always returns NULL. */
PyObject *
PyErr_FormatV(PyObject *exception, const char *format, va_list vargs)
{
    va_list lva;
    PyObject *string;

    PyErr_Clear();
    va_copy(lva, vargs);
    string = pyr_unicode_fromformat_v(format, &lva);
    va_end(lva);
    if (string != NULL) {
        PyErr_SetObject(exception, string);
        PYR_DECREF(string);
    }
    return NULL;
}

PyObject *
PyErr_Format(PyObject *exception, const char *format, ...)
{
    va_list va;
    PyObject *string;

    va_start(va, format);
    PyErr_Clear();
    string = pyr_unicode_fromformat_v(format, &va);
    va_end(va);
    if (string != NULL) {
        PyErr_SetObject(exception, string);
        PYR_DECREF(string);
    }
    return NULL;
}
