/*
 * mysnprintf.c -- PyOS_snprintf / PyOS_vsnprintf (CPython semantics):
 * C vsnprintf, except that the result is always NUL-terminated and a size
 * above INT_MAX - 1 returns -666 without formatting.
 */
#include "pyrite_capi.h"

#include <stdio.h>

int
PyOS_vsnprintf(char *str, size_t size, const char *format, va_list va)
{
    int len;
    if (size > (size_t)INT_MAX - 1) {
        len = -666;
    }
    else {
        va_list lva;
        va_copy(lva, va);
        len = vsnprintf(str, size, format, lva);
        va_end(lva);
    }
    if (size > 0) {
        str[size - 1] = '\0';
    }
    return len;
}

int
PyOS_snprintf(char *str, size_t size, const char *format, ...)
{
    va_list va;
    int r;
    va_start(va, format);
    r = PyOS_vsnprintf(str, size, format, va);
    va_end(va);
    return r;
}
