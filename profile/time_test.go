package profile

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestDatesIgnoreLocalZone runs the calendar-date paths with the local zone
// west and east of UTC: a date is midnight UTC on the wire and never moves
// (DESIGN.md, "The profile").
func TestDatesIgnoreLocalZone(t *testing.T) {
	zones := []struct {
		name   string
		offset int
	}{
		{name: "UTC-10 (west)", offset: -10 * 3600},
		{name: "UTC+14 (east)", offset: 14 * 3600},
		{name: "UTC+05:30", offset: 5*3600 + 1800},
	}
	orig := time.Local
	t.Cleanup(func() { time.Local = orig })
	in := readGolden(t, "natural_person.json")
	for _, z := range zones {
		t.Run(z.name, func(t *testing.T) {
			time.Local = time.FixedZone(z.name, z.offset)
			p, err := Decode(in)
			if err != nil {
				t.Fatal(err)
			}
			p.Normalize()
			if err := NewValidator(Options{Now: seedNow}).Validate(p); err != nil {
				t.Fatalf("validate: %v", err)
			}
			bd := *p.NaturalPerson.BirthDate
			parsed, err := ParseDate("1997-06-11")
			if err != nil {
				t.Fatal(err)
			}
			local := DateFromTime(time.Date(1997, 6, 11, 23, 30, 0, 0, time.Local))
			got := []any{bd.String(), bd.IsMidnight(), int64(bd), int64(parsed), int64(local), bd.Time().Location().String()}
			want := []any{"1997-06-11", true, int64(865987200000), int64(865987200000), int64(865987200000), "UTC"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
