package client

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/signature"
)

// Errors of the [Client]; test with [errors.Is].
var (
	// ErrClosed is returned by calls after [Client.Shutdown].
	ErrClosed = errors.New("policy: client closed")
	// ErrOlderVersion is returned (and counted) when the server sends a
	// policy whose version is not newer than the one in force.
	ErrOlderVersion = errors.New("policy: server sent an older policy version")
	// ErrResponseTooLarge is returned when a response exceeds
	// [WithMaxResponseBytes].
	ErrResponseTooLarge = errors.New("policy: response too large")
)

// StatusError is a non-success HTTP answer of the server.
type StatusError struct {
	// Op is "fetch" or "report".
	Op   string
	Code int
	// Message is the server's {"error": ...} message, if any.
	Message string
}

// Error returns "policy: <op>: server answered <code>: <message>".
func (e *StatusError) Error() string {
	s := "policy: " + e.Op + ": server answered " + strconv.Itoa(e.Code)
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// PolicySetter receives the policies a [Client] puts in force. The sampler
// implements it. SetPolicy is called on the client's goroutine, one call at
// a time, with a policy that passed [policy.Policy.Validate]; it must not keep p
// after returning unless it owns a copy, and its error rejects the policy
// (counted, and the policy in force stays).
type PolicySetter interface {
	SetPolicy(p *policy.Policy) error
}

// StatsSource supplies the pattern counters a [Client] reports. PatternStats
// is called on the client's goroutine once per report; it must be safe to
// call concurrently with logging. The counters are cumulative (since the
// source started); the client reports the difference from its previous
// successful report. A pattern whose counters went down (evicted and
// re-tracked) is reported with its current counters. The caller owns the
// returned slice.
type StatsSource interface {
	PatternStats() []policy.PatternStat
}

// Stats are a [Client]'s counters.
type Stats struct {
	// Fetches counts policy requests sent; Updates policies put in force;
	// NotModified 304 answers; NoPolicy 404 answers (no policy generated
	// yet).
	Fetches, Updates, NotModified, NoPolicy uint64
	// FetchErrors counts failed fetches: network errors, timeouts and
	// unexpected statuses.
	FetchErrors uint64
	// Rejected counts policies that were received but not put in force:
	// undecodable, invalid, too large or refused by the setter.
	Rejected uint64
	// OlderVersions counts policies refused because their version was not
	// newer than the one in force.
	OlderVersions uint64
	// Reports counts stats reports accepted by the server; ReportErrors
	// failed ones; PatternsTruncated patterns left out of reports by
	// [WithMaxPatternsPerReport].
	Reports, ReportErrors, PatternsTruncated uint64
	// CacheErrors counts failures to read or write the last-known-good file.
	CacheErrors uint64
	// Version is the version of the policy in force (0 when none).
	Version int64
}

// Client keeps a service's policy in sync with a LipService server and
// reports the service's pattern statistics to it. All network and disk I/O
// happens on the client's own goroutine (started by [New], stopped by
// [Client.Shutdown]), never on the logging path.
//
// Policy sync: GET {base}/api/v1/policies/{service}?team_id=N every interval
// (jittered), with If-None-Match. A 200 answer is read up to the size cap,
// decoded and validated ([policy.Parse]); it is put in force (setter, then
// last-known-good file) only if its version is newer than the one in force.
// After a failure the next attempt waits an exponential backoff instead of
// the interval. Every failure goes to the error handler and a counter, and
// the policy in force stays.
//
// Stats: POST {base}/api/v1/patterns/stats with the counts since the last
// successful report (see [StatsSource] and [policy.StatsReport]); a failed report's
// counts are included in the next one.
//
// A Client is safe for concurrent use.
type Client struct {
	cfg       clientConfig
	policyURL string
	statsURL  string
	service   string

	cur  atomic.Pointer[policy.Policy]
	etag string // loop goroutine only
	prev map[signature.Sig]policy.PatternStat

	reqs     chan clientReq
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
	base     context.Context
	cancel   context.CancelFunc
	shutCtx  atomic.Pointer[context.Context]

	fetches, updates, notModified, noPolicy, fetchErrors, rejected, older atomic.Uint64
	reports, reportErrors, truncated, cacheErrors                         atomic.Uint64
}

type clientReq struct {
	ctx    context.Context
	report bool
	done   chan error
}

// New returns a Client for service at the server baseURL (for example
// "http://127.0.0.1:8000") and starts its goroutine, which fetches the
// policy at once. When a last-known-good file is configured and readable,
// its policy is put in force before New returns. New returns an
// error for an invalid baseURL or an empty service name; an unreadable or
// invalid cache file is only counted.
func New(baseURL, service string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("policy: client: base URL %q must be http(s)://host[:port]", baseURL)
	}
	if service == "" {
		return nil, errors.New("policy: client: empty service name")
	}
	c := &Client{cfg: defaultClientConfig(), service: service,
		reqs: make(chan clientReq), stop: make(chan struct{}), done: make(chan struct{})}
	for _, o := range opts {
		o.apply(&c.cfg)
	}
	if c.cfg.statsInterval == 0 {
		c.cfg.statsInterval = c.cfg.interval
	}
	q := ""
	if c.cfg.teamID != 0 {
		q = "?team_id=" + strconv.FormatInt(c.cfg.teamID, 10)
	}
	c.policyURL = u.String() + "/api/v1/policies/" + url.PathEscape(service) + q
	c.statsURL = u.String() + "/api/v1/patterns/stats"
	c.base, c.cancel = context.WithCancel(context.Background())
	c.loadCache()
	go c.run()
	return c, nil
}

