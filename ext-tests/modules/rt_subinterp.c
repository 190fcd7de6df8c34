/*
 * rt_subinterp: sub-interpreters and frame evaluation — Py_NewInterpreter/Py_EndInterpreter
 * (a legacy sub-interpreter has its own sys.modules, __main__, builtins, standard streams and
 * interpreter dict; PyThreadState_Swap moves between interpreters; the main one works on
 * after the sub-interpreter ends), PyInterpreterState_New/Clear/Delete with a thread state
 * of the bare interpreter, an extension module imported in both interpreters, and
 * PyEval_EvalFrame(Ex) on generator frames.
 *
 * Code that runs while a sub-interpreter is current records a failure (SUB_CHECK) and still
 * ends the sub-interpreter and swaps back before the test fails.
 */
#include "ext_test.h"

/* How many times this module's exec function ran (single-phase: its init function). */
static int exec_runs = 0;

static char failure[600];

/* Records the first failure seen while a sub-interpreter is current (with the exception
 * then set, which is cleared: it belongs to the thread state about to end). */
static void note_failure(int line, const char *cond) {
    PyObject *t, *v, *tb, *s = NULL, *b = NULL;
    if (failure[0]) { PyErr_Clear(); return; }
    PyErr_Fetch(&t, &v, &tb);
    PyErr_NormalizeException(&t, &v, &tb);
    if (v) s = PyObject_Repr(v);
    if (s) b = PyUnicode_AsUTF8String(s);
    PyErr_Clear();
    snprintf(failure, sizeof failure, "rt_subinterp.c:%d: %s%s%s", line, cond, b ? " with " : "", b ? PyBytes_AsString(b) : "");
    Py_XDECREF(b); Py_XDECREF(s); Py_XDECREF(t); Py_XDECREF(v); Py_XDECREF(tb);
}

#define SUB_CHECK(cond) do { if (!(cond)) { note_failure(__LINE__, #cond); goto end; } } while (0)

/* After swapping back: raise what SUB_CHECK recorded. */
#define REPORT_SUB_FAILURE() do { if (failure[0]) { \
    PyErr_SetString(PyExc_AssertionError, failure); failure[0] = 0; return NULL; } } while (0)

/* Runs statements in the current interpreter's __main__; 0 on success. */
static int run_main(const char *src) {
    PyObject *main = PyImport_AddModule("__main__"), *g, *code, *r;
    if (!main) return -1;
    g = PyModule_GetDict(main);
    code = Py_CompileString(src, "<rt_subinterp>", Py_file_input);
    if (!code) return -1;
    r = PyEval_EvalCode(code, g, g);
    Py_DECREF(code);
    if (!r) return -1;
    Py_DECREF(r);
    return 0;
}

/* Evaluates an expression in the current interpreter's __main__ (a new reference). */
static PyObject *eval_main(const char *expr) {
    PyObject *main = PyImport_AddModule("__main__"), *g, *code, *r;
    if (!main) return NULL;
    g = PyModule_GetDict(main);
    code = Py_CompileString(expr, "<rt_subinterp>", Py_eval_input);
    if (!code) return NULL;
    r = PyEval_EvalCode(code, g, g);
    Py_DECREF(code);
    return r;
}

/* repr(o) equals the text (o borrowed, may be NULL). */
static int repr_is(PyObject *o, const char *text) {
    PyObject *r;
    int ok;
    if (!o) return 0;
    r = PyObject_Repr(o);
    ok = ext_test_str_eq(r, text);
    Py_XDECREF(r);
    return ok;
}

/* run_in_subinterpreter(source): runs the statements in a new sub-interpreter's __main__,
 * then ends it; an exception there comes back as RuntimeError(repr(exception)). */
