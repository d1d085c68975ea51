package provider

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// historyReads are how a run reads training plans' extension histories for what serves it:
// refreshes, data sources, and what a plan shows. A check that guards a purchase reads fresh
// instead (findExtensionFresh).
type historyReads interface {
	get(ctx context.Context, planARN string) ([]awstypes.TrainingPlanExtension, error)
	// invalidate drops what is known of a plan's history, after a purchase changed it.
	invalidate(planARN string)
}

// historyCache shares each training plan's scan among the run's reads: the provider's way.
type historyCache struct {
	client *sagemaker.Client
	scans  runCache[[]awstypes.TrainingPlanExtension]
}

// sharedHistoryScans builds the provider's history reads.
func sharedHistoryScans(client *sagemaker.Client) historyReads {
	return newHistoryCache(client)
}

func newHistoryCache(client *sagemaker.Client) *historyCache {
	return &historyCache{client: client, scans: runCache[[]awstypes.TrainingPlanExtension]{ttl: historyTTL}}
}

// get returns the plan's history, scanning it only when no recent or running scan can serve.
func (c *historyCache) get(ctx context.Context, planARN string) ([]awstypes.TrainingPlanExtension, error) {
	return c.scans.get(ctx, planARN, planARN, func(ctx context.Context) ([]awstypes.TrainingPlanExtension, error) {
		return listExtensionHistory(ctx, c.client, planARN)
	})
}

func (c *historyCache) invalidate(planARN string) {
	c.scans.invalidate(planARN)
}

// historyScanPerRead scans a plan's history for every read: the naive way, which make bench
// measures beside the cache.
type historyScanPerRead struct {
	client *sagemaker.Client
}

func newHistoryScanPerRead(client *sagemaker.Client) historyReads {
	return historyScanPerRead{client: client}
}

func (h historyScanPerRead) get(ctx context.Context, planARN string) ([]awstypes.TrainingPlanExtension, error) {
	return listExtensionHistory(ctx, h.client, planARN)
}

func (h historyScanPerRead) invalidate(string) {}

// findExtensionShared looks an extension up in its plan's history as the run reads it.
func findExtensionShared(ctx context.Context, reads historyReads, planARN, offeringID string) (*awstypes.TrainingPlanExtension, error) {
	history, err := reads.get(ctx, planARN)
	if err != nil {
		return nil, err
	}
	return extensionByOfferingID(history, planARN, offeringID)
}
