package store_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
)

var t0 = time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return t0 }

func TestOpen_migrations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s := storetest.Open(t, b, store.Options{})
		v, err := s.Version(ctx)
		require.NoError(t, err)
		assert.Equal(t, store.SchemaVersion, v)
		assert.Equal(t, store.Dialect(b.Name), s.Dialect())
		// A second Open on the same database finds the schema current.
		s2 := storetest.Open(t, b, store.Options{})
		v, err = s2.Version(ctx)
		require.NoError(t, err)
		assert.Equal(t, store.SchemaVersion, v)
		require.NoError(t, s2.Close())
		require.NoError(t, s2.Close(), "Close is idempotent")
	})
}

func TestOpen_errors(t *testing.T) {
	_, err := store.Open(context.Background(), "", store.Options{})
	assert.Error(t, err, "empty dsn")
	_, err = store.Open(context.Background(), "/nonexistent-dir/x/y.db", store.Options{})
	assert.Error(t, err, "unwritable sqlite path")
}

func TestKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s := storetest.Open(t, b, store.Options{Now: fixedNow})
		k1, info, err := s.CreateKey(ctx, 1, "ci")
		require.NoError(t, err)
		assert.Regexp(t, `^lsk_[A-Za-z0-9_-]{32}$`, k1)
		assert.Equal(t, k1[:10], info.Prefix)
		k2, _, err := s.CreateKey(ctx, 2, "")
		require.NoError(t, err)
		assert.NotEqual(t, k1, k2)

		tests := []struct {
			name    string
			key     string
			want    int64
			wantErr error
		}{
			{"team 1", k1, 1, nil},
			{"team 2", k2, 2, nil},
			{"unknown", "lsk_nope", 0, store.ErrUnauthorized},
			{"empty", "", 0, store.ErrUnauthorized},
			{"hash itself is not a key", store.HashKey(k1), 0, store.ErrUnauthorized},
		}
		for _, test := range tests {
			t.Run(test.name, func(t *testing.T) {
				got, err := s.TeamForKey(ctx, test.key)
				assert.ErrorIs(t, err, test.wantErr)
				assert.Equal(t, test.want, got)
			})
		}

		_, _, err = s.CreateKey(ctx, 0, "")
		assert.Error(t, err, "team 0 is invalid")

		keys, err := s.Keys(ctx, 1)
		require.NoError(t, err)
		require.Len(t, keys, 1)
		assert.Equal(t, "ci", keys[0].Name)
		assert.Equal(t, t0, keys[0].CreatedAt)
		assert.ErrorIs(t, s.RevokeKey(ctx, 2, keys[0].ID), store.ErrNotFound, "team 2 cannot revoke team 1's key")
		require.NoError(t, s.RevokeKey(ctx, 1, keys[0].ID))
		_, err = s.TeamForKey(ctx, k1)
		assert.ErrorIs(t, err, store.ErrUnauthorized, "revoked key")
	})
}

func TestServices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s := storetest.Open(t, b, store.Options{Now: fixedNow})
		a, err := s.CreateService(ctx, store.Service{TeamID: 1, Name: "api", Description: "front", TargetKeep: 0.1})
		require.NoError(t, err)
		assert.NotZero(t, a.ID)
		_, err = s.CreateService(ctx, store.Service{TeamID: 1, Name: "api"})
		assert.ErrorIs(t, err, store.ErrExists)
		// Same name in another team is a different service.
		_, err = s.CreateService(ctx, store.Service{TeamID: 2, Name: "api"})
		require.NoError(t, err)
		evil := "x'); DROP TABLE services; --"
		_, err = s.CreateService(ctx, store.Service{TeamID: 1, Name: evil})
		require.NoError(t, err)

		got, err := s.Service(ctx, 1, "api")
		require.NoError(t, err)
		assert.Equal(t, a, got)
		_, err = s.Service(ctx, 3, "api")
		assert.ErrorIs(t, err, store.ErrNotFound, "team 3 has no services")

		list, err := s.Services(ctx, 1)
		require.NoError(t, err)
		require.Len(t, list, 2)
		assert.Equal(t, "api", list[0].Name)
		assert.Equal(t, evil, list[1].Name, "names are stored literally")

		require.NoError(t, s.UpdateServiceTargets(ctx, 1, "api", 0.2, 50))
		got, err = s.Service(ctx, 1, "api")
		require.NoError(t, err)
		assert.InDelta(t, 0.2, got.TargetKeep, 1e-12)
		assert.InDelta(t, 50, got.TargetPerSecond, 1e-12)
		assert.ErrorIs(t, s.UpdateServiceTargets(ctx, 2, "nope", 0.2, 0), store.ErrNotFound)

		all, err := s.AllServices(ctx)
		require.NoError(t, err)
		assert.Len(t, all, 3)
	})
}