static PyObject *run_in_subinterpreter(PyObject *m, PyObject *src) {
    PyThreadState *main_ts = PyThreadState_Get(), *sub;
    PyObject *b = PyUnicode_AsUTF8String(src);
    char text[600] = "";
    if (!b) return NULL;
    sub = Py_NewInterpreter();
    if (!sub) {
        Py_DECREF(b);
        PyErr_SetString(PyExc_RuntimeError, "Py_NewInterpreter failed");
        return NULL;
    }
    if (run_main(PyBytes_AsString(b)) < 0) {
        PyObject *t, *v, *tb, *r, *rb;
        PyErr_Fetch(&t, &v, &tb);
        PyErr_NormalizeException(&t, &v, &tb);
        r = v ? PyObject_Repr(v) : NULL;
        rb = r ? PyUnicode_AsUTF8String(r) : NULL;
        snprintf(text, sizeof text, "%s", rb ? PyBytes_AsString(rb) : "?");
        Py_XDECREF(rb); Py_XDECREF(r); Py_XDECREF(t); Py_XDECREF(v); Py_XDECREF(tb);
        PyErr_Clear();
    }
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    Py_DECREF(b);
    if (text[0]) {
        PyErr_SetString(PyExc_RuntimeError, text);
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *answer(PyObject *m, PyObject *unused) { return PyLong_FromLong(42); }

static PyObject *exec_count(PyObject *m, PyObject *unused) { return PyLong_FromLong(exec_runs); }

static PyObject *test_new_interpreter_is_separate(PyObject *m, PyObject *unused) {
    PyThreadState *main_ts = PyThreadState_Get(), *sub, *old;
    PyInterpreterState *main_interp = PyInterpreterState_Get(), *si;
    PyObject *main_modules = PySys_GetObject("modules");
    PyObject *main_stdout = PySys_GetObject("stdout");
    PyObject *main_builtins = PyEval_GetBuiltins();
    PyObject *main_idict = PyInterpreterState_GetDict(main_interp);
    PyObject *main_main = PyImport_AddModule("__main__");
    PyObject *r = NULL;
    int kept;
    CHECK(main_modules && main_stdout && main_builtins && main_idict && main_main);
    CHECK(PyInterpreterState_GetID(main_interp) == 0);

    /* The caller's exception stays with the caller's thread state. */
    PyErr_SetString(PyExc_KeyError, "kept");
    sub = Py_NewInterpreter();
    if (!sub) return NULL;
    SUB_CHECK(PyErr_Occurred() == NULL);
    SUB_CHECK(PyThreadState_Get() == sub);
    si = PyInterpreterState_Get();
    SUB_CHECK(si != main_interp && PyThreadState_GetInterpreter(sub) == si);
    SUB_CHECK(PyInterpreterState_GetID(si) > 0);
    SUB_CHECK(PyInterpreterState_GetDict(si) != NULL && PyInterpreterState_GetDict(si) != main_idict);
    /* Its own sys.modules, __main__, builtins and sys.stdout; no frames yet. */
    SUB_CHECK(PySys_GetObject("modules") != NULL && PySys_GetObject("modules") != main_modules);
    SUB_CHECK(PySys_GetObject("stdout") != NULL && PySys_GetObject("stdout") != main_stdout);
    SUB_CHECK(PyImport_AddModule("__main__") != main_main);
    SUB_CHECK(PyEval_GetFrame() == NULL);
    SUB_CHECK(PyEval_GetBuiltins() != main_builtins);
    SUB_CHECK(run_main("import sys\nrt_subinterp_marker = 'sub'\nseen = 'rt_subinterp' in sys.modules\nimport colorsys\n") == 0);
    r = eval_main("(seen, 'colorsys' in sys.modules, sys.stdout is sys.__stdout__, __name__, rt_subinterp_marker)");
    SUB_CHECK(repr_is(r, "(False, True, True, '__main__', 'sub')"));
end:
    Py_XDECREF(r);
    Py_EndInterpreter(sub);
    old = PyThreadState_Swap(main_ts);
    kept = PyErr_Occurred() != NULL && PyErr_ExceptionMatches(PyExc_KeyError);
    PyErr_Clear();
    REPORT_SUB_FAILURE();
    CHECK(kept);
    CHECK(old == NULL);
    CHECK(PyThreadState_Get() == main_ts && PyInterpreterState_Get() == main_interp);
    /* Nothing the sub-interpreter did shows here. */
    CHECK(PySys_GetObject("modules") == main_modules);
    CHECK(PyDict_GetItemString(main_modules, "colorsys") == NULL);
    CHECK(PyDict_GetItemString(PyModule_GetDict(main_main), "rt_subinterp_marker") == NULL);
    Py_RETURN_NONE;
}

static PyObject *test_swap_back_and_forth(PyObject *m, PyObject *unused) {
    PyThreadState *main_ts = PyThreadState_Get(), *sub, *old;
    PyInterpreterState *main_interp = PyInterpreterState_Get(), *si;
    PyObject *main_main = PyImport_AddModule("__main__"), *sub_main = NULL, *r = NULL;
    int64_t id1, id2;

    sub = Py_NewInterpreter();
    CHECK(sub != NULL);
    si = PyInterpreterState_Get();
    id1 = PyInterpreterState_GetID(si);
    SUB_CHECK(run_main("rt_subinterp_value = 'sub'") == 0);
    SUB_CHECK(PyDict_SetItemString(PyInterpreterState_GetDict(si), "rt_subinterp_key", Py_True) == 0);
    sub_main = PyImport_AddModule("__main__");
    SUB_CHECK(sub_main != NULL && sub_main != main_main);

    /* To the main interpreter: its own __main__ and interpreter dict. */
    old = PyThreadState_Swap(main_ts);
    SUB_CHECK(old == sub);
    SUB_CHECK(PyInterpreterState_Get() == main_interp);
    SUB_CHECK(PyImport_AddModule("__main__") == main_main);
    SUB_CHECK(PyDict_GetItemString(PyModule_GetDict(main_main), "rt_subinterp_value") == NULL);
    SUB_CHECK(PyDict_GetItemString(PyInterpreterState_GetDict(main_interp), "rt_subinterp_key") == NULL);
    /* A second sub-interpreter gets a later id. */
    {
        PyThreadState *sub2 = Py_NewInterpreter();
        SUB_CHECK(sub2 != NULL);
        id2 = PyInterpreterState_GetID(PyInterpreterState_Get());
        Py_EndInterpreter(sub2);
        SUB_CHECK(PyThreadState_Swap(main_ts) == NULL);
        SUB_CHECK(id2 > id1);
    }

    /* And back: the sub-interpreter's state is where it was left. */
    old = PyThreadState_Swap(sub);
    SUB_CHECK(old == main_ts);
    SUB_CHECK(PyInterpreterState_Get() == si);
    SUB_CHECK(PyImport_AddModule("__main__") == sub_main);
    r = eval_main("rt_subinterp_value");
    SUB_CHECK(ext_test_str_eq(r, "sub"));
    SUB_CHECK(PyDict_GetItemString(PyInterpreterState_GetDict(si), "rt_subinterp_key") == Py_True);
end:
    Py_XDECREF(r);
    if (PyThreadState_Get() != sub) PyThreadState_Swap(sub);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    REPORT_SUB_FAILURE();
    CHECK(PyInterpreterState_Get() == main_interp);
    Py_RETURN_NONE;
}

static PyObject *test_main_works_after_end(PyObject *m, PyObject *unused) {
    PyThreadState *main_ts = PyThreadState_Get(), *sub;
    PyObject *main_modules = PySys_GetObject("modules"), *g, *code, *r;
    sub = Py_NewInterpreter();
    CHECK(sub != NULL);
    Py_EndInterpreter(sub);
    CHECK(PyThreadState_Swap(main_ts) == NULL);
    CHECK(PySys_GetObject("modules") == main_modules);
    /* Code runs, imports work, builtins are there. */
    g = PyDict_New();
    CHECK(g != NULL);
    code = Py_CompileString("import keyword\nresult = len(str(sorted([3, 1, 2]))) + keyword.iskeyword('if')\n", "<rt_subinterp>", Py_file_input);
    CHECK(code != NULL);
    r = PyEval_EvalCode(code, g, g);
    Py_DECREF(code);
    CHECK(r != NULL);
    Py_DECREF(r);
    CHECK(repr_is(PyDict_GetItemString(g, "result"), "10"));
    Py_DECREF(g);
    Py_RETURN_NONE;
}

/* 1 on Pyrite. */
static int on_pyrite(void) {
    PyObject *sys = PyImport_ImportModule("sys"), *impl, *name;
    int r = 0;
    if (!sys) return 0;
    impl = PyObject_GetAttrString(sys, "implementation");
    name = impl ? PyObject_GetAttrString(impl, "name") : NULL;
    r = ext_test_str_eq(name, "pyrite");
    Py_XDECREF(name); Py_XDECREF(impl); Py_DECREF(sys);
    PyErr_Clear();
    return r;
}

/* PyInterpreterState_New makes a bare interpreter (no modules); a thread state of it is made
 * and deleted without ever being current. CPython's PyInterpreterState_Clear crashes on a
 * bare interpreter (3.11 empties its NULL sys dict; 3.15 crashes too), so only Pyrite
 * clears one here. */
static PyObject *test_bare_interpreter_round_trip(PyObject *m, PyObject *unused) {
    PyThreadState *main_ts = PyThreadState_Get(), *ts;
    PyInterpreterState *main_interp = PyInterpreterState_Get();
    PyInterpreterState *interp = PyInterpreterState_New();
    PyObject *d;
    CHECK(interp != NULL && interp != main_interp);
    CHECK(PyInterpreterState_GetID(interp) > 0);
    ts = PyThreadState_New(interp);
    CHECK(ts != NULL && PyThreadState_GetInterpreter(ts) == interp);
    d = PyInterpreterState_GetDict(interp);
    CHECK(d != NULL && d != PyInterpreterState_GetDict(main_interp));
    CHECK(PyDict_SetItemString(d, "kept", Py_None) == 0);
    /* The caller's thread state stays current throughout. */
    CHECK(PyThreadState_Get() == main_ts);
    PyThreadState_Clear(ts);
    PyThreadState_Delete(ts);
    if (on_pyrite()) {
        /* A second thread state, left for Clear and Delete to dispose of. */
        CHECK(PyThreadState_New(interp) != NULL);
        PyInterpreterState_Clear(interp);
    }
    PyInterpreterState_Delete(interp);
    /* CPython 3.11 leaves no thread state current after any PyInterpreterState_Delete;
     * 3.12+ (and Pyrite) only when it deleted the current one. */
    PyThreadState_Swap(main_ts);
    CHECK(PyThreadState_Get() == main_ts && PyInterpreterState_Get() == main_interp);
    Py_RETURN_NONE;
}

/* A sub-interpreter ended by hand from the main one: PyInterpreterState_Clear clears its
 * thread state and modules, PyInterpreterState_Delete deletes the thread state and frees it. */
static PyObject *test_clear_and_delete_sub_interpreter(PyObject *m, PyObject *unused) {
    PyThreadState *main_ts = PyThreadState_Get(), *sub;
    PyInterpreterState *interp;
    sub = Py_NewInterpreter();
    CHECK(sub != NULL);
    interp = PyThreadState_GetInterpreter(sub);
    CHECK(PyThreadState_Swap(main_ts) == sub);
    PyInterpreterState_Clear(interp);
    PyInterpreterState_Delete(interp);
    PyThreadState_Swap(main_ts); /* see test_bare_interpreter_round_trip */
    CHECK(PyThreadState_Get() == main_ts);
    CHECK(PySys_GetObject("modules") != NULL);
    Py_RETURN_NONE;
}

#if defined(Py_TARGET_ABI3T) || (defined(Py_LIMITED_API) && Py_LIMITED_API+0 >= 0x030F0000)
#define MULTI_PHASE 1
#else
#define MULTI_PHASE 0
#endif

static PyObject *test_extension_in_both(PyObject *m, PyObject *unused) {
    PyThreadState *main_ts = PyThreadState_Get(), *sub;
    PyObject *main_mod = PyImport_ImportModule("rt_subinterp"), *dir, *sub_mod = NULL, *r = NULL;
    int runs_before = exec_runs;
    CHECK(main_mod != NULL);
    Py_DECREF(main_mod); /* sys.modules keeps it */
    dir = eval_main("__import__('os').path.dirname(__import__('rt_subinterp').__file__)");
    CHECK(dir != NULL);

    sub = Py_NewInterpreter();
    CHECK(sub != NULL);
    SUB_CHECK(PyList_Insert(PySys_GetObject("path"), 0, dir) == 0);
    sub_mod = PyImport_ImportModule("rt_subinterp");
    SUB_CHECK(sub_mod != NULL && sub_mod != main_mod);
    r = PyObject_CallMethod(sub_mod, "answer", NULL);
    SUB_CHECK(repr_is(r, "42"));
    /* Single-phase without module state: a copy of the first module's dict (the init
     * function does not run again); multi-phase: executed again for this interpreter. */
    SUB_CHECK(exec_runs == runs_before + MULTI_PHASE);
end:
    Py_XDECREF(r);
    Py_XDECREF(sub_mod);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    Py_DECREF(dir);
    REPORT_SUB_FAILURE();
    CHECK(PyImport_AddModule("rt_subinterp") == main_mod);
    Py_RETURN_NONE;
}

static const char GENERATORS[] =
    "def rt_subinterp_gen():\n"
    "    try:\n"
    "        yield 1\n"
    "    except KeyError:\n"
    "        yield 'caught'\n"
    "    yield 'after'\n"
    "def rt_subinterp_plain():\n"
    "    yield 1\n"
    "def rt_subinterp_steps():\n"
    "    yield 'first'\n"
    "    yield 'second'\n"
    "    return 'done'\n";


/* A started generator made by the function `name` of `ns`, and its frame (new references). */
static PyObject *started(PyObject *ns, const char *name, PyObject **frame) {
    PyObject *f = PyDict_GetItemString(ns, name), *g, *first;
    if (!f) return NULL;
    g = PyObject_CallObject(f, NULL);
    if (!g) return NULL;
    first = PyIter_Next(g);
    if (!first) { Py_DECREF(g); return NULL; }
    Py_DECREF(first);
    *frame = PyObject_GetAttrString(g, "gi_frame");
    if (!*frame) { Py_DECREF(g); return NULL; }
    return g;
}

/*
 * PyEval_EvalFrameEx(frame, 1) throws the current exception into a suspended generator at
 * its yield: handled, the generator's next yield is the result; unhandled, it propagates.
 * CPython 3.11 does the unhandled case cleanly (later versions leave the thread's exception
 * state inconsistent, so the CPython run stops at 3.11). Evaluating a suspended frame without
 * throwing, the running frame or a finished one crashes CPython 3.11 (it evaluates the frame
 * again without the value a resumption pushes): Pyrite resumes the generator as send(None)
 * does, and raises RuntimeError for the others; those checks run on Pyrite only.
 */
static PyObject *test_eval_frame(PyObject *m, PyObject *unused) {
    PyObject *ns, *code, *r, *g, *frame;
    int pyrite = on_pyrite();
    if (!pyrite && ext_test_runtime_hexversion() >= 0x030C0000) Py_RETURN_NONE;
    ns = PyDict_New();
    CHECK(ns != NULL);
    CHECK(PyDict_SetItemString(ns, "__builtins__", PyEval_GetBuiltins()) == 0);
    code = Py_CompileString(GENERATORS, "<rt_subinterp>", Py_file_input);
    CHECK(code != NULL);
    r = PyEval_EvalCode(code, ns, ns);
    Py_DECREF(code);
    CHECK(r != NULL);
    Py_DECREF(r);

    /* Thrown in, not handled: the exception comes out. */
    g = started(ns, "rt_subinterp_plain", &frame);
    CHECK(g != NULL);
    PyErr_SetString(PyExc_KeyError, "thrown");
    CHECK(PyEval_EvalFrameEx((PyFrameObject *)frame, 1) == NULL);
    CHECK_RAISED(PyExc_KeyError, "'thrown'");
    Py_DECREF(frame);
    Py_DECREF(g);

    if (pyrite) {
        PyObject *none;
        /* Thrown in and handled: what it yields next; the generator goes on from there.
         * (CPython 3.11 returns 'caught' too, but leaves the KeyError as the thread's
         * handled exception.) */
        g = started(ns, "rt_subinterp_gen", &frame);
        CHECK(g != NULL);
        PyErr_SetString(PyExc_KeyError, "thrown");
        r = PyEval_EvalFrameEx((PyFrameObject *)frame, 1);
        CHECK(ext_test_str_eq(r, "caught"));
        Py_DECREF(r);
        Py_DECREF(frame);
        r = PyIter_Next(g);
        CHECK(ext_test_str_eq(r, "after"));
        Py_DECREF(r);
        Py_DECREF(g);
        /* Resumed: each evaluation runs to the next yield, then to the return. */
        g = started(ns, "rt_subinterp_steps", &frame);
        CHECK(g != NULL);
        r = PyEval_EvalFrame((PyFrameObject *)frame);
        CHECK(ext_test_str_eq(r, "second"));
        Py_DECREF(r);
        r = PyEval_EvalFrameEx((PyFrameObject *)frame, 0);
        CHECK(ext_test_str_eq(r, "done"));
        Py_DECREF(r);
        none = PyObject_GetAttrString(g, "gi_frame");
        CHECK(none == Py_None);
        Py_DECREF(none);
        /* A finished frame, the running frame, throwflag without an exception. */
        CHECK(PyEval_EvalFrame((PyFrameObject *)frame) == NULL);
        CHECK_RAISED(PyExc_RuntimeError, "cannot evaluate a finished frame");
        Py_DECREF(frame);
        Py_DECREF(g);
        CHECK(PyEval_EvalFrame(PyEval_GetFrame()) == NULL);
        CHECK_RAISED(PyExc_RuntimeError, "cannot evaluate an executing frame");
        g = started(ns, "rt_subinterp_plain", &frame);
        CHECK(g != NULL);
        CHECK(PyEval_EvalFrameEx((PyFrameObject *)frame, 1) == NULL);
        CHECK_RAISED(PyExc_SystemError, "PyEval_EvalFrameEx: throwflag set without a current exception");
        Py_DECREF(frame);
        Py_DECREF(g);
    }
    Py_DECREF(ns);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"answer", answer, METH_NOARGS, NULL},
    {"run_in_subinterpreter", run_in_subinterpreter, METH_O, NULL},
    {"exec_count", exec_count, METH_NOARGS, NULL},
    {"test_new_interpreter_is_separate", test_new_interpreter_is_separate, METH_NOARGS, NULL},
    {"test_swap_back_and_forth", test_swap_back_and_forth, METH_NOARGS, NULL},
    {"test_main_works_after_end", test_main_works_after_end, METH_NOARGS, NULL},
    {"test_bare_interpreter_round_trip", test_bare_interpreter_round_trip, METH_NOARGS, NULL},
    {"test_clear_and_delete_sub_interpreter", test_clear_and_delete_sub_interpreter, METH_NOARGS, NULL},
    {"test_extension_in_both", test_extension_in_both, METH_NOARGS, NULL},
    {"test_eval_frame", test_eval_frame, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *m) {
    exec_runs++;
    return 0;
}

EXT_TEST_MODULE(rt_subinterp, methods, exec_module)
