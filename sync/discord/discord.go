// Package discord is Hearth's connector to Discord's REST API (v10), in one of two modes.
//
// Bot mode (Settings.Webhook false): the secret is a bot token sent as "Authorization: Bot
// <token>"; Settings.Channel (required) is the channel posted to and read, Settings.Guild
// (optional) the server whose members are pulled, Settings.APIURL (optional) another API root
// than https://discord.com/api/v10 (a root without a version gets /api/v10 or /v10 added: an
// unversioned path would reach the deprecated v6).
//
// Webhook mode (Settings.Webhook true): the secret is the webhook URL
// (https://discord.com/api/webhooks/{id}/{token}); the connector only publishes, through
// {root}/api/v10/webhooks/{id}/{token}?wait=true, and Pull returns its cursor unchanged. The
// URL holds a token: it never appears in an error or a log line.
//
// Publishing: the title and Markdown body become one message, "**Title**\n\nbody" (the title's
// Markdown characters escaped; Discord renders the body's bold, italics, lists, headings, links
// and code as they are). A message longer than Discord's 2,000 characters is refused before any
// request, as are attachments (not uploaded yet).
//
// Exactly once, bot mode: every attempt sends nonce = ShortKey(Post.Key, 25) with
// enforce_nonce, so Discord returns the existing message instead of a second one when the same
// bot sends the same nonce within a few minutes. Before each POST the connector checkpoints a
// marker "pending:<unix ms>"; when a later attempt finds a remote id, it reconciles first: a
// message id is fetched (GET /channels/{c}/messages/{id}) and returned when it still exists;
// otherwise (a pending marker, or a message since deleted) the channel is scanned for a message
// by this bot with the same content among the 100 that follow the attempt's time (less ten
// minutes of clock slack), and only when none is found is the message posted again, with the
// same nonce. The scan runs only on retries, so a first attempt costs one request; an attempt
// preceded by more than 100 messages in those ten minutes and older than Discord's nonce window
// could still be doubled.
// Webhooks take no nonce and cannot read the channel: they reconcile only from a checkpointed
// message id, so a webhook response lost in transit can lead to a second message.
//
// Pulling (bot mode): guild members (GET /guilds/{g}/members, 1,000 a page, after the highest
// user id of the previous page) become People and Join activities; each pull walks the whole
// list (Discord has no "joined since" filter) and reports only members who joined since the
// previous walk began, less ten minutes of clock slack. Bots are skipped. Channel messages
// (GET /channels/{c}/messages, 100 a page, after the last id seen, walking forward) become
// Message or Reply activities, skipping this bot's own messages and system messages. The cursor
// is JSON and is reported after every page.
//
// Conversations: a REPLY message (type 19, whose message_reference names the message answered)
// is a Reply with Thread = the referenced message id, whether or not that message was pulled
// (it may be older than the walk, in another page, or deleted); every other message (forwards
// and crossposts too, which carry a message_reference but answer nothing) is a Message with
// Thread = its own id, since it may start a conversation. Reply chains are not followed: a
// reply to a reply has the reply it answers as Thread, not the message that began the chain
// (that would cost a request per link, and the first message may be gone).
//
// Rate limits: requests are paced to Discord's global 50 per second (off with NoLimit); when
// X-RateLimit-Remaining reaches 0 the connection waits X-RateLimit-Reset-After (or until
// X-RateLimit-Reset); a 429 is RateLimited with the body's retry_after (else Retry-After). The
// gate is per connection, not per Discord bucket: it errs on the side of waiting.
package discord

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"hearth/sync/connector"
)

// DefaultAPIURL is Discord's API root, version pinned.
const DefaultAPIURL = "https://discord.com/api/v10"

// MaxContent is the longest message content Discord accepts, in characters.
const MaxContent = 2000

// GlobalPerSecond is Discord's global request limit per bot.
const GlobalPerSecond = 50

