package automations

// WelcomeID is the id of the ready-made welcome sequence.
const WelcomeID = "welcome"

// builtins are the ready-made automations, disabled, in the workspace language.
func builtins(lang string) []Automation {
	t := welcomeTexts[lang]
	return []Automation{{
		ID: WelcomeID, Builtin: WelcomeID, Name: t.name,
		Trigger: Trigger{Kind: TriggerMemberCreated},
		Steps: []Step{
			{ID: "welcome-email", Kind: StepSendEmail, Subject: t.welcomeSubject, BodyMarkdown: t.welcomeBody},
			{ID: "welcome-wait-3", Kind: StepWait, Days: 3},
			{ID: "welcome-getting-started", Kind: StepSendEmail, Subject: t.startSubject, BodyMarkdown: t.startBody},
			{ID: "welcome-wait-7", Kind: StepWait, Days: 7},
			{ID: "welcome-follow-up", Kind: StepCreateTask, TaskTitle: t.taskTitle, TaskDueDays: 2},
		},
	}}
}

type welcomeText struct {
	name, welcomeSubject, welcomeBody, startSubject, startBody, taskTitle string
}

var welcomeTexts = map[string]welcomeText{
	"en": {
		name:           "Welcome sequence",
		welcomeSubject: "Welcome to the community!",
		welcomeBody: `Hello {{name}},

Welcome to the community: we are glad you joined us.

Over the next few days we will send you a few pointers to help you find your way around.
If you have any question, just reply to this e-mail.

See you soon!`,
		startSubject: "Getting started in the community",
		startBody: `Hello {{name}},

A few ideas to get started:

- introduce yourself to the other members;
- have a look at our upcoming events;
- tell us what you would like to take part in.

Just reply to this e-mail if you need anything.`,
		taskTitle: "Follow up with the new member",
	},
	"fr": {
		name:           "Séquence de bienvenue",
		welcomeSubject: "Bienvenue dans la communauté !",
		welcomeBody: `Bonjour {{name}},

Bienvenue dans la communauté : nous sommes ravis de vous compter parmi nous.

Dans les prochains jours, nous vous enverrons quelques repères pour bien démarrer.
Pour toute question, il suffit de répondre à cet e-mail.

À très bientôt !`,
		startSubject: "Bien démarrer dans la communauté",
		startBody: `Bonjour {{name}},

Quelques idées pour bien démarrer :

- présentez-vous aux autres membres ;
- jetez un œil à nos prochains événements ;
- dites-nous à quoi vous aimeriez participer.

Répondez simplement à cet e-mail si vous avez besoin de quoi que ce soit.`,
		taskTitle: "Relancer le nouveau membre",
	},
}
