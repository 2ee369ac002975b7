package cluster_test

import (
	"bufio"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/signature"
)

func TestMiner_Add(t *testing.T) {
	tests := []struct {
		name string
		msgs []string
		want []string // final template of each message, via Match
	}{
		{
			name: "masked variables group at once",
			msgs: []string{"took 5 ms", "took 17 ms"},
			want: []string{"took <*> ms", "took <*> ms"},
		},
		{
			name: "two values of a word stay two patterns",
			msgs: []string{"state is 'Active'", "state is 'Inactive'", "state is 'Active'"},
			want: []string{"state is 'Active'", "state is 'Inactive'", "state is 'Active'"},
		},
		{
			name: "a third value makes the position a variable",
			msgs: []string{"Failed password for root from 1.2.3.4", "Failed password for admin from 1.2.3.5", "Failed password for guest from 1.2.3.6"},
			want: []string{"Failed password for <*> from <*>", "Failed password for <*> from <*>", "Failed password for <*> from <*>"},
		},
		{
			name: "key=value keeps the key",
			msgs: []string{"login ok user=alice tty=ssh", "login ok user=bob tty=ssh", "login ok user=carol tty=ssh"},
			want: []string{"login ok user=<*> tty=ssh", "login ok user=<*> tty=ssh", "login ok user=<*> tty=ssh"},
		},
		{
			name: "brackets are kept around the variable",
			msgs: []string{"(root) CMD run parts", "(news) CMD run parts", "(cyrus) CMD run parts"},
			want: []string{"(<*>) CMD run parts", "(<*>) CMD run parts", "(<*>) CMD run parts"},
		},
		{
			name: "below the similarity threshold short messages stay apart",
			msgs: []string{"(games) CMD run", "(news) CMD run", "(cyrus) CMD run"},
			want: []string{"(games) CMD run", "(news) CMD run", "(cyrus) CMD run"},
		},
		{
			name: "different lengths never merge",
			msgs: []string{"session opened", "session opened for user alice"},
			want: []string{"session opened", "session opened for user alice"},
		},
		{
			name: "low similarity does not merge",
			msgs: []string{"a b c d", "a x y z", "a p q r"},
			want: []string{"a b c d", "a x y z", "a p q r"},
		},
		{
			name: "empty and blank messages",
			msgs: []string{"", "   "},
			want: []string{"", ""},
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			m := cluster.NewMiner()
			for _, msg := range test.msgs {
				p := m.Add(msg)
				assert.NotZero(t, p.ID, "Add(%q) returned no ID", msg)
			}
			for i, msg := range test.msgs {
				p, ok := m.Match(msg)
				require.True(t, ok, "Match(%q) found nothing", msg)
				assert.Equal(t, test.want[i], p.Template, "final template of %q", msg)
				assert.Equal(t, signature.OfTemplate(p.Template), p.Signature, "signature of %q", p.Template)
			}
		})
	}
}

