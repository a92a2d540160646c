package syncstate

import (
	"testing"
	"time"
)

func TestReplicasPullTotalsMergeByMaximumAndNewestArrival(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		records []Pulled
		want    Status
	}{
		{"no pull yet", nil, Status{}},
		{"one replica", []Pulled{{Replica: "a", Activity: 10, NewMembers: 2, LastNewAt: at}},
			Status{TotalActivity: 10, TotalNewMembers: 2, LastNewAt: at}},
		{"two teammates pulling the same connection count its items once",
			[]Pulled{{Replica: "a", Activity: 10, NewMembers: 2, LastNewAt: at}, {Replica: "b", Activity: 12, NewMembers: 1, LastNewAt: at.Add(time.Hour)}},
			Status{TotalActivity: 12, TotalNewMembers: 2, LastNewAt: at.Add(time.Hour)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, order := range [][]Pulled{tc.records, reversed(tc.records)} {
				var st Status
				combine(&st, order)
				if st != tc.want {
					t.Fatalf("combine(%+v) = %+v, want %+v", order, st, tc.want)
				}
			}
		})
	}
}

func reversed(in []Pulled) []Pulled {
	out := make([]Pulled, len(in))
	for i, p := range in {
		out[len(in)-1-i] = p
	}
	return out
}
