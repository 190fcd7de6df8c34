#![allow(dead_code)] // each test binary uses part of the reader
//! A small JSON reader for the test data CPython's scripts write (no dependency for it).

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    /// Keys in the order the file has them.
    Object(Vec<(String, Json)>),
}

impl Json {
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The field `key`, panicking with the key's name when it is missing.
    pub fn field(&self, key: &str) -> &Json {
        self.get(key)
            .unwrap_or_else(|| panic!("missing field {key:?} in {self:?}"))
    }

    pub fn as_str(&self) -> &str {
        match self {
            Json::String(s) => s,
            other => panic!("expected a string, found {other:?}"),
        }
    }

    pub fn as_bool(&self) -> bool {
        match self {
            Json::Bool(b) => *b,
            other => panic!("expected a boolean, found {other:?}"),
        }
    }

    pub fn as_array(&self) -> &[Json] {
        match self {
            Json::Array(items) => items,
            other => panic!("expected an array, found {other:?}"),
        }
    }

    pub fn as_object(&self) -> BTreeMap<&str, &Json> {
        match self {
            Json::Object(fields) => fields.iter().map(|(k, v)| (k.as_str(), v)).collect(),
            other => panic!("expected an object, found {other:?}"),
        }
    }
}

pub fn parse(text: &str) -> Json {
    let mut parser = Parser {
        chars: text.chars().collect(),
        pos: 0,
    };
    let value = parser.value();
    parser.skip_ws();
    assert_eq!(
        parser.pos,
        parser.chars.len(),
        "trailing characters after the JSON value"
    );
    value
}

/// Decodes one JSON string literal (with its quotes), as the data files write sources.
pub fn parse_string(text: &str) -> String {
    match parse(text) {
        Json::String(s) => s,
        other => panic!("expected a JSON string, found {other:?}"),
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> char {
        *self.chars.get(self.pos).expect("unexpected end of JSON")
    }

    fn next(&mut self) -> char {
        let c = self.peek();
        self.pos += 1;
        c
    }

    fn skip_ws(&mut self) {
        while self.pos < self.chars.len() && self.chars[self.pos].is_whitespace() {
            self.pos += 1;
        }
    }

    fn expect_word(&mut self, word: &str) {
        for expected in word.chars() {
            assert_eq!(self.next(), expected, "bad JSON literal");
        }
    }

    fn value(&mut self) -> Json {
        self.skip_ws();
        match self.peek() {
            '{' => {
                self.next();
                let mut fields = Vec::new();
                self.skip_ws();
                if self.peek() == '}' {
                    self.next();
                    return Json::Object(fields);
                }
                loop {
                    self.skip_ws();
                    let key = self.string();
                    self.skip_ws();
                    assert_eq!(self.next(), ':');
                    fields.push((key, self.value()));
                    self.skip_ws();
                    match self.next() {
                        ',' => continue,
                        '}' => return Json::Object(fields),
                        c => panic!("unexpected {c:?} in object"),
                    }
                }
            }
            '[' => {
                self.next();
                let mut items = Vec::new();
                self.skip_ws();
                if self.peek() == ']' {
                    self.next();
                    return Json::Array(items);
                }
                loop {
                    items.push(self.value());
                    self.skip_ws();
                    match self.next() {
                        ',' => continue,
                        ']' => return Json::Array(items),
                        c => panic!("unexpected {c:?} in array"),
                    }
                }
            }
            '"' => Json::String(self.string()),
            't' => {
                self.expect_word("true");
                Json::Bool(true)
            }
            'f' => {
                self.expect_word("false");
                Json::Bool(false)
            }
            'n' => {
                self.expect_word("null");
                Json::Null
            }
            _ => {
                let start = self.pos;
                while self.pos < self.chars.len()
                    && matches!(
                        self.chars[self.pos],
                        '-' | '+' | '.' | 'e' | 'E' | '0'..='9'
                    )
                {
                    self.pos += 1;
                }
                let text: String = self.chars[start..self.pos].iter().collect();
                Json::Number(
                    text.parse()
                        .unwrap_or_else(|_| panic!("bad JSON number {text:?}")),
                )
            }
        }
    }

    fn string(&mut self) -> String {
        assert_eq!(self.next(), '"', "expected a JSON string");
        let mut out = String::new();
        loop {
            match self.next() {
                '"' => return out,
                '\\' => match self.next() {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    '/' => out.push('/'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'u' => {
                        let first = self.hex4();
                        let code = if (0xD800..0xDC00).contains(&first) {
                            assert_eq!(self.next(), '\\');
                            assert_eq!(self.next(), 'u');
                            let second = self.hex4();
                            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                        } else {
                            first
                        };
                        out.push(char::from_u32(code).expect("valid code point"));
                    }
                    c => panic!("bad escape \\{c}"),
                },
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> u32 {
        let text: String = (0..4).map(|_| self.next()).collect();
        u32::from_str_radix(&text, 16).expect("four hex digits")
    }
}
