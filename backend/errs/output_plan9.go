package errs

// NoRoomFor classifies a failure to write a file (see output.go); Plan 9 has no ENOSPC to
// recognise, so it is always nil there.
func NoRoomFor(path string, err error) *Error { return nil }
