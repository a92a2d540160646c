package main

import (
	"context"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

var (
	timeType        = reflect.TypeFor[time.Time]()
	durationType    = reflect.TypeFor[time.Duration]()
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	errorType       = reflect.TypeFor[error]()
	contextType     = reflect.TypeFor[context.Context]()
	marshalerType   = reflect.TypeFor[json.Marshaler]()
	textMarshalType = reflect.TypeFor[encoding.TextMarshaler]()
)

// models collects the named types the bound services' methods reach.
type models struct {
	src *sources
	// byNS are the declarations of each namespace (Go package name), by type name.
	byNS map[string]map[string]string
	// pkgOfNS catches two packages with one name, which Wails' namespaces cannot tell apart.
	pkgOfNS map[string]string
	seen    map[reflect.Type]bool
	// input is set while walking what the services take: the fields of a struct only ever
	// taken are optional, as a missing one decodes as zero and validation names what is
	// missing. (Object literals still fail tsc on a field Go does not have.)
	input bool
	err   error
}

func generateModels(src *sources, services, payloads []any) (string, error) {
	m := &models{src: src, byNS: map[string]map[string]string{}, pkgOfNS: map[string]string{}, seen: map[reflect.Type]bool{}}
	// What Go sends first: a type it sends is declared as sent, even where it is taken too.
	for _, svc := range services {
		t := reflect.TypeOf(svc)
		for i := range t.NumMethod() {
			mt := t.Method(i).Type
			for j := range mt.NumOut() {
				m.ref(mt.Out(j))
			}
		}
	}
	for _, p := range payloads {
		m.ref(reflect.TypeOf(p))
	}
	m.input = true
	for _, svc := range services {
		t := reflect.TypeOf(svc)
		for i := range t.NumMethod() {
			mt := t.Method(i).Type
			for j := 1; j < mt.NumIn(); j++ {
				m.ref(mt.In(j))
			}
		}
	}
	// Wails' declarations name time.Time where a method takes or returns one.
	m.byNS["time"] = map[string]string{"Time": "\t/** An instant as encoding/json writes a time.Time: RFC 3339. */\n\texport type Time = string;\n"}
	if m.err != nil {
		return "", m.err
	}
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("// Interfaces of the JSON the bound Go services take and return, one namespace per Go\n")
	b.WriteString("// package; features import them through src/api, never from here.\n\n")
	names := make([]string, 0, len(m.byNS))
	for ns := range m.byNS {
		names = append(names, ns)
	}
	sort.Strings(names)
	for i, ns := range names {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "export namespace %s {\n", ns)
		decls := m.byNS[ns]
		types := make([]string, 0, len(decls))
		for t := range decls {
			types = append(types, t)
		}
		sort.Strings(types)
		for j, t := range types {
			if j > 0 {
				b.WriteString("\n")
			}
			b.WriteString(decls[t])
		}
		b.WriteString("}\n")
	}
	return b.String(), nil
}

func (m *models) fail(format string, args ...any) {
	if m.err == nil {
		m.err = fmt.Errorf(format, args...)
	}
}

// ref returns the TypeScript for t as a field or argument type, declaring the named types it
// reaches.
func (m *models) ref(t reflect.Type) string {
	switch t {
	case timeType:
		return "string"
	case durationType:
		return "number"
	case rawMessageType:
		return "unknown"
	case errorType, contextType:
		return "unknown"
	}
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		if t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType) {
			if t.Kind() == reflect.String {
				return "string" // a string that marshals itself (redacted secrets)
			}
			m.fail("%s marshals itself: say in contractgen what it looks like", t)
			return "unknown"
		}
		if t.Kind() == reflect.Struct && (t.Implements(textMarshalType) || reflect.PointerTo(t).Implements(textMarshalType)) {
			return "string"
		}
	}
	switch t.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	case reflect.String:
		if m.inModule(t) {
			return m.declareString(t)
		}
		return "string"
	case reflect.Pointer:
		return m.ref(t.Elem())
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "string" // base64
		}
		el := m.ref(t.Elem())
		if strings.ContainsAny(el, " |") {
			el = "(" + el + ")"
		}
		return el + "[]"
	case reflect.Map:
		return "Record<string, " + m.ref(t.Elem()) + ">"
	case reflect.Interface:
		return "unknown"
	case reflect.Struct:
		if t.Name() == "" {
			return m.inline(t)
		}
		return m.declareStruct(t)
	}
	m.fail("%s: no TypeScript for a %s", t, t.Kind())
	return "unknown"
}

func (m *models) inModule(t reflect.Type) bool {
	return t.PkgPath() == modulePath || strings.HasPrefix(t.PkgPath(), modulePath+"/")
}

// namespace is t's Go package name, as Wails' declarations qualify it.
func (m *models) namespace(t reflect.Type) string {
	ns, _, _ := strings.Cut(t.String(), ".")
	ns = strings.TrimLeft(ns, "*[]")
	if p, ok := m.pkgOfNS[ns]; ok && p != t.PkgPath() {
		m.fail("packages %s and %s are both %q to TypeScript", p, t.PkgPath(), ns)
	}
	m.pkgOfNS[ns] = t.PkgPath()
	return ns
}

