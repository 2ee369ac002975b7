package quality

import (
	"log/slog"
	"strconv"
	"time"

	"github.com/srex-dev/lipservice-go/internal/loggen"
)

// Zap is zap's sampler (go.uber.org/zap/zapcore.NewSamplerWithOptions)
// re-implemented over loggen lines: per level and per raw message, the first
// First lines of each tick are kept, then every Thereafter-th. As in zap, the
// key is the FNV-1a 32 hash of the message modulo 4096 (colliding messages
// share a counter), and a counter's tick starts at the first line that finds
// it expired (ticks are not aligned to the clock). Time comes from the line.
//
// The zero value is not usable; call [NewZap]. A Zap is not safe for
// concurrent use (the harness replays one stream on one goroutine).
type Zap struct {
	tick              time.Duration
	first, thereafter uint64
	counts            [zapLevels][zapCounters]zapCounter
}

const (
	zapLevels   = 7 // zap's DebugLevel (-1) to FatalLevel (5)
	zapCounters = 4096
)

type zapCounter struct {
	resetAt int64
	n       uint64
}

var _ Method = (*Zap)(nil)

// NewZap returns zap's sampler with the given tick, first and thereafter
// (zap's production default is time.Second, 100, 100).
func NewZap(tick time.Duration, first, thereafter int) *Zap {
	return &Zap{tick: tick, first: uint64(first), thereafter: uint64(thereafter)}
}

// Name returns "zap <first>/<thereafter>", for example "zap 100/100".
func (z *Zap) Name() string {
	return "zap " + strconv.FormatUint(z.first, 10) + "/" + strconv.FormatUint(z.thereafter, 10)
}

// Decide applies zap's rule to l. Zap reports no rate, so Rate is 0.
func (z *Zap) Decide(l *loggen.Line) Outcome {
	c := &z.counts[zapLevel(l.Level)+1][fnv32a(l.Message)%zapCounters]
	tn := l.Time.UnixNano()
	if c.resetAt > tn {
		c.n++
	} else {
		c.n = 1
		c.resetAt = tn + z.tick.Nanoseconds()
	}
	if c.n > z.first && (z.thereafter == 0 || (c.n-z.first)%z.thereafter != 0) {
		return Outcome{}
	}
	return Outcome{Keep: true}
}

// zapLevel maps an slog level to zap's level numbers (Debug -1 … Error 2).
func zapLevel(l slog.Level) int {
	switch {
	case l < slog.LevelInfo:
		return -1
	case l < slog.LevelWarn:
		return 0
	case l < slog.LevelError:
		return 1
	default:
		return 2
	}
}

// fnv32a is FNV-1a 32 over s, as in zap.
func fnv32a(s string) uint32 {
	const (
		offset32 = 2166136261
		prime32  = 16777619
	)
	h := uint32(offset32)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= prime32
	}
	return h
}

// Names of the volume-matched baselines that [Compare] adds.
const (
	// Uniform keeps every line with the same probability p = K/N, where K
	// is the reference method's kept count and N the number of lines.
	Uniform = "uniform"
	// LevelOnly keeps every WARN and ERROR line and INFO/DEBUG lines with
	// the probability that makes the total kept count equal K (1 when the
	// WARN and ERROR lines alone exceed K).
	LevelOnly = "level-only"
)
