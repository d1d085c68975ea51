package emulator

import (
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	trainingPlanARNPattern  = regexp.MustCompile(`^arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:training-plan/.*$`)
	trainingPlanNamePattern = regexp.MustCompile(`^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}$`)
)

const (
	maxOfferingHours  = 4368
	maxHistoryResults = 100
)

func validateTrainingPlanARN(arn *string) *apiError {
	if arn == nil {
		return validationError("1 validation error detected: Value null at 'trainingPlanArn' failed to satisfy constraint: Member must not be null")
	}
	if len(*arn) < 50 || len(*arn) > 2048 || !trainingPlanARNPattern.MatchString(*arn) {
		return validationError("1 validation error detected: Value '%s' at 'trainingPlanArn' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", *arn, trainingPlanARNPattern)
	}
	return nil
}

// planForRead returns the plan an ARN names, or ResourceNotFound. The caller holds e.mu.
func (e *Emulator) planForRead(arn *string) (*plan, *apiError) {
	if apiErr := validateTrainingPlanARN(arn); apiErr != nil {
		return nil, apiErr
	}
	p, ok := e.state().plans[*arn]
	if !ok {
		return nil, notFoundError("Training plan %s does not exist.", *arn)
	}
	return p, nil
}

func (e *Emulator) searchTrainingPlanOfferings(body []byte) (any, *apiError) {
	var in searchTrainingPlanOfferingsInput
	if apiErr := decodeRequest(body, &in); apiErr != nil {
		return nil, apiErr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, apiErr := e.planForRead(in.TrainingPlanArn)
	if apiErr != nil {
		return nil, apiErr
	}
	if p.status != StatusActive && p.status != StatusScheduled {
		return nil, validationError("Training plan %s is %s; only Active or Scheduled plans can be extended.", p.arn, p.status)
	}
	hours := []int32{24, 7 * 24, 14 * 24}
	if in.DurationHours != nil {
		if *in.DurationHours < 1 || *in.DurationHours > maxOfferingHours {
			return nil, validationError("DurationHours must be between 1 and %d.", maxOfferingHours)
		}
		hours = []int32{extensionHours(*in.DurationHours)}
	}
	out := searchTrainingPlanOfferingsOutput{TrainingPlanOfferings: []struct{}{}, TrainingPlanExtensionOfferings: []extensionOffering{}}
	if p.noCapacity {
		return out, nil
	}
	now := time.Now()
	for _, h := range hours {
		o := e.mintOffering(p, h, now)
		out.TrainingPlanExtensionOfferings = append(out.TrainingPlanExtensionOfferings, extensionOffering{
			TrainingPlanExtensionOfferingId: o.id,
			AvailabilityZone:                p.availabilityZone,
			StartDate:                       timePtr(o.start),
			EndDate:                         timePtr(o.end),
			DurationHours:                   o.hours,
			UpfrontFee:                      o.fee,
			CurrencyCode:                    "USD",
		})
	}
	return out, nil
}

// extensionHours rounds a requested duration up to what can be bought: whole days up to 14 days,
// whole weeks beyond.
func extensionHours(requested int64) int32 {
	days := (requested + 23) / 24
	if days > 14 {
		days = (days + 6) / 7 * 7
	}
	return int32(days * 24)
}

// mintOffering creates a purchasable quote starting at the plan's current end, or returns the
// open quote for that capacity when the emulator repeats IDs. The caller holds e.mu.
func (e *Emulator) mintOffering(p *plan, hours int32, now time.Time) *offering {
	start := p.endAt(now)
	if e.cfg.RepeatOfferingIDs {
		for _, o := range e.state().offerings {
			if o.planARN == p.arn && o.hours == hours && o.start.Equal(start) && o.purchasable(now) {
				return o
			}
		}
	}
	return e.newOffering(p, hours, now)
}

// newOffering mints a new quote for the plan's next hours. The caller holds e.mu.
func (e *Emulator) newOffering(p *plan, hours int32, now time.Time) *offering {
	start := p.endAt(now)
	o := &offering{
		id:        newOfferingID(),
		planARN:   p.arn,
		start:     start,
		end:       start.Add(time.Duration(hours) * time.Hour),
		hours:     hours,
		fee:       p.fee(hours),
		expiresAt: now.Add(e.cfg.OfferingTTL),
	}
	e.state().offerings[o.id] = o
	return o
}

func (e *Emulator) extendTrainingPlan(body []byte) (any, *apiError) {
	var in extendTrainingPlanInput
	if apiErr := decodeRequest(body, &in); apiErr != nil {
		return nil, apiErr
	}
	if in.TrainingPlanExtensionOfferingId == nil || *in.TrainingPlanExtensionOfferingId == "" {
		return nil, validationError("1 validation error detected: Value null at 'trainingPlanExtensionOfferingId' failed to satisfy constraint: Member must not be null")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := time.Now()
	p, apiErr := e.purchase(*in.TrainingPlanExtensionOfferingId, now)
	if apiErr != nil {
		return nil, apiErr
	}
	out := extensionsOutput{TrainingPlanExtensions: []extensionRecord{}}
	for _, x := range p.extensions {
		out.TrainingPlanExtensions = append(out.TrainingPlanExtensions, x.record(now, p.paymentFails))
	}
	// A fresh purchase is always reported Pending, however short the emulator's delay.
	last := &out.TrainingPlanExtensions[len(out.TrainingPlanExtensions)-1]
	last.Status, last.PaymentStatus = StatusPending, StatusPending
	return out, nil
}

// purchase buys an offering and returns the plan it extended. The caller holds e.mu.
func (e *Emulator) purchase(id string, now time.Time) (*plan, *apiError) {
	o, ok := e.state().offerings[id]
	if !ok || !o.purchasable(now) {
		return nil, notFoundError("Training plan extension offering %s does not exist, has expired or was already used.", id)
	}
	p, ok := e.state().plans[o.planARN]
	if !ok {
		return nil, notFoundError("Training plan %s does not exist.", o.planARN)
	}
	o.consumed = true
	e.state().purchasesOf[p.arn]++
	p.extensions = append(p.extensions, &extension{
		offeringID:       o.id,
		extendedAt:       now,
		start:            o.start,
		end:              o.end,
		hours:            o.hours,
		fee:              o.fee,
		settlesAt:        now.Add(e.cfg.PendingDelay),
		availabilityZone: p.availabilityZone,
		azID:             p.availabilityZoneID,
	})
	return p, nil
}

func (o *offering) purchasable(now time.Time) bool {
	return !o.consumed && !o.withdrawn && !now.After(o.expiresAt)
}

func (e *Emulator) describeTrainingPlanExtensionHistory(body []byte) (any, *apiError) {
	var in describeTrainingPlanExtensionHistoryInput
	if apiErr := decodeRequest(body, &in); apiErr != nil {
		return nil, apiErr
	}
	limit := maxHistoryResults
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > maxHistoryResults {
			return nil, validationError("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and %d", *in.MaxResults, maxHistoryResults)
		}
		limit = int(*in.MaxResults)
	}
	offset := 0
	if in.NextToken != nil && *in.NextToken != "" {
		var ok bool
		if offset, ok = decodeNextToken(*in.NextToken); !ok {
			return nil, validationError("The pagination token %q is not valid.", *in.NextToken)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, apiErr := e.planForRead(in.TrainingPlanArn)
	if apiErr != nil {
		return nil, apiErr
	}
	now := time.Now()
	var listed []*extension
	for _, x := range p.extensions {
		if e.cfg.HistoryLag == 0 || !now.Before(x.extendedAt.Add(e.cfg.HistoryLag)) {
			listed = append(listed, x)
		}
	}
	out := extensionsOutput{TrainingPlanExtensions: []extensionRecord{}}
	end := min(offset+limit, len(listed))
	for _, x := range listed[min(offset, end):end] {
		out.TrainingPlanExtensions = append(out.TrainingPlanExtensions, x.record(now, p.paymentFails))
	}
	if end < len(listed) {
		out.NextToken = encodeNextToken(end)
	}
	return out, nil
}

func encodeNextToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(offset)))
}

