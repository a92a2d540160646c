package app

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"hearth/backend/calendar"
	"hearth/backend/credentials"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/tasks"
	"hearth/backend/wiring"
)

// TestNoBoundMethodSendsNullForAList calls every method the window binds, on a workspace with
// one bare member, and fails on any list or map the answer would carry as JSON null: the
// frontend's types (generated from Go) say a list is always a list.
func TestNoBoundMethodSendsNullForAList(t *testing.T) {
	ctx := context.Background()
	secrets, err := credentials.Open(credentials.Options{Dir: t.TempDir(), Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	b, err := wiring.Open(ctx, wiring.Options{Dir: t.TempDir(), Secrets: secrets})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	m, err := b.Members.Create(ctx, members.CreateInput{Name: "Ada", Emails: []string{"ada@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	// Methods that start jobs or open dialogs answer without a window too, but are left out:
	// they have nothing to check and would leave work running after the test.
	skip := map[string]bool{"NewsletterService.Send": true, "NewsletterService.ResendUncertain": true, "SyncService.RunNow": true, "ImportService.Start": true,
		"MergesService.Find": true}
	// Arguments that make a read answer rather than refuse; the others get zero values (and
	// the member's id for a string).
	from, to := "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"
	given := map[string][]any{
		"DashboardService.Stats":         {from, to, ""},
		"DashboardService.Funnel":        {from, to},
		"DashboardService.Campaigns":     {from, to},
		"DashboardService.MembersBehind": {from, to, "active", "", 10},
		"TasksService.List":              {tasks.FilterOpen},
		"GdprService.Inactive":           {1},
		"CalendarService.List":           {calendar.ListQuery{From: time.Now().AddDate(0, -1, 0), To: time.Now()}},
		"ConsentService.Notices":         {newsletter.Purpose},
	}
	checked := 0
	for _, svc := range Services(b, &Window{}, "en") {
		v := reflect.ValueOf(svc)
		for i := range v.NumMethod() {
			method := v.Type().Method(i)
			name := v.Type().Elem().Name() + "." + method.Name
			if skip[name] {
				continue
			}
			mt := method.Type
			args := make([]reflect.Value, mt.NumIn()-1)
			for j := range args {
				args[j] = reflect.New(mt.In(j + 1)).Elem()
				if g, ok := given[name]; ok {
					args[j].Set(reflect.ValueOf(g[j]).Convert(mt.In(j + 1)))
				} else if args[j].Kind() == reflect.String && !strings.HasPrefix(method.Name, "Delete") {
					args[j].SetString(m.ID) // reads of one member find it; others say not found
				}
			}
			out := v.Method(i).Call(args)
			if len(out) == 0 {
				continue
			}
			if last := out[len(out)-1]; last.Type() == reflect.TypeFor[error]() && !last.IsNil() {
				continue
			}
			for _, o := range out {
				if o.Type() == reflect.TypeFor[error]() {
					continue
				}
				checked++
				for _, path := range nullLists(o, name) {
					t.Errorf("%s is sent as null", path)
				}
				if _, err := json.Marshal(o.Interface()); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
		}
	}
	if checked < 35 {
		t.Errorf("only %d methods answered: the arguments above no longer fit", checked)
	}
}

// nullLists are the paths of the nil slices and maps encoding/json would write as null in v.
func nullLists(v reflect.Value, path string) []string {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return nullLists(v.Elem(), path)
	case reflect.Slice, reflect.Map:
		if v.IsNil() {
			if v.Type().Elem().Kind() == reflect.Uint8 && v.Kind() == reflect.Slice {
				return nil // []byte is a base64 string
			}
			return []string{path}
		}
		var out []string
		if v.Kind() == reflect.Slice {
			for i := range v.Len() {
				out = append(out, nullLists(v.Index(i), path+"[]")...)
			}
			return out
		}
		for _, k := range v.MapKeys() {
			out = append(out, nullLists(v.MapIndex(k), path+"{}")...)
		}
		return out
	case reflect.Struct:
		var out []string
		for i := range v.NumField() {
			f := v.Type().Field(i)
			tag := f.Tag.Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			if tag == "-" || !f.IsExported() && !f.Anonymous {
				continue
			}
			fv := v.Field(i)
			if (strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")) && fv.IsZero() {
				continue
			}
			if f.Anonymous && name == "" {
				out = append(out, nullLists(fv, path)...)
				continue
			}
			if name == "" {
				name = f.Name
			}
			out = append(out, nullLists(fv, path+"."+name)...)
		}
		return out
	}
	return nil
}
