package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Service is one service of a team. Names are unique within a team.
type Service struct {
	ID          int64
	TeamID      int64
	Name        string
	Description string
	// TargetKeep is the kept fraction the generator aims at, in (0, 1];
	// zero means the server default.
	TargetKeep float64
	// TargetPerSecond is the kept records per second the generator aims at;
	// zero means "use TargetKeep".
	TargetPerSecond float64
	CreatedAt       time.Time
	// StatsAt is when the last stats report arrived (zero if none).
	StatsAt time.Time
}

const serviceCols = `id, team_id, name, description, target_keep, target_per_second, created_at, stats_at`

func scanService(sc interface{ Scan(...any) error }) (Service, error) {
	var v Service
	var created, stats int64
	err := sc.Scan(&v.ID, &v.TeamID, &v.Name, &v.Description, &v.TargetKeep, &v.TargetPerSecond, &created, &stats)
	v.CreatedAt, v.StatsAt = millisToTime(created), millisToTime(stats)
	return v, err
}

// CreateService stores a new service for v.TeamID and returns it with its ID
// and creation time set. It returns [ErrExists] when the team already has a
// service of that name and [ErrLimit] when the team has
// [Options.MaxServicesPerTeam] services.
func (s *Store) CreateService(ctx context.Context, v Service) (Service, error) {
	v.CreatedAt = millisToTime(s.nowMillis())
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Service{}, fmt.Errorf("store: create service: %w", err)
	}
	defer tx.Rollback()
	if err := s.checkServiceCap(ctx, tx, v.TeamID); err != nil {
		return Service{}, fmt.Errorf("store: create service: %w", err)
	}
	err = tx.QueryRowContext(ctx, s.q(`INSERT INTO services (team_id, name, description, target_keep, target_per_second, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
		v.TeamID, v.Name, v.Description, v.TargetKeep, v.TargetPerSecond, timeToMillis(v.CreatedAt)).Scan(&v.ID)
	if isUniqueViolation(err) {
		return Service{}, ErrExists
	}
	if err != nil {
		return Service{}, fmt.Errorf("store: create service: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Service{}, fmt.Errorf("store: create service: %w", err)
	}
	return v, nil
}

// checkServiceCap returns [ErrLimit] when team has MaxServicesPerTeam
// services. It counts inside the caller's transaction: on SQLite (one
// writer) the cap is exact; on PostgreSQL concurrent creations in one team
// can overshoot it by at most the number of creations racing.
func (s *Store) checkServiceCap(ctx context.Context, tx *sql.Tx, team int64) error {
	if s.maxServices <= 0 {
		return nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM services WHERE team_id = ?`), team).Scan(&n); err != nil {
		return err
	}
	if n >= s.maxServices {
		return ErrLimit
	}
	return nil
}

