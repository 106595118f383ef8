"""Forms of the moderators' admin screens."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from moderation import actions
from topics.models import Topic, TopicAlias, tidy_name


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
        fields = ("name", "topic")

    def clean_name(self) -> str:
        name = tidy_name(self.cleaned_data["name"])
        try:
            actions.check_alias(name)
        except ValidationError as error:
            raise ValidationError(error.message_dict["name"]) from None
        return name


class MergeForm(forms.Form):
    """Two or more topics and the one they become."""

    topics = forms.ModelMultipleChoiceField(Topic.objects.all(), widget=forms.MultipleHiddenInput)
    target = forms.ModelChoiceField(
        Topic.objects.all(),
        label="Merge into",
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="The topic that stays. The others become its aliases.",
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
            raise ValidationError("Choose at least two topics to merge.")
        if topics is not None and target is not None and target not in topics:
            self.add_error("target", "The target must be one of the topics merged.")
        if target is not None and target.status == Topic.Status.REJECTED:
            self.add_error("target", "A rejected topic cannot be the one kept; pick another.")
        return cleaned

    @property
    def sources(self) -> list[Topic]:
        target = self.cleaned_data["target"]
        return [topic for topic in self.cleaned_data["topics"] if topic != target]
