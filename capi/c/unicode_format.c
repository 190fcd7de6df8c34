/*
 * unicode_format.c -- PyUnicode_FromFormat / PyUnicode_FromFormatV with
 * CPython 3.15 semantics.
 *
 * Conversions: %% %c %d %i %u %o %x %X (size modifiers l ll z t j) %p %s
 * %ls %U %V %lV %S %R %A %T %#T %N %#N; flags '-', '0', '#'; width and
 * precision as digits or '*'.  Width and precision count characters,
 * except the precision of %s / %V-with-NULL-object which counts bytes
 * (a truncated trailing UTF-8 sequence is dropped) and of %ls which counts
 * wchar_t.  Invalid input bytes of %s are replaced with U+FFFD.  An
 * unknown conversion raises SystemError("invalid format string: ...").
 *
 * The text is accumulated as UTF-8 (lone surrogates kept with
 * "surrogatepass") and turned into a str at the end, all through public
 * API.
 */
#include "pyrite_capi.h"

#include <stdio.h>
#include <stdint.h>

#define F_LJUST 1
#define F_ZERO 2
#define F_ALT 4

#define SZ_NONE 0
#define SZ_LONG 1
#define SZ_LONGLONG 2
#define SZ_SIZE 3
#define SZ_PTRDIFF 4
#define SZ_INTMAX 5

#define MAX_UNICODE 0x10ffff

typedef struct {
    pyr_sbuf sb;
    int surrogates;   /* the buffer holds surrogatepass-encoded code points */
} writer_t;

static int
w_put(writer_t *w, const char *s, size_t n)
{
    return pyr_sbuf_put(&w->sb, s, n);
}

static int
w_spaces(writer_t *w, Py_ssize_t n)
{
    if (n <= 0) {
        return 0;
    }
    return pyr_sbuf_fill(&w->sb, ' ', (size_t)n);
}

static int
w_codepoint(writer_t *w, unsigned int ch)
{
    char b[4];
    size_t n;
    if (ch < 0x80) {
        b[0] = (char)ch;
        n = 1;
    }
    else if (ch < 0x800) {
        b[0] = (char)(0xc0 | (ch >> 6));
        b[1] = (char)(0x80 | (ch & 0x3f));
        n = 2;
    }
    else if (ch < 0x10000) {
        if (ch >= 0xd800 && ch <= 0xdfff) {
            w->surrogates = 1;
        }
        b[0] = (char)(0xe0 | (ch >> 12));
        b[1] = (char)(0x80 | ((ch >> 6) & 0x3f));
        b[2] = (char)(0x80 | (ch & 0x3f));
        n = 3;
    }
    else {
        b[0] = (char)(0xf0 | (ch >> 18));
        b[1] = (char)(0x80 | ((ch >> 12) & 0x3f));
        b[2] = (char)(0x80 | ((ch >> 6) & 0x3f));
        b[3] = (char)(0x80 | (ch & 0x3f));
        n = 4;
    }
    return w_put(w, b, n);
}

/* Append the whole of a str object. */
static int
w_unicode(writer_t *w, PyObject *str)
{
    Py_ssize_t n;
    const char *u = PyUnicode_AsUTF8AndSize(str, &n);
    if (u != NULL) {
        return w_put(w, u, (size_t)n);
    }
    /* Lone surrogates cannot be UTF-8 encoded strictly. */
    if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) {
        return -1;
    }
    PyErr_Clear();
    PyObject *bytes = PyUnicode_AsEncodedString(str, "utf-8", "surrogatepass");
    if (bytes == NULL) {
        return -1;
    }
    w->surrogates = 1;
    int r = w_put(w, PyBytes_AsString(bytes), (size_t)PyBytes_Size(bytes));
    PYR_DECREF(bytes);
    return r;
}

/* Write a str with width / precision in characters. */
static int
write_str(writer_t *w, PyObject *str, Py_ssize_t width, Py_ssize_t precision,
          int flags)
{
    Py_ssize_t length = PyUnicode_GetLength(str);
    if (length < 0) {
        return -1;
    }
    if ((precision == -1 || precision >= length) && width <= length) {
        return w_unicode(w, str);
    }
    if (precision != -1) {
        if (precision < 0) {
            precision = 0;   /* negative '*' precision: nothing */
        }
        if (precision < length) {
            length = precision;
        }
    }
    Py_ssize_t fill = width - length;
    if (fill > 0 && !(flags & F_LJUST)) {
        if (w_spaces(w, fill) < 0) {
            return -1;
        }
    }
    PyObject *sub = PyUnicode_Substring(str, 0, length);
    if (sub == NULL) {
        return -1;
    }
    int r = w_unicode(w, sub);
    PYR_DECREF(sub);
    if (r < 0) {
        return -1;
    }
    if (fill > 0 && (flags & F_LJUST)) {
        if (w_spaces(w, fill) < 0) {
            return -1;
        }
    }
    return 0;
}

