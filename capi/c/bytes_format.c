/*
 * bytes_format.c -- PyBytes_FromFormat / PyBytes_FromFormatV (CPython 3.15
 * semantics): %% %c (0..255) %d %i %u %x %ld %lu %zd %zu %p %s (with
 * "%.Ns" precision); a width is ignored; an unknown conversion copies the
 * rest of the format verbatim and stops.
 */
#include "pyrite_capi.h"

#include <stdio.h>

static int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int
is_alpha_c(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static PyObject *
bytes_fromformat_v(const char *format, va_list *vargs)
{
    pyr_sbuf b;
    char buffer[64];
    pyr_sbuf_init(&b);

    for (const char *f = format; *f; f++) {
        if (*f != '%') {
            if (pyr_sbuf_putc(&b, *f) < 0) {
                goto error;
            }
            continue;
        }
        const char *p = f++;
        while (is_digit(*f)) {       /* the width is ignored */
            f++;
        }
        Py_ssize_t prec = 0;
        if (*f == '.') {
            f++;
            for (; is_digit(*f); f++) {
                prec = prec * 10 + (*f - '0');
            }
        }
        while (*f && *f != '%' && !is_alpha_c(*f)) {
            f++;
        }
        int longflag = 0, size_tflag = 0;
        if (*f == 'l' && (f[1] == 'd' || f[1] == 'u')) {
            longflag = 1;
            ++f;
        }
        if (*f == 'z' && (f[1] == 'd' || f[1] == 'u')) {
            size_tflag = 1;
            ++f;
        }

        switch (*f) {
        case 'c': {
            int c = va_arg(*vargs, int);
            if (c < 0 || c > 255) {
                PyErr_SetString(PyExc_OverflowError,
                                "PyBytes_FromFormatV(): %c format "
                                "expects an integer in range [0; 255]");
                goto error;
            }
            if (pyr_sbuf_putc(&b, (char)c) < 0) {
                goto error;
            }
            break;
        }
        case 'd':
            if (longflag) {
                snprintf(buffer, sizeof(buffer), "%ld", va_arg(*vargs, long));
            }
            else if (size_tflag) {
                snprintf(buffer, sizeof(buffer), "%zd", va_arg(*vargs, Py_ssize_t));
            }
            else {
                snprintf(buffer, sizeof(buffer), "%d", va_arg(*vargs, int));
            }
            if (pyr_sbuf_put(&b, buffer, strlen(buffer)) < 0) {
                goto error;
            }
            break;
        case 'u':
            if (longflag) {
                snprintf(buffer, sizeof(buffer), "%lu", va_arg(*vargs, unsigned long));
            }
            else if (size_tflag) {
                snprintf(buffer, sizeof(buffer), "%zu", va_arg(*vargs, size_t));
            }
            else {
                snprintf(buffer, sizeof(buffer), "%u", va_arg(*vargs, unsigned int));
            }
            if (pyr_sbuf_put(&b, buffer, strlen(buffer)) < 0) {
                goto error;
            }
            break;
        case 'i':
            snprintf(buffer, sizeof(buffer), "%i", va_arg(*vargs, int));
            if (pyr_sbuf_put(&b, buffer, strlen(buffer)) < 0) {
                goto error;
            }
            break;
        case 'x':
            snprintf(buffer, sizeof(buffer), "%x", va_arg(*vargs, unsigned int));
            if (pyr_sbuf_put(&b, buffer, strlen(buffer)) < 0) {
                goto error;
            }
            break;
        case 's': {
            const char *s = va_arg(*vargs, const char *);
            Py_ssize_t i;
            if (prec <= 0) {
                i = (Py_ssize_t)strlen(s);
            }
            else {
                i = 0;
                while (i < prec && s[i]) {
                    i++;
                }
            }
            if (pyr_sbuf_put(&b, s, (size_t)i) < 0) {
                goto error;
            }
            break;
        }
        case 'p': {
            snprintf(buffer, sizeof(buffer) - 2, "%p", va_arg(*vargs, void *));
            if (buffer[1] == 'X') {
                buffer[1] = 'x';
            }
            else if (buffer[1] != 'x') {
                memmove(buffer + 2, buffer, strlen(buffer) + 1);
                buffer[0] = '0';
                buffer[1] = 'x';
            }
            if (pyr_sbuf_put(&b, buffer, strlen(buffer)) < 0) {
                goto error;
            }
            break;
        }
        case '%':
            if (pyr_sbuf_putc(&b, '%') < 0) {
                goto error;
            }
            break;
        default:
            /* invalid format: copy the rest unformatted and stop */
            if (pyr_sbuf_put(&b, p, strlen(p)) < 0) {
                goto error;
            }
            goto done;
        }
    }
done:;
    PyObject *r = PyBytes_FromStringAndSize(b.buf, (Py_ssize_t)b.len);
    pyr_sbuf_free(&b);
    return r;
error:
    pyr_sbuf_free(&b);
    return NULL;
}

PyObject *
PyBytes_FromFormatV(const char *format, va_list vargs)
{
    va_list lva;
    PyObject *r;
    va_copy(lva, vargs);
    r = bytes_fromformat_v(format, &lva);
    va_end(lva);
    return r;
}

PyObject *
PyBytes_FromFormat(const char *format, ...)
{
    va_list va;
    PyObject *r;
    va_start(va, format);
    r = bytes_fromformat_v(format, &va);
    va_end(va);
    return r;
}
