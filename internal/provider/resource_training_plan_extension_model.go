package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// trainingPlanExtensionModel is the resource's configuration, plan and state, and how the
// purchase and the history fill it.
type trainingPlanExtensionModel struct {
	ID                              types.String   `tfsdk:"id"`
	TrainingPlanARN                 types.String   `tfsdk:"training_plan_arn"`
	RequestedDurationHours          types.Number   `tfsdk:"requested_duration_hours"`
	MaxUpfrontFee                   types.String   `tfsdk:"max_upfront_fee"`
	TrainingPlanExtensionOfferingID types.String   `tfsdk:"training_plan_extension_offering_id"`
	Timeouts                        timeouts.Value `tfsdk:"timeouts"`
	extensionAttributes
}

// extensionIdentityModel is the resource identity: what names an extension.
type extensionIdentityModel struct {
	TrainingPlanARN                 types.String `tfsdk:"training_plan_arn"`
	TrainingPlanExtensionOfferingID types.String `tfsdk:"training_plan_extension_offering_id"`
}

// setIdentity records the identity, for Terraform versions that know identities.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, data trainingPlanExtensionModel) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, extensionIdentityModel{
		TrainingPlanARN:                 data.TrainingPlanARN,
		TrainingPlanExtensionOfferingID: data.TrainingPlanExtensionOfferingID,
	})
}

func (m *trainingPlanExtensionModel) quoteRequest() quoteRequest {
	return quoteRequest{planARN: m.TrainingPlanARN.ValueString(), hours: hoursOf(m.RequestedDurationHours), maxFee: m.MaxUpfrontFee.ValueString()}
}

// plannedTerms are the quote terms the plan shows, when it shows them all.
func (m trainingPlanExtensionModel) plannedTerms() (quoteTerms, bool) {
	start, startKnown := knownTime(m.StartDate)
	end, endKnown := knownTime(m.EndDate)
	if !startKnown || !endKnown || !known(m.DurationHours) || !known(m.UpfrontFee) || !known(m.CurrencyCode) {
		return quoteTerms{}, false
	}
	return quoteTerms{Start: start, End: end, DurationHours: m.DurationHours.ValueInt64(), UpfrontFee: m.UpfrontFee.ValueString(), Currency: m.CurrencyCode.ValueString()}, true
}

// plannedIntent is the purchase of the model's offering as the plan shows it: its quote's
// terms when known, or else the hours from where it starts, and its cap. Not ok when not even
// the start is known.
func (m trainingPlanExtensionModel) plannedIntent() (purchaseIntent, bool) {
	intent := purchaseIntent{
		planARN: m.TrainingPlanARN.ValueString(), offeringID: m.TrainingPlanExtensionOfferingID.ValueString(),
		maxFee: m.MaxUpfrontFee.ValueString(), adoptable: true,
	}
	if terms, ok := m.plannedTerms(); ok {
		intent.hours, intent.terms = terms.window(), &terms
		return intent, true
	}
	start, ok := knownTime(m.StartDate)
	intent.hours = window{start: start}
	return intent, ok
}

// setTerms shows a quote's terms in the plan.
func (m *trainingPlanExtensionModel) setTerms(q quoteTerms) {
	m.StartDate = rfc3339(&q.Start)
	m.EndDate = rfc3339(&q.End)
	m.DurationHours = types.Int64Value(q.DurationHours)
	m.UpfrontFee = types.StringValue(q.UpfrontFee)
	m.CurrencyCode = types.StringValue(q.Currency)
}

// setPurchase stores what a purchase bought, or may have: the extension as AWS reports it,
// or, when AWS has not said, the offering with the terms the plan showed.
func (m *trainingPlanExtensionModel) setPurchase(bought purchase, planned trainingPlanExtensionModel) diag.Diagnostics {
	if bought.extension == nil {
		m.setAsPlanned(planned)
		return nil
	}
	return m.setBought(*bought.extension, planned)
}

