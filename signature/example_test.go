package signature_test

import (
	"fmt"

	"github.com/srex-dev/lipservice-go/signature"
)

func Example() {
	for _, msg := range []string{
		"Failed password for root from 10.0.0.1 port 22 ssh2",
		"Failed password for root from 192.168.7.9 port 40122 ssh2",
	} {
		fmt.Println(signature.Of(msg), signature.Normalize(msg))
	}
	// Output:
	// 070aa6b7e4d732a7 Failed password for root from <*> port <*> ssh2
	// 070aa6b7e4d732a7 Failed password for root from <*> port <*> ssh2
}

func ExampleAppendSig() {
	buf := make([]byte, 0, 256) // reused across messages: no allocation
	tmpl, sig := signature.AppendSig(buf[:0], "took 45ms, wrote 10KB to /var/log/app.log")
	fmt.Println(sig == signature.OfTemplate(string(tmpl)), string(tmpl))
	// Output:
	// true took <*>, wrote <*> to <*>
}

func ExampleWithKey() {
	s := signature.Of("user logged in")
	a := signature.WithKey(signature.WithKey(s, "user"), "ip")
	b := signature.WithKey(signature.WithKey(s, "ip"), "user")
	fmt.Println(a == b, a != s)
	// Output:
	// true true
}

func ExampleParse() {
	s, err := signature.Parse("c56b31d06bb8660B")
	fmt.Println(s, err)
	_, err = signature.Parse("xyz")
	fmt.Println(err)
	// Output:
	// c56b31d06bb8660b <nil>
	// signature: want 16 hex digits
}

func ExampleErrorType() {
	for _, msg := range []string{
		"java.io.IOException: Connection reset by peer",
		"panic: runtime error: index out of range [5] with length 3",
		"dial tcp 10.0.0.1:443: connect: connection refused",
		"unexpected error of type *errors.errorString",
		"user logged in",
	} {
		fmt.Printf("%q\n", signature.ErrorType(msg))
	}
	// Output:
	// "java.io.IOException"
	// "runtime error"
	// "connection refused"
	// "*errors.errorString"
	// ""
}
