"""TIMEX3 values: well-formedness and granularity.

Accepted values (TimeML 1.2.1 TIMEX3 ``value``, plus ISO 8601 intervals ``A/B`` for
answer keys that give a date range):

* calendar dates at any granularity: ``2020``, ``2020-01``, ``2020-01-16``, ``2020-W03``,
  ``XXXX-WXX-5`` (a weekday, for SETs such as "every Friday"),
  ``2020-Q1``, ``2020-SU`` (seasons SP/SU/FA/WI), decades/centuries ``199`` / ``19``, with
  ``X`` placeholders (``XXXX-01-16``);
* times: ``2020-01-17T05:06``, ``2020-01-17T05:06:30``, ``2020-01-16TEV`` (MO/AF/EV/NI/DT);
* durations: ``P9Y``, ``P1W``, ``P2D``, ``PT3H``, ``P1Y6M``, ``PXY`` (unspecified);
* references: ``PRESENT_REF``, ``PAST_REF``, ``FUTURE_REF``;
* intervals ``2019-12-01/2020-01-16`` of two calendar dates or times.
"""

from __future__ import annotations

import re

_PART_OF_DAY = r"(?:MO|AF|EV|NI|DT)"
_DATE = (
    r"(?:"
    r"[0-9X]{4}-(?:0[1-9]|1[0-2]|XX)-(?:0[1-9]|[12][0-9]|3[01]|XX)"  # day
    r"|[0-9X]{4}-(?:0[1-9]|1[0-2]|XX)"  # month
    r"|[0-9X]{4}-W(?:0[1-9]|[1-4][0-9]|5[0-3]|XX)(?:-WE|-[1-7])?"  # week (weekend, weekday)
    r"|[0-9X]{4}-Q[1-4X]"  # quarter
    r"|[0-9X]{4}-H[12X]"  # half year
    r"|[0-9X]{4}-(?:SP|SU|FA|WI)"  # season
    r"|[0-9X]{4}"  # year
    r"|[0-9]{2,3}"  # century / decade
    r")"
)
_TIME = (
    r"T(?:(?:[01][0-9]|2[0-4])(?::[0-5][0-9](?::[0-5][0-9](?:\.[0-9]+)?)?)?|" + _PART_OF_DAY + r")"
)
_POINT = _DATE + r"(?:" + _TIME + r")?"
_NUM = r"(?:[0-9]+(?:\.[0-9]+)?|X)"
_DURATION = (
    r"P(?:"
    r"(?:" + _NUM + r"Y)?(?:" + _NUM + r"M)?(?:" + _NUM + r"W)?(?:" + _NUM + r"D)?"
    r"(?:T(?:" + _NUM + r"H)?(?:" + _NUM + r"M)?(?:" + _NUM + r"S)?)?"
    r")"
)
_REF = r"(?:PRESENT_REF|PAST_REF|FUTURE_REF)"

_POINT_RE = re.compile(r"\A" + _POINT + r"\Z")
_DURATION_RE = re.compile(r"\A" + _DURATION + r"\Z")
_VALUE_RE = re.compile(
    r"\A(?:" + _POINT + r"/" + _POINT + r"|" + _POINT + r"|" + _DURATION + r"|" + _REF + r")\Z"
)


def is_valid_value(value: object) -> bool:
    """True when ``value`` is a well-formed TIMEX3 value (see the module docstring)."""
    if not isinstance(value, str) or not _VALUE_RE.match(value):
        return False
    if value.startswith("P"):
        return _is_nonempty_duration(value)
    return True


def _is_nonempty_duration(value: str) -> bool:
    body = value[1:].replace("T", "")
    return bool(body) and not value.endswith("T")


def is_duration(value: str) -> bool:
    return bool(_DURATION_RE.match(value)) and _is_nonempty_duration(value)


def is_point(value: str) -> bool:
    return bool(_POINT_RE.match(value))


def type_agrees(value: str, timex_type: str) -> bool:
    """Whether a value's shape fits its TIMEX3 type (a DURATION is a ``P…`` value, etc.)."""
    if timex_type == "DURATION":
        return is_duration(value)
    if timex_type == "TIME":
        return "T" in value and not is_duration(value)
    if timex_type == "DATE":
        return not is_duration(value)
    return True  # SET values take either shape (P1W, XXXX-WXX-1)


def truncate(value: str, granularity: str) -> str:
    """Coarsen a calendar value to ``year``/``month``/``day`` granularity.

    Values that are not calendar points (durations, references, intervals) are returned
    unchanged. ``truncate("2020-01-16T05:06", "month") == "2020-01"``.
    """
    if not is_point(value):
        return value
    date = value.split("T", 1)[0]
    parts = date.split("-")
    keep = {"year": 1, "month": 2, "day": 3}[granularity]
    if len(parts) >= 2 and not parts[1].isdigit():  # week/quarter/season: year is the common part
        keep = 1 if granularity != "day" or len(parts) < 3 else keep
    return "-".join(parts[:keep])
