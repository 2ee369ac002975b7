package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// BucketWidth is the granularity of the volume tables: a report's counts are
// added to the one-minute bucket that contains the report's timestamp.
const BucketWidth = time.Minute

// Levels counts records per severity, on the policy's five severities.
type Levels struct {
	Debug, Info, Warning, Error, Critical int64
}

// PatternCount is one pattern's counts in one stats report.
type PatternCount struct {
	// Signature is the 16-hex-digit signature.
	Signature string
	// Template is the masked template (never raw log text).
	Template  string
	Count     int64
	Sampled   int64
	FirstSeen time.Time
	LastSeen  time.Time
	Levels    Levels
}

// Report is one stats report of one service instance. The counts are deltas:
// they are added to what is stored. Counts must be non-negative; a negative
// one is taken as zero.
type Report struct {
	Service string
	// Time is the report's timestamp; it picks the volume bucket.
	Time      time.Time
	TotalLogs int64
	Patterns  []PatternCount
}

// RecordResult says what [Store.RecordStats] stored.
type RecordResult struct {
	ServiceID int64
	// Stored is the number of patterns written; Overflow the number dropped
	// because the service is at its pattern cap.
	Stored, Overflow int
}

// RecordStats adds a report to the team's service (creating the service if
// needed) in one transaction: per-pattern totals, per-minute pattern volume
// and per-minute service volume.
//
// The statements are batched, so a report costs a fixed number of round
// trips whatever its size: the patterns and their volume are each written by
// one multi-row upsert (PostgreSQL: INSERT ... SELECT FROM unnest of array
// parameters; SQLite: multi-row VALUES, at most [batchRows] rows per
// statement). Patterns repeated within one report are summed first. The
// service row is written first and the pattern rows in signature order, so
// that concurrent reports on PostgreSQL take their row locks in the same
// order and cannot deadlock each other.
//
// New patterns are admitted in report order while the service is under its
// pattern cap; the others are counted in [RecordResult.Overflow] (and still
// in the service totals). The cap is checked per report, so concurrent
// reports on PostgreSQL can overshoot it by at most one report's new
// patterns.
func (s *Store) RecordStats(ctx context.Context, team int64, r Report) (RecordResult, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return RecordResult{}, fmt.Errorf("store: record stats: %w", err)
	}
	defer tx.Rollback()
	res, err := s.recordTx(ctx, tx, team, r)
	if err != nil {
		return res, err
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("store: record stats: commit: %w", err)
	}
	return res, nil
}

// TeamReport is one report of a [Store.RecordStatsBatch] batch.
type TeamReport struct {
	Team   int64
	Report Report
}

// BatchResult is the outcome of one report of a [Store.RecordStatsBatch]
// batch: what [Store.RecordStats] would have returned for it.
type BatchResult struct {
	RecordResult
	Err error
}

// RecordStatsBatch records several reports, each as [Store.RecordStats]
// does, in one transaction, so that a batch costs one commit (on SQLite
// one fsync of the WAL and one turn of the single writer) instead of one
// per report. It returns one result per report, in order; a report is
// stored when its Err is nil, and then it is committed when
// RecordStatsBatch returns.
//
// A report refused with [ErrLimit] (a new service beyond the team's cap)
// writes nothing and does not affect the others. When any other error
// occurs, or the commit fails, nothing of the batch is kept, and each
// report is recorded again in a transaction of its own (RecordStats), so
// that one failing report fails alone. The caller orders the reports; on
// PostgreSQL, batches that run concurrently should not share services (row
// locks are taken in report order).
func (s *Store) RecordStatsBatch(ctx context.Context, batch []TeamReport) []BatchResult {
	out := make([]BatchResult, len(batch))
	if s.recordBatch(ctx, batch, out) {
		return out
	}
	for i, r := range batch {
		res, err := s.RecordStats(ctx, r.Team, r.Report)
		out[i] = BatchResult{RecordResult: res, Err: err}
	}
	return out
}

// recordBatch records batch in one transaction, filling out, and reports
// whether it committed.
func (s *Store) recordBatch(ctx context.Context, batch []TeamReport, out []BatchResult) bool {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false
	}
	defer tx.Rollback()
	for i, r := range batch {
		res, err := s.recordTx(ctx, tx, r.Team, r.Report)
		if err != nil && !errors.Is(err, ErrLimit) {
			return false
		}
		out[i] = BatchResult{RecordResult: res, Err: err}
	}
	return tx.Commit() == nil
}