func TestRecordStats(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s := storetest.Open(t, b, store.Options{Now: fixedNow, MaxPatternsPerService: 3})
		rep := func(at time.Time, ps ...store.PatternCount) store.Report {
			var total int64
			for _, p := range ps {
				total += p.Count
			}
			return store.Report{Service: "api", Time: at, TotalLogs: total, Patterns: ps}
		}
		pa := func(count, sampled, errs int64, first, last time.Time) store.PatternCount {
			return store.PatternCount{Signature: "00000000000000aa", Template: "user <*> logged in", Count: count, Sampled: sampled,
				FirstSeen: first, LastSeen: last, Levels: store.Levels{Info: count - errs, Error: errs}}
		}
		pb := store.PatternCount{Signature: "00000000000000bb", Template: "disk <*> full", Count: 5, Sampled: 5, Levels: store.Levels{Error: 5}}

		r1, err := s.RecordStats(ctx, 1, rep(t0.Add(10*time.Second), pa(100, 10, 0, t0, t0.Add(50*time.Second)), pb))
		require.NoError(t, err)
		assert.Equal(t, 2, r1.Stored)
		// Second report, next minute: aa grows, first_seen earlier, last_seen later.
		_, err = s.RecordStats(ctx, 1, rep(t0.Add(70*time.Second), pa(40, 4, 2, t0.Add(-time.Minute), t0.Add(90*time.Second))))
		require.NoError(t, err)
		// Third report in the first minute again (another instance).
		_, err = s.RecordStats(ctx, 1, rep(t0.Add(30*time.Second), pa(60, 6, 0, t0.Add(5*time.Second), t0.Add(20*time.Second))))
		require.NoError(t, err)
		// Team 2 reports the same service name: kept apart.
		_, err = s.RecordStats(ctx, 2, rep(t0, pa(1000, 1000, 0, t0, t0)))
		require.NoError(t, err)

		svc, err := s.Service(ctx, 1, "api")
		require.NoError(t, err)
		assert.Equal(t, t0, svc.StatsAt)

		ps, err := s.Patterns(ctx, svc.ID, store.PatternQuery{Since: t0, RecentSince: t0.Add(time.Minute)})
		require.NoError(t, err)
		require.Len(t, ps, 2)
		aa := ps[0]
		assert.Equal(t, "00000000000000aa", aa.Signature, "largest window volume first")
		// count 100+40+60 = 200, sampled 10+4+6 = 20, errors 0+2+0 = 2.
		assert.Equal(t, int64(200), aa.Count)
		assert.Equal(t, int64(20), aa.Sampled)
		assert.Equal(t, store.Levels{Info: 198, Error: 2}, aa.Levels)
		assert.Equal(t, t0.Add(-time.Minute), aa.FirstSeen)
		assert.Equal(t, t0.Add(90*time.Second), aa.LastSeen)
		assert.Equal(t, int64(200), aa.WindowCount)
		assert.Equal(t, int64(2), aa.WindowErrors)
		// Only the 10:01 bucket is "recent": 40.
		assert.Equal(t, int64(40), aa.RecentCount)
		assert.Equal(t, int64(5), ps[1].Count)
		assert.Equal(t, int64(0), ps[1].RecentCount)

		// Window starting at 10:01 sees only the second report.
		ps, err = s.Patterns(ctx, svc.ID, store.PatternQuery{Since: t0.Add(time.Minute), Limit: 1})
		require.NoError(t, err)
		require.Len(t, ps, 1)
		assert.Equal(t, int64(40), ps[0].WindowCount)

		vol, err := s.Volume(ctx, svc.ID, t0)
		require.NoError(t, err)
		require.Len(t, vol, 2)
		// 10:00 bucket: reports 1 and 3: total 105+60 = 165, kept 15+6 = 21.
		assert.Equal(t, store.VolumePoint{Bucket: t0, Total: 165, Kept: 21, Reports: 2}, vol[0])
		assert.Equal(t, store.VolumePoint{Bucket: t0.Add(time.Minute), Total: 40, Kept: 4, Reports: 1}, vol[1])

		// Cap of 3 patterns per service: 2 stored, so 1 more fits.
		more := []store.PatternCount{
			{Signature: "00000000000000cc", Template: "c", Count: 1, Sampled: 1},
			{Signature: "00000000000000dd", Template: "d", Count: 1, Sampled: 1},
			{Signature: "00000000000000aa", Template: "user <*> logged in", Count: 1, Sampled: 1},
		}
		r, err := s.RecordStats(ctx, 1, store.Report{Service: "api", Time: t0, TotalLogs: 3, Patterns: more})
		require.NoError(t, err)
		assert.Equal(t, 2, r.Stored, "cc (new, fits) and aa (known)")
		assert.Equal(t, 1, r.Overflow, "dd is over the cap")

		n, err := s.Prune(ctx, t0.Add(time.Minute))
		require.NoError(t, err)
		// Deleted in the 10:00 bucket: team 1 pattern_volume aa, bb, cc and
		// its service_volume row (4), team 2 pattern_volume aa and its
		// service_volume row (2): 6.
		assert.Equal(t, int64(6), n)
		vol, err = s.Volume(ctx, svc.ID, time.Time{})
		require.NoError(t, err)
		assert.Len(t, vol, 1)
	})
}

