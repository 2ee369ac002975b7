// Package localpipeline runs a minimal collector logs pipeline in process:
// the OTLP receiver (HTTP only, on a loopback port) → the lipservice
// processor → a consumer given by the caller. It wires the factories'
// Create functions directly, as the collector's service does, so the test
// and the example exercise the same components a built collector runs.
package localpipeline

import (
	"context"
	"errors"
	"net"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configgrpc"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/otlpreceiver"

	"github.com/srex-dev/lipservice-go/collector/lipserviceprocessor"
)

// Pipeline is a started receiver → processor → consumer pipeline.
type Pipeline struct {
	// Endpoint is the receiver's OTLP/HTTP address, host:port.
	Endpoint string

	recv receiver.Logs
	proc processor.Logs
}

// Start starts a pipeline whose processor has cfg and whose last stage is
// next, with the telemetry settings ts (componenttest's no-op settings when
// nil). The receiver listens on a free loopback port.
func Start(ctx context.Context, cfg *lipserviceprocessor.Config, next consumer.Logs, ts *component.TelemetrySettings) (*Pipeline, error) {
	tel := componenttest.NewNopTelemetrySettings()
	if ts != nil {
		tel = *ts
	}
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	host := componenttest.NewNopHost()

	pf := lipserviceprocessor.NewFactory()
	proc, err := pf.CreateLogs(ctx, processor.Settings{
		ID: component.NewID(pf.Type()), TelemetrySettings: tel,
	}, cfg, next)
	if err != nil {
		return nil, err
	}

	rf := otlpreceiver.NewFactory()
	rcfg := rf.CreateDefaultConfig().(*otlpreceiver.Config)
	rcfg.Protocols.GRPC = configoptional.None[configgrpc.ServerConfig]()
	// The default HTTP protocol is a default, not a value: make it one.
	http := *rcfg.Protocols.HTTP.GetOrInsertDefault()
	http.ServerConfig.NetAddr.Endpoint = addr
	rcfg.Protocols.HTTP = configoptional.Some(http)
	recv, err := rf.CreateLogs(ctx, receiver.Settings{
		ID: component.NewID(rf.Type()), TelemetrySettings: tel,
	}, rcfg, proc)
	if err != nil {
		return nil, err
	}

	// Start downstream first and shut down upstream first, as the
	// collector's service does.
	if err := proc.Start(ctx, host); err != nil {
		return nil, err
	}
	if err := recv.Start(ctx, host); err != nil {
		return nil, errors.Join(err, proc.Shutdown(ctx))
	}
	return &Pipeline{Endpoint: addr, recv: recv, proc: proc}, nil
}

// Shutdown stops the receiver, then the processor.
func (p *Pipeline) Shutdown(ctx context.Context) error {
	return errors.Join(p.recv.Shutdown(ctx), p.proc.Shutdown(ctx))
}

// freePort returns a loopback address with a port that was free a moment
// ago (the receiver binds it by address, so the port is picked here).
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}
