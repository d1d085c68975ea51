// Package emulator serves the SageMaker training plan extension operations and STS
// GetCallerIdentity over real HTTP, with the AWS wire protocols and SigV4 verification, so the
// provider can be tested end to end with the real SDK and Terraform CLI at no cost.
package emulator

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Operation names, as they appear after "SageMaker." in X-Amz-Target.
const (
	OpSearchTrainingPlanOfferings          = "SearchTrainingPlanOfferings"
	OpExtendTrainingPlan                   = "ExtendTrainingPlan"
	OpDescribeTrainingPlanExtensionHistory = "DescribeTrainingPlanExtensionHistory"
	OpDescribeTrainingPlan                 = "DescribeTrainingPlan"
	OpGetCallerIdentity                    = "GetCallerIdentity"
)

// Config sets the emulator's identity and timing. Zero values take the defaults below.
type Config struct {
	AccessKeyID     string
	SecretAccessKey string
	AccountID       string
	Region          string
	// PendingDelay is how long a new extension stays Pending before it settles.
	PendingDelay time.Duration
	// OfferingTTL is how long a searched offering can be purchased.
	OfferingTTL time.Duration
	// Latency is added to every SageMaker call, to model a remote service in benchmarks.
	Latency time.Duration
	// CallLog, when set, gets one line per request: the operation, the answer's status and
	// error code, and how long it took.
	CallLog io.Writer
	// HistoryLag is how long a new extension takes to show in its plan's history, as an
	// eventually consistent service may take.
	HistoryLag time.Duration
	// RepeatOfferingIDs makes a search return the ID it returned before for the same capacity
	// (plan, length and start) while that quote can still be bought. Without it every search
	// mints new IDs. AWS does not document which it does, so the provider is tested with both.
	RepeatOfferingIDs bool
}

// Default identity: the test credentials every test and the demo sign with.
const (
	DefaultAccessKeyID     = "AKIAEMULATOREXAMPLE1"
	DefaultSecretAccessKey = "emulatorSecretKeyDoNotUseInAWS0000000000"
	DefaultAccountID       = "123456789012"
	DefaultRegion          = "us-west-2"
)

func (c Config) withDefaults() Config {
	if c.AccessKeyID == "" {
		c.AccessKeyID = DefaultAccessKeyID
	}
	if c.SecretAccessKey == "" {
		c.SecretAccessKey = DefaultSecretAccessKey
	}
	if c.AccountID == "" {
		c.AccountID = DefaultAccountID
	}
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if c.OfferingTTL == 0 {
		c.OfferingTTL = time.Hour
	}
	return c
}

// Emulator is an http.Handler that emulates one account in one region. Every access key that
// signs with the configured secret key has state of its own (plans, quotes, purchases), which
// starts from the seeded plans: test scenarios that share one emulator, each with its own key,
// do not see each other's purchases. An Emulator's methods act on the state of its access key
// (WithAccessKey), the configured one by default; calls, faults and role sessions are shared.
type Emulator struct {
	*hub
	accessKey string
}

// hub is what every access key's view of the emulator shares.
type hub struct {
	cfg Config

	mu       sync.Mutex
	tenants  map[string]*tenant // by access key
	seeds    []SeededPlan       // the plans every access key's state starts with
	calls    map[string]int
	faults   map[string][]*Fault
	sessions []*RoleSession    // issued by STS, oldest first
	signers  map[string]string // the access key that signed each operation's last call
}

// tenant is the state of one access key.
type tenant struct {
	plans     map[string]*plan // by ARN
	offerings map[string]*offering
	// purchasesOf counts the purchases of each plan.
	purchasesOf map[string]int
}

// SeededPlan is a plan every access key's state starts with, and the past extensions its
// history starts with.
type SeededPlan struct {
	Spec    PlanSpec
	History int
}

type plan struct {
	arn, name            string
	status               string
	start, end           time.Time
	instanceCount        int32
	availabilityZone     string
	availabilityZoneID   string
	hourlyFeePerInstance float64
	paymentFails         bool
	noCapacity           bool
	extensions           []*extension
}

type offering struct {
	id, planARN string
	start, end  time.Time
	hours       int32
	fee         string
	expiresAt   time.Time
	consumed    bool
	withdrawn   bool
}

