package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// dataSourceReadTimeout bounds one data source read, retries included.
const dataSourceReadTimeout = 5 * time.Minute

// dataSourceBase gives every data source the provider's client.
type dataSourceBase struct {
	pd *providerData
}

func (d *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	pd, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.pd = pd
}

// readContext bounds a read and checks the plan ARN against the provider before any call.
func (d *dataSourceBase) readContext(ctx context.Context, planARN string) (context.Context, context.CancelFunc, diag.Diagnostics) {
	var diags diag.Diagnostics
	if planARN != "" {
		if err := d.pd.checkTrainingPlanARN(planARN); err != nil {
			diags.AddAttributeError(path.Root("training_plan_arn"), "training plan out of the provider's reach", err.Error())
		}
	}
	ctx, cancel := context.WithTimeout(apiContext(ctx), dataSourceReadTimeout)
	return ctx, cancel, diags
}

func readError(what, id string, err error) (string, string) {
	return fmt.Sprintf("reading %s (%s)", what, id), err.Error()
}
