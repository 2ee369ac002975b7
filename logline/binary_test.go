package logline_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/logline"
)

func TestBinary(t *testing.T) {
	elf := append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 64)...)
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(0x80 + (i*37)%0x80) // continuation and lead bytes, no NUL
	}
	tests := []struct {
		name   string
		in     []byte
		binary bool
	}{
		{"empty", nil, false},
		{"log line", []byte("081109 203615 148 INFO dfs.DataNode: ok\n"), false},
		{"utf-8 text", []byte("Jun 14 15:16:01 combo sshd: Übergröße ✓\n"), false},
		{"a few latin-1 bytes", []byte("user M\xfcller logged in\n" + string(bytes.Repeat([]byte("x"), 200))), false},
		{"cut mid-rune", []byte("ok ✓")[:5], false},
		{"elf header", elf, true},
		{"NUL in text", []byte("abc\x00def"), true},
		{"mostly invalid utf-8", random, true},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			reason, got := logline.Binary(test.in)
			assert.Equal(t, test.binary, got, "reason %q", reason)
			assert.Equal(t, got, reason != "", "a reason exactly when binary")
		})
	}
	t.Run("this test binary", func(t *testing.T) {
		exe, err := os.Executable()
		if err != nil {
			t.Skip(err)
		}
		b, err := os.ReadFile(exe)
		if err != nil {
			t.Skip(err)
		}
		_, got := logline.Binary(b[:min(len(b), logline.SniffBytes)])
		assert.True(t, got, "an executable is binary")
	})
}

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"Übergröße ✓", "Übergröße ✓"},
		{"a\xffb", `a\xffb`},
		{"tab\there", `tab\there`},
		{"bell\x07 esc\x1b[31m", `bell\u0007 esc\u001b[31m`},
		{"cr\r\nlf", `cr\r\nlf`},
		{"nbsp\u00a0zwsp\u200b", `nbsp\u00a0zwsp\u200b`},
		{"", ""},
	}
	for _, test := range tests {
		assert.Equal(t, test.want, logline.Printable(test.in), "Printable(%q)", test.in)
	}
	s := "no escapes needed"
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = logline.Printable(s) }), "printable text does not allocate")
}
