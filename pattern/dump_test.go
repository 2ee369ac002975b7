package pattern_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/pattern"
	"github.com/srex-dev/lipservice-go/signature"
)

// An object dump written as a key= value (a value printed by an object's
// string method, with spaces inside its brackets) is one value, masked
// when the pattern is created; the guards of cluster.Miner's class keep
// a dump that ends the message, a key inside an enclosing dump and a
// bracket without a key as they were. Expected templates written by hand.
func TestMiner_dumpMaskedAtCreation(t *testing.T) {
	tests := []struct{ name, msg, want string }{
		{"glued bracket, one member",
			`acquire lock=62515, flags=0x1, tag="*alarm*", name=android, ws=WorkSource{10113 com.google.android.gms}, uid=1000, pid=1720`,
			`acquire lock=<*>, flags=<*>, tag=<*>, name=android, ws=<*>, uid=<*>, pid=<*>`},
		{"glued bracket, two members",
			`acquire lock=62515, flags=0x1, tag="*alarm*", name=android, ws=WorkSource{1000 android, 10024 com.google.android.gms}, uid=1000, pid=1720`,
			`acquire lock=<*>, flags=<*>, tag=<*>, name=android, ws=<*>, uid=<*>, pid=<*>`},
		{"a word, then a spaced bracket",
			`Slow query ns=shop.users command=find planSummary=IXSCAN { email: 1 } durationMillis=130`,
			`Slow query ns=<*> command=find planSummary=<*> durationMillis=<*>`},
		{"nested brackets",
			`Slow query command=find planSummary=IXSCAN { a: { b: 1 } } durationMillis=130`,
			`Slow query command=find planSummary=<*> durationMillis=<*>`},
		{"round brackets, closed with punctuation after",
			`moved bounds=Rect(0, 0 - 1080, 1920), visible=true`,
			`moved bounds=<*>, visible=true`},
		{"two dumps in one message",
			`moved from=Rect(0, 0) to=Rect(10, 20) now`,
			`moved from=<*> to=<*> now`},
		{"a closing bracket without its opening leaves the top level",
			`done) ws=WorkSource{10113 gms} uid=7`,
			`done) ws=<*> uid=<*>`},
		// Guards: as before the class.
		{"a dump that ends the message is left as it was",
			`onStartCommand: intent=Intent { act=android.intent.action.MAIN cmp=com.x/.Y }`,
			`onStartCommand: intent=Intent <*>`},
		{"a glued dump that ends the message is left as it was",
			`release ws=WorkSource{10113 gms}`,
			`release ws=WorkSource{<*> gms}`},
		{"a key inside an open bracket is a field of the enclosing dump",
			`state is LeaderAndIsr(leader=2, isr=List(2, 3), zk=4) now`,
			`state is LeaderAndIsr(leader=<*>, isr=List(<*>, <*>), zk=<*>) now`},
		{"a bracket without a key is not joined",
			`users Set(yarn, curi); done`,
			`users Set(yarn, curi); done`},
		{"a bracket that never closes is no dump",
			`ws=WorkSource{10113 gms uid=1000`,
			`ws=WorkSource{<*> gms uid=<*>`},
		{"quoted text with brackets is not a dump",
			`msg="(retry 3) later" queue=emails done`,
			`msg="(retry <*>) later" queue=emails done`},
		{"a word, then a token that is not only a bracket",
			`a=x (y z) done`,
			`a=x (y z) done`},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			m := pattern.New()
			_, id := m.Of(test.msg)
			got, ok := m.Template(id)
			require.True(t, ok)
			assert.Equal(t, test.want, got)
			assert.Equal(t, signature.OfTemplate(test.want), id)
		})
	}
}

// A dump that closes past 32 tokens is no dump: the scan is bounded.
func TestMiner_dumpBounded(t *testing.T) {
	for _, test := range []struct {
		inside int // space-separated words inside the braces
		want   string
	}{
		{31, "a=<*> z"}, // 32 tokens from the key's to the closing "}"
		{32, "a=x{w " + strings.Repeat("w ", 31) + "} z"},
	} {
		m := pattern.New()
		msg := "a=x{" + strings.Repeat("w ", test.inside) + "} z"
		_, id := m.Of(msg)
		got, _ := m.Template(id)
		assert.Equal(t, test.want, got, "%d words inside", test.inside)
	}
}

