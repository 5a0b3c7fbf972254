"""Decoding HTML bytes: declared charsets widened to their superset, sniffing, undecodable bytes counted."""

from __future__ import annotations

from brandsweep.crawler.pages.encoding import decode_html

TEXT = "耐克 Air Max 运动鞋 €99"


def test_gbk_label_reads_gb18030_only_characters():
    # '𠀀' and '€' have no GBK code; GB18030 has both. A page labelled GBK carrying them still decodes.
    body = f"<html><body>{TEXT} 𠀀</body></html>".encode("gb18030")
    out = decode_html(body, "text/html; charset=GBK")
    assert out.encoding == "gb18030" and out.declared and out.undecodable == 0
    assert TEXT in out.text and "𠀀" in out.text


def test_meta_charset_is_used_when_the_header_has_none():
    body = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>{TEXT}'.encode(
        "gb18030")
    out = decode_html(body, "text/html")
    assert out.declared and TEXT in out.text


def test_undeclared_gbk_is_sniffed_not_read_as_latin1():
    body = f"<html><body>{TEXT}</body></html>".encode("gb18030")
    out = decode_html(body, "text/html")
    assert (out.encoding, out.declared, out.undecodable) == ("gb18030", False, 0)
    assert TEXT in out.text


def test_undeclared_utf8_stays_utf8():
    out = decode_html(f"<p>{TEXT}</p>".encode(), None)
    assert (out.encoding, out.undecodable) == ("utf-8", 0) and TEXT in out.text


def test_undecodable_bytes_are_counted_and_the_rest_kept():
    body = "<p>耐克</p>".encode("gbk") + b"\xff\xff\x81" + "<p>阿迪达斯</p>".encode("gbk")
    out = decode_html(body, "text/html; charset=gbk")
    assert out.undecodable == 3
    assert "耐克" in out.text and "阿迪达斯" in out.text and out.text.count("\ufffd") >= 1


def test_bom_wins():
    out = decode_html(b"\xef\xbb\xbf" + TEXT.encode(), "text/html; charset=gbk")
    assert out.encoding == "utf-8" and out.text == TEXT
