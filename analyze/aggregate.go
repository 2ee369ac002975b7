package analyze

import (
	"cmp"
	"context"
	"strings"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/logline"
	"github.com/srex-dev/lipservice-go/signature"
)

// maxEvents caps the anomaly events an analysis lists; later events are
// counted in eventsTotal only.
const maxEvents = 1000

// aggregator consumes parsed lines in input order and gathers everything the
// report needs. It runs on one goroutine (the anomaly callback runs on it
// too, inside Observe).
type aggregator struct {
	miner *cluster.Miner
	det   *anomaly.Detector
	tb    *table

	lines, blank, unmatched, timed, bytes uint64
	structured, malformed                 uint64 // JSON/logfmt lines, and lines that broke that syntax
	joined                                uint64 // continuation lines joined to the record above
	join                                  bool   // join continuation lines (--join)
	joiner                                logline.Joiner
	lastSig                               signature.Sig // signature of the current record
	first, last                           time.Time
	lastT                                 time.Time         // time of the latest timed line
	shift                                 logline.YearShift // year-less times as the detectors see them
	roller                                logline.YearRoller

	events         []anomaly.Event
	eventIndex     map[uint64]int
	eventsTotal    int
	incidentsTotal int // events other than anomaly.NewPattern, for --exit-code

	norm []byte // scratch for templates

	// The anomaly interval: given (--interval), or chosen from the first
	// autoIntervalRecords observations, which are held until then (see
	// interval.go). det is nil while observations are held.
	interval     time.Duration
	intervalAuto bool
	held         []heldObs
	holdMax      int // observations held at most; 0: autoIntervalRecords
	detOpts      []anomaly.Option
	detErr       error // from anomaly.New when det was started late
}

// heldObs is an observation held back until the anomaly interval is chosen.
type heldObs struct {
	s   *sigStat // its signature and template (valid after an eviction too)
	t   time.Time
	lvl level
}

// newAggregator returns an aggregator whose anomaly detectors count per
// interval, or per an interval chosen from the input when interval is 0.
func newAggregator(maxSigs int, interval time.Duration, opts ...anomaly.Option) (*aggregator, error) {
	a := &aggregator{
		miner:      cluster.NewMiner(cluster.WithExamples(false)),
		tb:         newTable(maxSigs),
		eventIndex: make(map[uint64]int),
		norm:       make([]byte, 0, 1024),
		detOpts:    opts,
	}
	if interval > 0 {
		a.interval = interval
		if err := a.startDetector(); err != nil {
			return nil, err
		}
		return a, nil
	}
	a.intervalAuto = true
	return a, nil
}

// startDetector creates the anomaly detectors for a.interval.
func (a *aggregator) startDetector() error {
	opts := append([]anomaly.Option{anomaly.WithCallback(a.onEvent), anomaly.WithInterval(a.interval)}, a.detOpts...)
	det, err := anomaly.New(opts...)
	if err != nil {
		return err
	}
	a.det = det
	return nil
}

// decide chooses the interval from the held observations (see interval.go),
// starts the detectors and replays the observations into them.
func (a *aggregator) decide() {
	times := make([]float64, 0, len(a.held))
	for _, h := range a.held {
		if !h.t.IsZero() {
			times = append(times, float64(h.t.Unix())+float64(h.t.Nanosecond())/1e9)
		}
	}
	kept, span := trimmedSpan(times)
	n := kept
	if len(times) > 0 {
		// Lines without a time are records of the detectors too.
		n = int(int64(kept) * int64(len(a.held)) / int64(len(times)))
	}
	a.interval = chooseInterval(n, span)
	held := a.held
	a.held = nil
	if err := a.startDetector(); err != nil {
		a.detErr = err
		return
	}
	for _, h := range held {
		a.det.Observe(h.s.sig, h.s.template, h.lvl.slog(), h.t)
	}
}

// observe passes one observation to the detectors, or holds it while the
// interval is not chosen yet.
func (a *aggregator) observe(r *lineRec, s *sigStat, t time.Time) {
	if a.det != nil {
		a.det.Observe(r.sig, r.content, r.lvl.slog(), t)
		return
	}
	if a.detErr != nil {
		return
	}
	a.held = append(a.held, heldObs{s: s, t: t, lvl: r.lvl})
	if len(a.held) >= cmp.Or(a.holdMax, autoIntervalRecords) {
		a.decide()
	}
}

// shutdown stops the detectors, if started.
func (a *aggregator) shutdown() {
	if a.det != nil {
		a.det.Shutdown(context.Background())
	}
}

