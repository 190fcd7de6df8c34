/*
 * pyrite_util.c -- internal helpers for the C-implemented C API functions.
 * Nothing here is exported.  Only public (Stable ABI) C API is used.
 */
#include "pyrite_capi.h"

#include <stdio.h>
#include <stdint.h>

/* ------------------------------------------------------------------ */
/* growable byte buffer                                                */
/* ------------------------------------------------------------------ */

void
pyr_sbuf_init(pyr_sbuf *b)
{
    b->buf = b->small;
    b->len = 0;
    b->cap = sizeof(b->small);
    b->small[0] = '\0';
}

void
pyr_sbuf_free(pyr_sbuf *b)
{
    if (b->buf != b->small) {
        PyMem_Free(b->buf);
    }
    pyr_sbuf_init(b);
}

static int
sbuf_reserve(pyr_sbuf *b, size_t extra)
{
    if (extra > (size_t)PY_SSIZE_T_MAX - b->len - 1) {
        PyErr_NoMemory();
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap) {
        return 0;
    }
    size_t ncap = b->cap * 2;
    if (ncap < need) {
        ncap = need;
    }
    char *nb;
    if (b->buf == b->small) {
        nb = PyMem_Malloc(ncap);
        if (nb != NULL) {
            memcpy(nb, b->small, b->len + 1);
        }
    }
    else {
        nb = PyMem_Realloc(b->buf, ncap);
    }
    if (nb == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->buf = nb;
    b->cap = ncap;
    return 0;
}

int
pyr_sbuf_put(pyr_sbuf *b, const char *s, size_t n)
{
    if (sbuf_reserve(b, n) < 0) {
        return -1;
    }
    if (n) {
        memcpy(b->buf + b->len, s, n);
    }
    b->len += n;
    b->buf[b->len] = '\0';
    return 0;
}

int
pyr_sbuf_putc(pyr_sbuf *b, char c)
{
    return pyr_sbuf_put(b, &c, 1);
}

int
pyr_sbuf_fill(pyr_sbuf *b, char c, size_t n)
{
    if (sbuf_reserve(b, n) < 0) {
        return -1;
    }
    memset(b->buf + b->len, c, n);
    b->len += n;
    b->buf[b->len] = '\0';
    return 0;
}

const char *
pyr_sbuf_cstr(pyr_sbuf *b)
{
    return b->buf;
}

void
pyr_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list va;
    va_start(va, fmt);
    vsnprintf(buf, size, fmt, va);
    va_end(va);
}

/* ------------------------------------------------------------------ */
/* tp_name                                                             */
/* ------------------------------------------------------------------ */

static int
copy_str(PyObject *s, char *buf, size_t size, size_t *pos)
{
    Py_ssize_t n;
    const char *u;
    if (s == NULL || !PYR_UNICODE_CHECK(s)) {
        return -1;
    }
    u = PyUnicode_AsUTF8AndSize(s, &n);
    if (u == NULL) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < n && *pos + 1 < size; i++) {
        buf[(*pos)++] = u[i];
    }
    buf[*pos] = '\0';
    return 0;
}

/* CPython's messages print Py_TYPE(x)->tp_name.  With public API only:
 *  - static (non-heap) types: tp_name is "module.name", or just "name" for
 *    builtins; PyType_GetModuleName() returns the part before the last dot
 *    (or "builtins") and PyType_GetName() the part after it, so the
 *    original string is rebuilt exactly.
 *  - heap types made by PyType_FromModuleAndSpec (PyType_GetModule()
 *    succeeds): tp_name is the spec's "module.name", rebuilt the same way.
 *  - other heap types: tp_name is the type's __name__ for classes defined
 *    in Python (what PyType_GetName() returns).  (Types made by
 *    PyType_FromSpec without a module keep the spec's dotted name in
 *    tp_name; for those this yields the short name.)
 * Never leaves an exception set (an exception set on entry is preserved). */
const char *
pyr_tp_name(PyTypeObject *type, char *buf, size_t size)
{
    size_t pos = 0;
    PyObject *exc = PyErr_GetRaisedException();
    PyObject *name = NULL, *module = NULL;

    buf[0] = '\0';
    name = PyType_GetName(type);
    if (name == NULL) {
        goto fail;
    }
    int qualified = !(PyType_GetFlags(type) & Py_TPFLAGS_HEAPTYPE);
    if (!qualified) {
        /* a heap type associated with a module was made from a PyType_Spec
           whose name is "module.name" */
        if (PyType_GetModule(type) != NULL) {
            qualified = 1;
        }
        else {
            PyErr_Clear();
        }
    }
    if (qualified) {
        module = PyType_GetModuleName(type);
        if (module == NULL) {
            goto fail;
        }
        if (PYR_UNICODE_CHECK(module)
            && !PyUnicode_EqualToUTF8(module, "builtins"))
        {
            if (copy_str(module, buf, size, &pos) < 0) {
                goto fail;
            }
            if (pos + 1 < size) {
                buf[pos++] = '.';
                buf[pos] = '\0';
            }
        }
    }
    if (copy_str(name, buf, size, &pos) < 0) {
        goto fail;
    }
    PYR_XDECREF(name);
    PYR_XDECREF(module);
    PyErr_SetRaisedException(exc);
    return buf;

fail:
    PYR_XDECREF(name);
    PYR_XDECREF(module);
    if (PyErr_Occurred()) {
        PyErr_Clear();
    }
    if (buf[0] == '\0') {
        pyr_snprintf(buf, size, "?");
    }
    PyErr_SetRaisedException(exc);
    return buf;
}

