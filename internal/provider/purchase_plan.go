package provider

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
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
// chooses the quote now, so the plan shows its fee and dates. By offering ID it shows what the
// provider can know of the offering, checks that it was quoted for the declared plan, and says
// when apply will adopt instead of buying. A purchase whose quote cannot be known when planning
// needs a max_upfront_fee that bounds it. Every purchase is refused when its hours are bought
// already or planned by another resource of the run, or when the provider's guardrails forbid
// it. It buys nothing ever.
func planPurchase(ctx context.Context, pd *providerData, held *heldClaims, plan *trainingPlanExtensionModel, configuredOffering types.String) diag.Diagnostics {
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
	for _, input := range []struct {
		name    string
		unknown bool
	}{
		{"training_plan_arn", plan.TrainingPlanARN.IsUnknown()},
		{"requested_duration_hours", plan.RequestedDurationHours.IsUnknown()},
		{"training_plan_extension_offering_id", !byDuration && plan.TrainingPlanExtensionOfferingID.IsUnknown()},
		{"max_upfront_fee", plan.MaxUpfrontFee.IsUnknown()},
	} {
		if input.unknown {
			return planBlindPurchase(pd, held, *plan, input.name)
		}
	}
	if byDuration {
		return planQuote(ctx, pd, held, plan)
	}
	return planDeclaredOffering(ctx, pd, held, plan)
}

// planQuote chooses the quote a create by duration buys, and shows its terms.
func planQuote(ctx context.Context, pd *providerData, held *heldClaims, plan *trainingPlanExtensionModel) diag.Diagnostics {
	planARN := plan.TrainingPlanARN.ValueString()
	ctx, cancel, history, diags := readPlanBeforePurchase(ctx, pd, planARN)
	defer cancel()
	if diags.HasError() {
		return diags
	}
	request := plan.quoteRequest()
	offerings, err := searchOfferings(ctx, pd, planARN, &request.hours)
	if err != nil {
		diags.AddAttributeError(path.Root("requested_duration_hours"), fmt.Sprintf("searching SageMaker training plan extension offerings (%s)", planARN), err.Error())
		return diags
	}
	quote, err := chooseQuote(offerings, request)
	if err != nil {
		diags.AddAttributeError(path.Root("requested_duration_hours"), "no SageMaker training plan extension offering to buy", err.Error())
		return diags
	}
	terms := termsOfOffering(*quote)
	intent := purchaseIntent{planARN: planARN, offeringID: aws.ToString(quote.TrainingPlanExtensionOfferingId), hours: terms.window(), terms: &terms, maxFee: request.maxFee}
	diags.Append(checkPlannedPurchase(pd, held, intent, history)...)
	if diags.HasError() {
		return diags
	}
	plan.setTerms(terms)
	diags.AddWarning("this plan buys a SageMaker training plan extension", purchaseNotice(*plan, "an extension of "+terms.String())+
		" The quote's ID is known after apply. Apply buys a quote with exactly these terms or nothing: if the quote expires, is bought "+
		"or changes price before apply, apply stops without buying (Terraform may report it as an inconsistent final plan); run plan again.")
	diags.Append(recentPurchaseWarning(history, planARN, terms.DurationHours)...)
	return diags
}

