package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// where builds a WHERE clause and its arguments with $n placeholders, which
// both SQLite and PostgreSQL accept.
type where struct {
	conds []string
	args  []any
}

func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

func (w *where) add(cond string) { w.conds = append(w.conds, cond) }

func (w *where) in(col string, vals []string) {
	if len(vals) == 0 {
		return
	}
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = w.arg(v)
	}
	w.add(col + " IN (" + strings.Join(ph, ", ") + ")")
}

func (w *where) sql() string { return " WHERE " + strings.Join(w.conds, " AND ") }

// filter turns the query's filters into conditions on profiles p.
func filter(tenant string, q storage.Query) *where {
	w := &where{}
	w.add("p.tenant = " + w.arg(tenant))
	w.in("p.state", q.States)
	w.in("p.risk", q.Risks)
	if q.PersonType != "" {
		w.add("p.person_type = " + w.arg(string(q.PersonType)))
	}
	if q.Label != "" {
		w.add("EXISTS (SELECT 1 FROM profile_labels l WHERE l.tenant = p.tenant AND l.profile_id = p.id AND l.label = " + w.arg(q.Label) + ")")
	}
	if q.ExternalRef != "" {
		w.add("p.external_ref" + " = " + w.arg(q.ExternalRef))
	}
	if q.TaxPayerID != "" {
		w.add("p.tax_payer_id" + " = " + w.arg(q.TaxPayerID))
	}
	between(w, "p.created_at", q.CreatedFrom, q.CreatedUntil)
	between(w, "p.modified_at", q.ModifiedFrom, q.ModifiedUntil)
	if q.DueBy != 0 {
		w.add("p.due_at <= " + w.arg(int64(q.DueBy)))
	}
	if q.Text != "" {
		w.add(`p.search LIKE ` + w.arg("%"+escapeLike(q.Text)+"%") + ` ESCAPE '\'`)
	}
	return w
}

func between(w *where, col string, from, until profile.Timestamp) {
	if from != 0 {
		w.add(col + " >= " + w.arg(int64(from)))
	}
	if until != 0 {
		w.add(col + " < " + w.arg(int64(until)))
	}
}

// escapeLike makes %, _ and \ literal in a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// sortColumn returns the column a sort orders by.
func sortColumn(s storage.Sort) string {
	switch s.Field() {
	case "name":
		return "p.name_key"
	case "created_at":
		return "p.created_at"
	case "due":
		return "p.due_at"
	}
	return "p.modified_at"
}

// ListProfiles implements storage.Store. The count and the page are two
// statements; under concurrent writes the total may differ by the rows
// written in between, but a cursor walk never skips or repeats a row.
func (s *Store) ListProfiles(ctx context.Context, tenant string, q storage.Query) (*storage.Page, error) {
	const op = "list profiles"
	req, err := driver.PrepareList(s.cursorKey(), tenant, q)
	if err != nil {
		return nil, err
	}
	if err := s.begin(ctx); err != nil {
		return nil, s.fail(op, "", err)
	}
	if req.MatchesNothing {
		return &storage.Page{PageInfo: driver.NewPageInfo(req.Query.Size, req.Query.Number, 0), Profiles: []*profile.Profile{}}, nil
	}
	pg, err := s.list(ctx, tenant, req)
	return pg, s.fail(op, "", err)
}

// cursorKey returns the key that seals s's cursors (Options.CursorKey).
func (s *Store) cursorKey() *storage.CursorKey { return s.cursors }

