package store

import (
	"context"
	"fmt"
	"time"
)

// Anomaly is a pattern flagged by the generator run (a rate spike, an error
// surge or a new pattern).
type Anomaly struct {
	Signature  string
	Template   string
	Kind       string
	Value      float64
	Baseline   float64
	DetectedAt time.Time
}

// AddAnomalies stores anomalies for a service.
func (s *Store) AddAnomalies(ctx context.Context, serviceID int64, as []Anomaly) error {
	if len(as) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: add anomalies: %w", err)
	}
	defer tx.Rollback()
	for _, a := range as {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO anomalies (service_id, signature, template, kind, value, baseline, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			serviceID, a.Signature, a.Template, a.Kind, a.Value, a.Baseline, timeToMillis(a.DetectedAt)); err != nil {
			return fmt.Errorf("store: add anomalies: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: add anomalies: %w", err)
	}
	return nil
}

// Anomalies returns up to limit of a service's anomalies, newest first.
// Zero or negative limit means 100.
func (s *Store) Anomalies(ctx context.Context, serviceID int64, limit int) ([]Anomaly, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.rdb.QueryContext(ctx, s.q(`SELECT signature, template, kind, value, baseline, detected_at FROM anomalies WHERE service_id = ? ORDER BY detected_at DESC, id DESC LIMIT ?`), serviceID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: anomalies: %w", err)
	}
	defer rows.Close()
	out := []Anomaly{}
	for rows.Next() {
		var a Anomaly
		var at int64
		if err := rows.Scan(&a.Signature, &a.Template, &a.Kind, &a.Value, &a.Baseline, &at); err != nil {
			return nil, fmt.Errorf("store: anomalies: %w", err)
		}
		a.DetectedAt = millisToTime(at)
		out = append(out, a)
	}
	return out, rows.Err()
}