func decodeNextToken(token string) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return 0, false
	}
	digits, ok := strings.CutPrefix(string(raw), "offset:")
	n, err := strconv.Atoi(digits)
	return n, ok && err == nil && n >= 0
}

func (e *Emulator) describeTrainingPlan(body []byte) (any, *apiError) {
	var in describeTrainingPlanInput
	if apiErr := decodeRequest(body, &in); apiErr != nil {
		return nil, apiErr
	}
	// Since 2026-09-29 the name may also be the plan's ARN.
	isARN := in.TrainingPlanName != nil && trainingPlanARNPattern.MatchString(*in.TrainingPlanName)
	if in.TrainingPlanName == nil || !isARN && !trainingPlanNamePattern.MatchString(*in.TrainingPlanName) {
		return nil, validationError("1 validation error detected: Value at 'trainingPlanName' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", trainingPlanNamePattern)
	}
	arn := *in.TrainingPlanName
	if !isARN {
		arn = e.planARN(arn)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.state().plans[arn]
	if !ok {
		return nil, notFoundError("Training plan %s does not exist.", *in.TrainingPlanName)
	}
	now := time.Now()
	end := p.endAt(now)
	minutes := int64(end.Sub(p.start) / time.Minute)
	fee := float64(minutes) / 60 * float64(p.instanceCount) * p.hourlyFeePerInstance
	return describeTrainingPlanOutput{
		TrainingPlanArn:        p.arn,
		TrainingPlanName:       p.name,
		Status:                 p.status,
		StartTime:              timePtr(p.start),
		EndTime:                timePtr(end),
		DurationHours:          minutes / 60,
		DurationMinutes:        minutes % 60,
		UpfrontFee:             strconv.FormatFloat(fee, 'f', 2, 64),
		CurrencyCode:           "USD",
		TotalInstanceCount:     p.instanceCount,
		AvailableInstanceCount: p.instanceCount,
		TargetResources:        []string{"training-job"},
	}, nil
}
