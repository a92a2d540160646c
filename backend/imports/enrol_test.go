package imports

import (
	"context"
	"testing"
	"time"

	"hearth/backend/automations"
	"hearth/backend/members"
)

// TestAnImportEnrolsItsNewMembersInAutomationsOnlyWhenAsked: the welcome sequence (and a
// tag_added automation on the tags people arrive with) fired on 3,000 migrated members. An
// import is not a sign-up: only when the import asks do its new members enter automations.
func TestAnImportEnrolsItsNewMembersInAutomationsOnlyWhenAsked(t *testing.T) {
	ctx := context.Background()
	f := open(t, t.TempDir())
	autos := automations.NewService(f.st, f.clock, nil, automations.Deps{Members: f.members, Lang: "fr"})
	if _, err := autos.SetEnabled(ctx, automations.WelcomeID, true); err != nil {
		t.Fatal(err)
	}
	vol, err := autos.Save(ctx, automations.Input{Name: "Bénévoles", Trigger: automations.Trigger{Kind: automations.TriggerTagAdded, Tag: "benevole"},
		Steps: []automations.Step{{Kind: automations.StepWait, Days: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := autos.SetEnabled(ctx, vol.ID, true); err != nil {
		t.Fatal(err)
	}
	tick := func() int {
		t.Helper()
		f.clock.Advance(time.Minute)
		rep, err := autos.Tick(ctx, f.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return rep.Enrolled
	}
	enrolled := func(id string) int {
		t.Helper()
		es, err := autos.Progress(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	tick() // the tag trigger's baseline

	migrated := "Prénom;Courriel;Étiquettes\nAnne;anne@exemple.fr;bénévole\nBruno;bruno@exemple.fr;\n"
	if sum, err := f.imports.Run(ctx, Request{Path: file(t, "ancien-fichier.csv", migrated)}, nil, nil); err != nil || sum.Created != 2 {
		t.Fatalf("%+v %v", sum, err)
	}
	if n := tick(); n != 0 || enrolled(automations.WelcomeID) != 0 || enrolled(vol.ID) != 0 {
		t.Fatalf("an import without enrolment enrolled %d members", n)
	}

	if _, err := f.members.Create(ctx, members.CreateInput{Name: "Chloé", Emails: []string{"chloe@exemple.fr"}}); err != nil {
		t.Fatal(err)
	}
	if n := tick(); n != 1 || enrolled(automations.WelcomeID) != 1 {
		t.Fatalf("a member who signs up in the app: %d enrolled", n)
	}

	newcomers := "Prénom;Courriel;Étiquettes\nDavid;david@exemple.fr;bénévole\n"
	if _, err := f.imports.Run(ctx, Request{Path: file(t, "inscrits.csv", newcomers), Enrol: true}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if n := tick(); n != 2 || enrolled(automations.WelcomeID) != 2 || enrolled(vol.ID) != 1 {
		t.Fatalf("an import that asks to enrol: %d enrolled (welcome %d, volunteers %d)", n, enrolled(automations.WelcomeID), enrolled(vol.ID))
	}

	// Later, someone tags Bruno by hand: that is a tag being added, and it counts.
	f.clock.Advance(time.Hour)
	bruno, _ := f.members.Find(ctx, "bruno@exemple.fr")
	tags := []string{"Bénévole"}
	if _, err := f.members.Update(ctx, bruno.ID, members.Patch{Tags: &tags}); err != nil {
		t.Fatal(err)
	}
	if n := tick(); n != 1 || enrolled(vol.ID) != 2 {
		t.Fatalf("a tag added by hand to an imported member: %d enrolled", n)
	}
}
