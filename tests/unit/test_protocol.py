"""The editor's copy of the protocol names (editors/vscode/src/common/protocol.ts) is the server's.

qwen_ls/protocol.py holds every command id and the status notification; the extension restates
them in one TS module. A renamed or added id on one side only fails here, not in a user's editor.
"""

from __future__ import annotations

import re
from pathlib import Path

from qwen_ls import protocol
from qwen_ls.settings.known import DEFAULT_ENV_KEYS

TS = Path(__file__).resolve().parents[2] / "editors/vscode/src/common/protocol.ts"


def _ts_object(name: str) -> dict[str, str]:
    text = TS.read_text()
    body = re.search(rf"export const {name}\b[^=]*= \{{(.*?)\n\}}", text, re.S)
    assert body, f"{name} not found in {TS}"
    return dict(re.findall(r"^\s*(\w+): '([^']*)',", body.group(1), re.M))


def test_every_command_id_of_the_editor_is_the_servers():
    python_ids = {v for k, v in vars(protocol).items() if k.isupper() and isinstance(v, str)
                  and v.startswith("qwen-ls.")}
    ts_ids = set(_ts_object("ServerCommands").values())
    assert len(ts_ids) >= 9
    assert ts_ids <= python_ids, f"ids in protocol.ts that qwen_ls/protocol.py lacks: {ts_ids - python_ids}"
    assert set(protocol.COMMANDS) <= python_ids and len(set(protocol.COMMANDS)) == len(protocol.COMMANDS)


def test_status_notification_and_default_env_keys_agree():
    text = TS.read_text()
    assert f"export const StatusChangedNotification = '{protocol.STATUS_CHANGED}';" in text
    ts_keys = _ts_object("DEFAULT_ENV_KEYS")
    assert set(ts_keys) == {"openai", "anthropic", "gemini"}
    assert ts_keys == {k: DEFAULT_ENV_KEYS[k] for k in ts_keys}
