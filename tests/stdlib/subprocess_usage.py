# subprocess through its public API: run with captured output and text mode, check_output,
# check_call and CalledProcessError, Popen with pipes (communicate, stdin), return codes,
# env and cwd, shell commands, stderr redirection, and the error for a missing program.
import os
import subprocess
import tempfile

r = subprocess.run(["/bin/echo", "hello", "world"], capture_output=True)
print(r.returncode, r.stdout, r.stderr, r.args)
print(subprocess.run(["/bin/echo", "text"], stdout=subprocess.PIPE, text=True).stdout)
print(repr(subprocess.check_output(["/bin/echo", "-n", "out"])))
print(subprocess.call(["/bin/sh", "-c", "exit 3"]), subprocess.check_call(["/bin/true"]))
try:
    subprocess.run(["/bin/sh", "-c", "echo bad >&2; exit 7"], check=True, capture_output=True)
except subprocess.CalledProcessError as e:
    print("CalledProcessError", e.returncode, e.stderr, e.cmd)

p = subprocess.Popen(["/bin/cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
out, err = p.communicate(b"through cat\n")
print(out, err, p.returncode, p.poll())

p = subprocess.Popen(["/bin/sh", "-c", "read x; echo got $x; exit 5"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, text=True)
p.stdin.write("line\n")
p.stdin.close()
print(p.stdout.read().strip(), p.wait())
p.stdout.close()

r = subprocess.run("echo $GREETING; pwd", shell=True, capture_output=True, text=True,
                   env={"GREETING": "hi", "PATH": os.environ.get("PATH", "/bin")}, cwd="/")
print(r.stdout.split())
r = subprocess.run(["/bin/sh", "-c", "echo err >&2"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
print(r.stdout)
print(subprocess.run(["/bin/echo", "quiet"], stdout=subprocess.DEVNULL).stdout)
with tempfile.TemporaryFile() as f:
    subprocess.run(["/bin/echo", "to file"], stdout=f)
    f.seek(0)
    print(f.read())
with subprocess.Popen(["/bin/sh", "-c", "exit 0"]) as p:
    pass
print("context returncode", p.returncode)
try:
    subprocess.run(["/nonexistent/program"])
except FileNotFoundError as e:
    print("FileNotFoundError", e.errno, e.filename)
try:
    subprocess.run(["/bin/sleep", "5"], timeout=0.2)
except subprocess.TimeoutExpired as e:
    print("TimeoutExpired", 0 < e.timeout <= 0.2, e.cmd)
print(subprocess.getoutput("echo getoutput"), subprocess.getstatusoutput("exit 2"))
print("subprocess_usage: ok")
