"""Page-numbered story lists that never count the whole table.

A COUNT(*) over hundreds of thousands of published stories on every list page
costs more than rendering the page. Readers need "newer" and "older" links, not
"page 3 of 14,212", so a page fetches one row more than it shows to learn
whether an older page exists. Page numbers stop at `max_pages` (2,000 stories
at 20 a page): an OFFSET costs what it skips, and the archive beyond is reached
through search, feeds and sitemaps.
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext

MAX_PAGES = 100


class StoryPage(Page):
    def __init__(self, object_list, number, paginator, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def next_page_number(self) -> int:
        if not self._has_next:
            raise EmptyPage(gettext("That page contains no results"))
        return self.number + 1

    def start_index(self) -> int:
        if not self.object_list:
            return 0
        return (self.number - 1) * self.paginator.per_page + 1

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)

    def __repr__(self) -> str:
        return f"<Page {self.number}>"


class StoryPaginator(Paginator):
    """A paginator for story lists with no COUNT query and a bounded depth.

    The topic autocomplete of the admin pages through topics with it too
    (`moderation.admin.ChoicePaginator`).
    """

    def __init__(self, object_list, per_page, *args, max_pages: int = MAX_PAGES, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.max_pages = max_pages

    def validate_number(self, number) -> int:
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(gettext("That page number is not an integer")) from None
        if number < 1 or number > self.max_pages:
            raise EmptyPage(gettext("That page number is out of range"))
        return number

    def page(self, number) -> StoryPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(gettext("That page contains no results"))
        return StoryPage(rows[: self.per_page], number, self, has_next=len(rows) > self.per_page)

    @cached_property
    def count(self) -> int:
        raise NotImplementedError("Story lists are not counted; use has_next().")

    @cached_property
    def num_pages(self) -> int:
        raise NotImplementedError("Story lists are not counted; use has_next().")


def paginate_stories(queryset, page_number, per_page: int) -> tuple[StoryPaginator, StoryPage]:
    """Return the paginator and the requested page; raise InvalidPage for a bad number."""
    paginator = StoryPaginator(queryset, per_page)
    return paginator, paginator.page(page_number or 1)


class CappedCountPaginator(Paginator):
    """A paginator for the admin's lists that counts at most `cap` rows.

    Counting every story on each page of the desk costs more than showing it at
    a million stories; past the cap the list says "10,001" and its last pages
    are reached by filtering, not by paging.
    """

    cap = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()
