"""The official Ukrainian transliteration (KMU 2010), as the duplicate finder uses it."""

import pytest

from topics.transliteration import transliterate


@pytest.mark.parametrize(
    ("ukrainian", "latin"),
    [
        ("Київ", "Kyiv"),
        ("Одеса", "Odesa"),
        ("Харків", "Kharkiv"),
        ("Зеленський", "Zelenskyi"),
        ("Згурівка", "Zghurivka"),  # зг is zgh
        ("Розгон", "Rozghon"),
        ("Єнакієве", "Yenakiieve"),  # є: ye at the start, ie inside
        ("Їжакевич", "Yizhakevych"),  # ї: yi at the start
        ("Йосипівка", "Yosypivka"),  # й: y at the start
        ("Андрій", "Andrii"),  # й: i inside
        ("Юрій", "Yurii"),
        ("Яготин", "Yahotyn"),
        ("Знам'янка", "Znamianka"),  # the apostrophe is left out
        ("Кам’янець-Подільський", "Kamianets-Podilskyi"),
        ("Щорс", "Shchors"),
        ("Ґорґани", "Gorgany"),
    ],
)
def test_names_follow_the_official_table(ukrainian, latin):
    assert transliterate(ukrainian) == latin


def test_latin_text_and_punctuation_are_kept():
    assert transliterate("EU–Україна summit, 2025") == "EU–Ukraina summit, 2025"


def test_a_word_in_capitals_stays_in_capitals():
    assert transliterate("ЗСУ") == "ZSU"
