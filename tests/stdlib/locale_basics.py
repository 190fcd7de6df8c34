# _locale through Lib/locale.py: the C locale's conventions, setlocale queries and errors,
# nl_langinfo, collation, and locale.format_string/currency/atof/str built on localeconv().
import _locale
import functools
import locale

loc = locale.setlocale(locale.LC_NUMERIC, "C")
print(loc, locale.setlocale(locale.LC_NUMERIC))
conv = locale.localeconv()
print(sorted(conv.items()))
print(_locale.CHAR_MAX, locale.LC_ALL != locale.LC_NUMERIC, issubclass(locale.Error, Exception))
try:
    locale.setlocale(locale.LC_ALL, "no_SUCH.locale")
except locale.Error as e:
    print("Error:", e)
try:
    _locale.nl_langinfo(-12345)
except ValueError as e:
    print("ValueError:", e)
locale.setlocale(locale.LC_TIME, "C")
print([locale.nl_langinfo(getattr(locale, "DAY_%d" % i)) for i in range(1, 8)])
print([locale.nl_langinfo(getattr(locale, "ABMON_%d" % i)) for i in range(1, 13)])
print(locale.nl_langinfo(locale.D_FMT), locale.nl_langinfo(locale.T_FMT), locale.nl_langinfo(locale.RADIXCHAR))
print(locale.nl_langinfo(locale.YESEXPR), locale.nl_langinfo(locale.AM_STR))
locale.setlocale(locale.LC_COLLATE, "C")
print(locale.strcoll("a", "b") < 0, locale.strcoll("b", "a") > 0, locale.strcoll("x", "x"), locale.strxfrm("hello"))
print(sorted(["b", "A", "a", "B"], key=locale.strxfrm), sorted(["b", "a"], key=functools.cmp_to_key(locale.strcoll)))
try:
    locale.strcoll("a\0", "b")
except ValueError as e:
    print("ValueError:", e)
print(locale.format_string("%d items, %.2f each", (1234567, 3.14159), grouping=True))
print(locale.format_string("%s|%5.1f", ("x", 2.25)), locale.str(1.5), locale.atof("3.25"), locale.atoi("42"))
print(locale.delocalize("1234.5"), locale.localize("1234.5"))
try:
    locale.currency(1.5)
except ValueError as e:
    print("ValueError:", e)
print(locale.normalize("en_US"), locale.normalize("C"), locale.getlocale(locale.LC_NUMERIC))
print(isinstance(locale.getpreferredencoding(False), str), isinstance(_locale.getencoding(), str))
print("locale_basics: ok")
