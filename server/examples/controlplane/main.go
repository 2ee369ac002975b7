// Command controlplane shows a small fleet tuned by the LipService control
// plane, all in one process: it starts the server on a loopback listener
// with a temporary SQLite database, creates a team API key through the store
// (what `lipservice-server keys create` does), and runs three instances of a
// "checkout" service, each with its own sampler, slogx handler and
// client.Client (syncing every 250 ms instead of every minute).
//
// The instances log a minute of simulated traffic with no policy (the
// default keeps everything) and report their pattern statistics; the
// example then asks the server to generate a policy for the service's 10 %
// target, waits for every instance to pick it up on its own, and logs
// another minute. It prints the rates the server chose, the policy version
// each instance runs, the kept fraction before and after against the
// target, and that every ERROR record was kept.
//
// Records carry simulated timestamps, so a minute of traffic takes a
// fraction of a second. The workload comes from a fixed seed; the sampler's
// draws and the clients' jitter are not seeded, so the last digits of the
// kept counts vary between runs. The program stops everything it started
// (clients, samplers, HTTP server, scheduler, database) and exits within a
// few seconds; it gives up after 10 s.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/srex-dev/lipservice-go/policy/client"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/server"
	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/slogx"
)

const (
	service    = "checkout"
	team       = 1
	targetKeep = 0.10 // the service's target: keep 10 % of the records
	instances  = 3
	phase      = time.Minute
	syncEvery  = 250 * time.Millisecond
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := run(ctx, os.Stdout, os.Stderr, 1000, 2*time.Second); err != nil {
		fmt.Fprintln(os.Stderr, "controlplane:", err)
		os.Exit(1)
	}
}

// run runs the example; perSecond is each instance's simulated traffic in
// records per second, and timeout bounds each request of the instances'
// policy clients and each instance's shutdown (the HTTP server's shutdown
// gets at least 5 s).
func run(ctx context.Context, out, errOut io.Writer, perSecond int, timeout time.Duration) (err error) {
	// The server: SQLite in a temp dir, a loopback listener on a free port.
	dir, err := os.MkdirTemp("", "lipservice-controlplane")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(ctx, filepath.Join(dir, "lipservice.db"), store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	key, _, err := st.CreateKey(ctx, team, "controlplane example")
	if err != nil {
		return err
	}
	srv := server.New(st, server.WithErrorHandler(func(err error) { fmt.Fprintln(errOut, "server:", err) }))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	// One transport for every client of the example, so that its idle
	// connections can be closed before the server shuts down: a graceful
	// Shutdown waits for connections that never carried a request.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	defer func() {
		tr.CloseIdleConnections()
		sctx, cancel := context.WithTimeout(context.Background(), max(5*time.Second, timeout))
		defer cancel()
		err = errors.Join(err, hs.Shutdown(sctx), srv.Shutdown(sctx))
	}()
	api := &apiClient{base: "http://" + ln.Addr().String(), key: key, http: &http.Client{Transport: tr}}
	fmt.Fprintf(out, "server on %s (SQLite in %s)\n", api.base, dir)
	if _, err := api.do(ctx, "POST", "/api/v1/services", map[string]any{"name": service, "target_keep": targetKeep}, http.StatusCreated); err != nil {
		return err
	}

	// The fleet.
	fleet := make([]*instance, instances)
	for i := range fleet {
		in, err := newInstance(i, api, errOut, timeout)
		if err != nil {
			return err
		}
		defer in.shutdown(errOut)
		fleet[i] = in
	}

	start := time.Now().Add(-2 * phase).Truncate(time.Minute)
	logPhase(fleet, start, perSecond)
	before := tallies(fleet)
	for _, in := range fleet {
		// The clients report every 250 ms on their own; reporting now
		// makes sure the whole first minute is in before generating.
		if err := in.client.Report(ctx); err != nil {
			return err
		}
	}

	// Generate (the server's scheduler would do it every 5 minutes).
	body, err := api.do(ctx, "POST", "/api/v1/policies/"+service+"/generate", nil, http.StatusCreated)
	if err != nil {
		return err
	}
	var gen struct {
		Version int64 `json:"version"`
		Rates   []struct {
			Signature string  `json:"signature"`
			Template  string  `json:"template"`
			Count     uint64  `json:"count"`
			Rate      float64 `json:"rate"`
			Reason    string  `json:"reason"`
		} `json:"rates"`
		Projected struct {
			KeptFraction float64 `json:"kept_fraction"`
		} `json:"projected"`
	}
	if err := json.Unmarshal(body, &gen); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nserver generated policy version %d for %q (target %.0f %%, projected %.1f %%):\n",
		gen.Version, service, 100*targetKeep, 100*gen.Projected.KeptFraction)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  signature\ttemplate (as reported)\trecords\trate\treason")
	for _, r := range gen.Rates {
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%.4f\t%s\n", r.Signature, r.Template, r.Count, r.Rate, r.Reason)
	}
	tw.Flush()

	// Every instance picks the policy up on its own schedule.
	fmt.Fprintln(out)
	generated := time.Now()
	for _, in := range fleet {
		if err := in.waitVersion(ctx, gen.Version); err != nil {
			return err
		}
		fmt.Fprintf(out, "instance %d runs policy version %d (picked up %v after generation)\n",
			in.id, in.sampler.Policy().Version, time.Since(generated).Round(time.Millisecond))
	}

	for _, in := range fleet {
		in.reset()
	}
	logPhase(fleet, start.Add(phase), perSecond)
	after := tallies(fleet)

	fmt.Fprintf(out, "\nkept fraction (target %.0f %%):\n", 100*targetKeep)
	tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "instance\tpolicy\tseen before\tkept before\tseen after\tkept after\tERROR kept\t")
	for i, in := range fleet {
		b, a := before[i], after[i]
		fmt.Fprintf(tw, "%d\tv%d\t%d\t%.1f %%\t%d\t%.1f %%\t%d/%d\t\n", in.id, in.sampler.Policy().Version,
			b.seen, 100*b.keptFraction(), a.seen, 100*a.keptFraction(), a.errKept, a.errSeen)
	}
	var b, a tally
	for i := range fleet {
		b, a = b.add(before[i]), a.add(after[i])
	}
	fmt.Fprintf(tw, "all\t\t%d\t%.1f %%\t%d\t%.1f %%\t%d/%d\t\n", b.seen, 100*b.keptFraction(), a.seen, 100*a.keptFraction(), a.errKept, a.errSeen)
	tw.Flush()
	if a.errKept != a.errSeen || b.errKept != b.errSeen {
		return fmt.Errorf("ERROR records were dropped: %d/%d before, %d/%d after", b.errKept, b.errSeen, a.errKept, a.errSeen)
	}
	fmt.Fprintln(out, "\nEvery ERROR record was kept. The kept fraction sits a little above the")
	fmt.Fprintln(out, "target: the sampler's first-N rule keeps the first 10 records of every")
	fmt.Fprintln(out, "pattern in each 10 s window, so that no pattern disappears.")
	return nil
}

