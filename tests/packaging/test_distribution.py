"""The built artefacts work on their own: the wheel in a fresh venv, and the frozen server.

``make dist`` and ``make frozen`` are run first (no-ops when current; ``make test`` has built both
already). The wheel is installed into a new venv outside the checkout and run from a folder outside
it, with a minimal environment, so nothing of the checkout can be imported. The frozen server
(PyInstaller onedir, what the .vsix carries) must do everything the venv server does: the
tree-sitter grammar (syntax errors), pydantic (schema checks), the schema file (completion, hover,
``qwen-ls schema``) and httpx's TLS with its CA bundle.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lsp_probe import probe  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
BROKEN = EXAMPLES / "broken" / ".qwen" / "settings.json"
CLEAN = [EXAMPLES / "coding-plan" / ".qwen" / "settings.json", EXAMPLES / "api-key" / ".qwen" / "settings.json"]
FROZEN = REPO / "build" / "frozen" / "qwen-ls" / ("qwen-ls.exe" if os.name == "nt" else "qwen-ls")


def _make(target: str) -> None:
    # The release workflow builds with the tools directly on each runner (make differs there).
    if os.environ.get("QWEN_LS_PREBUILT") == "1":
        return
    r = subprocess.run(["make", "-s", "-C", str(REPO), target], capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, f"make {target} failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"


def _env(home: Path) -> dict[str, str]:
    """A minimal environment: no PYTHONPATH, no VIRTUAL_ENV, a HOME of the test's choosing."""
    if os.name == "nt":  # Windows needs its system variables to start any process
        keep = {k: v for k, v in os.environ.items() if not k.upper().startswith(("PYTHON", "VIRTUAL_ENV"))}
        return {**keep, "HOME": str(home), "USERPROFILE": str(home)}
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}


def _bin(venv: Path, name: str) -> Path:
    return venv / "Scripts" / f"{name}.exe" if os.name == "nt" else venv / "bin" / name


def _version() -> str:
    text = (REPO / "qwen_ls" / "__init__.py").read_text()
    return text.split('__version__ = "', 1)[1].split('"', 1)[0]