/* %s: UTF-8 C string, precision in bytes. */
static int
write_utf8(writer_t *w, const char *s, Py_ssize_t width, Py_ssize_t precision,
           int flags)
{
    Py_ssize_t length;
    Py_ssize_t *pconsumed = NULL;
    if (precision == -1) {
        length = (Py_ssize_t)strlen(s);
    }
    else {
        length = 0;
        while (length < precision && s[length]) {
            length++;
        }
        if (length == precision) {
            /* not NUL-terminated here: drop an incomplete trailing
               UTF-8 sequence */
            pconsumed = &length;
        }
    }
    PyObject *u = PyUnicode_DecodeUTF8Stateful(s, length, "replace", pconsumed);
    if (u == NULL) {
        return -1;
    }
    int r = write_str(w, u, width, -1, flags);
    PYR_DECREF(u);
    return r;
}

/* %ls: wchar_t string, precision in wchar_t units. */
static int
write_wcstr(writer_t *w, const wchar_t *s, Py_ssize_t width,
            Py_ssize_t precision, int flags)
{
    Py_ssize_t length;
    if (precision == -1) {
        length = (Py_ssize_t)wcslen(s);
    }
    else {
        length = 0;
        while (length < precision && s[length]) {
            length++;
        }
    }
    PyObject *u = PyUnicode_FromWideChar(s, length);
    if (u == NULL) {
        return -1;
    }
    int r = write_str(w, u, width, -1, flags);
    PYR_DECREF(u);
    return r;
}

/* "module<sep>qualname" as CPython's _PyType_GetFullyQualifiedName. */
static PyObject *
type_fullname(PyTypeObject *type, int alt)
{
    if (!alt || !(PyType_GetFlags(type) & Py_TPFLAGS_HEAPTYPE)) {
        /* the non-alternate form, and static types (their tp_name) */
        return PyType_GetFullyQualifiedName(type);
    }
    PyObject *qualname = PyType_GetQualName(type);
    if (qualname == NULL) {
        return NULL;
    }
    PyObject *module = PyType_GetModuleName(type);
    if (module == NULL) {
        PYR_DECREF(qualname);
        return NULL;
    }
    PyObject *result;
    if (PYR_UNICODE_CHECK(module)
        && !PyUnicode_EqualToUTF8(module, "builtins")
        && !PyUnicode_EqualToUTF8(module, "__main__"))
    {
        result = PyUnicode_FromFormat("%U:%U", module, qualname);
    }
    else {
        PYR_INCREF(qualname);
        result = qualname;
    }
    PYR_DECREF(module);
    PYR_DECREF(qualname);
    return result;
}

static void
invalid_format(const char *p)
{
    PyErr_Format(PyExc_SystemError, "invalid format string: %s", p);
}

/* Parse and write one conversion starting at the '%' at f.  Returns the
   position after it, or NULL on error. */
