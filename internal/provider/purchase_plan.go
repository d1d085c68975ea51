package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// recentPurchaseWindow is how far back a plan looks for an extension that the planned one
// may repeat, such as one bought by a run that was killed before it could save state.
const recentPurchaseWindow = 24 * time.Hour

// planPurchase fills in, and warns about, what creating the resource will buy. By duration it
// chooses the quote now, so the plan shows its fee and dates; by offering ID it checks that the
// offering was quoted for the declared plan and says when apply will adopt instead of buying.
// It calls nothing when the plan cannot be known yet, and buys nothing ever.
func planPurchase(ctx context.Context, pd *providerData, plan *trainingPlanExtensionModel, configuredOffering types.String) diag.Diagnostics {
	var diags diag.Diagnostics
	byDuration := !plan.RequestedDurationHours.IsNull()
	if !byDuration && configuredOffering.IsNull() {
		diags.AddAttributeError(path.Root("requested_duration_hours"), "nothing to buy",
			"Set requested_duration_hours (the length to buy: the plan then chooses the quote and shows its price) or "+
				"training_plan_extension_offering_id (one quote, for example from the sagemaker_training_plan_extension_offerings data source); neither is set. "+
				"If the offering ID comes from the offerings data source, the search returned no offering: AWS has no capacity to sell "+
				"for this training plan right now, or the plan can no longer be extended.")
		return diags
	}
	if pd == nil {
		return diags // validation before the provider is configured
	}
	if plan.TrainingPlanARN.IsUnknown() {
		diags.AddWarning("this plan buys a SageMaker training plan extension", purchaseNotice(*plan, "")+
			" The training plan is known only after apply, so the quote is chosen then"+capNotice(*plan)+".")
		return diags
	}
	planARN := plan.TrainingPlanARN.ValueString()
	if err := pd.checkTrainingPlanARN(planARN); err != nil {
		diags.AddAttributeError(path.Root("training_plan_arn"), "training plan out of the provider's reach", err.Error())
		return diags
	}
	ctx, cancel := context.WithTimeout(apiContext(ctx), defaultReadTimeout)
	defer cancel()
	history, err := pd.history.get(ctx, planARN)
	if err != nil {
		diags.AddAttributeError(path.Root("training_plan_arn"), fmt.Sprintf("reading SageMaker training plan (%s) before purchasing", planARN), err.Error())
		return diags
	}

	if !byDuration {
		offeringID := plan.TrainingPlanExtensionOfferingID
		if !offeringID.IsUnknown() {
			if origin, ok := pd.origins.plan(offeringID.ValueString()); ok && origin != planARN {
				diags.AddAttributeError(path.Root("training_plan_arn"), "offering quoted for another training plan",
					fmt.Sprintf("Offering %s was quoted for training plan %s, but training_plan_arn is %s. AWS takes the plan from the offering ID alone, "+
						"so applying would extend %s. Search the offerings of the plan you mean to extend, or set training_plan_arn to %s.",
						offeringID.ValueString(), origin, planARN, origin, origin))
				return diags
			}
			if x, err := extensionByOfferingID(history, planARN, offeringID.ValueString()); err == nil {
				diags.AddWarning("this plan adopts a SageMaker training plan extension bought earlier",
					fmt.Sprintf("Offering %s was already bought for training plan %s (extended at %s). Applying stores that extension in state and buys nothing.",
						offeringID.ValueString(), planARN, aws.ToTime(x.ExtendedAt).UTC().Format(time.RFC3339)))
				return diags
			}
		}
		diags.AddWarning("this plan buys a SageMaker training plan extension", purchaseNotice(*plan, ""))
		diags.Append(recentPurchaseWarning(history, planARN, 0)...)
		return diags
	}

	if plan.RequestedDurationHours.IsUnknown() || plan.MaxUpfrontFee.IsUnknown() {
		diags.AddWarning("this plan buys a SageMaker training plan extension", purchaseNotice(*plan, "")+
			" The requested length or the fee cap is known only after apply, so the quote is chosen then"+capNotice(*plan)+".")
		return diags
	}
	requested := plan.RequestedDurationHours.ValueInt64()
	offerings, err := searchOfferings(ctx, pd, planARN, &requested)
	if err != nil {
		diags.AddAttributeError(path.Root("requested_duration_hours"), fmt.Sprintf("searching SageMaker training plan extension offerings (%s)", planARN), err.Error())
		return diags
	}
	quote, err := chooseQuote(offerings, plan.quoteRequest())
	if err != nil {
		diags.AddAttributeError(path.Root("requested_duration_hours"), "no SageMaker training plan extension offering to buy", err.Error())
		return diags
	}
	plan.setTerms(*quote)
	diags.AddWarning("this plan buys a SageMaker training plan extension", purchaseNotice(*plan, termsOf(*quote).String())+
		" The quote's ID is known after apply. Apply buys a quote with exactly these terms or nothing: if the quote expires, is bought "+
		"or changes price before apply, apply stops without buying (Terraform may report it as an inconsistent final plan); run plan again.")
	diags.Append(recentPurchaseWarning(history, planARN, termsOf(*quote).DurationHours)...)
	return diags
}

