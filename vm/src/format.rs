//! The format-spec mini-language for the built-in types (`format(x, spec)`, f-strings):
//! `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::{float, long, unicode};

#[derive(Default, Debug)]
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

fn parse(spec: &str) -> PyResult<Spec> {
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
        s.width = chars[start..i].iter().collect::<String>().parse().map_err(|_| raise!(ValueError, "Too many decimal digits in format string"))?;
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
        s.precision = Some(chars[p0..i].iter().collect::<String>().parse().unwrap_or(0));
    }
    if i < chars.len() {
        s.ty = Some(chars[i]);
        i += 1;
    }
    if i != chars.len() {
        return Err(raise!(ValueError, "Invalid format specifier '{}' for object of type", spec));
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

/// Pads `body` (with its sign/prefix split off as `prefix`) to the spec's width.
fn pad(s: &Spec, prefix: &str, body: &str, default_align: char) -> String {
    let len = prefix.chars().count() + body.chars().count();
    if len >= s.width {
        return format!("{prefix}{body}");
    }
    let n = s.width - len;
    let (fill, align) = if s.zero && s.align.is_none() { ('0', '=') } else { (s.fill.unwrap_or(' '), s.align.unwrap_or(default_align)) };
    let f = |k: usize| fill.to_string().repeat(k);
    match align {
        '<' => format!("{prefix}{body}{}", f(n)),
        '^' => format!("{}{prefix}{body}{}", f(n / 2), f(n - n / 2)),
        '=' => format!("{prefix}{}{body}", f(n)),
        _ => format!("{}{prefix}{body}", f(n)),
    }
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
    let text = long::to_decimal_string(v)?;
    let negative = text.starts_with('-');
    let mag_dec = text.trim_start_matches('-').to_string();
    let ty = s.ty.unwrap_or('d');
    let (prefix, digits) = match ty {
        'd' | 'n' => ("", mag_dec),
        'x' | 'X' | 'o' | 'b' => {
            let n: u128 = mag_dec.parse().map_err(|_| raise!(OverflowError, "int too large to format"))?;
            let (p, d) = match ty {
                'x' => ("0x", format!("{n:x}")),
                'X' => ("0X", format!("{n:X}")),
                'o' => ("0o", format!("{n:o}")),
                _ => ("0b", format!("{n:b}")),
            };
            (if s.alternate { p } else { "" }, d)
        }
        'c' => return Ok(pad(s, "", &unicode::as_str_lossy(&unicode::from_code_points(&[mag_dec.parse().unwrap_or(0)])), '<')),
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => return format_float(long::to_f64(v)?, s),
        other => return Err(raise!(ValueError, "Unknown format code '{}' for object of type 'int'", other)),
    };
    let digits = match s.grouping {
        Some(sep) => group(&digits, sep, if matches!(ty, 'd' | 'n') { 3 } else { 4 }),
        None => digits,
    };
    Ok(pad(s, &format!("{}{}", sign_str(s, negative), prefix), &digits, '>'))
}

fn format_float(x: f64, s: &Spec) -> PyResult<String> {
    let negative = x.is_sign_negative() && !x.is_nan();
    let a = x.abs();
    let prec = s.precision.unwrap_or(6);
    let body = if a.is_infinite() || a.is_nan() {
        let t = if a.is_nan() { "nan" } else { "inf" };
        if matches!(s.ty, Some('E' | 'F' | 'G')) { t.to_uppercase() } else { t.to_string() }
    } else {
        match s.ty {
            Some('f' | 'F') => format!("{a:.prec$}"),
            Some('%') => format!("{:.prec$}%", a * 100.0),
            Some(c @ ('e' | 'E')) => {
                let t = format!("{a:.prec$e}");
                let (m, e) = t.split_once('e').unwrap();
                let e: i32 = e.parse().unwrap();
                let r = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
                if c == 'E' { r.to_uppercase() } else { r }
            }
            Some('g' | 'G') | None if s.precision.is_some() || s.ty.is_some() => {
                let p = if prec == 0 { 1 } else { prec };
                let exp = if a == 0.0 { 0 } else { a.log10().floor() as i32 };
                let t = if exp < -4 || exp >= p as i32 {
                    let t = format!("{:.*e}", p - 1, a);
                    let (m, e) = t.split_once('e').unwrap();
                    let m = if s.alternate { m.to_string() } else { m.trim_end_matches('0').trim_end_matches('.').to_string() };
                    let e: i32 = e.parse().unwrap();
                    format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
                } else {
                    let t = format!("{:.*}", (p as i32 - 1 - exp).max(0) as usize, a);
                    if s.alternate || !t.contains('.') { t } else { t.trim_end_matches('0').trim_end_matches('.').to_string() }
                };
                if s.ty == Some('G') { t.to_uppercase() } else { t }
            }
            None => float::repr_f64(a),
            Some(other) => return Err(raise!(ValueError, "Unknown format code '{}' for object of type 'float'", other)),
        }
    };
    let body = match s.grouping {
        Some(sep) => {
            let (int_part, rest) = body.split_at(body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len()));
            format!("{}{}", group(int_part, sep, 3), rest)
        }
        None => body,
    };
    Ok(pad(s, sign_str(s, negative), &body, '>'))
}

/// `format(v, spec)` for int, float and str.
pub fn format_builtin(v: &Obj, spec: &str) -> PyResult<PyRef> {
    let s = parse(spec)?;
    let out = if long::check(v) {
        if crate::objects::bool_::PyBool_Type.is(v.ob_type()) && s.ty.is_none() {
            pad(&s, "", &unicode::as_str_lossy(&*crate::abstract_::str(v)?), '<')
        } else {
            format_int(v, &s)?
        }
    } else if float::check(v) {
        format_float(float::value(v), &s)?
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
        pad(&s, "", &t, '<')
    } else {
        return Err(raise!(TypeError, "unsupported format string passed to {}.__format__", v.ob_type().name()));
    };
    Ok(unicode::new(&out))
}
