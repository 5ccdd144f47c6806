import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from earful.river import actions
from earful.river.models import ImportRun, Mention

EARFUL = str(Path(sys.executable).parent / "earful")


def run_import(*args) -> tuple[list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue()


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


@pytest.mark.django_db
def test_import_reports_counts_and_each_rejected_line(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_bytes(
        b'{"id": "a", "text": "The Arc phone battery is great", "author": "ann"}\n'
        b'{"id": "b", "text": ""}\n'
        b"not json\n"
        b'{"id": "a", "text": "The Arc phone battery is great", "author": "ann"}\n'
        b'{"id": "c", "text": "Shipping took forever", "published_at": "yesterday"}\n'
        b'{"id": "d", "text": "<p>&nbsp;</p>"}\n'
        b'{"id": "e", "text": "Nice store in Lyon", "published_at": "2026-11-01T10:00:00Z"}\n'
    )
    lines, _ = run_import(str(path), "--source", "export")
    assert lines[-1] == "imported=2 duplicates=1 rejected=4"
    rejected = [line for line in lines if line.startswith("rejected line")]
    assert [line.split(":")[0] for line in rejected] == [
        "rejected line 2",
        "rejected line 3",
        "rejected line 5",
        "rejected line 6",
    ]
    assert "text is required" in rejected[0]
    assert "not ISO 8601" in rejected[2]
    assert Mention.objects.count() == 2
    assert Mention.objects.get(external_id="e").published_at.isoformat().startswith("2026-11-01")


@pytest.mark.django_db
def test_importing_the_same_file_twice_stores_nothing_twice(tmp_path):
    path = write_jsonl(
        tmp_path / "m.jsonl", [{"id": str(i), "text": f"post {i}"} for i in range(50)]
    )
    assert run_import(str(path), "--source", "s")[0][-1] == "imported=50 duplicates=0 rejected=0"
    assert run_import(str(path), "--source", "s")[0][-1] == "imported=0 duplicates=50 rejected=0"
    assert Mention.objects.count() == 50


@pytest.mark.django_db
def test_csv_import_with_a_column_mapping(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "tweet_id,body,user,when\n"
        '1,"Love the Pulse watch, really",kim,2026-10-01T08:00:00+02:00\n'
        "2,,lee,\n"
        "3,Battery drains fast,lee,2026-10-02\n"
    )
    lines, _ = run_import(
        str(path), "--source", "csv", "--map", "id=tweet_id", "--map", "text=body",
        "--map", "author=user", "--map", "published_at=when",
    )  # fmt: skip
    assert lines[-1] == "imported=2 duplicates=0 rejected=1"
    assert lines[0].startswith("rejected line 3: text is required")
    mention = Mention.objects.get(external_id="1")
    assert mention.author.handle == "kim"
    assert mention.published_at.isoformat() == "2026-10-01T06:00:00+00:00"


@pytest.mark.django_db
def test_unreadable_files_fail_with_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run_import(str(tmp_path / "missing.jsonl"), "--source", "s")
    with pytest.raises(CommandError, match="not a file"):
        run_import(str(tmp_path), "--source", "s")
    with pytest.raises(CommandError, match="--format"):
        (tmp_path / "data.xlsx").write_text("x")
        run_import(str(tmp_path / "data.xlsx"), "--source", "s")
    with pytest.raises(CommandError, match="--map"):
        (tmp_path / "ok.jsonl").write_text("{}\n")
        run_import(str(tmp_path / "ok.jsonl"), "--source", "s", "--map", "bogus")


@pytest.mark.django_db(transaction=True)
def test_an_interrupted_import_resumes_and_stores_every_row_once(tmp_path):
    rows = [{"text": f"row number {i} about the Arc"} for i in range(25)]  # keyed by content
    rows[7] = {"text": ""}
    path = write_jsonl(tmp_path / "m.jsonl", rows)

    class Crash(Exception):
        pass

    def crash_after_two_batches(progress):
        if progress.rows >= 10:
            raise Crash

    with pytest.raises(Crash):
        actions.import_file("s", path, batch_size=5, on_progress=crash_after_two_batches)
    assert Mention.objects.count() == 9
    assert ImportRun.objects.get().rows_done == 10

    report = actions.import_file("s", path, batch_size=5)
    assert (report.imported, report.duplicates, report.rejected) == (24, 0, 1)
    assert Mention.objects.count() == 24
    assert sorted(Mention.objects.values_list("text", flat=True)) == sorted(
        r["text"] for r in rows if r["text"]
    )


@pytest.mark.skipif(
    os.environ.get("EARFUL_DATABASE_URL", "").startswith("postgres"),
    reason="drives the command against its own SQLite file",
)
def test_import_killed_with_sigkill_and_run_again_has_every_row_exactly_once(tmp_path):
    count = 30_000
    path = tmp_path / "big.jsonl"
    with path.open("w") as out:
        for i in range(count):
            row = {"text": f"mention {i}: the Lumio Arc battery lasts {i % 97} hours"}
            if i % 3:
                row["id"] = f"id-{i}"
            out.write(json.dumps(row) + "\n")
    env = dict(os.environ, EARFUL_DATA_DIR=str(tmp_path / "data"))
    env.pop("EARFUL_DATABASE_URL", None)
    subprocess.run([EARFUL, "init"], env=env, check=True, capture_output=True)
    database = tmp_path / "data" / "earful.sqlite3"

    def rows_done() -> int:
        with sqlite3.connect(database) as db:
            row = db.execute("SELECT max(rows_done) FROM river_importrun").fetchone()
        return row[0] or 0

    command = [EARFUL, "import", str(path), "--source", "big", "--batch-size", "500"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while rows_done() < 3000 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 0 < rows_done() < count, "the import was not interrupted halfway"

    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == f"imported={count} duplicates=0 rejected=0"
    with sqlite3.connect(database) as db:
        stored = db.execute("SELECT count(*), count(DISTINCT text) FROM river_mention").fetchone()
        indexed = db.execute("SELECT count(*) FROM river_mention_fts").fetchone()
    assert stored == (count, count)
    assert indexed == (count,)


@pytest.mark.django_db
def test_big_imports_refresh_the_planners_statistics(tmp_path, monkeypatch):
    from earful.river import actions as river_actions
    from earful.river.store import refresh_statistics

    refresh_statistics()  # runs on this database without error
    calls = []
    monkeypatch.setattr(river_actions, "REFRESH_STATISTICS_AFTER", 2)
    monkeypatch.setattr(river_actions, "refresh_statistics", lambda: calls.append(1))
    small = tmp_path / "small.jsonl"
    small.write_text('{"id": "1", "text": "one"}\n', encoding="utf-8")
    river_actions.import_file("stats", small)
    assert calls == []
    big = tmp_path / "big.jsonl"
    big.write_text('{"id": "2", "text": "two"}\n{"id": "3", "text": "three"}\n', encoding="utf-8")
    river_actions.import_file("stats", big)
    assert calls == [1]


@pytest.mark.django_db
def test_an_import_leaves_the_garbage_collector_as_it_found_it(tmp_path):
    import gc

    before = (gc.get_threshold(), gc.get_freeze_count())
    path = write_jsonl(tmp_path / "m.jsonl", [{"text": "one"}, {"text": ""}])
    with pytest.raises(ZeroDivisionError):  # also when the import stops halfway
        actions.import_file("gc", path, on_progress=lambda progress: 1 / 0)
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
    assert actions.import_file("gc", path).imported == 1
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
