package sqlstore

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kycsdk/kyc/storage"
)

// TestSQLiteListPlans checks with EXPLAIN QUERY PLAN that the list
// queries of the benchmarks' filter use an index: the count of a state and
// risk filter reads only index entries (a table lookup per matching
// profile made a list of 20 from 100,000 profiles take 110 ms), and the
// page walks an index in the sorted order instead of sorting.
func TestSQLiteListPlans(t *testing.T) {
	s, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "kyc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tests := []struct {
		name      string
		q         storage.Query
		count     string // expected in the count's plan
		page      string // expected in the page's plan
		pageSorts bool   // whether the page may use a temporary sort
		pageSkips string // a table the page must not read, if any
	}{
		{"state and risk", storage.Query{States: []string{"active"}, Risks: []string{"high"}},
			"COVERING INDEX profiles_state_risk", "INDEX profiles_state_risk", false, ""},
		{"state only", storage.Query{States: []string{"active"}},
			"COVERING INDEX profiles_state_risk", "INDEX profiles_modified", false, ""},
		// No index leads with the risk (migration 0003): the count reads
		// the state_risk entries of the tenant, the page walks the
		// modified order and checks each row.
		{"risk only", storage.Query{Risks: []string{"high"}},
			"COVERING INDEX profiles_state_risk", "INDEX profiles_modified", false, ""},
		{"no filter", storage.Query{},
			"COVERING INDEX", "INDEX profiles_modified", false, ""},
		{"by name", storage.Query{Sort: storage.SortNameAsc},
			"COVERING INDEX", "INDEX profiles_name", false, ""},
		// Migration 0009: the exact lookups of an import.
		{"external ref", storage.Query{ExternalRef: "r-1"},
			"INDEX profiles_external_ref", "INDEX profiles_external_ref", false, ""},
		{"tax payer id", storage.Query{TaxPayerID: "t-1"},
			"INDEX profiles_tax_payer_id", "INDEX profiles_tax_payer_id", false, ""},
		// Migrations 0006 and 0010: "due by T", oldest due first, is one
		// range of profile_due's index, counted without reading a row;
		// the page reads each listed profile by its key.
		{"due by", storage.Query{DueBy: 1 << 40, Sort: storage.SortDue},
			"COVERING INDEX profile_due_at", "INDEX profile_due_at", false, ""},
		// What Service.DueList reads never touches a profile row.
		{"due by, only the due work", storage.Query{DueBy: 1 << 40, Sort: storage.SortDue, OnlyDue: true},
			"COVERING INDEX profile_due_at", "INDEX profile_due_at", false, "SEARCH p "},
		{"due by and state", storage.Query{DueBy: 1 << 40, Sort: storage.SortDue, States: []string{"active"}},
			"INDEX profile_due_at", "INDEX profile_due_at", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := tc.q.Normalize()
			if err != nil {
				t.Fatal(err)
			}
			lq := newListQueries("t", q, nil, 0)
			count := plan(t, s, lq.count, lq.countArgs)
			if !strings.Contains(count, tc.count) {
				t.Errorf("count plan = %q, want it to use %s", count, tc.count)
			}
			page := plan(t, s, lq.page, lq.pageArgs)
			if !strings.Contains(page, tc.page) {
				t.Errorf("page plan = %q, want it to use %s", page, tc.page)
			}
			if tc.pageSkips != "" && strings.Contains(page, tc.pageSkips) {
				t.Errorf("page plan = %q, want no %q", page, tc.pageSkips)
			}
			if strings.Contains(page, "TEMP B-TREE") != tc.pageSorts {
				t.Errorf("page plan = %q, sorts: want %v", page, tc.pageSorts)
			}
		})
	}
}

// plan returns the lines of EXPLAIN QUERY PLAN for query.
func plan(t *testing.T, s *Store, query string, args []any) string {
	t.Helper()
	rows, err := s.db.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "; ")
}
