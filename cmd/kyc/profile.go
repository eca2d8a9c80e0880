package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/kycsdk/kyc/fieldchange"
	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
)

func profileCommands() []command {
	return []command{
		{group: "profile", name: "validate", usage: "FILE [--strict] [--risk-levels L,...] [--metadata-schema SCHEMA]",
			summary: "list every problem of a profile (seed 003 JSON) with its JSON path",
			run:     profileValidate},
		{group: "profile", name: "diff", usage: "A B",
			summary: "the changes from profile A to profile B in the history format of seed 003, 3.2 (dictdiffer)",
			run:     profileDiff},
		{group: "profile", name: "reverify", usage: "A B [--policy FILE]",
			summary: "which changes from A to B need KYC re-verification (the field-change table of seed 000)",
			run:     profileReverify},
	}
}

// problemJSON is one problem of profile validate.
type problemJSON struct {
	Path    string `json:"path"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func profileValidate(_ context.Context, e *env, args []string) error {
	var jsonOut bool
	fs := newFlags(e, "profile validate", "FILE [--strict] [--risk-levels L,...] [--metadata-schema SCHEMA] [--json]", &jsonOut)
	strict := fs.Bool("strict", false, "count keys the profile format does not know as problems")
	var levels listFlag
	fs.Var(&levels, "risk-levels", "the accepted risk levels, in order (default low,medium,high)")
	schemaPath := fs.String("metadata-schema", "", "a JSON Schema that metadata must satisfy")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	opts := profile.Options{RiskLevels: levels}
	if *schemaPath != "" {
		if opts.Metadata, err = load(e, "--metadata-schema", *schemaPath, profile.CompileMetadataSchema); err != nil {
			return err
		}
	}
	data, err := readInput(e, "FILE", pos[0])
	if err != nil {
		return err
	}
	problems, err := validateProfile(data, *strict, profile.NewValidator(opts))
	if err != nil {
		return &inputError{name: "FILE", err: err}
	}
	out := struct {
		Valid    bool          `json:"valid"`
		Problems []problemJSON `json:"problems"`
	}{len(problems) == 0, problems}
	return output(e, jsonOut, out, func() error { return printProblems(e, problems) }, len(problems) > 0, "invalid profile")
}

func printProblems(e *env, problems []problemJSON) error {
	if len(problems) == 0 {
		_, err := fmt.Fprintln(e.stdout, "valid")
		return err
	}
	for _, p := range problems {
		if _, err := fmt.Fprintf(e.stdout, "%s: %s (%s)\n", cmp.Or(p.Path, "(document)"), p.Message, p.Code); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(e.stdout, "%d problem(s)\n", len(problems))
	return err
}

// validateProfile decodes, normalises and validates a profile as
// kyc.Service.Create would, and returns every problem. JSON that is not a
// profile (malformed, a wrong type, an unknown key in strict mode) is a
// problem of the profile too: it is what validate is asked about. Only an
// input the decoder refuses to read at all (too large, too deep) is an
// error.
func validateProfile(data []byte, strict bool, v *profile.Validator) ([]problemJSON, error) {
	decode := profile.Decode
	if strict {
		decode = profile.DecodeStrict
	}
	p, err := decode(data)
	var (
		se *profile.SyntaxError
		te *profile.TypeError
		ue *profile.UnknownFieldError
	)
	switch {
	case errors.As(err, &se):
		return []problemJSON{{Path: se.Path, Code: "syntax", Message: fmt.Sprintf("not JSON at line %d, column %d: %s", se.Line, se.Column, se.Reason)}}, nil
	case errors.As(err, &te):
		return []problemJSON{{Path: te.Path, Code: "type", Message: fmt.Sprintf("must be %s (line %d, column %d)", te.Expected, te.Line, te.Column)}}, nil
	case errors.As(err, &ue):
		var out []problemJSON
		for _, k := range ue.Keys {
			out = append(out, problemJSON{Path: k, Code: "unknown", Message: "is not a field of the profile"})
		}
		return out, nil
	case err != nil:
		return nil, err
	}
	p.Normalize()
	err = v.Validate(p)
	var ve *profile.ValidationError
	if errors.As(err, &ve) {
		return fromProblems(ve.Problems), nil
	}
	return nil, err
}

func profileDiff(_ context.Context, e *env, args []string) error {
	var jsonOut bool
	fs := newFlags(e, "profile diff", "A B [--json]", &jsonOut)
	pos, err := parse(fs, args, 2, 2)
	if err != nil {
		return err
	}
	a, err := readInput(e, "A", pos[0])
	if err != nil {
		return err
	}
	b, err := readInput(e, "B", pos[1])
	if err != nil {
		return err
	}
	changes, err := history.DiffJSON(a, b)
	if err != nil {
		return &inputError{name: "A B", err: err}
	}
	if changes == nil {
		changes = history.Changes{}
	}
	lines := func() error {
		for _, line := range changes.Lines(history.RenderOptions{MaxValue: 200}) {
			if _, err := fmt.Fprintln(e.stdout, line); err != nil {
				return err
			}
		}
		return nil
	}
	// As diff(1) does: 1 when the documents differ.
	return output(e, jsonOut, changes, lines, len(changes) > 0, "profiles differ")
}

// changeJSON is one change of profile reverify.
type changeJSON struct {
	Path     string `json:"path"`
	Kind     string `json:"kind"`
	Rule     string `json:"rule,omitempty"`
	Reverify bool   `json:"reverify"`
}

func profileReverify(_ context.Context, e *env, args []string) error {
	var jsonOut bool
	fs := newFlags(e, "profile reverify", "A B [--policy FILE] [--json]", &jsonOut)
	policyPath := fs.String("policy", "", "a field-change policy (JSON, see fieldchange.Load); default the table of seed 000")
	pos, err := parse(fs, args, 2, 2)
	if err != nil {
		return err
	}
	policy := fieldchange.Default()
	if *policyPath != "" {
		if policy, err = load(e, "--policy", *policyPath, fieldchange.Load); err != nil {
			return err
		}
	}
	a, err := loadProfile(e, "A", pos[0])
	if err != nil {
		return err
	}
	b, err := loadProfile(e, "B", pos[1])
	if err != nil {
		return err
	}
	report := policy.Check(a, b)
	changes := make([]changeJSON, 0, len(report.Changes)+len(report.Uncovered))
	for _, c := range append(report.Changes, report.Uncovered...) {
		changes = append(changes, changeJSON{Path: c.Path, Kind: string(c.Kind), Rule: c.Rule, Reverify: c.Reverify})
	}
	out := struct {
		NeedsReverification bool         `json:"needs_reverification"`
		Paths               []string     `json:"reverify_paths"`
		Changes             []changeJSON `json:"changes"`
	}{report.NeedsReverification(), nonNil(report.ReverifyPaths()), changes}
	return output(e, jsonOut, out, func() error { return printReverify(e, changes) }, report.NeedsReverification(), "changes need re-verification")
}

func printReverify(e *env, changes []changeJSON) error {
	n := 0
	for _, c := range changes {
		verdict := "no re-verification"
		if c.Reverify {
			verdict = "RE-VERIFY"
			n++
		}
		rule := cmp.Or(c.Rule, "no rule")
		if _, err := fmt.Fprintf(e.stdout, "%-18s %-6s %s (%s)\n", verdict, c.Kind, c.Path, rule); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(e.stdout, "%d change(s), %d need re-verification\n", len(changes), n)
	return err
}

// loadProfile reads a profile file and puts it in its stored form.
func loadProfile(e *env, name, path string) (*profile.Profile, error) {
	p, err := load(e, name, path, profile.Decode)
	if err != nil {
		return nil, err
	}
	p.Normalize()
	return p, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
