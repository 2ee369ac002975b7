package store

import (
	"context"
	"time"
)

// ServicesAwaitingPolicy lists, over all teams and ordered by ID, the
// services that have no policy yet, were created at or before ready, and
// have statistics in a volume bucket that starts between since and ready
// (inclusive). The server's scheduler generates their first policy; it is
// not reachable through the HTTP API.
func (s *Store) ServicesAwaitingPolicy(ctx context.Context, ready, since time.Time) ([]Service, error) {
	return s.services(ctx, s.q(`SELECT `+serviceCols+` FROM services
		WHERE stats_at > 0 AND created_at <= ?
		AND NOT EXISTS (SELECT 1 FROM policies p WHERE p.service_id = services.id)
		AND EXISTS (SELECT 1 FROM service_volume v WHERE v.service_id = services.id AND v.bucket >= ? AND v.bucket <= ?)
		ORDER BY id`), timeToMillis(ready), timeToMillis(since), timeToMillis(ready))
}
