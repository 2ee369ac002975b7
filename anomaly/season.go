package anomaly

import "math"

// season is one pattern's seasonal profile: the ratio of each minute's count
// to the pattern's minute level in the last two hours, and of each hour's
// count to its hour level in the last two days. Guarded by the shard's
// mutex. 376 bytes.
type season struct {
	minMark, hourMark   uint64        // the slot's total at the start of the current minute and hour
	minutes, hours      int32         // minute and hour boundaries passed since the first record
	days                int32         // day boundaries passed since the first record
	minLevel, hourLevel float32       // EWMA of minute and hour counts
	hf                  [2][60]uint16 // minute-of-hour ratios of the last two hours (by hour parity), ×64
	df                  [2][24]uint16 // hour-of-day ratios of the last two days (by day parity), ×64
}

// ratioUnit is the fixed-point unit of season ratios: a ratio r is stored
// as min(⌊64·r + ½⌋, 65535), so ratios up to 1024 are kept to 1/64.
const ratioUnit = 64

// Seasonal history needed before a profile is used: two period boundaries
// after the first record, so that both stored periods hold data (the first
// one from the first record on).
const seasonPeriods = 2

// noRatio marks a phase without data (before the pattern's first record).
const noRatio = math.MaxUint16

// closeBucket ends a minute (or hour) bucket of count *cnt: it returns the
// bucket's ratio to the level before it, folds the count into the level (an
// EWMA whose weight is 1/(n+1) until it reaches 1/period, so the first
// buckets are averaged and later ones smoothed over one period), counts the
// bucket in *n and resets *cnt. The minute and hour profiles share it.
func closeBucket(cnt *uint32, level *float32, n *int32, period float64) uint16 {
	r := ratio(*cnt, *level)
	if *n == 0 {
		*level = float32(*cnt)
	} else {
		w := float32(max(1/period, 1/float64(*n+1)))
		*level += w * (float32(*cnt) - *level)
	}
	*n++
	*cnt = 0
	return r
}

// ratio returns the stored ratio of count c to level: exactly 1 when c is
// within seasonZ Poisson standard deviations of the level,
//
//	|c − level| ≤ seasonZ·√level   ⇒   r = 1
//
// so that noise never makes a phase look seasonal.
func ratio(c uint32, level float32) uint16 {
	if !(level > 0) {
		return 0
	}
	l := float64(level)
	if math.Abs(float64(c)-l) <= seasonZ*math.Sqrt(l) {
		return ratioUnit
	}
	r := math.Round(float64(c) / l * ratioUnit)
	return uint16(min(r, noRatio-1))
}

// seasonZ is the z-score a phase's count must pass, in each stored period,
// to count as seasonal.
const seasonZ = 3

// reset marks every phase as without data.
func (ss *season) reset() {
	for i := range ss.hf {
		for j := range ss.hf[i] {
			ss.hf[i][j] = noRatio
		}
	}
	for i := range ss.df {
		for j := range ss.df[i] {
			ss.df[i][j] = noRatio
		}
	}
}

// phaseFactor returns the rise and drop factors of a phase from its two
// stored ratios: the smaller and the larger of them (the phase is normally
// high only if it was high in both periods, normally low only if it was low
// in both), or 1 when either period has no data.
func phaseFactor(a, b uint16) (up, dn float64) {
	if a == noRatio || b == noRatio {
		return 1, 1
	}
	return float64(min(a, b)) / ratioUnit, float64(max(a, b)) / ratioUnit
}

// rollSeason is called when a minute ends between intervals from and to:
// for every minute and hour boundary between them, it stores the ratio of
// the finished minute (hour) and folds it into the level. The count of the
// first finished minute (hour) is the slot's total, which includes
// interval from, minus its mark (at most MaxUint32); later ones in a gap
// are empty. A gap of more than two periods is folded as two periods of
// zeros (all a profile keeps). It invalidates the slot's cached factors.
func (d *Detector) rollSeason(s *slot, from, to int64) {
	ss := &s.x.ssn
	s.sfMin = none
	minCnt := uint32(min(s.total-ss.minMark, math.MaxUint32))
	ss.minMark = s.total
	mN, hN := d.minuteN, 60*d.minuteN
	// Minute boundaries in (from, to].
	m0, m1 := floorDiv(from, mN), floorDiv(to, mN)
	if m1-m0 > 120 {
		m0 = m1 - 120
	}
	for m := m0; m < m1; m++ {
		phase := int(mod(m, 60))
		hourPar := int(floorDiv(m, 60) & 1)
		ss.hf[hourPar][phase] = closeBucket(&minCnt, &ss.minLevel, &ss.minutes, 60)
	}
	h0, h1 := floorDiv(from, hN), floorDiv(to, hN)
	if h1-h0 > 48 {
		h0 = h1 - 48
	}
	hourCnt := uint32(min(s.total-ss.hourMark, math.MaxUint32))
	if h0 < h1 {
		ss.hourMark = s.total
	}
	for h := h0; h < h1; h++ {
		phase := int(mod(h, 24))
		dayPar := int(floorDiv(h, 24) & 1)
		ss.df[dayPar][phase] = closeBucket(&hourCnt, &ss.hourLevel, &ss.hours, 24)
		if mod(h+1, 24) == 0 {
			ss.days++
		}
	}
}

