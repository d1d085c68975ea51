package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	goversion "github.com/hashicorp/go-version"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

// TestTestingGuide follows docs/guides/testing.md: it runs its CI recipe as written, the
// emulator around terraform test, for every example test file, on a provider installed as a user
// installs it; then shows that the suites' guard stops a run whose AWS_* variables are missing.
func TestTestingGuide(t *testing.T) {
	terraform := terraformCLI(t)
	if v := cliVersion(t, terraform); v.LessThan(goversion.Must(goversion.NewVersion("1.7.0"))) {
		t.Skipf("terraform test with mock providers needs Terraform 1.7 or OpenTofu 1.8; %s is %s", terraform, v)
	}
	// The release's emulator is this command, built (TestRegistryInstall checks the archive).
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "sagemaker-emulator"), "./internal/emulator/cmd/sagemaker-emulator")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the emulator: %v\n%s", err, out)
	}
	work := t.TempDir()
	copyDir(t, "examples/testing", work)
	cliConfig := providerMirror(t)
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1")
	run := func(name string, args ...string) (string, error) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = work
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run(terraform, "init", "-input=false", "-no-color"); err != nil {
		t.Fatalf("terraform init: %v\n%s", err, out)
	}

	// The guide's recipe: the emulator runs the suite, and exits with its status.
	out, err := run(filepath.Join(bin, "sagemaker-emulator"), "-plans", "emulator-plans.json", "--", terraform, "test", "-no-color")
	if err != nil || !strings.Contains(out, "Success! 14 passed, 0 failed.") {
		t.Errorf("sagemaker-emulator -- terraform test: %v\n%s", err, out)
	}
	for _, want := range []string{"SageMaker.ExtendTrainingPlan 200", "SageMaker.ExtendTrainingPlan 0 ", "SageMaker emulator on http://127.0.0.1:"} {
		if !strings.Contains(out, want) {
			t.Errorf("the emulator's output lacks %q:\n%s", want, out)
		}
	}

	// Without the emulator's variables, the provider finds other credentials: those of another
	// account (an emulator standing in for AWS), or none reachable (a closed port). Either way
	// the guard stops the run before any SageMaker call.
	elsewhere := emulator.New(emulator.Config{AccountID: "999999999999"})
	elsewhere.AddPlan(emulator.PlanSpec{Name: "llm-pretraining"})
	server := httptest.NewServer(elsewhere)
	defer server.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	for endpoint, want := range map[string]string{
		server.URL: "credentials for a disallowed AWS account",
		closed.URL: "connection refused",
	} {
		env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1",
			"AWS_ENDPOINT_URL_SAGEMAKER="+endpoint, "AWS_ENDPOINT_URL_STS="+endpoint, "AWS_REGION=us-west-2",
			"AWS_ACCESS_KEY_ID="+emulator.DefaultAccessKeyID, "AWS_SECRET_ACCESS_KEY="+emulator.DefaultSecretAccessKey)
		out, err := run(terraform, "test", "-no-color", "-filter=tests/emulator.tftest.hcl")
		if err == nil || !strings.Contains(out, want) {
			t.Errorf("a run against %s was not stopped with %q (err %v):\n%s", endpoint, want, err, out)
		}
	}
	if n := elsewhere.SageMakerCalls(); n != 0 {
		t.Errorf("the guarded suite made %d SageMaker calls in another account", n)
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
