package riskmatrix

import "slices"

// The enums of a matrix and of an assessment (Kind, Status) are small
// integers that read as their names, in a table indexed by value whose
// entry 0, the zero value, is "" and never a valid name.

// nameOf returns the name of v, "" for an invalid value.
func nameOf[T ~uint8](names []string, v T) string {
	if int(v) >= len(names) {
		return ""
	}
	return names[v]
}

// marshalName encodes v as its name; the zero value and a value past the
// table are ErrUnknownName.
func marshalName[T ~uint8](names []string, v T) ([]byte, error) {
	if v == 0 || int(v) >= len(names) {
		return nil, ErrUnknownName
	}
	return []byte(names[v]), nil
}

// parseName returns the value of a name, and false for an unknown one
// (and for "").
func parseName[T ~uint8](names []string, name string) (T, bool) {
	i := slices.Index(names, name)
	return T(max(i, 0)), i > 0
}

// unmarshalName decodes a name into *v.
func unmarshalName[T ~uint8](names []string, b []byte, v *T) error {
	x, ok := parseName[T](names, string(b))
	if !ok {
		return ErrUnknownName
	}
	*v = x
	return nil
}
