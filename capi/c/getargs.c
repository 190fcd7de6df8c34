/*
 * getargs.c -- PyArg_Parse* (CPython 3.15 semantics and error messages).
 *
 * Format units: b B h H i I l k L K n c C f d D p s s# s* z z# z* y y# y*
 * S Y U O O! O& es et es# et# w* and nested ( ), with | $ : ;.
 * '#' lengths are Py_ssize_t.  On failure every buffer / allocation /
 * Py_CLEANUP_SUPPORTED converter already done is released (cleanup list).
 *
 * 3.15 behaviours reproduced: B H I k K warn (DeprecationWarning "integer
 * value out of range") for values that fit neither the signed nor the
 * unsigned C type and accept __index__; a '(...)' unit rejects str / bytes /
 * bytearray, and a non-tuple sequence given to a '(...)' holding units that
 * return borrowed pointers (s z y S Y U O) raises a DeprecationWarning;
 * unexpected keywords get a "Did you mean" suggestion.
 *
 * Only public (Stable ABI) API is used.  Deviation: where CPython calls
 * Py_FatalError for a malformed format (unbalanced parens, >= 30 nesting
 * levels) this raises SystemError with the same text.
 */
#include "pyrite_capi.h"

#include <stdio.h>

#define FLAG_COMPAT 1

typedef int (*destr_t)(PyObject *, void *);

typedef struct {
    void *item;
    destr_t destructor;
} freelistentry_t;

#define STATIC_FREELIST_ENTRIES 8

typedef struct {
    freelistentry_t *entries;
    int first_available;
    int capacity;
    freelistentry_t static_entries[STATIC_FREELIST_ENTRIES];
} freelist_t;

static void
freelist_init(freelist_t *fl)
{
    fl->entries = fl->static_entries;
    fl->first_available = 0;
    fl->capacity = STATIC_FREELIST_ENTRIES;
}

static int
cleanup_ptr(PyObject *self, void *ptr)
{
    (void)self;
    void **pptr = (void **)ptr;
    PyMem_Free(*pptr);
    *pptr = NULL;
    return 0;
}

static int
cleanup_buffer(PyObject *self, void *ptr)
{
    (void)self;
    Py_buffer *buf = (Py_buffer *)ptr;
    if (buf) {
        PyBuffer_Release(buf);
    }
    return 0;
}

static int
addcleanup(void *ptr, freelist_t *fl, destr_t destructor)
{
    if (fl->first_available >= fl->capacity) {
        int ncap = fl->capacity * 2;
        freelistentry_t *n = PyMem_Malloc(sizeof(freelistentry_t) * (size_t)ncap);
        if (n == NULL) {
            /* run the destructor now: the caller reports an error */
            destructor(NULL, ptr);
            return -1;
        }
        memcpy(n, fl->entries, sizeof(freelistentry_t) * (size_t)fl->capacity);
        if (fl->entries != fl->static_entries) {
            PyMem_Free(fl->entries);
        }
        fl->entries = n;
        fl->capacity = ncap;
    }
    fl->entries[fl->first_available].item = ptr;
    fl->entries[fl->first_available].destructor = destructor;
    fl->first_available++;
    return 0;
}

static int
cleanreturn(int retval, freelist_t *fl)
{
    if (retval == 0) {
        for (int i = 0; i < fl->first_available; i++) {
            fl->entries[i].destructor(NULL, fl->entries[i].item);
        }
    }
    if (fl->entries != fl->static_entries) {
        PyMem_Free(fl->entries);
    }
    fl->entries = fl->static_entries;
    fl->first_available = 0;
    return retval;
}

static int
is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static const char *convertitem(PyObject *, const char **, va_list *, int,
                               int *, char *, size_t, freelist_t *);
static const char *skipitem(const char **, va_list *, int);

/* ------------------------------------------------------------------ */
/* error reporting                                                     */
/* ------------------------------------------------------------------ */

static void
seterror(Py_ssize_t iarg, const char *msg, int *levels, const char *fname,
         const char *message)
{
    char buf[512];
    size_t p = 0;

    if (PyErr_Occurred()) {
        return;
    }
    if (message == NULL) {
        buf[0] = '\0';
        if (fname != NULL) {
            pyr_snprintf(buf, sizeof(buf), "%.200s() ", fname);
            p = strlen(buf);
        }
        if (iarg != 0) {
            pyr_snprintf(buf + p, sizeof(buf) - p, "argument %zd", iarg);
            p += strlen(buf + p);
            for (int i = 0; i < 32 && levels[i] > 0 && p < 220; i++) {
                pyr_snprintf(buf + p, sizeof(buf) - p, ", item %d", levels[i] - 1);
                p += strlen(buf + p);
            }
        }
        else {
            pyr_snprintf(buf + p, sizeof(buf) - p, "argument");
            p += strlen(buf + p);
        }
        pyr_snprintf(buf + p, sizeof(buf) - p, " %.256s", msg);
        message = buf;
    }
    if (msg[0] == '(') {
        PyErr_SetString(PyExc_SystemError, message);
    }
    else {
        PyErr_SetString(PyExc_TypeError, message);
    }
}

static const char *
converterr(const char *expected, PyObject *arg, char *msgbuf, size_t bufsize)
{
    if (expected[0] == '(') {
        pyr_snprintf(msgbuf, bufsize, "%.100s", expected);
    }
    else {
        char tn[PYR_TPNAME_BUFSIZE];
        pyr_snprintf(msgbuf, bufsize, "must be %.50s, not %.50s", expected,
                     arg == Py_None ? "None" : pyr_obj_tp_name(arg, tn, sizeof(tn)));
    }
    return msgbuf;
}

#define CONV_UNICODE "(unicode conversion error)"

/* ------------------------------------------------------------------ */
/* buffers                                                             */
/* ------------------------------------------------------------------ */

static int
getbuffer(PyObject *arg, Py_buffer *view, const char **errmsg)
{
    if (PyObject_GetBuffer(arg, view, PyBUF_SIMPLE) != 0) {
        *errmsg = "bytes-like object";
        return -1;
    }
    if (!PyBuffer_IsContiguous(view, 'C')) {
        PyBuffer_Release(view);
        *errmsg = "contiguous buffer";
        return -1;
    }
    return 0;
}

/* A pointer into a read-only buffer that stays valid without holding the
   buffer: refused for types that release their buffers. */
static Py_ssize_t
convertbuffer(PyObject *arg, const void **p, const char **errmsg)
{
    Py_buffer view;
    Py_ssize_t count;

    *errmsg = NULL;
    *p = NULL;
    if (PyType_GetSlot(Py_TYPE(arg), Py_bf_releasebuffer) != NULL) {
        *errmsg = "read-only bytes-like object";
        return -1;
    }
    if (PyErr_Occurred()) {
        PyErr_Clear();
    }
    if (getbuffer(arg, &view, errmsg) < 0) {
        return -1;
    }
    count = view.len;
    *p = view.buf;
    PyBuffer_Release(&view);
    return count;
}

/* ------------------------------------------------------------------ */
/* integers                                                            */
/* ------------------------------------------------------------------ */

