package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/connections"
	"hearth/backend/outbox"
	"hearth/backend/store"
	"hearth/backend/syncstate"
	"hearth/sync/engine"
)

const benchEntries = 10_000

func benchBody(i int) string {
	return fmt.Sprintf("Hello everyone, this is entry <token-%05d> of the benchmark, with a little more text.", i)
}

// BenchmarkDrain10k drains 10,000 outbox entries to one connection whose connector posts JSON
// to a local fake with no rate limit; compare with BenchmarkBareHTTP10k.
func BenchmarkDrain10k(b *testing.B) {
	for _, workers := range []int{1, 4} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			var total time.Duration
			for range b.N {
				b.StopTimer()
				srv := httptest.NewServer(newPostServer("tok"))
				dir := b.TempDir()
				st := openStore(b, dir, clock.System{})
				err := st.Bulk(context.Background(), benchEntries, func(tx *store.Tx, i int) error {
					_, err := outbox.Enqueue(tx, outbox.Entry{Key: fmt.Sprintf("item%d@2026-03-02T09:00:00Z", i), Source: "bench",
						Kind: "post", Channels: []string{"posts"}, Title: "Announcement", Body: benchBody(i), CreatedAt: time.Now()})
					return err
				}, nil)
				if err != nil {
					b.Fatal(err)
				}
				conns := &fakeConns{}
				conns.add(connections.Connection{ID: "c1", Name: "posts", Platform: httpPlatform, Settings: connections.Settings{URL: srv.URL}}, "tok")
				ob := outbox.NewService(st, nil)
				e := engine.New(engine.Options{Store: st, Outbox: ob, State: syncstate.NewService(st, nil, nil), Connections: conns,
					Factories: killFactories, NoLimit: true, Workers: workers, HTTP: &http.Client{Timeout: 10 * time.Second}})
				b.StartTimer()
				start := time.Now()
				rep, err := e.RunOnce(context.Background())
				total += time.Since(start)
				b.StopTimer()
				if err != nil || rep.Connections[0].Pushed != benchEntries {
					b.Fatalf("pushed %+v, %v", rep.Connections, err)
				}
				srv.Close()
				_ = st.Close()
			}
			b.ReportMetric(float64(benchEntries*b.N)/total.Seconds(), "entries/s")
		})
	}
}

// BenchmarkBareHTTP10k makes the same 10,000 POSTs in a plain loop with one http.Client.
func BenchmarkBareHTTP10k(b *testing.B) {
	var total time.Duration
	for range b.N {
		b.StopTimer()
		srv := httptest.NewServer(newPostServer("tok"))
		client := &http.Client{Timeout: 10 * time.Second}
		b.StartTimer()
		start := time.Now()
		for i := range benchEntries {
			body, _ := json.Marshal(map[string]string{"title": "Announcement", "body": benchBody(i)})
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/posts", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer tok")
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", fmt.Sprintf("item%d@2026-03-02T09:00:00Z@c1", i))
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var out struct{ ID string }
			_ = json.NewDecoder(resp.Body).Decode(&out)
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("HTTP %d", resp.StatusCode)
			}
		}
		total += time.Since(start)
		b.StopTimer()
		srv.Close()
	}
	b.ReportMetric(float64(benchEntries*b.N)/total.Seconds(), "entries/s")
}
