package smtp_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/mail"
	"os"
	"os/exec"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/newsletter"
	"hearth/backend/newsletter/newslettertest"
	"hearth/sync/smtp"
	"hearth/sync/smtp/smtptest"
)

// The child half of TestAKilledSendNeverDeliversAMessageTwice: it opens the workspace the parent
// made and sends the newsletter until the parent kills it (or it ends).
const (
	killChildDir = "HEARTH_KILL_CHILD_DIR"
	killChildID  = "HEARTH_KILL_CHILD_NEWSLETTER"
)

func TestKilledSendChild(t *testing.T) {
	dir := os.Getenv(killChildDir)
	e := newslettertest.Open(t, dir, clock.System{}, smtp.Dialer{Timeout: 5 * time.Second}, fast())
	// A kill that came after the last message leaves nothing to do: that is a conflict.
	if _, err := e.News.Send(ctx, os.Getenv(killChildID), nil); err != nil && errs.From(err).Code != "newsletter_already_sent" {
		t.Fatal(err)
	}
}

// TestAKilledSendNeverDeliversAMessageTwice kills the sending process (SIGKILL) at random points
// of a newsletter's send, resumes it each time in a new process, and checks with the server,
// which outlives every kill, that no Message-ID arrived twice and that every recipient either
// got the newsletter once (and is marked sent) or is reported uncertain; then that resending the
// uncertain ones, as the manager may, reaches everyone.
func TestAKilledSendNeverDeliversAMessageTwice(t *testing.T) {
	const recipients, kills = 500, 10
	srv, e := consentingWorkspace(t, recipients)
	n := e.Draft(t, newsletter.Input{Subject: "Nouvelles", BodyMarkdown: "Bonjour {{first_name}}"})
	e.Close(t)

	rng := seeded(t, 7)
	run := func(killAfter time.Duration) (killed bool) {
		return runChild(t, "TestKilledSendChild", killAfter, killChildDir+"="+e.Dir, killChildID+"="+n.ID)
	}
	killed := 0
	for range kills {
		before := srv.Count.Load()
		if run(time.Duration(150+rng.IntN(600)) * time.Millisecond) {
			killed++
		}
		t.Logf("run: %d messages accepted", srv.Count.Load()-before)
	}
	run(0) // resume to the end
	if killed < kills/2 {
		t.Fatalf("only %d of %d runs were killed mid-send: the machine is too fast for this test's timings", killed, kills)
	}

	byID := map[string]int{}
	byRcpt := map[string]int{}
	for _, m := range srv.Received() {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		byID[msg.Header.Get("Message-ID")]++
		byRcpt[m.To[0]]++
	}
	for id, c := range byID {
		if c > 1 {
			t.Errorf("Message-ID %s delivered %d times", id, c)
		}
	}

	e2 := newslettertest.Open(t, e.Dir, clock.System{}, smtp.Dialer{Timeout: 5 * time.Second}, fast())
	got, err := e2.News.Get(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := e2.News.Deliveries(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	uncertain := 0
	for _, d := range ds {
		switch d.Status {
		case newsletter.DeliverySent:
			if byRcpt[d.Email] != 1 {
				t.Errorf("%s is marked sent and got %d messages", d.Email, byRcpt[d.Email])
			}
		case newsletter.DeliveryUncertain:
			uncertain++
			if byRcpt[d.Email] > 1 {
				t.Errorf("%s is uncertain and got %d messages", d.Email, byRcpt[d.Email])
			}
		default:
			t.Errorf("%s is left %s", d.Email, d.Status)
		}
	}
	if len(ds) != recipients || got.Status != newsletter.StatusSent || got.Counts.Uncertain != uncertain ||
		got.Counts.Sent != recipients-uncertain {
		t.Fatalf("%d deliveries, newsletter %s with %+v; %d uncertain", len(ds), got.Status, got.Counts, uncertain)
	}
	if uncertain > killed {
		t.Errorf("%d uncertain after %d kills: at most one per kill", uncertain, killed)
	}
	t.Logf("%d kills, %d messages, %d uncertain (%d of them delivered)", killed, len(byID), uncertain, len(byID)-(recipients-uncertain))

	// The manager confirms resending the uncertain ones: everyone has it now, and only they may
	// have it twice.
	if _, err := e2.News.Send(ctx, n.ID, nil); err == nil {
		t.Fatalf("a sent newsletter was sent again without the manager's confirmation")
	}
	if uncertain == 0 {
		return // every kill fell between two messages
	}
	final, err := e2.News.SendWith(ctx, n.ID, newsletter.SendOptions{ResendUncertain: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if final.Counts.Uncertain != 0 || final.Counts.Sent != recipients {
		t.Errorf("after resending the uncertain: %+v", final.Counts)
	}
	uncertainOf := map[string]bool{}
	for _, d := range ds {
		uncertainOf[d.Email] = d.Status == newsletter.DeliveryUncertain
	}
	clear(byRcpt)
	for _, m := range srv.Received() {
		byRcpt[m.To[0]]++
	}
	for i := range recipients {
		addr := fmt.Sprintf("m%d@example.org", i)
		if c := byRcpt[addr]; c == 0 || (c > 1 && !uncertainOf[addr]) || c > 2 {
			t.Errorf("%s got %d messages (uncertain before: %v)", addr, c, uncertainOf[addr])
		}
	}
}

// consentingWorkspace makes a workspace of n members who consented to the newsletter
// (m<i>@example.org), set to send through a loopback server, which it returns too. The server
// outlives the processes the kill tests kill, and takes 3 ms to answer DATA after keeping a
// message, as one that writes its queue to disk: kills land in that window too, where the
// message is delivered and the sender has not heard so.
func consentingWorkspace(t *testing.T, n int) (*smtptest.Server, *newslettertest.Env) {
	t.Helper()
	srv := smtptest.New(t, smtptest.Options{NoTLS: true, Record: true, DataDelay: 3 * time.Millisecond})
	e := newslettertest.New(t, smtp.Dialer{Timeout: 5 * time.Second}, fast())
	people := make([]newslettertest.Person, n)
	for i := range people {
		people[i] = newslettertest.Person{Name: fmt.Sprintf("Membre %d", i), Email: fmt.Sprintf("m%d@example.org", i), Consent: true}
	}
	e.Add(t, people...)
	e.Configure(t, "127.0.0.1", srv.Port, newsletter.TLSNone, "", "", 0)
	return srv, e
}

// seeded is a random source whose seed is logged, to replay a failure.
func seeded(t *testing.T, stream uint64) *rand.Rand {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	return rand.New(rand.NewPCG(seed, stream))
}

// runChild runs the test child of this binary in a new process with env added, and kills it
// (SIGKILL) after killAfter unless it ended before (0: lets it end). It fails the test if the
// process fails on its own, and says whether it was killed.
func runChild(t *testing.T, child string, killAfter time.Duration, env ...string) (killed bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+child+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var kill <-chan time.Time
	if killAfter > 0 {
		kill = time.After(killAfter)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s failed on its own: %v\n%s", child, err, out.String())
		}
		return false
	case <-kill:
		_ = cmd.Process.Kill()
		<-done
		return true
	}
}
