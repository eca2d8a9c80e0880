package reliability

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
)

func ExampleRegister() {
	d, err := Register("faultdriver-example-sqlite", &sqlite.Driver{})
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "faultdriver")
	defer os.RemoveAll(dir)
	db, _ := sql.Open("faultdriver-example-sqlite", "file:"+filepath.Join(dir, "x.db"))
	defer db.Close()

	// Fail the second exec: the table is created, the insert is not.
	d.Arm(Plan{FailAt: 2, Ops: []Op{OpExec}})
	_, err = db.Exec(`CREATE TABLE t (x INTEGER)`)
	fmt.Println("create:", err)
	_, err = db.Exec(`INSERT INTO t VALUES (1)`)
	fmt.Println("insert:", err, errors.Is(err, ErrInjected))
	d.Disarm()

	var n int
	db.QueryRow(`SELECT COUNT(*) FROM t`).Scan(&n)
	fmt.Println("rows:", n)
	// Output:
	// create: <nil>
	// insert: faultdriver: injected failure at call 2 (exec) true
	// rows: 0
}