// setBought stores a bought extension. Where AWS reports other terms than the plan showed, the
// planned ones are kept until the next refresh: a create whose result differs from its plan
// fails, a failed create is tainted, and a tainted extension is replaced by a second purchase.
func (m *trainingPlanExtensionModel) setBought(x awstypes.TrainingPlanExtension, planned trainingPlanExtensionModel) diag.Diagnostics {
	var diags diag.Diagnostics
	m.setExtension(x)
	reported := termsOfExtension(x)
	summary := fmt.Sprintf("SageMaker training plan extension (%s) bought with other terms than planned", aws.ToString(x.TrainingPlanExtensionOfferingId))
	if terms, ok := planned.plannedTerms(); ok && !terms.equal(reported) {
		m.setTerms(terms)
		diags.AddWarning(summary, fmt.Sprintf("The plan showed %s; AWS reports %s. State keeps the planned terms until the next refresh, which stores AWS's.", terms, reported))
	} else if start, ok := knownTime(planned.StartDate); ok && !start.Equal(reported.Start) {
		m.StartDate = planned.StartDate
		diags.AddWarning(summary, fmt.Sprintf("The plan showed the extension starting where the training plan ended, at %s; AWS reports it starting at %s. "+
			"State keeps the planned start until the next refresh, which stores AWS's.", start.Format(time.RFC3339), reported.Start.Format(time.RFC3339)))
	}
	return diags
}

// setAsPlanned stores an offering bought, or maybe bought, with the terms the plan showed; what
// only AWS can say stays null until a refresh finds the extension in the history.
func (m *trainingPlanExtensionModel) setAsPlanned(planned trainingPlanExtensionModel) {
	m.ID = types.StringValue(extensionID(m.TrainingPlanARN.ValueString(), m.TrainingPlanExtensionOfferingID.ValueString()))
	m.extensionAttributes = newExtensionAttributes(awstypes.TrainingPlanExtension{})
	m.StartDate, m.EndDate = knownOrNull(planned.StartDate), knownOrNull(planned.EndDate)
	m.DurationHours = knownOrNull(planned.DurationHours)
	m.UpfrontFee, m.CurrencyCode = knownOrNull(planned.UpfrontFee), knownOrNull(planned.CurrencyCode)
}

// knownOrNull is a planned value as state can hold it: unknown becomes null.
func knownOrNull[V attr.Value](v V) V {
	if v.IsUnknown() {
		var null V
		return null
	}
	return v
}

func known(v attr.Value) bool { return !v.IsNull() && !v.IsUnknown() }

func knownTime(v timetypes.RFC3339) (time.Time, bool) {
	if !known(v) {
		return time.Time{}, false
	}
	t, diags := v.ValueRFC3339Time()
	return t.UTC(), !diags.HasError()
}

// failedPurchaseWarning explains an extension whose purchase AWS reports as failed.
func failedPurchaseWarning(m trainingPlanExtensionModel) string {
	if m.Status.ValueString() != statusFailed && m.PaymentStatus.ValueString() != statusFailed {
		return ""
	}
	return fmt.Sprintf("The extension has status %s and payment status %s: AWS did not complete the purchase, and nothing was paid. "+
		"It stays in state so that nothing is bought without you asking. To try again by duration, replace this resource "+
		"(terraform apply -replace=<address>), which buys a new quote. An offering ID cannot be bought again: declare a new resource "+
		"with a new offering, and stop managing this one with a removed block or terraform state rm.", m.Status.ValueString(), m.PaymentStatus.ValueString())
}

func (m *trainingPlanExtensionModel) setExtension(x awstypes.TrainingPlanExtension) {
	m.ID = types.StringValue(extensionID(m.TrainingPlanARN.ValueString(), m.TrainingPlanExtensionOfferingID.ValueString()))
	m.extensionAttributes = newExtensionAttributes(x)
}
