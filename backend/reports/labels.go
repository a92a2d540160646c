package reports

import (
	"fmt"
	"slices"
	"strings"
)

// labels are every word a workbook shows, in English and French.
var labels = map[string]map[string]string{
	"en": {
		"sheet_summary": "Summary", "sheet_cohorts": "Cohorts", "sheet_levels": "Levels",
		"sheet_super": "Super users", "sheet_quiet": "Gone quiet", "sheet_members": "Members",

		"title": "Community KPIs", "period": "Period", "previous_period": "Previous period",
		"generated": "Generated", "to": "to",
		"h_kpi": "Indicator", "h_value": "Value", "h_previous": "Previous period", "h_change": "Change",

		"members_total": "Members", "members_new": "New members", "members_churned": "Churned members",
		"members_active": "Active members", "dau": "Daily active members (average)",
		"wau": "Weekly active members (average)", "mau": "Monthly active members (average)",
		"stickiness": "Stickiness (DAU / MAU)", "growth_rate": "Growth rate",
		"engagement_rate": "Engagement rate (active / members)", "activities": "Activities",

		"t_daily": "Per day", "t_channels": "Activities by channel", "t_kinds": "Activities by kind",
		"t_levels": "Members per level",
		"c_daily":  "Members and active members per day",
		"h_day":    "Day", "h_members": "Members", "h_active": "Active members", "h_activities": "Activities",
		"h_new": "New members", "h_channel": "Channel", "h_kind": "Kind", "h_level": "Level",
		"none": "(none)", "no_data": "(no data)",

		"h_cohort": "Cohort (month)", "h_size": "Members who joined", "h_offset": "Month +%d",
		"h_name": "Name", "h_promoted": "Promoted", "h_demoted": "Demoted",
		"h_rank": "Rank", "h_score": "Score", "h_last_active": "Last active", "h_why": "Why",
		"h_silent": "Silent for (days)",
		"h_id":     "ID", "h_email": "E-mail", "h_other_emails": "Other e-mails", "h_handles": "Handles",
		"h_tags": "Tags", "h_created": "Created",

		"level_1": "Ambassadors", "level_2": "Contributors", "level_3": "Participants", "level_4": "Observers",
		"kind_post": "Posts", "kind_reply": "Replies", "kind_message": "Messages", "kind_reaction": "Reactions",
		"kind_join": "Joins", "kind_follow": "Follows", "kind_mention": "Mentions", "kind_article": "Articles",
		"kind_event": "Events", "kind_goal": "Goals reached", "kind_answered": "Questions answered",

		"why_post": "posted %d times", "why_reply": "answered %d times", "why_message": "wrote %d messages",
		"why_reaction": "reacted %d times", "why_join": "joined", "why_follow": "followed",
		"why_mention": "mentioned the community %d times", "why_event": "attended %d events", "why_goal": "reached the goal %d times", "why_answered": "answered %d questions", "why_other": "%[2]s: %[1]d",
		"why_days": "in %d days", "why_sep": ", ",
	},
	"fr": {
		"sheet_summary": "Synthèse", "sheet_cohorts": "Cohortes", "sheet_levels": "Niveaux",
		"sheet_super": "Super-utilisateurs", "sheet_quiet": "Devenus silencieux", "sheet_members": "Membres",

		"title": "Indicateurs de la communauté", "period": "Période", "previous_period": "Période précédente",
		"generated": "Généré le", "to": "au",
		"h_kpi": "Indicateur", "h_value": "Valeur", "h_previous": "Période précédente", "h_change": "Évolution",

		"members_total": "Membres", "members_new": "Nouveaux membres", "members_churned": "Membres perdus",
		"members_active": "Membres actifs", "dau": "Membres actifs par jour (moyenne)",
		"wau": "Membres actifs par semaine (moyenne)", "mau": "Membres actifs par mois (moyenne)",
		"stickiness": "Adhérence (DAU / MAU)", "growth_rate": "Taux de croissance",
		"engagement_rate": "Taux d'engagement (actifs / membres)", "activities": "Activités",

		"t_daily": "Par jour", "t_channels": "Activités par canal", "t_kinds": "Activités par type",
		"t_levels": "Membres par niveau",
		"c_daily":  "Membres et membres actifs par jour",
		"h_day":    "Jour", "h_members": "Membres", "h_active": "Membres actifs", "h_activities": "Activités",
		"h_new": "Nouveaux membres", "h_channel": "Canal", "h_kind": "Type", "h_level": "Niveau",
		"none": "(aucun)", "no_data": "(aucune donnée)",

		"h_cohort": "Cohorte (mois)", "h_size": "Membres arrivés", "h_offset": "Mois +%d",
		"h_name": "Nom", "h_promoted": "Promus", "h_demoted": "Rétrogradés",
		"h_rank": "Rang", "h_score": "Score", "h_last_active": "Dernière activité", "h_why": "Pourquoi",
		"h_silent": "Silencieux depuis (jours)",
		"h_id":     "ID", "h_email": "E-mail", "h_other_emails": "Autres e-mails", "h_handles": "Identifiants",
		"h_tags": "Étiquettes", "h_created": "Créé le",

		"level_1": "Ambassadeurs", "level_2": "Contributeurs", "level_3": "Participants", "level_4": "Observateurs",
		"kind_post": "Publications", "kind_reply": "Réponses", "kind_message": "Messages", "kind_reaction": "Réactions",
		"kind_join": "Arrivées", "kind_follow": "Abonnements", "kind_mention": "Mentions", "kind_article": "Articles",
		"kind_event": "Événements", "kind_goal": "Objectifs atteints", "kind_answered": "Réponses aux questions",

		"why_post": "a publié %d fois", "why_reply": "a répondu %d fois", "why_message": "a écrit %d messages",
		"why_reaction": "a réagi %d fois", "why_join": "a rejoint la communauté", "why_follow": "s'est abonné",
		"why_mention": "a mentionné la communauté %d fois", "why_event": "a participé à %d événements", "why_goal": "a atteint l'objectif %d fois", "why_answered": "a répondu à %d questions", "why_other": "%[2]s : %[1]d",
		"why_days": "en %d jours", "why_sep": ", ",
	},
}

