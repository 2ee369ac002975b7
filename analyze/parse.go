package analyze

import (
	"strings"
	"time"
	"unsafe"

	"github.com/srex-dev/lipservice-go/logline"
	"github.com/srex-dev/lipservice-go/signature"
)

// lineRec is one parsed input line. Its strings alias the chunk's buffer
// (see [chunk]).
type lineRec struct {
	content string // the message the patterns are mined from
	t       time.Time
	sig     signature.Sig // signature.Of(content): the sampler's key
	bytes   uint32        // raw bytes of the line, newline included
	lvl     level
	blank   bool // the line is empty or white space
	matched bool // false when --format is set and the line does not match it
	kind    logline.Kind
	cont    bool // no header, and the shape of a continuation line (logline.Continues)
	// keysAt and keysEnd delimit, in its chunk's keys, the
	// logline.KeysTemplate of a JSON/logfmt line without a message, whose
	// pattern is its keys alone; equal otherwise. It becomes a string only
	// at the signature's first line.
	keysAt, keysEnd uint32
}

// lineParser turns raw lines into records. It is safe for concurrent use:
// every worker shares one.
type lineParser struct {
	format *logline.Format    // nil: detect the header
	sp     *logline.Parser    // structured lines (JSON, logfmt) when format is nil
	fast   *fastFormat        // byte-level matcher for format, nil if it has none
	tf     logline.TimeFields // the time fields of format
}

// parseChunk parses every line of c into c.recs.
func (lp *lineParser) parseChunk(c *chunk) {
	c.recs = c.recs[:0]
	c.keys = c.keys[:0]
	if len(c.buf) == 0 {
		return
	}
	c.tc = timeCache{key: c.tc.key[:0]}
	c.ss.Reset()
	if lp.fast != nil && len(c.vals) != len(lp.fast.names) {
		c.vals = make([]string, len(lp.fast.names))
	}
	// The strings alias c.buf, which stays unchanged until the consumer has
	// released the chunk; the consumer clones what it keeps.
	s := unsafe.String(unsafe.SliceData(c.buf), len(c.buf))
	for len(s) > 0 {
		var line string
		n := len(s)
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s, n = s[:i], s[i+1:], i+1
		} else {
			line, s = s, ""
		}
		c.recs = append(c.recs, lp.parseLine(line, c))
		c.recs[len(c.recs)-1].bytes = uint32(min(n, maxLineBytes+1))
	}
}

// parseLine parses one line of c without its newline.
func (lp *lineParser) parseLine(line string, c *chunk) lineRec {
	line = strings.TrimSuffix(line, "\r")
	var r lineRec
	if isBlank(line) {
		r.blank = true
		return r
	}
	r.matched = true
	if lp.format == nil && lp.sp != nil {
		sr, kind := lp.sp.Parse(line, &c.ss)
		r.kind = kind
		if kind == logline.JSON || kind == logline.Logfmt {
			r.content, r.t, r.lvl, r.sig = sr.Message, sr.Time, levelOf(sr.Level), sr.Sig
			if sr.Message == "" {
				r.keysAt = uint32(len(c.keys)) // sr.Keys alias the scratch: render now
				c.keys = logline.AppendKeysTemplate(c.keys, sr.Keys)
				r.keysEnd = uint32(len(c.keys))
			}
			return r
		}
	}
	if lp.format == nil {
		content, t, word, ok := logline.Detect(line)
		r.content, r.t = content, t
		if ok {
			r.lvl = levelOf(word)
		} else {
			r.cont = logline.Continues(line)
		}
	} else {
		r.content, r.t, r.lvl, r.matched = lp.parseFormat(line, c)
		r.cont = !r.matched && logline.Continues(line)
	}
	r.sig = signature.Of(r.content)
	return r
}

// parseFormat reads a line with the Loghub format: its <Content>, <Level>
// and time fields (see logline.TimeFields). A line that does not match is
// all content, without level or time.
func (lp *lineParser) parseFormat(line string, c *chunk) (content string, t time.Time, lvl level, ok bool) {
	if lp.fast != nil {
		if content, t, lvl, ok = lp.fast.parse(line, c.vals, &c.tc); ok {
			return content, t, lvl, true
		}
	}
	f, ok := lp.format.Parse(line)
	if !ok {
		return strings.TrimSpace(line), time.Time{}, levelNone, false
	}
	return f.Content, lp.tf.Time(f.Values), levelOf(f.Get("Level")), true
}

// isBlank reports whether s holds only ASCII white space.
func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\r', '\v', '\f':
		default:
			return false
		}
	}
	return true
}
