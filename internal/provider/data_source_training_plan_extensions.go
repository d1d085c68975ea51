package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*trainingPlanExtensionsDataSource)(nil)

// NewTrainingPlanExtensionsDataSource returns the sagemaker_training_plan_extensions data source.
func NewTrainingPlanExtensionsDataSource() datasource.DataSource {
	return &trainingPlanExtensionsDataSource{}
}

type trainingPlanExtensionsDataSource struct {
	dataSourceBase
}

func (d *trainingPlanExtensionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_training_plan_extensions"
}

func (d *trainingPlanExtensionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the whole extension history of a SageMaker training plan.",
		Attributes: map[string]schema.Attribute{
			"training_plan_arn": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "ARN of the training plan.",
				Validators:          trainingPlanARNValidators(),
			},
			"extensions": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Every extension bought for the plan, in the order AWS returns them.",
				NestedObject:        schema.NestedAttributeObject{Attributes: extensionListItemAttributes()},
			},
		},
	}
}

func (d *trainingPlanExtensionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data trainingPlanExtensionsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	planARN := data.TrainingPlanARN.ValueString()
	ctx, cancel, diags := d.pd.readPlan(ctx, planARN)
	defer cancel()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	history, err := d.pd.history.get(ctx, planARN)
	if err != nil {
		resp.Diagnostics.AddError(readError("SageMaker training plan extension history", planARN, err))
		return
	}
	data.Extensions, diags = extensionListValue(history)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

type trainingPlanExtensionsDataSourceModel struct {
	TrainingPlanARN types.String `tfsdk:"training_plan_arn"`
	Extensions      types.List   `tfsdk:"extensions"`
}
