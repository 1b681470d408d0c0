"""save()/load() against hostile files and interrupted saves: all-or-nothing, entries named, files safe."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nn import MLP, Adagrad, Adam, Optimizer
from nn.serialization import load, save

ROOT = Path(__file__).resolve().parent.parent


def _good_file(tmp_path: Path, optimizer_type: type = Adam) -> dict:
    model = MLP(2, [2, 1], seed=1)
    opt = optimizer_type(model.parameters(), lr=0.01)
    model([0.5, -0.5]).backward()
    opt.step()
    save(model, tmp_path / "good.json", opt)
    return json.loads((tmp_path / "good.json").read_text())


def _load_into_fresh(path: Path, optimizer_type: type = Adam) -> tuple[MLP, Optimizer, dict, dict]:
    model = MLP(2, [2, 1], seed=2)
    opt = optimizer_type(model.parameters(), lr=0.5)
    return model, opt, model.state_dict(), opt.state_dict()


def test_a_401_digit_buffer_entry_is_a_short_error_and_changes_nothing(tmp_path) -> None:
    document = _good_file(tmp_path)
    document["optimizer"]["buffers"]["v"][3] = 10**400
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(document))
    model, opt, before, opt_before = _load_into_fresh(path)
    with pytest.raises(ValueError, match=r"huge\.json.*buffer 'v' entry 3.*401 digits") as info:
        load(model, path, opt)
    assert len(str(info.value)) < 200 and "0000000000" not in str(info.value)
    assert model.state_dict() == before and opt.state_dict() == opt_before


def test_a_401_digit_weight_names_the_entry(tmp_path) -> None:
    document = _good_file(tmp_path)
    document["parameters"]["layers.1.neurons.0.b"] = -(10**400)
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(document))
    model, opt, before, _ = _load_into_fresh(path)
    with pytest.raises(ValueError, match=r"huge\.json.*'layers\.1\.neurons\.0\.b'.*401 digits"):
        load(model, path)
    assert model.state_dict() == before


def test_an_integer_beyond_pythons_4300_digit_limit_names_the_file(tmp_path) -> None:
    document = _good_file(tmp_path)
    text = json.dumps(document).replace('"steps": 1', '"steps": 1' + "0" * 5000)
    (tmp_path / "long.json").write_text(text)
    model, opt, before, _ = _load_into_fresh(tmp_path / "long.json")
    with pytest.raises(ValueError, match=r"long\.json: not a valuegrad state file"):
        load(model, tmp_path / "long.json", opt)
    assert model.state_dict() == before


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"lr": 0.01', '"lr": Infinity', "'lr' must be finite"),
        ('"lr": 0.01', '"lr": 1e400', "'lr' must be finite"),
        ('"lr": 0.01', '"lr": true', "'lr' must be a positive finite number, got True"),
        ('"lr": 0.01', '"lr": -0.5', "'lr' must be a positive finite number"),
        ('"steps": 1', '"steps": true', "'steps' must be an integer"),
        ('"steps": 1', '"steps": 1.0', "'steps' must be an integer"),
        ('"version": 1', '"version": true', 'entry "version"'),
    ],
)
def test_bad_scalars_are_rejected_naming_the_entry(tmp_path, old: str, new: str, message: str) -> None:
    text = json.dumps(_good_file(tmp_path))
    assert old in text
    (tmp_path / "bad.json").write_text(text.replace(old, new))
    model, opt, before, opt_before = _load_into_fresh(tmp_path / "bad.json")
    with pytest.raises(ValueError, match=message):
        load(model, tmp_path / "bad.json", opt)
    assert model.state_dict() == before and opt.state_dict() == opt_before


@pytest.mark.parametrize("value", [True, "1.0", None, -1.0])
def test_a_bad_adagrad_sum_of_squares_is_rejected(tmp_path, value: object) -> None:
    document = _good_file(tmp_path, Adagrad)
    document["optimizer"]["buffers"]["memory"][0] = value
    (tmp_path / "bad.json").write_text(json.dumps(document))
    model, opt, before, opt_before = _load_into_fresh(tmp_path / "bad.json", Adagrad)
    with pytest.raises((ValueError, TypeError), match=r"bad\.json.*buffer 'memory' entry 0"):
        load(model, tmp_path / "bad.json", opt)
    assert model.state_dict() == before and opt.state_dict() == opt_before


def test_an_inf_weight_is_named_and_nothing_is_written(tmp_path) -> None:
    model = MLP(2, [1], seed=0)
    model.layers[0].neurons[0].w[1].data = math.inf
    with pytest.raises(ValueError, match=r"'layers\.0\.neurons\.0\.w\.1' must be finite"):
        save(model, tmp_path / "m.json")
    assert list(tmp_path.iterdir()) == []


def test_save_writes_through_a_symlink_as_torch_save_does(tmp_path) -> None:
    model = MLP(2, [1], seed=0)
    (tmp_path / "real.json").write_text("old")
    (tmp_path / "link.json").symlink_to("real.json")
    assert save(model, tmp_path / "link.json") == tmp_path / "link.json"
    assert (tmp_path / "link.json").is_symlink() and os.readlink(tmp_path / "link.json") == "real.json"
    assert json.loads((tmp_path / "real.json").read_text())["parameters"] == model.state_dict()
    (tmp_path / "dangling.json").symlink_to("made.json")
    save(model, tmp_path / "dangling.json")
    assert (tmp_path / "dangling.json").is_symlink() and (tmp_path / "made.json").is_file()


def test_a_new_file_gets_the_umask_mode_and_an_old_file_keeps_its_mode(tmp_path) -> None:
    model = MLP(2, [1], seed=0)
    old_umask = os.umask(0o027)
    try:
        save(model, tmp_path / "new.json")
    finally:
        os.umask(old_umask)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o640
    (tmp_path / "new.json").chmod(0o604)
    save(model, tmp_path / "new.json")
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o604


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_an_orphan_temp_file_of_a_dead_saver_is_removed_by_the_next_save(tmp_path) -> None:
    dead = _dead_pid()
    orphan = tmp_path / f".m.json.valuegrad-{dead}-0123456789ab.tmp"
    orphan.write_text('{"partial')
    alive = tmp_path / f".m.json.valuegrad-{os.getpid()}-0123456789ab.tmp"  # a save under way in this process
    alive.write_text("")
    other_target = tmp_path / f".n.json.valuegrad-{dead}-0123456789ab.tmp"
    other_target.write_text("")
    users = [tmp_path / ".m.json.backup.tmp", tmp_path / "m.json.tmp"]
    for path in users:
        path.write_text("mine")
    save(MLP(2, [1], seed=0), tmp_path / "m.json")
    assert not orphan.exists()
    assert alive.exists() and other_target.exists() and all(p.read_text() == "mine" for p in users)


_KILLED_SAVER = """
import sys, time
sys.path.insert(0, sys.argv[1])
import nn.serialization as s
from nn import MLP
s.os.replace = lambda *args: time.sleep(60)  # hold the save between writing and renaming
s.save(MLP(2, [1], seed=0), sys.argv[2])
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_save_killed_by_sigkill_leaves_an_orphan_that_the_next_save_removes(tmp_path) -> None:
    target = tmp_path / "m.json"
    child = subprocess.Popen([sys.executable, "-c", _KILLED_SAVER, str(ROOT), str(target)])
    try:
        deadline = time.monotonic() + 30
        while not list(tmp_path.glob(".m.json.*.tmp")) and time.monotonic() < deadline:
            time.sleep(0.02)
        # the temp file may exist before its text is written: wait until it is complete
        while time.monotonic() < deadline and not any(p.stat().st_size for p in tmp_path.glob(".m.json.*.tmp")):
            time.sleep(0.02)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert len(list(tmp_path.glob(".m.json.*.tmp"))) == 1 and not target.exists()
    model = MLP(2, [1], seed=5)
    save(model, target)
    assert list(tmp_path.glob("*.tmp")) + list(tmp_path.glob(".*.tmp")) == []
    fresh = MLP(2, [1], seed=6)
    load(fresh, target)
    assert fresh.state_dict() == model.state_dict()


