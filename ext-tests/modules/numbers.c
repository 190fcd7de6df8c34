/*
 * numbers: the number protocol (PyNumber_*, binary, in-place and unary forms) on ints and
 * floats, and the int conversions of longobject.h (overflow detection, unsigned and masked
 * forms, sizes, pointers, doubles, 3.14+ fixed-width and native-bytes forms).
 */
#include "ext_test.h"
#include <limits.h>
#include <math.h>

#define API_AT_LEAST(v) (!defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= (v))

typedef PyObject *(*binop)(PyObject *, PyObject *);

/* `r` is an int equal to `expect`; consumes `r`. */
static int is_long(PyObject *r, long expect) {
    int ok = r && PyLong_Check(r) && PyLong_AsLong(r) == expect;
    Py_XDECREF(r);
    return ok;
}

static PyObject *test_binary_and_inplace_on_ints(PyObject *m, PyObject *unused) {
    static const struct { binop f, inplace; long expect; } ops[] = {
        {PyNumber_Add, PyNumber_InPlaceAdd, 10},
        {PyNumber_Subtract, PyNumber_InPlaceSubtract, 4},
        {PyNumber_Multiply, PyNumber_InPlaceMultiply, 21},
        {PyNumber_FloorDivide, PyNumber_InPlaceFloorDivide, 2},
        {PyNumber_Remainder, PyNumber_InPlaceRemainder, 1},
        {PyNumber_And, PyNumber_InPlaceAnd, 3},
        {PyNumber_Or, PyNumber_InPlaceOr, 7},
        {PyNumber_Xor, PyNumber_InPlaceXor, 4},
        {PyNumber_Lshift, PyNumber_InPlaceLshift, 56},
        {PyNumber_Rshift, PyNumber_InPlaceRshift, 0},
    };
    PyObject *a = PyLong_FromLong(7), *b = PyLong_FromLong(3), *five = PyLong_FromLong(5), *zero = PyLong_FromLong(0), *r;
    size_t i;
    for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        CHECK(is_long(ops[i].f(a, b), ops[i].expect));
        CHECK(is_long(ops[i].inplace(a, b), ops[i].expect));
    }
    CHECK(is_long(PyNumber_Power(a, b, Py_None), 343));
    CHECK(is_long(PyNumber_InPlacePower(a, b, Py_None), 343));
    CHECK(is_long(PyNumber_Power(a, b, five), 3));
    r = PyNumber_TrueDivide(a, b);
    CHECK(r && PyFloat_Check(r) && fabs(PyFloat_AsDouble(r) - 7.0 / 3.0) < 1e-15);
    Py_XDECREF(r);
    r = PyNumber_InPlaceTrueDivide(a, b);
    CHECK(r && PyFloat_Check(r));
    Py_XDECREF(r);
    r = PyNumber_Divmod(a, b);
    CHECK(r && PyTuple_Check(r) && PyTuple_Size(r) == 2 && PyLong_AsLong(PyTuple_GetItem(r, 0)) == 2);
    Py_XDECREF(r);
#if API_AT_LEAST(0x03050000)
    CHECK(PyNumber_MatrixMultiply(a, b) == NULL);
    CHECK_RAISED(PyExc_TypeError, "unsupported operand type(s) for @: 'int' and 'int'");
    CHECK(PyNumber_InPlaceMatrixMultiply(a, b) == NULL);
    CHECK_RAISED(PyExc_TypeError, "unsupported operand type(s) for @=: 'int' and 'int'");
#endif
    CHECK(PyNumber_FloorDivide(a, zero) == NULL);
    CHECK_RAISED(PyExc_ZeroDivisionError, NULL);
    CHECK(PyNumber_Add(a, Py_None) == NULL);
    CHECK_RAISED(PyExc_TypeError, "unsupported operand type(s) for +: 'int' and 'NoneType'");
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(five);
    Py_DECREF(zero);
    Py_RETURN_NONE;
}

