package loggen

import (
	"log/slog"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Class groups templates by how they occur in the stream.
type Class uint8

const (
	// Regular templates have Zipf-distributed mean rates.
	Regular Class = iota + 1
	// Uncommon templates have a fixed low rate (tens of lines per hour).
	Uncommon
	// Background templates are the steady WARN and ERROR traffic of a healthy
	// service.
	Background
	// Rare templates occur only a fixed, small number of times in the stream.
	Rare
	// Novel templates occur only inside their incident window: they are the
	// brand-new patterns.
	Novel
)

// String returns the lower-case name of c.
func (c Class) String() string {
	switch c {
	case Regular:
		return "regular"
	case Uncommon:
		return "uncommon"
	case Background:
		return "background"
	case Rare:
		return "rare"
	case Novel:
		return "novel"
	}
	return "class(" + strconv.Itoa(int(c)) + ")"
}

// Template is the ground truth of one message template.
type Template struct {
	// ID is the template's index in [Generator.Templates].
	ID int
	// Level is the level of every line of the template.
	Level slog.Level
	// Class says how the template occurs.
	Class Class
	// Text is the template with every variable replaced by <*>.
	Text string
	// Rate is the mean rate in lines per simulated second outside incidents
	// (for Novel templates: inside their window; 0 for Rare templates).
	Rate float64
	// Count is the number of occurrences of a Rare template, 0 otherwise.
	Count int

	format string
}

// spec is one entry of the template table; rate is ignored for Regular
// templates (their rate comes from the Zipf law).
type spec struct {
	level  slog.Level
	class  Class
	format string
	rate   float64
	count  int
}

// Placeholders in formats: {id} integer id, {n} small integer, {secs}
// seconds ("35s"), {hex} 16 hex
// digits, {hex32} 32 hex digits, {uuid}, {ms} milliseconds ("12.3ms"), {dur}
// Go duration ("1.532s"), {ip}, {ipport}, {host}, {user}, {email}, {order},
// {sku}, {money}, {bytes}.
var specs = []spec{
	// Regular, in Zipf rank order (rank 1 first).
	{slog.LevelInfo, Regular, "request completed method=GET path=/api/v1/products/{id} status=200 duration={ms}", 0, 0},
	{slog.LevelDebug, Regular, "cache hit key=product:{id} ttl={secs}", 0, 0},
	{slog.LevelInfo, Regular, "health check passed component=db latency={ms}", 0, 0},
	{slog.LevelDebug, Regular, "span exported trace_id={hex32} spans={n}", 0, 0},
	{slog.LevelInfo, Regular, "request completed method=POST path=/api/v1/cart/{id}/items status=201 duration={ms}", 0, 0},
	{slog.LevelDebug, Regular, "connection acquired from pool active={n} idle={n}", 0, 0},
	{slog.LevelInfo, Regular, "session refreshed for user_id={id} expires_in={secs}", 0, 0},
	{slog.LevelInfo, Regular, "cache miss for key product:{id}, loading from database", 0, 0},
	{slog.LevelDebug, Regular, "kafka message consumed topic=orders partition={n} offset={id}", 0, 0},
	{slog.LevelInfo, Regular, "order {order} created for customer {id} total={money}", 0, 0},
	{slog.LevelDebug, Regular, "feature flag evaluated flag=new-checkout user_id={id} result=true", 0, 0},
	{slog.LevelInfo, Regular, "payment authorized order={order} amount={money} provider=stripe", 0, 0},
	{slog.LevelWarn, Regular, "slow request path=/api/v1/search duration={dur} threshold=500ms", 0, 0},
	{slog.LevelInfo, Regular, "inventory reserved sku={sku} quantity={n} warehouse=eu-west-1", 0, 0},
	{slog.LevelDebug, Regular, "rate limiter tokens remaining client={ip} tokens={n}", 0, 0},
	{slog.LevelInfo, Regular, "email queued to={email} template=order-confirmation", 0, 0},
	{slog.LevelInfo, Regular, "websocket connection opened from {ipport}", 0, 0},
	{slog.LevelInfo, Regular, "websocket connection closed from {ipport} after {dur}", 0, 0},
	{slog.LevelDebug, Regular, "grpc call /inventory.v1.Inventory/GetStock took {ms}", 0, 0},
	{slog.LevelInfo, Regular, "shipment label generated order={order} carrier=dhl tracking={hex}", 0, 0},
	{slog.LevelWarn, Regular, "retrying request to {host} attempt={n} after {ms}", 0, 0},
	{slog.LevelInfo, Regular, "user {user} logged in from {ip}", 0, 0},
	{slog.LevelDebug, Regular, "gc pause {ms} heap={bytes} bytes", 0, 0},
	{slog.LevelInfo, Regular, "search query returned {n} results in {ms}", 0, 0},
	{slog.LevelInfo, Regular, "file uploaded path=/data/uploads/{uuid}.png size={bytes}", 0, 0},
	{slog.LevelInfo, Regular, "refund processed order={order} amount={money}", 0, 0},
	{slog.LevelWarn, Regular, "deprecated api version v1 called by client {ip}", 0, 0},
	{slog.LevelInfo, Regular, "scheduled job cleanup-sessions finished removed={n} elapsed={dur}", 0, 0},
	{slog.LevelInfo, Regular, "config value cache.ttl read from environment", 0, 0},
	{slog.LevelInfo, Regular, "password reset requested for user_id={id}", 0, 0},
	// Uncommon.
	{slog.LevelWarn, Uncommon, "disk usage at {n}% on volume /var/lib/data", 0.02, 0},
	{slog.LevelInfo, Uncommon, "tls certificate reloaded for {host}", 0.005, 0},
	{slog.LevelWarn, Uncommon, "queue depth {n} exceeds soft limit 1000 for queue emails", 0.03, 0},
	// Background WARN/ERROR.
	{slog.LevelError, Background, "upstream timeout calling {host} after {dur}", 0.08, 0},
	{slog.LevelError, Background, "database query failed: connection refused to {ipport}", 0.04, 0},
	{slog.LevelError, Background, "failed to send email to {email}: smtp 421 service not available", 0.02, 0},
	{slog.LevelError, Background, "payment declined order={order} code=card_declined", 0.05, 0},
	{slog.LevelWarn, Background, "token validation failed for client {ip}: signature expired", 0.1, 0},
	// Rare.
	{slog.LevelInfo, Rare, "leader election won by {host} term={n}", 0, 2},
	{slog.LevelWarn, Rare, "clock skew of {ms} detected against ntp server {ip}", 0, 3},
	{slog.LevelError, Rare, "failed to flush metrics batch of {n} points: broken pipe", 0, 3},
	{slog.LevelError, Rare, "out of memory while decoding image {uuid}.jpg", 0, 1},
	{slog.LevelInfo, Rare, "feature flag set reloaded version={n}", 0, 4},
	{slog.LevelDebug, Rare, "goroutine count {n} above watermark", 0, 2},
	// Novel (incident-only).
	{slog.LevelWarn, Novel, "circuit breaker opened for dependency {host} failures={n}", 1, 0},
	{slog.LevelError, Novel, "panic recovered in handler /api/v1/checkout: runtime error: invalid memory address or nil pointer dereference request_id={uuid}", 0.5, 0},
}

// Indexes of the templates the incidents act on.
const (
	spikeTemplate   = 7  // "cache miss for key ..."
	surgeTemplateA  = 33 // "upstream timeout ..."
	surgeTemplateB  = 34 // "database query failed ..."
	newWarnTemplate = 44
	newErrTemplate  = 45
	silentTemplate  = 2 // "health check passed ..."
)

// zipfExponent is the exponent s of the Zipf law over the regular templates:
// rank k gets a share 1/k^s / Σ 1/j^s.
const zipfExponent = 1.2

func buildTemplates(linesPerSecond float64, p Profile) []Template {
	all := make([]extraSpec, 0, len(specs)+len(extras(p)))
	for i, sp := range specs {
		all = append(all, extraSpec{sp, float64(i + 1)})
	}
	all = append(all, extras(p)...)
	var h float64
	for _, sp := range all {
		if sp.class == Regular {
			h += math.Pow(sp.rank, -zipfExponent)
		}
	}
	ts := make([]Template, len(all))
	for i, sp := range all {
		rate := sp.rate
		if sp.class == Regular {
			rate = linesPerSecond * math.Pow(sp.rank, -zipfExponent) / h
		}
		ts[i] = Template{
			ID:     i,
			Level:  sp.level,
			Class:  sp.class,
			Text:   templateText(sp.format),
			Rate:   rate,
			Count:  sp.count,
			format: sp.format,
		}
	}
	return ts
}

// templateText replaces every {placeholder} of format by <*>.
func templateText(format string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(format, '{')
		if i < 0 {
			b.WriteString(format)
			return b.String()
		}
		j := strings.IndexByte(format[i:], '}')
		b.WriteString(format[:i])
		b.WriteString("<*>")
		format = format[i+j+1:]
	}
}

