"""A date the search form cannot read is not echoed back into the date picker."""

import pytest
from django.urls import reverse

from articles.forms import SearchForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["not-a-date", "2025-02-30", "99999-01-01", '"><script>'])
def test_an_invalid_date_is_left_out_of_the_date_input(client, typed):
    response = client.get(reverse("articles:search"), {"q": "grain", "date_from": typed})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Enter a date such as 2025-03-31." in content
    assert '<input type="date" name="date_from" aria-invalid="true"' in content
    assert 'name="date_from" value=' not in content
    assert not response.context["searching"]


def test_a_valid_date_stays_in_the_date_input():
    form = SearchForm({"date_from": "2025-3-1", "date_to": "x"})

    assert 'value="2025-03-01"' in str(form["date_from"])
    assert "value=" not in str(form["date_to"])
