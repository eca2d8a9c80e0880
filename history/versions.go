package history

import (
	"slices"
)

// Rebuild returns the document as it was at version, from current, the
// document at currentVersion, by reverting the entries from the newest down:
// the entry of version currentVersion-1 first, then the one before, down to
// the entry of version. Each entry's Version is the version its changes
// start from (seed 003 section 3.2), so the entries needed are those with
// Version in [version, currentVersion). They may come in any order (storage
// usually lists them newest first); Rebuild sorts them by Version. A version
// that no chain of entries reaches (out of range, an entry missing or two
// for the same version) is an error wrapping ErrVersionNotFound; an entry
// that does not apply is a *VersionError wrapping the *PatchError.
//
// As with Revert, current is never modified and the result shares what did
// not change with it.
func Rebuild(current any, currentVersion int, entries []Entry, version int) (any, error) {
	if version == currentVersion {
		return current, nil
	}
	chain, err := chainOf(entries, version, currentVersion)
	if err != nil {
		return nil, err
	}
	var p patcher
	doc := current
	for i := len(chain) - 1; i >= 0; i-- {
		if doc, err = p.revert(chain[i].Changes, doc); err != nil {
			return nil, &VersionError{Version: chain[i].Version, Err: err}
		}
	}
	return doc, nil
}

// Replay returns the document at version by applying the entries forward to
// initial. initial is the document at the version the oldest entry starts
// from (version 1, the first version of a profile, for a full history; 1
// too when there are no entries). Entries may come in any order; errors are
// as for Rebuild.
func Replay(initial any, entries []Entry, version int) (any, error) {
	start := 1
	if len(entries) > 0 {
		start = slices.MinFunc(entries, func(x, y Entry) int { return x.Version - y.Version }).Version
	}
	if version == start {
		return initial, nil
	}
	chain, err := chainOf(entries, start, version)
	if err != nil {
		return nil, err
	}
	var p patcher
	doc := initial
	for _, e := range chain {
		if doc, err = p.patch(e.Changes, doc); err != nil {
			return nil, &VersionError{Version: e.Version, Err: err}
		}
	}
	return doc, nil
}

// chainOf returns the entries leading from version from to version to, one
// per version, oldest first.
func chainOf(entries []Entry, from, to int) ([]*Entry, error) {
	// One entry per version: fewer entries than versions cannot reach.
	if from < 1 || from > to || to-from > len(entries) {
		return nil, &VersionError{Version: from, Err: ErrVersionNotFound}
	}
	chain := make([]*Entry, to-from)
	for i := range entries {
		v := entries[i].Version
		if v < from || v >= to {
			continue
		}
		if chain[v-from] != nil {
			return nil, &VersionError{Version: v, Err: ErrVersionNotFound}
		}
		chain[v-from] = &entries[i]
	}
	if i := slices.Index(chain, nil); i >= 0 {
		return nil, &VersionError{Version: from + i, Err: ErrVersionNotFound}
	}
	return chain, nil
}
