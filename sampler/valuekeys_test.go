package sampler_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
)

// TestWithValueKeys checks the value-key rule (issue 14): a value key's
// attribute is folded as "key=value", every other attribute as its key,
// and the result does not depend on the order of the attributes. The
// expected IDs are built with the signature package's own functions.
func TestWithValueKeys(t *testing.T) {
	const msg = "request served"
	fold := func(keys ...string) signature.Sig {
		s := signature.Of(msg)
		for _, k := range keys {
			s = signature.WithKey(s, k)
		}
		return s
	}
	long := strings.Repeat("x", 300)
	tests := []struct {
		name  string
		attrs []sampler.Attr
		want  signature.Sig
	}{
		{"status and method", []sampler.Attr{{Key: "status", Value: "200"}, {Key: "method", Value: "GET"}, {Key: "path", Value: "/a"}},
			fold("status=200", "method=GET", "path")},
		{"another order", []sampler.Attr{{Key: "path", Value: "/b"}, {Key: "method", Value: "GET"}, {Key: "status", Value: "200"}},
			fold("status=200", "method=GET", "path")},
		{"another status", []sampler.Attr{{Key: "status", Value: "500"}, {Key: "method", Value: "GET"}, {Key: "path", Value: "/a"}},
			fold("status=500", "method=GET", "path")},
		{"key case as written", []sampler.Attr{{Key: "Status", Value: "404"}}, fold("Status=404")},
		{"empty value", []sampler.Attr{{Key: "status"}}, fold("status=")},
		{"too long: the key alone", []sampler.Attr{{Key: "method", Value: long}}, fold("method")},
		{"no value keys", []sampler.Attr{{Key: "path", Value: "/a"}, {Key: "user", Value: "u1"}}, fold("path", "user")},
	}
	for _, cache := range []bool{true, false} {
		s, err := sampler.New(sampler.WithPolicy(policy.KeepAll()), sampler.WithPatternMining(false),
			sampler.WithSignatureCache(cache), sampler.WithValueKeys("status", "METHOD"))
		require.NoError(t, err)
		assert.True(t, s.NeedsAttrs(), "value keys turn attribute keys on")
		assert.Equal(t, []string{"status", "METHOD"}, s.ValueKeys())
		for _, test := range tests {
			for range 3 { // a cache miss, then hits
				d := s.Decide(&sampler.Record{Message: msg, Attrs: test.attrs})
				assert.Equal(t, test.want, d.Signature, "cache %v: %s", cache, test.name)
				assert.Equal(t, test.want, d.Pattern, "cache %v: %s", cache, test.name)
			}
		}
		s.Shutdown(context.Background())
	}
}

// TestWithValueKeys_patterns checks what the rule is for: the 5xx records
// of an event are a pattern apart from its 2xx records, while values of
// other attributes (a path) do not split a pattern.
func TestWithValueKeys_patterns(t *testing.T) {
	s, err := sampler.New(sampler.WithPolicy(policy.KeepAll()), sampler.WithValueKeys("status"))
	require.NoError(t, err)
	defer s.Shutdown(context.Background())
	rec := func(status, path string) sampler.Record {
		return sampler.Record{Message: "request served", Attrs: []sampler.Attr{{Key: "status", Value: status}, {Key: "path", Value: path}}}
	}
	ok1, ok2, bad := rec("200", "/a"), rec("200", "/b"), rec("503", "/a")
	d1, d2, d3 := s.Decide(&ok1), s.Decide(&ok2), s.Decide(&bad)
	assert.Equal(t, d1.Pattern, d2.Pattern, "paths do not split a pattern")
	assert.NotEqual(t, d1.Pattern, d3.Pattern, "status 503 is a pattern apart from 200")
	assert.Len(t, s.Stats().Patterns, 2)
}
