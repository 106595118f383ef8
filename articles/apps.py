from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from articles import fragments
        from articles.models import Article, ArticleTopic, Correction, Pin, Section
        from images.models import Image
        from newsroom.page_cache import content_changed
        from sources.models import Source
        from topics.models import Topic, TopicAlias, TopicRedirect

        # Anything a public page shows: a change to it retires every cached page.
        # (Aliases decide what tagging attaches; old topic slugs answer 301.)
        public_models = (
            Article,
            ArticleTopic,
            Correction,
            Image,
            Pin,
            Section,
            Source,
            Topic,
            TopicAlias,
            TopicRedirect,
        )
        for model in public_models:
            post_save.connect(content_changed, sender=model, dispatch_uid=f"pages-{model}-save")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"pages-{model}-delete")
        m2m_changed.connect(
            content_changed, sender=Article.authors.through, dispatch_uid="pages-bylines"
        )

        # Anything a story's rendered card or page shows besides the story's own
        # row retires every stored fragment; a save of the story itself moves its
        # key instead (see `articles.fragments`). Pins only place cards.
        on_save = {
            Section: fragments.shown_row_changed,
            Source: fragments.shown_row_changed,
            Topic: fragments.shown_row_changed,
            Image: fragments.shown_row_changed,
            TopicAlias: fragments.fragments_changed,
            TopicRedirect: fragments.fragments_changed,
            Correction: fragments.fragments_changed,
            ArticleTopic: fragments.topic_link_changed,
            get_user_model(): fragments.author_changed,
        }
        for model, receiver in on_save.items():
            # Deleting a user drops their bylines without any m2m signal.
            on_delete = receiver if model is ArticleTopic else fragments.fragments_changed
            post_save.connect(receiver, sender=model, dispatch_uid=f"fragments-{model}-save")
            post_delete.connect(on_delete, sender=model, dispatch_uid=f"fragments-{model}-delete")
        m2m_changed.connect(
            fragments.byline_changed,
            sender=Article.authors.through,
            dispatch_uid="fragments-bylines",
        )
