/*
 * sysmodule.c -- PySys_WriteStdout / PySys_WriteStderr (printf-style,
 * at most 1000 bytes, then "... truncated") and PySys_FormatStdout /
 * PySys_FormatStderr (PyUnicode_FromFormat-style), written to sys.stdout /
 * sys.stderr, falling back to the C stdio stream; the pending exception is
 * preserved.  PySys_Audit (Py_BuildValue-style arguments, a single
 * non-tuple value wrapped in a 1-tuple) via PySys_AuditTuple.
 * CPython 3.15 semantics.
 */
#include "pyrite_capi.h"

#include <stdio.h>

#define Py_PRINT_RAW 1

static int
write_unicode(PyObject *unicode, PyObject *file)
{
    if (file == NULL || file == Py_None) {
        return -1;
    }
    return PyFile_WriteObject(unicode, file, Py_PRINT_RAW);
}

static int
write_cstr(const char *text, PyObject *file)
{
    if (file == NULL || file == Py_None) {
        return -1;
    }
    PyObject *u = PyUnicode_FromString(text);
    if (u == NULL) {
        return -1;
    }
    int r = write_unicode(u, file);
    PYR_DECREF(u);
    return r;
}

static void
sys_write(const char *name, FILE *fp, const char *format, va_list va)
{
    char buffer[1001];
    PyObject *exc = PyErr_GetRaisedException();
    int written = PyOS_vsnprintf(buffer, sizeof(buffer), format, va);
    PyObject *file = PySys_GetObject(name);   /* borrowed */
    if (write_cstr(buffer, file) != 0) {
        PyErr_Clear();
        fputs(buffer, fp);
    }
    if (written < 0 || (size_t)written >= sizeof(buffer)) {
        const char *truncated = "... truncated";
        if (write_cstr(truncated, file) != 0) {
            PyErr_Clear();
            fputs(truncated, fp);
        }
    }
    PyErr_SetRaisedException(exc);
}

static void
sys_format(const char *name, FILE *fp, const char *format, va_list va)
{
    PyObject *exc = PyErr_GetRaisedException();
    PyObject *message = PyUnicode_FromFormatV(format, va);
    if (message != NULL) {
        PyObject *file = PySys_GetObject(name);
        if (write_unicode(message, file) != 0) {
            Py_ssize_t n;
            const char *utf8;
            PyErr_Clear();
            utf8 = PyUnicode_AsUTF8AndSize(message, &n);
            if (utf8 != NULL) {
                fputs(utf8, fp);
            }
        }
        PYR_DECREF(message);
    }
    PyErr_SetRaisedException(exc);
}

void
PySys_WriteStdout(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    sys_write("stdout", stdout, format, va);
    va_end(va);
}

void
PySys_WriteStderr(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    sys_write("stderr", stderr, format, va);
    va_end(va);
}

void
PySys_FormatStdout(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    sys_format("stdout", stdout, format, va);
    va_end(va);
}

void
PySys_FormatStderr(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    sys_format("stderr", stderr, format, va);
    va_end(va);
}

int
PySys_Audit(const char *event, const char *argFormat, ...)
{
    PyObject *args;
    va_list va;
    if (argFormat != NULL && argFormat[0]) {
        va_start(va, argFormat);
        args = pyr_va_build_value(argFormat, &va);
        va_end(va);
        if (args != NULL && !PYR_TUPLE_CHECK(args)) {
            PyObject *t = PyTuple_New(1);
            if (t == NULL) {
                PYR_DECREF(args);
                return -1;
            }
            PyTuple_SetItem(t, 0, args);   /* steals */
            args = t;
        }
    }
    else {
        args = PyTuple_New(0);
    }
    if (args == NULL) {
        return -1;
    }
    int r = PySys_AuditTuple(event, args);
    PYR_DECREF(args);
    return r;
}
