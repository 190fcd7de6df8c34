# The node classes of `_ast`, made from CPython 3.15's abstract grammar (Parser/Python.asdl).
# Run once in the `_ast` module's namespace when it is first imported; the Rust side
# (`stdlib/ast/mod.rs`) converts the parser's tree into instances of these classes.

_GRAMMAR = """
mod = Module(stmt* body, type_ignore* type_ignores)
    | Interactive(stmt* body)
    | Expression(expr body)
    | FunctionType(expr* argtypes, expr returns)
stmt = FunctionDef(identifier name, arguments args, stmt* body, expr* decorator_list, expr? returns, string? type_comment, type_param* type_params)
     | AsyncFunctionDef(identifier name, arguments args, stmt* body, expr* decorator_list, expr? returns, string? type_comment, type_param* type_params)
     | ClassDef(identifier name, expr* bases, keyword* keywords, stmt* body, expr* decorator_list, type_param* type_params)
     | Return(expr? value)
     | Delete(expr* targets)
     | Assign(expr* targets, expr value, string? type_comment)
     | TypeAlias(expr name, type_param* type_params, expr value)
     | AugAssign(expr target, operator op, expr value)
     | AnnAssign(expr target, expr annotation, expr? value, int simple)
     | For(expr target, expr iter, stmt* body, stmt* orelse, string? type_comment)
     | AsyncFor(expr target, expr iter, stmt* body, stmt* orelse, string? type_comment)
     | While(expr test, stmt* body, stmt* orelse)
     | If(expr test, stmt* body, stmt* orelse)
     | With(withitem* items, stmt* body, string? type_comment)
     | AsyncWith(withitem* items, stmt* body, string? type_comment)
     | Match(expr subject, match_case* cases)
     | Raise(expr? exc, expr? cause)
     | Try(stmt* body, excepthandler* handlers, stmt* orelse, stmt* finalbody)
     | TryStar(stmt* body, excepthandler* handlers, stmt* orelse, stmt* finalbody)
     | Assert(expr test, expr? msg)
     | Import(alias* names, int? is_lazy)
     | ImportFrom(identifier? module, alias* names, int? level, int? is_lazy)
     | Global(identifier* names)
     | Nonlocal(identifier* names)
     | Expr(expr value)
     | Pass
     | Break
     | Continue
     attributes (int lineno, int col_offset, int? end_lineno, int? end_col_offset)
expr = BoolOp(boolop op, expr* values)
     | NamedExpr(expr target, expr value)
     | BinOp(expr left, operator op, expr right)
     | UnaryOp(unaryop op, expr operand)
     | Lambda(arguments args, expr body)
     | IfExp(expr test, expr body, expr orelse)
     | Dict(expr?* keys, expr* values)
     | Set(expr* elts)
     | ListComp(expr elt, comprehension* generators)
     | SetComp(expr elt, comprehension* generators)
     | DictComp(expr key, expr? value, comprehension* generators)
     | GeneratorExp(expr elt, comprehension* generators)
     | Await(expr value)
     | Yield(expr? value)
     | YieldFrom(expr value)
     | Compare(expr left, cmpop* ops, expr* comparators)
     | Call(expr func, expr* args, keyword* keywords)
     | FormattedValue(expr value, int conversion, expr? format_spec)
     | Interpolation(expr value, constant str, int conversion, expr? format_spec)
     | JoinedStr(expr* values)
     | TemplateStr(expr* values)
     | Constant(constant value, string? kind)
     | Attribute(expr value, identifier attr, expr_context ctx)
     | Subscript(expr value, expr slice, expr_context ctx)
     | Starred(expr value, expr_context ctx)
     | Name(identifier id, expr_context ctx)
     | List(expr* elts, expr_context ctx)
     | Tuple(expr* elts, expr_context ctx)
     | Slice(expr? lower, expr? upper, expr? step)
     attributes (int lineno, int col_offset, int? end_lineno, int? end_col_offset)
expr_context = Load | Store | Del
boolop = And | Or
operator = Add | Sub | Mult | MatMult | Div | Mod | Pow | LShift | RShift | BitOr | BitXor | BitAnd | FloorDiv
unaryop = Invert | Not | UAdd | USub
cmpop = Eq | NotEq | Lt | LtE | Gt | GtE | Is | IsNot | In | NotIn
comprehension = (expr target, expr iter, expr* ifs, int is_async)
excepthandler = ExceptHandler(expr? type, identifier? name, stmt* body)
     attributes (int lineno, int col_offset, int? end_lineno, int? end_col_offset)
arguments = (arg* posonlyargs, arg* args, arg? vararg, arg* kwonlyargs, expr?* kw_defaults, arg? kwarg, expr* defaults)
arg = (identifier arg, expr? annotation, string? type_comment)
     attributes (int lineno, int col_offset, int? end_lineno, int? end_col_offset)
keyword = (identifier? arg, expr value)
     attributes (int lineno, int col_offset, int? end_lineno, int? end_col_offset)
alias = (identifier name, identifier? asname)
     attributes (int lineno, int col_offset, int? end_lineno, int? end_col_offset)
withitem = (expr context_expr, expr? optional_vars)
match_case = (pattern pattern, expr? guard, stmt* body)
pattern = MatchValue(expr value)
     | MatchSingleton(constant value)
     | MatchSequence(pattern* patterns)
     | MatchMapping(expr* keys, pattern* patterns, identifier? rest)
     | MatchClass(expr cls, pattern* patterns, identifier* kwd_attrs, pattern* kwd_patterns)
     | MatchStar(identifier? name)
     | MatchAs(pattern? pattern, identifier? name)
     | MatchOr(pattern* patterns)
     attributes (int lineno, int col_offset, int end_lineno, int end_col_offset)
type_ignore = TypeIgnore(int lineno, string tag)
type_param = TypeVar(identifier name, expr? bound, expr? default_value)
     | ParamSpec(identifier name, expr? default_value)
     | TypeVarTuple(identifier name, expr? default_value)
     attributes (int lineno, int col_offset, int end_lineno, int end_col_offset)
"""