// Page sizes: the largest Discord allows.
const (
	membersPage  = 1000
	messagesPage = 100
)

var (
	snowflakeRE = regexp.MustCompile(`^[0-9]{1,20}$`)
	versionRE   = regexp.MustCompile(`/v[0-9]+$`)
	webhookRE   = regexp.MustCompile(`^(.*)/api(?:/v[0-9]+)?/webhooks/([0-9]{1,20})/([A-Za-z0-9_.-]+)/?$`)
)

// Client is a Discord connection (bot or webhook mode).
type Client struct {
	api     *connector.Client
	now     func() time.Time
	channel string
	guild   string
	// webhook is "/webhooks/{id}/{token}" in webhook mode, empty in bot mode.
	webhook string

	mu          sync.Mutex
	botID       string // this bot's user id, fetched once
	foundGuild  string // the channel's guild, learnt from Check or Pull
	channelName string // the channel's name, learnt from Check or Pull ("" for a direct message)
	knowChannel bool   // the channel was fetched
}

var _ connector.Connector = (*Client)(nil)

// New builds a connector from cfg; missing or malformed settings are an Invalid *connector.Error
// naming the setting.
func New(cfg connector.Config) (connector.Connector, error) {
	return NewClient(cfg)
}

// NewClient is New returning the concrete type.
func NewClient(cfg connector.Config) (*Client, error) {
	s := cfg.Connection.Settings
	secret := strings.TrimSpace(cfg.Secret)
	c := &Client{now: cfg.Now}
	if c.now == nil {
		c.now = time.Now
	}
	rate := float64(GlobalPerSecond)
	if cfg.NoLimit {
		rate = 0
	}
	gate := connector.NewGate(rate, GlobalPerSecond, signals, c.now)
	c.api = &connector.Client{HTTP: cfg.HTTP, Gate: gate, Classify: classify}
	if s.Webhook {
		if secret == "" {
			return nil, invalidSetting("secret", "the webhook URL is missing")
		}
		root, path, err := parseWebhook(secret)
		if err != nil {
			return nil, err
		}
		c.api.Base, c.webhook = root+"/api/v10", path
		return c, nil
	}
	if secret == "" {
		return nil, invalidSetting("secret", "the bot token is missing")
	}
	if strings.ContainsAny(secret, " \t\r\n") {
		return nil, invalidSetting("secret", "the bot token must not contain spaces (give the token without \"Bot \")")
	}
	if s.Channel == "" {
		return nil, invalidSetting("channel", "the channel id is missing")
	}
	if !snowflakeRE.MatchString(s.Channel) {
		return nil, invalidSetting("channel", "the channel id must be a number (Discord's copy id)")
	}
	if s.Guild != "" && !snowflakeRE.MatchString(s.Guild) {
		return nil, invalidSetting("guild", "the server (guild) id must be a number (Discord's copy id)")
	}
	base, err := apiBase(s.APIURL)
	if err != nil {
		return nil, err
	}
	c.api.Base, c.channel, c.guild = base, s.Channel, s.Guild
	token := secret
	c.api.Auth = func(r *http.Request) { r.Header.Set("Authorization", "Bot "+token) }
	return c, nil
}

func invalidSetting(field, msg string) *connector.Error {
	return &connector.Error{Kind: connector.Invalid, Code: "setting_" + field, Message: "discord: " + field + ": " + msg}
}

