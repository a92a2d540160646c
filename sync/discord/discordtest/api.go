package discordtest

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// apiError is Discord's error body.
type apiError struct {
	Message string `json:"message"`
	Code    int    `json:"code"`
	Errors  any    `json:"errors,omitempty"`
}

type userJSON struct {
	ID            string  `json:"id"`
	Username      string  `json:"username"`
	GlobalName    *string `json:"global_name"`
	Discriminator string  `json:"discriminator"`
	Avatar        *string `json:"avatar"`
	PublicFlags   int     `json:"public_flags"`
	Bot           bool    `json:"bot,omitempty"`
}

type referenceJSON struct {
	Type      int    `json:"type"`
	MessageID string `json:"message_id"`
	ChannelID string `json:"channel_id"`
	GuildID   string `json:"guild_id,omitempty"`
}

type messageJSON struct {
	ID               string           `json:"id"`
	Type             int              `json:"type"`
	ChannelID        string           `json:"channel_id"`
	Author           userJSON         `json:"author"`
	Content          string           `json:"content"`
	Timestamp        string           `json:"timestamp"`
	EditedTimestamp  *string          `json:"edited_timestamp"`
	TTS              bool             `json:"tts"`
	MentionEveryone  bool             `json:"mention_everyone"`
	Mentions         []any            `json:"mentions"`
	MentionRoles     []any            `json:"mention_roles"`
	Attachments      []any            `json:"attachments"`
	Embeds           []any            `json:"embeds"`
	Pinned           bool             `json:"pinned"`
	Flags            int              `json:"flags"`
	Components       []any            `json:"components"`
	Nonce            string           `json:"nonce,omitempty"`
	WebhookID        string           `json:"webhook_id,omitempty"`
	MessageReference *referenceJSON   `json:"message_reference,omitempty"`
	MessageSnapshots []map[string]any `json:"message_snapshots,omitempty"`
}

type memberJSON struct {
	User                       userJSON `json:"user"`
	Nick                       *string  `json:"nick"`
	Avatar                     *string  `json:"avatar"`
	Roles                      []string `json:"roles"`
	JoinedAt                   string   `json:"joined_at"`
	PremiumSince               *string  `json:"premium_since"`
	Deaf                       bool     `json:"deaf"`
	Mute                       bool     `json:"mute"`
	Flags                      int      `json:"flags"`
	Pending                    bool     `json:"pending"`
	CommunicationDisabledUntil *string  `json:"communication_disabled_until"`
}

// createJSON is the body of a message creation or webhook execution.
type createJSON struct {
	Content      *string         `json:"content"`
	Nonce        json.RawMessage `json:"nonce"`
	EnforceNonce bool            `json:"enforce_nonce"`
	Username     string          `json:"username"`
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000+00:00") }

func idString(id uint64) string { return strconv.FormatUint(id, 10) }

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"message":"500: Internal Server Error","code":0}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// formError is Discord's 50035 with one field error.
func formError(w http.ResponseWriter, field, code, msg string) {
	writeJSON(w, http.StatusBadRequest, apiError{Code: 50035, Message: "Invalid Form Body",
		Errors: map[string]any{field: map[string]any{"_errors": []map[string]string{{"code": code, "message": msg}}}}})
}

func unknown(w http.ResponseWriter, what string, code int) {
	writeJSON(w, http.StatusNotFound, apiError{Message: "Unknown " + what, Code: code})
}

func notAllowed(w http.ResponseWriter) {
	writeJSON(w, http.StatusMethodNotAllowed, apiError{Message: "405: Method Not Allowed"})
}

// handle serves an authorised (or webhook) request.
func (s *Server) handle(w http.ResponseWriter, r *http.Request, seg []string, hook bool, body []byte) {
	if hook {
		s.handleWebhook(w, r, seg, body)
		return
	}
	switch {
	case len(seg) == 2 && seg[0] == "users" && seg[1] == "@me":
		if r.Method != http.MethodGet {
			notAllowed(w)
			return
		}
		s.mu.Lock()
		u := s.userJSON(s.store.user(s.ids.bot))
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, u)
	case len(seg) >= 2 && seg[0] == "channels":
		s.handleChannel(w, r, seg, body)
	case len(seg) == 3 && seg[0] == "guilds" && seg[2] == "members":
		s.handleMembers(w, r, seg[1])
	default:
		writeJSON(w, http.StatusNotFound, apiError{Message: "404: Not Found"})
	}
}

func (s *Server) userJSON(u user) userJSON {
	return userJSON{ID: idString(u.id), Username: u.username, GlobalName: strPtr(u.globalName), Discriminator: "0", Bot: u.bot}
}

