package bundle

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
)

// The bundle's promise is that the standard age command opens it: these tests run the real
// one (Debian's age 1.1.1, which .ci/deps installs). They fail, rather than skip, without it.

func ageCommand(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("age")
	if err != nil {
		t.Fatal("the age command is needed (apt-get install age; .ci/deps installs it): ", err)
	}
	return path
}

// run runs a shell pipeline in dir and returns its standard output.
func run(t *testing.T, dir, pipeline string) []byte {
	t.Helper()
	cmd := exec.Command("bash", "-o", "pipefail", "-c", pipeline)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", pipeline, err, stderr.String())
	}
	return out
}

// checkLines checks the JSON lines the age command decrypted: the manifest, then the
// entries, then the end line.
func checkLines(t *testing.T, plain []byte, entries []Entry) {
	t.Helper()
	var lines []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(plain))
	for sc.Scan() {
		var l map[string]any
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("not a JSON line: %q", sc.Text())
		}
		lines = append(lines, l)
	}
	if len(lines) != len(entries)+2 {
		t.Fatalf("%d lines, want %d", len(lines), len(entries)+2)
	}
	if lines[0]["t"] != "manifest" || lines[0]["format"] != Format || lines[0]["teammate"] != "Camille" {
		t.Errorf("first line %v, want the manifest", lines[0])
	}
	for i, e := range entries {
		want := map[bool]string{e.Erasure != nil: "erasure", e.Suppression != nil: "suppression", e.Record != nil: "record"}[true]
		if lines[i+1]["t"] != want {
			t.Errorf("line %d is %v, want a %s", i+2, lines[i+1], want)
		}
	}
	end := lines[len(lines)-1]
	if end["t"] != "end" || end["erasures"] != 2.0 || end["suppressions"] != 1.0 || end["records"] != 3.0 {
		t.Errorf("last line %v, want the end line with the counts", end)
	}
}

func TestTheAgeCommandDecryptsABundleWithAnIdentityFile(t *testing.T) {
	ageCommand(t)
	dir := t.TempDir()
	id := newIdentity(t)
	if err := os.WriteFile(filepath.Join(dir, "key.txt"), []byte("# a workspace identity\n"+id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	other := newIdentity(t)
	data := writeBundle(t, Encrypt{Recipients: []string{other.Recipient().String(), id.Recipient().String()}}, testManifest(), testEntries())
	if err := os.WriteFile(filepath.Join(dir, "F.hearth"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	checkLines(t, run(t, dir, "age -d -i key.txt F.hearth | gunzip"), testEntries())
}

// handBundle is a bundle's content written by hand, as someone leaving Hearth or writing a
// tool would: JSON lines in a text file.
const handBundle = `{"t":"manifest","format":"hearth-bundle","version":1,"schema":7,"workspace":"W1","hashKey":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","replica":"R1","teammate":"Sacha","createdAt":"2026-12-07T20:00:00+01:00","clock":{"R1":115672849203200000}}
{"t":"erasure","subject":"M0","hlc":115672849203199999}
{"t":"suppression","kind":"email","hash":"00112233445566778899aabbccddeeff"}
{"t":"record","c":"member","id":"M1","hlc":115672849203200000,"replica":"R1","subject":"M1","sealed":true,"data":{"name":"Zoé"}}
{"t":"record","c":"member","id":"M2","hlc":115672849203200000,"replica":"R1","deleted":true}
{"t":"end","erasures":1,"suppressions":1,"records":2}
`

func checkHandBundle(t *testing.T, m Manifest, entries []Entry) {
	t.Helper()
	if m.Workspace != "W1" || m.Teammate != "Sacha" || m.Clock["R1"] != 115672849203200000 || len(m.HashKey) != HashKeySize {
		t.Errorf("manifest %+v", m)
	}
	if len(entries) != 4 || entries[0].Erasure.Subject != "M0" || entries[1].Suppression.Kind != "email" ||
		string(entries[2].Record.Data) != `{"name":"Zoé"}` || entries[2].Record.HLC != 115672849203200000 || !entries[3].Record.Deleted {
		got, _ := json.Marshal(entries)
		t.Errorf("entries %s", got)
	}
}

func TestABundleTheAgeCommandEncryptedToAKeyOpens(t *testing.T) {
	ageCommand(t)
	dir := t.TempDir()
	id := newIdentity(t)
	if err := os.WriteFile(filepath.Join(dir, "lines.jsonl"), []byte(handBundle), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, armor := range []string{"", "-a"} {
		data := run(t, dir, "gzip -c lines.jsonl | age "+armor+" -r "+id.Recipient().String())
		m, entries, err := readBundle(data, Decrypt{Identities: []age.Identity{id}})
		if err != nil {
			t.Fatalf("age %s: %v", armor, err)
		}
		checkHandBundle(t, m, entries)
	}
	// Without its end line the same content is refused: the end line is what says it is whole.
	cut := strings.Join(strings.Split(handBundle, "\n")[:5], "\n") + "\n"
	if err := os.WriteFile(filepath.Join(dir, "cut.jsonl"), []byte(cut), 0o600); err != nil {
		t.Fatal(err)
	}
	data := run(t, dir, "gzip -c cut.jsonl | age -r "+id.Recipient().String())
	if _, _, err := readBundle(data, Decrypt{Identities: []age.Identity{id}}); codeOf(err) != "bundle_truncated" {
		t.Errorf("no end line: %v, want bundle_truncated", err)
	}
}
