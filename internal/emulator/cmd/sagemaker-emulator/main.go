// Command sagemaker-emulator serves the SageMaker training plan extension emulator on a local
// port, so that modules using the provider can be tested with terraform test, Terratest or by
// hand, at no cost. docs/guides/testing.md documents it; its flags, its control API and the
// variables it sets are a stable interface.
//
//	sagemaker-emulator [flags]                  serve until interrupted
//	sagemaker-emulator [flags] -- COMMAND ARGS  serve while COMMAND runs, with the AWS_*
//	                                            variables pointing at the emulator, and exit
//	                                            with COMMAND's status
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

// version is the release's, set by goreleaser.
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses of the emulator itself; with a command, the command's status.
const (
	exitServed   = 0
	exitFailed   = 1
	exitUsage    = 2
	exitNoRunner = 127
)

// run serves the emulator until ctx ends, or runs a command against it, and returns the exit
// status. It prints how to reach the emulator on stdout once it serves, and errors and one line
// per call on stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stdout)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitServed
	case err != nil:
		_, _ = fmt.Fprintf(stderr, "sagemaker-emulator: %v\nRun sagemaker-emulator -h for the flags.\n", err)
		return exitUsage
	case opts.version:
		_, _ = fmt.Fprintln(stdout, "sagemaker-emulator", version)
		return exitServed
	}
	if !opts.quiet {
		opts.cfg.CallLog = stderr
	}
	srv, err := start(opts)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "sagemaker-emulator: %v\n", err)
		return exitFailed
	}
	defer func() {
		if err := srv.close(); err != nil {
			_, _ = fmt.Fprintf(stderr, "sagemaker-emulator: %v\n", err)
		}
	}()
	if _, err := io.WriteString(stdout, srv.banner()); err != nil {
		return exitFailed
	}
	if len(opts.command) > 0 {
		return srv.runCommand(ctx, opts.command, stdout, stderr)
	}
	select {
	case <-ctx.Done():
	case err := <-srv.served:
		srv.served <- err // close reports it
		return exitFailed
	}
	_, _ = fmt.Fprintf(stdout, "SageMaker emulator stopped after %d purchase(s)\n", srv.emu.Purchases())
	return exitServed
}

type options struct {
	cfg      emulator.Config
	listen   string
	urlFile  string
	envFile  string
	plans    []emulator.PlanSettings
	faults   []fault
	quiet    bool
	version  bool
	command  []string
	planFile string
}

// fault is a fault to inject into one operation.
type fault struct {
	operation string
	fault     emulator.Fault
}

var (
	accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)
	accessKeyPattern = regexp.MustCompile(`^AKIA[A-Z0-9]{16}$`)
)

