package analyze

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/srex-dev/lipservice-go/internal/input"
	"github.com/srex-dev/lipservice-go/logline"
)

// Input limits.
const (
	// defaultChunkBytes is the size of the blocks the reader hands to the
	// parse workers. 1 MiB holds several thousand lines, which amortizes
	// the channel operations, and keeps the in-flight memory at
	// (2·workers + 2) MiB.
	defaultChunkBytes = 1 << 20
	// maxLineBytes is the longest line accepted; a longer one is an error.
	maxLineBytes = 64 << 20
)

// chunk is a block of whole lines of one input, and the records of those
// lines once a worker has parsed them. The strings in recs alias buf: they
// are valid until the chunk goes back to the free list, and whatever the
// aggregator keeps is cloned.
type chunk struct {
	buf  []byte
	recs []lineRec
	done chan struct{} // one value when recs is ready
	err  error         // set on a chunk that only reports an input error

	// Scratch space of the worker parsing the chunk.
	vals []string
	tc   timeCache
	ss   logline.Scratch // structured lines; unescaped messages live here until the chunk is released
	keys []byte          // logline.AppendKeysTemplate of the chunk's lines without a message (lineRec.keysAt)
}

// pipeline reads the inputs in chunks on one goroutine, parses the chunks on
// workers goroutines, and hands them back in input order to the goroutine
// that calls [pipeline.next]. All its goroutines exit after [pipeline.stop]
// (the reader only once its current Read returns).
type pipeline struct {
	free, work, order chan *chunk
	quit              chan struct{}
	stopOnce          sync.Once
	workers           sync.WaitGroup
	readerDone        chan struct{}
	chunkBytes        int
	maxLine           int
	parse             func(*chunk)

	mu     sync.Mutex
	binary []string // warnings about inputs that look binary
}

// sniff records a warning when the start of the input r looks binary (an
// executable, an image; see logline.Binary). The input is analyzed anyway,
// as any text with a few stray bytes is: the text report escapes
// non-printing bytes.
func (p *pipeline) sniff(name string, r io.Reader) {
	br, ok := r.(*bufio.Reader)
	if !ok {
		return
	}
	head, _ := br.Peek(logline.SniffBytes)
	if reason, bin := logline.Binary(head); bin {
		p.mu.Lock()
		p.binary = append(p.binary, inputError(name, errors.New("does not look like a text log ("+reason+")")).Error())
		p.mu.Unlock()
	}
}

// warnings returns the warnings about the inputs read so far.
func (p *pipeline) warnings() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.binary)
}

// newPipeline starts reading names (stdin for "-") in chunks of chunkBytes
// and parsing them with parse on workers goroutines; lines longer than
// maxLine bytes are an error.
func newPipeline(names []string, stdin io.Reader, workers, chunkBytes, maxLine int, parse func(*chunk)) *pipeline {
	n := 2*workers + 2
	p := &pipeline{
		free:       make(chan *chunk, n),
		work:       make(chan *chunk, n),
		order:      make(chan *chunk, n),
		quit:       make(chan struct{}),
		readerDone: make(chan struct{}),
		chunkBytes: chunkBytes,
		maxLine:    maxLine,
		parse:      parse,
	}
	for range n {
		p.free <- &chunk{done: make(chan struct{}, 1)}
	}
	p.workers.Add(workers)
	for range workers {
		go p.work1()
	}
	go p.read(names, stdin)
	return p
}

// next returns the next parsed chunk in input order, or nil at the end of
// the input or when ctx is done. The caller passes the chunk back with
// [pipeline.release].
func (p *pipeline) next(ctx context.Context) *chunk {
	select {
	case c, ok := <-p.order:
		if !ok {
			return nil
		}
		<-c.done // the worker parsing c finishes it even after stop
		return c
	case <-ctx.Done():
		return nil
	}
}

// release returns c to the free list.
func (p *pipeline) release(c *chunk) {
	if cap(c.buf) > 2*p.chunkBytes {
		c.buf = nil // a long line grew it: do not keep the memory
	}
	c.err = nil
	p.free <- c // never blocks: there are as many slots as chunks
}

