"""Point 5: one masking function for every output path, catching every shape of secret.

Twenty-odd secret shapes are planted in a hostile repository (settings ``env``, ``mcpServers``
``env`` and ``headers``, URLs with userinfo and credential query parameters, provider entries,
unknown keys, ``.env`` files, the OAuth credentials) and every output path of the CLI (``check``
text and JSON, ``auth status`` text and JSON, ``model list``) and of the server (diagnostics,
hover on every value, document symbols, completion, inlay hints, code action titles,
``authStatus``, ``listModels``, notifications, log messages, stderr) is searched for them.

Every planted value carries a marker ``shapeNN`` in its middle: masked forms show at most the
first three characters of a well-known prefix and the last two to four characters, so the marker
can only appear when the value leaked.
"""

from __future__ import annotations

import json
import re

import pytest
from hostile import RawLsp, Repo, run_cli, shown_part

from qwen_ls.secrets import redact

SECRETS = {
    "01": "sk-test-shape01-aaaaaaaaaaaa0001",
    "02": "sk-sp-fake-shape02-bbbbbbbb0002",
    "03": "sk-ant-test-shape03-cccccccc0003",
    "04": "AIzaTESTshape04ddddddddddddddddd0004",
    "05": "ghp_TESTshape05eeeeeeeeeeeeeeee0005",
    "06": "github_pat_TESTshape06ffffffffffffff0006",
    "07": "glpat-TESTshape07gggggggg0007",
    "08": "hf_TESTshape08hhhhhhhhhhhhhh0008",
    "09": "xoxb-TESTshape09-iiiiiiii0009",
    "10": "AKIASHAPE10JJKKLLMMN",
    "11": "eyJTESTshape11kkkkkk.eyJpayloadkkkkkk.signaturekk11",
    "12": "TESTshape12pass",  # URL password
    "13": "TESTshape13token",  # URL userinfo without password
    "14": "TESTshape14qqqq",  # ?api_key=
    "15": "TESTshape15sigsig",  # &sig=
    "16": "TESTshape16toktok",  # ?access_token=
    "17": "TESTshape17bearer",  # Authorization: Bearer
    "18": "TESTshape18xapikey",  # x-api-key header
    "19": "TESTshape19envtok",  # settings env MY_SERVICE_TOKEN
    "20": "TESTshape20dbpass",  # mcpServers env DB_PASSWORD
    "21": "sk-test-shape21-dotenv-000021",  # .qwen/.env value
    "22": "rk_live_TESTshape22stripe0022",
    "23": "TESTshape23oauthaccess",  # oauth_creds.json access token
    "24": "TESTshape24clientsecret",  # "client_secret" in an unknown key
}
PEM = ("-----BEGIN RSA PRIVATE KEY-----\nMIIEshape25TESTpemBODYxxxxxxxxxxxx\n"
       "-----END RSA PRIVATE KEY-----")
MARKERS = [f"shape{n}" for n in SECRETS] + ["shape25"]
S = SECRETS


def hostile_settings() -> dict:
    return {
        "env": {"OPENAI_API_KEY": S["01"], "VAL_02": S["02"], "VAL_03": S["03"],
                "VAL_04": S["04"], "VAL_05": S["05"], "VAL_06": S["06"], "VAL_07": S["07"],
                "VAL_08": S["08"], "VAL_09": S["09"], "VAL_10": S["10"], "VAL_11": S["11"],
                "MY_SERVICE_TOKEN": S["19"], "VAL_22": S["22"], "PEM_BLOCK": PEM},
        "mcpServers": {
            "remote": {"httpUrl": f"https://alice:{S['12']}@mcp.example/v1?api_key={S['14']}",
                       "headers": {"Authorization": f"Bearer {S['17']}",
                                   "x-api-key": S["18"]}},
            "local": {"command": "node", "args": ["srv.js"], "env": {"DB_PASSWORD": S["20"]}},
        },
        "modelProviders": {"openai": [
            {"id": "m1", "baseUrl": f"https://{S['13']}@llm.example/v1", "envKey": S["05"]},
            {"id": "m2", "baseUrl": f"https://llm.example/v1?sv=1&sig={S['15']}",
             "envKey": "OPENAI_API_KEY"},
            {"id": "m3", "baseUrl": f"https://llm.example/v1?access_token={S['16']}",
             "envKey": "DOTENV_KEY"},
        ]},
        "model": {"name": "m3"},
        "security": {"auth": {"selectedType": "openai"}},
        "unknownSecretHolder": {"client_secret": S["24"]},
    }


