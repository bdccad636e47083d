"""`make bench`'s summary: one table of every figure the benchmarks wrote to BENCH_TABLE (bench/common.py
table_row), each beside its same-run ceiling or baseline, their ratio, the issue's goal and the load average
when it was measured (the machine is shared: ratios inside one run are what counts).

    BENCH_TABLE=.run/bench.jsonl python bench/table.py
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata

COLUMNS = (("measure", 52), ("figure", 24), ("beside", 38), ("ratio", 7), ("goal", 22), ("load", 5))


def _padded(text: str, width: int) -> str:
    """`text` left-aligned in `width` terminal columns (a Chinese character takes two)."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def main() -> None:
    path = os.environ.get("BENCH_TABLE")
    if not path or not os.path.exists(path):
        sys.exit("BENCH_TABLE names no file of rows (run `make bench`)")
    with open(path, encoding="utf-8") as file:
        rows = [json.loads(line) for line in file if line.strip()]
    print()
    print(" ".join(_padded(name, width) for name, width in COLUMNS))
    print(" ".join("-" * width for _name, width in COLUMNS))
    for row in rows:
        print(" ".join(_padded(str(row.get(name, "")), width) for name, width in COLUMNS))


if __name__ == "__main__":
    main()
