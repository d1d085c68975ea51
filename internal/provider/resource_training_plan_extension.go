package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// defaultCreateTimeout bounds a create, the purchase and its reconciliation included.
const defaultCreateTimeout = 30 * time.Minute

// extensionTimeouts are the operations whose time a configuration can bound.
var extensionTimeouts = timeouts.Opts{Create: true, Read: true}

var (
	_ resource.ResourceWithConfigure        = (*trainingPlanExtensionResource)(nil)
	_ resource.ResourceWithImportState      = (*trainingPlanExtensionResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*trainingPlanExtensionResource)(nil)
	_ resource.ResourceWithIdentity         = (*trainingPlanExtensionResource)(nil)
	_ resource.ResourceWithConfigValidators = (*trainingPlanExtensionResource)(nil)
)

// NewTrainingPlanExtensionResource returns the sagemaker_training_plan_extension resource.
func NewTrainingPlanExtensionResource() resource.Resource {
	return &trainingPlanExtensionResource{}
}

type trainingPlanExtensionResource struct {
	pd *providerData
}

func (r *trainingPlanExtensionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_training_plan_extension"
}

func (r *trainingPlanExtensionResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attributes := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: "`<training_plan_arn>,<training_plan_extension_offering_id>`: the plan and the offering identify an extension, which has no ARN of its own.",
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"training_plan_arn": schema.StringAttribute{
			Required:            true,
			MarkdownDescription: "ARN of the training plan to extend. Cannot be changed once the extension is bought.",
			Validators:          trainingPlanARNValidators(),
		},
		"requested_duration_hours": schema.NumberAttribute{
			Optional: true,
			MarkdownDescription: fmt.Sprintf("Length of the extension to buy, in hours (1 to %d). AWS sells whole days up to 14 days and whole weeks up to 26 weeks, "+
				"and rounds the request up. The plan chooses the quote and shows its fee and dates; apply buys exactly that quote. "+
				"Set this or `training_plan_extension_offering_id`, not both. Cannot be changed once the extension is bought.", maxExtensionHours),
			Validators: []validator.Number{wholeHours()},
		},
		"max_upfront_fee": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "The most this resource may spend, as a decimal amount such as `\"25000\"` or `\"25000.50\"` in the quote's `currency_code`. " +
				"By duration, quotes above it are never bought, and a plan with none below it fails. By offering ID, apply refuses to buy an offering " +
				"above it, or whose price it cannot know before buying. Required when what the resource buys is known only after apply " +
				"(a `training_plan_arn` or offering ID from a data source with a `depends_on`), so that the plan bounds the price. " +
				"Can be changed at any time without any API call.",
			Validators: []validator.String{
				stringvalidator.RegexMatches(feePattern, `must be a decimal amount such as "25000" or "25000.50"`),
			},
		},
		"training_plan_extension_offering_id": schema.StringAttribute{
			Optional: true,
			Computed: true,
			MarkdownDescription: offeringIDDescription + " Set this to buy one particular quote, or leave it out and set `requested_duration_hours`: " +
				"the ID of the quote bought is then known after apply. Cannot be changed once the extension is bought.",
			Validators:    offeringIDValidators(),
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
	}
	for name, a := range extensionAttributeSchemas {
		attributes[name] = resourceAttribute(a)
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Purchases an extension of a SageMaker training plan. **The purchase is non-refundable and cannot be cancelled**: " +
			"destroying this resource only removes it from Terraform state.",
		Attributes: attributes,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, extensionTimeouts),
		},
	}
}

func (r *trainingPlanExtensionResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.Conflicting(path.MatchRoot("requested_duration_hours"), path.MatchRoot("training_plan_extension_offering_id")),
	}
}

// IdentitySchema lets Terraform 1.12+ and OpenTofu 1.12+ import by identity instead of an ID
// string.
func (r *trainingPlanExtensionResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"training_plan_arn": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "ARN of the training plan the extension belongs to.",
			},
			"training_plan_extension_offering_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "ID of the offering the extension was bought with.",
			},
		},
	}
}

