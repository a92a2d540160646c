package analytics

import "time"

// A day is a calendar day in the workspace's zone, numbered from 1970-01-01 (day 0) so that
// consecutive days have consecutive numbers whatever the zone's DST changes.
const noDay = int32(-1 << 30)

// civil numbers the date y-m-d.
func civil(y int, m time.Month, d int) int32 {
	return int32(floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), 86400))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// dayOf is the day holding t in zone z.
func dayOf(t time.Time, z *time.Location) int32 {
	y, m, d := t.In(z).Date()
	return civil(y, m, d)
}

// date is day d's calendar date.
func date(d int32) (int, time.Month, int) {
	return time.Unix(int64(d)*86400, 0).UTC().Date()
}

// dayStart is the instant day d begins in zone z.
func dayStart(d int32, z *time.Location) time.Time {
	y, m, dd := date(d)
	return time.Date(y, m, dd, 0, 0, 0, 0, z)
}

// dayString writes day d as YYYY-MM-DD.
func dayString(d int32) string {
	return time.Unix(int64(d)*86400, 0).UTC().Format(time.DateOnly)
}

// month numbers day d's month (year*12 + month-1).
func month(d int32) int {
	y, m, _ := date(d)
	return y*12 + int(m) - 1
}

// monthStart is the first day of month number mi.
func monthStart(mi int) int32 { return civil(mi/12, time.Month(mi%12+1), 1) }

// monthString writes month number mi as YYYY-MM.
func monthString(mi int) string {
	return time.Date(mi/12, time.Month(mi%12+1), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
}

// rangeDays turns a range into the days it touches: [d0, d1). A range ending exactly at a
// midnight does not touch the day that midnight begins.
func rangeDays(r Range, z *time.Location) (d0, d1 int32) {
	d0 = dayOf(r.From, z)
	d1 = dayOf(r.To.Add(-time.Nanosecond), z) + 1
	return d0, max(d1, d0)
}
