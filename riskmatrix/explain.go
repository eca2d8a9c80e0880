package riskmatrix

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Explain writes the assessment as text an analyst can read: the level and
// how it was reached, then one line per factor with its value, score,
// weight and contribution, then the overrides that fired. Like the
// assessment itself, it holds no personal data.
func (a Assessment) Explain() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Risk %s: score %s (%s) gives %s", a.Level, num(a.Score), a.Aggregation, a.ScoreLevel)
	if a.Level != a.ScoreLevel {
		fmt.Fprintf(&b, ", overridden to %s", a.Level)
	}
	fmt.Fprintf(&b, ".\nMatrix %s, assessed %s.\n", a.MatrixVersion, a.AssessedAt.Time().Format("2006-01-02 15:04 MST"))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "factor\tvalue\tscore\tweight\tcontribution")
	for _, f := range a.Factors {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s%s\n", f.ID, f.Value, num(f.Score), num(f.Weight), num(f.Contribution), note(f))
	}
	tw.Flush()
	for _, o := range a.Overrides {
		fmt.Fprintf(&b, "Override %s: %s %s", o.ID, o.Effect, o.Level)
		if o.Description != "" {
			b.WriteString(" (" + o.Description + ")")
		}
		b.WriteString(".\n")
	}
	for _, id := range a.Unevaluated {
		fmt.Fprintf(&b, "Override %s could not be evaluated and did not fire.\n", id)
	}
	return b.String()
}

// note explains a status other than scored.
func note(f FactorResult) string {
	switch f.Status {
	case StatusUnknown:
		return "  (missing: unknown score)"
	case StatusUnlisted:
		if f.Kind == KindRules {
			return "  (no rule holds: default score)"
		}
		return "  (not listed: default score)"
	case StatusNotApplicable:
		return "  (does not apply)"
	case StatusError:
		return "  (condition error: unknown score)"
	}
	return ""
}

// num formats a number for people: at most two decimals.
func num(x float64) string { return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64) }
