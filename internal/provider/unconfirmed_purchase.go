package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A purchase whose outcome was unknown settles itself over the next runs, with its state in
// the resource's private state:
//
//   - Create stores the offering, marked unconfirmed, with the terms the plan showed.
//   - A refresh that finds it in the plan's history adopts it and drops the mark.
//   - Otherwise the next plan shows its purchase again, marked settling: the same offering, so
//     that it can never be paid twice, with the terms the first plan showed. Only then does the
//     update buy it, or adopt it if it has appeared by then.
//   - If AWS does not sell that offering, and the history still lacks it after the reconcile
//     waits, while the plan's end shows no extension the history does not list, it was never
//     bought: it is marked not made, and the next refresh, if the history lacks it still,
//     removes it from state, so that the plan after shows a new purchase, with its price.

// privatePurchase is the private state key of the mark.
const privatePurchase = "purchase"

// purchaseMark is the private state of a purchase that has not settled.
type purchaseMark struct {
	State    purchaseState `json:"state"`
	Offering string        `json:"offering"`
}

type purchaseState string

const (
	purchaseSettled     purchaseState = ""
	purchaseUnconfirmed purchaseState = "unconfirmed"
	purchaseSettling    purchaseState = "settling" // planned to be bought again
	purchaseNotMadeMark purchaseState = "not_made"
)

// privateState is what resource requests and responses offer of private state.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

func readPurchaseMark(ctx context.Context, private privateState) (purchaseMark, diag.Diagnostics) {
	var mark purchaseMark
	value, diags := private.GetKey(ctx, privatePurchase)
	if len(value) > 0 {
		if err := json.Unmarshal(value, &mark); err != nil {
			diags.AddError("reading SageMaker training plan extension private state", err.Error())
		}
	}
	return mark, diags
}

func markPurchase(ctx context.Context, private privateState, mark purchaseMark) diag.Diagnostics {
	if mark.State == purchaseSettled {
		return private.SetKey(ctx, privatePurchase, nil)
	}
	value, err := json.Marshal(mark)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("writing SageMaker training plan extension private state", err.Error())
		return diags
	}
	return private.SetKey(ctx, privatePurchase, value)
}

// planUnconfirmedPurchase plans the purchase that settles one AWS never confirmed: the same
// offering, for the hours and price the first plan showed, within max_upfront_fee. It plans
// nothing, with a warning, when the training plan is known only after apply, or when another
// extension now covers those hours: buying them would pay twice.
func planUnconfirmedPurchase(ctx context.Context, pd *providerData, held *heldClaims, plan *trainingPlanExtensionModel, private privateState) diag.Diagnostics {
	var diags diag.Diagnostics
	offeringID := plan.TrainingPlanExtensionOfferingID.ValueString()
	intent, ok := plan.plannedIntent()
	if !ok || plan.TrainingPlanARN.IsUnknown() {
		diags.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) purchase unconfirmed", offeringID),
			"AWS never confirmed an earlier purchase of this offering, and this plan cannot settle it: the training plan or the offering's hours "+
				"are not known when planning. A plan in which they are known buys it again, or adopts it.")
		return diags
	}
	_, cancel, history, diags := readPlanBeforePurchase(ctx, pd, intent.planARN)
	defer cancel()
	if diags.HasError() {
		return diags
	}
	if covering, ok := coveringExtension(history, intent.hours, offeringID); ok {
		diags.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) purchase unconfirmed", offeringID),
			"AWS never confirmed an earlier purchase of this offering, and it is not bought again: "+hoursAlreadyBought(intent.planARN, intent.hours, *covering)+
				" To stop tracking the unconfirmed purchase, run terraform state rm on this resource, or replace its block with a removed block.")
		return diags
	}
	if diags = checkPlannedPurchase(pd, held, intent, history); diags.HasError() {
		return diags
	}
	// What AWS reports once the purchase is made is known after apply; the terms are those
	// the first plan showed, or unknown if it could not show them.
	plan.ExtendedAt, plan.Status, plan.PaymentStatus = timetypes.NewRFC3339Unknown(), types.StringUnknown(), types.StringUnknown()
	plan.AvailabilityZone, plan.AvailabilityZoneID = types.StringUnknown(), types.StringUnknown()
	if intent.terms == nil {
		plan.EndDate, plan.DurationHours = timetypes.NewRFC3339Unknown(), types.Int64Unknown()
		plan.UpfrontFee, plan.CurrencyCode = types.StringUnknown(), types.StringUnknown()
	}
	diags.Append(markPurchase(ctx, private, purchaseMark{State: purchaseSettling, Offering: offeringID})...)
	diags.AddWarning("this plan buys a SageMaker training plan extension", "Applying buys "+intent.String()+
		". Extensions are non-refundable and cannot be cancelled. An earlier apply sent this purchase, but AWS never confirmed it, and the plan's history "+
		"does not list it. It is the same offering, which can be bought only once: if the first purchase went through after all, applying adopts it instead of buying.")
	return diags
}