static PyObject *test_unary_and_conversions(PyObject *m, PyObject *unused) {
    PyObject *a = PyLong_FromLong(-7), *f = PyFloat_FromDouble(2.75), *n255 = PyLong_FromLong(255), *n70 = PyLong_FromLong(70), *r, *big;
    CHECK(PyNumber_Check(a) == 1 && PyNumber_Check(f) == 1 && PyNumber_Check(Py_None) == 0);
    CHECK(is_long(PyNumber_Negative(a), 7));
    CHECK(is_long(PyNumber_Positive(a), -7));
    CHECK(is_long(PyNumber_Absolute(a), 7));
    CHECK(is_long(PyNumber_Invert(a), 6));
    CHECK(is_long(PyNumber_Index(a), -7));
    CHECK(is_long(PyNumber_Long(f), 2));
    r = PyNumber_Float(a);
    CHECK(r && PyFloat_AsDouble(r) == -7.0);
    Py_XDECREF(r);
    CHECK(PyNumber_Index(f) == NULL);
    CHECK_RAISED(PyExc_TypeError, "'float' object cannot be interpreted as an integer");
    r = PyNumber_ToBase(n255, 16);
    CHECK(r && PyUnicode_CompareWithASCIIString(r, "0xff") == 0);
    Py_XDECREF(r);
    r = PyNumber_ToBase(a, 2);
    CHECK(r && PyUnicode_CompareWithASCIIString(r, "-0b111") == 0);
    Py_XDECREF(r);
    big = PyNumber_Lshift(a, n70);
    CHECK(big != NULL);
    CHECK(PyNumber_AsSsize_t(big, NULL) == PY_SSIZE_T_MIN && !PyErr_Occurred());
    CHECK(PyNumber_AsSsize_t(big, PyExc_OverflowError) == -1);
    CHECK_RAISED(PyExc_OverflowError, NULL);
    Py_DECREF(big);
    Py_DECREF(a);
    Py_DECREF(f);
    Py_DECREF(n255);
    Py_DECREF(n70);
    Py_RETURN_NONE;
}