// UpdateServiceTargets sets the generator targets of a team's service.
func (s *Store) UpdateServiceTargets(ctx context.Context, team int64, name string, keep, perSecond float64) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE services SET target_keep = ?, target_per_second = ? WHERE team_id = ? AND name = ?`), keep, perSecond, team, name)
	if err != nil {
		return fmt.Errorf("store: update service: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// UpdateService replaces the settings of the team's service v.Name with
// those of v: description, target keep and target per second. It returns
// [ErrNotFound] when the team has no such service.
func (s *Store) UpdateService(ctx context.Context, v Service) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE services SET description = ?, target_keep = ?, target_per_second = ? WHERE team_id = ? AND name = ?`),
		v.Description, v.TargetKeep, v.TargetPerSecond, v.TeamID, v.Name)
	if err != nil {
		return fmt.Errorf("store: update service: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Service returns the team's service called name, or [ErrNotFound].
func (s *Store) Service(ctx context.Context, team int64, name string) (Service, error) {
	v, err := scanService(s.rdb.QueryRowContext(ctx, s.q(`SELECT `+serviceCols+` FROM services WHERE team_id = ? AND name = ?`), team, name))
	if errors.Is(err, sql.ErrNoRows) {
		return Service{}, ErrNotFound
	}
	if err != nil {
		return Service{}, fmt.Errorf("store: get service: %w", err)
	}
	return v, nil
}

// Services lists the team's services ordered by name.
func (s *Store) Services(ctx context.Context, team int64) ([]Service, error) {
	return s.services(ctx, s.q(`SELECT `+serviceCols+` FROM services WHERE team_id = ? ORDER BY name`), team)
}

// ServiceSummary is a service with its volume over a window.
type ServiceSummary struct {
	Service
	// Total and Kept are the service's records and kept records in the
	// volume buckets at or after the window start.
	Total, Kept int64
}

// ServiceSummaries lists the team's services ordered by name, each with
// its volume since since, in one query whatever the number of services
// (the dashboard's service table).
func (s *Store) ServiceSummaries(ctx context.Context, team int64, since time.Time) ([]ServiceSummary, error) {
	rows, err := s.rdb.QueryContext(ctx, s.q(`SELECT s.id, s.team_id, s.name, s.description, s.target_keep, s.target_per_second, s.created_at, s.stats_at,
		COALESCE(v.t, 0), COALESCE(v.k, 0)
		FROM services s LEFT JOIN (
			SELECT service_id, `+s.sumSQL("total")+` AS t, `+s.sumSQL("kept")+` AS k FROM service_volume
			WHERE bucket >= ? AND service_id IN (SELECT id FROM services WHERE team_id = ?)
			GROUP BY service_id
		) v ON v.service_id = s.id
		WHERE s.team_id = ? ORDER BY s.name`), timeToMillis(since), team, team)
	if err != nil {
		return nil, fmt.Errorf("store: service summaries: %w", err)
	}
	defer rows.Close()
	out := []ServiceSummary{}
	for rows.Next() {
		var v ServiceSummary
		var created, stats int64
		if err := rows.Scan(&v.ID, &v.TeamID, &v.Name, &v.Description, &v.TargetKeep, &v.TargetPerSecond, &created, &stats, &v.Total, &v.Kept); err != nil {
			return nil, fmt.Errorf("store: service summaries: %w", err)
		}
		v.CreatedAt, v.StatsAt = millisToTime(created), millisToTime(stats)
		out = append(out, v)
	}
	return out, rows.Err()
}

// AllServices lists every service of every team, ordered by ID. The
// scheduler uses it; it is not reachable through the HTTP API.
func (s *Store) AllServices(ctx context.Context) ([]Service, error) {
	return s.services(ctx, `SELECT `+serviceCols+` FROM services ORDER BY id`)
}

func (s *Store) services(ctx context.Context, query string, args ...any) ([]Service, error) {
	rows, err := s.rdb.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list services: %w", err)
	}
	defer rows.Close()
	out := []Service{}
	for rows.Next() {
		v, err := scanService(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list services: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// touchService sets stats_at of the team's service name, creating the
// service if needed, inside tx, and returns its ID. It is the first write
// of [Store.RecordStats], so every report locks the service row before any
// other row: concurrent reports of one service queue on it instead of
// deadlocking on PostgreSQL (a report that created or updated the row late
// while another held pattern rows formed a lock cycle).
func (s *Store) touchService(ctx context.Context, tx *sql.Tx, team int64, name string, now int64) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, s.q(`UPDATE services SET stats_at = ? WHERE team_id = ? AND name = ? RETURNING id`), now, team, name).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	if err := s.checkServiceCap(ctx, tx, team); err != nil {
		return 0, err
	}
	err = tx.QueryRowContext(ctx, s.q(`INSERT INTO services (team_id, name, created_at, stats_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (team_id, name) DO UPDATE SET stats_at = excluded.stats_at RETURNING id`),
		team, name, now, now).Scan(&id)
	return id, err
}
