package calendar

import (
	"os"
	"strings"
	"time"
)

// LocalZoneName guesses the computer's IANA zone name ("Europe/Paris"), which time.Local does
// not give on Unix ("Local"): from $TZ, then from where /etc/localtime points. "UTC" when
// neither says.
func LocalZoneName() string {
	if tz := strings.TrimPrefix(os.Getenv("TZ"), ":"); tz != "" {
		if _, err := time.LoadLocation(tz); err == nil {
			return tz
		}
	}
	if name := time.Local.String(); name != "Local" && name != "" {
		return name
	}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if _, name, ok := strings.Cut(target, "zoneinfo/"); ok {
			if _, err := time.LoadLocation(name); err == nil {
				return name
			}
		}
	}
	return "UTC"
}
