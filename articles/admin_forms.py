"""The newsdesk's forms in the admin, and the fields and widgets they are built from.

The story's form (`ArticleAdminForm`) carries the version it was opened with
and refuses a save over someone else's (`conflict_message`), and asks
`articles.workflow` whether the change of status is allowed. The section form
edits a section's name in each language; the withdrawal form asks for the
reason partners are told. `articles.admin` puts them on its screens.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles import workflow
from articles.admin_display import local, person
from articles.languages import language_codes, language_name
from articles.models import Article, Section

Status = Article.Status

# The rich-text editor offers exactly what `articles.sanitize` keeps.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
}


def label_split_datetime(field: forms.Field | None) -> forms.Field | None:
    """Name the date and time boxes of an admin date-and-time field for screen readers.

    Django's widget shows "Date:" and "Time:" as plain text, labelling neither input.
    """
    widget = getattr(field, "widget", None)
    if isinstance(widget, AdminSplitDateTime):
        name = capfirst(field.label or "")
        widget.widgets[0].attrs["aria-label"] = gettext("%(field)s: date") % {"field": name}
        widget.widgets[1].attrs["aria-label"] = gettext("%(field)s: time") % {"field": name}
    return field


def word_count_forms() -> dict[str, str]:
    """Return the word count's wording for writing.js, one form per plural category.

    The script picks the category of the count with the browser's `Intl.PluralRules`
    and puts the number in place of "{count}". 1, 2 and 5 stand for the categories
    "one", "few" and "many" (and 5 for "other" among whole numbers) in the site's
    languages, English and Ukrainian.
    """
    forms = {}
    for category, sample in (("one", 1), ("few", 2), ("many", 5), ("other", 5)):
        wording = ngettext("%(count)s word", "%(count)s words", sample)
        forms[f"data-word-count-{category}"] = wording % {"count": "{count}"}
    return forms


def other_languages() -> list[str]:
    """Return the codes of the languages other than the default, whose names `names` holds."""
    return language_codes()[1:]


def section_name_field(code: str) -> str:
    """Return the name of the section form's field for the name in `code`."""
    return f"name_{code}"


class SectionForm(forms.ModelForm):
    """A section, with a field for its name in each of the other languages (`names`).

    `section_form()` adds those fields; this class reads and writes `names` through them.
    """

    class Meta:
        model = Section
        fields = ("name", "slug", "description", "position")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code in other_languages():
            self.initial.setdefault(section_name_field(code), self.instance.names.get(code, ""))

    def _post_clean(self) -> None:
        # The model validates `names` as a whole (`Section.clean`): set it first.
        self.instance.names = {
            code: self.cleaned_data[field]
            for code in other_languages()
            if self.cleaned_data.get(field := section_name_field(code))
        }
        super()._post_clean()

    def _update_errors(self, errors: ValidationError) -> None:
        # `names` is no field of the form: each of its errors goes to its language's field.
        if hasattr(errors, "error_dict") and "names" in errors.error_dict:
            for error in errors.error_dict.pop("names"):
                field = section_name_field((error.params or {}).get("language", ""))
                self.add_error(field if field in self.fields else None, error)
        super()._update_errors(errors)


def section_form() -> type[SectionForm]:
    """Return the section form with a "Name in <language>" field per other language.

    Built when asked for, as the site's languages are settings.
    """
    fields = {
        section_name_field(code): forms.CharField(
            label=_("Name in %(language)s") % {"language": language_name(code)},
            max_length=Section._meta.get_field("name").max_length,
            required=False,
            help_text=_("Left empty, this edition shows the name above."),
        )
        for code in other_languages()
    }
    return type("SectionForm", (SectionForm,), fields)


class CorrectionFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        adds = any(form.has_changed() and not form.instance.pk for form in self.forms)
        if adds and self.instance.first_published_at is None:
            raise ValidationError(
                _("Corrections are for stories that have been published: publish it first.")
            )


