package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Path returns the path of rel inside the shared folder that sits beside the
// module root (../shared from the directory holding go.mod). The test is
// skipped, with a message saying so, when the shared folder is absent.
func Path(t testing.TB, rel string) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Skipf("shared material not found: %v", err)
	}
	p := filepath.Join(root, "..", "shared", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared material not found (../shared/%s): %v", rel, err)
	}
	return p
}

// Read returns the content of rel inside the shared folder, skipping the test
// when it is absent.
func Read(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(Path(t, rel))
	if err != nil {
		t.Fatalf("read ../shared/%s: %v", rel, err)
	}
	return b
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
