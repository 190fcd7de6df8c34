/* Test-build only shims, see pyrite_test_compat.h.  This file is compiled
 * against the host CPython and may use its (non-limited) API. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>
#include "pyrite_test_compat.h"

#if PY_VERSION_HEX < 0x030C0000
PyObject *
PyErr_GetRaisedException(void)
{
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    if (t == NULL) {
        return NULL;
    }
    PyErr_NormalizeException(&t, &v, &tb);
    if (tb != NULL && v != NULL) {
        PyException_SetTraceback(v, tb);
    }
    Py_XDECREF(t);
    Py_XDECREF(tb);
    return v;
}

void
PyErr_SetRaisedException(PyObject *exc)
{
    if (exc == NULL) {
        PyErr_Restore(NULL, NULL, NULL);
        return;
    }
    PyObject *t = (PyObject *)Py_TYPE(exc);
    Py_INCREF(t);
    PyErr_Restore(t, exc, PyException_GetTraceback(exc));
}
#endif

#if PY_VERSION_HEX < 0x030D0000
PyObject *
PyType_GetModuleName(PyTypeObject *type)
{
    return PyObject_GetAttrString((PyObject *)type, "__module__");
}

PyObject *
PyType_GetFullyQualifiedName(PyTypeObject *type)
{
    if (!(type->tp_flags & Py_TPFLAGS_HEAPTYPE)) {
        return PyUnicode_FromString(type->tp_name);
    }
    PyObject *qualname = PyType_GetQualName(type);
    if (qualname == NULL) {
        return NULL;
    }
    PyObject *module = PyType_GetModuleName(type);
    if (module == NULL) {
        Py_DECREF(qualname);
        return NULL;
    }
    PyObject *result;
    if (PyUnicode_Check(module)
        && !PyUnicode_EqualToUTF8(module, "builtins")
        && !PyUnicode_EqualToUTF8(module, "__main__")) {
        result = PyUnicode_FromFormat("%U.%U", module, qualname);
    }
    else {
        result = Py_NewRef(qualname);
    }
    Py_DECREF(module);
    Py_DECREF(qualname);
    return result;
}

int
PyUnicode_EqualToUTF8(PyObject *u, const char *s)
{
    Py_ssize_t n;
    const char *p = PyUnicode_AsUTF8AndSize(u, &n);
    if (p == NULL) {
        PyErr_Clear();
        return 0;
    }
    return (size_t)n == strlen(s) && memcmp(p, s, (size_t)n) == 0;
}

int
PySys_AuditTuple(const char *event, PyObject *args)
{
    return PySys_Audit(event, "O", args);
}
#endif