// recordTx is [Store.RecordStats] inside tx. It returns [ErrLimit] (wrapped)
// before writing anything.
func (s *Store) recordTx(ctx context.Context, tx *sql.Tx, team int64, r Report) (RecordResult, error) {
	var res RecordResult
	bucket := r.Time.Truncate(BucketWidth).UnixMilli()
	now := s.nowMillis()
	rows := mergeCounts(r.Patterns, bucket)
	var err error
	res.ServiceID, err = s.touchService(ctx, tx, team, r.Service, now)
	if err != nil {
		return res, fmt.Errorf("store: record stats: service: %w", err)
	}
	if s.maxPatterns > 0 && len(rows) > 0 {
		rows, res.Overflow, err = s.admit(ctx, tx, res.ServiceID, rows)
		if err != nil {
			return res, fmt.Errorf("store: record stats: %w", err)
		}
	}
	var kept int64
	for _, p := range r.Patterns {
		kept = SatAdd(kept, max(p.Sampled, 0))
	}
	slices.SortFunc(rows, func(a, b countRow) int { return strings.Compare(a.Signature, b.Signature) })
	if err := s.upsertPatterns(ctx, tx, res.ServiceID, rows); err != nil {
		return res, fmt.Errorf("store: record stats: patterns: %w", err)
	}
	if err := s.upsertVolume(ctx, tx, res.ServiceID, bucket, rows); err != nil {
		return res, fmt.Errorf("store: record stats: volume: %w", err)
	}
	res.Stored = len(rows)
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO service_volume (service_id, bucket, total, kept, reports) VALUES (?, ?, ?, ?, 1)
		ON CONFLICT (service_id, bucket) DO UPDATE SET
		total = `+satAddSQL("service_volume.total", "excluded.total")+`,
		kept = `+satAddSQL("service_volume.kept", "excluded.kept")+`,
		reports = `+satAddSQL("service_volume.reports", "1")), res.ServiceID, bucket, max(r.TotalLogs, 0), kept); err != nil {
		return res, fmt.Errorf("store: record stats: service volume: %w", err)
	}
	return res, nil
}

// MaxCount is the value at which stored counts saturate: a running total
// (per pattern, per pattern and minute, per service and minute) that would
// pass the largest int64 stays at it instead of overflowing, and so do the
// sums over buckets that [Store.Patterns] returns. Without saturation an
// overflowing total became a REAL in SQLite (unreadable as an integer from
// then on) and a failed write in PostgreSQL.
const MaxCount = math.MaxInt64

// SatAdd returns a+b for non-negative a and b, or [MaxCount] when the sum
// would pass it.
func SatAdd(a, b int64) int64 {
	if a > MaxCount-b {
		return MaxCount
	}
	return a + b
}

// satAddSQL returns the SQL expression of old+add saturating at
// [MaxCount], for non-negative operands; both backends evaluate the
// subtraction first, so no intermediate value overflows.
func satAddSQL(old, add string) string {
	const maxCount = "9223372036854775807"
	return "CASE WHEN " + old + " > " + maxCount + " - " + add + " THEN " + maxCount + " ELSE " + old + " + " + add + " END"
}

// sumSQL returns the SQL aggregate of the non-negative expression expr
// saturating at [MaxCount]. SQLite's SUM fails on integer overflow, so
// SQLite adds in floating point (TOTAL; exact while the sum is below 2^53)
// and the cast back to INTEGER saturates at the largest int64. PostgreSQL
// sums bigints exactly as numeric, capped with LEAST.
func (s *Store) sumSQL(expr string) string {
	if s.dialect == Postgres {
		return "LEAST(SUM(" + expr + "), 9223372036854775807)::bigint"
	}
	return "CAST(TOTAL(" + expr + ") AS INTEGER)"
}

// batchRows is the largest number of rows in one SQLite multi-row statement:
// 500 rows of 12 columns stay well under SQLite's 32 766 parameters.
const batchRows = 500

// countRow is one pattern of a report, merged and with its times resolved
// to milliseconds.
type countRow struct {
	PatternCount
	first, last int64
}

// mergeCounts sums the patterns of a report that share a signature, keeping
// the order of first occurrence (sums saturate at [MaxCount], negative
// counts are zero), and fills in missing times: a zero FirstSeen is the
// bucket start, a zero LastSeen is FirstSeen.
func mergeCounts(ps []PatternCount, bucket int64) []countRow {
	out := make([]countRow, 0, len(ps))
	var idx map[string]int
	if len(ps) > 1 {
		idx = make(map[string]int, len(ps))
	}
	for _, p := range ps {
		p.Count, p.Sampled = max(p.Count, 0), max(p.Sampled, 0)
		lv := &p.Levels
		lv.Debug, lv.Info, lv.Warning, lv.Error, lv.Critical = max(lv.Debug, 0), max(lv.Info, 0), max(lv.Warning, 0), max(lv.Error, 0), max(lv.Critical, 0)
		first, last := timeToMillis(p.FirstSeen), timeToMillis(p.LastSeen)
		if first == 0 {
			first = bucket
		}
		if last == 0 {
			last = first
		}
		if i, ok := idx[p.Signature]; ok {
			q := &out[i]
			q.Count = SatAdd(q.Count, p.Count)
			q.Sampled = SatAdd(q.Sampled, p.Sampled)
			q.Levels.Debug = SatAdd(q.Levels.Debug, p.Levels.Debug)
			q.Levels.Info = SatAdd(q.Levels.Info, p.Levels.Info)
			q.Levels.Warning = SatAdd(q.Levels.Warning, p.Levels.Warning)
			q.Levels.Error = SatAdd(q.Levels.Error, p.Levels.Error)
			q.Levels.Critical = SatAdd(q.Levels.Critical, p.Levels.Critical)
			q.first, q.last = min(q.first, first), max(q.last, last)
			continue
		}
		if idx != nil {
			idx[p.Signature] = len(out)
		}
		out = append(out, countRow{PatternCount: p, first: first, last: last})
	}
	return out
}

// admit applies the per-service pattern cap to rows: known patterns are
// kept, new ones are admitted in order while the service has room. It
// returns the admitted rows and the number dropped. The stored patterns are
// looked up only when the report could reach the cap.
func (s *Store) admit(ctx context.Context, tx *sql.Tx, serviceID int64, rows []countRow) ([]countRow, int, error) {
	var have int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM patterns WHERE service_id = ?`), serviceID).Scan(&have); err != nil {
		return nil, 0, err
	}
	if have+len(rows) <= s.maxPatterns {
		return rows, 0, nil
	}
	known, err := s.known(ctx, tx, serviceID, rows)
	if err != nil {
		return nil, 0, err
	}
	out := rows[:0]
	dropped := 0
	for _, p := range rows {
		if _, ok := known[p.Signature]; !ok {
			if have >= s.maxPatterns {
				dropped++
				continue
			}
			have++
		}
		out = append(out, p)
	}
	return out, dropped, nil
}