// planBlindPurchase plans a create whose quote can only be known at apply, because an input is
// unknown until then: it must be bounded by a cap the plan shows, or it would buy at whatever
// price apply finds. Against the provider's run_budget the cap counts as its price, and its
// hours, unknown, count as all the hours of its training plan, or of every plan when that is
// unknown too.
func planBlindPurchase(pd *providerData, held *heldClaims, plan trainingPlanExtensionModel, unknown string) diag.Diagnostics {
	var diags diag.Diagnostics
	if !known(plan.MaxUpfrontFee) {
		diags.AddAttributeError(path.Root(unknown), "purchase without a price in the plan",
			fmt.Sprintf("%s is known only after apply, so this plan cannot show what the purchase costs, and no max_upfront_fee known now bounds it: "+
				"applying it would buy at whatever price AWS quotes then. Nothing was bought. Either make %s known when planning, "+
				"for example by removing a depends_on from the data source it comes from, so that the plan shows the quote's price, "+
				"or set max_upfront_fee to the most this extension may cost, as a value known when planning.", unknown, unknown))
		return diags
	}
	intent := purchaseIntent{offeringID: plan.TrainingPlanExtensionOfferingID.ValueString(), maxFee: plan.MaxUpfrontFee.ValueString()}
	if !plan.TrainingPlanARN.IsUnknown() {
		intent.planARN = plan.TrainingPlanARN.ValueString()
	}
	if diags = checkPlannedPurchase(pd, held, intent, nil); diags.HasError() {
		return diags
	}
	diags.AddWarning("this plan buys a SageMaker training plan extension", purchaseNotice(plan, "")+
		fmt.Sprintf(" %s is known only after apply, so what it buys is known then, never above max_upfront_fee = %q.", unknown, plan.MaxUpfrontFee.ValueString()))
	return diags
}

// planDeclaredOffering shows what a create by offering ID buys, as far as the provider can
// know it before apply, and where its hours start.
func planDeclaredOffering(ctx context.Context, pd *providerData, held *heldClaims, plan *trainingPlanExtensionModel) diag.Diagnostics {
	planARN, offeringID := plan.TrainingPlanARN.ValueString(), plan.TrainingPlanExtensionOfferingID.ValueString()
	ctx, cancel, history, diags := readPlanBeforePurchase(ctx, pd, planARN)
	defer cancel()
	if diags.HasError() {
		return diags
	}
	quoted, quotedInRun := pd.quotes.lookup(offeringID)
	if quotedInRun && quoted.planARN != planARN {
		diags.AddAttributeError(path.Root("training_plan_arn"), "offering quoted for another training plan",
			fmt.Sprintf("Offering %s was quoted for training plan %s, but training_plan_arn is %s. AWS takes the plan from the offering ID alone, "+
				"so applying would extend %s. Search the offerings of the plan you mean to extend, or set training_plan_arn to %s.",
				offeringID, quoted.planARN, planARN, quoted.planARN, quoted.planARN))
		return diags
	}
	if x, err := extensionByOfferingID(history, planARN, offeringID); err == nil {
		plan.setTerms(termsOfExtension(*x))
		diags.AddWarning("this plan adopts a SageMaker training plan extension bought earlier",
			fmt.Sprintf("Offering %s was already bought for training plan %s (extended at %s). Applying stores that extension in state and buys nothing.",
				offeringID, planARN, aws.ToTime(x.ExtendedAt).UTC().Format(time.RFC3339)))
		return diags
	}
	intent, diags := planDeclaredTerms(ctx, pd, plan, history)
	if diags.HasError() {
		return diags
	}
	// A quote this run's data source searched is checked against the history and named in the
	// warning, but not planned: apply, in a new provider process, could not plan it again.
	shown := pd.quotes.priced(intent)
	diags.Append(checkPlannedPurchase(pd, held, shown, history)...)
	if diags.HasError() {
		return diags
	}
	notice := purchaseNotice(*plan, fmt.Sprintf("offering %s, starting at %s", offeringID, intent.hours.start.Format(time.RFC3339))) +
		" Its length and price are not known to this plan: the offering was not searched in this run, and a search of the training plan does not return it."
	if shown.terms != nil {
		notice = purchaseNotice(*plan, fmt.Sprintf("offering %s (%s)", offeringID, shown.terms))
	}
	diags.AddWarning("this plan buys a SageMaker training plan extension", notice)
	diags.Append(recentPurchaseWarning(history, planARN, 0)...)
	return diags
}

