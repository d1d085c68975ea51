package provider

import (
	"context"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*trainingPlanExtensionDataSource)(nil)

// NewTrainingPlanExtensionDataSource returns the sagemaker_training_plan_extension data source.
func NewTrainingPlanExtensionDataSource() datasource.DataSource {
	return &trainingPlanExtensionDataSource{}
}

type trainingPlanExtensionDataSource struct {
	dataSourceBase
}

func (d *trainingPlanExtensionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_training_plan_extension"
}

func (d *trainingPlanExtensionDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: "`<training_plan_arn>,<training_plan_extension_offering_id>`, as the resource's ID.",
		},
		"training_plan_arn": schema.StringAttribute{
			Required:            true,
			MarkdownDescription: "ARN of the training plan the extension belongs to.",
			Validators:          trainingPlanARNValidators(),
		},
		"training_plan_extension_offering_id": schema.StringAttribute{
			Required:            true,
			MarkdownDescription: "ID of the offering the extension was bought with (`tpeo-...`).",
			Validators:          offeringIDValidators(),
		},
	}
	maps.Copy(attributes, extensionAttributeSchemas)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one purchased extension of a SageMaker training plan from the plan's extension history.",
		Attributes:          attributes,
	}
}

func (d *trainingPlanExtensionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data trainingPlanExtensionDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	planARN, offeringID := data.TrainingPlanARN.ValueString(), data.TrainingPlanExtensionOfferingID.ValueString()
	ctx, cancel, diags := d.pd.readPlan(ctx, planARN)
	defer cancel()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	extension, err := findExtensionShared(ctx, d.pd.history, planARN, offeringID)
	if isNotFound(err) {
		resp.Diagnostics.AddError("no matching SageMaker training plan extension found", err.Error())
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(readError("SageMaker training plan extension", offeringID, err))
		return
	}
	data.ID = types.StringValue(extensionID(planARN, offeringID))
	data.extensionAttributes = newExtensionAttributes(*extension)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

type trainingPlanExtensionDataSourceModel struct {
	ID                              types.String `tfsdk:"id"`
	TrainingPlanARN                 types.String `tfsdk:"training_plan_arn"`
	TrainingPlanExtensionOfferingID types.String `tfsdk:"training_plan_extension_offering_id"`
	extensionAttributes
}
