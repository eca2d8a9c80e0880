package sqlstore

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/internal/pgtest"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// TestOneStatementUpdate checks which updates the trigger (migration
// 0010, formerly 0003 to 0009) applies by itself: every update that keeps
// the creation time, the name and the labels, whatever the labels'
// characters, and no other; and that each, in one statement or not,
// writes the due row at the profile's new version. (That the others still land correctly is the
// conformance suite's ListFollowsUpdates.)
func TestOneStatementUpdate(t *testing.T) {
	s, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "kyc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	testOneStatement(t, s, func(ctx context.Context, p *profile.Profile, e history.Entry, args []any) (bool, error) {
		return s.updateOnSQLite(ctx, "t", e, append(args, labelsKey(labelSet(p.Labels)), e.ID, "{}", relationsKey(p), nil, nil, nil, nil, nil))
	})
}

// TestOneStatementUpdatePostgres is TestOneStatementUpdate for
// updatePostgres, which applies every update that keeps the labels.
func TestOneStatementUpdatePostgres(t *testing.T) {
	s, err := OpenPostgres(context.Background(), pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	testOneStatement(t, s, func(ctx context.Context, p *profile.Profile, e history.Entry, args []any) (bool, error) {
		return s.updateOnPostgres(ctx, append(args, labelSet(p.Labels), e.ID, "{}", nil, nil, nil, nil, nil))
	})
}

func testOneStatement(t *testing.T, s *Store, apply func(ctx context.Context, p *profile.Profile, e history.Entry, args []any) (bool, error)) {
	ctx := context.Background()
	p := &profile.Profile{ID: "p1", Version: 1, Name: "Ana", State: "active", Risk: "low",
		PersonType: profile.NaturalPerson, Labels: []string{"ñé", "a:b", "vip"}}
	if err := s.CreateProfile(ctx, "t", storage.Record{Profile: p}, nil); err != nil {
		t.Fatal(err)
	}
	// PostgreSQL keeps the labels apart from the name and creation time:
	// a change of those applies in one statement there.
	pg := s.dialect == dialectPostgres
	tests := []struct {
		name   string
		change func(p *profile.Profile)
		want   bool
	}{
		{"nothing listed changes", func(p *profile.Profile) {}, true},
		{"state and risk change", func(p *profile.Profile) { p.State, p.Risk = "under_review", "high" }, true},
		{"labels given in another order", func(p *profile.Profile) { p.Labels = []string{"vip", "a:b", "ñé"} }, true},
		{"a label changes", func(p *profile.Profile) { p.Labels = []string{"ñé", "a:b"} }, false},
		{"labels kept after the change", func(p *profile.Profile) {}, true},
		{"all labels go", func(p *profile.Profile) { p.Labels = nil }, false},
		{"no labels kept", func(p *profile.Profile) {}, true},
		{"a relation is added", func(p *profile.Profile) {
			p.Relations = []profile.Relation{{ProfileID: "acme", Relationship: "employer"}}
		}, false},
		{"relations kept after the change", func(p *profile.Profile) {}, true},
		{"a relation's information changes", func(p *profile.Profile) {
			p.Relations[0].Extra = profile.Object{"since": "2020"}
		}, false},
		{"relations kept again", func(p *profile.Profile) {}, true},
		{"the name changes", func(p *profile.Profile) { p.Name = "Ana B" }, pg},
		{"the creation time changes", func(p *profile.Profile) { p.CreatedAt = 7 }, pg},
	}
	for i, tc := range tests {
		tc.change(p)
		e := history.Entry{ID: "e" + string(rune('a'+i)), OrigID: p.ID, Version: p.Version}
		p.Version++
		data, err := driver.EncodeProfile(p)
		if err != nil {
			t.Fatal(err)
		}
		r := row{p: p, data: data, due: profile.Timestamp(1000 + i)}
		done, err := apply(ctx, p, e, slices.Concat(r.args("t"), r.dueValues(), []any{e.Version}))
		if err != nil || done != tc.want {
			t.Fatalf("%s: applied in one statement = %v, %v; want %v", tc.name, done, err, tc.want)
		}
		if !done {
			if err := s.UpdateProfile(ctx, "t", storage.Record{Profile: p, Due: r.due}, e); err != nil {
				t.Fatalf("%s: UpdateProfile: %v", tc.name, err)
			}
		}
		// Either way the due row moved with the profile, to its version:
		// what SetDue's guard reads.
		var version, due int64
		err = s.db.QueryRow(`SELECT version, due_at FROM profile_due WHERE tenant = 't' AND id = 'p1'`).Scan(&version, &due)
		if err != nil || version != int64(p.Version) || due != int64(r.due) {
			t.Fatalf("%s: due row at version %d, due %d, %v; want %d, %d", tc.name, version, due, err, p.Version, r.due)
		}
	}
}
