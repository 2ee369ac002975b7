package anomaly

import (
	"sync"
	"sync/atomic"
)

// outboxCap bounds the events queued for the callback while it runs.
const outboxCap = 1024

// publisher fans events out to the recent ring, the channel and the
// callback outbox. publish may be called with a shard or service lock held:
// it only takes mu, never blocks (the channel send is non-blocking) and never
// calls the callback.
type publisher struct {
	mu      sync.Mutex
	closed  bool
	ch      chan Event
	recent  []Event // ring of closed events
	rpos    int
	rn      int
	outbox  [outboxCap]Event // ring of events for the callback
	opos    int
	on      int
	opened  uint64
	dropped uint64

	pending  atomic.Int64 // == on, readable without mu
	cbMu     sync.Mutex   // held by the goroutine running the callback
	cbPanics atomic.Uint64
}

// newEvent assigns e an ID, publishes it and returns a heap copy for the
// detector's active state.
func (d *Detector) newEvent(e Event) *Event {
	e.ID = d.nextID.Add(1)
	p := new(Event)
	*p = e
	d.publish(e)
	return p
}

func (d *Detector) publish(e Event) {
	p := &d.pub
	p.mu.Lock()
	defer p.mu.Unlock()
	if e.End.IsZero() {
		p.opened++
	} else if len(p.recent) > 0 {
		p.recent[p.rpos] = e
		p.rpos = (p.rpos + 1) % len(p.recent)
		p.rn = min(p.rn+1, len(p.recent))
	}
	if p.closed {
		return
	}
	if p.ch != nil {
		select {
		case p.ch <- e:
		default:
			p.dropped++
		}
	}
	if d.cfg.callback != nil {
		if p.on == outboxCap {
			p.dropped++
			return
		}
		p.outbox[(p.opos+p.on)%outboxCap] = e
		p.on++
		p.pending.Store(int64(p.on))
	}
}

// drain delivers queued events to the callback with no lock of ours held
// except cbMu, which serializes callback calls. If another goroutine is
// already delivering, drain returns at once: that goroutine (or the next
// Observe) delivers the rest. A callback that logs into this detector
// re-enters drain, finds cbMu held and returns, so it cannot deadlock.
// Its locks are released by deferred unlocks (paid per batch of events,
// not per record), so that a panic in it leaves none held.
func (d *Detector) drain() {
	for d.pub.pending.Load() > 0 {
		if !d.pub.cbMu.TryLock() {
			return
		}
		d.deliver()
	}
}

// deliver takes a batch of queued events and delivers it; called with
// cbMu held, which it releases.
func (d *Detector) deliver() {
	p := &d.pub
	defer p.cbMu.Unlock()
	var batch [8]Event
	k := p.take(&batch)
	for i := range k {
		d.call(batch[i])
	}
}

// take moves up to len(batch) events from the outbox to batch and returns
// their number.
func (p *publisher) take(batch *[8]Event) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := copy(batch[:], p.outbox[p.opos:min(p.opos+p.on, outboxCap)])
	for i := range k {
		p.outbox[(p.opos+i)%outboxCap] = Event{}
	}
	p.opos = (p.opos + k) % outboxCap
	p.on -= k
	p.pending.Store(int64(p.on))
	return k
}

// drainSafe is drain for ObserveSafe's inline path, a panic recovered and
// returned (drain's locks are released by its deferred unlocks).
func (d *Detector) drainSafe() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = panicError(p)
		}
	}()
	d.drain()
	return nil
}

func (d *Detector) call(e Event) {
	defer func() {
		if recover() != nil {
			d.pub.cbPanics.Add(1)
		}
	}()
	d.cfg.callback(e)
}
