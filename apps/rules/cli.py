"""``python -m apps.rules evaluate CASE.json`` (or ``-`` for standard input).

Valid input: the evaluation on stdout, exit 0.  Invalid input of any sort: only
``{"errors": [...]}`` on stdout, exit 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal

from .engine import evaluate
from .jsonio import dumps, evaluation_to_json, problems_to_json
from .parse import InvalidCase, Problem, parse_case

USAGE = "用法：python -m apps.rules evaluate CASE.json（用 - 表示从标准输入读取）"
OK = 0
INVALID = 2


class _Rejected(Exception):
    pass


def _reject_constant(name: str) -> object:
    raise _Rejected(name)


def _fail(message: str) -> tuple[int, str]:
    return INVALID, dumps(problems_to_json([Problem(None, None, "input", message)]))


def run(argv: Sequence[str], read_stdin: Callable[[], bytes]) -> tuple[int, str]:
    """The whole command as a function: arguments in, (exit status, stdout text) out."""
    if len(argv) != 2 or argv[0] != "evaluate":
        return _fail(USAGE)
    source = argv[1]
    try:
        raw = read_stdin() if source == "-" else open(source, "rb").read()  # noqa: SIM115
    except OSError as error:
        return _fail(f"无法读取文件 {source}：{error.strerror}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _fail("输入必须是 UTF-8 编码的 JSON")
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        return _fail(f"JSON 格式错误：第 {error.lineno} 行第 {error.colno} 列（{error.msg}）")
    except _Rejected as error:
        return _fail(f"JSON 格式错误：不支持 {error}")
    except RecursionError:
        return _fail("JSON 格式错误：嵌套过深")
    try:
        case = parse_case(data)
    except InvalidCase as invalid:
        return INVALID, dumps(problems_to_json(invalid.problems))
    return OK, dumps(evaluation_to_json(evaluate(case)))


def main(argv: Sequence[str] | None = None) -> int:
    status, text = run(sys.argv[1:] if argv is None else argv, sys.stdin.buffer.read)
    sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
    sys.stdout.flush()
    return status
