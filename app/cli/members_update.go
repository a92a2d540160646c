package cli

import (
	"context"
	"flag"
	"slices"
	"strings"

	"hearth/backend/members"
	"hearth/backend/wiring"
)

// membersUpdate changes one member named by id or e-mail: only what its flags name, through
// members.Service.Edit, then shows the member as members get does. The flags only say what to
// change; what is a valid member is the service's to decide.
func membersUpdate(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("members update", flag.ContinueOnError)
	var addTags, removeTags, sets repeated
	fs.Var(&addTags, "add-tag", "")
	fs.Var(&removeTags, "remove-tag", "")
	fs.Var(&sets, "set", "")
	name := fs.String("name", "", "")
	notes := fs.String("notes", "", "")
	asJSON := fs.Bool("json", false, "")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{t.msg("needs_one_ref")}
	}
	edit := members.Edit{AddTags: addTags, RemoveTags: removeTags}
	fs.Visit(func(f *flag.Flag) { // given, even empty: --name "" clears the name
		switch f.Name {
		case "name":
			edit.Name = name
		case "notes":
			edit.Notes = notes
		}
	})
	// --set FIELD=VALUE sets a custom field, --set FIELD= takes it off; for a field named twice
	// the last one given counts.
	for _, kv := range sets {
		k, v, ok := strings.Cut(kv, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return usageError{t.msgf("set_needs_equals", kv)}
		}
		if edit.SetFields == nil {
			edit.SetFields = map[string]string{}
		}
		delete(edit.SetFields, k)
		edit.RemoveFields = slices.DeleteFunc(edit.RemoveFields, func(r string) bool { return r == k })
		if strings.TrimSpace(v) == "" {
			edit.RemoveFields = append(edit.RemoveFields, k)
		} else {
			edit.SetFields[k] = v
		}
	}
	if edit.Name == nil && edit.Notes == nil && len(addTags)+len(removeTags)+len(sets) == 0 {
		return usageError{t.msg("update_needs_change")}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		id, err := b.Members.FindID(ctx, rest[0])
		if err != nil {
			return err
		}
		m, err := b.Members.Edit(ctx, id, edit)
		if err != nil {
			return err
		}
		return writeMember(env.Stdout, m, *asJSON, t)
	})
}