// settleUnconfirmedPurchase buys, or adopts, the offering of a purchase AWS never confirmed,
// as the plan showed it.
func settleUnconfirmedPurchase(ctx context.Context, pd *providerData, plan *trainingPlanExtensionModel, state trainingPlanExtensionModel, private privateState) diag.Diagnostics {
	planARN, offeringID := plan.TrainingPlanARN.ValueString(), plan.TrainingPlanExtensionOfferingID.ValueString()
	unsettled := purchaseMark{State: purchaseUnconfirmed, Offering: offeringID}
	intent, _ := state.plannedIntent()
	intent.maxFee = plan.MaxUpfrontFee.ValueString()
	bought, diags := buyGuarded(ctx, pd, intent)
	switch bought.outcome {
	case purchaseBought:
		diags.Append(plan.setPurchase(bought, state)...)
		diags.Append(markPurchase(ctx, private, purchaseMark{})...)
		return diags
	case purchaseUnknown:
		diags.Append(markPurchase(ctx, private, unsettled)...)
		*plan = withConfiguration(state, *plan)
		return diags
	}
	*plan = withConfiguration(state, *plan)
	if !bought.offeringGone {
		diags.Append(markPurchase(ctx, private, unsettled)...)
		return diags
	}
	// AWS does not sell the offering: it expired, or was used, maybe by the earlier purchase,
	// which the history may not list yet. Only if it still does not, after the reconcile
	// waits, was it never bought.
	if found, err := reconcilePurchase(ctx, pd, planARN, offeringID, true); err == nil {
		diags = diag.Diagnostics{}
		diags.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) adopted", offeringID),
			fmt.Sprintf("The earlier purchase of offering %s went through after all: the history of training plan %s lists it now. Nothing was bought now.", offeringID, planARN))
		diags.Append(plan.setBought(*found, state)...)
		diags.Append(markPurchase(ctx, private, purchaseMark{})...)
		return diags
	}
	// The history may lag behind a purchase, the plan's end does not.
	if reason := boughtUnlisted(ctx, pd, planARN, intent.hours); reason != "" {
		diags = markPurchase(ctx, private, unsettled)
		// Its own summary: Terraform folds warnings with the refresh's into one.
		diags.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) purchase still unconfirmed", offeringID),
			fmt.Sprintf("AWS no longer sells offering %s, and the history of training plan %s does not list it, but %s. Nothing was bought now, "+
				"and the offering stays in state: the next refresh adopts it once the history lists it.", offeringID, planARN, reason))
		return diags
	}
	// This error says what AWS's refusal means here, in its place.
	diags = markPurchase(ctx, private, purchaseMark{State: purchaseNotMadeMark, Offering: offeringID})
	diags.AddAttributeError(path.Root("training_plan_extension_offering_id"), purchaseSummary(offeringID),
		fmt.Sprintf("The history of training plan %s does not list offering %s, and AWS does not sell it: the purchase an earlier apply "+
			"could not confirm never happened, and nothing was bought now. The next refresh removes it from state if the history still lacks it, "+
			"and the next plan shows a new purchase, with its price.", planARN, offeringID))
	return diags
}

// boughtUnlisted says why an extension may have been bought for hours that the training
// plan's history does not list, or "" when nothing suggests it: the plan's end, read now, has
// moved past the start of the hours, and no extension in the history covers them.
func boughtUnlisted(ctx context.Context, pd *providerData, planARN string, hours window) string {
	if hours.start.IsZero() {
		return "the hours it was for are not known, so nothing tells that it was never bought"
	}
	pd.planEnds.invalidate(planARN)
	end, err := pd.planEnds.get(ctx, planARN)
	if err != nil {
		return fmt.Sprintf("the end of the training plan could not be read to tell whether it went through (%s)", err)
	}
	if !end.After(hours.start) {
		return ""
	}
	history, err := listExtensionHistory(ctx, pd.sageMaker, planARN)
	if err != nil {
		return fmt.Sprintf("the training plan now ends at %s, past the start of those hours, and its history could not be read again (%s)", end.Format(time.RFC3339), err)
	}
	if _, covered := coveringExtension(history, hours, ""); covered {
		return ""
	}
	return fmt.Sprintf("the training plan now ends at %s, past the start of those hours (%s), and no extension in its history covers them: "+
		"AWS has not listed an extension bought for them yet, most likely this one", end.Format(time.RFC3339), hours)
}

// withConfiguration is a stored extension with the configuration of a plan: what an update
// records when it buys nothing.
func withConfiguration(state, plan trainingPlanExtensionModel) trainingPlanExtensionModel {
	state.RequestedDurationHours, state.MaxUpfrontFee, state.Timeouts = plan.RequestedDurationHours, plan.MaxUpfrontFee, plan.Timeouts
	return state
}
