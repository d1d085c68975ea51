// Command sagemaker-emulator serves the SageMaker training plan extension emulator on a local
// port, so that modules using the provider can be tested with terraform test, Terratest or by
// hand, at no cost. docs/guides/testing.md documents it; its flags are a stable interface.
//
//	go install github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator/cmd/sagemaker-emulator@latest
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "sagemaker-emulator:", err)
		os.Exit(2)
	}
}

// run serves the emulator until ctx ends, printing where and how to reach it to stdout and one
// line per call to callLog.
func run(ctx context.Context, args []string, stdout, callLog io.Writer) error {
	flags := flag.NewFlagSet("sagemaker-emulator", flag.ContinueOnError)
	listen := flags.String("listen", "127.0.0.1:0", "address to listen on")
	urlFile := flags.String("url-file", "", "write the endpoint URL to this file once listening")
	var plans []seededPlan
	flags.Func("plan", "seed an Active training plan with this name (repeatable)", func(name string) error {
		plans = append(plans, seededPlan{spec: emulator.PlanSpec{Name: name}})
		return nil
	})
	plansFile := flags.String("plans", "", "seed the training plans described in this JSON file (see docs/guides/testing.md)")
	cfg := emulator.Config{}
	flags.DurationVar(&cfg.PendingDelay, "pending-delay", 3*time.Second, "how long a new extension stays Pending")
	flags.DurationVar(&cfg.Latency, "latency", 0, "delay added to every SageMaker call")
	flags.DurationVar(&cfg.OfferingTTL, "offering-ttl", time.Hour, "how long a searched offering can be bought")
	flags.BoolVar(&cfg.RepeatOfferingIDs, "repeat-offering-ids", false, "return the same offering ID when the same capacity is searched again")
	flags.StringVar(&cfg.Region, "region", emulator.DefaultRegion, "AWS Region of the plans")
	flags.StringVar(&cfg.AccountID, "account-id", emulator.DefaultAccountID, "12-digit account ID of the plans")
	flags.StringVar(&cfg.AccessKeyID, "access-key", emulator.DefaultAccessKeyID, "access key ID that requests must be signed with")
	flags.StringVar(&cfg.SecretAccessKey, "secret-key", emulator.DefaultSecretAccessKey, "secret access key that requests must be signed with")
	var faults []fault
	flags.Func("fault", "inject a fault, OPERATION:KIND[:TIMES] with KIND one of "+strings.Join(faultKindNames(), ", ")+" (repeatable)", func(value string) error {
		f, err := parseFault(value)
		faults = append(faults, f)
		return err
	})
	quiet := flags.Bool("quiet", false, "do not log each call")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	if *plansFile != "" {
		seeded, err := readPlans(*plansFile)
		if err != nil {
			return err
		}
		plans = append(plans, seeded...)
	}
	if !*quiet {
		cfg.CallLog = callLog
	}

	emu := emulator.New(cfg)
	var arns []string
	for _, p := range plans {
		if !trainingPlanName.MatchString(p.spec.Name) {
			return fmt.Errorf("training plan name %q: AWS allows 1 to 64 letters, digits and hyphens, starting and ending with a letter or digit", p.spec.Name)
		}
		arn := emu.AddPlan(p.spec)
		if p.history > 0 {
			if err := emu.SeedHistory(arn, p.history); err != nil {
				return err
			}
		}
		arns = append(arns, arn)
	}
	for _, f := range faults {
		emu.InjectFault(f.operation, f.fault)
	}

	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	url := "http://" + listener.Addr().String()
	cfg = emu.Config()
	banner := fmt.Sprintf("SageMaker emulator on %s\n  region %s, account %s\n  access key %s\n  secret key %s\n", url, cfg.Region, cfg.AccountID, cfg.AccessKeyID, cfg.SecretAccessKey)
	for _, arn := range arns {
		banner += fmt.Sprintf("  training plan %s\n", arn)
	}
	if _, err := io.WriteString(stdout, banner); err != nil {
		return err
	}
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(url+"\n"), 0o600); err != nil {
			return err
		}
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"status": "ok", "purchases": emu.Purchases()})
	})
	mux.Handle("/", emu)
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = server.Close()
	}()
	if err := server.Serve(listener); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	_, err = fmt.Fprintf(stdout, "SageMaker emulator stopped after %d purchase(s)\n", emu.Purchases())
	return err
}

