"""The yardstick for :mod:`bench.http_load`: a bare FastAPI route under the same uvicorn
settings as ``sociale-kaart serve`` (:func:`api.serve.settings`: asyncio's loop, httptools,
no access log, one process); with ``--loop uvloop`` the same on uvloop, uvicorn's default.

What a who-serves request costs beyond this is ours (middleware, validation, the question,
serialisation); what this costs is the framework's and the machine's. Measured in the same
run, the ratio between the two says more than either figure on a shared machine.

    .venv/bin/python -m bench.bare_server --port 8001
"""

from __future__ import annotations

import argparse

from fastapi import FastAPI

from api.serve import settings

app = FastAPI()


@app.get("/")
async def root() -> dict[str, str]:
    return {"status": "ok"}


def main() -> int:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--loop", choices=["asyncio", "uvloop"], help="default: the API's own setting")
    args = parser.parse_args()
    config = settings(args.host, args.port)
    if args.loop:
        config["loop"] = args.loop
    uvicorn.run(app, log_level="warning", **config)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