// messageJSON renders a message of channel chID; the caller holds s.mu.
func (s *Server) messageJSON(chID uint64, m message, read bool) messageJSON {
	out := messageJSON{ID: idString(m.id), ChannelID: idString(chID), Content: m.content, Timestamp: stamp(idTime(m.id)),
		Mentions: []any{}, MentionRoles: []any{}, Attachments: []any{}, Embeds: []any{}, Components: []any{}}
	if m.webhook {
		out.Author = userJSON{ID: s.opts.WebhookID, Username: s.opts.WebhookName, Discriminator: "0000", Bot: true}
		out.WebhookID = s.opts.WebhookID
	} else {
		out.Author = s.userJSON(s.store.user(m.author))
	}
	switch {
	case m.ref != 0 && m.forward:
		// A forward is a DEFAULT message whose reference has type FORWARD (1), with a copy of
		// the forwarded message.
		out.MessageReference = &referenceJSON{Type: 1, MessageID: idString(m.ref), ChannelID: idString(chID), GuildID: s.opts.GuildID}
		snap := map[string]any{"type": 0, "content": "", "timestamp": stamp(idTime(m.ref)), "attachments": []any{}, "embeds": []any{}}
		if ch := s.store.channels[chID]; ch != nil {
			if orig, ok := s.store.message(chID, ch, m.ref); ok {
				snap["content"] = orig.content
			}
		}
		out.MessageSnapshots = []map[string]any{{"message": snap}}
	case m.ref != 0:
		out.Type = 19
		out.MessageReference = &referenceJSON{MessageID: idString(m.ref), ChannelID: idString(chID), GuildID: s.opts.GuildID}
	}
	if read && s.opts.NoMessageContent && m.author != s.ids.bot {
		out.Content = ""
	}
	return out
}

func (s *Server) handleChannel(w http.ResponseWriter, r *http.Request, seg []string, body []byte) {
	chID, err := strconv.ParseUint(seg[1], 10, 64)
	if err != nil {
		formError(w, "channel_id", "NUMBER_TYPE_COERCE", "Value \""+seg[1]+"\" is not snowflake.")
		return
	}
	s.mu.Lock()
	ch := s.store.channels[chID]
	s.mu.Unlock()
	if ch == nil {
		unknown(w, "Channel", 10003)
		return
	}
	switch {
	case len(seg) == 2 && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"id": seg[1], "type": 0, "guild_id": idString(ch.guild), "name": "general",
			"position": 0, "nsfw": false, "topic": nil, "rate_limit_per_user": 0, "parent_id": nil})
	case len(seg) == 3 && seg[2] == "messages" && r.Method == http.MethodGet:
		s.listMessages(w, r, chID, ch)
	case len(seg) == 3 && seg[2] == "messages" && r.Method == http.MethodPost:
		s.createMessage(w, r, chID, ch, body, false)
	case len(seg) == 4 && seg[2] == "messages" && r.Method == http.MethodGet:
		s.getMessage(w, chID, ch, seg[3], false)
	case len(seg) <= 4:
		notAllowed(w)
	default:
		writeJSON(w, http.StatusNotFound, apiError{Message: "404: Not Found"})
	}
}

