"""URL converters shared by the site's URL patterns."""


class UnicodeSlugConverter:
    """A slug that may hold non-Latin letters ("вишиванка"), as slugify(allow_unicode=True) makes.

    Anything else, including control characters PostgreSQL would refuse, never
    reaches a query: the URL simply does not match.
    """

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
