//go:build !linux

package store

const canTrim = false

func residentFileBytes() int64 { return 0 }

func trimMappings([]string) {}