// stop makes every goroutine exit and waits for the workers, and for the
// reader unless waitReader is false (the reader may be blocked in a Read of
// stdin that nothing will end; it exits when that Read returns).
func (p *pipeline) stop(waitReader bool) {
	p.stopOnce.Do(func() { close(p.quit) })
	p.workers.Wait()
	if waitReader {
		<-p.readerDone
	}
}

func (p *pipeline) work1() {
	defer p.workers.Done()
	for {
		select {
		case c, ok := <-p.work:
			if !ok {
				return
			}
			if c.err == nil {
				p.parse(c)
			}
			c.done <- struct{}{}
		case <-p.quit:
			return
		}
	}
}

// send queues c for parsing and for the consumer; false after stop.
func (p *pipeline) send(c *chunk) bool {
	select {
	case <-p.quit:
		return false
	default:
	}
	p.order <- c // never blocks: there are as many slots as chunks
	p.work <- c
	return true
}

// read is the reader goroutine.
func (p *pipeline) read(names []string, stdin io.Reader) {
	defer close(p.readerDone)
	defer close(p.work)
	defer close(p.order)
	var carry []byte
	for _, name := range names {
		var err error
		if carry, err = p.readInput(name, stdin, carry[:0]); err != nil {
			if errors.Is(err, errStopped) {
				return
			}
			select {
			case c := <-p.free:
				c.buf, c.err = c.buf[:0], err
				p.send(c)
			case <-p.quit:
			}
			return
		}
	}
}

// errStopped reports that the pipeline was stopped during a read.
var errStopped = errors.New("stopped")

// readInput reads one input into chunks; carry is scratch space for the
// partial line at the end of a chunk, returned for reuse.
func (p *pipeline) readInput(name string, stdin io.Reader, carry []byte) ([]byte, error) {
	r, closeFn, err := openInput(name, stdin)
	if err != nil {
		return carry, err
	}
	defer closeFn()
	p.sniff(name, r)
	eof := false
	for !eof {
		var c *chunk
		select {
		case c = <-p.free:
		case <-p.quit:
			return carry, errStopped
		}
		if c.buf == nil {
			c.buf = make([]byte, 0, p.chunkBytes)
		}
		c.buf = append(c.buf[:0], carry...)
		carry = carry[:0]
		for {
			err := fill(r, c)
			if err == io.EOF {
				eof = true
				break
			}
			if err != nil {
				p.release(c)
				return carry, inputError(name, err)
			}
			if i := bytes.LastIndexByte(c.buf, '\n'); i >= 0 {
				carry = append(carry, c.buf[i+1:]...)
				c.buf = c.buf[:i+1]
				break
			}
			if len(c.buf) > p.maxLine {
				p.release(c)
				return carry, inputError(name, fmt.Errorf("line longer than %d bytes", p.maxLine))
			}
			grown := make([]byte, len(c.buf), min(2*cap(c.buf), p.maxLine+1))
			copy(grown, c.buf)
			c.buf = grown
		}
		if len(c.buf) == 0 {
			p.release(c)
			continue
		}
		if !p.send(c) {
			return carry, errStopped
		}
	}
	return carry, nil
}

// fill reads from r until c.buf is full (nil error), or until r fails
// (io.EOF at the end of the input). Unlike io.ReadFull it does not turn an
// io.ErrUnexpectedEOF of r (a truncated gzip stream) into a short read.
func fill(r io.Reader, c *chunk) error {
	for len(c.buf) < cap(c.buf) {
		n, err := r.Read(c.buf[len(c.buf):cap(c.buf)])
		c.buf = c.buf[:len(c.buf)+n]
		if err != nil {
			return err
		}
	}
	return nil
}

func inputError(name string, err error) error { return input.Error(name, err) }

// openInput opens a named file, or stdin for "-", gunzipping it when
// compressed: the CLI's one input reader, [input.Open].
func openInput(name string, stdin io.Reader) (io.Reader, func(), error) {
	return input.Open(name, stdin)
}
