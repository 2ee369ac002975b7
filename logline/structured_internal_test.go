package logline

import "testing"

// TestDefaultRole checks that the switch of defaultRole matches the name
// lists, in any case.
func TestDefaultRole(t *testing.T) {
	for role, names := range map[uint8][]string{roleTime: timeNames, roleLevel: levelNames, roleMessage: messageNames} {
		for i, n := range names {
			for _, k := range []string{n, upperASCII(n)} {
				if r, rank := defaultRole(k); r != role || int(rank) != i {
					t.Errorf("defaultRole(%q) = %d, %d; want %d, %d", k, r, rank, role, i)
				}
			}
		}
	}
	if r, _ := defaultRole("status"); r != roleAttr {
		t.Errorf("defaultRole(status) = %d, want an attribute", r)
	}
}

func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
