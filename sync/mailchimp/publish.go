package mailchimp

import (
	"bytes"
	"context"
	"errors"
	"html"
	"net/url"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"hearth/sync/connector"
)

// TitlePrefix starts the (internal) title of every campaign Hearth creates; the Post's Key
// follows, which is how a crashed attempt's draft is found again.
const TitlePrefix = "Hearth "

// maxSubject is Mailchimp's limit on a subject line.
const maxSubject = 150

// campaign is what Publish reads of a campaign.
type campaign struct {
	ID             string `json:"id"`
	Status         string `json:"status"`
	ArchiveURL     string `json:"archive_url"`
	LongArchiveURL string `json:"long_archive_url"`
	Settings       struct {
		Title string `json:"title"`
	} `json:"settings"`
}

const campaignFields = "id,status,archive_url,long_archive_url,settings.title"

func (k campaign) published() connector.Published {
	u := k.LongArchiveURL
	if u == "" {
		u = k.ArchiveURL
	}
	if rest, ok := strings.CutPrefix(u, "http://"); ok {
		u = "https://" + rest
	}
	return connector.Published{RemoteID: k.ID, URL: u}
}

// Publish sends p as a campaign to the audience, exactly once (see the package comment).
func (c *Client) Publish(ctx context.Context, p connector.Post, save connector.Checkpoint) (connector.Published, error) {
	if strings.TrimSpace(p.Title) == "" {
		return connector.Published{}, connector.Errorf(connector.Invalid, "mailchimp: a campaign needs a title for its subject line")
	}
	var k campaign
	found := false
	if p.RemoteID != "" {
		got, err := c.campaign(ctx, p.RemoteID)
		switch {
		case connector.KindOf(err) == connector.Gone:
			// The draft was deleted in Mailchimp: the calendar item still wants to go out.
		case err != nil:
			return connector.Published{}, err
		default:
			k, found = got, true
		}
	}
	if !found {
		got, ok, err := c.findDraft(ctx, TitlePrefix+p.Key)
		if err != nil {
			return connector.Published{}, err
		}
		k, found = got, ok
	}
	if found {
		if done, err := settled(k); done || err != nil {
			return k.published(), err
		}
		if k.ID != p.RemoteID {
			if err := save(k.ID); err != nil {
				return connector.Published{}, err
			}
		}
	} else {
		var err error
		if k, err = c.create(ctx, p); err != nil {
			return connector.Published{}, err
		}
		if err := save(k.ID); err != nil {
			return connector.Published{}, err
		}
	}
	return c.fillAndSend(ctx, k, p)
}

// settled says whether a campaign needs nothing more (sent, sending or scheduled), or can no
// longer be sent by Hearth.
func settled(k campaign) (bool, error) {
	switch k.Status {
	case "save":
		return false, nil
	case "sent", "sending", "schedule":
		return true, nil
	default: // paused, canceled, canceling, archived: someone stopped it in Mailchimp
		return false, connector.Errorf(connector.Invalid,
			"mailchimp: campaign %s is %q in Mailchimp; Hearth will not send it", k.ID, k.Status)
	}
}

func (c *Client) campaign(ctx context.Context, id string) (campaign, error) {
	var k campaign
	_, err := c.do(ctx, connector.Request{Path: "/campaigns/" + url.PathEscape(id),
		Query: url.Values{"fields": {campaignFields}}}, &k)
	if err == nil && (k.ID == "" || k.Status == "") {
		err = malformed("campaign without id or status")
	}
	return k, err
}

