package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

// dataSourceBase gives every data source the provider's client.
type dataSourceBase struct {
	pd *providerData
}

func (d *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	pd, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.pd = pd
}

func readError(what, id string, err error) (string, string) {
	return fmt.Sprintf("reading %s (%s)", what, id), err.Error()
}
