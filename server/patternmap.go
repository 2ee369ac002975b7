package server

import (
	"time"

	"github.com/srex-dev/lipservice-go/pattern"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/signature"
)

// MaxFleetSignatures caps the signatures the server groups into patterns
// for one policy ([Server.Generate]): 65 536, the size of a policy's
// pattern_map ([policy.MaxPatternMap]) and of its pattern_rates. The
// signatures come from the store ordered by window volume, largest first;
// those beyond the cap are dropped (neither grouped nor rated; the sampler
// applies the policy's other rules to them), so only the rarest
// signatures of a service with more than 65 536 in the window are lost.
const MaxFleetSignatures = policy.MaxPatternMap

// fleetPattern is one pattern of a service's fleet: the reported
// signatures the server's miner grouped, with their summed window volume.
type fleetPattern struct {
	id       signature.Sig
	template string
	// members are the reported signatures of the pattern.
	members []signature.Sig
	// Sums over the members (saturating), and their earliest first sight.
	count, errors, recent int64
	firstSeen             time.Time
}

// groupFleet groups the patterns the fleet reported (ps, ordered by window
// volume, largest first; those with no volume in the window are skipped)
// into patterns with a [pattern.Miner], the miner every sampler runs, so
// that the server's pattern IDs are the ones the instances learn: a
// pattern's ID is the signature of its template (signature.OfTemplate).
// Each reported template is placed as a message whose signature is the
// reported signature; templates that differ only in variable positions
// (free text the normalizer did not mask, say) join one pattern, whose
// template masks them.
//
// It returns the patterns, ordered by their largest member, and the
// signature → pattern ID map of the members whose ID differs from their
// signature (the policy's pattern_map). At most [MaxFleetSignatures]
// signatures are grouped.
//
// Only a signature that is the signature of its template, a template the
// normalizer leaves as it is, is grouped (see mineable); any other keeps
// its signature as its pattern ID.
//
// The map never chains (policy.Policy.Validate): a reported signature that
// is also the ID of another pattern keeps its own ID, and its volume is
// counted under that pattern.
func groupFleet(ps []store.Pattern) ([]*fleetPattern, map[signature.Sig]signature.Sig) {
	type reported struct {
		sig signature.Sig
		p   *store.Pattern
	}
	in := make([]reported, 0, min(len(ps), MaxFleetSignatures))
	for i := range ps {
		if len(in) == MaxFleetSignatures {
			break
		}
		p := &ps[i]
		if p.WindowCount == 0 {
			continue
		}
		sig, err := signature.Parse(p.Signature)
		if err != nil {
			continue // written by this server, so not expected
		}
		in = append(in, reported{sig, p})
	}
	// Twice as many patterns as signatures: no pattern is evicted, and the
	// two-way placement table rarely forgets a signature between the
	// passes (one that is forgotten is placed again, into the same
	// pattern in practice).
	m := pattern.New(pattern.WithMaxPatterns(2 * len(in)))
	for _, r := range in {
		if mineable(r.sig, r.p.Template) {
			m.ID(r.sig, r.p.Template)
		}
	}
	// IDs change while patterns generalize: read them once all are placed.
	ids := make([]signature.Sig, len(in))
	isID := make(map[signature.Sig]bool, len(in))
	for i, r := range in {
		ids[i] = r.sig
		if mineable(r.sig, r.p.Template) {
			ids[i] = m.ID(r.sig, r.p.Template)
		}
		isID[ids[i]] = true
	}
	byID := make(map[signature.Sig]*fleetPattern, len(in))
	var out []*fleetPattern
	mp := map[signature.Sig]signature.Sig{}
	for i, r := range in {
		id := ids[i]
		if r.sig != id && isID[r.sig] {
			id = r.sig // no chains: r.sig is a pattern ID itself
		}
		fp := byID[id]
		if fp == nil {
			fp = &fleetPattern{id: id, firstSeen: r.p.FirstSeen}
			if t, ok := m.Template(id); ok {
				fp.template = t
			} else {
				fp.template = r.p.Template
			}
			byID[id] = fp
			out = append(out, fp)
		}
		fp.members = append(fp.members, r.sig)
		fp.count = store.SatAdd(fp.count, r.p.WindowCount)
		fp.errors = store.SatAdd(fp.errors, min(r.p.WindowErrors, r.p.WindowCount))
		fp.recent = store.SatAdd(fp.recent, r.p.RecentCount)
		if r.p.FirstSeen.Before(fp.firstSeen) {
			fp.firstSeen = r.p.FirstSeen
		}
		if r.sig != id {
			mp[r.sig] = id
		}
	}
	return out, mp
}

// mineable reports whether a reported signature can be grouped by its
// template: sig is the signature of tmpl (signature.OfTemplate), and tmpl
// is a fixed point of the normalizer (signature.Of(tmpl) is the same), as
// the templates of samplers are. A signature with attribute keys folded in
// (structured records) is not: the sampler looks the pattern map up, and
// keys its rates, by the ID before the fold, so grouping it by its
// template would misplace it. Neither is a template cut short (the sampler
// and the server clip long ones), nor one made by hand or by another
// normalizer, which the miner would normalize again into another template.
func mineable(sig signature.Sig, tmpl string) bool {
	return signature.OfTemplate(tmpl) == sig && signature.Of(tmpl) == sig
}
