package storagetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// testBadInput feeds what breaks the contract: each call fails with a clear
// kind of error and stores nothing.
func testBadInput(t *testing.T, h *harness) {
	tn := h.tenant(t)
	h.create(t, tn, newProfile("p1"))
	huge := strings.Repeat("x", 10<<20) // a 10 MB metadata blob

	tests := []struct {
		name string
		call func() error
		want error
	}{
		{"empty tenant", func() error { return h.s.CreateProfile(h.ctx, "", storage.Record{Profile: newProfile("b1")}, nil) }, storage.ErrInvalid},
		{"empty id", func() error { return h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: newProfile("")}, nil) }, storage.ErrInvalid},
		{"id too long", func() error {
			return h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: newProfile(strings.Repeat("i", storage.MaxIDBytes+1))}, nil)
		}, storage.ErrInvalid},
		{"control character in id", func() error { return h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: newProfile("b\n1")}, nil) }, storage.ErrInvalid},
		{"id not UTF-8", func() error { return h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: newProfile("b\xff")}, nil) }, storage.ErrInvalid},
		{"nil profile", func() error { return h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: nil}, nil) }, storage.ErrInvalid},
		{"version zero", func() error {
			p := newProfile("b1")
			p.Version = 0
			return h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: p}, nil)
		}, storage.ErrInvalid},
		{"creation entry of another profile", func() error {
			p := newProfile("b1")
			e := creationEntry(p, "b1-created")
			e.OrigID = "p1"
			return h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: p}, e)
		}, storage.ErrInvalid},
		{"10 MB metadata on create", func() error {
			p := newProfile("b1")
			p.Metadata["blob"] = huge
			return h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: p}, creationEntry(p, "b1-created"))
		}, storage.ErrTooLarge},
		{"10 MB metadata on update", func() error {
			p := h.get(t, tn, "p1")
			p.Metadata["blob"] = huge
			return h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: p}, bump(p, "b-upd", "x", ts(time.Hour)))
		}, storage.ErrTooLarge},
		{"entry over its limit", func() error {
			p := h.get(t, tn, "p1")
			e := bump(p, "b-entry", "x", ts(time.Hour))
			e.Changes = append(e.Changes, history.Change{Op: history.OpChange, Path: history.Path{"metadata", "blob"}, Old: huge[:3<<20], New: ""})
			return h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: p}, e)
		}, storage.ErrTooLarge},
		{"comment body over its limit", func() error {
			return h.s.AddComment(h.ctx, tn, &storage.Comment{ID: "c1", ProfileID: "p1", Author: "a", Body: huge[:storage.MaxCommentBytes+1]}, nil)
		}, storage.ErrTooLarge},
		{"comment without id", func() error {
			return h.s.AddComment(h.ctx, tn, &storage.Comment{ProfileID: "p1", Author: "a"}, nil)
		}, storage.ErrInvalid},
		{"get with empty tenant", func() error { _, err := h.s.GetProfile(h.ctx, "", "p1"); return err }, storage.ErrInvalid},
		{"get with empty id", func() error { _, err := h.s.GetProfile(h.ctx, tn, ""); return err }, storage.ErrInvalid},
		{"delete with empty id", func() error { return h.s.DeleteProfile(h.ctx, tn, "", storage.DeleteOptions{Force: true}) }, storage.ErrInvalid},
		{"page size over the maximum", func() error { return list(h, tn, storage.Query{Size: storage.MaxPageSize + 1}) }, storage.ErrInvalid},
		{"negative page number", func() error { return list(h, tn, storage.Query{Number: -1}) }, storage.ErrInvalid},
		{"unknown sort", func() error { return list(h, tn, storage.Query{Sort: "tax_payer_id"}) }, storage.ErrInvalid},
		{"malformed cursor", func() error { return list(h, tn, storage.Query{Cursor: "not a cursor!"}) }, storage.ErrInvalid},
		{"text filter too long", func() error { return list(h, tn, storage.Query{Text: huge[:storage.MaxTextBytes+1]}) }, storage.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, tc.name, tc.call(), tc.want)
		})
	}
	// Nothing was stored: one profile, unchanged, one entry, no comment.
	pg, err := h.s.ListProfiles(h.ctx, tn, storage.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(pg.Profiles); len(got) != 1 || got[0] != "p1" {
		t.Errorf("profiles after bad input = %v, want [p1]", got)
	}
	if p := h.get(t, tn, "p1"); p.Version != 1 || p.Metadata["blob"] != nil {
		t.Errorf("p1 changed by bad input: version %d", p.Version)
	}
	if n := len(h.entries(t, tn, "p1")); n != 1 {
		t.Errorf("history has %d entries after bad input, want 1", n)
	}
	h.wantComments(t, tn, "p1", []storage.Comment{})
}

func list(h *harness, tn string, q storage.Query) error {
	_, err := h.s.ListProfiles(h.ctx, tn, q)
	return err
}

// testNoPersonalData provokes every kind of error with a profile full of
// distinctive personal values; none may appear in an error's text.
func testNoPersonalData(t *testing.T, h *harness) {
	tn := h.tenant(t)
	p := newProfile("p1")
	p.Name, p.TaxPayerID, p.ExternalRef = "Zyxwvut Qwertyson", "99-88776655-4", "ACC-31337"
	p.NaturalPerson.Name = profile.Name{First: "Zyxwvut", Last: "Qwertyson"}
	p.NaturalPerson.IDNumber = "X1234567Q"
	p.Contacts = []profile.Contact{{ContactType: profile.ContactEmail, Value: "zyx@qwerty.example"}}
	secrets := []string{"Zyxwvut", "Qwertyson", "99-88776655-4", "ACC-31337", "X1234567Q", "zyx@qwerty.example", "1987-01-01"}
	h.create(t, tn, p)

	var errs []error
	errs = append(errs, h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: p}, nil))
	stale := clone(t, p)
	stale.Version = 7
	errs = append(errs, h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: stale}, bump(stale, "e", "x", ts(0))))
	big := clone(t, p)
	big.Metadata["blob"] = strings.Repeat("Qwertyson", storage.MaxProfileBytes/9+1)
	errs = append(errs, h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: big}, bump(big, "e", "x", ts(0))))
	errs = append(errs, h.s.DeleteProfile(h.ctx, tn, "p1", storage.DeleteOptions{}))
	errs = append(errs, h.s.AddComment(h.ctx, tn, &storage.Comment{ID: "c", ProfileID: "p1", Body: "Qwertyson \xff"}, nil))
	_, err := h.s.ListProfiles(h.ctx, tn, storage.Query{Text: "Zyxwvut" + strings.Repeat("Q", storage.MaxTextBytes)})
	errs = append(errs, err)
	for i, err := range errs {
		if err == nil {
			t.Errorf("call %d: no error", i)
			continue
		}
		if w := containsAny(err.Error(), secrets); w != "" {
			t.Errorf("call %d: error %q contains the personal value %q", i, err, w)
		}
	}
	var re *storage.RetentionError
	if !errors.As(errs[3], &re) || re.ProfileID != "p1" {
		t.Errorf("delete of an active profile: got %v, want a *storage.RetentionError for p1", errs[3])
	}
}