// trainingPlanName is the pattern AWS gives training plan names.
var trainingPlanName = regexp.MustCompile(`^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}$`)

// seededPlan is a plan to seed, with the history it starts with.
type seededPlan struct {
	spec    emulator.PlanSpec
	history int
}

// planFile is the JSON the -plans flag reads.
type planFile struct {
	Plans []struct {
		Name          string    `json:"name"`
		Status        string    `json:"status"`
		Start         time.Time `json:"start"`
		DurationHours int       `json:"duration_hours"`
		InstanceCount int32     `json:"instance_count"`
		HourlyFee     float64   `json:"hourly_fee"`
		History       int       `json:"history"`
		NoCapacity    bool      `json:"no_capacity"`
		PaymentFails  bool      `json:"payment_fails"`
	} `json:"plans"`
}

var planStatuses = []string{emulator.StatusActive, emulator.StatusScheduled, emulator.StatusExpired, emulator.StatusFailed, "Pending"}

func readPlans(path string) ([]seededPlan, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	decoder := json.NewDecoder(strings.NewReader(string(raw)))
	decoder.DisallowUnknownFields()
	var file planFile
	if err := decoder.Decode(&file); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	plans := make([]seededPlan, 0, len(file.Plans))
	for _, p := range file.Plans {
		if p.Status != "" && !slices.Contains(planStatuses, p.Status) {
			return nil, fmt.Errorf("%s: plan %q: status %q is not one of %s", path, p.Name, p.Status, strings.Join(planStatuses, ", "))
		}
		if p.DurationHours < 0 || p.InstanceCount < 0 || p.HourlyFee < 0 || p.History < 0 {
			return nil, fmt.Errorf("%s: plan %q: duration_hours, instance_count, hourly_fee and history cannot be negative", path, p.Name)
		}
		spec := emulator.PlanSpec{
			Name: p.Name, Status: p.Status, Start: p.Start, Duration: time.Duration(p.DurationHours) * time.Hour,
			InstanceCount: p.InstanceCount, HourlyFee: p.HourlyFee, NoCapacity: p.NoCapacity, PaymentFails: p.PaymentFails,
		}
		plans = append(plans, seededPlan{spec: spec, history: p.History})
	}
	return plans, nil
}

// fault is a fault to inject into one operation.
type fault struct {
	operation string
	fault     emulator.Fault
}

var faultKinds = map[string]emulator.Fault{
	"throttle":          {Kind: emulator.FaultThrottle},
	"internal-error":    {Kind: emulator.FaultError, Status: http.StatusInternalServerError, Code: "InternalFailure", Message: "An internal error occurred. Try again."},
	"access-denied":     {Kind: emulator.FaultError, Status: http.StatusBadRequest, Code: "AccessDeniedException", Message: "User is not authorized to perform this action."},
	"commit-then-fail":  {Kind: emulator.FaultCommitThenFail},
	"commit-then-reset": {Kind: emulator.FaultCommitThenReset},
	"reset":             {Kind: emulator.FaultReset},
}

func faultKindNames() []string {
	names := make([]string, 0, len(faultKinds))
	for name := range faultKinds {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

var operations = []string{
	emulator.OpSearchTrainingPlanOfferings, emulator.OpExtendTrainingPlan,
	emulator.OpDescribeTrainingPlanExtensionHistory, emulator.OpDescribeTrainingPlan,
}

// parseFault reads OPERATION:KIND[:TIMES]; without TIMES the fault applies to every call.
func parseFault(value string) (fault, error) {
	parts := strings.Split(value, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return fault{}, fmt.Errorf("fault %q: want OPERATION:KIND[:TIMES]", value)
	}
	if !slices.Contains(operations, parts[0]) {
		return fault{}, fmt.Errorf("fault %q: operation %q is not one of %s", value, parts[0], strings.Join(operations, ", "))
	}
	f, ok := faultKinds[parts[1]]
	if !ok {
		return fault{}, fmt.Errorf("fault %q: kind %q is not one of %s", value, parts[1], strings.Join(faultKindNames(), ", "))
	}
	if len(parts) == 3 {
		times, err := strconv.Atoi(parts[2])
		if err != nil || times < 1 {
			return fault{}, fmt.Errorf("fault %q: TIMES must be a whole number of at least 1", value)
		}
		f.Times = times
	}
	return fault{operation: parts[0], fault: f}, nil
}
