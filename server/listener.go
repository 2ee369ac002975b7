package server

import (
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// DefaultMaxConns is the connection bound `lipservice-server serve` uses by
// default: well under the usual 1 024 soft file limit, with room left for
// the database files and the PostgreSQL pool.
const DefaultMaxConns = 512

// Listener is a [net.Listener] that keeps at most a fixed number of accepted
// connections open, so that a flood of sockets cannot exhaust the process's
// file descriptors. Unlike a plain limited listener (such as
// golang.org/x/net/netutil.LimitListener, which stops accepting at the
// limit) it keeps answering while the flood lasts: when a new connection
// arrives at the limit, the connection that has been idle the longest (no
// request in progress: never sent a byte, or between keep-alive requests) is
// closed to make room. Idle sockets, the cheap attack, therefore cannot lock
// out a health check or a fleet client. Only when every open connection has
// a request in progress does Accept wait for one to finish; those requests
// are bounded by the http.Server's read and write timeouts.
//
// The Listener learns which connections are idle from the http.Server:
// set the server's ConnState field to [Listener.ConnState]. Without it no
// connection is ever idle, and the Listener behaves like a plain limited
// listener: Accept waits at the limit.
//
// The eviction is approximate in one way: a connection whose first request
// bytes have arrived but not yet been read still counts as idle, and may be
// closed under a flood. Finding the oldest idle connection scans the open
// connections (at most the limit) once per eviction.
//
// A Listener is safe for concurrent use. The zero value is not usable; call
// [NewListener].
type Listener struct {
	net.Listener
	max int

	mu     sync.Mutex
	cond   *sync.Cond
	conns  map[*limitedConn]struct{}
	seq    uint64 // orders idle periods: smaller is older
	closed bool

	evicted atomic.Uint64
}

// NewListener returns a Listener that keeps at most maxConns connections
// of l open. It panics if l is nil; maxConns <= 0 means [DefaultMaxConns].
// Closing the Listener closes l; it does not close the connections already
// accepted (http.Server.Shutdown does that).
func NewListener(l net.Listener, maxConns int) *Listener {
	if l == nil {
		panic("server: nil listener")
	}
	if maxConns <= 0 {
		maxConns = DefaultMaxConns
	}
	ln := &Listener{Listener: l, max: maxConns, conns: make(map[*limitedConn]struct{}, maxConns)}
	ln.cond = sync.NewCond(&ln.mu)
	return ln
}

// Accept waits for and returns the next connection. At the limit it first
// closes the longest-idle open connection, or, when none is idle, waits
// until one closes or turns idle. After Close it returns [net.ErrClosed].
func (l *Listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	for len(l.conns) >= l.max && !l.closed {
		v := l.oldestIdleLocked()
		if v == nil {
			l.cond.Wait()
			continue
		}
		delete(l.conns, v)
		l.mu.Unlock()
		v.Conn.Close()
		l.evicted.Add(1)
		l.mu.Lock()
	}
	if l.closed {
		l.mu.Unlock()
		c.Close()
		return nil, net.ErrClosed
	}
	lc := &limitedConn{Conn: c, l: l, since: l.seq} // idle once the server reports StateNew
	l.conns[lc] = struct{}{}
	l.mu.Unlock()
	return lc, nil
}

// Close closes the underlying listener and wakes an Accept waiting for a
// slot.
func (l *Listener) Close() error {
	l.mu.Lock()
	l.closed = true
	l.cond.Broadcast()
	l.mu.Unlock()
	return l.Listener.Close()
}

// ConnState is the http.Server ConnState hook that tells the Listener
// which connections are idle. Connections it did not accept are ignored.
func (l *Listener) ConnState(c net.Conn, state http.ConnState) {
	lc, ok := c.(*limitedConn)
	if !ok || lc.l != l {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch state {
	case http.StateNew, http.StateIdle:
		l.seq++
		lc.idle, lc.since = true, l.seq
		l.cond.Broadcast()
	case http.StateActive:
		lc.idle = false
	case http.StateHijacked, http.StateClosed:
		// A hijacked connection is no longer the server's to evict; it
		// keeps its slot until it is closed.
		lc.idle = false
	}
}

// Open returns the number of accepted connections not yet closed.
func (l *Listener) Open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.conns)
}

// Evicted returns the number of idle connections closed to make room.
func (l *Listener) Evicted() uint64 { return l.evicted.Load() }

func (l *Listener) oldestIdleLocked() *limitedConn {
	var v *limitedConn
	for c := range l.conns {
		if c.idle && (v == nil || c.since < v.since) {
			v = c
		}
	}
	return v
}

// limitedConn is a connection accepted by a Listener; closing it frees its
// slot.
type limitedConn struct {
	net.Conn
	l     *Listener
	once  sync.Once
	idle  bool   // guarded by l.mu
	since uint64 // guarded by l.mu
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.conns, c)
		c.l.cond.Broadcast()
		c.l.mu.Unlock()
	})
	if errors.Is(err, net.ErrClosed) {
		return nil // evicted by the Listener
	}
	return err
}
