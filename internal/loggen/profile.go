package loggen

import (
	"log/slog"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Profile selects the simulated service's template table (see
// [WithProfile]).
type Profile uint8

const (
	// ProfileBasic is the original e-commerce service of 46 templates, whose
	// variables the normalizer masks (ids, numbers, hex, addresses). It is
	// the default, so that numbers measured on it stay reproducible.
	ProfileBasic Profile = iota
	// ProfileFreeText adds to ProfileBasic 11 templates with the idioms
	// the normalizer does not mask: quoted free text, e-mail addresses
	// with a name as local part, user full names, JSON bodies, SQL
	// statements, lists of variable length and Go stack traces, plus an
	// incident with a brand-new such template. It is the profile the
	// pattern layer was tuned on.
	ProfileFreeText
	// ProfileHoldout adds to ProfileBasic 10 other templates of the same
	// idiom classes written in other conventions (single quotes, names in
	// angle brackets, Python tracebacks, bracketed SKU lists, JSON as a
	// Kafka value), plus a brand-new template incident. It was written
	// before any measurement and is never used to tune: it measures
	// whether the pattern layer generalizes.
	ProfileHoldout
)

// String returns the profile's lower-case name.
func (p Profile) String() string {
	switch p {
	case ProfileBasic:
		return "basic"
	case ProfileFreeText:
		return "free-text"
	case ProfileHoldout:
		return "holdout"
	}
	return "profile(" + strconv.Itoa(int(p)) + ")"
}

// WithProfile sets the template table. The default is [ProfileBasic].
func WithProfile(p Profile) Option {
	return optionFunc(func(c *config) { c.profile = p })
}

// extraSpec is a template added by a profile; rank is its Zipf rank among
// the regular templates (fractional ranks interleave it with the basic
// ones), 0 for other classes.
type extraSpec struct {
	spec
	rank float64
}

// Placeholders of the extra templates: {words} 1-4 lower-case words,
// {pemail} first.last@domain (no digit), {fullname} "First Last",
// {fields} a comma list of profile fields, {json} a JSON object of 1-5
// keys, {sql} a SQL statement, {tags} a comma-and-space list of 1-4 words,
// {stack} a Go panic with 1-4 frames, {pystack} 1-3 Python frames,
// {skulist} a comma list of 1-4 SKUs, {word} one lower-case word.
var freeTextSpecs = []extraSpec{
	{spec{slog.LevelInfo, Regular, `search query="{words}" returned {n} results in {ms}`, 0, 0}, 2.5},
	{spec{slog.LevelInfo, Regular, "email sent to {pemail} template=welcome", 0, 0}, 5.5},
	{spec{slog.LevelInfo, Regular, "user {fullname} updated profile fields=[{fields}]", 0, 0}, 8.5},
	{spec{slog.LevelDebug, Regular, "api request body={json} accepted", 0, 0}, 12.5},
	{spec{slog.LevelDebug, Regular, "slow query took {ms}: {sql}", 0, 0}, 16.5},
	{spec{slog.LevelInfo, Regular, `comment posted by {user} on product {id}: "{words}"`, 0, 0}, 20.5},
	{spec{slog.LevelInfo, Regular, "tags updated for product {id}: {tags}", 0, 0}, 25.5},
	{spec{slog.LevelError, Background, "request failed: {stack}", 0.05, 0}, 0},
	{spec{slog.LevelWarn, Background, "invalid json body from {ip}: {json}", 0.05, 0}, 0},
	{spec{slog.LevelInfo, Rare, "admin {fullname} granted role admin to {pemail}", 0, 3}, 0},
	{spec{slog.LevelError, Novel, "checkout aborted for {pemail}: {stack}", 0.5, 0}, 0},
}

var holdoutSpecs = []extraSpec{
	{spec{slog.LevelInfo, Regular, "audit: user '{user}' executed '{sql}'", 0, 0}, 3.5},
	{spec{slog.LevelInfo, Regular, `message from {fullname} <{pemail}>: "{words}"`, 0, 0}, 6.5},
	{spec{slog.LevelDebug, Regular, "kafka record key={pemail} value={json}", 0, 0}, 9.5},
	{spec{slog.LevelInfo, Regular, `http 400 POST /api/v1/reviews reason="{words}" body={json}`, 0, 0}, 14.5},
	{spec{slog.LevelInfo, Regular, "cart {id} items=[{skulist}]", 0, 0}, 18.5},
	{spec{slog.LevelInfo, Regular, "newsletter signup {pemail} source='{words}'", 0, 0}, 22.5},
	{spec{slog.LevelError, Background, "worker crashed: Traceback (most recent call last): {pystack} ValueError: invalid literal for int() with base 10: '{word}'", 0.05, 0}, 0},
	{spec{slog.LevelWarn, Background, "login failed for '{pemail}' from {ip}: invalid password", 0.08, 0}, 0},
	{spec{slog.LevelInfo, Rare, "account {fullname} deleted by {user}", 0, 2}, 0},
	{spec{slog.LevelError, Novel, "fraud check rejected payment for {fullname} ({pemail}) score={n}", 0.5, 0}, 0},
}

// extras returns the templates profile p adds.
func extras(p Profile) []extraSpec {
	switch p {
	case ProfileFreeText:
		return freeTextSpecs
	case ProfileHoldout:
		return holdoutSpecs
	}
	return nil
}

var firstNames = []string{
	"Ines", "Omar", "Chloe", "Mateo", "Aiko", "Liam", "Noor", "Sofia", "Kwame", "Elena",
	"Jonas", "Priya", "Lucas", "Mei", "Tomasz", "Amara", "Diego", "Hana", "Felix", "Zara",
}

var lastNames = []string{
	"Miller", "Garcia", "Nakamura", "Okafor", "Rossi", "Schmidt", "Dubois", "Kowalski", "Silva", "Haddad",
	"Jensen", "Novak", "Costa", "Tanaka", "Murphy", "Ivanova", "Moreau", "Patel", "Larsen", "Weber",
}

var vocabulary = []string{
	"green", "lamp", "desk", "red", "chair", "blue", "sofa", "oak", "table", "wooden",
	"kitchen", "shelf", "soft", "cotton", "rug", "modern", "mirror", "large", "small", "garden",
	"bed", "linen", "pillow", "black", "white", "vintage", "glass", "vase", "office", "light",
}

var profileFields = []string{"email", "phone", "address", "avatar", "bio", "language"}

var jsonKeys = []string{"sku", "qty", "gift", "note", "coupon", "currency", "express"}

var sqlShapes = []string{
	"SELECT id, total FROM orders WHERE customer_id = {id} AND status = 'paid'",
	"UPDATE carts SET updated_at = now() WHERE id = {id}",
	"SELECT * FROM products WHERE name ILIKE '%{word}%' LIMIT 50",
	"DELETE FROM sessions WHERE expires_at < now() - interval '{n} days'",
	"INSERT INTO reviews (product_id, rating, body) VALUES ({id}, {n}, '{word} {word}')",
	"SELECT count(*) FROM inventory WHERE warehouse = 'eu-west-1' AND sku IN ({id}, {id})",
}

var panics = []string{
	"runtime error: index out of range [{n}] with length {n}",
	"runtime error: invalid memory address or nil pointer dereference",
	"assignment to entry in nil map",
}

var goFrames = []string{
	"main.(*CheckoutHandler).ServeHTTP(0x{hex}, 0x{hex})\n\t/app/checkout.go:{n} +0x{n}",
	"github.com/shop/cart.(*Cart).Total(...)\n\t/app/cart/cart.go:{n}",
	"github.com/shop/pricing.Apply(0x{hex}, 0x{n})\n\t/app/pricing/apply.go:{n} +0x{n}",
	"net/http.HandlerFunc.ServeHTTP(0x{hex}, 0x{hex}, 0x{hex})\n\t/usr/local/go/src/net/http/server.go:{n} +0x{n}",
}

var pyFrames = []string{
	`File "/app/jobs/{word}.py", line {n}, in run`,
	`File "/app/lib/parse.py", line {n}, in to_int`,
	`File "/usr/lib/python3.12/json/decoder.py", line {n}, in decode`,
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// appendExtraVar expands the placeholders of the extra templates; ok is
// false for a name it does not know.
func appendExtraVar(dst []byte, name string, r *rand.Rand) ([]byte, bool) {
	switch name {
	case "word":
		return append(dst, pick(r, vocabulary)...), true
	case "words":
		for i := range 1 + r.IntN(4) {
			if i > 0 {
				dst = append(dst, ' ')
			}
			dst = append(dst, pick(r, vocabulary)...)
		}
		return dst, true
	case "fullname":
		dst = append(dst, pick(r, firstNames)...)
		dst = append(dst, ' ')
		return append(dst, pick(r, lastNames)...), true
	case "pemail":
		dst = append(dst, strings.ToLower(pick(r, firstNames))...)
		dst = append(dst, '.')
		dst = append(dst, strings.ToLower(pick(r, lastNames))...)
		dst = append(dst, '@')
		return append(dst, domains[r.IntN(len(domains))]...), true
	case "fields":
		k := 1 + r.IntN(3)
		start := r.IntN(len(profileFields))
		for i := range k {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, profileFields[(start+i)%len(profileFields)]...)
		}
		return dst, true
	case "json":
		dst = append(dst, '{')
		start := r.IntN(len(jsonKeys))
		for i := range 1 + r.IntN(5) {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			k := jsonKeys[(start+i)%len(jsonKeys)]
			dst = append(dst, '"')
			dst = append(dst, k...)
			dst = append(dst, `": `...)
			switch k {
			case "qty":
				dst = strconv.AppendInt(dst, int64(1+r.IntN(9)), 10)
			case "gift", "express":
				dst = strconv.AppendBool(dst, r.IntN(2) == 0)
			default:
				dst = append(dst, '"')
				dst = appendMessage(dst, pick(r, []string{"{word} {word}", "SKU-{n}{word}", "{word}"}), r)
				dst = append(dst, '"')
			}
		}
		return append(dst, '}'), true
	case "sql":
		return appendMessage(dst, pick(r, sqlShapes), r), true
	case "tags":
		for i := range 1 + r.IntN(4) {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = append(dst, pick(r, vocabulary)...)
		}
		return dst, true
	case "stack":
		dst = append(dst, "panic: "...)
		dst = appendMessage(dst, pick(r, panics), r)
		dst = append(dst, "\n\ngoroutine "...)
		dst = strconv.AppendInt(dst, int64(1+r.IntN(5000)), 10)
		dst = append(dst, " [running]:"...)
		for range 1 + r.IntN(4) {
			dst = append(dst, '\n')
			dst = appendMessage(dst, pick(r, goFrames), r)
		}
		return dst, true
	case "pystack":
		for i := range 1 + r.IntN(3) {
			if i > 0 {
				dst = append(dst, ' ')
			}
			dst = appendMessage(dst, pick(r, pyFrames), r)
		}
		return dst, true
	case "skulist":
		for i := range 1 + r.IntN(4) {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendVar(dst, "sku", r)
		}
		return dst, true
	}
	return dst, false
}