// seasonFactor returns the seasonal multipliers of the bucket of intervals
// [a, b]: F is the mean over the bucket's minutes of
//
//	F(t) = min(r₁(minute of t), r₂(minute of t)) · min(R₁(hour of t), R₂(hour of t))
//
// where r₁, r₂ are that minute's ratios to the minute level in the last two
// hours and R₁, R₂ the hour's ratios to the hour level in the last two days;
// each factor is 1 until its profile has seasonPeriods boundaries. Taking
// the smaller of two periods means a phase counts as normally high (or
// low) only when it was so in both: one incident does not become the norm.
// The rise tests use up = max(1, F) and the drop tests dn = min(1, F), so
// seasonality only ever widens the band around the baseline: a pattern
// without seasonality, whose F is noise around 1, keeps its tests.
func (d *Detector) seasonFactor(s *slot, a, b int64) (up, dn float64) {
	if d.minuteN == 0 {
		return 1, 1
	}
	ss := &s.x.ssn
	hourly, daily := ss.hours >= seasonPeriods, ss.days >= seasonPeriods
	if !hourly && !daily {
		return 1, 1
	}
	mN := d.minuteN
	m0, m1 := floorDiv(a, mN), floorDiv(b, mN)
	if m1-m0 > 59 {
		m0 = m1 - 59
	}
	su, sd := 0.0, 0.0
	for m := m0; m <= m1; m++ {
		fu, fd := 1.0, 1.0
		if hourly {
			p := mod(m, 60)
			fu, fd = phaseFactor(ss.hf[0][p], ss.hf[1][p])
		}
		if daily {
			p := mod(floorDiv(m, 60), 24)
			u, d := phaseFactor(ss.df[0][p], ss.df[1][p])
			fu, fd = fu*u, fd*d
		}
		su += max(1, fu)
		sd += min(1, fd)
	}
	n := float64(m1 - m0 + 1)
	return su / n, sd / n
}

// seasonAt returns the seasonal factors of the single interval idx,
// seasonFactor(s, idx, idx), which depend only on idx's minute and the
// profile: cached in the slot per minute, since the roll-over asks for
// them every interval and the profile changes only when a minute ends
// (rollSeason invalidates the cache).
func (d *Detector) seasonAt(s *slot, idx int64) (up, dn float64) {
	if d.minuteN == 0 {
		return 1, 1
	}
	return d.seasonIn(s, idx, floorDiv(idx, d.minuteN))
}

// seasonIn is seasonAt for an interval idx whose minute m the caller knows
// (the roll-over computes the minutes once per shard: a division per
// pattern and interval is a good part of a roll-over's cost).
// The cached case is small enough to inline: the roll-over calls it for
// every pattern and interval. The cache is set only when the profile runs
// (minuteN > 0), so a hit implies it.
func (d *Detector) seasonIn(s *slot, idx, m int64) (up, dn float64) {
	if m != s.sfMin {
		d.seasonMiss(s, idx, m)
	}
	return s.sfUp, s.sfDn
}

// seasonMiss sets s.sfUp, s.sfDn to the factors of interval idx, whose
// minute m is not cached: 1 without a profile (uncached), else
// seasonFactor (cached).
func (d *Detector) seasonMiss(s *slot, idx, m int64) {
	if d.minuteN == 0 {
		s.sfUp, s.sfDn = 1, 1
		return
	}
	s.sfUp, s.sfDn = d.seasonFactor(s, idx, idx)
	s.sfMin = m
}

// mod returns a mod b in [0, b) for b > 0.
func mod(a, b int64) int64 { return a - floorDiv(a, b)*b }