const char *
pyr_obj_tp_name(PyObject *obj, char *buf, size_t size)
{
    return pyr_tp_name(Py_TYPE(obj), buf, size);
}

/* ------------------------------------------------------------------ */
/* "Did you mean" suggestions (same metric as CPython's                */
/* _Py_CalculateSuggestions: Levenshtein distance with case-change     */
/* cost 1 and other edits cost 2, a match needing at most a third of   */
/* the characters changed).                                            */
/* ------------------------------------------------------------------ */

#define SUGG_MAX_CANDIDATES 750
#define SUGG_MAX_STRING 40
#define SUGG_MOVE 2
#define SUGG_CASE 1

static size_t
subst_cost(char a, char b)
{
    if ((a & 31) != (b & 31)) {
        return SUGG_MOVE;
    }
    if (a == b) {
        return 0;
    }
    if (a >= 'A' && a <= 'Z') {
        a = (char)(a + ('a' - 'A'));
    }
    if (b >= 'A' && b <= 'Z') {
        b = (char)(b + ('a' - 'A'));
    }
    return a == b ? SUGG_CASE : SUGG_MOVE;
}

static size_t
edit_distance(const char *a, size_t na, const char *b, size_t nb,
              size_t max_cost, size_t *row)
{
    if (a == b && na == nb) {
        return 0;
    }
    while (na && nb && a[0] == b[0]) {
        a++; b++; na--; nb--;
    }
    while (na && nb && a[na - 1] == b[nb - 1]) {
        na--; nb--;
    }
    if (na == 0 || nb == 0) {
        return (na + nb) * SUGG_MOVE;
    }
    if (na > SUGG_MAX_STRING || nb > SUGG_MAX_STRING) {
        return max_cost + 1;
    }
    if (nb < na) {
        const char *t = a; a = b; b = t;
        size_t tn = na; na = nb; nb = tn;
    }
    if ((nb - na) * SUGG_MOVE > max_cost) {
        return max_cost + 1;
    }
    for (size_t i = 0; i < na; i++) {
        row[i] = (i + 1) * SUGG_MOVE;
    }
    size_t result = 0;
    for (size_t bi = 0; bi < nb; bi++) {
        char code = b[bi];
        /* (as in CPython, the row starts from bi * MOVE) */
        size_t diag = bi * SUGG_MOVE;
        size_t rowmin = (size_t)-1;
        result = diag;
        for (size_t ai = 0; ai < na; ai++) {
            size_t sub = diag + subst_cost(code, a[ai]);
            size_t up = row[ai];
            size_t ins = (result < up ? result : up) + SUGG_MOVE;
            diag = up;
            result = ins < sub ? ins : sub;
            row[ai] = result;
            if (result < rowmin) {
                rowmin = result;
            }
        }
        if (rowmin > max_cost) {
            return max_cost + 1;
        }
    }
    return result;
}

/* candidates: a list of str.  Returns a new reference to the best
   candidate, or NULL (with or without an exception set). */
PyObject *
pyr_calculate_suggestion(PyObject *candidates, PyObject *name)
{
    Py_ssize_t n = PySequence_Size(candidates);
    Py_ssize_t name_len, best_dist = PY_SSIZE_T_MAX;
    PyObject *best = NULL;
    size_t row[SUGG_MAX_STRING];
    const char *name_s;

    if (n < 0) {
        return NULL;
    }
    if (n >= SUGG_MAX_CANDIDATES) {
        return NULL;
    }
    name_s = PyUnicode_AsUTF8AndSize(name, &name_len);
    if (name_s == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_GetItem(candidates, i);
        Py_ssize_t item_len;
        const char *item_s;
        if (item == NULL) {
            PYR_XDECREF(best);
            return NULL;
        }
        if (PyUnicode_Compare(name, item) == 0) {
            PYR_DECREF(item);
            continue;
        }
        if (PyErr_Occurred()) {
            PyErr_Clear();
        }
        item_s = PyUnicode_AsUTF8AndSize(item, &item_len);
        if (item_s == NULL) {
            PYR_DECREF(item);
            PYR_XDECREF(best);
            return NULL;
        }
        Py_ssize_t max_dist = (name_len + item_len + 3) * SUGG_MOVE / 6;
        if (best_dist - 1 < max_dist) {
            max_dist = best_dist - 1;
        }
        if (max_dist < 0) {
            PYR_DECREF(item);
            continue;
        }
        size_t d = edit_distance(name_s, (size_t)name_len, item_s,
                                 (size_t)item_len, (size_t)max_dist, row);
        if (d > (size_t)max_dist) {
            PYR_DECREF(item);
            continue;
        }
        if (best == NULL || (Py_ssize_t)d < best_dist) {
            PYR_XDECREF(best);
            best = item;
            best_dist = (Py_ssize_t)d;
        }
        else {
            PYR_DECREF(item);
        }
    }
    return best;
}
