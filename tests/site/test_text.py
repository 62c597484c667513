"""Record text rendering: the plain-text shortcut gives what Markdown gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.views import text

ALPHABET = "ab中文 \n\t.-1)2*#>_|+`=:，。<&\"'[]!~h"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_shortcut_matches_markdown(value: str) -> None:
    text._md.reset()
    assert str(text.render(value)) == text._md.convert(value)


def test_raw_html_and_script_links_are_inert() -> None:
    html = str(text.render("<script>x</script> [a](javascript:alert(1)) [b](java\tscript:x) [c](https://e.org)"))
    assert "<script>" not in html and "javascript:" not in html and 'href="https://e.org"' in html
