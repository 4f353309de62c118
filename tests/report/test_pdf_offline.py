"""`readiness audit PATH --pdf` keeps Chromium off the network, proved by tracing its system calls.

The real command runs under `strace -f`; every socket it (or any Chromium process it starts)
creates, connects or sends on is checked. A finding is: any DNS (port 53, or anything sent to a
nameserver in /etc/resolv.conf), any TCP connection attempt to an address that is not loopback,
any UDP datagram sent to such an address, or a connection to a local socket that resolves names
(nscd, systemd-resolved, the D-Bus system bus, avahi). A UDP connect() that is never followed by a
send is not traffic: Chromium uses one to ask the kernel which local address would route to
8.8.8.8 / 2001:4860:4860::8888, and no packet leaves.

Known limit: write()/writev() on a connected UDP socket are not traced (Chromium sends datagrams
with send()/sendto()/sendmsg(), which are); any connect() to port 53 or a nameserver is a finding
on its own, so DNS cannot slip through that way.

Skipped only where chromium or strace is missing and neither READINESS_REQUIRE_CHROMIUM nor CI is
set; .ci/run sets READINESS_REQUIRE_CHROMIUM, so in CI this test always runs.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from readiness.report.pdf import find_chromium
from tests.conftest import REPO

RESOLVER_SOCKETS = ("nscd", "/systemd/resolve/", "dbus/system_bus_socket", "avahi-daemon")
SOCKET = re.compile(r"^socket\((AF_\w+), (SOCK_\w+)[^)]*\)\s+= \d+<socket:\[(\d+)\]>")
FD = re.compile(r"^(connect|sendto|sendmsg|sendmmsg)\((\d+)(?:<socket:\[(\d+)\]>)?")
INET = re.compile(r'sa_family=AF_INET, sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"\\]+)"\)')
INET6 = re.compile(r'sa_family=AF_INET6, sin6_port=htons\((\d+)\).*?inet_pton\(AF_INET6, "([^"\\]+)"')
UNIX = re.compile(r'sa_family=AF_UNIX, sun_path=@?"((?:[^"\\]|\\.)*)"')


@dataclass
class Trace:
    """What the trace shows: findings, and connect() counts by address family."""

    findings: list[str] = field(default_factory=list)
    connects: dict[str, int] = field(default_factory=dict)
    executed: list[str] = field(default_factory=list)


def nameservers(resolv_conf: Path = Path("/etc/resolv.conf")) -> set[str]:
    try:
        lines = resolv_conf.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return set()
    return {parts[1].split("%")[0] for parts in (line.split() for line in lines)
            if len(parts) > 1 and parts[0] == "nameserver"}


def _destination(text: str) -> tuple[str, str, int] | None:
    """The first IPv4/IPv6 socket address written in a line of strace output."""
    for family, pattern in (("AF_INET", INET), ("AF_INET6", INET6)):
        match = pattern.search(text)
        if match:
            return family, match.group(2), int(match.group(1))
    return None


def _leaves_machine(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (ip.is_loopback or ip.is_unspecified)


def analyse(lines: list[str], resolvers: set[str]) -> Trace:
    """Judge strace lines in time order (`-y`, so each fd shows its socket's inode).

    Sockets are keyed by inode, which is unique across processes; a UDP socket remembers the
    address it connected to, so a later send without an address is judged by that peer.
    """
    trace = Trace()
    kinds: dict[str, str] = {}  # socket inode -> SOCK_STREAM / SOCK_DGRAM / ...
    peers: dict[str, tuple[str, str, int]] = {}  # UDP socket inode -> the address it connected to

    def traffic(address: str, port: int) -> str | None:
        if port == 53:
            return "DNS (port 53)"
        if address in resolvers:
            return "the system's nameserver"
        if _leaves_machine(address):
            return "an address off this machine"
        return None

    for line in lines:
        if line.startswith("execve("):
            trace.executed.append(line.split('"', 2)[1] if '"' in line else line)
            continue
        created = SOCKET.match(line)
        if created:
            kinds[created.group(3)] = created.group(2)
            continue
        call = FD.match(line)
        if not call:
            continue
        name, number, inode = call.groups()
        inode = inode or f"fd {number}"  # undecorated: unknown kind, so judged as strictly as TCP
        if name == "connect":
            found = re.search(r"sa_family=(AF_\w+)", line)
            family = found.group(1) if found else "?"
            trace.connects[family] = trace.connects.get(family, 0) + 1
            unix = UNIX.search(line)
            if unix and any(marker in unix.group(1) for marker in RESOLVER_SOCKETS):
                trace.findings.append(f"connect to a name-resolving local socket: {line}")
                continue
            if family == "AF_UNSPEC":
                peers.pop(inode, None)  # a UDP socket dissolving its association
                continue
            destination = _destination(line)
            if destination is None:
                continue
            reason = traffic(destination[1], destination[2])
            udp = kinds.get(inode) == "SOCK_DGRAM"
            if udp:
                peers[inode] = destination  # sends without an address go here
            if reason is None:
                continue
            if not udp or destination[2] == 53 or destination[1] in resolvers:
                trace.findings.append(f"connect to {reason}: {line}")
            # otherwise a UDP route probe: traffic only if a send follows
            continue
        destination = _destination(line) or peers.get(inode)
        if destination is not None:
            reason = traffic(destination[1], destination[2])
            if reason is not None:
                trace.findings.append(f"{name} to {reason} {destination}: {line}")
    return trace


def read_traces(folder: Path) -> list[str]:
    """Every thread's file (`-ff -ttt`) merged in time order, timestamps dropped.

    A socket is often made in one thread and connected or written in another, so the order
    across files matters.
    """
    stamped: list[tuple[float, int, str]] = []
    for path in folder.iterdir():
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            stamp, _, rest = line.partition(" ")
            try:
                stamped.append((float(stamp), len(stamped), rest))
            except ValueError:
                continue
    return [line for _, _, line in sorted(stamped)]


# --- the analysis itself can fail: lines from a trace of Chromium before its network was off ---

PROBE = [
    "socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 18<socket:[114077]>",
    'connect(18<socket:[114077]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), '
    'inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) = 0',
]
LOOKUP = [
    "socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 23<socket:[114214]>",
    'sendto(23<socket:[114214]>, "\\377P\\1\\0\\0\\1\\0\\0\\0\\0\\0\\0\\6update\\ngoogleapis\\3com\\0\\0A\\0\\1", 39, 0, '
    'NULL, 0) = 39',
    'connect(23<socket:[114214]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0',
]


def test_the_analysis_lets_a_route_probe_pass_and_catches_lookups_and_sends():
    assert analyse(PROBE, set()).findings == []
    assert analyse(PROBE, set()).connects == {"AF_INET6": 1}
    sent = analyse([*PROBE, 'sendto(18<socket:[114077]>, "x", 1, 0, NULL, 0) = 1'], set())
    assert len(sent.findings) == 1 and "2001:4860:4860::8888" in sent.findings[0]
    assert len(analyse(LOOKUP, set()).findings) == 1  # the connect to port 53 (the unconnected send has no address)
    tcp = ["socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 5<socket:[9]>",
           'connect(5<socket:[9]>, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("142.250.1.1")}, 16) '
           "= -1 EINPROGRESS (Operation now in progress)"]
    assert len(analyse(tcp, set()).findings) == 1
    loopback = [tcp[0], tcp[1].replace("142.250.1.1", "127.0.0.1").replace("443", "9")]
    assert analyse(loopback, set()).findings == []
    resolver_udp = [PROBE[0], PROBE[1].replace("443", "1234").replace("2001:4860:4860::8888", "fd00::53"),
                    'sendmsg(18<socket:[114077]>, {msg_name=NULL, msg_namelen=0}, 0) = 30']
    assert len(analyse(resolver_udp, {"fd00::53"}).findings) == 2  # the connect to it, and the datagram
    nscd = ["socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, 0) = 117<socket:[114137]>",
            'connect(117<socket:[114137]>, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT']
    assert len(analyse(nscd, set()).findings) == 1
    to = ['sendmmsg(4<socket:[7]>, [{msg_hdr={msg_name={sa_family=AF_INET, sin_port=htons(5353), '
          'sin_addr=inet_addr("224.0.0.251")}, msg_namelen=16}}], 1, 0) = 1']
    assert len(analyse(to, set()).findings) == 1


# --- the real command, traced ---


def _tools() -> tuple[str, str]:
    chromium, strace = find_chromium(), shutil.which("strace")
    if chromium and strace:
        return chromium, strace
    missing = " and ".join(n for n, p in (("chromium", chromium), ("strace", strace)) if not p)
    if os.environ.get("READINESS_REQUIRE_CHROMIUM") or os.environ.get("CI"):
        pytest.fail(f"{missing} not installed; .ci/run installs Debian's chromium and strace packages")
    pytest.skip(f"{missing} not installed (apt-get install chromium strace)")


def _strace_options(strace: str) -> list[str] | None:
    """strace's options for following every process; seccomp-bpf (fast) where strace has it."""
    for options in (["--seccomp-bpf", "-f"], ["-f"]):
        probe = subprocess.run([strace, *options, "-e", "trace=network", "true"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return options
    return None


@pytest.mark.browser
@pytest.mark.slow
def test_pdf_option_prints_without_touching_the_network(tmp_path):
    _, strace = _tools()
    options = _strace_options(strace)
    if options is None:
        if os.environ.get("READINESS_REQUIRE_CHROMIUM") or os.environ.get("CI"):
            pytest.fail("strace cannot trace here (ptrace is not permitted)")
        pytest.skip("strace cannot trace here (ptrace is not permitted)")
    data = tmp_path / "data"
    data.mkdir()
    (data / "orders.csv").write_text("order_id,amount,country,label\n" +
                                     "".join(f"{i},{i * 3 % 97}.5,{'UK' if i % 3 else 'DE'},{i % 2}\n"
                                             for i in range(1, 61)), encoding="utf-8")
    traces = tmp_path / "trace"
    traces.mkdir()
    environment = {k: v for k, v in os.environ.items() if k != "READINESS_NO_PROFILE"}  # the default path
    command = [strace, *options, "-ff", "-ttt", "-y", "-s", "48", "-e", "trace=network,execve", "-o", str(traces / "t"),
               sys.executable, "-m", "readiness", "audit", str(data), "--out", str(tmp_path / "out"), "--pdf"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, env=environment, cwd=REPO)
    assert result.returncode == 0, result.stderr[-2000:]
    # the folder has no readiness.toml: the empty-brief warning is expected, no other
    assert [line for line in result.stderr.splitlines()
            if "Warning" in line and not line.startswith("Warning: the brief is missing")] == [], result.stderr[-2000:]

    pdf = tmp_path / "out" / "data" / "latest" / "briefing.pdf"
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF") and len(content) > 1000

    trace = analyse(read_traces(traces), nameservers())
    # the trace really followed Chromium (not just the Python parent) before it may vouch for it
    assert any(Path(path).name.startswith(("chromium", "chrome")) for path in trace.executed), trace.executed[:5]
    assert trace.findings == [], "\n".join(trace.findings[:20])
    print("connect() calls by family:", dict(sorted(trace.connects.items())))
