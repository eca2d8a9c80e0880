package pgtest

import "testing"

// Run is Main without the exit: it runs the tests, stops the server and
// returns the exit code, for a TestMain that has its own cleanup to do
// after the tests (Main's os.Exit would skip it).
func Run(m *testing.M) int {
	mainRan.Store(true)
	code := m.Run()
	if srv != nil {
		srv.stop()
	}
	return code
}
