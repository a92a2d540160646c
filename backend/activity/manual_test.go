package activity

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/store"
)

var manualAt = time.Date(2026, 4, 20, 18, 30, 0, 0, time.FixedZone("CEST", 2*3600))

func (f *fixture) addManual(t *testing.T, ins ...ManualInput) []ManualResult {
	t.Helper()
	res, err := f.svc.AddManual(context.Background(), ins)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(ins) {
		t.Fatalf("%d results for %d inputs", len(res), len(ins))
	}
	return res
}

func outcomes(res []ManualResult) string {
	var b strings.Builder
	for i, r := range res {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(string(r.Outcome))
		for _, fe := range r.Errors {
			b.WriteString("(" + fe.Field + ":" + fe.Code + ")")
		}
	}
	return b.String()
}

func TestManualEntriesFindTheirMemberByEmailHandleOrID(t *testing.T) {
	f := newTestService(t)
	ann := f.member(t, members.CreateInput{Name: "Ann", Emails: []string{"ann@example.org"}, Handles: []members.Handle{{Platform: "discord", Handle: "Ann#1"}}})
	kim := f.member(t, members.CreateInput{Handles: []members.Handle{{Platform: "mastodon", Handle: "kim@social.example"}}})
	leo := f.member(t, members.CreateInput{Emails: []string{"leo@example.org"}})
	res := f.addManual(t,
		ManualInput{Member: "ANN@example.org", Kind: Post, At: manualAt, Channel: "forum", Title: "Hello"},
		ManualInput{Member: "discord:ann#1", Kind: "Reply", At: manualAt, Channel: "forum"},
		ManualInput{Member: "Kim@Social.Example", Kind: Message, At: manualAt},
		ManualInput{Member: "mastodon:kim@social.example", Kind: Reaction, At: manualAt},
		ManualInput{Member: "ann#1", Kind: Join, At: manualAt},
		ManualInput{Member: leo.ID, Kind: Follow, At: manualAt},
	)
	want := []string{ann.ID, ann.ID, kim.ID, kim.ID, ann.ID, leo.ID}
	for i, r := range res {
		if r.Outcome != ManualStored || r.MemberID != want[i] || r.ID == "" {
			t.Fatalf("result %d: %+v", i, r)
		}
	}
	recs, err := f.svc.ForMember(context.Background(), ann.ID, 0)
	if err != nil || len(recs) != 3 {
		t.Fatalf("ann's records: %+v %v", recs, err)
	}
	for _, r := range recs {
		if r.Connection != "manual" || r.Platform != "manual" || !r.At.Equal(manualAt) || r.At.Location() != time.UTC {
			t.Fatalf("record %+v", r)
		}
	}
	if n := f.count(t); n != 6 {
		t.Fatalf("count %d", n)
	}
	if by, _ := f.svc.CountByConnection(context.Background()); by["manual"] != 6 {
		t.Fatalf("by connection %v", by)
	}
}

func TestEnteringTheSameActivityAgainStoresNothingNew(t *testing.T) {
	f := newTestService(t)
	ann := f.member(t, members.CreateInput{Emails: []string{"ann@example.org"}, Handles: []members.Handle{{Platform: "discord", Handle: "ann"}}})
	first := f.addManual(t,
		ManualInput{Member: "ann@example.org", Kind: Post, At: manualAt, Channel: "forum"},
		ManualInput{Member: "ann@example.org", Kind: Post, At: manualAt, Channel: "events"},
		// The same entry as the first, named by handle and in another zone.
		ManualInput{Member: "discord:ann", Kind: "post", At: manualAt.UTC(), Channel: " forum "},
	)
	if got := outcomes(first); got != "stored stored unchanged" || first[2].ID != first[0].ID {
		t.Fatalf("first call: %s %+v", got, first)
	}
	events := len(f.rec.Events())
	again := f.addManual(t, ManualInput{Member: ann.ID, Kind: Post, At: manualAt, Channel: "forum"},
		ManualInput{Member: "ann@example.org", Kind: Post, At: manualAt, Channel: "events"})
	if got := outcomes(again); got != "unchanged unchanged" || again[0].ID != first[0].ID {
		t.Fatalf("second call: %s", got)
	}
	if n := f.count(t); n != 2 {
		t.Fatalf("count %d", n)
	}
	if len(f.rec.Events()) != events {
		t.Fatal("an event for nothing stored")
	}
	f.addManual(t, ManualInput{Member: ann.ID, Kind: Post, At: manualAt.Add(time.Second), Channel: "forum"})
	if n := f.count(t); n != 3 {
		t.Fatalf("a second later is another entry: count %d", n)
	}
}

