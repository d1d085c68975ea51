package provider

import (
	"context"
	"errors"
	"fmt"
	"net"
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

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/sdkhttp"
)

// purchaseTiming bounds a purchase: each ExtendTrainingPlan attempt, and the pauses between
// the fresh history reads that look for a purchase that got no answer.
type purchaseTiming struct {
	attemptTimeout time.Duration
	reconcileWaits []time.Duration
}

// defaultPurchaseTiming: AWS answers a purchase within seconds, so an attempt that takes a
// minute is lost; a purchase that got no answer is looked for in the history for 30 seconds.
var defaultPurchaseTiming = purchaseTiming{
	attemptTimeout: time.Minute,
	reconcileWaits: []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second},
}

// reconcileTimeout bounds the history reads after an ambiguous purchase failure. They run even
// when the create timeout has run out, because only they can tell whether money was spent.
const reconcileTimeout = 2 * time.Minute

// buyOffering calls ExtendTrainingPlan once and says what it did. Only an answer that AWS
// refused the purchase (a 4xx), or an error before the request left, means nothing was bought.
// AWS accepting it (a 2xx, even one whose body was lost) means it was bought. Anything else,
// a 5xx or no answer, may have followed a purchase: fresh reads of the plan's history decide,
// and when they cannot, the outcome is unknown, and the next plan settles it.
//
// ExtendTrainingPlan spends money and takes no idempotency token, so an attempt is repeated
// only when AWS certainly did not act on it, and each attempt is bounded, so that a call that
// never answers is reconciled instead of waiting out the create timeout.
func buyOffering(ctx context.Context, pd *providerData, planARN, offeringID string) (purchase, diag.Diagnostics) {
	var diags diag.Diagnostics
	summary := purchaseSummary(offeringID)
	tflog.Info(ctx, "purchasing SageMaker training plan extension", map[string]any{"training_plan_arn": planARN, "offering_id": offeringID})
	out, err := pd.sageMaker.ExtendTrainingPlan(ctx, &sagemaker.ExtendTrainingPlanInput{
		TrainingPlanExtensionOfferingId: aws.String(offeringID),
	}, withPurchaseRetryPolicy, withAttemptTimeout(pd.timing.attemptTimeout))
	// Whatever the outcome, the plan may have changed: later reads must read it again.
	pd.invalidate(planARN)
	if err == nil {
		// The response lists the extensions of the plan the offering belongs to, which AWS
		// takes from the offering ID alone.
		if x, err := extensionByOfferingID(out.TrainingPlanExtensions, planARN, offeringID); err == nil {
			return purchase{outcome: purchaseBought, offeringID: offeringID, extension: x}, diags
		}
	} else if purchaseCertainlyNotMade(err) {
		var missing *awstypes.ResourceNotFound
		if errors.As(err, &missing) {
			diags.AddAttributeError(path.Root("training_plan_extension_offering_id"), summary,
				fmt.Sprintf("AWS does not sell offering %q: it does not exist, has expired, or was bought already. Nothing was bought.\n\n"+
					"Offerings are quotes that expire: search again (the sagemaker_training_plan_extension_offerings data source), "+
					"or let the plan choose a quote with requested_duration_hours.\n\n%s", offeringID, err))
			return purchase{outcome: purchaseNotMade, offeringID: offeringID, offeringGone: true}, diags
		}
		diags.AddError(summary, fmt.Sprintf("%s\n\nNothing was bought.", err))
		return purchase{outcome: purchaseNotMade, offeringID: offeringID}, diags
	}
	return reconcileAnswer(ctx, pd, planARN, offeringID, err)
}

