//! Coroutines, async generators and their awaitables release everything they hold: a
//! program exercising `await`, `async with`, `async for`, async generators (asend, athrow,
//! aclose) and async comprehensions, errors included, leaves the live-object count unchanged
//! once warmed up. (Behaviour is checked against CPython by `tests/lang/async_await.py`.)

use pyrite_vm::compiler::{compile, Mode};
use pyrite_vm::object::stats;
use pyrite_vm::objects::dict;
use pyrite_vm::{abstract_, interp};

const SOURCE: &str = r#"
class Suspend:
    def __await__(self):
        return (yield "tick")

def run(coro):
    try:
        while True:
            coro.send(None)
    except StopIteration as e:
        return e.value

async def add(a, b):
    await Suspend()
    return a + b

class ACM:
    async def __aenter__(self):
        await Suspend()
        return self
    async def __aexit__(self, *exc):
        await Suspend()
        return exc[0] is KeyError

class ARange:
    def __init__(self, n):
        self.i, self.n = 0, n
    def __aiter__(self):
        return self
    async def __anext__(self):
        await Suspend()
        if self.i >= self.n:
            raise StopAsyncIteration
        self.i += 1
        return self.i

async def agen(n):
    try:
        for i in range(n):
            await Suspend()
            yield [i]
    finally:
        pass

async def body():
    total = await add(1, 2)
    async with ACM():
        raise KeyError("suppressed")
    async with ACM() as m:
        total += 1
    async for x in ARange(3):
        total += x
    async for y in agen(3):
        total += y[0]
    g = agen(5)
    async for y in g:
        break
    await g.aclose()
    h = agen(5)
    await h.__anext__()
    try:
        await h.athrow(ValueError("v"))
    except ValueError:
        pass
    lst = [z async for z in agen(3)]
    dct = {k[0]: await add(k[0], 1) async for k in agen(2)}
    try:
        await Suspend().__await__()
    except TypeError:
        pass
    c = add(1, 1)
    c.close()
    total += await anext(ARange(1), 0) + await anext(agen(0), 5) - 6
    return total, lst, dct

def main():
    assert run(body()) == (13, [[0], [1], [2]], {0: 1, 1: 2})
    w = add(2, 2).__await__()
    assert next(w) == "tick"
    try:
        w.send(None)
    except StopIteration as e:
        assert e.value == 4
    half = add(1, 2)
    half.send(None)
    del half
"#;

#[test]
fn coroutines_release_everything() {
    pyrite_vm::initialize();
    let code = compile(SOURCE, "<coroutines>", Mode::Exec).expect("the program compiles");
    let globals = dict::new();
    dict::set_item_str(&globals, "__builtins__", &pyrite_vm::builtins::module()).unwrap();
    dict::set_item_str(&globals, "__name__", &pyrite_vm::objects::unicode::new("coroutines")).unwrap();
    interp::run_code(&code, &globals, Some(&globals)).expect("the program runs");
    let main = dict::get_item_str(&globals, "main").expect("main");
    for _ in 0..3 {
        abstract_::call_no_args(&main).expect("main runs");
    }
    let before = stats::live();
    for _ in 0..5 {
        abstract_::call_no_args(&main).expect("main runs");
    }
    assert_eq!(stats::live(), before, "live objects after 5 rounds");
}
