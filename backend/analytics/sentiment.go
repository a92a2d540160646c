package analytics

import (
	"strings"
	"unicode"

	"hearth/backend/textfold"
)

// Mood is the sentiment of one activity record, read from its title and text with a small
// French and English lexicon (lexicon.go): each positive word scores +1 and each negative
// word -1, a word within three words after a negation ("not", "never", "pas", "jamais"…)
// counting the other way ("pas bien" is negative, "not bad" positive). A record whose score
// is above 0 is positive, below 0 negative, else neutral (no text included). A negation
// stops at the end of its clause (. , ; : ! ? or a new line).
type Mood int8

// Moods of a record; the values are stored in the counters.
const (
	Neutral  Mood = 0
	Positive Mood = 1
	Negative Mood = 2
)

// negationReach is how many words after a negation it turns around.
const negationReach = 3

// words splits folded text into words of letters and digits ("n'est" gives "n", "est").
func words(s string) []string {
	return strings.FieldsFunc(textfold.Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// MoodOf returns the mood of a record with this title and text.
func MoodOf(title, text string) Mood {
	score := 0
	for _, clause := range strings.FieldsFunc(title+"\n"+text, isClauseEnd) {
		score += clauseScore(words(clause))
	}
	switch {
	case score > 0:
		return Positive
	case score < 0:
		return Negative
	}
	return Neutral
}

func isClauseEnd(r rune) bool { return strings.ContainsRune(".,;:!?\n…", r) }

// clauseScore is the score of one clause's words.
func clauseScore(ws []string) int {
	score := 0
	negatedUntil := -1
	for i, w := range ws {
		if negations[w] {
			negatedUntil = i + negationReach
			continue
		}
		v := 0
		switch {
		case positiveWords[w]:
			v = 1
		case negativeWords[w]:
			v = -1
		}
		if i <= negatedUntil {
			v = -v
		}
		score += v
	}
	return score
}

// keywordText bounds how many words of a record's text count as keywords (all the title's do).
const keywordText = 50

// KeywordsOf returns the distinct significant words of a record: folded, at least three
// characters, not only digits, not a stop word, from the title and the text's first 50 words.
func KeywordsOf(title, text string) []string {
	tw := words(text)
	if len(tw) > keywordText {
		tw = tw[:keywordText]
	}
	seen := map[string]bool{}
	var out []string
	for _, w := range append(words(title), tw...) {
		if len(w) < 3 || seen[w] || stopWords[w] || negations[w] || allDigits(w) {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

func allDigits(w string) bool {
	return strings.IndexFunc(w, func(r rune) bool { return !unicode.IsDigit(r) }) < 0
}

// set makes a lookup set of space-separated words (folded: the lists may be written with
// accents).
func set(lists ...string) map[string]bool {
	m := map[string]bool{}
	for _, l := range lists {
		for _, w := range strings.Fields(textfold.Fold(l)) {
			m[w] = true
		}
	}
	return m
}
