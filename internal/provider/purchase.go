package provider

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// reconcileTimeout bounds the history reads after an ambiguous purchase failure. They run even
// when the create timeout has run out, because only they can tell whether money was spent.
const reconcileTimeout = 2 * time.Minute

// purchaseLocks serializes the purchases by duration for each training plan within a run, so
// that two resources never buy, or reconcile, the same quote at the same moment.
type purchaseLocks struct {
	mu    sync.Mutex
	plans map[string]*sync.Mutex
}

// lock takes the plan's purchase lock and returns its release.
func (l *purchaseLocks) lock(planARN string) func() {
	l.mu.Lock()
	if l.plans == nil {
		l.plans = map[string]*sync.Mutex{}
	}
	planLock, ok := l.plans[planARN]
	if !ok {
		planLock = &sync.Mutex{}
		l.plans[planARN] = planLock
	}
	l.mu.Unlock()
	planLock.Lock()
	return planLock.Unlock
}

// purchaseDeclaredOffering buys a declared offering unless the plan's history shows it was
// bought already (an earlier apply whose state was lost, or an extension bought by hand), in
// which case it adopts that extension.
func purchaseDeclaredOffering(ctx context.Context, pd *providerData, planARN, offeringID string) (*awstypes.TrainingPlanExtension, diag.Diagnostics) {
	var diags diag.Diagnostics
	existing, err := pd.history.findExtension(ctx, planARN, offeringID)
	switch {
	case err == nil:
		diags.AddWarning("adopted an existing SageMaker training plan extension",
			fmt.Sprintf("Offering %s was already bought for training plan %s (extended at %s), for example by an earlier apply whose state was lost. "+
				"No purchase was made; the existing extension is now managed by this resource.",
				offeringID, planARN, aws.ToTime(existing.ExtendedAt).UTC().Format(time.RFC3339)))
		return existing, diags
	case !isNotFound(err):
		diags.AddError(purchaseSummary(offeringID), fmt.Sprintf("reading the history of training plan %s before purchasing, to make sure the offering was not bought already: %s", planARN, err))
		return nil, diags
	}
	bought, buyDiags := buyOffering(ctx, pd, planARN, offeringID)
	diags.Append(buyDiags...)
	if bought != nil && len(buyDiags) == 0 {
		diags.Append(checkBoughtForDeclaredPlan(ctx, pd, planARN, offeringID)...)
	}
	return bought, diags
}

// checkBoughtForDeclaredPlan warns when a purchase does not show in the declared plan's
// history: AWS takes the plan from the offering ID alone, so an offering quoted for another
// plan extends that one. The extension stays in state either way, so nothing buys it again.
// The purchase invalidated the plan's shared history, so the scan it reads started after the
// purchase, and one scan serves every resource bought for the plan at the same time.
func checkBoughtForDeclaredPlan(ctx context.Context, pd *providerData, planARN, offeringID string) diag.Diagnostics {
	var diags diag.Diagnostics
	_, err := pd.history.findExtension(ctx, planARN, offeringID)
	if isNotFound(err) {
		diags.AddWarning("SageMaker training plan extension bought for another training plan",
			fmt.Sprintf("Offering %s was bought, but the history of training plan %s does not list it: the offering belongs to another training plan, "+
				"and AWS extended that one. The extension is kept in state so that nothing buys it again. "+
				"Import it under the plan it belongs to, and stop managing this resource with a removed block or terraform state rm.",
				offeringID, planARN))
	}
	return diags
}

