package sampler

import "github.com/srex-dev/lipservice-go/signature"

// Template returns the template of the pattern whose ID is id, as the
// pattern layer knows it now: the message's template with what the layer
// learned is variable masked (a family of messages that differ in a name
// reads "user <*> logged in"). It returns false when the sampler mines no
// patterns ([WithPatternMining](false)) or no longer knows id (the pattern
// was evicted, or generalized under another ID). Reports should prefer it
// to a template computed from one record, which keeps what only the family
// shows to be variable. It takes the miner's lock, so it is for reports,
// not for the hot path. This method can be called concurrently.
func (s *Sampler) Template(id signature.Sig) (string, bool) {
	if s.miner == nil {
		return "", false
	}
	return s.miner.Template(id)
}
