# requires: 3.15
# CPython 3.14+ dedents the code given to -c (as textwrap.dedent: whitespace-only lines become
# empty, the common leading whitespace goes), and reads -X cpu_count / PYTHON_CPU_COUNT.
import os
import subprocess
import sys


def run(*args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=e)
    return p.returncode, p.stdout.strip()


print(run("-c", "\n    x = 1\n    if x:\n        print('indented', x)\n    \n"))
print(run("-c", "\t\tprint('tabs')\n\t\tprint('too')"))
print(run("-c", "  a = 'two  spaces'\n    \n  print(a)"))
print(run("-c", "   "))
print(run("-c", "  print(1)\n print(2)")[0])
print(run("-X", "cpu_count=7", "-c", "import os; print(os.cpu_count(), os.process_cpu_count())"))
print(run("-c", "import os; print(os.cpu_count())", env={"PYTHON_CPU_COUNT": "5"}))
print(run("-X", "pycache_prefix=pp", "-c", "import sys; print(sys.pycache_prefix)"))
print(run("-X", "pycache_prefix", "-c", "import sys; print(sys.pycache_prefix)", env={"PYTHONPYCACHEPREFIX": "q"}))
print("cli_dedent_315: ok")
