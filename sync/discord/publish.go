package discord

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hearth/sync/connector"
)

// pendingPrefix marks a checkpoint taken just before a POST: "pending:<unix ms>".
const pendingPrefix = "pending:"

// discordEpochMS is the start of Discord's snowflake clock (2015-01-01 UTC) in Unix ms.
const discordEpochMS = 1420070400000

// scanSlack widens the window of a reconcile scan for clock differences with Discord.
const scanSlack = 10 * time.Minute

// The JSON Discord sends that this package reads.
type (
	userJSON struct {
		ID         string `json:"id"`
		Username   string `json:"username"`
		GlobalName string `json:"global_name"`
		Bot        bool   `json:"bot"`
	}
	messageJSON struct {
		ID               string    `json:"id"`
		ChannelID        string    `json:"channel_id"`
		GuildID          string    `json:"guild_id"`
		Author           userJSON  `json:"author"`
		Content          string    `json:"content"`
		Timestamp        time.Time `json:"timestamp"`
		Type             int       `json:"type"`
		WebhookID        string    `json:"webhook_id"`
		MessageReference *struct {
			MessageID string `json:"message_id"`
		} `json:"message_reference"`
	}
	channelJSON struct {
		ID      string `json:"id"`
		GuildID string `json:"guild_id"`
		Name    string `json:"name"`
	}
	webhookJSON struct {
		ID        string `json:"id"`
		GuildID   string `json:"guild_id"`
		ChannelID string `json:"channel_id"`
	}
	memberJSON struct {
		User     *userJSON `json:"user"`
		Nick     string    `json:"nick"`
		JoinedAt time.Time `json:"joined_at"`
	}
)

// createBody is what POST /channels/{c}/messages and webhook executions send.
type createBody struct {
	Content      string `json:"content"`
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

// Content is the message Publish sends for a title and a Markdown body.
func Content(title, body string) string {
	title = strings.Join(strings.Fields(title), " ")
	body = strings.TrimSpace(body)
	if title == "" {
		return body
	}
	head := "**" + escapeMarkdown(title) + "**"
	if body == "" {
		return head
	}
	return head + "\n\n" + body
}

var markdownEscaper = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `_`, `\_`, `~`, `\~`, "`", "\\`", `|`, `\|`)

func escapeMarkdown(s string) string { return markdownEscaper.Replace(s) }

// Publish posts p once (see the package comment for how retries are reconciled).
func (c *Client) Publish(ctx context.Context, p connector.Post, save connector.Checkpoint) (connector.Published, error) {
	if len(p.Attachments) > 0 {
		return connector.Published{}, &connector.Error{Kind: connector.Invalid, Code: "attachments_unsupported",
			Message: "discord: attachments are not uploaded to Discord yet; remove them or link to them in the text"}
	}
	content := Content(p.Title, p.Body)
	if content == "" {
		return connector.Published{}, &connector.Error{Kind: connector.Invalid, Code: "content_empty", Message: "discord: the message is empty"}
	}
	if n := utf8.RuneCountInString(content); n > MaxContent {
		return connector.Published{}, &connector.Error{Kind: connector.Invalid, Code: "content_too_long",
			Message: fmt.Sprintf("discord: the message is %d characters long with its title; Discord accepts at most %d", n, MaxContent)}
	}
	if c.webhook != "" {
		return c.publishWebhook(ctx, p, content, save)
	}
	return c.publishBot(ctx, p, content, save)
}

func (c *Client) publishBot(ctx context.Context, p connector.Post, content string, save connector.Checkpoint) (connector.Published, error) {
	if p.RemoteID != "" {
		m, found, err := c.reconcile(ctx, p.RemoteID, content)
		if err != nil {
			return connector.Published{}, err
		}
		if found {
			if m.ID != p.RemoteID {
				if err := save(m.ID); err != nil {
					return connector.Published{}, err
				}
			}
			return c.published(m), nil
		}
	}
	if err := save(pendingPrefix + strconv.FormatInt(c.now().UnixMilli(), 10)); err != nil {
		return connector.Published{}, err
	}
	var m messageJSON
	body := createBody{Content: content, Nonce: connector.ShortKey(p.Key, 25), EnforceNonce: true}
	if _, err := c.api.Do(ctx, connector.Request{Method: "POST", Path: "/channels/" + c.channel + "/messages", JSON: body}, &m); err != nil {
		return connector.Published{}, err
	}
	if !snowflakeRE.MatchString(m.ID) {
		return connector.Published{}, malformed("the created message has no id")
	}
	if err := save(m.ID); err != nil {
		return connector.Published{}, err
	}
	return c.published(m), nil
}

