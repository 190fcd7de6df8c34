/* Test-build only: Stable ABI functions that the capi/c code calls but
 * that an older host CPython (the differential test runs on the machine's
 * python3, e.g. 3.11) does not provide.  Implemented in compat.c for the
 * host's version only. */
#ifndef PYRITE_TEST_COMPAT_H
#define PYRITE_TEST_COMPAT_H

#if PY_VERSION_HEX < 0x030C0000
PyObject *PyErr_GetRaisedException(void);
void PyErr_SetRaisedException(PyObject *);
#endif

#if PY_VERSION_HEX < 0x030D0000
PyObject *PyType_GetModuleName(PyTypeObject *);
PyObject *PyType_GetFullyQualifiedName(PyTypeObject *);
int PyUnicode_EqualToUTF8(PyObject *, const char *);
int PySys_AuditTuple(const char *, PyObject *);
#endif

#endif
