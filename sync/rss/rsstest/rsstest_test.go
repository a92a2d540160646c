package rsstest_test

import (
	"net/http"
	"testing"
	"time"

	"hearth/sync/rss/rsstest"
)

func get(t *testing.T, url string, h ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(h); i += 2 {
		req.Header.Set(h[i], h[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestIfNoneMatchTakesPrecedenceOverIfModifiedSince(t *testing.T) {
	s, u := rsstest.Start(t, rsstest.Options{})
	first := get(t, u+"/rss.xml")
	etag, lm := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
	if first.StatusCode != 200 || etag == "" || lm == "" {
		t.Fatalf("%d, validators %q %q", first.StatusCode, etag, lm)
	}
	future := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	cases := []struct {
		h    []string
		want int
	}{
		{[]string{"If-None-Match", etag}, 304},
		{[]string{"If-None-Match", `"other", W/` + etag}, 304},
		{[]string{"If-None-Match", `"other"`, "If-Modified-Since", future}, 200},
		{[]string{"If-Modified-Since", lm}, 304},
		{[]string{"If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT"}, 200},
	}
	for _, c := range cases {
		if got := get(t, u+"/rss.xml", c.h...).StatusCode; got != c.want {
			t.Errorf("%v: %d, want %d", c.h, got, c.want)
		}
	}
	if n, full := s.Hits("/rss.xml"); n != 6 || full != 3 {
		t.Errorf("hits %d, full %d", n, full)
	}
	if s.Created() != nil {
		t.Errorf("a feed site created something")
	}
}
