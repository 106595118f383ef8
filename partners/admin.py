"""Partners in the admin: their terms, keys and endpoints, and what was pushed to them.

Staff manage partners with the partners app's own permissions (the "Partner
managers" group); editing stories gives no right here. A key is shown once,
in the answer to the request that issued it, and never again.
"""

from __future__ import annotations

from functools import update_wrapper

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles.languages import language_choices
from newsroom.admin_markup import TabularInlineForm
from partners.models import Delivery, Endpoint, Partner, PartnerKey

# The deliveries that did not arrive: still retried, or given up.
FAILED = (Delivery.Status.FAILED, Delivery.Status.GIVEN_UP)
# What the deliveries' list leaves in the database of each story: it shows the headline.
STORY_TEXT = ("body", "standfirst", "search_lemmas", "search_vector")


def count_of(queryset, field: str):
    """Return the number of rows of `queryset` per `field`, as a subquery on `OuterRef("pk")`.

    Counted apart: joined together, keys, endpoints and deliveries would multiply each other.
    """
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def deliveries_url(partner: Partner, **filters: str) -> str:
    query = urlencode({"partner": partner.pk, **filters})
    return f"{reverse('admin:partners_delivery_changelist')}?{query}"


class PartnerForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages"),
        choices=language_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only stories in these languages; none chosen: every language."),
    )

    class Meta:
        model = Partner
        fields = (
            "name",
            "is_active",
            "contact",
            "rate_limit",
            "notes",
            "sources",
            "sections",
            "languages",
        )


class PartnerKeyInline(admin.TabularInline):
    """A partner's keys, as they stand: issued and revoked on screens of their own."""

    model = PartnerKey
    form = TabularInlineForm
    extra = 0
    can_delete = False
    fields = ("prefix", "name", "created_at", "created_by", "last_used_at", "revoked_at", "revoke")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("revoke"))
    def revoke(self, key: PartnerKey) -> str:
        if key.revoked_at is not None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:partners_partner_revoke_key", args=[key.partner_id, key.pk]),
            gettext("Revoke…"),
        )


class EndpointForm(TabularInlineForm):
    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        # Pushes carry stories under embargo: plain http only where the site allows it.
        if not url.startswith("https://") and not settings.NEWSROOM_PUSH_ALLOW_HTTP:
            raise forms.ValidationError(
                gettext("Use an https:// address: stories are pushed over https only."),
                code="https_only",
            )
        return url


class EndpointInline(admin.TabularInline):
    model = Endpoint
    form = EndpointForm
    extra = 0
    fields = ("url", "is_active", "secret", "created_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # The partner checks every payload's signature with it: staff pass it on.
    readonly_fields = ("secret", "created_at")


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    form = PartnerForm
    list_display = (
        "name",
        "is_active",
        "scope",
        "key_count",
        "endpoint_count",
        "last_key_use",
        "failed_deliveries",
    )
    list_filter = ("is_active",)
    search_fields = ("name",)
    filter_horizontal = ("sources", "sections")
    inlines = (PartnerKeyInline, EndpointInline)
    fieldsets = (
        (None, {"fields": ("name", "is_active", "contact", "rate_limit", "notes")}),
        (_("What it receives"), {"fields": ("sources", "sections", "languages")}),
        (_("Keys and deliveries"), {"fields": ("new_key", "deliveries")}),
    )
    readonly_fields = ("new_key", "deliveries")

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        match = request.resolver_match
        if match and match.url_name == "partners_partner_changelist":
            last_use = PartnerKey.objects.filter(partner=OuterRef("pk")).order_by(
                F("last_used_at").desc(nulls_last=True)
            )
            queryset = queryset.prefetch_related("sources", "sections").annotate(
                key_count=count_of(PartnerKey.objects.filter(revoked_at__isnull=True), "partner"),
                endpoint_count=count_of(Endpoint.objects.all(), "partner"),
                last_key_use=Subquery(last_use.values("last_used_at")[:1]),
                failed_count=count_of(
                    Delivery.objects.filter(status__in=FAILED), "endpoint__partner"
                ),
            )
        return queryset

    def get_fieldsets(self, request: HttpRequest, obj: Partner | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # Keys and deliveries come once the partner is saved.
            return fieldsets[:-1]
        return fieldsets

    # --- Columns and read-only fields ------------------------------------------------

    @admin.display(description=_("receives"))
    def scope(self, obj: Partner) -> str:
        parts = []
        if sources := obj.sources.all():
            parts.append(gettext("sources: %s") % ", ".join(str(s) for s in sources))
        if sections := obj.sections.all():
            parts.append(gettext("sections: %s") % ", ".join(str(s) for s in sections))
        if obj.languages:
            parts.append(gettext("languages: %s") % ", ".join(obj.languages))
        return "; ".join(parts) or gettext("everything")

    @admin.display(description=_("active keys"), ordering="key_count")
    def key_count(self, obj: Partner) -> int:
        return obj.key_count

    @admin.display(description=_("endpoints"), ordering="endpoint_count")
    def endpoint_count(self, obj: Partner) -> int:
        return obj.endpoint_count

    @admin.display(description=_("last key use"), ordering="last_key_use")
    def last_key_use(self, obj: Partner):
        return obj.last_key_use

    @admin.display(description=_("failed deliveries"), ordering="failed_count")
    def failed_deliveries(self, obj: Partner) -> str:
        if not obj.failed_count:
            return "0"
        return format_html(
            '<a href="{}">{}</a>', deliveries_url(obj, status="failed"), obj.failed_count
        )

    @admin.display(description=_("new key"))
    def new_key(self, obj: Partner) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:partners_partner_issue_key", args=[obj.pk]),
            gettext("Issue a new key…"),
        )

    @admin.display(description=_("deliveries"))
    def deliveries(self, obj: Partner) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            deliveries_url(obj),
            gettext("All deliveries"),
            deliveries_url(obj, status="failed"),
            gettext("Failed deliveries"),
        )

    # --- Keys: issued and revoked on screens of their own ----------------------------

    def get_urls(self):
        def wrap(view):
            def wrapper(*args, **kwargs):
                return self.admin_site.admin_view(view)(*args, **kwargs)

            return update_wrapper(wrapper, view)

        return [
            path(
                "<path:object_id>/keys/new/",
                wrap(self.issue_key_view),
                name="partners_partner_issue_key",
            ),
            path(
                "<path:object_id>/keys/<int:key_id>/revoke/",
                wrap(self.revoke_key_view),
                name="partners_partner_revoke_key",
            ),
            *super().get_urls(),
        ]

    def partner_or_404(self, request: HttpRequest, object_id: str, permission: str) -> Partner:
        if not request.user.has_perm(f"partners.{permission}"):
            raise PermissionDenied
        partner = self.get_object(request, unquote(object_id))
        if partner is None:
            raise Http404("No such partner.")
        return partner

    def screen(self, request, template: str, partner: Partner, title: str, **context):
        return TemplateResponse(
            request,
            f"admin/partners/partner/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": partner,
                "title": title,
                "change_url": reverse("admin:partners_partner_change", args=[partner.pk]),
                **context,
            },
        )

    def issue_key_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Ask for the key's name; issue it and show it, this once, in the answer."""
        partner = self.partner_or_404(request, object_id, "add_partnerkey")
        form = IssueKeyForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            issued, key = PartnerKey.issue(partner, form.cleaned_data["name"], request.user)
            # Shown in this answer only: a message would keep it in the session or a cookie.
            return self.screen(
                request,
                "key_issued.html",
                partner,
                gettext("New key for %(partner)s") % {"partner": partner},
                issued=issued,
                key=key,
            )
        return self.screen(
            request,
            "issue_key.html",
            partner,
            gettext("Issue a key for %(partner)s") % {"partner": partner},
            form=form,
        )

    def revoke_key_view(self, request: HttpRequest, object_id: str, key_id: int) -> HttpResponse:
        """Confirm, then revoke the key: the API refuses it from then on."""
        partner = self.partner_or_404(request, object_id, "change_partnerkey")
        key = get_object_or_404(PartnerKey, pk=key_id, partner=partner)
        if request.method == "POST":
            key.revoke()
            messages.success(
                request,
                gettext("The key %(key)s is revoked: the API refuses it from now on.")
                % {"key": key},
            )
            return HttpResponseRedirect(reverse("admin:partners_partner_change", args=[partner.pk]))
        return self.screen(
            request,
            "revoke_key.html",
            partner,
            gettext("Revoke the key %(key)s") % {"key": key},
            partner_key=key,
        )


