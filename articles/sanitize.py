"""The allow-list that article bodies are cleaned against before they are stored."""

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "q", "cite", "abbr", "figure", "figcaption", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_body(html: str) -> str:
    """Return `html` with everything outside the allow-list removed.

    Scripts, styles, event handlers, `javascript:` links and unknown tags never
    survive; the text inside a removed harmless tag (a Word `<span>`) is kept.
    """
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        clean_content_tags={"script", "style", "template", "iframe", "object", "noscript"},
        link_rel=None,
        strip_comments=True,
    ).strip()