@pytest.fixture(scope="module")
def wheel_server(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """``qwen-ls`` from the built wheel, installed into a fresh venv outside the checkout."""
    _make("dist")
    wheel = REPO / "dist" / f"qwen_ls-{_version()}-py3-none-any.whl"
    assert wheel.exists(), f"make dist did not produce {wheel}"
    venv = tmp_path_factory.mktemp("wheel-venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    r = subprocess.run([str(_bin(venv, "python")), "-m", "pip", "install", "-q", str(wheel)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return [str(_bin(venv, "qwen-ls"))]


@pytest.fixture(scope="module")
def frozen_server() -> list[str]:
    """The PyInstaller build that the .vsix carries."""
    _make("frozen")
    assert FROZEN.exists()
    return [str(FROZEN)]


@pytest.fixture(params=["wheel", "frozen"])
def server(request: pytest.FixtureRequest) -> list[str]:
    return request.getfixturevalue(f"{request.param}_server")


def test_wheel_imports_nothing_from_the_checkout(wheel_server: list[str], tmp_path: Path) -> None:
    python = _bin(Path(wheel_server[0]).parents[1], "python")
    r = subprocess.run([str(python), "-c", "import json, sys, qwen_ls; print(json.dumps([qwen_ls.__file__, sys.path]))"],
                       cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=60, check=True)
    module_file, path = json.loads(r.stdout)
    venv = Path(wheel_server[0]).parents[1]
    assert Path(module_file).is_relative_to(venv), module_file
    assert not any(p and Path(p).resolve().is_relative_to(REPO) for p in path), path


def test_version_and_check_on_the_bundled_examples(server: list[str], tmp_path: Path) -> None:
    env = _env(EXAMPLES / "home")
    r = subprocess.run([*server, "--version"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == f"qwen-ls {_version()}"

    r = subprocess.run([*server, "check", "--no-color", str(BROKEN)], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Found 20 problems in 1 file." in r.stdout
    # The syntax layer (tree-sitter) and the schema layer (pydantic) both reported.
    assert "QLS002" in r.stdout and "QLS101" in r.stdout and "QLS102" in r.stdout
    assert "sk-test-demo0000000000000000" not in r.stdout

    r = subprocess.run([*server, "check", "--no-color", *map(str, CLEAN)], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "All checks passed (2 files)." in r.stdout


def test_schema_is_the_committed_one(server: list[str], tmp_path: Path) -> None:
    r = subprocess.run([*server, "schema"], cwd=tmp_path, env=_env(tmp_path), capture_output=True,
                       text=True, timeout=60, check=True)
    committed = json.loads((REPO / "qwen_ls" / "settings" / "settings.schema.json").read_text())
    assert json.loads(r.stdout) == committed


async def test_lsp_initialize_diagnostics_completion_hover(server: list[str], tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".qwen").mkdir(parents=True)
    doc = tmp_path / "project" / ".qwen" / "settings.json"
    doc.parent.mkdir(parents=True)
    shutil.copyfile(BROKEN, doc)
    env = {**_env(home), "QWEN_CODE_SYSTEM_SETTINGS_PATH": str(tmp_path / "sys.json"),
           "QWEN_CODE_SYSTEM_DEFAULTS_PATH": str(tmp_path / "defaults.json")}
    result = await probe(server, env, doc, completion_after='"tools": {"', hover_on='"approvalMode"')
    assert result.server_info is not None and result.server_info.name == "qwen-ls"
    assert result.server_info.version == _version()
    assert result.capabilities.completion_provider is not None
    codes = {str(d.code) for d in result.diagnostics}
    assert {"QLS002", "QLS101", "QLS203"} <= codes, codes
    # Completion and hover come from the schema file.
    assert "approvalMode" in result.completion_labels, result.completion_labels[:20]
    assert "approval" in result.hover.lower(), result.hover


def _tls_server(cert: Path, key: Path) -> tuple[int, list[str], threading.Thread]:
    """One loopback TLS listener that records how the client's handshake ended."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    sock = socket.create_server(("127.0.0.1", 0))
    sock.settimeout(30)
    seen: list[str] = []

    def serve() -> None:
        with sock:
            try:
                conn, _ = sock.accept()
            except OSError as err:
                seen.append(f"no connection: {err}")
                return
            with conn:
                try:
                    with ctx.wrap_socket(conn, server_side=True):
                        seen.append("handshake completed")
                except (ssl.SSLError, OSError) as err:
                    seen.append(str(err))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return sock.getsockname()[1], seen, thread


def test_tls_verification_uses_a_ca_bundle(server: list[str], tmp_path: Path) -> None:
    """A TLS handshake starts and the self-signed certificate is refused: TLS verification works.

    Without its CA bundle (certifi's cacert.pem, which a frozen build has to carry) httpx fails
    when it builds its SSL context, before it connects, and the listener sees no connection.
    """
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    port, seen, thread = _tls_server(cert, key)
    home = tmp_path / "home"
    home.mkdir()
    r = subprocess.run([*server, "auth", "coding-plan", "--region", "intl", "--base-url",
                        f"https://127.0.0.1:{port}/v1", "--key", "sk-sp-fake-00000000000000", "--verify"],
                       cwd=tmp_path, env=_env(home), capture_output=True, text=True, timeout=60)
    thread.join(30)
    assert r.returncode != 0
    assert "Nothing was written" in r.stdout + r.stderr
    assert seen and not seen[0].startswith("no connection"), seen
    assert seen[0] != "handshake completed", "the client accepted a self-signed certificate"
    assert "unreachable" in r.stdout + r.stderr
    assert not (home / ".qwen" / ".env").exists()
