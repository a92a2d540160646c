package activity

import (
	"context"
	"strings"
	"testing"
	"time"

	"hearth/backend/members"
)

// threads returns the stored records' threads by remote id.
func (f *fixture) threads(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := f.svc.Scan(context.Background(), time.Time{}, func(r Record) error {
		out[r.RemoteID] = r.Thread
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestIngestKeepsTheThreadTrimmedAndDropsOneTooLong(t *testing.T) {
	f := newTestService(t)
	first := msg("m1", "ann", "How do I export?")
	first.Thread = "  m1 "
	reply := msg("m2", "kim", "Like this")
	reply.Kind, reply.Thread = Reply, "m1"
	long := msg("m3", "kim", "far too long")
	long.Kind, long.Thread = Reply, strings.Repeat("x", MaxThread+1)
	nul := msg("m4", "kim", "a NUL")
	nul.Kind, nul.Thread = Reply, "m\x001"
	edge := msg("m5", "kim", "just fits")
	edge.Kind, edge.Thread = Reply, strings.Repeat("y", MaxThread)
	f.pull(t, discord, nil, []Incoming{first, reply, long, nul, edge})
	got := f.threads(t)
	want := map[string]string{"m1": "m1", "m2": "m1", "m3": "", "m4": "", "m5": strings.Repeat("y", MaxThread)}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("thread of %s = %q, want %q", id, got[id], w)
		}
	}
}

func TestManualEntriesNameTheirThreadByTheIDOfItsFirstEntry(t *testing.T) {
	f := newTestService(t)
	f.member(t, members.CreateInput{Emails: []string{"ann@example.org"}})
	f.member(t, members.CreateInput{Emails: []string{"leo@example.org"}})
	res := f.addManual(t,
		ManualInput{Member: "ann@example.org", Kind: Post, At: manualAt, ID: " q1 ", Title: "Comment exporter ?"},
		ManualInput{Member: "leo@example.org", Kind: Reply, At: manualAt.Add(time.Hour), Thread: "q1"},
		ManualInput{Member: "leo@example.org", Kind: Reply, At: manualAt.Add(2 * time.Hour), ID: "r2", Thread: " q1"},
		ManualInput{Member: "ann@example.org", Kind: Message, At: manualAt, ID: "c1", Thread: "elsewhere"},
		ManualInput{Member: "ann@example.org", Kind: Reaction, At: manualAt, ID: "like"},
	)
	if got := outcomes(res); got != "stored stored stored stored stored" {
		t.Fatalf("%s", got)
	}
	got := f.threads(t)
	if got["id:q1"] != "q1" || got["id:r2"] != "q1" || got["id:c1"] != "elsewhere" || got["id:like"] != "" {
		t.Fatalf("threads %v", got)
	}
	n := 0
	for remote, thread := range got {
		if strings.HasPrefix(remote, "manual:") {
			n++
			if thread != "q1" {
				t.Errorf("the reply without an id has thread %q", thread)
			}
		}
	}
	if n != 1 {
		t.Fatalf("%d entries named by what they are, want 1: %v", n, got)
	}
	// An entry with the same id is the same entry, whatever else it says.
	again := f.addManual(t, ManualInput{Member: "leo@example.org", Kind: Post, At: manualAt.Add(time.Minute), ID: "q1"})
	if again[0].Outcome != ManualUnchanged || again[0].ID != res[0].ID {
		t.Fatalf("again %+v, first %+v", again[0], res[0])
	}
}

func TestManualIDsAndThreadsTooLongOrWithANulAreRejected(t *testing.T) {
	f := newTestService(t)
	f.member(t, members.CreateInput{Emails: []string{"ann@example.org"}})
	res := f.addManual(t,
		ManualInput{Member: "ann@example.org", Kind: Post, At: manualAt, ID: strings.Repeat("i", MaxRemoteID+1)},
		ManualInput{Member: "ann@example.org", Kind: Reply, At: manualAt, Thread: strings.Repeat("t", MaxThread+1)},
		ManualInput{Member: "ann@example.org", Kind: Reply, At: manualAt, ID: "a\x00b", Thread: "c\x00d"},
	)
	if got := outcomes(res); got != "rejected(id:max) rejected(thread:max) rejected(id:invalid)(thread:invalid)" {
		t.Fatalf("%s", got)
	}
	if res[0].Errors[0].Params["max"] != "512" {
		t.Fatalf("params %+v", res[0].Errors[0])
	}
	if n := f.count(t); n != 0 {
		t.Fatalf("count %d", n)
	}
}

func TestImportManualCSVReadsIDAndThreadColumnsInFrenchOrEnglish(t *testing.T) {
	f := newTestService(t)
	f.member(t, members.CreateInput{Emails: []string{"ann@example.org"}})
	f.member(t, members.CreateInput{Emails: []string{"leo@example.org"}})
	for _, file := range []string{
		"id,member,kind,at,thread,title\n" +
			"q1,ann@example.org,post,2026-04-20T18:30:00+02:00,,How do I export?\n" +
			",leo@example.org,reply,2026-04-20T19:00:00+02:00,q1,\n",
		"Réf;Membre;Type;Date;Fil de discussion;Titre\n" +
			"q2;ann@example.org;post;2026-04-21T18:30:00+02:00;;Comment exporter ?\n" +
			";leo@example.org;reply;2026-04-21T19:00:00+02:00;q2;\n",
	} {
		sum, err := f.svc.ImportManualCSV(context.Background(), strings.NewReader(file))
		if err != nil || sum.Stored != 2 || sum.Rejected != 0 {
			t.Fatalf("%+v %v", sum, err)
		}
	}
	byThread := map[string][]Kind{}
	err := f.svc.Scan(context.Background(), time.Time{}, func(r Record) error {
		byThread[r.Thread] = append(byThread[r.Thread], r.Kind)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(byThread["q1"]) != 2 || len(byThread["q2"]) != 2 || len(byThread) != 2 {
		t.Fatalf("records by thread %v", byThread)
	}
}