// TestMiner_FoldsCoveredPatterns checks that a pattern mined before a
// pattern covering it existed is folded into that pattern, and that
// patterns that are not covered, or only through an older <*>, stay apart.
// The expectations were derived by hand from the rules in the Miner doc.
func TestMiner_FoldsCoveredPatterns(t *testing.T) {
	const hpc = "<*> has detected an available network connection on network <*> via interface alt0"
	tests := []struct {
		name     string
		msgs     []string
		want     []string // final template of each message, via Match
		patterns int      // live patterns at the end
		counts   []uint64 // count of each live pattern, by ID
	}{
		{
			name: "a constant first line joins the wildcard pattern created after it",
			msgs: []string{
				"node-D1 has detected an available network connection on network 5.5.224.0 via interface alt0",
				"node-128 has detected an available network connection on network 5.5.226.0 via interface alt0",
				"node-D7 has detected an available network connection on network 5.5.224.0 via interface alt0",
				"node-31 has detected an available network connection on network 5.5.228.0 via interface alt0",
			},
			want:     []string{hpc, hpc, hpc, hpc},
			patterns: 1,
			counts:   []uint64{4},
		},
		{
			name:     "every covered value folds, the oldest pattern survives",
			msgs:     []string{"state is 'Active'", "state is 'Inactive'", "state is 5", "state is 'Active'"},
			want:     []string{"state is <*>", "state is <*>", "state is <*>", "state is <*>"},
			patterns: 1,
			counts:   []uint64{4},
		},
		{
			name:     "two values without a covering message stay apart",
			msgs:     []string{"state is 'Active'", "state is 'Inactive'", "state is 'Active'"},
			want:     []string{"state is 'Active'", "state is 'Inactive'", "state is 'Active'"},
			patterns: 2,
			counts:   []uint64{2, 1},
		},
		{
			name:     "a message of wildcards only covers nothing",
			msgs:     []string{"alpha beta", "5 6"},
			want:     []string{"alpha beta", "<*> <*>"},
			patterns: 2,
			counts:   []uint64{1, 1},
		},
		{
			name:     "a constant outside the wildcards keeps the patterns apart",
			msgs:     []string{"user alice logged in", "user 42 logged out"},
			want:     []string{"user alice logged in", "user <*> logged out"},
			patterns: 2,
			counts:   []uint64{1, 1},
		},
		{
			name: "covered through an older key=<*>: a value position folds",
			msgs: []string{
				"connection authorized: user=app database=shop application_name=psql",
				"connection authorized: user=reporting database=analytics application_name=metabase",
				"connection authorized: user=app database=shop application_name=pgbouncer",
				"connection authorized: user=alice database=payments application_name=DBeaver",
			},
			want: []string{
				"connection authorized: user=<*> database=<*> application_name=<*>",
				"connection authorized: user=<*> database=<*> application_name=<*>",
				"connection authorized: user=<*> database=<*> application_name=<*>",
				"connection authorized: user=<*> database=<*> application_name=<*>",
			},
			patterns: 1,
			counts:   []uint64{4},
		},
		{
			name: "covered only through an older <*>: stays apart",
			msgs: []string{
				"(root) CMD (run-parts /etc/cron.hourly)",
				"(root) CMD (/projects/tbird/get_temps a)",
				"(root) CMD (/projects/tbird/get_temps b)",
				"(root) CMD (/projects/tbird/get_temps c)",
				"(root) CMD (run-parts /etc/cron.hourly)",
			},
			want: []string{
				"(<*>) CMD (run-parts <*>)",
				"(<*>) CMD (<*> <*>)",
				"(<*>) CMD (<*> <*>)",
				"(<*>) CMD (<*> <*>)",
				"(<*>) CMD (run-parts <*>)",
			},
			patterns: 2,
			counts:   []uint64{2, 3},
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			m := cluster.NewMiner()
			first := m.Add(test.msgs[0])
			for _, msg := range test.msgs[1:] {
				m.Add(msg)
			}
			for i, msg := range test.msgs {
				p, ok := m.Match(msg)
				require.True(t, ok, "Match(%q) found nothing", msg)
				assert.Equal(t, test.want[i], p.Template, "final template of %q", msg)
			}
			ps := m.Patterns()
			require.Len(t, ps, test.patterns, "live patterns: %v", ps)
			sort.Slice(ps, func(i, j int) bool { return ps[i].ID < ps[j].ID })
			var counts []uint64
			for _, p := range ps {
				counts = append(counts, p.Count)
			}
			assert.Equal(t, test.counts, counts, "counts by ID")
			p, ok := m.Pattern(first.ID)
			require.True(t, ok, "the first message's pattern %d stays live (the oldest survives)", first.ID)
			assert.Equal(t, test.msgs[0], p.Example, "example of the first pattern")
		})
	}
}

func TestMiner_Counts(t *testing.T) {
	m := cluster.NewMiner()
	for i := 0; i < 5; i++ {
		m.Add("worker 7 started")
	}
	p := m.Add("worker 9 started")
	assert.Equal(t, uint64(6), p.Count)
	assert.Equal(t, "worker 7 started", p.Example, "the example is the first message")
	ps := m.Patterns()
	require.Len(t, ps, 1)
	assert.Equal(t, uint64(6), ps[0].Count)
	got, ok := m.Pattern(p.ID)
	require.True(t, ok)
	assert.Equal(t, p.Template, got.Template)
	_, ok = m.Pattern(p.ID + 100)
	assert.False(t, ok, "unknown ID")
	_, ok = m.Match("something never seen")
	assert.False(t, ok, "Match of a new message")
}