func (r *trainingPlanExtensionResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	pd, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.pd = pd
}

func (r *trainingPlanExtensionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var data trainingPlanExtensionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := data.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := apiContext(ctx, timeout)
	defer cancel()

	planned := data
	var bought purchase
	if data.RequestedDurationHours.IsNull() {
		bought, diags = purchaseDeclaredOffering(ctx, r.pd, data)
	} else {
		bought, diags = purchaseQuote(ctx, r.pd, data)
	}
	resp.Diagnostics.Append(diags...)
	if bought.outcome == purchaseNotMade {
		return
	}
	data.TrainingPlanExtensionOfferingID = types.StringValue(bought.offeringID)
	resp.Diagnostics.Append(data.setPurchase(bought, planned)...)
	if bought.outcome == purchaseUnknown {
		resp.Diagnostics.Append(markPurchase(ctx, resp.Private, purchaseMark{State: purchaseUnconfirmed, Offering: bought.offeringID})...)
	}
	// Paid for, or maybe: from here on nothing may fail the create, or Terraform would taint
	// the resource and replace it with a second purchase. State is written at once rather than
	// after waiting for the extension to settle, so that a run killed now does not lose it;
	// later refreshes show the status as it settles.
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, data)...)
	if warning := failedPurchaseWarning(data); warning != "" {
		resp.Diagnostics.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) failed", data.TrainingPlanExtensionOfferingID.ValueString()), warning)
	}
}

func (r *trainingPlanExtensionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var data trainingPlanExtensionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := data.Timeouts.Read(ctx, readTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := apiContext(ctx, timeout)
	defer cancel()

	planARN, offeringID := data.TrainingPlanARN.ValueString(), data.TrainingPlanExtensionOfferingID.ValueString()
	importing, diags := req.Private.GetKey(ctx, privateImportUnverified)
	resp.Diagnostics.Append(diags...)
	mark, diags := readPurchaseMark(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	extension, err := findExtensionShared(ctx, r.pd.history, planARN, offeringID)
	switch {
	case isNotFound(err) && importing != nil:
		// Importing something that does not exist must fail, as Terraform reports it.
		resp.State.RemoveResource(ctx)
		// The framework wants an identity after every successful Read, even one that removes
		// the resource.
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, data)...)
		return
	case isNotFound(err) && mark.State == purchaseNotMadeMark:
		// AWS refused to sell the offering, and its plan's history lacks it: it was never
		// bought, and the next plan buys what the configuration asks for.
		resp.Diagnostics.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) was never bought", offeringID),
			fmt.Sprintf("AWS no longer sells offering %s, and the history of training plan %s does not list it: its purchase never happened, and nothing was paid. "+
				"It is removed from state, so the next plan shows a new purchase, with its price.", offeringID, planARN))
		resp.State.RemoveResource(ctx)
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, data)...)
		return
	case isNotFound(err) && mark.State != purchaseSettled:
		resp.Diagnostics.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) purchase unconfirmed", offeringID),
			fmt.Sprintf("An earlier apply sent the purchase of offering %s, but AWS never confirmed it, and the history of training plan %s still does not list it. "+
				"The next plan buys it again: the same offering, which can never be paid twice.", offeringID, planARN))
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, data)...)
		return
	case isNotFound(err):
		// Dropping it from state would make the next plan buy again: keep what was bought.
		resp.Diagnostics.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) not found in its training plan's history", offeringID),
			fmt.Sprintf("%s\n\nThe extension stays in state, with the values last read, so that no plan buys another one in its place. "+
				"If it was bought for another training plan (AWS takes the plan from the offering ID alone), or you no longer want Terraform to track it, "+
				"stop managing it without buying anything: replace the resource block with a removed block (Terraform 1.7 and later), "+
				"or run terraform state rm on it.", err))
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, data)...)
		return
	case err != nil:
		resp.Diagnostics.AddError(fmt.Sprintf("reading SageMaker training plan extension (%s)", offeringID), err.Error())
		return
	}
	data.setExtension(*extension)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, data)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImportUnverified, nil)...)
	resp.Diagnostics.Append(markPurchase(ctx, resp.Private, purchaseMark{})...)
	if warning := failedPurchaseWarning(data); warning != "" {
		resp.Diagnostics.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) failed", offeringID), warning)
	}
}

