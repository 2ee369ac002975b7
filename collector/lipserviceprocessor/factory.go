package lipserviceprocessor

import (
	"context"
	"fmt"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"
)

// typeStr is the processor's type in collector configurations.
const typeStr = "lipservice"

// Type is the component type of the processor, "lipservice".
var Type = component.MustNewType(typeStr)

// NewFactory returns the factory of the lipservice logs processor (logs
// only, development stability).
func NewFactory() processor.Factory {
	return processor.NewFactory(Type, createDefaultConfig,
		processor.WithLogs(createLogs, component.StabilityLevelDevelopment))
}

func createDefaultConfig() component.Config {
	return &Config{
		RateAttribute: DefaultRateAttribute,
		MaxServices:   DefaultMaxServices,
		Anomaly:       true,
	}
}

func createLogs(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Logs) (processor.Logs, error) {
	c, ok := cfg.(*Config)
	if !ok {
		return nil, fmt.Errorf("lipservice: config is %T, not *Config", cfg)
	}
	p, err := newLogsProcessor(set, c)
	if err != nil {
		return nil, err
	}
	return processorhelper.NewLogs(ctx, set, cfg, next, p.processLogs,
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}),
		processorhelper.WithStart(p.start),
		processorhelper.WithShutdown(p.shutdown))
}
