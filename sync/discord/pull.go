package discord

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"hearth/backend/activity"
	"hearth/sync/connector"
)

// joinSlack is how far before the previous walk's start a member's join still counts as new:
// room for a difference between this machine's clock and Discord's.
const joinSlack = 10 * time.Minute

// maxText is the longest excerpt kept from a message.
const maxText = 500

// Message types kept: DEFAULT and REPLY (others are system notices).
const (
	typeDefault = 0
	typeReply   = 19
)

// cursor is Pull's progress. A cursor for another guild or channel is ignored for that part.
type cursor struct {
	Guild string `json:"guild,omitempty"`
	// MembersAfter is the highest user id of the last page of the walk in progress ("" when
	// no walk is in progress); WalkStart is when that walk began.
	MembersAfter string    `json:"membersAfter,omitempty"`
	WalkStart    time.Time `json:"walkStart,omitzero"`
	// JoinedSince: members who joined after it are new (zero: everyone is).
	JoinedSince time.Time `json:"joinedSince,omitzero"`

	Channel string `json:"channel,omitempty"`
	// MessagesAfter is the highest message id seen in Channel.
	MessagesAfter string `json:"messagesAfter,omitempty"`
}

func decodeCursor(s string) cursor {
	var c cursor
	if s != "" && json.Unmarshal([]byte(s), &c) != nil {
		// An unreadable cursor starts over: the sink keeps each remote id once.
		return cursor{}
	}
	return c
}

func (c cursor) String() string {
	b, _ := json.Marshal(c)
	return string(b)
}

// Pull brings in guild members (when a guild is set) and the channel's new messages; in webhook
// mode it returns the cursor unchanged.
func (c *Client) Pull(ctx context.Context, raw string, sink connector.Sink) (string, error) {
	if c.webhook != "" {
		return raw, nil
	}
	cur := decodeCursor(raw)
	if cur.Guild != c.guild {
		cur.Guild, cur.MembersAfter, cur.WalkStart, cur.JoinedSince = c.guild, "", time.Time{}, time.Time{}
	}
	if cur.Channel != c.channel {
		cur.Channel, cur.MessagesAfter = c.channel, ""
	}
	if c.guild != "" {
		if err := c.pullMembers(ctx, &cur, sink); err != nil {
			return cur.String(), err
		}
	}
	if err := c.pullMessages(ctx, &cur, sink); err != nil {
		return cur.String(), err
	}
	return cur.String(), nil
}

func (c *Client) pullMembers(ctx context.Context, cur *cursor, sink connector.Sink) error {
	if cur.WalkStart.IsZero() {
		cur.WalkStart, cur.MembersAfter = c.now(), ""
	}
	for {
		after := cur.MembersAfter
		if after == "" {
			after = "0"
		}
		var page []memberJSON
		q := url.Values{"limit": {strconv.Itoa(membersPage)}, "after": {after}}
		if _, err := c.api.Do(ctx, connector.Request{Path: "/guilds/" + c.guild + "/members", Query: q}, &page); err != nil {
			return err
		}
		people := make([]activity.Person, 0, len(page))
		joins := make([]activity.Incoming, 0, len(page))
		highest, _ := strconv.ParseUint(after, 10, 64)
		for _, m := range page {
			if m.User == nil {
				return malformed("a member has no user")
			}
			id, err := strconv.ParseUint(m.User.ID, 10, 64)
			if err != nil {
				return malformed("a member's user id is not a snowflake")
			}
			highest = max(highest, id)
			if m.User.Bot || !m.JoinedAt.After(cur.JoinedSince) {
				continue
			}
			p := activity.Person{RemoteID: m.User.ID, Handle: m.User.Username, Name: m.User.GlobalName, JoinedAt: m.JoinedAt.UTC()}
			if p.Name == "" {
				p.Name = m.Nick
			}
			people = append(people, p)
			author := p
			joins = append(joins, activity.Incoming{RemoteID: "join:" + m.User.ID, Kind: activity.Join, At: p.JoinedAt, Author: &author})
		}
		if len(people) > 0 {
			if err := sink.People(ctx, people); err != nil {
				return err
			}
			if err := sink.Activities(ctx, joins); err != nil {
				return err
			}
		}
		last := len(page) < membersPage
		if last {
			cur.JoinedSince = cur.WalkStart.Add(-joinSlack).UTC()
			cur.WalkStart, cur.MembersAfter = time.Time{}, ""
		} else {
			cur.MembersAfter = strconv.FormatUint(highest, 10)
		}
		if err := sink.Cursor(ctx, cur.String()); err != nil {
			return err
		}
		if last {
			return nil
		}
	}
}

func (c *Client) pullMessages(ctx context.Context, cur *cursor, sink connector.Sink) error {
	bot, err := c.me(ctx)
	if err != nil {
		return err
	}
	guild, err := c.channelGuild(ctx, false)
	if err != nil {
		return err
	}
	for {
		after := cur.MessagesAfter
		if after == "" {
			after = "0"
		}
		var page []messageJSON
		q := url.Values{"limit": {strconv.Itoa(messagesPage)}, "after": {after}}
		if _, err := c.api.Do(ctx, connector.Request{Path: "/channels/" + c.channel + "/messages", Query: q}, &page); err != nil {
			return err
		}
		ids := make([]uint64, len(page))
		for i, m := range page {
			id, err := strconv.ParseUint(m.ID, 10, 64)
			if err != nil {
				return malformed("a message id is not a snowflake")
			}
			ids[i] = id
		}
		// Discord sends newest first; store oldest first.
		order := make([]int, len(page))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return cmpUint(ids[a], ids[b]) })
		items := make([]activity.Incoming, 0, len(page))
		highest, _ := strconv.ParseUint(after, 10, 64)
		for _, i := range order {
			m := page[i]
			highest = max(highest, ids[i])
			if m.Author.ID == bot || (m.Type != typeDefault && m.Type != typeReply) {
				continue
			}
			kind, thread := activity.Message, m.ID
			if r := m.MessageReference; m.Type == typeReply && r != nil && r.MessageID != "" {
				kind, thread = activity.Reply, r.MessageID
			}
			channel := m.ChannelID
			if channel == "" {
				channel = c.channel
			}
			items = append(items, activity.Incoming{
				RemoteID: m.ID, Kind: kind, At: m.Timestamp.UTC(), Channel: c.channelLabel(channel),
				Link: link(guild, channel, m.ID), Text: excerpt(m.Content),
				Author: &activity.Person{RemoteID: m.Author.ID, Handle: m.Author.Username, Name: m.Author.GlobalName},
				Thread: thread,
			})
		}
		if len(items) > 0 {
			if err := sink.Activities(ctx, items); err != nil {
				return err
			}
		}
		if len(page) > 0 {
			cur.MessagesAfter = strconv.FormatUint(highest, 10)
			if err := sink.Cursor(ctx, cur.String()); err != nil {
				return err
			}
		}
		if len(page) < messagesPage {
			return nil
		}
	}
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// excerpt is a message's text for moderation: Discord content is plain text with Markdown, so
// it is kept as it is, on one line of at most maxText characters.
func excerpt(s string) string {
	return clip(strings.Join(strings.Fields(s), " "), maxText-1)
}
