package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

const (
	statusPending = "Pending"
	statusFailed  = "Failed"
)

// Polling backs off from the first interval to the longest, so a quick settlement is seen
// quickly and a slow one does not hammer the API.
var (
	settlePollFirst   = time.Second
	settlePollLongest = 15 * time.Second
)

// extensionFailedError means AWS reports the purchase itself as failed.
type extensionFailedError struct {
	status, paymentStatus string
}

func (e *extensionFailedError) Error() string {
	return fmt.Sprintf("the extension has status %s and payment status %s: AWS did not complete the purchase. "+
		"The offering cannot be bought again; search for a new offering and declare a new resource for it", e.status, e.paymentStatus)
}

// waitExtensionSettled polls the plan's history, starting from the extension as last seen,
// until the extension and its payment are no longer Pending. Scheduled and Active are success;
// Failed is an error. An extension that is settled already costs no call. It returns the last
// extension seen, so the caller can store it even when the wait ends in an error.
func waitExtensionSettled(ctx context.Context, client *sagemaker.Client, planARN string, x *awstypes.TrainingPlanExtension) (*awstypes.TrainingPlanExtension, error) {
	offeringID := aws.ToString(x.TrainingPlanExtensionOfferingId)
	delay := settlePollFirst
	for {
		status, payment := aws.ToString(x.Status), aws.ToString(x.PaymentStatus)
		if status == statusFailed || payment == statusFailed {
			return x, &extensionFailedError{status: status, paymentStatus: payment}
		}
		if status != statusPending && payment != statusPending {
			return x, nil
		}
		select {
		case <-ctx.Done():
			return x, fmt.Errorf("still %s (payment %s) when the create timeout ran out: %w", status, payment, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(delay*3/2, settlePollLongest)
		next, err := findExtensionByOfferingID(ctx, client, planARN, offeringID)
		if err != nil {
			return x, err
		}
		x = next
	}
}
