import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger

from articles.models import Article
from articles.pagination import StoryPaginator
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    ArticleFactory.create_batch(5, published=True)
    return Article.objects.published().latest_first()


def test_a_page_knows_an_older_page_exists_without_counting(stories, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = StoryPaginator(stories, 2).page(1)
        assert len(page.object_list) == 2
        assert page.has_next()
        assert not page.has_previous()
        assert page.next_page_number() == 2


def test_the_last_page_has_no_older_page(stories):
    page = StoryPaginator(stories, 2).page(3)
    assert [len(page.object_list), page.has_next(), page.has_previous()] == [1, False, True]
    assert (page.start_index(), page.end_index()) == (5, 5)


def test_a_page_past_the_end_is_empty(stories):
    with pytest.raises(EmptyPage):
        StoryPaginator(stories, 5).page(2)


def test_the_first_page_of_nothing_is_an_empty_page():
    page = StoryPaginator(Article.objects.published(), 5).page(1)
    assert list(page.object_list) == []
    assert not page.has_other_pages()


@pytest.mark.parametrize("number", ["x", "1.5", None, "", 1.5])
def test_a_page_number_must_be_an_integer(stories, number):
    with pytest.raises(PageNotAnInteger):
        StoryPaginator(stories, 2).validate_number(number)


@pytest.mark.parametrize("number", [0, -1, 101])
def test_page_numbers_are_bounded(stories, number):
    with pytest.raises(EmptyPage):
        StoryPaginator(stories, 2).validate_number(number)
