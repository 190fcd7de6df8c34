#!/usr/bin/env python3
"""Prints vm/tests/data/syntax_errors.txt: what CPython reports for each source below.

Run it under CPython 3.15 from the repository root:

    /work/shared/tools/cpython-ref python3.15 tools/gen-syntax-error-cases.py \
        > vm/tests/data/syntax_errors.txt

Each case is compiled with compile(source, "<case>", "exec"). `stage` says which part of
CPython rejected it: `parse` when ast.parse already fails (the parser/tokenizer), `compile`
when the AST is fine and the symbol table or code generator objects (those are Pyrite's
`compiler::symtable` checks, not `compiler::parse`'s).

Where Pyrite cannot match CPython's message, the case is listed in KNOWN_DIFFERENCES with the
message Pyrite gives and why; the test then still checks the exception type and the position,
and checks that Pyrite's message is the recorded one (so a fix shows up as a failing test that
asks for the entry to be removed).
"""
import ast
import json
import sys

CASES = [
    # --- brackets -------------------------------------------------------------------------
    ("paren_never_closed", "print((1, 2)\n"),
    ("bracket_never_closed", "x = [1, 2\n"),
    ("brace_never_closed", "d = {1: 2\n"),
    ("paren_never_closed_next_line", "foo(1,\nx = 2\n"),
    ("paren_never_closed_multiline", "x = (1,\n     2,\n"),
    ("import_paren_never_closed", "from x import (a, b\n"),
    ("mismatched_closing", "foo(1, 2]\n"),
    ("unmatched_closing", "x = )\n"),
    ("unmatched_closing_bracket", "x = 1]\n"),
    # --- generic invalid syntax -----------------------------------------------------------
    ("trailing_operator", "x = 1 +\n"),
    ("two_names", "a b\n"),
    ("two_numbers", "x = 5 5\n"),
    ("missing_comma_in_call", "print(a b)\n"),
    ("missing_comma_in_list", "[1 2]\n"),
    ("double_comma", "x = [1, 2,, 3]\n"),
    ("pass_pass", "pass pass\n"),
    ("else_at_top", "else: pass\n"),
    ("empty_for_iter", "[x for x in]\n"),
    ("statement_walrus", "a := 1\n"),
    ("if_assign", "if x = 1:\n    pass\n"),
    ("print_statement", "print 'hello'\n"),
    ("dangling_dot", "x = a.\n"),
    ("import_as_nothing", "import a.b as\n"),
    ("keyword_as_name", "class = 1\n"),
    ("conditional_without_else", "x = 1 if y\n"),
    ("def_no_parens", "def f:\n    pass\n"),
    ("lambda_default_order", "f = lambda x=1, y: x\n"),
    ("second_line_error", "x = 1\ny = = 2\n"),
    # --- missing colon --------------------------------------------------------------------
    ("if_missing_colon", "if x\n    pass\n"),
    ("def_missing_colon", "def f()\n    pass\n"),
    ("class_missing_colon", "class C\n    pass\n"),
    ("while_missing_colon", "while x\n    pass\n"),
    ("for_missing_colon", "for x in y\n    pass\n"),
    ("else_missing_colon", "if x:\n    pass\nelse\n    pass\n"),
    ("with_missing_colon", "with x\n    pass\n"),
    ("try_missing_colon", "try\n    pass\nexcept:\n    pass\n"),
    # --- indentation ----------------------------------------------------------------------
    ("unexpected_indent_first_line", "  x = 1\n"),
    ("unexpected_indent", "x = 1\n    y = 2\n"),
    ("expected_block_if", "if x:\npass\n"),
    ("expected_block_elif", "if x:\n    pass\nelif y:\npass\n"),
    ("expected_block_else", "if x:\n    pass\nelse:\npass\n"),
    ("expected_block_def", "def f():\nreturn 1\n"),
    ("expected_block_class", "class C:\nx = 1\n"),
    ("expected_block_for", "for x in y:\nz\n"),
    ("expected_block_while", "while x:\nz\n"),
    ("expected_block_with", "with x:\nz\n"),
    ("expected_block_try", "try:\nx\n"),
    ("expected_block_except", "try:\n    x\nexcept:\ny\n"),
    ("expected_block_finally", "try:\n    x\nfinally:\ny\n"),
    ("expected_block_at_eof", "if x:\n"),
    ("unindent_mismatch", "if x:\n    a\n  b\n"),
    ("unindent_mismatch_else", "if True:\n    x = 1\n   else:\n    pass\n"),
    ("tab_error", "if x:\n\ta = 1\n        b = 2\n"),
    ("try_without_except", "try:\n    pass\nx = 1\n"),
    ("too_many_nested_parentheses", "x = " + "(" * 201 + "1" + ")" * 201 + "\n"),
    ("too_many_indentation_levels", "".join(" " * i + "if x:\n" for i in range(100)) + " " * 100 + "pass\n"),
    # --- strings --------------------------------------------------------------------------
    ("unterminated_string", "s = 'abc\n"),
    ("unterminated_string_dq", "s = \"abc\nx = 1\n"),
    ("unterminated_triple", "s = \"\"\"abc\n\ndef\n"),
    ("bytes_non_ascii", "b'\u00e9'\n"),
    ("string_after_unicode", "s = '\u00e9\u00e9' + 'x\n"),
    ("unicode_escape_unknown_name", "x = u'\\N{foo}'\n"),
    ("unicode_escape_truncated_x", "x = '\\xZZ'\n"),
    ("unicode_escape_truncated_u", "x = 'ab\\u12G'\n"),
    ("unicode_escape_after_non_ascii", "x = '\u00e9\\U0011'\n"),
    ("unicode_escape_malformed_n", "x = '\\N'\n"),
    # --- numbers --------------------------------------------------------------------------
    ("leading_zero", "x = 0777\n"),
    ("trailing_underscore", "x = 1_\n"),
    ("invalid_decimal_literal", "x = 1a\n"),
    ("invalid_hex_literal", "x = 0xg\n"),
    # --- assignment targets ---------------------------------------------------------------
    ("assign_to_literal", "1 = x\n"),
    ("assign_to_call", "f() = 1\n"),
    ("assign_to_expression", "a + b = 1\n"),
    ("assign_to_none", "None = 1\n"),
    ("assign_to_true", "True = 1\n"),
    ("assign_to_literal_in_tuple", "(a, 1) = x\n"),
    ("assign_to_comparison", "a < b = 1\n"),
    ("assign_to_lambda", "lambda: 1 = 1\n"),
    ("assign_to_fstring", "f'{x}' = 1\n"),
    ("chained_assign_to_call", "x = f() = 1\n"),
    ("for_target_literal", "for 1 in x:\n    pass\n"),
    ("with_target_literal", "with open(x) as 1:\n    pass\n"),
    ("augassign_to_call", "f() += 1\n"),
    ("augassign_to_tuple", "a, b += 1\n"),
    ("delete_call", "del f()\n"),
    ("delete_literal", "del 1\n"),
    ("walrus_to_attribute", "(a.b := 1)\n"),
    ("assign_to_yield", "def f():\n    (yield) = 1\n"),
    ("assign_to_ellipsis", "... = 1\n"),
    # --- calls and parameters -------------------------------------------------------------
    ("positional_after_keyword", "f(x=1, 2)\n"),
    ("iterable_unpack_after_kw_unpack", "f(**k, *a)\n"),
    ("default_before_non_default", "def f(x=1, y):\n    pass\n"),
    ("bare_star", "def f(*):\n    pass\n"),
    ("param_after_kwargs", "def f(**k, a):\n    pass\n"),
    ("star_param_default", "def f(*a=1):\n    pass\n"),
    ("duplicate_slash", "def f(a, /, b, /):\n    pass\n"),
    ("keyword_repeated_in_call", "f(a=1, a=2)\n"),
    ("generator_not_sole_argument", "f(x for x in y, 1)\n"),
    ("slash_after_star", "def f(a, *, b, /): pass\n"),
    ("slash_after_varargs", "def f(a, *b, /): pass\n"),
    ("two_kwargs", "def f(**a, **b): pass\n"),
    ("bare_star_after_varargs", "def f(*a, *): pass\n"),
    ("two_bare_stars", "def f(*, *): pass\n"),
    ("slash_first", "def f(/): pass\n"),
    # --- f-strings ------------------------------------------------------------------------
    ("fstring_empty_expression", "f'{}'\n"),
    ("fstring_unclosed_brace", "f'{a'\n"),
    ("fstring_bad_conversion", "f'{a!x}'\n"),
    ("fstring_missing_conversion", "f'{a!}'\n"),
    ("fstring_single_rbrace", "f'}'\n"),
    ("fstring_lambda", "f'{lambda x: 1}'\n"),
    ("fstring_missing_comma", "f'{a b}'\n"),
    ("fstring_backslash_ok_but_bad_expr", "f'{1 +}'\n"),
    ("fstring_bad_format_spec_expr", "f'{x:{}}'\n"),
    # --- which error wins: tokenizer errors, unclosed brackets, parser errors ---------------
    ("tokenizer_error_after_parser_error", "1 = x\n'abc\n"),
    ("tokenizer_error_after_indentation_error", "if x:\npass\n'abc\n"),
    ("unexpected_indent_before_tokenizer_error", "  x\n'abc\n"),
    ("tokenizer_error_before_parser_error", "'abc\nx = )\n"),
    ("never_closed_after_parser_error", "print(1\nx y\n"),
    ("never_closed_missing_comma", "x = (1 2\n"),
    ("never_closed_innermost", "f(a, [1,\n"),
    ("parser_error_before_unclosed_bracket", "1 = 2\nx = (\n"),
    ("mismatch_after_parser_error", "1 = 2\nfoo(1, 2]\n"),
    ("mismatch_on_other_line", "x = [1,\n  2,\n  3)\n"),
    ("unmatched_on_own_line", "x = 1\n)\n"),
    ("never_closed_in_block", "if x:\n    y = (1,\n"),
    ("never_closed_def", "def f(\n"),
    # --- more indentation -----------------------------------------------------------------
    ("tab_error_spaces_then_tab", "if x:\n  a\n\tb\n"),
    ("tab_error_equal_columns", "if x:\n        a\n\tb\n"),
    ("tab_error_on_dedent", "def f():\n\tif x:\n\t\ta\n        b\n"),
    ("unindent_mismatch_tabs", "if x:\n\ta\n    b\n"),
    ("unindent_mismatch_elif", "if x:\n  pass\n elif y:\n  pass\n"),
    ("expected_block_case", "match x:\n    case 1:\n    pass\n"),
    ("expected_block_match", "match x:\ncase 1: pass\n"),
    ("expected_block_decorated_def", "@dec\ndef f():\npass\n"),
    ("expected_block_async_for", "async def f():\n    async for x in y:\n    pass\n"),
    # --- more tokens ----------------------------------------------------------------------
    ("invalid_character", "x = \u20ac\n"),
    ("invalid_non_printable_character", "x = a\u00a0b\n"),
    ("invalid_ascii_character", "x = a ? b\n"),
    ("dollar", "x = $\n"),
    ("unterminated_bytes", "x = b'abc\n"),
    ("unterminated_string_prefixed", "x = rb'abc\n"),
    ("unterminated_string_continued", "x = \"abc\\\n"),
    ("unterminated_triple_at_eof", "'''abc\n\n\n"),
    ("unterminated_fstring", "f'abc\n"),
    ("unterminated_triple_fstring", "f'''abc\n"),
    ("invalid_digit_binary", "x = 0b2\n"),
    ("invalid_digit_octal", "x = 0o8\n"),
    ("leading_zero_09", "x = 09\n"),
    ("trailing_underscore_long", "x = 1_000_\n"),
    ("float_then_letter", "x = 1.5a\n"),
    ("imaginary_then_letter", "x = 1jx\n"),
    ("hex_then_letter", "x = 0x1g\n"),
    ("mixed_bytes_and_str", "x = 'a' b'b'\n"),
    # --- more parser rules ----------------------------------------------------------------
    ("while_assign", "while x = 1:\n    pass\n"),
    ("for_else_missing_colon", "for x in y:\n    pass\nelse\n    pass\n"),
    ("for_missing_colon_same_line", "for x in range(3) pass\n"),
    ("def_return_annotation_missing_colon", "def f[T]() -> int pass\n"),
    ("with_items_missing_colon", "with a as b, c\n    pass\n"),
    ("elif_at_top", "elif x:\n    pass\n"),
    ("return_trailing_operator", "def f(x):\n    return x +\n"),
    ("comprehension_empty_condition", "x = [i for i in range(3) if]\n"),
    ("conditional_in_call_without_else", "f(1 if y)\n"),
    ("else_without_expression", "x = 1 if y else\n"),
    ("unary_target", "-x = 1\n"),
    ("not_target", "not x = 1\n"),
    ("or_target", "x or y = 1\n"),
    ("call_in_list_target", "[a, f()] = 1\n"),
    ("literal_then_chain", "1 = x = y\n"),
    ("literal_target_not_value", "1 = not x\n"),
    ("starred_tuple_literal_target", "*a, 1 = x\n"),
    ("annotated_tuple", "a, b: int = 1\n"),
    ("annotated_call", "f(): int\n"),
    ("annotated_list", "[a]: int\n"),
    ("delete_starred", "del *a\n"),
    ("delete_literal_in_list", "del [a, 1]\n"),
    ("delete_expression", "del a + b\n"),
    ("for_tuple_target_literal", "for a, 1 in x: pass\n"),
    ("comprehension_target_literal", "[1 for 1 in x]\n"),
    ("walrus_to_literal", "(1 := 2)\n"),
    ("walrus_to_tuple", "((a, b) := 2)\n"),
    ("augassign_to_literal", "1 += 1\n"),
    ("augassign_to_list", "[a] += 1\n"),
    ("assign_to_yield_chained", "x = yield = 1\n"),
    ("positional_after_keyword_three", "f(x=1, 22, 3)\n"),
    ("positional_after_kw_unpacking", "f(**k, 2)\n"),
    ("iterable_unpack_after_kw_unpack_later", "f(a, **k, *b)\n"),
    ("bare_star_before_kwargs", "def f(a, *, **k): pass\n"),
    ("kwargs_default", "def f(**k=1): pass\n"),
    ("duplicate_star", "def f(*a, *b): pass\n"),
    ("lambda_bare_star", "lambda *: 1\n"),
    ("generator_not_sole_base", "class C(x for x in y, z): pass\n"),
    ("generator_after_argument", "f(a, x for x in y)\n"),
    ("dict_key_without_value", "x = {1: 2, 3}\n"),
    ("empty_type_params", "def f[](): pass\n"),
    ("empty_type_params_alias", "type X[] = int\n"),
    ("empty_import", "import\n"),
    ("from_import_nothing", "from x import\n"),
    ("from_import_trailing_comma", "from x import a,\n"),
    ("except_star_no_type", "try:\n    pass\nexcept* :\n    pass\n"),
    ("except_types_as_unparenthesized", "try:\n    pass\nexcept A, B as e:\n    pass\n"),
    ("global_nothing", "global\n"),
    ("raise_from_nothing", "raise X from\n"),
    ("raise_nothing_from", "raise from x\n"),
    ("parenthesized_keyword", "x = f((a)=1)\n"),
    ("async_not_def", "async x = 1\n"),
    ("empty_subscript", "x[]\n"),
    ("fstring_empty_before_conversion", "f'{!r}'\n"),
    ("fstring_empty_before_equal", "f'{=}'\n"),
    ("fstring_empty_before_colon", "f'{:}'\n"),
    ("fstring_brace_at_eof", "f'{'\n"),
    ("fstring_missing_conversion_in_call", "print(f'{x!}')\n"),
    ("fstring_single_rbrace_in_spec", "f'{x:}}'\n"),
    ("fstring_missing_comma_long", "f'{a + b c}'\n"),
    ("fstring_second_unclosed", "f'{a}' f'{'\n"),
    ("fstring_after_conversion", "f'{a!r x}'\n"),
    ("fstring_spec_unclosed", "f'{a:{b}'\n"),
    # --- found by comparing mutated standard-library files with CPython ---------------------
    ("statement_keyword_inside_open_paren", "x = 1\n(    return x\n"),
    ("open_bracket_error_on_its_line", "class S(a(b, c):\n    pass\n"),
    ("missing_comma_between_keyword_arguments", "f(a=1,\n  st reamreader=2,\n  c=3,\n)\n"),
    ("brace_in_name_never_closed", "COMPRESSION{_LEVEL = X\n'''doc'''\n"),
    ("brace_after_call_never_closed", "count = f(){\nx = 1\n"),
    ("line_continuation_in_indentation", "if x:\n    a\n   \\ b\n"),
    ("error_at_comment", "x =# comment\n"),
    ("call_with_colon", "f(self, flag):\n    pass\n"),
    ("expected_block_before_dedent", "class C:\n    def f(self):\n        if x:\n    y = 1\n"),
    ("expected_block_before_dedent_to_zero", "def f():\n    if x:\n        # comment\nz = 1\n"),
    ("unindent_after_parser_error", "x = (\n    1 2)\n  y = 3\n"),
    ("statement_after_open_call", "f(a,\n  return)\n"),
    ("not_without_in", "if x:\n    i not r:\n        pass\n"),
    ("assert_assign_call", "assert f() = 0\n"),
    ("assert_assign_name", "assert x = 0\n"),
    ("set_display_assign_attribute", "{x.y = 1}\n"),
    ("tuple_assign_attribute", "(a, b.c = 1)\n"),
    ("list_assign_name", "[a = 1]\n"),
    ("list_assign_concatenated_string", "x = ['a' 'b' = 1]\n"),
    ("parenthesized_assign_name", "y = (x = 1)\n"),
    ("while_assign_call", "while f() = 1: pass\n"),
    ("chained_assign_conditional", "x = a if b else c = 1\n"),
    ("chained_assign_comparison", "x = a < b = 1\n"),
    ("chained_assign_not", "x = not a = 1\n"),
    ("chained_assign_boolean_third", "x = y = a or b = 1\n"),
    ("comprehension_missing_in", "[a for x y in z]\n"),
    ("for_missing_in", "for x y in z: pass\n"),
    ("parenthesized_literal_assign", "x = (1 = 2)\n"),
    ("parenthesized_concatenated_string_assign", "x = (\n    'a'\n    'b' = 1\n)\n"),
    ("nested_parenthesized_literal_assign", "f((1 = 2))\n"),
    # --- compile stage: the symbol table and loop checks (compiler::symtable) -------------
    ("return_outside_function", "return 1\n"),
    ("return_in_class", "class C:\n    return 1\n"),
    ("yield_outside_function", "yield 1\n"),
    ("yield_in_class", "class C:\n    x = yield\n"),
    ("await_outside_function", "await x\n"),
    ("await_outside_async", "def f():\n    await x\n"),
    ("async_for_outside_async", "def f():\n    async for x in y:\n        pass\n"),
    ("break_outside_loop", "break\n"),
    ("break_in_function_in_loop", "for x in y:\n    def f():\n        break\n"),
    ("continue_outside_loop", "continue\n"),
    ("continue_in_class_in_loop", "while x:\n    class C:\n        continue\n"),
    ("global_after_use", "def f():\n    print(x)\n    global x\n"),
    ("global_after_assign", "def f():\n    x = 1\n    global x\n"),
    ("parameter_and_global", "def f(x):\n    global x\n"),
    ("parameter_and_nonlocal", "def g():\n    x = 1\n    def f(x):\n        nonlocal x\n"),
    ("nonlocal_at_module", "nonlocal x\n"),
    ("nonlocal_no_binding", "def f():\n    nonlocal x\n"),
    ("nonlocal_binding_is_global", "x = 1\ndef f():\n    nonlocal x\n"),
    ("nonlocal_after_assign", "def g():\n    x = 1\n    def f():\n        x = 2\n        nonlocal x\n"),
    ("nonlocal_after_use", "def g():\n    x = 1\n    def f():\n        print(x)\n        nonlocal x\n"),
    ("nonlocal_and_global", "def g():\n    x = 1\n    def f():\n        global x\n        nonlocal x\n"),
    ("annotated_global", "def f():\n    global x\n    x: int = 1\n"),
    ("duplicate_argument", "def f(a, a):\n    pass\n"),
    ("duplicate_argument_kwonly", "def f(a, *, a):\n    pass\n"),
    ("duplicate_argument_lambda", "lambda a, b, a: 1\n"),
    ("duplicate_type_param", "def f[T, T]():\n    pass\n"),
    ("import_star_in_function", "def f():\n    from m import *\n"),
    ("walrus_in_comprehension_iterable", "[x for x in (y := [1])]\n"),
    ("walrus_in_class_comprehension", "class C:\n    [(y := x) for x in range(3)]\n"),
    ("walrus_rebinds_iteration_variable", "[x := 1 for x in y]\n"),
    ("yield_in_comprehension", "def f():\n    return [(yield x) for x in y]\n"),
    ("assign_to_debug", "__debug__ = 1\n"),
    ("async_comprehension_outside_async", "def f():\n    return [x async for x in y]\n"),
    ("lazy_import_in_function", "def f():\n    lazy import x\n"),
    ("lazy_import_in_class", "class C:\n    lazy import x\n"),
    ("lazy_import_in_try", "try:\n    lazy import x\nexcept: pass\n"),
    ("lazy_import_in_finally", "try:\n    pass\nfinally:\n    lazy import x\n"),
    ("lazy_from_import_in_function", "def f():\n    lazy from x import y\n"),
    ("lazy_import_star", "lazy from x import *\n"),
    ("late_future_import", "x = 1\nfrom __future__ import annotations\n"),
    ("future_braces", "from __future__ import braces\n"),
    ("future_unknown", "from __future__ import nope\n"),
    ("return_value_in_async_generator", "async def f():\n    yield 1\n    return 2\n"),
    ("yield_from_in_async_function", "async def f():\n    yield from x\n"),
    ("yield_in_default", "def f(x=(yield)): pass\n"),
    ("yield_in_comprehension_iterable", "[x for x in (yield)]\n"),
    ("yield_in_class_comprehension_iterable", "class C:\n    [x for x in (yield)]\n"),
    ("break_in_loop_else", "while x:\n    pass\nelse:\n    break\n"),
    ("class_keyword_repeated", "class C(a=1, a=2): pass\n"),
    ("keyword_repeated_after_unpacking", "f(a=1, **k, a=2)\n"),
    ("debug_parameter", "def f(*, __debug__): pass\n"),
    ("debug_annotated", "__debug__: int\n"),
    ("debug_deleted", "del __debug__\n"),
    ("debug_attribute", "x.__debug__ = 1\n"),
    ("debug_keyword", "f(__debug__=1)\n"),
    ("debug_import", "import __debug__\n"),
    ("classdict_type_param", "def f[__classdict__](): pass\n"),
    ("nonlocal_type_param", "class C[T]:\n    def f(self):\n        nonlocal T\n"),
    ("yield_in_typevar_bound", "type T[X: (yield)] = int\n"),
    ("await_in_annotation", "async def f():\n    def g(x: await y): pass\n"),
    ("yield_in_type_alias", "def f():\n    type T = (yield)\n"),
    ("walrus_in_annotation", "def f(x: (y := 1)): pass\n"),
    ("walrus_comprehension_type_alias", "class C:\n    type T = [(y := 1) for x in z]\n"),
    ("walrus_rebinds_later_iteration_variable", "def f():\n    [(y := 1) for x in y for y in z]\n"),
    ("walrus_in_comprehension_condition", "def f():\n    [x for x in y if (x := 1)]\n"),
    ("walrus_in_nested_iterable", "[x for x in [(y := 1) for z in w]]\n"),
    ("await_in_lambda", "lambda: await x\n"),
    ("await_in_lambda_in_async", "async def f():\n    lambda: await x\n"),
    ("async_with_outside_async", "def f():\n    async with x:\n        pass\n"),
    ("annotated_nonlocal", "def g():\n    x = 1\n    def f():\n        nonlocal x\n        x: int\n"),
    ("global_annotated_before", "def f():\n    x: int\n    global x\n"),
    ("nonlocal_in_class_no_binding", "class C:\n    nonlocal x\n"),
    ("duplicate_lambda_star_names", "lambda *a, **a: 1\n"),
    ("mangled_duplicate_parameter", "class C:\n    def f(self, __a, _C__a): pass\n"),
    ("global_walrus_in_comprehension_target", "def f():\n    global x\n    [x for x in [(x := 1)]]\n"),
    ("except_and_except_star", "try:\n    pass\nexcept A:\n    pass\nexcept* B:\n    pass\n"),
    ("type_param_default_order", "def f[T = int, U](): pass\n"),
    ("type_param_default_order_tuple", "class C[T = int, *Ts]: pass\n"),
    ("type_param_default_order_alias", "type A[T = int, **P] = T\n"),
    ("lazy_future_import", "lazy from __future__ import annotations\n"),
    ("starred_assignment_target", "*a = 1\n"),
    ("starred_value", "x = *a\n"),
    ("starred_expression_statement", "*a\n"),
    ("starred_for_target", "for *x in y: pass\n"),
    ("starred_with_target", "with x as *y: pass\n"),
    ("starred_yield_value", "f = lambda: (yield *a)\n"),
    ("starred_chained_value", "a = b = *c\n"),
    ("multiple_starred_targets", "a, *b, *c = d\n"),
    ("multiple_starred_list_targets", "[a, *b, *c] = d\n"),
    ("multiple_starred_for_targets", "for x, *y, *z in w: pass\n"),
    ("parenthesized_starred_target", "(*a) = 1\n"),
    ("parenthesized_starred_value", "x = (*a)\n"),
]

