"""``yingji cap ...`` contracts, in-process and through the installed console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from yingji.cli import main

from .factory import cap_xml, sample

YINGJI = Path(sys.executable).with_name("yingji")
VALIDATE_KEYS = {"file", "well_formed", "schema_valid", "signature", "valid", "errors", "warnings"}


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_json_list_in_argument_order(capsys: pytest.CaptureFixture[str]) -> None:
    files = [
        str(sample("sc-meteo-composer-signed-valid.xml")),
        str(sample("oasis-cap12-example-a4-amber-alert-en-es.xml")),
    ]
    code, out, _ = _run(capsys, "cap", "validate", *files, "--json")
    data = json.loads(out)
    assert code == 0
    assert [d["file"] for d in data] == files
    for d in data:
        assert set(d) == VALIDATE_KEYS
        assert d["signature"] in ("absent", "valid", "invalid")
        assert isinstance(d["valid"], bool) and isinstance(d["errors"], list)
    assert data[0]["signature"] == "valid"


def test_validate_invalid_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    files = [
        str(sample("oasis-cap12-example-a4-amber-alert-en-es.xml")),
        str(sample("malformed-ca-eccc-empty-references.xml")),
    ]
    code, out, _ = _run(capsys, "cap", "validate", *files, "--json")
    data = json.loads(out)
    assert code == 1
    assert [d["valid"] for d in data] == [True, False]
    for err in data[1]["errors"]:
        assert set(err) == {"rule", "path", "message"}
    assert "alert.references.required" in {e["rule"] for e in data[1]["errors"]}


def test_validate_missing_file_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(
        capsys, "cap", "validate", str(sample("cn-cma-baoding-lightning-yellow-update-en-zh.xml")), "nope.xml"
    )
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "nope.xml" in err


def test_validate_text_mode(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "cap", "validate", str(sample("malformed-ca-eccc-empty-references.xml")))
    assert code == 1 and "INVALID" in out and "alert.references.required" in out


def test_parse_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "cap", "parse", str(sample("cn-cma-baoding-lightning-yellow-update-en-zh.xml")), "--json"
    )
    data = json.loads(out)
    assert code == 0
    assert data["msgType"] == "Update" and data["scope"] == "Public"
    assert data["references"] == [
        {
            "sender": "Baoding_Meteorological_Observatory",
            "identifier": "13060041600000_20240712073642",
            "sent": "2024-07-12T21:31:38+08:00",
        }
    ]
    zh = data["info"][1]
    assert zh["event"] == "雷电" and "雷电黄色预警" in zh["headline"]  # ensure_ascii=False
    assert "雷电" in out
    area = zh["area"][0]
    assert area["geocode"] == [{"valueName": "CPEAS Geographic Code", "value": "130602000000"}]
    assert area["polygon"] == [] and area["circle"] == [] and area["altitude"] is None


def test_parse_rejects_non_cap(capsys: pytest.CaptureFixture[str]) -> None:
    for name in (
        "malformed-tw-wrong-namespace.xml",
        "security-xxe-external-entities.xml",
        "feed-nws-atom-index.xml",
    ):
        code, out, err = _run(capsys, "cap", "parse", str(sample(name)), "--json")
        assert code == 2 and out == "" and err.count("\n") == 1, name
        assert "Traceback" not in err


def test_assess_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = _run(
        capsys, "cap", "assess", str(sample("cn-cma-baoding-lightning-yellow-update-en-zh.xml")), "--json"
    )
    data = json.loads(out)
    assert code == 0
    assert data["identifier"] == "13060041600000_20240712213138"
    assert data["intersects_county"] is False and data["affected_divisions"] == []
    f = tmp_path / "yq.xml"
    f.write_bytes(
        cap_xml(
            info="<info><category>Met</category><event>大风</event><urgency>Expected</urgency>"
            "<severity>Moderate</severity><certainty>Likely</certainty><area><areaDesc>焉耆县</areaDesc>"
            "<geocode><valueName>CPEAS Geographic Code</valueName><value>652826000000</value></geocode>"
            "</area></info>"
        )
    )
    code, out, _ = _run(capsys, "cap", "assess", str(f), "--json")
    data = json.loads(out)
    assert data["intersects_county"] is True and data["population"] == 122961
    assert isinstance(data["population_basis"], str)
    for d in data["affected_divisions"]:
        assert {"code", "name", "level", "population", "population_year"} <= set(d)


def test_feed_and_lineage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "cap", "feed", str(sample("feed-nyalert-rss-index.xml")), "--json")
    assert code == 0 and len(json.loads(out)) == 2
    code, out, _ = _run(
        capsys,
        "cap",
        "lineage",
        str(sample("cn-cma-baoding-lightning-yellow-update-en-zh.xml")),
        "--json",
        "--as-of",
        "2024-07-12T22:00:00+08:00",
    )
    data = json.loads(out)
    assert code == 0 and data["active"][0]["identifier"] == "13060041600000_20240712213138"
    assert data["retired"] == []  # the referenced original is not in the list
    code, _, err = _run(
        capsys,
        "cap",
        "lineage",
        str(sample("cn-cma-baoding-lightning-yellow-update-en-zh.xml")),
        "--as-of",
        "today",
    )
    assert code == 2 and err.count("\n") == 1


def test_console_script_subprocess() -> None:
    ok = subprocess.run(
        [
            str(YINGJI),
            "cap",
            "validate",
            str(sample("sc-meteo-composer-signed-bad-signature-value.xml")),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 1
    (report,) = json.loads(ok.stdout)
    assert report["signature"] == "invalid" and report["valid"] is False
    missing = subprocess.run(
        [str(YINGJI), "cap", "validate", "/no/such/file.xml"], capture_output=True, text=True, check=False
    )
    assert missing.returncode == 2 and missing.stdout == ""
    assert len(missing.stderr.strip().splitlines()) == 1 and "Traceback" not in missing.stderr
