/* Test helpers compiled into the differential-test library next to the
 * capi/c sources (which are renamed pyrite_*).  The Python driver
 * (test_capi_c.py) calls everything through ctypes; this file provides
 * what ctypes cannot express directly:
 *   - variadic wrappers around the va_list entry points, for both the
 *     host CPython's function and Pyrite's (t_cpy_* / t_pyr_*),
 *   - O& converters for PyArg_Parse* and Py_BuildValue.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdarg.h>

/* Pyrite's va_list functions under their test names. */
PyObject *pyrite_Py_VaBuildValue(const char *, va_list);
PyObject *pyrite__Py_VaBuildValue_SizeT(const char *, va_list);
int pyrite_PyArg_VaParse(PyObject *, const char *, va_list);
int pyrite__PyArg_VaParse_SizeT(PyObject *, const char *, va_list);
int pyrite_PyArg_VaParseTupleAndKeywords(PyObject *, PyObject *, const char *,
                                         char * const *, va_list);
int pyrite__PyArg_VaParseTupleAndKeywords_SizeT(PyObject *, PyObject *,
                                                const char *, char * const *,
                                                va_list);
PyObject *pyrite_PyErr_FormatV(PyObject *, const char *, va_list);
PyObject *pyrite_PyUnicode_FromFormatV(const char *, va_list);
PyObject *pyrite_PyBytes_FromFormatV(const char *, va_list);
int pyrite_PyOS_vsnprintf(char *, size_t, const char *, va_list);

/* CPython's (3.11 maps the plain names to *_SizeT under PY_SSIZE_T_CLEAN). */
PyObject *_Py_VaBuildValue_SizeT(const char *, va_list);

#define VA_WRAP_OBJ(NAME, CALL) \
    PyObject *NAME(const char *fmt, ...) { \
        va_list va; PyObject *r; va_start(va, fmt); r = CALL; va_end(va); return r; }

VA_WRAP_OBJ(t_cpy_VaBuildValue, Py_VaBuildValue(fmt, va))
VA_WRAP_OBJ(t_pyr_VaBuildValue, pyrite_Py_VaBuildValue(fmt, va))
VA_WRAP_OBJ(t_cpy_VaBuildValue_SizeT, _Py_VaBuildValue_SizeT(fmt, va))
VA_WRAP_OBJ(t_pyr_VaBuildValue_SizeT, pyrite__Py_VaBuildValue_SizeT(fmt, va))
VA_WRAP_OBJ(t_cpy_FromFormatV, PyUnicode_FromFormatV(fmt, va))
VA_WRAP_OBJ(t_pyr_FromFormatV, pyrite_PyUnicode_FromFormatV(fmt, va))
VA_WRAP_OBJ(t_cpy_BytesFromFormatV, PyBytes_FromFormatV(fmt, va))
VA_WRAP_OBJ(t_pyr_BytesFromFormatV, pyrite_PyBytes_FromFormatV(fmt, va))

int t_cpy_vsnprintf(char *buf, size_t size, const char *fmt, ...)
{ va_list va; int r; va_start(va, fmt); r = PyOS_vsnprintf(buf, size, fmt, va); va_end(va); return r; }
int t_pyr_vsnprintf(char *buf, size_t size, const char *fmt, ...)
{ va_list va; int r; va_start(va, fmt); r = pyrite_PyOS_vsnprintf(buf, size, fmt, va); va_end(va); return r; }

PyObject *t_cpy_ErrFormatV(PyObject *exc, const char *fmt, ...)
{ va_list va; PyObject *r; va_start(va, fmt); r = PyErr_FormatV(exc, fmt, va); va_end(va); return r; }
PyObject *t_pyr_ErrFormatV(PyObject *exc, const char *fmt, ...)
{ va_list va; PyObject *r; va_start(va, fmt); r = pyrite_PyErr_FormatV(exc, fmt, va); va_end(va); return r; }

