package activity

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/backend/audit"
	"hearth/backend/clock"
	"hearth/backend/connections"
	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/gdpr"
	"hearth/backend/internal/storetest"
	"hearth/backend/members"
	"hearth/backend/notify"
	"hearth/backend/store"
)

var (
	discord = connections.Connection{ID: "01CONNDISCORD", Name: "discord", Platform: connections.Discord}
	forum   = connections.Connection{ID: "01CONNFORUM", Name: "forum", Platform: connections.Discourse}
	feed    = connections.Connection{ID: "01CONNRSS", Name: "veille", Platform: connections.RSS}
)

type fixture struct {
	dir     string
	st      *store.Store
	clock   *clock.Manual
	rec     *notify.Recorder
	members *members.Service
	svc     *Service
	gdpr    *gdpr.Service
}

// newTestService runs the activity service on a real Badger in a temporary directory, with the
// GDPR service wired as the app wires it.
func newTestService(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), clock: clock.NewManual(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)), rec: &notify.Recorder{}}
	f.open(t)
	return f
}

func (f *fixture) open(t testing.TB) {
	t.Helper()
	f.st = storetest.Open(t, f.dir, f.clock)
	f.members = members.NewService(f.st, f.clock, f.rec)
	f.svc = NewService(f.st, f.members, f.clock, f.rec)
	c := consent.NewService(f.st, f.clock, f.rec, consent.WithMemberCheck(members.Exists))
	f.gdpr = gdpr.NewService(f.st, f.members, c, audit.NewLog(f.st), f.clock, ForgetMember)
}