// Policy returns the policy in force, or nil when none was received or
// loaded yet. The caller must not modify it.
func (c *Client) Policy() *policy.Policy { return c.cur.Load() }

// Stats returns the client's counters.
func (c *Client) Stats() Stats {
	s := Stats{
		Fetches: c.fetches.Load(), Updates: c.updates.Load(), NotModified: c.notModified.Load(), NoPolicy: c.noPolicy.Load(),
		FetchErrors: c.fetchErrors.Load(), Rejected: c.rejected.Load(), OlderVersions: c.older.Load(),
		Reports: c.reports.Load(), ReportErrors: c.reportErrors.Load(), PatternsTruncated: c.truncated.Load(),
		CacheErrors: c.cacheErrors.Load(),
	}
	if p := c.cur.Load(); p != nil {
		s.Version = p.Version
	}
	return s
}

// Sync fetches the policy now, on the client's goroutine, and waits for the
// result: nil when the policy in force is current (updated, not modified, or
// none generated yet), else the error (also counted and sent to the error
// handler). It returns [ErrClosed] after Shutdown.
func (c *Client) Sync(ctx context.Context) error { return c.call(ctx, false) }

// Report sends a stats report now, on the client's goroutine, and waits for
// the result. It is a no-op without a [StatsSource].
func (c *Client) Report(ctx context.Context) error { return c.call(ctx, true) }

func (c *Client) call(ctx context.Context, report bool) error {
	r := clientReq{ctx: ctx, report: report, done: make(chan error, 1)}
	select {
	case c.reqs <- r:
	case <-c.done:
		return ErrClosed
	case <-c.stop:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Shutdown stops the client's goroutine after a final stats report bounded
// by ctx. It is idempotent. When ctx ends first, I/O in flight is canceled
// and Shutdown returns ctx's error once the goroutine has exited.
func (c *Client) Shutdown(ctx context.Context) error {
	c.stopOnce.Do(func() {
		c.shutCtx.Store(&ctx)
		close(c.stop)
	})
	select {
	case <-c.done:
		return nil
	case <-ctx.Done():
		c.cancel()
		<-c.done
		return ctx.Err()
	}
}

func (c *Client) run() {
	defer close(c.done)
	defer c.cancel()
	now := time.Now()
	nextFetch := now
	nextReport := now.Add(c.jittered(c.cfg.statsInterval))
	var fetchFails, reportFails int
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		// Due work first, so that the fetch at start-up happens before any
		// Sync or Report request is served.
		now = time.Now()
		if !now.Before(nextFetch) {
			if err := c.fetch(c.base); err != nil {
				c.fail(err)
				fetchFails++
				nextFetch = time.Now().Add(c.jittered(c.backoff(fetchFails)))
			} else {
				fetchFails = 0
				nextFetch = time.Now().Add(c.jittered(c.cfg.interval))
			}
		}
		if c.cfg.source != nil && !now.Before(nextReport) {
			if err := c.report(c.base); err != nil {
				c.fail(err)
				reportFails++
				nextReport = time.Now().Add(c.jittered(max(c.backoff(reportFails), c.cfg.statsInterval)))
			} else {
				reportFails = 0
				nextReport = time.Now().Add(c.jittered(c.cfg.statsInterval))
			}
		}
		wait := time.Until(nextFetch)
		if c.cfg.source != nil {
			wait = min(wait, time.Until(nextReport))
		}
		timer.Reset(max(wait, 0))
		select {
		case <-c.stop:
			if c.cfg.source != nil {
				ctx := *c.shutCtx.Load()
				if err := c.report(ctx); err != nil {
					c.fail(err)
				}
			}
			return
		case r := <-c.reqs:
			var err error
			if r.report {
				err = c.report(r.ctx)
			} else {
				err = c.fetch(r.ctx)
			}
			if err != nil {
				c.fail(err)
			}
			r.done <- err
		case <-timer.C:
		}
	}
}

// backoff returns min(maxBackoff, minBackoff·2^(k-1)).
func (c *Client) backoff(k int) time.Duration {
	d := c.cfg.minBackoff
	for i := 1; i < k && d < c.cfg.maxBackoff; i++ {
		d *= 2
	}
	return min(d, c.cfg.maxBackoff)
}

// jittered draws uniformly from [d·(1-j), d·(1+j)].
func (c *Client) jittered(d time.Duration) time.Duration {
	j := c.cfg.jitter
	if j == 0 {
		return d
	}
	return time.Duration(float64(d) * (1 - j + 2*j*rand.Float64()))
}

func (c *Client) fail(err error) {
	h := c.cfg.errorHandler
	if h == nil {
		return
	}
	defer func() { recover() }()
	h(err)
}

func (c *Client) newRequest(ctx context.Context, method, u string, body []byte) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, err
	}
	if c.cfg.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.apiKey)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// serverMessage extracts {"error": msg} from an error body (best effort).