int t_cpy_VaParse(PyObject *args, const char *fmt, ...)
{ va_list va; int r; va_start(va, fmt); r = PyArg_VaParse(args, fmt, va); va_end(va); return r; }
int t_pyr_VaParse(PyObject *args, const char *fmt, ...)
{ va_list va; int r; va_start(va, fmt); r = pyrite_PyArg_VaParse(args, fmt, va); va_end(va); return r; }
int t_pyr_VaParse_SizeT(PyObject *args, const char *fmt, ...)
{ va_list va; int r; va_start(va, fmt); r = pyrite__PyArg_VaParse_SizeT(args, fmt, va); va_end(va); return r; }

int t_cpy_VaParseKw(PyObject *args, PyObject *kw, const char *fmt, char **kwlist, ...)
{ va_list va; int r; va_start(va, kwlist); r = PyArg_VaParseTupleAndKeywords(args, kw, fmt, kwlist, va); va_end(va); return r; }
int t_pyr_VaParseKw(PyObject *args, PyObject *kw, const char *fmt, char **kwlist, ...)
{ va_list va; int r; va_start(va, kwlist); r = pyrite_PyArg_VaParseTupleAndKeywords(args, kw, fmt, kwlist, va); va_end(va); return r; }
int t_pyr_VaParseKw_SizeT(PyObject *args, PyObject *kw, const char *fmt, char **kwlist, ...)
{ va_list va; int r; va_start(va, kwlist); r = pyrite__PyArg_VaParseTupleAndKeywords_SizeT(args, kw, fmt, kwlist, va); va_end(va); return r; }

/* ---- O& converters for PyArg_Parse* ---- */
static long cleanup_calls = 0;

long t_cleanup_calls(void) { return cleanup_calls; }
void t_reset_cleanup_calls(void) { cleanup_calls = 0; }

/* stores int(o) + 1 into a long */
int t_conv_plus_one(PyObject *o, void *addr)
{
    long v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred()) {
        return 0;
    }
    *(long *)addr = v + 1;
    return 1;
}

/* fails with ValueError */
int t_conv_fail(PyObject *o, void *addr)
{
    (void)o; (void)addr;
    PyErr_SetString(PyExc_ValueError, "converter refused");
    return 0;
}

/* fails without setting an exception */
int t_conv_fail_silent(PyObject *o, void *addr)
{
    (void)o; (void)addr;
    return 0;
}

/* keeps a new reference to o in *addr; released on cleanup (o == NULL) */
int t_conv_cleanup(PyObject *o, void *addr)
{
    if (o == NULL) {
        cleanup_calls++;
        Py_CLEAR(*(PyObject **)addr);
        return 0;
    }
    Py_INCREF(o);
    *(PyObject **)addr = o;
    return Py_CLEANUP_SUPPORTED;
}

/* ---- O& converters for Py_BuildValue ---- */
PyObject *t_bconv_long(void *p)
{
    return PyLong_FromLong(*(long *)p);
}

PyObject *t_bconv_fail(void *p)
{
    (void)p;
    PyErr_SetString(PyExc_RuntimeError, "bconv failed");
    return NULL;
}

/* A buffer exporter with a releasebuffer slot, to test "read-only
   bytes-like object" refusals is simply bytearray / memoryview. */

/* Function-pointer getters so ctypes can pass them as void*. */
void *t_addr(const char *name)
{
    if (!strcmp(name, "conv_plus_one")) return (void *)t_conv_plus_one;
    if (!strcmp(name, "conv_fail")) return (void *)t_conv_fail;
    if (!strcmp(name, "conv_fail_silent")) return (void *)t_conv_fail_silent;
    if (!strcmp(name, "conv_cleanup")) return (void *)t_conv_cleanup;
    if (!strcmp(name, "bconv_long")) return (void *)t_bconv_long;
    if (!strcmp(name, "bconv_fail")) return (void *)t_bconv_fail;
    return NULL;
}
