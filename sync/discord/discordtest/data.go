package discordtest

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"
)

// discordEpochMS is the start of Discord's snowflake clock (2015-01-01 UTC) in Unix ms.
const discordEpochMS = 1420070400000

// Generated data: users minted one second apart from 2019-01-01, joined one minute apart from
// 2020-01-01; messages one second apart from 2022-01-01.
var (
	genUserStart = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	genJoinStart = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	genMsgStart  = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	genStep      = uint64(1000) << 22 // one second of snowflake
)

// Member is a guild member to seed (ID minted when empty; JoinedAt now when zero).
type Member struct {
	ID         string
	Username   string
	GlobalName string
	Nick       string
	JoinedAt   time.Time
	Bot        bool
}

// Message is a channel message to seed (ID minted from At, now when zero; ChannelID the
// fake's channel when empty). AuthorID is a seeded or generated user; ReplyTo a message id
// (any, even one the fake does not hold): a REPLY (type 19) with a message_reference to it, or
// with Forward a DEFAULT message forwarding it (message_reference type 1, message_snapshots).
type Message struct {
	ID        string
	ChannelID string
	AuthorID  string
	Content   string
	At        time.Time
	ReplyTo   string
	Forward   bool
}

type user struct {
	id                   uint64
	username, globalName string
	bot                  bool
}

type member struct {
	id     uint64
	nick   string
	joined time.Time
}

type message struct {
	id, author, ref  uint64
	webhook, forward bool
	content          string
}

type channel struct {
	guild uint64
	msgs  []message // sorted by id
}

// store holds seeded data sorted by id, plus the generated ranges computed on demand.
type store struct {
	ids      ids
	users    map[uint64]user
	members  []member // sorted by user id
	channels map[uint64]*channel
	genUsers int // generated members
	genMsgs  int // generated messages in the default channel
}

func (st *store) init(i ids) {
	st.ids = i
	st.users = map[uint64]user{}
	st.channels = map[uint64]*channel{i.channel: {guild: i.guild}}
}

func (st *store) addUser(u user) { st.users[u.id] = u }

func (st *store) addMember(m member) {
	k := sort.Search(len(st.members), func(i int) bool { return st.members[i].id >= m.id })
	if k < len(st.members) && st.members[k].id == m.id {
		st.members[k] = m
		return
	}
	st.members = append(st.members, member{})
	copy(st.members[k+1:], st.members[k:])
	st.members[k] = m
}

func (ch *channel) insert(m message) bool {
	k := sort.Search(len(ch.msgs), func(i int) bool { return ch.msgs[i].id >= m.id })
	if k < len(ch.msgs) && ch.msgs[k].id == m.id {
		return false
	}
	ch.msgs = append(ch.msgs, message{})
	copy(ch.msgs[k+1:], ch.msgs[k:])
	ch.msgs[k] = m
	return true
}

func (ch *channel) find(id uint64) (message, bool) {
	k := sort.Search(len(ch.msgs), func(i int) bool { return ch.msgs[i].id >= id })
	if k < len(ch.msgs) && ch.msgs[k].id == id {
		return ch.msgs[k], true
	}
	return message{}, false
}

func snowflake(t time.Time) uint64 {
	ms := t.UnixMilli() - discordEpochMS
	if ms < 0 {
		ms = 0
	}
	return uint64(ms) << 22
}

func idTime(id uint64) time.Time { return time.UnixMilli(int64(id>>22) + discordEpochMS).UTC() }

// mint returns a new id for instant t: increasing for ids minted now, unique for seeded times.
func (s *Server) mint(t time.Time) uint64 {
	id := snowflake(t)
	if id <= s.lastID && t.After(s.opts.Now().Add(-time.Second)) {
		id = s.lastID + 1
	}
	s.lastID = max(s.lastID, id)
	return id
}

func genUserID(i int) uint64 { return snowflake(genUserStart) + uint64(i)*genStep }
func genMsgID(i int) uint64  { return snowflake(genMsgStart) + uint64(i)*genStep }

// genUserIndex is the index of a generated user id, or -1.
func (st *store) genUserIndex(id uint64) int {
	base := snowflake(genUserStart)
	if id < base || (id-base)%genStep != 0 {
		return -1
	}
	i := (id - base) / genStep
	if i >= uint64(max(st.genUsers, 1)) {
		return -1
	}
	return int(i)
}

func (st *store) user(id uint64) user {
	if u, ok := st.users[id]; ok {
		return u
	}
	if i := st.genUserIndex(id); i >= 0 {
		return user{id: id, username: fmt.Sprintf("member%d", i), globalName: fmt.Sprintf("Member %d", i)}
	}
	return user{id: id, username: "Deleted User"}
}

func (st *store) genMember(i int) member {
	m := member{id: genUserID(i), joined: genJoinStart.Add(time.Duration(i) * time.Minute)}
	if i%3 == 0 {
		m.nick = fmt.Sprintf("nick%d", i)
	}
	return m
}

// AddMember seeds a guild member and returns it with its id and join time.
func (s *Server) AddMember(m Member) Member {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	if m.JoinedAt.IsZero() {
		m.JoinedAt = now
	}
	var id uint64
	if m.ID == "" {
		id = s.mint(now)
		m.ID = strconv.FormatUint(id, 10)
	} else {
		id = mustID(m.ID)
	}
	if m.Username == "" {
		m.Username = "user" + m.ID
	}
	s.store.addUser(user{id: id, username: m.Username, globalName: m.GlobalName, bot: m.Bot})
	s.store.addMember(member{id: id, nick: m.Nick, joined: m.JoinedAt})
	return m
}