// apiClient calls the server's API with the team's key.
type apiClient struct {
	base, key string
	http      *http.Client
}

func (c *apiClient) do(ctx context.Context, method, path string, body any, want int) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != want {
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(data))
	}
	return data, nil
}

// instance is one process of the service: a sampler, a slog logger through
// slogx, and a policy client that syncs the sampler with the server.
type instance struct {
	id      int
	sampler *sampler.Sampler
	client  *client.Client
	logger  *slog.Logger
	sink    *countingHandler
	rng     *rand.Rand
	timeout time.Duration // of each client request and of shutdown
}

func newInstance(id int, api *apiClient, errOut io.Writer, timeout time.Duration) (*instance, error) {
	s, err := sampler.New()
	if err != nil {
		return nil, err
	}
	c, err := client.New(api.base, service,
		client.WithAPIKey(api.key), client.WithTeamID(team), client.WithHTTPClient(api.http),
		client.WithSetter(s), client.WithStatsSource(s),
		client.WithInterval(syncEvery), client.WithStatsInterval(syncEvery),
		client.WithTimeout(timeout), client.WithBackoff(100*time.Millisecond, time.Second),
		client.WithErrorHandler(func(err error) { fmt.Fprintf(errOut, "instance %d: %v\n", id, err) }),
	)
	if err != nil {
		s.Shutdown(context.Background())
		return nil, err
	}
	sink := &countingHandler{}
	return &instance{id: id, sampler: s, client: c, sink: sink,
		logger: slog.New(slogx.New(sink, s)), rng: rand.New(rand.NewPCG(uint64(id), 42)), timeout: timeout}, nil
}

// shutdown stops the client (after a final stats report) and the sampler.
func (in *instance) shutdown(errOut io.Writer) {
	ctx, cancel := context.WithTimeout(context.Background(), in.timeout)
	defer cancel()
	if err := errors.Join(in.client.Shutdown(ctx), in.sampler.Shutdown(ctx)); err != nil {
		fmt.Fprintf(errOut, "instance %d: shutdown: %v\n", in.id, err)
	}
}

// waitVersion waits until the client has put version v in force.
func (in *instance) waitVersion(ctx context.Context, v int64) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for in.client.Stats().Version < v {
		select {
		case <-ctx.Done():
			return fmt.Errorf("instance %d did not pick up policy version %d: %w", in.id, v, ctx.Err())
		case <-tick.C:
		}
	}
	return nil
}

func (in *instance) reset() { in.sink.reset() }

// event is one kind of record of the workload.
type event struct {
	level  slog.Level
	weight int // relative frequency
	log    func(r *rand.Rand, id int) (msg string, attrs []slog.Attr)
}

var (
	users   = []string{"alice", "bob", "carol", "dave", "erin"}
	paths   = []string{"/api/orders", "/api/cart", "/api/search", "/api/checkout"}
	workers = []string{"w1", "w2", "w3"}
)

