"""Reference expansion of recurrence rules with python-dateutil, for recurrence_dateutil_test.go.

Reads a JSON list of cases from the file named on the command line, each
{"name", "zone", "dtstart": "YYYYMMDDTHHMMSS" (wall time in zone), "rrule", "exdate": [...],
"rdate": [...] (wall times in zone), "n"}, and prints {"<name>": {"instants": ["...Z", ...],
"complete": bool}}: the first n occurrences as UTC instants, and whether the set ended before n.

dateutil expands in naive wall-clock time; this script places each wall time in the zone
itself, as RFC 5545 section 3.3.5 says: an ambiguous time (clocks going back) is its first
instance; a nonexistent one (clocks going forward) is read with the UTC offset in effect
before the gap. An UNTIL in UTC ("...Z") bounds the instants (dateutil refuses it with a naive
DTSTART); duplicate instants count once; EXDATEs are removed after COUNT, as in dateutil's
rruleset.
"""

import json
import re
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

WALL = "%Y%m%dT%H%M%S"


def to_instant(naive, tz):
    """The UTC instant of the wall time naive in tz, by RFC 5545 section 3.3.5."""
    offsets = {naive.replace(tzinfo=tz, fold=f).utcoffset() for f in (0, 1)}
    valid = []
    for off in offsets:
        utc = (naive - off).replace(tzinfo=timezone.utc)
        if utc.astimezone(tz).replace(tzinfo=None) == naive:
            valid.append(utc)
    if valid:
        return min(valid)  # the first of two instances, or the only one
    # In a gap: the offset in effect just before it is the one at the earlier candidate.
    earliest = min((naive - off).replace(tzinfo=timezone.utc) for off in offsets)
    before = earliest.astimezone(tz).utcoffset()
    return (naive - before).replace(tzinfo=timezone.utc)


def expand(case):
    tz = ZoneInfo(case["zone"])
    dtstart = datetime.strptime(case["dtstart"], WALL)
    rule = case["rrule"]
    until = None
    m = re.search(r"UNTIL=(\d{8}T\d{6})Z", rule, re.IGNORECASE)
    if m:
        until = datetime.strptime(m.group(1), WALL).replace(tzinfo=timezone.utc)
        rule = rule[: m.start()] + rule[m.end():]
        rule = re.sub(r";;+", ";", rule).strip(";")
        rule = re.sub(r"(?i)^(RRULE:);", r"\1", rule)
    rr = rrulestr(rule, dtstart=dtstart)
    ex = {to_instant(datetime.strptime(v, WALL), tz) for v in case.get("exdate") or []}
    rdates = sorted(to_instant(datetime.strptime(v, WALL), tz) for v in case.get("rdate") or [])
    n = case["n"]
    out, seen = [], set()
    complete = True
    limit = datetime(9000, 1, 1, tzinfo=timezone.utc)

    def emit(t):
        if t not in seen and t not in ex:
            seen.add(t)
            out.append(t)

    for wall in rr:
        t = to_instant(wall, tz)
        if until is not None and t > until:
            break
        while rdates and rdates[0] < t:
            emit(rdates.pop(0))
        emit(t)
        if len(out) >= n:
            complete = False
            break
        if t > limit:
            break
    for t in rdates:
        if len(out) >= n:
            break
        emit(t)
    out.sort()
    if len(out) > n:
        out, complete = out[:n], False
    return {"instants": [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in out], "complete": complete}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    json.dump({c["name"]: expand(c) for c in cases}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