var users = []string{
	"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
	"ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil",
	"trent", "victor", "walter", "yolanda",
}

var domains = []string{"example.com", "mail.test", "shop.example.org"}

var hosts = []string{"inventory", "payments", "shipping", "pricing", "users", "search"}

const hexDigits = "0123456789abcdef"

// appendMessage expands format with random variables drawn from r.
func appendMessage(dst []byte, format string, r *rand.Rand) []byte {
	for {
		i := strings.IndexByte(format, '{')
		if i < 0 {
			return append(dst, format...)
		}
		j := strings.IndexByte(format[i:], '}')
		dst = append(dst, format[:i]...)
		dst = appendVar(dst, format[i+1:i+j], r)
		format = format[i+j+1:]
	}
}

func appendHex(dst []byte, n int, r *rand.Rand) []byte {
	for range n {
		dst = append(dst, hexDigits[r.IntN(16)])
	}
	return dst
}

func appendVar(dst []byte, name string, r *rand.Rand) []byte {
	switch name {
	case "id":
		return strconv.AppendInt(dst, int64(1+r.IntN(999999)), 10)
	case "n":
		return strconv.AppendInt(dst, int64(r.IntN(100)), 10)
	case "secs":
		return append(strconv.AppendInt(dst, int64(1+r.IntN(3600)), 10), 's')
	case "hex":
		return appendHex(dst, 16, r)
	case "hex32":
		return appendHex(dst, 32, r)
	case "uuid":
		dst = appendHex(dst, 8, r)
		dst = append(dst, '-')
		dst = appendHex(dst, 4, r)
		dst = append(dst, "-4"...)
		dst = appendHex(dst, 3, r)
		dst = append(dst, '-', "89ab"[r.IntN(4)])
		dst = appendHex(dst, 3, r)
		dst = append(dst, '-')
		return appendHex(dst, 12, r)
	case "ms":
		// Log-normal-ish latency: most requests take a few ms, a tail goes
		// to seconds.
		ms := math.Exp(1.5 + r.NormFloat64())
		return append(strconv.AppendFloat(dst, ms, 'f', 1, 64), "ms"...)
	case "dur":
		d := time.Duration(math.Exp(20.5+r.NormFloat64()*0.8)) / time.Millisecond * time.Millisecond
		return append(dst, d.String()...)
	case "ip":
		return appendIP(dst, r)
	case "ipport":
		dst = appendIP(dst, r)
		dst = append(dst, ':')
		return strconv.AppendInt(dst, int64(1024+r.IntN(64000)), 10)
	case "host":
		dst = append(dst, hosts[r.IntN(len(hosts))]...)
		dst = append(dst, '-')
		dst = strconv.AppendInt(dst, int64(r.IntN(12)), 10)
		return append(dst, ".svc.cluster.local"...)
	case "user":
		return append(dst, users[r.IntN(len(users))]...)
	case "email":
		dst = append(dst, users[r.IntN(len(users))]...)
		dst = strconv.AppendInt(dst, int64(r.IntN(1000)), 10)
		dst = append(dst, '@')
		return append(dst, domains[r.IntN(len(domains))]...)
	case "order":
		dst = append(dst, "ORD-"...)
		return strconv.AppendInt(dst, int64(100000+r.IntN(900000)), 10)
	case "sku":
		dst = append(dst, "SKU-"...)
		dst = append(dst, "ABCDEFGHJK"[r.IntN(10)], "ABCDEFGHJK"[r.IntN(10)])
		return strconv.AppendInt(dst, int64(1000+r.IntN(9000)), 10)
	case "money":
		cents := 100 + r.IntN(50000)
		dst = strconv.AppendInt(dst, int64(cents/100), 10)
		dst = append(dst, '.', byte('0'+cents/10%10), byte('0'+cents%10))
		return append(dst, " EUR"...)
	case "bytes":
		return strconv.AppendInt(dst, int64(1024+r.IntN(64<<20)), 10)
	}
	if b, ok := appendExtraVar(dst, name, r); ok {
		return b
	}
	// Unknown placeholders are a bug in the table; keep them visible.
	return append(append(append(dst, '{'), name...), '}')
}

func appendIP(dst []byte, r *rand.Rand) []byte {
	dst = append(dst, "10."...)
	dst = strconv.AppendInt(dst, int64(r.IntN(256)), 10)
	dst = append(dst, '.')
	dst = strconv.AppendInt(dst, int64(r.IntN(256)), 10)
	dst = append(dst, '.')
	return strconv.AppendInt(dst, int64(1+r.IntN(254)), 10)
}
