package cli

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"hearth/backend/analytics"
	"hearth/backend/errs"
	"hearth/backend/wiring"
)

// statsCommands is "hearth stats": a command of its own, and "stats roi" to save the ROI
// settings.
var statsCommands = map[string]command{"": statsRun, "roi": statsROIRun}

// statsTop is how many super users and gone-quiet members the summary lists.
const statsTop = 5

// statsRun prints the KPIs of a period, compared with the period of equal length before it.
func statsRun(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	from := fs.String("from", "", "")
	to := fs.String("to", "", "")
	segment := fs.String("segment", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	// Dates are checked before the workspace is opened (a typo creates nothing), then the
	// range is reckoned with the workspace's clock and zone.
	if _, err := statsRange(*from, *to, time.Now(), time.Local, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		r, err := statsRange(*from, *to, b.Clock.Now(), b.Zone, t)
		if err != nil {
			return err
		}
		if *segment != "" {
			return segmentStats(ctx, b, r, *segment, *asJSON, env, t)
		}
		k, err := b.Analytics.KPIs(ctx, r)
		if err != nil {
			return err
		}
		f, roi, err := b.Analytics.ROI(ctx, r)
		if err != nil {
			return err
		}
		c, err := b.Campaigns.Results(ctx, r)
		if err != nil {
			return err
		}
		if *asJSON {
			out := newStatsOutput(k)
			out.Funnel, out.ROI, out.Campaigns = ptr(funnelJSON(f)), ptr(roiJSON(roi)), ptr(newCampaignReportJSON(c))
			return writeJSON(env.Stdout, out)
		}
		if err := t.printStats(env.Stdout, k); err != nil {
			return err
		}
		t.printFunnel(env.Stdout, f, roi)
		t.printCampaigns(env.Stdout, c)
		return nil
	})
}

// segmentStats prints the KPIs of a saved segment's members (--segment): the conversion funnel,
// the ROI and the newsletters' results are the community's and are left out, as are the parts
// of the KPIs counted per record for everyone (analytics.Unfiltered), which are named.
func segmentStats(ctx context.Context, b *wiring.Backend, r analytics.Range, name string, asJSON bool, env Env, t tr) error {
	seg, err := b.Segments.Get(ctx, name)
	if err != nil {
		return err
	}
	ids, err := b.Segments.SegmentIDs(ctx, seg.ID)
	if err != nil {
		return err
	}
	k, err := b.Analytics.KPIsOf(ctx, r, analytics.OnlyOf(ids))
	if err != nil {
		return err
	}
	if asJSON {
		out := newStatsOutput(k)
		out.Segment = &segmentRefJSON{ID: seg.ID, Name: seg.Name, Members: len(ids)}
		out.Unfiltered = []string{"activities_by_channel", "sentiment", "rising_topics", "funnel", "roi", "campaigns"}
		return writeJSON(env.Stdout, out)
	}
	fmt.Fprintln(env.Stdout, t.msgf("stats_segment", seg.Name, t.plural("stats_segment_members", len(ids))))
	if err := t.printStats(env.Stdout, k); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, t.msg("stats_segment_unfiltered"))
	return nil
}

func ptr[T any](v T) *T { return &v }

// statsRange turns --from and --to (calendar days in loc, both included) into a half-open
// range of instants (analytics.DayRange); a date that does not parse, or a period that ends
// before it starts, is a usage error naming the flag.
func statsRange(from, to string, now time.Time, loc *time.Location, t tr) (analytics.Range, error) {
	r, err := analytics.DayRange(from, to, now, loc)
	if err == nil {
		return r, nil
	}
	for _, f := range errs.From(err).Fields {
		if f.Code == "date" {
			return analytics.Range{}, usageError{t.msgf("stats_bad_date", "--"+f.Field, f.Params["value"])}
		}
	}
	return analytics.Range{}, usageError{t.msgf("stats_from_after_to", from, to)}
}

// periodText writes a range as its first and last days, "2026-04-01 → 2026-04-30 (30 days)".
func (t tr) periodText(from, to time.Time) string {
	last := to.Local().Add(-time.Nanosecond)
	return t.msgf("stats_period", from.Local().Format(time.DateOnly), last.Format(time.DateOnly), t.plural("stats_days", periodDays(from, to)))
}