func (s *Server) getMessage(w http.ResponseWriter, chID uint64, ch *channel, raw string, webhookOnly bool) {
	id, err := strconv.ParseUint(raw, 10, 64)
	if err != nil {
		formError(w, "message_id", "NUMBER_TYPE_COERCE", "Value \""+raw+"\" is not snowflake.")
		return
	}
	s.mu.Lock()
	m, ok := s.store.message(chID, ch, id)
	var out messageJSON
	if ok && (!webhookOnly || m.webhook) {
		out = s.messageJSON(chID, m, true)
	}
	s.mu.Unlock()
	if out.ID == "" {
		unknown(w, "Message", 10008)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// intParam reads an integer query parameter in [lo, hi], def when absent.
func intParam(w http.ResponseWriter, r *http.Request, name string, def, lo, hi int) (int, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	switch {
	case err != nil:
		formError(w, name, "NUMBER_TYPE_COERCE", "Value \""+v+"\" is not int.")
	case n < lo:
		formError(w, name, "NUMBER_TYPE_MIN", "int value should be greater than or equal to "+strconv.Itoa(lo)+".")
	case n > hi:
		formError(w, name, "NUMBER_TYPE_MAX", "int value should be less than or equal to "+strconv.Itoa(hi)+".")
	default:
		return n, true
	}
	return 0, false
}

func snowflakeParam(w http.ResponseWriter, r *http.Request, name string) (uint64, bool) {
	v := r.URL.Query().Get(name)
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		formError(w, name, "NUMBER_TYPE_COERCE", "Value \""+v+"\" is not snowflake.")
		return 0, false
	}
	return n, true
}

func (s *Server) listMessages(w http.ResponseWriter, r *http.Request, chID uint64, ch *channel) {
	limit, ok := intParam(w, r, "limit", 50, 1, 100)
	if !ok {
		return
	}
	mode, at := "", uint64(0)
	q := r.URL.Query()
	for _, m := range []string{"around", "before", "after"} {
		if q.Has(m) {
			if at, ok = snowflakeParam(w, r, m); !ok {
				return
			}
			mode = m
			break
		}
	}
	s.mu.Lock()
	page := s.store.messages(chID, ch, mode, at, limit)
	out := make([]messageJSON, len(page))
	for i, m := range page {
		out[i] = s.messageJSON(chID, m, true)
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// createMessage posts a message as the bot, or as the webhook.
func (s *Server) createMessage(w http.ResponseWriter, r *http.Request, chID uint64, ch *channel, body []byte, webhook bool) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		formError(w, "content_type", "CONTENT_TYPE_INVALID", "Expected \"Content-Type\" header to be one of {'application/json', 'multipart/form-data', 'application/x-www-form-urlencoded'}.")
		return
	}
	var in createJSON
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Message: "The request body contains invalid JSON.", Code: 50109})
		return
	}
	content := ""
	if in.Content != nil {
		content = *in.Content
	}
	if utf8.RuneCountInString(content) > 2000 {
		formError(w, "content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
		return
	}
	nonce := ""
	if !webhook && len(in.Nonce) > 0 && string(in.Nonce) != "null" {
		if err := json.Unmarshal(in.Nonce, &nonce); err != nil {
			var n json.Number
			if json.Unmarshal(in.Nonce, &n) != nil {
				formError(w, "nonce", "NONCE_TYPE_INVALID", "Must be an integer or a string.")
				return
			}
			nonce = n.String()
		}
		if utf8.RuneCountInString(nonce) > 25 {
			formError(w, "nonce", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
			return
		}
	}
	if strings.TrimSpace(content) == "" {
		writeJSON(w, http.StatusBadRequest, apiError{Message: "Cannot send an empty message", Code: 50006})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	key := nonceKey{author: s.ids.bot, nonce: nonce}
	if in.EnforceNonce && nonce != "" {
		if e, ok := s.nonces[key]; ok && e.channel == chID && now.Sub(e.at) < s.opts.NonceWindow {
			if m, ok := s.store.message(chID, ch, e.message); ok {
				out := s.messageJSON(chID, m, false)
				out.Nonce = nonce
				writeJSON(w, http.StatusOK, out)
				return
			}
		}
	}
	m := message{id: s.mint(now), author: s.ids.bot, webhook: webhook, content: strings.TrimSpace(content)}
	if webhook {
		m.author = s.ids.webhook
	}
	ch.insert(m)
	s.created = append(s.created, m.content)
	if in.EnforceNonce && nonce != "" {
		s.nonces[key] = nonceEntry{channel: chID, message: m.id, at: now}
	}
	if webhook && r.URL.Query().Get("wait") != "true" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	out := s.messageJSON(chID, m, false)
	out.Nonce = nonce
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleWebhook(w http.ResponseWriter, r *http.Request, seg []string, body []byte) {
	if len(seg) < 3 {
		notAllowed(w)
		return
	}
	s.mu.Lock()
	gone := s.noHook
	ch := s.store.channels[s.ids.channel]
	s.mu.Unlock()
	if gone || seg[1] != s.opts.WebhookID {
		unknown(w, "Webhook", 10015)
		return
	}
	if seg[2] != s.opts.WebhookToken {
		writeJSON(w, http.StatusUnauthorized, apiError{Message: "Invalid Webhook Token", Code: 50027})
		return
	}
	switch {
	case len(seg) == 3 && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"type": 1, "id": s.opts.WebhookID, "name": s.opts.WebhookName, "avatar": nil,
			"channel_id": s.opts.ChannelID, "guild_id": s.opts.GuildID, "application_id": nil, "token": s.opts.WebhookToken})
	case len(seg) == 3 && r.Method == http.MethodPost:
		s.createMessage(w, r, s.ids.channel, ch, body, true)
	case len(seg) == 5 && seg[3] == "messages" && r.Method == http.MethodGet:
		s.getMessage(w, s.ids.channel, ch, seg[4], true)
	case len(seg) <= 5:
		notAllowed(w)
	default:
		writeJSON(w, http.StatusNotFound, apiError{Message: "404: Not Found"})
	}
}

func (s *Server) handleMembers(w http.ResponseWriter, r *http.Request, guild string) {
	if r.Method != http.MethodGet {
		notAllowed(w)
		return
	}
	if guild != s.opts.GuildID {
		unknown(w, "Guild", 10004)
		return
	}
	if s.opts.DenyMembers {
		writeJSON(w, http.StatusForbidden, apiError{Message: "Missing Access", Code: 50001})
		return
	}
	limit, ok := intParam(w, r, "limit", 1, 1, 1000)
	if !ok {
		return
	}
	after := uint64(0)
	if r.URL.Query().Has("after") {
		if after, ok = snowflakeParam(w, r, "after"); !ok {
			return
		}
	}
	s.mu.Lock()
	page := s.store.membersAfter(after, limit)
	out := make([]memberJSON, len(page))
	for i, m := range page {
		out[i] = memberJSON{User: s.userJSON(s.store.user(m.id)), Nick: strPtr(m.nick), Roles: []string{}, JoinedAt: stamp(m.joined)}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}
