// Package keybuf builds the qualified attribute keys ("req.id") that the
// adapters (slogx, otelx) hand to the sampler, in a fixed array, without
// allocating. It is shared so that both adapters qualify keys the same way:
// a record gives the same keys through either adapter.
package keybuf
