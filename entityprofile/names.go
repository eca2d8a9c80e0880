package entityprofile

import "slices"

// The JSON of a Plan, an Evaluation and a Due names its enums, as the
// assessments of riskmatrix do, so that an audit record or an API response
// reads "not_run" rather than 1 and stays readable if the constants are
// ever renumbered. The zero value, which a result returned with an error
// holds, encodes as "".

var (
	reasonNames  = []string{"", "not_run", "expired", "stale"}
	statusNames  = []string{"", "incomplete", "passed", "failed"}
	dueKindNames = []string{"", "result_expiring", "document_expiring", "pending_reverification"}
)

// The texts of String, for people, where they differ from the names.
var (
	reasonTexts  = []string{"", "not run", "expired", "stale"}
	dueKindTexts = []string{"", "result expiring", "document expiring", "pending re-verification"}
)

// textOf returns the text of v, "unknown" for the zero value and any
// value past the table.
func textOf[T ~uint8](texts []string, v T) string {
	if v == 0 || int(v) >= len(texts) {
		return "unknown"
	}
	return texts[v]
}

func marshalName[T ~uint8](names []string, v T) ([]byte, error) {
	if int(v) >= len(names) {
		return nil, ErrUnknownName
	}
	return []byte(names[v]), nil
}

func unmarshalName[T ~uint8](names []string, b []byte, v *T) error {
	i := slices.Index(names, string(b))
	if i < 0 {
		return ErrUnknownName
	}
	*v = T(i)
	return nil
}

// MarshalText encodes the reason as its name: "not_run", "expired" or
// "stale".
func (r Reason) MarshalText() ([]byte, error) { return marshalName(reasonNames, r) }

// UnmarshalText decodes a reason's name.
func (r *Reason) UnmarshalText(b []byte) error { return unmarshalName(reasonNames, b, r) }

// MarshalText encodes the status as its name: "incomplete", "passed" or
// "failed".
func (s Status) MarshalText() ([]byte, error) { return marshalName(statusNames, s) }

// UnmarshalText decodes a status's name.
func (s *Status) UnmarshalText(b []byte) error { return unmarshalName(statusNames, b, s) }

// MarshalText encodes the kind as its name: "result_expiring",
// "document_expiring" or "pending_reverification".
func (k DueKind) MarshalText() ([]byte, error) { return marshalName(dueKindNames, k) }

// UnmarshalText decodes a kind's name.
func (k *DueKind) UnmarshalText(b []byte) error { return unmarshalName(dueKindNames, b, k) }

// MarshalText encodes the ageing in the form ParseAgeing reads ("never",
// "document", "365d"); without it a Plan's steps would encode their ageing
// as an empty object. The unset Ageing encodes as "".
func (a Ageing) MarshalText() ([]byte, error) {
	if a.kind == ageingUnset {
		return []byte{}, nil
	}
	return []byte(a.String()), nil
}

// UnmarshalText decodes what MarshalText writes, with ParseAgeing.
func (a *Ageing) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*a = Ageing{}
		return nil
	}
	v, err := ParseAgeing(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}
