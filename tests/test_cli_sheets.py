"""``python -m funnel infer URL`` and ``report URL --spec`` against the fake Google: public links,
a private sheet with ``--credentials`` or $GOOGLE_APPLICATION_CREDENTIALS, and clear failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from funnel.cli import CREDENTIALS_ENV, main
from funnel.io import google_access
from tests.e2e_support import WON, small_deals
from tests.fake_google import SA_EMAIL, Spreadsheet, Tab, fake_google, service_account_key

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = "1PublicSheetAbCdEfGhIjKlMnOpQrStUvWxYz012"
PRIVATE = "1PrivateSheetAbCdEfGhIjKlMnOpQrStUvWxYz01"
PUBLIC_URL = f"https://docs.google.com/spreadsheets/d/{PUBLIC}/edit#gid=77"
PRIVATE_URL = f"https://docs.google.com/spreadsheets/d/{PRIVATE}/edit"
FRAME = small_deals(40)
ROWS = [list(map(str, FRAME.columns)), *FRAME.astype(str).values.tolist()]


@pytest.fixture(scope="module")
def sa_key():
    return service_account_key()


@pytest.fixture
def fake(monkeypatch, sa_key):
    with fake_google() as fake:
        fake.sheets[PUBLIC] = Spreadsheet("Сделки", {77: Tab("Май", ROWS)})
        fake.sheets[PRIVATE] = Spreadsheet(
            "CRM", {5: Tab("Сделки", ROWS), 9: Tab("Архив", ROWS[:8])}, public=False
        )
        fake.sheets[PRIVATE].shared_with.add(SA_EMAIL)
        fake.add_key(sa_key)
        monkeypatch.setenv(google_access.LOOPBACK_ENV, fake.address)
        monkeypatch.delenv(CREDENTIALS_ENV, raising=False)
        yield fake


@pytest.fixture
def key_file(tmp_path, sa_key):
    path = tmp_path / "key.json"
    path.write_text(json.dumps(sa_key), encoding="utf-8")
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_infer_then_report_a_public_link(fake, capsys, tmp_path):
    rc, spec_text, err = run(capsys, "infer", PUBLIC_URL)
    assert rc == 0, err
    assert spec_text.startswith(f"# proposed by voronka from {PUBLIC_URL}")
    spec = tmp_path / "spec.yaml"
    spec.write_text(spec_text, encoding="utf-8")
    rc, out, err = run(capsys, "report", PUBLIC_URL, "--spec", str(spec))
    assert rc == 0, err
    report = json.loads(out)
    assert report["source"]["file"] == PUBLIC_URL
    assert report["source"]["rows"] == report["total"]["deals"] == 40
    assert report["total"]["won"] == int((FRAME["Этап сделки"] == WON).sum())


def test_private_sheet_with_credentials_option_or_env(
    fake, capsys, key_file, tmp_path, monkeypatch
):
    rc, spec_text, err = run(capsys, "infer", PRIVATE_URL, "--credentials", str(key_file))
    assert rc == 0, err
    assert "# sheet: Сделки, header on row 1" in spec_text
    spec = tmp_path / "spec.yaml"
    spec.write_text(spec_text, encoding="utf-8")
    monkeypatch.setenv(CREDENTIALS_ENV, str(key_file))
    rc, out, err = run(capsys, "report", PRIVATE_URL, "--spec", str(spec), "--sheet", "Архив")
    assert rc == 0, err
    report = json.loads(out)
    assert (report["source"]["sheet"], report["total"]["deals"]) == ("Архив", 7)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["infer", "https://example.com/deals.csv"], "Only Google Sheets links"),
        (["infer", PRIVATE_URL], "not shared"),
        (["infer", PRIVATE_URL, "--credentials", "/nonexistent/key.json"], "key file"),
        (["infer", f"https://docs.google.com/spreadsheets/d/{'9' * 40}/edit"], "No such"),
    ],
)
def test_failures_are_one_line_and_exit_2(fake, capsys, args, words):
    rc, out, err = run(capsys, *args)
    assert rc == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and words in err, err
    if "example.com" in args[1]:
        assert fake.log == []


def test_the_real_entry_point_reads_a_link(fake):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-m", "funnel", "infer", PUBLIC_URL],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "stages:" in out.stdout and "Этап сделки" in out.stdout


def test_a_key_google_rejects_says_so(fake, capsys, tmp_path):
    """A well-formed key Google does not accept (deleted, revoked) is not called malformed."""
    path = tmp_path / "old-key.json"
    path.write_text(json.dumps(service_account_key()), encoding="utf-8")
    rc, out, err = run(capsys, "infer", PRIVATE_URL, "--credentials", str(path))
    assert rc == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Google rejected the service account key" in err
    assert "cannot be used" not in err and "PRIVATE KEY" not in err
