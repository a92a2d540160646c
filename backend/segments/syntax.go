package segments

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"hearth/backend/activity"
	"hearth/backend/textfold"
)

// SyntaxError says where an expression stops making sense and what was expected there. Code
// names the message (the catalogs' cli.segment_err_<code>), Pos is the 1-based character
// position of the offending token and Found its text (empty at the end of the expression).
type SyntaxError struct {
	Pos   int    `json:"pos"`
	Code  string `json:"code"`
	Found string `json:"found"`
}

func (e *SyntaxError) Error() string {
	found := "the end"
	if e.Found != "" {
		found = strconv.Quote(e.Found)
	}
	return fmt.Sprintf("segments: at %d: %s (found %s)", e.Pos, strings.ReplaceAll(e.Code, "_", " "), found)
}

// The syntax error codes.
const (
	ErrEmpty         = "empty"          // nothing to parse
	ErrField         = "expected_field" // a field name, NOT or "("
	ErrOperator      = "expected_operator"
	ErrValue         = "expected_value"
	ErrClose         = "expected_close"   // ")"
	ErrAndOr         = "expected_and_or"  // AND, OR, ")" or the end
	ErrUnclosed      = "unclosed_string"  // a '"' without its end
	ErrChar          = "unexpected_char"  // a character no token starts with
	ErrOpForField    = "operator_invalid" // this field does not take this operator
	ErrLevel         = "bad_level"
	ErrState         = "bad_state"
	ErrKind          = "bad_kind"
	ErrNumber        = "bad_number"
	ErrDate          = "bad_date"
	ErrDuration      = "bad_duration" // a number of days like 30d
	ErrEvents        = "events"       // events arrive with issue #16
	ErrArgs          = "bad_args"     // activities(30d), activities(kind, 30d), newsletters(90d)
	ErrUnknownCall   = "unknown_function"
	ErrConsentMissed = "expected_purpose" // consent.PURPOSE
)

// Codes lists every syntax error code, for the catalogs' test.
var Codes = []string{ErrEmpty, ErrField, ErrOperator, ErrValue, ErrClose, ErrAndOr, ErrUnclosed, ErrChar,
	ErrOpForField, ErrLevel, ErrState, ErrKind, ErrNumber, ErrDate, ErrDuration, ErrEvents, ErrArgs,
	ErrUnknownCall, ErrConsentMissed}

// Expr is a parsed expression: *And, *Or, *Not or *Cond.
type Expr interface{ expr() }

// And holds when both sides do.
type And struct{ L, R Expr }

// Or holds when either side does.
type Or struct{ L, R Expr }

// Not holds when X does not.
type Not struct{ X Expr }

// FieldKind says what a condition tests.
type FieldKind int

// The fields.
const (
	FieldCustom FieldKind = iota
	FieldTag
	FieldPlatform
	FieldLevel
	FieldJoined
	FieldLastActivity
	FieldActivities
	FieldNewsletters
	FieldReceived
	FieldConsent
)

// Cond is one comparison: Field Op Value.
type Cond struct {
	Field FieldKind
	// Name is the folded custom field name, the consent purpose, or the activity kind ("" for any).
	Name string
	// Days is the window of activities(...) and newsletters(...).
	Days  int
	Op    string // = != < <= > >= contains
	Value Value
}

// Value is a condition's right-hand side, read every way it can be.
type Value struct {
	Raw  string // as written (unquoted)
	Fold string // folded like search
	// Num is set when the value is a number.
	Num   float64
	IsNum bool
	// Date is a calendar date YYYY-MM-DD; Ago a relative date (days before today). At most one.
	Date  string
	Ago   int
	IsAgo bool
	// Level is 1 (ambassadors) to 4 (observers) for level conditions.
	Level int
}

func (*And) expr()  {}
func (*Or) expr()   {}
func (*Not) expr()  {}
func (*Cond) expr() {}

type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tString
	tOp
	tLParen
	tRParen
	tComma
)

type token struct {
	kind tokKind
	text string // unquoted for strings
	pos  int    // 1-based character position
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("_-.@'+/:", r)
}

