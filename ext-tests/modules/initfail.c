/*
 * initfail: module initialisation that fails, built once per case (-DCASE_...). The runtime
 * must raise an exception that names the cause, worded as CPython words it.
 */
#include <Python.h>

#if defined(CASE_NULL_WITHOUT_ERROR)
PyMODINIT_FUNC PyInit_initfail(void) { return NULL; }

#elif defined(CASE_RAISES)
PyMODINIT_FUNC PyInit_initfail(void) {
    PyErr_SetString(PyExc_RuntimeError, "initfail refuses to load");
    return NULL;
}

#elif defined(CASE_MISSING_SYMBOL)
/* A function no runtime exports: dlopen with RTLD_NOW must fail and name it. */
PyAPI_FUNC(PyObject *) PyPyrite_NoSuchFunction(void);
PyMODINIT_FUNC PyInit_initfail(void) { return PyPyrite_NoSuchFunction(); }

#elif defined(CASE_EXEC_FAILS)
static int exec_fails(PyObject *m) {
    PyErr_SetString(PyExc_ValueError, "exec slot failed");
    return -1;
}
static PyModuleDef_Slot slots[] = {{Py_mod_exec, exec_fails}, {0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "initfail", NULL, 0, NULL, slots, NULL, NULL, NULL};
PyMODINIT_FUNC PyInit_initfail(void) { return PyModuleDef_Init(&def); }

#elif defined(CASE_FUTURE_ABI)
/* 3.15 module export declaring a stable ABI newer than the runtime (3.16). */
static PyABIInfo abi_info = {1, 0, PyABIInfo_STABLE | PyABIInfo_GIL, 0x03100000, 0x03100000};
static PySlot module_slots[] = {
    PySlot_STATIC_DATA(Py_mod_abi, &abi_info),
    PySlot_STATIC_DATA(Py_mod_name, "initfail"),
    PySlot_END,
};
PyMODEXPORT_FUNC PyModExport_initfail(void) { return module_slots; }

#elif defined(CASE_NO_ABI_SLOT)
/* PyModExport without the mandatory Py_mod_abi slot. */
static PySlot module_slots[] = {
    PySlot_STATIC_DATA(Py_mod_name, "initfail"),
    PySlot_END,
};
PyMODEXPORT_FUNC PyModExport_initfail(void) { return module_slots; }

#elif defined(CASE_NO_INIT)
int not_an_init_function(void) { return 0; }

#else
#error "define one CASE_..."
#endif
