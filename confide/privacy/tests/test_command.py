"""`confide keys rotate` and `confide keys status`."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from confide.privacy import crypto
from confide.privacy.models import DataKey, Space
from confide.privacy.tests.factories import make_space

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("key_file")]


class Interrupted(Exception):
    pass


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("keys", *args, stdout=out)
    return out.getvalue()


def make_spaces(count: int) -> None:
    for _ in range(count):
        make_space(Space.Kind.PERSON)


def test_rotate_prints_progress_and_a_summary() -> None:
    make_spaces(250)
    output = run("rotate")
    lines = output.splitlines()
    progress = [line for line in lines if line.startswith("Re-wrapped")]
    assert progress == [
        "Re-wrapped 100/250 data keys",
        "Re-wrapped 200/250 data keys",
        "Re-wrapped 250/250 data keys",
    ]
    new_id = DataKey.objects.values_list("master_key_id", flat=True).distinct().get()
    assert f"Added master key {new_id} to the key file." in lines
    assert "Removed old master key(s)" in output
    assert lines[-1] == (
        f"Rotation finished: 250 data keys re-wrapped; every data key is now wrapped under "
        f"master key {new_id}."
    )


def test_rotate_says_when_it_resumes(monkeypatch: pytest.MonkeyPatch) -> None:
    make_spaces(3)
    from confide.privacy.management.commands import keys as command

    def interrupt(self: Any, done: int, total: int) -> None:
        raise Interrupted

    with monkeypatch.context() as patch:
        patch.setattr(command.Command, "_progress", interrupt)
        with pytest.raises(Interrupted):
            run("rotate")
    output = run("rotate")
    assert output.startswith("Resuming an unfinished rotation.")
    assert "Added master key" not in output
    assert "Rotation finished: 2 data keys re-wrapped" in output


def test_rotate_fails_clearly_when_a_master_key_is_missing() -> None:
    make_spaces(1)
    DataKey.objects.update(master_key_id="0badc0de0badc0de")
    with pytest.raises(CommandError, match="0badc0de0badc0de, which this server does not have"):
        run("rotate")


def test_env_rotate_without_a_new_key_explains_what_to_do(settings: Any) -> None:
    settings.CONFIDE_MASTER_KEY = crypto.encode_key(crypto.new_key())
    make_spaces(1)
    output = run("rotate")
    assert "Every data key is already wrapped under master key" in output
    assert "set CONFIDE_MASTER_KEY_OLD to the current key" in output


def test_env_rotate_names_the_old_key_to_remove(settings: Any) -> None:
    old, new = crypto.new_key(), crypto.new_key()
    settings.CONFIDE_MASTER_KEY = crypto.encode_key(old)
    make_spaces(2)
    settings.CONFIDE_MASTER_KEY = crypto.encode_key(new)
    settings.CONFIDE_MASTER_KEY_OLD = crypto.encode_key(old)
    output = run("rotate")
    assert f"No data key needs master key(s) {crypto.master_key_id(old)} any more" in output
    assert "Rotation finished: 2 data keys re-wrapped" in output


def test_status_shows_what_each_master_key_wraps(key_file: Path) -> None:
    make_spaces(2)
    output = run("status")
    current = crypto.keyring_file_load_or_create(key_file).current_id
    assert f"Current master key: {current} (from the key file)" in output
    assert f"{current}  current  wraps 2 data keys" in output
    assert "unfinished" not in output


def test_console_script_exits_non_zero_with_a_clear_message(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CONFIDE_DATA_DIR": str(tmp_path),
        "CONFIDE_MASTER_KEY": "not-a-key",
        "DJANGO_SETTINGS_MODULE": "confide.settings",
    }
    env.pop("CONFIDE_ENV", None)
    finished = subprocess.run(
        [sys.executable, "-m", "confide", "keys", "rotate"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert finished.returncode == 1
    assert "CONFIDE_MASTER_KEY is not a valid master key" in finished.stderr
    assert "not-a-key" not in finished.stderr
    assert "Traceback" not in finished.stderr