PyCF_ONLY_AST = 0x400
PyCF_TYPE_COMMENTS = 0x1000
PyCF_ALLOW_TOP_LEVEL_AWAIT = 0x2000
PyCF_OPTIMIZED_AST = 0x8000 | PyCF_ONLY_AST

_REPR_MAX_DEPTH = 3


class AST:
    _fields = ()
    _attributes = ()
    __match_args__ = ()

    def __init__(self, *args, **kwargs):
        cls = type(self)
        fields = cls._fields
        name = cls.__name__
        if len(args) > len(fields):
            n = len(fields)
            raise TypeError(f"{name} constructor takes at most "
                            f"{n} positional argument{'' if n == 1 else 's'}")
        for field, value in zip(fields, args):
            setattr(self, field, value)
        for key, value in kwargs.items():
            if key in fields and fields.index(key) < len(args):
                raise TypeError(f"ast.{name} got multiple values for argument {key!r}")
            if key not in fields and key not in cls._attributes and fields is not AST._fields:
                raise TypeError(f"ast.{name}.__init__ got an unexpected keyword argument {key!r}")
            setattr(self, key, value)
        kinds = getattr(cls, '_field_kinds', {})
        missing = []
        for field in fields[len(args):]:
            if field in kwargs:
                continue
            kind = kinds.get(field)
            if kind is None:
                continue
            if kind.endswith('*'):
                setattr(self, field, [])
            elif kind.endswith('?'):
                setattr(self, field, None)
            elif kind == 'expr_context':
                setattr(self, field, Load())
            else:
                missing.append(field)
        if missing:
            names = [repr(m) for m in missing]
            if len(names) == 1:
                listed = names[0]
            elif len(names) == 2:
                listed = f"{names[0]} and {names[1]}"
            else:
                listed = ", ".join(names[:-1]) + f", and {names[-1]}"
            s = '' if len(names) == 1 else 's'
            raise TypeError(f"ast.{name}.__init__ missing {len(names)} required "
                            f"positional argument{s}: {listed}")

    def __reduce__(self):
        return type(self), (None,) * len(type(self)._fields), dict(self.__dict__) or None

    def __replace__(self, **kwargs):
        cls = type(self)
        for key in kwargs:
            if key not in cls._fields and key not in cls._attributes:
                raise TypeError(f"{cls.__name__}.__replace__ got an unexpected "
                                f"keyword argument {key!r}.")
        values = {}
        for name in cls._fields + cls._attributes:
            if name in kwargs:
                values[name] = kwargs[name]
            elif name in self.__dict__:
                values[name] = self.__dict__[name]
        return cls(**values)

    def __repr__(self):
        return _repr(self, 0)


