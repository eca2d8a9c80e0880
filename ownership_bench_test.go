package kyc_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/ownership"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// The generated graph: groups of 200 profiles, each a chain of 10 legal
// persons (g<n>-l0 at the top, held 50% by g<n>-l1, and so on) where every
// legal person is also held by 19 natural persons (fan-out 20). 500 groups
// make 100,000 profiles; -short makes 50 (10,000).
const (
	benchChain  = 10
	benchFanOut = 20
)

func benchGroups() int {
	if testing.Short() {
		return 50
	}
	return 500
}

func benchShare(pct float64) profile.Object {
	return profile.Object{"ownership": map[string]any{"capital": map[string]any{"exact": pct}}}
}

// benchGraph writes the graph into st, bottom-up so that every relation
// names an existing profile.
func benchGraph(b *testing.B, st storage.Store) {
	ctx := context.Background()
	put := func(p *profile.Profile) {
		p.Version, p.State, p.CreatedAt, p.ModifiedAt = 1, "active", 1700000000000, 1700000000000
		if err := st.CreateProfile(ctx, "t", storage.Record{Profile: p}, nil); err != nil {
			b.Fatal(err)
		}
	}
	for g := range benchGroups() {
		for l := benchChain - 1; l >= 0; l-- {
			legal := &profile.Profile{ID: fmt.Sprintf("g%d-l%d", g, l), PersonType: profile.LegalPerson, Name: "Company"}
			for n := range benchFanOut - 1 {
				id := fmt.Sprintf("g%d-l%d-n%d", g, l, n)
				put(&profile.Profile{ID: id, PersonType: profile.NaturalPerson, Name: "Person"})
				legal.Relations = append(legal.Relations, profile.Relation{ProfileID: id,
					Relationship: profile.RelationBusinessPartner, Extra: benchShare(50.0 / (benchFanOut - 1))})
			}
			if l < benchChain-1 {
				legal.Relations = append(legal.Relations, profile.Relation{ProfileID: fmt.Sprintf("g%d-l%d", g, l+1),
					Relationship: profile.RelationBusinessPartner, Extra: benchShare(50)})
			}
			put(legal)
		}
	}
}

func benchOwners(b *testing.B, st storage.Store, target string) {
	ctx := context.Background()
	g := kyc.OwnershipGraph(st, "t")
	b.ReportAllocs()
	for b.Loop() {
		r, err := ownership.Compute(ctx, g, target, ownership.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if r.Depth != benchChain || len(r.Below) != benchChain*(benchFanOut-1) {
			b.Fatalf("depth %d, %d holders", r.Depth, len(r.Below))
		}
	}
}

// BenchmarkBeneficialOwners computes the owners of the top of one group in
// the generated graph from the memory store and from SQLite, and runs the
// same walk on SQLite written by hand as one recursive CTE (the reference
// of the ratio: 10 levels, 200 profiles, 199 paths).
func BenchmarkBeneficialOwners(b *testing.B) {
	ctx := context.Background()
	target := fmt.Sprintf("g%d-l0", benchGroups()/2)
	b.Run("memory", func(b *testing.B) {
		st := memory.New()
		benchGraph(b, st)
		benchOwners(b, st, target)
	})
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(b.TempDir(), "kyc.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	benchGraph(b, st)
	b.Run("sqlite", func(b *testing.B) { benchOwners(b, st, target) })
	b.Run("sqlite-recursive-cte", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if n := recursiveCTE(b, st.DB(), target); n != benchChain*(benchFanOut-1) {
				b.Fatalf("%d holders", n)
			}
		}
	})
	b.Run("sqlite-affected", func(b *testing.B) {
		bottom := fmt.Sprintf("g%d-l%d-n0", benchGroups()/2, benchChain-1)
		rg := kyc.OwnershipReverseGraph(st, "t")
		b.ReportAllocs()
		for b.Loop() {
			im, err := ownership.AffectedBy(ctx, rg, bottom, ownership.Options{})
			if err != nil {
				b.Fatal(err)
			}
			if len(im.Affected) != benchChain {
				b.Fatalf("%d affected", len(im.Affected))
			}
		}
	})
}

// walkCTE is the ownership walk as one statement: every simple path from
// the legal person down its business partners, the product of the exact
// shares along it, summed per natural person. CROSS JOIN keeps SQLite's
// planner from scanning the relations for every row of the walk.
const walkCTE = `WITH RECURSIVE walk(id, depth, share, path) AS (
	SELECT $2, 0, 1.0, '/' || $2 || '/'
	UNION ALL
	SELECT r.related_id, w.depth + 1,
		w.share * json_extract(r.extra, '$.ownership.capital.exact') / 100.0,
		w.path || r.related_id || '/'
	FROM walk w CROSS JOIN profile_relations r
	WHERE r.tenant = $1 AND r.profile_id = w.id AND r.relationship = 'business_partner' AND w.depth < 20
		AND instr(w.path, '/' || r.related_id || '/') = 0
)
SELECT w.id, SUM(w.share) FROM walk w CROSS JOIN profiles p
WHERE p.tenant = $1 AND p.id = w.id AND p.person_type = 'natural_person' GROUP BY w.id`

func recursiveCTE(b *testing.B, db *sql.DB, target string) int {
	rows, err := db.Query(walkCTE, "t", target)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id string
		var share float64
		if err := rows.Scan(&id, &share); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return n
}