// apiBase returns the versioned API root for a configured APIURL ("" for Discord's).
func apiBase(raw string) (string, error) {
	raw = strings.TrimRight(strings.TrimSpace(raw), "/")
	if raw == "" {
		return DefaultAPIURL, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.User != nil {
		return "", invalidSetting("apiUrl", "the API URL must be an http(s) address such as "+DefaultAPIURL)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return "", invalidSetting("apiUrl", "the API URL must use https (http only for this machine)")
	}
	switch {
	case versionRE.MatchString(u.Path):
	case strings.HasSuffix(u.Path, "/api"):
		raw += "/v10"
	default:
		raw += "/api/v10"
	}
	return raw, nil
}

// parseWebhook splits a webhook URL into its root ("https://discord.com") and the versionless
// path "/webhooks/{id}/{token}"; its errors never repeat the URL.
func parseWebhook(raw string) (root, path string, err error) {
	bad := invalidSetting("secret", "the webhook URL must look like https://discord.com/api/webhooks/<id>/<token>")
	u, perr := url.Parse(raw)
	if perr != nil || u.Host == "" || u.User != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return "", "", bad
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return "", "", invalidSetting("secret", "the webhook URL must use https")
	}
	m := webhookRE.FindStringSubmatch(u.EscapedPath())
	if m == nil {
		return "", "", bad
	}
	return u.Scheme + "://" + u.Host + m[1], "/webhooks/" + m[2] + "/" + m[3], nil
}

func isLoopback(host string) bool {
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1"
}

// Check makes one cheap authenticated request: the channel (bot) or the webhook.
func (c *Client) Check(ctx context.Context) error {
	if c.webhook != "" {
		var w webhookJSON
		if _, err := c.api.Do(ctx, connector.Request{Path: c.webhook}, &w); err != nil {
			return err
		}
		if w.ID == "" {
			return malformed("the webhook has no id")
		}
		c.setGuild(w.GuildID)
		return nil
	}
	_, err := c.channelGuild(ctx, true)
	return err
}

// channelGuild returns the guild of the configured channel ("" for a direct message),
// fetching the channel once (or again when refresh); the fetch also learns the channel's name.
func (c *Client) channelGuild(ctx context.Context, refresh bool) (string, error) {
	c.mu.Lock()
	g, known := c.foundGuild, c.knowChannel
	c.mu.Unlock()
	if known && !refresh {
		if c.guild != "" {
			return c.guild, nil
		}
		return g, nil
	}
	var ch channelJSON
	if _, err := c.api.Do(ctx, connector.Request{Path: "/channels/" + c.channel}, &ch); err != nil {
		return "", err
	}
	if ch.ID == "" {
		return "", malformed("the channel has no id")
	}
	c.mu.Lock()
	c.foundGuild, c.channelName, c.knowChannel = ch.GuildID, ch.Name, true
	c.mu.Unlock()
	if c.guild != "" {
		return c.guild, nil
	}
	return ch.GuildID, nil
}

// channelLabel is how activity names a channel: the configured channel's name as Discord
// gives it (people know "general", not 1128…), else the id (a direct message has no name).
func (c *Client) channelLabel(id string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if id == c.channel && c.channelName != "" {
		return c.channelName
	}
	return id
}

func (c *Client) setGuild(g string) {
	c.mu.Lock()
	c.foundGuild = g
	c.mu.Unlock()
}

// knownGuild is the guild for links without a request ("" when not known yet).
func (c *Client) knownGuild() string {
	if c.guild != "" {
		return c.guild
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.foundGuild
}

// me returns this bot's user id, fetched once.
func (c *Client) me(ctx context.Context) (string, error) {
	c.mu.Lock()
	id := c.botID
	c.mu.Unlock()
	if id != "" {
		return id, nil
	}
	var u userJSON
	if _, err := c.api.Do(ctx, connector.Request{Path: "/users/@me"}, &u); err != nil {
		return "", err
	}
	if !snowflakeRE.MatchString(u.ID) {
		return "", malformed("the bot user has no id")
	}
	c.mu.Lock()
	c.botID = u.ID
	c.mu.Unlock()
	return u.ID, nil
}

// link opens a message in Discord's web app.
func link(guild, channel, message string) string {
	if guild == "" {
		guild = "@me"
	}
	return "https://discord.com/channels/" + guild + "/" + channel + "/" + message
}

func malformed(what string) *connector.Error {
	return &connector.Error{Kind: connector.Temporary, Status: 200, Message: "malformed response from Discord: " + what}
}
