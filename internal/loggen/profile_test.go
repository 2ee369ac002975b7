package loggen_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/internal/loggen"
)

func TestProfiles(t *testing.T) {
	tests := []struct {
		profile   loggen.Profile
		templates int
		incidents int
		idiom     string // a substring only the profile's lines carry
	}{
		{loggen.ProfileBasic, 46, 5, ""},
		{loggen.ProfileFreeText, 57, 6, `search query="`},
		{loggen.ProfileHoldout, 56, 6, "Traceback (most recent call last)"},
	}
	for _, test := range tests {
		t.Run(test.profile.String(), func(t *testing.T) {
			g := loggen.New(3, loggen.WithProfile(test.profile), loggen.WithDuration(5*time.Minute))
			require.Len(t, g.Templates(), test.templates)
			incs := g.Incidents()
			require.Len(t, incs, test.incidents)
			if test.incidents > 5 {
				last := incs[len(incs)-1]
				assert.Equal(t, "new-error-text", last.Name)
				assert.Equal(t, loggen.Novel, g.Templates()[last.Templates[0]].Class, "the extra incident's template is brand-new")
			}
			found := test.idiom == ""
			for {
				l, ok := g.Next()
				if !ok {
					break
				}
				found = found || strings.Contains(l.Message, test.idiom)
				for _, name := range []string{"{word", "{n}", "{id}", "{hex}", "{pemail}", "{fullname}", "{json}", "{sql}", "{stack}"} {
					require.NotContains(t, l.Message, name, "no unexpanded placeholder in %q", l.Message)
				}
			}
			assert.True(t, found, "the profile's idiom %q occurs", test.idiom)
		})
	}
}

// The basic profile is the default and stays byte-identical to it.
func TestProfiles_basicIsDefault(t *testing.T) {
	a := loggen.New(9, loggen.WithDuration(time.Minute))
	b := loggen.New(9, loggen.WithDuration(time.Minute), loggen.WithProfile(loggen.ProfileBasic))
	for {
		la, oka := a.Next()
		lb, okb := b.Next()
		require.Equal(t, oka, okb)
		if !oka {
			break
		}
		require.Equal(t, la, lb)
	}
}
