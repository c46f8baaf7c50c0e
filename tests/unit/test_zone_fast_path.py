"""An answer that is exactly a canonical IANA name is read without building the name indexes, and reads the same."""

from __future__ import annotations

from zoneinfo import available_timezones

from lib.intake import timezones


def test_exact_iana_names_read_as_the_full_reader_reads_them():
    fast = {z: timezones._exact_iana(z) for z in sorted(available_timezones())}
    taken = {z: found for z, found in fast.items() if found}
    assert "Europe/Berlin" in taken and "America/Sao_Paulo" in taken
    # Aliases, UTC names and Etc zones go the long way (they are renamed there).
    assert fast["Asia/Calcutta"] is None and fast["Etc/GMT+5"] is None
    assert fast["UTC"] == fast["Etc/UTC"] == fast["GMT"] == "UTC"
    for zone, found in taken.items():
        assert _long_way(zone) == found, zone


def _long_way(zone: str) -> str | None:
    """What the reader says without the fast path."""
    original = timezones._exact_iana
    timezones._exact_iana = lambda clean: None
    try:
        return timezones._zone_or_reason.__wrapped__(zone)[0]
    finally:
        timezones._exact_iana = original


def test_a_drop_down_answer_does_not_build_the_indexes():
    timezones._index.cache_clear()
    timezones._zone_or_reason.cache_clear()
    assert timezones.to_zone("Europe/Berlin") == "Europe/Berlin"
    assert timezones._index.cache_info().currsize == 0
    assert timezones.to_zone("Berlin") == "Europe/Berlin"
    assert timezones._index.cache_info().currsize == 1