def test_load_refuses_what_is_not_a_regular_file(tmp_path) -> None:
    with pytest.raises(ValueError, match="not a regular file"):
        load(MLP(2, [1], seed=0), tmp_path)


def test_deep_json_and_bad_targets_are_one_clear_error(tmp_path) -> None:
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ValueError, match=r"deep\.json: not a valuegrad state file \(JSON nested too deeply\)"):
        load(MLP(2, [1], seed=0), tmp_path / "deep.json")
    with pytest.raises(FileNotFoundError, match="folder .*nowhere does not exist"):
        save(MLP(2, [1], seed=0), tmp_path / "nowhere" / "m.json")
    with pytest.raises(IsADirectoryError, match="it is a folder"):
        save(MLP(2, [1], seed=0), tmp_path)


@pytest.mark.parametrize("version", [2, 0, -1, "1", 1.0, True, None])
def test_a_file_of_another_format_version_is_refused_and_changes_nothing(tmp_path, version: object) -> None:
    model = MLP(2, [2, 1], seed=0)
    path = tmp_path / "m.json"
    save(model, path)
    document = json.loads(path.read_text())
    assert document["version"] == 1
    document["version"] = version
    path.write_text(json.dumps(document))
    before = [p.data for p in model.parameters()]
    for p in model.parameters():
        p.data += 1.0  # so a load that went ahead would show
    changed = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match='entry "version": unsupported version'):
        load(model, path)
    assert [p.data for p in model.parameters()] == changed != before
