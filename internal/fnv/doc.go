// Package fnv is an inlinable, allocation-free 64-bit FNV-1a hash.
//
// It exists because hash/fnv hides its state behind an interface (a heap
// allocation and a []byte conversion per call) and hash/maphash is seeded per
// process, which would make signatures differ between runs. The constants are
// those of the FNV specification (draft-eastlake-fnv), so any language can
// reproduce the values.
package fnv
