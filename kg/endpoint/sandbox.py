"""No network for query workers, enforced by the kernel: a seccomp filter.

The guard refuses SERVICE, but a guard is a parser's opinion, and the engine (pyoxigraph)
runs its own parser and its own HTTP client in Rust, which Python's audit hooks never see.
So the zygote installs, before it loads the store, a seccomp filter that every worker
inherits across fork and none can lift: ``socket()`` works only for AF_UNIX (the control
and job sockets are socket pairs made before or without it), ``connect()`` fails for every
socket, and ``io_uring_setup()`` (a way to make sockets that seccomp cannot see) fails.
Each answers EACCES at once, so an open port and a closed one look the same.

Why seccomp and not a network namespace: a namespace needs CAP_SYS_ADMIN or unprivileged
user namespaces (often switched off), while a seccomp filter needs only
``PR_SET_NO_NEW_PRIVS`` and works for any user on any Linux since 3.5.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct

# seccomp and BPF constants (linux/seccomp.h, linux/filter.h, linux/audit.h)
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
RET_ALLOW = 0x7FFF0000
RET_ERRNO = 0x00050000
LD_ABS_W = 0x20  # BPF_LD | BPF_W | BPF_ABS
JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
RET_K = 0x06  # BPF_RET | BPF_K
AF_UNIX = 1
X32_BIT = 0x40000000

# machine -> (audit arch, socket, connect, io_uring_setup)
SYSCALLS = {
    "x86_64": (0xC000003E, 41, 42, 425),
    "aarch64": (0xC00000B7, 198, 203, 425),
}


class SandboxError(RuntimeError):
    """The kernel refused the filter: workers must not run without it."""


def _filter(arch: int, sys_socket: int, sys_connect: int, sys_uring: int) -> bytes:
    deny = RET_ERRNO | errno.EACCES
    program = [
        (LD_ABS_W, 0, 0, 4),  # 0: seccomp_data.arch
        (JEQ_K, 1, 0, arch),  # 1: our arch? skip the deny
        (RET_K, 0, 0, deny),  # 2: a foreign ABI (int 0x80): nothing
        (LD_ABS_W, 0, 0, 0),  # 3: seccomp_data.nr
        (JGE_K, 6, 0, X32_BIT),  # 4: the x32 ABI -> deny (11)
        (JEQ_K, 5, 0, sys_connect),  # 5: connect -> deny (11)
        (JEQ_K, 4, 0, sys_uring),  # 6: io_uring_setup -> deny (11)
        (JEQ_K, 1, 0, sys_socket),  # 7: socket -> check its domain (9)
        (RET_K, 0, 0, RET_ALLOW),  # 8: anything else
        (LD_ABS_W, 0, 0, 16),  # 9: args[0], low 32 bits: the domain
        (JEQ_K, 1, 0, AF_UNIX),  # 10: AF_UNIX -> allow (12)
        (RET_K, 0, 0, deny),  # 11
        (RET_K, 0, 0, RET_ALLOW),  # 12
    ]
    return b"".join(struct.pack("=HBBI", *instruction) for instruction in program)


def deny_network() -> None:
    """Install the filter in this process (and so in every process it forks). Raises
    SandboxError where it cannot: the caller must then not run queries."""
    machine = platform.machine()
    if machine not in SYSCALLS or platform.system() != "Linux":
        raise SandboxError(f"no seccomp filter for {platform.system()} {machine}")
    arch, sys_socket, sys_connect, sys_uring = SYSCALLS[machine]
    code = _filter(arch, sys_socket, sys_connect, sys_uring)
    buffer = ctypes.create_string_buffer(code, len(code))

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    program = Program(len(code) // 8, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    ulong = ctypes.c_ulong
    libc.prctl.argtypes = [ctypes.c_int, ulong, ulong, ulong, ulong]
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxError(f"prctl(NO_NEW_PRIVS) failed: errno {ctypes.get_errno()}")
    libc.prctl.argtypes = [ctypes.c_int, ulong, ctypes.c_void_p, ulong, ulong]
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(program), 0, 0) != 0:
        raise SandboxError(f"prctl(SECCOMP) failed: errno {ctypes.get_errno()}")
