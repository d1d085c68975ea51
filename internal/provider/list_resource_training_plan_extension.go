package provider

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ list.ListResourceWithConfigure = (*trainingPlanExtensionListResource)(nil)

// NewTrainingPlanExtensionListResource returns the sagemaker_training_plan_extension list
// resource, which lets `terraform query` (Terraform 1.14+) find a plan's extensions to import.
func NewTrainingPlanExtensionListResource() list.ListResource {
	return &trainingPlanExtensionListResource{}
}

type trainingPlanExtensionListResource struct {
	pd *providerData
}

func (r *trainingPlanExtensionListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_training_plan_extension"
}

func (r *trainingPlanExtensionListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the extensions bought for a SageMaker training plan, from its extension history, so that they can be imported. Listing buys nothing.",
		Attributes: map[string]listschema.Attribute{
			"training_plan_arn": listschema.StringAttribute{
				Required:            true,
				MarkdownDescription: "ARN of the training plan whose extensions to list.",
				Validators:          trainingPlanARNValidators(),
			},
		},
	}
}

func (r *trainingPlanExtensionListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	pd, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.pd = pd
}

func (r *trainingPlanExtensionListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config trainingPlanExtensionListModel
	diags := req.Config.Get(ctx, &config)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	planARN := config.TrainingPlanARN.ValueString()
	ctx, cancel, diags := r.pd.readPlan(ctx, planARN)
	defer cancel()
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	history, err := r.pd.history.get(ctx, planARN)
	if err != nil {
		diags.AddError(readError("SageMaker training plan extensions", planARN, err))
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}

	stream.Results = func(push func(list.ListResult) bool) {
		for i, x := range history {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			if !push(listResult(ctx, req, planARN, x)) {
				return
			}
		}
	}
}

// listResult describes one extension of the history as `terraform query` shows it.
func listResult(ctx context.Context, req list.ListRequest, planARN string, x awstypes.TrainingPlanExtension) list.ListResult {
	result := req.NewListResult(ctx)
	data := trainingPlanExtensionModel{
		TrainingPlanARN:                 types.StringValue(planARN),
		TrainingPlanExtensionOfferingID: types.StringValue(aws.ToString(x.TrainingPlanExtensionOfferingId)),
		Timeouts:                        nullTimeouts(ctx),
	}
	data.setExtension(x)
	result.DisplayName = fmt.Sprintf("%s: %s, %d hours from %s to %s", data.TrainingPlanExtensionOfferingID.ValueString(),
		data.Status.ValueString(), data.DurationHours.ValueInt64(), data.StartDate.ValueString(), data.EndDate.ValueString())
	result.Diagnostics.Append(setIdentity(ctx, result.Identity, data)...)
	if req.IncludeResource {
		result.Diagnostics.Append(result.Resource.Set(ctx, &data)...)
	}
	return result
}

// nullTimeouts is the resource's timeouts block when the configuration has none.
func nullTimeouts(ctx context.Context) timeouts.Value {
	blockType, _ := timeouts.Block(ctx, extensionTimeouts).Type().(timeouts.Type) // the block's CustomType
	return timeouts.Value{Object: types.ObjectNull(blockType.AttrTypes)}
}

type trainingPlanExtensionListModel struct {
	TrainingPlanARN types.String `tfsdk:"training_plan_arn"`
}