type extension struct {
	offeringID       string
	extendedAt       time.Time
	start, end       time.Time
	hours            int32
	fee              string
	settlesAt        time.Time
	availabilityZone string
	azID             string
}

// New returns an emulator with no training plans.
func New(cfg Config) *Emulator {
	cfg = cfg.withDefaults()
	return &Emulator{
		hub: &hub{
			cfg:     cfg,
			tenants: map[string]*tenant{},
			calls:   map[string]int{},
			faults:  map[string][]*Fault{},
			signers: map[string]string{},
		},
		accessKey: cfg.AccessKeyID,
	}
}

// WithAccessKey is the emulator as an access key sees it: the same server, with the state of
// that key.
func (e *Emulator) WithAccessKey(accessKey string) *Emulator {
	return &Emulator{hub: e.hub, accessKey: accessKey}
}

// state is the state of the emulator's access key, seeded on first use. The caller holds e.mu.
func (e *Emulator) state() *tenant {
	t, ok := e.tenants[e.accessKey]
	if !ok {
		t = &tenant{plans: map[string]*plan{}, offerings: map[string]*offering{}, purchasesOf: map[string]int{}}
		e.tenants[e.accessKey] = t
		for _, seed := range e.seeds {
			e.addPlanLocked(seed.Spec, seed.History)
		}
	}
	return t
}

// Seed adds a plan that every access key's state starts with, and adds it now to the states
// that exist. It returns the plan's ARN.
func (e *Emulator) Seed(seed SeededPlan) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.seeds = append(e.seeds, seed)
	for key := range e.tenants {
		e.WithAccessKey(key).addPlanLocked(seed.Spec, seed.History)
	}
	return e.planARN(seed.Spec.Name)
}

// Reset forgets every access key's state, the faults, the call counts and the role sessions:
// each key starts again from the seeded plans.
func (e *Emulator) Reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	clear(e.tenants)
	clear(e.faults)
	clear(e.calls)
	clear(e.signers)
	e.sessions = nil
}

// Config returns the configuration in force, defaults filled in.
func (e *Emulator) Config() Config { return e.cfg }

func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if e.cfg.CallLog != nil {
		logged := &loggedResponse{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		defer func() {
			op := r.Header.Get("X-Amz-Target")
			if op == "" {
				op = "STS." + r.Header.Get(stsActionHeader)
			}
			_, _ = fmt.Fprintf(e.cfg.CallLog, "%s %s %d %s %s\n", time.Now().UTC().Format(time.RFC3339Nano), op, logged.status,
				logged.Header().Get("X-Amzn-ErrorType"), time.Since(start).Round(time.Millisecond))
		}()
		w = logged
	}
	requestID := newID("")
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || r.Method != http.MethodPost {
		writeError(w, requestID, &apiError{Status: http.StatusBadRequest, Code: "InvalidRequest", Message: "expected a POST with a body"})
		return
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if form, err := url.ParseQuery(string(body)); err == nil {
			r.Header.Set(stsActionHeader, form.Get("Action"))
		}
		e.serveSTS(w, r, body, requestID)
		return
	}
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "SageMaker.")
	if !ok || e.operation(op) == nil {
		writeError(w, requestID, &apiError{Status: http.StatusBadRequest, Code: "UnknownOperationException", Message: "unknown operation " + r.Header.Get("X-Amz-Target")})
		return
	}
	session, apiErr := e.verifySigV4(r, body, "sagemaker")
	if apiErr != nil {
		writeError(w, requestID, apiErr)
		return
	}

	e.recordSigner(op, r.Header.Get("Authorization"))
	view := e.WithAccessKey(e.tenantKey(r.Header.Get("Authorization"), session))
	fault := view.countCall(op, body)
	time.Sleep(e.cfg.Latency)
	if fault != nil && fault.before(w, requestID) {
		return
	}
	out, apiErr := view.operation(op)(body)
	if fault != nil && fault.after(w, requestID) {
		return
	}
	if apiErr != nil {
		writeError(w, requestID, apiErr)
		return
	}
	writeJSON(w, requestID, out)
}

// stsActionHeader carries an STS request's action to the call log.
const stsActionHeader = "X-Emulator-Sts-Action"

// loggedResponse remembers the status of an answer for the call log. It keeps the connection
// hijackable, for the faults that reset it.
type loggedResponse struct {
	http.ResponseWriter
	status int
}