// planDeclaredTerms plans what apply can plan again of a declared offering: where the plan
// ends now, which is where the extension starts, and the offering's terms when a search of
// the plan returns its ID. Terraform plans a create again during apply, in a new provider
// process, and stops the apply when a known planned value changes: if anything is bought for
// the plan in between, its end moves, and nothing is bought.
func planDeclaredTerms(ctx context.Context, pd *providerData, plan *trainingPlanExtensionModel, history []awstypes.TrainingPlanExtension) (purchaseIntent, diag.Diagnostics) {
	var diags diag.Diagnostics
	intent, _ := plan.plannedIntent()
	start, err := extendedEnd(ctx, pd, intent.planARN, history)
	if err != nil {
		diags.AddAttributeError(path.Root("training_plan_arn"), fmt.Sprintf("reading SageMaker training plan (%s) before purchasing", intent.planARN), err.Error())
		return intent, diags
	}
	plan.StartDate = rfc3339(&start)
	intent.hours = window{start: start}
	// A plan that can no longer be searched still shows where the extension starts.
	if offerings, err := searchOfferings(ctx, pd, intent.planARN, nil); err == nil {
		if found, ok := findOffering(offerings, intent.offeringID); ok {
			terms := termsOfOffering(*found)
			plan.setTerms(terms)
			intent.terms, intent.hours = &terms, terms.window()
		}
	}
	if _, quotedInRun := pd.quotes.lookup(intent.offeringID); intent.terms == nil && !quotedInRun && intent.maxFee != "" {
		diags.AddAttributeError(path.Root("max_upfront_fee"), "max_upfront_fee cannot be checked for this offering",
			fmt.Sprintf("Apply checks max_upfront_fee against the offering's price before buying, but a search of training plan %s does not return offering %s, "+
				"and no offerings data source of this run quoted it, so apply could not know its price and would refuse to buy. Nothing was bought. "+
				"Remove max_upfront_fee, or buy by requested_duration_hours, whose quote the plan chooses within the cap.", intent.planARN, intent.offeringID))
	}
	return intent, diags
}

// readPlanBeforePurchase checks that the provider can reach a plan and reads its shared
// history, within a bounded context that the caller cancels.
func readPlanBeforePurchase(ctx context.Context, pd *providerData, planARN string) (context.Context, context.CancelFunc, []awstypes.TrainingPlanExtension, diag.Diagnostics) {
	ctx, cancel, diags := pd.readPlan(ctx, planARN)
	if diags.HasError() {
		return ctx, cancel, nil, diags
	}
	history, err := pd.history.get(ctx, planARN)
	if err != nil {
		diags.AddAttributeError(path.Root("training_plan_arn"), fmt.Sprintf("reading SageMaker training plan (%s) before purchasing", planARN), err.Error())
	}
	return ctx, cancel, history, diags
}

// checkPlannedPurchase refuses a planned purchase above its cap, of hours that an extension
// already covers, or that another purchase of this run plans to buy, or that the provider's
// guardrails forbid, and otherwise records its hours and price as planned. A blind purchase
// (no terms) is priced at its cap.
func checkPlannedPurchase(pd *providerData, held *heldClaims, intent purchaseIntent, history []awstypes.TrainingPlanExtension) diag.Diagnostics {
	var diags diag.Diagnostics
	if covering, ok := coveringExtension(history, intent.hours, intent.offeringID); ok {
		diags.AddAttributeError(path.Root("training_plan_arn"), "hours already bought", hoursAlreadyBought(intent.planARN, intent.hours, *covering))
		return diags
	}
	if intent.terms != nil {
		if diags = intent.checkCap(); diags.HasError() {
			return diags
		}
	}
	if diags = pd.spend.checkAllowed(intent.String()); diags.HasError() {
		return diags
	}
	if budget := pd.spend.budget; budget != nil {
		cost := intent.price()
		if intent.terms == nil && intent.maxFee != "" {
			cost.amount, _ = new(big.Rat).SetString(intent.maxFee)
			cost.text = intent.maxFee
		}
		if diags = budget.plan(cost, intent.String()); diags.HasError() {
			return diags
		}
	}
	release, planned, ok := pd.planned.claim(intent.planARN, intent.hours)
	if ok {
		held.releases = append(held.releases, release)
	} else {
		diags.AddAttributeError(path.Root("training_plan_arn"), "two purchases of the same hours",
			fmt.Sprintf("Another sagemaker_training_plan_extension of this configuration (with the same provider configuration) already plans to buy %s, "+
				"and this one plans to buy %s. AWS quotes extensions only from the current end of a training plan, "+
				"so every purchase for one plan in one apply would buy the same hours: only the first could be bought. "+
				"A purchase whose training plan is known only after apply may be for any plan. Nothing was bought.\n\n"+
				"- To buy more hours at once, declare one extension of the total length (requested_duration_hours), "+
				"instead of several resources (count or for_each) for the same training plan.\n"+
				"- To buy several extensions one after the other, apply them one at a time (terraform apply -target=<address>): "+
				"each plan then quotes the hours after the extensions bought before it.", planned.describe(), purchaseScope(intent)))
	}
	return diags
}