// periodDays is how many local calendar days [from, to) touches.
func periodDays(from, to time.Time) int {
	date := func(x time.Time) time.Time {
		y, m, d := x.Local().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	if !to.After(from) {
		return 0
	}
	return int(date(to.Add(-time.Nanosecond)).Sub(date(from))/(24*time.Hour)) + 1
}

// printStats writes the KPIs as a readable summary in the user's language.
func (t tr) printStats(w io.Writer, k analytics.KPIs) error {
	fmt.Fprintln(w, t.msgf("stats_title", t.periodText(k.From, k.To)))
	p := k.Previous
	if p != nil {
		fmt.Fprintln(w, t.msgf("stats_compared", t.periodText(p.From, p.To)))
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if p != nil {
		fmt.Fprintln(tw, t.msg("stats_header"))
	}
	count := func(key string, cur int, prev func(*analytics.KPIs) int) {
		if p == nil {
			fmt.Fprintf(tw, "%s\t%s\n", t.msg(key), t.num(cur))
			return
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.msg(key), t.num(cur), t.num(prev(p)), t.countChange(cur, prev(p)))
	}
	rate := func(key string, cur float64, prev func(*analytics.KPIs) float64) {
		if p == nil {
			fmt.Fprintf(tw, "%s\t%s\n", t.msg(key), t.pct(cur))
			return
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.msg(key), t.pct(cur), t.pct(prev(p)), t.rateChange(cur, prev(p)))
	}
	count("stats_members_total", k.MembersTotal, func(p *analytics.KPIs) int { return p.MembersTotal })
	count("stats_members_new", k.MembersNew, func(p *analytics.KPIs) int { return p.MembersNew })
	count("stats_members_churned", k.MembersChurned, func(p *analytics.KPIs) int { return p.MembersChurned })
	count("stats_members_active", k.MembersActive, func(p *analytics.KPIs) int { return p.MembersActive })
	rate("stats_engagement_rate", k.EngagementRate, func(p *analytics.KPIs) float64 { return p.EngagementRate })
	rate("stats_stickiness", k.Stickiness, func(p *analytics.KPIs) float64 { return p.Stickiness })
	rate("stats_growth_rate", k.GrowthRate, func(p *analytics.KPIs) float64 { return p.GrowthRate })
	count("stats_activities", k.Activities, func(p *analytics.KPIs) int { return p.Activities })
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, t.msgf("stats_dau", t.dec(k.DAU), t.dec(k.WAU), t.dec(k.MAU)))
	t.printQuestions(w, k)
	t.printText(w, k)

	if len(k.Levels) > 0 {
		parts := make([]string, 0, len(k.Levels))
		for _, l := range k.Levels {
			s := t.levelName(l.Level, l.Name) + " " + t.num(l.Members)
			if l.Promoted > 0 || l.Demoted > 0 {
				s += " " + t.msgf("stats_moves", t.num(l.Promoted), t.num(l.Demoted))
			}
			parts = append(parts, s)
		}
		fmt.Fprintln(w, "\n"+t.msg("stats_levels")+t.msg("colon")+strings.Join(parts, " · "))
	}
	days := periodDays(k.From, k.To)
	if len(k.SuperUsers) > 0 {
		fmt.Fprintln(w, "\n"+t.msg("stats_super_users"))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for i, u := range k.SuperUsers[:min(statsTop, len(k.SuperUsers))] {
			fmt.Fprintf(tw, "%2d.\t%s\t%s\t%s\n", i+1, u.Name, t.levelName(u.Level, ""), t.superUserReason(u.Counts, days))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(k.GoneQuiet) > 0 {
		fmt.Fprintln(w, "\n"+t.msg("stats_gone_quiet"))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, u := range k.GoneQuiet[:min(statsTop, len(k.GoneQuiet))] {
			last := ""
			if !u.LastActive.IsZero() {
				last = t.msgf("stats_last_active", u.LastActive.Local().Format(time.DateOnly))
			}
			fmt.Fprintf(tw, "  -\t%s\t%s\t%s\n", u.Name, last, t.superUserReason(u.Counts, days))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(k.Cohorts) > 0 {
		fmt.Fprintln(w, "\n"+t.msg("stats_cohorts"))
		for _, c := range k.Cohorts {
			shares := make([]string, len(c.Retention))
			for i, r := range c.Retention {
				shares[i] = t.pct(r)
			}
			fmt.Fprintf(w, "  %s  %s  %s\n", c.Month, t.plural("stats_cohort_size", c.Size), strings.Join(shares, "  "))
		}
	}
	return nil
}

// printText writes the sentiment and rising topics lines (nothing without records).
func (t tr) printText(w io.Writer, k analytics.KPIs) {
	s := k.Sentiment
	if all := s.Positive + s.Negative + s.Neutral; all > 0 {
		share := func(n int) string { return t.msgf("stats_pct", t.printer.Sprintf("%.0f", float64(n)*100/float64(all))) }
		line := t.msgf("stats_sentiment", share(s.Positive), share(s.Negative), share(s.Neutral), t.printer.Sprintf("%+.2f", s.Score))
		if p := k.Previous; p != nil && p.Sentiment.Positive+p.Sentiment.Negative > 0 {
			line += " " + t.msgf("stats_trend", arrow(s.Score-p.Sentiment.Score))
		}
		fmt.Fprintln(w, line)
	}
	if len(k.RisingTopics) > 0 {
		parts := make([]string, len(k.RisingTopics))
		for i, r := range k.RisingTopics {
			parts[i] = t.msgf("stats_topic", r.Word, t.num(r.Count), t.num(r.Previous))
		}
		fmt.Fprintln(w, t.msg("stats_rising")+t.msg("colon")+strings.Join(parts, ", "))
	}
}

// printQuestions writes the questions asked, answered and how fast, when there were any.
func (t tr) printQuestions(w io.Writer, k analytics.KPIs) {
	if k.Questions == 0 {
		return
	}
	line := t.msgf("stats_questions", t.num(k.Questions), t.num(k.QuestionsAnswered), t.pct(k.AnswerRate))
	if k.QuestionsAnswered > 0 {
		line += t.msgf("stats_response", t.duration(k.MedianResponseSeconds), t.duration(k.ResponseTimeP90Seconds))
	}
	fmt.Fprintln(w, line+".")
}

// duration writes seconds with their two largest units: "45 s", "2 h 5 min", "3 d 4 h".
func (t tr) duration(seconds float64) string {
	units := []struct {
		size int
		key  string
	}{{86400, "unit_day"}, {3600, "unit_hour"}, {60, "unit_minute"}, {1, "unit_second"}}
	total := int(math.Round(max(seconds, 0)))
	for i, u := range units {
		if total < u.size && u.size > 1 {
			continue
		}
		out := t.num(total/u.size) + "\u00a0" + t.msg(u.key)
		if i+1 < len(units) {
			if n := total % u.size / units[i+1].size; n > 0 {
				out += " " + t.num(n) + "\u00a0" + t.msg(units[i+1].key)
			}
		}
		return out
	}
	return ""
}

// num writes a count with the language's digit grouping.
func (t tr) num(n int) string { return t.printer.Sprint(n) }

// dec writes a decimal with one digit after the separator.
func (t tr) dec(x float64) string { return t.printer.Sprintf("%.1f", x) }

// pct writes a ratio as a percentage ("26.0%", "26,0 %").
func (t tr) pct(x float64) string { return t.msgf("stats_pct", t.printer.Sprintf("%.1f", x*100)) }

// countChange writes how a count moved: an arrow, the difference and its share of before.
func (t tr) countChange(cur, prev int) string {
	d := cur - prev
	if d == 0 {
		return arrow(0) + " 0"
	}
	s := arrow(float64(d)) + " " + t.printer.Sprintf("%+d", d)
	if prev > 0 && d != 0 {
		s += " (" + t.msgf("stats_pct", t.printer.Sprintf("%+.1f", float64(d)*100/float64(prev))) + ")"
	}
	return s
}

// rateChange writes how a ratio moved, in percentage points.
func (t tr) rateChange(cur, prev float64) string {
	d := (cur - prev) * 100
	if d > -0.05 && d < 0.05 {
		return arrow(0) + " " + t.msgf("stats_points", t.printer.Sprintf("%.1f", 0.0))
	}
	return arrow(d) + " " + t.msgf("stats_points", t.printer.Sprintf("%+.1f", d))
}

func arrow(d float64) string {
	switch {
	case d > 0:
		return "↑"
	case d < 0:
		return "↓"
	}
	return "→"
}

// plural picks key+"_one" of the user's language for one (French: below two), else key,
// filled with n.
func (t tr) plural(key string, n int) string {
	one := n == 1
	if t.lang == "fr" {
		one = n < 2
	}
	s := t.msg(key)
	if o, ok := t.catalog[key+"_one"]; one && ok {
		s = o
	}
	if !strings.Contains(s, "%s") {
		return s // "posted once"
	}
	return fmt.Sprintf(s, t.num(n))
}

// levelName translates a level ("Ambassadors") from its number, or its stable key.
func (t tr) levelName(level int, name string) string {
	if level >= 1 && level < len(analytics.LevelNames) {
		name = cmp.Or(name, analytics.LevelNames[level])
	}
	return cmp.Or(t.msg("level_"+name), name)
}

// superUserReason says why a member ranks ("posted 42 times, replied 17 times in 30 days"):
// their three most frequent kinds of activity over the period.
func (t tr) superUserReason(counts map[string]int, days int) string {
	kinds := slices.Collect(maps.Keys(counts))
	slices.SortFunc(kinds, func(a, b string) int { return cmp.Or(counts[b]-counts[a], strings.Compare(a, b)) })
	parts := make([]string, 0, 3)
	for _, k := range kinds {
		if counts[k] <= 0 || len(parts) == 3 {
			continue
		}
		if t.msg("did_"+k) == "" {
			parts = append(parts, k+" "+t.num(counts[k]))
			continue
		}
		parts = append(parts, t.plural("did_"+k, counts[k]))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, ", ") + " " + t.plural("stats_in_days", days)
}
