package emulator

import (
	"fmt"
	"strconv"
	"time"
)

// Extension and payment statuses, as AWS spells them.
const (
	StatusPending   = "Pending"
	StatusScheduled = "Scheduled"
	StatusActive    = "Active"
	StatusFailed    = "Failed"
	StatusExpired   = "Expired"
	PaymentComplete = "Completed"
)

// PlanSpec describes a training plan to seed. Zero values take the defaults in AddPlan.
type PlanSpec struct {
	Name          string
	Status        string
	Start         time.Time
	Duration      time.Duration
	InstanceCount int32
	// HourlyFee is the price of one instance-hour, in USD; quotes cost hours x instances x it.
	HourlyFee float64
	// PaymentFails makes every extension of the plan settle as Failed.
	PaymentFails bool
	// NoCapacity makes searches for the plan return no offerings.
	NoCapacity bool
}

// AddPlan adds a training plan to the state of the emulator's access key, and returns its ARN.
func (e *Emulator) AddPlan(spec PlanSpec) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.addPlanLocked(spec, 0)
}

// addPlanLocked adds a plan, with history past extensions, to the state of the emulator's
// access key. The caller holds e.mu.
func (e *Emulator) addPlanLocked(spec PlanSpec, history int) string {
	if spec.Status == "" {
		spec.Status = StatusActive
	}
	if spec.Start.IsZero() {
		spec.Start = time.Now().Add(-24 * time.Hour).Truncate(time.Hour)
	}
	if spec.Duration == 0 {
		spec.Duration = 14 * 24 * time.Hour
	}
	if spec.InstanceCount == 0 {
		spec.InstanceCount = 8
	}
	if spec.HourlyFee == 0 {
		spec.HourlyFee = 12.29
	}
	p := &plan{
		arn:                  e.planARN(spec.Name),
		name:                 spec.Name,
		status:               spec.Status,
		start:                spec.Start.UTC(),
		end:                  spec.Start.Add(spec.Duration).UTC(),
		instanceCount:        spec.InstanceCount,
		availabilityZone:     e.cfg.Region + "a",
		availabilityZoneID:   regionAZID(e.cfg.Region),
		hourlyFeePerInstance: spec.HourlyFee,
		paymentFails:         spec.PaymentFails,
		noCapacity:           spec.NoCapacity,
	}
	e.state().plans[p.arn] = p
	p.seedHistory(history)
	return p.arn
}

// AddOffering mints an offering for a plan as a search would, for tests that need a known ID.
func (e *Emulator) AddOffering(planARN string, hours int32) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.state().plans[planARN]
	if !ok {
		return "", fmt.Errorf("no training plan %s", planARN)
	}
	return e.mintOffering(p, hours, time.Now()).id, nil
}

// Buy purchases an offering as another client of the same account would, outside Terraform.
func (e *Emulator) Buy(offeringID string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, apiErr := e.purchase(offeringID, time.Now()); apiErr != nil {
		return apiErr
	}
	return nil
}

// BuyWindow buys the next hours of a plan outside Terraform (another workspace, the console)
// with a quote of its own, and returns that quote's ID. Quotes searched before for the same
// hours stay on sale, as nothing in the API says AWS withdraws them.
func (e *Emulator) BuyWindow(planARN string, hours int32) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.state().plans[planARN]
	if !ok {
		return "", fmt.Errorf("no training plan %s", planARN)
	}
	now := time.Now()
	o := e.newOffering(p, hours, now)
	if _, apiErr := e.purchase(o.id, now); apiErr != nil {
		return "", apiErr
	}
	return o.id, nil
}

// Reprice moves the market of a plan: its open quotes are withdrawn, and searches quote new
// ones at the new price per instance-hour. A quote's ID keeps its price, as an AWS quote does.
func (e *Emulator) Reprice(planARN string, hourlyFee float64) error {
	if err := e.SetHourlyFee(planARN, hourlyFee); err != nil {
		return err
	}
	e.Withdraw(planARN)
	return nil
}

// Withdraw takes every open quote of a plan off sale: buying one answers ResourceNotFound.
func (e *Emulator) Withdraw(planARN string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, o := range e.state().offerings {
		if o.planARN == planARN {
			o.withdrawn = true
		}
	}
}

// Overlaps lists the pairs of a plan's extensions, not failed, that cover the same hours:
// hours paid for twice.
func (e *Emulator) Overlaps(planARN string) [][2]string {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.state().plans[planARN]
	if !ok {
		return nil
	}
	now := time.Now()
	var live []*extension
	for _, x := range p.extensions {
		if x.record(now, p.paymentFails).Status != StatusFailed {
			live = append(live, x)
		}
	}
	var pairs [][2]string
	for i, a := range live {
		for _, b := range live[i+1:] {
			if a.start.Before(b.end) && b.start.Before(a.end) {
				pairs = append(pairs, [2]string{a.offeringID, b.offeringID})
			}
		}
	}
	return pairs
}