func TestRecordStats_concurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s := storetest.Open(t, b, store.Options{})
		const workers, reports = 8, 10
		var wg sync.WaitGroup
		errs := make(chan error, workers*reports)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ps := []store.PatternCount{
					{Signature: "0000000000000001", Template: "a", Count: 1, Sampled: 1},
					{Signature: "0000000000000002", Template: "b", Count: 2, Sampled: 1},
				}
				if w%2 == 1 {
					// The other order: lock ordering must not depend on it.
					ps[0], ps[1] = ps[1], ps[0]
				}
				for i := 0; i < reports; i++ {
					_, err := s.RecordStats(ctx, 1, store.Report{Service: "svc", Time: t0, TotalLogs: 3, Patterns: ps})
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		svc, err := s.Service(ctx, 1, "svc")
		require.NoError(t, err)
		vol, err := s.Volume(ctx, svc.ID, time.Time{})
		require.NoError(t, err)
		require.Len(t, vol, 1)
		assert.Equal(t, int64(workers*reports*3), vol[0].Total, "no lost update")
		assert.Equal(t, int64(workers*reports), vol[0].Reports)
	})
}

func TestPolicies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s := storetest.Open(t, b, store.Options{Now: fixedNow})
		svc, err := s.CreateService(ctx, store.Service{TeamID: 1, Name: "api"})
		require.NoError(t, err)
		_, err = s.LatestPolicy(ctx, svc.ID)
		assert.ErrorIs(t, err, store.ErrNotFound)
		v, err := s.LatestVersion(ctx, svc.ID)
		require.NoError(t, err)
		assert.Zero(t, v)

		for i := int64(1); i <= 3; i++ {
			p, err := s.AddPolicy(ctx, store.PolicyRecord{ServiceID: svc.ID, Version: i, Body: []byte(`{"version":` + string(rune('0'+i)) + `}`), GeneratedBy: "test", ProjectedKeep: 0.1})
			require.NoError(t, err)
			assert.Equal(t, store.ETag(i, p.Body), p.ETag)
		}
		_, err = s.AddPolicy(ctx, store.PolicyRecord{ServiceID: svc.ID, Version: 2, Body: []byte(`{}`)})
		assert.ErrorIs(t, err, store.ErrConflict)

		latest, err := s.LatestPolicy(ctx, svc.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(3), latest.Version)
		assert.Equal(t, `{"version":3}`, string(latest.Body))
		assert.Equal(t, "test", latest.GeneratedBy)
		assert.Equal(t, t0, latest.CreatedAt)

		hist, err := s.PolicyHistory(ctx, svc.ID, 2)
		require.NoError(t, err)
		require.Len(t, hist, 2)
		assert.Equal(t, []int64{3, 2}, []int64{hist[0].Version, hist[1].Version})
	})
}

func TestETag(t *testing.T) {
	tests := []struct {
		name    string
		version int64
		body    string
		want    string
	}{
		// sha256("{}") = 44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a
		{"empty object", 7, "{}", `"v7-44136fa355b3678a"`},
		// sha256("") = e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
		{"empty body", 1, "", `"v1-e3b0c44298fc1c14"`},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			assert.Equal(t, test.want, store.ETag(test.version, []byte(test.body)))
		})
	}
}

