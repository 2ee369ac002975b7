package logline_test

import (
	"fmt"
	"time"

	"github.com/srex-dev/lipservice-go/logline"
)

func ExampleParser() {
	p := logline.NewParser(logline.Keys{})
	var sc logline.Scratch
	for _, line := range []string{
		`{"time":"2024-05-07T12:04:17.5+02:00","level":"ERROR","msg":"query failed","table":"orders","req":{"id":7}}`,
		`{"req":{"id":8},"msg":"query failed","table":"users","level":"ERROR","time":"2024-05-07T12:04:18+02:00"}`,
		`ts=1715076257 level=info msg="cache miss" key=u:1`,
	} {
		r, kind := p.Parse(line, &sc)
		fmt.Println(kind, r.Time.Format(time.RFC3339Nano), r.Level, r.Message, r.Keys)
	}
	// Output:
	// json 2024-05-07T10:04:17.5Z ERROR query failed [table req.id]
	// json 2024-05-07T10:04:18Z ERROR query failed [req.id table]
	// logfmt 2024-05-07T10:04:17Z INFO cache miss [key]
}

func ExampleJoiner() {
	lines := []string{
		"2024-05-07 10:04:17,512 ERROR [main] App - request failed",
		"java.lang.IllegalStateException: pool exhausted",
		"\tat com.example.Pool.acquire(Pool.java:112)",
		"2024-05-07 10:04:18,000 INFO [main] App - retrying",
	}
	var j logline.Joiner
	for _, l := range lines {
		_, _, _, header := logline.Detect(l)
		joined := j.Next(len(l)+1, header, !header && logline.Continues(l))
		fmt.Println(joined, l)
	}
	// Output:
	// false 2024-05-07 10:04:17,512 ERROR [main] App - request failed
	// true java.lang.IllegalStateException: pool exhausted
	// true 	at com.example.Pool.acquire(Pool.java:112)
	// false 2024-05-07 10:04:18,000 INFO [main] App - retrying
}