func serverMessage(r io.Reader) string {
	var v struct {
		Error string `json:"error"`
	}
	data, _ := io.ReadAll(io.LimitReader(r, 4<<10))
	if json.Unmarshal(data, &v) == nil {
		return v.Error
	}
	return ""
}

// fetch runs one policy request. It returns nil when the policy in force is
// current.
func (c *Client) fetch(ctx context.Context) error {
	c.fetches.Add(1)
	ctx, cancel := context.WithTimeout(ctx, c.cfg.timeout)
	defer cancel()
	req, err := c.newRequest(ctx, http.MethodGet, c.policyURL, nil)
	if err != nil {
		c.fetchErrors.Add(1)
		return fmt.Errorf("policy: fetch: %w", err)
	}
	if c.etag != "" {
		req.Header.Set("If-None-Match", c.etag)
	}
	resp, err := c.cfg.httpClient.Do(req)
	if err != nil {
		c.fetchErrors.Add(1)
		return fmt.Errorf("policy: fetch %s: %w", c.policyURL, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotModified:
		c.notModified.Add(1)
		return nil
	case http.StatusNotFound:
		c.noPolicy.Add(1)
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return nil
	default:
		c.fetchErrors.Add(1)
		return &StatusError{Op: "fetch", Code: resp.StatusCode, Message: serverMessage(resp.Body)}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.maxBytes+1))
	if err != nil {
		c.fetchErrors.Add(1)
		return fmt.Errorf("policy: fetch %s: read: %w", c.policyURL, err)
	}
	if int64(len(data)) > c.cfg.maxBytes {
		c.rejected.Add(1)
		return fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, c.cfg.maxBytes)
	}
	p, err := policy.Parse(data)
	if err != nil {
		c.rejected.Add(1)
		return fmt.Errorf("policy: fetch: %w", err)
	}
	etag := resp.Header.Get("ETag")
	if cur := c.cur.Load(); cur != nil && p.Version <= cur.Version {
		if p.Version == cur.Version {
			c.etag = etag // same policy, new tag form
			return nil
		}
		c.older.Add(1)
		return fmt.Errorf("%w: got %d, have %d", ErrOlderVersion, p.Version, cur.Version)
	}
	if err := c.put(p); err != nil {
		return err
	}
	c.etag = etag
	c.writeCache(data, etag)
	return nil
}

// put hands p to the setter and makes it the policy in force.
func (c *Client) put(p *policy.Policy) (err error) {
	if s := c.cfg.setter; s != nil {
		func() {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("policy: setter panicked: %v", r)
				}
			}()
			err = s.SetPolicy(p)
		}()
		if err != nil {
			c.rejected.Add(1)
			return fmt.Errorf("policy: setter refused version %d: %w", p.Version, err)
		}
	}
	c.cur.Store(p)
	c.updates.Add(1)
	return nil
}

// cacheFile is the JSON form of the last-known-good file.
type cacheFile struct {
	ETag   string          `json:"etag"`
	Policy json.RawMessage `json:"policy"`
}

func (c *Client) loadCache() {
	if c.cfg.cachePath == "" {
		return
	}
	data, err := os.ReadFile(c.cfg.cachePath)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	var cf cacheFile
	if err == nil {
		err = json.Unmarshal(data, &cf)
	}
	var p *policy.Policy
	if err == nil {
		p, err = policy.Parse(cf.Policy)
	}
	if err == nil {
		err = c.put(p)
	}
	if err != nil {
		c.cacheErrors.Add(1)
		c.fail(fmt.Errorf("policy: last-known-good %s: %w", c.cfg.cachePath, err))
		return
	}
	c.etag = cf.ETag
}

