"""Bad input gets a clear answer and loses nothing: the run goes on and the summary counts it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from typer.testing import CliRunner

from dotterel import Coder
from dotterel.cli import app

runner = CliRunner()
GOOD = "Kenya and Uganda signed a trade agreement in Nairobi on Monday, officials said."


def test_mixed_directory_codes_everything_it_can(tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text("A headline\n" + GOOD, encoding="utf-8")
    (tmp_path / "b_latin1.txt").write_bytes("Caf\xe9 story\nLe caf\xe9 est ferm\xe9.".encode("latin-1"))
    (tmp_path / "c_binary.txt").write_bytes(b"\x00\x01\x02PNG\x00\x00" * 20)
    (tmp_path / "d_empty.txt").write_text("   \n\n  ", encoding="utf-8")
    (tmp_path / "e_french.txt").write_text(
        "Le président a déclaré vendredi que le pays est toujours prêt à contribuer à la résolution "
        "des questions internationales dans les limites de ses capacités et de son potentiel.",
        encoding="utf-8",
    )
    with gzip.open(tmp_path / "f.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "g1", "text": GOOD}) + "\n")
        f.write("{broken\n")
        f.write(json.dumps({"id": "g2", "text": "x" * 50}) + "\n")
    result = runner.invoke(app, ["code", str(tmp_path), "--no-text", "--max-chars", "40"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    codes = [[e["code"] for e in r["errors"]] for r in records]
    # a_good is longer than 40 characters too: the limit applies to every document.
    assert codes == [["too_long"], ["not_utf8"], ["binary"], ["empty_text"], ["too_long"], ["too_long"], ["too_long"]]
    assert "f.jsonl.gz:2: skipped: not valid JSON" in result.stderr
    assert "7 documents" in result.stderr and "7 with errors" in result.stderr and "1 input lines skipped" in result.stderr


def test_error_records_keep_the_document(coder: Coder) -> None:
    (record,) = list(coder.code_many([{"id": "fr", "text": "Bonjour à tous, ceci est un texte écrit en français pour le test de langue.", "pub_date": "2025-01-01"}]))
    data = record.to_dict()
    assert data["id"] == "fr" and data["pub_date"] == "2025-01-01"
    assert data["text"].startswith("Bonjour")
    assert data["errors"][0]["code"] == "not_english"
    assert data["events"] == [] and data["actors"] == []


def test_not_english_message_says_why(coder: Coder) -> None:
    record = coder.code("Президент заявил в пятницу, что страна всегда готова внести вклад в решение международных вопросов и проблем.")
    assert record.errors and record.errors[0].code == "not_english"
    assert "English" in record.errors[0].message
