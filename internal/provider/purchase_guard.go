package provider

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/gofrs/flock"
)

// window is a span of a training plan's hours. A window without an end runs on from its
// start: an offering whose length is not known, which can only be bought from its start on.
type window struct {
	start, end time.Time
}

func (w window) overlaps(x awstypes.TrainingPlanExtension) bool {
	return w.overlapsWindow(window{start: aws.ToTime(x.StartDate), end: aws.ToTime(x.EndDate)})
}

func (w window) overlapsWindow(other window) bool {
	return (w.end.IsZero() || other.start.Before(w.end)) && (other.end.IsZero() || w.start.Before(other.end))
}

func (w window) String() string {
	switch {
	case w.start.IsZero():
		return "at any time"
	case w.end.IsZero():
		return "from " + w.start.Format(time.RFC3339)
	}
	return fmt.Sprintf("from %s to %s", w.start.Format(time.RFC3339), w.end.Format(time.RFC3339))
}

// coveringExtension returns an extension of the history, not failed, that already covers
// hours of the window, other than the offering's own.
func coveringExtension(history []awstypes.TrainingPlanExtension, w window, offeringID string) (*awstypes.TrainingPlanExtension, bool) {
	for i, x := range history {
		if aws.ToString(x.Status) != statusFailed && aws.ToString(x.TrainingPlanExtensionOfferingId) != offeringID && w.overlaps(x) {
			return &history[i], true
		}
	}
	return nil, false
}

// hoursAlreadyBought explains a refused purchase: the extension that covers its hours.
func hoursAlreadyBought(planARN string, w window, covering awstypes.TrainingPlanExtension) string {
	return fmt.Sprintf("The hours %s of training plan %s are already covered by extension %s (%d hours %s, bought at %s, status %s): "+
		"buying would pay for the same hours twice. Nothing was bought. If a resource of another provider configuration, workspace or "+
		"configuration bought it, that resource tracks it: remove this one, or plan again, which quotes the hours after it. If nothing tracks it "+
		"(an interrupted apply or a purchase outside Terraform bought it) and it is the one this resource should manage, adopt it with an import block (id = %q).",
		w, planARN, aws.ToString(covering.TrainingPlanExtensionOfferingId), aws.ToInt32(covering.DurationHours),
		window{start: aws.ToTime(covering.StartDate), end: aws.ToTime(covering.EndDate)},
		aws.ToTime(covering.ExtendedAt).UTC().Format(time.RFC3339), aws.ToString(covering.Status),
		extensionID(planARN, aws.ToString(covering.TrainingPlanExtensionOfferingId)))
}

// lockDir holds the purchase locks that every provider process of this machine's user shares.
var lockDir = filepath.Join(os.TempDir(), fmt.Sprintf("terraform-provider-sagemaker-purchases-%d", os.Getuid()))

// lockScope is the part of a SageMaker endpoint that tells purchase locks apart: none for AWS's
// own endpoints, whichever URL names them (the default, a Region's, a VPC endpoint), and the
// URL of any other, such as an emulator's.
func lockScope(endpoint string) string {
	u, err := url.Parse(endpoint)
	if endpoint == "" || err != nil {
		return endpoint
	}
	for _, suffix := range []string{".amazonaws.com", ".amazonaws.com.cn", ".api.aws"} {
		if strings.HasSuffix(u.Hostname(), suffix) {
			return ""
		}
	}
	return endpoint
}

// lockPlanPurchases takes the training plan's purchase lock and returns its release. The lock
// is a file lock, so it orders the purchases of every provider process on this machine: the
// provider configurations (aliases) of one apply, and concurrent applies of other workspaces.
// Each purchase reads the plan's history fresh under it, so a second purchase of the same
// hours sees the first. Machines share no lock; the fresh read narrows their race to the
// time between the read and the purchase. The lock is the plan's at one SageMaker endpoint:
// AWS's, or a custom one such as an emulator's.
func lockPlanPurchases(ctx context.Context, scope, planARN string) (func(), error) {
	if err := os.MkdirAll(lockDir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the purchase lock directory: %w", err)
	}
	sum := sha256.Sum256([]byte(scope + "\x00" + planARN))
	lock := flock.New(filepath.Join(lockDir, hex.EncodeToString(sum[:16])+".lock"))
	locked, err := lock.TryLockContext(ctx, 50*time.Millisecond)
	if err != nil || !locked {
		return nil, fmt.Errorf("waiting for the purchase lock of training plan %s (%s): %w", planARN, lock.Path(), cmp.Or(err, ctx.Err()))
	}
	return func() { _ = lock.Unlock() }, nil
}
