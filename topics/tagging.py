"""Tagging with topics: django-taggit's extension points, specialised for our vocabulary.

- `TopicTaggableManager` (passed as `TaggableManager(manager=...)`) turns names into
  topics for `add()`, `set()` and `remove()`: a name means the topic with the same
  normal form, or the topic it is an alias of, in the tagged object's `language`
  first, then in the default language (`Topic.objects.resolve`); a name nobody
  knows becomes a *pending* topic named in that language, proposed by whoever
  `proposals_by()` names. It also lets `Prefetch("topics", queryset=...)` narrow what is fetched.
- `TopicsField` and `TopicsWidget`, the form field of the article form: the writer
  is told which topics await a moderator, and that a rejected name cannot be used;
  given the address of a suggestions endpoint (`topics.suggestions`), the widget
  suggests approved topics as the writer types.

Nothing here knows which model is tagged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from operator import attrgetter

from django import forms
from django.db import router
from django.db.models import F
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField, TagWidget
from taggit.managers import _TaggableManager
from taggit.utils import edit_string_for_tags, parse_tags

from topics.models import NAME_MAX_LENGTH, Topic, tidy_name

_proposer: ContextVar = ContextVar("topic_proposer", default=None)


@contextmanager
def proposals_by(user) -> Iterator[None]:
    """Record `user` as the proposer of the topics that tagging creates in this block."""
    token = _proposer.set(user)
    try:
        yield
    finally:
        _proposer.reset(token)


class TopicTaggableManager(_TaggableManager):
    """Taggit's manager, resolving names through the topic vocabulary.

    `tag_kwargs` (taggit's `add(..., tag_kwargs=...)`) are the field values of the
    topics created for unknown names, e.g. `{"status": Topic.Status.APPROVED}` for
    demo data; they never narrow which topic a name finds. Written for a through
    model with a `content_object` foreign key.
    """

    @property
    def language(self) -> str | None:
        """The language of the tagged object (a story's), in which typed names are read first."""
        return getattr(self.instance, "language", None)

    def _to_tag_model_instances(self, tags, tag_kwargs) -> list[Topic]:
        model = self.through.tag_model()
        db = router.db_for_write(self.through, instance=self.instance)
        names = [tidy_name(tag) for tag in tags if isinstance(tag, str)]
        found = model._default_manager.db_manager(db).resolve(
            (name for name in names if name), self.language
        )
        result: list[Topic] = []
        for tag in tags:
            if isinstance(tag, model):
                topic = tag
            elif isinstance(tag, str):
                name = tidy_name(tag)
                if not name:
                    continue
                topic = found.get(name) or self._propose(name, tag_kwargs or {}, db)
                found[name] = topic
            else:
                raise ValueError(f"Cannot tag with {tag!r}: expected a topic or a name.")
            if topic not in result:
                result.append(topic)
        return result

    def _propose(self, name: str, tag_kwargs: dict, db: str) -> Topic:
        """Create the topic `name` (pending unless `tag_kwargs` say otherwise)."""
        manager = self.through.tag_model()._default_manager.db_manager(db)
        values = {"proposed_by": _proposer.get(), **tag_kwargs}
        return manager.propose(name, language=self.language, **values)

    def remove(self, *tags) -> None:
        model = self.through.tag_model()
        names = [tag for tag in tags if isinstance(tag, str)]
        found = model._default_manager.resolve(names, self.language)
        # Taggit removes by exact name; give it the names topics actually have.
        super().remove(
            *[
                tag.name if isinstance(tag, model) else getattr(found.get(tag), "name", tag)
                for tag in tags
            ]
        )

    def get_prefetch_querysets(self, instances, querysets=None):
        """Fetch the topics of `instances` in one query, in the order they were tagged.

        Unlike taggit's own, this accepts a queryset, as in
        `Prefetch("topics", queryset=Topic.objects.public(), to_attr="public_topics")`.
        """
        queryset = querysets[0] if querysets else self.through.tag_model()._default_manager.all()
        link = self.through.tag_relname()
        topics = (
            queryset.filter(**{f"{link}__content_object__in": {obj.pk for obj in instances}})
            .annotate(_prefetch_related_val=F(f"{link}__content_object"))
            .order_by(f"{link}__pk")
        )
        return (
            topics,
            attrgetter("_prefetch_related_val"),
            attrgetter("pk"),
            False,
            self.prefetch_cache_name,
            False,
        )


def _statuses(value) -> list[Topic]:
    """Return the topics a widget value names: topics already, or the text of a bound form."""
    if isinstance(value, str):
        try:
            names = parse_tags(value)
        except ValueError:
            return []
        return list(Topic.objects.resolve(names).values()) if names else []
    return list(value or [])


class TopicsWidget(TagWidget):
    """The topics of a story as comma-separated names, with a note on those not yet public.

    Rejected topics are left out of the text (saving drops them from the story)
    and the note says so. Given a `data-suggestions-url` (see `TopicsField`), its
    script offers approved topics matching the name being typed; without
    JavaScript it is a plain text box.
    """

    class Media:
        js = ["topics/admin/topic-suggestions.js"]
        css = {"all": ["topics/admin/topic-suggestions.css"]}

    def format_value(self, value):
        if value is not None and not isinstance(value, str):
            value = edit_string_for_tags(
                [topic for topic in value if topic.status != Topic.Status.REJECTED]
            )
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        html = super().render(name, value, attrs, renderer)
        topics = _statuses(value)
        pending = [t.name for t in topics if t.status == Topic.Status.PENDING]
        rejected = [t.name for t in topics if t.status == Topic.Status.REJECTED]
        notes = []
        if pending:
            notes.append(
                format_html(
                    gettext("Awaiting a topic moderator, not shown to readers yet: {}."),
                    ", ".join(pending),
                )
            )
        if rejected and not isinstance(value, str):
            notes.append(
                format_html(
                    gettext(
                        "Turned down by the topic moderators and removed from this story when "
                        "you save: {}."
                    ),
                    ", ".join(rejected),
                )
            )
        if not notes:
            return html
        return format_html(
            '{}<div class="help topic-status">{}</div>',
            html,
            format_html_join("", "<p>{}</p>", ((note,) for note in notes)),
        )


class TopicsField(TagField):
    """Comma-separated topic names; unknown names become proposals, rejected ones an error.

    Cleans to the names of the topics meant (an alias gives its topic's name) and
    the new names as typed.
    """

    widget = TopicsWidget
    help_text = _(
        "Comma-separated. Pick existing topics; a new name is sent to the topic moderators "
        "and stays off the public site until they approve it."
    )

    def __init__(self, *, suggestions_url: str = "", **kwargs) -> None:
        # The model field hands over taggit's generic label and help text ("Tags");
        # ours say what the field holds and what happens to new names.
        kwargs |= {"label": _("Topics"), "help_text": self.help_text}
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("class", "vTextField")
        if suggestions_url:
            # The widget's script suggests topics from this JSON endpoint as the writer types.
            self.widget.attrs["data-suggestions-url"] = suggestions_url

    def clean(self, value) -> list[str]:
        names = [tidy_name(name) for name in super().clean(value)]
        names = [name for name in names if name]
        too_long = [name for name in names if len(name) > NAME_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("A topic name has at most %(limit)d characters: %(names)s."),
                code="too_long",
                params={"limit": NAME_MAX_LENGTH, "names": ", ".join(too_long)},
            )
        found = Topic.objects.resolve(names)
        rejected = [
            name for name in names if name in found and found[name].status == Topic.Status.REJECTED
        ]
        if rejected:
            raise forms.ValidationError(
                _(
                    "The topic moderators turned down %(names)s: pick another topic, or ask a "
                    "moderator to reconsider."
                ),
                code="rejected",
                params={"names": ", ".join(f"“{name}”" for name in rejected)},
            )
        return sorted({found[name].name if name in found else name for name in names})
