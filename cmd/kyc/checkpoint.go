package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/go-json-experiment/json"
)

// checkpoint is how far an import has gone through its input, kept in a
// side file so that an interrupted import resumes where it stopped. It
// is an optimisation, not what makes a re-run safe: every record is
// imported under an id that does not change from run to run (its own, or
// one derived from its position and bytes, see recordID), and a record
// whose id is already stored is skipped. So a crash between a commit and
// the next checkpoint re-reads a few records and skips them; none is
// stored twice, none is lost.
type checkpoint struct {
	// Shape and Tenant must match on resume: another shape or tenant is
	// another import.
	Shape  string `json:"shape"`
	Tenant string `json:"tenant"`
	// Records is the number of records fully handled (stored, skipped or
	// refused); Offset is the byte offset of the input just after the
	// last of them, checked on resume to catch an input that changed.
	Records int64 `json:"records"`
	Offset  int64 `json:"offset"`
	// Last is the SHA-256 of the bytes of the last record handled, also
	// checked on resume: with Offset, it catches records that were
	// reordered or edited in place.
	Last string `json:"last,omitempty"`
	// Counts so far, so that the final summary covers every run.
	Imported int64 `json:"imported"`
	Skipped  int64 `json:"skipped"`
	Refused  int64 `json:"refused"`
}

// loadCheckpoint reads the checkpoint at path; none there is a zero one.
func loadCheckpoint(path string) (checkpoint, bool, error) {
	var c checkpoint
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, false, nil
	}
	if err != nil {
		return c, false, &inputError{name: "--checkpoint", err: fsReason(err)}
	}
	if err := json.Unmarshal(data, &c); err != nil || c.Records < 0 || c.Offset < 0 {
		return c, false, &inputError{name: "--checkpoint", err: fmt.Errorf("%s is not an import checkpoint; remove it to start over", path)}
	}
	return c, true, nil
}

// save writes the checkpoint atomically: to a temporary file renamed over
// the old one, so that a crash leaves the old checkpoint or the new one.
func (c checkpoint) save(path string) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return fsReason(err)
	}
	defer os.Remove(tmp.Name()) // what a failure leaves; nothing is left after the rename
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return fsReason(err)
}

// recordHash is the Last of a checkpoint whose last record is data.
func recordHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
