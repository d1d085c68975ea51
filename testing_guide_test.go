package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	goversion "github.com/hashicorp/go-version"
)

// TestTestingGuide follows docs/guides/testing.md: install the emulator, start it with the
// example's plans, point the provider at it with the AWS_* variables, and run both example test
// suites with terraform test, on a provider installed as a user installs it.
func TestTestingGuide(t *testing.T) {
	terraform := terraformCLI(t)
	if v := cliVersion(t, terraform); v.LessThan(goversion.Must(goversion.NewVersion("1.7.0"))) {
		t.Skipf("terraform test with mock providers needs Terraform 1.7 or OpenTofu 1.8; %s is %s", terraform, v)
	}
	bin := t.TempDir()
	// go install, from this tree.
	install := exec.Command("go", "install", "./internal/emulator/cmd/sagemaker-emulator")
	install.Env = append(os.Environ(), "GOBIN="+bin)
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("go install the emulator: %v\n%s", err, out)
	}

	work := t.TempDir()
	copyDir(t, "examples/testing", work)
	ctx, stop := context.WithCancel(context.Background())
	emulator := exec.CommandContext(ctx, filepath.Join(bin, "sagemaker-emulator"), "-plans", "emulator-plans.json", "-url-file", "emulator.url")
	emulator.Dir = work
	emulator.Cancel = func() error { return emulator.Process.Signal(os.Interrupt) }
	stdout, err := emulator.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var calls strings.Builder
	emulator.Stderr = &calls
	if err := emulator.Start(); err != nil {
		t.Fatal(err)
	}
	banner := bufio.NewScanner(stdout)
	var printed []string
	for len(printed) < 5 && banner.Scan() {
		printed = append(printed, banner.Text())
	}
	t.Cleanup(func() {
		stop()
		_ = emulator.Wait()
	})
	url := waitForURL(t, filepath.Join(work, "emulator.url"))
	if want := "SageMaker emulator on " + url; len(printed) < 5 || printed[0] != want || !strings.Contains(printed[3], "secret key emulatorSecretKeyDoNotUseInAWS0000000000") {
		t.Fatalf("the emulator's banner is not the one the guide shows:\n%s", strings.Join(printed, "\n"))
	}

	env := append(os.Environ(),
		"AWS_ENDPOINT_URL_SAGEMAKER="+url, "AWS_ENDPOINT_URL_STS="+url,
		"AWS_REGION=us-west-2", "AWS_ACCESS_KEY_ID=AKIAEMULATOREXAMPLE1",
		"AWS_SECRET_ACCESS_KEY=emulatorSecretKeyDoNotUseInAWS0000000000",
		"TF_CLI_CONFIG_FILE="+providerMirror(t), "TF_IN_AUTOMATION=1")
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(terraform, append(args, "-no-color")...)
		cmd.Dir = work
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("init", "-input=false")
	for suite, passed := range map[string]string{"tests/emulator.tftest.hcl": "3 passed, 0 failed", "tests/mock.tftest.hcl": "2 passed, 0 failed"} {
		if out := run("test", "-filter="+suite); !strings.Contains(out, passed) {
			t.Errorf("terraform test -filter=%s did not pass every run:\n%s", suite, out)
		}
	}

	var health struct {
		Status    string `json:"status"`
		Purchases int    `json:"purchases"`
	}
	resp, err := http.Get(url + "/health")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	if err := json.NewDecoder(resp.Body).Decode(&health); err != nil || health.Status != "ok" || health.Purchases != 1 {
		t.Errorf("GET /health = %+v (%v), want status ok and the one purchase of the emulator suite", health, err)
	}
	if !strings.Contains(calls.String(), "SageMaker.ExtendTrainingPlan 200") {
		t.Errorf("the emulator's call log lacks the purchase:\n%s", calls.String())
	}
}

// providerMirror installs the provider built from this tree into a filesystem mirror, as a
// Registry install would put it, and returns a CLI configuration that uses only that mirror.
func providerMirror(t *testing.T) string {
	t.Helper()
	mirror := t.TempDir()
	// A source without a hostname means the Terraform Registry to Terraform and the OpenTofu
	// Registry to OpenTofu.
	for _, registry := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		platform := filepath.Join(mirror, registry, "tfsagemaker", "sagemaker", "0.0.1", runtime.GOOS+"_"+runtime.GOARCH)
		build := exec.Command("go", "build", "-o", filepath.Join(platform, "terraform-provider-sagemaker_v0.0.1"), ".")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("building the provider: %v\n%s", err, out)
		}
	}
	config := filepath.Join(t.TempDir(), "terraformrc")
	writeTestFile(t, config, fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror))
	return config
}

func waitForURL(t *testing.T, path string) string {
	t.Helper()
	for range 100 {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return strings.TrimSpace(string(b))
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the emulator wrote no URL to %s", path)
	return ""
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		content, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), content, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}