func parseFlags(args []string, stdout io.Writer) (options, error) {
	var opts options
	flags := flag.NewFlagSet("sagemaker-emulator", flag.ContinueOnError)
	// Errors are printed once, by run, without the usage; -h prints the usage on stdout.
	flags.SetOutput(io.Discard)
	flags.Usage = func() {}
	flags.StringVar(&opts.listen, "listen", "127.0.0.1:0", "address to listen on")
	flags.StringVar(&opts.urlFile, "url-file", "", "write the endpoint URL to this file before serving")
	flags.StringVar(&opts.envFile, "env-file", "", "write the variables that point a provider at the emulator to this file before serving, one NAME=value a line")
	flags.Func("plan", "seed an Active training plan with this name (repeatable)", func(name string) error {
		opts.plans = append(opts.plans, emulator.PlanSettings{Name: name})
		return nil
	})
	flags.StringVar(&opts.planFile, "plans", "", "seed the training plans described in this JSON file (see docs/guides/testing.md)")
	flags.DurationVar(&opts.cfg.PendingDelay, "pending-delay", 3*time.Second, "how long a new extension stays Pending")
	flags.DurationVar(&opts.cfg.Latency, "latency", 0, "delay added to every SageMaker call")
	flags.DurationVar(&opts.cfg.OfferingTTL, "offering-ttl", time.Hour, "how long a searched offering can be bought")
	flags.DurationVar(&opts.cfg.HistoryLag, "history-lag", 0, "how long a new extension takes to show in its plan's history")
	flags.BoolVar(&opts.cfg.RepeatOfferingIDs, "repeat-offering-ids", false, "return the same offering ID when the same capacity is searched again")
	flags.StringVar(&opts.cfg.Region, "region", emulator.DefaultRegion, "AWS Region of the plans")
	flags.StringVar(&opts.cfg.AccountID, "account-id", emulator.DefaultAccountID, "12-digit account ID of the plans")
	flags.StringVar(&opts.cfg.AccessKeyID, "access-key", emulator.DefaultAccessKeyID, "default access key ID; any other AKIA key signed with the secret key has state of its own")
	flags.StringVar(&opts.cfg.SecretAccessKey, "secret-key", emulator.DefaultSecretAccessKey, "secret access key that requests must be signed with")
	flags.Func("fault", "inject a fault, OPERATION:KIND[:TIMES] with KIND one of "+strings.Join(emulator.FaultKindNames(), ", ")+" (repeatable)", func(value string) error {
		f, err := parseFault(value)
		opts.faults = append(opts.faults, f)
		return err
	})
	flags.BoolVar(&opts.quiet, "quiet", false, "do not log each call")
	flags.BoolVar(&opts.version, "version", false, "print the version and exit")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			_, _ = fmt.Fprintf(stdout, "Usage: sagemaker-emulator [flags] [-- COMMAND ARGS...]\n\n"+
				"Serves the SageMaker training plan extension emulator. With a command, runs it with the AWS_* variables pointing at the emulator,\n"+
				"and exits with its status. See docs/guides/testing.md.\n\nFlags:\n")
			flags.SetOutput(stdout)
			flags.PrintDefaults()
		}
		return opts, err
	}
	if flags.NArg() > 0 {
		if args[len(args)-flags.NArg()-1] != "--" {
			return opts, fmt.Errorf("unexpected arguments %q: put a command to run after --", flags.Args())
		}
		opts.command = flags.Args()
	}
	if opts.planFile != "" {
		seeded, err := readPlans(opts.planFile)
		if err != nil {
			return opts, err
		}
		opts.plans = append(opts.plans, seeded...)
	}
	return opts, opts.validate()
}