// Update records configuration (timeouts, the fee cap, a duration matching what was bought),
// and buys only to settle a purchase that AWS never confirmed: the same offering, as the plan
// showed. When apply finds that a value unknown when planning changes what was bought, it
// fails and buys nothing.
func (r *trainingPlanExtensionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state trainingPlanExtensionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if diags := checkUnchanged(plan, state); diags.HasError() {
		resp.Diagnostics.Append(diags...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		return
	}
	// Only a purchase this plan showed is settled: ModifyPlan marked it settling.
	mark, diags := readPurchaseMark(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if mark.State == purchaseSettling {
		timeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
		resp.Diagnostics.Append(diags...)
		ctx, cancel := apiContext(ctx, timeout)
		defer cancel()
		resp.Diagnostics.Append(settleUnconfirmedPurchase(ctx, r.pd, &plan, state, resp.Private)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, plan)...)
}

// Delete calls nothing: AWS cannot cancel an extension. Terraform forgets it.
func (r *trainingPlanExtensionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var data trainingPlanExtensionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.AddWarning("SageMaker training plan extension removed from state only",
		fmt.Sprintf("Extensions cannot be cancelled. Offering %s stays purchased for training plan %s until %s.",
			data.TrainingPlanExtensionOfferingID.ValueString(), data.TrainingPlanARN.ValueString(), data.EndDate.ValueString()))
}

// ImportState takes the ID string, or the identity of an import block (Terraform 1.12+).
func (r *trainingPlanExtensionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" && req.Identity != nil {
		var identity extensionIdentityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		if resp.Diagnostics.HasError() {
			return
		}
		id = extensionID(identity.TrainingPlanARN.ValueString(), identity.TrainingPlanExtensionOfferingID.ValueString())
	}
	planARN, offeringID, err := parseExtensionID(id)
	if err == nil && r.pd != nil {
		// The same check as a plan's: a plan in another Region or account cannot be read.
		err = r.pd.checkTrainingPlanARN(planARN)
	}
	if err != nil {
		resp.Diagnostics.AddError("importing SageMaker training plan extension", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), extensionID(planARN, offeringID))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("training_plan_arn"), planARN)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("training_plan_extension_offering_id"), offeringID)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImportUnverified, []byte("true"))...)
}

// ModifyPlan guards the money: it shows what a create would buy (choosing the quote when the
// configuration asks for a duration), refuses to plan a purchase in place of a bought
// extension, plans the purchase that settles one AWS never confirmed, and warns that
// destroying only forgets.
func (r *trainingPlanExtensionResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		resp.Diagnostics.AddWarning("destroying a SageMaker training plan extension only removes it from state",
			"Extensions cannot be cancelled or refunded: the capacity stays purchased, and paid for, until the extension's end_date.")
		return
	}
	var plan trainingPlanExtensionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var held heldClaims
	defer held.release()
	if req.State.Raw.IsNull() {
		var configuredOffering types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("training_plan_extension_offering_id"), &configuredOffering)...)
		if resp.Diagnostics.HasError() {
			return
		}
		// The create half of a replacement gets the private state its first half planned: a
		// purchase that half planned to settle is not the new object's.
		resp.Diagnostics.Append(markPurchase(ctx, resp.Private, purchaseMark{})...)
		resp.Diagnostics.Append(planPurchase(ctx, r.pd, &held, &plan, configuredOffering)...)
	} else {
		var state trainingPlanExtensionModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		resp.Diagnostics.Append(planChange(ctx, r.pd, &held, &plan, state, resp.Private)...)
	}
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	}
}

// privateImportUnverified marks an imported extension until a Read has found it, so that
// importing one that does not exist fails instead of being kept like a bought one.
const privateImportUnverified = "import_unverified"

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
