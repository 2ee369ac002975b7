package analyze

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

var errorTypeCases = []struct {
	name string
	msg  string
	lvl  level
	want string
}{
	{"java", "Task failed: java.net.NoRouteToHostException: No Route to Host", levelInfo, "java.net.NoRouteToHostException"},
	{"simple class", "caught NullPointerException in handler", levelNone, "NullPointerException"},
	{"python", "Traceback: ValueError: invalid literal", levelError, "ValueError"},
	{"first wins", "IOError then KeyError", levelError, "IOError"},
	{"exception before error", "RuntimeError wrapped in IllegalStateException", levelError, "IllegalStateException"},
	{"longer word", "YarnUncaughtExceptionHandler started", levelInfo, ""},
	{"bare word", "Error loading config", levelInfo, ""},
	{"bare exception", "threw an Exception.", levelError, ""},
	{"trailing dot", "got java.io.IOException.", levelInfo, "java.io.IOException"},
	{"leading dots and digits", "at .9BadError here", levelInfo, "BadError"},
	{"underscore before", "x _Error y", levelInfo, ""},
	{"errno at error", "dial tcp: ECONNREFUSED", levelError, "ECONNREFUSED"},
	{"errno at info", "dial tcp: ECONNREFUSED", levelInfo, ""},
	{"errno inside a word", "XECONNREFUSEDX", levelError, ""},
	{"phrase", "connect: Connection Refused by peer", levelWarning, "connection refused"},
	{"phrase at info", "connect: connection refused", levelInfo, ""},
	{"timeout", "request TIMED OUT after 3s", levelError, "timed out"},
	{"nothing", "all good", levelCritical, ""},
	{"empty", "", levelError, ""},
}

func TestErrorType(t *testing.T) {
	for _, test := range errorTypeCases {
		t.Run(test.name, func(t *testing.T) {
			assert.Equal(t, test.want, errorType(test.msg, test.lvl))
		})
	}
}

func TestErrorTypeAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	msgs := []string{"x java.io.IOException: y", "connect: connection refused", "plain message"}
	allocs := testing.AllocsPerRun(100, func() {
		for _, m := range msgs {
			sinkString = errorType(m, levelError)
		}
	})
	assert.Zero(t, allocs)
}

var sinkString string

func FuzzErrorType(f *testing.F) {
	for _, test := range errorTypeCases {
		f.Add(test.msg, uint8(test.lvl))
	}
	f.Fuzz(func(t *testing.T, msg string, lvl uint8) {
		got := errorType(msg, level(lvl%uint8(numLevels)))
		if got == "" {
			return
		}
		isConst := false
		for _, e := range errnoNames {
			isConst = isConst || got == e
		}
		for _, p := range failurePhrases {
			isConst = isConst || got == p
		}
		if !isConst && !strings.Contains(msg, got) {
			t.Fatalf("errorType(%q) = %q: neither a substring nor a constant", msg, got)
		}
		if !isConst && exceptionWord(got) != got {
			t.Fatalf("errorType(%q) = %q is not stable: %q", msg, got, exceptionWord(got))
		}
	})
}