// purchaseNotice says what applying will buy and that it cannot be undone.
func purchaseNotice(plan trainingPlanExtensionModel, terms string) string {
	what := "an extension"
	switch {
	case terms != "":
		what = "an extension of " + terms
	case !plan.TrainingPlanExtensionOfferingID.IsUnknown() && !plan.TrainingPlanExtensionOfferingID.IsNull():
		what = "offering " + plan.TrainingPlanExtensionOfferingID.ValueString()
	case !plan.RequestedDurationHours.IsNull() && !plan.RequestedDurationHours.IsUnknown():
		what = fmt.Sprintf("an extension of %d hours", plan.RequestedDurationHours.ValueInt64())
	}
	target := "the training plan"
	if !plan.TrainingPlanARN.IsUnknown() {
		target = "training plan " + plan.TrainingPlanARN.ValueString()
	}
	return fmt.Sprintf("Applying buys %s for %s. Extensions are non-refundable and cannot be cancelled.", what, target)
}

func capNotice(plan trainingPlanExtensionModel) string {
	if plan.MaxUpfrontFee.IsNull() || plan.MaxUpfrontFee.IsUnknown() {
		return ""
	}
	return fmt.Sprintf(", and never above max_upfront_fee = %q", plan.MaxUpfrontFee.ValueString())
}

// recentPurchaseWarning points at extensions bought for the plan in the last hours (of the
// given length, or any length for 0), which the planned purchase may repeat.
func recentPurchaseWarning(history []awstypes.TrainingPlanExtension, planARN string, hours int64) diag.Diagnostics {
	var diags diag.Diagnostics
	var recent []string
	for _, x := range history {
		if time.Since(aws.ToTime(x.ExtendedAt)) > recentPurchaseWindow || aws.ToString(x.Status) == statusFailed {
			continue
		}
		if hours != 0 && int64(aws.ToInt32(x.DurationHours)) != hours {
			continue
		}
		recent = append(recent, fmt.Sprintf("- offering %s, %d hours, bought at %s:\n\n    import {\n      to = sagemaker_training_plan_extension.<name>\n      id = %q\n    }",
			aws.ToString(x.TrainingPlanExtensionOfferingId), aws.ToInt32(x.DurationHours),
			aws.ToTime(x.ExtendedAt).UTC().Format(time.RFC3339), extensionID(planARN, aws.ToString(x.TrainingPlanExtensionOfferingId))))
	}
	if len(recent) > 0 {
		diags.AddWarning("a similar SageMaker training plan extension was bought recently",
			fmt.Sprintf("Training plan %s has extensions bought in the last %d hours that this plan may repeat, for example by an apply that was interrupted "+
				"before it saved state. If one of them is the extension this resource should manage, adopt it with an import block instead of buying another:\n\n%s",
				planARN, int(recentPurchaseWindow.Hours()), strings.Join(recent, "\n")))
	}
	return diags
}
