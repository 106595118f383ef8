"""Forms of the moderators' admin screens."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, Value
from django.utils.translation import gettext_lazy as _

from moderation import actions
from topics.models import NormalName, Topic, TopicAlias, TopicName, tidy_name


class TopicForm(forms.ModelForm):
    """A topic's name, slug, kind and description; a changed name or slug is a rename."""

    class Meta:
        model = Topic
        fields = ("name", "slug", "kind", "description")

    def clean_name(self) -> str:
        return tidy_name(self.cleaned_data["name"])

    def clean(self) -> dict:
        cleaned = super().clean()
        name = cleaned.get("name")
        if not name:
            return cleaned
        if not cleaned.get("slug"):
            cleaned["slug"] = self.instance.free_slug(name)
        try:
            actions.check_rename(self.instance, name, cleaned["slug"])
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class TopicAliasForm(forms.ModelForm):
    class Meta:
        model = TopicAlias
        fields = ("name", "language", "topic")
        widgets = {"language": forms.Select}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].widget.choices = [("", _("Any language")), *settings.LANGUAGES]

    def clean_name(self) -> str:
        return tidy_name(self.cleaned_data["name"])

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("name"):
            try:
                actions.check_alias(cleaned["name"], cleaned.get("language", ""))
            except ValidationError as error:
                self.add_error("name", error.message_dict["name"])
        return cleaned


class TopicNameForm(forms.ModelForm):
    """A topic's name in one of the site's languages other than the default."""

    class Meta:
        model = TopicName
        fields = ("language", "name")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"] = forms.ChoiceField(
            label=_("language"),
            choices=[
                (code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
            ],
        )

    def clean_name(self) -> str:
        return tidy_name(self.cleaned_data["name"])

    def clean(self) -> dict:
        cleaned = super().clean()
        name, language = cleaned.get("name"), cleaned.get("language")
        if not (name and language):
            return cleaned
        topic_id = self.instance.topic_id
        clash = (
            TopicName.objects.annotate(name_key=NormalName("name"))
            .filter(language=language, name_key=NormalName(Value(name)))
            .exclude(topic_id=topic_id)
            .select_related("topic")
            .first()
        )
        if clash:
            self.add_error(
                "name",
                _("“%(topic)s” has this name in this language: merge the topics instead.")
                % {"topic": clash.topic.name},
            )
        alias = (
            TopicAlias.objects.annotate(name_key=NormalName("name"))
            .filter(Q(language=language) | Q(language=""), name_key=NormalName(Value(name)))
            .exclude(topic_id=topic_id)
            .select_related("topic")
            .first()
        )
        if alias:
            self.add_error(
                "name",
                _("“%(alias)s” is an alias of “%(topic)s”: merge the topics instead.")
                % {"alias": alias.name, "topic": alias.topic.name},
            )
        return cleaned


class MergeForm(forms.Form):
    """Two or more topics and the one they become."""

    topics = forms.ModelMultipleChoiceField(Topic.objects.all(), widget=forms.MultipleHiddenInput)
    target = forms.ModelChoiceField(
        Topic.objects.all(),
        label=_("Merge into"),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text=_("The topic that stays. The others become its aliases."),
    )

    def __init__(self, *args, topics=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if topics is not None:
            self.fields["topics"].queryset = topics
            self.fields["target"].queryset = topics

    def clean(self) -> dict:
        cleaned = super().clean()
        topics, target = cleaned.get("topics"), cleaned.get("target")
        if topics is not None and len(topics) < 2:
            raise ValidationError(_("Choose at least two topics to merge."))
        if topics is not None and target is not None and target not in topics:
            self.add_error("target", _("The target must be one of the topics merged."))
        if target is not None and target.status == Topic.Status.REJECTED:
            self.add_error("target", _("A rejected topic cannot be the one kept; pick another."))
        return cleaned

    @property
    def sources(self) -> list[Topic]:
        target = self.cleaned_data["target"]
        return [topic for topic in self.cleaned_data["topics"] if topic != target]
