package slogx

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/internal/keybuf"
	"github.com/srex-dev/lipservice-go/sampler"
)

// view runs the attribute collection of Handle over prefix and attrs and
// returns copies of the resulting sampler attributes.
func view(pre []sampler.Attr, prefix string, attrs ...slog.Attr) []sampler.Attr {
	sc := newScratch()
	sc.reset(pre, prefix, nil)
	r := slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0)
	r.AddAttrs(attrs...)
	if sc.n < maxAttrs {
		r.Attrs(sc.add)
	}
	out := make([]sampler.Attr, sc.n)
	for i, a := range sc.attrs[:sc.n] {
		out[i] = sampler.Attr{Key: strings.Clone(a.Key), Value: strings.Clone(a.Value)}
	}
	return out
}

func nested(depth int) slog.Attr {
	a := slog.String("leaf", "v")
	for range depth {
		a = slog.Group("g", a)
	}
	return a
}

func TestCollect(t *testing.T) {
	long := strings.Repeat("k", 120) // the prefix and one qualified key fit in keybuf.MaxBytes, two do not
	many := make([]slog.Attr, 20)
	for i := range many {
		many[i] = slog.Int(string(rune('a'+i)), i)
	}
	tests := []struct {
		name   string
		pre    []sampler.Attr
		prefix string
		attrs  []slog.Attr
		want   []sampler.Attr
	}{
		{name: "none", want: []sampler.Attr{}},
		{
			name:  "string and non-string values",
			attrs: []slog.Attr{slog.String("user", "ann"), slog.Int("n", 3), slog.Any("err", assert.AnError)},
			want:  []sampler.Attr{{Key: "user", Value: "ann"}, {Key: "n"}, {Key: "err"}},
		},
		{
			name:   "WithGroup prefix",
			prefix: "req.",
			attrs:  []slog.Attr{slog.String("id", "7")},
			want:   []sampler.Attr{{Key: "req.id", Value: "7"}},
		},
		{
			name:  "group value flattened",
			attrs: []slog.Attr{slog.Group("req", slog.String("method", "GET"), slog.Int("size", 3))},
			want:  []sampler.Attr{{Key: "req.method", Value: "GET"}, {Key: "req.size"}},
		},
		{
			name:   "nested groups under prefix",
			prefix: "a.",
			attrs:  []slog.Attr{slog.Group("b", slog.Group("c", slog.String("d", "x")))},
			want:   []sampler.Attr{{Key: "a.b.c.d", Value: "x"}},
		},
		{
			name:  "empty-key group inlined",
			attrs: []slog.Attr{slog.Group("", slog.String("k", "v"))},
			want:  []sampler.Attr{{Key: "k", Value: "v"}},
		},
		{
			name:  "empty key and empty group skipped",
			attrs: []slog.Attr{{}, slog.String("", "v"), slog.Group("g"), slog.Int("x", 1)},
			want:  []sampler.Attr{{Key: "x"}},
		},
		{
			name: "WithAttrs attributes first",
			pre:  []sampler.Attr{{Key: "svc", Value: "api"}},
			attrs: []slog.Attr{
				slog.String("k", "v"),
			},
			want: []sampler.Attr{{Key: "svc", Value: "api"}, {Key: "k", Value: "v"}},
		},
		{
			name:  "depth limit",
			attrs: []slog.Attr{nested(maxDepth + 1), nested(maxDepth)},
			want:  []sampler.Attr{{Key: strings.Repeat("g.", maxDepth) + "leaf", Value: "v"}},
		},
		{
			name:   "key buffer full leaves key unqualified",
			prefix: long + ".",
			attrs:  []slog.Attr{slog.String("a", "1"), slog.String("b", "2")},
			want:   []sampler.Attr{{Key: long + ".a", Value: "1"}, {Key: "b", Value: "2"}},
		},
		{
			name:   "prefix longer than the buffer",
			prefix: strings.Repeat("p", keybuf.MaxBytes) + ".",
			attrs:  []slog.Attr{slog.String("a", "1")},
			want:   []sampler.Attr{{Key: "a", Value: "1"}},
		},
		{
			name:  "at most maxAttrs",
			attrs: many,
			want: func() []sampler.Attr {
				w := make([]sampler.Attr, maxAttrs)
				for i := range w {
					w[i] = sampler.Attr{Key: string(rune('a' + i))}
				}
				return w
			}(),
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			assert.Equal(t, test.want, view(test.pre, test.prefix, test.attrs...))
		})
	}
}

func TestWithAttrsPrecomputes(t *testing.T) {
	s, err := sampler.New()
	require.NoError(t, err)
	h := New(slog.DiscardHandler, s)
	h2 := h.WithGroup("req").WithAttrs([]slog.Attr{
		slog.String("id", "7"),
		slog.Any("lazy", lazy("resolved")),
		slog.Group("c", slog.Int("n", 1)),
	}).(*Handler)
	want := []sampler.Attr{{Key: "req.id", Value: "7"}, {Key: "req.lazy", Value: "resolved"}, {Key: "req.c.n"}}
	assert.Equal(t, want, h2.attrs)
	assert.Empty(t, h.attrs, "the parent's attributes must not change")

	h3 := h2.WithAttrs([]slog.Attr{slog.String("more", "x")}).(*Handler)
	h4 := h2.WithAttrs([]slog.Attr{slog.String("other", "y")}).(*Handler)
	assert.Equal(t, append(want[:3:3], sampler.Attr{Key: "req.more", Value: "x"}), h3.attrs)
	assert.Equal(t, append(want[:3:3], sampler.Attr{Key: "req.other", Value: "y"}), h4.attrs, "siblings must not share a backing array")
	assert.Equal(t, want, h2.attrs)
}

type lazy string

func (l lazy) LogValue() slog.Value { return slog.StringValue(string(l)) }
