package cluster

// WithKeyDepth sets how many leading tokens select the candidate group
// (0, 1 or 2); for tuning experiments only.
func WithKeyDepth(d int) MinerOption {
	return minerOptionFunc(func(c *minerConfig) { c.keyDepth = d })
}

// WithMinVariants sets how many distinct values a position needs before it
// becomes a variable; for tuning experiments only.
func WithMinVariants(n int) MinerOption {
	return minerOptionFunc(func(c *minerConfig) { c.minVariants = n })
}