func TestAnomalies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s := storetest.Open(t, b, store.Options{})
		svc, err := s.CreateService(ctx, store.Service{TeamID: 1, Name: "api"})
		require.NoError(t, err)
		require.NoError(t, s.AddAnomalies(ctx, svc.ID, nil))
		in := []store.Anomaly{
			{Signature: "00000000000000aa", Template: "a", Kind: "spike", Value: 200, Baseline: 10, DetectedAt: t0},
			{Signature: "00000000000000bb", Template: "b", Kind: "new", Value: 5, DetectedAt: t0.Add(time.Minute)},
		}
		require.NoError(t, s.AddAnomalies(ctx, svc.ID, in))
		got, err := s.Anomalies(ctx, svc.ID, 0)
		require.NoError(t, err)
		require.Len(t, got, 2)
		assert.Equal(t, in[1], got[0], "newest first")
		assert.Equal(t, in[0], got[1])
	})
}

func TestErrorsAreDistinct(t *testing.T) {
	errs := []error{store.ErrNotFound, store.ErrExists, store.ErrConflict, store.ErrUnauthorized}
	for i, a := range errs {
		for j, b := range errs {
			assert.Equal(t, i == j, errors.Is(a, b), "%v vs %v", a, b)
		}
	}
}

// TestRecordStats_batches covers reports larger than one batch statement,
// signatures repeated within a report, and the cap applied across batches.
func TestRecordStats_batches(t *testing.T) {
	sig := func(i int) string { return fmt.Sprintf("%016x", i+1) }
	pats := func(from, to int) []store.PatternCount {
		var ps []store.PatternCount
		for i := from; i < to; i++ {
			ps = append(ps, store.PatternCount{Signature: sig(i), Template: "t " + strconv.Itoa(i), Count: 2, Sampled: 1,
				Levels: store.Levels{Info: 1, Error: 1}})
		}
		return ps
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s := storetest.Open(t, b, store.Options{Now: fixedNow, MaxPatternsPerService: 1000})
		// 600 patterns, and pattern 0 twice more with earlier and later times.
		first := pats(0, 600)
		first = append(first,
			store.PatternCount{Signature: sig(0), Template: "ignored", Count: 5, Sampled: 5, FirstSeen: t0.Add(-time.Hour), LastSeen: t0, Levels: store.Levels{Debug: 5}},
			store.PatternCount{Signature: sig(0), Template: "ignored", Count: 1, Sampled: 0, FirstSeen: t0, LastSeen: t0.Add(time.Hour), Levels: store.Levels{Warning: 1}})
		r, err := s.RecordStats(ctx, 1, store.Report{Service: "big", Time: t0, TotalLogs: 1206, Patterns: first})
		require.NoError(t, err)
		assert.Equal(t, 600, r.Stored, "duplicates are merged")
		assert.Zero(t, r.Overflow)

		// 1 200 patterns: 600 known, 600 new of which 400 fit under the cap.
		r, err = s.RecordStats(ctx, 1, store.Report{Service: "big", Time: t0.Add(time.Minute), TotalLogs: 2400, Patterns: pats(0, 1200)})
		require.NoError(t, err)
		assert.Equal(t, 1000, r.Stored)
		assert.Equal(t, 200, r.Overflow)

		ps, err := s.Patterns(ctx, r.ServiceID, store.PatternQuery{Since: t0, Limit: 5000})
		require.NoError(t, err)
		require.Len(t, ps, 1000)
		byID := map[string]store.Pattern{}
		for _, p := range ps {
			byID[p.Signature] = p
		}
		p0 := byID[sig(0)]
		// Pattern 0: 2+5+1 in the first report, 2 in the second.
		assert.Equal(t, int64(10), p0.Count)
		assert.Equal(t, int64(7), p0.Sampled)
		assert.Equal(t, store.Levels{Debug: 5, Info: 2, Warning: 1, Error: 2}, p0.Levels)
		assert.Equal(t, t0.Add(-time.Hour), p0.FirstSeen)
		assert.Equal(t, t0.Add(time.Hour), p0.LastSeen)
		assert.Equal(t, "t 0", p0.Template, "the first template is kept")
		assert.Equal(t, int64(2), p0.WindowErrors, "one error in each report")
		_, ok := byID[sig(999)]
		assert.True(t, ok, "the last pattern that fits is stored")
		_, ok = byID[sig(1000)]
		assert.False(t, ok, "the first pattern over the cap is not")

		vol, err := s.Volume(ctx, r.ServiceID, t0)
		require.NoError(t, err)
		require.Len(t, vol, 2)
		// Kept counts every pattern of a report, stored or not:
		// 600·1 + 5 + 0 in the first, 1 200·1 in the second.
		assert.Equal(t, store.VolumePoint{Bucket: t0, Total: 1206, Kept: 605, Reports: 1}, vol[0])
		assert.Equal(t, store.VolumePoint{Bucket: t0.Add(time.Minute), Total: 2400, Kept: 1200, Reports: 1}, vol[1])
	})
}
