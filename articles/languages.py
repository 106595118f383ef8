"""The languages of the site: each of `settings.LANGUAGES` is an edition of its own.

A story is written in one language and read in that edition only; the default
language's pages have no prefix (/sections/war/), the others have one
(/uk/sections/war/). The reader's language is the one of the address, set by
Django's `LocaleMiddleware` from `i18n_patterns`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def language_codes() -> list[str]:
    """Return the codes of the site's languages, the default first."""
    codes = [code for code, _name in settings.LANGUAGES]
    return sorted(codes, key=lambda code: code != settings.LANGUAGE_CODE)


def language_name(code: str) -> str:
    """Return a language's name in that language ("Українська"), for switchers and lists."""
    return dict(settings.LANGUAGES).get(code, code)


def language_choices() -> list[tuple[str, str]]:
    """Return the site's languages as form choices."""
    return [(code, language_name(code)) for code in language_codes()]


def validate_language(value: str) -> None:
    """Refuse a language the site has no edition for."""
    if value not in dict(settings.LANGUAGES):
        raise ValidationError(
            _("“%(value)s” is not one of the site’s languages (%(codes)s)."),
            code="invalid_language",
            params={"value": value, "codes": ", ".join(language_codes())},
        )


def site_language(tag: str) -> str | None:
    """Return the site's language a BCP 47 tag names ("uk", "uk-UA", "UK"), or None."""
    tag = tag.strip().lower().replace("_", "-")
    codes = dict(settings.LANGUAGES)
    if tag in codes:
        return tag
    primary = tag.split("-", 1)[0]
    return primary if primary in codes else None


def reader_language() -> str:
    """Return the language of the page being served (the default outside a request)."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def locale_name(code: str) -> str:
    """Return the Open Graph locale of a language ("uk" → "uk_UA")."""
    return OG_LOCALES.get(code, translation.to_locale(code))


# The country Open Graph pairs with each language when the code names none.
OG_LOCALES = {"en": "en_GB", "uk": "uk_UA", "de": "de_DE", "fr": "fr_FR", "pl": "pl_PL"}


def edition_alternates(request) -> list[tuple[str, str]]:
    """Return the page being served in each edition, as (language, address) pairs.

    For pages every edition has (home, sections, sources): the same address
    under each language's prefix.
    """
    return [
        (code, settings.SITE_URL + translate_url(request.path, code)) for code in language_codes()
    ]


def story_alternates(article) -> dict:
    """Return the hreflang links of a story's page: its published editions, and `x-default`.

    `article.editions` is the `published_editions()` annotation. `x-default` is
    the default language's edition, else the original. A story with no other
    published edition has none.
    """
    editions = getattr(article, "editions", None) or []
    if len(editions) < 2:
        return {}
    alternates = [
        (edition["language"], settings.SITE_URL + story_url(edition))
        for edition in sorted(editions, key=lambda e: e["language"] != settings.LANGUAGE_CODE)
    ]
    original_pk = article.translation_of_id or article.pk
    default = next(
        (url for code, url in alternates if code == settings.LANGUAGE_CODE),
        next(
            (settings.SITE_URL + story_url(e) for e in editions if e["pk"] == original_pk),
            alternates[0][1],
        ),
    )
    return {"alternates": alternates, "x_default": default}


def story_url(edition: dict) -> str:
    """Return the address of one edition of a story, from its pk, slug and language."""
    with translation.override(edition["language"]):
        return reverse("articles:detail", kwargs={"pk": edition["pk"], "slug": edition["slug"]})