func lex(src string) ([]token, error) {
	var out []token
	pos := 0 // characters before i
	for i := 0; i < len(src); {
		r, w := utf8.DecodeRuneInString(src[i:])
		at := pos + 1
		switch {
		case unicode.IsSpace(r):
			i, pos = i+w, pos+1
		case r == '(' || r == ')' || r == ',':
			k := map[rune]tokKind{'(': tLParen, ')': tRParen, ',': tComma}[r]
			out = append(out, token{k, string(r), at})
			i, pos = i+w, pos+1
		case r == '=' || r == '!' || r == '<' || r == '>':
			op := string(r)
			if i+1 < len(src) && src[i+1] == '=' {
				op += "="
			}
			if op == "==" {
				op = "="
			}
			if op == "!" {
				return nil, &SyntaxError{Pos: at, Code: ErrChar, Found: "!"}
			}
			n := 1
			if len(op) == 2 || (r == '=' && i+1 < len(src) && src[i+1] == '=') {
				n = 2
			}
			out = append(out, token{tOp, op, at})
			i, pos = i+n, pos+n
		case r == '"':
			var b strings.Builder
			j, n := i+1, pos+1
			closed := false
			for j < len(src) {
				c, cw := utf8.DecodeRuneInString(src[j:])
				j, n = j+cw, n+1
				if c == '\\' && j < len(src) {
					c, cw = utf8.DecodeRuneInString(src[j:])
					j, n = j+cw, n+1
				} else if c == '"' {
					closed = true
					break
				}
				b.WriteRune(c)
			}
			if !closed {
				return nil, &SyntaxError{Pos: at, Code: ErrUnclosed, Found: src[i:]}
			}
			out = append(out, token{tString, b.String(), at})
			i, pos = j, n
		case isWordRune(r):
			j, n := i, pos
			for j < len(src) {
				c, cw := utf8.DecodeRuneInString(src[j:])
				if !isWordRune(c) {
					break
				}
				j, n = j+cw, n+1
			}
			out = append(out, token{tWord, src[i:j], at})
			i, pos = j, n
		default:
			return nil, &SyntaxError{Pos: at, Code: ErrChar, Found: string(r)}
		}
	}
	return append(out, token{tEOF, "", pos + 1}), nil
}

type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func fail(t token, code string) error { return &SyntaxError{Pos: t.pos, Code: code, Found: t.text} }

func (t token) keyword(k string) bool { return t.kind == tWord && strings.EqualFold(t.text, k) }

// Parse reads an expression (see docs/SEGMENTS.md). Its errors are *SyntaxError.
func Parse(src string) (Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	if p.peek().kind == tEOF {
		return nil, fail(p.peek(), ErrEmpty)
	}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.kind == tRParen {
			return nil, fail(t, ErrAndOr)
		}
		return nil, fail(t, ErrAndOr)
	}
	return e, nil
}

func (p *parser) or() (Expr, error) {
	l, err := p.and()
	for err == nil && p.peek().keyword("OR") {
		p.next()
		var r Expr
		if r, err = p.and(); err == nil {
			l = &Or{l, r}
		}
	}
	return l, err
}

func (p *parser) and() (Expr, error) {
	l, err := p.not()
	for err == nil && p.peek().keyword("AND") {
		p.next()
		var r Expr
		if r, err = p.not(); err == nil {
			l = &And{l, r}
		}
	}
	return l, err
}

func (p *parser) not() (Expr, error) {
	if p.peek().keyword("NOT") {
		p.next()
		x, err := p.not()
		if err != nil {
			return nil, err
		}
		return &Not{x}, nil
	}
	if p.peek().kind == tLParen {
		p.next()
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if t := p.next(); t.kind != tRParen {
			return nil, fail(t, ErrClose)
		}
		return e, nil
	}
	return p.cond()
}

// fieldKey folds a field name the way search folds text, spaces and dashes read as "_".
func fieldKey(s string) string {
	s = textfold.Fold(strings.TrimSpace(s))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' || r == '_' }), "_")
}

var namedFields = map[string]FieldKind{
	"tag": FieldTag, "tags": FieldTag, "platform": FieldPlatform, "level": FieldLevel,
	"joined": FieldJoined, "last_activity": FieldLastActivity, "received": FieldReceived,
}

func (p *parser) cond() (Expr, error) {
	ft := p.next()
	if ft.kind != tWord && ft.kind != tString || ft.keyword("AND") || ft.keyword("OR") {
		return nil, fail(ft, ErrField)
	}
	c := &Cond{}
	key := fieldKey(ft.text)
	switch {
	case ft.kind == tString:
		c.Field, c.Name = FieldCustom, key
	case key == "event" || key == "events":
		return nil, fail(ft, ErrEvents)
	case key == "activities" || key == "newsletters":
		if err := p.call(c, key); err != nil {
			return nil, err
		}
	case strings.HasPrefix(key, "consent."):
		c.Field, c.Name = FieldConsent, strings.TrimPrefix(key, "consent.")
		if c.Name == "" {
			return nil, fail(ft, ErrConsentMissed)
		}
	case key == "consent":
		return nil, fail(ft, ErrConsentMissed)
	default:
		if k, ok := namedFields[key]; ok {
			c.Field = k
		} else {
			c.Field, c.Name = FieldCustom, key
		}
	}
	if p.peek().kind == tLParen {
		return nil, fail(p.peek(), ErrUnknownCall)
	}
	ot := p.next()
	switch {
	case ot.kind == tOp:
		c.Op = ot.text
	case ot.keyword("contains"):
		c.Op = "contains"
	default:
		return nil, fail(ot, ErrOperator)
	}
	if !allows(c.Field, c.Op) {
		return nil, fail(ot, ErrOpForField)
	}
	vt := p.next()
	if vt.kind != tWord && vt.kind != tString {
		return nil, fail(vt, ErrValue)
	}
	v, err := readValue(c, vt)
	if err != nil {
		return nil, err
	}
	c.Value = v
	return c, nil
}

