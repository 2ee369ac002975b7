package store

import (
	"context"
	"fmt"
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
// they are added to what is stored.
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
// The per-service pattern cap is checked per report, so concurrent reports
// on PostgreSQL can overshoot it by at most one report's new patterns.
func (s *Store) RecordStats(ctx context.Context, team int64, r Report) (RecordResult, error) {
	var res RecordResult
	bucket := r.Time.Truncate(BucketWidth).UnixMilli()
	now := s.nowMillis()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("store: record stats: %w", err)
	}
	defer tx.Rollback()
	res.ServiceID, err = s.ensureService(ctx, tx, team, r.Service)
	if err != nil {
		return res, fmt.Errorf("store: record stats: service: %w", err)
	}
	var have int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM patterns WHERE service_id = ?`), res.ServiceID).Scan(&have); err != nil {
		return res, fmt.Errorf("store: record stats: %w", err)
	}
	upd, err := tx.PrepareContext(ctx, s.q(`UPDATE patterns SET
		count = count + ?, sampled = sampled + ?,
		n_debug = n_debug + ?, n_info = n_info + ?, n_warning = n_warning + ?, n_error = n_error + ?, n_critical = n_critical + ?,
		first_seen = CASE WHEN ? < first_seen THEN ? ELSE first_seen END,
		last_seen = CASE WHEN ? > last_seen THEN ? ELSE last_seen END
		WHERE service_id = ? AND signature = ?`))
	if err != nil {
		return res, fmt.Errorf("store: record stats: %w", err)
	}
	defer upd.Close()
	ins, err := tx.PrepareContext(ctx, s.q(`INSERT INTO patterns
		(service_id, signature, template, first_seen, last_seen, count, sampled, n_debug, n_info, n_warning, n_error, n_critical)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`))
	if err != nil {
		return res, fmt.Errorf("store: record stats: %w", err)
	}
	defer ins.Close()
	vol, err := tx.PrepareContext(ctx, s.q(`INSERT INTO pattern_volume (service_id, bucket, signature, count, sampled, n_error)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (service_id, bucket, signature) DO UPDATE SET
		count = pattern_volume.count + excluded.count,
		sampled = pattern_volume.sampled + excluded.sampled,
		n_error = pattern_volume.n_error + excluded.n_error`))
	if err != nil {
		return res, fmt.Errorf("store: record stats: %w", err)
	}
	defer vol.Close()
	var kept int64
	for _, p := range r.Patterns {
		kept += p.Sampled
		first, last := timeToMillis(p.FirstSeen), timeToMillis(p.LastSeen)
		if first == 0 {
			first = bucket
		}
		if last == 0 {
			last = first
		}
		lv := p.Levels
		errs := lv.Error + lv.Critical
		u, err := upd.ExecContext(ctx, p.Count, p.Sampled, lv.Debug, lv.Info, lv.Warning, lv.Error, lv.Critical,
			first, first, last, last, res.ServiceID, p.Signature)
		if err != nil {
			return res, fmt.Errorf("store: record stats: pattern %s: %w", p.Signature, err)
		}
		if n, _ := u.RowsAffected(); n == 0 {
			if s.maxPatterns > 0 && have >= s.maxPatterns {
				res.Overflow++
				continue
			}
			if _, err := ins.ExecContext(ctx, res.ServiceID, p.Signature, p.Template, first, last, p.Count, p.Sampled,
				lv.Debug, lv.Info, lv.Warning, lv.Error, lv.Critical); err != nil {
				return res, fmt.Errorf("store: record stats: pattern %s: %w", p.Signature, err)
			}
			have++
		}
		if _, err := vol.ExecContext(ctx, res.ServiceID, bucket, p.Signature, p.Count, p.Sampled, errs); err != nil {
			return res, fmt.Errorf("store: record stats: volume %s: %w", p.Signature, err)
		}
		res.Stored++
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO service_volume (service_id, bucket, total, kept, reports) VALUES (?, ?, ?, ?, 1)
		ON CONFLICT (service_id, bucket) DO UPDATE SET
		total = service_volume.total + excluded.total,
		kept = service_volume.kept + excluded.kept,
		reports = service_volume.reports + 1`), res.ServiceID, bucket, r.TotalLogs, kept); err != nil {
		return res, fmt.Errorf("store: record stats: service volume: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE services SET stats_at = ? WHERE id = ?`), now, res.ServiceID); err != nil {
		return res, fmt.Errorf("store: record stats: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("store: record stats: commit: %w", err)
	}
	return res, nil
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
	// buckets at or after PatternQuery.Since.
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
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT p.signature, p.template, p.first_seen, p.last_seen, p.count, p.sampled,
		p.n_debug, p.n_info, p.n_warning, p.n_error, p.n_critical,
		COALESCE(v.c, 0), COALESCE(v.s, 0), COALESCE(v.e, 0), COALESCE(v.r, 0)
		FROM patterns p LEFT JOIN (
			SELECT signature, SUM(count) AS c, SUM(sampled) AS s, SUM(n_error) AS e,
				SUM(CASE WHEN bucket >= ? THEN count ELSE 0 END) AS r
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
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT bucket, total, kept, reports FROM service_volume WHERE service_id = ? AND bucket >= ? ORDER BY bucket`),
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
