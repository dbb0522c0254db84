"""Drives a command on a pseudo-terminal (Python's standard-library pty), as a person at a terminal would.

Usage: python3 pty_drive.py '<json: argv>' '<json: steps>'
Steps, in order: {"expect": "<regex>"} waits (10 s at most) for the regex in the output after the
previous match (ANSI escapes removed); {"send": "<text>"} types; {"sleep": <seconds>} waits.
Prints one JSON object: {"exitCode": n, "transcript": "...", "error": "..." (on a timeout)}.
"""
import json
import os
import pty
import re
import select
import signal
import sys
import time

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[=>]")


def main() -> None:
    argv = json.loads(sys.argv[1])
    steps = json.loads(sys.argv[2])
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(argv[0], argv)
    raw = b""
    pos = 0

    def text() -> str:
        return ANSI.sub("", raw.decode("utf-8", "replace"))

    def read(timeout: float) -> bool:
        nonlocal raw
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        raw += data
        return True

    def finish(error: str | None) -> None:
        if error:
            os.kill(pid, signal.SIGKILL)
        while read(0.2 if error else 30):
            if error:
                break
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        print(json.dumps({"exitCode": code, "transcript": text(), **({"error": error} if error else {})}))
        sys.exit(0)

    for step in steps:
        if "expect" in step:
            deadline = time.time() + step.get("timeout", 10)
            pattern = re.compile(step["expect"])
            while True:
                match = pattern.search(text(), pos)
                if match:
                    pos = match.end()
                    break
                if time.time() > deadline or not read(min(0.2, max(0.0, deadline - time.time()))):
                    if not pattern.search(text(), pos):
                        finish(f"no {step['expect']!r} after: {text()[pos:][-2000:]!r}")
        if "send" in step:
            os.write(fd, step["send"].encode())
        if "sleep" in step:
            time.sleep(step["sleep"])
    finish(None)


main()