func (m *models) declare(t reflect.Type, text string) {
	ns := m.namespace(t)
	if m.byNS[ns] == nil {
		m.byNS[ns] = map[string]string{}
	}
	m.byNS[ns][t.Name()] = text
}

func (m *models) decl(t reflect.Type) typeDecl {
	p, err := m.src.pkg(t.PkgPath())
	if err != nil {
		m.fail("%s: %v", t.PkgPath(), err)
		return typeDecl{}
	}
	if p == nil {
		return typeDecl{}
	}
	return p.types[t.Name()]
}

// declareString declares a module's string type: the union of its constants' values when it
// has constants, else string.
func (m *models) declareString(t reflect.Type) string {
	name := m.namespace(t) + "." + t.Name()
	if m.seen[t] {
		return name
	}
	m.seen[t] = true
	rhs := "string"
	if p, err := m.src.pkg(t.PkgPath()); err == nil && p != nil {
		if vals := p.enumValues(t.Name()); len(vals) > 0 {
			quoted := make([]string, len(vals))
			for i, v := range vals {
				quoted[i] = strconv.Quote(v)
			}
			rhs = strings.Join(quoted, " | ")
		}
	}
	m.declare(t, doc(m.decl(t).doc, "\t")+fmt.Sprintf("\texport type %s = %s;\n", t.Name(), rhs))
	return name
}

func (m *models) declareStruct(t reflect.Type) string {
	if !m.inModule(t) {
		m.fail("%s: a struct from outside the module reaches the window", t)
	}
	if strings.Contains(t.Name(), "[") {
		m.fail("%s: generic types have no TypeScript name here", t)
	}
	name := m.namespace(t) + "." + t.Name()
	if m.seen[t] {
		return name
	}
	m.seen[t] = true
	d := m.decl(t)
	var b strings.Builder
	b.WriteString(doc(d.doc, "\t"))
	fmt.Fprintf(&b, "\texport interface %s {\n", t.Name())
	for _, f := range m.fields(t) {
		b.WriteString(doc(f.doc, "\t\t"))
		fmt.Fprintf(&b, "\t\t%s: %s;\n", f.name, f.ts)
	}
	b.WriteString("\t}\n")
	m.declare(t, b.String())
	return name
}

func (m *models) inline(t reflect.Type) string {
	fs := m.fields(t)
	if len(fs) == 0 {
		return "Record<string, never>"
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.name + ": " + f.ts
	}
	return "{ " + strings.Join(parts, "; ") + " }"
}

// field is one JSON member of a struct.
type field struct {
	json string // the JSON member's name
	name string // as a TypeScript property: quoted when needed, "?" when optional
	ts   string
	doc  string
}

// fields follows encoding/json: tags name and omit fields; an embedded struct without a tag
// lends its fields, in its place, unless the outer struct has one of that name.
func (m *models) fields(t reflect.Type) []field {
	type entry struct {
		f        field
		embedded reflect.Type
	}
	var entries []entry
	outer := map[string]bool{}
	docs := fieldDocs(m.decl(t))
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				entries = append(entries, entry{embedded: et})
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		outer[name] = true
		ts := m.ref(f.Type)
		if hasOpt(opts, "string") {
			ts = "string"
		}
		optional := m.input || hasOpt(opts, "omitzero") || hasOpt(opts, "omitempty") && omitsEmpty(f.Type)
		// A nil pointer is null: Go sends it unless omitempty leaves it out, and takes it.
		if (!optional || m.input) && (f.Type.Kind() == reflect.Pointer || f.Type.Kind() == reflect.Interface) {
			ts += " | null"
		}
		key := name
		if !validIdent(key) {
			key = strconv.Quote(key)
		}
		if optional {
			key += "?"
		}
		entries = append(entries, entry{f: field{json: name, name: key, ts: ts, doc: docs[f.Name]}})
	}
	var out []field
	for _, e := range entries {
		if e.embedded == nil {
			out = append(out, e.f)
			continue
		}
		for _, f := range m.fields(e.embedded) {
			if !outer[f.json] {
				outer[f.json] = true
				out = append(out, f)
			}
		}
	}
	return out
}

func hasOpt(opts, want string) bool {
	for o := range strings.SplitSeq(opts, ",") {
		if o == want {
			return true
		}
	}
	return false
}

// omitsEmpty says whether omitempty can leave a value of t out (never a struct).
func omitsEmpty(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Struct:
		return false
	case reflect.Array:
		return t.Len() == 0
	}
	return true
}

func validIdent(s string) bool {
	for i, r := range s {
		if !(r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// doc renders a Go doc comment as a JSDoc comment.
func doc(text, indent string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return ""
	}
	text = strings.ReplaceAll(text, "*/", "*\\/")
	lines := strings.Split(text, "\n")
	if len(lines) == 1 {
		return indent + "/** " + lines[0] + " */\n"
	}
	var b strings.Builder
	b.WriteString(indent + "/**\n")
	for _, l := range lines {
		b.WriteString(strings.TrimRight(indent+" * "+l, " ") + "\n")
	}
	b.WriteString(indent + " */\n")
	return b.String()
}
