package analyze

import (
	"strings"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/signature"
)

// maxEvents caps the anomaly events an analysis lists; later events are
// counted in eventsTotal only.
const maxEvents = 1000

// detectorYearShift is added to the times of lines whose header has no year
// (syslog "Jan _2 15:04:05" gives year 0) before the anomaly detectors see
// them: the detectors count intervals of t.UnixNano(), which cannot represent
// years before 1678. 2000 years are a whole number of 400-year Gregorian
// cycles, so month, day, weekday and leap days are unchanged; event times are
// shifted back for the report.
const detectorYearShift = 2000

// aggregator consumes parsed lines in input order and gathers everything the
// report needs. It runs on one goroutine (the anomaly callback runs on it
// too, inside Observe).
type aggregator struct {
	miner *cluster.Miner
	det   *anomaly.Detector
	tb    *table

	lines, blank, unmatched, timed, bytes uint64
	first, last                           time.Time
	lastT                                 time.Time // time of the latest timed line
	yearless                              bool      // some line had a year-0 time

	events         []anomaly.Event
	eventIndex     map[uint64]int
	eventsTotal    int
	incidentsTotal int // events other than anomaly.NewPattern, for --exit-code

	norm []byte // scratch for templates
}

func newAggregator(maxSigs int, opts ...anomaly.Option) (*aggregator, error) {
	a := &aggregator{
		miner:      cluster.NewMiner(cluster.WithExamples(false)),
		tb:         newTable(maxSigs),
		eventIndex: make(map[uint64]int),
		norm:       make([]byte, 0, 1024),
	}
	det, err := anomaly.New(append([]anomaly.Option{anomaly.WithCallback(a.onEvent)}, opts...)...)
	if err != nil {
		return nil, err
	}
	a.det = det
	return a, nil
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
		a.add(&c.recs[i])
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
// counts the type depends on its own level (countsAt).
func (a *aggregator) add(r *lineRec) {
	if r.blank {
		a.blank++
		return
	}
	a.lines++
	a.bytes += uint64(r.bytes)
	if !r.matched {
		a.unmatched++
	}
	t := r.t
	if !t.IsZero() {
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
		a.norm = signature.AppendNormalize(a.norm[:0], r.content)
		tmpl := string(a.norm)
		s = tb.add(r.sig, tmpl, r.content)
		if et := signature.ErrorType(r.content); et != "" {
			s.errType = strings.Clone(et)
			s.errPerLine = !strings.Contains(s.template, et)
		}
		a.miner.AddTemplate(tmpl)
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
		a.det.Observe(r.sig, r.content, r.lvl.slog(), t)
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
	a.det.Observe(r.sig, r.content, r.lvl.slog(), a.detectorTime(t))
}

// minNanoUnix is the earliest Unix second whose UnixNano is representable
// (in the year 1677).
const minNanoUnix = -(1 << 63) / int64(time.Second)

// detectorTime returns t as the detectors see it: shifted by
// detectorYearShift years when it is too early for UnixNano (a header
// without a year).
func (a *aggregator) detectorTime(t time.Time) time.Time {
	if t.Unix() > minNanoUnix {
		return t
	}
	a.yearless = true
	return t.AddDate(detectorYearShift, 0, 0)
}

// finish closes the detectors' pending intervals at the end of the input.
func (a *aggregator) finish() {
	if !a.lastT.IsZero() {
		a.det.Advance(a.detectorTime(a.lastT).Add(anomaly.DefaultInterval))
	}
}

// reportTime undoes detectorYearShift on an event time.
func (a *aggregator) reportTime(t time.Time) time.Time {
	if a.yearless && t.Year() == detectorYearShift { // year 0, the only year-less year
		return t.AddDate(-detectorYearShift, 0, 0)
	}
	return t
}