// events is a checkout service's traffic: most of it health checks, cache
// hits and request logs; some database and queue work; a few warnings and
// errors.
var events = []event{
	{slog.LevelInfo, 400, func(r *rand.Rand, _ int) (string, []slog.Attr) {
		return "cache hit for key user:" + strconv.Itoa(r.IntN(10000)) + ":cart", nil
	}},
	{slog.LevelInfo, 250, func(r *rand.Rand, _ int) (string, []slog.Attr) {
		return "request served", []slog.Attr{slog.String("method", "GET"), slog.String("path", paths[r.IntN(len(paths))]),
			slog.Int("status", 200), slog.Duration("elapsed", time.Duration(r.IntN(40_000_000)))}
	}},
	{slog.LevelDebug, 150, func(*rand.Rand, int) (string, []slog.Attr) {
		return "health check ok", nil
	}},
	{slog.LevelInfo, 100, func(r *rand.Rand, _ int) (string, []slog.Attr) {
		return "db query orders took " + strconv.Itoa(1+r.IntN(30)) + " ms, " + strconv.Itoa(r.IntN(50)) + " rows", nil
	}},
	{slog.LevelInfo, 60, func(r *rand.Rand, id int) (string, []slog.Attr) {
		return "job " + strconv.Itoa(r.IntN(1_000_000)) + " dequeued by worker " + workers[id%len(workers)], nil
	}},
	{slog.LevelInfo, 20, func(r *rand.Rand, _ int) (string, []slog.Attr) {
		return "user " + users[r.IntN(len(users))] + " logged in from 10.0." + strconv.Itoa(r.IntN(256)) + "." + strconv.Itoa(r.IntN(256)), nil
	}},
	{slog.LevelWarn, 8, func(r *rand.Rand, _ int) (string, []slog.Attr) {
		return "slow request to " + paths[r.IntN(len(paths))] + " took " + strconv.Itoa(1000+r.IntN(3000)) + " ms", nil
	}},
	{slog.LevelError, 3, func(r *rand.Rand, _ int) (string, []slog.Attr) {
		return "payment failed for order " + strconv.Itoa(r.IntN(100000)) + ": card declined",
			[]slog.Attr{slog.Int("code", 51+r.IntN(3))}
	}},
	{slog.LevelInfo, 2, func(r *rand.Rand, _ int) (string, []slog.Attr) {
		return "refund issued to customer " + users[r.IntN(len(users))] + "@example.com", nil
	}},
}

// logPhase logs one simulated phase on every instance, concurrently.
func logPhase(fleet []*instance, start time.Time, perSecond int) {
	total := 0
	for _, e := range events {
		total += e.weight
	}
	var wg sync.WaitGroup
	for _, in := range fleet {
		wg.Go(func() {
			ctx := context.Background()
			h := in.logger.Handler()
			n := int(phase.Seconds()) * perSecond
			for i := range n {
				at := start.Add(time.Duration(i) * phase / time.Duration(n))
				e := pick(in.rng, total)
				msg, attrs := e.log(in.rng, in.id)
				// A record with a simulated time; logger.Log would stamp
				// time.Now.
				rec := slog.NewRecord(at, e.level, msg, 0)
				rec.AddAttrs(attrs...)
				h.Handle(ctx, rec)
				in.sink.seen(e.level)
			}
		})
	}
	wg.Wait()
}

func pick(r *rand.Rand, total int) event {
	x := r.IntN(total)
	for _, e := range events {
		if x < e.weight {
			return e
		}
		x -= e.weight
	}
	return events[0]
}

// countingHandler is the end of each instance's pipeline, where a real
// service would write JSON: it counts the records that reach it (the kept
// ones); seen counts every record logged.
type countingHandler struct {
	nSeen, nKept, errSeen, errKept atomic.Int64
}

func (h *countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countingHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *countingHandler) WithGroup(string) slog.Handler            { return h }

func (h *countingHandler) Handle(_ context.Context, r slog.Record) error {
	h.nKept.Add(1)
	if r.Level >= slog.LevelError {
		h.errKept.Add(1)
	}
	return nil
}

func (h *countingHandler) seen(l slog.Level) {
	h.nSeen.Add(1)
	if l >= slog.LevelError {
		h.errSeen.Add(1)
	}
}

func (h *countingHandler) reset() {
	h.nSeen.Store(0)
	h.nKept.Store(0)
	h.errSeen.Store(0)
	h.errKept.Store(0)
}

// tally is one instance's counts over one phase.
type tally struct {
	seen, kept, errSeen, errKept int64
}

func (t tally) keptFraction() float64 {
	if t.seen == 0 {
		return 0
	}
	return float64(t.kept) / float64(t.seen)
}

func (t tally) add(o tally) tally {
	return tally{t.seen + o.seen, t.kept + o.kept, t.errSeen + o.errSeen, t.errKept + o.errKept}
}

func tallies(fleet []*instance) []tally {
	out := make([]tally, len(fleet))
	for i, in := range fleet {
		h := in.sink
		out[i] = tally{h.nSeen.Load(), h.nKept.Load(), h.errSeen.Load(), h.errKept.Load()}
	}
	return out
}
