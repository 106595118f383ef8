"""Forms of the reader's site."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import slug_unicode_re
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from articles.context_processors import navigation_sections
from articles.models import Section
from articles.subjects import TOPIC
from sources.models import Source
from topics.models import Topic

QUERY_MAX_LENGTH = 200
# No topic, source or section slug is longer.
SLUG_MAX_LENGTH = 100


class ChoiceList(forms.Select):
    """A drop-down rendered in Python rather than from a template per option.

    Django renders every <option> through two template includes: for the fifty
    sources of an agency's search form that cost more than the search itself.
    The markup is the same as Django's.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


class CalendarDateInput(forms.DateInput):
    """A browser's date picker, `<input type="date">`, holding a date or nothing.

    HTML allows only a YYYY-MM-DD date as its value: a date typed in another
    format the form reads is shown as one, and text that is no date is left out
    rather than echoed back (the field's error says what to enter).
    """

    input_type = "date"

    def format_value(self, value) -> str | None:
        if not isinstance(value, date):
            try:
                value = forms.DateField().to_python(value)
            except ValidationError:
                return None
        return value.isoformat() if value else None


def source_choices() -> list[tuple[str, str]]:
    """Return each source's slug and name."""
    return list(Source.objects.values_list("slug", "name"))


class SlugChoiceField(forms.ModelChoiceField):
    """Choose an object by its slug, as in the address of its page."""

    def __init__(self, queryset, **kwargs) -> None:
        super().__init__(queryset, to_field_name="slug", **kwargs)

    def to_python(self, value):
        if value not in self.empty_values:
            self.check_shape(str(value))
        return super().to_python(value)

    def check_shape(self, text: str) -> None:
        # Anything that cannot be a slug (a NUL byte, a whole paragraph) is refused
        # before it reaches the database.
        if len(text) > SLUG_MAX_LENGTH or not slug_unicode_re.match(text):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )


class TopicField(SlugChoiceField):
    """Choose a public topic by its slug in the edition's language, as on its page."""

    def to_python(self, value) -> Topic | None:
        if value in self.empty_values:
            return None
        self.check_shape(str(value))
        topic = TOPIC.find(str(value))
        if topic is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return topic


class SearchForm(forms.Form):
    """What a reader searches for, and the filters that narrow it.

    Every field is optional: words alone, filters alone (every story on a topic
    in one week) or both. `has_criteria()` tells whether there is anything to search.
    """

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        widget=forms.SearchInput,
        help_text=_(
            "Words, a “quoted phrase”, -word to leave a word out, or “or” between two words."
        ),
        error_messages={
            "max_length": _("Search for at most %(limit_value)d characters."),
        },
    )
    # A topic that only unpublished stories use, or that no moderator has approved,
    # is nobody's business yet: searching it is an unknown topic, not an empty result.
    topic = TopicField(
        Topic.objects.none(),  # Found by `to_python`, with the clock and the edition.
        required=False,
        # Tens of thousands of topics make no drop-down; topic pages link here with it.
        widget=forms.TextInput,
        label=_("Topic"),
        help_text=_("As in the address of the topic’s page, e.g. human-rights."),
        error_messages={"invalid_choice": _("There is no topic with that address.")},
    )
    source = SlugChoiceField(
        Source.objects.only("slug", "name"),
        required=False,
        widget=ChoiceList,
        label=_("Source"),
        empty_label=_("Any source"),
        error_messages={"invalid_choice": _("There is no such source.")},
    )
    section = SlugChoiceField(
        Section.objects.only("slug", "name", "names"),
        required=False,
        widget=ChoiceList,
        label=_("Section"),
        empty_label=_("Any section"),
        error_messages={"invalid_choice": _("There is no such section.")},
    )
    date_from = forms.DateField(
        label=_("Published from"),
        required=False,
        widget=CalendarDateInput,
        error_messages={"invalid": _("Enter a date such as 2025-03-31.")},
    )
    date_to = forms.DateField(
        label=_("Published until"),
        required=False,
        widget=CalendarDateInput,
        error_messages={"invalid": _("Enter a date such as 2025-03-31.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The drop-downs list the sources and sections; a chosen slug is still looked up.
        self.fields["source"].widget.choices = [("", _("Any source")), *source_choices()]
        self.fields["section"].widget.choices = [
            ("", _("Any section")),
            *((section.slug, section.local_name) for section in navigation_sections()),
        ]

    def clean(self) -> dict:
        cleaned_data = super().clean()
        date_from, date_to = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("This date must not be before the “Published from” date."))
        return cleaned_data

    def has_criteria(self) -> bool:
        """Return whether the valid form asks for anything at all."""
        return any(self.cleaned_data.get(name) for name in self.fields)
