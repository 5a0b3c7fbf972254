"""Decoding HTML bytes: declared charsets widened to their superset, sniffing, undecodable bytes counted."""

from __future__ import annotations

import codecs

from brandsweep.crawler.pages.encoding import decode_counting, decode_html

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


WESTERN = "Herren-Laufschuh Größe 42, Qualität für Läufer: très légère et élégante, Preis 99,95 EUR"


def test_undeclared_windows_1252_is_read_as_browsers_do():
    # GB18030 reads these bytes without one error (é+t is a valid GBK pair): only the byte pattern tells.
    body = f"<html><head><title>Schuhe</title></head><body><h1>{WESTERN}</h1></body></html>".encode("cp1252")
    assert body.decode("gb18030") != body.decode("cp1252")
    out = decode_html(body, "text/html")
    assert (out.encoding, out.declared, out.undecodable) == ("cp1252", False, 0)
    assert WESTERN in out.text


def test_undeclared_cyrillic_is_detected():
    text = "Кроссовки мужские для бега, размер 42, оригинальное качество, доставка по всей России"
    out = decode_html(f"<html><body><p>{text}</p></body></html>".encode("cp1251"), None)
    assert out.encoding == "cp1251" and text in out.text


def test_utf8_with_a_stray_byte_stays_utf8():
    body = f"<p>{TEXT} {WESTERN}</p>".encode() + b"\xff" + b"<p>ok</p>"
    out = decode_html(body, None)
    assert (out.encoding, out.undecodable) == ("utf-8", 1) and TEXT in out.text and WESTERN in out.text


def test_declared_latin1_reads_windows_1252():
    out = decode_html("Preis 12 €".encode("cp1252"), "text/html; charset=ISO-8859-1")
    assert (out.encoding, out.text) == ("cp1252", "Preis 12 €")


def test_stateful_codec_counts_lost_bytes():
    body = "耐克".encode("utf-16-le") + b"\x00\xd8" + "x".encode("utf-16-le")  # a lone high surrogate
    out = decode_html(codecs.BOM_UTF16_LE + body, None)
    assert out.encoding == "utf-16-le" and out.undecodable == 2 and "耐克" in out.text


class _FedBytes:
    """A codec named ``bs-counting-utf8`` that decodes as UTF-8 and counts the bytes it is given."""

    def __init__(self) -> None:
        self.fed = 0

    def search(self, name: str) -> codecs.CodecInfo | None:
        if name != "bs_counting_utf8":
            return None

        def decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
            self.fed += len(data)
            return codecs.utf_8_decode(data, errors, True)

        return codecs.CodecInfo(name="bs-counting-utf8", encode=codecs.utf_8_encode, decode=decode)


def test_decoding_is_linear_in_the_body_however_many_bytes_are_undecodable():
    """The old loop re-decoded the rest of the body after every error: 2,000 errors in 8 KB fed
    the codec about 8 MB. The work must stay a small multiple of the body's size."""
    body = b"<p>\xff</p>" * 1000 + b"ok" + b"\xfe" * 1000
    counter = _FedBytes()
    codecs.register(counter.search)
    try:
        text, lost = decode_counting(body, "bs-counting-utf8")
    finally:
        codecs.unregister(counter.search)
    assert lost == 2000 and text.count("\ufffd") >= 1001 and "ok" in text
    assert counter.fed <= 3 * len(body), f"{counter.fed} bytes decoded for a {len(body)}-byte body"


def test_lone_windows_1252_symbols_count_as_western():
    body = "<p>Preis: 12 € – Versand 3 € © Shop</p>".encode("cp1252")
    assert decode_html(body, None).text == "<p>Preis: 12 € – Versand 3 € © Shop</p>"