// validate checks the flags as AWS and the emulator need them.
func (o options) validate() error {
	switch {
	case !accountIDPattern.MatchString(o.cfg.AccountID):
		return fmt.Errorf("-account-id %q: an AWS account ID is 12 digits", o.cfg.AccountID)
	case !accessKeyPattern.MatchString(o.cfg.AccessKeyID):
		return fmt.Errorf("-access-key %q: an access key ID is AKIA followed by 16 capital letters or digits", o.cfg.AccessKeyID)
	case o.cfg.PendingDelay < 0 || o.cfg.Latency < 0 || o.cfg.HistoryLag < 0:
		return errors.New("-pending-delay, -latency and -history-lag cannot be negative")
	case o.cfg.OfferingTTL <= 0:
		return fmt.Errorf("-offering-ttl %s: an offering must be on sale for some time", o.cfg.OfferingTTL)
	}
	seen := map[string]bool{}
	for _, p := range o.plans {
		if err := p.Validate(); err != nil {
			return err
		}
		if seen[p.Name] {
			return fmt.Errorf("training plan %q is seeded twice", p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}

// readPlans reads the -plans file.
func readPlans(path string) ([]emulator.PlanSettings, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	decoder := json.NewDecoder(strings.NewReader(string(raw)))
	decoder.DisallowUnknownFields()
	var file struct {
		Plans []emulator.PlanSettings `json:"plans"`
	}
	if err := decoder.Decode(&file); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return file.Plans, nil
}

// parseFault reads OPERATION:KIND[:TIMES]; without TIMES the fault applies to every call.
func parseFault(value string) (fault, error) {
	parts := strings.Split(value, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return fault{}, fmt.Errorf("fault %q: want OPERATION:KIND[:TIMES]", value)
	}
	if !slices.Contains(emulator.Operations, parts[0]) {
		return fault{}, fmt.Errorf("fault %q: operation %q is not one of %s", value, parts[0], strings.Join(emulator.Operations, ", "))
	}
	f, ok := emulator.FaultKinds[parts[1]]
	if !ok {
		return fault{}, fmt.Errorf("fault %q: kind %q is not one of %s", value, parts[1], strings.Join(emulator.FaultKindNames(), ", "))
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

// server is the emulator, listening.
type server struct {
	emu    *emulator.Emulator
	url    string
	arns   []string
	http   *http.Server
	served chan error
}

// start seeds the emulator, listens, writes the URL and environment files, and serves. Nothing
// is printed: a failure leaves no half-started server behind.
func start(opts options) (*server, error) {
	emu := emulator.New(opts.cfg)
	var arns []string
	for _, p := range opts.plans {
		arns = append(arns, emu.Seed(p.Seeded()))
	}
	for _, f := range opts.faults {
		emu.InjectFault(f.operation, f.fault)
	}
	listener, err := net.Listen("tcp", opts.listen)
	if err != nil {
		return nil, err
	}
	srv := &server{emu: emu, url: reachableURL(listener.Addr()), arns: arns, served: make(chan error, 1)}
	for _, file := range []struct{ path, content string }{{opts.urlFile, srv.url + "\n"}, {opts.envFile, srv.envFile()}} {
		if file.path == "" {
			continue
		}
		if err := writeAtomically(file.path, file.content); err != nil {
			_ = listener.Close()
			// The error names the temporary file; the path given is the one to name.
			var pathErr *fs.PathError
			if errors.As(err, &pathErr) {
				err = pathErr.Err
			}
			return nil, fmt.Errorf("writing %s: %w", file.path, err)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"status": "ok", "purchases": emu.Purchases()})
	})
	mux.Handle(emulator.ControlPath, emu.ControlHandler())
	mux.Handle("/", emu)
	srv.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { srv.served <- srv.http.Serve(listener) }()
	return srv, nil
}

// close stops serving, and returns what stopped it if it was not this.
func (s *server) close() error {
	_ = s.http.Close()
	if err := <-s.served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// reachableURL is the URL a client on this machine reaches a listener at: a wildcard address
// (0.0.0.0, ::) is reached on the loopback interface.
func reachableURL(listening net.Addr) string {
	addr, ok := listening.(*net.TCPAddr)
	if !ok {
		return "http://" + listening.String()
	}
	ip := addr.IP
	if ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return "http://" + net.JoinHostPort(ip.String(), strconv.Itoa(addr.Port))
}

// writeAtomically writes a file that readers see whole or not at all.
func writeAtomically(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, err = tmp.WriteString(content)
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
	}
	return err
}

// environment is what points a provider, and the AWS SDKs, at the emulator.
func (s *server) environment() []string {
	cfg := s.emu.Config()
	return []string{
		"AWS_ENDPOINT_URL_SAGEMAKER=" + s.url,
		"AWS_ENDPOINT_URL_STS=" + s.url,
		"AWS_REGION=" + cfg.Region,
		"AWS_DEFAULT_REGION=" + cfg.Region,
		"AWS_ACCESS_KEY_ID=" + cfg.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + cfg.SecretAccessKey,
		"SAGEMAKER_EMULATOR_URL=" + s.url,
	}
}

// credentialVariables are the variables that could make a command sign with other credentials
// than the emulator's: a command runs without them.
var credentialVariables = []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"}

func (s *server) envFile() string {
	return strings.Join(s.environment(), "\n") + "\n"
}

func (s *server) banner() string {
	cfg := s.emu.Config()
	banner := fmt.Sprintf("SageMaker emulator on %s\n  region %s, account %s\n  access key %s\n  secret key %s\n", s.url, cfg.Region, cfg.AccountID, cfg.AccessKeyID, cfg.SecretAccessKey)
	for _, arn := range s.arns {
		banner += fmt.Sprintf("  training plan %s\n", arn)
	}
	return banner
}

// runCommand runs a command with the emulator's environment and returns its exit status. An
// interrupt is passed on to it.
func (s *server) runCommand(ctx context.Context, command []string, stdout, stderr io.Writer) int {
	cmd := exec.Command(command[0], command[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return slices.Contains(credentialVariables, name) || slices.ContainsFunc(s.environment(), func(set string) bool { return strings.HasPrefix(set, name+"=") })
	})
	cmd.Env = append(cmd.Env, s.environment()...)
	if err := cmd.Start(); err != nil {
		_, _ = fmt.Fprintf(stderr, "sagemaker-emulator: running %s: %v\n", command[0], err)
		return exitNoRunner
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = cmd.Process.Signal(os.Interrupt)
		err = <-done
	}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		return exitErr.ExitCode()
	case err != nil:
		_, _ = fmt.Fprintf(stderr, "sagemaker-emulator: %s: %v\n", command[0], err)
		return exitFailed
	}
	return exitServed
}
