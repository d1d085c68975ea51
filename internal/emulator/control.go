package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// ControlPath is where the control API is served, next to the AWS APIs.
const ControlPath = "/_emulator/"

// PlanSettings describes a training plan, as the control API and the -plans file of the
// command take it. Zero values take AddPlan's defaults.
type PlanSettings struct {
	Name          string    `json:"name"`
	Status        string    `json:"status,omitempty"`
	Start         time.Time `json:"start,omitzero"`
	DurationHours int       `json:"duration_hours,omitempty"`
	InstanceCount int32     `json:"instance_count,omitempty"`
	HourlyFee     float64   `json:"hourly_fee,omitempty"`
	History       int       `json:"history,omitempty"`
	NoCapacity    bool      `json:"no_capacity,omitempty"`
	PaymentFails  bool      `json:"payment_fails,omitempty"`
}

// PlanStatuses are the statuses a plan can be given.
var PlanStatuses = []string{StatusActive, StatusScheduled, StatusExpired, StatusFailed, StatusPending}

var planNamePattern = regexp.MustCompile(`^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}$`)

// Validate says what is wrong with the settings, as AWS would.
func (s PlanSettings) Validate() error {
	switch {
	case !planNamePattern.MatchString(s.Name):
		return fmt.Errorf("training plan name %q: AWS allows 1 to 64 letters, digits and hyphens, starting and ending with a letter or digit", s.Name)
	case s.Status != "" && !slices.Contains(PlanStatuses, s.Status):
		return fmt.Errorf("plan %q: status %q is not one of %s", s.Name, s.Status, strings.Join(PlanStatuses, ", "))
	case s.DurationHours < 0 || s.InstanceCount < 0 || s.HourlyFee < 0 || s.History < 0:
		return fmt.Errorf("plan %q: duration_hours, instance_count, hourly_fee and history cannot be negative", s.Name)
	}
	return nil
}

// Seeded is the plan these settings describe, with its history.
func (s PlanSettings) Seeded() SeededPlan {
	return SeededPlan{
		Spec: PlanSpec{
			Name: s.Name, Status: s.Status, Start: s.Start, Duration: time.Duration(s.DurationHours) * time.Hour,
			InstanceCount: s.InstanceCount, HourlyFee: s.HourlyFee, NoCapacity: s.NoCapacity, PaymentFails: s.PaymentFails,
		},
		History: s.History,
	}
}

// FaultKinds are the faults the control API and the command inject, by name.
var FaultKinds = map[string]Fault{
	"throttle":               {Kind: FaultThrottle},
	"internal-error":         {Kind: FaultError, Status: http.StatusInternalServerError, Code: "InternalFailure", Message: "An internal error occurred. Try again."},
	"access-denied":          {Kind: FaultError, Status: http.StatusBadRequest, Code: "AccessDeniedException", Message: "User is not authorized to perform this action."},
	"commit-then-fail":       {Kind: FaultCommitThenFail},
	"commit-then-reset":      {Kind: FaultCommitThenReset},
	"commit-then-cut-answer": {Kind: FaultCommitThenCutAnswer},
	"reset":                  {Kind: FaultReset},
}

