package discordtest

import "fmt"

// Generated messages come in groups of five: the first opens a conversation (a question in two
// groups of three, English then French in turn, else a plain message), the next three are
// chat, and the fifth is a reply by someone else: to the group's question, or (one group in
// four) to the message before it, which leaves that group's question unanswered.
var (
	genQuestionsEN = []string{
		"How do I get the Member role?",
		"Is tonight's call recorded?",
		"Where do I report a bug in the bot?",
	}
	genQuestionsFR = []string{
		"Comment obtenir le rôle Membre ?",
		"L'appel de ce soir est-il enregistré ?",
		"Où signaler un bug du bot ?",
	}
	genAnswersEN = []string{
		"React with a ✅ in #welcome and a moderator will give it to you.",
		"Yes, the recording is posted in #replays the next day.",
		"In #support, with a screenshot if you can.",
	}
	genAnswersFR = []string{
		"Réagissez avec ✅ dans #bienvenue, un modérateur vous le donnera.",
		"Oui, l'enregistrement est publié dans #rediffusions le lendemain.",
		"Dans #support, avec une capture d'écran si possible.",
	}
)

// genMessage is generated message i (see the comment on genQuestionsEN).
func (st *store) genMessage(i int) message {
	authors := max(st.genUsers, 1)
	g, k := i/5, i%5
	m := message{id: genMsgID(i), author: genUserID(i % authors)}
	q := (g / 3) % len(genQuestionsEN)
	lang := [3]string{"en", "fr", ""}[g%3]
	switch {
	case k == 0 && lang == "en":
		m.content = genQuestionsEN[q]
	case k == 0 && lang == "fr":
		m.content = genQuestionsFR[q]
	case k == 4:
		parent := i - 4
		if g%4 == 3 {
			parent = i - 1
		}
		m.ref = genMsgID(parent)
		if by := i % authors; by == parent%authors && authors > 1 {
			m.author = genUserID((by + 1) % authors)
		}
		if parent == i-4 && lang == "en" {
			m.content = genAnswersEN[q]
		} else if parent == i-4 && lang == "fr" {
			m.content = genAnswersFR[q]
		}
	}
	if m.content == "" {
		m.content = fmt.Sprintf("Generated message %d from member%d", i, st.genUserIndex(m.author))
	}
	return m
}
