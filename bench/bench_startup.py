"""Cold start of `pgsage serve` over stdio and the size of its tools/list answer.

    python bench/bench_startup.py [--runs 7]

Measures, per run, a fresh subprocess from spawn to the `initialize` result and to the first `tools/list`
result; prints the medians, and the tools/list size in bytes and approximate tokens (bytes / 4), per tool.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


async def one_run(env: dict[str, str]) -> tuple[float, float, list[dict]]:
    params = StdioServerParameters(command=sys.executable, args=["-m", "pgsage.server", "serve"], env=env)
    started = time.perf_counter()
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        initialized = time.perf_counter() - started
        listed = await session.list_tools()
        first_list = time.perf_counter() - started
    tools = [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in listed.tools]
    return initialized, first_list, tools


async def main(runs: int) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PGSAGE_") and k != "DATABASE_URL"}
    env["PGSAGE_DATA_DIR"] = tempfile.mkdtemp(prefix="pgsage-bench-")
    inits, lists = [], []
    tools: list[dict] = []
    for _ in range(runs):
        init, first, tools = await one_run(env)
        inits.append(init)
        lists.append(first)
    payload = json.dumps({"tools": tools}, separators=(",", ":"))
    print(f"runs: {runs}")
    print(f"spawn -> initialize result:  median {statistics.median(inits) * 1000:7.0f} ms "
          f"(min {min(inits) * 1000:.0f}, max {max(inits) * 1000:.0f})")
    print(f"spawn -> first tools/list:   median {statistics.median(lists) * 1000:7.0f} ms "
          f"(min {min(lists) * 1000:.0f}, max {max(lists) * 1000:.0f})")
    print(f"tools/list: {len(tools)} tools, {len(payload)} bytes, ~{len(payload) // 4} tokens "
          f"(~{len(payload) // 4 // max(len(tools), 1)} tokens per tool)")
    # What most clients put in the model's context: name, description and input schema (output schemas are
    # used by the client to validate structured results).
    visible = json.dumps(
        [{k: t.get(k) for k in ("name", "description", "inputSchema")} for t in tools], separators=(",", ":")
    )
    print(f"name + description + inputSchema only: {len(visible)} bytes, ~{len(visible) // 4} tokens")
    for tool in sorted(tools, key=lambda t: -len(json.dumps(t))):
        size = len(json.dumps(tool, separators=(",", ":")))
        print(f"  {tool['name']:<28} {size:6d} bytes  ~{size // 4:5d} tokens")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    asyncio.run(main(parser.parse_args().runs))