func TestMiner_Snapshot(t *testing.T) {
	m := cluster.NewMiner()
	for _, msg := range []string{"user alice logged in", "user bob logged in", "user carol logged in", "disk sda1 full", "disk sda1 full"} {
		m.Add(msg)
	}
	b, err := m.MarshalJSON()
	require.NoError(t, err)

	r := cluster.NewMiner()
	require.NoError(t, r.UnmarshalJSON(b))
	assert.Equal(t, m.Patterns(), r.Patterns(), "restored patterns")
	p := r.Add("user dave logged in")
	assert.Equal(t, "user <*> logged in", p.Template)
	assert.Equal(t, uint64(4), p.Count)
	n := r.Add("a brand new message")
	assert.Equal(t, uint64(4), n.ID, "IDs continue after the snapshot's next_id (3 patterns were created)")

	small := cluster.NewMiner(cluster.WithMaxPatterns(8))
	var big strings.Builder
	big.WriteString(`{"version":1,"patterns":[`)
	for i := 1; i <= 20; i++ {
		if i > 1 {
			big.WriteString(",")
		}
		big.WriteString(`{"id":` + itoa(i) + `,"template":"event ` + strings.Repeat("x", i) + `","count":` + itoa(i) + `}`)
	}
	big.WriteString(`]}`)
	require.NoError(t, small.UnmarshalJSON([]byte(big.String())))
	assert.Equal(t, 8, small.Len(), "a snapshot over the cap keeps the most frequent patterns")
	assert.Equal(t, uint64(20), small.Patterns()[0].Count)

	for _, bad := range []string{`{`, `{"version":2}`, `{"version":1,"patterns":[{"id":0,"template":"x"}]}`, `{"version":1,"patterns":[{"id":1,"template":"x"},{"id":1,"template":"y"}]}`} {
		err := r.UnmarshalJSON([]byte(bad))
		assert.True(t, errors.Is(err, cluster.ErrSnapshot), "UnmarshalJSON(%s) = %v, want ErrSnapshot", bad, err)
	}
	assert.Equal(t, 3, r.Len(), "a failed restore leaves the miner unchanged")
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// TestMiner_Races adds, matches and snapshots from several goroutines; it
// exists to be run with -race.
func TestMiner_Races(t *testing.T) {
	m := cluster.NewMiner(cluster.WithMaxPatterns(64))
	lines := loadContent(t, "linux")
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, l := range lines {
				switch (i + g) % 7 {
				case 0:
					m.Match(l)
				case 1:
					if i%50 == 0 {
						_, _ = m.MarshalJSON()
						m.Patterns()
					}
				}
				m.Add(l)
			}
		}()
	}
	wg.Wait()
	assert.LessOrEqual(t, m.Len(), 64)
	var total uint64
	for _, p := range m.Patterns() {
		total += p.Count
	}
	assert.LessOrEqual(t, total, uint64(4*len(lines)), "counts never exceed the messages added")
}

// TestMiner_Cap feeds 1 M distinct random messages and checks that the miner
// stays within its pattern cap and its fast-path table within 4× the cap.
func TestMiner_Cap(t *testing.T) {
	if minerRace || testing.Short() {
		t.Skip("1 M messages: skipped under -race and -short")
	}
	const maxPatterns = 1000
	m := cluster.NewMiner(cluster.WithMaxPatterns(maxPatterns), cluster.WithExamples(false))
	rng := rand.New(rand.NewPCG(1, 2))
	const letters = "abcdefghijklmnopqrstuvwxyz"
	var b []byte
	peak := 0
	for i := 0; i < 1_000_000; i++ {
		b = b[:0]
		words := 2 + rng.IntN(8)
		for w := 0; w < words; w++ {
			if w > 0 {
				b = append(b, ' ')
			}
			for k := 3 + rng.IntN(6); k > 0; k-- {
				b = append(b, letters[rng.IntN(len(letters))])
			}
		}
		m.Add(string(b))
		if i%10_000 == 0 {
			peak = max(peak, m.Len())
		}
	}
	peak = max(peak, m.Len())
	assert.LessOrEqual(t, peak, maxPatterns, "pattern count exceeded the cap")
	assert.Greater(t, m.Evicted(), uint64(0), "random messages must have caused evictions")
	t.Logf("1M random messages: %d patterns held (cap %d), %d evicted", m.Len(), maxPatterns, m.Evicted())
}

