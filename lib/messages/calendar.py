"""The calendar invitation an introduction carries: one event for the pair's first trial slot (RFC 5545).

Built with the `icalendar` library at send time, so the organizer is the address the mail goes from.
The outbox stores only the event (start in UTC, length, the time zone to show it in, title) as JSON in
`messages.calendar`; the invitation (METHOD:REQUEST, both members as attendees who are asked to
answer, the moderator as organizer, a VTIMEZONE for the zone) is made from it when the mail is built.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.headerregistry import Address
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress

PRODID = "-//Peer mentoring dashboard//Outbox//EN"


def event(start: datetime, minutes: int, zone: str, summary: str, uid: str) -> str:
    """The stored form of an invitation (JSON)."""
    return json.dumps(
        {
            "start": start.astimezone(UTC).isoformat(),
            "minutes": int(minutes),
            "zone": zone,
            "summary": summary,
            "uid": uid,
        }
    )


def invitation(stored: str, organizer: Address, attendees: list[tuple[str, str]]) -> bytes:
    """The .ics bytes (CRLF lines) for a stored event, the sender as organizer, (name, email) attendees."""
    spec = json.loads(stored)
    start = datetime.fromisoformat(spec["start"]).astimezone(ZoneInfo(spec["zone"]))
    meeting = Event.new(
        uid=spec["uid"],
        summary=spec["summary"],
        start=start,
        end=start + timedelta(minutes=spec["minutes"]),
        organizer=vCalAddress.new(organizer.addr_spec, cn=organizer.display_name or organizer.addr_spec),
        attendees=[vCalAddress.new(email, cn=name or email, rsvp=True) for name, email in attendees],
    )
    meeting.add("dtstamp", datetime.now(UTC))
    calendar = Calendar.new(prodid=PRODID, method="REQUEST", subcomponents=[meeting])
    calendar.add_missing_timezones()
    return calendar.to_ical()
