package policy

// Default returns the policy in force for a service that has no policy yet:
// every record is kept (global rate 1.0), and the first-N bookkeeping runs
// with its defaults ([DefaultFirstN] per [DefaultWindow]), so patterns are
// counted and can be reported.
//
// Why keep everything: a policy that drops records before anybody has seen
// the service's patterns would lose data nobody agreed to lose, and the
// rates that suit one service (a chatty batch job) are wrong for another (a
// quiet API). The statistics gathered under Default are what a server (or the
// policy generator) needs to compute a real policy. For reduction without a
// server, set [Policy.TargetPerSecond] (adaptive sampling), or use [Uniform].
func Default() *Policy {
	return &Policy{GeneratedBy: "lipservice-go:default"}
}

// KeepAll returns a policy that keeps every record at rate 1.0 with no
// first-N rule, so every decision is made by the global rate. It is the
// baseline for overhead measurements.
func KeepAll() *Policy {
	return &Policy{GlobalRate: new(1.0), FirstN: new(0), GeneratedBy: "lipservice-go:keep-all"}
}

// Uniform returns a policy that keeps each record with probability rate,
// whatever its level or pattern: every severity (including ERROR and
// CRITICAL) is set to rate, first-N is off and there is no adaptive target.
// For example Uniform(0.1) keeps 10 % uniformly. rate is not checked here;
// [Policy.Validate] rejects one outside [0, 1].
func Uniform(rate float64) *Policy {
	sev := make(map[string]float64, NumSeverities)
	for _, n := range severityNames {
		sev[n] = rate
	}
	return &Policy{
		GlobalRate:    new(rate),
		SeverityRates: sev,
		FirstN:        new(0),
		GeneratedBy:   "lipservice-go:uniform",
	}
}

// Adaptive returns a volume-budget policy with no pattern rates, for
// sampling without a server: adaptive sampling towards perSecond records
// per second decided by the adaptive rule (a log-shaped allocation across
// whatever patterns appear, see [Policy.TargetPerSecond]); the first 5
// records of each pattern in each 60 s window, so that every pattern stays
// visible with at least 5 records a minute (the defaults, 10 per 10 s,
// alone keep every pattern that logs up to 1 line/s); ERROR and above kept
// at rate 1 (the severity default). `lipservice sample` uses Adaptive(8) by
// default, and the sampling-quality test measures the same policy. A
// perSecond of zero or less turns the adaptive rule off (then only first-N
// and the global rate, 1.0, decide).
func Adaptive(perSecond float64) *Policy {
	return &Policy{
		TargetPerSecond: max(perSecond, 0),
		FirstN:          new(5),
		WindowSeconds:   60,
		GeneratedBy:     "lipservice-go:adaptive",
	}
}
