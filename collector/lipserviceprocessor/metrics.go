package lipserviceprocessor

import "go.opentelemetry.io/otel/attribute"

// reasonKey is the attribute of the kept and dropped counters that names
// the sampler rule that decided (sampler.Reason.String).
var reasonKey = attribute.Key("reason")
