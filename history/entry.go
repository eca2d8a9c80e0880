package history

// Entry is one recorded change of a profile, as the history item of seed 003
// (section 3.2): the profile it belongs to (orig_id), the version the changes
// start from ("the version number immediately previous"), the changes, and who
// made them and when.
type Entry struct {
	ID string `json:"id"`
	// OrigID is the id of the profile the entry belongs to.
	OrigID string `json:"orig_id"`
	// CreatedAt is when the change was made, in milliseconds since the Unix
	// epoch.
	CreatedAt int64 `json:"created_at"`
	// CreatedBy is the user or application that made the change.
	CreatedBy string `json:"created_by"`
	// Version is the version the changes start from; applying them gives
	// version Version+1.
	Version int     `json:"version"`
	Changes Changes `json:"changes"`
	// Reason is an optional free-text reason or comment for the change.
	Reason string `json:"reason,omitempty"`
	// Config is the version of the tenant configuration the change was
	// made under, when the configuration is resolved per tenant, so that
	// an auditor can tell which rules applied; empty otherwise.
	Config string `json:"config,omitempty"`
}