// claimHold is how long the plan of a purchase keeps its hours claimed before it returns, so
// that the plans Terraform runs side by side (count, for_each, independent resources) overlap.
const claimHold = 200 * time.Millisecond

// plannedPurchases are the hours that the purchases being planned, by this provider
// configuration, claim, by training plan (the empty key for purchases whose plan is known only
// after apply). A claim lasts while its plan is in progress: Terraform plans the creates of one
// walk side by side, and plans a resource again only in a later walk, after the earlier one
// returned, whether in a new provider process or, as terraform test does, in the same one.
type plannedPurchases struct {
	mu     sync.Mutex
	byPlan map[string][]*plannedHours
}

// plannedHours are a purchase's planned hours.
type plannedHours struct {
	planARN string
	hours   window
}

func (h plannedHours) describe() string {
	if h.planARN == "" {
		return "an extension of a training plan known only after apply"
	}
	return fmt.Sprintf("the hours %s of training plan %s", h.hours, h.planARN)
}

// claim records hours as planned, or returns the planned purchase they overlap. A purchase of
// an unknown plan overlaps every other. release forgets the claim.
func (p *plannedPurchases) claim(planARN string, hours window) (release func(), conflict plannedHours, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for plan, planned := range p.byPlan {
		if plan != planARN && plan != "" && planARN != "" {
			continue
		}
		for _, other := range planned {
			if plan == "" || planARN == "" || other.hours.overlapsWindow(hours) {
				return nil, *other, false
			}
		}
	}
	if p.byPlan == nil {
		p.byPlan = map[string][]*plannedHours{}
	}
	claimed := &plannedHours{planARN: planARN, hours: hours}
	p.byPlan[planARN] = append(p.byPlan[planARN], claimed)
	return func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.byPlan[planARN] = slices.DeleteFunc(p.byPlan[planARN], func(h *plannedHours) bool { return h == claimed })
	}, plannedHours{}, true
}

// heldClaims are the claims one plan made; releasing them, when the plan returns, holds them
// for claimHold first.
type heldClaims struct{ releases []func() }

func (h *heldClaims) release() {
	if len(h.releases) == 0 {
		return
	}
	time.Sleep(claimHold)
	for _, release := range h.releases {
		release()
	}
}

// purchaseScope says what hours a planned purchase claims, for messages.
func purchaseScope(intent purchaseIntent) string {
	return plannedHours{planARN: intent.planARN, hours: intent.hours}.describe()
}

// purchaseNotice says what applying will buy and that it cannot be undone.
func purchaseNotice(plan trainingPlanExtensionModel, what string) string {
	return fmt.Sprintf("Applying buys %s. Extensions are non-refundable and cannot be cancelled.", describePurchase(plan, what))
}

// describePurchase says what a plan buys (what, or as much as the plan knows) and for which
// training plan.
func describePurchase(plan trainingPlanExtensionModel, what string) string {
	switch {
	case what != "":
	case !plan.TrainingPlanExtensionOfferingID.IsUnknown() && !plan.TrainingPlanExtensionOfferingID.IsNull():
		what = "offering " + plan.TrainingPlanExtensionOfferingID.ValueString()
	case !plan.RequestedDurationHours.IsNull() && !plan.RequestedDurationHours.IsUnknown():
		what = fmt.Sprintf("an extension of %d hours", hoursOf(plan.RequestedDurationHours))
	default:
		what = "an extension"
	}
	target := "the training plan"
	if !plan.TrainingPlanARN.IsUnknown() {
		target = "training plan " + plan.TrainingPlanARN.ValueString()
	}
	return what + " for " + target
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
