package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/provider"
)

// Run "go generate" to format example Terraform files and generate the docs for the registry.
//go:generate terraform fmt -recursive ./examples/
//go:generate go tool tfplugindocs generate --provider-name sagemaker

// version and commit are set by goreleaser at build time.
var (
	version = "dev"
	commit  = "none"
)

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	// In debug mode the provider's own stderr is where its logs are read.
	if !debug {
		quietDiscardedLogs()
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/tfsagemaker/sagemaker",
		Debug:   debug,
	})
	if err != nil {
		log.Fatalf("serving provider %s (commit %s): %s", version, commit, err)
	}
}
