package discoursetest

import "fmt"

// Generated topics are conversations: two topics in three open with a question (English, then
// French, in turn) and the next posts of the topic, by other members and later, answer it; the
// third opens with a statement.
var (
	questionsEN = []string{
		"How do I sign up for the next meetup?",
		"Where can I find the minutes of the last meeting?",
		"Can someone explain how the membership fee works?",
		"Is there a mentoring programme for newcomers?",
	}
	questionsFR = []string{
		"Comment s'inscrire au prochain atelier ?",
		"Où trouver le compte rendu de la dernière réunion ?",
		"Quelqu'un peut-il m'expliquer la cotisation ?",
		"Y a-t-il un parrainage pour les nouveaux membres ?",
	}
	answersEN = []string{
		"The sign-up form is pinned at the top of the Events category.",
		"They are in the shared folder, under Meetings.",
		"It is yearly, and half price for students.",
		"Yes: ask in the Welcome category and someone will pair with you.",
	}
	answersFR = []string{
		"Le formulaire est épinglé en haut de la catégorie Événements.",
		"Il est dans le dossier partagé, rubrique Réunions.",
		"Elle est annuelle, et à moitié prix pour les étudiants.",
		"Oui : demandez dans la catégorie Bienvenue, quelqu'un vous accompagnera.",
	}
)

// topicQuestion is generated topic ti's opening question and its language ("en", "fr"), or
// "" for a topic opening with a statement.
func topicQuestion(ti int) (question, lang string) {
	k := (ti / 3) % len(questionsEN)
	switch ti % 3 {
	case 0:
		return questionsEN[k], "en"
	case 1:
		return questionsFR[k], "fr"
	}
	return "", ""
}

// generatedText is the raw text of post number n (1-based) of generated topic ti, whose id is
// topicID.
func generatedText(ti, topicID, n int) string {
	q, lang := topicQuestion(ti)
	k := (ti / 3) % len(questionsEN)
	switch {
	case q != "" && n == 1:
		return q
	case lang == "en" && n == 2:
		return answersEN[k]
	case lang == "fr" && n == 2:
		return answersFR[k]
	case lang == "fr":
		return fmt.Sprintf("Message %d du sujet %d : merci & bienvenue <à tous> !", n, topicID)
	}
	return fmt.Sprintf("Message %d of topic %d: hello & welcome <everyone>!", n, topicID)
}

// generatedTitle is generated topic ti's title: its question, or "Generated topic <id>".
func generatedTitle(ti, topicID int) string {
	if q, _ := topicQuestion(ti); q != "" {
		return fmt.Sprintf("%s (%d)", q, topicID)
	}
	return fmt.Sprintf("Generated topic %d", topicID)
}
