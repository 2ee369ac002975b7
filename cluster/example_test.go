package cluster_test

import (
	"fmt"

	"github.com/srex-dev/lipservice-go/cluster"
)

func Example() {
	m := cluster.NewMiner()
	for _, msg := range []string{
		"Failed password for root from 10.0.0.1 port 22 ssh2",
		"Failed password for admin from 10.0.0.2 port 2222 ssh2",
		"Failed password for guest from 10.0.0.3 port 22 ssh2",
		"Connection closed by 10.0.0.1 [preauth]",
	} {
		m.Add(msg)
	}
	for _, p := range m.Patterns() {
		fmt.Printf("%d %s\n", p.Count, p.Template)
	}
	// Output:
	// 3 Failed password for <*> from <*> port <*> ssh2
	// 1 Connection closed by <*> [preauth]
}

func ExampleMiner_Match() {
	m := cluster.NewMiner()
	lines := []string{"user alice logged in", "user bob logged in", "user carol logged in"}
	for _, l := range lines {
		m.Add(l)
	}
	// After mining, Match gives every line its pattern's final template.
	for _, l := range lines {
		p, _ := m.Match(l)
		fmt.Println(p.ID, p.Template)
	}
	// Output:
	// 1 user <*> logged in
	// 1 user <*> logged in
	// 1 user <*> logged in
}

func ExampleMiner_MarshalJSON() {
	m := cluster.NewMiner(cluster.WithExamples(false))
	m.Add("disk /dev/sda1 is 91% full")
	b, _ := m.MarshalJSON()
	fmt.Println(string(b))

	restored := cluster.NewMiner()
	_ = restored.UnmarshalJSON(b)
	p := restored.Add("disk /dev/sdb2 is 97% full")
	fmt.Println(p.ID, p.Count, p.Template)
	// Output:
	// {"version":1,"next_id":1,"patterns":[{"id":1,"template":"disk <*> is <*> full","signature":"80793303055bf561","count":1}]}
	// 1 2 disk <*> is <*> full
}
