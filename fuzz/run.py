#!/usr/bin/env python3
"""The API fuzzer of `make test`: schemathesis against the served OpenAPI document.

One debug server on a fresh SQLite demo workspace; schemathesis runs every operation with an
admin's token and then with a viewer's, a bounded number of examples each, and fails on any
5xx, any response that does not match its documented schema or content type, and any status
code the document does not list. Not fuzzed: the operations that end the fuzzer's own
credential (revoking its token, ending its session, changing its password, signing out) —
the API tests cover them.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.environ.get("KOX_FUZZ_BIN") or os.path.join(ROOT, "target", "debug", "kox")
ST = os.environ.get("KOX_FUZZ_ST") or os.path.join(HERE, ".venv", "bin", "st")
EXAMPLES = os.environ.get("KOX_FUZZ_EXAMPLES", "8")
SECONDS = os.environ.get("KOX_FUZZ_SECONDS", "90")
SEED = os.environ.get("KOX_FUZZ_SEED", "20261202")
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance"
ENDS_OWN_CREDENTIAL = r"/me/(tokens/\{id\}|sessions/\{id\}|password)$|/auth/logout$"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    if not os.path.exists(BIN):
        sys.exit(f"no server binary at {BIN}: make debug")
    if not os.path.exists(ST):
        sys.exit(f"no schemathesis at {ST}: make fuzz-deps")
    tmp = tempfile.mkdtemp(prefix="kox-fuzz-")
    env = dict(os.environ, KOX_DATA_DIR=tmp, KOX_DATABASE_URL=f"sqlite://{tmp}/kox.db", KOX_LOG="warn")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    failed = []
    try:
        subprocess.run([BIN, "demo", "--scale", "1"], env=env, check=True, capture_output=True)
        tokens = {}
        for role in ["admin", "viewer"]:
            tokens[role] = subprocess.run(
                [BIN, "token", "create", "--email", f"{role}@kox.demo", "--name", "fuzz"],
                env=env, check=True, capture_output=True, text=True).stdout.strip()
        server = subprocess.Popen([BIN, "serve", "--bind", f"127.0.0.1:{port}"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            for _ in range(1000):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1)
                    break
                except Exception:
                    time.sleep(0.02)
            for role, token in tokens.items():
                print(f"== schemathesis as {role}", flush=True)
                r = subprocess.run([
                    ST, "run", base + "/api/v1/openapi.json",
                    "-H", f"Authorization: Bearer {token}",
                    "-c", CHECKS, "-n", EXAMPLES, "--max-time", SECONDS, "--seed", SEED,
                    "--phases", "coverage,fuzzing", "--no-color",
                    "--exclude-path-regex", ENDS_OWN_CREDENTIAL,
                ], env=dict(os.environ, SCHEMATHESIS_HOOKS=""))
                if r.returncode != 0:
                    failed.append(role)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                _, err = server.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                _, err = server.communicate()
            if "panicked" in (err or ""):
                failed.append("a panic in the server log")
                print(err, file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"fuzz took {time.monotonic() - started:.0f} s")
    if failed:
        sys.exit(f"the API fuzzer failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
