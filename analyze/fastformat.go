package analyze

import (
	"strings"
	"time"

	"github.com/srex-dev/lipservice-go/logline"
)

// fastFormat matches lines against a Loghub log_format with byte loops
// instead of the regular expression logline.Compile builds, for the formats
// whose literal pieces are plain text and spaces (all the Loghub ones but
// those with optional groups).
//
// The compiled expression is ^L0(?P<F1>.*?)L1(?P<F2>.*?)…Ln$, where every
// run of spaces in a literal Li is \s+. Go's regexp picks the submatches a
// backtracking matcher would pick first (leftmost-first), so the answer is the
// first successful branch of the search that makes every field as short as
// possible and every \s+ as long as possible. parse follows exactly that first
// branch without backtracking: each field ends at the first place where the
// next literal matches, each \s+ takes all the white space there, and the
// last field takes the rest of the line. When that branch fails, parse reports
// no match and the caller falls back to the regular expression, so the result
// is always the reference's (TestFastFormatMatchesRegexp and FuzzFastFormat
// check this).
//
// A fastFormat is immutable and safe for concurrent use.
type fastFormat struct {
	lits  [][]litSeg // lits[i] precedes field i; lits[len(names)] ends the line
	names []string
	// Indexes of the fields the analysis reads, -1 when absent.
	content, level int
	tf             logline.TimeFields
	timeFields     []int // indexes of the fields tf reads, for the cache
}

// litSeg is a piece of a literal: white space (\s+) or exact bytes.
type litSeg struct {
	ws bool
	s  string
}

// compileFast compiles format the way logline.Compile does, or returns nil
// when a literal piece holds regular-expression syntax other than spaces and
// escaped punctuation (\[ \] \( \) \. and the like), or non-ASCII bytes.
func compileFast(format string) *fastFormat {
	f := &fastFormat{content: -1, level: -1}
	rest := format
	var lit strings.Builder
	for {
		// Fields are the leftmost non-overlapping matches of <[^<>]+>.
		i := strings.IndexByte(rest, '<')
		if i < 0 {
			break
		}
		j := strings.IndexAny(rest[i+1:], "<>")
		if j < 0 {
			break
		}
		if j == 0 || rest[i+1+j] == '<' {
			lit.WriteString(rest[:i+1]) // this '<' opens no field
			rest = rest[i+1:]
			continue
		}
		lit.WriteString(rest[:i])
		segs, ok := compileLiteral(lit.String())
		if !ok {
			return nil
		}
		lit.Reset()
		f.lits = append(f.lits, segs)
		f.names = append(f.names, rest[i+1:i+1+j])
		rest = rest[i+2+j:]
	}
	lit.WriteString(rest)
	segs, ok := compileLiteral(lit.String())
	if !ok || len(f.names) == 0 {
		return nil
	}
	f.lits = append(f.lits, segs)
	for i, n := range f.names {
		switch n {
		case "Content":
			if f.content < 0 {
				f.content = i
			}
		case "Level":
			if f.level < 0 {
				f.level = i
			}
		}
	}
	f.tf = logline.NewTimeFields(f.names)
	f.timeFields = f.tf.Indexes(nil)
	return f
}

// compileLiteral turns a literal piece of a format into segments; ok is
// false when it holds regular-expression syntax the byte matcher does not
// handle.
func compileLiteral(s string) (segs []litSeg, ok bool) {
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			segs = append(segs, litSeg{s: b.String()})
			b.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return nil, false
		case c == ' ':
			flush()
			for i+1 < len(s) && s[i+1] == ' ' {
				i++
			}
			segs = append(segs, litSeg{ws: true})
		case c == '\\':
			if i+1 == len(s) {
				return nil, false
			}
			i++
			e := s[i]
			if e >= 0x80 || e >= '0' && e <= '9' || e >= 'a' && e <= 'z' || e >= 'A' && e <= 'Z' || e == '_' {
				return nil, false // \d, \s, \b, \1, ...: a class or an assertion
			}
			b.WriteByte(e)
		case strings.IndexByte(`.[]()?*+{}|^$`, c) >= 0:
			return nil, false
		default:
			b.WriteByte(c)
		}
	}
	flush()
	return segs, true
}

