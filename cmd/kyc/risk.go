package main

import (
	"context"
	"fmt"
	"time"

	"github.com/kycsdk/kyc/riskmatrix"
)

func riskCommands() []command {
	return []command{
		{group: "risk", name: "assess", usage: "--matrix MATRIX PROFILE [--now TIME]",
			summary: "assess a profile's risk under a matrix and explain every factor's contribution",
			run:     riskAssess},
	}
}

func riskAssess(_ context.Context, e *env, args []string) error {
	var jsonOut bool
	fs := newFlags(e, "risk assess", "--matrix MATRIX PROFILE [--now TIME] [--json]", &jsonOut)
	matrixPath := fs.String("matrix", "", "the risk matrix (JSON, see riskmatrix.Load)")
	nowText := fs.String("now", "", "the moment of the assessment, RFC 3339 (default now); ages and document validity are counted to it")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *matrixPath == "" {
		return usageErrorf("--matrix is required")
	}
	now := time.Now()
	if *nowText != "" {
		if now, err = time.Parse(time.RFC3339, *nowText); err != nil {
			return usageErrorf("--now: want an RFC 3339 time such as 2026-01-31T12:00:00Z")
		}
	}
	m, err := load(e, "--matrix", *matrixPath, riskmatrix.Load)
	if err != nil {
		return err
	}
	p, err := loadProfile(e, "PROFILE", pos[0])
	if err != nil {
		return err
	}
	a := m.Assess(p, now)
	if jsonOut {
		return writeJSON(e.stdout, a)
	}
	_, err = fmt.Fprint(e.stdout, a.Explain())
	return err
}
