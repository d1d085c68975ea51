package provider

import (
	"context"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// runCacheTTL bounds how long a read is reused. Terraform configures a fresh provider for
// every run, so a change made outside Terraform is always seen by the next run; within a run
// the TTL only spares the many resources of one training plan from reading it again.
const runCacheTTL = 30 * time.Second

// runCache shares reads of AWS within a run: concurrent reads of a key wait for the one in
// flight, and later reads reuse its result for runCacheTTL. Every key belongs to a training
// plan, and invalidating the plan drops what was read of it, so that nothing read before a
// purchase is used after it. Errors are never kept.
type runCache[V any] struct {
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

// fresh returns the key's cached value while it is younger than runCacheTTL, and the plan's
// generation, which a read started now must still have when it ends to be cached.
func (c *runCache[V]) fresh(plan, key string) (value V, ok bool, generation int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cached, ok := c.entries[key]
	if !ok || time.Since(cached.readAt) >= runCacheTTL {
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