// FaultKindNames are the names of FaultKinds, sorted.
func FaultKindNames() []string {
	names := make([]string, 0, len(FaultKinds))
	for name := range FaultKinds {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Operations are the SageMaker operations the emulator serves.
var Operations = []string{OpSearchTrainingPlanOfferings, OpExtendTrainingPlan, OpDescribeTrainingPlanExtensionHistory, OpDescribeTrainingPlan}

// PlanView is a plan as the control API reports it.
type PlanView struct {
	Name         string          `json:"name"`
	ARN          string          `json:"arn"`
	Status       string          `json:"status"`
	Start        time.Time       `json:"start"`
	End          time.Time       `json:"end"`
	HourlyFee    float64         `json:"hourly_fee"`
	NoCapacity   bool            `json:"no_capacity"`
	PaymentFails bool            `json:"payment_fails"`
	Purchases    int             `json:"purchases"`
	Extensions   []ExtensionView `json:"extensions"`
}

// ExtensionView is an extension of a plan as the control API reports it.
type ExtensionView struct {
	OfferingID    string    `json:"offering_id"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
	DurationHours int32     `json:"duration_hours"`
	UpfrontFee    string    `json:"upfront_fee"`
	Status        string    `json:"status"`
	PaymentStatus string    `json:"payment_status"`
}

// Plans reports the plans of the emulator's access key, with their extensions.
func (e *Emulator) Plans() []PlanView {
	e.mu.Lock()
	defer e.mu.Unlock()
	t, now := e.state(), time.Now()
	views := make([]PlanView, 0, len(t.plans))
	for _, p := range t.plans {
		view := PlanView{Name: p.name, ARN: p.arn, Status: p.status, Start: p.start, End: p.endAt(now), HourlyFee: p.hourlyFeePerInstance,
			NoCapacity: p.noCapacity, PaymentFails: p.paymentFails, Purchases: t.purchasesOf[p.arn], Extensions: []ExtensionView{}}
		for _, x := range p.extensions {
			r := x.record(now, p.paymentFails)
			view.Extensions = append(view.Extensions, ExtensionView{OfferingID: x.offeringID, Start: x.start, End: x.end, DurationHours: x.hours,
				UpfrontFee: x.fee, Status: r.Status, PaymentStatus: r.PaymentStatus})
		}
		views = append(views, view)
	}
	slices.SortFunc(views, func(a, b PlanView) int { return strings.Compare(a.Name, b.Name) })
	return views
}

// planChange is what a PATCH of a plan may change; nil fields stay as they are.
type planChange struct {
	Status        *string    `json:"status"`
	Start         *time.Time `json:"start"`
	DurationHours *int       `json:"duration_hours"`
	HourlyFee     *float64   `json:"hourly_fee"`
	NoCapacity    *bool      `json:"no_capacity"`
	PaymentFails  *bool      `json:"payment_fails"`
}

// changePlan changes a plan of the emulator's access key.
func (e *Emulator) changePlan(planARN string, c planChange) error {
	if c.Status != nil && !slices.Contains(PlanStatuses, *c.Status) {
		return fmt.Errorf("status %q is not one of %s", *c.Status, strings.Join(PlanStatuses, ", "))
	}
	if (c.DurationHours != nil && *c.DurationHours <= 0) || (c.HourlyFee != nil && *c.HourlyFee <= 0) {
		return errors.New("duration_hours and hourly_fee must be positive")
	}
	return e.updatePlan(planARN, func(p *plan) {
		duration := p.end.Sub(p.start)
		if c.Status != nil {
			p.status = *c.Status
		}
		if c.Start != nil {
			p.start = c.Start.UTC()
		}
		if c.DurationHours != nil {
			duration = time.Duration(*c.DurationHours) * time.Hour
		}
		p.end = p.start.Add(duration)
		if c.HourlyFee != nil {
			p.hourlyFeePerInstance = *c.HourlyFee
		}
		if c.NoCapacity != nil {
			p.noCapacity = *c.NoCapacity
		}
		if c.PaymentFails != nil {
			p.paymentFails = *c.PaymentFails
		}
	})
}

// faultRequest is a fault as the control API takes it.
type faultRequest struct {
	Operation string `json:"operation"`
	Kind      string `json:"kind"`
	Times     int    `json:"times"`
	Plan      string `json:"plan"`
}

// ControlHandler serves the control API under ControlPath: JSON requests that reset the
// emulator, seed and change plans, buy hours outside Terraform, move the market, inject faults
// and report the plans and their purchases, while it keeps serving. A request acts on the
// state of the access key named by its access_key query parameter, the configured one by
// default. docs/guides/testing.md documents it.
func (e *Emulator) ControlHandler() http.Handler {
	mux := http.NewServeMux()
	view := func(r *http.Request) *Emulator {
		if key := r.URL.Query().Get("access_key"); key != "" {
			return e.WithAccessKey(key)
		}
		return e
	}
	plan := func(w http.ResponseWriter, r *http.Request) (*Emulator, string, bool) {
		v := view(r)
		arn := v.planARN(r.PathValue("name"))
		if !slices.ContainsFunc(v.Plans(), func(p PlanView) bool { return p.ARN == arn }) {
			writeControlError(w, http.StatusNotFound, fmt.Errorf("no training plan %q", r.PathValue("name")))
			return nil, "", false
		}
		return v, arn, true
	}
	mux.HandleFunc("POST "+ControlPath+"reset", func(w http.ResponseWriter, _ *http.Request) {
		e.Reset()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET "+ControlPath+"plans", func(w http.ResponseWriter, r *http.Request) {
		writeControl(w, http.StatusOK, map[string]any{"plans": view(r).Plans()})
	})
	mux.HandleFunc("POST "+ControlPath+"plans", func(w http.ResponseWriter, r *http.Request) {
		var settings PlanSettings
		if !readControl(w, r, &settings) {
			return
		}
		if err := settings.Validate(); err != nil {
			writeControlError(w, http.StatusBadRequest, err)
			return
		}
		v := view(r)
		v.mu.Lock()
		if _, exists := v.state().plans[v.planARN(settings.Name)]; exists {
			v.mu.Unlock()
			writeControlError(w, http.StatusConflict, fmt.Errorf("training plan %q exists already", settings.Name))
			return
		}
		arn := v.addPlanLocked(settings.Seeded().Spec, settings.History)
		v.mu.Unlock()
		writeControl(w, http.StatusCreated, map[string]string{"arn": arn})
	})
	mux.HandleFunc("PATCH "+ControlPath+"plans/{name}", func(w http.ResponseWriter, r *http.Request) {
		var change planChange
		v, arn, ok := plan(w, r)
		if !ok || !readControl(w, r, &change) {
			return
		}
		if err := v.changePlan(arn, change); err != nil {
			writeControlError(w, http.StatusBadRequest, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST "+ControlPath+"plans/{name}/purchases", func(w http.ResponseWriter, r *http.Request) {
		var request struct {
			Hours int32 `json:"hours"`
		}
		v, arn, ok := plan(w, r)
		if !ok || !readControl(w, r, &request) {
			return
		}
		if request.Hours < 1 || request.Hours > maxOfferingHours {
			writeControlError(w, http.StatusBadRequest, fmt.Errorf("hours must be from 1 to %d, got %d", maxOfferingHours, request.Hours))
			return
		}
		id, err := v.BuyWindow(arn, extensionHours(int64(request.Hours)))
		if err != nil {
			writeControlError(w, http.StatusConflict, err)
			return
		}
		writeControl(w, http.StatusCreated, map[string]string{"offering_id": id})
	})
	mux.HandleFunc("POST "+ControlPath+"plans/{name}/reprice", func(w http.ResponseWriter, r *http.Request) {
		var request struct {
			HourlyFee float64 `json:"hourly_fee"`
		}
		v, arn, ok := plan(w, r)
		if !ok || !readControl(w, r, &request) {
			return
		}
		if request.HourlyFee <= 0 {
			writeControlError(w, http.StatusBadRequest, fmt.Errorf("hourly_fee must be positive, got %v", request.HourlyFee))
			return
		}
		if err := v.Reprice(arn, request.HourlyFee); err != nil {
			writeControlError(w, http.StatusBadRequest, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST "+ControlPath+"plans/{name}/withdraw", func(w http.ResponseWriter, r *http.Request) {
		if v, arn, ok := plan(w, r); ok {
			v.Withdraw(arn)
			w.WriteHeader(http.StatusNoContent)
		}
	})
	mux.HandleFunc("POST "+ControlPath+"faults", func(w http.ResponseWriter, r *http.Request) {
		var request faultRequest
		if !readControl(w, r, &request) {
			return
		}
		fault, ok := FaultKinds[request.Kind]
		switch {
		case !slices.Contains(Operations, request.Operation):
			writeControlError(w, http.StatusBadRequest, fmt.Errorf("operation %q is not one of %s", request.Operation, strings.Join(Operations, ", ")))
			return
		case !ok:
			writeControlError(w, http.StatusBadRequest, fmt.Errorf("kind %q is not one of %s", request.Kind, strings.Join(FaultKindNames(), ", ")))
			return
		case request.Times < 0:
			writeControlError(w, http.StatusBadRequest, fmt.Errorf("times must be 0 (every call) or more, got %d", request.Times))
			return
		}
		fault.Times = request.Times
		if request.Plan != "" {
			fault.PlanARN = e.planARN(request.Plan)
		}
		fault.AccessKey = r.URL.Query().Get("access_key")
		e.InjectFault(request.Operation, fault)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("DELETE "+ControlPath+"faults", func(w http.ResponseWriter, _ *http.Request) {
		e.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc(ControlPath, func(w http.ResponseWriter, r *http.Request) {
		writeControlError(w, http.StatusNotFound, fmt.Errorf("no control endpoint %s %s; see docs/guides/testing.md", r.Method, r.URL.Path))
	})
	return mux
}

// readControl decodes a JSON request body; an empty body decodes as an empty object.
func readControl(w http.ResponseWriter, r *http.Request, into any) bool {
	decoder := json.NewDecoder(r.Body)
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(into); err != nil && !errors.Is(err, io.EOF) {
		writeControlError(w, http.StatusBadRequest, fmt.Errorf("reading the request: %w", err))
		return false
	}
	return true
}

func writeControl(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func writeControlError(w http.ResponseWriter, status int, err error) {
	writeControl(w, status, map[string]string{"error": err.Error()})
}
