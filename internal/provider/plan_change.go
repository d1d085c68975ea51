package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// planChange plans an edit of a stored extension. What was bought cannot change: AWS cannot
// modify an extension, and this resource never replaces one, because the replacement would be
// a second purchase. Edits that only restate what was bought, the fee cap and the timeouts
// change in place with no API call, and a purchase AWS never confirmed is planned again.
func planChange(ctx context.Context, pd *providerData, held *heldClaims, plan *trainingPlanExtensionModel, state trainingPlanExtensionModel, private privateState) diag.Diagnostics {
	diags := checkUnchanged(*plan, state)
	if diags.HasError() {
		return diags
	}
	mark, markDiags := readPurchaseMark(ctx, private)
	diags.Append(markDiags...)
	if (mark.State == purchaseUnconfirmed || mark.State == purchaseSettling) && pd != nil {
		diags.Append(planUnconfirmedPurchase(ctx, pd, held, plan, private)...)
	}
	return diags
}

// checkUnchanged refuses an edit that changes what was bought. A value unknown when planning
// passes, and is checked again when applying, where Update refuses it before buying anything.
func checkUnchanged(plan, state trainingPlanExtensionModel) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, a := range []struct {
		name          string
		planned, held attr.Value
	}{
		{"training_plan_arn", plan.TrainingPlanARN, state.TrainingPlanARN},
		{"training_plan_extension_offering_id", plan.TrainingPlanExtensionOfferingID, state.TrainingPlanExtensionOfferingID},
	} {
		if known(a.planned) && !a.planned.Equal(a.held) {
			diags.AddAttributeError(path.Root(a.name), "a purchased SageMaker training plan extension cannot be changed",
				fmt.Sprintf("%s changes from %s to %s. An extension cannot be moved to other hours or another training plan, and this resource never "+
					"replaces a bought one, because the replacement would be a second purchase while the first stays paid for. "+
					"So this plan is refused, and nothing is bought.%s", a.name, a.held, a.planned, changeRemedies))
		}
	}
	requested := plan.RequestedDurationHours
	if known(requested) && !requested.Equal(state.RequestedDurationHours) && !recordsBoughtLength(requested, state.DurationHours) {
		bought := state.DurationHours.ValueInt64()
		diags.AddAttributeError(path.Root("requested_duration_hours"), "a purchased SageMaker training plan extension cannot be changed",
			fmt.Sprintf("requested_duration_hours changes from %s to %d, but this extension was bought as %d hours (duration_hours), and AWS sells a request "+
				"of %d hours as %d hours. For a bought extension, requested_duration_hours only records its length: set it to %d (or any length AWS sells as "+
				"%d hours), or remove it. An extension cannot be lengthened or shortened, and this resource never replaces a bought one, because the "+
				"replacement would be a second purchase: this plan is refused, and nothing is bought.%s",
				describeValue(state.RequestedDurationHours), hoursOf(requested), bought, hoursOf(requested), purchasableHours(hoursOf(requested)),
				bought, bought, changeRemedies))
	}
	return diags
}

const changeRemedies = "\n\n" +
	"- To buy another extension, declare a new sagemaker_training_plan_extension resource and keep this one.\n" +
	"- If the offering ID comes from the sagemaker_training_plan_extension_offerings data source, whose quotes change on every search, add\n" +
	"    lifecycle { ignore_changes = [training_plan_extension_offering_id] }\n" +
	"  to this resource, or declare the extension with requested_duration_hours instead.\n" +
	"- To stop managing this extension without buying anything, remove the resource from the configuration or run terraform state rm."

// recordsBoughtLength reports whether a requested duration is what AWS sold for the extension,
// or the length bought is not known (a purchase AWS has not confirmed, bought by offering ID).
func recordsBoughtLength(requested types.Number, bought types.Int64) bool {
	return !known(bought) || purchasableHours(hoursOf(requested)) == bought.ValueInt64()
}

// describeValue quotes a stored value for an error message.
func describeValue(v attr.Value) string {
	if v.IsNull() {
		return "null"
	}
	return v.String()
}
