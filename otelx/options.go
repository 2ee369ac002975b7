package otelx

// DefaultRateKey is the attribute key under which [Processor] stamps the
// weight of a kept, sampled record unless [WithRateKey] says otherwise.
const DefaultRateKey = "sample_rate"

// Option configures a [Processor]. Options are applied in order by
// [NewProcessor]; a later option overrides an earlier one of the same kind.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	rateKey string
}

// WithRateKey sets the key of the float64 attribute that a kept record
// carries when its effective rate is below 1. The value is the weight
// 1/rate: a record kept at rate 0.1 carries sample_rate=10 and stands for 10
// records (the "1 in N" convention of Honeycomb and Zipkin). Records kept at
// rate 1 carry no attribute. If the record already has an attribute with this
// key, it is overwritten.
//
// The default is [DefaultRateKey]. An empty key disables the attribute.
func WithRateKey(key string) Option {
	return optionFunc(func(c *config) { c.rateKey = key })
}
