package mastodon

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseLinkReadsMastodonsNextAndPrevLinks(t *testing.T) {
	cases := []struct {
		name, header string
		want         map[string]string
	}{
		{"both", `<https://m.example/api/v1/accounts/1/followers?limit=2&max_id=7486869>; rel="next", <https://m.example/api/v1/accounts/1/followers?limit=2&since_id=7489740>; rel="prev"`,
			map[string]string{"next": "https://m.example/api/v1/accounts/1/followers?limit=2&max_id=7486869", "prev": "https://m.example/api/v1/accounts/1/followers?limit=2&since_id=7489740"}},
		{"unquoted rel, odd spacing and case", `<https://a/x?max_id=1>;REL=next ,<https://a/x?min_id=2> ; rel=prev`,
			map[string]string{"next": "https://a/x?max_id=1", "prev": "https://a/x?min_id=2"}},
		{"several rel values and a quoted comma", `<https://a/1>; title="a, b"; rel="next last", <https://a/2>; rel="prev"`,
			map[string]string{"next": "https://a/1", "last": "https://a/1", "prev": "https://a/2"}},
		{"a comma inside the target", `<https://a/x?ids=1,2>; rel="next"`, map[string]string{"next": "https://a/x?ids=1,2"}},
		{"first link of a type wins", `<https://a/1>; rel="next", <https://a/2>; rel="next"`, map[string]string{"next": "https://a/1"}},
		{"empty", ``, map[string]string{}},
		{"garbage", `rel="next"; <unterminated`, map[string]string{}},
		{"no rel", `<https://a/1>; type="text/html"`, map[string]string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := parseLink(c.header)
			if len(got) != len(c.want) {
				t.Fatalf("parseLink(%q) = %v, want %v", c.header, got, c.want)
			}
			for k, v := range c.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func FuzzParseLinkNeverPanicsAndFindsWhatWasWritten(f *testing.F) {
	f.Add(`<https://m.example/api/v1/notifications?limit=80&max_id=100>; rel="next", <https://m.example/api/v1/notifications?limit=80&min_id=180>; rel="prev"`, "https://x/y?a=1")
	f.Add(`<>; rel=""`, "")
	f.Add(`<a>; title="\"quoted, comma\""; rel=next`, "b,c")
	f.Fuzz(func(t *testing.T, header, target string) {
		for rel, u := range parseLink(header) {
			if rel == "" || u == "" || strings.ContainsAny(u, "<>") {
				t.Fatalf("parseLink(%q) gave %q -> %q", header, rel, u)
			}
		}
		// Whatever came before (short of an open quoted string), a well-formed link appended after a
		// comma is found.
		if target = strings.TrimSpace(target); target == "" || strings.ContainsAny(target, "<>\",") ||
			strings.ContainsAny(header, `"\`) || strings.Contains(strings.ToLower(header), "hearthtest") {
			return
		}
		got := parseLink(header + `, <` + target + `>; rel="hearthtest"`)
		if got["hearthtest"] != target {
			t.Fatalf("lost the target %q: %v", target, got)
		}
	})
}

func TestPlainMarkdownKeepsTextAndShowsLinks(t *testing.T) {
	in := "# Pique-nique\n\nVenez **nombreux** au *parc* : [inscription](https://ex.org/i) ou https://ex.org/x\n\n![affiche](https://ex.org/a.png) `code` snake_case_name 2 * 3 * 4\n\n- un\n- deux"
	want := "Pique-nique\n\nVenez nombreux au parc : inscription (https://ex.org/i) ou https://ex.org/x\n\nhttps://ex.org/a.png code snake_case_name 2 * 3 * 4\n\n- un\n- deux"
	if got := plainMarkdown(in); got != want {
		t.Errorf("plainMarkdown =\n%q\nwant\n%q", got, want)
	}
	if got := statusText("  Titre ", "[https://ex.org](https://ex.org)"); got != "Titre\n\nhttps://ex.org" {
		t.Errorf("statusText = %q", got)
	}
	if got := statusText("", "Corps"); got != "Corps" {
		t.Errorf("statusText without title = %q", got)
	}
}

func TestExcerptStripsHTMLScriptsAndEntities(t *testing.T) {
	in := `<p>Salut <span class="h-card"><a href="https://m.example/@bob" class="u-url mention">@<span>bob</span></a></span> &amp; l&#39;équipe</p><p>Deuxième<br />ligne<script>alert("x")</script><img src=x onerror=alert(1)></p>`
	want := "Salut @bob & l'équipe Deuxième ligne"
	if got := excerpt(in); got != want {
		t.Errorf("excerpt = %q, want %q", got, want)
	}
	long := excerpt("<p>" + strings.Repeat("é", 600) + "</p>")
	if n := len([]rune(long)); n != maxExcerpt || !strings.HasSuffix(long, "…") {
		t.Errorf("long excerpt has %d characters: %q", n, long[:20])
	}
}

func TestRateLimitSignalsReadTheISOResetOnlyWhenTheQuotaIsSpent(t *testing.T) {
	reset := time.Date(2025, 3, 1, 12, 5, 0, 123456000, time.UTC)
	h := http.Header{}
	h.Set("X-RateLimit-Limit", "300")
	h.Set("X-RateLimit-Remaining", "12")
	h.Set("X-RateLimit-Reset", "2025-03-01T12:05:00.123456Z")
	if got := signals(200, h, time.Now()); !got.IsZero() {
		t.Errorf("quota left, yet a pause until %v", got)
	}
	h.Set("X-RateLimit-Remaining", "0")
	if got := signals(200, h, time.Now()); !got.Equal(reset) {
		t.Errorf("pause until %v, want %v", got, reset)
	}
	h.Set("X-RateLimit-Reset", "1740830700") // epoch seconds are not Mastodon's format
	if got := signals(429, h, time.Now()); !got.IsZero() {
		t.Errorf("unreadable reset gave %v", got)
	}
}

func FuzzParseResetNeverPanics(f *testing.F) {
	f.Add("2025-03-01T12:05:00.123456Z")
	f.Add("2025-03-01T12:05:00+02:00")
	f.Add("")
	f.Fuzz(func(t *testing.T, v string) {
		if got := parseReset(v); !got.IsZero() && strings.TrimSpace(v) == "" {
			t.Fatalf("empty header gave %v", got)
		}
	})
}

func TestIDsCompareAsNumbers(t *testing.T) {
	if !idLess("99", "100") || idLess("100", "99") || idLess("5", "5") || !idLess("", "1") {
		t.Error("idLess does not order decimal ids")
	}
}
