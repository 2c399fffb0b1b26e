"""Index feeds (Atom/RSS) and the severity ↔ Chinese colour/level mapping."""

from __future__ import annotations

import pytest

from yingji.engines.warnings.colour import detect_level, level_for_severity, severity_for_colour
from yingji.engines.warnings.errors import CapNotWellFormedError, NotCapError
from yingji.engines.warnings.feeds import FeedLink, best_link, parse_feed
from yingji.engines.warnings.parse import parse_file

from .factory import cap_xml, sample


def test_nws_atom_index() -> None:
    entries = parse_feed(sample("feed-nws-atom-index.xml").read_bytes())
    assert len(entries) == 2
    assert entries[0].link.startswith("http://www.weather.gov/alerts-beta/wwacapget.php?x=CT2010")
    assert entries[0].updated == "2010-08-30T23:04:00-04:00"


def test_rss_indexes() -> None:
    ny = parse_feed(sample("feed-nyalert-rss-index.xml").read_bytes())
    assert [e.id for e in ny] == ["NYAlert-ALLHAZALERT-3167113", "NYAlert-ALLHAZALERT-3162202"]
    assert ny[0].link.endswith("capID=NYAlert-ALLHAZALERT-3167113")
    bom = parse_feed(sample("feed-wmo-alerthub-rss-au-bom.xml").read_bytes())
    assert len(bom) == 1
    assert bom[0].link.endswith("02-dc6fc32e272f13d57f3fb683aa6bd3b8.xml")  # the item's link, not the image's
    assert bom[0].id.startswith("AusBoM-IDW20100")


def test_bad_utf8_feed() -> None:
    data = sample("malformed-feed-naad-atom-bad-utf8-georss.xml").read_bytes()
    with pytest.raises(CapNotWellFormedError):
        parse_feed(data)
    entries = parse_feed(data, recover=True)
    assert len(entries) == 1 and entries[0].link.endswith("2.49.0.1.124.41b6352f.2014.xml")


def test_cap_link_is_preferred() -> None:
    links = (
        FeedLink("http://x/page.html", "alternate", "text/html"),
        FeedLink("http://x/alert.cap", "alternate", "application/cap+xml"),
    )
    assert best_link(links) == "http://x/alert.cap"
    feed = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><title>t</title>'
        b'<updated>2024-07-12T08:00:00+08:00</updated><link rel="self" href="http://x/self"/>'
        b'<link rel="alternate" type="text/html" href="http://x/h"/>'
        b'<link rel="related" type="application/cap+xml" href="http://x/c.xml"/></entry></feed>'
    )
    assert parse_feed(feed)[0].link == "http://x/c.xml"
    assert best_link(()) == ""


def test_not_a_feed() -> None:
    with pytest.raises(NotCapError):
        parse_feed(cap_xml())


@pytest.mark.parametrize(
    ("severity", "colour", "level"),
    [
        ("Extreme", "红色", "Ⅰ级"),
        ("Severe", "橙色", "Ⅱ级"),
        ("Moderate", "黄色", "Ⅲ级"),
        ("Minor", "蓝色", "Ⅳ级"),
    ],
)
def test_mapping_round_trip(severity: str, colour: str, level: str) -> None:
    lv = level_for_severity(severity)
    assert lv is not None and (lv.colour_zh, lv.level) == (colour, level)
    assert severity_for_colour(colour) == severity
    assert severity_for_colour(lv.colour_en) == severity
    assert level_for_severity("Unknown") is None


def test_cma_sample_colour_agrees_with_severity() -> None:
    # Real CMA data: "雷电黄色预警[Ⅲ级/较重]" with <severity>Moderate</severity> (GB/T 35965.1 mapping).
    cma = parse_file(sample("cn-cma-baoding-lightning-yellow-update-en-zh.xml"))
    for info in cma.infos:
        lv = detect_level(info.headline or "")
        assert lv is not None and lv.severity == info.severity == "Moderate"


def test_taiwan_alert_colour_parameter() -> None:
    tw = parse_file(sample("tw-wra-reservoir-release-zh-tw-bom.xml"))
    colour = next(p.value for p in tw.infos[0].parameters if p.value_name == "alert_color")
    assert severity_for_colour(colour) == "Extreme"  # 紅色 (traditional)


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("雷电黄色预警", "Moderate"),
        ("焉耆县气象台发布大风蓝色预警信号", "Minor"),
        ("暴雨红色预警", "Extreme"),
        ("高温橙色预警信号", "Severe"),
        ("寒潮预警 Ⅱ级", "Severe"),
        ("Level IV 级", "Minor"),
        ("Baoding updates lightning yellow warning", "Moderate"),
    ],
)
def test_detect_level(text: str, severity: str) -> None:
    lv = detect_level(text)
    assert lv is not None and lv.severity == severity


def test_detect_level_none() -> None:
    assert detect_level("大风预警") is None
    assert detect_level("红色的车") is None