func TestABadEntryIsRejectedAndTheOthersAreStored(t *testing.T) {
	f := newTestService(t)
	f.member(t, members.CreateInput{Emails: []string{"ann@example.org"}})
	res := f.addManual(t,
		ManualInput{Member: "nobody@example.org", Kind: Post, At: manualAt},
		ManualInput{Member: "ann@example.org", Kind: "dance", At: manualAt},
		ManualInput{Member: "ann@example.org", Kind: Article, At: manualAt},
		ManualInput{Member: "ann@example.org", Kind: Post},
		ManualInput{Member: " ", Kind: "", At: manualAt},
		ManualInput{Member: "ghost", Kind: Post, At: manualAt},
		ManualInput{Member: "ann@example.org", Kind: Post, At: manualAt},
	)
	want := "rejected(member:member_not_found) rejected(kind:kind) rejected(kind:kind) rejected(at:required) " +
		"rejected(kind:required)(member:required) rejected(member:member_not_found) stored"
	if got := outcomes(res); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if v := res[1].Errors[0].Params["value"]; !strings.Contains(v, "reaction") || strings.Contains(v, "article") {
		t.Fatalf("allowed kinds %q", v)
	}
	if n := f.count(t); n != 1 {
		t.Fatalf("count %d", n)
	}
}

func TestABareHandleHeldByTwoMembersIsAmbiguous(t *testing.T) {
	f := newTestService(t)
	ann := f.member(t, members.CreateInput{Handles: []members.Handle{{Platform: "discord", Handle: "sam"}}})
	f.member(t, members.CreateInput{Handles: []members.Handle{{Platform: "discourse", Handle: "Sam"}}})
	// A longer handle containing the word is not a match.
	f.member(t, members.CreateInput{Handles: []members.Handle{{Platform: "discord", Handle: "samuel"}}})
	res := f.addManual(t, ManualInput{Member: "sam", Kind: Post, At: manualAt},
		ManualInput{Member: "discord:sam", Kind: Post, At: manualAt},
		ManualInput{Member: "mastodon:sam", Kind: Post, At: manualAt})
	if got := outcomes(res); got != "rejected(member:member_ambiguous) stored rejected(member:member_not_found)" || res[1].MemberID != ann.ID {
		t.Fatalf("%s %+v", got, res)
	}
}

func TestAManualEntryOfAnErasedMemberIsRefusedAndErasureForgetsTheirEntries(t *testing.T) {
	f := newTestService(t)
	ann := f.member(t, members.CreateInput{Emails: []string{"ann@example.org"}})
	f.addManual(t, ManualInput{Member: "ann@example.org", Kind: Post, At: manualAt})
	if err := f.gdpr.Erase(context.Background(), ann.ID, "ann@example.org"); err != nil {
		t.Fatal(err)
	}
	res := f.addManual(t, ManualInput{Member: "ann@example.org", Kind: Post, At: manualAt.Add(time.Hour)},
		ManualInput{Member: ann.ID, Kind: Post, At: manualAt.Add(time.Hour)})
	if got := outcomes(res); got != "rejected(member:member_not_found) rejected(member:member_not_found)" {
		t.Fatalf("%s", got)
	}
	if n := f.count(t); n != 0 {
		t.Fatalf("count %d", n)
	}
}

