package smtp_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"hearth/backend/consent"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/newsletter/newslettertest"
	"hearth/sync/smtp/smtptest"
)

// BenchmarkSend10k sends a newsletter to 10,000 consenting members through a real SMTP server
// on loopback (STARTTLS and AUTH PLAIN, one connection), unthrottled, with every delivery
// recorded in the workspace. It reports messages per second and the peak heap in use during
// the send.
func BenchmarkSend10k(b *testing.B) {
	const n = 10_000
	srv := smtptest.New(b, smtptest.Options{User: user, Pass: password})
	e := newslettertest.New(b, dialer(srv), newsletter.Options{})
	bctx := context.Background()
	ins := make([]members.CreateInput, n)
	for i := range ins {
		ins[i] = members.CreateInput{Name: fmt.Sprintf("Membre %d Dupré", i), Emails: []string{fmt.Sprintf("m%d@example.org", i)},
			Tags: []string{"news"}, CustomFields: map[string]string{"city": "Lyon"}}
	}
	ms, err := e.Members.CreateMany(bctx, ins, nil)
	if err != nil {
		b.Fatal(err)
	}
	grants := make([]consent.Input, n)
	for i, m := range ms {
		grants[i] = consent.Input{MemberID: m.ID, Purpose: newsletter.Purpose, By: "bench", At: newslettertest.T0.Add(-time.Hour)}
	}
	if err := e.Consent.RecordMany(bctx, consent.Granted, grants, nil); err != nil {
		b.Fatal(err)
	}
	e.Configure(b, "127.0.0.1", srv.Port, newsletter.TLSStartTLS, user, password, 0)
	body := "# Bonjour {{first_name|à tous}}\n\nDes nouvelles de {{custom.city|chez nous}} : **la fête** a lieu samedi.\n\n" +
		"- un atelier\n- une balade\n- [le programme](https://hearth.example/programme)\n"

	var peak atomic.Uint64
	var elapsed time.Duration
	sent := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		draft := e.Draft(b, newsletter.Input{Subject: fmt.Sprintf("Lettre %d de {{first_name}}", i), BodyMarkdown: body, Lang: "fr"})
		runtime.GC()
		stop := sampleHeap(&peak)
		b.StartTimer()
		start := time.Now()
		got, err := e.News.Send(bctx, draft.ID, nil)
		elapsed += time.Since(start)
		b.StopTimer()
		stop()
		if err != nil || got.Counts.Sent != n {
			b.Fatalf("send: %v %+v", err, got.Counts)
		}
		sent += got.Counts.Sent
	}
	if int(srv.Count.Load()) != sent {
		b.Fatalf("server received %d of %d", srv.Count.Load(), sent)
	}
	b.ReportMetric(float64(sent)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
}

// sampleHeap records the largest heap in use every 10 ms until stopped.
func sampleHeap(peak *atomic.Uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}
