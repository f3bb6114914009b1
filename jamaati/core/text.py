"""Text normalisation for search: Arabic letter variants and Latin accents.

People type place names in many ways: with or without harakat, with any of
the hamza forms, with or without French accents. Both the indexed text and
the query go through `search_key`, so they meet on one spelling. The same
function serves SQLite and PostgreSQL, which is why it lives in Python and
not in a database collation.
"""

import re
import unicodedata

# Harakat (fathatan .. sukun, and the extended marks up to U+065F), the
# superscript alef, Quranic annotation marks, and tatweel.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")

_ARABIC_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",  # Persian yeh, common in pasted text
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ک": "ك",  # Persian keheh
        "ڭ": "ك",  # Moroccan gaf (the "g" of Agadir, Gueznaia)
        "گ": "ك",
        "ڤ": "ف",
        "پ": "ب",
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
    }
)

_LATIN_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
# Apostrophes join the letters they sit between (M'diq, N'zalat are typed Mdiq, Nzalat).
_APOSTROPHES = re.compile("['’ʼ`´‘]")
_NON_WORD = re.compile(r"[\W_]+")


def normalise_arabic(text: str) -> str:
    """Strip harakat and tatweel and unify alef, hamza, yeh and teh marbuta forms."""
    text = unicodedata.normalize("NFKC", text or "")  # presentation forms to base letters
    text = _ARABIC_MARKS.sub("", text)
    return text.translate(_ARABIC_LETTERS)


def fold_latin(text: str) -> str:
    """Strip accents, lower-case, turn punctuation into spaces and collapse spaces."""
    text = (text or "").translate(_LATIN_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text.casefold())
    return _NON_WORD.sub(" ", text).strip()


def search_key(text: str) -> str:
    """Fold any Arabic, French or mixed text to the spelling used for search."""
    return fold_latin(normalise_arabic(text))
