package provider

import (
	"fmt"
	"maps"
	"reflect"
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

// values are the attributes by name, as an object value holds them, read from the fields by
// their tfsdk tags.
func (a extensionAttributes) values() map[string]attr.Value {
	fields := reflect.ValueOf(a)
	values := make(map[string]attr.Value, len(extensionFieldIndex))
	for name, i := range extensionFieldIndex {
		values[name], _ = fields.Field(i).Interface().(attr.Value) // every field is one
	}
	return values
}

// extensionFieldIndex is the field of extensionAttributes that holds each attribute.
var extensionFieldIndex = func() map[string]int {
	t := reflect.TypeFor[extensionAttributes]()
	index := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		index[t.Field(i).Tag.Get("tfsdk")] = i
	}
	return index
}()

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

// extensionAttributeSchemas declare what AWS reports about an extension, once: the extension
// data sources show them as they are, the resource through resourceAttribute, and the list
// data source's object type derives from them.
var extensionAttributeSchemas = map[string]dschema.Attribute{
	"extended_at":          dschema.StringAttribute{CustomType: timetypes.RFC3339Type{}, Computed: true, MarkdownDescription: "When the extension was purchased, in RFC 3339 format."},
	"start_date":           dschema.StringAttribute{CustomType: timetypes.RFC3339Type{}, Computed: true, MarkdownDescription: "When the extension's capacity starts, in RFC 3339 format."},
	"end_date":             dschema.StringAttribute{CustomType: timetypes.RFC3339Type{}, Computed: true, MarkdownDescription: "When the extension's capacity ends, in RFC 3339 format. The plan is paid for until then."},
	"status":               dschema.StringAttribute{Computed: true, MarkdownDescription: "Status of the extension: `Pending`, `Scheduled`, `Active`, `Failed` or `Expired`."},
	"payment_status":       dschema.StringAttribute{Computed: true, MarkdownDescription: "Status of the payment: `Pending`, `Completed` or `Failed`."},
	"availability_zone":    dschema.StringAttribute{Computed: true, MarkdownDescription: "Availability Zone of the extension's capacity."},
	"availability_zone_id": dschema.StringAttribute{Computed: true, MarkdownDescription: "Availability Zone ID of the extension's capacity."},
	"duration_hours":       dschema.Int64Attribute{Computed: true, MarkdownDescription: "Length of the extension in hours."},
	"upfront_fee":          dschema.StringAttribute{Computed: true, MarkdownDescription: "Price paid for the extension, exactly as AWS reports it (a decimal string)."},
	"currency_code":        dschema.StringAttribute{Computed: true, MarkdownDescription: "Currency of `upfront_fee`, such as `USD`."},
}

// resourceAttribute is an extension attribute as the resource shows it, keeping its value from
// state across plans: an extension never changes through Terraform, and Read refreshes what AWS
// changes.
func resourceAttribute(a dschema.Attribute) rschema.Attribute {
	switch a := a.(type) {
	case dschema.StringAttribute:
		return rschema.StringAttribute{
			CustomType: a.CustomType, Computed: true, MarkdownDescription: a.MarkdownDescription,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		}
	case dschema.Int64Attribute:
		return rschema.Int64Attribute{
			Computed: true, MarkdownDescription: a.MarkdownDescription,
			PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
		}
	}
	panic(fmt.Sprintf("extension attribute of unexpected kind %T", a))
}

const offeringIDDescription = "ID of the extension offering, as returned by the `sagemaker_training_plan_extension_offerings` data source (`tpeo-...`)."

// extensionListItemAttributes are the attributes of one entry of the list data source.
func extensionListItemAttributes() map[string]dschema.Attribute {
	attributes := maps.Clone(extensionAttributeSchemas)
	attributes["training_plan_extension_offering_id"] = dschema.StringAttribute{Computed: true, MarkdownDescription: offeringIDDescription}
	return attributes
}

var extensionListItemType = types.ObjectType{AttrTypes: attributeTypes(extensionListItemAttributes())}

// extensionListValue maps a plan's history into a list data source value. It builds the values
// directly: the framework's reflection (types.ListValueFrom over tagged structs) took 16 ms for
// 300 entries, and long-lived plans have thousands.
func extensionListValue(history []awstypes.TrainingPlanExtension) (types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	itemType := extensionListItemType
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