// purchaseQuote buys the quote a plan by duration showed: a fresh search must offer a quote
// with exactly the planned terms. A quote already bought, even by this configuration's other
// resources, is never adopted: two resources must never track one extension. When the plan
// could not choose (the training plan was unknown), the quote is chosen now, within the cap.
func purchaseQuote(ctx context.Context, pd *providerData, req quoteRequest, planned *quoteTerms) (*awstypes.TrainingPlanExtension, diag.Diagnostics) {
	var diags diag.Diagnostics
	summary := fmt.Sprintf("purchasing a %d-hour SageMaker training plan extension (%s)", req.hours, req.planARN)
	// Resources of one run that ask for the same plan and length choose the same quote: one at
	// a time, each searches after the last one bought, so none finds its quote taken mid-purchase.
	release := pd.purchases.lock(req.planARN)
	defer release()
	offerings, err := searchOfferings(ctx, pd, req.planARN, &req.hours)
	if err != nil {
		diags.AddError(summary, fmt.Sprintf("searching the offerings: %s\n\nNothing was bought.", err))
		return nil, diags
	}
	var quote *awstypes.TrainingPlanExtensionOffering
	if planned != nil {
		var ok bool
		if quote, ok = findQuote(offerings, *planned); !ok {
			diags.AddError(summary, fmt.Sprintf("the quote this plan showed (%s) is no longer offered: it expired, was bought, or its price changed. "+
				"Nothing was bought. Run terraform plan again to see the current quote.", planned))
			return nil, diags
		}
	} else if quote, err = chooseQuote(offerings, req); err != nil {
		diags.AddError(summary, err.Error())
		return nil, diags
	}
	x, buyDiags := buyOffering(ctx, pd, req.planARN, aws.ToString(quote.TrainingPlanExtensionOfferingId))
	diags.Append(buyDiags...)
	if x != nil && x.UpfrontFee == nil {
		// The purchase's outcome is unknown: keep the quote's terms, which the plan showed.
		x.StartDate, x.EndDate, x.DurationHours = quote.StartDate, quote.EndDate, quote.DurationHours
		x.UpfrontFee, x.CurrencyCode, x.AvailabilityZone = quote.UpfrontFee, quote.CurrencyCode, quote.AvailabilityZone
	}
	return x, diags
}

// buyOffering calls ExtendTrainingPlan once and returns the extension it bought, or nil with
// an error when nothing was bought. When that is unknown, it returns a record holding only the
// offering ID, with a warning, so that state keeps the offering and nothing buys in its place.
//
// ExtendTrainingPlan spends money and takes no idempotency token, so the purchase is retried
// only when AWS certainly did not act on it, and after any other failure the plan's history
// decides whether the purchase happened.
func buyOffering(ctx context.Context, pd *providerData, planARN, offeringID string) (*awstypes.TrainingPlanExtension, diag.Diagnostics) {
	var diags diag.Diagnostics
	summary := purchaseSummary(offeringID)
	tflog.Info(ctx, "purchasing SageMaker training plan extension", map[string]any{"training_plan_arn": planARN, "offering_id": offeringID})
	out, err := pd.sageMaker.ExtendTrainingPlan(ctx, &sagemaker.ExtendTrainingPlanInput{
		TrainingPlanExtensionOfferingId: aws.String(offeringID),
	}, withPurchaseRetryPolicy)
	// Whatever the outcome, the history may have changed: later reads must scan it again.
	pd.history.invalidate(planARN)
	if err == nil {
		// The response lists the extensions of the plan the offering belongs to, which AWS
		// takes from the offering ID alone.
		if x, err := extensionByOfferingID(out.TrainingPlanExtensions, planARN, offeringID); err == nil {
			return x, diags
		}
		err = errors.New("the response does not list the new extension")
	} else if purchaseCertainlyNotMade(err) {
		if errorCode(err) == "ResourceNotFound" {
			diags.AddAttributeError(path.Root("training_plan_extension_offering_id"), summary,
				fmt.Sprintf("AWS does not sell offering %q: it does not exist, has expired, or was bought already. Nothing was bought.\n\n"+
					"Offerings are quotes that expire: search again (the sagemaker_training_plan_extension_offerings data source), "+
					"or let the plan choose a quote with requested_duration_hours.\n\n%s", offeringID, err))
			return nil, diags
		}
		diags.AddError(summary, err.Error())
		return nil, diags
	}

	// The request may have reached AWS: only a fresh read of the plan's history can tell whether
	// it bought. It runs even when the create timeout has run out.
	reconcileCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), reconcileTimeout)
	defer cancel()
	bought, historyErr := reconcilePurchase(reconcileCtx, pd, planARN, offeringID, awsAnswered(err))
	switch {
	case historyErr == nil:
		diags.AddWarning("SageMaker training plan extension purchased despite an error",
			fmt.Sprintf("The purchase of offering %s returned an error (%s), but the history of training plan %s shows the extension was bought. "+
				"It is stored in state; no second purchase was attempted.", offeringID, err, planARN))
		return bought, diags
	case isNotFound(historyErr) && awsAnswered(err):
		diags.AddError(summary, fmt.Sprintf("%s\n\nThe history of training plan %s shows no purchase of this offering, so nothing was bought.", err, planARN))
		return nil, diags
	}
	// Buying again could buy twice, and failing would leave nothing in state to stop the next
	// apply from buying again: keep the offering in state until a refresh can tell.
	diags.AddWarning("SageMaker training plan extension may have been purchased",
		fmt.Sprintf("The purchase of offering %s got no answer from AWS (%s), and the history of training plan %s does not show it (%s), "+
			"so whether it was bought is unknown: the request may still be processed. "+
			"The offering is stored in state so that no later apply buys another extension in its place; every refresh reads the history again. "+
			"If refreshes keep warning that the extension is not in the plan's history, nothing was bought: replace this resource (terraform apply -replace) to buy.",
			offeringID, err, planARN, historyErr))
	return &awstypes.TrainingPlanExtension{TrainingPlanExtensionOfferingId: aws.String(offeringID)}, diags
}