// Android's wakelock events and MongoDB's slow query: one pattern per
// event whatever the dump's length, in either order of arrival, and the
// two wakelock events stay apart.
func TestMiner_dumpFamilies(t *testing.T) {
	acquire := []string{
		`acquire lock=233570404, flags=0x1, tag="View Lock", name=com.android.systemui, ws=null, uid=10037, pid=2227`,
		`acquire lock=62515, flags=0x1, tag="*alarm*", name=android, ws=WorkSource{10113 com.google.android.gms}, uid=1000, pid=1720`,
		`acquire lock=189667585, flags=0x1, tag="NlpWakeLock", name=com.google.android.gms, ws=WorkSource{1000 android, 10024 com.google.android.gms}, uid=10024, pid=3001`,
	}
	release := []string{
		`release lock=233570404, flg=0x0, tag="View Lock", name=com.android.systemui, ws=null, uid=10037, pid=2227`,
		`release lock=62515, flg=0x0, tag="*alarm*", name=android, ws=WorkSource{10113 com.google.android.gms}, uid=1000, pid=1720`,
		`release lock=189667585, flg=0x0, tag="NlpWakeLock", name=com.google.android.gms, ws=WorkSource{1000 android, 10024 com.google.android.gms}, uid=10024, pid=3001`,
	}
	slow := []string{
		`Slow query ns=shop.orders command=find planSummary=COLLSCAN durationMillis=412`,
		`Slow query ns=shop.users command=find planSummary=IXSCAN { email: 1 } durationMillis=130`,
		`Slow query ns=shop.orders command=find planSummary=IXSCAN { customer_id: 1, created: -1 } durationMillis=108`,
	}
	tests := []struct {
		name string
		msgs []string
		want string
	}{
		// Two values of one key merge into key=<*>, the comma with them
		// (ws=null, and ws=<*>,; name=android, and name=<*>,).
		{"acquire", acquire, `acquire lock=<*>, flags=<*>, tag=<*>, name=<*> ws=<*> uid=<*>, pid=<*>`},
		{"acquire, dumps first", reversed(acquire), `acquire lock=<*>, flags=<*>, tag=<*>, name=<*> ws=<*> uid=<*>, pid=<*>`},
		{"release", release, `release lock=<*>, flg=<*>, tag=<*>, name=<*> ws=<*> uid=<*>, pid=<*>`},
		{"slow query", slow, `Slow query ns=<*> command=find planSummary=<*> durationMillis=<*>`},
		{"slow query, dumps first", reversed(slow), `Slow query ns=<*> command=find planSummary=<*> durationMillis=<*>`},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			m := pattern.New()
			got := ids(m, test.msgs)
			assert.Equal(t, 1, distinct(got), "one pattern for the event")
			tmpl, ok := m.Template(got[0])
			require.True(t, ok)
			assert.Equal(t, test.want, tmpl)
		})
	}
	m := pattern.New()
	got := ids(m, append(append([]string{}, acquire...), release...))
	assert.Equal(t, 2, distinct(got), "acquire and release are two events")
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[len(s)-1-i] = x
	}
	return out
}

// Records whose dumps differ in length have the family's ID from the
// first record: the sampler does not split the event by dump length.
func TestMiner_dumpFirstRecordHasFamilyID(t *testing.T) {
	m := pattern.New()
	_, a := m.Of(`Slow query ns=shop.users command=find planSummary=IXSCAN { email: 1 } durationMillis=130`)
	_, b := m.Of(`Slow query ns=shop.orders command=find planSummary=IXSCAN { customer_id: 1, created: -1 } durationMillis=108`)
	_, c := m.Of(`wakelock acquired ws=WorkSource{10113 com.google.android.gms}, uid=1000`)
	_, d := m.Of(`wakelock acquired ws=WorkSource{1000 android, 10024 com.google.android.gms}, uid=1000`)
	assert.Equal(t, a, b)
	assert.Equal(t, c, d)
	assert.NotEqual(t, a, c)
	assert.Equal(t, uint64(0), m.Stats().Generalized, "no generalization needed")
}