def plant(repo: Repo) -> None:
    repo.write(repo.qwen / "settings.json", json.dumps(hostile_settings(), indent=2) + "\n")
    repo.write(repo.qwen / ".env", f"DOTENV_KEY={S['21']}\nOPENAI_BASE_URL="
               f"https://bob:{S['12']}@proxy.example/v1\n")
    repo.write(repo.home / ".qwen" / "oauth_creds.json", json.dumps(
        {"access_token": S["23"], "refresh_token": S["23"] + "r", "token_type": "Bearer",
         "expiry_date": 1e300}), mode=0o600)


def leaked(text: str) -> list[str]:
    return [m for m in MARKERS if m.lower() in text.lower()]


def test_redact_catches_every_shape_in_free_text():
    lines = [
        *(f"value {v} here" for k, v in S.items() if k not in ("12", "13", "14", "15", "16",
                                                                "17", "18", "19", "20", "23",
                                                                "24")),
        f"GET https://alice:{S['12']}@h.example/x", f"clone https://{S['13']}@git.example/r",
        f"url=https://h.example/v1?api_key={S['14']}&x=1", f"https://b.example/x?sv=1&sig={S['15']}",
        f"https://h.example/?access_token={S['16']}", f"Authorization: Bearer {S['17']}",
        f"x-api-key: {S['18']}", f'"MY_SERVICE_TOKEN": "{S["19"]}"', f"DB_PASSWORD={S['20']}",
        f'{{"access_token": "{S["23"]}"}}', f"'client_secret': '{S['24']}'", PEM,
    ]
    for line in lines:
        assert leaked(redact(line)) == [], (line, redact(line))


def test_mask_shows_at_most_the_last_characters_of_short_secrets():
    from qwen_ls.secrets import mask

    assert mask("abcdefgh") == "***"
    assert mask("abcdefghijk") == "…jk"
    assert mask("hunter2hunter2hunter2") == "…ter2"
    assert mask("sk-test-0000000000009876") == "sk-…9876"


@pytest.mark.parametrize("args", [("check",), ("check", "--format", "json"), ("auth", "status"),
                                  ("auth", "status", "--format", "json"), ("model", "list"),
                                  ("model", "list", "--format", "json"), ("doctor",),
                                  ("doctor", "--format", "json")])
def test_no_cli_output_path_prints_a_secret(repo: Repo, args):
    plant(repo)
    proc = run_cli(repo, *args, timeout=60)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout.strip()
    assert leaked(proc.stdout + proc.stderr) == [], proc.stdout + proc.stderr


def test_no_server_output_path_sends_a_secret(repo: Repo):
    plant(repo)
    settings = repo.qwen / "settings.json"
    text = settings.read_text()
    server = RawLsp(repo)
    server.initialize()
    uri = server.open(settings)
    doc = {"textDocument": {"uri": uri}}
    lines = text.splitlines()
    positions = [(i, m.start() + 2) for i, line in enumerate(lines)
                 for m in re.finditer(r'"[^"]*"', line)]
    for line, char in positions:
        server.call("textDocument/hover", {**doc, "position": {"line": line, "character": char}})
    server.call("textDocument/documentSymbol", doc)
    full = {"start": {"line": 0, "character": 0}, "end": {"line": len(lines), "character": 0}}
    server.call("textDocument/inlayHint", {**doc, "range": full})
    server.call("textDocument/codeAction", {**doc, "range": full, "context": {"diagnostics": []}})
    for line, char in positions[::7]:
        server.call("textDocument/completion", {**doc,
                                                "position": {"line": line, "character": char}})
    for command in ("qwen-ls.authStatus", "qwen-ls.listModels"):
        answer = server.call("workspace/executeCommand", {"command": command, "arguments": [{}]})
        assert "result" in answer, answer
    server.drain(1.5)
    stderr = server.close()
    assert any(m.get("method") == "textDocument/publishDiagnostics" for m in server.messages)
    shown = "\n".join(shown_part(m) for m in server.messages)
    assert leaked(shown) == [], [line for line in shown.splitlines() if leaked(line)][:3]
    assert leaked(stderr) == []
