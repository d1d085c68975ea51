package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/hashicorp/aws-sdk-go-base/v2/tfawserr"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/sdkhttp"
)

// syncBuffer collects the call log, which the server writes from its own goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serve runs the command with args until the test ends, and returns its URL, its printed
// banner and its call log.
func serve(t *testing.T, args ...string) (url, banner string, calls *syncBuffer) {
	t.Helper()
	urlFile := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(context.Background())
	var stdout syncBuffer
	calls = &syncBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, append(args, "-url-file", urlFile), &stdout, calls) }()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("run exited %d", code)
		}
	})
	// The URL file is written before the banner is printed: wait for both.
	for range 100 {
		if b, err := os.ReadFile(urlFile); err == nil && len(b) > 0 && stdout.String() != "" {
			return strings.TrimSpace(string(b)), stdout.String(), calls
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the emulator wrote no URL")
	return "", "", nil
}

func client(url, region, secret string) *sagemaker.Client {
	if secret == "" {
		secret = "emulatorSecretKeyDoNotUseInAWS0000000000"
	}
	return sagemaker.New(sagemaker.Options{
		Region:           region,
		BaseEndpoint:     aws.String(url),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIAEMULATOREXAMPLE1", secret, ""),
		RetryMaxAttempts: 1,
		HTTPClient:       sdkhttp.Wrap(awshttp.NewBuildableClient()),
	})
}

// searchDay searches a plan's one-day extension offerings.
func searchDay(t *testing.T, c *sagemaker.Client, planARN string) ([]types.TrainingPlanExtensionOffering, error) {
	t.Helper()
	out, err := c.SearchTrainingPlanOfferings(context.Background(), &sagemaker.SearchTrainingPlanOfferingsInput{TrainingPlanArn: aws.String(planARN), DurationHours: aws.Int64(24)})
	if err != nil {
		return nil, err
	}
	return out.TrainingPlanExtensionOfferings, nil
}

func TestPlansFile(t *testing.T) {
	plans := filepath.Join(t.TempDir(), "plans.json")
	if err := os.WriteFile(plans, []byte(`{"plans": [
  {"name": "cheap", "status": "Scheduled", "start": "2030-01-01T00:00:00Z", "duration_hours": 48, "instance_count": 2, "hourly_fee": 1.5, "history": 3},
  {"name": "expired", "status": "Expired"},
  {"name": "full", "no_capacity": true}
]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	url, banner, _ := serve(t, "-plans", plans, "-region", "eu-west-1", "-account-id", "210987654321")
	c := client(url, "eu-west-1", "")
	arn := func(name string) string { return "arn:aws:sagemaker:eu-west-1:210987654321:training-plan/" + name }
	if !strings.Contains(banner, "training plan "+arn("cheap")) || !strings.Contains(banner, "region eu-west-1, account 210987654321") {
		t.Errorf("banner:\n%s", banner)
	}

	plan, err := c.DescribeTrainingPlan(context.Background(), &sagemaker.DescribeTrainingPlanInput{TrainingPlanName: aws.String("cheap")})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Status != types.TrainingPlanStatusScheduled || aws.ToInt32(plan.TotalInstanceCount) != 2 || !aws.ToTime(plan.StartTime).Equal(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("plan = %s, %d instances, from %v", plan.Status, aws.ToInt32(plan.TotalInstanceCount), plan.StartTime)
	}
	offerings, err := searchDay(t, c, arn("cheap"))
	if err != nil || len(offerings) != 1 || aws.ToString(offerings[0].UpfrontFee) != "72.00" {
		t.Errorf("search: %v, %+v; want one offering at 24 h x 2 instances x 1.5 = 72.00", err, offerings)
	}
	history, err := c.DescribeTrainingPlanExtensionHistory(context.Background(), &sagemaker.DescribeTrainingPlanExtensionHistoryInput{TrainingPlanArn: aws.String(arn("cheap"))})
	if err != nil || len(history.TrainingPlanExtensions) != 3 {
		t.Errorf("history: %v, %d extensions, want 3", err, len(history.TrainingPlanExtensions))
	}
	if _, err := searchDay(t, c, arn("expired")); !tfawserr.ErrCodeEquals(err, "ValidationException") {
		t.Errorf("search of an expired plan: %v, want ValidationException", err)
	}
	if offerings, err := searchDay(t, c, arn("full")); err != nil || len(offerings) != 0 {
		t.Errorf("search of a plan with no capacity: %v, %d offerings, want none", err, len(offerings))
	}
}

func TestPurchaseTimingAndFaults(t *testing.T) {
	url, _, calls := serve(t, "-plan", "timed", "-pending-delay", "300ms", "-offering-ttl", "200ms", "-latency", "20ms",
		"-repeat-offering-ids", "-fault", "ExtendTrainingPlan:throttle:1")
	c := client(url, "us-west-2", "")
	planARN := "arn:aws:sagemaker:us-west-2:123456789012:training-plan/timed"

	start := time.Now()
	first, err := searchDay(t, c, planARN)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < 20*time.Millisecond {
		t.Errorf("a search took %v, less than the 20ms latency", took)
	}
	second, err := searchDay(t, c, planARN)
	if err != nil || aws.ToString(second[0].TrainingPlanExtensionOfferingId) != aws.ToString(first[0].TrainingPlanExtensionOfferingId) {
		t.Errorf("-repeat-offering-ids: a second search returned %v (%v)", second, err)
	}
	id := first[0].TrainingPlanExtensionOfferingId
	extend := func() (*sagemaker.ExtendTrainingPlanOutput, error) {
		return c.ExtendTrainingPlan(context.Background(), &sagemaker.ExtendTrainingPlanInput{TrainingPlanExtensionOfferingId: id})
	}
	if _, err := extend(); !tfawserr.ErrCodeEquals(err, "ThrottlingException") {
		t.Errorf("first purchase: %v, want the injected ThrottlingException", err)
	}
	bought, err := extend()
	if err != nil {
		t.Fatalf("second purchase: %v", err)
	}
	if x := bought.TrainingPlanExtensions[len(bought.TrainingPlanExtensions)-1]; aws.ToString(x.Status) != "Pending" {
		t.Errorf("a new purchase is %s, want Pending", aws.ToString(x.Status))
	}
	time.Sleep(400 * time.Millisecond)
	history, err := c.DescribeTrainingPlanExtensionHistory(context.Background(), &sagemaker.DescribeTrainingPlanExtensionHistoryInput{TrainingPlanArn: aws.String(planARN)})
	if err != nil || aws.ToString(history.TrainingPlanExtensions[0].Status) == "Pending" {
		t.Errorf("after -pending-delay the extension is still Pending (%v)", err)
	}
	stale, err := searchDay(t, c, planARN)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if _, err := c.ExtendTrainingPlan(context.Background(), &sagemaker.ExtendTrainingPlanInput{TrainingPlanExtensionOfferingId: stale[0].TrainingPlanExtensionOfferingId}); !tfawserr.ErrCodeEquals(err, "ResourceNotFound") {
		t.Errorf("buying an offering past -offering-ttl: %v, want ResourceNotFound", err)
	}

	resp, err := http.Get(url + "/health")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var health map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&health); err != nil || health["status"] != "ok" || health["purchases"] != float64(1) {
		t.Errorf("GET /health = %v (%v), want ok with 1 purchase", health, err)
	}
	for _, want := range []string{"SageMaker.ExtendTrainingPlan 400 ThrottlingException", "SageMaker.ExtendTrainingPlan 200", "SageMaker.ExtendTrainingPlan 400 ResourceNotFound"} {
		if !strings.Contains(calls.String(), want) {
			t.Errorf("the call log lacks %q:\n%s", want, calls.String())
		}
	}
}

func TestCredentialsFlags(t *testing.T) {
	url, banner, _ := serve(t, "-plan", "signed", "-secret-key", "anotherSecretKeyForTheEmulator0000000000", "-quiet")
	if !strings.Contains(banner, "secret key anotherSecretKeyForTheEmulator0000000000") {
		t.Errorf("the banner does not print the secret key requests must be signed with:\n%s", banner)
	}
	in := &sagemaker.DescribeTrainingPlanInput{TrainingPlanName: aws.String("signed")}
	if _, err := client(url, "us-west-2", "").DescribeTrainingPlan(context.Background(), in); !tfawserr.ErrCodeEquals(err, "InvalidSignatureException") {
		t.Errorf("a request signed with the default key: %v, want InvalidSignatureException", err)
	}
	if _, err := client(url, "us-west-2", "anotherSecretKeyForTheEmulator0000000000").DescribeTrainingPlan(context.Background(), in); err != nil {
		t.Errorf("a request signed with -secret-key: %v", err)
	}
}

func TestInvalidArguments(t *testing.T) {
	badFile := filepath.Join(t.TempDir(), "plans.json")
	if err := os.WriteFile(badFile, []byte(`{"plans": [{"name": "p", "instances": 2}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-plan", "not a name"}, `training plan name "not a name"`},
		{[]string{"-plan", "twice", "-plan", "twice"}, `training plan "twice" is seeded twice`},
		{[]string{"-fault", "ExtendTrainingPlan"}, "want OPERATION:KIND[:TIMES]"},
		{[]string{"-fault", "Buy:throttle"}, `operation "Buy" is not one of`},
		{[]string{"-fault", "ExtendTrainingPlan:explode"}, `kind "explode" is not one of`},
		{[]string{"-fault", "ExtendTrainingPlan:throttle:0"}, "TIMES must be a whole number of at least 1"},
		{[]string{"-plans", badFile}, `unknown field "instances"`},
		{[]string{"-account-id", "abc"}, `-account-id "abc": an AWS account ID is 12 digits`},
		{[]string{"-access-key", "KEY"}, `-access-key "KEY": an access key ID is AKIA followed by 16`},
		{[]string{"-pending-delay", "-1s"}, "-pending-delay, -latency and -history-lag cannot be negative"},
		{[]string{"-offering-ttl", "0s"}, "-offering-ttl 0s"},
		{[]string{"-plan", "p", "stray"}, `unexpected arguments ["stray"]: put a command to run after --`},
		{[]string{"-no-such-flag"}, "flag provided but not defined: -no-such-flag"},
	} {
		var stdout, stderr strings.Builder
		code := run(context.Background(), tc.args, &stdout, &stderr)
		// Each error once, with a pointer at the flags, and nothing on stdout.
		if code != exitUsage || strings.Count(stderr.String(), "sagemaker-emulator: ") != 1 || !strings.Contains(stderr.String(), tc.want) ||
			!strings.Contains(stderr.String(), "Run sagemaker-emulator -h for the flags.") || stdout.Len() != 0 {
			t.Errorf("run %q: exit %d, stdout %q, stderr %q; want exit %d and one error containing %q", tc.args, code, stdout.String(), stderr.String(), exitUsage, tc.want)
		}
	}
}

func TestHelpAndVersion(t *testing.T) {
	var stdout, stderr strings.Builder
	if code := run(context.Background(), []string{"-h"}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "Usage: sagemaker-emulator") ||
		!strings.Contains(stdout.String(), "-history-lag") || stderr.Len() != 0 {
		t.Errorf("-h: exit %d, stdout %q, stderr %q; want exit 0 and the usage on stdout", code, stdout.String(), stderr.String())
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"-version"}, &stdout, &stderr); code != 0 || stdout.String() != "sagemaker-emulator dev\n" {
		t.Errorf("-version: exit %d, stdout %q", code, stdout.String())
	}
}

func TestStartupFailurePrintsNothingButTheError(t *testing.T) {
	var stdout, stderr strings.Builder
	urlFile := filepath.Join(t.TempDir(), "missing-dir", "url")
	if code := run(context.Background(), []string{"-plan", "p", "-url-file", urlFile}, &stdout, &stderr); code != exitFailed ||
		stdout.Len() != 0 || stderr.String() != "sagemaker-emulator: writing "+urlFile+": no such file or directory\n" {
		t.Errorf("an unwritable -url-file: exit %d, stdout %q, stderr %q; want exit 1, an error, and no banner", code, stdout.String(), stderr.String())
	}
}

func TestWildcardListenPrintsAReachableURL(t *testing.T) {
	url, banner, _ := serve(t, "-listen", "0.0.0.0:0", "-quiet")
	if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.Contains(banner, "SageMaker emulator on "+url) {
		t.Fatalf("URL %q, banner:\n%s", url, banner)
	}
	resp, err := http.Get(url + "/health")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
}

func TestCallLogNamesErrorCodes(t *testing.T) {
	url, _, calls := serve(t, "-plan", "logged")
	stsClient := sts.New(sts.Options{Region: "us-west-2", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIAEMULATOREXAMPLE1", "wrongSecretKey00000000000000000000000000", "")})
	if _, err := stsClient.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err == nil {
		t.Fatal("a wrong secret key was accepted")
	}
	if !strings.Contains(calls.String(), "STS.GetCallerIdentity 403 SignatureDoesNotMatch") {
		t.Errorf("the call log lacks the code of the refused STS call:\n%s", calls.String())
	}
}

func TestCommandRunsAgainstTheEmulator(t *testing.T) {
	envFile := filepath.Join(t.TempDir(), "emulator.env")
	t.Setenv("AWS_PROFILE", "production")
	t.Setenv("AWS_SESSION_TOKEN", "a-real-token")
	var stdout, stderr strings.Builder
	code := run(context.Background(), []string{"-plan", "wrapped", "-quiet", "-env-file", envFile, "--", "sh", "-c", "env; exit 3"}, &stdout, &stderr)
	if code != 3 {
		t.Errorf("exit %d, want the command's 3 (stderr %q)", code, stderr.String())
	}
	written, err := os.ReadFile(envFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(written)), "\n") {
		if !strings.Contains(stdout.String(), line+"\n") {
			t.Errorf("the command's environment lacks %s, which -env-file wrote", line)
		}
	}
	for _, want := range []string{"AWS_ENDPOINT_URL_SAGEMAKER=http://127.0.0.1:", "AWS_ACCESS_KEY_ID=AKIAEMULATOREXAMPLE1", "SAGEMAKER_EMULATOR_URL=http://"} {
		if !strings.Contains(string(written), want) {
			t.Errorf("-env-file lacks %s:\n%s", want, written)
		}
	}
	for _, unset := range []string{"AWS_PROFILE=", "AWS_SESSION_TOKEN="} {
		if strings.Contains(stdout.String(), unset) {
			t.Errorf("the command still has %s, which could sign with other credentials", unset)
		}
	}
	if code := run(context.Background(), []string{"-quiet", "--", "no-such-command-anywhere"}, io.Discard, io.Discard); code != exitNoRunner {
		t.Errorf("a missing command: exit %d, want %d", code, exitNoRunner)
	}
}