class ArticleAdminForm(forms.ModelForm):
    """The story's form: its version for optimistic locking and a note for a status change.

    `user` is set by `ArticleAdmin.get_form`.
    """

    transition_note = forms.CharField(
        label=_("Note with the status change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text=_(
            "Recorded with the change of status. Required when sending a story back: "
            "say what needs changing."
        ),
    )

    class Meta:
        model = Article
        # The admin builds the form from its fieldsets; these are the editable fields.
        fields = [
            "headline",
            "slug",
            "standfirst",
            "body",
            "dateline",
            "version",
            "lead_image",
            "authors",
            "source",
            "source_url",
            "section",
            "topics",
            "language",
            "status",
            "publish_at",
            "embargoed",
        ]
        widgets = {"version": forms.HiddenInput}
        formfield_callback = staticmethod(
            lambda db_field, **kwargs: db_field.formfield(
                **({"assume_scheme": "https"} if isinstance(db_field, models.URLField) else {}),
                **kwargs,
            )
        )

    user = None
    stored: Article | None = None

    class Media:
        # The writing screen's layout, word count, labels and Ctrl/Cmd+S.
        js = ["articles/admin/writing.js"]
        css = {"all": ["articles/admin/writing.css"]}

    def clean_language(self) -> str:
        language = self.cleaned_data["language"]
        instance = self.instance
        others = workflow.edition_languages(instance) - {instance.language}
        if instance.pk and language != instance.language and language in others:
            raise ValidationError(
                gettext("This story already has an edition in %(language)s.")
                % {"language": language_name(language)},
                code="edition_taken",
            )
        return language

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self.stored = Article.objects.select_related("updated_by").get(pk=self.instance.pk)
            try:
                workflow.check_version(cleaned.get("version"), self.stored)
            except workflow.EditConflict:
                raise ValidationError(conflict_message(self.stored), code="conflict") from None
        status = cleaned.get("status")
        if status and "publish_at" in self.fields:
            # The time the save will give it, so that the model's constraints see it too.
            cleaned["publish_at"] = workflow.publish_time(
                status, cleaned.get("publish_at"), self.stored
            )
        if status:
            stored = self.stored
            try:
                workflow.check_save(
                    self.user,
                    stored,
                    status=status,
                    publish_at=cleaned.get("publish_at", stored.publish_at if stored else None),
                    note=cleaned.get("transition_note", ""),
                    story=self.instance,
                )
            except workflow.WorkflowError as error:
                raise ValidationError(str(error), code="transition") from None
        self.check_embargo(cleaned)
        return cleaned

    def check_embargo(self, cleaned: dict) -> None:
        """Refuse an embargo on a story that readers see already (or at once), and
        taking one back from partners who hold the story under it."""
        stored = self.stored
        if cleaned.get("status") != Status.PUBLISHED:
            return
        if not cleaned.get("embargoed"):
            if stored and stored.embargoed and stored.is_scheduled:
                # Their copy says when it may run: it must stay what they go by.
                self.add_error(
                    "embargoed",
                    ValidationError(
                        gettext(
                            "Partners hold this story under embargo already: the embargo stays "
                            "until its publish time. Move the time (partners are told), or "
                            "unpublish or withdraw the story."
                        ),
                        code="embargo_released",
                    ),
                )
            return
        if stored and stored.embargoed and stored.status == Status.PUBLISHED:
            # Partners had it under embargo: the flag stays when the time comes or moves.
            return
        requested = cleaned.get("publish_at", stored.publish_at if stored else None)
        publish_at = workflow.publish_time(Status.PUBLISHED, requested, stored)
        if publish_at <= timezone.now():
            self.add_error(
                "embargoed",
                ValidationError(
                    gettext(
                        "An embargo needs a publish time in the future: partners receive the "
                        "story before readers do. Set a later publish time, or untick the embargo."
                    ),
                    code="embargo_past",
                ),
            )


def conflict_message(stored: Article) -> str:
    return gettext(
        "Not saved: %(person)s changed this story at %(time)s, after you opened it. Nothing "
        "was overwritten and your text is still in the form below. Open the story in a new "
        "tab to see their version, bring your changes over there, and save that."
    ) % {"person": person(stored.updated_by), "time": local(stored.updated_at)}


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_(
            "Partners who received the story are told this with the withdrawal, "
            "e.g. “Legal: the court order bars naming the defendant.”"
        ),
    )