func TestMiner_AllocsKnownPattern(t *testing.T) {
	if minerRace {
		t.Skip("allocation counts are not meaningful under -race")
	}
	m := cluster.NewMiner()
	lines := loadContent(t, "hdfs")
	for _, l := range lines {
		m.Add(l)
	}
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		m.Add(lines[i%len(lines)])
		i++
	})
	assert.Zero(t, allocs, "Add of a known pattern allocated")
	allocs = testing.AllocsPerRun(1000, func() {
		m.Match(lines[i%len(lines)])
		i++
	})
	assert.Zero(t, allocs, "Match of a known pattern allocated")
}

// loadContent reads testdata/miner/<name>.content: message contents of the
// first 500 lines of a Loghub-2k system.
func loadContent(t testing.TB, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "miner", name+".content"))
	require.NoError(t, err)
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	require.NoError(t, sc.Err())
	return lines
}

// TestMiner_RacesMergeKeepsCounts adds messages of patterns that merge while
// other goroutines keep hitting them through the lock-free fast path: no
// message may be lost from the counts (nothing is evicted here).
func TestMiner_RacesMergeKeepsCounts(t *testing.T) {
	for round := 0; round < 20; round++ {
		m := cluster.NewMiner()
		const perG = 300
		users := []string{"alice", "bob", "carol", "dave", "erin", "frank"}
		var wg sync.WaitGroup
		for g := range users {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < perG; i++ {
					m.Add("session opened for user " + users[(g+i)%len(users)] + " by uid 0")
				}
			}()
		}
		wg.Wait()
		var total uint64
		for _, p := range m.Patterns() {
			total += p.Count
		}
		require.Equal(t, uint64(perG*len(users)), total, "round %d: counts lost or duplicated across merges", round)
		p, ok := m.Match("session opened for user zoe by uid 0")
		require.True(t, ok)
		assert.Equal(t, "session opened for user <*> by uid <*>", p.Template)
	}
}

// TestMiner_VariableLists checks that a comma list of values whose length
// varies is one <*>, whichever message comes first, while a list of fixed
// length keeps its commas.
func TestMiner_VariableLists(t *testing.T) {
	for _, msgs := range [][]string{
		{"Shrinking ISR from 1,2,3 to 1,2. Leader: 7", "Shrinking ISR from 2,3,1 to 2,1. Leader: 8", "Shrinking ISR from 3,1 to 3. Leader: 9"},
		{"Shrinking ISR from 3,1 to 3. Leader: 9", "Shrinking ISR from 1,2,3 to 1,2. Leader: 7", "Shrinking ISR from 2,3,1 to 2,1. Leader: 8"},
	} {
		const want = "Shrinking ISR from <*> to <*>. Leader: <*>"
		assertMinedTemplates(t, msgs, []string{want, want, want})
	}
	m := cluster.NewMiner()
	for _, msg := range []string{"window [1440,900] moved", "window [800,600] moved", "window [1024,768] moved"} {
		m.Add(msg)
	}
	p, ok := m.Match("window [1440,900] moved")
	require.True(t, ok)
	assert.Equal(t, "window [<*>,<*>] moved", p.Template, "a list of fixed length keeps its commas")
}

// An object dump as a key= value is one value (miner_dump.go): the lines of
// one event whose dump has a varying number of words, or is null, are one
// pattern with the key's value as one <*>.
func TestMinerObjectDumpValue(t *testing.T) {
	msgs := []string{
		`acquire lock=204573, name=com.google.android.gms, ws=WorkSource{10024 com.google.android.gms}, uid=10024`,
		`acquire lock=38992160, name=audioserver, ws=null, uid=1041`,
		`onStartCommand: intent=Intent { act=com.example.START cmp=com.example/.CoreService } flags=0 startId=1`,
		`onStartCommand: intent=Intent { cmp=com.android.calendar/.AlertService } flags=2 startId=17`,
		`Slow query ns=shop.orders planSummary=COLLSCAN durationMillis=412`,
		`Slow query ns=shop.users planSummary=IXSCAN { email: 1 } durationMillis=130`,
	}
	want := []string{
		`acquire lock=<*>, name=<*>, ws=<*>, uid=<*>`,
		`acquire lock=<*>, name=<*>, ws=<*>, uid=<*>`,
		`onStartCommand: intent=<*> flags=<*> startId=<*>`,
		`onStartCommand: intent=<*> flags=<*> startId=<*>`,
		`Slow query ns=<*> planSummary=<*> durationMillis=<*>`,
		`Slow query ns=<*> planSummary=<*> durationMillis=<*>`,
	}
	assertMinedTemplates(t, msgs, want)
}