// reconcileAnswer says what a purchase that AWS accepted, or may have, bought: a fresh read of
// the plan's history decides. It runs even when the create timeout has run out, and keeps
// reading for a while when the purchase may still be processed.
func reconcileAnswer(ctx context.Context, pd *providerData, planARN, offeringID string, err error) (purchase, diag.Diagnostics) {
	var diags diag.Diagnostics
	accepted := err == nil || awsAccepted(err)
	reconcileCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), reconcileTimeout)
	defer cancel()
	bought, historyErr := reconcilePurchase(reconcileCtx, pd, planARN, offeringID, !accepted)
	switch {
	case historyErr == nil && err != nil:
		diags.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) bought despite an error", offeringID),
			fmt.Sprintf("The purchase of offering %s returned an error (%s), but the history of training plan %s shows the extension was bought. "+
				"It is stored in state; no second purchase was attempted.", offeringID, err, planARN))
		return purchase{outcome: purchaseBought, offeringID: offeringID, extension: bought}, diags
	case historyErr == nil:
		return purchase{outcome: purchaseBought, offeringID: offeringID, extension: bought}, diags
	case accepted:
		// Bought, for certain: state keeps it with the terms the plan showed, and refreshes
		// read the rest once the history lists it.
		answer := "its answer does not list the extension"
		if err != nil {
			answer = err.Error()
		}
		diags.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) bought, not yet in its training plan's history", offeringID),
			fmt.Sprintf("AWS accepted the purchase of offering %s (%s), but the history of training plan %s does not list it yet (%s). "+
				"It is stored in state with the terms the plan showed, and is never bought again; later refreshes read the rest.",
				offeringID, answer, planARN, historyErr))
		return purchase{outcome: purchaseBought, offeringID: offeringID}, diags
	}
	// Buying again now could buy twice, and failing would leave nothing in state to stop a
	// later apply from buying other hours in its place: keep the offering in state, and let
	// the next plan settle it.
	diags.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) purchase unconfirmed", offeringID),
		fmt.Sprintf("The purchase of offering %s got no clear answer from AWS (%s), and the history of training plan %s does not show it (%s), "+
			"so whether it was bought is unknown: the request may still be processed. The offering is stored in state, and nothing else is bought in its place. "+
			"The next plan settles it: if the history shows the extension by then, the refresh adopts it; if not, the plan shows the purchase of this same offering "+
			"again (an offering can be bought only once, so it can never be paid twice), and the next apply buys it. "+
			"`terraform plan -detailed-exitcode` exits 2 while the purchase is pending.",
			offeringID, err, planARN, historyErr))
	return purchase{outcome: purchaseUnknown, offeringID: offeringID}, diags
}

// reconcilePurchase looks a purchase up in a fresh read of the plan's history and, while the
// purchase may still be processed (wait), in more reads after each of the timing's pauses.
func reconcilePurchase(ctx context.Context, pd *providerData, planARN, offeringID string, wait bool) (*awstypes.TrainingPlanExtension, error) {
	bought, err := findExtensionFresh(ctx, pd.sageMaker, planARN, offeringID)
	for _, pause := range pd.timing.reconcileWaits {
		if !wait || !isNotFound(err) {
			break
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(pause):
		}
		bought, err = findExtensionFresh(ctx, pd.sageMaker, planARN, offeringID)
	}
	return bought, err
}

// awsAccepted reports an answer with a 2xx status whose body could not be read: AWS acted on
// the request. The SDK wraps a lost connection or a timeout in a ResponseError too, with no
// status.
func awsAccepted(err error) bool {
	var respErr *awshttp.ResponseError
	return errors.As(err, &respErr) && respErr.HTTPStatusCode() >= 200 && respErr.HTTPStatusCode() < 300
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

// withAttemptTimeout bounds each HTTP attempt of a call, not the call with its retries: a
// throttled purchase may take minutes of retries, an attempt that never answers may not.
func withAttemptTimeout(timeout time.Duration) func(*sagemaker.Options) {
	return func(o *sagemaker.Options) {
		o.HTTPClient = sdkhttp.WithAttemptTimeout(o.HTTPClient, timeout)
	}
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