// known returns which signatures of rows the service has stored.
func (s *Store) known(ctx context.Context, tx *sql.Tx, serviceID int64, rows []countRow) (map[string]struct{}, error) {
	known := make(map[string]struct{}, len(rows))
	scan := func(q *sql.Rows, err error) error {
		if err != nil {
			return err
		}
		defer q.Close()
		for q.Next() {
			var sig string
			if err := q.Scan(&sig); err != nil {
				return err
			}
			known[sig] = struct{}{}
		}
		return q.Err()
	}
	if s.dialect == Postgres {
		sigs := make([]string, len(rows))
		for i, p := range rows {
			sigs[i] = p.Signature
		}
		return known, scan(tx.QueryContext(ctx, `SELECT signature FROM patterns WHERE service_id = $1 AND signature = ANY($2::text[])`, serviceID, sigs))
	}
	for chunk := range slices.Chunk(rows, batchRows) {
		args := make([]any, 0, len(chunk)+1)
		args = append(args, serviceID)
		for _, p := range chunk {
			args = append(args, p.Signature)
		}
		q := `SELECT signature FROM patterns WHERE service_id = ? AND signature IN (?` + strings.Repeat(`, ?`, len(chunk)-1) + `)`
		if err := scan(tx.QueryContext(ctx, q, args...)); err != nil {
			return nil, err
		}
	}
	return known, nil
}

