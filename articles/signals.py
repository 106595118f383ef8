"""Events of the editorial domain, for whatever must follow a change readers may see.

`story_changed` is sent inside the transaction that saved a story (any edit,
state change, correction or restore, through `articles.workflow`), with
`article_id` and `before`: the story's `Footprint` as it stood before the
change, or None if readers could not see it then; a correction's also has
`corrected=True`. Receivers that act on what
was written defer their work to the commit (`transaction.on_commit`).
"""

from django.dispatch import Signal

story_changed = Signal()
