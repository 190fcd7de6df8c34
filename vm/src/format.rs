//! The format-spec mini-language for the built-in types (`format(x, spec)`, f-strings):
//! `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.

use pyrite_abi::PyObject;

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::{float, long, unicode};

#[derive(Default, Debug, Clone)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    alternate: bool,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    ty: Option<char>,
}

fn parse(spec: &str, type_name: &str) -> PyResult<Spec> {
    let chars: Vec<char> = spec.chars().collect();
    let mut s = Spec::default();
    let mut i = 0;
    let is_align = |c: char| matches!(c, '<' | '>' | '^' | '=');
    if chars.len() >= 2 && is_align(chars[1]) {
        s.fill = Some(chars[0]);
        s.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        s.align = Some(chars[0]);
        i = 1;
    }
    if i < chars.len() && matches!(chars[i], '+' | '-' | ' ') {
        s.sign = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == 'z' {
        i += 1;
    }
    if i < chars.len() && chars[i] == '#' {
        s.alternate = true;
        i += 1;
    }
    if i < chars.len() && chars[i] == '0' {
        s.zero = true;
        i += 1;
    }
    let start = i;
    while i < chars.len() && chars[i].is_ascii_digit() {
        i += 1;
    }
    if i > start {
        let w: isize = chars[start..i].iter().collect::<String>().parse().map_err(|_| raise!(ValueError, "Too many decimal digits in format string"))?;
        s.width = w as usize;
    }
    if i < chars.len() && matches!(chars[i], ',' | '_') {
        s.grouping = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        let p0 = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i == p0 {
            return Err(raise!(ValueError, "Format specifier missing precision"));
        }
        s.precision = Some(chars[p0..i].iter().collect::<String>().parse().map_err(|_| raise!(ValueError, "Too many decimal digits in format string"))?);
    }
    if i < chars.len() {
        s.ty = Some(chars[i]);
        i += 1;
    }
    if i != chars.len() {
        return Err(raise!(ValueError, "Invalid format specifier '{}' for object of type '{}'", spec, type_name));
    }
    Ok(s)
}

fn group(digits: &str, sep: char, every: usize) -> String {
    let mut out: Vec<char> = Vec::new();
    for (n, c) in digits.chars().rev().enumerate() {
        if n > 0 && n % every == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out.into_iter().rev().collect()
}

/// Pads `body` (with its sign/prefix split off as `prefix`) to the spec's width. A width too
/// big to allocate is a MemoryError, as in CPython (`'%*d' % (sys.maxsize, 1)`).
fn pad(s: &Spec, prefix: &str, body: &str, default_align: char) -> PyResult<String> {
    let len = prefix.chars().count() + body.chars().count();
    if len >= s.width {
        return Ok(format!("{prefix}{body}"));
    }
    let n = s.width - len;
    let (fill, align) = if s.zero && s.align.is_none() { ('0', '=') } else { (s.fill.unwrap_or(' '), s.align.unwrap_or(default_align)) };
    let mut out = String::new();
    out.try_reserve(n.saturating_mul(fill.len_utf8()).saturating_add(prefix.len() + body.len())).map_err(|_| no_memory())?;
    let f = |out: &mut String, k: usize| out.extend(core::iter::repeat_n(fill, k));
    match align {
        '<' => {
            out.push_str(prefix);
            out.push_str(body);
            f(&mut out, n);
        }
        '^' => {
            f(&mut out, n / 2);
            out.push_str(prefix);
            out.push_str(body);
            f(&mut out, n - n / 2);
        }
        '=' => {
            out.push_str(prefix);
            f(&mut out, n);
            out.push_str(body);
        }
        _ => {
            f(&mut out, n);
            out.push_str(prefix);
            out.push_str(body);
        }
    }
    Ok(out)
}

fn no_memory() -> crate::err::PyErr {
    crate::err::PyErr::from_type_no_args(crate::objects::exceptions::MemoryError())
}

/// `n` zeros, or a MemoryError when they cannot be allocated.
fn zeros(n: usize) -> PyResult<String> {
    let mut out = String::new();
    out.try_reserve(n).map_err(|_| no_memory())?;
    out.extend(core::iter::repeat_n('0', n));
    Ok(out)
}

/// The largest float precision CPython's double-to-string conversion accepts (it sizes a
/// buffer as an `int` with room for the exponent and sign).
const MAX_FLOAT_PRECISION: usize = i32::MAX as usize - 1024;

/// Rust's float formatting takes at most a 16-bit precision; a double's exact decimal expansion
/// has at most 1074 fraction digits (767 significant ones), so past this precision every
/// further digit is a zero and is appended rather than computed.
const EXACT_DIGITS: usize = 1100;

/// `a` in fixed point with `prec` fraction digits.
fn fixed(a: f64, prec: usize) -> PyResult<String> {
    if prec <= EXACT_DIGITS {
        return Ok(format!("{a:.prec$}"));
    }
    Ok(format!("{a:.EXACT_DIGITS$}{}", zeros(prec - EXACT_DIGITS)?))
}

/// `a` in Rust's scientific notation (`1.5e3`) with `prec` digits after the point.
fn scientific(a: f64, prec: usize) -> PyResult<String> {
    if prec <= EXACT_DIGITS {
        return Ok(format!("{a:.prec$e}"));
    }
    let t = format!("{a:.EXACT_DIGITS$e}");
    let (m, e) = t.split_once('e').expect("scientific notation has an exponent");
    Ok(format!("{m}{}e{e}", zeros(prec - EXACT_DIGITS)?))
}

fn sign_str(s: &Spec, negative: bool) -> &'static str {
    match (negative, s.sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    }
}

fn format_int(v: &Obj, s: &Spec) -> PyResult<String> {
    let negative = long::is_negative(v);
    let ty = s.ty.unwrap_or('d');
    if s.precision.is_some() && matches!(ty, 'd' | 'n' | 'x' | 'X' | 'o' | 'b' | 'c') {
        return Err(raise!(ValueError, "Precision not allowed in integer format specifier"));
    }
    if let Some(sep) = s.grouping {
        let allowed = match ty {
            'd' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => true,
            'x' | 'X' | 'o' | 'b' => sep == '_',
            _ => false,
        };
        if !allowed {
            return Err(raise!(ValueError, "Cannot specify '{}' with '{}'.", sep, ty));
        }
    }
    let (prefix, digits) = match ty {
        // Only decimal digits are subject to `sys.set_int_max_str_digits`.
        'd' | 'n' => ("", long::to_decimal_string(v)?.trim_start_matches('-').to_string()),
        'x' | 'X' | 'o' | 'b' => {
            let (base, p) = match ty {
                'x' => (16, "0x"),
                'X' => (16, "0X"),
                'o' => (8, "0o"),
                _ => (2, "0b"),
            };
            let text = long::format_base(v, base)?;
            let d = text.trim_start_matches('-')[2..].to_string();
            (if s.alternate { p } else { "" }, if ty == 'X' { d.to_uppercase() } else { d })
        }
        'c' => {
            let cp = long::to_i64(v).filter(|n| (0..=0x10ffff).contains(n)).unwrap_or(0);
            return pad(s, "", &unicode::as_str_lossy(&unicode::from_code_points(&[cp as u32])), '<');
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => return format_float(long::to_f64(v)?, s),
        other => return Err(raise!(ValueError, "Unknown format code '{}' for object of type 'int'", other)),
    };
    let digits = match s.grouping {
        Some(sep) => group(&digits, sep, if matches!(ty, 'd' | 'n') { 3 } else { 4 }),
        None => digits,
    };
    pad(s, &format!("{}{}", sign_str(s, negative), prefix), &digits, '>')
}

fn format_float(x: f64, s: &Spec) -> PyResult<String> {
    let negative = x.is_sign_negative() && !x.is_nan();
    let body = float_body(x.abs(), s, "float")?;
    pad(s, sign_str(s, negative), &body, '>')
}

/// The digits of the non-negative `a` as the spec's type asks (no sign, no padding); `what`
/// names the type in the unknown-code error.
fn float_body(a: f64, s: &Spec, what: &str) -> PyResult<String> {
    let prec = s.precision.unwrap_or(6);
    if let Some(other) = s.ty.filter(|c| !matches!(c, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%')) {
        return Err(raise!(ValueError, "Unknown format code '{}' for object of type '{}'", other, what));
    }
    if prec > MAX_FLOAT_PRECISION {
        return Err(raise!(ValueError, "precision too big"));
    }
    let body = if a.is_infinite() || a.is_nan() {
        let t = if a.is_nan() { "nan" } else { "inf" };
        if matches!(s.ty, Some('E' | 'F' | 'G')) { t.to_uppercase() } else { t.to_string() }
    } else {
        match s.ty {
            Some('f' | 'F') => fixed(a, prec)?,
            Some('%') => format!("{}%", fixed(a * 100.0, prec)?),
            Some(c @ ('e' | 'E')) => {
                let t = scientific(a, prec)?;
                let (m, e) = t.split_once('e').unwrap();
                let e: i32 = e.parse().unwrap();
                let r = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
                if c == 'E' { r.to_uppercase() } else { r }
            }
            Some('g' | 'G' | 'n') | None if s.precision.is_some() || s.ty.is_some() => {
                let p = if prec == 0 { 1 } else { prec };
                // The exponent after rounding to `p` significant digits (9.99 at 2 digits is 1.0e1).
                let sci = scientific(a, p - 1)?;
                let (m, e) = sci.split_once('e').unwrap();
                let exp: i32 = e.parse().unwrap();
                // With no type, the result keeps a digit after the point ("1.0", not "1").
                let keep_point = s.ty.is_none();
                let t = if exp < -4 || exp >= p as i32 - keep_point as i32 {
                    let m = if s.alternate { m.to_string() } else { m.trim_end_matches('0').trim_end_matches('.').to_string() };
                    format!("{m}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
                } else {
                    let t = fixed(a, (p as i64 - 1 - exp as i64).max(0) as usize)?;
                    let t = if s.alternate || !t.contains('.') { t } else { t.trim_end_matches('0').trim_end_matches('.').to_string() };
                    if keep_point && !t.contains('.') { format!("{t}.0") } else { t }
                };
                if s.ty == Some('G') { t.to_uppercase() } else { t }
            }
            None => float::repr_f64(a),
            Some(other) => return Err(raise!(ValueError, "Unknown format code '{}' for object of type '{}'", other, what)),
        }
    };
    Ok(match s.grouping {
        Some(sep) => {
            let (int_part, rest) = body.split_at(body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len()));
            format!("{}{}", group(int_part, sep, 3), rest)
        }
        None => body,
    })
}

/// `complex.__format__`: both parts in the float format, the imaginary part always signed;
/// with no type the result looks like `repr` (parentheses, a zero real part left out).
fn format_complex(re: f64, im: f64, s: &Spec) -> PyResult<String> {
    if s.align == Some('=') {
        return Err(raise!(ValueError, "'=' alignment flag is not allowed in complex format specifier"));
    }
    if s.zero {
        return Err(raise!(ValueError, "Zero padding is not allowed in complex format specifier"));
    }
    if s.ty == Some('%') {
        return Err(raise!(ValueError, "Unknown format code '%' for object of type 'complex'"));
    }
    let skip_re = s.ty.is_none() && re == 0.0 && re.is_sign_positive();
    let parens = s.ty.is_none() && !skip_re;
    let part = |x: f64| -> PyResult<String> {
        if s.ty.is_none() && s.precision.is_none() {
            Ok(float::format_r(x.abs(), false, false))
        } else {
            let mut t = float_body(x.abs(), &Spec { grouping: s.grouping, ..s.clone() }, "complex")?;
            if s.ty.is_none() && t.ends_with(".0") {
                t.truncate(t.len() - 2);
            }
            Ok(t)
        }
    };
    let neg = |x: f64| x.is_sign_negative() && !x.is_nan();
    // Alone, the imaginary part is signed as the spec says; after a real part, always.
    let im_sign = if neg(im) { "-" } else if skip_re { sign_str(s, false) } else { "+" };
    let im_body = format!("{im_sign}{}j", part(im)?);
    let body = if skip_re { im_body } else { format!("{}{}{}", sign_str(s, neg(re)), part(re)?, im_body) };
    let body = if parens { format!("({body})") } else { body };
    pad(s, "", &body, '>')
}

/// `format(v, spec)` for int, float and str.
pub fn format_builtin(v: &Obj, spec: &str) -> PyResult<PyRef> {
    let s = parse(spec, &v.ob_type().name())?;
    let out = if long::check(v) {
        if crate::objects::bool_::PyBool_Type.is(v.ob_type()) && s.ty.is_none() {
            pad(&s, "", &unicode::as_str_lossy(&*crate::abstract_::str(v)?), '<')?
        } else {
            format_int(v, &s)?
        }
    } else if float::check(v) {
        format_float(float::value(v), &s)?
    } else if crate::objects::complex::check(v) {
        let c = crate::objects::complex::value(v);
        format_complex(c.real, c.imag, &s)?
    } else if unicode::check(v) {
        if let Some(t) = s.ty.filter(|&t| t != 's') {
            return Err(raise!(ValueError, "Unknown format code '{}' for object of type 'str'", t));
        }
        if s.sign.is_some() {
            return Err(raise!(ValueError, "Sign not allowed in string format specifier"));
        }
        let text = unicode::as_str_lossy(v);
        let t: String = match s.precision {
            Some(p) => text.chars().take(p).collect(),
            None => text.into_owned(),
        };
        pad(&s, "", &t, '<')?
    } else {
        return Err(raise!(TypeError, "unsupported format string passed to {}.__format__", v.ob_type().name()));
    };
    Ok(unicode::new(&out))
}

/// The spec argument of a `__format__` method, which must be a `str`.
fn spec_arg(spec: &Obj) -> PyResult<&Obj> {
    if unicode::check(spec) {
        Ok(spec)
    } else {
        Err(raise!(TypeError, "__format__() argument must be str, not {}", spec.ob_type().name()))
    }
}

/// `int.__format__`, `float.__format__`, `complex.__format__` and `str.__format__` (`METH_O`):
/// the format-spec mini-language; an empty spec is `str(self)`.
pub unsafe extern "C" fn builtin_format_method(o: *mut PyObject, spec: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract: both are live objects.
    let (o, spec) = unsafe { (crate::slot::arg(o), crate::slot::arg(spec)) };
    crate::slot::ret_obj(spec_arg(spec).and_then(|spec| {
        let text = unicode::as_str(spec)?;
        if text.is_empty() { crate::abstract_::str(o) } else { format_builtin(o, text) }
    }))
}

/// `object.__format__(spec)`: `str(self)` for the empty spec; any other spec is an error.
pub unsafe extern "C" fn object_format_method(o: *mut PyObject, spec: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract: both are live objects.
    let (o, spec) = unsafe { (crate::slot::arg(o), crate::slot::arg(spec)) };
    crate::slot::ret_obj(spec_arg(spec).and_then(|spec| {
        if unicode::len(spec) == 0 {
            crate::abstract_::str(o)
        } else {
            Err(raise!(TypeError, "unsupported format string passed to {}.__format__", o.ob_type().name()))
        }
    }))
}

/// A format string's characters; a lone surrogate reads as U+FFFD (the result is a `String`).
fn format_chars(fmt: &Obj) -> Vec<char> {
    unicode::chars(fmt).map(|c| char::from_u32(c).unwrap_or('\u{fffd}')).collect()
}

/// `str % args` (printf-style formatting): `%[(key)][flags][width][.precision]type` with the
/// conversions `s r a c d i u o x X e E f F g G %`, a tuple, a single value or a mapping.
/// Error messages are CPython 3.15's, which name the offending argument
/// (`format argument 2: %d requires a real number, not str`).
pub fn percent_format(fmt: &Obj, args: &Obj) -> PyResult<PyRef> {
    let out = percent(&format_chars(fmt), args, false)?;
    Ok(unicode::new(&out))
}

/// `bytes % args` / `bytearray % args` (PEP 461): as `str % args`, with `%s`/`%b` taking
/// bytes-like objects (or `__bytes__`), `%r`/`%a` the ASCII repr, `%c` one byte; the result has
/// the type of `fmt`'s bytes (the caller wraps it).
pub fn bytes_percent_format(fmt: &[u8], args: &Obj) -> PyResult<Vec<u8>> {
    let text: Vec<char> = fmt.iter().map(|&b| b as char).collect();
    let out = percent(&text, args, true)?;
    Ok(out.chars().map(|c| c as u32 as u8).collect())
}

/// `nb_remainder` of `bytes` and `bytearray`: `fmt % args` with the result of `fmt`'s type;
/// NotImplemented when the left operand is neither.
pub unsafe extern "C" fn bytes_like_mod(a: *mut pyrite_abi::PyObject, b: *mut pyrite_abi::PyObject) -> *mut pyrite_abi::PyObject {
    use crate::objects::{bytearray, bytes};
    // SAFETY: live arguments.
    let (a, b) = unsafe { (crate::slot::arg(a), crate::slot::arg(b)) };
    let r = if bytes::check(a) {
        bytes_percent_format(bytes::as_bytes(a), b).map(|v| bytes::new(&v))
    } else if bytearray::check(a) {
        bytes_percent_format(bytearray::as_slice(a), b).map(|v| bytearray::new(&v))
    } else {
        return crate::objects::none::not_implemented().into_raw();
    };
    crate::slot::ret_obj(r)
}

/// The bytes of a bytes-like object or of `__bytes__()` (`%s`/`%b` in bytes formatting).
fn bytes_operand(v: &Obj, label: &str) -> PyResult<Vec<u8>> {
    use crate::objects::{bytearray, bytes};
    if bytes::check(v) {
        return Ok(bytes::as_bytes(v).to_vec());
    }
    if bytearray::check(v) {
        return Ok(bytearray::as_slice(v).to_vec());
    }
    if let Some(f) = v.ob_type().lookup_str("__bytes__").map(Obj::new_ref) {
        let r = crate::abstract_::call(&f, &crate::objects::tuple::new_from(&[v]), None)?;
        if !bytes::check(&r) {
            return Err(raise!(TypeError, "__bytes__ returned non-bytes (type {})", r.ob_type().name()));
        }
        return Ok(bytes::as_bytes(&r).to_vec());
    }
    Err(raise!(TypeError, "{label}: %b requires a bytes-like object, or an object that implements __bytes__, not {}", v.ob_type().name()))
}

/// The engine of `str % args` and `bytes % args` (`bytes`: the text holds one char per byte
/// and so must the result).
fn percent(text: &[char], args: &Obj, bytes_mode: bool) -> PyResult<String> {
    use crate::objects::tuple;
    let is_tuple = tuple::check(args);
    let is_mapping = if bytes_mode {
        !is_tuple && !crate::objects::bytes::check(args) && !crate::objects::bytearray::check(args) && crate::abstract_::mapping_check(args)
    } else {
        !is_tuple && !unicode::check(args) && crate::abstract_::mapping_check(args)
    };
    let items: Vec<&Obj> = match tuple::as_slice_if_tuple(args) {
        Some(items) => items.to_vec(),
        None => vec![args],
    };
    let mut next_arg = 0usize;
    // The next positional argument and how errors name it.
    let mut take = || -> PyResult<(PyRef, String)> {
        let v = items
            .get(next_arg)
            .map(|v| v.new_ref())
            .ok_or_else(|| raise!(TypeError, "not enough arguments for format string (got {})", items.len()))?;
        next_arg += 1;
        let label = if is_tuple { format!("format argument {next_arg}") } else { "format argument".to_string() };
        Ok((v, label))
    };
    let mut out = String::new();
    let mut i = 0;
    let mut used_mapping = false;
    while i < text.len() {
        let c = text[i];
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        let percent_at = i - 1;
        let mut keyed: Option<(PyRef, String)> = None;
        if i < text.len() && text[i] == '(' {
            let start = i + 1;
            let mut depth = 1;
            let mut j = start;
            while j < text.len() && depth > 0 {
                match text[j] {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            if depth != 0 {
                return Err(raise!(ValueError, "stray % or incomplete format key at position {percent_at}"));
            }
            if !is_mapping {
                return Err(raise!(TypeError, "format requires a mapping, not {}", args.ob_type().name()));
            }
            let key: String = text[start..j - 1].iter().collect();
            let key_obj = if bytes_mode {
                crate::objects::bytes::new(&key.chars().map(|c| c as u32 as u8).collect::<Vec<u8>>())
            } else {
                unicode::new(&key)
            };
            let value = crate::abstract_::getitem(args, &key_obj)?;
            keyed = Some((value, format!("format argument '{key}'")));
            used_mapping = true;
            i = j;
        }
        let mut spec = Spec::default();
        while i < text.len() && matches!(text[i], '-' | '+' | ' ' | '#' | '0') {
            match text[i] {
                '-' => spec.align = Some('<'),
                '+' => spec.sign = Some('+'),
                ' ' => {
                    if spec.sign.is_none() {
                        spec.sign = Some(' ')
                    }
                }
                '#' => spec.alternate = true,
                _ => spec.zero = true,
            }
            i += 1;
        }
        // A width or precision: digits, or `*` taking the next argument. A negative `*` width
        // left-aligns, as in C; a negative `*` precision counts as 0. Widths are bounded by
        // `Py_ssize_t` and precisions by `int`, as in CPython.
        let mut number = |i: &mut usize, spec: &mut Spec, precision: bool| -> PyResult<Option<usize>> {
            let what = if precision { "precision" } else { "width" };
            if *i < text.len() && text[*i] == '*' {
                *i += 1;
                let (v, label) = take()?;
                if !long::check(&v) {
                    return Err(raise!(TypeError, "{label}: * requires int, not {}", v.ob_type().name()));
                }
                let too_big = || raise!(OverflowError, "{label}: too big for {what}");
                let n = long::to_i64(&v).ok_or_else(too_big)?;
                if precision {
                    let n = i32::try_from(n).map_err(|_| too_big())?;
                    return Ok(Some(n.max(0) as usize));
                }
                if n < 0 {
                    spec.align = Some('<');
                }
                return Ok(Some(n.unsigned_abs() as usize));
            }
            let limit = if precision { i32::MAX as usize } else { isize::MAX as usize };
            let mut n: Option<usize> = None;
            while *i < text.len() && text[*i].is_ascii_digit() {
                let d = text[*i] as usize - '0' as usize;
                let so_far = n.unwrap_or(0);
                if so_far > (limit - d) / 10 {
                    return Err(raise!(ValueError, "{what} too big at position {percent_at}"));
                }
                n = Some(so_far * 10 + d);
                *i += 1;
            }
            Ok(n)
        };
        spec.width = number(&mut i, &mut spec, false)?.unwrap_or(0);
        if i < text.len() && text[i] == '.' {
            i += 1;
            spec.precision = Some(number(&mut i, &mut spec, true)?.unwrap_or(0));
        }
        while i < text.len() && matches!(text[i], 'h' | 'l' | 'L') {
            i += 1;
        }
        let Some(&conv) = text.get(i) else { return Err(raise!(ValueError, "stray % at position {percent_at}")) };
        i += 1;
        if conv == '%' {
            out.push('%');
            continue;
        }
        if keyed.is_none() && used_mapping {
            return Err(raise!(ValueError, "format requires a parenthesised mapping key at position {percent_at}"));
        }
        let (v, label) = match keyed.take() {
            Some(kv) => kv,
            None => take()?,
        };
        let type_name = v.ob_type().name();
        let piece = match conv {
            's' | 'b' if bytes_mode => {
                let b = bytes_operand(&v, &label)?;
                let t: String = b.iter().take(spec.precision.unwrap_or(usize::MAX)).map(|&b| b as char).collect();
                spec.zero = false;
                pad(&spec, "", &t, '>')?
            }
            'r' | 'a' if bytes_mode => {
                let s = crate::builtins::ascii(&v)?;
                let t: String = unicode::as_str_lossy(&s).chars().take(spec.precision.unwrap_or(usize::MAX)).collect();
                spec.zero = false;
                pad(&spec, "", &t, '>')?
            }
            'c' if bytes_mode => {
                let byte = if crate::objects::bytes::check(&v) && crate::objects::bytes::as_bytes(&v).len() == 1 {
                    crate::objects::bytes::as_bytes(&v)[0]
                } else if crate::objects::bytearray::check(&v) && crate::objects::bytearray::as_slice(&v).len() == 1 {
                    crate::objects::bytearray::as_slice(&v)[0]
                } else if crate::objects::bytes::check(&v) || crate::objects::bytearray::check(&v) {
                    let n = if crate::objects::bytes::check(&v) { crate::objects::bytes::as_bytes(&v).len() } else { crate::objects::bytearray::as_slice(&v).len() };
                    return Err(raise!(
                        TypeError,
                        "{label}: %c requires an integer in range(256) or a single byte, not a {type_name} object of length {n}"
                    ));
                } else {
                    let n = crate::abstract_::index(&v)
                        .map_err(|_| raise!(TypeError, "{label}: %c requires an integer in range(256) or a single byte, not {type_name}"))?;
                    long::to_i64(&n)
                        .filter(|n| (0..256).contains(n))
                        .ok_or_else(|| raise!(OverflowError, "{label}: %c argument not in range(256)"))? as u8
                };
                spec.zero = false;
                pad(&spec, "", &(byte as char).to_string(), '>')?
            }
            's' | 'r' | 'a' => {
                let s = match conv {
                    's' => crate::abstract_::str(&v)?,
                    'r' => crate::abstract_::repr(&v)?,
                    _ => crate::builtins::ascii(&v)?,
                };
                let t: String = unicode::as_str_lossy(&s).chars().take(spec.precision.unwrap_or(usize::MAX)).collect();
                spec.zero = false;
                pad(&spec, "", &t, '>')?
            }
            'c' => {
                let ch = if unicode::check(&v) {
                    if unicode::len(&v) != 1 {
                        return Err(raise!(
                            TypeError,
                            "{label}: %c requires an integer or a unicode character, not a string of length {}",
                            unicode::len(&v)
                        ));
                    }
                    unicode::as_str_lossy(&v).into_owned()
                } else {
                    let n = crate::abstract_::index(&v).map_err(|_| {
                        raise!(TypeError, "{label}: %c requires an integer or a unicode character, not {type_name}")
                    })?;
                    let n = long::to_i64(&n)
                        .filter(|n| (0..=0x10ffff).contains(n))
                        .ok_or_else(|| raise!(OverflowError, "{label}: %c argument not in range(0x110000)"))?;
                    char::from_u32(n as u32).map(String::from).unwrap_or_default()
                };
                spec.zero = false;
                pad(&spec, "", &ch, '>')?
            }
            'd' | 'i' | 'u' | 'o' | 'x' | 'X' => {
                let decimal = matches!(conv, 'd' | 'i' | 'u');
                let n = if long::check(&v) {
                    v.clone()
                } else if decimal && crate::objects::float::check(&v) {
                    long::from_f64(crate::objects::float::value(&v))?
                } else if decimal {
                    crate::abstract_::index(&v)
                        .map_err(|_| raise!(TypeError, "{label}: %{conv} requires a real number, not {type_name}"))?
                } else {
                    crate::abstract_::index(&v)
                        .map_err(|_| raise!(TypeError, "{label}: %{conv} requires an integer, not {type_name}"))?
                };
                spec.ty = Some(if decimal { 'd' } else { conv });
                // Sign, then the `#` prefix, then digits zero-extended to the precision.
                let plain = Spec { width: 0, align: None, zero: false, alternate: false, sign: None, precision: None, ..spec.clone() };
                let s = format_int(&n, &plain)?;
                let (negative, mut digits) = match s.strip_prefix('-') {
                    Some(d) => (true, d.to_string()),
                    None => (false, s),
                };
                if let Some(p) = spec.precision.take() {
                    // CPython sizes the digit buffer as an `int` with room for sign and prefix.
                    if p > i32::MAX as usize - 3 {
                        return Err(raise!(OverflowError, "precision too large"));
                    }
                    if digits.len() < p {
                        digits = zeros(p - digits.len())? + &digits;
                    }
                }
                let prefix = match conv {
                    'x' if spec.alternate => "0x",
                    'X' if spec.alternate => "0X",
                    'o' if spec.alternate => "0o",
                    _ => "",
                };
                let sign = format!("{}{prefix}", sign_str(&spec, negative));
                pad(&Spec { ty: None, ..spec }, &sign, &digits, '>')?
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                let x = crate::objects::float::operand(&v)?
                    .ok_or_else(|| raise!(TypeError, "{label}: %{conv} requires a real number, not {type_name}"))?;
                spec.ty = Some(conv);
                if spec.precision.is_none() {
                    spec.precision = Some(6);
                }
                format_float(x, &spec)?
            }
            other => {
                return Err(raise!(ValueError, "unsupported format %{other} at position {percent_at}"));
            }
        };
        out.push_str(&piece);
    }
    if !used_mapping && !is_mapping && next_arg < items.len() {
        return Err(raise!(
            TypeError,
            "not all arguments converted during {} formatting (required {next_arg}, got {})",
            if bytes_mode { "bytes" } else { "string" },
            items.len()
        ));
    }
    Ok(out)
}

/// `str.format(*args, **kwargs)`: `{field!conv:spec}` replacement fields, `{{`/`}}` escapes,
/// automatic or manual numbering, `.attr` and `[key]` lookups, and replacement fields nested
/// in the spec (one level deep, as in CPython).
pub fn str_format(fmt: &Obj, args: &[&Obj], kw: crate::objects::argparse::Kw) -> PyResult<PyRef> {
    let text = format_chars(fmt);
    let mut numbering = Numbering::Unknown;
    let out = render(&text, args, &Named::Kw(kw), &mut numbering, 2)?;
    Ok(unicode::new(&out))
}

/// `str.format_map(mapping)`: named fields are looked up in `mapping` (so `__missing__`
/// works); there are no positional arguments.
pub fn str_format_map(fmt: &Obj, mapping: &Obj) -> PyResult<PyRef> {
    let text = format_chars(fmt);
    let mut numbering = Numbering::Unknown;
    let out = render(&text, &[], &Named::Map(mapping), &mut numbering, 2)?;
    Ok(unicode::new(&out))
}

/// Where named replacement fields come from.
enum Named<'a> {
    Kw(crate::objects::argparse::Kw<'a>),
    Map(&'a Obj),
}

impl Named<'_> {
    fn get(&self, name: &str) -> PyResult<PyRef> {
        match self {
            Named::Kw(kw) => match kw.names.iter().position(|n| unicode::as_str_lossy(n) == name) {
                Some(k) => Ok(kw.values[k].new_ref()),
                None => Err(crate::err::PyErr::from_type_and_arg(crate::objects::exceptions::KeyError(), &unicode::new(name))),
            },
            Named::Map(m) => crate::abstract_::getitem(m, &unicode::new(name)),
        }
    }
}

#[derive(PartialEq)]
enum Numbering {
    Unknown,
    Auto(usize),
    Manual,
}

fn render(text: &[char], args: &[&Obj], kw: &Named, numbering: &mut Numbering, depth: u32) -> PyResult<String> {
    if depth == 0 {
        return Err(raise!(ValueError, "Max string recursion exceeded"));
    }
    let mut out = String::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        i += 1;
        match c {
            '{' if text.get(i) == Some(&'{') => {
                out.push('{');
                i += 1;
            }
            '}' if text.get(i) == Some(&'}') => {
                out.push('}');
                i += 1;
            }
            '}' => return Err(raise!(ValueError, "Single '}}' encountered in format string")),
            '{' => {
                // The field runs to the matching '}' (nested braces belong to the spec).
                // Inside the field name's `[key]`, braces are part of the key.
                let start = i;
                let mut nesting = 1;
                let (mut in_name, mut in_bracket) = (true, false);
                while i < text.len() {
                    match text[i] {
                        '[' if in_name => in_bracket = true,
                        ']' if in_name => in_bracket = false,
                        ':' | '!' if in_name && !in_bracket => in_name = false,
                        _ if in_bracket => {}
                        '{' => nesting += 1,
                        '}' => nesting -= 1,
                        _ => {}
                    }
                    if nesting == 0 {
                        break;
                    }
                    i += 1;
                }
                if i >= text.len() {
                    return Err(if start == text.len() {
                        raise!(ValueError, "Single '{{' encountered in format string")
                    } else {
                        raise!(ValueError, "expected '}}' before end of string")
                    });
                }
                let field = &text[start..i];
                i += 1;
                out.push_str(&replacement_field(field, args, kw, numbering, depth)?);
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

fn replacement_field(field: &[char], args: &[&Obj], kw: &Named, numbering: &mut Numbering, depth: u32) -> PyResult<String> {
    // field_name ends at the first '!' or ':' outside brackets.
    let mut end = 0;
    let mut in_bracket = false;
    while end < field.len() {
        match field[end] {
            '[' => in_bracket = true,
            ']' => in_bracket = false,
            '!' | ':' if !in_bracket => break,
            _ => {}
        }
        end += 1;
    }
    let name = &field[..end];
    let mut conversion = None;
    let mut spec: &[char] = &[];
    let mut rest = &field[end..];
    if rest.first() == Some(&'!') {
        if rest.len() < 2 {
            return Err(raise!(ValueError, "end of string while looking for conversion specifier"));
        }
        conversion = Some(rest[1]);
        rest = &rest[2..];
        if !rest.is_empty() && rest[0] != ':' {
            return Err(raise!(ValueError, "expected ':' after conversion specifier"));
        }
    }
    if rest.first() == Some(&':') {
        spec = &rest[1..];
    }
    // The first part: an index, a keyword, or empty for automatic numbering.
    let first_end = name.iter().position(|&c| c == '.' || c == '[').unwrap_or(name.len());
    let first: String = name[..first_end].iter().collect();
    let mut value: PyRef = if first.is_empty() || first.bytes().all(|b| b.is_ascii_digit()) {
        if matches!(kw, Named::Map(_)) {
            return Err(raise!(ValueError, "Format string contains positional fields"));
        }
        let index = if first.is_empty() {
            let n = match numbering {
                Numbering::Manual => {
                    return Err(raise!(ValueError, "cannot switch from manual field specification to automatic field numbering"))
                }
                Numbering::Auto(n) => *n,
                Numbering::Unknown => 0,
            };
            *numbering = Numbering::Auto(n + 1);
            n
        } else {
            if matches!(numbering, Numbering::Auto(_)) {
                return Err(raise!(ValueError, "cannot switch from automatic field numbering to manual field specification"));
            }
            *numbering = Numbering::Manual;
            first.parse::<isize>().map_err(|_| raise!(ValueError, "Too many decimal digits in format string"))? as usize
        };
        args.get(index)
            .map(|v| v.new_ref())
            .ok_or_else(|| raise!(IndexError, "Replacement index {index} out of range for positional args tuple"))?
    } else {
        kw.get(&first)?
    };
    // Then `.attr` and `[key]` lookups.
    let mut j = first_end;
    while j < name.len() {
        if name[j] == '.' {
            let s = j + 1;
            j = s;
            while j < name.len() && name[j] != '.' && name[j] != '[' {
                j += 1;
            }
            if j == s {
                return Err(raise!(ValueError, "Empty attribute in format string"));
            }
            let attr: String = name[s..j].iter().collect();
            value = crate::abstract_::getattr_str(&value, &attr)?;
        } else {
            let s = j + 1;
            let Some(close) = name[s..].iter().position(|&c| c == ']') else {
                return Err(raise!(ValueError, "Missing ']' in format string"));
            };
            let key: String = name[s..s + close].iter().collect();
            if key.is_empty() {
                return Err(raise!(ValueError, "Empty attribute in format string"));
            }
            j = s + close + 1;
            if j < name.len() && name[j] != '.' && name[j] != '[' {
                return Err(raise!(ValueError, "Only '.' or '[' may follow ']' in format field specifier"));
            }
            let key_obj = match key.parse::<i64>() {
                Ok(n) if key.bytes().all(|b| b.is_ascii_digit()) => long::from_i64(n),
                _ => unicode::new(&key),
            };
            value = crate::abstract_::getitem(&value, &key_obj)?;
        }
    }
    let value = match conversion {
        None => value,
        Some('s') => crate::abstract_::str(&value)?,
        Some('r') => crate::abstract_::repr(&value)?,
        Some('a') => crate::builtins::ascii(&value)?,
        Some(c) => return Err(raise!(ValueError, "Unknown conversion specifier {c}")),
    };
    // Only a spec holding a replacement field is expanded (and counts toward the depth limit).
    let spec = if spec.contains(&'{') { render(spec, args, kw, numbering, depth - 1)? } else { spec.iter().collect() };
    let formatted = crate::builtins::format(&value, Some(&unicode::new(&spec)))?;
    Ok(unicode::as_str_lossy(&formatted).into_owned())
}
