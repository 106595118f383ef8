"""Events of the topic vocabulary.

`topics_changed` is sent inside the transaction of a moderation action
(approve, reject, rename, edit, merge, delete) with `topic_ids`, the topics
whose name, address or standing changed, and `shown_ids`, those readers see
from now on although they did not before (approved, or kept by a merge).
"""

from django.dispatch import Signal

topics_changed = Signal()
