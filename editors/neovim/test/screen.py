#!/usr/bin/env python3
"""A text capture of Neovim with archlens: runs nvim in a pseudo-terminal, feeds what it
draws to a terminal emulator (pyte) and writes the final screen as text.

  screen.py NVIM ARCHLENS_BIN FILE OUTPUT

Exits non-zero when the screen shows no archlens rule code within 30 s."""
import os
import pty
import re
import select
import signal
import sys
import tempfile
import time

import pyte

COLUMNS, LINES = 110, 32


def main():
    nvim, binary, document, output = sys.argv[1:5]
    here = os.path.dirname(os.path.abspath(__file__))
    ready = os.path.join(tempfile.mkdtemp(), "ready")
    screen = pyte.Screen(COLUMNS, LINES)
    stream = pyte.ByteStream(screen)
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(TERM="xterm", COLUMNS=str(COLUMNS), LINES=str(LINES), ARCHLENS_BIN=binary, ARCHLENS_SCREEN_READY=ready)
        os.chdir(os.path.dirname(document))
        os.execv(nvim, [nvim, "--clean", "-n", "-i", "NONE", "-u", os.path.join(here, "screen.lua"), document])
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    deadline = time.time() + 30
    settled_at = None
    while time.time() < deadline:
        readable, _, _ = select.select([fd], [], [], 0.1)
        if readable:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            stream.feed(data)
        if os.path.exists(ready) and settled_at is None:
            settled_at = time.time()
        if settled_at is not None and time.time() - settled_at > 1.0:
            break
    text = "\n".join(line.rstrip() for line in screen.display).rstrip() + "\n"
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
    if settled_at is None or not re.search(r"\b(API|SEC|SCL|DB|ARC|PRC)\d{3}\b", text):
        sys.stderr.write("screen.py: no archlens finding on the screen:\n" + text)
        return 1
    with open(output, "w", encoding="utf-8") as out:
        out.write(text)
    print(f"neovim screen: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