// call reads the arguments of activities([kind,] Nd) and newsletters(Nd).
func (p *parser) call(c *Cond, name string) error {
	c.Field = FieldActivities
	if name == "newsletters" {
		c.Field = FieldNewsletters
	}
	if t := p.next(); t.kind != tLParen {
		return fail(t, ErrArgs)
	}
	var args []token
	for {
		t := p.next()
		if t.kind != tWord && t.kind != tString {
			return fail(t, ErrArgs)
		}
		args = append(args, t)
		t = p.next()
		if t.kind == tRParen {
			break
		}
		if t.kind != tComma {
			return fail(t, ErrClose)
		}
	}
	max := 2
	if c.Field == FieldNewsletters {
		max = 1
	}
	if len(args) > max {
		return fail(args[max], ErrArgs)
	}
	if len(args) == 2 {
		k := activity.Kind(fieldKey(args[0].text))
		if !k.Valid() {
			return fail(args[0], ErrKind)
		}
		c.Name = string(k)
	}
	d, ok := days(args[len(args)-1].text)
	if !ok {
		return fail(args[len(args)-1], ErrDuration)
	}
	c.Days = d
	return nil
}

// days reads "30d" (or "30j", French "jours").
func days(s string) (int, bool) {
	s = strings.ToLower(s)
	if len(s) < 2 || (s[len(s)-1] != 'd' && s[len(s)-1] != 'j') {
		return 0, false
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	return n, err == nil && n >= 0 && n <= 36600
}

func allows(f FieldKind, op string) bool {
	switch f {
	case FieldTag, FieldCustom:
		return true
	case FieldPlatform, FieldConsent, FieldReceived:
		return op == "=" || op == "!="
	default:
		return op != "contains"
	}
}

// levelWords are the spellings a level may be given in, in English and French, singular or
// plural (folded; a final "s" is dropped before looking).
var levelWords = map[string]int{
	"ambassador": 1, "ambassadeur": 1, "ambassadrice": 1,
	"contributor": 2, "contributeur": 2, "contributrice": 2,
	"participant": 3, "participante": 3,
	"observer": 4, "observateur": 4, "observatrice": 4,
	"1": 1, "2": 2, "3": 3, "4": 4,
}

var states = map[string]string{"granted": "granted", "withdrawn": "withdrawn", "none": "none", "expired": "expired",
	"accorde": "granted", "retire": "withdrawn", "aucun": "none", "expire": "expired"}

func readValue(c *Cond, t token) (Value, error) {
	v := Value{Raw: t.text, Fold: textfold.Fold(strings.TrimSpace(t.text))}
	if n, ok := number(t.text); ok {
		v.Num, v.IsNum = n, true
	}
	if isDate(t.text) {
		v.Date = t.text
	} else if d, ok := days(t.text); ok && t.kind == tWord {
		v.Ago, v.IsAgo = d, true
	}
	switch c.Field {
	case FieldLevel:
		l, ok := levelWords[strings.TrimSuffix(v.Fold, "s")]
		if !ok {
			return v, fail(t, ErrLevel)
		}
		v.Level = l
	case FieldConsent:
		s, ok := states[v.Fold]
		if !ok {
			return v, fail(t, ErrState)
		}
		v.Fold = s
	case FieldActivities, FieldNewsletters:
		if !v.IsNum {
			return v, fail(t, ErrNumber)
		}
	case FieldJoined, FieldLastActivity:
		if v.Date == "" && !v.IsAgo {
			return v, fail(t, ErrDate)
		}
	case FieldPlatform:
		v.Fold = fieldKey(v.Raw)
	}
	return v, nil
}

// number reads 12, -3, 2.5 or 2,5.
func number(s string) (float64, bool) {
	s = strings.Replace(strings.TrimSpace(s), ",", ".", 1)
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseFloat(s, 64)
	return n, err == nil
}

// isDate says whether s is a calendar date YYYY-MM-DD.
func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	_, err := parseDay(s)
	return err == nil
}
