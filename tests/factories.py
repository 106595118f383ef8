"""Factories for test data: explicit, with nothing shared between tests."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Section
from images.models import Image
from images.renditions import make_renditions
from sources.models import Source
from topics.models import Topic


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.is_staff = True
            self.save(update_fields=["is_staff"])
            self.groups.add(*Group.objects.filter(name__in=names))


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")
    kind = Source.Kind.AGENCY
    attribution = factory.LazyAttribute(lambda o: f"{o.name} reports")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class TopicFactory(factory.django.DjangoModelFactory):
    """An approved topic; `status=Topic.Status.PENDING` for a proposal."""

    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    status = Topic.Status.APPROVED


class ImageFactory(factory.django.DjangoModelFactory):
    """A small JPEG photo with its resized copies made, as the task worker would.

    `ImageFactory(renditions=False)` leaves the copies being prepared.
    """

    class Meta:
        model = Image
        skip_postgeneration_save = True

    file = factory.django.ImageField(
        filename="grain-ship.jpg", format="JPEG", width=1000, height=600, color="steelblue"
    )
    alt_text = "A grain ship leaving the port of Odesa at dawn"
    caption = "The first ship left at dawn."
    credit = "Photo: Ukrinform"

    @factory.post_generation
    def renditions(self, create, extracted, **kwargs):
        if create and extracted is not False:
            make_renditions(self)


class ArticleFactory(factory.django.DjangoModelFactory):
    """A draft by default; `published=True` makes it public an hour ago."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            publish_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1)),
        )

    headline = factory.Sequence(lambda n: f"Council meets on grain corridor, session {n}")
    standfirst = "Delegates agreed the agenda for the next round of talks."
    body = "<p>The meeting opened in the morning.</p>"
    dateline = "Kyiv"
    source = factory.SubFactory(SourceFactory)
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.DRAFT

    @factory.post_generation
    def authors(self, create, users, **kwargs):
        if create and users:
            self.authors.set(users)

    @factory.post_generation
    def topics(self, create, names, **kwargs):
        # Names new to the vocabulary make approved topics, as if a moderator had
        # been by; tests of proposals tag through the form or the manager itself.
        if create and names:
            self.topics.set(names, tag_kwargs={"status": Topic.Status.APPROVED})


def hidden_articles(**kwargs) -> list[Article]:
    """Create one story in every state readers must not see.

    A draft, a story in review, a scheduled one (published, its time still to
    come), an unpublished one, one sent back for changes, a deleted one (it had
    been public), a withdrawn one and one released to partners under embargo, in
    that order.
    """
    now = timezone.now()
    return [
        ArticleFactory(headline="Draft story", **kwargs),
        ArticleFactory(headline="Story in review", status=Article.Status.IN_REVIEW, **kwargs),
        ArticleFactory(
            headline="Scheduled story",
            status=Article.Status.PUBLISHED,
            publish_at=now + timedelta(hours=1),
            **kwargs,
        ),
        ArticleFactory(
            headline="Unpublished story",
            status=Article.Status.UNPUBLISHED,
            publish_at=now - timedelta(days=1),
            first_published_at=now - timedelta(days=1),
            **kwargs,
        ),
        ArticleFactory(
            headline="Story sent back", status=Article.Status.CHANGES_REQUESTED, **kwargs
        ),
        ArticleFactory(
            headline="Deleted story",
            status=Article.Status.DELETED,
            publish_at=now - timedelta(days=2),
            first_published_at=now - timedelta(days=2),
            **kwargs,
        ),
        ArticleFactory(
            headline="Withdrawn story",
            status=Article.Status.WITHDRAWN,
            publish_at=now - timedelta(days=3),
            first_published_at=now - timedelta(days=3),
            withdrawn_at=now - timedelta(days=1),
            withdrawal_reason="The figures were wrong.",
            **kwargs,
        ),
        ArticleFactory(
            headline="Embargoed story",
            status=Article.Status.PUBLISHED,
            publish_at=now + timedelta(hours=2),
            embargoed=True,
            **kwargs,
        ),
    ]