// reconcileWaits are the pauses between history reads while a purchase that got no answer
// may still be processed. Once AWS has answered, one read is enough.
var reconcileWaits = []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second}

// reconcilePurchase looks a purchase up in fresh reads of the plan's history.
func reconcilePurchase(ctx context.Context, pd *providerData, planARN, offeringID string, answered bool) (*awstypes.TrainingPlanExtension, error) {
	bought, err := findExtensionByOfferingID(ctx, pd.sageMaker, planARN, offeringID)
	for _, wait := range reconcileWaits {
		if answered || !isNotFound(err) {
			break
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
		bought, err = findExtensionByOfferingID(ctx, pd.sageMaker, planARN, offeringID)
	}
	return bought, err
}

// awsAnswered reports whether AWS sent a response: the request was processed to the end. The
// SDK wraps a timeout or a lost connection in a ResponseError too, with no status.
func awsAnswered(err error) bool {
	var respErr *awshttp.ResponseError
	return errors.As(err, &respErr) && respErr.HTTPStatusCode() != 0
}

func purchaseSummary(offeringID string) string {
	return fmt.Sprintf("purchasing SageMaker training plan extension (%s)", offeringID)
}

// withPurchaseRetryPolicy retries a purchase only when AWS certainly did not act on it: the
// connection was never made, or the service throttled the call. A timeout, a reset connection
// or a 5xx may follow a purchase that happened, so those are never retried.
func withPurchaseRetryPolicy(o *sagemaker.Options) {
	maxAttempts := o.RetryMaxAttempts
	o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
		if maxAttempts > 0 {
			so.MaxAttempts = maxAttempts
		}
		so.RateLimiter = ratelimit.None
		so.Retryables = []retry.IsErrorRetryable{
			retry.NoRetryCanceledError{},
			retry.RetryableErrorCode{Codes: retry.DefaultThrottleErrorCodes},
			retry.IsErrorRetryableFunc(func(err error) aws.Ternary {
				return aws.BoolTernary(requestNeverSent(err))
			}),
		}
	})
}

// requestNeverSent reports errors raised before a connection to AWS existed.
func requestNeverSent(err error) bool {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	return errors.As(err, &dnsErr) || (errors.As(err, &opErr) && opErr.Op == "dial")
}

// purchaseCertainlyNotMade reports failures after which no extension can have been bought:
// the request never left, or AWS answered with a client error (it validates before it acts).
// The SDK wraps a refused connection in a ResponseError too, with no status, so that check
// comes first.
func purchaseCertainlyNotMade(err error) bool {
	if requestNeverSent(err) {
		return true
	}
	var respErr *awshttp.ResponseError
	if errors.As(err, &respErr) {
		status := respErr.HTTPStatusCode()
		return status >= 400 && status < 500
	}
	return false
}
