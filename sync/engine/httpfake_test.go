package engine_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"hearth/backend/connections"
	"hearth/sync/connector"
)

// httpPlatform is the platform name of the small JSON platform below.
const httpPlatform connections.Platform = "jsonposts"

// postServer is a minimal platform over HTTP: POST /posts creates a post once per
// Idempotency-Key (a replay answers the first post, as Mastodon does); GET /check checks the
// bearer token.
type postServer struct {
	token string

	mu      sync.Mutex
	byKey   map[string]string
	created []string
}

func newPostServer(token string) *postServer {
	return &postServer{token: token, byKey: map[string]string{}}
}

func (s *postServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+s.token {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"The access token is invalid"}`))
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/check":
		_, _ = w.Write([]byte(`{"ok":true}`))
	case r.Method == http.MethodPost && r.URL.Path == "/posts":
		var in struct {
			Title string `json:"title"`
			Body  string `json:"body"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			w.WriteHeader(http.StatusUnprocessableEntity)
			return
		}
		key := r.Header.Get("Idempotency-Key")
		s.mu.Lock()
		id, ok := s.byKey[key]
		if !ok || key == "" {
			id = strconv.Itoa(len(s.created) + 1)
			s.created = append(s.created, in.Body)
			s.byKey[key] = id
		}
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"` + id + `","url":"https://posts.example/` + id + `"}`))
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

// Created lists the bodies of the posts created, in order.
func (s *postServer) Created() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.created)
}

// postClient is the connector of postServer.
type postClient struct{ c connector.Client }

var _ connector.Connector = (*postClient)(nil)

func newPostClient(cfg connector.Config) (connector.Connector, error) {
	secret := cfg.Secret
	return &postClient{c: connector.Client{Base: cfg.Connection.Settings.URL, HTTP: cfg.HTTP,
		Auth: func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+secret) }}}, nil
}

func (p *postClient) Check(ctx context.Context) error {
	_, err := p.c.Do(ctx, connector.Request{Path: "/check"}, nil)
	return err
}

func (p *postClient) Publish(ctx context.Context, post connector.Post, save connector.Checkpoint) (connector.Published, error) {
	if post.RemoteID != "" {
		return connector.Published{RemoteID: post.RemoteID}, nil
	}
	var out struct {
		ID  string `json:"id"`
		URL string `json:"url"`
	}
	_, err := p.c.Do(ctx, connector.Request{Method: http.MethodPost, Path: "/posts",
		Header: http.Header{"Idempotency-Key": {post.Key}},
		JSON:   map[string]string{"title": post.Title, "body": post.Body}}, &out)
	if err != nil {
		return connector.Published{}, err
	}
	if err := save(out.ID); err != nil {
		return connector.Published{}, err
	}
	return connector.Published{RemoteID: out.ID, URL: out.URL}, nil
}

func (p *postClient) Pull(_ context.Context, cursor string, _ connector.Sink) (string, error) {
	return cursor, nil
}
