package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

const (
	defaultCreateTimeout = 30 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
)

var (
	_ resource.ResourceWithConfigure   = (*trainingPlanExtensionResource)(nil)
	_ resource.ResourceWithImportState = (*trainingPlanExtensionResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*trainingPlanExtensionResource)(nil)
	_ resource.ResourceWithIdentity    = (*trainingPlanExtensionResource)(nil)
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
		"training_plan_extension_offering_id": schema.StringAttribute{
			Required:            true,
			MarkdownDescription: offeringIDDescription + " Cannot be changed once the extension is bought.",
			Validators:          offeringIDValidators(),
		},
	}
	for _, a := range extensionComputedAttributes {
		attributes[a.name] = a.resourceAttribute()
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Purchases an extension of a SageMaker training plan. **The purchase is non-refundable and cannot be cancelled**: " +
			"destroying this resource only removes it from Terraform state.",
		Attributes: attributes,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true}),
		},
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
	ctx, cancel := context.WithTimeout(apiContext(ctx), timeout)
	defer cancel()

	planARN, offeringID := data.TrainingPlanARN.ValueString(), data.TrainingPlanExtensionOfferingID.ValueString()
	extension, diags := purchaseExtension(ctx, r.pd, planARN, offeringID)
	resp.Diagnostics.Append(diags...)
	if extension == nil {
		return
	}
	// Paid for: store it before anything else can fail, so it is never lost.
	data.setExtension(*extension)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, data)...)
	if resp.Diagnostics.HasError() {
		return
	}

	settled, err := waitExtensionSettled(ctx, r.pd.sageMaker, planARN, extension)
	data.setExtension(*settled)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
	var failed *extensionFailedError
	switch {
	case errors.As(err, &failed):
		resp.Diagnostics.AddError(fmt.Sprintf("waiting for SageMaker training plan extension (%s) to settle", offeringID), err.Error())
	case err != nil:
		resp.Diagnostics.AddError(fmt.Sprintf("waiting for SageMaker training plan extension (%s) to settle", offeringID),
			fmt.Sprintf("%s\n\nThe extension was bought and is stored in state. The next apply replaces this resource without buying again: "+
				"it finds the extension in the plan's history and adopts it.", err))
	}
}

func (r *trainingPlanExtensionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var data trainingPlanExtensionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := data.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(apiContext(ctx), timeout)
	defer cancel()

	planARN, offeringID := data.TrainingPlanARN.ValueString(), data.TrainingPlanExtensionOfferingID.ValueString()
	extension, err := r.pd.history.findExtension(ctx, planARN, offeringID)
	if isNotFound(err) {
		resp.Diagnostics.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) not found, removing from state", offeringID), err.Error())
		resp.State.RemoveResource(ctx)
		// The framework wants an identity after every successful Read, even one that removes
		// the resource; Terraform before 1.12 never stored one to pre-populate it.
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, data)...)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("reading SageMaker training plan extension (%s)", offeringID), err.Error())
		return
	}
	data.setExtension(*extension)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, data)...)
}

// Update only ever changes timeouts: ModifyPlan refuses any change to what was bought.
func (r *trainingPlanExtensionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var data trainingPlanExtensionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, data)...)
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
	if err != nil {
		resp.Diagnostics.AddError("importing SageMaker training plan extension", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), extensionID(planARN, offeringID))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("training_plan_arn"), planARN)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("training_plan_extension_offering_id"), offeringID)...)
}

// ModifyPlan guards the money: it refuses to plan a second purchase in place of a bought
// extension, checks a new extension's plan against the provider's account and Region, and
// warns that destroying only forgets.
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

	if req.State.Raw.IsNull() {
		if r.pd != nil && !plan.TrainingPlanARN.IsUnknown() {
			if err := r.pd.checkTrainingPlanARN(plan.TrainingPlanARN.ValueString()); err != nil {
				resp.Diagnostics.AddAttributeError(path.Root("training_plan_arn"), "training plan out of the provider's reach", err.Error())
			}
		}
		return
	}

	var state trainingPlanExtensionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, attr := range []struct {
		name          string
		planned, held types.String
	}{
		{"training_plan_arn", plan.TrainingPlanARN, state.TrainingPlanARN},
		{"training_plan_extension_offering_id", plan.TrainingPlanExtensionOfferingID, state.TrainingPlanExtensionOfferingID},
	} {
		if attr.planned.Equal(attr.held) {
			continue
		}
		newValue := "a value known only after apply"
		if !attr.planned.IsUnknown() {
			newValue = fmt.Sprintf("%q", attr.planned.ValueString())
		}
		resp.Diagnostics.AddAttributeError(path.Root(attr.name), "a purchased SageMaker training plan extension cannot be changed",
			fmt.Sprintf("%s changes from %q to %s, which would buy another extension. Extensions cannot be modified or cancelled, so this resource refuses to plan that.\n\n"+
				"- To buy another extension, declare a new sagemaker_training_plan_extension resource and keep this one.\n"+
				"- If the offering ID comes from the sagemaker_training_plan_extension_offerings data source, whose quotes change on every search, add\n"+
				"    lifecycle { ignore_changes = [training_plan_extension_offering_id] }\n"+
				"  to this resource.\n"+
				"- To stop managing this extension without buying anything, remove the resource from the configuration or run terraform state rm.",
				attr.name, attr.held.ValueString(), newValue))
	}
}

type trainingPlanExtensionModel struct {
	ID                              types.String   `tfsdk:"id"`
	TrainingPlanARN                 types.String   `tfsdk:"training_plan_arn"`
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

func (m *trainingPlanExtensionModel) setExtension(x awstypes.TrainingPlanExtension) {
	m.ID = types.StringValue(extensionID(m.TrainingPlanARN.ValueString(), m.TrainingPlanExtensionOfferingID.ValueString()))
	m.extensionAttributes = newExtensionAttributes(x)
}
