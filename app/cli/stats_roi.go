package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"hearth/backend/analytics"
	"hearth/backend/errs"
	"hearth/backend/wiring"
)

// statsROIRun saves the ROI settings given by flags (the others kept) and prints them.
func statsROIRun(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("stats roi", flag.ContinueOnError)
	cost := fs.Float64("cost-per-month", -1, "")
	value := fs.Float64("value-per-conversion", -1, "")
	currency := fs.String("currency", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		in, err := b.Analytics.ROISettings(ctx)
		if err != nil {
			return err
		}
		if set["cost-per-month"] {
			in.CostPerMonth = *cost
		}
		if set["value-per-conversion"] {
			in.ValuePerConversion = *value
		}
		if set["currency"] {
			in.Currency = *currency
		}
		out := in
		if len(set) > 0 && !(len(set) == 1 && set["json"]) {
			if out, err = b.Analytics.SaveROISettings(ctx, in); err != nil {
				return roiUsage(err, t)
			}
		}
		if *asJSON {
			return writeJSON(env.Stdout, roiSettingsJSON(out))
		}
		fmt.Fprintln(env.Stdout, t.msgf("stats_roi_settings", t.money(out.CostPerMonth, out.Currency), t.money(out.ValuePerConversion, out.Currency)))
		return nil
	})
}

// roiFlags are the flags that set the ROI settings' fields, by the field errors' names.
var roiFlags = map[string]string{"costPerMonth": "--cost-per-month", "valuePerConversion": "--value-per-conversion"}

// roiUsage turns the settings' field errors into a usage error naming the flags.
func roiUsage(err error, t tr) error {
	e := errs.From(err)
	if errs.KindOf(err) != errs.Invalid || len(e.Fields) == 0 {
		return err
	}
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		if f.Field == "currency" {
			msgs[i] = t.msg("stats_roi_bad_currency")
			continue
		}
		msgs[i] = t.msgf("stats_roi_bad_amount", roiFlags[f.Field])
	}
	return usageError{strings.Join(msgs, "; ")}
}

// printFunnel writes the funnel and ROI lines of the summary.
func (t tr) printFunnel(w io.Writer, f analytics.Funnel, roi analytics.ROI) {
	fmt.Fprintln(w, "\n"+t.msgf("stats_funnel", t.num(f.Members), t.num(f.Subscribers), t.pct(f.SubscriberRate),
		t.num(f.Attendees), t.pct(f.AttendeeRate), t.num(f.Goal), t.pct(f.GoalRate)))
	r := t.msg("stats_roi_none")
	if roi.ROI != nil {
		r = t.pct(*roi.ROI)
	}
	fmt.Fprintln(w, t.msgf("stats_roi", t.money(roi.Cost, roi.Currency), t.num(roi.Conversions), t.money(roi.Value, roi.Currency), r))
}

// money writes an amount with two decimals and its currency code.
func (t tr) money(x float64, currency string) string {
	return t.printer.Sprintf("%.2f", x) + "\u00a0" + currency
}
