"""Date, time and number formats per language (settings.FORMAT_MODULE_PATH).

Django's own locale modules leave Arabic half done: its DATETIME_FORMAT and
SHORT_DATETIME_FORMAT fall back to the American defaults ("نوفمبر 23, 2026" and
"11/23/2026"), it uses a 12-hour clock, and Amazigh has no module at all. These
modules give every language day-month-year order, a 24-hour clock and Western digits
(0-9, as Moroccan administrations write them), and list ISO first among the input
formats, because `<input type="date">` only accepts 2026-11-23.
"""
