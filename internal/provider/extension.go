package provider

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// statusFailed is the status, and payment status, of a purchase AWS did not complete.
const statusFailed = "Failed"

// extensionAttributes are what AWS reports about a purchased extension. The resource and the
// extension data sources share them, so both always describe an extension the same way.
type extensionAttributes struct {
	ExtendedAt         timetypes.RFC3339 `tfsdk:"extended_at"`
	StartDate          timetypes.RFC3339 `tfsdk:"start_date"`
	EndDate            timetypes.RFC3339 `tfsdk:"end_date"`
	Status             types.String      `tfsdk:"status"`
	PaymentStatus      types.String      `tfsdk:"payment_status"`
	AvailabilityZone   types.String      `tfsdk:"availability_zone"`
	AvailabilityZoneID types.String      `tfsdk:"availability_zone_id"`
	DurationHours      types.Int64       `tfsdk:"duration_hours"`
	UpfrontFee         types.String      `tfsdk:"upfront_fee"`
	CurrencyCode       types.String      `tfsdk:"currency_code"`
}

func newExtensionAttributes(x awstypes.TrainingPlanExtension) extensionAttributes {
	return extensionAttributes{
		ExtendedAt:         rfc3339(x.ExtendedAt),
		StartDate:          rfc3339(x.StartDate),
		EndDate:            rfc3339(x.EndDate),
		Status:             types.StringPointerValue(x.Status),
		PaymentStatus:      types.StringPointerValue(x.PaymentStatus),
		AvailabilityZone:   types.StringPointerValue(x.AvailabilityZone),
		AvailabilityZoneID: types.StringPointerValue(x.AvailabilityZoneId),
		DurationHours:      int64Value(x.DurationHours),
		UpfrontFee:         types.StringPointerValue(x.UpfrontFee),
		CurrencyCode:       types.StringPointerValue(x.CurrencyCode),
	}
}

// values are the attributes by name, as an object value holds them.
func (a extensionAttributes) values() map[string]attr.Value {
	return map[string]attr.Value{
		"extended_at":          a.ExtendedAt,
		"start_date":           a.StartDate,
		"end_date":             a.EndDate,
		"status":               a.Status,
		"payment_status":       a.PaymentStatus,
		"availability_zone":    a.AvailabilityZone,
		"availability_zone_id": a.AvailabilityZoneID,
		"duration_hours":       a.DurationHours,
		"upfront_fee":          a.UpfrontFee,
		"currency_code":        a.CurrencyCode,
	}
}

func rfc3339(t *time.Time) timetypes.RFC3339 {
	if t == nil {
		return timetypes.NewRFC3339Null()
	}
	return timetypes.NewRFC3339TimeValue(t.UTC())
}

func int64Value[N int32 | int64](n *N) types.Int64 {
	if n == nil {
		return types.Int64Null()
	}
	return types.Int64Value(int64(*n))
}

type attributeKind int

const (
	kindString attributeKind = iota
	kindTime
	kindInt64
)

// computedAttribute describes one read-only attribute once, for every schema that shows it.
type computedAttribute struct {
	name        string
	kind        attributeKind
	description string
}

var extensionComputedAttributes = []computedAttribute{
	{"extended_at", kindTime, "When the extension was purchased, in RFC 3339 format."},
	{"start_date", kindTime, "When the extension's capacity starts, in RFC 3339 format."},
	{"end_date", kindTime, "When the extension's capacity ends, in RFC 3339 format. The plan is paid for until then."},
	{"status", kindString, "Status of the extension: `Pending`, `Scheduled`, `Active`, `Failed` or `Expired`."},
	{"payment_status", kindString, "Status of the payment: `Pending`, `Completed` or `Failed`."},
	{"availability_zone", kindString, "Availability Zone of the extension's capacity."},
	{"availability_zone_id", kindString, "Availability Zone ID of the extension's capacity."},
	{"duration_hours", kindInt64, "Length of the extension in hours."},
	{"upfront_fee", kindString, "Price paid for the extension, exactly as AWS reports it (a decimal string)."},
	{"currency_code", kindString, "Currency of `upfront_fee`, such as `USD`."},
}

func (a computedAttribute) attrType() attr.Type {
	switch a.kind {
	case kindTime:
		return timetypes.RFC3339Type{}
	case kindInt64:
		return types.Int64Type
	}
	return types.StringType
}

// resourceAttribute keeps the value from state across plans: an extension never changes
// through Terraform, and Read refreshes what AWS changes.
func (a computedAttribute) resourceAttribute() rschema.Attribute {
	switch a.kind {
	case kindTime:
		return rschema.StringAttribute{
			CustomType: timetypes.RFC3339Type{}, Computed: true, MarkdownDescription: a.description,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		}
	case kindInt64:
		return rschema.Int64Attribute{
			Computed: true, MarkdownDescription: a.description,
			PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
		}
	}
	return rschema.StringAttribute{
		Computed: true, MarkdownDescription: a.description,
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

func (a computedAttribute) dataSourceAttribute() dschema.Attribute {
	switch a.kind {
	case kindTime:
		return dschema.StringAttribute{CustomType: timetypes.RFC3339Type{}, Computed: true, MarkdownDescription: a.description}
	case kindInt64:
		return dschema.Int64Attribute{Computed: true, MarkdownDescription: a.description}
	}
	return dschema.StringAttribute{Computed: true, MarkdownDescription: a.description}
}

const offeringIDDescription = "ID of the extension offering, as returned by the `sagemaker_training_plan_extension_offerings` data source (`tpeo-...`)."

func extensionListItemType() types.ObjectType {
	attrTypes := map[string]attr.Type{"training_plan_extension_offering_id": types.StringType}
	for _, a := range extensionComputedAttributes {
		attrTypes[a.name] = a.attrType()
	}
	return types.ObjectType{AttrTypes: attrTypes}
}

func extensionListItemAttributes() map[string]dschema.Attribute {
	attributes := map[string]dschema.Attribute{
		"training_plan_extension_offering_id": dschema.StringAttribute{Computed: true, MarkdownDescription: offeringIDDescription},
	}
	for _, a := range extensionComputedAttributes {
		attributes[a.name] = a.dataSourceAttribute()
	}
	return attributes
}

// extensionListValue maps a plan's history into a list data source value. It builds the values
// directly: the framework's reflection (types.ListValueFrom over tagged structs) took 16 ms for
// 300 entries, and long-lived plans have thousands.
func extensionListValue(history []awstypes.TrainingPlanExtension) (types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	itemType := extensionListItemType()
	items := make([]attr.Value, 0, len(history))
	for _, x := range history {
		values := newExtensionAttributes(x).values()
		values["training_plan_extension_offering_id"] = types.StringValue(aws.ToString(x.TrainingPlanExtensionOfferingId))
		item, itemDiags := types.ObjectValue(itemType.AttrTypes, values)
		diags.Append(itemDiags...)
		if diags.HasError() {
			return types.ListNull(itemType), diags
		}
		items = append(items, item)
	}
	list, listDiags := types.ListValue(itemType, items)
	diags.Append(listDiags...)
	return list, diags
}