// onEvent records an anomaly event: the open delivery adds it, the close
// delivery updates it.
func (a *aggregator) onEvent(e anomaly.Event) {
	if i, ok := a.eventIndex[e.ID]; ok {
		a.events[i] = e
		return
	}
	a.eventsTotal++
	if e.Type != anomaly.NewPattern {
		a.incidentsTotal++
	}
	if len(a.events) < maxEvents {
		a.eventIndex[e.ID] = len(a.events)
		a.events = append(a.events, e)
	}
}

// addChunk counts every line of c.
func (a *aggregator) addChunk(c *chunk) {
	for i := range c.recs {
		a.add(&c.recs[i], c.keys)
	}
}

// add counts one line.
//
// The error type (signature.ErrorType) is looked up once per signature, on its
// first line, when it lies in the template's constant text: the other lines
// of the signature name the same type, except where a masked token (a word
// with digits, such as S3Exception) precedes it or, when the first line
// names none, is one; such types are missed. When the first line's type is
// itself masked, every line of the signature is looked up. Whether a line
// counts the type depends on its own level (countsAt). keys is the chunk's
// rendering of key templates (lineRec.keysAt).
func (a *aggregator) add(r *lineRec, keys []byte) {
	if r.blank {
		a.blank++
		return
	}
	a.lines++
	a.bytes += uint64(r.bytes)
	if a.join && a.joiner.Next(int(r.bytes), false, r.cont) {
		// A continuation line (stack trace, dump): part of the record
		// above, whose pattern, time and level it shares.
		a.joined++
		if s := a.tb.get(a.lastSig); s != nil {
			s.bytes += uint64(r.bytes)
		}
		return
	}
	a.lastSig = r.sig
	if !r.matched {
		a.unmatched++
	}
	switch r.kind {
	case logline.JSON, logline.Logfmt:
		a.structured++
	case logline.Malformed:
		a.malformed++
	}
	t := r.t
	if !t.IsZero() {
		// A header without a year gives year 0; the roller moves such times
		// into years 1, 2, ... at each new year (logline.YearRoller).
		t = a.roller.Roll(t)
		a.timed++
		a.lastT = t
		if a.first.IsZero() || t.Before(a.first) {
			a.first = t
		}
		if a.last.IsZero() || t.After(a.last) { // year-0 times are before the zero Time
			a.last = t
		}
	} else {
		t = a.lastT // a line without a time takes its predecessor's
	}
	tb := a.tb
	s := tb.get(r.sig)
	if s == nil {
		var msgSig signature.Sig
		a.norm, msgSig = signature.AppendSig(a.norm[:0], r.content)
		tmpl := string(a.norm)
		keysOnly := r.keysEnd > r.keysAt
		if keysOnly {
			tmpl = string(keys[r.keysAt:r.keysEnd])
		}
		s = tb.add(r.sig, tmpl, r.content)
		s.keys = r.sig - msgSig // the keys a structured line folded in, see sigStat
		s.keysOnly = keysOnly
		if et := signature.ErrorType(r.content); et != "" {
			s.errType = strings.Clone(et)
			s.errPerLine = !strings.Contains(s.template, et)
		}
		if !s.keysOnly {
			a.miner.AddTemplate(tmpl)
		}
	}
	s.count++
	s.bytes += uint64(r.bytes)
	s.levels[r.lvl]++
	et := s.errType
	if s.errPerLine {
		et = signature.ErrorType(r.content)
	}
	if countsAt(et, r.lvl) {
		s.addErrorType(et)
	}
	if t.IsZero() {
		a.observe(r, s, t)
		return
	}
	if s.first.IsZero() || t.Before(s.first) {
		s.first = t
	}
	if s.last.IsZero() || t.After(s.last) {
		s.last = t
	}
	b := tb.bucket(t)
	if s.series == nil {
		s.series = make([]uint32, maxBuckets)
	}
	s.series[b] = satAdd32(s.series[b], 1)
	tb.total[b] = satAdd32(tb.total[b], 1)
	if r.lvl >= levelError {
		tb.errs[b] = satAdd32(tb.errs[b], 1)
	}
	a.observe(r, s, a.detectorTime(t))
}

// detectorTime returns t as the detectors see it (logline.YearShift: a
// header without a year is too early for UnixNano).
func (a *aggregator) detectorTime(t time.Time) time.Time {
	return a.shift.Shift(t)
}

// finish chooses the interval if the input was too short to choose it
// earlier, and closes the detectors' pending intervals at the end of the
// input. It returns the error of starting the detectors.
func (a *aggregator) finish() error {
	if a.det == nil && a.detErr == nil {
		a.decide()
	}
	if a.detErr != nil {
		return a.detErr
	}
	if !a.lastT.IsZero() {
		a.det.Advance(a.detectorTime(a.lastT).Add(a.interval))
	}
	return nil
}

// reportTime undoes detectorTime on an event time.
func (a *aggregator) reportTime(t time.Time) time.Time {
	return a.shift.Unshift(t)
}