// upsertPatterns adds rows to the service's per-pattern totals, saturating
// at [MaxCount]. The template of a known pattern is not changed.
func (s *Store) upsertPatterns(ctx context.Context, tx *sql.Tx, serviceID int64, rows []countRow) error {
	const cols = `(service_id, signature, template, first_seen, last_seen, count, sampled, n_debug, n_info, n_warning, n_error, n_critical)`
	conflict := ` ON CONFLICT (service_id, signature) DO UPDATE SET
		count = ` + satAddSQL("patterns.count", "excluded.count") + `, sampled = ` + satAddSQL("patterns.sampled", "excluded.sampled") + `,
		n_debug = ` + satAddSQL("patterns.n_debug", "excluded.n_debug") + `, n_info = ` + satAddSQL("patterns.n_info", "excluded.n_info") + `,
		n_warning = ` + satAddSQL("patterns.n_warning", "excluded.n_warning") + `, n_error = ` + satAddSQL("patterns.n_error", "excluded.n_error") + `,
		n_critical = ` + satAddSQL("patterns.n_critical", "excluded.n_critical") + `,
		first_seen = CASE WHEN excluded.first_seen < patterns.first_seen THEN excluded.first_seen ELSE patterns.first_seen END,
		last_seen = CASE WHEN excluded.last_seen > patterns.last_seen THEN excluded.last_seen ELSE patterns.last_seen END`
	if len(rows) == 0 {
		return nil
	}
	if s.dialect == Postgres {
		n := len(rows)
		sig, tpl := make([]string, n), make([]string, n)
		first, last, count, sampled := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
		dbg, info, warn, errs, crit := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
		for i, p := range rows {
			sig[i], tpl[i], first[i], last[i], count[i], sampled[i] = p.Signature, p.Template, p.first, p.last, p.Count, p.Sampled
			dbg[i], info[i], warn[i], errs[i], crit[i] = p.Levels.Debug, p.Levels.Info, p.Levels.Warning, p.Levels.Error, p.Levels.Critical
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO patterns `+cols+`
			SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[],
				$8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[])`+conflict,
			serviceID, sig, tpl, first, last, count, sampled, dbg, info, warn, errs, crit)
		return err
	}
	for chunk := range slices.Chunk(rows, batchRows) {
		args := make([]any, 0, 12*len(chunk))
		for _, p := range chunk {
			lv := p.Levels
			args = append(args, serviceID, p.Signature, p.Template, p.first, p.last, p.Count, p.Sampled,
				lv.Debug, lv.Info, lv.Warning, lv.Error, lv.Critical)
		}
		q := `INSERT INTO patterns ` + cols + ` VALUES ` + valuesList(len(chunk), 12) + conflict
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// upsertVolume adds rows to the service's per-minute pattern volume,
// saturating at [MaxCount].
func (s *Store) upsertVolume(ctx context.Context, tx *sql.Tx, serviceID, bucket int64, rows []countRow) error {
	conflict := ` ON CONFLICT (service_id, bucket, signature) DO UPDATE SET
		count = ` + satAddSQL("pattern_volume.count", "excluded.count") + `,
		sampled = ` + satAddSQL("pattern_volume.sampled", "excluded.sampled") + `,
		n_error = ` + satAddSQL("pattern_volume.n_error", "excluded.n_error")
	if len(rows) == 0 {
		return nil
	}
	if s.dialect == Postgres {
		n := len(rows)
		sig := make([]string, n)
		count, sampled, errs := make([]int64, n), make([]int64, n), make([]int64, n)
		for i, p := range rows {
			sig[i], count[i], sampled[i], errs[i] = p.Signature, p.Count, p.Sampled, SatAdd(p.Levels.Error, p.Levels.Critical)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO pattern_volume (service_id, bucket, signature, count, sampled, n_error)
			SELECT $1, $2, * FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::bigint[])`+conflict,
			serviceID, bucket, sig, count, sampled, errs)
		return err
	}
	for chunk := range slices.Chunk(rows, batchRows) {
		args := make([]any, 0, 6*len(chunk))
		for _, p := range chunk {
			args = append(args, serviceID, bucket, p.Signature, p.Count, p.Sampled, SatAdd(p.Levels.Error, p.Levels.Critical))
		}
		q := `INSERT INTO pattern_volume (service_id, bucket, signature, count, sampled, n_error) VALUES ` + valuesList(len(chunk), 6) + conflict
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// valuesList returns "(?, ..., ?), ..." for rows rows of cols placeholders.
func valuesList(rows, cols int) string {
	row := "(?" + strings.Repeat(", ?", cols-1) + ")"
	var b strings.Builder
	b.Grow(rows * (len(row) + 2))
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

// Pattern is a stored pattern with its all-time totals and its volume in
// the windows asked for by a [PatternQuery].
type Pattern struct {
	Signature string
	Template  string
	FirstSeen time.Time
	LastSeen  time.Time
	// Count and Sampled are all-time totals; Levels the all-time level mix.
	Count, Sampled int64
	Levels         Levels
	// WindowCount, WindowSampled and WindowErrors are the sums over the
	// buckets at or after PatternQuery.Since, saturating at [MaxCount].
	WindowCount, WindowSampled, WindowErrors int64
	// RecentCount is the sum over the buckets at or after
	// PatternQuery.RecentSince.
	RecentCount int64
}

// PatternQuery selects the windows and size of a [Store.Patterns] result.
type PatternQuery struct {
	Since       time.Time
	RecentSince time.Time
	// Limit caps the result; zero or negative means 1 000.
	Limit int
}

// Patterns lists a service's patterns ordered by window volume (largest
// first), then signature.
func (s *Store) Patterns(ctx context.Context, serviceID int64, pq PatternQuery) ([]Pattern, error) {
	if pq.Limit <= 0 {
		pq.Limit = 1000
	}
	rows, err := s.rdb.QueryContext(ctx, s.q(`SELECT p.signature, p.template, p.first_seen, p.last_seen, p.count, p.sampled,
		p.n_debug, p.n_info, p.n_warning, p.n_error, p.n_critical,
		COALESCE(v.c, 0), COALESCE(v.s, 0), COALESCE(v.e, 0), COALESCE(v.r, 0)
		FROM patterns p LEFT JOIN (
			SELECT signature, `+s.sumSQL("count")+` AS c, `+s.sumSQL("sampled")+` AS s, `+s.sumSQL("n_error")+` AS e,
				`+s.sumSQL("CASE WHEN bucket >= ? THEN count ELSE 0 END")+` AS r
			FROM pattern_volume WHERE service_id = ? AND bucket >= ? GROUP BY signature
		) v ON v.signature = p.signature
		WHERE p.service_id = ?
		ORDER BY COALESCE(v.c, 0) DESC, p.signature
		LIMIT ?`), timeToMillis(pq.RecentSince), serviceID, timeToMillis(pq.Since), serviceID, pq.Limit)
	if err != nil {
		return nil, fmt.Errorf("store: list patterns: %w", err)
	}
	defer rows.Close()
	out := []Pattern{}
	for rows.Next() {
		var p Pattern
		var first, last int64
		l := &p.Levels
		if err := rows.Scan(&p.Signature, &p.Template, &first, &last, &p.Count, &p.Sampled,
			&l.Debug, &l.Info, &l.Warning, &l.Error, &l.Critical,
			&p.WindowCount, &p.WindowSampled, &p.WindowErrors, &p.RecentCount); err != nil {
			return nil, fmt.Errorf("store: list patterns: %w", err)
		}
		p.FirstSeen, p.LastSeen = millisToTime(first), millisToTime(last)
		out = append(out, p)
	}
	return out, rows.Err()
}

// VolumePoint is a service's volume in one bucket.
type VolumePoint struct {
	Bucket  time.Time
	Total   int64
	Kept    int64
	Reports int64
}

// Volume returns a service's per-bucket volume at or after since, oldest
// first.
func (s *Store) Volume(ctx context.Context, serviceID int64, since time.Time) ([]VolumePoint, error) {
	rows, err := s.rdb.QueryContext(ctx, s.q(`SELECT bucket, total, kept, reports FROM service_volume WHERE service_id = ? AND bucket >= ? ORDER BY bucket`),
		serviceID, timeToMillis(since))
	if err != nil {
		return nil, fmt.Errorf("store: volume: %w", err)
	}
	defer rows.Close()
	out := []VolumePoint{}
	for rows.Next() {
		var v VolumePoint
		var b int64
		if err := rows.Scan(&b, &v.Total, &v.Kept, &v.Reports); err != nil {
			return nil, fmt.Errorf("store: volume: %w", err)
		}
		v.Bucket = millisToTime(b)
		out = append(out, v)
	}
	return out, rows.Err()
}

// Prune deletes the volume buckets older than before (all services) and
// returns the number of rows deleted.
func (s *Store) Prune(ctx context.Context, before time.Time) (int64, error) {
	var total int64
	for _, table := range []string{"pattern_volume", "service_volume"} {
		res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM `+table+` WHERE bucket < ?`), timeToMillis(before))
		if err != nil {
			return total, fmt.Errorf("store: prune %s: %w", table, err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}