def _repr(value, depth):
    if isinstance(value, AST):
        cls = type(value)
        if depth >= _REPR_MAX_DEPTH:
            return f"{cls.__name__}(...)"
        parts = []
        for name in cls._fields:
            try:
                v = getattr(value, name)
            except AttributeError:
                continue
            parts.append(f"{name}={_repr(v, depth + 1)}")
        return f"{cls.__name__}({', '.join(parts)})"
    if isinstance(value, list):
        if not value:
            return "[]"
        if len(value) > 2:
            return f"[{_repr(value[0], depth)}, ..., {_repr(value[-1], depth)}]"
        return "[" + ", ".join(_repr(v, depth) for v in value) + "]"
    return repr(value)


_SIMPLE_TYPES = {'identifier': str, 'string': str, 'int': int, 'constant': object}


def _parse_fields(text):
    text = text.strip()
    if not text:
        return []
    out = []
    for item in text.split(','):
        kind, name = item.split()
        out.append((kind, name))
    return out


def _build():
    ns = globals()
    made = []
    rules = []
    current = None
    for line in _GRAMMAR.strip().splitlines():
        line = line.strip()
        if '=' in line and not line.startswith('|'):
            head, rest = line.split('=', 1)
            current = [head.strip(), [], [], line]
            rules.append(current)
            line = rest.strip()
        else:
            current[3] += '\n' + '     ' + line if line.startswith('|') else ''
        if line.startswith('attributes'):
            current[2] = _parse_fields(line[line.index('(') + 1:line.rindex(')')])
            continue
        for alt in line.split('|'):
            alt = alt.strip()
            if not alt:
                continue
            if '(' in alt:
                cname = alt[:alt.index('(')].strip()
                fields = _parse_fields(alt[alt.index('(') + 1:alt.rindex(')')])
            else:
                cname, fields = alt, []
            current[1].append((cname, fields, alt))

    def make(name, base, fields, attributes, doc):
        field_names = tuple(n for _, n in fields)
        d = {
            '__module__': 'ast',
            '__doc__': doc,
            '_fields': field_names,
            '__match_args__': field_names,
            '_field_kinds': {n: k for k, n in fields},
        }
        if attributes is not None:
            d['_attributes'] = tuple(n for _, n in attributes)
            for kind, n in attributes:
                if kind.endswith('?'):
                    d[n] = None
        for kind, n in fields:
            if kind.endswith('?') and not kind.endswith('?*'):
                d[n] = None
        cls = type(name, (base,), d)
        ns[name] = cls
        made.append((cls, fields))
        return cls

    for name, alts, attributes, doc in rules:
        if len(alts) == 1 and alts[0][0] == '':
            make(name, AST, alts[0][1], attributes, f"{name}{alts[0][2]}")
            continue
        if name in ('mod', 'stmt', 'expr', 'excepthandler', 'pattern', 'type_ignore',
                    'type_param', 'expr_context', 'boolop', 'operator', 'unaryop', 'cmpop'):
            base = make(name, AST, [], attributes, doc)
            for cname, fields, alt in alts:
                make(cname, base, fields, attributes, alt)

    for cls, fields in made:
        types = {}
        for kind, n in fields:
            base_kind = kind.rstrip('*?')
            t = _SIMPLE_TYPES.get(base_kind) or ns[base_kind]
            if kind.endswith('*'):
                t = list[t]
            elif kind.endswith('?'):
                try:
                    t = t | None
                except TypeError:
                    pass
            types[n] = t
        cls._field_types = types
        cls.__annotations__ = dict(types)


AST.__module__ = 'ast'
_build()
del _build
