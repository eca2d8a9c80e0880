package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/kycsdk/kyc"
)

func configCommands() []command {
	return []command{
		{group: "config", name: "validate", usage: "FILE",
			summary: "check a tenant configuration document and list every problem with its JSON path",
			run:     configValidate},
		{group: "config", name: "schema", usage: "[--out DIR]",
			summary: "print the JSON Schema of the tenant configuration, or write every published schema under DIR",
			run:     configSchema},
	}
}

func configValidate(_ context.Context, e *env, args []string) error {
	var jsonOut bool
	fs := newFlags(e, "config validate", "FILE [--json]", &jsonOut)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	data, err := readInput(e, "FILE", pos[0])
	if err != nil {
		return err
	}
	c, err := kyc.LoadTenantConfig(data)
	var ce *kyc.ConfigError
	switch {
	case errors.As(err, &ce):
	case err != nil:
		return &inputError{name: "FILE", err: err}
	}
	var problems []kyc.ConfigProblem
	if ce != nil {
		problems = ce.Problems
	}
	out := struct {
		Valid    bool                `json:"valid"`
		Version  string              `json:"version,omitempty"`
		Problems []kyc.ConfigProblem `json:"problems"`
	}{Valid: len(problems) == 0, Problems: nonNil(problems)}
	if c != nil {
		out.Version = c.Version
	}
	text := func() error {
		if len(problems) == 0 {
			_, err := fmt.Fprintf(e.stdout, "valid (version %s)\n", c.Version)
			return err
		}
		for _, p := range problems {
			if _, err := fmt.Fprintf(e.stdout, "%s\n", configLine(p)); err != nil {
				return err
			}
		}
		_, err := fmt.Fprintf(e.stdout, "%d problem(s)\n", len(problems))
		return err
	}
	return output(e, jsonOut, out, text, len(problems) > 0, "invalid configuration")
}

func configLine(p kyc.ConfigProblem) string {
	if p.Path == "" {
		return "(document): " + p.Message
	}
	return p.String()
}

// configSchema prints the tenant schema, or writes every published schema
// into DIR by its path in the repository, so that the tenant schema's
// relative references resolve there as they do in a checkout.
func configSchema(_ context.Context, e *env, args []string) error {
	var jsonOut bool
	fs := newFlags(e, "config schema", "[--out DIR]", &jsonOut)
	dir := fs.String("out", "", "a directory to write every published schema into")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *dir == "" {
		_, err := e.stdout.Write(kyc.TenantConfigSchema())
		return err
	}
	schemas := kyc.Schemas()
	names := slices.Sorted(maps.Keys(schemas))
	for _, name := range names {
		path := filepath.Join(*dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return &inputError{name: "--out", err: fsReason(err)}
		}
		if err := os.WriteFile(path, schemas[name], 0o644); err != nil {
			return &inputError{name: "--out", err: fsReason(err)}
		}
	}
	if jsonOut {
		return writeJSON(e.stdout, struct {
			Written []string `json:"written"`
		}{names})
	}
	_, err := fmt.Fprintf(e.stdout, "%d schemas written\n", len(names))
	return err
}
