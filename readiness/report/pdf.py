"""briefing.pdf: the packet printed by a headless Chromium started with its networking off.

The page is a local file with a CSP that fetches nothing, but Chromium on its own still looks up
Google endpoints at start-up (account sign-in, extension and component updates, the DNS and
IPv6 probes). The flags below switch those services off, and the host resolver and proxy rules
are the backstop: every name resolves to "not found" and anything that still tried to connect
could only reach a closed port on loopback. tests/report/test_pdf_offline.py traces the real command
and fails on any DNS lookup or connection that leaves the machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from readiness.base.errors import UsageError
from readiness.settings import Environment

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# macOS keeps browsers in app bundles, off PATH; each is looked for in every APPLICATIONS folder
APP_BUNDLES = (
    "Google Chrome.app/Contents/MacOS/Google Chrome",
    "Chromium.app/Contents/MacOS/Chromium",
    "Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary",
)
APPLICATIONS = ("/Applications", "~/Applications")

PAPERS = {"a4": "A4", "letter": "letter"}  # --paper value: CSS @page size
# territories whose LC_PAPER is Letter in glibc's locale data; everywhere else prints on A4
LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "PH", "PR", "CL", "CO", "VE", "CR", "GT", "PA", "SV", "NI", "DO"})
TIMEOUT_SECONDS = 120

# Google services Chromium reaches without being asked; each is a base::Feature name.
DISABLED_FEATURES = (
    "Translate",  # translate ranker and language model downloads
    "OptimizationHints",  # optimization guide fetches
    "MediaRouter",  # cast discovery
    "DialMediaRouteProvider",  # DIAL (SSDP multicast) discovery
    "AutofillServerCommunication",  # autofill crowdsourcing queries
    "CertificateTransparencyComponentUpdater",  # CT log list downloads
    "InterestFeedContentSuggestions",  # new-tab feed
    "NetworkTimeServiceQuerying",  # secure time queries to clients2.google.com
)

OFFLINE_FLAGS = (
    "--headless",
    "--no-sandbox",  # runs as root in containers; the page is our own file with a strict CSP
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",  # extension, safe-browsing and variations updates, UMA
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",  # also the ones a distribution preloads (Debian's /etc/chromium.d)
    "--disable-component-extensions-with-background-pages",
    "--disable-client-side-phishing-detection",
    "--disable-domain-reliability",
    "--disable-breakpad",
    "--no-pings",
    "--metrics-recording-only",
    "--safebrowsing-disable-auto-update",
    "--dns-prefetch-disable",
    "--disable-features=" + ",".join(DISABLED_FEATURES),
    # backstops: no name resolves, and no proxy or direct connection can leave loopback
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)

# D-Bus can reach a name resolver (systemd-resolved); headless printing needs neither bus.
OFFLINE_ENVIRONMENT = {
    "DBUS_SYSTEM_BUS_ADDRESS": "disabled:",
    "DBUS_SESSION_BUS_ADDRESS": "disabled:",
}


def default_paper(environ: Mapping[str, str] | None = None) -> str:
    """Letter where the locale's territory prints on Letter (en_US, en_CA, es_MX, fil_PH...), else A4.

    The locale is the one that decides paper size: LC_ALL, then LC_PAPER, then LANG."""
    env = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_PAPER", "LANG"):
        value = env.get(variable, "")
        if value:
            territory = value.split(".")[0].split("@")[0].partition("_")[2]
            return "letter" if territory.upper() in LETTER_TERRITORIES else "a4"
    return "a4"


def paper_size(value: str | None) -> str:
    """The --paper value checked (a4 or letter); None means the locale's default."""
    if value is None:
        return default_paper()
    paper = value.strip().lower()
    if paper not in PAPERS:
        raise UsageError(f"--paper {value!r} is not a paper size; use a4 or letter")
    return paper


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def chromium_option(value: str | os.PathLike[str] | None) -> str | None:
    """The --chromium PATH checked: an executable file, or a usage error naming it."""
    if value is None:
        return None
    path = Path(value).expanduser()
    if not path.exists():
        raise UsageError(f"--chromium {str(value)!r}: no such file; give the path of a Chromium or Chrome "
                         "executable (macOS: '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome')")
    if not _executable(path):
        raise UsageError(f"--chromium {str(value)!r} is not an executable file; give the browser's program, "
                         "not its folder (macOS: 'Google Chrome.app/Contents/MacOS/Google Chrome')")
    return str(path)


def find_chromium() -> str | None:
    """A Chromium-family browser: named in READINESS_CHROMIUM or CHROME_PATH, else the first on
    PATH, else a macOS app bundle in /Applications or ~/Applications; None when there is none."""
    for named in Environment.from_environ(os.environ).chromium:
        if _executable(Path(named).expanduser()):
            return str(Path(named).expanduser())
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for folder in APPLICATIONS:
        for bundle in APP_BUNDLES:
            candidate = Path(folder).expanduser() / bundle
            if _executable(candidate):
                return str(candidate)
    return None


def chromium_command(executable: str, html_path: Path, pdf_path: Path, profile_dir: Path) -> list[str]:
    """The full command line that prints html_path to pdf_path with the network off."""
    return [executable, *OFFLINE_FLAGS, f"--user-data-dir={profile_dir}", "--no-pdf-header-footer",
            f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()]


def chromium_environment() -> dict[str, str]:
    """The caller's environment with the D-Bus buses switched off."""
    return {**os.environ, **OFFLINE_ENVIRONMENT}


def write_pdf(html_path: Path, pdf_path: Path, chromium: str | None = None) -> str | None:
    """Print the packet to PDF with headless Chromium; returns why not, or None when written."""
    executable = chromium or find_chromium()
    if executable is None:
        return ("no Chromium found for --pdf; install it (Debian/Ubuntu: apt-get install chromium; macOS: "
                "Google Chrome in /Applications), name it with --chromium PATH, or open briefing.html and print it to PDF")
    with tempfile.TemporaryDirectory() as profile_dir:
        command = chromium_command(executable, html_path, pdf_path, Path(profile_dir))
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=True,
                           env=chromium_environment())
        except (OSError, subprocess.SubprocessError) as exc:
            return f"Chromium could not print the PDF ({type(exc).__name__}); open briefing.html and print it"
    return None if pdf_path.is_file() else "Chromium wrote no PDF; open briefing.html and print it"
