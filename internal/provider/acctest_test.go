package provider

import (
	"fmt"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

// protoV6ProviderFactories serves the provider in-process to the real Terraform CLI.
var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"sagemaker": providerserver.NewProtocol6WithError(newTestProvider()),
}

// testPurchaseTiming looks for a purchase that got no answer for four seconds, long enough for
// the slowest answer the tests inject (three seconds), and gives up on an attempt after five.
var testPurchaseTiming = purchaseTiming{
	attemptTimeout: 5 * time.Second,
	reconcileWaits: []time.Duration{time.Second, time.Second, time.Second, time.Second},
}

// newTestProvider is the provider with the tests' purchase timing.
func newTestProvider() provider.Provider {
	return &sageMakerProvider{providerSettings{version: "test", timing: testPurchaseTiming, newHistory: sharedHistoryScans}}
}

func TestMain(m *testing.M) {
	// Serve the provider under its real address, as requiredProviders names it. The testing
	// framework's default adds the legacy "-" namespace, which OpenTofu rejects.
	if os.Getenv(resource.EnvTfAccProviderNamespace) == "" {
		mustSetenv(resource.EnvTfAccProviderNamespace, "tfsagemaker")
	}
	// A CLI configuration variable that names a missing file makes every CLI command print a
	// warning, and OpenTofu prints it where terraform-exec parses the version. The tests need
	// no CLI configuration.
	if path := os.Getenv("TF_CLI_CONFIG_FILE"); path != "" {
		if _, err := os.Stat(path); err != nil {
			mustSetenv("TF_CLI_CONFIG_FILE", os.DevNull)
		}
	}
	code := m.Run()
	if providerBinary.dir != "" {
		_ = os.RemoveAll(providerBinary.dir)
	}
	os.Exit(code)
}

func mustSetenv(name, value string) {
	if err := os.Setenv(name, value); err != nil {
		panic(err)
	}
}

// testEmulator is an emulator served over HTTP for one test, with the provider block that
// points at it.
type testEmulator struct {
	*emulator.Emulator
	url string
}

// startEmulator serves a fresh emulator for the test and stops it when the test ends.
func startEmulator(t *testing.T, cfg emulator.Config) *testEmulator {
	t.Helper()
	emu := emulator.New(cfg)
	server := httptest.NewServer(emu)
	t.Cleanup(server.Close)
	return &testEmulator{Emulator: emu, url: server.URL}
}

// requiredProviders names the provider in full, so that Terraform and OpenTofu, whose default
// registries differ, both find the provider the tests serve.
const requiredProviders = `
terraform {
  required_providers {
    sagemaker = {
      source = "registry.terraform.io/tfsagemaker/sagemaker"
    }
  }
}
`

// providerConfig is a provider block that signs with the emulator's test credentials.
func (e *testEmulator) providerConfig() string {
	return e.providerConfigWith("")
}

// providerConfigWith adds extra arguments to the provider block.
func (e *testEmulator) providerConfigWith(extra string) string {
	return requiredProviders + e.providerBlock(extra)
}

// providerBlock is the provider block alone, with extra arguments, such as an alias.
func (e *testEmulator) providerBlock(extra string) string {
	cfg := e.Config()
	return fmt.Sprintf(`
provider "sagemaker" {
  region     = %[1]q
  access_key = %[2]q
  secret_key = %[3]q
  %[5]s
  endpoints {
    sagemaker = %[4]q
    sts       = %[4]q
  }
}
`, cfg.Region, cfg.AccessKeyID, cfg.SecretAccessKey, e.url, extra)
}

// addPlanWithOffering seeds a training plan and an offering for it.
func (e *testEmulator) addPlanWithOffering(t *testing.T, spec emulator.PlanSpec) (planARN, offeringID string) {
	t.Helper()
	planARN = e.AddPlan(spec)
	offeringID, err := e.AddOffering(planARN, 48)
	if err != nil {
		t.Fatal(err)
	}
	return planARN, offeringID
}

// extensionConfig declares one extension resource named "test".
func extensionConfig(planARN, offeringID, extra string) string {
	return fmt.Sprintf(`
resource "sagemaker_training_plan_extension" "test" {
  training_plan_arn                   = %q
  training_plan_extension_offering_id = %q
  %s
}
`, planARN, offeringID, extra)
}

// expectPurchases fails the test unless the emulator recorded exactly want purchases.
func (e *testEmulator) expectPurchases(t *testing.T, want int) {
	t.Helper()
	if got := e.Purchases(); got != want {
		t.Errorf("the emulator recorded %d purchases, want %d", got, want)
	}
}

// expectPurchaseCalls fails the test unless ExtendTrainingPlan reached the emulator exactly
// want times: every call is a purchase attempt, failed or not.
func (e *testEmulator) expectPurchaseCalls(t *testing.T, want int) {
	t.Helper()
	if got := e.Calls(emulator.OpExtendTrainingPlan); got != want {
		t.Errorf("ExtendTrainingPlan called %d times, want %d", got, want)
	}
}

// checkBoughtOnce is a test step check that exactly one extension was sold so far.
func (e *testEmulator) checkBoughtOnce(*terraform.State) error {
	if got := e.Purchases(); got != 1 {
		return fmt.Errorf("the emulator recorded %d purchases, want 1", got)
	}
	return nil
}

// errorMatching matches Terraform output holding each part in order. Terraform wraps long
// lines, so every space in a part also matches a line break.
func errorMatching(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, part := range parts {
		quoted[i] = strings.ReplaceAll(regexp.QuoteMeta(part), " ", `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}
