"""The admin's change lists, answered whatever dates their filters are given."""

from __future__ import annotations

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, FullResultSet
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest
from django.utils.dateparse import parse_datetime

from newsroom.datetimes import clamped_utc, validate_storable


def compares_times(model: type[models.Model], key: str) -> bool:
    """Whether the filter `key` (e.g. "publish_at__gte") compares a date-and-time field."""
    parts = key.split(LOOKUP_SEP)
    for end in (len(parts), len(parts) - 1):  # With and without a final lookup.
        try:
            field = get_fields_from_path(model, LOOKUP_SEP.join(parts[:end]))[-1]
        except (FieldDoesNotExist, NotRelationField):
            continue
        return isinstance(field, models.DateTimeField)
    return False


def in_utc_text(text: str) -> str:
    """Return a time with an offset as the same time in UTC; anything else as it is."""
    try:
        value = parse_datetime(text.strip())
    except ValueError:
        return text  # Django's own check refuses it as an incorrect lookup.
    if value is None or value.tzinfo is None:
        return text
    return clamped_utc(value).isoformat()


class CalendarSafeChangeList(ChangeList):
    """A change list for which an impossible date is an incorrect lookup, not a 500.

    A time in a filter is compared in UTC: Python takes offsets up to ±23:59,
    PostgreSQL refuses those beyond ±15:59. Django computes the end of a date
    hierarchy's year, month or day by adding to it, which overflows on the last
    of them (9999-12-31), and the bounds of a `__year` lookup with
    `datetime(year, 1, 1)`, which overflows on a huge year.
    The first happens while the filters are read, the second only when the query
    is compiled, as the page renders: both are caught here, before that.
    """

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        for key, values in lookup_params.items():
            if compares_times(self.model, key):
                lookup_params[key] = [in_utc_text(value) for value in values]
        return lookup_params

    def get_filters(self, request: HttpRequest):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error

    def get_queryset(self, request: HttpRequest, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        try:
            queryset.query.get_compiler(queryset.db).as_sql()
        except (EmptyResultSet, FullResultSet):
            pass  # Queries Django answers without asking the database.
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error
        return queryset


class CalendarSafeAdminMixin:
    """Lists with `CalendarSafeChangeList`, forms that refuse a time the database cannot give back.

    The admin site (`newsroom.admin_site`) gives it to every admin it registers,
    installed apps' (accounts, login audit, second-factor devices, tasks) included.
    """

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        return CalendarSafeChangeList

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if (
            isinstance(db_field, models.DateTimeField)
            and formfield is not None
            and validate_storable not in formfield.validators
        ):
            formfield.validators.append(validate_storable)
        return formfield