/* B H I k K: the value of arg (via __index__) masked to nbytes; a
   DeprecationWarning when it fits neither the signed nor the unsigned
   C type of that size.  Returns -1 with an exception set. */
static int
bitfield_value(PyObject *arg, int nbytes, unsigned long long *out)
{
    PyObject *v = PyNumber_Index(arg);
    int inrange;
    if (v == NULL) {
        return -1;
    }
    unsigned long long mask = PyLong_AsUnsignedLongLongMask(v);
    if (mask == (unsigned long long)-1 && PyErr_Occurred()) {
        PYR_DECREF(v);
        return -1;
    }
    long long s = PyLong_AsLongLong(v);
    if (s == -1 && PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_OverflowError)) {
            PYR_DECREF(v);
            return -1;
        }
        PyErr_Clear();
        /* beyond long long: only the 8-byte unsigned range can hold it */
        unsigned long long u = PyLong_AsUnsignedLongLong(v);
        if (u == (unsigned long long)-1 && PyErr_Occurred()) {
            if (!PyErr_ExceptionMatches(PyExc_OverflowError)) {
                PYR_DECREF(v);
                return -1;
            }
            PyErr_Clear();
            inrange = 0;
        }
        else {
            inrange = (nbytes == 8);
        }
    }
    else if (nbytes == 8) {
        inrange = 1;
    }
    else {
        int bits = nbytes * 8;
        long long smin = -(1LL << (bits - 1));
        long long umax = (1LL << bits) - 1;
        inrange = (s >= smin && s <= umax);
    }
    PYR_DECREF(v);
    if (!inrange) {
        if (PyErr_WarnEx(PyExc_DeprecationWarning,
                         "integer value out of range", 1) < 0) {
            return -1;
        }
    }
    *out = mask;
    return 0;
}

/* ------------------------------------------------------------------ */
/* complex                                                             */
/* ------------------------------------------------------------------ */

static int
complex_value(PyObject *arg, Py_complex *out)
{
    double re, im;
    if (PYR_COMPLEX_CHECK(arg)) {
        re = PyComplex_RealAsDouble(arg);
        if (re == -1.0 && PyErr_Occurred()) {
            return -1;
        }
        im = PyComplex_ImagAsDouble(arg);
        if (im == -1.0 && PyErr_Occurred()) {
            return -1;
        }
    }
    else {
        /* __complex__ of the type, else a real number */
        PyObject *meth = PyObject_GetAttrString((PyObject *)Py_TYPE(arg),
                                                "__complex__");
        if (meth == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
                return -1;
            }
            PyErr_Clear();
            re = PyFloat_AsDouble(arg);
            if (re == -1.0 && PyErr_Occurred()) {
                return -1;
            }
            im = 0.0;
        }
        else {
            PyObject *res = PyObject_Vectorcall(meth, &arg, 1, NULL);
            PYR_DECREF(meth);
            if (res == NULL) {
                return -1;
            }
            if (!PYR_COMPLEX_CHECK(res)) {
                PyErr_Format(PyExc_TypeError,
                             "%T.__complex__() must return a complex, not %T",
                             arg, res);
                PYR_DECREF(res);
                return -1;
            }
            if (Py_TYPE(res) != &PyComplex_Type) {
                PyObject *m = PyUnicode_FromFormat(
                    "%T.__complex__() must return a complex, not %T.  "
                    "The ability to return an instance of a strict subclass "
                    "of complex is deprecated, and may be removed in a future "
                    "version of Python.", arg, res);
                Py_ssize_t ml;
                const char *ms = m ? PyUnicode_AsUTF8AndSize(m, &ml) : NULL;
                if (ms == NULL
                    || PyErr_WarnEx(PyExc_DeprecationWarning, ms, 1) < 0) {
                    PYR_XDECREF(m);
                    PYR_DECREF(res);
                    return -1;
                }
                PYR_DECREF(m);
            }
            re = PyComplex_RealAsDouble(res);
            im = PyComplex_ImagAsDouble(res);
            PYR_DECREF(res);
            if (PyErr_Occurred()) {
                return -1;
            }
        }
    }
    out->real = re;
    out->imag = im;
    return 0;
}

/* ------------------------------------------------------------------ */
/* tuples                                                              */
/* ------------------------------------------------------------------ */

/* Does the parenthesized format (starting after '(') hold a unit that
   returns a pointer borrowed from the item (s z y without '*', S Y U O)? */
static int
format_borrows(const char *format)
{
    int level = 0;
    for (const char *f = format; *f; f++) {
        char c = *f;
        if (c == '(') {
            level++;
        }
        else if (c == ')') {
            if (level == 0) {
                break;
            }
            level--;
        }
        else if (c == ':' || c == ';') {
            break;
        }
        else if (c == 'e') {
            if (f[1]) {
                f++;     /* es / et: an encoded copy */
            }
        }
        else if (c == 'S' || c == 'Y' || c == 'U' || c == 'O') {
            return 1;
        }
        else if ((c == 's' || c == 'z' || c == 'y') && f[1] != '*') {
            return 1;
        }
    }
    return 0;
}

static const char *
converttuple(PyObject *arg, const char **p_format, va_list *p_va, int flags,
             int *levels, char *msgbuf, size_t bufsize, freelist_t *freelist)
{
    int level = 0;
    int n = 0;
    const char *format = *p_format;
    Py_ssize_t len;

    for (;;) {
        int c = *format++;
        if (c == '(') {
            if (level == 0) {
                n++;
            }
            level++;
        }
        else if (c == ')') {
            if (level == 0) {
                break;
            }
            level--;
        }
        else if (c == ':' || c == ';' || c == '\0') {
            break;
        }
        else if (level == 0 && is_alpha(c) && c != 'e') {
            n++;   /* es / et count once, by their second letter */
        }
    }

    if (!PySequence_Check(arg) || PYR_UNICODE_CHECK(arg) || PYR_BYTES_CHECK(arg)
        || PYR_BYTEARRAY_CHECK(arg))
    {
        char tn[PYR_TPNAME_BUFSIZE];
        levels[0] = 0;
        pyr_snprintf(msgbuf, bufsize, "must be %d-item tuple, not %.50s", n,
                     arg == Py_None ? "None" : pyr_obj_tp_name(arg, tn, sizeof(tn)));
        return msgbuf;
    }

    /* The items are read from a tuple: a tuple argument is used as is,
       another sequence is copied into one.  Without units that borrow from
       the items, the sequence's length is checked first ("sequence of
       length"); with them a non-tuple is deprecated. */
    PyObject *seq;
    if (PYR_TUPLE_CHECK(arg)) {
        PYR_INCREF(arg);
        seq = arg;
    }
    else {
        if (format_borrows(*p_format)) {
            PyObject *m = PyUnicode_FromFormat(
                "argument must be %d-item tuple, not %T", n, arg);
            Py_ssize_t ml;
            const char *ms = m ? PyUnicode_AsUTF8AndSize(m, &ml) : NULL;
            if (ms == NULL || PyErr_WarnEx(PyExc_DeprecationWarning, ms, 1) < 0) {
                PYR_XDECREF(m);
                levels[0] = 0;
                pyr_snprintf(msgbuf, bufsize, "(warning)");
                return msgbuf;
            }
            PYR_DECREF(m);
        }
        else {
            len = PySequence_Size(arg);
            if (len != n) {
                levels[0] = 0;
                pyr_snprintf(msgbuf, bufsize,
                             "must be sequence of length %d, not %zd", n, len);
                return msgbuf;
            }
        }
        seq = PySequence_Tuple(arg);
        if (seq == NULL) {
            levels[0] = 0;
            pyr_snprintf(msgbuf, bufsize, "(sequence conversion failed)");
            return msgbuf;
        }
    }

    len = PyTuple_Size(seq);
    if (len != n) {
        levels[0] = 0;
        pyr_snprintf(msgbuf, bufsize, "must be tuple of length %d, not %zd", n, len);
        PYR_DECREF(seq);
        return msgbuf;
    }

    format = *p_format;
    for (int i = 0; i < n; i++) {
        const char *msg;
        PyObject *item = PyTuple_GetItem(seq, i);
        if (item == NULL) {
            PyErr_Clear();
            levels[0] = i + 1;
            levels[1] = 0;
            pyr_snprintf(msgbuf, bufsize, "is not retrievable");
            PYR_DECREF(seq);
            return msgbuf;
        }
        PYR_INCREF(item);
        msg = convertitem(item, &format, p_va, flags, levels + 1,
                          msgbuf, bufsize, freelist);
        PYR_DECREF(item);
        if (msg != NULL) {
            levels[0] = i + 1;
            PYR_DECREF(seq);
            return msg;
        }
    }
    PYR_DECREF(seq);

    *p_format = format;
    return NULL;
}

