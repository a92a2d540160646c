package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
)

// name is a display form and the ASCII form an e-mail address uses.
type name struct{ display, ascii string }

var (
	firstNames = []name{{"Hélène", "h"}, {"Marc", "m"}, {"Zoë", "z"}, {"François", "f"}, {"Amélie", "a"},
		{"Jérôme", "j"}, {"Chloé", "c"}, {"Noël", "n"}, {"Inès", "i"}, {"Léa", "l"}, {"Thomas", "t"},
		{"Camille", "c"}, {"Yannick", "y"}, {"Aurélie", "a"}, {"Benoît", "b"}, {"Océane", "o"},
		{"Gaël", "g"}, {"Maëlle", "m"}, {"Sébastien", "s"}, {"Élodie", "e"}}
	lastNames = []name{{"Dupont", "dupont"}, {"Lefèvre", "lefevre"}, {"Martin", "martin"},
		{"Bernard", "bernard"}, {"Durand", "durand"}, {"Moreau", "moreau"}, {"Lefebvre", "lefebvre"},
		{"Garnier", "garnier"}, {"Faure", "faure"}, {"Rousseau", "rousseau"}, {"Blanc", "blanc"},
		{"Guérin", "guerin"}, {"Muller", "muller"}, {"Henry", "henry"}, {"Roussel", "roussel"},
		{"Nicolas", "nicolas"}, {"Perrin", "perrin"}, {"Morin", "morin"}, {"Mathieu", "mathieu"},
		{"Clément", "clement"}}
	tagPool = []string{"bénévole", "paris", "lyon", "ambassadeur", "nouveau", "donateur", "modérateur",
		"événement-2026", "newsletter", "super-utilisateur"}
	domains = []string{"example.org", "exemple.fr", "mail.example", "asso.example", "courriel.example"}
)

// commonSurname is the surname searched for: one member in twenty carries it, in the name and
// in the e-mail address.
const commonSurname = "dupont"

// writeCSV writes n generated members to path as `name,email,tags` (a header, then one row per
// member: a French name with accents, a unique e-mail address, one or two tags separated by
// "; "), the same rows for Hearth and for sqlite3. It answers the e-mail of the middle member,
// the one looked up by address.
func writeCSV(path string, n int) (probe string, err error) {
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(13, 4))
	fmt.Fprintln(w, "name,email,tags")
	for i := range n {
		first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		email := fmt.Sprintf("%s.%s.%d@%s", first.ascii, last.ascii, i, domains[r.IntN(len(domains))])
		tags := tagPool[r.IntN(len(tagPool))]
		if r.IntN(3) == 0 {
			tags += "; " + tagPool[r.IntN(len(tagPool))]
		}
		if i == n/2 {
			probe = email
		}
		fmt.Fprintf(w, "%s %s,%s,%s\n", first.display, last.display, email, tags)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return "", err
	}
	return probe, f.Close()
}
