// Package unitword holds the unit words of signature SPEC §3.1, which the
// normalizer's compound-quantity rule reads, and recognizes a unit word
// after a variable in a normalized template, for both miners: pattern.Miner
// (the sampler's online patterns) and cluster.Miner (lipservice analyze's).
//
// A quantity is written with a unit at one time and without one, or in
// another unit, at another ("lifetime <1 sec" and "lifetime 00:02", "took
// 12 ms" and "took 1.2 s", "451 bytes sent" and "1190 bytes (1.16 KB)
// sent", which the normalizer masks whole, signature SPEC §3.1). The
// normalizer keeps a single amount's unit (its output is a specified key),
// so each form has a template of its own; the miners group them as one
// event, by treating a unit word right after a variable as part of that
// variable's value. The words are the units of signature SPEC §3.1: data
// sizes (IEC 80000-13, and bytes) and time, a class of units, not words
// fitted to one log.
//
// Every function is pure, safe for concurrent use, never allocates and
// never panics.
package unitword

// wild is the normalizer's variable marker (signature.Wildcard; not
// imported, so that the package depends on nothing).
const wild = "<*>"

// Is reports whether s is a unit of signature SPEC §3.1 (the list of the
// normalizer's compound-quantity rule; TestIsAsSpec checks it against
// the normalizer).
func Is(s string) bool {
	switch s {
	case "B", "kB", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "PiB", "byte", "bytes",
		"ns", "us", "ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes",
		"h", "hr", "hrs", "hour", "hours", "day", "days":
		return true
	}
	return false
}

// closers are the bytes that may follow a unit inside its token: closing
// punctuation ("took <*> ms,", "(<*> KB)").
const closers = ")]}'\".,;:!?"

// Token reports whether t is a unit token: a unit ([Is]) followed by zero
// or more closing punctuation bytes. It returns the length of the unit.
func Token(t string) (n int, ok bool) {
	e := len(t)
	for e > 0 && indexByte(closers, t[e-1]) {
		e--
	}
	if e == 0 || e > 7 || !Is(t[:e]) {
		return 0, false
	}
	return e, true
}

// After reports whether a unit token may follow token v: v ends with the
// variable marker <*> ("<*>", "(<*>", "size=<*>"), so the unit belongs to
// the variable's value.
func After(v string) bool {
	return len(v) >= len(wild) && v[len(v)-len(wild):] == wild
}

func indexByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}