/* ------------------------------------------------------------------ */
/* single units                                                        */
/* ------------------------------------------------------------------ */

static const char *
convertsimple(PyObject *arg, const char **p_format, va_list *p_va, int flags,
              char *msgbuf, size_t bufsize, freelist_t *freelist)
{
#define RETURN_ERR_OCCURRED return msgbuf
    (void)flags;
    const char *format = *p_format;
    char c = *format++;
    const char *sarg;

    switch (c) {

    case 'b': { /* unsigned byte -- very short int */
        unsigned char *p = va_arg(*p_va, unsigned char *);
        long ival = PyLong_AsLong(arg);
        if (ival == -1 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        else if (ival < 0) {
            PyErr_SetString(PyExc_OverflowError,
                            "unsigned byte integer is less than minimum");
            RETURN_ERR_OCCURRED;
        }
        else if (ival > UCHAR_MAX) {
            PyErr_SetString(PyExc_OverflowError,
                            "unsigned byte integer is greater than maximum");
            RETURN_ERR_OCCURRED;
        }
        *p = (unsigned char)ival;
        break;
    }

    case 'B': { /* byte sized bitfield */
        unsigned char *p = va_arg(*p_va, unsigned char *);
        unsigned long long v;
        if (bitfield_value(arg, 1, &v) < 0) {
            RETURN_ERR_OCCURRED;
        }
        *p = (unsigned char)v;
        break;
    }

    case 'h': { /* signed short int */
        short *p = va_arg(*p_va, short *);
        long ival = PyLong_AsLong(arg);
        if (ival == -1 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        else if (ival < SHRT_MIN) {
            PyErr_SetString(PyExc_OverflowError,
                            "signed short integer is less than minimum");
            RETURN_ERR_OCCURRED;
        }
        else if (ival > SHRT_MAX) {
            PyErr_SetString(PyExc_OverflowError,
                            "signed short integer is greater than maximum");
            RETURN_ERR_OCCURRED;
        }
        *p = (short)ival;
        break;
    }

    case 'H': { /* short sized bitfield */
        unsigned short *p = va_arg(*p_va, unsigned short *);
        unsigned long long v;
        if (bitfield_value(arg, 2, &v) < 0) {
            RETURN_ERR_OCCURRED;
        }
        *p = (unsigned short)v;
        break;
    }

    case 'i': { /* signed int */
        int *p = va_arg(*p_va, int *);
        long ival = PyLong_AsLong(arg);
        if (ival == -1 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        else if (ival > INT_MAX) {
            PyErr_SetString(PyExc_OverflowError,
                            "signed integer is greater than maximum");
            RETURN_ERR_OCCURRED;
        }
        else if (ival < INT_MIN) {
            PyErr_SetString(PyExc_OverflowError,
                            "signed integer is less than minimum");
            RETURN_ERR_OCCURRED;
        }
        *p = (int)ival;
        break;
    }

    case 'I': { /* int sized bitfield */
        unsigned int *p = va_arg(*p_va, unsigned int *);
        unsigned long long v;
        if (bitfield_value(arg, 4, &v) < 0) {
            RETURN_ERR_OCCURRED;
        }
        *p = (unsigned int)v;
        break;
    }

    case 'n': { /* Py_ssize_t */
        Py_ssize_t *p = va_arg(*p_va, Py_ssize_t *);
        Py_ssize_t ival = -1;
        PyObject *iobj = PyNumber_Index(arg);
        if (iobj != NULL) {
            ival = PyLong_AsSsize_t(iobj);
            PYR_DECREF(iobj);
        }
        if (ival == -1 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        *p = ival;
        break;
    }

    case 'l': { /* long int */
        long *p = va_arg(*p_va, long *);
        long ival = PyLong_AsLong(arg);
        if (ival == -1 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        *p = ival;
        break;
    }

    case 'k': /* long sized bitfield */
    case 'K': { /* long long sized bitfield */
        void *p = va_arg(*p_va, void *);
        unsigned long long v;
        if (!PYR_LONG_CHECK(arg) && !PyIndex_Check(arg)) {
            return converterr("int", arg, msgbuf, bufsize);
        }
        if (bitfield_value(arg, 8, &v) < 0) {
            RETURN_ERR_OCCURRED;
        }
        if (c == 'k') {
            *(unsigned long *)p = (unsigned long)v;
        }
        else {
            *(unsigned long long *)p = v;
        }
        break;
    }

    case 'L': { /* long long */
        long long *p = va_arg(*p_va, long long *);
        long long ival = PyLong_AsLongLong(arg);
        if (ival == -1 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        *p = ival;
        break;
    }

    case 'f': { /* float */
        float *p = va_arg(*p_va, float *);
        double dval = PyFloat_AsDouble(arg);
        if (dval == -1.0 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        *p = (float)dval;
        break;
    }

    case 'd': { /* double */
        double *p = va_arg(*p_va, double *);
        double dval = PyFloat_AsDouble(arg);
        if (dval == -1.0 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        *p = dval;
        break;
    }

    case 'D': { /* complex double */
        Py_complex *p = va_arg(*p_va, Py_complex *);
        Py_complex cval;
        if (complex_value(arg, &cval) < 0) {
            RETURN_ERR_OCCURRED;
        }
        *p = cval;
        break;
    }

    case 'c': { /* char */
        char *p = va_arg(*p_va, char *);
        if (PYR_BYTES_CHECK(arg)) {
            Py_ssize_t n = PyBytes_Size(arg);
            if (n == 1) {
                *p = PyBytes_AsString(arg)[0];
                break;
            }
            pyr_snprintf(msgbuf, bufsize, "must be %.50s, not %.50s of length %zd",
                         "a byte string of length 1", "a bytes object", n);
            return msgbuf;
        }
        if (PYR_BYTEARRAY_CHECK(arg)) {
            Py_ssize_t n = PyByteArray_Size(arg);
            if (n == 1) {
                *p = PyByteArray_AsString(arg)[0];
                break;
            }
            pyr_snprintf(msgbuf, bufsize, "must be %.50s, not %.50s of length %zd",
                         "a byte string of length 1", "a bytearray object", n);
            return msgbuf;
        }
        return converterr("a byte string of length 1", arg, msgbuf, bufsize);
    }

    case 'C': { /* unicode char */
        int *p = va_arg(*p_va, int *);
        if (!PYR_UNICODE_CHECK(arg)) {
            return converterr("a unicode character", arg, msgbuf, bufsize);
        }
        Py_ssize_t n = PyUnicode_GetLength(arg);
        if (n != 1) {
            pyr_snprintf(msgbuf, bufsize, "must be %.50s, not %.50s of length %zd",
                         "a unicode character", "a string", n);
            return msgbuf;
        }
        *p = (int)PyUnicode_ReadChar(arg, 0);
        break;
    }

    case 'p': { /* boolean predicate */
        int *p = va_arg(*p_va, int *);
        int val = PyObject_IsTrue(arg);
        if (val < 0) {
            RETURN_ERR_OCCURRED;
        }
        *p = val > 0;
        break;
    }

    case 'y': { /* any bytes-like object */
        void **p = (void **)va_arg(*p_va, char **);
        const char *buf;
        Py_ssize_t count;
        if (*format == '*') {
            if (getbuffer(arg, (Py_buffer *)p, &buf) < 0) {
                return converterr(buf, arg, msgbuf, bufsize);
            }
            format++;
            if (addcleanup(p, freelist, cleanup_buffer)) {
                return converterr("(cleanup problem)", arg, msgbuf, bufsize);
            }
            break;
        }
        count = convertbuffer(arg, (const void **)p, &buf);
        if (count < 0) {
            return converterr(buf, arg, msgbuf, bufsize);
        }
        if (*format == '#') {
            Py_ssize_t *psize = va_arg(*p_va, Py_ssize_t *);
            *psize = count;
            format++;
        }
        else {
            if (strlen((const char *)*p) != (size_t)count) {
                PyErr_SetString(PyExc_ValueError, "embedded null byte");
                RETURN_ERR_OCCURRED;
            }
        }
        break;
    }

    case 's': /* text string or bytes-like object */
    case 'z': /* text string, bytes-like object or None */
    {
        if (*format == '*') {
            /* "s*" or "z*" */
            Py_buffer *p = va_arg(*p_va, Py_buffer *);
            if (c == 'z' && arg == Py_None) {
                PyBuffer_FillInfo(p, NULL, NULL, 0, 1, 0);
            }
            else if (PYR_UNICODE_CHECK(arg)) {
                Py_ssize_t len;
                sarg = PyUnicode_AsUTF8AndSize(arg, &len);
                if (sarg == NULL) {
                    return converterr(CONV_UNICODE, arg, msgbuf, bufsize);
                }
                PyBuffer_FillInfo(p, arg, (void *)sarg, len, 1, 0);
            }
            else { /* any bytes-like object */
                const char *buf;
                if (getbuffer(arg, p, &buf) < 0) {
                    return converterr(buf, arg, msgbuf, bufsize);
                }
            }
            if (addcleanup(p, freelist, cleanup_buffer)) {
                return converterr("(cleanup problem)", arg, msgbuf, bufsize);
            }
            format++;
        }
        else if (*format == '#') {
            /* "s#" or "z#" */
            const void **p = (const void **)va_arg(*p_va, const char **);
            Py_ssize_t *psize = va_arg(*p_va, Py_ssize_t *);
            if (c == 'z' && arg == Py_None) {
                *p = NULL;
                *psize = 0;
            }
            else if (PYR_UNICODE_CHECK(arg)) {
                Py_ssize_t len;
                sarg = PyUnicode_AsUTF8AndSize(arg, &len);
                if (sarg == NULL) {
                    return converterr(CONV_UNICODE, arg, msgbuf, bufsize);
                }
                *p = sarg;
                *psize = len;
            }
            else { /* read-only bytes-like object */
                const char *buf;
                Py_ssize_t count = convertbuffer(arg, p, &buf);
                if (count < 0) {
                    return converterr(buf, arg, msgbuf, bufsize);
                }
                *psize = count;
            }
            format++;
        }
        else {
            /* "s" or "z" */
            const char **p = va_arg(*p_va, const char **);
            Py_ssize_t len;
            if (c == 'z' && arg == Py_None) {
                *p = NULL;
            }
            else if (PYR_UNICODE_CHECK(arg)) {
                sarg = PyUnicode_AsUTF8AndSize(arg, &len);
                if (sarg == NULL) {
                    return converterr(CONV_UNICODE, arg, msgbuf, bufsize);
                }
                if (strlen(sarg) != (size_t)len) {
                    PyErr_SetString(PyExc_ValueError, "embedded null character");
                    RETURN_ERR_OCCURRED;
                }
                *p = sarg;
            }
            else {
                return converterr(c == 'z' ? "str or None" : "str",
                                  arg, msgbuf, bufsize);
            }
        }
        break;
    }

    case 'e': { /* encoded string */
        char **buffer;
        const char *encoding;
        PyObject *s;
        int recode_strings;
        Py_ssize_t size;
        const char *ptr;

        encoding = va_arg(*p_va, const char *);
        if (encoding == NULL) {
            encoding = PyUnicode_GetDefaultEncoding();
        }
        if (*format == 's') {
            recode_strings = 1;
        }
        else if (*format == 't') {
            recode_strings = 0;
        }
        else {
            return converterr("(unknown parser marker combination)",
                              arg, msgbuf, bufsize);
        }
        buffer = va_arg(*p_va, char **);
        format++;
        if (buffer == NULL) {
            return converterr("(buffer is NULL)", arg, msgbuf, bufsize);
        }

        if (!recode_strings && (PYR_BYTES_CHECK(arg) || PYR_BYTEARRAY_CHECK(arg))) {
            PYR_INCREF(arg);
            s = arg;
            if (PYR_BYTES_CHECK(arg)) {
                size = PyBytes_Size(s);
                ptr = PyBytes_AsString(s);
            }
            else {
                size = PyByteArray_Size(s);
                ptr = PyByteArray_AsString(s);
            }
        }
        else if (PYR_UNICODE_CHECK(arg)) {
            s = PyUnicode_AsEncodedString(arg, encoding, NULL);
            if (s == NULL) {
                return converterr("(encoding failed)", arg, msgbuf, bufsize);
            }
            size = PyBytes_Size(s);
            ptr = PyBytes_AsString(s);
            if (ptr == NULL) {
                ptr = "";
            }
        }
        else {
            return converterr(recode_strings ? "str" : "str, bytes or bytearray",
                              arg, msgbuf, bufsize);
        }

        if (*format == '#') {
            Py_ssize_t *psize = va_arg(*p_va, Py_ssize_t *);
            format++;
            if (psize == NULL) {
                PYR_DECREF(s);
                return converterr("(buffer_len is NULL)", arg, msgbuf, bufsize);
            }
            if (*buffer == NULL) {
                *buffer = PyMem_Malloc((size_t)size + 1);
                if (*buffer == NULL) {
                    PYR_DECREF(s);
                    PyErr_NoMemory();
                    RETURN_ERR_OCCURRED;
                }
                if (addcleanup(buffer, freelist, cleanup_ptr)) {
                    PYR_DECREF(s);
                    return converterr("(cleanup problem)", arg, msgbuf, bufsize);
                }
            }
            else {
                if (size + 1 > *psize) {
                    PYR_DECREF(s);
                    PyErr_Format(PyExc_ValueError,
                                 "encoded string too long "
                                 "(%zd, maximum length %zd)",
                                 size, (Py_ssize_t)(*psize - 1));
                    RETURN_ERR_OCCURRED;
                }
            }
            memcpy(*buffer, ptr, (size_t)size + 1);
            *psize = size;
        }
        else {
            if ((Py_ssize_t)strlen(ptr) != size) {
                PYR_DECREF(s);
                return converterr("encoded string without null bytes",
                                  arg, msgbuf, bufsize);
            }
            *buffer = PyMem_Malloc((size_t)size + 1);
            if (*buffer == NULL) {
                PYR_DECREF(s);
                PyErr_NoMemory();
                RETURN_ERR_OCCURRED;
            }
            if (addcleanup(buffer, freelist, cleanup_ptr)) {
                PYR_DECREF(s);
                return converterr("(cleanup problem)", arg, msgbuf, bufsize);
            }
            memcpy(*buffer, ptr, (size_t)size + 1);
        }
        PYR_DECREF(s);
        break;
    }

    case 'S': { /* bytes object */
        PyObject **p = va_arg(*p_va, PyObject **);
        if (!PYR_BYTES_CHECK(arg)) {
            return converterr("bytes", arg, msgbuf, bufsize);
        }
        *p = arg;
        break;
    }

    case 'Y': { /* bytearray object */
        PyObject **p = va_arg(*p_va, PyObject **);
        if (!PYR_BYTEARRAY_CHECK(arg)) {
            return converterr("bytearray", arg, msgbuf, bufsize);
        }
        *p = arg;
        break;
    }

    case 'U': { /* str object */
        PyObject **p = va_arg(*p_va, PyObject **);
        if (!PYR_UNICODE_CHECK(arg)) {
            return converterr("str", arg, msgbuf, bufsize);
        }
        *p = arg;
        break;
    }

    case 'O': { /* object */
        if (*format == '!') {
            PyTypeObject *type = va_arg(*p_va, PyTypeObject *);
            PyObject **p = va_arg(*p_va, PyObject **);
            format++;
            if (!PyType_IsSubtype(Py_TYPE(arg), type)) {
                char tn[PYR_TPNAME_BUFSIZE];
                return converterr(pyr_tp_name(type, tn, sizeof(tn)),
                                  arg, msgbuf, bufsize);
            }
            *p = arg;
        }
        else if (*format == '&') {
            typedef int (*converter)(PyObject *, void *);
            converter convert = va_arg(*p_va, converter);
            void *addr = va_arg(*p_va, void *);
            int res;
            format++;
            if (!(res = convert(arg, addr))) {
                return converterr("(unspecified)", arg, msgbuf, bufsize);
            }
            if (res == Py_CLEANUP_SUPPORTED
                && addcleanup(addr, freelist, (destr_t)convert) == -1) {
                return converterr("(cleanup problem)", arg, msgbuf, bufsize);
            }
        }
        else {
            PyObject **p = va_arg(*p_va, PyObject **);
            *p = arg;
        }
        break;
    }

    case 'w': { /* "w*": memory buffer, read-write access */
        void **p = va_arg(*p_va, void **);
        if (*format != '*') {
            return converterr("(invalid use of 'w' format character)",
                              arg, msgbuf, bufsize);
        }
        format++;
        if (PyObject_GetBuffer(arg, (Py_buffer *)p, PyBUF_WRITABLE) < 0) {
            PyErr_Clear();
            return converterr("read-write bytes-like object", arg, msgbuf, bufsize);
        }
        if (!PyBuffer_IsContiguous((Py_buffer *)p, 'C')) {
            PyBuffer_Release((Py_buffer *)p);
            return converterr("contiguous buffer", arg, msgbuf, bufsize);
        }
        if (addcleanup(p, freelist, cleanup_buffer)) {
            return converterr("(cleanup problem)", arg, msgbuf, bufsize);
        }
        break;
    }

    default:
        return converterr("(impossible<bad format char>)", arg, msgbuf, bufsize);
    }

    *p_format = format;
    return NULL;
#undef RETURN_ERR_OCCURRED
}

static const char *
convertitem(PyObject *arg, const char **p_format, va_list *p_va, int flags,
            int *levels, char *msgbuf, size_t bufsize, freelist_t *freelist)
{
    const char *msg;
    const char *format = *p_format;

    if (*format == '(') {
        format++;
        msg = converttuple(arg, &format, p_va, flags, levels, msgbuf,
                           bufsize, freelist);
        if (msg == NULL) {
            format++;
        }
    }
    else {
        msg = convertsimple(arg, &format, p_va, flags, msgbuf, bufsize, freelist);
        if (msg != NULL) {
            levels[0] = 0;
        }
    }
    if (msg == NULL) {
        *p_format = format;
    }
    return msg;
}

/* ------------------------------------------------------------------ */
/* PyArg_Parse / PyArg_ParseTuple                                      */
/* ------------------------------------------------------------------ */

static int
vgetargs1(PyObject *args, const char *format, va_list *p_va, int flags)
{
    char msgbuf[256];
    int levels[32];
    const char *fname = NULL;
    const char *message = NULL;
    int min = -1;
    int max = 0;
    int level = 0;
    int endfmt = 0;
    const char *formatsave = format;
    Py_ssize_t i, nargs = 0;
    const char *msg;
    int compat = flags & FLAG_COMPAT;
    freelist_t freelist;

    freelist_init(&freelist);
    flags &= ~FLAG_COMPAT;

    if (!compat) {
        if (args == NULL || !PYR_TUPLE_CHECK(args)) {
            PyErr_SetString(PyExc_SystemError,
                            "new style getargs format but argument is not a tuple");
            return 0;
        }
        nargs = PyTuple_Size(args);
    }

    while (endfmt == 0) {
        int c = *format++;
        switch (c) {
        case '(':
            if (level == 0) {
                max++;
            }
            level++;
            if (level >= 30) {
                PyErr_SetString(PyExc_SystemError,
                                "too many tuple nesting levels "
                                "in argument format string");
                return 0;
            }
            break;
        case ')':
            if (level == 0) {
                PyErr_SetString(PyExc_SystemError, "excess ')' in getargs format");
                return 0;
            }
            level--;
            break;
        case '\0':
            endfmt = 1;
            break;
        case ':':
            fname = format;
            endfmt = 1;
            break;
        case ';':
            message = format;
            endfmt = 1;
            break;
        case '|':
            if (level == 0) {
                min = max;
            }
            break;
        default:
            if (level == 0 && is_alpha(c) && c != 'e') {
                max++;
            }
            break;
        }
    }

    if (level != 0) {
        PyErr_SetString(PyExc_SystemError, "missing ')' in getargs format");
        return 0;
    }
    if (min < 0) {
        min = max;
    }

    format = formatsave;

    if (compat) {
        if (max == 0) {
            if (args == NULL) {
                return 1;
            }
            PyErr_Format(PyExc_TypeError, "%.200s%s takes no arguments",
                         fname == NULL ? "function" : fname,
                         fname == NULL ? "" : "()");
            return cleanreturn(0, &freelist);
        }
        else if (min == 1 && max == 1) {
            if (args == NULL) {
                PyErr_Format(PyExc_TypeError,
                             "%.200s%s takes at least one argument",
                             fname == NULL ? "function" : fname,
                             fname == NULL ? "" : "()");
                return cleanreturn(0, &freelist);
            }
            msg = convertitem(args, &format, p_va, flags, levels,
                              msgbuf, sizeof(msgbuf), &freelist);
            if (msg == NULL) {
                return cleanreturn(1, &freelist);
            }
            seterror(levels[0], msg, levels + 1, fname, message);
            return cleanreturn(0, &freelist);
        }
        else {
            PyErr_SetString(PyExc_SystemError,
                            "old style getargs format uses new features");
            return cleanreturn(0, &freelist);
        }
    }

    if (nargs < min || max < nargs) {
        if (message == NULL) {
            PyErr_Format(PyExc_TypeError,
                         "%.150s%s takes %s %d argument%s (%zd given)",
                         fname == NULL ? "function" : fname,
                         fname == NULL ? "" : "()",
                         min == max ? "exactly"
                         : nargs < min ? "at least" : "at most",
                         nargs < min ? min : max,
                         (nargs < min ? min : max) == 1 ? "" : "s",
                         nargs);
        }
        else {
            PyErr_SetString(PyExc_TypeError, message);
        }
        return cleanreturn(0, &freelist);
    }

    for (i = 0; i < nargs; i++) {
        if (*format == '|') {
            format++;
        }
        msg = convertitem(PyTuple_GetItem(args, i), &format, p_va,
                          flags, levels, msgbuf, sizeof(msgbuf), &freelist);
        if (msg) {
            seterror(i + 1, msg, levels, fname, message);
            return cleanreturn(0, &freelist);
        }
    }

    if (*format != '\0' && !is_alpha(*format) &&
        *format != '(' &&
        *format != '|' && *format != ':' && *format != ';') {
        PyErr_Format(PyExc_SystemError, "bad format string: %.200s", formatsave);
        return cleanreturn(0, &freelist);
    }

    return cleanreturn(1, &freelist);
}

int
PyArg_Parse(PyObject *args, const char *format, ...)
{
    int r;
    va_list va;
    va_start(va, format);
    r = vgetargs1(args, format, &va, FLAG_COMPAT);
    va_end(va);
    return r;
}

int
_PyArg_Parse_SizeT(PyObject *args, const char *format, ...)
{
    int r;
    va_list va;
    va_start(va, format);
    r = vgetargs1(args, format, &va, FLAG_COMPAT);
    va_end(va);
    return r;
}

int
PyArg_ParseTuple(PyObject *args, const char *format, ...)
{
    int r;
    va_list va;
    va_start(va, format);
    r = vgetargs1(args, format, &va, 0);
    va_end(va);
    return r;
}

int
_PyArg_ParseTuple_SizeT(PyObject *args, const char *format, ...)
{
    int r;
    va_list va;
    va_start(va, format);
    r = vgetargs1(args, format, &va, 0);
    va_end(va);
    return r;
}

int
PyArg_VaParse(PyObject *args, const char *format, va_list va)
{
    int r;
    va_list lva;
    va_copy(lva, va);
    r = vgetargs1(args, format, &lva, 0);
    va_end(lva);
    return r;
}

int
_PyArg_VaParse_SizeT(PyObject *args, const char *format, va_list va)
{
    int r;
    va_list lva;
    va_copy(lva, va);
    r = vgetargs1(args, format, &lva, 0);
    va_end(lva);
    return r;
}

/* ------------------------------------------------------------------ */
/* PyArg_ParseTupleAndKeywords                                         */
/* ------------------------------------------------------------------ */

#define IS_END_OF_FORMAT(c) ((c) == '\0' || (c) == ';' || (c) == ':')

/* kwargs[name] (borrowed), NULL if absent; -1 on error (e.g. the name is
   not valid UTF-8). */
static int
lookup_keyword(PyObject *kwargs, const char *name, PyObject **result)
{
    PyObject *key = PyUnicode_FromString(name);
    *result = NULL;
    if (key == NULL) {
        return -1;
    }
    *result = PyDict_GetItemWithError(kwargs, key);
    PYR_DECREF(key);
    if (*result == NULL && PyErr_Occurred()) {
        return -1;
    }
    return 0;
}

static void
error_unexpected_keyword(PyObject *kwargs, char * const *kwlist, int pos,
                         int len, const char *fname)
{
    Py_ssize_t j = 0;
    PyObject *key;

    while (PyDict_Next(kwargs, &j, &key, NULL)) {
        int match = 0;
        if (!PYR_UNICODE_CHECK(key)) {
            PyErr_SetString(PyExc_TypeError, "keywords must be strings");
            return;
        }
        for (int i = pos; i < len; i++) {
            if (PyUnicode_EqualToUTF8(key, kwlist[i])) {
                match = 1;
                break;
            }
        }
        if (match) {
            continue;
        }
        /* suggestion among the keyword parameter names */
        PyObject *suggestion = NULL;
        PyObject *names = PyList_New(0);
        if (names != NULL) {
            for (int i = pos; i < len; i++) {
                PyObject *s = PyUnicode_FromString(kwlist[i]);
                if (s == NULL || PyList_Append(names, s) < 0) {
                    PYR_XDECREF(s);
                    PYR_DECREF(names);
                    return;
                }
                PYR_DECREF(s);
            }
            PYR_INCREF(key);
            suggestion = pyr_calculate_suggestion(names, key);
            PYR_DECREF(key);
            PYR_DECREF(names);
        }
        if (PyErr_Occurred()) {
            PyErr_Clear();
        }
        if (suggestion != NULL) {
            PyErr_Format(PyExc_TypeError,
                         "%.200s%s got an unexpected keyword argument '%S'. "
                         "Did you mean '%S'?",
                         fname == NULL ? "this function" : fname,
                         fname == NULL ? "" : "()",
                         key, suggestion);
            PYR_DECREF(suggestion);
        }
        else {
            PyErr_Format(PyExc_TypeError,
                         "%.200s%s got an unexpected keyword argument '%S'",
                         fname == NULL ? "this function" : fname,
                         fname == NULL ? "" : "()",
                         key);
        }
        return;
    }
    PyErr_Format(PyExc_TypeError, "invalid keyword argument for %.200s%s",
                 fname == NULL ? "this function" : fname,
                 fname == NULL ? "" : "()");
}

static int
vgetargskeywords(PyObject *args, PyObject *kwargs, const char *format,
                 char * const *kwlist, va_list *p_va, int flags)
{
    char msgbuf[512];
    int levels[32];
    const char *fname, *msg, *custom_msg;
    int min = INT_MAX;
    int max = INT_MAX;
    int i, pos, len;
    int skip = 0;
    Py_ssize_t nargs, nkwargs;
    PyObject *current_arg;
    freelist_t freelist;

    freelist_init(&freelist);

    fname = strchr(format, ':');
    if (fname) {
        fname++;
        custom_msg = NULL;
    }
    else {
        custom_msg = strchr(format, ';');
        if (custom_msg) {
            custom_msg++;
        }
    }

    for (pos = 0; kwlist[pos] && !*kwlist[pos]; pos++) {
    }
    for (len = pos; kwlist[len]; len++) {
        if (!*kwlist[len]) {
            PyErr_SetString(PyExc_SystemError, "Empty keyword parameter name");
            return cleanreturn(0, &freelist);
        }
    }

    nargs = PyTuple_Size(args);
    nkwargs = (kwargs == NULL) ? 0 : PyDict_Size(kwargs);
    if (nargs + nkwargs > len) {
        PyErr_Format(PyExc_TypeError,
                     "%.200s%s takes at most %d %sargument%s (%zd given)",
                     (fname == NULL) ? "function" : fname,
                     (fname == NULL) ? "" : "()",
                     len,
                     (nargs == 0) ? "keyword " : "",
                     (len == 1) ? "" : "s",
                     nargs + nkwargs);
        return cleanreturn(0, &freelist);
    }

    for (i = 0; i < len; i++) {
        if (*format == '|') {
            if (min != INT_MAX) {
                PyErr_SetString(PyExc_SystemError,
                                "Invalid format string (| specified twice)");
                return cleanreturn(0, &freelist);
            }
            min = i;
            format++;
            if (max != INT_MAX) {
                PyErr_SetString(PyExc_SystemError,
                                "Invalid format string ($ before |)");
                return cleanreturn(0, &freelist);
            }
        }
        if (*format == '$') {
            if (max != INT_MAX) {
                PyErr_SetString(PyExc_SystemError,
                                "Invalid format string ($ specified twice)");
                return cleanreturn(0, &freelist);
            }
            max = i;
            format++;
            if (max < pos) {
                PyErr_SetString(PyExc_SystemError,
                                "Empty parameter name after $");
                return cleanreturn(0, &freelist);
            }
            if (skip) {
                break;
            }
            if (max < nargs) {
                if (max == 0) {
                    PyErr_Format(PyExc_TypeError,
                                 "%.200s%s takes no positional arguments",
                                 (fname == NULL) ? "function" : fname,
                                 (fname == NULL) ? "" : "()");
                }
                else {
                    PyErr_Format(PyExc_TypeError,
                                 "%.200s%s takes %s %d positional argument%s"
                                 " (%zd given)",
                                 (fname == NULL) ? "function" : fname,
                                 (fname == NULL) ? "" : "()",
                                 (min != INT_MAX) ? "at most" : "exactly",
                                 max,
                                 max == 1 ? "" : "s",
                                 nargs);
                }
                return cleanreturn(0, &freelist);
            }
        }
        if (IS_END_OF_FORMAT(*format)) {
            PyErr_Format(PyExc_SystemError,
                         "More keyword list entries (%d) than "
                         "format specifiers (%d)", len, i);
            return cleanreturn(0, &freelist);
        }
        if (!skip) {
            if (i < nargs) {
                current_arg = PyTuple_GetItem(args, i);
            }
            else if (nkwargs && i >= pos) {
                if (lookup_keyword(kwargs, kwlist[i], &current_arg) < 0) {
                    return cleanreturn(0, &freelist);
                }
                if (current_arg) {
                    --nkwargs;
                }
            }
            else {
                current_arg = NULL;
            }

            if (current_arg) {
                msg = convertitem(current_arg, &format, p_va, flags,
                                  levels, msgbuf, sizeof(msgbuf), &freelist);
                if (msg) {
                    seterror(i + 1, msg, levels, fname, custom_msg);
                    return cleanreturn(0, &freelist);
                }
                continue;
            }

            if (i < min) {
                if (i < pos) {
                    skip = 1;
                    /* the error is raised once | and $ (or the end of the
                       format) tell the numbers of positional arguments */
                }
                else {
                    PyErr_Format(PyExc_TypeError, "%.200s%s missing required "
                                 "argument '%s' (pos %d)",
                                 (fname == NULL) ? "function" : fname,
                                 (fname == NULL) ? "" : "()",
                                 kwlist[i], i + 1);
                    return cleanreturn(0, &freelist);
                }
            }
            /* all required arguments converted and no keyword left:
               success, without checking the rest of the format */
            if (!nkwargs && !skip) {
                return cleanreturn(1, &freelist);
            }
        }

        /* optional argument not given: skip its format unit */
        msg = skipitem(&format, p_va, flags);
        if (msg) {
            PyErr_Format(PyExc_SystemError, "%s: '%s'", msg, format);
            return cleanreturn(0, &freelist);
        }
    }

    if (skip) {
        int m = pos < min ? pos : min;
        PyErr_Format(PyExc_TypeError,
                     "%.200s%s takes %s %d positional argument%s"
                     " (%zd given)",
                     (fname == NULL) ? "function" : fname,
                     (fname == NULL) ? "" : "()",
                     (m < i) ? "at least" : "exactly",
                     m,
                     m == 1 ? "" : "s",
                     nargs);
        return cleanreturn(0, &freelist);
    }

    if (!IS_END_OF_FORMAT(*format) && (*format != '|') && (*format != '$')) {
        PyErr_Format(PyExc_SystemError,
                     "more argument specifiers than keyword list entries "
                     "(remaining format:'%s')", format);
        return cleanreturn(0, &freelist);
    }

    if (nkwargs > 0) {
        /* no argument given both by name and by position */
        for (i = pos; i < nargs; i++) {
            if (lookup_keyword(kwargs, kwlist[i], &current_arg) < 0) {
                return cleanreturn(0, &freelist);
            }
            if (current_arg) {
                PyErr_Format(PyExc_TypeError,
                             "argument for %.200s%s given by name ('%s') "
                             "and position (%d)",
                             (fname == NULL) ? "function" : fname,
                             (fname == NULL) ? "" : "()",
                             kwlist[i], i + 1);
                return cleanreturn(0, &freelist);
            }
        }
        error_unexpected_keyword(kwargs, kwlist, pos, len, fname);
        return cleanreturn(0, &freelist);
    }

    return cleanreturn(1, &freelist);
}

static int
check_kw_call(PyObject *args, PyObject *keywords, const char *format,
              char * const *kwlist)
{
    if ((args == NULL || !PYR_TUPLE_CHECK(args)) ||
        (keywords != NULL && !PYR_DICT_CHECK(keywords)) ||
        format == NULL ||
        kwlist == NULL)
    {
        PyErr_BadInternalCall();
        return 0;
    }
    return 1;
}

int
PyArg_ParseTupleAndKeywords(PyObject *args, PyObject *keywords,
                            const char *format, char * const *kwlist, ...)
{
    int r;
    va_list va;
    if (!check_kw_call(args, keywords, format, kwlist)) {
        return 0;
    }
    va_start(va, kwlist);
    r = vgetargskeywords(args, keywords, format, kwlist, &va, 0);
    va_end(va);
    return r;
}

int
_PyArg_ParseTupleAndKeywords_SizeT(PyObject *args, PyObject *keywords,
                                   const char *format, char * const *kwlist, ...)
{
    int r;
    va_list va;
    if (!check_kw_call(args, keywords, format, kwlist)) {
        return 0;
    }
    va_start(va, kwlist);
    r = vgetargskeywords(args, keywords, format, kwlist, &va, 0);
    va_end(va);
    return r;
}

int
PyArg_VaParseTupleAndKeywords(PyObject *args, PyObject *keywords,
                              const char *format, char * const *kwlist,
                              va_list va)
{
    int r;
    va_list lva;
    if (!check_kw_call(args, keywords, format, kwlist)) {
        return 0;
    }
    va_copy(lva, va);
    r = vgetargskeywords(args, keywords, format, kwlist, &lva, 0);
    va_end(lva);
    return r;
}

int
_PyArg_VaParseTupleAndKeywords_SizeT(PyObject *args, PyObject *keywords,
                                     const char *format, char * const *kwlist,
                                     va_list va)
{
    int r;
    va_list lva;
    if (!check_kw_call(args, keywords, format, kwlist)) {
        return 0;
    }
    va_copy(lva, va);
    r = vgetargskeywords(args, keywords, format, kwlist, &lva, 0);
    va_end(lva);
    return r;
}

/* ------------------------------------------------------------------ */
/* skipitem: step over one unit (and its va_list arguments)            */
/* ------------------------------------------------------------------ */

static const char *
skipitem(const char **p_format, va_list *p_va, int flags)
{
    const char *format = *p_format;
    char c = *format++;

    switch (c) {
    /* units taking a single pointer */
    case 'b': case 'B': case 'h': case 'H': case 'i': case 'I':
    case 'l': case 'k': case 'L': case 'K': case 'n':
    case 'f': case 'd': case 'D': case 'c': case 'C': case 'p':
    case 'S': case 'Y': case 'U':
        if (p_va != NULL) {
            (void)va_arg(*p_va, void *);
        }
        break;

    case 'e': /* string with encoding */
        if (p_va != NULL) {
            (void)va_arg(*p_va, const char *);
        }
        if (!(*format == 's' || *format == 't')) {
            goto err;
        }
        format++;
        if (p_va != NULL) {
            (void)va_arg(*p_va, char **);
        }
        if (*format == '#') {
            if (p_va != NULL) {
                (void)va_arg(*p_va, Py_ssize_t *);
            }
            format++;
        }
        break;

    case 's': case 'z': case 'y':
        if (p_va != NULL) {
            (void)va_arg(*p_va, char **);
        }
        if (*format == '#') {
            if (p_va != NULL) {
                (void)va_arg(*p_va, Py_ssize_t *);
            }
            format++;
        }
        else if (*format == '*') {
            format++;
        }
        break;

    case 'w': /* only "w*" */
        if (*format != '*') {
            goto err;
        }
        if (p_va != NULL) {
            (void)va_arg(*p_va, char **);
        }
        format++;
        break;

    case 'O':
        if (*format == '!') {
            format++;
            if (p_va != NULL) {
                (void)va_arg(*p_va, PyTypeObject *);
                (void)va_arg(*p_va, PyObject **);
            }
        }
        else if (*format == '&') {
            typedef int (*converter)(PyObject *, void *);
            if (p_va != NULL) {
                (void)va_arg(*p_va, converter);
                (void)va_arg(*p_va, void *);
            }
            format++;
        }
        else {
            if (p_va != NULL) {
                (void)va_arg(*p_va, PyObject **);
            }
        }
        break;

    case '(': {
        const char *msg;
        for (;;) {
            if (*format == ')') {
                break;
            }
            if (IS_END_OF_FORMAT(*format)) {
                return "Unmatched left paren in format string";
            }
            msg = skipitem(&format, p_va, flags);
            if (msg) {
                return msg;
            }
        }
        format++;
        break;
    }

    case ')':
        return "Unmatched right paren in format string";

    default:
err:
        return "impossible<bad format char>";
    }

    *p_format = format;
    return NULL;
}

/* ------------------------------------------------------------------ */
/* PyArg_UnpackTuple, PyArg_ValidateKeywordArguments                   */
/* ------------------------------------------------------------------ */

int
PyArg_UnpackTuple(PyObject *args, const char *name, Py_ssize_t min,
                  Py_ssize_t max, ...)
{
    Py_ssize_t nargs;
    va_list va;

    if (args == NULL || !PYR_TUPLE_CHECK(args)) {
        PyErr_SetString(PyExc_SystemError,
                        "PyArg_UnpackTuple() argument list is not a tuple");
        return 0;
    }
    nargs = PyTuple_Size(args);

    if (nargs < min) {
        if (name != NULL) {
            PyErr_Format(PyExc_TypeError,
                         "%.200s expected %s%zd argument%s, got %zd",
                         name, (min == max ? "" : "at least "), min,
                         min == 1 ? "" : "s", nargs);
        }
        else {
            PyErr_Format(PyExc_TypeError,
                         "unpacked tuple should have %s%zd element%s,"
                         " but has %zd",
                         (min == max ? "" : "at least "), min,
                         min == 1 ? "" : "s", nargs);
        }
        return 0;
    }
    if (nargs == 0) {
        return 1;
    }
    if (nargs > max) {
        if (name != NULL) {
            PyErr_Format(PyExc_TypeError,
                         "%.200s expected %s%zd argument%s, got %zd",
                         name, (min == max ? "" : "at most "), max,
                         max == 1 ? "" : "s", nargs);
        }
        else {
            PyErr_Format(PyExc_TypeError,
                         "unpacked tuple should have %s%zd element%s,"
                         " but has %zd",
                         (min == max ? "" : "at most "), max,
                         max == 1 ? "" : "s", nargs);
        }
        return 0;
    }

    va_start(va, max);
    for (Py_ssize_t i = 0; i < nargs; i++) {
        PyObject **o = va_arg(va, PyObject **);
        *o = PyTuple_GetItem(args, i);
    }
    va_end(va);
    return 1;
}

int
PyArg_ValidateKeywordArguments(PyObject *kwargs)
{
    Py_ssize_t pos = 0;
    PyObject *key;

    if (kwargs == NULL || !PYR_DICT_CHECK(kwargs)) {
        PyErr_BadInternalCall();
        return 0;
    }
    while (PyDict_Next(kwargs, &pos, &key, NULL)) {
        if (!PYR_UNICODE_CHECK(key)) {
            PyErr_SetString(PyExc_TypeError, "keywords must be strings");
            return 0;
        }
    }
    return 1;
}
