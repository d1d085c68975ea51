package provider

import (
	"context"
	"fmt"
	"math/big"

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
//   - Otherwise the next plan shows its purchase again: the same offering, so that it can never
//     be paid twice, with the terms the first plan showed. Applying buys it, or adopts it if
//     it has appeared by then.
//   - If AWS no longer sells the offering and the history still lacks it, it was never bought:
//     it is marked not made, and the next refresh removes it from state, so that the plan after
//     shows a new purchase, with its price.

// privatePurchase is the private state key of the mark.
const privatePurchase = "purchase"

type purchaseMarkValue string

const (
	purchaseMarkNone        purchaseMarkValue = ""
	purchaseMarkUnconfirmed purchaseMarkValue = "unconfirmed"
	purchaseMarkNotMade     purchaseMarkValue = "not_made"
)

// privateState is what Read, ModifyPlan and Update requests and responses offer of private state.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

func purchaseMark(ctx context.Context, private privateState) (purchaseMarkValue, diag.Diagnostics) {
	value, diags := private.GetKey(ctx, privatePurchase)
	if len(value) < 2 {
		return purchaseMarkNone, diags
	}
	return purchaseMarkValue(value[1 : len(value)-1]), diags // a JSON string
}

func markPurchase(ctx context.Context, private privateState, mark purchaseMarkValue) diag.Diagnostics {
	if mark == purchaseMarkNone {
		return private.SetKey(ctx, privatePurchase, nil)
	}
	return private.SetKey(ctx, privatePurchase, []byte(`"`+string(mark)+`"`))
}

// planUnconfirmedPurchase plans the purchase that settles one AWS never confirmed: the same
// offering, for the hours and price the first plan showed, within max_upfront_fee, and never
// for hours that another extension covers by now.
func planUnconfirmedPurchase(ctx context.Context, pd *providerData, plan *trainingPlanExtensionModel) diag.Diagnostics {
	planARN, offeringID := plan.TrainingPlanARN.ValueString(), plan.TrainingPlanExtensionOfferingID.ValueString()
	if diags := checkWithinCap(*plan); diags.HasError() {
		return diags
	}
	_, cancel, history, diags := readPlanBeforePurchase(ctx, pd, planARN)
	defer cancel()
	if diags.HasError() {
		return diags
	}
	if intent, ok := plan.purchaseIntent(); ok {
		diags.Append(checkPlannedPurchase(pd, intent, history)...)
		if diags.HasError() {
			return diags
		}
	}
	// What AWS reports once the purchase is made is known after apply; the terms are those
	// the first plan showed, or unknown if it could not show them.
	plan.ExtendedAt, plan.Status, plan.PaymentStatus = timetypes.NewRFC3339Unknown(), types.StringUnknown(), types.StringUnknown()
	plan.AvailabilityZone, plan.AvailabilityZoneID = types.StringUnknown(), types.StringUnknown()
	if _, ok := plan.plannedTerms(); !ok {
		plan.EndDate, plan.DurationHours = timetypes.NewRFC3339Unknown(), types.Int64Unknown()
		plan.UpfrontFee, plan.CurrencyCode = types.StringUnknown(), types.StringUnknown()
	}
	what := "offering " + offeringID
	if terms, ok := plan.plannedTerms(); ok {
		what = fmt.Sprintf("offering %s (%s)", offeringID, terms)
	}
	diags.AddWarning("this plan buys a SageMaker training plan extension", purchaseNotice(*plan, what)+
		" An earlier apply sent this purchase, but AWS never confirmed it, and the plan's history does not list it. It is the same offering, "+
		"which can be bought only once: if the first purchase went through after all, applying adopts it instead of buying.")
	return diags
}

// settleUnconfirmedPurchase buys, or adopts, the offering of a purchase AWS never confirmed.
func settleUnconfirmedPurchase(ctx context.Context, pd *providerData, plan *trainingPlanExtensionModel, state trainingPlanExtensionModel, private privateState) diag.Diagnostics {
	planARN, offeringID := plan.TrainingPlanARN.ValueString(), plan.TrainingPlanExtensionOfferingID.ValueString()
	intent, ok := state.purchaseIntent()
	if !ok {
		*plan = withConfiguration(state, *plan)
		var diags diag.Diagnostics
		diags.AddError(purchaseSummary(offeringID), "Nothing is known of the hours of this offering, so they cannot be checked against those already bought. Nothing was bought.")
		return diags
	}
	bought, diags := buyGuarded(ctx, pd, intent)
	switch bought.outcome {
	case purchaseBought:
		diags.Append(plan.setBought(bought.extension, state)...)
		diags.Append(markPurchase(ctx, private, purchaseMarkNone)...)
	case purchaseUnknown:
		*plan = withConfiguration(state, *plan)
	case purchaseNotMade:
		*plan = withConfiguration(state, *plan)
		if bought.offeringGone {
			diags.Append(markPurchase(ctx, private, purchaseMarkNotMade)...)
			diags.AddAttributeError(path.Root("training_plan_extension_offering_id"), purchaseSummary(offeringID),
				fmt.Sprintf("The history of training plan %s does not list offering %s, and AWS no longer sells it: the purchase an earlier apply "+
					"could not confirm never happened, and nothing was bought now. The next refresh removes it from state, "+
					"and the next plan shows a new purchase, with its price.", planARN, offeringID))
		}
	}
	return diags
}

// withConfiguration is a stored extension with the configuration of a plan: what an update
// records when it buys nothing.
func withConfiguration(state, plan trainingPlanExtensionModel) trainingPlanExtensionModel {
	state.RequestedDurationHours, state.MaxUpfrontFee, state.Timeouts = plan.RequestedDurationHours, plan.MaxUpfrontFee, plan.Timeouts
	return state
}

// checkWithinCap refuses a purchase whose known price is above a known max_upfront_fee.
func checkWithinCap(plan trainingPlanExtensionModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if !known(plan.MaxUpfrontFee) || !known(plan.UpfrontFee) {
		return diags
	}
	maxFee, okCap := new(big.Rat).SetString(plan.MaxUpfrontFee.ValueString())
	fee, okFee := new(big.Rat).SetString(plan.UpfrontFee.ValueString())
	if okCap && okFee && fee.Cmp(maxFee) > 0 {
		diags.AddAttributeError(path.Root("max_upfront_fee"), "purchase above max_upfront_fee",
			fmt.Sprintf("Offering %s costs %s %s, more than max_upfront_fee = %q. Nothing was bought.",
				plan.TrainingPlanExtensionOfferingID.ValueString(), plan.UpfrontFee.ValueString(), plan.CurrencyCode.ValueString(), plan.MaxUpfrontFee.ValueString()))
	}
	return diags
}
