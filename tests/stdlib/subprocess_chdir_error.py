# requires: 3.15
# A child that cannot chdir to cwd reports "OSError:<errno>:noexec:chdir" on the errpipe.
import os
import _posixsubprocess

r, w = os.pipe()
pid = _posixsubprocess.fork_exec(["/bin/echo"], (b"/bin/echo",), True, (w,), "/nonexistent/dir", None,
                                 -1, -1, -1, -1, -1, -1, r, w, True, False, -1, None, None, None, -1, None)
os.close(w)
print(os.read(r, 100))
os.close(r)
print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
print("subprocess_chdir_error: ok")
