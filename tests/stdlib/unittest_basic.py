# unittest: TestCase classes (setUp/tearDown, assertions, subTest, skip, expectedFailure)
# run through TextTestRunner on a StringIO and unittest.main(exit=False); the counts and the
# failure reports match CPython's.
import io
import sys
import unittest

log = []


class Arithmetic(unittest.TestCase):
    def setUp(self):
        log.append("setUp " + self._testMethodName)
        self.value = 21

    def tearDown(self):
        log.append("tearDown " + self._testMethodName)

    def test_equal(self):
        self.assertEqual(self.value * 2, 42)

    def test_in_and_true(self):
        self.assertIn(3, [1, 2, 3])
        self.assertTrue(self.value)
        self.assertIsNone(None)
        self.assertAlmostEqual(0.1 + 0.2, 0.3)

    def test_raises(self):
        with self.assertRaises(ZeroDivisionError):
            1 / 0
        self.assertRaises(KeyError, {}.__getitem__, "k")
        with self.assertRaisesRegex(ValueError, "invalid literal"):
            int("x")

    def test_subtests(self):
        for i in range(4):
            with self.subTest(i=i):
                self.assertLess(i, 3)

    def test_fails(self):
        self.assertEqual([1, 2, 3], [1, 2, 4])

    def test_error(self):
        raise RuntimeError("boom")

    @unittest.skip("not today")
    def test_skipped(self):
        pass

    @unittest.expectedFailure
    def test_expected_failure(self):
        self.assertEqual(1, 2)

    @unittest.expectedFailure
    def test_unexpected_success(self):
        pass


class Strings(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        log.append("setUpClass")

    def test_upper(self):
        self.assertEqual("abc".upper(), "ABC")

    def test_multiline_diff(self):
        self.assertEqual("a\nb\nc\n", "a\nB\nc\n")

    def test_skip_inside(self):
        self.skipTest("skipped from inside")


def summary(result):
    return (result.testsRun, len(result.failures), len(result.errors), len(result.skipped),
            len(result.expectedFailures), len(result.unexpectedSuccesses), result.wasSuccessful())


loader = unittest.TestLoader()
suite = loader.loadTestsFromModule(sys.modules[__name__])
print("tests found:", suite.countTestCases())
stream = io.StringIO()
result = unittest.TextTestRunner(stream=stream, verbosity=2).run(suite)
print("counts:", summary(result))
for test, text in result.failures + result.errors:
    print("--", test.id())
    print(text.strip().splitlines()[-1])
for test, reason in result.skipped:
    print("skipped", test.id(), reason)
print("log:", log[:6], len(log))
report = stream.getvalue()
print("verbose lines:", sorted(l for l in report.splitlines() if l.endswith((" ok", "FAIL", "ERROR")) or "skipped" in l))

print("unittest.main:")
out = io.StringIO()
prog = unittest.main(module=__name__, exit=False, argv=["prog", "Strings"],
                     testRunner=unittest.TextTestRunner(stream=out))
print("counts:", summary(prog.result))
print(out.getvalue().splitlines()[0])
print("unittest_basic: ok")