func (f *fixture) member(t *testing.T, in members.CreateInput) members.Member {
	t.Helper()
	m, err := f.members.Create(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (f *fixture) get(t *testing.T, id string) members.Member {
	t.Helper()
	m, err := f.members.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (f *fixture) count(t *testing.T) int {
	t.Helper()
	n, err := f.svc.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *fixture) memberCount(t *testing.T) int {
	t.Helper()
	n, err := f.members.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *fixture) feed(t *testing.T, q FeedQuery) FeedPage {
	t.Helper()
	p, err := f.svc.Feed(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// pull runs one ingest of conn with one page of people and one of activity.
func (f *fixture) pull(t *testing.T, conn connections.Connection, people []Person, items []Incoming) IngestCounts {
	t.Helper()
	in := f.svc.Ingest(conn)
	if err := in.People(context.Background(), people); err != nil {
		t.Fatal(err)
	}
	if err := in.Activities(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Second)
	return in.Counts()
}

func msg(id, handle, text string) Incoming {
	return Incoming{RemoteID: id, Kind: Message, At: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC), Channel: "general",
		Link: "https://discord.com/channels/1/2/" + id, Text: text, Author: &Person{Handle: handle}}
}

func handleOf(m members.Member, platform string) string {
	for _, h := range m.Handles {
		if h.Platform == platform {
			return h.Handle
		}
	}
	return ""
}

func TestPeopleAreMatchedByEmailOrHandleAndUnknownPeopleBecomeMembers(t *testing.T) {
	f := newTestService(t)
	alice := f.member(t, members.CreateInput{Name: "Alice Martin", Emails: []string{"alice@example.org"}})
	bob := f.member(t, members.CreateInput{Handles: []members.Handle{{Platform: "discord", Handle: "Bob"}}})
	got := f.pull(t, discord, []Person{
		{RemoteID: "1", Handle: "alice_d", Email: "ALICE@example.org", Name: "Alice on Discord"},
		{RemoteID: "2", Handle: "bob", Name: "Robert", Email: "bob@example.org"},
		{RemoteID: "3", Handle: "carol", Name: "Carol"},
	}, nil)
	if want := (IngestCounts{People: 3, Created: 1}); got != want {
		t.Fatalf("counts: %+v, want %+v", got, want)
	}
	a := f.get(t, alice.ID)
	if a.Name != "Alice Martin" || handleOf(a, "discord") != "alice_d" || !slices.Equal(a.Emails, []string{"alice@example.org"}) {
		t.Fatalf("alice: %+v", a)
	}
	b := f.get(t, bob.ID)
	if b.Name != "Robert" || !slices.Equal(b.Emails, []string{"bob@example.org"}) || handleOf(b, "discord") != "Bob" {
		t.Fatalf("bob (no name before, so given one; handle kept as it was): %+v", b)
	}
	c, err := f.members.Find(context.Background(), "carol")
	if err == nil {
		t.Fatalf("carol found by id %q?", c.ID)
	}
	p, err := f.members.List(context.Background(), members.ListQuery{Search: "carol"})
	if err != nil || p.Total != 1 || p.Items[0].Name != "Carol" || handleOf(p.Items[0], "discord") != "carol" {
		t.Fatalf("carol: %+v %v", p, err)
	}
}

func TestTheNameOfAnExistingMemberIsNeverOverwritten(t *testing.T) {
	f := newTestService(t)
	m := f.member(t, members.CreateInput{Name: "Hélène Durand", Handles: []members.Handle{{Platform: "discourse", Handle: "helene"}}})
	f.pull(t, forum, []Person{{Handle: "Helene", Name: "hd_1987"}}, []Incoming{
		{RemoteID: "p1", Kind: Post, Author: &Person{Handle: "helene", Name: "someone else"}},
	})
	if got := f.get(t, m.ID); got.Name != "Hélène Durand" || len(got.Handles) != 1 {
		t.Fatalf("member changed: %+v", got)
	}
	if page := f.feed(t, FeedQuery{}); len(page.Items) != 1 || page.Items[0].MemberID != m.ID || page.Items[0].MemberName != "Hélène Durand" {
		t.Fatalf("feed: %+v", page)
	}
}

func TestActivityAuthorsBecomeMembersAndASecondPullStoresNothingNew(t *testing.T) {
	f := newTestService(t)
	page := []Incoming{msg("m1", "dana", "salut"), msg("m2", "eli", "bonjour"), msg("m3", "Dana", "ça va ?")}
	got := f.pull(t, discord, nil, page)
	if want := (IngestCounts{People: 2, Created: 2, Activity: 3}); got != want {
		t.Fatalf("first pull: %+v, want %+v", got, want)
	}
	again := f.pull(t, discord, nil, page)
	if want := (IngestCounts{People: 2, Activity: 0}); again != want {
		t.Fatalf("second pull: %+v, want %+v", again, want)
	}
	if n := f.count(t); n != 3 {
		t.Fatalf("count %d", n)
	}
	if n := f.memberCount(t); n != 2 {
		t.Fatalf("members %d", n)
	}
	// The same remote id on another connection is another item.
	if got := f.pull(t, forum, nil, []Incoming{{RemoteID: "m1", Kind: Post, Author: &Person{Handle: "dana"}}}); got.Activity != 1 {
		t.Fatalf("other connection: %+v", got)
	}
	byConn, err := f.svc.CountByConnection(context.Background())
	if err != nil || byConn[discord.ID] != 3 || byConn[forum.ID] != 1 {
		t.Fatalf("by connection: %v %v", byConn, err)
	}
	var ev []ChangedEvent
	for _, e := range f.rec.Events() {
		if e.Name == EventChanged {
			ev = append(ev, e.Payload.(ChangedEvent))
		}
	}
	if len(ev) != 2 || ev[0] != (ChangedEvent{Connection: discord.ID, Activity: 3, Created: 2}) {
		t.Fatalf("events (none for the pull that stored nothing): %+v", ev)
	}
}

func TestRepeatsWithinOnePageAreStoredOnce(t *testing.T) {
	f := newTestService(t)
	got := f.pull(t, discord, nil, []Incoming{msg("m1", "dana", "a"), msg("m1", "dana", "a")})
	if got.Activity != 1 || f.count(t) != 1 {
		t.Fatalf("%+v, count %d", got, f.count(t))
	}
}

func TestAnErasedPersonIsNotRecreatedAndTheirActivityIsDropped(t *testing.T) {
	f := newTestService(t)
	f.pull(t, discord, []Person{{Handle: "gone", Email: "gone@example.org", Name: "Gone"}},
		[]Incoming{msg("m1", "gone", "mon numéro est le 06 12 34 56 78"), msg("m2", "stay", "hello")})
	m, err := f.members.Find(context.Background(), "gone@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.gdpr.Erase(context.Background(), m.ID, "gone@example.org"); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t); n != 1 {
		t.Fatalf("count after erasure: %d", n)
	}
	// Pulled again, by handle and by e-mail, with new messages: nothing comes back.
	got := f.pull(t, discord,
		[]Person{{Handle: "gone"}, {Handle: "gone_again", Email: "GONE@example.org"}},
		[]Incoming{msg("m1", "gone", "mon numéro"), msg("m3", "gone", "again"), msg("m4", "gone_again", "x"), msg("m2", "stay", "hello")})
	if want := (IngestCounts{People: 3, Suppressed: 2, Dropped: 3}); got != want {
		t.Fatalf("counts: %+v, want %+v", got, want)
	}
	if n := f.memberCount(t); n != 1 {
		t.Fatalf("members: %d", n)
	}
	for _, it := range f.feed(t, FeedQuery{}).Items {
		if it.RemoteID != "m2" {
			t.Fatalf("erased person's activity in the feed: %+v", it)
		}
	}
}

func TestAPersonErasedDuringAPullHasNoFurtherActivityStored(t *testing.T) {
	f := newTestService(t)
	in := f.svc.Ingest(discord)
	ctx := context.Background()
	if err := in.Activities(ctx, []Incoming{msg("m1", "fay", "one")}); err != nil {
		t.Fatal(err)
	}
	p, _ := f.members.List(ctx, members.ListQuery{Search: "fay"})
	// A member known only by a handle is confirmed by typing the handle.
	if err := f.gdpr.Erase(ctx, p.Items[0].ID, "fay"); err != nil {
		t.Fatal(err)
	}
	// The ingest remembers fay's member id; it must notice the member is gone.
	if err := in.Activities(ctx, []Incoming{msg("m2", "fay", "two"), msg("m3", "gil", "three")}); err != nil {
		t.Fatal(err)
	}
	if got := in.Counts(); got.Activity != 2 || got.Dropped != 1 || got.Suppressed != 1 {
		t.Fatalf("counts: %+v", got)
	}
	if n := f.count(t); n != 1 {
		t.Fatalf("count: %d", n)
	}
}

func TestAPersonDeletedDuringAPullIsLinkedAgain(t *testing.T) {
	f := newTestService(t)
	in := f.svc.Ingest(discord)
	ctx := context.Background()
	if err := in.Activities(ctx, []Incoming{msg("m1", "hal", "one")}); err != nil {
		t.Fatal(err)
	}
	p, _ := f.members.List(ctx, members.ListQuery{Search: "hal"})
	if _, err := f.members.Delete(ctx, p.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := in.Activities(ctx, []Incoming{msg("m2", "hal", "two")}); err != nil {
		t.Fatal(err)
	}
	p2, _ := f.members.List(ctx, members.ListQuery{Search: "hal"})
	recs, err := f.svc.ForMember(ctx, p2.Items[0].ID, 10)
	if err != nil || len(recs) != 1 || recs[0].RemoteID != "m2" {
		t.Fatalf("new member's activity: %+v %v", recs, err)
	}
}

func TestPeopleWhoCannotBeMembersAreCountedNotFatal(t *testing.T) {
	f := newTestService(t)
	long := strings.Repeat("x", 101)
	got := f.pull(t, discord, []Person{{Handle: long}, {Handle: "  "}, {Handle: "ivy", Email: "not an address"}},
		[]Incoming{msg("m1", long, "dropped"), msg("m2", "ivy", "kept")})
	if want := (IngestCounts{People: 3, Created: 1, Invalid: 2, Activity: 1, Dropped: 1}); got != want {
		t.Fatalf("counts: %+v, want %+v", got, want)
	}
	p, _ := f.members.List(context.Background(), members.ListQuery{Search: "ivy"})
	if p.Total != 1 || len(p.Items[0].Emails) != 0 {
		t.Fatalf("ivy (kept without the bad address): %+v", p)
	}
}

func TestAHandleAndAnEmailOfTwoMembersGoToTheHandlesOwner(t *testing.T) {
	f := newTestService(t)
	byHandle := f.member(t, members.CreateInput{Name: "J on Discord", Handles: []members.Handle{{Platform: "discord", Handle: "jo"}}})
	byEmail := f.member(t, members.CreateInput{Name: "Jo by mail", Emails: []string{"jo@example.org"}})
	got := f.pull(t, discord, []Person{{Handle: "jo", Email: "jo@example.org"}}, []Incoming{msg("m1", "jo", "hi")})
	if got.Conflicts != 1 || got.Activity != 1 {
		t.Fatalf("counts: %+v", got)
	}
	if recs, _ := f.svc.ForMember(context.Background(), byHandle.ID, 0); len(recs) != 1 {
		t.Fatalf("handle's owner has %d records", len(recs))
	}
	if m := f.get(t, byEmail.ID); len(m.Handles) != 0 {
		t.Fatalf("e-mail's owner changed: %+v", m)
	}
}

func TestLinksAreKeptOnlyWhenAbsoluteHTTP(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://forum.example.org/t/42", "https://forum.example.org/t/42"},
		{"  HTTP://Example.org/a?b=c#d ", "http://Example.org/a?b=c#d"},
		{"javascript:alert(1)", ""},
		{"JavaScript:alert(1)", ""},
		{"data:text/html;base64,PHNjcmlwdD4=", ""},
		{"/t/42", ""},
		{"//evil.example/x", ""},
		{"https://user:secret@example.org/", ""},
		{"https:///nohost", ""},
		{"ftp://example.org/f", ""},
		{"https://example.org/\x00", ""},
		{"https://example.org/" + strings.Repeat("a", MaxLink), ""},
	} {
		if got := CleanLink(tc.in); got != tc.want {
			t.Errorf("CleanLink(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	f := newTestService(t)
	f.pull(t, feed, nil, []Incoming{{RemoteID: "a1", Kind: Article, Link: "javascript:alert(1)", Title: "T"}})
	if it := f.feed(t, FeedQuery{}).Items; len(it) != 1 || it[0].Link != "" {
		t.Fatalf("stored: %+v", it)
	}
}

func TestTextAndTitleAreCutAndCleaned(t *testing.T) {
	f := newTestService(t)
	long := strings.Repeat("é", MaxText+50)
	f.pull(t, feed, nil, []Incoming{{RemoteID: "a1", Kind: Article, Title: "A\x07 title\nwith a break " + strings.Repeat("t", MaxTitle),
		Text: "line 1\nline 2\x1b[31m" + long}})
	r := f.feed(t, FeedQuery{}).Items[0]
	if n := len([]rune(r.Text)); n != MaxText || !strings.HasPrefix(r.Text, "line 1\nline 2[31m") || !strings.HasSuffix(r.Text, "…") {
		t.Fatalf("text: %d runes, %q...", n, r.Text[:20])
	}
	if n := len([]rune(r.Title)); n != MaxTitle || !strings.HasPrefix(r.Title, "A title with a break") {
		t.Fatalf("title: %d runes, %q", n, r.Title[:25])
	}
}

func TestFeedArticlesHaveNoMember(t *testing.T) {
	f := newTestService(t)
	got := f.pull(t, feed, nil, []Incoming{
		{RemoteID: "https://blog.example/1", Kind: Article, Title: "Un article", Author: &Person{Handle: "auteur"}},
		{RemoteID: "", Kind: Article},
		{RemoteID: "x", Kind: "bogus"},
	})
	if want := (IngestCounts{Activity: 1, Dropped: 2}); got != want {
		t.Fatalf("counts: %+v, want %+v", got, want)
	}
	if n := f.memberCount(t); n != 0 {
		t.Fatalf("members created from a feed: %d", n)
	}
	if it := f.feed(t, FeedQuery{}).Items; len(it) != 1 || it[0].MemberID != "" || it[0].Title != "Un article" {
		t.Fatalf("feed: %+v", it)
	}
}

func TestTheFeedPagesNewestFirstAndFilters(t *testing.T) {
	f := newTestService(t)
	var page []Incoming
	for i := range 120 {
		it := msg(fmt.Sprintf("m%03d", i), []string{"kim", "lou"}[i%2], fmt.Sprint(i))
		if i%3 == 0 {
			it.Kind = Reaction
		}
		page = append(page, it)
	}
	f.pull(t, discord, nil, page[:60])
	f.pull(t, discord, nil, page[60:])
	f.pull(t, forum, nil, []Incoming{{RemoteID: "t1", Kind: Post, Author: &Person{Handle: "kim"}}})

	var seen []string
	q := FeedQuery{Limit: 50, Connection: discord.ID}
	for pages := 0; ; pages++ {
		p := f.feed(t, q)
		for _, it := range p.Items {
			seen = append(seen, it.RemoteID)
		}
		if p.Next == "" {
			if pages != 2 {
				t.Fatalf("%d pages", pages+1)
			}
			break
		}
		q.Before = p.Next
	}
	if len(seen) != 120 || seen[0] != "m119" || seen[119] != "m000" {
		t.Fatalf("order: %d items, %v ... %v", len(seen), seen[:3], seen[len(seen)-3:])
	}
	all := f.feed(t, FeedQuery{Limit: 1})
	if all.Items[0].RemoteID != "t1" || all.Items[0].MemberName != "kim" {
		t.Fatalf("newest of all: %+v", all.Items[0])
	}
	if n := len(f.feed(t, FeedQuery{Limit: 500, Kind: Reaction}).Items); n != 40 {
		t.Fatalf("reactions: %d", n)
	}
	kim := f.feed(t, FeedQuery{Limit: 2, Connection: discord.ID}).Items[1].MemberID // m118
	byKim := f.feed(t, FeedQuery{Limit: 30, MemberID: kim})
	if len(byKim.Items) != 30 || byKim.Items[0].RemoteID != "m118" || byKim.Items[0].MemberName != "kim" || byKim.Next == "" {
		t.Fatalf("kim's first page: %d items, %+v", len(byKim.Items), byKim.Items[0])
	}
	rest := f.feed(t, FeedQuery{Limit: 500, MemberID: kim, Before: byKim.Next, Connection: discord.ID})
	if len(rest.Items) != 30 || rest.Next != "" || rest.Items[29].RemoteID != "m000" {
		t.Fatalf("kim's rest: %d items, next %q", len(rest.Items), rest.Next)
	}
	if other := f.feed(t, FeedQuery{MemberID: all.Items[0].MemberID}).Items; len(other) != 1 {
		t.Fatalf("the forum's kim is another member (handles are per platform): %+v", other)
	}
	_, err := f.svc.Feed(context.Background(), FeedQuery{Limit: 501, Kind: "nope"})
	if fe := errs.From(err); fe.Kind != errs.Invalid || len(fe.Fields) != 2 {
		t.Fatalf("bad query: %v", err)
	}
}

func TestForgetMemberRemovesTheMembersActivity(t *testing.T) {
	f := newTestService(t)
	f.pull(t, discord, nil, []Incoming{msg("m1", "max", "a"), msg("m2", "max", "b"), msg("m3", "noa", "c")})
	f.pull(t, forum, nil, []Incoming{{RemoteID: "p1", Kind: Post, Author: &Person{Handle: "max"}}})
	p, _ := f.members.List(context.Background(), members.ListQuery{Search: "max"})
	maxID := p.Items[0].ID // the forum's "max" is another member: handles are per platform
	if err := f.st.UpdateDurable(context.Background(), func(tx *store.Tx) error { return ForgetMember(tx, maxID) }); err != nil {
		t.Fatal(err)
	}
	if recs, err := f.svc.ForMember(context.Background(), maxID, 0); err != nil || len(recs) != 0 {
		t.Fatalf("left: %+v %v", recs, err)
	}
	if n := f.count(t); n != 2 {
		t.Fatalf("count: %d", n)
	}
	var left []string
	_ = f.svc.Scan(context.Background(), time.Time{}, func(r Record) error { left = append(left, r.RemoteID); return nil })
	slices.Sort(left)
	if !slices.Equal(left, []string{"m3", "p1"}) {
		t.Fatalf("left: %v", left)
	}
	// Its unique index entries went with it: the same items could be stored again.
	var free bool
	_ = f.st.View(func(tx *store.Tx) error {
		_, err := store.Lookup(tx, records, "remote", remoteKey(discord.ID, "m1"))
		free = errors.Is(err, errs.NotFound)
		return nil
	})
	if !free {
		t.Fatal("unique index entry left behind")
	}
}

func TestScanStreamsRecordsSinceATime(t *testing.T) {
	f := newTestService(t)
	base := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	var items []Incoming
	for i := range 10 {
		it := msg(fmt.Sprint(i), "oda", "x")
		it.At = base.Add(time.Duration(i) * 24 * time.Hour)
		items = append(items, it)
	}
	f.pull(t, discord, nil, items)
	n := 0
	err := f.svc.Scan(context.Background(), base.Add(5*24*time.Hour), func(r Record) error {
		if r.At.Before(base.Add(5 * 24 * time.Hour)) {
			t.Errorf("too old: %v", r.At)
		}
		n++
		return nil
	})
	if err != nil || n != 5 {
		t.Fatalf("%d records, %v", n, err)
	}
	stop := errors.New("stop")
	if err := f.svc.Scan(context.Background(), time.Time{}, func(Record) error { return stop }); !errors.Is(err, stop) {
		t.Fatalf("fn's error: %v", err)
	}
}

func TestActivityOutlivesAReopenAndStaysSealed(t *testing.T) {
	f := newTestService(t)
	f.pull(t, discord, nil, []Incoming{msg("m1", "pia", "un secret bien gardé")})
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	f.open(t)
	if f.count(t) != 1 || f.feed(t, FeedQuery{}).Items[0].Text != "un secret bien gardé" {
		t.Fatal("lost on reopen")
	}
}

func TestErasingATalkativeMemberFitsInOneTransactionAndLeavesNothingReadable(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	in := f.svc.Ingest(discord)
	items := make([]Incoming, 0, 1000)
	for i := range 10_000 {
		items = append(items, msg(fmt.Sprint(i), "chatty", "blabla"))
		if len(items) == cap(items) {
			if err := in.Activities(ctx, items); err != nil {
				t.Fatal(err)
			}
			items = items[:0]
		}
	}
	if err := in.Activities(ctx, []Incoming{msg("other", "quiet", "hi")}); err != nil {
		t.Fatal(err)
	}
	chatty := f.feed(t, FeedQuery{Limit: 2}).Items[1].MemberID
	if err := f.gdpr.Erase(ctx, chatty, "chatty"); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t); n != 1 {
		t.Fatalf("count %d", n)
	}
	n := 0
	_ = f.svc.Scan(ctx, time.Time{}, func(r Record) error {
		if r.MemberID == chatty {
			t.Fatalf("readable after erasure: %+v", r)
		}
		n++
		return nil
	})
	if n != 1 {
		t.Fatalf("scan found %d", n)
	}
	if p := f.feed(t, FeedQuery{}); len(p.Items) != 1 || p.Items[0].RemoteID != "other" {
		t.Fatalf("feed: %+v", p)
	}
}
