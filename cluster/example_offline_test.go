package cluster_test

import (
	"fmt"
	"time"

	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/signature"
)

func ExampleAnalyze() {
	day := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	pattern := func(template string, count uint64, level string, first, last int) cluster.PatternSummary {
		return cluster.PatternSummary{
			ID:        signature.OfTemplate(template),
			Template:  template,
			Count:     count,
			Severity:  map[string]uint64{level: count},
			FirstSeen: day.Add(time.Duration(first) * time.Hour),
			LastSeen:  day.Add(time.Duration(last) * time.Hour),
		}
	}
	patterns := []cluster.PatternSummary{
		pattern("Session opened for user <*>", 900, "INFO", 0, 23),
		pattern("Session closed for user <*>", 850, "INFO", 1, 23),
		pattern("Session expired for user <*>", 40, "WARN", 3, 20),
		pattern("Disk <*> usage above <*> percent on volume <*>", 12, "WARN", 5, 9),
		pattern("Disk <*> usage back below <*> percent on volume <*>", 10, "INFO", 6, 10),
		pattern("Cache warmed in <*> ms", 1, "INFO", 0, 0),
	}
	clusters, err := cluster.Analyze(patterns)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range clusters {
		fmt.Printf("%d patterns, %d messages, noise=%v, label %q\n", len(c.Members), c.Count, c.Noise, c.Label)
		fmt.Printf("  representative %q, severity %v\n", c.Template, c.Severity)
		fmt.Printf("  seen %s to %s\n", c.FirstSeen.Format(time.Kitchen), c.LastSeen.Format(time.Kitchen))
	}
	// Output:
	// 3 patterns, 1790 messages, noise=false, label "for session user closed expired"
	//   representative "Session opened for user <*>", severity map[INFO:1750 WARN:40]
	//   seen 12:00AM to 11:00PM
	// 2 patterns, 22 messages, noise=false, label "disk on percent usage volume"
	//   representative "Disk <*> usage above <*> percent on volume <*>", severity map[INFO:10 WARN:12]
	//   seen 5:00AM to 10:00AM
	// 1 patterns, 1 messages, noise=true, label "cache in ms warmed"
	//   representative "Cache warmed in <*> ms", severity map[INFO:1]
	//   seen 12:00AM to 12:00AM
}
