package provider

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// historyCache is the run's shared scan of each training plan's extension history, for the
// reads that serve a run: refreshes, data sources, and what a plan shows. A check that
// guards a purchase reads fresh instead (findExtensionFresh).
type historyCache struct {
	client *sagemaker.Client
	scans  runCache[[]awstypes.TrainingPlanExtension]
}

func newHistoryCache(client *sagemaker.Client) *historyCache {
	return &historyCache{client: client, scans: runCache[[]awstypes.TrainingPlanExtension]{ttl: historyTTL}}
}

// get returns the plan's history, scanning it only when no recent or running scan can serve.
func (c *historyCache) get(ctx context.Context, planARN string) ([]awstypes.TrainingPlanExtension, error) {
	if !sharedHistoryScans {
		return listExtensionHistory(ctx, c.client, planARN)
	}
	return c.scans.get(ctx, planARN, planARN, func(ctx context.Context) ([]awstypes.TrainingPlanExtension, error) {
		return listExtensionHistory(ctx, c.client, planARN)
	})
}

// invalidate drops what is known of a plan's history, after a purchase changed it.
func (c *historyCache) invalidate(planARN string) {
	c.scans.invalidate(planARN)
}

// findExtensionShared looks an extension up in its plan's shared history.
func (c *historyCache) findExtensionShared(ctx context.Context, planARN, offeringID string) (*awstypes.TrainingPlanExtension, error) {
	history, err := c.get(ctx, planARN)
	if err != nil {
		return nil, err
	}
	return extensionByOfferingID(history, planARN, offeringID)
}
