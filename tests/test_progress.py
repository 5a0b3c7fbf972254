"""Progress: a rich bar in a real terminal (tmux), plain lines when piped, JSON for scripts, quiet."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid

from brandsweep.progress import Progress, choose_mode
from tests.conftest import ROOT, SAMPLE_CATALOG, run_cli

CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # every control character but the newline


def test_plain_mode_writes_lines_without_control_characters_and_stays_quiet_for_quick_tasks():
    err = io.StringIO()
    with Progress("plain", stderr=err, plain_interval_s=0) as p, p.task("crawl x") as t:
        for i in range(3):
            t.update(i, total=3, listings=i * 2)
        p.log("a message")
    assert err.getvalue().splitlines() == [
        "crawl x: 0/3 (0 listings)", "crawl x: 1/3 (2 listings)", "crawl x: 2/3 (4 listings)", "a message",
        "crawl x: done 2/3 (4 listings)"]
    err = io.StringIO()
    with Progress("plain", stderr=err, plain_interval_s=3600) as p, p.task("quick") as t:
        for i in range(100):
            t.update(i, total=100)
    assert err.getvalue() == ""


def test_json_mode_writes_one_object_per_line_and_quiet_writes_nothing():
    out, err = io.StringIO(), io.StringIO()
    with Progress("json", stdout=out, stderr=err) as p, p.task("rematch", total=3) as t:
        t.update(3)
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert events[0]["event"] == "start" and events[-1] == {
        "event": "done", "task": "rematch", "completed": 3, "total": 3, "status": "done"}
    assert err.getvalue() == ""
    out, err = io.StringIO(), io.StringIO()
    with Progress("quiet", stdout=out, stderr=err) as p, p.task("x") as t:
        t.update(1)
        p.log("hidden")
    assert out.getvalue() == err.getvalue() == ""


def test_mode_follows_the_terminal_and_the_flags():
    assert choose_mode(stream=io.StringIO()) == "plain"
    assert choose_mode(quiet=True) == "quiet" and choose_mode(as_json=True, quiet=True) == "json"


def _crawl_args(url: str) -> list[str]:
    return ["crawl", "shopfront", "--base-url", url, "-q", "gucci", "-q", "nike", "--no-browse"]


def test_piped_crawl_has_no_control_characters(tmp_path, marketplaces):
    db = tmp_path / "p.db"
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db).returncode == 0
    r = run_cli(*_crawl_args(marketplaces.urls["shopfront"]), db_path=db, env={"BRANDSWEEP_PROGRESS_INTERVAL": "0"})
    assert r.returncode == 0, r.stderr
    assert re.search(r"^crawl shopfront: \d+/\d+ \(\d+ listings\)$", r.stderr, re.MULTILINE), r.stderr
    assert re.search(r"^crawl shopfront: done (\d+)/\1 ", r.stderr, re.MULTILINE), r.stderr
    assert not CONTROL.search(r.stdout) and not CONTROL.search(r.stderr)
    r = run_cli("--json", *_crawl_args(marketplaces.urls["shopfront"]), db_path=db)
    events = [json.loads(line) for line in r.stdout.splitlines()]
    assert events[-1]["event"] == "result" and events[-1]["status"] == "ok"
    assert any(e["event"] == "progress" for e in events) or events[-2]["event"] == "done"
    r = run_cli("--quiet", *_crawl_args(marketplaces.urls["shopfront"]), db_path=db)
    assert r.returncode == 0 and r.stderr == "" and r.stdout.startswith("run ")
    r = run_cli("--quiet", "rematch", db_path=db)
    assert r.returncode == 0 and r.stderr == "" and "re-scored" in r.stdout


def test_crawl_in_a_terminal_shows_a_progress_bar(tmp_path, marketplaces):
    tmux = shutil.which("tmux")
    assert tmux, "tmux is needed for this test (installed by .ci/run and scripts/install-system-deps.sh)"
    db = tmp_path / "t.db"
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db).returncode == 0
    cmd = shlex.join([sys.executable, "-m", "brandsweep.cli", "--db", str(db),
                      "crawl", "shopfront", "--base-url", marketplaces.urls["shopfront"]])
    done = tmp_path / "done"
    socket = f"brandsweep-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
    env.pop("BRANDSWEEP_PROGRESS", None)
    subprocess.run([tmux, "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "150", "-y", "20",
                    f"cd {shlex.quote(str(ROOT))} && {cmd}; touch {shlex.quote(str(done))}; sleep 120"],
                   check=True, env=env, timeout=30)
    try:
        frames: list[str] = []
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            frames.append(subprocess.run([tmux, "-L", socket, "capture-pane", "-p", "-e", "-t", "0"],
                                         capture_output=True, text=True, check=True, env=env).stdout)
            if done.exists():
                break
            time.sleep(0.2)
        assert done.exists(), frames[-1]
        final = subprocess.run([tmux, "-L", socket, "capture-pane", "-p", "-t", "0"],
                               capture_output=True, text=True, check=True, env=env).stdout
    finally:
        subprocess.run([tmux, "-L", socket, "kill-server"], env=env, timeout=30)
    bar = [line for line in final.splitlines() if "crawl shopfront" in line]
    assert bar and "━" in bar[0], final
    m = re.search(r"(\d+)/(\d+)", bar[0])
    assert m and m.group(1) == m.group(2) and int(m.group(2)) > 10, bar[0]
    assert re.search(r"run \d+ shopfront: ok", final)
    assert any("\x1b[" in f for f in frames)  # drawn with terminal escape sequences (colours, cursor moves)
    assert not re.search(r"^crawl shopfront: done", final, re.MULTILINE)  # no plain log lines in a terminal
