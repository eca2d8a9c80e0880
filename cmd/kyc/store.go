package main

import (
	"context"
	"flag"
	"strings"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/storage/sqlstore"
	"github.com/kycsdk/kyc/workflow"
)

// storeFlags are the flags that open a store and name the operator, shared
// by import and export.
type storeFlags struct {
	db           string
	tenant, user string
	scopes       listFlag
	workflow     string
	riskLevels   listFlag

	// wf is the workflow the Service was opened with, set by open.
	wf *workflow.Workflow
}

func (f *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.db, "db", "", "the store: a SQLite file, or a PostgreSQL URL (postgres://...) or key=value DSN (host=...)")
	fs.StringVar(&f.tenant, "tenant", "", "the tenant the profiles belong to")
	fs.StringVar(&f.user, "user", "kyc", "the operator recorded in the history")
	fs.Var(&f.scopes, "scope", "the operator's scopes under the default policy (default "+kyc.ScopeSupervisor+", which may import)")
	fs.StringVar(&f.workflow, "workflow", "", "the tenant's workflow (a JSON list of transitions); default the workflow of seed 003, 3.3.1")
	fs.Var(&f.riskLevels, "risk-levels", "the tenant's risk levels, in order (default low,medium,high)")
}

func (f *storeFlags) check() error {
	if f.db == "" {
		return usageErrorf("--db is required")
	}
	if strings.TrimSpace(f.tenant) == "" {
		return usageErrorf("--tenant is required")
	}
	return nil
}

func (f *storeFlags) operator() kyc.Operator {
	scopes := []string(f.scopes)
	if len(scopes) == 0 {
		scopes = []string{kyc.ScopeSupervisor}
	}
	return kyc.Operator{Tenant: f.tenant, User: f.user, Scopes: scopes}
}

// isPostgres says whether a --db value names a PostgreSQL server rather
// than a SQLite file: a postgres:// or postgresql:// URL, or a libpq
// key=value DSN.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") ||
		strings.Contains(db, "host=") || strings.Contains(db, "dbname=")
}

// open opens the store and the Service over it. The caller closes the
// store.
func (f *storeFlags) open(ctx context.Context, e *env) (*kyc.Service, *sqlstore.Store, error) {
	f.wf = workflow.Default()
	if f.workflow != "" {
		wf, err := loadWorkflow(e, "--workflow", f.workflow)
		if err != nil {
			return nil, nil, err
		}
		f.wf = wf
	}
	opts := kyc.Options{RiskLevels: f.riskLevels, Workflow: f.wf}
	var (
		st  *sqlstore.Store
		err error
	)
	if isPostgres(f.db) {
		st, err = sqlstore.OpenPostgres(ctx, f.db)
	} else {
		st, err = sqlstore.OpenSQLite(ctx, f.db)
	}
	if err != nil {
		// The DSN may hold a password: the error names the kind of store
		// only, and the driver's errors do not repeat the DSN.
		return nil, nil, &inputError{name: "--db", err: err}
	}
	svc, err := kyc.New(st, opts)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return svc, st, nil
}
