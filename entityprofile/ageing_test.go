package entityprofile_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kycsdk/kyc/entityprofile"
)

func TestParseAgeing(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{in: "never", want: "never"},
		{in: "document", want: "document"},
		{in: "365d", want: "365d"},
		{in: "720h", want: "30d"},
		{in: "36h", want: "36h0m0s"},
		{in: "90m", want: "1h30m0s"},
		{in: "0d", wantErr: true},
		{in: "0", wantErr: true},
		{in: "-1d", wantErr: true},
		{in: "-5h", wantErr: true},
		{in: "", wantErr: true},
		{in: "d", wantErr: true},
		{in: "1.5d", wantErr: true},
		{in: "1w", wantErr: true},
		{in: "Never", wantErr: true},
		{in: "99999999d", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			a, err := entityprofile.ParseAgeing(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseAgeing(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tt.want, a.String()); diff != "" {
				t.Errorf("String (-want +got):\n%s", diff)
			}
			back, err := entityprofile.ParseAgeing(a.String())
			if err != nil || back != a {
				t.Errorf("ParseAgeing(String()) = %v, %v; want %v", back, err, a)
			}
		})
	}
}

func TestAgeingKinds(t *testing.T) {
	d, ok := entityprofile.For(48 * time.Hour).Duration()
	if !ok || d != 48*time.Hour {
		t.Errorf("For(48h).Duration() = %v, %v", d, ok)
	}
	if _, ok := entityprofile.Never().Duration(); ok || !entityprofile.Never().IsNever() {
		t.Error("Never() is not never")
	}
	if !entityprofile.UntilDocumentExpiry().IsDocument() || entityprofile.UntilDocumentExpiry().IsNever() {
		t.Error("UntilDocumentExpiry() is not a document ageing")
	}
	if got := (entityprofile.Ageing{}).String(); got != "unset" {
		t.Errorf("zero Ageing String() = %q, want unset", got)
	}
}

func FuzzParseAgeing(f *testing.F) {
	for _, s := range []string{"never", "document", "365d", "720h", "-1d", "0", "1h30m", "9223372036854775807d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := entityprofile.ParseAgeing(s)
		if err != nil {
			return
		}
		if d, ok := a.Duration(); ok && d <= 0 {
			t.Fatalf("ParseAgeing(%q) accepted a duration of %v", s, d)
		}
		back, err := entityprofile.ParseAgeing(a.String())
		if err != nil || back != a {
			t.Fatalf("ParseAgeing(%q).String() = %q does not read back: %v, %v", s, a.String(), back, err)
		}
	})
}