func TestImportManualCSVReadsSemicolonsAndABOMAndReportsLines(t *testing.T) {
	f := newTestService(t)
	f.member(t, members.CreateInput{Emails: []string{"ann@example.org"}, Handles: []members.Handle{{Platform: "discord", Handle: "kim"}}})
	file := "\ufeffMembre;Type;Date;Canal;Titre\n" +
		"ann@example.org;post;2026-04-20T18:30:00+02:00;forum;\"Bonjour; à tous\"\n" +
		"kim;reply;20/04/2026;forum;\n" +
		"\n" +
		"nobody@example.org;dance;2026-04-20T18:30:00Z;;\n" +
		"discord:kim;reply;2026-04-21T09:00:00Z;\"multi\nline\";\n" +
		"ann@example.org;post;2026-04-20T16:30:00Z;forum;same as line 2\n"
	sum, err := f.svc.ImportManualCSV(context.Background(), strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Stored != 2 || sum.Unchanged != 1 || sum.Rejected != 2 || len(sum.Errors) != 3 {
		t.Fatalf("summary %+v", sum)
	}
	want := []ManualRowError{
		{Line: 3, Column: "Date", Reason: "datetime", Params: map[string]string{"value": "20/04/2026"}},
		{Line: 5, Column: "Type", Reason: "kind"},
		{Line: 5, Column: "Membre", Reason: "member_not_found"},
	}
	for i, w := range want {
		g := sum.Errors[i]
		if g.Line != w.Line || g.Column != w.Column || g.Reason != w.Reason || (w.Params != nil && g.Params["value"] != w.Params["value"]) {
			t.Fatalf("error %d: %+v, want %+v", i, g, w)
		}
	}
	p := f.feed(t, FeedQuery{})
	if len(p.Items) != 2 || p.Items[1].Title != "Bonjour; à tous" || p.Items[0].Channel != "multi line" {
		t.Fatalf("feed %+v", p.Items)
	}
	again, err := f.svc.ImportManualCSV(context.Background(), strings.NewReader(file))
	if err != nil || again.Stored != 0 || again.Unchanged != 3 || again.Rejected != 2 {
		t.Fatalf("again %+v %v", again, err)
	}
}

func TestImportManualCSVReadsCommasInAnyColumnOrder(t *testing.T) {
	f := newTestService(t)
	f.member(t, members.CreateInput{Emails: []string{"ann@example.org"}})
	file := "channel,AT,Kind,member\r\n\"general, main\",2026-04-20T18:30:00Z,message,ann@example.org\r\n"
	sum, err := f.svc.ImportManualCSV(context.Background(), strings.NewReader(file))
	if err != nil || sum.Stored != 1 || sum.Rejected != 0 {
		t.Fatalf("%+v %v", sum, err)
	}
	if p := f.feed(t, FeedQuery{}); p.Items[0].Channel != "general, main" || p.Items[0].Kind != Message {
		t.Fatalf("%+v", p.Items)
	}
}

func TestAManualFileWithoutItsColumnsIsRefused(t *testing.T) {
	f := newTestService(t)
	for name, c := range map[string]struct{ file, code string }{
		"empty":          {"", "import_no_header"},
		"BOM only":       {"\ufeff\n", "import_no_header"},
		"no kind column": {"member,at\nann@example.org,2026-04-20T18:30:00Z\n", "activity_missing_column"},
		"broken quotes":  {"member,kind,at\n\"ann,post,x\"y\n", "activity_csv_syntax"},
		"a workbook":     {"PK\x03\x04\x14\x00", "activity_csv_workbook"},
	} {
		_, err := f.svc.ImportManualCSV(context.Background(), strings.NewReader(c.file))
		var e *errs.Error
		if !errors.As(err, &e) || e.Code != c.code || e.Kind != errs.Invalid {
			t.Fatalf("%s: %v", name, err)
		}
	}
	_, err := f.svc.ImportManualCSV(context.Background(), strings.NewReader("member,at\n"))
	if e := errs.From(err); e.Params["column"] != "kind" {
		t.Fatalf("column param %+v", e)
	}
}

func TestAMemberDeletedWhileEntriesAreWrittenHasThemRejected(t *testing.T) {
	f := newTestService(t)
	ann := f.member(t, members.CreateInput{Emails: []string{"ann@example.org"}})
	leo := f.member(t, members.CreateInput{Emails: []string{"leo@example.org"}})
	if _, err := f.members.Delete(context.Background(), ann.ID); err != nil {
		t.Fatal(err)
	}
	// As if ann had been found just before her deletion.
	ins := []ManualInput{{Member: "ann@example.org", At: manualAt}, {Member: "leo@example.org", At: manualAt}}
	out := []ManualResult{{MemberID: ann.ID}, {MemberID: leo.ID}}
	remotes := []string{manualRemoteID(ann.ID, Post, manualAt, ""), manualRemoteID(leo.ID, Post, manualAt, "")}
	e := manualEntries{kinds: []Kind{Post, Post}, remotes: remotes, threads: []string{"", ""}}
	if err := f.svc.writeManual(context.Background(), ins, e, []int{0, 1}, out); err != nil {
		t.Fatal(err)
	}
	if got := outcomes(out); got != "rejected(member:member_not_found) stored" {
		t.Fatalf("%s", got)
	}
	if n := f.count(t); n != 1 {
		t.Fatalf("count %d", n)
	}
}

// seenHook records the changes a hook is told of.
type seenHook struct{ committed []Change }

var _ Hook = (*seenHook)(nil)

func (h *seenHook) Begin()                          {}
func (h *seenHook) Apply(*store.Tx, []Change) error { return nil }
func (h *seenHook) End(c []Change)                  { h.committed = append(h.committed, c...) }

func TestTheWriteHookSeesManualEntries(t *testing.T) {
	f := newTestService(t)
	h := &seenHook{}
	f.svc.SetHook(h)
	ann := f.member(t, members.CreateInput{Emails: []string{"ann@example.org"}})
	f.addManual(t, ManualInput{Member: "ann@example.org", Kind: Post, At: manualAt, Channel: "forum"})
	f.addManual(t, ManualInput{Member: "ann@example.org", Kind: Post, At: manualAt, Channel: "forum"})
	if len(h.committed) != 1 || h.committed[0].Delta != 1 || h.committed[0].Record.MemberID != ann.ID ||
		h.committed[0].Record.Connection != "manual" || h.committed[0].Record.Kind != Post {
		t.Fatalf("hook saw %+v", h.committed)
	}
}

func TestAFileLongerThanAChunkIsAccountedLineByLineAndABrokenLastLineStoresNothing(t *testing.T) {
	f := newTestService(t)
	f.member(t, members.CreateInput{Emails: []string{"ann@example.org"}})
	f.member(t, members.CreateInput{Emails: []string{"leo@example.org"}})
	var b strings.Builder
	b.WriteString("member,kind,at,channel\n")
	start := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	n := importChunk + 100
	for i := range n {
		who := "ann@example.org"
		if i%2 == 1 {
			who = "leo@example.org"
		}
		fmt.Fprintf(&b, "%s,message,%s,general\n", who, start.Add(time.Duration(i)*time.Minute).Format(time.RFC3339))
	}
	b.WriteString("ann@example.org,message," + start.Format(time.RFC3339) + ",general\n") // line 2 again
	b.WriteString("nobody@example.org,message," + start.Format(time.RFC3339) + ",general\n")
	file := b.String()

	broken := file + "\"ann@example.org,post,2026-04-20T18:30:00Z\n"
	if _, err := f.svc.ImportManualCSV(context.Background(), strings.NewReader(broken)); errs.From(err).Code != "activity_csv_syntax" {
		t.Fatalf("a broken last line: %v", err)
	}
	if c := f.count(t); c != 0 {
		t.Fatalf("a refused file stored %d records", c)
	}
	for _, name := range []string{"a file", "a stream"} {
		var r io.Reader = strings.NewReader(file)
		if name == "a stream" {
			r = io.MultiReader(r) // cannot seek: read into memory first
		}
		sum, err := f.svc.ImportManualCSV(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		stored := n
		if name == "a stream" {
			stored = 0
		}
		if sum.Stored != stored || sum.Unchanged != n+1-stored || sum.Rejected != 1 {
			t.Fatalf("%s: summary %+v", name, sum)
		}
		if len(sum.Errors) != 1 || sum.Errors[0].Line != n+3 || sum.Errors[0].Reason != "member_not_found" {
			t.Fatalf("%s: errors %+v, want line %d", name, sum.Errors, n+3)
		}
	}
	if c := f.count(t); c != n {
		t.Fatalf("%d records stored, want %d", c, n)
	}
}