// words is one language's labels.
type words map[string]string

func wordsFor(lang string) words { return labels[lang] }

func (w words) get(key string) string {
	if s, ok := w[key]; ok {
		return s
	}
	return labels["en"][key]
}

// kind names an activity kind; kinds the package does not know (user-defined ones) show as
// they are.
func (w words) kind(k string) string {
	if s, ok := w["kind_"+k]; ok {
		return s
	}
	return k
}

// level names a level by its number, falling back on the name analytics gave it.
func (w words) level(n int, name string) string {
	if s, ok := w[fmt.Sprintf("level_%d", n)]; ok {
		return s
	}
	return name
}

// channel names a channel; the empty channel is "(none)".
func (w words) channel(c string) string {
	if c == "" {
		return w.get("none")
	}
	return c
}

// why is a super user's reason, most frequent kind first: "posted 42 times, answered 17 times
// in 30 days".
func (w words) why(counts map[string]int, days int) string {
	kinds := make([]string, 0, len(counts))
	for k, n := range counts {
		if n > 0 {
			kinds = append(kinds, k)
		}
	}
	slices.SortFunc(kinds, func(a, b string) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, 0, len(kinds))
	for _, k := range kinds {
		f, ok := w["why_"+k]
		switch {
		case !ok:
			parts = append(parts, fmt.Sprintf(w.get("why_other"), counts[k], w.kind(k)))
		case strings.Contains(f, "%d"):
			parts = append(parts, fmt.Sprintf(f, counts[k]))
		default:
			parts = append(parts, f)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, w.get("why_sep"))
	if days > 0 {
		s += " " + fmt.Sprintf(w.get("why_days"), days)
	}
	return s
}
