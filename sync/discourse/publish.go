package discourse

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"hearth/sync/connector"
)

// maxTitle is Discourse's default max_topic_title_length.
const maxTitle = 255

// ExternalID is the external_id a Post's Key gives its topic: at most 50 characters of [\w-],
// what Discourse's Topic validation accepts.
func ExternalID(key string) string { return "hearth-" + connector.ShortKey(key, 40) }

// createRequest is the body of POST /posts.json for a new topic.
type createRequest struct {
	Title      string `json:"title"`
	Raw        string `json:"raw"`
	Category   int    `json:"category,omitempty"`
	ExternalID string `json:"external_id"`
}

// postResult is the part of a created post (or a topic) the connector reads.
type postResult struct {
	ID        int    `json:"id"`
	TopicID   int    `json:"topic_id"`
	TopicSlug string `json:"topic_slug"`
}

type topicResult struct {
	ID   int    `json:"id"`
	Slug string `json:"slug"`
}

// Publish creates p as a topic exactly once (see the package comment).
func (c *Client) Publish(ctx context.Context, p connector.Post, save connector.Checkpoint) (connector.Published, error) {
	if p.RemoteID != "" {
		// An earlier attempt created it: it took effect, whatever became of the topic since.
		return connector.Published{RemoteID: p.RemoteID, URL: c.base + "/t/" + url.PathEscape(p.RemoteID)}, nil
	}
	if p.Key == "" {
		return connector.Published{}, &connector.Error{Kind: connector.Invalid, Message: "the entry has no idempotency key"}
	}
	title := topicTitle(p)
	if title == "" {
		return connector.Published{}, &connector.Error{Kind: connector.Invalid, Message: "a Discourse topic needs a title"}
	}
	if strings.TrimSpace(p.Body) == "" {
		return connector.Published{}, &connector.Error{Kind: connector.Invalid, Message: "a Discourse topic needs a body"}
	}
	ext := ExternalID(p.Key)
	if pub, found, err := c.lookup(ctx, ext, save); err != nil || found {
		return pub, err
	}
	var res postResult
	_, err := c.http.Do(ctx, connector.Request{Method: http.MethodPost, Path: "/posts.json",
		JSON: createRequest{Title: title, Raw: p.Body, Category: c.category, ExternalID: ext}}, &res)
	var ce *connector.Error
	if errors.As(err, &ce) && ce.Kind == connector.Invalid {
		// "External has already been taken": an attempt whose answer was lost created it.
		if pub, found, lerr := c.lookup(ctx, ext, save); lerr == nil && found {
			return pub, nil
		}
		return connector.Published{}, err
	}
	if err != nil {
		return connector.Published{}, err
	}
	if res.TopicID <= 0 {
		// Created, but the answer does not say what: a retry reconciles by external_id.
		return connector.Published{}, &connector.Error{Kind: connector.Temporary, Status: http.StatusOK,
			Message: "malformed response: the created post has no topic id"}
	}
	return c.published(res.TopicID, res.TopicSlug, save)
}

// lookup finds the topic an earlier attempt created with external_id ext (Discourse answers
// with a redirect to the topic, which the HTTP client follows).
func (c *Client) lookup(ctx context.Context, ext string, save connector.Checkpoint) (connector.Published, bool, error) {
	var t topicResult
	_, err := c.http.Do(ctx, connector.Request{Path: "/t/external_id/" + url.PathEscape(ext) + ".json"}, &t)
	var ce *connector.Error
	if errors.As(err, &ce) && ce.Kind == connector.Gone {
		return connector.Published{}, false, nil
	}
	if err != nil {
		return connector.Published{}, false, err
	}
	if t.ID <= 0 {
		return connector.Published{}, false, &connector.Error{Kind: connector.Temporary, Status: http.StatusOK,
			Message: "malformed response: the topic has no id"}
	}
	pub, err := c.published(t.ID, t.Slug, save)
	return pub, err == nil, err
}

func (c *Client) published(topicID int, slug string, save connector.Checkpoint) (connector.Published, error) {
	id := strconv.Itoa(topicID)
	if err := save(id); err != nil {
		return connector.Published{}, fmt.Errorf("discourse: recording topic %s: %w", id, err)
	}
	u := c.base + "/t/" + id
	if slug != "" {
		u = c.base + "/t/" + url.PathEscape(slug) + "/" + id
	}
	return connector.Published{RemoteID: id, URL: u}, nil
}

// topicTitle is the Post's title, or else its body's first line without Markdown heading marks,
// cut to Discourse's maximum length.
func topicTitle(p connector.Post) string {
	t := strings.Join(strings.Fields(p.Title), " ")
	if t == "" {
		for _, line := range strings.Split(p.Body, "\n") {
			if line = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "#")); line != "" {
				t = strings.Join(strings.Fields(line), " ")
				break
			}
		}
	}
	if utf8.RuneCountInString(t) > maxTitle {
		t = strings.TrimSpace(string([]rune(t)[:maxTitle-1])) + "…"
	}
	return t
}
