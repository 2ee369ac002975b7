package analyze

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/signature"
)

var errorTypeCases = []struct {
	name string
	msg  string
	lvl  level
	want string
}{
	{"java at info", "Task failed: java.net.NoRouteToHostException: No Route to Host", levelInfo, "java.net.NoRouteToHostException"},
	{"class without level", "caught NullPointerException in handler", levelNone, "NullPointerException"},
	{"python at error", "Traceback: ValueError: invalid literal", levelError, "ValueError"},
	{"first wins", "IOError then KeyError", levelError, "IOError"},
	{"go type at debug", "dial failed: *net.OpError", levelDebug, "*net.OpError"},
	{"c++ at info", "terminate called after throwing std::bad_alloc", levelInfo, "std::bad_alloc"},
	{"longer word", "YarnUncaughtExceptionHandler started", levelInfo, ""},
	{"bare word", "Error loading config", levelError, ""},
	{"bare error then a class", "Diagnostics report from attempt_1: Error: java.net.NoRouteToHostException: No Route to Host", levelInfo, "java.net.NoRouteToHostException"},
	{"bare error alone", "Error: disk full", levelInfo, "Error"},
	{"bare exception then a condition", "Exception: connection refused", levelError, "Exception"},
	{"trailing dot", "got java.io.IOException.", levelInfo, "java.io.IOException"},
	{"errno at error", "dial tcp: ECONNREFUSED", levelError, "ECONNREFUSED"},
	{"errno at info", "dial tcp: ECONNREFUSED", levelInfo, ""},
	{"errno inside a word", "XECONNREFUSEDX", levelError, ""},
	{"condition at warning", "connect: Connection Refused by peer", levelWarning, "connection refused"},
	{"condition at info", "connect: connection refused", levelInfo, ""},
	{"condition without level", "request timeout after 3s", levelNone, ""},
	{"configuration at info", "timeout set to 30s", levelInfo, ""},
	{"timeout at critical", "request TIMEOUT after 3s", levelCritical, "timeout"},
	{"panic at error", "panic: runtime error: index out of range [3] with length 3", levelError, "runtime error"},
	{"panic at info", "panic: runtime error: index out of range", levelInfo, ""},
	{"panic with a type at info", "panic: *fs.PathError", levelInfo, "*fs.PathError"},
	{"nothing", "all good", levelCritical, ""},
	{"empty", "", levelError, ""},
}

// errorType is what the analysis counts for one line: signature.ErrorType(msg) if
// countsAt its level, else "".
func errorType(msg string, lvl level) string {
	if t := signature.ErrorType(msg); countsAt(t, lvl) {
		return t
	}
	return ""
}

func TestErrorType(t *testing.T) {
	for _, test := range errorTypeCases {
		t.Run(test.name, func(t *testing.T) {
			assert.Equal(t, test.want, errorType(test.msg, test.lvl))
		})
	}
}

func TestIsNamedType(t *testing.T) {
	tests := []struct {
		t    string
		want bool
	}{
		{"java.io.IOException", true},
		{"TimeoutError", true},
		{"*errors.errorString", true},
		{"std::runtime_error", true},
		{"", false},
		{"panic", false},
		{"runtime error", false},
		{"ECONNREFUSED", false},
		{"EIO", false},
		{"connection refused", false},
		{"context deadline exceeded", false},
		{"timeout", false},
	}
	for _, test := range tests {
		assert.Equal(t, test.want, isNamedType(test.t), "isNamedType(%q)", test.t)
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
			sinkString = errorType(m, levelInfo)
		}
	})
	assert.Zero(t, allocs)
}

var sinkString string

// FuzzErrorType checks errorType against signature.ErrorType: the same
// result at WARNING and above; below it, the same result when that is a
// named type and "" otherwise, and a non-empty one is found in msg.
func FuzzErrorType(f *testing.F) {
	for _, test := range errorTypeCases {
		f.Add(test.msg, uint8(test.lvl))
	}
	f.Fuzz(func(t *testing.T, msg string, lvl uint8) {
		l := level(lvl % uint8(numLevels))
		got, full := errorType(msg, l), signature.ErrorType(msg)
		if l >= levelWarning {
			if got != full {
				t.Fatalf("errorType(%q, %v) = %q, want signature.ErrorType's %q", msg, l, got, full)
			}
			return
		}
		if isNamedType(full) && got != full {
			t.Fatalf("errorType(%q, %v) = %q, want the named type %q at every level", msg, l, got, full)
		}
		if got != "" && (got != full || !isNamedType(got) || !strings.Contains(msg, got)) {
			t.Fatalf("errorType(%q, %v) = %q: not a named type of msg (signature.ErrorType: %q)", msg, l, got, full)
		}
	})
}
