// Command naive-provider serves the provider with one history scan per read instead of the
// run's shared scans: the baseline that make bench times beside the real provider.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/provider"
)

func main() {
	err := providerserver.Serve(context.Background(), provider.NewScanningHistoryPerRead("bench"), providerserver.ServeOpts{
		Address: "registry.terraform.io/tfsagemaker/sagemaker",
	})
	if err != nil {
		log.Fatal(err)
	}
}
