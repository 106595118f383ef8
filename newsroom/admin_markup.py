"""Admin pieces whose HTML Django's own leaves invalid.

- An optional autocomplete field renders its blank choice as `<option value=""></option>`;
  HTML requires an option to have text (or a label). `ValidAutocompleteMixin` gives
  it Django's usual "---------", which the autocomplete's placeholder hides.
- A tabular inline shows each field's help text as a tooltip in its column heading,
  yet every row's input names a `…_helptext` element that does not exist.
  `TabularInlineForm` leaves that reference out (errors are still referred to).
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import BLANK_CHOICE_DASH


class LabelledAutocompleteSelect(AutocompleteSelect):
    """An autocomplete drop-down whose blank choice has text."""

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        for _group, options, _index in groups:
            for option in options:
                if option["value"] == "" and not option["label"]:
                    option["label"] = BLANK_CHOICE_DASH[0][1]
        return groups


class ValidAutocompleteMixin:
    """Give a ModelAdmin's single-choice autocomplete fields a labelled blank choice."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TabularBoundField(forms.BoundField):
    @property
    def aria_describedby(self) -> str | None:
        described = super().aria_describedby
        if not described:
            return described
        return " ".join(ref for ref in described.split() if not ref.endswith("_helptext"))


class TabularInlineForm(forms.ModelForm):
    """The form of a row of a tabular inline (`form = TabularInlineForm`)."""

    bound_field_class = TabularBoundField
