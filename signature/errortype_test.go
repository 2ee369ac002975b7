package signature_test

import (
	"strings"
	"testing"

	"github.com/srex-dev/lipservice-go/internal/benchutil"
	"github.com/srex-dev/lipservice-go/signature"
)

var errorTypeTests = []struct {
	name, msg, want string
}{
	{"empty", "", ""},
	{"no error", "user logged in from 10.0.0.1", ""},
	{"java exception", "java.io.IOException: Connection reset by peer", "java.io.IOException"},
	{"java exception later in the line", "Failed to connect: java.net.ConnectException: Connection refused", "java.net.ConnectException"},
	{"java caused by", "Caused by: org.apache.hadoop.ipc.RemoteException(java.io.FileNotFoundException): File does not exist", "org.apache.hadoop.ipc.RemoteException"},
	{"java inner class", "com.example.Outer$InnerException: boom", "com.example.Outer$InnerException"},
	{"java error", "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space", "java.lang.OutOfMemoryError"},
	{"python", "TimeoutError: [Errno 110] Connection timed out", "TimeoutError"},
	{"python qualified", "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='x')", "requests.exceptions.ConnectionError"},
	{"python in sentence", "task failed with ValueError while parsing", "ValueError"},
	{"dotnet", "Unhandled exception. System.NullReferenceException: Object reference not set", "System.NullReferenceException"},
	{"bare Error with colon", "Error: ENOENT: no such file or directory, open 'x'", "Error"},
	{"bare Error then named type", "Diagnostics report from attempt_1: Error: java.net.NoRouteToHostException: No Route to Host", "java.net.NoRouteToHostException"},
	{"bare Exception then Go type", "Exception: wrapped *net.OpError", "*net.OpError"},
	{"bare Error then bare Exception", "Error: Exception: x", "Error"},
	{"named type before bare Error wins", "ValueError raised, Error: java.io.IOException", "ValueError"},
	{"anchor inside a non-type word", "MyErrorCount=3 Errors Exceptions ok", ""},
	{"std anchor inside a word", "xstd::bad_alloc", ""},
	{"bare Error word is not a type", "Error reading file config.yml", ""},
	{"level ERROR is not a type", "ERROR something happened", ""},
	{"trailing period", "the call raised IllegalStateException.", "IllegalStateException"},
	{"go panic runtime error", "panic: runtime error: index out of range [5] with length 3", "runtime error"},
	{"go nil pointer", "panic: runtime error: invalid memory address or nil pointer dereference", "runtime error"},
	{"go panic with type", "panic: *fs.PathError open x: no such file", "*fs.PathError"},
	{"go panic plain", "panic: something went wrong", "panic"},
	{"panic inside a word is not a panic", "nopanic: fine", ""},
	{"go error type", "unexpected error of type *errors.errorString", "*errors.errorString"},
	{"go net error type", "got *net.OpError from dial", "*net.OpError"},
	{"go pointer without err", "handler *http.Server stopped", ""},
	{"cpp", "terminate called after throwing an instance of 'std::bad_alloc'", "std::bad_alloc"},
	{"cpp runtime_error", "what(): std::runtime_error: x", "std::runtime_error"},
	{"errno", "connect() failed: ECONNREFUSED (111)", "ECONNREFUSED"},
	{"errno inside a word", "XETIMEDOUT ETIMEDOUTX", ""},
	{"context deadline", "request 42 failed: context deadline exceeded", "context deadline exceeded"},
	{"context canceled", "rpc error: code = Canceled desc = context canceled", "context canceled"},
	{"connection refused", "dial tcp 10.0.0.1:443: connect: connection refused", "connection refused"},
	{"case folded", "Connection Refused by server", "connection refused"},
	{"reset by peer", "read tcp: connection reset by peer", "connection reset by peer"},
	{"broken pipe", "write: broken pipe", "broken pipe"},
	{"io timeout", "read udp 1.2.3.4:53: i/o timeout", "i/o timeout"},
	{"deadlock", "fatal error: all goroutines are asleep - deadlock!", "deadlock"},
	{"timeout word", "Timeout while waiting for lock", "timeout"},
	{"timeout inside a word", "timeouts=3 configured", ""},
	{"leftmost condition wins", "timeout waiting, then connection refused", "timeout"},
	{"longer condition at the same place wins", "Connection reset by peer", "connection reset by peer"},
	{"condition at the end", "read: connection reset", "connection reset"},
	{"no such file", "open /etc/x: no such file or directory", "no such file or directory"},
	{"unexpected eof", "decode: unexpected EOF", "unexpected eof"},
	{"type wins over condition", "java.net.SocketTimeoutException: connect timed out", "java.net.SocketTimeoutException"},
	{"not a class: lower case", "mytimeoutError happened", ""},
	{"empty components", "a..BadError x .Error y", ""},
	{"invalid utf-8", "\xff\xfeIOError\xff", "IOError"},
}

func TestErrorType(t *testing.T) {
	for _, test := range errorTypeTests {
		t.Run(test.name, func(t *testing.T) {
			if got := signature.ErrorType(test.msg); got != test.want {
				t.Errorf("ErrorType(%q) = %q, want %q", test.msg, got, test.want)
			}
		})
	}
}

func TestErrorType_Long(t *testing.T) {
	// Only the first MaxMessageBytes bytes are read.
	long := strings.Repeat("x ", signature.MaxMessageBytes) + "java.io.IOException: late"
	if got := signature.ErrorType(long); got != "" {
		t.Errorf("ErrorType read past MaxMessageBytes: %q", got)
	}
	if got := signature.ErrorType("IOError " + long); got != "IOError" {
		t.Errorf("ErrorType(long) = %q, want IOError", got)
	}
}

func TestErrorType_Allocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	i := 0
	if n := testing.AllocsPerRun(1000, func() {
		_ = signature.ErrorType(errorTypeTests[i%len(errorTypeTests)].msg)
		i++
	}); n != 0 {
		t.Errorf("ErrorType allocated %v times per call, want 0", n)
	}
}

// BenchmarkErrorType measures ErrorType on single messages and over the
// real Loghub contents of testdata (mostly lines that report no error).
func BenchmarkErrorType(b *testing.B) {
	for _, bench := range []struct{ name, msg string }{
		{"none", "PacketResponder 1 for block blk_38865049064139660 terminating"},
		{"java", "java.io.IOException: Connection reset by peer"},
		{"bare-then-named", "Diagnostics report from attempt_1: Error: java.net.NoRouteToHostException: No Route to Host"},
		{"condition", "dial tcp 10.0.0.1:443: connect: connection refused"},
	} {
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkN += len(signature.ErrorType(bench.msg))
			}
		})
	}
	var all []string
	for _, sys := range benchSystems {
		all = append(all, readContent(b, sys)...)
	}
	b.Run("loghub", func(b *testing.B) {
		benchutil.LineLoop(b, all, func(l string) { sinkN += len(signature.ErrorType(l)) })
	})
}