func (l *loggedResponse) WriteHeader(status int) {
	l.status = status
	l.ResponseWriter.WriteHeader(status)
}

// Unwrap lets http.ResponseController reach the connection, to flush a partial answer.
func (l *loggedResponse) Unwrap() http.ResponseWriter { return l.ResponseWriter }

func (l *loggedResponse) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	l.status = 0 // reset: no answer
	return http.NewResponseController(l.ResponseWriter).Hijack()
}

func (e *Emulator) operation(op string) func([]byte) (any, *apiError) {
	switch op {
	case OpSearchTrainingPlanOfferings:
		return e.searchTrainingPlanOfferings
	case OpExtendTrainingPlan:
		return e.extendTrainingPlan
	case OpDescribeTrainingPlanExtensionHistory:
		return e.describeTrainingPlanExtensionHistory
	case OpDescribeTrainingPlan:
		return e.describeTrainingPlan
	}
	return nil
}

// tenantKey is the access key whose state a request acts on: the key that signed it, or, for
// a role session, the key that assumed the first role of its chain.
func (e *Emulator) tenantKey(authorization string, session *RoleSession) string {
	if session == nil {
		header, _ := parseSigV4Header(authorization)
		return header.accessKeyID
	}
	for {
		caller := session.Caller
		if caller == "" {
			return e.cfg.AccessKeyID // a web identity: the emulator's own account
		}
		if session = e.roleSession(caller); session == nil {
			return caller
		}
	}
}

// countCall records a signed call and takes the next fault injected for it, if any: the first
// queued for its operation whose plan and access key, if set, are the call's.
func (e *Emulator) countCall(op string, body []byte) *Fault {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls[op]++
	queue := e.faults[op]
	planARN := e.requestPlan(body)
	for i, f := range queue {
		if (f.PlanARN != "" && f.PlanARN != planARN) || (f.AccessKey != "" && f.AccessKey != e.accessKey) {
			continue
		}
		f.used++
		if f.Times > 0 && f.used >= f.Times {
			e.faults[op] = append(queue[:i:i], queue[i+1:]...)
		}
		return f
	}
	return nil
}

// requestPlan is the ARN of the plan a call is about, as far as its body says. The caller
// holds e.mu.
func (e *Emulator) requestPlan(body []byte) string {
	var in struct {
		TrainingPlanArn, TrainingPlanName, TrainingPlanExtensionOfferingId string
	}
	_ = json.Unmarshal(body, &in)
	switch {
	case in.TrainingPlanArn != "":
		return in.TrainingPlanArn
	case trainingPlanARNPattern.MatchString(in.TrainingPlanName):
		return in.TrainingPlanName
	case in.TrainingPlanName != "":
		return e.planARN(in.TrainingPlanName)
	}
	if o, ok := e.state().offerings[in.TrainingPlanExtensionOfferingId]; ok {
		return o.planARN
	}
	return ""
}

func (e *Emulator) recordSigner(op, authorization string) {
	header, _ := parseSigV4Header(authorization)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.signers[op] = header.accessKeyID
}

// Signer returns the access key that signed the last call of an operation.
func (e *Emulator) Signer(op string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.signers[op]
}

// Calls returns how many signed requests reached an operation, faulted ones included.
func (e *Emulator) Calls(op string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.calls[op]
}

// SageMakerCalls returns how many signed SageMaker requests arrived, of any operation.
func (e *Emulator) SageMakerCalls() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	total := 0
	for op, n := range e.calls {
		if op != OpGetCallerIdentity {
			total += n
		}
	}
	return total
}

// Purchases returns how many extensions were bought, with any access key: the money a real
// account would have spent.
func (e *Emulator) Purchases() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	total := 0
	for _, t := range e.tenants {
		for _, n := range t.purchasesOf {
			total += n
		}
	}
	return total
}

// ResetCalls zeroes the call counters, for measuring one phase of a test.
func (e *Emulator) ResetCalls() {
	e.mu.Lock()
	defer e.mu.Unlock()
	clear(e.calls)
}

func newID(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// newOfferingID mimics AWS's "tpeo-" followed by a SHA-256 hex digest.
func newOfferingID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return "tpeo-" + hex.EncodeToString(b)
}

func (e *Emulator) planARN(name string) string {
	return fmt.Sprintf("arn:aws:sagemaker:%s:%s:training-plan/%s", e.cfg.Region, e.cfg.AccountID, name)
}