// reconcile looks for what an earlier attempt (remote: a message id or a pending marker)
// posted: the message itself, or one by this bot with the same content since then.
func (c *Client) reconcile(ctx context.Context, remote, content string) (messageJSON, bool, error) {
	since := time.Time{}
	if ms, ok := strings.CutPrefix(remote, pendingPrefix); ok {
		if n, err := strconv.ParseInt(ms, 10, 64); err == nil {
			since = time.UnixMilli(n)
		}
	} else if snowflakeRE.MatchString(remote) {
		var m messageJSON
		_, err := c.api.Do(ctx, connector.Request{Path: "/channels/" + c.channel + "/messages/" + remote}, &m)
		if err == nil && m.ID != "" {
			return m, true, nil
		}
		var ce *connector.Error
		if err != nil && !(errors.As(err, &ce) && ce.Kind == connector.Gone) {
			return messageJSON{}, false, err
		}
		since = snowflakeTime(remote)
	}
	bot, err := c.me(ctx)
	if err != nil {
		return messageJSON{}, false, err
	}
	var latest []messageJSON
	q := url.Values{"limit": {strconv.Itoa(messagesPage)}}
	if !since.IsZero() {
		q.Set("after", snowflakeAt(since.Add(-scanSlack)))
	}
	if _, err := c.api.Do(ctx, connector.Request{Path: "/channels/" + c.channel + "/messages", Query: q}, &latest); err != nil {
		return messageJSON{}, false, err
	}
	want := strings.TrimSpace(content)
	for _, m := range latest {
		if m.Author.ID == bot && strings.TrimSpace(m.Content) == want && snowflakeRE.MatchString(m.ID) {
			return m, true, nil
		}
	}
	return messageJSON{}, false, nil
}

func (c *Client) publishWebhook(ctx context.Context, p connector.Post, content string, save connector.Checkpoint) (connector.Published, error) {
	if snowflakeRE.MatchString(p.RemoteID) {
		var m messageJSON
		_, err := c.api.Do(ctx, connector.Request{Path: c.webhook + "/messages/" + p.RemoteID}, &m)
		if err == nil && m.ID != "" {
			return c.published(m), nil
		}
		var ce *connector.Error
		if err != nil && !(errors.As(err, &ce) && ce.Kind == connector.Gone && ce.Code == strconv.Itoa(codeUnknownMessage)) {
			return connector.Published{}, err
		}
	}
	var m messageJSON
	req := connector.Request{Method: "POST", Path: c.webhook, Query: url.Values{"wait": {"true"}}, JSON: createBody{Content: content}}
	if _, err := c.api.Do(ctx, req, &m); err != nil {
		return connector.Published{}, err
	}
	if !snowflakeRE.MatchString(m.ID) {
		return connector.Published{}, malformed("the created message has no id")
	}
	if err := save(m.ID); err != nil {
		return connector.Published{}, err
	}
	return c.published(m), nil
}

func (c *Client) published(m messageJSON) connector.Published {
	out := connector.Published{RemoteID: m.ID}
	guild := m.GuildID
	if guild == "" {
		guild = c.knownGuild()
	}
	channel := m.ChannelID
	if channel == "" {
		channel = c.channel
	}
	if guild != "" && channel != "" {
		out.URL = link(guild, channel, m.ID)
	}
	return out
}

// snowflakeTime is when a snowflake was minted (zero for a malformed one).
func snowflakeTime(id string) time.Time {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.UnixMilli(int64(n>>22) + discordEpochMS)
}

// snowflakeAt is the smallest snowflake of instant t (for "after" queries).
func snowflakeAt(t time.Time) string {
	ms := t.UnixMilli() - discordEpochMS
	if ms < 0 {
		return "0"
	}
	return strconv.FormatUint(uint64(ms)<<22, 10)
}