// findDraft looks for a draft of this audience titled title (left by an attempt that created
// it but never learnt its id).
func (c *Client) findDraft(ctx context.Context, title string) (campaign, bool, error) {
	for offset := 0; ; {
		var page struct {
			Campaigns  []campaign `json:"campaigns"`
			TotalItems *int       `json:"total_items"`
		}
		q := url.Values{"list_id": {c.list}, "status": {"save"}, "count": {"1000"},
			"offset": {strconv.Itoa(offset)}, "fields": {"total_items,campaigns." +
				strings.ReplaceAll(campaignFields, ",", ",campaigns.")}}
		if _, err := c.do(ctx, connector.Request{Path: "/campaigns", Query: q}, &page); err != nil {
			return campaign{}, false, err
		}
		if page.TotalItems == nil {
			return campaign{}, false, malformed("campaign list without total_items")
		}
		for _, k := range page.Campaigns {
			if k.Settings.Title == title && k.ID != "" {
				return k, true, nil
			}
		}
		offset += len(page.Campaigns)
		if len(page.Campaigns) == 0 || offset >= *page.TotalItems {
			return campaign{}, false, nil
		}
	}
}

func (c *Client) create(ctx context.Context, p connector.Post) (campaign, error) {
	subject := strings.TrimSpace(p.Title)
	if r := []rune(subject); len(r) > maxSubject {
		subject = string(r[:maxSubject-1]) + "…"
	}
	body := map[string]any{
		"type":       "regular",
		"recipients": map[string]any{"list_id": c.list},
		"settings":   map[string]any{"subject_line": subject, "title": TitlePrefix + p.Key},
	}
	var k campaign
	if _, err := c.do(ctx, connector.Request{Method: "POST", Path: "/campaigns", JSON: body}, &k); err != nil {
		return campaign{}, err
	}
	if k.ID == "" {
		return campaign{}, malformed("created campaign without id")
	}
	if k.Status == "" {
		k.Status = "save"
	}
	return k, nil
}

// fillAndSend puts the content (idempotent), then sends if the campaign is still a draft.
func (c *Client) fillAndSend(ctx context.Context, k campaign, p connector.Post) (connector.Published, error) {
	htmlBody, err := renderHTML(p.Title, p.Body)
	if err != nil {
		return connector.Published{}, connector.Errorf(connector.Invalid, "mailchimp: cannot render the body: %v", err)
	}
	content := map[string]any{"html": htmlBody, "plain_text": plainText(p.Body)}
	path := "/campaigns/" + url.PathEscape(k.ID)
	if _, err := c.do(ctx, connector.Request{Method: "PUT", Path: path + "/content", JSON: content}, nil); err != nil {
		return connector.Published{}, err
	}
	// Someone (or another attempt) may have sent it since: re-read before sending.
	cur, err := c.campaign(ctx, k.ID)
	if err != nil {
		return connector.Published{}, err
	}
	if done, err := settled(cur); done || err != nil {
		return cur.published(), err
	}
	_, sendErr := c.do(ctx, connector.Request{Method: "POST", Path: path + "/actions/send"}, nil)
	if sendErr == nil {
		cur.Status = "sending"
		return cur.published(), nil
	}
	var ce *connector.Error
	if errors.As(sendErr, &ce) && ce.Kind == connector.Invalid {
		// "This campaign has already been sent": a lost response to our own send.
		if again, err := c.campaign(ctx, k.ID); err == nil {
			if done, _ := settled(again); done {
				return again.published(), nil
			}
		}
	}
	return connector.Published{}, sendErr
}

var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))

// unsubscribe is the footer every campaign carries (Mailchimp fills *|UNSUB|*).
const unsubscribe = "Se désabonner / Unsubscribe"

// renderHTML renders the Markdown body as an e-mail HTML document. goldmark drops raw HTML by
// default, so the body cannot inject markup.
func renderHTML(title, body string) (string, error) {
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</title></head>\n<body>\n")
	if err := markdown.Convert([]byte(body), &b); err != nil {
		return "", err
	}
	b.WriteString(`<p style="font-size:small"><a href="*|UNSUB|*">` + unsubscribe + "</a></p>\n</body></html>\n")
	return b.String(), nil
}

// plainText is the plain-text part: the Markdown source reads well as text.
func plainText(body string) string {
	return strings.TrimSpace(body) + "\n\n--\n" + unsubscribe + ": *|UNSUB|*\n"
}
