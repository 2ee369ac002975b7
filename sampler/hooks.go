package sampler

// Hook receives one record's decision, after [Sampler.Decide] has made it
// (see [WithHook]).
//
// r is a copy of the Record passed to Decide, but its Message and Attrs
// (and the strings they point to) are the caller's memory: adapters reuse
// it for the next record, so they are valid only during the call. A Hook
// that retains them must copy them (strings.Clone, slices.Clone and
// strings.Clone of each key and value). d is the Decision that Decide
// returns (in dry-run mode, with Keep true and WouldDrop set).
type Hook func(r Record, d Decision)

// WithHook sets a function called once per decided record with the record
// and its [Decision], as zap's SamplerHook and slog-sampling's OnAccepted
// and OnDropped: to count decisions by a dimension of your own (level,
// service, attribute), to mirror dropped records to a cheap sink, or to
// test a policy.
//
// The hook is called on the logging goroutine, synchronously, after the
// decision is made and counted, with no lock held, for every record Decide
// is given, including those kept under the kill switch ([ReasonDisabled])
// but not a nil Record. It may be called concurrently and must be safe for
// that; it must be fast and must not block, since the application's log
// call waits for it, and it must not log through a logger that this
// Sampler samples (that would recurse). A panic in it is recovered and
// counted as an internal error (reported to [WithErrorHandler]); the
// decision is returned unchanged. See [Hook] for how long the record is
// valid.
//
// The default, and what nil means, is no hook, which costs one predictable
// branch per record (BenchmarkSampler_DecideHook). With a hook, Decide
// allocates only what the hook allocates.
func WithHook(h Hook) Option {
	return optionFunc(func(c *config) { c.hook = h })
}

// callHook calls the hook with r and d, turning a panic into a counted
// error. It is apart from decide so that the record's copy and the defer
// cost nothing when no hook is set.
//
//go:noinline
func (s *Sampler) callHook(r *Record, d *Decision) {
	defer func() {
		if p := recover(); p != nil {
			s.fail(panicError("hook", p))
		}
	}()
	s.hook(*r, *d)
}
