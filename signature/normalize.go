package signature

// PLACEHOLDER (foundation commit): a digit-run masker so that dependent
// packages build. The pattern-engine work replaces this file with the real
// single-pass scanner specified in SPEC.md.

// AppendNormalize appends the template of msg to dst and returns the extended
// slice. It does not allocate when dst has enough capacity.
func AppendNormalize(dst []byte, msg string) []byte {
	start := 0
	for start < len(msg) {
		end := start
		for end < len(msg) && msg[end] != ' ' {
			end++
		}
		tok := msg[start:end]
		if hasDigit(tok) {
			dst = append(dst, "<*>"...)
		} else {
			dst = append(dst, tok...)
		}
		if end < len(msg) {
			dst = append(dst, ' ')
		}
		start = end + 1
	}
	return dst
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// Normalize returns the template of msg.
func Normalize(msg string) string { return string(AppendNormalize(nil, msg)) }

// Of returns the signature of msg's template: OfTemplate(Normalize(msg)),
// computed without allocating.
func Of(msg string) Sig {
	var buf [512]byte
	return OfTemplate(string(AppendNormalize(buf[:0], msg)))
}

// WithKey folds one attribute key into s. The fold is commutative, so the
// result depends only on the multiset of keys, not on their order.
// PLACEHOLDER: the exact definition is settled in SPEC.md.
func WithKey(s Sig, key string) Sig { return s + Sig(mix(uint64(OfTemplate(key)))) }

func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	return x
}