func (c *Client) writeCache(body []byte, etag string) {
	if c.cfg.cachePath == "" {
		return
	}
	data, err := json.Marshal(cacheFile{ETag: etag, Policy: body})
	if err == nil {
		var f *os.File
		f, err = os.CreateTemp(filepath.Dir(c.cfg.cachePath), ".lipservice-policy-*")
		if err == nil {
			_, err = f.Write(data)
			err = errors.Join(err, f.Close())
			if err == nil {
				err = os.Rename(f.Name(), c.cfg.cachePath)
			}
			if err != nil {
				os.Remove(f.Name())
			}
		}
	}
	if err != nil {
		c.cacheErrors.Add(1)
		c.fail(fmt.Errorf("policy: write last-known-good %s: %w", c.cfg.cachePath, err))
	}
}

// report sends one stats report with the counts since the last success.
func (c *Client) report(ctx context.Context) error {
	src := c.cfg.source
	if src == nil {
		return nil
	}
	var stats []policy.PatternStat
	func() {
		defer func() {
			if r := recover(); r != nil {
				stats = nil
			}
		}()
		stats = src.PatternStats()
	}()
	rep, next := c.buildReport(stats, time.Now())
	if len(rep.Patterns) == 0 && rep.TotalLogs == 0 {
		c.prev = next
		return nil
	}
	body, err := json.Marshal(rep)
	if err != nil {
		c.reportErrors.Add(1)
		return fmt.Errorf("policy: report: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.timeout)
	defer cancel()
	req, err := c.newRequest(ctx, http.MethodPost, c.statsURL, body)
	if err != nil {
		c.reportErrors.Add(1)
		return fmt.Errorf("policy: report: %w", err)
	}
	resp, err := c.cfg.httpClient.Do(req)
	if err != nil {
		c.reportErrors.Add(1)
		return fmt.Errorf("policy: report %s: %w", c.statsURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		c.reportErrors.Add(1)
		return &StatusError{Op: "report", Code: resp.StatusCode, Message: serverMessage(resp.Body)}
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	c.prev = next
	c.reports.Add(1)
	return nil
}

// buildReport turns cumulative stats into a delta report and returns the
// state to remember once it is accepted. The remembered map holds only the
// patterns in stats, so it is bounded by the source.
func (c *Client) buildReport(stats []policy.PatternStat, now time.Time) (policy.StatsReport, map[signature.Sig]policy.PatternStat) {
	rep := policy.StatsReport{ServiceName: c.service, TeamID: c.cfg.teamID, Timestamp: now.UTC(), SignatureVersion: signature.Version}
	next := make(map[signature.Sig]policy.PatternStat, len(stats))
	deltas := make([]policy.PatternReport, 0, len(stats))
	for _, s := range stats {
		next[s.Pattern] = s
		d := s
		if p, ok := c.prev[s.Pattern]; ok && s.Seen >= p.Seen && s.Kept >= p.Kept {
			d.Seen, d.Kept = s.Seen-p.Seen, s.Kept-p.Kept
			d.Levels = policy.LevelCounts{Debug: sub(s.Levels.Debug, p.Levels.Debug), Info: sub(s.Levels.Info, p.Levels.Info),
				Warning: sub(s.Levels.Warning, p.Levels.Warning), Error: sub(s.Levels.Error, p.Levels.Error), Critical: sub(s.Levels.Critical, p.Levels.Critical)}
		}
		if d.Seen == 0 {
			continue
		}
		rep.TotalLogs += d.Seen
		deltas = append(deltas, policy.PatternReport{
			Signature: s.Pattern, Template: c.mask(s.Template), Count: d.Seen, SampledCount: min(d.Kept, d.Seen),
			FirstSeen: s.FirstSeen.UTC(), LastSeen: s.LastSeen.UTC(), LevelCounts: d.Levels,
		})
	}
	slices.SortFunc(deltas, func(a, b policy.PatternReport) int {
		if x := cmp.Compare(b.Count, a.Count); x != 0 {
			return x
		}
		return cmp.Compare(a.Signature, b.Signature)
	})
	if len(deltas) > c.cfg.maxPatterns {
		c.truncated.Add(uint64(len(deltas) - c.cfg.maxPatterns))
		deltas = deltas[:c.cfg.maxPatterns]
	}
	rep.Patterns = deltas
	rep.UniquePatterns = len(stats)
	return rep, next
}

func sub(a, b uint64) uint64 {
	if a < b {
		return a
	}
	return a - b
}

func (c *Client) mask(tpl string) string {
	m := MaskTemplate(tpl)
	if len(m) > c.cfg.maxTemplateLen {
		m = m[:c.cfg.maxTemplateLen]
		for len(m) > 0 && m[len(m)-1]&0xC0 == 0x80 { // do not split a rune
			m = m[:len(m)-1]
		}
		if len(m) > 0 && m[len(m)-1] >= 0xC0 {
			m = m[:len(m)-1]
		}
	}
	return m
}
