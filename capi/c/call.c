/*
 * call.c -- PyObject_CallFunction, PyObject_CallMethod, the *ObjArgs
 * variants, their _SizeT aliases, the legacy PyEval_CallFunction /
 * PyEval_CallMethod, and PyTuple_Pack (CPython 3.15 semantics).
 */
#include "pyrite_capi.h"

static PyObject *
null_error(void)
{
    if (!PyErr_Occurred()) {
        PyErr_SetString(PyExc_SystemError, "null argument to internal routine");
    }
    return NULL;
}

/* Call callable with the values described by a Py_BuildValue format.
 * A NULL or empty format calls with no arguments.  When the format yields
 * exactly one value and it is a tuple, that tuple is the argument list
 * (so "O" with a tuple, or "(iii)", spread their items). */
static PyObject *
call_function_va(PyObject *callable, const char *format, va_list *p_va)
{
    PyObject *args, *result;

    if (callable == NULL) {
        return null_error();
    }
    if (format == NULL || *format == '\0') {
        return PyObject_CallNoArgs(callable);
    }
    args = pyr_va_build_stack_tuple(format, p_va);
    if (args == NULL) {
        return NULL;
    }
    if (PyTuple_Size(args) == 1) {
        PyObject *only = PyTuple_GetItem(args, 0);
        if (PYR_TUPLE_CHECK(only)) {
            result = PyObject_Call(callable, only, NULL);
            PYR_DECREF(args);
            return result;
        }
    }
    result = PyObject_Call(callable, args, NULL);
    PYR_DECREF(args);
    return result;
}

static PyObject *
call_method_va(PyObject *callable, const char *format, va_list *p_va)
{
    if (!PyCallable_Check(callable)) {
        char tn[PYR_TPNAME_BUFSIZE];
        PyErr_Format(PyExc_TypeError, "attribute of type '%.200s' is not callable",
                     pyr_obj_tp_name(callable, tn, sizeof(tn)));
        return NULL;
    }
    return call_function_va(callable, format, p_va);
}

PyObject *
PyObject_CallFunction(PyObject *callable, const char *format, ...)
{
    va_list va;
    PyObject *r;
    va_start(va, format);
    r = call_function_va(callable, format, &va);
    va_end(va);
    return r;
}

PyObject *
_PyObject_CallFunction_SizeT(PyObject *callable, const char *format, ...)
{
    va_list va;
    PyObject *r;
    va_start(va, format);
    r = call_function_va(callable, format, &va);
    va_end(va);
    return r;
}

static PyObject *
call_method(PyObject *obj, const char *name, const char *format, va_list *p_va)
{
    PyObject *callable, *r;
    if (obj == NULL || name == NULL) {
        return null_error();
    }
    callable = PyObject_GetAttrString(obj, name);
    if (callable == NULL) {
        return NULL;
    }
    r = call_method_va(callable, format, p_va);
    PYR_DECREF(callable);
    return r;
}

PyObject *
PyObject_CallMethod(PyObject *obj, const char *name, const char *format, ...)
{
    va_list va;
    PyObject *r;
    va_start(va, format);
    r = call_method(obj, name, format, &va);
    va_end(va);
    return r;
}

PyObject *
_PyObject_CallMethod_SizeT(PyObject *obj, const char *name,
                           const char *format, ...)
{
    va_list va;
    PyObject *r;
    va_start(va, format);
    r = call_method(obj, name, format, &va);
    va_end(va);
    return r;
}

/* Collect a NULL-terminated list of PyObject* arguments (borrowed) into an
   array; slot 0 is left free for a "self".  Returns the count, or -1 with
   MemoryError. */
#define SMALL_STACK 8
static Py_ssize_t
collect_objargs(va_list *p_va, PyObject ***p_stack, PyObject **small)
{
    va_list count_va;
    Py_ssize_t n = 0;
    va_copy(count_va, *p_va);
    while (va_arg(count_va, PyObject *) != NULL) {
        n++;
    }
    va_end(count_va);

    PyObject **stack = small;
    if (n + 1 > SMALL_STACK) {
        stack = PyMem_Malloc((size_t)(n + 1) * sizeof(PyObject *));
        if (stack == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        stack[i + 1] = va_arg(*p_va, PyObject *);
    }
    *p_stack = stack;
    return n;
}

PyObject *
PyObject_CallFunctionObjArgs(PyObject *callable, ...)
{
    PyObject *small[SMALL_STACK];
    PyObject **stack;
    Py_ssize_t n;
    PyObject *r;
    va_list va;

    if (callable == NULL) {
        return null_error();
    }
    va_start(va, callable);
    n = collect_objargs(&va, &stack, small);
    va_end(va);
    if (n < 0) {
        return NULL;
    }
    r = PyObject_Vectorcall(callable, stack + 1,
                            (size_t)n | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
    if (stack != small) {
        PyMem_Free(stack);
    }
    return r;
}

PyObject *
PyObject_CallMethodObjArgs(PyObject *obj, PyObject *name, ...)
{
    PyObject *small[SMALL_STACK];
    PyObject **stack;
    Py_ssize_t n;
    PyObject *r;
    va_list va;

    if (obj == NULL || name == NULL) {
        return null_error();
    }
    va_start(va, name);
    n = collect_objargs(&va, &stack, small);
    va_end(va);
    if (n < 0) {
        return NULL;
    }
    stack[0] = obj;
    r = PyObject_VectorcallMethod(name, stack, (size_t)(n + 1), NULL);
    if (stack != small) {
        PyMem_Free(stack);
    }
    return r;
}

PyObject *
PyTuple_Pack(Py_ssize_t n, ...)
{
    va_list va;
    PyObject *result = PyTuple_New(n);
    if (result == NULL) {
        return NULL;
    }
    /* As in CPython 3.14+, a tuple whose items cannot be part of a reference cycle (no
       item has the GC flag, or each such item is an untracked tuple) is not tracked. */
    int may_cycle = 0;
    va_start(va, n);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = va_arg(va, PyObject *);
        if ((PYR_TYPE_FLAGS(o) & Py_TPFLAGS_HAVE_GC)
            && (!PYR_TUPLE_CHECK(o) || PyObject_GC_IsTracked(o))) {
            may_cycle = 1;
        }
        PYR_INCREF(o);
        if (PyTuple_SetItem(result, i, o) < 0) {
            va_end(va);
            PYR_DECREF(result);
            return NULL;
        }
    }
    va_end(va);
    if (!may_cycle && PyObject_GC_IsTracked(result)) {
        PyObject_GC_UnTrack(result);
    }
    return result;
}

/* ---- legacy (abi-only) PyEval_CallFunction / PyEval_CallMethod ----
   In CPython 3.x these behave exactly like PyObject_CallFunction and
   PyObject_CallMethod. */

PyObject *
PyEval_CallFunction(PyObject *callable, const char *format, ...)
{
    va_list va;
    PyObject *r;
    va_start(va, format);
    r = call_function_va(callable, format, &va);
    va_end(va);
    return r;
}

PyObject *
PyEval_CallMethod(PyObject *obj, const char *name, const char *format, ...)
{
    va_list va;
    PyObject *r;
    va_start(va, format);
    r = call_method(obj, name, format, &va);
    va_end(va);
    return r;
}
