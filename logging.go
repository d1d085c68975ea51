package main

import (
	"os"
	"strings"
)

// quietDiscardedLogs turns the provider's and the SDK's loggers off when Terraform would throw
// their lines away. Terraform and OpenTofu show a provider's logs only when TF_LOG_PROVIDER, or
// else TF_LOG, names a level other than OFF, but terraform-plugin-go and the framework log at
// TRACE unless told otherwise: every request writes lines that the provider encodes and
// Terraform decodes, only to drop them. On a refresh of 100 extensions that was a fifth of the
// plan's time (BENCHMARKS.md). Levels the user set for these loggers are left as they are.
func quietDiscardedLogs() {
	level := os.Getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = os.Getenv("TF_LOG")
	}
	if level != "" && !strings.EqualFold(level, "off") {
		return
	}
	// TF_LOG_SDK also sets the SDK's subsystems (sdk.proto, sdk.framework) that have no level
	// of their own; TF_LOG_PROVIDER_SAGEMAKER is this provider's own logger, aws-base's included.
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_PROVIDER_SAGEMAKER"} {
		if _, set := os.LookupEnv(name); !set {
			_ = os.Setenv(name, "off")
		}
	}
}
