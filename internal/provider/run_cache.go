package provider

import (
	"context"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// historyTTL is how long a read of a plan's history is reused: long enough for the refresh of
// many extensions of the plan, which Terraform runs side by side, to share one scan, and short,
// because a provider process does not always live for one run only: terraform test keeps one
// for all the runs of a test file.
const historyTTL = 5 * time.Second

// runCache shares reads of AWS: concurrent reads of a key wait for the one in flight, and later
// reads reuse its result for ttl (none for a zero ttl). Every key belongs to a training plan,
// and invalidating the plan drops what was read of it, so that nothing read before a purchase
// is used after it. Errors are never kept.
type runCache[V any] struct {
	ttl   time.Duration
	reads singleflight.Group

	mu          sync.Mutex
	entries     map[string]cachedRead[V]
	generations map[string]int // by plan, bumped by invalidate
}

type cachedRead[V any] struct {
	value  V
	plan   string
	readAt time.Time
}

// get returns the key's value, reading it only when no recent or running read can serve.
func (c *runCache[V]) get(ctx context.Context, plan, key string, read func(context.Context) (V, error)) (V, error) {
	value, ok, generation := c.fresh(plan, key)
	if ok {
		return value, nil
	}
	// A read started before an invalidation runs under the old generation's key, so nobody
	// who asks after the invalidation joins it.
	flight := key + "\x00" + strconv.Itoa(generation)
	// The read runs with the first caller's context; when that is cancelled, the callers
	// sharing it see the error and nothing is cached, so the next caller reads again.
	result := c.reads.DoChan(flight, func() (any, error) {
		// A read that finished between the check above and this one joining no read in
		// flight has just cached the value: use it rather than read again.
		if value, ok, _ := c.fresh(plan, key); ok {
			return value, nil
		}
		value, err := read(ctx)
		if err == nil {
			c.mu.Lock()
			if c.generations[plan] == generation {
				if c.entries == nil {
					c.entries = map[string]cachedRead[V]{}
				}
				c.entries[key] = cachedRead[V]{value: value, plan: plan, readAt: time.Now()}
			}
			c.mu.Unlock()
		}
		return value, err
	})
	select {
	case r := <-result:
		value, _ := r.Val.(V)
		return value, r.Err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// fresh returns the key's cached value while it is younger than the ttl, and the plan's
// generation, which a read started now must still have when it ends to be cached.
func (c *runCache[V]) fresh(plan, key string) (value V, ok bool, generation int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cached, ok := c.entries[key]
	if !ok || time.Since(cached.readAt) >= c.ttl {
		return value, false, c.generations[plan]
	}
	return cached.value, true, c.generations[plan]
}

// invalidate drops what was read of a plan, after a purchase changed it.
func (c *runCache[V]) invalidate(plan string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for key, cached := range c.entries {
		if cached.plan == plan {
			delete(c.entries, key)
		}
	}
	if c.generations == nil {
		c.generations = map[string]int{}
	}
	c.generations[plan]++
}
