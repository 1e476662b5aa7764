"""Counted nouns in Arabic and French messages: "10 دقائق", "11 دقيقة", "دقيقتان", "1 minute".

Arabic nouns agree with their number in six ways (CLDR plural categories, the ones
`Intl.PluralRules("ar")` gives the web client): zero, one, two, few (3-10), many (11-99)
and other (100, 101, 102...). French has one (0 and 1) and other."""

from __future__ import annotations

from chalicelib.notifications.rules import Language

Forms = dict[Language, dict[str, str]]


def category(count: int, language: Language) -> str:
    """The CLDR plural category of a whole number."""
    if language is Language.FR:
        return "one" if count in (0, 1) else "other"
    if count == 0:
        return "zero"
    if count == 1:
        return "one"
    if count == 2:
        return "two"
    if 3 <= count % 100 <= 10:
        return "few"
    if 11 <= count % 100 <= 99:
        return "many"
    return "other"


def count_text(count: int, forms: Forms, language: Language) -> str:
    """`{n}` in the form replaced by the number."""
    table = forms[language]
    return table.get(category(count, language), table["other"]).replace("{n}", str(count))


MINUTES: Forms = {
    Language.AR: {
        "zero": "{n} دقيقة",
        "one": "دقيقة واحدة",
        "two": "دقيقتين",
        "few": "{n} دقائق",
        "many": "{n} دقيقة",
        "other": "{n} دقيقة",
    },
    Language.FR: {"one": "{n} minute", "other": "{n} minutes"},
}