// AddChannel adds a text channel to the guild.
func (s *Server) AddChannel(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.store.channels[mustID(id)]; !ok {
		s.store.channels[mustID(id)] = &channel{guild: s.ids.guild}
	}
}

// AddMessage seeds a message (not counted in Created) and returns it with its id.
func (s *Server) AddMessage(m Message) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m.ChannelID == "" {
		m.ChannelID = s.opts.ChannelID
	}
	ch := s.store.channels[mustID(m.ChannelID)]
	if ch == nil {
		panic("discordtest: AddMessage to an unknown channel " + m.ChannelID)
	}
	if m.At.IsZero() {
		m.At = s.opts.Now()
	}
	if m.AuthorID == "" {
		panic("discordtest: AddMessage needs an AuthorID")
	}
	msg := message{author: mustID(m.AuthorID), content: m.Content}
	if m.ReplyTo != "" {
		msg.ref, msg.forward = mustID(m.ReplyTo), m.Forward
	}
	if m.ID != "" {
		msg.id = mustID(m.ID)
	} else {
		msg.id = s.mint(m.At)
	}
	for !ch.insert(msg) {
		msg.id++
	}
	m.ID = strconv.FormatUint(msg.id, 10)
	m.At = idTime(msg.id)
	return m
}

// Generate adds people generated members (member0…, joined a minute apart from 2020-01-01)
// and messages generated messages in the channel (a second apart from 2022-01-01, authored by
// the generated members in turn), computed from their index: no memory per item. They are
// conversations: every fifth message is a reply by someone else, most often to a question
// (English or French) four messages earlier (see conversations.go). It replaces an earlier
// Generate.
func (s *Server) Generate(people, messages int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store.genUsers, s.store.genMsgs = max(people, 0), max(messages, 0)
}

// ref is a paging result: a seeded item (index into the sorted slice) or a generated one.
type ref struct {
	gen bool
	i   int
}

// pageAfter returns up to limit items with ids above after, ascending, merging the seeded
// ids (na, ida) with the generated ones (nb, idb); both are sorted, so it binary-searches.
func pageAfter(after uint64, limit, na int, ida func(int) uint64, nb int, idb func(int) uint64) []ref {
	i := sort.Search(na, func(k int) bool { return ida(k) > after })
	j := sort.Search(nb, func(k int) bool { return idb(k) > after })
	out := make([]ref, 0, limit)
	for len(out) < limit && (i < na || j < nb) {
		if j >= nb || (i < na && ida(i) < idb(j)) {
			out = append(out, ref{false, i})
			i++
		} else {
			out = append(out, ref{true, j})
			j++
		}
	}
	return out
}

// pageBefore returns up to limit items with ids below before, descending.
func pageBefore(before uint64, limit, na int, ida func(int) uint64, nb int, idb func(int) uint64) []ref {
	i := sort.Search(na, func(k int) bool { return ida(k) >= before }) - 1
	j := sort.Search(nb, func(k int) bool { return idb(k) >= before }) - 1
	out := make([]ref, 0, limit)
	for len(out) < limit && (i >= 0 || j >= 0) {
		if j < 0 || (i >= 0 && ida(i) > idb(j)) {
			out = append(out, ref{false, i})
			i--
		} else {
			out = append(out, ref{true, j})
			j--
		}
	}
	return out
}

// members returns up to limit members with user ids above after, ascending.
func (st *store) membersAfter(after uint64, limit int) []member {
	refs := pageAfter(after, limit, len(st.members), func(k int) uint64 { return st.members[k].id },
		st.genUsers, genUserID)
	out := make([]member, len(refs))
	for k, r := range refs {
		if r.gen {
			out[k] = st.genMember(r.i)
		} else {
			out[k] = st.members[r.i]
		}
	}
	return out
}

// messages answers a history query on a channel, newest first; mode is "after", "before",
// "around" or "" (latest).
func (st *store) messages(chID uint64, ch *channel, mode string, at uint64, limit int) []message {
	ng := 0
	if chID == st.ids.channel {
		ng = st.genMsgs
	}
	ida := func(k int) uint64 { return ch.msgs[k].id }
	get := func(r ref) message {
		if r.gen {
			return st.genMessage(r.i)
		}
		return ch.msgs[r.i]
	}
	var refs []ref
	switch mode {
	case "after":
		asc := pageAfter(at, limit, len(ch.msgs), ida, ng, genMsgID)
		for k := len(asc) - 1; k >= 0; k-- {
			refs = append(refs, asc[k])
		}
	case "around":
		older := pageBefore(at+1, (limit+1)/2, len(ch.msgs), ida, ng, genMsgID)
		newer := pageAfter(at, limit-len(older), len(ch.msgs), ida, ng, genMsgID)
		for k := len(newer) - 1; k >= 0; k-- {
			refs = append(refs, newer[k])
		}
		refs = append(refs, older...)
	case "before":
		refs = pageBefore(at, limit, len(ch.msgs), ida, ng, genMsgID)
	default:
		refs = pageBefore(math.MaxUint64, limit, len(ch.msgs), ida, ng, genMsgID)
	}
	out := make([]message, len(refs))
	for k, r := range refs {
		out[k] = get(r)
	}
	return out
}

// message finds one message of a channel.
func (st *store) message(chID uint64, ch *channel, id uint64) (message, bool) {
	if m, ok := ch.find(id); ok {
		return m, true
	}
	if chID == st.ids.channel && st.genMsgs > 0 {
		base := genMsgID(0)
		if id >= base && (id-base)%genStep == 0 && (id-base)/genStep < uint64(st.genMsgs) {
			return st.genMessage(int((id - base) / genStep)), true
		}
	}
	return message{}, false
}
