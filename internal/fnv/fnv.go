package fnv

const (
	// Offset64 is the FNV-1a 64-bit offset basis.
	Offset64 uint64 = 14695981039346656037
	// Prime64 is the FNV-1a 64-bit prime.
	Prime64 uint64 = 1099511628211
)

// AddString folds the bytes of s into h and returns the new state.
func AddString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= Prime64
	}
	return h
}

// AddBytes folds b into h and returns the new state.
func AddBytes(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= Prime64
	}
	return h
}

// AddByte folds one byte into h and returns the new state.
func AddByte(h uint64, c byte) uint64 {
	h ^= uint64(c)
	return h * Prime64
}

// String returns the FNV-1a 64 hash of s.
func String(s string) uint64 { return AddString(Offset64, s) }

// Mix is the output function of Steele, Lea and Flood's SplitMix64
// generator (OOPSLA 2014), used as a finalizer: a bijective mix whose
// outputs for consecutive or FNV-1a inputs (whose low bits are weak on
// short strings) are uniform and independent enough for sampling and for
// picking table slots. It is the one copy for the module (sampler, anomaly).
func Mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