// PurchasesOf returns how many extensions were bought for a plan, its seeded history aside.
func (e *Emulator) PurchasesOf(planARN string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.state().purchasesOf[planARN]
}

// SetPlanStatus changes a plan's status, for example to Expired: only Active and Scheduled
// plans can be searched for offerings.
func (e *Emulator) SetPlanStatus(planARN, status string) error {
	return e.updatePlan(planARN, func(p *plan) { p.status = status })
}

// SetHourlyFee changes the price per instance-hour of the plan's future quotes.
func (e *Emulator) SetHourlyFee(planARN string, fee float64) error {
	return e.updatePlan(planARN, func(p *plan) { p.hourlyFeePerInstance = fee })
}

func (e *Emulator) updatePlan(planARN string, update func(*plan)) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.state().plans[planARN]
	if !ok {
		return fmt.Errorf("no training plan %s", planARN)
	}
	update(p)
	return nil
}

// SeedHistory adds n settled extensions from the past to a plan's history, as a long-lived plan has.
func (e *Emulator) SeedHistory(planARN string, n int) error {
	return e.updatePlan(planARN, func(p *plan) { p.seedHistory(n) })
}

func (p *plan) seedHistory(n int) {
	at := p.start.Add(-time.Duration(n+1) * 24 * time.Hour)
	for range n {
		p.extensions = append(p.extensions, &extension{
			offeringID: newOfferingID(),
			extendedAt: at.Add(-time.Hour),
			start:      at,
			end:        at.Add(24 * time.Hour),
			hours:      24,
			fee:        p.fee(24),
		})
		at = at.Add(24 * time.Hour)
	}
}

// RemoveExtension deletes an extension from a plan's history, to model drift.
func (e *Emulator) RemoveExtension(planARN, offeringID string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.state().plans[planARN]
	if !ok {
		return false
	}
	for i, x := range p.extensions {
		if x.offeringID == offeringID {
			p.extensions = append(p.extensions[:i], p.extensions[i+1:]...)
			return true
		}
	}
	return false
}

// RemovePlan deletes a training plan and its history.
func (e *Emulator) RemovePlan(planARN string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.state().plans, planARN)
}

// HasExtension reports whether a plan's history holds an extension bought with an offering.
func (e *Emulator) HasExtension(planARN, offeringID string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.state().plans[planARN]
	return ok && p.extension(offeringID) != nil
}

// SettleAll ends the Pending period of every extension bought so far.
func (e *Emulator) SettleAll() {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := time.Now()
	for _, p := range e.state().plans {
		for _, x := range p.extensions {
			if x.settlesAt.After(now) {
				x.settlesAt = now
			}
		}
	}
}

func (p *plan) extension(offeringID string) *extension {
	for _, x := range p.extensions {
		if x.offeringID == offeringID {
			return x
		}
	}
	return nil
}

// endAt is the plan's end as extended by every extension that has not failed.
func (p *plan) endAt(now time.Time) time.Time {
	end := p.end
	for _, x := range p.extensions {
		if x.end.After(end) && x.record(now, p.paymentFails).Status != StatusFailed {
			end = x.end
		}
	}
	return end
}

func (p *plan) fee(hours int32) string {
	return strconv.FormatFloat(float64(hours)*float64(p.instanceCount)*p.hourlyFeePerInstance, 'f', 2, 64)
}

// record is the extension as AWS reports it at a moment: Pending until it settles, then paid
// (or failed) with a status that follows the clock.
func (x *extension) record(now time.Time, paymentFails bool) extensionRecord {
	r := extensionRecord{
		TrainingPlanExtensionOfferingId: x.offeringID,
		ExtendedAt:                      timePtr(x.extendedAt),
		StartDate:                       timePtr(x.start),
		EndDate:                         timePtr(x.end),
		AvailabilityZone:                x.availabilityZone,
		AvailabilityZoneId:              x.azID,
		DurationHours:                   x.hours,
		UpfrontFee:                      x.fee,
		CurrencyCode:                    "USD",
	}
	switch {
	case now.Before(x.settlesAt):
		r.Status, r.PaymentStatus = StatusPending, StatusPending
	case paymentFails:
		r.Status, r.PaymentStatus = StatusFailed, StatusFailed
	case now.Before(x.start):
		r.Status, r.PaymentStatus = StatusScheduled, PaymentComplete
	case now.Before(x.end):
		r.Status, r.PaymentStatus = StatusActive, PaymentComplete
	default:
		r.Status, r.PaymentStatus = StatusExpired, PaymentComplete
	}
	return r
}

func regionAZID(region string) string {
	short := map[string]string{"us-east-1": "use1", "us-east-2": "use2", "us-west-2": "usw2", "eu-west-1": "euw1"}[region]
	if short == "" {
		short = region
	}
	return short + "-az1"
}