class IssueKeyForm(forms.Form):
    name = forms.CharField(
        label=capfirst(PartnerKey._meta.get_field("name").verbose_name),
        max_length=PartnerKey._meta.get_field("name").max_length,
        required=False,
        help_text=PartnerKey._meta.get_field("name").help_text,
    )


# --- Deliveries ---------------------------------------------------------------------------


class DeliveryPartnerFilter(admin.SimpleListFilter):
    title = _("partner")
    parameter_name = "partner"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Partner.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(endpoint__partner=int(value))
        return queryset


class DeliveryStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        Status = Delivery.Status
        return [
            (Status.PENDING, Status.PENDING.label),
            (Status.DELIVERED, Status.DELIVERED.label),
            ("failed", _("Failed (retrying or given up)")),
            ("retrying", Status.FAILED.label),
            (Status.GIVEN_UP, Status.GIVEN_UP.label),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "failed":
            return queryset.filter(status__in=FAILED)
        if value == "retrying":
            return queryset.filter(status=Delivery.Status.FAILED)
        if value in (Delivery.Status.PENDING, Delivery.Status.DELIVERED, Delivery.Status.GIVEN_UP):
            return queryset.filter(status=value)
        return queryset


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """What was pushed to partners, and how it went: a log, resent but never edited."""

    list_display = (
        "partner",
        "story",
        "event",
        "status",
        "attempts",
        "response_status",
        "error",
        "created_at",
        "delivered_at",
    )
    list_filter = (DeliveryPartnerFilter, DeliveryStatusFilter, "event")
    list_select_related = ("endpoint__partner", "article")
    search_fields = ("=article__id", "endpoint__url")
    date_hierarchy = "created_at"
    actions = ("resend",)

    def get_queryset(self, request: HttpRequest):
        # The story's headline is all the list shows of it.
        return super().get_queryset(request).defer(*(f"article__{name}" for name in STORY_TEXT))

    @admin.display(description=_("partner"), ordering="endpoint__partner__name")
    def partner(self, obj: Delivery) -> str:
        return obj.endpoint.partner.name

    @admin.display(description=_("story"), ordering="article")
    def story(self, obj: Delivery) -> str:
        return obj.article.headline

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_resend_permission(self, request: HttpRequest) -> bool:
        # Resending changes a delivery's state: the model's change permission.
        return request.user.has_perm("partners.change_delivery")

    @admin.action(description=_("Resend selected deliveries"), permissions=["resend"])
    def resend(self, request: HttpRequest, queryset) -> None:
        from partners.push import resend

        count = resend(queryset)
        self.message_user(
            request,
            ngettext(
                "Queued again: %(count)d delivery.", "Queued again: %(count)d deliveries.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
