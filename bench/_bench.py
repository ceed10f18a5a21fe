"""What every benchmark shares: its size from the command line (`--smoke` for the toy size CI
runs, a number for any other), and the final `RESULT key=value …` line a program reads.

Imported by the scripts in this folder as `from _bench import …` (a script's own folder is on
`sys.path` when Python runs it).
"""

from __future__ import annotations

import argparse

# Production settings (DEBUG off: cached templates, hashed static files, no query log) for a
# benchmark, with secrets of its own: never the portal's, and not the development keys, which
# the portal refuses with DEBUG off.
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG",
    "PII_ENCRYPTION_KEYS": "YmVuY2gtYW5kLXRlc3Qtb25seS1waWkta2V5LTMyYnk=",  # bench only
    "PII_HASH_KEY": "bench-only-pii-hash-key-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",  # loopback, no TLS proxy in front
    "LOG_LEVEL": "ERROR",
}


def size_from_argv(*, full: int, smoke: int, what: str) -> tuple[int, bool]:
    """(size, smoke) from `[SIZE] [--smoke]`: SIZE if given, else the full or the toy size."""
    parser = argparse.ArgumentParser()
    parser.add_argument("size", nargs="?", type=int, help=f"{what} (default {full:,})")
    parser.add_argument(
        "--smoke", action="store_true", help=f"toy size ({smoke:,} {what}) to check it runs"
    )
    args = parser.parse_args()
    if args.size is not None:
        return args.size, args.smoke
    return (smoke if args.smoke else full), args.smoke


def _text(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1000 else f"{value:.0f}"
    text = str(value)
    if not text or any(c.isspace() or c == "=" for c in text):
        raise ValueError(f"a RESULT value must be one word: {text!r}")
    return text


def print_result(**figures: object) -> None:
    """The last line of the output: `RESULT key=value key=value …`."""
    print("RESULT " + " ".join(f"{key}={_text(value)}" for key, value in figures.items()))
