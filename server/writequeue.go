package server

import (
	"context"
	"errors"
	"sync"

	"github.com/srex-dev/lipservice-go/internal/fnv"
	"github.com/srex-dev/lipservice-go/server/store"
)

// DefaultMaxQueuedPatterns is the default of [WithMaxQueuedPatterns].
const DefaultMaxQueuedPatterns = 100000

// Batch bounds: a writer commits at most maxBatchReports reports, and stops
// adding reports to a batch once it holds maxBatchPatterns patterns, so
// that one transaction (on SQLite, one turn of the single writer) stays
// short.
const (
	maxBatchReports  = 64
	maxBatchPatterns = 20000
)

// errQueueFull and errQueueClosed are the refusals of writeQueue.submit.
var (
	errQueueFull   = errors.New("server: stats write queue full")
	errQueueClosed = errors.New("server: stats write queue closed")
)

// writeQueue is the Server's stats write path: handlers submit decoded
// reports, and writer goroutines record them in batches, each batch in one
// transaction ([store.Store.RecordStatsBatch]), and hand each submitter its
// report's result once the batch is committed.
//
// It is bounded by patterns: a report counts its patterns plus one, from
// submit until its batch is written, and a report that would take the
// count beyond max is refused (errQueueFull) unless nothing is queued, so
// the memory of queued reports is at most max patterns (about 300 bytes
// each with a typical template, 1 KiB with the longest) plus one report.
//
// Reports are spread over the writers by team and service (FNV-1a), so
// that the reports of one service are written in submit order by one
// writer, and concurrent batches on PostgreSQL never share a service's
// rows. After close, submit returns errQueueClosed and the caller writes
// the report itself. It is safe for concurrent use.
type writeQueue struct {
	st  *store.Store
	max int

	mu      sync.Mutex
	queued  int // patterns (plus one per report) submitted and not yet written
	closed  bool
	writers []*writer
	wg      sync.WaitGroup

	// hold, when set (tests), is received from before each batch is
	// written.
	hold chan struct{}
}

// writer is one writer goroutine's queue.
type writer struct {
	jobs []*writeJob   // guarded by writeQueue.mu
	wake chan struct{} // capacity 1: jobs were added, or close
}

// writeJob is one submitted report.
type writeJob struct {
	tr   store.TeamReport
	size int
	done chan store.BatchResult // capacity 1
}

// newWriteQueue starts n writer goroutines (at least one) over st, queuing
// at most maxQueued patterns. hold is nil except in tests.
func newWriteQueue(st *store.Store, n, maxQueued int, hold chan struct{}) *writeQueue {
	q := &writeQueue{st: st, max: maxQueued, hold: hold}
	for range max(n, 1) {
		w := &writer{wake: make(chan struct{}, 1)}
		q.writers = append(q.writers, w)
		q.wg.Add(1)
		go q.run(w)
	}
	return q
}

// submit queues rep and waits until it is written, or until ctx ends (the
// report is then still written, but its result is lost). It returns
// errQueueFull or errQueueClosed without queuing.
func (q *writeQueue) submit(ctx context.Context, team int64, rep store.Report) (store.BatchResult, error) {
	j := &writeJob{tr: store.TeamReport{Team: team, Report: rep}, size: len(rep.Patterns) + 1, done: make(chan store.BatchResult, 1)}
	h := fnv.String(rep.Service) ^ uint64(team)*0x9e3779b97f4a7c15
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return store.BatchResult{}, errQueueClosed
	}
	if q.queued > 0 && q.queued+j.size > q.max {
		q.mu.Unlock()
		return store.BatchResult{}, errQueueFull
	}
	q.queued += j.size
	w := q.writers[h%uint64(len(q.writers))]
	w.jobs = append(w.jobs, j)
	q.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default: // a wake-up is pending already
	}
	select {
	case res := <-j.done:
		return res, nil
	case <-ctx.Done():
		return store.BatchResult{}, ctx.Err()
	}
}

// run is a writer goroutine: it writes its jobs in batches until the queue
// is closed and its jobs are written.
func (q *writeQueue) run(w *writer) {
	defer q.wg.Done()
	for {
		<-w.wake
		for {
			q.mu.Lock()
			batch, size := q.take(w)
			closed := q.closed
			q.mu.Unlock()
			if len(batch) == 0 {
				if closed {
					return
				}
				break
			}
			if q.hold != nil {
				<-q.hold
			}
			q.write(batch)
			q.mu.Lock()
			q.queued -= size
			q.mu.Unlock()
		}
	}
}

// take removes the next batch from w's jobs and returns it with its size.
// q.mu is held.
func (q *writeQueue) take(w *writer) ([]*writeJob, int) {
	n, size, patterns := 0, 0, 0
	for n < len(w.jobs) && n < maxBatchReports && (n == 0 || patterns < maxBatchPatterns) {
		patterns += w.jobs[n].size - 1
		size += w.jobs[n].size
		n++
	}
	batch := make([]*writeJob, n)
	copy(batch, w.jobs)
	w.jobs = append(w.jobs[:0], w.jobs[n:]...)
	return batch, size
}

// write records a batch and hands out the results. Writes are not bound to
// a request: a report whose client went away is still recorded.
func (q *writeQueue) write(batch []*writeJob) {
	trs := make([]store.TeamReport, len(batch))
	for i, j := range batch {
		trs[i] = j.tr
	}
	res := q.st.RecordStatsBatch(context.Background(), trs)
	for i, j := range batch {
		j.done <- res[i]
	}
}

// close stops the queue: later submits get errQueueClosed, and the writers
// write the jobs queued and exit. It waits for them, or for ctx to end
// (then it returns ctx's error, and the writers finish in the background).
// It is idempotent.
func (q *writeQueue) close(ctx context.Context) error {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	for _, w := range q.writers {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
	done := make(chan struct{})
	go func() { q.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
