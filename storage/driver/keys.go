package driver

import (
	"unicode/utf8"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// SearchText returns the folded text a Query.Text filter is matched against:
// the folded name, tax payer id and external reference, separated by a
// newline (which Fold removes from the filter, so a match never spans two
// fields).
func SearchText(p *profile.Profile) string {
	return storage.Fold(p.Name) + "\n" + storage.Fold(p.TaxPayerID) + "\n" + storage.Fold(p.ExternalRef)
}

// MaxNameKeyBytes bounds NameKey. No real name comes near it; a longer one
// would make every cursor after it as long (cursors hold the key), and
// PostgreSQL refuses an index entry over 8 KB, so such a profile could not
// be stored there at all.
const MaxNameKeyBytes = 1024

// NameKey returns the key SortNameAsc and SortNameDesc order by: the
// folded name, cut to its first MaxNameKeyBytes bytes at a character
// boundary. Names that agree that far are ordered by id, as ties are.
func NameKey(p *profile.Profile) string {
	key := storage.Fold(p.Name)
	if len(key) <= MaxNameKeyBytes {
		return key
	}
	cut := MaxNameKeyBytes
	for cut > 0 && !utf8.RuneStart(key[cut]) {
		cut--
	}
	return key[:cut]
}
