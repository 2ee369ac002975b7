package sampler

// PLACEHOLDER (foundation commit): the sampler work replaces this file.

// Sampler decides, per record, whether to keep it.
type Sampler struct{}

// Option configures a [Sampler].
type Option interface{ apply(*config) }

type config struct{}

// New returns a Sampler.
func New(opts ...Option) (*Sampler, error) { return &Sampler{}, nil }

// Decide decides for r.
func (s *Sampler) Decide(r *Record) Decision {
	return Decision{Keep: true, Rate: 1}
}
