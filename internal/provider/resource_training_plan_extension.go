package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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
	case isNotFound(err):
		remove, diags := missingExtension(data, importing != nil, mark, err)
		resp.Diagnostics.Append(diags...)
		if remove {
			resp.State.RemoveResource(ctx)
		}
		// The framework wants an identity after every successful Read, even one that removes
		// the resource.
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

// missingExtension decides what a Read does with an extension its plan's history does not
// list: whether state drops it, and what the user is told. Only what was never bought leaves
// state; anything that may have been bought stays, so that no plan buys another in its place.
func missingExtension(data trainingPlanExtensionModel, importing bool, mark purchaseMark, err error) (remove bool, diags diag.Diagnostics) {
	planARN, offeringID := data.TrainingPlanARN.ValueString(), data.TrainingPlanExtensionOfferingID.ValueString()
	switch {
	case importing:
		// Importing something that does not exist must fail, as Terraform reports it.
		return true, diags
	case mark.State == purchaseNotMadeMark:
		// AWS refused to sell the offering, and its plan's history lacks it: it was never
		// bought, and the next plan buys what the configuration asks for.
		diags.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) was never bought", offeringID),
			fmt.Sprintf("AWS no longer sells offering %s, and the history of training plan %s does not list it: its purchase never happened, and nothing was paid. "+
				"It is removed from state, so the next plan shows a new purchase, with its price.", offeringID, planARN))
		return true, diags
	case mark.State != purchaseSettled:
		diags.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) purchase unconfirmed", offeringID),
			fmt.Sprintf("An earlier apply sent the purchase of offering %s, but AWS never confirmed it, and the history of training plan %s still does not list it. "+
				"The next plan buys it again: the same offering, which can never be paid twice.", offeringID, planARN))
		return false, diags
	}
	diags.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) not found in its training plan's history", offeringID),
		fmt.Sprintf("%s\n\nThe extension stays in state, with the values last read, so that no plan buys another one in its place. "+
			"If it was bought for another training plan (AWS takes the plan from the offering ID alone), or you no longer want Terraform to track it, "+
			"stop managing it without buying anything: replace the resource block with a removed block (Terraform 1.7 and later), "+
			"or run terraform state rm on it.", err))
	return false, diags
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
	resp.Diagnostics.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) removed from state only", data.TrainingPlanExtensionOfferingID.ValueString()),
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
		resp.Diagnostics.AddError(fmt.Sprintf("importing SageMaker training plan extension (%s)", id), err.Error())
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
		var state trainingPlanExtensionModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		resp.Diagnostics.AddWarning(fmt.Sprintf("destroying SageMaker training plan extension (%s) only removes it from state", state.TrainingPlanExtensionOfferingID.ValueString()),
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
