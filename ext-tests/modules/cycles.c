/*
 * cycles.c: extension objects in reference cycles. `Node` is a heap type with
 * Py_TPFLAGS_HAVE_GC, tp_traverse and tp_clear whose instances refer to one object each; a
 * cycle through nodes (alone, or with Python objects) that nothing else refers to must be
 * found and freed by the cycle collector (PyGC_Collect, gc.collect), and an object the
 * collector must not look at (made by PyObject_GC_New, not yet PyObject_GC_Track'ed) keeps
 * what it refers to alive. A module-level count of live nodes shows what was freed.
 */
#include "ext_test.h"

typedef struct {
    PyObject_HEAD
    PyObject *ref;
} Node;

static PyObject *node_type = NULL;
static Py_ssize_t live_nodes = 0;

static int node_traverse(PyObject *self, visitproc visit, void *arg) {
    Py_VISIT(((Node *)self)->ref);
    /* An instance of a heap type owns a reference to its type (visited since 3.9). */
    Py_VISIT((PyObject *)Py_TYPE(self));
    return 0;
}

static int node_clear(PyObject *self) {
    Node *n = (Node *)self;
    PyObject *old = n->ref;
    n->ref = NULL;
    Py_XDECREF(old);
    return 0;
}

static void node_dealloc(PyObject *self) {
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    node_clear(self);
    live_nodes--;
    PyObject_GC_Del(self);
    Py_DECREF(tp);
}

static PyType_Slot node_slots[] = {
    {Py_tp_dealloc, (void *)node_dealloc},
    {Py_tp_traverse, (void *)node_traverse},
    {Py_tp_clear, (void *)node_clear},
    {0, NULL},
};

static PyType_Spec node_spec = {"cycles.Node", sizeof(Node), 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, node_slots};

/* A node referring to `ref` (None: to nothing), tracked unless `track` is 0. */
static PyObject *make_node(PyObject *ref, int track) {
    Node *n = PyObject_GC_New(Node, (PyTypeObject *)node_type);
    if (!n) return NULL;
    n->ref = NULL;
    if (ref != Py_None) {
        Py_INCREF(ref);
        n->ref = ref;
    }
    live_nodes++;
    if (track) PyObject_GC_Track((PyObject *)n);
    return (PyObject *)n;
}

static int is_node(PyObject *o) {
    if (PyObject_IsInstance(o, node_type) == 1) return 1;
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "a cycles.Node is required");
    return 0;
}

static PyObject *node(PyObject *m, PyObject *ref) { return make_node(ref, 1); }

static PyObject *untracked_node(PyObject *m, PyObject *ref) { return make_node(ref, 0); }

static PyObject *set_ref(PyObject *m, PyObject *args) {
    PyObject *n, *ref, *old;
    if (!PyArg_ParseTuple(args, "OO", &n, &ref) || !is_node(n)) return NULL;
    old = ((Node *)n)->ref;
    Py_INCREF(ref);
    ((Node *)n)->ref = ref;
    Py_XDECREF(old);
    Py_RETURN_NONE;
}

static PyObject *get_ref(PyObject *m, PyObject *n) {
    PyObject *r;
    if (!is_node(n)) return NULL;
    r = ((Node *)n)->ref ? ((Node *)n)->ref : Py_None;
    Py_INCREF(r);
    return r;
}

static PyObject *track(PyObject *m, PyObject *n) {
    if (!is_node(n)) return NULL;
    PyObject_GC_Track(n);
    Py_RETURN_NONE;
}

static PyObject *live(PyObject *m, PyObject *unused) { return PyLong_FromSsize_t(live_nodes); }

static PyObject *collect(PyObject *m, PyObject *unused) { return PyLong_FromSsize_t(PyGC_Collect()); }

#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03090000
static PyObject *is_tracked(PyObject *m, PyObject *o) { return PyBool_FromLong(PyObject_GC_IsTracked(o)); }
#endif

#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x030A0000
/* PyGC_Disable, then PyGC_IsEnabled, then PyGC_Enable: the three results. */
static PyObject *switch_gc(PyObject *m, PyObject *unused) {
    int was = PyGC_Disable();
    int now = PyGC_IsEnabled();
    int before_enable = PyGC_Enable();
    return Py_BuildValue("(iii)", was, now, before_enable);
}
#endif

static PyMethodDef methods[] = {
    {"node", node, METH_O, NULL},
    {"untracked_node", untracked_node, METH_O, NULL},
    {"set_ref", set_ref, METH_VARARGS, NULL},
    {"get_ref", get_ref, METH_O, NULL},
    {"track", track, METH_O, NULL},
    {"live", live, METH_NOARGS, NULL},
    {"collect", collect, METH_NOARGS, NULL},
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03090000
    {"is_tracked", is_tracked, METH_O, NULL},
#endif
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x030A0000
    {"switch_gc", switch_gc, METH_NOARGS, NULL},
#endif
    {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *m) {
    if (node_type == NULL) {
        node_type = PyType_FromSpec(&node_spec);
        if (!node_type) return -1;
    }
    Py_INCREF(node_type);
    if (PyModule_AddObject(m, "Node", node_type) < 0) {
        Py_DECREF(node_type);
        return -1;
    }
    return 0;
}

EXT_TEST_MODULE(cycles, methods, exec_module)
