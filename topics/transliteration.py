"""Ukrainian in Latin letters, by the official national system.

The table of the Cabinet of Ministers of Ukraine resolution No. 55 of 27 January
2010, used for passports and place names: "Київ" is "Kyiv", "Зеленський"
"Zelenskyi", "Згурівка" "Zghurivka". Є, Ї, Й, Ю and Я are written one way at the
start of a word (Ye, Yi, Y, Yu, Ya) and another inside it (ie, i, i, iu, ia); "зг"
is "zgh" so that it is not read as "ж"; the soft sign and the apostrophe are left
out.

The duplicate finder uses it to pair "Одеса" with "Odesa". Topic slugs do not:
they keep the letters of the name (see `topics.models.Topic`).
"""

from __future__ import annotations

import re

# Letter: (at the start of a word, elsewhere).
UKRAINIAN = {
    "а": ("a", "a"),
    "б": ("b", "b"),
    "в": ("v", "v"),
    "г": ("h", "h"),
    "ґ": ("g", "g"),
    "д": ("d", "d"),
    "е": ("e", "e"),
    "є": ("ye", "ie"),
    "ж": ("zh", "zh"),
    "з": ("z", "z"),
    "и": ("y", "y"),
    "і": ("i", "i"),
    "ї": ("yi", "i"),
    "й": ("y", "i"),
    "к": ("k", "k"),
    "л": ("l", "l"),
    "м": ("m", "m"),
    "н": ("n", "n"),
    "о": ("o", "o"),
    "п": ("p", "p"),
    "р": ("r", "r"),
    "с": ("s", "s"),
    "т": ("t", "t"),
    "у": ("u", "u"),
    "ф": ("f", "f"),
    "х": ("kh", "kh"),
    "ц": ("ts", "ts"),
    "ч": ("ch", "ch"),
    "ш": ("sh", "sh"),
    "щ": ("shch", "shch"),
    "ь": ("", ""),
    "ю": ("yu", "iu"),
    "я": ("ya", "ia"),
}
# Letters of Russian and Belarusian that the Ukrainian table lacks, as they are
# usually written; not part of the official system.
OTHER_CYRILLIC = {
    "ё": ("yo", "io"),
    "ъ": ("", ""),
    "ы": ("y", "y"),
    "э": ("e", "e"),
    "ў": ("u", "u"),
}
LETTERS = UKRAINIAN | OTHER_CYRILLIC
APOSTROPHES = "'’ʼ`"
CYRILLIC = re.compile("[\u0400-\u04ff]")


def has_cyrillic(text: str) -> bool:
    return bool(CYRILLIC.search(text))


def transliterate(text: str) -> str:
    """Return `text` with its Cyrillic letters in Latin ones (KMU 2010); the rest is kept.

    Capitals stay capitals: "Євген" gives "Yevhen", a word in capitals such as
    "ЄС" gives "YES".
    """
    out: list[str] = []
    previous = ""
    for i, char in enumerate(text):
        lower = char.lower()
        following = text[i + 1 : i + 2]
        if char in APOSTROPHES and previous.isalpha() and following.isalpha():
            previous = char
            continue  # Кам'янець → Kamianets
        if lower not in LETTERS:
            out.append(char)
            previous = char
            continue
        at_start = not (previous.isalpha() or (previous and previous in APOSTROPHES))
        latin = LETTERS[lower][0 if at_start else 1]
        if lower == "г" and previous.lower() == "з":
            latin = "gh"  # зг → zgh
        if char != lower:
            whole_word_in_capitals = following.isupper() or (previous.isupper() and not at_start)
            latin = latin.upper() if whole_word_in_capitals else latin.capitalize()
        out.append(latin)
        previous = char
    return "".join(out)
