package zapx

// DefaultRateKey is the field key under which [Core] stamps the weight of a
// kept, sampled entry unless [WithRateKey] says otherwise.
const DefaultRateKey = "sample_rate"

// Option configures a [Core]. Options are applied in order by [NewCore]; a
// later option overrides an earlier one of the same kind.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// config is shared, by pointer, by a Core and every Core derived from it
// with With. It is immutable after NewCore.
type config struct {
	rateKey string
}

// WithRateKey sets the key of the field that a kept entry carries when its
// effective rate is below 1. The field's value is a float64 weight, 1/rate:
// an entry kept at rate 0.1 carries sample_rate=10 and stands for 10
// entries. Entries kept at rate 1 carry no field.
//
// The default is [DefaultRateKey]. An empty key disables the field.
func WithRateKey(key string) Option {
	return optionFunc(func(c *config) { c.rateKey = key })
}
