package interop

// Options tune an import. The zero value is lenient: what the profile
// cannot hold is returned as Unmapped.
type Options struct {
	// Strict makes an import fail with an *UnmappedError when anything of
	// the input cannot be mapped.
	Strict bool
}

// Unmapped is a part of the input that the profile cannot hold (on import,
// Path is its JSON path in the input: "entity.addresses[0].suburb"), or a
// field of the profile the shape cannot hold (on export, Path is the
// profile's JSON path: "tax_payer_id").
type Unmapped struct {
	Path   string
	Reason string
}

// String returns "path: reason".
func (u Unmapped) String() string { return u.Path + ": " + u.Reason }

// Reasons given in Unmapped.
const (
	reasonUnknownKey   = "no field of the profile holds it"
	reasonDuplicateKey = "key already given earlier in the list"
	reasonNoKey        = "element has no kvpKey"
	reasonNull         = "null element"
	reasonLegalPerson  = "a legal person has no such field"
	reasonNaturalOnly  = "a natural person has no such field"
	reasonTypeMismatch = "disagrees with identity.type"
	reasonNameMismatch = "disagrees with the legal name"
	reasonNotExported  = "the shape has no field for it"
)

// finish applies the strict option.
func finish[T any](v T, unmapped []Unmapped, opts Options) (T, []Unmapped, error) {
	if opts.Strict && len(unmapped) > 0 {
		var zero T
		return zero, nil, &UnmappedError{Unmapped: unmapped}
	}
	return v, unmapped, nil
}
