package mastodontest

import (
	"fmt"
	"time"
)

// conversations are the questions generated mentions ask and the answers to them.
var conversations = []struct{ lang, question, answer string }{
	{"en", "How do I sign up for the next meetup?", "the sign-up form is linked in the pinned post."},
	{"fr", "Comment s'inscrire au prochain atelier ?", "le formulaire est dans le message épinglé."},
	{"en", "Is the workshop open to beginners?", "yes, no experience needed."},
	{"fr", "L'atelier est-il ouvert aux débutants ?", "oui, aucune expérience requise."},
	{"en", "Where can I find last month's newsletter?", "it is on the website, under News."},
	{"fr", "Où trouver la lettre du mois dernier ?", "elle est sur le site, rubrique Actualités."},
}

// cycle is the types of generated notifications, in turn: mention, favourite, reblog,
// mention, status, follow.
var cycle = []uint8{0, 1, 2, 0, 4, 3}

// generated is the i-th notification of a Generate call whose people accounts start at first,
// to be stored at index at of notifs. In each turn of the cycle the first mention asks a
// question (English and French in turn) two times in three, and the second mention, three
// minutes later and by someone else, replies to it (in_reply_to_id), except one turn in four,
// where the question is left unanswered and the second mention stands alone.
func generated(i int, first, people int32, at int, next func() int64) notif {
	c, pos := i/len(cycle), i%len(cycle)
	typ := cycle[i%len(cycle)]
	n := notif{id: notificationBase + next(), at: genEpoch.Add(time.Duration(i) * time.Minute).Unix(),
		account: first + int32(i)%people, status: genStatus, typ: typ}
	if typeNames[typ] == "follow" {
		n.status = noStatus
	}
	conv := uint8(0)
	if c%3 != 2 {
		conv = uint8(1 + (c/3*2+c%3)%len(conversations))
	}
	switch {
	case pos == 0:
		n.conv = conv
	case pos == 3 && c%4 != 3:
		n.parent, n.conv = int32(at-3)+1, conv
		if asker := first + int32(i-3)%people; n.account == asker && people > 1 {
			n.account = first + (int32(i)+1)%people
		}
	}
	return n
}

// genStatus is the status of generated notification n.
func (d *data) genStatus(n notif) stat {
	me := d.accounts[0].username
	st := stat{id: generatedStatus + n.id, account: n.account, visibility: "public", at: time.Unix(n.at, 0),
		text: fmt.Sprintf("@%s Message %d", me, n.id)}
	if name := typeNames[n.typ]; name == "favourite" || name == "reblog" {
		st.account, st.text = 0, fmt.Sprintf("Our post %d", n.id)
		return st
	}
	var conv struct{ lang, question, answer string }
	if n.conv > 0 {
		conv = conversations[n.conv-1]
	}
	switch {
	case n.parent > 0:
		p := d.notifs[n.parent-1]
		st.inReplyTo, st.inReplyToAccount = generatedStatus+p.id, p.account
		if n.conv > 0 {
			st.text = fmt.Sprintf("@%s @%s %s", d.accounts[p.account].username, me, conv.answer)
		} else {
			st.text = fmt.Sprintf("@%s @%s Reply %d", d.accounts[p.account].username, me, n.id)
		}
		st.language = conv.lang
	case n.conv > 0:
		st.text, st.language = fmt.Sprintf("@%s %s", me, conv.question), conv.lang
	}
	return st
}