# Cases where Pyrite's message differs from CPython's (the position and type must still
# match): name -> (Pyrite's message, why).
KNOWN_DIFFERENCES = {
    "nested_parenthesized_literal_assign": (
        'expression cannot contain assignment, perhaps you meant "=="?',
        "the parser crate reads an `=` inside a call's argument as a keyword argument's even "
        "inside extra parentheses, and its error does not say where the parentheses were",
    ),
}


def main():
    print("# Generated by tools/gen-syntax-error-cases.py under CPython %s; do not edit by hand."
          % sys.version.split()[0])
    print("# Fields: source (a JSON string), stage (parse | compile), the exception CPython raises,")
    print("# its msg, lineno, offset, end_lineno and end_offset (1-based; parser errors count")
    print("# characters, compiler errors UTF-8 bytes, as CPython does). The test compares type,")
    print("# msg, lineno and offset; the end position is recorded for reference only.")
    print("# `pyrite-msg` marks a known difference: Pyrite's message for the case, with the reason.")
    for name, source in CASES:
        try:
            ast.parse(source)
            stage = "compile"
        except SyntaxError:
            stage = "parse"
        try:
            compile(source, "<case>", "exec")
        except SyntaxError as e:
            err = e
        else:
            raise SystemExit("case %s compiles without error" % name)
        print()
        print("case: %s" % name)
        print("source: %s" % json.dumps(source))
        print("stage: %s" % stage)
        print("type: %s" % type(err).__name__)
        print("msg: %s" % err.msg)
        print("lineno: %s" % err.lineno)
        print("offset: %s" % err.offset)
        print("end_lineno: %s" % err.end_lineno)
        print("end_offset: %s" % err.end_offset)
        if name in KNOWN_DIFFERENCES:
            msg, why = KNOWN_DIFFERENCES[name]
            print("pyrite-msg: %s" % msg)
            print("why: %s" % why)


if __name__ == "__main__":
    main()
