# Lone surrogates (U+D800..U+DFFF) in str literals: escapes keep their exact code points
# through constants, implicit concatenation, f-/t-string parts, the ast module and eval().
import ast

def show(s):
    print(len(s), [hex(ord(c)) for c in s], ascii(s))

show('\ud800')
show("\udc80abc")
show('\U0000dfff')
show('\ud800\udc00')                       # a pair stays two code points
show('\N{LATIN SMALL LETTER A}\ud800\N{BULLET}')
show('\ufffd\ud800\N{REPLACEMENT CHARACTER}' + '\ufffd')
show("x" "\ud800" 'y' """\udbff""")
show('\ud800' '\N{DIGIT ONE}' "\x41\101\n\\\t")
show("""\
\udfff""")
show(u'\uD83D')
print(repr(r'\ud800'), repr(rb'\ud800'), repr(b'\xed\xa0\x80'))
print('\ud800'.encode('utf-8', 'surrogatepass'), 'a\udcff'.encode('utf-8', 'surrogateescape'))
print(b'\xed\xa0\x80'.decode('utf-8', 'surrogatepass') == '\ud800')
print('\ud800' == chr(0xd800), '\ud800' < '\ud801', hash('\udc00') == hash(chr(0xdc00)))

x = 5
show(f'\ud800{x}\udfff{x:>3}\udc01')
show(f'{{\ud800}}')
show(f'\N{BULLET}\ud800' f'{x!r}' '\udead')

def g():
    s = '\ud800'
    t = 'a\udfffb'
    return s + t
print(ascii([c for c in g.__code__.co_consts if isinstance(c, str)]))

match '\ud800':
    case '\udfff':
        print("wrong")
    case '\ud800':
        print("matched")

print(ascii(ast.literal_eval("'\\ud800'")))
print(ascii(ast.parse("'\\ud800' 'x'").body[0].value.value))
joined = ast.parse("f'a\\ud800{x}b\\udc00'").body[0].value
print([ascii(v.value) for v in joined.values if isinstance(v, ast.Constant)])
print(ascii(ast.unparse(ast.parse("'\\udead'"))))
print(ascii(eval("'\\ud800' + 'x'")), ascii(eval(compile(ast.parse("'\\udead'", mode='eval'), '<s>', 'eval'))))
ns = {}
exec("y = '\\udbff\\udfff'", ns)
show(ns['y'])

# A str holding a surrogate is not UTF-8 source text.
for src in ["'\ud800'", "x = '\udc00'"]:
    try:
        eval(src)
    except UnicodeEncodeError as e:
        print(type(e).__name__, e)
print("str_lone_surrogates: ok")