func (s *Store) list(ctx context.Context, tenant string, req driver.ListRequest) (*storage.Page, error) {
	q, cur := req.Query, req.Cursor
	w := filter(tenant, q)
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM profiles p"+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, err
	}
	col, dir, cmp := sortColumn(q.Sort), " ASC", " > "
	if q.Sort.Desc() {
		dir, cmp = " DESC", " < "
	}
	number, offset := q.Number, q.Number*q.Size // bounded by PrepareList
	if cur != nil {
		number, offset = cur.Number, 0
		var key any = cur.Int
		if q.Sort.Field() == "name" {
			key = cur.Str
		}
		w.add("(" + col + ", p.id)" + cmp + "(" + w.arg(key) + ", " + w.arg(cur.ID) + ")")
	}
	query := "SELECT p.id, p.name_key, p.created_at, p.modified_at, p.due_at, p.due_reasons, p.data FROM profiles p" + w.sql() +
		" ORDER BY " + col + dir + ", p.id" + dir +
		" LIMIT " + w.arg(q.Size+1) + " OFFSET " + w.arg(offset)
	rows, err := s.db.QueryContext(ctx, query, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	pg := &storage.Page{PageInfo: driver.NewPageInfo(q.Size, number, total), Profiles: []*profile.Profile{}, Due: []storage.Due{}}
	var last driver.Cursor
	for rows.Next() {
		if len(pg.Due) == q.Size {
			pg.NextCursor = req.NextCursor(last)
			break
		}
		p, due, c, err := scanListed(rows, q)
		if err != nil {
			return nil, err
		}
		if p != nil {
			pg.Profiles = append(pg.Profiles, p)
		}
		pg.Due = append(pg.Due, due)
		last = c
		last.Number = number + 1
	}
	return pg, rows.Err()
}

// scanListed reads one listed row (its profile nil for q.OnlyDue) and
// the cursor position after it: its id and the value of the sorted column.
func scanListed(rows *sql.Rows, q storage.Query) (*profile.Profile, storage.Due, driver.Cursor, error) {
	var (
		c                      driver.Cursor
		nameKey                string
		created, modified, due int64
		reasons, data          []byte
	)
	if err := rows.Scan(&c.ID, &nameKey, &created, &modified, &due, &reasons, &data); err != nil {
		return nil, storage.Due{}, c, err
	}
	switch q.Sort.Field() {
	case "name":
		c.Str = nameKey
	case "created_at":
		c.Int = created
	case "due":
		c.Int = due
	default:
		c.Int = modified
	}
	d := storage.Due{ID: c.ID, At: storage.DueOf(due), Reasons: reasons}
	if q.OnlyDue {
		return nil, d, c, nil
	}
	p, err := driver.DecodeProfile(data)
	return p, d, c, err
}

// History implements storage.Store.
func (s *Store) History(ctx context.Context, tenant, id string, q storage.HistoryQuery) (*storage.HistoryPage, error) {
	const op = "history"
	req, err := driver.PrepareHistory(s.cursorKey(), tenant, id, q)
	if err != nil {
		return nil, err
	}
	if err := s.begin(ctx); err != nil {
		return nil, s.fail(op, id, err)
	}
	pg, err := s.history(ctx, tenant, id, req)
	return pg, s.fail(op, id, err)
}

func (s *Store) history(ctx context.Context, tenant, id string, req driver.HistoryRequest) (*storage.HistoryPage, error) {
	q, cur := req.Query, req.Cursor
	var known, total int
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM profiles WHERE tenant = $1 AND id = $2) + (SELECT COUNT(*) FROM tombstones WHERE tenant = $1 AND id = $2),
		(SELECT COUNT(*) FROM history WHERE tenant = $1 AND profile_id = $2)`, tenant, id).Scan(&known, &total)
	if err != nil {
		return nil, err
	}
	if known == 0 {
		return nil, storage.ErrNotFound
	}
	w := &where{}
	w.add("tenant = " + w.arg(tenant))
	w.add("profile_id = " + w.arg(id))
	dir, cmp := " ASC", " > "
	if q.NewestFirst {
		dir, cmp = " DESC", " < "
	}
	number, offset := q.Number, q.Number*q.Size // bounded by PrepareHistory
	if cur != nil {
		number, offset = cur.Number, 0
		w.add("version" + cmp + w.arg(cur.Int))
	}
	rows, err := s.db.QueryContext(ctx, "SELECT data FROM history"+w.sql()+" ORDER BY version"+dir+
		" LIMIT "+w.arg(q.Size+1)+" OFFSET "+w.arg(offset), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	pg := &storage.HistoryPage{PageInfo: driver.NewPageInfo(q.Size, number, total), Entries: []history.Entry{}}
	for rows.Next() {
		if len(pg.Entries) == q.Size {
			last := pg.Entries[len(pg.Entries)-1]
			pg.NextCursor = req.NextCursor(driver.Cursor{Int: int64(last.Version), ID: last.ID, Number: number + 1})
			break
		}
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		e, err := driver.DecodeEntry(data)
		if err != nil {
			return nil, err
		}
		pg.Entries = append(pg.Entries, e)
	}
	return pg, rows.Err()
}
