"""Highlighting: folded matching mapped back to the original text, best fragments, safe HTML."""

from __future__ import annotations

import unicodedata

from ttdn.search import Fragment, highlight, parse_query, to_html

TEXT = (
    "Tranh chấp ở Biển Đông kéo dài nhiều năm. Quần đảo Hoàng Sa và Trường Sa thuộc chủ quyền "
    "của Việt Nam, theo luật pháp quốc tế. " + "Báo chí nước ngoài đưa tin về kinh tế và du lịch. " * 8 + "Ở Sài Gòn, "
    "người ta vẫn nhắc đến Hoàng  Sa, và Khánh Hoà cũng vậy."
)


def _marked(fragment: Fragment) -> list[str]:
    return [fragment.text[a:b] for a, b in fragment.spans]


def test_unaccented_terms_mark_the_original_words() -> None:
    fragments = highlight(TEXT, ["hoang sa"], fragment_chars=80)
    assert [_marked(f) for f in fragments] == [["Hoàng Sa"], ["Hoàng  Sa"]]


def test_spans_are_relative_and_point_into_the_original() -> None:
    for fragment in highlight(TEXT, ["trường sa", "Việt Nam", "khanh hoa"]):
        assert TEXT[fragment.start : fragment.start + len(fragment.text)] == fragment.text
        for a, b in fragment.spans:
            assert 0 <= a < b <= len(fragment.text)


def test_nfd_text_maps_offsets_back() -> None:
    nfd = unicodedata.normalize("NFD", TEXT)
    assert len(nfd) > len(TEXT)
    marked = [m for f in highlight(nfd, ["hoang sa", "khánh hòa"], fragment_chars=80) for m in _marked(f)]
    assert [unicodedata.normalize("NFC", m) for m in marked] == ["Hoàng Sa", "Hoàng  Sa", "Khánh Hoà"]


def test_invisible_and_length_changing_characters() -> None:
    text = "İSTANBUL, Hà Nộ\u00adi, Ha\u200b Long"
    fragments = highlight(text, ["ha noi", "ha long", "istanbul"])
    assert _marked(fragments[0]) == ["İSTANBUL", "Hà Nộ\u00adi", "Ha\u200b Long"]


def test_latin_terms_match_whole_words_only() -> None:
    text = "Saigon and Sarawak are not Sa; sang trọng neither."
    assert [_marked(f) for f in highlight("Hoàng Sa Sa", ["sa"])] == [["Sa Sa"]]
    fragments = highlight(text, ["sa"])
    assert [_marked(f) for f in fragments] == [["Sa"]]


def test_cjk_terms_match_as_substrings() -> None:
    text = "越南和中国的关系。ベトナムの経済は成長している。"
    fragments = highlight(text, ["越南", "ベトナム"])
    assert _marked(fragments[0]) == ["越南", "ベトナム"]
    assert highlight(text, parse_query("中国 経済").terms)[0].spans


def test_query_terms_feed_the_highlighter() -> None:
    parsed = parse_query('"Biển Đông" chủ quyền -china')
    fragments = highlight(TEXT, parsed.terms)
    assert _marked(fragments[0]) == ["Biển Đông", "chủ quyền"]


def test_best_fragment_has_the_most_distinct_terms() -> None:
    filler = "Lorem ipsum dolor sit amet. " * 20
    text = f"vietnam alone. {filler} laos and vietnam and cambodia together. {filler} cambodia again."
    fragments = highlight(text, ["vietnam", "laos", "cambodia"], max_fragments=1, fragment_chars=60)
    assert len(fragments) == 1
    assert _marked(fragments[0]) == ["laos", "vietnam", "cambodia"]
    assert len(fragments[0].text) <= 60


def test_fragments_in_reading_order_and_bounded() -> None:
    fragments = highlight(TEXT, ["hoang sa", "bien dong", "khanh hoa"], max_fragments=2, fragment_chars=60)
    assert len(fragments) == 2
    assert fragments[0].start < fragments[1].start
    assert fragments[0].text == fragments[0].text.strip()
    assert "\n" not in highlight("a\nvietnam\nb", ["vietnam"])[0].text


def test_no_match_no_terms_no_text() -> None:
    assert highlight(TEXT, ["moscow"]) == []
    assert highlight(TEXT, []) == []
    assert highlight("", ["vietnam"]) == []
    assert highlight(TEXT, ["..."]) == []


def test_html_escapes_everything_but_marks() -> None:
    text = 'Vietnam <script>alert("x")</script> & <b onclick="y">Laos</b>'
    (fragment,) = highlight(text, ["vietnam", "script", "laos"])
    html = to_html(fragment)
    assert "<script" not in html and "<b" not in html and 'onclick="' not in html
    assert html.startswith("<mark>Vietnam</mark> &lt;<mark>script</mark>&gt;alert(&quot;x&quot;)")
    assert html.count("<mark>") == html.count("</mark>") == 4
    assert html.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_html_ignores_bad_spans() -> None:
    assert to_html(Fragment("<i>ab</i>", [(0, 3), (1, 2), (5, 5)])) == "<mark>&lt;i&gt;</mark>ab&lt;/i&gt;"
