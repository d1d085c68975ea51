package provider

import (
	"context"
	"fmt"
	"math/big"

	"github.com/aws/aws-sdk-go-v2/aws"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/hashicorp/aws-sdk-go-base/v2/tfawserr"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*trainingPlanExtensionOfferingsDataSource)(nil)

// NewTrainingPlanExtensionOfferingsDataSource returns the
// sagemaker_training_plan_extension_offerings data source.
func NewTrainingPlanExtensionOfferingsDataSource() datasource.DataSource {
	return &trainingPlanExtensionOfferingsDataSource{}
}

type trainingPlanExtensionOfferingsDataSource struct {
	dataSourceBase
}

func (d *trainingPlanExtensionOfferingsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_training_plan_extension_offerings"
}

func (d *trainingPlanExtensionOfferingsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Searches the extension offerings available for a SageMaker training plan. Offerings are quotes: " +
			"every search can return new IDs, and an ID expires or is used up once bought. Capacity is not guaranteed: the list can be empty. " +
			"Only `Active` and `Scheduled` plans can be extended: for any other plan the list is empty and the read warns, rather than fail " +
			"every plan of a workspace that bought from it. To buy an extension, `requested_duration_hours` on the resource chooses the quote for you.",
		Attributes: map[string]schema.Attribute{
			"training_plan_arn": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "ARN of the training plan to extend.",
				Validators:          trainingPlanARNValidators(),
			},
			"duration_hours": schema.NumberAttribute{
				Optional: true,
				MarkdownDescription: "Length of the wanted extension in hours, from 1 to 4368. AWS rounds it up to whole days (up to 14 days) or whole weeks (up to 26 weeks). " +
					"Without it, AWS offers its usual lengths.",
				Validators: []validator.Number{wholeHours()},
			},
			"offerings": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The offerings found, in the order AWS returns them.",
				NestedObject:        offeringObject,
			},
			"lowest_upfront_fee": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The lowest `upfront_fee` of the offerings found, null when there are none: what a module's preconditions can check " +
					"(capacity, a price cap), and what a mock provider can set (Terraform 1.16 cannot mock `offerings`, a list of objects).",
			},
		},
	}
}

func (d *trainingPlanExtensionOfferingsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data trainingPlanExtensionOfferingsDataSourceModel
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

	var hours *int64
	if !data.DurationHours.IsNull() {
		hours = aws.Int64(hoursOf(data.DurationHours))
	}
	found, err := searchOfferings(ctx, d.pd, planARN, hours)
	if tfawserr.ErrCodeEquals(err, "ValidationException") {
		// The inputs were validated at plan time, so AWS refuses the plan itself: it is no longer
		// Active or Scheduled. Failing here would fail every plan and destroy of a workspace that
		// bought from it, so the search finds nothing instead.
		resp.Diagnostics.AddWarning(fmt.Sprintf("SageMaker training plan (%s) cannot be extended", planARN),
			fmt.Sprintf("AWS refused the search for offerings, so offerings is empty: %s", err))
		err = nil
	}
	if err != nil {
		resp.Diagnostics.AddError(readError("SageMaker training plan extension offerings", planARN, err))
		return
	}
	offerings := make([]offeringModel, 0, len(found))
	for _, o := range found {
		offerings = append(offerings, offeringModel{
			TrainingPlanExtensionOfferingID: types.StringPointerValue(o.TrainingPlanExtensionOfferingId),
			AvailabilityZone:                types.StringPointerValue(o.AvailabilityZone),
			StartDate:                       rfc3339(o.StartDate),
			EndDate:                         rfc3339(o.EndDate),
			DurationHours:                   int64Value(o.DurationHours),
			UpfrontFee:                      types.StringPointerValue(o.UpfrontFee),
			CurrencyCode:                    types.StringPointerValue(o.CurrencyCode),
		})
	}
	data.LowestUpfrontFee = lowestFee(found)
	data.Offerings, diags = types.ListValueFrom(ctx, offeringModelType, offerings)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

type trainingPlanExtensionOfferingsDataSourceModel struct {
	TrainingPlanARN  types.String `tfsdk:"training_plan_arn"`
	DurationHours    types.Number `tfsdk:"duration_hours"`
	Offerings        types.List   `tfsdk:"offerings"`
	LowestUpfrontFee types.String `tfsdk:"lowest_upfront_fee"`
}

// lowestFee is the lowest fee of the offerings, as AWS quotes it; null when there are none.
func lowestFee(offerings []awstypes.TrainingPlanExtensionOffering) types.String {
	var lowest *big.Rat
	text := types.StringNull()
	for _, o := range offerings {
		if fee, ok := new(big.Rat).SetString(aws.ToString(o.UpfrontFee)); ok && (lowest == nil || fee.Cmp(lowest) < 0) {
			lowest, text = fee, types.StringPointerValue(o.UpfrontFee)
		}
	}
	return text
}

type offeringModel struct {
	TrainingPlanExtensionOfferingID types.String      `tfsdk:"training_plan_extension_offering_id"`
	AvailabilityZone                types.String      `tfsdk:"availability_zone"`
	StartDate                       timetypes.RFC3339 `tfsdk:"start_date"`
	EndDate                         timetypes.RFC3339 `tfsdk:"end_date"`
	DurationHours                   types.Int64       `tfsdk:"duration_hours"`
	UpfrontFee                      types.String      `tfsdk:"upfront_fee"`
	CurrencyCode                    types.String      `tfsdk:"currency_code"`
}

// offeringObject is the schema of one offering; the list's value type derives from it.
var offeringObject = schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
	"training_plan_extension_offering_id": schema.StringAttribute{Computed: true, MarkdownDescription: "ID to buy the offering with, in `sagemaker_training_plan_extension`."},
	"availability_zone":                   schema.StringAttribute{Computed: true, MarkdownDescription: "Availability Zone of the offered capacity."},
	"start_date":                          schema.StringAttribute{CustomType: timetypes.RFC3339Type{}, Computed: true, MarkdownDescription: "When the extension would start, in RFC 3339 format."},
	"end_date":                            schema.StringAttribute{CustomType: timetypes.RFC3339Type{}, Computed: true, MarkdownDescription: "When the extension would end, in RFC 3339 format."},
	"duration_hours":                      schema.Int64Attribute{Computed: true, MarkdownDescription: "Length of the extension in hours."},
	"upfront_fee":                         schema.StringAttribute{Computed: true, MarkdownDescription: "Price of the extension, exactly as AWS quotes it (a decimal string)."},
	"currency_code":                       schema.StringAttribute{Computed: true, MarkdownDescription: "Currency of `upfront_fee`, such as `USD`."},
}}

var offeringModelType = types.ObjectType{AttrTypes: attributeTypes(offeringObject.Attributes)}

// attributeTypes are the value types of a nested object's attributes, as its schema declares them.
func attributeTypes(attributes map[string]schema.Attribute) map[string]attr.Type {
	attrTypes := make(map[string]attr.Type, len(attributes))
	for name, a := range attributes {
		attrTypes[name] = a.GetType()
	}
	return attrTypes
}