static const char *
format_arg(writer_t *w, const char *f, va_list *vargs)
{
    const char *p = f;
    int flags = 0;
    Py_ssize_t width = -1;
    Py_ssize_t precision = -1;
    int sizemod = SZ_NONE;

    f++;
    if (*f == '%') {
        if (w_put(w, "%", 1) < 0) {
            return NULL;
        }
        return f + 1;
    }

    for (;;) {
        if (*f == '-') {
            flags |= F_LJUST;
        }
        else if (*f == '0') {
            flags |= F_ZERO;
        }
        else if (*f == '#') {
            flags |= F_ALT;
        }
        else {
            break;
        }
        f++;
    }

    if (*f == '*') {
        int v = va_arg(*vargs, int);
        if (v < 0) {
            flags |= F_LJUST;
            width = -(Py_ssize_t)v;
        }
        else {
            width = v;
        }
        f++;
    }
    else if (*f >= '0' && *f <= '9') {
        width = *f - '0';
        f++;
        while (*f >= '0' && *f <= '9') {
            if (width > (PY_SSIZE_T_MAX - (*f - '0')) / 10) {
                PyErr_SetString(PyExc_ValueError, "width too big");
                return NULL;
            }
            width = width * 10 + (*f - '0');
            f++;
        }
    }

    if (*f == '.') {
        f++;
        if (*f == '*') {
            int v = va_arg(*vargs, int);
            precision = v < 0 ? -2 : v;
            f++;
        }
        else if (*f >= '0' && *f <= '9') {
            precision = *f - '0';
            f++;
            while (*f >= '0' && *f <= '9') {
                if (precision > (PY_SSIZE_T_MAX - (*f - '0')) / 10) {
                    PyErr_SetString(PyExc_ValueError, "precision too big");
                    return NULL;
                }
                precision = precision * 10 + (*f - '0');
                f++;
            }
        }
    }

    if (*f == 'l') {
        if (f[1] == 'l') {
            sizemod = SZ_LONGLONG;
            f += 2;
        }
        else {
            sizemod = SZ_LONG;
            f++;
        }
    }
    else if (*f == 'z') {
        sizemod = SZ_SIZE;
        f++;
    }
    else if (*f == 't') {
        sizemod = SZ_PTRDIFF;
        f++;
    }
    else if (*f == 'j') {
        sizemod = SZ_INTMAX;
        f++;
    }

    switch (*f) {
    case 'd': case 'i': case 'o': case 'u': case 'x': case 'X':
        break;
    case 'c': case 'p':
        if (sizemod || width >= 0 || precision >= 0) {
            invalid_format(p);
            return NULL;
        }
        break;
    case 's': case 'V':
        if (sizemod && sizemod != SZ_LONG) {
            invalid_format(p);
            return NULL;
        }
        break;
    default:
        if (sizemod) {
            invalid_format(p);
            return NULL;
        }
        break;
    }

    switch (*f) {
    case 'c': {
        int ordinal = va_arg(*vargs, int);
        if (ordinal < 0 || ordinal > MAX_UNICODE) {
            PyErr_SetString(PyExc_OverflowError,
                            "character argument not in range(0x110000)");
            return NULL;
        }
        if (w_codepoint(w, (unsigned int)ordinal) < 0) {
            return NULL;
        }
        break;
    }

    case 'd': case 'i': case 'o': case 'u': case 'x': case 'X': {
        char buffer[80];
        int len;
        char conv = *f;
        if (conv == 'd' || conv == 'i') {
            long long v;
            switch (sizemod) {
            case SZ_LONG: v = va_arg(*vargs, long); break;
            case SZ_LONGLONG: v = va_arg(*vargs, long long); break;
            case SZ_SIZE: v = va_arg(*vargs, Py_ssize_t); break;
            case SZ_PTRDIFF: v = va_arg(*vargs, ptrdiff_t); break;
            case SZ_INTMAX: v = (long long)va_arg(*vargs, intmax_t); break;
            default: v = va_arg(*vargs, int); break;
            }
            len = snprintf(buffer, sizeof(buffer), "%lld", v);
        }
        else {
            unsigned long long v;
            switch (sizemod) {
            case SZ_LONG: v = va_arg(*vargs, unsigned long); break;
            case SZ_LONGLONG: v = va_arg(*vargs, unsigned long long); break;
            case SZ_SIZE: v = va_arg(*vargs, size_t); break;
            case SZ_PTRDIFF: v = (unsigned long long)va_arg(*vargs, ptrdiff_t); break;
            case SZ_INTMAX: v = (unsigned long long)va_arg(*vargs, uintmax_t); break;
            default: v = va_arg(*vargs, unsigned int); break;
            }
            const char *cf = conv == 'o' ? "%llo" : conv == 'x' ? "%llx"
                           : conv == 'X' ? "%llX" : "%llu";
            len = snprintf(buffer, sizeof(buffer), cf, v);
        }
        int sign = buffer[0] == '-';
        Py_ssize_t dlen = len - sign;
        Py_ssize_t prec = precision > dlen ? precision : dlen;
        Py_ssize_t wid = width > prec + sign ? width : prec + sign;
        if ((flags & F_ZERO) && !(flags & F_LJUST)) {
            prec = wid - sign;
        }
        Py_ssize_t spacepad = wid - prec - sign;
        Py_ssize_t zeropad = prec - dlen;
        if (spacepad > 0 && !(flags & F_LJUST)) {
            if (w_spaces(w, spacepad) < 0) {
                return NULL;
            }
        }
        if (sign && w_put(w, "-", 1) < 0) {
            return NULL;
        }
        if (zeropad > 0 && pyr_sbuf_fill(&w->sb, '0', (size_t)zeropad) < 0) {
            return NULL;
        }
        if (w_put(w, buffer + sign, (size_t)dlen) < 0) {
            return NULL;
        }
        if (spacepad > 0 && (flags & F_LJUST)) {
            if (w_spaces(w, spacepad) < 0) {
                return NULL;
            }
        }
        break;
    }

    case 'p': {
        char number[80];
        int len = snprintf(number, sizeof(number) - 2, "%p",
                           va_arg(*vargs, void *));
        if (len < 0) {
            len = 0;
            number[0] = '\0';
        }
        /* ensure a leading 0x */
        if (number[1] == 'X') {
            number[1] = 'x';
        }
        else if (number[1] != 'x') {
            memmove(number + 2, number, strlen(number) + 1);
            number[0] = '0';
            number[1] = 'x';
            len += 2;
        }
        if (w_put(w, number, (size_t)len) < 0) {
            return NULL;
        }
        break;
    }

    case 's':
        if (sizemod) {
            const wchar_t *s = va_arg(*vargs, const wchar_t *);
            if (write_wcstr(w, s, width, precision, flags) < 0) {
                return NULL;
            }
        }
        else {
            const char *s = va_arg(*vargs, const char *);
            if (write_utf8(w, s, width, precision, flags) < 0) {
                return NULL;
            }
        }
        break;

    case 'U': {
        PyObject *obj = va_arg(*vargs, PyObject *);
        if (write_str(w, obj, width, precision, flags) < 0) {
            return NULL;
        }
        break;
    }

    case 'V': {
        PyObject *obj = va_arg(*vargs, PyObject *);
        const char *str = NULL;
        const wchar_t *wstr = NULL;
        if (sizemod) {
            wstr = va_arg(*vargs, const wchar_t *);
        }
        else {
            str = va_arg(*vargs, const char *);
        }
        int r;
        if (obj != NULL) {
            r = write_str(w, obj, width, precision, flags);
        }
        else if (sizemod) {
            r = write_wcstr(w, wstr, width, precision, flags);
        }
        else {
            r = write_utf8(w, str, width, precision, flags);
        }
        if (r < 0) {
            return NULL;
        }
        break;
    }

    case 'S':
    case 'R':
    case 'A': {
        PyObject *obj = va_arg(*vargs, PyObject *);
        PyObject *s = *f == 'S' ? PyObject_Str(obj)
                    : *f == 'R' ? PyObject_Repr(obj) : PyObject_ASCII(obj);
        if (s == NULL) {
            return NULL;
        }
        int r = write_str(w, s, width, precision, flags);
        PYR_DECREF(s);
        if (r < 0) {
            return NULL;
        }
        break;
    }

    case 'T':
    case 'N': {
        PyObject *obj = va_arg(*vargs, PyObject *);
        PyTypeObject *type;
        if (*f == 'N') {
            if (!PYR_TYPE_CHECK(obj)) {
                PyErr_SetString(PyExc_TypeError, "%N argument must be a type");
                return NULL;
            }
            type = (PyTypeObject *)obj;
        }
        else {
            type = Py_TYPE(obj);
        }
        PyObject *name = type_fullname(type, flags & F_ALT);
        if (name == NULL) {
            return NULL;
        }
        int r = write_str(w, name, width, precision, flags);
        PYR_DECREF(name);
        if (r < 0) {
            return NULL;
        }
        break;
    }

    default:
        invalid_format(p);
        return NULL;
    }

    return f + 1;
}

