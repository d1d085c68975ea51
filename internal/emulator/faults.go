package emulator

import (
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

// FaultKind says how an injected fault disturbs a call.
type FaultKind int

const (
	// FaultError answers with Status and Code without acting.
	FaultError FaultKind = iota + 1
	// FaultThrottle answers ThrottlingException without acting.
	FaultThrottle
	// FaultCommitThenFail acts (a purchase is made), then answers 500 InternalFailure.
	FaultCommitThenFail
	// FaultCommitThenReset acts, then resets the connection without answering.
	FaultCommitThenReset
	// FaultLatency waits Latency, then acts and answers normally.
	FaultLatency
	// FaultReset resets the connection without acting, as a request lost on its way does.
	FaultReset
	// FaultCommitThenCutAnswer acts, starts a 200 answer, and resets the connection halfway
	// through its body: AWS accepted the call, and the caller cannot read what it said.
	FaultCommitThenCutAnswer
)

// Fault disturbs the next Times calls of one operation (every call when Times is 0), about
// one plan when PlanARN is set, signed with one access key when AccessKey is set.
type Fault struct {
	Kind      FaultKind
	Times     int
	PlanARN   string
	AccessKey string
	Status    int
	Code      string
	Message   string
	Latency   time.Duration

	used int
}

// InjectFault queues a fault for an operation; queued faults apply one after the other.
func (e *Emulator) InjectFault(op string, f Fault) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults[op] = append(e.faults[op], &f)
}

// ClearFaults drops every queued fault.
func (e *Emulator) ClearFaults() {
	e.mu.Lock()
	defer e.mu.Unlock()
	clear(e.faults)
}

// before applies the part of a fault that comes before the operation acts; true means answered.
func (f *Fault) before(w http.ResponseWriter, requestID string) bool {
	switch f.Kind {
	case FaultError:
		writeError(w, requestID, &apiError{Status: f.Status, Code: f.Code, Message: f.Message})
		return true
	case FaultThrottle:
		writeError(w, requestID, errThrottled)
		return true
	case FaultLatency:
		time.Sleep(f.Latency)
	case FaultReset:
		resetConnection(w)
		return true
	}
	return false
}

// after applies the part of a fault that comes once the operation has acted; true means answered.
func (f *Fault) after(w http.ResponseWriter, requestID string) bool {
	switch f.Kind {
	case FaultCommitThenFail:
		writeError(w, requestID, errInternal)
		return true
	case FaultCommitThenReset:
		resetConnection(w)
		return true
	case FaultCommitThenCutAnswer:
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("Content-Length", "4096")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"TrainingPlanExtensions":[{"Train`))
		_ = http.NewResponseController(w).Flush()
		resetConnection(w)
		return true
	}
	return false
}

// resetConnection drops the TCP connection with an RST, as a load balancer failing mid-call does.
func resetConnection(w http.ResponseWriter) {
	hijacker, ok := w.(http.Hijacker)
	if !ok {
		panic("emulator: connection reset needs an HTTP/1.1 connection")
	}
	conn, _, err := hijacker.Hijack()
	if err != nil {
		return
	}
	raw := conn
	if tlsConn, ok := conn.(*tls.Conn); ok {
		raw = tlsConn.NetConn()
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}
