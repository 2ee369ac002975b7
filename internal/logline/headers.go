package logline

import "time"

// parseCLFTime parses the Common Log Format time of nginx and Apache access
// logs at the start of s, "02/Jan/2006:15:04:05 -0700" (the zone
// optional), and returns the bytes it used.
func parseCLFTime(s string) (t time.Time, n int, ok bool) {
	if len(s) < 20 || s[2] != '/' || s[6] != '/' || s[11] != ':' {
		return time.Time{}, 0, false
	}
	d, dn := digits(s, 2)
	mo, mok := monthName(s[3:6])
	y, yn := digits(s[7:], 4)
	if dn != 2 || !mok || yn != 4 {
		return time.Time{}, 0, false
	}
	c, cn, ok := parseClock(s[12:], false)
	if !ok || cn < 8 {
		return time.Time{}, 0, false
	}
	n = 12 + cn
	if n+5 <= len(s) && s[n] == ' ' && (s[n+1] == '+' || s[n+1] == '-') {
		if c2, cn2, ok := finishClock(s[n+1:], clockTime{}, 0); ok && cn2 == 5 {
			c.off = c2.off
			n += 6
		}
	}
	t, ok = makeTime(y, mo, d, c)
	return t, n, ok
}