static PyObject *test_long_conversions(PyObject *m, PyObject *unused) {
    PyObject *one = PyLong_FromLong(1), *n64 = PyLong_FromLong(64), *n1100 = PyLong_FromLong(1100), *twelve = PyLong_FromLong(12);
    PyObject *two64 = PyNumber_Lshift(one, n64), *neg = PyLong_FromLong(-1), *v, *minus_two64;
    PyObject *huge = PyNumber_Lshift(one, n1100);
    int overflow = 0;
    long long ll;
    void *p = &overflow;
    CHECK(two64 && huge);
    CHECK(PyLong_AsLongAndOverflow(two64, &overflow) == -1 && overflow == 1 && !PyErr_Occurred());
    minus_two64 = PyNumber_Negative(two64);
    CHECK(PyLong_AsLongLongAndOverflow(minus_two64, &overflow) == -1 && overflow == -1);
    Py_XDECREF(minus_two64);
    ll = PyLong_AsLongLongAndOverflow(neg, &overflow);
    CHECK(ll == -1 && overflow == 0);
    CHECK(PyLong_AsUnsignedLong(neg) == (unsigned long)-1);
    CHECK_RAISED(PyExc_OverflowError, "can't convert negative value to unsigned int");
    CHECK(PyLong_AsUnsignedLongMask(neg) == ULONG_MAX);
    CHECK(PyLong_AsUnsignedLongLongMask(neg) == ULLONG_MAX);
    CHECK(PyLong_AsSize_t(neg) == (size_t)-1);
    CHECK_RAISED(PyExc_OverflowError, NULL);
    CHECK(PyLong_AsUnsignedLong(two64) == (unsigned long)-1);
    CHECK_RAISED(PyExc_OverflowError, NULL);
    CHECK(PyLong_AsDouble(huge) == -1.0);
    CHECK_RAISED(PyExc_OverflowError, "int too large to convert to float");
    v = PyLong_FromUnsignedLong(ULONG_MAX);
    CHECK(v && PyLong_AsUnsignedLong(v) == ULONG_MAX);
    Py_XDECREF(v);
    v = PyLong_FromSize_t((size_t)1 << 40);
    CHECK(v && PyLong_AsSize_t(v) == (size_t)1 << 40);
    Py_XDECREF(v);
    v = PyLong_FromDouble(-3.9);
    CHECK(is_long(v, -3));
    CHECK(PyLong_FromDouble(NAN) == NULL);
    CHECK_RAISED(PyExc_ValueError, "cannot convert float NaN to integer");
    CHECK(PyLong_FromDouble(INFINITY) == NULL);
    CHECK_RAISED(PyExc_OverflowError, "cannot convert float infinity to integer");
    v = PyLong_FromVoidPtr(p);
    CHECK(v && PyLong_AsVoidPtr(v) == p);
    Py_XDECREF(v);
    CHECK(PyLong_AsDouble(twelve) == 12.0);
#if API_AT_LEAST(0x030D0000)
    CHECK(PyLong_AsInt(two64) == -1);
    CHECK_RAISED(PyExc_OverflowError, "Python int too large to convert to C int");
#endif
#if API_AT_LEAST(0x030E0000)
    {
        int32_t i32;
        int64_t i64;
        uint32_t u32;
        uint64_t u64;
        v = PyLong_FromInt32(INT32_MIN);
        CHECK(v && PyLong_AsInt32(v, &i32) == 0 && i32 == INT32_MIN);
        Py_XDECREF(v);
        v = PyLong_FromInt64(INT64_MIN);
        CHECK(v && PyLong_AsInt64(v, &i64) == 0 && i64 == INT64_MIN);
        Py_XDECREF(v);
        v = PyLong_FromUInt32(UINT32_MAX);
        CHECK(v && PyLong_AsUInt32(v, &u32) == 0 && u32 == UINT32_MAX);
        Py_XDECREF(v);
        v = PyLong_FromUInt64(UINT64_MAX);
        CHECK(v && PyLong_AsUInt64(v, &u64) == 0 && u64 == UINT64_MAX);
        Py_XDECREF(v);
        CHECK(PyLong_AsUInt64(neg, &u64) == -1);
        CHECK_RAISED(PyExc_ValueError, "Cannot convert negative int");
        CHECK(PyLong_AsInt32(two64, &i32) == -1);
        CHECK_RAISED(PyExc_OverflowError, NULL);
    }
    {
        unsigned char buf[16];
        Py_ssize_t n = PyLong_AsNativeBytes(neg, buf, 4, Py_ASNATIVEBYTES_LITTLE_ENDIAN);
        /* The bytes needed (at most 4 here), and -1 sign-extended over the whole buffer. */
        CHECK(n >= 1 && n <= 4 && buf[0] == 0xff && buf[3] == 0xff);
        v = PyLong_FromNativeBytes(buf, 4, Py_ASNATIVEBYTES_LITTLE_ENDIAN);
        CHECK(is_long(v, -1));
        v = PyLong_FromUnsignedNativeBytes(buf, 4, Py_ASNATIVEBYTES_LITTLE_ENDIAN);
        CHECK(is_long(v, 0xffffffffL));
        n = PyLong_AsNativeBytes(two64, buf, 8, Py_ASNATIVEBYTES_LITTLE_ENDIAN);
        CHECK(n > 8);
    }
#endif
    Py_DECREF(two64);
    Py_DECREF(neg);
    Py_DECREF(huge);
    Py_DECREF(one);
    Py_DECREF(n64);
    Py_DECREF(n1100);
    Py_DECREF(twelve);
    Py_RETURN_NONE;
}

static PyObject *test_floats(PyObject *m, PyObject *unused) {
    PyObject *s = PyUnicode_FromString("  1.5e3 "), *f;
    CHECK(PyFloat_GetMax() == 1.7976931348623157e308 && PyFloat_GetMin() == 2.2250738585072014e-308);
    f = PyFloat_FromString(s);
    CHECK(f && PyFloat_AsDouble(f) == 1500.0);
    Py_XDECREF(f);
    Py_DECREF(s);
    s = PyUnicode_FromString("nope");
    CHECK(PyFloat_FromString(s) == NULL);
    CHECK_RAISED(PyExc_ValueError, "could not convert string to float: 'nope'");
    Py_DECREF(s);
    CHECK(PyFloat_AsDouble(Py_None) == -1.0);
    CHECK_RAISED(PyExc_TypeError, "must be real number, not NoneType");
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"test_binary_and_inplace_on_ints", test_binary_and_inplace_on_ints, METH_NOARGS, NULL},
    {"test_unary_and_conversions", test_unary_and_conversions, METH_NOARGS, NULL},
    {"test_long_conversions", test_long_conversions, METH_NOARGS, NULL},
    {"test_floats", test_floats, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static int numbers_exec(PyObject *m) { return 0; }

EXT_TEST_MODULE(numbers, methods, numbers_exec)
