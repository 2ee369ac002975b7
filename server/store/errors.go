package store

import "errors"

// Sentinel errors returned by [Store] methods; test with [errors.Is].
var (
	// ErrNotFound is returned when the requested row does not exist (or
	// belongs to another team).
	ErrNotFound = errors.New("store: not found")
	// ErrExists is returned when creating a row whose unique key is taken.
	ErrExists = errors.New("store: already exists")
	// ErrConflict is returned by [Store.AddPolicy] when another writer stored
	// the same version first; the caller re-reads and retries.
	ErrConflict = errors.New("store: version conflict")
	// ErrUnauthorized is returned by [Store.TeamForKey] and
	// [Store.CreateSession] for an unknown or revoked key, and by
	// [Store.SessionTeam] for a session that is not (or no longer) valid.
	ErrUnauthorized = errors.New("store: unknown api key")
	// ErrLimit is returned when creating a row would exceed a documented
	// cap, such as [Options.MaxServicesPerTeam].
	ErrLimit = errors.New("store: limit reached")
)
