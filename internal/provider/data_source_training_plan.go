package provider

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*trainingPlanDataSource)(nil)

// NewTrainingPlanDataSource returns the sagemaker_training_plan data source.
func NewTrainingPlanDataSource() datasource.DataSource {
	return &trainingPlanDataSource{}
}

type trainingPlanDataSource struct {
	dataSourceBase
}

func (d *trainingPlanDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_training_plan"
}

func (d *trainingPlanDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: description}
	}
	count := func(description string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: description}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a SageMaker training plan: its status, its time window (which extensions move) and its instances.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Name of the training plan.",
				Validators:          trainingPlanNameValidators(),
			},
			"arn":                      computed("ARN of the training plan, for `training_plan_arn` arguments."),
			"status":                   computed("Status of the plan: `Pending`, `Active`, `Scheduled`, `Expired` or `Failed`. Only `Active` and `Scheduled` plans can be extended."),
			"status_message":           computed("Explanation of the status, when AWS gives one."),
			"start_time":               schema.StringAttribute{CustomType: timetypes.RFC3339Type{}, Computed: true, MarkdownDescription: "When the plan's capacity starts, in RFC 3339 format."},
			"end_time":                 schema.StringAttribute{CustomType: timetypes.RFC3339Type{}, Computed: true, MarkdownDescription: "When the plan's capacity ends, extensions included, in RFC 3339 format."},
			"duration_hours":           count("Whole hours of the plan's length."),
			"duration_minutes":         count("Minutes of the plan's length beyond `duration_hours`."),
			"upfront_fee":              computed("Price of the plan, exactly as AWS reports it (a decimal string)."),
			"currency_code":            computed("Currency of `upfront_fee`, such as `USD`."),
			"total_instance_count":     count("Instances reserved by the plan."),
			"available_instance_count": count("Instances free for new work."),
			"in_use_instance_count":    count("Instances in use."),
			"target_resources": schema.ListAttribute{
				ElementType:         types.StringType,
				Computed:            true,
				MarkdownDescription: "What the plan's capacity serves: `training-job`, `hyperpod-cluster`.",
			},
		},
	}
}

func (d *trainingPlanDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data trainingPlanDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := data.Name.ValueString()
	// A plan looked up by name has no ARN to check: it is in the provider's account and Region.
	ctx, cancel := apiContext(ctx, readTimeout)
	defer cancel()

	out, err := d.pd.sageMaker.DescribeTrainingPlan(ctx, &sagemaker.DescribeTrainingPlanInput{TrainingPlanName: aws.String(name)})
	var missing *awstypes.ResourceNotFound
	if errors.As(err, &missing) {
		resp.Diagnostics.AddError("no matching SageMaker training plan found", missing.ErrorMessage())
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(readError("SageMaker training plan", name, err))
		return
	}
	data.ARN = types.StringPointerValue(out.TrainingPlanArn)
	data.Status = types.StringValue(string(out.Status))
	data.StatusMessage = types.StringPointerValue(out.StatusMessage)
	data.StartTime = rfc3339(out.StartTime)
	data.EndTime = rfc3339(out.EndTime)
	data.DurationHours = int64Value(out.DurationHours)
	data.DurationMinutes = int64Value(out.DurationMinutes)
	data.UpfrontFee = types.StringPointerValue(out.UpfrontFee)
	data.CurrencyCode = types.StringPointerValue(out.CurrencyCode)
	data.TotalInstanceCount = int64Value(out.TotalInstanceCount)
	data.AvailableInstanceCount = int64Value(out.AvailableInstanceCount)
	data.InUseInstanceCount = int64Value(out.InUseInstanceCount)
	targets := make([]string, 0, len(out.TargetResources))
	for _, t := range out.TargetResources {
		targets = append(targets, string(t))
	}
	targetResources, diags := types.ListValueFrom(ctx, types.StringType, targets)
	data.TargetResources = targetResources
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

type trainingPlanDataSourceModel struct {
	Name                   types.String      `tfsdk:"name"`
	ARN                    types.String      `tfsdk:"arn"`
	Status                 types.String      `tfsdk:"status"`
	StatusMessage          types.String      `tfsdk:"status_message"`
	StartTime              timetypes.RFC3339 `tfsdk:"start_time"`
	EndTime                timetypes.RFC3339 `tfsdk:"end_time"`
	DurationHours          types.Int64       `tfsdk:"duration_hours"`
	DurationMinutes        types.Int64       `tfsdk:"duration_minutes"`
	UpfrontFee             types.String      `tfsdk:"upfront_fee"`
	CurrencyCode           types.String      `tfsdk:"currency_code"`
	TotalInstanceCount     types.Int64       `tfsdk:"total_instance_count"`
	AvailableInstanceCount types.Int64       `tfsdk:"available_instance_count"`
	InUseInstanceCount     types.Int64       `tfsdk:"in_use_instance_count"`
	TargetResources        types.List        `tfsdk:"target_resources"`
}
