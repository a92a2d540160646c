package platforms

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/analytics"
	"hearth/backend/clock"
	"hearth/backend/connections"
	"hearth/backend/consent"
	"hearth/backend/credentials"
	"hearth/backend/members"
	"hearth/backend/outbox"
	"hearth/backend/store"
	"hearth/backend/syncstate"
	"hearth/sync/discord/discordtest"
)

// BenchmarkPullIntoWorkspace pulls a generated Discord guild (HEARTH_BENCH_PULL_PEOPLE members,
// 100,000 by default, and HEARTH_BENCH_PULL_MESSAGES channel messages, 1,000,000 by default)
// from the local fake into a real workspace on disk, through the engine, the connector, member
// matching, the activity store and the analytics rollups: what a first "Sync now" on a big
// community costs Hearth,
// without the platform's request pacing.
func BenchmarkPullIntoWorkspace(b *testing.B) {
	people, messages := envInt("HEARTH_BENCH_PULL_PEOPLE", 100_000), envInt("HEARTH_BENCH_PULL_MESSAGES", 1_000_000)
	fake, url := discordtest.Start(b, discordtest.Options{NoRecord: true})
	fake.Generate(people, messages)
	var elapsed time.Duration
	for range b.N {
		b.StopTimer()
		ctx := context.Background()
		dir := b.TempDir()
		st, err := store.Open(store.Options{Dir: filepath.Join(dir, "db"), KeyringPath: filepath.Join(dir, "keyring")})
		if err != nil {
			b.Fatal(err)
		}
		secrets, err := credentials.Open(credentials.Options{Dir: filepath.Join(dir, "config"), Keychain: credentials.KeychainOff})
		if err != nil {
			b.Fatal(err)
		}
		ms := members.NewService(st, clock.System{}, nil)
		conns := connections.NewService(st, secrets, st.Replica(), clock.System{}, nil)
		c, err := conns.Add(ctx, connections.AddInput{Name: "discord", Platform: connections.Discord, Secret: discordtest.DefaultToken,
			Settings: connections.Settings{Channel: discordtest.DefaultChannelID, Guild: discordtest.DefaultGuildID, APIURL: url}})
		if err != nil {
			b.Fatal(err)
		}
		acts := activity.NewService(st, ms, clock.System{}, nil)
		analytics.NewService(st, ms, acts, analytics.Options{}) // the app's rollups ride on every write
		e := Engine(Deps{Store: st, Outbox: outbox.NewService(st, nil), State: syncstate.NewService(st, nil, nil),
			Connections: conns, Activity: acts, Members: ms, Consent: consent.NewService(st, nil, nil), Dir: dir,
			NoLimit: true}) // Discord's own 50 requests/s would bound a real pull at about 100 s
		b.StartTimer()
		start := time.Now()
		rep, err := e.RunOnce(ctx)
		elapsed += time.Since(start)
		b.StopTimer()
		if err != nil || len(rep.Connections) != 1 || rep.Connections[0].Error != "" {
			b.Fatalf("%+v %v", rep, err)
		}
		stored, err := acts.CountByConnection(ctx)
		if err != nil {
			b.Fatal(err)
		}
		n, err := ms.Count(ctx)
		if err != nil {
			b.Fatal(err)
		}
		// Every member joins once and every message is stored once.
		if n != people || stored[c.ID] != people+messages {
			b.Fatalf("%d members, %d activity records; want %d and %d", n, stored[c.ID], people, people+messages)
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(elapsed.Seconds()/float64(b.N), "pull-s")
	b.ReportMetric(float64(b.N*(people+messages))/elapsed.Seconds(), "records/s")
	b.ReportMetric(peakRSSMiB(), "peak-rss-MiB")
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// peakRSSMiB is the process's peak resident memory (VmHWM), fake included.
func peakRSSMiB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