// isRegexpSpace reports whether c is in Go regexp's \s class.
func isRegexpSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// matchAt matches segs at s[p:] and returns the end of the match, or -1.
func matchAt(segs []litSeg, s string, p int) int {
	for _, g := range segs {
		if g.ws {
			if p >= len(s) || !isRegexpSpace(s[p]) {
				return -1
			}
			for p < len(s) && isRegexpSpace(s[p]) {
				p++
			}
			continue
		}
		if !strings.HasPrefix(s[p:], g.s) {
			return -1
		}
		p += len(g.s)
	}
	return p
}

// find returns the first position p ≥ from where segs matches in s, and the
// end of that match, or -1, -1. With last set, the match must end at len(s).
func find(segs []litSeg, s string, from int, last bool) (p, end int) {
	for p = from; p <= len(s); p++ {
		if len(segs) > 0 && !segs[0].ws {
			i := strings.Index(s[p:], segs[0].s)
			if i < 0 {
				return -1, -1
			}
			p += i
		} else if len(segs) > 0 {
			i := strings.IndexAny(s[p:], " \t\n\f\r")
			if i < 0 {
				return -1, -1
			}
			p += i
		}
		if end = matchAt(segs, s, p); end >= 0 && (!last || end == len(s)) {
			return p, end
		}
	}
	return -1, -1
}

// match fills vals (len(f.names) long) with the field values of line, which
// must already be trimmed; ok is false when the first branch fails (see
// fastFormat).
func (f *fastFormat) match(line string, vals []string) (ok bool) {
	if strings.IndexByte(line, '\n') >= 0 {
		return false // '.' does not match a newline (input lines have none)
	}
	pos := matchAt(f.lits[0], line, 0)
	if pos < 0 {
		return false
	}
	n := len(f.names)
	for i := range n {
		lit := f.lits[i+1]
		if i == n-1 {
			if len(lit) == 0 {
				vals[i] = line[pos:]
				return true
			}
			p, _ := find(lit, line, pos, true)
			if p < 0 {
				return false
			}
			vals[i] = line[pos:p]
			return true
		}
		if len(lit) == 0 {
			vals[i] = "" // a lazy field followed directly by a field
			continue
		}
		p, end := find(lit, line, pos, false)
		if p < 0 {
			return false
		}
		vals[i], pos = line[pos:p], end
	}
	return false // unreachable: there is at least one field
}

// timeCache remembers the time of the previous line's time fields: logs
// repeat the same second on consecutive lines, and the comparison is
// cheaper than logline.TimeFields.Time. It belongs to one chunk (its strings
// alias the chunk).
type timeCache struct {
	key []string
	t   time.Time
	ok  bool
}

// parse reads a line with the format; ok is false when the fast matcher
// cannot decide (the caller then uses the regular expression). vals is
// scratch space of len(f.names).
func (f *fastFormat) parse(line string, vals []string, tc *timeCache) (content string, t time.Time, lvl level, ok bool) {
	line = strings.TrimSpace(line)
	if !f.match(line, vals) {
		return "", time.Time{}, levelNone, false
	}
	content = line
	if f.content >= 0 {
		content = vals[f.content]
	}
	if f.level >= 0 {
		lvl = levelOf(vals[f.level])
	}
	if len(f.timeFields) > 0 {
		same := tc.ok
		for k, i := range f.timeFields {
			if same && tc.key[k] != vals[i] {
				same = false
			}
		}
		if !same {
			tc.t = f.tf.Time(vals)
			tc.key = tc.key[:0]
			for _, i := range f.timeFields {
				tc.key = append(tc.key, vals[i])
			}
			tc.ok = true
		}
		t = tc.t
	}
	return content, t, lvl, true
}
