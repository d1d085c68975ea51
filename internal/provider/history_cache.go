package provider

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"golang.org/x/sync/singleflight"
)

// historyCacheTTL bounds how long a scan is reused. Terraform configures a fresh provider for
// every run, so a change made outside Terraform is always seen by the next run; within a run
// the TTL only spares the refreshes of many extensions of one plan from scanning it again.
const historyCacheTTL = 30 * time.Second

// historyCache shares scans of a training plan's extension history: concurrent reads of one
// plan wait for the scan in flight, and later reads reuse it for historyCacheTTL.
type historyCache struct {
	client *sagemaker.Client
	scans  singleflight.Group

	mu          sync.Mutex
	scanned     map[string]cachedHistory
	generations map[string]int // bumped by invalidate, so a scan older than a purchase is not kept
}

type cachedHistory struct {
	history   []awstypes.TrainingPlanExtension
	scannedAt time.Time
}

func newHistoryCache(client *sagemaker.Client) *historyCache {
	return &historyCache{client: client, scanned: map[string]cachedHistory{}, generations: map[string]int{}}
}

// get returns the plan's history, scanning it only when no recent or running scan can serve.
func (c *historyCache) get(ctx context.Context, planARN string) ([]awstypes.TrainingPlanExtension, error) {
	if !sharedHistoryScans {
		return listExtensionHistory(ctx, c.client, planARN)
	}
	if history, ok, _ := c.fresh(planARN); ok {
		return history, nil
	}

	// The scan runs with the first caller's context; when that is cancelled, the callers
	// sharing the scan see the error and nothing is cached, so the next read scans again.
	result := c.scans.DoChan(planARN, func() (any, error) {
		// A scan that finished between the check above and this one joining no scan in
		// flight has just cached the history: use it rather than scan again.
		history, ok, generation := c.fresh(planARN)
		if ok {
			return history, nil
		}
		history, err := listExtensionHistory(ctx, c.client, planARN)
		if err == nil {
			c.mu.Lock()
			if c.generations[planARN] == generation {
				c.scanned[planARN] = cachedHistory{history: history, scannedAt: time.Now()}
			}
			c.mu.Unlock()
		}
		return history, err
	})
	select {
	case r := <-result:
		history, _ := r.Val.([]awstypes.TrainingPlanExtension)
		return history, r.Err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// fresh returns the plan's cached history while it is younger than historyCacheTTL, and the
// plan's generation, which a scan started now must still have when it ends to be cached.
func (c *historyCache) fresh(planARN string) (history []awstypes.TrainingPlanExtension, ok bool, generation int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cached, ok := c.scanned[planARN]
	if !ok || time.Since(cached.scannedAt) >= historyCacheTTL {
		return nil, false, c.generations[planARN]
	}
	return cached.history, true, c.generations[planARN]
}

// invalidate drops what is known of a plan's history, after a purchase changed it.
func (c *historyCache) invalidate(planARN string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.scanned, planARN)
	c.generations[planARN]++
	c.scans.Forget(planARN)
}

// findExtension looks an extension up in its plan's shared history.
func (c *historyCache) findExtension(ctx context.Context, planARN, offeringID string) (*awstypes.TrainingPlanExtension, error) {
	history, err := c.get(ctx, planARN)
	if err != nil {
		return nil, err
	}
	return extensionByOfferingID(history, planARN, offeringID)
}
