package server_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy/client"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/server"
	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
)

// piiCase is one log message and the raw values in it that must never
// leave the process: not in the sampler's pattern stats, not in the stats
// report the policy client sends, not in the server's database.
type piiCase struct {
	msg    string
	secret []string
}

// piiCorpus holds messages with e-mail addresses, people's names in quoted
// text, tokens and API keys, and card-like numbers, in the shapes services
// write them. Several messages of a kind share a template, so the stats
// carry few patterns and many raw values.
var piiCorpus = []piiCase{
	{`email sent to ines.miller@example.com template=welcome`, []string{"ines.miller", "ines.miller@example.com"}},
	{`email sent to omar.haddad@mail.example.org template=welcome`, []string{"omar.haddad", "omar.haddad@mail.example.org"}},
	{`password reset requested for <kim.lee+test@example.net>`, []string{"kim.lee", "kim.lee+test@example.net"}},
	{`msg="user signed up" email=j.doe@corp.example.co.uk plan=free`, []string{"j.doe", "j.doe@corp.example.co.uk"}},
	{`welcome message for "Ines Miller" queued`, []string{"Ines Miller", "Miller"}},
	{`welcome message for "Omar Haddad" queued`, []string{"Omar Haddad", "Haddad"}},
	{`search query="ines miller address" returned 3 results in 4ms`, []string{"ines miller address"}},
	{`search query="green lamp desk" returned 12 results in 3ms`, []string{"green lamp desk"}},
	{`order shipped to 'Kim Lee, 12 Baker Street' by courier`, []string{"Kim Lee", "Baker Street"}},
	{`auth ok token=ghp_4f8Kq2ZxY7pLm9Rt3Vw6Bn1Cd5Ef0Gh2Ij8K for service=ci`, []string{"ghp_4f8Kq2ZxY7pLm9Rt3Vw6Bn1Cd5Ef0Gh2Ij8K"}},
	{`auth ok token=ghp_9Zy8Xw7Vu6Ts5Rq4Po3Nm2Lk1Jh0Gf9Ed8Cb7 for service=deploy`, []string{"ghp_9Zy8Xw7Vu6Ts5Rq4Po3Nm2Lk1Jh0Gf9Ed8Cb7"}},
	{`charge created with api key sk_live_51HxYzAbCdEfGh2IjKlMn`, []string{"sk_live_51HxYzAbCdEfGh2IjKlMn"}},
	{`request with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.s1gN4tuR3 rejected`, []string{"eyJhbGciOiJIUzI1NiJ9", "s1gN4tuR3"}},
	{`payment with card 4111 1111 1111 1111 declined`, []string{"4111"}},
	{`payment with card 5500-0000-0000-0004 declined`, []string{"5500-0000-0000-0004", "5500"}},
	{`card=378282246310005 exp=12/27 accepted`, []string{"378282246310005"}},
	{`session aZ3kP9qW2mX7 for ines.miller@example.com expired after 30m`, []string{"aZ3kP9qW2mX7", "ines.miller"}},
	{`"Pod status updated" pod="default/web-1" owner="Ines Miller"`, []string{"Ines Miller"}},
}

// statsSink is an http.Handler in front of the reference server that keeps
// a copy of every stats report body the policy client posts.
type statsSink struct {
	next   http.Handler
	mu     sync.Mutex
	bodies [][]byte
}

func (s *statsSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/patterns/stats") {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.bodies = append(s.bodies, b)
		s.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	s.next.ServeHTTP(w, r)
}

// TestPII_NoRawValueLeaves runs the PII corpus through a real sampler
// (sampler.New, Decide), its PatternStats, a client.Client reporting to the
// reference server, and the server's SQLite store, and proves that none of
// the raw values reaches the pattern stats, the stats report payload or the
// database file (read back as bytes, WAL included).
func TestPII_NoRawValueLeaves(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.SQLiteDSN(t)
	st := storetest.Open(t, storetest.Backend{Name: "sqlite", DSN: dsn}, store.Options{})
	srv := server.New(st, server.WithScheduleInterval(0))
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	sink := &statsSink{next: srv}
	hs := httptest.NewServer(sink)
	t.Cleanup(hs.Close)
	key, _, err := st.CreateKey(ctx, 1, "pii")
	require.NoError(t, err)

	s, err := sampler.New()
	require.NoError(t, err)
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	c, err := client.New(hs.URL, "pii", client.WithAPIKey(key), client.WithTeamID(1),
		client.WithSetter(s), client.WithStatsSource(s), client.WithInterval(time.Hour))
	require.NoError(t, err)
	t.Cleanup(func() { c.Shutdown(context.Background()) })

	t0 := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	for i, pc := range piiCorpus {
		for k := range 3 {
			rec := sampler.Record{Time: t0.Add(time.Duration(3*i+k) * time.Second), Level: slog.LevelInfo, Message: pc.msg}
			s.Decide(&rec)
		}
	}

	// 1. The sampler's pattern stats.
	stats := s.PatternStats()
	require.NotEmpty(t, stats, "the sampler tracked the corpus's patterns")
	var templates strings.Builder
	for _, p := range stats {
		templates.WriteString(p.Template)
		templates.WriteByte('\n')
	}
	assertNoSecret(t, "sampler PatternStats templates", templates.String())

	// 2. The stats report the client sends.
	require.NoError(t, c.Report(ctx))
	sink.mu.Lock()
	payload := bytes.Join(sink.bodies, []byte("\n"))
	sink.mu.Unlock()
	require.NotEmpty(t, payload, "a stats report was posted")
	require.Contains(t, string(payload), `"template"`, "the report carries templates")
	assertNoSecret(t, "stats report payload", string(payload))

	// 3. The server's database: the report was stored, and no raw value is
	// anywhere in the SQLite file or its WAL.
	svc, err := st.Service(ctx, 1, "pii")
	require.NoError(t, err)
	pats, err := st.Patterns(ctx, svc.ID, store.PatternQuery{})
	require.NoError(t, err)
	require.NotEmpty(t, pats, "the server stored the reported patterns")
	var db []byte
	for _, f := range []string{dsn, dsn + "-wal"} {
		b, err := os.ReadFile(f)
		if err == nil {
			db = append(db, b...)
		}
	}
	require.NotEmpty(t, db, "read the SQLite file %s", filepath.Base(dsn))
	require.True(t, bytes.Contains(db, []byte(pats[0].Template)), "the database file holds the stored templates (the scan would see a leak)")
	assertNoSecret(t, "SQLite database file", string(db))
}

// assertNoSecret fails for every raw value of the corpus found in text.
func assertNoSecret(t *testing.T, where, text string) {
	t.Helper()
	for _, pc := range piiCorpus {
		for _, sec := range pc.secret {
			assert.NotContains(t, text, sec, "%s leaks a raw value of %q", where, pc.msg)
		}
	}
}
