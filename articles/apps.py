from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
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