PyObject *
pyr_unicode_fromformat_v(const char *format, va_list *p_va)
{
    writer_t w;
    const char *f = format;
    PyObject *result;

    pyr_sbuf_init(&w.sb);
    w.surrogates = 0;

    while (*f) {
        if (*f == '%') {
            f = format_arg(&w, f, p_va);
            if (f == NULL) {
                goto fail;
            }
        }
        else {
            const char *q = f;
            do {
                if ((unsigned char)*q > 127) {
                    PyErr_Format(PyExc_ValueError,
                                 "PyUnicode_FromFormatV() expects an ASCII-encoded "
                                 "format string, got a non-ASCII byte: 0x%02x",
                                 (unsigned char)*q);
                    goto fail;
                }
                q++;
            } while (*q != '\0' && *q != '%');
            if (w_put(&w, f, (size_t)(q - f)) < 0) {
                goto fail;
            }
            f = q;
        }
    }

    result = PyUnicode_DecodeUTF8(w.sb.buf, (Py_ssize_t)w.sb.len,
                                  w.surrogates ? "surrogatepass" : NULL);
    pyr_sbuf_free(&w.sb);
    return result;

fail:
    pyr_sbuf_free(&w.sb);
    return NULL;
}

PyObject *
PyUnicode_FromFormatV(const char *format, va_list vargs)
{
    va_list lva;
    PyObject *r;
    va_copy(lva, vargs);
    r = pyr_unicode_fromformat_v(format, &lva);
    va_end(lva);
    return r;
}

PyObject *
PyUnicode_FromFormat(const char *format, ...)
{
    va_list va;
    PyObject *r;
    va_start(va, format);
    r = pyr_unicode_fromformat_v(format, &va);
    va_end(va);
    return r;
}
